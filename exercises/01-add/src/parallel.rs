//! §1.5 — the in-place add, shared between cores with rayon.

use ndarray::{ArrayView1, ArrayViewMut1};

use crate::AddError;

/// [`add_into`](crate::add_into), with the work split across rayon's thread pool.
///
/// Same contract and errors as `add_into`; the result must not depend on the thread count.
pub fn par_add_into(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
    out: ArrayViewMut1<i64>,
) -> Result<(), AddError> {
    todo!(
        "par_add_into: the same as add_into, but end the Zip with .par_for_each(...) (ndarray's \
         `rayon` feature is enabled) — book §1.5 \"A second core\" (book/src/01-add.md)"
    )
}
