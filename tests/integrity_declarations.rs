//! Declarations and integrity reviews end to end, on a hand-built force of seven people as
//! of 2026-11-24: each DECLARATION_ and INTEGRITY_REVIEW_OVERDUE row of exceptions.csv,
//! declaration_status.csv exactly, the page's counts, a review recorded the next night
//! resolving its row in changes.csv, and "not read" (page and summary.txt) for a feed
//! switched off and for a roster without last_integrity_review.
//!
//! The force (DES1 designated, MV; RV1 ordinary, RV; every review yearly unless said):
//! - E1 in DES1 since 2024-05-01, last integrity review 2025-10-01 (due 2026-10-01, 54 days
//!   ago); refused a notifiable association declared 2023-06-01 (DC3: held in a designated
//!   post since the later date, the post start, 937 days) and a secondary employment (DC6:
//!   a type not listed for designated posts, so only `refused`).
//! - E2 in RV1, reviewed 2026-02-01 (current): a business interest last reviewed 2025-10-01
//!   (DC1: due 2026-10-01, 54 days ago), a secondary employment every 6 months, never
//!   reviewed since 2026-01-10 and not yet decided (DC2: due 2026-07-10, 137 days ago), and
//!   a notifiable association declared 2025-11-24 (DC7: due on the as-of date, not late).
//! - E3 in DES1 since 2026-02-01, no review (in post under a year: not yet due); refused a
//!   business interest declared 2026-03-01, its id written `e3` (DC4: 268 days).
//! - E4 in RV1, no post start, no review (due now, 0 days); a business interest declared
//!   2025-11-23 (DC10: due 2026-11-23, 1 day ago).
//! - E5 suspended (no review checked); E6 a leaver with a refusal (DC9: raises nothing).
//! - E7 in RV1 since 2020-01-01, no review (due 2021-01-01, 2,153 days ago); refused a
//!   business interest in an ordinary post (DC5: `refused`).
//! - DC8 names E99, no one on the roster.

mod common;
use common::*;
use std::collections::BTreeMap;

const ROSTER: &str = "\
employee_id,surname,forenames,previous_surnames,date_of_birth,ni_number,post_id,role_type,force,post_start_date,employment_status,leaving_date,last_integrity_review
E1,Ashby,Anna,,1980-01-11,AB123456C,DES1,officer,,2024-05-01,active,,2025-10-01
E2,Brook,Ben,,1975-02-12,BC234567D,RV1,officer,,2025-03-01,active,,2026-02-01
E3,Carter,Cara,,1990-03-13,CD345678E,DES1,staff,,2026-02-01,active,,
E4,Dale,Dev,,1985-04-14,DE456789F,RV1,staff,,,active,,
E5,Ellis,Emma,,1970-05-15,EF567890A,RV1,staff,,2022-01-01,suspended,,
E6,Fox,Finn,,1988-06-16,FG678901B,DES1,officer,,2021-01-01,leaver,2026-10-01,
E7,Gray,Gus,,1982-07-17,GH789012C,RV1,officer,,2020-01-01,active,,
";

const POSTS: &str = "\
post_id,title,department,required_level,designated,vulnerable_contact
DES1,Intelligence analyst,Intelligence,MV,yes,no
RV1,Response officer,Response,RV,no,no
";

const VETTING: &str = "\
vetting_ref,surname,forenames,previous_surnames,date_of_birth,ni_number,employee_id,level,status,decision_date,expiry_date,adverse_info,rationale_recorded,risk_mitigation
V1,Ashby,Anna,,1980-01-11,AB123456C,E1,MV,granted,2022-09-01,2029-09-01,no,no,no
V2,Brook,Ben,,1975-02-12,BC234567D,E2,RV,granted,2021-02-01,2031-02-01,no,no,no
V3,Carter,Cara,,1990-03-13,CD345678E,E3,MV,granted,2026-01-15,2033-01-15,no,no,no
V4,Dale,Dev,,1985-04-14,DE456789F,E4,RV,granted,2023-01-01,2033-01-01,no,no,no
V5,Ellis,Emma,,1970-05-15,EF567890A,E5,RV,granted,2023-01-01,2033-01-01,no,no,no
V6,Fox,Finn,,1988-06-16,FG678901B,E6,MV,granted,2019-01-01,2029-01-01,no,no,no
V7,Gray,Gus,,1982-07-17,GH789012C,E7,RV,granted,2020-01-01,2030-01-01,no,no,no
";

const DECLARATIONS: &str = "\
declaration_ref,employee_id,type,declared_date,review_every,last_reviewed,decision
DC1,E2,business_interest,2024-03-01,,2025-10-01,approved
DC2,E2,secondary_employment,2026-01-10,6 months,,
DC3,E1,notifiable_association,2023-06-01,,,refused
DC4,e3,business_interest,2026-03-01,,,refused
DC5,E7,business_interest,2025-01-01,,,refused
DC6,E1,secondary_employment,2025-01-01,,,refused
DC7,E2,notifiable_association,2025-11-24,,,approved with conditions
DC8,E99,business_interest,2024-01-01,,,
DC9,E6,business_interest,2024-01-01,,,refused
DC10,E4,business_interest,2025-11-23,,,approved
";

/// The force's files written into the scratch directory.
fn force(s: &Scratch, roster: &str, declarations: &str) {
    s.write("roster.csv", roster);
    s.write("posts.csv", POSTS);
    s.write("vetting.csv", VETTING);
    s.write("declarations.csv", declarations);
}

/// `vetrecon run` on the force's files as of `as_of`, with `extra` flags (`--declarations`
/// is given unless `off`).
fn run(s: &Scratch, as_of: &str, off: bool) -> std::process::Output {
    let mut args: Vec<String> = vec![
        "run".into(),
        "--config".into(),
        root().join("config/vetrecon.toml").display().to_string(),
        "--as-of".into(),
        as_of.into(),
        "--db".into(),
        s.db().display().to_string(),
        "--out".into(),
        s.out().display().to_string(),
    ];
    for file in ["roster", "posts", "vetting"] {
        args.push(format!("--{file}"));
        args.push(s.path(&format!("{file}.csv")).display().to_string());
    }
    if !off {
        args.push("--declarations".into());
        args.push(s.path("declarations.csv").display().to_string());
    }
    vetrecon(&args, s.dir.path())
}

const CODES: [&str; 3] = [
    "DECLARATION_REVIEW_DUE",
    "DECLARATION_REFUSED_IN_POST",
    "INTEGRITY_REVIEW_OVERDUE",
];

/// The rows of the three codes in exceptions.csv: (code, severity, employee_id, post_id,
/// required_level, held_level, vetting_ref, vetting_status, expiry_date, detail), sorted.
fn integrity_rows(s: &Scratch) -> Vec<[String; 10]> {
    let mut v: Vec<[String; 10]> = rows(&s.read_out("exceptions.csv"))
        .into_iter()
        .filter(|r| CODES.contains(&r["code"].as_str()))
        .map(|r| {
            [
                "code",
                "severity",
                "employee_id",
                "post_id",
                "required_level",
                "held_level",
                "vetting_ref",
                "vetting_status",
                "expiry_date",
                "detail",
            ]
            .map(|c| r[c].clone())
        })
        .collect();
    v.sort();
    v
}

fn row(cells: [&str; 10]) -> [String; 10] {
    cells.map(str::to_string)
}

#[test]
fn each_integrity_rule_raises_its_rows_and_declaration_status_says_where_each_declaration_stands() {
    let s = Scratch::new();
    force(&s, ROSTER, DECLARATIONS);
    let o = run(&s, AS_OF, false);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    assert_eq!(
        integrity_rows(&s),
        [
            row([
                "DECLARATION_REFUSED_IN_POST",
                "high",
                "E1",
                "DES1",
                "MV",
                "MV",
                "DC3",
                "granted",
                "2029-09-01",
                "notifiable_association declared 2023-06-01, refused; holds designated post DES1",
            ]),
            row([
                "DECLARATION_REFUSED_IN_POST",
                "high",
                "E3",
                "DES1",
                "MV",
                "MV",
                "DC4",
                "granted",
                "2033-01-15",
                "business_interest declared 2026-03-01, refused; holds designated post DES1",
            ]),
            row([
                "DECLARATION_REVIEW_DUE",
                "medium",
                "E2",
                "RV1",
                "RV",
                "RV",
                "DC1",
                "granted",
                "2031-02-01",
                "business_interest declared 2024-03-01; last reviewed 2025-10-01; review every 1 year; due 2026-10-01; decision: approved",
            ]),
            row([
                "DECLARATION_REVIEW_DUE",
                "medium",
                "E2",
                "RV1",
                "RV",
                "RV",
                "DC2",
                "granted",
                "2031-02-01",
                "secondary_employment declared 2026-01-10; never reviewed; review every 6 months; due 2026-07-10; not yet decided",
            ]),
            row([
                "DECLARATION_REVIEW_DUE",
                "medium",
                "E4",
                "RV1",
                "RV",
                "RV",
                "DC10",
                "granted",
                "2033-01-01",
                "business_interest declared 2025-11-23; never reviewed; review every 1 year; due 2026-11-23; decision: approved",
            ]),
            row([
                "INTEGRITY_REVIEW_OVERDUE",
                "medium",
                "E1",
                "DES1",
                "MV",
                "MV",
                "V1",
                "granted",
                "2029-09-01",
                "last integrity review 2025-10-01; due 2026-10-01",
            ]),
            row([
                "INTEGRITY_REVIEW_OVERDUE",
                "medium",
                "E4",
                "RV1",
                "RV",
                "RV",
                "V4",
                "granted",
                "2033-01-01",
                "no integrity review recorded",
            ]),
            row([
                "INTEGRITY_REVIEW_OVERDUE",
                "medium",
                "E7",
                "RV1",
                "RV",
                "RV",
                "V7",
                "granted",
                "2030-01-01",
                "no integrity review recorded; in post since 2020-01-01",
            ]),
        ]
    );
    // A declaration row rests on the declaration, not on a link: no match score.
    let ex = rows(&s.read_out("exceptions.csv"));
    for r in ex.iter().filter(|r| r["code"].starts_with("DECLARATION_")) {
        assert_eq!(r["match_score"], "", "{}", r["vetting_ref"]);
    }

    let run = "20261124-01";
    let expected = format!(
        "run_id,declaration_ref,employee_id,type,declared_date,decision,last_reviewed,review_every,review_due,status
{run},DC1,E2,business_interest,2024-03-01,approved,2025-10-01,1 year,2026-10-01,review_due
{run},DC2,E2,secondary_employment,2026-01-10,,,6 months,2026-07-10,review_due
{run},DC3,E1,notifiable_association,2023-06-01,refused,,1 year,2024-06-01,refused_in_designated_post
{run},DC4,e3,business_interest,2026-03-01,refused,,1 year,2027-03-01,refused_in_designated_post
{run},DC5,E7,business_interest,2025-01-01,refused,,1 year,2026-01-01,refused
{run},DC6,E1,secondary_employment,2025-01-01,refused,,1 year,2026-01-01,refused
{run},DC7,E2,notifiable_association,2025-11-24,approved_with_conditions,,1 year,2026-11-24,not_due
{run},DC8,E99,business_interest,2024-01-01,,,1 year,2025-01-01,not_on_roster
{run},DC9,E6,business_interest,2024-01-01,refused,,1 year,2025-01-01,leaver
{run},DC10,E4,business_interest,2025-11-23,approved,,1 year,2026-11-23,review_due
"
    );
    assert_eq!(s.read_out("declaration_status.csv"), expected);

    let f = figures(&s.read_out("report.html"));
    let got: BTreeMap<&str, Option<String>> = [
        "declarations:read",
        "declarations:type:business_interest",
        "declarations:type:notifiable_association",
        "declarations:type:secondary_employment",
        "declarations:review_due",
        "declarations:refused_in_post",
        "declarations:undecided",
        "declarations:not_on_roster",
        "declarations:unknown_id",
        "declarations:leaver",
        "integrity_reviews:checked",
        "integrity_reviews:overdue",
        "integrity_reviews:none_recorded",
        "integrity_reviews:new_in_post",
    ]
    .into_iter()
    .map(|k| (k, f.get(k).cloned()))
    .collect();
    let want: BTreeMap<&str, Option<String>> = [
        ("declarations:read", "10"),
        ("declarations:type:business_interest", "6"),
        ("declarations:type:notifiable_association", "2"),
        ("declarations:type:secondary_employment", "2"),
        ("declarations:review_due", "3"),
        ("declarations:refused_in_post", "2"),
        // DC2; DC8 is undecided too, but no one on the roster holds it.
        ("declarations:undecided", "1"),
        ("declarations:not_on_roster", "2"),
        ("declarations:unknown_id", "1"),
        ("declarations:leaver", "1"),
        // E1, E2, E3, E4, E7: E5 is suspended and E6 a leaver.
        ("integrity_reviews:checked", "5"),
        ("integrity_reviews:overdue", "1"),
        ("integrity_reviews:none_recorded", "2"),
        ("integrity_reviews:new_in_post", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k, Some(v.to_string())))
    .collect();
    assert_eq!(got, want);
    assert!(!f.contains_key("declarations:not_read"));
    assert!(!f.contains_key("integrity_reviews:not_read"));
}

#[test]
fn a_declaration_reviewed_by_the_next_night_is_resolved_in_changes() {
    let s = Scratch::new();
    force(&s, ROSTER, DECLARATIONS);
    assert_eq!(code(&run(&s, AS_OF, false)), 0);
    // DC1 reviewed on 2026-11-20: next due 2027-11-20.
    force(
        &s,
        ROSTER,
        &DECLARATIONS.replace(
            "2024-03-01,,2025-10-01,approved",
            "2024-03-01,,2026-11-20,approved",
        ),
    );
    let o = run(&s, "2026-11-25", false);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let mut changes: Vec<(String, String, String)> = rows(&s.read_out("changes.csv"))
        .into_iter()
        .filter(|r| CODES.contains(&r["code"].as_str()))
        .map(|r| {
            (
                r["change"].clone(),
                r["code"].clone(),
                r["vetting_ref"].clone(),
            )
        })
        .collect();
    changes.sort();
    let t = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    // DC7, due on the first night's as-of date, is a day late on the second's: new.
    assert_eq!(
        changes,
        [
            t("new", "DECLARATION_REVIEW_DUE", "DC7"),
            t("persisting", "DECLARATION_REFUSED_IN_POST", "DC3"),
            t("persisting", "DECLARATION_REFUSED_IN_POST", "DC4"),
            t("persisting", "DECLARATION_REVIEW_DUE", "DC10"),
            t("persisting", "DECLARATION_REVIEW_DUE", "DC2"),
            t("persisting", "INTEGRITY_REVIEW_OVERDUE", "V1"),
            t("persisting", "INTEGRITY_REVIEW_OVERDUE", "V4"),
            t("persisting", "INTEGRITY_REVIEW_OVERDUE", "V7"),
            t("resolved", "DECLARATION_REVIEW_DUE", "DC1"),
        ]
    );
    let status = rows(&s.read_out("declaration_status.csv"));
    let dc1 = status
        .iter()
        .find(|r| r["declaration_ref"] == "DC1")
        .unwrap();
    assert_eq!(
        (dc1["review_due"].as_str(), dc1["status"].as_str()),
        ("2027-11-20", "not_due")
    );
    // Both nights replay to the same bytes, declaration_status.csv with them.
    for run in ["20261124-01", "20261125-01"] {
        let r = s.store_cmd(&["replay", run]);
        assert!(
            stdout(&r).contains("REPLAY OK"),
            "{}{}",
            stdout(&r),
            stderr(&r)
        );
    }
}

#[test]
fn without_the_declarations_feed_the_page_and_summary_say_not_read() {
    let s = Scratch::new();
    force(&s, ROSTER, DECLARATIONS);
    let o = run(&s, AS_OF, true);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let why = "not read: declarations switched off (input.declarations is not set in the config and --declarations was not given)";

    let ex = rows(&s.read_out("exceptions.csv"));
    assert_eq!(
        ex.iter()
            .filter(|r| r["code"].starts_with("DECLARATION_"))
            .count(),
        0
    );
    // The roster's reviews do not rest on the feed: still checked.
    assert_eq!(count_where(&ex, "code", "INTEGRITY_REVIEW_OVERDUE"), 3);
    assert_eq!(
        s.read_out("declaration_status.csv"),
        "run_id,declaration_ref,employee_id,type,declared_date,decision,last_reviewed,review_every,review_due,status\n"
    );

    let html = s.read_out("report.html");
    let f = figures(&html);
    assert!(
        html.contains("Not read: declarations switched off (input.declarations is not set in the config and --declarations was not given): no declaration was checked tonight, and no figure stands here."),
        "{html}"
    );
    assert!(!f.contains_key("declarations:read"));
    assert!(!f.contains_key("declarations:review_due"));
    assert_eq!(
        f.get("integrity_reviews:checked").map(String::as_str),
        Some("5")
    );

    let summary = s.read_out("summary.txt");
    for code in ["DECLARATION_REVIEW_DUE", "DECLARATION_REFUSED_IN_POST"] {
        assert!(
            summary
                .lines()
                .any(|l| l.trim_start().starts_with(code) && l.trim_end().ends_with(why)),
            "{code}: {summary}"
        );
    }
}

#[test]
fn a_roster_without_last_integrity_review_says_not_read_for_integrity_review_overdue() {
    let s = Scratch::new();
    // The roster without its last column.
    let roster: String = ROSTER
        .lines()
        .map(|l| {
            let cut = l.rfind(',').unwrap();
            format!("{}\n", &l[..cut])
        })
        .collect();
    assert!(!roster.contains("last_integrity_review"));
    force(&s, &roster, DECLARATIONS);
    let o = run(&s, AS_OF, false);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let why = "not read: the roster has no last_integrity_review column";

    let ex = rows(&s.read_out("exceptions.csv"));
    assert_eq!(count_where(&ex, "code", "INTEGRITY_REVIEW_OVERDUE"), 0);
    // The declarations are checked all the same.
    assert_eq!(count_where(&ex, "code", "DECLARATION_REVIEW_DUE"), 3);

    let html = s.read_out("report.html");
    let f = figures(&html);
    assert!(
        html.contains(&format!(
            "Integrity reviews {why}, so no integrity review was checked tonight and no figure stands here."
        )),
        "{html}"
    );
    assert!(f.contains_key("integrity_reviews:not_read"));
    assert!(!f.contains_key("integrity_reviews:checked"));

    let summary = s.read_out("summary.txt");
    assert!(
        summary
            .lines()
            .any(|l| l.trim_start().starts_with("INTEGRITY_REVIEW_OVERDUE")
                && l.trim_end().ends_with(why)),
        "{summary}"
    );
}
