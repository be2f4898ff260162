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

/// Fixed examples: every degenerate shape, the clipped border, layouts, NaN.
fn correctness(api: &SmoothApi, variant: Variant) {
    let small = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]];
    // Corner windows hold 4 pixels, edge windows 6, the centre 9.
    let small_expected = array![[3.0, 3.5, 4.0], [4.5, 5.0, 5.5], [6.0, 6.5, 7.0]];
    check(expect_smooth(
        api,
        variant,
        "a 3×3 image (clipped border)",
        small.view(),
        small_expected.view(),
    ));

    let tutorial_like = seeded_image(7, (9, 11));
    check(expect_smooth(
        api,
        variant,
        "a 9×11 image of values in [0, 1) (a true mean, not floor division)",
        tutorial_like.view(),
        oracle(tutorial_like.view()).view(),
    ));

    for shape in [
        (0, 0),
        (0, 5),
        (5, 0),
        (1, 1),
        (1, 6),
        (6, 1),
        (2, 2),
        (2, 7),
    ] {
        let image = seeded_image(8, shape);
        let case = format!("a {}×{} image", shape.0, shape.1);
        check(expect_smooth(
            api,
            variant,
            &case,
            image.view(),
            oracle(image.view()).view(),
        ));
    }

    let image = seeded_image(9, (13, 10));
    let expected = oracle(image.view());
    for layout in [ImageLayout::Transposed, ImageLayout::Strided] {
        let laid = LaidImage::new(&image, layout);
        let case = format!("a 13×10 image in {layout:?} layout");
        check(expect_smooth(
            api,
            variant,
            &case,
            laid.view(),
            expected.view(),
        ));
    }
    let sliced = seeded_image(10, (20, 20));
    let window = sliced.slice(s![3..15, 5..12]);
    check(expect_smooth(
        api,
        variant,
        "a 12×7 slice of a 20×20 image",
        window,
        oracle(window).view(),
    ));

    // NaN reaches exactly the outputs whose window contains it.
    for (at, shape) in [((2, 3), (6, 7)), ((0, 0), (4, 4)), ((5, 6), (6, 7))] {
        let mut image = seeded_image(11, shape);
        image[at] = f64::NAN;
        let actual = (variant.function(api))(image.view());
        let case = format!("a {}×{} image with NaN at {at:?}", shape.0, shape.1);
        check(compare(
            &format!("{} on {case}", variant.name()),
            variant.book(),
            oracle(image.view()).view(),
            actual.view(),
            TOLERANCE,
        ));
    }

    // Signed zero: a window of only -0.0 has the mean -0.0 (a sum started at 0.0 loses it).
    let negative_zeros = Array2::from_elem((3, 4), -0.0);
    let out = (variant.function(api))(negative_zeros.view());
    if let Some(((i, j), v)) = out
        .indexed_iter()
        .find(|(_, v)| !(**v == 0.0 && v.is_sign_negative()))
    {
        panic!(
            "{} on a 3×4 image of -0.0: output [{i}, {j}] = {v:?}, expected -0.0 (the mean of \
             -0.0s keeps its sign; start the sum at -0.0, the additive identity, not 0.0)\n  \
             read: {BOOK_CONTRACT}",
            variant.name()
        );
    }
}

pub fn correctness_smooth_naive(api: &SmoothApi) {
    correctness(api, Variant::Naive);
}

pub fn correctness_smooth_optimised(api: &SmoothApi) {
    correctness(api, Variant::Optimised);
}

pub fn correctness_smooth_parallel(api: &SmoothApi) {
    correctness(api, Variant::Parallel);
}

/// The tutorial's `smooth` had two defects (floor division and an uninitialised border).
/// On the tutorial's input, no variant may show either: the interior is not all zeros, and
/// every output (border included) lies within the range of its window.
pub fn correctness_no_tutorial_defects(api: &SmoothApi) {
    let image = seeded_image(0, TUTORIAL_SHAPE);
    for variant in Variant::ALL {
        let out = (variant.function(api))(image.view());
        assert_eq!(
            out.dim(),
            image.dim(),
            "{}: wrong output shape\n  read: {BOOK_CONTRACT}",
            variant.name()
        );
        let (rows, cols) = out.dim();
        let interior = out.slice(s![1..rows - 1, 1..cols - 1]);
        let zeros = interior.iter().filter(|&&v| v == 0.0).count();
        assert!(
            zeros < interior.len() / 100,
            "{}: {zeros} of {} interior pixels are exactly 0 on an image of values in [0, 1) — \
             the tutorial's floor division `// 9` does this; the mean must be a true mean\n  read: {BOOK_CONTRACT}",
            variant.name(),
            interior.len()
        );
        if let Some(((i, j), v)) = out.indexed_iter().find(|&((i, j), &v)| {
            let window = image.slice(s![
                i.saturating_sub(1)..(i + 2).min(rows),
                j.saturating_sub(1)..(j + 2).min(cols)
            ]);
            let lo = window.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = window.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            !(lo - 1e-12..=hi + 1e-12).contains(&v)
        }) {
            panic!(
                "{}: output [{i}, {j}] = {v:e} lies outside the range of its window — the \
                 tutorial's `np.empty_like` left such garbage on the border; every output must be \
                 a mean of its (clipped) window\n  read: {BOOK_CONTRACT}",
                variant.name()
            );
        }
    }
}

/// Random shapes, values and layouts against the oracle, plus the laws a mean filter obeys.
fn properties(api: &SmoothApi, variant: Variant) {
    // A plain call first, outside proptest, so a stub fails once with its own message.
    let _ = (variant.function(api))(array![[1.0]].view());
    let f = variant.function(api);
    let name = variant.name();
    let book = variant.book();

    properties::check(
        &format!("{name} agrees with the oracle in every layout"),
        book,
        (image(), image_layout()),
        |(img, layout)| {
            let laid = LaidImage::new(&img, layout);
            compare(
                &format!("{name} ({layout:?} layout)"),
                book,
                oracle(img.view()).view(),
                f(laid.view()).view(),
                TOLERANCE,
            )
        },
    );

    properties::check(
        &format!("{name} keeps a constant image constant"),
        book,
        (image_shape(), pixel_value()),
        |(shape, value)| {
            let img = Array2::from_elem(shape, value);
            compare(
                &format!("{name} on a constant image"),
                book,
                img.view(),
                f(img.view()).view(),
                TOLERANCE,
            )
        },
    );

    properties::check(
        &format!("{name} is linear: smooth(a·x + y) = a·smooth(x) + smooth(y)"),
        book,
        two_images_and_a_scale(),
        |(x, y, a)| {
            let combined = f((&x * a + &y).view());
            let separate = &f(x.view()) * a + &f(y.view());
            let scale = Tolerance::Close {
                abs: 1e-9 * (1.0 + a.abs()),
                rel: 1e-12,
            };
            compare(
                &format!("{name} linearity (a = {a})"),
                book,
                separate.view(),
                combined.view(),
                scale,
            )
        },
    );

    properties::check(
        &format!("{name} commutes with transposition"),
        book,
        image(),
        |img| {
            let transposed_first = f(img.t().as_standard_layout().view());
            let transposed_after = f(img.view()).t().to_owned();
            compare(
                &format!("{name}(xᵀ) vs {name}(x)ᵀ"),
                book,
                transposed_after.view(),
                transposed_first.view(),
                TOLERANCE,
            )
        },
    );
}

/// Pixels at the edge of the contract's range, `±f64::MAX / 16`, mixed with ordinary
/// values, signed zeros and a third of the limit, in images up to 40 columns wide (a sum
/// running along a row overflows there).
fn boundary_image() -> impl proptest::strategy::Strategy<Value = Array2<f64>> {
    use proptest::collection::vec;
    use proptest::prelude::*;
    let largest = given_02::LARGEST_PIXEL;
    let value = prop_oneof![
        3 => Just(largest),
        3 => Just(-largest),
        1 => Just(largest / 3.0),
        1 => Just(-0.0),
        1 => Just(0.0),
        2 => -largest..largest,
        1 => -1000.0_f64..1000.0,
    ];
    (1_usize..=6, 1_usize..=40).prop_flat_map(move |(rows, cols)| {
        vec(value.clone(), rows * cols)
            .prop_map(move |v| Array2::from_shape_vec((rows, cols), v).expect("rows * cols"))
    })
}

/// Pixels of any finite magnitude up to `f64::MAX`: beyond the contract's range.
fn beyond_range_image() -> impl proptest::strategy::Strategy<Value = Array2<f64>> {
    use proptest::collection::vec;
    use proptest::prelude::*;
    let value = prop_oneof![
        2 => Just(f64::MAX),
        2 => Just(-f64::MAX),
        2 => -f64::MAX..f64::MAX,
        1 => -1000.0_f64..1000.0,
    ];
    (1_usize..=5, 1_usize..=12).prop_flat_map(move |(rows, cols)| {
        vec(value.clone(), rows * cols)
            .prop_map(move |v| Array2::from_shape_vec((rows, cols), v).expect("rows * cols"))
    })
}

/// Within the range every output is its window's mean; beyond it, the mean or non-finite,
/// never a finite wrong value.
fn extreme_values(api: &SmoothApi, variant: Variant) {
    let f = variant.function(api);
    let (name, book) = (variant.name(), variant.book());
    properties::check(
        &format!("{name} gives each window's mean for pixels up to ±f64::MAX / 16"),
        book,
        boundary_image(),
        |img| {
            let (expected, largest) = overflow_free_oracle(img.view());
            let actual = f(img.view());
            match actual
                .indexed_iter()
                .find(|&(at, &a)| !close_at_extremes(a, expected[at], largest[at]))
            {
                None => Ok(()),
                Some(((i, j), a)) => Err(format!(
                    "{name} on a {:?} image with pixels up to ±f64::MAX / 16 (the contract's \
                     range): output [{i}, {j}] = {a:e}, expected the window's mean {:e}. In \
                     that range no partial sum of a 3 × 3 window can overflow; a sum running \
                     along the whole row (prefix sums) can",
                    img.dim(),
                    expected[[i, j]]
                )),
            }
        },
    );
    properties::check(
        &format!("{name} beyond ±f64::MAX / 16: the mean, ±inf or NaN, never a finite wrong value"),
        book,
        beyond_range_image(),
        |img| {
            let (expected, largest) = overflow_free_oracle(img.view());
            let actual = f(img.view());
            match actual
                .indexed_iter()
                .find(|&(at, &a)| a.is_finite() && !close_at_extremes(a, expected[at], largest[at]))
            {
                None => Ok(()),
                Some(((i, j), a)) => Err(format!(
                    "{name} on a {:?} image with pixels up to ±f64::MAX: output [{i}, {j}] = \
                     {a:e} is finite but not the window's mean {:e}",
                    img.dim(),
                    expected[[i, j]]
                )),
            }
        },
    );
}

pub fn properties_smooth_naive(api: &SmoothApi) {
    properties(api, Variant::Naive);
    extreme_values(api, Variant::Naive);
}

pub fn properties_smooth_optimised(api: &SmoothApi) {
    properties(api, Variant::Optimised);
    extreme_values(api, Variant::Optimised);
}

pub fn properties_smooth_parallel(api: &SmoothApi) {
    properties(api, Variant::Parallel);
    extreme_values(api, Variant::Parallel);
}

/// Every variant's output on the tutorial-sized seeded image matches the committed snapshot
/// `harness/src/snapshots/harness__snapshot__smooth_tutorial_image.snap`.
pub fn snapshot_tutorial_image(api: &SmoothApi) {
    let image = seeded_image(0, TUTORIAL_SHAPE);
    for variant in Variant::ALL {
        let out = (variant.function(api))(image.view());
        let text = format!(
            "smooth of seeded_image(0, (1000, 1000)), values in [0, 1)\n{}\n",
            FloatSummary::of_f64(out.view(), 1e-6)
        );
        crate::snapshot::assert_summary(
            "smooth_tutorial_image",
            &text,
            variant.name(),
            variant.book(),
        );
    }
}

/// The timing baseline: the plain loop of §2.1 — for every pixel, the clipped 3 × 3 window
/// by index, summed and divided — written here rather than taken from the solution (an
/// exercise's checks never link its answers).
pub fn naive_baseline(image: ArrayView2<f64>) -> Array2<f64> {
    let (rows, cols) = image.dim();
    let mut out = Array2::zeros((rows, cols));
    for i in 0..rows {
        let (top, bottom) = (i.saturating_sub(1), (i + 1).min(rows - 1));
        for j in 0..cols {
            let (left, right) = (j.saturating_sub(1), (j + 1).min(cols - 1));
            let mut sum = 0.0;
            for r in top..=bottom {
                for c in left..=right {
                    sum += image[(r, c)];
                }
            }
            out[(i, j)] = sum / ((bottom - top + 1) * (right - left + 1)) as f64;
        }
    }
    out
}

/// The learner's optimised kernel against the naive loop ([`naive_baseline`]), both
/// optimised builds, on the tutorial's 1000 × 1000 image.
pub fn timing_smooth_optimised_vs_naive(api: &SmoothApi) {
    let image = seeded_image(0, TUTORIAL_SHAPE);
    let (fast, slow) = interleaved(
        2,
        15,
        || (api.smooth_optimised)(image.view()),
        || naive_baseline(image.view()),
    );
    Speedup {
        fast: "your smooth_optimised",
        slow: "the naive loop (the harness's baseline)",
        at_least: OPTIMISED_VS_NAIVE_AT_LEAST,
        measured: OPTIMISED_VS_NAIVE_MEASURED,
        book: Variant::Optimised.book(),
    }
    .assert(&fast, &slow);
}

/// Threshold for [`timing_smooth_optimised_vs_naive`]. The reference solution measured
/// 5.33x, 4.70x and 4.78x in three runs of `cargo test -p solution-02 timing_` (2-core Xeon
/// VM, 2026-11-25, while other builds ran): ~1.6 ms against ~8.2 ms. 2.0x keeps 2x headroom
/// under the lowest run and still rejects an "optimised" kernel that is the naive loop.
/// Against the harness's own [`naive_baseline`] (2026-11-26): 4.97x, 4.92x and 4.96x.
pub const OPTIMISED_VS_NAIVE_AT_LEAST: f64 = 2.0;
/// What the reference solution measured, quoted in failure messages.
pub const OPTIMISED_VS_NAIVE_MEASURED: &str =
    "the reference solution measures 4.7-5.3x here (~1.6 ms vs ~8.2 ms)";
