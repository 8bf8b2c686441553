//! The printed breakdown of one pair (`Breakdown`, what `vetrecon explain` prints), shared
//! by the fast path (from a stored night) and the slow path (linking the force again), so the
//! two cannot drift apart; and the explain buckets runs from 0.3.0 to 0.7.x stored, which
//! explain still reads for those runs (`find`). Later runs keep the link record
//! (`report::link_record`) instead.
//!
//! An explain bucket is CSV without a header: one `header,JOB,PEOPLE,PRIOR,MATCH_SHARE` row
//! per linking job (vetting, then PND returns when given), then one row per kept pair,
//! sorted by job and reference, best pair first: job, reference, number of pairs scored,
//! P(not on the roster), verdict, employee id, weight, pairwise probability, posterior,
//! history (references joined by ", "), then level, bits and term frequency (empty when
//! none) of each field in `FIELDS` order, then the bits taken off for look-alikes (absent in
//! buckets written before 0.4.0).

use crate::ingest::value::id_key;
use crate::link::weights::FIELDS;
use crate::link::{Decision, LinkOutcome};
use crate::model::Person;
use std::fmt::Write;

pub const BUCKETS: usize = 64;

/// The bucket of a vetting reference or pnd_ref (SHA-256, so stable across builds), by the
/// reference as ids compare (`id_key`), so `explain` finds `v501386` where the night kept
/// `V501386`.
pub fn bucket_of(reference: &str) -> usize {
    crate::store::blob::key_of(id_key(reference).as_bytes())[0] as usize % BUCKETS
}

/// Pairs whose posterior is below this are not kept (explain links the force again for
/// them, and says why): a large force's night scores millions of pairs, most of them
/// hopeless runners-up. A pair a decision names is in contention, far above it.
pub const MIN_KEPT_POSTERIOR: f64 = 0.001;

/// What every pair of one linking job shares.
#[derive(Debug, Clone, PartialEq)]
pub struct JobHeader {
    /// `vetting` or `pnd_returns`.
    pub job: String,
    pub people: usize,
    pub prior: f64,
    pub match_share: f64,
}

/// One field of one pair.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldLine {
    pub level: String,
    pub bits: f64,
    pub tf: Option<f64>,
}

/// The decision of one record, in explain's words.
pub fn verdict(outcome: &LinkOutcome, persons: &[Person]) -> String {
    let mut s = String::new();
    push_verdict(&mut s, outcome, persons);
    s
}

/// `verdict`, appended to `out` (the buckets write one per record: no `String` each).
pub fn push_verdict(out: &mut String, outcome: &LinkOutcome, persons: &[Person]) {
    let name = |i: usize| {
        outcome
            .candidates
            .get(i)
            .and_then(|c| persons.get(c.person as usize))
            .map_or("", |p| p.employee_id.as_str())
    };
    let (before, after) = match outcome.decision {
        Decision::AutoLink => ("auto-linked to ", ""),
        Decision::Confirmed => ("linked to ", " by a confirmed decision"),
        Decision::Review => ("sent to review with ", " as the candidate"),
        Decision::Ambiguous => {
            out.push_str("ambiguous between ");
            for i in 0..outcome.candidates.len() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(name(i));
            }
            return;
        }
        Decision::NoMatch => {
            out.push_str("linked to no one");
            return;
        }
    };
    out.push_str(before);
    out.push_str(name(0));
    out.push_str(after);
}

/// The breakdown of (`employee_id`, `reference`) from one bucket, when the night kept that
/// pair (ids compared without regard to case). Vetting records are looked for before PND
/// returns, as explain always has.
pub fn find(bucket: &[u8], employee_id: &str, reference: &str) -> Option<Breakdown> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bucket);
    let mut headers: Vec<JobHeader> = Vec::new();
    let mut found: Vec<(String, Breakdown)> = Vec::new();
    // Ids compare as everywhere (`id_key`); the breakdown names them as the night spelled them.
    let want = (id_key(reference), id_key(employee_id));
    for row in r.records() {
        let row = row.ok()?;
        let get = |i: usize| row.get(i).unwrap_or("");
        let num = |i: usize| get(i).parse::<f64>().ok();
        if get(0) == "header" {
            headers.push(JobHeader {
                job: get(1).to_string(),
                people: get(2).parse().ok()?,
                prior: num(3)?,
                match_share: num(4)?,
            });
            continue;
        }
        if id_key(get(1)) != want.0 || id_key(get(5)) != want.1 {
            continue;
        }
        let scored: usize = get(2).parse().ok()?;
        let mut fields = Vec::new();
        for f in 0..FIELDS.len() {
            let at = 10 + 3 * f;
            fields.push(FieldLine {
                level: get(at).to_string(),
                bits: num(at + 1)?,
                tf: num(at + 2),
            });
        }
        let history = get(9);
        let lookalike = num(10 + 3 * FIELDS.len()).unwrap_or(0.0);
        found.push((
            get(0).to_string(),
            Breakdown {
                employee_id: get(5).to_string(),
                reference: get(1).to_string(),
                people: 0,
                prior: 0.0,
                lookalike,
                fields,
                history: if history.is_empty() {
                    Vec::new()
                } else {
                    history.split(", ").map(str::to_string).collect()
                },
                weight: num(6)?,
                pairwise: num(7)?,
                posterior: Some(num(8)?),
                others: scored.saturating_sub(1),
                none: num(3)?,
                match_share: 0.0,
                verdict: get(4).to_string(),
                blocked: true,
            },
        ));
    }
    headers.into_iter().find_map(|h| {
        found
            .iter()
            .find(|(job, _)| *job == h.job)
            .map(|(_, b)| Breakdown {
                people: h.people,
                prior: h.prior,
                match_share: h.match_share,
                ..b.clone()
            })
    })
}

/// Everything explain prints about one pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    pub employee_id: String,
    pub reference: String,
    pub people: usize,
    pub prior: f64,
    /// Bits taken off for look-alikes of the pair's pattern (`link::lookalike`).
    pub lookalike: f64,
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
        // As stored (two decimals), so a stored night and a relinking print the same.
        if (self.lookalike * 100.0).round() > 0.0 {
            let _ = writeln!(
                s,
                "{:<14} {:<10} {:>+8.2}  strangers agree with someone on the roster this way more often than u says (measured on the roster)",
                "look-alikes", "", -self.lookalike
            );
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One kept pair's row of a stored explain bucket.
    fn row(job: &str, reference: &str, emp: &str, posterior: &str) -> Vec<String> {
        let mut r: Vec<String> = [
            job,
            reference,
            "2",
            "0.001000",
            "sent to review with E1 as the candidate",
            emp,
            "5.50",
            "0.978401",
            posterior,
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for _ in 0..FIELDS.len() {
            r.extend(["exact".to_string(), "-0.00".to_string(), String::new()]);
        }
        r
    }

    /// A bucket as runs before the link record stored it: a header row per job, then rows.
    fn bucket(jobs: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        for j in jobs {
            w.write_record(["header", j, "10", "-3.5", "0.9"]).unwrap();
        }
        for r in rows {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn a_reference_with_a_comma_and_a_quote_reads_back_from_its_bucket() {
        let reference = "V1,\"x\"";
        let b = bucket(&["vetting"], &[row("vetting", reference, "E1", "0.977504")]);
        let found = find(&b, "E1", reference).expect("the pair is kept");
        assert_eq!(found.posterior, Some(0.977504));
        assert_eq!(found.others, 1);
        assert_eq!(
            (found.people, found.prior, found.match_share),
            (10, -3.5, 0.9)
        );
        assert!(found.render().contains("-0.00"), "{}", found.render());
        assert_eq!(find(&b, "E2", reference), None);
        assert_eq!(find(&b, "E1", "V1"), None);
    }

    #[test]
    fn a_vetting_record_is_found_before_a_pnd_return_of_the_same_reference() {
        let b = bucket(
            &["vetting", "pnd_returns"],
            &[
                row("pnd_returns", "R1", "E1", "0.200000"),
                row("vetting", "R1", "E1", "0.100000"),
            ],
        );
        assert_eq!(find(&b, "E1", "R1").unwrap().posterior, Some(0.1));
    }
}
