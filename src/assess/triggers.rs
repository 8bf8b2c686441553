//! Review triggers: events after which a clearance must be reviewed, turned into exceptions
//! once a grace period has passed with no review.
//!
//! - PND_UNREVIEWED: a PND return linked to a person (auto-linked or confirmed, by the same
//!   engine as the vetting records), dated after the person's latest vetting decision or
//!   review. A return in the review band or ambiguous is a REVIEW_MATCH / AMBIGUOUS_MATCH row
//!   naming the return, so it cannot sit unseen while nobody decides whose it is.
//! - MISCONDUCT_REVIEW_DUE: an outcome of a kind `rules.misconduct_needs_review` lists.
//! - CIRCUMSTANCES_REVIEW_DUE: a notified change of a type `rules.circumstances_need_review`
//!   lists.
//!
//! An event is closed by a review on or after its date: the latest `last_review_date` or
//! `decision_date` among the person's linked vetting records (a new decision is a review).
//! An open event becomes an exception when more than `rules.review_grace_days` days have
//! passed since it (from the 29th day, at the default 28). Leavers are left to the leaver
//! rule. For these codes `vetting_ref` holds the triggering record's own reference (pnd_ref,
//! outcome_ref or notice_ref), so each event is its own row in history and diff, and the
//! detail names the category or type, never free text.

use super::settings::RawRules;
use super::{Code, Exception, Facts};
use crate::ingest::value::id_key;
use crate::link::{Decision, LinkOutcome};
use crate::model::Person;
use crate::model::{ChangeType, Circumstance, Misconduct, Outcome, PndReturn};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Roster people by their id as the feeds are matched to it: trimmed, invisible characters
/// gone, without regard to case (`e1008` in a misconduct export is the roster's `E1008`).
pub(crate) fn roster_index(persons: &[Person]) -> HashMap<String, usize> {
    persons
        .iter()
        .enumerate()
        .map(|(i, p)| (id_key(&p.employee_id), i))
        .collect()
}

/// Rows of the misconduct and circumstances feeds whose employee id is no one on tonight's
/// roster, per feed given: (role, rows). They raise nothing, so they are counted and shown
/// (summary.txt, the report, the log) rather than vanishing: a stale or mistyped id in a
/// professional-standards export must reach a person.
pub fn unmatched(persons: &[Person], t: &crate::ingest::Triggers) -> Vec<(&'static str, usize)> {
    let person = roster_index(persons);
    let missing = |ids: &mut dyn Iterator<Item = &String>| {
        ids.filter(|id| !person.contains_key(&id_key(id))).count()
    };
    let mut out = Vec::new();
    if t.has("misconduct") {
        out.push((
            "misconduct",
            missing(&mut t.misconduct.iter().map(|m| &m.employee_id)),
        ));
    }
    if t.has("circumstances") {
        out.push((
            "circumstances",
            missing(&mut t.circumstances.iter().map(|c| &c.employee_id)),
        ));
    }
    out
}

/// The validated `[rules]` settings for review triggers.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerPolicy {
    pub grace_days: i64,
    pub misconduct: Vec<Outcome>,
    pub circumstances: Vec<ChangeType>,
}

impl TriggerPolicy {
    pub fn build(raw: &RawRules) -> Result<TriggerPolicy, String> {
        if raw.review_grace_days < 0 {
            return Err("rules.review_grace_days must not be negative".into());
        }
        let misconduct = values(
            "rules.misconduct_needs_review",
            &raw.misconduct_needs_review,
            Outcome::parse,
            &Outcome::names(),
        )?;
        let circumstances = values(
            "rules.circumstances_need_review",
            &raw.circumstances_need_review,
            ChangeType::parse,
            &ChangeType::names(),
        )?;
        Ok(TriggerPolicy {
            grace_days: raw.review_grace_days,
            misconduct,
            circumstances,
        })
    }
}

/// Parse a config list of contract values, naming the key and the known values on error.
fn values<T>(
    key: &str,
    given: &[String],
    parse: fn(&str) -> Option<T>,
    known: &str,
) -> Result<Vec<T>, String> {
    given
        .iter()
        .map(|v| parse(v).ok_or_else(|| format!("{key}: `{v}` is not one of {known}")))
        .collect()
}

/// The trigger feeds of a night, as the rules read them.
#[derive(Debug, Default, Clone, Copy)]
pub struct TriggerFacts<'a> {
    pub pnd: &'a [PndReturn],
    /// One outcome per PND return, same order.
    pub pnd_links: &'a [LinkOutcome],
    pub misconduct: &'a [Misconduct],
    pub circumstances: &'a [Circumstance],
    /// `None`: no trigger rules at all.
    pub policy: Option<&'a TriggerPolicy>,
}

/// The latest review of a person's vetting: the latest review or decision date among the
/// vetting records linked to them.
fn latest_review(facts: &Facts<'_>, person: usize) -> Option<NaiveDate> {
    facts
        .records_of(person)
        .flat_map(|(_, v)| [v.last_review_date, v.decision_date])
        .flatten()
        .max()
}

/// Days past the grace period when an event on `date` is open and overdue, else `None`.
fn overdue(facts: &Facts<'_>, person: usize, date: NaiveDate, grace: i64) -> Option<i64> {
    if latest_review(facts, person).is_some_and(|r| r >= date) {
        return None;
    }
    let days = (facts.as_of - date).num_days();
    (days > grace).then_some(days - grace)
}

fn detail(what: String, date: NaiveDate, facts: &Facts<'_>, person: usize) -> String {
    let days = (facts.as_of - date).num_days();
    let since = match latest_review(facts, person) {
        Some(r) => format!("latest vetting decision or review {r}"),
        None => "no vetting decision or review on record".into(),
    };
    format!("{what} on {date}, {days} days ago; no vetting review since ({since})")
}

pub fn check(facts: &Facts<'_>) -> Vec<Exception> {
    let t = &facts.triggers;
    let Some(policy) = t.policy else {
        return Vec::new();
    };
    let grace = policy.grace_days;
    let in_workforce = |p: usize| facts.person(p).status.in_workforce();
    let mut out = Vec::new();

    assert_eq!(
        t.pnd.len(),
        t.pnd_links.len(),
        "one link outcome per PND return"
    );
    for (ri, (r, link)) in t.pnd.iter().zip(t.pnd_links).enumerate() {
        match link.decision {
            Decision::AutoLink | Decision::Confirmed => {
                let p = link.best().expect("a link has a candidate").person as usize;
                if !in_workforce(p) {
                    continue;
                }
                if let Some(late) = overdue(facts, p, r.record_date, grace) {
                    let mut e = Exception::for_person(Code::PndUnreviewed, facts, p);
                    e.vetting_ref = r.pnd_ref.clone();
                    e.match_score = link.best().map(|c| c.weight);
                    e.days_out = late;
                    e.detail = detail(
                        format!("PND {} record", r.category.as_str()),
                        r.record_date,
                        facts,
                        p,
                    );
                    out.push(e);
                }
            }
            Decision::Review => {
                let c = link.best().expect("a review outcome has a candidate");
                let mut e = Exception::for_person(Code::ReviewMatch, facts, c.person as usize);
                e.vetting_ref = r.pnd_ref.clone();
                e.match_score = Some(c.weight);
                e.detail = super::match_review::prefixed(
                    facts.pnd_reopened_note(ri),
                    format!(
                        "possible match for a PND {} return (score {:.1}, p={:.3}): {}; confirm or reject",
                        r.category.as_str(),
                        c.weight,
                        c.probability,
                        crate::link::weights::describe(&c.levels)
                    ),
                );
                out.push(e);
            }
            Decision::Ambiguous => {
                let mut e = Exception::blank(Code::AmbiguousMatch);
                e.surname = r.surname.clone();
                e.forenames = r.forenames.clone();
                e.vetting_ref = r.pnd_ref.clone();
                e.match_score = link.best().map(|c| c.weight);
                let names: Vec<String> = link
                    .candidates
                    .iter()
                    .map(|c| facts.person(c.person as usize).employee_id.clone())
                    .collect();
                e.detail = super::match_review::prefixed(
                    facts.pnd_reopened_note(ri),
                    format!(
                        "PND {} return too close to choose between: {}",
                        r.category.as_str(),
                        names.join(", ")
                    ),
                );
                out.push(e);
            }
            Decision::NoMatch => {}
        }
    }

    let person = roster_index(facts.persons);
    let mut event = |code: Code, reference: &str, employee: &str, what: String, date| {
        let Some(&p) = person.get(&id_key(employee)) else {
            return;
        };
        if !in_workforce(p) {
            return;
        }
        if let Some(late) = overdue(facts, p, date, grace) {
            let mut e = Exception::for_person(code, facts, p);
            e.vetting_ref = reference.to_string();
            e.days_out = late;
            e.detail = detail(what, date, facts, p);
            out.push(e);
        }
    };
    for m in t.misconduct {
        if policy.misconduct.contains(&m.outcome) {
            event(
                Code::MisconductReviewDue,
                &m.outcome_ref,
                &m.employee_id,
                format!("misconduct outcome {}", m.outcome.as_str()),
                m.outcome_date,
            );
        }
    }
    for c in t.circumstances {
        if policy.circumstances.contains(&c.change_type) {
            event(
                Code::CircumstancesReviewDue,
                &c.notice_ref,
                &c.employee_id,
                format!("change of circumstances ({})", c.change_type.as_str()),
                c.notified_date,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests;
