//! §1.4 — numpy's `np.add(X, Y, out=Z)`: write into memory that already exists.

use ndarray::{ArrayView1, ArrayViewMut1, Zip};

use crate::AddError;

// ANCHOR: add_into
/// Adds `x` and `y` into `out`, allocating nothing.
///
/// # Errors
/// [`AddError::LengthMismatch`] or [`AddError::OutputLengthMismatch`], checked
/// before anything is written, so `out` is untouched on error. Overflow wraps.
///
/// Cost: the same reads and writes as [`vectorised_add`](crate::vectorised_add), minus the
/// allocation and the page faults of a fresh output: when the add is memory-bound, that
/// difference is most of the gap between the two. On a processor with AVX2, contiguous
/// arrays get the loop compiled for it (four adds per instruction instead of two), and an
/// output of at least [`STREAM_MIN_BYTES`](simd::STREAM_MIN_BYTES) is written with
/// streaming stores, which skip reading it into the cache first but leave it out of the
/// cache afterwards ([`simd`](simd)).
///
/// ```
/// use ndarray::{array, Array1};
/// let mut out = Array1::zeros(2);
/// solution_01::add_into(array![1, 2].view(), array![3, 4].view(), out.view_mut()).unwrap();
/// assert_eq!(out, array![4, 6]);
/// ```
pub fn add_into(
    x: ArrayView1<i64>,
    y: ArrayView1<i64>,
    mut out: ArrayViewMut1<i64>,
) -> Result<(), AddError> {
    let len = AddError::require_equal_lengths(x.len(), y.len())?;
    AddError::require_output_length(len, out.len())?;
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2")
        && let (Some(xs), Some(ys), Some(zs)) = (x.as_slice(), y.as_slice(), out.as_slice_mut())
    {
        if len * size_of::<i64>() >= simd::STREAM_MIN_BYTES {
            // SAFETY: AVX2 is present (checked just above); the lengths were checked equal.
            unsafe { simd::add_streaming_avx2(xs, ys, zs) };
        } else {
            // SAFETY: as above.
            unsafe { simd::add_plain_avx2(xs, ys, zs) };
        }
        return Ok(());
    }
    Zip::from(out)
        .and(&x)
        .and(&y)
        .for_each(|z, &a, &b| *z = a.wrapping_add(b));
    Ok(())
}
// ANCHOR_END: add_into

pub mod simd {
    //! §1.4, going further — the processor's full width, and writing a large result past the
    //! cache.
    //!
    //! **Width.** Rust compiles for the x86-64 baseline unless told otherwise: its SIMD adds
    //! take two `i64` at a time. numpy ships loops for wider instruction sets and picks one at
    //! run time; [`add_plain_avx2`] is the same loop compiled with AVX2 allowed (four at a
    //! time), which [`add_into`](crate::add_into) picks when the processor has it. While the
    //! arrays fit in the cache, width is what decides the speed.
    //!
    //! **Stores.** A store to memory that is not in the cache first *reads* the cache line it
    //! lands in (the processor cannot know the rest of the line will be overwritten too), so a
    //! plain `z = x + y` over arrays larger than the cache moves four bytes for every three it
    //! needs: read x, read y, read z, write z. A *non-temporal* ("streaming") store skips that
    //! read and writes whole lines straight to memory; glibc's `memcpy` streams copies larger
    //! than a share of the cache. The price: the result is not left in the cache, so code that
    //! reads it straight back pays a trip to memory. Hence a threshold.

    #[cfg(target_arch = "x86_64")]
    use std::arch::x86_64::{
        __m256i, _mm_sfence, _mm256_add_epi64, _mm256_loadu_si256, _mm256_stream_si256,
    };

    /// The smallest output, in bytes, that [`add_into`](crate::add_into) writes with streaming
    /// stores. Measured on the course machine (32 MiB level-3 cache), output of 2 MiB: plain
    /// stores 0.95× the time of streaming (plain is faster, the arrays stay in the cache);
    /// 4 MiB: streaming 1.1× faster; 8 MiB: 1.6×; 32 MiB (the tutorial's 4M `i64`): 1.3×;
    /// 512 MiB: 1.6×.
    pub const STREAM_MIN_BYTES: usize = 4 << 20;

    /// `out[k] = x[k] + y[k]` (wrapping), the plain loop compiled with AVX2 allowed.
    ///
    /// # Safety
    /// The processor must have AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn add_plain_avx2(x: &[i64], y: &[i64], out: &mut [i64]) {
        for ((z, a), b) in out.iter_mut().zip(x).zip(y) {
            *z = a.wrapping_add(*b);
        }
    }

    // ANCHOR: add_streaming
    /// `out[k] = x[k] + y[k]` (wrapping), writing `out` with AVX2 streaming stores.
    ///
    /// Streaming stores need 32-byte-aligned addresses, so the first few elements (until `out`
    /// is aligned) and the last few (under four) are written with plain stores. The closing
    /// `sfence` orders the streaming stores before anything this thread writes afterwards
    /// (streaming stores are otherwise weakly ordered), so another thread that is told "done"
    /// after this returns sees every element.
    ///
    /// # Safety
    /// The processor must have AVX2; `x`, `y` and `out` must have the same length.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn add_streaming_avx2(x: &[i64], y: &[i64], out: &mut [i64]) {
        let n = out.len();
        assert!(
            x.len() == n && y.len() == n,
            "add_streaming_avx2: lengths differ"
        );
        let mut k = 0;
        while k < n && !(out.as_ptr().wrapping_add(k) as usize).is_multiple_of(32) {
            out[k] = x[k].wrapping_add(y[k]);
            k += 1;
        }
        while k + 4 <= n {
            // SAFETY: k + 4 <= n for all three slices; `out + k` is 32-byte aligned (the loop
            // above stopped there and k moves by 32 bytes); unaligned loads need no alignment.
            unsafe {
                let a = _mm256_loadu_si256(x.as_ptr().add(k).cast::<__m256i>());
                let b = _mm256_loadu_si256(y.as_ptr().add(k).cast::<__m256i>());
                _mm256_stream_si256(
                    out.as_mut_ptr().add(k).cast::<__m256i>(),
                    _mm256_add_epi64(a, b),
                );
            }
            k += 4;
        }
        _mm_sfence();
        for ((z, a), b) in out[k..].iter_mut().zip(&x[k..]).zip(&y[k..]) {
            *z = a.wrapping_add(*b);
        }
    }
    // ANCHOR_END: add_streaming

    #[cfg(all(test, target_arch = "x86_64"))]
    mod tests {
        use super::*;

        /// Both AVX2 loops give the portable loop's answer on every short length and every
        /// alignment of the output, with wrapping at the extremes.
        #[test]
        fn both_avx2_loops_give_the_plain_sum_at_every_length_and_alignment() {
            if !std::arch::is_x86_feature_detected!("avx2") {
                return;
            }
            let x: Vec<i64> = (0..80)
                .map(|k| if k % 7 == 0 { i64::MAX } else { k * 3 - 40 })
                .collect();
            let y: Vec<i64> = (0..80)
                .map(|k| if k % 5 == 0 { i64::MAX } else { 11 - k })
                .collect();
            for len in 0..40 {
                for offset in 0..4 {
                    let mut out = vec![0_i64; len + 4];
                    let out = &mut out[offset..offset + len];
                    // SAFETY: AVX2 is present (checked above); all three have length `len`.
                    unsafe { add_streaming_avx2(&x[..len], &y[offset..offset + len], out) };
                    let plain: Vec<i64> =
                        (0..len).map(|k| x[k].wrapping_add(y[offset + k])).collect();
                    assert_eq!(out, &plain[..], "length {len}, offset {offset}");
                    let mut wide = vec![0_i64; len];
                    // SAFETY: as above.
                    unsafe { add_plain_avx2(&x[..len], &y[offset..offset + len], &mut wide) };
                    assert_eq!(wide, plain, "length {len}, offset {offset}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use ndarray::Array1;

    /// Above the streaming threshold (and at odd lengths around it) `add_into` still
    /// gives the wrapping sum of every element: the harness's random inputs are small, so
    /// they never reach that path.
    #[test]
    fn large_outputs_written_with_streaming_stores_hold_the_sum() {
        let threshold = super::simd::STREAM_MIN_BYTES / size_of::<i64>();
        for len in [threshold - 1, threshold, threshold + 3] {
            let x = Array1::from_iter(
                (0..len as i64).map(|k| k.wrapping_mul(0x9E37_79B9_7F4A_7C15u64 as i64)),
            );
            let y = Array1::from_iter((0..len as i64).map(|k| i64::MAX - k));
            let mut out = Array1::from_elem(len, -1_i64);
            crate::add_into(x.view(), y.view(), out.view_mut()).expect("equal lengths");
            for (k, ((&z, &a), &b)) in out.iter().zip(&x).zip(&y).enumerate() {
                assert_eq!(z, a.wrapping_add(b), "length {len}, element {k}");
            }
        }
    }
}
