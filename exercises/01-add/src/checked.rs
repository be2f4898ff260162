//! §1.6 — a third overflow policy: refuse, and say where.

use ndarray::{Array1, ArrayView1};

use crate::AddError;

// ANCHOR: checked_add
/// Adds two arrays into a new array, refusing any sum that does not fit in an `i64`: numpy
/// wraps silently, Python grows the integer, this add reports the first index that
/// overflows and returns no array at all.
///
/// # Errors
/// [`AddError::LengthMismatch`] if the lengths differ; [`AddError::Overflow`] naming the
/// first index whose sum overflows.
pub fn checked_add(x: ArrayView1<i64>, y: ArrayView1<i64>) -> Result<Array1<i64>, AddError> {
    todo!(
        "checked_add: add like vectorised_add, but return AddError::Overflow with the \
         first index whose sum does not fit in an i64, and no array — and keep it as fast \
         as vectorised_add when nothing overflows — \
         book §1.6 \"Overflow: a choice to make\" (book/src/01-add.md)"
    )
}
// ANCHOR_END: checked_add
