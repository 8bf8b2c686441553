//! `vetrecon verify`: prove the store is what the runs wrote.
//!
//! Walks the chain from the first entry: each entry must sit under its own sequence number,
//! follow its predecessor without a gap, and carry the SHA-256 of its predecessor's stored
//! bytes; the head record must name the last entry. Then every payload a run references
//! (inputs, config, decisions, outputs, link detail, person buckets) must decode to bytes
//! that hash to its name, unless a recorded prune dropped it. Each finding names the run.
//!
//! A warning is not a failure: it names something the store holds as written that today's
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
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.findings.is_empty()
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        for f in &self.findings {
            put!(&mut s, "FAIL {f}");
        }
        for w in &self.warnings {
            put!(&mut s, "WARN {w}");
        }
        if self.ok() {
            put!(
                &mut s,
                "VERIFY OK: {} chain entries ({} runs), {} payloads intact; head {}",
                self.entries,
                self.runs,
                self.payloads,
                self.head.as_deref().unwrap_or("(empty store)")
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

pub fn verify(store: &Store) -> Result<Verification, StoreError> {
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
    v.warnings = placeholder_decisions(&parsed);
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
    v.payloads = wanted.len();
    let states: Vec<(String, BlobState)> = wanted
        .keys()
        .cloned()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|h| {
            let st = store
                .check_blob(&h)
                .unwrap_or_else(|e| BlobState::Altered(e.to_string()));
            (h, st)
        })
        .collect();
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
    // Opening the store removes what a killed write left; one still here could not be.
    for t in store.temporaries()? {
        v.findings.push(format!(
            "a temporary payload file left by a killed write could not be removed: {}",
            t.display()
        ));
    }
    Ok(v)
}
