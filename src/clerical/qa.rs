//! QA verdicts: a reviewer's judgement on a decision a night's dip sample drew
//! (`analyse::qa_sample`): `agree` (the decision and its rationale stand) or `disagree` (an
//! open finding), with who reviewed it and why.
//!
//! A verdict is about one sampled decision: a vetting record (its reference, compared as ids
//! are everywhere: `ingest::value::id_key`) decided on one date. It names the run whose sample
//! drew it. Verdicts are appended to the store's chain and never edited, like clerical
//! decisions; the set in force is the fold of them in order, at most one per decision. A
//! second verdict on a decision already given one is refused unless it is marked as a
//! correction, which then replaces it (the first stays in the chain). Each run keeps a
//! snapshot of the set in force, so a replay draws the same sample and shows the same
//! verdicts as the night did.

use crate::ingest::value::id_key;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QaVerdict {
    Agree,
    Disagree,
}

impl QaVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            QaVerdict::Agree => "agree",
            QaVerdict::Disagree => "disagree",
        }
    }

    pub fn parse(s: &str) -> Option<QaVerdict> {
        match s.trim().to_ascii_lowercase().as_str() {
            "agree" => Some(QaVerdict::Agree),
            "disagree" => Some(QaVerdict::Disagree),
            _ => None,
        }
    }
}

/// One recorded verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaRow {
    /// The run whose dip sample drew the decision.
    pub run_id: String,
    /// The vetting reference as that run's qa_sample.csv spelled it.
    pub vetting_ref: String,
    /// What the sample drew it as: `refusal` or `granted_with_adverse_info`.
    pub sample: String,
    /// The decision's date as that run saw it (YYYY-MM-DD).
    pub decision_date: String,
    pub verdict: QaVerdict,
    /// The reviewer (name or warrant number, as `decide --by`).
    pub by: String,
    pub reason: String,
    /// When it was recorded (RFC 3339, UTC).
    pub at: String,
    /// It replaces the verdict in force on the same decision. Left out of the JSON when
    /// false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub correction: bool,
}

impl QaRow {
    /// Check the fields every verdict needs.
    pub fn check_fields(&self) -> Result<(), String> {
        super::no_blank(&[
            ("run_id", self.run_id.as_str()),
            ("vetting_ref", self.vetting_ref.as_str()),
            ("decision_date", self.decision_date.as_str()),
            ("by", self.by.as_str()),
            ("reason", self.reason.as_str()),
        ])
    }

    /// Check the free text a new verdict brings in (as a decision's: `super::check_by_and_reason`).
    pub fn check_text(&self) -> Result<(), (&'static str, String)> {
        super::check_by_and_reason(&self.by, &self.reason)
    }

    /// The decision it is about: the folded reference and the decision date.
    fn key(&self) -> (String, String) {
        (id_key(&self.vetting_ref), self.decision_date.clone())
    }
}

/// A decision as a run's dip sample drew it (its qa_sample.csv row): what a verdict names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sampled {
    pub vetting_ref: String,
    pub sample: String,
    pub decision_date: String,
}

impl QaRow {
    /// A verdict on `sampled`, drawn by `run_id`.
    pub fn on(
        run_id: &str,
        sampled: Sampled,
        verdict: QaVerdict,
        (by, reason): (String, String),
        at: &str,
        correction: bool,
    ) -> QaRow {
        QaRow {
            run_id: run_id.to_string(),
            vetting_ref: sampled.vetting_ref,
            sample: sampled.sample,
            decision_date: sampled.decision_date,
            verdict,
            by,
            reason,
            at: at.to_string(),
            correction,
        }
    }
}

/// The verdicts in force: at most one per sampled decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QaInForce {
    by_decision: BTreeMap<(String, String), QaRow>,
}

impl QaInForce {
    /// Apply one new verdict, refusing a second verdict on a decision that is not marked as
    /// a correction, and a correction of a decision with no verdict. A refused verdict
    /// changes nothing.
    pub fn apply(&mut self, row: &QaRow) -> Result<(), String> {
        row.check_fields()?;
        let key = row.key();
        match (self.by_decision.get(&key), row.correction) {
            (Some(e), false) => Err(format!(
                "the decision on {} of {} already has a verdict ({}, recorded at {}, on run {}'s sample): a second verdict must be marked as a correction, which replaces it",
                row.vetting_ref,
                row.decision_date,
                e.verdict.as_str(),
                e.at,
                e.run_id
            )),
            (None, true) => Err(format!(
                "the decision on {} of {} has no verdict to correct",
                row.vetting_ref, row.decision_date
            )),
            _ => {
                self.by_decision.insert(key, row.clone());
                Ok(())
            }
        }
    }

    /// Apply one stored verdict, as the chain (or a run's snapshot) holds it: the later one
    /// stands. Only a verdict missing a field is an error (a damaged store).
    pub fn fold(&mut self, row: &QaRow) -> Result<(), String> {
        row.check_fields()?;
        self.by_decision.insert(row.key(), row.clone());
        Ok(())
    }

    /// Whether the decision on `vetting_ref` of `decision_date` has a verdict in force.
    pub fn reviewed(&self, vetting_ref: &str, decision_date: chrono::NaiveDate) -> bool {
        self.by_decision
            .contains_key(&(id_key(vetting_ref), decision_date.to_string()))
    }

    pub fn len(&self) -> usize {
        self.by_decision.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_decision.is_empty()
    }

    /// How many verdicts in force agree.
    pub fn agreed(&self) -> usize {
        (self.by_decision.values())
            .filter(|r| r.verdict == QaVerdict::Agree)
            .count()
    }

    /// Every verdict in force, by the folded reference, then the decision date.
    pub fn iter(&self) -> impl Iterator<Item = &QaRow> {
        self.by_decision.values()
    }

    /// Every verdict in force in the order the outputs list them: by the run that sampled
    /// the decision, then as `iter`.
    pub fn by_run(&self) -> Vec<&QaRow> {
        let mut rows: Vec<&QaRow> = self.by_decision.values().collect();
        // A stable sort: rows of one run keep `iter` order.
        rows.sort_by(|a, b| a.run_id.cmp(&b.run_id));
        rows
    }

    /// The snapshot a run keeps: CSV with `SNAPSHOT_COLUMNS`, in `iter` order.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(SNAPSHOT_COLUMNS).expect("in-memory write");
        for r in self.iter() {
            w.write_record([
                r.run_id.as_str(),
                &r.vetting_ref,
                &r.sample,
                &r.decision_date,
                r.verdict.as_str(),
                &r.by,
                &r.reason,
                &r.at,
                if r.correction { "yes" } else { "no" },
            ])
            .expect("in-memory write");
        }
        w.into_inner().expect("in-memory write")
    }

    /// Read a snapshot written by `to_csv`.
    pub fn from_csv(bytes: &[u8]) -> Result<QaInForce, String> {
        let mut r = csv::Reader::from_reader(bytes);
        let mut set = QaInForce::default();
        for (i, rec) in r.records().enumerate() {
            let rec = rec.map_err(|e| format!("QA verdicts snapshot: {e}"))?;
            let f = |k: usize| rec.get(k).unwrap_or("").to_string();
            let verdict = QaVerdict::parse(&f(4))
                .ok_or_else(|| format!("QA verdicts snapshot: row {}: bad verdict", i + 2))?;
            set.fold(&QaRow {
                run_id: f(0),
                vetting_ref: f(1),
                sample: f(2),
                decision_date: f(3),
                verdict,
                by: f(5),
                reason: f(6),
                at: f(7),
                correction: f(8) == "yes",
            })
            .map_err(|e| format!("QA verdicts snapshot: row {}: {e}", i + 2))?;
        }
        Ok(set)
    }
}

/// The snapshot's columns. New ones go at the end: replay reads old snapshots by position.
pub const SNAPSHOT_COLUMNS: [&str; 9] = [
    "run_id",
    "vetting_ref",
    "sample",
    "decision_date",
    "verdict",
    "by",
    "reason",
    "recorded_at",
    "correction",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn row(r: &str, date: &str, v: QaVerdict) -> QaRow {
        QaRow {
            run_id: "20261124-01".into(),
            vetting_ref: r.into(),
            sample: "refusal".into(),
            decision_date: date.into(),
            verdict: v,
            by: "DI Jones".into(),
            reason: "rationale weighed the conviction, as policy asks".into(),
            at: "2026-11-24T10:00:00Z".into(),
            correction: false,
        }
    }

    #[test]
    fn a_second_verdict_on_a_decision_needs_a_correction_which_replaces_it() {
        let mut s = QaInForce::default();
        s.apply(&row("V501330", "2026-05-26", QaVerdict::Agree))
            .unwrap();
        // The same decision, the reference typed in lower case: refused.
        let e = s
            .apply(&row("v501330", "2026-05-26", QaVerdict::Disagree))
            .unwrap_err();
        assert!(e.contains("already has a verdict (agree"), "{e}");
        assert!(e.contains("marked as a correction"), "{e}");
        // Marked as a correction, it replaces the first.
        let fix = QaRow {
            correction: true,
            ..row("v501330", "2026-05-26", QaVerdict::Disagree)
        };
        s.apply(&fix).unwrap();
        assert_eq!((s.len(), s.agreed()), (1, 0));
        // A later decision on the same record is another decision.
        s.apply(&row("V501330", "2026-11-01", QaVerdict::Agree))
            .unwrap();
        assert_eq!((s.len(), s.agreed()), (2, 1));
        let date = chrono::NaiveDate::from_ymd_opt(2026, 5, 26).unwrap();
        assert!(s.reviewed("V501330", date));
        assert!(!s.reviewed("V501331", date));
        // A correction of nothing is refused.
        let nothing = QaRow {
            correction: true,
            ..row("V9", "2026-05-26", QaVerdict::Agree)
        };
        assert!(s
            .apply(&nothing)
            .unwrap_err()
            .contains("no verdict to correct"));
    }

    #[test]
    fn the_snapshot_round_trips_with_free_text_whole() {
        let mut s = QaInForce::default();
        let mut a = row("V2", "2026-05-26", QaVerdict::Disagree);
        a.reason = "no rationale, \"quoted\", and a comma, and more".into();
        s.apply(&a).unwrap();
        s.apply(&row("V1", "2026-01-02", QaVerdict::Agree)).unwrap();
        let csv = s.to_csv();
        assert_eq!(QaInForce::from_csv(&csv).unwrap(), s);
        let text = String::from_utf8(csv).unwrap();
        assert!(text.starts_with(
            "run_id,vetting_ref,sample,decision_date,verdict,by,reason,recorded_at,correction\n20261124-01,V1,"
        ));
    }

    #[test]
    fn blank_fields_are_refused() {
        let mut r = row("V1", "2026-01-02", QaVerdict::Agree);
        r.by = " ".into();
        assert_eq!(QaInForce::default().apply(&r).unwrap_err(), "by is blank");
        assert!(QaInForce::default().fold(&r).is_err());
    }
}
