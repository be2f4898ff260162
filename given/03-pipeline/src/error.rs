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
    /// The run would not fit in memory: its estimated peak
    /// ([`estimated_peak_bytes`](crate::memory::estimated_peak_bytes)) is more than the
    /// machine's available memory ([`available_bytes`](crate::memory::available_bytes)),
    /// or than the address space where that is unknown.
    ImageTooLarge {
        shape: (usize, usize),
        /// Images processed at once in the estimate (1 for a sequential run).
        in_flight: usize,
        needed_bytes: u128,
        available_bytes: u128,
    },
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
            PipelineError::ImageTooLarge {
                shape,
                in_flight,
                needed_bytes,
                available_bytes,
            } => write!(
                f,
                "image shape {shape:?} is too large: with {in_flight} image(s) in flight the \
                 run needs an estimated {} (48 bytes per pixel per image plus FFT plans), \
                 but only {} is available",
                crate::memory::human_bytes(*needed_bytes),
                crate::memory::human_bytes(*available_bytes)
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
