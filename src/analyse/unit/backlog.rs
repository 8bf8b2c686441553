//! The backlog: open cases (pending records) by case type, stage, age and the role risk of
//! the post they are for, and every open case, oldest first.
//!
//! Age is whole days from application_date to the as-of date, in four bands (0-30, 31-90,
//! 91-180, over 180) and `age not recorded` for a blank date. Role risk is the priority
//! order's (`assess::priority`): a case linked to someone on the roster is banded by the
//! component of their post's risk with the most points under `[priority]` (designated post,
//! a national-security level the post needs or the case is for, vulnerable contact; equal
//! points in that order), or `other posts` when none applies; a recruit case of someone not
//! yet in a post, or a case linked to no one on the roster, is in a band of its own.

use super::{case_type, Figure, Given, NotRead, NOT_RECORDED, RECRUIT};
use crate::model::casework::OpenCases;
use crate::model::VettingStatus;
use chrono::NaiveDate;
use std::sync::Arc;

/// Age bands in days open: (label, first day, last day).
pub const AGE_BANDS: [(&str, i64, i64); 4] = [
    ("0-30", 0, 30),
    ("31-90", 31, 90),
    ("91-180", 91, 180),
    ("over 180", 181, i64::MAX),
];

/// The band of a case with no application date.
pub const AGE_NOT_RECORDED: &str = "age not recorded";

/// Every band label in column order: the four age bands, then not recorded.
pub const BAND_LABELS: [&str; 5] = [
    AGE_BANDS[0].0,
    AGE_BANDS[1].0,
    AGE_BANDS[2].0,
    AGE_BANDS[3].0,
    AGE_NOT_RECORDED,
];

/// The position in `BAND_LABELS` of an age in days (None: not recorded).
pub fn band_of(age_days: Option<i64>) -> usize {
    age_days
        .and_then(|a| {
            AGE_BANDS
                .iter()
                .position(|(_, lo, hi)| (*lo..=*hi).contains(&a))
        })
        .unwrap_or(AGE_BANDS.len())
}

/// The role risk of the post an open case is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Risk {
    Designated,
    NationalSecurity,
    VulnerableContact,
    Other,
    Recruit,
}

impl Risk {
    pub const ALL: [Risk; 5] = [
        Risk::Designated,
        Risk::NationalSecurity,
        Risk::VulnerableContact,
        Risk::Other,
        Risk::Recruit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Designated => "designated post",
            Risk::NationalSecurity => "national-security level",
            Risk::VulnerableContact => "vulnerable contact",
            Risk::Other => "other posts",
            Risk::Recruit => "recruits not yet in a post, and applicants not on the roster",
        }
    }
}

/// Open cases of one group, per band (`BAND_LABELS` order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandRow {
    pub group: String,
    pub bands: [usize; 5],
}

impl BandRow {
    fn new(group: impl Into<String>) -> BandRow {
        BandRow {
            group: group.into(),
            bands: [0; 5],
        }
    }

    pub fn total(&self) -> usize {
        self.bands.iter().sum()
    }
}

/// One open case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCase {
    pub vetting_ref: String,
    pub level: String,
    pub case_type: Option<Arc<str>>,
    pub stage: Option<Arc<str>>,
    pub application_date: Option<NaiveDate>,
    pub age_days: Option<i64>,
    pub risk: Risk,
    /// The person on the roster the case is linked to, and their post.
    pub employee_id: Option<String>,
    pub post_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Backlog {
    /// Every open case, by band.
    pub all: BandRow,
    /// Not read without application_date: every case is then counted under `all` alone.
    pub age: Result<(), NotRead>,
    /// Every case type of the policy, in its order, then `(not recorded)` when a case has
    /// none.
    pub by_case_type: Figure<Vec<BandRow>>,
    /// Every stage of the policy, in its order, then `(not recorded)`.
    pub by_stage: Figure<Vec<BandRow>>,
    /// Every `Risk`, in its order.
    pub by_risk: Vec<BandRow>,
    /// Oldest first (a blank application date last), then by reference.
    pub cases: Vec<OpenCase>,
}

impl Backlog {
    pub fn total(&self) -> usize {
        self.all.total()
    }

    /// Tonight's open cases as the run record keeps them.
    pub fn open_cases(&self) -> OpenCases {
        OpenCases {
            total: self.total(),
            by_case_type: self
                .by_case_type
                .as_ref()
                .ok()
                .map(|rows| rows.iter().map(|r| (r.group.clone(), r.total())).collect()),
        }
    }
}

/// Rows for `names` in order, then `(not recorded)` when `counted` holds a group not among
/// them (a blank).
fn rows_of(names: &[String], counted: Vec<(String, usize, usize)>) -> Vec<BandRow> {
    let mut rows: Vec<BandRow> = names.iter().map(BandRow::new).collect();
    for (group, band, n) in counted {
        match rows.iter_mut().find(|r| r.group == group) {
            Some(r) => add(r, band, n),
            None => {
                let mut r = BandRow::new(group);
                add(&mut r, band, n);
                rows.push(r);
            }
        }
    }
    rows
}

fn add(r: &mut BandRow, band: usize, n: usize) {
    if let Some(c) = r.bands.get_mut(band) {
        *c += n;
    }
}

/// The role-risk band of an open case: the post's, for a case linked to someone on the
/// roster in a post (a recruit already in post too: the inspections find recruits taking up
/// sensitive posts before their vetting is done); `Recruit` for a recruit case of someone
/// not in a post, or a case linked to no one.
fn risk_of(g: &Given<'_>, record: usize) -> (Risk, Option<usize>) {
    let facts = g.facts;
    let v = facts.record(record);
    let person = facts.link(record).linked_person().map(|p| p as usize);
    let in_post = |p: &usize| facts.person(*p).post_id.is_some();
    let Some(person) = person.filter(|p| case_type(v) != RECRUIT || in_post(p)) else {
        return (Risk::Recruit, person);
    };
    let p = g.priority;
    let post = facts
        .person(person)
        .post_id
        .as_deref()
        .and_then(|id| facts.post(id));
    let need = crate::assess::clearance::requirement(facts, person).level;
    let national = [need, v.level]
        .iter()
        .any(|l| p.high_risk_levels.contains(l));
    let parts = [
        (
            Risk::Designated,
            post.is_some_and(|p| p.designated),
            p.designated,
        ),
        (Risk::NationalSecurity, national, p.high_risk_level_points),
        (
            Risk::VulnerableContact,
            post.is_some_and(|p| p.vulnerable_contact),
            p.vulnerable_contact,
        ),
    ];
    // The most points; on equal points the first in `parts` (max_by_key keeps the last).
    let risk = (parts.iter().rev())
        .filter(|(_, applies, points)| *applies && *points > 0)
        .max_by_key(|(_, _, points)| *points)
        .map_or(Risk::Other, |(r, _, _)| *r);
    (risk, Some(person))
}

pub fn backlog(g: &Given<'_>) -> Backlog {
    let facts = g.facts;
    let dated = g.has("application_date");
    let mut cases = Vec::new();
    for (i, v) in g
        .records()
        .filter(|(_, v)| v.status == VettingStatus::Pending)
    {
        let c = v.casework.as_deref();
        let (risk, person) = risk_of(g, i);
        let person = person.map(|p| facts.person(p));
        cases.push(OpenCase {
            vetting_ref: v.vetting_ref.clone(),
            level: facts.level_name(v.level).to_string(),
            case_type: c.and_then(|c| c.case_type.clone()),
            stage: c.and_then(|c| c.stage.clone()),
            application_date: c.and_then(|c| c.application_date),
            age_days: c.and_then(|c| c.age_days(g.as_of())),
            risk,
            employee_id: person.map(|p| p.employee_id.clone()),
            post_id: person.and_then(|p| p.post_id.clone()),
        });
    }
    cases.sort_by(|a, b| {
        (
            a.application_date.is_none(),
            a.application_date,
            &a.vetting_ref,
        )
            .cmp(&(
                b.application_date.is_none(),
                b.application_date,
                &b.vetting_ref,
            ))
    });
    let band = |c: &OpenCase| band_of(c.age_days);
    let mut all = BandRow::new("all");
    for c in &cases {
        add(&mut all, band(c), 1);
    }
    let text = |s: &Option<Arc<str>>| s.as_deref().unwrap_or(NOT_RECORDED).to_string();
    let by = |key: &dyn Fn(&OpenCase) -> String| -> Vec<(String, usize, usize)> {
        cases.iter().map(|c| (key(c), band(c), 1)).collect()
    };
    let stages: Vec<String> = g.casework.stages.iter().map(|s| s.to_string()).collect();
    let risks: Vec<String> = Risk::ALL.iter().map(|r| r.as_str().to_string()).collect();
    Backlog {
        age: if dated {
            Ok(())
        } else {
            Err(NotRead::Columns(vec!["application_date"]))
        },
        by_case_type: g
            .need(&["case_type"])
            .map(|_| rows_of(&g.case_types(), by(&|c| text(&c.case_type)))),
        by_stage: g
            .need(&["stage"])
            .map(|_| rows_of(&stages, by(&|c| text(&c.stage)))),
        by_risk: rows_of(&risks, by(&|c| c.risk.as_str().to_string())),
        all,
        cases,
    }
}
