//! The section 06 checks, run against the reference dataflow.
harness::distributed_checks!(solution_06);
