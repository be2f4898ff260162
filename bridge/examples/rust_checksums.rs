//! Prints the checksums of images `0..N` of shape ROWS × COLS from `solution_03::run_sequential`,
//! one per line: what the Python module's results must equal (`python/test_bridge.py`).
//!
//! `cargo run --release -p eo-kernels --example rust_checksums -- N ROWS COLS`

use std::process::ExitCode;

use solution_03::{PipelineConfig, run_sequential};

fn main() -> ExitCode {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    let [images, rows, cols] = args[..] else {
        eprintln!("usage: rust_checksums N ROWS COLS (three whole numbers)");
        return ExitCode::from(2);
    };
    let config = PipelineConfig::new(images, (rows as usize, cols as usize));
    match run_sequential(&config) {
        Ok(report) => {
            for image in report.images {
                println!("{}", image.checksum);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rust_checksums: {e}");
            ExitCode::FAILURE
        }
    }
}
