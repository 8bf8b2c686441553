//! Collective evidence: what a person's confidently linked vetting records say about the person.
//!
//! A vetting system sees a person several times (recruitment vetting, then management
//! vetting, renewals), and a later record often lists former names that HR never kept:
//! a record keyed after a marriage names the maiden surname, while an older record is in
//! that maiden name with no NI number. Matched one pair at a time the older record shares
//! only a forename and a date of birth with HR, and is lost. Collective evidence recovers
//! it: after the first pass, each person's identity is widened with the surnames and NI
//! number carried by the records linked to them at `linking.history_probability` or
//! above, and the records the first pass left unlinked are scored again against the
//! widened roster.
//!
//! What it must not do: learn from a weak link (a wrong link would lend a stranger's name
//! to the person), learn from the record being scored (a record never vouches for itself:
//! only auto-linked or confirmed records teach, and only unlinked records are rescored),
//! or take a spelling variant for a new name (a record's current surname is learnt only
//! when it did not agree with the person's at all, or agreed through a former name).

use super::assign::{Decision, LinkOutcome};
use super::compare::SurnameLevel;
use super::prepare::{Hot, Names, Rec};

/// The widened roster: for each person who learnt something, their new `Rec` and the
/// records it was learnt from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// Person index -> (widened record, vetting record indices that taught it), sorted by
    /// person.
    pub learnt: Vec<(u32, Rec, Vec<u32>)>,
}

impl History {
    pub fn is_empty(&self) -> bool {
        self.learnt.is_empty()
    }

    /// The records that taught person `pi` something (empty when nothing was learnt).
    pub fn sources(&self, pi: u32) -> &[u32] {
        self.learnt
            .binary_search_by_key(&pi, |(p, _, _)| *p)
            .ok()
            .and_then(|i| self.learnt.get(i))
            .map_or(&[], |l| &l.2)
    }
}

#[allow(
    clippy::indexing_slicing,
    reason = "`people` and `records` are the prepared roster and records the outcomes were computed from: candidate and record positions index them, and a source is a strong link (it has a best candidate)"
)]
/// Learn from the first pass: `outcomes[vi]` is record `vi`'s decision, `records[vi]` its
/// prepared form. Only links at or above `min_weight` bits teach.
pub fn learn(
    people: &[Rec],
    records: &[Rec],
    outcomes: &[LinkOutcome],
    min_weight: f64,
) -> History {
    use rayon::prelude::*;
    // (person, record) for every strong link, sorted: each person's teaching records are
    // one run, in record order, and the people come out in roster order. Both cores take
    // runs; nothing depends on how they are shared.
    let mut pairs: Vec<(u32, u32)> = (outcomes.par_iter().enumerate())
        .filter_map(|(vi, o)| {
            let linked = matches!(o.decision, Decision::AutoLink | Decision::Confirmed);
            let c = o.best().filter(|c| linked && c.weight >= min_weight)?;
            Some((c.person, vi as u32))
        })
        .collect();
    pairs.par_sort_unstable();
    let learnt = pairs
        .par_chunk_by(|a, b| a.0 == b.0)
        .filter_map(|run| {
            let pi = run.first()?.0;
            widen_one(
                &people[pi as usize],
                run.iter().map(|&(_, vi)| vi),
                records,
                outcomes,
            )
            .map(|(widened, teachers)| (pi, widened, teachers))
        })
        .collect();
    History { learnt }
}

/// What a person's strong links teach about them: their widened form and the records that
/// taught it, or `None` when they teach nothing (most people; the person is cloned only
/// when something is learnt).
#[allow(
    clippy::indexing_slicing,
    reason = "record positions come from enumerating `outcomes`, which is as long as `records`, and a linked outcome has its best candidate first"
)]
fn widen_one(
    person: &Rec,
    sources: impl Iterator<Item = u32>,
    records: &[Rec],
    outcomes: &[LinkOutcome],
) -> Option<(Rec, Vec<u32>)> {
    let mut widened: Option<Rec> = None;
    let mut teachers = Vec::new();
    // An NI number is learnt only when HR has none and every teaching record that has
    // one agrees on it.
    let mut ni: Option<Option<u64>> = None;
    let mut ni_teachers = Vec::new();
    for vi in sources {
        let rec = &records[vi as usize];
        let candidate = &outcomes[vi as usize].candidates[0];
        let mut taught = false;
        // A previous surname on the record is a former (or later) name of the person;
        // its current surname is one only when it is not a spelling of theirs.
        let current_is_other_name = matches!(
            candidate.levels.surname,
            SurnameLevel::Different | SurnameLevel::Previous
        );
        for (k, &s) in rec.surnames.iter().enumerate() {
            let known = widened.as_ref().map_or(&person.surnames, |w| &w.surnames);
            if (k > 0 || current_is_other_name) && !known.contains(&s) {
                if known.is_empty() {
                    break; // a person with no surname has nothing to widen
                }
                widened
                    .get_or_insert_with(|| person.clone())
                    .surnames
                    .push(s);
                taught = true;
            }
        }
        if person.ni.is_none() {
            if let Some(n) = rec.ni {
                ni = match ni {
                    None => Some(Some(n)),
                    Some(Some(m)) if m == n => Some(Some(m)),
                    _ => Some(None),
                };
                ni_teachers.push(vi);
            }
        }
        if taught {
            teachers.push(vi);
        }
    }
    if let Some(Some(n)) = ni {
        widened.get_or_insert_with(|| person.clone()).ni = Some(n);
        teachers.extend(ni_teachers);
    }
    let widened = widened.filter(|w| w != person)?;
    teachers.sort_unstable();
    teachers.dedup();
    Some((widened, teachers))
}

/// Apply `history` to the roster side in place: `people[pi]` and `hot[pi]` become the
/// widened forms.
#[allow(
    clippy::indexing_slicing,
    reason = "`learn` takes every person position from a candidate of the roster being widened"
)]
pub fn widen(history: &History, names: &Names, people: &mut [Rec], hot: &mut [Hot]) {
    for (pi, rec, _) in &history.learnt {
        hot[*pi as usize] = Hot::of(rec, names);
        people[*pi as usize] = rec.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::compare::{DobLevel, ForenameLevel, PairLevels};
    use crate::link::score::Candidate;
    use chrono::NaiveDate;

    fn rec(surnames: &[u32], ni: Option<u64>) -> Rec {
        Rec {
            surnames: surnames.to_vec(),
            forenames: vec![0],
            dob: NaiveDate::from_ymd_opt(1980, 1, 2).unwrap(),
            ni,
            employee_id: None,
        }
    }

    fn linked(person: u32, weight: f64, surname: SurnameLevel, decision: Decision) -> LinkOutcome {
        LinkOutcome {
            decision,
            candidates: vec![Candidate {
                person,
                weight,
                probability: crate::link::probability(weight),
                levels: PairLevels {
                    surname,
                    forenames: ForenameLevel::Exact,
                    dob: DobLevel::Exact,
                    ni: None,
                    employee_id: None,
                },
                second_pass: false,
            }],
        }
    }

    #[test]
    fn former_names_and_a_missing_ni_are_learnt_from_strong_links_only() {
        // Person 0 is "Langham" (id 1) with no NI. Record 0, linked strongly, is "Langham"
        // listing "Uddin" (id 2) with NI 77. Record 1, linked weakly, lists "Jones" (id 3).
        let people = vec![rec(&[1], None)];
        let records = vec![rec(&[1, 2], Some(77)), rec(&[1, 3], Some(78))];
        let outcomes = vec![
            linked(0, 30.0, SurnameLevel::Exact, Decision::AutoLink),
            linked(0, 8.0, SurnameLevel::Exact, Decision::AutoLink),
        ];
        let h = learn(&people, &records, &outcomes, 13.0);
        assert_eq!(h.learnt.len(), 1);
        let (pi, widened, sources) = &h.learnt[0];
        assert_eq!(*pi, 0);
        assert_eq!(widened.surnames, vec![1, 2]);
        assert_eq!(widened.ni, Some(77));
        assert_eq!(sources, &vec![0]);
        assert_eq!(h.sources(0), &[0]);
        assert!(h.sources(5).is_empty());
    }

    #[test]
    fn a_spelling_variant_is_not_a_new_name_but_a_different_surname_is() {
        let people = vec![rec(&[1], Some(5)), rec(&[4], Some(6))];
        // Record 0 reached person 0 with a close (misspelt) surname 9; record 1 reached
        // person 1 by NI although its surname 8 differs (a maiden name).
        let records = vec![rec(&[9], Some(5)), rec(&[8], Some(6))];
        let outcomes = vec![
            linked(0, 30.0, SurnameLevel::Close, Decision::AutoLink),
            linked(1, 30.0, SurnameLevel::Different, Decision::Confirmed),
        ];
        let h = learn(&people, &records, &outcomes, 13.0);
        assert_eq!(h.learnt.len(), 1);
        assert_eq!(h.learnt[0].0, 1);
        assert_eq!(h.learnt[0].1.surnames, vec![4, 8]);
    }

    #[test]
    fn disagreeing_ni_numbers_teach_none_and_review_links_teach_nothing() {
        let people = vec![rec(&[1], None)];
        let records = vec![
            rec(&[1], Some(10)),
            rec(&[1], Some(11)),
            rec(&[1, 2], Some(10)),
        ];
        let outcomes = vec![
            linked(0, 30.0, SurnameLevel::Exact, Decision::AutoLink),
            linked(0, 30.0, SurnameLevel::Exact, Decision::AutoLink),
            linked(0, 30.0, SurnameLevel::Exact, Decision::Review),
        ];
        let h = learn(&people, &records, &outcomes, 13.0);
        assert!(h.is_empty(), "{h:?}");
    }
}
