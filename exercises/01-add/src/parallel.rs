//! §1.5 — the in-place add, shared between cores with rayon.

use ndarray::{ArrayView1, ArrayViewMut1};

use crate::AddError;

// ANCHOR: par_add_into
/// [`add_into`](crate::add_into), with the work split across rayon's thread pool.
///
/// Same contract and errors as `add_into`; the result must not depend on the thread count.
pub fn par_add_into(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
    out: ArrayViewMut1<i64>,
) -> Result<(), AddError> {
    todo!(
        "par_add_into: add_into, with the elements shared between rayon's threads — \
         book §1.5 \"A second core\" (book/src/01-add.md)"
    )
}
// ANCHOR_END: par_add_into
