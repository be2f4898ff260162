//! Section 01 — naive vs vectorised add. **Your exercise.**
//!
//! Fill in the six functions, one file each, in this order:
//! [`naive_add`] (§1.1), [`indexed_add`] (§1.2), [`vectorised_add`] (§1.3),
//! [`add_into`] (§1.4), [`par_add_into`] (§1.5), and [`checked_add`] (§1.6), which asks you
//! to choose. The book chapter is `book/src/01-add.md`.
//!
//! Check your work with `cargo test -p exercise-01` (all checks) or one group at a time:
//! `cargo test -p exercise-01 correctness_`, `properties_`, `mechanism_`, `snapshot_`; the
//! timing check runs once the rest pass: `cargo test -p exercise-01 timing_ -- --include-ignored`.
//!
//! # The contract every function keeps
//! - inputs of different lengths, or an output of the wrong length: return the matching
//!   [`AddError`] (never panic, never broadcast);
//! - empty inputs are fine and give an empty result;
//! - overflow wraps, like numpy's `int64` (`i64::MAX + 1 == i64::MIN`): use `wrapping_add`
//!   (except in [`checked_add`], which refuses it);
//! - ndarray views may be strided or reversed; the answer must not depend on the layout.

pub mod checked;
pub mod in_place;
pub mod indexed;
pub mod naive;
pub mod parallel;
pub mod vectorised;

// Given: the error type, the boxed model of Python objects and vectors on huge pages are not
// part of the exercise. Read them in given/01-add/src/{error,pyobject,pages}.rs.
pub use given_01::{
    AddError, PyFloat, PyInt, PyList, PyObject, PyStr, TUTORIAL_LEN, TypeError, pages, py_list,
    pyobject, to_i64_vec,
};

pub use checked::checked_add;
pub use in_place::add_into;
pub use indexed::indexed_add;
pub use naive::naive_add;
pub use parallel::par_add_into;
pub use vectorised::vectorised_add;
