//! The course's tooling. `cargo xtask help` lists the commands.

mod book;
mod cargo;
mod course;
mod stubs;
mod verify;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

  demo [ARGS…]   the main demonstration: every section's variants, timed (release build);
                 ARGS go to the demo, e.g. `cargo xtask demo 01 --runs 21`
  verify         prove the course is sound: solutions pass, stubs fail with guidance,
                 mutants are rejected, stubs + solution bodies pass, no todo! in solutions,
                 chapters match exercises, book includes resolve, `mdbook build` succeeds
  help           this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => cargo::run_demo(&args[1..]),
        Some("verify") => verify::run(),
        Some("help" | "-h" | "--help") | None => {
            println!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command '{other}'\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
