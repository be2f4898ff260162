//! Section 01 of the demonstration: the tutorial's `%%timeit` cells for the add.

use measure::arange_i64;
use measure::{Sample, format_duration, interleaved, measure};
use ndarray::{Array1, ArrayView1};

use crate::report::Report;
use crate::table::Table;

/// Bytes one element of the add moves: read x, read y, write z.
const BYTES_PER_ELEMENT: f64 = 24.0;

/// Elements in the "almost no work" comparison of add_into and par_add_into.
const SMALL: usize = 1_000;

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
    // The same three arrays again, allocated as numpy allocates them (book §1.4).
    let on_huge_pages = |from: &[i64]| {
        let mut vec = solution_01::pages::vec_on_huge_pages(from.len(), 0);
        vec.copy_from_slice(from);
        vec
    };
    let (huge_x, huge_y) = (on_huge_pages(&x), on_huge_pages(&y));
    let mut huge_out = Array1::from(solution_01::pages::vec_on_huge_pages(len, 0_i64));

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
            "add_into, arrays on 2 MiB pages",
            measure(2, runs, || {
                solution_01::add_into(
                    ArrayView1::from(&huge_x),
                    ArrayView1::from(&huge_y),
                    huge_out.view_mut(),
                )
            }),
        ),
        (
            "checked_add (refuses overflow)",
            measure(2, runs, || solution_01::checked_add(xv, yv)),
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

    // What the "fresh pages" row costs per page, and what going parallel costs when there
    // is almost no work: the two explanations §1.4 and §1.5 rest on.
    let pages = (BYTES_PER_ELEMENT / 3.0 * len as f64 / 4096.0).max(1.0);
    let fault_cost =
        (variants[2].1.median().as_secs_f64() - variants[3].1.median().as_secs_f64()) / pages;
    let (small_x, small_y) = (arange_i64(SMALL), arange_i64(SMALL));
    let (sx, sy) = (ArrayView1::from(&small_x), ArrayView1::from(&small_y));
    let (mut out_seq, mut out_par) = (Array1::<i64>::zeros(SMALL), Array1::<i64>::zeros(SMALL));
    let (small_seq, small_par) = interleaved(
        100,
        runs.max(101),
        || solution_01::add_into(sx, sy, out_seq.view_mut()),
        || solution_01::par_add_into(sx, sy, out_par.view_mut()),
    );
    report.say(&format!(
        "Fresh pages: the result's {pages:.0} pages of 4 KiB cost {} each on first touch \
         (fresh minus reused, divided by pages). Going parallel with almost nothing to do \
         ({SMALL} elements): add_into {}, par_add_into {} — the fixed cost of handing work to \
         a second thread and waiting for it.",
        format_duration(std::time::Duration::from_secs_f64(fault_cost.max(0.0))),
        format_duration(small_seq.median()),
        format_duration(small_par.median()),
    ));
    report.say(&format!(
        "Pages: the machine's transparent-huge-page policy is {}; \"arrays on 2 MiB pages\" \
         asks for them as numpy does for every array of 4 MiB or more (madvise).",
        solution_01::pages::huge_pages_policy().unwrap_or_else(|| "unknown".into())
    ));
    report.say(
        "The Python side (list comprehension, numpy X + Y, np.add(out=)) is measured on this \
         machine, alternating with these, by `cargo xtask compare`.",
    );
    println!();
    report
}
