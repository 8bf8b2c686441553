//! The vetting unit's own work for a generated force: the casework columns of every vetting
//! record, the three further protected characteristics, the applications that casework
//! scenarios add, a recruitment plan, and the true PENDING_TOO_LONG, RATIONALE_MISSING,
//! INTERVIEW_NOT_HELD and RENEWAL_NO_RESPONSE rows.
//!
//! Drawn from a stream of its own (seeded from the force's seed), after everything else, so
//! a force with casework has every record, identity, link and trigger of the same force
//! without it: its existing columns keep their values, and the records the scenarios add
//! come after the last one, under references numbered on from it. Those records belong to
//! active people in a post with no review-trigger event (a decision would close one), each
//! of whom holds exactly one record, so what the person's existing exception says does not
//! move either.
//!
//! Every case a scenario plans is listed in `truth/casework.csv` with its ages and the codes
//! it implies, and those codes go into `truth/exceptions.csv`. The codes follow from the
//! planned values by the contract (docs/output.md, "Exception codes") at the default
//! `[casework]` policy, never from vetrecon's rules. Values that no scenario plans are drawn
//! so that they can raise none of the four codes: refusals and withdrawals of the existing
//! scenarios carry no adverse information, an interview of an existing adverse grant is only
//! recorded as not held when its decision is well inside or well outside the lookback, and
//! only a scenario's application is a renewal at the first stage.

mod scenario;

use scenario::application;
pub use scenario::CaseScenario;

use super::copy;
use super::people::{GeneratedPost, Identity};
use super::triggers::TriggerFeeds;
use super::{Noise, Record, TruthException};
use crate::model::casework::CaseworkPolicy;
use chrono::{Datelike, Duration, Months, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The columns a generated force adds to vetting.csv, in order: the three further protected
/// characteristics, then the casework columns (`model::casework::COLUMNS`).
pub const PROTECTED_COLUMNS: [&str; 3] = [
    "gender_reassignment",
    "marriage_civil_partnership",
    "pregnancy_maternity",
];

/// Share of people with a clearance due for renewal (expiring within the reminder period or
/// expired) who have a renewal application open.
pub const RENEWAL_OPEN: f64 = 0.4;
/// Share of people holding a clearance below their post's level who have applied for it.
pub const UPGRADE_OPEN: f64 = 0.7;
/// Share of people comfortably cleared at RV with a decided MV application (refused,
/// withdrawn) of their own; and with a renewal opened early, outside the reminder period.
pub const MV_APPLICATION_DECIDED: f64 = 0.1;
pub const RENEWAL_EARLY: f64 = 0.03;
/// Share of records recording each of the three further protected characteristics.
const PROTECTED_RECORDED: f64 = 0.7;
/// Days kept between a planned decision date and the edge of the decision lookback, so that
/// how a day on the edge is read never decides a code.
const LOOKBACK_MARGIN: i64 = 45;

/// The casework columns of one vetting record as written; `None` is a blank cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseColumns {
    pub gender_reassignment: Option<&'static str>,
    pub marriage_civil_partnership: Option<&'static str>,
    pub pregnancy_maternity: Option<&'static str>,
    pub application_date: Option<NaiveDate>,
    pub case_type: Option<&'static str>,
    pub stage: Option<&'static str>,
    pub refusal_reason: Option<&'static str>,
    pub adverse_category: Option<&'static str>,
    pub interview_held: Option<bool>,
    pub appeal_status: Option<&'static str>,
    pub appeal_date: Option<NaiveDate>,
    pub appeal_outcome_date: Option<NaiveDate>,
    pub decision_maker: Option<String>,
}

/// One planned case: its scenario, its record (index into `Force::records`) and, for an
/// open application, its age in whole days on the as-of date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCase {
    pub scenario: CaseScenario,
    pub record: usize,
    pub age_days: Option<i64>,
}

/// One row of recruitment_plan.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    /// The first day of the month.
    pub month: NaiveDate,
    pub case_type: &'static str,
    pub expected: u32,
}

/// What the casework stream made: the planned cases, the recruitment plan and the true rows
/// of the four casework codes.
#[derive(Debug, Clone, Default)]
pub struct GeneratedCasework {
    pub cases: Vec<PlannedCase>,
    pub plan: Vec<PlanRow>,
    pub exceptions: Vec<TruthException>,
}

/// The coded lists of the default `[casework]` policy, as the columns write them (a test
/// holds them to the policy's own lists).
pub const CASE_TYPES: [&str; 6] = [
    "recruit",
    "renewal",
    "upgrade",
    "transferee",
    "contractor",
    "non_police",
];
pub const STAGES: [&str; 4] = ["received", "enquiries", "interview", "decision"];
pub const REFUSAL_REASONS: [&str; 7] = [
    "criminal_record",
    "associations",
    "financial",
    "honesty",
    "non_disclosure",
    "intelligence",
    "other",
];
pub const ADVERSE_CATEGORIES: [&str; 6] = [
    "criminal_record",
    "associations",
    "financial",
    "honesty",
    "intelligence",
    "other",
];

/// The refusal reason that names the same thing as an adverse category.
fn reason_for(category: &str) -> &'static str {
    REFUSAL_REASONS
        .iter()
        .copied()
        .find(|c| *c == category)
        .unwrap_or("other")
}

#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn pick<R: Rng>(rng: &mut R, from: &[&'static str]) -> &'static str {
    from[rng.random_range(0..from.len())]
}

/// The adverse categories split by whether the policy wants an interview for them.
struct Codes {
    interview: Vec<&'static str>,
    other_categories: Vec<&'static str>,
}

impl Codes {
    fn of(policy: &CaseworkPolicy) -> Codes {
        let (interview, other_categories) = ADVERSE_CATEGORIES
            .iter()
            .partition(|c| policy.needs_interview(c));
        Codes {
            interview,
            other_categories,
        }
    }
}

/// Everything the stream needs about the force and the policy.
struct Ctx<'a> {
    as_of: NaiveDate,
    policy: CaseworkPolicy,
    codes: Codes,
    people: &'a [Identity],
    posts: &'a [GeneratedPost],
    /// The first day of the decision lookback.
    lookback: NaiveDate,
    /// How many decision makers the unit has.
    makers: usize,
}

#[allow(
    clippy::indexing_slicing,
    reason = "positions in a constant list of four stages"
)]
impl Ctx<'_> {
    fn first_stage(&self) -> &'static str {
        STAGES[0]
    }

    /// A stage after the first but before the last (a case being worked on).
    fn working_stage<R: Rng>(&self, rng: &mut R) -> &'static str {
        pick(rng, &STAGES[1..STAGES.len() - 1])
    }

    fn last_stage(&self) -> &'static str {
        STAGES[STAGES.len() - 1]
    }

    fn limit(&self, case_type: &str) -> i64 {
        self.policy.pending_limit(Some(case_type))
    }

    fn days_ago(&self, days: i64) -> NaiveDate {
        self.as_of - Duration::days(days)
    }

    /// Days ago that fall well inside the decision lookback (and at least `at_least` ago).
    fn inside_lookback<R: Rng>(&self, rng: &mut R, at_least: i64) -> i64 {
        let last = (self.as_of - self.lookback).num_days() - LOOKBACK_MARGIN;
        rng.random_range(at_least..=last.max(at_least))
    }

    /// Days ago that fall well before the decision lookback.
    fn before_lookback<R: Rng>(&self, rng: &mut R) -> i64 {
        let first = (self.as_of - self.lookback).num_days() + LOOKBACK_MARGIN;
        rng.random_range(first..=first + 1200)
    }

    fn maker<R: Rng>(&self, rng: &mut R) -> String {
        format!("DM{:03}", rng.random_range(1..=self.makers))
    }

    fn designated(&self, person: usize) -> bool {
        self.people
            .get(person)
            .and_then(|p| p.post)
            .and_then(|i| self.posts.get(i))
            .is_some_and(|p| p.designated)
    }
}

/// The case type of a person's first application.
fn first_case_type(role: &str, level: &str) -> &'static str {
    match role {
        "contractor" => "contractor",
        "volunteer" => "non_police",
        _ if level.starts_with("NPPV") => "contractor",
        _ => "recruit",
    }
}

/// Draw the casework of the force: columns on every record, new applications appended to
/// `records`, the recruitment plan and the truth.
#[allow(clippy::too_many_arguments)]
pub fn generate(
    seed: u64,
    as_of: NaiveDate,
    noise: &Noise,
    nicknames: &[Vec<String>],
    people: &[Identity],
    posts: &[GeneratedPost],
    records: &mut Vec<Record>,
    feeds: &TriggerFeeds,
) -> GeneratedCasework {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6361_7365_776f_726b);
    let policy = CaseworkPolicy::default();
    let lookback = as_of
        .checked_sub_months(Months::new(policy.decision_lookback_months))
        .unwrap_or(as_of);
    let ctx = Ctx {
        as_of,
        codes: Codes::of(&policy),
        policy,
        people,
        posts,
        lookback,
        makers: (records.len() / 400).clamp(12, 200),
    };
    let mut out = GeneratedCasework::default();
    let owned = owned_by(people.len(), records);
    for ri in 0..records.len() {
        let case = existing(&mut rng, &ctx, records, &owned, ri, &mut out.cases);
        if let Some(r) = records.get_mut(ri) {
            r.case = Some(case);
        }
    }
    let added = applications(&mut rng, &ctx, noise, nicknames, records, &owned, feeds);
    let first_new = records.len();
    for (n, (mut r, scenario, age_days)) in added.into_iter().enumerate() {
        r.vetting_ref = format!("V{:08}", first_new + n + 1);
        out.cases.push(PlannedCase {
            scenario,
            record: records.len(),
            age_days,
        });
        records.push(r);
    }
    for r in records.iter_mut() {
        if let Some(c) = r.case.as_mut() {
            protected(&mut rng, c, r.female);
        }
    }
    out.plan = recruitment_plan(&mut rng, as_of, people.len());
    out.cases.sort_by_key(|c| c.record);
    out.exceptions = truth(&out.cases, records, people);
    out
}

/// Each person's records (indices into `records`).
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn owned_by(people: usize, records: &[Record]) -> Vec<Vec<usize>> {
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); people];
    for (ri, r) in records.iter().enumerate() {
        if let Some(o) = r.owner {
            owned[o].push(ri);
        }
    }
    owned
}

/// The applications the scenarios add, each with its scenario and age, in a shuffled order:
/// for active people in a post who hold exactly one record and have no review-trigger event
/// (a decision would close one).
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn applications(
    rng: &mut ChaCha8Rng,
    ctx: &Ctx<'_>,
    noise: &Noise,
    nicknames: &[Vec<String>],
    records: &[Record],
    owned: &[Vec<usize>],
    feeds: &TriggerFeeds,
) -> Vec<(Record, CaseScenario, Option<i64>)> {
    let people = ctx.people;
    let mut events = vec![false; people.len()];
    for o in (feeds.pnd.iter().filter_map(|r| r.owner))
        .chain(feeds.misconduct.iter().map(|e| e.owner))
        .chain(feeds.circumstances.iter().map(|e| e.owner))
    {
        events[o] = true;
    }
    let mut added = Vec::new();
    for (i, p) in people.iter().enumerate() {
        let [only] = owned[i].as_slice() else {
            continue;
        };
        if p.status != "active" || p.post.is_none() || events[i] {
            continue;
        }
        let Some((plan, case, scenario, age)) = application(rng, ctx, &records[*only], i) else {
            continue;
        };
        let stale = &people[rng.random_range(0..people.len())].employee_id;
        let id = copy::vetting_copy(rng, p, noise, nicknames, stale);
        let record = Record {
            vetting_ref: String::new(),
            owner: Some(i),
            id,
            plan,
            last_review: None,
            female: p.female,
            origin: p.origin,
            case: Some(case),
        };
        added.push((record, scenario, age));
    }
    added.shuffle(rng);
    added
}

/// The true rows of the planned cases: each scenario's codes on its record.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn truth(cases: &[PlannedCase], records: &[Record], people: &[Identity]) -> Vec<TruthException> {
    let mut out = Vec::new();
    for c in cases {
        let r = &records[c.record];
        for code in c.scenario.codes() {
            out.push(TruthException {
                code: code.to_string(),
                employee_id: r
                    .owner
                    .map(|o| people[o].employee_id.clone())
                    .unwrap_or_default(),
                vetting_ref: r.vetting_ref.clone(),
            });
        }
    }
    out.sort();
    out
}

/// The casework columns of an existing record, and the scenario it plays if any.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn existing(
    rng: &mut ChaCha8Rng,
    ctx: &Ctx<'_>,
    records: &[Record],
    owned: &[Vec<usize>],
    ri: usize,
    cases: &mut Vec<PlannedCase>,
) -> CaseColumns {
    let r = &records[ri];
    let plan = &r.plan;
    let person = r.owner.map(|o| &ctx.people[o]);
    let role = person.map_or("", |p| p.role);
    // The case type: a renewal of a level held before, an MV built on an RV, else the
    // person's first application.
    let earlier = |level: &str| {
        r.owner.is_some_and(|o| {
            owned[o].iter().any(|&j| {
                j != ri
                    && records[j].plan.level == level
                    && records[j].plan.decision.is_some()
                    && records[j].plan.decision < plan.decision.or(Some(NaiveDate::MAX))
            })
        })
    };
    let case_type = if earlier(plan.level) {
        "renewal"
    } else if plan.level == "MV" && earlier("RV") {
        "upgrade"
    } else if role == "officer" && rng.random_bool(0.05) {
        "transferee"
    } else {
        first_case_type(role, plan.level)
    };
    let mut c = CaseColumns {
        case_type: Some(case_type),
        ..CaseColumns::default()
    };
    match plan.decision {
        Some(decided) => {
            // One decided record in ten has no application date: an older case.
            c.application_date = (!rng.random_bool(0.1))
                .then(|| decided - Duration::days(rng.random_range(20..=150)));
            c.stage = Some(ctx.last_stage());
            c.decision_maker = Some(ctx.maker(rng));
            if plan.status == "refused" {
                c.refusal_reason = Some(pick(rng, &REFUSAL_REASONS));
                appeal(rng, ctx, &mut c, decided);
            }
        }
        None => {
            // An open application. One of someone active in a post, never granted, is a
            // planned case: over or within its type's limit. Others (people not active,
            // strangers, whose record a noisy copy may yet link to someone) stay within it.
            let limit = ctx.limit(case_type);
            let in_post = person.is_some_and(|p| p.status == "active" && p.post.is_some());
            let (age, scenario) = if in_post && rng.random_bool(0.5) {
                (over(rng, limit, 400), Some(CaseScenario::PendingOverLimit))
            } else if in_post {
                (
                    within(rng, 1, limit),
                    Some(CaseScenario::PendingWithinLimit),
                )
            } else {
                (within(rng, 1, limit), None)
            };
            c.application_date = Some(ctx.days_ago(age));
            c.stage = Some(if rng.random_bool(0.3) {
                ctx.first_stage()
            } else {
                ctx.working_stage(rng)
            });
            if let Some(scenario) = scenario {
                cases.push(PlannedCase {
                    scenario,
                    record: ri,
                    age_days: Some(age),
                });
            }
        }
    }
    if plan.adverse {
        existing_adverse(rng, ctx, r, ri, &mut c, cases);
    }
    c
}

/// The adverse category and interview of an existing adverse grant. Recorded as not held
/// only when the decision is well inside the lookback (a planned INTERVIEW_NOT_HELD) or well
/// before it, and only on a record that has an owner.
fn existing_adverse(
    rng: &mut ChaCha8Rng,
    ctx: &Ctx<'_>,
    r: &Record,
    ri: usize,
    c: &mut CaseColumns,
    cases: &mut Vec<PlannedCase>,
) {
    let category = pick(rng, &ADVERSE_CATEGORIES);
    c.adverse_category = Some(category);
    let held = match rng.random_range(0..10) {
        0..=3 => Some(true),
        4..=6 => Some(false),
        _ => None,
    };
    let decided = r.plan.decision;
    let inside = decided.is_some_and(|d| d >= ctx.lookback + Duration::days(LOOKBACK_MARGIN));
    let before = decided.is_some_and(|d| d <= ctx.lookback - Duration::days(LOOKBACK_MARGIN));
    let needs = ctx.codes.interview.contains(&category);
    let decision = matches!(r.plan.status, "granted" | "refused");
    let scenario = match held {
        _ if r.owner.is_none() || !decision => None,
        Some(false) if needs && inside => Some(CaseScenario::InterviewNotHeld),
        Some(false) if needs && before => Some(CaseScenario::InterviewBeforeLookback),
        Some(false) if !needs => Some(CaseScenario::InterviewNotNeeded),
        None if needs && inside => Some(CaseScenario::InterviewNotRecorded),
        _ => None,
    };
    // A "no" no scenario accounts for (a stranger's record, a decision near the edge of the
    // lookback) is written as held.
    c.interview_held = match (held, scenario) {
        (Some(false), None) => Some(true),
        (h, _) => h,
    };
    if let Some(scenario) = scenario {
        cases.push(PlannedCase {
            scenario,
            record: ri,
            age_days: None,
        });
    }
}

/// An age in days past `limit` (sometimes the first day past it), up to `spread` more.
fn over<R: Rng>(rng: &mut R, limit: i64, spread: i64) -> i64 {
    if rng.random_bool(0.1) {
        limit + 1
    } else {
        rng.random_range(limit + 1..=limit + spread)
    }
}

/// An age from `lo` to `hi` days (sometimes `hi` itself, the last day within a limit).
fn within<R: Rng>(rng: &mut R, lo: i64, hi: i64) -> i64 {
    if hi <= lo || rng.random_bool(0.1) {
        hi.max(lo)
    } else {
        rng.random_range(lo..=hi)
    }
}

/// An appeal against a refusal decided on `decided`: most are never made; the dates never
/// pass the as-of date.
fn appeal(rng: &mut ChaCha8Rng, ctx: &Ctx<'_>, c: &mut CaseColumns, decided: NaiveDate) {
    let status = match rng.random_range(0..20) {
        0..=13 => "none",
        14 => "lodged",
        15..=16 => "dismissed",
        17 => "upheld",
        _ => "withdrawn",
    };
    set_appeal(rng, ctx, c, decided, status, None);
}

/// Appeal `status` against a decision of `decided`, decided on `outcome` when given (upheld
/// or dismissed), else some weeks after it was lodged. A date that would pass the as-of date
/// leaves the appeal lodged, or not yet made.
fn set_appeal(
    rng: &mut ChaCha8Rng,
    ctx: &Ctx<'_>,
    c: &mut CaseColumns,
    decided: NaiveDate,
    status: &'static str,
    outcome: Option<NaiveDate>,
) {
    c.appeal_status = Some(status);
    if status == "none" {
        return;
    }
    let lodged = decided + Duration::days(rng.random_range(10..=40));
    if lodged > ctx.as_of {
        c.appeal_status = Some("none");
        return;
    }
    c.appeal_date = Some(lodged);
    if matches!(status, "upheld" | "dismissed") {
        let decided_on =
            outcome.unwrap_or_else(|| lodged + Duration::days(rng.random_range(30..=180)));
        if decided_on > ctx.as_of || decided_on < lodged {
            c.appeal_status = Some("lodged");
        } else {
            c.appeal_outcome_date = Some(decided_on);
        }
    }
}

/// The three further protected characteristics, each recorded on most records.
fn protected(rng: &mut ChaCha8Rng, c: &mut CaseColumns, female: bool) {
    c.gender_reassignment =
        rng.random_bool(PROTECTED_RECORDED)
            .then(|| match rng.random_range(0..100) {
                0 => "yes",
                1..=2 => "prefer not to say",
                _ => "no",
            });
    c.marriage_civil_partnership =
        rng.random_bool(PROTECTED_RECORDED)
            .then(|| match rng.random_range(0..100) {
                0..=44 => "married",
                45..=79 => "single",
                80..=83 => "civil partnership",
                84..=95 => "divorced",
                _ => "widowed",
            });
    c.pregnancy_maternity = rng.random_bool(PROTECTED_RECORDED).then(|| {
        if female && rng.random_bool(0.03) {
            "yes"
        } else {
            "no"
        }
    });
}

/// Twelve months of planned intake from the month after `as_of`: recruits (more in the
/// autumn intake), transferees and contractors, scaled to the force.
fn recruitment_plan(rng: &mut ChaCha8Rng, as_of: NaiveDate, people: usize) -> Vec<PlanRow> {
    let base = (people / 400).max(2) as u32;
    let first = NaiveDate::from_ymd_opt(as_of.year(), as_of.month(), 1).unwrap_or(as_of);
    let mut rows = Vec::new();
    for (case_type, per_month) in [
        ("recruit", base),
        ("transferee", (base / 6).max(1)),
        ("contractor", (base / 10).max(1)),
    ] {
        for k in 1..=12 {
            let Some(month) = first.checked_add_months(Months::new(k)) else {
                continue;
            };
            let autumn = month.month() == 9 && case_type == "recruit";
            let expected =
                per_month * if autumn { 3 } else { 1 } + rng.random_range(0..=per_month / 2);
            rows.push(PlanRow {
                month,
                case_type,
                expected,
            });
        }
    }
    rows
}
