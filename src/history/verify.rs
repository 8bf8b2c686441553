//! `vetrecon verify`: prove the store is what the runs wrote.
//!
//! Walks the chain from the first entry: each entry must sit under its own sequence number,
//! follow its predecessor without a gap, and carry the SHA-256 of its predecessor's stored
//! bytes; the head record must name the last entry. Then every payload a run references
//! (inputs, config, decisions, outputs, link detail, person buckets) must decode to bytes
//! that hash to its name, unless a recorded prune dropped it. Each finding names the run.
//!
//! `verify` only reads (`Store::open_audit`: a private copy of the database, nothing in the
//! store changed), and it opens a damaged store instead of refusing it, to say so: payload
//! files the database does not know fail it. What needs a person but is not a sign that the
//! record was altered is a warning (`WARN`), which leaves the verdict as it is: what a
//! killed run left (the next run removes it), files in `objects/` that vetrecon did not
//! write, and files open to group or others.
//!
//! What anchors the chain: each entry carries the hash of the one before, so the newest
//! hash (the head) vouches for the whole chain. Someone who can write the store can still
//! rewrite an entry and recompute every hash after it; only a head kept outside the store
//! shows that. `--expect-head HASH` checks a head recorded earlier (each night's chain.txt,
//! or the `chain_hash` of its log line) is still in the chain.
//!
//! A warning also names something the store holds as written that today's
//! rules would refuse, such as two confirmations of one vetting record recorded by a build
//! that compared ids as spelled (`V501386` and `v501386`). The night sends such a record back
//! to review; the warning says which decision entry to revoke.

use crate::error::StoreError;
use crate::history::text::put;
use crate::store::{BlobState, Body, Entry, Store};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default)]
pub struct Verification {
    pub entries: usize,
    pub runs: usize,
    pub payloads: usize,
    pub head: Option<String>,
    pub findings: Vec<String>,
    /// What is intact but wrong all the same, or what the store holds that today's rules
    /// would refuse (a decision recorded with a placeholder as its `by` or `reason`, a second
    /// confirmation of one record): printed as WARN, and not a failure.
    pub warnings: Vec<String>,
    /// Where the expected head (`--expect-head`) was found: `None` when not asked.
    pub anchor: Option<String>,
}

/// How many paths one warning lists before it counts the rest.
const LISTED: usize = 20;

impl Verification {
    pub fn ok(&self) -> bool {
        self.findings.is_empty()
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        for w in &self.warnings {
            put!(&mut s, "WARN {w}");
        }
        for f in &self.findings {
            put!(&mut s, "FAIL {f}");
        }
        if let Some(a) = &self.anchor {
            put!(&mut s, "{a}");
        }
        if self.ok() {
            put!(
                &mut s,
                "VERIFY OK: {} chain entries ({} runs), {} payloads intact; head {}{}",
                self.entries,
                self.runs,
                self.payloads,
                self.head.as_deref().unwrap_or("(empty store)"),
                match self.warnings.len() {
                    0 => String::new(),
                    n => format!("; {n} warnings (WARN above)"),
                }
            );
        } else {
            put!(&mut s, "VERIFY FAILED: {} problems", self.findings.len());
        }
        s
    }
}

fn label(e: &Entry) -> String {
    match &e.body {
        Body::Run(r) => format!("run {}", r.run_id),
        Body::Decisions(_) => format!("decision entry {}", e.seq),
        Body::Prune(_) => format!("prune entry {}", e.seq),
        Body::QaVerdicts(_) => format!("QA verdict entry {}", e.seq),
        Body::JmlClosings(_) => format!("jml closing entry {}", e.seq),
    }
}

/// Each recorded decision whose `by` or `reason` is a placeholder a printed command carried
/// (`DecisionRow::has_placeholder`), by chain entry: it was pasted unedited.
fn placeholder_decisions(parsed: &[Option<Entry>]) -> Vec<String> {
    let mut out = Vec::new();
    for e in parsed.iter().flatten() {
        let Body::Decisions(ev) = &e.body else {
            continue;
        };
        for d in ev.rows.iter().filter(|d| d.has_placeholder()) {
            out.push(format!(
                "decision entry {}: {} {} / {} was recorded with a printed placeholder as its by or reason (pasted unedited): revoke it and decide again",
                e.seq,
                d.verdict.as_str(),
                d.employee_id,
                d.vetting_ref
            ));
        }
    }
    out
}

/// The stored decisions today's rules would refuse, each naming its chain entry. A damaged
/// decision event is the payload checks' business, not a warning.
fn decision_warnings(parsed: &[Option<Entry>]) -> Vec<String> {
    let Ok((_, notes)) = crate::store::in_force_noting(parsed.iter().flatten()) else {
        return Vec::new();
    };
    notes
        .into_iter()
        .map(|(seq, why)| {
            format!(
                "decision entry {seq}: {}; it stands beside the earlier decision in the store, and where the two disagree the night applies neither and sends the record back to review until one is revoked",
                crate::history::escape(&why)
            )
        })
        .collect()
}

/// Verify the store; `expect_head`: a chain hash recorded earlier, which must still be in
/// the chain (as its head, or as an entry before it when nights were committed since).
pub fn verify(store: &Store, expect_head: Option<&str>) -> Result<Verification, StoreError> {
    let raw = store.raw_chain()?;
    let mut v = Verification {
        entries: raw.len(),
        ..Default::default()
    };
    let sha = crate::ingest::hex_sha256;
    let mut parsed: Vec<Option<Entry>> = Vec::new();
    let mut prev: Option<(u64, String, String)> = None; // key, hash, label
    for (key, bytes) in &raw {
        let hash = sha(bytes);
        let entry: Option<Entry> = serde_json::from_slice(bytes).ok();
        let name = entry
            .as_ref()
            .map(label)
            .unwrap_or_else(|| format!("chain entry {key}"));
        match &entry {
            None => v.findings.push(format!(
                "{name}: altered (its stored record is no longer readable)"
            )),
            Some(e) if e.seq != *key => v.findings.push(format!(
                "{name}: reordered (stored at position {key} but written as entry {})",
                e.seq
            )),
            _ => {}
        }
        let expected = prev.as_ref().map_or(1, |p| p.0 + 1);
        if *key != expected {
            v.findings.push(format!(
                "entries {expected} to {} removed (the chain jumps from {} to {key})",
                key - 1,
                expected - 1
            ));
        } else if let Some(e) = &entry {
            let want = prev.as_ref().map(|p| p.1.clone());
            if e.prev_hash != want {
                let before = prev
                    .as_ref()
                    .map_or("the start".to_string(), |p| p.2.clone());
                v.findings.push(format!(
                    "{before}: altered, or an entry before {name} removed (its hash is not the one {name} recorded)"
                ));
            }
        }
        prev = Some((*key, hash, name));
        parsed.push(entry);
    }
    let head = store.head()?;
    match (&head, &prev) {
        (None, None) => {}
        (Some((hs, hh)), Some((k, h, name))) => {
            if hs != k {
                v.findings.push(format!(
                    "the head names entry {hs} but the chain ends at {k}: entries after {name} removed"
                ));
            } else if hh != h {
                v.findings.push(format!(
                    "{name}: altered (its hash does not match the head)"
                ));
            }
        }
        (Some((hs, _)), None) => v.findings.push(format!(
            "the head names entry {hs} but the chain is empty: every entry removed"
        )),
        (None, Some((_, _, name))) => v
            .findings
            .push(format!("the head record is missing (last entry {name})")),
    }
    v.head = head.map(|h| h.1);
    v.warnings.extend(placeholder_decisions(&parsed));
    v.warnings.extend(decision_warnings(&parsed));

    // Payloads: check each distinct hash once, in parallel; report per run.
    // (run, payload) pairs a recorded prune dropped: meant to be missing.
    let pruned: BTreeSet<(String, String)> = parsed
        .iter()
        .flatten()
        .filter_map(|e| match &e.body {
            Body::Prune(p) => Some(
                p.runs
                    .iter()
                    .flat_map(|r| p.blobs.iter().map(move |b| (r.clone(), b.clone())))
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        })
        .flatten()
        .collect();
    let mut wanted: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for e in parsed.iter().flatten() {
        if let Body::Run(r) = &e.body {
            v.runs += 1;
            for (what, h) in r.blobs() {
                if !pruned.contains(&(r.run_id.clone(), h.to_string())) {
                    wanted
                        .entry(h.to_string())
                        .or_default()
                        .push((format!("run {}", r.run_id), what));
                }
            }
        }
    }
    // The outputs a run did not store render again from its link record: the newest run's
    // are rendered and checked against their hashes (each older run's by `report RUN`).
    let newest = (parsed.iter().flatten()).rev().find_map(|e| match &e.body {
        Body::Run(r) if !r.rendered.is_empty() => Some(r),
        _ => None,
    });
    if let Some(r) = newest {
        for name in &r.rendered {
            if let Err(e) = super::explain::rendered_output(store, r, name) {
                v.findings.push(format!(
                    "run {}: {name} cannot be rendered again from its link record: {e}",
                    r.run_id
                ));
            }
        }
    }
    v.payloads = wanted.len();
    let shas: Vec<String> = wanted.keys().cloned().collect();
    let mut states: Vec<(String, BlobState)> = match store.check_blobs(&shas) {
        Ok(states) => states,
        // The payloads cannot be listed: each is checked on its own.
        Err(_) => (shas.into_par_iter())
            .map(|h| {
                let st = store
                    .check_blob(&h)
                    .unwrap_or_else(|e| BlobState::Altered(e.to_string()));
                (h, st)
            })
            .collect(),
    };
    states.sort_by(|a, b| a.0.cmp(&b.0));
    for (h, st) in states {
        let problem = match st {
            BlobState::Intact => continue,
            BlobState::Missing => "missing".to_string(),
            BlobState::Altered(why) => format!("altered ({why})"),
        };
        for (run, what) in wanted.get(&h).into_iter().flatten() {
            v.findings
                .push(format!("{run}: {what} payload {problem} [{h}]"));
        }
    }
    if let Some(want) = expect_head {
        anchor(&mut v, &raw, want);
    }
    files(&mut v, store)?;
    Ok(v)
}

/// `--expect-head`: the entry whose hash is `want`, or a finding that none is.
fn anchor(v: &mut Verification, raw: &[(u64, Vec<u8>)], want: &str) {
    let want = want.trim().to_ascii_lowercase();
    let last = raw.last().map_or(0, |(k, _)| *k);
    match raw
        .iter()
        .find(|(_, b)| crate::ingest::hex_sha256(b) == want)
    {
        Some((k, _)) if *k == last => {
            v.anchor = Some(format!("expected head {want}: it is the head (entry {k})"))
        }
        Some((k, _)) => {
            v.anchor = Some(format!(
                "expected head {want}: it is entry {k}; {} entries were committed after it",
                last - k
            ))
        }
        None => v.findings.push(format!(
            "the expected head {want} is no entry of this chain: entries were rewritten or removed since it was recorded, or it is another store's"
        )),
    }
}

/// What the store's files say beside the chain: damage fails the check; leftovers of a
/// killed run, foreign files and loose modes are warnings.
fn files(v: &mut Verification, store: &Store) -> Result<(), StoreError> {
    if let Some(d) = store.damage() {
        v.findings.push(d.finding());
    }
    let survey = store.survey()?;
    let pending = store.pending().unwrap_or_default();
    // In a damaged store the pending list may be a lost night's: no run removes it.
    if !pending.is_empty() && store.damage().is_none() {
        v.warnings.push(format!(
            "{} payloads of a run that did not commit are still listed as being written; the next `vetrecon run`, `prune` or `decide` removes them",
            pending.len()
        ));
    }
    list(
        &mut v.warnings,
        "temporary payload files left by a killed write; the next `vetrecon run`, `prune` or `decide` removes them",
        survey.temporaries.iter(),
    );
    list(
        &mut v.warnings,
        "files in objects/ that vetrecon did not write (none is deleted; move them out)",
        survey.foreign.iter(),
    );
    list(
        &mut v.warnings,
        "files and directories open to group or others (the next `vetrecon run` makes them owner-only again)",
        survey.loose.iter().map(|(p, _)| p),
    );
    Ok(())
}

/// One warning naming `paths` (the first `LISTED` of them), if there are any.
fn list<'a>(
    out: &mut Vec<String>,
    what: &str,
    paths: impl ExactSizeIterator<Item = &'a std::path::PathBuf>,
) {
    let n = paths.len();
    if n == 0 {
        return;
    }
    let mut shown: Vec<String> = paths
        .take(LISTED)
        .map(|p| p.display().to_string())
        .collect();
    if n > LISTED {
        shown.push(format!("and {} more", n - LISTED));
    }
    out.push(format!("{n} {what}: {}", shown.join(", ")));
}
