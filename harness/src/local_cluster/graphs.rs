//! Step 2 (§4.3): the results of small task graphs of every shape; step 4 (§4.5): graphs
//! with a failing task.

use std::collections::HashSet;
use std::time::Duration;

use given_04::{ClusterError, wait};

use super::support::{cluster, expect_error, expect_value, ok, runs_of};
use super::{BOOK_FAILURE, BOOK_GRAPH, ClusterApi, WAIT};

/// A small graph with every shape: independent tasks, a chain, fan-in, the same input
/// twice, a dependant submitted after its input finished, and `map`.
pub fn correctness_step2_results_of_a_small_graph(api: &ClusterApi) {
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
pub fn correctness_step4_a_failing_task_errors_its_dependants(api: &ClusterApi) {
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
