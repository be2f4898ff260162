//! The section 05 checks, run against your code: `cargo test -p exercise-05`.
//! One step at a time: `cargo test -p exercise-05 halo` (or `reduction`, `order`); one
//! group: `correctness_`, `properties_`, `mechanism_`.
harness::chunked_checks!(exercise_05);
