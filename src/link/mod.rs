//! Link: find which roster person (if any) each vetting record belongs to.
//!
//! The two systems share no key, so linking is probabilistic record linkage in the
//! Fellegi-Sunter style, as the national PND "data wash" does it: `prepare` interns every
//! distinct name once and reduces records to ids, `block` proposes candidate pairs without
//! ever comparing all pairs, `compare` grades each field of a pair into an agreement level,
//! `weights` holds the m/u table, `score` turns levels into a match weight (prior plus
//! log2 Bayes factors, term-frequency adjusted) and `assign` decides per vetting record:
//! auto-link, human review, ambiguous (never guess) or no match. `train` estimates the m/u
//! table from a force's own data.

pub mod assign;
pub mod block;
pub mod collective;
pub mod compare;
pub mod dates;
mod engine;
#[cfg(test)]
mod fuzz;
pub mod learn;
pub mod lookalike;
pub mod odds;
pub mod overrides;
mod policy;
pub mod prepare;
pub mod score;
pub mod settings;
pub mod train;
pub mod weights;

pub use assign::{Decision, LinkOutcome};
pub use engine::{blocked_together, link, Engine, LinkSummary, Model, Scratch};
pub use odds::{probability, Odds};
pub use overrides::Overrides;
pub use policy::{LinkPolicy, ReadFile};
pub use score::Candidate;
pub use settings::{RawLinking, RawMu};
pub use weights::FieldWeights;

/// Counts that show what blocking and scoring did, for the log and `evaluate`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkStats {
    /// Candidate pairs proposed by blocking (after removing duplicates).
    pub pairs: u64,
    /// Pairs that could reach the review threshold and were scored in full.
    pub scored: u64,
    /// Blocking keys skipped because their block exceeded `block::MAX_BLOCK`.
    pub capped_keys: u64,
    /// People whose identity the second pass widened from their linked records.
    pub widened: u64,
    /// Records scored again in the second pass, and those whose decision it changed.
    pub rescored: u64,
    pub relinked: u64,
}

impl std::ops::Add for LinkStats {
    type Output = LinkStats;
    fn add(self, o: LinkStats) -> LinkStats {
        LinkStats {
            pairs: self.pairs + o.pairs,
            scored: self.scored + o.scored,
            capped_keys: self.capped_keys + o.capped_keys,
            widened: self.widened + o.widened,
            rescored: self.rescored + o.rescored,
            relinked: self.relinked + o.relinked,
        }
    }
}

/// The linking result: one outcome per vetting record, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    pub outcomes: Vec<LinkOutcome>,
    pub stats: LinkStats,
    /// One per record when `Engine::keep_detail` is set (the night's), else empty.
    pub detail: Vec<RecordDetail>,
}

/// Every pair of one record that could matter, best first, each with the posterior the
/// decision read, and P(not on the roster): what `vetrecon explain` prints, kept by the
/// night so that explain reads it back instead of linking the force again.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordDetail {
    /// The pairs kept: those with a posterior of at least `keep_detail`.
    pub candidates: Vec<Candidate>,
    /// How many pairs were scored, kept or not.
    pub scored: usize,
    pub none: f64,
    /// Decided in the second pass, by its scorer (`Engine::scorer_of`).
    pub second_pass: bool,
}

/// A hint to the processor to bring `x` into cache; nothing where the hint is unavailable.
#[inline(always)]
pub(crate) fn prefetch<T>(x: Option<&T>) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    if let Some(x) = x {
        // SAFETY: `_mm_prefetch` needs the `sse` target feature, which this block is compiled
        // only with (every x86_64 target has it). A prefetch reads nothing and cannot fault,
        // and the pointer is taken from a live reference.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                (x as *const T).cast::<i8>(),
            )
        };
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = x;
}

#[cfg(test)]
mod tests;
