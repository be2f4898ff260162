//! The section 01 checks, run against your code: `cargo test -p exercise-01`.
//! One group at a time: `cargo test -p exercise-01 correctness_` (or `properties_`,
//! `snapshot_`, `timing_`).
harness::add_checks!(exercise_01);
