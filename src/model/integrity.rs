//! Integrity oversight: what the inspections ask of a force beyond a clearance per
//! postholder. Declarations (business interests, notifiable associations, secondary
//! employment; `declarations.csv`) and their reviews, the annual integrity review (the
//! roster's `last_integrity_review`), the sanctions misconduct outcomes carried (the
//! misconduct feed's `breach_category` and `sanction`), the rules a post's recorded
//! requirement is checked against, and the weights of the several-signals view.
//!
//! The coded lists, periods, rules and weights are the force's policy: `[integrity]` in the
//! config (`RawIntegrity`, validated into `IntegrityPolicy`). They live with the model, as
//! the casework and prevention lists do, because ingest reads values against them and
//! assess and analyse judge by them.

pub use super::coded::fold;
use super::prevention::ReviewPeriod;
use super::{LevelId, Levels};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One row of `declarations.csv`: something a person declared that the force must review.
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    pub declaration_ref: String,
    pub employee_id: String,
    /// One of `[integrity].declaration_types` (folded).
    pub kind: Arc<str>,
    pub declared_date: NaiveDate,
    /// The row's own review period; None takes the type's (`IntegrityPolicy::review_every`).
    pub review_every: Option<ReviewPeriod>,
    /// None: never reviewed since it was declared.
    pub last_reviewed: Option<NaiveDate>,
    /// None: not yet decided.
    pub decision: Option<Decision>,
    pub line: u64,
}

/// The force's decision on a declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    Approved,
    ApprovedWithConditions,
    Refused,
}

impl Decision {
    pub const ALL: [Decision; 3] = [
        Decision::Approved,
        Decision::ApprovedWithConditions,
        Decision::Refused,
    ];

    /// `approved`, `approved with conditions` (or `approved_with_conditions`), `refused`,
    /// in any case.
    pub fn parse(s: &str) -> Option<Decision> {
        let f = fold(s);
        Decision::ALL.into_iter().find(|d| d.as_str() == f)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::ApprovedWithConditions => "approved_with_conditions",
            Decision::Refused => "refused",
        }
    }

    /// The decisions, comma-separated, for an error.
    pub fn names() -> String {
        Decision::ALL.map(Decision::as_str).join(", ")
    }
}

/// A title keyword and the level the force expects of a post whose title holds it (the
/// national review's over- and under-graded roles: roads policing, dog handling).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTitleRule {
    /// Matched against the post's title without regard to case.
    pub contains: String,
    /// The level the force expects of such a post (a level of `[levels]`).
    pub level: String,
}

/// The `[integrity]` section of the config exactly as written.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawIntegrity {
    /// The declaration types `declarations.csv` may name.
    pub declaration_types: Vec<String>,
    /// How often each type is reviewed (`12 months`, `90 days`, `P1Y`); a row's own
    /// `review_every` wins. Every type must have one.
    pub declaration_review_every: BTreeMap<String, String>,
    /// The types a refusal of which, held by someone in a designated post, raises
    /// DECLARATION_REFUSED_IN_POST.
    pub refused_in_post_types: Vec<String>,
    /// The annual integrity review: INTEGRITY_REVIEW_OVERDUE when none within this period.
    pub integrity_review_every: String,
    /// A vulnerable-contact post recorded below this level is listed in the post-register
    /// checks.
    pub vulnerable_contact_level: String,
    /// Title keywords and the level the force expects for each.
    pub title_rules: Vec<RawTitleRule>,
    /// The breach categories the misconduct feed's `breach_category` may name.
    pub breach_categories: Vec<String>,
    /// The sanctions the misconduct feed's `sanction` may name, least serious first.
    pub sanction_scale: Vec<String>,
    /// The least sanction the comparison between officers and staff counts as serious.
    pub serious_sanction: String,
    /// The several-signals view: the codes that count as a signal and each one's weight.
    pub signal_weights: BTreeMap<String, u32>,
    /// A person is listed in the several-signals view with at least this many signals.
    pub min_signals: usize,
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The built-in declaration types.
pub const DECLARATION_TYPES: [&str; 3] = [
    "business_interest",
    "notifiable_association",
    "secondary_employment",
];

/// The built-in breach categories: the Standards of Professional Behaviour.
pub const BREACH_CATEGORIES: [&str; 10] = [
    "honesty_and_integrity",
    "authority_respect_and_courtesy",
    "equality_and_diversity",
    "use_of_force",
    "orders_and_instructions",
    "duties_and_responsibilities",
    "confidentiality",
    "fitness_for_work",
    "discreditable_conduct",
    "challenging_and_reporting",
];

impl Default for RawIntegrity {
    fn default() -> Self {
        RawIntegrity {
            declaration_types: strings(&DECLARATION_TYPES),
            declaration_review_every: DECLARATION_TYPES
                .iter()
                .map(|t| (t.to_string(), "12 months".to_string()))
                .collect(),
            refused_in_post_types: strings(&["business_interest", "notifiable_association"]),
            integrity_review_every: "12 months".into(),
            vulnerable_contact_level: "MV".into(),
            title_rules: vec![
                RawTitleRule {
                    contains: "roads policing".into(),
                    level: "RV".into(),
                },
                RawTitleRule {
                    contains: "dog handler".into(),
                    level: "RV".into(),
                },
            ],
            breach_categories: strings(&BREACH_CATEGORIES),
            sanction_scale: strings(&[
                "management_advice",
                "written_warning",
                "final_written_warning",
                "reduction_in_rank",
                "dismissal",
            ]),
            serious_sanction: "final_written_warning".into(),
            signal_weights: [
                ("CONDITION_BREACHED", 5),
                ("DECLARATION_REFUSED_IN_POST", 4),
                ("PND_UNREVIEWED", 3),
                ("MISCONDUCT_REVIEW_DUE", 3),
                ("ADVERSE_UNMITIGATED", 3),
                ("CIRCUMSTANCES_REVIEW_DUE", 2),
                ("CONDITION_REVIEW_DUE", 1),
                ("DECLARATION_REVIEW_DUE", 1),
                ("INTEGRITY_REVIEW_OVERDUE", 1),
            ]
            .into_iter()
            .map(|(c, w)| (c.to_string(), w))
            .collect(),
            min_signals: 2,
        }
    }
}

/// A validated title rule.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleRule {
    /// Lower case, trimmed.
    pub contains: String,
    pub level: LevelId,
}

impl TitleRule {
    /// Does `title` hold the keyword (without regard to case)?
    pub fn matches(&self, title: &str) -> bool {
        title.to_lowercase().contains(&self.contains)
    }
}

/// The validated integrity policy.
#[derive(Debug, Clone, PartialEq)]
pub struct IntegrityPolicy {
    pub declaration_types: Vec<Arc<str>>,
    /// Every type of `declaration_types` has its period.
    pub declaration_review_every: BTreeMap<Arc<str>, ReviewPeriod>,
    pub refused_in_post_types: Vec<Arc<str>>,
    pub integrity_review_every: ReviewPeriod,
    pub vulnerable_contact_level: LevelId,
    pub title_rules: Vec<TitleRule>,
    pub breach_categories: Vec<Arc<str>>,
    /// Least serious first: a sanction's rank is its index.
    pub sanction_scale: Vec<Arc<str>>,
    /// Index into `sanction_scale`.
    pub serious_from: usize,
    /// The codes (as exceptions.csv spells them) that count as a signal, with weights.
    pub signal_weights: BTreeMap<String, u32>,
    pub min_signals: usize,
}

/// A coded list of `[integrity]` (`coded::list`).
fn codes(key: &str, v: &[String]) -> Result<Vec<Arc<str>>, String> {
    super::coded::list("integrity", key, v)
}

fn period(key: &str, v: &str) -> Result<ReviewPeriod, String> {
    ReviewPeriod::parse(v).ok_or_else(|| {
        format!(
            "integrity.{key} is `{v}`; it must be a period such as `12 months`, `90 days` or `P1Y` (at most ten years)"
        )
    })
}

impl IntegrityPolicy {
    /// The section checked against the force's levels (`level` names) and the exception
    /// codes (`signal_weights` keys, which `is_code` tells).
    pub fn build(
        raw: &RawIntegrity,
        levels: &Levels,
        is_code: &dyn Fn(&str) -> bool,
    ) -> Result<IntegrityPolicy, String> {
        let declaration_types = codes("declaration_types", &raw.declaration_types)?;
        let mut declaration_review_every = BTreeMap::new();
        for (k, v) in &raw.declaration_review_every {
            let Some(t) = super::coded::find(&declaration_types, k) else {
                return Err(format!(
                    "integrity.declaration_review_every: `{}` is not a declaration type ({})",
                    fold(k),
                    super::coded::join(&declaration_types)
                ));
            };
            let p = period(&format!("declaration_review_every.{t}"), v)?;
            declaration_review_every.insert(t.clone(), p);
        }
        if let Some(t) = declaration_types
            .iter()
            .find(|t| !declaration_review_every.contains_key(*t))
        {
            return Err(format!(
                "integrity.declaration_review_every has no period for `{t}`"
            ));
        }
        let mut refused_in_post_types = Vec::new();
        for t in &raw.refused_in_post_types {
            let Some(c) = super::coded::find(&declaration_types, t) else {
                return Err(format!(
                    "integrity.refused_in_post_types: `{}` is not a declaration type ({})",
                    fold(t),
                    super::coded::join(&declaration_types)
                ));
            };
            if !refused_in_post_types.contains(c) {
                refused_in_post_types.push(c.clone());
            }
        }
        let level = |key: &str, v: &str| {
            levels
                .parse(v)
                .ok_or_else(|| format!("integrity.{key}: `{v}` is not a level of [levels]"))
        };
        let mut title_rules = Vec::new();
        for (i, r) in raw.title_rules.iter().enumerate() {
            let contains = r.contains.trim().to_lowercase();
            if contains.is_empty() {
                return Err(format!(
                    "integrity.title_rules[{i}].contains is blank; it must name a word of a post title"
                ));
            }
            title_rules.push(TitleRule {
                contains,
                level: level(&format!("title_rules[{i}].level"), &r.level)?,
            });
        }
        let sanction_scale = codes("sanction_scale", &raw.sanction_scale)?;
        // sanctions.csv names a column `officers_<sanction>` per sanction beside its own
        // `officers_serious` and `officers_serious_rate`: a sanction so named would give
        // the file two columns of one name.
        if let Some(clash) = sanction_scale
            .iter()
            .find(|s| matches!(&***s, "serious" | "serious_rate"))
        {
            return Err(format!(
                "integrity.sanction_scale names `{clash}`, which sanctions.csv uses for its own columns (officers_{clash}); call the sanction something else"
            ));
        }
        let Some(serious_from) = super::coded::find(&sanction_scale, &raw.serious_sanction)
            .and_then(|s| sanction_scale.iter().position(|x| x == s))
        else {
            return Err(format!(
                "integrity.serious_sanction: `{}` is not on the sanction_scale ({})",
                fold(&raw.serious_sanction),
                super::coded::join(&sanction_scale)
            ));
        };
        let mut signal_weights = BTreeMap::new();
        for (code, w) in &raw.signal_weights {
            let c = code.trim().to_uppercase();
            if !is_code(&c) {
                return Err(format!(
                    "integrity.signal_weights: `{c}` is not an exception code"
                ));
            }
            if *w == 0 || *w > 100 {
                return Err(format!(
                    "integrity.signal_weights.{c} is {w}; it must be between 1 and 100 (leave a code out to count it as no signal)"
                ));
            }
            signal_weights.insert(c, *w);
        }
        if !(1..=20).contains(&raw.min_signals) {
            return Err(format!(
                "integrity.min_signals is {}; it must be between 1 and 20",
                raw.min_signals
            ));
        }
        Ok(IntegrityPolicy {
            declaration_types,
            declaration_review_every,
            refused_in_post_types,
            integrity_review_every: period("integrity_review_every", &raw.integrity_review_every)?,
            vulnerable_contact_level: level(
                "vulnerable_contact_level",
                &raw.vulnerable_contact_level,
            )?,
            title_rules,
            breach_categories: codes("breach_categories", &raw.breach_categories)?,
            sanction_scale,
            serious_from,
            signal_weights,
            min_signals: raw.min_signals,
        })
    }

    /// The built-in policy over the built-in levels (for tests and facts not given the
    /// force's own).
    pub fn built_in() -> IntegrityPolicy {
        let levels = Levels::build(&Default::default())
            .unwrap_or_else(|e| unreachable!("the built-in [levels] are valid: {e}"));
        IntegrityPolicy::build(&RawIntegrity::default(), &levels, &|_| true)
            .unwrap_or_else(|e| unreachable!("the built-in [integrity] defaults are valid: {e}"))
    }

    /// The review period of a declaration: its own, else its type's.
    pub fn review_every(&self, d: &Declaration) -> Option<ReviewPeriod> {
        d.review_every
            .or_else(|| self.declaration_review_every.get(&d.kind).copied())
    }

    /// When a declaration's next review falls due: its last review (or, never reviewed,
    /// its declaration) plus its period. None when the date would overflow.
    pub fn review_due(&self, d: &Declaration) -> Option<NaiveDate> {
        let from = d.last_reviewed.unwrap_or(d.declared_date);
        self.review_every(d)?.after(from)
    }

    /// A sanction's rank on the scale (0 = least serious), None off the scale.
    pub fn sanction_rank(&self, s: &str) -> Option<usize> {
        let f = fold(s);
        self.sanction_scale.iter().position(|x| **x == *f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels() -> Levels {
        Levels::build(&Default::default()).unwrap()
    }

    #[test]
    fn the_built_in_policy_is_valid_and_reads_its_lists() {
        let p = IntegrityPolicy::built_in();
        assert_eq!(p.declaration_types.len(), 3);
        assert_eq!(p.refused_in_post_types.len(), 2);
        assert_eq!(&*p.sanction_scale[p.serious_from], "final_written_warning");
        assert_eq!(p.sanction_rank("Written Warning"), Some(1));
        assert_eq!(p.sanction_rank("caution"), None);
        assert!(p.title_rules[0].matches("Roads Policing Constable"));
        assert!(!p.title_rules[0].matches("Response officer"));
        assert_eq!(levels().name(p.vulnerable_contact_level), "MV");
    }

    #[test]
    fn a_declaration_falls_due_a_period_after_its_last_review_or_its_declaration() {
        let p = IntegrityPolicy::built_in();
        let d = |last: Option<NaiveDate>, own: Option<ReviewPeriod>| Declaration {
            declaration_ref: "D1".into(),
            employee_id: "E1".into(),
            kind: "business_interest".into(),
            declared_date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
            review_every: own,
            last_reviewed: last,
            decision: Some(Decision::Approved),
            line: 2,
        };
        assert_eq!(
            p.review_due(&d(None, None)),
            NaiveDate::from_ymd_opt(2025, 3, 1)
        );
        let last = NaiveDate::from_ymd_opt(2025, 1, 31);
        assert_eq!(
            p.review_due(&d(last, None)),
            NaiveDate::from_ymd_opt(2026, 1, 31)
        );
        let own = ReviewPeriod::parse("6 months");
        assert_eq!(
            p.review_due(&d(last, own)),
            NaiveDate::from_ymd_opt(2025, 7, 31)
        );
    }

    #[test]
    fn decisions_read_in_words_or_codes() {
        assert_eq!(
            Decision::parse("Approved with conditions"),
            Some(Decision::ApprovedWithConditions)
        );
        assert_eq!(Decision::parse("REFUSED"), Some(Decision::Refused));
        assert_eq!(Decision::parse("maybe"), None);
    }

    #[test]
    fn the_section_refuses_what_it_cannot_use() {
        let l = levels();
        let any = |_: &str| true;
        let err = |raw: RawIntegrity| IntegrityPolicy::build(&raw, &l, &any).unwrap_err();
        let mut r = RawIntegrity::default();
        r.declaration_review_every.remove("secondary_employment");
        assert!(err(r).contains("no period for `secondary_employment`"));
        let r = RawIntegrity {
            vulnerable_contact_level: "XX".into(),
            ..RawIntegrity::default()
        };
        assert!(err(r).contains("vulnerable_contact_level"));
        let r = RawIntegrity {
            serious_sanction: "caution".into(),
            ..RawIntegrity::default()
        };
        assert!(err(r).contains("serious_sanction"));
        let r = RawIntegrity {
            refused_in_post_types: vec!["gifts".into()],
            ..RawIntegrity::default()
        };
        assert!(err(r).contains("refused_in_post_types"));
        let r = RawIntegrity {
            integrity_review_every: "yearly".into(),
            ..RawIntegrity::default()
        };
        assert!(err(r).contains("integrity_review_every"));
        let mut r = RawIntegrity::default();
        r.signal_weights.insert("PND_UNREVIEWED".into(), 0);
        assert!(err(r).contains("between 1 and 100"));
        let r = RawIntegrity {
            sanction_scale: vec!["written_warning".into(), "Serious".into()],
            serious_sanction: "written_warning".into(),
            ..RawIntegrity::default()
        };
        assert!(err(r).contains("sanctions.csv uses for its own columns"));
        let r = RawIntegrity::default();
        let no_codes = |_: &str| false;
        assert!(IntegrityPolicy::build(&r, &l, &no_codes)
            .unwrap_err()
            .contains("not an exception code"));
    }
}
