//! `eo_kernels`: the course's Rust kernels as a Python module, for numpy code and Dask
//! workers. Built with maturin (`python/build-bridge`) as one abi3 wheel for CPython 3.11 and
//! later; the book's chapter "Rust kernels inside Dask" explains when to reach for it.
//!
//! | Python | Rust it runs |
//! |---|---|
//! | `smooth(image) -> float64 array` | `solution_02::smooth_optimised` |
//! | `fft2(image) -> complex128 array` | `solution_03::Fft2` (numpy's layout) |
//! | `load_eo_data(index, shape)` | `solution_03::load_eo_data` |
//! | `checksum(spectrum) -> int` | `solution_03::spectrum_checksum` |
//! | `process_image(index, shape) -> int` | `solution_03::process_image` |
//! | `run_pipeline(images, shape, threads) -> [int]` | `run_sequential` / `run_parallel` |
//! | `keep_freed_memory() -> bool` | `solution_03::keep_freed_memory` |
//!
//! # The boundary: what is copied and what is not
//! - **Inputs are read in place, never copied.** An image must be a 2-D `float64` numpy
//!   array in C order and native byte order, non-empty, at most [`MAX_PIXELS`] pixels, all
//!   finite. Anything else — another dtype, a transpose or strided slice, 0-d or 1-d, NaN —
//!   raises `TypeError` or `ValueError` saying what to pass instead; nothing is converted
//!   silently, because a hidden copy costs as much as the kernel's own pass over the image.
//! - **Outputs are not copied either**: the array Rust allocated becomes the numpy array's
//!   buffer (rust-numpy hands it over), and is freed when numpy drops it.
//! - **The GIL is released for all the Rust work** (`Python::detach`), after the arguments are
//!   checked. Other Python threads run meanwhile: two threads calling `smooth` use two cores.
//!   The contract this needs, as for numpy's own GIL-free functions: no other thread writes
//!   to an input array during the call (rust-numpy's borrow flags stop other Rust code, not
//!   Python code).
//! - `process_image` and `run_pipeline` take integers and return integers: their arrays
//!   never cross the boundary at all, which is the cheapest boundary there is.
//!
//! # Errors and limits
//! Every refusal is a Python exception raised before any work; a Rust panic would become
//! pyo3's `PanicException`, never a crash. The shape limit exists because a failed Rust
//! allocation ends the process instead of raising `MemoryError`.

mod input;
mod kernels;

pub use input::MAX_PIXELS;

use pyo3::prelude::*;

// ANCHOR: module
/// The course's Rust kernels for numpy and Dask: smooth, fft2, load_eo_data, checksum,
/// process_image, run_pipeline, keep_freed_memory. Inputs are read in place (2-D, float64,
/// C-contiguous, finite; anything else raises), outputs are handed to numpy without a copy,
/// and every call releases the GIL for its Rust work.
#[pymodule]
fn eo_kernels(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(kernels::smooth, module)?)?;
    module.add_function(wrap_pyfunction!(kernels::fft2, module)?)?;
    module.add_function(wrap_pyfunction!(kernels::load_eo_data, module)?)?;
    module.add_function(wrap_pyfunction!(kernels::checksum, module)?)?;
    module.add_function(wrap_pyfunction!(kernels::process_image, module)?)?;
    module.add_function(wrap_pyfunction!(kernels::run_pipeline, module)?)?;
    module.add_function(wrap_pyfunction!(kernels::keep_freed_memory, module)?)?;
    module.add("MAX_PIXELS", MAX_PIXELS)?;
    Ok(())
}
// ANCHOR_END: module
