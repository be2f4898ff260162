//! Section 02: random shapes, values and layouts against the oracle, and the edges of `f64`.

use super::*;

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
        &["image", "layout"],
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
        &["shape", "value"],
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
        &["x", "y", "a"],
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
        &["image"],
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
        &["image"],
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
        &["image"],
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
