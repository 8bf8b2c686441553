//! `vetrecon diff RUN_A RUN_B`: which exceptions are new, resolved and persisting.
//!
//! An exception is identified by (code, employee_id, vetting_ref, post_id): the same problem
//! about the same person, record and post. Its priority and detail may change from night to
//! night without it becoming a different exception.
//!
//! A code is checked by a night only if that night read the feed that raises it (PND
//! returns, misconduct, circumstances; every other code is always checked). An exception of
//! a code the later night did not check is `not checked`, never resolved; one of a code the
//! earlier night did not check is `not checked before`, never new: nobody looked.

use crate::error::StoreError;
use crate::history::text::put;
use crate::store::{RunView, Store};
use std::collections::BTreeMap;

pub type Key = (String, String, String, String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub severity: String,
    pub priority: u64,
}

/// The exceptions of a stored run, by identity.
pub fn exceptions_of(store: &Store, run: &RunView) -> Result<BTreeMap<Key, Row>, StoreError> {
    let file = run
        .record
        .outputs
        .iter()
        .find(|o| o.name == "exceptions.csv")
        .ok_or_else(|| {
            StoreError::Corrupt(format!("run {} has no exceptions.csv", run.record.run_id))
        })?;
    parse(&store.get_blob(&file.sha256)?)
        .map_err(|e| StoreError::Corrupt(format!("run {} exceptions.csv: {e}", run.record.run_id)))
}

pub fn parse(bytes: &[u8]) -> Result<BTreeMap<Key, Row>, String> {
    let mut r = csv::Reader::from_reader(bytes);
    let h = r.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| {
        h.iter()
            .position(|c| c == name)
            .ok_or_else(|| format!("no column {name}"))
    };
    let (code, emp, vref, post, sev, prio) = (
        col("code")?,
        col("employee_id")?,
        col("vetting_ref")?,
        col("post_id")?,
        col("severity")?,
        col("priority")?,
    );
    let mut out = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let f = |i: usize| rec.get(i).unwrap_or("").to_string();
        out.insert(
            (f(code), f(emp), f(vref), f(post)),
            Row {
                severity: f(sev),
                priority: f(prio).parse().unwrap_or(0),
            },
        );
    }
    Ok(out)
}

pub struct Diff {
    pub new: Vec<(Key, Row)>,
    pub resolved: Vec<(Key, Row)>,
    pub persisting: Vec<(Key, Row)>,
    /// The earlier run's exceptions of a code the later run did not check.
    pub not_checked: Vec<(Key, Row)>,
    /// The later run's exceptions of a code the earlier run did not check.
    pub not_checked_before: Vec<(Key, Row)>,
    /// The earlier run's POSTING_NOT_CLEARED rows whose posting the later run no longer
    /// checks (it has started, or left the feed or the horizon): not resolved, since nobody
    /// was cleared; from its start the post is judged by the clearance codes
    /// (`take_started_postings`).
    pub posting_started: Vec<(Key, Row)>,
}

impl Diff {
    /// Move the resolved POSTING_NOT_CLEARED rows whose posting `still_checked` does not
    /// name (by employee id and post id) from `resolved` to `posting_started`: a posting that
    /// started uncleared is not a gap closed.
    pub fn take_started_postings(&mut self, still_checked: &dyn Fn(&str, &str) -> bool) {
        let (started, resolved) = std::mem::take(&mut self.resolved).into_iter().partition(
            |((code, emp, _, post), _)| code == "POSTING_NOT_CLEARED" && !still_checked(emp, post),
        );
        self.resolved = resolved;
        self.posting_started = started;
    }
}

/// A code is checked by a night unless an optional feed raises it and the night did not
/// read that feed.
pub fn checked(feeds_read: &[String], code: &str) -> bool {
    crate::assess::Code::feed_of(code).is_none_or(|f| feeds_read.iter().any(|r| r == f))
}

/// Which codes each run checked (`checked`): by code as exceptions.csv spells it.
pub struct Checked<'a> {
    pub before: &'a dyn Fn(&str) -> bool,
    pub now: &'a dyn Fn(&str) -> bool,
}

/// Every code checked.
fn every(_: &str) -> bool {
    true
}

impl Checked<'_> {
    /// Both runs checked every code.
    pub const ALL: Checked<'static> = Checked {
        before: &every,
        now: &every,
    };
}

/// `a` (earlier) against `b` (later), both having checked every code.
pub fn diff(a: &BTreeMap<Key, Row>, b: &BTreeMap<Key, Row>) -> Diff {
    diff_checked(a, b, &Checked::ALL)
}

/// `a` (earlier) against `b` (later), each having checked the codes `checked` says.
pub fn diff_checked(a: &BTreeMap<Key, Row>, b: &BTreeMap<Key, Row>, checked: &Checked<'_>) -> Diff {
    let by_priority = |rows: &BTreeMap<Key, Row>, keep: &dyn Fn(&Key) -> bool| {
        let mut v: Vec<(Key, Row)> = rows
            .iter()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        v.sort_by(|x, y| x.1.priority.cmp(&y.1.priority).then(x.0.cmp(&y.0)));
        v
    };
    let (before, now) = (checked.before, checked.now);
    Diff {
        new: by_priority(b, &|k| !a.contains_key(k) && before(&k.0)),
        resolved: by_priority(a, &|k| !b.contains_key(k) && now(&k.0)),
        persisting: by_priority(b, &|k| a.contains_key(k)),
        not_checked: by_priority(a, &|k| !b.contains_key(k) && !now(&k.0)),
        not_checked_before: by_priority(b, &|k| !a.contains_key(k) && !before(&k.0)),
        posting_started: Vec::new(),
    }
}

/// `vetrecon diff A B`: each run checked the codes of the feeds its inputs list.
pub fn diff_runs(
    a: &crate::store::RunRecord,
    ea: &BTreeMap<Key, Row>,
    b: &crate::store::RunRecord,
    eb: &BTreeMap<Key, Row>,
) -> Diff {
    let read = |r: &crate::store::RunRecord| -> Vec<String> {
        crate::ingest::TRIGGER_ROLES
            .iter()
            .filter(|role| r.read_feed(role))
            .map(|role| role.to_string())
            .collect()
    };
    let (ra, rb) = (read(a), read(b));
    let before = |code: &str| checked(&ra, code);
    let now = |code: &str| checked(&rb, code);
    diff_checked(
        ea,
        eb,
        &Checked {
            before: &before,
            now: &now,
        },
    )
}

/// The lines `render` puts after its first when a run did not read an optional feed: the
/// feed, the run, and what it means for that feed's codes.
pub fn unread_notes(
    (a, ra): (&str, &crate::store::RunRecord),
    (b, rb): (&str, &crate::store::RunRecord),
) -> Vec<String> {
    let mut out = Vec::new();
    for role in crate::ingest::TRIGGER_ROLES {
        let what = crate::model::feeds::describe(role);
        match (ra.read_feed(role), rb.read_feed(role)) {
            (true, true) => {}
            (false, false) => out.push(format!(
                "neither run read {role} ({what}): its exceptions were not checked by either"
            )),
            (true, false) => out.push(format!(
                "run {b} did not read {role} ({what}): its exceptions in {a} are not checked, not resolved"
            )),
            (false, true) => out.push(format!(
                "run {a} did not read {role} ({what}): its exceptions in {b} were not checked before, not new"
            )),
        }
    }
    out
}

pub fn render(a: &str, b: &str, d: &Diff) -> String {
    render_with(a, b, d, &[])
}

/// `render`, with `notes` (`unread_notes`) after the first line.
pub fn render_with(a: &str, b: &str, d: &Diff, notes: &[String]) -> String {
    let mut s = String::new();
    let mut first = format!(
        "exceptions from {a} to {b}: {} new, {} resolved, {} persisting",
        d.new.len(),
        d.resolved.len(),
        d.persisting.len()
    );
    if !d.not_checked.is_empty() || !d.not_checked_before.is_empty() {
        first.push_str(&format!(
            ", {} not checked, {} not checked before",
            d.not_checked.len(),
            d.not_checked_before.len()
        ));
    }
    put!(&mut s, "{first}");
    for n in notes {
        put!(&mut s, "{n}");
    }
    for (title, rows) in [
        ("new", &d.new),
        ("resolved", &d.resolved),
        ("persisting", &d.persisting),
        (
            "not checked (the later run did not read its feed)",
            &d.not_checked,
        ),
        (
            "not checked before (the earlier run did not read its feed)",
            &d.not_checked_before,
        ),
    ] {
        if rows.is_empty() {
            continue;
        }
        put!(&mut s);
        put!(&mut s, "{title}");
        put!(
            &mut s,
            "  {:<24} {:<8} {:<12} {:<12} {:<10}",
            "code",
            "severity",
            "employee_id",
            "vetting_ref",
            "post_id"
        );
        for ((code, emp, vref, post), row) in rows.iter() {
            put!(
                &mut s,
                "  {code:<24} {:<8} {emp:<12} {vref:<12} {post:<10}",
                row.severity
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "run_id,as_of,code,severity,priority,employee_id,surname,forenames,post_id,post_title,required_level,held_level,vetting_ref,vetting_status,expiry_date,match_score,detail\n\
        r,d,EXPIRED,high,1,E1,X,Y,P1,t,MV,MV,V1,granted,2020-01-01,,x\n\
        r,d,NO_CLEARANCE,critical,2,E2,X,Y,P2,t,MV,,,,,,x\n";
    const B: &str = "run_id,as_of,code,severity,priority,employee_id,surname,forenames,post_id,post_title,required_level,held_level,vetting_ref,vetting_status,expiry_date,match_score,detail\n\
        r,d,NO_CLEARANCE,critical,1,E2,X,Y,P2,t,MV,,,,,,changed detail\n\
        r,d,ORPHAN_CLEARANCE,medium,2,,X,Y,,,,MV,V9,granted,2030-01-01,,x\n";

    #[test]
    fn new_resolved_and_persisting_by_identity() {
        let d = diff(&parse(A.as_bytes()).unwrap(), &parse(B.as_bytes()).unwrap());
        let codes = |v: &Vec<(Key, Row)>| v.iter().map(|r| r.0 .0.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&d.new), vec!["ORPHAN_CLEARANCE"]);
        assert_eq!(codes(&d.resolved), vec!["EXPIRED"]);
        assert_eq!(codes(&d.persisting), vec!["NO_CLEARANCE"]);
        let text = render("a", "b", &d);
        assert!(text.starts_with("exceptions from a to b: 1 new, 1 resolved, 1 persisting"));
    }

    #[test]
    fn an_exception_whose_feed_the_later_run_did_not_read_is_not_checked_not_resolved() {
        const C: &str = "run_id,as_of,code,severity,priority,employee_id,surname,forenames,post_id,post_title,required_level,held_level,vetting_ref,vetting_status,expiry_date,match_score,detail\n\
            r,d,PND_UNREVIEWED,high,1,E1,X,Y,P1,t,,,PND-1,,,,x\n\
            r,d,EXPIRED,high,2,E2,X,Y,P2,t,MV,MV,V2,granted,2020-01-01,,x\n";
        const D: &str = "run_id,as_of,code,severity,priority,employee_id,surname,forenames,post_id,post_title,required_level,held_level,vetting_ref,vetting_status,expiry_date,match_score,detail\n\
            r,d,MISCONDUCT_REVIEW_DUE,high,1,E3,X,Y,P3,t,,,MIS-1,,,,x\n";
        let (c, d) = (parse(C.as_bytes()).unwrap(), parse(D.as_bytes()).unwrap());
        // The later night read no PND returns, the earlier no misconduct outcomes.
        let before = |code: &str| code != "MISCONDUCT_REVIEW_DUE";
        let now = |code: &str| code != "PND_UNREVIEWED";
        let x = diff_checked(
            &c,
            &d,
            &Checked {
                before: &before,
                now: &now,
            },
        );
        let codes = |v: &Vec<(Key, Row)>| v.iter().map(|r| r.0 .0.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&x.resolved), vec!["EXPIRED"]);
        assert_eq!(codes(&x.not_checked), vec!["PND_UNREVIEWED"]);
        assert!(x.new.is_empty());
        assert_eq!(codes(&x.not_checked_before), vec!["MISCONDUCT_REVIEW_DUE"]);
        let text = render("a", "b", &x);
        assert!(
            text.starts_with("exceptions from a to b: 0 new, 1 resolved, 0 persisting, 1 not checked, 1 not checked before\n"),
            "{text}"
        );
        // Checked both nights, the same exception resolves as before.
        let all = diff(&c, &d);
        assert_eq!(codes(&all.resolved), vec!["PND_UNREVIEWED", "EXPIRED"]);
        assert_eq!(codes(&all.new), vec!["MISCONDUCT_REVIEW_DUE"]);
    }

    #[test]
    fn diff_escapes_stored_text() {
        // An employee id with a line break in a stored exceptions.csv prints on its own row.
        let b = B.replace(",,X,Y,,,,MV,V9", ",\"E9\nFAIL run altered\",X,Y,,,,MV,V9");
        let d = diff(&parse(A.as_bytes()).unwrap(), &parse(b.as_bytes()).unwrap());
        let text = render("a", "b", &d);
        assert!(text.contains("E9\\u{a}FAIL run altered"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("FAIL")), "{text}");
    }
}
