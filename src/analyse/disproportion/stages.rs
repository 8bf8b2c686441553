//! The stages after the decision: of the refusals in the window, the share appealed; of
//! those appeals decided, the share upheld. Each is measured as the decision is (rates,
//! relative rate, four-fifths, Fisher's test), against the reference group the decision
//! stage chose, with the same suppression applied to the stage's own cases on top of the
//! stage before's.

use super::{rows, suppress, Characteristic, DisproportionSettings, Hidden, Stage};
use std::collections::{BTreeMap, BTreeSet};

/// One later stage: its characteristics, or why it was not read.
#[derive(Debug, Clone, PartialEq)]
pub struct LaterStage {
    pub stage: Stage,
    /// "not read: the vetting export has no appeal_status column", when it has none.
    pub not_read: Option<String>,
    /// One per characteristic analysed at the decision, in the same order (empty when not
    /// read).
    pub characteristics: Vec<Characteristic>,
}

impl LaterStage {
    /// An empty stage, not read unless `read` (the export's columns) holds its column.
    pub(super) fn new(stage: Stage, read: &[&str]) -> LaterStage {
        let not_read = (stage.column())
            .filter(|c| !read.contains(c))
            .map(|c| format!("not read: the vetting export has no {c} column"));
        LaterStage {
            stage,
            not_read,
            characteristics: Vec::new(),
        }
    }

    /// Add the characteristic of `before` (the same characteristic at the stage before) at
    /// this stage: `cases` gives each of its groups' cases and outcomes here. Nothing when
    /// the stage was not read.
    pub(super) fn add(
        &mut self,
        before: &Characteristic,
        cases: &BTreeMap<String, (u64, u64)>,
        s: &DisproportionSettings,
    ) {
        if self.not_read.is_some() {
            return;
        }
        let min = s.minimum_group;
        let earlier = hidden_in(before);
        let hidden = suppress(cases.iter().map(|(g, c)| (g.as_str(), c.0)), &earlier, min);
        let words = self.stage.cases();
        let (reference, note) = match before.reference.as_deref() {
            Some(r) if !hidden.contains(r) => (Some(r.to_string()), None),
            Some(r) => (
                None,
                Some(format!(
                    "the reference group {r} has fewer than {min} {words} (or is suppressed with a group that has), so no group is compared at this stage"
                )),
            ),
            None => (
                None,
                Some("no reference group to compare against (see the decisions), so no group is compared at this stage".to_string()),
            ),
        };
        let rows = rows(self.stage, cases, &hidden, reference.as_deref(), s);
        self.characteristics.push(Characteristic {
            name: before.name.clone(),
            reference,
            configured_as: None,
            note,
            rows,
        });
    }

    /// The characteristic `name` at this stage, if it was measured.
    pub fn characteristic(&self, name: &str) -> Option<&Characteristic> {
        self.characteristics.iter().find(|c| c.name == name)
    }
}

/// The groups a stage hid (too few, or hidden with one that had): a later stage keeps them
/// hidden, so its figures cannot undo the stage before's suppression. A group listed only
/// because the previous night listed it has nothing to hide.
pub(super) fn hidden_in(c: &Characteristic) -> BTreeSet<&str> {
    (c.rows.iter())
        .filter(|r| matches!(r.hidden, Some(Hidden::TooFew | Hidden::WithSmaller)))
        .map(|r| r.group.as_str())
        .collect()
}
