//! §1.4 — numpy's `np.add(X, Y, out=Z)`: write into memory that already exists.

use ndarray::{ArrayView1, ArrayViewMut1};

use crate::AddError;

/// Adds `x` and `y` into `out`, allocating nothing.
///
/// # Errors
/// [`AddError::LengthMismatch`] or [`AddError::OutputLengthMismatch`], checked
/// before anything is written, so `out` is untouched on error. Overflow wraps.
pub fn add_into(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
    out: ArrayViewMut1<i64>,
) -> Result<(), AddError> {
    todo!(
        "add_into: check both lengths first (AddError::require_output_length too), then write \
         each sum into `out` with ndarray::Zip::from(out).and(&x).and(&y).for_each(...) — \
         book §1.4 \"In place: no allocation\" (book/src/01-add.md)"
    )
}
