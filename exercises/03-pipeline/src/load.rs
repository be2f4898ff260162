//! §3.1 — stage 1: an image that any thread can regenerate from its index.

use ndarray::Array2;
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};

use crate::unit_f64;

// ANCHOR: load_eo_data
/// Stage 1: the pixels of image `index`, uniform in `[0, 1)`, a pure function of `index`
/// and `shape` — the same on every thread, in every order, in every run.
///
/// Recipe (the checks and section 04 rely on it): a Xoshiro256++ generator seeded with
/// `Xoshiro256PlusPlus::seed_from_u64(index)`, one `next_u64()` per pixel in row-major
/// order, each turned into a float with [`unit_f64`].
///
/// Bad input: a dimension of 0 gives an empty array of that shape; a shape whose element
/// count overflows `isize` panics (ndarray: "Shape too large").
pub fn load_eo_data(index: u64, shape: (usize, usize)) -> Array2<f64> {
    todo!(
        "load_eo_data: the pixels of image `index` in [0, 1), a pure function of the \
         index, by the recipe in this function's documentation — \
         book §3.1 \"Stage 1: images from an index\" (book/src/03-pipeline.md)"
    )
}
// ANCHOR_END: load_eo_data
