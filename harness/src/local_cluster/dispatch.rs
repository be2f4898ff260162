//! Handing out work. Step 1 (§4.2): independent tasks run, on every worker. Step 2 (§4.3,
//! tasks with inputs): ten thousand tasks without deadlock, the oldest ready task first.
//!
//! The checks of steps 1 and 2 hold every future until they return: dropping one calls
//! `release` (step 3), which a learner at step 1 has not written yet.

use std::time::{Duration, Instant};

use super::support::{cluster, expect_value, ok, runs_of};
use super::{BOOK_DISPATCH, BOOK_GRAPH, ClusterApi, WAIT};

/// Tasks without inputs, one `submit` and a `client.map` of 50: each returns its value and
/// runs exactly once.
pub fn correctness_step1_independent_tasks_return_their_results(api: &ClusterApi) {
    let b = BOOK_DISPATCH;
    let cluster = cluster(api, 2);
    let client = cluster.client();
    let one = ok("submit one", b, client.submit("one", || 1_u64));
    expect_value("a task with no inputs", b, &one, &1);
    let squares = ok(
        "map square over 0..50",
        b,
        client.map("sq", |i: u64| i * i, 0..50_u64),
    );
    for (i, f) in squares.iter().enumerate() {
        expect_value("client.map", b, f, &((i * i) as u64));
    }
    let stream = cluster.task_stream();
    for future in std::iter::once(&one).chain(&squares) {
        let runs = runs_of(&stream, future.key());
        assert!(
            runs == 1,
            "{} ran {runs} times; every task must run exactly once\n  read: {b}",
            future.key()
        );
    }
}

/// 24 tasks that each sleep 4 ms on 2 workers: both workers must take a fair share (an
/// idle worker gets the next ready task). Sleeping needs no core, so this holds on any
/// machine.
pub fn mechanism_step1_work_spreads_over_the_workers(api: &ClusterApi) {
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
/// time without deadlock, with the right sum. (`close` after them is step 5's
/// [`correctness_step5_close_and_zero_workers`](super::correctness_step5_close_and_zero_workers).)
pub fn mechanism_step2_ten_thousand_tasks_without_deadlock(api: &ClusterApi) {
    const CHAINS: u64 = 2_500;
    let b = BOOK_GRAPH;
    let cluster = cluster(api, 4);
    let client = cluster.client();
    let mut ends = Vec::new();
    let mut sums = Vec::new();
    // Every future is held to the end (see the module's doc).
    let mut held = Vec::new();
    for i in 0..CHAINS {
        let load = ok("submit load", b, client.submit("load", move || i));
        let inc = ok(
            "submit inc",
            b,
            client.submit1("inc", |x: &u64| x + 1, &load),
        );
        let double = ok(
            "submit double",
            b,
            client.submit1("double", |x: &u64| x * 2, &inc),
        );
        let x = ok(
            "submit dec",
            b,
            client.submit1("dec", |x: &u64| x - 1, &double),
        );
        held.extend([load, inc, double]);
        ends.push(x);
        if ends.len() == 100 {
            sums.push(ok(
                "submit sum",
                b,
                client.submit_all("sum", |xs: &[&u64]| xs.iter().copied().sum::<u64>(), &ends),
            ));
            held.append(&mut ends);
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
    println!(
        "10,000 tasks gathered {:?} after the last submit",
        start.elapsed()
    );
}

/// With one worker and ten chains load → smooth → save submitted at once, the scheduler
/// must finish the earliest chains first (the oldest ready task runs first), so that only
/// about one chain is in flight — not start all ten loads, which in the pipeline would
/// hold every image in memory at once.
pub fn mechanism_step2_oldest_ready_task_runs_first(api: &ClusterApi) {
    const CHAINS: u64 = 10;
    let b = BOOK_DISPATCH;
    let cluster = cluster(api, 1);
    let client = cluster.client();
    let nap = || std::thread::sleep(Duration::from_millis(1));
    let mut saves = Vec::new();
    // Every future is held to the end (see the module's doc).
    let mut held = Vec::new();
    for i in 0..CHAINS {
        let load = ok(
            "submit load",
            b,
            client.submit("load", move || {
                nap();
                i
            }),
        );
        let smooth = ok(
            "submit smooth",
            b,
            client.submit1(
                "smooth",
                move |x: &u64| {
                    nap();
                    *x
                },
                &load,
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
                &smooth,
            ),
        ));
        held.extend([load, smooth]);
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
