//! One declaration as tonight finds it: whose it is, when its review falls due, and the one
//! status that applies. The DECLARATION_ rules raise from this reading and
//! declaration_status.csv writes it, so the two cannot disagree.
//!
//! A declaration belongs to the roster person whose employee id is its own as ids compare
//! (`id_key`). One of someone not on the roster (an unknown id, or a leaver) raises
//! nothing. A refusal is never a review due: the interest was refused, not approved, and
//! what to do about it is DECLARATION_REFUSED_IN_POST's (a type
//! `integrity.refused_in_post_types` lists, held in a designated post) or nothing.

use crate::assess::triggers::roster_index;
use crate::assess::Facts;
use crate::ingest::value::id_key;
use crate::model::integrity::{Decision, Declaration};
use crate::model::prevention::ReviewPeriod;
use crate::model::Post;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Where a declaration stands tonight: exactly one applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Not refused, and its review date is before the as-of date (DECLARATION_REVIEW_DUE).
    ReviewDue,
    /// Refused, of a type `refused_in_post_types` lists, and its person holds a designated
    /// post (DECLARATION_REFUSED_IN_POST).
    RefusedInDesignatedPost,
    /// Refused, and not held in a designated post (or of a type not listed).
    Refused,
    /// Not refused, and its review date is the as-of date or later.
    NotDue,
    /// Its employee id is no one on tonight's roster.
    NotOnRoster,
    /// Its person is a leaver.
    Leaver,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::ReviewDue,
        Status::RefusedInDesignatedPost,
        Status::Refused,
        Status::NotDue,
        Status::NotOnRoster,
        Status::Leaver,
    ];

    /// As declaration_status.csv writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::ReviewDue => "review_due",
            Status::RefusedInDesignatedPost => "refused_in_designated_post",
            Status::Refused => "refused",
            Status::NotDue => "not_due",
            Status::NotOnRoster => "not_on_roster",
            Status::Leaver => "leaver",
        }
    }
}

/// One declaration, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Read<'a> {
    pub declaration: &'a Declaration,
    /// The roster person it belongs to (a leaver too); `None` for an unknown id.
    pub person: Option<usize>,
    /// The period its review follows: its own, else its type's.
    pub period: Option<ReviewPeriod>,
    /// Its last review (or, never reviewed, its declaration) plus the period; `None` past
    /// the calendar's end.
    pub due: Option<NaiveDate>,
    pub status: Status,
    /// Days out of compliance: since the review date (`ReviewDue`), or since the later of
    /// the declaration and the post start (`RefusedInDesignatedPost`); 0 otherwise.
    pub days_out: i64,
    /// The designated post a refused declaration is held in.
    pub post: Option<&'a Post>,
}

/// Every declaration of the feed, in file order.
pub fn read<'a>(facts: &Facts<'a>, declarations: &'a [Declaration]) -> Vec<Read<'a>> {
    let person = roster_index(facts.persons);
    declarations
        .iter()
        .map(|d| read_one(facts, &person, d))
        .collect()
}

fn read_one<'a>(
    facts: &Facts<'a>,
    roster: &HashMap<String, usize>,
    d: &'a Declaration,
) -> Read<'a> {
    let policy = facts.integrity.policy;
    let mut r = Read {
        declaration: d,
        person: None,
        period: policy.review_every(d),
        due: policy.review_due(d),
        status: Status::NotOnRoster,
        days_out: 0,
        post: None,
    };
    let Some(&p) = roster.get(&id_key(&d.employee_id)) else {
        return r;
    };
    r.person = Some(p);
    let who = facts.person(p);
    if !who.status.in_workforce() {
        r.status = Status::Leaver;
        return r;
    }
    if d.decision == Some(Decision::Refused) {
        let designated = (who.post_id.as_deref())
            .and_then(|id| facts.post(id))
            .filter(|post| post.designated);
        r.status = Status::Refused;
        if let Some(post) = designated {
            if policy.refused_in_post_types.contains(&d.kind) {
                let from = who
                    .post_start_date
                    .map_or(d.declared_date, |s| s.max(d.declared_date));
                r.status = Status::RefusedInDesignatedPost;
                r.days_out = (facts.as_of - from).num_days();
                r.post = Some(post);
            }
        }
        return r;
    }
    match r.due {
        Some(due) if due < facts.as_of => {
            r.status = Status::ReviewDue;
            r.days_out = (facts.as_of - due).num_days();
        }
        _ => r.status = Status::NotDue,
    }
    r
}

/// The detail of a review due: `business_interest declared 2024-03-01; never reviewed;
/// review every 1 year; due 2025-03-01; not yet decided`.
pub fn review_text(d: &Declaration, period: ReviewPeriod, due: NaiveDate) -> String {
    let reviewed = match d.last_reviewed {
        Some(l) => format!("last reviewed {l}"),
        None => "never reviewed".into(),
    };
    let decided = match d.decision {
        Some(x) => format!("decision: {}", x.as_str()),
        None => "not yet decided".into(),
    };
    format!(
        "{} declared {}; {reviewed}; review every {}; due {due}; {decided}",
        d.kind,
        d.declared_date,
        period.as_text()
    )
}

/// The detail of a refusal held in a designated post: `business_interest declared
/// 2025-06-01, refused; holds designated post DES1`.
pub fn refused_text(d: &Declaration, post: &Post) -> String {
    format!(
        "{} declared {}, refused; holds designated post {}",
        d.kind, d.declared_date, post.post_id
    )
}
