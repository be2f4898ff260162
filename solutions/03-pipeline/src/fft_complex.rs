//! §3.2 — the straightforward 2-D FFT, all in complex numbers (the version the chapter
//! builds first; [`Fft2`](crate::Fft2) improves on it for real input).

use std::sync::Arc;

use ndarray::{Array2, ArrayView2};
use rustfft::{Fft, FftPlanner};

use crate::Complex64;
use crate::fft::transpose_into;

/// A 2-D FFT for one shape, planned once, that treats the image as complex: FFT every row,
/// transpose, FFT every row again (the original columns), transpose back.
///
/// Same contract and result layout as [`Fft2`](crate::Fft2) (`numpy.fft.fft2`); the
/// results agree to within rounding. Used by the bench and the chapter to show what
/// exploiting real input saves.
pub struct ComplexFft2 {
    shape: (usize, usize),
    /// (rows of length `cols`, columns of length `rows`); `None` when a dimension is 0.
    plans: Option<(Plan, Plan)>,
}

/// A planned 1-D complex FFT, shareable between threads.
type Plan = Arc<dyn Fft<f64>>;

impl ComplexFft2 {
    /// Plans a length-`cols` and a length-`rows` complex FFT. Any shape is accepted.
    pub fn new(shape: (usize, usize)) -> ComplexFft2 {
        let (rows, cols) = shape;
        let plans = (rows > 0 && cols > 0).then(|| {
            let mut planner = FftPlanner::<f64>::new();
            (
                planner.plan_fft_forward(cols),
                planner.plan_fft_forward(rows),
            )
        });
        ComplexFft2 { shape, plans }
    }

    // ANCHOR: complex_forward
    /// The 2-D spectrum of `image`. Cost: two complex FFT passes and two full transposes;
    /// allocates the result and one work buffer of the same size (16 bytes per pixel each).
    ///
    /// # Panics
    /// With both shapes, if `image` does not have the planned shape.
    pub fn forward(&self, image: ArrayView2<f64>) -> Array2<Complex64> {
        assert_eq!(
            image.dim(),
            self.shape,
            "ComplexFft2::forward: the image has shape {:?}, but this transform was planned for {:?}",
            image.dim(),
            self.shape
        );
        let (rows, cols) = self.shape;
        let Some((row_plan, column_plan)) = &self.plans else {
            return Array2::zeros(self.shape);
        };
        // The image as complex numbers, row-major (`iter` follows the logical order
        // whatever the view's layout).
        let mut data: Vec<Complex64> = image.iter().map(|&x| Complex64::new(x, 0.0)).collect();
        let scratch_len = row_plan
            .get_inplace_scratch_len()
            .max(column_plan.get_inplace_scratch_len());
        let mut scratch = vec![Complex64::default(); scratch_len];

        // Every row (rustfft runs one FFT per `cols` values of the buffer).
        row_plan.process_with_scratch(&mut data, &mut scratch);
        // Columns become rows; transform them; transpose back.
        let mut transposed = vec![Complex64::default(); rows * cols];
        transpose_into(&data, rows, cols, &mut transposed);
        column_plan.process_with_scratch(&mut transposed, &mut scratch);
        transpose_into(&transposed, cols, rows, &mut data);
        Array2::from_shape_vec(self.shape, data).expect("rows * cols values")
    }
    // ANCHOR_END: complex_forward
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Fft2, load_eo_data};

    /// The two 2-D FFTs agree to within rounding, on odd, even and 1 × N shapes, and on
    /// shapes wider than one group of `Fft2`'s column pass (`2 · COLUMN_PAIRS` columns),
    /// with a last group of odd width; given as contiguous images and as transposed views
    /// (whose rows `Fft2` reads element by element).
    #[test]
    fn agrees_with_the_real_input_fft() {
        let shapes = [
            (1, 7),
            (6, 1),
            (9, 10),
            (16, 15),
            (64, 48),
            (5, 67),
            (66, 33),
            (2, 97),
        ];
        for shape in shapes {
            let image = load_eo_data(3, shape);
            let transposed = load_eo_data(4, (shape.1, shape.0));
            for image in [image.view(), transposed.t()] {
                let complex = ComplexFft2::new(shape).forward(image.as_standard_layout().view());
                let real = Fft2::new(shape).forward(image);
                let scale: f64 = image.sum() + 1.0;
                for (a, b) in complex.iter().zip(real.iter()) {
                    assert!((a - b).norm() <= 1e-12 * scale, "{shape:?}: {a} vs {b}");
                }
            }
        }
    }
}
