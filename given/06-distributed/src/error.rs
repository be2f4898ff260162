//! What can go wrong in a distributed run.

use std::fmt;

use solution_03::PipelineError;

use crate::hostfile::HostfileError;

/// Why a distributed run was refused or failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DistributedError {
    /// Section 03's checks refused the configuration before any work.
    Config(PipelineError),
    /// A bad hostfile.
    Hostfile(HostfileError),
    /// Bad process or worker numbers (e.g. `--process 3` with 3 addresses).
    Layout(String),
    /// The processes did not all connect within the deadline.
    Connect {
        seconds: u64,
        addresses: Vec<String>,
    },
    /// timely refused to start (e.g. an address it cannot listen on).
    Start(String),
    /// A worker panicked, or a connection to another process broke mid-run.
    Worker(String),
    /// An image reached worker 0 twice.
    Duplicate { index: u64 },
    /// An image never reached worker 0.
    Missing { index: u64, received: usize },
    /// An image could not be saved.
    Save { index: u64, reason: String },
}

impl fmt::Display for DistributedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DistributedError::Config(e) => write!(f, "{e}"),
            DistributedError::Hostfile(e) => write!(f, "{e}"),
            DistributedError::Layout(e) => write!(f, "{e}"),
            DistributedError::Connect { seconds, addresses } => write!(
                f,
                "could not connect to every process within {seconds} s ({}): is each one \
                 started, with the same hostfile, and its port reachable through the firewall?",
                addresses.join(", ")
            ),
            DistributedError::Start(e) => write!(f, "timely could not start: {e}"),
            DistributedError::Worker(e) => write!(f, "the run failed: {e}"),
            DistributedError::Duplicate { index } => {
                write!(f, "image {index} reached worker 0 more than once")
            }
            DistributedError::Missing { index, received } => write!(
                f,
                "image {index} never reached worker 0 ({received} outcomes arrived)"
            ),
            DistributedError::Save { index, reason } => {
                write!(f, "image {index} could not be saved: {reason}")
            }
        }
    }
}

impl std::error::Error for DistributedError {}
