//! §1.2 — a plain index loop over typed, contiguous slices.

use crate::AddError;

// ANCHOR: indexed_add
/// Adds two slices with an index loop, pushing each sum onto a new vector.
///
/// # Errors
/// [`AddError::LengthMismatch`]. Overflow wraps.
pub fn indexed_add(x: &[i64], y: &[i64]) -> Result<Vec<i64>, AddError> {
    todo!(
        "indexed_add: add two slices of i64 with a plain index loop into a new Vec, \
         wrapping on overflow — \
         book §1.2 \"Typed, contiguous memory\" (book/src/01-add.md)"
    )
}
// ANCHOR_END: indexed_add
