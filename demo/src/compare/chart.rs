//! The table as a bar chart: one pair of bars (Python, Rust) per row, time on a log scale
//! (the rows span microseconds to seconds), the ratio above each pair. SVG, via plotters.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::report::{Table, ratio, seconds};

const PYTHON: RGBColor = RGBColor(55, 118, 171);
const RUST: RGBColor = RGBColor(206, 66, 43);
/// Height of the picture in pixels; the width grows with the rows.
const HEIGHT: u32 = 520;

/// Draws `table`'s measured rows into an SVG file at `path`. Errors: the file cannot be
/// written, or there is no row to draw.
pub fn draw(table: &Table, path: &Path) -> Result<(), String> {
    let rows = table.measured();
    let all = rows.iter().flat_map(|m| [m.python, m.rust]);
    let (low, high) = all.fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(v), h.max(v)));
    if rows.is_empty() {
        return Err("no row was measured on both sides: nothing to draw".into());
    }
    // Whole decades around the data, so the bars start from a round number, and at least
    // three of them, so the axis is labelled by decade. The low end sits a hair under its
    // decade, so that the decade itself gets a label.
    let low = 10f64.powf(low.log10().floor());
    let high = 10f64.powf(high.log10().ceil() + 0.3).max(low * 2e3);
    let low = low * 0.999;
    let failed = |e: &dyn std::fmt::Display| format!("cannot draw {}: {e}", path.display());

    let width = 120 + 90 * rows.len() as u32;
    let root = SVGBackend::new(path, (width.max(600), HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| failed(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "The tutorial's Python and the course's Rust, same run (lower is faster)",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(52)
        .y_label_area_size(72)
        .build_cartesian_2d(0f64..rows.len() as f64, (low..high).log_scale())
        .map_err(|e| failed(&e))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc("median time (per call or per image)")
        .y_label_formatter(&|v| axis_label(*v))
        .draw()
        .map_err(|e| failed(&e))?;

    for (side, colour, name) in [(0, PYTHON, "Python"), (1, RUST, "Rust")] {
        let bars = rows.iter().enumerate().map(|(i, m)| {
            let left = i as f64 + 0.1 + 0.4 * side as f64;
            let value = if side == 0 { m.python } else { m.rust };
            Rectangle::new([(left, low), (left + 0.4, value)], colour.filled())
        });
        chart
            .draw_series(bars)
            .map_err(|e| failed(&e))?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| failed(&e))?;

    // Row labels under the axis and ratios over the bars, placed in pixels: the x axis has
    // no numbers of its own.
    let centred = |size| {
        ("sans-serif", size)
            .into_font()
            .into_text_style(&root)
            .pos(Pos::new(HPos::Center, VPos::Top))
    };
    for (i, m) in rows.iter().enumerate() {
        let centre = i as f64 + 0.5;
        let (x, y) = chart.backend_coord(&(centre, low));
        let (first, second) = m.spec.label.split_once(", ").unwrap_or((m.spec.label, ""));
        for (line, text) in [first, second].into_iter().enumerate() {
            root.draw(&Text::new(text, (x, y + 6 + 14 * line as i32), centred(12)))
                .map_err(|e| failed(&e))?;
        }
        let (x, top) = chart.backend_coord(&(centre, m.python.max(m.rust)));
        root.draw(&Text::new(
            ratio(m.python, m.rust),
            (x, top - 16),
            centred(12),
        ))
        .map_err(|e| failed(&e))?;
    }
    let footer = ("sans-serif", 11).into_font().into_text_style(&root);
    root.draw(&Text::new(
        table.summary(),
        (12, HEIGHT as i32 - 16),
        footer,
    ))
    .map_err(|e| failed(&e))?;
    root.present().map_err(|e| failed(&e))
}

/// `10 ms` rather than `10.00 ms`: the axis marks whole decades.
fn axis_label(secs: f64) -> String {
    let text = seconds(secs);
    match text.split_once(' ') {
        Some((number, unit)) if number.contains('.') => {
            format!(
                "{} {unit}",
                number.trim_end_matches('0').trim_end_matches('.')
            )
        }
        _ => text,
    }
}
