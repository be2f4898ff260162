//! Section 01 — naive vs vectorised add (reference solution).
//!
//! The tutorial adds two 2000 × 2000 = 4,000,000-element integer arrays twice: once as Python
//! lists and once with numpy. This crate holds the Rust counterparts, from a model of the
//! Python list version ([`naive_add`]) to a parallel in-place add ([`par_add_into`]), and an
//! add that refuses overflow instead of wrapping ([`checked_add`]).
//!
//! # Contract shared by every variant
//! - **Lengths:** inputs of different lengths (or an output of the wrong length) give
//!   [`AddError`], never a panic and never broadcasting. numpy would broadcast a length-1
//!   array; this course refuses, because silent broadcasting hides shape bugs.
//! - **Empty input** is fine and gives an empty result.
//! - **Overflow wraps** (two's complement), exactly like numpy's `int64`: `i64::MAX + 1` is
//!   `i64::MIN`. Real Python integers never overflow; see [`pyobject`] (given) for what the model
//!   leaves out. Wrapping is chosen so every variant gives the same answer in every build
//!   profile and the loop stays branch-free (and so vectorisable). [`checked_add`] is the
//!   one exception: it reports the first overflowing index instead.
//! - **Layout:** the ndarray variants accept any view, contiguous or strided; strided views
//!   are correct but slower.

pub mod checked;
pub mod in_place;
pub mod indexed;
pub mod naive;
pub mod parallel;

pub mod vectorised;

pub use checked::checked_add;
pub use in_place::add_into;
pub use indexed::indexed_add;
pub use naive::naive_add;
pub use parallel::par_add_into;
pub use vectorised::vectorised_add;

// Given code (`given-01`), re-exported so that solution and exercise share one API.
pub use given_01::{
    AddError, PyFloat, PyInt, PyList, PyObject, PyStr, TUTORIAL_LEN, TypeError, pages, py_list,
    pyobject, to_i64_vec,
};
