//! Section 02 — unoptimised vs optimised smooth (reference solution).
//!
//! The tutorial smooths a 1000 × 1000 image with a 3 × 3 mean filter, first in pure Python
//! and then compiled with numba. In Rust the loop is always compiled; the lessons are what
//! *optimisation* adds ([`smooth_naive`] in a debug build vs a release build) and what a
//! cache- and SIMD-friendly kernel adds on top ([`smooth_optimised`], [`smooth_parallel`]).
//!
//! # Contract shared by every variant
//! - **Output pixel** `(i, j)` is the arithmetic mean of the input pixels in the 3 × 3 window
//!   centred on `(i, j)` — a true mean (`/ 9`), not the tutorial's floor division `// 9`.
//! - **Border policy: the window is clipped to the image.** At an edge the mean is over the
//!   6 pixels that exist, in a corner over 4; in a 1-pixel-wide image over 2 or 3; a 1 × 1
//!   image is returned unchanged. Every output pixel is defined: nothing is left
//!   uninitialised (the tutorial's `np.empty_like` left its border holding leftover memory).
//! - **Any shape** works, including 0 × N and N × 0 (an empty output of the same shape).
//! - **Any layout**: a transposed or sliced view gives the same answer as its contiguous copy.
//! - **NaN** propagates to exactly the outputs whose window contains it; infinities likewise
//!   follow IEEE arithmetic (no subtraction is used, so `inf - inf` never appears).
//! - **Valid range: finite pixels of magnitude at most `f64::MAX / 16`** (≈ 1.1e307,
//!   [`given_02::LARGEST_PIXEL`]). A window then sums to at most `9/16 · f64::MAX` in any
//!   order, so no partial sum overflows and every output is its window's mean. Beyond it a
//!   window's sum can overflow part-way — an all-`f64::MAX` image smooths to `inf`, and
//!   `[[M, -M, M], [M, -M, M], [0, 0, 0]]` gives `inf` in one variant and `NaN` in another,
//!   because they add in different orders. Such an output is never a finite wrong value:
//!   it is the mean, or `±inf`, or `NaN`. (Scaling every pixel by 1/16 first would widen the
//!   range to `f64::MAX`, at the cost of a multiply per pixel in every kernel; satellite
//!   reflectances are nowhere near the limit.)
//! - **Signed zero**: the mean of a window of only `-0.0` is `-0.0`, as IEEE addition and
//!   numpy's `mean` give; one `+0.0` in the window makes it `+0.0`. (A sum started at
//!   `0.0` would turn every `-0.0` into `+0.0`; start at `-0.0`, the additive identity.)
//! - Variants agree to within floating-point rounding (they add in different orders): at
//!   most a few ulps of the largest magnitude in the window.

pub mod naive;
pub mod optimised;
pub mod parallel;

pub use naive::smooth_naive;
pub use optimised::{smooth_optimised, smooth_optimised_into};
pub use parallel::smooth_parallel;

pub use given_02::{LARGEST_PIXEL, TUTORIAL_SHAPE, clipped_window};
