//! Night: everything a run computes from its ingested inputs, with no I/O and no clock.
//!
//! `run` calls it on tonight's files; `replay` calls it on a stored run's files, config and
//! decisions snapshot. Because it reads nothing else, the same inputs give the same bytes,
//! and a replay that differs means the inputs, the program or the store changed.

use crate::assess::{self, Exception, Facts};
use crate::clerical::InForce;
use crate::config::Policy;
use crate::history::person;
use crate::ingest::Ingested;
use crate::link::{Decision, Engine, LinkOutcome, LinkStats, Overrides};
use crate::report::{self, Output, RunInfo};
use crate::store::LinkCounts;
use chrono::NaiveDate;

/// What one night produced.
pub struct Night {
    pub links: Vec<LinkOutcome>,
    pub link_counts: LinkCounts,
    pub link_stats: LinkStats,
    /// Prior match weight of a random pair (bits).
    pub prior_bits: f64,
    /// Clerical decisions in force that applied tonight, and that named someone absent.
    pub decisions_applied: usize,
    pub decisions_not_applicable: usize,
    pub exceptions: Vec<Exception>,
    /// The files written to the output directory.
    pub outputs: Vec<Output>,
    /// links.csv with every candidate's explanation (kept in the store).
    pub links_detail: Vec<u8>,
    /// Per-person state buckets (kept in the store, read by `vetrecon person`).
    pub people: Vec<Vec<u8>>,
}

pub fn link_counts(links: &[LinkOutcome]) -> LinkCounts {
    let n = |d: Decision| links.iter().filter(|l| l.decision == d).count();
    LinkCounts {
        auto_link: n(Decision::AutoLink),
        confirmed: n(Decision::Confirmed),
        review: n(Decision::Review),
        ambiguous: n(Decision::Ambiguous),
        no_match: n(Decision::NoMatch),
    }
}

/// Link, assess and render one night. `on_record` is called once per vetting record linked.
pub fn compute(
    policy: &Policy,
    data: &Ingested,
    as_of: NaiveDate,
    info: &RunInfo,
    in_force: &InForce,
    on_record: &(dyn Fn() + Sync),
) -> Night {
    let mut engine = Engine::new(&policy.linking, &data.persons, &data.vetting);
    engine.overrides = Overrides::build(in_force, &data.persons, &data.vetting);
    let linked = engine.link(on_record);
    let links = linked.outcomes;
    let counts = link_counts(&links);
    let facts = Facts::new(
        &data.persons,
        &data.posts,
        &data.vetting,
        &links,
        &policy.levels,
        as_of,
        policy.expiry_warning_days,
    );
    let exceptions = assess::assess(&facts, &policy.priority);
    let outputs = vec![
        Output {
            name: "exceptions.csv".into(),
            bytes: report::exceptions::render(info, &exceptions),
        },
        Output {
            name: "matches.csv".into(),
            bytes: report::matches::render(&data.persons, &data.vetting, &links),
        },
        Output {
            name: "rejects.csv".into(),
            bytes: report::rejects::render(&data.rejects),
        },
        Output {
            name: "summary.txt".into(),
            bytes: report::summary::render(info, &data.stats, &counts, &exceptions),
        },
    ];
    let links_detail = report::links_detail::render(&engine, &data.persons, &data.vetting, &links);
    let people = person::buckets(
        &data.persons,
        &data.posts,
        &data.vetting,
        &|l| policy.levels.name(l).to_string(),
        &links,
        &exceptions,
    );
    Night {
        decisions_applied: engine.overrides.applied,
        decisions_not_applicable: engine.overrides.not_applicable,
        link_stats: linked.stats,
        prior_bits: engine.scorer.prior,
        links,
        link_counts: counts,
        exceptions,
        outputs,
        links_detail,
        people,
    }
}
