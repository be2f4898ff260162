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
//! Shared machinery:
//! - [`check`]: the glue that turns a check into a `#[test]` (timing checks run alone, and
//!   only when asked), and [`reject!`] for the mutant tests;
//! - [`compare`]: readable array differences; [`summary`] and [`snapshot`]: snapshot
//!   summaries;
//! - [`strategies`] (proptest inputs) and [`properties`] (a deterministic proptest runner);
//! - [`timing`]: judging speed ratios (the stopwatch itself is the `measure` crate);
//! - [`data`]: seeded test data;
//! - [`allocation_count`]: counting heap allocations per thread; [`peak_memory`]: peak heap bytes of
//!   the whole process.

#[cfg(feature = "add")]
pub mod add;
pub mod allocation_count;
pub mod book;
pub mod check;
#[cfg(feature = "chunked")]
pub mod chunked;
pub mod compare;
pub mod data;
#[cfg(feature = "distributed")]
pub mod distributed;
pub mod http;
#[cfg(feature = "local-cluster")]
pub mod local_cluster;
pub mod peak_memory;
#[cfg(feature = "pipeline")]
pub mod pipeline;
pub mod properties;
#[cfg(feature = "smooth")]
pub mod smooth;
pub mod snapshot;
pub mod strategies;
pub mod summary;
pub mod timing;
