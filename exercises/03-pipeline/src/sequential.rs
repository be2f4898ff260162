//! §3.3 — one image after another.

use crate::{
    Fft2, ImageResult, PipelineConfig, PipelineError, Progress, RunReport, SaveError, Sink,
    StageTimes, Workspace, load_eo_data_into, smooth_into, spectrum_checksum,
};

// ANCHOR: process_image
/// Runs the four stages on image `index` — load, smooth, FFT with `fft`, save to `sink` —
/// in the arrays of `workspace` (each stage writes into the workspace's array for it), and
/// returns its checksum, the time each stage took and the thread that did the work. Once
/// the workspace has served one image, allocate nothing.
///
/// Bad input: a save failure is returned; `fft` planned for another shape than the
/// workspace's panics.
pub fn process_image(
    index: u64,
    fft: &Fft2,
    sink: &Sink,
    workspace: &mut Workspace,
) -> Result<ImageResult, SaveError> {
    todo!(
        "process_image: run image `index` through the four stages in the workspace's \
         arrays, timing each, and report its checksum, stage times and thread — \
         book §3.3 \"The sequential pipeline\" (book/src/03-pipeline.md)"
    )
}
// ANCHOR_END: process_image

// ANCHOR: run_sequential
/// Processes images `0..config.images` one after another on the calling thread, and
/// reports each image's result in index order. One [`Fft2`] is planned and one
/// [`Workspace`] made for the whole run.
///
/// Bad input: everything `config.validate()` rejects, before any work; the first failed
/// save stops the run and is returned.
pub fn run_sequential(config: &PipelineConfig) -> Result<RunReport, PipelineError> {
    todo!(
        "run_sequential: validate the configuration, plan the FFT and make a workspace \
         once, and process every image in index order on this thread, with progress — \
         book §3.3 \"The sequential pipeline\" (book/src/03-pipeline.md)"
    )
}
// ANCHOR_END: run_sequential
