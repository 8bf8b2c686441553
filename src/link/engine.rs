//! The engine: one linking job prepared (vocabulary, encoded records, blocking index,
//! scorer), and linked: blocking, scoring, learning tonight's m and look-alikes, the
//! decision per record, the second pass over a widened roster, and explaining a pair.

use super::{
    assign, block, collective, compare, dates, learn, lookalike, odds, prefetch, prepare, score,
    weights, Candidate, Decision, FieldWeights, LinkOutcome, LinkPolicy, LinkStats, Linked, Odds,
    Overrides, RecordDetail,
};
use crate::model::{ExternalRecord, Person, VettingRecord};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A prepared linking job: vocabulary, encoded records, blocking index and scorer. Built
/// once per run; `link`, `explain`, `evaluate` and `train` all read it.
pub struct Engine<'p> {
    pub(super) policy: &'p LinkPolicy,
    pub(super) prepared: prepare::Prepared,
    pub(super) index: block::Index,
    pub(super) scorer: score::Scorer,
    /// Clerical decisions in force (empty unless set).
    pub(super) overrides: Overrides,
    /// What the first pass of `link` taught the roster (empty before `link` runs). From
    /// then on `prepared.people` holds the widened identities.
    pub(super) collective: collective::History,
    /// Blocking index over the widened people only, probed beside `index`.
    widened_index: Option<block::Index>,
    /// Set by `release_blocking`: the indexes are gone, and blocking again is a bug.
    blocking_released: bool,
    /// The share of records that belong to someone on the roster, as the posterior uses it:
    /// `expected_match_share` until `link` estimates tonight's (`odds::estimate_match_share`).
    pub(super) match_share: f64,
    /// Keep each record's scored candidates with a posterior of at least this in
    /// `Linked::detail` (the night stores them for `explain`); `None` by default, as
    /// nothing else reads them. Most scored pairs are hopeless runners-up: at 250,000
    /// people keeping all 2.4 million would cost about 150 MB more.
    pub(super) keep_detail: Option<f64>,
    roster_size: usize,
    /// Tonight's m, when `learn_m` estimated it (`learn`): the first pass's.
    pub(super) learnt: Option<learn::Learnt>,
    /// The m learnt again once the second pass widened the roster (`second_pass`).
    pub(super) learnt_widened: Option<learn::Learnt>,
    /// The records EM read and the table it started from (set by `learn`), to learn again
    /// after the second pass widens the roster.
    learning: Option<(Vec<usize>, FieldWeights)>,
    /// The second pass's weights given by another engine of the night (`with_model`).
    widened_weights: Option<FieldWeights>,
    /// The first pass's scorer, kept once the second pass scores with another
    /// (`scorer_of`).
    first: Option<score::Scorer>,
}

/// What scores a night's pairs, once the vetting engine has learnt and measured it
/// (`Engine::model`, `Engine::with_model`).
#[derive(Debug, Clone)]
pub struct Model {
    pub weights: FieldWeights,
    pub lookalike: Vec<f64>,
    pub learnt: Option<learn::Learnt>,
    /// The second pass's weights and the m learnt for them, when the night learnt again
    /// after widening.
    pub widened: Option<(FieldWeights, learn::Learnt)>,
}

/// One record scored against its blocking candidates, before the decision.
struct ScoredRecord {
    /// The pairs that can matter, in blocking order.
    candidates: Vec<Candidate>,
    /// Sum of 2^bound over the pairs pruned (see `score::Scored`).
    pruned: f64,
    /// Blocking cut a block too large to list (`block::Probe::cut`): people who share a key
    /// with the record were not scored, so it is not linked without a human.
    cut: bool,
}

/// What a linked engine tells the rest of the night: the odds it scored with, what it
/// learnt tonight, and the clerical decisions it applied (`Engine::summary`).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkSummary {
    /// Prior match weight of a random pair (bits).
    pub prior_bits: f64,
    /// The match share the posteriors used: tonight's estimate once linked.
    pub match_share: f64,
    /// Tonight's m per level when learnt (`learn`), else empty: the first pass's.
    pub learnt_m: BTreeMap<String, f64>,
    /// The m the second pass scored with, when learnt again against the widened roster.
    pub learnt_m_widened: BTreeMap<String, f64>,
    /// The look-alike corrections per pattern (`lookalike`), in bits.
    pub lookalike_bits: BTreeMap<String, f64>,
    /// Clerical decisions in force that applied, and of those the ones reopened.
    pub decisions_applied: usize,
    pub decisions_reopened: usize,
}

/// Per-thread scratch space, reused across records.
#[derive(Default)]
pub struct Scratch {
    pub cache: compare::Cache,
    keys: Vec<u64>,
    pub candidates: Vec<u32>,
    widened: Vec<u32>,
}

impl<'p> Engine<'p> {
    /// Prepare linking `vetting` (vetting records, or PND returns) against the roster.
    pub fn new<R: ExternalRecord>(
        policy: &'p LinkPolicy,
        persons: &[Person],
        vetting: &[R],
    ) -> Engine<'p> {
        let prepared = prepare::prepare(persons, vetting, &policy.nicknames);
        let index = block::Index::build(&prepared.names, &prepared.people);
        let mut weights = policy.weights.clone();
        if policy.date_of_birth_u_from_data {
            let table = weights.u.get(weights::DOB).cloned().unwrap_or_default();
            let u = dates::estimate_u(&prepared.people, &prepared.records, &table);
            tracing::debug!(
                one_digit = u
                    .get(compare::DobLevel::OneDigit as usize)
                    .copied()
                    .unwrap_or(0.0),
                year_month = u
                    .get(compare::DobLevel::YearMonth as usize)
                    .copied()
                    .unwrap_or(0.0),
                within_year = u
                    .get(compare::DobLevel::WithinYear as usize)
                    .copied()
                    .unwrap_or(0.0),
                "date-of-birth u from tonight's dates"
            );
            weights = weights.with_u(weights::DOB, u);
        }
        let table = Model {
            weights: weights.clone(),
            lookalike: Vec::new(),
            learnt: None,
            widened: None,
        };
        let mut engine = Engine::assemble(policy, prepared, index, persons.len(), &table);
        // Look-alikes first: the correction does not depend on m (a pattern's observed and
        // expected sums both scale with its m), and EM's E-step must see it, or strangers'
        // look-alikes would be counted as matches and inflate m.
        if policy.lookalikes {
            engine.correct_for_lookalikes(persons);
        }
        if policy.learn_m {
            engine.learn(vetting, weights);
        }
        engine
    }

    /// Prepare linking `records` (PND returns) with the scoring model another engine built
    /// from the night's vetting records (`model`): the same learnt m, u and look-alike
    /// corrections, so a PND return and a vetting record that agree with a person the same
    /// way weigh the same. Nothing is learnt or measured again.
    pub fn with_model<R: ExternalRecord>(
        policy: &'p LinkPolicy,
        persons: &[Person],
        records: &[R],
        model: &Model,
    ) -> Engine<'p> {
        let prepared = prepare::prepare(persons, records, &policy.nicknames);
        let index = block::Index::build(&prepared.names, &prepared.people);
        Engine::assemble(policy, prepared, index, persons.len(), model)
    }

    /// An engine over `prepared` and its `index`, scoring with `model`, nothing decided yet.
    fn assemble(
        policy: &'p LinkPolicy,
        prepared: prepare::Prepared,
        index: block::Index,
        roster_size: usize,
        model: &Model,
    ) -> Engine<'p> {
        let mut scorer =
            score::Scorer::new(policy, model.weights.clone(), &prepared.names, roster_size);
        scorer.set_lookalikes(model.lookalike.clone());
        Engine {
            policy,
            prepared,
            index,
            scorer,
            overrides: Overrides::default(),
            collective: collective::History::default(),
            widened_index: None,
            blocking_released: false,
            match_share: policy.expected_match_share,
            keep_detail: None,
            roster_size,
            learnt: model.learnt.clone(),
            learnt_widened: model.widened.as_ref().map(|(_, l)| l.clone()),
            learning: None,
            widened_weights: model.widened.as_ref().map(|(w, _)| w.clone()),
            first: None,
        }
    }

    /// The scoring model this engine reads (learnt m, u, look-alike corrections), for
    /// another engine of the same night (`with_model`).
    pub fn model(&self) -> Model {
        let first = self.scorer_of(false);
        Model {
            weights: first.weights().clone(),
            lookalike: first.lookalikes().to_vec(),
            learnt: self.learnt.clone(),
            widened: match (&self.first, &self.learnt_widened) {
                (Some(_), Some(l)) => Some((self.scorer.weights().clone(), l.clone())),
                _ => None,
            },
        }
    }

    /// Decide with these clerical decisions in force (none unless set).
    pub fn set_overrides(&mut self, overrides: Overrides) {
        self.overrides = overrides;
    }

    /// Keep each record's scored candidates with a posterior of at least `min` in
    /// `Linked::detail` (`None`, the default, keeps none).
    pub fn set_keep_detail(&mut self, min: Option<f64>) {
        self.keep_detail = min;
    }

    /// The clerical decisions in force, with what linking did with each.
    pub fn overrides(&self) -> &Overrides {
        &self.overrides
    }

    /// What the first pass taught the roster (empty before `link` runs).
    pub fn collective(&self) -> &collective::History {
        &self.collective
    }

    /// How many records the name frequencies count over (roster plus records): a term
    /// frequency is a name's count over this.
    pub fn name_records(&self) -> u32 {
        self.prepared.names.records
    }

    /// The odds this engine scored with, what it learnt, and the decisions it applied.
    pub fn summary(&self) -> LinkSummary {
        let learnt = |learnt: &Option<learn::Learnt>, second_pass: bool| match learnt {
            Some(_) => learn::named(self.scorer_of(second_pass).weights()),
            None => BTreeMap::new(),
        };
        LinkSummary {
            prior_bits: self.scorer.prior,
            match_share: self.match_share,
            learnt_m: learnt(&self.learnt, false),
            learnt_m_widened: learnt(&self.learnt_widened, true),
            lookalike_bits: lookalike::named(self.scorer.lookalikes()),
            decisions_applied: self.overrides.applied,
            decisions_reopened: self.overrides.reopened_count(),
        }
    }

    /// The scorer that scored a candidate of the first pass (`second_pass` false) or the
    /// second: the same one unless the second pass learnt m again.
    pub fn scorer_of(&self, second_pass: bool) -> &score::Scorer {
        match &self.first {
            Some(first) if !second_pass => first,
            _ => &self.scorer,
        }
    }

    /// Measure on the roster how often a stranger finds a look-alike (`lookalike`), and
    /// have the scorer take the excess off each pattern's evidence.
    #[allow(
        clippy::indexing_slicing,
        reason = "person positions range over `prepared.people`, built by `prepare` from `persons`"
    )]
    fn correct_for_lookalikes(&mut self, persons: &[Person]) {
        let total = persons.len();
        let chosen: Vec<u32> = persons
            .iter()
            .enumerate()
            .filter(|(_, p)| learn::sampled(&p.employee_id, total, lookalike::SAMPLE))
            .map(|(i, _)| i as u32)
            .collect();
        let prior = self.scorer.prior;
        let this = &*self;
        let (weights, n, probes) = (self.scorer.weights(), self.roster_size, chosen.len());
        let observed = chosen
            .par_chunks(1_024)
            .map_init(Scratch::default, |scratch, chunk| {
                let mut obs = lookalike::LookalikeMass::new(weights, n, probes);
                let mut out = Vec::new();
                let p = &this.prepared;
                for &pi in chunk {
                    let mut rec = p.people[pi as usize].clone();
                    let ni = rec.ni.take();
                    rec.employee_id = None;
                    this.index.candidates(
                        &p.names,
                        &rec,
                        &mut scratch.keys,
                        &mut scratch.candidates,
                    );
                    out.clear();
                    this.score_into(
                        &rec,
                        &scratch.candidates,
                        &[pi],
                        &mut scratch.cache,
                        &mut out,
                    );
                    obs.add_probe(
                        out.iter()
                            .filter(|c| ni.is_none() || p.people[c.person as usize].ni != ni)
                            .map(|c| (&c.levels, c.weight - prior)),
                    );
                }
                obs
            })
            .reduce(
                || lookalike::LookalikeMass::new(weights, n, probes),
                lookalike::LookalikeMass::merge,
            );
        let bits = lookalike::correction(&observed, self.scorer.weights(), self.roster_size);
        tracing::info!(
            probes = chosen.len(),
            corrected = %lookalike::describe(&bits),
            "look-alikes measured on the roster"
        );
        self.scorer.set_lookalikes(bits);
    }

    /// Estimate tonight's m (`learn`) from a sample of the records scored at the table's,
    /// and rebuild the scorer with it: everything after reads the learnt table.
    fn learn<R: ExternalRecord>(&mut self, vetting: &[R], table: FieldWeights) {
        let total = vetting.len();
        let chosen: Vec<usize> = vetting
            .iter()
            .enumerate()
            .filter(|(_, v)| learn::sampled(v.reference(), total, learn::SAMPLE))
            .map(|(i, _)| i)
            .collect();
        let (learnt, weights) = self.learn_from(&chosen, &table);
        log_learnt(&learnt, "m learnt from tonight's records");
        self.scorer = self.scorer_with(weights);
        self.learnt = Some(learnt);
        self.learning = Some((chosen, table));
    }

    /// A scorer like this engine's (same look-alike corrections) reading `weights`.
    fn scorer_with(&self, weights: FieldWeights) -> score::Scorer {
        let mut scorer =
            score::Scorer::new(self.policy, weights, &self.prepared.names, self.roster_size);
        scorer.set_lookalikes(self.scorer.lookalikes().to_vec());
        scorer
    }

    /// EM over the records `chosen` (positions), scored as the engine scores them now,
    /// from `table`: the m learnt, and the table with it.
    fn learn_from(&self, chosen: &[usize], table: &FieldWeights) -> (learn::Learnt, FieldWeights) {
        let table = table.clone();
        let prior = self.scorer.prior;
        let observed: Vec<learn::Observed> = chosen
            .par_iter()
            .map_init(Scratch::default, |scratch, &vi| {
                let (s, _) = self.score_record(vi, scratch);
                learn::Observed::of(&s.candidates, s.pruned, prior)
            })
            .collect();
        let learnt = learn::em(
            &observed,
            &table,
            self.policy.expected_match_share,
            self.roster_size,
        );
        let weights = learn::apply(&table, &learnt);
        tracing::debug!(table = %learn::describe(&table, &weights), "learnt m against the table's");
        (learnt, weights)
    }

    /// Before the second pass: learn m again over the same sample, now scored against the
    /// widened roster (or take the weights the vetting engine learnt so, `with_model`), and
    /// score the second pass with them. The first pass's m counted every married name the
    /// first pass could not see as `different`; once the people with a linked record in the
    /// other surname have been widened, the records still graded `different` are fewer true
    /// matches among as many strangers, and the first pass's m would overrate them (on a
    /// generated 250,000 force the second pass's `different/exact/exact` records at a
    /// posterior of 0.5-0.99 were right 40% of the time at a mean posterior of 0.67).
    fn learn_again(&mut self) {
        let (weights, learnt) = if let Some(w) = self.widened_weights.clone() {
            (w, self.learnt_widened.clone())
        } else if let Some((chosen, table)) = self.learning.take() {
            let (learnt, weights) = self.learn_from(&chosen, &table);
            log_learnt(&learnt, "m learnt again against the widened roster");
            self.learning = Some((chosen, table));
            (weights, Some(learnt))
        } else {
            return;
        };
        let mut second = self.scorer_with(weights);
        second.second_pass = true;
        self.first = Some(std::mem::replace(&mut self.scorer, second));
        self.learnt_widened = learnt;
    }

    /// Blocking candidates of vetting record `vi`, into `scratch.candidates`.
    #[allow(
        clippy::indexing_slicing,
        reason = "record positions range over `prepared.records` and candidate positions over `prepared.people`, both built by `prepare` from the inputs this engine was given; 'slots` and `is_widened` are sized to them"
    )]
    pub fn block(&self, vi: usize, scratch: &mut Scratch) -> block::Probe {
        assert!(
            !self.blocking_released,
            "blocking after release_blocking: the indexes are gone"
        );
        let (names, rec) = (&self.prepared.names, &self.prepared.records[vi]);
        let mut probe =
            self.index
                .candidates(names, rec, &mut scratch.keys, &mut scratch.candidates);
        self.index.capped_people(&probe, &mut scratch.candidates);
        if let Some(w) = &self.widened_index {
            let wide = w.candidates(names, rec, &mut scratch.keys, &mut scratch.widened);
            w.capped_people(&wide, &mut scratch.widened);
            probe.capped += wide.capped;
            if !probe.cut() && wide.cut() {
                probe.smallest = wide.smallest;
            }
            if !scratch.widened.is_empty() {
                scratch.candidates.extend_from_slice(&scratch.widened);
                scratch.candidates.sort_unstable();
                scratch.candidates.dedup();
            }
        }
        probe
    }

    /// What turns a pair's weight into a posterior, at the engine's `match_share`.
    pub fn odds(&self) -> Odds {
        Odds {
            prior: self.scorer.prior,
            r: odds::prior_odds(self.match_share, self.roster_size),
        }
    }

    /// Block and score record `vi`. A rejected pair is known not to match, so it is not
    /// scored and adds nothing to the record's mass.
    #[allow(
        clippy::indexing_slicing,
        reason = "record positions range over `prepared.records`, built by `prepare` from the inputs this engine was given"
    )]
    fn score_record(&self, vi: usize, scratch: &mut Scratch) -> (ScoredRecord, LinkStats) {
        let probe = self.block(vi, scratch);
        let rec = &self.prepared.records[vi];
        let mut candidates = Vec::new();
        let pruned = self.score_into(
            rec,
            &scratch.candidates,
            self.overrides.rejected(vi),
            &mut scratch.cache,
            &mut candidates,
        );
        let stats = LinkStats {
            pairs: scratch.candidates.len() as u64,
            scored: candidates.len() as u64,
            capped_keys: probe.capped as u64,
            ..LinkStats::default()
        };
        let cut = probe.cut();
        (
            ScoredRecord {
                candidates,
                pruned,
                cut,
            },
            stats,
        )
    }

    /// The posteriors of a record's scored pairs (empty unless `keep_detail`).
    fn detail_of(&self, scored: &ScoredRecord) -> RecordDetail {
        let Some(min) = self.keep_detail else {
            return RecordDetail::default();
        };
        let mut candidates = scored.candidates.clone();
        let none = assign::posteriors(&mut candidates, scored.pruned, &self.odds());
        candidates.retain(|c| c.probability >= min);
        RecordDetail {
            candidates,
            scored: scored.candidates.len(),
            none,
            second_pass: self.scorer.second_pass,
        }
    }

    /// Decide record `vi` from its scoring, at the engine's match share.
    fn finish(&self, vi: usize, scored: ScoredRecord) -> LinkOutcome {
        let odds = self.odds();
        if let Some(pi) = self.overrides.confirmed(vi) {
            let x = self.explain(pi as usize, vi);
            // The posterior the model gives the confirmed pair, for the outputs; the human's
            // word is what links it.
            let mut total = assign::mass(&scored.candidates, scored.pruned, &odds);
            if !scored.candidates.iter().any(|c| c.person == pi) {
                total += odds.ratio(x.weight);
            }
            let confirmed = LinkOutcome {
                decision: Decision::Confirmed,
                candidates: vec![Candidate {
                    person: pi,
                    weight: x.weight,
                    probability: odds.r * odds.ratio(x.weight) / (1.0 + odds.r * total),
                    levels: x.levels,
                    second_pass: self.scorer.second_pass,
                }],
            };
            return confirmed;
        }
        if self.overrides.reopened(vi).is_empty() {
            return unless_cut(
                scored.cut,
                assign::decide(scored.candidates, scored.pruned, &odds, self.policy),
            );
        }
        // The posterior of every scored pair, before `decide` keeps only the contenders: a
        // reopened pair is shown with its own (what `explain` prints), not its pairwise.
        let mut all = scored.candidates.clone();
        assign::posteriors(&mut all, scored.pruned, &odds);
        let total = assign::mass(&scored.candidates, scored.pruned, &odds);
        let cut = scored.cut;
        let outcome = assign::decide(scored.candidates, scored.pruned, &odds, self.policy);
        self.reopen(vi, unless_cut(cut, outcome), &all, total)
    }

    /// A record with a reopened decision (`overrides`) is never linked without a human: a
    /// review or ambiguous outcome stays as it is; any other becomes a review of its own
    /// candidate (if any) and each person a reopened decision named, so the pair the officer
    /// decided is always in front of them again, whatever it scores tonight.
    ///
    /// Each candidate carries its posterior: `scored` holds every scored pair of the record
    /// with its posterior, `total` the record's mass; a person no pair was scored for (pruned
    /// or never blocked) is weighed as the confirmed path weighs one, against that mass.
    fn reopen(
        &self,
        vi: usize,
        outcome: LinkOutcome,
        scored: &[Candidate],
        total: f64,
    ) -> LinkOutcome {
        let reopened = self.overrides.reopened(vi);
        if reopened.is_empty() || matches!(outcome.decision, Decision::Review | Decision::Ambiguous)
        {
            return outcome;
        }
        let odds = self.odds();
        let mut candidates = outcome.candidates;
        for r in reopened {
            if candidates.iter().any(|c| c.person == r.person) {
                continue;
            }
            if let Some(c) = scored.iter().find(|c| c.person == r.person) {
                candidates.push(c.clone());
                continue;
            }
            let x = self.explain(r.person as usize, vi);
            let ratio = odds.ratio(x.weight);
            candidates.push(Candidate {
                person: r.person,
                weight: x.weight,
                probability: odds.r * ratio / (1.0 + odds.r * (total + ratio)),
                levels: x.levels,
                second_pass: self.scorer.second_pass,
            });
        }
        LinkOutcome {
            decision: Decision::Review,
            candidates,
        }
    }

    /// Free the blocking indexes once `link` has decided every record. A night's outputs
    /// read the kept pairs and `explain_candidate`, never blocking, and at 250,000 people
    /// the indexes would otherwise hold about 110 MiB through the render, where the night's
    /// memory peaks. Blocking (`link`, `link_one`, `posteriors`) after this panics.
    pub fn release_blocking(&mut self) {
        self.index = block::Index::default();
        self.widened_index = None;
        self.blocking_released = true;
    }

    /// Link one vetting record, at the engine's match share.
    pub fn link_one(&self, vi: usize, scratch: &mut Scratch) -> (LinkOutcome, LinkStats) {
        let (scored, stats) = self.score_record(vi, scratch);
        (self.finish(vi, scored), stats)
    }

    /// Every pair of record `vi` that can matter, best first, with its posterior at the
    /// engine's match share, and P(not on the roster): for `explain`.
    pub fn posteriors(&self, vi: usize) -> (Vec<Candidate>, f64) {
        let (mut scored, _) = self.score_record(vi, &mut Scratch::default());
        let none = assign::posteriors(&mut scored.candidates, scored.pruned, &self.odds());
        (scored.candidates, none)
    }

    /// Score `rec` against each of `people` but those in `skip`, adding to `out` the pairs
    /// that can matter; returns the sum of 2^bound (evidence, prior removed) over the pairs
    /// pruned, in `people`'s order.
    fn score_into(
        &self,
        rec: &prepare::Rec,
        people: &[u32],
        skip: &[u32],
        cache: &mut compare::Cache,
        out: &mut Vec<Candidate>,
    ) -> f64 {
        let p = &self.prepared;
        let rec_hot = prepare::Hot::of(rec, &p.names);
        let mut pruned = 0.0;
        for (k, &pi) in people.iter().enumerate() {
            // The candidates are known up front, and the first read of each one's packed
            // fields is a cache miss (half of scoring's own time): ask for one a few places
            // ahead while this one is scored.
            if let Some(&ahead) = people.get(k + PREFETCH_AHEAD) {
                prefetch(p.people_hot.get(ahead as usize));
            }
            if skip.contains(&pi) {
                continue;
            }
            match self
                .scorer
                .score(&p.names, pi, &p.people, &p.people_hot, rec, &rec_hot, cache)
            {
                score::Scored::Kept(c) => out.push(c),
                score::Scored::Pruned(bound) => pruned += (bound - self.scorer.prior).exp2(),
            }
        }
        pruned
    }

    /// Decide record `vi` again after the roster was widened: link it from scratch (full
    /// index plus widened index, widened roster) when a widened person is among its
    /// candidates or the second pass scores with m learnt again (`learn_again`), `None`
    /// otherwise. Only a record's own candidates enter its posterior,
    /// so no other record can change. Rescoring the whole record, not only the widened
    /// people, keeps its posterior exact: a widened person's old share of the pruned bound
    /// cannot be taken back out of the sum.
    #[allow(
        clippy::indexing_slicing,
        reason = "record positions range over `prepared.records`, built by `prepare` from the inputs this engine was given"
    )]
    fn relink_one(&self, vi: usize, scratch: &mut Scratch) -> Option<(LinkOutcome, RecordDetail)> {
        let w = self.widened_index.as_ref()?;
        let p = &self.prepared;
        w.candidates(
            &p.names,
            &p.records[vi],
            &mut scratch.keys,
            &mut scratch.widened,
        );
        // Scored with the m learnt after widening, every record the first pass left
        // unlinked is decided again: its first decision read another model.
        if scratch.widened.is_empty() && !self.scorer.second_pass {
            return None;
        }
        let (scored, _) = self.score_record(vi, scratch);
        let detail = self.detail_of(&scored);
        Some((self.finish(vi, scored), detail))
    }

    /// Link every vetting record, in two passes: each record against the roster, then the
    /// records left unlinked again against the roster widened by what the linked records
    /// taught it (`collective`). The result does not depend on thread scheduling.
    /// `on_record` is called once per record of the first pass (for progress display), from
    /// any thread.
    #[allow(
        clippy::indexing_slicing,
        reason = "record positions range over `prepared.records` and candidate positions over `prepared.people`, both built by `prepare` from the inputs this engine was given; 'slots` and `is_widened` are sized to them"
    )]
    pub fn link(&mut self, on_record: &(dyn Fn() + Sync)) -> Linked {
        // Visit records in date-of-birth order: neighbours probe the same date blocks, so the
        // people they score are still in cache (at a million people the roster's hot fields
        // are 32 MB, and scoring in input order was bound by cache misses). Each result is
        // stored at its record's index, so the order cannot change an outcome.
        let records = &self.prepared.records;
        let mut order: Vec<u32> = (0..records.len() as u32).collect();
        order.sort_by_key(|&vi| (records[vi as usize].dob, vi));
        let visited: Vec<(ScoredRecord, LinkStats)> = order
            .par_iter()
            .map_init(Scratch::default, |scratch, &vi| {
                let r = self.score_record(vi as usize, scratch);
                on_record();
                r
            })
            .collect();
        let mut stats = visited.iter().fold(LinkStats::default(), |a, r| a + r.1);
        let mut slots: Vec<Option<ScoredRecord>> = Vec::new();
        slots.resize_with(records.len(), || None);
        for (&vi, (scored, _)) in order.iter().zip(visited) {
            slots[vi as usize] = Some(scored);
        }
        let scored: Vec<ScoredRecord> = slots
            .into_iter()
            .map(|o| o.expect("every record is visited once"))
            .collect();
        // Tonight's match share, from every record's candidates together; the decisions
        // (both passes) read the posterior at it.
        let odds = self.odds();
        let masses: Vec<f64> = scored
            .iter()
            .enumerate()
            .map(|(vi, s)| match self.overrides.confirmed(vi) {
                Some(_) => f64::INFINITY,
                None => assign::mass(&s.candidates, s.pruned, &odds),
            })
            .collect();
        let (share, _) =
            odds::estimate_match_share(&masses, self.roster_size, self.policy.expected_match_share);
        self.match_share = share;
        let this = &*self;
        let (mut outcomes, mut detail): (Vec<LinkOutcome>, Vec<RecordDetail>) = scored
            .into_par_iter()
            .enumerate()
            .map(|(vi, s)| {
                let d = this.detail_of(&s);
                (this.finish(vi, s), d)
            })
            .unzip();
        if self.keep_detail.is_none() {
            detail = Vec::new();
        }
        let second = self.second_pass(&mut outcomes, &mut detail);
        stats = stats + second;
        Linked {
            outcomes,
            stats,
            detail,
        }
    }

    /// Learn from the first pass's strong links, widen the roster, and score again the
    /// records that are not linked and have a widened person among their candidates.
    #[allow(
        clippy::indexing_slicing,
        reason = "record positions range over `prepared.records` and candidate positions over `prepared.people`, both built by `prepare` from the inputs this engine was given; 'slots` and `is_widened` are sized to them"
    )]
    fn second_pass(
        &mut self,
        outcomes: &mut [LinkOutcome],
        detail: &mut [RecordDetail],
    ) -> LinkStats {
        let p = self.policy.history_probability;
        if p >= 1.0 {
            return LinkStats::default();
        }
        let min_weight = (p / (1.0 - p)).log2();
        let learnt = collective::learn(
            &self.prepared.people,
            &self.prepared.records,
            outcomes,
            min_weight,
        );
        if learnt.is_empty() {
            return LinkStats::default();
        }
        let prepared = &mut self.prepared;
        collective::widen(
            &learnt,
            &prepared.names,
            &mut prepared.people,
            &mut prepared.people_hot,
        );
        self.widened_index = Some(block::Index::build_from(
            &prepared.names,
            learnt
                .learnt
                .iter()
                .map(|(pi, _, _)| (*pi, &prepared.people[*pi as usize])),
        ));
        let mut stats = LinkStats {
            widened: learnt.learnt.len() as u64,
            ..LinkStats::default()
        };
        self.collective = learnt;
        self.learn_again();
        let this = &*self;
        let redone: Vec<(usize, (LinkOutcome, RecordDetail))> = outcomes
            .par_iter()
            .enumerate()
            .filter(|(_, o)| o.linked_person().is_none())
            .map_init(Scratch::default, |scratch, (vi, _)| {
                this.relink_one(vi, scratch).map(|o| (vi, o))
            })
            .flatten()
            .collect();
        stats.rescored = redone.len() as u64;
        for (vi, (o, d)) in redone {
            if let Some(slot) = detail.get_mut(vi) {
                *slot = d;
            }
            if outcomes[vi] != o {
                stats.relinked += 1;
                outcomes[vi] = o;
            }
        }
        stats
    }

    /// The breakdown of a scored candidate, from the levels scoring already found.
    #[allow(
        clippy::indexing_slicing,
        reason = "record positions range over `prepared.records` and candidate positions over `prepared.people`, both built by `prepare` from the inputs this engine was given; 'slots` and `is_widened` are sized to them"
    )]
    pub fn explain_candidate(&self, c: &Candidate) -> score::Explanation {
        let full = self.prepared.people_hot[c.person as usize].full;
        self.scorer_of(c.second_pass).explain_levels(
            &self.prepared.names,
            &self.prepared.people[c.person as usize],
            (full != prepare::NONE).then_some(full),
            c.levels,
        )
    }

    /// The full breakdown of one (person, vetting record) pair, linked or not.
    #[allow(
        clippy::indexing_slicing,
        reason = "record positions range over `prepared.records` and candidate positions over `prepared.people`, both built by `prepare` from the inputs this engine was given; 'slots` and `is_widened` are sized to them"
    )]
    pub fn explain(&self, person: usize, record: usize) -> score::Explanation {
        self.explain_as(person, record, self.scorer.second_pass)
    }

    /// `explain` with the first pass's scorer or the second's (`scorer_of`): a record's
    /// pairs are explained by the pass that decided it (`RecordDetail::second_pass`).
    #[allow(
        clippy::indexing_slicing,
        reason = "record positions range over `prepared.records` and candidate positions over `prepared.people`, both built by `prepare` from the inputs this engine was given"
    )]
    pub fn explain_as(
        &self,
        person: usize,
        record: usize,
        second_pass: bool,
    ) -> score::Explanation {
        self.scorer_of(second_pass).explain(
            &self.prepared.names,
            &self.prepared.people[person],
            &self.prepared.records[record],
        )
    }
}

/// `outcome`, but a record whose blocking was cut (`ScoredRecord::cut`) goes to review
/// instead of linking automatically: someone not listed may be as good a match.
fn unless_cut(cut: bool, mut outcome: LinkOutcome) -> LinkOutcome {
    if cut && outcome.decision == Decision::AutoLink {
        outcome.decision = Decision::Review;
    }
    outcome
}

/// How many candidates ahead `score_into` asks for the packed fields.
const PREFETCH_AHEAD: usize = 4;

/// What EM found, for the run log.
fn log_learnt(learnt: &learn::Learnt, what: &str) {
    tracing::info!(
        records = learnt.records,
        iterations = learnt.iterations,
        converged = learnt.converged,
        share = format!("{:.4}", learnt.share),
        "{what}"
    );
}

/// Whether blocking proposes the pair (`person`, `record`): they share a blocking key, so a
/// night scores them (unless a block was too large). A pair that shares none was never
/// scored, and nothing in the names, date of birth or NI number ties them: `decide` wants
/// the officer to say so before confirming it. Blocking alone is run, on a roster of one.
pub fn blocked_together<R: ExternalRecord>(
    policy: &LinkPolicy,
    person: &Person,
    record: &R,
) -> bool {
    let mut alone = policy.clone();
    (
        alone.learn_m,
        alone.lookalikes,
        alone.date_of_birth_u_from_data,
    ) = (false, false, false);
    let engine = Engine::new(
        &alone,
        std::slice::from_ref(person),
        std::slice::from_ref(record),
    );
    let mut scratch = Scratch::default();
    engine.block(0, &mut scratch);
    scratch.candidates.contains(&0)
}

/// Link every vetting record against the roster (see `Engine::link`).
pub fn link(
    policy: &LinkPolicy,
    persons: &[Person],
    vetting: &[VettingRecord],
    on_record: &(dyn Fn() + Sync),
) -> Linked {
    Engine::new(policy, persons, vetting).link(on_record)
}
