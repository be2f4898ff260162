//! §3.2 — stage 3: the 2-D spectrum, with plans made once.

use std::sync::Arc;

use ndarray::{Array2, ArrayView2, ArrayViewMut2};
use rustfft::{Fft, FftPlanner};

use crate::Complex64;

/// Side of the square tiles in which [`transpose_into`] moves data (16 × 16 complex
/// values, 4 KiB, stay in the L1 cache).
pub const TILE: usize = 16;

/// How many pairs of image columns [`Fft2::forward_into`] transforms at a time (each pair
/// is one complex column). 32 image columns are four cache lines of every image row, read
/// whole. Measured at 1000², 8, 16 and 32 pairs (interleaved, 2026-11-26, load ~1.3):
/// 5.6, 4.5 and 6.4 ms; at 1024², 5.0, 5.2 and 5.2 ms.
pub const COLUMN_PAIRS: usize = 16;

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
/// The input is real, and this implementation uses it twice (book §3.2, "Real input"):
///
/// 1. **Columns first, two at a time.** Image columns `a` and `b` are packed into one
///    complex column `a + i·b`; one complex transform then gives both spectra, separated
///    with `A[k] = (Z[k] + conj(Z[-k])) / 2` and `B[k] = (Z[k] - conj(Z[-k])) / 2i`. Half
///    the column transforms, and no real-to-complex post-processing.
/// 2. **Half the rows.** The spectrum is *Hermitian*, `X[-k1, -k2] = conj(X[k1, k2])`
///    (indices modulo the shape): rows `rows / 2 + 1..` of the result mirror rows
///    `1..rows / 2`. Only rows `0..=rows / 2` go through the row transforms — written
///    straight into the output, where they are contiguous — and the rest is filled by
///    symmetry.
///
/// Columns are read from the image [`COLUMN_PAIRS`] pairs at a time into a small
/// contiguous buffer (rustfft transforms contiguous runs); nothing image-sized is copied
/// in between. About half the arithmetic and memory traffic of the all-complex
/// [`ComplexFft2`](crate::ComplexFft2).
pub struct Fft2 {
    shape: (usize, usize),
    /// `None` when a dimension is 0: there is nothing to plan.
    plans: Option<Plans>,
}

struct Plans {
    /// Complex, length `rows`: one call per pair of image columns.
    columns: Arc<dyn Fft<f64>>,
    /// Complex, length `cols`: one call per (non-redundant) row.
    rows: Arc<dyn Fft<f64>>,
}

/// The work buffers of [`Fft2::forward_into`], one per thread: empty at first, grown to
/// the planned shape by the first call and reused by every later one, so a thread that
/// transforms many images allocates only once.
#[derive(Default)]
pub struct FftWork {
    /// [`COLUMN_PAIRS`] complex columns, each a pair of image columns, contiguous.
    block: Vec<Complex64>,
    /// The non-redundant rows' full spectra, for [`Fft2::forward_half_into`] only (the
    /// full spectrum computes them in place in its output).
    upper_rows: Vec<Complex64>,
    /// The column and row transforms' scratch.
    column_scratch: Vec<Complex64>,
    row_scratch: Vec<Complex64>,
}
// ANCHOR_END: fft2_struct

impl Fft2 {
    // ANCHOR: fft2_new
    /// Plans the transforms for images of `shape` (rows, columns). Planning measures
    /// nothing and allocates little (~tens of µs); do it once per shape, not per image.
    /// Any shape is accepted: a dimension of 0 gives a transform of empty images.
    pub fn new(shape: (usize, usize)) -> Fft2 {
        let (rows, cols) = shape;
        let plans = (rows > 0 && cols > 0).then(|| {
            let mut planner = FftPlanner::<f64>::new();
            Plans {
                columns: planner.plan_fft_forward(rows),
                rows: planner.plan_fft_forward(cols),
            }
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
    /// Any layout of `image` is accepted (a strided or transposed view is read element by
    /// element, a standard one a row slice at a time). Cost: `O(rows·cols·log)`; `work`
    /// holds [`COLUMN_PAIRS`] columns and the plans' scratch (`cargo bench -p solution-03
    /// -- stages` times it).
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
    /// less memory traffic than the full spectrum. `work` then also holds the
    /// `rows / 2 + 1` non-redundant rows' full spectra.
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
        let upper = rows / 2 + 1;
        let FftWork {
            block,
            upper_rows,
            column_scratch,
            row_scratch,
        } = work;
        // `resize` allocates only when a buffer grows: the first call, or a larger plan.
        block.resize(COLUMN_PAIRS * rows, Complex64::default());
        column_scratch.resize(
            plans.columns.get_inplace_scratch_len(),
            Complex64::default(),
        );
        row_scratch.resize(plans.rows.get_inplace_scratch_len(), Complex64::default());
        // Where rows 0..upper of the full spectrum are computed: in place in a full
        // output, in `work` for a half one.
        let upper_spectra = match layout {
            Half::Mirror => &mut out[..upper * cols],
            Half::Only => {
                upper_rows.resize(upper * cols, Complex64::default());
                &mut upper_rows[..]
            }
        };

        // 1. The columns, 2 · COLUMN_PAIRS image columns at a time: packed in pairs into
        //    complex columns, transformed, separated into the two columns' spectra, and
        //    written into their columns of rows 0..upper.
        for first in (0..cols).step_by(2 * COLUMN_PAIRS) {
            let width = (2 * COLUMN_PAIRS).min(cols - first);
            let block = &mut block[..width.div_ceil(2) * rows];
            gather_column_pairs(image, first, width, block);
            plans.columns.process_with_scratch(block, column_scratch);
            separate_column_pairs(block, rows, first, width, upper_spectra, cols);
        }
        // 2. The rows 0..upper, contiguous, in one call.
        plans.rows.process_with_scratch(upper_spectra, row_scratch);
        // 3. The other rows, by symmetry.
        match layout {
            Half::Mirror => fill_by_symmetry(out, rows, cols),
            Half::Only => half_by_symmetry(upper_rows, rows, cols, out),
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
/// Fills rows `rows / 2 + 1..rows` of `out` (`rows × cols`, row-major, rows `0..=rows / 2`
/// already transformed) by Hermitian symmetry: the input was real, so
/// `X[k1, k2] = conj(X[rows - k1, (cols - k2) % cols])`. Each target row reads one source
/// row backwards (after its first element) and writes its own in order, so every cache
/// line is written whole, once.
fn fill_by_symmetry(out: &mut [Complex64], rows: usize, cols: usize) {
    let upper = rows / 2 + 1;
    let (sources, targets) = out.split_at_mut(upper * cols);
    for (target, k1) in targets.chunks_exact_mut(cols).zip(upper..) {
        let source = &sources[(rows - k1) * cols..][..cols];
        mirror_row(source, target);
    }
}

/// `target[k2] = conj(source[(cols - k2) % cols])` for `k2` in `0..target.len()`
/// (`target` may be shorter than `source`: the half spectrum's rows).
fn mirror_row(source: &[Complex64], target: &mut [Complex64]) {
    let Some((first, rest)) = target.split_first_mut() else {
        return;
    };
    *first = source[0].conj();
    for (t, s) in rest.iter_mut().zip(source[1..].iter().rev()) {
        *t = s.conj();
    }
}

/// The half spectrum (`rows × (cols / 2 + 1)`, `out`) from the full spectra of rows
/// `0..=rows / 2` (`upper_rows`, `cols` wide): their left parts, then the other rows by
/// symmetry as in [`fill_by_symmetry`].
fn half_by_symmetry(upper_rows: &[Complex64], rows: usize, cols: usize, out: &mut [Complex64]) {
    let (upper, half) = (rows / 2 + 1, cols / 2 + 1);
    for (k1, target) in out.chunks_exact_mut(half).enumerate() {
        if k1 < upper {
            target.copy_from_slice(&upper_rows[k1 * cols..][..half]);
        } else {
            mirror_row(&upper_rows[(rows - k1) * cols..][..cols], target);
        }
    }
}

/// Packs image columns `first..first + width` into `block` as complex columns of
/// `rows` values, one after another: columns `first + 2p` (real part) and `first + 2p + 1`
/// (imaginary part) into column `p`. An odd last column gets a zero imaginary part.
fn gather_column_pairs(
    image: ArrayView2<f64>,
    first: usize,
    width: usize,
    block: &mut [Complex64],
) {
    let rows = image.nrows();
    for (k1, row) in image.rows().into_iter().enumerate() {
        let pixel = |j: usize| if j < width { row[first + j] } else { 0.0 };
        match row.as_slice() {
            Some(row) => {
                // The common case, a contiguous row: slices, no index checks per pixel.
                let (pairs, odd) = row[first..first + width].as_chunks::<2>();
                for (column, &[re, im]) in block.chunks_exact_mut(rows).zip(pairs) {
                    column[k1] = Complex64::new(re, im);
                }
                if let Some(&re) = odd.first() {
                    block[pairs.len() * rows + k1] = Complex64::new(re, 0.0);
                }
            }
            None => {
                for (p, column) in block.chunks_exact_mut(rows).enumerate() {
                    column[k1] = Complex64::new(pixel(2 * p), pixel(2 * p + 1));
                }
            }
        }
    }
}

/// Separates the transformed pairs in `block` into the spectra of image columns `first..
/// first + width`, and writes their rows `0..=rows / 2` into `upper` (`cols` wide): for
/// `Z` the transform of `a + i·b`, `A[k] = (Z[k] + conj(Z[-k])) / 2` and
/// `B[k] = (Z[k] - conj(Z[-k])) / 2i`.
fn separate_column_pairs(
    block: &[Complex64],
    rows: usize,
    first: usize,
    width: usize,
    upper: &mut [Complex64],
    cols: usize,
) {
    for (k1, upper_row) in upper.chunks_exact_mut(cols).enumerate() {
        let mirror = (rows - k1) % rows;
        let target = &mut upper_row[first..first + width];
        for (pair, column) in target.chunks_mut(2).zip(block.chunks_exact(rows)) {
            let (z, z_mirror) = (column[k1], column[mirror].conj());
            pair[0] = (z + z_mirror) * 0.5;
            if let Some(b) = pair.get_mut(1) {
                let d = (z - z_mirror) * 0.5;
                // d / i = -i·d
                *b = Complex64::new(d.im, -d.re);
            }
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
