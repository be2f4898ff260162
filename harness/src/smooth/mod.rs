//! Section 02 checks: unoptimised vs optimised 3 × 3 smooth.
//!
//! The contract under test is the one documented in `solution_02`: a true mean over the
//! 3 × 3 window clipped to the image, any shape and layout, NaN propagating to exactly the
//! windows that contain it.

use given_02::TUTORIAL_SHAPE;
use ndarray::{Array2, ArrayView2, array, s};

use crate::compare::{Tolerance, compare};
use crate::data::seeded_image;
use crate::properties;
use crate::strategies::{
    ImageLayout, LaidImage, image, image_layout, image_shape, pixel_value, two_images_and_a_scale,
};
use crate::summary::FloatSummary;
use crate::timing::{Speedup, interleaved};

/// The signature every smooth variant shares.
pub type SmoothFn = fn(ArrayView2<f64>) -> Array2<f64>;

/// Section 02's public API, as function pointers (see [`crate::add::AddApi`]).
#[derive(Clone, Copy)]
pub struct SmoothApi {
    pub smooth_naive: SmoothFn,
    pub smooth_optimised: SmoothFn,
    pub smooth_parallel: SmoothFn,
}

/// Instantiates every section 02 check as a `#[test]` for the crate `$krate`.
/// Section 02's API of the crate `$krate`, as a [`SmoothApi`] value.
#[macro_export]
macro_rules! smooth_api {
    ($krate:ident) => {
        $crate::smooth::SmoothApi {
            smooth_naive: $krate::smooth_naive,
            smooth_optimised: $krate::smooth_optimised,
            smooth_parallel: $krate::smooth_parallel,
        }
    };
}

#[macro_export]
macro_rules! smooth_checks {
    ($krate:ident) => {
        const API: $crate::smooth::SmoothApi = $crate::smooth_api!($krate);
        $crate::instantiate_checks!(smooth, API;
            correctness_smooth_naive,
            correctness_smooth_optimised,
            correctness_smooth_parallel,
            correctness_no_tutorial_defects,
            properties_smooth_naive,
            properties_smooth_optimised,
            properties_smooth_parallel,
            snapshot_tutorial_image;
            timing: timing_smooth_optimised_vs_naive,
        );
    };
}

/// How close a variant must be to the oracle. Values in the checks lie in `[-1000, 1000]`;
/// a 9-term sum of such values carries a rounding error below ~1e-12, far below this.
pub const TOLERANCE: Tolerance = Tolerance::Close {
    abs: 1e-9,
    rel: 1e-12,
};

/// The oracle: for each pixel, look up each of the nine signed offsets with `get` (which
/// answers `None` outside the image) and average what exists. Written without the
/// solution's window helper so that it does not share code with it.
pub fn oracle(image: ArrayView2<f64>) -> Array2<f64> {
    let (rows, cols) = image.dim();
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        let mut values = Vec::with_capacity(9);
        for di in -1_isize..=1 {
            for dj in -1_isize..=1 {
                let (r, c) = (i as isize + di, j as isize + dj);
                if r >= 0
                    && c >= 0
                    && let Some(&v) = image.get((r as usize, c as usize))
                {
                    values.push(v);
                }
            }
        }
        // From -0.0, the additive identity: a window of -0.0 has the mean -0.0.
        values.iter().fold(-0.0, |sum, v| sum + v) / values.len() as f64
    })
}

/// The mean of each clipped window for pixels of any finite magnitude: every pixel is
/// scaled by 1/16 (exact for normal numbers) before the sum and the mean scaled back, so
/// no partial sum overflows. Also returns each window's largest magnitude (for the
/// rounding tolerance).
fn overflow_free_oracle(image: ArrayView2<f64>) -> (Array2<f64>, Array2<f64>) {
    let scaled = image.mapv(|v| v / 16.0);
    let mean = oracle(scaled.view()).mapv(|v| v * 16.0);
    let (rows, cols) = image.dim();
    let largest = Array2::from_shape_fn((rows, cols), |(i, j)| {
        image
            .slice(s![
                i.saturating_sub(1)..(i + 2).min(rows),
                j.saturating_sub(1)..(j + 2).min(cols)
            ])
            .iter()
            .fold(0.0_f64, |m, v| m.max(v.abs()))
    });
    (mean, largest)
}

/// Rounding allowed at extreme magnitudes: a 9-term sum added in another order differs by
/// at most ~8 ulps of the window's total magnitude (9 × its largest), so 2e-14 × largest
/// (about 90 ulps) is generous and still far below any real mistake.
const EXTREME_REL: f64 = 2e-14;

/// Whether `actual` is `expected` to within [`EXTREME_REL`] of the window's largest
/// magnitude (false when either is NaN).
fn close_at_extremes(actual: f64, expected: f64, largest: f64) -> bool {
    (actual - expected).abs() <= EXTREME_REL * largest
}

/// The three variants, so one check body serves each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Naive,
    Optimised,
    Parallel,
}

impl Variant {
    pub const ALL: [Variant; 3] = [Variant::Naive, Variant::Optimised, Variant::Parallel];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Naive => "smooth_naive",
            Variant::Optimised => "smooth_optimised",
            Variant::Parallel => "smooth_parallel",
        }
    }

    pub fn book(self) -> &'static str {
        match self {
            Variant::Naive => crate::book::SMOOTH_NAIVE,
            Variant::Optimised => crate::book::SMOOTH_OPTIMISED,
            Variant::Parallel => crate::book::SMOOTH_PARALLEL,
        }
    }

    pub fn function(self, api: &SmoothApi) -> SmoothFn {
        match self {
            Variant::Naive => api.smooth_naive,
            Variant::Optimised => api.smooth_optimised,
            Variant::Parallel => api.smooth_parallel,
        }
    }
}

use crate::book::SMOOTH_CONTRACT as BOOK_CONTRACT;

mod correctness;
mod cost;
mod random_inputs;

pub use correctness::*;
pub use cost::*;
pub use random_inputs::*;

/// Runs `variant` on `image` and compares with `expected`.
fn expect_smooth(
    api: &SmoothApi,
    variant: Variant,
    case: &str,
    image: ArrayView2<f64>,
    expected: ArrayView2<f64>,
) -> Result<(), String> {
    let actual = (variant.function(api))(image);
    compare(
        &format!("{} on {case}", variant.name()),
        variant.book(),
        expected,
        actual.view(),
        TOLERANCE,
    )
}

#[track_caller]
fn check(result: Result<(), String>) {
    if let Err(report) = result {
        panic!("{report}");
    }
}
