//! What crosses the process boundary: the plan every worker follows and each image's outcome.

use std::path::PathBuf;
use std::time::Duration;

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};
use solution_03::{Complex64, StageTimes};

/// What every worker of every process is asked to do. Each process builds the same plan from
/// its own command line (timely starts no code remotely: every process runs the same binary
/// with the same arguments, except `--process`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunPlan {
    /// Images `0..images`; image `i` is `load_eo_data(i, shape)` on whichever worker.
    pub images: u64,
    pub shape: (usize, usize),
    /// Worker threads in each process (timely's `-w`).
    pub workers_per_process: usize,
    /// Where this process saves the spectra of the images it processed (`None`: discarded).
    /// Each process writes to its own file system: per-host directories or shared storage.
    pub out: Option<PathBuf>,
    /// The side of the downsampled power spectrum each image sends to worker 0.
    pub summary_side: usize,
}

/// The side of the power-spectrum summary unless asked otherwise: 32 × 32 values, 8 KiB per
/// image on the wire.
pub const SUMMARY_SIDE: usize = 32;

impl RunPlan {
    /// `images` images of `shape` on `workers_per_process` workers per process, results
    /// discarded, a [`SUMMARY_SIDE`]² summary.
    pub fn new(images: u64, shape: (usize, usize), workers_per_process: usize) -> RunPlan {
        RunPlan {
            images,
            shape,
            workers_per_process,
            out: None,
            summary_side: SUMMARY_SIDE,
        }
    }
}

/// Where an image was processed: the process and the worker (timely's global worker index,
/// `process × workers_per_process + local index`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Placement {
    pub process: usize,
    pub worker: usize,
}

impl Placement {
    /// The placement of timely worker `worker_index` when each process has
    /// `workers_per_process` workers.
    ///
    /// # Panics
    /// If `workers_per_process` is 0.
    pub fn of(worker_index: usize, workers_per_process: usize) -> Placement {
        assert!(workers_per_process > 0, "a process has at least one worker");
        Placement {
            process: worker_index / workers_per_process,
            worker: worker_index,
        }
    }
}

// ANCHOR: image_outcome
/// What one image produced, sent from the worker that processed it to worker 0, possibly in
/// another process: so it must be serialisable (`Serialize`, `Deserialize`; timely encodes it
/// with bincode) and own its data (no references, no `ThreadId`, no `Instant`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageOutcome {
    pub index: u64,
    /// `spectrum_checksum` of the image's spectrum: identical to section 03's runs.
    pub checksum: u64,
    /// Nanoseconds in load, smooth, fft2 and save ([`Duration`] is serialisable, but four
    /// integers say plainly what goes on the wire).
    pub stage_nanos: [u64; 4],
    pub placement: Placement,
    /// [`power_summary`] of the spectrum: the data that makes the aggregation real.
    pub power: Vec<f64>,
    /// Why saving failed, if it did (the run then fails at worker 0, naming the image).
    pub save_error: Option<String>,
}
// ANCHOR_END: image_outcome

impl ImageOutcome {
    /// The stage times as section 03's [`StageTimes`].
    pub fn times(&self) -> StageTimes {
        let [load, smooth, fft2, save] = self.stage_nanos.map(Duration::from_nanos);
        StageTimes {
            load,
            smooth,
            fft2,
            save,
        }
    }

    /// The bytes this outcome occupies on the wire between processes (bincode, as timely
    /// sends it), without timely's message header (48 bytes per batch of records).
    ///
    /// # Panics
    /// Never: every field serialises.
    pub fn wire_bytes(&self) -> u64 {
        bincode::serialized_size(self).expect("plain data serialises")
    }

    /// The outcome as timely sends it between processes (bincode 1).
    ///
    /// # Panics
    /// Never: every field serialises.
    pub fn to_wire(&self) -> Vec<u8> {
        bincode::serialize(self).expect("plain data serialises")
    }

    /// An outcome from [`to_wire`](ImageOutcome::to_wire)'s bytes.
    ///
    /// # Errors
    /// Bytes that are not an encoded outcome.
    pub fn from_wire(bytes: &[u8]) -> Result<ImageOutcome, String> {
        bincode::deserialize(bytes).map_err(|e| e.to_string())
    }
}

/// Nanoseconds of `times`, in the order of [`ImageOutcome::stage_nanos`].
pub fn stage_nanos(times: &StageTimes) -> [u64; 4] {
    [times.load, times.smooth, times.fft2, times.save]
        .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

// ANCHOR: power_summary
/// The power spectrum `|z|²` of `spectrum`, downsampled to `side × side` by averaging blocks
/// (block `(r, c)` covers rows `r·rows/side .. (r+1)·rows/side`, likewise columns), row-major.
/// A spectrum smaller than `side` gives its own shape's worth of blocks (`min(side, rows)` ×
/// `min(side, cols)`).
///
/// # Panics
/// If `side` is 0.
pub fn power_summary(spectrum: ArrayView2<Complex64>, side: usize) -> Vec<f64> {
    assert!(side > 0, "the summary has at least one value");
    let (rows, cols) = spectrum.dim();
    let (out_rows, out_cols) = (side.min(rows), side.min(cols));
    let mut summary = vec![0.0; out_rows * out_cols];
    for r in 0..out_rows {
        let (r0, r1) = (r * rows / out_rows, (r + 1) * rows / out_rows);
        for c in 0..out_cols {
            let (c0, c1) = (c * cols / out_cols, (c + 1) * cols / out_cols);
            let block = spectrum.slice(ndarray::s![r0..r1, c0..c1]);
            let sum: f64 = block.iter().map(|z| z.norm_sqr()).sum();
            summary[r * out_cols + c] = sum / block.len().max(1) as f64;
        }
    }
    summary
}
// ANCHOR_END: power_summary

/// The element-wise mean of `summaries` (all of one length); empty for no summaries.
///
/// Summation order matters in floating point: two runs that add the same summaries in a
/// different order agree to about `1e-15` relative per value, not bit for bit.
pub fn mean_summary<'a>(summaries: impl IntoIterator<Item = &'a [f64]>) -> Vec<f64> {
    let mut sum: Vec<f64> = Vec::new();
    let mut count = 0usize;
    for s in summaries {
        if sum.is_empty() {
            sum = vec![0.0; s.len()];
        }
        for (acc, v) in sum.iter_mut().zip(s) {
            *acc += v;
        }
        count += 1;
    }
    sum.iter_mut().for_each(|v| *v /= count.max(1) as f64);
    sum
}
