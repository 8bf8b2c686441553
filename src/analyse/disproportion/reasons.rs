//! Refusals by refusal_reason per group: so a group refused more often comes with why.
//!
//! A group's reasons are shares of its refusals, so the suppression rule applies to its
//! refusals as it applies to a group's decisions: a group with fewer than the minimum is
//! hidden, and so is the next smallest when exactly one would be, and so is every group the
//! decision stage hid. A reason's count within a shown group is shown whatever its size, as a
//! shown group's refusals are.

use super::stages::hidden_in;
use super::{
    suppress, Analysis, Characteristic, DisproportionSettings, GroupRow, Hidden, NOT_RECORDED,
};
use std::collections::BTreeMap;

/// The reasons of every characteristic, or why they were not read.
#[derive(Debug, Clone, PartialEq)]
pub struct Reasons {
    /// "not read: the vetting export has no refusal_reason column", when it has none.
    pub not_read: Option<String>,
    /// In the decision stage's order (empty when not read).
    pub characteristics: Vec<ReasonCharacteristic>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReasonCharacteristic {
    pub name: String,
    pub groups: Vec<ReasonGroup>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReasonGroup {
    pub group: String,
    /// Why its reasons are not shown (then `refusals` is None and `reasons` empty).
    pub hidden: Option<Hidden>,
    /// Its refusals in the window: the count each share is taken over.
    pub refusals: Option<u64>,
    /// Refusals per reason, most first, then by name; `NOT_RECORDED` for a refusal whose
    /// reason is blank.
    pub reasons: Vec<(String, u64)>,
}

impl Reasons {
    pub(super) fn new(read: &[&str]) -> Reasons {
        Reasons {
            not_read: (!read.contains(&"refusal_reason"))
                .then(|| "not read: the vetting export has no refusal_reason column".into()),
            characteristics: Vec::new(),
        }
    }

    /// Add characteristic `c` (as the decision stage shows it): `groups` gives each group's
    /// refusals and its refusals per reason ("" for none recorded). Nothing when not read.
    pub(super) fn add(
        &mut self,
        c: &Characteristic,
        groups: &BTreeMap<String, (u64, &BTreeMap<String, u64>)>,
        min: u64,
    ) {
        if self.not_read.is_some() {
            return;
        }
        let earlier = hidden_in(c);
        let hidden = suppress(groups.iter().map(|(g, c)| (g.as_str(), c.0)), &earlier, min);
        let groups = groups
            .iter()
            .map(|(g, &(refusals, by_reason))| {
                let why = hidden.contains(g.as_str()).then_some(if refusals < min {
                    Hidden::TooFew
                } else {
                    Hidden::WithSmaller
                });
                let mut reasons: Vec<(String, u64)> = Vec::new();
                if why.is_none() {
                    reasons = (by_reason.iter())
                        .map(|(r, n)| {
                            let r = if r.is_empty() { NOT_RECORDED } else { r };
                            (r.to_string(), *n)
                        })
                        .collect();
                    reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                }
                ReasonGroup {
                    group: g.clone(),
                    hidden: why,
                    refusals: why.is_none().then_some(refusals),
                    reasons,
                }
            })
            .collect();
        self.characteristics.push(ReasonCharacteristic {
            name: c.name.clone(),
            groups,
        });
    }

    pub fn characteristic(&self, name: &str) -> Option<&ReasonCharacteristic> {
        self.characteristics.iter().find(|c| c.name == name)
    }
}

impl ReasonCharacteristic {
    pub fn group(&self, group: &str) -> Option<&ReasonGroup> {
        self.groups.iter().find(|g| g.group == group)
    }
}

/// How many reasons a line on the page names for a group.
const TOP: usize = 3;

/// One line under a group flagged at the decision naming its most frequent refusal reasons
/// and the reference group's: "Refusal reasons, most frequent first: Black: associations 8
/// of 14 (57%), ...; for the reference group, White British: ...". None for a row not flagged; says
/// "not read" when the export has no refusal_reason column, and why a group's reasons are
/// suppressed.
pub fn reasons_line(a: &Analysis, c: &Characteristic, row: &GroupRow) -> Option<String> {
    let cmp = row.figures.as_ref()?.comparison.as_ref()?;
    if !cmp.flagged() {
        return None;
    }
    if let Some(why) = &a.reasons.not_read {
        return Some(format!("Refusal reasons {why}."));
    }
    let rc = a.reasons.characteristic(&c.name)?;
    let s: &DisproportionSettings = &a.settings;
    let part = |group: &str| -> Option<String> {
        let g = rc.group(group)?;
        let Some(total) = g.refusals else {
            let why = g.hidden.map(|h| h.text_of("refusals", s.minimum_group));
            return why;
        };
        let named: Vec<String> = (g.reasons.iter().take(TOP).enumerate())
            .map(|(i, (r, n))| {
                let share = 100.0 * *n as f64 / total as f64;
                if i == 0 {
                    format!("{r} {n} of {total} ({share:.0}%)")
                } else {
                    format!("{r} {n} ({share:.0}%)")
                }
            })
            .collect();
        let more = g.reasons.len().saturating_sub(TOP);
        let rest = if more > 0 {
            format!(", {more} more in refusal_reasons.csv")
        } else {
            String::new()
        };
        Some(format!("{}{rest}", named.join(", ")))
    };
    let mut text = format!(
        "Refusal reasons, most frequent first: {}: {}",
        row.group,
        part(&row.group)?
    );
    if let Some(reference) = c.reference.as_deref() {
        if let Some(r) = part(reference) {
            text += &format!("; for the reference group, {reference}: {r}");
        }
    }
    text.push('.');
    Some(text)
}
