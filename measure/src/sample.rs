//! A set of run times and what to say about it.

use std::fmt;
use std::time::Duration;

/// Timings of one implementation.
#[derive(Debug, Clone)]
pub struct Sample {
    runs: Vec<Duration>,
}

impl Sample {
    /// Wraps raw run times.
    ///
    /// # Panics
    /// If `runs` is empty: a sample needs at least one run.
    pub fn new(mut runs: Vec<Duration>) -> Sample {
        assert!(!runs.is_empty(), "a sample needs at least one run");
        runs.sort();
        Sample { runs }
    }

    /// The middle run (the mean of the two middle runs for an even count).
    pub fn median(&self) -> Duration {
        let n = self.runs.len();
        if n % 2 == 1 {
            self.runs[n / 2]
        } else {
            (self.runs[n / 2 - 1] + self.runs[n / 2]) / 2
        }
    }

    /// The fastest run.
    pub fn min(&self) -> Duration {
        self.runs[0]
    }

    /// The slowest run.
    pub fn max(&self) -> Duration {
        self.runs[self.runs.len() - 1]
    }

    /// How many runs.
    pub fn len(&self) -> usize {
        self.runs.len()
    }

    /// Never true: a sample has at least one run.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Every run multiplied by `factor`: to compare runs of different sizes per unit of work.
    pub fn scaled(&self, factor: f64) -> Sample {
        Sample::new(self.runs.iter().map(|d| d.mul_f64(factor)).collect())
    }
}

impl fmt::Display for Sample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "median {} (min {}, max {}) over {} runs",
            format_duration(self.median()),
            format_duration(self.min()),
            format_duration(self.max()),
            self.len()
        )
    }
}

/// `1.23 ms`, `456 µs`, `2.10 s`: three significant digits, readable in a terminal.
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 1e-3 {
        format!("{:.2} ms", secs * 1e3)
    } else if secs >= 1e-6 {
        format!("{:.1} µs", secs * 1e6)
    } else {
        format!("{:.0} ns", secs * 1e9)
    }
}
