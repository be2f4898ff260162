//! §1.1 — the Python list version, on the boxed model.

use crate::{AddError, PyList, PyObject};

/// Adds two lists element by element the way the tutorial's list comprehension does:
/// index both lists, dispatch `+` on the runtime types, push each new boxed result.
///
/// # Errors
/// [`AddError::LengthMismatch`] if the lengths differ; [`AddError::Type`] naming
/// the first index whose operands cannot be added.
pub fn naive_add(x: &[Box<dyn PyObject>], y: &[Box<dyn PyObject>]) -> Result<PyList, AddError> {
    todo!(
        "naive_add: check the lengths (AddError::require_equal_lengths), then for each index i \
         call x[i].add(y[i].as_ref()), turn a TypeError into AddError::Type {{ index, left, right }} \
         and push the boxed sum onto a new PyList — book §1.1 \"The boxed model\" (book/src/01-add.md)"
    )
}
