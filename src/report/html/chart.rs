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

/// Lines of counts per series over labelled points (oldest first). Series with nothing but
/// zeros should be left out by the caller; the legend is drawn in HTML beside the chart.
pub fn lines(labels: &[String], series: &[(usize, Vec<u32>)]) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 280)).into_drawing_area();
        let top = series
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .max()
            .unwrap_or(0)
            .max(1);
        let n = labels.len().max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(34)
            .y_label_area_size(48)
            .build_cartesian_2d(
                0..(n as i32).max(2) - 1,
                0..(top as i32 + top as i32 / 10 + 1),
            )
            .expect("chart area");
        let step = (n / 10).max(1);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .x_labels(n.min(12))
            .x_label_formatter(&|x| {
                let i = *x as usize;
                match labels.get(i) {
                    Some(l) if i.is_multiple_of(step) => l.clone(),
                    _ => String::new(),
                }
            })
            .y_desc("exceptions")
            .label_style(("sans-serif", 12))
            .draw()
            .expect("mesh");
        for (idx, values) in series {
            let c = colour(*idx);
            let points: Vec<(i32, i32)> = values
                .iter()
                .enumerate()
                .map(|(i, v)| (i as i32, *v as i32))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), c.stroke_width(2)))
                .expect("series");
            chart
                .draw_series(points.iter().map(|p| Circle::new(*p, 3, c.filled())))
                .expect("points");
        }
        root.present().expect("svg into a string");
    }
    svg
}

/// Bars per month: renewals due on the current periods, and beside them under the what-if.
pub fn forecast(f: &Forecast) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 280)).into_drawing_area();
        let n = f.months.len();
        let base: Vec<u32> = (0..n).map(|i| f.baseline.month_total(i)).collect();
        let alt: Option<Vec<u32>> = f
            .what_if
            .as_ref()
            .map(|(_, s)| (0..n).map(|i| s.month_total(i)).collect());
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
            .build_cartesian_2d(0..(n as i32) * 3, 0..(top as i32 + top as i32 / 10 + 1))
            .expect("chart area");
        let labels: Vec<String> = f
            .months
            .iter()
            .map(|m| m.format("%b %y").to_string())
            .collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .x_labels(n * 3)
            .x_label_formatter(&|x| {
                let i = (*x / 3) as usize;
                match labels.get(i) {
                    Some(l) if *x % 3 == 1 && i.is_multiple_of(3) => l.clone(),
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
