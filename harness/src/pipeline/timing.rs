//! §3.6: the parallel run's speedup over the sequential one, judged only in rounds in
//! which two cores were free.

use std::sync::atomic::{AtomicBool, Ordering};

use given_03::{PipelineConfig, PipelineError, RunReport};

use super::runs::Run;
use super::{BOOK_MEASURE, PipelineApi};
use crate::timing::Speedup;

fn time_run(run: impl FnOnce() -> Result<RunReport, PipelineError>) -> RunReport {
    run().expect("a valid configuration")
}

/// Images per run in the timing check. Enough that the run's fixed start (a thread pool,
/// and each thread's first image touching its workspace's ~60 MB of fresh pages) is a
/// small share: with 8 images that start dominated, and the reference solution measured
/// only 1.13-1.58x (`eo-pipeline --images 8 --threads 2`, and CI's judged run, 2-core
/// Firecracker VM, 2026-11-26, all probe rounds quiet), against 1.83-1.85x with 32.
pub const TIMING_IMAGES: u64 = 32;

/// Your parallel run with 2 threads against your sequential run, same 32 images, judged
/// only in rounds in which two cores were free ([`crate::timing::quiet_rounds`]).
pub fn timing_parallel_vs_sequential(api: &PipelineApi) {
    let config = PipelineConfig::new(TIMING_IMAGES, given_03::TUTORIAL_SHAPE);
    // A plain call first: a stub fails here with its own message.
    Run::Parallel(2)
        .call(api, &PipelineConfig::new(1, (2, 2)))
        .ok();
    Run::Sequential
        .call(api, &PipelineConfig::new(1, (2, 2)))
        .ok();
    let judged = crate::timing::quiet_rounds(
        "timing_parallel_vs_sequential",
        || time_run(|| (api.run_parallel)(&config, 2)),
        || time_run(|| (api.run_sequential)(&config)),
    );
    // Like a one-core machine: a busy machine has no second core to offer, so the check
    // does not judge, visibly. `mechanism_runs_use_the_threads_they_should` still judges
    // that the run spreads its images over two threads.
    TIMING_SKIPPED.store(judged.is_none(), Ordering::Relaxed);
    if let Some((fast, slow)) = judged {
        Speedup {
            fast: "your run_parallel (2 threads)",
            slow: "your run_sequential",
            at_least: PARALLEL_VS_SEQUENTIAL_AT_LEAST,
            measured: PARALLEL_VS_SEQUENTIAL_MEASURED,
            book: BOOK_MEASURE,
        }
        .assert(&fast, &slow);
    }
}

static TIMING_SKIPPED: AtomicBool = AtomicBool::new(false);

/// Whether the last [`timing_parallel_vs_sequential`] in this process was skipped because
/// the machine was busy (for the mutant tests, which cannot prove a rejection then).
pub fn last_timing_check_skipped() -> bool {
    TIMING_SKIPPED.load(Ordering::Relaxed)
}

/// Threshold for [`timing_parallel_vs_sequential`]. With 32 images per run the reference
/// solution measured 1.61x, 1.63x, 1.72x, then medians 427/246 ms and 436/269 ms (`cargo
/// test -p solution-03 --test checks timing_ -- --include-ignored --show-output`, 2-core
/// Firecracker VM, 2026-11-26, every probe round quiet); a run with another process on a
/// core measured 0.99x, hence rounds are judged only when the probe reaches 1.5x in them.
/// Halving the ratio would allow 1.0x, which a secretly sequential run reaches; instead the
/// threshold keeps the required *gain* (0.3) about 2x below the measured one (0.6-0.7), and
/// still rejects a sequential run relabelled as parallel (0.99x measured).
pub const PARALLEL_VS_SEQUENTIAL_AT_LEAST: f64 = 1.3;
/// What the reference solution measured, quoted in failure messages.
pub const PARALLEL_VS_SEQUENTIAL_MEASURED: &str =
    "the reference solution measures 1.6-1.7x on 2 quiet cores";
