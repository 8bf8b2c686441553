//! exceptions.csv: the prioritised worklist (docs/output.md).

use super::{cell::text, csv_writer, finish, RunInfo};
use crate::assess::Exception;

pub const COLUMNS: [&str; 17] = [
    "run_id",
    "as_of",
    "code",
    "severity",
    "priority",
    "employee_id",
    "surname",
    "forenames",
    "post_id",
    "post_title",
    "required_level",
    "held_level",
    "vetting_ref",
    "vetting_status",
    "expiry_date",
    "match_score",
    "detail",
];

/// Render rows already in priority order.
pub fn render(info: &RunInfo, rows: &[Exception]) -> Vec<u8> {
    let mut w = csv_writer();
    w.write_record(COLUMNS).expect("in-memory write");
    let as_of = info.as_of.to_string();
    for e in rows {
        let priority = e.priority.to_string();
        let expiry = e.expiry_date.map(|d| d.to_string()).unwrap_or_default();
        let score = e.match_score.map(|s| format!("{s:.2}")).unwrap_or_default();
        w.write_record([
            info.run_id.as_str(),
            &as_of,
            e.code.as_str(),
            e.severity.as_str(),
            &priority,
            &text(&e.employee_id),
            &text(&e.surname),
            &text(&e.forenames),
            &text(&e.post_id),
            &text(&e.post_title),
            &e.required_level,
            &e.held_level,
            &text(&e.vetting_ref),
            &e.vetting_status,
            &expiry,
            &score,
            &text(&e.detail),
        ])
        .expect("in-memory write");
    }
    finish(w)
}
