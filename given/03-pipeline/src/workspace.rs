//! One thread's reusable arrays: what lets the pipeline run without allocating per image.
//! Given code (not part of the exercise).

use given_01::pages::vec_on_huge_pages;
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
/// in (book §3.4). Reusing one workspace per thread touches the pages once, when it is
/// made; afterwards an image allocates nothing.
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
    /// the spectrum), plus the FFT's work buffers when first used.
    ///
    /// The three arrays are advised for 2 MiB pages where the kernel allows it, as numpy
    /// advises its own arrays of 4 MiB or more (section 01's `vec_on_huge_pages`, book
    /// §1.4): one page-table entry then covers 512 times the memory, which the FFT's column
    /// pass — a pixel from each of a thousand rows 8 KB apart — needs, since it would touch
    /// a new 4 KiB page at every step. A library may do this: it advises its own memory and
    /// changes nothing for the rest of the process, unlike `keep_freed_memory`.
    ///
    /// Cost: writing the arrays' zeros once, here (the first touch of every page).
    ///
    /// # Panics
    /// If the arrays' size in bytes overflows `isize`.
    pub fn new(shape: (usize, usize)) -> Workspace<W> {
        Workspace {
            image: filled_on_huge_pages(shape, 0.0),
            smoothed: filled_on_huge_pages(shape, 0.0),
            smooth_scratch: Vec::new(),
            fft: W::default(),
            spectrum: filled_on_huge_pages(shape, Complex64::default()),
        }
    }
}

impl<W> Workspace<W> {
    /// The image shape this workspace holds.
    pub fn shape(&self) -> (usize, usize) {
        self.image.dim()
    }
}

/// An array of `shape` holding `value` everywhere, on memory advised for 2 MiB pages.
fn filled_on_huge_pages<T: Clone>(shape: (usize, usize), value: T) -> Array2<T> {
    let pixels = shape
        .0
        .checked_mul(shape.1)
        .expect("Workspace::new: rows × cols overflows usize");
    Array2::from_shape_vec(shape, vec_on_huge_pages(pixels, value))
        .expect("a vector of rows × cols elements has the shape (rows, cols)")
}
// ANCHOR_END: workspace
