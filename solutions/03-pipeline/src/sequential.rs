//! §3.3 — one image after another.

use std::time::Instant;

use crate::{
    Fft2, ImageResult, PipelineConfig, PipelineError, Progress, RunReport, SaveError, Sink,
    StageTimes, load_eo_data, smooth, spectrum_checksum,
};

// ANCHOR: process_image
/// Runs the four stages on image `index` of `shape` — load, smooth, FFT with `fft`
/// (planned for `shape`), save to `sink` — and returns its checksum, the time each stage
/// took and the thread that did the work. Each intermediate array is dropped as soon as
/// the next stage has its result, so one call holds at most two images' worth of arrays.
///
/// Cost: the four stages plus a checksum (~0.6 ms at 1000 × 1000).
///
/// # Errors
/// A save failure, naming the image and the file.
///
/// # Panics
/// If `fft` was planned for another shape (see [`Fft2::forward`]).
pub fn process_image(
    index: u64,
    shape: (usize, usize),
    fft: &Fft2,
    sink: &Sink,
) -> Result<ImageResult, SaveError> {
    let started = Instant::now();
    let image = load_eo_data(index, shape);
    let loaded = Instant::now();
    let smoothed = smooth(image.view());
    drop(image);
    let smoothed_at = Instant::now();
    let spectrum = fft.forward(smoothed.view());
    drop(smoothed);
    let transformed = Instant::now();
    sink.save(index, spectrum.view())?;
    let saved = Instant::now();
    Ok(ImageResult {
        index,
        checksum: spectrum_checksum(spectrum.view()),
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
/// order. One [`Fft2`] is planned for the whole run.
///
/// Memory: one image in flight at a time. Cost: the sum of the per-image costs — much less
/// when freed memory is kept ([`keep_freed_memory`](crate::keep_freed_memory)) than when
/// every image page-faults its memory in (book §3.4; the demo's table measures both).
///
/// # Errors
/// 0 images, a zero dimension, a too-large shape or an unusable sink are reported by
/// [`PipelineConfig::validate`] before any work; the first failed save stops the run and is
/// returned.
pub fn run_sequential(config: &PipelineConfig) -> Result<RunReport, PipelineError> {
    config.validate()?;
    let start = Instant::now();
    let fft = Fft2::new(config.shape);
    let progress = Progress::start(config.progress, "sequential", config.images);
    let mut images = Vec::new();
    for index in 0..config.images {
        images.push(process_image(index, config.shape, &fft, &config.sink)?);
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
