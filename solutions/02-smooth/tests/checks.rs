//! The section 02 checks, run against the reference solution (they must all pass).
harness::smooth_checks!(solution_02);
