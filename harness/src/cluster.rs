//! Section 04 checks: a local cluster's scheduler.
//!
//! The runtime (threads, client, futures) is given; what a learner writes is the
//! [`Scheduler`] the cluster runs with. So the section's API is one function pointer, the
//! scheduler's constructor, and every check builds real clusters with it and submits real
//! task graphs. Every wait is bounded ([`WAIT`], [`CLOSE_WAIT`]): a scheduler that loses a
//! task fails a check with a `Timeout` instead of hanging the test run.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use given_04::{
    Client, ClusterError, Future, LocalCluster, NewScheduler, TaskRecord, fire_and_forget,
    run_on_cluster, wait,
};
use proptest::collection::vec;
use proptest::prelude::*;
use solution_03::{PipelineConfig, run_sequential};

use crate::properties;
use crate::timing::{Sample, interleaved};

/// Section 04's public API: the scheduler a cluster is built with. Building one from a
/// crate (see [`cluster_checks!`](crate::cluster_checks)) fails to compile if
/// `new_scheduler` is missing or has a different signature.
#[derive(Clone, Copy)]
pub struct ClusterApi {
    pub new_scheduler: NewScheduler,
}

/// Instantiates every section 04 check as a `#[test]` for the crate `$krate`.
///
/// ```ignore
/// harness::cluster_checks!(exercise_04);
/// ```
/// Section 04's API of the crate `$krate`, as a [`ClusterApi`] value.
#[macro_export]
macro_rules! cluster_api {
    ($krate:ident) => {
        $crate::cluster::ClusterApi {
            new_scheduler: $krate::new_scheduler,
        }
    };
}

#[macro_export]
macro_rules! cluster_checks {
    ($krate:ident) => {
        const API: $crate::cluster::ClusterApi = $crate::cluster_api!($krate);
        $crate::instantiate_checks!(cluster, API;
            correctness_results_of_a_small_graph,
            correctness_a_failing_task_errors_its_dependants,
            correctness_cancel_close_and_zero_workers,
            properties_random_graphs_match_sequential_evaluation,
            mechanism_fire_and_forget_work_finishes_before_close,
            mechanism_dropping_a_future_releases_its_result,
            mechanism_work_spreads_over_the_workers,
            mechanism_ten_thousand_tasks_without_deadlock,
            mechanism_dashboard_and_task_stream,
            mechanism_oldest_ready_task_runs_first,
            correctness_pipeline_checksums_match_the_sequential_run;
            timing: timing_scheduler_cost_per_task_does_not_grow,
        );
    };
}

/// Where to read about each part of the scheduler.
pub const BOOK_GRAPH: &str = "book §4.2 \"The task graph\" (book/src/04-local-cluster.md)";
pub const BOOK_DISPATCH: &str = "book §4.3 \"Handing out work\" (book/src/04-local-cluster.md)";
pub const BOOK_RELEASE: &str =
    "book §4.4 \"Futures and releasing results\" (book/src/04-local-cluster.md)";
pub const BOOK_FAILURE: &str = "book §4.5 \"When a task fails\" (book/src/04-local-cluster.md)";
pub const BOOK_CLOSE: &str =
    "book §4.6 \"fire_and_forget and close\" (book/src/04-local-cluster.md)";
pub const BOOK_PIPELINE: &str =
    "book §4.8 \"The pipeline on the cluster\" (book/src/04-local-cluster.md)";
pub const BOOK_STREAM: &str =
    "book §4.7 \"Reading the task stream\" (book/src/04-local-cluster.md)";

/// The longest a check waits for results. A correct scheduler needs milliseconds; this
/// only turns a lost task into a failure instead of a hang.
pub const WAIT: Duration = Duration::from_secs(20);
/// The longest a check waits for `close`.
pub const CLOSE_WAIT: Duration = Duration::from_secs(20);
/// The longest a random graph (at most 40 trivial tasks) waits for results and for
/// `close`: shorter, because proptest may run a failing graph dozens of times while it
/// shrinks it.
pub const PROPERTY_WAIT: Duration = Duration::from_secs(5);

/// A cluster that closes with a bounded wait when dropped, even when a check panics
/// midway (the cluster's own `Drop` would wait without limit).
pub struct Bounded {
    pub cluster: LocalCluster,
    /// How long `Drop` waits for `close`.
    pub close_limit: Duration,
}

impl Drop for Bounded {
    fn drop(&mut self) {
        let _ = self.cluster.close_timeout(self.close_limit);
    }
}

impl std::ops::Deref for Bounded {
    type Target = LocalCluster;
    fn deref(&self) -> &LocalCluster {
        &self.cluster
    }
}

/// A cluster of `workers` workers scheduled by `api`'s scheduler, closed within
/// `close_limit` when dropped.
pub fn bounded_cluster(api: &ClusterApi, workers: usize, close_limit: Duration) -> Bounded {
    match LocalCluster::with_scheduler(workers, api.new_scheduler) {
        Ok(cluster) => Bounded {
            cluster,
            close_limit,
        },
        Err(e) => panic!("could not start a cluster of {workers} workers: {e}"),
    }
}

/// A cluster of one worker scheduled by `api`'s scheduler.
fn cluster_of_one(api: &ClusterApi) -> Bounded {
    cluster(api, 1)
}

/// A cluster of `workers` workers scheduled by `api`'s scheduler.
pub fn cluster(api: &ClusterApi, workers: usize) -> Bounded {
    bounded_cluster(api, workers, CLOSE_WAIT)
}

/// Submits, turning a refusal into a panic that says which task and where to read.
#[track_caller]
fn ok<T>(what: &str, book: &str, submitted: Result<T, ClusterError>) -> T {
    submitted.unwrap_or_else(|e| panic!("{what}: the cluster refused it: {e}\n  read: {book}"))
}

/// Waits (bounded) for a future's value and compares it with `expected`.
#[track_caller]
fn expect_value<T>(what: &str, book: &str, future: &Future<T>, expected: &T)
where
    T: Send + Sync + PartialEq + std::fmt::Debug + 'static,
{
    match future.result_timeout(WAIT) {
        Ok(value) if *value == *expected => {}
        Ok(value) => panic!(
            "{what} ({}): expected {expected:?}, got {value:?}\n  read: {book}",
            future.key()
        ),
        Err(e) => panic!(
            "{what} ({}): expected the value {expected:?}, got the error: {e}\n  read: {book}",
            future.key()
        ),
    }
}

/// Waits (bounded) for a future and requires exactly the error `expected`.
#[track_caller]
fn expect_error<T>(what: &str, book: &str, future: &Future<T>, expected: &ClusterError)
where
    T: Send + Sync + std::fmt::Debug + 'static,
{
    match future.result_timeout(WAIT) {
        Err(e) if e == *expected => {}
        Err(e) => {
            panic!("{what}: expected the error\n    {expected}\n  got\n    {e}\n  read: {book}")
        }
        Ok(value) => panic!(
            "{what}: expected the error\n    {expected}\n  but {} returned {value:?}\n  read: {book}",
            future.key()
        ),
    }
}

/// The task stream's records of `task`.
fn runs_of(stream: &[TaskRecord], key: &str) -> usize {
    stream.iter().filter(|r| &*r.key == key).count()
}

// --- correctness ---------------------------------------------------------------------------

/// A small graph with every shape: independent tasks, a chain, fan-in, the same input
/// twice, a dependant submitted after its input finished, and `map`.
pub fn correctness_results_of_a_small_graph(api: &ClusterApi) {
    let cluster = cluster(api, 2);
    let client = cluster.client();
    let b = BOOK_GRAPH;
    let a = ok("submit a", b, client.submit("a", || 2_u64));
    let bb = ok("submit b", b, client.submit("b", || 3_u64));
    let c = ok(
        "submit add(a, b)",
        b,
        client.submit2("add", |x: &u64, y: &u64| x + y, &a, &bb),
    );
    let d = ok(
        "submit times10(c)",
        b,
        client.submit1("times10", |c: &u64| c * 10, &c),
    );
    let inputs = [a.clone(), bb.clone(), c.clone(), d.clone()];
    let e = ok(
        "submit sum(a, b, c, d)",
        b,
        client.submit_all(
            "sum",
            |xs: &[&u64]| xs.iter().copied().sum::<u64>(),
            &inputs,
        ),
    );
    let f = ok(
        "submit square(c, c)",
        b,
        client.submit2("square", |x: &u64, y: &u64| x * y, &c, &c),
    );
    let squares = ok(
        "map square over 0..20",
        b,
        client.map("sq", |i: u64| i * i, 0..20_u64),
    );
    // `wait` returns once every future is done; then each is done without blocking.
    let all = [
        a.clone(),
        bb.clone(),
        c.clone(),
        d.clone(),
        e.clone(),
        f.clone(),
    ];
    if let Err(err) = wait(&all, WAIT) {
        panic!("wait on six tasks of a small graph: {err}\n  read: {b}");
    }
    if let Some(undone) = all.iter().find(|x| !x.done()) {
        panic!(
            "wait returned, but {} is not done\n  read: {b}",
            undone.key()
        );
    }
    expect_value("a task with no inputs", b, &a, &2);
    expect_value("add(a, b)", b, &c, &5);
    expect_value("times10(add(a, b)): a chain", b, &d, &50);
    expect_value("sum(a, b, c, d): fan-in", b, &e, &60);
    expect_value("square(c, c): the same input twice", b, &f, &25);
    // Its input is already in memory when it is submitted: it must not wait for it.
    let late = ok(
        "submit late(d)",
        b,
        client.submit1("late", |d: &u64| d + 1, &d),
    );
    expect_value("a task whose input had already finished", b, &late, &51);
    for (i, sq) in squares.iter().enumerate() {
        expect_value("client.map", b, sq, &((i * i) as u64));
    }
    let stream = cluster.task_stream();
    for future in [a.key(), c.key(), d.key(), e.key(), late.key()] {
        let runs = runs_of(&stream, future);
        assert!(
            runs == 1,
            "{future} ran {runs} times; every task must run exactly once\n  read: {b}"
        );
    }
}

/// A panicking task, a task returning an error: each resolves to an error naming it, its
/// dependants to errors naming it, unrelated tasks are untouched, and the cluster (every
/// worker) keeps working afterwards.
pub fn correctness_a_failing_task_errors_its_dependants(api: &ClusterApi) {
    let cluster = cluster(api, 2);
    let client = cluster.client();
    let b = BOOK_FAILURE;
    let boom = ok(
        "submit boom",
        b,
        client.submit("boom", || -> u64 { panic!("boom went the task") }),
    );
    let child = ok(
        "submit child(boom)",
        b,
        client.submit1("child", |x: &u64| x + 1, &boom),
    );
    let grandchild = ok(
        "submit grandchild(child)",
        b,
        client.submit1("grandchild", |x: &u64| x + 1, &child),
    );
    let sibling = ok("submit sibling", b, client.submit("sibling", || 7_u64));
    let parse = ok(
        "submit parse",
        b,
        client.try_submit("parse", || "not a number".parse::<u64>()),
    );
    let after_parse = ok(
        "submit double(parse)",
        b,
        client.submit1("double", |x: &u64| x * 2, &parse),
    );

    match boom.result_timeout(WAIT) {
        Err(ClusterError::Failed { task, message })
            if task == boom.key() && message.contains("boom went the task") => {}
        other => panic!(
            "a panicking task: expected Failed {{ task: {}, message: \"panicked: boom went the task\" }}, got {other:?}\n  read: {b}",
            boom.key()
        ),
    }
    let dependency = boom.key().to_string();
    expect_error(
        "the dependant of a panicking task",
        b,
        &child,
        &ClusterError::DependencyFailed {
            task: child.key().into(),
            dependency: dependency.clone(),
        },
    );
    expect_error(
        "a task two steps downstream of a panicking task (the error names the task that failed)",
        b,
        &grandchild,
        &ClusterError::DependencyFailed {
            task: grandchild.key().into(),
            dependency: dependency.clone(),
        },
    );
    expect_value("a task unrelated to the failure", b, &sibling, &7);
    match parse.result_timeout(WAIT) {
        Err(ClusterError::Failed { task, message })
            if task == parse.key() && message.contains("invalid digit") => {}
        other => panic!(
            "a task that returns Err: expected Failed {{ task: {}, message: \"invalid digit…\" }}, got {other:?}\n  read: {b}",
            parse.key()
        ),
    }
    expect_error(
        "the dependant of a task that returned an error",
        b,
        &after_parse,
        &ClusterError::DependencyFailed {
            task: after_parse.key().into(),
            dependency: parse.key().into(),
        },
    );
    // Submitted after its input is known to have failed.
    let late = ok(
        "submit late(boom)",
        b,
        client.submit1("late", |x: &u64| x + 1, &boom),
    );
    expect_error(
        "a task submitted after its input had failed",
        b,
        &late,
        &ClusterError::DependencyFailed {
            task: late.key().into(),
            dependency,
        },
    );
    // The workers survived: both still run tasks.
    let since = cluster
        .task_stream()
        .iter()
        .map(|r| r.end)
        .max()
        .unwrap_or_default();
    let more = ok(
        "map after the failures",
        b,
        client.map(
            "after",
            |i: u64| {
                std::thread::sleep(Duration::from_millis(3));
                i
            },
            0..16_u64,
        ),
    );
    for (i, f) in more.iter().enumerate() {
        expect_value("a task submitted after the failures", b, f, &(i as u64));
    }
    let workers: HashSet<usize> = cluster
        .task_stream()
        .iter()
        .filter(|r| r.start >= since)
        .map(|r| r.worker)
        .collect();
    assert!(
        workers.len() == 2,
        "after the failures only worker(s) {workers:?} ran tasks; a failure must leave the \
         worker idle and usable (the scheduler must hear that it finished)\n  read: {b}"
    );
}

/// `cancel` of a task not yet started, and of one already done; submitting after close;
/// closing twice; a cluster of zero workers.
pub fn correctness_cancel_close_and_zero_workers(api: &ClusterApi) {
    let b = BOOK_FAILURE;
    let cluster = cluster(api, 1);
    let client = cluster.client();
    // Keep the only worker busy until the gate opens, so `x` cannot start.
    let (open, gate) = mpsc::channel::<()>();
    let blocker = ok(
        "submit blocker",
        b,
        client.submit("blocker", move || gate.recv_timeout(WAIT).is_ok()),
    );
    let x = ok("submit x", b, client.submit("x", || 1_u64));
    let y = ok("submit y(x)", b, client.submit1("y", |x: &u64| x + 1, &x));
    let cancelled = x.cancel();
    assert!(
        cancelled,
        "cancel() of {} returned false, but it had not started (the only worker was busy)\n  read: {b}",
        x.key()
    );
    expect_error(
        "waiting on a cancelled future",
        b,
        &x,
        &ClusterError::Cancelled {
            task: x.key().into(),
        },
    );
    expect_error(
        "the dependant of a cancelled task",
        b,
        &y,
        &ClusterError::DependencyFailed {
            task: y.key().into(),
            dependency: x.key().into(),
        },
    );
    let _ = open.send(());
    expect_value("the task that kept the worker busy", b, &blocker, &true);
    assert!(
        !blocker.cancel(),
        "cancel() of {}, which had finished, returned true\n  read: {b}",
        blocker.key()
    );
    let z = ok("submit z after a cancel", b, client.submit("z", || 3_u64));
    expect_value("a task submitted after a cancel", b, &z, &3);

    let b = BOOK_CLOSE;
    if let Err(e) = cluster.close_timeout(CLOSE_WAIT) {
        panic!("close: {e}\n  read: {b}");
    }
    match client.submit("too-late", || 0_u64) {
        Err(ClusterError::Closed) => {}
        other => panic!("submit after close: expected Err(Closed), got {other:?}\n  read: {b}"),
    }
    if let Err(e) = cluster.close_timeout(CLOSE_WAIT) {
        panic!("close must be idempotent, but a second close gave: {e}\n  read: {b}");
    }
    match LocalCluster::with_scheduler(0, api.new_scheduler) {
        Err(ClusterError::NoWorkers) => {}
        other => {
            panic!("a cluster of 0 workers: expected Err(NoWorkers), got {other:?}\n  read: {b}")
        }
    }
}

/// Section 03's pipeline on a cluster with your scheduler gives, image by image, the same
/// spectrum checksums as section 03's sequential run.
pub fn correctness_pipeline_checksums_match_the_sequential_run(api: &ClusterApi) {
    let b = BOOK_PIPELINE;
    let config = PipelineConfig::new(PIPELINE_CHECK_IMAGES, PIPELINE_CHECK_SHAPE);
    let cluster = cluster(api, 2);
    let on_cluster = run_on_cluster(&cluster, &config, WAIT)
        .unwrap_or_else(|e| panic!("the pipeline on the cluster failed: {e}\n  read: {b}"));
    let sequential = run_sequential(&config)
        .unwrap_or_else(|e| panic!("section 03's sequential run failed: {e}"))
        .checksums();
    let differ: Vec<String> = sequential
        .iter()
        .zip(&on_cluster.checksums)
        .filter(|(s, c)| s != c)
        .take(3)
        .map(|(s, c)| {
            format!(
                "image {}: sequential {:016x}, cluster {:016x} (image {})",
                s.0, s.1, c.1, c.0
            )
        })
        .collect();
    assert!(
        on_cluster.checksums.len() == sequential.len() && differ.is_empty(),
        "the pipeline on the cluster ({} images) does not match the sequential run ({} images) \
         of {PIPELINE_CHECK_IMAGES} images of {PIPELINE_CHECK_SHAPE:?}: {}\n  read: {b}",
        on_cluster.checksums.len(),
        sequential.len(),
        differ.join("; ")
    );
}

/// Images in the pipeline check: enough for both workers to take turns.
pub const PIPELINE_CHECK_IMAGES: u64 = 16;
/// A small image shape, so the check takes milliseconds (not a square: rows and columns
/// must not be swapped anywhere).
pub const PIPELINE_CHECK_SHAPE: (usize, usize) = (96, 64);

// --- properties ----------------------------------------------------------------------------

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
pub fn properties_random_graphs_match_sequential_evaluation(api: &ClusterApi) {
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
        random_graph(),
        |(workers, tasks)| run_random_graph(api, workers, &tasks),
    );
}

// --- mechanism -----------------------------------------------------------------------------

/// The tutorial's loop: load → smooth → save per image, every future but the last dropped
/// at once, the last handed to `fire_and_forget`. Every save must have run when `close`
/// returns.
pub fn mechanism_fire_and_forget_work_finishes_before_close(api: &ClusterApi) {
    const IMAGES: usize = 12;
    let b = BOOK_CLOSE;
    let cluster = cluster(api, 2);
    let client = cluster.client();
    let saved = Arc::new(AtomicUsize::new(0));
    // ANCHOR: tutorial_loop
    for i in 0..IMAGES as u64 {
        let img = ok(
            "submit load",
            b,
            client.submit("load", move || {
                std::thread::sleep(Duration::from_millis(2));
                i
            }),
        );
        let img = ok(
            "submit smooth",
            b,
            client.submit1("smooth", |x: &u64| x + 1, &img),
        );
        let saved = Arc::clone(&saved);
        let future = ok(
            "submit save",
            b,
            client.submit1(
                "save",
                move |_: &u64| {
                    std::thread::sleep(Duration::from_millis(2));
                    saved.fetch_add(1, Ordering::SeqCst);
                },
                &img,
            ),
        );
        fire_and_forget(future);
    }
    if let Err(e) = cluster.close_timeout(CLOSE_WAIT) {
        // ANCHOR_END: tutorial_loop
        panic!("close with fire-and-forget work pending: {e}\n  read: {b}");
    }
    let done = saved.load(Ordering::SeqCst);
    assert!(
        done == IMAGES,
        "after close returned, only {done} of {IMAGES} fire-and-forget saves had run; close must \
         wait for all the work that was submitted and is still wanted (nothing is silently lost)\n  read: {b}"
    );
}

/// Dropping the last future of a finished task frees its result at once; a result another
/// task still needs stays until that task has run.
pub fn mechanism_dropping_a_future_releases_its_result(api: &ClusterApi) {
    let b = BOOK_RELEASE;
    let cluster = cluster(api, 2);
    let client = cluster.client();
    let big = ok(
        "submit big",
        b,
        client.submit("big", || vec![7_u8; 1 << 20]),
    );
    let value = match big.result_timeout(WAIT) {
        Ok(v) => v,
        Err(e) => panic!("{}: {e}\n  read: {b}", big.key()),
    };
    let weak = Arc::downgrade(&value);
    drop(value);
    assert!(
        weak.upgrade().is_some(),
        "the result of {} was freed while its future was alive\n  read: {b}",
        big.key()
    );
    let key = big.key().to_string();
    drop(big);
    assert!(
        weak.upgrade().is_none(),
        "the last future of {key} was dropped, but its 1 MiB result is still held; a result nobody \
         can ask for must be forgotten (Action::Forget)\n  read: {b}"
    );

    // On a cluster of one worker, kept busy by `blocker`, `user` cannot start: when the
    // future of its input is dropped, only the scheduler's bookkeeping keeps the input.
    let single = cluster_of_one(api);
    let client = single.client();
    let input = ok(
        "submit input",
        b,
        client.submit("input", || vec![1_u8; 1 << 20]),
    );
    let weak = match input.result_timeout(WAIT) {
        Ok(v) => Arc::downgrade(&v),
        Err(e) => panic!("{}: {e}\n  read: {b}", input.key()),
    };
    let (open, gate) = mpsc::channel::<()>();
    let blocker = ok(
        "submit blocker",
        b,
        client.submit("blocker", move || gate.recv_timeout(WAIT).is_ok()),
    );
    let user = ok(
        "submit user(input)",
        b,
        client.submit1("user", |v: &Vec<u8>| v.len(), &input),
    );
    let input_key = input.key().to_string();
    drop(input);
    assert!(
        weak.upgrade().is_some(),
        "{input_key}'s result was freed when its future was dropped, but {} still needs it\n  read: {b}",
        user.key()
    );
    let _ = open.send(());
    expect_value("the task that kept the worker busy", b, &blocker, &true);
    expect_value(
        "a task whose input's future was dropped",
        b,
        &user,
        &(1 << 20),
    );
    // The input is forgotten when `user` finishes; give the runtime a moment to drop it.
    let deadline = Instant::now() + Duration::from_secs(2);
    while weak.upgrade().is_some() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(
        weak.upgrade().is_none(),
        "{input_key}'s result is still held after its only dependant {} finished and its future \
         was dropped\n  read: {b}",
        user.key()
    );
}

/// 24 tasks that each sleep 4 ms on 2 workers: both workers must take a fair share (an
/// idle worker gets the next ready task). Sleeping needs no core, so this holds on any
/// machine.
pub fn mechanism_work_spreads_over_the_workers(api: &ClusterApi) {
    const TASKS: u64 = 24;
    let b = BOOK_DISPATCH;
    let cluster = cluster(api, 2);
    let client = cluster.client();
    let futures = ok(
        "map nap",
        b,
        client.map(
            "nap",
            |i: u64| {
                std::thread::sleep(Duration::from_millis(4));
                i
            },
            0..TASKS,
        ),
    );
    for (i, f) in futures.iter().enumerate() {
        expect_value("a sleeping task", b, f, &(i as u64));
    }
    let stream = cluster.task_stream();
    let per_worker: Vec<usize> = (0..2)
        .map(|w| stream.iter().filter(|r| r.worker == w).count())
        .collect();
    assert!(
        per_worker.iter().all(|&n| n >= 6),
        "of {TASKS} equal tasks on 2 workers, the workers ran {per_worker:?}; the scheduler must \
         hand ready tasks to idle workers, not queue them all on one\n  read: {b}"
    );
    // While one worker ran a task, the other was busy too at some point: real overlap.
    let overlap = stream.iter().any(|r| {
        stream
            .iter()
            .any(|o| o.worker != r.worker && o.start < r.end && r.start < o.end)
    });
    assert!(
        overlap,
        "no two tasks ever ran at the same time on 2 workers\n  read: {b}"
    );
}

/// 10,000 tasks — 2,500 chains of four, summed in groups of 100 — finish within a bounded
/// time without deadlock, with the right sum, and `close` returns.
pub fn mechanism_ten_thousand_tasks_without_deadlock(api: &ClusterApi) {
    const CHAINS: u64 = 2_500;
    let b = BOOK_DISPATCH;
    let cluster = cluster(api, 4);
    let client = cluster.client();
    let mut ends = Vec::new();
    let mut sums = Vec::new();
    for i in 0..CHAINS {
        let x = ok("submit load", b, client.submit("load", move || i));
        let x = ok("submit inc", b, client.submit1("inc", |x: &u64| x + 1, &x));
        let x = ok(
            "submit double",
            b,
            client.submit1("double", |x: &u64| x * 2, &x),
        );
        let x = ok("submit dec", b, client.submit1("dec", |x: &u64| x - 1, &x));
        ends.push(x);
        if ends.len() == 100 {
            sums.push(ok(
                "submit sum",
                b,
                client.submit_all("sum", |xs: &[&u64]| xs.iter().copied().sum::<u64>(), &ends),
            ));
            ends.clear();
        }
    }
    let start = Instant::now();
    let total: u64 = match client.gather(&sums, WAIT) {
        Ok(values) => values.iter().map(|v| **v).sum(),
        Err(e) => panic!(
            "10,000 tasks did not all finish: {e}\n  (counts now: {:?})\n  read: {b}",
            cluster.counts()
        ),
    };
    let expected: u64 = (0..CHAINS).map(|i| 2 * (i + 1) - 1).sum();
    assert!(
        total == expected,
        "10,000 tasks: the sums add up to {total}, expected {expected}\n  read: {b}"
    );
    if let Err(e) = cluster.close_timeout(CLOSE_WAIT) {
        panic!("close after 10,000 tasks: {e}\n  read: {b}");
    }
    println!(
        "10,000 tasks gathered {:?} after the last submit",
        start.elapsed()
    );
}

/// One HTTP GET to 127.0.0.1 with timeouts; returns the body.
pub fn http_get(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("not an http URL: {url}"))?;
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    if !host.starts_with("127.0.0.1:") {
        return Err(format!(
            "the dashboard must listen on 127.0.0.1 only, its URL is {url}"
        ));
    }
    let address = host
        .to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or("no address")?;
    let mut stream =
        TcpStream::connect_timeout(&address, Duration::from_secs(2)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| e.to_string())?;
    let (head, body) = response.split_once("\r\n\r\n").ok_or("no HTTP header")?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!(
            "status line: {}",
            head.lines().next().unwrap_or("")
        ));
    }
    Ok(body.to_string())
}

/// The dashboard serves the tasks by state, the workers and the task stream on 127.0.0.1,
/// and the task-stream picture has one bar per task.
pub fn mechanism_dashboard_and_task_stream(api: &ClusterApi) {
    let b = BOOK_STREAM;
    let cluster = cluster(api, 2);
    let client = cluster.client();
    let futures = ok("map", b, client.map("square", |i: u64| i * i, 0..10_u64));
    for (i, f) in futures.iter().enumerate() {
        expect_value("a dashboard task", b, f, &((i * i) as u64));
    }
    let url = cluster
        .start_dashboard()
        .unwrap_or_else(|e| panic!("starting the dashboard: {e}\n  read: {b}"));
    let counts = http_get(&url.replace("/status", "/counts"))
        .unwrap_or_else(|e| panic!("GET /counts: {e}\n  read: {b}"));
    assert!(
        counts.contains("memory 10\n") && counts.contains("processing 0\n"),
        "the dashboard's counts after 10 finished tasks whose futures are held:\n{counts}\n  read: {b}"
    );
    let page = http_get(&url).unwrap_or_else(|e| panic!("GET {url}: {e}\n  read: {b}"));
    for needle in [
        "Tasks by state",
        "worker 0",
        "worker 1",
        "Task stream",
        "<svg",
    ] {
        assert!(
            page.contains(needle),
            "the status page has no \"{needle}\"\n  read: {b}"
        );
    }
    let path = std::env::temp_dir().join(format!("task-stream-check-{}.svg", std::process::id()));
    cluster
        .write_task_stream_svg(&path)
        .unwrap_or_else(|e| panic!("writing {}: {e}\n  read: {b}", path.display()));
    let svg = std::fs::read_to_string(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    let bars = svg.matches("<title>square-").count();
    assert!(
        bars == 10,
        "the task-stream picture has {bars} bars for 10 tasks\n  read: {b}"
    );
}

/// With one worker and ten chains load → smooth → save submitted at once, the scheduler
/// must finish the earliest chains first (the oldest ready task runs first), so that only
/// about one chain is in flight — not start all ten loads, which in the pipeline would
/// hold every image in memory at once.
pub fn mechanism_oldest_ready_task_runs_first(api: &ClusterApi) {
    const CHAINS: u64 = 10;
    let b = BOOK_DISPATCH;
    let cluster = cluster(api, 1);
    let client = cluster.client();
    let nap = || std::thread::sleep(Duration::from_millis(1));
    let mut saves = Vec::new();
    for i in 0..CHAINS {
        let img = ok(
            "submit load",
            b,
            client.submit("load", move || {
                nap();
                i
            }),
        );
        let img = ok(
            "submit smooth",
            b,
            client.submit1(
                "smooth",
                move |x: &u64| {
                    nap();
                    *x
                },
                &img,
            ),
        );
        saves.push(ok(
            "submit save",
            b,
            client.submit1(
                "save",
                move |x: &u64| {
                    nap();
                    *x
                },
                &img,
            ),
        ));
    }
    for (i, f) in saves.iter().enumerate() {
        expect_value("the save of a chain", b, f, &(i as u64));
    }
    // Walk the stream in order: a chain is in flight from its load's start to its save's end.
    let mut stream = cluster.task_stream();
    stream.sort_by_key(|r| r.start);
    let (mut in_flight, mut most) = (0_usize, 0_usize);
    let mut order = Vec::new();
    for r in &stream {
        match r.name() {
            "load" => in_flight += 1,
            "save" => in_flight = in_flight.saturating_sub(1),
            _ => {}
        }
        most = most.max(in_flight);
        order.push(r.name().to_string());
    }
    assert!(
        most <= 2,
        "with 1 worker, {most} of {CHAINS} chains were in flight at once; the run order began \
         {:?}. Run the oldest submission first (ready tasks in a min-heap of task ids), or a \
         pipeline loads every image before it saves any\n  read: {b}",
        &order[..order.len().min(8)]
    );
}

// --- timing ----------------------------------------------------------------------------------

/// Tasks in the small round of the scaling timing (chains of four behind one gate task);
/// the large round has [`SCALING_FACTOR`] times as many.
pub const OVERHEAD_TASKS: u64 = 1_000;
/// How many times more tasks the large round has.
pub const SCALING_FACTOR: u64 = 4;

/// One round of the scaling timing: a gate task holds back `tasks / 4` chains of 4 trivial
/// tasks until all are submitted, then lets them go, and the chains' ends are gathered.
/// Almost all of the time is scheduler and runtime overhead. The gate makes the graph
/// big at once, whatever the machine's load: a scheduler whose events cost O(waiting
/// tasks) then pays for it on every event.
pub fn overhead_round(client: &Client, tasks: u64) -> u64 {
    let (open, gate) = mpsc::channel::<()>();
    let root = client
        .submit("gate", move || gate.recv_timeout(WAIT).is_ok())
        .expect("submitting to a running cluster");
    let mut ends = Vec::new();
    for i in 0..tasks / 4 {
        let mut x = client
            .submit1("head", move |_: &bool| i, &root)
            .expect("submit");
        for _ in 0..3 {
            x = client.submit1("link", |x: &u64| x + 1, &x).expect("submit");
        }
        ends.push(x);
    }
    let _ = open.send(());
    let sum: u64 = client
        .gather(&ends, WAIT)
        .expect("gather")
        .iter()
        .map(|v| **v)
        .sum();
    sum
}

/// Your scheduler's cost per task must not grow with the size of the graph: rounds of
/// [`OVERHEAD_TASKS`] and of [`SCALING_FACTOR`] times as many trivial tasks
/// ([`overhead_round`]) on 2 workers, in alternation, compared per task. A scheduler whose
/// every event is O(1) or O(log n) keeps the per-task cost about the same; one that scans
/// its waiting tasks on every event pays [`SCALING_FACTOR`] times more per task in the
/// large round. The check compares your scheduler with itself, so it needs no reference
/// and is not thrown off by a slower or faster machine.
pub fn timing_scheduler_cost_per_task_does_not_grow(api: &ClusterApi) {
    let yours = cluster(api, 2);
    let client = yours.client();
    // The stub's todo! must be what a learner sees first.
    let _ = overhead_round(&client, 4);
    let large = OVERHEAD_TASKS * SCALING_FACTOR;
    let (large_per_small, small): (Sample, Sample) = interleaved(
        1,
        5,
        || overhead_round(&client, large),
        || overhead_round(&client, OVERHEAD_TASKS),
    );
    // Scale the large rounds to the small round's task count: equal medians mean an equal
    // cost per task.
    let large_per_small = large_per_small.scaled(1.0 / SCALING_FACTOR as f64);
    let ratio = small.median().as_secs_f64() / large_per_small.median().as_secs_f64().max(1e-12);
    let per_task = small.median().as_secs_f64() / OVERHEAD_TASKS as f64 * 1e6;
    if ratio < SCALING_AT_LEAST {
        panic!(
            "timing: per task, your scheduler was {:.1}x slower with {large} tasks than with \
             {OVERHEAD_TASKS} (allowed: {:.1}x)\n  {large} tasks, per {OVERHEAD_TASKS}: {large_per_small}\n  \
             {OVERHEAD_TASKS} tasks: {small}\n  {per_task:.1} µs per task in the small round; {}\n  \
             is some event scanning every task, or a queue operation O(n)?\n  read: {BOOK_DISPATCH}",
            1.0 / ratio,
            1.0 / SCALING_AT_LEAST,
            SCALING_MEASURED
        );
    }
    println!(
        "timing: per task, your scheduler took {:.2}x as long with {large} tasks as with {OVERHEAD_TASKS} \
         ({per_task:.1} µs per task)\n  {large} tasks, per {OVERHEAD_TASKS}: {large_per_small}\n  {OVERHEAD_TASKS} tasks: {small}",
        1.0 / ratio
    );
}

/// Threshold for [`timing_scheduler_cost_per_task_does_not_grow`], as a speed ratio (small
/// round's time / large round's time per small round): 0.5 lets the cost per task double.
/// The reference scheduler measured 1.02x, 0.94x and 0.90x as long per task in the large
/// round (`cargo test -p solution-04 timing_ -- --show-output`, 2-core Xeon VM, 2026-11-26,
/// load average 1.3-1.8), 2-3 µs per task; the scanning scheduler of
/// harness/tests/mutants_local_cluster.rs measured 3.9x, 3.9x and 4.0x. 2x sits halfway
/// (in ratio) between the two, with 2x headroom on each side.
pub const SCALING_AT_LEAST: f64 = 0.5;
/// What was measured, quoted in failure messages.
pub const SCALING_MEASURED: &str = "the reference scheduler measures 0.9-1.0x here \
     (2-3 µs per task); a scheduler that scans its waiting tasks, 3.9-4.0x";
