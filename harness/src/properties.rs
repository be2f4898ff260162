//! A deterministic proptest runner that reports like the rest of the harness.
//!
//! Property checks run through [`check`] rather than the `proptest!` macro so that the
//! harness controls the seed (every run explores the same cases, so a failure seen once is
//! seen again) and the message (the shrunk counterexample, bounded in length, plus the
//! book section to read).

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use crate::compare::truncated_debug;

/// How many random cases each property check tries (after its fixed examples).
pub const CASES: u32 = 96;

/// Runs `property` on `CASES` inputs drawn from `strategy`; on failure, shrinks to a small
/// counterexample and panics with it. `property` returns `Err(report)` to fail.
#[track_caller]
pub fn check<S>(
    what: &str,
    book: &str,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), String>,
) where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&strategy, |value| {
        property(value).map_err(TestCaseError::fail)
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, minimal)) => {
            // The property's own report may already end with the book pointer: say it once.
            let reason = reason.to_string();
            let pointer = if reason.contains("read: book §") {
                String::new()
            } else {
                format!("\n  read: {book}")
            };
            panic!(
                "{what}: property failed (proptest shrank the input to a small counterexample)\n\
                 input: {}\n{reason}{pointer}",
                truncated_debug(&minimal, 600)
            )
        }
        Err(TestError::Abort(reason)) => panic!("{what}: property test aborted: {reason}"),
    }
}
