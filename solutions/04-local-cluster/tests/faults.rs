//! The runtime with the reference scheduler under the faults of issue 9: long chains released
//! or cancelled, futures of another cluster, a close that gives up. Each test reproduces a
//! report; each failed (a crash, a wrong answer or a hang) before its fix. The `stress_`
//! tests build chains of a million tasks (~14 s together on a quiet 2-core machine, ~0.8 GB
//! each, one at a time); `cargo test -p solution-04 -- --skip stress_` leaves them out.

use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use solution_04::{Client, ClusterError, Future, as_completed, local_cluster};

const WAIT: Duration = Duration::from_secs(60);
/// Links in the long chains: a recursive release overflowed the main thread's 8 MiB stack
/// at ~50,000 links and a 2 MiB worker stack at ~10,000.
const LINKS: usize = 1_000_000;

/// The million-link tests take ~0.4 GB each: one at a time.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static BIG: Mutex<()> = Mutex::new(());
    BIG.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A gate task that blocks a worker until `open` is sent, and a chain of `LINKS` unstarted
/// tasks behind it, every future but the last dropped as the chain is built.
fn gated_chain(client: &solution_04::Client) -> (mpsc::Sender<()>, Future<bool>, Future<u64>) {
    let (open, gate) = mpsc::channel::<()>();
    let gate = client
        .submit("gate", move || gate.recv_timeout(WAIT).is_ok())
        .expect("submit gate");
    let mut link = client
        .submit1("inc", |_: &bool| 0_u64, &gate)
        .expect("submit");
    for _ in 1..LINKS {
        link = client
            .submit1("inc", |x: &u64| x + 1, &link)
            .expect("submit");
    }
    (open, gate, link)
}

/// Builds a gated million-link chain, lets `forget` release or cancel its last link, and
/// checks that the whole unstarted chain is forgotten (`what`) before the gate opens and
/// the cluster closes cleanly.
fn forget_a_gated_chain(what: &str, forget: impl FnOnce(&Client, Future<u64>)) {
    let _big = one_at_a_time();
    let cluster = local_cluster(2).unwrap();
    let client = cluster.client();
    let (open, gate, last) = gated_chain(&client);
    forget(&client, last);
    assert_eq!(cluster.counts().waiting, 0, "the {what} chain is forgotten");
    open.send(()).unwrap();
    assert!(*gate.result_timeout(WAIT).unwrap());
    cluster.close_timeout(WAIT).unwrap();
}

#[test]
fn stress_a_million_link_chain_released_on_the_main_thread() {
    forget_a_gated_chain("released", |_, last| drop(last));
}

#[test]
fn stress_a_million_link_chain_released_inside_a_task() {
    forget_a_gated_chain("released", |client, last| {
        // Runs on the other worker: the release happens on a worker thread's stack.
        let dropper = client
            .submit("dropper", move || drop(last))
            .expect("submit dropper");
        dropper.result_timeout(WAIT).unwrap();
    });
}

#[test]
fn stress_a_million_link_chain_cancelled() {
    forget_a_gated_chain("cancelled", |_, last| {
        assert!(last.cancel());
        assert!(matches!(
            last.result_timeout(WAIT),
            Err(ClusterError::Cancelled { .. })
        ));
    });
}

#[test]
fn a_future_of_another_cluster_is_refused_as_an_input() {
    let (a, b) = (local_cluster(1).unwrap(), local_cluster(1).unwrap());
    // Both clusters number their tasks from 0: `fb`'s id is also the id of `_fa`.
    let _fa = a.client().submit("a", || 1_u64).unwrap();
    let fb = b.client().submit("b", || 1000_u64).unwrap();
    let other = |r: Result<Future<u64>, ClusterError>| match r {
        Err(ClusterError::OtherCluster { task }) => assert_eq!(task, fb.key()),
        other => panic!("expected OtherCluster, got {other:?}"),
    };
    let client = a.client();
    other(client.submit1("p", |x: &u64| x + 1, &fb));
    other(client.submit2("p", |x: &u64, y: &u64| x + y, &_fa, &fb));
    other(client.submit_all(
        "p",
        |xs: &[&u64]| xs.len() as u64,
        std::slice::from_ref(&fb),
    ));
    other(client.try_submit1("p", |x: &u64| Ok::<u64, String>(*x), &fb));
    // Its own cluster still takes it.
    let ok = b.client().submit1("p", |x: &u64| x + 1, &fb).unwrap();
    assert_eq!(*ok.result_timeout(WAIT).unwrap(), 1001);
}

#[test]
fn as_completed_refuses_futures_of_two_clusters() {
    let (a, b) = (local_cluster(1).unwrap(), local_cluster(1).unwrap());
    let fa = a.client().submit("a", || 1_u64).unwrap();
    let fb = b.client().submit("b", || 2_u64).unwrap();
    let items: Vec<_> = as_completed(vec![fa, fb.clone()], WAIT).collect();
    match items.as_slice() {
        [Err(ClusterError::OtherCluster { task })] => assert_eq!(task, fb.key()),
        other => panic!("expected one OtherCluster error, got {other:?}"),
    }
}

#[test]
fn close_timeout_resolves_the_stuck_task_to_lost() {
    let cluster = local_cluster(1).unwrap();
    let (release, stuck_gate) = mpsc::channel::<()>();
    let stuck = cluster
        .client()
        .submit("stuck", move || stuck_gate.recv_timeout(WAIT).is_ok())
        .unwrap();
    let behind = cluster.client().submit("behind", || 1_u64).unwrap();
    match cluster.close_timeout(Duration::from_millis(100)) {
        Err(ClusterError::CloseTimeout { unfinished: 2, .. }) => {}
        other => panic!("expected CloseTimeout with 2 unfinished, got {other:?}"),
    }
    // Before the fix, `stuck.result()` waited until the task ended (here: forever).
    let start = Instant::now();
    match stuck.result_timeout(Duration::from_secs(5)) {
        Err(ClusterError::Lost { task }) => assert_eq!(task, stuck.key()),
        other => panic!("expected Lost, got {other:?}"),
    }
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(matches!(behind.result(), Err(ClusterError::Lost { .. })));
    // When the task does end, its answer stays `Lost`: a future never changes its mind.
    release.send(()).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    assert!(matches!(stuck.result(), Err(ClusterError::Lost { .. })));
}

/// Recursion `depth` frames deep, each holding `FRAME` bytes of stack.
fn deep(depth: usize) -> u64 {
    const FRAME: usize = 1024;
    let frame = std::hint::black_box([depth as u8; FRAME]);
    if depth == 0 {
        return u64::from(frame[0]);
    }
    std::hint::black_box(deep(depth - 1)) + u64::from(frame[FRAME - 1])
}

#[test]
fn a_task_may_recurse_as_deep_as_the_main_thread() {
    // ~4 MiB of stack: fine on the main thread's 8 MiB; it aborted the process on the
    // 2 MiB stack workers had before.
    let cluster = local_cluster(1).unwrap();
    let future = cluster.client().submit("deep", || deep(4_000)).unwrap();
    // Not computed by `deep` here: a test thread has Rust's 2 MiB stack.
    let expected: u64 = (1..=4_000_usize).map(|d| u64::from(d as u8)).sum();
    assert_eq!(*future.result_timeout(WAIT).unwrap(), expected);
}

#[test]
fn a_worker_stack_can_be_set_larger() {
    let options = solution_04::ClusterOptions {
        worker_stack: 64 << 20,
    };
    let cluster =
        solution_04::LocalCluster::with_options(1, solution_04::new_scheduler, options).unwrap();
    let future = cluster.client().submit("deeper", || deep(40_000)).unwrap();
    assert!(future.result_timeout(WAIT).is_ok());
}

#[test]
fn a_worker_that_cannot_be_started_is_an_error_not_a_panic() {
    // No system can reserve a 1 PiB stack: the first spawn fails.
    let options = solution_04::ClusterOptions {
        worker_stack: 1 << 50,
    };
    match solution_04::LocalCluster::with_options(2, solution_04::new_scheduler, options) {
        Err(ClusterError::WorkerSpawn { worker: 0, .. }) => {}
        other => panic!("expected WorkerSpawn for worker 0, got {other:?}"),
    }
}

#[test]
fn a_task_waiting_on_its_own_submission_with_one_worker_fails_instead_of_hanging() {
    let cluster = local_cluster(1).unwrap();
    let client = cluster.client();
    let inner_client = client.clone();
    let outer = client
        .try_submit("outer", move || {
            let inner = inner_client
                .submit("inner", || 41_u64)
                .map_err(|e| e.to_string())?;
            inner.result().map(|v| *v + 1).map_err(|e| e.to_string())
        })
        .unwrap();
    match outer.result_timeout(WAIT) {
        Err(ClusterError::Failed { message, .. }) => {
            assert!(message.contains("would deadlock"), "{message}")
        }
        other => panic!("expected a WouldDeadlock failure, got {other:?}"),
    }
}

#[test]
fn tasks_waiting_on_their_submissions_on_every_worker_do_not_hang() {
    let cluster = local_cluster(2).unwrap();
    let client = cluster.client();
    let (started, all_started) = mpsc::channel::<()>();
    let mut go_signals = Vec::new();
    let outers: Vec<_> = (0..2)
        .map(|i| {
            let (client, started) = (client.clone(), started.clone());
            let (go_signal, go) = mpsc::channel::<()>();
            go_signals.push(go_signal);
            client
                .clone()
                .try_submit("outer", move || {
                    let inner = client
                        .submit("inner", move || i)
                        .map_err(|e| e.to_string())?;
                    let _ = started.send(());
                    // Both outer tasks are running before either waits: a signal, not a
                    // sleep, which a busy machine can outlast (it did, under `cargo test`).
                    go.recv_timeout(WAIT).map_err(|e| e.to_string())?;
                    inner.result().map(|v| *v).map_err(|e| e.to_string())
                })
                .unwrap()
        })
        .collect();
    for _ in 0..2 {
        all_started.recv_timeout(WAIT).unwrap();
    }
    for go_signal in &go_signals {
        go_signal.send(()).unwrap();
    }
    let results: Vec<_> = outers.iter().map(|f| f.result_timeout(WAIT)).collect();
    let refused = results
        .iter()
        .filter(|r| matches!(r, Err(ClusterError::Failed { message, .. }) if message.contains("would deadlock")))
        .count();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!((ok, refused), (1, 1), "{results:?}");
}

#[test]
fn stress_tasks_that_captured_each_others_futures_are_dropped_without_recursion() {
    let _big = one_at_a_time();
    let cluster = local_cluster(1).unwrap();
    let client = cluster.client();
    let (open, gate) = mpsc::channel::<()>();
    let gate = client
        .submit("gate", move || gate.recv_timeout(WAIT).is_ok())
        .unwrap();
    // Each task's body holds the previous task's future (not as an input, so the
    // scheduler knows nothing of it): dropping one body releases the next task.
    let mut previous: Option<Future<u64>> = None;
    // Each link of this chain costs several stack frames (a future's drop, an event, the
    // body's drop): 200,000 of them need far more than the main thread's 8 MiB.
    for _ in 0..200_000 {
        let held = previous.take();
        previous = Some(
            client
                .submit("holder", move || u64::from(held.is_some()))
                .unwrap(),
        );
    }
    // Before: each body's drop released the next future inside the previous drop, one
    // stack frame per link, and the main thread's stack overflowed.
    drop(previous);
    assert_eq!(cluster.counts().waiting, 0, "every holder was released");
    open.send(()).unwrap();
    assert!(*gate.result_timeout(WAIT).unwrap());
}

/// The counts are kept up to date as tasks change state (so the dashboard never walks every
/// task under the lock); they must match what happened, step by step.
#[test]
fn counts_follow_every_state_change() {
    use solution_04::StateCounts;
    let cluster = local_cluster(1).unwrap();
    let client = cluster.client();
    let (open, gate) = mpsc::channel::<()>();
    let gate = client
        .submit("gate", move || gate.recv_timeout(WAIT).is_ok())
        .unwrap();
    let a = client.submit1("a", |_: &bool| 1_u64, &gate).unwrap();
    let b = client.submit1("b", |x: &u64| x + 1, &a).unwrap();
    let boom = client.submit("boom", || -> u64 { panic!("boom") }).unwrap();
    let c = client.submit("c", || 3_u64).unwrap();
    // Wait until the gate runs (processing), everything else waits.
    let deadline = Instant::now() + WAIT;
    while cluster.counts().processing != 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    let at = |waiting, processing, memory, erred, released| StateCounts {
        waiting,
        processing,
        memory,
        erred,
        released,
    };
    assert_eq!(cluster.counts(), at(4, 1, 0, 0, 0));
    assert!(c.cancel());
    assert_eq!(cluster.counts(), at(3, 1, 0, 1, 0));
    drop(c);
    assert_eq!(cluster.counts(), at(3, 1, 0, 0, 1));
    open.send(()).unwrap();
    assert_eq!(*b.result_timeout(WAIT).unwrap(), 2);
    assert!(boom.result_timeout(WAIT).is_err());
    // gate, a and b hold their results (their futures are held); boom erred.
    assert_eq!(cluster.counts(), at(0, 0, 3, 1, 1));
    drop((gate, a, b, boom));
    assert_eq!(cluster.counts(), at(0, 0, 0, 0, 5));
}
