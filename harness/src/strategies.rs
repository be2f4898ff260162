//! proptest strategies for the course's arrays.
//!
//! Lengths always include the edge cases (empty, one element, odd sizes, sizes just past a
//! SIMD width) and reach sizes where rayon splits the work. Integer values mix small
//! numbers (readable counterexamples) with the extremes of `i64` (sums that overflow).
//! Everything is built from `Vec` strategies, so shrinking removes elements and moves
//! values toward zero: counterexamples come out small.

use ndarray::{Array1, Array2, ArrayView1, ArrayViewMut1, s};
use proptest::collection::vec;
use proptest::prelude::*;

/// An `i64` that is usually small, sometimes an extreme (so sums overflow), sometimes any.
pub fn i64_value() -> impl Strategy<Value = i64> + Clone {
    prop_oneof![
        6 => -1000_i64..1000,
        2 => prop_oneof![Just(i64::MAX), Just(i64::MIN), Just(i64::MAX - 1), Just(i64::MIN + 1)],
        2 => any::<i64>(),
    ]
}

/// `n` elements from `element`, with a length that is mostly tiny (0, 1, odd, around SIMD
/// widths), sometimes medium, sometimes large enough that rayon splits the work. Every
/// length range starts at 0, so shrinking can always remove elements down to a minimal case.
pub fn vec_of<S: Strategy + Clone>(element: S) -> impl Strategy<Value = Vec<S::Value>> {
    prop_oneof![
        4 => vec(element.clone(), 0..=17),
        2 => vec(element.clone(), 0..=300),
        1 => vec(element, 0..=40_000),
    ]
}

/// Two vectors of the same length. Generated as one vector of pairs, so shrinking removes
/// whole pairs and the lengths stay equal.
pub fn equal_length_pair() -> impl Strategy<Value = (Vec<i64>, Vec<i64>)> {
    vec_of((i64_value(), i64_value())).prop_map(|pairs| pairs.into_iter().unzip())
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

/// An image shape: often degenerate (0, 1 or 2 rows or columns), often small and odd,
/// sometimes large enough for rayon to split the rows.
pub fn image_shape() -> impl Strategy<Value = (usize, usize)> {
    prop_oneof![
        3 => (0_usize..=3, 0_usize..=3),
        3 => (1_usize..=12, 1_usize..=12),
        1 => (20_usize..=90, 20_usize..=90),
    ]
}

/// A finite pixel value in `[-1000, 1000]`: large enough to matter, small enough that the
/// rounding of a 9-term sum stays far below the comparison tolerance.
pub fn pixel_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => -1000.0_f64..1000.0,
        1 => (-5_i32..=5).prop_map(f64::from),
    ]
}

/// An image of the given shape with values from [`pixel_value`].
pub fn image_of(shape: (usize, usize)) -> impl Strategy<Value = Array2<f64>> {
    vec(pixel_value(), shape.0 * shape.1)
        .prop_map(move |v| Array2::from_shape_vec(shape, v).expect("length matches the shape"))
}

/// Any image from [`image_shape`].
pub fn image() -> impl Strategy<Value = Array2<f64>> {
    image_shape().prop_flat_map(image_of)
}

/// Two images of the same shape and a scale factor in `[-4, 4)`: the inputs of a linearity law.
pub fn two_images_and_a_scale() -> impl Strategy<Value = (Array2<f64>, Array2<f64>, f64)> {
    image_shape().prop_flat_map(|shape| (image_of(shape), image_of(shape), -4.0_f64..4.0))
}

/// How a 2-D image is laid out in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageLayout {
    /// Row-major and contiguous (numpy's default, C order).
    Standard,
    /// Column-major: the transpose of a standard array, viewed through `.t()` (Fortran order).
    Transposed,
    /// Every second row and column of a larger array whose other pixels are NaN, so a kernel
    /// that ignores strides reads NaN.
    Strided,
}

/// Any [`ImageLayout`], standard half the time.
pub fn image_layout() -> impl Strategy<Value = ImageLayout> {
    prop_oneof![
        2 => Just(ImageLayout::Standard),
        1 => Just(ImageLayout::Transposed),
        1 => Just(ImageLayout::Strided),
    ]
}

/// An image presented through a chosen [`ImageLayout`].
#[derive(Debug, Clone)]
pub struct LaidImage {
    backing: Array2<f64>,
    layout: ImageLayout,
}

impl LaidImage {
    pub fn new(image: &Array2<f64>, layout: ImageLayout) -> LaidImage {
        let backing = match layout {
            ImageLayout::Standard => image.as_standard_layout().into_owned(),
            ImageLayout::Transposed => image.t().as_standard_layout().into_owned(),
            ImageLayout::Strided => {
                let (rows, cols) = image.dim();
                let mut backing = Array2::from_elem((2 * rows, 2 * cols), f64::NAN);
                backing.slice_mut(s![..;2, ..;2]).assign(image);
                backing
            }
        };
        LaidImage { backing, layout }
    }

    /// The image, through this layout.
    pub fn view(&self) -> ndarray::ArrayView2<'_, f64> {
        match self.layout {
            ImageLayout::Standard => self.backing.view(),
            ImageLayout::Transposed => self.backing.t(),
            ImageLayout::Strided => self.backing.slice(s![..;2, ..;2]),
        }
    }
}
