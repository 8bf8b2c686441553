//! declaration_status.csv: every declaration of `declarations.csv`, in file order, with
//! where it stands tonight (`analyse::declarations`), and the workbook's Declarations sheet
//! from the same table. Columns are part of the public contract (docs/output.md): only ever
//! added at the end.

use super::morning::Morning;
use super::table::{Table, Value};

pub const NAME: &str = "declaration_status.csv";

/// The columns after `run_id`.
pub const COLUMNS: [&str; 9] = [
    "declaration_ref",
    "employee_id",
    "type",
    "declared_date",
    "decision",
    "last_reviewed",
    "review_every",
    "review_due",
    "status",
];

/// One row per declaration; no rows when the feed was not read tonight (the page and
/// summary.txt say `not read`).
pub fn table(m: &Morning<'_>) -> Table {
    let rows = (m.declarations.rows.iter().flatten())
        .map(|r| {
            vec![
                Value::text(&r.declaration_ref),
                Value::text(&r.employee_id),
                Value::text(&*r.kind),
                Value::Date(r.declared_date),
                r.decision.map_or(Value::Empty, |d| Value::text(d.as_str())),
                Value::date(r.last_reviewed),
                r.review_every
                    .map_or(Value::Empty, |p| Value::text(p.as_text())),
                Value::date(r.review_due),
                Value::text(r.status.as_str()),
            ]
        })
        .collect();
    Table {
        columns: &COLUMNS,
        rows,
    }
}

/// declaration_status.csv: `run_id` first on every row.
pub fn csv(m: &Morning<'_>) -> Vec<u8> {
    table(m).csv(&m.info.run_id)
}
