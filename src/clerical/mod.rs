//! Clerical review: the decisions vetting officers record about pairs the engine could not
//! settle, and the set of decisions in force on a given night.
//!
//! A decision is about one (employee, vetting record) pair: `confirm` (they are the same
//! person: link them whatever the score), `reject` (they are not: never link them), or
//! `revoke` (withdraw the decision in force on that pair). Decisions are appended to the
//! store's chain and never edited; the set in force is the fold of them in order. Each run
//! keeps a snapshot of the set it used, so a replay applies the decisions as they stood then,
//! not as they stand now.

pub mod fingerprint;
pub mod import;
pub mod jml;
pub mod qa;
pub mod qa_import;

pub use fingerprint::PairPrint;

use crate::ingest::value::id_key;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Confirm,
    Reject,
    Revoke,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Confirm => "confirm",
            Verdict::Reject => "reject",
            Verdict::Revoke => "revoke",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        match s.trim().to_ascii_lowercase().as_str() {
            "confirm" => Some(Verdict::Confirm),
            "reject" => Some(Verdict::Reject),
            "revoke" => Some(Verdict::Revoke),
            _ => None,
        }
    }
}

/// One recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRow {
    pub verdict: Verdict,
    pub employee_id: String,
    pub vetting_ref: String,
    pub by: String,
    pub reason: String,
    /// When it was recorded (RFC 3339, UTC).
    pub at: String,
    /// What a confirm or reject was made about: both sides' identities as the latest run
    /// saw them (`fingerprint`). Absent on a revoke and on decisions recorded before
    /// fingerprints existed, which are therefore never reopened. Left out of the JSON when
    /// absent, so such a decision serialises exactly as it always did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<PairPrint>,
}

/// The first of `fields` (name, value) that is blank, as an error naming it: every
/// decision, QA verdict and joiners-movers-leavers closing needs its fields filled in.
pub(crate) fn no_blank(fields: &[(&str, &str)]) -> Result<(), String> {
    match fields.iter().find(|(_, v)| v.trim().is_empty()) {
        Some((name, _)) => Err(format!("{name} is blank")),
        None => Ok(()),
    }
}

impl DecisionRow {
    /// Check the fields every decision needs.
    pub fn check_fields(&self) -> Result<(), String> {
        no_blank(&[
            ("employee_id", self.employee_id.as_str()),
            ("vetting_ref", self.vetting_ref.as_str()),
            ("by", self.by.as_str()),
            ("reason", self.reason.as_str()),
        ])
    }

    /// Whether this confirm or reject decides again a pair already decided as `earlier`
    /// because the identities it was decided on have changed since: both carry a
    /// fingerprint and they differ. This row's fingerprint is the latest run's data, so this
    /// is exactly the case in which the latest run reopened `earlier` (`link::overrides`),
    /// and the officer's answer to "decide again" must be accepted, not refused as a pair
    /// decided twice.
    pub fn redecides(&self, earlier: &DecisionRow) -> bool {
        matches!(self.verdict, Verdict::Confirm | Verdict::Reject)
            && matches!(
                (&self.fingerprint, &earlier.fingerprint),
                (Some(now), Some(then)) if fingerprint::changed(then, now).is_some_and(|c| !c.is_empty())
            )
    }

    /// Check the free text a new decision brings in: `by` and `reason` may hold no control
    /// or bidi character and are limited in length (`history::text`), so a decision cannot
    /// print as extra timeline lines. Returns the field and the problem. Only decisions
    /// being recorded are checked: the fold of stored ones (`InForce::apply`) must still
    /// read a store written before the check existed (printers escape what it holds).
    pub fn check_text(&self) -> Result<(), (&'static str, String)> {
        check_by_and_reason(&self.by, &self.reason)
    }

    /// Whether `by` or `reason` is a placeholder a printed command carries, left as it was
    /// (`report::command::is_placeholder`): such a decision was pasted unedited, and records
    /// no one and nothing checked. Decisions stored before the refusal may hold one; the
    /// night and `verify` name them.
    pub fn has_placeholder(&self) -> bool {
        crate::report::command::is_placeholder(&self.by)
            || crate::report::command::is_placeholder(&self.reason)
    }
}

/// Check the free text a new human judgement brings in (a decision's or a QA verdict's `by`
/// and `reason`): no control or bidi character, bounded length (`history::text`), at least
/// one letter or digit, and no placeholder a printed command carries. Returns the field and
/// the problem, which never quotes the text (it may be a name).
pub fn check_by_and_reason(by: &str, reason: &str) -> Result<(), (&'static str, String)> {
    use crate::history::text::{refusal, MAX_BY_CHARS, MAX_REASON_CHARS};
    for (name, v, max) in [
        ("by", by, MAX_BY_CHARS),
        ("reason", reason, MAX_REASON_CHARS),
    ] {
        if let Some(why) = refusal(v, max)
            .or_else(|| no_word_refusal(v))
            .or_else(|| placeholder_refusal(v))
        {
            return Err((name, why));
        }
    }
    Ok(())
}

/// Why `text` (a `by` or `reason` being recorded) is refused as saying nothing, if it does:
/// it holds no letter or digit of any alphabet. A zero-width space, a no-break space, `-` or
/// `?` names no one and records nothing checked, though `trim` may leave something of it.
pub fn no_word_refusal(text: &str) -> Option<String> {
    (!text.is_empty() && !text.chars().any(char::is_alphanumeric)).then(|| {
        "holds no letter or digit (only spaces, invisible characters or punctuation): put in who decided and what they checked".to_string()
    })
}

/// Why `text` is refused as a placeholder, if it is one (`report::command::is_placeholder`).
pub fn placeholder_refusal(text: &str) -> Option<String> {
    crate::report::command::is_placeholder(text).then(|| {
        format!(
            "is a placeholder from a printed command ({}): put in who decided and what they checked",
            crate::report::command::PLACEHOLDERS.join(", ")
        )
    })
}

/// The decisions in force: at most one per (vetting record, employee) pair, and at most one
/// confirmed employee per vetting record. Ids are compared as everywhere else
/// (`ingest::value::id_key`: without regard to case or invisible characters), so `v501386`
/// and `V501386` are one record here too.
///
/// A store written by an older build, which compared ids as spelled, can hold two
/// decisions this set refuses (two confirmations of one record spelled two ways). Read back
/// (`fold`), they are kept side by side, never one silently chosen: the night sends such a
/// record back to review naming both (`link::overrides`), and `verify` warns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InForce {
    /// By (reference, employee id), both folded: the decisions in force on the pair, in chain
    /// order (one, unless a stored contradiction is kept).
    by_pair: BTreeMap<(String, String), Vec<DecisionRow>>,
}

fn key(row: &DecisionRow) -> (String, String) {
    (id_key(&row.vetting_ref), id_key(&row.employee_id))
}

impl InForce {
    /// Apply one decision, refusing one that contradicts the set in force. A refused
    /// decision changes nothing.
    pub fn apply(&mut self, row: &DecisionRow) -> Result<(), String> {
        row.check_fields()?;
        let pair = key(row);
        match row.verdict {
            Verdict::Revoke => {
                if self.by_pair.remove(&pair).is_none() {
                    return Err(format!(
                        "no decision is in force on {} / {} to revoke",
                        row.employee_id, row.vetting_ref
                    ));
                }
            }
            Verdict::Confirm | Verdict::Reject => {
                let existing = self.by_pair.get(&pair).into_iter().flatten();
                if let Some(e) = existing.into_iter().find(|e| !row.redecides(e)) {
                    return Err(format!(
                        "{} / {} already has a {} decision in force (revoke it first)",
                        row.employee_id,
                        row.vetting_ref,
                        e.verdict.as_str()
                    ));
                }
                if row.verdict == Verdict::Confirm {
                    // (The pair itself may be confirmed: then this decides it again.)
                    if let Some(other) = self
                        .confirmations(&row.vetting_ref)
                        .find(|e| id_key(&e.employee_id) != pair.1)
                    {
                        return Err(format!(
                            "vetting record {} is already confirmed as {} (revoke that first)",
                            row.vetting_ref, other.employee_id
                        ));
                    }
                }
                // A decision again on a pair whose identities changed replaces the old one.
                self.by_pair.insert(pair, vec![row.clone()]);
            }
        }
        Ok(())
    }

    /// Apply one stored decision, as the chain (or a run's snapshot) holds it. A decision
    /// `apply` would refuse is not dropped: a confirm or reject is kept beside the decision it
    /// contradicts, and a revoke of nothing does nothing. Either way the refusal is returned,
    /// for `verify` to warn about. Only a decision missing a field is an error (a damaged
    /// store).
    pub fn fold(&mut self, row: &DecisionRow) -> Result<Option<String>, String> {
        row.check_fields()?;
        let Err(why) = self.apply(row) else {
            return Ok(None);
        };
        if row.verdict != Verdict::Revoke {
            self.by_pair.entry(key(row)).or_default().push(row.clone());
        }
        Ok(Some(why))
    }

    /// The confirmations in force of a vetting record: one, or none (more only where a
    /// stored contradiction is kept).
    pub fn confirmations<'a>(
        &'a self,
        vetting_ref: &str,
    ) -> impl Iterator<Item = &'a DecisionRow> + 'a {
        let folded = id_key(vetting_ref);
        self.by_pair
            .range((folded.clone(), String::new())..)
            .take_while(move |((r, _), _)| *r == folded)
            .flat_map(|(_, d)| d)
            .filter(|d| d.verdict == Verdict::Confirm)
    }

    /// The employee a vetting record is confirmed as, if any (the first, where a stored
    /// contradiction is kept).
    pub fn confirmed(&self, vetting_ref: &str) -> Option<&str> {
        self.confirmations(vetting_ref)
            .next()
            .map(|d| d.employee_id.as_str())
    }

    /// How many decisions are in force.
    pub fn len(&self) -> usize {
        self.by_pair.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.by_pair.is_empty()
    }

    /// Every decision in force, by vetting reference then employee id (both folded), then in
    /// the order they were recorded.
    pub fn iter(&self) -> impl Iterator<Item = &DecisionRow> {
        self.by_pair.values().flatten()
    }

    /// The snapshot a run keeps: CSV with the import columns plus `at`, in a fixed order.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(SNAPSHOT_COLUMNS).expect("in-memory write");
        for d in self.iter() {
            w.write_record([
                d.verdict.as_str(),
                &d.employee_id,
                &d.vetting_ref,
                &d.by,
                &d.reason,
                &d.at,
                d.fingerprint.as_ref().map_or("", |f| f.person.as_str()),
                d.fingerprint.as_ref().map_or("", |f| f.record.as_str()),
            ])
            .expect("in-memory write");
        }
        w.into_inner().expect("in-memory write")
    }

    /// Read a snapshot written by `to_csv`, or by a build before fingerprints (six
    /// columns: its decisions have none).
    pub fn from_csv(bytes: &[u8]) -> Result<InForce, String> {
        let mut r = csv::Reader::from_reader(bytes);
        let mut set = InForce::default();
        for (i, rec) in r.records().enumerate() {
            let rec = rec.map_err(|e| format!("decisions snapshot: {e}"))?;
            let f = |k: usize| rec.get(k).unwrap_or("").to_string();
            let verdict = Verdict::parse(&f(0))
                .ok_or_else(|| format!("decisions snapshot: row {}: bad verdict", i + 2))?;
            set.fold(&DecisionRow {
                verdict,
                employee_id: f(1),
                vetting_ref: f(2),
                by: f(3),
                reason: f(4),
                at: f(5),
                fingerprint: match (f(6), f(7)) {
                    (person, record) if !person.is_empty() && !record.is_empty() => {
                        Some(PairPrint { person, record })
                    }
                    _ => None,
                },
            })
            .map_err(|e| format!("decisions snapshot: row {}: {e}", i + 2))?;
        }
        Ok(set)
    }
}

/// The snapshot's columns. New ones go at the end: replay reads old snapshots by position.
pub const SNAPSHOT_COLUMNS: [&str; 8] = [
    "decision",
    "employee_id",
    "vetting_ref",
    "by",
    "reason",
    "decided_at",
    "person_fingerprint",
    "record_fingerprint",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn row(v: Verdict, e: &str, r: &str) -> DecisionRow {
        DecisionRow {
            verdict: v,
            employee_id: e.into(),
            vetting_ref: r.into(),
            by: "DS Patel".into(),
            reason: "checked passport".into(),
            at: "2026-11-24T09:00:00Z".into(),
            fingerprint: None,
        }
    }

    #[test]
    fn confirm_reject_and_revoke_fold_into_the_set_in_force() {
        let mut s = InForce::default();
        s.apply(&row(Verdict::Confirm, "E1", "V1")).unwrap();
        s.apply(&row(Verdict::Reject, "E2", "V1")).unwrap();
        assert_eq!(s.confirmed("V1"), Some("E1"));
        assert_eq!(s.len(), 2);
        // A second confirmation of the same record is refused until the first is revoked.
        let e = s.apply(&row(Verdict::Confirm, "E3", "V1")).unwrap_err();
        assert!(e.contains("already confirmed as E1"), "{e}");
        s.apply(&row(Verdict::Revoke, "E1", "V1")).unwrap();
        assert_eq!(s.confirmed("V1"), None);
        s.apply(&row(Verdict::Confirm, "E3", "V1")).unwrap();
        assert_eq!(s.confirmed("V1"), Some("E3"));
        // Revoking what is not in force, or deciding a pair twice, is refused.
        assert!(s.apply(&row(Verdict::Revoke, "E9", "V9")).is_err());
        assert!(s.apply(&row(Verdict::Reject, "E2", "V1")).is_err());
    }

    #[test]
    fn ids_compare_without_case_so_a_record_is_confirmed_once() {
        let mut s = InForce::default();
        s.apply(&row(Verdict::Confirm, "E1182", "V501386")).unwrap();
        // The next export spells the reference in lower case: still the same record.
        let e = s
            .apply(&row(Verdict::Confirm, "E1183", "v501386"))
            .unwrap_err();
        assert!(e.contains("already confirmed as E1182"), "{e}");
        assert_eq!(s.confirmed("v501386"), Some("E1182"));
        // The same pair in another case is the pair already decided.
        let e = s
            .apply(&row(Verdict::Reject, "e1182", "v501386"))
            .unwrap_err();
        assert!(e.contains("already has a confirm decision"), "{e}");
        // A revoke typed in lower case withdraws it.
        s.apply(&row(Verdict::Revoke, "e1182", "v501386")).unwrap();
        assert!(s.is_empty());
        s.apply(&row(Verdict::Confirm, "E1183", "v501386")).unwrap();
        assert_eq!(s.confirmed("V501386"), Some("E1183"));
    }

    #[test]
    fn a_stored_contradiction_is_kept_not_resolved_and_round_trips() {
        let mut s = InForce::default();
        assert_eq!(s.fold(&row(Verdict::Confirm, "E1182", "V501386")), Ok(None));
        // An older build recorded a second confirmation, spelled in lower case.
        let why = s
            .fold(&row(Verdict::Confirm, "E1183", "v501386"))
            .unwrap()
            .expect("today's rules refuse it");
        assert!(why.contains("already confirmed as E1182"), "{why}");
        let both: Vec<&str> = s
            .confirmations("V501386")
            .map(|d| d.employee_id.as_str())
            .collect();
        assert_eq!(both, vec!["E1182", "E1183"]);
        assert_eq!(s.len(), 2);
        // The run's snapshot keeps both.
        assert_eq!(InForce::from_csv(&s.to_csv()).unwrap(), s);
        // Revoking one leaves the other standing alone.
        s.apply(&row(Verdict::Revoke, "E1183", "V501386")).unwrap();
        assert_eq!(
            s.confirmations("v501386").count(),
            1,
            "{:?}",
            s.iter().collect::<Vec<_>>()
        );
        // A decision missing a field is still a damaged store.
        let mut blank = row(Verdict::Reject, "E1", "V1");
        blank.by = String::new();
        assert!(s.fold(&blank).is_err());
    }

    #[test]
    fn blank_fields_are_refused() {
        let mut r = row(Verdict::Confirm, "E1", "V1");
        r.reason = " ".into();
        assert_eq!(InForce::default().apply(&r).unwrap_err(), "reason is blank");
    }

    #[test]
    fn check_text_refuses_control_characters_and_long_text() {
        let mut r = row(Verdict::Reject, "E1182", "V501386");
        assert_eq!(r.check_text(), Ok(()));
        r.by = "DS Patel\nrun 20261124-01 as of 2026-11-24".into();
        let (field, why) = r.check_text().unwrap_err();
        assert_eq!(field, "by");
        assert!(why.contains("U+000A"), "{why}");
        r.by = "DS Patel".into();
        r.reason = "x\u{202E}".into();
        assert_eq!(r.check_text().unwrap_err().0, "reason");
        r.reason = "y".repeat(1001);
        assert!(r.check_text().unwrap_err().1.contains("more than the 1000"));
        r.reason = "y".repeat(1000);
        assert_eq!(r.check_text(), Ok(()));
        // Text with no letter or digit says nothing, though `trim` leaves something.
        for nothing in ["\u{200b}", "\u{a0}", "-", "?", "\u{feff}.\u{2060}"] {
            r.by = nothing.into();
            let (field, why) = r.check_text().unwrap_err();
            assert_eq!(field, "by");
            assert!(why.contains("no letter or digit"), "{why}");
        }
        r.by = "PC 4471".into();
        r.reason = "\u{200b}".into();
        assert_eq!(r.check_text().unwrap_err().0, "reason");
        r.reason = "dob".into();
        assert_eq!(r.check_text(), Ok(()));
        // The fold of stored decisions does not apply the check: an older store still reads.
        r.reason = "x\nclearance V999 DV granted (confirmed)".into();
        assert!(InForce::default().apply(&r).is_ok());
    }

    #[test]
    fn the_snapshot_round_trips() {
        let mut s = InForce::default();
        s.apply(&row(Verdict::Confirm, "E1", "V1")).unwrap();
        s.apply(&row(Verdict::Reject, "E2", "V1")).unwrap();
        s.apply(&row(Verdict::Reject, "E2", "V0")).unwrap();
        let csv = s.to_csv();
        assert_eq!(InForce::from_csv(&csv).unwrap(), s);
        let text = String::from_utf8(csv).unwrap();
        assert!(text.starts_with(
            "decision,employee_id,vetting_ref,by,reason,decided_at,person_fingerprint,record_fingerprint\nreject,E2,V0,"
        ));
    }

    fn printed(v: Verdict, e: &str, r: &str, surname: &str) -> DecisionRow {
        let dob = chrono::NaiveDate::from_ymd_opt(1982, 4, 17).unwrap();
        let id = |surname| crate::model::IdentityRef {
            surname,
            previous: &[],
            forenames: "Gareth",
            dob,
            ni: None,
            employee_id: None,
        };
        DecisionRow {
            fingerprint: Some(fingerprint::pair_print(e, r, &id("Thompson"), &id(surname))),
            ..row(v, e, r)
        }
    }

    #[test]
    fn snapshot_keeps_fingerprints_and_reads_an_old_one() {
        let mut s = InForce::default();
        s.apply(&printed(Verdict::Confirm, "E1", "V1", "Tomson"))
            .unwrap();
        s.apply(&row(Verdict::Reject, "E2", "V1")).unwrap();
        assert_eq!(InForce::from_csv(&s.to_csv()).unwrap(), s);
        // A snapshot from before fingerprints: six columns, no fingerprint.
        let old = "decision,employee_id,vetting_ref,by,reason,decided_at\n\
                   confirm,E1,V1,DS Patel,checked passport,2026-11-24T09:00:00Z\n";
        let read = InForce::from_csv(old.as_bytes()).unwrap();
        assert_eq!(
            read.iter().next().unwrap(),
            &row(Verdict::Confirm, "E1", "V1")
        );
    }

    #[test]
    fn a_pair_whose_identities_changed_can_be_decided_again() {
        let mut s = InForce::default();
        s.apply(&printed(Verdict::Confirm, "E1", "V1", "Tomson"))
            .unwrap();
        // Same identities: deciding the pair again is still refused.
        let e = s
            .apply(&printed(Verdict::Reject, "E1", "V1", "Tomson"))
            .unwrap_err();
        assert!(e.contains("already has a confirm decision in force"), "{e}");
        // The record's surname changed: the new decision replaces the old one.
        s.apply(&printed(Verdict::Reject, "E1", "V1", "Thomas"))
            .unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s.confirmed("V1"), None);
        assert_eq!(s.iter().next().unwrap().verdict, Verdict::Reject);
        // A decision without a fingerprint (an old build's) is never replaced this way.
        let mut old = InForce::default();
        old.apply(&row(Verdict::Confirm, "E1", "V1")).unwrap();
        assert!(old
            .apply(&printed(Verdict::Confirm, "E1", "V1", "Thomas"))
            .is_err());
    }
}
