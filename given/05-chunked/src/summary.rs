//! Partial results of a reduction: the sum (compensated), the count, the minimum and the
//! maximum of a chunk, or of several chunks once combined. One tree computes all four.

use ndarray::ArrayView2;

// ANCHOR: compensated
/// A running sum that keeps the rounding error of every addition (Neumaier's variant of
/// Kahan summation). A plain `f64` sum of n values can be off by ~n·ε times the largest
/// partial sum; this one is accurate to ~2ε of the true sum, whatever the order or the
/// magnitudes (`1e16 + 1.0 - 1e16` gives 1, not 0).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Compensated {
    /// The rounded running sum.
    pub sum: f64,
    /// The rounding errors so far, added back in [`value`](Self::value).
    pub compensation: f64,
}

impl Compensated {
    /// Adds `x`, keeping the part of it (or of the running sum) the addition rounds away.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        // Past an infinity (or NaN) the error terms would be NaN; the sum says it all.
        if t.is_finite() {
            if self.sum.abs() >= x.abs() {
                self.compensation += (self.sum - t) + x;
            } else {
                self.compensation += (x - t) + self.sum;
            }
        }
        self.sum = t;
    }

    /// The sum. An infinite or NaN running sum is returned as it is.
    pub fn value(&self) -> f64 {
        if self.sum.is_finite() {
            self.sum + self.compensation
        } else {
            self.sum
        }
    }
}
// ANCHOR_END: compensated

/// The minimum of two values, NaN if either is (numpy's `np.min` propagates NaN;
/// `f64::min` would drop it).
#[inline]
pub fn nan_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

/// The maximum of two values, NaN if either is.
#[inline]
pub fn nan_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

// ANCHOR: summary
/// Sum, count, minimum and maximum of some elements: a reduction's partial result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub sum: Compensated,
    pub count: u64,
    /// `+inf` when empty; NaN when any element is NaN.
    pub min: f64,
    /// `-inf` when empty; NaN when any element is NaN.
    pub max: f64,
}
// ANCHOR_END: summary

impl Summary {
    /// The summary of no elements: combining it with any summary changes nothing.
    pub const EMPTY: Summary = Summary {
        sum: Compensated {
            sum: 0.0,
            compensation: 0.0,
        },
        count: 0,
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
    };

    /// The summary of one chunk (a leaf of the reduction tree).
    pub fn of_chunk(chunk: ArrayView2<f64>) -> Summary {
        let mut s = Summary::EMPTY;
        for &x in chunk.iter() {
            s.sum.add(x);
            s.min = nan_min(s.min, x);
            s.max = nan_max(s.max, x);
        }
        s.count = chunk.len() as u64;
        s
    }

    /// The mean: the sum over the count, NaN for no elements (as numpy's mean of an empty
    /// array, without the warning).
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum.value() / self.count as f64
        }
    }
}
