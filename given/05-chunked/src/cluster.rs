//! A third executor: section 04's local cluster. Each graph node becomes a task submitted
//! with its inputs' futures (`Client::submit_all`), so the graph's edges are the cluster's
//! dependencies and the cluster's scheduler decides what runs where.
//!
//! The results are bit-identical to the other executors' (the same tasks on the same
//! inputs). Memory is the scheduler's business here: the whole graph is submitted at once
//! and a result stays on the cluster while a later task still needs it, as in Dask, so the
//! bound of §5.3 holds only as far as the scheduler follows the submission order.

use std::fmt;

use given_04::{Client, ClusterError, Future};
use ndarray::{Array2, s};

use crate::array::ChunkedArray;
use crate::execute::check_order;
use crate::graph::{Graph, NodeId, Value};
use crate::grid::ChunkError;
use crate::summary::Summary;

/// Why a graph could not be run on the cluster.
#[derive(Debug, Clone, PartialEq)]
pub enum OnClusterError {
    /// The reduction could not be built ([`ChunkError::SplitEveryTooSmall`]).
    Chunk(ChunkError),
    /// The cluster refused a task, or a task failed (its panic message is in here).
    Cluster(ClusterError),
}

impl fmt::Display for OnClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OnClusterError::Chunk(e) => write!(f, "{e}"),
            OnClusterError::Cluster(e) => write!(f, "on the cluster: {e}"),
        }
    }
}

impl std::error::Error for OnClusterError {}

/// Submits the nodes of `order` to the cluster behind `client`, each with its inputs'
/// futures, then hands each output's value to `on_output` (with its position in
/// `outputs`) as it arrives. A node's future is dropped once its last consumer has been
/// submitted, so the cluster may forget its value once that consumer has run.
///
/// # Errors
/// [`ClusterError`] when the cluster refuses a submission (closed) or a task fails.
///
/// # Panics
/// If `order` is not a valid order for `outputs` (see [`check_order`]).
pub fn execute_on_cluster(
    graph: &Graph,
    outputs: &[NodeId],
    order: &[NodeId],
    client: &Client,
    mut on_output: impl FnMut(usize, &Value),
) -> Result<(), ClusterError> {
    if let Err(problem) = check_order(graph, outputs, order) {
        panic!(
            "execution order: {problem}\n  read: book §5.3 \"The order of work\" (book/src/05-chunked.md)"
        );
    }
    let mut remaining = graph.consumers(order);
    let mut futures: Vec<Option<Future<Value>>> = vec![None; graph.len()];
    let mut wanted: Vec<Option<Future<Value>>> = vec![None; outputs.len()];
    for &node in order {
        let inputs: Vec<Future<Value>> = graph
            .deps(node)
            .iter()
            .map(|&d| {
                futures[d]
                    .clone()
                    .expect("check_order: inputs are submitted first")
            })
            .collect();
        let task = graph.node(node).task.clone();
        let future =
            client.submit_all(&format!("node-{node}"), move |values| task(values), &inputs)?;
        drop(inputs);
        for &d in graph.deps(node) {
            remaining[d] -= 1;
            if remaining[d] == 0 {
                futures[d] = None;
            }
        }
        for (i, _) in outputs.iter().enumerate().filter(|(_, o)| **o == node) {
            wanted[i] = Some(future.clone());
        }
        if remaining[node] > 0 {
            futures[node] = Some(future);
        }
    }
    drop(futures);
    for (i, future) in wanted.into_iter().enumerate() {
        let value = future.expect("every output is in the order").result()?;
        on_output(i, &value);
    }
    Ok(())
}

impl ChunkedArray {
    /// The whole array in memory, computed on the cluster behind `client`.
    ///
    /// # Errors
    /// [`OnClusterError::Cluster`] when a task fails or the cluster is closed.
    ///
    /// # Panics
    /// If the order step returns an invalid order.
    pub fn compute_on_cluster(&self, client: &Client) -> Result<Array2<f64>, OnClusterError> {
        let mut out = Array2::zeros(self.shape());
        let regions: Vec<_> = self
            .grid()
            .indices()
            .map(|c| self.grid().region(c))
            .collect();
        let order = (self.steps().execution_order)(self.graph(), self.chunk_nodes());
        execute_on_cluster(self.graph(), self.chunk_nodes(), &order, client, |i, v| {
            let r = &regions[i];
            out.slice_mut(s![r.rows.clone(), r.cols.clone()])
                .assign(v.chunk());
        })
        .map_err(OnClusterError::Cluster)?;
        Ok(out)
    }

    /// Sum, count, minimum and maximum by the reduction tree, computed on the cluster.
    ///
    /// # Errors
    /// [`OnClusterError::Chunk`] when `split_every < 2`; [`OnClusterError::Cluster`] when a
    /// task fails or the cluster is closed.
    ///
    /// # Panics
    /// If the order step returns an invalid order.
    pub fn summary_on_cluster(
        &self,
        split_every: usize,
        client: &Client,
    ) -> Result<Summary, OnClusterError> {
        let (graph, root) = self.reduction(split_every).map_err(OnClusterError::Chunk)?;
        let order = (self.steps().execution_order)(&graph, &[root]);
        let mut result = Summary::EMPTY;
        execute_on_cluster(&graph, &[root], &order, client, |_, v| {
            result = *v.summary()
        })
        .map_err(OnClusterError::Cluster)?;
        Ok(result)
    }
}
