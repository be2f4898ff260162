//! §4.8 — section 03's pipeline on the cluster (given code): the tutorial's submit loop.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ndarray::Array2;
use solution_03::{
    Complex64, Fft2, PipelineConfig, PipelineError, Progress, SaveError, Sink, load_eo_data,
    smooth, spectrum_checksum,
};

use crate::{Client, ClusterError, Future, LocalCluster, as_completed};

// ANCHOR: submit_image
/// Submits image `index`'s four tasks — load, smooth, FFT, save — as a chain, and returns
/// the future of the save task, whose value is the spectrum's checksum. The futures of the
/// first three are dropped at once, as in the tutorial's loop: each intermediate image is
/// freed as soon as the next stage has used it.
///
/// A failed save resolves the returned future to `Failed` naming the save task. Cost: four
/// submissions (a few µs).
///
/// # Errors
/// The cluster's refusal (`Closed`, …).
pub fn submit_image(
    client: &Client,
    index: u64,
    shape: (usize, usize),
    fft: &Arc<Fft2>,
    sink: &Arc<Sink>,
) -> Result<Future<u64>, ClusterError> {
    // Like `pure=False`: every call is a new task (here, every task always is).
    let img = client.submit("load_eo_data", move || load_eo_data(index, shape))?;
    let img = client.submit1("smooth", |image: &Array2<f64>| smooth(image.view()), &img)?;
    let fft = Arc::clone(fft);
    let img = client.submit1(
        "fft2",
        move |image: &Array2<f64>| fft.forward(image.view()),
        &img,
    )?;
    let sink = Arc::clone(sink);
    client.try_submit1(
        "save",
        move |spectrum: &Array2<Complex64>| {
            sink.save(index, spectrum.view())?;
            Ok::<u64, SaveError>(spectrum_checksum(spectrum.view()))
        },
        &img,
    )
}
// ANCHOR_END: submit_image

/// What a pipeline run on the cluster produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterRun {
    /// Workers of the cluster.
    pub workers: usize,
    /// Wall-clock time from before planning the FFT to the last checksum.
    pub wall: Duration,
    /// `(index, checksum)` of every image, in index order: comparable with
    /// `RunReport::checksums` of section 03's runs.
    pub checksums: Vec<(u64, u64)>,
}

/// Why a pipeline run on the cluster stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterRunError {
    /// The configuration was refused before any work (section 03's checks).
    Config(PipelineError),
    /// The cluster refused a task, or an image's task failed.
    Cluster(ClusterError),
}

impl fmt::Display for ClusterRunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClusterRunError::Config(e) => write!(f, "{e}"),
            ClusterRunError::Cluster(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ClusterRunError {}

// ANCHOR: run_on_cluster
/// Runs section 03's pipeline over images `0..config.images` on `cluster`: submits every
/// image's chain (the tutorial's loop), then advances the progress display as save tasks
/// complete, in whatever order they finish, and returns the checksums in index order.
///
/// Memory: all images are submitted at once, but the scheduler runs the oldest ready task
/// first, so only about one image per worker is in flight (§4.3). Cost: the images' work
/// spread over the workers, plus ~4 tasks' overhead per image.
///
/// # Errors
/// `ClusterRunError::Config` for everything `PipelineConfig::validate` rejects, before any
/// work; the first failed image (or a cluster refusal) as `ClusterRunError::Cluster`,
/// after waiting at most `timeout` in total.
pub fn run_on_cluster(
    cluster: &LocalCluster,
    config: &PipelineConfig,
    timeout: Duration,
) -> Result<ClusterRun, ClusterRunError> {
    config.validate().map_err(ClusterRunError::Config)?;
    let start = Instant::now();
    let client = cluster.client();
    let fft = Arc::new(Fft2::new(config.shape));
    let sink = Arc::new(config.sink.clone());
    let progress = Progress::start(config.progress, "cluster", config.images);
    let saves = (0..config.images)
        .map(|index| submit_image(&client, index, config.shape, &fft, &sink))
        .collect::<Result<Vec<_>, _>>()
        .map_err(ClusterRunError::Cluster)?;
    let index_of: std::collections::HashMap<u64, u64> =
        saves.iter().zip(0..).map(|(f, i)| (f.id(), i)).collect();
    let mut checksums = Vec::with_capacity(saves.len());
    for done in as_completed(saves, timeout) {
        let future = done.map_err(ClusterRunError::Cluster)?;
        let checksum = future
            .result_timeout(timeout)
            .map_err(ClusterRunError::Cluster)?;
        checksums.push((index_of[&future.id()], *checksum));
        progress.inc();
    }
    progress.finish();
    checksums.sort_unstable();
    Ok(ClusterRun {
        workers: cluster.workers(),
        wall: start.elapsed(),
        checksums,
    })
}
// ANCHOR_END: run_on_cluster
