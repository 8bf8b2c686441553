//! matches.csv: every linking decision, one row per (vetting record, candidate) considered
//! plausible, and one row with a blank employee_id for each record that matched no one.
//!
//! `score` and `probability` are the pair's own (pairwise) weight and probability;
//! `posterior` is what decided: the pair weighed against the record's other candidates and
//! against "not on the roster". Columns are only added.

use super::{cell::text, csv_writer, figure::fixed, finish, par_rows};
use crate::link::{probability, weights::describe, LinkOutcome};
use crate::model::{Person, VettingRecord};
use rayon::prelude::*;

pub const COLUMNS: [&str; 7] = [
    "employee_id",
    "vetting_ref",
    "score",
    "decision",
    "probability",
    "agreement",
    "posterior",
];

pub fn render(persons: &[Person], vetting: &[VettingRecord], links: &[LinkOutcome]) -> Vec<u8> {
    assert_eq!(
        links.len(),
        vetting.len(),
        "one link outcome per vetting record"
    );
    let mut order: Vec<(&VettingRecord, &LinkOutcome)> = vetting.iter().zip(links).collect();
    order.par_sort_by(|a, b| a.0.vetting_ref.cmp(&b.0.vetting_ref));
    let mut w = csv_writer();
    w.write_record(COLUMNS).expect("in-memory write");
    let field = |w: &mut csv::Writer<Vec<u8>>, f: &str| {
        w.write_field(f).expect("in-memory write");
    };
    par_rows(finish(w), &order, |w, s, &(v, l)| {
        let reference = text(&v.vetting_ref);
        if l.candidates.is_empty() {
            w.write_record(["", &reference, "", l.decision.as_str(), "", "", ""])
                .expect("in-memory write");
        }
        for c in &l.candidates {
            field(w, &text(&c.person_in(persons).employee_id));
            field(w, &reference);
            fixed(s, c.weight, 2);
            field(w, s);
            field(w, l.decision.as_str());
            fixed(s, probability(c.weight), 6);
            field(w, s);
            field(w, &describe(&c.levels));
            fixed(s, c.probability, 6);
            field(w, s);
            w.write_record(None::<&[u8]>).expect("in-memory write");
        }
    })
}
