//! Integrity oversight for a generated force: declarations.csv, the roster's
//! last_integrity_review, the misconduct feed's breach_category and sanction (with further
//! outcomes carrying a planned difference between officers and staff), posts the register
//! grades wrongly, and their truth: the DECLARATION_ codes, INTEGRITY_REVIEW_OVERDUE and the
//! further outcomes' MISCONDUCT_REVIEW_DUE rows in `truth/exceptions.csv`, and
//! `truth/post_register_checks.csv`, `truth/declarations.csv`, `truth/sanctions.csv`.
//!
//! Drawn from a stream of its own (seeded from the force's seed), after everything else, so
//! a force with it has every record, identity, link and earlier truth of the same force
//! without it. What it changes: the title and required_level cells of the posts it
//! mis-grades (a designated post requires MV whatever its required_level says, and only posts
//! already graded MV are retitled, so no holder's requirement moves), a column added to the
//! roster, two columns added to misconduct.csv and further outcomes after its last row, and
//! declarations.csv.
//!
//! The truth is the agreed rules applied to the planned values at the default `[integrity]`
//! policy (`RawIntegrity::default()`), never vetrecon's rules or linking. An overdue integrity
//! review, or none recorded, is planned only for people who own at most one vetting record, so
//! the row's record is that one (blank for none) whichever of a person's records "best" reads.
//!
//! - `declarations`: declarations.csv and each declaration's status.
//! - `sanctions`: the misconduct feed's breach category and sanction, the further outcomes,
//!   and the counts the comparison reads.
//! - `truth`: the default policy as the truth reads it, the post-register checks and the
//!   exception rows.

mod declarations;
mod sanctions;
mod truth;

pub use sanctions::group;

use super::people::{GeneratedPost, Identity};
use super::triggers::EventRow;
use super::{Record, TruthException};
use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Share of designated posts whose register says RV, and whose register says nothing.
pub const DESIGNATED_RECORDED_RV: f64 = 0.25;
pub const DESIGNATED_RECORDED_BLANK: f64 = 0.1;
/// Share of ordinary posts graded MV that are retitled roads policing or dog handler posts.
pub const TITLE_GRADED_MV: f64 = 0.8;
/// Share of ordinary Response and Neighbourhood posts graded RV that are retitled so (the
/// rules' own level: no row).
pub const TITLE_GRADED_RV: f64 = 0.15;
/// Of active people who own at most one vetting record: the share whose last integrity
/// review is more than a year old, and the share with none recorded.
pub const REVIEW_OVERDUE: f64 = 0.12;
pub const REVIEW_NONE: f64 = 0.1;
/// Declarations per person on the roster (leavers too).
pub const DECLARATIONS: f64 = 0.04;
/// Further misconduct outcomes per person on the roster (leavers too), and the share of
/// leavers dismissed (an outcome on their leaving date).
pub const SANCTIONED: f64 = 0.012;
pub const DISMISSED: f64 = 0.03;
/// The breach category with the planned difference, the share of further outcomes in it,
/// and the share of serious sanctions: for staff in it, and for everyone else.
pub const PLANNED_CATEGORY: &str = "discreditable_conduct";
pub const PLANNED_SHARE: f64 = 0.3;
pub const STAFF_SERIOUS_IN_PLANNED: f64 = 0.7;
pub const SERIOUS: f64 = 0.15;
/// Share of misconduct rows with no breach category or no sanction recorded, and of further
/// outcomes outside the comparison's twelve-month window.
pub const NOT_RECORDED: f64 = 0.04;
pub const OUTSIDE_WINDOW: f64 = 0.1;
/// The comparison's window (the default `report.disproportionality.window_months`).
pub const WINDOW_MONTHS: u32 = 12;

/// The rules of the post-register checks, in the order their rows are listed.
pub const RULES: [&str; 3] = [
    "designated_below_mv",
    "vulnerable_contact_below_level",
    "title_rule",
];

/// One row of declarations.csv with its planned scenario and the status the rules give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDeclaration {
    pub declaration_ref: String,
    pub employee_id: String,
    pub kind: &'static str,
    pub declared: NaiveDate,
    /// The row's own period as written (blank: the type's).
    pub review_every: Option<&'static str>,
    pub last_reviewed: Option<NaiveDate>,
    pub decision: Option<&'static str>,
    pub scenario: &'static str,
    /// As declaration_status.csv says it (docs/output.md).
    pub status: &'static str,
}

/// A misconduct row's breach category and sanction (None: not recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SanctionCells {
    pub breach_category: Option<&'static str>,
    pub sanction: Option<&'static str>,
}

/// A further misconduct outcome, written after the trigger feed's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub reference: String,
    /// Index into the people; None for an id no one on the roster has.
    pub owner: Option<usize>,
    pub employee_id: String,
    pub outcome: &'static str,
    pub date: NaiveDate,
    pub cells: SanctionCells,
}

/// One row of `truth/post_register_checks.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostCheck {
    pub post_id: String,
    pub rule: &'static str,
    pub keyword: String,
    pub recorded_level: Option<&'static str>,
    pub expected_level: &'static str,
    pub direction: &'static str,
    pub postholders: usize,
}

/// One row of `truth/sanctions.csv`: the outcomes the comparison reads for a category
/// (`all` first) and a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanctionCount {
    pub breach_category: String,
    pub group: &'static str,
    pub outcomes: usize,
    pub serious: usize,
}

/// What the integrity stream made.
#[derive(Debug, Clone)]
pub struct GeneratedIntegrity {
    /// Per post (index into `Force::posts`): the required_level the register records.
    pub recorded: Vec<Option<&'static str>>,
    /// Per post: its planned scenario.
    pub post_scenarios: Vec<&'static str>,
    /// Per person (index into `Force::people`): the last integrity review, and its scenario.
    pub reviews: Vec<Option<NaiveDate>>,
    pub review_scenarios: Vec<&'static str>,
    pub declarations: Vec<PlannedDeclaration>,
    /// Per row of the trigger feed's misconduct outcomes, same order.
    pub sanctions: Vec<SanctionCells>,
    /// Written after them.
    pub outcomes: Vec<Outcome>,
    pub post_checks: Vec<PostCheck>,
    pub sanction_counts: Vec<SanctionCount>,
    /// The three integrity codes and the further outcomes' MISCONDUCT_REVIEW_DUE.
    pub exceptions: Vec<TruthException>,
}

#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes"
)]
pub(super) fn pick<T: Copy, R: Rng>(rng: &mut R, from: &[T]) -> T {
    from[rng.random_range(0..from.len())]
}

/// The default breach categories (`RawIntegrity::default().breach_categories`), as the
/// generator writes them.
pub const CATEGORIES: [&str; 10] = crate::model::integrity::BREACH_CATEGORIES;

/// The declaration types (`RawIntegrity::default().declaration_types`).
pub const TYPES: [&str; 3] = crate::model::integrity::DECLARATION_TYPES;

pub(super) fn days_ago<R: Rng>(
    rng: &mut R,
    as_of: NaiveDate,
    range: std::ops::RangeInclusive<i64>,
) -> NaiveDate {
    as_of - Duration::days(rng.random_range(range))
}

/// Draw the integrity data of the force: retitled posts in `posts`, the rest returned. The
/// draws come in a fixed order: posts, reviews, declarations, sanctions, further outcomes.
pub fn generate(
    seed: u64,
    as_of: NaiveDate,
    posts: &mut [GeneratedPost],
    people: &[Identity],
    records: &[Record],
    misconduct: &[EventRow],
) -> GeneratedIntegrity {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x696e_7465_6772_6974);
    let policy = truth::Policy::default_policy();
    let (recorded, post_scenarios) = grade_posts(&mut rng, posts);
    let owned = owned_records(people, records);
    let (reviews, review_scenarios) = reviews(&mut rng, as_of, people, &owned);
    let declarations = declarations::draw(&mut rng, as_of, posts, people, &policy);
    let sanctions = sanctions::cells(&mut rng, misconduct);
    let outcomes = sanctions::further(&mut rng, as_of, people, misconduct.len());

    let mut exceptions = truth::declaration_rows(&declarations);
    exceptions.extend(truth::review_rows(
        as_of, people, records, &owned, &reviews, &policy,
    ));
    exceptions.extend(truth::outcome_rows(
        as_of, people, records, &owned, &outcomes,
    ));
    let post_checks = truth::post_checks(posts, &recorded, people);
    let sanction_counts = sanctions::counts(
        as_of,
        people,
        &policy,
        misconduct
            .iter()
            .zip(&sanctions)
            .map(|(e, c)| (Some(e.owner), e.date, *c))
            .chain(outcomes.iter().map(|o| (o.owner, o.date, o.cells))),
    );
    GeneratedIntegrity {
        recorded,
        post_scenarios,
        reviews,
        review_scenarios,
        declarations,
        sanctions,
        outcomes,
        post_checks,
        sanction_counts,
        exceptions,
    }
}

/// The register's grading: designated posts recorded RV or blank, ordinary posts graded MV
/// retitled roads policing or dog handler posts (and some graded RV, the rule's own level).
/// Per post: the required_level recorded, and the scenario.
fn grade_posts(
    rng: &mut ChaCha8Rng,
    posts: &mut [GeneratedPost],
) -> (Vec<Option<&'static str>>, Vec<&'static str>) {
    let mut recorded = Vec::with_capacity(posts.len());
    let mut scenarios = Vec::with_capacity(posts.len());
    for (i, p) in posts.iter_mut().enumerate() {
        let keyword = |rng: &mut ChaCha8Rng| pick(rng, &["Roads Policing officer", "Dog Handler"]);
        let (level, scenario) = if p.designated {
            let u: f64 = rng.random();
            if u < DESIGNATED_RECORDED_RV {
                (Some("RV"), "designated_recorded_rv")
            } else if u < DESIGNATED_RECORDED_RV + DESIGNATED_RECORDED_BLANK {
                (None, "designated_recorded_blank")
            } else {
                (Some(p.required), "designated_recorded_mv")
            }
        } else if !p.contractor && p.required == "MV" && rng.random_bool(TITLE_GRADED_MV) {
            p.title = format!("{} {}", keyword(rng), i + 1);
            (Some(p.required), "title_graded_mv")
        } else if !p.contractor
            && p.required == "RV"
            && matches!(p.department.as_str(), "Response" | "Neighbourhood")
            && rng.random_bool(TITLE_GRADED_RV)
        {
            p.title = format!("{} {}", keyword(rng), i + 1);
            (Some(p.required), "title_graded_rv")
        } else {
            (Some(p.required), "as_drawn")
        };
        recorded.push(level);
        scenarios.push(scenario);
    }
    (recorded, scenarios)
}

/// Each person's own vetting records (indices into the records).
fn owned_records(people: &[Identity], records: &[Record]) -> Vec<Vec<usize>> {
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); people.len()];
    for (ri, r) in records.iter().enumerate() {
        if let Some(on) = r.owner.and_then(|o| owned.get_mut(o)) {
            on.push(ri);
        }
    }
    owned
}

/// The annual integrity review: within the year, overdue or none recorded (the last two only
/// for people not active or owning at most one record). Per person: the date and scenario.
fn reviews(
    rng: &mut ChaCha8Rng,
    as_of: NaiveDate,
    people: &[Identity],
    owned: &[Vec<usize>],
) -> (Vec<Option<NaiveDate>>, Vec<&'static str>) {
    let mut reviews = Vec::with_capacity(people.len());
    let mut scenarios = Vec::with_capacity(people.len());
    for (p, own) in people.iter().zip(owned) {
        let u: f64 = rng.random();
        let eligible = p.status != "active" || own.len() <= 1;
        let scenario = if eligible && u < REVIEW_OVERDUE {
            "overdue"
        } else if eligible && u < REVIEW_OVERDUE + REVIEW_NONE {
            "none_recorded"
        } else {
            "recent"
        };
        reviews.push(match scenario {
            "overdue" => Some(days_ago(rng, as_of, 380..=1100)),
            "none_recorded" => None,
            _ => Some(days_ago(rng, as_of, 1..=330)),
        });
        scenarios.push(scenario);
    }
    (reviews, scenarios)
}
