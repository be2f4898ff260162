//! The one error type of section 01.

use std::fmt;

/// Why an add was refused. Every variant of the add returns this instead of panicking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddError {
    /// `x` and `y` have different lengths.
    LengthMismatch { x: usize, y: usize },
    /// The output passed to an in-place add does not have the inputs' length.
    OutputLengthMismatch { inputs: usize, out: usize },
    /// The boxed model met two objects that `+` cannot combine — Python's `TypeError`.
    Type {
        index: usize,
        left: &'static str,
        right: &'static str,
    },
    /// A sum does not fit in an `i64` (only the checked add of §1.6 reports this; the
    /// others wrap, like numpy). `index` is the first such element.
    Overflow { index: usize },
}

impl AddError {
    /// Returns the common length of `x` and `y`.
    ///
    /// # Errors
    /// [`AddError::LengthMismatch`] when they differ.
    pub fn require_equal_lengths(x: usize, y: usize) -> Result<usize, AddError> {
        if x == y {
            Ok(x)
        } else {
            Err(AddError::LengthMismatch { x, y })
        }
    }

    /// Checks that an output buffer of length `out` fits inputs of length `inputs`.
    ///
    /// # Errors
    /// [`AddError::OutputLengthMismatch`] when they differ.
    pub fn require_output_length(inputs: usize, out: usize) -> Result<(), AddError> {
        if inputs == out {
            Ok(())
        } else {
            Err(AddError::OutputLengthMismatch { inputs, out })
        }
    }
}

impl fmt::Display for AddError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddError::LengthMismatch { x, y } => write!(
                f,
                "cannot add arrays of different lengths: x has {x} elements, y has {y} \
                 (this course never broadcasts)"
            ),
            AddError::OutputLengthMismatch { inputs, out } => {
                write!(f, "output has {out} elements but the inputs have {inputs}")
            }
            AddError::Type { index, left, right } => write!(
                f,
                "TypeError at index {index}: unsupported operand type(s) for +: '{left}' and '{right}'"
            ),
            AddError::Overflow { index } => write!(
                f,
                "the sum at index {index} does not fit in an i64 (the first element that overflows)"
            ),
        }
    }
}

impl std::error::Error for AddError {}
