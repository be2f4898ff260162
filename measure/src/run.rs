//! Timing one implementation, or two in alternation.
//!
//! - both run a few warm-up rounds first (caches, page faults, lazy initialisation);
//! - two implementations alternate, A-B, B-A, A-B, …, so a slow patch of the machine hits
//!   both;
//! - every result passes through [`black_box`] so the work cannot be optimised away, and
//!   is dropped inside the timed region (numpy's `Z = X + Y` also frees the previous `Z`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::Sample;

fn time_once<R>(f: &mut impl FnMut() -> R) -> Duration {
    let start = Instant::now();
    // Dropping the result is part of the cost being measured: numpy's `Z = X + Y` also frees
    // the previous `Z`.
    drop(black_box(f()));
    start.elapsed()
}

/// Times `f` alone: `warmup` unrecorded calls, then `runs` recorded ones.
pub fn measure<R>(warmup: usize, runs: usize, mut f: impl FnMut() -> R) -> Sample {
    for _ in 0..warmup {
        time_once(&mut f);
    }
    Sample::new((0..runs).map(|_| time_once(&mut f)).collect())
}

/// Times `a` and `b` in alternating order (A-B, then B-A, …) after `warmup` rounds.
pub fn interleaved<RA, RB>(
    warmup: usize,
    rounds: usize,
    mut a: impl FnMut() -> RA,
    mut b: impl FnMut() -> RB,
) -> (Sample, Sample) {
    for _ in 0..warmup {
        time_once(&mut a);
        time_once(&mut b);
    }
    let mut runs_a = Vec::with_capacity(rounds);
    let mut runs_b = Vec::with_capacity(rounds);
    for round in 0..rounds {
        if round % 2 == 0 {
            runs_a.push(time_once(&mut a));
            runs_b.push(time_once(&mut b));
        } else {
            runs_b.push(time_once(&mut b));
            runs_a.push(time_once(&mut a));
        }
    }
    (Sample::new(runs_a), Sample::new(runs_b))
}
