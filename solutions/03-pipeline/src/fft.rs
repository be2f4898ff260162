//! §3.2 — stage 3: the 2-D spectrum, with plans made once.

use std::sync::Arc;

use ndarray::{Array2, ArrayView2, ArrayViewMut2};
use realfft::{RealFftPlanner, RealToComplex};
use rustfft::{Fft, FftPlanner};

use crate::Complex64;

/// Side of the square tiles in which [`transpose_into`] moves data (16 × 16 complex
/// values, 4 KiB, stay in the L1 cache), and how many columns [`Fft2::forward`] transforms
/// at a time.
pub const TILE: usize = 16;

// ANCHOR: fft2_struct
/// A 2-D FFT for one image shape, planned once and shared by every thread (`Fft2` is
/// `Send + Sync`: the plans are immutable; each thread brings its own [`FftWork`]).
///
/// The input is real, so the spectrum is *Hermitian*: `X[-k1, -k2] = conj(X[k1, k2])`
/// (indices modulo the shape). This implementation uses that: it transforms each row with
/// a real-to-complex FFT (which returns only the `cols / 2 + 1` non-redundant
/// frequencies), transforms those `cols / 2 + 1` columns, and fills the other half of the
/// spectrum by symmetry. That is about half the arithmetic and half the memory traffic of
/// the all-complex [`ComplexFft2`](crate::ComplexFft2).
pub struct Fft2 {
    shape: (usize, usize),
    /// `None` when a dimension is 0: there is nothing to plan.
    plans: Option<Plans>,
}

struct Plans {
    /// Real-to-complex, length `cols`: one call per row.
    rows: Arc<dyn RealToComplex<f64>>,
    /// Complex, length `rows`: one call per (non-redundant) column.
    columns: Arc<dyn Fft<f64>>,
}

/// The work buffers of [`Fft2::forward_into`], one per thread: empty at first, grown to
/// the planned shape by the first call and reused by every later one, so a thread that
/// transforms many images allocates only once.
#[derive(Default)]
pub struct FftWork {
    /// One row of the image (the row transform uses its input as scratch).
    row_in: Vec<f64>,
    /// The `rows × half` row spectra.
    row_spectra: Vec<Complex64>,
    /// `TILE` columns of the row spectra, contiguous.
    block: Vec<Complex64>,
    /// The row and column transforms' scratch.
    row_scratch: Vec<Complex64>,
    column_scratch: Vec<Complex64>,
}
// ANCHOR_END: fft2_struct

impl Fft2 {
    // ANCHOR: fft2_new
    /// Plans the transforms for images of `shape` (rows, columns). Planning measures
    /// nothing and allocates little (~tens of µs); do it once per shape, not per image.
    /// Any shape is accepted: a dimension of 0 gives a transform of empty images.
    pub fn new(shape: (usize, usize)) -> Fft2 {
        let (rows, cols) = shape;
        let plans = (rows > 0 && cols > 0).then(|| Plans {
            rows: RealFftPlanner::<f64>::new().plan_fft_forward(cols),
            columns: FftPlanner::<f64>::new().plan_fft_forward(rows),
        });
        Fft2 { shape, plans }
    }
    // ANCHOR_END: fft2_new

    /// The shape this transform was planned for.
    pub fn shape(&self) -> (usize, usize) {
        self.shape
    }

    // ANCHOR: fft2_forward
    /// The full 2-D discrete Fourier transform of `image`, in the same layout as
    /// `numpy.fft.fft2`: `X[k1, k2] = Σ x[n1, n2] · exp(-2πi (k1·n1/rows + k2·n2/cols))`,
    /// unnormalised, zero frequency at `[0, 0]`. A new array each call: to transform many
    /// images without allocating, use [`Fft2::forward_into`].
    ///
    /// # Panics
    /// With both shapes, if `image` does not have the planned shape.
    pub fn forward(&self, image: ArrayView2<f64>) -> Array2<Complex64> {
        let mut out = Array2::zeros(self.shape);
        self.forward_into(image, &mut FftWork::default(), out.view_mut());
        out
    }

    /// [`Fft2::forward`] into `out`, with the work buffers in `work`: after the first call
    /// with a given `work`, no allocation at all. Every element of `out` is overwritten.
    ///
    /// Any layout of `image` is accepted (a strided or transposed view is read row by
    /// row). Cost: `O(rows·cols·log)`; `work` holds a half-size spectrum (8 bytes per
    /// pixel), `TILE` columns and the plans' scratch (`cargo bench -p solution-03 --
    /// stages` times it).
    ///
    /// # Panics
    /// With both shapes, if `image` or `out` does not have the planned shape; if `out` is
    /// not in standard (row-major, contiguous) layout.
    pub fn forward_into(
        &self,
        image: ArrayView2<f64>,
        work: &mut FftWork,
        mut out: ArrayViewMut2<Complex64>,
    ) {
        for (what, shape) in [("image", image.dim()), ("output", out.dim())] {
            assert_eq!(
                shape, self.shape,
                "Fft2::forward: the {what} has shape {shape:?}, but this Fft2 was planned for {:?}",
                self.shape
            );
        }
        let (rows, cols) = self.shape;
        let out = out
            .as_slice_mut()
            .expect("Fft2::forward_into: the output must be in standard layout");
        let Some(plans) = &self.plans else {
            return;
        };
        let half = cols / 2 + 1;
        let FftWork {
            row_in,
            row_spectra,
            block,
            row_scratch,
            column_scratch,
        } = work;
        // `resize` allocates only when a buffer grows: the first call, or a larger plan.
        row_in.resize(cols, 0.0);
        row_spectra.resize(rows * half, Complex64::default());
        block.resize(TILE * rows, Complex64::default());
        row_scratch.resize(plans.rows.get_scratch_len(), Complex64::default());
        column_scratch.resize(
            plans.columns.get_inplace_scratch_len(),
            Complex64::default(),
        );

        // 1. Real-to-complex FFT of every row: `rows × half` values.
        for (row, spectrum) in image
            .rows()
            .into_iter()
            .zip(row_spectra.chunks_exact_mut(half))
        {
            // The input buffer doubles as scratch space, so each row is copied in first.
            for (dst, &src) in row_in.iter_mut().zip(row.iter()) {
                *dst = src;
            }
            plans
                .rows
                .process_with_scratch(row_in, spectrum, row_scratch)
                .expect("buffer lengths match the plan");
        }

        // 2. Transform the `half` non-redundant columns, TILE of them at a time: gather
        //    them into a small contiguous buffer (rustfft transforms contiguous runs of
        //    `rows` values), transform, and scatter each into the result twice — as
        //    itself, and conjugated and mirrored into the redundant half.
        for first in (0..half).step_by(TILE) {
            let width = TILE.min(half - first);
            let block = &mut block[..width * rows];
            gather_columns(row_spectra, half, first, width, block);
            plans.columns.process_with_scratch(block, column_scratch);
            scatter_columns(block, rows, cols, first, out);
        }
    }
    // ANCHOR_END: fft2_forward
}

// ANCHOR: fft2_convenience
/// The 2-D FFT of one image, planning for this call only (`numpy.fft.fft2`). To transform
/// many images of one shape, make one [`Fft2`] and call [`Fft2::forward`] for each.
/// Cost: planning (~tens of µs) plus [`Fft2::forward`].
///
/// # Panics
/// Never for its own input (the plan is made for its shape).
pub fn fft2(image: ArrayView2<f64>) -> Array2<Complex64> {
    Fft2::new(image.dim()).forward(image)
}
// ANCHOR_END: fft2_convenience

/// Writes the transpose of `src` (`rows × cols`, row-major) into `dst` (`cols × rows`),
/// one [`TILE`] × [`TILE`] block at a time so that reads and writes both stay in cache.
///
/// # Panics
/// If a length does not match `rows * cols`.
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

// ANCHOR: fill_by_symmetry
/// Copies columns `first..first + width` of `spectra` (`rows × half`, row-major) into
/// `block`, one column after another (`width × rows`).
fn gather_columns(
    spectra: &[Complex64],
    half: usize,
    first: usize,
    width: usize,
    block: &mut [Complex64],
) {
    let rows = block.len() / width;
    for (k1, row) in spectra.chunks_exact(half).enumerate().take(rows) {
        for (j, &value) in row[first..first + width].iter().enumerate() {
            block[j * rows + k1] = value;
        }
    }
}

/// Writes the transformed columns in `block` (`width × rows`), which are columns
/// `first..first + width` of the spectrum, into `out` (`rows × cols`, row-major), and
/// fills the redundant half by Hermitian symmetry: the input was real, so
/// `X[k1, cols - k2] = conj(X[(rows - k1) % rows, k2])` for `1 <= k2 <= cols - half`.
fn scatter_columns(
    block: &[Complex64],
    rows: usize,
    cols: usize,
    first: usize,
    out: &mut [Complex64],
) {
    let half = cols / 2 + 1;
    let width = block.len() / rows;
    for (k1, out_row) in out.chunks_exact_mut(cols).enumerate() {
        let mirror_k1 = (rows - k1) % rows;
        for j in 0..width {
            let k2 = first + j;
            out_row[k2] = block[j * rows + k1];
            if (1..=cols - half).contains(&k2) {
                out_row[cols - k2] = block[j * rows + mirror_k1].conj();
            }
        }
    }
}
// ANCHOR_END: fill_by_symmetry
