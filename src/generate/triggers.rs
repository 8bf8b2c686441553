//! Review-trigger feeds for a generated force: PND returns, misconduct outcomes and notified
//! changes of circumstances, each with its truth.
//!
//! Drawn from a stream of their own (seeded from the force's seed), after everything else,
//! so adding them changed no other file of a force. A PND return is the PND's copy of a true
//! identity with the same noise as a vetting record (misspelt names, swapped dates, missing
//! NI numbers), or of someone not on the roster. About half of all events get a vetting
//! review afterwards, recorded as `last_review_date` on the person's latest vetting record.
//! The true exceptions follow from the identities, the event dates and the reviews, by the
//! documented rule (default `[rules]`), never from vetrecon's linking.

use super::copy::{self, VettingIdentity};
use super::people::{self, GeneratedPost, Identity};
use super::{Noise, Record, TruthException};
use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Events per person in the workforce, and the share of events reviewed afterwards.
pub const PND_RETURN: f64 = 0.004;
pub const MISCONDUCT_OUTCOME: f64 = 0.003;
pub const CHANGE_OF_CIRCUMSTANCES: f64 = 0.01;
pub const REVIEWED: f64 = 0.5;
/// PND returns about people not on the roster, per return about someone on it.
pub const PND_STRANGERS: f64 = 0.2;
/// Default `rules.review_grace_days`.
pub const GRACE_DAYS: i64 = 28;

const CATEGORIES: [&str; 5] = ["arrest", "charge", "conviction", "intelligence", "other"];
const OUTCOMES: [&str; 4] = [
    "written_warning",
    "final_written_warning",
    "reduction_in_rank",
    "other",
];
/// The outcomes `rules.misconduct_needs_review` lists by default.
pub const NEEDS_REVIEW_OUTCOMES: [&str; 3] = [
    "written_warning",
    "final_written_warning",
    "reduction_in_rank",
];
const CHANGES: [&str; 7] = [
    "name",
    "marital_status",
    "partner",
    "finances",
    "association",
    "address",
    "other",
];
const NEEDS_REVIEW_CHANGES: [&str; 5] = [
    "name",
    "marital_status",
    "partner",
    "finances",
    "association",
];

/// One PND return as written, with its true subject (index into the people).
#[derive(Debug, Clone)]
pub struct PndRow {
    pub pnd_ref: String,
    pub owner: Option<usize>,
    pub id: VettingIdentity,
    pub record_date: NaiveDate,
    pub category: &'static str,
}

/// One misconduct outcome or notified change.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub reference: String,
    pub owner: usize,
    pub kind: &'static str,
    pub date: NaiveDate,
}

/// The three feeds and the exceptions they imply.
#[derive(Debug, Clone, Default)]
pub struct TriggerFeeds {
    pub pnd: Vec<PndRow>,
    pub misconduct: Vec<EventRow>,
    pub circumstances: Vec<EventRow>,
    pub exceptions: Vec<TruthException>,
}

#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn pick<R: Rng>(rng: &mut R, from: &[&'static str]) -> &'static str {
    from[rng.random_range(0..from.len())]
}

/// Draw the feeds, record the reviews on `records`, and work out the true exceptions.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub fn generate(
    seed: u64,
    as_of: NaiveDate,
    noise: &Noise,
    nicknames: &[Vec<String>],
    people: &[Identity],
    posts: &[GeneratedPost],
    records: &mut [Record],
) -> TriggerFeeds {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7472_6967_6765_7273);
    let ago = |rng: &mut ChaCha8Rng| as_of - Duration::days(rng.random_range(1..=365));
    let mut f = TriggerFeeds::default();
    // (person, date) of every event, for the reviews.
    let mut events: Vec<(usize, NaiveDate)> = Vec::new();
    for (i, p) in people.iter().enumerate() {
        if p.status == "leaver" {
            continue;
        }
        if rng.random_bool(PND_RETURN) {
            let mut id = copy::vetting_copy(&mut rng, p, noise, nicknames, "");
            id.employee_id_hint = None;
            let date = ago(&mut rng);
            f.pnd.push(PndRow {
                pnd_ref: String::new(),
                owner: Some(i),
                id,
                record_date: date,
                category: pick(&mut rng, &CATEGORIES),
            });
            events.push((i, date));
            if rng.random_bool(PND_STRANGERS) {
                let other = people::person(&mut rng, as_of, posts);
                let mut id = copy::vetting_copy(&mut rng, &other, noise, nicknames, "");
                id.employee_id_hint = None;
                f.pnd.push(PndRow {
                    pnd_ref: String::new(),
                    owner: None,
                    id,
                    record_date: ago(&mut rng),
                    category: pick(&mut rng, &CATEGORIES),
                });
            }
        }
        if rng.random_bool(MISCONDUCT_OUTCOME) {
            let date = ago(&mut rng);
            f.misconduct.push(EventRow {
                reference: format!("MIS{:07}", f.misconduct.len() + 1),
                owner: i,
                kind: pick(&mut rng, &OUTCOMES),
                date,
            });
            events.push((i, date));
        }
        if rng.random_bool(CHANGE_OF_CIRCUMSTANCES) {
            let date = ago(&mut rng);
            f.circumstances.push(EventRow {
                reference: format!("COC{:07}", f.circumstances.len() + 1),
                owner: i,
                kind: pick(&mut rng, &CHANGES),
                date,
            });
            events.push((i, date));
        }
    }
    for (n, r) in f.pnd.iter_mut().enumerate() {
        r.pnd_ref = format!("PND{:07}", n + 1);
    }

    // Reviews: some events are followed by a review of the person's latest vetting record.
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); people.len()];
    for (ri, r) in records.iter().enumerate() {
        if let Some(o) = r.owner {
            owned[o].push(ri);
        }
    }
    for (person, date) in events {
        if !rng.random_bool(REVIEWED) {
            continue;
        }
        let latest = owned[person]
            .iter()
            .copied()
            .filter(|&ri| records[ri].plan.decision.is_some())
            .max_by_key(|&ri| (records[ri].plan.decision, ri));
        if let Some(ri) = latest {
            let room = (as_of - date).num_days().min(60);
            let on = date + Duration::days(rng.random_range(0..=room));
            let r = &mut records[ri];
            r.last_review = r.last_review.max(Some(on));
        }
    }

    // Truth: open (no review or decision on or after the event) and past the grace period.
    let latest_review = |person: usize| {
        owned[person]
            .iter()
            .flat_map(|&ri| [records[ri].plan.decision, records[ri].last_review])
            .flatten()
            .max()
    };
    let due = |person: usize, date: NaiveDate| {
        latest_review(person).is_none_or(|r| r < date) && (as_of - date).num_days() > GRACE_DAYS
    };
    let mut exceptions = Vec::new();
    let mut truth = |code: &str, person: usize, reference: &str| {
        exceptions.push(TruthException {
            code: code.to_string(),
            employee_id: people[person].employee_id.clone(),
            vetting_ref: reference.to_string(),
        })
    };
    for r in &f.pnd {
        if let Some(o) = r.owner.filter(|&o| due(o, r.record_date)) {
            truth("PND_UNREVIEWED", o, &r.pnd_ref);
        }
    }
    for e in &f.misconduct {
        if NEEDS_REVIEW_OUTCOMES.contains(&e.kind) && due(e.owner, e.date) {
            truth("MISCONDUCT_REVIEW_DUE", e.owner, &e.reference);
        }
    }
    for e in &f.circumstances {
        if NEEDS_REVIEW_CHANGES.contains(&e.kind) && due(e.owner, e.date) {
            truth("CIRCUMSTANCES_REVIEW_DUE", e.owner, &e.reference);
        }
    }
    f.exceptions = exceptions;
    f
}
