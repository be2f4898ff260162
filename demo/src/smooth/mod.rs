//! Section 02 of the demonstration: the tutorial's numba cells for the 3 × 3 smooth.

use measure::seeded_image;
use measure::{Sample, format_duration, interleaved, measure};
use solution_02::{
    TUTORIAL_SHAPE, smooth_naive, smooth_optimised, smooth_optimised_into, smooth_parallel,
};

use crate::report::Report;
use crate::table::Table;

mod outside;

/// Bytes a smooth must move at the least: read each input pixel, write each output pixel.
const BYTES_PER_PIXEL: f64 = 16.0;

/// Times `smooth_naive` on the tutorial image and prints `median min max` in milliseconds:
/// what `cargo xtask demo` runs in a debug build of this binary.
pub fn probe_naive(runs: usize) {
    let image = seeded_image(0, TUTORIAL_SHAPE);
    let s = measure(1, runs.min(5), || smooth_naive(image.view()));
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!("{} {} {}", ms(s.median()), ms(s.min()), ms(s.max()));
}

/// Times every variant on the tutorial's image (and, with `build_timing`, the compiler and an
/// unoptimised build) and prints the table.
pub fn run(runs: usize, build_timing: bool) -> Report {
    let (rows, cols) = TUTORIAL_SHAPE;
    let mut report = Report::start(
        "02",
        &format!(
            "Section 02 — unoptimised vs optimised smooth: a 3×3 mean over a {rows}×{cols} image"
        ),
    );
    let outside = if build_timing {
        outside::measure_outside()
    } else {
        outside::Outside::default()
    };
    report.say(&format!(
        "Each variant: 2 warm-up calls, then the median of {runs} timed calls. The last row is \
         no smooth: it copies the image once, the least any smooth must read and write; it and \
         smooth_optimised_into, the two sides of the ratio below the table, are timed in \
         alternation."
    ));
    let watch = measure::LoadWatch::start();
    let image = seeded_image(0, TUTORIAL_SHAPE);
    let mut copy = image.clone();
    let mut reused = image.clone();
    let mut column_sums = Vec::new();
    let pixels = (rows * cols) as f64;

    let mut rows_out: Vec<(String, f64, f64, f64)> = Vec::new();
    match outside.debug_naive_ms {
        Some((median, min, max)) => rows_out.push((
            "smooth_naive, debug build (opt-level 0)".into(),
            median / 1e3,
            min / 1e3,
            max / 1e3,
        )),
        None => println!(
            "(no unoptimised-build row: it needs `cargo xtask demo` without --no-build-timing)"
        ),
    }
    // The two sides of the ratio the demo prints are timed in alternation, so that a
    // change in the machine's state during the run (the copy alone varied by a quarter from
    // one run to the next) falls on both.
    let (into, floor) = interleaved(
        2,
        runs,
        || smooth_optimised_into(image.view(), reused.view_mut(), &mut column_sums),
        || copy.assign(&image),
    );
    let optimised: Vec<(&str, Sample)> = vec![
        (
            "smooth_naive, optimised build",
            measure(2, runs, || smooth_naive(image.view())),
        ),
        (
            "smooth_optimised",
            measure(2, runs, || smooth_optimised(image.view())),
        ),
        ("smooth_optimised_into, reusing the output array", into),
        (
            "smooth_parallel (rayon rows)",
            measure(2, runs, || smooth_parallel(image.view())),
        ),
        ("copy, the floor (read + write once)", floor),
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
    report.table(&table, &watch);
    let median_s = |k: usize| optimised[k].1.median().as_secs_f64();
    let floor_s = median_s(4);
    report.say(&format!(
        "Against one read and write of the image: smooth_optimised_into, which writes into an \
         array it is given as the copy does, takes {:.2}x its time; smooth_optimised, which \
         also allocates and zeroes a new output array, {:.2}x.",
        median_s(2) / floor_s,
        median_s(1) / floor_s
    ));
    if let Some((release, dev)) = outside.compile_s {
        report.say(&format!(
            "Compiling solution-02 alone (dependencies already built): {release:.2} s optimised, \
             {dev:.2} s unoptimised. That is paid once, before the first call; numba pays its \
             compilation at the first call of every new process (`cargo xtask compare` measures it)."
        ));
    }
    println!();
    report
}
