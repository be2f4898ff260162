//! Section 01 of the demonstration: the tutorial's `%%timeit` cells for the add.

use measure::arange_i64;
use measure::{Sample, format_duration, interleaved, measure};
use ndarray::{Array1, ArrayView1};

use crate::report::Report;
use crate::table::Table;

/// Bytes one element of the add moves: read x, read y, write z.
const BYTES_PER_ELEMENT: f64 = 24.0;

/// Times every variant at `len` elements and prints the table.
pub fn run(len: usize, runs: usize) -> Report {
    let mut report = Report::start(
        "01",
        &format!(
            "Section 01 — naive vs vectorised add: {len} int64 elements (the tutorial's 2000*2000)"
        ),
    );
    report.say(&format!(
        "Each variant: 2 warm-up calls, then the median of {runs} timed calls."
    ));
    let watch = measure::LoadWatch::start();

    // Two arrays, as in the tutorial (X and Y), so the add really reads 16 bytes per element.
    let (x, y) = (arange_i64(len), arange_i64(len));
    let (xv, yv) = (ArrayView1::from(&x), ArrayView1::from(&y));
    let (bx, by) = (solution_01::py_list(&x), solution_01::py_list(&y));
    let mut out = Array1::<i64>::zeros(len);

    // Alternating with the boxed model, which frees ~200 MB, every vectorised_add gets fresh
    // pages from the operating system: this pair shows what first-touch page faults cost.
    let (boxed, fresh) = interleaved(
        1,
        runs.min(7),
        || solution_01::naive_add(&bx, &by),
        || solution_01::vectorised_add(xv, yv),
    );
    let variants: Vec<(&str, Sample)> = vec![
        ("naive_add (boxed model)", boxed),
        (
            "indexed_add (Vec, index loop)",
            measure(2, runs, || solution_01::indexed_add(&x, &y)),
        ),
        ("vectorised_add, fresh pages", fresh),
        (
            "vectorised_add, memory reused",
            measure(2, runs, || solution_01::vectorised_add(xv, yv)),
        ),
        (
            "add_into (in place)",
            measure(2, runs, || solution_01::add_into(xv, yv, out.view_mut())),
        ),
        (
            "par_add_into (rayon, in place)",
            measure(2, runs, || {
                solution_01::par_add_into(xv, yv, out.view_mut())
            }),
        ),
    ];

    let boxed_median = variants[0].1.median().as_secs_f64();
    let mut table = Table::new(&["variant", "median", "min", "max", "vs boxed", "GB/s"]);
    for (name, sample) in &variants {
        let median = sample.median().as_secs_f64();
        table.row(vec![
            name.to_string(),
            format_duration(sample.median()),
            format_duration(sample.min()),
            format_duration(sample.max()),
            format!("{:.1}x", boxed_median / median),
            format!("{:.1}", BYTES_PER_ELEMENT * len as f64 / median / 1e9),
        ]);
    }
    report.table(&table, &watch);
    report.say(
        "The Python side (list comprehension, numpy X + Y, np.add(out=)) is measured on this \
         machine, alternating with these, by `cargo xtask compare`.",
    );
    println!();
    report
}
