//! The task stream (given code): what ran where and when, and its picture.

use std::fmt::Write;
use std::sync::Arc;
use std::time::Duration;

use crate::{TaskId, WorkerId};

/// One task's run on a worker. Times are since the cluster started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRecord {
    pub task: TaskId,
    pub key: Arc<str>,
    pub worker: WorkerId,
    pub start: Duration,
    pub end: Duration,
    /// It returned a value (rather than panicking or returning an error).
    pub succeeded: bool,
}

impl TaskRecord {
    /// The name part of the key: `smooth` for `smooth-17`.
    pub fn name(&self) -> &str {
        self.key
            .rsplit_once('-')
            .map_or(&self.key, |(name, _)| name)
    }
}

/// A colour per task name, stable across runs (like Dask's task stream colours).
fn colour(name: &str) -> &'static str {
    const PALETTE: [&str; 8] = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    ];
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    PALETTE[(hash % PALETTE.len() as u64) as usize]
}

/// Escapes text for XML.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

// ANCHOR: svg
/// The task stream as an SVG picture: one row per worker, time to the right, one bar per
/// task coloured by its name (failed tasks in red), with the key and duration as a tooltip.
/// Gaps in a row are time that worker sat idle. Cost: O(records).
pub fn task_stream_svg(records: &[TaskRecord], workers: usize) -> String {
    const WIDTH: f64 = 1000.0;
    const ROW: f64 = 28.0;
    const LEFT: f64 = 80.0;
    let end = records.iter().map(|r| r.end).max().unwrap_or_default();
    let begin = records.iter().map(|r| r.start).min().unwrap_or_default();
    let span = (end - begin).as_secs_f64().max(1e-9);
    let height = ROW * workers as f64 + 40.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{height}" font-family="sans-serif" font-size="12">"#,
        WIDTH + LEFT + 10.0
    );
    let _ = writeln!(
        svg,
        r#"<text x="4" y="{}">task stream: {} tasks on {workers} workers over {:.3} s (gaps are idle time)</text>"#,
        height - 8.0,
        records.len(),
        span
    );
    for w in 0..workers {
        let y = ROW * w as f64 + 4.0;
        let _ = writeln!(
            svg,
            r##"<text x="4" y="{}">worker {w}</text><rect x="{LEFT}" y="{y}" width="{WIDTH}" height="{}" fill="#f4f4f4"/>"##,
            y + ROW / 2.0 + 4.0,
            ROW - 6.0
        );
    }
    for r in records {
        let x = LEFT + (r.start - begin).as_secs_f64() / span * WIDTH;
        let width = ((r.end - r.start).as_secs_f64() / span * WIDTH).max(0.5);
        let y = ROW * r.worker as f64 + 4.0;
        let fill = if r.succeeded {
            colour(r.name())
        } else {
            "#d62728"
        };
        let _ = writeln!(
            svg,
            r#"<rect x="{x:.2}" y="{y}" width="{width:.2}" height="{}" fill="{fill}"><title>{} on worker {}: {:.3} ms</title></rect>"#,
            ROW - 6.0,
            escape(&r.key),
            r.worker,
            (r.end - r.start).as_secs_f64() * 1e3
        );
    }
    svg.push_str("</svg>\n");
    svg
}
// ANCHOR_END: svg
