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

pub mod allocator;
pub mod checksum;
pub mod config;
pub mod error;
pub mod fft;
pub mod fft_complex;
pub mod load;
pub mod parallel;
pub mod progress;
pub mod sequential;
pub mod sink;

pub use num_complex::Complex64;

pub use allocator::keep_freed_memory;
pub use checksum::spectrum_checksum;
pub use config::{ImageResult, PipelineConfig, RunReport, StageTimes};
pub use error::PipelineError;
pub use fft::{Fft2, fft2};
pub use fft_complex::ComplexFft2;
pub use load::{load_eo_data, unit_f64};
pub use parallel::run_parallel;
pub use progress::{Progress, ProgressMode};
pub use sequential::{process_image, run_sequential};
pub use sink::{SaveError, Sink};

/// Stage 2: section 02's reference kernel, a 3 × 3 true mean with the window clipped at the
/// border (see `solution_02` for the contract). Given here so that section 03 can be done
/// without section 02. Cost: one pass over the image, ~1.5 ms at 1000 × 1000.
pub use solution_02::smooth_optimised as smooth;

/// The tutorial's image size: 1000 × 1000.
pub const TUTORIAL_SHAPE: (usize, usize) = (1000, 1000);
