//! Turning a check function into a `#[test]`, and keeping timing checks alone on the machine.
//!
//! Every generated test goes through [`run`]. Checks whose name starts with `timing_` take
//! an exclusive lock, so no other check of the same test binary runs beside them and
//! competes for the two cores or the memory bus; all other checks share the lock and run in
//! parallel with each other as usual. (Cargo runs test binaries one after another, so one
//! process-wide lock is enough.)

use std::sync::{PoisonError, RwLock};

use crate::timing;

static MACHINE: RwLock<()> = RwLock::new(());

/// Checks whose name ends with this also run alone (see [`run`]), without the timing rules.
pub const ALONE_SUFFIX: &str = "_alone";

/// Runs the check called `name`. `caller_debug_assertions` is `cfg!(debug_assertions)` as
/// seen by the crate under test: timing checks refuse to judge when it is on.
pub fn run(name: &str, caller_debug_assertions: bool, check: impl FnOnce()) {
    if name.starts_with("timing_") {
        // A failed check poisons the lock; the next check must still run.
        let _alone = MACHINE.write().unwrap_or_else(PoisonError::into_inner);
        timing::require_optimised_build(caller_debug_assertions);
        check();
    } else if name.ends_with(ALONE_SUFFIX) {
        // Measures the whole process (e.g. peak memory across threads): nothing else may
        // run beside it, but it needs no optimised build.
        let _alone = MACHINE.write().unwrap_or_else(PoisonError::into_inner);
        check();
    } else {
        let _shared = MACHINE.read().unwrap_or_else(PoisonError::into_inner);
        check();
    }
}

/// Expands to one `#[test]` per named check of `$section`, each calling
/// `harness::$section::$name(&$api)` through [`run`]. Used by the section macros.
///
/// The checks after `timing:` are `#[ignore]`d by default: each takes seconds to tens of
/// seconds and judges speed, which only means something once the code is correct. libtest
/// lists them as `ignored` with the command that runs them, so the edit–test loop stays fast
/// and nobody mistakes a timing check that did not run for one that passed.
#[macro_export]
macro_rules! instantiate_checks {
    ($section:ident, $api:expr; $($name:ident),+ $(,)? ; timing: $($timing:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                $crate::check::run(stringify!($name), cfg!(debug_assertions), || {
                    $crate::$section::$name(&$api)
                });
            }
        )+
        $(
            #[test]
            #[ignore = "a timing check: once the other checks pass, run the timing checks with \
                        `cargo test -p <package> timing_ -- --include-ignored`"]
            fn $timing() {
                $crate::check::run(stringify!($timing), cfg!(debug_assertions), || {
                    $crate::$section::$timing(&$api)
                });
            }
        )*
    };
}

pub use measure::panic_message;

/// Calls `f`, re-raising a `todo!` stub's panic untouched (its message is the learner's
/// guidance) and adding `context` to any other panic, so a learner knows which input made
/// their code panic.
pub fn with_panic_context<R>(context: impl FnOnce() -> String, f: impl FnOnce() -> R) -> R {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            if message.contains("not yet implemented") {
                std::panic::resume_unwind(payload);
            }
            panic!("{}\n  it panicked with: {message}", context());
        }
    }
}

/// One mutant test: `reject!(test_name: section::check, mutant, "expected in the message")`
/// becomes a `#[test]` that runs `harness::section::check` on `mutant` and passes only if
/// the check rejects it for the expected reason ([`expect_rejection`]). The check's name is
/// taken from its path, so it cannot be misspelt (the name decides which lock and build
/// rules [`run`] applies).
///
/// ```text
/// harness::reject!(correctness_rejects_skipping_the_last_element:
///     add::correctness_indexed_add,
///     AddApi { indexed_add: indexed_skips_last, ..REFERENCE },
///     "first at [4]: expected 8, actual 0");
/// ```
#[macro_export]
macro_rules! reject {
    ($test:ident: $section:ident::$check:ident, $mutant:expr, $expected:expr $(,)?) => {
        #[test]
        fn $test() {
            $crate::check::expect_rejection(
                stringify!($check),
                $crate::$section::$check,
                $mutant,
                $expected,
            );
        }
    };
}

/// The proof that a check can fail: runs `check_fn` on `mutant` through [`run`] (as a
/// generated test would) and panics unless the check rejects it with a message that contains
/// `expected_in_message` and points to the book. Used by `harness/tests/mutants_*.rs`.
#[track_caller]
pub fn expect_rejection<Api>(
    check_name: &str,
    check_fn: fn(&Api),
    mutant: Api,
    expected_in_message: &str,
) {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run(check_name, cfg!(debug_assertions), || check_fn(&mutant))
    }));
    judge_rejection(check_name, outcome, expected_in_message);
}

/// Passes only if `outcome` (of running a check on a mutant) is a panic whose message
/// contains `expected_in_message` and points to the book.
#[track_caller]
pub fn judge_rejection(
    check_name: &str,
    outcome: std::thread::Result<()>,
    expected_in_message: &str,
) {
    let message = match outcome {
        Ok(()) => panic!("{check_name} accepted a mutant that it must reject"),
        Err(payload) => panic_message(payload.as_ref()),
    };
    assert!(
        message.contains(expected_in_message),
        "{check_name} rejected the mutant, but not for the expected reason.\n\
         expected the message to contain: {expected_in_message}\nmessage: {message}"
    );
    assert!(
        message.contains("read: book §"),
        "{check_name}'s failure message does not point to the book:\n{message}"
    );
}
