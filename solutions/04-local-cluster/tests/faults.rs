//! The runtime with the reference scheduler under the faults of issue 9: long chains released
//! or cancelled, futures of another cluster, a close that gives up. Each test reproduces a
//! report; each failed (a crash, a wrong answer or a hang) before its fix.

use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use solution_04::{ClusterError, Future, as_completed, local_cluster};

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

#[test]
fn a_million_link_chain_released_on_the_main_thread() {
    let _big = one_at_a_time();
    let cluster = local_cluster(2).unwrap();
    let client = cluster.client();
    let (open, gate, last) = gated_chain(&client);
    drop(last);
    assert_eq!(
        cluster.counts().waiting,
        0,
        "the released chain is forgotten"
    );
    open.send(()).unwrap();
    assert!(*gate.result_timeout(WAIT).unwrap());
    cluster.close_timeout(WAIT).unwrap();
}

#[test]
fn a_million_link_chain_released_inside_a_task() {
    let _big = one_at_a_time();
    let cluster = local_cluster(2).unwrap();
    let client = cluster.client();
    let (open, gate, last) = gated_chain(&client);
    // Runs on the other worker: the release happens on a worker thread's stack.
    let dropper = client
        .submit("dropper", move || drop(last))
        .expect("submit dropper");
    dropper.result_timeout(WAIT).unwrap();
    assert_eq!(
        cluster.counts().waiting,
        0,
        "the released chain is forgotten"
    );
    open.send(()).unwrap();
    assert!(*gate.result_timeout(WAIT).unwrap());
    cluster.close_timeout(WAIT).unwrap();
}

#[test]
fn a_million_link_chain_cancelled() {
    let _big = one_at_a_time();
    let cluster = local_cluster(2).unwrap();
    let client = cluster.client();
    let (open, gate, last) = gated_chain(&client);
    assert!(last.cancel());
    assert!(matches!(
        last.result_timeout(WAIT),
        Err(ClusterError::Cancelled { .. })
    ));
    drop(last);
    assert_eq!(
        cluster.counts().waiting,
        0,
        "the cancelled chain is forgotten"
    );
    open.send(()).unwrap();
    assert!(*gate.result_timeout(WAIT).unwrap());
    cluster.close_timeout(WAIT).unwrap();
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
