//! links.csv, kept in the store with every run: each linking outcome with the full
//! field-by-field explanation of every candidate (the same breakdown `vetrecon explain`
//! prints), so an auditor can see years later why a record linked, went to review, or was
//! linked by a vetting officer's confirmation against its score. Not written to the output
//! directory by a run; `vetrecon report RUN --with-links` writes it.
//!
//! PND returns (when that feed is given) follow the vetting records, in the same columns:
//! their `pnd_ref` stands in `vetting_ref`, as clerical decisions name them.
//!
//! Only prior-free figures are kept per row: `evidence` is the sum of the field bits less
//! `look_alike_bits`, and a pair's match weight is the run's prior (`prior_bits` in the run
//! record) plus `evidence`.
//! The prior moves a little every night with the roster's size; kept per row it would change
//! every row every night and defeat the store's delta compression.
//!
//! `posterior` (the last column) is the figure the decision read: the
//! pair weighed against the record's other candidates and "not on the roster" at the night's
//! match share (`match_share` in the run record). It moves with that share, so it is kept to
//! four decimals: a clear link reads 1.0000 every night and stays one delta.

use super::{cell::text, csv_writer, figure::fixed, finish, par_rows};
use crate::link::weights::FIELDS;
use crate::link::{Engine, LinkOutcome};
use crate::model::{ExternalRecord, Person};
use rayon::slice::ParallelSliceMut;

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
    // Added in 0.4.0, at the end: the bits taken off for look-alikes (`link::lookalike`);
    // evidence is the sum of the field bits less this.
    c.push("look_alike_bits".to_string());
    c
}

/// links.csv's header row. The file is the header, then one block of rows per linking job
/// (the vetting records, then any PND returns), each appended by `rows`.
pub fn header() -> Vec<u8> {
    let mut w = csv_writer();
    w.write_record(columns()).expect("in-memory write");
    finish(w)
}

/// `out` with the rows of one linking job appended, sorted by the records' references.
pub fn rows<R: ExternalRecord>(
    out: Vec<u8>,
    engine: &Engine<'_>,
    persons: &[Person],
    vetting: &[R],
    links: &[LinkOutcome],
) -> Vec<u8> {
    assert_eq!(links.len(), vetting.len(), "one link outcome per record");
    let mut order: Vec<(&R, &LinkOutcome)> = vetting.iter().zip(links).collect();
    // On both cores, as matches.csv sorts (a stable sort: the same order as one core's).
    order.par_sort_by(|a, b| a.0.reference().cmp(b.0.reference()));
    let width = columns().len();
    let field = |w: &mut csv::Writer<Vec<u8>>, f: &str| {
        w.write_field(f).expect("in-memory write");
    };
    // Fields straight to the writer, figures through one reused buffer: no `String` per
    // field, which would be most of this output's time.
    par_rows(out, &order, |w, s, &(v, l)| {
        let reference = text(v.reference());
        let head = |w: &mut csv::Writer<Vec<u8>>, rank: &str, emp: &str| {
            field(w, &reference);
            field(w, rank);
            field(w, &text(emp));
            field(w, l.decision.as_str());
        };
        if l.candidates.is_empty() {
            head(w, "", "");
            for _ in 4..width {
                field(w, "");
            }
            w.write_record(None::<&[u8]>).expect("in-memory write");
        }
        for (rank, c) in l.candidates.iter().enumerate() {
            let x = engine.explain_candidate(c);
            debug_assert!(
                (x.weight - c.weight).abs() < 1e-9,
                "the explanation adds up to the score"
            );
            figure(s, format_args!("{}", rank + 1));
            head(w, s, &c.person_in(persons).employee_id);
            fixed(s, x.weight - x.prior, 2);
            field(w, s);
            for e in &x.fields {
                field(w, e.level);
                fixed(s, e.bits, 2);
                field(w, s);
            }
            fixed(s, c.probability, 4);
            field(w, s);
            fixed(s, x.lookalike, 2);
            field(w, s);
            w.write_record(None::<&[u8]>).expect("in-memory write");
        }
    })
}

/// Format a figure into `s` (cleared first), reused from field to field.
pub(crate) fn figure(s: &mut String, args: std::fmt::Arguments<'_>) {
    use std::fmt::Write;
    s.clear();
    s.write_fmt(args).expect("writing to a String cannot fail");
}
