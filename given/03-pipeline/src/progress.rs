//! Progress display for long runs: a bar in a terminal, a few plain lines in a log.
//! Given code (not part of the exercise).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

/// How a run shows its progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProgressMode {
    /// Nothing is shown (tests, benches).
    #[default]
    Hidden,
    /// A bar when standard error is a terminal, otherwise [`ProgressMode::Log`].
    Auto,
    /// A tqdm-like bar on standard error (count, rate, elapsed, time left). indicatif
    /// hides it when standard error is not a terminal.
    Bar,
    /// One plain line on standard error at every tenth of the run: readable in a CI log,
    /// where a redrawn bar would either vanish or fill the log with control characters.
    Log,
}

/// A progress display that every thread of a run can advance (`Progress` is `Sync`).
pub struct Progress {
    display: Display,
}

enum Display {
    Hidden,
    Bar(ProgressBar),
    Log(LogLines),
}

struct LogLines {
    label: String,
    total: u64,
    done: AtomicU64,
    start: Instant,
    /// Keeps two threads' lines from interleaving.
    print: Mutex<()>,
}

impl Progress {
    // ANCHOR: progress_start
    /// Starts showing the progress of `total` images, labelled `label` (e.g. "parallel").
    ///
    /// # Panics
    /// Never: the bar's template is a constant known to be valid.
    pub fn start(mode: ProgressMode, label: &str, total: u64) -> Progress {
        let mode = match mode {
            ProgressMode::Auto if std::io::stderr().is_terminal() => ProgressMode::Bar,
            ProgressMode::Auto => ProgressMode::Log,
            other => other,
        };
        let display = match mode {
            ProgressMode::Hidden => Display::Hidden,
            ProgressMode::Bar => {
                let style = ProgressStyle::with_template(
                    "{msg:>10} {percent:>3}%|{wide_bar}| {pos}/{len} \
                     [{elapsed_precise}<{eta_precise}, {per_sec}]",
                )
                .expect("a valid template");
                Display::Bar(
                    ProgressBar::new(total)
                        .with_style(style)
                        .with_message(label.to_string()),
                )
            }
            ProgressMode::Log | ProgressMode::Auto => Display::Log(LogLines {
                label: label.to_string(),
                total,
                done: AtomicU64::new(0),
                start: Instant::now(),
                print: Mutex::new(()),
            }),
        };
        Progress { display }
    }
    // ANCHOR_END: progress_start

    /// One more image is done. Cheap: an atomic add, and a line or a (rate-limited)
    /// redraw now and then.
    pub fn inc(&self) {
        match &self.display {
            Display::Hidden => {}
            Display::Bar(bar) => bar.inc(1),
            Display::Log(log) => log.inc(),
        }
    }

    /// The run is over: the bar shows its final state; the log prints a last line if the
    /// run stopped early.
    pub fn finish(&self) {
        match &self.display {
            Display::Hidden => {}
            Display::Bar(bar) => bar.finish(),
            Display::Log(log) => {
                let done = log.done.load(Ordering::Relaxed);
                if done < log.total {
                    log.line(done);
                }
            }
        }
    }
}

impl LogLines {
    fn inc(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        // Exactly one `inc` crosses each tenth, whatever the threads do.
        let tenth = |n: u64| n * 10 / self.total.max(1);
        if tenth(done) > tenth(done - 1) {
            self.line(done);
        }
    }

    fn line(&self, done: u64) {
        let _one_at_a_time = self.print.lock().unwrap_or_else(|e| e.into_inner());
        let elapsed = self.start.elapsed().as_secs_f64();
        let rate = done as f64 / elapsed.max(1e-9);
        let left = self.total.saturating_sub(done) as f64 / rate.max(1e-9);
        eprintln!(
            "{}: {done}/{} images ({:.0}%), {rate:.1} images/s, {elapsed:.1} s elapsed, ~{left:.1} s left",
            self.label,
            self.total,
            100.0 * done as f64 / self.total.max(1) as f64
        );
    }
}
