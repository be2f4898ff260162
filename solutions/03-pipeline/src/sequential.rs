//! §3.3 — one image after another.

use std::time::Instant;

use crate::{
    Fft2, ImageResult, PipelineConfig, PipelineError, Progress, RunReport, SaveError, Sink,
    StageTimes, Workspace, load_eo_data_into, smooth_into, spectrum_checksum,
};

// ANCHOR: process_image
/// Runs the four stages on image `index` — load, smooth, FFT with `fft`, save to `sink` —
/// in the arrays of `workspace`, and returns its checksum, the time each stage took and
/// the thread that did the work. The spectrum is left in `workspace.spectrum` (clone it to
/// keep it).
///
/// Memory: nothing is allocated once the workspace has been used for one image (the FFT's
/// work buffers grow on first use), so with glibc's default settings an image costs no page
/// faults (book §3.4). Cost: the four stages plus a checksum (~0.6 ms at 1000 × 1000).
///
/// # Errors
/// A save failure, naming the image and the file.
///
/// # Panics
/// If `fft` was planned for another shape than the workspace's (see [`Fft2::forward_into`]).
pub fn process_image(
    index: u64,
    fft: &Fft2,
    sink: &Sink,
    workspace: &mut Workspace,
) -> Result<ImageResult, SaveError> {
    let started = Instant::now();
    load_eo_data_into(index, workspace.image.view_mut());
    let loaded = Instant::now();
    smooth_into(
        workspace.image.view(),
        workspace.smoothed.view_mut(),
        &mut workspace.smooth_scratch,
    );
    let smoothed_at = Instant::now();
    fft.forward_into(
        workspace.smoothed.view(),
        &mut workspace.fft,
        workspace.spectrum.view_mut(),
    );
    let transformed = Instant::now();
    sink.save(index, workspace.spectrum.view())?;
    let saved = Instant::now();
    Ok(ImageResult {
        index,
        checksum: spectrum_checksum(workspace.spectrum.view()),
        times: StageTimes {
            load: loaded - started,
            smooth: smoothed_at - loaded,
            fft2: transformed - smoothed_at,
            save: saved - transformed,
        },
        thread: std::thread::current().id(),
    })
}
// ANCHOR_END: process_image

// ANCHOR: run_sequential
/// Processes images `0..config.images` one after another on the calling thread, like the
/// tutorial's `for i in tqdm(range(N))` loop, and reports each image's result in index
/// order. One [`Fft2`] is planned and one [`Workspace`] made for the whole run.
///
/// Memory: one workspace (one image in flight), reused for every image: no allocation and
/// no page faults per image, with or without
/// [`keep_freed_memory`](crate::keep_freed_memory) (book §3.4). Cost: the sum of the
/// per-image costs.
///
/// # Errors
/// 0 images, a zero dimension, a too-large shape or an unusable sink are reported by
/// [`PipelineConfig::validate`] before any work; the first failed save stops the run and is
/// returned.
pub fn run_sequential(config: &PipelineConfig) -> Result<RunReport, PipelineError> {
    config.validate()?;
    let start = Instant::now();
    let fft = Fft2::new(config.shape);
    let mut workspace = Workspace::new(config.shape);
    let progress = Progress::start(config.progress, "sequential", config.images);
    let mut images = Vec::new();
    for index in 0..config.images {
        images.push(process_image(index, &fft, &config.sink, &mut workspace)?);
        progress.inc();
    }
    progress.finish();
    Ok(RunReport {
        threads: 1,
        wall: start.elapsed(),
        images,
    })
}
// ANCHOR_END: run_sequential
