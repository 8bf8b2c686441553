//! jml.csv: the joiners-movers-leavers actions (`analyse::jml`), one row per action open
//! tonight or closed tonight, and the workbook's sheet of the same rows.
//!
//! Its columns are the contract's: `run_id`, then `COLUMNS`. The action id names the action on
//! every night, and `vetrecon jml close` takes it as it is. Every text cell is
//! spreadsheet-safe (`cell::text`): ids, posts and an officer's reason come from outside.

use super::morning::Morning;
use super::table::{Table, Value};

pub const COLUMNS: [&str; 15] = [
    "action_id",
    "action",
    "event",
    "employee_id",
    "from_post",
    "to_post",
    "required_level",
    "held_level",
    "event_date",
    "first_seen",
    "due_date",
    "days_open",
    "days_overdue",
    "status",
    "detail",
];

/// The rows, in jml.csv order.
pub fn table(m: &Morning<'_>) -> Table {
    let rows = (m.jml.rows.iter())
        .map(|r| {
            vec![
                Value::text(&r.action_id),
                Value::text(&r.action),
                Value::text(&r.event),
                Value::text(&r.employee_id),
                Value::text(&r.from_post),
                Value::text(&r.to_post),
                Value::text(&r.required_level),
                Value::text(&r.held_level),
                Value::Date(r.event_date),
                Value::Date(r.first_seen),
                Value::Date(r.due_date),
                Value::Int(r.days_open),
                Value::Int(r.days_overdue),
                Value::text(r.status.as_str()),
                Value::text(&r.detail),
            ]
        })
        .collect();
    Table {
        columns: &COLUMNS,
        rows,
    }
}

/// jml.csv: the header alone on a night with nothing to compare with.
pub fn csv(m: &Morning<'_>) -> Vec<u8> {
    table(m).csv(&m.info.run_id)
}
