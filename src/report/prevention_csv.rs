//! condition_status.csv (every condition on a clearance, as tonight finds it) and
//! clearance_register.csv (the clearance register HR loads). Columns are part of the public
//! contract (docs/output.md): only ever added at the end.

use super::{cell::text, csv_writer, finish, morning::Morning};
use crate::analyse::register::Held;

pub const CONDITION_STATUS_COLUMNS: [&str; 11] = [
    "run_id",
    "condition_ref",
    "vetting_ref",
    "employee_id",
    "type",
    "owner_unit",
    "review_every",
    "last_checked",
    "review_due",
    "status",
    "detail",
];

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// One row per condition in the feed, by condition_ref; only the header when the feed was
/// not read tonight (the page and summary.txt say `not read`).
pub fn condition_status(m: &Morning<'_>) -> Vec<u8> {
    let mut w = csv_writer();
    w.write_record(CONDITION_STATUS_COLUMNS)
        .expect("in-memory write");
    for r in m.conditions.iter().flat_map(|c| &c.rows) {
        w.write_record([
            m.info.run_id.as_str(),
            &text(&r.condition_ref),
            &text(&r.vetting_ref),
            &text(&r.employee_id),
            &r.kind,
            r.owner_unit.as_deref().unwrap_or(""),
            &r.review_every.map(|p| p.as_text()).unwrap_or_default(),
            &date(r.last_checked),
            &date(r.review_due),
            r.status.as_str(),
            &text(&r.detail),
        ])
        .expect("in-memory write");
    }
    finish(w)
}

/// The register's columns before the ladders' (`ladder_N_level`, `ladder_N_status`,
/// `ladder_N_expiry` for each ladder of `levels.ladders`, N from 1).
pub const REGISTER_COLUMNS: [&str; 6] = [
    "run_id",
    "employee_id",
    "employment_status",
    "post_id",
    "required_level",
    "meets_post",
];

/// One row per person on tonight's roster, by employee_id.
pub fn clearance_register(m: &Morning<'_>) -> Vec<u8> {
    let r = &m.register;
    let mut header: Vec<String> = REGISTER_COLUMNS.iter().map(|c| c.to_string()).collect();
    for n in 1..=r.ladders {
        for part in ["level", "status", "expiry"] {
            header.push(format!("ladder_{n}_{part}"));
        }
    }
    let mut w = csv_writer();
    w.write_record(&header).expect("in-memory write");
    for l in &r.lines {
        let mut row: Vec<String> = vec![
            m.info.run_id.clone(),
            text(&l.employee_id).into_owned(),
            l.employment_status.to_string(),
            text(&l.post_id).into_owned(),
            l.required_level
                .map(|x| m.levels.name(x).to_string())
                .unwrap_or_default(),
            l.meets.as_str().to_string(),
        ];
        for held in &l.ladders {
            let (level, status, expiry) = match *held {
                Held::Nothing => (String::new(), "", String::new()),
                Held::Unconfirmed => (String::new(), "unconfirmed", String::new()),
                Held::Record {
                    level,
                    status,
                    expiry,
                } => (
                    m.levels.name(level).to_string(),
                    status.as_str(),
                    date(expiry),
                ),
            };
            row.extend([level, status.to_string(), expiry]);
        }
        w.write_record(&row).expect("in-memory write");
    }
    finish(w)
}
