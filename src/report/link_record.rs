//! The link record, kept in the store with every run: for each vetting record (and PND
//! return) its decision, the pairs the night scored for it with their comparison levels and
//! figures, and the candidates the decision named. `vetrecon explain` and
//! `report RUN --with-links` render from it on demand, with the same text the night would
//! have printed: links.csv is not stored, and nothing is rendered for explain until asked.
//!
//! It is stored as one figures payload and `BUCKETS` column payloads:
//! - **figures**: each linking job's header (people, prior, match share) and, per figure
//!   column, the night's dictionary of the figures as printed (`"6.10"`, `"0.999999"`),
//!   sorted by value. A pair names a figure by its place in the dictionary, so a pair whose
//!   weight moves with tonight's prior keeps its place and its bytes, and only the
//!   dictionary (a few thousand entries) changes from night to night.
//! - **buckets**: the records whose reference hashes to the bucket (`bucket_of`), column by
//!   column (references, decisions, then each pair's employee id, levels, and figure places),
//!   packed by `postcard` (varints). A column that did not change tonight is the same run of
//!   bytes as last night's, which the store's delta compression stores for almost nothing.
//!   `explain` reads the figures and one bucket.
//!
//! Figures are kept as their printed text, so reading them back cannot change a digit, and
//! the record is exact whatever the build that renders it.

use super::explain_detail::{bucket_of, Breakdown, FieldLine, BUCKETS};
use super::{cell::text, csv_writer, figure::fixed, finish};
use crate::ingest::value::id_key;
use crate::link::weights::FIELDS;
use crate::link::{Candidate, Decision, Engine, LinkOutcome, RecordDetail};
use crate::model::{ExternalRecord, Person};
use serde::{Deserialize, Serialize};

/// The outputs a run does not store: the link record renders them again, to the byte, and
/// the run record keeps their hashes (`RunRecord::rendered`).
pub const RENDERED: [&str; 1] = ["matches.csv"];

/// The record's format, first in every payload: a reader refuses one it does not know.
const FORMAT: u32 = 1;

/// The decisions, in the order of their codes in a bucket.
const DECISIONS: [Decision; 5] = [
    Decision::AutoLink,
    Decision::Confirmed,
    Decision::Review,
    Decision::Ambiguous,
    Decision::NoMatch,
];

fn decision_code(d: Decision) -> u8 {
    DECISIONS.iter().position(|&x| x == d).unwrap_or(0) as u8
}

const WIDTH: usize = FIELDS.len();

/// A printed figure (`-12.34`, `0.999999`) as the integer of its digits, when the text is
/// plain decimal with `digits` decimals and not a negative zero; `text_of` prints it back.
fn code(text: &str, digits: usize) -> Option<i64> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let (whole, frac) = body.split_once('.')?;
    let plain = |s: &str| !s.is_empty() && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit());
    if !plain(whole) || frac.len() != digits || !(digits == 0 || plain(frac)) {
        return None;
    }
    let n: i64 = format!("{whole}{frac}").parse().ok()?;
    match (negative, n) {
        (true, 0) => None,
        (true, n) => Some(-n),
        (false, n) => Some(n),
    }
}

fn text_of(n: i64, digits: usize) -> String {
    let unit = 10u64.pow(digits as u32);
    let a = n.unsigned_abs();
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}.{:0digits$}", a / unit, a % unit)
}

/// Signed to unsigned, small either side of zero staying small (as protobuf's zigzag).
fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

/// A figure column's value: 0 when the figure is in the bucket's `odd` list (a text
/// `code` cannot hold, or a gap too wide for the column), else 1 + zigzag of its code less
/// `base`.
fn put(text: &str, digits: usize, base: i64) -> (u32, Option<String>) {
    match code(text, digits).and_then(|n| u32::try_from(zigzag(n.wrapping_sub(base))).ok()) {
        Some(z) if z < u32::MAX => (1 + z, None),
        _ => (0, Some(text.to_string())),
    }
}

/// The figure columns, named in the `odd` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    NoneOf,
    Weight,
    Pairwise,
    Posterior,
    Posterior4,
    Evidence,
    Bits,
    Lookalike,
    Score,
    Probability,
    Posterior6,
}

/// What every pair of one linking job shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobHead {
    /// `vetting` or `pnd_returns`.
    pub job: String,
    pub people: u64,
    pub prior: f64,
    pub match_share: f64,
    /// What a term frequency is a name's count over (`Engine::name_records`).
    pub name_records: u32,
}

/// A field's bits for a (job, pass, field, level, count) in the night's table.
type BitsKey = (u8, bool, u8, u8, u32);
/// The look-alike bits for a (job, pass, levels) in the night's table.
type LookKey = (u8, bool, [u8; WIDTH]);

/// The figures payload: the jobs' headers and the night's tables of the figures that are
/// the same for every pair of one kind (a field's bits by its level and the name's count;
/// the look-alike bits by the pair's levels), which a pair names by its own columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    format: u32,
    pub jobs: Vec<JobHead>,
    bits: Vec<(BitsKey, u32)>,
    lookalike: Vec<(LookKey, u32)>,
}

/// One bucket, column by column. `S` is `&str` while a night writes it and `String` when
/// it is read back. Every column holds what is the same from night to night for a pair
/// that did not change (levels, counts, the gap between a figure and the one it follows
/// from), so an unchanged pair is the same bytes as last night's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bucket<S> {
    format: u32,
    // One per record, in (job, reference, position) order.
    job: Vec<u8>,
    reference: Vec<S>,
    decision: Vec<u8>,
    scored: Vec<u64>,
    /// P(not on the roster), six decimals (`put`, base 0).
    none: Vec<u32>,
    /// How many pairs each record has (its pairs follow those of the records before it).
    pairs: Vec<u32>,
    // One per pair: the record's kept pairs best first, then any candidate its decision
    // named that was not kept.
    employee: Vec<S>,
    /// Place in the decision's candidates, from 1; 0 for a pair the decision did not name.
    rank: Vec<u32>,
    /// Whether explain shows the pair (it was kept); a named candidate that was not kept
    /// is in links.csv only.
    explained: Vec<bool>,
    /// Scored in the second pass (its bits are that pass's).
    second_pass: Vec<bool>,
    /// How many references the person was also known from (linked in the first pass);
    /// the references follow each other in `history_refs`.
    history: Vec<u32>,
    history_refs: Vec<S>,
    /// Where each pair's references start in `history_refs` (made when a bucket is read).
    #[serde(skip)]
    history_at: Vec<usize>,
    /// `WIDTH` a pair: 1 + the level's place in `FIELDS`, 0 for `missing`.
    levels: Vec<u8>,
    /// `WIDTH` a pair: 1 + the count of the name whose term frequency the field used, 0
    /// when it used none.
    counts: Vec<u32>,
    /// `WIDTH` a pair: 0 when the night's table holds the field's bits, else `put`.
    bits: Vec<u32>,
    /// 0 when the night's table holds the pair's look-alike bits, else `put`.
    lookalike: Vec<u32>,
    /// links.csv's evidence, against the field bits less the look-alike bits.
    evidence: Vec<u32>,
    /// The match weight, against the evidence plus the prior.
    weight: Vec<u32>,
    /// Pairwise probability and posterior (six decimals), against 1.
    pairwise: Vec<u32>,
    posterior: Vec<u32>,
    /// For a pair the decision named (else 0), what links.csv and matches.csv print of the
    /// decision's candidate: the four-decimal posterior (against 1), matches.csv's score
    /// (against the weight), probability (against the pairwise probability) and posterior
    /// (against the posterior).
    posterior4: Vec<u32>,
    m_score: Vec<u32>,
    m_prob: Vec<u32>,
    m_post: Vec<u32>,
    /// Figures no column can hold as digits (a negative zero, a NaN): (column, row, text).
    odd: Vec<(u8, u32, String)>,
}

/// A bucket as read back.
pub type ReadBucket = Bucket<String>;

/// A linking job's part in the record.
pub trait Job<'a>: Sync {
    fn head(&self) -> JobHead;
    /// Each record: its bucket, its reference and its position, in record order.
    fn keys(&self) -> Vec<(usize, &str, u32)>;
    /// Append record `i` to `b` (as job `job`); `s` is a reused buffer. The bucket borrows
    /// only the night's records and roster (`'a`), so the kept pairs can be freed while it
    /// is still used.
    fn push(&self, job: u8, i: u32, b: &mut Bucket<&'a str>, s: &mut String);
}

/// A linking job's records, links and kept pairs, as the night's engine scored them.
pub struct JobPairs<'a, 'd, R> {
    pub job: &'static str,
    pub engine: &'d Engine<'d>,
    pub persons: &'a [Person],
    pub records: &'a [R],
    pub links: &'d [LinkOutcome],
    pub detail: &'d [RecordDetail],
}

impl<'a, R: ExternalRecord + Sync> Job<'a> for JobPairs<'a, '_, R> {
    fn head(&self) -> JobHead {
        let s = self.engine.summary();
        JobHead {
            job: self.job.to_string(),
            people: self.persons.len() as u64,
            prior: s.prior_bits,
            match_share: s.match_share,
            name_records: self.engine.name_records(),
        }
    }

    fn keys(&self) -> Vec<(usize, &str, u32)> {
        use rayon::prelude::*;
        (self.records.par_iter().enumerate())
            .map(|(i, r)| (bucket_of(r.reference()), r.reference(), i as u32))
            .collect()
    }

    fn push(&self, job: u8, i: u32, b: &mut Bucket<&'a str>, s: &mut String) {
        let i = i as usize;
        let records: &'a [R] = self.records;
        let (Some(r), Some(l)) = (records.get(i), self.links.get(i)) else {
            return;
        };
        let empty = RecordDetail::default();
        let detail = self.detail.get(i).unwrap_or(&empty);
        b.job.push(job);
        b.reference.push(r.reference());
        b.decision.push(decision_code(l.decision));
        b.scored.push(detail.scored as u64);
        fixed(s, detail.none, 6);
        let row = b.none.len() as u32;
        let (v, odd) = put(s, 6, 0);
        b.none.push(v);
        if let Some(t) = odd {
            b.odd.push((Col::NoneOf as u8, row, t));
        }
        // The kept pairs, each matched to the decision's candidate of the same pair (the
        // same person scored with the same levels by the same pass), then the candidates
        // the decision named that were not kept.
        let mut named: Vec<Option<&Candidate>> = l.candidates.iter().map(Some).collect();
        let mut n = 0u32;
        for c in &detail.candidates {
            let rank = named.iter().position(|x| {
                x.is_some_and(|x| {
                    x.person == c.person && x.levels == c.levels && x.second_pass == c.second_pass
                })
            });
            let outcome = rank.and_then(|k| named.get_mut(k).and_then(Option::take));
            self.pair(b, s, c, true, rank.map_or(0, |k| k + 1), outcome);
            n += 1;
        }
        for (k, c) in named.iter().enumerate() {
            if let Some(c) = c {
                self.pair(b, s, c, false, k + 1, Some(c));
                n += 1;
            }
        }
        b.pairs.push(n);
    }
}

impl<'a, R: ExternalRecord + Sync> JobPairs<'a, '_, R> {
    /// Append one pair: `kept` is the pair as the record's kept pairs hold it, `outcome` the
    /// decision's candidate for it (whose posterior links.csv prints), `rank` its place
    /// among the decision's candidates (0: not named).
    #[allow(clippy::too_many_arguments)]
    fn pair(
        &self,
        b: &mut Bucket<&'a str>,
        s: &mut String,
        kept: &Candidate,
        explained: bool,
        rank: usize,
        outcome: Option<&Candidate>,
    ) {
        let x = self.engine.explain_candidate(kept);
        let row = b.employee.len() as u32;
        b.employee
            .push((self.persons.get(kept.person as usize)).map_or("", |p| p.employee_id.as_str()));
        b.rank.push(rank as u32);
        b.explained.push(explained);
        b.second_pass.push(kept.second_pass);
        let before = b.history_refs.len();
        b.history_refs.extend(
            (self.engine.collective().sources(kept.person).iter())
                .filter_map(|&h| self.records.get(h as usize))
                .map(|h| h.reference()),
        );
        b.history.push((b.history_refs.len() - before) as u32);
        let odd = |b: &mut Bucket<&'a str>, col: Col, at: u32, o: Option<String>| {
            if let Some(t) = o {
                b.odd.push((col as u8, at, t));
            }
        };
        let records = f64::from(self.engine.name_records().max(1));
        let mut levels = [0u8; WIDTH];
        let mut sum = 0i64;
        for ((f, e), slot) in x.fields.iter().enumerate().zip(levels.iter_mut()) {
            let names = FIELDS.get(f).map_or(&[][..], |(_, l)| l);
            let level = names
                .iter()
                .position(|&n| n == e.level)
                .map_or(0, |p| p + 1);
            debug_assert!(level > 0 || e.level == "missing", "level {}", e.level);
            *slot = level as u8;
            // The count behind a term frequency, kept only when it prints the same share.
            let count = e.term_frequency.and_then(|tf| {
                let n = (tf * records).round();
                let mut t = String::new();
                fixed(&mut t, n / records, 6);
                fixed(s, tf, 6);
                (t == *s && n >= 0.0 && n < f64::from(u32::MAX)).then_some(n as u32)
            });
            let tf_unheld = e.term_frequency.is_some() && count.is_none();
            b.counts.push(if tf_unheld {
                u32::MAX
            } else {
                count.map_or(0, |n| n + 1)
            });
            // Its own figure for now; `record_into` clears it where the night's table has it.
            fixed(s, e.bits, 2);
            sum += code(s, 2).unwrap_or(0);
            let (v, o) = put(s, 2, 0);
            b.bits.push(v);
            odd(b, Col::Bits, row * WIDTH as u32 + f as u32, o);
            if tf_unheld {
                // A share no count prints (never seen): its text rides in `odd`.
                let mut t = String::new();
                fixed(&mut t, e.term_frequency.unwrap_or(0.0), 6);
                b.odd.push((u8::MAX, row * WIDTH as u32 + f as u32, t));
            }
        }
        b.levels.extend_from_slice(&levels);
        fixed(s, x.lookalike, 2);
        let look = code(s, 2).unwrap_or(0);
        let (v, o) = put(s, 2, 0);
        b.lookalike.push(v);
        odd(b, Col::Lookalike, row, o);
        fixed(s, x.weight - x.prior, 2);
        let (v, o) = put(s, 2, sum - look);
        let evidence = code(s, 2).unwrap_or(0);
        b.evidence.push(v);
        odd(b, Col::Evidence, row, o);
        fixed(s, x.weight, 2);
        let weight = code(s, 2).unwrap_or(0);
        let prior = (x.prior * 100.0).round() as i64;
        let (v, o) = put(s, 2, evidence + prior);
        b.weight.push(v);
        odd(b, Col::Weight, row, o);
        fixed(s, x.probability, 6);
        let pairwise = code(s, 6).unwrap_or(0);
        let (v, o) = put(s, 6, 1_000_000);
        b.pairwise.push(v);
        odd(b, Col::Pairwise, row, o);
        fixed(s, kept.probability, 6);
        let posterior = code(s, 6).unwrap_or(0);
        let (v, o) = put(s, 6, 1_000_000);
        b.posterior.push(v);
        odd(b, Col::Posterior, row, o);
        // What links.csv and matches.csv print of a named pair, from the decision's own
        // candidate: each as its gap from the figure above it stands on (0 in a column of a
        // pair the decision did not name; for a named pair, 0 is a text in `odd`).
        let named = |b: &mut Bucket<&'a str>,
                     s: &mut String,
                     col: Col,
                     x: f64,
                     digits: usize,
                     base: i64| {
            match outcome {
                Some(_) => {
                    fixed(s, x, digits);
                    let (v, o) = put(s, digits, base);
                    odd(b, col, row, o);
                    v
                }
                None => 0,
            }
        };
        let c = outcome.unwrap_or(kept);
        let v = named(b, s, Col::Posterior4, c.probability, 4, 10_000);
        b.posterior4.push(v);
        let v = named(b, s, Col::Score, c.weight, 2, weight);
        b.m_score.push(v);
        let p = crate::link::probability(c.weight);
        let v = named(b, s, Col::Probability, p, 6, pairwise);
        b.m_prob.push(v);
        let v = named(b, s, Col::Posterior6, c.probability, 6, posterior);
        b.m_post.push(v);
    }
}

/// A night's link record, built and not yet encoded: matches.csv renders from it
/// (`matches_csv`), then it is encoded (`encode_into`).
pub struct Built<'a> {
    pub figures: Figures,
    buckets: Vec<Bucket<&'a str>>,
}

/// The figures payload and the `BUCKETS` bucket payloads of a night's jobs (`record` then
/// `encode_into`).
pub fn record_into<T: Send>(
    jobs: &[&dyn Job<'_>],
    each: &(dyn Fn(usize, Vec<u8>) -> T + Sync),
) -> (Vec<u8>, Vec<T>) {
    record(jobs).encode_into(each)
}

/// The link record of a night's jobs (`jobs` in a fixed order: vetting, then PND returns).
/// Each bucket is built on its own, in parallel; once all are built the night's tables are
/// made from what they used.
pub fn record<'a>(jobs: &[&dyn Job<'a>]) -> Built<'a> {
    use rayon::prelude::*;
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
    let buckets: Vec<Bucket<&str>> = (0..BUCKETS)
        .into_par_iter()
        .map(|b| {
            let mut bucket = Bucket {
                format: FORMAT,
                ..Bucket::default()
            };
            let mut s = String::new();
            for (j, (job, order)) in jobs.iter().zip(&order).enumerate() {
                for &i in order.get(b).map_or(&[][..], Vec::as_slice) {
                    job.push(j as u8, i, &mut bucket, &mut s);
                }
            }
            bucket.odd.sort_unstable();
            bucket
        })
        .collect();
    let bits = table(buckets.iter().flat_map(|b| b.bits_keyed()));
    let lookalike = table(buckets.iter().flat_map(|b| b.lookalike_keyed()));
    Built {
        figures: Figures {
            format: FORMAT,
            jobs: jobs.iter().map(|j| j.head()).collect(),
            bits: bits.into_iter().collect(),
            lookalike: lookalike.into_iter().collect(),
        },
        buckets,
    }
}

impl Built<'_> {
    /// matches.csv of the night, rendered from the record (`matches_csv`).
    pub fn matches_csv(&self) -> Vec<u8> {
        matches_csv(&self.figures, &self.buckets)
    }

    /// The figures payload, and each bucket encoded and handed to `each` (with its number)
    /// on the thread that encoded it. A figure the night's table holds is named by its key
    /// alone.
    pub fn encode_into<T: Send>(
        self,
        each: &(dyn Fn(usize, Vec<u8>) -> T + Sync),
    ) -> (Vec<u8>, Vec<T>) {
        use rayon::prelude::*;
        let figures = &self.figures;
        let buckets = self
            .buckets
            .into_par_iter()
            .enumerate()
            .map(|(b, mut bucket)| {
                let bits = held(bucket.bits_keyed(), &figures.bits);
                zero(&mut bucket.bits, bits);
                let lookalike = held(bucket.lookalike_keyed(), &figures.lookalike);
                zero(&mut bucket.lookalike, lookalike);
                let bytes = postcard::to_allocvec(&bucket).expect("in-memory encoding");
                drop(bucket);
                each(b, bytes)
            })
            .collect();
        let encoded = postcard::to_allocvec(figures).expect("in-memory encoding");
        (encoded, buckets)
    }
}

impl<S> Bucket<S> {
    /// Each pair's job, in pair order.
    fn pair_jobs(&self) -> impl Iterator<Item = u8> + '_ {
        (self.job.iter().zip(&self.pairs)).flat_map(|(&j, &n)| std::iter::repeat_n(j, n as usize))
    }

    /// Each field of each pair with its key in the night's table and its own figure (0:
    /// odd, which no table holds), in column order.
    fn bits_keyed(&self) -> impl Iterator<Item = (BitsKey, u32)> + '_ {
        (self.pair_jobs().zip(&self.second_pass))
            .flat_map(|(j, &pass)| (0..WIDTH).map(move |f| (j, pass, f as u8)))
            .zip(self.levels.iter().zip(&self.counts).zip(&self.bits))
            .map(|((j, pass, f), ((&l, &c), &v))| ((j, pass, f, l, count_key(c)), v))
    }

    /// Each pair with its key in the night's look-alike table and its own figure.
    fn lookalike_keyed(&self) -> impl Iterator<Item = (LookKey, u32)> + '_ {
        (self.pair_jobs().zip(&self.second_pass))
            .zip(self.levels.chunks(WIDTH))
            .zip(&self.lookalike)
            .map(|(((j, &pass), l), &v)| {
                let levels: [u8; WIDTH] = std::array::from_fn(|f| l.get(f).copied().unwrap_or(0));
                ((j, pass, levels), v)
            })
    }
}

/// The places of the figures `table` holds as they are.
fn held<K: Ord>(keyed: impl Iterator<Item = (K, u32)>, table: &[(K, u32)]) -> Vec<usize> {
    (keyed.enumerate())
        .filter(|(_, (k, v))| lookup(table, k) == Some(*v))
        .map(|(i, _)| i)
        .collect()
}

/// Name the figures at `places` by their key alone (0).
fn zero(column: &mut [u32], places: Vec<usize>) {
    for i in places {
        if let Some(slot) = column.get_mut(i) {
            *slot = 0;
        }
    }
}

/// The count a field's bits are keyed by: the name's count when its term frequency was
/// held as one, else 0.
fn count_key(c: u32) -> u32 {
    match c {
        0 | u32::MAX => 0,
        n => n - 1,
    }
}

/// The night's table of `entries`: each key with the one figure every entry of it has; a
/// key seen with two figures, or with an odd one (0), is left out (its pairs keep their own).
fn table<K: Ord + Copy>(
    entries: impl Iterator<Item = (K, u32)>,
) -> std::collections::BTreeMap<K, u32> {
    let mut t: std::collections::BTreeMap<K, u32> = std::collections::BTreeMap::new();
    for (k, v) in entries {
        t.entry(k)
            .and_modify(|x| {
                if *x != v {
                    *x = 0;
                }
            })
            .or_insert(v);
    }
    t.retain(|_, v| *v != 0);
    t
}

pub fn read_figures(bytes: &[u8]) -> Result<Figures, String> {
    let f: Figures =
        postcard::from_bytes(bytes).map_err(|e| format!("link record figures: {e}"))?;
    if f.format != FORMAT {
        return Err(format!(
            "link record figures of format {} not known",
            f.format
        ));
    }
    Ok(f)
}

pub fn read_bucket(bytes: &[u8]) -> Result<ReadBucket, String> {
    let mut b: ReadBucket =
        postcard::from_bytes(bytes).map_err(|e| format!("link record bucket: {e}"))?;
    let records = b.job.len();
    let pairs: usize = b.pairs.iter().map(|&n| n as usize).sum();
    let whole = b.format == FORMAT
        && [
            b.reference.len(),
            b.decision.len(),
            b.scored.len(),
            b.none.len(),
            b.pairs.len(),
        ]
        .iter()
        .all(|&n| n == records)
        && [
            b.employee.len(),
            b.rank.len(),
            b.explained.len(),
            b.second_pass.len(),
            b.history.len(),
            b.lookalike.len(),
            b.evidence.len(),
            b.weight.len(),
            b.pairwise.len(),
            b.posterior.len(),
            b.posterior4.len(),
            b.m_score.len(),
            b.m_prob.len(),
            b.m_post.len(),
        ]
        .iter()
        .all(|&n| n == pairs)
        && [b.levels.len(), b.counts.len(), b.bits.len()]
            .iter()
            .all(|&n| n == pairs * WIDTH);
    let refs: usize = b.history.iter().map(|&n| n as usize).sum();
    if !whole || refs != b.history_refs.len() {
        return Err("a link record bucket's columns do not agree in length".into());
    }
    let mut at = 0;
    b.history_at = (b.history.iter())
        .map(|&n| {
            let here = at;
            at += n as usize;
            here
        })
        .collect();
    Ok(b)
}

/// One pair's figures, as printed.
struct PairText {
    levels: Vec<&'static str>,
    bits: Vec<String>,
    tf: Vec<Option<String>>,
    lookalike: String,
    evidence: String,
    weight: String,
    pairwise: String,
    posterior: String,
    posterior4: Option<String>,
}

impl Figures {
    fn head(&self, job: u8) -> Option<&JobHead> {
        self.jobs.get(job as usize)
    }
}

/// One record of a bucket, with where its pairs are.
struct RecordAt {
    k: usize,
    first: usize,
    count: usize,
}

impl<S: AsRef<str>> Bucket<S> {
    fn records(&self) -> impl Iterator<Item = RecordAt> + '_ {
        let mut first = 0;
        self.pairs.iter().enumerate().map(move |(k, &n)| {
            let at = RecordAt {
                k,
                first,
                count: n as usize,
            };
            first += n as usize;
            at
        })
    }

    fn odd(&self, col: u8, row: usize) -> Option<&str> {
        let at = self
            .odd
            .binary_search_by(|(c, r, _)| (*c, *r).cmp(&(col, row as u32)))
            .ok()?;
        self.odd.get(at).map(|(_, _, t)| t.as_str())
    }

    /// The text of a `put` figure of column `col`, row `row`.
    fn figure(&self, col: Col, row: usize, v: u32, digits: usize, base: i64) -> String {
        match v.checked_sub(1) {
            Some(z) => text_of(unzigzag(u64::from(z)).wrapping_add(base), digits),
            None => self.odd(col as u8, row).unwrap_or("").to_string(),
        }
    }

    /// The references pair `p`'s person was also known from.
    fn history_of(&self, p: usize) -> Vec<String> {
        let (Some(&at), Some(&n)) = (self.history_at.get(p), self.history.get(p)) else {
            return Vec::new();
        };
        (self.history_refs.get(at..at + n as usize)).map_or_else(Vec::new, |r| {
            r.iter().map(|x| x.as_ref().to_string()).collect()
        })
    }

    fn none_text(&self, k: usize) -> String {
        self.figure(Col::NoneOf, k, self.none.get(k).copied().unwrap_or(0), 6, 0)
    }

    /// Pair `p`'s figures as printed; `job` is its record's.
    fn pair_text(&self, figures: &Figures, job: u8, p: usize) -> PairText {
        let head = figures.head(job);
        let pass = self.second_pass.get(p).copied().unwrap_or(false);
        let records = f64::from(head.map_or(1, |h| h.name_records.max(1)));
        let (mut levels, mut codes, mut bits, mut tf) = (vec![], vec![], vec![], vec![]);
        let mut sum = 0i64;
        for f in 0..WIDTH {
            let i = p * WIDTH + f;
            let l = self.levels.get(i).copied().unwrap_or(0);
            codes.push(l);
            levels.push(
                (l as usize)
                    .checked_sub(1)
                    .and_then(|l| FIELDS.get(f).and_then(|(_, n)| n.get(l)).copied())
                    .unwrap_or("missing"),
            );
            let count = self.counts.get(i).copied().unwrap_or(0);
            tf.push(match count {
                0 => None,
                u32::MAX => Some(self.odd(u8::MAX, i).unwrap_or("").to_string()),
                n => {
                    let mut t = String::new();
                    fixed(&mut t, f64::from(n - 1) / records, 6);
                    Some(t)
                }
            });
            // The key the night's table has the field under (`JobPairs::pair`).
            let held = if count == u32::MAX {
                0
            } else {
                count.saturating_sub(1)
            };
            let key: BitsKey = (job, pass, f as u8, l, held);
            let text = match (
                self.bits.get(i).copied().unwrap_or(0),
                self.odd(Col::Bits as u8, i),
            ) {
                (0, Some(t)) => t.to_string(),
                (0, None) => lookup(&figures.bits, &key)
                    .map_or_else(String::new, |v| self.figure(Col::Bits, i, v, 2, 0)),
                (v, _) => self.figure(Col::Bits, i, v, 2, 0),
            };
            sum += code(&text, 2).unwrap_or(0);
            bits.push(text);
        }
        let level_codes: [u8; WIDTH] = std::array::from_fn(|f| codes.get(f).copied().unwrap_or(0));
        let lookalike = match (
            self.lookalike.get(p).copied().unwrap_or(0),
            self.odd(Col::Lookalike as u8, p),
        ) {
            (0, Some(t)) => t.to_string(),
            (0, None) => (lookup(&figures.lookalike, &(job, pass, level_codes)))
                .map_or_else(String::new, |v| self.figure(Col::Lookalike, p, v, 2, 0)),
            (v, _) => self.figure(Col::Lookalike, p, v, 2, 0),
        };
        let look = code(&lookalike, 2).unwrap_or(0);
        let at = |v: &[u32]| v.get(p).copied().unwrap_or(0);
        let evidence = self.figure(Col::Evidence, p, at(&self.evidence), 2, sum - look);
        let prior = head.map_or(0, |h| (h.prior * 100.0).round() as i64);
        let e = code(&evidence, 2).unwrap_or(0);
        let weight = self.figure(Col::Weight, p, at(&self.weight), 2, e + prior);
        PairText {
            levels,
            bits,
            tf,
            lookalike,
            evidence,
            weight,
            pairwise: self.figure(Col::Pairwise, p, at(&self.pairwise), 6, 1_000_000),
            posterior: self.figure(Col::Posterior, p, at(&self.posterior), 6, 1_000_000),
            posterior4: (self.rank.get(p).is_some_and(|&r| r > 0))
                .then(|| self.figure(Col::Posterior4, p, at(&self.posterior4), 4, 10_000)),
        }
    }

    /// The decision's candidates' pairs, in rank order.
    fn named(&self, r: &RecordAt) -> Vec<(u32, usize)> {
        let mut named: Vec<(u32, usize)> = (r.first..r.first + r.count)
            .filter_map(|p| self.rank.get(p).filter(|&&k| k > 0).map(|&k| (k, p)))
            .collect();
        named.sort_unstable();
        named
    }

    fn decision(&self, k: usize) -> Decision {
        (self.decision.get(k))
            .and_then(|&d| DECISIONS.get(d as usize))
            .copied()
            .unwrap_or(Decision::NoMatch)
    }

    fn verdict(&self, r: &RecordAt) -> String {
        let named = self.named(r);
        let name = |k: usize| {
            (named.get(k))
                .and_then(|&(_, p)| self.employee.get(p))
                .map_or("", AsRef::as_ref)
        };
        let (before, after) = match self.decision(r.k) {
            Decision::AutoLink => ("auto-linked to ", ""),
            Decision::Confirmed => ("linked to ", " by a confirmed decision"),
            Decision::Review => ("sent to review with ", " as the candidate"),
            Decision::Ambiguous => {
                let all: Vec<&str> = (0..named.len()).map(name).collect();
                return format!("ambiguous between {}", all.join(", "));
            }
            Decision::NoMatch => return "linked to no one".to_string(),
        };
        format!("{before}{}{after}", name(0))
    }
}

fn lookup<K: Ord>(table: &[(K, u32)], key: &K) -> Option<u32> {
    let at = table.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
    table.get(at).map(|(_, c)| *c)
}

/// The breakdown of (`employee_id`, `reference`) from one bucket, when the night kept that
/// pair (ids compared without regard to case). Vetting records are looked for before PND
/// returns, as explain always has.
pub fn find(
    figures: &Figures,
    b: &ReadBucket,
    employee_id: &str,
    reference: &str,
) -> Option<Breakdown> {
    let want = (id_key(reference), id_key(employee_id));
    let num = |t: &str| t.parse::<f64>().unwrap_or(f64::NAN);
    for (j, head) in figures.jobs.iter().enumerate() {
        for r in b.records() {
            if b.job.get(r.k) != Some(&(j as u8))
                || b.reference.get(r.k).is_none_or(|x| id_key(x) != want.0)
            {
                continue;
            }
            for p in r.first..r.first + r.count {
                let (Some(true), Some(emp)) = (b.explained.get(p), b.employee.get(p)) else {
                    continue;
                };
                if id_key(emp) != want.1 {
                    continue;
                }
                let t = b.pair_text(figures, j as u8, p);
                let fields = (t.levels.iter().zip(&t.bits).zip(&t.tf))
                    .map(|((level, bits), tf)| FieldLine {
                        level: level.to_string(),
                        bits: num(bits),
                        tf: tf.as_deref().map(num),
                    })
                    .collect();
                return Some(Breakdown {
                    employee_id: emp.clone(),
                    reference: b.reference.get(r.k).cloned().unwrap_or_default(),
                    people: head.people as usize,
                    prior: head.prior,
                    lookalike: num(&t.lookalike),
                    fields,
                    history: b.history_of(p),
                    weight: num(&t.weight),
                    pairwise: num(&t.pairwise),
                    posterior: Some(num(&t.posterior)),
                    others: (b.scored.get(r.k).copied().unwrap_or(0) as usize).saturating_sub(1),
                    none: num(&b.none_text(r.k)),
                    match_share: head.match_share,
                    verdict: b.verdict(&r),
                    blocked: true,
                });
            }
        }
    }
    None
}

/// links.csv's columns.
pub fn links_columns() -> Vec<String> {
    let mut c: Vec<String> = ["vetting_ref", "rank", "employee_id", "decision", "evidence"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (f, _) in FIELDS {
        c.push(format!("{f}_level"));
        c.push(format!("{f}_bits"));
    }
    c.push("posterior".to_string());
    // Added in 0.4.0, at the end: the bits taken off for look-alikes (`link::lookalike`);
    // evidence is the sum of the field bits less this.
    c.push("look_alike_bits".to_string());
    c
}

/// links.csv, rendered from the record: the header, then each job's records (vetting, then
/// PND returns) in reference order, one row per candidate the decision named (best first),
/// or one row with no candidate. See docs/output.md for the columns.
pub fn links_csv(figures: &Figures, buckets: &[ReadBucket]) -> Vec<u8> {
    let mut w = csv_writer();
    w.write_record(links_columns()).expect("in-memory write");
    let width = links_columns().len();
    for j in 0..figures.jobs.len() {
        let mut order: Vec<(&str, &ReadBucket, RecordAt)> = Vec::new();
        for b in buckets {
            for r in b.records() {
                if b.job.get(r.k) == Some(&(j as u8)) {
                    let reference = b.reference.get(r.k).map_or("", String::as_str);
                    order.push((reference, b, r));
                }
            }
        }
        // A stable sort: records of one reference stay in the order the night read them.
        order.sort_by(|a, b| a.0.cmp(b.0));
        for (reference, b, r) in order {
            let decision = b.decision(r.k).as_str();
            let reference = text(reference);
            let named = b.named(&r);
            if named.is_empty() {
                let mut row = vec![reference.as_ref(), "", "", decision];
                row.resize(width, "");
                w.write_record(&row).expect("in-memory write");
                continue;
            }
            for (rank, p) in named {
                let t = b.pair_text(figures, j as u8, p);
                let emp = b.employee.get(p).map_or("", String::as_str);
                let mut row: Vec<std::borrow::Cow<'_, str>> = vec![
                    reference.clone(),
                    rank.to_string().into(),
                    text(emp),
                    decision.into(),
                    t.evidence.into(),
                ];
                for (level, bits) in t.levels.iter().zip(t.bits) {
                    row.push((*level).into());
                    row.push(bits.into());
                }
                row.push(t.posterior4.unwrap_or_default().into());
                row.push(t.lookalike.into());
                w.write_record(row.iter().map(|c| c.as_ref()))
                    .expect("in-memory write");
            }
        }
    }
    finish(w)
}

/// matches.csv, rendered from the record: the header (`report::matches::COLUMNS`), then
/// the vetting records in reference order, one row per candidate the decision named (best
/// first), or one row with a blank employee_id for a record with none. See docs/output.md.
pub fn matches_csv<S: AsRef<str> + Sync>(figures: &Figures, buckets: &[Bucket<S>]) -> Vec<u8> {
    use rayon::prelude::*;
    let mut w = csv_writer();
    w.write_record(super::matches::COLUMNS)
        .expect("in-memory write");
    let mut order: Vec<(&str, &Bucket<S>, RecordAt)> = Vec::new();
    for b in buckets {
        for r in b.records() {
            if b.job.get(r.k) == Some(&0) {
                let reference = b.reference.get(r.k).map_or("", AsRef::as_ref);
                order.push((reference, b, r));
            }
        }
    }
    // A stable sort: records of one reference stay in the order the night read them.
    order.par_sort_by(|a, b| a.0.cmp(b.0));
    super::par_rows(finish(w), &order, |w, _, (reference, b, r)| {
        let decision = b.decision(r.k).as_str();
        let reference = text(reference);
        let named = b.named(r);
        if named.is_empty() {
            w.write_record(["", &reference, "", decision, "", "", ""])
                .expect("in-memory write");
        }
        for (_, p) in named {
            let t = b.pair_text(figures, 0, p);
            let at = |v: &[u32]| v.get(p).copied().unwrap_or(0);
            let base = |x: &str, d: usize| code(x, d).unwrap_or(0);
            let score = b.figure(Col::Score, p, at(&b.m_score), 2, base(&t.weight, 2));
            let prob = b.figure(Col::Probability, p, at(&b.m_prob), 6, base(&t.pairwise, 6));
            let post = b.figure(Col::Posterior6, p, at(&b.m_post), 6, base(&t.posterior, 6));
            let levels: [Option<&str>; 5] = std::array::from_fn(|f| {
                let level = t.levels.get(f).copied();
                let code = b.levels.get(p * WIDTH + f).copied().unwrap_or(0);
                // Surname, forenames and date of birth are always compared.
                level.filter(|_| f < 3 || code > 0)
            });
            let emp = b.employee.get(p).map_or("", AsRef::as_ref);
            w.write_record([
                text(emp).as_ref(),
                &reference,
                &score,
                decision,
                &prob,
                &crate::link::weights::describe_names(levels),
                &post,
            ])
            .expect("in-memory write");
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::explain_detail::{verdict, MIN_KEPT_POSTERIOR};
    use crate::testkit::generated_force;

    /// links.csv as the engine's own figures print it: the columns of docs/output.md, row
    /// by row from the outcomes (the form 0.7.0 stored).
    fn links_from_engine(
        engine: &Engine<'_>,
        persons: &[Person],
        records: &[crate::model::VettingRecord],
        links: &[LinkOutcome],
    ) -> Vec<u8> {
        let mut w = csv_writer();
        w.write_record(links_columns()).unwrap();
        let mut order: Vec<usize> = (0..records.len()).collect();
        order.sort_by(|&a, &b| records[a].reference().cmp(records[b].reference()));
        let f = |x: f64, d: usize| format!("{x:.d$}");
        for i in order {
            let (r, l) = (&records[i], &links[i]);
            if l.candidates.is_empty() {
                let mut row = vec![
                    text(r.reference()).to_string(),
                    String::new(),
                    String::new(),
                ];
                row.push(l.decision.as_str().to_string());
                row.resize(links_columns().len(), String::new());
                w.write_record(&row).unwrap();
            }
            for (k, c) in l.candidates.iter().enumerate() {
                let x = engine.explain_candidate(c);
                let mut row = vec![
                    text(r.reference()).to_string(),
                    (k + 1).to_string(),
                    text(&persons[c.person as usize].employee_id).to_string(),
                    l.decision.as_str().to_string(),
                    f(x.weight - x.prior, 2),
                ];
                for e in &x.fields {
                    row.push(e.level.to_string());
                    row.push(f(e.bits, 2));
                }
                row.push(f(c.probability, 4));
                row.push(f(x.lookalike, 2));
                w.write_record(&row).unwrap();
            }
        }
        finish(w)
    }

    /// matches.csv as the engine's own outcomes print it (the form 0.7.0 rendered).
    fn matches_from_engine(
        persons: &[Person],
        vetting: &[crate::model::VettingRecord],
        links: &[LinkOutcome],
    ) -> Vec<u8> {
        let mut w = csv_writer();
        w.write_record(super::super::matches::COLUMNS).unwrap();
        let mut order: Vec<usize> = (0..vetting.len()).collect();
        order.sort_by(|&a, &b| vetting[a].vetting_ref.cmp(&vetting[b].vetting_ref));
        let f = |x: f64, d: usize| format!("{x:.d$}");
        for i in order {
            let (v, l) = (&vetting[i], &links[i]);
            let reference = text(&v.vetting_ref).to_string();
            if l.candidates.is_empty() {
                w.write_record(["", &reference, "", l.decision.as_str(), "", "", ""])
                    .unwrap();
            }
            for c in &l.candidates {
                w.write_record([
                    text(&persons[c.person as usize].employee_id).as_ref(),
                    &reference,
                    &f(c.weight, 2),
                    l.decision.as_str(),
                    &f(crate::link::probability(c.weight), 6),
                    &crate::link::weights::describe(&c.levels),
                    &f(c.probability, 6),
                ])
                .unwrap();
            }
        }
        finish(w)
    }

    #[test]
    fn every_pair_and_every_link_reads_back_as_the_engine_scored_it() {
        let (policy, data) = generated_force(1_500, 11);
        let mut engine = Engine::new(&policy.linking, &data.persons, &data.vetting);
        engine.set_keep_detail(Some(MIN_KEPT_POSTERIOR));
        let linked = engine.link(&|| {});
        assert!(linked.stats.rescored > 0, "the second pass scored pairs");
        let job = JobPairs {
            job: "vetting",
            engine: &engine,
            persons: &data.persons,
            records: &data.vetting,
            links: &linked.outcomes,
            detail: &linked.detail,
        };
        let (figures, buckets) = record_into(&[&job], &|_, b| b);
        let figures = read_figures(&figures).unwrap();
        let buckets: Vec<ReadBucket> = buckets.iter().map(|b| read_bucket(b).unwrap()).collect();

        assert_eq!(
            String::from_utf8(links_csv(&figures, &buckets)).unwrap(),
            String::from_utf8(links_from_engine(
                &engine,
                &data.persons,
                &data.vetting,
                &linked.outcomes
            ))
            .unwrap()
        );

        assert_eq!(
            String::from_utf8(matches_csv(&figures, &buckets)).unwrap(),
            String::from_utf8(matches_from_engine(
                &data.persons,
                &data.vetting,
                &linked.outcomes
            ))
            .unwrap()
        );

        let summary = engine.summary();
        let mut pairs = 0;
        let mut second = 0;
        for (i, (r, d)) in data.vetting.iter().zip(&linked.detail).enumerate() {
            let unique = data
                .vetting
                .iter()
                .filter(|v| id_key(&v.vetting_ref) == id_key(&r.vetting_ref))
                .count()
                == 1;
            for c in d.candidates.iter().filter(|_| unique) {
                let x = engine.explain_candidate(c);
                let emp = &data.persons[c.person as usize].employee_id;
                let want = Breakdown {
                    employee_id: emp.clone(),
                    reference: r.vetting_ref.clone(),
                    people: data.persons.len(),
                    prior: summary.prior_bits,
                    lookalike: x.lookalike,
                    fields: (x.fields.iter())
                        .map(|e| FieldLine {
                            level: e.level.to_string(),
                            bits: e.bits,
                            tf: e.term_frequency,
                        })
                        .collect(),
                    history: (engine.collective().sources(c.person).iter())
                        .map(|&h| data.vetting[h as usize].vetting_ref.clone())
                        .collect(),
                    weight: x.weight,
                    pairwise: x.probability,
                    posterior: Some(c.probability),
                    others: d.scored - 1,
                    none: d.none,
                    match_share: summary.match_share,
                    verdict: verdict(&linked.outcomes[i], &data.persons),
                    blocked: true,
                };
                let b = &buckets[bucket_of(&r.vetting_ref)];
                let got = find(&figures, b, emp, &r.vetting_ref).expect("a kept pair is found");
                assert_eq!(got.render(), want.render());
                pairs += 1;
                second += usize::from(c.second_pass);
            }
        }
        assert!(
            pairs > 1_500 && second > 0,
            "{pairs} pairs, {second} of the second pass"
        );
    }

    #[test]
    fn a_figure_reads_back_as_the_text_it_was_stored_as() {
        for (t, d) in [
            ("0.00", 2),
            ("-12.34", 2),
            ("1.000000", 6),
            ("0.000001", 6),
            ("123456789.99", 2),
            ("0.5000", 4),
        ] {
            let c = code(t, d).unwrap();
            assert_eq!(text_of(c, d), t);
            for base in [0, 1_000_000, -77] {
                let back = match put(t, d, base) {
                    (0, Some(odd)) => odd,
                    (v, None) => text_of(unzigzag(u64::from(v - 1)) + base, d),
                    other => panic!("{other:?}"),
                };
                assert_eq!(back, t);
            }
            assert!(
                t.len() > 10 || put(t, d, 0).1.is_none(),
                "{t} fits a column"
            );
        }
        // What digits cannot hold rides as text.
        for (t, d) in [("-0.00", 2), ("NaN", 2), ("inf", 6), ("1.5", 2), ("", 2)] {
            assert_eq!(code(t, d), None, "{t}");
            assert_eq!(put(t, d, 0), (0, Some(t.to_string())));
        }
    }

    #[test]
    fn a_bucket_whose_columns_disagree_is_refused_not_read() {
        let mut b: Bucket<&str> = Bucket {
            format: FORMAT,
            ..Bucket::default()
        };
        b.job.push(0);
        let bytes = postcard::to_allocvec(&b).unwrap();
        assert!(read_bucket(&bytes).is_err());
        assert!(read_bucket(b"header,vetting,1,2,3\n").is_err());
        assert!(read_figures(&[]).is_err());
    }
}
