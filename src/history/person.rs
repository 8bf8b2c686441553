//! One person's state per run, and their timeline across runs (`vetrecon person`).
//!
//! Each run keeps every person's state (status, post, linked clearances, open exceptions)
//! in `BUCKETS` blobs, split by a hash of the employee id. A timeline then reads one small
//! blob per run instead of a whole night's data, and because blobs are content-addressed and
//! delta-compressed against last night's, a year of nights costs little more than the
//! changes. Bucketing by SHA-256 (not a process-seeded hash) keeps it stable across builds.

use crate::assess::Exception;
use crate::clerical::Verdict;
use crate::error::StoreError;
use crate::history::text::put;
use crate::ingest::value::id_key;
use crate::link::LinkOutcome;
use crate::model::{Person, Post, VettingRecord};
use crate::store::{Body, Store};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

pub const BUCKETS: usize = 64;

/// The bucket of a person, by their id as ids compare (`id_key`), so `person e1008` finds
/// the roster's `E1008`.
pub fn bucket_of(employee_id: &str) -> usize {
    bucket_of_spelled(&id_key(employee_id))
}

/// The bucket of an id as spelled: where a build before ids were folded for bucketing put
/// the person (the same bucket as `bucket_of` for every id already in upper case).
fn bucket_of_spelled(employee_id: &str) -> usize {
    crate::store::blob::key_of(employee_id.as_bytes())[0] as usize % BUCKETS
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clearance {
    pub vetting_ref: String,
    pub level: String,
    pub status: String,
    pub expiry: String,
    /// `auto_link` or `confirmed`.
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Open {
    pub code: String,
    pub vetting_ref: String,
    pub post_id: String,
}

/// A clerical decision about this person that the run's data reopened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reopened {
    pub vetting_ref: String,
    /// The note the exception and the report carry (`link::overrides::Reopen::note`).
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonState {
    pub employee_id: String,
    pub status: String,
    pub post_id: String,
    pub post_title: String,
    pub clearances: Vec<Clearance>,
    pub exceptions: Vec<Open>,
    /// Left out when empty (nearly always), so a state serialises as it did before reopened
    /// decisions existed and a bucket written by an older build still reads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reopened: Vec<Reopened>,
}

/// `PersonState` borrowed from tonight's data, serialised field for field as it would be
/// (same names, same order), so a bucket's bytes are what an owned state gives without a
/// `String` per field of every person.
#[derive(Serialize)]
struct StateView<'a> {
    employee_id: &'a str,
    status: &'a str,
    post_id: &'a str,
    post_title: &'a str,
    clearances: Vec<ClearanceView<'a>>,
    exceptions: Vec<OpenView<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    reopened: Vec<ReopenedView<'a>>,
}

#[derive(Serialize)]
struct ClearanceView<'a> {
    vetting_ref: &'a str,
    level: String,
    status: &'a str,
    expiry: String,
    link: &'a str,
}

#[derive(Serialize)]
struct OpenView<'a> {
    code: &'a str,
    vetting_ref: &'a str,
    post_id: &'a str,
}

#[derive(Serialize)]
struct ReopenedView<'a> {
    vetting_ref: &'a str,
    note: String,
}

/// Every person's state tonight, as `BUCKETS` JSON-lines blobs sorted by employee id.
/// Each bucket is built and serialised on its own, on both cores, from borrowed views
/// (`StateView`).
pub fn buckets(
    persons: &[Person],
    posts: &[Post],
    vetting: &[VettingRecord],
    level_name: &(dyn Fn(crate::model::LevelId) -> String + Sync),
    links: &[LinkOutcome],
    exceptions: &[Exception],
    overrides: &[Option<&crate::link::Overrides>],
) -> Vec<Vec<u8>> {
    let night = Night {
        persons,
        posts,
        vetting,
        level_name,
        links,
        exceptions,
        overrides,
    };
    buckets_into(&night, &|_, b| b)
}

/// What the person buckets are built from (`buckets_into`).
pub struct Night<'a> {
    pub persons: &'a [Person],
    pub posts: &'a [Post],
    pub vetting: &'a [VettingRecord],
    pub level_name: &'a (dyn Fn(crate::model::LevelId) -> String + Sync),
    pub links: &'a [LinkOutcome],
    pub exceptions: &'a [Exception],
    pub overrides: &'a [Option<&'a crate::link::Overrides>],
}

/// `buckets`, each blob handed to `each` (with its bucket number) on the thread that built
/// it, as soon as it is built: the night compresses it there and frees it, so the buckets
/// are never all held raw at once.
pub fn buckets_into<T: Send>(
    night: &Night<'_>,
    each: &(dyn Fn(usize, Vec<u8>) -> T + Sync),
) -> Vec<T> {
    use rayon::prelude::*;
    let Night {
        persons,
        posts,
        vetting,
        level_name,
        links,
        exceptions,
        overrides,
    } = *night;
    let post_title: HashMap<&str, &str> = posts
        .iter()
        .map(|p| (p.post_id.as_str(), p.title.as_str()))
        .collect();
    // Per person: the records linked to them, the exceptions raised on them, and the
    // decisions reopened about them.
    let mut clearances: Vec<Vec<usize>> = vec![Vec::new(); persons.len()];
    for (vi, l) in links.iter().enumerate().take(vetting.len()) {
        if let Some(slot) = l
            .linked_person()
            .and_then(|p| clearances.get_mut(p as usize))
        {
            slot.push(vi);
        }
    }
    let mut open: HashMap<&str, Vec<&Exception>> = HashMap::default();
    for e in exceptions.iter().filter(|e| !e.employee_id.is_empty()) {
        open.entry(e.employee_id.as_str()).or_default().push(e);
    }
    let mut reopened: Vec<Vec<(&str, String)>> = vec![Vec::new(); persons.len()];
    for r in overrides.iter().flatten().flat_map(|o| o.all_reopened()) {
        // (`r.person` indexes this roster: the overrides were built on it.)
        if let Some(of) = reopened.get_mut(r.person as usize) {
            of.push((r.vetting_ref.as_str(), r.note()));
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); BUCKETS];
    for (pi, p) in persons.iter().enumerate() {
        if let Some(b) = members.get_mut(bucket_of(&p.employee_id)) {
            b.push(pi);
        }
    }
    let view = |pi: usize| -> Option<StateView<'_>> {
        let p = persons.get(pi)?;
        let mut cl: Vec<ClearanceView<'_>> = clearances
            .get(pi)?
            .iter()
            .filter_map(|&vi| {
                let (v, l) = (vetting.get(vi)?, links.get(vi)?);
                Some(ClearanceView {
                    vetting_ref: &v.vetting_ref,
                    level: level_name(v.level),
                    status: v.status.as_str(),
                    expiry: v.expiry_date.map(|d| d.to_string()).unwrap_or_default(),
                    link: l.decision.as_str(),
                })
            })
            .collect();
        cl.sort_by(|a, b| a.vetting_ref.cmp(b.vetting_ref));
        let mut ex: Vec<OpenView<'_>> = open
            .get(p.employee_id.as_str())
            .into_iter()
            .flatten()
            .map(|e| OpenView {
                code: e.code.as_str(),
                vetting_ref: &e.vetting_ref,
                post_id: &e.post_id,
            })
            .collect();
        ex.sort_by(|a, b| {
            (a.code, a.vetting_ref, a.post_id).cmp(&(b.code, b.vetting_ref, b.post_id))
        });
        // (`all_reopened` has no order: this gives one.)
        let mut re: Vec<ReopenedView<'_>> = reopened
            .get(pi)?
            .iter()
            .map(|(v, n)| ReopenedView {
                vetting_ref: v,
                note: n.clone(),
            })
            .collect();
        re.sort_by(|a, b| (a.vetting_ref, &a.note).cmp(&(b.vetting_ref, &b.note)));
        let post_id = p.post_id.as_deref().unwrap_or_default();
        Some(StateView {
            employee_id: &p.employee_id,
            status: p.status.as_str(),
            post_id,
            post_title: post_title.get(post_id).copied().unwrap_or(""),
            clearances: cl,
            exceptions: ex,
            reopened: re,
        })
    };
    members
        .into_par_iter()
        .enumerate()
        .map(|(b, mut m)| {
            // By employee id; ingest refuses a repeated one, and should one pass, the last
            // person with it is kept, as a map keyed by the id would keep them.
            m.sort_by(|&a, &b| {
                let id = |i: usize| persons.get(i).map_or("", |p| p.employee_id.as_str());
                id(a).cmp(id(b)).then(b.cmp(&a))
            });
            m.dedup_by(|a, b| {
                let id = |i: usize| persons.get(i).map(|p| p.employee_id.as_str());
                id(*a) == id(*b)
            });
            let mut out = Vec::new();
            for s in m.into_iter().filter_map(view) {
                serde_json::to_writer(&mut out, &s).expect("a state serialises");
                out.push(b'\n');
            }
            each(b, out)
        })
        .collect()
}

/// The state of the person whose folded id is `key` in one bucket.
fn find(bucket: &[u8], key: &str) -> Result<Option<PersonState>, StoreError> {
    for line in bucket.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let s: PersonState = serde_json::from_slice(line)
            .map_err(|e| StoreError::Corrupt(format!("person bucket: {e}")))?;
        if id_key(&s.employee_id) == key {
            return Ok(Some(s));
        }
    }
    Ok(None)
}

fn describe_clearance(c: &Clearance) -> String {
    let expiry = if c.expiry.is_empty() {
        String::new()
    } else {
        format!(", expires {}", c.expiry)
    };
    format!(
        "{} {} {}{expiry} ({})",
        c.vetting_ref, c.level, c.status, c.link
    )
}

fn describe_open(o: &Open) -> String {
    let mut s = o.code.clone();
    for part in [&o.vetting_ref, &o.post_id] {
        if !part.is_empty() {
            let _ = write!(s, " {part}");
        }
    }
    s
}

/// What changed for one person from one run to the next, in words, every code checked.
#[cfg(test)]
fn changes(before: Option<&PersonState>, after: Option<&PersonState>) -> Vec<String> {
    changes_checked(before, after, &|_| None)
}

/// The review-trigger feed a run did not read that raises `code`, if any: the run did not
/// check that code.
fn unread_feed<'r>(r: &'r crate::store::RunRecord, code: &str) -> Option<&'r str> {
    crate::assess::Code::feed_of(code).filter(|f| !r.read_feed(f))
}

/// What changed for one person from one run to the next, in words. `unchecked` names the
/// feed the later run did not read for a code it did not check: an exception of that code
/// is "not checked", never cleared.
fn changes_checked(
    before: Option<&PersonState>,
    after: Option<&PersonState>,
    unchecked: &dyn Fn(&str) -> Option<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    match (before, after) {
        (None, None) => {}
        (Some(_), None) => out.push("no longer on the roster".to_string()),
        (b, Some(a)) => {
            let empty = PersonState {
                employee_id: String::new(),
                status: String::new(),
                post_id: String::new(),
                post_title: String::new(),
                clearances: vec![],
                exceptions: vec![],
                reopened: vec![],
            };
            let post = |p: &str| {
                if p.is_empty() {
                    "(none)".to_string()
                } else {
                    p.to_string()
                }
            };
            let titled = |text: String| text.trim_end().to_string();
            if b.is_none() {
                out.push(titled(format!(
                    "on the roster: {}, post {} {}",
                    a.status,
                    post(&a.post_id),
                    a.post_title
                )));
            }
            let b = b.unwrap_or(&empty);
            if !b.status.is_empty() && b.status != a.status {
                out.push(format!("status {} -> {}", b.status, a.status));
            }
            if !b.status.is_empty() && b.post_id != a.post_id {
                out.push(titled(format!(
                    "post {} -> {} {}",
                    post(&b.post_id),
                    post(&a.post_id),
                    a.post_title
                )));
            }
            for c in &a.clearances {
                if !b.clearances.contains(c) {
                    out.push(format!("clearance {}", describe_clearance(c)));
                }
            }
            for c in &b.clearances {
                if !a.clearances.iter().any(|x| x.vetting_ref == c.vetting_ref) {
                    out.push(format!("clearance {} no longer linked", c.vetting_ref));
                }
            }
            // A decision reopened tonight (shown once, the night it is reopened).
            for r in &a.reopened {
                if !b.reopened.contains(r) {
                    out.push(format!(
                        "decision on {} {}; back in review until decided again",
                        r.vetting_ref, r.note
                    ));
                }
            }
            for o in &a.exceptions {
                if !b.exceptions.contains(o) {
                    out.push(format!("exception raised {}", describe_open(o)));
                }
            }
            for o in &b.exceptions {
                if !a.exceptions.contains(o) {
                    match unchecked(&o.code) {
                        Some(feed) => out.push(format!(
                            "exception {} not checked (the run did not read {feed})",
                            describe_open(o)
                        )),
                        None => out.push(format!("exception cleared {}", describe_open(o))),
                    }
                }
            }
        }
    }
    out
}

/// The chain entries in the order a timeline tells them: runs by (as-of date, run id), so a
/// backfilled night takes its place in the calendar and changes never run backwards; each
/// decision right after the newest-dated run committed before it (where the officer saw the
/// pair), so in a store without backfills this is exactly chain order.
fn date_order(entries: &[crate::store::Stored]) -> Vec<&crate::store::Stored> {
    let mut newest: (&str, &str) = ("", "");
    // (as-of, run id, run before decisions, chain position)
    type Key<'a> = (&'a str, &'a str, u8, u64);
    let mut keyed: Vec<(Key<'_>, &crate::store::Stored)> = entries
        .iter()
        .map(|s| match &s.entry.body {
            Body::Run(r) => {
                let key = (r.as_of.as_str(), r.run_id.as_str());
                newest = newest.max(key);
                ((key.0, key.1, 0, s.entry.seq), s)
            }
            _ => ((newest.0, newest.1, 1, s.entry.seq), s),
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, s)| s).collect()
}

/// The timeline of one person across every committed run, with the decisions about them.
pub fn timeline(store: &Store, employee_id: &str) -> Result<String, StoreError> {
    let entries = store.entries()?;
    let runs = crate::store::runs_of(&entries);
    let superseded: HashMap<&str, &str> = runs
        .iter()
        .filter_map(|r| {
            r.superseded_by
                .as_deref()
                .map(|by| (r.record.run_id.as_str(), by))
        })
        .collect();
    let key = id_key(employee_id);
    // Where to look in each run: the folded id's bucket, then the buckets of the spellings
    // the store holds for this person (an older build bucketed ids as spelled).
    let mut spelled: Vec<usize> = vec![bucket_of(employee_id)];
    fn learn(buckets: &mut Vec<usize>, id: &str) {
        let b = bucket_of_spelled(id);
        if !buckets.contains(&b) {
            buckets.push(b);
        }
    }
    learn(&mut spelled, employee_id.trim());
    for s in &entries {
        if let Body::Decisions(d) = &s.entry.body {
            for row in d.rows.iter().filter(|r| id_key(&r.employee_id) == key) {
                learn(&mut spelled, &row.employee_id);
            }
        }
    }
    let mut cache: HashMap<String, Option<PersonState>> = HashMap::default();
    let mut out = String::new();
    let mut prev: Option<PersonState> = None;
    let (mut seen, mut changed) = (0usize, 0usize);
    for s in date_order(&entries) {
        match &s.entry.body {
            Body::Run(r) => {
                let mut state = None;
                let shas: Vec<&String> = spelled.iter().filter_map(|&b| r.people.get(b)).collect();
                for sha in shas {
                    let st = match cache.get(sha) {
                        Some(st) => st.clone(),
                        None => {
                            let st = find(&store.get_blob(sha)?, &key)?;
                            cache.insert(sha.clone(), st.clone());
                            st
                        }
                    };
                    if let Some(st) = st {
                        learn(&mut spelled, &st.employee_id);
                        state = Some(st);
                        break;
                    }
                }
                if state.is_some() {
                    seen += 1;
                }
                let unchecked = |code: &str| unread_feed(r, code).map(str::to_string);
                let lines = changes_checked(prev.as_ref(), state.as_ref(), &unchecked);
                if !lines.is_empty() {
                    changed += 1;
                    let mark = superseded
                        .get(r.run_id.as_str())
                        .map(|by| format!(" (superseded by {by})"))
                        .unwrap_or_default();
                    put!(&mut out, "run {} as of {}{mark}", r.run_id, r.as_of);
                    for l in lines {
                        put!(&mut out, "    {l}");
                    }
                }
                // An exception of a code this run did not check is carried to the next
                // comparison: still open there is no change, gone is cleared then.
                prev = match (state, prev.take()) {
                    (Some(mut now), Some(before)) => {
                        now.exceptions.extend(
                            before
                                .exceptions
                                .into_iter()
                                .filter(|o| unread_feed(r, &o.code).is_some()),
                        );
                        Some(now)
                    }
                    (now, _) => now,
                };
            }
            Body::Decisions(d) => {
                for row in d.rows.iter().filter(|r| id_key(&r.employee_id) == key) {
                    let what = match row.verdict {
                        Verdict::Confirm => "confirmed as the same person as",
                        Verdict::Reject => "rejected as a match for",
                        Verdict::Revoke => "decision revoked on",
                    };
                    put!(
                        &mut out,
                        "decision at {}: {what} {} by {} ({})",
                        row.at,
                        row.vetting_ref,
                        row.by,
                        row.reason
                    );
                }
            }
            Body::Prune(_) | Body::QaVerdicts(_) | Body::JmlClosings(_) => {}
        }
    }
    if seen == 0 && out.is_empty() {
        return Err(StoreError::NoSuchPerson(employee_id.to_string()));
    }
    let mut head = String::new();
    put!(
        &mut head,
        "person {employee_id}: on the roster in {seen} of {} runs; {changed} runs with changes",
        runs.len()
    );
    Ok(head + &out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(post: &str, ex: &[&str]) -> PersonState {
        PersonState {
            employee_id: "E1".into(),
            status: "active".into(),
            post_id: post.into(),
            post_title: String::new(),
            clearances: vec![],
            exceptions: ex
                .iter()
                .map(|c| Open {
                    code: c.to_string(),
                    vetting_ref: String::new(),
                    post_id: post.into(),
                })
                .collect(),
            reopened: vec![],
        }
    }

    #[test]
    fn changes_name_what_was_raised_and_cleared() {
        let a = state("P1", &["NO_CLEARANCE"]);
        let b = state("P2", &["EXPIRED"]);
        assert_eq!(
            changes(Some(&a), Some(&b)),
            vec![
                "post P1 -> P2",
                "exception raised EXPIRED P2",
                "exception cleared NO_CLEARANCE P1"
            ]
        );
        assert!(changes(Some(&a), Some(&a)).is_empty());
        assert_eq!(changes(Some(&a), None), vec!["no longer on the roster"]);
        assert_eq!(
            changes(None, Some(&a)),
            vec![
                "on the roster: active, post P1",
                "exception raised NO_CLEARANCE P1"
            ]
        );
    }

    #[test]
    fn a_reopened_decision_shows_the_night_it_is_reopened() {
        let before = state("P1", &[]);
        let mut after = before.clone();
        after.reopened.push(Reopened {
            vetting_ref: "V501393".into(),
            note: "reopened: date_of_birth changed on the vetting record since DS Patel confirmed E1 / V501393 on 2026-11-24".into(),
        });
        assert_eq!(
            changes(Some(&before), Some(&after)),
            vec!["decision on V501393 reopened: date_of_birth changed on the vetting record since DS Patel confirmed E1 / V501393 on 2026-11-24; back in review until decided again"]
        );
        assert!(changes(Some(&after), Some(&after)).is_empty());
        // An older build's bucket (no `reopened` key) still reads, and an empty one is not
        // written, so unchanged states keep their bytes.
        let line = serde_json::to_string(&before).unwrap();
        assert!(!line.contains("reopened"), "{line}");
        assert_eq!(serde_json::from_str::<PersonState>(&line).unwrap(), before);
    }

    #[test]
    fn a_person_is_in_one_bucket_whatever_the_case_of_the_id() {
        assert_eq!(bucket_of("e1182"), bucket_of("E1182"));
        assert_eq!(bucket_of("\u{200b}e1182 "), bucket_of("E1182"));
        // An id already in upper case stays where builds that bucketed by spelling put it.
        assert_eq!(bucket_of("E1182"), bucket_of_spelled("E1182"));
    }

    #[test]
    fn buckets_are_stable() {
        assert_eq!(bucket_of("E1001"), bucket_of("E1001"));
        assert!(
            (0..1000)
                .map(|i| bucket_of(&format!("E{i}")))
                .max()
                .unwrap()
                < BUCKETS
        );
    }
}
