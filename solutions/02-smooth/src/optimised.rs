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
    out: ArrayViewMut2<f64>,
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
    smooth_rows(image.view(), 0, out, column_sums);
}

/// Computes output rows `first..first + out.nrows()` of the smooth of `image` (standard
/// layout, at least one column) into `out`, using `column_sums` (length `cols`) as scratch.
/// [`smooth_optimised_into`] asks for every row; [`smooth_parallel`](crate::smooth_parallel)
/// for a band of rows per task.
///
/// Each row goes to [`smooth_row`], except that on a processor with AVX-512, interior rows
/// at least [`MIN_COLS_AVX512`](simd::MIN_COLS_AVX512) wide go
/// [`ROWS_AT_ONCE`](simd::ROWS_AT_ONCE) at a time to [`simd::interior_rows_avx512`],
/// which reads each input row once for all of them. Same operations in the same order, so
/// the result is identical to the last bit whichever way a row goes.
pub(crate) fn smooth_rows(
    image: ArrayView2<f64>,
    first: usize,
    mut out: ArrayViewMut2<f64>,
    column_sums: &mut [f64],
) {
    let mut k = 0;
    while k < out.nrows() {
        let i = first + k;
        #[cfg(target_arch = "x86_64")]
        if i >= 1
            && i + simd::ROWS_AT_ONCE < image.nrows()
            && k + simd::ROWS_AT_ONCE <= out.nrows()
            && image.ncols() >= simd::MIN_COLS_AVX512
            && std::arch::is_x86_feature_detected!("avx512f")
        {
            let row = |r: usize| image.row(r).to_slice().expect("standard layout");
            let mut band = out.slice_mut(ndarray::s![k..k + simd::ROWS_AT_ONCE, ..]);
            let mut band_rows = band.rows_mut().into_iter();
            let out_rows = std::array::from_fn(|_| {
                band_rows
                    .next()
                    .and_then(|r| r.into_slice())
                    .expect("the output's rows are contiguous")
            });
            // SAFETY: the processor has AVX-512F (checked above; the answer is cached).
            unsafe {
                simd::interior_rows_avx512(std::array::from_fn(|r| row(i - 1 + r)), out_rows)
            };
            k += simd::ROWS_AT_ONCE;
            continue;
        }
        smooth_row(image, i, column_sums, out.row_mut(k));
        k += 1;
    }
}

/// Computes output row `i` of the smooth of `image` (standard layout, at least one column)
/// into `out_row`, using `column_sums` (length `cols`) as scratch.
///
/// The same loops, compiled twice: for the x86-64 baseline (SSE2: two `f64` per
/// instruction), and for processors with AVX2 (four), chosen at run time — as numpy picks
/// its loops for the processor it finds. With AVX2, an interior row at least
/// [`MIN_COLS`](simd::MIN_COLS) wide goes instead to the one-pass kernel in
/// [`simd`]. All of them do the same operations in the same order, so their
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

#[cfg(target_arch = "x86_64")]
mod simd {
    //! §2.3, going further — interior rows in a single pass, with explicit SIMD.
    //!
    //! [`smooth_optimised`](crate::smooth_optimised)'s portable row kernel makes two passes:
    //! it writes a row of column sums, then reads it back three times. Here the column sums
    //! never leave the registers: a vector of them is computed at once, and each output
    //! pixel's left and right neighbours are taken from the same registers by moving lanes,
    //! not by reloading memory. Two kernels, chosen at run time:
    //!
    //! - [`interior_rows_avx512`]: eight output rows at once from ten input rows, eight
    //!   pixels per instruction — what runs on a processor with AVX-512;
    //! - [`interior_row_avx2`]: one output row at a time, four pixels per instruction — for
    //!   processors with AVX2 only.
    //!
    //! Both make the same additions in the same order as the portable kernel, so the result is
    //! identical to the last bit (the tests in `optimised.rs` check it). Demo 02 prints the
    //! smooth's time against a plain copy of the image, timed in alternation in the same run.
    //! Tried while writing them and dropped, because they were no faster or slower: AVX-512
    //! one row at a time; two rows sharing a sum of two input rows (which also changes the
    //! order of the additions); prefetching the next row; column strips narrow enough for
    //! three rows to stay in the level-1 cache (the hardware prefetcher then loses the
    //! stream); streaming stores (as in section 01's `add_into`), which push the output out
    //! of the level-3 cache that the whole image fits in.

    use std::arch::x86_64::{
        __m256d, __m512d, _mm256_add_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_permute2f128_pd,
        _mm256_set1_pd, _mm256_shuffle_pd, _mm256_storeu_pd, _mm512_add_pd, _mm512_alignr_epi64,
        _mm512_castpd_si512, _mm512_castsi512_pd, _mm512_loadu_pd, _mm512_mul_pd, _mm512_set1_pd,
        _mm512_storeu_pd,
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

    /// How many output rows [`interior_rows_avx512`] computes at once.
    pub(crate) const ROWS_AT_ONCE: usize = 8;

    /// The narrowest row [`interior_rows_avx512`] takes: below it its vector loop would run
    /// at most once or twice.
    pub(crate) const MIN_COLS_AVX512: usize = 32;

    // ANCHOR: interior_rows_avx512
    /// Writes the smooth of [`ROWS_AT_ONCE`] neighbouring interior rows into `out`: output
    /// row `r` lies between input rows `input[r]` and `input[r + 2]`. All rows have the
    /// same length, at least [`MIN_COLS_AVX512`].
    ///
    /// Why eight rows at once: one output row needs three input rows, so a kernel that makes
    /// one row at a time reads every input row three times, and a 1000-pixel row is 8 KB —
    /// three of them and the output row fill the 32 KB level-1 data cache, so the two older
    /// rows come back from the level-2 cache each time. Eight rows at once read ten input
    /// rows for eight output rows: each input vector is loaded once and used by up to three
    /// column sums while it is in a register. AVX-512 brings the rest: eight `f64` per
    /// instruction, 32 vector registers (almost enough for eight rows' column sums), and
    /// `valignq`, which takes a pixel's left or right neighbours from two registers in one
    /// instruction. Eight rather than four because ten input rows for eight output rows is
    /// 1.25 reads per row written against 1.5, and it measured faster; more would not fit
    /// in the registers.
    ///
    /// Per eight output pixels of each row: 1.25 loads, one store, four additions, one
    /// multiplication and two lane moves. Same additions in the same order as the portable
    /// kernel, so identical bits.
    ///
    /// # Safety
    /// The processor must have AVX-512F.
    ///
    /// # Panics
    /// If the rows' lengths differ or are below [`MIN_COLS_AVX512`].
    #[target_feature(enable = "avx512f")]
    pub(crate) unsafe fn interior_rows_avx512(
        input: [&[f64]; ROWS_AT_ONCE + 2],
        mut out: [&mut [f64]; ROWS_AT_ONCE],
    ) {
        let (inner, edge) = (1.0 / (3.0 * 3.0), 2.0 * 3.0);
        let n = out[0].len();
        assert!(
            n >= MIN_COLS_AVX512
                && input.iter().all(|row| row.len() == n)
                && out.iter().all(|row| row.len() == n),
            "interior_rows_avx512: rows of different or too small lengths"
        );
        // Column sum `j` of output row `r`, in the portable kernel's order: (above + middle) + below.
        let column_sum = |r: usize, j: usize| input[r][j] + input[r + 1][j] + input[r + 2][j];
        for (r, row) in out.iter_mut().enumerate() {
            row[0] = (column_sum(r, 0) + column_sum(r, 1)) / edge;
            row[n - 1] = (column_sum(r, n - 2) + column_sum(r, n - 1)) / edge;
        }
        // Eight column sums from `j` for each output row, each input vector loaded once.
        // SAFETY (for every call below): `j + 8 <= n`.
        let sums8 = |j: usize| {
            let x: [__m512d; ROWS_AT_ONCE + 2] =
                std::array::from_fn(|row| unsafe { _mm512_loadu_pd(input[row].as_ptr().add(j)) });
            let sums: [__m512d; ROWS_AT_ONCE] =
                std::array::from_fn(|r| _mm512_add_pd(_mm512_add_pd(x[r], x[r + 1]), x[r + 2]));
            sums
        };
        // Output pixels j..j + 8 of every row, from the column sums before (`prev`, lane 7
        // used), at and after (`next`, lane 0 used) them: ((left + centre) + right) * inner.
        // `valignq` shifts lanes across two registers: lane 7 of `prev` then lanes 0..7 of
        // `cur`, and lanes 1..8 of `cur` then lane 0 of `next`.
        let store8 = |out: &mut [&mut [f64]; ROWS_AT_ONCE],
                      j: usize,
                      prev: &[__m512d; ROWS_AT_ONCE],
                      cur: &[__m512d; ROWS_AT_ONCE],
                      next: &[__m512d; ROWS_AT_ONCE]| {
            for (r, row) in out.iter_mut().enumerate() {
                let (p, c, n) = (
                    _mm512_castpd_si512(prev[r]),
                    _mm512_castpd_si512(cur[r]),
                    _mm512_castpd_si512(next[r]),
                );
                let left = _mm512_castsi512_pd(_mm512_alignr_epi64(c, p, 7));
                let right = _mm512_castsi512_pd(_mm512_alignr_epi64(n, c, 1));
                let sum = _mm512_add_pd(_mm512_add_pd(left, cur[r]), right);
                // SAFETY: j + 8 <= n, which every caller ensures.
                unsafe {
                    _mm512_storeu_pd(
                        row.as_mut_ptr().add(j),
                        _mm512_mul_pd(sum, _mm512_set1_pd(inner)),
                    )
                };
            }
        };
        // The column sum beside a block, in every lane: for blocks at the two ends of the
        // row, whose neighbours are not in a loaded vector.
        let one_sum = |j: usize| std::array::from_fn(|r| _mm512_set1_pd(column_sum(r, j)));
        // Pixels 1..9 with unaligned loads; then the loop starts where the first row's loads
        // are 64-byte aligned (one cache line per load), at most seven pixels later.
        // Pixels computed twice get the same bits both times. (n >= 32 for all of these.)
        store8(&mut out, 1, &one_sum(0), &sums8(1), &one_sum(9));
        let mut j = 1 + input[1][1..].as_ptr().align_offset(64).min(7);
        let mut prev = one_sum(j - 1);
        let mut cur = sums8(j);
        while j + 16 <= n {
            let next = sums8(j + 8);
            store8(&mut out, j, &prev, &cur, &next);
            (prev, cur) = (cur, next);
            j += 8;
        }
        // What is left of pixels j..n - 1 (fewer than 16), in at most two blocks, the
        // last one ending at pixel n - 2.
        if j + 9 <= n {
            store8(&mut out, j, &prev, &cur, &one_sum(j + 8));
        }
        if j + 1 < n {
            let last = n - 9;
            store8(
                &mut out,
                last,
                &one_sum(last - 1),
                &sums8(last),
                &one_sum(n - 1),
            );
        }
    }
    // ANCHOR_END: interior_rows_avx512
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

    /// Fails naming the first pixel whose bits differ, rather than printing both images.
    fn assert_same_bits(expected: &Array2<f64>, got: &Array2<f64>, what: &str) {
        assert_eq!(expected.dim(), got.dim(), "{what}: shapes differ");
        if let Some(((at, e), g)) = expected
            .indexed_iter()
            .zip(got)
            .find(|((_, e), g)| e.to_bits() != g.to_bits())
        {
            panic!("{what}: pixel {at:?} is {g:e}, the portable kernel gives {e:e}");
        }
    }

    /// Whole images and bands of rows, the way `smooth_optimised_into` and `smooth_parallel`
    /// ask for them, agree to the last bit with the portable kernel row by row: on this
    /// processor that puts the AVX-512 eight-row kernel (where present) beside it, on widths
    /// around its loop's boundaries, heights that leave 0–7 rows over after the last group
    /// of eight, and rows starting at each of the eight alignments an `f64` can have within
    /// 64 bytes.
    #[test]
    fn bands_of_rows_give_the_portable_kernels_bits() {
        let widths = [
            16, 31, 32, 33, 39, 40, 41, 47, 48, 49, 55, 56, 57, 63, 64, 65, 72, 101, 1000,
        ];
        for cols in widths {
            for rows in [3, 4, 5, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19] {
                let pixels = awkward_pixels(rows * cols + 7);
                for offset in 0..8 {
                    let image =
                        ArrayView2::from_shape((rows, cols), &pixels[offset..][..rows * cols])
                            .expect("the slice holds rows * cols pixels");
                    let mut sums = vec![0.0; cols];
                    let mut portable = Array2::zeros((rows, cols));
                    for i in 0..rows {
                        smooth_row_portable(image, i, &mut sums, portable.row_mut(i));
                    }
                    let mut whole = Array2::zeros((rows, cols));
                    smooth_rows(image, 0, whole.view_mut(), &mut sums);
                    assert_same_bits(
                        &portable,
                        &whole,
                        &format!("{rows}x{cols}, offset {offset}"),
                    );
                    // A band that starts below the first row, as a rayon task's does.
                    let mut band = Array2::zeros((rows - 1, cols));
                    smooth_rows(image, 1, band.view_mut(), &mut sums);
                    assert_same_bits(
                        &portable.slice(ndarray::s![1.., ..]).to_owned(),
                        &band,
                        &format!("rows 1.. of {rows}x{cols}, offset {offset}"),
                    );
                }
            }
        }
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
