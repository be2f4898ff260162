//! §1.1 — the Python list version, on the boxed model.

use crate::{AddError, PyList, PyObject};

// ANCHOR: naive_add
/// Adds two lists element by element the way the tutorial's list comprehension does:
/// index both lists, dispatch `+` on the runtime types, push each new boxed result.
///
/// # Errors
/// [`AddError::LengthMismatch`] if the lengths differ; [`AddError::Type`] naming
/// the first index whose operands cannot be added.
pub fn naive_add(x: &[Box<dyn PyObject>], y: &[Box<dyn PyObject>]) -> Result<PyList, AddError> {
    todo!(
        "naive_add: add the two lists element by element, the way the tutorial's list \
         comprehension does, on the boxed model; refuse unequal lengths and report the \
         first pair that cannot be added — \
         book §1.1 \"The boxed model\" (book/src/01-add.md)"
    )
}
// ANCHOR_END: naive_add
