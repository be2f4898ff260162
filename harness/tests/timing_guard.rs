//! The timing machinery itself: it refuses to judge unoptimised builds, and the workspace's
//! test profile really is optimised (otherwise every timing check would refuse).

use std::time::Duration;

use harness::check;
use harness::check::panic_message;
use harness::timing::{Sample, Speedup, harness_is_optimised, interleaved};

#[test]
fn the_workspace_test_profile_is_optimised() {
    assert!(
        harness_is_optimised(),
        "the harness was built without optimisation under `cargo test`: check [profile.test] in \
         the root Cargo.toml (opt-level 3, debug-assertions and overflow-checks off)"
    );
}

#[test]
fn timing_checks_refuse_a_caller_built_with_debug_assertions() {
    let mut ran = false;
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check::run("timing_anything", true, || ran = true)
    }));
    let message = panic_message(
        outcome
            .expect_err("a timing check must not pass in a debug build")
            .as_ref(),
    );
    assert!(message.contains("refusing to judge timing"), "{message}");
    assert!(
        !ran,
        "the check body must not run when the build is refused"
    );
}

#[test]
fn other_checks_run_in_any_build() {
    let mut ran = false;
    check::run("correctness_anything", true, || ran = true);
    assert!(ran);
}

#[test]
fn speedup_reports_both_medians_and_the_ratio_when_it_fails() {
    let fast = Sample::new(vec![Duration::from_millis(10); 3]);
    let slow = Sample::new(vec![Duration::from_millis(15); 3]);
    let requirement = Speedup {
        fast: "A",
        slow: "B",
        at_least: 2.0,
        measured: "about 3x",
        book: "book §0",
    };
    let outcome = std::panic::catch_unwind(|| requirement.assert(&fast, &slow));
    let message = panic_message(
        outcome
            .expect_err("1.5x must not meet a 2x threshold")
            .as_ref(),
    );
    for part in [
        "1.50x",
        "median 10.00 ms",
        "median 15.00 ms",
        "threshold 2x",
        "about 3x",
        "read: book §0",
    ] {
        assert!(message.contains(part), "missing {part:?} in:\n{message}");
    }
    requirement.assert(&Sample::new(vec![Duration::from_millis(5)]), &slow);
}

#[test]
fn interleaving_alternates_the_order_of_the_two_sides() {
    let order = std::cell::RefCell::new(Vec::new());
    let _ = interleaved(
        0,
        4,
        || order.borrow_mut().push('a'),
        || order.borrow_mut().push('b'),
    );
    assert_eq!(
        order.into_inner(),
        vec!['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a']
    );
}
