//! Conditions on clearances end to end, on a hand-built force of six people as of
//! 2026-11-24: each CONDITION_ row in exceptions.csv, condition_status.csv and
//! clearance_register.csv exactly, the page's "not read" when the feed is off, the shrink
//! guard on a conditions feed cut in half, and `check` naming a bad line and column.
//!
//! The force: E1 in a vulnerable-contact post under a posting restriction that covers it
//! (C1) and a finance review last checked 2026-01-10, every 6 months (C2: due 2026-07-10,
//! 137 days ago); E2 granted with adverse information, rationale and risk mitigation
//! recorded, and no condition anywhere; E3 in a designated post with an IT-monitoring
//! condition nobody owns, yearly, never checked since the decision of 2022-09-01 (C3: due
//! 2023-09-01, 1,180 days ago) and a supervisor briefing with no period (C4); E4 refused,
//! with a condition (C5, not live); E5 in a post not in the register, holding RV and SC; E6
//! a leaver. C6 names a vetting record not in the export.

mod common;
use common::*;
use std::collections::BTreeMap;

const ROSTER: &str = "\
employee_id,surname,forenames,previous_surnames,date_of_birth,ni_number,post_id,role_type,force,post_start_date,employment_status,leaving_date
E1,Ashby,Anna,,1980-01-11,AB123456C,VULN1,officer,,2026-01-01,active,
E2,Brook,Ben,,1975-02-12,BC234567D,RV1,officer,,2025-03-01,active,
E3,Carter,Cara,,1990-03-13,CD345678E,DES1,staff,,2024-05-01,active,
E4,Dale,Dev,,1985-04-14,DE456789F,RV1,officer,,2020-01-01,active,
E5,Ellis,Emma,,1970-05-15,EF567890A,NOPE,staff,,2022-01-01,active,
E6,Fox,Finn,,1988-06-16,FG678901B,RV1,staff,,2021-01-01,leaver,2026-10-01
";

const POSTS: &str = "\
post_id,title,department,required_level,designated,vulnerable_contact
VULN1,Custody officer,Custody,RV,no,yes
RV1,Response officer,Response,RV,no,no
DES1,Intelligence analyst,Intelligence,MV,yes,no
";

const VETTING: &str = "\
vetting_ref,surname,forenames,previous_surnames,date_of_birth,ni_number,employee_id,level,status,decision_date,expiry_date,adverse_info,rationale_recorded,risk_mitigation
V1,Ashby,Anna,,1980-01-11,AB123456C,E1,RV,granted,2020-06-01,2030-06-01,yes,yes,yes
V2,Brook,Ben,,1975-02-12,BC234567D,E2,RV,granted,2021-02-01,2031-02-01,yes,yes,yes
V3,Carter,Cara,,1990-03-13,CD345678E,E3,MV,granted,2022-09-01,2029-09-01,no,yes,yes
V4,Dale,Dev,,1985-04-14,DE456789F,E4,RV,refused,2024-01-01,,no,no,no
V5,Ellis,Emma,,1970-05-15,EF567890A,E5,RV,granted,2023-01-01,2033-01-01,no,no,no
V6,Fox,Finn,,1988-06-16,FG678901B,E6,RV,granted,2019-01-01,2029-01-01,no,no,no
V7,Ellis,Emma,,1970-05-15,EF567890A,E5,SC,granted,2024-01-01,2034-01-01,no,no,no
";

const CONDITIONS: &str = "\
condition_ref,vetting_ref,type,owner_unit,review_every,last_checked,restricts
C1,V1,posting_restriction,hr,,,vulnerable_contact
C2,V1,finance_review,counter_corruption,6 months,2026-01-10,
C3,V3,it_monitoring,,1 year,,
C4,V3,supervisor_briefing,vetting,,,
C5,V4,other,hr,1 month,,
C6,V99,other,hr,1 year,2026-01-01,
";

/// The force's files written into the scratch directory (the conditions as given).
fn force(s: &Scratch, conditions: &str) {
    s.write("roster.csv", ROSTER);
    s.write("posts.csv", POSTS);
    s.write("vetting.csv", VETTING);
    s.write("conditions.csv", conditions);
}

/// `command` on the force's files as of `as_of`, with `extra` flags (`--conditions` is
/// given unless `extra` turns it off).
fn on_force(s: &Scratch, command: &str, as_of: &str, extra: &[&str]) -> std::process::Output {
    let mut args: Vec<String> = vec![
        command.into(),
        "--config".into(),
        root().join("config/vetrecon.toml").display().to_string(),
        "--as-of".into(),
        as_of.into(),
        "--db".into(),
        s.db().display().to_string(),
    ];
    if command == "run" {
        args.extend(["--out".into(), s.out().display().to_string()]);
    }
    for file in ["roster", "posts", "vetting"] {
        args.push(format!("--{file}"));
        args.push(s.path(&format!("{file}.csv")).display().to_string());
    }
    if !extra.contains(&"--no-conditions") && !extra.contains(&"--conditions") {
        args.push("--conditions".into());
        args.push(s.path("conditions.csv").display().to_string());
    }
    args.extend(extra.iter().map(|a| a.to_string()));
    vetrecon(&args, s.dir.path())
}

/// The CONDITION_ rows of exceptions.csv: (code, severity, employee_id, post_id,
/// vetting_ref, held_level, vetting_status, detail), sorted.
fn condition_rows(s: &Scratch) -> Vec<[String; 8]> {
    let mut v: Vec<[String; 8]> = rows(&s.read_out("exceptions.csv"))
        .into_iter()
        .filter(|r| r["code"].starts_with("CONDITION_"))
        .map(|r| {
            [
                "code",
                "severity",
                "employee_id",
                "post_id",
                "vetting_ref",
                "held_level",
                "vetting_status",
                "detail",
            ]
            .map(|c| r[c].clone())
        })
        .collect();
    v.sort();
    v
}

fn row(cells: [&str; 8]) -> [String; 8] {
    cells.map(str::to_string)
}

#[test]
fn each_condition_rule_raises_its_rows_and_the_csv_files_say_where_every_condition_stands() {
    let s = Scratch::new();
    force(&s, CONDITIONS);
    let o = on_force(&s, "run", AS_OF, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    assert_eq!(
        condition_rows(&s),
        [
            row([
                "CONDITION_BREACHED",
                "critical",
                "E1",
                "VULN1",
                "C1",
                "RV",
                "granted",
                "condition C1 on V1 (posting_restriction): restricts vulnerable_contact; now in post VULN1 (Custody officer), a vulnerable-contact post",
            ]),
            // V2: adverse information, rationale and mitigation recorded, no condition held.
            row([
                "CONDITION_NO_OWNER",
                "medium",
                "E2",
                "RV1",
                "V2",
                "RV",
                "granted",
                "risk mitigation recorded but no condition held",
            ]),
            row([
                "CONDITION_NO_OWNER",
                "medium",
                "E3",
                "DES1",
                "V3",
                "MV",
                "granted",
                "no owning unit for condition C3 (it_monitoring) on V3",
            ]),
            row([
                "CONDITION_REVIEW_DUE",
                "medium",
                "E1",
                "VULN1",
                "C2",
                "RV",
                "granted",
                "condition C2 on V1 (finance_review): reviewed every 6 months, last checked 2026-01-10, review due 2026-07-10, 137 days overdue",
            ]),
            row([
                "CONDITION_REVIEW_DUE",
                "medium",
                "E3",
                "DES1",
                "C3",
                "MV",
                "granted",
                "condition C3 on V3 (it_monitoring): reviewed every 1 year, never checked since the decision on 2022-09-01, review due 2023-09-01, 1180 days overdue",
            ]),
        ]
    );
    // V2 is not ADVERSE_UNMITIGATED too: its rationale and mitigation are recorded.
    let ex = rows(&s.read_out("exceptions.csv"));
    assert_eq!(count_where(&ex, "code", "ADVERSE_UNMITIGATED"), 0);

    let run = "20261124-01";
    let expected_status = format!(
        "run_id,condition_ref,vetting_ref,employee_id,type,owner_unit,review_every,last_checked,review_due,status,detail
{run},C1,V1,E1,posting_restriction,hr,,,,breached,\"restricts vulnerable_contact; now in post VULN1 (Custody officer), a vulnerable-contact post; no review period\"
{run},C2,V1,E1,finance_review,counter_corruption,6 months,2026-01-10,2026-07-10,review_due,\"reviewed every 6 months, last checked 2026-01-10, review due 2026-07-10, 137 days overdue\"
{run},C3,V3,E3,it_monitoring,,1 year,,2023-09-01,review_due,\"reviewed every 1 year, never checked since the decision on 2022-09-01, review due 2023-09-01, 1180 days overdue; no owning unit\"
{run},C4,V3,E3,supervisor_briefing,vetting,,,,ok,no review period
{run},C5,V4,E4,other,hr,1 month,,,not_live,\"its record V4 is refused, so the condition is not live\"
{run},C6,V99,,other,hr,1 year,2026-01-01,,no_record,no vetting record V99 tonight
"
    );
    assert_eq!(s.read_out("condition_status.csv"), expected_status);

    // E5's post is not in the register: judged against the staff baseline (RV). E4 holds
    // nothing (a refusal is not held). E6 is a leaver: no requirement.
    let expected_register = format!(
        "run_id,employee_id,employment_status,post_id,required_level,meets_post,ladder_1_level,ladder_1_status,ladder_1_expiry,ladder_2_level,ladder_2_status,ladder_2_expiry,ladder_3_level,ladder_3_status,ladder_3_expiry
{run},E1,active,VULN1,RV,yes,RV,granted,2030-06-01,,,,,,
{run},E2,active,RV1,RV,yes,RV,granted,2031-02-01,,,,,,
{run},E3,active,DES1,MV,yes,MV,granted,2029-09-01,,,,,,
{run},E4,active,RV1,RV,no,,,,,,,,,
{run},E5,active,NOPE,RV,yes,RV,granted,2033-01-01,,,,SC,granted,2034-01-01
{run},E6,leaver,RV1,,no_requirement,RV,granted,2029-01-01,,,,,,
"
    );
    assert_eq!(s.read_out("clearance_register.csv"), expected_register);
    // Nothing in the register HR loads is about a decision, adverse information or a name.
    let register = s.read_out("clearance_register.csv");
    for word in ["Ashby", "1980-01-11", "AB123456C", "adverse", "mitigation"] {
        assert!(!register.contains(word), "{word}");
    }

    let f = figures(&s.read_out("report.html"));
    let fig = |k: &str| f.get(&format!("conditions:{k}")).cloned();
    let got: BTreeMap<&str, Option<String>> = [
        "breached",
        "review_due",
        "no_owner",
        "no_period",
        "live",
        "no_record",
        "not_live",
        "mitigation_without_condition",
        "it_monitoring:none",
        "finance_review:counter_corruption",
    ]
    .into_iter()
    .map(|k| (k, fig(k)))
    .collect();
    let want: BTreeMap<&str, Option<String>> = [
        ("breached", "1"),
        ("review_due", "2"),
        ("no_owner", "1"),
        ("no_period", "2"),
        ("live", "4"),
        ("no_record", "1"),
        ("not_live", "1"),
        ("mitigation_without_condition", "1"),
        ("it_monitoring:none", "1"),
        ("finance_review:counter_corruption", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k, Some(v.to_string())))
    .collect();
    assert_eq!(got, want);
    assert_eq!(fig("not_read"), None);
}

#[test]
fn two_conditions_on_one_record_are_two_rows_in_the_diff_and_one_reviewed_is_resolved() {
    let s = Scratch::new();
    force(&s, CONDITIONS);
    assert_eq!(code(&on_force(&s, "run", AS_OF, &[])), 0);
    // C2 checked since; C1 still breached, C3 still due.
    force(
        &s,
        &CONDITIONS.replace("6 months,2026-01-10", "6 months,2026-11-20"),
    );
    let o = on_force(&s, "run", "2026-11-25", &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let mut changes: Vec<(String, String, String)> = rows(&s.read_out("changes.csv"))
        .into_iter()
        .filter(|r| r["code"].starts_with("CONDITION_"))
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
    assert_eq!(
        changes,
        [
            t("persisting", "CONDITION_BREACHED", "C1"),
            t("persisting", "CONDITION_NO_OWNER", "V2"),
            t("persisting", "CONDITION_NO_OWNER", "V3"),
            t("persisting", "CONDITION_REVIEW_DUE", "C3"),
            t("resolved", "CONDITION_REVIEW_DUE", "C2"),
        ]
    );
    // Both nights replay to the same bytes, the conditions' outputs with them.
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
fn without_the_conditions_feed_the_page_says_not_read_and_no_condition_row_is_raised() {
    let s = Scratch::new();
    force(&s, CONDITIONS);
    let o = on_force(&s, "run", AS_OF, &["--no-conditions"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(condition_rows(&s), Vec::<[String; 8]>::new());
    assert_eq!(
        s.read_out("condition_status.csv"),
        "run_id,condition_ref,vetting_ref,employee_id,type,owner_unit,review_every,last_checked,review_due,status,detail\n"
    );
    let html = s.read_out("report.html");
    let f = figures(&html);
    assert!(f.contains_key("conditions:not_read"));
    assert!(
        html.contains("Not read: conditions on clearances switched off (input.conditions is not set in the config and --conditions was not given): no breach, review or owner was checked tonight, and no figure stands here."),
        "{html}"
    );
    assert!(!f.contains_key("conditions:breached"));
    // The register does not rest on the feed: it is written all the same.
    assert_eq!(rows(&s.read_out("clearance_register.csv")).len(), 6);
}

#[test]
fn a_conditions_feed_cut_in_half_is_refused_until_the_change_is_accepted() {
    let s = Scratch::new();
    force(&s, CONDITIONS);
    assert_eq!(code(&on_force(&s, "run", AS_OF, &[])), 0);
    let half: String = CONDITIONS
        .lines()
        .take(4)
        .map(|l| format!("{l}\n"))
        .collect();
    force(&s, &half);
    let o = on_force(&s, "run", "2026-11-25", &[]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("3 rows accepted, 50.0% fewer than the 6 accepted in run 20261124-01"),
        "{}",
        stderr(&o)
    );
    let o = on_force(&s, "run", "2026-11-25", &["--accept-change"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(rows(&s.read_out("condition_status.csv")).len(), 3);
}

#[test]
fn check_names_the_line_and_column_of_a_bad_conditions_row() {
    let s = Scratch::new();
    force(
        &s,
        &CONDITIONS.replace("C3,V3,it_monitoring", "C3,V3,gardening"),
    );
    let o = on_force(&s, "check", AS_OF, &[]);
    let out = stdout(&o);
    assert!(
        out.contains("rejected rows in conditions (line, column: reason):\n  line 4, type: type is not one of finance_review, it_monitoring, posting_restriction, supervisor_briefing, other"),
        "{out}"
    );
    let counts = out
        .lines()
        .find(|l| l.starts_with("conditions "))
        .map(|l| l.split_whitespace().take(4).collect::<Vec<_>>());
    assert_eq!(counts, Some(vec!["conditions", "6", "5", "1"]), "{out}");
}

#[test]
fn a_rejected_conditions_row_is_said_on_the_page_never_counted_as_checked() {
    let s = Scratch::new();
    force(
        &s,
        &CONDITIONS.replace("C3,V3,it_monitoring", "C3,V3,gardening"),
    );
    let o = on_force(&s, "run", AS_OF, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let f = figures(&s.read_out("report.html"));
    assert_eq!(
        f["conditions:rejected"],
        "1 row of conditions.csv was rejected (rejects.csv): what it held is not checked tonight and no figure below counts it." // (figures() drops commas)
    );
}
