//! Seeded test images, like the tutorial's `np.random.random((1000, 1000))` but reproducible.

use ndarray::Array2;
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};

/// A `rows × cols` image of values uniform in `[0, 1)`, from `seed`.
pub fn seeded_image(seed: u64, shape: (usize, usize)) -> Array2<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    // The top 53 bits of a 64-bit draw, scaled: every value in [0, 1) equally likely.
    Array2::from_shape_simple_fn(shape, || {
        (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    })
}
