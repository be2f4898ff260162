//! Section 03 checks: the load → smooth → fft2 → save pipeline, sequential and parallel.
//!
//! The contract under test is the one documented in `solution_03`: `load_eo_data` is a
//! pure function of the index (a documented seeded recipe); `Fft2::forward` gives
//! `numpy.fft.fft2`'s spectrum for any shape and layout; both runs return one result per
//! image, in index order, with identical checksums whatever the thread count, refuse bad
//! configurations with the matching `PipelineError`, and the parallel run uses its threads
//! without holding more than a few images per thread in memory.
//!
//! One file per thing the learner writes, plus how it is measured:
//!
//! | file | checks |
//! |---|---|
//! | `load.rs` | `load_eo_data` (§3.1) against the documented seeded recipe |
//! | `fft.rs` | `Fft2` (§3.2) against the DFT by its definition |
//! | `runs.rs` | `run_sequential` and `run_parallel` (§3.3, §3.5): results, order, refusals, saves |
//! | `mechanism.rs` | the threads and the memory the runs use; no allocation per image in a workspace |
//! | `snapshot.rs` | image 0 and its spectrum at the tutorial's size |
//! | `timing.rs` | the parallel run's speedup (§3.6) |
//!
//! [`pipeline_checks!`](crate::pipeline_checks) is the one list of the checks; each check
//! is re-exported here so that `harness::pipeline::<check>` names it.

use given_03::{PipelineConfig, PipelineError, RunReport};
use ndarray::{Array2, ArrayView2};

mod fft;
mod load;
mod mechanism;
mod runs;
mod snapshot;
mod timing;

pub use fft::{
    correctness_fft2, direct_dft, direct_inverse_dft, properties_fft2_matches_the_direct_dft,
    properties_fft2_parseval_and_linearity,
};
pub use load::{correctness_load_eo_data, properties_load_is_a_function_of_the_index};
pub use mechanism::{
    FOOTPRINTS_PER_THREAD, MEMORY_CHECK_IMAGES, MEMORY_CHECK_SHAPE, MEMORY_CHECK_THREADS,
    THREADS_CHECK_IMAGES, THREADS_CHECK_SHAPE, WORKSPACE_CHECK_IMAGES, WORKSPACE_CHECK_SHAPE,
    mechanism_parallel_run_peak_memory_alone, mechanism_runs_use_the_threads_they_should,
    mechanism_workspace_steady_state_allocates_nothing,
};
pub use runs::{
    ORDER_CHECK_IMAGES, ORDER_CHECK_WAIT, correctness_run_parallel, correctness_run_sequential,
    properties_runs_agree_for_any_thread_count,
};
pub use snapshot::snapshot_image_zero;
pub use timing::{
    PARALLEL_VS_SEQUENTIAL_AT_LEAST, PARALLEL_VS_SEQUENTIAL_MEASURED, TIMING_IMAGES,
    last_timing_check_skipped, timing_parallel_vs_sequential,
};

/// Section 03's public API, as function pointers; [`pipeline_checks!`](crate::pipeline_checks)
/// fills it from the crate under test.
#[derive(Clone, Copy)]
pub struct PipelineApi {
    pub load_eo_data: LoadFn,
    /// Plans one `Fft2` for the shape, then calls `forward_into` on each image in turn,
    /// with one `FftWork` for all of them.
    pub fft_planned: FftPlannedFn,
    /// Plans one `Fft2` and makes one `Workspace` for the shape, then calls
    /// `process_image` (discarding) on each index in turn, handing each result to the
    /// callback as soon as it is returned.
    pub process_in_one_workspace: ProcessInOneWorkspaceFn,
    pub run_sequential: RunSequentialFn,
    pub run_parallel: RunParallelFn,
}

/// The signature of `load_eo_data`.
pub type LoadFn = fn(u64, (usize, usize)) -> Array2<f64>;
/// `Fft2::new(shape)` once, then `forward` on each image.
pub type FftPlannedFn = fn((usize, usize), &[ArrayView2<f64>]) -> Vec<Array2<Complex64>>;
/// `Fft2::new(shape)` and `Workspace::new(shape)` once, then `process_image` on each index,
/// calling back with each result.
pub type ProcessInOneWorkspaceFn = fn((usize, usize), &[u64], &mut dyn FnMut(ImageResult));
/// The signature of `run_sequential`.
pub type RunSequentialFn = fn(&PipelineConfig) -> Result<RunReport, PipelineError>;
/// The signature of `run_parallel`.
pub type RunParallelFn = fn(&PipelineConfig, usize) -> Result<RunReport, PipelineError>;

/// Section 03's API of the crate `$krate`, as a [`PipelineApi`] value.
#[macro_export]
macro_rules! pipeline_api {
    ($krate:ident) => {{
        fn fft_planned(
            shape: (usize, usize),
            images: &[::ndarray::ArrayView2<f64>],
        ) -> Vec<::ndarray::Array2<$crate::pipeline::Complex64>> {
            let fft = $krate::Fft2::new(shape);
            // One `FftWork` for every image, as a pipeline thread uses it, and outputs full
            // of NaN: a stale buffer or an element left unwritten shows in the spectrum.
            let mut work = $krate::FftWork::default();
            images
                .iter()
                .map(|image| {
                    let nan = $crate::pipeline::Complex64::new(f64::NAN, f64::NAN);
                    let mut out = ::ndarray::Array2::from_elem(shape, nan);
                    fft.forward_into(*image, &mut work, out.view_mut());
                    out
                })
                .collect()
        }
        fn process_in_one_workspace(
            shape: (usize, usize),
            indices: &[u64],
            each: &mut dyn FnMut($crate::pipeline::ImageResult),
        ) {
            let fft = $krate::Fft2::new(shape);
            let mut workspace = $krate::Workspace::new(shape);
            let sink = $krate::Sink::Discard;
            for &index in indices {
                match $krate::process_image(index, &fft, &sink, &mut workspace) {
                    Ok(result) => each(result),
                    Err(e) => panic!("process_image({index}) with Sink::Discard: Err({e})"),
                }
            }
        }
        $crate::pipeline::PipelineApi {
            load_eo_data: $krate::load_eo_data,
            fft_planned,
            process_in_one_workspace,
            run_sequential: $krate::run_sequential,
            run_parallel: $krate::run_parallel,
        }
    }};
}

/// Instantiates every section 03 check as a `#[test]` for the crate `$krate`, in the
/// crate's `tests/checks.rs` (not a doctest: `verify` runs ignored doctests too, and this
/// line only compiles where `exercise_03` is a dependency):
///
/// ```text
/// harness::pipeline_checks!(exercise_03);
/// ```
#[macro_export]
macro_rules! pipeline_checks {
    ($krate:ident) => {
        $crate::install_peak_allocator!();
        // One `Fft2` serves every thread of a parallel run: it must be `Send + Sync`
        // (book §3.2). A compile error here means it holds something that is not.
        const _: fn() = || {
            fn shared_by_threads<T: Send + Sync>() {}
            shared_by_threads::<$krate::Fft2>();
        };
        const API: $crate::pipeline::PipelineApi = $crate::pipeline_api!($krate);
        $crate::instantiate_checks!(pipeline, API;
            correctness_load_eo_data,
            correctness_fft2,
            correctness_run_sequential,
            correctness_run_parallel,
            properties_load_is_a_function_of_the_index,
            properties_fft2_matches_the_direct_dft,
            properties_fft2_parseval_and_linearity,
            properties_runs_agree_for_any_thread_count,
            mechanism_runs_use_the_threads_they_should,
            mechanism_parallel_run_peak_memory_alone,
            mechanism_workspace_steady_state_allocates_nothing,
            snapshot_image_zero;
            timing: timing_parallel_vs_sequential,
        );
    };
}

/// The spectrum's element type and a run's per-image result (used by the macros).
pub use given_03::{Complex64, ImageResult};

/// Book sections, quoted in failure messages.
pub use crate::book::{
    PIPELINE_FFT as BOOK_FFT, PIPELINE_LOAD as BOOK_LOAD, PIPELINE_MEASURE as BOOK_MEASURE,
    PIPELINE_PARALLEL as BOOK_PARALLEL, PIPELINE_SEQUENTIAL as BOOK_SEQUENTIAL,
    PIPELINE_WORKSPACE as BOOK_WORKSPACE,
};
