//! Related rows: one problem, one row.
//!
//! Two rules can see the same problem from two sides. A person with no valid clearance
//! (NO_CLEARANCE, EXPIRED, NOT_GRANTED, INSUFFICIENT_LEVEL) may be a candidate of a vetting
//! record waiting for a link decision (REVIEW_MATCH, AMBIGUOUS_MATCH): confirming the link
//! could clear the first row, and a manager who starts from it could vet someone already
//! vetted. A record linked to nobody (ORPHAN_CLEARANCE) may also hold adverse information
//! without mitigation (ADVERSE_UNMITIGATED): finding its holder, or ending it, comes first.
//!
//! This pass runs after `priority::rank`, so it can name the other row by its priority. It
//! changes no code, severity or order: it appends the link to both rows' `detail` (so
//! exceptions.csv and the xlsx carry it) and sets `related` (so the worklist can say "decide
//! the link first") and `decide_first` (so the headline can name the record to decide). It
//! reads only the rows and the link outcomes, never the names.

use super::{Code, Exception, Facts};
use std::collections::HashMap;

/// Codes a pending link decision could clear for a candidate.
const CLEARABLE: [Code; 4] = [
    Code::NoClearance,
    Code::Expired,
    Code::NotGranted,
    Code::InsufficientLevel,
];

/// A posterior as people read it: "87.5%".
fn share(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

fn append(e: &mut Exception, text: &str) {
    if e.detail.is_empty() {
        e.detail = text.to_string();
    } else {
        e.detail = format!("{}; {text}", e.detail);
    }
    if e.related.is_empty() {
        e.related = text.to_string();
    } else {
        e.related = format!("{}; {text}", e.related);
    }
}

pub fn link(rows: &mut [Exception], facts: &Facts<'_>) {
    let by_ref: HashMap<&str, usize> = facts
        .vetting
        .iter()
        .enumerate()
        .map(|(i, v)| (v.vetting_ref.as_str(), i))
        .collect();
    // (row to annotate, text) pairs, gathered first so the rows are only read while looking.
    let mut notes: Vec<(usize, String)> = Vec::new();
    // (row, (priority, vetting ref) of a pending-link row that could clear it).
    let mut first: Vec<(usize, (u32, String))> = Vec::new();
    // Employee id -> the rows a link decision could clear.
    let mut clearable: HashMap<&str, Vec<usize>> = HashMap::new();
    // Vetting ref -> (orphan row, adverse row).
    let mut by_record: HashMap<&str, (Option<usize>, Option<usize>)> = HashMap::new();
    for (i, e) in rows.iter().enumerate() {
        if CLEARABLE.contains(&e.code) && !e.employee_id.is_empty() {
            clearable.entry(&e.employee_id).or_default().push(i);
        }
        if !e.vetting_ref.is_empty() {
            match e.code {
                Code::OrphanClearance => by_record.entry(&e.vetting_ref).or_default().0 = Some(i),
                Code::AdverseUnmitigated => {
                    by_record.entry(&e.vetting_ref).or_default().1 = Some(i)
                }
                _ => {}
            }
        }
    }
    for (i, e) in rows.iter().enumerate() {
        if !matches!(e.code, Code::ReviewMatch | Code::AmbiguousMatch) {
            continue;
        }
        let Some(&record) = by_ref.get(e.vetting_ref.as_str()) else {
            continue;
        };
        let mut clears: Vec<String> = Vec::new();
        for c in &facts.link(record).candidates {
            let emp = facts.person(c.person as usize).employee_id.as_str();
            for &j in clearable.get(emp).into_iter().flatten() {
                let Some(other) = rows.get(j) else { continue };
                first.push((j, (e.priority, e.vetting_ref.clone())));
                notes.push((
                    j,
                    format!(
                        "vetting record {} waits for a link decision to {emp} ({} #{}, posterior {}): decide the link first",
                        e.vetting_ref,
                        e.code.as_str(),
                        e.priority,
                        share(c.probability)
                    ),
                ));
                clears.push(format!(
                    "{} #{} for {emp}",
                    other.code.as_str(),
                    other.priority
                ));
            }
        }
        if !clears.is_empty() {
            notes.push((
                i,
                format!(
                    "confirming the link may clear {}: decide this first",
                    clears.join(", ")
                ),
            ));
        }
    }
    for (orphan, adverse) in by_record.values() {
        if let (Some(o), Some(a)) = (*orphan, *adverse) {
            let (Some(op), Some(ap)) = (rows.get(o), rows.get(a)) else {
                continue;
            };
            let (op, ap) = (op.priority, ap.priority);
            notes.push((
                a,
                format!("the record is linked to nobody (ORPHAN_CLEARANCE #{op}): find its holder or end it first"),
            ));
            notes.push((
                o,
                format!("the record also holds unmitigated adverse information (ADVERSE_UNMITIGATED #{ap})"),
            ));
        }
    }
    // The highest-ranked pending link first: sorted by row, then priority.
    first.sort();
    for (i, (priority, vref)) in first.into_iter().rev() {
        if let Some(e) = rows.get_mut(i) {
            e.decide_first = Some((vref, priority));
        }
    }
    // Each row's notes in a fixed order, whatever order the maps gave.
    notes.sort();
    notes.dedup();
    for (i, text) in notes {
        if let Some(e) = rows.get_mut(i) {
            append(e, &text);
        }
    }
}
