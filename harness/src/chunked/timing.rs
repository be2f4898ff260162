//! Section 05, step 3 timed: with your order, the rayon executor runs the lesson's pipeline
//! (map_overlap(1, smooth) → mean) at least 1.7× faster than the sequential executor, judged
//! only in rounds in which two cores were free ([`crate::timing::quiet_rounds`]).
//!
//! The executors are given code, so what this judges of yours is the order: it must leave
//! the rayon executor, which starts tasks in your order within a short window, ready work for
//! both cores (an order of one long chain of dependencies would not).

use std::sync::atomic::{AtomicBool, Ordering};

use given_05::{Boundary, ChunkedArray, Executor};

use super::{BOOK_ORDER, ChunkedApi, order_only};
use crate::timing::Speedup;

/// The timed array: 4000 × 4000 f64 (128 MB, made chunk by chunk) in 500² chunks.
pub const TIMING_SIDE: usize = 4000;
/// The timed chunks: 64 of them, enough for both cores at any moment.
pub const TIMING_CHUNK: usize = 500;

/// Threshold for [`timing_order_rayon_vs_sequential`], the goal. The same pipeline
/// (this array, these chunks, split_every 8) measured 1.93x with the reference order in the
/// demo's recorded table while other processes used one of the two cores
/// (book/src/generated/demo-05.md, 2026-11-26). This check's own verdicts on the reference:
/// 2.70x, 7 of 7 rounds judged (probe 1.93-1.99x), `cargo test -p solution-05 --test checks
/// timing_ -- --include-ignored`, quiet machine (load average 0.9 → 1.4), 2026-11-26 18:57
/// UTC; and 2.30x inside `cargo xtask verify` in CI the same evening. Above 2x, because the
/// calling thread keeps the books and frees chunks while the pool's two threads compute. A
/// sequential executor in its place measured 0.98x in this check's judged rounds (3 of 7,
/// `cargo test -p harness --features chunked --test mutants_chunked timing`, 2-core EPYC VM,
/// 2026-11-26, load average 3.6). So 1.7x is the goal and sits below every measured
/// ratio; it is not halved, because half of 1.93 would accept 1.0x.
pub const RAYON_VS_SEQUENTIAL_AT_LEAST: f64 = 1.7;
/// What the reference solution measured, quoted in failure messages.
pub const RAYON_VS_SEQUENTIAL_MEASURED: &str = "the reference order measured 2.30-2.70x when judged \
     (1.93x in the demo with another process on one of the 2 cores)";

static TIMING_SKIPPED: AtomicBool = AtomicBool::new(false);

/// Whether the last timing check of this module in this process could not judge (a busy
/// machine or one core), for the mutant test, which cannot prove a rejection then.
pub fn last_timing_check_skipped() -> bool {
    TIMING_SKIPPED.load(Ordering::Relaxed)
}

/// The rayon executor against the sequential one, with your order and the harness's other
/// steps, on the lesson's pipeline.
pub fn timing_order_rayon_vs_sequential(api: &ChunkedApi) {
    rayon_speedup_with(api, Executor::Rayon);
}

/// [`timing_order_rayon_vs_sequential`] with `parallel` standing for the rayon executor: the
/// mutant test passes [`Executor::Sequential`] (a rayon executor that is secretly sequential)
/// to prove the threshold rejects it.
pub fn rayon_speedup_with(api: &ChunkedApi, parallel: Executor) {
    let steps = order_only(api);
    // A plain call first: a stub fails here with its own message.
    let _ = (api.execution_order)(&given_05::Graph::new(), &[]);
    let array = ChunkedArray::seeded(
        (TIMING_SIDE, TIMING_SIDE),
        (TIMING_CHUNK, TIMING_CHUNK),
        steps,
        64,
    )
    .expect("valid chunks")
    .map_overlap(1, Boundary::Absent, given_05::smooth);
    let mean = |executor| array.mean(8, executor).expect("split_every >= 2");
    let judged = crate::timing::quiet_rounds(
        "timing_order_rayon_vs_sequential",
        || mean(parallel),
        || mean(Executor::Sequential),
    );
    TIMING_SKIPPED.store(judged.is_none(), Ordering::Relaxed);
    if let Some((fast, slow)) = judged {
        Speedup {
            fast: "the rayon executor running your order",
            slow: "the sequential executor running your order",
            at_least: RAYON_VS_SEQUENTIAL_AT_LEAST,
            measured: RAYON_VS_SEQUENTIAL_MEASURED,
            book: BOOK_ORDER,
        }
        .assert(&fast, &slow);
    }
}
