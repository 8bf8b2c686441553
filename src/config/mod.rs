//! Config: the force's policy and column mapping, validated completely before any data is read.
//!
//! `raw` mirrors the TOML file; `Policy::build` checks every value and builds the working
//! objects (level table, linking model, priority weights). A config that parses is one the
//! whole run can use: no stage re-checks it.

pub mod locate;
pub mod raw;

use crate::analyse::ReportPolicy;
use crate::assess::priority::PriorityPolicy;
use crate::error::ConfigError;
pub use crate::ingest::settings::InputPolicy;
use crate::link::LinkPolicy;
pub use crate::model::levels::{Levels, Period};
pub use locate::{locate_here, Source};
use raw::RawConfig;
use std::path::{Path, PathBuf};

/// The whole validated policy a run works to.
#[derive(Debug, Clone)]
pub struct Policy {
    pub input: InputPolicy,
    /// Where the outputs and the store go: from the config file (`output.dir`,
    /// `store.dir`, written or default); None on the built-in defaults, which imply no
    /// place (`run` then needs `--out` and `--db`).
    pub output_dir: Option<PathBuf>,
    pub store_dir: Option<PathBuf>,
    pub levels: Levels,
    pub expiry_warning_days: i64,
    /// Review triggers: grace period and which outcomes and changes need a review.
    pub triggers: crate::assess::triggers::TriggerPolicy,
    pub linking: LinkPolicy,
    pub priority: PriorityPolicy,
    pub report: ReportPolicy,
    /// The vetting unit's casework: coded lists, limits, hours (`[casework]`).
    pub casework: crate::model::casework::CaseworkPolicy,
    /// Future postings, conditions on a clearance, joiners-movers-leavers actions
    /// (`[prevention]`).
    pub prevention: crate::model::prevention::PreventionPolicy,
    /// Declarations, integrity reviews, sanctions, the post-register rules and the
    /// several-signals weights (`[integrity]`).
    pub integrity: crate::model::integrity::IntegrityPolicy,
}

/// A loaded config: where it was found, the policy and the exact bytes it came from (hashed
/// into the run record), the whole effective config, and the bytes of every file it named
/// (trained model, nickname list), kept with the run so a replay years later reads exactly
/// what the run read.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub source: Source,
    /// The file's bytes; on the built-in defaults, the effective config's.
    pub bytes: Vec<u8>,
    /// Every key in force, defaults included (`effective`): what a replay parses.
    pub effective: Vec<u8>,
    pub files: Vec<(PathBuf, Vec<u8>)>,
    pub policy: Policy,
}

impl LoadedConfig {
    /// The config file, or None on the built-in defaults.
    pub fn path(&self) -> Option<&Path> {
        self.source.path()
    }

    /// The name the run record keeps: the file's path, or `built-in defaults`.
    pub fn name(&self) -> String {
        self.path()
            .map_or(locate::BUILT_IN.to_string(), |p| p.display().to_string())
    }
}

/// How the policy reads a file the config names.
pub type ReadFile<'a> = dyn Fn(&Path) -> Result<Vec<u8>, String> + 'a;

/// The largest config, trained model or nickname list read (16 MB; the shipped ones are a
/// few KB). Input files have their own limit; these are read whole before anything else.
pub const MAX_CONFIG_FILE_BYTES: u64 = 16_000_000;

/// Read a file the config names (or the config itself), at most `MAX_CONFIG_FILE_BYTES`: a
/// path on `/dev/zero` or a growing log must fail at once, not fill memory.
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_CONFIG_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CONFIG_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} MB, so not a config, model or nickname file",
            MAX_CONFIG_FILE_BYTES / 1_000_000
        )));
    }
    Ok(bytes)
}

/// Read a named file from disk.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    read_bounded(path).map_err(|e| e.to_string())
}

impl Policy {
    pub fn build(raw: &RawConfig) -> Result<Policy, String> {
        Policy::build_with(raw, &read_file)
    }

    pub fn build_with(raw: &RawConfig, read: &ReadFile<'_>) -> Result<Policy, String> {
        // Each section is checked by the stage that owns it; `config` only composes them and
        // checks the counts that cross sections.
        let mut input = InputPolicy::build(&raw.input)?;
        let casework = crate::model::casework::CaseworkPolicy::build(&raw.casework)?;
        input.casework = casework.clone();
        let prevention = crate::model::prevention::PreventionPolicy::build(&raw.prevention)?;
        input.prevention = prevention.clone();
        let levels = Levels::build(&raw.levels)?;
        let integrity =
            crate::model::integrity::IntegrityPolicy::build(&raw.integrity, &levels, &|c| {
                crate::assess::Code::parse(c).is_some()
            })?;
        input.integrity = integrity.clone();
        within(
            "rules.expiry_warning_days",
            raw.rules.expiry_warning_days,
            0,
            3660,
        )?;
        within(
            "rules.review_grace_days",
            raw.rules.review_grace_days,
            0,
            3660,
        )?;
        check_ranges(raw)?;
        let linking = LinkPolicy::build_with(&raw.linking, read)?;
        let priority = PriorityPolicy::build(&raw.priority, &levels)?;
        let report = ReportPolicy::build(&raw.report, &levels)?;
        Ok(Policy {
            input,
            output_dir: Some(raw.output.dir.clone()),
            store_dir: Some(raw.store.dir.clone()),
            levels,
            expiry_warning_days: raw.rules.expiry_warning_days,
            triggers: crate::assess::triggers::TriggerPolicy::build(&raw.rules)?,
            linking,
            priority,
            report,
            casework,
            prevention,
            integrity,
        })
    }
}

/// `key` must lie in `lo..=hi`: a value past any sensible policy is a typo (a grace period of
/// 2^31 days, a window of 2^32 months), and refusing it beats overflowing dates at 02:00.
fn within<T: PartialOrd + std::fmt::Display>(key: &str, v: T, lo: T, hi: T) -> Result<(), String> {
    if v < lo || v > hi {
        return Err(format!("{key} is {v}; it must be between {lo} and {hi}"));
    }
    Ok(())
}

/// The counts and sizes every stage takes as given, each within a sensible range.
fn check_ranges(raw: &RawConfig) -> Result<(), String> {
    let r = &raw.report;
    within("report.worklist_size", r.worklist_size, 1, 1_000_000)?;
    within(
        "report.review_queue_size",
        r.review_queue_size,
        1,
        1_000_000,
    )?;
    within("report.trend_runs", r.trend_runs, 1, 3660)?;
    within("report.forecast_months", r.forecast_months, 1, 120)?;
    let d = &r.disproportionality;
    within(
        "report.disproportionality.window_months",
        d.window_months,
        1,
        600,
    )?;
    within(
        "report.disproportionality.minimum_group",
        d.minimum_group,
        1,
        1_000_000,
    )?;
    let q = &r.qa_sample;
    within("report.qa_sample.window_months", q.window_months, 1, 600)?;
    within("report.qa_sample.refusals", q.refusals, 0, 100_000)?;
    within(
        "report.qa_sample.adverse_grants",
        q.adverse_grants,
        0,
        100_000,
    )?;
    let p = &raw.priority;
    within("priority.designated", p.designated, 0, 1000)?;
    within("priority.vulnerable_contact", p.vulnerable_contact, 0, 1000)?;
    within(
        "priority.high_risk_level_points",
        p.high_risk_level_points,
        0,
        1000,
    )?;
    within(
        "linking.ambiguity_margin",
        raw.linking.ambiguity_margin,
        0.0,
        100.0,
    )?;
    Ok(())
}

/// Parse config text, reading any file it names from disk.
pub fn parse(path: &Path, text: &[u8]) -> Result<Policy, ConfigError> {
    parse_with(path, text, &read_file)
}

/// Parse config text, reading the files it names through `read` (the store, on replay).
pub fn parse_with(path: &Path, text: &[u8], read: &ReadFile<'_>) -> Result<Policy, ConfigError> {
    build(path, read_raw(path, text)?, read)
}

/// The config text as written (TOML into `RawConfig`, nothing resolved or checked).
fn read_raw(path: &Path, text: &[u8]) -> Result<RawConfig, ConfigError> {
    let s = std::str::from_utf8(text).map_err(|_| ConfigError::Parse {
        path: path.to_path_buf(),
        message: "not UTF-8".into(),
    })?;
    toml::from_str(s).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Resolve `raw`'s paths against the config file's directory and build the policy.
fn build(path: &Path, mut raw: RawConfig, read: &ReadFile<'_>) -> Result<Policy, ConfigError> {
    raw.resolve(path.parent().unwrap_or(Path::new("")));
    Policy::build_with(&raw, read).map_err(|m| ConfigError::Parse {
        path: path.to_path_buf(),
        message: m,
    })
}

/// The whole effective config of `raw` (a config as written, paths unresolved) as TOML:
/// every key, the defaults of this version included, and a weights table with the levels it
/// lacked filled in as linking fills them (`FieldWeights::fill`). Parsed again by a later
/// version it gives the same policy, whatever that version's defaults. `[output]` and
/// `[store]` are left out: they say where a night writes, not how it judges.
pub fn effective(raw: &RawConfig) -> Result<Vec<u8>, String> {
    let mut raw = RawConfig {
        output: Default::default(),
        store: Default::default(),
        ..raw.clone()
    };
    if raw.linking.model.is_none() {
        let defaults = crate::link::settings::default_weights();
        raw.linking.weights = crate::link::FieldWeights::fill(&raw.linking.weights, &defaults).0;
    }
    let text =
        toml::to_string(&raw).map_err(|e| format!("cannot write the effective config: {e}"))?;
    // Kept only if it reads back to exactly these values (a float that did not would replay
    // another night).
    if toml::from_str::<RawConfig>(&text).ok().as_ref() != Some(&raw) {
        return Err("the effective config does not read back to the same values".into());
    }
    Ok(format!(
        "# The whole effective config of a vetrecon {} run: every key, defaults included.\n# [output] and [store] are left out: they say where a night writes, not how it judges.\n\n{text}",
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes())
}

/// Read and validate a config file (named, as by `--config`).
pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
    load_from(Source::Flag(path.to_path_buf()))
}

/// Read and validate the config `locate` found, or build the built-in defaults.
pub fn load_from(source: Source) -> Result<LoadedConfig, ConfigError> {
    let Some(path) = source.path() else {
        return built_in();
    };
    let bytes = read_bounded(path).map_err(|e| match &source {
        Source::Env(_) => ConfigError::ReadNamed {
            path: path.to_path_buf(),
            by: locate::ENV_VAR,
            source: e,
        },
        _ => ConfigError::Read {
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    let raw = read_raw(path, &bytes)?;
    let files = std::cell::RefCell::new(Vec::new());
    let policy = build(path, raw.clone(), &|p: &Path| {
        let b = read_file(p)?;
        files.borrow_mut().push((p.to_path_buf(), b.clone()));
        Ok(b)
    })?;
    let effective = effective(&raw).map_err(|message| ConfigError::Parse {
        path: path.to_path_buf(),
        message,
    })?;
    Ok(LoadedConfig {
        source,
        bytes,
        effective,
        files: files.into_inner(),
        policy,
    })
}

/// The built-in defaults: the policy of `config/vetrecon.toml`, with no store and no output
/// directory (a night on them names both on the command line). Its bytes are its effective
/// config, so the run record keeps every value it judged by.
fn built_in() -> Result<LoadedConfig, ConfigError> {
    let raw = RawConfig::default();
    let invalid = |m: String| ConfigError::Invalid(format!("{}: {m}", locate::BUILT_IN));
    let mut policy = Policy::build_with(&raw, &|p: &Path| {
        Err(format!(
            "{} names no file, yet {} was asked for",
            locate::BUILT_IN,
            p.display()
        ))
    })
    .map_err(invalid)?;
    policy.output_dir = None;
    policy.store_dir = None;
    let effective = effective(&raw).map_err(invalid)?;
    Ok(LoadedConfig {
        source: Source::BuiltIn,
        bytes: effective.clone(),
        effective,
        files: Vec::new(),
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
        let parsed: RawConfig = toml::from_str(&text).unwrap();
        assert_eq!(
            parsed,
            RawConfig::default(),
            "config/vetrecon.toml and config::raw defaults have drifted apart"
        );
    }

    #[test]
    fn the_production_config_names_nothing_that_ships() {
        let p = load(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/config/vetrecon.toml"
        )))
        .unwrap()
        .policy;
        let i = &p.input;
        for f in [
            &i.roster,
            &i.posts,
            &i.vetting,
            &i.pnd_returns,
            &i.misconduct,
            &i.circumstances,
            &i.recruitment_plan,
            &i.postings,
            &i.conditions,
            &i.declarations,
        ] {
            assert_eq!(*f, None);
        }
    }

    #[test]
    fn relative_paths_resolve_against_the_config_files_directory() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        // Loaded by a relative name from anywhere: the demo config names files beside it.
        let p = load(&root.join("config/demo.toml")).unwrap().policy;
        let roster = p.input.roster.unwrap();
        assert_eq!(roster, root.join("config/../testdata/demo/roster.csv"));
        assert!(roster.is_file());
        assert!(p.input.circumstances.unwrap().is_file());
        assert_eq!(p.store_dir, Some(root.join("config/../vetrecon.db")));
        let p = parse(
            Path::new("/etc/vr/force.toml"),
            b"[input]\nroster = \"hr/r.csv\"\nposts = \"/abs/p.csv\"\n",
        )
        .unwrap();
        assert_eq!(
            p.input.roster.as_deref(),
            Some(Path::new("/etc/vr/hr/r.csv"))
        );
        assert_eq!(p.input.posts.as_deref(), Some(Path::new("/abs/p.csv")));
        assert_eq!(p.output_dir.as_deref(), Some(Path::new("/etc/vr/out")));
    }

    #[test]
    fn a_column_mapping_onto_no_contract_column_is_refused() {
        let e = parse(
            Path::new("c.toml"),
            b"[input.columns.roster]\n\"ni_number\" = \"ni_numbr\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("input.columns.roster"), "{e}");
        assert!(
            e.contains("`ni_numbr`, which is not a roster column (did you mean `ni_number`?)"),
            "{e}"
        );
        // Onto a contract column of another file: still not a roster column.
        assert!(parse(
            Path::new("c.toml"),
            b"[input.columns.roster]\n\"Ref\" = \"vetting_ref\"\n"
        )
        .is_err());
        // A contract column mapped onto "" would be unread for everyone.
        let e = parse(
            Path::new("c.toml"),
            b"[input.columns.roster]\n\"NI_Number\" = \"\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("would leave the contract column `ni_number` unread"),
            "{e}"
        );
        // A force's own column onto "" is how a near-miss is told to be ignored.
        assert!(parse(
            Path::new("c.toml"),
            b"[input.columns.roster]\n\"ni_numbr\" = \"\"\n"
        )
        .is_ok());
        // A real mapping, in any case, is fine.
        assert!(parse(
            Path::new("c.toml"),
            b"[input.columns.vetting]\n\"Vetting No\" = \"Vetting_Ref\"\n"
        )
        .is_ok());
    }

    #[test]
    fn every_count_and_period_is_range_checked() {
        for (text, key) in [
            (
                "[input]\nearliest_birth_year = 2147483647\n",
                "input.earliest_birth_year",
            ),
            (
                "[input]\nmax_file_mb = 18446744073709551615\n",
                "input.max_file_mb",
            ),
            ("[input]\nmax_days_ahead = -1\n", "input.max_days_ahead"),
            (
                "[rules]\nreview_grace_days = 4000000000\n",
                "rules.review_grace_days",
            ),
            (
                "[rules]\nexpiry_warning_days = 99999\n",
                "rules.expiry_warning_days",
            ),
            (
                "[report.disproportionality]\nwindow_months = 4294967295\n",
                "window_months",
            ),
            (
                "[report.qa_sample]\nwindow_months = 100000\n",
                "report.qa_sample.window_months",
            ),
            ("[report]\ntrend_runs = 0\n", "report.trend_runs"),
            ("[report]\nworklist_size = 0\n", "report.worklist_size"),
            (
                "[priority]\ndesignated = 4000000000\n",
                "priority.designated",
            ),
            (
                "[linking]\nambiguity_margin = 1e300\n",
                "linking.ambiguity_margin",
            ),
        ] {
            let e = parse(Path::new("c.toml"), text.as_bytes())
                .unwrap_err()
                .to_string();
            assert!(e.contains(key), "{text}: {e}");
        }
    }

    /// The effective config names every key (a later version's defaults fill none in),
    /// keeps paths as written (so the config's name resolves them as the night did), and
    /// holds a weights table with the levels it lacked filled in as linking filled them.
    #[test]
    fn the_effective_config_holds_every_key_and_judges_as_the_file_did() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let demo = root.join("config/demo.toml");
        let cfg = load(&demo).unwrap();
        let text = String::from_utf8(cfg.effective.clone()).unwrap();
        assert!(
            text.contains("\nroster = \"../testdata/demo/roster.csv\"\n"),
            "{text}"
        );
        assert!(
            !text.contains("\n[store]\n") && !text.contains("\n[output]\n"),
            "{text}"
        );
        let again = parse(&demo, &cfg.effective).unwrap();
        assert_eq!(again.input.roster, cfg.policy.input.roster);
        assert_eq!(again.linking.weights, cfg.policy.linking.weights);
        // A short config: every key the file left out is written with its value.
        let short = b"[rules]\nexpiry_warning_days = 90\n";
        let raw: RawConfig = toml::from_str(std::str::from_utf8(short).unwrap()).unwrap();
        let eff = String::from_utf8(effective(&raw).unwrap()).unwrap();
        let table: toml::Table = toml::from_str(&eff).unwrap();
        assert_eq!(table["rules"]["expiry_warning_days"].as_integer(), Some(90));
        assert_eq!(table["rules"]["review_grace_days"].as_integer(), Some(28));
        assert_eq!(
            table["linking"]["auto_link_probability"].as_float(),
            Some(0.98)
        );
        assert_eq!(table["levels"]["designated"].as_str(), Some("MV"));
        assert_eq!(table["report"]["worklist_size"].as_integer(), Some(50));
        assert_eq!(
            table["linking"]["weights"]["ni_number"]["exact"]["u"].as_float(),
            Some(0.000001)
        );
        // A weights table from before forenames.full: the effective config carries the
        // carved levels, so no later default enters the replay.
        let mut old = RawConfig::default();
        old.linking
            .weights
            .get_mut("forenames")
            .unwrap()
            .remove("full");
        let from_file = Policy::build(&old).unwrap();
        assert_eq!(from_file.linking.filled_levels, ["forenames.full"]);
        let eff = effective(&old).unwrap();
        let from_effective = parse(Path::new("c.toml"), &eff).unwrap();
        assert!(from_effective.linking.filled_levels.is_empty());
        assert_eq!(from_effective.linking.weights, from_file.linking.weights);
        // Floats whose shortest form is long, or tiny, are kept to the bit.
        let mut odd = RawConfig::default();
        odd.linking.tf_minimum_u = 0.1 + 0.2;
        odd.report.disproportionality.significance = 1e-300;
        odd.linking
            .weights
            .get_mut("surname")
            .unwrap()
            .get_mut("exact")
            .unwrap()
            .m = 0.902_941_231_709_383_7;
        let back: RawConfig =
            toml::from_str(std::str::from_utf8(&effective(&odd).unwrap()).unwrap()).unwrap();
        assert_eq!(
            back.linking.tf_minimum_u.to_bits(),
            (0.1f64 + 0.2).to_bits()
        );
        assert_eq!(back.report.disproportionality.significance, 1e-300);
        assert_eq!(back.linking.weights, odd.linking.weights);
    }

    #[test]
    fn the_built_in_defaults_are_the_shipped_policy_with_no_store_and_no_output() {
        let b = load_from(Source::BuiltIn).unwrap();
        assert_eq!(b.name(), "built-in defaults");
        assert_eq!(b.path(), None);
        assert_eq!(b.bytes, b.effective, "the effective config is what is kept");
        assert_eq!((b.policy.store_dir, b.policy.output_dir), (None, None));
        let shipped =
            load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/vetrecon.toml")).unwrap();
        assert_eq!(b.effective, shipped.effective);
        assert!(shipped.policy.store_dir.is_some());
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
                "[input]\ndate_formats = [\"%Y-%m-%d %H\"]\n",
                "cannot read a date back",
            ),
            (
                "[input]\ndate_formats = [\"%Y-%m-%d %Q\"]\n",
                "cannot read a date back",
            ),
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
