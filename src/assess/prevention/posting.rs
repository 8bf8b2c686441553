//! POSTING_NOT_CLEARED: a posting HR has planned, due to start within
//! `prevention.posting_horizon_days`, whose person will not hold the new post's level on the
//! start date.
//!
//! - A posting that has already started, or starts further ahead, raises nothing (the page
//!   counts it).
//! - The new post is looked up in the register: a post not in it raises a row (its
//!   requirement is unknown); a post that requires no level raises none. A designated post
//!   requires the designated level (MV), as it does for its holders (`clearance`).
//! - Someone on tonight's roster (not a leaver; ids compared by `id_key`) is judged by the
//!   records linked to them; someone not on it (a joiner posting) by the vetting records whose
//!   `employee_id_hint` names them.
//! - Cleared when one of those records holds the level on the start date (`super::holds`).
//!
//! The row's post is the new one and its vetting columns the best record found: one that
//! holds a clearance on the start date, else one valid tonight that runs out before it, else
//! an application pending at the level, else the latest decided. Days out of compliance are
//! negative: the days left before the start, so among rows of one risk and severity the
//! soonest start ranks first. One row per posting.

use super::holds;
use crate::assess::casework::stage;
use crate::assess::{Code, Exception, Facts};
use crate::ingest::value::id_key;
use crate::model::prevention::Posting;
use crate::model::{LevelId, Post, VettingRecord, VettingStatus};
use chrono::{Days, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// Where a posting's start falls against tonight's horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Started before the as-of date.
    Started,
    /// From the as-of date to the end of the horizon, both included: checked.
    Within,
    /// After the horizon.
    Beyond,
}

/// What a posting within the horizon came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// The new post is not in the register: raised.
    UnknownPost,
    /// The new post requires no level: nothing to hold.
    NoRequirement,
    /// The person will hold the level on the start date.
    Cleared,
    /// Raised.
    NotCleared,
}

/// One posting as tonight read it.
#[derive(Debug, Clone)]
pub struct Reviewed<'a> {
    pub posting: &'a Posting,
    pub when: When,
    /// The person is not on tonight's roster (or only as a leaver).
    pub joiner: bool,
    /// The new post is designated.
    pub designated: bool,
    /// None outside the horizon.
    pub finding: Option<Finding>,
    /// The POSTING_NOT_CLEARED row (unranked), for `UnknownPost` and `NotCleared`.
    pub row: Option<Exception>,
}

/// The rows of every posting within the horizon that is not cleared.
pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    review(facts)
        .into_iter()
        .flatten()
        .filter_map(|r| r.row)
        .collect()
}

/// Every posting of tonight's feed, soonest start first (then by posting_ref); None when the
/// feed was not read.
pub fn review<'a>(facts: &Facts<'a>) -> Option<Vec<Reviewed<'a>>> {
    let postings = facts.prevention.postings?;
    let horizon = facts.prevention.policy.posting_horizon_days;
    let last = facts
        .as_of
        .checked_add_days(Days::new(horizon.max(0) as u64))
        .unwrap_or(NaiveDate::MAX);
    let mut sorted: Vec<&'a Posting> = postings.iter().collect();
    sorted.sort_by(|a, b| {
        (a.start_date, &a.posting_ref, a.line).cmp(&(b.start_date, &b.posting_ref, b.line))
    });
    let when = |p: &Posting| {
        if p.start_date < facts.as_of {
            When::Started
        } else if p.start_date > last {
            When::Beyond
        } else {
            When::Within
        }
    };
    let roster: BTreeMap<String, usize> = facts
        .persons
        .iter()
        .enumerate()
        .filter(|(_, p)| p.status.in_workforce())
        .map(|(i, p)| (id_key(&p.employee_id), i))
        .collect();
    let joiners: BTreeSet<String> = (sorted.iter())
        .filter(|p| when(p) == When::Within)
        .map(|p| id_key(&p.employee_id))
        .filter(|k| !roster.contains_key(k))
        .collect();
    let hinted = by_hint(facts, &joiners);
    let out = sorted
        .into_iter()
        .map(|p| {
            let key = id_key(&p.employee_id);
            let person = roster.get(&key).copied();
            let post = facts.post(&p.post_id);
            let mut r = Reviewed {
                posting: p,
                when: when(p),
                joiner: person.is_none(),
                designated: post.is_some_and(|x| x.designated),
                finding: None,
                row: None,
            };
            if r.when != When::Within {
                return r;
            }
            let records: Vec<(usize, &VettingRecord)> = match person {
                Some(pi) => facts.records_of(pi).collect(),
                None => (hinted.get(&key).into_iter().flatten())
                    .map(|&vi| (vi, facts.record(vi)))
                    .collect(),
            };
            let required = match post {
                None => None,
                Some(x) => match facts.levels.of_post(x) {
                    Some(l) => Some(l),
                    None => {
                        r.finding = Some(Finding::NoRequirement);
                        return r;
                    }
                },
            };
            if let Some(level) = required {
                if records
                    .iter()
                    .any(|(_, v)| holds(facts.levels, v, level, p.start_date))
                {
                    r.finding = Some(Finding::Cleared);
                    return r;
                }
            }
            r.finding = Some(match post {
                None => Finding::UnknownPost,
                Some(_) => Finding::NotCleared,
            });
            r.row = Some(row(facts, p, person, post, required, &records));
            r
        })
        .collect();
    Some(out)
}

/// The vetting records whose employee_id_hint is one of `keys` (as ids compare), by key.
fn by_hint(facts: &Facts<'_>, keys: &BTreeSet<String>) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    if keys.is_empty() {
        return out;
    }
    for (vi, v) in facts.vetting.iter().enumerate() {
        let Some(hint) = v.employee_id_hint.as_deref() else {
            continue;
        };
        let k = id_key(hint);
        if keys.contains(&k) {
            out.entry(k).or_default().push(vi);
        }
    }
    out
}

/// How many levels `level` satisfies: the higher a clearance sits, the more.
fn height(facts: &Facts<'_>, level: LevelId) -> usize {
    facts
        .levels
        .all()
        .filter(|&l| facts.levels.satisfies(level, l))
        .count()
}

/// "LEVEL (REF)".
fn named(facts: &Facts<'_>, v: &VettingRecord) -> String {
    format!("{} ({})", facts.level_name(v.level), v.vetting_ref)
}

/// The row of a posting that is not cleared (or whose post is unknown).
fn row(
    facts: &Facts<'_>,
    p: &Posting,
    person: Option<usize>,
    post: Option<&Post>,
    required: Option<LevelId>,
    records: &[(usize, &VettingRecord)],
) -> Exception {
    let meets = |v: &VettingRecord| required.is_none_or(|l| facts.levels.satisfies(v.level, l));
    let granted = |v: &VettingRecord| v.status == VettingStatus::Granted;
    // The highest clearance held on the start date (latest expiry, then reference).
    let on_start = records
        .iter()
        .filter(|(_, v)| granted(v) && holds(facts.levels, v, v.level, p.start_date))
        .max_by(|a, b| {
            (height(facts, a.1.level), a.1.expiry_date, &b.1.vetting_ref).cmp(&(
                height(facts, b.1.level),
                b.1.expiry_date,
                &a.1.vetting_ref,
            ))
        });
    // A clearance at the level valid tonight that runs out before the start.
    let runs_out = records
        .iter()
        .filter(|(_, v)| {
            meets(v)
                && holds(facts.levels, v, v.level, facts.as_of)
                && !holds(facts.levels, v, v.level, p.start_date)
        })
        .max_by(|a, b| {
            (a.1.expiry_date, &b.1.vetting_ref).cmp(&(b.1.expiry_date, &a.1.vetting_ref))
        });
    // An application at the level: the latest applied for, then by reference.
    let pending = records
        .iter()
        .filter(|(_, v)| v.status == VettingStatus::Pending && meets(v))
        .max_by(|a, b| {
            let applied = |v: &VettingRecord| v.casework.as_ref().and_then(|c| c.application_date);
            (applied(a.1), &b.1.vetting_ref).cmp(&(applied(b.1), &a.1.vetting_ref))
        });
    let latest = records.iter().max_by(|a, b| {
        (a.1.decision_date, &b.1.vetting_ref).cmp(&(b.1.decision_date, &a.1.vetting_ref))
    });
    let shown = on_start.or(runs_out).or(pending).or(latest);

    let mut e = match person {
        Some(pi) => Exception::for_person(Code::PostingNotCleared, facts, pi),
        None => Exception::blank(Code::PostingNotCleared),
    };
    e.employee_id = p.employee_id.clone();
    e.post_id = p.post_id.clone();
    e.post_title = post.map(|x| x.title.clone()).unwrap_or_default();
    e.required_level = required
        .map(|l| facts.level_name(l).to_string())
        .unwrap_or_default();
    if let Some(&(vi, v)) = shown {
        e.set_record(facts, vi);
        if person.is_none() {
            e.surname = v.surname.clone();
            e.forenames = v.forenames.clone();
        }
    }
    let days = (p.start_date - facts.as_of).num_days();
    e.days_out = -days;

    let mut parts = vec![format!(
        "posting {} to {} starts on {} ({})",
        p.posting_ref,
        p.post_id,
        p.start_date,
        match days {
            0 => "today".to_string(),
            1 => "in 1 day".to_string(),
            n => format!("in {n} days"),
        }
    )];
    parts.push(match required {
        Some(l) => format!("the post requires {}", facts.level_name(l)),
        None => format!(
            "post {} is not in the post register, so its requirement is unknown",
            p.post_id
        ),
    });
    if let Some((_, v)) = on_start {
        parts.push(format!("holds {}", named(facts, v)));
    }
    if let Some((_, v)) = runs_out {
        let until = v.expiry_date.map_or_else(String::new, |d| d.to_string());
        parts.push(format!(
            "{} expires on {until}, before the start",
            named(facts, v)
        ));
    }
    if on_start.is_none() && runs_out.is_none() {
        parts.push(
            match (records.is_empty(), person.is_some()) {
                (true, true) => "no vetting record linked",
                (true, false) => "vetting not yet known",
                (false, _) => "holds no clearance valid on the start date",
            }
            .to_string(),
        );
    }
    if let Some((_, v)) = pending {
        parts.push(pending_text(facts, v));
    }
    if person.is_none() {
        parts.push("joiner posting (not on tonight's roster)".into());
    }
    e.detail = parts.join("; ");
    e
}

/// "MV application pending: V9, applied 2026-10-01, stage enquiries": the application date
/// and stage when the export has those columns ("not recorded" for a blank).
fn pending_text(facts: &Facts<'_>, v: &VettingRecord) -> String {
    let c = v.casework.as_deref();
    let mut s = format!(
        "{} application pending: {}",
        facts.level_name(v.level),
        v.vetting_ref
    );
    if facts.reads("application_date") {
        match c.and_then(|c| c.application_date) {
            Some(d) => s.push_str(&format!(", applied {d}")),
            None => s.push_str(", application date not recorded"),
        }
    }
    if facts.reads("stage") {
        s.push_str(", ");
        s.push_str(&match c {
            Some(c) => stage(c),
            None => "stage not recorded".to_string(),
        });
    }
    s
}

#[cfg(test)]
mod tests;
