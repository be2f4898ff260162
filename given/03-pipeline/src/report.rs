//! What a run reports: per image, and for the whole run. Given code (not part of the exercise).

use std::collections::HashSet;
use std::ops::Add;
use std::thread::ThreadId;
use std::time::Duration;

/// Wall-clock time spent in each stage (of one image, or summed over images).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimes {
    pub load: Duration,
    pub smooth: Duration,
    pub fft2: Duration,
    pub save: Duration,
}

impl StageTimes {
    /// The four stages together.
    pub fn total(&self) -> Duration {
        self.load + self.smooth + self.fft2 + self.save
    }
}

impl Add for StageTimes {
    type Output = StageTimes;
    fn add(self, other: StageTimes) -> StageTimes {
        StageTimes {
            load: self.load + other.load,
            smooth: self.smooth + other.smooth,
            fft2: self.fft2 + other.fft2,
            save: self.save + other.save,
        }
    }
}

/// What one image produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageResult {
    /// The image's index (its seed).
    pub index: u64,
    /// [`spectrum_checksum`](crate::spectrum_checksum) of its spectrum.
    pub checksum: u64,
    /// Time in each stage.
    pub times: StageTimes,
    /// The thread that processed it (`std::thread::current().id()`).
    pub thread: ThreadId,
}

/// What a run produced: one [`ImageResult`] per image, in index order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// Threads the run was given (1 for a sequential run).
    pub threads: usize,
    /// Wall-clock time of the whole run, from before planning the FFT to after the last
    /// image.
    pub wall: Duration,
    /// Per-image results; `images[i].index == i`.
    pub images: Vec<ImageResult>,
}

impl RunReport {
    /// The stage times summed over every image (CPU-side work, so in a parallel run the
    /// sum exceeds the wall-clock time).
    pub fn stage_totals(&self) -> StageTimes {
        self.images
            .iter()
            .fold(StageTimes::default(), |sum, image| sum + image.times)
    }

    /// Images completed per second of wall-clock time.
    pub fn images_per_second(&self) -> f64 {
        self.images.len() as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    /// How many different threads processed images.
    pub fn distinct_threads(&self) -> usize {
        self.images
            .iter()
            .map(|image| image.thread)
            .collect::<HashSet<_>>()
            .len()
    }

    /// `(index, checksum)` of every image, in the report's order: what must be identical
    /// between runs.
    pub fn checksums(&self) -> Vec<(u64, u64)> {
        self.images
            .iter()
            .map(|image| (image.index, image.checksum))
            .collect()
    }
}
