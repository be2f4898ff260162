//! The course's main demonstration: `cargo xtask demo [SECTION…] [OPTIONS]`.
//!
//! Runs each section's reference solution on the tutorial's sizes and prints the timings
//! as tables, like the notebook's `%%timeit` cells, each followed by how busy the machine
//! was while it was measured. Build it optimised (`cargo xtask demo` does); a debug build
//! prints a warning, because its numbers mean nothing.

mod add;
mod chunked;
mod compare;
mod distributed;
mod larger_than_ram;
mod local_cluster;
mod machine;
mod paths;
mod pipeline;
mod report;
mod smooth;
mod table;

use clap::Parser;

use report::Report;

/// The course's main demonstration: every section's variants, timed, as tables.
#[derive(Debug, Parser)]
#[command(name = "demo", after_help = SECTIONS_HELP)]
struct Args {
    /// Sections to run (default: all), by number or name: 01 add, 02 smooth, 03 pipeline,
    /// 04 local-cluster, 05 chunked, 06 distributed.
    #[arg(value_parser = parse_section)]
    sections: Vec<u8>,
    /// Timed calls per variant (sections 01 and 02; section 04's pipeline uses at most 3).
    #[arg(long, default_value_t = 11, value_parser = clap::value_parser!(u32).range(1..=1000))]
    runs: u32,
    /// Images in the pipeline runs of sections 03 and 04 (the tutorial's 1000).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    images: u64,
    /// Section 04: keep the dashboard open after the section, until Enter (or Ctrl-C).
    #[arg(long)]
    hold: bool,
    /// Write each section's tables to book/src/generated/demo-NN.md, which the book includes.
    #[arg(long)]
    record: bool,
    /// Section 02: skip timing the compiler and the unoptimised build (they need cargo).
    #[arg(long)]
    no_build_timing: bool,
    /// Section 05: instead of its tables, stream a SIZE × SIZE f64 array larger than RAM
    /// through Zarr on disk (load → Zarr, then Zarr → smooth → Zarr), reporting peak memory and
    /// GB/s. Needs 16·SIZE² bytes of free disk (checked first; 60000 needs 57.6 GB + 2 GB).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    size: Option<u64>,
    /// Section 05 --size: where the two Zarr stores are written (default: the system's
    /// temporary directory).
    #[arg(long, requires = "size")]
    zarr_dir: Option<std::path::PathBuf>,
    /// Section 05 --size: keep the two Zarr stores instead of removing them at the end.
    #[arg(long, requires = "size")]
    keep: bool,
    /// Section 06: run as process K of a 2-process pipeline (the demo starts these itself).
    #[arg(long, hide = true, requires = "addresses")]
    distributed_process: Option<usize>,
    /// Section 06: the processes' addresses, comma-separated.
    #[arg(long, hide = true)]
    addresses: Option<String>,
    /// Times `smooth_naive` and prints `median min max` in ms: what section 02 runs in an
    /// unoptimised build of this program.
    #[arg(long, hide = true)]
    probe_smooth_naive: bool,
    /// Run as one section of a run of several, started by this program: no machine header.
    #[arg(long, hide = true)]
    one_of_several: bool,
}

const SECTIONS_HELP: &str = "Examples:\n  cargo xtask demo                 every section (a few minutes)\n  \
    cargo xtask demo 02 --runs 21    one section, more samples\n  \
    cargo xtask demo 04 --hold       keep the dashboard open to show it\n  \
    cargo xtask demo 05 --size 20000 section 05 streamed through Zarr on disk (6.4 GB)\n  \
    demo compare --quick             the tutorial's Python and the Rust side by side (--help)";

fn parse_section(name: &str) -> Result<u8, String> {
    match name {
        "01" | "1" | "add" => Ok(1),
        "02" | "2" | "smooth" => Ok(2),
        "03" | "3" | "pipeline" => Ok(3),
        "04" | "4" | "local-cluster" | "cluster" => Ok(4),
        "05" | "5" | "chunked" => Ok(5),
        "06" | "6" | "distributed" => Ok(6),
        other => Err(format!(
            "unknown section '{other}' (01 add, 02 smooth, 03 pipeline, 04 local-cluster, 05 chunked, 06 distributed)"
        )),
    }
}

fn main() {
    // `demo compare …` has its own options (book: the Python side by side).
    if std::env::args().nth(1).as_deref() == Some("compare") {
        return compare::main(std::env::args().skip(2));
    }
    let args = Args::parse();
    let runs = args.runs as usize;
    if let (Some(process), Some(addresses)) = (args.distributed_process, &args.addresses) {
        distributed::serve_child(process, addresses, args.images);
        return;
    }
    if args.probe_smooth_naive {
        smooth::probe_naive(runs);
        return;
    }
    if let Some(size) = args.size {
        return larger_than_ram(&args, size as usize);
    }
    let mut sections = args.sections.clone();
    if sections.is_empty() {
        sections = vec![1, 2, 3, 4, 5, 6];
    }
    sections.dedup();
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: this is an unoptimised build; its timings mean nothing (use `cargo xtask demo`)\n"
        );
    }
    if !args.one_of_several {
        println!(
            "Machine: {}, {} cores. All times are wall-clock medians.\n{}\n",
            machine::cpu_model(),
            measure::cores(),
            estimate(&sections, args.images)
        );
    }
    if sections.len() > 1 {
        return run_each_in_its_own_process(&args, &sections);
    }
    for section in sections {
        let report = match section {
            1 => add::run(solution_01::TUTORIAL_LEN, runs),
            2 => smooth::run(runs, !args.no_build_timing),
            3 => pipeline::run(args.images),
            4 => local_cluster::run(runs, args.images, args.hold),
            5 => chunked::run(runs),
            6 => distributed::run(args.images),
            _ => unreachable!("parse_section returns 1 to 6"),
        };
        if args.record {
            record(&report, "cargo xtask demo --record");
        }
    }
}

/// Runs each section in a new process of this program, one after the other, with the same
/// options: a section then measures what it measures when run alone. In one process, the
/// earlier sections' large allocations change glibc's `malloc` policy for the later ones
/// (it raises its threshold for handing memory back to the system after freeing a large
/// block), and section 03's "new arrays per image, malloc default" rows, which are about
/// that policy, came out three times faster after sections 01 and 02 than on their own.
/// Exits with the first failing section's status.
fn run_each_in_its_own_process(args: &Args, sections: &[u8]) {
    let program = std::env::current_exe().unwrap_or_else(|e| {
        eprintln!("demo: cannot find this program's own path to run each section: {e}");
        std::process::exit(1);
    });
    let mut options = vec![
        format!("--runs={}", args.runs),
        format!("--images={}", args.images),
    ];
    for (set, flag) in [
        (args.hold, "--hold"),
        (args.record, "--record"),
        (args.no_build_timing, "--no-build-timing"),
    ] {
        if set {
            options.push(flag.to_string());
        }
    }
    for section in sections {
        let status = std::process::Command::new(&program)
            .arg(format!("{section:02}"))
            .args(&options)
            .arg("--one-of-several")
            .status()
            .unwrap_or_else(|e| {
                eprintln!("demo: could not start section {section:02}: {e}");
                std::process::exit(1);
            });
        if !status.success() {
            eprintln!(
                "demo: section {section:02} failed ({status}); the sections after it were not run"
            );
            std::process::exit(status.code().unwrap_or(1));
        }
    }
}

/// How long the run will take, from the measured durations of each section on the
/// course's 2-core machine (the ranges in README.md).
fn estimate(sections: &[u8], images: u64) -> String {
    let per_thousand = |s: f64| s * images as f64 / 1000.0;
    let (low, high) = sections.iter().fold((0.0, 0.0), |(lo, hi), s| match s {
        1 => (lo + 10.0, hi + 20.0),
        2 => (lo + 20.0, hi + 60.0),
        3 => (lo + per_thousand(40.0), hi + per_thousand(90.0)),
        5 => (lo + 20.0, hi + 60.0),
        6 => (lo + per_thousand(60.0), hi + per_thousand(120.0)),
        _ => (
            lo + 10.0 + per_thousand(50.0),
            hi + 20.0 + per_thousand(120.0),
        ),
    });
    let (low, high) = (
        (low / 60.0_f64).floor().max(1.0),
        (high / 60.0_f64).ceil().max(1.0),
    );
    let span = if low == high {
        format!("about {low:.0} minute{}", if low == 1.0 { "" } else { "s" })
    } else {
        format!("{low:.0}-{high:.0} minutes")
    };
    format!("Expect {span} on a quiet 2-core machine (longer when other work shares it).")
}

/// `demo 05 --size N`: the larger-than-RAM run alone.
fn larger_than_ram(args: &Args, size: usize) {
    if args.sections != [5] {
        eprintln!("demo: --size is section 05's option: run `cargo xtask demo 05 --size N`");
        std::process::exit(2);
    }
    let dir = args
        .zarr_dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("course-05-larger-than-ram"));
    match larger_than_ram::run(size, &dir, args.keep) {
        Ok(report) if args.record => record(
            &report,
            &format!("cargo xtask demo 05 --size {size} --record"),
        ),
        Ok(_) => {}
        Err(message) => {
            eprintln!("demo: {message}");
            std::process::exit(1);
        }
    }
}

fn record(report: &Report, command: &str) {
    let dir = paths::workspace_root().join("book/src/generated");
    match report.record(&dir, command) {
        Ok(path) => println!("Recorded: {}\n", path.display()),
        Err(e) => eprintln!("demo: could not record into {}: {e}", dir.display()),
    }
}
