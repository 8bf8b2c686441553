//! Block: propose candidate pairs cheaply so that linking never compares all pairs.
//!
//! A true match must share at least one blocking key with its person. The keys are chosen
//! so that any single error in a name or a date still leaves one key in common:
//! exact date of birth (catches any surname change or misspelling), surname sound plus birth
//! year (catches day/month typos and swaps), first-forename sound plus surname sound
//! (catches a wrong year), first-forename sound plus birthday (a wrong year together with
//! a misspelt or changed surname), NI number, and the vetting system's employee id hint.
//! Keys with very large blocks (a common name pair at national scale) are capped: such a
//! key adds no evidence and its pairs are still reachable through the date keys.

use super::prepare::Prepared;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// Blocks larger than this on the roster side are skipped for the key that produced them.
pub const MAX_BLOCK: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BlockKey {
    Dob(NaiveDate),
    SurnameYear(String, i32),
    /// First-forename sound plus day and month of birth (a wrong year and a changed surname).
    ForenameBirthday(String, u32, u32),
    NameSounds(String, String),
    Ni(String),
    EmployeeId(String),
}

/// The keys of a record, on the side that is indexed (roster) or probed (vetting). A probe
/// also tries its date of birth with day and month exchanged (a US-style export).
fn keys(r: &Prepared, probe: bool) -> Vec<BlockKey> {
    let mut out = vec![BlockKey::Dob(r.dob)];
    if probe && r.dob.day() <= 12 && r.dob.day() != r.dob.month() {
        if let Some(d) = NaiveDate::from_ymd_opt(r.dob.year(), r.dob.day(), r.dob.month()) {
            out.push(BlockKey::Dob(d));
        }
    }
    if !r.forename_soundex.is_empty() {
        out.push(BlockKey::ForenameBirthday(
            r.forename_soundex.clone(),
            r.dob.month(),
            r.dob.day(),
        ));
    }
    for s in r.all_surnames() {
        if !s.soundex.is_empty() {
            out.push(BlockKey::SurnameYear(s.soundex.clone(), r.birth_year()));
            if !r.forename_soundex.is_empty() {
                out.push(BlockKey::NameSounds(
                    r.forename_soundex.clone(),
                    s.soundex.clone(),
                ));
            }
        }
        for code in &s.part_soundex {
            out.push(BlockKey::SurnameYear(code.clone(), r.birth_year()));
        }
    }
    if let Some(ni) = &r.ni {
        out.push(BlockKey::Ni(ni.clone()));
    }
    if let Some(e) = &r.employee_id {
        out.push(BlockKey::EmployeeId(e.clone()));
    }
    // Duplicate keys would only add duplicate candidates, which `candidates` removes.
    out
}

/// Roster people indexed by every blocking key they have.
pub struct Index {
    map: HashMap<BlockKey, Vec<u32>>,
}

impl Index {
    pub fn build(people: &[Prepared]) -> Index {
        let mut map: HashMap<BlockKey, Vec<u32>> = HashMap::new();
        for (i, p) in people.iter().enumerate() {
            for k in keys(p, false) {
                map.entry(k).or_default().push(i as u32);
            }
        }
        Index { map }
    }

    /// Candidate people for a vetting record: sorted, without duplicates.
    pub fn candidates(&self, rec: &Prepared) -> Vec<u32> {
        let mut out = Vec::new();
        for k in keys(rec, true) {
            if let Some(block) = self.map.get(&k) {
                if block.len() <= MAX_BLOCK {
                    out.extend_from_slice(block);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
