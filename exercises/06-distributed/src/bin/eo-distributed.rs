//! `eo-distributed`: section 03's pipeline on timely dataflow, over processes and hosts.
//!
//! ```console
//! cargo run --release -p exercise-06 --bin eo-distributed -- --local 2 --images 100 --check
//! ```
//!
//! `--help` lists the options and exit statuses; book §6.6 runs it across hosts.

fn main() -> std::process::ExitCode {
    given_06::cli::main_with(exercise_06::run_worker)
}
