//! Night: everything a run computes from its ingested inputs, with no I/O and no clock.
//!
//! `run` calls it on tonight's files; `replay` calls it on a stored run's files, config and
//! decisions snapshot. Because it reads nothing else, the same inputs give the same bytes,
//! and a replay that differs means the inputs, the program or the store changed.

use crate::analyse::{self, forecast::WhatIf};
use crate::assess::{self, Exception, Facts};
use crate::clerical::InForce;
use crate::config::Policy;
use crate::history::{diff, past::Past, person};
use crate::ingest::Ingested;
use crate::link::{Decision, Engine, LinkOutcome, LinkStats, LinkSummary, Overrides, RecordDetail};
use crate::report::morning::Morning;
use crate::report::{self, Output, RunInfo};
use crate::stage_clock::StageClock;
use crate::store::LinkCounts;
use chrono::NaiveDate;

/// What one night produced.
pub struct NightOutcome {
    pub links: Vec<LinkOutcome>,
    pub link_counts: LinkCounts,
    /// How the PND returns linked (all zero when that feed is not given).
    pub pnd_links: LinkCounts,
    pub link_stats: LinkStats,
    /// Prior match weight of a random pair (bits).
    pub prior_bits: f64,
    /// Tonight's estimated match share, which the vetting records' posteriors used.
    pub match_share: f64,
    /// Tonight's m per level when learnt (`link::learn`), and the look-alike corrections
    /// (`link::lookalike`): what the vetting records were scored with, for the run record.
    pub learnt_m: std::collections::BTreeMap<String, f64>,
    /// The m the second pass scored with, learnt again against the widened roster.
    pub learnt_m_widened: std::collections::BTreeMap<String, f64>,
    pub lookalike_bits: std::collections::BTreeMap<String, f64>,
    /// Clerical decisions in force that applied tonight, and that named someone absent.
    pub decisions_applied: usize,
    pub decisions_not_applicable: usize,
    /// Of those applied, the ones tonight's data reopened (sent back to review).
    pub decisions_reopened: usize,
    pub exceptions: Vec<Exception>,
    /// The files written to the output directory.
    pub outputs: Vec<Output>,
    /// SHA-256 of each per-person state bucket (kept in the store, read by `vetrecon
    /// person`).
    pub people: Vec<String>,
    /// SHA-256 of the link record's figures payload, then of each of its buckets
    /// (`report::link_record`; kept in the store, read by `vetrecon explain` and
    /// `report --with-links`).
    pub link_record: Vec<String>,
    /// What the run warns of in its log (a configured disproportionality reference group
    /// not found): said on the page too, where the figure stands.
    pub warnings: Vec<String>,
    /// Tonight's open cases, for the run record's backlog trend (None when the export
    /// carried no casework columns).
    pub open_cases: Option<crate::model::casework::OpenCases>,
    /// What the joiners-movers-leavers comparison keeps for the next night
    /// (`model::jml`), for the run record.
    pub jml: JmlState,
}

/// The joiners-movers-leavers bodies a night keeps in the store (never in the output
/// directory): its roster and the actions it left open, encoded, with their counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JmlState {
    pub roster: Vec<u8>,
    pub actions: Vec<u8>,
    pub people: usize,
    pub open: usize,
}

/// The bodies only the store keeps, never the output directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StoredOnly {
    /// The per-person state buckets, in bucket order.
    People,
    /// The link record (`report::link_record`): its figures (number 0), then its buckets
    /// (number 1 + the bucket's).
    LinkRecord,
}

/// Where the night hands each body only the store keeps (`StoredOnly`), the moment it is
/// rendered. A run compresses them for its commit while the rest of the night renders and
/// frees their raw bytes (about 300 MB at 250,000 people, otherwise held to the
/// commit, where they made the night's memory peak); a replay needs only their hashes
/// (`HashOnly`). The night never calls the store itself.
pub trait Keep: Sync {
    /// Take `bodies` of `kind`, the first of them number `first` of its kind (a bucket
    /// number; see `StoredOnly`); return each one's SHA-256 (lower-case hex), in order.
    /// Called from any thread, a bucket at a time as each is built.
    fn keep(&self, kind: StoredOnly, first: usize, bodies: Vec<Vec<u8>>) -> Vec<String>;
}

/// A `Keep` that hashes the bodies and frees them: for replays and tests.
pub struct HashOnly;

impl Keep for HashOnly {
    fn keep(&self, _: StoredOnly, _: usize, bodies: Vec<Vec<u8>>) -> Vec<String> {
        bodies
            .iter()
            .map(|b| crate::ingest::hex_sha256(b))
            .collect()
    }
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

/// Link the night's PND returns to the roster, honouring the decisions in force; `None`
/// when there are none (preparing the roster again costs seconds at scale).
/// `keep_detail` keeps the records' scored pairs (see `Engine::keep_detail`).
/// `model` is the vetting engine's (`Engine::model`): PND returns are scored with the m
/// the night learnt from the vetting records and the same look-alike corrections.
pub fn link_pnd<'p>(
    policy: &'p Policy,
    data: &Ingested,
    in_force: &InForce,
    keep_detail: Option<f64>,
    model: &crate::link::Model,
) -> Option<(Engine<'p>, Vec<LinkOutcome>, Vec<RecordDetail>)> {
    let pnd = &data.triggers.pnd;
    (!pnd.is_empty()).then(|| {
        let mut e = Engine::with_model(&policy.linking, &data.persons, pnd, model);
        e.set_overrides(Overrides::build(in_force, &data.persons, pnd));
        e.set_keep_detail(keep_detail);
        let linked = e.link(&|| {});
        e.release_blocking();
        (e, linked.outcomes, linked.detail)
    })
}

/// What a night knows beyond its input files, all of it read from the store (or, for the
/// what-if, recorded in the run record), so a replay can supply exactly the same.
pub struct Context<'a> {
    /// Clerical decisions in force when the run started.
    pub in_force: &'a InForce,
    /// The earlier runs the report compares with.
    pub past: &'a Past,
    /// The renewal forecast's what-if periods.
    pub what_if: &'a WhatIf,
    /// Which optional feeds the night read, and why not the others (recorded in the run
    /// record; a run stored before it was kept replays with none).
    pub feeds: &'a crate::model::feeds::Feeds,
    /// The QA verdicts in force when the run started: a decision with one is not sampled
    /// again, and the report shows them. None for a run stored before verdicts were kept,
    /// which replays as it was made.
    pub qa: Option<&'a crate::clerical::qa::QaInForce>,
}

/// Link, assess and render one night. `on_record` is called once per vetting record linked.
pub fn compute(
    policy: &Policy,
    data: &Ingested,
    as_of: NaiveDate,
    info: &RunInfo,
    ctx: &Context<'_>,
    on_record: &(dyn Fn() + Sync),
    keep: &dyn Keep,
) -> NightOutcome {
    let clock = StageClock::default();
    let given = Given {
        policy,
        data,
        as_of,
        info,
        ctx,
        keep,
        clock: &clock,
    };
    let (linking, detail) = link_night(&given, on_record);
    let facts = facts_of(&given, &linking);
    // The explain buckets, matches.csv and links.csv read the links alone, so they render
    // on one side while assess, the analyses, the workbook and the person buckets, which
    // need the exceptions, run on the other: assess and the analyses are one thread each,
    // and a 2-core machine otherwise idles a core through them. Every output is the same
    // bytes whichever side finishes first; the order of `outputs` is fixed in `outputs`.
    let (from_links, assessed) = rayon::join(
        || render_links(&given, &linking, detail),
        || assess_and_analyse(&given, &linking, &facts),
    );
    // Nothing below reads the engines or the facts (the kept pairs went with the explain
    // buckets): take what the run record needs from the engines, and free them before the
    // report and the small outputs are built.
    drop(facts);
    let pnd_counts = linking.pnd.as_ref().map(|(_, l, _)| link_counts(l));
    let (vetting, applied, decisions_reopened) = linking.summary();
    let Linking {
        engine,
        links,
        counts,
        stats,
        pnd,
    } = linking;
    drop(pnd);
    drop(engine);
    let Assessed {
        exceptions,
        exceptions_csv,
        analyses,
        xlsx,
        people,
    } = assessed;
    let morning = analyses.morning(info, policy, data, &links, &counts, &exceptions, ctx);
    let outputs = outputs(
        &given,
        &morning,
        pnd_counts.as_ref(),
        [exceptions_csv, from_links.matches_csv, xlsx],
    );
    let warnings = morning.disproportion.warnings.clone();
    let open_cases = morning.unit.open_cases();
    let jml = JmlState {
        roster: crate::model::jml::members_to_bytes(&morning.jml.members),
        actions: crate::model::jml::actions_to_bytes(&morning.jml.open),
        people: morning.jml.members.len(),
        open: morning.jml.open.len(),
    };
    drop(morning);
    clock.done("render");
    NightOutcome {
        decisions_applied: applied,
        decisions_reopened,
        decisions_not_applicable: ctx.in_force.len().saturating_sub(applied),
        pnd_links: pnd_counts.unwrap_or_else(|| link_counts(&[])),
        link_stats: stats,
        prior_bits: vetting.prior_bits,
        match_share: vetting.match_share,
        learnt_m: vetting.learnt_m,
        learnt_m_widened: vetting.learnt_m_widened,
        lookalike_bits: vetting.lookalike_bits,
        links,
        link_counts: counts,
        exceptions,
        outputs,
        people,
        link_record: from_links.link_record,
        warnings,
        open_cases,
        jml,
    }
}

/// What `compute` was given, for the steps it takes.
struct Given<'a> {
    policy: &'a Policy,
    data: &'a Ingested,
    as_of: NaiveDate,
    info: &'a RunInfo,
    ctx: &'a Context<'a>,
    keep: &'a dyn Keep,
    clock: &'a StageClock,
}

/// The night's links: the vetting records', with the engine that linked them, then the
/// PND returns' (`None` when that feed is not given).
struct Linking<'p> {
    engine: Engine<'p>,
    links: Vec<LinkOutcome>,
    counts: LinkCounts,
    stats: LinkStats,
    pnd: Option<(Engine<'p>, Vec<LinkOutcome>, Vec<RecordDetail>)>,
}

impl Linking<'_> {
    /// The vetting engine's summary, and the clerical decisions both engines applied and
    /// reopened.
    fn summary(&self) -> (LinkSummary, usize, usize) {
        let vetting = self.engine.summary();
        let pnd = self.pnd.as_ref().map(|(e, _, _)| e.summary());
        let of_pnd = |n: fn(&LinkSummary) -> usize| pnd.as_ref().map_or(0, n);
        let applied = vetting.decisions_applied + of_pnd(|s| s.decisions_applied);
        let reopened = vetting.decisions_reopened + of_pnd(|s| s.decisions_reopened);
        (vetting, applied, reopened)
    }
}

/// Link the vetting records, then the PND returns. The vetting records' kept pairs come
/// back apart, for the explain buckets' side of the render to free as soon as it is done.
fn link_night<'p>(
    g: &Given<'p>,
    on_record: &(dyn Fn() + Sync),
) -> (Linking<'p>, Vec<RecordDetail>) {
    let (policy, data) = (g.policy, g.data);
    let mut engine = Engine::new(&policy.linking, &data.persons, &data.vetting);
    engine.set_overrides(Overrides::build(
        g.ctx.in_force,
        &data.persons,
        &data.vetting,
    ));
    engine.set_keep_detail(Some(report::explain_detail::MIN_KEPT_POSTERIOR));
    let linked = engine.link(on_record);
    engine.release_blocking();
    let counts = link_counts(&linked.outcomes);
    g.clock.done("link");
    // PND returns link to the roster the way vetting records do: same scoring model (the m
    // learnt from the vetting records, the look-alike corrections), thresholds and
    // decisions (which name a return by its pnd_ref).
    let pnd = link_pnd(
        policy,
        data,
        g.ctx.in_force,
        Some(report::explain_detail::MIN_KEPT_POSTERIOR),
        &engine.model(),
    );
    g.clock.done("link PND returns");
    let linking = Linking {
        engine,
        links: linked.outcomes,
        counts,
        stats: linked.stats,
        pnd,
    };
    (linking, linked.detail)
}

/// What the exception rules and the analyses read: tonight's records and links, the
/// casework policy and the vetting export's columns, the review triggers, and the clerical
/// decisions each engine applied.
fn facts_of<'a>(g: &Given<'a>, linking: &'a Linking<'_>) -> Facts<'a> {
    let (policy, data, t) = (g.policy, g.data, &g.data.triggers);
    let pnd = linking.pnd.as_ref();
    Facts::new(
        &data.persons,
        &data.posts,
        &data.vetting,
        &linking.links,
        &policy.levels,
        g.as_of,
        policy.expiry_warning_days,
    )
    .with_casework(&policy.casework)
    .with_vetting_columns(&data.code_columns)
    .with_triggers(assess::triggers::TriggerFacts {
        pnd: &t.pnd,
        pnd_links: pnd.map_or(&[], |(_, l, _)| l),
        misconduct: &t.misconduct,
        circumstances: &t.circumstances,
        policy: Some(&policy.triggers),
    })
    .with_prevention(assess::prevention::PreventionFacts {
        postings: t.has("postings").then_some(t.postings.as_slice()),
        conditions: t.has("conditions").then_some(t.conditions.as_slice()),
        policy: &policy.prevention,
    })
    .with_integrity(assess::integrity::IntegrityFacts {
        declarations: t.has("declarations").then_some(t.declarations.as_slice()),
        policy: &policy.integrity,
    })
    .with_overrides(
        linking.engine.overrides(),
        pnd.map(|(e, _, _)| e.overrides()),
    )
}

/// What renders from the links alone.
struct FromLinks {
    /// The link record's hashes (`StoredOnly::LinkRecord`).
    link_record: Vec<String>,
    matches_csv: Vec<u8>,
}

/// The link record and matches.csv (rendered from the record, so the record can render it
/// again), each of the record's payloads handed to `keep` as it is encoded; the kept pairs
/// are freed once the record is built.
fn render_links(g: &Given<'_>, linking: &Linking<'_>, detail: Vec<RecordDetail>) -> FromLinks {
    let (data, keep) = (g.data, g.keep);
    let pairs = detail.iter().map(|d| d.candidates.len()).sum::<usize>();
    let scored = detail.iter().map(|d| d.scored).sum::<usize>();
    let built = link_record(data, linking, &detail);
    drop(detail);
    let matches_csv = built.matches_csv();
    let bytes = std::sync::atomic::AtomicUsize::new(0);
    let (figures, buckets) = built.encode_into(&|b, body| {
        bytes.fetch_add(body.len(), std::sync::atomic::Ordering::Relaxed);
        keep.keep(StoredOnly::LinkRecord, 1 + b, vec![body])
            .pop()
            .unwrap_or_default()
    });
    tracing::debug!(
        bytes = bytes.into_inner() + figures.len(),
        pairs,
        scored,
        "link record"
    );
    let mut link_record = keep.keep(StoredOnly::LinkRecord, 0, vec![figures]);
    link_record.extend(buckets);
    FromLinks {
        link_record,
        matches_csv,
    }
}

/// What the exceptions side of the night produced.
struct Assessed {
    exceptions: Vec<Exception>,
    exceptions_csv: Vec<u8>,
    analyses: Analyses,
    xlsx: Vec<u8>,
    /// The per-person state buckets' hashes (`StoredOnly::People`).
    people: Vec<String>,
}

/// Assess, analyse, and render what needs the exceptions and the analyses before the
/// engines are freed: the workbook and the person buckets.
fn assess_and_analyse(g: &Given<'_>, linking: &Linking<'_>, facts: &Facts<'_>) -> Assessed {
    let (policy, data, ctx, rp) = (g.policy, g.data, g.ctx, &g.policy.report);
    let exceptions = assess::assess(facts, &policy.priority);
    g.clock.done("assess");
    let exceptions_csv = report::exceptions::render(g.info, &exceptions);
    let changes = ctx.past.previous.as_ref().map(|p| {
        let now = diff::parse(&exceptions_csv).expect("exceptions.csv we just wrote parses");
        let mut d = changes_since(p, &now, ctx.feeds, &data.code_columns);
        d.take_started_postings(&|emp, post| still_checked(g, emp, post));
        d
    });
    let links = &linking.links;
    let forecast = analyse::forecast::forecast(facts, ctx.what_if, rp.forecast_months);
    let unit = unit_work(g, facts, &forecast);
    let analyses = Analyses {
        changes,
        coverage: analyse::coverage::coverage(facts),
        forecast,
        unit,
        disproportion: {
            let mut a = analyse::disproportion::analyse(
                &data.vetting,
                &data.vetting_columns,
                g.as_of,
                &rp.disproportionality,
            );
            if let Some(p) = &ctx.past.previous {
                analyse::disproportion::carry_over(&mut a, &p.groups);
                analyse::disproportion::note_shown_before(&mut a, &p.shown_groups);
            }
            a
        },
        postings: analyse::postings::postings(facts),
        moves: analyse::moves::moves(facts, data.roster_columns.contains(&"post_start_date")),
        post_register: analyse::post_register::checks(
            facts,
            data.post_columns.contains(&"vulnerable_contact"),
        ),
        qa: analyse::qa_sample::sample(facts, &g.info.run_id, &rp.qa_sample, &|v| {
            (ctx.qa.zip(v.decision_date)).is_some_and(|(q, d)| q.reviewed(&v.vetting_ref, d))
        }),
        review: analyse::review::queue(&linking.engine, &data.vetting, links, &exceptions),
        conditions: analyse::conditions::analyse(facts),
        declarations: analyse::declarations::analyse(facts),
        register: analyse::register::register(facts),
        jml: jml(g, facts),
        signals: analyse::signals::analyse(&exceptions, &policy.integrity),
        sanctions: sanctions(g),
    };
    g.clock.done("analyse");
    let counts = &linking.counts;
    let morning = analyses.morning(g.info, policy, data, links, counts, &exceptions, ctx);
    let (xlsx, people) = rayon::join(
        || report::xlsx::render(&morning),
        || {
            let night = person::Night {
                persons: &data.persons,
                posts: &data.posts,
                vetting: &data.vetting,
                level_name: &|l| policy.levels.name(l).to_string(),
                links,
                exceptions: &exceptions,
                overrides: &[
                    Some(linking.engine.overrides()),
                    linking.pnd.as_ref().map(|(e, _, _)| e.overrides()),
                ],
            };
            person::buckets_into(&night, &|b, body| {
                g.keep
                    .keep(StoredOnly::People, b, vec![body])
                    .pop()
                    .unwrap_or_default()
            })
        },
    );
    let analyses = Analyses::from(morning);
    Assessed {
        exceptions,
        exceptions_csv,
        analyses,
        xlsx,
        people,
    }
}

/// Joiners, movers and leavers (`analyse::jml`): tonight's roster against the one the
/// previous night kept, with the actions it left open and the officers' closings in force.
fn jml(g: &Given<'_>, facts: &Facts<'_>) -> analyse::jml::Jml {
    let kept = g.ctx.past.previous.as_ref().and_then(|p| p.jml.as_ref());
    let closed = |id: &str| {
        let c = kept?.closings.get(id)?;
        Some(analyse::jml::Closed {
            by: c.by.clone(),
            on: c.at.get(..10).unwrap_or(&c.at).to_string(),
            reason: c.reason.clone(),
        })
    };
    analyse::jml::analyse(&analyse::jml::Given {
        facts,
        policy: &g.policy.prevention,
        revet_read: g.data.post_columns.contains(&"revet_on_appointment"),
        previous: kept.map(|k| analyse::jml::Previous {
            as_of: k.as_of,
            members: &k.members,
            open: &k.open,
        }),
        closed: &closed,
    })
}

/// Sanctions compared between officers and staff (`analyse::sanctions`): the misconduct
/// feed's outcomes when it was read, with which of its optional columns the header held.
fn sanctions(g: &Given<'_>) -> analyse::sanctions::Sanctions {
    let t = &g.data.triggers;
    let columns: Vec<&str> = (analyse::sanctions::COLUMNS.into_iter())
        .filter(|c| t.column("misconduct", c))
        .collect();
    analyse::sanctions::analyse(&analyse::sanctions::Given {
        persons: &g.data.persons,
        misconduct: t.has("misconduct").then_some(t.misconduct.as_slice()),
        columns: &columns,
        policy: &g.policy.integrity,
        settings: &g.policy.report.disproportionality,
        as_of: g.as_of,
    })
}

/// The unit's own work (`analyse::unit`), with the backlog of the stored nights in the
/// trend window.
fn unit_work(
    g: &Given<'_>,
    facts: &Facts<'_>,
    forecast: &analyse::forecast::Forecast,
) -> analyse::unit::Unit {
    let history: Vec<analyse::unit::TrendNight> = (g.ctx.past.trend.iter())
        .map(|p| analyse::unit::TrendNight {
            run_id: p.run_id.clone(),
            as_of: p.as_of.clone(),
            open: p.open_cases.clone(),
        })
        .collect();
    let t = &g.data.triggers;
    analyse::unit::analyse(&analyse::unit::Given {
        facts,
        casework: &g.policy.casework,
        priority: &g.policy.priority,
        columns: &g.data.vetting_columns,
        plan: t.has("recruitment_plan").then_some(t.plan.as_slice()),
        forecast,
        history: &history,
        run_id: &g.info.run_id,
    })
}

/// The files the night writes to the output directory, in their fixed order, from the
/// morning and the three rendered before it: exceptions.csv, matches.csv and the workbook.
fn outputs(
    g: &Given<'_>,
    morning: &Morning<'_>,
    pnd_counts: Option<&LinkCounts>,
    [exceptions_csv, matches_csv, xlsx]: [Vec<u8>; 3],
) -> Vec<Output> {
    let (data, t) = (g.data, &g.data.triggers);
    let stats: Vec<(&str, crate::ingest::FileStats)> = (data.stats.iter().copied())
        .chain(t.given.iter().map(|(r, st, _)| (*r, *st)))
        .collect();
    let summary = report::summary::Summary {
        info: g.info,
        stats: &stats,
        links: morning.link_counts,
        pnd_links: pnd_counts,
        unmatched: &assess::triggers::unmatched(&data.persons, t),
        rows: morning.exceptions,
        feeds: g.ctx.feeds,
        unchecked: &morning.unchecked_codes(),
        jml: (morning.jml.previous_as_of)
            .map(|_| (morning.jml.open_count(), morning.jml.overdue_count())),
    };
    let output = |name: &'static str, bytes: Vec<u8>| Output {
        name: name.into(),
        bytes,
    };
    use report::analysis_csv as csv;
    let unit = report::unit_csv::files(morning)
        .into_iter()
        .map(|(name, bytes)| output(name, bytes));
    let mut out = vec![
        output("exceptions.csv", exceptions_csv),
        output("matches.csv", matches_csv),
        output("rejects.csv", report::rejects::render(&data.rejects)),
        output("summary.txt", report::summary::render(&summary)),
        output("report.html", report::html::render(morning)),
        output("exceptions.xlsx", xlsx),
        output("designated_posts.csv", csv::designated_posts(morning)),
        output("changes.csv", csv::changes(morning)),
        output("trend.csv", csv::trend(morning)),
        output("forecast.csv", csv::forecast(morning)),
        output("disproportionality.csv", csv::disproportionality(morning)),
        output("qa_sample.csv", csv::qa_sample(morning)),
        output("review_triggers.csv", csv::review_triggers(morning)),
        output(
            "disproportionality_stages.csv",
            csv::disproportionality_stages(morning),
        ),
        output("refusal_reasons.csv", csv::refusal_reasons(morning)),
        output("qa_verdicts.csv", csv::qa_verdicts(morning)),
        output(
            "moves_before_clearance.csv",
            report::moves_csv::render(morning),
        ),
    ];
    out.extend(unit);
    out.extend([
        output(
            "condition_status.csv",
            report::prevention_csv::condition_status(morning),
        ),
        output(
            "clearance_register.csv",
            report::prevention_csv::clearance_register(morning),
        ),
    ]);
    out.push(output("jml.csv", report::jml::csv(morning)));
    out.push(output(
        report::declarations_csv::NAME,
        report::declarations_csv::csv(morning),
    ));
    out.push(output(
        report::signals_csv::NAME,
        report::signals_csv::csv(morning),
    ));
    out.push(output(
        report::sanctions_csv::NAME,
        report::sanctions_csv::csv(morning),
    ));
    out.push(output(
        report::integrity_csv::POST_REGISTER_CHECKS,
        report::integrity_csv::post_register_checks(morning),
    ));
    out
}

/// Tonight's exceptions against the previous run's: a code whose feed either night did not
/// read is not checked that night (`diff::diff_checked`), unless tonight is a stored night
/// from before feeds were kept, which compares as it did then. A code raised from optional
/// columns of the vetting export is not checked on a night whose export lacks them.
fn changes_since(
    p: &crate::history::past::PreviousRun,
    now: &std::collections::BTreeMap<diff::Key, diff::Row>,
    feeds: &crate::model::feeds::Feeds,
    columns: &[&str],
) -> diff::Diff {
    if !feeds.says_what_was_not_checked() {
        return diff::diff(&p.exceptions, now);
    }
    let before = |code: &str| p.checked(code);
    let tonight = |code: &str| {
        crate::assess::Code::feed_of(code).is_none_or(|f| feeds.not_read(f).is_none())
            && crate::assess::Code::parse(code)
                .is_none_or(|c| c.columns().iter().all(|col| columns.contains(col)))
    };
    diff::diff_checked(
        &p.exceptions,
        now,
        &diff::Checked {
            before: &before,
            now: &tonight,
        },
    )
}

/// Does tonight check a posting of `employee_id` to `post_id` (ids as ids compare): one in
/// tonight's postings feed starting from the as-of date to the end of the horizon?
fn still_checked(g: &Given<'_>, employee_id: &str, post_id: &str) -> bool {
    use crate::ingest::value::id_key;
    let t = &g.data.triggers;
    let horizon = g.policy.prevention.posting_horizon_days;
    let last = g.as_of + chrono::Duration::days(horizon);
    let (emp, post) = (id_key(employee_id), id_key(post_id));
    t.has("postings")
        && t.postings.iter().any(|p| {
            (g.as_of..=last).contains(&p.start_date)
                && id_key(&p.employee_id) == emp
                && id_key(&p.post_id) == post
        })
}

/// What the analyses found tonight: the parts of the `Morning` it owns, so that they can be
/// computed on one thread and the report built from them on another.
struct Analyses {
    changes: Option<diff::Diff>,
    coverage: analyse::coverage::Coverage,
    forecast: analyse::forecast::Forecast,
    unit: analyse::unit::Unit,
    disproportion: analyse::disproportion::Analysis,
    qa: Vec<analyse::qa_sample::Pick>,
    review: Vec<analyse::review::Item>,
    conditions: Option<analyse::conditions::Conditions>,
    declarations: analyse::declarations::Declarations,
    register: analyse::register::Register,
    postings: analyse::postings::Postings,
    moves: analyse::moves::Moves,
    post_register: analyse::post_register::PostRegister,
    jml: analyse::jml::Jml,
    signals: analyse::signals::Signals,
    sanctions: analyse::sanctions::Sanctions,
}

impl Analyses {
    #[allow(
        clippy::too_many_arguments,
        reason = "the borrowed half of a Morning, field by field"
    )]
    fn morning<'a>(
        self,
        info: &'a RunInfo,
        policy: &'a Policy,
        data: &'a Ingested,
        links: &'a [LinkOutcome],
        link_counts: &'a LinkCounts,
        exceptions: &'a [Exception],
        ctx: &'a Context<'_>,
    ) -> Morning<'a> {
        Morning {
            info,
            policy: &policy.report,
            levels: &policy.levels,
            data,
            links,
            link_counts,
            exceptions,
            past: ctx.past,
            feeds: ctx.feeds,
            changes: self.changes,
            coverage: self.coverage,
            forecast: self.forecast,
            unit: self.unit,
            disproportion: self.disproportion,
            qa: self.qa,
            qa_verdicts: ctx.qa,
            review: self.review,
            conditions: self.conditions,
            declarations: self.declarations,
            register: self.register,
            jml: self.jml,
            severity: &policy.priority.severity,
            postings: self.postings,
            moves: self.moves,
            signals: self.signals,
            sanctions: self.sanctions,
            post_register: self.post_register,
        }
    }
}

impl From<Morning<'_>> for Analyses {
    fn from(m: Morning<'_>) -> Self {
        Analyses {
            changes: m.changes,
            coverage: m.coverage,
            forecast: m.forecast,
            unit: m.unit,
            disproportion: m.disproportion,
            qa: m.qa,
            review: m.review,
            conditions: m.conditions,
            declarations: m.declarations,
            register: m.register,
            postings: m.postings,
            moves: m.moves,
            post_register: m.post_register,
            jml: m.jml,
            signals: m.signals,
            sanctions: m.sanctions,
        }
    }
}

/// The link record (`report::link_record`) of the vetting records' pairs, then the PND
/// returns'. It borrows the night's records and roster, not the kept pairs.
fn link_record<'a>(
    data: &'a Ingested,
    linking: &Linking<'_>,
    detail: &[RecordDetail],
) -> report::link_record::Built<'a> {
    use report::link_record::{record, JobPairs};
    let vetting = JobPairs {
        job: "vetting",
        engine: &linking.engine,
        persons: &data.persons,
        records: &data.vetting,
        links: &linking.links,
        detail,
    };
    let pnd = linking.pnd.as_ref().map(|(e, l, d)| JobPairs {
        job: "pnd_returns",
        engine: e,
        persons: &data.persons,
        records: &data.triggers.pnd,
        links: l,
        detail: d,
    });
    match &pnd {
        Some(p) => record(&[&vetting, p]),
        None => record(&[&vetting]),
    }
}
