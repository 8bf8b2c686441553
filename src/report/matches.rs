//! matches.csv: every linking decision, one row per (vetting record, candidate) considered
//! plausible, and one row with a blank employee_id for each record that matched no one.
//!
//! `score` and `probability` are the pair's own (pairwise) weight and probability, as they
//! always were; `posterior` (added for issue 18) is what decided: the pair weighed against
//! the record's other candidates and against "not on the roster". Columns are only added.

use super::{cell::text, csv_writer, finish};
use crate::link::{probability, weights::describe, LinkOutcome};
use crate::model::{Person, VettingRecord};

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
    order.sort_by(|a, b| a.0.vetting_ref.cmp(&b.0.vetting_ref));
    let mut w = csv_writer();
    w.write_record(COLUMNS).expect("in-memory write");
    for (v, l) in order {
        if l.candidates.is_empty() {
            w.write_record([
                "",
                &text(&v.vetting_ref),
                "",
                l.decision.as_str(),
                "",
                "",
                "",
            ])
            .expect("in-memory write");
        }
        for c in &l.candidates {
            w.write_record([
                &*text(&c.person_in(persons).employee_id),
                &text(&v.vetting_ref),
                &format!("{:.2}", c.weight),
                l.decision.as_str(),
                &format!("{:.6}", probability(c.weight)),
                &describe(&c.levels),
                &format!("{:.6}", c.probability),
            ])
            .expect("in-memory write");
        }
    }
    finish(w)
}
