//! Proof that every section 03 check can fail: each plausible wrong implementation below
//! ("mutant") must be rejected by the check named for it, while the reference passes.
//!
//! A mutant is the reference API with one function replaced (`..REFERENCE`).

use std::sync::Mutex;
use std::time::Instant;

use harness::pipeline::{self, PipelineApi};
use harness::{check, reject};
use reference::PIPELINE as REFERENCE;

mod reference;
use ndarray::{Array2, ArrayView2};
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rayon::prelude::*;
use solution_03::{
    Complex64, Fft2, ImageResult, PipelineConfig, PipelineError, RunReport, Sink, StageTimes,
    Workspace, process_image, run_sequential, smooth, spectrum_checksum, unit_f64,
};

use harness::check::{expect_rejection, judge_rejection};

harness::install_peak_allocator!();

fn two_cores() -> bool {
    std::thread::available_parallelism().map_or(1, |n| n.get()) >= 2
}

// --- the mutants -------------------------------------------------------------------------

/// Transforms every row and forgets the columns: a 1-D FFT per row, not a 2-D FFT.
fn fft_rows_only(shape: (usize, usize), images: &[ArrayView2<f64>]) -> Vec<Array2<Complex64>> {
    let (rows, cols) = shape;
    if rows == 0 || cols == 0 {
        return images.iter().map(|_| Array2::zeros(shape)).collect();
    }
    let plan = rustfft::FftPlanner::<f64>::new().plan_fft_forward(cols);
    images
        .iter()
        .map(|image| {
            assert_eq!(image.dim(), shape, "wrong shape");
            let mut data: Vec<Complex64> = image.iter().map(|&x| Complex64::new(x, 0.0)).collect();
            plan.process(&mut data);
            Array2::from_shape_vec(shape, data).expect("rows * cols")
        })
        .collect()
}

/// numpy's `norm="ortho"` by mistake: the spectrum divided by √(rows·cols).
fn fft_orthonormal(shape: (usize, usize), images: &[ArrayView2<f64>]) -> Vec<Array2<Complex64>> {
    let scale = 1.0 / ((shape.0 * shape.1) as f64).sqrt();
    (REFERENCE.fft_planned)(shape, images)
        .into_iter()
        .map(|s| s.mapv(|z| z * scale))
        .collect()
}

/// Ignores the planned shape: transforms whatever it is given.
fn fft_ignores_planned_shape(
    _shape: (usize, usize),
    images: &[ArrayView2<f64>],
) -> Vec<Array2<Complex64>> {
    images
        .iter()
        .map(|image| solution_03::fft2(*image))
        .collect()
}

static SHARED_GENERATOR: Mutex<Option<Xoshiro256PlusPlus>> = Mutex::new(None);

/// One generator for the whole process, seeded once: image `index` depends on how many
/// images were loaded before it (the tutorial's unseeded `np.random.random`).
fn load_from_shared_generator(_index: u64, shape: (usize, usize)) -> Array2<f64> {
    let mut shared = SHARED_GENERATOR.lock().unwrap_or_else(|e| e.into_inner());
    let rng = shared.get_or_insert_with(|| Xoshiro256PlusPlus::seed_from_u64(0));
    Array2::from_shape_simple_fn(shape, || unit_f64(rng.next_u64()))
}

/// Seeds every image with the same constant: every image is the same image.
fn load_ignores_index(_index: u64, shape: (usize, usize)) -> Array2<f64> {
    solution_03::load_eo_data(0, shape)
}

/// "Parallel" in name only: the sequential run, relabelled.
fn parallel_secretly_sequential(
    config: &PipelineConfig,
    threads: usize,
) -> Result<RunReport, PipelineError> {
    if threads == 0 {
        return Err(PipelineError::NoThreads);
    }
    run_sequential(config).map(|report| RunReport { threads, ..report })
}

fn pool(threads: usize) -> Result<rayon::ThreadPool, PipelineError> {
    if threads == 0 {
        return Err(PipelineError::NoThreads);
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| PipelineError::ThreadPool {
            reason: e.to_string(),
        })
}

/// Gathers per-thread batches with `fold` and joins them with `reduce`, but appends the
/// left batch after the right one: every result is there, in the wrong order.
fn parallel_out_of_order(
    config: &PipelineConfig,
    threads: usize,
) -> Result<RunReport, PipelineError> {
    let pool = pool(threads)?;
    config.validate()?;
    let start = Instant::now();
    let fft = Fft2::new(config.shape);
    let images = pool.install(|| {
        (0..config.images)
            .into_par_iter()
            .map(|index| {
                process_image(index, &fft, &config.sink, &mut Workspace::new(config.shape))
            })
            .fold(Vec::new, |mut batch, result| {
                batch.push(result);
                batch
            })
            .reduce(Vec::new, |left, mut right| {
                right.extend(left);
                right
            })
    });
    let images = images.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(RunReport {
        threads,
        wall: start.elapsed(),
        images,
    })
}

/// The realistic beginner's version: each thread pushes its result into a shared
/// `Mutex<Vec>` as its image finishes, so the report is in completion order. On a quiet
/// machine that is often index order by luck (issue 15: all green in 5 of 20 runs).
fn parallel_in_completion_order(
    config: &PipelineConfig,
    threads: usize,
) -> Result<RunReport, PipelineError> {
    let pool = pool(threads)?;
    config.validate()?;
    let start = Instant::now();
    let fft = Fft2::new(config.shape);
    let finished = Mutex::new(Vec::new());
    pool.install(|| {
        (0..config.images).into_par_iter().try_for_each(|index| {
            let result =
                process_image(index, &fft, &config.sink, &mut Workspace::new(config.shape))?;
            finished
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(result);
            Ok::<(), PipelineError>(())
        })
    })?;
    Ok(RunReport {
        threads,
        wall: start.elapsed(),
        images: finished.into_inner().unwrap_or_else(|e| e.into_inner()),
    })
}

/// Loads every image first, then processes the list in parallel: correct results, but
/// all N images in memory at once.
fn parallel_materialises_every_image(
    config: &PipelineConfig,
    threads: usize,
) -> Result<RunReport, PipelineError> {
    let pool = pool(threads)?;
    config.validate()?;
    let start = Instant::now();
    let fft = Fft2::new(config.shape);
    let loaded: Vec<Array2<f64>> = (0..config.images)
        .map(|i| solution_03::load_eo_data(i, config.shape))
        .collect();
    let images = pool.install(|| {
        loaded
            .par_iter()
            .enumerate()
            .map(|(index, image)| {
                let spectrum = fft.forward(smooth(image.view()).view());
                config.sink.save(index as u64, spectrum.view())?;
                Ok(ImageResult {
                    index: index as u64,
                    checksum: spectrum_checksum(spectrum.view()),
                    times: StageTimes::default(),
                    thread: std::thread::current().id(),
                })
            })
            .collect::<Result<Vec<_>, PipelineError>>()
    })?;
    Ok(RunReport {
        threads,
        wall: start.elapsed(),
        images,
    })
}

/// A parallel run whose images come from one generator shared by its threads, seeded once
/// per process: the pixels of image `i` depend on scheduling and on earlier runs.
fn parallel_shared_generator(
    config: &PipelineConfig,
    threads: usize,
) -> Result<RunReport, PipelineError> {
    let pool = pool(threads)?;
    config.validate()?;
    let start = Instant::now();
    let fft = Fft2::new(config.shape);
    let images = pool.install(|| {
        (0..config.images)
            .into_par_iter()
            .map(|index| {
                let image = load_from_shared_generator(index, config.shape);
                let spectrum = fft.forward(smooth(image.view()).view());
                config.sink.save(index, spectrum.view())?;
                Ok(ImageResult {
                    index,
                    checksum: spectrum_checksum(spectrum.view()),
                    times: StageTimes::default(),
                    thread: std::thread::current().id(),
                })
            })
            .collect::<Result<Vec<_>, PipelineError>>()
    })?;
    Ok(RunReport {
        threads,
        wall: start.elapsed(),
        images,
    })
}

/// Skips `config.validate()`: bad configurations surface late, or not at all.
fn sequential_skips_validation(config: &PipelineConfig) -> Result<RunReport, PipelineError> {
    let start = Instant::now();
    let fft = Fft2::new(config.shape);
    let mut workspace = Workspace::new(config.shape);
    let mut images = Vec::new();
    for index in 0..config.images {
        images.push(process_image(index, &fft, &config.sink, &mut workspace)?);
    }
    Ok(RunReport {
        threads: 1,
        wall: start.elapsed(),
        images,
    })
}

/// The pipeline of the chapter's first version: a new workspace (new arrays) for every
/// image, so under glibc's defaults every image page-faults its ~40 bytes per pixel in.
fn fresh_workspace_per_image(
    shape: (usize, usize),
    indices: &[u64],
    each: &mut dyn FnMut(ImageResult),
) {
    let fft = Fft2::new(shape);
    for &index in indices {
        let mut workspace = Workspace::new(shape);
        each(process_image(index, &fft, &Sink::Discard, &mut workspace).expect("discarding"));
    }
}

/// Reuses the workspace's image arrays but calls the allocating `Fft2::forward` and copies
/// its result into the workspace: one spectrum and the FFT's buffers allocated per image.
fn owned_fft_per_image(shape: (usize, usize), indices: &[u64], each: &mut dyn FnMut(ImageResult)) {
    let fft = Fft2::new(shape);
    let mut workspace = Workspace::new(shape);
    for &index in indices {
        solution_03::load_eo_data_into(index, workspace.image.view_mut());
        workspace.smoothed.assign(&smooth(workspace.image.view()));
        workspace
            .spectrum
            .assign(&fft.forward(workspace.smoothed.view()));
        each(ImageResult {
            index,
            checksum: spectrum_checksum(workspace.spectrum.view()),
            times: StageTimes::default(),
            thread: std::thread::current().id(),
        });
    }
}

/// Keeps one `FftWork` but forgets to overwrite the output: each spectrum is added to
/// what the workspace held from the previous image.
fn spectrum_accumulates(shape: (usize, usize), indices: &[u64], each: &mut dyn FnMut(ImageResult)) {
    let fft = Fft2::new(shape);
    let mut workspace = Workspace::new(shape);
    let mut work = solution_03::FftWork::default();
    let mut fresh = ndarray::Array2::zeros(shape);
    for &index in indices {
        solution_03::load_eo_data_into(index, workspace.image.view_mut());
        solution_03::smooth_into(
            workspace.image.view(),
            workspace.smoothed.view_mut(),
            &mut workspace.smooth_scratch,
        );
        fft.forward_into(workspace.smoothed.view(), &mut work, fresh.view_mut());
        workspace.spectrum += &fresh;
        each(ImageResult {
            index,
            checksum: spectrum_checksum(workspace.spectrum.view()),
            times: StageTimes::default(),
            thread: std::thread::current().id(),
        });
    }
}

// --- which check rejects which mutant ----------------------------------------------------

#[test]
fn reference_passes_every_check_it_is_compared_with_here() {
    for (name, check_fn) in [
        (
            "correctness_fft2",
            pipeline::correctness_fft2 as fn(&PipelineApi),
        ),
        (
            "correctness_run_parallel",
            pipeline::correctness_run_parallel,
        ),
        (
            "properties_load_is_a_function_of_the_index",
            pipeline::properties_load_is_a_function_of_the_index,
        ),
        (
            "mechanism_runs_use_the_threads_they_should",
            pipeline::mechanism_runs_use_the_threads_they_should,
        ),
        (
            "mechanism_parallel_run_peak_memory_alone",
            pipeline::mechanism_parallel_run_peak_memory_alone,
        ),
        (
            "mechanism_workspace_steady_state_allocates_nothing",
            pipeline::mechanism_workspace_steady_state_allocates_nothing,
        ),
    ] {
        check::run(name, cfg!(debug_assertions), || check_fn(&REFERENCE));
    }
}

reject!(correctness_rejects_an_fft_of_the_rows_only:
    pipeline::correctness_fft2,
    PipelineApi { fft_planned: fft_rows_only, ..REFERENCE },
    "Fft2::forward on an impulse at [0, 0] of a 3 × 4 image (real parts)");

reject!(correctness_rejects_an_fft_that_ignores_the_planned_shape:
    pipeline::correctness_fft2,
    PipelineApi { fft_planned: fft_ignores_planned_shape, ..REFERENCE },
    "Fft2 planned for (4, 6) accepted a (6, 4) image");

reject!(correctness_rejects_a_loader_that_ignores_the_index:
    pipeline::correctness_load_eo_data,
    PipelineApi { load_eo_data: load_ignores_index, ..REFERENCE },
    "load_eo_data(1, (3, 4))");

reject!(correctness_rejects_results_out_of_order:
    pipeline::correctness_run_parallel,
    PipelineApi { run_parallel: parallel_out_of_order, ..REFERENCE },
    "results are not in index order");

/// Rejected every time, not by luck of scheduling: before the harness made image 0 wait
/// for another image, this mutant was accepted in 19 of 20 runs with `yes > /dev/null`
/// loading a core (2026-11-26); with it, rejected 20 of 20 under the same load.
#[test]
fn correctness_rejects_results_in_completion_order_every_time() {
    for _ in 0..20 {
        expect_rejection(
            "correctness_run_parallel",
            pipeline::correctness_run_parallel,
            PipelineApi {
                run_parallel: parallel_in_completion_order,
                ..REFERENCE
            },
            "results are not in index order",
        );
    }
}

reject!(correctness_rejects_a_pipeline_that_draws_from_a_shared_generator:
    pipeline::correctness_run_parallel,
    PipelineApi { run_parallel: parallel_shared_generator, ..REFERENCE },
    "checksums differ");

reject!(correctness_rejects_a_run_that_skips_validation:
    pipeline::correctness_run_sequential,
    PipelineApi { run_sequential: sequential_skips_validation, ..REFERENCE },
    "on 0 images: returned Ok with 0 results, expected Err(NoImages)");

reject!(properties_reject_a_loader_with_a_shared_generator:
    pipeline::properties_load_is_a_function_of_the_index,
    PipelineApi { load_eo_data: load_from_shared_generator, ..REFERENCE },
    "gave different pixels on two calls");

reject!(properties_reject_an_fft_of_the_rows_only:
    pipeline::properties_fft2_matches_the_direct_dft,
    PipelineApi { fft_planned: fft_rows_only, ..REFERENCE },
    "proptest shrank the input");

reject!(properties_reject_the_wrong_normalisation:
    pipeline::properties_fft2_parseval_and_linearity,
    PipelineApi { fft_planned: fft_orthonormal, ..REFERENCE },
    "Parseval");

reject!(properties_reject_results_out_of_order:
    pipeline::properties_runs_agree_for_any_thread_count,
    PipelineApi { run_parallel: parallel_out_of_order, ..REFERENCE },
    "results are not in index order");

#[test]
fn mechanism_rejects_a_parallel_run_that_is_secretly_sequential() {
    if !two_cores() {
        println!("SKIPPED: the check only judges the parallel run on 2 or more cores");
        return;
    }
    expect_rejection(
        "mechanism_runs_use_the_threads_they_should",
        pipeline::mechanism_runs_use_the_threads_they_should,
        PipelineApi {
            run_parallel: parallel_secretly_sequential,
            ..REFERENCE
        },
        "on 1 thread(s)",
    );
}

/// A "sequential" run that hands its images to a pool.
fn sequential_on_a_pool(config: &PipelineConfig) -> Result<RunReport, PipelineError> {
    solution_03::run_parallel(config, 2)
}

reject!(mechanism_rejects_a_sequential_run_on_other_threads:
    pipeline::mechanism_runs_use_the_threads_they_should,
    PipelineApi { run_sequential: sequential_on_a_pool, ..REFERENCE },
    "on a thread other than the caller's");

reject!(mechanism_rejects_a_parallel_run_that_loads_every_image_first:
    pipeline::mechanism_parallel_run_peak_memory_alone,
    PipelineApi { run_parallel: parallel_materialises_every_image, ..REFERENCE },
    "do not load or keep every image first");

reject!(mechanism_rejects_a_fresh_workspace_per_image:
    pipeline::mechanism_workspace_steady_state_allocates_nothing,
    PipelineApi { process_in_one_workspace: fresh_workspace_per_image, ..REFERENCE },
    "expected 0 each");

reject!(mechanism_rejects_an_allocating_fft_in_a_workspace:
    pipeline::mechanism_workspace_steady_state_allocates_nothing,
    PipelineApi { process_in_one_workspace: owned_fft_per_image, ..REFERENCE },
    "expected 0 each");

reject!(mechanism_rejects_a_spectrum_left_over_from_the_previous_image:
    pipeline::mechanism_workspace_steady_state_allocates_nothing,
    PipelineApi { process_in_one_workspace: spectrum_accumulates, ..REFERENCE },
    "a stale buffer leaks the previous image");

reject!(snapshot_rejects_an_fft_of_the_rows_only:
    pipeline::snapshot_image_zero,
    PipelineApi { fft_planned: fft_rows_only, ..REFERENCE },
    "the summary of load_eo_data(0) and Fft2::forward's output differs");

#[test]
fn timing_rejects_a_parallel_run_that_is_secretly_sequential() {
    if !two_cores() {
        println!("SKIPPED: the timing check is skipped on one core");
        return;
    }
    let mutant = PipelineApi {
        run_parallel: parallel_secretly_sequential,
        ..REFERENCE
    };
    let name = "timing_parallel_vs_sequential";
    let outcome = std::panic::catch_unwind(|| {
        check::run(name, cfg!(debug_assertions), || {
            pipeline::timing_parallel_vs_sequential(&mutant)
        })
    });
    if outcome.is_ok() && pipeline::last_timing_check_skipped() {
        println!("SKIPPED: the machine was busy, so the timing check could not judge");
        return;
    }
    judge_rejection(name, outcome, "should be at least");
}
