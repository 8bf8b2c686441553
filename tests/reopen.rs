//! A confirmed or rejected pair whose identities change after the decision goes
//! back to review, naming the earlier decision, who made it, when and what changed; an
//! unchanged pair keeps its decision; both nights replay byte for byte.

mod common;

use common::*;
use std::collections::BTreeMap;

const DAY2: &str = "2026-11-25";

fn ok(o: &std::process::Output) -> String {
    assert_eq!(code(o), 0, "stdout:\n{}\nstderr:\n{}", stdout(o), stderr(o));
    stdout(o)
}

/// A copy of a demo file with one line's text replaced.
fn edited(s: &Scratch, file: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(demo(file)).unwrap();
    assert!(text.contains(from), "{from} is not in {file}");
    let p = s.write(&format!("edited_{file}"), &text.replacen(from, to, 1));
    p.display().to_string()
}

fn decide(s: &Scratch, verdict: &str, employee: &str, record: &str) {
    let o = s.store_cmd(&[
        "decide",
        verdict,
        employee,
        record,
        "--by",
        "DS Patel",
        "--reason",
        "passport and payroll record checked",
    ]);
    ok(&o);
}

/// When a decision about `employee` was recorded, as `person` prints it (YYYY-MM-DD).
fn decided_on(s: &Scratch, employee: &str) -> String {
    let p = ok(&s.store_cmd(&["person", employee]));
    let line = p
        .lines()
        .find(|l| l.starts_with("decision at "))
        .unwrap_or_else(|| panic!("no decision in:\n{p}"));
    line["decision at ".len().."decision at ".len() + 10].to_string()
}

/// The rows of an output by vetting reference (the last row where a record has several).
fn by_ref(file: &str, s: &Scratch) -> BTreeMap<String, BTreeMap<String, String>> {
    rows(&s.read_out(file))
        .into_iter()
        .map(|r| (r["vetting_ref"].clone(), r))
        .collect()
}

fn replay_ok(s: &Scratch, runs: &[&str]) {
    for run in runs {
        let r = ok(&s.store_cmd(&["replay", run]));
        assert!(r.contains(&format!("REPLAY OK: run {run}")), "{r}");
    }
}

#[test]
fn a_confirmed_pair_whose_vetting_date_of_birth_changed_goes_back_to_review() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    // V501393 was in review for E1184; a second pair is confirmed though it auto-linked,
    // to show that an unchanged confirmation stays applied.
    let night1 = by_ref("matches.csv", &s);
    let steady = night1
        .values()
        .find(|m| m["decision"] == "auto_link" && m["vetting_ref"] != "V501393")
        .expect("the demo auto-links records")
        .clone();
    decide(&s, "confirm", "E1184", "V501393");
    decide(
        &s,
        "confirm",
        &steady["employee_id"],
        &steady["vetting_ref"],
    );
    let on = decided_on(&s, "E1184");

    // Night 2: the vetting system corrects V501393's date of birth to E1184's. The pair
    // now scores better than ever, and still it is not linked without a human.
    let vetting = edited(
        &s,
        "vetting.csv",
        "V501393,Thompseen,G,,1982-04-18,",
        "V501393,Thompseen,G,,1982-04-17,",
    );
    ok(&s.run(&["--as-of", DAY2, "--vetting", &vetting]));
    let matches = by_ref("matches.csv", &s);
    assert_eq!(matches["V501393"]["decision"], "review");
    // (matches.csv names the candidate on a review row: the pair is still the question.)
    assert_eq!(matches["V501393"]["employee_id"], "E1184");
    assert_eq!(matches[&steady["vetting_ref"]]["decision"], "confirmed");
    assert_eq!(
        matches[&steady["vetting_ref"]]["employee_id"],
        steady["employee_id"]
    );
    let ex = rows(&s.read_out("exceptions.csv"));
    let review: Vec<_> = ex
        .iter()
        .filter(|e| e["vetting_ref"] == "V501393")
        .collect();
    assert_eq!(review.len(), 1, "{review:?}");
    assert_eq!(review[0]["code"], "REVIEW_MATCH");
    assert_eq!(review[0]["employee_id"], "E1184");
    let note = format!(
        "reopened: date_of_birth changed on the vetting record since DS Patel confirmed E1184 / V501393 on {on}; possible match E1184"
    );
    assert!(
        review[0]["detail"].starts_with(&note),
        "{}",
        review[0]["detail"]
    );
    // Field names only: the detail quotes neither date of birth.
    assert!(!review[0]["detail"].contains("1982-04-17"));
    assert!(!review[0]["detail"].contains("1982-04-18"));

    // The report's review queue marks it.
    let html = s.read_out("report.html");
    let item = &html[html
        .find("data-figure=\"review:V501393\"")
        .expect("in the queue")..];
    let item = &item[..item.find("</table>").unwrap()];
    assert!(item.contains("Decision reopened."), "{item}");
    assert!(
        item.contains(
            "date_of_birth changed on the vetting record since DS Patel confirmed E1184 / V501393"
        ),
        "{item}"
    );

    // `person` tells the story, once.
    let p = ok(&s.store_cmd(&["person", "E1184"]));
    let reopened: Vec<&str> = p.lines().filter(|l| l.contains("reopened")).collect();
    assert_eq!(
        reopened,
        vec![format!(
            "    decision on V501393 reopened: date_of_birth changed on the vetting record since DS Patel confirmed E1184 / V501393 on {on}; back in review until decided again"
        )],
        "{p}"
    );
    replay_ok(&s, &["20261124-01", "20261125-01"]);

    // Deciding again is accepted without a revoke (the pair changed), and sticks.
    decide(&s, "confirm", "E1184", "V501393");
    ok(&s.run(&["--as-of", "2026-11-26", "--vetting", &vetting]));
    assert_eq!(
        by_ref("matches.csv", &s)["V501393"]["decision"],
        "confirmed"
    );
    assert!(!s.read_out("exceptions.csv").contains("reopened"));
    // An unchanged pair cannot be decided twice, as before.
    let twice = s.store_cmd(&[
        "decide", "confirm", "E1184", "V501393", "--by", "x", "--reason", "y",
    ]);
    assert_eq!(code(&twice), 2, "{}", stderr(&twice));
    assert!(stderr(&twice).contains("already has a confirm decision in force"));
    replay_ok(&s, &["20261124-01", "20261125-01", "20261126-01"]);
}

#[test]
fn a_rejected_pair_whose_roster_surname_changed_is_reopened() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    decide(&s, "reject", "E1182", "V501386");
    let on = decided_on(&s, "E1182");
    // Night 2 unchanged: the rejection stands, E1183 is the clear best.
    ok(&s.run(&["--as-of", DAY2]));
    let m = by_ref("matches.csv", &s);
    assert_eq!(
        (
            m["V501386"]["decision"].as_str(),
            m["V501386"]["employee_id"].as_str()
        ),
        ("auto_link", "E1183")
    );
    // Night 3: HR records a new surname for E1182.
    let roster = edited(
        &s,
        "roster.csv",
        "E1182,Carter,James,",
        "E1182,Carter-Webb,James,",
    );
    ok(&s.run(&["--as-of", "2026-11-26", "--roster", &roster]));
    let m = by_ref("matches.csv", &s);
    assert_ne!(m["V501386"]["decision"], "auto_link");
    let ex = rows(&s.read_out("exceptions.csv"));
    let row = ex
        .iter()
        .find(|e| e["vetting_ref"] == "V501386")
        .expect("V501386 is back in review");
    assert!(
        ["REVIEW_MATCH", "AMBIGUOUS_MATCH"].contains(&row["code"].as_str()),
        "{row:?}"
    );
    assert!(
        row["detail"].starts_with(&format!(
            "reopened: surname changed on the roster since DS Patel rejected E1182 / V501386 on {on}; "
        )),
        "{}",
        row["detail"]
    );
    assert!(!row["detail"].contains("Carter-Webb"));
    let p = ok(&s.store_cmd(&["person", "E1182"]));
    assert!(
        p.contains("decision on V501386 reopened: surname changed on the roster since DS Patel rejected E1182 / V501386"),
        "{p}"
    );
    replay_ok(&s, &["20261124-01", "20261125-01", "20261126-01"]);
}

#[test]
fn a_confirmed_pnd_return_whose_date_of_birth_changed_is_reopened() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    decide(&s, "confirm", "E1002", "PND-24-000101");
    let on = decided_on(&s, "E1002");
    let pnd = edited(
        &s,
        "pnd_returns.csv",
        "PND-24-000101,Rayn,David,1979-08-30,",
        "PND-24-000101,Rayn,David,1979-08-31,",
    );
    ok(&s.run(&["--as-of", DAY2, "--pnd-returns", &pnd]));
    let ex = rows(&s.read_out("exceptions.csv"));
    let of: Vec<_> = ex
        .iter()
        .filter(|e| e["vetting_ref"] == "PND-24-000101")
        .collect();
    // No longer linked, so no PND_UNREVIEWED: the question is whose return it is.
    assert_eq!(of.len(), 1, "{of:?}");
    assert_eq!(of[0]["code"], "REVIEW_MATCH");
    assert!(
        of[0]["detail"].starts_with(&format!(
            "reopened: date_of_birth changed on the PND return since DS Patel confirmed E1002 / PND-24-000101 on {on}; possible match for a PND arrest return"
        )),
        "{}",
        of[0]["detail"]
    );
    replay_ok(&s, &["20261124-01", "20261125-01"]);
}

/// `explain EMP REF` against the store, with the demo files but `vetting`, as of `as_of`:
/// the posterior it prints.
fn explained_posterior(
    s: &Scratch,
    emp: &str,
    reference: &str,
    vetting: &str,
    as_of: &str,
) -> String {
    let args: Vec<String> = [
        "explain",
        emp,
        reference,
        "--config",
        root().join("config/vetrecon.toml").to_str().unwrap(),
        "--roster",
        demo("roster.csv").to_str().unwrap(),
        "--posts",
        demo("posts.csv").to_str().unwrap(),
        "--vetting",
        vetting,
        "--pnd-returns",
        demo("pnd_returns.csv").to_str().unwrap(),
        "--as-of",
        as_of,
        "--db",
        s.db().to_str().unwrap(),
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    let o = vetrecon(&args, s.dir.path());
    let out = ok(&o);
    assert!(
        stderr(&o).contains("explained from stored run"),
        "{}",
        stderr(&o)
    );
    let line = out
        .lines()
        .find(|l| l.starts_with("posterior"))
        .unwrap_or_else(|| panic!("{out}"));
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .trim_end_matches(',')
        .to_string()
}

#[test]
fn a_reopened_pair_shows_its_posterior_as_explain_prints_it_not_its_pairwise_probability() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    decide(&s, "confirm", "E1184", "V501393");
    // Night 2: the vetting system now gives V501393 the initial H. The confirmation is
    // reopened; tonight the record alone would be no one's (its posterior for E1184 is
    // about 0.13, against about 0.87 for someone not on the roster), so the reopened pair
    // is put back in front of the officer with the posterior explain prints.
    let vetting = edited(
        &s,
        "vetting.csv",
        "V501393,Thompseen,G,,1982-04-18,",
        "V501393,Thompseen,H,,1982-04-18,",
    );
    ok(&s.run(&["--as-of", DAY2, "--vetting", &vetting]));
    let m = rows(&s.read_out("matches.csv"));
    let pair = m
        .iter()
        .find(|r| r["vetting_ref"] == "V501393" && r["employee_id"] == "E1184")
        .expect("the reopened pair is in matches.csv");
    assert_eq!(pair["decision"], "review");
    let explained = explained_posterior(&s, "E1184", "V501393", &vetting, DAY2);
    assert_eq!(pair["posterior"], explained, "{pair:?}");
    assert_ne!(pair["posterior"], pair["probability"], "{pair:?}");
    // The page's review queue shows the same posterior.
    let html = s.read_out("report.html");
    let shown: f64 = html
        .split("data-figure=\"posterior:V501393\">")
        .nth(1)
        .expect("the queue names the posterior")
        .split('%')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let want: f64 = explained.parse::<f64>().unwrap() * 100.0;
    assert!((shown - want).abs() < 0.051, "{shown}% against {want}%");
    replay_ok(&s, &["20261124-01", "20261125-01"]);
}

/// `vetrecon explain EMP REF` on the demo files (the vetting export given) against `db`.
fn explain(s: &Scratch, employee: &str, record: &str, vetting: &str, db: &str) -> String {
    let args: Vec<String> = [
        "explain",
        employee,
        record,
        "--config",
        &root().join("config/vetrecon.toml").display().to_string(),
        "--roster",
        &demo("roster.csv").display().to_string(),
        "--posts",
        &demo("posts.csv").display().to_string(),
        "--vetting",
        vetting,
        "--pnd-returns",
        &demo("pnd_returns.csv").display().to_string(),
        "--as-of",
        DAY2,
        "--db",
        db,
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    ok(&vetrecon(&args, s.dir.path()))
}

#[test]
fn a_record_confirmed_in_one_spelling_is_not_confirmed_again_in_another() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    decide(&s, "confirm", "E1182", "V501386");
    // The next export spells the reference in lower case.
    let vetting = edited(&s, "vetting.csv", "V501386,Carter,J,", "v501386,Carter,J,");
    ok(&s.run(&["--as-of", DAY2, "--vetting", &vetting]));
    let m = by_ref("matches.csv", &s);
    assert_eq!(m["v501386"]["decision"], "confirmed");
    assert_eq!(m["v501386"]["employee_id"], "E1182");
    // A second confirmation of the record, for someone else, in the new spelling: refused.
    let o = s.store_cmd(&[
        "decide", "confirm", "E1183", "v501386", "--by", "DC Jones", "--reason", "payroll",
    ]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    assert!(
        stderr(&o).contains("vetting record v501386 is already confirmed as E1182"),
        "{}",
        stderr(&o)
    );
    // person, explain and revoke take the ids in any case, as confirm does.
    let p = ok(&s.store_cmd(&["person", "e1182"]));
    assert!(
        p.starts_with("person e1182: on the roster in 2 of 2 runs"),
        "{p}"
    );
    assert!(p.contains("confirmed as the same person as V501386"), "{p}");
    let db = s.db().display().to_string();
    let stored = explain(&s, "e1182", "V501386", &vetting, &db);
    assert!(stored.starts_with("E1182 against v501386\n"), "{stored}");
    let relinked = explain(
        &s,
        "e1183",
        "V501386",
        &vetting,
        &s.path("no-store").display().to_string(),
    );
    assert!(
        relinked.starts_with("E1183 against v501386\n"),
        "{relinked}"
    );
    ok(&s.store_cmd(&[
        "decide",
        "revoke",
        "e1182",
        "v501386",
        "--by",
        "DS Patel",
        "--reason",
        "wrong person",
    ]));
    ok(&s.store_cmd(&[
        "decide", "confirm", "E1183", "v501386", "--by", "DC Jones", "--reason", "payroll",
    ]));
}

#[test]
fn two_confirmations_a_store_already_holds_go_back_to_review_and_verify_warns() {
    use vetrecon::clerical::{DecisionRow, Verdict};
    use vetrecon::store::{Body, DecisionEvent, Store};
    let s = Scratch::new();
    ok(&s.run(&[]));
    // Recorded by a build that compared ids as spelled: E1182 confirmed for V501386, then
    // E1183 for v501386, the same record.
    {
        let store = Store::open(&s.db(), "test").unwrap();
        let confirm = |employee: &str, record: &str, by: &str| DecisionRow {
            verdict: Verdict::Confirm,
            employee_id: employee.into(),
            vetting_ref: record.into(),
            by: by.into(),
            reason: "checked".into(),
            at: "2026-11-24T10:00:00Z".into(),
            fingerprint: None,
        };
        store
            .append(Body::Decisions(DecisionEvent {
                source: "command".into(),
                rows: vec![
                    confirm("E1182", "V501386", "DS Patel"),
                    confirm("E1183", "v501386", "DC Jones"),
                ],
            }))
            .unwrap();
    }
    let v = ok(&s.store_cmd(&["verify"]));
    assert!(
        v.contains("WARN decision entry 2: vetting record v501386 is already confirmed as E1182"),
        "{v}"
    );
    assert!(v.contains("VERIFY OK"), "{v}");
    ok(&s.run(&["--as-of", DAY2]));
    let m = by_ref("matches.csv", &s);
    assert_ne!(m["V501386"]["decision"], "confirmed", "{:?}", m["V501386"]);
    let ex = rows(&s.read_out("exceptions.csv"));
    let row = ex
        .iter()
        .find(|e| e["vetting_ref"] == "V501386")
        .expect("the record is in review");
    let detail = &row["detail"];
    for named in [
        "reopened: DS Patel confirmed E1182 / V501386 on 2026-11-24, and another decision in force on this vetting record contradicts it",
        "reopened: DC Jones confirmed E1183 / v501386 on 2026-11-24",
    ] {
        assert!(detail.contains(named), "{detail}");
    }
    replay_ok(&s, &["20261125-01"]);
}
