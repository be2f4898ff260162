//! Snapshot summaries: a handful of numbers that change when any element changes, stored as
//! readable text in `.snap` files instead of millions of raw values.

use std::fmt;

use ndarray::{ArrayView, Dimension};

/// Shape, min, max, mean and a checksum of an integer array.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub shape: Vec<usize>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// Mean of the values, computed exactly in `i128` and rounded to 3 decimals.
    pub mean: Option<f64>,
    /// FNV-1a over the values' bytes in logical order: any changed, missing or reordered
    /// element changes it.
    pub checksum: u64,
}

impl Summary {
    /// Summarises `values`. Cost: one pass.
    pub fn of_i64<D: Dimension>(values: ArrayView<i64, D>) -> Summary {
        let mut checksum = Fnv1a::new();
        let mut sum: i128 = 0;
        for &v in values.iter() {
            checksum.write(&v.to_le_bytes());
            sum += i128::from(v);
        }
        let len = values.len();
        Summary {
            shape: values.shape().to_vec(),
            min: values.iter().copied().min(),
            max: values.iter().copied().max(),
            mean: (len > 0).then(|| round3(sum as f64 / len as f64)),
            checksum: checksum.finish(),
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: Option<String>| v.unwrap_or_else(|| "none (empty)".into());
        writeln!(f, "shape:    {:?}", self.shape)?;
        writeln!(f, "min:      {}", show(self.min.map(|v| v.to_string())))?;
        writeln!(f, "max:      {}", show(self.max.map(|v| v.to_string())))?;
        writeln!(
            f,
            "mean:     {}",
            show(self.mean.map(|v| format!("{v:.3}")))
        )?;
        write!(f, "checksum: {:016x}", self.checksum)
    }
}

/// 64-bit FNV-1a: tiny, dependency-free and stable across platforms and versions.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Shape, NaN count, min, max, mean and a quantised checksum of a floating-point array.
///
/// Floating-point results legitimately differ in the last bits between correct
/// implementations that add in different orders, so the checksum hashes each value rounded
/// to a multiple of `quantum` (and min, max and mean are printed to 9 decimals). With
/// `quantum = 1e-6` a rounding-order difference of ~1e-16 flips a quantised value with
/// probability ~2e-10 per element.
#[derive(Debug, Clone, PartialEq)]
pub struct FloatSummary {
    pub shape: Vec<usize>,
    pub nan_count: usize,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    pub quantum: f64,
    pub checksum: u64,
}

impl FloatSummary {
    /// Summarises `values`, ignoring NaNs for min, max and mean. Cost: one pass.
    pub fn of_f64<D: Dimension>(values: ArrayView<f64, D>, quantum: f64) -> FloatSummary {
        let mut checksum = Fnv1a::new();
        let (mut sum, mut finite, mut nan_count) = (0.0, 0_usize, 0_usize);
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for &v in values.iter() {
            if v.is_nan() {
                nan_count += 1;
                checksum.write(b"NaN");
                continue;
            }
            checksum.write(&((v / quantum).round() as i64).to_le_bytes());
            sum += v;
            finite += 1;
            min = min.min(v);
            max = max.max(v);
        }
        let some = finite > 0;
        FloatSummary {
            shape: values.shape().to_vec(),
            nan_count,
            min: some.then_some(min),
            max: some.then_some(max),
            mean: some.then(|| sum / finite as f64),
            quantum,
            checksum: checksum.finish(),
        }
    }
}

impl fmt::Display for FloatSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show =
            |v: Option<f64>| v.map_or_else(|| "none (no numbers)".into(), |v| format!("{v:.9}"));
        writeln!(f, "shape:    {:?}", self.shape)?;
        writeln!(f, "NaNs:     {}", self.nan_count)?;
        writeln!(f, "min:      {}", show(self.min))?;
        writeln!(f, "max:      {}", show(self.max))?;
        writeln!(f, "mean:     {}", show(self.mean))?;
        write!(
            f,
            "checksum: {:016x} (values rounded to multiples of {:e})",
            self.checksum, self.quantum
        )
    }
}
