//! §3.2 — stage 3: the 2-D spectrum, with plans made once.

use std::sync::Arc;

use ndarray::{Array2, ArrayView2, ArrayViewMut2};
use realfft::{RealFftPlanner, RealToComplex};
use rustfft::{Fft, FftPlanner};

use crate::Complex64;

/// Side of the square tiles in which [`transpose_into`] moves data (16 × 16 complex
/// values, 4 KiB, stay in the L1 cache), and how many columns [`Fft2::forward_into`]
/// transforms at a time. Measured against 4, 8 and 32 columns at a time, interleaved, over
/// the sweep's shapes (2026-11-26, load average ~4): 16 was fastest or within 2% at every
/// shape; 4 columns (one cache line per row) took 1.3–1.7× as long, 32 up to 1.3× at
/// 2048² and 4000².
pub const TILE: usize = 16;

/// The shapes of the size sweep (`cargo bench -p solution-03 -- fft2_sweep`, `cargo xtask
/// compare --steps fft2-sweep`): powers of two, the tutorial's 1000² and a prime side
/// (Bluestein's algorithm), a large image, a non-square one, and tall and wide strips of
/// about a million pixels each.
pub const FFT2_SWEEP_SHAPES: [(usize, usize); 9] = [
    (512, 512),
    (1000, 1000),
    (1009, 1009),
    (1024, 1024),
    (2048, 2048),
    (4000, 4000),
    (1000, 1500),
    (4096, 256),
    (256, 4096),
];

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
        let out = out
            .as_slice_mut()
            .expect("Fft2::forward_into: the output must be in standard layout");
        self.transform(image, work, out, Half::Mirror);
    }

    /// The non-redundant half of the spectrum, `numpy.fft.rfft2`'s layout: columns
    /// `0..=cols / 2` of [`Fft2::forward`]'s result, into `out` (`rows × (cols / 2 + 1)`),
    /// with the work buffers in `work` (no allocation after the first call). For callers that
    /// do not need the other half (it is `X[k1, cols - k2] = conj(X[-k1, k2])`): a third
    /// less memory traffic than the full spectrum.
    ///
    /// # Panics
    /// With both shapes, if `image` does not have the planned shape or `out` is not
    /// `rows × (cols / 2 + 1)`; if `out` is not in standard layout.
    pub fn forward_half_into(
        &self,
        image: ArrayView2<f64>,
        work: &mut FftWork,
        mut out: ArrayViewMut2<Complex64>,
    ) {
        let half_shape = (self.shape.0, self.shape.1 / 2 + 1);
        assert_eq!(
            image.dim(),
            self.shape,
            "Fft2::forward_half_into: the image has shape {:?}, but this Fft2 was planned for {:?}",
            image.dim(),
            self.shape
        );
        assert_eq!(
            out.dim(),
            half_shape,
            "Fft2::forward_half_into: the output has shape {:?}, but the half spectrum of {:?} is {half_shape:?}",
            out.dim(),
            self.shape
        );
        let out = out
            .as_slice_mut()
            .expect("Fft2::forward_half_into: the output must be in standard layout");
        self.transform(image, work, out, Half::Only);
    }

    /// The transform itself, once the shapes are checked: into the full spectrum
    /// (`Half::Mirror`) or its non-redundant half (`Half::Only`).
    fn transform(
        &self,
        image: ArrayView2<f64>,
        work: &mut FftWork,
        out: &mut [Complex64],
        layout: Half,
    ) {
        let (rows, cols) = self.shape;
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
        //    `rows` values), transform, and write them into their columns of the result.
        for first in (0..half).step_by(TILE) {
            let width = TILE.min(half - first);
            let block = &mut block[..width * rows];
            gather_columns(row_spectra, half, first, width, block);
            plans.columns.process_with_scratch(block, column_scratch);
            let row_len = match layout {
                Half::Mirror => cols,
                Half::Only => half,
            };
            write_columns(block, rows, row_len, first, out);
        }
        // 3. The redundant half, in one pass over the rows (measured against mirroring
        //    each tile as it is written, interleaved, 2026-11-26, load ~4.3: the same
        //    within noise at 512² to 2048², 1.2–1.6× faster at 4000², where the tiles'
        //    partial cache lines on the mirrored side cost most).
        if let Half::Mirror = layout {
            fill_by_symmetry(out, rows, cols);
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

/// Which spectrum [`Fft2::transform`] writes.
#[derive(Clone, Copy)]
enum Half {
    /// The full `rows × cols` spectrum, the redundant half filled by symmetry.
    Mirror,
    /// Only the `rows × (cols / 2 + 1)` non-redundant columns.
    Only,
}

// ANCHOR: fill_by_symmetry
/// Fills the redundant columns `half..cols` of `out` (`rows × cols`, row-major, columns
/// `0..half` already transformed) by Hermitian symmetry: the input was real, so
/// `X[k1, cols - k2] = conj(X[(rows - k1) % rows, k2])` for `1 <= k2 <= cols - half`. One
/// pass, row by row: each output row reads one other row's left part and writes its own
/// right part, both in order, so every cache line is written whole, once.
fn fill_by_symmetry(out: &mut [Complex64], rows: usize, cols: usize) {
    let half = cols / 2 + 1;
    let mirrored = cols - half;
    let mirror = |source: &[Complex64], target: &mut [Complex64]| {
        // Target column half + j is cols - k2 with k2 = mirrored - j: source columns
        // 1..=mirrored, read backwards.
        for (t, s) in target.iter_mut().zip(source[1..=mirrored].iter().rev()) {
            *t = s.conj();
        }
    };
    for k1 in 0..rows {
        let m = (rows - k1) % rows;
        if m == k1 {
            // Row 0 (and row rows / 2): its own left part, which lies before `half`.
            let (left, right) = out[k1 * cols..(k1 + 1) * cols].split_at_mut(half);
            mirror(left, right);
        } else {
            let (low, high) = out.split_at_mut(k1.max(m) * cols);
            let (source, target) = if m < k1 {
                (&low[m * cols..(m + 1) * cols], &mut high[..cols])
            } else {
                (&high[..cols], &mut low[k1 * cols..(k1 + 1) * cols])
            };
            mirror(source, &mut target[half..]);
        }
    }
}

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

/// Writes the transformed columns in `block` (`width × rows`), columns `first..first +
/// width` of the spectrum, into `out` (`rows × row_len`, row-major).
fn write_columns(
    block: &[Complex64],
    rows: usize,
    row_len: usize,
    first: usize,
    out: &mut [Complex64],
) {
    let width = block.len() / rows;
    for (k1, out_row) in out.chunks_exact_mut(row_len).enumerate() {
        for (j, value) in out_row[first..first + width].iter_mut().enumerate() {
            *value = block[j * rows + k1];
        }
    }
}

// ANCHOR_END: fill_by_symmetry

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load_eo_data;

    /// The half spectrum is the first `cols / 2 + 1` columns of the full one, exactly.
    #[test]
    fn the_half_spectrum_is_the_left_columns_of_the_full_one() {
        for shape in [(1, 1), (1, 7), (6, 1), (9, 10), (17, 33), (40, 16)] {
            let image = load_eo_data(5, shape);
            let fft = Fft2::new(shape);
            let full = fft.forward(image.view());
            let mut work = FftWork::default();
            let mut half =
                Array2::from_elem((shape.0, shape.1 / 2 + 1), Complex64::new(f64::NAN, 0.0));
            fft.forward_half_into(image.view(), &mut work, half.view_mut());
            assert_eq!(
                half,
                full.slice(ndarray::s![.., ..shape.1 / 2 + 1]),
                "{shape:?}"
            );
        }
    }
}
