//! Config: the force's policy and column mapping, validated completely before any data is read.
//!
//! `raw` mirrors the TOML file; `Policy::build` checks every value and builds the working
//! objects (level table, linking model, priority weights). A config that parses is one the
//! whole run can use: no stage re-checks it.

pub mod levels;
pub mod raw;

use crate::analyse::ReportPolicy;
use crate::assess::priority::PriorityPolicy;
use crate::error::ConfigError;
use crate::ingest::dialect::Dialect;
use crate::link::LinkPolicy;
pub use levels::{Levels, Period};
use raw::{RawColumns, RawConfig};
use std::path::{Path, PathBuf};

/// Validated input settings.
#[derive(Debug, Clone)]
pub struct InputPolicy {
    pub roster: PathBuf,
    pub posts: PathBuf,
    pub vetting: PathBuf,
    /// Review-trigger feeds, when configured (`--pnd-returns` etc. override).
    pub pnd_returns: Option<PathBuf>,
    pub misconduct: Option<PathBuf>,
    pub circumstances: Option<PathBuf>,
    pub date_formats: crate::ingest::value::DateFormats,
    pub max_reject_share: f64,
    /// Refuse a roster or vetting file with this share fewer rows than the last committed run.
    pub max_shrink_share: f64,
    pub earliest_birth_year: i32,
    /// How much of an input file may be read (`input.max_file_mb`).
    pub read_limits: crate::ingest::ReadLimits,
    /// Encoding and delimiter of the three files.
    pub dialect: Dialect,
    pub columns: RawColumns,
}

/// The whole validated policy a run works to.
#[derive(Debug, Clone)]
pub struct Policy {
    pub input: InputPolicy,
    pub output_dir: PathBuf,
    pub store_dir: PathBuf,
    pub levels: Levels,
    pub expiry_warning_days: i64,
    /// Review triggers: grace period and which outcomes and changes need a review.
    pub triggers: crate::assess::triggers::TriggerPolicy,
    pub linking: LinkPolicy,
    pub priority: PriorityPolicy,
    pub report: ReportPolicy,
}

/// A loaded config: the policy and the exact bytes it came from (hashed into the run record),
/// with the bytes of every file it named (trained model, nickname list), kept with the run so
/// a replay years later reads exactly what the run read.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub files: Vec<(PathBuf, Vec<u8>)>,
    pub policy: Policy,
}

/// How the policy reads a file the config names.
pub type ReadFile<'a> = dyn Fn(&Path) -> Result<Vec<u8>, String> + 'a;

/// Read a named file from disk.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| e.to_string())
}

impl Policy {
    pub fn build(raw: &RawConfig) -> Result<Policy, String> {
        Policy::build_with(raw, &read_file)
    }

    pub fn build_with(raw: &RawConfig, read: &ReadFile<'_>) -> Result<Policy, String> {
        let i = &raw.input;
        if i.date_formats.is_empty() {
            return Err("input.date_formats is empty".into());
        }
        for f in &i.date_formats {
            if !(f.contains("%Y") || f.contains("%y")) || !f.contains("%m") || !f.contains("%d") {
                return Err(format!(
                    "input.date_formats: `{f}` must contain a year, %m and %d"
                ));
            }
        }
        if !(0.0..=1.0).contains(&i.max_reject_share) {
            return Err("input.max_reject_share must be between 0 and 1".into());
        }
        if !(0.0..=1.0).contains(&i.max_shrink_share) {
            return Err("input.max_shrink_share must be between 0 and 1".into());
        }
        if i.max_file_mb == 0 {
            return Err("input.max_file_mb must be at least 1".into());
        }
        if raw.rules.expiry_warning_days < 0 {
            return Err("rules.expiry_warning_days must not be negative".into());
        }
        let levels = Levels::build(&raw.levels)?;
        let linking = LinkPolicy::build_with(&raw.linking, read)?;
        let priority = PriorityPolicy::build(&raw.priority, &levels)?;
        let report = ReportPolicy::build(&raw.report, &levels)?;
        Ok(Policy {
            input: InputPolicy {
                roster: i.roster.clone(),
                posts: i.posts.clone(),
                vetting: i.vetting.clone(),
                pnd_returns: i.pnd_returns.clone(),
                misconduct: i.misconduct.clone(),
                circumstances: i.circumstances.clone(),
                date_formats: crate::ingest::value::DateFormats::new(i.date_formats.clone()),
                max_reject_share: i.max_reject_share,
                max_shrink_share: i.max_shrink_share,
                earliest_birth_year: i.earliest_birth_year,
                read_limits: crate::ingest::ReadLimits::megabytes(i.max_file_mb),
                dialect: Dialect::build(&i.encoding, &i.delimiter)?,
                columns: i.columns.clone(),
            },
            output_dir: raw.output.dir.clone(),
            store_dir: raw.store.dir.clone(),
            levels,
            expiry_warning_days: raw.rules.expiry_warning_days,
            triggers: crate::assess::triggers::TriggerPolicy::build(&raw.rules)?,
            linking,
            priority,
            report,
        })
    }
}

/// Parse config text, reading any file it names from disk.
pub fn parse(path: &Path, text: &[u8]) -> Result<Policy, ConfigError> {
    parse_with(path, text, &read_file)
}

/// Parse config text, reading the files it names through `read` (the store, on replay).
pub fn parse_with(path: &Path, text: &[u8], read: &ReadFile<'_>) -> Result<Policy, ConfigError> {
    let s = std::str::from_utf8(text).map_err(|_| ConfigError::Parse {
        path: path.to_path_buf(),
        message: "not UTF-8".into(),
    })?;
    let raw: RawConfig = toml::from_str(s).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Policy::build_with(&raw, read).map_err(|m| ConfigError::Parse {
        path: path.to_path_buf(),
        message: m,
    })
}

/// Read and validate a config file.
pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
    let bytes = std::fs::read(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let files = std::cell::RefCell::new(Vec::new());
    let policy = parse_with(path, &bytes, &|p: &Path| {
        let b = read_file(p)?;
        files.borrow_mut().push((p.to_path_buf(), b.clone()));
        Ok(b)
    })?;
    Ok(LoadedConfig {
        path: path.to_path_buf(),
        bytes,
        files: files.into_inner(),
        policy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_config_equals_the_built_in_defaults() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/vetrecon.toml"))
                .unwrap();
        let mut parsed: RawConfig = toml::from_str(&text).unwrap();
        // The one deliberate difference: the shipped file turns the demo's trigger feeds on,
        // where the built-in default is off (a force's config without them keeps working).
        for (feed, want) in [
            (
                &mut parsed.input.pnd_returns,
                "testdata/demo/pnd_returns.csv",
            ),
            (&mut parsed.input.misconduct, "testdata/demo/misconduct.csv"),
            (
                &mut parsed.input.circumstances,
                "testdata/demo/circumstances.csv",
            ),
        ] {
            assert_eq!(feed.take(), Some(PathBuf::from(want)));
        }
        assert_eq!(
            parsed,
            RawConfig::default(),
            "config/vetrecon.toml and config::raw defaults have drifted apart"
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let e = parse(Path::new("c.toml"), b"[rules]\nexpiry_warning_dayz = 3\n").unwrap_err();
        assert!(e.to_string().contains("expiry_warning_dayz"), "{e}");
    }

    #[test]
    fn an_empty_config_means_the_defaults() {
        let p = parse(Path::new("c.toml"), b"").unwrap();
        assert_eq!(p.expiry_warning_days, 180);
        assert_eq!(p.levels.name(p.levels.designated()), "MV");
    }

    #[test]
    fn bad_values_are_refused_with_their_key() {
        for (text, key) in [
            ("[input]\nmax_reject_share = 2.0\n", "max_reject_share"),
            ("[input]\ndate_formats = [\"%Y\"]\n", "date_formats"),
            (
                "[linking]\nreview_probability = 0.999\n",
                "review_probability",
            ),
            ("[levels.validity]\nRV = \"ten\"\n", "RV"),
            (
                "[priority.severity]\nNO_CLEARANCE = \"urgent\"\n",
                "NO_CLEARANCE",
            ),
        ] {
            let e = parse(Path::new("c.toml"), text.as_bytes())
                .unwrap_err()
                .to_string();
            assert!(e.contains(key), "{text}: {e}");
        }
    }
}
