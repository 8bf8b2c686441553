//! The nightly run: every stage in order, then one atomic commit.
//!
//! Order matters for the all-or-nothing promise: the store is locked first (a second run
//! fails at once), the inputs are read and guarded, everything is computed and rendered in
//! memory (`night`), the run's blobs are written and flushed, the outputs are staged under
//! temporary names, the store appends the run to its chain (the commit point), and only then
//! are the outputs renamed into place. A failure anywhere before the commit leaves the store
//! and yesterday's outputs exactly as they were.

use crate::config::LoadedConfig;
use crate::error::{Error, StoreError};
use crate::ingest::{self, SourceFile, Sources};
use crate::interrupt::Phase;
use crate::night;
use crate::report::{self, RunInfo};
use crate::stage_clock::{peak_rss_mb, StageClock};
use crate::store::{
    pause_point, Body, Encoded, FileRef, InputRef, LinkRecordRef, Pace, RunRecord, RunView, Store,
};
use chrono::{NaiveDate, SecondsFormat, Utc};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use tracing::info;

/// What one run reads and where it writes.
pub struct RunSpec {
    pub config: LoadedConfig,
    pub roster: PathBuf,
    pub posts: PathBuf,
    pub vetting: PathBuf,
    /// Review-trigger feeds given (role, path), in `ingest::TRIGGER_ROLES` order.
    pub triggers: Vec<(&'static str, PathBuf)>,
    pub as_of: NaiveDate,
    pub out_dir: PathBuf,
    pub store_dir: PathBuf,
    /// Accept a roster or vetting file that shrank more than the feed guard allows.
    pub accept_change: bool,
    /// Run again for an as-of date that already has a committed run, superseding it.
    pub rerun: bool,
    /// Commit a night earlier than the newest committed one (a missed night run late).
    pub backfill: bool,
    /// Commit a night before the retention horizon (the latest `prune --before`); its
    /// inputs are pruned again at once.
    pub past_retention: bool,
    /// `--what-if` for the renewal forecast, overriding the config's (recorded in the run).
    pub what_if: Option<String>,
}

impl RunSpec {
    /// A night on a force written in `force` (roster.csv, posts.csv, vetting.csv, as
    /// `generate` writes one), with no review-trigger feeds and the feed guards' change
    /// accepted: what a benchmark or test of many nights runs, one night after another.
    pub fn on_force(
        config: LoadedConfig,
        force: &std::path::Path,
        as_of: NaiveDate,
        out_dir: PathBuf,
        store_dir: PathBuf,
    ) -> RunSpec {
        RunSpec {
            config,
            roster: force.join("roster.csv"),
            posts: force.join("posts.csv"),
            vetting: force.join("vetting.csv"),
            triggers: Vec::new(),
            as_of,
            out_dir,
            store_dir,
            accept_change: true,
            rerun: false,
            backfill: false,
            past_retention: false,
            what_if: None,
        }
    }

    /// Every file the run reads: the inputs, the config and the files it names.
    pub fn reads(&self) -> Vec<PathBuf> {
        let mut v = vec![
            self.roster.clone(),
            self.posts.clone(),
            self.vetting.clone(),
        ];
        v.extend(self.triggers.iter().map(|(_, p)| p.clone()));
        v.extend(self.config.path().map(PathBuf::from));
        v.extend(self.config.files.iter().map(|(p, _)| p.clone()));
        v
    }
}

/// What a committed run produced.
#[derive(Debug)]
pub struct RunOutcome {
    pub record: RunRecord,
    pub written: Vec<PathBuf>,
}

fn progress(len: usize, what: &'static str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
    {
        pb.set_style(style);
    }
    pb.set_message(what);
    pb
}

/// Read the three input files and ingest them, logging what was read (no personal data).
/// Shared by `run` and the commands that look at the same inputs (`train`, `explain`,
/// `evaluate`), which pass no trigger feeds.
pub fn load(
    policy: &crate::config::Policy,
    roster: &Path,
    posts: &Path,
    vetting: &Path,
    triggers: &[(&'static str, PathBuf)],
    as_of: NaiveDate,
) -> Result<(Sources, ingest::Ingested), Error> {
    let limits = policy.input.read_limits;
    let clock = StageClock::default();
    let sources = Sources {
        roster: SourceFile::read("roster", roster, limits)?,
        posts: SourceFile::read("posts", posts, limits)?,
        vetting: SourceFile::read("vetting", vetting, limits)?,
        triggers: triggers
            .iter()
            .map(|(role, path)| SourceFile::read(role, path, limits))
            .collect::<Result<_, _>>()?,
    };
    for f in sources.every() {
        info!(
            file = f.role,
            path = %f.path.display(),
            bytes = f.bytes.len(),
            sha256 = %f.sha256,
            modified = f.modified.as_deref().unwrap_or("unknown"),
            "read input"
        );
    }
    clock.done("read");
    let data = ingest::ingest(&policy.input, &policy.levels, &sources, as_of)?;
    clock.done("ingest");
    let triggers = data.triggers.given.iter().map(|(r, st, _)| (*r, *st));
    for (name, st) in data.stats.iter().copied().chain(triggers) {
        info!(
            file = name,
            rows = st.rows,
            accepted = st.accepted,
            rejected = st.rejected,
            "ingested"
        );
    }
    // A column the contract does not read is allowed, but named, so nobody takes it for
    // one that was analysed (by its header only: never a value).
    for (name, columns) in &data.unread {
        for c in columns {
            tracing::warn!(file = *name, column = %c.describe(), "column not read");
        }
    }
    Ok((sources, data))
}

/// Every input as the feed guards see it: the three files, then each trigger feed given.
pub fn guard_view<'a>(
    sources: &'a Sources,
    data: &'a ingest::Ingested,
) -> Vec<ingest::guard::Seen<'a>> {
    let three = data
        .stats
        .iter()
        .zip(&data.headers)
        .map(|((_, st), h)| (*st, h));
    let feeds = data.triggers.given.iter().map(|(_, st, h)| (*st, h));
    sources
        .every()
        .zip(three.chain(feeds))
        .map(|(f, (stats, header))| ingest::guard::Seen {
            role: f.role,
            path: &f.path,
            stats,
            header,
        })
        .collect()
}

/// After a commit, prune again up to the retention horizon when a night before it holds
/// inputs (this one, committed with `--past-retention`, or one whose prune a killed run
/// never made). The commit stands whatever happens here; a failure is logged, and the next
/// run tries again.
fn prune_again(store: &Store) {
    let at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    match crate::history::prune::reapply(store, &at) {
        Ok(Some(p)) => info!(
            runs = p.runs.len(),
            payloads = p.payloads,
            "pruned the inputs of nights before the retention horizon again (their personal data is not kept)"
        ),
        Ok(None) => {}
        Err(e) => tracing::error!(
            "the run is committed, but pruning the inputs before the retention horizon again failed ({e}); the next run tries again"
        ),
    }
}

/// The id the next run for `as_of` gets (`YYYYMMDD-NN`, NN counting that date's runs), and
/// the run it supersedes. Ids come from the store, never the clock, so a replay names itself
/// the same way. A second run for the same date is refused unless `rerun`, and a date earlier
/// than the newest committed one unless `backfill`: committed silently, it would make the
/// trend and the changes run backwards (history reads in date order, `history::in_date_order`,
/// but an operator who typed the wrong date should hear about it before anything is kept).
pub fn next_run_id(
    runs: &[RunView],
    as_of: NaiveDate,
    rerun: bool,
    backfill: bool,
) -> Result<(String, Option<String>), StoreError> {
    let day = as_of.to_string();
    if let Some(newest) = crate::history::latest(runs) {
        if day < newest.record.as_of && !backfill {
            return Err(StoreError::Backfill {
                as_of: day,
                newest: newest.record.as_of.clone(),
                run_id: newest.record.run_id.clone(),
            });
        }
    }
    let same: Vec<&RunView> = runs.iter().filter(|r| r.record.as_of == day).collect();
    let current = same
        .iter()
        .rev()
        .find(|r| r.superseded_by.is_none())
        .map(|r| r.record.run_id.clone());
    if let Some(existing) = &current {
        if !rerun {
            return Err(StoreError::SameNight {
                as_of: day,
                run_id: existing.clone(),
            });
        }
    }
    let id = format!("{}-{:02}", as_of.format("%Y%m%d"), same.len() + 1);
    Ok((id, current))
}

pub use crate::write_target::{check_out_dir, check_store_dir, check_write_target};

/// Name, as a warning, each decision in force whose `by` or `reason` is a placeholder a
/// printed command carried (recorded before such decisions were refused): it was pasted
/// unedited and records no one. Ids only: `by` may be a name.
fn warn_placeholders(in_force: &crate::clerical::InForce) {
    for d in in_force.iter().filter(|d| d.has_placeholder()) {
        tracing::warn!(
            employee_id = %crate::history::escape(&d.employee_id),
            vetting_ref = %crate::history::escape(&d.vetting_ref),
            decision = d.verdict.as_str(),
            "a decision in force was recorded with a printed placeholder as its by or reason (pasted unedited): revoke it and decide again"
        );
    }
}

/// The command that writes a committed run's outputs again, every value quoted for the shell
/// (`report::command`); a path no shell could take is shown as `DIR`.
fn report_command(run_id: &str, spec: &RunSpec) -> String {
    let out = spec.out_dir.display().to_string();
    let db = spec.store_dir.display().to_string();
    report::command::line(&["vetrecon", "report", run_id, "--out", &out, "--db", &db])
        .unwrap_or_else(|| "vetrecon report RUN --out DIR --db DIR".to_string())
}

/// Refuse an as-of date further ahead of `today` than `input.max_days_ahead`: a night judged
/// as of 9999-12-31 would commit every clearance as expired and poison the trend for good.
pub fn check_as_of(
    as_of: NaiveDate,
    today: NaiveDate,
    policy: &crate::config::Policy,
) -> Result<(), Error> {
    let ahead = (as_of - today).num_days();
    if ahead > policy.input.max_days_ahead {
        return Err(Error::Usage(format!(
            "--as-of {as_of} is {ahead} days after today ({today}); at most {} are allowed (input.max_days_ahead)",
            policy.input.max_days_ahead
        )));
    }
    Ok(())
}

/// The forecast's what-if: the run's own (`--what-if`, recorded in the run record) or the
/// config's. Replay calls this with the recorded text.
pub fn effective_what_if(
    policy: &crate::config::Policy,
    given: Option<&str>,
) -> Result<crate::analyse::forecast::WhatIf, Error> {
    match given {
        Some(text) => crate::analyse::forecast::parse_what_if(text, &policy.levels)
            .map_err(|e| Error::Usage(format!("--what-if: {e}"))),
        None => Ok(policy.report.what_if.clone()),
    }
}

/// What a body the run stores is to its run record. Each body travels with its name from
/// the moment it is listed for encoding, and its hash reaches the record's field by that
/// name, whatever order the bodies are encoded and written in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Config,
    Decisions,
    QaVerdicts,
    /// The joiners-movers-leavers closings in force, the night's roster and its open
    /// actions (`model::jml`).
    JmlClosings,
    JmlRoster,
    JmlActions,
    /// A file the config names, by its path as the record shows it.
    ConfigFile(String),
    EffectiveConfig,
    /// An input file, by its role.
    Input(&'static str),
    /// An output, by its file name.
    Output(String),
}

/// The stored bodies' hashes, by name.
#[derive(Default)]
struct Hashes(std::collections::BTreeMap<Slot, String>);

impl Hashes {
    fn add<'e>(&mut self, named: impl IntoIterator<Item = &'e (Slot, Encoded)>) {
        for (slot, e) in named {
            self.0.insert(slot.clone(), e.sha256());
        }
    }

    fn of(&self, slot: &Slot) -> String {
        self.0
            .get(slot)
            .cloned()
            .expect("every body the run record names was encoded")
    }
}

/// Bodies encoded for the store, each with its name.
type Named = Vec<(Slot, Encoded)>;

/// Hash and compress bodies (`Store::encode_blobs`), each kept with its name.
fn encode_named(
    store: &Store,
    items: &[(Slot, &[u8], Option<&str>)],
    pace: Pace,
) -> Result<Named, StoreError> {
    let refs: Vec<(&[u8], Option<&str>)> = items.iter().map(|(_, b, l)| (*b, *l)).collect();
    let encoded = store.encode_blobs(&refs, pace)?;
    Ok(items
        .iter()
        .map(|(s, _, _)| s.clone())
        .zip(encoded)
        .collect())
}

/// The bodies a run keeps that are known before its night, each with last night's version
/// of it (for delta storage): the config, the decisions and the QA verdicts in force, the
/// config's own files and the effective config; the inputs follow them (`take_input_bytes`).
fn early_bodies<'a>(
    spec: &'a RunSpec,
    decisions_csv: &'a [u8],
    [qa_csv, closings_csv]: [&'a [u8]; 2],
    last: Option<&RunRecord>,
) -> Vec<(Slot, &'a [u8], Option<String>)> {
    let like = |pick: &dyn Fn(&RunRecord) -> Option<String>| last.and_then(pick);
    let mut items: Vec<(Slot, &[u8], Option<String>)> = vec![
        (
            Slot::Config,
            &spec.config.bytes,
            like(&|r| Some(r.config.sha256.clone())),
        ),
        (
            Slot::Decisions,
            decisions_csv,
            like(&|r| Some(r.decisions.sha256.clone())),
        ),
        (
            Slot::QaVerdicts,
            qa_csv,
            like(&|r| r.qa_verdicts.as_ref().map(|q| q.sha256.clone())),
        ),
        (
            Slot::JmlClosings,
            closings_csv,
            like(&|r| r.jml.as_ref().map(|j| j.closings.clone())),
        ),
    ];
    for (path, bytes) in &spec.config.files {
        let name = path.display().to_string();
        let was = like(&|r| {
            r.config_files
                .iter()
                .find(|f| f.name == name)
                .map(|f| f.sha256.clone())
        });
        items.push((Slot::ConfigFile(name), bytes, was));
    }
    items.push((
        Slot::EffectiveConfig,
        &spec.config.effective,
        like(&|r| r.effective_config.as_ref().map(|e| e.sha256.clone())),
    ));
    items
}

/// The input files' bytes, taken out of `sources` (which keeps their roles, paths, hashes
/// and times), each with the blob it is a new version of: once encoded nothing needs them,
/// so the thread that encodes them frees them (90 MB at 250,000 people, otherwise held to
/// the end of the run).
fn take_input_bytes(
    sources: &mut Sources,
    last: Option<&RunRecord>,
) -> Vec<(Slot, Vec<u8>, Option<String>)> {
    sources
        .every_mut()
        .map(|f| {
            let like = last.and_then(|r| {
                r.inputs
                    .iter()
                    .find(|i| i.role == f.role)
                    .map(|i| i.sha256.clone())
            });
            (Slot::Input(f.role), std::mem::take(&mut f.bytes), like)
        })
        .collect()
}

/// The night's outputs, then its joiners-movers-leavers state, each with last night's
/// version of it (for delta storage: a roster that barely changed is a small delta).
fn output_bodies<'a>(
    night: &'a night::NightOutcome,
    last: Option<&RunRecord>,
) -> Vec<(Slot, &'a [u8], Option<String>)> {
    let jml = last.and_then(|r| r.jml.as_ref());
    let state = [
        (
            Slot::JmlRoster,
            night.jml.roster.as_slice(),
            jml.map(|j| j.roster.clone()),
        ),
        (
            Slot::JmlActions,
            night.jml.actions.as_slice(),
            jml.map(|j| j.actions.clone()),
        ),
    ];
    (night.outputs.iter())
        .filter(|o| !report::link_record::RENDERED.contains(&o.name.as_ref()))
        .map(|o| {
            let like = last.and_then(|r| {
                (r.outputs.iter())
                    .find(|x| x.name == o.name)
                    .map(|x| x.sha256.clone())
            });
            (Slot::Output(o.name.to_string()), o.bytes.as_slice(), like)
        })
        .chain(state)
        .collect()
}

/// The night's stored-only bodies (`night::Keep`), hashed and compressed the moment the
/// night hands them over, on whichever threads it renders with, each against last night's
/// version of it (for delta storage). Encoding writes nothing; the commit writes them.
struct Kept<'a> {
    store: &'a Store,
    last: Option<&'a RunRecord>,
    encoded: std::sync::Mutex<Vec<KeptBatch>>,
}

/// One batch `Kept` was handed: its kind, its first body's number, and the bodies encoded
/// (or why they could not be).
type KeptBatch = (night::StoredOnly, usize, Result<Vec<Encoded>, StoreError>);

impl night::Keep for Kept<'_> {
    fn keep(&self, kind: night::StoredOnly, first: usize, bodies: Vec<Vec<u8>>) -> Vec<String> {
        use night::StoredOnly::*;
        let like = |i: usize| -> Option<String> {
            let r = self.last?;
            match kind {
                People => r.people.get(i).cloned(),
                LinkRecord => r.link_record.as_ref().and_then(|l| match i {
                    0 => Some(l.figures.clone()),
                    b => l.buckets.get(b - 1).cloned(),
                }),
            }
        };
        let likes: Vec<Option<String>> = (first..first + bodies.len()).map(like).collect();
        let refs: Vec<(&[u8], Option<&str>)> = (bodies.iter().zip(&likes))
            .map(|(b, l)| (b.as_slice(), l.as_deref()))
            .collect();
        // On the calling thread: the night hands bodies over from every core already.
        let encoded = self.store.encode_blobs(&refs, Pace::Serial);
        let shas = match &encoded {
            Ok(e) => e.iter().map(Encoded::sha256).collect(),
            // The error reaches the commit (`finish`); the hashes are still the bodies'.
            Err(_) => bodies.iter().map(|b| ingest::hex_sha256(b)).collect(),
        };
        (self.encoded.lock())
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((kind, first, encoded));
        shas
    }
}

impl Kept<'_> {
    /// Everything encoded, in a fixed order (the night's threads hand bodies over in any
    /// order), or the first error met.
    fn finish(self) -> Result<Vec<Encoded>, StoreError> {
        let mut all = self
            .encoded
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        all.sort_by_key(|(kind, first, _)| (*kind, *first));
        let mut out = Vec::new();
        for (_, _, e) in all {
            out.extend(e?);
        }
        Ok(out)
    }
}

/// The store, locked, and what the run read from its chain before the night.
struct Admitted {
    store: Store,
    /// The chain, read once.
    entries: Vec<crate::store::Stored>,
    /// The newest night by date, which the guards and delta storage compare with (after a
    /// backfill the last committed run is an older night).
    last: Option<RunRecord>,
    run_id: String,
    /// The run this one supersedes (`--rerun`).
    supersedes: Option<String>,
    in_force: crate::clerical::InForce,
    /// The QA verdicts in force when the run started.
    qa: crate::clerical::qa::QaInForce,
    /// The officers' closings of joiners-movers-leavers actions in force when it started.
    jml_closings: crate::clerical::jml::ClosingsInForce,
    past: crate::history::past::Past,
}

/// What the run knows of tonight before the night is computed.
struct Tonight {
    started_at: String,
    info: RunInfo,
    what_if: crate::analyse::forecast::WhatIf,
    feeds: crate::model::feeds::Feeds,
}

pub fn run(spec: RunSpec) -> Result<RunOutcome, Error> {
    let clock = std::time::Instant::now();
    let started_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let what_if = effective_what_if(&spec.config.policy, spec.what_if.as_deref())?;
    let (early_store, mut sources, data) = lock_and_read(&spec)?;
    let stages = StageClock::default();
    let admitted = admit(&spec, early_store, &sources, &data)?;
    let tonight = Tonight {
        info: run_info(&admitted.run_id, spec.as_of, &sources),
        started_at,
        what_if,
        feeds: feeds_of_night(&spec),
    };
    stages.done("guards and history");
    let (night, early, kept) = compute_night(&spec, &admitted, &tonight, &mut sources, &data);
    stages.done("night");
    log_night(&spec.config.policy, &data, &night);

    // From here the run writes: a signal now is handled at the next step (`interrupt`), and
    // any failure before the commit removes what was written.
    crate::interrupt::enter(Phase::Writing)?;
    let committed = (|| -> Result<_, Error> {
        let (hashes, staged) = store_bodies(&spec, &admitted, &night, early?, kept.finish()?)?;
        let record = run_record(&spec, &admitted, &tonight, &sources, &data, &night, &hashes);
        let stored = admitted.store.append(Body::Run(Box::new(record.clone())))?;
        Ok((staged, record, stored))
    })();
    let (staged, record, stored) = committed.inspect_err(|_| {
        // Dropping the staged files (inside `store_bodies`) removed them; the payloads go too.
        if let Err(d) = admitted.store.discard_uncommitted() {
            tracing::error!("could not remove the payloads of the abandoned run: {d}");
        }
    })?;
    crate::interrupt::enter(Phase::Committed)?;
    stages.done("store and commit");
    info!(run_id = %record.run_id, seq = stored.entry.seq, chain_hash = %stored.hash, exceptions = record.exceptions, "committed run");
    let written = publish(&spec, &admitted, staged, &record, &stored)?;
    stages.done("publish");
    finished(&spec, clock, written.len());
    // Freeing the night (over a gigabyte at 250,000 people, millions of allocations) takes
    // a third of a second that nothing waits for: everything is committed, synced and
    // published, and the store (with its lock) is closed as this returns. A thread of its
    // own frees it, so the scheduler has the exit code at once. A caller that runs night
    // after night in one process (the year bench) has that freeing overlap the start of its
    // next night. If no thread can be had, the closure, and the night with it, is dropped here.
    let done = (night, data, sources, admitted.past, admitted.entries);
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(done));
    Ok(RunOutcome { record, written })
}

/// Check where the run writes, lock an existing store at once (so a second run fails before
/// reading anything), and read the inputs. A new store is created only once the inputs are
/// read and accepted (`admit`): a refused night makes nothing on disk.
fn lock_and_read(spec: &RunSpec) -> Result<(Option<Store>, Sources, ingest::Ingested), Error> {
    let reads = spec.reads();
    let reads: Vec<&Path> = reads.iter().map(PathBuf::as_path).collect();
    check_out_dir(&spec.out_dir, &spec.store_dir, &report::RUN_OUTPUTS, &reads)?;
    check_store_dir(&spec.store_dir, &reads)?;
    let store = match crate::store::probe(&spec.store_dir)? {
        crate::store::AtPath::Store => Some(Store::open(&spec.store_dir, "run")?),
        crate::store::AtPath::Absent | crate::store::AtPath::Empty => None,
    };
    let (sources, data) = load(
        &spec.config.policy,
        &spec.roster,
        &spec.posts,
        &spec.vetting,
        &spec.triggers,
        spec.as_of,
    )?;
    pause_point("ingested");
    Ok((store, sources, data))
}

/// Open the store (unless it was locked already), read its chain once, and admit tonight:
/// the feed guards, the run id, the retention horizon; then the decisions in force and the
/// earlier runs the report compares with.
fn admit(
    spec: &RunSpec,
    store: Option<Store>,
    sources: &Sources,
    data: &ingest::Ingested,
) -> Result<Admitted, Error> {
    let policy = &spec.config.policy;
    let store = match store {
        Some(s) => s,
        None => Store::open(&spec.store_dir, "run")?,
    };
    let entries = store.entries()?;
    let runs = crate::store::runs_of(&entries);
    let last = crate::history::latest(&runs).map(|r| r.record.clone());
    let findings = ingest::guard::check(
        &guard_view(sources, data),
        &ingest::guard::previous(last.as_ref()),
        policy.input.max_shrink_share,
    );
    // A refusal names the first problem; with --accept-change every one is logged.
    if !spec.accept_change {
        if let Some(first) = findings.into_iter().next() {
            return Err(first.into());
        }
    } else {
        for e in &findings {
            tracing::warn!("{e}; accepted because of --accept-change");
        }
    }
    let (run_id, supersedes) = next_run_id(&runs, spec.as_of, spec.rerun, spec.backfill)?;
    crate::history::prune::check_night(&entries, spec.as_of, spec.past_retention)?;
    let in_force = crate::store::in_force(&entries)?;
    warn_placeholders(&in_force);
    let qa = crate::store::qa_in_force(&entries)?;
    let jml_closings = crate::store::jml_closings_in_force(&entries)?;
    let past = crate::history::past::load(
        &store,
        &entries,
        supersedes.as_deref(),
        &spec.as_of.to_string(),
        policy.report.trend_runs - 1,
    )?;
    Ok(Admitted {
        store,
        entries,
        last,
        run_id,
        supersedes,
        in_force,
        qa,
        jml_closings,
        past,
    })
}

/// Who tonight's run is, as every output names it.
fn run_info(run_id: &str, as_of: NaiveDate, sources: &Sources) -> RunInfo {
    RunInfo {
        run_id: run_id.to_string(),
        as_of,
        version: env!("CARGO_PKG_VERSION").to_string(),
        inputs: sources
            .every()
            .map(|f| report::InputId::new(f.role, &f.path, &f.sha256))
            .collect(),
    }
}

/// Which optional feeds tonight reads; each one not read is warned of.
fn feeds_of_night(spec: &RunSpec) -> crate::model::feeds::Feeds {
    let read: Vec<&str> = spec.triggers.iter().map(|(role, _)| *role).collect();
    let feeds = ingest::feeds_of_night(&spec.config.policy.input, &read);
    for (role, off) in feeds.unread() {
        tracing::warn!(
            file = role,
            "{}: its review triggers are not checked tonight, and every figure that depends on it says so",
            crate::model::feeds::not_read_text(role, off)
        );
    }
    feeds
}

/// Compute the night (`night::compute`). The bodies the store keeps that are known before
/// it (config, decisions, inputs: about 90 MB at 250,000 people) are compressed on a thread
/// of their own meanwhile, filling the gaps where a core would idle, and the bodies only the
/// store keeps as the night renders them (`Kept`); the commit then compresses only the
/// night's outputs. Encoding writes nothing.
fn compute_night<'a>(
    spec: &RunSpec,
    admitted: &'a Admitted,
    tonight: &Tonight,
    sources: &mut Sources,
    data: &ingest::Ingested,
) -> (night::NightOutcome, Result<Named, StoreError>, Kept<'a>) {
    let ctx = night::Context {
        in_force: &admitted.in_force,
        past: &admitted.past,
        what_if: &tonight.what_if,
        feeds: &tonight.feeds,
        qa: Some(&admitted.qa),
    };
    let last = admitted.last.as_ref();
    let decisions_csv = admitted.in_force.to_csv();
    let qa_csv = admitted.qa.to_csv();
    let closings_csv = admitted.jml_closings.to_csv();
    let early_items = early_bodies(spec, &decisions_csv, [&qa_csv, &closings_csv], last);
    let input_bytes = take_input_bytes(sources, last);
    let kept = Kept {
        store: &admitted.store,
        last,
        encoded: std::sync::Mutex::new(Vec::new()),
    };
    let pb = progress(data.vetting.len(), "linking");
    let (night, early) = std::thread::scope(|s| {
        let (early_items, store) = (&early_items, &admitted.store);
        let early = s.spawn(move || {
            let inputs = input_bytes;
            let items: Vec<(Slot, &[u8], Option<&str>)> = (early_items.iter())
                .map(|(s, b, l)| (s.clone(), *b, l.as_deref()))
                .chain(
                    inputs
                        .iter()
                        .map(|(s, b, l)| (s.clone(), b.as_slice(), l.as_deref())),
                )
                .collect();
            encode_named(store, &items, Pace::Serial)
        });
        let on_record = || pb.inc(1);
        let policy = &spec.config.policy;
        let night = night::compute(
            policy,
            data,
            spec.as_of,
            &tonight.info,
            &ctx,
            &on_record,
            &kept,
        );
        let early = early
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (night, early)
    });
    pb.finish_and_clear();
    debug_assert!(
        (night.outputs.iter()).all(|o| report::RUN_OUTPUTS.contains(&o.name.as_ref())),
        "every output the night renders is in report::RUN_OUTPUTS (checked before the run)"
    );
    (night, early, kept)
}

/// Log what the night linked, and what it warns of.
fn log_night(policy: &crate::config::Policy, data: &ingest::Ingested, night: &night::NightOutcome) {
    let counts = &night.link_counts;
    info!(
        auto_link = counts.auto_link,
        confirmed = counts.confirmed,
        review = counts.review,
        ambiguous = counts.ambiguous,
        no_match = counts.no_match,
        candidate_pairs = night.link_stats.pairs,
        scored_pairs = night.link_stats.scored,
        capped_block_keys = night.link_stats.capped_keys,
        match_share = night.match_share,
        decisions_applied = night.decisions_applied,
        decisions_not_applicable = night.decisions_not_applicable,
        decisions_reopened = night.decisions_reopened,
        weights = %policy.linking.weights_source,
        "linked vetting records"
    );
    if !policy.linking.filled_levels.is_empty() {
        tracing::warn!(
            levels = %policy.linking.filled_levels.join(" "),
            "the weights table predates these comparison levels; they take the built-in m and u, and forenames.full a share of the table's forenames.exact (retrain or add them to silence this)"
        );
    }
    for w in &night.warnings {
        tracing::warn!("{w}");
    }
    for (role, rows) in crate::assess::triggers::unmatched(&data.persons, &data.triggers) {
        if rows > 0 {
            tracing::warn!(
                file = role,
                rows,
                "rows name an employee id that is no one on the roster; they raise nothing"
            );
        }
    }
    if data.triggers.has("pnd_returns") {
        let p = &night.pnd_links;
        info!(
            auto_link = p.auto_link,
            confirmed = p.confirmed,
            review = p.review,
            ambiguous = p.ambiguous,
            no_match = p.no_match,
            "linked PND returns"
        );
    }
}

/// Write every body the run keeps (those encoded before and during the night, and the
/// outputs, encoded now) while the outputs are staged under temporary names, which is disk
/// time more than CPU; return the bodies' hashes by name and the staged outputs. A failure
/// of either drops the staged files; nothing is committed here. Then make sure nothing stands
/// in the way of the commit.
fn store_bodies(
    spec: &RunSpec,
    admitted: &Admitted,
    night: &night::NightOutcome,
    early: Named,
    kept: Vec<Encoded>,
) -> Result<(Hashes, report::write::Staged), Error> {
    let store = &admitted.store;
    let items = output_bodies(night, admitted.last.as_ref());
    let items: Vec<(Slot, &[u8], Option<&str>)> = (items.iter())
        .map(|(s, b, l)| (s.clone(), *b, l.as_deref()))
        .collect();
    let (late, staged) = std::thread::scope(|s| {
        let staging = s.spawn(|| report::write::stage(&spec.out_dir, &night.outputs));
        let late = encode_named(store, &items, Pace::Parallel).and_then(|late| {
            // The stored-only bodies last: their hashes are the night's already.
            let all: Vec<&Encoded> = (early.iter().chain(&late).map(|(_, e)| e))
                .chain(&kept)
                .collect();
            store.write_encoded(&all).map(|_| late)
        });
        let staged = staging
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (late, staged)
    });
    let (late, staged) = (late?, staged?);
    let mut hashes = Hashes::default();
    hashes.add(early.iter().chain(&late));
    // The outputs the link record renders again are named by their hash alone.
    for o in
        (night.outputs.iter()).filter(|o| report::link_record::RENDERED.contains(&o.name.as_ref()))
    {
        hashes.0.insert(
            Slot::Output(o.name.to_string()),
            ingest::hex_sha256(&o.bytes),
        );
    }
    pause_point("blobs-written");
    crate::interrupt::check()?;

    // chain.txt is written after the commit: a directory where it goes would fail then, so
    // it is found now, as `stage` finds one where any other output goes.
    let chain = spec.out_dir.join(report::chain::NAME);
    if std::fs::symlink_metadata(&chain).is_ok_and(|m| m.is_dir()) {
        return Err(Error::Output {
            path: chain,
            source: std::io::Error::other(
                "a directory is where this output goes; nothing was committed",
            ),
        });
    }
    pause_point("staged");
    crate::interrupt::check()?;
    Ok((hashes, staged))
}

/// The run record: what was read, decided and written tonight, each stored body by its
/// hash, found by name.
/// Exceptions per code for the run record: every code the night checked, and only those. A
/// code raised from optional columns of the vetting export that the export lacks is left
/// out, so the trend and tomorrow's changes read it as not checked, never as a zero.
fn checked_counts(
    exceptions: &[crate::assess::Exception],
    columns: &[&str],
) -> std::collections::BTreeMap<String, usize> {
    let mut counts = report::summary::counts(exceptions);
    counts.retain(|code, _| {
        crate::assess::Code::parse(code)
            .is_none_or(|c| c.columns().iter().all(|col| columns.contains(col)))
    });
    counts
}

fn run_record(
    spec: &RunSpec,
    admitted: &Admitted,
    tonight: &Tonight,
    sources: &Sources,
    data: &ingest::Ingested,
    night: &night::NightOutcome,
    hashes: &Hashes,
) -> RunRecord {
    let named = |name: String, slot: Slot| FileRef {
        sha256: hashes.of(&slot),
        name,
    };
    let config_files: Vec<FileRef> = (spec.config.files.iter())
        .map(|(p, _)| p.display().to_string())
        .map(|name| named(name.clone(), Slot::ConfigFile(name)))
        .collect();
    let given = data.triggers.given.iter().map(|(_, st, h)| (st, h));
    let read = (data.stats.iter().map(|(_, st)| st))
        .zip(&data.headers)
        .chain(given);
    let inputs: Vec<InputRef> = (sources.every().zip(read))
        .map(|(f, (st, header))| InputRef {
            role: f.role.to_string(),
            path: f.path.display().to_string(),
            sha256: hashes.of(&Slot::Input(f.role)),
            rows: st.rows,
            accepted: st.accepted,
            rejected: st.rejected,
            columns: header.clone(),
            modified: f.modified.clone(),
        })
        .collect();
    let outputs: Vec<FileRef> = (night.outputs.iter())
        .map(|o| named(o.name.to_string(), Slot::Output(o.name.to_string())))
        .collect();
    RunRecord {
        run_id: admitted.run_id.clone(),
        as_of: spec.as_of.to_string(),
        started_at: tonight.started_at.clone(),
        finished_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        version: tonight.info.version.clone(),
        supersedes: admitted.supersedes.clone(),
        config: named(spec.config.name(), Slot::Config),
        config_files,
        config_source: Some(spec.config.source.how().to_string()),
        effective_config: Some(named("effective config".into(), Slot::EffectiveConfig)),
        inputs,
        decisions: named("decisions.csv".into(), Slot::Decisions),
        decisions_in_force: admitted.in_force.len(),
        qa_verdicts: Some(crate::store::QaSnapshotRef {
            sha256: hashes.of(&Slot::QaVerdicts),
            in_force: admitted.qa.len(),
        }),
        outputs,
        links_detail: None,
        rendered: (night.outputs.iter())
            .map(|o| o.name.to_string())
            .filter(|n| report::link_record::RENDERED.contains(&n.as_str()))
            .collect(),
        people: night.people.clone(),
        explain: Vec::new(),
        link_record: night.link_record.split_first().map(|(f, b)| LinkRecordRef {
            figures: f.clone(),
            buckets: b.to_vec(),
        }),
        links: night.link_counts.clone(),
        prior_bits: night.prior_bits,
        match_share: Some(night.match_share),
        learnt_m: night.learnt_m.clone(),
        learnt_m_widened: night.learnt_m_widened.clone(),
        lookalike_bits: night.lookalike_bits.clone(),
        counts: checked_counts(&night.exceptions, &data.code_columns),
        exceptions: night.exceptions.len(),
        what_if: spec.what_if.clone(),
        feeds_off: tonight.feeds.off.clone(),
        quoted_commands: true,
        open_cases: night.open_cases.clone(),
        jml: Some(crate::store::JmlRef {
            roster: hashes.of(&Slot::JmlRoster),
            actions: hashes.of(&Slot::JmlActions),
            closings: hashes.of(&Slot::JmlClosings),
            people: night.jml.people,
            open: night.jml.open,
            closings_in_force: admitted.jml_closings.len(),
        }),
    }
}

/// After the commit: prune again where a retention horizon is recorded, then put the
/// outputs in place, chain.txt last. A failure here leaves the run committed, and says how
/// to write its outputs again.
fn publish(
    spec: &RunSpec,
    admitted: &Admitted,
    staged: report::write::Staged,
    record: &RunRecord,
    stored: &crate::store::Stored,
) -> Result<Vec<PathBuf>, Error> {
    // No prune recorded (read before the commit, under the lock): nothing to do again.
    if crate::history::prune::horizon(&admitted.entries).is_some() {
        prune_again(&admitted.store);
    }
    pause_point("committed");
    let after_commit = |e: Error| Error::AfterCommit {
        run_id: record.run_id.clone(),
        source: Box::new(e),
        report: report_command(&record.run_id, spec),
    };
    let mut written = staged.publish().map_err(after_commit)?;
    // This night's own chain hash, which no output can carry (the record hashes them),
    // written beside the page the same way, last, once the rest are in place.
    if let Some(bytes) = report::chain::render(stored) {
        let chain = [report::Output {
            name: report::chain::NAME.into(),
            bytes,
        }];
        written.extend(
            report::write::stage(&spec.out_dir, &chain)
                .and_then(|s| s.publish())
                .map_err(after_commit)?,
        );
    }
    Ok(written)
}

/// Log the run's end.
fn finished(spec: &RunSpec, clock: std::time::Instant, files: usize) {
    info!(dir = %spec.out_dir.display(), files, "outputs written");
    info!(
        seconds = format!("{:.2}", clock.elapsed().as_secs_f64()),
        peak_rss_mb = peak_rss_mb(),
        "run finished"
    );
    if let Some(sig) = crate::interrupt::requested() {
        tracing::warn!(
            signal = sig,
            "the signal arrived after the commit: the run was completed, not stopped"
        );
    }
}
