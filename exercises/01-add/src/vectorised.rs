//! §1.3 — the numpy `X + Y` counterpart: one call over whole arrays, a new array out.

use ndarray::{Array1, ArrayView1};

use crate::AddError;

/// Adds two arrays into a newly allocated array, like numpy's `Z = X + Y`.
///
/// # Errors
/// [`AddError::LengthMismatch`] (no broadcasting). Overflow wraps.
pub fn vectorised_add(x: ArrayView1<i64>, y: ArrayView1<i64>) -> Result<Array1<i64>, AddError> {
    todo!(
        "vectorised_add: check the lengths, then build the result in one whole-array call — \
         ndarray::Zip::from(&x).and(&y).map_collect(...) with wrapping_add. Not `&x + &y`: it \
         broadcasts and its overflow depends on the build profile — book §1.3 \"Vectorised: X + Y\" \
         (book/src/01-add.md)"
    )
}
