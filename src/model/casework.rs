//! The vetting unit's own work on a record: the case behind it (type, stage, when it was
//! applied for), the refusal's reason, the adverse information's category and interview, the
//! appeal, and who decided. Read from optional columns of the vetting export; a record whose
//! export has none of them carries no casework at all, and every figure built on them says
//! it was not read instead of showing a zero.
//!
//! The coded lists (case types, stages, refusal reasons, adverse categories) and the limits
//! are the force's policy: `[casework]` in the config (`RawCasework`, validated into
//! `CaseworkPolicy`). They live with the model, as the level table does, because ingest
//! reads values against them and assess and analyse judge by them.

use super::coded::{fold, join};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where an appeal against a decision stands (`appeal_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AppealStatus {
    None,
    Lodged,
    Upheld,
    Dismissed,
    Withdrawn,
}

impl AppealStatus {
    pub const ALL: [AppealStatus; 5] = [
        AppealStatus::None,
        AppealStatus::Lodged,
        AppealStatus::Upheld,
        AppealStatus::Dismissed,
        AppealStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AppealStatus::None => "none",
            AppealStatus::Lodged => "lodged",
            AppealStatus::Upheld => "upheld",
            AppealStatus::Dismissed => "dismissed",
            AppealStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<AppealStatus> {
        let s = s.trim().to_ascii_lowercase();
        AppealStatus::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// An appeal was made (whatever became of it).
    pub fn lodged(self) -> bool {
        self != AppealStatus::None
    }

    /// The appeal has an outcome (upheld or dismissed): a decision in its own right.
    pub fn decided(self) -> bool {
        matches!(self, AppealStatus::Upheld | AppealStatus::Dismissed)
    }
}

/// The casework columns of one vetting record. Every field is `None` when its cell is blank
/// or its column absent: not recorded, never "no".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Casework {
    pub application_date: Option<NaiveDate>,
    /// One of `CaseworkPolicy::case_types`, as the policy spells it.
    pub case_type: Option<Arc<str>>,
    /// One of `CaseworkPolicy::stages`, as the policy spells it.
    pub stage: Option<Arc<str>>,
    /// One of `CaseworkPolicy::refusal_reasons`.
    pub refusal_reason: Option<Arc<str>>,
    /// One of `CaseworkPolicy::adverse_categories`.
    pub adverse_category: Option<Arc<str>>,
    pub interview_held: Option<bool>,
    pub appeal_status: Option<AppealStatus>,
    pub appeal_date: Option<NaiveDate>,
    pub appeal_outcome_date: Option<NaiveDate>,
    /// The decision maker's id in the vetting system: an id, never a name, and never logged.
    /// Shared: a force has hundreds of decision makers and hundreds of thousands of records.
    pub decision_maker: Option<Arc<str>>,
}

impl Casework {
    /// Nothing recorded at all (the record then carries no casework).
    pub fn is_empty(&self) -> bool {
        *self == Casework::default()
    }

    /// How many whole days the application has been open on `as_of` (None without an
    /// application date; never negative).
    pub fn age_days(&self, as_of: NaiveDate) -> Option<i64> {
        self.application_date.map(|d| (as_of - d).num_days().max(0))
    }
}

/// The case types the codes and figures read by name (`casework.case_types` must list them).
pub const NAMED_TYPES: [&str; 3] = ["recruit", "renewal", "upgrade"];

/// The vetting export's casework columns, in the order docs/input.md lists them.
pub const COLUMNS: [&str; 10] = [
    "application_date",
    "case_type",
    "stage",
    "refusal_reason",
    "adverse_category",
    "interview_held",
    "appeal_status",
    "appeal_date",
    "appeal_outcome_date",
    "decision_maker",
];

/// One row of the optional recruitment plan: the intake the force expects in a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedIntake {
    /// The first day of the month planned.
    pub month: NaiveDate,
    pub case_type: Arc<str>,
    pub expected: u32,
    pub line: u64,
}

/// A night's open cases (pending records), as the run record keeps them for the backlog
/// trend: a night whose export carried no casework columns keeps none, so a later page says
/// it has no history for that night, never a zero.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct OpenCases {
    pub total: usize,
    /// Open cases per case type as the policy spells it (`(not recorded)` for a blank);
    /// absent when the export had no case_type column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_case_type: Option<BTreeMap<String, usize>>,
}

/// The `[casework]` section of the config exactly as written.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawCasework {
    pub case_types: Vec<String>,
    pub stages: Vec<String>,
    pub refusal_reasons: Vec<String>,
    pub adverse_categories: Vec<String>,
    /// Adverse categories that need an interview before a decision (INTERVIEW_NOT_HELD).
    pub interview_categories: Vec<String>,
    /// Days an application may stay open, by case type (PENDING_TOO_LONG).
    pub pending_limit_days: BTreeMap<String, i64>,
    /// The limit for an application whose case type is not recorded.
    pub pending_limit_default_days: i64,
    /// Days an application with adverse information may wait undecided while its person
    /// holds a designated post (PENDING_TOO_LONG, adverse reason).
    pub adverse_undecided_days: i64,
    /// A renewal of a clearance expiring within this many days is watched for a response.
    pub renewal_reminder_days: i64,
    /// Days a renewal may stay at the first stage before RENEWAL_NO_RESPONSE.
    pub renewal_no_response_days: i64,
    /// RATIONALE_MISSING and INTERVIEW_NOT_HELD look at decisions made within this many
    /// months (older files are the QA sample's, not tonight's worklist).
    pub decision_lookback_months: u32,
    /// Hours of the unit's work one case takes, by case type (the demand model).
    pub hours_per_case: BTreeMap<String, f64>,
    /// Hours one full-time member of staff gives to casework in a year.
    pub hours_per_fte_year: f64,
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl Default for RawCasework {
    fn default() -> Self {
        let types = [
            "recruit",
            "renewal",
            "upgrade",
            "transferee",
            "contractor",
            "non_police",
        ];
        let days = [90, 60, 90, 60, 60, 90];
        let hours = [6.0, 3.0, 8.0, 4.0, 4.0, 3.0];
        RawCasework {
            case_types: strings(&types),
            stages: strings(&["received", "enquiries", "interview", "decision"]),
            refusal_reasons: strings(&[
                "criminal_record",
                "associations",
                "financial",
                "honesty",
                "non_disclosure",
                "intelligence",
                "other",
            ]),
            adverse_categories: strings(&[
                "criminal_record",
                "associations",
                "financial",
                "honesty",
                "intelligence",
                "other",
            ]),
            interview_categories: strings(&["criminal_record", "associations", "honesty"]),
            pending_limit_days: types.iter().map(|t| t.to_string()).zip(days).collect(),
            pending_limit_default_days: 90,
            adverse_undecided_days: 60,
            renewal_reminder_days: 180,
            renewal_no_response_days: 28,
            decision_lookback_months: 24,
            hours_per_case: types.iter().map(|t| t.to_string()).zip(hours).collect(),
            hours_per_fte_year: 1650.0,
        }
    }
}

/// The validated casework policy.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseworkPolicy {
    pub case_types: Vec<Arc<str>>,
    pub stages: Vec<Arc<str>>,
    pub refusal_reasons: Vec<Arc<str>>,
    pub adverse_categories: Vec<Arc<str>>,
    pub interview_categories: Vec<Arc<str>>,
    pub pending_limit_days: BTreeMap<Arc<str>, i64>,
    pub pending_limit_default_days: i64,
    pub adverse_undecided_days: i64,
    pub renewal_reminder_days: i64,
    pub renewal_no_response_days: i64,
    pub decision_lookback_months: u32,
    pub hours_per_case: BTreeMap<Arc<str>, f64>,
    pub hours_per_fte_year: f64,
}

impl Default for CaseworkPolicy {
    fn default() -> Self {
        CaseworkPolicy::build(&RawCasework::default())
            .unwrap_or_else(|e| unreachable!("the built-in [casework] defaults are valid: {e}"))
    }
}

/// A coded list of `[casework]` (`coded::list`).
fn codes(key: &str, v: &[String]) -> Result<Vec<Arc<str>>, String> {
    super::coded::list("casework", key, v)
}

fn days(key: &str, v: i64) -> Result<i64, String> {
    if !(1..=3660).contains(&v) {
        return Err(format!(
            "casework.{key} is {v}; it must be between 1 and 3660"
        ));
    }
    Ok(v)
}

/// A map keyed by case type: every key one of `types`.
fn by_type<T: Copy>(
    key: &str,
    m: &BTreeMap<String, T>,
    types: &[Arc<str>],
    check: impl Fn(&str, T) -> Result<T, String>,
) -> Result<BTreeMap<Arc<str>, T>, String> {
    let mut out = BTreeMap::new();
    for (k, v) in m {
        let k = fold(k);
        let Some(t) = types.iter().find(|t| ***t == *k) else {
            return Err(format!(
                "casework.{key}: `{k}` is not one of casework.case_types ({})",
                join(types)
            ));
        };
        out.insert(t.clone(), check(&format!("{key}.{k}"), *v)?);
    }
    Ok(out)
}

impl CaseworkPolicy {
    pub fn build(raw: &RawCasework) -> Result<CaseworkPolicy, String> {
        let case_types = codes("case_types", &raw.case_types)?;
        // The codes and figures read these three types by name: a list without one would
        // switch RENEWAL_NO_RESPONSE, a renewal under way or the recruit band off unseen.
        for needed in NAMED_TYPES {
            if !case_types.iter().any(|t| **t == *needed) {
                return Err(format!(
                    "casework.case_types must include `{needed}` (renewals, upgrades and recruits are read by these names)"
                ));
            }
        }
        let adverse_categories = codes("adverse_categories", &raw.adverse_categories)?;
        let mut interview_categories = Vec::new();
        for c in &raw.interview_categories {
            let c = fold(c);
            match adverse_categories.iter().find(|a| ***a == *c) {
                Some(a) => interview_categories.push(a.clone()),
                None => {
                    return Err(format!(
                        "casework.interview_categories: `{c}` is not one of casework.adverse_categories ({})",
                        join(&adverse_categories)
                    ))
                }
            }
        }
        let hours = |k: &str, h: f64| {
            if h.is_finite() && (0.0..=1000.0).contains(&h) {
                Ok(h)
            } else {
                Err(format!(
                    "casework.{k} is {h}; it must be between 0 and 1000 hours"
                ))
            }
        };
        if !(raw.hours_per_fte_year.is_finite()
            && (100.0..=3000.0).contains(&raw.hours_per_fte_year))
        {
            return Err(format!(
                "casework.hours_per_fte_year is {}; it must be between 100 and 3000",
                raw.hours_per_fte_year
            ));
        }
        Ok(CaseworkPolicy {
            stages: codes("stages", &raw.stages)?,
            refusal_reasons: codes("refusal_reasons", &raw.refusal_reasons)?,
            pending_limit_days: by_type(
                "pending_limit_days",
                &raw.pending_limit_days,
                &case_types,
                days,
            )?,
            hours_per_case: by_type("hours_per_case", &raw.hours_per_case, &case_types, hours)?,
            pending_limit_default_days: days(
                "pending_limit_default_days",
                raw.pending_limit_default_days,
            )?,
            adverse_undecided_days: days("adverse_undecided_days", raw.adverse_undecided_days)?,
            renewal_reminder_days: days("renewal_reminder_days", raw.renewal_reminder_days)?,
            renewal_no_response_days: days(
                "renewal_no_response_days",
                raw.renewal_no_response_days,
            )?,
            hours_per_fte_year: raw.hours_per_fte_year,
            decision_lookback_months: if (1..=120).contains(&raw.decision_lookback_months) {
                raw.decision_lookback_months
            } else {
                return Err(format!(
                    "casework.decision_lookback_months is {}; it must be between 1 and 120",
                    raw.decision_lookback_months
                ));
            },
            case_types,
            adverse_categories,
            interview_categories,
        })
    }

    /// The policy's own spelling of `value` from coded list `list`, or the reject reason.
    pub fn code_in<'a>(
        list: &'a [Arc<str>],
        column: &str,
        value: &str,
    ) -> Result<&'a Arc<str>, String> {
        super::coded::find(list, value).ok_or_else(|| {
            format!(
                "{column} is not one of the codes the config lists (casework: {})",
                join(list)
            )
        })
    }

    /// Days an application of `case_type` may stay open.
    pub fn pending_limit(&self, case_type: Option<&str>) -> i64 {
        case_type
            .and_then(|t| self.pending_limit_days.get(t))
            .copied()
            .unwrap_or(self.pending_limit_default_days)
    }

    /// The first stage of the list: a case still there has not started.
    pub fn first_stage(&self) -> Option<&Arc<str>> {
        self.stages.first()
    }

    /// Whether the category needs an interview before a decision.
    pub fn needs_interview(&self, category: &str) -> bool {
        self.interview_categories.iter().any(|c| **c == *category)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_casework_policy_is_valid_and_reads_codes_in_any_case() {
        let p = CaseworkPolicy::default();
        assert_eq!(p.pending_limit(Some("renewal")), 60);
        assert_eq!(p.pending_limit(None), 90);
        assert_eq!(
            &**CaseworkPolicy::code_in(&p.case_types, "case_type", " Non-Police ").unwrap(),
            "non_police"
        );
        assert!(CaseworkPolicy::code_in(&p.stages, "stage", "state").is_err());
        assert!(p.needs_interview("honesty"));
        assert!(!p.needs_interview("financial"));
    }

    #[test]
    fn a_casework_policy_that_names_an_unknown_type_or_category_is_refused() {
        let mut raw = RawCasework::default();
        raw.pending_limit_days.insert("recruits".into(), 30);
        let e = CaseworkPolicy::build(&raw).unwrap_err();
        assert!(e.contains("casework.pending_limit_days: `recruits`"), "{e}");
        let mut raw = RawCasework::default();
        raw.case_types.retain(|t| t != "renewal");
        raw.pending_limit_days.remove("renewal");
        raw.hours_per_case.remove("renewal");
        let e = CaseworkPolicy::build(&raw).unwrap_err();
        assert!(
            e.contains("casework.case_types must include `renewal`"),
            "{e}"
        );
        let mut raw = RawCasework::default();
        raw.interview_categories.push("gossip".into());
        assert!(CaseworkPolicy::build(&raw).is_err());
        let mut raw = RawCasework::default();
        raw.case_types.push("Non-Police Staff".into());
        let p = CaseworkPolicy::build(&raw).unwrap();
        assert_eq!(
            &**CaseworkPolicy::code_in(&p.case_types, "case_type", "non police staff").unwrap(),
            "non_police_staff"
        );
        let mut raw = RawCasework::default();
        raw.stages.push("Received".into());
        let e = CaseworkPolicy::build(&raw).unwrap_err();
        assert!(e.contains("twice"), "{e}");
        let raw = RawCasework {
            renewal_no_response_days: 0,
            ..Default::default()
        };
        assert!(CaseworkPolicy::build(&raw).is_err());
    }

    #[test]
    fn appeal_status_reads_its_five_words_and_nothing_else() {
        for a in AppealStatus::ALL {
            assert_eq!(AppealStatus::parse(&a.as_str().to_uppercase()), Some(a));
        }
        assert_eq!(AppealStatus::parse("pending"), None);
        assert!(AppealStatus::Upheld.decided() && !AppealStatus::Lodged.decided());
        assert!(!AppealStatus::None.lodged());
    }
}
