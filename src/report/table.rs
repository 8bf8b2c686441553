//! Typed tables shared by a CSV twin and its spreadsheet sheet: each analysis is turned into
//! rows once, and `csv` and `xlsx` only decide how a value is written (text or number, a
//! four-decimal string or a real spreadsheet date).

use super::{cell::text, csv_writer, finish};
use chrono::NaiveDate;
use std::borrow::Cow;

pub enum Value {
    Text(String),
    Int(i64),
    Num(f64),
    Date(NaiveDate),
    /// `yes` / `no`.
    Flag(bool),
    Empty,
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }

    pub fn date(d: Option<NaiveDate>) -> Value {
        d.map_or(Value::Empty, Value::Date)
    }

    /// An input's yes/no flag: blank when it was not recorded.
    pub fn flag(f: Option<bool>) -> Value {
        f.map_or(Value::Empty, Value::Flag)
    }

    pub fn num(x: Option<f64>) -> Value {
        x.map_or(Value::Empty, Value::Num)
    }

    /// As a CSV cell: text spreadsheet-safe, numbers to four decimals, ISO dates.
    pub fn csv(&self) -> Cow<'_, str> {
        match self {
            Value::Text(s) => text(s),
            Value::Int(n) => n.to_string().into(),
            Value::Num(x) => format!("{x:.4}").into(),
            Value::Date(d) => d.to_string().into(),
            Value::Flag(b) => (if *b { "yes" } else { "no" }).into(),
            Value::Empty => "".into(),
        }
    }
}

/// Columns (without the leading `run_id` the CSV adds) and rows.
pub struct Table {
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    /// The CSV twin: `run_id` first on every row.
    pub fn csv(&self, run_id: &str) -> Vec<u8> {
        let mut w = csv_writer();
        let header: Vec<&str> = std::iter::once("run_id")
            .chain(self.columns.iter().copied())
            .collect();
        w.write_record(&header).expect("in-memory write");
        for row in &self.rows {
            let cells: Vec<Cow<'_, str>> = std::iter::once(Cow::Borrowed(run_id))
                .chain(row.iter().map(Value::csv))
                .collect();
            w.write_record(cells.iter().map(|c| c.as_bytes()))
                .expect("in-memory write");
        }
        finish(w)
    }
}
