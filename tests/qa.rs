//! QA verdicts on the dip sample, driving the binary on the demo force: a verdict is
//! recorded on a decision a night sampled (and refused on one it did not, on an unknown run,
//! with a placeholder, or a second time unless it is a correction); the next night does not
//! draw the reviewed decision again and its page shows the agreement rate of the verdicts
//! recorded and the open findings; both nights replay byte for byte with the verdicts they
//! held; an import with one bad row records nothing and names the row; verify passes.

mod common;

use common::*;
use std::collections::BTreeMap;

const DAY2: &str = "2026-11-25";
const DAY3: &str = "2026-11-26";

fn ok(o: &std::process::Output) -> String {
    assert_eq!(code(o), 0, "stdout:\n{}\nstderr:\n{}", stdout(o), stderr(o));
    stdout(o)
}

/// The demo export's decisions the dip sample can draw as of a date, by kind, computed from
/// vetting.csv: refusals, and grants (granted, lapsed, suspended) with adverse information,
/// decided in the twelve months up to it (`from` is its first day, as the page names it).
fn eligible(from: &str, as_of: &str) -> BTreeMap<String, (&'static str, String)> {
    rows(&std::fs::read_to_string(demo("vetting.csv")).unwrap())
        .into_iter()
        .filter(|r| (from..=as_of).contains(&r["decision_date"].as_str()))
        .filter_map(|r| {
            let kind = match r["status"].as_str() {
                "refused" => "refusal",
                "granted" | "lapsed" | "suspended" if r["adverse_info"] == "yes" => {
                    "granted_with_adverse_info"
                }
                _ => return None,
            };
            Some((r["vetting_ref"].clone(), (kind, r["decision_date"].clone())))
        })
        .collect()
}

/// A night's dip sample: vetting_ref -> (sample, eligible).
fn sampled(s: &Scratch) -> BTreeMap<String, (String, String)> {
    rows(&s.read_out("qa_sample.csv"))
        .into_iter()
        .map(|r| {
            (
                r["vetting_ref"].clone(),
                (r["sample"].clone(), r["eligible"].clone()),
            )
        })
        .collect()
}

fn qa_record(
    s: &Scratch,
    run: &str,
    reference: &str,
    verdict: &str,
    reason: &str,
) -> std::process::Output {
    s.store_cmd(&[
        "qa",
        "record",
        run,
        reference,
        "--verdict",
        verdict,
        "--reason",
        reason,
        "--by",
        "DI Jones",
    ])
}

fn replay_ok(s: &Scratch, run: &str) {
    let r = ok(&s.store_cmd(&["replay", run]));
    assert!(r.contains(&format!("REPLAY OK: run {run}")), "{r}");
}

fn verify_ok(s: &Scratch, entries: usize) {
    let v = ok(&s.store_cmd(&["verify"]));
    assert!(
        v.contains(&format!("VERIFY OK: {entries} chain entries")),
        "{v}"
    );
}

#[test]
fn a_reviewed_decision_is_not_drawn_again_and_the_page_shows_the_agreement_of_the_verdicts() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    // Night 1 draws every eligible decision: the demo has fewer than the ten of each kind.
    let night1 = eligible("2025-11-24", AS_OF);
    let drawn: BTreeMap<String, String> = (sampled(&s).into_iter())
        .map(|(r, (k, _))| (r, k))
        .collect();
    let want: BTreeMap<String, String> = (night1.iter())
        .map(|(r, (k, _))| (r.clone(), k.to_string()))
        .collect();
    assert_eq!(drawn, want);
    assert!(drawn.contains_key("V501330") && drawn.contains_key("V501428"));
    assert_eq!(
        figures(&s.read_out("report.html"))["qa:agreement"],
        "No verdicts recorded yet"
    );

    // Refusals: a reference the run did not sample, an unknown run, a placeholder as `by`.
    let o = qa_record(&s, "20261124-01", "V500714", "agree", "rationale sound");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("V500714 is not in the dip sample of run 20261124-01"));
    let o = qa_record(&s, "20261199-01", "V501330", "agree", "rationale sound");
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no run 20261199-01 in the store"));
    let o = s.store_cmd(&[
        "qa",
        "record",
        "20261124-01",
        "V501330",
        "--verdict",
        "agree",
        "--reason",
        "rationale sound",
        "--by",
        "YOUR NAME",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("--by is a placeholder"),
        "{}",
        stderr(&o)
    );

    // Two verdicts: the refusal agreed (its reference typed in lower case), the grant not.
    let long = format!(
        "<script>alert(1)</script> no risk-mitigation conditions recorded for the adverse finance finding; {}",
        "the rationale does not weigh it. ".repeat(6)
    );
    let o = ok(&qa_record(
        &s,
        "20261124-01",
        "v501330",
        "agree",
        "rationale weighs the conviction",
    ));
    assert!(
        o.starts_with(
            "recorded: agree on V501330 (refusal decided 2026-05-26, sampled by run 20261124-01)"
        ),
        "{o}"
    );
    ok(&qa_record(&s, "20261124-01", "V501428", "disagree", &long));
    // The same decision again is refused unless it is a correction.
    let o = qa_record(&s, "20261124-01", "V501330", "disagree", "second thoughts");
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("already has a verdict (agree"),
        "{}",
        stderr(&o)
    );
    assert!(
        !stderr(&o).contains("DI Jones"),
        "the reviewer is not logged"
    );

    // Night 2: V501330 is reviewed, so it is not drawn; the sample is every other decision
    // eligible as of night 2 (the two grants of 2025-11-24 are out of its window).
    ok(&s.run(&["--as-of", DAY2]));
    let night2 = eligible("2025-11-25", DAY2);
    assert!(night2.contains_key("V501330"));
    let want: Vec<String> = (night2.keys())
        .filter(|r| *r != "V501330")
        .cloned()
        .collect();
    assert_eq!(sampled(&s).into_keys().collect::<Vec<_>>(), want);
    // The page: the agreement rate and count computed from the two verdicts recorded.
    let html = s.read_out("report.html");
    let f = figures(&html);
    assert_eq!(
        (
            f["qa:agreement"].as_str(),
            f["qa:agree"].as_str(),
            f["qa:verdicts"].as_str(),
            f["qa:open"].as_str()
        ),
        ("50.0%", "1", "2", "1")
    );
    // The open finding: escaped, and cut short on the page; whole in qa_verdicts.csv.
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; no risk-mitigation"));
    assert!(
        !html.contains(long.trim_end()),
        "the whole reason is not on the page"
    );
    let verdicts = rows(&s.read_out("qa_verdicts.csv"));
    let found: Vec<(&str, &str, &str, &str, &str, &str)> = verdicts
        .iter()
        .map(|r| {
            (
                r["sample_run_id"].as_str(),
                r["vetting_ref"].as_str(),
                r["sample"].as_str(),
                r["decision_date"].as_str(),
                r["verdict"].as_str(),
                r["by"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "20261124-01",
                "V501330",
                "refusal",
                "2026-05-26",
                "agree",
                "DI Jones"
            ),
            (
                "20261124-01",
                "V501428",
                "granted_with_adverse_info",
                "2025-11-24",
                "disagree",
                "DI Jones"
            ),
        ]
    );
    assert_eq!(verdicts[1]["reason"], long, "the reason whole");
    assert!(verdicts.iter().all(|r| r["run_id"] == "20261125-01"));

    // A correction replaces the verdict in force; night 3 shows it, and the nights before
    // still replay with the verdicts they held.
    let o = ok(&s.store_cmd(&[
        "qa",
        "record",
        "20261124-01",
        "V501428",
        "--verdict",
        "agree",
        "--reason",
        "conditions found on the paper file",
        "--by",
        "DI Jones",
        "--correction",
    ]));
    assert!(
        o.starts_with("recorded: agree (correction) on V501428"),
        "{o}"
    );
    ok(&s.run(&["--as-of", DAY3]));
    let f = figures(&s.read_out("report.html"));
    assert_eq!(
        (
            f["qa:agreement"].as_str(),
            f["qa:verdicts"].as_str(),
            f["qa:open"].as_str()
        ),
        ("100.0%", "2", "0")
    );
    for run in ["20261124-01", "20261125-01", "20261126-01"] {
        replay_ok(&s, run);
    }
    // Three runs and three verdict entries.
    verify_ok(&s, 6);
}

#[test]
fn an_import_with_one_bad_row_records_nothing_and_names_its_line_and_column() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    let bad = s.write(
        "verdicts.csv",
        "run_id,vetting_ref,verdict,reason,by\n\
         20261124-01,V501330,agree,rationale sound,DI Jones\n\
         20261124-01,V500714,agree,never sampled,DI Jones\n",
    );
    let o = s.store_cmd(&["qa", "import", bad.to_str().unwrap()]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("verdicts.csv: line 3: column vetting_ref: V500714 is not in the dip sample"),
        "{e}"
    );
    assert!(e.contains("nothing was recorded"), "{e}");
    // Nothing stored: the good row on line 2 was not recorded either.
    verify_ok(&s, 1);
    ok(&qa_record(
        &s,
        "20261124-01",
        "V501330",
        "agree",
        "rationale sound",
    ));

    // The night's own qa_sample.csv, with verdict, reason and by filled in on two rows and
    // left blank on the third, imports as it is.
    let sample = rows(&s.read_out("qa_sample.csv"));
    let mut text = String::from("run_id,sample,vetting_ref,verdict,reason,by\n");
    for r in &sample {
        let filled = match r["vetting_ref"].as_str() {
            "V501428" => "disagree,no mitigation recorded,DS Khan",
            "V501435" => "agree,conditions recorded,DS Khan",
            _ => ",,",
        };
        text.push_str(&format!(
            "{},{},{},{filled}\n",
            r["run_id"], r["sample"], r["vetting_ref"]
        ));
    }
    let filled = s.write("filled.csv", &text);
    let o = ok(&s.store_cmd(&["qa", "import", filled.to_str().unwrap()]));
    assert!(o.starts_with("recorded 2 QA verdicts from"), "{o}");
    verify_ok(&s, 3);
    // The same file again: every row is now a second verdict, so nothing is recorded.
    let o = s.store_cmd(&["qa", "import", filled.to_str().unwrap()]);
    assert_eq!(code(&o), 3);
    assert!(
        stderr(&o).contains("column verdict: the decision on V501428"),
        "{}",
        stderr(&o)
    );
    verify_ok(&s, 3);
    // The page of a rerun of the night shows all three: two agree of three.
    ok(&s.run(&["--rerun"]));
    let f = figures(&s.read_out("report.html"));
    assert_eq!(
        (
            f["qa:agreement"].as_str(),
            f["qa:verdicts"].as_str(),
            f["qa:open"].as_str()
        ),
        ("66.7%", "3", "1")
    );
    // Every sampled decision of the night is reviewed: the rerun draws none.
    assert!(sampled(&s).is_empty());
    replay_ok(&s, "20261124-01");
    replay_ok(&s, "20261124-02");
}
