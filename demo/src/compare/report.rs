//! The table: the medians of both sides, shown in a terminal and as Markdown for the book,
//! under a header naming the machine, with issue 12's goals judged on the run.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::rows::{ROWS, RowSpec};
use super::{Samples, Workload};

/// Everything measured in one run.
pub struct Table {
    pub rows: BTreeMap<&'static str, Samples>,
    pub python_versions: String,
    pub load_before: String,
    pub load_after: String,
    pub rounds: u32,
    pub work: Workload,
    pub freed_memory_kept: bool,
    /// The day of the run (UTC).
    pub date: String,
}

/// The median of `samples` (which must not be empty).
pub fn median(samples: &[f64]) -> f64 {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// `1.23 ms`, `456 µs`, `2.10 s`.
pub fn seconds(secs: f64) -> String {
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 1e-3 {
        format!("{:.2} ms", secs * 1e3)
    } else {
        format!("{:.1} µs", secs * 1e6)
    }
}

/// `3.8×`, `72×`, `12671×`: Python's median over Rust's, with the digits that mean something.
pub fn ratio(python: f64, rust: f64) -> String {
    let r = python / rust;
    if r >= 10.0 {
        format!("{r:.0}×")
    } else {
        format!("{r:.1}×")
    }
}

/// A measured row: its spec and both medians.
pub struct Measured<'a> {
    pub spec: &'static RowSpec,
    pub samples: &'a Samples,
    pub python: f64,
    pub rust: f64,
}

impl Table {
    /// The rows measured on both sides, in table order.
    pub fn measured(&self) -> Vec<Measured<'_>> {
        ROWS.iter()
            .filter_map(|spec| {
                let samples = self.rows.get(spec.key)?;
                (!samples.python.is_empty() && !samples.rust.is_empty()).then(|| Measured {
                    spec,
                    samples,
                    python: median(&samples.python),
                    rust: median(&samples.rust),
                })
            })
            .collect()
    }

    /// Issue 12's goals, judged on this run: every Rust row at least as fast as its Python
    /// row, and the per-image pipeline at least 3× faster than numpy + numba.
    pub fn goals(&self) -> Vec<String> {
        let measured = self.measured();
        let verdict = |met: bool| if met { "met" } else { "NOT met" };
        // The `bridge.` rows run Rust on both sides (called from Python, and directly): they
        // measure the boundary, not Python against Rust, so they are not part of this goal.
        // Nor are the `add.copy` rows: both sides call the same `memcpy`, as a floor.
        let slower: Vec<&str> = measured
            .iter()
            .filter(|m| !m.spec.key.starts_with("bridge.") && !m.spec.key.starts_with("add.copy"))
            .filter(|m| m.rust > m.python)
            .map(|m| m.spec.label)
            .collect();
        let mut goals = vec![format!(
            "Goal, every Rust row at least as fast as Python: {}{}",
            verdict(slower.is_empty()),
            if slower.is_empty() {
                String::new()
            } else {
                format!(" (slower: {})", slower.join("; "))
            }
        )];
        if let Some(m) = measured.iter().find(|m| m.spec.key == "pipeline") {
            goals.push(format!(
                "Goal, the pipeline at least 3× faster per image: {} ({:.2}×)",
                verdict(m.python >= 3.0 * m.rust),
                // Two decimals: a ratio of 2.99 shown as "3.0×" beside "NOT met" misleads.
                m.python / m.rust
            ));
        }
        goals.extend(self.dask_goals());
        goals
    }

    /// The Python-side median of row `key`, if it was measured.
    fn python_median(&self, key: &str) -> Option<f64> {
        let samples = self.rows.get(key)?;
        (!samples.python.is_empty()).then(|| median(&samples.python))
    }

    /// Issue 12's Dask goal (the Rust kernels at least 2× numpy/numba on the same
    /// `LocalCluster()`), and what the workers' allocator setting changed on both: the two
    /// need the `dask` and `bridge` steps in the same run.
    fn dask_goals(&self) -> Vec<String> {
        let mut goals = Vec::new();
        let numpy = self.python_median("dask.done");
        let rust = self.python_median("dask.rust");
        let one_task = self.python_median("dask.image");
        // Two ways to bring the kernels to Dask: swapped into the tutorial's four tasks per
        // image, and fused into one task per image. The goal is met if either reaches 2×;
        // the line says which, so that neither hides the other.
        if let Some(numpy) = numpy {
            let form = |name: &str, secs: Option<f64>| {
                secs.map(|secs| {
                    format!(
                        "{} {name} ({} vs {}: {})",
                        if numpy >= 2.0 * secs {
                            "met"
                        } else {
                            "NOT met"
                        },
                        seconds(secs),
                        seconds(numpy),
                        ratio(numpy, secs)
                    )
                })
            };
            let forms: Vec<String> = [
                form(
                    "with the kernels swapped into the tutorial's four tasks",
                    rust,
                ),
                form("with one `process_image` task per image", one_task),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !forms.is_empty() {
                goals.push(format!(
                    "Goal, Dask with the Rust kernels at least 2× Dask with numpy/numba per \
                     image: {}",
                    forms.join("; ")
                ));
            }
        }
        let mmap = |default: Option<f64>, key: &str| {
            let set = self.python_median(key)?;
            let default = default?;
            Some(format!(
                "{} → {} ({})",
                seconds(default),
                seconds(set),
                ratio(default, set)
            ))
        };
        let numpy_mmap = mmap(numpy, "dask.numpy_mmap");
        let rust_mmap = mmap(rust, "dask.rust_mmap");
        if numpy_mmap.is_some() || rust_mmap.is_some() {
            let na = || "not measured".to_string();
            goals.push(format!(
                "Worker allocator, measured: MALLOC_MMAP_THRESHOLD_=32MiB in the workers \
                 (Dask sets MALLOC_TRIM_THRESHOLD_, which makes every large array a fresh mmap) \
                 takes numpy/numba from {} per image, the Rust kernels from {}",
                numpy_mmap.unwrap_or_else(na),
                rust_mmap.unwrap_or_else(na)
            ));
        }
        goals
    }

    /// One line naming the run, for the chart: machine, date, load before and after.
    pub fn summary(&self) -> String {
        format!(
            "{}, {} cores; {}; load {} → {}",
            crate::machine::cpu_model(),
            measure::cores(),
            self.date,
            self.load_before,
            self.load_after
        )
    }

    pub fn header(&self) -> Vec<String> {
        let w = self.work;
        vec![
            format!(
                "Machine: {}, {} cores available, transparent huge pages: {}",
                crate::machine::cpu_model(),
                measure::cores(),
                huge_pages()
            ),
            format!(
                "Rust: {} ({}); Python: {}",
                crate::machine::rustc_version(),
                if self.freed_memory_kept {
                    "freed memory kept"
                } else {
                    "malloc defaults"
                },
                self.python_versions
            ),
            format!(
                "Run: {}, {} rounds alternating Python and Rust, {} repeats per row \
                 (a fifth for rows taking seconds), {} images per pipeline run",
                self.date, self.rounds, w.repeats, w.images
            ),
            format!(
                "Load average (1 min) before: {}; after: {}. Other jobs on the machine slow \
                 both sides alike, but not always equally",
                self.load_before, self.load_after
            ),
        ]
    }

    fn cells(&self) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let header = vec![
            "step",
            "Python",
            "Rust",
            "Python ÷ Rust",
            "n (Py/Rs)",
            "Python runs",
            "Rust runs",
            "differences",
        ];
        let rows = self
            .measured()
            .iter()
            .map(|m| {
                vec![
                    m.spec.label.to_string(),
                    seconds(m.python),
                    seconds(m.rust),
                    ratio(m.python, m.rust),
                    format!("{}/{}", m.samples.python.len(), m.samples.rust.len()),
                    m.samples.python_what.clone(),
                    m.spec.rust.to_string(),
                    m.spec.differs.to_string(),
                ]
            })
            .collect();
        (header, rows)
    }

    /// The first five columns, aligned, with the header lines: for a terminal.
    pub fn terminal(&self) -> String {
        let (header, rows) = self.cells();
        let mut text = self.header().join("\n") + "\n\n";
        let short: Vec<Vec<String>> =
            std::iter::once(header.iter().map(|h| h.to_string()).collect())
                .chain(rows.iter().cloned())
                .map(|r: Vec<String>| r.into_iter().take(5).collect())
                .collect();
        let widths: Vec<usize> = (0..5)
            .map(|c| {
                short
                    .iter()
                    .map(|r| r[c].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in &short {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(c, (cell, &w))| match c {
                    0 => format!("{cell:<w$}"),
                    _ => format!("{cell:>w$}"),
                })
                .collect();
            text += line.join("  ").trim_end();
            text += "\n";
        }
        text += "\nMedians over every sample of every round (seconds per call, or per image where \
                 the step says so).\n\nWhat differs (and what each side runs: the Markdown file):\n";
        for m in self.measured() {
            text += &format!("- {}: {}\n", m.spec.label, m.spec.differs.replace('`', ""));
        }
        text += "\n";
        text += &self.goals().join("\n");
        text += &self.dask_summary_markdown();
        text
    }

    /// The whole table as Markdown, header lines first.
    pub fn markdown(&self) -> String {
        let (header, rows) = self.cells();
        let mut text =
            String::from("<!-- Written by `cargo xtask demo compare`; do not edit. -->\n\n");
        for line in self.header() {
            text += &format!("- {line}\n");
        }
        text += "\n| ";
        text += &header.join(" | ");
        text += " |\n|";
        text += &header.iter().map(|_| "---|").collect::<String>();
        text += "\n";
        for row in rows {
            text += "| ";
            text += &row.join(" | ");
            text += " |\n";
        }
        text += "\nMedians over every sample of every round: seconds per call, or per image for \
                 the pipeline and cluster rows. `n`: samples on each side.\n";
        for goal in self.goals() {
            text += &format!("\n- {goal}");
        }
        text += "\n";
        text += &self.dask_summary_markdown();
        text
    }
}

/// Where the book looks for the generated files: `book/src/generated`.
pub fn default_out_dir() -> PathBuf {
    crate::paths::workspace_root().join("book/src/generated")
}

/// The 1-minute load average, or `n/a` where the platform has none.
pub fn load_average() -> String {
    measure::load_average().map_or_else(|| "n/a".into(), |l| format!("{l:.2}"))
}

/// Linux's transparent-huge-page mode (`always`, `madvise`, `never`), or `n/a`.
fn huge_pages() -> String {
    std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled")
        .ok()
        .and_then(|modes| {
            let chosen = modes.split_once('[')?.1.split_once(']')?.0;
            Some(chosen.to_string())
        })
        .unwrap_or_else(|| "n/a".into())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::compare) fn table(rows: &[(&'static str, Vec<f64>, Vec<f64>)]) -> Table {
        Table {
            rows: rows
                .iter()
                .map(|(key, python, rust)| {
                    let samples = Samples {
                        python: python.clone(),
                        rust: rust.clone(),
                        python_what: format!("python does {key}"),
                    };
                    (*key, samples)
                })
                .collect(),
            python_versions: "Python 3.11.7".into(),
            load_before: "0.10".into(),
            load_after: "0.40".into(),
            rounds: 2,
            work: Workload {
                repeats: 5,
                images: 20,
            },
            freed_memory_kept: true,
            date: "2026-11-26".into(),
        }
    }

    #[test]
    fn the_dask_goal_and_the_allocator_line_come_from_the_python_medians() {
        let t = table(&[
            ("bridge.fft2", vec![0.012], vec![0.013]),
            ("dask.done", vec![0.036], vec![0.010]),
            ("dask.rust", vec![0.015], vec![0.010]),
            ("dask.numpy_mmap", vec![0.030], vec![0.010]),
        ]);
        let goals = t.goals().join("\n");
        assert!(
            goals.contains("every Rust row at least as fast as Python: met"),
            "a bridge row (Rust on both sides) is not judged as Python vs Rust: {goals}"
        );
        assert!(
            goals.contains(
                "2× Dask with numpy/numba per image: met with the kernels swapped into the \
                 tutorial's four tasks (15.00 ms vs 36.00 ms: 2.4×)"
            ),
            "{goals}"
        );
        let fused = table(&[
            ("dask.done", vec![0.030], vec![0.010]),
            ("dask.rust", vec![0.027], vec![0.010]),
            ("dask.image", vec![0.009], vec![0.010]),
        ]);
        let goals_fused = fused.goals().join("\n");
        assert!(
            goals_fused.contains(
                "NOT met with the kernels swapped into the tutorial's four tasks (27.00 ms vs \
                 30.00 ms: 1.1×); met with one `process_image` task per image (9.00 ms vs 30.00 \
                 ms: 3.3×)"
            ),
            "both forms are named, the failing one too: {goals_fused}"
        );
        assert!(
            goals.contains("numpy/numba from 36.00 ms → 30.00 ms (1.2×) per image, the Rust kernels from not measured"),
            "{goals}"
        );
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn ratios_keep_the_digits_that_mean_something() {
        assert_eq!(ratio(3.8, 1.0), "3.8×");
        assert_eq!(ratio(12670.6, 1.0), "12671×");
    }

    #[test]
    fn a_row_measured_on_one_side_only_is_left_out() {
        let t = table(&[
            ("fft2", vec![0.02, 0.04], vec![0.01]),
            ("pipeline", vec![0.05], vec![]),
        ]);
        let measured = t.measured();
        assert_eq!(measured.len(), 1);
        assert_eq!((measured[0].python, measured[0].rust), (0.03, 0.01));
        let markdown = t.markdown();
        assert!(markdown.contains("| fft2 | 30.00 ms | 10.00 ms | 3.0× | 2/1 |"));
        assert!(!markdown.contains("pipeline / image"));
        assert!(markdown.contains("before: 0.10; after: 0.40"));
        assert!(t.terminal().contains("- fft2: numpy (pocketfft)"));
        assert!(markdown.contains("every Rust row at least as fast as Python: met"));
        assert!(!markdown.contains("Dask with the Rust kernels"));
        let slower = table(&[("pipeline", vec![0.04], vec![0.02])]);
        assert!(
            slower
                .markdown()
                .contains("3× faster per image: NOT met (2.00×)")
        );
    }
}
