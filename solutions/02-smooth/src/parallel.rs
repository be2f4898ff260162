//! §2.4 — the optimised kernel, output rows shared across cores.

use ndarray::{Array2, ArrayView2, Axis};
use rayon::prelude::*;

use crate::optimised::smooth_rows;

// ANCHOR: smooth_parallel
/// [`smooth_optimised`](crate::smooth_optimised) with bands of output rows split across
/// rayon's thread pool. Each thread keeps its own row of column sums. Rows are independent,
/// so the result is identical to the sequential kernel, bit for bit, whatever the thread
/// count.
///
/// Cost: as `smooth_optimised`, divided between threads, plus rayon's scheduling. A
/// 1000 × 1000 smooth moves 16 MB in about a millisecond, so a second core helps only as
/// far as memory bandwidth allows (book §2.4).
///
/// ```
/// use ndarray::array;
/// let out = solution_02::smooth_parallel(array![[1.0, 2.0], [3.0, 4.0]].view());
/// assert_eq!(out, array![[2.5, 2.5], [2.5, 2.5]]);
/// ```
pub fn smooth_parallel(image: ArrayView2<f64>) -> Array2<f64> {
    let image = image.as_standard_layout();
    let (rows, cols) = image.dim();
    let mut out = Array2::zeros((rows, cols));
    if cols == 0 {
        return out;
    }
    out.axis_chunks_iter_mut(Axis(0), ROWS_PER_TASK)
        .into_par_iter()
        .enumerate()
        .for_each_init(
            || vec![0.0; cols],
            |column_sums, (band, out_rows)| {
                smooth_rows(image.view(), band * ROWS_PER_TASK, out_rows, column_sums)
            },
        );
    out
}

/// Output rows per rayon task: a band, not a single row, so that the kernel can make
/// several rows at once (eight with AVX-512), and each task (a few microseconds on a
/// 1000-pixel-wide image) is long beside rayon's cost of handing it out.
const ROWS_PER_TASK: usize = 16;
// ANCHOR_END: smooth_parallel
