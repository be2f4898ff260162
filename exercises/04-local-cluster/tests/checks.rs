//! The section 04 checks, run against your scheduler: `cargo test -p exercise-04`.
//! One step at a time: `cargo test -p exercise-04 step1_` (then `step2_`, …, `step5_`);
//! one group: `correctness_` (or `properties_`, `mechanism_`, `timing_`).
harness::local_cluster_checks!(exercise_04);
