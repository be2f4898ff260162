//! How the runs use threads and memory: the sequential run stays on the caller's thread,
//! the parallel one spreads over its pool and streams images instead of loading them all.

use given_03::PipelineConfig;

use super::runs::Run;
use super::{BOOK_PARALLEL, BOOK_SEQUENTIAL, PipelineApi};
use crate::memory::peak_bytes;
use crate::timing::has_cores_for;

/// Images and shape for the thread check: enough tasks (32) and work (~50 ms) that both
/// threads of a pool get some even on a busy machine.
pub const THREADS_CHECK_IMAGES: u64 = 32;
pub const THREADS_CHECK_SHAPE: (usize, usize) = (384, 384);

/// The sequential run does everything on the calling thread; the parallel run with 2
/// threads really uses two (when the machine has two cores).
pub fn mechanism_runs_use_the_threads_they_should(api: &PipelineApi) {
    let config = PipelineConfig::new(6, (64, 64));
    let report = Run::Sequential.call(api, &config).unwrap_or_else(|e| {
        panic!(
            "run_sequential: returned Err({e}) for a valid configuration\n  read: {BOOK_SEQUENTIAL}"
        )
    });
    let here = std::thread::current().id();
    let elsewhere = report.images.iter().filter(|r| r.thread != here).count();
    assert!(
        elsewhere == 0 && !report.images.is_empty(),
        "mechanism: run_sequential processed {elsewhere} of {} images on a thread other than \
         the caller's; a sequential run uses only the calling thread (record \
         std::thread::current().id() per image)\n  read: {BOOK_SEQUENTIAL}",
        report.images.len()
    );
    if !has_cores_for(
        "mechanism_runs_use_the_threads_they_should (parallel part)",
        2,
    ) {
        return;
    }
    let config = PipelineConfig::new(THREADS_CHECK_IMAGES, THREADS_CHECK_SHAPE);
    let report = Run::Parallel(2).call(api, &config).unwrap_or_else(|e| {
        panic!("run_parallel: returned Err({e}) for a valid configuration\n  read: {BOOK_PARALLEL}")
    });
    let threads = report.distinct_threads();
    assert!(
        threads >= 2,
        "mechanism: run_parallel with 2 threads processed all {} images on {threads} thread(s); \
         it should spread whole images over a pool of 2 (rayon's into_par_iter inside \
         pool.install)\n  read: {BOOK_PARALLEL}",
        report.images.len()
    );
}

/// Images and shape of the memory check: 64 images of 128 × 128, so that holding all of
/// them (64 × 128 KiB loaded, 64 × 256 KiB as spectra) is far above a few per thread.
pub const MEMORY_CHECK_IMAGES: u64 = 64;
pub const MEMORY_CHECK_SHAPE: (usize, usize) = (128, 128);
pub const MEMORY_CHECK_THREADS: usize = 2;
/// The bound: this many "image footprints" (one loaded image + one spectrum, 24 bytes per
/// pixel) per thread. The reference solution peaks at 2.8-2.9 footprints for 2 threads (measured
/// with `cargo test -p solution-03 mechanism_parallel_run_peak_memory_alone -- --nocapture`,
/// 2026-11-25); 4 per thread (8 in all) keeps 2.7x headroom, and loading every image first needs 21 for the
/// loaded images alone.
pub const FOOTPRINTS_PER_THREAD: usize = 4;

/// The parallel run streams images through its threads: its peak heap use stays within a
/// few images per thread, instead of growing with the number of images.
pub fn mechanism_parallel_run_peak_memory_alone(api: &PipelineApi) {
    let config = PipelineConfig::new(MEMORY_CHECK_IMAGES, MEMORY_CHECK_SHAPE);
    let (report, peak) = peak_bytes(|| Run::Parallel(MEMORY_CHECK_THREADS).call(api, &config));
    if let Err(e) = report {
        panic!(
            "run_parallel: returned Err({e}) for a valid configuration\n  read: {BOOK_PARALLEL}"
        );
    }
    let (rows, cols) = MEMORY_CHECK_SHAPE;
    let footprint = rows * cols * (8 + 16);
    let bound = FOOTPRINTS_PER_THREAD * MEMORY_CHECK_THREADS * footprint;
    println!(
        "peak heap during run_parallel ({MEMORY_CHECK_IMAGES} images of {rows} × {cols}, \
         {MEMORY_CHECK_THREADS} threads): {:.2} MiB = {:.1} image footprints (bound {:.2} MiB)",
        peak as f64 / 1048576.0,
        peak as f64 / footprint as f64,
        bound as f64 / 1048576.0
    );
    assert!(
        peak <= bound,
        "mechanism: run_parallel with {MEMORY_CHECK_THREADS} threads on {MEMORY_CHECK_IMAGES} \
         images of {rows} × {cols} reached {:.2} MiB of heap, {:.1} image footprints (one \
         loaded image + one spectrum = {} KiB); the bound is {FOOTPRINTS_PER_THREAD} per \
         thread ({:.2} MiB). Process each image from its index inside the parallel iterator \
         and keep only its small result: do not load or keep every image first\n  read: {BOOK_PARALLEL}",
        peak as f64 / 1048576.0,
        peak as f64 / footprint as f64,
        footprint / 1024,
        bound as f64 / 1048576.0
    );
}
