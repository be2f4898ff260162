//! Seeded test data: the same seed gives the same values on every machine, thread and run,
//! so every failure can be reproduced and every table regenerated.

use ndarray::Array2;
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};

/// A `rows × cols` image of values uniform in `[0, 1)`, from `seed`: like the tutorial's
/// `np.random.random((1000, 1000))`, but reproducible. Recipe: a Xoshiro256++ generator
/// seeded with `seed_from_u64(seed)`, one `next_u64()` per pixel in row-major order, its
/// top 53 bits scaled by 2⁻⁵³ — the recipe section 03's `load_eo_data` documents, so
/// `seeded_image(i, shape)` is image `i` of the pipeline.
pub fn seeded_image(seed: u64, shape: (usize, usize)) -> Array2<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let scale = 1.0 / (1_u64 << 53) as f64;
    Array2::from_shape_simple_fn(shape, || (rng.next_u64() >> 11) as f64 * scale)
}

/// `len` integers spread over the whole `i64` range, from `seed`. About half of all
/// pairwise sums of such values overflow, which is what an overflow check needs.
pub fn seeded_i64(seed: u64, len: usize) -> Vec<i64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..len).map(|_| rng.next_u64() as i64).collect()
}

/// numpy's `arange(len)` as `i64`s: the tutorial's `X` and `Y`.
pub fn arange_i64(len: usize) -> Vec<i64> {
    (0..len as i64).collect()
}
