//! Score: turn a candidate pair into a match weight, skipping pairs that cannot matter.
//!
//! The weight is the prior (log2 odds that a random pair matches) plus the evidence of each
//! field (log2 m/u; term-frequency adjusted for exact names). A pair whose best possible
//! weight is below the floor can never be linked, reviewed or make another candidate
//! ambiguous, whatever tonight's match share turns out to be (see `Scorer::new`), so scoring
//! stops as soon as an upper bound proves that: cheap fields (date of birth, NI, employee
//! id) first, then the forename, then the surname. The bound is exact, so pruning never
//! changes a decision. A pruned pair still counts in its record's posterior: `score` hands
//! back the bound it proved, and `assign` adds 2^bound to the mass of "someone else",
//! never more than blocking found and never less than the pair could be worth.

use super::compare::{
    other_forename, previous, Cache, Comparer, EmployeeIdLevel, ForenameLevel, PairLevels,
    SurnameLevel,
};
use super::odds::{probability, MAX_MATCH_SHARE};
use super::prepare::{Hot, Names, Rec, MIDDLE, NONE, PARTS, PREVIOUS};
use super::weights::{FieldWeights, DOB, EMPLOYEE_ID, FIELDS, FORENAMES, NI, SURNAME};
use super::LinkPolicy;
use crate::model::Person;

/// One field's contribution to a pair's weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub field: &'static str,
    /// Level name, or "missing" when either side has no value.
    pub level: &'static str,
    pub bits: f64,
    /// The term frequency used instead of u, when the level was term-frequency adjusted.
    pub term_frequency: Option<f64>,
}

/// A pair's full breakdown, for `vetrecon explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub prior: f64,
    /// Bits taken off for look-alikes of this pattern seen on the roster (`lookalike`).
    pub lookalike: f64,
    pub fields: Vec<Evidence>,
    pub weight: f64,
    pub probability: f64,
    pub levels: PairLevels,
}

/// What scoring one pair gave: the candidate, or the proven upper bound on the weight of a
/// pair that cannot matter (its exact weight when it was scored in full and fell short).
#[derive(Debug, Clone, PartialEq)]
pub enum Scored {
    Kept(Candidate),
    Pruned(f64),
}

/// One scored (person, vetting record) pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index of the person in the roster.
    pub person: u32,
    /// Pairwise match weight in bits, prior included: the evidence of this pair alone.
    pub weight: f64,
    /// After `decide`: the posterior that the record belongs to this person, weighed
    /// against every other candidate and "not on the roster". Straight from scoring (before
    /// `decide`), the pairwise probability 2^w / (1 + 2^w).
    pub probability: f64,
    pub levels: PairLevels,
    /// Scored in the second pass: against the roster the first pass widened, with the m
    /// learnt after widening (`Engine::link`). Its fields are explained by that model.
    pub second_pass: bool,
}

impl Candidate {
    /// The roster person this candidate is; `persons` must be the roster that was linked.
    #[allow(
        clippy::indexing_slicing,
        reason = "blocking draws candidates only from positions in the roster it indexed"
    )]
    pub fn person_in<'a>(&self, persons: &'a [Person]) -> &'a Person {
        &persons[self.person as usize]
    }
}

pub struct Scorer {
    pub prior: f64,
    /// Weight below which a pair can never be a contender (see `Scorer::new`).
    floor: f64,
    close: f64,
    weights: FieldWeights,
    /// Exact-agreement bits per surname / forename id (term-frequency adjusted or not).
    surname_exact: Vec<f64>,
    forename_exact: Vec<f64>,
    /// `Full` agreement bits per whole forename sequence (`Names::full_id`).
    forename_full: Vec<f64>,
    /// Bits of a one-slip (`Typo`) agreement per surname / forename id: the level's own
    /// bits, less as much as the name is commoner than the level's average (see `typo_bits`).
    surname_typo: Vec<f64>,
    forename_typo: Vec<f64>,
    /// The same correction for names found exchanged (`Swapped`).
    surname_swapped: Vec<f64>,
    forename_swapped: Vec<f64>,
    /// Exact-agreement bits per employee id (term-frequency adjusted or not).
    employee_id_exact: Vec<f64>,
    /// The best evidence any level other than exact can give.
    max_surname_inexact: f64,
    /// The same, for records with no previous surname and no surname parts (no `previous`
    /// or `part` level possible).
    max_surname_simple: f64,
    max_forename_inexact: f64,
    tf: bool,
    /// Bits taken off each names-and-date pattern for look-alikes (`lookalike`); empty
    /// when not measured.
    lookalike: Vec<f64>,
    /// This scorer is the second pass's (`Engine::link`): its candidates say so.
    pub second_pass: bool,
}

fn max(xs: impl Iterator<Item = f64>) -> f64 {
    xs.fold(f64::NEG_INFINITY, f64::max)
}

impl Scorer {
    #[allow(
        clippy::indexing_slicing,
        reason = "`FIELDS` is a const table indexed by the field constants; name ids are interner positions and person positions the roster's (both from `prepare`), and the exact-weight tables are sized to the vocabulary"
    )]
    /// `w` is the policy's weights, with any of tonight's estimates in (`dates`).
    pub fn new(policy: &LinkPolicy, w: FieldWeights, names: &Names, roster_size: usize) -> Scorer {
        let tf = policy.term_frequency;
        let exact = |field: usize, share: f64| {
            if tf {
                w.exact_bits_tf(field, share, policy.tf_minimum_u)
            } else {
                w.get(field, 0)
            }
        };
        let surname_exact: Vec<f64> = (0..names.surnames.len() as u32)
            .map(|i| exact(SURNAME, names.surname_tf(i)))
            .collect();
        let forename_exact: Vec<f64> = (0..names.forenames.len() as u32)
            .map(|i| exact(FORENAMES, names.forename_tf(i)))
            .collect();
        // Agreement on the whole sequence: log2(m / tf) with m the `full` level's and tf
        // the sequence's share, as for exact agreement on one name; never less than the
        // first forename's exact bits, since agreeing on every name includes agreeing on
        // the first. (For a rare first name, nearly always given with the same middle
        // name, the two shares are close and m_full / tf alone would come out below
        // m_exact / tf_first, ranking a namesake without the middle name first.)
        let full = ForenameLevel::Full as usize;
        let forename_full: Vec<f64> = (0..names.full_counts.len() as u32)
            .map(|i| {
                let whole = if tf {
                    (w.m[FORENAMES][full] / names.full_tf(i).max(policy.tf_minimum_u)).log2()
                } else {
                    w.get(FORENAMES, full)
                };
                let first = names
                    .full_first
                    .get(i as usize)
                    .and_then(|&f| forename_exact.get(f as usize))
                    .copied()
                    .unwrap_or(f64::NEG_INFINITY);
                whole.max(first)
            })
            .collect();
        // A slip away from a common name is a likelier chance agreement than a slip away
        // from a rare one ("Smoth" is one edit from a great many Smiths). So a one-slip
        // level takes the same term-frequency correction as exact agreement, log2(u / tf)
        // with u the level table's exact u, but only downwards: a rare name never makes a
        // slip worth more than the table says, so the pruning bounds stay what they were.
        let typo_bits = |field: usize, level: usize, share: f64| {
            let base = w.get(field, level);
            if tf {
                base + (w.u[field][0] / share.max(policy.tf_minimum_u))
                    .log2()
                    .min(0.0)
            } else {
                base
            }
        };
        let per_surname = |level: SurnameLevel| -> Vec<f64> {
            (0..names.surnames.len() as u32)
                .map(|i| typo_bits(SURNAME, level as usize, names.surname_tf(i)))
                .collect()
        };
        let per_forename = |level: ForenameLevel| -> Vec<f64> {
            (0..names.forenames.len() as u32)
                .map(|i| typo_bits(FORENAMES, level as usize, names.forename_tf(i)))
                .collect()
        };
        let (surname_typo, surname_swapped) = (
            per_surname(SurnameLevel::Typo),
            per_surname(SurnameLevel::Swapped),
        );
        let (forename_typo, forename_swapped) = (
            per_forename(ForenameLevel::Typo),
            per_forename(ForenameLevel::Swapped),
        );
        let employee_id_exact: Vec<f64> = (0..names.employee_id_counts.len() as u32)
            .map(|i| exact(EMPLOYEE_ID, names.employee_id_tf(i)))
            .collect();
        // `Full` needs the first forenames equal, so it never bounds an inexact pair.
        let inexact_max = |field: usize| {
            max((1..FIELDS[field].1.len())
                .filter(|&l| field != FORENAMES || l != full)
                .map(|l| w.get(field, l)))
        };
        // A candidate's posterior is at most r * 2^e / (1 + r * 2^e), with e its evidence
        // (weight minus prior) and r = share / ((1 - share) * n) the posterior's prior odds
        // (`odds::prior_odds`). It is a contender (reviewed, linked, or making the best
        // ambiguous) only from review_probability / 2^margin up (`assign::decide`). So a
        // pair whose evidence stays below logit2(that) - log2(r) at the highest share the
        // estimate may take cannot matter on any night, and is pruned.
        let contention = policy.review_probability * (-policy.ambiguity_margin).exp2();
        let prior = policy.prior_weight(roster_size);
        let log2_r_max = super::odds::prior_odds(MAX_MATCH_SHARE, roster_size).log2();
        Scorer {
            prior,
            floor: prior + (contention / (1.0 - contention)).log2() - log2_r_max - 1e-9,
            close: policy.close_similarity,
            max_surname_inexact: inexact_max(SURNAME),
            max_surname_simple: max([
                SurnameLevel::Typo,
                SurnameLevel::Close,
                SurnameLevel::Phonetic,
                SurnameLevel::Swapped,
                SurnameLevel::Different,
            ]
            .into_iter()
            .map(|l| w.get(SURNAME, l as usize))),
            max_forename_inexact: inexact_max(FORENAMES),
            surname_exact,
            forename_exact,
            forename_full,
            surname_typo,
            forename_typo,
            surname_swapped,
            forename_swapped,
            employee_id_exact,
            weights: w,
            tf,
            lookalike: Vec::new(),
            second_pass: false,
        }
    }

    /// The weights the scorer reads (the policy's, with tonight's estimates).
    pub fn weights(&self) -> &FieldWeights {
        &self.weights
    }

    /// Take `bits[lookalike::index(levels)]` off every pair's evidence from now on. Never
    /// negative, so every bound this scorer proves stays an upper bound.
    pub fn set_lookalikes(&mut self, bits: Vec<f64>) {
        self.lookalike = bits.into_iter().map(|b| b.max(0.0)).collect();
    }

    /// Bits per pattern taken off for look-alikes (empty when none were measured).
    pub fn lookalikes(&self) -> &[f64] {
        &self.lookalike
    }

    /// The look-alike correction of a pair of these levels (0 when none was measured).
    fn lookalike_bits(&self, l: &PairLevels) -> f64 {
        self.lookalike
            .get(super::lookalike::index(l))
            .copied()
            .unwrap_or(0.0)
    }

    /// Bits for a surname level; `id` is the person's surname (used when exact).
    #[allow(
        clippy::indexing_slicing,
        reason = "`FIELDS` is a const table indexed by the field constants; name ids are interner positions and person positions the roster's (both from `prepare`), and the exact-weight tables are sized to the vocabulary"
    )]
    fn surname_bits(&self, level: SurnameLevel, id: u32) -> f64 {
        match level {
            SurnameLevel::Exact if id != NONE => self.surname_exact[id as usize],
            SurnameLevel::Typo if id != NONE => self.surname_typo[id as usize],
            SurnameLevel::Swapped if id != NONE => self.surname_swapped[id as usize],
            _ => self.weights.get(SURNAME, level as usize),
        }
    }

    /// Bits for a forename level; `id` is the person's first forename (used when exact),
    /// `full` their whole forename sequence (used when `Full`).
    #[allow(
        clippy::indexing_slicing,
        reason = "`FIELDS` is a const table indexed by the field constants; name ids are interner positions and person positions the roster's (both from `prepare`), and the exact-weight tables are sized to the vocabulary"
    )]
    fn forename_bits(&self, level: ForenameLevel, id: u32, full: u32) -> f64 {
        match level {
            ForenameLevel::Full if full != NONE => self.forename_full[full as usize],
            ForenameLevel::Exact if id != NONE => self.forename_exact[id as usize],
            ForenameLevel::Typo if id != NONE => self.forename_typo[id as usize],
            ForenameLevel::Swapped if id != NONE => self.forename_swapped[id as usize],
            _ => self.weights.get(FORENAMES, level as usize),
        }
    }

    /// Bits for an employee id level; `id` is the person's id (used when exact).
    #[allow(
        clippy::indexing_slicing,
        reason = "`FIELDS` is a const table indexed by the field constants; name ids are interner positions and person positions the roster's (both from `prepare`), and the exact-weight tables are sized to the vocabulary"
    )]
    fn employee_id_bits(&self, level: EmployeeIdLevel, id: u32) -> f64 {
        match level {
            EmployeeIdLevel::Exact if id != NONE => self.employee_id_exact[id as usize],
            _ => self.weights.get(EMPLOYEE_ID, level as usize),
        }
    }

    /// Bits from the fields that need no name comparison; `employee_id` is the person's.
    fn cheap_bits(&self, l: &PairLevels, employee_id: u32) -> f64 {
        let mut w = self.weights.get(DOB, l.dob as usize);
        if let Some(n) = l.ni {
            w += self.weights.get(NI, n as usize);
        }
        if let Some(e) = l.employee_id {
            w += self.employee_id_bits(e, employee_id);
        }
        w
    }

    /// Score person `pi` against `rec`; `Pruned` with the bound it proved when the pair
    /// cannot matter.
    /// `people` and `hot` are the roster side (`hot[pi]` is `Hot::of(&people[pi])`);
    /// `rec` and `rec_hot` the vetting record.
    #[allow(clippy::too_many_arguments)]
    #[allow(
        clippy::indexing_slicing,
        reason = "`FIELDS` is a const table indexed by the field constants; name ids are interner positions and person positions the roster's (both from `prepare`), and the exact-weight tables are sized to the vocabulary"
    )]
    pub fn score(
        &self,
        names: &Names,
        pi: u32,
        people: &[Rec],
        hot: &[Hot],
        rec: &Rec,
        rec_hot: &Hot,
        cache: &mut Cache,
    ) -> Scored {
        let h = &hot[pi as usize];
        let some = |x: u32| (x != NONE).then_some(x);
        let mut levels = PairLevels {
            surname: SurnameLevel::Different,
            forenames: ForenameLevel::Different,
            dob: super::compare::dob(h.dob, rec_hot.dob),
            ni: (h.ni != 0 && rec_hot.ni != 0).then(|| super::compare::ni(h.ni, rec_hot.ni)),
            employee_id: super::compare::employee_id(
                some(h.employee_id),
                some(rec_hot.employee_id),
            ),
        };
        let mut weight = self.prior + self.cheap_bits(&levels, h.employee_id);
        let flags = h.flags | rec_hot.flags;
        // Exact agreement is an integer compare and its bits are known; anything else is
        // bounded by the best level the records' shape allows until the names are compared.
        let surname_exact = h.surname != NONE && h.surname == rec_hot.surname;
        let surname_bound = if surname_exact {
            self.surname_exact[h.surname as usize]
        } else if flags & (PREVIOUS | PARTS) != 0 {
            self.max_surname_inexact
        } else {
            self.max_surname_simple
        };
        let full = h.full != NONE && h.full == rec_hot.full;
        let forename_bound = if full {
            self.forename_full[h.full as usize]
        } else if h.forename != NONE && h.forename == rec_hot.forename {
            self.forename_exact[h.forename as usize]
        } else {
            self.max_forename_inexact
        };
        // A pair that agrees exactly on every field both sides hold is never pruned, however
        // little tonight's term frequencies and look-alikes leave it worth: twenty people
        // sharing a record's name and date of birth are each worth little, and the record
        // must be seen to be theirs to choose between (`assign::decide`), not pruned to no one.
        let exact = surname_exact
            && (full || (h.forename != NONE && h.forename == rec_hot.forename))
            && super::compare::agrees_exactly(&PairLevels {
                surname: SurnameLevel::Exact,
                forenames: ForenameLevel::Exact,
                ..levels
            });
        let floor = if exact { f64::NEG_INFINITY } else { self.floor };
        let bound = weight + surname_bound + forename_bound;
        if bound < floor {
            return Scored::Pruned(bound);
        }
        let cmp = Comparer {
            names,
            close: self.close,
        };
        // Forenames first: their vocabulary is small, so the memo stays hot.
        levels.forenames = match (some(h.forename), some(rec_hot.forename)) {
            _ if full => ForenameLevel::Full,
            (Some(fa), Some(fb)) => match cmp.forename_pair(fa, fb, cache) {
                ForenameLevel::Different
                    if flags & MIDDLE != 0
                        && cmp.other_possible(fa, fb)
                        && other_forename(&people[pi as usize], rec) =>
                {
                    ForenameLevel::Other
                }
                level => level,
            },
            _ => ForenameLevel::Different,
        };
        // Names exchanged (`Comparer::crossings`): with both crossings both fields take the
        // `Swapped` level and the surname is not compared; with one, the surname does when
        // it otherwise disagrees. `max_surname_simple` bounds the surname's bits either way.
        let crossings = if levels.forenames == ForenameLevel::Different
            && !surname_exact
            && h.surname != NONE
            && h.forename != NONE
            && rec_hot.surname != NONE
            && rec_hot.forename != NONE
        {
            cmp.crossings_ids(h.surname, h.forename, rec_hot.surname, rec_hot.forename)
        } else {
            0
        };
        if crossings == 2 {
            levels.forenames = ForenameLevel::Swapped;
        }
        weight += self.forename_bits(levels.forenames, h.forename, h.full);
        if weight + surname_bound < floor {
            return Scored::Pruned(weight + surname_bound);
        }
        levels.surname = match (some(h.surname), some(rec_hot.surname)) {
            _ if surname_exact => SurnameLevel::Exact,
            _ if crossings == 2 => SurnameLevel::Swapped,
            (Some(_), Some(_)) if flags & PREVIOUS != 0 && previous(&people[pi as usize], rec) => {
                SurnameLevel::Previous
            }
            (Some(sa), Some(sb)) => match cmp.surname_pair(sa, sb, cache) {
                SurnameLevel::Different if crossings == 1 => SurnameLevel::Swapped,
                level => level,
            },
            _ => SurnameLevel::Different,
        };
        weight += self.surname_bits(levels.surname, h.surname) - self.lookalike_bits(&levels);
        if weight < floor {
            return Scored::Pruned(weight);
        }
        Scored::Kept(Candidate {
            person: pi,
            weight,
            probability: probability(weight),
            levels,
            second_pass: self.second_pass,
        })
    }

    /// Every field of a pair, never pruned.
    pub fn levels(&self, names: &Names, person: &Rec, rec: &Rec, cache: &mut Cache) -> PairLevels {
        Comparer {
            names,
            close: self.close,
        }
        .compare(person, rec, cache)
    }

    pub fn explain(&self, names: &Names, person: &Rec, rec: &Rec) -> Explanation {
        let levels = self.levels(names, person, rec, &mut Cache::default());
        self.explain_levels(names, person, names.full_id(&person.forenames), levels)
    }

    /// The breakdown of a pair whose levels are already known (a scored candidate).
    #[allow(
        clippy::indexing_slicing,
        reason = "`FIELDS` is a const table indexed by the field constants; name ids are interner positions and person positions the roster's (both from `prepare`), and the exact-weight tables are sized to the vocabulary"
    )]
    /// `full` is the person's whole forename sequence (`Names::full_id`, or `Hot::full`).
    pub fn explain_levels(
        &self,
        names: &Names,
        person: &Rec,
        full: Option<u32>,
        levels: PairLevels,
    ) -> Explanation {
        let name = |f: usize, l: usize| FIELDS[f].1[l];
        let tf_of = |exact: bool, share: f64| (self.tf && exact).then_some(share);
        let forename_bits = self.forename_bits(
            levels.forenames,
            person.forename().unwrap_or(NONE),
            full.unwrap_or(NONE),
        );
        // `full` never counts for less than exact agreement on the first forename; when it
        // is held at that floor, the share that priced it is the first forename's.
        let full_floored = person
            .forename()
            .and_then(|f| self.forename_exact.get(f as usize))
            .is_some_and(|&first| first >= forename_bits);
        let mut fields = vec![
            Evidence {
                field: FIELDS[SURNAME].0,
                level: name(SURNAME, levels.surname as usize),
                bits: self.surname_bits(levels.surname, person.surname().unwrap_or(NONE)),
                term_frequency: person.surname().and_then(|s| {
                    tf_of(levels.surname == SurnameLevel::Exact, names.surname_tf(s))
                }),
            },
            Evidence {
                field: FIELDS[FORENAMES].0,
                level: name(FORENAMES, levels.forenames as usize),
                bits: forename_bits,
                term_frequency: match levels.forenames {
                    ForenameLevel::Full if !full_floored => {
                        full.and_then(|f| tf_of(true, names.full_tf(f)))
                    }
                    ForenameLevel::Full => person
                        .forename()
                        .and_then(|f| tf_of(true, names.forename_tf(f))),
                    level => person
                        .forename()
                        .and_then(|f| tf_of(level == ForenameLevel::Exact, names.forename_tf(f))),
                },
            },
            Evidence {
                field: FIELDS[DOB].0,
                level: name(DOB, levels.dob as usize),
                bits: self.weights.get(DOB, levels.dob as usize),
                term_frequency: None,
            },
        ];
        let ni = levels.ni.map(|l| l as usize);
        fields.push(Evidence {
            field: FIELDS[NI].0,
            level: ni.map_or("missing", |l| name(NI, l)),
            bits: ni.map_or(0.0, |l| self.weights.get(NI, l)),
            term_frequency: None,
        });
        let employee_id = person.employee_id.unwrap_or(NONE);
        fields.push(Evidence {
            field: FIELDS[EMPLOYEE_ID].0,
            level: levels
                .employee_id
                .map_or("missing", |l| name(EMPLOYEE_ID, l as usize)),
            bits: levels
                .employee_id
                .map_or(0.0, |l| self.employee_id_bits(l, employee_id)),
            term_frequency: person.employee_id.and_then(|e| {
                tf_of(
                    levels.employee_id == Some(EmployeeIdLevel::Exact),
                    names.employee_id_tf(e),
                )
            }),
        });
        let lookalike = self.lookalike_bits(&levels);
        let weight = self.prior + fields.iter().map(|e| e.bits).sum::<f64>() - lookalike;
        Explanation {
            lookalike,
            prior: self.prior,
            fields,
            weight,
            probability: probability(weight),
            levels,
        }
    }
}
