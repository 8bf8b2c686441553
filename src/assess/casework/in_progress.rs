//! The renewal or upgrade under way for a person, which their EXPIRING_SOON or EXPIRED row
//! names.
//!
//! A pending record of case type renewal or upgrade linked to the person. It has **started**
//! when its stage is recorded and past the first of `casework.stages` (a case at the first
//! stage, or with no stage recorded, has not): only then does the row rank below one of the
//! same risk and severity where nothing has started (`Exception::work_started`). When
//! several are pending, the row names the one that has started, then the latest applied
//! for, then by reference.

use super::{stage, RENEWAL, UPGRADE};
use crate::assess::Facts;
use crate::model::VettingStatus;

/// A renewal or upgrade case in progress, as a clearance row names it.
pub struct InProgress {
    pub started: bool,
    /// "renewal in progress: V123, stage enquiries, 40 days open".
    pub text: String,
}

pub fn of(facts: &Facts<'_>, person: usize) -> Option<InProgress> {
    let first = facts.casework.first_stage();
    facts
        .records_of(person)
        .filter(|(_, v)| v.status == VettingStatus::Pending)
        .filter_map(|(_, v)| {
            let c = v.casework.as_deref()?;
            let kind = c
                .case_type
                .as_deref()
                .filter(|t| [RENEWAL, UPGRADE].contains(t))?;
            let started = c.stage.is_some() && c.stage.as_ref() != first;
            Some((started, c.application_date, v, c, kind))
        })
        .max_by(|a, b| (a.0, a.1, &b.2.vetting_ref).cmp(&(b.0, b.1, &a.2.vetting_ref)))
        .map(|(started, _, v, c, kind)| {
            let state = if started {
                "in progress"
            } else {
                "applied for, not started"
            };
            let age = match c.age_days(facts.as_of) {
                Some(days) => format!("{days} days open"),
                None => "application_date not recorded".to_string(),
            };
            InProgress {
                started,
                text: format!("{kind} {state}: {}, {}, {age}", v.vetting_ref, stage(c)),
            }
        })
}
