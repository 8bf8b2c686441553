//! moves_before_clearance.csv: every move into a designated post the inspection figure
//! counted (`analyse::moves`), so an inspector can check the figure row by row. Columns are
//! part of the public contract: only ever added at the end.

use super::morning::Morning;
use super::table::{Table, Value};

pub const NAME: &str = "moves_before_clearance.csv";

pub const COLUMNS: [&str; 10] = [
    "window_from",
    "window_to",
    "employee_id",
    "post_id",
    "post_start_date",
    "before_clearance",
    "cleared_on",
    "days_uncleared",
    "still_uncleared",
    "not_read",
];

/// Why the figure was not read, as the page and the file say it.
pub const NOT_READ: &str = "not read: the roster has no post_start_date column";

/// One row per move, by start date; one row saying why when the figure was not read.
pub fn table(m: &Morning<'_>) -> Table {
    let rows = match &m.moves.figure {
        None => {
            let mut row: Vec<Value> = (1..COLUMNS.len()).map(|_| Value::Empty).collect();
            row.push(Value::text(NOT_READ));
            vec![row]
        }
        Some(f) => f
            .moves
            .iter()
            .map(|mv| {
                vec![
                    Value::Date(f.from),
                    Value::Date(f.to),
                    Value::text(&mv.employee_id),
                    Value::text(&mv.post_id),
                    Value::Date(mv.post_start_date),
                    Value::Flag(mv.before_clearance),
                    Value::date(mv.cleared_on),
                    Value::Int(mv.days_uncleared),
                    Value::Flag(mv.still_uncleared()),
                    Value::Empty,
                ]
            })
            .collect(),
    };
    Table {
        columns: &COLUMNS,
        rows,
    }
}

pub fn render(m: &Morning<'_>) -> Vec<u8> {
    table(m).csv(&m.info.run_id)
}
