//! §3.5 — whole images on several threads.

use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use crate::{Fft2, PipelineConfig, PipelineError, Progress, RunReport, Workspace, process_image};

// ANCHOR: run_parallel
/// Processes images `0..config.images` on a rayon pool of `threads` threads, one whole
/// image per task, and reports each image's result in index order — the same results,
/// bit for bit, as [`run_sequential`](crate::run_sequential). One [`Fft2`] is planned for
/// the whole run and shared by every thread.
///
/// Memory: each thread has its own [`Workspace`], made when it takes its first image and
/// reused for every later one (no allocation or page faults per image), so at most
/// `threads` images at once; the images are never all materialised. Images are produced on
/// demand from their index (rayon splits the index range, not a list of loaded images).
///
/// Cost: the per-image costs divided among the threads, plus starting the pool (~0.1 ms).
///
/// # Errors
/// 0 threads is [`PipelineError::NoThreads`]; everything [`PipelineConfig::validate`]
/// rejects is reported before any work; the first failed save stops the run (images
/// already started finish) and is returned. A pool that cannot be started is
/// [`PipelineError::ThreadPool`].
pub fn run_parallel(config: &PipelineConfig, threads: usize) -> Result<RunReport, PipelineError> {
    if threads == 0 {
        return Err(PipelineError::NoThreads);
    }
    config.validate()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| PipelineError::ThreadPool {
            reason: e.to_string(),
        })?;
    let start = Instant::now();
    let fft = Fft2::new(config.shape);
    // One workspace per pool thread, indexed by `current_thread_index`: each slot is only
    // ever locked by its own thread, so the locks are never contended; they only prove to
    // the compiler that no two threads share a workspace.
    let workspaces: Vec<Mutex<Option<Workspace>>> =
        (0..threads).map(|_| Mutex::new(None)).collect();
    let progress = Progress::start(config.progress, "parallel", config.images);
    let images = pool.install(|| {
        (0..config.images)
            .into_par_iter()
            .map(|index| {
                // Always `Some` inside the pool; were it not, sharing slot 0 would still be
                // correct (the lock), only slower.
                let slot = rayon::current_thread_index().unwrap_or(0);
                let mut workspace = workspaces[slot].lock().unwrap_or_else(|e| e.into_inner());
                let workspace = workspace.get_or_insert_with(|| Workspace::new(config.shape));
                let result = process_image(index, &fft, &config.sink, workspace);
                progress.inc();
                result
            })
            // `collect` keeps the index order whatever order the images finish in, and
            // stops early at the first error.
            .collect::<Result<Vec<_>, _>>()
    })?;
    progress.finish();
    Ok(RunReport {
        threads,
        wall: start.elapsed(),
        images,
    })
}
// ANCHOR_END: run_parallel
