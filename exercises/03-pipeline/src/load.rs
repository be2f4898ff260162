//! §3.1 — stage 1: an image that any thread can regenerate from its index.

use ndarray::{Array2, ArrayViewMut2};
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};

use crate::unit_f64;

/// Stage 1: the pixels of image `index`, uniform in `[0, 1)`, a pure function of `index`
/// and `shape`, as a new array. Given: it calls your [`load_eo_data_into`].
///
/// Bad input: a dimension of 0 gives an empty array of that shape; a shape whose element
/// count overflows `isize` panics (ndarray: "Shape too large").
pub fn load_eo_data(index: u64, shape: (usize, usize)) -> Array2<f64> {
    let mut image = Array2::zeros(shape);
    load_eo_data_into(index, image.view_mut());
    image
}

// ANCHOR: load_eo_data
/// Stage 1 into an existing array (its shape is the image's shape): the pixels of image
/// `index`, uniform in `[0, 1)`, a pure function of `index` and the shape — the same on
/// every thread, in every order, in every run. Allocates nothing.
///
/// Recipe (the checks and section 04 rely on it): a Xoshiro256++ generator seeded with
/// `Xoshiro256PlusPlus::seed_from_u64(index)`, one `next_u64()` per pixel in row-major
/// order, each turned into a float with [`unit_f64`].
pub fn load_eo_data_into(index: u64, image: ArrayViewMut2<f64>) {
    todo!(
        "load_eo_data_into: the pixels of image `index` in [0, 1), a pure function of the \
         index, by the recipe in this function's documentation — \
         book §3.1 \"Stage 1: images from an index\" (book/src/03-pipeline.md)"
    )
}
// ANCHOR_END: load_eo_data
