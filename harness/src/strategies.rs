//! proptest strategies for the course's arrays.
//!
//! Lengths always include the edge cases (empty, one element, odd sizes, sizes just past a
//! SIMD width) and reach sizes where rayon splits the work. Integer values mix small
//! numbers (readable counterexamples) with the extremes of `i64` (sums that overflow).
//! Everything is built from `Vec` strategies, so shrinking removes elements and moves
//! values toward zero: counterexamples come out small.

use ndarray::{Array1, ArrayView1, ArrayViewMut1, s};
use proptest::collection::vec;
use proptest::prelude::*;

/// An `i64` that is usually small, sometimes an extreme (so sums overflow), sometimes any.
pub fn i64_value() -> impl Strategy<Value = i64> {
    prop_oneof![
        6 => -1000_i64..1000,
        2 => prop_oneof![Just(i64::MAX), Just(i64::MIN), Just(i64::MAX - 1), Just(i64::MIN + 1)],
        2 => any::<i64>(),
    ]
}

/// A length: mostly tiny (0, 1, odd, around SIMD widths), sometimes large enough that
/// rayon splits the work across threads.
pub fn length() -> impl Strategy<Value = usize> {
    prop_oneof![
        4 => 0_usize..=17,
        2 => 18_usize..=300,
        1 => 2_000_usize..=40_000,
    ]
}

/// Two vectors of the same length.
pub fn equal_length_pair() -> impl Strategy<Value = (Vec<i64>, Vec<i64>)> {
    length().prop_flat_map(|len| (vec(i64_value(), len), vec(i64_value(), len)))
}

/// Two vectors of lengths that may differ (they differ in most cases).
pub fn any_length_pair() -> impl Strategy<Value = (Vec<i64>, Vec<i64>)> {
    (0_usize..=20, 0_usize..=20).prop_flat_map(|(a, b)| (vec(i64_value(), a), vec(i64_value(), b)))
}

/// How a 1-D array is laid out in memory. Functions over ndarray views must give the same
/// answer for every layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Elements side by side.
    Contiguous,
    /// Every second element of a larger array (`a.slice(s![..;2])`).
    Strided,
    /// The elements in reverse order in memory (a negative stride).
    Reversed,
}

/// Any [`Layout`], contiguous half the time.
pub fn layout() -> impl Strategy<Value = Layout> {
    prop_oneof![
        2 => Just(Layout::Contiguous),
        1 => Just(Layout::Strided),
        1 => Just(Layout::Reversed),
    ]
}

/// An array that presents `values` through a chosen [`Layout`].
#[derive(Debug, Clone)]
pub struct Laid {
    backing: Array1<i64>,
    layout: Layout,
}

impl Laid {
    /// Stores `values` so that [`Laid::view`] shows them, in order, with `layout`.
    pub fn new(values: &[i64], layout: Layout) -> Laid {
        let len = values.len();
        let backing = match layout {
            Layout::Contiguous => Array1::from(values.to_vec()),
            Layout::Strided => {
                // Odd positions hold a sentinel that a stride-ignoring read would pick up.
                let mut backing = Array1::from_elem(2 * len, 0x5EED_5EED_i64);
                backing
                    .slice_mut(s![..;2])
                    .assign(&ArrayView1::from(values));
                backing
            }
            Layout::Reversed => values.iter().rev().copied().collect(),
        };
        Laid { backing, layout }
    }

    /// The values, in order, through this layout.
    pub fn view(&self) -> ArrayView1<'_, i64> {
        match self.layout {
            Layout::Contiguous => self.backing.view(),
            Layout::Strided => self.backing.slice(s![..;2]),
            Layout::Reversed => self.backing.slice(s![..;-1]),
        }
    }

    /// A mutable view through this layout.
    pub fn view_mut(&mut self) -> ArrayViewMut1<'_, i64> {
        match self.layout {
            Layout::Contiguous => self.backing.view_mut(),
            Layout::Strided => self.backing.slice_mut(s![..;2]),
            Layout::Reversed => self.backing.slice_mut(s![..;-1]),
        }
    }

    /// The values in logical order.
    pub fn to_vec(&self) -> Vec<i64> {
        self.view().to_vec()
    }
}
