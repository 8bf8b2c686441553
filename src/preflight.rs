//! Pre-flight (`vetrecon check`): everything a run would check about tonight's inputs, with
//! nothing committed and no output written.
//!
//! An operator who is handed a new export, or who is woken by a refused run, wants to know in
//! one go what is wrong with it: so, unlike a run (which stops at the first refusal), every
//! file is read and parsed on its own, every reject is listed, and every guard against the
//! last committed run (rows shrunk, header changed) is reported. The checks are the run's
//! own (`ingest::parse`, `ingest::usable`, `ingest::guard::check`), so `check` cannot pass a
//! file the run would refuse, or the other way round.

use crate::config::Policy;
use crate::error::{Error, InputError};
use crate::ingest::{self, table::Parsed, FileStats, Reject, SourceFile};
use crate::store::Store;
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How many rejects per file the report lists (all are in `--rejects FILE`).
const SHOWN_REJECTS: usize = 20;

/// One file as the pre-flight found it.
#[derive(Debug)]
pub struct FileReport {
    pub role: &'static str,
    pub path: PathBuf,
    /// Row counts, when the file could be parsed.
    pub stats: Option<FileStats>,
    pub rejects: Vec<Reject>,
    /// The file's columns a run would not read.
    pub unread: Vec<crate::ingest::table::UnreadColumn>,
    /// Why a run would refuse this file (unreadable, not CSV, missing column, too many
    /// rejects, no data rows), if it would.
    pub refusal: Option<InputError>,
}

/// What `vetrecon check` found.
#[derive(Debug)]
pub struct Preflight {
    pub as_of: NaiveDate,
    pub files: Vec<FileReport>,
    /// Guard findings against the last committed run (refusals unless `--accept-change`).
    pub guards: Vec<InputError>,
    /// The last committed run compared with, if there is a store.
    pub last_run: Option<String>,
    /// No store was named (built-in defaults without `--db`): nothing to compare with.
    pub no_store: bool,
    /// A run already committed for this as-of date (a run would need `--rerun`).
    pub same_night: Option<String>,
    /// The newest committed night (as-of date, run id) when it is later than this as-of date
    /// (a run would need `--backfill`).
    pub newer_night: Option<(String, String)>,
    /// What a run would warn of in its log without refusing: a configured disproportionality
    /// reference group absent from the export, a review-trigger feed not read.
    pub warnings: Vec<String>,
    /// The retention horizon (the latest `prune --before`, and when it ran) when this as-of
    /// date is before it (a run would need `--past-retention`).
    pub pruned_period: Option<(String, String)>,
}

/// Where the three inputs are and which store to compare with.
pub struct CheckSpec<'a> {
    pub policy: &'a Policy,
    pub roster: &'a Path,
    pub posts: &'a Path,
    pub vetting: &'a Path,
    /// The review-trigger feeds given (role, path).
    pub triggers: &'a [(&'static str, std::path::PathBuf)],
    pub as_of: NaiveDate,
    /// The store directory; a directory with no store means a first run (no guards). None
    /// when none is named (the built-in defaults without `--db`): no guards either.
    pub store_dir: Option<&'a Path>,
}

/// Parse one file as a run would, and judge it whole.
fn inspect(
    policy: &Policy,
    file: &SourceFile,
    as_of: NaiveDate,
    vetting_refs: &mut std::collections::HashSet<String>,
    warnings: &mut Vec<String>,
) -> (FileReport, Option<Vec<String>>) {
    fn judge<T>(
        file: &SourceFile,
        parsed: Result<Parsed<T>, InputError>,
        policy: &Policy,
    ) -> (FileReport, Option<Vec<String>>) {
        let mut r = FileReport {
            role: file.role,
            path: file.path.clone(),
            stats: None,
            rejects: Vec::new(),
            unread: Vec::new(),
            refusal: None,
        };
        match parsed {
            Err(e) => {
                r.refusal = Some(e);
                (r, None)
            }
            Ok(p) => {
                // A trigger feed with no rows is fine (no outcomes this period).
                let optional = ingest::FEED_ROLES.contains(&file.role);
                if !(optional && p.data_rows == 0) {
                    r.refusal = ingest::usable(file, &p, &policy.input).err();
                }
                r.stats = Some(p.stats());
                r.rejects = p.rejects;
                r.unread = p.unread;
                (r, Some(p.header))
            }
        }
    }
    let ctx = ingest::ParseCtx {
        policy: &policy.input,
        levels: &policy.levels,
        as_of,
    };
    let cols = &policy.input.columns;
    match file.role {
        "roster" => judge(
            file,
            ingest::roster::parse(&ctx, file, &cols.roster),
            policy,
        ),
        "posts" => judge(file, ingest::posts::parse(&ctx, file, &cols.posts), policy),
        // The vetting export is read first, so a PND reference equal to one of its
        // references is rejected here as the run rejects it.
        "pnd_returns" => judge(
            file,
            ingest::pnd::parse(&ctx, file, &cols.pnd_returns, vetting_refs),
            policy,
        ),
        "misconduct" => judge(
            file,
            ingest::misconduct::parse(&ctx, file, &cols.misconduct),
            policy,
        ),
        "circumstances" => judge(
            file,
            ingest::circumstances::parse(&ctx, file, &cols.circumstances),
            policy,
        ),
        "postings" => judge(
            file,
            ingest::postings::parse(&ctx, file, &cols.postings),
            policy,
        ),
        "conditions" => judge(
            file,
            ingest::conditions::parse(&ctx, file, &cols.conditions),
            policy,
        ),
        "declarations" => judge(
            file,
            ingest::declarations::parse(&ctx, file, &cols.declarations),
            policy,
        ),
        "recruitment_plan" => judge(
            file,
            ingest::plan::parse(&ctx, file, &cols.recruitment_plan),
            policy,
        ),
        _ => {
            let parsed = ingest::vetting::parse(&ctx, file, &cols.vetting);
            if let Ok(p) = &parsed {
                *vetting_refs = ingest::vetting_refs(&p.rows);
                let settings = &policy.report.disproportionality;
                let a =
                    crate::analyse::disproportion::analyse(&p.rows, &p.columns, as_of, settings);
                warnings.extend(a.warnings);
            }
            judge(file, parsed, policy)
        }
    }
}

/// Read, parse and guard the inputs as a run would, committing nothing.
pub fn check(spec: &CheckSpec<'_>) -> Result<Preflight, Error> {
    let policy = spec.policy;
    let mut out = Preflight {
        as_of: spec.as_of,
        files: Vec::new(),
        guards: Vec::new(),
        last_run: None,
        no_store: spec.store_dir.is_none(),
        same_night: None,
        newer_night: None,
        warnings: Vec::new(),
        pruned_period: None,
    };
    let read: Vec<&str> = spec.triggers.iter().map(|(role, _)| *role).collect();
    for (role, off) in ingest::feeds_of_night(&policy.input, &read).unread() {
        out.warnings.push(format!(
            "{}: a run would check none of its review triggers, and say so where their figures stand",
            crate::model::feeds::not_read_text(role, off)
        ));
    }
    let mut headers: Vec<Option<Vec<String>>> = Vec::new();
    let mut vetting_refs = std::collections::HashSet::new();
    let triggers = spec.triggers.iter().map(|(r, p)| (*r, p.as_path()));
    for (role, path) in [
        ("roster", spec.roster),
        ("posts", spec.posts),
        ("vetting", spec.vetting),
    ]
    .into_iter()
    .chain(triggers)
    {
        match SourceFile::read(role, path, policy.input.read_limits) {
            Ok(f) => {
                let (rep, header) =
                    inspect(policy, &f, spec.as_of, &mut vetting_refs, &mut out.warnings);
                out.files.push(rep);
                headers.push(header);
            }
            Err(e) => {
                out.files.push(FileReport {
                    role,
                    path: path.to_path_buf(),
                    stats: None,
                    rejects: Vec::new(),
                    unread: Vec::new(),
                    refusal: Some(e),
                });
                headers.push(None);
            }
        }
    }
    let Some(store_dir) = spec.store_dir else {
        return Ok(out);
    };
    if crate::store::probe(store_dir)? != crate::store::AtPath::Store {
        return Ok(out);
    }
    let store = Store::open_read(store_dir)?;
    let entries = store.entries()?;
    let runs = crate::store::runs_of(&entries);
    let Some(last) = crate::history::latest(&runs) else {
        return Ok(out);
    };
    out.last_run = Some(last.record.run_id.clone());
    let day = spec.as_of.to_string();
    out.same_night = runs
        .iter()
        .rev()
        .find(|r| r.record.as_of == day && r.superseded_by.is_none())
        .map(|r| r.record.run_id.clone());
    out.newer_night = crate::history::latest(&runs)
        .filter(|r| r.record.as_of > day)
        .map(|r| (r.record.as_of.clone(), r.record.run_id.clone()));
    out.pruned_period = crate::history::prune::horizon(&entries).filter(|(b, _)| day < *b);
    // Each file that was read and parsed is guarded as the run would guard it.
    let seen: Vec<ingest::guard::Seen<'_>> = out
        .files
        .iter()
        .zip(&headers)
        .filter_map(|(f, h)| {
            Some(ingest::guard::Seen {
                role: f.role,
                path: &f.path,
                stats: f.stats?,
                header: h.as_deref()?,
            })
        })
        .collect();
    out.guards = ingest::guard::check(
        &seen,
        &ingest::guard::previous(Some(&last.record)),
        policy.input.max_shrink_share,
    );
    Ok(out)
}

impl Preflight {
    /// Every reason a run would be refused, in file order then guards (guards only when
    /// `--accept-change` is not given).
    pub fn refusals(&self, accept_change: bool) -> Vec<&InputError> {
        let mut v: Vec<&InputError> = self
            .files
            .iter()
            .filter_map(|f| f.refusal.as_ref())
            .collect();
        if !accept_change {
            v.extend(&self.guards);
        }
        v
    }

    /// Every reject, in file order then line order.
    pub fn rejects(&self) -> Vec<Reject> {
        self.files
            .iter()
            .flat_map(|f| f.rejects.iter().cloned())
            .collect()
    }

    /// The plain-text report: no names or dates of birth (reject values are left to the
    /// `--rejects` file, which is created owner-only like every output).
    pub fn render(&self, accept_change: bool) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "check as of {}{}",
            self.as_of,
            match &self.last_run {
                Some(r) => format!(", compared with the last committed run {r}"),
                None if self.no_store =>
                    ", no store named (--db): nothing to compare with, and a run would need --db and --out".into(),
                None => ", no committed run to compare with (first run)".into(),
            }
        );
        let _ = writeln!(
            s,
            "{:<16} {:>9} {:>9} {:>9}  path",
            "file", "rows", "accepted", "rejected"
        );
        for f in &self.files {
            let n = |g: fn(&FileStats) -> usize| {
                f.stats
                    .as_ref()
                    .map_or("-".to_string(), |st| g(st).to_string())
            };
            let _ = writeln!(
                s,
                "{:<16} {:>9} {:>9} {:>9}  {}",
                f.role,
                n(|st| st.rows),
                n(|st| st.accepted),
                n(|st| st.rejected),
                f.path.display()
            );
        }
        for f in self.files.iter().filter(|f| !f.unread.is_empty()) {
            let _ = writeln!(
                s,
                "columns of {} a run would not read (nothing in them is checked or analysed):",
                f.role
            );
            for c in &f.unread {
                let _ = writeln!(s, "  {}", c.describe());
            }
        }
        for f in self.files.iter().filter(|f| !f.rejects.is_empty()) {
            let _ = writeln!(s, "rejected rows in {} (line, column: reason):", f.role);
            for r in f.rejects.iter().take(SHOWN_REJECTS) {
                let col = if r.column.is_empty() {
                    "row"
                } else {
                    &r.column
                };
                let _ = writeln!(s, "  line {}, {col}: {}", r.line, r.reason);
            }
            if f.rejects.len() > SHOWN_REJECTS {
                let _ = writeln!(
                    s,
                    "  ... and {} more (all of them: --rejects FILE)",
                    f.rejects.len() - SHOWN_REJECTS
                );
            }
        }
        if let Some(id) = &self.same_night {
            let _ = writeln!(
                s,
                "note: run {id} is already committed for {}; a run for this date needs --rerun",
                self.as_of
            );
        }
        if let Some((day, id)) = &self.newer_night {
            let _ = writeln!(
                s,
                "note: the newest committed night is {day} ({id}); a run for the earlier {} needs --backfill",
                self.as_of
            );
        }
        for w in &self.warnings {
            let _ = writeln!(s, "warning: {w}");
        }
        if let Some((before, at)) = &self.pruned_period {
            let _ = writeln!(
                s,
                "note: `prune` removed the inputs of nights before {before} on {at}; a run for {} needs --past-retention (and its inputs are pruned again at once)",
                self.as_of
            );
        }
        if accept_change {
            for g in &self.guards {
                let _ = writeln!(s, "accepted by --accept-change: {}", plain(g));
            }
        }
        let refusals = self.refusals(accept_change);
        for e in &refusals {
            let _ = writeln!(s, "refused: {}", plain(e));
        }
        if refusals.is_empty() {
            let _ = writeln!(s, "CHECK OK: a run would proceed");
        } else {
            let _ = writeln!(
                s,
                "CHECK FAILED: a run would be refused ({} problem{})",
                refusals.len(),
                if refusals.len() == 1 { "" } else { "s" }
            );
        }
        s
    }
}

/// An error as the pre-flight says it: a check commits nothing, so the run's "nothing was
/// committed" is left off.
fn plain(e: &InputError) -> String {
    let s = e.to_string();
    s.strip_suffix("; nothing was committed")
        .unwrap_or(&s)
        .to_string()
}
