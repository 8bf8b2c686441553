//! Regression tests for the hardening of the audit trail: it cannot be spoofed through
//! decision text, a night earlier than the newest is only committed on request and history
//! reads in date order, a closed stdout ends a store command quietly, and a repeated
//! what-if level is refused.

mod common;

use common::*;
use vetrecon::clerical::{DecisionRow, Verdict};
use vetrecon::store::{Body, DecisionEvent, Store};

const BY_SPOOF: &str = "DS Patel\nrun 20261124-01 as of 2026-11-24";
const REASON_SPOOF: &str = "x\nclearance V999 DV granted (confirmed)";

fn ok(o: &std::process::Output) -> String {
    assert_eq!(code(o), 0, "stdout: {}\nstderr: {}", stdout(o), stderr(o));
    stdout(o)
}

/// The decision the issue was filed with, with `by` and `reason` as given.
fn decide(s: &Scratch, by: &str, reason: &str) -> std::process::Output {
    s.store_cmd(&[
        "decide", "reject", "E1182", "V501386", "--by", by, "--reason", reason,
    ])
}

#[test]
fn decide_refuses_control_characters_in_by_and_reason() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    let cases = [
        (BY_SPOOF, "passport seen", "--by", "U+000A"),
        ("DS Patel", REASON_SPOOF, "--reason", "U+000A"),
        ("DS Patel\r", "passport seen", "--by", "U+000D"),
        ("DS Patel", "tab\there", "--reason", "U+0009"),
        ("DS \u{202E}letaP", "passport seen", "--by", "U+202E"),
        ("DS Patel", "x\u{2066}y", "--reason", "U+2066"),
    ];
    for (by, reason, flag, char) in cases {
        let o = decide(&s, by, reason);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{flag} {char}: {err}");
        assert!(err.contains(&format!("error: {flag} contains")), "{err}");
        assert!(err.contains(char), "{err}");
        // The refusal does not echo the text (it may be a name).
        assert!(!err.contains("Patel"), "{err}");
    }
    // Length limits: 100 characters for --by, 1000 for --reason.
    let long_by = "b".repeat(101);
    let o = decide(&s, &long_by, "passport seen");
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("--by is 101 characters long, more than the 100 allowed"),
        "{}",
        stderr(&o)
    );
    let long_reason = "r".repeat(1001);
    let o = decide(&s, "DS Patel", &long_reason);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--reason is 1001 characters long, more than the 1000"));
    // Nothing was recorded: the chain holds the run alone, and the person has no decision.
    let v = ok(&s.store_cmd(&["verify"]));
    assert!(v.contains("VERIFY OK: 1 chain entries (1 runs)"), "{v}");
    let p = ok(&s.store_cmd(&["person", "E1182"]));
    assert!(!p.contains("decision at"), "{p}");
    // At the limits, it is recorded.
    let at_limit = "b".repeat(100);
    ok(&decide(&s, &at_limit, &"r".repeat(1000)));
}

#[test]
fn decide_import_rejects_rows_with_control_characters() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    let file = s.write(
        "decisions.csv",
        "decision,employee_id,vetting_ref,by,reason\n\
         reject,E1182,V501386,DS Patel\tDC Jones,date of birth differs\n\
         confirm,E1184,V501393,DS Patel,passport seen\n",
    );
    let o = s.store_cmd(&["decide", "--import", file.to_str().unwrap()]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(stdout(&o).contains("recorded 1 decisions"));
    let err = stderr(&o);
    assert!(
        err.contains("line 2: column by: contains the control or bidi character U+0009"),
        "{err}"
    );
    let p = ok(&s.store_cmd(&["person", "E1182"]));
    assert!(!p.contains("decision at"), "{p}");
}

#[test]
fn a_stored_newline_prints_escaped_in_the_person_timeline() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    // A store written by an older build (or altered): the spoofing decision is in the chain.
    {
        let store = Store::open(&s.db(), "test").unwrap();
        store
            .append(Body::Decisions(DecisionEvent {
                source: "command".into(),
                rows: vec![DecisionRow {
                    verdict: Verdict::Reject,
                    employee_id: "E1182".into(),
                    vetting_ref: "V501386".into(),
                    by: BY_SPOOF.into(),
                    reason: REASON_SPOOF.into(),
                    at: "2026-11-24T10:00:00Z".into(),
                    fingerprint: None,
                }],
            }))
            .unwrap();
    }
    let p = ok(&s.store_cmd(&["person", "E1182"]));
    // Exactly one decision line, with the injected text escaped inside it.
    let decision: Vec<&str> = p.lines().filter(|l| l.contains("decision at")).collect();
    assert_eq!(
        decision,
        vec![
            "decision at 2026-11-24T10:00:00Z: rejected as a match for V501386 by DS Patel\\u{a}run 20261124-01 as of 2026-11-24 (x\\u{a}clearance V999 DV granted (confirmed))"
        ],
        "{p}"
    );
    // No line of the output starts with the injected text.
    let runs_lines = p.lines().filter(|l| l.starts_with("run ")).count();
    assert_eq!(runs_lines, 1, "{p}");
    assert!(
        !p.lines()
            .any(|l| l.trim_start().starts_with("clearance V999")),
        "{p}"
    );
    // The store still reads: the next run folds the decision in and commits.
    ok(&s.run(&["--as-of", "2026-11-25"]));
    let p = ok(&s.store_cmd(&["person", "E1182"]));
    assert!(
        p.starts_with("person E1182: on the roster in 2 of 2 runs"),
        "{p}"
    );
    assert_eq!(
        p.lines().filter(|l| l.contains("decision at")).count(),
        1,
        "{p}"
    );
}

#[test]
fn a_repeated_what_if_level_is_refused() {
    let s = Scratch::new();
    for flag in ["RV=5y,RV=3y", "RV=5y, MV=5y, rv=3y"] {
        let o = s.run(&["--what-if", flag]);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{flag}: {err}");
        assert!(
            err.contains("--what-if: level RV is given twice (`RV=5y` and `"),
            "{flag}: {err}"
        );
        assert!(!s.db().join("sled").exists(), "nothing may be written");
    }
    // Different levels, each once, are fine.
    ok(&s.run(&["--what-if", "RV=5y,MV=3y"]));
    let fc = rows(&s.read_out("forecast.csv"));
    assert!(
        fc.iter().all(|r| r["what_if"] == "RV 5y, MV 3y"),
        "{:?}",
        fc[0]
    );
}

/// Run vetrecon with stdout a pipe whose reading end is already closed: every write fails
/// with EPIPE, whatever the timing.
fn with_closed_stdout(s: &Scratch, args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vetrecon"))
        .args(args)
        .current_dir(s.dir.path())
        .env_remove("RUST_LOG")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(out.stdout.is_empty());
    out
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    ok(&s.run(&["--as-of", "2026-11-25"]));
    let db = s.db().display().to_string();
    let run_args: Vec<String> = {
        // `run` prints after its commit (through println!, caught by the panic hook).
        let root = root();
        vec![
            "run".into(),
            "--config".into(),
            root.join("config/vetrecon.toml").display().to_string(),
            "--as-of".into(),
            "2026-11-26".into(),
            "--out".into(),
            s.out().display().to_string(),
            "--db".into(),
            db.clone(),
            "--roster".into(),
            demo("roster.csv").display().to_string(),
            "--posts".into(),
            demo("posts.csv").display().to_string(),
            "--vetting".into(),
            demo("vetting.csv").display().to_string(),
            "--pnd-returns".into(),
            demo("pnd_returns.csv").display().to_string(),
            "--misconduct".into(),
            demo("misconduct.csv").display().to_string(),
            "--circumstances".into(),
            demo("circumstances.csv").display().to_string(),
        ]
    };
    let commands: Vec<Vec<&str>> = vec![
        vec!["diff", "20261124-01", "20261125-01", "--db", &db],
        vec!["runs", "--db", &db],
        vec!["person", "E1182", "--db", &db],
        vec!["show", "20261124-01", "--db", &db],
        vec!["verify", "--db", &db],
        vec!["replay", "20261124-01", "--db", &db],
        run_args.iter().map(String::as_str).collect(),
    ];
    for args in commands {
        let o = with_closed_stdout(&s, &args);
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{}: {err}", args[0]);
        assert!(!err.contains("Broken pipe"), "{}: {err}", args[0]);
        assert!(!err.contains("error:"), "{}: {err}", args[0]);
        assert_eq!(code(&o), 0, "{}: {err}", args[0]);
    }
    // The run went through: a closed stdout stops the printing, not the work.
    assert!(stdout(&s.list_runs()).contains("20261126-01"));
}

#[test]
fn a_closed_stdout_does_not_hide_a_failed_verdict() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    let file = s.write(
        "decisions.csv",
        "decision,employee_id,vetting_ref,by,reason\n\
         reject,E1182,V501386,DS Patel,date of birth differs\n\
         sometimes,E1183,V501386,DS Patel,bad verdict\n",
    );
    let db = s.db().display().to_string();
    let o = with_closed_stdout(
        &s,
        &["decide", "--import", file.to_str().unwrap(), "--db", &db],
    );
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn a_closed_stdout_does_not_hide_a_check_refusal() {
    let s = Scratch::new();
    let roster = s.write("roster.csv", "employee_id,surname\nE1,X\n");
    let db = s.db().display().to_string();
    let config = root().join("config/vetrecon.toml").display().to_string();
    let posts = demo("posts.csv").display().to_string();
    let vetting = demo("vetting.csv").display().to_string();
    let o = with_closed_stdout(
        &s,
        &[
            "check",
            "--config",
            &config,
            "--db",
            &db,
            "--roster",
            roster.to_str().unwrap(),
            "--posts",
            &posts,
            "--vetting",
            &vetting,
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
}

/// The `run_id` column of a CSV, in file order, without repeats next to each other.
fn run_ids(csv_text: &str, column: &str) -> Vec<String> {
    let mut v: Vec<String> = rows(csv_text).iter().map(|r| r[column].clone()).collect();
    v.dedup();
    v
}

#[test]
fn an_earlier_night_needs_backfill_and_history_reads_in_date_order() {
    let s = Scratch::new();
    ok(&s.run(&["--as-of", "2026-11-25"]));
    // The night before, run late: refused without --backfill, nothing written.
    let o = s.run(&["--as-of", "2026-11-24"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    assert!(
        err.contains(
            "error: 2026-11-24 is earlier than the newest committed night, 2026-11-25 (20261125-01); nothing was written"
        ),
        "{err}"
    );
    assert!(err.contains("hint:") && err.contains("--backfill"), "{err}");
    assert!(ok(&s.store_cmd(&["verify"])).contains("(1 runs)"));
    // The pre-flight says so too.
    let config = root().join("config/vetrecon.toml").display().to_string();
    let files: Vec<(String, String)> = [
        ("--roster", "roster"),
        ("--posts", "posts"),
        ("--vetting", "vetting"),
        ("--pnd-returns", "pnd_returns"),
        ("--misconduct", "misconduct"),
        ("--circumstances", "circumstances"),
    ]
    .iter()
    .map(|(flag, f)| {
        (
            flag.to_string(),
            demo(&format!("{f}.csv")).display().to_string(),
        )
    })
    .collect();
    let mut check = vec!["check", "--config", &config, "--as-of", "2026-11-24"];
    for (flag, file) in &files {
        check.extend([flag.as_str(), file.as_str()]);
    }
    let c = ok(&s.store_cmd(&check));
    assert!(
        c.contains("note: the newest committed night is 2026-11-25 (20261125-01); a run for the earlier 2026-11-24 needs --backfill"),
        "{c}"
    );

    // With --backfill it is committed, and reported against the nights before it (none):
    // the later night is neither its trend nor its previous run.
    let o = ok(&s.run(&["--as-of", "2026-11-24", "--backfill"]));
    assert!(o.contains("run 20261124-01 as of 2026-11-24"), "{o}");
    assert_eq!(
        run_ids(&s.read_out("trend.csv"), "run_id"),
        vec!["20261124-01"]
    );
    assert!(rows(&s.read_out("changes.csv")).is_empty());
    assert!(ok(&s.store_cmd(&["replay", "20261124-01"])).contains("REPLAY OK"));

    // The run list is in date order, not commit order.
    let list = ok(&s.list_runs());
    let ids: Vec<&str> = list
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(ids, vec!["20261124-01", "20261125-01"], "{list}");

    // A timeline starts with the earliest night.
    let p = ok(&s.store_cmd(&["person", "E1182"]));
    let first_run = p.lines().find(|l| l.starts_with("run ")).unwrap();
    assert_eq!(first_run, "run 20261124-01 as of 2026-11-24", "{p}");

    // Retention judges by the newest night by date: pruning before 2026-11-25 is not
    // refused as "after the latest run" (the backfilled night's inputs are the same files
    // as the later night's, so they are kept for it and there is nothing to drop).
    let pr = ok(&s.store_cmd(&["prune", "--before", "2026-11-25"]));
    assert!(pr.starts_with("nothing to prune before 2026-11-25"), "{pr}");
    let too_late = s.store_cmd(&["prune", "--before", "2026-11-26"]);
    assert_eq!(code(&too_late), 2);
    assert!(
        stderr(&too_late).contains("after the latest run (20261125-01 as of 2026-11-25)"),
        "{}",
        stderr(&too_late)
    );

    // The next night's trend and changes run forwards.
    ok(&s.run(&["--as-of", "2026-11-26"]));
    assert_eq!(
        run_ids(&s.read_out("trend.csv"), "as_of"),
        vec!["2026-11-24", "2026-11-25", "2026-11-26"]
    );
    let changes = rows(&s.read_out("changes.csv"));
    assert!(changes
        .iter()
        .all(|r| r["previous_run_id"] == "20261125-01"));
    let r = ok(&s.store_cmd(&["replay", "20261126-01"]));
    assert!(r.contains("REPLAY OK"), "{r}");
    // A rerun of an earlier night is a backfill too.
    let o = s.run(&["--as-of", "2026-11-25", "--rerun"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    ok(&s.run(&["--as-of", "2026-11-25", "--rerun", "--backfill"]));
}
