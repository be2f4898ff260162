//! §3.3 — one image after another.

use crate::{
    Fft2, ImageResult, PipelineConfig, PipelineError, Progress, RunReport, SaveError, Sink,
    StageTimes, load_eo_data, smooth, spectrum_checksum,
};

// ANCHOR: process_image
/// Runs the four stages on image `index` of `shape` — load, smooth, FFT with `fft`
/// (planned for `shape`), save to `sink` — and returns its checksum, the time each stage
/// took and the thread that did the work. Drop each intermediate array as soon as the
/// next stage has its result.
///
/// Bad input: a save failure is returned; `fft` planned for another shape panics.
pub fn process_image(
    index: u64,
    shape: (usize, usize),
    fft: &Fft2,
    sink: &Sink,
) -> Result<ImageResult, SaveError> {
    todo!(
        "process_image: run image `index` through the four stages, timing each, and \
         report its checksum, stage times and thread — \
         book §3.3 \"The sequential pipeline\" (book/src/03-pipeline.md)"
    )
}
// ANCHOR_END: process_image

// ANCHOR: run_sequential
/// Processes images `0..config.images` one after another on the calling thread, and
/// reports each image's result in index order. One [`Fft2`] is planned for the whole run.
///
/// Bad input: everything `config.validate()` rejects, before any work; the first failed
/// save stops the run and is returned.
pub fn run_sequential(config: &PipelineConfig) -> Result<RunReport, PipelineError> {
    todo!(
        "run_sequential: validate the configuration, plan the FFT once, and process every \
         image in index order on this thread, with progress — \
         book §3.3 \"The sequential pipeline\" (book/src/03-pipeline.md)"
    )
}
// ANCHOR_END: run_sequential
