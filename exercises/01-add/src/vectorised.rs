//! §1.3 — the numpy `X + Y` counterpart: one call over whole arrays, a new array out.

use ndarray::{Array1, ArrayView1};

use crate::AddError;

// ANCHOR: vectorised_add
/// Adds two arrays into a newly allocated array, like numpy's `Z = X + Y`.
///
/// # Errors
/// [`AddError::LengthMismatch`] (no broadcasting). Overflow wraps.
pub fn vectorised_add(x: ArrayView1<i64>, y: ArrayView1<i64>) -> Result<Array1<i64>, AddError> {
    todo!(
        "vectorised_add: add two arrays into a new array in one whole-array call, without \
         broadcasting, wrapping on overflow — \
         book §1.3 \"Vectorised: X + Y\" (book/src/01-add.md)"
    )
}
// ANCHOR_END: vectorised_add
