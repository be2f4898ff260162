//! `demo compare`: the tutorial's Python and the course's Rust, step by step, in one run.
//!
//! For every step (add, smooth, fft2, pipeline, dask, bridge) each round runs the Python side — a
//! fresh `python/.venv/bin/python python/steps.py --json STEP` process — and the Rust side
//! in this process, on the same workload, in alternating order (Python first in even
//! rounds, Rust first in odd ones), so that a busy patch of a shared machine hits both.
//! The medians over all rounds go into one table: printed, written as Markdown for the
//! book, and drawn as an SVG bar chart. Every number comes from this run; a step whose
//! Python side fails stops the run with its error instead of leaving a gap or a guess.
//!
//! The `bridge` step puts the course's kernels on the Python side (`eo_kernels`, built by
//! `python/build-bridge`): called from Python, in a rayon pool, and inside Dask clusters,
//! against the course's own cluster on the Rust side.
//!
//! Cost: about one minute with `--quick` without `bridge` (two with it), four to five minutes
//! without `--quick` (2 cores, 4.5 min at load 6) plus about three for `bridge`, most of it
//! Python.
//! Errors (exit status 1): no Python 3 or no venv (with the command that makes one), a
//! failing `steps.py`, an unoptimised build, an output directory that cannot be written.

mod chart;
mod dask_summary;
mod python;
mod report;
mod rows;
mod rust;
mod sweep;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Parser;

/// Compare the tutorial's Python with the course's Rust, step by step, in one run.
#[derive(Debug, Parser)]
#[command(name = "demo compare")]
struct Args {
    /// Steps to run, comma-separated: add, smooth, fft2, fft2-sweep, pipeline, dask, bridge,
    /// chunked (default: all but fft2-sweep). `bridge` needs the Rust kernels built into the
    /// venv: `python/build-bridge`. `fft2-sweep` writes its own fft2-sweep.md and .svg.
    #[arg(long, value_delimiter = ',', value_enum)]
    steps: Vec<Step>,
    /// Images per pipeline and cluster run (default 100; 20 with --quick).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    images: Option<u64>,
    /// Rounds of Python and Rust (default 5; 3 with --quick).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100))]
    rounds: Option<u32>,
    /// Timed calls per step and round (default 10; 5 with --quick); rows whose one sample
    /// takes seconds (the list add, whole runs) use a fifth of it, at least 1.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
    repeats: Option<u32>,
    /// About one minute: fewer rounds, repeats and images.
    #[arg(long)]
    quick: bool,
    /// Leave glibc's malloc at its defaults, as Python's is, instead of keeping freed
    /// memory in the process as the course's programs do (book §3.4).
    #[arg(long)]
    malloc_default: bool,
    /// The Python interpreter (default: python/.venv/bin/python, made by python/setup-venv).
    #[arg(long)]
    python: Option<PathBuf>,
    /// Where compare.md and compare.svg go (default: book/src/generated).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// A step of the tutorial: one `steps.py` step, one or more table rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Step {
    Add,
    Smooth,
    Fft2,
    /// `fft2` and `rfft2` at every shape of `solution_03::FFT2_SWEEP_SHAPES`.
    Fft2Sweep,
    Pipeline,
    Dask,
    /// The course's kernels called from Python and run on Dask (`python/build-bridge`).
    Bridge,
    /// A chunked array: map_overlap smooth + mean, `dask.array` vs section 05.
    Chunked,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::Add,
        Step::Smooth,
        Step::Fft2,
        Step::Pipeline,
        Step::Dask,
        Step::Bridge,
        Step::Chunked,
    ];

    /// The step's name for `steps.py`.
    pub fn name(self) -> &'static str {
        match self {
            Step::Add => "add",
            Step::Smooth => "smooth",
            Step::Fft2 => "fft2",
            Step::Fft2Sweep => "fft2-sweep",
            Step::Pipeline => "pipeline",
            Step::Dask => "dask",
            Step::Bridge => "bridge",
            Step::Chunked => "chunked",
        }
    }
}

/// Which side of the comparison runs.
#[derive(Debug, Clone, Copy)]
enum Side {
    Python,
    Rust,
}

/// How much work one round does.
#[derive(Debug, Clone, Copy)]
pub struct Workload {
    /// Timed calls per fast row.
    pub repeats: u32,
    /// Images per pipeline or cluster run.
    pub images: u64,
}

impl Workload {
    /// Timed samples of a row whose one sample takes seconds: the rule `steps.py` uses.
    pub fn slow_repeats(&self) -> u32 {
        (self.repeats / 5).max(1)
    }
}

/// Every sample of one row, in seconds per call or per image, from both sides.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    pub python: Vec<f64>,
    pub rust: Vec<f64>,
    /// What the Python side ran, as `steps.py` describes it.
    pub python_what: String,
}

/// Runs `demo compare ARGS…` (`args` without the program name and `compare`); on an
/// error, prints it and exits with status 1.
pub fn main(args: impl IntoIterator<Item = String>) {
    let args = Args::parse_from(std::iter::once("demo compare".to_string()).chain(args));
    if let Err(message) = run(args) {
        eprintln!("demo compare: {message}");
        std::process::exit(1);
    }
}

/// Which round and side is running: one line rewritten in place in a terminal, one line
/// each in a log.
fn progress(round: u32, rounds: u32, step: Step, side: Side) {
    let text = format!("round {}/{rounds}: {} ({side:?})", round + 1, step.name());
    if std::io::stderr().is_terminal() {
        eprint!("{text:<40}\r");
    } else {
        eprintln!("{text}");
    }
}

fn run(args: Args) -> Result<(), String> {
    if cfg!(debug_assertions) {
        return Err(
            "this is an unoptimised build, whose timings mean nothing: run \
                    `cargo xtask demo compare`"
                .into(),
        );
    }
    let python = python::Python::find(args.python.clone())?;
    let steps = if args.steps.is_empty() {
        Step::ALL.to_vec()
    } else {
        let mut s = args.steps.clone();
        s.sort();
        s.dedup();
        s
    };
    if steps.contains(&Step::Bridge) {
        python.check_bridge()?;
    }
    let (rounds, repeats, images) = if args.quick { (3, 5, 20) } else { (5, 10, 100) };
    let rounds = args.rounds.unwrap_or(rounds);
    let work = Workload {
        repeats: args.repeats.unwrap_or(repeats),
        images: args.images.unwrap_or(images),
    };
    let out_dir = args.out.clone().unwrap_or_else(report::default_out_dir);

    let date = crate::machine::today();
    let load_before = report::load_average();
    // As the course's programs do (book §3.4): freed memory stays in the process.
    let kept = !args.malloc_default && solution_03::keep_freed_memory();
    println!(
        "Comparing {} in {rounds} rounds ({} repeats, {} images per run); Python: {}",
        steps
            .iter()
            .map(|s| s.name())
            .collect::<Vec<_>>()
            .join(", "),
        work.repeats,
        work.images,
        python.describe()
    );
    let mut rows: BTreeMap<&'static str, Samples> = BTreeMap::new();
    let mut sweep = sweep::Sweep::new();
    let mut versions = None;
    for round in 0..rounds {
        let order = if round % 2 == 0 {
            [Side::Python, Side::Rust]
        } else {
            [Side::Rust, Side::Python]
        };
        for &step in &steps {
            for side in order {
                progress(round, rounds, step, side);
                match side {
                    Side::Python => {
                        let result = python.run_step(step, work)?;
                        versions.get_or_insert(result.versions);
                        for row in result.rows {
                            let samples = match sweep::parse_key(&row.key) {
                                Some(shape) => sweep.entry(shape).or_default(),
                                None => rows.entry(rows::row_key(&row.key)?).or_default(),
                            };
                            samples.python.extend(row.samples);
                            samples.python_what = row.what;
                        }
                    }
                    Side::Rust if step == Step::Fft2Sweep => {
                        for (key, samples) in rust::fft2_sweep(work) {
                            sweep.entry(key).or_default().rust.extend(samples);
                        }
                    }
                    Side::Rust => {
                        for (key, samples) in rust::run_step(step, work, round == 0)? {
                            rows.entry(key).or_default().rust.extend(samples);
                        }
                    }
                }
            }
        }
    }
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
    let load_after = report::load_average();
    let table = report::Table {
        rows,
        python_versions: versions.unwrap_or_default(),
        load_before,
        load_after,
        rounds,
        work,
        freed_memory_kept: kept,
        date,
    };
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    if !sweep.is_empty() {
        let text = sweep::markdown(&sweep, &table.header());
        println!("\n{text}");
        let markdown = out_dir.join("fft2-sweep.md");
        std::fs::write(&markdown, text)
            .map_err(|e| format!("cannot write {}: {e}", markdown.display()))?;
        let svg = out_dir.join("fft2-sweep.svg");
        let subtitle = format!(
            "{}, load {} → {}",
            table.date, table.load_before, table.load_after
        );
        sweep::draw(&sweep, &svg, &subtitle)?;
        println!("Written: {} and {}", markdown.display(), svg.display());
    }
    if table.rows.is_empty() {
        return Ok(());
    }
    println!("\n{}", table.terminal());
    let markdown = out_dir.join("compare.md");
    std::fs::write(&markdown, table.markdown())
        .map_err(|e| format!("cannot write {}: {e}", markdown.display()))?;
    let svg = out_dir.join("compare.svg");
    chart::draw(&table, &svg)?;
    println!("Written: {} and {}", markdown.display(), svg.display());
    Ok(())
}
