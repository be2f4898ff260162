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
    /// image, no zero dimension, a spectrum that fits in the address space, and a sink
    /// that can save ([`Sink::prepare`]). Call it first in every run, so that a bad
    /// argument costs nothing. Cost: a few system calls for [`Sink::NpyDir`].
    pub fn validate(&self) -> Result<(), PipelineError> {
        let (rows, cols) = self.shape;
        if self.images == 0 {
            return Err(PipelineError::NoImages);
        }
        if rows == 0 || cols == 0 {
            return Err(PipelineError::EmptyImage { shape: self.shape });
        }
        let spectrum_bytes = rows
            .checked_mul(cols)
            .and_then(|n| n.checked_mul(std::mem::size_of::<crate::Complex64>()));
        if spectrum_bytes.is_none_or(|b| b > isize::MAX as usize) {
            return Err(PipelineError::ImageTooLarge { shape: self.shape });
        }
        self.sink.prepare()?;
        Ok(())
    }
    // ANCHOR_END: validate
}
