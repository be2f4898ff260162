//! Section 06 — section 03's pipeline as a timely dataflow (reference solution).
//!
//! The learner writes the dataflow ([`dataflow`]): which worker gets which image
//! ([`image_route`]), what a worker does with one image ([`process_on_worker`]), and the
//! dataflow that routes images, processes them and sends every outcome to worker 0
//! ([`run_worker`]). Everything around it — starting processes, the hostfile, the connections,
//! the report — is given (`given_06`, re-exported).

pub mod dataflow;

pub use dataflow::{image_route, process_on_worker, run_worker};
pub use given_06::*;
