//! §1.5 — the in-place add, shared between cores with rayon.

use ndarray::{ArrayView1, ArrayViewMut1, Zip};

use crate::AddError;

// ANCHOR: par_add_into
/// [`add_into`](crate::add_into), with the index range split across rayon's thread pool.
///
/// Same contract as `add_into`. Each thread adds its own contiguous chunk, so
/// the result is identical whatever the number of threads. An add does one arithmetic
/// operation per 24 bytes moved, so a second core helps only as far as it brings more
/// memory bandwidth with it (book §1.5 measures how far that is on this machine).
///
/// # Errors
/// As `add_into`: [`AddError::LengthMismatch`] or [`AddError::OutputLengthMismatch`],
/// before anything is written.
///
/// ```
/// use ndarray::{array, Array1};
/// let mut out = Array1::zeros(2);
/// solution_01::par_add_into(array![1, 2].view(), array![3, 4].view(), out.view_mut()).unwrap();
/// assert_eq!(out, array![4, 6]);
/// ```
pub fn par_add_into(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
    out: ArrayViewMut1<i64>,
) -> Result<(), AddError> {
    let len = AddError::require_equal_lengths(x.len(), y.len())?;
    AddError::require_output_length(len, out.len())?;
    Zip::from(out)
        .and(&x)
        .and(&y)
        .par_for_each(|z, &a, &b| *z = a.wrapping_add(b));
    Ok(())
}
// ANCHOR_END: par_add_into
