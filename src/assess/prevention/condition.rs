//! A condition follows its record: the condition's `vetting_ref` names tonight's vetting
//! record (ids compared as `id_key` compares them), and that record's link (automatic or
//! confirmed) names the person. The three CONDITION_ rules and the conditions figures
//! (`analyse::conditions`) read a condition through this one reading, so a condition is
//! never due by one and not by the other.

use crate::assess::Facts;
use crate::ingest::value::id_key;
use crate::model::prevention::{Condition, POSTING_RESTRICTION};
use crate::model::{Post, VettingRecord, VettingStatus};
use chrono::NaiveDate;
use std::collections::HashMap;

/// One condition, with the record and person it follows to tonight.
#[derive(Debug, Clone, Copy)]
pub struct Followed<'a> {
    pub condition: &'a Condition,
    /// The vetting record its vetting_ref names tonight; `None`: on no record tonight.
    pub record: Option<usize>,
    /// The person that record is linked to (automatically or by a confirmed decision).
    pub person: Option<usize>,
}

/// Tonight's vetting records by `id_key` of their reference (the first, should two share one).
pub fn records_by_ref(facts: &Facts<'_>) -> HashMap<String, usize> {
    let mut by_ref = HashMap::with_capacity(facts.vetting.len());
    for (vi, v) in facts.vetting.iter().enumerate() {
        by_ref.entry(id_key(&v.vetting_ref)).or_insert(vi);
    }
    by_ref
}

/// Every condition followed to its record and person, in the feed's order.
pub fn follow<'a>(facts: &Facts<'_>, conditions: &'a [Condition]) -> Vec<Followed<'a>> {
    let by_ref = records_by_ref(facts);
    conditions
        .iter()
        .map(|c| {
            let record = by_ref.get(&id_key(&c.vetting_ref)).copied();
            let person = record
                .and_then(|vi| facts.link(vi).linked_person())
                .map(|p| p as usize);
            Followed {
                condition: c,
                record,
                person,
            }
        })
        .collect()
}

/// A condition is live while its record is granted (valid or expired) or suspended.
pub fn is_live(v: &VettingRecord) -> bool {
    matches!(v.status, VettingStatus::Granted | VettingStatus::Suspended)
}

/// When a live condition is next to be reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// The feed gives no review period: never due, counted as "no review period".
    NoPeriod,
    /// A period, but neither a last check nor a decision date to count it from: due now.
    NeverChecked,
    /// Due on this date: the last check (or the record's decision, when never checked)
    /// plus the period. `None` when that falls past the calendar's end (never due).
    On(Option<NaiveDate>),
}

/// The review date of condition `c` on record `v`.
pub fn review(c: &Condition, v: &VettingRecord) -> Review {
    let Some(period) = c.review_every else {
        return Review::NoPeriod;
    };
    match c.last_checked.or(v.decision_date) {
        Some(from) => Review::On(period.after(from)),
        None => Review::NeverChecked,
    }
}

/// Days past its review date (0 for one never checked), when the condition is due tonight.
pub fn overdue(facts: &Facts<'_>, c: &Condition, v: &VettingRecord) -> Option<i64> {
    match review(c, v) {
        Review::NoPeriod | Review::On(None) => None,
        Review::NeverChecked => Some(0),
        Review::On(Some(due)) => (due < facts.as_of).then(|| (facts.as_of - due).num_days()),
    }
}

/// The post a live posting restriction is breached in: its person (on the roster, not a
/// leaver) now holds a post, in the register, that the restriction covers.
pub fn breached_in<'a>(facts: &Facts<'a>, f: &Followed<'_>) -> Option<&'a Post> {
    let c = f.condition;
    let v = facts.record(f.record?);
    if &*c.kind != POSTING_RESTRICTION || !is_live(v) {
        return None;
    }
    let restricts = c.restricts.as_ref()?;
    let p = facts.person(f.person?);
    if !p.status.in_workforce() {
        return None;
    }
    let post = facts.post(p.post_id.as_deref()?)?;
    restricts.covers(post).then_some(post)
}

/// "condition C1 on V1 (finance_review)": how every condition's row and line begins.
pub fn named(c: &Condition, v: &VettingRecord) -> String {
    format!(
        "condition {} on {} ({})",
        c.condition_ref, v.vetting_ref, c.kind
    )
}

/// What a review-due condition's row says after its name.
pub fn review_text(facts: &Facts<'_>, c: &Condition, v: &VettingRecord) -> String {
    let every = c.review_every.map(|p| p.as_text()).unwrap_or_default();
    match (review(c, v), c.last_checked) {
        (Review::NeverChecked, _) => format!(
            "reviewed every {every}, never checked (no last_checked, and the record has no decision date)"
        ),
        (Review::On(Some(due)), Some(last)) => format!(
            "reviewed every {every}, last checked {last}, review due {due}, {} days overdue",
            (facts.as_of - due).num_days()
        ),
        (Review::On(Some(due)), None) => format!(
            "reviewed every {every}, never checked since the decision on {}, review due {due}, {} days overdue",
            v.decision_date.map(|d| d.to_string()).unwrap_or_default(),
            (facts.as_of - due).num_days()
        ),
        _ => format!("reviewed every {every}"),
    }
}

/// What a breached restriction's row says after its name.
pub fn breach_text(c: &Condition, post: &Post) -> String {
    let what = c.restricts.as_ref().map_or("", |r| r.as_text());
    let kind = match c.restricts {
        Some(crate::model::prevention::Restricts::VulnerableContact) => {
            "a vulnerable-contact post".to_string()
        }
        Some(crate::model::prevention::Restricts::Designated) => "a designated post".to_string(),
        _ => format!("in department {}", post.department.trim()),
    };
    format!(
        "restricts {what}; now in post {} ({}), {kind}",
        post.post_id, post.title
    )
}

/// A row of `code` about the record `vi`: its linked person's row (their post) when it has
/// one, else the record's own (names from the vetting system).
pub fn row(facts: &Facts<'_>, code: crate::assess::Code, vi: usize) -> crate::assess::Exception {
    use crate::assess::Exception;
    match facts.link(vi).linked_person() {
        Some(p) => {
            let mut e = Exception::for_person(code, facts, p as usize);
            e.set_record(facts, vi);
            e
        }
        None => Exception::for_record(code, facts, vi),
    }
}
