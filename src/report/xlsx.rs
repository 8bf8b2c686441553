//! exceptions.xlsx: the morning's lists as a spreadsheet, one sheet per section (exceptions,
//! review queue, forecast, disproportionality, QA sample, designated posts), each with its
//! header frozen, an auto-filter on, and dates as real dates.
//!
//! Written by rust_xlsxwriter. Text cells are written as strings, which a spreadsheet never
//! evaluates, so a name like `=HYPERLINK(...)` stays text without the apostrophe the CSV files
//! need. The document's creation time is the run's as-of date (not the clock) and the zip
//! entries carry a fixed time, so the same run gives the same bytes.

use super::morning::Morning;
use super::table::{Table, Value};
use rust_xlsxwriter::{DocProperties, Format, Workbook, Worksheet, XlsxError};

fn t(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// Rows a sheet holds below its header (Excel's limit is 1,048,576 rows in all). Longer lists
/// are cut there; the CSV files always hold every row.
const MAX_ROWS: usize = 1_048_575;

/// One sheet: header row, data rows, frozen header, auto-filter, sensible widths.
fn sheet(
    book: &mut Workbook,
    name: &str,
    header: &[&str],
    mut rows: Vec<Vec<Value>>,
) -> Result<(), XlsxError> {
    rows.truncate(MAX_ROWS);
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let ws: &mut Worksheet = book.add_worksheet();
    ws.set_name(name)?;
    let mut widths: Vec<usize> = header.iter().map(|h| h.len() + 2).collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let len = match cell {
                Value::Text(s) => {
                    ws.write_string(r, col, s)?;
                    s.chars().count()
                }
                Value::Flag(b) => {
                    ws.write_string(r, col, if *b { "yes" } else { "no" })?;
                    3
                }
                Value::Int(n) => {
                    ws.write_number(r, col, *n as f64)?;
                    n.to_string().len()
                }
                Value::Num(x) => {
                    ws.write_number(r, col, *x)?;
                    8
                }
                Value::Date(d) => {
                    ws.write_datetime_with_format(r, col, d, &day)?;
                    10
                }
                Value::Empty => 0,
            };
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(len + 2);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).min(60) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(
        0,
        0,
        rows.len() as u32,
        header.len().saturating_sub(1) as u16,
    )?;
    Ok(())
}

pub fn render(m: &Morning<'_>) -> Vec<u8> {
    build(m).expect("an in-memory workbook of valid sheets")
}

fn build(m: &Morning<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("vetrecon run {}", m.info.run_id))
            .set_creation_datetime(&m.info.as_of),
    );

    let rows = m
        .exceptions
        .iter()
        .map(|e| {
            vec![
                t(&m.info.run_id),
                Value::Date(m.info.as_of),
                t(e.code.as_str()),
                t(e.severity.as_str()),
                Value::Int(e.priority as i64),
                t(&e.employee_id),
                t(&e.surname),
                t(&e.forenames),
                t(&e.post_id),
                t(&e.post_title),
                t(&e.required_level),
                t(&e.held_level),
                t(&e.vetting_ref),
                t(&e.vetting_status),
                Value::date(e.expiry_date),
                Value::num(e.match_score),
                t(&e.detail),
                t(e.code.action()),
            ]
        })
        .collect();
    let mut header = super::exceptions::COLUMNS.to_vec();
    header.push("action");
    sheet(&mut book, "Exceptions", &header, rows)?;

    let fields: Vec<&str> = crate::link::weights::FIELDS.iter().map(|f| f.0).collect();
    let mut header = vec![
        "vetting_ref",
        "code",
        "priority",
        "record_surname",
        "record_forenames",
        "record_date_of_birth",
        "rank",
        "employee_id",
        "surname",
        "forenames",
        "date_of_birth",
        "post_id",
        "probability",
        "match_weight",
    ];
    let level_cols: Vec<String> = fields
        .iter()
        .flat_map(|f| [format!("{f}_level"), format!("{f}_bits")])
        .collect();
    header.extend(level_cols.iter().map(String::as_str));
    let mut rows = Vec::new();
    for item in &m.review {
        let v = m.record(item.record);
        for (rank, c) in item.candidates.iter().enumerate() {
            let p = m.person(c.person);
            let mut row = vec![
                t(&v.vetting_ref),
                t(item.code.as_str()),
                Value::Int(item.priority as i64),
                t(&v.surname),
                t(&v.forenames),
                Value::Date(v.date_of_birth),
                Value::Int(rank as i64 + 1),
                t(&p.employee_id),
                t(&p.surname),
                t(&p.forenames),
                Value::Date(p.date_of_birth),
                t(p.post_id.as_deref().unwrap_or("")),
                Value::Num(c.probability),
                Value::Num(c.weight),
            ];
            for e in &c.fields {
                row.push(t(e.level));
                row.push(Value::Num(e.bits));
            }
            rows.push(row);
        }
    }
    sheet(&mut book, "Review queue", &header, rows)?;

    let f = &m.forecast;
    let mut rows = Vec::new();
    let alt = f.what_if.as_ref().map(|(_, s)| s);
    let desc = f.what_if.as_ref().map(|(d, _)| d.as_str()).unwrap_or("");
    for (i, month) in f.months.iter().enumerate() {
        for level in &f.levels {
            let base = f.baseline.due_in(level, i) as i64;
            let other = alt.map(|s| s.due_in(level, i) as i64);
            rows.push(vec![
                Value::Date(*month),
                t(level),
                Value::Int(base),
                other.map_or(Value::Empty, Value::Int),
                other.map_or(Value::Empty, |o| Value::Int(o - base)),
                t(desc),
            ]);
        }
    }
    for level in &f.levels {
        let base = f.baseline.overdue_of(level) as i64;
        let other = alt.map(|s| s.overdue_of(level) as i64);
        rows.insert(
            0,
            vec![
                Value::Empty,
                t(format!("{level} (overdue now)")),
                Value::Int(base),
                other.map_or(Value::Empty, Value::Int),
                other.map_or(Value::Empty, |o| Value::Int(o - base)),
                t(desc),
            ],
        );
    }
    sheet(
        &mut book,
        "Forecast",
        // The CSV twin's columns, without its run_id.
        &super::analysis_csv::FORECAST_COLUMNS[1..],
        rows,
    )?;

    for (name, table) in [
        (
            "Disproportionality",
            super::analysis_csv::disproportionality_table(m),
        ),
        ("QA sample", super::analysis_csv::qa_sample_table(m)),
        (
            "Designated posts",
            super::analysis_csv::designated_posts_table(m),
        ),
    ] {
        let Table { columns, rows } = table;
        sheet(&mut book, name, columns, rows)?;
    }

    book.save_to_buffer()
}
