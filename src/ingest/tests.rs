//! Row-level bad-input cases for the three files, and the whole-file refusals.

use super::*;
use crate::config::raw::RawConfig;
use crate::config::Policy;
use crate::model::VettingStatus;
use std::path::Path;

fn policy(max_reject_share: f64) -> Policy {
    let mut raw = RawConfig::default();
    raw.input.max_reject_share = max_reject_share;
    Policy::build(&raw).unwrap()
}

/// Ingest as a run does, to the whole policy's input settings and level table.
fn ingest_with(p: &Policy, s: &Sources) -> Result<Ingested, InputError> {
    ingest(&p.input, &p.levels, s, as_of())
}

const ROSTER_HEAD: &str = "employee_id,surname,forenames,date_of_birth,post_id,role_type,employment_status,leaving_date\n";
const POSTS: &str = "post_id,required_level,designated\nP1,RV,no\n";
const VETTING_HEAD: &str = "vetting_ref,surname,forenames,date_of_birth,level,status,decision_date,expiry_date,adverse_info\n";

fn sources(roster: &str, vetting: &str) -> Sources {
    Sources {
        roster: SourceFile::from_bytes(
            "roster",
            Path::new("roster.csv"),
            format!("{ROSTER_HEAD}{roster}").into_bytes(),
        ),
        posts: SourceFile::from_bytes("posts", Path::new("posts.csv"), POSTS.as_bytes().to_vec()),
        vetting: SourceFile::from_bytes(
            "vetting",
            Path::new("vetting.csv"),
            format!("{VETTING_HEAD}{vetting}").into_bytes(),
        ),
        triggers: Vec::new(),
    }
}

const GOOD_PERSON: &str = "E1,Smith,Ann,1980-01-02,P1,staff,active,\n";
const GOOD_RECORD: &str = "V1,Smith,Ann,1980-01-02,RV,granted,2020-01-01,,no\n";

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// Ingest with one extra roster row and one extra vetting row; return the rejects.
fn rejects_for(roster_row: &str, vetting_row: &str) -> Vec<Reject> {
    let s = sources(
        &format!("{GOOD_PERSON}{roster_row}"),
        &format!("{GOOD_RECORD}{vetting_row}"),
    );
    ingest_with(&policy(1.0), &s).unwrap().rejects
}

fn one_reject(roster_row: &str, vetting_row: &str) -> (String, u64, String, String) {
    let r = rejects_for(roster_row, vetting_row);
    assert_eq!(r.len(), 1, "{r:?}");
    (
        r[0].file.clone(),
        r[0].line,
        r[0].column.clone(),
        r[0].reason.clone(),
    )
}

#[test]
fn roster_row_problems_are_rejects_naming_line_and_column() {
    let cases = [
        (
            "E2,Jones,Bob,31/02/1980,P1,staff,active,\n",
            "date_of_birth",
            "not a valid date",
        ),
        (
            "E2,Jones,Bob,2030-01-01,P1,staff,active,\n",
            "date_of_birth",
            "after the as-of date",
        ),
        (
            "E2,Jones,Bob,1850-01-01,P1,staff,active,\n",
            "date_of_birth",
            "before 1900",
        ),
        (
            "E2,Jones,Bob,1980-01-01,P1,wizard,active,\n",
            "role_type",
            "unknown role type",
        ),
        (
            "E2,Jones,Bob,1980-01-01,P1,staff,retired,\n",
            "employment_status",
            "unknown employment status",
        ),
        (
            "E2,Jones,Bob,1980-01-01,,staff,active,\n",
            "post_id",
            "required for an active person",
        ),
        (
            "E2,,Bob,1980-01-01,P1,staff,active,\n",
            "surname",
            "required",
        ),
        (
            "E2,1234,Bob,1980-01-01,P1,staff,active,\n",
            "surname",
            "no letters",
        ),
        (
            "E1,Jones,Bob,1980-01-01,P1,staff,active,\n",
            "employee_id",
            "duplicate employee_id, first seen on line 2",
        ),
        (
            "E2,Jones,Bob,1980-01-01,P1,staff,leaver,2026-13-01\n",
            "leaving_date",
            "not a valid date",
        ),
    ];
    for (row, column, reason) in cases {
        let (file, line, col, why) = one_reject(row, "");
        assert_eq!(
            (file.as_str(), line, col.as_str()),
            ("roster", 3, column),
            "{row}"
        );
        assert!(why.contains(reason), "{row}: {why}");
    }
}

#[test]
fn vetting_row_problems_are_rejects_naming_line_and_column() {
    let cases = [
        (
            "V2,Smith,Ann,1980-01-02,XV,granted,2020-01-01,,no\n",
            "level",
            "unknown level",
        ),
        (
            "V2,Smith,Ann,1980-01-02,RV,approved,2020-01-01,,no\n",
            "status",
            "unknown status",
        ),
        (
            "V2,Smith,Ann,1980-01-02,RV,granted,,,no\n",
            "decision_date",
            "required unless the status is pending",
        ),
        (
            "V2,Smith,Ann,1980-01-02,RV,granted,2020-01-01,2019-01-01,no\n",
            "expiry_date",
            "before decision_date",
        ),
        (
            "V2,Smith,Ann,1980-01-02,RV,granted,2020-01-01,,maybe\n",
            "adverse_info",
            "yes/no",
        ),
        (
            "V1,Smith,Ann,1980-01-02,RV,granted,2020-01-01,,no\n",
            "vetting_ref",
            "duplicate vetting_ref",
        ),
    ];
    for (row, column, reason) in cases {
        let (file, line, col, why) = one_reject("", row);
        assert_eq!(
            (file.as_str(), line, col.as_str()),
            ("vetting", 3, column),
            "{row}"
        );
        assert!(why.to_lowercase().contains(reason), "{row}: {why}");
    }
}

#[test]
fn a_pending_record_needs_no_decision_date_and_expiry_defaults_from_validity() {
    let s = sources(
        GOOD_PERSON,
        &format!("{GOOD_RECORD}V2,Smith,Ann,1980-01-02,MV,pending,,,no\n"),
    );
    let got = ingest_with(&policy(0.0), &s).unwrap();
    assert!(got.rejects.is_empty(), "{:?}", got.rejects);
    assert_eq!(
        got.vetting[0].expiry_date,
        NaiveDate::from_ymd_opt(2030, 1, 1),
        "RV: decision + 10 years"
    );
    assert_eq!(got.vetting[1].status, VettingStatus::Pending);
    assert_eq!(got.vetting[1].expiry_date, None);
}

#[test]
fn rejects_over_the_share_refuse_the_run() {
    let bad = "E2,Jones,Bob,31/02/1980,P1,staff,active,\n";
    let s = sources(&format!("{GOOD_PERSON}{bad}"), GOOD_RECORD);
    let strict = |share: f64| {
        let mut raw = RawConfig::default();
        raw.input.max_reject_share = share;
        raw.input.rejects_allowed = 0;
        Policy::build(&raw).unwrap()
    };
    match ingest_with(&strict(0.4), &s) {
        Err(InputError::TooManyRejects {
            rejected: 1,
            rows: 2,
            ..
        }) => {}
        other => panic!("expected TooManyRejects, got {other:?}"),
    }
    assert!(
        ingest_with(&strict(0.5), &s).is_ok(),
        "exactly at the limit is allowed"
    );
}

#[test]
fn one_bad_row_of_a_small_file_does_not_refuse_the_night() {
    // Four rows, one bad: 25%, far over the default 1%, but one row is always allowed.
    let bad = "E9,Jones,Bob,31/02/1980,P1,staff,active,\n";
    let people = |n: usize| -> String {
        (2..2 + n)
            .map(|i| format!("E{i},Smith,Ann,1980-01-02,P1,staff,active,\n"))
            .collect()
    };
    let defaults = Policy::build(&RawConfig::default()).unwrap();
    let s = sources(&format!("{}{bad}", people(3)), GOOD_RECORD);
    let got = ingest_with(&defaults, &s).unwrap();
    assert_eq!((got.persons.len(), got.rejects.len()), (3, 1));
    // Two bad rows of four are over both the share and the allowance.
    let s = sources(&format!("{}{bad}{bad}", people(2)), GOOD_RECORD);
    assert!(matches!(
        ingest_with(&defaults, &s),
        Err(InputError::TooManyRejects {
            rejected: 2,
            rows: 4,
            ..
        })
    ));
    // A file whose every row is rejected is refused, however few.
    let s = sources(bad, GOOD_RECORD);
    assert!(matches!(
        ingest_with(&defaults, &s),
        Err(InputError::TooManyRejects {
            rejected: 1,
            rows: 1,
            ..
        })
    ));
}

#[test]
fn a_roster_post_id_in_another_case_is_the_registers_post() {
    let s = sources(
        "E1,Smith,Ann,1980-01-02,p1,staff,active,\nE2,Jones,Bob,1981-02-03,P9,staff,active,\n",
        GOOD_RECORD,
    );
    let got = ingest_with(&policy(1.0), &s).unwrap();
    let posts: Vec<Option<&str>> = got.persons.iter().map(|p| p.post_id.as_deref()).collect();
    // `p1` is the register's P1; P9 is in no register and is kept as written.
    assert_eq!(posts, vec![Some("P1"), Some("P9")]);
}

#[test]
fn a_file_with_no_data_rows_is_refused() {
    let s = sources("", GOOD_RECORD);
    assert!(matches!(
        ingest_with(&policy(1.0), &s),
        Err(InputError::Malformed { .. })
    ));
}

#[test]
fn excel_exports_in_windows_1252_with_semicolons_are_read_when_configured() {
    let mut raw = RawConfig::default();
    raw.input.delimiter = ";".into();
    let semicolons = |s: &str| s.replace(',', ";");
    // "Siobhán Ó Briain" as Excel on Windows writes it: á = 0xE1, Ó = 0xD3.
    let mut roster = semicolons(ROSTER_HEAD).into_bytes();
    roster.extend_from_slice(b"E1;\xd3 Briain;Siobh\xe1n;1980-01-02;P1;staff;active;\n");
    let mut vetting = semicolons(VETTING_HEAD).into_bytes();
    vetting.extend_from_slice(b"V1;O Briain;Siobhan;1980-01-02;RV;granted;2020-01-01;;no\n");
    let s = Sources {
        roster: SourceFile::from_bytes("roster", Path::new("roster.csv"), roster),
        posts: SourceFile::from_bytes(
            "posts",
            Path::new("posts.csv"),
            semicolons(POSTS).into_bytes(),
        ),
        vetting: SourceFile::from_bytes("vetting", Path::new("vetting.csv"), vetting),
        triggers: Vec::new(),
    };
    for encoding in ["windows-1252", "utf-8"] {
        // Declared, or detected because the bytes are not UTF-8: the same names either way.
        raw.input.encoding = encoding.into();
        let data = ingest_with(&Policy::build(&raw).unwrap(), &s).unwrap();
        assert!(data.rejects.is_empty(), "{:?}", data.rejects);
        assert_eq!(data.persons[0].surname, "Ó Briain");
        assert_eq!(data.persons[0].forenames, "Siobhán");
        assert_eq!(data.vetting[0].surname, "O Briain");
    }
    // Read with the default comma, a semicolon file has the wrong header: refused, not guessed.
    assert!(ingest_with(&policy(1.0), &s).is_err());
}

/// A roster large enough to be parsed in parts on both cores (`table::read_split`; in unit
/// tests a part is 256 KiB): people stay in file order, and a duplicate employee_id is
/// caught against the first row wherever the two fall, with the later row's line.
#[test]
fn a_roster_parsed_in_parts_keeps_file_order_and_finds_duplicates_across_parts() {
    let n = 40_000;
    let mut roster = String::new();
    for i in 0..n {
        roster.push_str(&format!(
            "E{i},Surname{i},Forename,1980-01-02,P1,staff,active,\n"
        ));
    }
    // Line numbers: the header is line 1, E{i} is on line i + 2.
    roster.push_str("E5,Late,Dup,1980-01-02,P1,staff,active,\n"); // line n + 2
    roster.push_str("e39999,Case,Dup,1980-01-02,P1,staff,active,\n"); // line n + 3
    assert!(
        roster.len() > 4 * (256 << 10),
        "the roster is cut into several parts"
    );
    let got = ingest_with(&policy(1.0), &sources(&roster, GOOD_RECORD)).unwrap();
    let ids: Vec<&str> = got.persons.iter().map(|p| p.employee_id.as_str()).collect();
    let want: Vec<String> = (0..n).map(|i| format!("E{i}")).collect();
    assert_eq!(ids, want.iter().map(String::as_str).collect::<Vec<_>>());
    let lines: Vec<u64> = got.persons.iter().map(|p| p.line).collect();
    assert!(lines.iter().zip(2..).all(|(&l, want)| l == want));
    let rejects: Vec<(u64, &str)> = got
        .rejects
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(
        rejects,
        vec![
            (n as u64 + 2, "duplicate employee_id, first seen on line 7"),
            (
                n as u64 + 3,
                "duplicate employee_id, first seen on line 40001 spelled otherwise (ids are compared without regard to case)"
            ),
        ]
    );
}

#[test]
fn records_with_the_same_protected_characteristics_share_one_copy() {
    let head =
        "vetting_ref,surname,forenames,date_of_birth,level,status,decision_date,sex,ethnicity\n";
    let body = "V1,Smith,Ann,1980-01-02,RV,granted,2020-01-01,F,White British\n\
                V2,Jones,Bea,1981-01-02,RV,granted,2020-01-01,M,White British\n\
                V3,Brown,Cat,1982-01-02,RV,granted,2020-01-01,F,White British\n\
                V4,Green,Dot,1983-01-02,RV,granted,2020-01-01,,\n";
    let mut s = sources(GOOD_PERSON, "");
    s.vetting = SourceFile::from_bytes(
        "vetting",
        Path::new("vetting.csv"),
        format!("{head}{body}").into_bytes(),
    );
    let got = ingest_with(&policy(0.0), &s).unwrap();
    assert!(got.rejects.is_empty(), "{:?}", got.rejects);
    let p: Vec<&crate::model::Protected> = got.vetting.iter().map(|v| &v.protected).collect();
    let value = |i: usize, c: &str| p[i].get(c).map(|v| v.to_string());
    assert_eq!(value(0, "sex").as_deref(), Some("F"));
    assert_eq!(value(1, "sex").as_deref(), Some("M"));
    assert_eq!(value(2, "ethnicity").as_deref(), Some("White British"));
    assert_eq!(
        p[3].keys().count(),
        0,
        "blank values are not characteristics"
    );
    assert!(p[0].is_shared_with(p[2]), "same values: one shared copy");
    assert!(!p[0].is_shared_with(p[1]));
    assert_eq!(p[0], p[2]);
}
