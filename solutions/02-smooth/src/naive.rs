//! §2.1 — a faithful port of the tutorial's loop.

use ndarray::{Array2, ArrayView2};

use crate::clipped_window;

// ANCHOR: smooth_naive
/// Smooths `image` with two nested loops and indexed reads, as the tutorial's `smooth` does,
/// but with a true mean and a defined border (see the crate docs for the contract).
///
/// Cost: nine bounds-checked 2-D index computations per pixel, no reuse between
/// neighbouring pixels. Built with optimisation this is already compiled, vectorisable
/// code; without it, it is roughly as slow as the pure Python loop (book §2.2).
///
/// ```
/// use ndarray::array;
/// let out = solution_02::smooth_naive(array![[1.0, 2.0], [3.0, 4.0]].view());
/// assert_eq!(out, array![[2.5, 2.5], [2.5, 2.5]]);
/// ```
pub fn smooth_naive(image: ArrayView2<f64>) -> Array2<f64> {
    let (rows, cols) = image.dim();
    let mut out = Array2::zeros((rows, cols));
    for i in 0..rows {
        let (top, bottom) = clipped_window(i, rows);
        for j in 0..cols {
            let (left, right) = clipped_window(j, cols);
            // -0.0 is the additive identity: a window of -0.0 stays -0.0 (0.0 would not).
            let mut sum = -0.0;
            for r in top..=bottom {
                for c in left..=right {
                    sum += image[[r, c]];
                }
            }
            let count = ((bottom - top + 1) * (right - left + 1)) as f64;
            out[[i, j]] = sum / count;
        }
    }
    out
}
// ANCHOR_END: smooth_naive
