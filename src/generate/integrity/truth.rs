//! The truth of the integrity stream: the default policy as it reads it, the post-register
//! checks, and the rows of the three integrity codes and of the further outcomes'
//! MISCONDUCT_REVIEW_DUE, each the agreed rule applied to the planned values.

use super::{Outcome, PlannedDeclaration, PostCheck, RULES};
use crate::generate::people::{GeneratedPost, Identity};
use crate::generate::triggers::{GRACE_DAYS, NEEDS_REVIEW_OUTCOMES};
use crate::generate::{Record, TruthException};
use crate::model::integrity::RawIntegrity;
use crate::model::prevention::ReviewPeriod;
use chrono::NaiveDate;

/// The level ladders of the default `[levels]`, lowest first.
const LADDERS: [&[&str]; 3] = [
    &["RV", "MV"],
    &["NPPV1", "NPPV2", "NPPV3"],
    &["CTC", "SC", "DV"],
];

fn place(level: &str) -> Option<(usize, usize)> {
    LADDERS
        .iter()
        .enumerate()
        .find_map(|(l, ladder)| ladder.iter().position(|x| *x == level).map(|r| (l, r)))
}

/// Same ladder and at least as high (no cross-ladder acceptance by default).
fn satisfies(held: Option<&str>, required: &str) -> bool {
    match (held.and_then(place), place(required)) {
        (Some((a, h)), Some((b, r))) => a == b && h >= r,
        _ => false,
    }
}

/// `under` (lower on the same ladder, or none recorded), `over`, or `other_ladder`.
fn direction(recorded: Option<&str>, expected: &str) -> &'static str {
    match (recorded.map(place), place(expected)) {
        (None, _) => "under",
        (Some(Some((a, h))), Some((b, e))) if a == b => {
            if h < e {
                "under"
            } else {
                "over"
            }
        }
        _ => "other_ladder",
    }
}

/// The default policy, as the truth reads it.
pub(super) struct Policy {
    pub review_every: ReviewPeriod,
    type_every: Vec<(String, ReviewPeriod)>,
    pub refused_in_post: Vec<String>,
    pub title_rules: Vec<(String, String)>,
    pub categories: Vec<String>,
    scale: Vec<String>,
    serious_from: usize,
}

impl Policy {
    pub fn default_policy() -> Policy {
        let raw = RawIntegrity::default();
        let period = |s: &str| {
            ReviewPeriod::parse(s).unwrap_or_else(|| unreachable!("the default periods parse: {s}"))
        };
        let scale = raw.sanction_scale.clone();
        let serious_from = scale
            .iter()
            .position(|s| *s == raw.serious_sanction)
            .unwrap_or_else(|| unreachable!("the default serious sanction is on the scale"));
        Policy {
            review_every: period(&raw.integrity_review_every),
            type_every: raw
                .declaration_review_every
                .iter()
                .map(|(t, p)| (t.clone(), period(p)))
                .collect(),
            refused_in_post: raw.refused_in_post_types.clone(),
            title_rules: raw
                .title_rules
                .iter()
                .map(|r| (r.contains.trim().to_lowercase(), r.level.clone()))
                .collect(),
            categories: raw.breach_categories.clone(),
            scale,
            serious_from,
        }
    }

    pub fn type_every(&self, kind: &str) -> ReviewPeriod {
        self.type_every
            .iter()
            .find(|(t, _)| t == kind)
            .map(|(_, p)| *p)
            .unwrap_or(self.review_every)
    }

    pub fn serious(&self, sanction: &str) -> bool {
        self.scale
            .iter()
            .position(|s| s == sanction)
            .is_some_and(|r| r >= self.serious_from)
    }
}

fn row(code: &str, employee_id: &str, reference: &str) -> TruthException {
    TruthException {
        code: code.to_string(),
        employee_id: employee_id.to_string(),
        vetting_ref: reference.to_string(),
    }
}

/// DECLARATION_REVIEW_DUE and DECLARATION_REFUSED_IN_POST: one row per declaration, its
/// reference in vetting_ref.
pub(super) fn declaration_rows(declarations: &[PlannedDeclaration]) -> Vec<TruthException> {
    declarations
        .iter()
        .filter_map(|d| match d.status {
            "review_due" => Some(row(
                "DECLARATION_REVIEW_DUE",
                &d.employee_id,
                &d.declaration_ref,
            )),
            "refused_in_designated_post" => Some(row(
                "DECLARATION_REFUSED_IN_POST",
                &d.employee_id,
                &d.declaration_ref,
            )),
            _ => None,
        })
        .collect()
}

/// INTEGRITY_REVIEW_OVERDUE: an active person whose last review (or, none recorded, post
/// start) is more than the period before the as-of date, naming their one record if any.
#[allow(
    clippy::indexing_slicing,
    reason = "an owned index is a position in the records"
)]
pub(super) fn review_rows(
    as_of: NaiveDate,
    people: &[Identity],
    records: &[Record],
    owned: &[Vec<usize>],
    reviews: &[Option<NaiveDate>],
    policy: &Policy,
) -> Vec<TruthException> {
    let mut out = Vec::new();
    for ((p, own), review) in people.iter().zip(owned).zip(reviews) {
        let from = review.unwrap_or(p.post_start);
        if p.status == "active"
            && policy
                .review_every
                .after(from)
                .is_some_and(|due| due < as_of)
        {
            let record = match own.as_slice() {
                [only] => records[*only].vetting_ref.as_str(),
                _ => "",
            };
            out.push(row("INTEGRITY_REVIEW_OVERDUE", &p.employee_id, record));
        }
    }
    out
}

/// A further outcome calls for a vetting review like any other (`triggers`): open when no
/// decision or review of the person's records is on or after it, due past the grace days.
#[allow(
    clippy::indexing_slicing,
    reason = "an owner is an index into the people, an owned index a position in the records"
)]
pub(super) fn outcome_rows(
    as_of: NaiveDate,
    people: &[Identity],
    records: &[Record],
    owned: &[Vec<usize>],
    outcomes: &[Outcome],
) -> Vec<TruthException> {
    let latest_review = |person: usize| {
        owned[person]
            .iter()
            .flat_map(|&ri| [records[ri].plan.decision, records[ri].last_review])
            .flatten()
            .max()
    };
    outcomes
        .iter()
        .filter(|o| {
            o.owner.is_some_and(|i| {
                people[i].status != "leaver"
                    && NEEDS_REVIEW_OUTCOMES.contains(&o.outcome)
                    && latest_review(i).is_none_or(|r| r < o.date)
                    && (as_of - o.date).num_days() > GRACE_DAYS
            })
        })
        .map(|o| row("MISCONDUCT_REVIEW_DUE", &o.employee_id, &o.reference))
        .collect()
}

/// The post-register checks by the rules (docs/output.md, `post_register_checks.csv`), from
/// the register as written.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes"
)]
pub(super) fn post_checks(
    posts: &[GeneratedPost],
    recorded: &[Option<&'static str>],
    people: &[Identity],
) -> Vec<PostCheck> {
    let policy = Policy::default_policy();
    let mut holders = vec![0usize; posts.len()];
    for p in people.iter().filter(|p| p.status != "leaver") {
        if let Some(j) = p.post {
            holders[j] += 1;
        }
    }
    let level = |s: &str| -> &'static str {
        LADDERS
            .iter()
            .flat_map(|l| l.iter())
            .find(|x| **x == s)
            .copied()
            .unwrap_or_else(|| unreachable!("the default title rules name default levels"))
    };
    let mut out = Vec::new();
    for (j, post) in posts.iter().enumerate() {
        let own = recorded[j];
        let of_post = if post.designated { Some("MV") } else { own };
        let mut row = |rule: &'static str, keyword: &str, at: Option<&'static str>, expected| {
            out.push(PostCheck {
                post_id: post.post_id.clone(),
                rule,
                keyword: keyword.to_string(),
                recorded_level: at,
                expected_level: expected,
                direction: direction(at, expected),
                postholders: holders[j],
            })
        };
        if post.designated && !satisfies(own, "MV") {
            row("designated_below_mv", "", own, "MV");
        }
        if post.vulnerable_contact && !satisfies(of_post, "MV") {
            row("vulnerable_contact_below_level", "", of_post, "MV");
        }
        let title = post.title.to_lowercase();
        for (keyword, want) in &policy.title_rules {
            if title.contains(keyword.as_str()) && of_post != Some(want.as_str()) {
                row("title_rule", keyword, of_post, level(want));
            }
        }
    }
    let rule_at = |r: &str| RULES.iter().position(|x| *x == r);
    out.sort_by(|a, b| {
        b.postholders
            .cmp(&a.postholders)
            .then_with(|| a.post_id.cmp(&b.post_id))
            .then_with(|| rule_at(a.rule).cmp(&rule_at(b.rule)))
            .then_with(|| a.keyword.cmp(&b.keyword))
    });
    out
}
