//! The prevention codes, the inspection figure and the joiners-movers-leavers actions on a
//! generated force, against the truth the generator built from its planned scenarios (never
//! from this program's output): every planned row raised, nothing raised the plan does not
//! imply.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    rows(&std::fs::read_to_string(path).unwrap())
}

/// `vetrecon run` on the generated force at `dir`, its own feeds only.
fn run(s: &Scratch, dir: &Path, night: &str, as_of: &str) -> std::process::Output {
    let f = |n: &str| dir.join(n).display().to_string();
    let n = |name: &str| dir.join(night).join(name).display().to_string();
    let args = [
        "--roster".to_string(),
        n("roster.csv"),
        "--posts".into(),
        f("posts.csv"),
        "--vetting".into(),
        f("vetting.csv"),
        "--pnd-returns".into(),
        f("pnd_returns.csv"),
        "--misconduct".into(),
        f("misconduct.csv"),
        "--circumstances".into(),
        f("circumstances.csv"),
        "--recruitment-plan".into(),
        f("recruitment_plan.csv"),
        "--postings".into(),
        n("postings.csv"),
        "--conditions".into(),
        f("conditions.csv"),
        "--declarations".into(),
        f("declarations.csv"),
        "--as-of".into(),
        as_of.into(),
        "--accept-change".into(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    s.run(&args)
}

/// The truth rows of `file` whose `codes` name `code`, by `column`.
fn planned(dir: &Path, file: &str, code: &str, column: &str) -> BTreeSet<String> {
    table(&dir.join("truth").join(file))
        .into_iter()
        .filter(|r| r["codes"].split(';').any(|c| c == code))
        .map(|r| r[column].clone())
        .collect()
}

#[test]
fn a_generated_force_raises_exactly_the_planned_prevention_rows_and_night_two_actions() {
    let s = Scratch::new();
    let dir = s.path("force");
    let o = vetrecon(
        &[
            "generate".into(),
            "--people".into(),
            "3000".into(),
            "--seed".into(),
            "11".into(),
            "--noise-scale".into(),
            "0".into(),
            "--out".into(),
            dir.display().to_string(),
        ],
        &root(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(&s, &dir, ".", "2026-11-24");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let ex = rows(&s.read_out("exceptions.csv"));
    let got = |code: &str, column: &str| -> BTreeSet<String> {
        (ex.iter().filter(|r| r["code"] == code))
            .map(|r| r[column].clone())
            .collect()
    };

    // POSTING_NOT_CLEARED: the detail names the posting first.
    let postings: BTreeSet<String> = (ex.iter().filter(|r| r["code"] == "POSTING_NOT_CLEARED"))
        .map(|r| r["detail"].split(' ').nth(1).unwrap_or("").to_string())
        .collect();
    let want = planned(&dir, "postings.csv", "POSTING_NOT_CLEARED", "posting_ref");
    assert!(want.len() >= 10, "{want:?}");
    assert_eq!(postings, want);

    // The review and breach rows hold the condition's reference; NO_OWNER is one per record.
    for code in ["CONDITION_REVIEW_DUE", "CONDITION_BREACHED"] {
        let want = planned(&dir, "conditions.csv", code, "condition_ref");
        assert!(!want.is_empty(), "{code}");
        assert_eq!(got(code, "vetting_ref"), want, "{code}");
    }
    let want = planned(&dir, "conditions.csv", "CONDITION_NO_OWNER", "vetting_ref");
    assert!(want.len() >= 2);
    assert_eq!(got("CONDITION_NO_OWNER", "vetting_ref"), want);

    // The inspection figure: every move in the window, those before MV, those still uncleared.
    let truth: BTreeMap<String, String> = table(&dir.join("truth/inspection.csv"))
        .into_iter()
        .map(|r| (r["figure"].clone(), r["value"].clone()))
        .collect();
    let moves = rows(&s.read_out("moves_before_clearance.csv"));
    let count = |f: &dyn Fn(&BTreeMap<String, String>) -> bool| {
        moves.iter().filter(|r| f(r)).count().to_string()
    };
    assert_eq!(count(&|_| true), truth["moves"]);
    assert_eq!(
        count(&|r| r["before_clearance"] == "yes"),
        truth["moves_before_mv"]
    );
    assert_eq!(
        count(&|r| r["still_uncleared"] == "yes"),
        truth["still_uncleared"]
    );
    let page = figures(&s.read_out("report.html"));
    assert_eq!(page["moves:median_days"], truth["median_days_uncleared"]);

    // Night two: the actions the two rosters call for, each with its due date.
    let manifest = std::fs::read_to_string(dir.join("truth/manifest.toml")).unwrap();
    let night_two = manifest
        .lines()
        .find_map(|l| l.strip_prefix("night_two_as_of = "))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap();
    let o = run(&s, &dir, "night2", &night_two);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let key = |r: &BTreeMap<String, String>| {
        ["action_id", "action", "event", "to_post", "due_date"]
            .map(|c| r[c].clone())
            .join(",")
    };
    let got: BTreeSet<String> = rows(&s.read_out("jml.csv")).iter().map(key).collect();
    let want: BTreeSet<String> = table(&dir.join("truth/jml.csv")).iter().map(key).collect();
    assert!(want.len() >= 10, "{want:?}");
    assert_eq!(got, want);
}
