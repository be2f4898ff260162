//! §1.2 — a plain index loop over typed, contiguous slices.

use crate::AddError;

/// Adds two slices with an index loop, pushing each sum onto a new vector.
///
/// # Errors
/// [`AddError::LengthMismatch`]. Overflow wraps.
pub fn indexed_add(x: &[i64], y: &[i64]) -> Result<Vec<i64>, AddError> {
    todo!(
        "indexed_add: check the lengths, then loop `for i in 0..len` pushing x[i].wrapping_add(y[i]) \
         onto a Vec made with Vec::with_capacity(len) — book §1.2 \"Typed, contiguous memory\" \
         (book/src/01-add.md)"
    )
}
