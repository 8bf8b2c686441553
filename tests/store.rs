//! The audit store end to end through the binary: history commands, clerical decisions,
//! replay, tamper detection, retention, and crash safety under `kill -9`.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const DAY2: &str = "2026-11-25";

/// Night 2 of the demo: E1100 moves to a post missing from the register (a new
/// UNKNOWN_POST) and the orphan clearance V501414 leaves the vetting export (resolved).
fn night2_files(s: &Scratch) -> (PathBuf, PathBuf) {
    let roster = std::fs::read_to_string(demo("roster.csv"))
        .unwrap()
        .replace(
            "E1100,Wright,Jordan,,1972-02-06,AB992397C,P016,",
            "E1100,Wright,Jordan,,1972-02-06,AB992397C,P777,",
        );
    let vetting: String = std::fs::read_to_string(demo("vetting.csv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("V501414,"))
        .map(|l| format!("{l}\n"))
        .collect();
    (
        s.write("roster2.csv", &roster),
        s.write("vetting2.csv", &vetting),
    )
}

fn run_night2(s: &Scratch) -> std::process::Output {
    run_changed(s, DAY2)
}

/// A run on night 2's files, for any as-of date.
fn run_changed(s: &Scratch, as_of: &str) -> std::process::Output {
    let (roster, vetting) = night2_files(s);
    s.run(&[
        "--as-of",
        as_of,
        "--roster",
        roster.to_str().unwrap(),
        "--vetting",
        vetting.to_str().unwrap(),
    ])
}

fn ok(o: &std::process::Output) -> String {
    assert_eq!(code(o), 0, "stdout: {}\nstderr: {}", stdout(o), stderr(o));
    stdout(o)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn show_report_diff_and_person_answer_about_past_nights() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    let night1: Vec<(String, Vec<u8>)> = [
        "exceptions.csv",
        "matches.csv",
        "rejects.csv",
        "summary.txt",
    ]
    .iter()
    .map(|n| (n.to_string(), std::fs::read(s.out().join(n)).unwrap()))
    .collect();
    ok(&run_night2(&s));

    let shown = ok(&s.store_cmd(&["show", "20261124-01"]));
    let roster_sha = vetrecon::ingest::hex_sha256(&std::fs::read(demo("roster.csv")).unwrap());
    assert!(shown.contains(&roster_sha), "{shown}");
    assert!(shown.contains("status       committed"), "{shown}");
    // Issue 18 (0.5.0): both of the night's learnt models, the second pass's included.
    assert!(shown.contains("m learnt tonight by EM"), "{shown}");
    assert!(
        shown
            .contains("second pass: m learnt again once the first pass's links widened the roster"),
        "{shown}"
    );
    assert!(
        shown.contains("ORPHAN_CLEARANCE                 2"),
        "{shown}"
    );

    // report re-emits night 1 byte for byte, though night 2 has overwritten out/.
    let again = s.path("again");
    ok(&s.store_cmd(&[
        "report",
        "20261124-01",
        "--out",
        again.to_str().unwrap(),
        "--with-links",
    ]));
    for (name, bytes) in &night1 {
        assert_eq!(&std::fs::read(again.join(name)).unwrap(), bytes, "{name}");
    }
    let links = std::fs::read_to_string(again.join("links.csv")).unwrap();
    assert!(
        links.starts_with(
            "vetting_ref,rank,employee_id,decision,evidence,surname_level,surname_bits"
        ),
        "{links}"
    );
    assert!(
        links.contains("V501393,1,E1184,review,"),
        "the review pair is kept with its explanation"
    );

    let d = ok(&s.store_cmd(&["diff", "20261124-01", "20261125-01"]));
    assert!(
        d.starts_with(
            "exceptions from 20261124-01 to 20261125-01: 1 new, 1 resolved, 27 persisting"
        ),
        "{d}"
    );
    let new = &d[d.find("\nnew\n").unwrap()..d.find("\nresolved\n").unwrap()];
    assert!(
        new.contains("UNKNOWN_POST") && new.contains("E1100") && new.contains("P777"),
        "{d}"
    );
    let resolved = &d[d.find("\nresolved\n").unwrap()..d.find("\npersisting\n").unwrap()];
    assert!(
        resolved.contains("ORPHAN_CLEARANCE") && resolved.contains("V501414"),
        "{d}"
    );

    let p = ok(&s.store_cmd(&["person", "E1100"]));
    assert!(
        p.starts_with("person E1100: on the roster in 2 of 2 runs; 2 runs with changes"),
        "{p}"
    );
    assert!(p.contains("post P016 -> P777"), "{p}");
    assert!(p.contains("exception raised UNKNOWN_POST P777"), "{p}");
    let none = s.store_cmd(&["person", "E0000"]);
    assert_eq!(code(&none), 4, "{}", stderr(&none));
    assert!(stderr(&none).contains("E0000 appears in no run"));
    let missing = s.store_cmd(&["show", "20991231-01"]);
    assert_eq!(code(&missing), 4);
    assert!(stderr(&missing).contains("no run `20991231-01`"));

    for run in ["20261124-01", "20261125-01"] {
        let r = ok(&s.store_cmd(&["replay", run]));
        assert!(r.contains(&format!("REPLAY OK: run {run}")), "{r}");
    }
    let v = ok(&s.store_cmd(&["verify"]));
    assert!(v.contains("VERIFY OK: 2 chain entries (2 runs)"), "{v}");
}

#[test]
fn decisions_stick_in_later_runs_and_replay_uses_the_decisions_of_its_night() {
    let s = Scratch::new();
    let n1 = ok(&s.run(&[]));
    assert!(n1.contains("28 exceptions"));
    let confirm = s.store_cmd(&[
        "decide",
        "confirm",
        "E1184",
        "V501393",
        "--by",
        "DS Patel",
        "--reason",
        "passport seen",
    ]);
    assert!(ok(&confirm).contains("recorded: confirm E1184 / V501393"));
    // A second person cannot be confirmed for the same record; an unknown employee is refused.
    let clash = s.store_cmd(&[
        "decide", "confirm", "E1182", "V501393", "--by", "x", "--reason", "y",
    ]);
    assert_eq!(code(&clash), 2);
    assert!(
        stderr(&clash).contains("already confirmed as E1184"),
        "{}",
        stderr(&clash)
    );
    let typo = s.store_cmd(&[
        "decide", "reject", "E9999", "V501386", "--by", "x", "--reason", "y",
    ]);
    assert_eq!(code(&typo), 2);
    assert!(stderr(&typo).contains("E9999 was not on the roster of the latest run"));
    // Bulk import: good rows recorded, bad rows named by line, exit 3.
    let file = s.write(
        "decisions.csv",
        "decision,employee_id,vetting_ref,by,reason\n\
         reject,E1182,V501386,DS Patel,date of birth differs on passport\n\
         confirm,E1183,V501393,DS Patel,clashes with the confirmation above\n\
         sometimes,E1183,V501386,DS Patel,bad verdict\n",
    );
    let imp = s.store_cmd(&["decide", "--import", file.to_str().unwrap()]);
    assert_eq!(code(&imp), 3, "{}", stderr(&imp));
    assert!(stdout(&imp).contains("recorded 1 decisions"));
    assert!(
        stderr(&imp).contains(
            "line 3: column decision: vetting record V501393 is already confirmed as E1184"
        ),
        "{}",
        stderr(&imp)
    );
    assert!(
        stderr(&imp).contains("line 4: column decision"),
        "{}",
        stderr(&imp)
    );

    let n2 = ok(&s.run(&["--as-of", DAY2]));
    assert!(n2.contains("25 exceptions"), "{n2}");
    let matches = rows(&s.read_out("matches.csv"));
    let row = |r: &str| {
        matches
            .iter()
            .find(|m| m["vetting_ref"] == r)
            .unwrap()
            .clone()
    };
    assert_eq!(row("V501393")["decision"], "confirmed");
    assert_eq!(row("V501393")["employee_id"], "E1184");
    // Rejecting E1182 leaves E1183 as the clear best for V501386: no longer ambiguous.
    assert_eq!(row("V501386")["decision"], "auto_link");
    assert_eq!(row("V501386")["employee_id"], "E1183");
    let ex = s.read_out("exceptions.csv");
    assert!(
        !ex.contains("REVIEW_MATCH") && !ex.contains("AMBIGUOUS_MATCH"),
        "{ex}"
    );

    // The first night replays exactly as it was, before any decision.
    let r = ok(&s.store_cmd(&["replay", "20261124-01"]));
    assert!(r.contains("REPLAY OK"), "{r}");

    // Revoke: the pair goes back to review on the next run; history shows it all.
    ok(&s.store_cmd(&[
        "decide",
        "revoke",
        "E1184",
        "V501393",
        "--by",
        "DI Jones",
        "--reason",
        "entered in error",
    ]));
    ok(&s.run(&["--as-of", "2026-11-26"]));
    assert!(s.read_out("exceptions.csv").contains("REVIEW_MATCH"));
    let p = ok(&s.store_cmd(&["person", "E1184"]));
    assert!(
        p.contains("confirmed as the same person as V501393 by DS Patel (passport seen)"),
        "{p}"
    );
    assert!(
        p.contains("decision revoked on V501393 by DI Jones (entered in error)"),
        "{p}"
    );
    assert!(
        p.contains("clearance V501393 RV granted, expires 2035-11-24 (confirmed)"),
        "{p}"
    );
    assert!(p.contains("clearance V501393 no longer linked"), "{p}");
    for run in ["20261124-01", "20261125-01", "20261126-01"] {
        assert!(ok(&s.store_cmd(&["replay", run])).contains("REPLAY OK"));
    }
    assert!(ok(&s.store_cmd(&["verify"])).contains("VERIFY OK: 6 chain entries (3 runs)"));
}

/// Open the raw sled database the way an attacker with file access would.
fn raw_db(db: &Path) -> sled::Db {
    sled::open(db.join("sled")).unwrap()
}

fn verify_fails_with(db: &Path, cwd: &Path, want: &[&str]) {
    let o = vetrecon(
        &[
            "verify".to_string(),
            "--db".to_string(),
            db.display().to_string(),
        ],
        cwd,
    );
    let out = stdout(&o);
    assert_eq!(code(&o), 5, "{out}\n{}", stderr(&o));
    for w in want {
        assert!(out.contains(w), "expected `{w}` in:\n{out}");
    }
}

#[test]
fn verify_names_the_run_that_was_altered_removed_or_reordered() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    ok(&run_night2(&s));
    ok(&s.run(&["--as-of", "2026-11-26"]));
    let store = vetrecon::store::Store::open(&s.db(), "test").unwrap();
    let runs = store.runs().unwrap();
    let night1_exceptions = runs[0].record.outputs[0].sha256.clone();
    drop(store);

    // One byte of a stored payload.
    let a = s.path("a");
    copy_dir(&s.db(), &a);
    {
        // Small payloads live in sled, large ones as files: alter whichever holds it.
        let h = &night1_exceptions;
        let flip = |mut v: Vec<u8>| {
            let at = v.len() / 2;
            v[at] ^= 0x20;
            v
        };
        let file = a.join("objects").join(&h[..2]).join(&h[2..]);
        if file.exists() {
            std::fs::write(&file, flip(std::fs::read(&file).unwrap())).unwrap();
        } else {
            let db = raw_db(&a);
            let tree = db.open_tree("payloads").unwrap();
            let key = vetrecon::store::blob::parse_hex(h).unwrap();
            let v = tree
                .get(key)
                .unwrap()
                .expect("the payload is in sled")
                .to_vec();
            tree.insert(key, flip(v)).unwrap();
            db.flush().unwrap();
        }
    }
    verify_fails_with(
        &a,
        s.dir.path(),
        &["run 20261124-01: output exceptions.csv payload altered"],
    );

    // One byte of a run record (the exception count of night 2).
    let b = s.path("b");
    copy_dir(&s.db(), &b);
    {
        let db = raw_db(&b);
        let chain = db.open_tree("chain").unwrap();
        let v = chain.get(2u64.to_be_bytes()).unwrap().unwrap();
        let text = String::from_utf8(v.to_vec()).unwrap();
        assert!(text.contains("\"exceptions\":28"), "{text}");
        chain
            .insert(
                2u64.to_be_bytes(),
                text.replace("\"exceptions\":28", "\"exceptions\":15")
                    .as_bytes(),
            )
            .unwrap();
        db.flush().unwrap();
    }
    verify_fails_with(&b, s.dir.path(), &["run 20261125-01: altered"]);

    // A run removed from the middle.
    let c = s.path("c");
    copy_dir(&s.db(), &c);
    {
        let db = raw_db(&c);
        db.open_tree("chain")
            .unwrap()
            .remove(2u64.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    verify_fails_with(&c, s.dir.path(), &["entries 2 to 2 removed"]);

    // Two runs swapped.
    let d = s.path("d");
    copy_dir(&s.db(), &d);
    {
        let db = raw_db(&d);
        let chain = db.open_tree("chain").unwrap();
        let one = chain.get(1u64.to_be_bytes()).unwrap().unwrap();
        let two = chain.get(2u64.to_be_bytes()).unwrap().unwrap();
        chain.insert(1u64.to_be_bytes(), two).unwrap();
        chain.insert(2u64.to_be_bytes(), one).unwrap();
        db.flush().unwrap();
    }
    verify_fails_with(
        &d,
        s.dir.path(),
        &["run 20261125-01: reordered", "run 20261124-01: reordered"],
    );

    // The last run removed: the head still names it.
    let e = s.path("e");
    copy_dir(&s.db(), &e);
    {
        let db = raw_db(&e);
        db.open_tree("chain")
            .unwrap()
            .remove(3u64.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    verify_fails_with(
        &e,
        s.dir.path(),
        &["the head names entry 3 but the chain ends at 2"],
    );

    // The untouched store still verifies.
    assert!(ok(&s.store_cmd(&["verify"])).contains("VERIFY OK: 3 chain entries (3 runs)"));
}

#[test]
fn replay_reports_a_difference_plainly_and_exits_5() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    let store = vetrecon::store::Store::open(&s.db(), "test").unwrap();
    let rec = store.runs().unwrap()[0].record.clone();
    drop(store);
    // Make the record claim another summary.txt (as if the run had said something else).
    let summary = rec
        .outputs
        .iter()
        .find(|o| o.name == "summary.txt")
        .unwrap();
    {
        let db = raw_db(&s.db());
        let chain = db.open_tree("chain").unwrap();
        let text =
            String::from_utf8(chain.get(1u64.to_be_bytes()).unwrap().unwrap().to_vec()).unwrap();
        let forged = text.replace(&summary.sha256, &rec.config.sha256);
        chain.insert(1u64.to_be_bytes(), forged.as_bytes()).unwrap();
        db.flush().unwrap();
    }
    let o = s.store_cmd(&["replay", "20261124-01"]);
    assert_eq!(code(&o), 5, "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("summary.txt      DIFFERS"), "{out}");
    assert!(out.contains("exceptions.csv   identical"), "{out}");
    assert!(out.contains("REPLAY DIFFERS: run 20261124-01"), "{out}");
}

#[test]
fn prune_drops_old_inputs_and_the_chain_still_verifies() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    ok(&run_night2(&s));
    ok(&run_changed(&s, "2026-11-26"));
    let too_late = s.store_cmd(&["prune", "--before", "2026-12-31"]);
    assert_eq!(code(&too_late), 2);
    let p = ok(&s.store_cmd(&["prune", "--before", DAY2]));
    // Night 1's roster and vetting differ from later nights; its posts file does not.
    assert!(
        p.starts_with("pruned the input payloads of 1 runs before 2026-11-25 (2 payloads"),
        "{p}"
    );
    let v = ok(&s.store_cmd(&["verify"]));
    assert!(v.contains("VERIFY OK: 4 chain entries (3 runs)"), "{v}");
    let r = s.store_cmd(&["replay", "20261124-01"]);
    assert_eq!(code(&r), 4);
    assert!(
        stderr(&r).contains("inputs of run 20261124-01 were dropped by `vetrecon prune`"),
        "{}",
        stderr(&r)
    );
    for run in ["20261125-01", "20261126-01"] {
        assert!(ok(&s.store_cmd(&["replay", run])).contains("REPLAY OK"));
    }
    let shown = ok(&s.store_cmd(&["show", "20261124-01"]));
    assert!(shown.contains("(payload pruned)"), "{shown}");
    // Outputs are kept: night 1 can still be reported and diffed.
    ok(&s.store_cmd(&[
        "report",
        "20261124-01",
        "--out",
        s.path("r").to_str().unwrap(),
    ]));
    ok(&s.store_cmd(&["diff", "20261124-01", "20261126-01"]));
    let again = ok(&s.store_cmd(&["prune", "--before", DAY2]));
    assert!(again.starts_with("nothing to prune"), "{again}");
}

#[test]
fn kill_9_at_any_stage_leaves_the_store_as_it_was_and_the_next_run_works() {
    let s = Scratch::new();
    let force = generated_force(&s);
    let before = snapshot(&s.db());
    let outputs_before = std::fs::read(s.out().join("exceptions.csv")).unwrap();

    // Killed after writing its payloads, and after flushing them but before the commit.
    for stage in ["blobs-written", "before-commit"] {
        kill_at_pause(spawn_run(&s, &force, DAY2, Some(stage)), stage);
        assert_eq!(snapshot(&s.db()), before, "killed at {stage}");
        assert_eq!(
            std::fs::read(s.out().join("exceptions.csv")).unwrap(),
            outputs_before
        );
        assert!(ok(&s.store_cmd(&["verify"])).contains("VERIFY OK: 1 chain entries"));
    }

    // Random moments: every kill leaves either the old store or a whole committed run.
    let delays_ms = [5u64, 40, 90, 150, 230, 320, 420, 600];
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    for ms in delays_ms {
        let before = snapshot(&s.db());
        let mut child = spawn_run(&s, &force, &day.to_string(), None);
        std::thread::sleep(std::time::Duration::from_millis(ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let after = snapshot(&s.db());
        if status.success() {
            assert_eq!(after.1, before.1 + 1);
            day = day.succ_opt().unwrap();
        } else if after.1 == before.1 {
            assert_eq!(after, before, "killed after {ms} ms: the store changed");
        } else {
            // Killed after the commit point, before the outputs were published.
            assert_eq!(after.1, before.1 + 1, "killed after {ms} ms");
            day = day.succ_opt().unwrap();
        }
        let v = ok(&s.store_cmd(&["verify"]));
        assert!(v.contains("VERIFY OK"), "{v}");
    }

    // Killed just after the commit: the run is kept, its outputs can be re-emitted.
    kill_at_pause(
        spawn_run(&s, &force, &day.to_string(), Some("committed")),
        "committed",
    );
    let runs = vetrecon::store::Store::open(&s.db(), "test")
        .unwrap()
        .runs()
        .unwrap();
    let last = runs.last().unwrap().record.clone();
    assert_eq!(last.as_of, day.to_string());
    ok(&s.store_cmd(&["report", &last.run_id, "--out", s.out().to_str().unwrap()]));
    assert_eq!(
        vetrecon::ingest::hex_sha256(&std::fs::read(s.out().join("exceptions.csv")).unwrap()),
        last.outputs[0].sha256
    );

    // And the next night runs normally, leaving no temporary files of its own behind. The
    // ones the killed runs left stay: nothing proves vetrecon made them, so it removes
    // nothing it did not create in this process (it names them in a warning).
    let left = temp_files(&s);
    let next = day.succ_opt().unwrap().to_string();
    let mut child = spawn_run(&s, &force, &next, None);
    assert!(child.wait().unwrap().success());
    assert_eq!(temp_files(&s), left);
    assert!(ok(&s.store_cmd(&["replay", &last.run_id])).contains("REPLAY OK"));
    assert!(ok(&s.store_cmd(&["verify"])).contains("VERIFY OK"));
}
