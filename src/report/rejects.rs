//! rejects.csv: every input row that was refused, with file, line, column and reason.

use super::{cell::text, csv_writer, finish};
use crate::ingest::Reject;

pub const COLUMNS: [&str; 5] = ["file", "line", "column", "value", "reason"];

pub fn render(rejects: &[Reject]) -> Vec<u8> {
    let mut w = csv_writer();
    w.write_record(COLUMNS).expect("in-memory write");
    for r in rejects {
        w.write_record([
            &r.file,
            &r.line.to_string(),
            &r.column,
            &*text(&r.value),
            &*text(&r.reason),
        ])
        .expect("in-memory write");
    }
    finish(w)
}
