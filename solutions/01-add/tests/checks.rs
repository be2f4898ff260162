//! The section 01 checks, run against the reference solution (they must all pass).
harness::add_checks!(solution_01);
