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
#[macro_export]
macro_rules! instantiate_checks {
    ($section:ident, $api:expr; $($name:ident),+ $(,)?) => {
        $(
            #[test]
            fn $name() {
                $crate::check::run(stringify!($name), cfg!(debug_assertions), || {
                    $crate::$section::$name(&$api)
                });
            }
        )+
    };
}
