//! The `[linking]` section of the config exactly as written: serde structs with
//! `deny_unknown_fields`, and the default m/u table. `LinkPolicy::build_with` validates it.
//!
//! It lives in the link stage, not in `config`, so that linking owns its own settings and
//! `config` (which composes every section) depends on link, never the reverse.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// m and u probabilities of one comparison level (Fellegi-Sunter).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawMu {
    pub m: f64,
    pub u: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawLinking {
    pub auto_link_probability: f64,
    pub review_probability: f64,
    pub no_match_probability: f64,
    pub ambiguity_margin: f64,
    pub expected_match_share: f64,
    pub close_similarity: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nicknames: Option<PathBuf>,
    pub term_frequency: bool,
    pub tf_minimum_u: f64,
    pub history_probability: f64,
    /// Estimate the date-of-birth levels' u from tonight's dates (random pairs) instead of
    /// taking the table's.
    pub date_of_birth_u_from_data: bool,
    /// Estimate m from tonight's records by EM before linking them (`learn`).
    pub learn_m: bool,
    /// Correct each pattern's evidence for the look-alikes the roster shows (`lookalike`).
    pub lookalikes: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<PathBuf>,
    pub weights: BTreeMap<String, BTreeMap<String, RawMu>>,
}

fn mu(m: f64, u: f64) -> RawMu {
    RawMu { m, u }
}

/// The default m/u table. Rationale for each figure is in `config/vetrecon.toml`.
pub fn default_weights() -> BTreeMap<String, BTreeMap<String, RawMu>> {
    let field = |levels: &[(&str, RawMu)]| -> BTreeMap<String, RawMu> {
        levels.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    };
    let mut w = BTreeMap::new();
    w.insert(
        "surname".into(),
        field(&[
            ("exact", mu(0.85, 0.002)),
            ("previous", mu(0.04, 0.0002)),
            ("part", mu(0.03, 0.0002)),
            ("typo", mu(0.03, 0.0003)),
            ("close", mu(0.015, 0.0015)),
            ("phonetic", mu(0.01, 0.004)),
            ("swapped", mu(0.005, 0.0001)),
            ("different", mu(0.02, 0.9917)),
        ]),
    );
    w.insert(
        "forenames".into(),
        field(&[
            ("exact", mu(0.6, 0.01)),
            ("nickname", mu(0.07, 0.002)),
            ("typo", mu(0.03, 0.0005)),
            ("close", mu(0.015, 0.002)),
            ("other", mu(0.03, 0.002)),
            ("initial", mu(0.02, 0.004)),
            ("swapped", mu(0.005, 0.0001)),
            ("different", mu(0.05, 0.9794)),
            ("full", mu(0.18, 0.0003)),
        ]),
    );
    w.insert(
        "date_of_birth".into(),
        field(&[
            ("exact", mu(0.92, 0.00006)),
            ("swapped", mu(0.015, 0.00006)),
            ("one_digit", mu(0.035, 0.0015)),
            ("year_month", mu(0.003, 0.0017)),
            ("within_year", mu(0.003, 0.03)),
            ("different", mu(0.024, 0.96668)),
        ]),
    );
    w.insert(
        "ni_number".into(),
        field(&[
            ("exact", mu(0.97, 0.000001)),
            ("close", mu(0.02, 0.00001)),
            ("different", mu(0.01, 0.999989)),
        ]),
    );
    w.insert(
        "employee_id".into(),
        field(&[("exact", mu(0.6, 0.002)), ("different", mu(0.4, 0.998))]),
    );
    w
}

impl Default for RawLinking {
    fn default() -> Self {
        RawLinking {
            auto_link_probability: 0.98,
            review_probability: 0.9,
            no_match_probability: 0.1,
            ambiguity_margin: 4.0,
            expected_match_share: 0.8,
            close_similarity: 0.92,
            nicknames: None,
            term_frequency: true,
            tf_minimum_u: 0.00001,
            history_probability: 0.9999,
            date_of_birth_u_from_data: true,
            learn_m: true,
            lookalikes: true,
            model: None,
            weights: default_weights(),
        }
    }
}
