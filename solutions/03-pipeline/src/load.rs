//! §3.1 — stage 1: an image that any thread can regenerate from its index.

use ndarray::{Array2, ArrayViewMut2};
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
/// count overflows `isize` panics (ndarray: "Shape too large"). Cost: one 8-byte write per
/// pixel and one generator step (~1 ns) per pixel; ~1 ms at 1000 × 1000.
pub fn load_eo_data(index: u64, shape: (usize, usize)) -> Array2<f64> {
    let mut image = Array2::zeros(shape);
    load_eo_data_into(index, image.view_mut());
    image
}

/// [`load_eo_data`] into an existing array (a workspace's, reused for every image): its
/// shape is the image's shape. Allocates nothing. Cost: as [`load_eo_data`].
pub fn load_eo_data_into(index: u64, mut image: ArrayViewMut2<f64>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(index);
    // `iter_mut` visits the pixels in row-major order whatever the view's layout.
    for pixel in image.iter_mut() {
        *pixel = unit_f64(rng.next_u64());
    }
}
// ANCHOR_END: load_eo_data
