//! Postings before they start, end to end through the binary on a small hand-built force:
//! POSTING_NOT_CLEARED rows in exceptions.csv (a mover short of the level with an upgrade
//! pending, a joiner nobody has vetted, a post missing from the register; nothing for the
//! cleared, the no-level, the started and the far-off postings), the section's figures and
//! the inspection figure against moves_before_clearance.csv, "not read" where the postings
//! feed or the roster's post_start_date is missing, and `check` naming a bad posting's line
//! and column.

mod common;

use common::*;
use std::collections::BTreeMap;

const AS_OF: &str = "2026-11-24";

const ROSTER: &str = "\
employee_id,surname,forenames,previous_surnames,date_of_birth,ni_number,post_id,role_type,force,post_start_date,employment_status,leaving_date
E100,Lovelace,Ada,,1980-12-10,AB123456C,P-RV,staff,,2019-04-01,active,
E101,Babbage,Charles,,1971-12-26,AB234567C,P-RV,staff,,2019-04-01,active,
E102,Franklin,Rosalind,,1985-07-25,AB345678C,P-MV,staff,,2026-06-01,active,
E103,Turing,Alan,,1982-06-23,AB456789C,P-MV,officer,,2026-09-24,active,
E104,Noether,Emmy,,1979-03-23,AB567890C,P-MV,staff,,2025-01-01,active,
E105,Curie,Marie,,1977-11-07,AB678901C,P-MV,staff,,,active,
E106,Hamilton,Margaret,,1986-08-17,AB789012C,P-MV,staff,,2026-03-01,active,
";

const POSTS: &str = "\
post_id,title,department,required_level,designated,vulnerable_contact
P-RV,Response officer,Response,RV,no,no
P-MV,Intelligence analyst,Intelligence,MV,yes,no
P-SC,Counter terrorism officer,Special Branch,SC,no,no
P-NONE,Community volunteer,Community,,no,no
";

/// Each roster person's records (linked by identity), and V-200: a joiner's RV whose
/// employee id hint is N200, on nobody's roster row.
const VETTING: &str = "\
vetting_ref,surname,forenames,previous_surnames,date_of_birth,ni_number,employee_id,level,status,decision_date,expiry_date,adverse_info,rationale_recorded,risk_mitigation,application_date,case_type,stage
V-100,Lovelace,Ada,,1980-12-10,AB123456C,E100,RV,granted,2019-03-01,2029-03-01,no,yes,no,2019-01-10,recruit,decision
V-100B,Lovelace,Ada,,1980-12-10,AB123456C,E100,MV,pending,,,no,,no,2026-09-01,upgrade,enquiries
V-101,Babbage,Charles,,1971-12-26,AB234567C,E101,MV,granted,2022-05-01,2029-05-01,no,yes,no,2022-02-01,upgrade,decision
V-102A,Franklin,Rosalind,,1985-07-25,AB345678C,E102,RV,granted,2018-01-01,2028-01-01,no,yes,no,2017-11-01,recruit,decision
V-102B,Franklin,Rosalind,,1985-07-25,AB345678C,E102,MV,granted,2026-07-01,2033-07-01,no,yes,no,2026-05-01,upgrade,decision
V-103,Turing,Alan,,1982-06-23,AB456789C,E103,RV,granted,2020-02-01,2030-02-01,no,yes,no,2019-12-01,recruit,decision
V-104,Noether,Emmy,,1979-03-23,AB567890C,E104,MV,granted,2024-01-01,2031-01-01,no,yes,no,2023-10-01,upgrade,decision
V-105,Curie,Marie,,1977-11-07,AB678901C,E105,MV,granted,2024-01-01,2031-01-01,no,yes,no,2023-10-01,upgrade,decision
V-106,Hamilton,Margaret,,1986-08-17,AB789012C,E106,MV,granted,2025-12-01,2032-12-01,no,yes,no,2025-09-01,upgrade,decision
V-200,Hopper,Grace,,1990-12-09,AB890123C,N200,RV,granted,2025-06-01,2035-06-01,no,yes,no,2025-03-01,recruit,decision
";

/// Against 2026-11-24 and the 90-day horizon: PT-1 raised (RV held, MV pending), PT-2
/// cleared (MV held), PT-3 a joiner cleared through the hint (written in lower case), PT-4
/// a joiner nobody has vetted, PT-5 a post not in the register, PT-6 a post needing no
/// level, PT-7 already started, PT-8 120 days ahead.
const POSTINGS: &str = "\
posting_ref,employee_id,post_id,start_date
PT-1,E100,P-MV,2026-12-14
PT-2,E101,P-MV,2026-12-24
PT-3,n200,P-RV,2026-12-04
PT-4,N201,P-SC,2026-11-29
PT-5,E101,P-GONE,2027-01-23
PT-6,E100,P-NONE,2026-12-04
PT-7,E101,P-MV,2026-11-01
PT-8,E100,P-MV,2027-03-24
";

/// `command` on the hand-built files in `s` (`roster` in place of the roster), with the
/// postings feed when given.
fn on_files(
    s: &Scratch,
    command: &str,
    roster: &str,
    postings: Option<&str>,
) -> std::process::Output {
    let file = |name: &str, text: &str| s.write(name, text).display().to_string();
    let mut args: Vec<String> = [
        command,
        "--config",
        &root().join("config/vetrecon.toml").display().to_string(),
        "--as-of",
        AS_OF,
        "--db",
        &s.db().display().to_string(),
        "--roster",
        &file("roster.csv", roster),
        "--posts",
        &file("posts.csv", POSTS),
        "--vetting",
        &file("vetting.csv", VETTING),
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    if command == "run" {
        args.extend(["--out".to_string(), s.out().display().to_string()]);
    }
    if let Some(text) = postings {
        args.extend(["--postings".to_string(), file("postings.csv", text)]);
    }
    vetrecon(&args, s.dir.path())
}

/// The POSTING_NOT_CLEARED rows of exceptions.csv in file order, without run_id, as_of,
/// priority and match_score (the link's weight, which the model sets).
fn posting_rows(s: &Scratch) -> Vec<Vec<String>> {
    let columns = [
        "severity",
        "employee_id",
        "surname",
        "forenames",
        "post_id",
        "post_title",
        "required_level",
        "held_level",
        "vetting_ref",
        "vetting_status",
        "expiry_date",
        "detail",
    ];
    rows(&s.read_out("exceptions.csv"))
        .into_iter()
        .filter(|r| r["code"] == "POSTING_NOT_CLEARED")
        .map(|r| columns.iter().map(|c| r[*c].clone()).collect())
        .collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The page's section, its tags dropped and its spaces folded.
fn section(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = start + html[start..].find("</section>").unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn postings_due_without_their_clearance_are_raised_most_urgent_first_with_the_inspection_figure() {
    let s = Scratch::new();
    let o = on_files(&s, "run", ROSTER, Some(POSTINGS));
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    // Highest role risk first (designated P-MV, then the SC post), then the unknown post.
    let want = vec![
        strings(&[
            "high",
            "E100",
            "Lovelace",
            "Ada",
            "P-MV",
            "Intelligence analyst",
            "MV",
            "RV",
            "V-100",
            "granted",
            "2029-03-01",
            "posting PT-1 to P-MV starts on 2026-12-14 (in 20 days); the post requires MV; \
             holds RV (V-100); MV application pending: V-100B, applied 2026-09-01, stage enquiries",
        ]),
        strings(&[
            "high",
            "N201",
            "",
            "",
            "P-SC",
            "Counter terrorism officer",
            "SC",
            "",
            "",
            "",
            "",
            "posting PT-4 to P-SC starts on 2026-11-29 (in 5 days); the post requires SC; \
             vetting not yet known; joiner posting (not on tonight's roster)",
        ]),
        strings(&[
            "high",
            "E101",
            "Babbage",
            "Charles",
            "P-GONE",
            "",
            "",
            "MV",
            "V-101",
            "granted",
            "2029-05-01",
            "posting PT-5 to P-GONE starts on 2027-01-23 (in 60 days); post P-GONE is not in \
             the post register, so its requirement is unknown; holds MV (V-101)",
        ]),
    ];
    assert_eq!(posting_rows(&s), want);
    let ex = rows(&s.read_out("exceptions.csv"));
    let score = |emp: &str| {
        ex.iter()
            .find(|r| r["code"] == "POSTING_NOT_CLEARED" && r["employee_id"] == emp)
            .unwrap()["match_score"]
            .clone()
    };
    assert!(!score("E100").is_empty(), "a linked record has its weight");
    assert_eq!(score("N201"), "", "no record, no weight");

    // The section's counts, from the postings above.
    let html = s.read_out("report.html");
    let f = figures(&html);
    for (name, want) in [
        ("postings:all", "8"),
        ("postings:within", "6"),
        ("postings:started", "1"),
        ("postings:beyond", "1"),
        ("postings:not_cleared", "3"),
        ("postings:designated", "1"),
        ("postings:joiners", "1"),
        ("postings:unknown_post", "1"),
        ("postings:cleared", "2"),
        ("postings:no_requirement", "1"),
    ] {
        assert_eq!(f[name], want, "{name}");
    }
    let text = section(&html, "postings");
    assert!(
        text.starts_with("Postings before they start Vet each person below"),
        "{text}"
    );

    // The inspection figure: E102 (MV granted 30 days after the start), E103 (still without
    // MV, 61 days from 2026-09-24), E106 (MV before the start). E104 started before the
    // window (2025-11-25 to 2026-11-24); E105's start is not recorded.
    let moves = rows(&s.read_out("moves_before_clearance.csv"));
    let got: Vec<Vec<String>> = moves
        .iter()
        .map(|r| {
            [
                "window_from",
                "window_to",
                "employee_id",
                "post_id",
                "post_start_date",
                "before_clearance",
                "cleared_on",
                "days_uncleared",
                "still_uncleared",
                "not_read",
            ]
            .iter()
            .map(|c| r[*c].clone())
            .collect()
        })
        .collect();
    let window = ["2025-11-25", "2026-11-24"];
    let row = |rest: &[&str]| strings(&[&window[..], rest, &[""]].concat());
    assert_eq!(
        got,
        [
            row(&["E106", "P-MV", "2026-03-01", "no", "", "0", "no"]),
            row(&[
                "E102",
                "P-MV",
                "2026-06-01",
                "yes",
                "2026-07-01",
                "30",
                "no"
            ]),
            row(&["E103", "P-MV", "2026-09-24", "yes", "", "61", "yes"]),
        ]
    );
    let want: BTreeMap<&str, &str> = [
        ("moves:moves", "3"),
        ("moves:before", "2"),
        ("moves:rate", "66.7%"),
        ("moves:median_days", "45.5"),
        ("moves:still_uncleared", "1"),
        ("moves:start_not_recorded", "1"),
    ]
    .into();
    for (name, value) in want {
        assert_eq!(f[name], value, "{name}");
    }
}

#[test]
fn without_the_postings_feed_the_section_says_not_read_and_the_inspection_figure_stands() {
    let s = Scratch::new();
    let o = on_files(&s, "run", ROSTER, None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(posting_rows(&s).is_empty());
    let html = s.read_out("report.html");
    let text = section(&html, "postings");
    assert!(
        text.contains(
            "Postings: not read: future postings switched off (input.postings is not set in \
             the config and --postings was not given). No posting was checked tonight, so no \
             figure is given."
        ),
        "{text}"
    );
    let f = figures(&html);
    assert!(!f.contains_key("postings:not_cleared"));
    assert_eq!(f["count:POSTING_NOT_CLEARED"], "not read");
    // The inspection figure reads the roster and the vetting export only.
    assert_eq!(f["moves:moves"], "3");
    assert_eq!(f["moves:before"], "2");
}

#[test]
fn a_roster_without_post_start_date_leaves_the_inspection_figure_not_read() {
    let s = Scratch::new();
    // The roster with its post_start_date column taken out.
    let roster: String = ROSTER
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(9);
            cells.join(",") + "\n"
        })
        .collect();
    assert!(!roster.contains("post_start_date"));
    let o = on_files(&s, "run", &roster, Some(POSTINGS));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = s.read_out("report.html");
    let f = figures(&html);
    assert!(
        section(&html, "postings").contains(
            "Moves: not read: the roster has no post_start_date column, so no move can be \
             dated and no figure is given."
        ),
        "{html}"
    );
    assert!(!f.contains_key("moves:before"));
    let moves = rows(&s.read_out("moves_before_clearance.csv"));
    assert_eq!(moves.len(), 1);
    assert_eq!(
        moves[0]["not_read"],
        "not read: the roster has no post_start_date column"
    );
    assert_eq!(moves[0]["employee_id"], "");
    // The postings are still checked.
    assert_eq!(posting_rows(&s).len(), 3);
}

#[test]
fn check_names_the_line_and_column_of_a_bad_posting() {
    let s = Scratch::new();
    let bad = "\
posting_ref,employee_id,post_id,start_date
PT-1,E100,P-MV,2026-12-14
PT-2,E101,P-MV,14th of never
PT-3,,P-MV,2026-12-14
";
    let o = on_files(&s, "check", ROSTER, Some(bad));
    let out = stdout(&o);
    assert_eq!(code(&o), 3, "{out}{}", stderr(&o));
    assert!(
        out.contains("rejected rows in postings (line, column: reason):"),
        "{out}"
    );
    assert!(
        out.contains("  line 3, start_date: not a valid date"),
        "{out}"
    );
    assert!(
        out.contains("  line 4, employee_id: employee_id is required"),
        "{out}"
    );
    assert!(out.contains("CHECK FAILED"), "{out}");
    // The same file without its bad rows passes.
    let o = on_files(&s, "check", ROSTER, Some(POSTINGS));
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
}
