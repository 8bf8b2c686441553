//! Generate: synthetic police forces with ground truth, for testing and measuring vetrecon.
//!
//! `vetrecon generate --people N --seed S --out DIR` writes a force in the input contract
//! (roster.csv, posts.csv, vetting.csv) plus `truth/`: the true links (which vetting record
//! belongs to which employee) and the true exceptions, both taken from the identities and
//! scenarios the generator drew (see `scenario`), never from vetrecon's matching or rules.
//!
//! - `names`: UK workforce name pools (British, Irish, Scottish, South Asian, Polish, West
//!   African, Chinese and other surnames; apostrophes, hyphens, Mc/Mac).
//! - `people`: posts and true identities, including hard negatives (same name and date of
//!   birth, twins).
//! - `scenario`: each person's vetting situation and the records that make it true.
//! - `copy`: the vetting system's noisy copy of an identity (`noise` holds the rates).
//! - `triggers`: review-trigger feeds (PND returns, misconduct, changes of circumstances).
//! - `casework`: the vetting unit's casework columns, the applications its scenarios add, a
//!   recruitment plan, and the casework codes' truth (left out with `Spec::casework` off).
//! - `prevention`: post start dates that agree with the vetting, revet_on_appointment, HR's
//!   future postings, conditions on mitigated grants, a second night's roster and their truth
//!   (left out with `Spec::prevention` off).
//! - `integrity`: declarations.csv, the roster's last_integrity_review, the misconduct feed's
//!   breach_category and sanction (and further outcomes), posts the register grades wrongly,
//!   and their truth (left out with `Spec::integrity` off).
//! - `write`: the CSV files and the manifest.
//! - `drift`: a written force changing night by night at a steady rate (benchmarks, tests).
//!
//! Output is a pure function of (people, seed, as-of, noise, casework, prevention,
//! integrity): ChaCha8 is a portable, documented-stable generator, and everything is drawn in
//! one fixed order. The trigger feeds, the casework, prevention and integrity draw from
//! streams of their own, after everything else, so a force without casework is, file for
//! file, the force it was before casework existed, a force without prevention the force it
//! was before prevention, and a force without integrity the force it was before integrity.

pub mod casework;
pub mod copy;
pub mod drift;
pub mod integrity;
pub mod names;
pub mod noise;
pub mod people;
pub mod prevention;
pub mod scenario;
pub mod triggers;
pub mod write;

use chrono::{Duration, NaiveDate};
pub use noise::Noise;
use people::{GeneratedPost, Identity};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use scenario::{Plan, Scenario};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub people: usize,
    pub seed: u64,
    pub as_of: NaiveDate,
    pub noise: Noise,
    /// Write the casework columns, the applications casework scenarios add, the
    /// recruitment plan and the casework codes' truth (off: an export without casework).
    pub casework: bool,
    /// Write realistic post start dates, revet_on_appointment, postings.csv, conditions.csv,
    /// a second night's roster and their truth (off: the force as it was without them).
    pub prevention: bool,
    /// Write declarations.csv, the roster's last_integrity_review, the misconduct feed's
    /// breach_category and sanction with further outcomes, mis-graded posts and their truth
    /// (off: the force as it was without them).
    pub integrity: bool,
}

/// One vetting record as written, with its true owner (index into `Force::people`).
#[derive(Debug, Clone)]
pub struct Record {
    pub vetting_ref: String,
    pub owner: Option<usize>,
    pub id: copy::VettingIdentity,
    pub plan: Plan,
    /// A vetting review recorded after an event (see `triggers`).
    pub last_review: Option<NaiveDate>,
    pub female: bool,
    pub origin: names::Origin,
    /// The casework columns (None when the force is generated without casework).
    pub case: Option<casework::CaseColumns>,
}

/// A true exception: (code, employee id or blank, vetting ref or blank).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TruthException {
    pub code: String,
    pub employee_id: String,
    pub vetting_ref: String,
}

/// A generated force and its truth.
#[derive(Debug, Clone)]
pub struct Force {
    pub spec: Spec,
    pub posts: Vec<GeneratedPost>,
    pub people: Vec<Identity>,
    pub records: Vec<Record>,
    pub exceptions: Vec<TruthException>,
    /// PND returns, misconduct outcomes and changes of circumstances.
    pub triggers: triggers::TriggerFeeds,
    /// The planned casework, the recruitment plan and their truth (None without casework).
    pub casework: Option<casework::GeneratedCasework>,
    /// Postings, conditions, the second night and their truth (None without prevention).
    pub prevention: Option<prevention::GeneratedPrevention>,
    /// Declarations, integrity reviews, sanctions, mis-graded posts and their truth (None
    /// without integrity).
    pub integrity: Option<integrity::GeneratedIntegrity>,
}

/// The nicknames generated people go by: the generator's own table, not the linker's, so that
/// what the linker knows can change without changing the data it is measured on.
const GENERATOR_NICKNAMES: &str = include_str!("nicknames.csv");

/// Records of people not on the roster, per roster person.
const STRANGERS_PER_PERSON: f64 = 0.4;

#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub fn generate(spec: &Spec) -> Force {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let as_of = spec.as_of;
    let noise = &spec.noise;
    let nicknames = copy::nickname_groups(GENERATOR_NICKNAMES);
    let mut posts = people::posts(&mut rng, spec.people);

    let mut people = Vec::with_capacity(spec.people + 2);
    while people.len() < spec.people {
        let p = people::person(&mut rng, as_of, &posts);
        let same = rng.random_bool(noise.same_name_and_dob);
        let twin = rng.random_bool(noise.twin);
        let doubles: Vec<Identity> = [(same, false), (twin, true)]
            .into_iter()
            .filter(|(yes, _)| *yes)
            .map(|(_, is_twin)| people::double(&mut rng, &p, is_twin, as_of, &posts))
            .collect();
        people.push(p);
        people.extend(doubles);
    }
    people.truncate(spec.people);
    people.shuffle(&mut rng);
    for (i, p) in people.iter_mut().enumerate() {
        p.employee_id = format!("E{:07}", i + 1);
    }

    let mut records: Vec<Record> = Vec::new();
    // (code, person, index into `records`)
    let mut truth: Vec<(&'static str, Option<usize>, Option<usize>)> = Vec::new();
    for i in 0..people.len() {
        let scenario = scenario::pick(&mut rng);
        let p = &mut people[i];
        match scenario {
            Scenario::LeaverStillCleared | Scenario::LeaverLapsed => {
                p.status = "leaver";
                p.leaving_date = Some(as_of - Duration::days(rng.random_range(1..700)));
            }
            Scenario::UnknownPost => {
                p.post = None;
                p.unknown_post_id = Some(format!("PX{:05}", rng.random_range(0..100_000)));
            }
            _ => {}
        }
        people::hr_view(&mut rng, p, noise);
        let required = scenario::requirement(p, &posts);
        let (plans, expects) = scenario::records(&mut rng, scenario, required, as_of);
        let first = records.len();
        for plan in plans {
            let stale = &people[rng.random_range(0..people.len())].employee_id;
            let p = &people[i];
            let id = copy::vetting_copy(&mut rng, p, noise, &nicknames, stale);
            records.push(Record {
                vetting_ref: String::new(),
                owner: Some(i),
                id,
                plan,
                last_review: None,
                female: p.female,
                origin: p.origin,
                case: None,
            });
        }
        for e in expects {
            truth.push((e.code, Some(i), e.record.map(|r| first + r)));
        }
        if rng.random_bool(noise.stranger_double) {
            // Someone else with this person's name and date of birth, in the vetting system.
            let mut other = people[i].clone();
            other.ni = people::random_ni(&mut rng);
            other.maiden = None;
            push_stranger(
                &mut rng,
                &mut records,
                &mut truth,
                other,
                as_of,
                noise,
                &nicknames,
            );
        }
    }
    let strangers = (spec.people as f64 * STRANGERS_PER_PERSON) as usize;
    for _ in 0..strangers {
        let other = people::person(&mut rng, as_of, &posts);
        push_stranger(
            &mut rng,
            &mut records,
            &mut truth,
            other,
            as_of,
            noise,
            &nicknames,
        );
    }

    // The export's order and references say nothing about who is who.
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.shuffle(&mut rng);
    for (n, &r) in order.iter().enumerate() {
        records[r].vetting_ref = format!("V{:08}", n + 1);
    }
    let mut exceptions: Vec<TruthException> = truth
        .into_iter()
        .map(|(code, person, record)| TruthException {
            code: code.to_string(),
            employee_id: person
                .map(|p| people[p].employee_id.clone())
                .unwrap_or_default(),
            vetting_ref: record
                .map(|r| records[r].vetting_ref.clone())
                .unwrap_or_default(),
        })
        .collect();
    exceptions.sort();
    let mut shuffled: Vec<Record> = Vec::with_capacity(records.len());
    let mut slots: Vec<Option<Record>> = records.into_iter().map(Some).collect();
    for &r in &order {
        shuffled.push(slots[r].take().expect("each record once"));
    }
    let feeds = triggers::generate(
        spec.seed,
        as_of,
        noise,
        &nicknames,
        &people,
        &posts,
        &mut shuffled,
    );
    exceptions.extend(feeds.exceptions.iter().cloned());
    let casework = spec.casework.then(|| {
        casework::generate(
            spec.seed,
            as_of,
            noise,
            &nicknames,
            &people,
            &posts,
            &mut shuffled,
            &feeds,
        )
    });
    if let Some(c) = &casework {
        exceptions.extend(c.exceptions.iter().cloned());
    }
    let prevention = spec.prevention.then(|| {
        prevention::generate(
            spec.seed,
            as_of,
            noise,
            &nicknames,
            &mut people,
            &posts,
            &mut shuffled,
            spec.casework,
        )
    });
    if let Some(p) = &prevention {
        exceptions.extend(p.exceptions.iter().cloned());
    }
    let integrity = spec.integrity.then(|| {
        integrity::generate(
            spec.seed,
            as_of,
            &mut posts,
            &people,
            &shuffled,
            &feeds.misconduct,
        )
    });
    if let Some(g) = &integrity {
        exceptions.extend(g.exceptions.iter().cloned());
    }
    exceptions.sort();
    Force {
        spec: spec.clone(),
        posts,
        people,
        records: shuffled,
        exceptions,
        triggers: feeds,
        casework,
        prevention,
        integrity,
    }
}

/// A vetting record of `who`, someone not on the roster: its scenario, noisy copy and truth.
fn push_stranger(
    rng: &mut ChaCha8Rng,
    records: &mut Vec<Record>,
    truth: &mut Vec<(&'static str, Option<usize>, Option<usize>)>,
    who: Identity,
    as_of: NaiveDate,
    noise: &Noise,
    nicknames: &[Vec<String>],
) {
    let (plan, expects) = scenario::stranger(rng, as_of);
    let mut id = copy::vetting_copy(rng, &who, noise, nicknames, "");
    id.employee_id_hint = None;
    let at = records.len();
    records.push(Record {
        vetting_ref: String::new(),
        owner: None,
        id,
        plan,
        last_review: None,
        female: who.female,
        origin: who.origin,
        case: None,
    });
    for e in expects {
        truth.push((e.code, None, e.record.map(|r| at + r)));
    }
}

/// Read a force written by `write::write` (or any directory in the input contract's file
/// names) back through ingest as a run would: the three required files and whichever
/// optional feeds are present (the review triggers and the recruitment plan). `evaluate`,
/// the linking benchmark and tests use it.
pub fn read_back(
    policy: &crate::config::Policy,
    dir: &std::path::Path,
    as_of: NaiveDate,
) -> Result<crate::ingest::Ingested, crate::error::Error> {
    let triggers: Vec<(&'static str, std::path::PathBuf)> = crate::ingest::FEED_ROLES
        .iter()
        .map(|r| (*r, dir.join(format!("{r}.csv"))))
        .filter(|(_, p)| p.exists())
        .collect();
    let (_, data) = crate::run::load(
        policy,
        &dir.join("roster.csv"),
        &dir.join("posts.csv"),
        &dir.join("vetting.csv"),
        &triggers,
        as_of,
    )?;
    Ok(data)
}

#[cfg(test)]
mod tests;
