//! Every book section a check's failure message points to, in one table. `cargo xtask
//! verify` checks each against the chapters' real headings, and that no other file of the
//! harness writes a pointer of its own: a renamed section is then one edit here, caught
//! by verify if forgotten.

/// Section 01, `book/src/01-add.md`.
pub const ADD_BOXED: &str = "book §1.1 \"The boxed model\" (book/src/01-add.md)";
pub const ADD_TYPED: &str = "book §1.2 \"Typed, contiguous memory\" (book/src/01-add.md)";
pub const ADD_VECTORISED: &str = "book §1.3 \"Vectorised: X + Y\" (book/src/01-add.md)";
pub const ADD_IN_PLACE: &str = "book §1.4 \"In place: no allocation\" (book/src/01-add.md)";
pub const ADD_SECOND_CORE: &str = "book §1.5 \"A second core\" (book/src/01-add.md)";
pub const ADD_CHECKED: &str = "book §1.6 \"Overflow: a choice to make\" (book/src/01-add.md)";

/// Section 02, `book/src/02-smooth.md`.
pub const SMOOTH_CONTRACT: &str = "book §2.0 \"The contract\" (book/src/02-smooth.md)";
pub const SMOOTH_NAIVE: &str = "book §2.1 \"A faithful port\" (book/src/02-smooth.md)";
pub const SMOOTH_OPTIMISED: &str =
    "book §2.3 \"A kernel for the cache and for SIMD\" (book/src/02-smooth.md)";
pub const SMOOTH_PARALLEL: &str = "book §2.4 \"Rows across cores\" (book/src/02-smooth.md)";

/// Section 03, `book/src/03-pipeline.md`.
pub const PIPELINE_LOAD: &str =
    "book §3.1 \"Stage 1: images from an index\" (book/src/03-pipeline.md)";
pub const PIPELINE_FFT: &str = "book §3.2 \"Stage 3: the 2-D FFT\" (book/src/03-pipeline.md)";
pub const PIPELINE_SEQUENTIAL: &str =
    "book §3.3 \"The sequential pipeline\" (book/src/03-pipeline.md)";
pub const PIPELINE_WORKSPACE: &str = "book §3.4 \"Where the time goes\" (book/src/03-pipeline.md)";
pub const PIPELINE_PARALLEL: &str =
    "book §3.5 \"Whole images on every core\" (book/src/03-pipeline.md)";
pub const PIPELINE_MEASURE: &str = "book §3.6 \"Measuring it\" (book/src/03-pipeline.md)";

/// Section 04, `book/src/04-local-cluster.md`.
/// The scheduler is written in five steps, one section each: §4.2 (step 1) to §4.6 (step 5).
pub const CLUSTER_DISPATCH: &str = "book §4.2 \"Handing out work\" (book/src/04-local-cluster.md)";
pub const CLUSTER_GRAPH: &str = "book §4.3 \"The task graph\" (book/src/04-local-cluster.md)";
pub const CLUSTER_RELEASE: &str =
    "book §4.4 \"Futures and releasing results\" (book/src/04-local-cluster.md)";
pub const CLUSTER_FAILURE: &str = "book §4.5 \"When a task fails\" (book/src/04-local-cluster.md)";
pub const CLUSTER_CLOSE: &str =
    "book §4.6 \"fire_and_forget and close\" (book/src/04-local-cluster.md)";
pub const CLUSTER_STREAM: &str =
    "book §4.7 \"Reading the task stream\" (book/src/04-local-cluster.md)";
pub const CLUSTER_PIPELINE: &str =
    "book §4.8 \"The pipeline on the cluster\" (book/src/04-local-cluster.md)";

/// Section 05, `book/src/05-chunked.md`.
pub const CHUNKED_HALO: &str = "book §5.1 \"The halo\" (book/src/05-chunked.md)";
pub const CHUNKED_REDUCTION: &str = "book §5.2 \"The reduction tree\" (book/src/05-chunked.md)";
pub const CHUNKED_ORDER: &str = "book §5.3 \"The order of work\" (book/src/05-chunked.md)";

/// Section 06, `book/src/06-distributed.md`.
pub const DISTRIBUTED_ROUTING: &str =
    "book §6.2 \"Routing images to workers\" (book/src/06-distributed.md)";
pub const DISTRIBUTED_WORKER: &str =
    "book §6.3 \"The per-image operator\" (book/src/06-distributed.md)";
pub const DISTRIBUTED_GATHER: &str =
    "book §6.4 \"Gathering at worker 0\" (book/src/06-distributed.md)";
pub const DISTRIBUTED_FAILURE: &str =
    "book §6.5 \"When a process dies\" (book/src/06-distributed.md)";
