//! Quality-assurance dip sample: a random handful of recent refusals and of clearances
//! granted despite adverse information, for the vetting manager's routine checks of decision
//! quality (HMICFRS 2022 recommendation 7).
//!
//! Reproducible: the generator is seeded from the run id, and candidates are taken in
//! vetting-reference order, so the same run always draws the same sample and an auditor can
//! re-draw it. A `--rerun` of a night has a new run id and so a new sample.

use crate::assess::Facts;
use crate::model::{VettingRecord, VettingStatus};
use rand::SeedableRng;
use sha2::{Digest, Sha256};

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

pub fn sample(facts: &Facts<'_>, run_id: &str, s: &QaSettings) -> Vec<Pick> {
    let window = super::Window::ending(facts.as_of, s.window_months);
    let seed: [u8; 32] = Sha256::digest(format!("vetrecon qa sample {run_id}").as_bytes()).into();
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
        // `sample` draws distinct positions below `n`, so every `get` finds its record.
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
        let a = sample(&w.facts(), "20261124-01", &s);
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
        assert_eq!(sample(&w.facts(), "20261124-01", &s), a);
        let others: Vec<Vec<Pick>> = (2..6)
            .map(|n| sample(&w.facts(), &format!("20261124-0{n}"), &s))
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
        let a = sample(&w.facts(), "r", &s);
        assert_eq!(a.len(), 10);
        let refs: Vec<&str> = a
            .iter()
            .map(|p| w.vetting[p.record].vetting_ref.as_str())
            .collect();
        let mut sorted = refs.clone();
        sorted.sort();
        assert_eq!(refs, sorted, "listed in reference order");
    }
}
