//! Ingest: read the three input files against the data contract into typed records.
//!
//! Whole files are read into memory first because the store keeps their exact bytes
//! (content-addressed) and the run hashes them; parsing then streams over those bytes.
//! Row problems become rejects; file problems (missing, no header, missing column, too many
//! rejects, no data rows) refuse the run before anything is written.

pub mod circumstances;
pub mod conditions;
pub mod declarations;
pub mod dialect;
#[cfg(test)]
mod fuzz;
pub mod guard;
pub mod misconduct;
pub mod plan;
pub mod pnd;
pub mod postings;
pub mod posts;
pub mod roster;
pub mod settings;
pub mod source;
pub mod table;
pub mod value;
pub mod vetting;

use crate::error::InputError;
use crate::model::{Circumstance, Levels, Misconduct, Person, PndReturn, Post, VettingRecord};
use chrono::NaiveDate;
pub use settings::InputPolicy;
pub use source::{hex_sha256, ReadLimits, SourceFile};
pub use table::Reject;

/// The inputs of a run: the three the contract requires, and the optional review-trigger
/// feeds (absent file = feature off).
#[derive(Debug, Clone)]
pub struct Sources {
    pub roster: SourceFile,
    pub posts: SourceFile,
    pub vetting: SourceFile,
    /// The optional feeds given, in `FEED_ROLES` order.
    pub triggers: Vec<SourceFile>,
}

/// Roles of the optional feeds that raise exceptions (`assess::Code::feed`), in the order
/// they are read and stored: the three review triggers, HR's future postings, the
/// conditions on clearances and the declarations. A night that did not read one did not
/// check its codes, and every figure built on it says so.
pub const TRIGGER_ROLES: [&str; 6] = [
    "pnd_returns",
    "misconduct",
    "circumstances",
    "postings",
    "conditions",
    "declarations",
];

/// Roles of every optional feed: those that raise exceptions, then the recruitment plan
/// (which raises none; the unit's demand reads it). Read and stored in this order.
pub const FEED_ROLES: [&str; 7] = [
    "pnd_returns",
    "misconduct",
    "circumstances",
    "postings",
    "conditions",
    "declarations",
    "recruitment_plan",
];

/// The roster's optional columns an exception code is raised from (`assess::Code::columns`):
/// a roster without one did not check the code.
pub const ROSTER_CODE_COLUMNS: [&str; 1] = ["last_integrity_review"];

impl Sources {
    /// The three required inputs.
    pub fn all(&self) -> [&SourceFile; 3] {
        [&self.roster, &self.posts, &self.vetting]
    }

    /// Every input given: the three, then the trigger feeds.
    pub fn every(&self) -> impl Iterator<Item = &SourceFile> {
        self.all().into_iter().chain(self.triggers.iter())
    }

    /// `every`, mutably, in the same order.
    pub fn every_mut(&mut self) -> impl Iterator<Item = &mut SourceFile> {
        [&mut self.roster, &mut self.posts, &mut self.vetting]
            .into_iter()
            .chain(self.triggers.iter_mut())
    }

    fn trigger(&self, role: &str) -> Option<&SourceFile> {
        self.triggers.iter().find(|f| f.role == role)
    }
}

/// The optional feeds of a night that read the feeds `read` (roles) under `policy`: each
/// not read is switched off, on the command line if the config names it.
pub fn feeds_of_night(policy: &InputPolicy, read: &[&str]) -> crate::model::feeds::Feeds {
    crate::model::feeds::Feeds::of_night(&TRIGGER_ROLES, read, &policy.configured_feeds())
}

/// Row counts for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileStats {
    pub rows: usize,
    pub accepted: usize,
    pub rejected: usize,
}

/// Everything ingest produced.
#[derive(Debug)]
pub struct Ingested {
    pub persons: Vec<Person>,
    pub posts: Vec<Post>,
    pub vetting: Vec<VettingRecord>,
    /// The review-trigger feeds (empty when not given).
    pub triggers: Triggers,
    /// All rejects, in file order (roster, posts, vetting, then the trigger feeds) then
    /// line order.
    pub rejects: Vec<Reject>,
    pub stats: [(&'static str, FileStats); 3],
    /// Each file's header cells, in file order (roster, posts, vetting).
    pub headers: [Vec<String>; 3],
    /// The vetting export's contract columns present (`table::Parsed::columns`): an
    /// optional one absent was not read.
    pub vetting_columns: Vec<&'static str>,
    /// The post register's contract columns present: without `revet_on_appointment`, no
    /// move is known to call for a re-vet, and the joiners-movers-leavers section says so.
    pub post_columns: Vec<&'static str>,
    /// The roster's contract columns present: without `post_start_date`, no move into a
    /// post can be dated, and the figures built on it say "not read".
    pub roster_columns: Vec<&'static str>,
    /// The optional columns codes are raised from that tonight's files hold: the vetting
    /// export's contract columns and the roster's `ROSTER_CODE_COLUMNS` present. A code whose
    /// `Code::columns` are not all here was not checked (`assess::Facts::checks`).
    pub code_columns: Vec<&'static str>,
    /// Every input's columns that were not read, by role, in file order (files with none
    /// left out): named in the log, by `check` and on the page, so an ignored column is
    /// never taken for an analysed one.
    pub unread: Vec<(&'static str, Vec<table::UnreadColumn>)>,
}

/// The review-trigger feeds of a night.
#[derive(Debug, Default)]
pub struct Triggers {
    pub pnd: Vec<PndReturn>,
    pub misconduct: Vec<Misconduct>,
    pub circumstances: Vec<Circumstance>,
    /// The recruitment plan's rows (empty when not given: `has("recruitment_plan")` tells).
    pub plan: Vec<crate::model::casework::PlannedIntake>,
    /// HR's future postings (empty when not given: `has("postings")` tells).
    pub postings: Vec<crate::model::prevention::Posting>,
    /// The conditions on clearances (empty when not given: `has("conditions")` tells).
    pub conditions: Vec<crate::model::prevention::Condition>,
    /// The declarations (empty when not given: `has("declarations")` tells).
    pub declarations: Vec<crate::model::integrity::Declaration>,
    /// Each feed given: the contract columns its header holds, in `FEED_ROLES` order (an
    /// optional column absent was not read: `column`).
    pub columns: Vec<(&'static str, Vec<&'static str>)>,
    /// Each feed given: its role, row counts and header, in `FEED_ROLES` order.
    pub given: Vec<(&'static str, FileStats, Vec<String>)>,
    /// Each feed's columns not read (feeds with none left out).
    pub unread: Vec<(&'static str, Vec<table::UnreadColumn>)>,
}

impl Triggers {
    pub fn has(&self, role: &str) -> bool {
        self.given.iter().any(|g| g.0 == role)
    }

    /// Did tonight's `role` feed have the contract column `column`? (False for a feed not
    /// given.)
    pub fn column(&self, role: &str, column: &str) -> bool {
        self.columns
            .iter()
            .any(|(r, cols)| *r == role && cols.contains(&column))
    }
}

/// The three files parsed, each on its own: a file refused as a whole does not stop the
/// others being read (`vetrecon check` reports on all three).
pub struct Parsed3 {
    pub roster: Result<table::Parsed<Person>, InputError>,
    pub posts: Result<table::Parsed<Post>, InputError>,
    pub vetting: Result<table::Parsed<VettingRecord>, InputError>,
}

/// What row parsers need to know beyond the row.
pub struct ParseCtx<'a> {
    pub policy: &'a InputPolicy,
    /// The level table, to read clearance levels.
    pub levels: &'a Levels,
    pub as_of: NaiveDate,
}

impl ParseCtx<'_> {
    pub fn date(&self, s: &str) -> Result<NaiveDate, String> {
        self.policy.date_formats.parse(s)
    }

    /// An optional date column: blank is `None`, a bad date is a reject naming the column.
    pub fn optional_date(
        &self,
        row: &table::InputRow<'_>,
        col: &str,
    ) -> Result<Option<NaiveDate>, Reject> {
        row.get(col)?
            .map(|v| self.date(v).map_err(|e| row.reject(col, v, &e)))
            .transpose()
    }

    /// An optional date of something that has happened (a vetting decision, a review): not
    /// after the as-of date. A review keyed as 9999-12-31 would close every review trigger
    /// of that clearance for good, and a decision in the future is a typo, not a clearance.
    pub fn optional_past_date(
        &self,
        row: &table::InputRow<'_>,
        col: &str,
    ) -> Result<Option<NaiveDate>, Reject> {
        let d = self.optional_date(row, col)?;
        match d {
            Some(d) if d > self.as_of => Err(row.reject(
                col,
                row.get(col)?.unwrap_or(""),
                &format!("{col} is after the as-of date {}", self.as_of),
            )),
            _ => Ok(d),
        }
    }

    /// An optional review period (`review_every` of conditions.csv and declarations.csv):
    /// blank is `None`, anything `ReviewPeriod::parse` refuses a reject naming the column.
    pub fn optional_period(
        &self,
        row: &table::InputRow<'_>,
        col: &str,
    ) -> Result<Option<crate::model::prevention::ReviewPeriod>, Reject> {
        row.get(col)?
            .map(|v| {
                crate::model::prevention::ReviewPeriod::parse(v).ok_or_else(|| {
                    row.reject(
                        col,
                        v,
                        &format!("{col} is not a period (such as `6 months`, `90 days`, `1 year` or `P6M`, at most ten years)"),
                    )
                })
            })
            .transpose()
    }

    /// A required date of an event that has happened: not after the as-of date.
    pub fn required_past_date(
        &self,
        row: &table::InputRow<'_>,
        col: &str,
    ) -> Result<NaiveDate, Reject> {
        match self.optional_past_date(row, col)? {
            Some(d) => Ok(d),
            None => Err(row.reject(col, "", &format!("{col} is required"))),
        }
    }

    /// A required date column: blank or bad is a reject naming the column.
    pub fn required_date(&self, row: &table::InputRow<'_>, col: &str) -> Result<NaiveDate, Reject> {
        let v = row.required(col)?;
        self.date(v).map_err(|e| row.reject(col, v, &e))
    }

    /// A date of birth: a real date, not after the as-of date, not before the configured year.
    pub fn birth_date(&self, s: &str) -> Result<NaiveDate, String> {
        let d = self.date(s)?;
        if d > self.as_of {
            return Err(format!(
                "date of birth is after the as-of date {}",
                self.as_of
            ));
        }
        if d < NaiveDate::from_ymd_opt(self.policy.earliest_birth_year, 1, 1)
            .unwrap_or(NaiveDate::MIN)
        {
            return Err(format!(
                "date of birth is before {}",
                self.policy.earliest_birth_year
            ));
        }
        Ok(d)
    }
}

/// Refuse a file with no data rows, every row rejected, or more rejects than both
/// `limit` (a share) and `allowed` (a number of rows) permit.
fn check_share(
    file: &SourceFile,
    rejected: usize,
    rows: usize,
    (limit, allowed): (f64, usize),
) -> Result<(), InputError> {
    if rows == 0 {
        return Err(InputError::Malformed {
            file: file.path.clone(),
            line: 1,
            message:
                "the file has a header but no data rows; refusing to treat everyone as missing"
                    .into(),
        });
    }
    let share = rejected as f64 / rows as f64;
    if share > limit && (rejected > allowed || rejected >= rows) {
        return Err(InputError::TooManyRejects {
            file: file.path.clone(),
            rejected,
            rows,
            share: share * 100.0,
            limit: limit * 100.0,
        });
    }
    Ok(())
}

/// Parse all three inputs against the contract, each file independently.
pub fn parse(
    policy: &InputPolicy,
    levels: &Levels,
    sources: &Sources,
    as_of: NaiveDate,
) -> Parsed3 {
    let ctx = ParseCtx {
        policy,
        levels,
        as_of,
    };
    let cols = &policy.columns;
    // The files are independent: the vetting export (the largest) parses beside the others.
    let (vetting, (roster, posts)) = rayon::join(
        || vetting::parse(&ctx, &sources.vetting, &cols.vetting),
        || {
            (
                roster::parse(&ctx, &sources.roster, &cols.roster),
                posts::parse(&ctx, &sources.posts, &cols.posts),
            )
        },
    );
    Parsed3 {
        roster,
        posts,
        vetting,
    }
}

/// A parsed file that a run can use: it has data rows and not too many rejects.
pub fn usable<T>(
    file: &SourceFile,
    parsed: &table::Parsed<T>,
    policy: &InputPolicy,
) -> Result<(), InputError> {
    check_share(
        file,
        parsed.rejected_lines(),
        parsed.data_rows,
        (policy.max_reject_share, policy.rejects_allowed),
    )
}

/// Read and validate all three inputs; the first file refused refuses the run.
pub fn ingest(
    policy: &InputPolicy,
    levels: &Levels,
    sources: &Sources,
    as_of: NaiveDate,
) -> Result<Ingested, InputError> {
    ingest_as(policy, levels, sources, as_of, true)
}

/// `ingest` of files `about` cut down: a file may hold no row (the id is not in it), and
/// the share of rejects says nothing about the whole file, so neither is checked.
pub fn ingest_about(
    policy: &InputPolicy,
    levels: &Levels,
    sources: &Sources,
    as_of: NaiveDate,
) -> Result<Ingested, InputError> {
    ingest_as(policy, levels, sources, as_of, false)
}

fn ingest_as(
    policy: &InputPolicy,
    levels: &Levels,
    sources: &Sources,
    as_of: NaiveDate,
    whole: bool,
) -> Result<Ingested, InputError> {
    let all = parse(policy, levels, sources, as_of);
    let roster = all.roster?;
    if whole {
        usable(&sources.roster, &roster, policy)?;
    }
    let posts = all.posts?;
    usable(&sources.posts, &posts, policy)?;
    let vetting = all.vetting?;
    if whole {
        usable(&sources.vetting, &vetting, policy)?;
    }
    let stats = [
        ("roster", roster.stats()),
        ("posts", posts.stats()),
        ("vetting", vetting.stats()),
    ];
    let mut unread: Vec<(&'static str, Vec<table::UnreadColumn>)> = [
        ("roster", roster.unread.clone()),
        ("posts", posts.unread.clone()),
        ("vetting", vetting.unread.clone()),
    ]
    .into_iter()
    .filter(|(_, u)| !u.is_empty())
    .collect();
    let mut persons = roster.rows;
    align_post_ids(&mut persons, &posts.rows);
    let mut rejects = roster.rejects;
    rejects.extend(posts.rejects);
    rejects.extend(vetting.rejects);
    let triggers = parse_triggers(
        policy,
        levels,
        sources,
        as_of,
        &vetting.rows,
        &mut rejects,
        whole,
    )?;
    unread.extend(triggers.unread.iter().cloned());
    Ok(Ingested {
        unread,
        persons,
        posts: posts.rows,
        vetting: vetting.rows,
        triggers,
        rejects,
        stats,
        code_columns: vetting
            .columns
            .iter()
            .copied()
            .chain((roster.columns.iter().copied()).filter(|c| ROSTER_CODE_COLUMNS.contains(c)))
            .collect(),
        vetting_columns: vetting.columns,
        post_columns: posts.columns,
        roster_columns: roster.columns,
        headers: [roster.header, posts.header, vetting.header],
    })
}

/// `sources` cut down to what one clerical decision is about: the roster rows of
/// `employee_id`, the vetting records and PND returns of `reference` (both as ids compare),
/// the whole post register (small, and the roster is read against it), and no other feed.
/// Ingested, it gives those people and records as ingesting every file would, in a fraction
/// of the time at national scale.
pub fn about(
    policy: &InputPolicy,
    sources: &Sources,
    employee_id: &str,
    reference: &str,
) -> Result<Sources, InputError> {
    let cols = &policy.columns;
    let (employee_id, reference) = (value::id_key(employee_id), value::id_key(reference));
    let cut = |f: &SourceFile, c: &[table::Column], a, column: &str, want: &str| {
        table::rows_with(f, &policy.dialect, c, a, column, want)
    };
    let mut triggers = Vec::new();
    for t in sources.triggers.iter().filter(|t| t.role == "pnd_returns") {
        triggers.push(cut(
            t,
            pnd::COLUMNS,
            &cols.pnd_returns,
            "pnd_ref",
            &reference,
        )?);
    }
    Ok(Sources {
        roster: cut(
            &sources.roster,
            roster::COLUMNS,
            &cols.roster,
            "employee_id",
            &employee_id,
        )?,
        posts: sources.posts.clone(),
        vetting: cut(
            &sources.vetting,
            vetting::COLUMNS,
            &cols.vetting,
            "vetting_ref",
            &reference,
        )?,
        triggers,
    })
}

/// A roster post id that differs from a register post id only as ids compare (case,
/// invisible characters: `value::id_key`) names that post, and takes the register's spelling:
/// every lookup by post id (the requirement, titles, designated posts) then finds it, where
/// `p004` on the roster would otherwise be an UNKNOWN_POST beside the register's `P004`.
fn align_post_ids(persons: &mut [Person], posts: &[Post]) {
    let exact: std::collections::HashSet<&str> = posts.iter().map(|p| p.post_id.as_str()).collect();
    let mut folded: Option<std::collections::HashMap<String, &str>> = None;
    for id in persons.iter_mut().filter_map(|p| p.post_id.as_mut()) {
        if exact.contains(id.as_str()) {
            continue;
        }
        let by_key = folded.get_or_insert_with(|| {
            (posts.iter())
                .map(|p| (value::id_key(&p.post_id), p.post_id.as_str()))
                .collect()
        });
        if let Some(register) = by_key.get(&value::id_key(id)) {
            *id = (*register).to_string();
        }
    }
}

/// Tonight's vetting references as ids compare: a PND reference may equal none of them.
pub fn vetting_refs(vetting: &[VettingRecord]) -> std::collections::HashSet<String> {
    vetting
        .iter()
        .map(|v| value::id_key(&v.vetting_ref))
        .collect()
}

/// Parse the trigger feeds given. The same rules as the other files, except that a feed
/// with no data rows is fine (no outcomes this period); too many rejects still refuse.
pub fn parse_triggers(
    policy: &InputPolicy,
    levels: &Levels,
    sources: &Sources,
    as_of: NaiveDate,
    vetting: &[VettingRecord],
    rejects: &mut Vec<Reject>,
    whole: bool,
) -> Result<Triggers, InputError> {
    let ctx = ParseCtx {
        policy,
        levels,
        as_of,
    };
    let cols = &policy.columns;
    let mut t = Triggers::default();
    fn keep<T>(
        t: &mut Triggers,
        file: &SourceFile,
        parsed: table::Parsed<T>,
        (policy, whole): (&InputPolicy, bool),
        rejects: &mut Vec<Reject>,
    ) -> Result<Vec<T>, InputError> {
        // A file cut down by `about` says nothing of the whole file's share of rejects.
        if whole && parsed.data_rows > 0 {
            usable(file, &parsed, policy)?;
        }
        t.given.push((file.role, parsed.stats(), parsed.header));
        t.columns.push((file.role, parsed.columns));
        if !parsed.unread.is_empty() {
            t.unread.push((file.role, parsed.unread));
        }
        rejects.extend(parsed.rejects);
        Ok(parsed.rows)
    }
    if let Some(f) = sources.trigger("pnd_returns") {
        let refs = vetting_refs(vetting);
        let p = pnd::parse(&ctx, f, &cols.pnd_returns, &refs)?;
        t.pnd = keep(&mut t, f, p, (policy, whole), rejects)?;
    }
    if let Some(f) = sources.trigger("misconduct") {
        let p = misconduct::parse(&ctx, f, &cols.misconduct)?;
        t.misconduct = keep(&mut t, f, p, (policy, whole), rejects)?;
    }
    if let Some(f) = sources.trigger("circumstances") {
        let p = circumstances::parse(&ctx, f, &cols.circumstances)?;
        t.circumstances = keep(&mut t, f, p, (policy, whole), rejects)?;
    }
    if let Some(f) = sources.trigger("postings") {
        let p = postings::parse(&ctx, f, &cols.postings)?;
        t.postings = keep(&mut t, f, p, (policy, whole), rejects)?;
    }
    if let Some(f) = sources.trigger("conditions") {
        let p = conditions::parse(&ctx, f, &cols.conditions)?;
        t.conditions = keep(&mut t, f, p, (policy, whole), rejects)?;
    }
    if let Some(f) = sources.trigger("declarations") {
        let p = declarations::parse(&ctx, f, &cols.declarations)?;
        t.declarations = keep(&mut t, f, p, (policy, whole), rejects)?;
    }
    if let Some(f) = sources.trigger("recruitment_plan") {
        let p = plan::parse(&ctx, f, &cols.recruitment_plan)?;
        t.plan = keep(&mut t, f, p, (policy, whole), rejects)?;
    }
    Ok(t)
}

/// Reject rows whose key was already seen, keeping the first occurrence. Keys are compared
/// as `value::id_key` compares ids: `E1008` and `e1008` are the same key.
pub(crate) struct KeySet {
    /// Fx-hashed: the keys come from the force's own files, and only lookups are made (the
    /// map is never iterated), so no order can leak into an output.
    seen: rustc_hash::FxHashMap<String, (u64, String)>,
    column: &'static str,
}

impl KeySet {
    /// A key set sized for `file`'s lines, so it never rehashes while the file is read.
    pub fn new(column: &'static str, file: &SourceFile) -> KeySet {
        let mut seen = rustc_hash::FxHashMap::default();
        seen.reserve(table::line_count(&file.bytes));
        KeySet { seen, column }
    }

    pub fn check(&mut self, row: &table::InputRow<'_>, key: &str) -> Result<(), Reject> {
        self.check_at(row.role(), row.line, key)
    }

    /// `check` for the row of file `role` on `line`.
    pub fn check_at(&mut self, role: &str, line: u64, key: &str) -> Result<(), Reject> {
        self.check_folded(role, line, key, value::id_key(key))
    }

    /// `check_at` with the key already folded (`value::id_key`): a file parsed in parts
    /// folds its keys on both cores, and only the lookup runs in file order.
    pub fn check_folded(
        &mut self,
        role: &str,
        line: u64,
        key: &str,
        folded: String,
    ) -> Result<(), Reject> {
        if let Some((first, spelled)) = self.seen.get(&folded) {
            // The first row's spelling is not quoted: a reason reaches `check` and the log,
            // which hold no cell values (this row's own value is in the reject's value).
            let how = if spelled == key {
                ""
            } else {
                " spelled otherwise (ids are compared without regard to case)"
            };
            return Err(table::reject_at(
                role,
                line,
                self.column,
                key,
                &format!("duplicate {}, first seen on line {first}{how}", self.column),
            ));
        }
        self.seen.insert(folded, (line, key.to_string()));
        Ok(())
    }
}

/// An optional yes/no column: `None` when blank or absent (not recorded); a bad value is a
/// reject naming the column.
pub(crate) fn optional_flag(row: &table::InputRow<'_>, col: &str) -> Result<Option<bool>, Reject> {
    row.get(col)?
        .map(|v| value::parse_bool(v).map_err(|e| row.reject(col, v, &e)))
        .transpose()
}

/// A required yes/no column: a blank is a reject, never read as "no".
pub(crate) fn required_flag(row: &table::InputRow<'_>, col: &str) -> Result<bool, Reject> {
    optional_flag(row, col)?.ok_or_else(|| {
        row.reject(
            col,
            "",
            &format!("{col} is required (yes or no); a blank is not read as no"),
        )
    })
}

/// The identity columns both people files share, parsed by the same rules on both sides.
pub(crate) struct ParsedIdentity {
    pub surname: String,
    pub forenames: String,
    pub previous_surnames: Vec<String>,
    pub date_of_birth: NaiveDate,
    pub ni_number: Option<String>,
}

pub(crate) fn identity(
    ctx: &ParseCtx<'_>,
    row: &table::InputRow<'_>,
) -> Result<ParsedIdentity, Reject> {
    let surname = row.required("surname")?;
    check_name(row, "surname", surname)?;
    let forenames = row.required("forenames")?;
    check_name(row, "forenames", forenames)?;
    let dob_raw = row.required("date_of_birth")?;
    let date_of_birth = ctx
        .birth_date(dob_raw)
        .map_err(|e| row.reject("date_of_birth", dob_raw, &e))?;
    Ok(ParsedIdentity {
        surname: surname.to_string(),
        forenames: forenames.to_string(),
        previous_surnames: row
            .get("previous_surnames")?
            .map(value::parse_list)
            .unwrap_or_default(),
        date_of_birth,
        ni_number: row
            .get("ni_number")?
            .and_then(crate::normalise::normalise_ni),
    })
}

/// A name that normalises to nothing (only digits or punctuation) cannot be linked, and
/// neither can one with no letter at all: transliteration turns an emoji into words ("😀" is
/// "grinning"), so the raw value must hold a letter of some alphabet too.
fn check_name(row: &table::InputRow<'_>, column: &str, value: &str) -> Result<(), Reject> {
    // An ASCII letter is always a letter that normalisation keeps (it tokenises on ASCII
    // letters and only ever joins tokens), so the full normalisation, which allocates, is
    // needed only for a name without one (a large force has millions of names a night).
    if value.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Ok(());
    }
    if !value.chars().any(char::is_alphabetic)
        || crate::normalise::surname_form(value).full.is_empty()
    {
        return Err(row.reject(column, value, "contains no letters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
