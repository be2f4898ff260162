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
    __m256d, _mm256_add_pd, _mm256_loadu_pd, _mm256_mul_pd, _mm256_permute2f128_pd, _mm256_set1_pd,
    _mm256_shuffle_pd, _mm256_storeu_pd,
};

/// The narrowest row this kernel takes; narrower rows go to the portable kernel. Below it
/// the vector loop would run at most once or twice.
pub(crate) const MIN_COLS: usize = 16;

// ANCHOR: interior_row_avx2
/// Writes the smooth of interior row `middle` — between rows `above` and `below`, all
/// three of length `out.len()` — into `out`. `inner` is `1 / 9` as the portable kernel
/// computes it, `edge` the pixel count of a border window (6).
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
    inner: f64,
    edge: f64,
) {
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
