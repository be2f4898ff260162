//! The section 04 checks, run against the reference scheduler: `cargo test -p solution-04`.
//! One step at a time: `cargo test -p solution-04 step1_` (… `step5_`); one group:
//! `cargo test -p solution-04 correctness_` (or `properties_`,
//! `mechanism_`, `timing_`).
harness::local_cluster_checks!(solution_04);
