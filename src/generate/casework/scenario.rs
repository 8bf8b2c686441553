//! The casework scenarios: what each planned case is and the codes the contract makes of it,
//! and the applications the scenarios add for people who hold one record (renewals,
//! upgrades, decided MV applications). The values each scenario draws are the ones its
//! variant's doc says; `generate/tests.rs` holds them to that.

use super::{
    appeal, over, pick, reason_for, set_appeal, within, CaseColumns, Ctx, ADVERSE_CATEGORIES,
};
use super::{MV_APPLICATION_DECIDED, RENEWAL_EARLY, RENEWAL_OPEN, UPGRADE_OPEN};
use crate::generate::scenario::Plan;
use crate::generate::Record;
use chrono::Duration;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A planned casework situation, and what the contract makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CaseScenario {
    /// An existing pending application of someone never granted, open longer than its case
    /// type's limit: PENDING_TOO_LONG.
    PendingOverLimit,
    /// The same, open no longer than the limit (the limit itself included): nothing.
    PendingWithinLimit,
    /// An upgrade to the level a post needs, open longer than the upgrade limit.
    UpgradeOverLimit,
    /// An upgrade open no longer than `adverse_undecided_days`: nothing.
    UpgradeWithinLimit,
    /// An upgrade with adverse information for a designated post, open longer than
    /// `adverse_undecided_days` but within the upgrade limit: PENDING_TOO_LONG (adverse).
    AdverseUndecidedDesignated,
    /// The same for a post that is not designated: nothing.
    AdverseUndecidedOrdinary,
    /// A renewal of a clearance due for renewal, opened no more than
    /// `renewal_no_response_days` ago and still at the first stage: nothing.
    RenewalJustOpened,
    /// A renewal past the first stage, within the renewal limit: nothing (the clearance's
    /// EXPIRING_SOON or EXPIRED stays, with a renewal in progress).
    RenewalInProgress,
    /// A renewal at the first stage past `renewal_no_response_days`, within the renewal
    /// limit: RENEWAL_NO_RESPONSE.
    RenewalNoResponse,
    /// A renewal at the first stage past the renewal limit: RENEWAL_NO_RESPONSE and
    /// PENDING_TOO_LONG.
    RenewalStuck,
    /// A renewal past the first stage and past the renewal limit: PENDING_TOO_LONG.
    RenewalSlow,
    /// A renewal at the first stage past `renewal_no_response_days` for a clearance that is
    /// not due (it expires after the reminder period): nothing.
    RenewalEarly,
    /// A refusal in the lookback with adverse information and no rationale:
    /// RATIONALE_MISSING.
    RefusedNoRationale,
    /// A withdrawal in the lookback with adverse information and no rationale:
    /// RATIONALE_MISSING.
    WithdrawnNoRationale,
    /// A refusal before the lookback, with adverse information and no rationale, whose
    /// appeal was decided in it: RATIONALE_MISSING.
    AppealDecidedNoRationale,
    /// A refusal before the lookback with adverse information and no rationale, its appeal
    /// not decided: nothing.
    OldRefusalNoRationale,
    /// A refusal in the lookback with adverse information and a rationale: nothing.
    RefusedWithRationale,
    /// A refusal in the lookback with no adverse information: nothing.
    RefusedNoAdverse,
    /// A decision (a refusal added here, or an existing adverse grant) in the lookback on
    /// adverse information of an interview category, interview_held no: INTERVIEW_NOT_HELD.
    InterviewNotHeld,
    /// The same with interview_held blank: nothing (counted as not recorded).
    InterviewNotRecorded,
    /// The same with interview_held no but a category needing no interview: nothing.
    InterviewNotNeeded,
    /// An adverse grant of an interview category decided before the lookback, interview_held
    /// no: nothing.
    InterviewBeforeLookback,
}

impl CaseScenario {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseScenario::PendingOverLimit => "pending_over_limit",
            CaseScenario::PendingWithinLimit => "pending_within_limit",
            CaseScenario::UpgradeOverLimit => "upgrade_over_limit",
            CaseScenario::UpgradeWithinLimit => "upgrade_within_limit",
            CaseScenario::AdverseUndecidedDesignated => "adverse_undecided_designated",
            CaseScenario::AdverseUndecidedOrdinary => "adverse_undecided_ordinary",
            CaseScenario::RenewalJustOpened => "renewal_just_opened",
            CaseScenario::RenewalInProgress => "renewal_in_progress",
            CaseScenario::RenewalNoResponse => "renewal_no_response",
            CaseScenario::RenewalStuck => "renewal_stuck",
            CaseScenario::RenewalSlow => "renewal_slow",
            CaseScenario::RenewalEarly => "renewal_early",
            CaseScenario::RefusedNoRationale => "refused_no_rationale",
            CaseScenario::WithdrawnNoRationale => "withdrawn_no_rationale",
            CaseScenario::AppealDecidedNoRationale => "appeal_decided_no_rationale",
            CaseScenario::OldRefusalNoRationale => "old_refusal_no_rationale",
            CaseScenario::RefusedWithRationale => "refused_with_rationale",
            CaseScenario::RefusedNoAdverse => "refused_no_adverse",
            CaseScenario::InterviewNotHeld => "interview_not_held",
            CaseScenario::InterviewNotRecorded => "interview_not_recorded",
            CaseScenario::InterviewNotNeeded => "interview_not_needed",
            CaseScenario::InterviewBeforeLookback => "interview_before_lookback",
        }
    }

    /// The codes the contract raises on the scenario's record.
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            CaseScenario::PendingOverLimit
            | CaseScenario::UpgradeOverLimit
            | CaseScenario::AdverseUndecidedDesignated
            | CaseScenario::RenewalSlow => &["PENDING_TOO_LONG"],
            CaseScenario::RenewalNoResponse => &["RENEWAL_NO_RESPONSE"],
            CaseScenario::RenewalStuck => &["PENDING_TOO_LONG", "RENEWAL_NO_RESPONSE"],
            CaseScenario::RefusedNoRationale
            | CaseScenario::WithdrawnNoRationale
            | CaseScenario::AppealDecidedNoRationale => &["RATIONALE_MISSING"],
            CaseScenario::InterviewNotHeld => &["INTERVIEW_NOT_HELD"],
            CaseScenario::PendingWithinLimit
            | CaseScenario::UpgradeWithinLimit
            | CaseScenario::AdverseUndecidedOrdinary
            | CaseScenario::RenewalJustOpened
            | CaseScenario::RenewalInProgress
            | CaseScenario::RenewalEarly
            | CaseScenario::OldRefusalNoRationale
            | CaseScenario::RefusedWithRationale
            | CaseScenario::RefusedNoAdverse
            | CaseScenario::InterviewNotRecorded
            | CaseScenario::InterviewNotNeeded
            | CaseScenario::InterviewBeforeLookback => &[],
        }
    }
}

/// A new application for person `i`, whose one record is `held`: a renewal when the
/// clearance is due, an upgrade when it is below the post's level, a decided MV application
/// or an early renewal for some comfortably cleared at RV.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub(super) fn application(
    rng: &mut ChaCha8Rng,
    ctx: &Ctx<'_>,
    held: &Record,
    i: usize,
) -> Option<(
    crate::generate::scenario::Plan,
    CaseColumns,
    CaseScenario,
    Option<i64>,
)> {
    let p = &ctx.people[i];
    let required = crate::generate::scenario::requirement(p, ctx.posts);
    let h = &held.plan;
    let expiry = h.expiry?;
    let due = (expiry - ctx.as_of).num_days() <= ctx.policy.renewal_reminder_days;
    let comfortable = (expiry - ctx.as_of).num_days() > ctx.policy.renewal_reminder_days + 15;
    let granted = h.status == "granted";
    let open = |level: &'static str| Plan {
        level,
        status: "pending",
        decision: None,
        expiry: None,
        adverse: false,
        rationale: false,
        mitigation: false,
    };
    if matches!(h.status, "granted" | "lapsed") && due && h.level == required {
        if !rng.random_bool(RENEWAL_OPEN) {
            return None;
        }
        let (scenario, age, stage) = renewal(rng, ctx);
        let c = CaseColumns {
            application_date: Some(ctx.days_ago(age)),
            case_type: Some("renewal"),
            stage: Some(stage),
            ..CaseColumns::default()
        };
        return Some((open(h.level), c, scenario, Some(age)));
    }
    if granted
        && !h.adverse
        && comfortable
        && h.level != required
        && crate::generate::scenario::below(required) == Some(h.level)
    {
        if !rng.random_bool(UPGRADE_OPEN) {
            return None;
        }
        let (plan, c, scenario, age) = upgrade(rng, ctx, required, ctx.designated(i));
        return Some((plan, c, scenario, Some(age)));
    }
    if granted && !h.adverse && comfortable && h.level == "RV" && required == "RV" {
        let u: f64 = rng.random();
        if u < MV_APPLICATION_DECIDED {
            let (plan, c, scenario) = decided_mv(rng, ctx);
            return Some((plan, c, scenario, None));
        }
        if u < MV_APPLICATION_DECIDED + RENEWAL_EARLY {
            let limit = ctx.limit("renewal");
            let age = within(rng, ctx.policy.renewal_no_response_days + 1, limit);
            let c = CaseColumns {
                application_date: Some(ctx.days_ago(age)),
                case_type: Some("renewal"),
                stage: Some(ctx.first_stage()),
                ..CaseColumns::default()
            };
            return Some((open("RV"), c, CaseScenario::RenewalEarly, Some(age)));
        }
    }
    None
}

/// A renewal's scenario, age and stage.
fn renewal(rng: &mut ChaCha8Rng, ctx: &Ctx<'_>) -> (CaseScenario, i64, &'static str) {
    let quiet = ctx.policy.renewal_no_response_days;
    let limit = ctx.limit("renewal");
    let first = ctx.first_stage();
    match rng.random_range(0..5) {
        0 => (
            CaseScenario::RenewalJustOpened,
            within(rng, 1, quiet),
            first,
        ),
        1 => (
            CaseScenario::RenewalInProgress,
            within(rng, 1, limit),
            ctx.working_stage(rng),
        ),
        2 => (
            CaseScenario::RenewalNoResponse,
            if rng.random_bool(0.15) {
                quiet + 1
            } else {
                within(rng, quiet + 1, limit)
            },
            first,
        ),
        3 => (CaseScenario::RenewalStuck, over(rng, limit, 200), first),
        _ => (
            CaseScenario::RenewalSlow,
            over(rng, limit, 200),
            ctx.working_stage(rng),
        ),
    }
}

/// An application for the level a post needs, from a level below it.
fn upgrade(
    rng: &mut ChaCha8Rng,
    ctx: &Ctx<'_>,
    level: &'static str,
    designated: bool,
) -> (Plan, CaseColumns, CaseScenario, i64) {
    let limit = ctx.limit("upgrade");
    let adverse_days = ctx.policy.adverse_undecided_days;
    let adverse = rng.random_bool(0.6);
    let (scenario, age) = match rng.random_range(0..3) {
        0 if adverse && adverse_days < limit => (
            if designated {
                CaseScenario::AdverseUndecidedDesignated
            } else {
                CaseScenario::AdverseUndecidedOrdinary
            },
            within(rng, adverse_days + 1, limit),
        ),
        1 => (CaseScenario::UpgradeOverLimit, over(rng, limit, 300)),
        _ => (
            CaseScenario::UpgradeWithinLimit,
            within(rng, 1, adverse_days.min(limit)),
        ),
    };
    let plan = Plan {
        level,
        status: "pending",
        decision: None,
        expiry: None,
        adverse,
        rationale: false,
        mitigation: false,
    };
    let c = CaseColumns {
        application_date: Some(ctx.days_ago(age)),
        case_type: Some("upgrade"),
        stage: Some(ctx.working_stage(rng)),
        adverse_category: adverse.then(|| pick(rng, &ADVERSE_CATEGORIES)),
        ..CaseColumns::default()
    };
    (plan, c, scenario, age)
}

/// A decided MV application of someone cleared at RV: refused or withdrawn, with or without
/// adverse information, a rationale, an interview and an appeal, as its scenario says.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn decided_mv(rng: &mut ChaCha8Rng, ctx: &Ctx<'_>) -> (Plan, CaseColumns, CaseScenario) {
    let scenario = [
        CaseScenario::RefusedNoRationale,
        CaseScenario::WithdrawnNoRationale,
        CaseScenario::AppealDecidedNoRationale,
        CaseScenario::OldRefusalNoRationale,
        CaseScenario::RefusedWithRationale,
        CaseScenario::RefusedNoAdverse,
        CaseScenario::InterviewNotHeld,
        CaseScenario::InterviewNotRecorded,
        CaseScenario::InterviewNotNeeded,
    ][rng.random_range(0..9)];
    let old = matches!(
        scenario,
        CaseScenario::AppealDecidedNoRationale | CaseScenario::OldRefusalNoRationale
    );
    let days = if old {
        ctx.before_lookback(rng)
    } else {
        ctx.inside_lookback(rng, 30)
    };
    let decided = ctx.days_ago(days);
    let withdrawn = scenario == CaseScenario::WithdrawnNoRationale;
    let adverse = scenario != CaseScenario::RefusedNoAdverse;
    let rationale = matches!(
        scenario,
        CaseScenario::RefusedWithRationale
            | CaseScenario::InterviewNotHeld
            | CaseScenario::InterviewNotRecorded
            | CaseScenario::InterviewNotNeeded
    );
    let category = match scenario {
        CaseScenario::InterviewNotHeld | CaseScenario::InterviewNotRecorded => {
            pick(rng, &ctx.codes.interview)
        }
        CaseScenario::InterviewNotNeeded => pick(rng, &ctx.codes.other_categories),
        _ => pick(rng, &ADVERSE_CATEGORIES),
    };
    // Only the interview scenarios record an interview not held; the others hold one or
    // leave it unrecorded.
    let interview = match scenario {
        CaseScenario::InterviewNotHeld | CaseScenario::InterviewNotNeeded => Some(false),
        CaseScenario::InterviewNotRecorded => None,
        _ => rng.random_bool(0.7).then_some(true),
    };
    let mut c = CaseColumns {
        application_date: Some(decided - Duration::days(rng.random_range(20..=150))),
        case_type: Some("upgrade"),
        stage: Some(ctx.last_stage()),
        refusal_reason: (!withdrawn).then(|| {
            if adverse {
                reason_for(category)
            } else {
                reason_for("non_disclosure")
            }
        }),
        adverse_category: adverse.then_some(category),
        interview_held: if adverse { interview } else { None },
        decision_maker: Some(ctx.maker(rng)),
        ..CaseColumns::default()
    };
    match scenario {
        CaseScenario::AppealDecidedNoRationale => {
            let on = ctx.days_ago(ctx.inside_lookback(rng, 10));
            let status = if rng.random_bool(0.5) {
                "upheld"
            } else {
                "dismissed"
            };
            set_appeal(rng, ctx, &mut c, decided, status, Some(on));
            // The appeal must be decided in the lookback, or the scenario says nothing.
            if c.appeal_outcome_date.is_none() {
                c.appeal_date = Some(decided + Duration::days(10));
                c.appeal_status = Some(status);
                c.appeal_outcome_date = Some(on);
            }
        }
        CaseScenario::OldRefusalNoRationale => {
            let status = pick(rng, &["none", "lodged", "withdrawn"]);
            set_appeal(rng, ctx, &mut c, decided, status, None);
        }
        _ if !withdrawn => appeal(rng, ctx, &mut c, decided),
        _ => {}
    }
    let plan = Plan {
        level: "MV",
        status: if withdrawn { "withdrawn" } else { "refused" },
        decision: Some(decided),
        expiry: None,
        adverse,
        rationale,
        mitigation: false,
    };
    (plan, c, scenario)
}
