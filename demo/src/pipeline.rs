//! Section 03 of the demonstration: the tutorial's pipeline over many images, sequential
//! and parallel, with a progress bar, then how the parallel run scales with threads.

use measure::format_duration;
use solution_03::{
    PipelineConfig, ProgressMode, RunReport, TUTORIAL_SHAPE, run_parallel, run_sequential,
};

use crate::report::Report;
use crate::table::Table;

fn ms(d: std::time::Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn run_or_exit(label: &str, result: Result<RunReport, solution_03::PipelineError>) -> RunReport {
    result.unwrap_or_else(|e| {
        eprintln!("demo: the {label} run failed: {e}");
        std::process::exit(1);
    })
}

/// Runs a tenth of `images` (at least 16) with the allocator's default policy, then
/// `images` tutorial-sized images with freed memory kept, sequentially and in parallel
/// (every core), then the parallel run with 1..=4×cores threads on a tenth of the images.
pub fn run(images: u64) -> Report {
    let cores = measure::cores();
    let few = (images / 10).max(16).min(images);
    let mut report = Report::start(
        "03",
        "Section 03 — the pipeline load → smooth → fft2 → save (discarded), 1000 x 1000 images",
    );
    report.say(
        "One run per row (a run of many images is its own average). Progress is shown on \
         standard error (a bar in a terminal, plain lines in a log).",
    );
    let watch = measure::LoadWatch::start();
    // First with glibc's default policy: freed memory goes back to the system between
    // images. This must run before keep_freed_memory(), which cannot be undone.
    let config = PipelineConfig::new(few, TUTORIAL_SHAPE).with_progress(ProgressMode::Auto);
    let default_sequential = run_or_exit("sequential", run_sequential(&config));
    let default_parallel = run_or_exit("parallel", run_parallel(&config, cores));
    let kept = solution_03::keep_freed_memory();
    let config = PipelineConfig::new(images, TUTORIAL_SHAPE).with_progress(ProgressMode::Auto);
    let sequential = run_or_exit("sequential", run_sequential(&config));
    let parallel = run_or_exit("parallel", run_parallel(&config, cores));

    let mut table = Table::new(&[
        "run",
        "images",
        "wall",
        "images/s",
        "load",
        "smooth",
        "fft2",
        "per image",
    ]);
    let kept_label = if kept {
        "memory kept"
    } else {
        "memory kept (unsupported here)"
    };
    for (label, report) in [
        (
            "sequential, malloc default".to_string(),
            &default_sequential,
        ),
        (
            format!("parallel {cores} threads, malloc default"),
            &default_parallel,
        ),
        (format!("sequential, {kept_label}"), &sequential),
        (format!("parallel {cores} threads, {kept_label}"), &parallel),
    ] {
        let n = report.images.len().max(1) as u32;
        let t = report.stage_totals();
        table.row(vec![
            label,
            report.images.len().to_string(),
            format_duration(report.wall),
            format!("{:.1}", report.images_per_second()),
            ms(t.load / n),
            ms(t.smooth / n),
            ms(t.fft2 / n),
            ms(report.wall / n),
        ]);
    }
    report.table(&table, &watch);
    let speedup = sequential.wall.as_secs_f64() / parallel.wall.as_secs_f64();
    let default_speedup =
        default_sequential.wall.as_secs_f64() / default_parallel.wall.as_secs_f64();
    report.say(&format!(
        "Speedup, parallel over sequential on {cores} cores: {speedup:.2}x with memory kept, \
         {default_speedup:.2}x with malloc's default. Checksums of all {} images identical in \
         both runs: {}.",
        sequential.images.len(),
        if sequential.checksums() == parallel.checksums() {
            "yes"
        } else {
            "NO"
        }
    ));
    report.say(
        "Stage columns: mean time per image inside each stage; in the parallel run the \
         threads share the cores' caches and memory bus, so each stage takes longer. \
         `cargo xtask compare` runs numpy + numba's pipeline beside this one.",
    );

    let scaling_images = few;
    let config = PipelineConfig::new(scaling_images, TUTORIAL_SHAPE);
    let watch = measure::LoadWatch::start();
    let mut table = Table::new(&["threads", "wall", "images/s", "vs 1 thread"]);
    let mut one_thread = None;
    for threads in (1..=cores).chain([2 * cores, 4 * cores]) {
        let report = run_or_exit("scaling", run_parallel(&config, threads));
        let base = *one_thread.get_or_insert(report.wall.as_secs_f64());
        table.row(vec![
            threads.to_string(),
            format_duration(report.wall),
            format!("{:.1}", report.images_per_second()),
            format!("{:.2}x", base / report.wall.as_secs_f64()),
        ]);
    }
    report.say(&format!(
        "Scaling: the parallel run on {scaling_images} images, one run per thread count."
    ));
    report.table(&table, &watch);
    report
}
