//! The linking policy: the validated `[linking]` settings, which say what a pair's odds
//! must reach to be linked, reviewed or ruled out, and which weights score it.

use super::settings::{self, RawLinking};
use super::train;
use super::weights::{self, FieldWeights};
use crate::normalise::Nicknames;

/// How the linking policy reads a file its settings name (nickname list, trained model):
/// from disk for a run, from the store for a replay.
pub type ReadFile<'a> = dyn Fn(&std::path::Path) -> Result<Vec<u8>, String> + 'a;

/// Validated linking settings.
#[derive(Debug, Clone)]
pub struct LinkPolicy {
    /// A best candidate at or above this probability links automatically.
    pub auto_link_probability: f64,
    /// A best candidate at or above this posterior (and below auto) goes to human review.
    pub review_probability: f64,
    /// A record whose posterior of "not on the roster" reaches this is no match.
    pub no_match_probability: f64,
    /// Bits by which the best candidate must beat the runner-up to be chosen at all.
    pub ambiguity_margin: f64,
    /// Expected share of vetting records that belong to someone on the roster (sets the prior).
    pub expected_match_share: f64,
    /// Jaro-Winkler similarity at or above which two names count as "close".
    pub close_similarity: f64,
    /// Adjust exact name agreement for how common the name is.
    pub term_frequency: bool,
    /// Floor on a term frequency (a name seen once counts as this share).
    pub tf_minimum_u: f64,
    /// Links at or above this probability teach their person other names (`collective`).
    pub history_probability: f64,
    pub nicknames: Nicknames,
    pub weights: FieldWeights,
    /// Where the weights came from: "config" or the trained model's path.
    pub weights_source: String,
    /// Estimate the date-of-birth levels' u from the night's dates (`dates`).
    pub date_of_birth_u_from_data: bool,
    /// Levels the weights table lacked and took from the built-in table (`ADDED_LATER`).
    pub filled_levels: Vec<String>,
    /// Estimate m from tonight's records by EM before linking them (`learn`).
    pub learn_m: bool,
    /// Correct each pattern's evidence for look-alikes measured on the roster (`lookalike`).
    pub lookalikes: bool,
}

fn check_probability(key: &str, p: f64) -> Result<(), String> {
    if !(p > 0.0 && p < 1.0) {
        return Err(format!(
            "linking.{key} must be strictly between 0 and 1, got {p}"
        ));
    }
    Ok(())
}

impl LinkPolicy {
    /// Build, reading any file the settings name straight from disk (tests only: a run reads
    /// through `config`'s bounded reader, a replay through the store).
    #[cfg(test)]
    pub fn build(raw: &RawLinking) -> Result<LinkPolicy, String> {
        LinkPolicy::build_with(raw, &|p| std::fs::read(p).map_err(|e| e.to_string()))
    }

    /// Build, reading the files the settings name (nickname list, trained model) through
    /// `read`: from disk for a run, from the store for a replay.
    pub fn build_with(raw: &RawLinking, read: &ReadFile<'_>) -> Result<LinkPolicy, String> {
        check_probability("auto_link_probability", raw.auto_link_probability)?;
        check_probability("review_probability", raw.review_probability)?;
        if !(raw.no_match_probability > 0.0 && raw.no_match_probability <= 1.0) {
            return Err(format!(
                "linking.no_match_probability must be in (0, 1], got {}",
                raw.no_match_probability
            ));
        }
        check_probability("expected_match_share", raw.expected_match_share)?;
        if !(raw.history_probability > 0.0 && raw.history_probability <= 1.0) {
            return Err(format!(
                "linking.history_probability must be in (0, 1] (1 turns learning off), got {}",
                raw.history_probability
            ));
        }
        if raw.review_probability >= raw.auto_link_probability {
            return Err(format!(
                "linking.review_probability ({}) must be below linking.auto_link_probability ({})",
                raw.review_probability, raw.auto_link_probability
            ));
        }
        if !(raw.ambiguity_margin >= 0.0 && raw.ambiguity_margin.is_finite()) {
            return Err("linking.ambiguity_margin must be a non-negative number of bits".into());
        }
        if !(raw.close_similarity > 0.0 && raw.close_similarity <= 1.0) {
            return Err("linking.close_similarity must be in (0, 1]".into());
        }
        let nicknames = match &raw.nicknames {
            None => Nicknames::builtin(),
            Some(path) => {
                let bytes = read(path).map_err(|e| {
                    format!("linking.nicknames: cannot read {}: {e}", path.display())
                })?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| format!("linking.nicknames: {} is not UTF-8", path.display()))?;
                Nicknames::parse(&text)
                    .map_err(|e| format!("linking.nicknames: {}: {e}", path.display()))?
            }
        };
        if !(raw.tf_minimum_u >= weights::MIN_PROBABILITY && raw.tf_minimum_u < 1.0) {
            return Err(format!(
                "linking.tf_minimum_u must be at least {:e} and below 1, got {:e} (it is the smallest u an exact name agreement is weighed with)",
                weights::MIN_PROBABILITY,
                raw.tf_minimum_u
            ));
        }
        let defaults = settings::default_weights();
        let (weights, weights_source, filled_levels) = match &raw.model {
            None => {
                let (w, filled) = FieldWeights::build_filling(&raw.weights, &defaults)?;
                (w, "config".to_string(), filled)
            }
            Some(path) => {
                let bytes = read(path)
                    .map_err(|e| format!("linking.model: cannot read {}: {e}", path.display()))?;
                let model = train::ModelFile::parse(&bytes, path)?;
                let (w, filled) = FieldWeights::build_filling(&model.weights, &defaults)
                    .map_err(|e| format!("linking.model {}: {e}", path.display()))?;
                (w, path.display().to_string(), filled)
            }
        };
        Ok(LinkPolicy {
            auto_link_probability: raw.auto_link_probability,
            review_probability: raw.review_probability,
            no_match_probability: raw.no_match_probability,
            ambiguity_margin: raw.ambiguity_margin,
            expected_match_share: raw.expected_match_share,
            close_similarity: raw.close_similarity,
            term_frequency: raw.term_frequency,
            tf_minimum_u: raw.tf_minimum_u,
            history_probability: raw.history_probability,
            nicknames,
            weights,
            weights_source,
            date_of_birth_u_from_data: raw.date_of_birth_u_from_data,
            filled_levels,
            learn_m: raw.learn_m,
            lookalikes: raw.lookalikes,
        })
    }

    /// Prior match weight of one random pair: log2 of the odds that a random
    /// (person, vetting record) pair is a true match.
    pub fn prior_weight(&self, roster_size: usize) -> f64 {
        let lambda = (self.expected_match_share / roster_size.max(1) as f64).min(0.999_999);
        (lambda / (1.0 - lambda)).log2()
    }
}
