//! The `[report]` section of the config exactly as written. `ReportPolicy::build` validates
//! it; it lives here, not in `config`, so that `config` depends on analyse, never the reverse.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawReport {
    pub worklist_size: usize,
    pub review_queue_size: usize,
    pub trend_runs: usize,
    pub forecast_months: u32,
    pub what_if: BTreeMap<String, String>,
    pub disproportionality: RawDisproportionality,
    pub qa_sample: RawQaSample,
}

impl Default for RawReport {
    fn default() -> Self {
        RawReport {
            worklist_size: 50,
            review_queue_size: 30,
            trend_runs: 30,
            forecast_months: 24,
            what_if: pairs(&[("RV", "5y"), ("MV", "5y")]),
            disproportionality: RawDisproportionality::default(),
            qa_sample: RawQaSample::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawDisproportionality {
    pub window_months: u32,
    pub minimum_group: u64,
    pub four_fifths: f64,
    pub significance: f64,
    pub reference: BTreeMap<String, String>,
}

impl Default for RawDisproportionality {
    fn default() -> Self {
        RawDisproportionality {
            window_months: 12,
            minimum_group: 10,
            four_fifths: 0.8,
            significance: 0.05,
            reference: pairs(&[("ethnicity", "White British")]),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawQaSample {
    pub window_months: u32,
    pub refusals: usize,
    pub adverse_grants: usize,
}

impl Default for RawQaSample {
    fn default() -> Self {
        RawQaSample {
            window_months: 12,
            refusals: 10,
            adverse_grants: 10,
        }
    }
}

fn pairs(xs: &[(&str, &str)]) -> BTreeMap<String, String> {
    xs.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}
