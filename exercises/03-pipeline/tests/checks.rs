//! The section 03 checks, run against your code: `cargo test -p exercise-03`.
//! One group at a time: `cargo test -p exercise-03 correctness_` (or `properties_`,
//! `mechanism_`, `snapshot_`, `timing_`).
harness::pipeline_checks!(exercise_03);
