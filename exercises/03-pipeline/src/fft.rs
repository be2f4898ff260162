//! §3.2 — stage 3: the 2-D spectrum, with plans made once.

use ndarray::{Array2, ArrayView2, ArrayViewMut2};

use crate::Complex64;

/// Side of the square tiles in which [`transpose_into`] moves data. Given.
pub const TILE: usize = 16;

// ANCHOR: fft2
/// A 2-D FFT for one image shape, planned once and shared by every thread: it must be
/// `Send + Sync` (the checks will not compile otherwise), so it holds only immutable
/// plans; each thread brings its own [`FftWork`] to [`Fft2::forward_into`].
pub struct Fft2 {
    shape: (usize, usize),
    // Add the plans here, e.g. `Arc<dyn rustfft::Fft<f64>>` for each axis (they are
    // `Send + Sync`). A dimension of 0 has nothing to plan: an `Option` helps.
}

/// The work buffers of [`Fft2::forward_into`], one per thread, reused for every image.
/// They start empty (`FftWork::default()`); `forward_into` grows them to the sizes it needs
/// on its first call (`Vec::resize` allocates only when a buffer grows), so later calls
/// allocate nothing.
#[derive(Default)]
pub struct FftWork {
    // Add the buffers your `forward_into` needs, e.g. `Vec<Complex64>` for the rows'
    // spectra and the plans' scratch.
}

impl Fft2 {
    /// Plans the transforms for images of `shape` (rows, columns), once. Any shape is
    /// accepted: a dimension of 0 gives a transform of empty images.
    pub fn new(shape: (usize, usize)) -> Fft2 {
        todo!(
            "Fft2::new: plan the 1-D transforms the 2-D transform needs, once, for this \
             shape, and keep them (a dimension of 0 has nothing to plan) — \
             book §3.2 \"Stage 3: the 2-D FFT\" (book/src/03-pipeline.md)"
        )
    }

    /// The shape this transform was planned for. Given.
    pub fn shape(&self) -> (usize, usize) {
        self.shape
    }

    /// The full 2-D discrete Fourier transform of `image`, in the same layout as
    /// `numpy.fft.fft2`: `X[k1, k2] = Σ x[n1, n2] · exp(-2πi (k1·n1/rows + k2·n2/cols))`,
    /// unnormalised, zero frequency at `[0, 0]`, into `out` (every element overwritten),
    /// with the reusable buffers in `work`: after the first call with a given `work`, no
    /// allocation at all.
    ///
    /// Bad input: panics with both shapes if `image` or `out` does not have the planned
    /// shape. Any layout of `image` is accepted (a strided or transposed view).
    pub fn forward_into(
        &self,
        image: ArrayView2<f64>,
        work: &mut FftWork,
        out: ArrayViewMut2<Complex64>,
    ) {
        todo!(
            "Fft2::forward_into: the full 2-D spectrum in numpy.fft.fft2's layout, as 1-D \
             transforms of the rows and then of the columns, written into `out` with the \
             buffers in `work` (grown once, then reused), for an image of the planned \
             shape (refuse any other) — \
             book §3.2 \"Stage 3: the 2-D FFT\" (book/src/03-pipeline.md)"
        )
    }
}
// ANCHOR_END: fft2

impl Fft2 {
    /// The 2-D spectrum of `image` as a new array, with new work buffers: your
    /// [`Fft2::forward_into`] for a single image. Given.
    pub fn forward(&self, image: ArrayView2<f64>) -> Array2<Complex64> {
        let mut out = Array2::zeros(self.shape);
        self.forward_into(image, &mut FftWork::default(), out.view_mut());
        out
    }
}

/// The 2-D FFT of one image, planning for this call only (`numpy.fft.fft2`). To transform
/// many images of one shape, make one [`Fft2`] and call [`Fft2::forward`] for each. Given.
pub fn fft2(image: ArrayView2<f64>) -> Array2<Complex64> {
    Fft2::new(image.dim()).forward(image)
}

/// Writes the transpose of `src` (`rows × cols`, row-major) into `dst` (`cols × rows`),
/// one [`TILE`] × [`TILE`] block at a time so that reads and writes both stay in cache.
/// Panics if a length does not match. Given.
pub fn transpose_into<T: Copy>(src: &[T], rows: usize, cols: usize, dst: &mut [T]) {
    assert_eq!(src.len(), rows * cols, "transpose_into: source length");
    assert_eq!(dst.len(), rows * cols, "transpose_into: destination length");
    for r0 in (0..rows).step_by(TILE) {
        for c0 in (0..cols).step_by(TILE) {
            for r in r0..(r0 + TILE).min(rows) {
                for c in c0..(c0 + TILE).min(cols) {
                    dst[c * rows + r] = src[r * cols + c];
                }
            }
        }
    }
}
