//! Section 03 checks: the load → smooth → fft2 → save pipeline, sequential and parallel.
//!
//! The contract under test is the one documented in `solution_03`: `load_eo_data` is a
//! pure function of the index (a documented seeded recipe); `Fft2::forward` gives
//! `numpy.fft.fft2`'s spectrum for any shape and layout; both runs return one result per
//! image, in index order, with identical checksums whatever the thread count, refuse bad
//! configurations with the matching `PipelineError`, and the parallel run uses its threads
//! without holding more than a few images per thread in memory.

use std::f64::consts::PI;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::check::with_panic_context;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use given_03::{
    PipelineConfig, PipelineError, RunReport, SaveError, Sink, smooth, spectrum_checksum,
};
use ndarray::{Array2, ArrayView2};
use proptest::collection::vec;
use proptest::prelude::*;
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rayon::prelude::*;

use crate::compare::{Tolerance, compare};
use crate::memory::peak_bytes;
use crate::properties;
use crate::timing::{Sample, Speedup, has_cores_for};

/// Section 03's public API, as function pointers; [`pipeline_checks!`](crate::pipeline_checks)
/// fills it from the crate under test.
#[derive(Clone, Copy)]
pub struct PipelineApi {
    pub load_eo_data: LoadFn,
    /// Plans one `Fft2` for the shape, then calls `forward` on each image in turn.
    pub fft_planned: FftPlannedFn,
    pub run_sequential: RunSequentialFn,
    pub run_parallel: RunParallelFn,
}

/// The signature of `load_eo_data`.
pub type LoadFn = fn(u64, (usize, usize)) -> Array2<f64>;
/// `Fft2::new(shape)` once, then `forward` on each image.
pub type FftPlannedFn = fn((usize, usize), &[ArrayView2<f64>]) -> Vec<Array2<Complex64>>;
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
            images.iter().map(|image| fft.forward(*image)).collect()
        }
        $crate::pipeline::PipelineApi {
            load_eo_data: $krate::load_eo_data,
            fft_planned,
            run_sequential: $krate::run_sequential,
            run_parallel: $krate::run_parallel,
        }
    }};
}

/// Instantiates every section 03 check as a `#[test]` for the crate `$krate`.
///
/// ```ignore
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
            snapshot_image_zero,
            timing_parallel_vs_sequential,
        );
    };
}

/// The spectrum's element type (used by [`pipeline_checks!`](crate::pipeline_checks)).
pub use given_03::Complex64;

/// Book sections, quoted in failure messages.
pub const BOOK_LOAD: &str = "book §3.1 \"Stage 1: images from an index\" (book/src/03-pipeline.md)";
pub const BOOK_FFT: &str = "book §3.2 \"Stage 3: the 2-D FFT\" (book/src/03-pipeline.md)";
pub const BOOK_SEQUENTIAL: &str = "book §3.3 \"The sequential pipeline\" (book/src/03-pipeline.md)";
pub const BOOK_PARALLEL: &str =
    "book §3.5 \"Whole images on every core\" (book/src/03-pipeline.md)";
pub const BOOK_MEASURE: &str = "book §3.6 \"Measuring it\" (book/src/03-pipeline.md)";

// --- helpers ------------------------------------------------------------------------------

fn load(api: &PipelineApi, index: u64, shape: (usize, usize)) -> Array2<f64> {
    with_panic_context(
        || format!("load_eo_data({index}, {shape:?}): panicked\n  read: {BOOK_LOAD}"),
        || (api.load_eo_data)(index, shape),
    )
}

/// The learner's `Fft2` planned for the image's own shape, applied once.
fn fft(api: &PipelineApi, image: ArrayView2<f64>) -> Array2<Complex64> {
    let mut out = with_panic_context(
        || {
            format!(
                "Fft2::new({:?}).forward(image): panicked on an image of that shape\n  read: {BOOK_FFT}",
                image.dim()
            )
        },
        || (api.fft_planned)(image.dim(), &[image]),
    );
    assert!(
        out.len() == 1,
        "the harness asked for 1 spectrum and got {}",
        out.len()
    );
    out.pop().expect("one spectrum")
}

/// Compares two spectra: real parts, then imaginary parts. `scale` sets the absolute
/// tolerance (rounding grows with the sum of |input|).
fn compare_spectra(
    what: &str,
    book: &str,
    expected: ArrayView2<Complex64>,
    actual: ArrayView2<Complex64>,
    scale: f64,
) -> Result<(), String> {
    let tolerance = Tolerance::Close {
        abs: 1e-9 * (scale + 1.0),
        rel: 1e-9,
    };
    if expected.dim() != actual.dim() {
        return compare(
            what,
            book,
            expected.map(|z| z.re).view(),
            actual.map(|z| z.re).view(),
            tolerance,
        );
    }
    compare(
        &format!("{what} (real parts)"),
        book,
        expected.map(|z| z.re).view(),
        actual.map(|z| z.re).view(),
        tolerance,
    )?;
    compare(
        &format!("{what} (imaginary parts)"),
        book,
        expected.map(|z| z.im).view(),
        actual.map(|z| z.im).view(),
        tolerance,
    )
}

/// The oracle: the 2-D DFT by its definition, `O((rows·cols)²)`, with each twiddle's angle
/// reduced exactly (`k·n mod len`) before the trigonometry. For small shapes only.
pub fn direct_dft(image: ArrayView2<f64>) -> Array2<Complex64> {
    let (rows, cols) = image.dim();
    Array2::from_shape_fn((rows, cols), |(k1, k2)| {
        let mut sum = Complex64::new(0.0, 0.0);
        for ((n1, n2), &x) in image.indexed_iter() {
            let turns =
                ((k1 * n1) % rows) as f64 / rows as f64 + ((k2 * n2) % cols) as f64 / cols as f64;
            let angle = -2.0 * PI * turns;
            sum += Complex64::new(angle.cos(), angle.sin()) * x;
        }
        sum
    })
}

/// The inverse of [`direct_dft`], by definition (normalised by `1 / (rows·cols)`).
pub fn direct_inverse_dft(spectrum: ArrayView2<Complex64>) -> Array2<Complex64> {
    let (rows, cols) = spectrum.dim();
    let n = (rows * cols) as f64;
    Array2::from_shape_fn((rows, cols), |(n1, n2)| {
        let mut sum = Complex64::new(0.0, 0.0);
        for ((k1, k2), &z) in spectrum.indexed_iter() {
            let turns =
                ((k1 * n1) % rows) as f64 / rows as f64 + ((k2 * n2) % cols) as f64 / cols as f64;
            let angle = 2.0 * PI * turns;
            sum += Complex64::new(angle.cos(), angle.sin()) * z;
        }
        sum / n
    })
}

/// The documented recipe of `load_eo_data`, written out here as the oracle.
pub fn oracle_image(index: u64, shape: (usize, usize)) -> Array2<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(index);
    let scale = 1.0 / (1_u64 << 53) as f64;
    Array2::from_shape_simple_fn(shape, || (rng.next_u64() >> 11) as f64 * scale)
}

/// A deterministic, small test image with distinct values (not the course's loader, so
/// FFT checks do not depend on the learner's `load_eo_data`).
fn test_image(shape: (usize, usize), seed: u64) -> Array2<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0xF0F0 ^ seed);
    Array2::from_shape_simple_fn(shape, || {
        ((rng.next_u64() >> 11) as f64 / (1_u64 << 53) as f64) * 20.0 - 10.0
    })
}

/// What each image's checksum must be, computed from the crate's own stages (its
/// `load_eo_data`, the given `smooth`, its `Fft2`, the given `spectrum_checksum`).
fn expected_checksums(api: &PipelineApi, images: u64, shape: (usize, usize)) -> Vec<(u64, u64)> {
    let loaded: Vec<Array2<f64>> = (0..images)
        .map(|i| smooth(load(api, i, shape).view()))
        .collect();
    let views: Vec<ArrayView2<f64>> = loaded.iter().map(|a| a.view()).collect();
    let spectra = with_panic_context(
        || format!("Fft2::forward on images of {shape:?}: panicked\n  read: {BOOK_FFT}"),
        || (api.fft_planned)(shape, &views),
    );
    spectra
        .iter()
        .enumerate()
        .map(|(i, s)| (i as u64, spectrum_checksum(s.view())))
        .collect()
}

/// Which run a check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    Sequential,
    Parallel(usize),
}

impl Run {
    fn name(self) -> String {
        match self {
            Run::Sequential => "run_sequential".into(),
            Run::Parallel(t) => format!("run_parallel with {t} thread(s)"),
        }
    }

    fn book(self) -> &'static str {
        match self {
            Run::Sequential => BOOK_SEQUENTIAL,
            Run::Parallel(_) => BOOK_PARALLEL,
        }
    }

    fn call(self, api: &PipelineApi, config: &PipelineConfig) -> Result<RunReport, PipelineError> {
        with_panic_context(
            || {
                format!(
                    "{} on {} image(s) of {:?}: panicked; it should return Ok or a PipelineError\n  read: {}",
                    self.name(),
                    config.images,
                    config.shape,
                    self.book()
                )
            },
            || match self {
                Run::Sequential => (api.run_sequential)(config),
                Run::Parallel(threads) => (api.run_parallel)(config, threads),
            },
        )
    }
}

/// Runs `run` and checks its report: one result per image, in index order, each with the
/// expected checksum.
fn expect_results(
    api: &PipelineApi,
    run: Run,
    config: &PipelineConfig,
    expected: &[(u64, u64)],
) -> Result<RunReport, String> {
    let what = format!(
        "{} on {} image(s) of {:?}",
        run.name(),
        config.images,
        config.shape
    );
    let report = run.call(api, config).map_err(|e| {
        format!(
            "{what}: returned Err({e:?}) — \"{e}\" — for a valid configuration\n  read: {}",
            run.book()
        )
    })?;
    let got = report.checksums();
    if got.len() != expected.len() {
        return Err(format!(
            "{what}: reported {} image results, expected {} (one per image)\n  read: {}",
            got.len(),
            expected.len(),
            run.book()
        ));
    }
    if let Some(position) = got
        .iter()
        .enumerate()
        .position(|(p, &(index, _))| index != p as u64)
    {
        let order: Vec<u64> = got.iter().take(12).map(|&(i, _)| i).collect();
        return Err(format!(
            "{what}: results are not in index order: position {position} holds image {} \
             (first indices: {order:?}); results gathered as images finish (e.g. pushed into \
             a Mutex<Vec>) come out in completion order, which the harness varies on \
             purpose: collect them so that results[i].index == i\n  read: {}",
            got[position].0,
            run.book()
        ));
    }
    if let Some((position, (&(index, actual), &(_, wanted)))) = got
        .iter()
        .zip(expected)
        .enumerate()
        .find(|(_, (a, e))| a.1 != e.1)
    {
        let differing = got.iter().zip(expected).filter(|(a, e)| a.1 != e.1).count();
        return Err(format!(
            "{what}: {differing} of {} checksums differ from load → smooth → Fft2::forward → \
             spectrum_checksum computed image by image; first at position {position} (image \
             {index}): expected {wanted:016x}, actual {actual:016x}\n  read: {}",
            got.len(),
            run.book()
        ));
    }
    Ok(report)
}

/// Runs `run` on a configuration it must refuse with exactly `expected`.
fn expect_refusal(
    api: &PipelineApi,
    run: Run,
    case: &str,
    config: &PipelineConfig,
    expected: &PipelineError,
) {
    let what = format!("{} on {case}", run.name());
    match run.call(api, config) {
        Err(e) if same_refusal(&e, expected) => {}
        Err(e) => panic!(
            "{what}: returned Err({e:?}), expected Err({expected:?}) — \"{expected}\"\n  read: {}",
            run.book()
        ),
        Ok(report) => panic!(
            "{what}: returned Ok with {} results, expected Err({expected:?}) — \"{expected}\"\n  read: {}",
            report.images.len(),
            run.book()
        ),
    }
}

/// Whether `actual` is the refusal `expected`. An [`PipelineError::ImageTooLarge`] is
/// compared by shape only: the memory it reports as available changes from call to call.
fn same_refusal(actual: &PipelineError, expected: &PipelineError) -> bool {
    match (actual, expected) {
        (
            PipelineError::ImageTooLarge { shape: a, .. },
            PipelineError::ImageTooLarge { shape: b, .. },
        ) => a == b,
        _ => actual == expected,
    }
}

/// A fresh, empty directory under the system's temporary directory for one check.
fn scratch_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "eo-course-{label}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating a scratch directory");
    dir
}

// --- correctness --------------------------------------------------------------------------

/// `load_eo_data` follows the documented recipe, for every index and shape.
pub fn correctness_load_eo_data(api: &PipelineApi) {
    for (index, shape) in [(0, (3, 4)), (1, (3, 4)), (7, (1, 9)), (12345, (5, 1))] {
        let image = load(api, index, shape);
        let what = format!("load_eo_data({index}, {shape:?})");
        if let Err(report) = compare(
            &what,
            BOOK_LOAD,
            oracle_image(index, shape).view(),
            image.view(),
            Tolerance::Exact,
        ) {
            panic!(
                "{report}\n  (the recipe: Xoshiro256PlusPlus::seed_from_u64(index), one \
                 next_u64() per pixel in row-major order, (bits >> 11) as f64 * 2^-53)"
            );
        }
    }
    let (a, b) = (load(api, 0, (4, 4)), load(api, 1, (4, 4)));
    assert!(
        a != b,
        "load_eo_data: images 0 and 1 are identical; the seed must come from the index \
         (otherwise every image is the same one, the trap the tutorial avoids with Dask's \
         pure=False)\n  read: {BOOK_LOAD}"
    );
    for shape in [(0, 5), (5, 0), (0, 0)] {
        let image = load(api, 3, shape);
        assert!(
            image.dim() == shape,
            "load_eo_data(3, {shape:?}): returned shape {:?}; a zero dimension gives an empty \
             array of exactly that shape\n  read: {BOOK_LOAD}",
            image.dim()
        );
    }
}

/// `Fft2` against the direct DFT on fixed shapes, including 1 × N, N × 1, odd and prime
/// sizes, non-contiguous views, empty images, reuse of one plan, and the wrong shape.
pub fn correctness_fft2(api: &PipelineApi) {
    let check = |case: &str, image: ArrayView2<f64>| {
        let spectrum = fft(api, image);
        let scale = image.iter().map(|x| x.abs()).sum::<f64>();
        if let Err(report) = compare_spectra(
            &format!("Fft2::forward on {case}"),
            BOOK_FFT,
            direct_dft(image).view(),
            spectrum.view(),
            scale,
        ) {
            panic!("{report}");
        }
    };
    // An impulse at the origin: every frequency is 1.
    let mut impulse = Array2::zeros((3, 4));
    impulse[[0, 0]] = 1.0;
    check("an impulse at [0, 0] of a 3 × 4 image", impulse.view());
    check("a 1 × 1 image", ndarray::array![[2.5]].view());
    check(
        "a constant 2 × 3 image",
        Array2::from_elem((2, 3), 1.0).view(),
    );
    for shape in [
        (1, 8),
        (1, 7),
        (8, 1),
        (5, 1),
        (4, 6),
        (3, 5),
        (7, 11),
        (16, 16),
        (6, 9),
    ] {
        let image = test_image(shape, (shape.0 * 31 + shape.1) as u64);
        check(&format!("a {} × {} image", shape.0, shape.1), image.view());
    }
    // Layouts: a transposed view and a strided view are images too.
    let wide = test_image((5, 8), 99);
    check("a transposed view (8 × 5)", wide.t());
    check(
        "every second column of a 5 × 8 image (a strided view)",
        wide.slice(ndarray::s![.., ..;2]),
    );
    // Empty images: an empty spectrum of the same shape.
    for shape in [(0, 4), (4, 0)] {
        let spectrum = fft(api, Array2::zeros(shape).view());
        assert!(
            spectrum.dim() == shape,
            "Fft2::forward on an empty {shape:?} image: returned shape {:?}, expected {shape:?}\n  read: {BOOK_FFT}",
            spectrum.dim()
        );
    }
    // One plan, several images: each result is that image's own spectrum (no state left
    // over from the previous call in a reused buffer).
    let (first, second) = (test_image((6, 10), 1), test_image((6, 10), 2));
    let spectra = with_panic_context(
        || format!("one Fft2 for (6, 10), forward on two images: panicked\n  read: {BOOK_FFT}"),
        || (api.fft_planned)((6, 10), &[first.view(), second.view(), first.view()]),
    );
    for (k, image) in [&first, &second, &first].iter().enumerate() {
        if let Err(report) = compare_spectra(
            &format!("call {} of forward on one Fft2 planned for (6, 10)", k + 1),
            BOOK_FFT,
            direct_dft(image.view()).view(),
            spectra[k].view(),
            200.0,
        ) {
            panic!("{report}");
        }
    }
    // The wrong shape must be refused loudly, not transformed into garbage.
    let wrong = catch_unwind(AssertUnwindSafe(|| {
        (api.fft_planned)((4, 6), &[test_image((6, 4), 3).view()])
    }));
    if let Ok(spectra) = wrong {
        panic!(
            "Fft2 planned for (4, 6) accepted a (6, 4) image and returned a {:?} spectrum; \
             forward must panic with both shapes when the image does not have the planned \
             shape\n  read: {BOOK_FFT}",
            spectra.first().map(|s| s.dim())
        );
    }
}

/// Shapes small enough to run quickly, refused and accepted configurations, the order of
/// results, and `.npy` files that hold the spectra.
fn correctness_run(api: &PipelineApi, run: Run) {
    let shape = (24, 20);
    let config = PipelineConfig::new(5, shape);
    let expected = expected_checksums(api, 5, shape);
    if let Err(report) = expect_results(api, run, &config, &expected) {
        panic!("{report}");
    }
    if let Err(report) = expect_results(
        api,
        run,
        &PipelineConfig::new(1, (1, 1)),
        &expected_checksums(api, 1, (1, 1)),
    ) {
        panic!("{report}");
    }

    expect_refusal(
        api,
        run,
        "0 images",
        &PipelineConfig::new(0, shape),
        &PipelineError::NoImages,
    );
    for empty in [(0, 20), (24, 0)] {
        expect_refusal(
            api,
            run,
            &format!("images of shape {empty:?}"),
            &PipelineConfig::new(3, empty),
            &PipelineError::EmptyImage { shape: empty },
        );
    }
    let huge = (usize::MAX / 2, 4);
    expect_refusal(
        api,
        run,
        &format!("images of shape {huge:?}"),
        &PipelineConfig::new(1, huge),
        &PipelineError::ImageTooLarge {
            shape: huge,
            in_flight: 1,
            needed_bytes: given_03::memory::estimated_peak_bytes(huge, 1),
            available_bytes: given_03::memory::available_bytes().unwrap_or(isize::MAX as u128),
        },
    );
    // Fits in the address space, not in any machine's memory (52 TB): refused before
    // any work, not by an allocation failure that aborts the process (issue 9.10).
    let beyond_memory = (1 << 20, 1 << 20);
    expect_refusal(
        api,
        run,
        &format!("images of shape {beyond_memory:?}"),
        &PipelineConfig::new(1, beyond_memory),
        &PipelineError::ImageTooLarge {
            shape: beyond_memory,
            in_flight: 1,
            needed_bytes: given_03::memory::estimated_peak_bytes(beyond_memory, 1),
            available_bytes: given_03::memory::available_bytes().unwrap_or(isize::MAX as u128),
        },
    );
    let missing = std::env::temp_dir().join("eo-course-this-directory-does-not-exist");
    let _ = std::fs::remove_dir_all(&missing);
    expect_refusal(
        api,
        run,
        "a missing output directory (Sink::prepare must refuse it before any work)",
        &PipelineConfig::new(3, shape).with_sink(Sink::NpyDir(missing.clone())),
        &PipelineError::Save(SaveError::MissingDirectory { dir: missing }),
    );
    if let Run::Parallel(_) = run {
        expect_refusal(
            api,
            Run::Parallel(0),
            "0 threads",
            &PipelineConfig::new(3, shape),
            &PipelineError::NoThreads,
        );
    }

    // Saving: one readable file per image, holding exactly the spectrum; nothing else left.
    let dir = scratch_dir(match run {
        Run::Sequential => "sequential",
        Run::Parallel(_) => "parallel",
    });
    let config = PipelineConfig::new(3, shape).with_sink(Sink::NpyDir(dir.clone()));
    if let Err(report) = expect_results(api, run, &config, &expected[..3]) {
        panic!("{report}");
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("reading the scratch directory")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let wanted: Vec<String> = (0..3).map(Sink::file_name).collect();
    assert!(
        names == wanted,
        "{} with Sink::NpyDir: the directory holds {names:?}, expected exactly {wanted:?} \
         (call config.sink.save(index, spectrum) once per image)\n  read: {}",
        run.name(),
        run.book()
    );
    for (index, (name, &(_, checksum))) in wanted.iter().zip(&expected).enumerate() {
        let saved: Array2<Complex64> = ndarray_npy::read_npy(dir.join(name))
            .unwrap_or_else(|e| panic!("{name} is not a readable complex .npy file: {e}"));
        assert!(
            spectrum_checksum(saved.view()) == checksum,
            "{} with Sink::NpyDir: {name} does not hold the spectrum of image {index}\n  read: {}",
            run.name(),
            run.book()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

pub fn correctness_run_sequential(api: &PipelineApi) {
    correctness_run(api, Run::Sequential);
}

pub fn correctness_run_parallel(api: &PipelineApi) {
    correctness_run(api, Run::Parallel(2));
    image_zero_never_finishes_first(api);
    let shape = (16, 12);
    let expected = expected_checksums(api, 9, shape);
    for threads in [1, 3] {
        if let Err(report) = expect_results(
            api,
            Run::Parallel(threads),
            &PipelineConfig::new(9, shape),
            &expected,
        ) {
            panic!("{report}");
        }
    }
}

/// Images of the ordering case: enough that another thread has work while image 0 waits.
pub const ORDER_CHECK_IMAGES: u64 = 9;
/// How long image 0 waits for another image to be saved before its save goes ahead anyway
/// (a sequential run has no other thread to save one: it must not wait forever).
pub const ORDER_CHECK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// A run on 2 threads in which image 0 never finishes first, whatever the scheduler does:
/// its save (a [`Sink::Hook`]) waits until another image has been saved. (With rayon the
/// other thread steals the upper half of the indices while image 0 waits, so this costs
/// microseconds.) A run that reports images as they finish (a `Mutex<Vec>` pushed from
/// each task) is then out of order every time, not only when the scheduler happens to
/// reorder its images (issue 15: such a run passed 19 of 20 times on a busy machine).
fn image_zero_never_finishes_first(api: &PipelineApi) {
    use std::sync::{Condvar, Mutex};
    let shape = (16, 12);
    let expected = expected_checksums(api, ORDER_CHECK_IMAGES, shape);
    let others_saved = std::sync::Arc::new((Mutex::new(0_u64), Condvar::new()));
    let gate = std::sync::Arc::clone(&others_saved);
    let hook = given_03::SaveHook::new(move |index, _spectrum| {
        let (saved, changed) = &*gate;
        let mut saved = saved.lock().unwrap_or_else(|e| e.into_inner());
        if index != 0 {
            *saved += 1;
            changed.notify_all();
            return Ok(());
        }
        let _after_another_image = changed
            .wait_timeout_while(saved, ORDER_CHECK_WAIT, |saved| *saved == 0)
            .unwrap_or_else(|e| e.into_inner());
        Ok(())
    });
    let config = PipelineConfig::new(ORDER_CHECK_IMAGES, shape).with_sink(Sink::Hook(hook));
    if let Err(report) = expect_results(api, Run::Parallel(2), &config, &expected) {
        panic!("{report}");
    }
}

// --- properties ---------------------------------------------------------------------------

/// Any image, loaded in any order, on any thread, twice: always the same pixels.
pub fn properties_load_is_a_function_of_the_index(api: &PipelineApi) {
    let first = load(api, 0, (2, 3));
    let again = load(api, 0, (2, 3));
    assert!(
        first == again,
        "load_eo_data(0, (2, 3)) gave different pixels on two calls; an image must be a \
         pure function of its index (no generator shared between calls)\n  read: {BOOK_LOAD}"
    );
    properties::check(
        "load_eo_data is a function of (index, shape), whatever the order and thread",
        BOOK_LOAD,
        (vec(0_u64..40, 1..8), 1_usize..6, 1_usize..6),
        |(indices, rows, cols)| {
            let shape = (rows, cols);
            let forward: Vec<Array2<f64>> = indices
                .iter()
                .map(|&i| (api.load_eo_data)(i, shape))
                .collect();
            let backward: Vec<Array2<f64>> = indices
                .iter()
                .rev()
                .map(|&i| (api.load_eo_data)(i, shape))
                .collect();
            let api = *api;
            let on_thread: Vec<Array2<f64>> = std::thread::scope(|s| {
                s.spawn(|| {
                    indices
                        .iter()
                        .map(|&i| (api.load_eo_data)(i, shape))
                        .collect()
                })
                .join()
                .expect("loading on another thread")
            });
            for (k, &index) in indices.iter().enumerate() {
                let reversed = &backward[indices.len() - 1 - k];
                if forward[k] != *reversed || forward[k] != on_thread[k] {
                    return Err(format!(
                        "image {index} came out differently depending on when or where it \
                         was loaded (call order {indices:?}, another thread)"
                    ));
                }
            }
            Ok(())
        },
    );
}

/// A small image of random shape (1..=12 each way, so primes, 1 × N and N × 1 included).
fn small_image() -> impl Strategy<Value = Array2<f64>> {
    (1_usize..=12, 1_usize..=12).prop_flat_map(|(rows, cols)| {
        vec(-100.0_f64..100.0, rows * cols).prop_map(move |values| {
            Array2::from_shape_vec((rows, cols), values).expect("rows * cols values")
        })
    })
}

/// Random shapes and values: the spectrum equals the direct DFT, and the direct inverse
/// DFT of it gives the image back.
pub fn properties_fft2_matches_the_direct_dft(api: &PipelineApi) {
    fft(api, ndarray::array![[1.0, 2.0]].view());
    properties::check(
        "Fft2::forward equals the direct DFT, and inverting it gives the image back",
        BOOK_FFT,
        small_image(),
        |image| {
            let spectrum = (api.fft_planned)(image.dim(), &[image.view()]).remove(0);
            let scale = image.iter().map(|x| x.abs()).sum::<f64>();
            let what = format!("Fft2::forward on a {:?} image", image.dim());
            compare_spectra(
                &what,
                BOOK_FFT,
                direct_dft(image.view()).view(),
                spectrum.view(),
                scale,
            )?;
            let back = direct_inverse_dft(spectrum.view());
            compare_spectra(
                &format!("inverse DFT of {what}"),
                BOOK_FFT,
                image.map(|&x| Complex64::new(x, 0.0)).view(),
                back.view(),
                scale,
            )
        },
    );
}

/// Random shapes and values: Parseval (energy is conserved, times rows·cols) and
/// linearity (`F(a·x + y) = a·F(x) + F(y)`), neither of which needs an oracle.
pub fn properties_fft2_parseval_and_linearity(api: &PipelineApi) {
    fft(api, ndarray::array![[1.0], [2.0]].view());
    properties::check(
        "Fft2::forward conserves energy (Parseval) and is linear",
        BOOK_FFT,
        small_image().prop_flat_map(|x| {
            let n = x.len();
            (Just(x), vec(-100.0_f64..100.0, n), -3.0_f64..3.0)
        }),
        |(x, y_values, a)| {
            let shape = x.dim();
            let y = Array2::from_shape_vec(shape, y_values).expect("same length");
            let combined = &x * a + &y;
            let spectra = (api.fft_planned)(shape, &[x.view(), y.view(), combined.view()]);
            let (fx, fy, fc) = (&spectra[0], &spectra[1], &spectra[2]);
            let n = (shape.0 * shape.1) as f64;
            let energy: f64 = x.iter().map(|v| v * v).sum();
            let spectral: f64 = fx.iter().map(|z| z.norm_sqr()).sum::<f64>() / n;
            if (energy - spectral).abs() > 1e-9 * (energy + 1.0) {
                return Err(format!(
                    "Parseval: Σ|x|² = {energy:e} but Σ|X|² / (rows·cols) = {spectral:e}"
                ));
            }
            let expected = fx.map(|z| z * a) + fy;
            let scale = combined.iter().map(|v| v.abs()).sum::<f64>()
                + x.iter().map(|v| v.abs() * a.abs()).sum::<f64>();
            compare_spectra(
                &format!("linearity: F({a}·x + y) vs {a}·F(x) + F(y) on {shape:?}"),
                BOOK_FFT,
                expected.view(),
                fc.view(),
                scale,
            )
        },
    );
}

/// Random small runs: sequential and parallel (1 to 4 threads) give the same results, in
/// index order.
pub fn properties_runs_agree_for_any_thread_count(api: &PipelineApi) {
    let probe = PipelineConfig::new(2, (3, 3));
    if let Err(report) = expect_results(
        api,
        Run::Parallel(2),
        &probe,
        &expected_checksums(api, 2, (3, 3)),
    ) {
        panic!("{report}");
    }
    properties::check(
        "run_sequential and run_parallel agree image by image, for any thread count",
        BOOK_PARALLEL,
        (1_u64..=12, 1_usize..=9, 1_usize..=9, 1_usize..=4),
        |(images, rows, cols, threads)| {
            let config = PipelineConfig::new(images, (rows, cols));
            let expected = expected_checksums(api, images, (rows, cols));
            expect_results(api, Run::Sequential, &config, &expected)?;
            expect_results(api, Run::Parallel(threads), &config, &expected)?;
            Ok(())
        },
    );
}

// --- mechanism ----------------------------------------------------------------------------

/// Images and shape for the thread check: enough tasks (32) and work (~50 ms) that both
/// threads of a pool get some even on a busy machine.
pub const THREADS_CHECK_IMAGES: u64 = 32;
pub const THREADS_CHECK_SHAPE: (usize, usize) = (384, 384);

/// The sequential run does everything on the calling thread; the parallel run with 2
/// threads really uses two (when the machine has two cores).
pub fn mechanism_runs_use_the_threads_they_should(api: &PipelineApi) {
    let config = PipelineConfig::new(6, (64, 64));
    let report = Run::Sequential.call(api, &config).unwrap_or_else(|e| {
        panic!(
            "run_sequential: returned Err({e}) for a valid configuration\n  read: {BOOK_SEQUENTIAL}"
        )
    });
    let here = std::thread::current().id();
    let elsewhere = report.images.iter().filter(|r| r.thread != here).count();
    assert!(
        elsewhere == 0 && !report.images.is_empty(),
        "mechanism: run_sequential processed {elsewhere} of {} images on a thread other than \
         the caller's; a sequential run uses only the calling thread (record \
         std::thread::current().id() per image)\n  read: {BOOK_SEQUENTIAL}",
        report.images.len()
    );
    if !has_cores_for(
        "mechanism_runs_use_the_threads_they_should (parallel part)",
        2,
    ) {
        return;
    }
    let config = PipelineConfig::new(THREADS_CHECK_IMAGES, THREADS_CHECK_SHAPE);
    let report = Run::Parallel(2).call(api, &config).unwrap_or_else(|e| {
        panic!("run_parallel: returned Err({e}) for a valid configuration\n  read: {BOOK_PARALLEL}")
    });
    let threads = report.distinct_threads();
    assert!(
        threads >= 2,
        "mechanism: run_parallel with 2 threads processed all {} images on {threads} thread(s); \
         it should spread whole images over a pool of 2 (rayon's into_par_iter inside \
         pool.install)\n  read: {BOOK_PARALLEL}",
        report.images.len()
    );
}

/// Images and shape of the memory check: 64 images of 128 × 128, so that holding all of
/// them (64 × 128 KiB loaded, 64 × 256 KiB as spectra) is far above a few per thread.
pub const MEMORY_CHECK_IMAGES: u64 = 64;
pub const MEMORY_CHECK_SHAPE: (usize, usize) = (128, 128);
pub const MEMORY_CHECK_THREADS: usize = 2;
/// The bound: this many "image footprints" (one loaded image + one spectrum, 24 bytes per
/// pixel) per thread. The reference solution peaks at 2.8-2.9 footprints for 2 threads (measured
/// with `cargo test -p solution-03 mechanism_parallel_run_peak_memory_alone -- --nocapture`,
/// 2026-11-25); 4 per thread (8 in all) keeps 2.7x headroom, and loading every image first needs 21 for the
/// loaded images alone.
pub const FOOTPRINTS_PER_THREAD: usize = 4;

/// The parallel run streams images through its threads: its peak heap use stays within a
/// few images per thread, instead of growing with the number of images.
pub fn mechanism_parallel_run_peak_memory_alone(api: &PipelineApi) {
    let config = PipelineConfig::new(MEMORY_CHECK_IMAGES, MEMORY_CHECK_SHAPE);
    let (report, peak) = peak_bytes(|| Run::Parallel(MEMORY_CHECK_THREADS).call(api, &config));
    if let Err(e) = report {
        panic!(
            "run_parallel: returned Err({e}) for a valid configuration\n  read: {BOOK_PARALLEL}"
        );
    }
    let (rows, cols) = MEMORY_CHECK_SHAPE;
    let footprint = rows * cols * (8 + 16);
    let bound = FOOTPRINTS_PER_THREAD * MEMORY_CHECK_THREADS * footprint;
    println!(
        "peak heap during run_parallel ({MEMORY_CHECK_IMAGES} images of {rows} × {cols}, \
         {MEMORY_CHECK_THREADS} threads): {:.2} MiB = {:.1} image footprints (bound {:.2} MiB)",
        peak as f64 / 1048576.0,
        peak as f64 / footprint as f64,
        bound as f64 / 1048576.0
    );
    assert!(
        peak <= bound,
        "mechanism: run_parallel with {MEMORY_CHECK_THREADS} threads on {MEMORY_CHECK_IMAGES} \
         images of {rows} × {cols} reached {:.2} MiB of heap, {:.1} image footprints (one \
         loaded image + one spectrum = {} KiB); the bound is {FOOTPRINTS_PER_THREAD} per \
         thread ({:.2} MiB). Process each image from its index inside the parallel iterator \
         and keep only its small result: do not load or keep every image first\n  read: {BOOK_PARALLEL}",
        peak as f64 / 1048576.0,
        peak as f64 / footprint as f64,
        footprint / 1024,
        bound as f64 / 1048576.0
    );
}

// --- snapshot -----------------------------------------------------------------------------

/// `v` with 7 significant digits: stable across FFT implementations that round
/// differently in the 15th digit.
fn sig(v: f64) -> String {
    format!("{v:.6e}")
}

/// Summary text of image 0 at the tutorial's size and of its smoothed spectrum.
fn image_zero_summary(api: &PipelineApi) -> String {
    let shape = given_03::TUTORIAL_SHAPE;
    let image = load(api, 0, shape);
    let spectrum = fft(api, smooth(image.view()).view());
    let n = image.len() as f64;
    let (min, max) = image
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let mut text = format!(
        "image 0, load_eo_data(0, {shape:?})\n  shape: {:?}\n  min: {}  max: {}  mean: {}\n",
        image.shape(),
        sig(min),
        sig(max),
        sig(image.sum() / n)
    );
    text.push_str(&format!(
        "spectrum of smooth(image 0), Fft2::forward\n  shape: {:?}\n  X[0, 0].re (sum of the smoothed pixels): {}\n",
        spectrum.shape(),
        sig(spectrum[[0, 0]].re)
    ));
    if spectrum.dim() == shape {
        for (k1, k2) in [
            (0, 1),
            (1, 0),
            (3, 7),
            (7, 3),
            (500, 500),
            (999, 1),
            (1, 999),
        ] {
            text.push_str(&format!(
                "  |X[{k1}, {k2}]|: {}\n",
                sig(spectrum[[k1, k2]].norm())
            ));
        }
    }
    let energy: f64 = spectrum.iter().map(|z| z.norm_sqr()).sum();
    let mean_abs: f64 = spectrum.iter().map(|z| z.norm()).sum::<f64>() / n;
    text.push_str(&format!(
        "  sum |X|^2: {}\n  mean |X|: {}\n",
        sig(energy),
        sig(mean_abs)
    ));
    text
}

/// Image 0 and its spectrum at the tutorial's size match the committed snapshot
/// `harness/src/snapshots/harness__snapshot__pipeline_image_zero.snap`.
pub fn snapshot_image_zero(api: &PipelineApi) {
    let text = image_zero_summary(api);
    crate::snapshot::assert_summary(
        "pipeline_image_zero",
        &text,
        "load_eo_data(0) and Fft2::forward",
        &format!("{BOOK_LOAD} and {BOOK_FFT}"),
    );
}

// --- timing -------------------------------------------------------------------------------

/// Images per run in the timing check (the tutorial's size).
pub const TIMING_IMAGES: u64 = 8;
/// Rounds of the timing check; each runs the four pipelines once (~1 s in all).
pub const TIMING_ROUNDS: usize = 7;
/// A round is judged only if the harness's probe ([`probe_image`], pure arithmetic on 2
/// threads vs 1), timed in the same round, reached at least this speedup: below it another
/// process held a core during the round. The probe measured 1.80-1.98x in most rounds and
/// 1.42-1.52x in the odd disturbed one (`cargo test -p solution-03 timing_ -- --show-output`,
/// 2-core Xeon VM, 2026-11-26, load average 1.4).
pub const PROBE_SPEEDUP_NEEDED: f64 = 1.5;
/// Fewer judged rounds than this, and the check is skipped as on a one-core machine.
pub const TIMING_ROUNDS_NEEDED: usize = 3;

fn time_run(run: impl FnOnce() -> Result<RunReport, PipelineError>) -> std::time::Duration {
    let start = std::time::Instant::now();
    let report = run().expect("a valid configuration");
    let elapsed = start.elapsed();
    drop(std::hint::black_box(report));
    elapsed
}

/// The probe's work for one image: a fixed amount of arithmetic with no memory traffic
/// (about 3 ms), so that its speedup on 2 threads says one thing only: whether two cores
/// were free. Written here, so that the probe never runs the learner's code or the
/// solution's.
fn probe_image(index: &u64) {
    let mut x = index.wrapping_add(0x9E37_79B9_7F4A_7C15);
    for _ in 0..PROBE_STEPS {
        // xorshift64*: a dependent chain the compiler cannot shorten.
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
    }
    std::hint::black_box(x);
}

/// Steps of [`probe_image`]'s chain per image.
const PROBE_STEPS: u64 = 2_000_000;

/// Times one probe run over the timing check's images.
fn time_probe(run: impl FnOnce(&[u64])) -> std::time::Duration {
    let work: Vec<u64> = (0..TIMING_IMAGES).collect();
    let start = std::time::Instant::now();
    run(&work);
    start.elapsed()
}

/// Your parallel run with 2 threads against your sequential run, same 8 images.
///
/// A parallel speedup can only be seen when two cores are free, and on a shared machine
/// they come and go within seconds. So every round times four runs back to back (order
/// alternating between rounds): yours parallel and sequential, and the harness's probe (a fixed
/// parallel workload, [`probe_image`]) on 2 threads and on 1. A round counts only if the
/// probe reached [`PROBE_SPEEDUP_NEEDED`] in it — then the
/// machine had two cores for that round. Your medians over the counted rounds must meet
/// the threshold. With fewer than [`TIMING_ROUNDS_NEEDED`] counted rounds the check is
/// skipped with a printed reason, as on a one-core machine.
pub fn timing_parallel_vs_sequential(api: &PipelineApi) {
    let config = PipelineConfig::new(TIMING_IMAGES, given_03::TUTORIAL_SHAPE);
    // A plain call first: a stub fails here with its own message.
    Run::Parallel(2)
        .call(api, &PipelineConfig::new(1, (2, 2)))
        .ok();
    Run::Sequential
        .call(api, &PipelineConfig::new(1, (2, 2)))
        .ok();
    if !has_cores_for("timing_parallel_vs_sequential", 2) {
        return;
    }
    TIMING_SKIPPED.store(false, Ordering::Relaxed);
    let yours_parallel = || time_run(|| (api.run_parallel)(&config, 2));
    let yours_sequential = || time_run(|| (api.run_sequential)(&config));
    let probe_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a pool of 2 threads for the probe");
    let reference_parallel =
        || time_probe(|work| probe_pool.install(|| work.par_iter().for_each(probe_image)));
    let reference_sequential = || time_probe(|work| work.iter().for_each(probe_image));
    // Warm-up: page tables, thread creation, lazy initialisation.
    yours_parallel();
    yours_sequential();
    reference_parallel();
    reference_sequential();

    let (mut fast, mut slow, mut reference_ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..TIMING_ROUNDS {
        let (yp, ys, rp, rs) = if round % 2 == 0 {
            let (yp, ys) = (yours_parallel(), yours_sequential());
            let (rp, rs) = (reference_parallel(), reference_sequential());
            (yp, ys, rp, rs)
        } else {
            let (rs, rp) = (reference_sequential(), reference_parallel());
            let (ys, yp) = (yours_sequential(), yours_parallel());
            (yp, ys, rp, rs)
        };
        let reference_ratio = rs.as_secs_f64() / rp.as_secs_f64().max(1e-12);
        reference_ratios.push(reference_ratio);
        if reference_ratio >= PROBE_SPEEDUP_NEEDED {
            fast.push(yp);
            slow.push(ys);
        }
    }
    if fast.len() >= TIMING_ROUNDS_NEEDED {
        println!(
            "timing: {} of {TIMING_ROUNDS} rounds judged (probe speedups {reference_ratios:.2?})",
            fast.len()
        );
        Speedup {
            fast: "your run_parallel (2 threads)",
            slow: "your run_sequential",
            at_least: PARALLEL_VS_SEQUENTIAL_AT_LEAST,
            measured: PARALLEL_VS_SEQUENTIAL_MEASURED,
            book: BOOK_MEASURE,
        }
        .assert(&Sample::new(fast), &Sample::new(slow));
        return;
    }
    // Like a one-core machine (`has_cores_for`): a busy machine has no second core to
    // offer, so the check is skipped, visibly. `mechanism_runs_use_the_threads_they_should`
    // still judges that the run spreads its images over two threads.
    TIMING_SKIPPED.store(true, Ordering::Relaxed);
    println!(
        "SKIPPED timing_parallel_vs_sequential: another process was using a core. The \
         harness's probe, timed in the same rounds, reached {PROBE_SPEEDUP_NEEDED}x in \
         only {} of {TIMING_ROUNDS} rounds (its speedups: {reference_ratios:.2?}; \
         {TIMING_ROUNDS_NEEDED} needed). Rerun `cargo test -p exercise-03 timing_` when the \
         machine is quiet.",
        fast.len()
    );
}

static TIMING_SKIPPED: AtomicBool = AtomicBool::new(false);

/// Whether the last [`timing_parallel_vs_sequential`] in this process was skipped because
/// the machine was busy (for the mutant tests, which cannot prove a rejection then).
pub fn last_timing_check_skipped() -> bool {
    TIMING_SKIPPED.load(Ordering::Relaxed)
}

/// Threshold for [`timing_parallel_vs_sequential`]. The reference solution measured 1.94x,
/// 1.89x and 1.91x (`cargo test -p solution-03 timing_ -- --nocapture`, 2-core Xeon VM,
/// 2026-11-25, other agents compiling at times: hence rounds are judged only when the
/// reference reaches 1.5x in them; a run with another process on a core measured 0.99x).
/// Halving the ratio would allow 1.0x, which a secretly sequential run reaches; instead the
/// threshold keeps the required *gain* (0.3) about 3x below the measured one (0.9), and
/// still rejects a sequential run relabelled as parallel (0.99x measured).
pub const PARALLEL_VS_SEQUENTIAL_AT_LEAST: f64 = 1.3;
/// What the reference solution measured, quoted in failure messages.
pub const PARALLEL_VS_SEQUENTIAL_MEASURED: &str =
    "the reference solution measures 1.9x on 2 quiet cores";
