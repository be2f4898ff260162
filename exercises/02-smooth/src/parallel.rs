//! §2.4 — the optimised kernel, output rows shared across cores.

use ndarray::{Array2, ArrayView2};

/// [`smooth_optimised`](crate::smooth_optimised) with the output rows split across rayon's
/// thread pool; identical results whatever the number of threads.
pub fn smooth_parallel(image: ArrayView2<f64>) -> Array2<f64> {
    todo!(
        "smooth_parallel: the row loop of smooth_optimised, over \
         out.axis_iter_mut(Axis(0)).into_par_iter().enumerate(), with one row of column sums per \
         thread (for_each_init) — book §2.4 \"Rows across cores\" (book/src/02-smooth.md)"
    )
}
