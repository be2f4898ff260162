//! Section 02: the fixed examples and the tutorial's two defects.

use super::*;

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
