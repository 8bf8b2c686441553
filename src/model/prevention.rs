//! Prevention: what stops a gap opening rather than finding it once it has. HR's future
//! postings (`postings.csv`), the risk-mitigation conditions attached to a clearance
//! (`conditions.csv`), and the actions a joiner, a move or a leaver calls for.
//!
//! The coded lists (condition types, owning units) and the periods (how far ahead postings
//! are checked, when each joiners-movers-leavers action falls due) are the force's policy:
//! `[prevention]` in the config (`RawPrevention`, validated into `PreventionPolicy`). They live
//! with the model, as the casework lists do, because ingest reads values against them and
//! assess and analyse judge by them.

pub use super::coded::fold;
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One future posting from HR (`postings.csv`): someone due to start in a post.
#[derive(Debug, Clone, PartialEq)]
pub struct Posting {
    pub posting_ref: String,
    /// The person's HR id: on the roster for a mover, not yet for a joiner.
    pub employee_id: String,
    pub post_id: String,
    pub start_date: NaiveDate,
    pub line: u64,
}

/// What a posting restriction keeps its person out of (`conditions.csv` `restricts`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Restricts {
    /// Posts the register marks `vulnerable_contact`.
    VulnerableContact,
    /// Designated posts.
    Designated,
    /// Every post of one department (as the register names it, compared without regard to
    /// case or surrounding spaces).
    Department(String),
}

impl Restricts {
    /// `vulnerable_contact`, `designated`, or any other text as a department's name.
    pub fn parse(s: &str) -> Option<Restricts> {
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        Some(match fold(t).as_str() {
            "vulnerable_contact" => Restricts::VulnerableContact,
            "designated" => Restricts::Designated,
            _ => Restricts::Department(t.to_string()),
        })
    }

    /// Does the restriction cover `post`?
    pub fn covers(&self, post: &super::Post) -> bool {
        match self {
            Restricts::VulnerableContact => post.vulnerable_contact,
            Restricts::Designated => post.designated,
            Restricts::Department(d) => post.department.trim().eq_ignore_ascii_case(d.trim()),
        }
    }

    /// As the outputs write it: `vulnerable_contact`, `designated`, or the department.
    pub fn as_text(&self) -> &str {
        match self {
            Restricts::VulnerableContact => "vulnerable_contact",
            Restricts::Designated => "designated",
            Restricts::Department(d) => d,
        }
    }
}

/// A length of time a condition is reviewed at (`review_every`): months, or days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReviewPeriod {
    Months(u32),
    Days(u32),
}

/// The longest review period: ten years. Beyond it a condition is never reviewed.
const LONGEST_PERIOD_DAYS: u32 = 3660;

impl ReviewPeriod {
    /// `6 months`, `6m`, `1 year`, `1y`, `2 weeks`, `90 days`, `90d`, or ISO 8601 `P6M`,
    /// `P1Y`, `P2W`, `P90D`; at least a day, at most ten years. `None` for anything else.
    pub fn parse(s: &str) -> Option<ReviewPeriod> {
        let t = s.trim().to_ascii_lowercase();
        let t = t.strip_prefix('p').unwrap_or(&t);
        let split = t.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = t.split_at(split);
        let n: u32 = n.parse().ok()?;
        let p = match unit.trim() {
            "d" | "day" | "days" => ReviewPeriod::Days(n),
            "w" | "week" | "weeks" => ReviewPeriod::Days(n.checked_mul(7)?),
            "m" | "month" | "months" => ReviewPeriod::Months(n),
            "y" | "year" | "years" => ReviewPeriod::Months(n.checked_mul(12)?),
            _ => return None,
        };
        let fits = match p {
            ReviewPeriod::Days(d) => d <= LONGEST_PERIOD_DAYS,
            ReviewPeriod::Months(m) => m <= 120,
        };
        (n > 0 && fits).then_some(p)
    }

    /// The date one period after `d` (a month after 31 January is the last day of
    /// February); `None` past the calendar's end.
    pub fn after(self, d: NaiveDate) -> Option<NaiveDate> {
        match self {
            ReviewPeriod::Months(m) => d.checked_add_months(Months::new(m)),
            ReviewPeriod::Days(n) => d.checked_add_days(Days::new(u64::from(n))),
        }
    }

    /// As the outputs write it: `6 months`, `90 days`.
    pub fn as_text(self) -> String {
        match self {
            ReviewPeriod::Months(1) => "1 month".into(),
            ReviewPeriod::Months(m) if m % 12 == 0 && m >= 12 => match m / 12 {
                1 => "1 year".into(),
                y => format!("{y} years"),
            },
            ReviewPeriod::Months(m) => format!("{m} months"),
            ReviewPeriod::Days(1) => "1 day".into(),
            ReviewPeriod::Days(d) => format!("{d} days"),
        }
    }
}

/// One risk-mitigation condition on a clearance (`conditions.csv`). It follows its vetting
/// record's link to a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub condition_ref: String,
    pub vetting_ref: String,
    /// One of `prevention.condition_types` (folded: lower case, underscores).
    pub kind: Arc<str>,
    /// One of `prevention.owner_units`; `None` when the feed names no owner.
    pub owner_unit: Option<Arc<str>>,
    /// How often the condition is reviewed; `None` when the feed gives no period.
    pub review_every: Option<ReviewPeriod>,
    /// When it was last checked; `None` when never recorded.
    pub last_checked: Option<NaiveDate>,
    /// What a posting restriction keeps its person out of (required for the type
    /// `POSTING_RESTRICTION`, optional for the others).
    pub restricts: Option<Restricts>,
    pub line: u64,
}

/// The condition type that restricts postings: its rows must say what they restrict.
pub const POSTING_RESTRICTION: &str = "posting_restriction";

/// The joiners-movers-leavers actions, in the order the outputs list them.
pub const ACTIONS: [&str; 5] = [
    "vet_joiner",
    "confirm_transfer",
    "upgrade",
    "revet",
    "end_clearance",
];

/// The `[prevention]` section of the config exactly as written.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawPrevention {
    /// The condition types `conditions.csv` may name; must include `posting_restriction`.
    pub condition_types: Vec<String>,
    /// The units that may own a condition.
    pub owner_units: Vec<String>,
    /// POSTING_NOT_CLEARED looks at postings starting within this many days.
    pub posting_horizon_days: i64,
    /// Days after its event each joiners-movers-leavers action falls due, by action
    /// (`ACTIONS`).
    pub action_due_days: BTreeMap<String, i64>,
    /// The inspection figure (moves into designated posts made before management vetting was
    /// granted) looks back this many months.
    pub moves_lookback_months: u32,
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl Default for RawPrevention {
    fn default() -> Self {
        RawPrevention {
            condition_types: strings(&[
                "finance_review",
                "it_monitoring",
                POSTING_RESTRICTION,
                "supervisor_briefing",
                "other",
            ]),
            owner_units: strings(&[
                "vetting",
                "counter_corruption",
                "professional_standards",
                "hr",
            ]),
            posting_horizon_days: 90,
            action_due_days: ACTIONS
                .iter()
                .map(|a| a.to_string())
                .zip([28, 14, 28, 28, 7])
                .collect(),
            moves_lookback_months: 12,
        }
    }
}

/// The validated prevention policy.
#[derive(Debug, Clone, PartialEq)]
pub struct PreventionPolicy {
    pub condition_types: Vec<Arc<str>>,
    pub owner_units: Vec<Arc<str>>,
    pub posting_horizon_days: i64,
    /// Days to due, for every action of `ACTIONS` (each one set: a missing key takes the
    /// built-in default).
    pub action_due_days: BTreeMap<&'static str, i64>,
    pub moves_lookback_months: u32,
}

impl Default for PreventionPolicy {
    fn default() -> Self {
        PreventionPolicy::build(&RawPrevention::default())
            .unwrap_or_else(|e| unreachable!("the built-in [prevention] defaults are valid: {e}"))
    }
}

/// A coded list of `[prevention]` (`coded::list`).
fn codes(key: &str, v: &[String]) -> Result<Vec<Arc<str>>, String> {
    super::coded::list("prevention", key, v)
}

fn days(key: &str, v: i64) -> Result<i64, String> {
    if !(0..=3660).contains(&v) {
        return Err(format!(
            "prevention.{key} is {v}; it must be between 0 and 3660"
        ));
    }
    Ok(v)
}

impl PreventionPolicy {
    pub fn build(raw: &RawPrevention) -> Result<PreventionPolicy, String> {
        let condition_types = codes("condition_types", &raw.condition_types)?;
        if !condition_types.iter().any(|t| &**t == POSTING_RESTRICTION) {
            return Err(format!(
                "prevention.condition_types must include `{POSTING_RESTRICTION}` (CONDITION_BREACHED reads it by name)"
            ));
        }
        let owner_units = codes("owner_units", &raw.owner_units)?;
        let defaults = RawPrevention::default().action_due_days;
        let mut action_due_days = BTreeMap::new();
        for (k, v) in &raw.action_due_days {
            let k = fold(k);
            let Some(a) = ACTIONS.iter().find(|a| **a == k) else {
                return Err(format!(
                    "prevention.action_due_days: `{k}` is not an action ({})",
                    ACTIONS.join(", ")
                ));
            };
            action_due_days.insert(*a, days(&format!("action_due_days.{k}"), *v)?);
        }
        for a in ACTIONS {
            let d = defaults.get(a).copied().unwrap_or(28);
            action_due_days.entry(a).or_insert(d);
        }
        if !(1..=120).contains(&raw.moves_lookback_months) {
            return Err(format!(
                "prevention.moves_lookback_months is {}; it must be between 1 and 120",
                raw.moves_lookback_months
            ));
        }
        Ok(PreventionPolicy {
            condition_types,
            owner_units,
            posting_horizon_days: days("posting_horizon_days", raw.posting_horizon_days)?,
            action_due_days,
            moves_lookback_months: raw.moves_lookback_months,
        })
    }

    /// `value` as one of `list` (folded), or why not, naming `column`.
    pub fn code_in<'a>(
        list: &'a [Arc<str>],
        column: &str,
        value: &str,
    ) -> Result<&'a Arc<str>, String> {
        super::coded::find(list, value)
            .ok_or_else(|| format!("{column} is not one of {}", super::coded::join(list)))
    }

    /// Days after its event `action` falls due.
    pub fn due_days(&self, action: &str) -> i64 {
        self.action_due_days.get(action).copied().unwrap_or(28)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_review_period_reads_in_words_letters_or_iso_and_nothing_looser() {
        assert_eq!(
            ReviewPeriod::parse("6 months"),
            Some(ReviewPeriod::Months(6))
        );
        assert_eq!(ReviewPeriod::parse("6m"), Some(ReviewPeriod::Months(6)));
        assert_eq!(ReviewPeriod::parse(" P1Y "), Some(ReviewPeriod::Months(12)));
        assert_eq!(ReviewPeriod::parse("2 weeks"), Some(ReviewPeriod::Days(14)));
        assert_eq!(ReviewPeriod::parse("90d"), Some(ReviewPeriod::Days(90)));
        assert_eq!(
            ReviewPeriod::parse("1 year"),
            Some(ReviewPeriod::Months(12))
        );
        for bad in [
            "",
            "months",
            "0 days",
            "-3 months",
            "6 fortnights",
            "11 years",
            "99999999999d",
            "6.5 months",
        ] {
            assert_eq!(ReviewPeriod::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_period_after_a_date_keeps_to_the_calendar() {
        assert_eq!(
            ReviewPeriod::Months(1).after(d(2027, 1, 31)),
            Some(d(2027, 2, 28))
        );
        assert_eq!(
            ReviewPeriod::Days(90).after(d(2027, 1, 1)),
            Some(d(2027, 4, 1))
        );
        assert_eq!(ReviewPeriod::Months(12).as_text(), "1 year");
        assert_eq!(ReviewPeriod::Months(6).as_text(), "6 months");
        assert_eq!(ReviewPeriod::Days(14).as_text(), "14 days");
    }

    #[test]
    fn a_restriction_names_a_kind_of_post_or_a_department() {
        let post = |dept: &str, designated, vulnerable_contact| super::super::Post {
            post_id: "P1".into(),
            title: String::new(),
            department: dept.into(),
            required_level: None,
            designated,
            vulnerable_contact,
            revet_on_appointment: false,
        };
        assert_eq!(
            Restricts::parse("Vulnerable Contact"),
            Some(Restricts::VulnerableContact)
        );
        assert!(Restricts::parse("designated")
            .unwrap()
            .covers(&post("x", true, false)));
        assert!(!Restricts::parse("designated")
            .unwrap()
            .covers(&post("x", false, true)));
        let dept = Restricts::parse("Professional Standards").unwrap();
        assert!(dept.covers(&post(" professional standards ", false, false)));
        assert!(!dept.covers(&post("Finance", false, false)));
        assert_eq!(Restricts::parse("  "), None);
    }

    #[test]
    fn the_prevention_policy_refuses_an_unknown_action_and_a_list_without_posting_restriction() {
        let mut raw = RawPrevention::default();
        raw.action_due_days.insert("promote".into(), 3);
        assert!(PreventionPolicy::build(&raw)
            .unwrap_err()
            .contains("promote"));
        let mut raw = RawPrevention::default();
        raw.condition_types.retain(|t| t != POSTING_RESTRICTION);
        assert!(PreventionPolicy::build(&raw).is_err());
        let mut raw = RawPrevention {
            action_due_days: BTreeMap::from([("Leaver".to_string(), 3)]),
            ..RawPrevention::default()
        };
        assert!(
            PreventionPolicy::build(&raw).is_err(),
            "leaver is not an action name"
        );
        raw.action_due_days = BTreeMap::from([("end-clearance".to_string(), 3)]);
        let p = PreventionPolicy::build(&raw).unwrap();
        assert_eq!(p.due_days("end_clearance"), 3);
        assert_eq!(p.due_days("vet_joiner"), 28);
    }
}
