//! The config file exactly as written: serde structs with `deny_unknown_fields`.
//!
//! Every struct has a `Default` equal to what `config/vetrecon.toml` says, and a test holds
//! the two together, so a force can write a short config that overrides only what differs.
//! Nothing here is validated; `Policy::build` turns these into working objects.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct RawConfig {
    // (`resolve` below lists every path; a new path key must be added there.)
    pub input: RawInput,
    pub output: RawOutput,
    pub store: RawStore,
    pub levels: RawLevels,
    pub rules: RawRules,
    pub linking: RawLinking,
    pub priority: RawPriority,
    pub report: RawReport,
}

impl RawConfig {
    /// Make every relative path the config holds relative to `base`, the config file's own
    /// directory: a config names its files the same way wherever vetrecon is started from.
    pub fn resolve(&mut self, base: &std::path::Path) {
        let at = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        let i = &mut self.input;
        for p in [
            &mut i.roster,
            &mut i.posts,
            &mut i.vetting,
            &mut i.pnd_returns,
            &mut i.misconduct,
            &mut i.circumstances,
            &mut self.linking.nicknames,
            &mut self.linking.model,
        ]
        .into_iter()
        .flatten()
        {
            at(p);
        }
        at(&mut self.output.dir);
        at(&mut self.store.dir);
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawInput {
    /// The three required files, when the command line does not name them. No default: the
    /// production config points at nothing that ships (a real force's night must never read
    /// the demo's files).
    pub roster: Option<PathBuf>,
    pub posts: Option<PathBuf>,
    pub vetting: Option<PathBuf>,
    /// Optional review-trigger feeds; absent = that feature off.
    pub pnd_returns: Option<PathBuf>,
    pub misconduct: Option<PathBuf>,
    pub circumstances: Option<PathBuf>,
    pub date_formats: Vec<String>,
    pub max_reject_share: f64,
    pub max_shrink_share: f64,
    pub earliest_birth_year: i32,
    /// How many days after today an `--as-of` date may be.
    pub max_days_ahead: i64,
    pub max_file_mb: u64,
    pub encoding: String,
    pub delimiter: String,
    pub columns: RawColumns,
}

impl Default for RawInput {
    fn default() -> Self {
        RawInput {
            roster: None,
            posts: None,
            vetting: None,
            pnd_returns: None,
            misconduct: None,
            circumstances: None,
            date_formats: vec!["%Y-%m-%d".into(), "%d/%m/%Y".into()],
            max_reject_share: 0.01,
            max_shrink_share: 0.1,
            earliest_birth_year: 1900,
            max_days_ahead: 31,
            max_file_mb: 1024,
            encoding: "utf-8".into(),
            delimiter: ",".into(),
            columns: RawColumns::default(),
        }
    }
}

/// Per file: the force's own column name -> the contract's column name.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct RawColumns {
    pub roster: BTreeMap<String, String>,
    pub posts: BTreeMap<String, String>,
    pub vetting: BTreeMap<String, String>,
    pub pnd_returns: BTreeMap<String, String>,
    pub misconduct: BTreeMap<String, String>,
    pub circumstances: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawOutput {
    pub dir: PathBuf,
}

impl Default for RawOutput {
    fn default() -> Self {
        RawOutput { dir: "out".into() }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawStore {
    pub dir: PathBuf,
}

impl Default for RawStore {
    fn default() -> Self {
        RawStore {
            dir: "vetrecon.db".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawLevels {
    pub ladders: Vec<Vec<String>>,
    pub validity: BTreeMap<String, String>,
    pub accept: BTreeMap<String, Vec<String>>,
    pub aliases: BTreeMap<String, String>,
    pub designated: String,
    pub baseline: BTreeMap<String, String>,
}

fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

fn pairs(xs: &[(&str, &str)]) -> BTreeMap<String, String> {
    xs.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

impl Default for RawLevels {
    fn default() -> Self {
        RawLevels {
            ladders: vec![
                strings(&["RV", "MV"]),
                strings(&["NPPV1", "NPPV2", "NPPV3"]),
                strings(&["CTC", "SC", "DV"]),
            ],
            validity: pairs(&[
                ("RV", "10y"),
                ("MV", "7y"),
                ("NPPV1", "3y"),
                ("NPPV2", "3y"),
                ("NPPV3", "5y"),
                ("CTC", "10y"),
                ("SC", "10y"),
                ("DV", "7y"),
            ]),
            accept: BTreeMap::new(),
            aliases: BTreeMap::new(),
            designated: "MV".into(),
            baseline: pairs(&[
                ("officer", "RV"),
                ("staff", "RV"),
                ("special", "RV"),
                ("pcso", "RV"),
                ("volunteer", "RV"),
                ("contractor", "NPPV2"),
            ]),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawRules {
    pub expiry_warning_days: i64,
    pub review_grace_days: i64,
    pub misconduct_needs_review: Vec<String>,
    pub circumstances_need_review: Vec<String>,
}

impl Default for RawRules {
    fn default() -> Self {
        RawRules {
            expiry_warning_days: 180,
            review_grace_days: 28,
            misconduct_needs_review: strings(&[
                "written_warning",
                "final_written_warning",
                "reduction_in_rank",
            ]),
            circumstances_need_review: strings(&[
                "name",
                "marital_status",
                "partner",
                "finances",
                "association",
            ]),
        }
    }
}

/// m and u probabilities of one comparison level (Fellegi-Sunter).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawMu {
    pub m: f64,
    pub u: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawLinking {
    pub auto_link_probability: f64,
    pub review_probability: f64,
    pub no_match_probability: f64,
    pub ambiguity_margin: f64,
    pub expected_match_share: f64,
    pub close_similarity: f64,
    pub nicknames: Option<PathBuf>,
    pub term_frequency: bool,
    pub tf_minimum_u: f64,
    pub history_probability: f64,
    /// Estimate the date-of-birth levels' u from tonight's dates (random pairs) instead of
    /// taking the table's.
    pub date_of_birth_u_from_data: bool,
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
            ("exact", mu(0.78, 0.01)),
            ("nickname", mu(0.07, 0.002)),
            ("typo", mu(0.03, 0.0005)),
            ("close", mu(0.015, 0.002)),
            ("other", mu(0.03, 0.002)),
            ("initial", mu(0.02, 0.004)),
            ("swapped", mu(0.005, 0.0001)),
            ("different", mu(0.05, 0.9794)),
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
            model: None,
            weights: default_weights(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawPriority {
    pub designated: u32,
    pub vulnerable_contact: u32,
    pub high_risk_levels: Vec<String>,
    pub high_risk_level_points: u32,
    pub severity: BTreeMap<String, String>,
}

impl Default for RawPriority {
    fn default() -> Self {
        RawPriority {
            designated: 4,
            vulnerable_contact: 2,
            high_risk_levels: strings(&["CTC", "SC", "DV"]),
            high_risk_level_points: 3,
            severity: pairs(&[
                ("NO_CLEARANCE", "critical"),
                ("NOT_GRANTED", "critical"),
                ("EXPIRED", "high"),
                ("INSUFFICIENT_LEVEL", "high"),
                ("LEAVER_ACTIVE_CLEARANCE", "high"),
                ("ADVERSE_UNMITIGATED", "high"),
                ("AMBIGUOUS_MATCH", "medium"),
                ("REVIEW_MATCH", "medium"),
                ("ORPHAN_CLEARANCE", "medium"),
                ("UNKNOWN_POST", "medium"),
                ("EXPIRING_SOON", "low"),
                ("PND_UNREVIEWED", "high"),
                ("MISCONDUCT_REVIEW_DUE", "high"),
                ("CIRCUMSTANCES_REVIEW_DUE", "medium"),
            ]),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Deserialize)]
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
