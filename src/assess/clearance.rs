//! Clearance: does each person in the workforce hold a valid clearance their post needs?
//!
//! Exactly one clearance code per person, first match wins (docs/output.md, "Exception codes"):
//! EXPIRING_SOON / nothing, INSUFFICIENT_LEVEL, EXPIRED, NOT_GRANTED, NO_CLEARANCE. Plus
//! UNKNOWN_POST when the post is not in the register, in which case the role's baseline level
//! is the requirement. Only automatic links count: a record awaiting review never hides an
//! exception. An EXPIRING_SOON or EXPIRED row names the renewal or upgrade already under way
//! for the person (`casework::in_progress`). The record a clearance row names is `shown`,
//! which the rows about a person that rest on no record of their own reuse.

use super::casework::in_progress;
use super::{Code, Exception, Facts};
use crate::model::{LevelId, VettingRecord, VettingStatus};

/// What a person's post requires, and whether the post was found.
pub struct Requirement {
    pub level: LevelId,
    pub post_known: bool,
}

pub fn requirement(facts: &Facts<'_>, person: usize) -> Requirement {
    let p = facts.person(person);
    let baseline = facts.levels.baseline(p.role_type);
    match p.post_id.as_deref().and_then(|id| facts.post(id)) {
        Some(post) => Requirement {
            level: facts.levels.of_post(post).unwrap_or(baseline),
            post_known: true,
        },
        None => Requirement {
            level: baseline,
            post_known: false,
        },
    }
}

/// Latest expiry first, then most recent decision, then reference: a total, stable order.
fn latest(a: &(usize, &VettingRecord), b: &(usize, &VettingRecord)) -> std::cmp::Ordering {
    (b.1.expiry_date, b.1.decision_date, &a.1.vetting_ref).cmp(&(
        a.1.expiry_date,
        a.1.decision_date,
        &b.1.vetting_ref,
    ))
}

/// The record a person's clearance row names, and how it stands against the post's
/// requirement: the first of these that the person's automatic links give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// A valid record meeting the requirement, the latest expiry first (no row, or
    /// EXPIRING_SOON).
    Meets(usize),
    /// No valid record meets it: the highest valid one (INSUFFICIENT_LEVEL).
    Below(usize),
    /// Nothing valid: the latest granted or lapsed record (EXPIRED).
    Expired(usize),
    /// Nothing ever granted: the latest decided record (NOT_GRANTED).
    NeverGranted(usize),
    /// No record linked (NO_CLEARANCE).
    Nothing,
}

impl Shown {
    /// The record shown, if any.
    pub fn record(self) -> Option<usize> {
        match self {
            Shown::Meets(r) | Shown::Below(r) | Shown::Expired(r) | Shown::NeverGranted(r) => {
                Some(r)
            }
            Shown::Nothing => None,
        }
    }
}

/// The person's automatically linked records, latest expiry first (`latest`).
fn records_of<'a>(facts: &Facts<'a>, person: usize) -> Vec<(usize, &'a VettingRecord)> {
    let mut records: Vec<(usize, &VettingRecord)> = facts.records_of(person).collect();
    records.sort_by(latest);
    records
}

/// Which of `records` (sorted by `latest`) a clearance row against `required` names.
fn shown_of(facts: &Facts<'_>, records: &[(usize, &VettingRecord)], required: LevelId) -> Shown {
    let valid = || records.iter().filter(|(_, v)| facts.is_valid(v));
    if let Some(&(vi, _)) = valid().find(|(_, v)| facts.levels.satisfies(v.level, required)) {
        return Shown::Meets(vi);
    }
    if let Some(&(vi, _)) = valid().max_by(|a, b| {
        rank_of(facts, a.1)
            .cmp(&rank_of(facts, b.1))
            .then(latest(b, a))
    }) {
        return Shown::Below(vi);
    }
    if let Some(&(vi, _)) = records
        .iter()
        .find(|(_, r)| matches!(r.status, VettingStatus::Granted | VettingStatus::Lapsed))
    {
        return Shown::Expired(vi);
    }
    match records.iter().max_by(|a, b| {
        (a.1.decision_date, &b.1.vetting_ref).cmp(&(b.1.decision_date, &a.1.vetting_ref))
    }) {
        Some(&(vi, _)) => Shown::NeverGranted(vi),
        None => Shown::Nothing,
    }
}

/// The person's best linked record: the one their clearance row names (or would name),
/// judged against what their post requires. Rows about a person that rest on no record of
/// their own (the integrity codes) show its level and status.
pub fn shown(facts: &Facts<'_>, person: usize) -> Shown {
    let req = requirement(facts, person);
    shown_of(facts, &records_of(facts, person), req.level)
}

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let mut out = Vec::new();
    for (pi, person) in facts.persons.iter().enumerate() {
        if !person.status.in_workforce() {
            continue;
        }
        let req = requirement(facts, pi);
        let required = facts.level_name(req.level).to_string();
        let since_start = person
            .post_start_date
            .map(|d| (facts.as_of - d).num_days())
            .unwrap_or(0);
        if !req.post_known {
            let mut e = Exception::for_person(Code::UnknownPost, facts, pi);
            e.required_level = required.clone();
            e.detail = format!(
                "post {} is not in the post register; judged against the {} baseline {}",
                person.post_id.as_deref().unwrap_or("(none)"),
                person.role_type.as_str(),
                required
            );
            out.push(e);
        }
        let records = records_of(facts, pi);
        let mut e = Exception::for_person(Code::NoClearance, facts, pi);
        e.required_level = required.clone();
        match shown_of(facts, &records, req.level) {
            Shown::Meets(vi) => {
                let v = facts.record(vi);
                let expiry = v.expiry_date.expect("valid records have an expiry");
                let left = (expiry - facts.as_of).num_days();
                if left > facts.expiry_warning_days {
                    continue;
                }
                e.code = Code::ExpiringSoon;
                e.set_record(facts, vi);
                e.days_out = -left;
                let next = match in_progress::of(facts, pi) {
                    Some(work) => {
                        e.work_started = work.started;
                        work.text
                    }
                    None => "start renewal now".into(),
                };
                e.detail = format!("{} clearance expires in {left} days; {next}", e.held_level);
            }
            Shown::Below(vi) => {
                let v = facts.record(vi);
                e.code = Code::InsufficientLevel;
                e.set_record(facts, vi);
                e.days_out = since_start;
                let higher = describe(
                    facts,
                    records.iter().filter(|(_, r)| {
                        matches!(
                            r.status,
                            VettingStatus::Pending
                                | VettingStatus::Suspended
                                | VettingStatus::Refused
                        ) && facts.levels.satisfies(r.level, req.level)
                    }),
                );
                e.detail = format!(
                    "holds {} but the post requires {required}",
                    facts.level_name(v.level)
                );
                if !higher.is_empty() {
                    e.detail
                        .push_str(&format!("; higher-level record: {higher}"));
                }
            }
            Shown::Expired(vi) => {
                let v = facts.record(vi);
                e.code = Code::Expired;
                e.set_record(facts, vi);
                e.days_out = v
                    .expiry_date
                    .map(|x| (facts.as_of - x).num_days())
                    .unwrap_or(since_start);
                e.detail = match v.expiry_date {
                    Some(x) => format!(
                        "latest clearance {} expired on {x}",
                        facts.level_name(v.level)
                    ),
                    None => format!("latest clearance {} has lapsed", facts.level_name(v.level)),
                };
                if let Some(work) = in_progress::of(facts, pi) {
                    e.work_started = work.started;
                    e.detail.push_str(&format!("; {}", work.text));
                }
            }
            Shown::NeverGranted(vi) => {
                e.code = Code::NotGranted;
                e.set_record(facts, vi);
                e.days_out = since_start;
                e.detail = format!(
                    "no clearance was ever granted: {}",
                    describe(facts, records.iter())
                );
            }
            Shown::Nothing => {
                e.days_out = since_start;
                e.detail = format!("no vetting record linked; the post requires {required}");
            }
        }
        out.push(e);
    }
    out
}

/// Order valid records by how high they sit, to report the best level a person holds.
fn rank_of(facts: &Facts<'_>, v: &VettingRecord) -> usize {
    facts
        .levels
        .all()
        .filter(|&l| facts.levels.satisfies(v.level, l))
        .count()
}

/// "status LEVEL ref" for each record, comma-separated: what the detail column lists.
fn describe<'r, 'v: 'r>(
    facts: &Facts<'_>,
    records: impl Iterator<Item = &'r (usize, &'v VettingRecord)>,
) -> String {
    records
        .map(|(_, r)| {
            format!(
                "{} {} {}",
                r.status,
                facts.level_name(r.level),
                r.vetting_ref
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
