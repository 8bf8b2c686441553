//! `vetrecon diff RUN_A RUN_B`: which exceptions are new, resolved and persisting.
//!
//! An exception is identified by (code, employee_id, vetting_ref, post_id): the same problem
//! about the same person, record and post. Its priority and detail may change from night to
//! night without it becoming a different exception.

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
}

pub fn diff(a: &BTreeMap<Key, Row>, b: &BTreeMap<Key, Row>) -> Diff {
    let by_priority = |mut v: Vec<(Key, Row)>| {
        v.sort_by(|x, y| x.1.priority.cmp(&y.1.priority).then(x.0.cmp(&y.0)));
        v
    };
    Diff {
        new: by_priority(
            b.iter()
                .filter(|(k, _)| !a.contains_key(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        resolved: by_priority(
            a.iter()
                .filter(|(k, _)| !b.contains_key(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        persisting: by_priority(
            b.iter()
                .filter(|(k, _)| a.contains_key(*k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
    }
}

pub fn render(a: &str, b: &str, d: &Diff) -> String {
    let mut s = String::new();
    put!(
        &mut s,
        "exceptions from {a} to {b}: {} new, {} resolved, {} persisting",
        d.new.len(),
        d.resolved.len(),
        d.persisting.len()
    );
    for (title, rows) in [
        ("new", &d.new),
        ("resolved", &d.resolved),
        ("persisting", &d.persisting),
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
    fn issue17_diff_escapes_stored_text() {
        // An employee id with a line break in a stored exceptions.csv prints on its own row.
        let b = B.replace(",,X,Y,,,,MV,V9", ",\"E9\nFAIL run altered\",X,Y,,,,MV,V9");
        let d = diff(&parse(A.as_bytes()).unwrap(), &parse(b.as_bytes()).unwrap());
        let text = render("a", "b", &d);
        assert!(text.contains("E9\\u{a}FAIL run altered"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("FAIL")), "{text}");
    }
}
