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
