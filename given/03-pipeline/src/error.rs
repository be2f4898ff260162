//! What can go wrong in a pipeline run, reported before any work when it can be.

use std::fmt;

use crate::sink::SaveError;

/// Why a pipeline run was refused or stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipelineError {
    /// The run was asked for 0 images.
    NoImages,
    /// An image dimension is 0: there is nothing to transform.
    EmptyImage { shape: (usize, usize) },
    /// The image (or its 16-byte-per-pixel spectrum) would not fit in memory at all.
    ImageTooLarge { shape: (usize, usize) },
    /// A parallel run was asked for 0 threads.
    NoThreads,
    /// rayon could not start the thread pool (e.g. the system refused to create threads).
    ThreadPool { reason: String },
    /// The sink refused: a missing or unwritable directory (found before any work starts),
    /// or a failed write (the run stops at the first one).
    Save(SaveError),
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipelineError::NoImages => write!(f, "no images to process: ask for at least 1"),
            PipelineError::EmptyImage { shape } => write!(
                f,
                "image shape {shape:?} has a zero dimension: both must be at least 1"
            ),
            PipelineError::ImageTooLarge { shape } => write!(
                f,
                "image shape {shape:?} is too large: its spectrum would not fit in memory"
            ),
            PipelineError::NoThreads => write!(f, "a parallel run needs at least 1 thread"),
            PipelineError::ThreadPool { reason } => {
                write!(f, "could not start the thread pool: {reason}")
            }
            PipelineError::Save(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for PipelineError {}

impl From<SaveError> for PipelineError {
    fn from(e: SaveError) -> PipelineError {
        PipelineError::Save(e)
    }
}
