//! Command line: argument definitions and dispatch. The nightly job and the linking tools
//! are handled here; the store commands (history, decisions) in `store_cmds`.

mod manual;
pub mod stdout;
mod store_cmds;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use vetrecon::config;
use vetrecon::error::Error;
use vetrecon::history;
use vetrecon::run::{run, RunSpec};

#[derive(Parser, Debug)]
#[command(
    name = "vetrecon",
    version,
    about = "Reconcile the HR roster and post register against the vetting system"
)]
pub struct Cli {
    /// Log format on stderr: human-readable text, or one JSON object per line for schedulers.
    #[arg(long, value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the nightly reconciliation and commit it to the store.
    Run(RunArgs),
    /// Pre-flight: check the inputs against the contract and the feed guards as a run would,
    /// list what it would reject, and commit nothing (exit 0: a run would proceed; 3: refused).
    Check(CheckArgs),
    /// List the committed runs.
    Runs(StoreArgs),
    /// Show one run: summary, inputs, outputs and their hashes.
    Show(RunRef),
    /// Write a stored run's outputs again, byte-identical to what it wrote.
    Report(ReportArgs),
    /// Recompute a stored run from its stored inputs and compare the outputs byte for byte.
    Replay(RunRef),
    /// Exceptions new, resolved and persisting between two runs.
    Diff(DiffArgs),
    /// One person's timeline across runs: posts, clearances, exceptions, decisions.
    Person(PersonArgs),
    /// Walk the hash chain and every stored payload; report anything altered or removed.
    Verify(VerifyArgs),
    /// Drop input payloads of runs before a date (retention), keeping the chain verifiable.
    Prune(PruneArgs),
    /// Record a clerical decision (confirm, reject, revoke) about a person and a vetting record.
    Decide(DecideArgs),
    /// Record QA verdicts (agree, disagree) on the decisions a night's dip sample drew.
    Qa(QaArgs),
    /// Joiners, movers and leavers: close an open action that needs nothing more.
    Jml(JmlArgs),
    /// Write a synthetic force with ground truth (for tests and benchmarks).
    Generate(GenerateArgs),
    /// Estimate the linking model (m and u) from the inputs and write it to a file.
    Train(TrainArgs),
    /// Show, field by field, why a person and a vetting record do or do not link.
    Explain(ExplainArgs),
    /// Score linking and exceptions against a generated force's truth.
    Evaluate(EvaluateArgs),
    /// Print a shell completion script (where to install it: docs/operations.md, Installing).
    Completions(CompletionsArgs),
    /// Print the man page (roff), made from these command-line definitions: vetrecon(1), or
    /// one command's.
    Man(ManArgs),
}

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// A command's own page (vetrecon-COMMAND(1)), instead of vetrecon(1).
    pub command: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct GenerateArgs {
    /// Number of people on the roster.
    #[arg(long)]
    pub people: usize,
    /// Random seed: the same seed (and options) gives the same files, byte for byte.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Directory to write roster.csv, posts.csv, vetting.csv and truth/ into.
    #[arg(long)]
    pub out: PathBuf,
    /// The date the force is generated for (validity, leavers, expiries are relative to it).
    #[arg(long, value_parser = parse_date, default_value = "2026-11-24")]
    pub as_of: chrono::NaiveDate,
    /// Noise rates (TOML with the keys of config/noise.toml; default: built in).
    #[arg(long)]
    pub noise: Option<PathBuf>,
    /// Multiply every error rate by this factor (0 gives a clean force).
    #[arg(long, default_value_t = 1.0)]
    pub noise_scale: f64,
    /// Leave out the vetting unit's casework: no casework columns in vetting.csv, no
    /// recruitment_plan.csv, no casework truth (an export from a system that records none).
    #[arg(long)]
    pub no_casework: bool,
    /// Leave out prevention: post start dates as drawn before it, no revet_on_appointment,
    /// no postings.csv or conditions.csv, no second night, no prevention truth.
    #[arg(long)]
    pub no_prevention: bool,
    /// Leave out integrity oversight: no declarations.csv, no last_integrity_review in the
    /// roster, no breach_category or sanction in misconduct.csv (nor the outcomes added with
    /// them), posts graded as drawn, no integrity truth.
    #[arg(long)]
    pub no_integrity: bool,
}

/// How `--config` is documented on every command that reads a config.
const CONFIG_HELP: &str = "Policy file (default: $VETRECON_CONFIG, else ./config/vetrecon.toml, else /etc/vetrecon/vetrecon.toml, else the built-in defaults). A file named here or in VETRECON_CONFIG must exist";

#[derive(clap::Args, Debug)]
pub struct StoreArgs {
    #[arg(long, help = CONFIG_HELP)]
    pub config: Option<PathBuf>,
    /// Store directory (default: store.dir from the config; the built-in defaults name none).
    #[arg(long)]
    pub db: Option<PathBuf>,
}

impl StoreArgs {
    /// The store directory of a store command: `--db`, or the config's `store.dir` (the
    /// config is only read when `--db` is not given). The built-in defaults name none.
    pub fn dir(&self, command: &'static str) -> Result<PathBuf, Error> {
        match &self.db {
            Some(d) => Ok(d.clone()),
            None => load_config(self.config.as_deref())?
                .policy
                .store_dir
                .ok_or_else(|| unplaced(command, &["--db DIR"])),
        }
    }
}

/// Find the config (`config::locate`), say in the log which it is, and load it.
pub fn load_config(flag: Option<&std::path::Path>) -> Result<config::LoadedConfig, Error> {
    load_found(config::locate_here(flag))
}

/// Say in the log which config was found, and load it.
fn load_found(source: config::Source) -> Result<config::LoadedConfig, Error> {
    tracing::info!("config: {}", source.describe());
    Ok(config::load_from(source)?)
}

/// `command` on the built-in defaults lacks the places `needs` names.
fn unplaced(command: &'static str, needs: &[&str]) -> Error {
    Error::Config(vetrecon::error::ConfigError::Unplaced {
        command,
        needs: needs.join(" and "),
    })
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// A chain hash recorded outside the store (a night's chain.txt, or `chain_hash` in its
    /// log line): it must still be in the chain, as the head or an entry before it, or
    /// verify fails (the chain was rewritten or cut back since it was recorded).
    #[arg(long, value_name = "HASH", value_parser = parse_hash)]
    pub expect_head: Option<String>,
}

fn parse_hash(s: &str) -> Result<String, String> {
    let h = s.trim().to_ascii_lowercase();
    if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(h)
    } else {
        Err("a chain hash is 64 hexadecimal digits (as chain.txt and `verify` print it)".into())
    }
}

#[derive(clap::Args, Debug)]
pub struct RunRef {
    /// Run id, as `vetrecon runs` lists it (for example 20261124-01).
    pub run: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Run id.
    pub run: String,
    /// Directory to write the outputs into.
    #[arg(long)]
    pub out: PathBuf,
    /// Also write links.csv: every link and candidate with its field-by-field explanation.
    #[arg(long)]
    pub with_links: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The earlier run.
    pub run_a: String,
    /// The later run.
    pub run_b: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(clap::Args, Debug)]
pub struct PersonArgs {
    /// Employee id on the roster.
    pub employee_id: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(clap::Args, Debug)]
pub struct PruneArgs {
    /// Drop the input payloads of runs with an as-of date before this (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub before: chrono::NaiveDate,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictArg {
    Confirm,
    Reject,
    Revoke,
}

#[derive(clap::Args, Debug)]
pub struct DecideArgs {
    /// confirm (same person: always link), reject (not the same: never link), or revoke
    /// (withdraw the decision in force on the pair). Omit with --import.
    #[arg(value_enum, required_unless_present = "import")]
    pub verdict: Option<VerdictArg>,
    /// Employee id.
    #[arg(required_unless_present = "import")]
    pub employee_id: Option<String>,
    /// Vetting reference.
    #[arg(required_unless_present = "import")]
    pub vetting_ref: Option<String>,
    /// Who decided (name or warrant number).
    #[arg(long, required_unless_present = "import")]
    pub by: Option<String>,
    /// Why: what was checked.
    #[arg(long, required_unless_present = "import")]
    pub reason: Option<String>,
    /// Import decisions in bulk from a CSV (decision, employee_id, vetting_ref, by, reason).
    #[arg(long, conflicts_with_all = ["verdict", "employee_id", "vetting_ref", "by", "reason"])]
    pub import: Option<PathBuf>,
    /// Confirm a pair that shares nothing linking looks for (no name, date of birth or NI
    /// number in common), which no night ever scored; refused without it.
    #[arg(long, conflicts_with = "import")]
    pub unscored: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(clap::Args, Debug)]
pub struct JmlArgs {
    #[command(subcommand)]
    pub command: JmlCommand,
}

#[derive(Subcommand, Debug)]
pub enum JmlCommand {
    /// Close an action open after the newest night (jml.csv, status open): the next run
    /// lists it as closed, with who closed it and why, then no more.
    Close(JmlCloseArgs),
}

#[derive(clap::Args, Debug)]
pub struct JmlCloseArgs {
    /// The action's id, as jml.csv gives it (`<action>:<employee_id>:<event date>`).
    pub action_id: String,
    /// Why it needs nothing more (what was checked or done instead).
    #[arg(long)]
    pub reason: String,
    /// Who closed it (name or warrant number; default: the login name).
    #[arg(long)]
    pub by: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(clap::Args, Debug)]
pub struct QaArgs {
    #[command(subcommand)]
    pub command: QaCommand,
}

#[derive(Subcommand, Debug)]
pub enum QaCommand {
    /// Record a reviewer's verdict on a decision a run's dip sample drew.
    Record(QaRecordArgs),
    /// Record verdicts in bulk from a CSV (run_id, vetting_ref, verdict, reason, by, and
    /// optionally correction): every row, or none when any row is refused.
    Import(QaImportArgs),
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum QaVerdictArg {
    Agree,
    Disagree,
}

#[derive(clap::Args, Debug)]
pub struct QaRecordArgs {
    /// The run whose dip sample drew the decision, as `vetrecon runs` lists it.
    pub run_id: String,
    /// The sampled decision's vetting reference (as in that run's qa_sample.csv).
    pub vetting_ref: String,
    /// agree (the decision and its rationale stand) or disagree (an open finding).
    #[arg(long, value_enum)]
    pub verdict: QaVerdictArg,
    /// Why: what the review found.
    #[arg(long)]
    pub reason: String,
    /// Who reviewed it (name or warrant number).
    #[arg(long)]
    pub by: String,
    /// Replace the verdict in force on this decision; a second verdict is refused without it.
    #[arg(long)]
    pub correction: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(clap::Args, Debug)]
pub struct QaImportArgs {
    /// The verdicts file (a night's qa_sample.csv with verdict, reason and by filled in reads
    /// as it is).
    pub file: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// The three input files and the as-of date (defaults from the config).
#[derive(clap::Args, Debug)]
pub struct InputArgs {
    /// HR roster CSV (default: input.roster from the config).
    #[arg(long)]
    pub roster: Option<PathBuf>,
    /// Post register CSV (default: input.posts from the config).
    #[arg(long)]
    pub posts: Option<PathBuf>,
    /// Vetting system export CSV (default: input.vetting from the config).
    #[arg(long)]
    pub vetting: Option<PathBuf>,
    /// The date the run judges validity on, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
}

impl InputArgs {
    /// The three files (the command line's, else the config's) and the as-of date, which may
    /// not be further ahead of today than `input.max_days_ahead`.
    fn resolve(
        self,
        p: &config::Policy,
    ) -> Result<(PathBuf, PathBuf, PathBuf, chrono::NaiveDate), Error> {
        let pick = |given: Option<PathBuf>, configured: &Option<PathBuf>, what: &str| {
            given.or_else(|| configured.clone()).ok_or_else(|| {
                Error::Usage(format!(
                    "no {what} file: give --{what} or set input.{what} in the config"
                ))
            })
        };
        let as_of = self
            .as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        vetrecon::run::check_as_of(as_of, chrono::Local::now().date_naive(), p)?;
        Ok((
            pick(self.roster, &p.input.roster, "roster")?,
            pick(self.posts, &p.input.posts, "posts")?,
            pick(self.vetting, &p.input.vetting, "vetting")?,
            as_of,
        ))
    }
}

#[derive(clap::Args, Debug)]
pub struct ConfigArg {
    #[arg(long, help = CONFIG_HELP)]
    pub config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    #[command(flatten)]
    pub config: ConfigArg,
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Where to write the trained model (TOML); point linking.model at it to use it.
    #[arg(long)]
    pub out: PathBuf,
    /// Random (person, record) pairs drawn to estimate u.
    #[arg(long, default_value_t = 1_000_000)]
    pub random_pairs: usize,
    /// Vetting records whose blocked candidate pairs feed EM (a seeded sample if fewer than
    /// the export has).
    #[arg(long, default_value_t = 200_000)]
    pub em_records: usize,
    /// Seed for the random pairs and the sample.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// Employee id on the roster.
    pub employee_id: String,
    /// Vetting reference in the vetting export, or a pnd_ref in the PND returns.
    pub vetting_ref: String,
    #[command(flatten)]
    pub config: ConfigArg,
    #[command(flatten)]
    pub inputs: InputArgs,
    /// PND returns CSV, to explain a pnd_ref (default: input.pnd_returns from the config).
    #[arg(long, value_name = "FILE")]
    pub pnd_returns: Option<PathBuf>,
    /// Store to read the night's breakdown from (default: store.dir from the config; none on
    /// the built-in defaults, which then link the force again).
    #[arg(long)]
    pub db: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct EvaluateArgs {
    /// A directory written by `vetrecon generate` (inputs plus truth/).
    #[arg(long)]
    pub truth: PathBuf,
    #[command(flatten)]
    pub config: ConfigArg,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub inputs: InputArgs,
    #[command(flatten)]
    pub triggers: TriggerArgs,
    /// Check as `run --accept-change` would: guard findings are listed but do not refuse.
    #[arg(long)]
    pub accept_change: bool,
    /// Write every rejected row (with its value) to this CSV, in the rejects.csv layout.
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
}

/// The optional review-trigger feeds (default: input.pnd_returns etc. from the config;
/// absent = that trigger off; `--no-...` turns a configured feed off for this night).
#[derive(clap::Args, Debug)]
pub struct TriggerArgs {
    /// PND returns CSV (the data wash): linked to the roster like vetting records.
    #[arg(long, value_name = "FILE")]
    pub pnd_returns: Option<PathBuf>,
    /// Misconduct outcomes CSV.
    #[arg(long, value_name = "FILE")]
    pub misconduct: Option<PathBuf>,
    /// Notified changes of circumstances CSV.
    #[arg(long, value_name = "FILE")]
    pub circumstances: Option<PathBuf>,
    /// Read no PND returns tonight, whatever the config says.
    #[arg(long, conflicts_with = "pnd_returns")]
    pub no_pnd_returns: bool,
    /// Read no misconduct outcomes tonight, whatever the config says.
    #[arg(long, conflicts_with = "misconduct")]
    pub no_misconduct: bool,
    /// Read no changes of circumstances tonight, whatever the config says.
    #[arg(long, conflicts_with = "circumstances")]
    pub no_circumstances: bool,
    /// Recruitment plan CSV (month, case_type, expected): the intake the unit's demand counts.
    #[arg(long, value_name = "FILE")]
    pub recruitment_plan: Option<PathBuf>,
    /// Read no recruitment plan tonight, whatever the config says.
    #[arg(long, conflicts_with = "recruitment_plan")]
    pub no_recruitment_plan: bool,
    /// Future postings CSV from HR (posting_ref, employee_id, post_id, start_date):
    /// POSTING_NOT_CLEARED before a posting starts.
    #[arg(long, value_name = "FILE")]
    pub postings: Option<PathBuf>,
    /// Read no postings tonight, whatever the config says.
    #[arg(long, conflicts_with = "postings")]
    pub no_postings: bool,
    /// Conditions on clearances CSV (condition_ref, vetting_ref, type, owner_unit,
    /// review_every, last_checked, restricts): the CONDITION_ codes.
    #[arg(long, value_name = "FILE")]
    pub conditions: Option<PathBuf>,
    /// Read no conditions tonight, whatever the config says.
    #[arg(long, conflicts_with = "conditions")]
    pub no_conditions: bool,
    /// Declarations CSV (declaration_ref, employee_id, type, declared_date, review_every,
    /// last_reviewed, decision): the DECLARATION_ codes.
    #[arg(long, value_name = "FILE")]
    pub declarations: Option<PathBuf>,
    /// Read no declarations tonight, whatever the config says.
    #[arg(long, conflicts_with = "declarations")]
    pub no_declarations: bool,
}

impl TriggerArgs {
    fn resolve(self, p: &config::Policy) -> Vec<(&'static str, PathBuf)> {
        let i = &p.input;
        let pick = |given: Option<PathBuf>, off: bool, configured: &Option<PathBuf>| {
            if off {
                None
            } else {
                given.or_else(|| configured.clone())
            }
        };
        [
            (
                "pnd_returns",
                pick(self.pnd_returns, self.no_pnd_returns, &i.pnd_returns),
            ),
            (
                "misconduct",
                pick(self.misconduct, self.no_misconduct, &i.misconduct),
            ),
            (
                "circumstances",
                pick(self.circumstances, self.no_circumstances, &i.circumstances),
            ),
            (
                "postings",
                pick(self.postings, self.no_postings, &i.postings),
            ),
            (
                "conditions",
                pick(self.conditions, self.no_conditions, &i.conditions),
            ),
            (
                "declarations",
                pick(self.declarations, self.no_declarations, &i.declarations),
            ),
            (
                "recruitment_plan",
                pick(
                    self.recruitment_plan,
                    self.no_recruitment_plan,
                    &i.recruitment_plan,
                ),
            ),
        ]
        .into_iter()
        .filter_map(|(role, path)| path.map(|p| (role, p)))
        .collect()
    }
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub inputs: InputArgs,
    #[command(flatten)]
    pub triggers: TriggerArgs,
    /// Output directory (default: output.dir from the config; needed on the built-in defaults).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Accept a roster or vetting file that shrank more than input.max_shrink_share since the
    /// last committed run (a real change, not a truncated export).
    #[arg(long)]
    pub accept_change: bool,
    /// Run again for an as-of date that already has a committed run; the new run supersedes
    /// the old one, and both stay in history.
    #[arg(long)]
    pub rerun: bool,
    /// Commit a night earlier than the newest committed one (a missed night, run late);
    /// without it such a date is refused. History reads the nights in date order.
    #[arg(long)]
    pub backfill: bool,
    /// Commit a night before the retention horizon (the latest `prune --before` date);
    /// without it such a night is refused, since its inputs would be kept again. With it,
    /// its inputs are pruned again as soon as it is committed.
    #[arg(long)]
    pub past_retention: bool,
    /// Renewal forecast what-if for this run, e.g. `RV=5y,MV=5y` (default: report.what_if
    /// from the config; `--what-if ''` turns it off). Kept in the run record for replay.
    #[arg(long, value_name = "LEVEL=PERIOD,...")]
    pub what_if: Option<String>,
}

/// `--what-if RV=5y,RV=3y` is refused rather than letting the last one win: which period
/// the forecast used would otherwise depend on where the operator's typo fell. Only the
/// flag needs this (the config's `[report.what_if]` is a TOML table, whose keys cannot
/// repeat), and only new runs: replay reads the text recorded in older runs as it was.
/// Levels are compared after parsing, so `RV` and `rv` are the same level; malformed items
/// are left for the what-if parser to report.
fn refuse_repeated_what_if(text: &str, levels: &config::Levels) -> Result<(), Error> {
    let mut seen: Vec<(vetrecon::model::LevelId, &str)> = Vec::new();
    for item in text.split(',').filter(|p| !p.trim().is_empty()) {
        let Some((name, _)) = item.split_once('=') else {
            continue;
        };
        let Some(id) = levels.parse(name.trim()) else {
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(x, _)| *x == id) {
            return Err(Error::Usage(format!(
                "--what-if: level {} is given twice (`{}` and `{}`); give each level once",
                levels.name(id),
                first.trim(),
                item.trim()
            )));
        }
        seen.push((id, item));
    }
    Ok(())
}

pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("`{s}` is not a YYYY-MM-DD date: {e}"))
}

/// Logs go to stderr. `RUST_LOG` may raise or lower the level; the default is `info`,
/// at which no name, date of birth or NI number is ever logged.
pub fn init_logging(cli: &Cli) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal());
    match cli.log_format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

pub fn dispatch(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Run(a) => run_night(a),
        Command::Check(a) => check(a),
        Command::Generate(a) => generate(a),
        Command::Train(a) => train(a),
        Command::Explain(a) => explain(a),
        Command::Completions(a) => manual::completions(a.shell),
        Command::Man(a) => manual::man(a.command.as_deref()),
        Command::Evaluate(a) => {
            let cfg = load_config(a.config.config.as_deref())?;
            let e = vetrecon::evaluate::evaluate(&cfg.policy, &a.truth)?;
            print!("{}", e.render());
            Ok(())
        }
        Command::Runs(a) => store_cmds::runs(a),
        Command::Show(a) => store_cmds::show(a),
        Command::Report(a) => store_cmds::report(a),
        Command::Replay(a) => store_cmds::replay(a),
        Command::Diff(a) => store_cmds::diff(a),
        Command::Person(a) => store_cmds::person(a),
        Command::Verify(a) => store_cmds::verify(a),
        Command::Prune(a) => store_cmds::prune(a),
        Command::Decide(a) => store_cmds::decide(a),
        Command::Qa(a) => match a.command {
            QaCommand::Record(a) => store_cmds::qa_record(a),
            QaCommand::Import(a) => store_cmds::qa_import(a),
        },
        Command::Jml(a) => match a.command {
            JmlCommand::Close(a) => store_cmds::jml_close(a),
        },
    }
}

/// `vetrecon run`: the night, with its store and outputs where the command line or the
/// config says (the built-in defaults name neither, so a night on them must).
fn run_night(a: RunArgs) -> Result<(), Error> {
    let cfg = load_config(a.store.config.as_deref())?;
    let p = &cfg.policy;
    if let Some(text) = &a.what_if {
        refuse_repeated_what_if(text, &p.levels)?;
    }
    let out_dir = a.out.or_else(|| p.output_dir.clone());
    let store_dir = a.store.db.or_else(|| p.store_dir.clone());
    let (Some(out_dir), Some(store_dir)) = (out_dir, store_dir) else {
        return Err(unplaced("run", &["--db DIR", "--out DIR"]));
    };
    let (roster, posts, vetting, as_of) = a.inputs.resolve(p)?;
    let spec = RunSpec {
        roster,
        posts,
        vetting,
        triggers: a.triggers.resolve(p),
        as_of,
        out_dir,
        store_dir,
        config: cfg,
        accept_change: a.accept_change,
        rerun: a.rerun,
        backfill: a.backfill,
        past_retention: a.past_retention,
        what_if: a.what_if,
    };
    let outcome = run(spec)?;
    let r = &outcome.record;
    println!(
        "run {} as of {}: {} exceptions",
        r.run_id, r.as_of, r.exceptions
    );
    for i in &r.inputs {
        println!("  read {} {} sha256 {}", i.role, i.path, i.sha256);
    }
    for path in &outcome.written {
        println!("  wrote {}", path.display());
    }
    Ok(())
}

fn check(a: CheckArgs) -> Result<(), Error> {
    let cfg = load_config(a.store.config.as_deref())?;
    let p = &cfg.policy;
    // On the built-in defaults without --db there is no store to compare with (and none is
    // made): the inputs are still checked.
    let store_dir = a.store.db.clone().or_else(|| p.store_dir.clone());
    let (roster, posts, vetting, as_of) = a.inputs.resolve(p)?;
    let triggers = a.triggers.resolve(p);
    if let Some(path) = &a.rejects {
        let mut reads: Vec<&std::path::Path> = vec![&roster, &posts, &vetting];
        reads.extend(cfg.path());
        reads.extend(triggers.iter().map(|(_, p)| p.as_path()));
        reads.extend(cfg.files.iter().map(|(p, _)| p.as_path()));
        vetrecon::run::check_write_target(path, "--rejects", &reads)?;
    }
    let found = vetrecon::preflight::check(&vetrecon::preflight::CheckSpec {
        policy: p,
        roster: &roster,
        posts: &posts,
        vetting: &vetting,
        triggers: &triggers,
        as_of,
        store_dir: store_dir.as_deref(),
    })?;
    if let Some(path) = &a.rejects {
        let bytes = vetrecon::report::rejects::render(&found.rejects());
        vetrecon::report::write::replace_file(path, bytes)?;
    }
    // A closed stdout ends the listing, not the verdict: a refusal still exits 3.
    let printed = stdout::print(&format!(
        "config: {}\n{}",
        cfg.source.describe(),
        found.render(a.accept_change)
    ));
    match found.refusals(a.accept_change).len() {
        0 => printed,
        n => Err(Error::Refused(format!(
            "a run would be refused: {n} problem{} (listed above)",
            if n == 1 { "" } else { "s" }
        ))),
    }
}

fn generate(a: GenerateArgs) -> Result<(), Error> {
    use vetrecon::generate::{self, Noise};
    let noise = match &a.noise {
        None => Noise::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))?;
            Noise::parse(&text).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?
        }
    };
    if !(a.noise_scale >= 0.0 && a.noise_scale.is_finite()) {
        return Err(Error::Usage(
            "--noise-scale must be a non-negative number".into(),
        ));
    }
    if a.people == 0 {
        return Err(Error::Usage("--people must be at least 1".into()));
    }
    let reads: Vec<&std::path::Path> = a.noise.iter().map(PathBuf::as_path).collect();
    vetrecon::run::check_write_target(&a.out, "--out", &reads)?;
    vetrecon::generate::write::check_target(&a.out).map_err(Error::Usage)?;
    let spec = generate::Spec {
        people: a.people,
        seed: a.seed,
        as_of: a.as_of,
        noise: noise.scaled(a.noise_scale),
        casework: !a.no_casework,
        prevention: !a.no_prevention,
        integrity: !a.no_integrity,
    };
    let force = generate::generate(&spec);
    let manifest = generate::write::write(&force, &a.out).map_err(|source| Error::Output {
        path: a.out.clone(),
        source,
    })?;
    println!(
        "generated {} people, {} posts, {} vetting records ({} true links, {} true exceptions) in {}",
        manifest.people,
        force.posts.len(),
        manifest.vetting_records,
        manifest.true_links,
        manifest.true_exceptions,
        a.out.display()
    );
    Ok(())
}

fn train(a: TrainArgs) -> Result<(), Error> {
    use vetrecon::link::{train, Engine, FieldWeights};
    // With no random pair every u would be the smoothing's even split, and with no record
    // EM would hand back the config's m: a model that says nothing, written as if trained.
    for (flag, n, what) in [
        (
            "--random-pairs",
            a.random_pairs,
            "u is estimated from random pairs",
        ),
        (
            "--em-records",
            a.em_records,
            "m is estimated from the records' blocked pairs",
        ),
    ] {
        if n == 0 {
            return Err(Error::Usage(format!(
                "{flag} must be at least 1: {what}, and with none the model written would be flat; nothing was written"
            )));
        }
    }
    let cfg = load_found(config::locate_here(a.config.config.as_deref()))?;
    let (roster, posts, vetting, as_of) = a.inputs.resolve(&cfg.policy)?;
    // Every file training reads, the config found and its own files (a trained model, the
    // nickname list) included: `--out` may be none of them, by any name or link.
    let mut reads: Vec<&std::path::Path> = vec![&roster, &posts, &vetting];
    reads.extend(cfg.path());
    reads.extend(cfg.files.iter().map(|(p, _)| p.as_path()));
    vetrecon::run::check_write_target(&a.out, "--out", &reads)?;
    let (_, data) = vetrecon::run::load(&cfg.policy, &roster, &posts, &vetting, &[], as_of)?;
    let policy = &cfg.policy;
    // Training reads levels and the table's m only: the night's own learning is skipped.
    let mut linking = policy.linking.clone();
    linking.learn_m = false;
    linking.lookalikes = false;
    let engine = Engine::new(&linking, &data.persons, &data.vetting);
    let opts = train::TrainOptions {
        random_pairs: a.random_pairs,
        em_records: a.em_records,
        seed: a.seed,
        ..Default::default()
    };
    let model = train::train(&engine, &opts);
    let after = FieldWeights::build(&model.weights).map_err(Error::Usage)?;
    println!(
        "trained on {} people and {} vetting records: {} random pairs for u, {} blocked pairs for m; EM {} after {} iterations; estimated match share of blocked pairs {:.5}",
        model.roster_rows,
        model.vetting_rows,
        model.random_pairs,
        model.blocked_pairs,
        if model.em_converged { "converged" } else { "did not converge" },
        model.em_iterations,
        model.match_share
    );
    print!("{}", train::compare_table(&policy.linking.weights, &after));
    vetrecon::report::write::replace_file(&a.out, model.to_toml().into_bytes())?;
    println!(
        "wrote {}; set linking.model = \"{}\" in the config to use it",
        a.out.display(),
        a.out.display()
    );
    Ok(())
}

fn explain(a: ExplainArgs) -> Result<(), Error> {
    let cfg = load_config(a.config.config.as_deref())?;
    let policy = &cfg.policy;
    let pnd = a
        .pnd_returns
        .clone()
        .or_else(|| policy.input.pnd_returns.clone());
    let triggers: Vec<(&'static str, PathBuf)> =
        pnd.into_iter().map(|p| ("pnd_returns", p)).collect();
    let (roster, posts, vetting, as_of) = a.inputs.resolve(policy)?;
    let store_dir = a.db.clone().or_else(|| policy.store_dir.clone());
    let mut files = vec![
        ("roster", &roster),
        ("posts", &posts),
        ("vetting", &vetting),
    ];
    files.extend(triggers.iter().map(|(r, p)| (*r, p)));
    // The fast path: what the night stored, when a run had exactly these inputs.
    let ids = (a.employee_id.as_str(), a.vetting_ref.as_str());
    let Some(notice) = explain_from_store(&cfg, store_dir.as_deref(), &files, ids)? else {
        return Ok(());
    };
    eprintln!("{notice}");
    let (_, data) = vetrecon::run::load(policy, &roster, &posts, &vetting, &triggers, as_of)?;
    // Ids compare as everywhere: without regard to case or invisible characters.
    use vetrecon::ingest::value::id_key;
    let (employee, reference) = (id_key(&a.employee_id), a.vetting_ref.as_str());
    let pi = data
        .persons
        .iter()
        .position(|p| id_key(&p.employee_id) == employee)
        .ok_or_else(|| Error::Usage(format!("no employee {} on the roster", a.employee_id)))?;
    let wanted = id_key(reference);
    let breakdown =
        if let Some(vi) = (data.vetting.iter()).position(|v| id_key(&v.vetting_ref) == wanted) {
            relinked_breakdown(policy, &data.persons, &data.vetting, pi, vi, None)
        } else if let Some(vi) = data
            .triggers
            .pnd
            .iter()
            .position(|r| id_key(&r.pnd_ref) == wanted)
        {
            // The night scores PND returns with the model it learnt from the vetting records,
            // the second pass's included (learnt once the vetting records' links widened the
            // roster): link them as the night did.
            let mut vetting_engine =
                vetrecon::link::Engine::new(&policy.linking, &data.persons, &data.vetting);
            vetting_engine.link(&|| {});
            let model = vetting_engine.model();
            relinked_breakdown(
                policy,
                &data.persons,
                &data.triggers.pnd,
                pi,
                vi,
                Some(&model),
            )
        } else {
            return Err(Error::Usage(format!(
                "no vetting record or PND return {reference} in the inputs"
            )));
        };
    stdout::print(&breakdown.render())
}

/// Print the pair's breakdown from a stored night made from these inputs and this config
/// (Ok(None)), or say why the force is linked again instead (Ok(Some(why))).
fn explain_from_store(
    cfg: &config::LoadedConfig,
    store_dir: Option<&std::path::Path>,
    files: &[(&str, &PathBuf)],
    ids: (&str, &str),
) -> Result<Option<String>, Error> {
    use history::explain::PairFound;
    let Some(dir) = store_dir else {
        return Ok(Some(
            "no store named (--db) on the built-in defaults: linking the force again".into(),
        ));
    };
    Ok(Some(match stored_breakdown(cfg, dir, files, ids) {
        Ok(PairFound::Pair { run_id, breakdown }) => {
            eprintln!("explained from stored run {run_id}, made from these input files and this config");
            stdout::print(&breakdown.render())?;
            return Ok(None);
        }
        Ok(PairFound::NotScored { run_id }) => format!(
            "stored run {run_id} has these inputs but kept no breakdown of this pair (pruned, never blocked, or a posterior under {}): linking the force again",
            vetrecon::report::explain_detail::MIN_KEPT_POSTERIOR
        ),
        Ok(PairFound::NoRun) => "no stored night has these inputs: linking the force again".into(),
        Err(e) => format!("cannot read a stored night ({e}): linking the force again"),
    }))
}

/// The pair's breakdown from the newest stored run made from `files` and this config
/// (`history::explain`). A store that does not exist has no such run.
fn stored_breakdown(
    cfg: &config::LoadedConfig,
    store_dir: &std::path::Path,
    files: &[(&str, &PathBuf)],
    (employee_id, reference): (&str, &str),
) -> Result<history::explain::PairFound, Error> {
    use rayon::prelude::*;
    use vetrecon::ingest::source::hex_sha256;
    if !store_dir.exists() {
        return Ok(history::explain::PairFound::NoRun);
    }
    // Hashed on both cores: the vetting export is most of the bytes to hash.
    // A file that cannot be read has no stored night; the slow path reports it properly.
    let Some(inputs) = files
        .par_iter()
        .map(|(role, path)| {
            std::fs::read(path)
                .ok()
                .map(|b| (role.to_string(), hex_sha256(&b)))
        })
        .collect::<Option<Vec<_>>>()
    else {
        return Ok(history::explain::PairFound::NoRun);
    };
    let want = history::explain::Wanted {
        version: env!("CARGO_PKG_VERSION").to_string(),
        config_sha256: hex_sha256(&cfg.bytes),
        config_files: cfg.files.iter().map(|(_, b)| hex_sha256(b)).collect(),
        inputs,
    };
    let store = vetrecon::store::Store::open_read(store_dir)?;
    Ok(history::explain::find(
        &store,
        &want,
        employee_id,
        reference,
    )?)
}

/// The breakdown of one person against one record (vetting record or PND return), by
/// linking the force again: the slow path, for a pair no stored night scored.
fn relinked_breakdown<R: vetrecon::model::ExternalRecord>(
    policy: &config::Policy,
    persons: &[vetrecon::model::Person],
    records: &[R],
    pi: usize,
    vi: usize,
    model: Option<&vetrecon::link::Model>,
) -> vetrecon::report::explain_detail::Breakdown {
    use vetrecon::link::{Engine, Scratch};
    use vetrecon::report::explain_detail::{verdict, Breakdown, FieldLine};
    // Link everything, as the run does: the second pass can widen the person from their
    // other records, and the decision must be the one the run would make.
    // The record's scored pairs and posteriors are the ones its decision read (kept by
    // `link`, as the night keeps them), not a rescoring after the second pass widened the
    // roster: a record linked in the first pass can score differently against the widened
    // people, and its figures must be the ones that decided, as the stored night's are.
    let mut engine = match model {
        Some(m) => Engine::with_model(&policy.linking, persons, records, m),
        None => Engine::new(&policy.linking, persons, records),
    };
    engine.set_keep_detail(Some(0.0));
    let linked = engine.link(&|| {});
    let outcome = &linked.outcomes[vi];
    let detail = &linked.detail[vi];
    let scored = &detail.candidates;
    let none = detail.none;
    let x = match scored
        .iter()
        .chain(&outcome.candidates)
        .find(|c| c.person as usize == pi)
    {
        Some(c) => engine.explain_candidate(c),
        None => engine.explain_as(pi, vi, detail.second_pass),
    };
    let mut scratch = Scratch::default();
    engine.block(vi, &mut scratch);
    let blocked = scratch.candidates.binary_search(&(pi as u32)).is_ok();
    Breakdown {
        employee_id: persons[pi].employee_id.clone(),
        reference: records[vi].reference().to_string(),
        people: persons.len(),
        prior: x.prior,
        lookalike: x.lookalike,
        fields: x
            .fields
            .iter()
            .map(|e| FieldLine {
                level: e.level.to_string(),
                bits: e.bits,
                tf: e.term_frequency,
            })
            .collect(),
        history: engine
            .collective()
            .sources(pi as u32)
            .iter()
            .map(|&r| records[r as usize].reference().to_string())
            .collect(),
        weight: x.weight,
        pairwise: x.probability,
        posterior: scored
            .iter()
            .find(|c| c.person as usize == pi)
            .map(|c| c.probability),
        others: detail.scored - usize::from(scored.iter().any(|c| c.person as usize == pi)),
        none,
        match_share: engine.summary().match_share,
        verdict: verdict(outcome, persons),
        blocked,
    }
}
