//! post_register_checks.csv: the posts whose recorded requirement looks wrong
//! (`analyse::post_register`), one row per rule a post breaks, and its workbook sheet.
//!
//! Its columns are the contract's (docs/output.md): `run_id`, then
//! `POST_REGISTER_CHECKS_COLUMNS`, only ever added at the end. Every text cell is
//! spreadsheet-safe (`cell::text`): post ids, titles and departments come from the register.

use super::cell::text;
use super::table::{Table, Value};
use super::{csv_writer, finish, morning::Morning};
use crate::analyse::post_register::Row;

/// The file's name in the output directory.
pub const POST_REGISTER_CHECKS: &str = "post_register_checks.csv";

/// The columns after `run_id` (the workbook's sheet has these alone).
pub const POST_REGISTER_CHECKS_COLUMNS: [&str; 11] = [
    "post_id",
    "title",
    "department",
    "rule",
    "keyword",
    "recorded_level",
    "expected_level",
    "direction",
    "postholders",
    "renewal_hours_a_year",
    "upgrade_hours",
];

/// Hours as the CSV writes them: one decimal, blank when not configured.
fn hours(h: Option<f64>) -> String {
    h.map(|h| format!("{h:.1}")).unwrap_or_default()
}

/// A row's text cells, in column order from `title` to `direction` (after `post_id`).
fn texts<'r>(m: &'r Morning<'_>, r: &'r Row) -> [&'r str; 7] {
    [
        &r.title,
        &r.department,
        r.rule.as_str(),
        r.keyword.as_deref().unwrap_or(""),
        r.recorded.map_or("", |l| m.levels.name(l)),
        m.levels.name(r.expected),
        r.direction.as_str(),
    ]
}

/// One row per rule a post breaks, in the analysis's order; the header alone when none does.
pub fn post_register_checks(m: &Morning<'_>) -> Vec<u8> {
    let mut w = csv_writer();
    let header = std::iter::once("run_id").chain(POST_REGISTER_CHECKS_COLUMNS);
    w.write_record(header).expect("in-memory write");
    for r in &m.post_register.rows {
        let mut row: Vec<String> = vec![m.info.run_id.clone(), text(&r.post_id).into_owned()];
        row.extend(texts(m, r).map(|s| text(s).into_owned()));
        row.extend([
            r.postholders.to_string(),
            hours(r.renewal_hours_a_year),
            hours(r.upgrade_hours),
        ]);
        w.write_record(&row).expect("in-memory write");
    }
    finish(w)
}

/// The workbook's "Post register checks" sheet: the CSV's columns without `run_id`, hours
/// as numbers.
pub fn post_register_checks_table(m: &Morning<'_>) -> Table {
    let rows = (m.post_register.rows.iter())
        .map(|r| {
            let mut row = vec![Value::text(&r.post_id)];
            row.extend(texts(m, r).map(Value::text));
            row.extend([
                Value::Int(r.postholders as i64),
                Value::num(r.renewal_hours_a_year),
                Value::num(r.upgrade_hours),
            ]);
            row
        })
        .collect();
    Table {
        columns: &POST_REGISTER_CHECKS_COLUMNS,
        rows,
    }
}
