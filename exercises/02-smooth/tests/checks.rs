//! The section 02 checks, run against your code: `cargo test -p exercise-02`.
//! One group at a time: `cargo test -p exercise-02 correctness_` (or `properties_`,
//! `snapshot_`, `timing_`).
harness::smooth_checks!(exercise_02);
