//! Section 03 of the demonstration: the tutorial's pipeline over many images, sequential
//! and parallel, with a progress bar, then how the parallel run scales with threads.

use harness::timing::format_duration;
use solution_03::{
    PipelineConfig, ProgressMode, RunReport, TUTORIAL_SHAPE, run_parallel, run_sequential,
};

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
pub fn run(images: u64) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let few = (images / 10).max(16).min(images);
    println!(
        "Section 03 — the pipeline load → smooth → fft2 → save (discarded), 1000 x 1000 images"
    );
    println!(
        "One run per row (a run of many images is its own average). Progress is shown on\n\
         standard error (a bar in a terminal, plain lines in a log).\n"
    );
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
    println!("{table}");
    let speedup = sequential.wall.as_secs_f64() / parallel.wall.as_secs_f64();
    let default_speedup =
        default_sequential.wall.as_secs_f64() / default_parallel.wall.as_secs_f64();
    println!(
        "Speedup, parallel over sequential on {cores} cores: {speedup:.2}x with memory kept, \
         {default_speedup:.2}x with malloc's default.\nChecksums of all {} images identical in \
         both runs: {}.",
        sequential.images.len(),
        if sequential.checksums() == parallel.checksums() {
            "yes"
        } else {
            "NO"
        }
    );
    println!(
        "Stage columns: mean time per image inside each stage; in the parallel run the\n\
         threads share the cores' caches and memory bus, so each stage takes longer.\n\
         Python on this machine (design notes): numpy + numba 31-44 ms per image\n\
         (load 4.3, smooth 9.8, fft2 18 ms); np.fft.fft2 alone 12.9 ms; Dask LocalCluster\n\
         33-35 ms per image.\n"
    );

    let scaling_images = few;
    let config = PipelineConfig::new(scaling_images, TUTORIAL_SHAPE);
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
    println!("Scaling: the parallel run on {scaling_images} images, one run per thread count.\n");
    println!("{table}");
}
