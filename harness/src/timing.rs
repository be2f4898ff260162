//! Timing checks: is implementation A at least `k` times faster than B?
//!
//! The stopwatch itself ([`Sample`], [`measure`], [`interleaved`]) is the `measure` crate's,
//! shared with the demonstration and the benches. What this module adds is judging:
//! - each side's **median** is compared, which ignores the odd run that was interrupted;
//! - timing checks run alone ([`crate::check::run`] holds an exclusive lock);
//! - a build without optimisation is refused, never judged ([`require_optimised_build`]);
//! - thresholds sit at least 2x below the ratio the reference solution reaches here, and the
//!   measured ratio is written next to each threshold.

pub use measure::{Sample, format_duration, interleaved, measure};

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

/// Whether the machine has at least `cores` cores for a parallel-speedup check. Says so
/// ([`not_judged`]) when it does not.
pub fn has_cores_for(check: &str, cores: usize) -> bool {
    let available = measure::cores();
    if available < cores {
        not_judged(
            check,
            &format!(
                "it needs {cores} cores to see a parallel speedup; this machine has {available}"
            ),
        );
        return false;
    }
    true
}

/// Reports that timing check `check` could not judge, and why, straight to the terminal:
/// libtest hides what a passing test prints, and a check that did not judge must never look
/// like one that passed. The check then returns without failing (the machine, not the code,
/// was the problem); run it again on a quiet machine.
pub fn not_judged(check: &str, why: &str) {
    use std::io::Write as _;
    let line = format!("NOT JUDGED {check}: {why}. Run it again when the machine is quiet.\n");
    // Written to the process's stderr directly, past libtest's capture of `eprintln!`.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
    println!("{}", line.trim_end());
}

/// Rounds of a parallel-speedup check ([`quiet_rounds`]).
pub const QUIET_ROUNDS: usize = 7;
/// Fewer rounds with two free cores than this, and a parallel-speedup check does not judge.
pub const QUIET_ROUNDS_NEEDED: usize = 3;
/// A round counts only if the probe ([`probe_round`]) reached at least this speedup on 2
/// threads in it: below it another process held a core during the round. The probe measured
/// 1.80-1.98x in most rounds and 1.42-1.52x in the odd disturbed one (`cargo test -p
/// solution-03 timing_ -- --include-ignored --show-output`, 2-core Xeon VM, 2026-11-26,
/// load average 1.4), and about 1.0x while another process kept a core busy.
pub const PROBE_SPEEDUP_NEEDED: f64 = 1.5;

/// Steps of the probe's arithmetic chain per item (about 3 ms).
const PROBE_STEPS: u64 = 2_000_000;
/// Items per probe run.
const PROBE_ITEMS: u64 = 8;

/// A fixed amount of arithmetic with no memory traffic, so that its speedup on two threads
/// says one thing only: whether two cores were free. Written here, so that the probe never
/// runs the learner's code or the solution's.
fn probe_item(index: u64) -> u64 {
    let mut x = index.wrapping_add(0x9E37_79B9_7F4A_7C15);
    for _ in 0..PROBE_STEPS {
        // xorshift64*: a dependent chain the compiler cannot shorten.
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
    }
    x
}

/// One probe measurement: the items on one thread, then split over two; returns the
/// speedup (one thread's time / two threads' time).
pub fn probe_round() -> f64 {
    let start = std::time::Instant::now();
    let one: u64 = (0..PROBE_ITEMS).map(probe_item).fold(0, u64::wrapping_add);
    let sequential = start.elapsed();
    let start = std::time::Instant::now();
    let two = std::thread::scope(|s| {
        let half = s.spawn(|| {
            (0..PROBE_ITEMS / 2)
                .map(probe_item)
                .fold(0, u64::wrapping_add)
        });
        let rest: u64 = (PROBE_ITEMS / 2..PROBE_ITEMS)
            .map(probe_item)
            .fold(0, u64::wrapping_add);
        rest.wrapping_add(half.join().expect("the probe's thread does not panic"))
    });
    let parallel = start.elapsed();
    std::hint::black_box((one, two));
    sequential.as_secs_f64() / parallel.as_secs_f64().max(1e-12)
}

/// Times `fast` and `slow` (e.g. your parallel and your sequential run) in
/// [`QUIET_ROUNDS`] rounds, order alternating, each round beside a [`probe_round`], and
/// keeps only the rounds in which the probe showed two free cores: on a shared machine they
/// come and go within seconds. Returns the kept samples, or `None` — after saying so with
/// [`not_judged`] — when fewer than [`QUIET_ROUNDS_NEEDED`] rounds were quiet (as on a
/// one-core machine, which [`has_cores_for`] reports the same way).
pub fn quiet_rounds<A, B>(
    check: &str,
    mut fast: impl FnMut() -> A,
    mut slow: impl FnMut() -> B,
) -> Option<(Sample, Sample)> {
    if !has_cores_for(check, 2) {
        return None;
    }
    let time = |f: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        f();
        start.elapsed()
    };
    // Warm-up: page tables, thread creation, lazy initialisation.
    std::hint::black_box((fast(), slow(), probe_round()));
    let (mut kept_fast, mut kept_slow, mut probes) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..QUIET_ROUNDS {
        let mut run_fast = || drop(std::hint::black_box(fast()));
        let mut run_slow = || drop(std::hint::black_box(slow()));
        let (f, s, p) = if round % 2 == 0 {
            let (f, s) = (time(&mut run_fast), time(&mut run_slow));
            (f, s, probe_round())
        } else {
            let p = probe_round();
            let (s, f) = (time(&mut run_slow), time(&mut run_fast));
            (f, s, p)
        };
        probes.push(p);
        if p >= PROBE_SPEEDUP_NEEDED {
            kept_fast.push(f);
            kept_slow.push(s);
        }
    }
    if kept_fast.len() >= QUIET_ROUNDS_NEEDED {
        println!(
            "timing: {} of {QUIET_ROUNDS} rounds judged (probe speedups {probes:.2?})",
            kept_fast.len()
        );
        return Some((Sample::new(kept_fast), Sample::new(kept_slow)));
    }
    not_judged(
        check,
        &format!(
            "another process was using a core: the harness's probe, timed in the same rounds, \
             reached {PROBE_SPEEDUP_NEEDED}x in only {} of {QUIET_ROUNDS} rounds (its speedups: \
             {probes:.2?}; {QUIET_ROUNDS_NEEDED} needed)",
            kept_fast.len()
        ),
    );
    None
}
