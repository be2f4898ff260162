//! Section 03 — a sequential vs a parallel pipeline (reference solution).
//!
//! The tutorial pushes many images through four stages — `load_eo_data` → `smooth` →
//! `np.fft.fft2` → `save` — first in a plain loop with a tqdm progress bar, then on a Dask
//! cluster. This crate is the Rust counterpart:
//!
//! | stage | here | cost at 1000 × 1000 |
//! |---|---|---|
//! | 1 load | [`load_eo_data`]: seeded random pixels, a pure function of the image index | ~1 ms |
//! | 2 smooth | [`smooth`]: section 02's reference kernel | ~1.5 ms |
//! | 3 fft2 | [`Fft2`]: the full 2-D spectrum, plans made once | ~8–10 ms |
//! | 4 save | [`Sink`]: discard (like the tutorial), or one `.npy` file per image | |
//!
//! and two ways to run them: [`run_sequential`] (one image after another, on the calling
//! thread) and [`run_parallel`] (whole images on a rayon pool of a chosen size). Both
//! return a [`RunReport`]: one [`ImageResult`] per image, in index order, with the
//! spectrum's [`spectrum_checksum`], the time spent in each stage and the thread that did
//! the work. Whatever the run and the thread count, the checksums are identical.
//!
//! The command-line program `eo-pipeline` (`cargo run --release -p solution-03 --bin
//! eo-pipeline -- --help`) runs either pipeline and prints the time per stage.

pub mod fft;
pub mod fft_complex;
pub mod load;
pub mod parallel;
pub mod sequential;

pub use fft::{FFT2_SWEEP_SHAPES, Fft2, FftWork, fft2};
pub use fft_complex::ComplexFft2;
pub use load::{load_eo_data, load_eo_data_into};
pub use parallel::run_parallel;
pub use sequential::{process_image, run_sequential};

// Given code (`given-03`), re-exported so that solution and exercise share one API.
pub use given_03::{
    Complex64, ImageResult, PipelineConfig, PipelineError, Progress, ProgressMode, RunReport,
    SaveError, SaveHook, Sink, StageTimes, TUTORIAL_SHAPE, allocator, keep_freed_memory, smooth,
    smooth_into, spectrum_checksum, stop_saving, unit_f64,
};

/// One thread's reusable arrays (book §3.4), with this crate's FFT work buffers.
pub type Workspace = given_03::Workspace<FftWork>;
