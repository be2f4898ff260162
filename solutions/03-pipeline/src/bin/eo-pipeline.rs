//! `eo-pipeline`: runs the section 03 pipeline from the command line.
//!
//! ```console
//! cargo run --release -p solution-03 --bin eo-pipeline -- --images 100 --mode both
//! ```
//!
//! Prints, for each run, the wall-clock time, images per second and the mean time per
//! image in each stage; with `--mode both`, the speedup of the parallel run over the
//! sequential one and whether their checksums agree.
//!
//! # Limits, checked before any work
//! - `--threads` at most [`THREADS_PER_CORE`] × the cores: more threads than that only add
//!   memory (a stack each) and scheduling, never speed. A parallel run never uses more
//!   threads than there are images.
//! - The run's estimated peak memory (`given_03::memory::estimated_peak_bytes`: 48 bytes
//!   per pixel per image in flight, plus the FFT plans) must fit in the machine's available
//!   memory (`MemAvailable`); otherwise the run is refused with the estimate and what is
//!   available.
//!
//! # Exit status
//! [`EXIT_STATUS`] below, also printed by `--help`.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::{Parser, ValueEnum};
use solution_03::{
    PipelineConfig, PipelineError, ProgressMode, RunReport, Sink, TUTORIAL_SHAPE, run_parallel,
    run_sequential,
};

/// `--threads` may be at most this many times the cores the process may use.
pub const THREADS_PER_CORE: usize = 4;

/// The exit statuses, as `--help` prints them.
const EXIT_STATUS: &str = "\
Exit status:
  0    the runs completed (also when the reader of standard output went away early,
       e.g. `| head`: the report is cut short, like other command-line tools)
  1    a run was refused or failed (e.g. too large for the available memory, a missing
       --save directory, a failed write), the checksums differ, or the report could not
       be written to standard output (e.g. /dev/full)
  2    bad arguments (usage printed on standard error)
  130  interrupted (Ctrl-C): unfinished .partial files were removed; every
       spectrum-NNNNN.npy present is complete, but in a parallel run they are not the
       first N images: each thread works through its own part of the index range";

/// Runs the section 03 pipeline (load → smooth → fft2 → save) sequentially, in
/// parallel, or both, and reports the time per stage.
#[derive(Debug, Parser)]
#[command(name = "eo-pipeline", version, after_help = EXIT_STATUS)]
struct Args {
    /// Images to process, numbered 0..N.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    images: u64,
    /// Which runs to make.
    #[arg(long, value_enum, default_value_t = Mode::Both)]
    mode: Mode,
    /// Threads for the parallel run (default: the cores available; at most 4 × cores).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    threads: Option<u64>,
    /// Square images of S × S pixels (default 1000, the tutorial's size).
    #[arg(long, value_name = "S", conflicts_with = "shape",
          value_parser = clap::value_parser!(u64).range(1..))]
    size: Option<u64>,
    /// Images of R rows and C columns.
    #[arg(long, value_name = "RxC", value_parser = parse_shape)]
    shape: Option<Shape>,
    /// Write each spectrum to DIR/spectrum-NNNNN.npy (DIR must exist); default: discard
    /// the results, like the tutorial's save.
    #[arg(long, value_name = "DIR")]
    save: Option<PathBuf>,
    /// auto: a bar in a terminal, plain lines otherwise.
    #[arg(long, value_enum, default_value_t = Progress::Auto)]
    progress: Progress,
    /// default: glibc's own policy (each thread reuses one workspace, so images allocate
    /// nothing and the policy does not matter); keep: also tell the allocator to keep freed
    /// memory, the §3.4 lesson for programs that allocate per image.
    #[arg(long, value_enum, default_value_t = Malloc::Default)]
    malloc: Malloc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    Sequential,
    Parallel,
    Both,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Progress {
    Auto,
    Bar,
    Log,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Malloc {
    Keep,
    Default,
}

#[derive(Debug, Clone, Copy)]
struct Shape(usize, usize);

fn parse_shape(text: &str) -> Result<Shape, String> {
    let (rows, cols) = text
        .split_once('x')
        .ok_or_else(|| format!("expected ROWSxCOLS, e.g. 1000x800, got '{text}'"))?;
    let side = |s: &str| match s.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "'{s}' is not a whole number of at least 1 (in '{text}')"
        )),
    };
    Ok(Shape(side(rows)?, side(cols)?))
}

/// Set by the Ctrl-C handler before it stops saving.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Why the program stops early.
enum Stop {
    /// A refused or failed run (exit 1).
    Failed(String),
    /// Bad arguments found after parsing (exit 2).
    Usage(String),
    /// Standard output could not be written.
    Output(io::Error),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Stop {
        Stop::Output(e)
    }
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            // --help and --version go to standard output, usage errors to standard error;
            // a closed stream is not worth a panic.
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    if let Err(e) = ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        let removed = solution_03::stop_saving();
        eprintln!(
            "\neo-pipeline: interrupted; removed {removed} unfinished file(s). Every \
             spectrum-NNNNN.npy left is complete (in a parallel run, not necessarily the \
             first images)."
        );
        std::process::exit(130);
    }) {
        eprintln!("eo-pipeline: warning: Ctrl-C will not clean up: {e}");
    }
    let outcome = run(&args);
    if INTERRUPTED.load(Ordering::SeqCst) {
        // The handler is removing the unfinished files and exits with 130; a run that
        // failed because saving stopped must not report that failure first.
        std::thread::sleep(Duration::from_secs(60));
        return ExitCode::from(130);
    }
    match outcome {
        Ok(code) => code,
        Err(Stop::Failed(message)) => {
            eprintln!("eo-pipeline: {message}");
            ExitCode::FAILURE
        }
        Err(Stop::Usage(message)) => {
            eprintln!("eo-pipeline: {message}\n\nFor more information, try '--help'.");
            ExitCode::from(2)
        }
        Err(Stop::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Stop::Output(e)) => {
            eprintln!("eo-pipeline: cannot write the report to standard output: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, Stop> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most_threads = THREADS_PER_CORE * cores;
    let asked = args.threads.map_or(cores as u64, |t| t);
    if asked > most_threads as u64 {
        return Err(Stop::Usage(format!(
            "--threads {asked} is more than {THREADS_PER_CORE} × the {cores} core(s) \
             available ({most_threads}); more threads only add memory and scheduling, not \
             speed. Use at most {most_threads}."
        )));
    }
    // More threads than images would only sit idle.
    let threads = (asked as usize).min(usize::try_from(args.images).unwrap_or(usize::MAX));
    let shape = match (args.size, args.shape) {
        (Some(s), _) => {
            let s =
                usize::try_from(s).map_err(|_| Stop::Usage(format!("--size {s} is too large")))?;
            (s, s)
        }
        (None, Some(Shape(rows, cols))) => (rows, cols),
        (None, None) => TUTORIAL_SHAPE,
    };
    let sink = args.save.clone().map_or(Sink::Discard, Sink::NpyDir);
    let progress = match args.progress {
        Progress::Auto => ProgressMode::Auto,
        Progress::Bar => ProgressMode::Bar,
        Progress::Log => ProgressMode::Log,
        Progress::None => ProgressMode::Hidden,
    };
    let config = PipelineConfig::new(args.images, shape)
        .with_sink(sink)
        .with_progress(progress);
    // Everything that can be refused is refused here, before any work: the memory of the
    // most images in flight at once, then the rest of the configuration.
    let in_flight = if args.mode == Mode::Sequential {
        1
    } else {
        threads
    };
    config
        .check_memory(in_flight)
        .and_then(|()| config.validate())
        .map_err(|e| Stop::Failed(e.to_string()))?;

    let kept = args.malloc == Malloc::Keep && solution_03::keep_freed_memory();
    if cfg!(debug_assertions) {
        eprintln!("warning: unoptimised build; its timings mean nothing (use --release)");
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "eo-pipeline: {} images of {} x {}, {}; {cores} cores available; freed memory {}",
        args.images,
        shape.0,
        shape.1,
        match &args.save {
            Some(dir) => format!("spectra saved to {}", dir.display()),
            None => "results discarded".into(),
        },
        if kept {
            "kept for reuse"
        } else {
            "returned to the system (allocator default)"
        }
    )?;
    out.flush()?;

    let failed =
        |which: &str, e: PipelineError| Stop::Failed(format!("the {which} run failed: {e}"));
    let sequential = match args.mode {
        Mode::Parallel => None,
        _ => Some(run_sequential(&config).map_err(|e| failed("sequential", e))?),
    };
    let parallel = match args.mode {
        Mode::Sequential => None,
        _ => Some(run_parallel(&config, threads).map_err(|e| failed("parallel", e))?),
    };

    writeln!(
        out,
        "\nStage columns: mean time per image in that stage (in a parallel run, threads\n\
         share cores and memory, so each image's stages take longer than alone).\n"
    )?;
    writeln!(
        out,
        "{:<22} {:>7} {:>10} {:>9} {:>10} {:>10} {:>10} {:>10}",
        "run", "images", "wall", "images/s", "load", "smooth", "fft2", "save"
    )?;
    if let Some(report) = &sequential {
        print_run(&mut out, "sequential", report)?;
    }
    if let Some(report) = &parallel {
        print_run(
            &mut out,
            &format!("parallel ({} threads)", report.threads),
            report,
        )?;
    }
    if let (Some(s), Some(p)) = (&sequential, &parallel) {
        writeln!(
            out,
            "\nspeedup, parallel over sequential: {:.2}x",
            s.wall.as_secs_f64() / p.wall.as_secs_f64().max(1e-9)
        )?;
        if s.checksums() != p.checksums() {
            return Err(Stop::Failed("the two runs' checksums DIFFER".into()));
        }
        writeln!(
            out,
            "checksums: identical for all {} images",
            s.images.len()
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn print_run(out: &mut impl Write, label: &str, report: &RunReport) -> io::Result<()> {
    let n = report.images.len().max(1) as u32;
    let t = report.stage_totals();
    writeln!(
        out,
        "{label:<22} {:>7} {:>10} {:>9.1} {:>10} {:>10} {:>10} {:>10}",
        report.images.len(),
        format!("{:.3} s", report.wall.as_secs_f64()),
        report.images_per_second(),
        ms(t.load / n),
        ms(t.smooth / n),
        ms(t.fft2 / n),
        ms(t.save / n),
    )
}
