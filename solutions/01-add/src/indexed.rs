//! §1.2 — a plain index loop over typed, contiguous slices.

use crate::AddError;

// ANCHOR: indexed_add
/// Adds two slices with an index loop, pushing each sum onto a new vector.
///
/// This is the list comprehension again, but over `i64`s packed side by side: no boxes, no
/// type tags, no virtual calls. `x[i]` is still bounds-checked and `push` still checks the
/// capacity on every element, which usually keeps the compiler from using SIMD here.
///
/// # Errors
/// [`AddError::LengthMismatch`]. Overflow wraps.
///
/// ```
/// assert_eq!(solution_01::indexed_add(&[1, i64::MAX], &[2, 1]), Ok(vec![3, i64::MIN]));
/// ```
pub fn indexed_add(x: &[i64], y: &[i64]) -> Result<Vec<i64>, AddError> {
    let len = AddError::require_equal_lengths(x.len(), y.len())?;
    let mut z = Vec::with_capacity(len);
    for i in 0..len {
        z.push(x[i].wrapping_add(y[i]));
    }
    Ok(z)
}
// ANCHOR_END: indexed_add
