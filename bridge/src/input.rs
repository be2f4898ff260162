//! What the module accepts at the boundary, and the Python exception for everything else.

use numpy::{
    Element, PyArray2, PyArrayDescrMethods, PyArrayMethods, PyReadonlyArray2, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

/// The most pixels one image may have: 2^27 (134,217,728, e.g. 11585 × 11585), which holds a
/// whole Sentinel-2 10 m tile (10980 × 10980). Why a limit at all: the pipeline holds about
/// 40 bytes per pixel at its peak (image, smoothed image, half spectrum, spectrum), 5.4 GB at
/// this size, and a Rust allocation that fails ends the process instead of raising
/// `MemoryError`; a limit turns an impossible request into an exception before any work.
pub const MAX_PIXELS: usize = 1 << 27;

// ANCHOR: borrow_image
/// `image` as a read-only view of numpy's own memory, with no copy, after checking that it is
/// what every kernel needs: a 2-D `float64` array in C (row-major) order, native byte order,
/// at least 1 × 1, at most [`MAX_PIXELS`] pixels, with only finite values.
///
/// Nothing is converted silently: a copy made here would be invisible to the caller and
/// would cost as much as the kernel's own pass over the image, so the caller decides
/// (`np.ascontiguousarray(image, dtype=np.float64)` makes one).
///
/// # Errors
/// Those of [`borrow_array`], and `ValueError` for NaN or infinity (with the position of the
/// first one).
pub fn borrow_image<'py>(
    function: &str,
    image: &Bound<'py, PyAny>,
) -> PyResult<PyReadonlyArray2<'py, f64>> {
    let readonly = borrow_array::<f64>(function, image, "float64")?;
    let pixels = readonly.as_slice().expect("C-contiguous was checked");
    if let Some(at) = first_non_finite(pixels) {
        let cols = readonly.shape()[1];
        return Err(PyValueError::new_err(format!(
            "{function}: the image holds {} at [{}, {}]; every pixel must be finite (mask or \
             fill missing pixels first, e.g. np.nan_to_num)",
            pixels[at],
            at / cols,
            at % cols
        )));
    }
    Ok(readonly)
}

/// `array` as a read-only view of numpy's memory, with no copy, if it is a 2-D array of `T`
/// (`dtype_name` in messages) in C order and native byte order, with a shape that
/// [`check_shape`] accepts.
///
/// # Errors
/// `TypeError` for an object that is not a numpy array or has another dtype; `ValueError`
/// for another number of dimensions (0-d, 1-d, 3-d), a non-contiguous layout (a transpose,
/// a strided slice), misaligned data, an empty or too-large shape; rust-numpy's borrow error as a
/// `ValueError` if Rust code holds the array writeable at the same time.
pub fn borrow_array<'py, T: Element>(
    function: &str,
    array: &Bound<'py, PyAny>,
    dtype_name: &str,
) -> PyResult<PyReadonlyArray2<'py, T>> {
    let untyped = array.cast::<PyUntypedArray>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{function}: expected a numpy.ndarray of {dtype_name}, got {}",
            type_name(array)
        ))
    })?;
    if untyped.ndim() != 2 {
        return Err(PyValueError::new_err(format!(
            "{function}: expected a 2-D array, got a {}-d array of shape {:?}",
            untyped.ndim(),
            untyped.shape()
        )));
    }
    let dtype = untyped.dtype();
    if !dtype.is_equiv_to(&numpy::dtype::<T>(array.py())) {
        return Err(PyTypeError::new_err(format!(
            "{function}: expected dtype {dtype_name} in native byte order, got {}; convert \
             with np.ascontiguousarray(array, dtype=np.{dtype_name})",
            dtype.str().map_or_else(|_| "?".into(), |s| s.to_string())
        )));
    }
    if !untyped.is_c_contiguous() {
        return Err(PyValueError::new_err(format!(
            "{function}: the array is not C-contiguous (a transpose or a strided slice?); it \
             is read in place, never copied behind your back: pass np.ascontiguousarray(array)"
        )));
    }
    // Reading a float through a misaligned pointer is undefined in Rust; numpy allows such
    // arrays (`np.frombuffer(data, offset=1)`), so they are refused like any other layout.
    if !untyped.is_aligned() {
        return Err(PyValueError::new_err(format!(
            "{function}: the array's data is not aligned for {dtype_name} (a buffer at an odd \
             offset?); pass array.copy()"
        )));
    }
    check_shape(function, (untyped.shape()[0], untyped.shape()[1]))?;
    untyped
        .cast::<PyArray2<T>>()
        .expect("dtype and dimensions were checked")
        .try_readonly()
        .map_err(|e| PyValueError::new_err(format!("{function}: {e}")))
}
// ANCHOR_END: borrow_image

/// Refuses a shape with a zero dimension or more than [`MAX_PIXELS`] pixels.
///
/// # Errors
/// `ValueError` naming the shape and the limit.
pub fn check_shape(function: &str, shape: (usize, usize)) -> PyResult<()> {
    let (rows, cols) = shape;
    if rows == 0 || cols == 0 {
        return Err(PyValueError::new_err(format!(
            "{function}: the image shape {shape:?} is empty; both dimensions must be at least 1"
        )));
    }
    if rows.checked_mul(cols).is_none_or(|n| n > MAX_PIXELS) {
        return Err(PyValueError::new_err(format!(
            "{function}: the image shape {shape:?} has more than {MAX_PIXELS} pixels, the \
             module's limit (about 40 bytes per pixel at the pipeline's peak)"
        )));
    }
    Ok(())
}

/// The index of the first NaN or infinity. Reads 8 values per step without branching on
/// each, so the check costs about one memory pass (~0.3 ms at 1000 × 1000).
fn first_non_finite(pixels: &[f64]) -> Option<usize> {
    let chunks = pixels.chunks(8);
    for (c, chunk) in chunks.enumerate() {
        if !chunk.iter().fold(true, |ok, v| ok & v.is_finite()) {
            let within = chunk.iter().position(|v| !v.is_finite())?;
            return Some(c * 8 + within);
        }
    }
    None
}

/// `list`, `numpy.float64`, … for messages (qualified, so that a numpy scalar is not
/// mistaken for an array of its dtype).
fn type_name(object: &Bound<'_, PyAny>) -> String {
    object
        .get_type()
        .fully_qualified_name()
        .map_or_else(|_| "an object".into(), |n| n.to_string())
}
