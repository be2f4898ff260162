//! How many cores this machine has and how busy other processes kept them.
//!
//! A timing taken while another process held a core says little about the code timed. The
//! course's tables therefore carry a note: the load average before and after, and the
//! share of the CPUs that *other* processes used while the table was measured
//! ([`LoadWatch`]), read from Linux's `/proc`. Elsewhere the figures are simply absent.

use std::fs;

/// The cores this process may use (at least 1).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The 1-minute load average (`/proc/loadavg`), if the platform has one.
pub fn load_average() -> Option<f64> {
    fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// CPU time counters at one moment, in clock ticks.
#[derive(Debug, Clone, Copy)]
struct Ticks {
    /// Every CPU's busy time (all but idle and iowait), summed.
    busy: u64,
    /// Every CPU's time, busy or not, summed.
    total: u64,
    /// This process's user and system time (all its threads, and its finished children).
    own: u64,
}

impl Ticks {
    fn now() -> Option<Ticks> {
        let stat = fs::read_to_string("/proc/stat").ok()?;
        let cpu: Vec<u64> = stat
            .lines()
            .next()?
            .split_whitespace()
            .skip(1)
            .map(|v| v.parse().unwrap_or(0))
            .collect();
        // user nice system idle iowait irq softirq steal …
        let total: u64 = cpu.iter().take(8).sum();
        let idle = cpu.get(3)? + cpu.get(4).copied().unwrap_or(0);
        let own_stat = fs::read_to_string("/proc/self/stat").ok()?;
        // Fields after the command name (which may hold spaces) start after the last ')'.
        let after_name = &own_stat[own_stat.rfind(')')? + 2..];
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        // utime, stime, cutime and cstime are fields 14-17 of the whole line (11-14 after the
        // name): this process's CPU time and that of the children it has waited for, such
        // as the Python processes `compare` runs.
        let own = (11..=14)
            .map(|i| fields.get(i)?.parse::<u64>().ok())
            .sum::<Option<u64>>()?;
        Some(Ticks {
            busy: total - idle,
            total,
            own,
        })
    }
}

/// CPUs' worth of time that processes other than this one used between `a` and `b`: all
/// busy time minus this process's own, divided by the wall time elapsed (the total ticks
/// of every CPU, divided by their number).
fn others_between(a: Ticks, b: Ticks, cores: usize) -> Option<f64> {
    if b.total <= a.total {
        return None;
    }
    let elapsed = (b.total - a.total) as f64 / cores as f64;
    let busy = b.busy.saturating_sub(a.busy);
    let own = b.own.saturating_sub(a.own);
    Some(busy.saturating_sub(own) as f64 / elapsed)
}

/// Watches how busy other processes keep the machine while something is measured.
///
/// ```
/// let watch = measure::LoadWatch::start();
/// // … measure something …
/// let note = watch.finish();
/// println!("{}", note.describe());
/// ```
#[derive(Debug, Clone)]
pub struct LoadWatch {
    load_before: Option<f64>,
    ticks: Option<Ticks>,
}

/// What a [`LoadWatch`] saw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadNote {
    /// The 1-minute load average when the watch started.
    pub load_before: Option<f64>,
    /// The 1-minute load average when it finished.
    pub load_after: Option<f64>,
    /// CPUs' worth of time other processes used meanwhile, on average (0 = none, 1 = a
    /// whole core).
    pub other_cores: Option<f64>,
}

/// Above this many cores' worth of other processes' work, a table is flagged as measured on
/// a busy machine: a tenth of a core is the noise of a quiet machine's background tasks.
pub const BUSY_OTHER_CORES: f64 = 0.25;

impl LoadWatch {
    /// Starts watching.
    pub fn start() -> LoadWatch {
        LoadWatch {
            load_before: load_average(),
            ticks: Ticks::now(),
        }
    }

    /// Stops watching and says what was seen.
    pub fn finish(&self) -> LoadNote {
        let other_cores = match (self.ticks, Ticks::now()) {
            (Some(a), Some(b)) => others_between(a, b, cores()),
            _ => None,
        };
        LoadNote {
            load_before: self.load_before,
            load_after: load_average(),
            other_cores,
        }
    }
}

impl LoadNote {
    /// Whether other processes used more than [`BUSY_OTHER_CORES`] meanwhile.
    pub fn busy(&self) -> bool {
        self.other_cores.is_some_and(|c| c > BUSY_OTHER_CORES)
    }

    /// One line for a table's footer, e.g. `load 0.12 → 1.05; other processes used 0.03 cores`,
    /// with a warning when the machine was busy.
    pub fn describe(&self) -> String {
        let show = |l: Option<f64>| l.map_or("?".to_string(), |l| format!("{l:.2}"));
        let mut line = format!(
            "load average {} → {}",
            show(self.load_before),
            show(self.load_after)
        );
        if let Some(c) = self.other_cores {
            line.push_str(&format!("; other processes used {c:.2} cores meanwhile"));
        }
        if self.busy() {
            line.push_str(" — BUSY MACHINE: these numbers are not comparable with a quiet run");
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_own_work_is_not_counted_as_others() {
        let a = Ticks {
            busy: 1_000,
            total: 10_000,
            own: 50,
        };
        // 2 cores, 100 ticks of wall time: 200 ticks in all. We were busy 100 of them
        // (one core), someone else 50.
        let b = Ticks {
            busy: 1_150,
            total: 10_200,
            own: 150,
        };
        assert_eq!(others_between(a, b, 2), Some(0.5));
        assert_eq!(others_between(b, a, 2), None, "time must move forward");
    }

    #[test]
    fn a_live_watch_reports_something_sensible() {
        let note = LoadWatch::start().finish();
        if let Some(other) = note.other_cores {
            assert!((0.0..=cores() as f64 + 0.5).contains(&other), "{note:?}");
        }
        assert!(note.describe().starts_with("load average"));
    }

    #[test]
    fn busy_is_judged_by_other_cores_only() {
        let quiet = LoadNote {
            load_before: Some(3.0),
            load_after: Some(3.0),
            other_cores: Some(0.05),
        };
        let busy = LoadNote {
            other_cores: Some(0.9),
            ..quiet
        };
        assert!(!quiet.busy());
        assert!(busy.busy());
        assert!(busy.describe().contains("BUSY"));
    }
}
