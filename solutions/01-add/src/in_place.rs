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
/// output of at least [`STREAM_MIN_BYTES`](crate::simd::STREAM_MIN_BYTES) is written with
/// streaming stores, which skip reading it into the cache first but leave it out of the
/// cache afterwards ([`simd`](crate::simd)).
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
    out: ArrayViewMut1<i64>,
) -> Result<(), AddError> {
    let len = AddError::require_equal_lengths(x.len(), y.len())?;
    AddError::require_output_length(len, out.len())?;
    let mut out = out;
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2")
        && let (Some(xs), Some(ys), Some(zs)) = (x.as_slice(), y.as_slice(), out.as_slice_mut())
    {
        if len * size_of::<i64>() >= crate::simd::STREAM_MIN_BYTES {
            // SAFETY: AVX2 is present (checked just above); the lengths were checked equal.
            unsafe { crate::simd::add_streaming_avx2(xs, ys, zs) };
        } else {
            // SAFETY: as above.
            unsafe { crate::simd::add_plain_avx2(xs, ys, zs) };
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

#[cfg(test)]
mod tests {
    use ndarray::Array1;

    /// Above the streaming threshold (and at odd lengths around it) `add_into` still
    /// gives the wrapping sum of every element: the harness's random inputs are small, so
    /// they never reach that path.
    #[test]
    fn large_outputs_written_with_streaming_stores_hold_the_sum() {
        let threshold = crate::simd::STREAM_MIN_BYTES / size_of::<i64>();
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
