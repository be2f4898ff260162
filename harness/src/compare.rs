//! Array comparisons whose failure a learner can read: the shape, how many elements differ,
//! the first mismatch with its index, expected vs actual, the tolerance, and where to read
//! more. Never prints a whole array.

use std::fmt::{Debug, Write};

use ndarray::{ArrayView, Dimension};

/// How close a computed element must be to the expected one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tolerance {
    /// Bit-for-bit equal (integers, or floats that must not change at all).
    Exact,
    /// `|expected - actual| <= abs + rel * |expected|`; NaN matches only NaN.
    Close { abs: f64, rel: f64 },
}

/// `1e-9`, `2.5e-12`, and `0` (not `0e0`): how a tolerance reads best.
fn scientific(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else {
        format!("{x:e}")
    }
}

impl std::fmt::Display for Tolerance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tolerance::Exact => write!(f, "exact"),
            Tolerance::Close { abs, rel } => write!(
                f,
                "abs {} + rel {} × |expected|",
                scientific(*abs),
                scientific(*rel)
            ),
        }
    }
}

/// An element type that [`compare`] knows how to match within a [`Tolerance`].
pub trait Element: Copy + Debug {
    fn matches(expected: Self, actual: Self, tolerance: Tolerance) -> bool;
}

impl Element for i64 {
    fn matches(expected: i64, actual: i64, _: Tolerance) -> bool {
        expected == actual
    }
}

impl Element for f64 {
    fn matches(expected: f64, actual: f64, tolerance: Tolerance) -> bool {
        match tolerance {
            Tolerance::Exact => expected.to_bits() == actual.to_bits() || expected == actual,
            Tolerance::Close { abs, rel } => {
                if expected.is_nan() || actual.is_nan() {
                    expected.is_nan() && actual.is_nan()
                } else {
                    expected == actual || (expected - actual).abs() <= abs + rel * expected.abs()
                }
            }
        }
    }
}

/// How many mismatches a failure message lists after the first.
const MORE_MISMATCHES_SHOWN: usize = 4;

/// Compares two arrays element by element.
///
/// Returns `Err` with a readable, bounded-length report that starts with `what` and ends
/// with `book` (where to read about it). Cost: one pass over both arrays.
///
/// ```
/// use harness::compare::{compare, Tolerance};
/// use ndarray::array;
/// let report = compare("add", "book §1.2", array![1_i64, 2, 3].view(), array![1, 2, 4].view(),
///                      Tolerance::Exact).unwrap_err();
/// assert!(report.contains("1 of 3 elements differ"));
/// assert!(report.contains("first at [2]: expected 3, actual 4"));
/// ```
pub fn compare<T: Element, D: Dimension>(
    what: &str,
    book: &str,
    expected: ArrayView<T, D>,
    actual: ArrayView<T, D>,
    tolerance: Tolerance,
) -> Result<(), String>
where
    D::Pattern: IndexPattern,
{
    let mut report = String::new();
    if expected.shape() != actual.shape() {
        let _ = writeln!(report, "{what}: the result has the wrong shape");
        let _ = writeln!(
            report,
            "  shape: expected {:?}, actual {:?}",
            expected.shape(),
            actual.shape()
        );
        let _ = write!(report, "  read: {book}");
        return Err(report);
    }
    let mut mismatches = expected
        .indexed_iter()
        .zip(actual.iter())
        .filter(|((_, e), a)| !T::matches(**e, **a, tolerance))
        .map(|((index, e), a)| (index, *e, *a));
    let Some((first_index, first_expected, first_actual)) = mismatches.next() else {
        return Ok(());
    };
    let shown: Vec<_> = mismatches.by_ref().take(MORE_MISMATCHES_SHOWN).collect();
    let count = 1 + shown.len() + mismatches.count();
    let _ = writeln!(
        report,
        "{what}: the result differs from the expected values"
    );
    let _ = writeln!(report, "  shape: {:?} (as expected)", expected.shape());
    let _ = writeln!(
        report,
        "  {count} of {} elements differ (tolerance: {tolerance})",
        expected.len()
    );
    let _ = writeln!(
        report,
        "  first at {}: expected {first_expected:?}, actual {first_actual:?}",
        format_index(&first_index.into_pattern_vec())
    );
    for (index, e, a) in shown {
        let _ = writeln!(
            report,
            "  then  at {}: expected {e:?}, actual {a:?}",
            format_index(&index.into_pattern_vec())
        );
    }
    let _ = write!(report, "  read: {book}");
    Err(report)
}

/// [`compare`], panicking with the report.
#[track_caller]
pub fn assert_arrays<T: Element, D: Dimension>(
    what: &str,
    book: &str,
    expected: ArrayView<T, D>,
    actual: ArrayView<T, D>,
    tolerance: Tolerance,
) where
    D::Pattern: IndexPattern,
{
    if let Err(report) = compare(what, book, expected, actual, tolerance) {
        panic!("{report}");
    }
}

/// Turns an ndarray index pattern (`usize`, `(usize, usize)`, `IxDyn`, …) into a list.
pub trait IndexPattern {
    fn into_pattern_vec(self) -> Vec<usize>;
}

impl IndexPattern for usize {
    fn into_pattern_vec(self) -> Vec<usize> {
        vec![self]
    }
}

impl IndexPattern for (usize, usize) {
    fn into_pattern_vec(self) -> Vec<usize> {
        vec![self.0, self.1]
    }
}

impl IndexPattern for (usize, usize, usize) {
    fn into_pattern_vec(self) -> Vec<usize> {
        vec![self.0, self.1, self.2]
    }
}

impl IndexPattern for ndarray::IxDyn {
    fn into_pattern_vec(self) -> Vec<usize> {
        self.as_array_view().to_vec()
    }
}

fn format_index(index: &[usize]) -> String {
    let parts: Vec<String> = index.iter().map(usize::to_string).collect();
    format!("[{}]", parts.join(", "))
}

/// Shortens a `Debug` rendering to at most `max_chars`, so a failure never prints
/// millions of elements.
pub fn truncated_debug(value: &impl Debug, max_chars: usize) -> String {
    let text = format!("{value:?}");
    if text.chars().count() <= max_chars {
        text
    } else {
        let head: String = text.chars().take(max_chars).collect();
        format!("{head}… ({} characters in all)", text.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerances_read_naturally() {
        let t = Tolerance::Close {
            abs: 0.0,
            rel: 1e-9,
        };
        assert_eq!(t.to_string(), "abs 0 + rel 1e-9 × |expected|");
        assert_eq!(Tolerance::Exact.to_string(), "exact");
    }
}
