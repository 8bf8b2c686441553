//! Disproportionality in vetting decisions: is refusal more likely for people with a
//! particular protected characteristic, and do their appeals fare differently?
//!
//! Measures as `shared/domain.md` section 5 and docs/report.md ("Disproportionality") define
//! them: for each characteristic present in the vetting export, over decisions made in the
//! window (a refusal is a `refused` record; a grant is `granted`, `lapsed` or `suspended`,
//! whose decision was to grant; pending and withdrawn records are not decisions), the refusal
//! rate per group, the relative rate against the reference group, the adverse-impact ratio
//! (pass rate against the reference's, flagged under four fifths) and Fisher's exact test.
//!
//! The same measures are taken at the stages after the decision (`Stage`, `stages`): of the
//! refusals, the share appealed; of the appeals decided, the share upheld. Each refusal is
//! broken down by its refusal_reason per group (`reasons`), so a group flagged at the
//! decision comes with its reasons. A stage or breakdown whose column the export lacks is
//! not read, and says which column.
//!
//! Only an adverse difference is flagged: a group refused more often than the reference, or
//! appealing less often, or having fewer appeals upheld. Every comparison the night makes,
//! across all characteristics and stages, is one family of tests: each p-value is adjusted
//! for the number made (Holm's step-down method, which holds whatever the dependence between
//! the tests), and a result is significant only on its adjusted p.
//!
//! Category values are matched as a person reads them (`category_key`): "White - British"
//! and "white british" are one group, and a configured reference group is found whatever its
//! case, spacing or punctuation. A configured reference that is still absent is a warning
//! (`Analysis::warnings`) naming the values present.
//!
//! Small numbers identify people. A group with fewer decisions than the minimum is
//! suppressed: no count, rate or test of it appears anywhere. When exactly one row of a
//! characteristic is suppressed, the next smallest is suppressed too, so the hidden one cannot
//! be worked out by subtraction from the other rows. A later stage and the reasons apply the
//! same rule to the count their rates are taken over (refusals, appeals decided), and keep
//! hidden every group the stage before hid (`suppress`).

mod reading;
mod reasons;
#[cfg(test)]
mod stage_tests;
mod stages;
#[cfg(test)]
mod tests;

use super::stats::{fisher_two_sided, risk_ratio, RiskRatio};
use crate::model::casework::AppealStatus;
use crate::model::{VettingRecord, VettingStatus};
use chrono::NaiveDate;
pub use reading::{p_text, reading, reading_at};
pub use reasons::{reasons_line, ReasonCharacteristic, ReasonGroup, Reasons};
pub use stages::LaterStage;
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
    /// How the group's rate stands to the reference's.
    pub direction: Direction,
    /// The direction that is adverse at the comparison's stage (`Stage::adverse`).
    pub adverse: Direction,
    /// Adverse (refused more often than the reference at the decision), and `adjusted_p`
    /// under the significance level.
    pub significant: bool,
}

/// A stage of vetting at which groups are compared: each has its cases (the count a rate is
/// taken over) and the outcome counted among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Decisions in the window: refused against granted (disproportionality.csv).
    Refusal,
    /// Refusals in the window whose appeal_status is recorded: appealed (lodged, upheld,
    /// dismissed or withdrawn) against `none`.
    AppealLodged,
    /// Appeals of those refusals that are decided: upheld against dismissed.
    AppealUpheld,
}

impl Stage {
    /// The stages after the decision, in order (disproportionality_stages.csv).
    pub const LATER: [Stage; 2] = [Stage::AppealLodged, Stage::AppealUpheld];

    /// As disproportionality_stages.csv's `stage` column gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Refusal => "refusal",
            Stage::AppealLodged => "appeal_lodged",
            Stage::AppealUpheld => "appeal_upheld",
        }
    }

    /// The page's heading for the stage.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Refusal => "Refused (of decisions)",
            Stage::AppealLodged => "Appealed (of refusals)",
            Stage::AppealUpheld => "Upheld (of appeals decided)",
        }
    }

    /// What the stage's cases are, in plain words.
    pub fn cases(self) -> &'static str {
        match self {
            Stage::Refusal => "decisions",
            Stage::AppealLodged => "refusals",
            Stage::AppealUpheld => "appeals decided",
        }
    }

    /// The direction of an adverse difference: refused more often at the decision; appealing
    /// less often (less use of the one redress a refusal has), or having fewer appeals
    /// upheld, after it.
    pub fn adverse(self) -> Direction {
        match self {
            Stage::Refusal => Direction::Higher,
            Stage::AppealLodged | Stage::AppealUpheld => Direction::Lower,
        }
    }

    /// The optional column of the vetting export the stage reads, if any.
    pub fn column(self) -> Option<&'static str> {
        match self {
            Stage::Refusal => None,
            Stage::AppealLodged | Stage::AppealUpheld => Some("appeal_status"),
        }
    }
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
        self.status_at(Stage::Refusal, minimum_group)
    }

    /// `status` of a row of `stage`.
    pub fn status_at(&self, stage: Stage, minimum_group: u64) -> String {
        match self.hidden {
            None => "shown".into(),
            Some(h) if self.shown_before && h != Hidden::NoDecisions => format!(
                "{} (shown on the previous night)",
                h.text_of(stage.cases(), minimum_group)
            ),
            Some(h) => h.text_of(stage.cases(), minimum_group),
        }
    }
}

/// Why a group's figures are not shown tonight (a group never disappears from the page or
/// the CSV without a reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// Fewer decisions than the minimum group size (at a later stage, fewer of its cases).
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
        self.text_of(Stage::Refusal.cases(), minimum_group)
    }

    /// `text`, for a count of `cases` ("refusals", "appeals decided") other than decisions.
    pub fn text_of(self, cases: &str, minimum_group: u64) -> String {
        match self {
            Hidden::TooFew => {
                format!("suppressed tonight: fewer than {minimum_group} {cases} in the window")
            }
            Hidden::WithSmaller => "suppressed tonight: hidden with a smaller group, so that group cannot be worked out by subtraction".into(),
            Hidden::NoDecisions => "no decisions in the window tonight (listed on the previous night)".into(),
        }
    }
}

/// A shown group's counts at one stage: its cases (decisions at the refusal stage) and the
/// outcome counted among them (refusals there).
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub cases: u64,
    pub outcomes: u64,
    pub comparison: Option<Comparison>,
}

impl Figures {
    /// Outcomes / cases (the refusal rate at the refusal stage).
    pub fn rate(&self) -> f64 {
        self.outcomes as f64 / self.cases as f64
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
    /// The stages after the decision (`Stage::LATER`), each measured or not read.
    pub stages: Vec<LaterStage>,
    /// Refusals by refusal_reason per group.
    pub reasons: Reasons,
    /// Comparisons made tonight across every characteristic and stage: the family Holm's
    /// method adjusts for.
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
/// the group), and its refusals' appeals and reasons.
#[derive(Default)]
struct Tally<'v> {
    decisions: u64,
    refusals: u64,
    spellings: BTreeMap<&'v str, u64>,
    /// Cases and outcomes at each later stage, in `Stage::LATER` order.
    later: [(u64, u64); 2],
    /// Refusals per refusal_reason ("" when none is recorded).
    reasons: BTreeMap<&'v str, u64>,
}

/// One group's counts at every stage, under its label.
#[derive(Debug, Default)]
struct GroupCounts {
    decisions: u64,
    refusals: u64,
    later: [(u64, u64); 2],
    reasons: BTreeMap<String, u64>,
}

/// A refusal's place at each later stage (`Stage::LATER` order): None when it is not a case
/// there, else whether the stage's outcome happened. Appealed among refusals whose
/// appeal_status is recorded; upheld among the appeals decided.
fn later_outcomes(v: &VettingRecord) -> [Option<bool>; 2] {
    let status = v.casework.as_ref().and_then(|c| c.appeal_status);
    [
        status.map(AppealStatus::lodged),
        status
            .filter(|s| s.decided())
            .map(|s| s == AppealStatus::Upheld),
    ]
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

/// The analysis of the decisions in the window ending `as_of`. `read` names the vetting
/// export's contract columns present (`ingest::Ingested::vetting_columns`): a later stage
/// or the reasons whose column is not among them is not read.
pub fn analyse(
    vetting: &[VettingRecord],
    read: &[&str],
    as_of: NaiveDate,
    settings: &DisproportionSettings,
) -> Analysis {
    let window = super::Window::ending(as_of, settings.window_months);
    let names: BTreeSet<&str> = vetting.iter().flat_map(|v| v.protected.keys()).collect();
    let counts = tally(vetting, window, &names);
    let mut characteristics = Vec::new();
    let mut stages: Vec<LaterStage> = Stage::LATER
        .iter()
        .map(|&stage| LaterStage::new(stage, read))
        .collect();
    let mut reasons = Reasons::new(read);
    for (name, groups) in &counts {
        let refusal: BTreeMap<String, (u64, u64)> = (groups.iter())
            .map(|(g, c)| (g.clone(), (c.decisions, c.refusals)))
            .collect();
        let c = characteristic(name, &refusal, settings);
        let mut before = &c;
        for (i, later) in stages.iter_mut().enumerate() {
            let cases: BTreeMap<String, (u64, u64)> = (groups.iter())
                .map(|(g, c)| (g.clone(), c.later.get(i).copied().unwrap_or_default()))
                .collect();
            later.add(before, &cases, settings);
            before = later.characteristics.last().unwrap_or(before);
        }
        let by_reason: BTreeMap<String, (u64, &BTreeMap<String, u64>)> = (groups.iter())
            .map(|(g, c)| (g.clone(), (c.refusals, &c.reasons)))
            .collect();
        reasons.add(&c, &by_reason, settings.minimum_group);
        characteristics.push(c);
    }
    let comparisons = adjust_for_comparisons(&mut characteristics, &mut stages, settings);
    let columns: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let warnings = reference_warnings(&characteristics, &columns, settings);
    Analysis {
        from: window.from,
        to: window.to,
        settings: settings.clone(),
        characteristics,
        columns,
        stages,
        reasons,
        comparisons,
        warnings,
    }
}

/// Every decision in `window` counted under each characteristic of `names`, by group (named
/// by `Tally::label`, `NOT_RECORDED` for no value), with its refusals' appeals and reasons.
fn tally<'v>(
    vetting: &'v [VettingRecord],
    window: super::Window,
    names: &BTreeSet<&'v str>,
) -> BTreeMap<&'v str, BTreeMap<String, GroupCounts>> {
    // Characteristic -> group key (`category_key`) -> tally.
    let mut counts: BTreeMap<&str, BTreeMap<String, Tally<'_>>> = BTreeMap::new();
    for v in vetting {
        let Some(refused) = outcome(v, window) else {
            continue;
        };
        let later = if refused {
            later_outcomes(v)
        } else {
            [None; 2]
        };
        let reason = (v.casework.as_ref())
            .and_then(|c| c.refusal_reason.as_deref())
            .unwrap_or("");
        for name in names {
            let value = v.protected.get(name).map_or("", |s| s.trim());
            let key = category_key(value);
            let c = counts.entry(name).or_default().entry(key).or_default();
            c.decisions += 1;
            c.refusals += u64::from(refused);
            if !value.is_empty() {
                *c.spellings.entry(value).or_default() += 1;
            }
            for (stage, happened) in c.later.iter_mut().zip(later) {
                if let Some(happened) = happened {
                    stage.0 += 1;
                    stage.1 += u64::from(happened);
                }
            }
            if refused {
                *c.reasons.entry(reason).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|(name, tallies)| {
            let groups = tallies
                .into_iter()
                .map(|(key, t)| {
                    let label = if key.is_empty() {
                        NOT_RECORDED.to_string()
                    } else {
                        t.label()
                    };
                    let reasons = (t.reasons.into_iter())
                        .map(|(r, n)| (r.to_string(), n))
                        .collect();
                    let counts = GroupCounts {
                        decisions: t.decisions,
                        refusals: t.refusals,
                        later: t.later,
                        reasons,
                    };
                    (label, counts)
                })
                .collect();
            (name, groups)
        })
        .collect()
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
    stages: &mut [LaterStage],
    s: &DisproportionSettings,
) -> usize {
    let later = stages.iter_mut().flat_map(|l| l.characteristics.iter_mut());
    let mut all: Vec<&mut Comparison> = (characteristics.iter_mut().chain(later))
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
        c.significant = c.direction == c.adverse && running < s.significance;
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
    let bases = groups.iter().map(|(g, c)| (g.as_str(), c.0));
    let hidden = suppress(bases, &BTreeSet::new(), min);
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
    let rows = rows(Stage::Refusal, groups, &hidden, reference.as_deref(), s);
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

/// The groups a stage hides, given each group's base (the count its rate is taken over) and
/// the groups the stage before hid (`earlier`, which stay hidden): every group with fewer
/// than `min`, then, when exactly one row would be hidden, the next smallest too (secondary
/// suppression), so the hidden one cannot be worked out by subtraction from a total. The
/// sanctions comparison (`analyse::sanctions`) hides its breach categories by the same rule.
pub fn suppress<'g>(
    bases: impl Iterator<Item = (&'g str, u64)> + Clone,
    earlier: &BTreeSet<&str>,
    min: u64,
) -> BTreeSet<&'g str> {
    let mut hidden: BTreeSet<&str> = (bases.clone())
        .filter(|(g, n)| *n < min || earlier.contains(g))
        .map(|(g, _)| g)
        .collect();
    if hidden.len() == 1 && bases.clone().count() > 1 {
        let next = bases
            .filter(|(g, _)| !hidden.contains(g))
            .min_by_key(|(g, n)| (*n, *g))
            .map(|(g, _)| g);
        hidden.extend(next);
    }
    hidden
}

/// The rows of one characteristic at `stage`: groups (label -> cases, outcomes), those in
/// `hidden` without figures (too few cases, or hidden with a smaller group), and each other
/// group but the reference and the not-recorded row compared with the reference.
fn rows(
    stage: Stage,
    groups: &BTreeMap<String, (u64, u64)>,
    hidden: &BTreeSet<&str>,
    reference: Option<&str>,
    s: &DisproportionSettings,
) -> Vec<GroupRow> {
    let ref_counts = reference.and_then(|r| groups.get(r)).copied();
    groups
        .iter()
        .map(|(g, &(cases, outcomes))| {
            let is_reference = reference == Some(g.as_str());
            let why = hidden
                .contains(g.as_str())
                .then_some(if cases < s.minimum_group {
                    Hidden::TooFew
                } else {
                    Hidden::WithSmaller
                });
            let figures = why.is_none().then(|| Figures {
                cases,
                outcomes,
                comparison: ref_counts
                    .filter(|_| !is_reference && *g != NOT_RECORDED)
                    .map(|reference| compare(stage, (cases, outcomes), reference, s)),
            });
            GroupRow {
                group: g.to_string(),
                is_reference,
                figures,
                hidden: why,
                shown_before: false,
            }
        })
        .collect()
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

/// One group's (cases, outcomes) at `stage` against the reference's. The adverse-impact
/// ratio compares the favourable rate: granted at the decision (one less the refusal rate),
/// appealed or upheld after it (the rate itself).
fn compare(
    stage: Stage,
    group: (u64, u64),
    reference: (u64, u64),
    s: &DisproportionSettings,
) -> Comparison {
    let ((gn, gr), (rn, rr)) = (group, reference);
    let adverse = stage.adverse();
    let pass = |n: u64, r: u64| {
        let favourable = if adverse == Direction::Higher {
            n - r
        } else {
            r
        };
        favourable as f64 / n as f64
    };
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
        adverse,
        // Set once every comparison is known (`adjust_for_comparisons`).
        significant: false,
    }
}

impl Comparison {
    /// Worth a manager's attention: adverse (refused more often than the reference at the
    /// decision), and under four fifths or significant. A group refused less often is shown,
    /// never flagged.
    pub fn flagged(&self) -> bool {
        self.direction == self.adverse && (self.four_fifths_flag || self.significant)
    }
}
