//! The declarations feed read like every feed, on a hand-built force of two people as of
//! 2026-11-24: `check` names a bad row's line and column, a feed cut in half is refused until
//! the change is accepted, `--no-declarations` turns a configured feed off for a night (and
//! the page and summary.txt say so), and a row of the misconduct feed with a sanction off the
//! scale is rejected by line and column.

mod common;
use common::*;

const ROSTER: &str = "\
employee_id,surname,forenames,previous_surnames,date_of_birth,ni_number,post_id,role_type,force,post_start_date,employment_status,leaving_date,last_integrity_review
E1,Ashby,Anna,,1980-01-11,AB123456C,RV1,officer,,2026-01-01,active,,2026-02-01
E2,Brook,Ben,,1975-02-12,BC234567D,RV1,staff,,2025-03-01,active,,
";

const POSTS: &str = "\
post_id,title,department,required_level,designated,vulnerable_contact
RV1,Response officer,Response,RV,no,no
";

const VETTING: &str = "\
vetting_ref,surname,forenames,previous_surnames,date_of_birth,ni_number,employee_id,level,status,decision_date,expiry_date
V1,Ashby,Anna,,1980-01-11,AB123456C,E1,RV,granted,2020-06-01,2030-06-01
V2,Brook,Ben,,1975-02-12,BC234567D,E2,RV,granted,2021-02-01,2031-02-01
";

const DECLARATIONS: &str = "\
declaration_ref,employee_id,type,declared_date,review_every,last_reviewed,decision
D1,E1,business_interest,2025-01-10,,2025-12-01,approved
D2,E1,secondary_employment,2024-05-01,,,approved
D3,E2,notifiable_association,2025-06-01,6 months,2026-01-05,approved_with_conditions
D4,E2,business_interest,2026-03-01,,,
";

/// `command` on the force's files as of `as_of` with the production policy, the
/// declarations given unless `extra` turns them off or names other files.
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
    if !extra.contains(&"--no-declarations") {
        args.push("--declarations".into());
        args.push(s.path("declarations.csv").display().to_string());
    }
    args.extend(extra.iter().map(|a| a.to_string()));
    vetrecon(&args, s.dir.path())
}

fn force(s: &Scratch, declarations: &str) {
    s.write("roster.csv", ROSTER);
    s.write("posts.csv", POSTS);
    s.write("vetting.csv", VETTING);
    s.write("declarations.csv", declarations);
}

#[test]
fn check_names_the_line_and_column_of_a_bad_declarations_row() {
    let s = Scratch::new();
    force(
        &s,
        &DECLARATIONS.replace(
            "D3,E2,notifiable_association",
            "D3,E2,gifts_and_hospitality",
        ),
    );
    let o = on_force(&s, "check", AS_OF, &[]);
    let out = stdout(&o);
    assert!(
        out.contains("rejected rows in declarations (line, column: reason):\n  line 4, type: type is not one of business_interest, notifiable_association, secondary_employment"),
        "{out}"
    );
    let counts = out
        .lines()
        .find(|l| l.starts_with("declarations "))
        .map(|l| l.split_whitespace().take(4).collect::<Vec<_>>());
    assert_eq!(counts, Some(vec!["declarations", "4", "3", "1"]), "{out}");
}

#[test]
fn a_declarations_feed_cut_in_half_is_refused_until_the_change_is_accepted() {
    let s = Scratch::new();
    force(&s, DECLARATIONS);
    assert_eq!(code(&on_force(&s, "run", AS_OF, &[])), 0);
    let half: String = DECLARATIONS
        .lines()
        .take(3)
        .map(|l| format!("{l}\n"))
        .collect();
    force(&s, &half);
    let o = on_force(&s, "run", "2026-11-25", &[]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2 rows accepted, 50.0% fewer than the 4 accepted in run 20261124-01"),
        "{}",
        stderr(&o)
    );
    let o = on_force(&s, "run", "2026-11-25", &["--accept-change"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn without_the_declarations_feed_its_codes_are_not_read_on_the_page_and_in_the_summary() {
    let s = Scratch::new();
    force(&s, DECLARATIONS);
    let o = on_force(&s, "run", AS_OF, &["--no-declarations"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let exceptions = rows(&s.read_out("exceptions.csv"));
    assert!(exceptions
        .iter()
        .all(|r| !r["code"].starts_with("DECLARATION_")));
    let summary = s.read_out("summary.txt");
    let line = summary
        .lines()
        .find(|l| l.trim_start().starts_with("DECLARATION_REVIEW_DUE"))
        .unwrap_or_else(|| panic!("{summary}"));
    assert!(line.contains("not read"), "{line}");
    assert!(
        summary.contains("declarations"),
        "the optional feeds say which was not read: {summary}"
    );
    // The roster's column is read all the same: the integrity review is checked.
    let line = summary
        .lines()
        .find(|l| l.trim_start().starts_with("INTEGRITY_REVIEW_OVERDUE"))
        .unwrap_or_else(|| panic!("{summary}"));
    assert!(!line.contains("not read"), "{line}");
}

#[test]
fn a_roster_without_the_integrity_review_column_does_not_check_the_review() {
    let s = Scratch::new();
    force(&s, DECLARATIONS);
    let roster: String = ROSTER
        .lines()
        .map(|l| format!("{}\n", l.rsplit_once(',').map_or(l, |(head, _)| head)))
        .collect();
    s.write("roster.csv", &roster);
    let o = on_force(&s, "run", AS_OF, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let summary = s.read_out("summary.txt");
    let line = summary
        .lines()
        .find(|l| l.trim_start().starts_with("INTEGRITY_REVIEW_OVERDUE"))
        .unwrap_or_else(|| panic!("{summary}"));
    assert!(
        line.contains("not read: the roster has no last_integrity_review column"),
        "{line}"
    );
}

#[test]
fn a_misconduct_sanction_off_the_scale_is_rejected_by_line_and_column() {
    let s = Scratch::new();
    force(&s, DECLARATIONS);
    s.write(
        "misconduct.csv",
        "outcome_ref,employee_id,outcome,outcome_date,breach_category,sanction\n\
M1,E1,written_warning,2026-05-01,use_of_force,written_warning\n\
M2,E2,other,2026-06-01,confidentiality,a stern word\n",
    );
    let m = s.path("misconduct.csv").display().to_string();
    let o = on_force(&s, "check", AS_OF, &["--misconduct", &m]);
    let out = stdout(&o);
    assert!(
        out.contains("rejected rows in misconduct (line, column: reason):\n  line 3, sanction: sanction is not one of management_advice, written_warning, final_written_warning, reduction_in_rank, dismissal"),
        "{out}"
    );
}
