//! Officers' closings of joiners-movers-leavers actions (`vetrecon jml close`): an action
//! that needs nothing more (the clearance was ended by another route, the transfer was
//! confirmed by phone) is closed with who closed it and why.
//!
//! An action is named by its id (`analyse::jml`: `<action>:<employee_id>:<event date>`),
//! compared as ids are everywhere (`ingest::value::id_key`). Closings are appended to the
//! store's chain and never edited, like clerical decisions and QA verdicts; the set in force
//! is the fold of them in order, one per action. Each run keeps a snapshot of the set in
//! force, so a replay closes the same actions the night did. A closing takes effect from
//! the next run: that night lists the action as closed, then no more.

use crate::ingest::value::id_key;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One recorded closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JmlClosing {
    /// The action's id as the night that left it open spelled it.
    pub action_id: String,
    /// The run whose open actions it was checked against.
    pub run_id: String,
    /// Who closed it (name or warrant number, as `decide --by`).
    pub by: String,
    pub reason: String,
    /// When it was recorded (RFC 3339, UTC).
    pub at: String,
}

impl JmlClosing {
    /// Check the fields every closing needs.
    pub fn check_fields(&self) -> Result<(), String> {
        super::no_blank(&[
            ("action_id", self.action_id.as_str()),
            ("by", self.by.as_str()),
            ("reason", self.reason.as_str()),
        ])
    }

    /// Check the free text a new closing brings in (as a decision's:
    /// `super::check_by_and_reason`).
    pub fn check_text(&self) -> Result<(), (&'static str, String)> {
        super::check_by_and_reason(&self.by, &self.reason)
    }
}

/// The closings in force: at most one per action.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClosingsInForce {
    by_action: BTreeMap<String, JmlClosing>,
}

impl ClosingsInForce {
    /// Apply one new closing, refusing a second on an action already closed. A refused
    /// closing changes nothing.
    pub fn apply(&mut self, row: &JmlClosing) -> Result<(), String> {
        row.check_fields()?;
        if let Some(e) = self.get(&row.action_id) {
            return Err(format!(
                "action {} was closed already (recorded at {})",
                crate::history::escape(&e.action_id),
                e.at
            ));
        }
        self.by_action.insert(id_key(&row.action_id), row.clone());
        Ok(())
    }

    /// Apply one stored closing, as the chain (or a run's snapshot) holds it: the later one
    /// stands. Only a closing missing a field is an error (a damaged store).
    pub fn fold(&mut self, row: &JmlClosing) -> Result<(), String> {
        row.check_fields()?;
        self.by_action.insert(id_key(&row.action_id), row.clone());
        Ok(())
    }

    /// The closing in force on `action_id`, if any.
    pub fn get(&self, action_id: &str) -> Option<&JmlClosing> {
        self.by_action.get(&id_key(action_id))
    }

    pub fn len(&self) -> usize {
        self.by_action.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_action.is_empty()
    }

    /// The snapshot a run keeps: CSV with `SNAPSHOT_COLUMNS`, by the folded action id.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(SNAPSHOT_COLUMNS).expect("in-memory write");
        for r in self.by_action.values() {
            w.write_record([&r.action_id, &r.run_id, &r.by, &r.reason, &r.at])
                .expect("in-memory write");
        }
        w.into_inner().expect("in-memory write")
    }

    /// Read a snapshot written by `to_csv`.
    pub fn from_csv(bytes: &[u8]) -> Result<ClosingsInForce, String> {
        let mut r = csv::Reader::from_reader(bytes);
        let mut set = ClosingsInForce::default();
        for (i, rec) in r.records().enumerate() {
            let rec = rec.map_err(|e| format!("jml closings snapshot: {e}"))?;
            let f = |k: usize| rec.get(k).unwrap_or("").to_string();
            set.fold(&JmlClosing {
                action_id: f(0),
                run_id: f(1),
                by: f(2),
                reason: f(3),
                at: f(4),
            })
            .map_err(|e| format!("jml closings snapshot: row {}: {e}", i + 2))?;
        }
        Ok(set)
    }
}

/// The snapshot's columns. New ones go at the end: replay reads old snapshots by position.
pub const SNAPSHOT_COLUMNS: [&str; 5] = ["action_id", "run_id", "by", "reason", "recorded_at"];

#[cfg(test)]
mod tests {
    use super::*;

    fn closing(id: &str) -> JmlClosing {
        JmlClosing {
            action_id: id.into(),
            run_id: "20261124-01".into(),
            by: "DS Patel".into(),
            reason: "clearance ended by the other force, \"confirmed\", by phone".into(),
            at: "2026-11-24T10:00:00Z".into(),
        }
    }

    #[test]
    fn an_action_is_closed_once_and_the_snapshot_keeps_the_reason_whole() {
        let mut s = ClosingsInForce::default();
        s.apply(&closing("end_clearance:E7:2026-11-20")).unwrap();
        // The same action, typed in another case: refused.
        let e = s
            .apply(&closing("END_CLEARANCE:e7:2026-11-20"))
            .unwrap_err();
        assert!(e.contains("was closed already"), "{e}");
        assert!(s.get("end_clearance:e7:2026-11-20").is_some());
        assert!(s.get("end_clearance:E7:2026-11-21").is_none());
        s.apply(&closing("vet_joiner:E1:2026-11-24")).unwrap();
        let back = ClosingsInForce::from_csv(&s.to_csv()).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.len(), 2);
        let mut blank = closing("x");
        blank.reason = " ".into();
        assert_eq!(s.apply(&blank).unwrap_err(), "reason is blank");
    }
}
