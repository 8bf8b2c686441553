//! Disproportionality in vetting decisions: is refusal more likely for people with a
//! particular protected characteristic?
//!
//! Measures as `shared/domain.md` section 5 and docs/report.md ("Disproportionality") define
//! them: for each characteristic present in the vetting export, over decisions made in the
//! window (a refusal is a `refused` record; a grant is `granted`, `lapsed` or `suspended`,
//! whose decision was to grant; pending and withdrawn records are not decisions), the refusal
//! rate per group, the relative rate against the reference group, the adverse-impact ratio
//! (pass rate against the reference's, flagged under four fifths) and Fisher's exact test.
//!
//! Only an adverse difference is flagged: a group refused more often than the reference.
//! Every comparison the night makes, across all characteristics, is one family of tests:
//! each p-value is adjusted for the number made (Holm's step-down method, which holds
//! whatever the dependence between the tests), and a result is significant only on its
//! adjusted p.
//!
//! Category values are matched as a person reads them (`category_key`): "White - British"
//! and "white british" are one group, and a configured reference group is found whatever its
//! case, spacing or punctuation. A configured reference that is still absent is a warning
//! (`Analysis::warnings`) naming the values present.
//!
//! Small numbers identify people. A group with fewer decisions than the minimum is
//! suppressed: no count, rate or test of it appears anywhere. When exactly one row of a
//! characteristic is suppressed, the next smallest is suppressed too, so the hidden one cannot
//! be worked out by subtraction from the other rows.

use super::stats::{fisher_two_sided, risk_ratio, RiskRatio};
use crate::model::{VettingRecord, VettingStatus};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Label of the row counting decisions with no value for the characteristic.
pub const NOT_RECORDED: &str = "(not recorded)";

#[derive(Debug, Clone, PartialEq)]
pub struct DisproportionSettings {
    pub window_months: u32,
    pub minimum_group: u64,
    pub four_fifths: f64,
    pub significance: f64,
    /// Reference group per characteristic (otherwise the largest group).
    pub reference: BTreeMap<String, String>,
}

/// The comparison of one group against the reference group.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Refusal rate / reference refusal rate, with its 95% interval (None when a rate is 0).
    pub relative_rate: Option<RiskRatio>,
    /// Pass rate / reference pass rate (None when the reference pass rate is 0).
    pub adverse_impact_ratio: Option<f64>,
    pub four_fifths_flag: bool,
    /// Fisher's exact test, two-sided, for this comparison alone.
    pub p_value: f64,
    /// `p_value` adjusted for every comparison of the night (Holm); `p_value` until
    /// `analyse` has seen them all.
    pub adjusted_p: f64,
    /// How the group's refusal rate stands to the reference's.
    pub direction: Direction,
    /// Refused more often than the reference, and `adjusted_p` under the significance level.
    pub significant: bool,
}

/// A group's refusal rate against the reference group's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Higher,
    Lower,
    Equal,
}

impl Direction {
    /// As disproportionality.csv's `direction` column gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
            Direction::Equal => "equal",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    pub group: String,
    pub is_reference: bool,
    /// None when the row is not shown; `hidden` then says why.
    pub figures: Option<Figures>,
    pub hidden: Option<Hidden>,
    /// A row suppressed tonight whose figures the previous night showed: the reader who
    /// saw them yesterday is told they are hidden tonight, not gone.
    pub shown_before: bool,
}

impl GroupRow {
    /// `shown`, or why not, as the page and the CSV's `status` column give it.
    pub fn status(&self, minimum_group: u64) -> String {
        match self.hidden {
            None => "shown".into(),
            Some(h) if self.shown_before && h != Hidden::NoDecisions => {
                format!("{} (shown on the previous night)", h.text(minimum_group))
            }
            Some(h) => h.text(minimum_group),
        }
    }
}

/// Why a group's figures are not shown tonight (a group never disappears from the page or
/// the CSV without a reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// Fewer decisions than the minimum group size.
    TooFew,
    /// Enough decisions, but hidden with the one small group so it cannot be worked out by
    /// subtraction.
    WithSmaller,
    /// No decisions in the window tonight; listed because the previous night listed it.
    NoDecisions,
}

impl Hidden {
    /// The reason in plain words, as the page and the CSV's `status` column give it.
    pub fn text(self, minimum_group: u64) -> String {
        match self {
            Hidden::TooFew => {
                format!("suppressed tonight: fewer than {minimum_group} decisions in the window")
            }
            Hidden::WithSmaller => "suppressed tonight: hidden with a smaller group, so that group cannot be worked out by subtraction".into(),
            Hidden::NoDecisions => "no decisions in the window tonight (listed on the previous night)".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub decisions: u64,
    pub refusals: u64,
    pub comparison: Option<Comparison>,
}

impl Figures {
    pub fn refusal_rate(&self) -> f64 {
        self.refusals as f64 / self.decisions as f64
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Characteristic {
    pub name: String,
    /// The reference group, when it has enough decisions to compare against (as the export
    /// spells it).
    pub reference: Option<String>,
    /// The reference group as the config spells it, when that differs from `reference`.
    pub configured_as: Option<String>,
    /// Why there is no comparison, when there is none.
    pub note: Option<String>,
    pub rows: Vec<GroupRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Decisions from `from` up to and including `to` (`super::Window`: both ends count).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub settings: DisproportionSettings,
    pub characteristics: Vec<Characteristic>,
    /// The protected characteristics the export carries at all, decisions in the window or
    /// not: so "no such columns" and "no decisions to analyse" read differently.
    pub columns: Vec<String>,
    /// Comparisons made tonight across every characteristic: the family Holm's method
    /// adjusts for.
    pub comparisons: usize,
    /// Each configured reference group that could not be found, in words naming the values
    /// present: for the log, `vetrecon check` and the page.
    pub warnings: Vec<String>,
}

/// A category value as a person compares it: without regard to case, spacing or
/// punctuation. "White - British", "white  british" and "White British" are one key; a value
/// of punctuation alone has an empty key (not recorded).
pub fn category_key(s: &str) -> String {
    let mut out = String::new();
    for word in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Decisions and refusals of one group, with each spelling's decisions (the most used names
/// the group).
#[derive(Default)]
struct Tally<'v> {
    decisions: u64,
    refusals: u64,
    spellings: BTreeMap<&'v str, u64>,
}

impl Tally<'_> {
    /// The spelling most decisions carry; the first in byte order on a tie.
    fn label(&self) -> String {
        self.spellings
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map_or_else(|| NOT_RECORDED.to_string(), |(s, _)| s.to_string())
    }
}

/// Refused (true), granted (false), or not a decision in the window (None).
fn outcome(v: &VettingRecord, window: super::Window) -> Option<bool> {
    let d = v.decision_date?;
    if !window.contains(d) {
        return None;
    }
    match v.status {
        VettingStatus::Refused => Some(true),
        VettingStatus::Granted | VettingStatus::Lapsed | VettingStatus::Suspended => Some(false),
        VettingStatus::Pending | VettingStatus::Withdrawn => None,
    }
}

pub fn analyse(
    vetting: &[VettingRecord],
    as_of: NaiveDate,
    settings: &DisproportionSettings,
) -> Analysis {
    let window = super::Window::ending(as_of, settings.window_months);
    let names: BTreeSet<&str> = vetting.iter().flat_map(|v| v.protected.keys()).collect();
    // Characteristic -> group key (`category_key`) -> tally.
    let mut counts: BTreeMap<&str, BTreeMap<String, Tally<'_>>> = BTreeMap::new();
    for v in vetting {
        let Some(refused) = outcome(v, window) else {
            continue;
        };
        for name in &names {
            let value = v.protected.get(name).map_or("", |s| s.trim());
            let key = category_key(value);
            let c = counts.entry(name).or_default().entry(key).or_default();
            c.decisions += 1;
            c.refusals += u64::from(refused);
            if !value.is_empty() {
                *c.spellings.entry(value).or_default() += 1;
            }
        }
    }
    let mut characteristics: Vec<Characteristic> = counts
        .into_iter()
        .map(|(name, tallies)| {
            let groups: BTreeMap<String, (u64, u64)> = tallies
                .into_iter()
                .map(|(key, t)| {
                    let label = if key.is_empty() {
                        NOT_RECORDED.to_string()
                    } else {
                        t.label()
                    };
                    (label, (t.decisions, t.refusals))
                })
                .collect();
            characteristic(name, &groups, settings)
        })
        .collect();
    let comparisons = adjust_for_comparisons(&mut characteristics, settings);
    let columns: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let warnings = reference_warnings(&characteristics, &columns, settings);
    Analysis {
        from: window.from,
        to: window.to,
        settings: settings.clone(),
        characteristics,
        columns,
        comparisons,
        warnings,
    }
}

/// The configured reference group of characteristic `name`, matched as `category_key`
/// matches names.
fn configured_reference<'s>(name: &str, s: &'s DisproportionSettings) -> Option<&'s String> {
    let key = category_key(name);
    s.reference
        .iter()
        .find(|(c, _)| category_key(c) == key)
        .map(|(_, r)| r)
}

/// Holm's step-down adjustment over every comparison of the night: the smallest of m
/// p-values is multiplied by m, the next by m - 1, and so on, each at least the one before
/// (and at most 1). Sets each comparison's `adjusted_p` and `significant`; returns m.
fn adjust_for_comparisons(
    characteristics: &mut [Characteristic],
    s: &DisproportionSettings,
) -> usize {
    let mut all: Vec<&mut Comparison> = characteristics
        .iter_mut()
        .flat_map(|c| c.rows.iter_mut())
        .filter_map(|r| r.figures.as_mut()?.comparison.as_mut())
        .collect();
    let m = all.len();
    // Smallest p first; equal p-values in page order.
    all.sort_by(|a, b| a.p_value.total_cmp(&b.p_value));
    let mut running: f64 = 0.0;
    for (rank, c) in all.into_iter().enumerate() {
        running = running.max(((m - rank) as f64 * c.p_value).min(1.0));
        c.adjusted_p = running;
        c.significant = c.direction == Direction::Higher && running < s.significance;
    }
    m
}

/// A warning for each configured reference group that is not there to compare against:
/// no decisions for it in the window (naming the groups that have some), or no such
/// characteristic in the export at all.
fn reference_warnings(
    characteristics: &[Characteristic],
    columns: &[String],
    s: &DisproportionSettings,
) -> Vec<String> {
    let mut out = Vec::new();
    for (name, reference) in &s.reference {
        let key = category_key(name);
        match characteristics.iter().find(|c| category_key(&c.name) == key) {
            Some(c) => {
                let found = c
                    .rows
                    .iter()
                    .any(|r| category_key(&r.group) == category_key(reference));
                if !found {
                    out.push(format!(
                        "disproportionality: the reference group for {} (report.disproportionality.reference) is {reference:?}, but no decision in the window records it; the values recorded are {}; no {} group is compared until the reference names one of them",
                        c.name,
                        quoted(c.rows.iter().map(|r| r.group.as_str())),
                        c.name
                    ));
                }
            }
            None if columns.iter().any(|c| category_key(c) == key) => {}
            None => out.push(format!(
                "disproportionality: a reference group is configured for {name} (report.disproportionality.reference), but the vetting export has no {name} column; the characteristics it carries are {}",
                if columns.is_empty() {
                    "none".to_string()
                } else {
                    columns.join(", ")
                }
            )),
        }
    }
    out
}

fn characteristic(
    name: &str,
    groups: &BTreeMap<String, (u64, u64)>,
    s: &DisproportionSettings,
) -> Characteristic {
    let min = s.minimum_group;
    // Primary suppression, then secondary: never exactly one hidden row.
    let mut hidden: BTreeSet<&str> = groups
        .iter()
        .filter(|(_, c)| c.0 < min)
        .map(|(g, _)| g.as_str())
        .collect();
    if hidden.len() == 1 && groups.len() > 1 {
        let next = groups
            .iter()
            .filter(|(g, _)| !hidden.contains(g.as_str()))
            .min_by_key(|(g, c)| (c.0, *g))
            .map(|(g, _)| g.as_str());
        hidden.extend(next);
    }
    let candidates = || groups.iter().filter(|(g, _)| *g != NOT_RECORDED);
    let configured = configured_reference(name, s);
    let (reference, note) = match configured {
        Some(r) => match groups
            .keys()
            .find(|g| *g != NOT_RECORDED && category_key(g) == category_key(r))
        {
            Some(g) if !hidden.contains(g.as_str()) => (Some(g.clone()), None),
            Some(g) => (
                None,
                Some(format!(
                    "the reference group {g} is suppressed (too few decisions), so no group is compared"
                )),
            ),
            None => (
                None,
                Some(format!(
                    "no decision in the window records the reference group {r} (report.disproportionality.reference), so no group is compared; the values recorded are {}",
                    quoted(groups.keys().map(String::as_str))
                )),
            ),
        },
        None => match candidates()
            .filter(|(g, _)| !hidden.contains(g.as_str()))
            .max_by_key(|(g, c)| (c.0, std::cmp::Reverse(*g)))
        {
            Some((g, _)) => (Some(g.to_string()), None),
            None => (
                None,
                Some(format!(
                    "every group has fewer than {min} decisions (or is suppressed with one that has), so nothing can be shown without risking identifying someone"
                )),
            ),
        },
    };
    let ref_counts = reference.as_deref().and_then(|r| groups.get(r)).copied();
    let rows = groups
        .iter()
        .map(|(g, &(decisions, refusals))| {
            let is_reference = reference.as_deref() == Some(g.as_str());
            let why = hidden.contains(g.as_str()).then_some(if decisions < min {
                Hidden::TooFew
            } else {
                Hidden::WithSmaller
            });
            let figures = why.is_none().then(|| Figures {
                decisions,
                refusals,
                comparison: ref_counts
                    .filter(|_| !is_reference && *g != NOT_RECORDED)
                    .map(|(rn, rr)| compare((decisions, refusals), (rn, rr), s)),
            });
            GroupRow {
                group: g.to_string(),
                is_reference,
                figures,
                hidden: why,
                shown_before: false,
            }
        })
        .collect();
    let configured_as = configured
        .filter(|r| reference.as_deref().is_some_and(|g| g != r.as_str()))
        .cloned();
    Characteristic {
        name: name.to_string(),
        reference,
        configured_as,
        note,
        rows,
    }
}

/// The groups with decisions (not the not-recorded row), quoted and comma-separated: category
/// labels, never personal data.
fn quoted<'g>(groups: impl Iterator<Item = &'g str>) -> String {
    let names: Vec<String> = groups
        .filter(|g| *g != NOT_RECORDED)
        .map(|g| format!("\"{g}\""))
        .collect();
    if names.is_empty() {
        "none (every decision leaves it blank)".into()
    } else {
        names.join(", ")
    }
}

/// Add a row for every group the previous night listed (`previous`: characteristic and
/// group, shown or suppressed) that has no decisions in tonight's window, so it does not
/// vanish from the page and the CSV without a reason. A characteristic with no decisions at
/// all tonight comes back with a note.
pub fn carry_over(a: &mut Analysis, previous: &[(String, String)]) {
    for (name, group) in previous {
        let i = match a
            .characteristics
            .binary_search_by(|c| c.name.as_str().cmp(name))
        {
            Ok(i) => i,
            Err(i) => {
                a.characteristics.insert(
                    i,
                    Characteristic {
                        name: name.clone(),
                        reference: None,
                        configured_as: None,
                        note: Some(format!(
                            "no decision in the window tonight records {name}, so no group is compared"
                        )),
                        rows: Vec::new(),
                    },
                );
                i
            }
        };
        let Some(c) = a.characteristics.get_mut(i) else {
            continue; // unreachable: `i` was found or inserted just above
        };
        let rows = &mut c.rows;
        // Tonight's spelling of the same group stands for it.
        let key = category_key(group);
        if rows.iter().any(|r| category_key(&r.group) == key) {
            continue;
        }
        if let Err(j) = rows.binary_search_by(|r| r.group.as_str().cmp(group)) {
            rows.insert(
                j,
                GroupRow {
                    group: group.clone(),
                    is_reference: false,
                    figures: None,
                    hidden: Some(Hidden::NoDecisions),
                    shown_before: false,
                },
            );
        }
    }
}

/// Mark every row suppressed tonight that the previous night showed with its figures
/// (`shown`: characteristic and group), so its status says so.
pub fn note_shown_before(a: &mut Analysis, shown: &[(String, String)]) {
    for c in &mut a.characteristics {
        for r in &mut c.rows {
            let key = category_key(&r.group);
            r.shown_before = r.figures.is_none()
                && shown
                    .iter()
                    .any(|(name, group)| *name == c.name && category_key(group) == key);
        }
    }
}

fn compare(group: (u64, u64), reference: (u64, u64), s: &DisproportionSettings) -> Comparison {
    let ((gn, gr), (rn, rr)) = (group, reference);
    let pass = |n: u64, r: u64| (n - r) as f64 / n as f64;
    let adverse_impact_ratio = (pass(rn, rr) > 0.0).then(|| pass(gn, gr) / pass(rn, rr));
    let p_value = fisher_two_sided(gr, gn - gr, rr, rn - rr);
    // gr / gn against rr / rn, compared without division: gr * rn against rr * gn.
    let direction = match (u128::from(gr) * u128::from(rn)).cmp(&(u128::from(rr) * u128::from(gn)))
    {
        std::cmp::Ordering::Greater => Direction::Higher,
        std::cmp::Ordering::Less => Direction::Lower,
        std::cmp::Ordering::Equal => Direction::Equal,
    };
    Comparison {
        relative_rate: risk_ratio(gr, gn, rr, rn),
        adverse_impact_ratio,
        four_fifths_flag: adverse_impact_ratio.is_some_and(|a| a < s.four_fifths),
        p_value,
        adjusted_p: p_value,
        direction,
        // Set once every comparison is known (`adjust_for_comparisons`).
        significant: false,
    }
}

impl Comparison {
    /// Worth a manager's attention: refused more often than the reference, and under four
    /// fifths or significant. A group refused less often is shown, never flagged.
    pub fn flagged(&self) -> bool {
        self.direction == Direction::Higher && (self.four_fifths_flag || self.significant)
    }
}

/// A plain-words reading of one flagged comparison.
/// `a` gives the settings and how many comparisons the night made.
pub fn reading(c: &Characteristic, row: &GroupRow, a: &Analysis) -> Option<String> {
    let s = &a.settings;
    let f = row.figures.as_ref()?;
    let cmp = f.comparison.as_ref()?;
    if !cmp.flagged() {
        return None;
    }
    let reference = c.reference.as_deref()?;
    let ref_figures = c
        .rows
        .iter()
        .find(|r| r.is_reference)
        .and_then(|r| r.figures.as_ref())?;
    let mut text = format!(
        "{name} {group}: refused in {} of {} decisions ({:.1}%) against {} of {} ({:.1}%) for {reference}",
        f.refusals,
        f.decisions,
        100.0 * f.refusal_rate(),
        ref_figures.refusals,
        ref_figures.decisions,
        100.0 * ref_figures.refusal_rate(),
        name = c.name,
        group = row.group,
    );
    if let Some(rr) = cmp.relative_rate {
        text += &format!(
            ", {:.2} times the reference rate (95% interval {:.2} to {:.2})",
            rr.ratio, rr.low, rr.high
        );
    }
    text += ". ";
    if let Some(air) = cmp.adverse_impact_ratio {
        if cmp.four_fifths_flag {
            text += &format!(
                "The pass-rate ratio is {air:.2}, below the four-fifths threshold of {:.2}. ",
                s.four_fifths
            );
        }
    }
    let p = p_text(cmp.p_value);
    let tested = match a.comparisons {
        0 | 1 => format!("Fisher's exact test p = {p}"),
        m => format!(
            "Fisher's exact test p = {p}, {} once allowed for the {m} comparisons made tonight",
            p_text(cmp.adjusted_p)
        ),
    };
    text += &if cmp.significant {
        format!(
            "The difference is statistically significant ({tested}): look at the refusal reasons for this group and whether a common cause, such as undisclosed associates, explains them."
        )
    } else {
        format!(
            "At these numbers the difference could be chance ({tested}): keep it under watch as decisions accumulate."
        )
    };
    Some(text)
}

/// A p-value as people read it: four decimals, or "< 0.0001".
pub fn p_text(p: f64) -> String {
    if p < 0.0001 {
        "< 0.0001".into()
    } else {
        format!("{p:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LevelId;

    fn settings(min: u64) -> DisproportionSettings {
        DisproportionSettings {
            window_months: 12,
            minimum_group: min,
            four_fifths: 0.8,
            significance: 0.05,
            reference: BTreeMap::new(),
        }
    }

    fn rec(group: &str, status: VettingStatus, decided: NaiveDate) -> VettingRecord {
        VettingRecord {
            vetting_ref: String::new(),
            surname: String::new(),
            forenames: String::new(),
            previous_surnames: vec![],
            date_of_birth: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
            ni_number: None,
            employee_id_hint: None,
            level: LevelId(0),
            status,
            decision_date: Some(decided),
            expiry_date: None,
            adverse_info: Some(false),
            rationale_recorded: Some(false),
            risk_mitigation: Some(false),
            last_review_date: None,
            protected: [("ethnicity", std::sync::Arc::<str>::from(group))]
                .into_iter()
                .filter(|(_, g)| !g.is_empty())
                .collect(),
            casework: None,
            line: 0,
        }
    }

    const AS_OF: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();

    /// `n` decisions for `group`, `r` of them refusals, all inside the window.
    fn cohort(group: &str, n: usize, r: usize) -> Vec<VettingRecord> {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        (0..n)
            .map(|i| {
                let st = if i < r {
                    VettingStatus::Refused
                } else {
                    VettingStatus::Granted
                };
                rec(group, st, d)
            })
            .collect()
    }

    #[test]
    fn an_export_with_the_columns_but_no_decision_in_the_window_is_told_apart() {
        let old = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let v = vec![rec("White", VettingStatus::Granted, old)];
        let a = analyse(&v, AS_OF, &settings(10));
        assert!(a.characteristics.is_empty());
        assert_eq!(a.columns, vec!["ethnicity".to_string()]);
        let none = analyse(
            &[rec("", VettingStatus::Granted, old)],
            AS_OF,
            &settings(10),
        );
        assert!(none.columns.is_empty());
    }

    #[test]
    fn eeoc_four_fifths_worked_example() {
        // Uniform Guidelines on Employee Selection (1978) Q&A 12: 80 White applicants, 48
        // selected (60%); 40 Black applicants, 12 selected (30%). 30/60 = 50% < 80%: adverse
        // impact. Here "selected" is "granted": 32 of 80 refused, 28 of 40 refused.
        let mut v = cohort("White", 80, 32);
        v.extend(cohort("Black", 40, 28));
        let a = analyse(&v, AS_OF, &settings(10));
        let c = &a.characteristics[0];
        assert_eq!(c.reference.as_deref(), Some("White"), "largest group");
        let black = c.rows.iter().find(|r| r.group == "Black").unwrap();
        let f = black.figures.as_ref().unwrap();
        assert_eq!((f.decisions, f.refusals), (40, 28));
        let cmp = f.comparison.as_ref().unwrap();
        assert!((cmp.adverse_impact_ratio.unwrap() - 0.5).abs() < 1e-12);
        assert!(cmp.four_fifths_flag);
        // Refusal rates 70% and 40%: relative rate 1.75.
        assert!((cmp.relative_rate.unwrap().ratio - 1.75).abs() < 1e-12);
        // Fisher, two-sided, on [[28, 12], [32, 48]]: 0.003409, the sum of the exact
        // hypergeometric terms no likelier than the observed table (worked independently
        // with integer binomial coefficients).
        assert!((cmp.p_value - 0.003409).abs() < 5e-7, "{}", cmp.p_value);
        assert!(cmp.significant);
        let words = reading(c, black, &a).unwrap();
        assert!(words.contains("28 of 40"), "{words}");
        assert!(words.contains("four-fifths"), "{words}");
        assert!(words.contains("statistically significant"), "{words}");
        // The reference row has figures but no comparison.
        let white = c.rows.iter().find(|r| r.group == "White").unwrap();
        assert!(white.is_reference && white.figures.as_ref().unwrap().comparison.is_none());
    }

    #[test]
    fn only_decisions_in_the_window_count_and_window_from_is_in() {
        let mut v = cohort("A", 12, 2);
        // The window's first day is the day it names (window_from), and counts.
        let old = NaiveDate::from_ymd_opt(2025, 11, 23).unwrap(); // the day before: out
        let edge = NaiveDate::from_ymd_opt(2025, 11, 24).unwrap(); // first day in
        v.push(rec("A", VettingStatus::Refused, old));
        v.push(rec("A", VettingStatus::Refused, edge));
        v.push(rec("A", VettingStatus::Pending, edge));
        v.push(rec("A", VettingStatus::Withdrawn, edge));
        v.push(rec("A", VettingStatus::Lapsed, edge));
        let later = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        v.push(rec("A", VettingStatus::Refused, later));
        let a = analyse(&v, AS_OF, &settings(10));
        let f = a.characteristics[0].rows[0].figures.clone().unwrap();
        assert_eq!((f.decisions, f.refusals), (14, 3));
    }

    #[test]
    fn small_groups_are_suppressed_with_a_second_row() {
        // B has 9 decisions (under 10): hidden. Exactly one hidden row would let anyone work
        // it out from a total, so the next smallest (C, 15) goes too; A stays.
        let mut v = cohort("A", 100, 10);
        v.extend(cohort("B", 9, 5));
        v.extend(cohort("C", 15, 2));
        v.extend(cohort("D", 40, 4));
        let a = analyse(&v, AS_OF, &settings(10));
        let rows = &a.characteristics[0].rows;
        let shown: Vec<(&str, bool)> = rows
            .iter()
            .map(|r| (r.group.as_str(), r.figures.is_some()))
            .collect();
        assert_eq!(
            shown,
            vec![("A", true), ("B", false), ("C", false), ("D", true)]
        );
        // Two hidden rows already: no further suppression.
        let mut v = cohort("A", 100, 10);
        v.extend(cohort("B", 9, 5));
        v.extend(cohort("C", 3, 2));
        let a = analyse(&v, AS_OF, &settings(10));
        let hidden: Vec<&str> = a.characteristics[0]
            .rows
            .iter()
            .filter(|r| r.figures.is_none())
            .map(|r| r.group.as_str())
            .collect();
        assert_eq!(hidden, vec!["B", "C"]);
    }

    #[test]
    fn not_recorded_is_counted_but_never_compared_or_a_reference() {
        let mut v = cohort("", 200, 20);
        v.extend(cohort("A", 50, 5));
        v.extend(cohort("B", 30, 9));
        let a = analyse(&v, AS_OF, &settings(10));
        let c = &a.characteristics[0];
        assert_eq!(c.reference.as_deref(), Some("A"));
        let nr = c.rows.iter().find(|r| r.group == NOT_RECORDED).unwrap();
        let f = nr.figures.as_ref().unwrap();
        assert_eq!((f.decisions, f.comparison.is_none()), (200, true));
    }

    #[test]
    fn configured_reference_and_its_absence() {
        let mut v = cohort("A", 50, 5);
        v.extend(cohort("B", 30, 3));
        let mut s = settings(10);
        s.reference.insert("ethnicity".into(), "B".into());
        let a = analyse(&v, AS_OF, &s);
        assert_eq!(a.characteristics[0].reference.as_deref(), Some("B"));
        s.reference.insert("ethnicity".into(), "Z".into());
        let a = analyse(&v, AS_OF, &s);
        let c = &a.characteristics[0];
        assert_eq!(c.reference, None);
        assert!(c.note.as_deref().unwrap().contains("reference group Z"));
        assert!(c
            .rows
            .iter()
            .all(|r| r.figures.as_ref().unwrap().comparison.is_none()));
    }

    fn with_reference(r: &str) -> DisproportionSettings {
        let mut s = settings(10);
        s.reference.insert("ethnicity".into(), r.into());
        s
    }

    fn row<'a>(c: &'a Characteristic, group: &str) -> &'a Comparison {
        c.rows
            .iter()
            .find(|r| r.group == group)
            .and_then(|r| r.figures.as_ref()?.comparison.as_ref())
            .unwrap()
    }

    #[test]
    fn a_group_refused_less_often_is_shown_but_never_flagged() {
        // 2 of 60 refused against 50 of 400: 0.27 times the reference's rate, Fisher's p
        // 0.046 on its own. Refused less often is no adverse impact: no flag, no advice.
        let mut v = cohort("White British", 400, 50);
        v.extend(cohort("Prefer not to say", 60, 2));
        let a = analyse(&v, AS_OF, &with_reference("White British"));
        let c = &a.characteristics[0];
        let cmp = row(c, "Prefer not to say");
        assert!((cmp.p_value - 0.0459).abs() < 5e-5, "{}", cmp.p_value);
        assert!((cmp.relative_rate.unwrap().ratio - 0.2667).abs() < 1e-4);
        assert_eq!(cmp.direction, Direction::Lower);
        assert!(!cmp.significant && !cmp.flagged());
        let r = c
            .rows
            .iter()
            .find(|r| r.group == "Prefer not to say")
            .unwrap();
        assert_eq!(reading(c, r, &a), None);
    }

    #[test]
    fn every_comparison_of_the_night_is_adjusted_together_by_holm() {
        // Against 50 of 400: Asian 14 of 40 (p 0.00054), Black 18 of 80 (p 0.0334), Prefer
        // not to say 2 of 60 (p 0.0459, lower). Three comparisons: Holm multiplies the
        // smallest p by 3 and the next by 2, never falling below the one before.
        let mut v = cohort("White British", 400, 50);
        v.extend(cohort("Asian", 40, 14));
        v.extend(cohort("Black", 80, 18));
        v.extend(cohort("Prefer not to say", 60, 2));
        let a = analyse(&v, AS_OF, &with_reference("White British"));
        assert_eq!(a.comparisons, 3);
        let c = &a.characteristics[0];
        let (asian, black, pnts) = (
            row(c, "Asian"),
            row(c, "Black"),
            row(c, "Prefer not to say"),
        );
        let p = |a, b, c, d| fisher_two_sided(a, b, c, d);
        assert_eq!(asian.p_value, p(14, 26, 50, 350));
        assert_eq!(asian.adjusted_p, 3.0 * asian.p_value);
        assert_eq!(black.adjusted_p, 2.0 * black.p_value);
        assert_eq!(
            pnts.adjusted_p, black.adjusted_p,
            "never below the one before"
        );
        assert!(asian.significant && asian.flagged());
        // Under 0.05 on its own, not once the three comparisons are allowed for.
        assert!(black.p_value < 0.05 && black.adjusted_p > 0.05);
        assert!(!black.significant);
        assert!(!pnts.significant);
        let r = c.rows.iter().find(|r| r.group == "Asian").unwrap();
        let words = reading(c, r, &a).unwrap();
        assert!(words.contains("statistically significant"), "{words}");
        assert!(
            words.contains("0.0016 once allowed for the 3 comparisons made tonight"),
            "{words}"
        );
        // One comparison alone is not adjusted.
        let mut one = cohort("White British", 400, 50);
        one.extend(cohort("Black", 80, 18));
        let a = analyse(&one, AS_OF, &with_reference("White British"));
        let black = row(&a.characteristics[0], "Black");
        assert_eq!((a.comparisons, black.adjusted_p), (1, black.p_value));
        assert!(black.significant);
    }

    #[test]
    fn category_values_match_whatever_their_case_spacing_or_punctuation() {
        assert_eq!(category_key(" White - British "), "white british");
        assert_eq!(category_key("WHITE  british"), "white british");
        assert_eq!(category_key("Mixed/Multiple"), "mixed multiple");
        assert_eq!(category_key(" - "), "");
        // Another system's spelling of the configured reference, and two spellings of it in
        // one export: one group, named as most of its decisions spell it.
        let mut v = cohort("White - British", 300, 40);
        v.extend(cohort("white  british", 100, 10));
        v.extend(cohort("Black", 80, 18));
        let a = analyse(&v, AS_OF, &with_reference("White British"));
        let c = &a.characteristics[0];
        assert_eq!(c.reference.as_deref(), Some("White - British"));
        assert_eq!(c.configured_as.as_deref(), Some("White British"));
        assert!(
            c.note.is_none() && a.warnings.is_empty(),
            "{:?}",
            a.warnings
        );
        let groups: Vec<(&str, u64)> = c
            .rows
            .iter()
            .map(|r| (r.group.as_str(), r.figures.as_ref().unwrap().decisions))
            .collect();
        assert_eq!(groups, vec![("Black", 80), ("White - British", 400)]);
        assert_eq!(row(c, "Black").p_value, fisher_two_sided(18, 62, 50, 350));
    }

    #[test]
    fn a_configured_reference_still_absent_is_a_warning_naming_the_values_present() {
        let mut v = cohort("White Irish", 100, 10);
        v.extend(cohort("Black", 50, 5));
        v.extend(cohort("", 20, 2));
        let a = analyse(&v, AS_OF, &with_reference("White British"));
        let c = &a.characteristics[0];
        assert_eq!(c.reference, None);
        let note = c.note.as_deref().unwrap();
        assert!(note.contains("reference group White British"), "{note}");
        assert!(note.contains(r#""Black", "White Irish""#), "{note}");
        assert_eq!(a.warnings.len(), 1);
        let w = &a.warnings[0];
        assert!(w.contains(r#""White British""#), "{w}");
        assert!(
            w.contains(r#"the values recorded are "Black", "White Irish";"#),
            "{w}"
        );
        assert!(!w.contains(NOT_RECORDED), "{w}");
        // A reference configured for a characteristic the export does not carry.
        let mut s = with_reference("White British");
        s.reference.insert("religion".into(), "None".into());
        let a = analyse(&v, AS_OF, &s);
        assert!(a.warnings.iter().any(|w| w.contains("no religion column")));
    }

    #[test]
    fn all_small_means_nothing_shown() {
        let mut v = cohort("A", 5, 1);
        v.extend(cohort("B", 4, 2));
        let a = analyse(&v, AS_OF, &settings(10));
        let c = &a.characteristics[0];
        assert!(c.rows.iter().all(|r| r.figures.is_none()));
        assert!(c.note.is_some());
    }

    #[test]
    fn a_group_that_disappears_between_nights_says_why() {
        // Tonight: A 100, B 9 (too few), C 15 (hidden with B). Last night also listed D
        // (no decisions tonight) and a characteristic "sex" with no decisions tonight.
        let mut v = cohort("A", 100, 10);
        v.extend(cohort("B", 9, 5));
        v.extend(cohort("C", 15, 2));
        let mut a = analyse(&v, AS_OF, &settings(10));
        let previous: Vec<(String, String)> =
            [("ethnicity", "A"), ("ethnicity", "D"), ("sex", "F")]
                .iter()
                .map(|(c, g)| (c.to_string(), g.to_string()))
                .collect();
        carry_over(&mut a, &previous);
        let why: Vec<(&str, &str, Option<Hidden>)> = a
            .characteristics
            .iter()
            .flat_map(|c| {
                c.rows
                    .iter()
                    .map(|r| (c.name.as_str(), r.group.as_str(), r.hidden))
            })
            .collect();
        assert_eq!(
            why,
            vec![
                ("ethnicity", "A", None),
                ("ethnicity", "B", Some(Hidden::TooFew)),
                ("ethnicity", "C", Some(Hidden::WithSmaller)),
                ("ethnicity", "D", Some(Hidden::NoDecisions)),
                ("sex", "F", Some(Hidden::NoDecisions)),
            ]
        );
        assert!(a.characteristics[1]
            .note
            .as_deref()
            .unwrap()
            .contains("records sex"));
        assert_eq!(
            Hidden::TooFew.text(10),
            "suppressed tonight: fewer than 10 decisions in the window"
        );
        // B and C were shown last night; B is suppressed tonight and says so,
        // A is shown and D has no decisions, so their status is unchanged.
        let shown: Vec<(String, String)> =
            [("ethnicity", "A"), ("ethnicity", "B"), ("ethnicity", "D")]
                .iter()
                .map(|(c, g)| (c.to_string(), g.to_string()))
                .collect();
        note_shown_before(&mut a, &shown);
        let status: Vec<String> = a.characteristics[0]
            .rows
            .iter()
            .map(|r| r.status(10))
            .collect();
        assert_eq!(
            status,
            vec![
                "shown".to_string(),
                "suppressed tonight: fewer than 10 decisions in the window (shown on the previous night)".into(),
                Hidden::WithSmaller.text(10),
                Hidden::NoDecisions.text(10),
            ]
        );
        note_shown_before(&mut a, &[]);
        // Carrying over twice adds nothing more.
        let before = a.clone();
        carry_over(&mut a, &previous);
        assert_eq!(a, before);
    }
}
