//! The `fft2-sweep` step's own table and chart: numpy's `fft2`/`rfft2` and the course's
//! `Fft2` at every shape of `solution_03::FFT2_SWEEP_SHAPES`, as time per call and cost per
//! pixel, written to `fft2-sweep.md` and `fft2-sweep.svg` beside `compare.md`.

use std::collections::BTreeMap;
use std::path::Path;

use plotters::prelude::*;

use super::Samples;
use super::report::{median, ratio, seconds};

const PYTHON: RGBColor = RGBColor(55, 118, 171);
const RUST: RGBColor = RGBColor(206, 66, 43);

/// The two transforms of the sweep: the full spectrum, and its non-redundant half.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `np.fft.fft2` vs `Fft2::forward_into`.
    Full,
    /// `np.fft.rfft2` vs `Fft2::forward_half_into`.
    Half,
}

impl Kind {
    pub fn key_prefix(self) -> &'static str {
        match self {
            Kind::Full => "fft2",
            Kind::Half => "rfft2",
        }
    }
}

/// A row of the sweep: which transform, at which shape.
pub type SweepKey = (Kind, (usize, usize));

/// Samples of the sweep, by transform and shape.
pub type Sweep = BTreeMap<SweepKey, Samples>;

/// A row measured on both sides: transform, shape, Python and Rust medians, samples per side.
type MeasuredRow = (Kind, (usize, usize), f64, f64, usize, usize);

/// The transform and shape of a `steps.py` sweep row key (`fft2.1000x1500`), if it is one.
pub fn parse_key(key: &str) -> Option<SweepKey> {
    let (prefix, shape) = key.split_once('.')?;
    let kind = [Kind::Full, Kind::Half]
        .into_iter()
        .find(|k| k.key_prefix() == prefix)?;
    let (rows, cols) = shape.split_once('x')?;
    Some((kind, (rows.parse().ok()?, cols.parse().ok()?)))
}

/// Nanoseconds per pixel.
fn per_pixel(secs: f64, shape: (usize, usize)) -> f64 {
    secs * 1e9 / (shape.0 * shape.1) as f64
}

/// The rows measured on both sides, in the order of `FFT2_SWEEP_SHAPES`.
fn measured(sweep: &Sweep) -> Vec<MeasuredRow> {
    let mut rows = Vec::new();
    for kind in [Kind::Full, Kind::Half] {
        for shape in solution_03::FFT2_SWEEP_SHAPES {
            if let Some(s) = sweep.get(&(kind, shape))
                && !s.python.is_empty()
                && !s.rust.is_empty()
            {
                rows.push((
                    kind,
                    shape,
                    median(&s.python),
                    median(&s.rust),
                    s.python.len(),
                    s.rust.len(),
                ));
            }
        }
    }
    rows
}

/// The table as Markdown under `header` (the run's machine, versions and load lines).
pub fn markdown(sweep: &Sweep, header: &[String]) -> String {
    let mut text = String::from(
        "<!-- Written by `cargo xtask demo compare --steps fft2-sweep`; do not edit. -->\n\n",
    );
    for line in header {
        text += &format!("- {line}\n");
    }
    text += "\n| transform | shape | pixels | numpy | Rust | numpy ns/pixel | Rust ns/pixel | \
             ratio | n |\n|---|---|---|---|---|---|---|---|---|\n";
    let rows = measured(sweep);
    for &(kind, shape, python, rust, np, nr) in &rows {
        let (numpy, course) = match kind {
            Kind::Full => ("`np.fft.fft2`", "`Fft2::forward_into`"),
            Kind::Half => ("`np.fft.rfft2`", "`Fft2::forward_half_into`"),
        };
        text += &format!(
            "| {numpy} vs {course} | {} × {} | {:.2} M | {} | {} | {:.1} | {:.1} | {} | {np}/{nr} |\n",
            shape.0,
            shape.1,
            (shape.0 * shape.1) as f64 / 1e6,
            seconds(python),
            seconds(rust),
            per_pixel(python, shape),
            per_pixel(rust, shape),
            ratio(python, rust),
        );
    }
    text += "\nMedians over every sample of every round (one call each; the Rust side reuses \
             its plan, work buffers and output, as a pipeline thread does; numpy allocates its \
             result each call). ratio: numpy's median over Rust's.\n";
    let full: Vec<f64> = rows
        .iter()
        .filter(|r| r.0 == Kind::Full)
        .map(|r| r.2 / r.3)
        .collect();
    if let Some(at_1000) = rows
        .iter()
        .find(|r| r.0 == Kind::Full && r.1 == (1000, 1000))
    {
        let worst = full.iter().copied().fold(f64::INFINITY, f64::min);
        text += &format!(
            "\n- Goal, fft2 at least 2× numpy at 1000 × 1000: {} ({}); ahead of numpy at every \
             shape: {} (smallest ratio {worst:.2}×)\n",
            if at_1000.2 >= 2.0 * at_1000.3 {
                "met"
            } else {
                "NOT met"
            },
            ratio(at_1000.2, at_1000.3),
            if worst >= 1.0 { "met" } else { "NOT met" },
        );
    }
    text
}

/// Cost per pixel against pixels, both sides, both transforms: an SVG line chart.
///
/// # Errors
/// The file cannot be written, or nothing was measured on both sides.
pub fn draw(sweep: &Sweep, path: &Path, subtitle: &str) -> Result<(), String> {
    let rows = measured(sweep);
    if rows.is_empty() {
        return Err("no sweep shape was measured on both sides: nothing to draw".into());
    }
    let failed = |e: &dyn std::fmt::Display| format!("cannot draw {}: {e}", path.display());
    let pixels = |shape: (usize, usize)| (shape.0 * shape.1) as f64;
    let costs = rows
        .iter()
        .flat_map(|r| [per_pixel(r.2, r.1), per_pixel(r.3, r.1)]);
    let top = costs.fold(0f64, f64::max) * 1.15;
    let (low, high) = rows
        .iter()
        .map(|r| pixels(r.1))
        .fold((f64::MAX, 0f64), |(l, h), p| (l.min(p), h.max(p)));
    let root = SVGBackend::new(path, (860, 520)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| failed(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "2-D FFT: cost per pixel against image size (lower is faster)",
            ("sans-serif", 18),
        )
        .margin(14)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d((low * 0.8..high * 1.25).log_scale(), 0f64..top)
        .map_err(|e| failed(&e))?;
    chart
        .configure_mesh()
        .x_desc(format!("pixels (rows × cols); {subtitle}"))
        .y_desc("ns per pixel (median)")
        .x_label_formatter(&|v| format!("{:.2} M", v / 1e6))
        .draw()
        .map_err(|e| failed(&e))?;
    for (kind, dashed) in [(Kind::Full, false), (Kind::Half, true)] {
        for (side, colour, name) in [(0, PYTHON, "numpy"), (1, RUST, "Rust")] {
            let mut points: Vec<(f64, f64, (usize, usize))> = rows
                .iter()
                .filter(|r| r.0 == kind)
                .map(|r| {
                    let secs = if side == 0 { r.2 } else { r.3 };
                    (pixels(r.1), per_pixel(secs, r.1), r.1)
                })
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
            let style = if dashed {
                colour.mix(0.55).stroke_width(2)
            } else {
                colour.stroke_width(2)
            };
            let label = format!(
                "{name} {}",
                match kind {
                    Kind::Full => "fft2",
                    Kind::Half => "rfft2 (half spectrum)",
                }
            );
            chart
                .draw_series(std::iter::once(PathElement::new(
                    points.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(),
                    style,
                )))
                .map_err(|e| failed(&e))?
                .label(label)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], style));
            chart
                .draw_series(
                    points
                        .iter()
                        .map(|p| Circle::new((p.0, p.1), 3, colour.filled())),
                )
                .map_err(|e| failed(&e))?;
            if side == 0 && kind == Kind::Full {
                // Each shape named once, beside numpy's full-transform point.
                chart
                    .draw_series(points.iter().map(|p| {
                        Text::new(
                            format!("{}×{}", p.2.0, p.2.1),
                            (p.0, p.1),
                            ("sans-serif", 10).into_font(),
                        )
                    }))
                    .map_err(|e| failed(&e))?;
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| failed(&e))?;
    root.present().map_err(|e| failed(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_keys_name_a_transform_and_a_shape() {
        assert_eq!(
            parse_key("fft2.1000x1500"),
            Some((Kind::Full, (1000, 1500)))
        );
        assert_eq!(parse_key("rfft2.4096x256"), Some((Kind::Half, (4096, 256))));
        assert_eq!(parse_key("fft2"), None);
        assert_eq!(parse_key("smooth.steady"), None);
    }

    #[test]
    fn steps_py_sweeps_the_same_shapes_as_the_rust_side() {
        let script = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../python/steps.py"),
        )
        .expect("python/steps.py");
        let line = script
            .split("FFT2_SWEEP_SHAPES = (")
            .nth(1)
            .and_then(|rest| rest.split("))").next())
            .expect("FFT2_SWEEP_SHAPES in steps.py");
        let numbers: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().expect("a number"))
            .collect();
        let rust: Vec<usize> = solution_03::FFT2_SWEEP_SHAPES
            .iter()
            .flat_map(|&(r, c)| [r, c])
            .collect();
        assert_eq!(numbers, rust);
    }
}
