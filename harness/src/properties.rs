//! A deterministic proptest runner that reports like the rest of the harness.
//!
//! Property checks run through [`check`] rather than the `proptest!` macro so that the
//! harness controls the seed (every run explores the same cases, so a failure seen once is
//! seen again) and the message (the shrunk counterexample, each input on its own line under
//! its name, bounded in length, plus the book section to read).

use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use ndarray::{ArrayBase, Data, Dimension};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::compare::truncated_debug;

/// How many random cases each property check tries (after its fixed examples).
pub const CASES: u32 = 96;

/// The most simplification steps a shrink may take, and the longest it may run. The
/// harness shrinks with proptest's value trees but drives the loop itself, so that when a
/// budget runs out the failure says so in one sentence, instead of proptest's note about
/// `PROPTEST_MAX_SHRINK_ITERS` printed into every learner's output (its default budget,
/// 4 × `CASES` steps, ran out on most image properties).
/// Measured on the mutants in `harness/tests` (2 cores, load 4): most shrinks end within
/// 300 steps and 0.1 s; the image properties take about 20,000 steps and 4 s; a list of
/// 8,833 pairs whose fault is in its last element (an unrolled loop that drops the
/// remainder) still meets the time budget, because proptest removes elements one at a time.
const SHRINK_STEPS: u32 = 100_000;
const SHRINK_TIME: Duration = Duration::from_secs(10);

/// Characters of one input shown in a failure; the rest is cut with a count.
const SHOWN_PER_INPUT: usize = 400;

/// A property's input, split into the parts its labels name: a tuple's elements, or one
/// array or value as a whole.
pub trait Inputs {
    /// Each part's debug text, in order.
    fn parts(&self) -> Vec<String>;
}

macro_rules! tuple_inputs {
    ($($part:ident $index:tt),+) => {
        impl<$($part: Debug),+> Inputs for ($($part,)+) {
            fn parts(&self) -> Vec<String> {
                vec![$(shown(&self.$index)),+]
            }
        }
    };
}
tuple_inputs!(A 0, B 1);
tuple_inputs!(A 0, B 1, C 2);
tuple_inputs!(A 0, B 1, C 2, D 3);

impl<S: Data, D: Dimension> Inputs for ArrayBase<S, D>
where
    S::Elem: Debug,
{
    fn parts(&self) -> Vec<String> {
        vec![shown(self)]
    }
}

/// A value's debug text, bounded, without ndarray's memory-layout details (strides, layout
/// flags, dimensionality): the learner needs the values and the shape.
fn shown(value: &impl Debug) -> String {
    let mut text = truncated_debug(value, SHOWN_PER_INPUT);
    while let Some(start) = text.find(", strides=") {
        let tail = &text[start..];
        let end = tail
            .find("const ndim=")
            .map(|at| at + "const ndim=".len())
            .map(|at| {
                at + tail[at..]
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(tail.len() - at)
            });
        match end {
            Some(end) => text.replace_range(start..start + end, ""),
            None => break,
        }
    }
    text
}

/// The counterexample, one labelled part per line.
fn labelled(labels: &[&str], value: &impl Inputs) -> String {
    let parts = value.parts();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    labels
        .iter()
        .zip(&parts)
        .map(|(label, part)| format!("  {label:<width$} = {part}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `property` on `CASES` inputs drawn from `strategy`; on failure, shrinks to a small
/// counterexample and panics with it, each part of the input under its name in `labels`
/// (one label per tuple element, or one for a single array).
///
/// `property` returns `Err(report)` to fail.
///
/// # Panics
/// When the property fails, and when `labels` does not name every part of the input (a
/// mistake in the harness, caught on the first case so it cannot hide until a failure).
#[track_caller]
pub fn check<S>(
    what: &str,
    book: &str,
    labels: &[&str],
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), String>,
) where
    S: Strategy,
    S::Value: Inputs + Debug,
{
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    for case in 0..CASES {
        let mut tree = strategy
            .new_tree(&mut runner)
            .unwrap_or_else(|why| panic!("{what}: could not draw case {case}: {why}"));
        if case == 0 {
            let parts = tree.current().parts().len();
            assert_eq!(
                parts,
                labels.len(),
                "harness bug in \"{what}\": {} labels ({labels:?}) for {parts} input parts",
                labels.len()
            );
        }
        if let Err(reason) = run_case(&property, tree.current()) {
            let (minimal, reason, complete) = shrink(&mut tree, &property, reason);
            // The property's own report may already end with the book pointer: say it once.
            let pointer = if reason.contains("read: book §") {
                String::new()
            } else {
                format!("\n  read: {book}")
            };
            let shrunk = if complete {
                "proptest shrank the input to a small counterexample"
            } else {
                "proptest shrank the input as far as its budget allowed; it may be larger than \
                 the fault needs"
            };
            panic!(
                "{what}: property failed ({shrunk})\ninput:\n{}\n{reason}{pointer}",
                labelled(labels, &minimal)
            )
        }
    }
}

/// One case: the property's report, or the message of a panic inside it.
fn run_case<V>(property: &impl Fn(V) -> Result<(), String>, value: V) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| property(value))).unwrap_or_else(|payload| {
        Err(format!(
            "it panicked: {}",
            measure::panic_message(&*payload)
        ))
    })
}

/// Simplifies a failing input while it keeps failing (proptest's own search: `simplify`
/// after a failure, `complicate` after a pass), within the step and time budget. Returns
/// the smallest input seen to fail (kept, not re-read from the tree, whose last state may
/// be a passing one), its report, and whether the search ran to its end.
fn shrink<T: ValueTree>(
    tree: &mut T,
    property: &impl Fn(T::Value) -> Result<(), String>,
    mut reason: String,
) -> (T::Value, String, bool) {
    let started = Instant::now();
    let mut failing = tree.current();
    let mut steps = 0;
    let mut more = tree.simplify();
    while more {
        if steps >= SHRINK_STEPS || started.elapsed() > SHRINK_TIME {
            return (failing, reason, false);
        }
        steps += 1;
        more = match run_case(property, tree.current()) {
            Err(failure) => {
                reason = failure;
                failing = tree.current();
                tree.simplify()
            }
            Ok(()) => tree.complicate(),
        };
    }
    (failing, reason, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn an_array_is_shown_with_its_values_and_shape_only() {
        let text = shown(&array![[1.0, 2.0], [3.0, 4.0]]);
        assert!(
            text.contains("[[1.0, 2.0],") && text.ends_with("shape=[2, 2]"),
            "{text}"
        );
        assert!(
            !text.contains("strides") && !text.contains("ndim"),
            "{text}"
        );
    }

    #[test]
    fn a_failure_names_each_input_and_keeps_the_smallest_failing_one() {
        let outcome = std::panic::catch_unwind(|| {
            check(
                "sums stay small",
                "book §0",
                &["left", "right"],
                (0_i32..1000, 0_i32..1000),
                |(a, b)| {
                    if a + b < 100 {
                        Ok(())
                    } else {
                        Err("too big".into())
                    }
                },
            )
        });
        let message = measure::panic_message(&*outcome.expect_err("the property fails"));
        assert!(message.contains("small counterexample"), "{message}");
        // Shrinking moves both toward zero while the sum stays >= 100.
        assert!(
            message.contains("  left  = ") && message.contains("  right = "),
            "{message}"
        );
        let sum: i32 = message
            .lines()
            .filter_map(|l| l.split(" = ").nth(1))
            .map(|v| v.trim().parse::<i32>().expect("a number"))
            .sum();
        assert_eq!(sum, 100, "{message}");
        assert!(message.ends_with("read: book §0"), "{message}");
    }

    #[test]
    fn labels_that_do_not_match_the_input_are_a_harness_bug_caught_at_once() {
        let outcome = std::panic::catch_unwind(|| {
            check(
                "one label for two parts",
                "book §0",
                &["only"],
                (0_u8..3, 0_u8..3),
                |_| Ok(()),
            )
        });
        let message = measure::panic_message(&*outcome.expect_err("mismatched labels"));
        assert!(message.contains("harness bug"), "{message}");
    }
}
