//! links.csv, kept in the store with every run: each linking outcome with the full
//! field-by-field explanation of every candidate (the same breakdown `vetrecon explain`
//! prints), so an auditor can see years later why a record linked, went to review, or was
//! linked by a vetting officer's confirmation against its score. Not written to the output
//! directory by a run; `vetrecon report RUN --with-links` writes it.
//!
//! Only prior-free figures are kept per row: `evidence` is the sum of the field bits, and a
//! pair's match weight is the run's prior (`prior_bits` in the run record) plus `evidence`.
//! The prior moves a little every night with the roster's size; kept per row it would change
//! every row every night and defeat the store's delta compression.

use super::{cell::text, csv_writer, finish};
use crate::link::weights::FIELDS;
use crate::link::{Engine, LinkOutcome};
use crate::model::{Person, VettingRecord};
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
    c
}

pub fn render(
    engine: &Engine<'_>,
    persons: &[Person],
    vetting: &[VettingRecord],
    links: &[LinkOutcome],
) -> Vec<u8> {
    let mut order: Vec<usize> = (0..vetting.len()).collect();
    order.sort_by(|&a, &b| vetting[a].vetting_ref.cmp(&vetting[b].vetting_ref));
    let rows: Vec<Vec<Vec<String>>> = order
        .par_iter()
        .map(|&vi| {
            let v = &vetting[vi];
            let l = &links[vi];
            let head = |rank: String, emp: &str| {
                vec![
                    text(&v.vetting_ref).into_owned(),
                    rank,
                    text(emp).into_owned(),
                    l.decision.as_str().to_string(),
                ]
            };
            if l.candidates.is_empty() {
                let mut r = head(String::new(), "");
                r.resize(columns().len(), String::new());
                return vec![r];
            }
            l.candidates
                .iter()
                .enumerate()
                .map(|(rank, c)| {
                    let x = engine.explain(c.person as usize, vi);
                    let mut r = head(
                        (rank + 1).to_string(),
                        &persons[c.person as usize].employee_id,
                    );
                    r.push(format!("{:.2}", x.weight - x.prior));
                    for e in &x.fields {
                        r.push(e.level.to_string());
                        r.push(format!("{:.2}", e.bits));
                    }
                    r
                })
                .collect()
        })
        .collect();
    let mut w = csv_writer();
    w.write_record(columns()).expect("in-memory write");
    for r in rows.iter().flatten() {
        w.write_record(r).expect("in-memory write");
    }
    finish(w)
}
