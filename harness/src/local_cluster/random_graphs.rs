//! Step 5 (§4.6, the whole scheduler): random task graphs against a sequential oracle.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use given_04::{Future, fire_and_forget};
use proptest::collection::vec;
use proptest::prelude::*;

use super::support::bounded_cluster;
use super::{BOOK_GRAPH, ClusterApi, PROPERTY_WAIT};
use crate::properties;

/// One task of a random graph: its inputs (indices of earlier tasks, may repeat), its own
/// value, and what happens to its future once everything is submitted.
#[derive(Debug, Clone)]
pub struct RandomTask {
    pub inputs: Vec<usize>,
    pub seed: u64,
    pub fate: Fate,
}

/// What the test does with a task's future after submitting the whole graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Keeps it and checks its value.
    Keep,
    /// Drops it: the task may be forgotten unless something downstream needs it.
    Drop,
    /// Hands it to `fire_and_forget`: it must run before `close` returns.
    FireAndForget,
}

/// A random graph: 1 to 4 workers, 1 to 40 tasks, each with up to 4 inputs among the
/// tasks before it (fan-in, fan-out, repeated inputs and chains all appear).
pub fn random_graph() -> impl Strategy<Value = (usize, Vec<RandomTask>)> {
    let task = (
        vec(any::<usize>(), 0..=4),
        0_u64..1000,
        prop_oneof![3 => Just(Fate::Keep), 1 => Just(Fate::Drop), 1 => Just(Fate::FireAndForget)],
    );
    (1_usize..=4, vec(task, 1..=40)).prop_map(|(workers, tasks)| {
        let tasks = tasks
            .into_iter()
            .enumerate()
            .map(|(i, (raw, seed, fate))| RandomTask {
                inputs: if i == 0 {
                    Vec::new()
                } else {
                    raw.iter().map(|r| r % i).collect()
                },
                seed,
                fate,
            })
            .collect();
        (workers, tasks)
    })
}

/// A task's value from its seed and its inputs, in order (so a swapped input shows).
pub fn combine(seed: u64, inputs: &[&u64]) -> u64 {
    inputs
        .iter()
        .fold(seed, |acc, &&x| acc.wrapping_mul(1_000_003).wrapping_add(x))
}

/// The oracle: every task's value, evaluated in submission order on one thread.
pub fn sequential_values(tasks: &[RandomTask]) -> Vec<u64> {
    let mut values: Vec<u64> = Vec::with_capacity(tasks.len());
    for t in tasks {
        let inputs: Vec<&u64> = t.inputs.iter().map(|&i| &values[i]).collect();
        let v = combine(t.seed, &inputs);
        values.push(v);
    }
    values
}

/// Runs one random graph on a cluster; `Err` says what went wrong.
pub fn run_random_graph(
    api: &ClusterApi,
    workers: usize,
    tasks: &[RandomTask],
) -> Result<(), String> {
    let expected = sequential_values(tasks);
    let runs: Arc<Vec<AtomicUsize>> =
        Arc::new((0..tasks.len()).map(|_| AtomicUsize::new(0)).collect());
    let cluster = bounded_cluster(api, workers, PROPERTY_WAIT);
    let client = cluster.client();
    let mut futures: Vec<Future<u64>> = Vec::with_capacity(tasks.len());
    for (i, t) in tasks.iter().enumerate() {
        let inputs: Vec<Future<u64>> = t.inputs.iter().map(|&j| futures[j].clone()).collect();
        let (seed, runs) = (t.seed, Arc::clone(&runs));
        let future = client
            .submit_all(
                "t",
                move |xs: &[&u64]| {
                    runs[i].fetch_add(1, Ordering::SeqCst);
                    combine(seed, xs)
                },
                &inputs,
            )
            .map_err(|e| format!("submitting task {i}: {e}"))?;
        futures.push(future);
    }
    let keys: Vec<String> = futures.iter().map(|f| f.key().to_string()).collect();
    // A task must run if its future is kept or fire-and-forgotten, or if such a task
    // needs it, directly or further down.
    let mut must_run: Vec<bool> = tasks.iter().map(|t| t.fate != Fate::Drop).collect();
    for i in (0..tasks.len()).rev() {
        if must_run[i] {
            for &j in &tasks[i].inputs {
                must_run[j] = true;
            }
        }
    }
    let mut kept = Vec::new();
    for (i, (future, t)) in futures.into_iter().zip(tasks).enumerate() {
        match t.fate {
            Fate::Keep => kept.push((i, future)),
            Fate::Drop => drop(future),
            Fate::FireAndForget => fire_and_forget(future),
        }
    }
    for (i, future) in &kept {
        match future.result_timeout(PROPERTY_WAIT) {
            Ok(v) if *v == expected[*i] => {}
            Ok(v) => {
                return Err(format!(
                    "task {i} ({}): expected {}, got {v}",
                    keys[*i], expected[*i]
                ));
            }
            Err(e) => {
                return Err(format!(
                    "task {i} ({}): expected {}, got the error: {e}",
                    keys[*i], expected[*i]
                ));
            }
        }
    }
    cluster
        .close_timeout(PROPERTY_WAIT)
        .map_err(|e| format!("close: {e}"))?;
    for (i, count) in runs.iter().enumerate() {
        let count = count.load(Ordering::SeqCst);
        if count > 1 {
            return Err(format!(
                "task {i} ({}) ran {count} times; every task runs at most once",
                keys[i]
            ));
        }
        if must_run[i] && count == 0 {
            return Err(format!(
                "task {i} ({}) never ran, but {:?} or something downstream needed it",
                keys[i], tasks[i].fate
            ));
        }
    }
    let stream = cluster.task_stream();
    let ends: HashMap<&str, Duration> = stream.iter().map(|r| (&*r.key, r.end)).collect();
    for r in &stream {
        let i: usize = keys
            .iter()
            .position(|k| **k == *r.key)
            .unwrap_or(usize::MAX);
        if i == usize::MAX {
            continue;
        }
        for &j in &tasks[i].inputs {
            match ends.get(keys[j].as_str()) {
                Some(&end) if end <= r.start => {}
                Some(&end) => {
                    return Err(format!(
                        "task {i} ({}) started at {:?}, before its input {} finished at {end:?}",
                        r.key, r.start, keys[j]
                    ));
                }
                None => {
                    return Err(format!(
                        "task {i} ({}) started at {:?}, before its input {} had run at all",
                        r.key, r.start, keys[j]
                    ));
                }
            }
        }
        if !r.succeeded {
            return Err(format!(
                "task {i} ({}) failed on worker {}; none of these tasks can fail",
                r.key, r.worker
            ));
        }
    }
    Ok(())
}

/// Random task graphs on 1–4 workers: every kept result equals a sequential evaluation,
/// every task runs at most once and every needed task exactly once, fire-and-forget tasks
/// finish before `close` returns, and no task starts before its inputs finished (read from
/// the task stream).
pub fn properties_step5_random_graphs_match_sequential_evaluation(api: &ClusterApi) {
    // A fixed graph first, run before any random one, so that a stub fails with its
    // own message rather than inside the property runner.
    let diamond = vec![
        RandomTask {
            inputs: vec![],
            seed: 1,
            fate: Fate::Drop,
        },
        RandomTask {
            inputs: vec![0],
            seed: 2,
            fate: Fate::Drop,
        },
        RandomTask {
            inputs: vec![0],
            seed: 3,
            fate: Fate::Keep,
        },
        RandomTask {
            inputs: vec![1, 2, 1],
            seed: 4,
            fate: Fate::FireAndForget,
        },
        RandomTask {
            inputs: vec![3, 2],
            seed: 5,
            fate: Fate::Keep,
        },
    ];
    if let Err(report) = run_random_graph(api, 2, &diamond) {
        panic!("properties: a diamond-shaped graph: {report}\n  read: {BOOK_GRAPH}");
    }
    properties::check(
        "properties: random task graphs",
        BOOK_GRAPH,
        &["workers", "tasks"],
        random_graph(),
        |(workers, tasks)| run_random_graph(api, workers, &tasks),
    );
}
