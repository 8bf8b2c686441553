//! Priority: rank the exception list so the riskiest gaps come first.
//!
//! Role risk first (a designated post, a post with vulnerable contact, a national security
//! level), then severity, then whether the unit's casework that clears the row has started
//! (a row where nothing has comes first), then how long the person has been out of
//! compliance; never expiry date alone. Remaining ties break on code, employee id and vetting reference, so the order
//! is total and the same on every run. `priority` is the 1-based rank.

use super::settings::RawPriority;
use super::{Code, Exception, Facts, Severity};
use crate::model::{LevelId, Levels};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct PriorityPolicy {
    pub designated: u32,
    pub vulnerable_contact: u32,
    pub high_risk_levels: Vec<LevelId>,
    pub high_risk_level_points: u32,
    pub severity: BTreeMap<Code, Severity>,
}

impl PriorityPolicy {
    pub fn build(raw: &RawPriority, levels: &Levels) -> Result<PriorityPolicy, String> {
        let mut high = Vec::new();
        for l in &raw.high_risk_levels {
            high.push(
                levels
                    .parse(l)
                    .ok_or_else(|| format!("priority.high_risk_levels: unknown level `{l}`"))?,
            );
        }
        let mut severity = BTreeMap::new();
        for (k, v) in &raw.severity {
            let code = Code::parse(k)
                .ok_or_else(|| format!("priority.severity: unknown exception code `{k}`"))?;
            let s = Severity::parse(v).ok_or_else(|| {
                format!(
                    "priority.severity.{k}: `{v}` is not a severity (low, medium, high, critical)"
                )
            })?;
            severity.insert(code, s);
        }
        // A code the force's config does not name (one added in a later version) keeps its
        // built-in severity, so an older config goes on working.
        let defaults = RawPriority::default().severity;
        for c in Code::ALL {
            severity.entry(c).or_insert_with(|| {
                defaults
                    .get(c.as_str())
                    .and_then(|s| Severity::parse(s))
                    .expect("every code has a built-in severity")
            });
        }
        Ok(PriorityPolicy {
            designated: raw.designated,
            vulnerable_contact: raw.vulnerable_contact,
            high_risk_levels: high,
            high_risk_level_points: raw.high_risk_level_points,
            severity,
        })
    }

    /// Role risk points of a row: from its post and from the levels it names.
    pub fn risk(&self, e: &Exception, facts: &Facts<'_>) -> u32 {
        let mut r = 0;
        if let Some(post) = facts.post(&e.post_id) {
            if post.designated {
                r += self.designated;
            }
            if post.vulnerable_contact {
                r += self.vulnerable_contact;
            }
        }
        let high = |name: &str| {
            facts
                .levels
                .parse(name)
                .is_some_and(|l| self.high_risk_levels.contains(&l))
        };
        if high(&e.required_level) || high(&e.held_level) {
            r += self.high_risk_level_points;
        }
        r
    }
}

/// Set severity, risk and priority on every row and sort by priority.
#[allow(
    clippy::indexing_slicing,
    reason = "`PriorityPolicy::build` gives every code in `Code::ALL` a severity"
)]
pub fn rank(rows: &mut [Exception], facts: &Facts<'_>, policy: &PriorityPolicy) {
    for e in rows.iter_mut() {
        e.severity = policy.severity[&e.code];
        e.risk = policy.risk(e, facts);
    }
    rows.sort_by(|a, b| {
        (b.risk, b.severity, a.work_started, b.days_out)
            .cmp(&(a.risk, a.severity, b.work_started, a.days_out))
            .then_with(|| {
                (a.code, &a.employee_id, &a.vetting_ref).cmp(&(
                    b.code,
                    &b.employee_id,
                    &b.vetting_ref,
                ))
            })
    });
    for (i, e) in rows.iter_mut().enumerate() {
        e.priority = i as u32 + 1;
    }
}
