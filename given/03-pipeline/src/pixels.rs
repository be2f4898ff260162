//! Random bits to pixel values: the conversion stage 1's recipe names.

/// The top 53 bits of `bits` as a float in `[0, 1)`: every value is a multiple of
/// 2⁻⁵³, the spacing of `f64` just below 1. This is the conversion numpy's
/// `Generator.random` uses; the legacy `np.random.random` builds its 53 bits from two
/// 32-bit draws instead.
pub fn unit_f64(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1_u64 << 53) as f64)
}
