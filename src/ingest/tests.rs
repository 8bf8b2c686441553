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

/// Ingest a vetting export with `head` (after the identity and status columns) and `rows`.
fn ingest_casework(head: &str, rows: &str) -> Ingested {
    let mut s = sources(GOOD_PERSON, "");
    s.vetting = SourceFile::from_bytes(
        "vetting",
        Path::new("vetting.csv"),
        format!(
            "vetting_ref,surname,forenames,date_of_birth,level,status,decision_date,{head}\n{rows}"
        )
        .into_bytes(),
    );
    ingest_with(&policy(1.0), &s).unwrap()
}

#[test]
fn casework_columns_are_read_against_the_configured_lists() {
    let head = "application_date,case_type,stage,refusal_reason,adverse_category,interview_held,appeal_status,appeal_date,appeal_outcome_date,decision_maker,gender_reassignment";
    let got = ingest_casework(
        head,
        "V1,Smith,Ann,1980-01-02,MV,refused,2026-03-01,2026-01-10,Recruit,decision,Honesty,honesty,no,Dismissed,2026-04-01,2026-06-01,DM07,no\n\
         V2,Jones,Bob,1981-01-02,RV,pending,,2026-10-01,Non-Police,received,,,,,,,,\n\
         V3,Brown,Cy,1982-01-02,RV,granted,2024-01-01,,,,,,,,,,,\n",
    );
    assert!(got.rejects.is_empty(), "{:?}", got.rejects);
    let c = got.vetting[0].casework.as_deref().unwrap();
    assert_eq!(c.application_date, NaiveDate::from_ymd_opt(2026, 1, 10));
    assert_eq!(c.case_type.as_deref(), Some("recruit"));
    assert_eq!(c.stage.as_deref(), Some("decision"));
    assert_eq!(c.refusal_reason.as_deref(), Some("honesty"));
    assert_eq!(c.adverse_category.as_deref(), Some("honesty"));
    assert_eq!(c.interview_held, Some(false));
    assert_eq!(
        c.appeal_status,
        Some(crate::model::casework::AppealStatus::Dismissed)
    );
    assert_eq!(c.decision_maker.as_deref(), Some("DM07"));
    assert_eq!(
        got.vetting[0]
            .protected
            .get("gender_reassignment")
            .map(|v| &**v),
        Some("no")
    );
    let c = got.vetting[1].casework.as_deref().unwrap();
    assert_eq!(c.case_type.as_deref(), Some("non_police"));
    // A blank is not recorded, never "no".
    assert_eq!((c.interview_held, c.appeal_status), (None, None));
    assert_eq!(c.age_days(as_of()), Some(54));
    // A record with every casework cell blank carries none.
    assert_eq!(got.vetting[2].casework, None);
}

#[test]
fn a_casework_value_outside_the_lists_or_out_of_order_is_a_reject_naming_its_column() {
    let head = "application_date,case_type,stage,appeal_status,appeal_date,appeal_outcome_date";
    let cases = [
        (
            "V2,J,Bo,1981-01-02,RV,pending,,2026-01-01,promotion,,,,",
            "case_type",
            "not one of the codes",
        ),
        (
            "V2,J,Bo,1981-01-02,RV,pending,,2026-01-01,,state,,,",
            "stage",
            "not one of the codes",
        ),
        (
            "V2,J,Bo,1981-01-02,RV,refused,2026-01-01,,,,appealed,,",
            "appeal_status",
            "unknown appeal_status",
        ),
        (
            "V2,J,Bo,1981-01-02,RV,refused,2026-01-01,2026-02-01,,,,,",
            "application_date",
            "after decision_date",
        ),
        (
            "V2,J,Bo,1981-01-02,RV,refused,2026-03-01,,,,lodged,2026-02-01,",
            "appeal_date",
            "before the decision",
        ),
        (
            "V2,J,Bo,1981-01-02,RV,refused,2026-03-01,,,,upheld,2026-04-01,2026-03-31",
            "appeal_outcome_date",
            "before appeal_date",
        ),
        (
            "V2,J,Bo,1981-01-02,RV,pending,,2030-01-01,,,,,",
            "application_date",
            "after the as-of date",
        ),
    ];
    for (row, column, reason) in cases {
        let got = ingest_casework(head, &format!("{row}\n"));
        assert_eq!(got.rejects.len(), 1, "{row}: {:?}", got.rejects);
        let r = &got.rejects[0];
        assert_eq!((r.line, r.column.as_str()), (2, column), "{row}");
        assert!(r.reason.contains(reason), "{row}: {}", r.reason);
    }
}

#[test]
fn a_live_grant_is_never_rejected_for_its_casework_dates_and_a_bad_decision_maker_is_not_echoed() {
    let head = "application_date,appeal_status,appeal_date,decision_maker";
    // Granted on appeal: the export gives the new grant's date, after the appeal and after
    // the application. The clearance is read.
    let got = ingest_casework(
        head,
        "V1,Smith,Ann,1980-01-02,RV,granted,2026-06-01,2026-07-01,upheld,2026-05-01,DM1\n",
    );
    assert!(got.rejects.is_empty(), "{:?}", got.rejects);
    assert_eq!(got.vetting.len(), 1);
    let got = ingest_casework(
        head,
        "V1,Smith,Ann,1980-01-02,RV,refused,2026-06-01,,,,\"DM\u{7}bad\"\n",
    );
    assert_eq!(got.rejects.len(), 1, "{:?}", got.rejects);
    assert_eq!(got.rejects[0].column, "decision_maker");
    assert_eq!(got.rejects[0].value, "", "the id is never echoed");
}

#[test]
fn columns_not_read_are_named_by_file_and_an_optional_near_miss_does_not_refuse() {
    // `state` is one letter from the optional `stage`, which the export lacks: read past and
    // named, not a refused night.
    let got = ingest_casework(
        "state,Team Notes",
        "V1,Smith,Ann,1980-01-02,RV,granted,2024-01-01,open,x\n",
    );
    assert_eq!(got.vetting.len(), 1);
    let (file, cols) = &got.unread[0];
    assert_eq!(*file, "vetting");
    let named: Vec<String> = cols.iter().map(|c| c.describe()).collect();
    assert_eq!(named.len(), 2);
    assert!(
        named[0].starts_with(
            "column 8 \"state\" (not a contract column, but near the optional column stage"
        ),
        "{named:?}"
    );
    assert_eq!(named[1], "column 9 \"Team Notes\" (not a contract column)");
    // Nothing unread: nothing named.
    let got = ingest_casework("stage", "V1,Smith,Ann,1980-01-02,RV,granted,2024-01-01,\n");
    assert!(got.unread.is_empty());
}

#[test]
fn a_recruitment_plan_is_read_by_month_and_case_type_once_each() {
    let mut s = sources(GOOD_PERSON, GOOD_RECORD);
    s.triggers.push(SourceFile::from_bytes(
        "recruitment_plan",
        Path::new("recruitment_plan.csv"),
        b"month,case_type,expected\n2027-01,recruit,40\n2027-02,Recruit,35\n2027-01,recruit,5\n2027-03,cadets,3\n2027-04,recruit,-2\n"
            .to_vec(),
    ));
    let got = ingest_with(&policy(1.0), &s).unwrap();
    let plan: Vec<(String, &str, u32)> = (got.triggers.plan.iter())
        .map(|p| {
            (
                p.month.format("%Y-%m").to_string(),
                &*p.case_type,
                p.expected,
            )
        })
        .collect();
    assert_eq!(
        plan,
        [
            ("2027-01".to_string(), "recruit", 40),
            ("2027-02".to_string(), "recruit", 35)
        ]
    );
    let why: Vec<(u64, &str)> = (got.rejects.iter())
        .map(|r| (r.line, r.column.as_str()))
        .collect();
    assert_eq!(why, [(4, "month"), (5, "case_type"), (6, "expected")]);
    assert!(got.triggers.has("recruitment_plan"));
}

#[test]
fn future_postings_are_read_once_each_with_a_real_start_date() {
    let mut s = sources(GOOD_PERSON, GOOD_RECORD);
    s.triggers.push(SourceFile::from_bytes(
        "postings",
        Path::new("postings.csv"),
        b"posting_ref,employee_id,post_id,start_date\nPS1,E1,P1,2027-01-04\nps1,E2,P1,2027-01-05\nPS2,E3,P1,2027-02-30\nPS3,E3,P1,2099-01-01\nPS4,,P1,2027-01-04\nPS5,E9,P2,03/02/2027\n"
            .to_vec(),
    ));
    let got = ingest_with(&policy(1.0), &s).unwrap();
    let read: Vec<(&str, &str, &str, String)> = (got.triggers.postings.iter())
        .map(|p| {
            (
                p.posting_ref.as_str(),
                p.employee_id.as_str(),
                p.post_id.as_str(),
                p.start_date.to_string(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            ("PS1", "E1", "P1", "2027-01-04".to_string()),
            ("PS5", "E9", "P2", "2027-02-03".to_string())
        ]
    );
    let why: Vec<(u64, &str)> = (got.rejects.iter())
        .map(|r| (r.line, r.column.as_str()))
        .collect();
    assert_eq!(
        why,
        [
            (3, "posting_ref"),
            (4, "start_date"),
            (5, "start_date"),
            (6, "employee_id")
        ]
    );
    assert!(got.triggers.has("postings"));
}

#[test]
fn conditions_are_read_against_the_prevention_lists_and_a_blank_owner_is_kept_as_none() {
    use crate::model::prevention::{Restricts, ReviewPeriod};
    let mut s = sources(GOOD_PERSON, GOOD_RECORD);
    s.triggers.push(SourceFile::from_bytes(
        "conditions",
        Path::new("conditions.csv"),
        b"condition_ref,vetting_ref,type,owner_unit,review_every,last_checked,restricts\n\
C1,V1,Finance Review,Counter-Corruption,6 months,2026-01-10,\n\
C2,V1,posting_restriction,,P1Y,,Vulnerable Contact\n\
C3,V1,posting_restriction,hr,1y,,\n\
C4,V1,gardening,hr,1y,,\n\
C5,V1,other,payroll,1y,,\n\
C6,V1,other,hr,every so often,,\n\
C7,V1,other,hr,1y,2099-01-01,\n\
C8,V1,it_monitoring,hr,,,Custody\n"
            .to_vec(),
    ));
    let got = ingest_with(&policy(1.0), &s).unwrap();
    let c = &got.triggers.conditions;
    assert_eq!(c.len(), 3);
    assert_eq!(
        (&*c[0].kind, c[0].owner_unit.as_deref()),
        ("finance_review", Some("counter_corruption"))
    );
    assert_eq!(c[0].review_every, Some(ReviewPeriod::Months(6)));
    assert_eq!(
        c[0].last_checked.map(|d| d.to_string()).as_deref(),
        Some("2026-01-10")
    );
    assert_eq!(
        (c[1].owner_unit.as_deref(), c[1].restricts.clone()),
        (None, Some(Restricts::VulnerableContact))
    );
    assert_eq!(c[2].condition_ref, "C8");
    assert_eq!(c[2].review_every, None);
    assert_eq!(
        c[2].restricts,
        Some(Restricts::Department("Custody".into()))
    );
    let why: Vec<(u64, &str)> = (got.rejects.iter())
        .map(|r| (r.line, r.column.as_str()))
        .collect();
    assert_eq!(
        why,
        [
            (4, "restricts"),
            (5, "type"),
            (6, "owner_unit"),
            (7, "review_every"),
            (8, "last_checked")
        ]
    );
}

#[test]
fn a_post_marked_revet_on_appointment_is_read_and_the_column_is_known_to_be_there() {
    let mut s = sources(GOOD_PERSON, GOOD_RECORD);
    s.posts = SourceFile::from_bytes(
        "posts",
        Path::new("posts.csv"),
        b"post_id,required_level,designated,revet_on_appointment\nP1,RV,no,yes\nP2,RV,no,\n"
            .to_vec(),
    );
    let got = ingest_with(&policy(1.0), &s).unwrap();
    let revet: Vec<(&str, bool)> = got
        .posts
        .iter()
        .map(|p| (p.post_id.as_str(), p.revet_on_appointment))
        .collect();
    assert_eq!(revet, [("P1", true), ("P2", false)]);
    assert!(got.post_columns.contains(&"revet_on_appointment"));
    let without = ingest_with(&policy(1.0), &sources(GOOD_PERSON, GOOD_RECORD)).unwrap();
    assert!(!without.post_columns.contains(&"revet_on_appointment"));
}

#[test]
fn the_roster_is_known_to_have_post_start_date_only_when_its_header_has_it() {
    let without = ingest_with(&policy(1.0), &sources(GOOD_PERSON, GOOD_RECORD)).unwrap();
    assert!(!without.roster_columns.contains(&"post_start_date"));
    assert!(without.roster_columns.contains(&"employee_id"));
    let mut s = sources(GOOD_PERSON, GOOD_RECORD);
    s.roster = SourceFile::from_bytes(
        "roster",
        Path::new("roster.csv"),
        b"employee_id,surname,forenames,date_of_birth,post_id,role_type,employment_status,post_start_date\nE1,Smith,Ann,1980-01-02,P1,staff,active,\n"
            .to_vec(),
    );
    let got = ingest_with(&policy(1.0), &s).unwrap();
    assert!(got.roster_columns.contains(&"post_start_date"));
    assert_eq!(got.persons[0].post_start_date, None);
}

#[test]
fn declarations_are_read_against_the_integrity_lists_with_blanks_kept_as_not_recorded() {
    use crate::model::integrity::Decision;
    use crate::model::prevention::ReviewPeriod;
    let mut s = sources(GOOD_PERSON, GOOD_RECORD);
    s.triggers.push(SourceFile::from_bytes(
        "declarations",
        Path::new("declarations.csv"),
        b"declaration_ref,employee_id,type,declared_date,review_every,last_reviewed,decision\n\
D1,E1,Business Interest,2025-02-01,,2025-09-01,Approved with conditions\n\
D2,E1,notifiable-association,2024-06-30,6 months,,\n\
D3,E1,gifts,2025-01-01,,,approved\n\
D4,E1,secondary_employment,2099-01-01,,,approved\n\
D5,E1,secondary_employment,2025-01-01,,,maybe\n\
d1,E1,secondary_employment,2025-01-01,,,refused\n\
D6,E1,secondary_employment,2025-01-01,now and then,,refused\n\
D7,E1,secondary_employment,2025-01-01,,,REFUSED\n"
            .to_vec(),
    ));
    let got = ingest_with(&policy(1.0), &s).unwrap();
    let d = &got.triggers.declarations;
    let read: Vec<(&str, &str, Option<Decision>)> = d
        .iter()
        .map(|d| (d.declaration_ref.as_str(), &*d.kind, d.decision))
        .collect();
    assert_eq!(
        read,
        [
            (
                "D1",
                "business_interest",
                Some(Decision::ApprovedWithConditions)
            ),
            ("D2", "notifiable_association", None),
            ("D7", "secondary_employment", Some(Decision::Refused)),
        ]
    );
    assert_eq!(
        d[0].last_reviewed.map(|x| x.to_string()).as_deref(),
        Some("2025-09-01")
    );
    assert_eq!(d[1].review_every, Some(ReviewPeriod::Months(6)));
    assert_eq!(d[1].last_reviewed, None);
    let why: Vec<(u64, &str)> = (got.rejects.iter())
        .map(|r| (r.line, r.column.as_str()))
        .collect();
    assert_eq!(
        why,
        [
            (4, "type"),
            (5, "declared_date"),
            (6, "decision"),
            (7, "declaration_ref"),
            (8, "review_every")
        ]
    );
    assert!(got.triggers.has("declarations"));
}

#[test]
fn misconduct_breach_categories_and_sanctions_are_read_when_the_feed_has_them() {
    let mut s = sources(GOOD_PERSON, GOOD_RECORD);
    s.triggers.push(SourceFile::from_bytes(
        "misconduct",
        Path::new("misconduct.csv"),
        b"outcome_ref,employee_id,outcome,outcome_date,breach_category,sanction\n\
M1,E1,written_warning,2026-01-05,Use of Force,Written Warning\n\
M2,E1,other,2026-01-06,,\n\
M3,E1,other,2026-01-07,shoplifting,written_warning\n\
M4,E1,other,2026-01-08,confidentiality,a stern look\n"
            .to_vec(),
    ));
    let got = ingest_with(&policy(1.0), &s).unwrap();
    let m: Vec<(Option<&str>, Option<&str>)> = (got.triggers.misconduct.iter())
        .map(|m| (m.breach_category.as_deref(), m.sanction.as_deref()))
        .collect();
    assert_eq!(
        m,
        [
            (Some("use_of_force"), Some("written_warning")),
            (None, None)
        ]
    );
    let why: Vec<(u64, &str)> = (got.rejects.iter())
        .map(|r| (r.line, r.column.as_str()))
        .collect();
    assert_eq!(why, [(4, "breach_category"), (5, "sanction")]);
    assert!(got.triggers.column("misconduct", "sanction"));
    let mut plain = sources(GOOD_PERSON, GOOD_RECORD);
    plain.triggers.push(SourceFile::from_bytes(
        "misconduct",
        Path::new("misconduct.csv"),
        b"outcome_ref,employee_id,outcome,outcome_date\nM1,E1,other,2026-01-05\n".to_vec(),
    ));
    let got = ingest_with(&policy(1.0), &plain).unwrap();
    assert!(got.triggers.has("misconduct"));
    assert!(!got.triggers.column("misconduct", "sanction"));
    assert!(!got.triggers.column("misconduct", "breach_category"));
}

#[test]
fn the_last_integrity_review_is_a_code_column_only_when_the_roster_has_it() {
    let without = ingest_with(&policy(1.0), &sources(GOOD_PERSON, GOOD_RECORD)).unwrap();
    assert!(!without.code_columns.contains(&"last_integrity_review"));
    let mut s = sources(GOOD_PERSON, GOOD_RECORD);
    s.roster = SourceFile::from_bytes(
        "roster",
        Path::new("roster.csv"),
        b"employee_id,surname,forenames,date_of_birth,post_id,role_type,employment_status,last_integrity_review\n\
E1,Smith,Ann,1980-01-02,P1,staff,active,2026-03-04\n\
E2,Jones,Bo,1981-01-02,P1,staff,active,\n"
            .to_vec(),
    );
    let got = ingest_with(&policy(1.0), &s).unwrap();
    assert!(got.code_columns.contains(&"last_integrity_review"));
    let reviews: Vec<Option<String>> = (got.persons.iter())
        .map(|p| p.last_integrity_review.map(|d| d.to_string()))
        .collect();
    assert_eq!(reviews, [Some("2026-03-04".to_string()), None]);
    // The vetting export's columns are code columns too.
    assert!(got
        .vetting_columns
        .iter()
        .all(|c| got.code_columns.contains(c)));
}
