//! Integrity oversight on a generated force, against the generator's truth (built from the
//! planned values under the agreed rules, never from vetrecon's output): the post-register
//! checks, every declaration's status and the sanctions counted per breach category and
//! group. The demo's post-register checks against its answer key.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    rows(&std::fs::read_to_string(path).unwrap())
}

/// The rows of `text` projected onto `columns`, as a set.
fn projected(text: &str, columns: &[&str]) -> BTreeSet<Vec<String>> {
    rows(text)
        .into_iter()
        .map(|r| columns.iter().map(|c| r[*c].clone()).collect())
        .collect()
}

const CHECKS: [&str; 7] = [
    "post_id",
    "rule",
    "keyword",
    "recorded_level",
    "expected_level",
    "direction",
    "postholders",
];

#[test]
fn a_generated_force_gives_the_planned_post_checks_declaration_statuses_and_sanction_counts() {
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
    let f = |n: &str| dir.join(n).display().to_string();
    let mut args: Vec<String> = Vec::new();
    for (flag, file) in [
        ("--roster", "roster.csv"),
        ("--posts", "posts.csv"),
        ("--vetting", "vetting.csv"),
        ("--misconduct", "misconduct.csv"),
        ("--declarations", "declarations.csv"),
    ] {
        args.push(flag.into());
        args.push(f(file));
    }
    args.extend(["--as-of".into(), "2026-11-24".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = s.run(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    let truth = |n: &str| std::fs::read_to_string(dir.join("truth").join(n)).unwrap();
    let checks = projected(&s.read_out("post_register_checks.csv"), &CHECKS);
    assert!(!checks.is_empty());
    assert_eq!(
        checks,
        projected(&truth("post_register_checks.csv"), &CHECKS)
    );

    let statuses = projected(
        &s.read_out("declaration_status.csv"),
        &["declaration_ref", "status"],
    );
    assert!(statuses.len() > 10);
    assert_eq!(
        statuses,
        projected(&truth("declarations.csv"), &["declaration_ref", "status"])
    );

    // Sanctions: every category shown (not suppressed) has the planned counts per group.
    let planned: BTreeMap<(String, String), (String, String)> =
        table(&dir.join("truth/sanctions.csv"))
            .into_iter()
            .map(|r| {
                (
                    (r["breach_category"].clone(), r["group"].clone()),
                    (r["outcomes"].clone(), r["serious"].clone()),
                )
            })
            .collect();
    let got = rows(&s.read_out("sanctions.csv"));
    assert!(got.iter().any(|r| r["breach_category"] == "all"));
    let mut compared = 0;
    for r in got.iter().filter(|r| r["finding"] != "suppressed") {
        for group in ["officers", "staff"] {
            let want = planned
                .get(&(r["breach_category"].clone(), group.to_string()))
                .cloned()
                .unwrap_or(("0".into(), "0".into()));
            assert_eq!(
                (r[group].clone(), r[&format!("{group}_serious")].clone()),
                want,
                "{} {group}",
                r["breach_category"]
            );
            compared += 1;
        }
    }
    assert!(compared >= 4, "at least the all row and one category");
}

#[test]
fn the_demos_post_register_checks_are_its_answer_key() {
    let s = Scratch::new();
    let o = s.run(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let got = projected(&s.read_out("post_register_checks.csv"), &CHECKS);
    let want = projected(
        &std::fs::read_to_string(demo("expected_post_register_checks.csv")).unwrap(),
        &CHECKS,
    );
    assert!(
        got.iter().any(|r| r[0] == "P034"),
        "the child protection post"
    );
    assert_eq!(got, want);
}
