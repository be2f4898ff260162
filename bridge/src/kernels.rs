//! The functions Python calls. Each checks its arguments while holding the GIL, then
//! releases it (`Python::detach`) for all of its Rust work, so that other Python threads —
//! a threaded Dask worker's other tasks — run meanwhile.

use numpy::{Complex64, IntoPyArray, PyArray2};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use solution_03::{Fft2, PipelineConfig, PipelineError, Sink, TUTORIAL_SHAPE};

use crate::input::{borrow_array, borrow_image, check_shape};

// ANCHOR: smooth
/// The 3 × 3 mean of every pixel over its window clipped at the borders
/// (`solution_02::smooth_optimised`), as a new float64 array of the same shape. The image is
/// read in place (no copy) with the GIL released.
///
/// # Errors
/// TypeError or ValueError for anything but a finite, non-empty, C-contiguous 2-D float64
/// array (see the module's documentation).
#[pyfunction]
pub fn smooth<'py>(
    py: Python<'py>,
    image: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let image = borrow_image("smooth", image)?;
    let view = image.as_array();
    let smoothed = py.detach(|| solution_02::smooth_optimised(view));
    // The Rust array's buffer becomes the numpy array's: no copy on the way out either.
    Ok(smoothed.into_pyarray(py))
}
// ANCHOR_END: smooth

/// The 2-D FFT of a real image (`solution_03::Fft2`), complex128, in numpy.fft.fft2's layout
/// and scaling: zero frequency at [0, 0], unnormalised. Planned for this call's shape; the
/// image is read in place with the GIL released.
///
/// # Errors
/// TypeError or ValueError as `smooth`.
#[pyfunction]
pub fn fft2<'py>(
    py: Python<'py>,
    image: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArray2<Complex64>>> {
    let image = borrow_image("fft2", image)?;
    let view = image.as_array();
    let spectrum = py.detach(|| Fft2::new(view.dim()).forward(view));
    Ok(spectrum.into_pyarray(py))
}

/// Image `index` of the course's pipeline (`solution_03::load_eo_data`): float64 pixels in
/// [0, 1) from a generator seeded with `index`, the same in every process and run.
///
/// # Errors
/// ValueError for an empty shape or one above `MAX_PIXELS`.
#[pyfunction]
#[pyo3(signature = (index, shape = TUTORIAL_SHAPE))]
pub fn load_eo_data(
    py: Python<'_>,
    index: u64,
    shape: (usize, usize),
) -> PyResult<Bound<'_, PyArray2<f64>>> {
    check_shape("load_eo_data", shape)?;
    let image = py.detach(|| solution_03::load_eo_data(index, shape));
    Ok(image.into_pyarray(py))
}

/// The course's 64-bit fingerprint of a complex128 spectrum (`solution_03::spectrum_checksum`):
/// equal for bit-identical spectra. Read in place with the GIL released.
///
/// # Errors
/// TypeError or ValueError for anything but a non-empty, C-contiguous 2-D complex128 array.
#[pyfunction]
pub fn checksum(py: Python<'_>, spectrum: &Bound<'_, PyAny>) -> PyResult<u64> {
    let spectrum = borrow_array::<Complex64>("checksum", spectrum, "complex128")?;
    let view = spectrum.as_array();
    Ok(py.detach(|| solution_03::spectrum_checksum(view)))
}

// ANCHOR: process_image
/// The whole pipeline for image `index` in Rust — load, smooth, fft2, save (discarded) — and
/// the checksum of its spectrum (`solution_03::process_image`). Nothing crosses the boundary
/// but two integers and a tuple: the arrays never become numpy arrays. The GIL is released
/// for the whole image. Each calling thread keeps its plan and workspace for the next call
/// with the same shape (40 bytes per pixel, until the thread ends).
///
/// # Errors
/// ValueError for an empty shape or one above `MAX_PIXELS`.
#[pyfunction]
#[pyo3(signature = (index, shape = TUTORIAL_SHAPE))]
pub fn process_image(py: Python<'_>, index: u64, shape: (usize, usize)) -> PyResult<u64> {
    check_shape("process_image", shape)?;
    py.detach(|| {
        // One plan and one workspace per calling thread (a Dask worker's thread), kept for
        // the next image of the same shape: no allocation and no page faults per image.
        thread_local! {
            static KEPT: std::cell::RefCell<Option<(Fft2, solution_03::Workspace)>> =
                const { std::cell::RefCell::new(None) };
        }
        KEPT.with_borrow_mut(|kept| {
            let (fft, workspace) = match kept {
                Some((fft, _)) if fft.shape() == shape => kept.as_mut().expect("just matched"),
                _ => kept.insert((Fft2::new(shape), solution_03::Workspace::new(shape))),
            };
            solution_03::process_image(index, fft, &Sink::Discard, workspace)
                .map(|image| image.checksum)
        })
    })
    .map_err(|e| PyRuntimeError::new_err(format!("process_image: {e}")))
}
// ANCHOR_END: process_image

/// Images 0..images through the pipeline in Rust: one after another with threads=1
/// (`solution_03::run_sequential`), else on a rayon pool of `threads` threads
/// (`solution_03::run_parallel`). Returns the checksums in index order, identical for every
/// thread count. The GIL is released for the whole run.
///
/// # Errors
/// ValueError for 0 images, 0 threads, an empty shape or one above `MAX_PIXELS`;
/// RuntimeError if the thread pool cannot start.
#[pyfunction]
#[pyo3(signature = (images, shape = TUTORIAL_SHAPE, threads = 1))]
pub fn run_pipeline(
    py: Python<'_>,
    images: u64,
    shape: (usize, usize),
    threads: usize,
) -> PyResult<Vec<u64>> {
    check_shape("run_pipeline", shape)?;
    let config = PipelineConfig::new(images, shape);
    let report = py
        .detach(|| match threads {
            1 => solution_03::run_sequential(&config),
            _ => solution_03::run_parallel(&config, threads),
        })
        .map_err(|e| match e {
            PipelineError::ThreadPool { .. } | PipelineError::Save(_) => {
                PyRuntimeError::new_err(format!("run_pipeline: {e}"))
            }
            _ => PyValueError::new_err(format!("run_pipeline: {e}")),
        })?;
    Ok(report.images.iter().map(|image| image.checksum).collect())
}

/// Asks glibc's malloc, for this whole process and for good, to keep freed memory for reuse
/// (`solution_03::keep_freed_memory`: blocks up to 32 MiB from the heap, trim at 1 GiB) instead
/// of returning every large array to the kernel and page-faulting it in again. For a program
/// or a Dask worker to call once (`client.run(eo_kernels.keep_freed_memory)`), never a library.
/// Returns False where the allocator is not glibc's.
#[pyfunction]
pub fn keep_freed_memory() -> bool {
    solution_03::keep_freed_memory()
}
