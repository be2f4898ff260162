//! §2.1 — a faithful port of the tutorial's loop.

use ndarray::{Array2, ArrayView2};

/// Smooths `image` with nested loops and indexed reads, as the tutorial's `smooth` does, but
/// with a true mean and the clipped border (see the crate docs for the contract).
pub fn smooth_naive(image: ArrayView2<f64>) -> Array2<f64> {
    todo!(
        "smooth_naive: for every pixel (i, j), get the clipped window with \
         clipped_window(i, rows) and clipped_window(j, cols), add up image[[r, c]] over it and \
         divide by the number of pixels in it — book §2.1 \"A faithful port\" (book/src/02-smooth.md)"
    )
}
