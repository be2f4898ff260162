//! The lazy task graph: one node per task (a chunk to load, map, assemble or reduce), an edge
//! per input. Building it computes nothing; an executor ([`crate::execute`]) runs it.

use std::sync::Arc;

use ndarray::Array2;

use crate::summary::Summary;

/// A node's position in its [`Graph`]. Nodes are numbered in the order they were added, so
/// every node's inputs have smaller ids than the node itself.
pub type NodeId = usize;

/// What a task produces: a chunk, or a partial result of a reduction.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Chunk(Array2<f64>),
    Summary(Summary),
}

impl Value {
    /// The chunk this value holds.
    ///
    /// # Panics
    /// If it is a [`Summary`]: a graph wired a reduction's output into a chunk operation.
    pub fn chunk(&self) -> &Array2<f64> {
        match self {
            Value::Chunk(c) => c,
            Value::Summary(_) => panic!("a task expected a chunk and was given a summary"),
        }
    }

    /// The summary this value holds.
    ///
    /// # Panics
    /// If it is a chunk: a graph wired a chunk into a reduction's combine step.
    pub fn summary(&self) -> &Summary {
        match self {
            Value::Summary(s) => s,
            Value::Chunk(_) => panic!("a task expected a summary and was given a chunk"),
        }
    }

    /// `true` for a chunk: the values the executors count when they bound memory.
    pub fn is_chunk(&self) -> bool {
        matches!(self, Value::Chunk(_))
    }
}

/// A task's work: its inputs' values, in the order of its dependencies, to its value.
pub type Task = Arc<dyn Fn(&[&Value]) -> Value + Send + Sync>;

/// What a node is, for pictures and for checks that look at the graph's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Makes a chunk from nothing (a seeded function, a slice of an in-memory array).
    Source,
    /// One chunk in, one chunk out (`map_blocks`).
    Map,
    /// A chunk and its neighbours in, one chunk out (`map_overlap`, `rechunk`).
    Overlap,
    /// One chunk in, its [`Summary`] out: a leaf of a reduction tree.
    Partial,
    /// Several summaries in, one out: an inner node of a reduction tree.
    Combine,
}

/// One task and the nodes whose values it reads.
#[derive(Clone)]
pub struct Node {
    pub kind: Kind,
    pub deps: Vec<NodeId>,
    pub task: Task,
}

/// The task graph (a DAG: a node only depends on nodes added before it).
#[derive(Clone, Default)]
pub struct Graph {
    nodes: Vec<Node>,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Graph {
        Graph::default()
    }

    /// Adds a task reading the values of `deps` and returns its id.
    ///
    /// # Panics
    /// If a dependency is not already in the graph (the graph must stay acyclic).
    pub fn add(&mut self, kind: Kind, deps: Vec<NodeId>, task: Task) -> NodeId {
        let id = self.nodes.len();
        if let Some(&bad) = deps.iter().find(|&&d| d >= id) {
            panic!("node {id} depends on node {bad}, which is not in the graph yet");
        }
        self.nodes.push(Node { kind, deps, task });
        id
    }

    /// Adds a combine node of a reduction tree: it reads the summaries of `parts` and merges
    /// them with `combine`.
    ///
    /// # Panics
    /// If a part is not already in the graph.
    pub fn add_combine(&mut self, parts: &[NodeId], combine: fn(&[Summary]) -> Summary) -> NodeId {
        self.add(
            Kind::Combine,
            parts.to_vec(),
            Arc::new(move |inputs: &[&Value]| {
                let summaries: Vec<Summary> = inputs.iter().map(|v| *v.summary()).collect();
                Value::Summary(combine(&summaries))
            }),
        )
    }

    /// The nodes whose values node `id` reads, in the order its task receives them.
    ///
    /// # Panics
    /// If `id` is not a node of this graph.
    pub fn deps(&self, id: NodeId) -> &[NodeId] {
        &self.nodes[id].deps
    }

    /// Node `id`.
    ///
    /// # Panics
    /// If `id` is not a node of this graph.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// `true` when the graph has no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// For each node, how many nodes of `needed` read it: an executor frees a value when
    /// this count reaches 0.
    pub fn consumers(&self, needed: &[NodeId]) -> Vec<usize> {
        let mut count = vec![0; self.nodes.len()];
        for &n in needed {
            for &d in &self.nodes[n].deps {
                count[d] += 1;
            }
        }
        count
    }
}
