//! Sanctions: the breach category and sanction of each misconduct outcome, the further
//! outcomes (with the planned difference between officers and staff), and the outcomes the
//! comparison reads (docs/output.md, `sanctions.csv`).

use super::truth::Policy;
use super::{
    days_ago, pick, Outcome, SanctionCells, SanctionCount, CATEGORIES, DISMISSED, NOT_RECORDED,
    OUTSIDE_WINDOW, PLANNED_CATEGORY, PLANNED_SHARE, SANCTIONED, SERIOUS, STAFF_SERIOUS_IN_PLANNED,
    WINDOW_MONTHS,
};
use crate::generate::people::Identity;
use crate::generate::triggers::EventRow;
use chrono::{Months, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The sanction a trigger-feed outcome carries, and the outcome a sanction is written with.
fn sanction_of(outcome: &str) -> &'static str {
    match outcome {
        "written_warning" => "written_warning",
        "final_written_warning" => "final_written_warning",
        "reduction_in_rank" => "reduction_in_rank",
        _ => "management_advice",
    }
}

fn outcome_of(sanction: &'static str) -> &'static str {
    match sanction {
        "written_warning" | "final_written_warning" | "reduction_in_rank" => sanction,
        _ => "other",
    }
}

/// The comparison's group of a role type (None: left out).
pub fn group(role: &str) -> Option<&'static str> {
    match role {
        "officer" | "special" => Some("officers"),
        "staff" | "pcso" => Some("staff"),
        _ => None,
    }
}

/// A breach category: the planned one for a share, else any.
fn category(rng: &mut ChaCha8Rng) -> &'static str {
    if rng.random_bool(PLANNED_SHARE) {
        PLANNED_CATEGORY
    } else {
        pick(rng, &CATEGORIES)
    }
}

/// For a share of rows, one of the two cells not recorded.
fn blank_one(rng: &mut ChaCha8Rng, c: SanctionCells) -> SanctionCells {
    if !rng.random_bool(NOT_RECORDED) {
        c
    } else if rng.random_bool(0.5) {
        SanctionCells {
            breach_category: None,
            ..c
        }
    } else {
        SanctionCells {
            sanction: None,
            ..c
        }
    }
}

/// The cells of the trigger feed's outcomes: a category, and the sanction its outcome names.
pub(super) fn cells(rng: &mut ChaCha8Rng, misconduct: &[EventRow]) -> Vec<SanctionCells> {
    misconduct
        .iter()
        .map(|e| {
            let c = SanctionCells {
                breach_category: Some(category(rng)),
                sanction: Some(sanction_of(e.kind)),
            };
            blank_one(rng, c)
        })
        .collect()
}

/// The further outcomes, numbered on from the feed's `after` rows: a share of everyone on the
/// roster, leavers dismissed on the day they left, and a few ids no one has.
#[allow(
    clippy::indexing_slicing,
    reason = "an owner is an index into the people"
)]
pub(super) fn further(
    rng: &mut ChaCha8Rng,
    as_of: NaiveDate,
    people: &[Identity],
    after: usize,
) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    let strangers = (people.len() / 1000).max(2);
    // (person, dismissed on leaving)
    let mut draws: Vec<(Option<usize>, bool)> = Vec::new();
    for (i, p) in people.iter().enumerate() {
        if rng.random_bool(SANCTIONED) {
            draws.push((Some(i), false));
        } else if p.status == "leaver" && rng.random_bool(DISMISSED) {
            draws.push((Some(i), true));
        }
    }
    draws.extend(std::iter::repeat_n((None, false), strangers));
    for (owner, dismissed) in draws {
        let person = owner.map(|o| &people[o]);
        let breach = category(rng);
        let staff = person.and_then(|p| group(p.role)) == Some("staff");
        let serious = rng.random_bool(if staff && breach == PLANNED_CATEGORY {
            STAFF_SERIOUS_IN_PLANNED
        } else {
            SERIOUS
        });
        let leaver = person.is_some_and(|p| p.status == "leaver");
        let sanction = match (serious || dismissed, leaver) {
            _ if dismissed => "dismissal",
            (true, true) => pick(
                rng,
                &["final_written_warning", "reduction_in_rank", "dismissal"],
            ),
            (true, false) => pick(
                rng,
                &[
                    "final_written_warning",
                    "final_written_warning",
                    "reduction_in_rank",
                ],
            ),
            _ => pick(
                rng,
                &["management_advice", "management_advice", "written_warning"],
            ),
        };
        let date = if let Some(left) = person.and_then(|p| p.leaving_date).filter(|_| dismissed) {
            left.min(as_of)
        } else if rng.random_bool(OUTSIDE_WINDOW) {
            days_ago(rng, as_of, 400..=900)
        } else {
            days_ago(rng, as_of, 1..=360)
        };
        let cells = blank_one(
            rng,
            SanctionCells {
                breach_category: Some(breach),
                sanction: Some(sanction),
            },
        );
        let employee_id = match person {
            Some(p) => p.employee_id.clone(),
            None => format!("E9{:07}", rng.random_range(0..10_000_000)),
        };
        outcomes.push(Outcome {
            reference: format!("MIS{:07}", after + outcomes.len() + 1),
            owner,
            employee_id,
            outcome: outcome_of(sanction),
            date,
            cells,
        });
    }
    outcomes
}

/// The outcomes the comparison reads, per category (`all` first) and group: someone on the
/// roster (leavers too), an officer or special (officers) or staff or PCSO (staff), within
/// the window, both cells recorded.
#[allow(
    clippy::indexing_slicing,
    reason = "an owner is an index into the people"
)]
pub(super) fn counts(
    as_of: NaiveDate,
    people: &[Identity],
    policy: &Policy,
    rows: impl Iterator<Item = (Option<usize>, NaiveDate, SanctionCells)>,
) -> Vec<SanctionCount> {
    let from = as_of
        .checked_sub_months(Months::new(WINDOW_MONTHS))
        .unwrap_or(as_of);
    let categories: Vec<&str> = std::iter::once("all")
        .chain(policy.categories.iter().map(String::as_str))
        .collect();
    let mut out: Vec<SanctionCount> = categories
        .iter()
        .flat_map(|c| {
            ["officers", "staff"].map(|group| SanctionCount {
                breach_category: c.to_string(),
                group,
                outcomes: 0,
                serious: 0,
            })
        })
        .collect();
    for (owner, date, cells) in rows {
        let (Some(i), Some(breach), Some(sanction)) =
            (owner, cells.breach_category, cells.sanction)
        else {
            continue;
        };
        let Some(g) = group(people[i].role) else {
            continue;
        };
        if date < from || date > as_of {
            continue;
        }
        let serious = policy.serious(sanction) as usize;
        for row in out
            .iter_mut()
            .filter(|r| r.group == g && (r.breach_category == "all" || r.breach_category == breach))
        {
            row.outcomes += 1;
            row.serious += serious;
        }
    }
    out
}
