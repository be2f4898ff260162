//! Section 03 — a sequential vs a parallel pipeline. **Your exercise.**
//!
//! The tutorial's pipeline, `load_eo_data` → `smooth` → `fft2` → `save`, over many images.
//! Fill in, in this order (the book chapter is `book/src/03-pipeline.md`):
//! 1. [`load_eo_data_into`] (§3.1), in `load.rs`;
//! 2. [`Fft2::new`] and [`Fft2::forward_into`] (§3.2), in `fft.rs`;
//! 3. [`process_image`] and [`run_sequential`] (§3.3), in `sequential.rs`;
//! 4. [`run_parallel`] (§3.5), in `parallel.rs`.
//!
//! Given (read them in `given/03-pipeline/src/`): [`smooth`] (section 02's kernel),
//! [`Sink`] (stage 4), [`Workspace`] (one thread's arrays), [`spectrum_checksum`],
//! [`Progress`], [`PipelineConfig`] and [`RunReport`], [`PipelineError`].
//!
//! Check your work with `cargo test -p exercise-03` (all checks) or one group at a time:
//! `cargo test -p exercise-03 correctness_`, `properties_`, `mechanism_`, `snapshot_`,
//! `timing_`.

pub mod fft;
pub mod load;
pub mod parallel;
pub mod sequential;

// Given: not part of the exercise.
pub use given_03::{
    Complex64, ImageResult, PipelineConfig, PipelineError, Progress, ProgressMode, RunReport,
    SaveError, SaveHook, Sink, StageTimes, TUTORIAL_SHAPE, allocator, keep_freed_memory, smooth,
    smooth_into, spectrum_checksum, stop_saving, unit_f64,
};

pub use fft::{Fft2, FftWork, fft2};
pub use load::{load_eo_data, load_eo_data_into};
pub use parallel::run_parallel;
pub use sequential::{process_image, run_sequential};

/// One thread's reusable arrays (book §3.4), with your FFT's work buffers. Given.
pub type Workspace = given_03::Workspace<FftWork>;
