//! The nightly run: every stage in order, then one atomic commit.
//!
//! Order matters for the all-or-nothing promise: the store is locked first (a second run
//! fails at once), everything is computed and rendered in memory, the outputs are staged
//! under temporary names, the store commits the run, and only then are the outputs renamed
//! into place. A failure anywhere before the commit leaves the store and yesterday's outputs
//! exactly as they were.

use crate::assess::{self, Facts};
use crate::config::LoadedConfig;
use crate::error::Error;
use crate::ingest::{self, SourceFile, Sources};
use crate::link::{self, Decision, LinkOutcome};
use crate::report::{self, Output, RunInfo};
use crate::store::{FileRef, InputRef, LinkCounts, RunRecord, Store};
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
    pub as_of: NaiveDate,
    pub out_dir: PathBuf,
    pub store_dir: PathBuf,
    /// Accept a roster or vetting file that shrank more than the feed guard allows.
    pub accept_change: bool,
}

/// What a committed run produced.
#[derive(Debug)]
pub struct RunOutcome {
    pub record: RunRecord,
    pub written: Vec<PathBuf>,
}

fn link_counts(links: &[LinkOutcome]) -> LinkCounts {
    let n = |d: Decision| links.iter().filter(|l| l.decision == d).count();
    LinkCounts {
        auto_link: n(Decision::AutoLink),
        review: n(Decision::Review),
        ambiguous: n(Decision::Ambiguous),
        no_match: n(Decision::NoMatch),
    }
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
/// `evaluate`).
pub fn load(
    policy: &crate::config::Policy,
    roster: &Path,
    posts: &Path,
    vetting: &Path,
    as_of: NaiveDate,
) -> Result<(Sources, ingest::Ingested), Error> {
    let sources = Sources {
        roster: SourceFile::read("roster", roster)?,
        posts: SourceFile::read("posts", posts)?,
        vetting: SourceFile::read("vetting", vetting)?,
    };
    for f in sources.all() {
        info!(file = f.role, path = %f.path.display(), bytes = f.bytes.len(), sha256 = %f.sha256, "read input");
    }
    let data = ingest::ingest(policy, &sources, as_of)?;
    for (name, st) in &data.stats {
        info!(
            file = name,
            rows = st.rows,
            accepted = st.accepted,
            rejected = st.rejected,
            "ingested"
        );
    }
    Ok((sources, data))
}

/// Peak resident memory of this process so far, in MiB (0 where the OS cannot say).
pub fn peak_rss_mb() -> u64 {
    #[cfg(unix)]
    {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: getrusage fills the struct it is given; RUSAGE_SELF is always valid.
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } == 0 {
            // SAFETY: initialised by the successful call above.
            let kb = unsafe { usage.assume_init() }.ru_maxrss as u64;
            return kb / 1024;
        }
    }
    0
}

pub fn run(spec: RunSpec) -> Result<RunOutcome, Error> {
    let clock = std::time::Instant::now();
    let started_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let policy = &spec.config.policy;
    let store = Store::open(&spec.store_dir)?;
    let (sources, data) = load(policy, &spec.roster, &spec.posts, &spec.vetting, spec.as_of)?;

    let previous: Vec<ingest::guard::Previous> = store
        .last_run()?
        .map(|r| {
            r.inputs
                .iter()
                .map(|i| ingest::guard::Previous {
                    run_id: r.run_id.clone(),
                    role: i.role.clone(),
                    rows: i.rows,
                })
                .collect()
        })
        .unwrap_or_default();
    match ingest::guard::check_shrink(
        &sources,
        &data.stats,
        &previous,
        policy.input.max_shrink_share,
    ) {
        Err(e) if spec.accept_change => tracing::warn!("{e}; accepted because of --accept-change"),
        other => other?,
    }

    let pb = progress(data.vetting.len(), "linking");
    let linked = link::link(&policy.linking, &data.persons, &data.vetting, &|| pb.inc(1));
    pb.finish_and_clear();
    let links = linked.outcomes;
    let counts = link_counts(&links);
    info!(
        auto_link = counts.auto_link,
        review = counts.review,
        ambiguous = counts.ambiguous,
        no_match = counts.no_match,
        candidate_pairs = linked.stats.pairs,
        scored_pairs = linked.stats.scored,
        capped_block_keys = linked.stats.capped_keys,
        weights = %policy.linking.weights_source,
        "linked vetting records"
    );

    let facts = Facts::new(
        &data.persons,
        &data.posts,
        &data.vetting,
        &links,
        &policy.levels,
        spec.as_of,
        policy.expiry_warning_days,
    );
    let exceptions = assess::assess(&facts, &policy.priority);

    let (seq, run_id) = store.next_run_id(spec.as_of)?;
    let info = RunInfo {
        run_id: run_id.clone(),
        as_of: spec.as_of,
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let outputs = vec![
        Output {
            name: "exceptions.csv",
            bytes: report::exceptions::render(&info, &exceptions),
        },
        Output {
            name: "matches.csv",
            bytes: report::matches::render(&data.persons, &data.vetting, &links),
        },
        Output {
            name: "rejects.csv",
            bytes: report::rejects::render(&data.rejects),
        },
        Output {
            name: "summary.txt",
            bytes: report::summary::render(&info, &data.stats, &counts, &exceptions),
        },
    ];

    let config_sha = store.put_blob(&spec.config.bytes)?;
    let mut inputs = Vec::new();
    for (f, (_, st)) in sources.all().into_iter().zip(&data.stats) {
        let sha256 = store.put_blob(&f.bytes)?;
        inputs.push(InputRef {
            role: f.role.to_string(),
            path: f.path.display().to_string(),
            sha256,
            rows: st.rows,
            accepted: st.accepted,
            rejected: st.rejected,
        });
    }
    let mut output_refs = Vec::new();
    for o in &outputs {
        output_refs.push(FileRef {
            name: o.name.to_string(),
            sha256: store.put_blob(&o.bytes)?,
        });
    }
    let staged = report::write::stage(&spec.out_dir, &outputs)?;
    let record = RunRecord {
        run_id,
        seq,
        as_of: spec.as_of.to_string(),
        started_at,
        finished_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        version: info.version.clone(),
        config: FileRef {
            name: spec.config.path.display().to_string(),
            sha256: config_sha,
        },
        inputs,
        outputs: output_refs,
        links: counts,
        counts: report::summary::counts(&exceptions),
        exceptions: exceptions.len(),
        prev_hash: None,
        hash: String::new(),
    };
    let record = store.commit(record)?;
    info!(run_id = %record.run_id, exceptions = record.exceptions, "committed run");
    let written = staged.publish()?;
    info!(dir = %spec.out_dir.display(), files = written.len(), "outputs written");
    info!(
        seconds = format!("{:.2}", clock.elapsed().as_secs_f64()),
        peak_rss_mb = peak_rss_mb(),
        "run finished"
    );
    Ok(RunOutcome { record, written })
}
