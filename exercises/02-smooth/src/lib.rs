//! Section 02 — unoptimised vs optimised smooth. **Your exercise.**
//!
//! Fill in the three functions, one file each: [`smooth_naive`] (§2.1),
//! [`smooth_optimised`] (§2.3), [`smooth_parallel`] (§2.4). The chapter is
//! `book/src/02-smooth.md`; §2.2 shows what the optimiser does to your naive loop.
//!
//! Check your work with `cargo test -p exercise-02`, or one group at a time:
//! `correctness_`, `properties_`, `snapshot_`, `timing_`.
//!
//! # The contract every function keeps
//! - output pixel `(i, j)` = the mean (`/ count`, a true division) of the input pixels in
//!   the 3 × 3 window centred on `(i, j)`, **clipped to the image**: 9 pixels inside, 6 on an
//!   edge, 4 in a corner, fewer in images one pixel wide;
//! - every shape works, including 0 × N, 1 × 1, 1 × N and N × 1; the output has the input's shape;
//! - any layout (transposed, sliced) gives the same answer as a contiguous copy;
//! - a NaN reaches exactly the outputs whose window contains it;
//! - pixels of magnitude up to [`LARGEST_PIXEL`] (`f64::MAX / 16`) give their window's mean
//!   (no partial sum can overflow); beyond that an output may be `±inf` or `NaN`;
//! - a window of only `-0.0` gives `-0.0` (start a sum at `-0.0`, not `0.0`).

pub mod naive;
pub mod optimised;
pub mod parallel;

// Given: the clipped window of rows (or columns) around an index.
pub use given_02::{LARGEST_PIXEL, TUTORIAL_SHAPE, clipped_window};

pub use naive::smooth_naive;
pub use optimised::smooth_optimised;
pub use parallel::smooth_parallel;
