//! §3.5 — whole images on several threads.

use crate::{Fft2, PipelineConfig, PipelineError, Progress, RunReport, Workspace, process_image};

// ANCHOR: run_parallel
/// Processes images `0..config.images` on a rayon pool of `threads` threads, one whole
/// image per task, and reports each image's result in index order — the same results, bit
/// for bit, as [`run_sequential`](crate::run_sequential). One [`Fft2`] serves every thread.
///
/// Memory: one [`Workspace`] per thread, reused for each of its images; never load every
/// image first.
///
/// Bad input: 0 threads is `PipelineError::NoThreads`; everything `config.validate()`
/// rejects is reported before any work; the first failed save stops the run; a pool that
/// cannot be built is `PipelineError::ThreadPool`.
pub fn run_parallel(config: &PipelineConfig, threads: usize) -> Result<RunReport, PipelineError> {
    todo!(
        "run_parallel: the same results as run_sequential, in index order, with whole \
         images shared between `threads` rayon threads, each with its own workspace \
         (refuse 0 threads) — \
         book §3.5 \"Whole images on every core\" (book/src/03-pipeline.md)"
    )
}
// ANCHOR_END: run_parallel
