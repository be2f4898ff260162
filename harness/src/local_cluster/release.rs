//! Step 3 (§4.4), releasing results: a dropped future frees its result, a needed one stays,
//! and a long chain is released without recursion; step 4 (§4.5): a long chain is cancelled
//! without recursion.

use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use super::child::in_child_process;
use given_04::ClusterError;

use super::support::{cluster, cluster_of_one, expect_error, expect_value, ok};
use super::{BOOK_FAILURE, BOOK_RELEASE, ClusterApi, WAIT};

/// Dropping the last future of a finished task frees its result at once; a result another
/// task still needs stays until that task has run.
pub fn mechanism_step3_dropping_a_future_releases_its_result(api: &ClusterApi) {
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

/// Links of the chain in [`mechanism_step3_a_released_chain_is_walked_without_recursion_alone`]. A
/// release that recurses once per link overflowed the main thread's 8 MiB stack at ~50,000
/// links (issue 9: ~160 bytes per link); 200,000 links need ~4 times a worker's 8 MiB.
pub const RELEASE_CHAIN_LINKS: u64 = 200_000;
/// The longest the child process of that check may take (it needs ~1 s).
pub const RELEASE_CHAIN_LIMIT: Duration = Duration::from_secs(120);

/// A chain of [`RELEASE_CHAIN_LINKS`] tasks that cannot start (a gate task holds the first
/// input) is released from inside another task, on a worker's stack, by dropping its last
/// future: every link must be forgotten without recursion. (A recursive walk overflows the
/// stack and aborts the process, so this runs in a child process; `_alone`, because that
/// child keeps both cores busy for about a second, which would disturb the checks that
/// watch how work spreads over the workers.)
pub fn mechanism_step3_a_released_chain_is_walked_without_recursion_alone(api: &ClusterApi) {
    chain_in_a_child(
        api,
        BOOK_RELEASE,
        "releasing",
        release_a_chain_inside_a_task,
    );
}

/// Like [`mechanism_step3_a_released_chain_is_walked_without_recursion_alone`], but the
/// chain is cancelled at its first link from inside a task: every link must fail without
/// recursion.
pub fn mechanism_step4_a_cancelled_chain_is_failed_without_recursion_alone(api: &ClusterApi) {
    chain_in_a_child(
        api,
        BOOK_FAILURE,
        "cancelling",
        cancel_a_chain_inside_a_task,
    );
}

/// Runs `walk` in a child process (see [`in_child_process`]), after a probe in this process
/// so that a stub's todo! is what a learner sees.
fn chain_in_a_child(api: &ClusterApi, b: &str, what: &str, walk: fn(&ClusterApi)) {
    {
        let probe = cluster(api, 1);
        let one = ok("submit one", b, probe.client().submit("one", || 1_u64));
        expect_value("a single task", b, &one, &1);
    }
    let outcome = in_child_process(what, RELEASE_CHAIN_LIMIT, || walk(api));
    if let Err(report) = outcome {
        panic!(
            "{what} a chain of {RELEASE_CHAIN_LINKS} unstarted tasks from inside a task (on a \
             worker's stack) {report}\n  walk the chain with a work list (a Vec of tasks still to \
             look at), not by recursion: every link is one more stack frame\n  read: {b}"
        );
    }
}

fn release_a_chain_inside_a_task(api: &ClusterApi) {
    let b = BOOK_RELEASE;
    let cluster = cluster(api, 2);
    let client = cluster.client();
    let (open, gate) = mpsc::channel::<()>();
    let gate = ok(
        "submit gate",
        b,
        client.submit("gate", move || gate.recv_timeout(WAIT).is_ok()),
    );
    let mut link = ok(
        "submit link",
        b,
        client.submit1("link", |_: &bool| 0_u64, &gate),
    );
    for _ in 1..RELEASE_CHAIN_LINKS {
        link = ok(
            "submit link",
            b,
            client.submit1("link", |x: &u64| x + 1, &link),
        );
    }
    let dropper = ok(
        "submit dropper",
        b,
        client.submit("dropper", move || drop(link)),
    );
    expect_value(
        "the task that dropped the chain's last future",
        b,
        &dropper,
        &(),
    );
    let waiting = cluster.counts().waiting;
    assert!(
        waiting == 0,
        "after the last future of a chain that could not start was dropped, {waiting} tasks \
         still wait; a task that nothing needs is forgotten without running\n  read: {b}"
    );
    let _ = open.send(());
    expect_value("the gate", b, &gate, &true);
}

fn cancel_a_chain_inside_a_task(api: &ClusterApi) {
    let b = BOOK_FAILURE;
    let cluster = cluster(api, 2);
    let client = cluster.client();
    let (open, gate) = mpsc::channel::<()>();
    let gate = ok(
        "submit gate",
        b,
        client.submit("gate", move || gate.recv_timeout(WAIT).is_ok()),
    );
    let first = ok(
        "submit link",
        b,
        client.submit1("link", |_: &bool| 0_u64, &gate),
    );
    let mut link = first.clone();
    for _ in 1..RELEASE_CHAIN_LINKS {
        link = ok(
            "submit link",
            b,
            client.submit1("link", |x: &u64| x + 1, &link),
        );
    }
    let first_key = first.key().to_string();
    let canceller = ok(
        "submit canceller",
        b,
        client.submit("canceller", move || first.cancel()),
    );
    expect_value(
        "the task that cancelled the chain's first link",
        b,
        &canceller,
        &true,
    );
    expect_error(
        "the last link of a cancelled chain",
        b,
        &link,
        &ClusterError::DependencyFailed {
            task: link.key().into(),
            dependency: first_key,
        },
    );
    let _ = open.send(());
    expect_value("the gate", b, &gate, &true);
}
