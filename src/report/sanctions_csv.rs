//! sanctions.csv: the sanctions given to officers and staff compared, for all breach
//! categories together and then each category (`analyse::sanctions`), and the workbook's
//! Sanctions sheet of the same rows.
//!
//! Its columns are the contract's (docs/output.md): `COLUMNS`, then one count per sanction
//! of the force's scale for each group, `officers_<sanction>` in scale order, then
//! `staff_<sanction>`. A suppressed category has its name and `suppressed` and nothing else;
//! a night that compared nothing (feed or columns not read) has the header only, and the
//! page says why.

use super::morning::Morning;
use super::table::Value;
use super::{csv_writer, finish};
use crate::analyse::disproportion::p_text;
use crate::analyse::sanctions::{Row, Sanctioned, Sanctions, TEST};

pub const NAME: &str = "sanctions.csv";

pub const COLUMNS: [&str; 14] = [
    "run_id",
    "breach_category",
    "officers",
    "officers_serious",
    "officers_serious_rate",
    "staff",
    "staff_serious",
    "staff_serious_rate",
    "ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "test",
    "finding",
];

/// The header: `COLUMNS`, then `officers_<sanction>` and `staff_<sanction>` in scale order.
pub fn columns(s: &Sanctions) -> Vec<String> {
    let mut h: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    for group in ["officers", "staff"] {
        h.extend(s.scale.iter().map(|x| format!("{group}_{x}")));
    }
    h
}

/// One group's outcomes, serious outcomes and serious rate.
fn group(g: &Sanctioned) -> [Value; 3] {
    [
        Value::Int(g.outcomes as i64),
        Value::Int(g.serious as i64),
        Value::num(g.rate()),
    ]
}

fn cells(r: &Row, scale: usize) -> Vec<Value> {
    let mut row = vec![Value::text(r.name())];
    let blank = |row: &mut Vec<Value>, n: usize| row.extend((0..n).map(|_| Value::Empty));
    let Some(shown) = &r.shown else {
        // Suppressed: from `officers` to `test` blank, then `finding`, then every count.
        blank(&mut row, 11);
        row.push(Value::text(r.finding.as_str()));
        blank(&mut row, 2 * scale);
        return row;
    };
    row.extend(group(&shown.officers));
    row.extend(group(&shown.staff));
    match shown.difference {
        Some(d) => {
            let rr = d.ratio;
            row.extend([
                Value::num(rr.map(|x| x.ratio)),
                Value::num(rr.map(|x| x.low)),
                Value::num(rr.map(|x| x.high)),
                Value::text(p_text(d.p_value)),
                Value::text(TEST),
            ]);
        }
        None => blank(&mut row, 5),
    }
    row.push(Value::text(r.finding.as_str()));
    for g in [&shown.officers, &shown.staff] {
        row.extend(g.by_sanction.iter().map(|n| Value::Int(*n as i64)));
    }
    row
}

/// The rows without `run_id`: `all`, then each breach category in config order.
pub fn rows(s: &Sanctions) -> Vec<Vec<Value>> {
    s.rows().iter().map(|r| cells(r, s.scale.len())).collect()
}

/// sanctions.csv.
pub fn csv(m: &Morning<'_>) -> Vec<u8> {
    let s = &m.sanctions;
    let mut w = csv_writer();
    w.write_record(columns(s)).expect("in-memory write");
    for row in rows(s) {
        let cells =
            std::iter::once(m.info.run_id.as_str().into()).chain(row.iter().map(Value::csv));
        let cells: Vec<std::borrow::Cow<'_, str>> = cells.collect();
        w.write_record(cells.iter().map(|c| c.as_bytes()))
            .expect("in-memory write");
    }
    finish(w)
}
