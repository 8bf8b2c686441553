//! Assess: apply the force's rules to the linked data and raise exceptions.
//!
//! One rule per file. Every rule reads the same `Facts` (people, posts, vetting records and
//! the auto-links between them) and returns exception rows; `priority` then ranks the whole
//! list. No rule sees another rule's output, so a rule can change without touching the rest.

pub mod adverse;
pub mod casework;
pub mod clearance;
pub mod code;
pub mod integrity;
pub mod leaver;
pub mod match_review;
pub mod orphan;
pub mod prevention;
pub mod priority;
pub mod related;
pub mod settings;
pub mod triggers;

use crate::link::LinkOutcome;
use crate::model::casework::CaseworkPolicy;
use crate::model::Levels;
use crate::model::{LevelId, Person, Post, VettingRecord, VettingStatus};
use chrono::NaiveDate;
pub use code::{Code, Severity};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The built-in `[casework]` policy, for facts not given the force's own.
static BUILT_IN_CASEWORK: LazyLock<CaseworkPolicy> = LazyLock::new(CaseworkPolicy::default);

/// The built-in `[prevention]` policy, for facts not given the force's own.
static BUILT_IN_PREVENTION: LazyLock<crate::model::prevention::PreventionPolicy> =
    LazyLock::new(Default::default);

/// The built-in `[integrity]` policy, for facts not given the force's own.
static BUILT_IN_INTEGRITY: LazyLock<crate::model::integrity::IntegrityPolicy> =
    LazyLock::new(crate::model::integrity::IntegrityPolicy::built_in);

/// Everything the rules may read.
pub struct Facts<'a> {
    pub persons: &'a [Person],
    pub posts: &'a [Post],
    pub vetting: &'a [VettingRecord],
    /// One outcome per vetting record, same order as `vetting`.
    pub links: &'a [LinkOutcome],
    pub levels: &'a Levels,
    pub as_of: NaiveDate,
    pub expiry_warning_days: i64,
    post_index: HashMap<&'a str, usize>,
    /// For each person, the indices of the vetting records linked to them automatically.
    linked: Vec<Vec<u32>>,
    /// The review-trigger feeds (empty unless set with `with_triggers`).
    pub triggers: triggers::TriggerFacts<'a>,
    /// The clerical decisions applied to the vetting links and to the PND returns' links,
    /// for the ones tonight's data reopened (none unless set with `with_overrides`).
    pub overrides: Option<&'a crate::link::Overrides>,
    pub pnd_overrides: Option<&'a crate::link::Overrides>,
    /// The force's `[casework]` policy (the built-in one unless set with `with_casework`).
    pub casework: &'a CaseworkPolicy,
    /// Tonight's future postings and conditions on clearances (neither read unless set with
    /// `with_prevention`).
    pub prevention: prevention::PreventionFacts<'a>,
    /// Tonight's declarations and the `[integrity]` policy (declarations not read unless set
    /// with `with_integrity`).
    pub integrity: integrity::IntegrityFacts<'a>,
    /// The optional columns codes are raised from that tonight's files hold (every column
    /// unless set with `with_vetting_columns`; `Ingested::code_columns`): a code raised from
    /// optional columns is raised only when they are all there (`checks`).
    vetting_columns: Option<&'a [&'static str]>,
}

impl<'a> Facts<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        persons: &'a [Person],
        posts: &'a [Post],
        vetting: &'a [VettingRecord],
        links: &'a [LinkOutcome],
        levels: &'a Levels,
        as_of: NaiveDate,
        expiry_warning_days: i64,
    ) -> Facts<'a> {
        assert_eq!(
            links.len(),
            vetting.len(),
            "one link outcome per vetting record"
        );
        let post_index = posts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.post_id.as_str(), i))
            .collect();
        let mut linked = vec![Vec::new(); persons.len()];
        for (vi, l) in links.iter().enumerate() {
            if let Some(on) = l.linked_person().and_then(|p| linked.get_mut(p as usize)) {
                on.push(vi as u32);
            }
        }
        Facts {
            persons,
            posts,
            vetting,
            links,
            levels,
            as_of,
            expiry_warning_days,
            post_index,
            linked,
            triggers: triggers::TriggerFacts::default(),
            overrides: None,
            pnd_overrides: None,
            casework: &BUILT_IN_CASEWORK,
            prevention: prevention::PreventionFacts {
                postings: None,
                conditions: None,
                policy: &BUILT_IN_PREVENTION,
            },
            integrity: integrity::IntegrityFacts {
                declarations: None,
                policy: &BUILT_IN_INTEGRITY,
            },
            vetting_columns: None,
        }
    }

    /// The same facts judged by the force's `[casework]` policy.
    pub fn with_casework(mut self, policy: &'a CaseworkPolicy) -> Facts<'a> {
        self.casework = policy;
        self
    }

    /// The same facts with tonight's prevention feeds and the force's `[prevention]` policy.
    pub fn with_prevention(mut self, p: prevention::PreventionFacts<'a>) -> Facts<'a> {
        self.prevention = p;
        self
    }

    /// The same facts with tonight's declarations and the force's `[integrity]` policy.
    pub fn with_integrity(mut self, i: integrity::IntegrityFacts<'a>) -> Facts<'a> {
        self.integrity = i;
        self
    }

    /// The same facts from files with these optional columns only (the vetting export's,
    /// and the roster's columns codes read: `Ingested::code_columns`).
    pub fn with_vetting_columns(mut self, columns: &'a [&'static str]) -> Facts<'a> {
        self.vetting_columns = Some(columns);
        self
    }

    /// Whether tonight's files have every column `code` is raised from
    /// (`Code::columns`). Without one, the code is not checked: its rule raises nothing and
    /// the page says `not read`, so a blank column never reads as "no" nor as "missing".
    pub fn checks(&self, code: Code) -> bool {
        self.vetting_columns
            .is_none_or(|read| code.columns().iter().all(|c| read.contains(c)))
    }

    /// Whether tonight's vetting export has `column` (always, for facts not told the
    /// export's columns): a detail names a value of an optional column only when it does.
    pub fn reads(&self, column: &str) -> bool {
        self.vetting_columns
            .is_none_or(|read| read.contains(&column))
    }

    /// The same facts with the decisions the vetting links (and the PND returns' links,
    /// when there are any) were made under.
    pub fn with_overrides(
        mut self,
        vetting: &'a crate::link::Overrides,
        pnd: Option<&'a crate::link::Overrides>,
    ) -> Facts<'a> {
        self.overrides = Some(vetting);
        self.pnd_overrides = pnd;
        self
    }

    /// `reopened_note` for PND return `ri`.
    pub fn pnd_reopened_note(&self, ri: usize) -> String {
        self.pnd_overrides
            .map_or_else(String::new, |o| o.reopened_note(ri))
    }

    /// The notes of the decisions on vetting record `vi` that tonight's data reopened, as
    /// one text ("" for none).
    pub fn reopened_note(&self, vi: usize) -> String {
        self.overrides
            .map_or_else(String::new, |o| o.reopened_note(vi))
    }

    /// The same facts with tonight's review-trigger feeds.
    pub fn with_triggers(mut self, t: triggers::TriggerFacts<'a>) -> Facts<'a> {
        self.triggers = t;
        self
    }

    pub fn post(&self, post_id: &str) -> Option<&'a Post> {
        self.post_index
            .get(post_id)
            .and_then(|&i| self.posts.get(i))
    }

    /// The vetting records linked automatically to a person.
    pub fn records_of(
        &self,
        person: usize,
    ) -> impl Iterator<Item = (usize, &'a VettingRecord)> + '_ {
        self.linked
            .get(person)
            .into_iter()
            .flatten()
            .filter_map(move |&v| Some((v as usize, self.vetting.get(v as usize)?)))
    }

    // The rules address people and records by position. Every position they hold came from
    // these same slices: an `enumerate` over them, `records_of`, or a link outcome, whose
    // candidates the linker only ever draws from the roster it was given (`new` checks there
    // is one outcome per record). So an index out of range is a bug in the program, never
    // a value in the input, and these three are the one place it would show.

    /// The roster person at `person`.
    #[allow(
        clippy::indexing_slicing,
        reason = "positions come from the roster itself or the linker's candidates (above)"
    )]
    pub fn person(&self, person: usize) -> &'a Person {
        &self.persons[person]
    }

    /// The vetting record at `record`.
    #[allow(
        clippy::indexing_slicing,
        reason = "positions come from an enumerate over `vetting` or from `records_of` (above)"
    )]
    pub fn record(&self, record: usize) -> &'a VettingRecord {
        &self.vetting[record]
    }

    /// The link outcome of the vetting record at `record`.
    #[allow(
        clippy::indexing_slicing,
        reason = "`new` asserts one outcome per record, so a record's position is an outcome's"
    )]
    pub fn link(&self, record: usize) -> &'a LinkOutcome {
        &self.links[record]
    }

    pub fn is_valid(&self, v: &VettingRecord) -> bool {
        v.is_valid_on(self.as_of)
    }

    pub fn level_name(&self, l: LevelId) -> &str {
        self.levels.name(l)
    }
}

/// One exception row, report-ready. `priority` is filled in by `priority::rank`.
#[derive(Debug, Clone, PartialEq)]
pub struct Exception {
    pub code: Code,
    pub severity: Severity,
    pub priority: u32,
    pub employee_id: String,
    pub surname: String,
    pub forenames: String,
    pub post_id: String,
    pub post_title: String,
    pub required_level: String,
    pub held_level: String,
    pub vetting_ref: String,
    pub vetting_status: String,
    pub expiry_date: Option<NaiveDate>,
    /// Match weight (bits) of the link the row rests on, when there is one.
    pub match_score: Option<f64>,
    pub detail: String,
    /// Role risk points (designated, vulnerable contact, national security level).
    pub risk: u32,
    /// Days out of compliance on the as-of date (negative: days left before it starts).
    pub days_out: i64,
    /// The other rows this one is one problem with (`related`), in words; "" for none.
    /// Already part of `detail`; kept apart so the worklist can put it first.
    pub related: String,
    /// The pending link decision to make before acting on this row: the vetting record's
    /// ref and the priority of its REVIEW_MATCH / AMBIGUOUS_MATCH row (the highest-ranked one
    /// when several could clear it). The headline names it.
    pub decide_first: Option<(String, u32)>,
    /// The unit's casework that clears the row has started (a renewal or upgrade past its
    /// first stage, `casework::in_progress`): the row ranks below one of the same risk and
    /// severity where nothing has.
    pub work_started: bool,
}

impl Exception {
    /// A row with only its code set; severity and priority are filled in by `priority::rank`.
    pub(crate) fn blank(code: Code) -> Exception {
        Exception {
            code,
            severity: Severity::Low,
            priority: 0,
            employee_id: String::new(),
            surname: String::new(),
            forenames: String::new(),
            post_id: String::new(),
            post_title: String::new(),
            required_level: String::new(),
            held_level: String::new(),
            vetting_ref: String::new(),
            vetting_status: String::new(),
            expiry_date: None,
            match_score: None,
            detail: String::new(),
            risk: 0,
            days_out: 0,
            related: String::new(),
            decide_first: None,
            work_started: false,
        }
    }

    /// A row about a person, with their post filled in.
    pub fn for_person(code: Code, facts: &Facts<'_>, person: usize) -> Exception {
        let p = facts.person(person);
        let post = p.post_id.as_deref().and_then(|id| facts.post(id));
        Exception {
            employee_id: p.employee_id.clone(),
            surname: p.surname.clone(),
            forenames: p.forenames.clone(),
            post_id: p.post_id.clone().unwrap_or_default(),
            post_title: post.map(|x| x.title.clone()).unwrap_or_default(),
            ..Exception::blank(code)
        }
    }

    /// A row about a vetting record that is linked to nobody (names from the vetting system).
    pub fn for_record(code: Code, facts: &Facts<'_>, record: usize) -> Exception {
        let v = facts.record(record);
        let mut e = Exception {
            surname: v.surname.clone(),
            forenames: v.forenames.clone(),
            ..Exception::blank(code)
        };
        e.set_record(facts, record);
        e
    }

    /// Fill the vetting columns from one record: `held_level` is that record's level.
    pub fn set_record(&mut self, facts: &Facts<'_>, record: usize) {
        let v = facts.record(record);
        self.vetting_ref = v.vetting_ref.clone();
        self.vetting_status = v.status.as_str().to_string();
        self.held_level = facts.level_name(v.level).to_string();
        // A refusal, withdrawal or pending application has no meaningful expiry.
        self.expiry_date = match v.status {
            VettingStatus::Granted | VettingStatus::Lapsed | VettingStatus::Suspended => {
                v.expiry_date
            }
            VettingStatus::Refused | VettingStatus::Withdrawn | VettingStatus::Pending => None,
        };
        let link = facts.link(record);
        if link.linked_person().is_some() {
            self.match_score = link.best().map(|c| c.weight);
        }
    }
}

/// Run every rule and rank the result.
pub fn assess(facts: &Facts<'_>, priority: &priority::PriorityPolicy) -> Vec<Exception> {
    let mut out = Vec::new();
    out.extend(clearance::check(facts));
    out.extend(match_review::check(facts));
    out.extend(leaver::check(facts));
    out.extend(orphan::check(facts));
    out.extend(adverse::check(facts));
    out.extend(triggers::check(facts));
    out.extend(casework::check(facts));
    out.extend(prevention::check(facts));
    out.extend(integrity::check(facts));
    priority::rank(&mut out, facts, priority);
    related::link(&mut out, facts);
    out
}

#[cfg(test)]
mod tests;
