//! §3.1 — stage 1: an image that any thread can regenerate from its index.

use ndarray::Array2;
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};

use crate::unit_f64;

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
        "load_eo_data: seed a Xoshiro256PlusPlus from the index (seed_from_u64), then fill \
         an array of `shape` in row-major order with unit_f64(rng.next_u64()) — \
         Array2::from_shape_simple_fn does exactly that — \
         book §3.1 \"Stage 1: images from an index\" (book/src/03-pipeline.md)"
    )
}
