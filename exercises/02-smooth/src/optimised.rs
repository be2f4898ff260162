//! §2.3 — a kernel shaped for the cache and for SIMD.

use ndarray::{Array2, ArrayView2};

// ANCHOR: smooth_optimised
/// Smooths `image` one output row at a time from contiguous row slices, sharing work between
/// neighbouring pixels. Same contract as [`smooth_naive`](crate::smooth_naive); must give
/// the same answers to within rounding, and be several times faster.
pub fn smooth_optimised(image: ArrayView2<f64>) -> Array2<f64> {
    todo!(
        "smooth_optimised: the same means, computed a row at a time from contiguous \
         slices, sharing the work between neighbouring pixels — \
         book §2.3 \"A kernel for the cache and for SIMD\" (book/src/02-smooth.md)"
    )
}
// ANCHOR_END: smooth_optimised
