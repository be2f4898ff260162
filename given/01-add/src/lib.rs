//! Section 01 — given code: what the learner uses but does not write.
//!
//! - [`AddError`]: the one error type every add returns instead of panicking;
//! - [`pyobject`]: a model of how Python stores a list of integers — every element a
//!   separate heap object behind a pointer, every `+` a type check — on which the learner
//!   writes the "naive" add of §1.1;
//! - [`pages`]: large vectors on 2 MiB pages, as numpy allocates its arrays (§1.4).
//!
//! Both `exercise-01` and `solution-01` depend on this crate and re-export it, so the two
//! have the same public API.

pub mod error;
pub mod pages;
pub mod pyobject;

pub use error::AddError;
pub use pyobject::{PyFloat, PyInt, PyList, PyObject, PyStr, TypeError, py_list, to_i64_vec};

/// The tutorial's size: `2000 * 2000` elements.
pub const TUTORIAL_LEN: usize = 2000 * 2000;
