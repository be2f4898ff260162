//! Section 02 — given code: the tutorial's image shape and the border policy.
//!
//! The clipped window is the one place the border policy of every smooth variant is
//! written: `exercise-02` and `solution-02` both use it, so a learner's kernels and the
//! reference clip the 3 × 3 window at the image's edge in the same way.

/// The tutorial's image size: 1000 × 1000.
pub const TUTORIAL_SHAPE: (usize, usize) = (1000, 1000);

/// The largest pixel magnitude the smooth contract covers: `f64::MAX / 16` (≈ 1.1e307, a
/// power-of-two fraction, so exact). Nine such values sum to at most `9/16 · f64::MAX`
/// whatever the order, so no variant's partial sum overflows. Beyond it, an output may be
/// `±inf` or `NaN` where the true mean is finite (see `solution_02`'s contract).
pub const LARGEST_PIXEL: f64 = f64::MAX / 16.0;

// ANCHOR: clipped_window
/// The window of rows (or columns) clipped to `0..len` around `index`: `(first, last)`
/// inclusive. Shared by every variant so that the border policy is written once.
///
/// `len` must be at least 1 (there is no window in an empty axis; callers loop over
/// `0..len`, so they never ask). `clipped_window(0, 1) == (0, 0)`: a 1-pixel axis.
#[inline]
pub fn clipped_window(index: usize, len: usize) -> (usize, usize) {
    (index.saturating_sub(1), (index + 1).min(len - 1))
}
// ANCHOR_END: clipped_window
