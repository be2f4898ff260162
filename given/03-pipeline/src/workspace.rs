//! One thread's reusable arrays: what lets the pipeline run without allocating per image.
//! Given code (not part of the exercise).

use ndarray::Array2;

use crate::Complex64;

// ANCHOR: workspace
/// Everything one image needs on its way through the pipeline, made once per thread and
/// reused for every image of the same shape: the loaded image, the smoothed image, the
/// smooth's row of scratch space, the FFT's work buffers (`W`, the crate's own `FftWork`)
/// and the output spectrum.
///
/// Why: allocating these ~40 MB afresh for every 1000 × 1000 image makes glibc return them
/// to the kernel when they are freed, and the next image page-faults every 4 KiB page back
/// in (book §3.4). Reusing one workspace per thread touches the pages once, for the first
/// image; afterwards an image allocates nothing.
///
/// The crates name it `Workspace` (`given_03::Workspace<FftWork>`); make one with
/// `Workspace::new(shape)`. After `process_image` the spectrum is in `spectrum`; a caller
/// that wants to keep it takes a copy (`workspace.spectrum.clone()`), the only allocation.
pub struct Workspace<W> {
    /// Stage 1's output.
    pub image: Array2<f64>,
    /// Stage 2's output.
    pub smoothed: Array2<f64>,
    /// Stage 2's row of column sums.
    pub smooth_scratch: Vec<f64>,
    /// Stage 3's work buffers, grown on first use and then reused.
    pub fft: W,
    /// Stage 3's output: the full spectrum, `numpy.fft.fft2`'s layout.
    pub spectrum: Array2<Complex64>,
}

impl<W: Default> Workspace<W> {
    /// Arrays of `shape` for one thread: 40 bytes per pixel (the image, the smoothed image,
    /// the spectrum), plus the FFT's work buffers when first used. The memory is zeroed
    /// lazily by the kernel: its pages are touched, once, by the first image.
    ///
    /// # Panics
    /// If `rows × cols × 16` bytes overflows `isize` (ndarray: "Shape too large").
    pub fn new(shape: (usize, usize)) -> Workspace<W> {
        Workspace {
            image: Array2::zeros(shape),
            smoothed: Array2::zeros(shape),
            smooth_scratch: Vec::new(),
            fft: W::default(),
            spectrum: Array2::zeros(shape),
        }
    }
}

impl<W> Workspace<W> {
    /// The image shape this workspace holds.
    pub fn shape(&self) -> (usize, usize) {
        self.image.dim()
    }
}
// ANCHOR_END: workspace
