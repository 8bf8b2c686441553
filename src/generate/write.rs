//! Write a generated force: the three input files in the data contract and `truth/`.
//!
//! `truth/links.csv` (vetting_ref, employee_id) lists every vetting record that belongs to
//! someone on the roster; `truth/exceptions.csv` (code, employee_id, vetting_ref) the
//! exceptions the scenarios imply; `truth/manifest.toml` the seed, size, as-of date and noise
//! rates, so that `vetrecon evaluate` can run the force on the right date. A force with
//! casework also has the casework columns in vetting.csv, `recruitment_plan.csv`, and
//! `truth/casework.csv` (scenario, employee_id, vetting_ref, case_type, stage, age_days,
//! codes): every planned casework case with the codes it implies. A force with integrity
//! also has declarations.csv, last_integrity_review in the roster, breach_category and
//! sanction in misconduct.csv, and `truth/post_register_checks.csv`,
//! `truth/declarations.csv` and `truth/sanctions.csv` (`INTEGRITY_FILES`).

use super::names::Origin;
use super::{Force, Noise};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::Path;

/// A directory `generate` may write into: absent, empty, or a generated force already (it
/// has `truth/manifest.toml`). Anything else may be a real force's exports, which writing
/// `roster.csv` there would replace.
pub fn check_target(dir: &Path) -> Result<(), String> {
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        return if dir.exists() {
            Err(format!("--out {} is not a directory", dir.display()))
        } else {
            Ok(())
        };
    };
    if entries.next().is_none() || dir.join("truth").join("manifest.toml").is_file() {
        return Ok(());
    }
    Err(format!(
        "--out {} holds files and is not a generated force (no truth/manifest.toml); generate writes only into a new or empty directory or over a force it generated",
        dir.display()
    ))
}

/// `truth/manifest.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub generator: String,
    pub people: usize,
    pub seed: u64,
    pub as_of: NaiveDate,
    pub vetting_records: usize,
    pub true_links: usize,
    pub true_exceptions: usize,
    pub noise: Noise,
    /// The force has the casework columns, the recruitment plan and their truth. Absent
    /// (false) in the manifest of a force without them, as in one made before they existed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub casework: bool,
    /// The force has post start dates that agree with its vetting, revet_on_appointment,
    /// postings.csv, conditions.csv, a second night (`night2/`) and their truth. Absent
    /// (false) in the manifest of a force without them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub prevention: bool,
    /// The second night's as-of date (a force with prevention).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub night_two_as_of: Option<NaiveDate>,
    /// The force has declarations.csv, last_integrity_review, the misconduct feed's
    /// breach_category and sanction, mis-graded posts and their truth. Absent (false) in the
    /// manifest of a force without them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub integrity: bool,
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn opt(v: Option<&str>) -> &str {
    v.unwrap_or("")
}

fn flag(v: Option<bool>) -> &'static str {
    v.map_or("", yes)
}

fn ethnicity(o: Origin) -> &'static str {
    match o {
        Origin::British | Origin::Scottish => "White British",
        Origin::Irish => "White Irish",
        Origin::Polish | Origin::Other => "White Other",
        Origin::SouthAsian => "Asian",
        Origin::WestAfrican => "Black",
        Origin::Chinese => "Chinese",
    }
}

/// A CSV file being written: under a temporary name beside `path`, renamed over it by
/// `done`. An existing file, link or hard link at `path` is replaced, never written through,
/// so a link planted in a generated force cannot carry synthetic rows into the file it names.
struct Out {
    w: csv::Writer<tempfile::NamedTempFile>,
    path: std::path::PathBuf,
}

impl Out {
    fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.w.write_record(record)
    }

    fn done(self) -> io::Result<()> {
        let tmp = self.w.into_inner().map_err(|e| e.into_error())?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

fn writer(path: &Path) -> io::Result<Out> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(".generate.")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    Ok(Out {
        w: csv::Writer::from_writer(tmp),
        path: path.to_path_buf(),
    })
}

#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub fn write(force: &Force, dir: &Path) -> io::Result<Manifest> {
    let truth_dir = dir.join("truth");
    std::fs::create_dir_all(&truth_dir)?;

    let mut w = writer(&dir.join("posts.csv"))?;
    let revet = force.prevention.as_ref().map(|p| &p.revet);
    let recorded = force.integrity.as_ref().map(|g| &g.recorded);
    let mut header = vec![
        "post_id",
        "title",
        "department",
        "required_level",
        "designated",
        "vulnerable_contact",
    ];
    if revet.is_some() {
        header.push("revet_on_appointment");
    }
    w.write_record(&header)?;
    for (i, p) in force.posts.iter().enumerate() {
        let mut row = vec![
            p.post_id.as_str(),
            &p.title,
            &p.department,
            recorded
                .map_or(Some(p.required), |r| r.get(i).copied().flatten())
                .unwrap_or(""),
            yes(p.designated),
            yes(p.vulnerable_contact),
        ];
        if let Some(r) = revet {
            row.push(yes(r.get(i).copied().unwrap_or(false)));
        }
        w.write_record(&row)?;
    }
    w.done()?;

    write_roster(force, &force.people, &dir.join("roster.csv"))?;

    let casework = force.casework.is_some();
    let mut w = writer(&dir.join("vetting.csv"))?;
    let mut header = vec![
        "vetting_ref",
        "surname",
        "forenames",
        "previous_surnames",
        "date_of_birth",
        "ni_number",
        "employee_id",
        "level",
        "status",
        "decision_date",
        "expiry_date",
        "adverse_info",
        "rationale_recorded",
        "risk_mitigation",
        "sex",
        "ethnicity",
        "last_review_date",
    ];
    if casework {
        header.extend(super::casework::PROTECTED_COLUMNS);
        header.extend(crate::model::casework::COLUMNS);
    }
    w.write_record(&header)?;
    let mut links = writer(&truth_dir.join("links.csv"))?;
    links.write_record(["vetting_ref", "employee_id"])?;
    let mut true_links = 0;
    let none = super::casework::CaseColumns::default();
    // Without casework the force's vetting.csv has only the first 17 columns.
    const EXTRA: usize =
        super::casework::PROTECTED_COLUMNS.len() + crate::model::casework::COLUMNS.len();
    let extra_columns = if casework { EXTRA } else { 0 };
    for r in &force.records {
        let id = &r.id;
        let c = r.case.as_ref().unwrap_or(&none);
        let (applied, appealed, appeal_decided) = (
            date(c.application_date),
            date(c.appeal_date),
            date(c.appeal_outcome_date),
        );
        let base = [
            r.vetting_ref.as_str(),
            &id.surname,
            &id.forenames,
            id.previous.as_deref().unwrap_or(""),
            &date(Some(id.dob)),
            id.ni.as_deref().unwrap_or(""),
            id.employee_id_hint.as_deref().unwrap_or(""),
            r.plan.level,
            r.plan.status,
            &date(r.plan.decision),
            &date(r.plan.expiry),
            yes(r.plan.adverse),
            yes(r.plan.rationale),
            yes(r.plan.mitigation),
            if r.female { "F" } else { "M" },
            ethnicity(r.origin),
            &date(r.last_review),
        ];
        let extra: [&str; EXTRA] = [
            opt(c.gender_reassignment),
            opt(c.marriage_civil_partnership),
            opt(c.pregnancy_maternity),
            &applied,
            opt(c.case_type),
            opt(c.stage),
            opt(c.refusal_reason),
            opt(c.adverse_category),
            flag(c.interview_held),
            opt(c.appeal_status),
            &appealed,
            &appeal_decided,
            c.decision_maker.as_deref().unwrap_or(""),
        ];
        w.write_record(base.iter().chain(extra.iter().take(extra_columns)))?;
        if let Some(o) = r.owner {
            links.write_record([r.vetting_ref.as_str(), &force.people[o].employee_id])?;
            true_links += 1;
        }
    }
    w.done()?;
    links.done()?;

    write_triggers(force, dir)?;
    write_casework(force, dir)?;
    write_prevention(force, dir)?;
    write_integrity(force, dir)?;

    let mut w = writer(&truth_dir.join("exceptions.csv"))?;
    w.write_record(["code", "employee_id", "vetting_ref"])?;
    for e in &force.exceptions {
        w.write_record([&e.code, &e.employee_id, &e.vetting_ref])?;
    }
    w.done()?;

    let manifest = Manifest {
        generator: format!("vetrecon {}", env!("CARGO_PKG_VERSION")),
        people: force.people.len(),
        seed: force.spec.seed,
        as_of: force.spec.as_of,
        vetting_records: force.records.len(),
        true_links,
        true_exceptions: force.exceptions.len(),
        noise: force.spec.noise.clone(),
        casework,
        prevention: force.prevention.is_some(),
        night_two_as_of: force.prevention.as_ref().map(|p| p.night_two.as_of),
        integrity: force.integrity.is_some(),
    };
    let text = toml::to_string(&manifest).map_err(io::Error::other)?;
    let mut m = tempfile::Builder::new()
        .prefix(".generate.")
        .suffix(".tmp")
        .tempfile_in(&truth_dir)?;
    io::Write::write_all(&mut m, text.as_bytes())?;
    m.persist(truth_dir.join("manifest.toml"))
        .map_err(|e| e.error)?;
    Ok(manifest)
}

/// roster.csv (or the second night's): one row per person in `people`, in order. With
/// integrity, each row's last_integrity_review follows its employee id (blank for a joiner
/// not on the first night's roster).
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn write_roster(force: &Force, people: &[super::people::Identity], path: &Path) -> io::Result<()> {
    let reviews: Option<std::collections::HashMap<&str, Option<NaiveDate>>> =
        force.integrity.as_ref().map(|g| {
            (force.people.iter())
                .map(|p| p.employee_id.as_str())
                .zip(g.reviews.iter().copied())
                .collect()
        });
    let mut w = writer(path)?;
    let mut header = vec![
        "employee_id",
        "surname",
        "forenames",
        "previous_surnames",
        "date_of_birth",
        "ni_number",
        "post_id",
        "role_type",
        "force",
        "post_start_date",
        "employment_status",
        "leaving_date",
    ];
    if reviews.is_some() {
        header.push("last_integrity_review");
    }
    w.write_record(&header)?;
    for p in people {
        let post = match (p.post, &p.unknown_post_id) {
            (Some(i), _) => force.posts[i].post_id.clone(),
            (None, Some(x)) => x.clone(),
            (None, None) => String::new(),
        };
        let previous = if p.hr_lists_maiden {
            p.maiden.clone().unwrap_or_default()
        } else {
            String::new()
        };
        let review = reviews
            .as_ref()
            .map(|r| date(r.get(p.employee_id.as_str()).copied().flatten()));
        let row = [
            p.employee_id.as_str(),
            &p.surname,
            &p.forenames(),
            &previous,
            &date(Some(p.dob)),
            if p.hr_has_ni { &p.ni } else { "" },
            &post,
            p.role,
            "Synthshire",
            &date(Some(p.post_start)),
            p.status,
            &date(p.leaving_date),
        ];
        w.write_record(row.iter().copied().chain(review.as_deref()))?;
    }
    w.done()?;

    Ok(())
}

/// pnd_returns.csv, misconduct.csv, circumstances.csv and truth/pnd_links.csv.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn write_triggers(force: &Force, dir: &Path) -> io::Result<()> {
    let t = &force.triggers;
    let emp = |i: usize| force.people[i].employee_id.as_str();
    let mut w = writer(&dir.join("pnd_returns.csv"))?;
    let mut links = writer(&dir.join("truth/pnd_links.csv"))?;
    w.write_record([
        "pnd_ref",
        "surname",
        "forenames",
        "previous_surnames",
        "date_of_birth",
        "ni_number",
        "record_date",
        "category",
    ])?;
    links.write_record(["pnd_ref", "employee_id"])?;
    for r in &t.pnd {
        w.write_record([
            r.pnd_ref.as_str(),
            &r.id.surname,
            &r.id.forenames,
            r.id.previous.as_deref().unwrap_or(""),
            &date(Some(r.id.dob)),
            r.id.ni.as_deref().unwrap_or(""),
            &date(Some(r.record_date)),
            r.category,
        ])?;
        if let Some(o) = r.owner {
            links.write_record([r.pnd_ref.as_str(), emp(o)])?;
        }
    }
    w.done()?;
    links.done()?;
    // With integrity, misconduct.csv carries each outcome's breach category and sanction,
    // and the further outcomes follow the trigger feed's.
    let integrity = force.integrity.as_ref();
    for (file, head, rows) in [
        (
            "misconduct.csv",
            ["outcome_ref", "employee_id", "outcome", "outcome_date"],
            &t.misconduct,
        ),
        (
            "circumstances.csv",
            ["notice_ref", "employee_id", "change_type", "notified_date"],
            &t.circumstances,
        ),
    ] {
        let sanctions = integrity
            .filter(|_| file == "misconduct.csv")
            .map(|g| &g.sanctions);
        let mut w = writer(&dir.join(file))?;
        let extra: &[&str] = if sanctions.is_some() {
            &["breach_category", "sanction"]
        } else {
            &[]
        };
        w.write_record(head.iter().chain(extra))?;
        for (k, e) in rows.iter().enumerate() {
            let cells = sanctions.map(|c| c.get(k).copied().unwrap_or_default());
            w.write_record(
                [
                    e.reference.as_str(),
                    emp(e.owner),
                    e.kind,
                    &date(Some(e.date)),
                ]
                .into_iter()
                .chain(cells.map(|c| opt(c.breach_category)))
                .chain(cells.map(|c| opt(c.sanction))),
            )?;
        }
        if let Some(g) = integrity.filter(|_| sanctions.is_some()) {
            for o in &g.outcomes {
                w.write_record([
                    o.reference.as_str(),
                    &o.employee_id,
                    o.outcome,
                    &date(Some(o.date)),
                    opt(o.cells.breach_category),
                    opt(o.cells.sanction),
                ])?;
            }
        }
        w.done()?;
    }
    Ok(())
}

/// The files a force with integrity writes that a force without it has not (relative to its
/// directory).
pub const INTEGRITY_FILES: [&str; 4] = [
    "declarations.csv",
    "truth/post_register_checks.csv",
    "truth/declarations.csv",
    "truth/sanctions.csv",
];

/// declarations.csv and the integrity truth; a force without integrity has none of them
/// (those left by an earlier force in the same directory are removed).
fn write_integrity(force: &Force, dir: &Path) -> io::Result<()> {
    let Some(g) = &force.integrity else {
        for f in INTEGRITY_FILES {
            match std::fs::remove_file(dir.join(f)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        return Ok(());
    };
    let mut w = writer(&dir.join("declarations.csv"))?;
    w.write_record([
        "declaration_ref",
        "employee_id",
        "type",
        "declared_date",
        "review_every",
        "last_reviewed",
        "decision",
    ])?;
    for d in &g.declarations {
        w.write_record([
            d.declaration_ref.as_str(),
            &d.employee_id,
            d.kind,
            &date(Some(d.declared)),
            opt(d.review_every),
            &date(d.last_reviewed),
            opt(d.decision),
        ])?;
    }
    w.done()?;

    let mut w = writer(&dir.join("truth/declarations.csv"))?;
    w.write_record(["declaration_ref", "status", "scenario"])?;
    for d in &g.declarations {
        w.write_record([d.declaration_ref.as_str(), d.status, d.scenario])?;
    }
    w.done()?;

    let mut w = writer(&dir.join("truth/post_register_checks.csv"))?;
    w.write_record([
        "post_id",
        "rule",
        "keyword",
        "recorded_level",
        "expected_level",
        "direction",
        "postholders",
    ])?;
    for c in &g.post_checks {
        w.write_record([
            c.post_id.as_str(),
            c.rule,
            &c.keyword,
            opt(c.recorded_level),
            c.expected_level,
            c.direction,
            &c.postholders.to_string(),
        ])?;
    }
    w.done()?;

    let mut w = writer(&dir.join("truth/sanctions.csv"))?;
    w.write_record(["breach_category", "group", "outcomes", "serious"])?;
    for c in &g.sanction_counts {
        w.write_record([
            c.breach_category.as_str(),
            c.group,
            &c.outcomes.to_string(),
            &c.serious.to_string(),
        ])?;
    }
    w.done()
}

/// recruitment_plan.csv and truth/casework.csv; a force without casework has neither (one
/// left by an earlier force in the same directory is removed, so it is never read as this
/// force's).
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn write_casework(force: &Force, dir: &Path) -> io::Result<()> {
    let plan_path = dir.join("recruitment_plan.csv");
    let truth_path = dir.join("truth").join("casework.csv");
    let Some(c) = &force.casework else {
        for p in [plan_path, truth_path] {
            match std::fs::remove_file(&p) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        return Ok(());
    };
    let mut w = writer(&plan_path)?;
    w.write_record(["month", "case_type", "expected"])?;
    for r in &c.plan {
        w.write_record([
            r.month.format("%Y-%m").to_string().as_str(),
            r.case_type,
            &r.expected.to_string(),
        ])?;
    }
    w.done()?;
    let mut w = writer(&truth_path)?;
    w.write_record([
        "scenario",
        "employee_id",
        "vetting_ref",
        "case_type",
        "stage",
        "age_days",
        "codes",
    ])?;
    for p in &c.cases {
        let r = &force.records[p.record];
        let case = r.case.clone().unwrap_or_default();
        w.write_record([
            p.scenario.as_str(),
            r.owner.map_or("", |o| force.people[o].employee_id.as_str()),
            &r.vetting_ref,
            opt(case.case_type),
            opt(case.stage),
            &p.age_days.map(|a| a.to_string()).unwrap_or_default(),
            &p.scenario.codes().join(" "),
        ])?;
    }
    w.done()
}

/// The files a force with prevention writes (relative to its directory), and nothing else.
pub const PREVENTION_FILES: [&str; 9] = [
    "postings.csv",
    "conditions.csv",
    "night2/roster.csv",
    "night2/postings.csv",
    "truth/postings.csv",
    "truth/conditions.csv",
    "truth/jml.csv",
    "truth/inspection.csv",
    "truth/night2_links.csv",
];

/// postings.csv, conditions.csv, the second night (`night2/roster.csv`, `night2/postings.csv`)
/// and their truth; a force without prevention has none of them (those left by an earlier
/// force in the same directory are removed).
fn write_prevention(force: &Force, dir: &Path) -> io::Result<()> {
    let Some(p) = &force.prevention else {
        for f in PREVENTION_FILES {
            match std::fs::remove_file(dir.join(f)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        // The second night's directory goes too, unless something else was put in it.
        match std::fs::remove_dir(dir.join("night2")) {
            Err(e)
                if !matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::DirectoryNotEmpty
                ) =>
            {
                return Err(e)
            }
            _ => {}
        }
        return Ok(());
    };
    std::fs::create_dir_all(dir.join("night2"))?;
    let postings = |path: &Path, rows: &[super::prevention::PlannedPosting]| -> io::Result<()> {
        let mut w = writer(path)?;
        w.write_record(["posting_ref", "employee_id", "post_id", "start_date"])?;
        for r in rows {
            w.write_record([
                r.posting_ref.as_str(),
                &r.employee_id,
                &r.post_id,
                &date(Some(r.start)),
            ])?;
        }
        w.done()
    };
    postings(&dir.join("postings.csv"), &p.postings)?;
    postings(&dir.join("night2/postings.csv"), &p.night_two.postings)?;
    write_roster(force, &p.night_two.people, &dir.join("night2/roster.csv"))?;
    let mut w = writer(&dir.join("truth/night2_links.csv"))?;
    w.write_record(["vetting_ref", "employee_id"])?;
    let mut links: Vec<(&str, &str)> = force
        .records
        .iter()
        .filter_map(|r| {
            r.owner
                .and_then(|o| force.people.get(o))
                .map(|o| (r.vetting_ref.as_str(), o.employee_id.as_str()))
        })
        .chain(p.joiner_links.iter().map(|(v, e)| (v.as_str(), e.as_str())))
        .collect();
    links.sort_unstable();
    for (v, e) in links {
        w.write_record([v, e])?;
    }
    w.done()?;

    let mut w = writer(&dir.join("conditions.csv"))?;
    w.write_record([
        "condition_ref",
        "vetting_ref",
        "type",
        "owner_unit",
        "review_every",
        "last_checked",
        "restricts",
    ])?;
    for c in &p.conditions {
        w.write_record([
            c.condition_ref.as_str(),
            &c.vetting_ref,
            c.kind,
            opt(c.owner),
            c.review_every.map_or("", |(t, _)| t),
            &date(c.last_checked),
            c.restricts.as_deref().unwrap_or(""),
        ])?;
    }
    w.done()?;

    let mut w = writer(&dir.join("truth/postings.csv"))?;
    w.write_record([
        "posting_ref",
        "employee_id",
        "post_id",
        "start_date",
        "scenario",
        "codes",
    ])?;
    let mut rows = p.postings.clone();
    rows.sort_by(|a, b| a.posting_ref.cmp(&b.posting_ref));
    for r in &rows {
        w.write_record([
            r.posting_ref.as_str(),
            &r.employee_id,
            &r.post_id,
            &date(Some(r.start)),
            r.scenario,
            if r.raised { "POSTING_NOT_CLEARED" } else { "" },
        ])?;
    }
    w.done()?;

    let mut w = writer(&dir.join("truth/conditions.csv"))?;
    w.write_record([
        "condition_ref",
        "vetting_ref",
        "employee_id",
        "scenario",
        "codes",
    ])?;
    for c in &p.condition_truth {
        w.write_record([
            c.condition_ref.as_str(),
            &c.vetting_ref,
            &c.employee_id,
            c.scenario,
            &c.codes.join(" "),
        ])?;
    }
    w.done()?;

    let mut w = writer(&dir.join("truth/jml.csv"))?;
    w.write_record([
        "action_id",
        "action",
        "event",
        "employee_id",
        "from_post",
        "to_post",
        "required_level",
        "event_date",
        "due_date",
    ])?;
    for a in &p.jml {
        w.write_record([
            a.action_id.as_str(),
            a.action,
            a.event,
            &a.employee_id,
            &a.from_post,
            &a.to_post,
            a.required_level,
            &date(Some(a.event_date)),
            &date(Some(a.due_date)),
        ])?;
    }
    w.done()?;

    let i = &p.inspection;
    let mut w = writer(&dir.join("truth/inspection.csv"))?;
    w.write_record(["figure", "value"])?;
    for (figure, value) in [
        ("moves", i.moves.to_string()),
        ("moves_before_mv", i.moves_before_mv.to_string()),
        (
            "median_days_uncleared",
            i.median_days_uncleared
                .map(|d| format!("{d:.1}"))
                .unwrap_or_default(),
        ),
        ("still_uncleared", i.still_uncleared.to_string()),
        ("start_not_recorded", "0".to_string()),
    ] {
        w.write_record([figure, value.as_str()])?;
    }
    w.done()
}

/// Read `truth/manifest.toml` of a generated force.
pub fn read_manifest(dir: &Path) -> Result<Manifest, String> {
    let path = dir.join("truth/manifest.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}
