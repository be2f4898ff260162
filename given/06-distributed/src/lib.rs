//! Section 06 — given code: everything around the distributed dataflow that the learner uses
//! but does not write.
//!
//! | module | what it holds |
//! |---|---|
//! | [`outcome`] | [`RunPlan`], [`ImageOutcome`] (what crosses processes), [`power_summary`] |
//! | [`run`] | [`run_process`]: timely's configuration, the panic hook, worker 0's report |
//! | [`connect`] | the processes' connections, made quietly within a deadline, handed to timely |
//! | [`report`] | [`DistributedReport`]: exactly-once check, the per-stage table |
//! | [`hostfile`] | [`read_hostfile`]: one `host:port` per line, errors naming the line |
//! | [`launch`] | free loopback ports and [`supervise`]: a run's processes on one machine |
//! | [`cli`] | the `eo-distributed` program, given the learner's dataflow |
//!
//! Section 03's stages come from `solution_03` (an earlier section's answer), re-exported.

pub mod cli;
pub mod connect;
pub mod error;
pub mod hostfile;
pub mod launch;
pub mod outcome;
pub mod report;
pub mod run;

pub use error::DistributedError;
pub use hostfile::{HostfileError, parse_hostfile, read_hostfile};
pub use launch::{Supervised, free_loopback_addresses, supervise};
pub use outcome::{
    ImageOutcome, Placement, RunPlan, SUMMARY_SIDE, mean_summary, power_summary, stage_nanos,
};
pub use report::DistributedReport;
pub use run::{CONNECT_TIMEOUT, EXIT_LOST_PEER, Layout, WorkerFn, run_process};

pub use solution_03::{
    Complex64, Fft2, PipelineConfig, RunReport, Sink, StageTimes, Workspace, load_eo_data,
    load_eo_data_into, run_parallel, run_sequential, smooth, smooth_into, spectrum_checksum,
};
/// timely itself, so that the exercise and the solution use the version the given code was
/// built with.
pub use timely;
