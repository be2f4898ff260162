//! Section 05 on request (`cargo xtask demo 05 --size N`): an N × N f64 array larger than
//! the machine's memory, streamed chunk by chunk — the seeded load written to a Zarr store on
//! disk, then Zarr on disk → map_overlap(1, smooth) → Zarr on disk — reporting the time, the
//! throughput and the process's peak resident memory.
//!
//! Before any work it checks the free disk space (both arrays, with their ragged edge chunks
//! written at full size, plus a margin) and the available memory (the front of two chunk rows
//! that the depth-first order holds, plus the chunks in flight), and refuses with what is
//! needed. Each store is written under a `.partial` name and renamed when complete; Ctrl-C
//! removes the unfinished one, so a store named `*.zarr` is always whole.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use measure::format_duration;
use solution_05::{Boundary, ChunkedArray, Executor, STEPS, seeded_pixels, smooth};

use crate::report::Report;
use crate::table::Table;

/// Chunks of 1000 × 1000 f64 (8 MB), the bench's and the flat-memory test's.
const CHUNK: usize = 1000;
const SEED: u64 = 5;
/// Free disk kept beyond the two arrays: other builders share this disk.
const DISK_MARGIN: u64 = 2 << 30;
/// The process itself (code, rayon's threads, the allocator's bookkeeping).
const MEMORY_BASE: u64 = 256 << 20;

/// Stores being written, removed by the Ctrl-C handler.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Whole stores of this run, removed by the Ctrl-C handler unless `--keep` ([`KEEP`]): an
/// interrupted run must not leave gigabytes behind in the temporary directory.
static COMPLETE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static KEEP: AtomicBool = AtomicBool::new(false);
static HANDLER: AtomicBool = AtomicBool::new(false);
/// Set by Ctrl-C: chunk tasks that start after it wait forever instead of making a chunk.
static STOP: AtomicBool = AtomicBool::new(false);

/// Called by every chunk task before it works: after Ctrl-C, no new chunk is made (so none is
/// written) while the handler removes the unfinished store.
fn stop_point() {
    while STOP.load(Ordering::SeqCst) {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

/// Removes `path` and waits until no late write recreates it: the tasks in flight at Ctrl-C
/// (at most a few) may still finish and have their chunk written.
fn remove_for_good(path: &Path) {
    let deadline = Instant::now() + std::time::Duration::from_secs(10);
    let mut absent_since: Option<Instant> = None;
    while Instant::now() < deadline {
        let _ = std::fs::remove_dir_all(path);
        if path.exists() {
            absent_since = None;
        } else if absent_since.get_or_insert_with(Instant::now).elapsed()
            > std::time::Duration::from_millis(500)
        {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// What a run of side `size` needs: disk bytes for both stores and memory bytes.
pub fn needs(size: usize) -> (u64, u64) {
    let chunks_per_side = size.div_ceil(CHUNK) as u64;
    let chunk_bytes = (CHUNK * CHUNK * 8) as u64;
    // Zarr writes edge chunks at full size.
    let store = chunks_per_side * chunks_per_side * chunk_bytes;
    // Two rows of source chunks (§5.3's front) and, per task in flight, its block, its
    // smoothed block, the chunk cut from it and the full-size copy written to disk.
    let in_flight = solution_05::in_flight_limit() as u64;
    let memory = (2 * chunks_per_side + 4 * in_flight) * chunk_bytes + MEMORY_BASE;
    (2 * store + DISK_MARGIN, memory)
}

/// Free bytes for an unprivileged user on the filesystem holding `dir`.
fn free_disk_bytes(dir: &Path) -> std::io::Result<u64> {
    let path = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `path` is a valid NUL-terminated string and `stat` a writable statvfs.
    let status = unsafe { libc::statvfs(path.as_ptr(), stat.as_mut_ptr()) };
    if status != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: statvfs returned 0, so it filled `stat`.
    let stat = unsafe { stat.assume_init() };
    // fsblkcnt_t and c_ulong are narrower than u64 on some targets.
    #[allow(clippy::unnecessary_cast)]
    Ok(stat.f_bavail as u64 * stat.f_frsize as u64)
}

fn gb(bytes: u64) -> String {
    format!("{:.1} GB", bytes as f64 / 1e9)
}

/// Checks disk and memory for a run of side `size` in `dir`; `Err` says what is missing.
///
/// # Errors
/// A sentence with the bytes needed and available, and what to change.
pub fn check_room(size: usize, dir: &Path) -> Result<(), String> {
    let (disk, memory) = needs(size);
    let free = free_disk_bytes(dir)
        .map_err(|e| format!("cannot read the free space of {}: {e}", dir.display()))?;
    if free < disk {
        return Err(format!(
            "--size {size} needs {} free in {} (two {size}×{size} float64 Zarr stores of {} each, \
             plus {} to spare) but only {} is free. Choose a smaller --size, or --zarr-dir on a \
             larger disk.",
            gb(disk),
            dir.display(),
            gb((disk - DISK_MARGIN) / 2),
            gb(DISK_MARGIN),
            gb(free)
        ));
    }
    if let Some(available) = given_03::memory::available_bytes() {
        let available = available as u64;
        if available < memory {
            return Err(format!(
                "--size {size} needs about {} of memory (two rows of {CHUNK}² chunks and the chunks \
                 in flight) but only {} is available. Choose a smaller --size.",
                gb(memory),
                gb(available)
            ));
        }
    }
    Ok(())
}

/// The high-water mark of this process's resident memory, in bytes (Linux only).
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// Removes every unfinished store and exits with 130 (Ctrl-C).
fn install_ctrlc_handler() {
    if HANDLER.swap(true, Ordering::SeqCst) {
        return;
    }
    let installed = ctrlc::set_handler(|| {
        STOP.store(true, Ordering::SeqCst);
        let unfinished = UNFINISHED.lock().map(|u| u.clone()).unwrap_or_default();
        for path in &unfinished {
            remove_for_good(path);
        }
        let complete = COMPLETE.lock().map(|c| c.clone()).unwrap_or_default();
        let kept = if KEEP.load(Ordering::SeqCst) {
            format!("kept {} complete store(s) (--keep)", complete.len())
        } else {
            complete
                .iter()
                .for_each(|p| drop(std::fs::remove_dir_all(p)));
            format!(
                "removed {} complete store(s) too (no --keep)",
                complete.len()
            )
        };
        eprintln!(
            "\ndemo: interrupted; removed {} unfinished store(s), {kept}. Every *.zarr left is \
             complete.",
            unfinished.len()
        );
        std::process::exit(130);
    });
    if let Err(e) = installed {
        eprintln!("demo: warning: Ctrl-C will not clean up the unfinished store: {e}");
    }
}

/// Writes `array` to the Zarr store `path`, under `path.partial` until it is complete, with a
/// progress display advanced by `progress` (a chunk per tick). Returns the seconds it took.
fn write_store(array: &ChunkedArray, path: &Path) -> Result<f64, String> {
    let partial = path.with_extension("zarr.partial");
    let _ = std::fs::remove_dir_all(&partial);
    UNFINISHED
        .lock()
        .expect("not poisoned")
        .push(partial.clone());
    let start = Instant::now();
    let written = array
        .store_zarr(&partial, Executor::Rayon)
        .map_err(|e| format!("writing {}: {e}", partial.display()));
    let seconds = start.elapsed().as_secs_f64();
    let renamed = written.and_then(|_| {
        let _ = std::fs::remove_dir_all(path);
        std::fs::rename(&partial, path).map_err(|e| format!("renaming {}: {e}", partial.display()))
    });
    UNFINISHED
        .lock()
        .expect("not poisoned")
        .retain(|p| *p != partial);
    match renamed {
        Ok(()) => {
            COMPLETE
                .lock()
                .expect("not poisoned")
                .push(path.to_path_buf());
            Ok(seconds)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&partial);
            Err(e)
        }
    }
}

/// Chunks done, as section 03's progress (`given_03::Progress`) shows images: a bar redrawn in
/// place on a terminal, a plain line at every tenth otherwise (a CI log).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    label: &'static str,
    total: u64,
    chunk_bytes: usize,
    done: AtomicU64,
    start: Instant,
}

impl Progress {
    fn start(label: &'static str, total: u64, chunk_bytes: usize) -> Progress {
        use std::io::IsTerminal as _;
        let bar = std::io::stderr().is_terminal().then(|| {
            let style = indicatif::ProgressStyle::with_template(
                "{msg} {percent:>3}%|{wide_bar}| {pos}/{len} chunks [{elapsed_precise}<{eta_precise}, {per_sec}]",
            )
            .expect("a valid template");
            indicatif::ProgressBar::new(total)
                .with_style(style)
                .with_message(label)
        });
        Progress {
            bar,
            label,
            total,
            chunk_bytes,
            done: AtomicU64::new(0),
            start: Instant::now(),
        }
    }

    fn inc(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.bar {
            Some(bar) => bar.inc(1),
            // Exactly one call crosses each tenth, whatever the threads do.
            None if done * 10 / self.total.max(1) > (done - 1) * 10 / self.total.max(1) => {
                let elapsed = self.start.elapsed().as_secs_f64();
                eprintln!(
                    "{}: {done}/{} chunks ({:.0}%), {:.2} GB/s, {elapsed:.1} s elapsed",
                    self.label,
                    self.total,
                    100.0 * done as f64 / self.total.max(1) as f64,
                    (done as usize * self.chunk_bytes) as f64 / 1e9 / elapsed.max(1e-9)
                );
            }
            None => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}

/// Each chunk advances `progress` when it is made: the display counts chunks done.
fn counted(
    progress: &Arc<Progress>,
    f: impl Fn(ndarray::ArrayView2<f64>) -> ndarray::Array2<f64> + Send + Sync + 'static,
) -> impl Fn(ndarray::ArrayView2<f64>) -> ndarray::Array2<f64> + Send + Sync + 'static {
    let progress = Arc::clone(progress);
    move |block| {
        stop_point();
        let out = f(block);
        progress.inc();
        out
    }
}

/// Runs the larger-than-RAM demonstration on an `size × size` array in `dir`.
///
/// # Errors
/// When disk or memory is short (before any work), or a store cannot be written.
pub fn run(size: usize, dir: &Path, keep: bool) -> Result<Report, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    check_room(size, dir)?;
    // Chunks are megabytes: with a fixed mmap threshold each is its own mapping, returned to
    // the system when freed, so the peak RSS below is the pipeline's and not glibc's cache.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a numeric parameter of the allocator.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
    KEEP.store(keep, Ordering::SeqCst);
    install_ctrlc_handler();
    let outcome = stream(size, dir);
    if !keep {
        let complete = std::mem::take(&mut *COMPLETE.lock().expect("not poisoned"));
        for store in &complete {
            let _ = std::fs::remove_dir_all(store);
        }
    }
    let (report, stores) = outcome?;
    if keep {
        println!("Kept: {}", stores.join(" and "));
    }
    Ok(report)
}

/// The two steps of [`run`], after its checks; returns the report and the stores written.
fn stream(size: usize, dir: &Path) -> Result<(Report, Vec<String>), String> {
    let bytes = (size * size * 8) as u64;
    let mut report = Report::start(
        "05-large",
        &format!(
            "Section 05 — larger than RAM: {size}×{size} f64 ({}) in {CHUNK}² chunks, Zarr on disk → map_overlap(1, smooth) → Zarr on disk",
            gb(bytes)
        ),
    );
    let (disk, memory) = needs(size);
    report.say(&format!(
        "Checked first: {} of disk for both stores and the margin, about {} of memory. Each store \
         is written under a .partial name and renamed when whole. Memory available: {}.",
        gb(disk),
        gb(memory),
        given_03::memory::available_bytes().map_or("unknown".into(), |b| gb(b as u64))
    ));
    let chunks = size.div_ceil(CHUNK).pow(2) as u64;
    let input = dir.join(format!("input-{size}.zarr"));
    let output = dir.join(format!("smoothed-{size}.zarr"));
    let watch = measure::LoadWatch::start();

    let progress = Arc::new(Progress::start("load → zarr", chunks, CHUNK * CHUNK * 8));
    let ticking = Arc::clone(&progress);
    let source = ChunkedArray::from_fn((size, size), (CHUNK, CHUNK), STEPS, move |_, region| {
        stop_point();
        let chunk = seeded_pixels(SEED, (size, size), region);
        ticking.inc();
        chunk
    })
    .map_err(|e| e.to_string())?;
    let write_seconds = write_store(&source, &input)?;
    progress.finish();
    let after_write = peak_rss_bytes();

    let progress = Arc::new(Progress::start(
        "zarr → smooth → zarr",
        chunks,
        CHUNK * CHUNK * 8,
    ));
    let smoothed = ChunkedArray::from_zarr(&input, STEPS)
        .map_err(|e| e.to_string())?
        .map_overlap(1, Boundary::Absent, counted(&progress, smooth));
    let smooth_seconds = write_store(&smoothed, &output)?;
    progress.finish();
    let peak = peak_rss_bytes();

    let mb = |b: Option<u64>| b.map_or("unknown".into(), |b| format!("{:.0} MB", b as f64 / 1e6));
    let mut table = Table::new(&["step", "time", "throughput", "peak RSS so far"]);
    table.row(vec![
        "seeded load → Zarr".into(),
        format_duration(std::time::Duration::from_secs_f64(write_seconds)),
        format!("{:.2} GB/s written", bytes as f64 / 1e9 / write_seconds),
        mb(after_write),
    ]);
    table.row(vec![
        "Zarr → map_overlap(1, smooth) → Zarr".into(),
        format_duration(std::time::Duration::from_secs_f64(smooth_seconds)),
        format!(
            "{:.2} GB/s read and written",
            bytes as f64 / 1e9 / smooth_seconds
        ),
        mb(peak),
    ]);
    report.table(&table, &watch);
    report.say(&format!(
        "The array is {} per store; the process's peak resident memory was {} ({:.1}% of one store).",
        gb(bytes),
        mb(peak),
        peak.map_or(f64::NAN, |p| 100.0 * p as f64 / bytes as f64)
    ));
    Ok((
        report,
        vec![input.display().to_string(), output.display().to_string()],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_needed_is_both_stores_in_whole_chunks_plus_the_margin() {
        let (disk, _) = needs(60_000);
        assert_eq!(disk, 2 * 60_000u64 * 60_000 * 8 + DISK_MARGIN);
        // 1001 is rounded up to two whole chunks per side: Zarr stores edge chunks in full.
        let (disk, _) = needs(1001);
        assert_eq!(disk, 2 * 2000u64 * 2000 * 8 + DISK_MARGIN);
    }

    #[test]
    fn a_size_that_does_not_fit_is_refused_with_what_it_needs() {
        let error = check_room(1_000_000, &std::env::temp_dir()).unwrap_err();
        assert!(
            error.contains("--size 1000000 needs 16002.1 GB free"),
            "{error}"
        );
        assert!(error.contains("Choose a smaller --size"), "{error}");
    }

    #[test]
    fn a_directory_that_does_not_exist_is_an_error_not_a_guess() {
        let error = free_disk_bytes(Path::new("/no/such/directory/here")).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
    }
}
