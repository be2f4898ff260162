//! Paired, interleaved timing: is implementation A at least `k` times faster than B?
//!
//! Absolute times mean nothing on a shared, noisy 2-core machine; a ratio of two
//! implementations measured in the same process, at the same moment, means a lot more. So:
//! - both run a few warm-up rounds first (caches, page faults, lazy initialisation);
//! - then they alternate, A-B, B-A, A-B, …, so a slow patch of the machine hits both;
//! - each side's **median** is taken, which ignores the odd run that was interrupted;
//! - every result passes through [`std::hint::black_box`] so the work cannot be optimised away;
//! - timing checks run alone ([`crate::check::run`] holds an exclusive lock);
//! - thresholds sit at least 2x below the ratio the reference solution reaches here, and the
//!   measured ratio is written next to each threshold.

use std::fmt;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Timings of one implementation.
#[derive(Debug, Clone)]
pub struct Sample {
    runs: Vec<Duration>,
}

impl Sample {
    /// Wraps raw run times. Panics if `runs` is empty.
    pub fn new(mut runs: Vec<Duration>) -> Sample {
        assert!(!runs.is_empty(), "a sample needs at least one run");
        runs.sort();
        Sample { runs }
    }

    pub fn median(&self) -> Duration {
        let n = self.runs.len();
        if n % 2 == 1 {
            self.runs[n / 2]
        } else {
            (self.runs[n / 2 - 1] + self.runs[n / 2]) / 2
        }
    }

    pub fn min(&self) -> Duration {
        self.runs[0]
    }

    pub fn max(&self) -> Duration {
        self.runs[self.runs.len() - 1]
    }

    pub fn len(&self) -> usize {
        self.runs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Every run multiplied by `factor`: to compare runs of different sizes per unit of work.
    pub fn scaled(&self, factor: f64) -> Sample {
        Sample::new(self.runs.iter().map(|d| d.mul_f64(factor)).collect())
    }
}

impl fmt::Display for Sample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "median {} (min {}, max {}) over {} runs",
            format_duration(self.median()),
            format_duration(self.min()),
            format_duration(self.max()),
            self.len()
        )
    }
}

/// `1.23 ms`, `456 µs`, `2.10 s`: three significant digits, readable in a terminal.
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 1e-3 {
        format!("{:.2} ms", secs * 1e3)
    } else if secs >= 1e-6 {
        format!("{:.1} µs", secs * 1e6)
    } else {
        format!("{:.0} ns", secs * 1e9)
    }
}

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

/// A speed requirement: `fast` must be at least `at_least` times faster than `slow`.
#[derive(Debug, Clone, Copy)]
pub struct Speedup<'a> {
    /// What is being judged, e.g. "your vectorised_add".
    pub fast: &'a str,
    /// What it is compared with, e.g. "the boxed model (reference naive_add)".
    pub slow: &'a str,
    /// The threshold: median(slow) / median(fast) must reach it.
    pub at_least: f64,
    /// What the reference solution measures here, quoted in the failure message.
    pub measured: &'a str,
    /// Where to read about it.
    pub book: &'a str,
}

impl Speedup<'_> {
    /// Panics with both medians, the ratio and the threshold unless `fast` met the threshold.
    #[track_caller]
    pub fn assert(&self, fast: &Sample, slow: &Sample) {
        let ratio = slow.median().as_secs_f64() / fast.median().as_secs_f64().max(1e-12);
        if ratio < self.at_least {
            panic!(
                "timing: {} should be at least {}x faster than {}, but the ratio was {ratio:.2}x\n  \
                 {}: {fast}\n  {}: {slow}\n  threshold {}x; {}\n  read: {}",
                self.fast,
                self.at_least,
                self.slow,
                self.fast,
                self.slow,
                self.at_least,
                self.measured,
                self.book
            );
        }
        println!(
            "timing: {} is {ratio:.2}x faster than {} (threshold {}x)\n  {}: {fast}\n  {}: {slow}",
            self.fast, self.slow, self.at_least, self.fast, self.slow
        );
    }
}

/// The optimisation level the harness was built with (Cargo's `OPT_LEVEL`).
pub const HARNESS_OPT_LEVEL: &str = env!("HARNESS_OPT_LEVEL");

/// Whether this harness build is optimised enough for timings to mean something.
pub fn harness_is_optimised() -> bool {
    !cfg!(debug_assertions) && matches!(HARNESS_OPT_LEVEL, "2" | "3")
}

/// Panics with an explanation, instead of judging, when the harness or the crate under test
/// was built without optimisation. A timing check must never pass by default.
#[track_caller]
pub fn require_optimised_build(caller_debug_assertions: bool) {
    if caller_debug_assertions || !harness_is_optimised() {
        panic!(
            "refusing to judge timing: this test binary was built without full optimisation \
             (harness opt-level {HARNESS_OPT_LEVEL}, debug assertions in harness: {}, in the crate \
             under test: {caller_debug_assertions}).\n  Unoptimised timings are meaningless (ratios \
             can even flip), so this check neither passes nor judges your code.\n  Run the tests \
             from the workspace root with the course's test profile, e.g. `cargo test -p \
             exercise-01`, without overriding [profile.test] (see README.md, \"Profiles\").",
            cfg!(debug_assertions)
        );
    }
}

/// Whether the machine has at least `cores` cores for a parallel-speedup check. Prints the
/// reason when it does not, so a skipped check is visible in the test output.
pub fn has_cores_for(check: &str, cores: usize) -> bool {
    let available = std::thread::available_parallelism().map_or(1, |n| n.get());
    if available < cores {
        println!(
            "SKIPPED {check}: needs {cores} cores to measure a parallel speedup, this machine has {available}"
        );
        return false;
    }
    true
}
