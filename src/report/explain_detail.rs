//! The explain detail, kept in the store with every run (issue 20): for each record, every
//! pair the night scored with the figures `vetrecon explain` prints, so that explain reads
//! one small blob instead of ingesting and linking the whole force again (5 to 14 s at
//! 250,000 people).
//!
//! Split into `BUCKETS` JSON-lines blobs by a hash of the record's reference, as the person
//! buckets are by employee id: explain reads one bucket (a sixty-fourth of the night), and
//! each bucket deltas against last night's. Each bucket opens with one `JobHeader` line per
//! linking job (vetting, then PND returns when given), then one `RecordLine` per record that
//! had a scored pair, sorted by job and reference. Figures are kept as f64 (serde's shortest
//! round-trip form), so the same night gives the same bytes and the figures read back are
//! the ones computed.
//!
//! `Breakdown` and `Breakdown::render` are the printed explanation, shared by the fast path
//! (from a bucket) and the slow path (from an engine), so the two cannot drift apart.

use crate::link::weights::FIELDS;
use crate::link::{Decision, Engine, LinkOutcome, RecordDetail};
use crate::model::{ExternalRecord, Person};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

pub const BUCKETS: usize = 64;

/// The bucket of a vetting reference or pnd_ref (SHA-256, so stable across builds).
pub fn bucket_of(reference: &str) -> usize {
    crate::store::blob::key_of(reference.as_bytes())[0] as usize % BUCKETS
}

/// What every pair of one linking job shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobHeader {
    /// `vetting` or `pnd_returns`.
    pub job: String,
    pub people: usize,
    pub prior: f64,
    pub match_share: f64,
}

/// One field of one pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldLine {
    pub level: String,
    pub bits: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tf: Option<f64>,
}

/// One scored pair of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateLine {
    pub employee_id: String,
    /// In `FIELDS` order.
    pub fields: Vec<FieldLine>,
    pub weight: f64,
    pub pairwise: f64,
    pub posterior: f64,
    /// The records the first pass linked to this person, which widened them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<String>,
}

/// One record with every pair the night scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordLine {
    pub job: String,
    pub reference: String,
    /// P(not on the roster).
    pub none: f64,
    /// The decision as explain words it ("auto-linked to E1", …).
    pub verdict: String,
    pub candidates: Vec<CandidateLine>,
}

/// The decision of one record, in explain's words.
pub fn verdict(outcome: &LinkOutcome, persons: &[Person]) -> String {
    let name = |i: usize| {
        outcome
            .candidates
            .get(i)
            .and_then(|c| persons.get(c.person as usize))
            .map_or("", |p| p.employee_id.as_str())
    };
    match outcome.decision {
        Decision::AutoLink => format!("auto-linked to {}", name(0)),
        Decision::Confirmed => format!("linked to {} by a confirmed decision", name(0)),
        Decision::Review => format!("sent to review with {} as the candidate", name(0)),
        Decision::Ambiguous => format!(
            "ambiguous between {}",
            (0..outcome.candidates.len())
                .map(name)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Decision::NoMatch => "linked to no one".to_string(),
    }
}

/// One record's line: its bucket, its reference (the sort key) and the JSON line.
pub type Line = (usize, String, Vec<u8>);

/// One line per job's record with a scored pair, for `buckets`.
pub fn lines<R: ExternalRecord>(
    job: &str,
    engine: &Engine<'_>,
    persons: &[Person],
    records: &[R],
    links: &[LinkOutcome],
    detail: &[RecordDetail],
) -> Vec<Line> {
    use rayon::prelude::*;
    let name = |p: u32| {
        persons
            .get(p as usize)
            .map_or("", |p| p.employee_id.as_str())
    };
    records
        .par_iter()
        .zip(links)
        .zip(detail)
        .filter(|(_, d)| !d.candidates.is_empty())
        .map(|((r, l), d)| {
            let candidates = d
                .candidates
                .iter()
                .map(|c| {
                    let x = engine.explain_candidate(c);
                    CandidateLine {
                        employee_id: name(c.person).to_string(),
                        fields: x
                            .fields
                            .iter()
                            .map(|e| FieldLine {
                                level: e.level.to_string(),
                                bits: e.bits,
                                tf: e.term_frequency,
                            })
                            .collect(),
                        weight: x.weight,
                        pairwise: x.probability,
                        posterior: c.probability,
                        history: engine
                            .collective
                            .sources(c.person)
                            .iter()
                            .filter_map(|&i| records.get(i as usize))
                            .map(|r| r.reference().to_string())
                            .collect(),
                    }
                })
                .collect();
            let line = RecordLine {
                job: job.to_string(),
                reference: r.reference().to_string(),
                none: d.none,
                verdict: verdict(l, persons),
                candidates,
            };
            let mut bytes = serde_json::to_vec(&line).expect("in-memory JSON");
            bytes.push(b'\n');
            (bucket_of(r.reference()), r.reference().to_string(), bytes)
        })
        .collect()
}

/// The `BUCKETS` blobs: each the headers, then its records' lines in (job, reference)
/// order. `jobs` are in a fixed order (vetting, then PND returns).
pub fn buckets(jobs: Vec<(JobHeader, Vec<Line>)>) -> Vec<Vec<u8>> {
    let mut head = Vec::new();
    for (h, _) in &jobs {
        head.extend(serde_json::to_vec(h).expect("in-memory JSON"));
        head.push(b'\n');
    }
    let mut out = vec![head; BUCKETS];
    for (_, mut lines) in jobs {
        lines.sort_by(|a, b| a.1.cmp(&b.1));
        for (b, _, bytes) in lines {
            if let Some(bucket) = out.get_mut(b) {
                bucket.extend(bytes);
            }
        }
    }
    out
}

/// The header of `job` and the line of `reference` in it, from one bucket. Vetting
/// records are looked for before PND returns, as explain always has.
pub fn find(bucket: &[u8], reference: &str) -> Option<(JobHeader, RecordLine)> {
    let text = std::str::from_utf8(bucket).ok()?;
    let mut headers = Vec::new();
    let mut found: Vec<RecordLine> = Vec::new();
    // The reference as it stands in a line (quoted, escaped): only such lines are parsed.
    let quoted = serde_json::to_string(reference).ok()?;
    for line in text.lines() {
        if let Ok(h) = serde_json::from_str::<JobHeader>(line) {
            headers.push(h);
        } else if line.contains(&quoted) {
            if let Ok(r) = serde_json::from_str::<RecordLine>(line) {
                if r.reference == reference {
                    found.push(r);
                }
            }
        }
    }
    for h in headers {
        if let Some(r) = found.iter().find(|r| r.job == h.job) {
            return Some((h, r.clone()));
        }
    }
    None
}

/// Everything explain prints about one pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    pub employee_id: String,
    pub reference: String,
    pub people: usize,
    pub prior: f64,
    pub fields: Vec<FieldLine>,
    pub history: Vec<String>,
    pub weight: f64,
    pub pairwise: f64,
    /// `None` when the pair was not among the record's scored pairs.
    pub posterior: Option<f64>,
    pub others: usize,
    pub none: f64,
    pub match_share: f64,
    pub verdict: String,
    pub blocked: bool,
}

impl Breakdown {
    /// The pair of `line` naming `employee_id`, if the night scored it.
    pub fn from_line(h: &JobHeader, line: &RecordLine, employee_id: &str) -> Option<Breakdown> {
        let c = line
            .candidates
            .iter()
            .find(|c| c.employee_id == employee_id)?;
        Some(Breakdown {
            employee_id: employee_id.to_string(),
            reference: line.reference.clone(),
            people: h.people,
            prior: h.prior,
            fields: c.fields.clone(),
            history: c.history.clone(),
            weight: c.weight,
            pairwise: c.pairwise,
            posterior: Some(c.posterior),
            others: line.candidates.len() - 1,
            none: line.none,
            match_share: h.match_share,
            verdict: line.verdict.clone(),
            blocked: true,
        })
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{} against {}", self.employee_id, self.reference);
        let _ = writeln!(s, "{:<14} {:<10} {:>8}  note", "field", "level", "bits");
        let _ = writeln!(
            s,
            "{:<14} {:<10} {:>+8.2}  log2 odds that a random pair matches ({} people)",
            "prior", "", self.prior, self.people
        );
        for ((field, _), e) in FIELDS.iter().zip(&self.fields) {
            let note = match e.tf {
                Some(tf) => format!("term frequency {tf:.6} used in place of u"),
                None => String::new(),
            };
            let _ = writeln!(s, "{:<14} {:<10} {:>+8.2}  {note}", field, e.level, e.bits);
        }
        if !self.history.is_empty() {
            let _ = writeln!(
                s,
                "{:<14} {:<10} {:>8}  {} is compared with the names and NI number also known from {} (linked in the first pass)",
                "history",
                "",
                "",
                self.employee_id,
                self.history.join(", ")
            );
        }
        // The pairwise weight is this pair's own evidence; the posterior weighs it against
        // the record's other candidates and against "not on the roster", and is what decided.
        let _ = writeln!(
            s,
            "{:<14} {:<10} {:>+8.2}  pairwise probability {:.6} (this pair alone)",
            "match weight", "", self.weight, self.pairwise
        );
        let posterior = self.posterior.map_or_else(
            || "below contention (pruned, or never blocked)".to_string(),
            |p| format!("{p:.6}"),
        );
        let _ = writeln!(
            s,
            "{:<14} {:<10} {:>8}  {posterior}, against {} other scored candidate(s) and not on the roster {:.6}, at tonight's match share {:.4}",
            "posterior", "", "", self.others, self.none, self.match_share
        );
        let _ = writeln!(
            s,
            "decision for {}: {}{}",
            self.reference,
            self.verdict,
            if self.blocked {
                ""
            } else {
                " (this pair shares no blocking key, so it was never scored)"
            }
        );
        s
    }
}
