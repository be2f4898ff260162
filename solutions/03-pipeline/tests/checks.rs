//! The section 03 checks, run against the reference solution (they must all pass).
harness::pipeline_checks!(solution_03);
