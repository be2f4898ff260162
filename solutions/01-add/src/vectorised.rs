//! §1.3 — the numpy `X + Y` counterpart: one call over whole arrays, a new array out.

use ndarray::{Array1, ArrayView1, Zip};

use crate::AddError;

// ANCHOR: vectorised_add
/// Adds two arrays into a newly allocated array, like numpy's `Z = X + Y`.
///
/// `Zip` walks both inputs in lock-step; for contiguous inputs the inner loop runs over
/// plain slices with no bounds checks, and the compiler turns it into SIMD adds.
///
/// # Errors
/// [`AddError::LengthMismatch`] (no broadcasting, unlike `&x + &y` in ndarray).
/// Overflow wraps. Cost: one read of each input, one write of the output, plus allocating
/// the output (whose pages the operating system must fault in on first touch).
///
/// ```
/// use ndarray::array;
/// let z = solution_01::vectorised_add(array![1, 2].view(), array![3, 4].view()).unwrap();
/// assert_eq!(z, array![4, 6]);
/// ```
pub fn vectorised_add(x: ArrayView1<i64>, y: ArrayView1<i64>) -> Result<Array1<i64>, AddError> {
    AddError::require_equal_lengths(x.len(), y.len())?;
    Ok(Zip::from(&x)
        .and(&y)
        .map_collect(|&a, &b| a.wrapping_add(b)))
}
// ANCHOR_END: vectorised_add
