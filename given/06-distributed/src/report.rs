//! What worker 0 reports: the run's images, checked exactly once, and the per-stage table.

use std::io::{self, Write};
use std::time::Duration;

use solution_03::StageTimes;

use crate::error::DistributedError;
use crate::outcome::{ImageOutcome, mean_summary};

/// A finished run as worker 0 saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributedReport {
    pub processes: usize,
    pub workers_per_process: usize,
    /// From before the dataflow was built to the last outcome at worker 0 (after connecting).
    pub wall: Duration,
    /// One outcome per image, in index order.
    pub images: Vec<ImageOutcome>,
    /// The mean power-spectrum summary over all images.
    pub mean_power: Vec<f64>,
}

impl DistributedReport {
    /// Checks that `outcomes` (in any order) hold every image `0..images` exactly once and
    /// none failed to save, then sorts them and averages their power summaries.
    ///
    /// # Errors
    /// [`DistributedError::Duplicate`], [`DistributedError::Missing`] (naming the image) or
    /// [`DistributedError::Save`].
    pub fn from_outcomes(
        images: u64,
        processes: usize,
        workers_per_process: usize,
        mut outcomes: Vec<ImageOutcome>,
        wall: Duration,
    ) -> Result<DistributedReport, DistributedError> {
        outcomes.sort_by_key(|o| o.index);
        for pair in outcomes.windows(2) {
            if pair[0].index == pair[1].index {
                return Err(DistributedError::Duplicate {
                    index: pair[0].index,
                });
            }
        }
        if let Some(missing) =
            (0..images).find(|&i| outcomes.get(i as usize).map(|o| o.index) != Some(i))
        {
            return Err(DistributedError::Missing {
                index: missing,
                received: outcomes.len(),
            });
        }
        if let Some(o) = outcomes.iter().find(|o| o.save_error.is_some()) {
            return Err(DistributedError::Save {
                index: o.index,
                reason: o.save_error.clone().unwrap_or_default(),
            });
        }
        let mean_power = mean_summary(outcomes.iter().map(|o| o.power.as_slice()));
        Ok(DistributedReport {
            processes,
            workers_per_process,
            wall,
            images: outcomes,
            mean_power,
        })
    }

    /// `(index, checksum)` in index order: comparable with section 03's
    /// `RunReport::checksums`.
    pub fn checksums(&self) -> Vec<(u64, u64)> {
        self.images.iter().map(|o| (o.index, o.checksum)).collect()
    }

    /// Stage times summed over every image.
    pub fn stage_totals(&self) -> StageTimes {
        self.images
            .iter()
            .fold(StageTimes::default(), |sum, o| sum + o.times())
    }

    /// Mean bytes per image sent to worker 0 (the outcome records, bincode).
    pub fn wire_bytes_per_image(&self) -> f64 {
        let total: u64 = self.images.iter().map(ImageOutcome::wire_bytes).sum();
        total as f64 / self.images.len().max(1) as f64
    }

    /// Images per worker, indexed by timely's global worker index.
    pub fn images_per_worker(&self) -> Vec<usize> {
        let mut counts = vec![0; self.processes * self.workers_per_process];
        for o in &self.images {
            if let Some(c) = counts.get_mut(o.placement.worker) {
                *c += 1;
            }
        }
        counts
    }

    /// Images per second of wall-clock time.
    pub fn images_per_second(&self) -> f64 {
        self.images.len() as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    // ANCHOR: print_table
    /// Prints the run in the layout of `eo-pipeline`'s table (mean time per image in each
    /// stage), then the images per worker, the bytes sent per image and the aggregate.
    ///
    /// # Errors
    /// Writing to `out` failed.
    pub fn print(&self, out: &mut impl Write) -> io::Result<()> {
        let n = self.images.len().max(1) as u32;
        let t = self.stage_totals();
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1e3);
        writeln!(
            out,
            "{:<22} {:>7} {:>10} {:>9} {:>10} {:>10} {:>10} {:>10}",
            "run", "images", "wall", "images/s", "load", "smooth", "fft2", "save"
        )?;
        writeln!(
            out,
            "{:<22} {:>7} {:>10} {:>9.1} {:>10} {:>10} {:>10} {:>10}",
            format!(
                "{} process x {} worker",
                self.processes, self.workers_per_process
            ),
            self.images.len(),
            format!("{:.3} s", self.wall.as_secs_f64()),
            self.images_per_second(),
            ms(t.load / n),
            ms(t.smooth / n),
            ms(t.fft2 / n),
            ms(t.save / n),
        )?;
        writeln!(out, "\nimages per worker: {:?}", self.images_per_worker())?;
        writeln!(
            out,
            "sent to worker 0: {:.0} bytes per image (checksum, times, placement and a {}-value \
             power summary)",
            self.wire_bytes_per_image(),
            self.mean_power.len()
        )?;
        let peak = self.mean_power.iter().copied().fold(0.0, f64::max);
        writeln!(
            out,
            "mean power spectrum: {} values, DC {:.6e}, largest {:.6e}",
            self.mean_power.len(),
            self.mean_power.first().copied().unwrap_or(0.0),
            peak
        )
    }
    // ANCHOR_END: print_table
}
