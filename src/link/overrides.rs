//! Overrides: the clerical decisions in force, applied on top of the scores.
//!
//! A confirmed pair links whatever its score (decision `confirmed`, with the pair's full
//! explanation kept so an auditor sees what the officer overrode); a rejected pair is never
//! a candidate, so the record links to someone else or to no one. Decisions naming an
//! employee or vetting record absent tonight simply do not apply.
//!
//! A decision is about two identities as they stood (`clerical::fingerprint`). When tonight's
//! surname, forenames, date of birth or NI number of either side no longer match the
//! decision's fingerprint, the decision is *reopened*: it is not applied, and the record goes
//! back to review (`Engine::reopen`) with a note naming the earlier decision, who made it,
//! when, and which fields changed (names only, never values). A decision without a
//! fingerprint (recorded before they existed) is never reopened. A record confirmed by a
//! decision that still stands is not reopened by a changed rejection of someone else: the
//! confirmation settles it.
//!
//! Decisions in force that contradict each other (two people confirmed for one record, or
//! one person both confirmed and rejected for it) are never settled by picking one: a store
//! written by a build that compared ids as spelled can hold them (`clerical::InForce::fold`).
//! None of them is applied, and the record goes back to review with a note naming each.

use crate::clerical::fingerprint::{self, Changed};
use crate::clerical::{DecisionRow, InForce, Verdict};
use crate::ingest::value::id_key;
use crate::model::{ExternalRecord, Person};
use rustc_hash::FxHashMap;

/// A decision in force that tonight's data reopened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reopen {
    /// The person the decision was about (roster index).
    pub person: u32,
    pub verdict: Verdict,
    pub employee_id: String,
    pub vetting_ref: String,
    pub by: String,
    /// When the decision was recorded (RFC 3339).
    pub at: String,
    pub changed: Vec<Changed>,
    /// "vetting record" or "PND return".
    pub record_kind: &'static str,
    /// Reopened because another decision in force on the record contradicts this one (then
    /// `changed` is empty), not because an identity changed.
    pub contradicted: bool,
}

impl Reopen {
    fn of(
        d: &DecisionRow,
        person: u32,
        changed: Vec<Changed>,
        record_kind: &'static str,
    ) -> Reopen {
        Reopen {
            person,
            verdict: d.verdict,
            employee_id: d.employee_id.clone(),
            vetting_ref: d.vetting_ref.clone(),
            by: d.by.clone(),
            at: d.at.clone(),
            changed,
            record_kind,
            contradicted: false,
        }
    }

    /// The note the review queue and the exception carry, e.g. "reopened: surname and
    /// date_of_birth changed on the vetting record since DS Patel confirmed E1184 / V501393
    /// on 2026-11-24". `by` is printed escaped: stored by an older build, it may hold a
    /// control character, and this text goes into every output.
    pub fn note(&self) -> String {
        let verb = match self.verdict {
            Verdict::Confirm => "confirmed",
            Verdict::Reject => "rejected",
            Verdict::Revoke => "revoked",
        };
        let day = self.at.get(..10).unwrap_or(&self.at);
        let decision = format!(
            "{} {verb} {} / {} on {}",
            crate::history::escape(&self.by),
            crate::history::escape(&self.employee_id),
            crate::history::escape(&self.vetting_ref),
            crate::history::escape(day),
        );
        if self.contradicted {
            return format!(
                "reopened: {decision}, and another decision in force on this {} contradicts it (revoke the wrong one)",
                self.record_kind
            );
        }
        format!(
            "reopened: {} since {decision}",
            fingerprint::describe(&self.changed, self.record_kind),
        )
    }
}

/// The kind of record `vi` ("vetting record", "PND return").
fn records_kind<R: ExternalRecord>(records: &[R], vi: u32) -> &'static str {
    records
        .get(vi as usize)
        .map_or("vetting record", ExternalRecord::kind)
}

/// Roster people or records by folded id, with their positions.
type Ids<T> = FxHashMap<String, (u32, T)>;

#[derive(Debug, Default, Clone)]
pub struct Overrides {
    confirmed: FxHashMap<u32, u32>,
    rejected: FxHashMap<u32, Vec<u32>>,
    /// Per record, the decisions in force that tonight's data reopened (in the order of the
    /// set in force: by employee id).
    reopened: FxHashMap<u32, Vec<Reopen>>,
    /// Decisions in force that name a person and record both present tonight (reopened
    /// ones included).
    pub applied: usize,
    /// Decisions in force that name someone or something absent tonight.
    pub not_applicable: usize,
}

impl Overrides {
    /// The decisions in force that name a person and a record (by its reference) present
    /// tonight.
    pub fn build<R: ExternalRecord>(
        in_force: &InForce,
        persons: &[Person],
        vetting: &[R],
    ) -> Overrides {
        use rayon::prelude::*;
        // No decisions, nothing to look up: most nights of a new store, and every PND night
        // without any (the maps below cost a third of a second at 250,000 people).
        if in_force.is_empty() {
            return Overrides::default();
        }
        // Ids are matched as everywhere else: without regard to case or invisible characters,
        // so a decision holds when an export re-spells an id.
        let (person, record): (Ids<&Person>, Ids<&R>) = rayon::join(
            || {
                (persons.par_iter().enumerate())
                    .map(|(i, p)| (id_key(&p.employee_id), (i as u32, p)))
                    .collect()
            },
            || {
                (vetting.par_iter().enumerate())
                    .map(|(i, v)| (id_key(v.reference()), (i as u32, v)))
                    .collect()
            },
        );
        let mut o = Overrides::default();
        // Per record, the confirmations and rejections that stand (in the set's order).
        let mut stands: FxHashMap<u32, Vec<(u32, &DecisionRow)>> = FxHashMap::default();
        for d in in_force.iter() {
            let (Some(&(pi, p)), Some(&(vi, v))) = (
                person.get(&id_key(&d.employee_id)),
                record.get(&id_key(&d.vetting_ref)),
            ) else {
                o.not_applicable += 1;
                continue;
            };
            o.applied += 1;
            if let Some(then) = &d.fingerprint {
                let now = fingerprint::pair_print(
                    &d.employee_id,
                    &d.vetting_ref,
                    &p.identity(),
                    &v.identity(),
                );
                // `None` (not comparable) keeps the decision: only a real change reopens.
                if let Some(changed) = fingerprint::changed(then, &now).filter(|c| !c.is_empty()) {
                    o.reopened
                        .entry(vi)
                        .or_default()
                        .push(Reopen::of(d, pi, changed, v.kind()));
                    continue;
                }
            }
            if d.verdict != Verdict::Revoke {
                stands.entry(vi).or_default().push((pi, d));
            }
        }
        for (vi, decided) in stands {
            o.settle(vi, decided, records_kind(vetting, vi));
        }
        let settled: Vec<u32> = o
            .reopened
            .keys()
            .copied()
            .filter(|vi| o.confirmed.contains_key(vi))
            .collect();
        for vi in settled {
            o.reopened.remove(&vi);
        }
        o
    }

    /// Apply the decisions that stand on record `vi`, unless they contradict each other
    /// (more than one person confirmed, or a person both confirmed and rejected): then none
    /// is applied and each contradicting one reopens the record.
    fn settle(&mut self, vi: u32, decided: Vec<(u32, &DecisionRow)>, kind: &'static str) {
        let confirmed: Vec<u32> = (decided.iter())
            .filter(|(_, d)| d.verdict == Verdict::Confirm)
            .map(|(pi, _)| *pi)
            .collect();
        let contradicts = |pi: u32| {
            confirmed.contains(&pi)
                && (confirmed.iter().any(|&c| c != pi) || {
                    (decided.iter()).any(|(p, d)| *p == pi && d.verdict == Verdict::Reject)
                })
        };
        for (pi, d) in decided.iter().copied() {
            if contradicts(pi) {
                let mut r = Reopen::of(d, pi, Vec::new(), kind);
                r.contradicted = true;
                self.reopened.entry(vi).or_default().push(r);
            } else if d.verdict == Verdict::Confirm {
                self.confirmed.insert(vi, pi);
            } else {
                self.rejected.entry(vi).or_default().push(pi);
            }
        }
    }

    pub fn confirmed(&self, record: usize) -> Option<u32> {
        self.confirmed.get(&(record as u32)).copied()
    }

    pub fn rejected(&self, record: usize) -> &[u32] {
        self.rejected
            .get(&(record as u32))
            .map_or(&[], |v| v.as_slice())
    }

    /// The decisions on this record that tonight's data reopened (empty for most).
    pub fn reopened(&self, record: usize) -> &[Reopen] {
        self.reopened
            .get(&(record as u32))
            .map_or(&[], |v| v.as_slice())
    }

    /// The notes of the decisions on this record that tonight's data reopened, as one text
    /// ("" for none).
    pub fn reopened_note(&self, record: usize) -> String {
        self.reopened(record)
            .iter()
            .map(Reopen::note)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Every decision tonight's data reopened, in no particular order.
    pub fn all_reopened(&self) -> impl Iterator<Item = &Reopen> {
        self.reopened.values().flatten()
    }

    /// How many decisions tonight's data reopened.
    pub fn reopened_count(&self) -> usize {
        self.reopened.values().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VettingRecord;
    use crate::testkit::World;

    fn decided(v: Verdict, p: &Person, r: &VettingRecord) -> DecisionRow {
        DecisionRow {
            verdict: v,
            employee_id: p.employee_id.clone(),
            vetting_ref: r.vetting_ref.clone(),
            by: "DS Patel".into(),
            reason: "passport seen".into(),
            at: "2026-11-24T09:00:00Z".into(),
            fingerprint: Some(fingerprint::pair_print(
                &p.employee_id,
                &r.vetting_ref,
                &p.identity(),
                &r.identity(),
            )),
        }
    }

    /// Two people (E0, E1) and one record (V0).
    fn world() -> World {
        let mut w = World::new();
        let p = w.staff("RVPOST");
        w.staff("RVPOST");
        w.granted(p, "RV", "2030-01-01");
        w
    }

    #[test]
    fn a_decision_on_changed_identities_is_reopened_not_applied() {
        let w = world();
        let (p, r) = (&w.persons, &w.vetting[0]);
        let mut set = InForce::default();
        set.apply(&decided(Verdict::Confirm, &p[0], r)).unwrap();
        set.apply(&decided(Verdict::Reject, &p[1], r)).unwrap();
        // Unchanged: both apply.
        let o = Overrides::build(&set, p, &w.vetting);
        assert_eq!((o.confirmed(0), o.rejected(0)), (Some(0), &[1u32][..]));
        assert_eq!(o.reopened_count(), 0);
        // The record's date of birth is corrected: neither applies, the confirmation and the
        // rejection are both reopened, each naming what changed.
        let mut moved = r.clone();
        moved.date_of_birth = moved.date_of_birth.succ_opt().unwrap();
        let o = Overrides::build(&set, p, &[moved]);
        assert_eq!((o.confirmed(0), o.rejected(0)), (None, &[][..]));
        assert_eq!((o.applied, o.reopened_count()), (2, 2));
        let notes: Vec<String> = o.reopened(0).iter().map(Reopen::note).collect();
        assert_eq!(
            notes,
            vec![
                "reopened: date_of_birth changed on the vetting record since DS Patel confirmed E0 / V0 on 2026-11-24",
                "reopened: date_of_birth changed on the vetting record since DS Patel rejected E1 / V0 on 2026-11-24",
            ]
        );
        // Only the rejected person's surname changed: the confirmation stands and settles
        // the record, so nothing is reopened.
        let mut renamed = p.clone();
        renamed[1].surname = "Carter-Smith".into();
        let o = Overrides::build(&set, &renamed, &w.vetting);
        assert_eq!(o.confirmed(0), Some(0));
        assert_eq!(o.reopened_count(), 0);
    }

    #[test]
    fn contradicting_decisions_are_not_applied_and_reopen_the_record_naming_each() {
        let w = world();
        let (p, r) = (&w.persons, &w.vetting[0]);
        let mut set = InForce::default();
        set.fold(&decided(Verdict::Confirm, &p[0], r)).unwrap();
        // A second confirmation, recorded by a build that compared ids as spelled.
        let mut second = decided(Verdict::Confirm, &p[1], r);
        second.vetting_ref = second.vetting_ref.to_lowercase();
        second.by = "DC Jones".into();
        assert!(set.fold(&second).unwrap().is_some());
        let o = Overrides::build(&set, p, &w.vetting);
        assert_eq!(o.confirmed(0), None, "neither confirmation is applied");
        assert_eq!(o.reopened_count(), 2);
        let note = o.reopened_note(0);
        assert_eq!(
            note,
            "reopened: DS Patel confirmed E0 / V0 on 2026-11-24, and another decision in force on this vetting record contradicts it (revoke the wrong one); \
             reopened: DC Jones confirmed E1 / v0 on 2026-11-24, and another decision in force on this vetting record contradicts it (revoke the wrong one)"
        );
        let named: Vec<u32> = o.reopened(0).iter().map(|r| r.person).collect();
        assert_eq!(named, vec![0, 1]);
        // One person both confirmed and rejected: the same.
        let mut set = InForce::default();
        set.fold(&decided(Verdict::Confirm, &p[0], r)).unwrap();
        let mut reject = decided(Verdict::Reject, &p[0], r);
        reject.employee_id = reject.employee_id.to_lowercase();
        assert!(set.fold(&reject).unwrap().is_some());
        let o = Overrides::build(&set, p, &w.vetting);
        assert_eq!((o.confirmed(0), o.rejected(0)), (None, &[][..]));
        assert_eq!(o.reopened_count(), 2);
    }

    #[test]
    fn a_decision_without_a_fingerprint_is_never_reopened() {
        let w = world();
        let mut set = InForce::default();
        set.apply(&DecisionRow {
            fingerprint: None,
            ..decided(Verdict::Confirm, &w.persons[0], &w.vetting[0])
        })
        .unwrap();
        let mut changed = w.vetting.clone();
        changed[0].surname = "Thomas".into();
        let o = Overrides::build(&set, &w.persons, &changed);
        assert_eq!(o.confirmed(0), Some(0));
        assert_eq!(o.reopened_count(), 0);
    }
}
