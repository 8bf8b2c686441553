//! Scenarios: what is true about each person's vetting, decided before any record is drawn.
//!
//! The generator first picks a scenario per person (cleared, expiring, expired, under-vetted,
//! never granted, no record, unknown post, adverse information, leaver still cleared...),
//! then draws vetting records that make it so, and writes the exception the scenario implies
//! into the truth file. The truth therefore comes from the design of the force, never from
//! running vetrecon's rules or matching: `evaluate` can hold both to account.

use super::people::{GeneratedPost, Identity};
use chrono::{Duration, NaiveDate};
use rand::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Cleared,
    ExpiringSoon,
    InsufficientLevel,
    Expired,
    NotGranted,
    NoClearance,
    UnknownPost,
    AdverseUnmitigated,
    AdverseMitigated,
    LeaverStillCleared,
    LeaverLapsed,
}

/// Share of people in each non-cleared scenario; the rest are cleared.
const SHARES: &[(Scenario, f64)] = &[
    (Scenario::ExpiringSoon, 0.04),
    (Scenario::InsufficientLevel, 0.015),
    (Scenario::Expired, 0.02),
    (Scenario::NotGranted, 0.008),
    (Scenario::NoClearance, 0.008),
    (Scenario::UnknownPost, 0.005),
    (Scenario::AdverseUnmitigated, 0.006),
    (Scenario::AdverseMitigated, 0.01),
    (Scenario::LeaverStillCleared, 0.015),
    (Scenario::LeaverLapsed, 0.02),
];

pub fn pick<R: Rng>(rng: &mut R) -> Scenario {
    let mut u: f64 = rng.random();
    for &(s, share) in SHARES {
        if u < share {
            return s;
        }
        u -= share;
    }
    Scenario::Cleared
}

/// A vetting record to be drawn: the facts; the identity columns come from `copy`.
#[derive(Debug, Clone)]
pub struct Plan {
    pub level: &'static str,
    pub status: &'static str,
    pub decision: Option<NaiveDate>,
    pub expiry: Option<NaiveDate>,
    pub adverse: bool,
    pub rationale: bool,
    pub mitigation: bool,
}

/// An exception the scenario implies. `record` indexes the person's plans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    pub code: &'static str,
    pub record: Option<usize>,
}

/// Validity in years of each level (the shipped config's periods).
pub fn validity_years(level: &str) -> i64 {
    match level {
        "MV" | "DV" => 7,
        "NPPV1" | "NPPV2" => 3,
        "NPPV3" => 5,
        _ => 10,
    }
}

/// The level just below on the same ladder, if any.
pub fn below(level: &str) -> Option<&'static str> {
    match level {
        "MV" => Some("RV"),
        "NPPV3" => Some("NPPV2"),
        "NPPV2" => Some("NPPV1"),
        "SC" => Some("CTC"),
        "DV" => Some("SC"),
        _ => None,
    }
}

/// What the person's post requires: MV for a designated post, the role's baseline when the
/// post is not in the register.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub fn requirement(p: &Identity, posts: &[GeneratedPost]) -> &'static str {
    match p.post {
        Some(i) if posts[i].designated => "MV",
        Some(i) => posts[i].required,
        None if p.role == "contractor" => "NPPV2",
        None => "RV",
    }
}

/// Granted record expiring `days` after `as_of` (negative: already expired).
fn granted(level: &'static str, as_of: NaiveDate, days: i64) -> Plan {
    let expiry = as_of + Duration::days(days);
    Plan {
        level,
        status: "granted",
        decision: Some(expiry - Duration::days(validity_years(level) * 365)),
        expiry: Some(expiry),
        adverse: false,
        rationale: false,
        mitigation: false,
    }
}

/// Days of validity left on a record that is comfortably valid (beyond the 180-day warning).
fn comfortable<R: Rng>(rng: &mut R, level: &str) -> i64 {
    rng.random_range(200..validity_years(level) * 365 - 30)
}

/// The records that make `scenario` true for `p`, and the exceptions it implies.
/// Non-cleared scenarios draw exactly one record, so the exception names it unambiguously.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub fn records<R: Rng>(
    rng: &mut R,
    scenario: Scenario,
    required: &'static str,
    as_of: NaiveDate,
) -> (Vec<Plan>, Vec<Expect>) {
    let expect = |code, record| vec![Expect { code, record }];
    match scenario {
        Scenario::Cleared => {
            let held = if required == "RV" && rng.random_bool(0.05) {
                "MV"
            } else {
                required
            };
            let days = comfortable(rng, held);
            let mut plans = vec![granted(held, as_of, days)];
            // History: the previous cycle, an old recruitment vetting, an old refusal.
            let gap = validity_years(held) * 365;
            if rng.random_bool(0.7) {
                plans.push(granted(held, as_of, days - gap));
                if rng.random_bool(0.3) {
                    plans.push(granted(held, as_of, days - 2 * gap));
                }
            }
            if held == "MV" && rng.random_bool(0.7) {
                plans.push(granted("RV", as_of, -rng.random_range(1..2000)));
            }
            if rng.random_bool(0.08) {
                let mut p = granted(held, as_of, -rng.random_range(3000..5000));
                p.status = "refused";
                p.expiry = None;
                plans.push(p);
            }
            (plans, vec![])
        }
        Scenario::ExpiringSoon => {
            let days = rng.random_range(1..171);
            (
                vec![granted(required, as_of, days)],
                expect("EXPIRING_SOON", Some(0)),
            )
        }
        Scenario::InsufficientLevel => match below(required) {
            Some(lower) => {
                let days = comfortable(rng, lower);
                (
                    vec![granted(lower, as_of, days)],
                    expect("INSUFFICIENT_LEVEL", Some(0)),
                )
            }
            None => records(rng, Scenario::Expired, required, as_of),
        },
        Scenario::Expired => {
            let mut plan = granted(required, as_of, -rng.random_range(1..1500));
            if rng.random_bool(0.2) {
                plan.status = "lapsed";
            }
            (vec![plan], expect("EXPIRED", Some(0)))
        }
        Scenario::NotGranted => {
            let status = ["refused", "withdrawn", "pending"][rng.random_range(0..3)];
            let mut plan = granted(required, as_of, comfortable(rng, required));
            plan.status = status;
            plan.expiry = None;
            plan.decision = match status {
                "pending" => None,
                _ => Some(as_of - Duration::days(rng.random_range(10..900))),
            };
            (vec![plan], expect("NOT_GRANTED", Some(0)))
        }
        Scenario::NoClearance => (vec![], expect("NO_CLEARANCE", None)),
        Scenario::UnknownPost => {
            let days = comfortable(rng, required);
            (
                vec![granted(required, as_of, days)],
                expect("UNKNOWN_POST", None),
            )
        }
        Scenario::AdverseUnmitigated | Scenario::AdverseMitigated => {
            let mut plan = granted(required, as_of, comfortable(rng, required));
            plan.adverse = true;
            if scenario == Scenario::AdverseMitigated {
                plan.rationale = true;
                plan.mitigation = true;
                (vec![plan], vec![])
            } else {
                plan.rationale = rng.random_bool(0.5);
                (vec![plan], expect("ADVERSE_UNMITIGATED", Some(0)))
            }
        }
        Scenario::LeaverStillCleared => {
            let days = comfortable(rng, required);
            (
                vec![granted(required, as_of, days)],
                expect("LEAVER_ACTIVE_CLEARANCE", Some(0)),
            )
        }
        Scenario::LeaverLapsed => {
            let mut plan = granted(required, as_of, -rng.random_range(1..1500));
            if rng.random_bool(0.3) {
                plan.status = "withdrawn";
                plan.expiry = None;
            }
            (vec![plan], vec![])
        }
    }
}

/// A record of someone not on the roster (an applicant never hired, a long-gone leaver, a
/// contractor of a partner agency). Valid ones are orphan clearances.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub fn stranger<R: Rng>(rng: &mut R, as_of: NaiveDate) -> (Plan, Vec<Expect>) {
    let level = ["RV", "RV", "RV", "MV", "NPPV2", "NPPV3"][rng.random_range(0..6)];
    let u: f64 = rng.random();
    if u < 0.15 {
        let mut plan = granted(level, as_of, comfortable(rng, level));
        let mut expect = vec![Expect {
            code: "ORPHAN_CLEARANCE",
            record: Some(0),
        }];
        if rng.random_bool(0.02) {
            plan.adverse = true;
            expect.push(Expect {
                code: "ADVERSE_UNMITIGATED",
                record: Some(0),
            });
        }
        (plan, expect)
    } else if u < 0.6 {
        (granted(level, as_of, -rng.random_range(1..4000)), vec![])
    } else {
        let mut plan = granted(level, as_of, 500);
        plan.expiry = None;
        if u < 0.85 {
            plan.status = "refused";
            plan.decision = Some(as_of - Duration::days(rng.random_range(10..3000)));
        } else {
            plan.status = "pending";
            plan.decision = None;
        }
        (plan, vec![])
    }
}
