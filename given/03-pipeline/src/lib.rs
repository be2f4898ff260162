//! Section 03 — given code: everything around the pipeline that the learner uses but does
//! not write.
//!
//! | module | what it holds |
//! |---|---|
//! | [`config`] | [`PipelineConfig`]: how many images, their shape, where results go |
//! | [`report`] | [`RunReport`], [`ImageResult`], [`StageTimes`]: what a run produced |
//! | [`sink`] | [`Sink`]: stage 4, discard (like the tutorial) or one `.npy` file per image |
//! | [`checksum`] | [`spectrum_checksum`]: compares runs without keeping their spectra |
//! | [`progress`] | [`Progress`]: the tqdm-like progress bar |
//! | [`error`] | [`PipelineError`] |
//! | [`memory`] | the run's estimated peak memory, and the machine's available memory |
//! | [`allocator`] | [`keep_freed_memory`]: the glibc tuning of §3.4 |
//! | [`pixels`] | [`unit_f64`]: random bits to a pixel in `[0, 1)` |
//! | [`workspace`] | [`Workspace`]: one thread's arrays, reused from image to image |
//!
//! and stage 2, [`smooth`]: section 02's reference kernel, given here so that section 03
//! can be done without section 02. Both `exercise-03` and `solution-03` depend on this
//! crate and re-export it, so the two have the same public API.

pub mod allocator;
pub mod checksum;
pub mod config;
pub mod error;
pub mod memory;
pub mod pixels;
pub mod progress;
pub mod report;
pub mod sink;
pub mod workspace;

pub use num_complex::Complex64;

pub use allocator::keep_freed_memory;
pub use checksum::spectrum_checksum;
pub use config::PipelineConfig;
pub use error::PipelineError;
pub use pixels::unit_f64;
pub use progress::{Progress, ProgressMode};
pub use report::{ImageResult, RunReport, StageTimes};
pub use sink::{SaveError, SaveHook, Sink, stop_saving};
pub use workspace::Workspace;

/// Stage 2: section 02's reference kernel, a 3 × 3 true mean with the window clipped at the
/// border (see `solution_02` for the contract). Cost: one pass over the image, ~1.5 ms at
/// 1000 × 1000.
pub use solution_02::smooth_optimised as smooth;

/// Stage 2 into a caller's array, with a caller's scratch row (`Workspace::smoothed` and
/// `Workspace::smooth_scratch`): [`smooth`] without allocating. Panics if the shapes differ.
pub use solution_02::smooth_optimised_into as smooth_into;

/// The tutorial's image size: 1000 × 1000.
pub const TUTORIAL_SHAPE: (usize, usize) = (1000, 1000);
