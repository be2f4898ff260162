//! §1.4 — numpy's `np.add(X, Y, out=Z)`: write into memory that already exists.

use ndarray::{ArrayView1, ArrayViewMut1};

use crate::AddError;

// ANCHOR: add_into
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
        "add_into: write x + y into `out`, allocating nothing and leaving `out` untouched \
         on error — \
         book §1.4 \"In place: no allocation\" (book/src/01-add.md)"
    )
}
// ANCHOR_END: add_into
