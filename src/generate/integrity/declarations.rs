//! declarations.csv: who declares what, its planned scenario, and the status the rules give
//! it (docs/output.md, `declaration_status.csv`).

use super::truth::Policy;
use super::{days_ago, pick, PlannedDeclaration, DECLARATIONS, TYPES};
use crate::generate::people::{GeneratedPost, Identity};
use crate::model::prevention::ReviewPeriod;
use chrono::{Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The declarations: a share of the people on the roster (leavers too) declare one, and a
/// few rows name ids no one on the roster has. Each has a scenario; its status is the rule
/// applied to the values drawn (docs/output.md, `declaration_status.csv`).
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub(super) fn draw(
    rng: &mut ChaCha8Rng,
    as_of: NaiveDate,
    posts: &[GeneratedPost],
    people: &[Identity],
    policy: &Policy,
) -> Vec<PlannedDeclaration> {
    const ORDINARY: [&str; 9] = [
        "in_order",
        "in_order",
        "review_overdue",
        "never_reviewed",
        "not_decided_new",
        "not_decided_overdue",
        "own_period_due",
        "own_period_not_due",
        "refused",
    ];
    const DESIGNATED: [&str; 11] = [
        "in_order",
        "in_order",
        "review_overdue",
        "never_reviewed",
        "not_decided_new",
        "not_decided_overdue",
        "own_period_due",
        "own_period_not_due",
        "refused",
        "refused_in_designated_post",
        "refused_in_designated_post",
    ];
    let approved = |rng: &mut ChaCha8Rng| {
        Some(pick(
            rng,
            &["approved", "approved", "approved_with_conditions"],
        ))
    };
    let mut out: Vec<(Option<usize>, PlannedDeclaration)> = Vec::new();
    let mut who: Vec<Option<usize>> = (0..people.len())
        .filter(|_| rng.random_bool(DECLARATIONS))
        .map(Some)
        .collect();
    who.extend(std::iter::repeat_n(None, (people.len() / 1000).max(2)));
    for owner in who {
        let person = owner.map(|i| &people[i]);
        let designated = person
            .and_then(|p| p.post)
            .is_some_and(|j| posts[j].designated);
        let scenario = match person {
            None => "not_on_roster",
            Some(p) if p.status == "leaver" => "leaver",
            Some(_) if designated => pick(rng, &DESIGNATED),
            Some(_) => pick(rng, &ORDINARY),
        };
        let kind = match scenario {
            "refused_in_designated_post" => {
                pick(rng, &["business_interest", "notifiable_association"])
            }
            // A refusal of a type that is not held against a designated post.
            "refused" if designated => "secondary_employment",
            _ => pick(rng, &TYPES),
        };
        let mut d = PlannedDeclaration {
            declaration_ref: String::new(),
            employee_id: match person {
                Some(p) => p.employee_id.clone(),
                None => format!("E9{:07}", rng.random_range(0..10_000_000)),
            },
            kind,
            declared: as_of,
            review_every: None,
            last_reviewed: None,
            decision: None,
            scenario,
            status: "",
        };
        match scenario {
            "in_order" => {
                let age = rng.random_range(30..=2000);
                d.declared = as_of - Duration::days(age);
                d.last_reviewed = (age > 330 || rng.random_bool(0.5))
                    .then(|| as_of - Duration::days(rng.random_range(1..=age.min(330))));
                d.review_every = rng.random_bool(0.2).then_some("P1Y");
                d.decision = approved(rng);
            }
            "review_overdue" => {
                let age = rng.random_range(500..=2500);
                d.declared = as_of - Duration::days(age);
                d.last_reviewed = Some(as_of - Duration::days(rng.random_range(380..age)));
                d.decision = approved(rng);
            }
            "never_reviewed" => {
                d.declared = days_ago(rng, as_of, 380..=1500);
                d.decision = approved(rng);
            }
            "not_decided_new" => d.declared = days_ago(rng, as_of, 1..=330),
            "not_decided_overdue" => d.declared = days_ago(rng, as_of, 380..=1200),
            "own_period_due" => {
                let age = rng.random_range(250..=1500);
                d.declared = as_of - Duration::days(age);
                d.last_reviewed =
                    Some(as_of - Duration::days(rng.random_range(200..=age.min(360))));
                d.review_every = Some("6 months");
                d.decision = approved(rng);
            }
            "own_period_not_due" => {
                let age = rng.random_range(400..=1500);
                d.declared = as_of - Duration::days(age);
                d.last_reviewed =
                    Some(as_of - Duration::days(rng.random_range(380..=age.min(700))));
                d.review_every = Some("2 years");
                d.decision = approved(rng);
            }
            "refused" | "refused_in_designated_post" => {
                let age = rng.random_range(10..=900);
                d.declared = as_of - Duration::days(age);
                d.last_reviewed = rng
                    .random_bool(0.3)
                    .then(|| as_of - Duration::days(rng.random_range(1..=age)));
                d.decision = Some("refused");
            }
            _ => {
                d.declared = days_ago(rng, as_of, 30..=1500);
                d.decision = approved(rng);
            }
        }
        d.status = status(&d, owner.map(|i| &people[i]), designated, as_of, policy);
        out.push((owner, d));
    }
    out.shuffle(rng);
    out.into_iter()
        .enumerate()
        .map(|(n, (_, mut d))| {
            d.declaration_ref = format!("DEC{:07}", n + 1);
            d
        })
        .collect()
}

/// A declaration's status by the rules (docs/output.md, `declaration_status.csv`).
fn status(
    d: &PlannedDeclaration,
    person: Option<&Identity>,
    designated: bool,
    as_of: NaiveDate,
    policy: &Policy,
) -> &'static str {
    match person {
        None => return "not_on_roster",
        Some(p) if p.status == "leaver" => return "leaver",
        Some(_) => {}
    }
    if d.decision == Some("refused") {
        return if designated && policy.refused_in_post.iter().any(|t| t == d.kind) {
            "refused_in_designated_post"
        } else {
            "refused"
        };
    }
    let every = d
        .review_every
        .and_then(ReviewPeriod::parse)
        .unwrap_or_else(|| policy.type_every(d.kind));
    let due = every.after(d.last_reviewed.unwrap_or(d.declared));
    if due.is_some_and(|due| due < as_of) {
        "review_due"
    } else {
        "not_due"
    }
}
