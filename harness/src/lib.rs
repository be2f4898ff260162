//! The course's checks, written once per section and instantiated as `#[test]`s in both the
//! exercise and the solution crate of that section.
//!
//! A section module (e.g. [`add`]) holds:
//! - an `…Api` struct of function pointers: the section's public API. The section's macro
//!   (e.g. [`add_checks!`]) fills it from the crate under test, so an exercise whose API
//!   differs from the solution's does not compile;
//! - an oracle written independently of the solution;
//! - the checks, one `pub fn` each, named by group: `correctness_`, `properties_`,
//!   `mechanism_`, `snapshot_`, `timing_` — so `cargo test -p exercise-01 timing_` runs one group;
//! - `REFERENCE`, the solution's API, from which `tests/mutants_*.rs` build the wrong
//!   implementations that prove every check can fail.
//!
//! Shared machinery: [`compare`] (readable array differences), [`strategies`] (proptest
//! inputs), [`properties`] (a deterministic proptest runner), [`summary`] (snapshot
//! summaries), [`timing`] (paired, interleaved ratio measurements), [`check`] (the glue that
//! turns a check into a `#[test]`), [`allocations`] (counting heap allocations).

#[cfg(feature = "add")]
pub mod add;
pub mod allocations;
pub mod check;
#[cfg(feature = "chunked")]
pub mod chunked;
#[cfg(feature = "cluster")]
pub mod cluster;
pub mod compare;
pub mod data;
pub mod memory;
#[cfg(feature = "pipeline")]
pub mod pipeline;
pub mod properties;
#[cfg(feature = "smooth")]
pub mod smooth;
pub mod snapshot;
pub mod strategies;
pub mod summary;
pub mod timing;
