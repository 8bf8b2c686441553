//! Morning: everything the vetting manager's outputs show, gathered once per run so that the
//! HTML report, the spreadsheet and the CSV files all read the same figures.

use super::RunInfo;
use crate::analyse::{
    coverage::Coverage, disproportion::Analysis, forecast::Forecast, qa_sample::Pick, review::Item,
    ReportPolicy,
};
use crate::assess::Exception;
use crate::history::diff::Diff;
use crate::history::past::Past;
use crate::ingest::Ingested;
use crate::link::LinkOutcome;
use crate::model::Levels;
use crate::model::{Person, VettingRecord};
use crate::store::LinkCounts;

pub struct Morning<'a> {
    pub info: &'a RunInfo,
    pub policy: &'a ReportPolicy,
    pub levels: &'a Levels,
    pub data: &'a Ingested,
    pub links: &'a [LinkOutcome],
    pub link_counts: &'a LinkCounts,
    pub exceptions: &'a [Exception],
    pub past: &'a Past,
    /// Which optional feeds tonight read, and why not the others.
    pub feeds: &'a crate::model::feeds::Feeds,
    /// Against the previous run (None on the first run).
    pub changes: Option<Diff>,
    pub coverage: Coverage,
    pub forecast: Forecast,
    /// The unit's own work: backlog, throughput, demand, appeals.
    pub unit: crate::analyse::unit::Unit,
    pub disproportion: Analysis,
    pub qa: Vec<Pick>,
    /// The QA verdicts in force when the run started (None for a night stored before they
    /// were kept, whose QA section renders as it did).
    pub qa_verdicts: Option<&'a crate::clerical::qa::QaInForce>,
    pub review: Vec<Item>,
    /// Tonight's conditions on clearances (None when the conditions feed was not read).
    pub conditions: Option<crate::analyse::conditions::Conditions>,
    /// The clearance register (clearance_register.csv).
    pub register: crate::analyse::register::Register,
    /// Joiners, movers and leavers since the previous night, and their actions.
    pub jml: crate::analyse::jml::Jml,
    /// Each code's severity under the force's policy, so a code with no rows tonight still
    /// shows how serious it is.
    pub severity: &'a std::collections::BTreeMap<crate::assess::Code, crate::assess::Severity>,
    /// Tonight's future postings, counted (not read without the postings feed).
    pub postings: crate::analyse::postings::Postings,
    /// The inspection figure: moves into designated posts made before clearance.
    pub moves: crate::analyse::moves::Moves,
    /// Tonight's declarations and integrity reviews (declaration_status.csv).
    pub declarations: crate::analyse::declarations::Declarations,
    /// The people tonight's exceptions give several signals at once (signals.csv).
    pub signals: crate::analyse::signals::Signals,
    /// Sanctions compared between officers and staff (sanctions.csv).
    pub sanctions: crate::analyse::sanctions::Sanctions,
    /// Posts whose recorded requirement looks wrong (post_register_checks.csv).
    pub post_register: crate::analyse::post_register::PostRegister,
}

impl Morning<'_> {
    /// Exceptions per code tonight, every code present.
    pub fn counts(&self) -> std::collections::BTreeMap<String, usize> {
        super::summary::counts(self.exceptions)
    }

    /// Why tonight did not check `code`, in words ("not read: PND returns switched off
    /// (...)"), or None when it did: where its figure would stand, the page, the workbook and
    /// summary.txt say this instead of a zero.
    pub fn unchecked(&self, code: crate::assess::Code) -> Option<String> {
        if let Some(role) = code.feed() {
            let off = self.feeds.not_read(role)?;
            return Some(crate::model::feeds::not_read_text(role, off));
        }
        let missing: Vec<&str> = (code.columns().iter().copied())
            .filter(|c| self.column_not_read(c))
            .collect();
        let file = |c: &str| {
            if crate::ingest::ROSTER_CODE_COLUMNS.contains(&c) {
                "the roster"
            } else {
                "the vetting export"
            }
        };
        match missing.as_slice() {
            [] => None,
            [one] => Some(format!("not read: {} has no {one} column", file(one))),
            many => Some(format!(
                "not read: {} has no {} columns",
                file(many.first().copied().unwrap_or_default()),
                many.join(", ")
            )),
        }
    }

    /// Tonight's files have no `column` (an optional one of the vetting export, or a roster
    /// column a code reads), so what it would say was not checked (never, for a stored night
    /// from before this was said).
    pub fn column_not_read(&self, column: &str) -> bool {
        self.feeds.says_what_was_not_checked() && !self.data.code_columns.contains(&column)
    }

    /// Every code tonight did not check, with why, in `Code::ALL` order.
    pub fn unchecked_codes(&self) -> Vec<(crate::assess::Code, String)> {
        crate::assess::Code::ALL
            .iter()
            .filter_map(|c| Some((*c, self.unchecked(*c)?)))
            .collect()
    }

    /// Did the previous run check `code`? (Always, for a stored night from before feeds
    /// were kept, or when there is no previous run.)
    pub fn checked_before(&self, code: crate::assess::Code) -> bool {
        !self.feeds.says_what_was_not_checked()
            || self
                .past
                .previous
                .as_ref()
                .is_none_or(|p| p.checked(code.as_str()))
    }
}

impl Morning<'_> {
    // The review queue and the QA sample name records and people by position, and those
    // positions come from enumerating these same slices (`analyse::review`,
    // `analyse::qa_sample`) or from the linker's candidates: out of range is a bug in the
    // program, never a value in the input. These two are the one place it would show.

    /// The vetting record at `record` (a position from the review queue or the QA sample).
    #[allow(
        clippy::indexing_slicing,
        reason = "positions come from enumerating `data.vetting` (above)"
    )]
    pub fn record(&self, record: usize) -> &VettingRecord {
        &self.data.vetting[record]
    }

    /// The roster person at `person` (a review candidate's position).
    #[allow(
        clippy::indexing_slicing,
        reason = "review candidates are the linker's, drawn from `data.persons` (above)"
    )]
    pub fn person(&self, person: usize) -> &Person {
        &self.data.persons[person]
    }

    /// The employee id a vetting record is linked to, if any.
    pub fn linked_employee(&self, record: usize) -> Option<&str> {
        let l = self.links.get(record)?;
        let c = l.linked_person().and(l.best())?;
        Some(c.person_in(&self.data.persons).employee_id.as_str())
    }
}
