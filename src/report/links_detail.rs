//! links.csv, kept in the store with every run: each linking outcome with the full
//! field-by-field explanation of every candidate (the same breakdown `vetrecon explain`
//! prints), so an auditor can see years later why a record linked, went to review, or was
//! linked by a vetting officer's confirmation against its score. Not written to the output
//! directory by a run; `vetrecon report RUN --with-links` writes it.
//!
//! PND returns (when that feed is given) follow the vetting records, in the same columns:
//! their `pnd_ref` stands in `vetting_ref`, as clerical decisions name them.
//!
//! Only prior-free figures are kept per row: `evidence` is the sum of the field bits, and a
//! pair's match weight is the run's prior (`prior_bits` in the run record) plus `evidence`.
//! The prior moves a little every night with the roster's size; kept per row it would change
//! every row every night and defeat the store's delta compression.
//!
//! `posterior` (the last column, added for issue 18) is the figure the decision read: the
//! pair weighed against the record's other candidates and "not on the roster" at the night's
//! match share (`match_share` in the run record). It moves with that share, so it is kept to
//! four decimals: a clear link reads 1.0000 every night and stays one delta.

use super::{cell::text, csv_writer, finish};
use crate::link::weights::FIELDS;
use crate::link::{Engine, LinkOutcome};
use crate::model::{ExternalRecord, Person};
use rayon::prelude::*;

pub fn columns() -> Vec<String> {
    let mut c: Vec<String> = ["vetting_ref", "rank", "employee_id", "decision", "evidence"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (f, _) in FIELDS {
        c.push(format!("{f}_level"));
        c.push(format!("{f}_bits"));
    }
    c.push("posterior".to_string());
    c
}

/// links.csv: the header, then one block of rows per linking job (the vetting records, then
/// any PND returns), each from `rows`.
pub fn render(blocks: &[Vec<u8>]) -> Vec<u8> {
    let mut w = csv_writer();
    w.write_record(columns()).expect("in-memory write");
    let mut out = finish(w);
    for b in blocks {
        out.extend_from_slice(b);
    }
    out
}

/// The rows of one linking job, sorted by the records' references (no header).
pub fn rows<R: ExternalRecord>(
    engine: &Engine<'_>,
    persons: &[Person],
    vetting: &[R],
    links: &[LinkOutcome],
) -> Vec<u8> {
    assert_eq!(links.len(), vetting.len(), "one link outcome per record");
    let mut order: Vec<(&R, &LinkOutcome)> = vetting.iter().zip(links).collect();
    order.sort_by(|a, b| a.0.reference().cmp(b.0.reference()));
    let width = columns().len();
    // Rendered in parallel chunks, each its own CSV buffer, joined in order.
    let chunks: Vec<Vec<u8>> = order
        .par_chunks(4096)
        .map(|chunk| {
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            let mut row: Vec<String> = Vec::with_capacity(width);
            for &(v, l) in chunk {
                let head = |row: &mut Vec<String>, rank: String, emp: &str| {
                    row.clear();
                    row.push(text(v.reference()).into_owned());
                    row.push(rank);
                    row.push(text(emp).into_owned());
                    row.push(l.decision.as_str().to_string());
                };
                if l.candidates.is_empty() {
                    head(&mut row, String::new(), "");
                    row.resize(width, String::new());
                    w.write_record(&row).expect("in-memory write");
                }
                for (rank, c) in l.candidates.iter().enumerate() {
                    let x = engine.explain_candidate(c);
                    debug_assert!(
                        (x.weight - c.weight).abs() < 1e-9,
                        "the explanation adds up to the score"
                    );
                    head(
                        &mut row,
                        (rank + 1).to_string(),
                        &c.person_in(persons).employee_id,
                    );
                    row.push(format!("{:.2}", x.weight - x.prior));
                    for e in &x.fields {
                        row.push(e.level.to_string());
                        row.push(format!("{:.2}", e.bits));
                    }
                    row.push(format!("{:.4}", c.probability));
                    w.write_record(&row).expect("in-memory write");
                }
            }
            finish(w)
        })
        .collect();
    chunks.concat()
}
