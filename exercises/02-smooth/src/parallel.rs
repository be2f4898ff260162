//! §2.4 — the optimised kernel, output rows shared across cores.

use ndarray::{Array2, ArrayView2};

// ANCHOR: smooth_parallel
/// [`smooth_optimised`](crate::smooth_optimised) with the output rows split across rayon's
/// thread pool; identical results whatever the number of threads.
pub fn smooth_parallel(image: ArrayView2<f64>) -> Array2<f64> {
    todo!(
        "smooth_parallel: smooth_optimised with the output rows shared between rayon's \
         threads, identical results for any thread count — \
         book §2.4 \"Rows across cores\" (book/src/02-smooth.md)"
    )
}
// ANCHOR_END: smooth_parallel
