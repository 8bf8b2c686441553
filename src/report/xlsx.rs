//! exceptions.xlsx: the morning's lists as a spreadsheet, one sheet per section (exceptions,
//! review queue, forecast, disproportionality, QA sample, designated posts, disproportionality
//! stages, refusal reasons, the unit's work, joiners movers leavers, declarations, several signals, sanctions, and the
//! unit's decision makers, who appear nowhere else), each with its header frozen, an
//! auto-filter on, and dates as real dates.
//!
//! A cover sheet carries the run id, as-of date, program version and inputs once, instead
//! of on every row. Cells have formats a reader expects (shares and probabilities as
//! percentages, bits, days, hours and rates to one decimal, full-time staff to two, dates
//! shown the UK way, forecast and throughput months as months),
//! and every sheet prints landscape on A4, fitted to the page width, with its header row
//! repeated and the security marking in the page header. The Review queue sheet ends with
//! `decision`, `by` and `reason`: filled in and saved as CSV, it imports with
//! `vetrecon decide --import` as it is (rows left blank are skipped).
//!
//! Excel's dates start on 1 January 1900 (serial 1): a date before it has no serial, and
//! written as one it would show as 00/01/1900. Such a date (a date of birth from 1899, a
//! decision date keyed as 0219) is written as text in the column's own layout instead
//! (`31/12/1899`), so the sheet shows what the export said.
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

/// Rows a sheet holds below its header (Excel's limit is 1,048,576 rows in all). A longer
/// list is cut one row short of it and ends with a row saying how many more there are and
/// where they are (`fit_rows`); the CSV files always hold every row.
const MAX_ROWS: usize = 1_048_575;

/// The most a cell holds, in UTF-16 code units (Excel's limit, which rust_xlsxwriter
/// enforces by refusing the cell). A longer text is cut with a marker (`fit_text`).
const MAX_CELL: usize = 32_767;

/// A text cut to fit one cell: as much of it as fits with the marker after it, saying the
/// whole text is in `twin`. Text that fits is returned as it is. Cut at a character
/// boundary, so a character outside the Basic Multilingual Plane is never split.
fn fit_text<'a>(s: &'a str, twin: &str) -> std::borrow::Cow<'a, str> {
    if s.len() <= MAX_CELL || s.encode_utf16().count() <= MAX_CELL {
        return s.into();
    }
    let marker = format!(
        " [… cut: a spreadsheet cell holds at most 32,767 characters; the whole text is in {twin}]"
    );
    let room = MAX_CELL - marker.encode_utf16().count();
    let mut used = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if used + c.len_utf16() > room {
            break;
        }
        used += c.len_utf16();
        end = i + c.len_utf8();
    }
    let mut out = s.get(..end).unwrap_or_default().to_string();
    out.push_str(&marker);
    out.into()
}

/// `rows` cut to `max` when longer: the first `max - 1`, then a row whose first cell says
/// how many more there are and that `twin` holds them all.
fn fit_rows(mut rows: Vec<Vec<Value>>, max: usize, twin: &str) -> Vec<Vec<Value>> {
    if rows.len() <= max {
        return rows;
    }
    let kept = max.saturating_sub(1);
    let more = rows.len() - kept;
    rows.truncate(kept);
    rows.push(vec![t(format!(
        "[… {more} more rows not shown: a sheet holds at most 1,048,576 rows; every row is in {twin}]"
    ))]);
    rows
}

/// Write a text cell, cut to fit (`fit_text`).
fn put(
    ws: &mut Worksheet,
    (r, c): (u32, u16),
    s: &str,
    format: Option<&Format>,
    twin: &str,
) -> Result<(), XlsxError> {
    let s = fit_text(s, twin);
    match format {
        Some(f) => ws.write_string_with_format(r, c, s.as_ref(), f)?,
        None => ws.write_string(r, c, s.as_ref())?,
    };
    Ok(())
}

/// One sheet: header row, data rows, frozen header, auto-filter, sensible widths.
/// `twin` names where every row and the whole of every text are (the sheet's CSV twin).
fn sheet(
    book: &mut Workbook,
    (name, twin): (&str, &str),
    header: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<(), XlsxError> {
    let rows = fit_rows(rows, MAX_ROWS, twin);
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let month = Format::new().set_num_format("mmm yyyy");
    let pct = Format::new().set_num_format("0.0%");
    let bits = Format::new().set_num_format("0.0");
    let staff = Format::new().set_num_format("0.00");
    // A column's number format, from what its header says it holds.
    let number_format = |h: &str| -> Option<&Format> {
        let share = [
            "probability",
            "posterior",
            "share",
            "refusal_rate",
            "serious_rate",
        ];
        let one_dp = [
            "_bits",
            "match_weight",
            "match_score",
            "_days",
            "hours",
            "hours_a_year",
            "hours_per_case",
            "monthly_rate",
        ];
        // `rate` alone is a stage's rate (disproportionality_stages.csv); `relative_rate` is
        // a ratio, not a share.
        if share.iter().any(|s| h.ends_with(s)) || h == "rate" {
            Some(&pct)
        } else if one_dp.iter().any(|s| h.ends_with(s)) {
            Some(&bits)
        } else if h == "fte" {
            Some(&staff)
        } else {
            None
        }
    };
    let date_format = |h: &str| if h == "month" { &month } else { &day };
    let ws: &mut Worksheet = book.add_worksheet();
    ws.set_name(name)?;
    print_setup(ws);
    let mut widths: Vec<usize> = header.iter().map(|h| h.len() + 2).collect();
    for (c, h) in header.iter().enumerate() {
        put(ws, (0, c as u16), h, Some(&bold), twin)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let len = match cell {
                Value::Text(s) => {
                    put(ws, (r, col), s, None, twin)?;
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
                    let h = header.get(c).copied().unwrap_or("");
                    match number_format(h) {
                        Some(f) => ws.write_number_with_format(r, col, *x, f)?,
                        None => ws.write_number(r, col, *x)?,
                    };
                    8
                }
                Value::Date(d) => {
                    let h = header.get(c).copied().unwrap_or("");
                    let layout = if h == "month" { "%b %Y" } else { "%d/%m/%Y" };
                    write_date(ws, r, col, *d, date_format(h), layout)?;
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

/// The first day Excel can show as a date (serial 1).
fn first_excel_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(chrono::NaiveDate::MIN)
}

/// A date as a real date cell in `format`, or, before 1 January 1900 (which Excel cannot
/// hold as a date), as text in `layout` (chrono strftime), the way the format shows it.
fn write_date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    d: chrono::NaiveDate,
    format: &Format,
    layout: &str,
) -> Result<(), XlsxError> {
    if d < first_excel_day() {
        ws.write_string(row, col, d.format(layout).to_string())?;
    } else {
        ws.write_datetime_with_format(row, col, d, format)?;
    }
    Ok(())
}

/// Landscape A4, fitted to the width, header row on every page, marking in the header and
/// page numbers in the footer.
fn print_setup(ws: &mut Worksheet) {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    let _ = ws.set_repeat_rows(0, 0);
    ws.set_header("&COFFICIAL-SENSITIVE: contains personal data");
    ws.set_footer("&L&A&RPage &P of &N");
}

/// The cover: the run, the program and the inputs, once for the whole workbook.
fn cover(book: &mut Workbook, m: &Morning<'_>) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let ws = book.add_worksheet();
    ws.set_name("Cover")?;
    print_setup(ws);
    // Every text goes through `put`, so none can exceed a cell (the twin: summary.txt).
    fn text(
        ws: &mut Worksheet,
        at: (u32, u16),
        s: &str,
        f: Option<&Format>,
    ) -> Result<(), XlsxError> {
        put(ws, at, s, f, "summary.txt")
    }
    text(
        ws,
        (0, 0),
        "Vetting exceptions: morning report",
        Some(&bold),
    )?;
    text(
        ws,
        (1, 0),
        "OFFICIAL-SENSITIVE: contains personal data",
        None,
    )?;
    text(ws, (3, 0), "run_id", Some(&bold))?;
    text(ws, (3, 1), &m.info.run_id, None)?;
    text(ws, (4, 0), "as_of", Some(&bold))?;
    write_date(ws, 4, 1, m.info.as_of, &day, "%d/%m/%Y")?;
    text(ws, (5, 0), "version", Some(&bold))?;
    text(ws, (5, 1), &format!("vetrecon {}", m.info.version), None)?;
    for (c, h) in ["input", "file", "sha256", "newest_date", "newest_date_from"]
        .iter()
        .enumerate()
    {
        text(ws, (7, c as u16), h, Some(&bold))?;
    }
    for (i, input) in m.info.inputs.iter().enumerate() {
        let r = 8 + i as u32;
        text(ws, (r, 0), &input.role, None)?;
        text(ws, (r, 1), &input.name, None)?;
        text(ws, (r, 2), &input.sha256, None)?;
        // How recent the export is, from its content (as on the page).
        if let Some(f) = super::freshness::of(&input.role, m.data, m.info.as_of) {
            if let Some(d) = f.newest {
                write_date(ws, r, 3, d, &day, "%d/%m/%Y")?;
            }
            text(ws, (r, 4), &f.note(), None)?;
        }
    }
    // A feed not read is listed where its file would be, saying so.
    let read = m.info.inputs.len() as u32;
    for (i, (role, off)) in m.feeds.unread().enumerate() {
        let r = 8 + read + i as u32;
        text(ws, (r, 0), role, None)?;
        text(
            ws,
            (r, 1),
            &crate::model::feeds::not_read_text(role, off),
            None,
        )?;
    }
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 24)?;
    ws.set_column_width(2, 70)?;
    ws.set_column_width(3, 12)?;
    ws.set_column_width(4, 48)?;
    Ok(())
}

/// The workbook. No content can make it fail (every text and list is cut to Excel's limits),
/// but should the writer refuse anything all the same, the night does not fail with it: the
/// workbook is then a cover saying so, and the CSV files hold everything.
pub fn render(m: &Morning<'_>) -> Vec<u8> {
    build(m).unwrap_or_else(|e| {
        tracing::warn!("exceptions.xlsx could not be written ({e}); it holds a note instead, and the CSV files hold every list");
        unwritten(m, &e).unwrap_or_default()
    })
}

/// A workbook of one sheet saying the full one could not be written, and why.
fn unwritten(m: &Morning<'_>, e: &XlsxError) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(&DocProperties::new().set_creation_datetime(&m.info.as_of));
    let ws = book.add_worksheet();
    ws.set_name("Cover")?;
    let twin = "summary.txt";
    put(ws, (0, 0), "Vetting exceptions: morning report", None, twin)?;
    put(
        ws,
        (1, 0),
        "OFFICIAL-SENSITIVE: contains personal data",
        None,
        twin,
    )?;
    let why = format!(
        "This workbook could not be written ({e}). Every list is in the CSV files beside it (exceptions.csv first)."
    );
    put(ws, (3, 0), &why, None, twin)?;
    book.save_to_buffer()
}

fn build(m: &Morning<'_>) -> Result<Vec<u8>, XlsxError> {
    use super::unit_csv as unit;
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("vetrecon run {}", m.info.run_id))
            .set_creation_datetime(&m.info.as_of),
    );
    cover(&mut book, m)?;

    let rows = m
        .exceptions
        .iter()
        .map(|e| {
            vec![
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
    // exceptions.csv's columns without run_id and as_of (they are on the cover).
    let mut header = super::exceptions::COLUMNS[2..].to_vec();
    header.push("action");
    sheet(&mut book, ("Exceptions", "exceptions.csv"), &header, rows)?;

    review_sheet(&mut book, m)?;

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
        ("Forecast", "forecast.csv"),
        // The CSV twin's columns, without its run_id.
        &super::analysis_csv::FORECAST_COLUMNS[1..],
        rows,
    )?;

    for (name, table) in [
        (
            ("Disproportionality", "disproportionality.csv"),
            super::analysis_csv::disproportionality_table(m),
        ),
        (
            ("QA sample", "qa_sample.csv"),
            super::analysis_csv::qa_sample_table(m),
        ),
        (
            ("Designated posts", "designated_posts.csv"),
            super::analysis_csv::designated_posts_table(m),
        ),
        (
            ("Disproportionality stages", "disproportionality_stages.csv"),
            super::analysis_csv::disproportionality_stages_table(m),
        ),
        (
            ("Refusal reasons", "refusal_reasons.csv"),
            super::analysis_csv::refusal_reasons_table(m),
        ),
        (("Unit backlog", "unit_backlog.csv"), unit::backlog_table(m)),
        (
            ("Unit open cases", "unit_open_cases.csv"),
            unit::open_cases_table(m),
        ),
        (
            ("Unit throughput", "unit_throughput.csv"),
            unit::throughput_table(m),
        ),
        (
            ("Unit timeliness", "unit_timeliness.csv"),
            unit::timeliness_table(m),
        ),
        (("Unit demand", "unit_demand.csv"), unit::demand_table(m)),
        (("Unit appeals", "unit_appeals.csv"), unit::appeals_table(m)),
        (
            ("Unit interviews", "unit_interviews.csv"),
            unit::interviews_table(m),
        ),
        (("Joiners movers leavers", "jml.csv"), super::jml::table(m)),
        (
            ("Declarations", super::declarations_csv::NAME),
            super::declarations_csv::table(m),
        ),
        (
            ("Several signals", super::signals_csv::NAME),
            super::signals_csv::table(m),
        ),
        (
            (
                "Post register checks",
                super::integrity_csv::POST_REGISTER_CHECKS,
            ),
            super::integrity_csv::post_register_checks_table(m),
        ),
        // Decision makers are never on the page or in a CSV: this sheet is their one place.
        (
            ("Decision makers", "the vetting export"),
            unit::decision_makers_table(m),
        ),
    ] {
        let Table { columns, rows } = table;
        sheet(&mut book, name, columns, rows)?;
    }
    // Its per-sanction columns follow the force's scale, so they are not a fixed list.
    let columns = super::sanctions_csv::columns(&m.sanctions);
    let header: Vec<&str> = columns.iter().skip(1).map(String::as_str).collect();
    sheet(
        &mut book,
        ("Sanctions", super::sanctions_csv::NAME),
        &header,
        super::sanctions_csv::rows(&m.sanctions),
    )?;

    book.save_to_buffer()
}

/// The columns of the Review queue sheet: the record's values, one candidate's values, the
/// posterior, the evidence per field in words and bits, then the three a manager fills in.
/// `employee_id`, `vetting_ref`, `decision`, `by` and `reason` are the import's columns.
pub fn review_columns() -> Vec<String> {
    let mut h: Vec<String> = [
        "vetting_ref",
        "code",
        "priority",
        "record_surname",
        "record_forenames",
        "record_previous_surnames",
        "record_date_of_birth",
        "record_ni_last3",
        "record_employee_id_hint",
        "rank",
        "employee_id",
        "surname",
        "forenames",
        "previous_surnames",
        "date_of_birth",
        "ni_last3",
        "post_id",
        "post_title",
        "posterior",
        "match_weight",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (f, _) in crate::link::weights::FIELDS {
        h.push(format!("{f}_grade"));
        h.push(format!("{f}_bits"));
    }
    // Added in 0.4.0: the bits taken off for look-alikes (the fields' bits less this, plus
    // the prior, is match_weight). decide --import reads columns by name, so the decision
    // columns may move.
    h.push("look_alike_bits".to_string());
    h.extend(["decide_command", "decision", "by", "reason"].map(String::from));
    h
}

fn review_sheet(book: &mut Workbook, m: &Morning<'_>) -> Result<(), XlsxError> {
    use super::evidence::{decide_line, grade, ni_tail};
    let columns = review_columns();
    let header: Vec<&str> = columns.iter().map(String::as_str).collect();
    let titles: std::collections::HashMap<&str, &str> = m
        .data
        .posts
        .iter()
        .map(|p| (p.post_id.as_str(), p.title.as_str()))
        .collect();
    let mut rows = Vec::new();
    for item in &m.review {
        let v = m.record(item.record);
        for (rank, c) in item.candidates.iter().enumerate() {
            let p = m.person(c.person);
            let post = p.post_id.as_deref().unwrap_or("");
            let mut row = vec![
                t(&v.vetting_ref),
                t(item.code.as_str()),
                Value::Int(item.priority as i64),
                t(&v.surname),
                t(&v.forenames),
                t(v.previous_surnames.join(" ")),
                Value::Date(v.date_of_birth),
                t(ni_tail(v.ni_number.as_deref())),
                t(v.employee_id_hint.as_deref().unwrap_or("")),
                Value::Int(rank as i64 + 1),
                t(&p.employee_id),
                t(&p.surname),
                t(&p.forenames),
                t(p.previous_surnames.join(" ")),
                Value::Date(p.date_of_birth),
                t(ni_tail(p.ni_number.as_deref())),
                t(post),
                t(titles.get(post).copied().unwrap_or("")),
                Value::Num(c.probability),
                Value::Num(c.weight),
            ];
            for (f, _) in crate::link::weights::FIELDS {
                match c.fields.iter().find(|e| e.field == *f) {
                    Some(e) => {
                        row.push(t(grade(e.field, e.level)));
                        row.push(Value::Num(e.bits));
                    }
                    None => row.extend([Value::Empty, Value::Empty]),
                }
            }
            row.push(Value::Num(c.lookalike));
            row.push(t(decide_line("confirm", &p.employee_id, &v.vetting_ref)));
            row.extend([Value::Empty, Value::Empty, Value::Empty]);
            rows.push(row);
        }
    }
    // (No CSV twin: its values are the input files' and links.csv's.)
    sheet(
        book,
        ("Review queue", "the input files and links.csv"),
        &header,
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_longer_than_a_cell_is_cut_with_a_marker_naming_where_the_whole_is() {
        let short = "left on 2026-09-30 but still holds: RV V1; withdraw";
        assert_eq!(fit_text(short, "exceptions.csv"), short);
        let exact = "x".repeat(MAX_CELL);
        assert_eq!(fit_text(&exact, "exceptions.csv").len(), MAX_CELL);
        for long in ["x".repeat(40_000), "é".repeat(40_000), "𝔛".repeat(20_000)] {
            let cut = fit_text(&long, "exceptions.csv");
            assert!(cut.encode_utf16().count() <= MAX_CELL, "{}", cut.len());
            assert!(cut.encode_utf16().count() > MAX_CELL - 200);
            assert!(cut.ends_with(
                " [… cut: a spreadsheet cell holds at most 32,767 characters; the whole text is in exceptions.csv]"
            ));
            // The kept part is the text's own beginning, never half a character.
            let kept = cut.split(" [… cut").next().unwrap();
            assert!(long.starts_with(kept));
        }
    }

    /// A row's cells as text, for comparing (`Value` has no `PartialEq`).
    fn shown(rows: &[Vec<Value>]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                r.iter()
                    .map(|v| match v {
                        Value::Text(s) => s.clone(),
                        Value::Int(n) => n.to_string(),
                        _ => "?".into(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_list_longer_than_a_sheet_ends_with_a_row_saying_how_many_more() {
        let rows = || (0..10).map(|i| vec![Value::Int(i)]).collect::<Vec<_>>();
        assert_eq!(shown(&fit_rows(rows(), 10, "x.csv")), shown(&rows()));
        let cut = shown(&fit_rows(rows(), 4, "x.csv"));
        assert_eq!(cut.len(), 4);
        assert_eq!(cut[2], vec!["2"]);
        assert_eq!(
            cut[3],
            vec![
                "[… 7 more rows not shown: a sheet holds at most 1,048,576 rows; every row is in x.csv]"
            ]
        );
    }

    #[test]
    fn a_sheet_with_a_cell_over_excels_limit_is_written() {
        let mut book = Workbook::new();
        let huge = "RV V".repeat(10_000);
        let rows = vec![
            vec![t(&huge), Value::Int(1)],
            vec![t("short"), Value::Int(2)],
        ];
        // rust_xlsxwriter refuses the cell as it is...
        assert!(Workbook::new()
            .add_worksheet()
            .write_string(1, 0, &huge)
            .is_err());
        // ...and the sheet cuts it to fit.
        sheet(
            &mut book,
            ("Exceptions", "exceptions.csv"),
            &["detail", "n"],
            rows,
        )
        .unwrap();
        assert!(book.save_to_buffer().is_ok());
    }
}

#[cfg(test)]
mod dates_tests {
    use super::*;
    use std::io::Read;

    fn d(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    /// One sheet of dates, saved, and its sheet XML and shared strings read back.
    fn dates_sheet(dates: &[chrono::NaiveDate]) -> (String, String) {
        let mut book = Workbook::new();
        let rows = dates.iter().map(|x| vec![Value::Date(*x)]).collect();
        sheet(&mut book, ("Dates", "dates.csv"), &["date_of_birth"], rows).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut part = |name: &str| {
            let mut s = String::new();
            z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        (
            part("xl/worksheets/sheet1.xml"),
            part("xl/sharedStrings.xml"),
        )
    }

    #[test]
    fn dates_before_1900_are_text_and_later_ones_real_dates() {
        let (xml, strings) = dates_sheet(&[d("1899-12-31"), d("1900-01-01"), d("0219-03-05")]);
        // Before 1900: text as the column shows dates, never a serial Excel shows as 00/01/1900.
        assert!(strings.contains("<t>31/12/1899</t>"), "{strings}");
        assert!(strings.contains("<t>05/03/0219</t>"), "{strings}");
        assert!(xml.contains(r#"<c r="A2" t="s">"#), "{xml}");
        assert!(xml.contains(r#"<c r="A4" t="s">"#), "{xml}");
        // From 1 January 1900: a real date, serial 1, in the date format.
        assert!(xml.contains("<v>1</v>"), "{xml}");
        assert!(!xml.contains(r#"<c r="A3" t="s">"#), "{xml}");
    }
}
