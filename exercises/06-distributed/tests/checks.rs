//! The section 06 checks, run against your dataflow: `cargo test -p exercise-06`.
//! One group at a time: `cargo test -p exercise-06 correctness_` (or `properties_`,
//! `faults_`). Each run of your dataflow happens in child processes of this test binary.
harness::distributed_checks!(exercise_06);
