//! The explain detail, kept in the store with every run: for each record, every
//! pair the night scored with the figures `vetrecon explain` prints, so that explain reads
//! one small blob instead of ingesting and linking the whole force again (seconds for a
//! large force).
//!
//! Split into `BUCKETS` CSV blobs by a hash of the record's reference, as the person buckets
//! are by employee id: explain reads one bucket (a sixty-fourth of the night), and each
//! bucket deltas against last night's. Each bucket opens with one `header` row per linking
//! job (vetting, then PND returns when given), then one row per kept pair (see `lines`),
//! sorted by job and reference, best pair first. Figures are kept as the text explain
//! prints, so the same night gives the same bytes and reading them back changes no digit.
//!
//! `Breakdown` and `Breakdown::render` are the printed explanation, shared by the fast path
//! (from a bucket) and the slow path (from an engine), so the two cannot drift apart.

use crate::ingest::value::id_key;
use crate::link::weights::FIELDS;
use crate::link::{Decision, Engine, LinkOutcome, RecordDetail};
use crate::model::{ExternalRecord, Person};
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

fn writer() -> csv::Writer<Vec<u8>> {
    writer_into(Vec::new())
}

/// A writer that appends to `out`, so each record's rows go straight into its bucket
/// instead of into a buffer of their own that is then copied.
fn writer_into(out: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// Buffers a bucket's writer reuses from record to record: no `String` per field or record.
#[derive(Default)]
pub struct ExplainScratch {
    /// One figure at a time.
    pub figure: String,
    /// What every row of one record repeats.
    pub record: String,
}

/// One linking job's share of the buckets.
pub trait Rows: Sync {
    fn header(&self) -> &JobHeader;
    /// Each record with rows: its bucket, its reference and its position (`write`'s `i`),
    /// in record order.
    fn keys(&self) -> Vec<(usize, &str, u32)>;
    /// Write the rows of record `i`; `scratch` holds reused buffers.
    fn write(&self, i: u32, w: &mut csv::Writer<Vec<u8>>, scratch: &mut ExplainScratch);
}

/// A linking job's kept pairs, rendered into the buckets by `buckets`. A row: job,
/// reference, number of pairs scored, P(not on the roster), verdict, employee id, weight,
/// pairwise probability, posterior, history (references joined by ", "), then level, bits
/// and term frequency (empty when none) of each field in `FIELDS` order, then the bits taken
/// off for look-alikes (`link::lookalike`; absent in buckets written before 0.4.0).
pub struct JobRows<'a, R> {
    pub header: JobHeader,
    pub engine: &'a Engine<'a>,
    pub persons: &'a [Person],
    pub records: &'a [R],
    pub links: &'a [LinkOutcome],
    pub detail: &'a [RecordDetail],
}

/// A stored pair is printed at no more precision than `Breakdown::render` prints, so each
/// figure is kept as its printed text: the bytes stay small and reading them back cannot
/// change a digit.
///
/// Write one figure with `digits` decimals as a field, through a reused buffer (no
/// `String` per field, and `report::figure`'s fast path instead of `format!`).
fn figure(w: &mut csv::Writer<Vec<u8>>, s: &mut String, x: f64, digits: usize) {
    super::figure::fixed(s, x, digits);
    w.write_field(s.as_bytes()).expect("in-memory write");
}

impl<R: ExternalRecord + Sync> Rows for JobRows<'_, R> {
    fn header(&self) -> &JobHeader {
        &self.header
    }
    fn keys(&self) -> Vec<(usize, &str, u32)> {
        use rayon::prelude::*;
        (self.records.par_iter().zip(self.detail).enumerate())
            .filter(|(_, (_, d))| !d.candidates.is_empty())
            .map(|(i, (r, _))| (bucket_of(r.reference()), r.reference(), i as u32))
            .collect()
    }
    fn write(&self, i: u32, w: &mut csv::Writer<Vec<u8>>, scratch: &mut ExplainScratch) {
        let ExplainScratch { figure: s, record } = scratch;
        let i = i as usize;
        let (Some(r), Some(l), Some(d)) =
            (self.records.get(i), self.links.get(i), self.detail.get(i))
        else {
            return;
        };
        let name = |p: u32| (self.persons.get(p as usize)).map_or("", |p| p.employee_id.as_str());
        // What every row of the record repeats, formatted once into the record buffer: the
        // pairs scored, P(not on the roster) and the verdict, split at these offsets.
        record.clear();
        let _ = write!(record, "{}", d.scored);
        let scored_end = record.len();
        super::figure::push_fixed(record, d.none, 6);
        let none_end = record.len();
        push_verdict(record, l, self.persons);
        let (scored, rest) = record.split_at(scored_end);
        let (none, verdict) = rest.split_at(none_end - scored_end);
        let field = |w: &mut csv::Writer<Vec<u8>>, f: &str| {
            w.write_field(f).expect("in-memory write");
        };
        for c in &d.candidates {
            let x = self.engine.explain_candidate(c);
            field(w, &self.header.job);
            field(w, r.reference());
            field(w, scored);
            field(w, none);
            field(w, verdict);
            field(w, name(c.person));
            figure(w, s, x.weight, 2);
            figure(w, s, x.probability, 6);
            figure(w, s, c.probability, 6);
            s.clear();
            let history = self.engine.collective().sources(c.person).iter();
            for (k, h) in history
                .filter_map(|&h| self.records.get(h as usize))
                .enumerate()
            {
                if k > 0 {
                    s.push_str(", ");
                }
                s.push_str(h.reference());
            }
            field(w, s);
            for e in &x.fields {
                field(w, e.level);
                figure(w, s, e.bits, 2);
                match e.term_frequency {
                    Some(tf) => figure(w, s, tf, 6),
                    None => field(w, ""),
                }
            }
            figure(w, s, x.lookalike, 2);
            w.write_record(None::<&[u8]>).expect("in-memory write");
        }
    }
}

/// The `BUCKETS` blobs: each a `header` row per job, then its records' rows in (job,
/// reference) order (records of one reference in record order). `jobs` are in a fixed
/// order (vetting, then PND returns). Each bucket is written on its own, in parallel,
/// straight into its blob.
pub fn buckets(jobs: &[&dyn Rows]) -> Vec<Vec<u8>> {
    buckets_into(jobs, &|_, b| b)
}

/// `buckets`, each blob handed to `each` (with its bucket number) on the thread that wrote
/// it, as soon as it is written: the night compresses it there and frees it, so the
/// buckets are never all held raw at once.
pub fn buckets_into<T: Send>(
    jobs: &[&dyn Rows],
    each: &(dyn Fn(usize, Vec<u8>) -> T + Sync),
) -> Vec<T> {
    use rayon::prelude::*;
    let mut w = writer();
    for j in jobs {
        let h = j.header();
        w.write_record([
            "header",
            &h.job,
            &h.people.to_string(),
            &h.prior.to_string(),
            &h.match_share.to_string(),
        ])
        .expect("in-memory write");
    }
    let head = w.into_inner().expect("in-memory write");
    // Per job, the records of each bucket in reference order: sorting by (bucket,
    // reference, position) is the stable sort by reference within each bucket.
    let order: Vec<Vec<Vec<u32>>> = jobs
        .iter()
        .map(|j| {
            let mut keys = j.keys();
            keys.par_sort_unstable();
            let mut by_bucket = vec![Vec::new(); BUCKETS];
            for (b, _, i) in keys {
                if let Some(v) = by_bucket.get_mut(b) {
                    v.push(i);
                }
            }
            by_bucket
        })
        .collect();
    (0..BUCKETS)
        .into_par_iter()
        .map(|b| {
            let mut w = writer_into(head.clone());
            let mut scratch = ExplainScratch::default();
            for (j, order) in jobs.iter().zip(&order) {
                for &i in order.get(b).map_or(&[][..], Vec::as_slice) {
                    j.write(i, &mut w, &mut scratch);
                }
            }
            each(b, w.into_inner().expect("in-memory write"))
        })
        .collect()
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

    /// A job of given rows: (reference, row).
    struct Fixed(JobHeader, Vec<(&'static str, Vec<String>)>);

    impl Rows for Fixed {
        fn header(&self) -> &JobHeader {
            &self.0
        }
        fn keys(&self) -> Vec<(usize, &str, u32)> {
            (self.1.iter().enumerate())
                .map(|(i, (r, _))| (bucket_of(r), *r, i as u32))
                .collect()
        }
        fn write(&self, i: u32, w: &mut csv::Writer<Vec<u8>>, _: &mut ExplainScratch) {
            w.write_record(&self.1[i as usize].1).unwrap();
        }
    }

    fn header(job: &str) -> JobHeader {
        JobHeader {
            job: job.into(),
            people: 10,
            prior: -3.5,
            match_share: 0.9,
        }
    }

    #[test]
    fn a_reference_with_a_comma_and_a_quote_reads_back_from_its_bucket() {
        let reference = "V1,\"x\"";
        let b = bucket_of(reference);
        let job = Fixed(
            header("vetting"),
            vec![(reference, row("vetting", reference, "E1", "0.977504"))],
        );
        let buckets = buckets(&[&job]);
        let found = find(&buckets[b], "E1", reference).expect("the pair is kept");
        assert_eq!(found.posterior, Some(0.977504));
        assert_eq!(found.others, 1);
        assert_eq!(
            (found.people, found.prior, found.match_share),
            (10, -3.5, 0.9)
        );
        assert!(found.render().contains("-0.00"), "{}", found.render());
        assert_eq!(find(&buckets[b], "E2", reference), None);
        assert_eq!(find(&buckets[b], "E1", "V1"), None);
    }

    #[test]
    fn a_vetting_record_is_found_before_a_pnd_return_of_the_same_reference() {
        let b = bucket_of("R1");
        let buckets = buckets(&[
            &Fixed(
                header("vetting"),
                vec![("R1", row("vetting", "R1", "E1", "0.100000"))],
            ),
            &Fixed(
                header("pnd_returns"),
                vec![("R1", row("pnd_returns", "R1", "E1", "0.200000"))],
            ),
        ]);
        assert_eq!(find(&buckets[b], "E1", "R1").unwrap().posterior, Some(0.1));
    }
}
