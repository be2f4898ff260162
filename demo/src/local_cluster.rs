//! Section 04 of the demonstration: the local cluster's per-task cost, then section 03's
//! pipeline on the cluster with a progress bar, against the sequential and rayon runs, and
//! the task-stream picture written at the end. One cluster serves the whole section, so its
//! dashboard stays open from the first table to the last (and, with `--hold`, after it).

use std::path::PathBuf;
use std::time::Duration;

use measure::{Sample, format_duration, measure};
use solution_03::{PipelineConfig, ProgressMode, TUTORIAL_SHAPE, run_parallel, run_sequential};
use solution_04::{LocalCluster, local_cluster, run_on_cluster};

use crate::report::Report;
use crate::table::Table;

const WAIT: Duration = Duration::from_secs(120);
/// Tasks in the throughput row.
const MANY: u64 = 100_000;

/// Where the task-stream picture goes: `<cargo's target dir>/demo/task-stream-04.svg`.
pub fn picture_path() -> PathBuf {
    crate::paths::target_dir()
        .join("demo")
        .join("task-stream-04.svg")
}

/// Times the cluster's overhead and the pipeline on it, and prints the tables. With `hold`,
/// keeps the dashboard open afterwards until Enter is pressed.
pub fn run(runs: usize, images: u64, hold: bool) -> Report {
    let workers = LocalCluster::default_workers();
    let mut report = Report::start(
        "04",
        &format!("Section 04 — a local cluster: {workers} worker threads (the machine's cores)"),
    );
    let cluster = local_cluster(workers).expect("a cluster of at least one worker");
    let dashboard = cluster.start_dashboard();
    match &dashboard {
        Ok(url) => println!("Dashboard: {url}  (open until the section ends)\n"),
        Err(e) => println!("(no dashboard: {e})\n"),
    }
    let client = cluster.client();
    let watch = measure::LoadWatch::start();

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
    report.table(&table, &watch);
    drop(client);

    pipeline(&mut report, &cluster, images, runs.min(3));
    if hold && let Ok(url) = &dashboard {
        println!("The dashboard stays open at {url} — press Enter (or Ctrl-C) to close it.");
        let _ = std::io::stdin().read_line(&mut String::new());
    }
    cluster.close();
    println!();
    report
}

/// The tutorial's last cell: `images` images through load → smooth → fft2 → save on the
/// cluster, with a progress bar and the dashboard; then the same images sequentially and
/// with rayon (section 03). The three alternate over `rounds` rounds (the order reversed
/// every round) and the table shows medians, so a busy machine hits all three alike.
fn pipeline(report: &mut Report, cluster: &LocalCluster, images: u64, rounds: usize) {
    let workers = cluster.workers();
    report.say(&format!(
        "The pipeline on the cluster: {images} images of 1000 x 1000, 4 tasks each, {workers} \
         workers; {rounds} rounds of cluster, rayon and sequential runs in alternating order."
    ));
    // As in section 03's demo (book §3.4): keep freed memory instead of paying ~10,000 page
    // faults per image. Process-wide, so all three runs get it. `DEMO_MALLOC=default` skips
    // it (when section 04 runs alone), to see the page-fault-bound pipeline.
    let kept = std::env::var("DEMO_MALLOC").as_deref() != Ok("default")
        && solution_03::keep_freed_memory();
    report.say(&format!(
        "glibc keeps freed memory (book §3.4): {}",
        if kept { "yes" } else { "no" }
    ));
    let watch = measure::LoadWatch::start();
    let shown = PipelineConfig::new(images, TUTORIAL_SHAPE).with_progress(ProgressMode::Auto);
    let quiet = PipelineConfig::new(images, TUTORIAL_SHAPE);
    let mut walls: [Vec<Duration>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut faults: [Vec<u64>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut all_identical = true;
    let mut expected: Option<Vec<(u64, u64)>> = None;
    let mut same = |checksums: Vec<(u64, u64)>| match &expected {
        Some(e) => all_identical &= *e == checksums,
        None => expected = Some(checksums),
    };
    for round in 0..rounds {
        let order = if round % 2 == 0 { [2, 1, 0] } else { [0, 1, 2] };
        for which in order {
            let faults_before = minor_faults();
            match which {
                0 => {
                    let report = run_sequential(&quiet).expect("the sequential run");
                    walls[0].push(report.wall);
                    same(report.checksums());
                }
                1 => {
                    let report = run_parallel(&quiet, workers).expect("the rayon run");
                    walls[1].push(report.wall);
                    same(report.checksums());
                }
                _ => {
                    let config = if round == 0 { &shown } else { &quiet };
                    // ANCHOR: pipeline_run
                    let run = run_on_cluster(cluster, config, WAIT * 10).unwrap_or_else(|e| {
                        eprintln!("demo: the pipeline on the cluster failed: {e}");
                        std::process::exit(1);
                    });
                    // ANCHOR_END: pipeline_run
                    walls[2].push(run.wall);
                    same(run.checksums);
                }
            }
            if let (Some(before), Some(after)) = (faults_before, minor_faults()) {
                faults[which].push(after - before);
            }
        }
    }
    let median = |w: &[Duration]| Sample::new(w.to_vec());
    let (seq, par, clu) = (median(&walls[0]), median(&walls[1]), median(&walls[2]));
    let mut table = Table::new(&[
        "run",
        "median wall",
        "per image",
        "vs sequential",
        "vs rayon",
        "page faults/image",
    ]);
    for (which, label, sample) in [
        (0, "sequential (section 03)".to_string(), &seq),
        (1, format!("rayon, {workers} threads (section 03)"), &par),
        (2, format!("cluster, {workers} workers"), &clu),
    ] {
        let wall = sample.median();
        let mut f = faults[which].clone();
        f.sort_unstable();
        let faults_per_image = f
            .get(f.len() / 2)
            .map_or("n/a".to_string(), |n| (n / images).to_string());
        table.row(vec![
            label,
            format_duration(wall),
            format_duration(wall / images as u32),
            format!("{:.2}x", seq.median().as_secs_f64() / wall.as_secs_f64()),
            format!("{:.2}x", par.median().as_secs_f64() / wall.as_secs_f64()),
            faults_per_image,
        ]);
    }
    report.table(&table, &watch);
    report.say(&format!(
        "Checksums of all {images} images identical in every run: {}.",
        if all_identical { "yes" } else { "NO" }
    ));
    println!(
        "Busy time per worker over the section: {}.",
        cluster
            .busy_time()
            .iter()
            .map(|b| format_duration(*b))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let path = picture_path();
    let written = std::fs::create_dir_all(path.parent().expect("a parent"))
        .and_then(|()| cluster.write_task_stream_svg(&path));
    match written {
        Ok(()) => println!("Task stream: {}", path.display()),
        Err(e) => println!(
            "(could not write the task stream to {}: {e})",
            path.display()
        ),
    }
}

/// Minor page faults of this process so far (Linux: field 10 of `/proc/self/stat`); each is
/// a first touch of a fresh 4 KiB page (book §1.4). `None` where that file does not exist.
fn minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) is in parentheses and may contain spaces: skip past it.
    let after_name = &stat[stat.rfind(')')? + 2..];
    after_name.split_whitespace().nth(7)?.parse().ok()
}
