//! signals.csv: the people tonight's exceptions give several signals at once
//! (`analyse::signals`), in the order the page lists them, and the workbook's Several signals
//! sheet of the same rows.
//!
//! Its columns are the contract's: `run_id`, then `COLUMNS`, only ever added at the end. The
//! names, post and title are those exceptions.csv gives the person; of each signal only its
//! code and age are written (never a detail or a reference). Every text cell is
//! spreadsheet-safe (`cell::text`, through `Value::csv`).

use super::morning::Morning;
use super::table::{Table, Value};

pub const NAME: &str = "signals.csv";

pub const COLUMNS: [&str; 9] = [
    "rank",
    "employee_id",
    "surname",
    "forenames",
    "post_id",
    "post_title",
    "score",
    "signals",
    "codes",
];

/// One row per person listed, by rank; only the header when no one is.
pub fn table(m: &Morning<'_>) -> Table {
    let rows = (m.signals.listed.iter())
        .map(|l| {
            vec![
                Value::Int(l.rank as i64),
                Value::text(&l.employee_id),
                Value::text(&l.surname),
                Value::text(&l.forenames),
                Value::text(&l.post_id),
                Value::text(&l.post_title),
                Value::Int(i64::try_from(l.score).unwrap_or(i64::MAX)),
                Value::Int(l.signals.len() as i64),
                Value::text(l.codes()),
            ]
        })
        .collect();
    Table {
        columns: &COLUMNS,
        rows,
    }
}

/// signals.csv.
pub fn csv(m: &Morning<'_>) -> Vec<u8> {
    table(m).csv(&m.info.run_id)
}
