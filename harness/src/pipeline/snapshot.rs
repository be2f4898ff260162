//! Image 0 and its spectrum at the tutorial's size, against a committed summary.

use given_03::smooth;

use super::fft::fft;
use super::load::load;
use super::{BOOK_FFT, BOOK_LOAD, PipelineApi};

/// `v` with 7 significant digits: stable across FFT implementations that round
/// differently in the 15th digit.
fn sig(v: f64) -> String {
    format!("{v:.6e}")
}

/// Summary text of image 0 at the tutorial's size and of its smoothed spectrum.
fn image_zero_summary(api: &PipelineApi) -> String {
    let shape = given_03::TUTORIAL_SHAPE;
    let image = load(api, 0, shape);
    let spectrum = fft(api, smooth(image.view()).view());
    let n = image.len() as f64;
    let (min, max) = image
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let mut text = format!(
        "image 0, load_eo_data(0, {shape:?})\n  shape: {:?}\n  min: {}  max: {}  mean: {}\n",
        image.shape(),
        sig(min),
        sig(max),
        sig(image.sum() / n)
    );
    text.push_str(&format!(
        "spectrum of smooth(image 0), Fft2::forward\n  shape: {:?}\n  X[0, 0].re (sum of the smoothed pixels): {}\n",
        spectrum.shape(),
        sig(spectrum[[0, 0]].re)
    ));
    if spectrum.dim() == shape {
        for (k1, k2) in [
            (0, 1),
            (1, 0),
            (3, 7),
            (7, 3),
            (500, 500),
            (999, 1),
            (1, 999),
        ] {
            text.push_str(&format!(
                "  |X[{k1}, {k2}]|: {}\n",
                sig(spectrum[[k1, k2]].norm())
            ));
        }
    }
    let energy: f64 = spectrum.iter().map(|z| z.norm_sqr()).sum();
    let mean_abs: f64 = spectrum.iter().map(|z| z.norm()).sum::<f64>() / n;
    text.push_str(&format!(
        "  sum |X|^2: {}\n  mean |X|: {}\n",
        sig(energy),
        sig(mean_abs)
    ));
    text
}

/// Image 0 and its spectrum at the tutorial's size match the committed snapshot
/// `harness/src/snapshots/harness__snapshot__pipeline_image_zero.snap`.
pub fn snapshot_image_zero(api: &PipelineApi) {
    let text = image_zero_summary(api);
    crate::snapshot::assert_summary(
        "pipeline_image_zero",
        &text,
        "load_eo_data(0) and Fft2::forward",
        &format!("{BOOK_LOAD} and {BOOK_FFT}"),
    );
}
