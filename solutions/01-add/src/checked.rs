//! §1.6 — a third overflow policy: refuse, and say where.

use ndarray::{Array1, ArrayView1, Zip};

use crate::AddError;

// ANCHOR: checked_add
/// Adds two arrays into a new array, refusing any sum that does not fit in an `i64`: numpy
/// wraps silently, Python grows the integer, this add reports the first index that
/// overflows and returns no array at all.
///
/// One branch-free pass does the work: each element is added with wrapping and an overflow
/// flag is accumulated beside it (a sum overflowed exactly when both inputs have the same
/// sign and the sum's sign differs). Only if the flag is set does a second pass look for
/// the first overflowing index. So the common case costs what `vectorised_add` costs; a
/// loop that tests and returns early on every element could not be vectorised.
///
/// # Errors
/// [`AddError::LengthMismatch`] if the lengths differ; [`AddError::Overflow`] naming the
/// first index whose sum overflows. Cost: one read of each input and one write of the
/// output (plus the allocation), and on overflow a second read up to the first bad index.
///
/// # Panics
/// Never: the search for the index runs only after the flag saw an overflow, so it finds
/// one.
///
/// ```
/// use ndarray::array;
/// use solution_01::{AddError, checked_add};
/// assert_eq!(checked_add(array![1, 2].view(), array![3, 4].view()), Ok(array![4, 6]));
/// let err = checked_add(array![1, i64::MAX].view(), array![1, 1].view());
/// assert_eq!(err, Err(AddError::Overflow { index: 1 }));
/// ```
pub fn checked_add(x: ArrayView1<i64>, y: ArrayView1<i64>) -> Result<Array1<i64>, AddError> {
    AddError::require_equal_lengths(x.len(), y.len())?;
    let mut overflowed = 0_i64;
    let sums = Zip::from(&x).and(&y).map_collect(|&a, &b| {
        let s = a.wrapping_add(b);
        // Negative exactly when a and b share a sign that s does not.
        overflowed |= (a ^ s) & (b ^ s);
        s
    });
    if overflowed >= 0 {
        return Ok(sums);
    }
    let index = x
        .iter()
        .zip(&y)
        .position(|(a, b)| a.checked_add(*b).is_none())
        .expect("the flag is set only when some sum overflowed");
    Err(AddError::Overflow { index })
}
// ANCHOR_END: checked_add
