//! Train: estimate the m/u table from a force's own data, as Splink does.
//!
//! - u (how often a level occurs between two different people) from random pairs of a
//!   roster person and a vetting record: nearly all random pairs are non-matches.
//! - m (how often a level occurs between records of the same person) by
//!   expectation-maximisation over the blocked candidate pairs, with u held fixed. The pairs
//!   are summarised as counts of distinct agreement patterns first, so each EM iteration
//!   costs microseconds whatever the force's size.
//!
//! Every draw is seeded, so the same data and options train the same model. The result is
//! written as a TOML model file that `linking.model` points later runs at.

use super::compare::PairLevels;
use super::settings::RawMu;
use super::weights::{FieldWeights, DOB, EMPLOYEE_ID, FIELDS, FORENAMES, NI, SURNAME};
use super::{Engine, Scratch};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A trained model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub trained_by: String,
    pub roster_rows: usize,
    pub vetting_rows: usize,
    pub random_pairs: usize,
    pub blocked_pairs: u64,
    /// Iterations of the longer EM session.
    pub em_iterations: usize,
    pub em_converged: bool,
    /// Estimated share of matches among the pairs sharing a date of birth.
    pub match_share: f64,
    pub weights: BTreeMap<String, BTreeMap<String, RawMu>>,
}

impl ModelFile {
    pub fn read(path: &Path) -> Result<ModelFile, String> {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("linking.model: cannot read {}: {e}", path.display()))?;
        ModelFile::parse(&bytes, path)
    }

    pub fn parse(bytes: &[u8], path: &Path) -> Result<ModelFile, String> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| format!("linking.model {}: not UTF-8", path.display()))?;
        toml::from_str(text).map_err(|e| format!("linking.model {}: {e}", path.display()))
    }

    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).expect("a model serialises");
        format!(
            "# Trained by `vetrecon train`. Point linking.model at this file to use it.\n{body}"
        )
    }
}

#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub random_pairs: usize,
    /// Vetting records whose blocked pairs feed EM (all when larger than the export).
    pub em_records: usize,
    pub max_iterations: usize,
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            random_pairs: 1_000_000,
            em_records: 200_000,
            max_iterations: 200,
            seed: 1,
        }
    }
}

/// Level index per field, `None` where the field is missing on either side.
pub type Pattern = [Option<u8>; 5];

pub fn pattern(l: &PairLevels) -> Pattern {
    [
        Some(l.surname as u8),
        Some(l.forenames as u8),
        Some(l.dob as u8),
        l.ni.map(|x| x as u8),
        l.employee_id.map(|x| x as u8),
    ]
}

const _: () = assert!(SURNAME == 0 && FORENAMES == 1 && DOB == 2 && NI == 3 && EMPLOYEE_ID == 4);

/// Smallest probability written to a model: m and u must stay strictly positive.
const FLOOR: f64 = 1e-7;
/// Smallest m written: no level is ever treated as impossible for a true match, however
/// rare it was in the training data (one night's export must not rule a real error out).
pub const M_FLOOR: f64 = 1e-3;

/// u from random pairs: the share of each level among present comparisons, smoothed.
#[allow(
    clippy::indexing_slicing,
    reason = "`m`, `u` and the counts are field x level tables shaped from `FIELDS`, indexed by field and level positions taken from it; person and record positions come from the engine's own candidates"
)]
pub fn estimate_u(engine: &Engine<'_>, pairs: usize, seed: u64) -> Vec<Vec<f64>> {
    let (np, nv) = (engine.prepared.people.len(), engine.prepared.records.len());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let picks: Vec<(u32, u32)> = (0..pairs)
        .map(|_| {
            (
                rng.random_range(0..np) as u32,
                rng.random_range(0..nv) as u32,
            )
        })
        .collect();
    let counts = picks
        .par_chunks(10_000)
        .map(|chunk| {
            let mut scratch = Scratch::default();
            let mut c: Vec<Vec<u64>> = FIELDS.iter().map(|(_, l)| vec![0; l.len()]).collect();
            for &(p, v) in chunk {
                let l = engine.scorer.levels(
                    &engine.prepared.names,
                    &engine.prepared.people[p as usize],
                    &engine.prepared.records[v as usize],
                    &mut scratch.cache,
                );
                for (f, level) in pattern(&l).iter().enumerate() {
                    if let Some(x) = level {
                        c[f][*x as usize] += 1;
                    }
                }
            }
            c
        })
        .reduce(
            || FIELDS.iter().map(|(_, l)| vec![0; l.len()]).collect(),
            |mut a, b| {
                for (ra, rb) in a.iter_mut().zip(b) {
                    for (x, y) in ra.iter_mut().zip(rb) {
                        *x += y;
                    }
                }
                a
            },
        );
    counts
        .iter()
        .map(|row| {
            let total: u64 = row.iter().sum();
            let k = row.len() as f64;
            row.iter()
                .map(|&n| ((n as f64 + 0.5) / (total as f64 + 0.5 * k)).max(FLOOR))
                .collect()
        })
        .collect()
}

/// The vetting records used for EM: all, or a seeded sample of `records`, in order.
fn sample(n: usize, records: usize, seed: u64) -> Vec<usize> {
    let mut chosen: Vec<usize> = (0..n).collect();
    if records < n {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EED);
        rand::seq::SliceRandom::shuffle(chosen.as_mut_slice(), &mut rng);
        chosen.truncate(records);
        chosen.sort_unstable();
    }
    chosen
}

/// Largest group of roster people a training pair-rule may draw from one key.
const MAX_GROUP: usize = 2_000;

/// Distinct agreement patterns, with counts, among the pairs that share `key_of` (a
/// training blocking rule) for the sampled vetting records. Fields in `ignore` are left out
/// of the pattern: the rule conditions on them, so their levels say nothing there.
#[allow(
    clippy::indexing_slicing,
    reason = "`m`, `u` and the counts are field x level tables shaped from `FIELDS`, indexed by field and level positions taken from it; person and record positions come from the engine's own candidates"
)]
fn session<K: std::hash::Hash + Eq + Send + Sync>(
    engine: &Engine<'_>,
    chosen: &[usize],
    key_of: impl Fn(&super::prepare::Rec) -> Option<K> + Sync,
    ignore: &[usize],
) -> (Vec<(Pattern, u64)>, u64) {
    let mut groups: HashMap<K, Vec<u32>> = HashMap::new();
    for (i, p) in engine.prepared.people.iter().enumerate() {
        if let Some(k) = key_of(p) {
            groups.entry(k).or_default().push(i as u32);
        }
    }
    let maps: Vec<HashMap<Pattern, u64>> = chosen
        .par_chunks(5_000)
        .map(|chunk| {
            let mut scratch = Scratch::default();
            let mut m: HashMap<Pattern, u64> = HashMap::new();
            for &vi in chunk {
                let rec = &engine.prepared.records[vi];
                let Some(group) = key_of(rec).and_then(|k| groups.get(&k)) else {
                    continue;
                };
                if group.len() > MAX_GROUP {
                    continue;
                }
                for &pi in group {
                    let l = engine.scorer.levels(
                        &engine.prepared.names,
                        &engine.prepared.people[pi as usize],
                        rec,
                        &mut scratch.cache,
                    );
                    let mut pat = pattern(&l);
                    for &f in ignore {
                        pat[f] = None;
                    }
                    *m.entry(pat).or_default() += 1;
                }
            }
            m
        })
        .collect();
    let mut all: HashMap<Pattern, u64> = HashMap::new();
    for m in maps {
        for (k, v) in m {
            *all.entry(k).or_default() += v;
        }
    }
    let total = all.values().sum();
    let mut v: Vec<(Pattern, u64)> = all.into_iter().collect();
    v.sort_unstable();
    (v, total)
}

/// Result of EM.
#[derive(Debug, Clone)]
pub struct Em {
    pub m: Vec<Vec<f64>>,
    pub match_share: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// Expectation-maximisation of m and the match share over pattern counts, u fixed.
#[allow(
    clippy::indexing_slicing,
    reason = "`m`, `u` and the counts are field x level tables shaped from `FIELDS`, indexed by field and level positions taken from it; person and record positions come from the engine's own candidates"
)]
pub fn em(
    patterns: &[(Pattern, u64)],
    m0: &[Vec<f64>],
    u: &[Vec<f64>],
    lambda0: f64,
    max_iterations: usize,
) -> Em {
    let mut m: Vec<Vec<f64>> = m0.to_vec();
    let mut lambda = lambda0.clamp(1e-6, 0.5);
    for it in 1..=max_iterations {
        let mut num: Vec<Vec<f64>> = m.iter().map(|r| vec![0.0; r.len()]).collect();
        let (mut matches, mut total) = (0.0f64, 0.0f64);
        for (pat, n) in patterns {
            let (mut pm, mut pu) = (lambda, 1.0 - lambda);
            for (f, level) in pat.iter().enumerate() {
                if let Some(l) = level {
                    pm *= m[f][*l as usize];
                    pu *= u[f][*l as usize];
                }
            }
            let p = pm / (pm + pu);
            let w = p * *n as f64;
            matches += w;
            total += *n as f64;
            for (f, level) in pat.iter().enumerate() {
                if let Some(l) = level {
                    num[f][*l as usize] += w;
                }
            }
        }
        let mut change = (matches / total - lambda).abs();
        lambda = matches / total;
        for (f, row) in num.iter().enumerate() {
            let sum: f64 = row.iter().sum();
            if sum <= 0.0 {
                continue;
            }
            for (l, x) in row.iter().enumerate() {
                let new = (x / sum).max(M_FLOOR);
                change = change.max((new - m[f][l]).abs());
                m[f][l] = new;
            }
        }
        if change < 1e-7 {
            return Em {
                m,
                match_share: lambda,
                iterations: it,
                converged: true,
            };
        }
    }
    Em {
        m,
        match_share: lambda,
        iterations: max_iterations,
        converged: false,
    }
}

/// Train a model on the engine's data, starting EM from the engine's current weights.
///
/// As in Splink, m is estimated in sessions, each over the pairs one training blocking rule
/// yields, and a field the rule conditions on is not estimated from that rule's pairs (its
/// agreement there is forced, not evidence): names, NI and employee id from pairs that share
/// a date of birth; date of birth from pairs that share forename and surname sounds.
#[allow(
    clippy::indexing_slicing,
    reason = "`m`, `u` and the counts are field x level tables shaped from `FIELDS`, indexed by field and level positions taken from it; person and record positions come from the engine's own candidates"
)]
pub fn train(engine: &Engine<'_>, opts: &TrainOptions) -> ModelFile {
    let u = estimate_u(engine, opts.random_pairs, opts.seed);
    let chosen = sample(engine.prepared.records.len(), opts.em_records, opts.seed);
    let names = &engine.prepared.names;
    let m0 = &engine.policy.weights.m;
    let run = |patterns: &[(Pattern, u64)], pairs: u64| {
        let lambda0 =
            chosen.len() as f64 * engine.policy.expected_match_share / pairs.max(1) as f64;
        em(patterns, m0, &u, lambda0, opts.max_iterations)
    };
    let (by_dob, dob_pairs) = session(engine, &chosen, |r| Some(r.dob), &[DOB]);
    let names_fit = run(&by_dob, dob_pairs);
    let sounds = |r: &super::prepare::Rec| {
        let f = names.forename(r.forename()?).soundex;
        let s = names.surname(r.surname()?).soundex;
        Some((f, s))
    };
    let (by_name, name_pairs) = session(engine, &chosen, sounds, &[SURNAME, FORENAMES]);
    let dob_fit = run(&by_name, name_pairs);
    let mut m = names_fit.m.clone();
    m[DOB] = dob_fit.m[DOB].clone();
    let weights = FieldWeights::from_mu(m, u);
    ModelFile {
        trained_by: format!("vetrecon {}", env!("CARGO_PKG_VERSION")),
        roster_rows: engine.prepared.people.len(),
        vetting_rows: engine.prepared.records.len(),
        random_pairs: opts.random_pairs,
        blocked_pairs: dob_pairs + name_pairs,
        em_iterations: names_fit.iterations.max(dob_fit.iterations),
        em_converged: names_fit.converged && dob_fit.converged,
        match_share: names_fit.match_share,
        weights: weights.to_raw(),
    }
}

/// A table of how the trained model differs from `before`, one line per level.
#[allow(
    clippy::indexing_slicing,
    reason = "`m`, `u` and the counts are field x level tables shaped from `FIELDS`, indexed by field and level positions taken from it; person and record positions come from the engine's own candidates"
)]
pub fn compare_table(before: &FieldWeights, after: &FieldWeights) -> String {
    let mut out = format!(
        "{:<14} {:<10} {:>9} {:>9} {:>11} {:>11} {:>8} {:>8} {:>7}\n",
        "field",
        "level",
        "m before",
        "m after",
        "u before",
        "u after",
        "bits bef",
        "bits aft",
        "change"
    );
    for (f, (field, levels)) in FIELDS.iter().enumerate() {
        for (l, level) in levels.iter().enumerate() {
            let (b, a) = (before.get(f, l), after.get(f, l));
            out.push_str(&format!(
                "{:<14} {:<10} {:>9.5} {:>9.5} {:>11.3e} {:>11.3e} {:>8.2} {:>8.2} {:>+7.2}\n",
                field,
                level,
                before.m[f][l],
                after.m[f][l],
                before.u[f][l],
                after.u[f][l],
                b,
                a,
                a - b
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Synthetic patterns from known m, u and match share: EM must recover m.
    #[test]
    fn em_recovers_known_parameters() {
        // Two fields with two levels (agree, disagree) and one with three.
        let m_true = vec![vec![0.9, 0.1], vec![0.8, 0.2], vec![0.7, 0.2, 0.1]];
        let u = vec![vec![0.05, 0.95], vec![0.1, 0.9], vec![0.01, 0.09, 0.9]];
        let lambda = 0.1;
        let n = 1_000_000f64;
        let mut patterns = Vec::new();
        for a in 0..2u8 {
            for b in 0..2u8 {
                for c in 0..3u8 {
                    let pm = m_true[0][a as usize] * m_true[1][b as usize] * m_true[2][c as usize];
                    let pu = u[0][a as usize] * u[1][b as usize] * u[2][c as usize];
                    let count = (n * (lambda * pm + (1.0 - lambda) * pu)).round() as u64;
                    patterns.push(([Some(a), Some(b), Some(c), None, None], count));
                }
            }
        }
        let start = vec![vec![0.6, 0.4], vec![0.6, 0.4], vec![0.4, 0.3, 0.3]];
        let fit = em(&patterns, &start, &u, 0.3, 1000);
        assert!(fit.converged);
        assert!(
            (fit.match_share - lambda).abs() < 1e-3,
            "{}",
            fit.match_share
        );
        for (row, want) in fit.m.iter().zip(&m_true) {
            for (got, want) in row.iter().zip(want) {
                assert!((got - want).abs() < 5e-3, "{got} vs {want}");
            }
        }
    }

    #[test]
    fn a_model_round_trips_through_toml() {
        let w = FieldWeights::build(&crate::link::settings::default_weights()).unwrap();
        let model = ModelFile {
            trained_by: "test".into(),
            roster_rows: 1,
            vetting_rows: 1,
            random_pairs: 1,
            blocked_pairs: 1,
            em_iterations: 1,
            em_converged: true,
            match_share: 0.5,
            weights: w.to_raw(),
        };
        let back: ModelFile = toml::from_str(&model.to_toml()).unwrap();
        assert_eq!(back, model);
        assert_eq!(FieldWeights::build(&back.weights).unwrap(), w);
    }
}
