//! Prevention for a generated force: post start dates that agree with each person's vetting,
//! `revet_on_appointment` on a share of posts, HR's future postings (movers and joiners),
//! the conditions on mitigated grants, a second night's roster a week later, and the truth of
//! POSTING_NOT_CLEARED, the CONDITION_* codes, the joiners-movers-leavers actions of the
//! second night and the inspection figure (moves into designated posts before MV).
//!
//! Drawn from a stream of its own (seeded from the force's seed), after everything else, so
//! a force with prevention has every record, identity, link and earlier truth of the same
//! force without it; what it changes is the roster's post_start_date (a column no earlier
//! truth reads), a column added to posts.csv, and the joiners' vetting records, added after
//! the last record under references numbered on from it (a valid one is an orphan clearance
//! tonight, in `truth/exceptions.csv` like any other).
//!
//! The truth is the agreed rules (docs/output.md) applied to the planned values at the default
//! `[prevention]` policy, never vetrecon's rules or linking. "Holds level L on date D" reads
//! the person's own records: granted, decided on or before D, expiring after D, at L or above
//! on the same ladder.

use super::copy;
use super::people::{self, GeneratedPost, Identity};
use super::scenario::{validity_years, Plan};
use super::{casework::CaseColumns, Noise, Record, TruthException};
use crate::model::prevention::RawPrevention;
use chrono::{Duration, Months, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Share of posts (designated posts: twice it) whose holder is re-vetted on appointment.
pub const REVET_POSTS: f64 = 0.12;
/// Postings HR has planned for people on the roster, per active person.
pub const MOVERS: f64 = 0.02;
/// Joiners with a posting, per person on the roster (at least three).
pub const JOINERS: f64 = 0.006;
/// People leaving between the two nights, per active person (at least two).
pub const LEAVERS: f64 = 0.004;
/// Moves on the second night that HR posted no notice of, per active person.
pub const UNPOSTED_MOVES: f64 = 0.002;
/// Share of people in a designated post whose first management vetting was granted in the
/// last year who moved into the post before it was granted.
pub const MOVED_BEFORE_MV: f64 = 0.5;
/// Share of people in a designated post who never held MV there whose move was in the last
/// year (the rest moved earlier).
pub const RECENT_UNCLEARED_MOVE: f64 = 0.4;
/// Share of mitigated grants with no condition in the feed.
pub const MITIGATION_WITHOUT_CONDITION: f64 = 0.12;
/// Days from the first night to the second.
pub const NIGHT_TWO_DAYS: i64 = 7;

/// One row of postings.csv with its planned scenario and whether it raises
/// POSTING_NOT_CLEARED on the first night.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPosting {
    pub posting_ref: String,
    pub employee_id: String,
    pub post_id: String,
    pub start: NaiveDate,
    pub scenario: &'static str,
    pub raised: bool,
}

/// One row of conditions.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionRow {
    pub condition_ref: String,
    pub vetting_ref: String,
    pub kind: &'static str,
    pub owner: Option<&'static str>,
    /// As written, and in months (every period written is whole months).
    pub review_every: Option<(&'static str, u32)>,
    pub last_checked: Option<NaiveDate>,
    pub restricts: Option<String>,
}

/// One planned condition (or a mitigated grant without one) and the codes it implies:
/// `condition_ref` is blank for a grant with no condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionTruth {
    pub condition_ref: String,
    pub vetting_ref: String,
    pub employee_id: String,
    pub scenario: &'static str,
    pub codes: Vec<&'static str>,
}

/// One joiners-movers-leavers action expected on the second night.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct JmlAction {
    pub action_id: String,
    pub action: &'static str,
    pub event: &'static str,
    pub employee_id: String,
    pub from_post: String,
    pub to_post: String,
    pub required_level: &'static str,
    pub event_date: NaiveDate,
    pub due_date: NaiveDate,
}

/// The inspection figure on the first night.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Inspection {
    pub moves: usize,
    pub moves_before_mv: usize,
    /// The median days uncleared (the mean of the two middle values of an even count); None
    /// with no move.
    pub median_days_uncleared: Option<f64>,
    pub still_uncleared: usize,
    /// Of `moves_before_mv`: planned as moves before an MV granted later.
    pub planned_cleared_later: usize,
}

/// The second night: its as-of date, roster (in the order written) and postings not yet
/// started.
#[derive(Debug, Clone)]
pub struct NightTwo {
    pub as_of: NaiveDate,
    pub people: Vec<Identity>,
    pub postings: Vec<PlannedPosting>,
}

/// What the prevention stream made.
#[derive(Debug, Clone)]
pub struct GeneratedPrevention {
    /// Per post (index into `Force::posts`).
    pub revet: Vec<bool>,
    pub postings: Vec<PlannedPosting>,
    pub conditions: Vec<ConditionRow>,
    pub condition_truth: Vec<ConditionTruth>,
    pub night_two: NightTwo,
    pub jml: Vec<JmlAction>,
    pub inspection: Inspection,
    /// Orphan clearances of joiners not yet on the roster (added to `truth/exceptions.csv`).
    pub exceptions: Vec<TruthException>,
    /// (vetting_ref, employee_id) of the records of the joiners on the second night's roster:
    /// with `truth/links.csv`, the second night's true links.
    pub joiner_links: Vec<(String, String)>,
}

/// Same ladder and at least as high.
pub fn meets(held: &str, required: &str) -> bool {
    const LADDERS: [&[&str]; 3] = [
        &["RV", "MV"],
        &["NPPV1", "NPPV2", "NPPV3"],
        &["CTC", "SC", "DV"],
    ];
    LADDERS.iter().any(|l| {
        let at = |x: &str| l.iter().position(|y| *y == x);
        matches!((at(held), at(required)), (Some(h), Some(r)) if h >= r)
    })
}

/// Granted, decided on or before `on`, expiring after it.
pub fn holds_on(plan: &Plan, on: NaiveDate) -> bool {
    plan.status == "granted"
        && plan.decision.is_some_and(|d| d <= on)
        && plan.expiry.is_some_and(|e| e > on)
}

/// The level a post requires (MV for a designated post).
pub fn post_requirement(post: &GeneratedPost) -> &'static str {
    if post.designated {
        "MV"
    } else {
        post.required
    }
}

#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn pick<T: Copy, R: Rng>(rng: &mut R, from: &[T]) -> T {
    from[rng.random_range(0..from.len())]
}

/// Everything the stream reads.
struct Ctx<'a> {
    as_of: NaiveDate,
    posts: &'a [GeneratedPost],
    revet: Vec<bool>,
}

/// Draw the prevention data of the force: post starts on `people`, joiners' records appended
/// to `records`, and the rest returned.
#[allow(
    clippy::indexing_slicing,
    clippy::too_many_arguments,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub fn generate(
    seed: u64,
    as_of: NaiveDate,
    noise: &Noise,
    nicknames: &[Vec<String>],
    people: &mut [Identity],
    posts: &[GeneratedPost],
    records: &mut Vec<Record>,
    casework: bool,
) -> GeneratedPrevention {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7072_6576_656e_7421);
    let revet: Vec<bool> = posts
        .iter()
        .map(|p| {
            rng.random_bool(if p.designated {
                2.0 * REVET_POSTS
            } else {
                REVET_POSTS
            })
        })
        .collect();
    let ctx = Ctx {
        as_of,
        posts,
        revet,
    };
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); people.len()];
    for (ri, r) in records.iter().enumerate() {
        if let Some(o) = r.owner {
            owned[o].push(ri);
        }
    }
    let lookback = as_of
        .checked_sub_months(Months::new(RawPrevention::default().moves_lookback_months))
        .unwrap_or(as_of);

    // Post starts, and the moves before MV planned among them.
    let mut planned_cleared_later = 0;
    for (i, p) in people.iter_mut().enumerate() {
        let plans: Vec<&Plan> = owned[i].iter().map(|&ri| &records[ri].plan).collect();
        let (start, later) = post_start(&mut rng, &ctx, p, &plans, lookback);
        p.post_start = start;
        planned_cleared_later += later as usize;
    }
    let inspection = Inspection {
        planned_cleared_later,
        ..inspection(&ctx, people, records, &owned, lookback)
    };

    let (conditions, condition_truth) = conditions(&mut rng, &ctx, people, records);

    // Joiners: new identities with an employee id after the roster's, and their vetting.
    let first_new = records.len();
    let joiners_n = ((people.len() as f64 * JOINERS) as usize).max(3);
    let mut joiners: Vec<(Identity, Vec<usize>)> = Vec::new();
    let mut added: Vec<Record> = Vec::new();
    let mut joiner_scenarios = Vec::new();
    for k in 0..joiners_n {
        let mut j = people::person(&mut rng, as_of, posts);
        j.employee_id = format!("E{:07}", people.len() + k + 1);
        j.status = "active";
        let Some(post) = j.post else { continue };
        let required = post_requirement(&posts[post]);
        j.post_start = as_of
            + Duration::days(if rng.random_bool(0.3) {
                rng.random_range(1..=NIGHT_TWO_DAYS)
            } else {
                rng.random_range(NIGHT_TWO_DAYS + 1..=150)
            });
        let scenario = pick(
            &mut rng,
            &[
                "joiner_transferee_cleared",
                "joiner_transferee_cleared",
                "joiner_application_pending",
                "joiner_no_record",
                "joiner_record_without_hint",
                "joiner_lower_level",
            ],
        );
        let plan = match scenario {
            "joiner_transferee_cleared" | "joiner_record_without_hint" => {
                Some(transferee(&mut rng, required, as_of))
            }
            "joiner_lower_level" => {
                super::scenario::below(required).map(|l| transferee(&mut rng, l, as_of))
            }
            "joiner_application_pending" => Some(Plan {
                level: required,
                status: "pending",
                decision: None,
                expiry: None,
                adverse: false,
                rationale: false,
                mitigation: false,
            }),
            _ => None,
        };
        let scenario = if scenario == "joiner_lower_level" && plan.is_none() {
            "joiner_no_record"
        } else {
            scenario
        };
        let mut mine = Vec::new();
        if let Some(plan) = plan {
            let mut id = copy::vetting_copy(&mut rng, &j, noise, nicknames, "");
            id.employee_id_hint =
                (scenario != "joiner_record_without_hint").then(|| j.employee_id.clone());
            let case = casework.then(|| CaseColumns {
                application_date: Some(
                    plan.decision.unwrap_or(as_of) - Duration::days(rng.random_range(20..=120)),
                ),
                case_type: Some("transferee"),
                stage: Some(if plan.decision.is_some() {
                    "decision"
                } else {
                    "enquiries"
                }),
                decision_maker: plan.decision.map(|_| "DM001".to_string()),
                ..CaseColumns::default()
            });
            mine.push(first_new + added.len());
            added.push(Record {
                vetting_ref: format!("V{:08}", first_new + added.len() + 1),
                owner: None,
                id,
                plan,
                last_review: None,
                female: j.female,
                origin: j.origin,
                case,
            });
        }
        joiner_scenarios.push(scenario);
        joiners.push((j, mine));
    }
    records.extend(added);
    let exceptions: Vec<TruthException> = records[first_new..]
        .iter()
        .filter(|r| holds_on(&r.plan, as_of))
        .map(|r| TruthException {
            code: "ORPHAN_CLEARANCE".into(),
            employee_id: String::new(),
            vetting_ref: r.vetting_ref.clone(),
        })
        .collect();

    // Movers: a posting for a share of active people in a post, into another post.
    let mut postings = Vec::new();
    let mut busy = vec![false; people.len()];
    for i in 0..people.len() {
        let p = &people[i];
        if p.status != "active" || p.post.is_none() || !rng.random_bool(MOVERS) {
            continue;
        }
        let plans: Vec<&Plan> = owned[i].iter().map(|&ri| &records[ri].plan).collect();
        let u: f64 = rng.random();
        let start = as_of
            + Duration::days(match u {
                x if x < 0.1 => -rng.random_range(1..=20),
                x if x < 0.35 => rng.random_range(1..=NIGHT_TWO_DAYS),
                x if x < 0.8 => rng.random_range(NIGHT_TWO_DAYS + 1..=90),
                _ => rng.random_range(91..=365),
            });
        let this_week = start > as_of && start <= as_of + Duration::days(NIGHT_TWO_DAYS);
        let kind = pick(
            &mut rng,
            &[
                "up_a_level",
                "up_a_level",
                "into_revet_post",
                "same_level",
                "unknown_post",
            ],
        );
        // A move into a post the register lacks never starts before the second night.
        let kind = if kind == "unknown_post" && this_week {
            "same_level"
        } else {
            kind
        };
        let target = if kind == "unknown_post" {
            None
        } else {
            let want = |j: usize| {
                let q = &posts[j];
                let held = plans
                    .iter()
                    .any(|pl| holds_on(pl, as_of) && meets(pl.level, post_requirement(q)));
                Some(j) != p.post
                    && q.contractor == (p.role == "contractor")
                    && match kind {
                        "up_a_level" => !held,
                        "into_revet_post" => held && ctx.revet[j],
                        _ => held && !ctx.revet[j],
                    }
            };
            let mut found = None;
            for _ in 0..64 {
                let j = rng.random_range(0..posts.len());
                if want(j) {
                    found = Some(j);
                    break;
                }
            }
            match found {
                Some(j) => Some(j),
                None => continue,
            }
        };
        let (post_id, scenario) = match target {
            Some(j) => (posts[j].post_id.clone(), kind),
            None => (
                format!("PZ{:05}", rng.random_range(0..100_000)),
                "unknown_post",
            ),
        };
        busy[i] = true;
        let in_horizon = start >= as_of
            && start <= as_of + Duration::days(RawPrevention::default().posting_horizon_days);
        let raised = in_horizon
            && match target {
                None => true,
                Some(j) => {
                    let req = post_requirement(&posts[j]);
                    !plans
                        .iter()
                        .any(|pl| holds_on(pl, start) && meets(pl.level, req))
                }
            };
        postings.push((
            i,
            target,
            PlannedPosting {
                posting_ref: String::new(),
                employee_id: people[i].employee_id.clone(),
                post_id,
                start,
                scenario,
                raised,
            },
        ));
    }
    let mut joiner_postings = Vec::new();
    for ((j, mine), scenario) in joiners.iter().zip(&joiner_scenarios) {
        let post = j.post.unwrap_or(0);
        let req = post_requirement(&posts[post]);
        let in_horizon =
            j.post_start <= as_of + Duration::days(RawPrevention::default().posting_horizon_days);
        let reachable = mine
            .iter()
            .filter(|&&ri| records[ri].id.employee_id_hint.is_some())
            .any(|&ri| {
                holds_on(&records[ri].plan, j.post_start) && meets(records[ri].plan.level, req)
            });
        joiner_postings.push(PlannedPosting {
            posting_ref: String::new(),
            employee_id: j.employee_id.clone(),
            post_id: posts[post].post_id.clone(),
            start: j.post_start,
            scenario,
            raised: in_horizon && !reachable,
        });
    }
    let mut all: Vec<PlannedPosting> = postings
        .iter()
        .map(|(_, _, p)| p.clone())
        .chain(joiner_postings)
        .collect();
    all.shuffle(&mut rng);
    for (n, p) in all.iter_mut().enumerate() {
        p.posting_ref = format!("PST{:07}", n + 1);
    }

    // The second night.
    let as_of2 = as_of + Duration::days(NIGHT_TWO_DAYS);
    let due = RawPrevention::default().action_due_days;
    let due_days = |a: &str| due.get(a).copied().unwrap_or(28);
    let mut jml = Vec::new();
    let mut action = |action: &'static str,
                      event: &'static str,
                      p: &Identity,
                      from: String,
                      to: String,
                      req: &'static str,
                      on: NaiveDate| {
        jml.push(JmlAction {
            action_id: format!("{action}:{}:{}", p.employee_id, on.format("%Y-%m-%d")),
            action,
            event,
            employee_id: p.employee_id.clone(),
            from_post: from,
            to_post: to,
            required_level: req,
            event_date: on,
            due_date: on + Duration::days(due_days(action)),
        })
    };
    let mut night: Vec<Option<Identity>> = people.iter().cloned().map(Some).collect();
    let holds_any = |mine: &[usize], req: &str, on: NaiveDate| {
        mine.iter()
            .any(|&ri| holds_on(&records[ri].plan, on) && meets(records[ri].plan.level, req))
    };
    // Movers whose posting starts by the second night, and moves HR posted no notice of.
    let mut moves: Vec<(usize, usize, Option<NaiveDate>)> = postings
        .iter()
        .filter(|(_, t, p)| t.is_some() && p.start > as_of && p.start <= as_of2)
        .filter_map(|(i, t, p)| t.map(|t| (*i, t, Some(p.start))))
        .collect();
    for i in 0..people.len() {
        let p = &people[i];
        if busy[i] || p.status != "active" || p.post.is_none() || !rng.random_bool(UNPOSTED_MOVES) {
            continue;
        }
        let plans: Vec<&Plan> = owned[i].iter().map(|&ri| &records[ri].plan).collect();
        for _ in 0..64 {
            let j = rng.random_range(0..posts.len());
            let q = &posts[j];
            if Some(j) != p.post
                && q.contractor == (p.role == "contractor")
                && plans
                    .iter()
                    .any(|pl| holds_on(pl, as_of) && meets(pl.level, post_requirement(q)))
                && !ctx.revet[j]
            {
                busy[i] = true;
                moves.push((i, j, None));
                break;
            }
        }
    }
    for &(i, j, start) in &moves {
        let p = &people[i];
        let req = post_requirement(&posts[j]);
        let from = p.post.map(|f| posts[f].post_id.clone()).unwrap_or_default();
        let on = start.unwrap_or(as_of2);
        if !holds_any(&owned[i], req, as_of2) {
            action(
                "upgrade",
                "mover",
                p,
                from,
                posts[j].post_id.clone(),
                req,
                on,
            );
        } else if ctx.revet[j] {
            action("revet", "mover", p, from, posts[j].post_id.clone(), req, on);
        }
        if let Some(n) = night[i].as_mut() {
            n.post = Some(j);
            if let Some(s) = start {
                n.post_start = s;
            }
        }
    }
    // Leavers: half marked leaver with a leaving date, half gone from the roster.
    let leavers_n = ((people.len() as f64 * LEAVERS) as usize).max(2);
    let mut candidates: Vec<usize> = (0..people.len())
        .filter(|&i| !busy[i] && people[i].status == "active" && people[i].post.is_some())
        .collect();
    candidates.shuffle(&mut rng);
    for (k, &i) in candidates.iter().take(leavers_n).enumerate() {
        let p = &people[i];
        let marked = k % 2 == 0;
        let left = as_of + Duration::days(rng.random_range(-20..=NIGHT_TWO_DAYS));
        let from = p.post.map(|f| posts[f].post_id.clone()).unwrap_or_default();
        let held = owned[i]
            .iter()
            .any(|&ri| holds_on(&records[ri].plan, as_of2));
        if held {
            let req = p.post.map_or("", |f| post_requirement(&posts[f]));
            action(
                "end_clearance",
                "leaver",
                p,
                from,
                String::new(),
                req,
                if marked { left } else { as_of2 },
            );
        }
        if marked {
            if let Some(n) = night[i].as_mut() {
                n.status = "leaver";
                n.leaving_date = Some(left);
            }
        } else {
            night[i] = None;
        }
    }
    // Joiners whose posting starts by the second night.
    let mut night_people: Vec<Identity> = night.into_iter().flatten().collect();
    let mut joiner_links = Vec::new();
    for (j, mine) in &joiners {
        if j.post_start > as_of2 {
            continue;
        }
        for &ri in mine {
            joiner_links.push((records[ri].vetting_ref.clone(), j.employee_id.clone()));
        }
        let post = j.post.unwrap_or(0);
        let req = post_requirement(&posts[post]);
        let act = if holds_any(mine, req, as_of2) {
            "confirm_transfer"
        } else {
            "vet_joiner"
        };
        action(
            act,
            "joiner",
            j,
            String::new(),
            posts[post].post_id.clone(),
            req,
            j.post_start,
        );
        night_people.push(j.clone());
    }
    jml.sort();
    let night_two = NightTwo {
        as_of: as_of2,
        people: night_people,
        postings: all.iter().filter(|p| p.start > as_of2).cloned().collect(),
    };
    GeneratedPrevention {
        revet: ctx.revet,
        postings: all,
        conditions,
        condition_truth,
        night_two,
        jml,
        inspection,
        exceptions,
        joiner_links,
    }
}

/// A transferee's clearance at `level`, from their old force, decided well before today.
fn transferee<R: Rng>(rng: &mut R, level: &'static str, as_of: NaiveDate) -> Plan {
    let decided = as_of - Duration::days(rng.random_range(100..=validity_years(level) * 365 - 400));
    Plan {
        level,
        status: "granted",
        decision: Some(decided),
        expiry: Some(decided + Duration::days(validity_years(level) * 365)),
        adverse: false,
        rationale: false,
        mitigation: false,
    }
}

/// A person's post start, consistent with their vetting: after the first grant that meets
/// the post's requirement for most; before an MV granted in the last year for a planned share
/// of designated posts (the second value says so); in the last year for a share of those in
/// a designated post who never held MV. Leavers started before they left.
fn post_start<R: Rng>(
    rng: &mut R,
    ctx: &Ctx<'_>,
    p: &Identity,
    plans: &[&Plan],
    lookback: NaiveDate,
) -> (NaiveDate, bool) {
    let as_of = ctx.as_of;
    let end = p
        .leaving_date
        .map_or(as_of - Duration::days(1), |l| l - Duration::days(30));
    let post = p.post.and_then(|i| ctx.posts.get(i));
    let required = post.map_or(
        if p.role == "contractor" {
            "NPPV2"
        } else {
            "RV"
        },
        post_requirement,
    );
    let designated = post.is_some_and(|q| q.designated) && p.status != "leaver";
    let first_meeting = plans
        .iter()
        .filter(|pl| matches!(pl.status, "granted" | "lapsed") && meets(pl.level, required))
        .filter_map(|pl| pl.decision)
        .min();
    let any_decision = plans.iter().filter_map(|pl| pl.decision).min();
    let margin = Duration::days(10);
    match first_meeting {
        Some(d)
            if designated
                && d > lookback + margin * 3
                && d < as_of
                && rng.random_bool(MOVED_BEFORE_MV) =>
        {
            // Moved in before management vetting was granted.
            let room = (d - lookback - margin).num_days().clamp(1, 150);
            (d - Duration::days(rng.random_range(1..=room)), true)
        }
        Some(d) => {
            let lo = (d + Duration::days(14)).max(end - Duration::days(6 * 365));
            let span = (end - lo).num_days().max(1);
            let within = if rng.random_bool(0.2) {
                span
            } else {
                span.min(180)
            };
            (
                (lo + Duration::days(rng.random_range(0..within))).min(end),
                false,
            )
        }
        None if designated && rng.random_bool(RECENT_UNCLEARED_MOVE) => {
            let room = (as_of - lookback - margin).num_days().max(2);
            (as_of - Duration::days(rng.random_range(1..room)), false)
        }
        None => {
            let back = match any_decision {
                Some(d) => (end - d).num_days().clamp(30, 3000),
                None => rng.random_range(400..3000),
            };
            let start = end - Duration::days(rng.random_range(0..back));
            // Someone who never held MV in a designated post moved in before the lookback.
            let start = if designated {
                start.min(lookback - margin)
            } else {
                start
            };
            (start, false)
        }
    }
}

/// The inspection figure by the agreed rule, from the planned starts and records.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn inspection(
    ctx: &Ctx<'_>,
    people: &[Identity],
    records: &[Record],
    owned: &[Vec<usize>],
    lookback: NaiveDate,
) -> Inspection {
    let mut out = Inspection::default();
    let mut spans = Vec::new();
    for (i, p) in people.iter().enumerate() {
        let designated = p.post.is_some_and(|j| ctx.posts[j].designated);
        if p.status == "leaver"
            || !designated
            || p.post_start <= lookback
            || p.post_start > ctx.as_of
        {
            continue;
        }
        out.moves += 1;
        let plans: Vec<&Plan> = owned[i].iter().map(|&ri| &records[ri].plan).collect();
        if plans
            .iter()
            .any(|pl| holds_on(pl, p.post_start) && meets(pl.level, "MV"))
        {
            continue;
        }
        out.moves_before_mv += 1;
        let granted = plans
            .iter()
            .filter(|pl| pl.status == "granted" && meets(pl.level, "MV"))
            .filter_map(|pl| pl.decision)
            .filter(|d| *d > p.post_start)
            .min();
        out.still_uncleared += granted.is_none() as usize;
        spans.push((granted.unwrap_or(ctx.as_of) - p.post_start).num_days());
    }
    spans.sort_unstable();
    out.median_days_uncleared = median(&spans);
    out
}

/// The conditions on every valid mitigated grant of someone on the roster, and their truth.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn conditions(
    rng: &mut ChaCha8Rng,
    ctx: &Ctx<'_>,
    people: &[Identity],
    records: &[Record],
) -> (Vec<ConditionRow>, Vec<ConditionTruth>) {
    const KINDS: [&str; 4] = [
        "finance_review",
        "it_monitoring",
        "supervisor_briefing",
        "other",
    ];
    const OWNERS: [&str; 4] = [
        "vetting",
        "counter_corruption",
        "professional_standards",
        "hr",
    ];
    const PERIODS: [(&str, u32); 4] = [
        ("6 months", 6),
        ("1 year", 12),
        ("3 months", 3),
        ("P1Y", 12),
    ];
    let as_of = ctx.as_of;
    let mut rows = Vec::new();
    let mut truth = Vec::new();
    for r in records {
        let Some(o) = r.owner else { continue };
        let p = &people[o];
        if !(r.plan.adverse && r.plan.mitigation && holds_on(&r.plan, as_of))
            || p.status == "leaver"
        {
            continue;
        }
        let employee_id = p.employee_id.clone();
        if rng.random_bool(MITIGATION_WITHOUT_CONDITION) {
            truth.push(ConditionTruth {
                condition_ref: String::new(),
                vetting_ref: r.vetting_ref.clone(),
                employee_id,
                scenario: "mitigation_without_condition",
                codes: vec!["CONDITION_NO_OWNER"],
            });
            continue;
        }
        let decided = r.plan.decision.unwrap_or(as_of);
        for _ in 0..rng.random_range(1..=2) {
            let scenario = pick(
                rng,
                &[
                    "in_order",
                    "in_order",
                    "ownerless",
                    "review_overdue",
                    "never_checked",
                    "no_review_period",
                    "restriction_breached",
                    "restriction_kept",
                ],
            );
            let (mut every, mut months) = pick(rng, &PERIODS);
            // A review overdue needs a grant older than its period: the shortest period, or
            // a condition in order when even that is too long.
            let overdue_by = |m: u32| {
                as_of
                    .checked_sub_months(Months::new(m))
                    .is_some_and(|d| decided < d - Duration::days(1))
            };
            let mut scenario = scenario;
            if scenario == "review_overdue" && !overdue_by(months) {
                (every, months) = ("3 months", 3);
                if !overdue_by(months) {
                    scenario = "in_order";
                }
            }
            let period = Months::new(months);
            let restriction = scenario.starts_with("restriction");
            let mut row = ConditionRow {
                condition_ref: format!("CND{:07}", rows.len() + 1),
                vetting_ref: r.vetting_ref.clone(),
                kind: if restriction {
                    "posting_restriction"
                } else {
                    pick(rng, &KINDS)
                },
                owner: (scenario != "ownerless").then(|| pick(rng, &OWNERS)),
                review_every: (scenario != "no_review_period").then_some((every, months)),
                last_checked: None,
                restricts: None,
            };
            // A check inside the period, or one a period and more ago; never before the grant.
            let recent = |rng: &mut ChaCha8Rng| {
                let room = (as_of - decided).num_days().clamp(1, 60);
                as_of - Duration::days(rng.random_range(0..room))
            };
            row.last_checked = match scenario {
                "never_checked" | "no_review_period" => None,
                "review_overdue" => {
                    let back = as_of.checked_sub_months(period).unwrap_or(as_of)
                        - Duration::days(rng.random_range(1..=200));
                    Some(back.max(decided))
                }
                _ => Some(recent(rng)),
            };
            if restriction {
                let post = p.post.map(|j| &ctx.posts[j]);
                let covering = post.map(|q| {
                    if q.vulnerable_contact {
                        "vulnerable_contact".to_string()
                    } else if q.designated {
                        "designated".to_string()
                    } else {
                        q.department.clone()
                    }
                });
                let other = ["Counter Terrorism", "Finance", "Professional Standards"]
                    .into_iter()
                    .find(|d| post.is_none_or(|q| !q.department.eq_ignore_ascii_case(d)))
                    .unwrap_or("Finance")
                    .to_string();
                let kept = post.is_none_or(|q| !q.vulnerable_contact && !q.designated);
                row.restricts = Some(match (scenario, covering) {
                    ("restriction_breached", Some(c)) => c,
                    // Out of posts the person's post is not: another department, or
                    // vulnerable contact when the post has none.
                    _ if kept && rng.random_bool(0.5) => "vulnerable_contact".to_string(),
                    _ => other,
                });
            }
            // The codes, by the rule.
            let mut codes = Vec::new();
            if let Some((_, m)) = row.review_every {
                let from = row.last_checked.unwrap_or(decided);
                if from
                    .checked_add_months(Months::new(m))
                    .is_some_and(|due| due < as_of)
                {
                    codes.push("CONDITION_REVIEW_DUE");
                }
            }
            if row.owner.is_none() {
                codes.push("CONDITION_NO_OWNER");
            }
            if let (Some(rs), Some(q)) = (&row.restricts, p.post.map(|j| &ctx.posts[j])) {
                let covers = match rs.as_str() {
                    "vulnerable_contact" => q.vulnerable_contact,
                    "designated" => q.designated,
                    d => q.department.eq_ignore_ascii_case(d),
                };
                if covers {
                    codes.push("CONDITION_BREACHED");
                }
            }
            truth.push(ConditionTruth {
                condition_ref: row.condition_ref.clone(),
                vetting_ref: row.vetting_ref.clone(),
                employee_id: employee_id.clone(),
                scenario,
                codes,
            });
            rows.push(row);
        }
    }
    // Two conditions on references that are no record tonight: counted, nothing raised.
    for _ in 0..2 {
        rows.push(ConditionRow {
            condition_ref: format!("CND{:07}", rows.len() + 1),
            vetting_ref: format!("VX{:07}", rng.random_range(0..10_000_000)),
            kind: "other",
            owner: Some("vetting"),
            review_every: Some(("6 months", 6)),
            last_checked: Some(as_of - Duration::days(30)),
            restricts: None,
        });
        truth.push(ConditionTruth {
            condition_ref: format!("CND{:07}", rows.len()),
            vetting_ref: rows
                .last()
                .map(|r| r.vetting_ref.clone())
                .unwrap_or_default(),
            employee_id: String::new(),
            scenario: "on_no_record",
            codes: vec![],
        });
    }
    (rows, truth)
}

/// The median of sorted `v`: the middle value, or the mean of the two middle values.
pub(crate) fn median(v: &[i64]) -> Option<f64> {
    let n = v.len();
    let mid = |i: usize| v.get(i).map(|x| *x as f64);
    match n {
        0 => None,
        _ if n % 2 == 1 => mid(n / 2),
        _ => Some((mid(n / 2 - 1)? + mid(n / 2)?) / 2.0),
    }
}
