//! §3.2: `Fft2`, against the 2-D DFT by its definition.

use std::f64::consts::PI;
use std::panic::{AssertUnwindSafe, catch_unwind};

use ndarray::{Array2, ArrayView2};
use proptest::collection::vec;
use proptest::prelude::*;

use super::{BOOK_FFT, Complex64, PipelineApi};
use crate::check::with_panic_context;
use crate::compare::{Tolerance, compare};
use crate::data::seeded_image;
use crate::properties;

/// The learner's `Fft2` planned for the image's own shape, applied once.
pub(super) fn fft(api: &PipelineApi, image: ArrayView2<f64>) -> Array2<Complex64> {
    let mut out = with_panic_context(
        || {
            format!(
                "Fft2::new({:?}).forward(image): panicked on an image of that shape\n  read: {BOOK_FFT}",
                image.dim()
            )
        },
        || (api.fft_planned)(image.dim(), &[image]),
    );
    assert!(
        out.len() == 1,
        "the harness asked for 1 spectrum and got {}",
        out.len()
    );
    out.pop().expect("one spectrum")
}

/// Compares two spectra: real parts, then imaginary parts. `scale` sets the absolute
/// tolerance (rounding grows with the sum of |input|).
fn compare_spectra(
    what: &str,
    book: &str,
    expected: ArrayView2<Complex64>,
    actual: ArrayView2<Complex64>,
    scale: f64,
) -> Result<(), String> {
    let tolerance = Tolerance::Close {
        abs: 1e-9 * (scale + 1.0),
        rel: 1e-9,
    };
    if expected.dim() != actual.dim() {
        return compare(
            what,
            book,
            expected.map(|z| z.re).view(),
            actual.map(|z| z.re).view(),
            tolerance,
        );
    }
    compare(
        &format!("{what} (real parts)"),
        book,
        expected.map(|z| z.re).view(),
        actual.map(|z| z.re).view(),
        tolerance,
    )?;
    compare(
        &format!("{what} (imaginary parts)"),
        book,
        expected.map(|z| z.im).view(),
        actual.map(|z| z.im).view(),
        tolerance,
    )
}

/// The oracle: the 2-D DFT by its definition, `O((rows·cols)²)`, with each twiddle's angle
/// reduced exactly (`k·n mod len`) before the trigonometry. For small shapes only.
pub fn direct_dft(image: ArrayView2<f64>) -> Array2<Complex64> {
    let (rows, cols) = image.dim();
    Array2::from_shape_fn((rows, cols), |(k1, k2)| {
        let mut sum = Complex64::new(0.0, 0.0);
        for ((n1, n2), &x) in image.indexed_iter() {
            let turns =
                ((k1 * n1) % rows) as f64 / rows as f64 + ((k2 * n2) % cols) as f64 / cols as f64;
            let angle = -2.0 * PI * turns;
            sum += Complex64::new(angle.cos(), angle.sin()) * x;
        }
        sum
    })
}

/// The inverse of [`direct_dft`], by definition (normalised by `1 / (rows·cols)`).
pub fn direct_inverse_dft(spectrum: ArrayView2<Complex64>) -> Array2<Complex64> {
    let (rows, cols) = spectrum.dim();
    let n = (rows * cols) as f64;
    Array2::from_shape_fn((rows, cols), |(n1, n2)| {
        let mut sum = Complex64::new(0.0, 0.0);
        for ((k1, k2), &z) in spectrum.indexed_iter() {
            let turns =
                ((k1 * n1) % rows) as f64 / rows as f64 + ((k2 * n2) % cols) as f64 / cols as f64;
            let angle = 2.0 * PI * turns;
            sum += Complex64::new(angle.cos(), angle.sin()) * z;
        }
        sum / n
    })
}

/// A deterministic, small test image with distinct values (not the course's loader, so
/// FFT checks do not depend on the learner's `load_eo_data`).
fn test_image(shape: (usize, usize), seed: u64) -> Array2<f64> {
    seeded_image(0xF0F0 ^ seed, shape).mapv(|v| v * 20.0 - 10.0)
}

/// `Fft2` against the direct DFT on fixed shapes, including 1 × N, N × 1, odd and prime
/// sizes, non-contiguous views, empty images, reuse of one plan, and the wrong shape.
pub fn correctness_fft2(api: &PipelineApi) {
    let check = |case: &str, image: ArrayView2<f64>| {
        let spectrum = fft(api, image);
        let scale = image.iter().map(|x| x.abs()).sum::<f64>();
        if let Err(report) = compare_spectra(
            &format!("Fft2::forward on {case}"),
            BOOK_FFT,
            direct_dft(image).view(),
            spectrum.view(),
            scale,
        ) {
            panic!("{report}");
        }
    };
    // An impulse at the origin: every frequency is 1.
    let mut impulse = Array2::zeros((3, 4));
    impulse[[0, 0]] = 1.0;
    check("an impulse at [0, 0] of a 3 × 4 image", impulse.view());
    check("a 1 × 1 image", ndarray::array![[2.5]].view());
    check(
        "a constant 2 × 3 image",
        Array2::from_elem((2, 3), 1.0).view(),
    );
    for shape in [
        (1, 8),
        (1, 7),
        (8, 1),
        (5, 1),
        (4, 6),
        (3, 5),
        (7, 11),
        (16, 16),
        (6, 9),
    ] {
        let image = test_image(shape, (shape.0 * 31 + shape.1) as u64);
        check(&format!("a {} × {} image", shape.0, shape.1), image.view());
    }
    // Layouts: a transposed view and a strided view are images too.
    let wide = test_image((5, 8), 99);
    check("a transposed view (8 × 5)", wide.t());
    check(
        "every second column of a 5 × 8 image (a strided view)",
        wide.slice(ndarray::s![.., ..;2]),
    );
    // Empty images: an empty spectrum of the same shape.
    for shape in [(0, 4), (4, 0)] {
        let spectrum = fft(api, Array2::zeros(shape).view());
        assert!(
            spectrum.dim() == shape,
            "Fft2::forward on an empty {shape:?} image: returned shape {:?}, expected {shape:?}\n  read: {BOOK_FFT}",
            spectrum.dim()
        );
    }
    // One plan, several images: each result is that image's own spectrum (no state left
    // over from the previous call in a reused buffer).
    let (first, second) = (test_image((6, 10), 1), test_image((6, 10), 2));
    let spectra = with_panic_context(
        || format!("one Fft2 for (6, 10), forward on two images: panicked\n  read: {BOOK_FFT}"),
        || (api.fft_planned)((6, 10), &[first.view(), second.view(), first.view()]),
    );
    for (k, image) in [&first, &second, &first].iter().enumerate() {
        if let Err(report) = compare_spectra(
            &format!("call {} of forward on one Fft2 planned for (6, 10)", k + 1),
            BOOK_FFT,
            direct_dft(image.view()).view(),
            spectra[k].view(),
            200.0,
        ) {
            panic!("{report}");
        }
    }
    // The wrong shape must be refused loudly, not transformed into garbage.
    let wrong = catch_unwind(AssertUnwindSafe(|| {
        (api.fft_planned)((4, 6), &[test_image((6, 4), 3).view()])
    }));
    if let Ok(spectra) = wrong {
        panic!(
            "Fft2 planned for (4, 6) accepted a (6, 4) image and returned a {:?} spectrum; \
             forward must panic with both shapes when the image does not have the planned \
             shape\n  read: {BOOK_FFT}",
            spectra.first().map(|s| s.dim())
        );
    }
}

/// A small image of random shape (1..=12 each way, so primes, 1 × N and N × 1 included).
fn small_image() -> impl Strategy<Value = Array2<f64>> {
    (1_usize..=12, 1_usize..=12).prop_flat_map(|(rows, cols)| {
        vec(-100.0_f64..100.0, rows * cols).prop_map(move |values| {
            Array2::from_shape_vec((rows, cols), values).expect("rows * cols values")
        })
    })
}

/// Random shapes and values: the spectrum equals the direct DFT, and the direct inverse
/// DFT of it gives the image back.
pub fn properties_fft2_matches_the_direct_dft(api: &PipelineApi) {
    fft(api, ndarray::array![[1.0, 2.0]].view());
    properties::check(
        "Fft2::forward equals the direct DFT, and inverting it gives the image back",
        BOOK_FFT,
        &["image"],
        small_image(),
        |image| {
            let spectrum = (api.fft_planned)(image.dim(), &[image.view()]).remove(0);
            let scale = image.iter().map(|x| x.abs()).sum::<f64>();
            let what = format!("Fft2::forward on a {:?} image", image.dim());
            compare_spectra(
                &what,
                BOOK_FFT,
                direct_dft(image.view()).view(),
                spectrum.view(),
                scale,
            )?;
            let back = direct_inverse_dft(spectrum.view());
            compare_spectra(
                &format!("inverse DFT of {what}"),
                BOOK_FFT,
                image.map(|&x| Complex64::new(x, 0.0)).view(),
                back.view(),
                scale,
            )
        },
    );
}

/// Random shapes and values: Parseval (energy is conserved, times rows·cols) and
/// linearity (`F(a·x + y) = a·F(x) + F(y)`), neither of which needs an oracle.
pub fn properties_fft2_parseval_and_linearity(api: &PipelineApi) {
    fft(api, ndarray::array![[1.0], [2.0]].view());
    properties::check(
        "Fft2::forward conserves energy (Parseval) and is linear",
        BOOK_FFT,
        &["x", "y values", "a"],
        small_image().prop_flat_map(|x| {
            let n = x.len();
            (Just(x), vec(-100.0_f64..100.0, n), -3.0_f64..3.0)
        }),
        |(x, y_values, a)| {
            let shape = x.dim();
            let y = Array2::from_shape_vec(shape, y_values).expect("same length");
            let combined = &x * a + &y;
            let spectra = (api.fft_planned)(shape, &[x.view(), y.view(), combined.view()]);
            let (fx, fy, fc) = (&spectra[0], &spectra[1], &spectra[2]);
            let n = (shape.0 * shape.1) as f64;
            let energy: f64 = x.iter().map(|v| v * v).sum();
            let spectral: f64 = fx.iter().map(|z| z.norm_sqr()).sum::<f64>() / n;
            if (energy - spectral).abs() > 1e-9 * (energy + 1.0) {
                return Err(format!(
                    "Parseval: Σ|x|² = {energy:e} but Σ|X|² / (rows·cols) = {spectral:e}"
                ));
            }
            let expected = fx.map(|z| z * a) + fy;
            let scale = combined.iter().map(|v| v.abs()).sum::<f64>()
                + x.iter().map(|v| v.abs() * a.abs()).sum::<f64>();
            compare_spectra(
                &format!("linearity: F({a}·x + y) vs {a}·F(x) + F(y) on {shape:?}"),
                BOOK_FFT,
                expected.view(),
                fc.view(),
                scale,
            )
        },
    );
}
