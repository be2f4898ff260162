//! Section 06 — section 03's pipeline as a timely dataflow (your exercise).
//!
//! You write the dataflow ([`dataflow`]): which worker gets which image ([`image_route`]),
//! what a worker does with one image ([`process_on_worker`]), and the dataflow that routes
//! images, processes them and sends every outcome to worker 0 ([`run_worker`]). Everything
//! around it — starting processes, the hostfile, the connections, the report — is given
//! (`given_06`, re-exported). Run the checks with `cargo test -p exercise-06`.

pub mod dataflow;

pub use dataflow::{image_route, process_on_worker, run_worker};
pub use given_06::*;
