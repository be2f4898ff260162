//! The course's main demonstration: `cargo xtask demo [SECTION…]`.
//!
//! Runs each section's reference solution on the tutorial's sizes and prints the timings
//! as a table, like the notebook's `%%timeit` cells. Build it optimised (`cargo xtask demo`
//! does); a debug build prints a warning, because its numbers mean nothing.

mod add;
mod cluster;
mod compare;
mod pipeline;
mod smooth;
mod table;

const USAGE: &str = "usage: demo [--runs N] [--images N] [--debug-naive-ms MEDIAN,MIN,MAX] [--compile-s RELEASE,DEV] [SECTION…]\n       demo --probe-smooth-naive\n       demo compare [--quick] [--steps add,smooth,fft2,pipeline,dask] [--images N] (--help: all options)\nsections: 01 02 03 04 (default: all)";

fn main() {
    if std::env::args().nth(1).as_deref() == Some("compare") {
        return compare::main(std::env::args().skip(2));
    }
    let mut runs = 11;
    // Section 03: images in the pipeline run (the tutorial's 1000).
    let mut images: u64 = 1000;
    let mut sections = Vec::new();
    let mut outside = smooth::Outside::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => match args.next().and_then(|n| n.parse::<usize>().ok()) {
                Some(n) if n > 0 => runs = n,
                _ => fail("--runs needs a whole number of at least 1"),
            },
            "--images" => match args.next().and_then(|n| n.parse::<u64>().ok()) {
                Some(n) if n > 0 => images = n,
                _ => fail("--images needs a whole number of at least 1"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            "--probe-smooth-naive" => {
                smooth::probe_naive(runs);
                return;
            }
            "--debug-naive-ms" => match args.next().as_deref().and_then(numbers) {
                Some(v) if v.len() == 3 => outside.debug_naive_ms = Some((v[0], v[1], v[2])),
                _ => fail("--debug-naive-ms needs three numbers: MEDIAN,MIN,MAX"),
            },
            "--compile-s" => match args.next().as_deref().and_then(numbers) {
                Some(v) if v.len() == 2 => outside.compile_s = Some((v[0], v[1])),
                _ => fail("--compile-s needs two numbers: RELEASE,DEV"),
            },
            "01" | "1" | "add" => sections.push(1),
            "02" | "2" | "smooth" => sections.push(2),
            "03" | "3" | "pipeline" => sections.push(3),
            "04" | "4" | "cluster" => sections.push(4),
            other => fail(&format!("unknown section or option '{other}'")),
        }
    }
    if sections.is_empty() {
        sections = vec![1, 2, 3, 4];
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: this is an unoptimised build; its timings mean nothing (use `cargo xtask demo`)\n"
        );
    }
    println!(
        "Machine: {} cores available. All times are wall-clock medians.\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for section in sections {
        match section {
            1 => add::run(solution_01::TUTORIAL_LEN, runs),
            2 => smooth::run(runs, &outside),
            3 => pipeline::run(images),
            4 => cluster::run(runs, images),
            _ => unreachable!("sections are validated above"),
        }
    }
}

/// Parses `a,b,c` into numbers.
fn numbers(text: &str) -> Option<Vec<f64>> {
    text.split(',').map(|n| n.trim().parse().ok()).collect()
}

fn fail(message: &str) -> ! {
    eprintln!("demo: {message}\n{USAGE}");
    std::process::exit(2);
}
