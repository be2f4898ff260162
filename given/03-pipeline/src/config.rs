//! What a run is asked to do. Given code (not part of the exercise).

use crate::error::PipelineError;
use crate::progress::ProgressMode;
use crate::sink::Sink;

/// What to run: how many images, of which shape, where the results go, and how progress
/// is shown. The images are numbered `0..images`; image `i` is `load_eo_data(i, shape)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineConfig {
    pub images: u64,
    pub shape: (usize, usize),
    pub sink: Sink,
    pub progress: ProgressMode,
}

impl PipelineConfig {
    /// `images` images of `shape`, results discarded, no progress display.
    pub fn new(images: u64, shape: (usize, usize)) -> PipelineConfig {
        PipelineConfig {
            images,
            shape,
            sink: Sink::Discard,
            progress: ProgressMode::Hidden,
        }
    }

    /// The same run, with results going to `sink`.
    pub fn with_sink(self, sink: Sink) -> PipelineConfig {
        PipelineConfig { sink, ..self }
    }

    /// The same run, with progress shown as `progress` says.
    pub fn with_progress(self, progress: ProgressMode) -> PipelineConfig {
        PipelineConfig { progress, ..self }
    }

    // ANCHOR: validate
    /// Everything that can be checked before the first image is loaded: at least one
    /// image, no zero dimension, one image in flight fits in the available memory
    /// ([`check_memory`](PipelineConfig::check_memory)`(1)`), and a sink that can save
    /// ([`Sink::prepare`]). Call it first in every run, so that a bad argument costs
    /// nothing.
    ///
    /// # Errors
    /// [`PipelineError::NoImages`], [`PipelineError::EmptyImage`],
    /// [`PipelineError::ImageTooLarge`], or the sink's [`PipelineError::Save`].
    ///
    /// Cost: reading `/proc/meminfo`, and a few system calls for [`Sink::NpyDir`].
    pub fn validate(&self) -> Result<(), PipelineError> {
        let (rows, cols) = self.shape;
        if self.images == 0 {
            return Err(PipelineError::NoImages);
        }
        if rows == 0 || cols == 0 {
            return Err(PipelineError::EmptyImage { shape: self.shape });
        }
        self.check_memory(1)?;
        self.sink.prepare()?;
        Ok(())
    }

    /// Refuses the run when `in_flight` images at once would not fit: the estimate
    /// [`estimated_peak_bytes`](crate::memory::estimated_peak_bytes) against the machine's
    /// available memory ([`available_bytes`](crate::memory::available_bytes), or the
    /// address space where that is unknown). A program that runs `threads` images at once
    /// calls it with `threads` before any work (`eo-pipeline` does).
    ///
    /// # Errors
    /// [`PipelineError::ImageTooLarge`], stating the estimate and what is available.
    pub fn check_memory(&self, in_flight: usize) -> Result<(), PipelineError> {
        let needed = crate::memory::estimated_peak_bytes(self.shape, in_flight);
        let available = crate::memory::available_bytes().unwrap_or(isize::MAX as u128);
        if needed > available {
            return Err(PipelineError::ImageTooLarge {
                shape: self.shape,
                in_flight: in_flight.max(1),
                needed_bytes: needed,
                available_bytes: available,
            });
        }
        Ok(())
    }
    // ANCHOR_END: validate
}
