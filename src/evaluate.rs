//! Evaluate: hold linking and the exception list to account against a generated force's
//! truth (`vetrecon generate` writes it; see `generate`).
//!
//! Reports blocking recall (share of true pairs that reach scoring at all), the number of
//! candidate pairs, link precision / recall / F1 of the automatic links, the share of the
//! roster sent to human review, and exception precision / recall / F1 per code, matching
//! rows on (code, employee_id, vetting_ref).

use crate::assess::{self, Code, Facts};
use crate::config::Policy;
use crate::generate::write::read_manifest;
use crate::link::{Decision, Engine, Scratch};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

#[derive(Debug, Clone)]
pub struct Evaluation {
    pub people: usize,
    pub vetting_records: usize,
    pub true_links: usize,
    /// True pairs whose person was among the record's blocking candidates.
    pub blocked_true_pairs: usize,
    pub candidate_pairs: u64,
    pub scored_pairs: u64,
    pub capped_keys: u64,
    /// The second pass (`link::collective`): people widened, records rescored and relinked.
    pub widened: u64,
    pub rescored: u64,
    pub relinked: u64,
    pub links: Score,
    pub review_rows: usize,
    pub ambiguous_rows: usize,
    pub exceptions: BTreeMap<String, Score>,
    /// False exception rows that a pending link decision names (`assess::related`: the
    /// person is the candidate of a record in review, and confirming that link would clear
    /// the row). They are false only until a vetting officer decides the link; the rest
    /// are linking's own misses.
    pub false_pending_review: usize,
    pub link_seconds: f64,
}

impl Evaluation {
    pub fn blocking_recall(&self) -> f64 {
        ratio(self.blocked_true_pairs, self.true_links)
    }

    /// Share of the roster with a REVIEW_MATCH or AMBIGUOUS_MATCH row.
    pub fn review_share(&self) -> f64 {
        (self.review_rows + self.ambiguous_rows) as f64 / self.people.max(1) as f64
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "force: {} people, {} vetting records, {} true links",
            self.people, self.vetting_records, self.true_links
        );
        let _ = writeln!(
            s,
            "blocking: recall {:.5} ({} of {} true pairs reach scoring), {} candidate pairs ({:.1} per record), {} scored in full, {} capped block keys",
            self.blocking_recall(),
            self.blocked_true_pairs,
            self.true_links,
            self.candidate_pairs,
            self.candidate_pairs as f64 / self.vetting_records.max(1) as f64,
            self.scored_pairs,
            self.capped_keys
        );
        let _ = writeln!(
            s,
            "second pass: {} people learnt other names or an NI number from their linked records; {} unlinked records scored again, {} of them decided differently",
            self.widened, self.rescored, self.relinked
        );
        let l = &self.links;
        let _ = writeln!(
            s,
            "links: precision {:.5} recall {:.5} F1 {:.5} (true {}, false {}, missed {}) in {:.2} s",
            l.precision(),
            l.recall(),
            l.f1(),
            l.true_positives,
            l.false_positives,
            l.false_negatives,
            self.link_seconds
        );
        let _ = writeln!(
            s,
            "human review: {} REVIEW_MATCH + {} AMBIGUOUS_MATCH = {:.3}% of the roster",
            self.review_rows,
            self.ambiguous_rows,
            100.0 * self.review_share()
        );
        let all = self
            .exceptions
            .get("(all codes)")
            .copied()
            .unwrap_or_default();
        let settled = Score {
            false_positives: all
                .false_positives
                .saturating_sub(self.false_pending_review),
            ..all
        };
        let _ = writeln!(
            s,
            "false exception rows a pending link decision names: {} of {} (the person is the candidate of a record in review; confirming that link would clear the row); without them, exception precision {:.4} F1 {:.4}",
            self.false_pending_review,
            all.false_positives,
            settled.precision(),
            settled.f1(),
        );
        let _ = writeln!(
            s,
            "{:<24} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
            "exception code", "precision", "recall", "F1", "true", "false", "missed"
        );
        for (code, sc) in &self.exceptions {
            let _ = writeln!(
                s,
                "{:<24} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>7} {:>7}",
                code,
                sc.precision(),
                sc.recall(),
                sc.f1(),
                sc.true_positives,
                sc.false_positives,
                sc.false_negatives
            );
        }
        s
    }
}

fn read_pairs(path: &Path, cols: usize) -> Result<Vec<Vec<String>>, String> {
    let mut r = csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
        if rec.len() != cols {
            return Err(format!("{}: expected {cols} columns", path.display()));
        }
        out.push(rec.iter().map(str::to_string).collect());
    }
    Ok(out)
}

/// Evaluate `policy` on the generated force in `dir`.
pub fn evaluate(policy: &Policy, dir: &Path) -> Result<Evaluation, crate::error::Error> {
    let usage = crate::error::Error::Usage;
    let manifest = read_manifest(dir).map_err(usage)?;
    let data = crate::generate::read_back(policy, dir, manifest.as_of)?;
    let truth_links = read_pairs(&dir.join("truth/links.csv"), 2).map_err(usage)?;
    let truth_exceptions = read_pairs(&dir.join("truth/exceptions.csv"), 3).map_err(usage)?;

    let started = Instant::now();
    let mut engine = Engine::new(&policy.linking, &data.persons, &data.vetting);
    let linked = engine.link(&|| {});
    let link_seconds = started.elapsed().as_secs_f64();

    let person_of: HashMap<&str, u32> = data
        .persons
        .iter()
        .enumerate()
        .map(|(i, p)| (p.employee_id.as_str(), i as u32))
        .collect();
    let record_of: HashMap<&str, usize> = data
        .vetting
        .iter()
        .enumerate()
        .map(|(i, v)| (v.vetting_ref.as_str(), i))
        .collect();
    // True pairs where both records survived ingest (a rejected row cannot be linked).
    let truth: HashMap<usize, u32> = truth_links
        .iter()
        .filter_map(|r| {
            let [vetting_ref, employee_id, ..] = r.as_slice() else {
                return None;
            };
            Some((
                *record_of.get(vetting_ref.as_str())?,
                *person_of.get(employee_id.as_str())?,
            ))
        })
        .collect();
    let blocked_true_pairs = truth
        .par_iter()
        .map_init(Scratch::default, |scratch, (&vi, &pi)| {
            engine.block(vi, scratch);
            scratch.candidates.binary_search(&pi).is_ok() as usize
        })
        .sum();

    let mut links = Score::default();
    for (vi, outcome) in linked.outcomes.iter().enumerate() {
        match (outcome.linked_person(), truth.get(&vi)) {
            (Some(p), Some(&t)) if p == t => links.true_positives += 1,
            (Some(_), t) => {
                links.false_positives += 1;
                links.false_negatives += t.is_some() as usize;
            }
            (None, Some(_)) => links.false_negatives += 1,
            (None, None) => {}
        }
    }
    let count = |d: Decision| linked.outcomes.iter().filter(|o| o.decision == d).count();

    let facts = Facts::new(
        &data.persons,
        &data.posts,
        &data.vetting,
        &linked.outcomes,
        &policy.levels,
        manifest.as_of,
        policy.expiry_warning_days,
    )
    .with_casework(&policy.casework)
    .with_vetting_columns(&data.code_columns);
    let pnd = crate::night::link_pnd(
        policy,
        &data,
        &crate::clerical::InForce::default(),
        None,
        &engine.model(),
    );
    let facts = facts.with_triggers(crate::assess::triggers::TriggerFacts {
        pnd: &data.triggers.pnd,
        pnd_links: pnd.as_ref().map_or(&[], |(_, l, _)| l),
        misconduct: &data.triggers.misconduct,
        circumstances: &data.triggers.circumstances,
        policy: Some(&policy.triggers),
    });
    // The integrity codes: a force generated with integrity has their truth.
    let t = &data.triggers;
    let facts = facts.with_integrity(crate::assess::integrity::IntegrityFacts {
        declarations: t.has("declarations").then_some(t.declarations.as_slice()),
        policy: &policy.integrity,
    });
    let found = assess::assess(&facts, &policy.priority);
    let key = |c: &str, e: &str, v: &str| (c.to_string(), e.to_string(), v.to_string());
    let want: BTreeSet<_> = truth_exceptions
        .iter()
        .filter_map(|r| match r.as_slice() {
            [c, e, v, ..] => Some(key(c, e, v)),
            _ => None,
        })
        .collect();
    let got: BTreeSet<_> = found
        .iter()
        .filter(|e| !matches!(e.code, Code::ReviewMatch | Code::AmbiguousMatch))
        .map(|e| key(e.code.as_str(), &e.employee_id, &e.vetting_ref))
        .collect();
    let false_pending_review = found
        .iter()
        .filter(|e| e.decide_first.is_some())
        .filter(|e| !want.contains(&key(e.code.as_str(), &e.employee_id, &e.vetting_ref)))
        .count();
    let mut exceptions: BTreeMap<String, Score> = BTreeMap::new();
    for k in got.union(&want) {
        let sc = exceptions.entry(k.0.clone()).or_default();
        match (got.contains(k), want.contains(k)) {
            (true, true) => sc.true_positives += 1,
            (true, false) => sc.false_positives += 1,
            _ => sc.false_negatives += 1,
        }
    }
    let all = exceptions.values().fold(Score::default(), |a, s| Score {
        true_positives: a.true_positives + s.true_positives,
        false_positives: a.false_positives + s.false_positives,
        false_negatives: a.false_negatives + s.false_negatives,
    });
    exceptions.insert("(all codes)".into(), all);

    Ok(Evaluation {
        people: data.persons.len(),
        vetting_records: data.vetting.len(),
        true_links: truth.len(),
        blocked_true_pairs,
        candidate_pairs: linked.stats.pairs,
        scored_pairs: linked.stats.scored,
        capped_keys: linked.stats.capped_keys,
        widened: linked.stats.widened,
        rescored: linked.stats.rescored,
        relinked: linked.stats.relinked,
        links,
        review_rows: count(Decision::Review),
        ambiguous_rows: count(Decision::Ambiguous),
        exceptions,
        false_pending_review,
        link_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_from_counts() {
        let s = Score {
            true_positives: 90,
            false_positives: 10,
            false_negatives: 30,
        };
        assert!((s.precision() - 0.9).abs() < 1e-12);
        assert!((s.recall() - 0.75).abs() < 1e-12);
        assert!((s.f1() - 2.0 * 0.9 * 0.75 / 1.65).abs() < 1e-12);
        assert_eq!(Score::default().f1(), 1.0);
    }
}
