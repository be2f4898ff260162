//! Section 02 of the demonstration: the tutorial's numba cells for the 3 × 3 smooth.

use harness::images::seeded_image;
use harness::timing::{Sample, format_duration, measure};
use solution_02::{TUTORIAL_SHAPE, smooth_naive, smooth_optimised, smooth_parallel};

use crate::table::Table;

/// Bytes a smooth must move at the least: read each input pixel, write each output pixel.
const BYTES_PER_PIXEL: f64 = 16.0;

/// numba's steady-state time for the tutorial's smooth on the course machine (design notes).
const NUMBA_STEADY_STATE_S: f64 = 9.4e-3;

/// Single-thread STREAM add bandwidth on the course machine (design notes).
const STREAM_ONE_THREAD_BYTES_PER_S: f64 = 14.4e9;

/// What `cargo xtask demo` measured outside this process: the naive loop in an unoptimised
/// build, and how long the compiler took.
#[derive(Debug, Clone, Default)]
pub struct Outside {
    /// Median, min and max of `smooth_naive` in a debug build, in milliseconds.
    pub debug_naive_ms: Option<(f64, f64, f64)>,
    /// Seconds to compile `solution-02` alone, optimised and unoptimised.
    pub compile_s: Option<(f64, f64)>,
}

/// Times `smooth_naive` on the tutorial image and prints `median min max` in milliseconds:
/// what `cargo xtask demo` runs in a debug build of this binary.
pub fn probe_naive(runs: usize) {
    let image = seeded_image(0, TUTORIAL_SHAPE);
    let s = measure(1, runs.min(5), || smooth_naive(image.view()));
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!("{} {} {}", ms(s.median()), ms(s.min()), ms(s.max()));
}

pub fn run(runs: usize, outside: &Outside) {
    let (rows, cols) = TUTORIAL_SHAPE;
    println!("Section 02 — unoptimised vs optimised smooth: a 3×3 mean over a {rows}×{cols} image");
    println!("Each variant: 2 warm-up calls, then the median of {runs} timed calls.\n");
    let image = seeded_image(0, TUTORIAL_SHAPE);
    let pixels = (rows * cols) as f64;

    let mut rows_out: Vec<(String, f64, f64, f64)> = Vec::new();
    match outside.debug_naive_ms {
        Some((median, min, max)) => rows_out.push((
            "smooth_naive, debug build (opt-level 0)".into(),
            median / 1e3,
            min / 1e3,
            max / 1e3,
        )),
        None => {
            println!("(no debug-build measurement: run through `cargo xtask demo` to get one)\n")
        }
    }
    let optimised: Vec<(&str, Sample)> = vec![
        (
            "smooth_naive, optimised build",
            measure(2, runs, || smooth_naive(image.view())),
        ),
        (
            "smooth_optimised",
            measure(2, runs, || smooth_optimised(image.view())),
        ),
        (
            "smooth_parallel (rayon rows)",
            measure(2, runs, || smooth_parallel(image.view())),
        ),
    ];
    for (name, s) in &optimised {
        let secs = |d: std::time::Duration| d.as_secs_f64();
        rows_out.push((
            name.to_string(),
            secs(s.median()),
            secs(s.min()),
            secs(s.max()),
        ));
    }

    let baseline = rows_out[0].1;
    let mut table = Table::new(&[
        "variant",
        "median",
        "min",
        "max",
        "vs first row",
        "Mpixel/s",
        "GB/s",
    ]);
    for (name, median, min, max) in &rows_out {
        let d = std::time::Duration::from_secs_f64;
        table.row(vec![
            name.clone(),
            format_duration(d(*median)),
            format_duration(d(*min)),
            format_duration(d(*max)),
            format!("{:.1}x", baseline / median),
            format!("{:.0}", pixels / median / 1e6),
            format!("{:.1}", BYTES_PER_PIXEL * pixels / median / 1e9),
        ]);
    }
    println!("{table}");
    let optimised_s = optimised[1].1.median().as_secs_f64();
    let numba_goal = NUMBA_STEADY_STATE_S / 5.0;
    let memory_goal = 2.0 * BYTES_PER_PIXEL * pixels / STREAM_ONE_THREAD_BYTES_PER_S;
    let verdict = |met: bool| if met { "met" } else { "NOT met" };
    println!(
        "Goal: smooth_optimised at least 5x faster than numba (<= {}): {}; within 2x of the time\n\
         needed just to read and write the image at 14.4 GB/s (<= {}): {}.\n",
        format_duration(std::time::Duration::from_secs_f64(numba_goal)),
        verdict(optimised_s <= numba_goal),
        format_duration(std::time::Duration::from_secs_f64(memory_goal)),
        verdict(optimised_s <= memory_goal),
    );
    if let Some((release, dev)) = outside.compile_s {
        println!(
            "Compiling solution-02 alone (dependencies already built): {release:.2} s optimised, \
             {dev:.2} s unoptimised.\nThat is paid once, before the first call; numba pays ~0.6 s \
             at the first call of every new process."
        );
    }
    println!(
        "Python on this machine (design notes): pure Python loop 1.07 s, numba 9.4 ms (first call\n\
         ~0.6 s with compilation), scipy.ndimage.uniform_filter 6.7 ms. Reading 8 MB and writing\n\
         8 MB at 14.4 GB/s (STREAM, one thread) takes 1.1 ms: the floor for any smooth.\n"
    );
}
