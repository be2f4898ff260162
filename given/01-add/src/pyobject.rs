//! A small model of how CPython stores and adds numbers in a `list`.
//!
//! Given code: the exercise uses it as it is. It models three costs of the tutorial's
//! `[X_list[i] + Y_list[i] for i in range(len(X_list))]`:
//!
//! 1. **Boxing.** Every element is its own heap object reached through a pointer
//!    ([`PyList`] is a vector of `Box<dyn PyObject>`), so the values are scattered in memory
//!    instead of packed side by side.
//! 2. **A runtime type tag and dynamic dispatch.** `+` is a virtual call ([`PyObject::add`]),
//!    and the callee must ask the other operand for its type before it can add
//!    (`int + int`, `int + float` and `str + str` all mean different things).
//! 3. **A fresh allocation per result.** Each sum is a new boxed object pushed onto a growing list.
//!
//! It does **not** model the bytecode interpreter loop, reference counting, or Python's
//! arbitrary-precision integers (this model wraps on overflow, like numpy's `int64`).
//! Those are why real Python is slower still than this model; see book §1.1.

use std::any::Any;
use std::fmt;

// ANCHOR: pyobject
/// A Python-like object: a value on the heap whose type is known only at run time.
pub trait PyObject: fmt::Debug + Send + Sync {
    /// The runtime type tag, as Python's `type(x).__name__` would print it.
    fn type_name(&self) -> &'static str;

    /// The `+` operator (CPython's `nb_add` slot): inspects `other`'s type at run time and
    /// allocates a new object for the result.
    ///
    /// # Errors
    /// [`TypeError`] when the two types cannot be added (an `int` and a `str`).
    fn add(&self, other: &dyn PyObject) -> Result<Box<dyn PyObject>, TypeError>;

    /// Lets the callee of [`PyObject::add`] find out what `other` really is.
    fn as_any(&self) -> &dyn Any;
}

/// A Python `list`: a vector of pointers, each to its own heap object.
pub type PyList = Vec<Box<dyn PyObject>>;
// ANCHOR_END: pyobject

/// `+` was applied to two types that do not support it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    pub left: &'static str,
    pub right: &'static str,
}

impl fmt::Display for TypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unsupported operand type(s) for +: '{}' and '{}'",
            self.left, self.right
        )
    }
}

impl std::error::Error for TypeError {}

/// Python's `int`, modelled as a wrapping `i64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PyInt(pub i64);

/// Python's `float`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PyFloat(pub f64);

/// Python's `str`: here only to show that `+` must look at types before it can add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyStr(pub String);

fn type_error(left: &dyn PyObject, right: &dyn PyObject) -> TypeError {
    TypeError {
        left: left.type_name(),
        right: right.type_name(),
    }
}

// ANCHOR: pyint_add
impl PyObject for PyInt {
    fn type_name(&self) -> &'static str {
        "int"
    }

    fn add(&self, other: &dyn PyObject) -> Result<Box<dyn PyObject>, TypeError> {
        let other_any = other.as_any();
        if let Some(PyInt(b)) = other_any.downcast_ref::<PyInt>() {
            Ok(Box::new(PyInt(self.0.wrapping_add(*b))))
        } else if let Some(PyFloat(b)) = other_any.downcast_ref::<PyFloat>() {
            Ok(Box::new(PyFloat(self.0 as f64 + b)))
        } else {
            Err(type_error(self, other))
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
// ANCHOR_END: pyint_add

impl PyObject for PyFloat {
    fn type_name(&self) -> &'static str {
        "float"
    }

    fn add(&self, other: &dyn PyObject) -> Result<Box<dyn PyObject>, TypeError> {
        let other_any = other.as_any();
        if let Some(PyFloat(b)) = other_any.downcast_ref::<PyFloat>() {
            Ok(Box::new(PyFloat(self.0 + b)))
        } else if let Some(PyInt(b)) = other_any.downcast_ref::<PyInt>() {
            Ok(Box::new(PyFloat(self.0 + *b as f64)))
        } else {
            Err(type_error(self, other))
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl PyObject for PyStr {
    fn type_name(&self) -> &'static str {
        "str"
    }

    fn add(&self, other: &dyn PyObject) -> Result<Box<dyn PyObject>, TypeError> {
        match other.as_any().downcast_ref::<PyStr>() {
            Some(PyStr(b)) => Ok(Box::new(PyStr(format!("{}{b}", self.0)))),
            None => Err(type_error(self, other)),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Boxes every value as a [`PyInt`]: the model of `list(range(n))`.
///
/// Cost: one heap allocation per element.
///
/// ```
/// let list = given_01::py_list(&[1, 2, 3]);
/// assert_eq!(list.len(), 3);
/// assert_eq!(list[0].type_name(), "int");
/// ```
pub fn py_list(values: &[i64]) -> PyList {
    values
        .iter()
        .map(|&v| Box::new(PyInt(v)) as Box<dyn PyObject>)
        .collect()
}

/// Unboxes a list of [`PyInt`]s; `None` if any element is of another type.
pub fn to_i64_vec(list: &[Box<dyn PyObject>]) -> Option<Vec<i64>> {
    list.iter()
        .map(|obj| obj.as_any().downcast_ref::<PyInt>().map(|i| i.0))
        .collect()
}
