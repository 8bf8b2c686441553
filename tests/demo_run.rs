//! The nightly run on the bundled demo force, checked against the answer key that
//! `testdata/demo/make_demo.py` wrote from the true identities.

mod common;
use common::*;
use std::collections::BTreeMap;

/// The number of rows in the answer key.
fn expected_total() -> usize {
    rows(&std::fs::read_to_string(demo("expected_exceptions.csv")).unwrap()).len()
}

fn triples(text: &str) -> Vec<(String, String, String)> {
    let mut t: Vec<_> = rows(text)
        .into_iter()
        .map(|r| {
            (
                r["code"].clone(),
                r["employee_id"].clone(),
                r["vetting_ref"].clone(),
            )
        })
        .collect();
    t.sort();
    t
}

#[test]
fn demo_exceptions_match_the_answer_key_exactly() {
    let s = Scratch::new();
    let o = s.run(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let got = triples(&s.read_out("exceptions.csv"));
    let want = triples(&std::fs::read_to_string(demo("expected_exceptions.csv")).unwrap());
    assert_eq!(got, want);
}

#[test]
fn every_exception_code_is_exercised_by_the_demo() {
    let want = std::fs::read_to_string(demo("expected_exceptions.csv")).unwrap();
    for code in vetrecon::assess::Code::ALL {
        assert!(
            want.contains(&format!("{code},")),
            "the demo never produces {code}"
        );
    }
}

#[test]
fn exceptions_csv_has_the_contract_columns_and_is_in_priority_order() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let text = s.read_out("exceptions.csv");
    assert_eq!(
        text.lines().next().unwrap(),
        "run_id,as_of,code,severity,priority,employee_id,surname,forenames,post_id,post_title,required_level,\
         held_level,vetting_ref,vetting_status,expiry_date,match_score,detail"
    );
    let rows = rows(&text);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["priority"], (i + 1).to_string());
        assert_eq!(r["run_id"], "20261124-01");
        assert_eq!(r["as_of"], AS_OF);
    }
    // Role risk first: the designated-post gaps lead, ahead of an ordinary-post NO_CLEARANCE.
    let pos = |code: &str, post: &str| {
        rows.iter()
            .position(|r| r["code"] == code && r["post_id"] == post)
            .unwrap()
    };
    assert!(pos("NO_CLEARANCE", "P024") < pos("NO_CLEARANCE", "P018"));
    assert!(pos("INSUFFICIENT_LEVEL", "P022") < pos("EXPIRED", "P002"));
    // Within the same risk and severity, longer out of compliance first.
    assert!(pos("NO_CLEARANCE", "P011") < pos("NO_CLEARANCE", "P018"));
    // A low-severity warning on an ordinary post comes last.
    assert_eq!(rows.last().unwrap()["code"], "EXPIRING_SOON");
}

#[test]
fn details_name_what_the_manager_acts_on() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let rows = rows(&s.read_out("exceptions.csv"));
    let row = |code: &str, post: &str| {
        rows.iter()
            .find(|r| r["code"] == code && r["post_id"] == post)
            .unwrap()
            .clone()
    };
    let insufficient = row("INSUFFICIENT_LEVEL", "P022");
    assert_eq!(
        (
            insufficient["required_level"].as_str(),
            insufficient["held_level"].as_str()
        ),
        ("MV", "RV")
    );
    assert!(
        insufficient["detail"].contains("pending MV"),
        "{}",
        insufficient["detail"]
    );
    let ambiguous = rows
        .iter()
        .find(|r| r["code"] == "AMBIGUOUS_MATCH")
        .unwrap();
    assert!(
        ambiguous["employee_id"].is_empty(),
        "an ambiguous match must never name one person"
    );
    assert_eq!(
        ambiguous["detail"].matches("(score").count(),
        2,
        "{}",
        ambiguous["detail"]
    );
    let refused = row("NOT_GRANTED", "P029");
    assert_eq!(refused["vetting_status"], "refused");
    assert_eq!(refused["expiry_date"], "", "a refusal has no expiry");
}

#[test]
fn matches_rejects_and_summary_are_written() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let matches = rows(&s.read_out("matches.csv"));
    let decisions: BTreeMap<&str, usize> = matches.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(r["decision"].as_str()).or_default() += 1;
        m
    });
    assert_eq!(decisions.get("review"), Some(&1));
    assert_eq!(
        decisions.get("ambiguous"),
        Some(&2),
        "both twins are listed for the ambiguous record"
    );
    // Three strangers, and the two joiners' records that reach the vetting unit before the
    // joiners reach the roster.
    assert_eq!(decisions.get("no_match"), Some(&5));
    let rejects = rows(&s.read_out("rejects.csv"));
    let got: Vec<(&str, &str, &str)> = rejects
        .iter()
        .map(|r| {
            (
                r["file"].as_str(),
                r["column"].as_str(),
                r["value"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("roster", "employee_id", "E1073"),
            ("vetting", "date_of_birth", "31/02/1980"),
            ("vetting", "level", "XV")
        ]
    );
    assert!(rejects
        .iter()
        .all(|r| r["line"].parse::<u64>().unwrap() > 1));
    let summary = s.read_out("summary.txt");
    assert!(
        summary.contains("run 20261124-01 as of 2026-11-24"),
        "{summary}"
    );
    assert!(
        summary.contains("  NO_CLEARANCE                     4"),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("  total{:>29}\n", expected_total())),
        "{summary}"
    );
}

#[test]
fn the_same_inputs_give_byte_identical_outputs() {
    let (a, b) = (Scratch::new(), Scratch::new());
    assert_eq!(code(&a.run(&[])), 0);
    assert_eq!(code(&b.run(&[])), 0);
    let mut names: Vec<String> = std::fs::read_dir(a.out())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        vetrecon::report::RUN_OUTPUTS.len(),
        "{names:?}"
    );
    for f in names {
        // chain.txt names the run's chain entry, whose hash also covers the run's
        // wall-clock times: the one file that differs between two stores.
        if f == "chain.txt" {
            let differ = |t: &str| t.lines().filter(|l| l.starts_with("chain_hash")).count();
            let (x, y) = (a.read_out(&f), b.read_out(&f));
            assert_eq!(differ(&x), 1);
            let same = |t: &str| -> Vec<String> {
                t.lines()
                    .filter(|l| !l.starts_with("chain_hash"))
                    .map(str::to_string)
                    .collect()
            };
            assert_eq!(same(&x), same(&y));
            continue;
        }
        assert_eq!(
            std::fs::read(a.out().join(&f)).unwrap(),
            std::fs::read(b.out().join(&f)).unwrap(),
            "{f} differs between identical runs"
        );
    }
}

#[test]
fn runs_are_recorded_and_listed_and_a_second_run_for_the_night_needs_rerun() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let again = s.run(&[]);
    assert_eq!(code(&again), 2, "{}", stderr(&again));
    assert!(
        stderr(&again).contains("a run for 2026-11-24 is already committed (20261124-01)"),
        "{}",
        stderr(&again)
    );
    let second = s.run(&["--rerun"]);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    assert!(String::from_utf8_lossy(&second.stdout).contains("run 20261124-02"));
    let o = s.list_runs();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("20261124-01") && out.contains("superseded by 20261124-02"),
        "{out}"
    );
    assert!(out.contains("NO_CLEARANCE=4"), "{out}");
    let store = vetrecon::store::Store::open(&s.db(), "test").unwrap();
    let runs = store.runs().unwrap();
    assert_eq!(runs.len(), 2);
    let r = &runs[1].record;
    assert_eq!(r.supersedes.as_deref(), Some("20261124-01"));
    assert_eq!(r.counts["NO_CLEARANCE"], 4);
    assert_eq!(r.exceptions, expected_total());
    assert_eq!(
        r.inputs.iter().map(|i| i.role.as_str()).collect::<Vec<_>>(),
        [
            "roster",
            "posts",
            "vetting",
            "pnd_returns",
            "misconduct",
            "circumstances",
            "postings",
            "conditions",
            "declarations",
            "recruitment_plan"
        ]
    );
    let roster = std::fs::read(demo("roster.csv")).unwrap();
    assert_eq!(
        store.get_blob(&r.inputs[0].sha256).unwrap(),
        roster,
        "the store keeps the exact input"
    );
    let exceptions = store.get_blob(&r.outputs[0].sha256).unwrap();
    assert_eq!(
        exceptions,
        std::fs::read(s.out().join("exceptions.csv")).unwrap()
    );
}

/// The columns of jml.csv the answer key gives (every one but the free-text detail).
const JML_KEY: [&str; 14] = [
    "action_id",
    "action",
    "event",
    "employee_id",
    "from_post",
    "to_post",
    "required_level",
    "held_level",
    "event_date",
    "first_seen",
    "due_date",
    "days_open",
    "days_overdue",
    "status",
];

fn jml_rows(text: &str) -> Vec<Vec<String>> {
    rows(text)
        .into_iter()
        .map(|r| JML_KEY.iter().map(|c| r[*c].clone()).collect())
        .collect()
}

#[test]
fn the_second_night_lists_the_joiners_movers_and_leavers_of_the_answer_key_in_order() {
    let s = Scratch::new();
    let first = s.run(&[]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert!(
        jml_rows(&s.read_out("jml.csv")).is_empty(),
        "the first night has no earlier roster to compare with"
    );
    let roster = demo("night2/roster.csv");
    let postings = demo("night2/postings.csv");
    let second = s.run(&[
        "--as-of",
        "2026-12-01",
        "--roster",
        roster.to_str().unwrap(),
        "--postings",
        postings.to_str().unwrap(),
    ]);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let key = std::fs::read_to_string(demo("expected_jml.csv")).unwrap();
    assert_eq!(key.lines().next().unwrap(), JML_KEY.join(","));
    let want = jml_rows(&key);
    assert_eq!(want.len(), 7, "the answer key plans seven actions");
    assert_eq!(jml_rows(&s.read_out("jml.csv")), want);
    // E1024 and E2002 started their postings uncleared in the week between: not resolved.
    let changes = rows(&s.read_out("changes.csv"));
    let of = |change: &str| -> Vec<String> {
        (changes.iter())
            .filter(|r| r["change"] == change && r["code"] == "POSTING_NOT_CLEARED")
            .map(|r| r["employee_id"].clone())
            .collect()
    };
    assert_eq!(of("posting_started"), ["E1024", "E2002"]);
    assert!(of("resolved").is_empty(), "{:?}", of("resolved"));
}
