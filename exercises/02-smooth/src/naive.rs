//! §2.1 — a faithful port of the tutorial's loop.

use ndarray::{Array2, ArrayView2};

// ANCHOR: smooth_naive
/// Smooths `image` with nested loops and indexed reads, as the tutorial's `smooth` does, but
/// with a true mean and the clipped border (see the crate docs for the contract).
pub fn smooth_naive(image: ArrayView2<f64>) -> Array2<f64> {
    todo!(
        "smooth_naive: the tutorial's nested loops, with a true mean over each pixel's 3 \
         x 3 window clipped to the image (the given clipped_window helps) — \
         book §2.1 \"A faithful port\" (book/src/02-smooth.md)"
    )
}
// ANCHOR_END: smooth_naive
