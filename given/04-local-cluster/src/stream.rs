//! The task stream (given code): what ran where and when, and its picture.

use std::collections::{BTreeMap, BTreeSet};
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

/// Colours for task names, in order; red is kept for failed tasks.
const PALETTE: [&str; 9] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#7f7f7f",
];
/// Failed tasks.
const FAILED: &str = "#d62728";

/// One colour per task name in `records`, all different: the names sorted, then the
/// palette in order (beyond it, hues a golden angle apart, away from the red of failures).
/// Deterministic: the same names get the same colours in every picture of them. (A hash of
/// the name into 8 colours gave `load_eo_data` and `fft2` the same purple.)
fn colours(records: &[TaskRecord]) -> BTreeMap<&str, String> {
    let names: BTreeSet<&str> = records.iter().map(TaskRecord::name).collect();
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let colour = match PALETTE.get(i) {
                Some(c) => (*c).to_string(),
                None => {
                    let hue = 30.0 + ((i - PALETTE.len()) as f64 * 137.508) % 300.0;
                    format!("hsl({hue:.0},60%,45%)")
                }
            };
            (name, colour)
        })
        .collect()
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
/// task coloured by its name (each name its own colour; failed tasks in red), with the key
/// and duration as a tooltip, and a legend of the colours below. Gaps in a row are time
/// that worker sat idle. Cost: O(records).
pub fn task_stream_svg(records: &[TaskRecord], workers: usize) -> String {
    const WIDTH: f64 = 1000.0;
    const ROW: f64 = 28.0;
    const LEFT: f64 = 80.0;
    let end = records.iter().map(|r| r.end).max().unwrap_or_default();
    let begin = records.iter().map(|r| r.start).min().unwrap_or_default();
    let span = (end - begin).as_secs_f64().max(1e-9);
    let colours = colours(records);
    let mut legend: Vec<(&str, &str)> = colours.iter().map(|(n, c)| (*n, c.as_str())).collect();
    if records.iter().any(|r| !r.succeeded) {
        legend.push(("failed", FAILED));
    }
    // The legend flows left to right, wrapping at the picture's width.
    let mut placed = Vec::with_capacity(legend.len());
    let (mut x, mut line) = (LEFT, 0_usize);
    for (name, colour) in legend {
        let width = 24.0 + 7.0 * name.chars().count() as f64;
        if x + width > LEFT + WIDTH && x > LEFT {
            (x, line) = (LEFT, line + 1);
        }
        placed.push((x, line, name, colour));
        x += width;
    }
    let legend_top = ROW * workers as f64 + 8.0;
    let legend_lines = placed.last().map_or(0, |p| p.1 + 1);
    let height = legend_top + 20.0 * legend_lines as f64 + 32.0;
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
            colours[r.name()].as_str()
        } else {
            FAILED
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
    for (x, line, name, colour) in placed {
        let y = legend_top + 20.0 * line as f64;
        let _ = writeln!(
            svg,
            r#"<rect x="{x:.1}" y="{y}" width="14" height="14" fill="{colour}"/><text x="{:.1}" y="{}">{}</text>"#,
            x + 18.0,
            y + 12.0,
            escape(name)
        );
    }
    svg.push_str("</svg>\n");
    svg
}
// ANCHOR_END: svg

#[cfg(test)]
mod tests {
    use super::*;

    fn record(task: TaskId, key: &str, succeeded: bool) -> TaskRecord {
        TaskRecord {
            task,
            key: Arc::from(key),
            worker: 0,
            start: Duration::from_millis(task),
            end: Duration::from_millis(task + 1),
            succeeded,
        }
    }

    /// Issue 15 item 7: `load_eo_data` and `fft2` were both `#9467bd`, with no legend.
    #[test]
    fn each_task_name_has_its_own_colour_and_a_legend_entry() {
        let records: Vec<TaskRecord> = ["load_eo_data", "smooth", "fft2", "save"]
            .iter()
            .enumerate()
            .map(|(i, name)| record(i as TaskId, &format!("{name}-{i}"), true))
            .collect();
        let colours = colours(&records);
        let distinct: BTreeSet<&String> = colours.values().collect();
        assert_eq!(distinct.len(), 4, "{colours:?}");
        assert_ne!(colours["load_eo_data"], colours["fft2"]);
        let svg = task_stream_svg(&records, 1);
        for (name, colour) in &colours {
            assert!(svg.contains(&format!(r#"fill="{colour}"/><text"#)), "{svg}");
            assert!(
                svg.contains(&format!(">{name}</text>")),
                "legend has {name}"
            );
        }
        assert_eq!(svg, task_stream_svg(&records, 1), "deterministic");
        assert!(
            !svg.contains(">failed</text>"),
            "no failures, no red in the legend"
        );
    }

    #[test]
    fn many_names_stay_distinct_and_failures_are_in_the_legend() {
        let mut records: Vec<TaskRecord> = (0..30)
            .map(|i| record(i, &format!("name{i}-{i}"), true))
            .collect();
        records.push(record(30, "broken-30", false));
        let colours = colours(&records);
        let distinct: BTreeSet<&String> = colours.values().collect();
        assert_eq!(distinct.len(), colours.len());
        assert!(!distinct.contains(&FAILED.to_string()));
        let svg = task_stream_svg(&records, 2);
        assert!(svg.contains(">failed</text>"));
    }
}
