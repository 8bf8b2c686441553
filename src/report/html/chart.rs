//! Inline SVG charts for report.html, drawn with plotters' SVG backend: no scripts, no
//! external fonts (text is set in the reader's sans-serif), the same bytes for the same data.

use crate::analyse::forecast::Forecast;
use plotters::prelude::*;

/// Colour-blind-safe palette (Okabe and Ito), then greys.
const PALETTE: [RGBColor; 11] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
    RGBColor(120, 120, 120),
    RGBColor(170, 170, 170),
    RGBColor(60, 60, 60),
];

pub fn colour(i: usize) -> RGBColor {
    PALETTE.get(i % PALETTE.len()).copied().unwrap_or(BLACK)
}

/// CSS form of a palette colour, for legends drawn in HTML.
pub fn css(i: usize) -> String {
    let c = colour(i);
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// One small chart of one code's counts over labelled points (oldest first): the trend is
/// drawn as small multiples, one per code, so no two series share a colour or hide each
/// other when their counts are equal. Only the first and last labels are written, with room
/// for the last; text is 12 px. A point with no value (a night that did not check the code)
/// is a gap in the line, never a zero.
pub fn small_line(title: &str, labels: &[String], values: &[Option<u32>]) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (340, 150)).into_drawing_area();
        let top = values.iter().flatten().copied().max().unwrap_or(0).max(1);
        let n = labels.len().max(2);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 13))
            .margin(6)
            .margin_right(40)
            .x_label_area_size(22)
            .y_label_area_size(40)
            .build_cartesian_2d(0..n as i32 - 1, 0..(top as i32 + top as i32 / 10 + 1))
            .expect("chart area");
        let last = labels.len().saturating_sub(1);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .x_labels(labels.len().max(2))
            .y_labels(3)
            .x_label_formatter(&|x| {
                let i = *x as usize;
                match labels.get(i) {
                    Some(l) if i == 0 || i == last => l.clone(),
                    _ => String::new(),
                }
            })
            .label_style(("sans-serif", 12))
            .draw()
            .expect("mesh");
        let c = colour(0);
        let points: Vec<(i32, i32)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((i as i32, (*v)? as i32)))
            .collect();
        // One line per run of nights with a value.
        for run in points.chunk_by(|a, b| b.0 == a.0 + 1) {
            chart
                .draw_series(LineSeries::new(run.to_vec(), c.stroke_width(2)))
                .expect("series");
        }
        chart
            .draw_series(points.iter().map(|p| Circle::new(*p, 3, c.filled())))
            .expect("points");
        root.present().expect("svg into a string");
    }
    svg
}

/// Bars per month: renewals due on the current periods, and beside them under the what-if;
/// the first pair of bars is what is already overdue (the bulge a shorter period makes).
pub fn forecast(f: &Forecast) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 280)).into_drawing_area();
        let overdue = |s: &crate::analyse::forecast::ForecastScenario| -> u32 {
            f.levels.iter().map(|l| s.overdue_of(l)).sum()
        };
        // Slot 0 is "overdue now", slots 1.. the months.
        let n = f.months.len() + 1;
        let base: Vec<u32> = std::iter::once(overdue(&f.baseline))
            .chain((0..f.months.len()).map(|i| f.baseline.month_total(i)))
            .collect();
        let alt: Option<Vec<u32>> = f.what_if.as_ref().map(|(_, s)| {
            std::iter::once(overdue(s))
                .chain((0..f.months.len()).map(|i| s.month_total(i)))
                .collect()
        });
        let top = base
            .iter()
            .chain(alt.iter().flatten())
            .copied()
            .max()
            .unwrap_or(0)
            .max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(34)
            .y_label_area_size(48)
            .margin_right(30)
            .build_cartesian_2d(0..(n as i32) * 3, 0..(top as i32 + top as i32 / 10 + 1))
            .expect("chart area");
        let labels: Vec<String> = std::iter::once("Overdue".to_string())
            .chain(f.months.iter().map(|m| m.format("%b %Y").to_string()))
            .collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .x_labels(n * 3)
            .x_label_formatter(&|x| {
                let i = (*x / 3) as usize;
                match labels.get(i) {
                    Some(l) if *x % 3 == 1 && (i == 0 || i % 3 == 1) => l.clone(),
                    _ => String::new(),
                }
            })
            .y_desc("clearances due")
            .label_style(("sans-serif", 12))
            .draw()
            .expect("mesh");
        let bars = |values: &[u32], offset: i32, c: RGBColor| {
            values
                .iter()
                .enumerate()
                .map(move |(i, v)| {
                    let x = i as i32 * 3 + offset;
                    Rectangle::new([(x, 0), (x + 1, *v as i32)], c.filled())
                })
                .collect::<Vec<_>>()
        };
        chart.draw_series(bars(&base, 0, colour(0))).expect("bars");
        if let Some(alt) = &alt {
            chart.draw_series(bars(alt, 1, colour(1))).expect("bars");
        }
        root.present().expect("svg into a string");
    }
    svg
}
