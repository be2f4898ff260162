//! Step 1 (§4.7): the dashboard and the task-stream picture (independent tasks only).

use super::support::{cluster, expect_value, ok};
use super::{BOOK_STREAM, ClusterApi};
use crate::http::http_get;

/// The dashboard serves the tasks by state, the workers and the task stream on 127.0.0.1,
/// and the task-stream picture has one bar per task.
pub fn mechanism_step1_dashboard_and_task_stream(api: &ClusterApi) {
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
