//! How the runs use threads and memory: the sequential run stays on the caller's thread,
//! the parallel one spreads over its pool and streams images instead of loading them all,
//! and an image processed in a reused workspace allocates nothing.

use given_03::PipelineConfig;

use super::runs::{Run, expected_checksums};
use super::{BOOK_PARALLEL, BOOK_SEQUENTIAL, BOOK_WORKSPACE, PipelineApi};
use crate::allocation_count::{allocations_so_far, count_allocations};
use crate::check::with_panic_context;
use crate::peak_memory::peak_bytes;
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
/// pixel) per thread. The reference solution peaked at 2.8-2.9 footprints for 2 threads with new
/// arrays per image, and at 3.6 with one workspace per thread (40 bytes per pixel, plus the
/// FFT's half-size buffer: measured with `cargo test -p solution-03
/// mechanism_parallel_run_peak_memory_alone -- --nocapture`, 2026-11-26); 4 per thread (8 in
/// all) keeps 2.2x headroom, and loading every image first needs 21 for the loaded images
/// alone.
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

/// Images and shape of the workspace check: the first image may allocate (the FFT's work
/// buffers grow on first use); the other five must not. An odd, non-power-of-two shape, so
/// that every plan (mixed radix, Bluestein for 41) is exercised.
pub const WORKSPACE_CHECK_IMAGES: u64 = 6;
pub const WORKSPACE_CHECK_SHAPE: (usize, usize) = (41, 60);

/// Given one `Workspace` (and one `Fft2`), `process_image` allocates nothing once the first
/// image has been processed: every stage writes into the workspace's arrays. This is what
/// lets the pipeline run without page faults per image under glibc's default settings
/// (book §3.4). Counted, not timed: allocations on the calling thread between one image's
/// result and the next. The results must still be the right ones (a stale buffer would
/// change a checksum).
pub fn mechanism_workspace_steady_state_allocates_nothing(api: &PipelineApi) {
    let shape = WORKSPACE_CHECK_SHAPE;
    let indices: Vec<u64> = (0..WORKSPACE_CHECK_IMAGES).collect();
    let expected = expected_checksums(api, WORKSPACE_CHECK_IMAGES, shape);
    // Reserved up front: the callback itself must not allocate.
    let mut readings: Vec<(u64, u64)> = Vec::with_capacity(indices.len());
    let ((), _) = count_allocations(|| {
        with_panic_context(
            || {
                format!(
                    "process_image on images 0..{WORKSPACE_CHECK_IMAGES} of {shape:?} in one \
                     Workspace: panicked\n  read: {BOOK_SEQUENTIAL}"
                )
            },
            || {
                (api.process_in_one_workspace)(shape, &indices, &mut |result| {
                    readings.push((allocations_so_far(), result.checksum));
                })
            },
        )
    });
    assert_eq!(
        readings.len(),
        indices.len(),
        "mechanism: process_image returned {} results for {} images\n  read: {BOOK_SEQUENTIAL}",
        readings.len(),
        indices.len()
    );
    for (index, ((_, checksum), (_, want))) in readings.iter().zip(&expected).enumerate() {
        assert_eq!(
            checksum, want,
            "mechanism: process_image({index}) in a workspace already used for {index} \
             image(s) gave checksum {checksum:#018x}, but the image alone gives {want:#018x}; \
             every stage must overwrite all of its output (a stale buffer leaks the previous \
             image into this one)\n  read: {BOOK_WORKSPACE}"
        );
    }
    let per_image: Vec<u64> = readings.windows(2).map(|w| w[1].0 - w[0].0).collect();
    println!("allocations per image after the first, in one workspace ({shape:?}): {per_image:?}");
    assert!(
        per_image.iter().all(|&n| n == 0),
        "mechanism: process_image allocated {per_image:?} times for images 1..{} in a \
         workspace already used once (expected 0 each): every stage should write into the \
         workspace's arrays (load_eo_data_into, smooth_into, Fft2::forward_into with the \
         workspace's FftWork), and an FftWork's buffers grow only on first use\n  read: {BOOK_WORKSPACE}",
        WORKSPACE_CHECK_IMAGES
    );
}
