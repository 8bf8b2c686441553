//! Typed errors for every stage, and the exit code each one maps to.
//!
//! The exit codes are part of the operator contract (docs/operations.md, "Exit codes"): a scheduler
//! decides whether to page someone from them, so every error must land in exactly one class.
//! Library code returns these types; only `main` converts them into a process exit code.

use std::path::PathBuf;

/// Exit code for success (exceptions found is still success).
pub const EXIT_OK: u8 = 0;
/// Exit code for anything not classified below (I/O failures writing outputs, bugs).
pub const EXIT_OTHER: u8 = 1;
/// Exit code for a usage or configuration error: nothing was read or written.
pub const EXIT_USAGE: u8 = 2;
/// Exit code for input refused: a missing file, a missing column, too many rejects.
pub const EXIT_INPUT: u8 = 3;
/// Exit code for a store error, including "store is locked by another run".
pub const EXIT_STORE: u8 = 4;
/// Exit code for an audit check that failed: `replay` gave different outputs, or `verify`
/// found a run altered, removed or reordered.
pub const EXIT_AUDIT: u8 = 5;
/// Exit code for a damaged store: its database has lost history (its head is behind the one
/// kept beside it, or payload files it does not know). Nothing was read, written or deleted;
/// the store must be restored from a backup.
pub const EXIT_DAMAGED: u8 = 6;

/// Any failure of a vetrecon command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An audit check failed; the details were printed before this.
    #[error("{0}")]
    Audit(String),
    /// `vetrecon check` found that a run would be refused; the details were printed before.
    #[error("{0}")]
    Refused(String),
    /// SIGTERM or SIGINT before the commit: what the run wrote was removed.
    #[error("interrupted by {0} before the commit: nothing was committed and the run's temporary files were removed")]
    Interrupted(&'static str),
    /// Publishing the outputs failed after the run was committed.
    #[error("run {run_id} is committed, but writing its outputs failed: {source}; once the directory is fixed, write them with: {report}")]
    AfterCommit {
        run_id: String,
        #[source]
        source: Box<Error>,
        /// The `vetrecon report` command that writes the run's outputs, its values quoted
        /// for the shell (`report::command`).
        report: String,
    },
    #[error("cannot write output {path}: {source}")]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The documented process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::Config(_) => EXIT_USAGE,
            Error::Store(
                StoreError::SameNight { .. }
                | StoreError::Backfill { .. }
                | StoreError::PrunedPeriod { .. },
            ) => EXIT_USAGE,
            Error::Store(StoreError::Damaged { .. }) => EXIT_DAMAGED,
            Error::Input(_) | Error::Refused(_) => EXIT_INPUT,
            Error::Audit(_) => EXIT_AUDIT,
            Error::Store(_) => EXIT_STORE,
            Error::Output { .. } | Error::Interrupted(_) | Error::AfterCommit { .. } => EXIT_OTHER,
        }
    }

    /// A one-line hint for the operator, printed under the error when there is one.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Input(InputError::TooManyRejects { .. }) => Some(
                "see the rows listed above; fix the export or raise input.max_reject_share in the config",
            ),
            Error::Input(InputError::Shrunk { .. }) => Some(
                "check the export is complete; if the change is real, run again with --accept-change",
            ),
            Error::Input(InputError::HeaderChanged { .. }) => Some(
                "check the export definition; if the columns really changed (and the mapping under [input.columns.<file>] still fits), run again with --accept-change",
            ),
            Error::Input(InputError::NotCsv { .. }) => Some(
                "save the file from Excel as \"CSV UTF-8 (Comma delimited)\" or \"CSV (Comma delimited)\"",
            ),
            Error::Input(InputError::HeaderNearMiss { .. }) => Some(
                "correct the column name in the export, or map it under [input.columns.<file>] in the config (map it onto \"\" if it is another column that must not be read); if line 1 is a record, not a header, the export lost its header row",
            ),
            Error::Input(InputError::MissingColumn { .. }) => Some(
                "map the force's own column name onto the contract name under [input.columns.<file>] in the config",
            ),
            Error::AfterCommit { .. } => Some(
                "the vetrecon report command above writes that run's outputs byte-identical to what the run would have written",
            ),
            Error::Store(StoreError::SameNight { .. }) => Some(
                "to run the night again (corrected inputs), add --rerun: the new run supersedes the old one and both stay in history",
            ),
            Error::Store(StoreError::NotAStore { .. }) => Some(
                "give --db (or store.dir) a new or empty directory for a new store, or the directory of an existing one",
            ),
            Error::Store(StoreError::Backfill { .. }) => Some(
                "check --as-of; to commit a missed night late, add --backfill: history reads the nights in date order",
            ),
            Error::Config(ConfigError::Unplaced { .. }) => Some(
                "give them on the command line, or a config whose store.dir and output.dir say where they go (--config FILE, or VETRECON_CONFIG)",
            ),
            Error::Config(ConfigError::Read { .. } | ConfigError::ReadNamed { .. }) => Some(
                "vetrecon reads the config named by --config, else by VETRECON_CONFIG, else ./config/vetrecon.toml, else /etc/vetrecon/vetrecon.toml, else runs on its built-in defaults; a config named must exist",
            ),
            Error::Store(StoreError::Locked { .. }) => {
                Some("wait for the other command to finish; a lock left by a killed run is released by the OS")
            }
            Error::Store(StoreError::Damaged { .. }) => Some(
                "stop the nightly schedule, keep this store aside as it is, and restore the whole store directory from the last backup (README, Operations, \"After a failed night\"); `vetrecon verify` on the restored store must say VERIFY OK",
            ),
            Error::Store(StoreError::Link { .. }) => Some(
                "vetrecon never makes a link inside its store: find out who placed this one, then put the real file or directory back (from a backup) in its place",
            ),
            Error::Store(StoreError::PrunedPeriod { .. }) => Some(
                "check --as-of; if the night must be in history, add --past-retention: the run is committed and its inputs are pruned again at once",
            ),
            _ => None,
        }
    }
}

/// The policy file could not be read or does not make sense.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A config named by the environment (`VETRECON_CONFIG`) that cannot be read.
    #[error("cannot read config {path} (named by {by}): {source}")]
    ReadNamed {
        path: PathBuf,
        by: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("config {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("config is not valid: {0}")]
    Invalid(String),
    /// No config file was found, and the built-in defaults name no store or output
    /// directory: `needs` lists the flags the command must be given.
    #[error("`{command}` needs {needs}: no config file was found (no --config, no VETRECON_CONFIG, no ./config/vetrecon.toml, no /etc/vetrecon/vetrecon.toml), and the built-in defaults name no store or output directory")]
    Unplaced {
        command: &'static str,
        needs: String,
    },
}

/// An input file was refused as a whole. Row-level problems are rejects, not errors.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {file}: {source}")]
    Read {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: the header lacks the required column `{column}`")]
    MissingColumn { file: PathBuf, column: String },
    #[error("{file}: line 1: column `{column}` appears twice in the header (columns {first} and {second})")]
    DuplicateColumn {
        file: PathBuf,
        column: String,
        first: usize,
        second: usize,
    },
    /// The cell is named by its position, never by its value: a file that lost its header
    /// row has a record there, and a record's cells are names and dates of birth.
    #[error("{file}: line 1: header column {position} {why} `{column}`, which the header lacks; nothing was read")]
    HeaderNearMiss {
        file: PathBuf,
        position: usize,
        column: String,
        why: &'static str,
    },
    #[error("{file}: line {line}: {message}")]
    Malformed {
        file: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{file}: the file has no header row")]
    Empty { file: PathBuf },
    #[error("{file}: {bytes} bytes, more than the {limit_mb} MB allowed (input.max_file_mb); nothing was read into the run")]
    TooLarge {
        file: PathBuf,
        bytes: u64,
        limit_mb: u64,
    },
    #[error("{file}: line {line} runs past {limit} bytes without a line break; this is not a CSV export (no name or date is that long)")]
    LineTooLong {
        file: PathBuf,
        line: u64,
        limit: usize,
    },
    #[error("{file}: {what}, not a CSV file")]
    NotCsv { file: PathBuf, what: &'static str },
    #[error("{file}: the header changed since run {run_id}: {change}; nothing was committed")]
    HeaderChanged {
        file: PathBuf,
        run_id: String,
        change: String,
    },
    #[error(
        "{file}: {rejected} of {rows} rows rejected ({share:.2}%), more than the {limit:.2}% allowed; nothing was committed"
    )]
    TooManyRejects {
        file: PathBuf,
        rejected: usize,
        rows: usize,
        share: f64,
        limit: f64,
    },
    #[error(
        "{file}: {rows} rows accepted, {share:.1}% fewer than the {previous} accepted in run {run_id} (more than the {limit:.1}% allowed); nothing was committed"
    )]
    Shrunk {
        file: PathBuf,
        rows: usize,
        previous: usize,
        run_id: String,
        share: f64,
        limit: f64,
    },
}

/// The audit store failed, is locked, or is of a schema this build cannot read.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path} is locked by another vetrecon {}", holder.as_deref().map(|h| format!("run ({h})")).unwrap_or_else(|| "command (one reading it names no holder)".into()))]
    Locked {
        path: PathBuf,
        holder: Option<String>,
    },
    #[error("store {path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error(
        "store {path} has schema version {found}, this build reads version {expected}: {message}"
    )]
    Schema {
        path: PathBuf,
        found: u32,
        expected: u32,
        message: &'static str,
    },
    #[error("store {path}: {why}; nothing was read or written")]
    NotAStore { path: PathBuf, why: String },
    #[error("store is corrupt: {0}")]
    Corrupt(String),
    #[error("no run `{}` in the store", .0.escape_debug())]
    NoSuchRun(String),
    #[error("employee {} appears in no run in the store", .0.escape_debug())]
    NoSuchPerson(String),
    #[error("a run for {as_of} is already committed ({run_id}); nothing was written")]
    SameNight { as_of: String, run_id: String },
    #[error("{as_of} is earlier than the newest committed night, {newest} ({run_id}); nothing was written")]
    Backfill {
        as_of: String,
        newest: String,
        run_id: String,
    },
    #[error("the inputs of run {run_id} were dropped by `vetrecon prune` on {at} (retention); its record, outputs and hashes remain, but it cannot be replayed")]
    Pruned { run_id: String, at: String },
    #[error("{} is a link inside a vetrecon store; vetrecon follows no link inside its store, and nothing was read or written", .path.display())]
    Link { path: PathBuf },
    #[error("store {path} is damaged: {why}; its database has lost history (cut short, or restored from an older copy than the rest of the store); nothing was read, written or deleted")]
    Damaged { path: PathBuf, why: String },
    #[error("{as_of} is before {before}, up to which `vetrecon prune` removed the inputs on {at} (retention): its inputs would be kept again; nothing was written")]
    PrunedPeriod {
        as_of: String,
        before: String,
        at: String,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
