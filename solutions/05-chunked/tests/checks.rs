//! The section 05 checks, run against the reference solution.
harness::chunked_checks!(solution_05);
