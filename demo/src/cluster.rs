//! Section 04 of the demonstration: the local cluster's per-task cost, with the dashboard
//! running and the task-stream picture written at the end.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use harness::timing::{format_duration, measure};
use solution_04::{LocalCluster, local_cluster};

use crate::table::Table;

const WAIT: Duration = Duration::from_secs(120);
/// Tasks in the throughput row.
const MANY: u64 = 100_000;

/// Where the task-stream picture goes: `target/demo/task-stream-04.svg`.
pub fn picture_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
            demo.parent()
                .map_or(demo.clone(), |root| root.join("target"))
        });
    target.join("demo").join("task-stream-04.svg")
}

/// Times the cluster's overhead and prints the table.
pub fn run(runs: usize) {
    let workers = LocalCluster::default_workers();
    println!("Section 04 — a local cluster: {workers} worker threads (the machine's cores)");
    let cluster = local_cluster(workers).expect("a cluster of at least one worker");
    match cluster.start_dashboard() {
        Ok(url) => println!("Dashboard: {url}  (open it while the demo runs)\n"),
        Err(e) => println!("(no dashboard: {e})\n"),
    }
    let client = cluster.client();

    // ANCHOR: overhead
    let round_trip = measure(100, runs.max(200), || {
        let f = client.submit("noop", || 1_u64).expect("submit");
        *f.result_timeout(WAIT).expect("result")
    });
    let many = measure(1, runs.min(5), || {
        let futures = client.map("inc", |i: u64| i + 1, 0..MANY).expect("map");
        client.gather(&futures, WAIT).expect("gather").len()
    });
    // ANCHOR_END: overhead

    let mut table = Table::new(&["what", "median", "min", "max", "per task"]);
    table.row(vec![
        "1 trivial task, submit → result".into(),
        format_duration(round_trip.median()),
        format_duration(round_trip.min()),
        format_duration(round_trip.max()),
        format_duration(round_trip.median()),
    ]);
    table.row(vec![
        format!("{MANY} trivial tasks, map + gather"),
        format_duration(many.median()),
        format_duration(many.min()),
        format_duration(many.max()),
        format_duration(many.median() / MANY as u32),
    ]);
    println!("{table}");
    println!(
        "Dask on this machine (design notes): ~1.8 ms of scheduler CPU per task; the goal here is\n\
         ≤ 20 µs per task.\n"
    );

    cluster.close();

    // A small graph to look at in the picture, on a fresh cluster: 8 chains of
    // load → smooth → save.
    let cluster = local_cluster(workers).expect("a cluster of at least one worker");
    let client = cluster.client();
    let start = Instant::now();
    // ANCHOR: chains
    let mut saves = Vec::new();
    for i in 0..8_u64 {
        let img = client
            .submit("load", move || spin(Duration::from_millis(4), i))
            .expect("submit");
        let img = client
            .submit1("smooth", |x: &u64| spin(Duration::from_millis(6), *x), &img)
            .expect("submit");
        saves.push(
            client
                .submit1("save", |x: &u64| spin(Duration::from_millis(2), *x), &img)
                .expect("submit"),
        );
    }
    client.gather(&saves, WAIT).expect("gather");
    // ANCHOR_END: chains
    println!(
        "8 chains load → smooth → save (4 + 6 + 2 ms of work each) on {workers} workers: {}",
        format_duration(start.elapsed())
    );
    cluster.close();
    let path = picture_path();
    let written = std::fs::create_dir_all(path.parent().expect("a parent"))
        .and_then(|()| cluster.write_task_stream_svg(&path));
    match written {
        Ok(()) => println!("Task stream: {}\n", path.display()),
        Err(e) => println!(
            "(could not write the task stream to {}: {e})\n",
            path.display()
        ),
    }
}

/// Keeps a core busy for `d` (unlike sleeping), then returns `x`.
fn spin(d: Duration, x: u64) -> u64 {
    let start = Instant::now();
    let mut acc = x;
    while start.elapsed() < d {
        acc = std::hint::black_box(acc.wrapping_mul(6364136223846793005).wrapping_add(1));
    }
    x
}
