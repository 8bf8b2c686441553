//! Quality-assurance dip sample: a random handful of recent refusals and of clearances
//! granted despite adverse information, for the vetting manager's routine checks of decision
//! quality (HMICFRS 2022 recommendation 7).
//!
//! Reproducible: the generator is seeded from the run id, and candidates are taken in
//! vetting-reference order, so the same run always draws the same sample and an auditor can
//! re-draw it. A `--rerun` of a night has a new run id and so a new sample.
//!
//! The rule, for each kind in turn (refusals, then adverse grants; one generator for both):
//! 1. Eligible: the records of the kind decided in the window whose decision has no QA
//!    verdict in force (a decision already reviewed is not drawn again), in reference order.
//!    The sample size is the configured one, or every eligible record if fewer.
//! 2. When no eligible record has an adverse category (the export has no `adverse_category`
//!    column, or it is blank on all of them), the sample is a uniform draw of that many
//!    positions: exactly the draw made before categories were read.
//! 3. Otherwise each category present is drawn at least once, as far as the size allows:
//!    the categories (in name order) are all covered when there are no more of them than the
//!    size, else a uniform draw of `size` of them is. For each covered category in name order,
//!    one of its records is drawn uniformly. The rest of the sample is a uniform draw from the
//!    eligible records not yet picked (categorised or not), in reference order.
//!
//! The picks are listed in reference order.

use crate::assess::Facts;
use crate::model::{VettingRecord, VettingStatus};
use rand::SeedableRng;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct QaSettings {
    pub window_months: u32,
    pub refusals: usize,
    pub adverse_grants: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Refusal,
    AdverseGrant,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Refusal => "refusal",
            Kind::AdverseGrant => "granted_with_adverse_info",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub kind: Kind,
    /// Index of the vetting record.
    pub record: usize,
    /// How many records of this kind were eligible.
    pub out_of: usize,
}

fn kind(v: &VettingRecord, window: super::Window) -> Option<Kind> {
    let d = v.decision_date?;
    if !window.contains(d) {
        return None;
    }
    match v.status {
        VettingStatus::Refused => Some(Kind::Refusal),
        VettingStatus::Granted | VettingStatus::Lapsed | VettingStatus::Suspended
            if v.adverse_info == Some(true) =>
        {
            Some(Kind::AdverseGrant)
        }
        _ => None,
    }
}

/// Draw the night's sample. `reviewed` says whether a record's decision already has a QA
/// verdict in force; such a decision is not drawn again.
pub fn sample(
    facts: &Facts<'_>,
    run_id: &str,
    s: &QaSettings,
    reviewed: &dyn Fn(&VettingRecord) -> bool,
) -> Vec<Pick> {
    let window = super::Window::ending(facts.as_of, s.window_months);
    let seed: [u8; 32] = Sha256::digest(format!("vetrecon qa sample {run_id}").as_bytes()).into();
    let mut rng = rand_chacha::ChaCha8Rng::from_seed(seed);
    let mut out = Vec::new();
    for (k, size) in [
        (Kind::Refusal, s.refusals),
        (Kind::AdverseGrant, s.adverse_grants),
    ] {
        let mut eligible: Vec<(usize, &VettingRecord)> = (facts.vetting.iter().enumerate())
            .filter(|(_, v)| kind(v, window) == Some(k) && !reviewed(v))
            .collect();
        eligible.sort_by(|a, b| a.1.vetting_ref.cmp(&b.1.vetting_ref));
        let n = eligible.len();
        let mut chosen: Vec<(usize, &VettingRecord)> = draw(&mut rng, &eligible, size)
            .into_iter()
            .filter_map(|i| eligible.get(i).copied())
            .collect();
        chosen.sort_by(|a, b| a.1.vetting_ref.cmp(&b.1.vetting_ref));
        out.extend(chosen.into_iter().map(|(record, _)| Pick {
            kind: k,
            record,
            out_of: n,
        }));
    }
    out
}

fn category(v: &VettingRecord) -> Option<&str> {
    v.casework
        .as_ref()
        .and_then(|c| c.adverse_category.as_deref())
        .filter(|c| !c.is_empty())
}

/// Positions in `eligible` (in reference order) of a sample of up to `size`, by the rule in
/// the module doc. `index::sample` draws distinct positions below its bound, so every
/// position drawn is inside the list it was drawn from.
fn draw(
    rng: &mut rand_chacha::ChaCha8Rng,
    eligible: &[(usize, &VettingRecord)],
    size: usize,
) -> Vec<usize> {
    use rand::seq::index;
    let n = eligible.len();
    let k = size.min(n);
    // Each category with the positions of its records, in name order.
    let mut by_category: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (_, v)) in eligible.iter().enumerate() {
        if let Some(c) = category(v) {
            by_category.entry(c).or_default().push(i);
        }
    }
    if by_category.is_empty() {
        return index::sample(rng, n, k).into_vec();
    }
    let categories: Vec<&Vec<usize>> = by_category.values().collect();
    let covered: Vec<usize> = if categories.len() <= k {
        (0..categories.len()).collect()
    } else {
        let mut some = index::sample(rng, categories.len(), k).into_vec();
        some.sort_unstable();
        some
    };
    let mut picked: Vec<usize> = Vec::with_capacity(k);
    for c in covered {
        if let Some(members) = categories.get(c) {
            let at = index::sample(rng, members.len(), 1).index(0);
            picked.extend(members.get(at).copied());
        }
    }
    let mut taken = vec![false; n];
    for &i in &picked {
        if let Some(t) = taken.get_mut(i) {
            *t = true;
        }
    }
    let rest: Vec<usize> = (0..n).filter(|&i| taken.get(i) == Some(&false)).collect();
    let more = k.saturating_sub(picked.len()).min(rest.len());
    picked.extend(
        index::sample(rng, rest.len(), more)
            .into_iter()
            .filter_map(|i| rest.get(i).copied()),
    );
    picked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::Decision;
    use crate::testkit::*;

    fn world() -> World {
        let mut w = World::new();
        for i in 0..30 {
            let st = if i % 3 == 0 {
                VettingStatus::Refused
            } else {
                VettingStatus::Granted
            };
            let r = w.record(None, Decision::NoMatch, "RV", st, "2030-01-01");
            w.vetting[r].decision_date = Some(d("2026-03-01"));
            w.vetting[r].adverse_info = Some(i % 2 == 1);
        }
        // Outside the window (the day before its first day): never sampled.
        let r = w.record(
            None,
            Decision::NoMatch,
            "RV",
            VettingStatus::Refused,
            "2030-01-01",
        );
        w.vetting[r].decision_date = Some(d("2025-11-23"));
        w
    }

    #[test]
    fn draws_the_configured_sizes_from_the_right_records_reproducibly() {
        let w = world();
        let s = QaSettings {
            window_months: 12,
            refusals: 4,
            adverse_grants: 3,
        };
        let a = sample(&w.facts(), "20261124-01", &s, &|_| false);
        // 10 refusals (i % 3 == 0); adverse grants: odd i not divisible by 3 = 10.
        let refusals: Vec<&Pick> = a.iter().filter(|p| p.kind == Kind::Refusal).collect();
        let adverse: Vec<&Pick> = a.iter().filter(|p| p.kind == Kind::AdverseGrant).collect();
        assert_eq!((refusals.len(), adverse.len()), (4, 3));
        assert!(refusals.iter().all(|p| p.out_of == 10
            && w.vetting[p.record].status == VettingStatus::Refused
            && p.record != 30));
        assert!(adverse.iter().all(|p| p.out_of == 10
            && w.vetting[p.record].adverse_info == Some(true)
            && w.vetting[p.record].status == VettingStatus::Granted));
        // Same run id, same sample; another run id, (almost surely) another sample.
        assert_eq!(sample(&w.facts(), "20261124-01", &s, &|_| false), a);
        let others: Vec<Vec<Pick>> = (2..6)
            .map(|n| sample(&w.facts(), &format!("20261124-0{n}"), &s, &|_| false))
            .collect();
        assert!(others.iter().any(|o| *o != a));
    }

    #[test]
    fn asks_for_more_than_there_are_gives_them_all() {
        let w = world();
        let s = QaSettings {
            window_months: 12,
            refusals: 100,
            adverse_grants: 0,
        };
        let a = sample(&w.facts(), "r", &s, &|_| false);
        assert_eq!(a.len(), 10);
        let refs: Vec<&str> = a
            .iter()
            .map(|p| w.vetting[p.record].vetting_ref.as_str())
            .collect();
        let mut sorted = refs.clone();
        sorted.sort();
        assert_eq!(refs, sorted, "listed in reference order");
    }

    /// The draw before reviewed decisions and categories were read, as it was written: a
    /// night with neither must draw exactly this.
    fn draw_as_before(w: &World, run_id: &str, s: &QaSettings) -> Vec<Pick> {
        let facts = w.facts();
        let window = crate::analyse::Window::ending(facts.as_of, s.window_months);
        let seed: [u8; 32] =
            Sha256::digest(format!("vetrecon qa sample {run_id}").as_bytes()).into();
        let mut rng = rand_chacha::ChaCha8Rng::from_seed(seed);
        let mut out = Vec::new();
        for (k, size) in [
            (Kind::Refusal, s.refusals),
            (Kind::AdverseGrant, s.adverse_grants),
        ] {
            let mut eligible: Vec<(usize, &VettingRecord)> = (facts.vetting.iter().enumerate())
                .filter(|(_, v)| kind(v, window) == Some(k))
                .collect();
            eligible.sort_by(|a, b| a.1.vetting_ref.cmp(&b.1.vetting_ref));
            let n = eligible.len();
            let mut chosen: Vec<(usize, &VettingRecord)> =
                rand::seq::index::sample(&mut rng, n, size.min(n))
                    .into_iter()
                    .filter_map(|i| eligible.get(i).copied())
                    .collect();
            chosen.sort_by(|a, b| a.1.vetting_ref.cmp(&b.1.vetting_ref));
            out.extend(chosen.into_iter().map(|(record, _)| Pick {
                kind: k,
                record,
                out_of: n,
            }));
        }
        out
    }

    #[test]
    fn without_verdicts_or_categories_the_draw_is_the_one_made_before() {
        let w = world();
        for (refusals, adverse_grants) in [(4, 3), (1, 1), (10, 10), (0, 5)] {
            let s = QaSettings {
                window_months: 12,
                refusals,
                adverse_grants,
            };
            for n in 1..8 {
                let run = format!("20261124-0{n}");
                assert_eq!(
                    sample(&w.facts(), &run, &s, &|_| false),
                    draw_as_before(&w, &run, &s),
                    "{run} {refusals}/{adverse_grants}"
                );
            }
        }
    }

    #[test]
    fn a_reviewed_decision_is_not_drawn_again() {
        let w = world();
        let s = QaSettings {
            window_months: 12,
            refusals: 100,
            adverse_grants: 100,
        };
        // The refusals are i = 0, 3, ..., 27 (records 0..30 in order); three of them reviewed.
        let reviewed_refs: Vec<String> = [0usize, 9, 27]
            .iter()
            .map(|&i| w.vetting[i].vetting_ref.clone())
            .collect();
        let reviewed = |v: &VettingRecord| reviewed_refs.contains(&v.vetting_ref);
        let a = sample(&w.facts(), "20261125-01", &s, &reviewed);
        let refusals: Vec<usize> = (a.iter())
            .filter(|p| p.kind == Kind::Refusal)
            .map(|p| p.record)
            .collect();
        // Every refusal not reviewed, and only those: 10 - 3.
        let mut want: Vec<usize> = (0..30)
            .filter(|i| i % 3 == 0 && ![0, 9, 27].contains(i))
            .collect();
        want.sort_by(|a, b| w.vetting[*a].vetting_ref.cmp(&w.vetting[*b].vetting_ref));
        assert_eq!(refusals, want);
        assert!(a
            .iter()
            .filter(|p| p.kind == Kind::Refusal)
            .all(|p| p.out_of == 7));
        // With a smaller size, over many runs, a reviewed one is never drawn.
        let s = QaSettings { refusals: 3, ..s };
        for n in 0..40 {
            let a = sample(&w.facts(), &format!("run-{n}"), &s, &reviewed);
            assert!(a.iter().all(|p| !reviewed(&w.vetting[p.record])));
            assert_eq!(a.iter().filter(|p| p.kind == Kind::Refusal).count(), 3);
        }
    }

    /// Twelve refusals in the window: six `criminal_record`, one `finance`, one
    /// `associations`, four with no category. Returns the world and each record's category.
    fn categorised() -> (World, Vec<Option<&'static str>>) {
        let mut w = World::new();
        let cats: Vec<Option<&'static str>> = [
            ["criminal_record"; 6].map(Some).to_vec(),
            vec![Some("finance"), Some("associations")],
            vec![None; 4],
        ]
        .concat();
        for c in &cats {
            let r = w.record(
                None,
                Decision::NoMatch,
                "RV",
                VettingStatus::Refused,
                "2030-01-01",
            );
            w.vetting[r].decision_date = Some(d("2026-03-01"));
            w.vetting[r].casework = c.map(|c| {
                Box::new(crate::model::casework::Casework {
                    adverse_category: Some(c.into()),
                    ..Default::default()
                })
            });
        }
        (w, cats)
    }

    fn categories_drawn(a: &[Pick], cats: &[Option<&'static str>]) -> Vec<Option<&'static str>> {
        let mut got: Vec<Option<&str>> = a.iter().map(|p| cats[p.record]).collect();
        got.sort();
        got
    }

    #[test]
    fn each_adverse_category_present_is_drawn_at_least_once_within_the_size() {
        let (w, cats) = categorised();
        let size = |refusals| QaSettings {
            window_months: 12,
            refusals,
            adverse_grants: 0,
        };
        for n in 0..40 {
            let run = format!("run-{n}");
            // Size 3, three categories: one of each, and so none uncategorised.
            let a = sample(&w.facts(), &run, &size(3), &|_| false);
            assert_eq!(
                categories_drawn(&a, &cats),
                [
                    Some("associations"),
                    Some("criminal_record"),
                    Some("finance")
                ],
                "{run}"
            );
            // Size 2, three categories: two different ones.
            let a = sample(&w.facts(), &run, &size(2), &|_| false);
            let got = categories_drawn(&a, &cats);
            assert_eq!(got.len(), 2);
            assert!(
                got[0] != got[1] && got.iter().all(Option::is_some),
                "{run}: {got:?}"
            );
            // Size 6: the three categories, then three more from the other nine records.
            let a = sample(&w.facts(), &run, &size(6), &|_| false);
            let got = categories_drawn(&a, &cats);
            assert_eq!(a.len(), 6);
            for c in ["associations", "criminal_record", "finance"] {
                assert!(got.contains(&Some(c)), "{run}: {got:?}");
            }
            let mut records: Vec<usize> = a.iter().map(|p| p.record).collect();
            records.dedup();
            assert_eq!(records.len(), 6, "no record twice");
            assert!(a.iter().all(|p| p.out_of == 12));
        }
        // The sample still varies with the run id.
        let draws: std::collections::BTreeSet<Vec<usize>> = (0..20)
            .map(|n| {
                sample(&w.facts(), &format!("run-{n}"), &size(3), &|_| false)
                    .iter()
                    .map(|p| p.record)
                    .collect()
            })
            .collect();
        assert!(draws.len() > 1);
    }

    #[test]
    fn a_category_whose_only_decision_was_reviewed_is_not_present() {
        let (w, cats) = categorised();
        let finance = cats.iter().position(|c| *c == Some("finance")).unwrap();
        let s = QaSettings {
            window_months: 12,
            refusals: 11,
            adverse_grants: 0,
        };
        let a = sample(&w.facts(), "run", &s, &|v| {
            v.vetting_ref == w.vetting[finance].vetting_ref
        });
        assert_eq!(a.len(), 11);
        assert!(a.iter().all(|p| p.record != finance && p.out_of == 11));
    }
}
