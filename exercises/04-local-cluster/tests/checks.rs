//! The section 04 checks, run against your scheduler: `cargo test -p exercise-04`.
//! One group at a time: `cargo test -p exercise-04 correctness_` (or `properties_`,
//! `mechanism_`, `timing_`).
harness::local_cluster_checks!(exercise_04);
