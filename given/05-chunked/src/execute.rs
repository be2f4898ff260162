//! Running a task graph: in a given order, one task at a time or on rayon's threads, freeing
//! each value as soon as its last consumer has run.
//!
//! Both executors run the same tasks on the same inputs (a reduction tree fixes the order
//! its partial results are merged in), so their results are bit-identical.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;
use std::sync::mpsc;

use crate::graph::{Graph, NodeId, Value};

/// Where a graph's tasks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Executor {
    /// One task after another on the calling thread, in the order given.
    Sequential,
    /// On rayon's global pool: tasks start in the order given, as soon as their inputs are
    /// ready, at most [`in_flight_limit`] at a time.
    Rayon,
}

/// What a run cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Tasks run.
    pub tasks_run: usize,
    /// The most chunks held at once: kept for a later consumer, being computed, or just made.
    /// (Summaries are a few bytes and not counted.)
    pub peak_chunks: usize,
}

/// The rayon executor's bound on tasks running at once: two per thread keeps every thread
/// busy while one result travels back, without racing ahead of the order.
pub fn in_flight_limit() -> usize {
    2 * rayon::current_num_threads()
}

const BOOK_ORDER: &str = "book §5.3 \"The order of work\" (book/src/05-chunked.md)";

/// Checks that `order` runs exactly the nodes `outputs` need, each once, every input before
/// its consumer.
///
/// # Errors
/// A sentence naming the first node that breaks the rule.
pub fn check_order(graph: &Graph, outputs: &[NodeId], order: &[NodeId]) -> Result<(), String> {
    let mut needed = vec![false; graph.len()];
    let mut stack: Vec<NodeId> = outputs.to_vec();
    while let Some(n) = stack.pop() {
        if n >= graph.len() {
            return Err(format!("output {n} is not a node of the graph"));
        }
        if !needed[n] {
            needed[n] = true;
            stack.extend_from_slice(graph.deps(n));
        }
    }
    let mut position: Vec<Option<usize>> = vec![None; graph.len()];
    for (at, &n) in order.iter().enumerate() {
        if n >= graph.len() {
            return Err(format!(
                "the order names node {n}, but the graph has {} nodes",
                graph.len()
            ));
        }
        if let Some(first) = position[n] {
            return Err(format!(
                "the order runs node {n} twice (at positions {first} and {at})"
            ));
        }
        if !needed[n] {
            return Err(format!(
                "the order runs node {n}, which no output needs (wasted work and memory)"
            ));
        }
        if let Some(&d) = graph.deps(n).iter().find(|&&d| position[d].is_none()) {
            return Err(format!(
                "the order runs node {n} at position {at} before its input {d}"
            ));
        }
        position[n] = Some(at);
    }
    if let Some(missing) = (0..graph.len()).find(|&n| needed[n] && position[n].is_none()) {
        return Err(format!(
            "the order never runs node {missing}, which an output needs"
        ));
    }
    Ok(())
}

/// Runs the nodes of `order` with `executor` and hands each output's value to `on_output`
/// (with its position in `outputs`) as soon as it is made. A value is dropped once its last
/// consumer in `order` has run and, for an output, once `on_output` has seen it.
///
/// # Panics
/// If `order` is not a valid order for `outputs` ([`check_order`]'s message); if a task
/// panics (its panic, re-raised on the calling thread).
pub fn execute(
    graph: &Graph,
    outputs: &[NodeId],
    order: &[NodeId],
    executor: Executor,
    on_output: impl FnMut(usize, &Value),
) -> Stats {
    if let Err(problem) = check_order(graph, outputs, order) {
        panic!("execution order: {problem}\n  read: {BOOK_ORDER}");
    }
    // A rayon worker that blocked here waiting for tasks queued behind it could wait forever.
    if executor == Executor::Sequential || rayon::current_thread_index().is_some() {
        sequential(graph, outputs, order, on_output)
    } else {
        parallel(graph, outputs, order, on_output)
    }
}

/// The bookkeeping both executors share: values kept for later consumers, and the count of
/// chunks alive.
struct Store<'g> {
    graph: &'g Graph,
    values: Vec<Option<Arc<Value>>>,
    remaining: Vec<usize>,
    outputs_of: HashMap<NodeId, Vec<usize>>,
    live_chunks: usize,
    stats: Stats,
}

impl<'g> Store<'g> {
    fn new(graph: &'g Graph, outputs: &[NodeId], order: &[NodeId]) -> Store<'g> {
        let mut outputs_of: HashMap<NodeId, Vec<usize>> = HashMap::new();
        for (i, &n) in outputs.iter().enumerate() {
            outputs_of.entry(n).or_default().push(i);
        }
        Store {
            graph,
            values: vec![None; graph.len()],
            remaining: graph.consumers(order),
            outputs_of,
            live_chunks: 0,
            stats: Stats::default(),
        }
    }

    fn inputs(&self, node: NodeId) -> Vec<Arc<Value>> {
        self.graph
            .deps(node)
            .iter()
            .map(|&d| {
                Arc::clone(
                    self.values[d]
                        .as_ref()
                        .expect("check_order: inputs run first"),
                )
            })
            .collect()
    }

    /// Takes in the value `node` produced: hands it out, keeps it if a consumer is still to
    /// run, and drops the inputs whose last consumer this was.
    fn finish(&mut self, node: NodeId, value: Value, on_output: &mut impl FnMut(usize, &Value)) {
        self.stats.tasks_run += 1;
        let is_chunk = value.is_chunk();
        if is_chunk {
            self.live_chunks += 1;
            self.stats.peak_chunks = self.stats.peak_chunks.max(self.live_chunks);
        }
        if let Some(positions) = self.outputs_of.get(&node) {
            for &p in positions {
                on_output(p, &value);
            }
        }
        for &d in self.graph.deps(node) {
            self.remaining[d] -= 1;
            if self.remaining[d] == 0
                && let Some(v) = self.values[d].take()
                && v.is_chunk()
            {
                self.live_chunks -= 1;
            }
        }
        if self.remaining[node] > 0 {
            self.values[node] = Some(Arc::new(value));
        } else if is_chunk {
            self.live_chunks -= 1;
        }
    }
}

fn sequential(
    graph: &Graph,
    outputs: &[NodeId],
    order: &[NodeId],
    mut on_output: impl FnMut(usize, &Value),
) -> Stats {
    let mut store = Store::new(graph, outputs, order);
    for &node in order {
        let inputs = store.inputs(node);
        let refs: Vec<&Value> = inputs.iter().map(|v| v.as_ref()).collect();
        let value = (graph.node(node).task)(&refs);
        drop(refs);
        drop(inputs);
        store.finish(node, value, &mut on_output);
    }
    store.stats
}

/// How far past the first task not yet started the rayon executor looks for tasks whose
/// inputs are ready: far enough to find work for every thread, near enough to follow the
/// order (and so its memory bound).
fn lookahead() -> usize {
    4 * in_flight_limit()
}

fn parallel(
    graph: &Graph,
    outputs: &[NodeId],
    order: &[NodeId],
    mut on_output: impl FnMut(usize, &Value),
) -> Stats {
    let mut store = Store::new(graph, outputs, order);
    let (send, receive) = mpsc::channel::<(NodeId, std::thread::Result<Value>)>();
    let mut started = vec![false; order.len()];
    let mut done = vec![false; graph.len()];
    let mut first_unstarted = 0;
    let mut in_flight = 0;
    let mut finished = 0;
    while finished < order.len() {
        let mut at = first_unstarted;
        while in_flight < in_flight_limit()
            && at < order.len()
            && at < first_unstarted + lookahead()
        {
            let node = order[at];
            if !started[at] && graph.deps(node).iter().all(|&d| done[d]) {
                started[at] = true;
                in_flight += 1;
                let inputs = store.inputs(node);
                let task = Arc::clone(&graph.node(node).task);
                let send = send.clone();
                rayon::spawn(move || {
                    let result = catch_unwind(AssertUnwindSafe(|| {
                        let refs: Vec<&Value> = inputs.iter().map(|v| v.as_ref()).collect();
                        task(&refs)
                    }));
                    drop(inputs);
                    // The receiver is gone only if another task panicked; nothing to tell.
                    let _ = send.send((node, result));
                });
            }
            at += 1;
        }
        while first_unstarted < order.len() && started[first_unstarted] {
            first_unstarted += 1;
        }
        let (node, result) = receive.recv().expect("a task in flight holds a sender");
        in_flight -= 1;
        finished += 1;
        match result {
            Ok(value) => {
                done[node] = true;
                store.finish(node, value, &mut on_output);
            }
            Err(payload) => resume_unwind(payload),
        }
    }
    store.stats
}
