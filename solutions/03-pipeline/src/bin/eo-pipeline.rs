//! `eo-pipeline`: runs the section 03 pipeline from the command line.
//!
//! ```console
//! cargo run --release -p solution-03 --bin eo-pipeline -- --images 100 --mode both
//! ```
//!
//! Prints, for each run, the wall-clock time, images per second and the mean time per
//! image in each stage; with `--mode both`, the speedup of the parallel run over the
//! sequential one and whether their checksums agree. Bad arguments print a message and
//! the usage, and exit with status 2; a failed run exits with status 1.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use solution_03::{
    PipelineConfig, ProgressMode, RunReport, Sink, TUTORIAL_SHAPE, run_parallel, run_sequential,
};

const USAGE: &str = "\
usage: eo-pipeline [--images N] [--mode sequential|parallel|both] [--threads T]
                   [--size S | --shape ROWSxCOLS] [--save DIR] [--progress auto|bar|log|none]
                   [--malloc keep|default]

  --images N      images to process, numbered 0..N (default 100)
  --mode M        sequential, parallel, or both and compare (default both)
  --threads T     threads for the parallel run (default: the cores available)
  --size S        square images S x S (default 1000, the tutorial's size)
  --shape RxC     images of R rows and C columns
  --save DIR      write each spectrum to DIR/spectrum-NNNNN.npy (DIR must exist);
                  default: discard the results, like the tutorial's save
  --progress P    auto (a bar in a terminal, plain lines otherwise), bar, log, none
  --malloc M      keep: the allocator keeps freed memory for the next image (default);
                  default: glibc's own policy, which returns it to the system, so every
                  image page-faults its memory in again (see book §3.4)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Sequential,
    Parallel,
    Both,
}

#[derive(Debug)]
struct Args {
    images: u64,
    mode: Mode,
    threads: usize,
    shape: (usize, usize),
    save: Option<PathBuf>,
    progress: ProgressMode,
    keep_freed_memory: bool,
}

fn positive<T: std::str::FromStr + PartialOrd + Default>(
    option: &str,
    value: Option<String>,
    what: &str,
) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("{option} needs a value ({what})"))?;
    match value.parse::<T>() {
        Ok(n) if n > T::default() => Ok(n),
        Ok(_) => Err(format!("{option} must be at least 1, got '{value}'")),
        Err(_) => Err(format!("{option} expects {what}, got '{value}'")),
    }
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<Args>, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut parsed = Args {
        images: 100,
        mode: Mode::Both,
        threads: cores,
        shape: TUTORIAL_SHAPE,
        save: None,
        progress: ProgressMode::Auto,
        keep_freed_memory: true,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // Accept `--option=value` as well as `--option value`.
        let (option, inline) = match arg.split_once('=') {
            Some((o, v)) if o.starts_with("--") => (o.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| args.next());
        match option.as_str() {
            "-h" | "--help" => return Ok(None),
            "--images" => parsed.images = positive(&option, value(), "a whole number")?,
            "--threads" => parsed.threads = positive(&option, value(), "a whole number")?,
            "--size" => {
                let s = positive(&option, value(), "a whole number of pixels")?;
                parsed.shape = (s, s);
            }
            "--shape" => {
                let v = value().ok_or("--shape needs a value (ROWSxCOLS)")?;
                let (r, c) = v.split_once('x').ok_or_else(|| {
                    format!("--shape expects ROWSxCOLS, e.g. 1000x800, got '{v}'")
                })?;
                parsed.shape = (
                    positive("--shape rows", Some(r.to_string()), "a whole number")?,
                    positive("--shape columns", Some(c.to_string()), "a whole number")?,
                );
            }
            "--mode" => {
                parsed.mode = match value().as_deref() {
                    Some("sequential") => Mode::Sequential,
                    Some("parallel") => Mode::Parallel,
                    Some("both") => Mode::Both,
                    Some(other) => {
                        return Err(format!(
                            "unknown mode '{other}': use sequential, parallel or both"
                        ));
                    }
                    None => {
                        return Err("--mode needs a value (sequential, parallel or both)".into());
                    }
                }
            }
            "--save" => {
                parsed.save = Some(PathBuf::from(value().ok_or("--save needs a directory")?));
            }
            "--progress" => {
                parsed.progress = match value().as_deref() {
                    Some("auto") => ProgressMode::Auto,
                    Some("bar") => ProgressMode::Bar,
                    Some("log") => ProgressMode::Log,
                    Some("none") => ProgressMode::Hidden,
                    Some(other) => {
                        return Err(format!(
                            "unknown progress display '{other}': use auto, bar, log or none"
                        ));
                    }
                    None => return Err("--progress needs a value (auto, bar, log or none)".into()),
                }
            }
            "--malloc" => {
                parsed.keep_freed_memory = match value().as_deref() {
                    Some("keep") => true,
                    Some("default") => false,
                    Some(other) => {
                        return Err(format!(
                            "unknown allocator policy '{other}': use keep or default"
                        ));
                    }
                    None => return Err("--malloc needs a value (keep or default)".into()),
                }
            }
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(Some(parsed))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn print_header() {
    println!(
        "{:<22} {:>7} {:>10} {:>9} {:>10} {:>10} {:>10} {:>10}",
        "run", "images", "wall", "images/s", "load", "smooth", "fft2", "save"
    );
}

fn print_run(label: &str, report: &RunReport) {
    let n = report.images.len().max(1) as u32;
    let t = report.stage_totals();
    println!(
        "{label:<22} {:>7} {:>10} {:>9.1} {:>10} {:>10} {:>10} {:>10}",
        report.images.len(),
        format!("{:.3} s", report.wall.as_secs_f64()),
        report.images_per_second(),
        ms(t.load / n),
        ms(t.smooth / n),
        ms(t.fft2 / n),
        ms(t.save / n),
    );
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("eo-pipeline: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let kept = args.keep_freed_memory && solution_03::keep_freed_memory();
    let sink = args.save.clone().map_or(Sink::Discard, Sink::NpyDir);
    let config = PipelineConfig::new(args.images, args.shape)
        .with_sink(sink)
        .with_progress(args.progress);
    if cfg!(debug_assertions) {
        eprintln!("warning: unoptimised build; its timings mean nothing (use --release)");
    }
    println!(
        "eo-pipeline: {} images of {} x {}, {}; {} cores available; freed memory {}",
        args.images,
        args.shape.0,
        args.shape.1,
        match &args.save {
            Some(dir) => format!("spectra saved to {}", dir.display()),
            None => "results discarded".into(),
        },
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        if kept {
            "kept for reuse"
        } else {
            "returned to the system (allocator default)"
        }
    );

    let sequential = if args.mode != Mode::Parallel {
        match run_sequential(&config) {
            Ok(report) => Some(report),
            Err(e) => {
                eprintln!("eo-pipeline: the sequential run failed: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let parallel = if args.mode != Mode::Sequential {
        match run_parallel(&config, args.threads) {
            Ok(report) => Some(report),
            Err(e) => {
                eprintln!("eo-pipeline: the parallel run failed: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };

    println!("\nStage columns: mean time per image in that stage (in a parallel run, threads");
    println!("share cores and memory, so each image's stages take longer than alone).\n");
    print_header();
    if let Some(report) = &sequential {
        print_run("sequential", report);
    }
    if let Some(report) = &parallel {
        print_run(&format!("parallel ({} threads)", report.threads), report);
    }
    if let (Some(s), Some(p)) = (&sequential, &parallel) {
        println!(
            "\nspeedup, parallel over sequential: {:.2}x",
            s.wall.as_secs_f64() / p.wall.as_secs_f64().max(1e-9)
        );
        if s.checksums() == p.checksums() {
            println!("checksums: identical for all {} images", s.images.len());
        } else {
            eprintln!("eo-pipeline: the two runs' checksums DIFFER");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
