//! The Dask rows summed up: every way of running the tutorial's pipeline on a cluster in
//! this run, per image, against the tutorial's own `LocalCluster()` with numba + numpy.
//!
//! The main table pairs each Dask row with the course's cluster; this one lines the Dask
//! rows up with each other, which is the comparison a Dask user asks about ("what do I gain
//! by swapping the kernels, fusing the tasks, or setting the workers' allocator?"). It is
//! generated with the table, so the chapters quote no number the run did not produce.

use super::report::{Table, median, ratio, seconds};

/// The rows, in the order the chapter discusses them: (how the value is found, label).
const LINES: &[(Source, &str)] = &[
    (
        Source::Python("dask.done"),
        "Dask `LocalCluster()`, numba + numpy (the tutorial as written)",
    ),
    (
        Source::Python("dask.numpy_mmap"),
        "the same, workers' `MALLOC_MMAP_THRESHOLD_=32MiB`",
    ),
    (
        Source::Python("dask.rust"),
        "Dask `LocalCluster()`, the Rust kernels in the tutorial's four tasks",
    ),
    (
        Source::Python("dask.rust_mmap"),
        "the same, workers' `MALLOC_MMAP_THRESHOLD_=32MiB`",
    ),
    (
        Source::Python("dask.image"),
        "Dask `LocalCluster()`, one `eo_kernels.process_image` task per image",
    ),
    (
        Source::Python("dask.threads"),
        "Dask `LocalCluster(processes=False)`, 1 worker × 2 threads, the Rust kernels",
    ),
    (
        Source::Rust("dask.done"),
        "the course's cluster (§4): threads in one Rust process",
    ),
    (
        Source::Rust("bridge.rayon"),
        "no cluster: rayon's `run_parallel` on the same cores",
    ),
];

/// Which side of which row a line's median comes from.
#[derive(Clone, Copy)]
enum Source {
    Python(&'static str),
    Rust(&'static str),
}

impl Table {
    fn side(&self, source: Source) -> Option<f64> {
        let (key, python) = match source {
            Source::Python(key) => (key, true),
            Source::Rust(key) => (key, false),
        };
        let samples = self.rows.get(key)?;
        let side = if python {
            &samples.python
        } else {
            &samples.rust
        };
        (!side.is_empty()).then(|| median(side))
    }

    /// The summary's lines that were measured in this run: label and seconds per image.
    /// Empty unless the tutorial's cluster (`dask.done`, Python side) was measured, since
    /// every line is read against it.
    pub fn dask_summary(&self) -> Vec<(&'static str, f64)> {
        if self.side(Source::Python("dask.done")).is_none() {
            return Vec::new();
        }
        LINES
            .iter()
            .filter_map(|&(source, label)| Some((label, self.side(source)?)))
            .collect()
    }

    /// [`dask_summary`](Table::dask_summary) as a Markdown table, or nothing.
    pub fn dask_summary_markdown(&self) -> String {
        let lines = self.dask_summary();
        let Some(&(_, tutorial)) = lines.first() else {
            return String::new();
        };
        let mut text = String::from(
            "\nThe cluster rows per image, against the tutorial's cluster (same run; the \
             ratio is the tutorial's time over the row's):\n\n\
             | | per image | vs the tutorial's cluster |\n|---|---:|---:|\n",
        );
        for (label, secs) in &lines {
            text += &format!(
                "| {label} | {} | {} |\n",
                seconds(*secs),
                ratio(tutorial, *secs)
            );
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::super::report::tests::table;

    #[test]
    fn every_line_measured_is_read_against_the_tutorials_cluster() {
        let t = table(&[
            ("dask.done", vec![0.030], vec![0.008]),
            ("dask.rust", vec![0.025], vec![0.008]),
            ("dask.image", vec![0.010], vec![0.008]),
        ]);
        let summary = t.dask_summary();
        let labels: Vec<&str> = summary.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            labels.len(),
            4,
            "three Python sides and the course's cluster: {labels:?}"
        );
        assert!(labels[3].starts_with("the course's cluster"));
        let markdown = t.dask_summary_markdown();
        assert!(
            markdown.contains("| Dask `LocalCluster()`, numba + numpy (the tutorial as written) | 30.00 ms | 1.0× |"),
            "{markdown}"
        );
        assert!(
            markdown.contains("one `eo_kernels.process_image` task per image | 10.00 ms | 3.0× |"),
            "{markdown}"
        );
        assert!(markdown.contains("| 8.00 ms | 3.8× |"), "{markdown}");
    }

    #[test]
    fn without_the_tutorials_cluster_there_is_no_summary() {
        let t = table(&[("dask.rust", vec![0.025], vec![0.008])]);
        assert!(t.dask_summary().is_empty());
        assert_eq!(t.dask_summary_markdown(), "");
    }
}
