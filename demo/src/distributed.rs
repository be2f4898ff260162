//! Section 06 of the demonstration: the pipeline on timely dataflow — 2 processes × 1 worker
//! against 1 process × 2 workers, rayon's 2 threads and section 04's cluster, alternating; the
//! cost of moving one image's outcome between processes; and a scaling model computed from
//! those measured numbers.
//!
//! The processes are this program re-executed with the hidden `--distributed-process K`
//! option ([`serve_child`]), so the demo needs no other binary.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use measure::{Sample, format_duration};
use solution_03::{PipelineConfig, TUTORIAL_SHAPE, run_parallel};
use solution_04::{local_cluster, run_on_cluster};
use solution_06::{
    ImageOutcome, Layout, Placement, RunPlan, free_loopback_addresses, mean_summary, run_process,
    supervise,
};

use crate::report::Report;
use crate::table::Table;

/// Printed by a child process: `wall_ns bytes_per_image`.
const CHILD_REPORT: &str = "demo-distributed: ";

/// In a child (`--distributed-process K --addresses LIST --images N`): runs process K of the
/// pipeline on timely and, on process 0, prints the dataflow's wall time and bytes per image.
pub fn serve_child(process: usize, addresses: &str, images: u64) {
    // As in the parent (book §3.4): each process has its own allocator to tune.
    solution_03::keep_freed_memory();
    let addresses: Vec<String> = addresses.split(',').map(str::to_string).collect();
    let plan = RunPlan::new(images, TUTORIAL_SHAPE, 1);
    let layout = Layout::cluster(process, addresses);
    match run_process(&layout, &plan, solution_06::run_worker) {
        Ok(Some(report)) => {
            let checksums_hash = report
                .checksums()
                .iter()
                .fold(0u64, |h, (i, c)| h.rotate_left(5) ^ i ^ c);
            println!(
                "{CHILD_REPORT}{} {} {checksums_hash}",
                report.wall.as_nanos(),
                report.wire_bytes_per_image()
            );
        }
        Ok(None) => {}
        Err(e) => {
            eprintln!("demo: process {process} failed: {e}");
            std::process::exit(1);
        }
    }
}

/// One 2-process run: (wall of the dataflow, wall including starting and connecting the
/// processes, bytes per image, checksum fingerprint).
fn two_processes(images: u64) -> (Duration, Duration, f64, u64) {
    let exe = std::env::current_exe().expect("the demo's path");
    let addresses = free_loopback_addresses(2).expect("free ports").join(",");
    let started = Instant::now();
    let mut children = Vec::new();
    for k in 0..2 {
        children.push(
            Command::new(&exe)
                .args([
                    "--distributed-process",
                    &k.to_string(),
                    "--addresses",
                    &addresses,
                ])
                .args(["--images", &images.to_string()])
                .stdout(if k == 0 {
                    Stdio::piped()
                } else {
                    Stdio::null()
                })
                .spawn()
                .expect("a child process"),
        );
    }
    let mut stdout = children[0].stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let supervised = supervise(
        children,
        Some(Duration::from_secs(3600)),
        Duration::from_secs(30),
    );
    let total = started.elapsed();
    if let Some(k) = supervised.first_failure {
        eprintln!("demo: the 2-process run failed (process {k})");
        std::process::exit(1);
    }
    let text = reader.join().unwrap_or_default();
    let line = text
        .lines()
        .find_map(|l| l.split_once(CHILD_REPORT).map(|(_, r)| r.to_string()))
        .expect("process 0's report");
    let n: Vec<f64> = line.split(' ').filter_map(|v| v.parse().ok()).collect();
    let hash: u64 = line
        .split(' ')
        .nth(2)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (Duration::from_nanos(n[0] as u64), total, n[1], hash)
}

fn fingerprint(checksums: &[(u64, u64)]) -> u64 {
    checksums
        .iter()
        .fold(0u64, |h, (i, c)| h.rotate_left(5) ^ i ^ c)
}

/// Runs the section and returns its report.
pub fn run(images: u64) -> Report {
    let mut report = Report::start(
        "06",
        "Section 06 — beyond one machine: the pipeline on timely dataflow, on this machine's loopback",
    );
    let kept = solution_03::keep_freed_memory();
    report.say(&format!(
        "{images} images of 1000 x 1000, one run of each layout, in alternating order (two \
         rounds, the order reversed in the second); glibc keeps freed memory (book §3.4): {}.",
        if kept { "yes" } else { "no" }
    ));
    let watch = measure::LoadWatch::start();
    let cluster = local_cluster(2).expect("a 2-worker cluster");
    let mut walls: [Vec<Duration>; 4] = Default::default();
    let mut totals: Vec<Duration> = Vec::new();
    let mut bytes = 0.0;
    let mut fingerprints = Vec::new();
    let config = PipelineConfig::new(images, TUTORIAL_SHAPE);
    for round in 0..2 {
        let order = if round == 0 {
            [0, 1, 2, 3]
        } else {
            [3, 2, 1, 0]
        };
        for which in order {
            match which {
                0 => {
                    let (wall, total, b, hash) = two_processes(images);
                    walls[0].push(wall);
                    totals.push(total);
                    bytes = b;
                    fingerprints.push(hash);
                }
                1 => {
                    let plan = RunPlan::new(images, TUTORIAL_SHAPE, 2);
                    let r = run_process(&Layout::single(), &plan, solution_06::run_worker)
                        .expect("the 1-process run")
                        .expect("process 0 reports");
                    walls[1].push(r.wall);
                    fingerprints.push(fingerprint(&r.checksums()));
                }
                2 => {
                    let r = run_parallel(&config, 2).expect("the rayon run");
                    walls[2].push(r.wall);
                    fingerprints.push(fingerprint(&r.checksums()));
                }
                _ => {
                    let r = run_on_cluster(&cluster, &config, Duration::from_secs(3600))
                        .expect("the cluster run");
                    walls[3].push(r.wall);
                    fingerprints.push(fingerprint(&r.checksums));
                }
            }
        }
    }
    cluster.close();
    let median = |w: &[Duration]| Sample::new(w.to_vec()).median();
    let rayon = median(&walls[2]);
    let mut table = Table::new(&["run", "median wall", "per image", "vs rayon"]);
    for (which, label) in [
        (0, "timely, 2 processes x 1 worker"),
        (1, "timely, 1 process x 2 workers"),
        (2, "rayon, 2 threads (section 03)"),
        (3, "cluster, 2 workers (section 04)"),
    ] {
        let wall = median(&walls[which]);
        table.row(vec![
            label.to_string(),
            format_duration(wall),
            format_duration(wall / images as u32),
            format!("{:.2}x", rayon.as_secs_f64() / wall.as_secs_f64()),
        ]);
    }
    report.table(&table, &watch);
    let two = median(&walls[0]);
    let startup = median(&totals).saturating_sub(two);
    report.say(&format!(
        "The timely walls start when worker 0 starts (processes connected); starting the two \
         processes and connecting them added {} more (a process that starts before its peer \
         listens tries again every 50 ms). 2 processes took {:.1}% {} than rayon (the goal: within 15%). Checksums \
         identical in every run: {}.",
        format_duration(startup),
        (two.as_secs_f64() / rayon.as_secs_f64() - 1.0).abs() * 100.0,
        if two > rayon { "longer" } else { "less" },
        if fingerprints.windows(2).all(|w| w[0] == w[1]) {
            "yes"
        } else {
            "NO"
        }
    ));

    exchange_and_model(&mut report, bytes, two, images);
    report
}

/// Per-image exchange cost (serialising and moving one outcome over loopback) against the
/// per-image compute time, then the scaling model.
fn exchange_and_model(report: &mut Report, bytes_per_image: f64, two: Duration, images: u64) {
    let watch = measure::LoadWatch::start();
    let outcome = ImageOutcome {
        index: 7,
        checksum: 1,
        stage_nanos: [1; 4],
        placement: Placement {
            process: 1,
            worker: 1,
        },
        power: vec![1.5; solution_06::SUMMARY_SIDE * solution_06::SUMMARY_SIDE],
        save_error: None,
    };
    let serialise = measure::measure(100, 21, || {
        let bytes = bincode_round_trip(&outcome);
        std::hint::black_box(bytes)
    });
    let (bandwidth, loopback_per_image) = loopback_bandwidth(outcome.wire_bytes() as usize);
    let summaries: Vec<Vec<f64>> = (0..1000).map(|_| outcome.power.clone()).collect();
    let aggregate = measure::measure(1, 11, || {
        std::hint::black_box(mean_summary(summaries.iter().map(Vec::as_slice)))
    });
    let aggregate_per_image = aggregate.median() / 1000;
    let compute_per_image = two * 2 / images as u32; // two processes, one core each
    let mut table = Table::new(&["per image", "value"]);
    table.row(vec![
        "bytes sent to worker 0 (bincode)".into(),
        format!("{bytes_per_image:.0}"),
    ]);
    table.row(vec![
        "serialise + deserialise one outcome".into(),
        format_duration(serialise.median()),
    ]);
    table.row(vec![
        "move one outcome over loopback TCP".into(),
        format_duration(loopback_per_image),
    ]);
    table.row(vec![
        "add one summary into the mean at worker 0".into(),
        format_duration(aggregate_per_image),
    ]);
    table.row(vec![
        "compute one image on one core (2-process run)".into(),
        format_duration(compute_per_image),
    ]);
    report.table(&table, &watch);

    // The model: each host has this machine's cores and per-image cost; worker 0 receives
    // every outcome (bytes and the aggregation add) on one core and one network link.
    let cores = measure::cores() as f64;
    let per_host = cores / compute_per_image.as_secs_f64();
    let worker_zero = 1.0
        / (serialise.median().as_secs_f64() / 2.0 + aggregate_per_image.as_secs_f64()).max(1e-12);
    let network_gbe = 125e6 / bytes_per_image.max(1.0);
    let loopback = bandwidth / bytes_per_image.max(1.0);
    let mut model = Table::new(&[
        "hosts",
        "compute limit (images/s)",
        "worker 0 limit",
        "1 GbE limit",
        "expected images/s",
    ]);
    for hosts in [1u32, 2, 8, 64] {
        let compute = per_host * f64::from(hosts);
        let expected = compute.min(worker_zero).min(network_gbe);
        model.row(vec![
            hosts.to_string(),
            format!("{compute:.0}"),
            format!("{worker_zero:.0}"),
            format!("{network_gbe:.0}"),
            format!("{expected:.0}"),
        ]);
    }
    report.say(&format!(
        "A scaling model on paper, from the numbers above: each host like this one ({cores:.0} \
         cores, {} per image per core); worker 0 deserialises and adds every outcome on one \
         core; the network is an assumed 1 GbE link into worker 0's host (125 MB/s, not \
         measured here; this machine's loopback moved {:.0} MB/s, i.e. {loopback:.0} \
         outcomes/s).",
        format_duration(compute_per_image),
        bandwidth / 1e6
    ));
    report.table(&model, &measure::LoadWatch::start());
    let first_limit = worker_zero.min(network_gbe);
    report.say(&format!(
        "Compute stays the limit up to about {:.0} hosts; beyond that the {} caps the run at \
         {first_limit:.0} images/s (fewer bytes per image — a smaller summary — moves that \
         point out; a reduction tree instead of one worker 0 removes the worker-0 limit).",
        (first_limit / per_host).floor(),
        if network_gbe < worker_zero {
            "1 GbE link into worker 0's host"
        } else {
            "worker 0's one core"
        }
    ));
}

fn bincode_round_trip(outcome: &ImageOutcome) -> usize {
    // timely's own encoding of serde records (bincode 1), through the re-exported type's
    // serde implementation.
    let bytes = outcome.to_wire();
    let back = ImageOutcome::from_wire(&bytes).expect("what was just encoded");
    bytes.len() + back.power.len()
}

/// Bytes per second over a loopback TCP connection, and the time for one message of
/// `message_bytes`, from sending 20,000 such messages.
fn loopback_bandwidth(message_bytes: usize) -> (f64, Duration) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("an address");
    let count = 20_000usize;
    let receiver = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("a connection");
        let mut buffer = vec![0u8; 1 << 16];
        let mut received = 0;
        while received < count * message_bytes {
            match stream.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => received += n,
            }
        }
    });
    let mut stream = TcpStream::connect(address).expect("connect");
    let message = vec![7u8; message_bytes];
    let started = Instant::now();
    for _ in 0..count {
        stream.write_all(&message).expect("send");
    }
    drop(stream);
    let _ = receiver.join();
    let elapsed = started.elapsed();
    (
        (count * message_bytes) as f64 / elapsed.as_secs_f64(),
        elapsed / count as u32,
    )
}
