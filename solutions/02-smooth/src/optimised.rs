//! §2.3 — a kernel shaped for the cache and for SIMD.

use ndarray::{Array2, ArrayView2, ArrayViewMut1, ArrayViewMut2};

use crate::clipped_window;

// ANCHOR: smooth_optimised
/// Smooths `image` one output row at a time, from contiguous row slices:
///
/// 1. add the (up to) three input rows element by element into a row of column sums —
///    a straight-line loop over slices that the compiler turns into SIMD adds;
/// 2. each output pixel is then the sum of three neighbouring column sums, divided by the
///    window's pixel count.
///
/// Work shared between neighbours: each input pixel is added into a column sum once per
/// output row instead of three times per output pixel, so a pixel costs 2 + 2 adds
/// instead of 8. Same contract as [`smooth_naive`](crate::smooth_naive).
///
/// Cost: one pass over the input and one over the output, plus one row of scratch space.
/// A non-contiguous input (a transposed or strided view) is first copied into standard
/// layout, which costs one extra read and write of the image.
///
/// ```
/// use ndarray::array;
/// let out = solution_02::smooth_optimised(array![[1.0, 2.0], [3.0, 4.0]].view());
/// assert_eq!(out, array![[2.5, 2.5], [2.5, 2.5]]);
/// ```
pub fn smooth_optimised(image: ArrayView2<f64>) -> Array2<f64> {
    let mut out = Array2::zeros(image.dim());
    smooth_optimised_into(image, out.view_mut(), &mut Vec::new());
    out
}

/// [`smooth_optimised`] into a caller's array, with a caller's row of scratch space: a
/// program that smooths many images of one shape (section 03's pipeline) reuses both and
/// allocates nothing per image. `column_sums` is resized to the image's width (it
/// allocates only the first time, or when the width grows).
///
/// Cost: as [`smooth_optimised`]; a non-contiguous input is first copied (one allocation).
///
/// # Panics
/// If `out` does not have the shape of `image`, or its rows are not contiguous.
pub fn smooth_optimised_into(
    image: ArrayView2<f64>,
    mut out: ArrayViewMut2<f64>,
    column_sums: &mut Vec<f64>,
) {
    assert_eq!(
        out.dim(),
        image.dim(),
        "smooth_optimised_into: the output's shape differs from the image's"
    );
    let image = image.as_standard_layout();
    let cols = image.ncols();
    if cols == 0 {
        return;
    }
    column_sums.resize(cols, 0.0);
    for (i, out_row) in out.rows_mut().into_iter().enumerate() {
        smooth_row(image.view(), i, column_sums, out_row);
    }
}

/// Computes output row `i` of the smooth of `image` (standard layout, at least one column)
/// into `out_row`, using `column_sums` (length `cols`) as scratch.
///
/// The same loops, compiled twice: for the x86-64 baseline (SSE2: two `f64` per
/// instruction), and for processors with AVX2 (four), chosen at run time — as numpy picks
/// its loops for the processor it finds. With AVX2, an interior row at least
/// [`MIN_COLS`](simd::MIN_COLS) wide goes instead to the one-pass kernel in
/// [`simd`](simd). All of them do the same operations in the same order, so their
/// results are identical to the last bit.
pub(crate) fn smooth_row(
    image: ArrayView2<f64>,
    i: usize,
    column_sums: &mut [f64],
    out_row: ArrayViewMut1<f64>,
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // `mut` only here: other targets never write through this binding.
        let mut out_row = out_row;
        let (rows, cols) = image.dim();
        if (1..rows - 1).contains(&i)
            && cols >= simd::MIN_COLS
            && let Some(out) = out_row.as_slice_mut()
        {
            let row = |r: usize| image.row(r).to_slice().expect("standard layout");
            // SAFETY: the processor has AVX2 (checked above; the answer is cached); the
            // three rows and `out` all have `cols >= MIN_COLS` elements.
            unsafe { simd::interior_row_avx2(row(i - 1), row(i), row(i + 1), out) };
            return;
        }
        // SAFETY: the processor has AVX2, checked just above.
        unsafe { smooth_row_avx2(image, i, column_sums, out_row) };
        return;
    }
    smooth_row_portable(image, i, column_sums, out_row);
}

/// [`smooth_row_portable`] compiled with AVX2 allowed. Call only where AVX2 is present.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn smooth_row_avx2(
    image: ArrayView2<f64>,
    i: usize,
    column_sums: &mut [f64],
    out_row: ArrayViewMut1<f64>,
) {
    smooth_row_portable(image, i, column_sums, out_row);
}

/// The row kernel itself; `inline(always)` so that each caller compiles its own copy for
/// its own instruction set.
#[inline(always)]
fn smooth_row_portable(
    image: ArrayView2<f64>,
    i: usize,
    column_sums: &mut [f64],
    mut out_row: ArrayViewMut1<f64>,
) {
    let (rows, cols) = image.dim();
    let (top, bottom) = clipped_window(i, rows);
    let row = |r: usize| {
        image
            .row(r)
            .to_slice()
            .expect("standard layout rows are contiguous")
    };

    // Step 1: column sums over the clipped window of rows.
    column_sums.copy_from_slice(row(top));
    for r in top + 1..=bottom {
        for (sum, &v) in column_sums.iter_mut().zip(row(r)) {
            *sum += v;
        }
    }

    // Step 2: sums of three neighbouring column sums, divided by the pixel count.
    let window_rows = (bottom - top + 1) as f64;
    let out = out_row
        .as_slice_mut()
        .expect("the output's rows are contiguous");
    if cols == 1 {
        out[0] = column_sums[0] / window_rows;
        return;
    }
    let edge = 2.0 * window_rows;
    // One division per row, then a multiplication per pixel: a division takes several
    // times as long as a multiplication, and was a third of this function's time. The
    // result differs from `sum / count` by at most one rounding (~1e-16 relative).
    let inner = 1.0 / (3.0 * window_rows);
    out[0] = (column_sums[0] + column_sums[1]) / edge;
    // `windows(3)` hands out slices of known length: no bounds checks in the loop.
    for (o, w) in out[1..cols - 1].iter_mut().zip(column_sums.windows(3)) {
        *o = (w[0] + w[1] + w[2]) * inner;
    }
    out[cols - 1] = (column_sums[cols - 2] + column_sums[cols - 1]) / edge;
}
// ANCHOR_END: smooth_optimised

mod simd {
    //! §2.3, going further — one interior row in a single pass, with explicit AVX2.
    //!
    //! [`smooth_optimised`](crate::smooth_optimised)'s portable row kernel makes two passes:
    //! it writes a row of column sums, then reads it back three times. Here the column sums
    //! never leave the registers: four of them are computed at once, and each output pixel's
    //! left and right neighbours are taken from the same registers by moving lanes, not by
    //! reloading memory. Same additions in the same order, so the result is identical to the
    //! portable kernel's, to the last bit (the tests in `optimised.rs` check it).
    //!
    //! Demo 02 prints what this kernel takes against a plain copy of the image, in the same
    //! run. Measured while writing it (1000 × 1000, into an existing array, interleaved): the
    //! two-pass kernel 2.4–2.7× a copy; this one 1.4–1.6×; the same with AVX-512 (eight lanes,
    //! `valignq` for the lane moves), or with two output rows sharing a sum of two input rows,
    //! no faster. Streaming stores (as in section 01's `add_into`) made it 2.6×: the image
    //! fits in the level-3 cache, and they push the output out of it.

    #[cfg(target_arch = "x86_64")]
    use std::arch::x86_64::{
        __m256d, _mm256_add_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_permute2f128_pd,
        _mm256_set1_pd, _mm256_shuffle_pd, _mm256_storeu_pd,
    };

    /// The narrowest row this kernel takes; narrower rows go to the portable kernel. Below it
    /// the vector loop would run at most once or twice.
    pub(crate) const MIN_COLS: usize = 16;

    // ANCHOR: interior_row_avx2
    /// Writes the smooth of interior row `middle` — between rows `above` and `below`, all
    /// three of length `out.len()` — into `out`. The window always spans three rows, so the
    /// factors are the portable kernel's for `window_rows = 3`: `inner = 1 / (3 · 3)` and a
    /// border pixel's count `2 · 3`.
    ///
    /// Per four output pixels: three loads, one store, four additions, one multiplication,
    /// and four lane moves that bring each pixel's left and right column sums alongside it.
    ///
    /// # Safety
    /// The processor must have AVX2, and the four slices must have the same length, at least
    /// [`MIN_COLS`].
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn interior_row_avx2(
        above: &[f64],
        middle: &[f64],
        below: &[f64],
        out: &mut [f64],
    ) {
        let (inner, edge) = (1.0 / (3.0 * 3.0), 2.0 * 3.0);
        let n = out.len();
        debug_assert!(n >= MIN_COLS && above.len() == n && middle.len() == n && below.len() == n);
        let column_sum = |j: usize| above[j] + middle[j] + below[j];
        // Four column sums starting at `j`, in the portable kernel's order: (above + middle) + below.
        // SAFETY (for every call below): `j + 4 <= n`, which each loop's condition ensures.
        let sums4 = |j: usize| unsafe {
            _mm256_add_pd(
                _mm256_add_pd(
                    _mm256_loadu_pd(above.as_ptr().add(j)),
                    _mm256_loadu_pd(middle.as_ptr().add(j)),
                ),
                _mm256_loadu_pd(below.as_ptr().add(j)),
            )
        };
        // Output pixels j..j+4 from the column sums before (`prev`, lane 3 used), at and after
        // (`next`, lane 0 used) them: ((left + centre) + right) * inner.
        let block = |prev: __m256d, cur: __m256d, next: __m256d| {
            let left = _mm256_shuffle_pd(_mm256_permute2f128_pd(prev, cur, 0x21), cur, 0b0101);
            let right = _mm256_shuffle_pd(cur, _mm256_permute2f128_pd(cur, next, 0x21), 0b0101);
            _mm256_mul_pd(
                _mm256_add_pd(_mm256_add_pd(left, cur), right),
                _mm256_set1_pd(inner),
            )
        };

        out[0] = (column_sum(0) + column_sum(1)) / edge;
        // A few pixels one at a time, until the loads start on a 32-byte boundary: an
        // unaligned load that straddles two cache lines costs two (measured: 10–15% of the
        // row's time).
        let mut j = 1;
        while j < 4 && !(middle.as_ptr().wrapping_add(j) as usize).is_multiple_of(32) {
            out[j] = (column_sum(j - 1) + column_sum(j) + column_sum(j + 1)) * inner;
            j += 1;
        }
        let mut prev = _mm256_set1_pd(column_sum(j - 1));
        let mut cur = sums4(j);
        // Two blocks per turn of the loop, then at most one more: fewer loop-counter updates
        // per pixel (measured: about 15% of the row's time).
        while j + 12 <= n {
            let (next, after) = (sums4(j + 4), sums4(j + 8));
            // SAFETY: j + 8 <= n.
            unsafe {
                _mm256_storeu_pd(out.as_mut_ptr().add(j), block(prev, cur, next));
                _mm256_storeu_pd(out.as_mut_ptr().add(j + 4), block(cur, next, after));
            }
            (prev, cur) = (next, after);
            j += 8;
        }
        while j + 8 <= n {
            let next = sums4(j + 4);
            // SAFETY: j + 4 <= n.
            unsafe { _mm256_storeu_pd(out.as_mut_ptr().add(j), block(prev, cur, next)) };
            (prev, cur) = (cur, next);
            j += 4;
        }
        for (k, o) in out.iter_mut().enumerate().take(n - 1).skip(j) {
            *o = (column_sum(k - 1) + column_sum(k) + column_sum(k + 1)) * inner;
        }
        out[n - 1] = (column_sum(n - 2) + column_sum(n - 1)) / edge;
    }
    // ANCHOR_END: interior_row_avx2
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pixels with negative, tiny and large values, so that a change in the order of the
    /// additions changes the rounding.
    fn awkward_pixels(n: usize) -> Vec<f64> {
        (0..n)
            .map(|k| {
                (k as f64 * 0.618_033_988_749_895).sin() * 10f64.powi((k * 7) as i32 % 40 - 20)
            })
            .collect()
    }

    fn bits(a: &Array2<f64>) -> Vec<u64> {
        a.iter().map(|v| v.to_bits()).collect()
    }

    /// Every compiled copy of the row kernel — portable, AVX2, and the one-pass AVX2
    /// kernel for interior rows — agrees to the last bit, on widths around each of the
    /// one-pass kernel's loop boundaries and with the rows starting at each of the four
    /// alignments an `f64` can have within 32 bytes.
    #[test]
    fn every_compiled_copy_of_the_row_kernel_gives_identical_bits() {
        let rows = 6;
        for cols in [
            1, 2, 3, 4, 15, 16, 17, 19, 20, 21, 23, 24, 25, 27, 28, 31, 37, 64, 101,
        ] {
            let pixels = awkward_pixels(rows * cols + 3);
            for offset in 0..4 {
                let image = ArrayView2::from_shape((rows, cols), &pixels[offset..][..rows * cols])
                    .expect("the slice holds rows * cols pixels");
                let (mut portable, mut dispatched) =
                    (Array2::zeros((rows, cols)), Array2::zeros((rows, cols)));
                let mut sums = vec![0.0; cols];
                for i in 0..rows {
                    smooth_row_portable(image, i, &mut sums, portable.row_mut(i));
                    smooth_row(image, i, &mut sums, dispatched.row_mut(i));
                }
                assert_eq!(
                    bits(&portable),
                    bits(&dispatched),
                    "{rows}x{cols}, offset {offset}"
                );
                #[cfg(target_arch = "x86_64")]
                if std::arch::is_x86_feature_detected!("avx2") {
                    let mut avx2 = Array2::zeros((rows, cols));
                    for i in 0..rows {
                        // SAFETY: AVX2 is present, checked above.
                        unsafe { smooth_row_avx2(image, i, &mut sums, avx2.row_mut(i)) };
                    }
                    assert_eq!(
                        bits(&portable),
                        bits(&avx2),
                        "{rows}x{cols}, offset {offset}"
                    );
                }
            }
        }
    }
}
