//! §1.1 — the Python list version, on the boxed model.

use crate::{AddError, PyList, PyObject};

// ANCHOR: naive_add
/// Adds two lists element by element the way the tutorial's list comprehension does:
/// index both lists, dispatch `+` on the runtime types, push each new boxed result.
///
/// # Errors
/// [`AddError::LengthMismatch`] if the lengths differ (Python would raise
/// `IndexError` or silently stop early, depending on which list is shorter);
/// [`AddError::Type`] naming the first index whose operands cannot be added.
///
/// Cost: one virtual call, one type check and one heap allocation per element, and the
/// result list grows as it goes (a `Vec` doubles its capacity; CPython's list
/// over-allocates by about an eighth).
///
/// ```
/// use solution_01::{naive_add, py_list, to_i64_vec};
/// let z = naive_add(&py_list(&[1, 2]), &py_list(&[10, 20])).unwrap();
/// assert_eq!(to_i64_vec(&z), Some(vec![11, 22]));
/// ```
pub fn naive_add(x: &[Box<dyn PyObject>], y: &[Box<dyn PyObject>]) -> Result<PyList, AddError> {
    let len = AddError::require_equal_lengths(x.len(), y.len())?;
    let mut z = PyList::new();
    for i in 0..len {
        let sum = x[i].add(y[i].as_ref()).map_err(|e| AddError::Type {
            index: i,
            left: e.left,
            right: e.right,
        })?;
        z.push(sum);
    }
    Ok(z)
}
// ANCHOR_END: naive_add
