//! `vetrecon replay RUN`: recompute a stored run from its stored inputs, effective config,
//! config files and its snapshots of the decisions and QA verdicts in force, and compare
//! every output byte for byte.
//!
//! Nothing is read from disk and nothing is written to the store: a replay is a pure check.
//! Decisions recorded after the run do not apply (the run's own snapshot does), so a run
//! made before a vetting officer's confirmation replays exactly as it was.

use crate::clerical::InForce;
use crate::error::{Error, StoreError};
use crate::history::text::put;
use crate::ingest::{SourceFile, Sources};
use crate::report::RunInfo;
use crate::store::{Body, Store};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCheck {
    pub name: String,
    pub stored: String,
    pub replayed: String,
}

#[derive(Debug)]
pub struct Replay {
    pub run_id: String,
    pub stored_version: String,
    pub version: String,
    pub files: Vec<FileCheck>,
}

impl Replay {
    pub fn ok(&self) -> bool {
        self.files.iter().all(|f| f.stored == f.replayed)
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        for f in &self.files {
            let verdict = if f.stored == f.replayed {
                "identical"
            } else {
                "DIFFERS"
            };
            put!(&mut s, "  {:<16} {verdict}", f.name);
            if f.stored != f.replayed {
                put!(&mut s, "    stored   {}", f.stored);
                put!(&mut s, "    replayed {}", f.replayed);
            }
        }
        if self.ok() {
            put!(
                &mut s,
                "REPLAY OK: run {} reproduced byte for byte",
                self.run_id
            );
        } else {
            put!(&mut s, "REPLAY DIFFERS: run {}", self.run_id);
            if self.stored_version != self.version {
                put!(
                    &mut s,
                    "the run was made by vetrecon {} and this is vetrecon {}: the program changed, which can explain the difference; replay with version {} to check the store itself",
                    self.stored_version, self.version, self.stored_version
                );
            }
        }
        s
    }
}

fn role(name: &str) -> Result<&'static str, StoreError> {
    ["roster", "posts", "vetting"]
        .into_iter()
        .chain(crate::ingest::FEED_ROLES)
        .find(|r| *r == name)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown input role {name}")))
}

/// A stored run's night as it read it: its config (with the files it names) and its inputs,
/// ingested again from the store. Replay recomputes the run from this. Refused when the
/// run's inputs were pruned.
pub fn stored_night(
    store: &Store,
    entries: &[crate::store::Stored],
    rec: &crate::store::RunRecord,
) -> Result<
    (
        crate::config::Policy,
        crate::ingest::Ingested,
        chrono::NaiveDate,
    ),
    Error,
> {
    let (policy, sources, as_of) = stored_sources(store, entries, rec)?;
    let data = crate::ingest::ingest(&policy.input, &policy.levels, &sources, as_of)?;
    Ok((policy, data, as_of))
}

/// A stored run's config (with the files it names), its input files as it read them, and
/// its as-of date: what `stored_night` ingests, and what `decide` cuts down to the pair
/// it is about. Refused when the run's inputs were pruned.
pub fn stored_sources(
    store: &Store,
    entries: &[crate::store::Stored],
    rec: &crate::store::RunRecord,
) -> Result<(crate::config::Policy, Sources, chrono::NaiveDate), Error> {
    let run_id = rec.run_id.as_str();
    for s in entries {
        if let Body::Prune(p) = &s.entry.body {
            if p.runs.contains(&rec.run_id)
                && rec.inputs.iter().any(|i| p.blobs.contains(&i.sha256))
            {
                return Err(StoreError::Pruned {
                    run_id: run_id.to_string(),
                    at: p.at.clone(),
                }
                .into());
            }
        }
    }
    // The whole effective config the night judged by; a run made before it was kept has
    // only its file, read with this version's defaults.
    let config_sha = rec
        .effective_config
        .as_ref()
        .unwrap_or(&rec.config)
        .sha256
        .as_str();
    let config_bytes = store.get_blob(config_sha)?;
    let mut files = Vec::new();
    for f in &rec.config_files {
        files.push((f.name.clone(), store.get_blob(&f.sha256)?));
    }
    let read = |p: &Path| {
        let name = p.display().to_string();
        files
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| format!("{name} was not kept with the run"))
    };
    let policy = crate::config::parse_with(Path::new(&rec.config.name), &config_bytes, &read)?;
    let mut got = Vec::new();
    for i in &rec.inputs {
        got.push(SourceFile::from_bytes(
            role(&i.role)?,
            Path::new(&i.path),
            store.get_blob(&i.sha256)?,
        ));
    }
    let take = |r: &str| {
        got.iter()
            .find(|f| f.role == r)
            .cloned()
            .ok_or_else(|| StoreError::Corrupt(format!("run {run_id} kept no {r} input")))
    };
    let sources = Sources {
        roster: take("roster")?,
        posts: take("posts")?,
        vetting: take("vetting")?,
        triggers: crate::ingest::FEED_ROLES
            .iter()
            .filter_map(|r| got.iter().find(|f| f.role == *r).cloned())
            .collect(),
    };
    let as_of = chrono::NaiveDate::parse_from_str(&rec.as_of, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("run {run_id} as-of date: {e}")))?;
    Ok((policy, sources, as_of))
}

/// chain.txt as the night wrote it against chain.txt made from the replayed night: the
/// run's chain entry with the replayed outputs' hashes in place of the stored ones, encoded
/// and hashed again. None for an entry that does not encode back to its stored
/// bytes (a run written before a field of the record existed), which has nothing to compare.
fn chain_check(
    stored: &crate::store::Stored,
    night: &crate::night::NightOutcome,
) -> Option<FileCheck> {
    let sha = crate::ingest::hex_sha256;
    let encode = |e: &crate::store::Entry| serde_json::to_vec(e).ok().map(|b| sha(&b));
    if encode(&stored.entry)? != stored.hash {
        return None;
    }
    let mut entry = stored.entry.clone();
    if let Body::Run(rec) = &mut entry.body {
        for o in &mut rec.outputs {
            o.sha256 = night
                .outputs
                .iter()
                .find(|x| x.name == o.name)
                .map(|x| sha(&x.bytes))
                .unwrap_or_default();
        }
        // A run stored before the link record kept links.csv and the explain buckets,
        // which this version does not make: there is nothing to put in their place.
        if rec.links_detail.is_some() || !rec.explain.is_empty() {
            return None;
        }
        rec.people = night.people.clone();
        if let Some(j) = &mut rec.jml {
            j.roster = sha(&night.jml.roster);
            j.actions = sha(&night.jml.actions);
        }
        rec.link_record =
            (night.link_record.split_first()).map(|(f, b)| crate::store::LinkRecordRef {
                figures: f.clone(),
                buckets: b.to_vec(),
            });
    }
    let replayed = crate::store::Stored {
        hash: encode(&entry)?,
        entry,
    };
    let text = |s: &crate::store::Stored| crate::report::chain::render(s).map(|b| sha(&b));
    Some(FileCheck {
        name: crate::report::chain::NAME.into(),
        stored: text(stored)?,
        replayed: text(&replayed)?,
    })
}

/// A `Keep` for a replay: hashes every body, and holds the link record's so that links.csv
/// can be rendered from it.
#[derive(Default)]
struct KeepRecord {
    record: std::sync::Mutex<Vec<(usize, Vec<u8>)>>,
}

impl crate::night::Keep for KeepRecord {
    fn keep(
        &self,
        kind: crate::night::StoredOnly,
        first: usize,
        bodies: Vec<Vec<u8>>,
    ) -> Vec<String> {
        let shas = bodies
            .iter()
            .map(|b| crate::ingest::hex_sha256(b))
            .collect();
        if kind == crate::night::StoredOnly::LinkRecord {
            (self.record.lock())
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend((first..).zip(bodies));
        }
        shas
    }
}

impl KeepRecord {
    fn links_csv(self) -> Result<Vec<u8>, StoreError> {
        let mut all = (self.record.into_inner()).unwrap_or_else(std::sync::PoisonError::into_inner);
        all.sort_by_key(|(i, _)| *i);
        let mut bodies = all.into_iter().map(|(_, b)| b);
        let figures = bodies.next().unwrap_or_default();
        let buckets: Vec<Vec<u8>> = bodies.collect();
        super::explain::record_links_csv(&figures, &buckets)
    }
}

pub fn replay(store: &Store, run_id: &str) -> Result<Replay, Error> {
    let entries = store.entries()?;
    let run = crate::store::runs_of(&entries)
        .into_iter()
        .find(|r| r.record.run_id == run_id)
        .ok_or_else(|| StoreError::NoSuchRun(run_id.to_string()))?;
    let rec = &run.record;
    let (policy, data, as_of) = stored_night(store, &entries, rec)?;
    let in_force =
        InForce::from_csv(&store.get_blob(&rec.decisions.sha256)?).map_err(StoreError::Corrupt)?;
    // The QA verdicts as the night held them (none for a run stored before they were kept).
    let qa = match &rec.qa_verdicts {
        Some(q) => Some(
            crate::clerical::qa::QaInForce::from_csv(&store.get_blob(&q.sha256)?)
                .map_err(StoreError::Corrupt)?,
        ),
        None => None,
    };
    let version = env!("CARGO_PKG_VERSION").to_string();
    let info = RunInfo {
        run_id: rec.run_id.clone(),
        as_of,
        version: version.clone(),
        inputs: rec
            .inputs
            .iter()
            .map(|i| crate::report::InputId::new(&i.role, Path::new(&i.path), &i.sha256))
            .collect(),
    };
    let what_if = crate::run::effective_what_if(&policy, rec.what_if.as_deref())?;
    let before: Vec<_> = entries
        .iter()
        .filter(|s| s.entry.seq < run.seq)
        .cloned()
        .collect();
    let mut past = crate::history::past::load(
        store,
        &before,
        rec.supersedes.as_deref(),
        &rec.as_of,
        policy.report.trend_runs - 1,
    )?;
    // The officers' closings as the night held them (its snapshot).
    if let (Some(j), Some(kept)) = (
        &rec.jml,
        past.previous.as_mut().and_then(|p| p.jml.as_mut()),
    ) {
        kept.closings =
            crate::clerical::jml::ClosingsInForce::from_csv(&store.get_blob(&j.closings)?)
                .map_err(StoreError::Corrupt)?;
    }
    let feeds = rec.feeds();
    let ctx = crate::night::Context {
        in_force: &in_force,
        past: &past,
        what_if: &what_if,
        feeds: &feeds,
        qa: qa.as_ref(),
    };
    let kept = KeepRecord::default();
    let night = crate::night::compute(&policy, &data, as_of, &info, &ctx, &|| {}, &kept);
    let sha = crate::ingest::hex_sha256;
    let mut checks = Vec::new();
    for o in &rec.outputs {
        let replayed = night
            .outputs
            .iter()
            .find(|x| x.name == o.name)
            .map(|x| sha(&x.bytes))
            .unwrap_or_else(|| "(not produced)".into());
        checks.push(FileCheck {
            name: o.name.clone(),
            stored: o.sha256.clone(),
            replayed,
        });
    }
    // links.csv as the run would write it: rendered from the stored link record (or as a
    // run before it stored the file), and from tonight's.
    checks.push(FileCheck {
        name: "links.csv".into(),
        stored: sha(&super::explain::links_csv(store, rec)?),
        replayed: sha(&kept.links_csv()?),
    });
    let joined = |v: Vec<String>| sha(v.join("\n").as_bytes());
    checks.push(FileCheck {
        name: "person index".into(),
        stored: joined(rec.people.clone()),
        replayed: joined(night.people.clone()),
    });
    // Runs made before the link record have none to compare (their explain buckets are
    // another form; links.csv, above, is compared for them too).
    if let Some(l) = &rec.link_record {
        let mut stored = vec![l.figures.clone()];
        stored.extend(l.buckets.iter().cloned());
        checks.push(FileCheck {
            name: "link record".into(),
            stored: joined(stored),
            replayed: joined(night.link_record.clone()),
        });
    }
    // What the night kept for the next one (runs made before it was kept have none).
    if let Some(j) = &rec.jml {
        checks.push(FileCheck {
            name: "jml state".into(),
            stored: joined(vec![j.roster.clone(), j.actions.clone()]),
            replayed: joined(vec![sha(&night.jml.roster), sha(&night.jml.actions)]),
        });
    }
    if let Some(check) = entries
        .iter()
        .find(|s| s.entry.seq == run.seq)
        .and_then(|s| chain_check(s, &night))
    {
        checks.push(check);
    }
    Ok(Replay {
        run_id: rec.run_id.clone(),
        stored_version: rec.version.clone(),
        version,
        files: checks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(same: bool) -> FileCheck {
        FileCheck {
            name: "summary.txt".into(),
            stored: "a".into(),
            replayed: if same { "a" } else { "b" }.into(),
        }
    }

    #[test]
    fn a_difference_under_another_program_version_says_so() {
        let r = Replay {
            run_id: "20261124-01".into(),
            stored_version: "0.1.0".into(),
            version: "0.2.0".into(),
            files: vec![check(false)],
        };
        let text = r.render();
        assert!(!r.ok());
        assert!(text.contains("REPLAY DIFFERS: run 20261124-01"), "{text}");
        assert!(
            text.contains("made by vetrecon 0.1.0 and this is vetrecon 0.2.0"),
            "{text}"
        );
        let same = Replay {
            files: vec![check(true)],
            ..r
        };
        assert!(same.ok());
        assert!(same.render().contains("REPLAY OK"));
    }

    /// A night is judged again by the effective config it kept, not by its config file read
    /// with this version's defaults; a run made before the effective config was kept still
    /// replays from its file.
    #[test]
    fn a_stored_night_is_read_with_its_effective_config_and_an_old_one_with_its_file() {
        use crate::store::{FileRef, InputRef, RunRecord};
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), "test").unwrap();
        let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo");
        let put = |b: &[u8]| store.put_blob(b, None).unwrap();
        let mut rec = RunRecord::test_record("20261124-01");
        for role in ["roster", "posts", "vetting"] {
            let bytes = std::fs::read(demo.join(format!("{role}.csv"))).unwrap();
            rec.inputs.push(InputRef {
                role: role.into(),
                path: format!("{role}.csv"),
                sha256: put(&bytes),
                rows: 0,
                accepted: 0,
                rejected: 0,
                columns: Vec::new(),
                modified: None,
            });
        }
        // The file named no key: under this version's defaults it means 180 days.
        rec.config.sha256 = put(b"");
        let (old, _, _) = stored_night(&store, &[], &rec).unwrap();
        assert_eq!(old.expiry_warning_days, 180);
        // The night kept what was in force then (a default since changed, say).
        rec.effective_config = Some(FileRef {
            name: "effective config".into(),
            sha256: put(b"[rules]\nexpiry_warning_days = 90\n"),
        });
        let (kept, _, _) = stored_night(&store, &[], &rec).unwrap();
        assert_eq!(kept.expiry_warning_days, 90);
    }
}
