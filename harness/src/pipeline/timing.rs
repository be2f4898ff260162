//! §3.6: the parallel run's speedup over the sequential one, judged only in rounds in
//! which two cores were free.

use std::sync::atomic::{AtomicBool, Ordering};

use given_03::{PipelineConfig, PipelineError, RunReport};
use rayon::prelude::*;

use super::runs::Run;
use super::{BOOK_MEASURE, PipelineApi};
use crate::timing::{Sample, Speedup, has_cores_for};

/// Images per run in the timing check (the tutorial's size).
pub const TIMING_IMAGES: u64 = 8;
/// Rounds of the timing check; each runs the four pipelines once (~1 s in all).
pub const TIMING_ROUNDS: usize = 7;
/// A round is judged only if the harness's probe (`probe_image`, pure arithmetic on 2
/// threads vs 1), timed in the same round, reached at least this speedup: below it another
/// process held a core during the round. The probe measured 1.80-1.98x in most rounds and
/// 1.42-1.52x in the odd disturbed one (`cargo test -p solution-03 timing_ -- --show-output`,
/// 2-core Xeon VM, 2026-11-26, load average 1.4).
pub const PROBE_SPEEDUP_NEEDED: f64 = 1.5;
/// Fewer judged rounds than this, and the check is skipped as on a one-core machine.
pub const TIMING_ROUNDS_NEEDED: usize = 3;

fn time_run(run: impl FnOnce() -> Result<RunReport, PipelineError>) -> std::time::Duration {
    let start = std::time::Instant::now();
    let report = run().expect("a valid configuration");
    let elapsed = start.elapsed();
    drop(std::hint::black_box(report));
    elapsed
}

/// The probe's work for one image: a fixed amount of arithmetic with no memory traffic
/// (about 3 ms), so that its speedup on 2 threads says one thing only: whether two cores
/// were free. Written here, so that the probe never runs the learner's code or the
/// solution's.
fn probe_image(index: &u64) {
    let mut x = index.wrapping_add(0x9E37_79B9_7F4A_7C15);
    for _ in 0..PROBE_STEPS {
        // xorshift64*: a dependent chain the compiler cannot shorten.
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
    }
    std::hint::black_box(x);
}

/// Steps of `probe_image`'s chain per image.
const PROBE_STEPS: u64 = 2_000_000;

/// Times one probe run over the timing check's images.
fn time_probe(run: impl FnOnce(&[u64])) -> std::time::Duration {
    let work: Vec<u64> = (0..TIMING_IMAGES).collect();
    let start = std::time::Instant::now();
    run(&work);
    start.elapsed()
}

/// Your parallel run with 2 threads against your sequential run, same 8 images.
///
/// A parallel speedup can only be seen when two cores are free, and on a shared machine
/// they come and go within seconds. So every round times four runs back to back (order
/// alternating between rounds): yours parallel and sequential, and the harness's probe (a fixed
/// parallel workload, `probe_image`) on 2 threads and on 1. A round counts only if the
/// probe reached [`PROBE_SPEEDUP_NEEDED`] in it — then the
/// machine had two cores for that round. Your medians over the counted rounds must meet
/// the threshold. With fewer than [`TIMING_ROUNDS_NEEDED`] counted rounds the check is
/// skipped with a printed reason, as on a one-core machine.
pub fn timing_parallel_vs_sequential(api: &PipelineApi) {
    let config = PipelineConfig::new(TIMING_IMAGES, given_03::TUTORIAL_SHAPE);
    // A plain call first: a stub fails here with its own message.
    Run::Parallel(2)
        .call(api, &PipelineConfig::new(1, (2, 2)))
        .ok();
    Run::Sequential
        .call(api, &PipelineConfig::new(1, (2, 2)))
        .ok();
    if !has_cores_for("timing_parallel_vs_sequential", 2) {
        return;
    }
    TIMING_SKIPPED.store(false, Ordering::Relaxed);
    let yours_parallel = || time_run(|| (api.run_parallel)(&config, 2));
    let yours_sequential = || time_run(|| (api.run_sequential)(&config));
    let probe_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a pool of 2 threads for the probe");
    let reference_parallel =
        || time_probe(|work| probe_pool.install(|| work.par_iter().for_each(probe_image)));
    let reference_sequential = || time_probe(|work| work.iter().for_each(probe_image));
    // Warm-up: page tables, thread creation, lazy initialisation.
    yours_parallel();
    yours_sequential();
    reference_parallel();
    reference_sequential();

    let (mut fast, mut slow, mut reference_ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..TIMING_ROUNDS {
        let (yp, ys, rp, rs) = if round % 2 == 0 {
            let (yp, ys) = (yours_parallel(), yours_sequential());
            let (rp, rs) = (reference_parallel(), reference_sequential());
            (yp, ys, rp, rs)
        } else {
            let (rs, rp) = (reference_sequential(), reference_parallel());
            let (ys, yp) = (yours_sequential(), yours_parallel());
            (yp, ys, rp, rs)
        };
        let reference_ratio = rs.as_secs_f64() / rp.as_secs_f64().max(1e-12);
        reference_ratios.push(reference_ratio);
        if reference_ratio >= PROBE_SPEEDUP_NEEDED {
            fast.push(yp);
            slow.push(ys);
        }
    }
    if fast.len() >= TIMING_ROUNDS_NEEDED {
        println!(
            "timing: {} of {TIMING_ROUNDS} rounds judged (probe speedups {reference_ratios:.2?})",
            fast.len()
        );
        Speedup {
            fast: "your run_parallel (2 threads)",
            slow: "your run_sequential",
            at_least: PARALLEL_VS_SEQUENTIAL_AT_LEAST,
            measured: PARALLEL_VS_SEQUENTIAL_MEASURED,
            book: BOOK_MEASURE,
        }
        .assert(&Sample::new(fast), &Sample::new(slow));
        return;
    }
    // Like a one-core machine (`has_cores_for`): a busy machine has no second core to
    // offer, so the check is skipped, visibly. `mechanism_runs_use_the_threads_they_should`
    // still judges that the run spreads its images over two threads.
    TIMING_SKIPPED.store(true, Ordering::Relaxed);
    crate::timing::not_judged(
        "timing_parallel_vs_sequential",
        &format!(
            "another process was using a core: the harness's probe, timed in the same rounds, \
             reached {PROBE_SPEEDUP_NEEDED}x in only {} of {TIMING_ROUNDS} rounds (its speedups: \
             {reference_ratios:.2?}; {TIMING_ROUNDS_NEEDED} needed)",
            fast.len()
        ),
    );
    println!(
        "SKIPPED timing_parallel_vs_sequential: another process was using a core. The \
         harness's probe, timed in the same rounds, reached {PROBE_SPEEDUP_NEEDED}x in \
         only {} of {TIMING_ROUNDS} rounds (its speedups: {reference_ratios:.2?}; \
         {TIMING_ROUNDS_NEEDED} needed). Rerun `cargo test -p exercise-03 timing_` when the \
         machine is quiet.",
        fast.len()
    );
}

static TIMING_SKIPPED: AtomicBool = AtomicBool::new(false);

/// Whether the last [`timing_parallel_vs_sequential`] in this process was skipped because
/// the machine was busy (for the mutant tests, which cannot prove a rejection then).
pub fn last_timing_check_skipped() -> bool {
    TIMING_SKIPPED.load(Ordering::Relaxed)
}

/// Threshold for [`timing_parallel_vs_sequential`]. The reference solution measured 1.94x,
/// 1.89x and 1.91x (`cargo test -p solution-03 timing_ -- --nocapture`, 2-core Xeon VM,
/// 2026-11-25, other agents compiling at times: hence rounds are judged only when the
/// reference reaches 1.5x in them; a run with another process on a core measured 0.99x).
/// Halving the ratio would allow 1.0x, which a secretly sequential run reaches; instead the
/// threshold keeps the required *gain* (0.3) about 3x below the measured one (0.9), and
/// still rejects a sequential run relabelled as parallel (0.99x measured).
pub const PARALLEL_VS_SEQUENTIAL_AT_LEAST: f64 = 1.3;
/// What the reference solution measured, quoted in failure messages.
pub const PARALLEL_VS_SEQUENTIAL_MEASURED: &str =
    "the reference solution measures 1.9x on 2 quiet cores";
