//! `vetrecon explain` reads what the night stored: for a pair a stored run made
//! from the same files scored, the breakdown comes from that run's link record, with
//! every figure the slow path (linking the force again) prints; otherwise it falls back to
//! the slow path and says why. The text explain prints and links.csv (`report
//! --with-links`) are the same bytes as the golden files for the demo night
//! (`tests/data/golden`, first made by vetrecon 0.7.0, made again when the demo's data
//! changed), and so is matches.csv, which the store no longer keeps but renders from the link
//! record. That a night 0.7.0 stored still renders its own links.csv is tests/store.rs's.

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// `vetrecon explain EMP REF` on the demo files, reading the store at `db`.
fn explain(
    s: &Scratch,
    db: &Path,
    emp: &str,
    reference: &str,
    roster: Option<PathBuf>,
) -> (String, String) {
    let mut args: Vec<String> = vec!["explain".into(), emp.into(), reference.into()];
    let files = [
        ("--config", root().join("config/vetrecon.toml")),
        ("--as-of", PathBuf::from(AS_OF)),
        ("--db", db.to_path_buf()),
        ("--roster", roster.unwrap_or_else(|| demo("roster.csv"))),
        ("--posts", demo("posts.csv")),
        ("--vetting", demo("vetting.csv")),
        ("--pnd-returns", demo("pnd_returns.csv")),
    ];
    for (flag, value) in files {
        args.push(flag.into());
        args.push(value.display().to_string());
    }
    let o = vetrecon(&args, s.dir.path());
    assert_eq!(code(&o), 0, "explain failed: {}", stderr(&o));
    (stdout(&o), stderr(&o))
}

fn run_id(s: &Scratch) -> String {
    let store = vetrecon::store::Store::open(&s.db(), "test").unwrap();
    store.last_run().unwrap().unwrap().record.run_id
}

#[test]
fn explain_reads_the_stored_night_with_the_slow_paths_figures() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let run = run_id(&s);
    let nowhere = s.path("no-store");
    // (a) auto-linked, (b) sent to review, (c) both sides of an ambiguous record.
    for (emp, reference, decision) in [
        ("E1001", "V500007", "auto-linked to E1001"),
        (
            "E1184",
            "V501393",
            "sent to review with E1184 as the candidate",
        ),
        ("E1182", "V501386", "ambiguous between"),
        ("E1183", "V501386", "ambiguous between"),
    ] {
        let (fast, fast_note) = explain(&s, &s.db(), emp, reference, None);
        assert!(
            fast_note.contains(&format!("explained from stored run {run}")),
            "{emp} {reference}: the fast path was not taken: {fast_note}"
        );
        assert!(
            !fast_note.contains("linking the force again") && !fast_note.contains("ingested"),
            "{emp} {reference}: the fast path ingested the force: {fast_note}"
        );
        let (slow, slow_note) = explain(&s, &nowhere, emp, reference, None);
        assert!(
            slow_note.contains("no stored night has these inputs: linking the force again"),
            "{slow_note}"
        );
        // Every figure: prior, each field's level, bits and term frequency, weight,
        // pairwise probability, posterior, other candidates, "not on the roster", match
        // share and the decision.
        assert_eq!(
            fast, slow,
            "{emp} {reference}: fast and slow explain differ"
        );
        assert!(
            fast.contains(&format!("decision for {reference}: {decision}")),
            "{fast}"
        );
        assert!(emp != "E1001" || fast.contains("term frequency"), "{fast}");
    }
    let (ambiguous, _) = explain(&s, &s.db(), "E1182", "V501386", None);
    assert!(
        ambiguous.contains("0.499999, against 1 other scored candidate(s)"),
        "{ambiguous}"
    );
}

#[test]
fn explain_falls_back_for_an_unscored_pair_or_changed_inputs() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let run = run_id(&s);
    // E1001 never came near V501393's blocks or was pruned: the night has no breakdown.
    let (out, note) = explain(&s, &s.db(), "E1001", "V501393", None);
    assert!(
        note.contains(&format!(
            "stored run {run} has these inputs but kept no breakdown of this pair"
        )),
        "{note}"
    );
    let (slow, _) = explain(&s, &s.path("no-store"), "E1001", "V501393", None);
    assert_eq!(out, slow);
    assert!(out.contains("below contention"), "{out}");
    // One byte more in the roster: no stored night has these inputs.
    let mut roster = std::fs::read(demo("roster.csv")).unwrap();
    roster.extend_from_slice(b"\n");
    let changed = s.path("roster.csv");
    std::fs::write(&changed, roster).unwrap();
    let (_, note) = explain(&s, &s.db(), "E1184", "V501393", Some(changed));
    assert!(
        note.contains("no stored night has these inputs: linking the force again"),
        "{note}"
    );
}

#[test]
fn the_link_record_is_byte_identical_for_the_same_inputs() {
    let a = Scratch::new();
    let b = Scratch::new();
    assert_eq!(code(&a.run(&[])), 0);
    assert_eq!(code(&b.run(&[])), 0);
    let record = |s: &Scratch| {
        let store = vetrecon::store::Store::open(&s.db(), "test").unwrap();
        store
            .last_run()
            .unwrap()
            .unwrap()
            .record
            .link_record
            .unwrap()
    };
    let (x, y) = (record(&a), record(&b));
    assert_eq!(x.buckets.len(), 64, "one payload per bucket");
    assert_eq!(x, y, "the same inputs stored different link records");
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/data/golden").join(name)).unwrap()
}

#[test]
fn explain_prints_every_linked_pair_of_the_demo_as_the_golden_file_has_it() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let mut all = String::new();
    for line in golden("demo_explain_pairs.csv").lines() {
        let (emp, reference) = line.split_once(',').unwrap();
        let (out, note) = explain(&s, &s.db(), emp, reference, None);
        assert!(
            note.contains("explained from stored run"),
            "{emp} {reference}: {note}"
        );
        all.push_str(&out);
    }
    assert_eq!(all, golden("demo_explain.txt"));
}

#[test]
fn matches_csv_is_the_golden_file_for_the_demo_and_is_not_stored() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let written = std::fs::read_to_string(s.out().join("matches.csv")).unwrap();
    assert_eq!(written, golden("demo_matches.csv"));
    let store = vetrecon::store::Store::open_read(&s.db()).unwrap();
    let rec = store.last_run().unwrap().unwrap().record;
    assert_eq!(rec.rendered, ["matches.csv"]);
    let sha = &rec
        .outputs
        .iter()
        .find(|o| o.name == "matches.csv")
        .unwrap()
        .sha256;
    assert!(
        rec.blobs().iter().all(|(_, h)| h != sha),
        "matches.csv is rendered from the link record, not kept"
    );
    assert!(
        store.get_blob(sha).is_err(),
        "the store holds no payload of matches.csv"
    );
}

#[test]
fn report_with_links_writes_the_golden_links_csv_for_the_demo() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let again = s.path("again");
    let o = s.store_cmd(&[
        "report",
        "20261124-01",
        "--out",
        again.to_str().unwrap(),
        "--with-links",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(again.join("links.csv")).unwrap(),
        golden("demo_links.csv")
    );
}
