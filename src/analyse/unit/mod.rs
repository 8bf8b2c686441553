//! The unit's work: the vetting unit's own caseload, read from the vetting export's
//! casework columns. Five figures, each in its own file:
//!
//! - `backlog`: open cases (pending records) by case type, stage, age and the role risk of
//!   the post they are for, and every open case, oldest first;
//! - `throughput`: decisions per month and case type over the last 12 months, and how long
//!   they took from application to decision;
//! - `trend` (here): tonight's open cases beside the stored nights';
//! - `demand`: the work of the coming 12 months (renewals from the renewal forecast, the
//!   recruitment plan, the other case types at last year's rate) in cases, hours and
//!   full-time staff, and the month the backlog clears at tonight's throughput;
//! - `appeals`: appeals by level and case type, and how long they take;
//!
//! and cases and decisions per decision maker, for the workbook only.
//!
//! A figure that needs a column the export lacks is `NotRead` naming it, never a zero; an
//! export with none of the casework columns gives `Unit::NoColumns` and nothing else.
//! Plain data: `report` words it and writes it.

pub mod appeals;
pub mod backlog;
pub mod demand;
pub mod throughput;

use super::forecast::Forecast;
use super::Window;
use crate::assess::priority::PriorityPolicy;
use crate::assess::Facts;
use crate::model::casework::{CaseworkPolicy, OpenCases, PlannedIntake};
use crate::model::{VettingRecord, VettingStatus};
use chrono::NaiveDate;

/// The months every rate and window of the unit's work reads: the last 12 months up to the
/// as-of date (`Window::ending`), and the 12 months ahead.
pub const MONTHS: u32 = 12;

/// A blank case type, stage or level, as its row is named.
pub const NOT_RECORDED: &str = "(not recorded)";

/// The case types the figures treat by name (the default policy's spelling).
pub const RECRUIT: &str = "recruit";
pub const RENEWAL: &str = "renewal";

/// Why a figure was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRead {
    /// The vetting export has none of these columns (in the contract's order).
    Columns(Vec<&'static str>),
    /// No recruitment plan was read tonight.
    NoPlan,
}

/// A figure, or why it was not read.
pub type Figure<T> = Result<T, NotRead>;

/// What the unit's work is read from.
pub struct Given<'a> {
    pub facts: &'a Facts<'a>,
    pub casework: &'a CaseworkPolicy,
    /// The role-risk notion of the priority order (designated post, vulnerable contact,
    /// national-security level).
    pub priority: &'a PriorityPolicy,
    /// The vetting export's contract columns present (`Ingested::vetting_columns`).
    pub columns: &'a [&'static str],
    /// The recruitment plan's rows; None when no plan was read tonight.
    pub plan: Option<&'a [PlannedIntake]>,
    pub forecast: &'a Forecast,
    /// The earlier nights of the trend window, oldest first.
    pub history: &'a [TrendNight],
    pub run_id: &'a str,
}

impl Given<'_> {
    /// `Err` naming every one of `needed` the export lacks.
    pub fn need(&self, needed: &[&'static str]) -> Result<(), NotRead> {
        let missing: Vec<&'static str> = (needed.iter().copied())
            .filter(|c| !self.columns.contains(c))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(NotRead::Columns(missing))
        }
    }

    pub fn has(&self, column: &str) -> bool {
        self.columns.contains(&column)
    }

    pub fn as_of(&self) -> NaiveDate {
        self.facts.as_of
    }

    /// The last 12 months up to the as-of date.
    pub fn window(&self) -> Window {
        Window::ending(self.as_of(), MONTHS)
    }

    /// The vetting records with their positions.
    pub fn records(&self) -> impl Iterator<Item = (usize, &VettingRecord)> + '_ {
        self.facts.vetting.iter().enumerate()
    }

    /// The case types rows are listed under: the policy's, in its order.
    pub fn case_types(&self) -> Vec<String> {
        self.casework
            .case_types
            .iter()
            .map(|t| t.to_string())
            .collect()
    }
}

/// A record's case type as rows name it.
pub fn case_type(v: &VettingRecord) -> &str {
    v.casework
        .as_deref()
        .and_then(|c| c.case_type.as_deref())
        .unwrap_or(NOT_RECORDED)
}

/// A decision of the unit: granted, refused or withdrawn, with its decision date.
pub fn decided_on(v: &VettingRecord) -> Option<NaiveDate> {
    matches!(
        v.status,
        VettingStatus::Granted | VettingStatus::Refused | VettingStatus::Withdrawn
    )
    .then_some(v.decision_date)
    .flatten()
}

/// The value at fraction `p` (0 to 1) of `sorted` (ascending), interpolated between the
/// two nearest ranks as a spreadsheet's PERCENTILE.INC does: the median of 10 and 20 is
/// 15. None for no values.
pub fn percentile(sorted: &[i64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    let (a, b) = (*sorted.get(lo)? as f64, *sorted.get(hi)? as f64);
    Some(a + (h - lo as f64) * (b - a))
}

/// One night of the backlog trend.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendNight {
    pub run_id: String,
    pub as_of: String,
    /// None for a night that kept no open cases (its export carried no casework columns,
    /// or it was made before they were kept).
    pub open: Option<OpenCases>,
}

/// Open cases over the stored nights of the trend window and tonight, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub nights: Vec<TrendNight>,
}

impl Trend {
    /// The as-of date from which every night has its open cases, when an earlier night in
    /// the window has none or tonight is the only night: "no history before" it.
    pub fn no_history_before(&self) -> Option<&str> {
        let last_without = self.nights.iter().rposition(|n| n.open.is_none());
        match last_without {
            Some(i) => self.nights.get(i + 1).map(|n| n.as_of.as_str()),
            None if self.nights.len() == 1 => self.nights.first().map(|n| n.as_of.as_str()),
            None => None,
        }
    }
}

/// Cases and decisions per decision maker id (the workbook only: never on the page or in a
/// log).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MakerRow {
    pub id: String,
    /// Every record naming them.
    pub cases: usize,
    /// Of those, open (pending).
    pub open: usize,
    /// Decisions (granted, refused, withdrawn) in the last 12 months.
    pub decisions: usize,
    pub granted: usize,
    pub refused: usize,
    pub withdrawn: usize,
}

/// Adverse decisions whose category needs an interview (`casework.interview_categories`),
/// made since the casework lookback began, by category: an interview held, not held (each
/// one an INTERVIEW_NOT_HELD row), or not recorded (interview_held blank: counted here,
/// never read as "no").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InterviewRow {
    pub category: String,
    pub held: usize,
    pub not_held: usize,
    pub not_recorded: usize,
}

impl InterviewRow {
    pub fn decisions(&self) -> usize {
        self.held + self.not_held + self.not_recorded
    }
}

/// The interview figures: one row per interview category, in the config's order, and the
/// date the lookback starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interviews {
    pub since: NaiveDate,
    pub rows: Vec<InterviewRow>,
}

impl Interviews {
    pub fn total(&self) -> InterviewRow {
        let mut t = InterviewRow {
            category: "all".into(),
            ..InterviewRow::default()
        };
        for r in &self.rows {
            t.held += r.held;
            t.not_held += r.not_held;
            t.not_recorded += r.not_recorded;
        }
        t
    }
}

fn interviews(g: &Given<'_>) -> Figure<Interviews> {
    g.need(&["adverse_info", "adverse_category", "interview_held"])?;
    let since = crate::assess::casework::lookback_start(g.facts);
    let mut rows: Vec<InterviewRow> = (g.casework.interview_categories.iter())
        .map(|c| InterviewRow {
            category: c.to_string(),
            ..InterviewRow::default()
        })
        .collect();
    for (_, v) in g.records() {
        let Some(d) = crate::assess::casework::interview::needing_interview(g.facts, since, v)
        else {
            continue;
        };
        let Some(row) = rows.iter_mut().find(|r| r.category == d.category) else {
            continue;
        };
        match d.held {
            Some(true) => row.held += 1,
            Some(false) => row.not_held += 1,
            None => row.not_recorded += 1,
        }
    }
    Ok(Interviews { since, rows })
}

/// Everything the unit's work shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    pub as_of: NaiveDate,
    pub backlog: backlog::Backlog,
    pub throughput: throughput::Throughput,
    pub trend: Trend,
    pub demand: demand::Demand,
    pub appeals: Figure<appeals::Appeals>,
    pub interviews: Figure<Interviews>,
    pub decision_makers: Figure<Vec<MakerRow>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    /// The export carries none of the casework columns: the unit's work was not read.
    NoColumns,
    Read(Box<Work>),
}

impl Unit {
    /// Tonight's open cases for the run record (None when not read).
    pub fn open_cases(&self) -> Option<OpenCases> {
        match self {
            Unit::NoColumns => None,
            Unit::Read(w) => Some(w.backlog.open_cases()),
        }
    }
}

/// The unit's work tonight.
pub fn analyse(g: &Given<'_>) -> Unit {
    if !crate::model::casework::COLUMNS.iter().any(|c| g.has(c)) {
        return Unit::NoColumns;
    }
    let backlog = backlog::backlog(g);
    let throughput = throughput::throughput(g);
    let mut nights = g.history.to_vec();
    nights.push(TrendNight {
        run_id: g.run_id.to_string(),
        as_of: g.as_of().to_string(),
        open: Some(backlog.open_cases()),
    });
    let demand = demand::demand(g, &backlog, &throughput);
    Unit::Read(Box::new(Work {
        as_of: g.as_of(),
        appeals: appeals::appeals(g),
        interviews: interviews(g),
        decision_makers: decision_makers(g),
        trend: Trend { nights },
        backlog,
        throughput,
        demand,
    }))
}

fn decision_makers(g: &Given<'_>) -> Figure<Vec<MakerRow>> {
    g.need(&["decision_maker"])?;
    let window = g.window();
    let mut by: std::collections::BTreeMap<&str, MakerRow> = Default::default();
    for (_, v) in g.records() {
        let Some(id) = v
            .casework
            .as_deref()
            .and_then(|c| c.decision_maker.as_deref())
        else {
            continue;
        };
        let row = by.entry(id).or_insert_with(|| MakerRow {
            id: id.to_string(),
            ..MakerRow::default()
        });
        row.cases += 1;
        row.open += usize::from(v.status == VettingStatus::Pending);
        if decided_on(v).is_some_and(|d| window.contains(d)) {
            row.decisions += 1;
            match v.status {
                VettingStatus::Granted => row.granted += 1,
                VettingStatus::Refused => row.refused += 1,
                _ => row.withdrawn += 1,
            }
        }
    }
    Ok(by.into_values().collect())
}

#[cfg(test)]
mod tests;
