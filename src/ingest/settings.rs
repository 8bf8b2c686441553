//! The `[input]` section of the config exactly as written, and the validated input policy
//! ingest works to. Ingest owns both, so `config` (which composes every section) depends on
//! ingest and ingest never reaches up into `config`.

use super::dialect::Dialect;
use super::value::DateFormats;
use super::ReadLimits;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawInput {
    /// The three required files, when the command line does not name them. No default: the
    /// production config points at nothing that ships (a real force's night must never read
    /// the demo's files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roster: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posts: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vetting: Option<PathBuf>,
    /// Optional review-trigger feeds; absent = that feature off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pnd_returns: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub misconduct: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub circumstances: Option<PathBuf>,
    /// Optional recruitment plan (the intake the force expects); absent = demand without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recruitment_plan: Option<PathBuf>,
    /// Optional future postings from HR; absent = POSTING_NOT_CLEARED not checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postings: Option<PathBuf>,
    /// Optional risk-mitigation conditions on clearances; absent = the CONDITION_ codes not
    /// checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<PathBuf>,
    /// Optional declarations (business interests, notifiable associations, secondary
    /// employment); absent = the DECLARATION_ codes not checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declarations: Option<PathBuf>,
    pub date_formats: Vec<String>,
    pub max_reject_share: f64,
    /// Rows a file may have rejected whatever its share (not all of them).
    pub rejects_allowed: usize,
    pub max_shrink_share: f64,
    pub earliest_birth_year: i32,
    /// How many years after its decision (or the as-of date) an exported expiry may be.
    pub max_expiry_years: u32,
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
            recruitment_plan: None,
            postings: None,
            conditions: None,
            declarations: None,
            date_formats: vec!["%Y-%m-%d".into(), "%d/%m/%Y".into()],
            max_reject_share: 0.01,
            rejects_allowed: 1,
            max_shrink_share: 0.1,
            earliest_birth_year: 1900,
            max_expiry_years: 20,
            max_days_ahead: 31,
            max_file_mb: 1024,
            encoding: "utf-8".into(),
            delimiter: ",".into(),
            columns: RawColumns::default(),
        }
    }
}

/// Per file: the force's own column name -> the contract's column name.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct RawColumns {
    pub roster: BTreeMap<String, String>,
    pub posts: BTreeMap<String, String>,
    pub vetting: BTreeMap<String, String>,
    pub pnd_returns: BTreeMap<String, String>,
    pub misconduct: BTreeMap<String, String>,
    pub circumstances: BTreeMap<String, String>,
    pub recruitment_plan: BTreeMap<String, String>,
    pub postings: BTreeMap<String, String>,
    pub conditions: BTreeMap<String, String>,
    pub declarations: BTreeMap<String, String>,
}

/// Validated input settings.
#[derive(Debug, Clone)]
pub struct InputPolicy {
    /// The three files, when the config names them (relative paths already made relative to
    /// the config file's directory).
    pub roster: Option<PathBuf>,
    pub posts: Option<PathBuf>,
    pub vetting: Option<PathBuf>,
    /// Review-trigger feeds, when configured (`--pnd-returns` etc. override).
    pub pnd_returns: Option<PathBuf>,
    pub misconduct: Option<PathBuf>,
    pub circumstances: Option<PathBuf>,
    pub recruitment_plan: Option<PathBuf>,
    pub postings: Option<PathBuf>,
    pub conditions: Option<PathBuf>,
    pub declarations: Option<PathBuf>,
    pub date_formats: DateFormats,
    pub max_reject_share: f64,
    /// A file may always have this many rows rejected, whatever `max_reject_share` says,
    /// unless they are all its rows (`input.rejects_allowed`): one bad row of a four-row
    /// feed does not refuse a night.
    pub rejects_allowed: usize,
    /// Refuse a roster or vetting file with this share fewer rows than the last committed run.
    pub max_shrink_share: f64,
    pub earliest_birth_year: i32,
    /// An exported expiry_date more than this many years after the decision date (or the
    /// as-of date, for a record without one) is rejected (`input.max_expiry_years`).
    pub max_expiry_years: u32,
    /// How many days after today an as-of date may be (`input.max_days_ahead`).
    pub max_days_ahead: i64,
    /// How much of an input file may be read (`input.max_file_mb`).
    pub read_limits: ReadLimits,
    /// Encoding and delimiter of the three files.
    pub dialect: Dialect,
    pub columns: RawColumns,
    /// The coded lists the vetting export's casework columns are read against (`[casework]`,
    /// set by the config once that section is built; the built-in lists until then).
    pub casework: crate::model::casework::CaseworkPolicy,
    /// The coded lists conditions.csv is read against (`[prevention]`, set by the config
    /// once that section is built; the built-in lists until then).
    pub prevention: crate::model::prevention::PreventionPolicy,
    /// The coded lists declarations.csv and the misconduct feed's breach and sanction
    /// columns are read against (`[integrity]`, set by the config once that section is
    /// built; the built-in lists until then).
    pub integrity: crate::model::integrity::IntegrityPolicy,
}

impl InputPolicy {
    /// The optional feeds the config names a file for (`super::TRIGGER_ROLES` order).
    pub fn configured_feeds(&self) -> Vec<&'static str> {
        [
            ("pnd_returns", &self.pnd_returns),
            ("misconduct", &self.misconduct),
            ("circumstances", &self.circumstances),
            ("recruitment_plan", &self.recruitment_plan),
            ("postings", &self.postings),
            ("conditions", &self.conditions),
            ("declarations", &self.declarations),
        ]
        .into_iter()
        .filter(|(_, path)| path.is_some())
        .map(|(role, _)| role)
        .collect()
    }

    /// Check every `[input]` value and build the policy; the error names the key.
    pub fn build(i: &RawInput) -> Result<InputPolicy, String> {
        if i.date_formats.is_empty() {
            return Err("input.date_formats is empty".into());
        }
        for f in &i.date_formats {
            check_date_format(f)?;
        }
        if !(0.0..=1.0).contains(&i.max_reject_share) {
            return Err("input.max_reject_share must be between 0 and 1".into());
        }
        if !(0.0..=1.0).contains(&i.max_shrink_share) {
            return Err("input.max_shrink_share must be between 0 and 1".into());
        }
        within("input.max_file_mb", i.max_file_mb, 1, MAX_FILE_MB)?;
        within(
            "input.earliest_birth_year",
            i.earliest_birth_year,
            1800,
            2100,
        )?;
        within("input.max_days_ahead", i.max_days_ahead, 0, 3660)?;
        within("input.rejects_allowed", i.rejects_allowed, 0, 1_000_000)?;
        within("input.max_expiry_years", i.max_expiry_years, 1, 100)?;
        check_columns(&i.columns)?;
        Ok(InputPolicy {
            roster: i.roster.clone(),
            posts: i.posts.clone(),
            vetting: i.vetting.clone(),
            pnd_returns: i.pnd_returns.clone(),
            misconduct: i.misconduct.clone(),
            circumstances: i.circumstances.clone(),
            recruitment_plan: i.recruitment_plan.clone(),
            postings: i.postings.clone(),
            conditions: i.conditions.clone(),
            declarations: i.declarations.clone(),
            date_formats: DateFormats::new(i.date_formats.clone()),
            max_reject_share: i.max_reject_share,
            rejects_allowed: i.rejects_allowed,
            max_shrink_share: i.max_shrink_share,
            earliest_birth_year: i.earliest_birth_year,
            max_expiry_years: i.max_expiry_years,
            max_days_ahead: i.max_days_ahead,
            read_limits: ReadLimits::megabytes(i.max_file_mb),
            dialect: Dialect::build(&i.encoding, &i.delimiter)?,
            columns: i.columns.clone(),
            casework: Default::default(),
            prevention: Default::default(),
            integrity: crate::model::integrity::IntegrityPolicy::built_in(),
        })
    }
}

/// A date format must hold a year, a month and a day, and read back a date it writes.
fn check_date_format(f: &str) -> Result<(), String> {
    if !(f.contains("%Y") || f.contains("%y")) || !f.contains("%m") || !f.contains("%d") {
        return Err(format!(
            "input.date_formats: `{f}` must contain a year, %m and %d"
        ));
    }
    // A format that cannot read back a date it writes (`%Y-%m-%d %H`, a time field)
    // would reject every row of every file: refuse it here instead.
    let probe = chrono::NaiveDate::from_ymd_opt(1987, 11, 23).unwrap_or_default();
    // (Formatting with a bad specifier is an error, not a panic, through `write!`.)
    let mut written = String::new();
    let wrote = std::fmt::Write::write_fmt(&mut written, format_args!("{}", probe.format(f)));
    if wrote.is_err() || chrono::NaiveDate::parse_from_str(&written, f).ok() != Some(probe) {
        return Err(format!(
            "input.date_formats: `{f}` cannot read a date back (a time or another field in it?)"
        ));
    }
    Ok(())
}

/// The largest `input.max_file_mb`: 64 GB, beyond any roster (a million people is 100 MB) and
/// beyond this machine's memory, so the limit stays a limit.
const MAX_FILE_MB: u64 = 64_000;

/// `key` must lie in `lo..=hi`: a value past any sensible policy is a typo (a grace period of
/// 2^31 days, a window of 2^32 months), and refusing it beats overflowing dates at 02:00.
fn within<T: PartialOrd + std::fmt::Display>(key: &str, v: T, lo: T, hi: T) -> Result<(), String> {
    if v < lo || v > hi {
        return Err(format!("{key} is {v}; it must be between {lo} and {hi}"));
    }
    Ok(())
}

/// Every `[input.columns.<file>]` mapping must name a column of that file's contract: a
/// mapping onto a name the contract does not have (`"ni_number" = "ni_numbr"`) would take the
/// force's column away from the contract one and fill nothing, blanking the NI number for
/// everyone without a word.
fn check_columns(c: &RawColumns) -> Result<(), String> {
    use super::{
        circumstances, conditions, declarations, misconduct, plan, pnd, postings, posts, roster,
        vetting,
    };
    for (file, map, cols) in [
        ("roster", &c.roster, roster::COLUMNS),
        ("posts", &c.posts, posts::COLUMNS),
        ("vetting", &c.vetting, vetting::COLUMNS),
        ("pnd_returns", &c.pnd_returns, pnd::COLUMNS),
        ("misconduct", &c.misconduct, misconduct::COLUMNS),
        ("circumstances", &c.circumstances, circumstances::COLUMNS),
        ("recruitment_plan", &c.recruitment_plan, plan::COLUMNS),
        ("postings", &c.postings, postings::COLUMNS),
        ("conditions", &c.conditions, conditions::COLUMNS),
        ("declarations", &c.declarations, declarations::COLUMNS),
    ] {
        for (from, to) in map {
            let target = to.trim().to_lowercase();
            // "" maps a force's column onto nothing: deliberately not read. Never a contract
            // column itself: `"ni_number" = ""` would blank the NI number for everyone.
            let from_name = from.trim().to_lowercase();
            if target.is_empty() && cols.iter().any(|col| col.name == from_name) {
                return Err(format!(
                    "input.columns.{file}: \"{from}\" = \"\" would leave the contract column `{from_name}` unread for everyone; map only a force's own column onto \"\""
                ));
            }
            if target.is_empty() || cols.iter().any(|col| col.name == target) {
                continue;
            }
            let near = cols
                .iter()
                .map(|col| (strsim::osa_distance(col.name, &target), col.name))
                .min()
                .filter(|(d, _)| *d <= 2)
                .map(|(_, n)| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            let names: Vec<&str> = cols.iter().map(|col| col.name).collect();
            return Err(format!(
                "input.columns.{file}: \"{from}\" maps onto `{to}`, which is not a {file} column{near}; the {file} columns are {}",
                names.join(", ")
            ));
        }
    }
    Ok(())
}
