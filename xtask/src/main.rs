//! The course's tooling: `cargo xtask verify`, `cargo xtask demo`. `cargo xtask --help`
//! lists the commands.

mod book;
mod cargo;
mod course;
mod progress;
mod rules;
mod stubs;
mod verify;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The course's tooling.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The main demonstration: every section's variants, timed (an optimised build).
    /// Everything after `demo` goes to the demo: `cargo xtask demo 01 --runs 21`,
    /// `cargo xtask demo --help`.
    Demo {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
    /// Prove the course is sound: solutions pass, stubs fail with guidance, mutants are
    /// rejected, stubs + solution bodies pass, no exercise links its answers, chapters match
    /// exercises, book includes resolve, `mdbook build` succeeds.
    Verify {
        /// `cargo test` has just passed on this tree (as in `.ci/run`): the first step then
        /// runs only the timing checks that `cargo test` leaves out, instead of every
        /// solution and harness test a second time.
        #[arg(long)]
        after_cargo_test: bool,
    },
    /// The tutorial's Python beside the course's Rust, alternating in one run (needs
    /// `python/setup-venv` first). Everything after `compare` goes to it:
    /// `cargo xtask compare --quick`, `cargo xtask compare --help`.
    Compare {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
    /// Where you stand: each exercise's checks, run quietly, one row per section with the
    /// next failing check and the first line of its message.
    Progress {
        /// Also run the timing checks (seconds each; run them once the others pass).
        #[arg(long)]
        timing: bool,
        /// Run again whenever a file under exercises/ is saved; Ctrl-C stops.
        #[arg(long)]
        watch: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo { args } => cargo::run_demo(&args),
        Command::Compare { args } => {
            let mut with_command = vec![OsString::from("compare")];
            with_command.extend(args);
            cargo::run_demo(&with_command)
        }
        Command::Verify { after_cargo_test } => verify::run(after_cargo_test),
        Command::Progress { timing, watch } => {
            let root = cargo::workspace_root();
            course::sections(&root).and_then(|sections| {
                if watch {
                    progress::watch(&root, &sections, timing)
                } else {
                    progress::run(&sections, timing)
                }
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
