//! Seeded test data: the same seed gives the same values on every machine, thread and run,
//! so every failure can be reproduced.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};

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
