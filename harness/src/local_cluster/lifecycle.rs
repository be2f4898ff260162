//! Step 4 (§4.5) cancel; step 5 (§4.6) close, zero workers, and fire-and-forget work
//! finishing before close.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use given_04::{ClusterError, LocalCluster, fire_and_forget};

use super::support::{cluster, expect_error, expect_value, ok};
use super::{BOOK_CLOSE, BOOK_FAILURE, CLOSE_WAIT, ClusterApi, WAIT};

/// `cancel` of a task not yet started (it and its dependant fail), and of one already done
/// (refused); the cluster keeps working afterwards.
pub fn correctness_step4_cancel_a_task_that_has_not_started(api: &ClusterApi) {
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
}

/// `close` waits for the work still wanted (a task running, one queued behind it) and
/// returns; submitting after close is refused; closing twice is harmless; a cluster of zero
/// workers is refused.
pub fn correctness_step5_close_and_zero_workers(api: &ClusterApi) {
    let b = BOOK_CLOSE;
    let cluster = cluster(api, 1);
    let client = cluster.client();
    let nap = || std::thread::sleep(Duration::from_millis(20));
    let running = ok(
        "submit running",
        b,
        client.submit("running", move || {
            nap();
            1_u64
        }),
    );
    let queued = ok(
        "submit queued",
        b,
        client.submit("queued", move || {
            nap();
            2_u64
        }),
    );
    if let Err(e) = cluster.close_timeout(CLOSE_WAIT) {
        panic!("close: {e}\n  read: {b}");
    }
    for (future, value) in [(&running, 1), (&queued, 2)] {
        expect_value(
            "a task submitted before close (close must wait for it)",
            b,
            future,
            &value,
        );
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

/// The tutorial's loop: load → smooth → save per image, every future but the last dropped
/// at once, the last handed to `fire_and_forget`. Every save must have run when `close`
/// returns.
pub fn mechanism_step5_fire_and_forget_work_finishes_before_close(api: &ClusterApi) {
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
    let closed = cluster.close_timeout(CLOSE_WAIT);
    // ANCHOR_END: tutorial_loop
    if let Err(e) = closed {
        panic!("close with fire-and-forget work pending: {e}\n  read: {b}");
    }
    let done = saved.load(Ordering::SeqCst);
    assert!(
        done == IMAGES,
        "after close returned, only {done} of {IMAGES} fire-and-forget saves had run; close must \
         wait for all the work that was submitted and is still wanted (nothing is silently lost)\n  read: {b}"
    );
}
