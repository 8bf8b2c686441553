//! The audit store end to end through the binary: history commands, clerical decisions,
//! replay, tamper detection, retention, and crash safety under `kill -9`; links planted in
//! the store, a database that lost history, reading a store without writing to it, the
//! retention horizon, and a chain head kept outside the store.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const DAY2: &str = "2026-11-25";

/// Night 2 of the demo: E1100 moves to a post missing from the register (a new
/// UNKNOWN_POST) and the orphan clearance V501414 leaves the vetting export (resolved).
/// The demo night's exceptions, as its answer key counts them. Night 2 (`night2_files`) has
/// as many: one resolved, one new.
fn demo_total() -> usize {
    rows(&std::fs::read_to_string(demo("expected_exceptions.csv")).unwrap()).len()
}

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

/// `vetrecon decide confirm E1184 V501393` (the demo's review pair), by DS Patel.
fn confirm_e1184(s: &Scratch) -> std::process::Output {
    s.store_cmd(&[
        "decide",
        "confirm",
        "E1184",
        "V501393",
        "--by",
        "DS Patel",
        "--reason",
        "passport seen",
    ])
}

/// `vetrecon report RUN --with-links` into `again/`, which it returns.
fn report_with_links(s: &Scratch, run: &str) -> PathBuf {
    let again = s.path("again");
    ok(&s.store_cmd(&[
        "report",
        run,
        "--out",
        again.to_str().unwrap(),
        "--with-links",
    ]));
    again
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
    // Both of the night's learnt models, the second pass's included.
    assert!(shown.contains("m learnt tonight by EM"), "{shown}");
    assert!(
        shown
            .contains("second pass: m learnt again once the first pass's links widened the roster"),
        "{shown}"
    );
    assert!(
        shown.contains("ORPHAN_CLEARANCE                 3"),
        "{shown}"
    );

    // report re-emits night 1 byte for byte, though night 2 has overwritten out/.
    let again = report_with_links(&s, "20261124-01");
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
        d.starts_with(&format!(
            "exceptions from 20261124-01 to 20261125-01: 1 new, 1 resolved, {} persisting",
            demo_total() - 1
        )),
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
    assert!(n1.contains(&format!("{} exceptions", demo_total())), "{n1}");
    let confirm = confirm_e1184(&s);
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
    // The confirmation settles E1184's NO_CLEARANCE and REVIEW_MATCH; the rejection the
    // ambiguous match.
    assert!(
        n2.contains(&format!("{} exceptions", demo_total() - 3)),
        "{n2}"
    );
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
        let count = format!("\"exceptions\":{}", demo_total());
        assert!(text.contains(&count), "{text}");
        chain
            .insert(
                2u64.to_be_bytes(),
                text.replace(&count, "\"exceptions\":15").as_bytes(),
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

// ---- links, damage, reading, retention, anchoring ----------------------------------------

/// Every file and directory under `dir`, with its mode and a hash of its contents: what a
/// command that only reads must leave exactly as it was.
fn fingerprint(dir: &Path) -> Vec<(PathBuf, u32, String)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let m = std::fs::symlink_metadata(e.path()).unwrap();
            let content = if m.is_dir() {
                todo.push(e.path());
                String::new()
            } else {
                vetrecon::ingest::hex_sha256(&std::fs::read(e.path()).unwrap())
            };
            out.push((e.path(), m.permissions().mode() & 0o7777, content));
        }
    }
    out.sort();
    out
}

/// The payload files in `objects/`.
fn payload_files(db: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fingerprint(&db.join("objects"))
        .into_iter()
        .map(|(p, _, _)| p)
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

fn refused_as_link(o: &std::process::Output, link: &Path) {
    assert_eq!(code(o), 4, "{}{}", stdout(o), stderr(o));
    let want = format!("{} is a link inside a vetrecon store", link.display());
    assert!(stderr(o).contains(&want), "{}", stderr(o));
    assert!(!stdout(o).contains("VERIFY OK"), "{}", stdout(o));
}

#[test]
fn a_link_planted_in_the_store_is_refused_and_nothing_is_written_through_it() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    // `objects` moved elsewhere and a link left in its place: the night's payloads would go
    // there (out of the store, out of retention's reach) and verify would pass.
    let elsewhere = s.path("elsewhere");
    let objects = s.db().join("objects");
    std::fs::rename(&objects, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &objects).unwrap();
    let before = fingerprint(&elsewhere);
    refused_as_link(&run_night2(&s), &objects);
    assert_eq!(
        fingerprint(&elsewhere),
        before,
        "nothing written through it"
    );
    refused_as_link(&s.store_cmd(&["verify"]), &objects);
    refused_as_link(&s.store_cmd(&["runs"]), &objects);
    std::fs::remove_file(&objects).unwrap();
    std::fs::rename(&elsewhere, &objects).unwrap();
    assert!(ok(&s.store_cmd(&["verify"])).contains("VERIFY OK"));

    // A payload file replaced by a link to the same bytes kept elsewhere.
    let file = payload_files(&s.db()).remove(0);
    let kept = s.path("kept-payload");
    std::fs::rename(&file, &kept).unwrap();
    std::os::unix::fs::symlink(&kept, &file).unwrap();
    refused_as_link(&s.store_cmd(&["verify"]), &file);
    refused_as_link(&run_night2(&s), &file);
    std::fs::remove_file(&file).unwrap();
    std::fs::rename(&kept, &file).unwrap();

    // A payload directory, and the database directory.
    for inner in [file.parent().unwrap().to_path_buf(), s.db().join("sled")] {
        let away = s.path("away");
        std::fs::rename(&inner, &away).unwrap();
        std::os::unix::fs::symlink(&away, &inner).unwrap();
        refused_as_link(&s.store_cmd(&["show", "20261124-01"]), &inner);
        refused_as_link(&run_night2(&s), &inner);
        std::fs::remove_file(&inner).unwrap();
        std::fs::rename(&away, &inner).unwrap();
    }
    ok(&run_night2(&s));
    assert!(ok(&s.store_cmd(&["verify"])).contains("VERIFY OK: 2 chain entries"));
}

/// Every command on a damaged store: `verify` fails (exit 5) naming the damage, every other
/// exits 6 with the restore hint, and the store is left byte for byte as it was found (not
/// one payload file goes, and the damaged database is not handed to sled's recovery).
fn every_command_refuses_a_damaged_store(s: &Scratch, want: &str) {
    let found = fingerprint(&s.db());
    let v = s.store_cmd(&["verify"]);
    assert_eq!(code(&v), 5, "{}{}", stdout(&v), stderr(&v));
    assert!(
        stdout(&v).contains("FAIL the store is damaged") && stdout(&v).contains(want),
        "{}",
        stdout(&v)
    );
    let report_dir = s.path("damaged-report");
    let r = report_dir.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["runs"],
        vec!["show", "20261124-01"],
        vec!["person", "E1182"],
        vec!["diff", "20261124-01", "20261125-01"],
        vec!["replay", "20261124-01"],
        vec!["report", "20261124-01", "--out", r],
        vec!["prune", "--before", DAY2],
        vec![
            "decide", "confirm", "E1182", "V501393", "--by", "x", "--reason", "y",
        ],
    ];
    for args in commands {
        let o = s.store_cmd(&args);
        assert_eq!(code(&o), 6, "{}: {}", args[0], stderr(&o));
        assert!(stderr(&o).contains(want), "{}: {}", args[0], stderr(&o));
        assert!(stderr(&o).contains("restore the whole store directory from the last backup"));
    }
    let o = s.run(&["--as-of", "2026-11-27"]);
    assert_eq!(code(&o), 6, "{}", stderr(&o));
    let o = s.check(&["--as-of", "2026-11-27"]);
    assert_eq!(code(&o), 6, "{}", stderr(&o));
    assert_eq!(fingerprint(&s.db()), found, "the store changed");
    assert!(!report_dir.exists());
}

#[test]
fn a_database_cut_short_is_refused_by_every_command_and_nothing_is_deleted() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    ok(&run_night2(&s));
    ok(&run_changed(&s, "2026-11-26"));
    // sled opens a database cut short as the part before the cut: here, a pending list and
    // no commit (a store that looks empty, whose next open would delete 145 payloads).
    let sled = s.db().join("sled");
    for e in std::fs::read_dir(&sled).unwrap() {
        let e = e.unwrap();
        if e.file_name().to_string_lossy().starts_with("snap.") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    let db = std::fs::OpenOptions::new()
        .write(true)
        .open(sled.join("db"))
        .unwrap();
    let len = db.metadata().unwrap().len();
    db.set_len(len / 10).unwrap();
    drop(db);
    every_command_refuses_a_damaged_store(
        &s,
        "its database ends at chain entry 0, but the last commit wrote entry 3 (chain-head)",
    );
}

#[test]
fn a_database_older_than_its_payload_files_is_refused() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    let night1 = s.path("night1");
    copy_dir(&s.db(), &night1);
    ok(&run_night2(&s));
    ok(&run_changed(&s, "2026-11-26"));
    // The database (and its kept head) restored from night 1's backup, objects/ not: the
    // payload files of nights 2 and 3 are unknown to it.
    std::fs::remove_dir_all(s.db().join("sled")).unwrap();
    copy_dir(&night1.join("sled"), &s.db().join("sled"));
    std::fs::copy(night1.join("chain-head"), s.db().join("chain-head")).unwrap();
    assert!(payload_files(&s.db()).len() > payload_files(&night1).len());
    every_command_refuses_a_damaged_store(
        &s,
        "payload files in objects/ are unknown to its database",
    );
}

/// `cp -a`: a copy that keeps file times, as a backup tool does.
fn cp(from: &Path, to: &Path) {
    let o = std::process::Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_database_restored_with_its_seal_and_times_is_still_refused_and_left_as_found() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    // A backup that keeps file times (cp -a, rsync -a, tar): the database, its kept head and
    // its seal agree with each other, so the seal holds on the restored files.
    let night1 = s.path("night1");
    cp(&s.db(), &night1);
    assert!(
        night1.join("sled-seal").is_file(),
        "a run seals its database"
    );
    ok(&run_night2(&s));
    ok(&run_changed(&s, "2026-11-26"));
    std::fs::remove_dir_all(s.db().join("sled")).unwrap();
    cp(&night1.join("sled"), &s.db().join("sled"));
    for f in ["chain-head", "sled-seal"] {
        std::fs::remove_file(s.db().join(f)).unwrap();
        cp(&night1.join(f), &s.db().join(f));
    }
    every_command_refuses_a_damaged_store(
        &s,
        "payload files in objects/ are unknown to its database",
    );
}

#[test]
fn a_database_restored_with_its_seal_from_before_a_decision_is_refused_and_left_as_found() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    let backup = s.path("backup");
    cp(&s.db(), &backup);
    // A decision commits a chain entry and writes no payload file: only the kept head
    // tells the restored database from the one that recorded it.
    let files = payload_files(&s.db()).len();
    ok(&s.store_cmd(&[
        "decide",
        "reject",
        "E1182",
        "V501393",
        "--by",
        "DS Patel",
        "--reason",
        "not the same person",
    ]));
    assert_eq!(payload_files(&s.db()).len(), files);
    std::fs::remove_dir_all(s.db().join("sled")).unwrap();
    cp(&backup.join("sled"), &s.db().join("sled"));
    std::fs::remove_file(s.db().join("sled-seal")).unwrap();
    cp(&backup.join("sled-seal"), &s.db().join("sled-seal"));
    let found = fingerprint(&s.db());
    let o = s.run(&["--as-of", "2026-11-25"]);
    assert_eq!(code(&o), 6, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the last commit wrote entry"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fingerprint(&s.db()), found, "the store changed");
}

/// `vetrecon` with its own `TMPDIR` (where a reading command copies the database).
fn with_tmpdir(s: &Scratch, tmp: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vetrecon"))
        .args(args)
        .args(["--db", s.db().to_str().unwrap()])
        .env("TMPDIR", tmp)
        .env_remove("RUST_LOG")
        .current_dir(s.dir.path())
        .output()
        .unwrap()
}

#[test]
fn reading_commands_change_nothing_in_the_store_and_read_it_beside_each_other() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    ok(&s.run(&[]));
    ok(&run_night2(&s));
    let tmp = s.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // The store as an auditor's archive: nothing in it writable (for a user other than
    // root this is read-only media; for root the fingerprint below is the proof).
    let before = fingerprint(&s.db());
    for (p, mode, _) in &before {
        let ro = if p.is_dir() { 0o500 } else { 0o400 };
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode & ro)).unwrap();
    }
    std::fs::set_permissions(s.db(), std::fs::Permissions::from_mode(0o500)).unwrap();
    let archived = fingerprint(&s.db());
    // Another reader holds the store meanwhile: readers share it.
    let reader = vetrecon::store::Store::open_read(&s.db()).unwrap();
    let report_dir = s.path("report");
    let commands: Vec<Vec<&str>> = vec![
        vec!["runs"],
        vec!["show", "20261125-01"],
        vec!["person", "E1100"],
        vec!["diff", "20261124-01", "20261125-01"],
        vec!["replay", "20261125-01"],
        vec!["verify"],
        vec![
            "report",
            "20261124-01",
            "--out",
            report_dir.to_str().unwrap(),
        ],
    ];
    for args in &commands {
        let o = with_tmpdir(&s, &tmp, args);
        assert_eq!(code(&o), 0, "{}: {}", args[0], stderr(&o));
        assert_eq!(
            fingerprint(&s.db()),
            archived,
            "{} changed the store",
            args[0]
        );
    }
    let c = s.check(&["--as-of", "2026-11-26"]);
    assert_eq!(code(&c), 0, "{}", stderr(&c));
    assert!(stdout(&with_tmpdir(&s, &tmp, &["runs"])).contains("20261125-01"));
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "each private copy of the database was removed"
    );
    // A command that writes waits for no reader: it is refused, and says why.
    let o = s.run(&["--as-of", "2026-11-26"]);
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("one reading it names no holder"),
        "{}",
        stderr(&o)
    );
    drop(reader);
    assert_eq!(fingerprint(&s.db()), archived);
    // Given back its modes, the store takes the next night.
    for (p, mode, _) in before.iter().rev() {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(*mode)).unwrap();
    }
    std::fs::set_permissions(s.db(), std::fs::Permissions::from_mode(0o700)).unwrap();
    ok(&s.run(&["--as-of", "2026-11-26"]));
}

#[test]
fn a_night_before_the_retention_horizon_is_refused_unless_past_retention_then_pruned_again() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    ok(&run_changed(&s, "2026-11-26"));
    ok(&run_changed(&s, "2026-11-27"));
    assert!(ok(&s.store_cmd(&["prune", "--before", "2026-11-26"])).starts_with("pruned"));
    let runs_before = stdout(&s.list_runs());
    // The demo roster is night 1's, whose inputs retention removed: storing it again
    // (a backfill, or a rerun of the pruned night) is refused.
    for extra in [
        vec!["--as-of", DAY2, "--backfill"],
        vec!["--rerun", "--backfill"],
    ] {
        let o = s.run(&extra);
        assert_eq!(code(&o), 2, "{extra:?}: {}", stderr(&o));
        assert!(
            stderr(&o)
                .contains("is before 2026-11-26, up to which `vetrecon prune` removed the inputs"),
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("--past-retention"), "{}", stderr(&o));
    }
    assert_eq!(stdout(&s.list_runs()), runs_before, "nothing was committed");
    let c = s.check(&["--as-of", DAY2]);
    assert!(
        stdout(&c).contains("needs --past-retention"),
        "{}",
        stdout(&c)
    );

    // Told to, it commits the night and prunes its inputs again at once.
    let o = s.run(&["--as-of", DAY2, "--backfill", "--past-retention"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("pruned the inputs of nights before the retention horizon again"));
    let roster = vetrecon::ingest::hex_sha256(&std::fs::read(demo("roster.csv")).unwrap());
    {
        let store = vetrecon::store::Store::open_read(&s.db()).unwrap();
        assert_eq!(
            store.check_blob(&roster).unwrap(),
            vetrecon::store::BlobState::Missing,
            "the roster retention removed is not kept again"
        );
        let runs = store.runs().unwrap();
        let night = runs.iter().find(|r| r.record.as_of == DAY2).unwrap();
        assert_eq!(night.record.inputs[0].sha256, roster);
    }
    assert!(ok(&s.store_cmd(&["show", "20261125-01"])).contains("(payload pruned)"));
    let r = s.store_cmd(&["replay", "20261125-01"]);
    assert_eq!(code(&r), 4, "{}", stderr(&r));
    assert!(ok(&s.store_cmd(&["verify"])).contains("VERIFY OK: 6 chain entries (4 runs)"));
}

/// The head `verify` prints.
fn head_of(s: &Scratch) -> String {
    let v = ok(&s.store_cmd(&["verify"]));
    v.rsplit("head ")
        .next()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn verify_checks_a_head_kept_outside_the_store_so_a_rewritten_chain_fails() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    let first = head_of(&s);
    assert!(
        s.read_out("chain.txt").contains(&first),
        "the night gives its head out"
    );
    ok(&run_night2(&s));
    let second = head_of(&s);
    let v = ok(&s.store_cmd(&["verify", "--expect-head", &first]));
    assert!(
        v.contains(&format!(
            "expected head {first}: it is entry 1; 1 entries were committed after it"
        )),
        "{v}"
    );
    let v = ok(&s.store_cmd(&["verify", "--expect-head", &second.to_uppercase()]));
    assert!(v.contains("it is the head (entry 2)"), "{v}");
    assert_eq!(code(&s.store_cmd(&["verify", "--expect-head", "abc"])), 2);

    // Someone with write access rewrites night 1's record and recomputes every hash after
    // it (and the kept head): the chain is consistent, and verify alone cannot tell.
    {
        let db = raw_db(&s.db());
        let chain = db.open_tree("chain").unwrap();
        let mut e1: serde_json::Value =
            serde_json::from_slice(&chain.get(1u64.to_be_bytes()).unwrap().unwrap()).unwrap();
        e1["exceptions"] = serde_json::json!(3);
        let b1 = serde_json::to_vec(&e1).unwrap();
        let mut e2: serde_json::Value =
            serde_json::from_slice(&chain.get(2u64.to_be_bytes()).unwrap().unwrap()).unwrap();
        e2["prev_hash"] = serde_json::json!(vetrecon::ingest::hex_sha256(&b1));
        let b2 = serde_json::to_vec(&e2).unwrap();
        let head = serde_json::json!({"seq": 2, "hash": vetrecon::ingest::hex_sha256(&b2)});
        chain.insert(1u64.to_be_bytes(), b1).unwrap();
        chain.insert(2u64.to_be_bytes(), b2).unwrap();
        db.open_tree("meta")
            .unwrap()
            .insert("head", head.to_string().as_bytes())
            .unwrap();
        db.flush().unwrap();
        std::fs::write(s.db().join("chain-head"), head.to_string()).unwrap();
    }
    assert!(ok(&s.store_cmd(&["verify"])).contains("VERIFY OK"));
    let v = s.store_cmd(&["verify", "--expect-head", &second]);
    assert_eq!(code(&v), 5, "{}", stdout(&v));
    assert!(
        stdout(&v).contains(&format!(
            "FAIL the expected head {second} is no entry of this chain"
        )),
        "{}",
        stdout(&v)
    );
}

#[test]
fn verify_names_foreign_files_and_loose_modes_and_a_run_tightens_only_its_own() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    ok(&s.run(&[]));
    let objects = s.db().join("objects");
    let shard = payload_files(&s.db())[0].parent().unwrap().to_path_buf();
    let notes = objects.join("notes.txt");
    let stray = shard.join("README");
    std::fs::write(&notes, "someone's notes").unwrap();
    std::fs::write(&stray, "?").unwrap();
    let sled_db = s.db().join("sled").join("db");
    std::fs::set_permissions(&sled_db, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&shard, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

    let v = ok(&s.store_cmd(&["verify"]));
    assert!(v.contains("VERIFY OK"), "{v}");
    assert!(
        v.contains("WARN 2 files in objects/ that vetrecon did not write")
            && v.contains(notes.to_str().unwrap())
            && v.contains(stray.to_str().unwrap()),
        "{v}"
    );
    assert!(
        v.contains("WARN 2 files and directories open to group or others")
            && v.contains(sled_db.to_str().unwrap())
            && v.contains(shard.to_str().unwrap()),
        "{v}"
    );
    assert_eq!(mode(&sled_db), 0o644, "verify changes nothing");

    let o = s.run(&["--rerun"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("made owner-only again"),
        "{}",
        stderr(&o)
    );
    assert_eq!((mode(&sled_db), mode(&shard)), (0o600, 0o700));
    assert!(
        notes.exists() && stray.exists(),
        "foreign files are never deleted"
    );
    let v = ok(&s.store_cmd(&["verify"]));
    assert!(!v.contains("open to group or others"), "{v}");
    assert!(v.contains("WARN 2 files in objects/"), "{v}");
}

#[test]
fn a_prune_covers_an_input_an_earlier_prune_dropped_that_a_later_night_stored_again() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    ok(&run_night2(&s));
    ok(&s.store_cmd(&["prune", "--before", DAY2]));
    // Night 3 reads night 1's files again (an export re-sent): their payloads are stored
    // again, for a night after the horizon.
    ok(&s.run(&["--as-of", "2026-11-26", "--accept-change"]));
    ok(&run_changed(&s, "2026-11-27"));
    let p = ok(&s.store_cmd(&["prune", "--before", "2026-11-27"]));
    assert!(p.starts_with("pruned"), "{p}");
    // Night 3's inputs are recorded as pruned for night 3, not merely deleted.
    assert!(ok(&s.store_cmd(&["verify"])).contains("VERIFY OK"));
    let r = s.store_cmd(&["replay", "20261126-01"]);
    assert_eq!(code(&r), 4, "{}", stderr(&r));
}

/// The demo night's store as vetrecon 0.7.0 wrote it (`tests/data/store-0.7.0`, which kept
/// links.csv and the explain buckets before the link record), copied in as `s`'s store,
/// owner-only as a store is.
fn store_from_0_7_0(s: &Scratch) {
    use std::os::unix::fs::PermissionsExt;
    copy_dir(&root().join("tests/data/store-0.7.0"), &s.db());
    for e in walk(&s.db()) {
        let mode = if e.is_dir() { 0o700 } else { 0o600 };
        std::fs::set_permissions(&e, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_store_written_by_0_7_0_reports_replays_verifies_and_takes_the_next_night() {
    let s = Scratch::new();
    store_from_0_7_0(&s);
    let again = report_with_links(&s, "20261124-01");
    assert_eq!(
        std::fs::read(again.join("links.csv")).unwrap(),
        std::fs::read(root().join("tests/data/golden/demo_links_0_7_0.csv")).unwrap(),
        "links.csv as 0.7.0 stored it"
    );
    // Replayed by this version, the old night renders the same links.csv from the link
    // record this version makes, and every output is the same but those that print the
    // version that made them, which replay names as the likely cause.
    let o = s.store_cmd(&["replay", "20261124-01"]);
    let replay = stdout(&o);
    assert_eq!(code(&o), 5, "{replay}");
    assert!(replay.contains("links.csv        identical"), "{replay}");
    for name in [
        "exceptions.csv",
        "matches.csv",
        "changes.csv",
        "person index",
    ] {
        assert!(
            replay.contains(&format!("{name:<16} identical")),
            "{name}: {replay}"
        );
    }
    let differ: Vec<&str> = (replay.lines())
        .filter(|l| l.ends_with(" DIFFERS"))
        .map(|l| l.trim().trim_end_matches(" DIFFERS").trim())
        .collect();
    assert_eq!(
        differ,
        ["summary.txt", "report.html", "exceptions.xlsx", "trend.csv"],
        "only the outputs that print the version, and trend.csv, which lists every code this version knows: {replay}"
    );

    assert!(
        replay.contains(&format!(
            "made by vetrecon 0.7.0 and this is vetrecon {}",
            env!("CARGO_PKG_VERSION")
        )),
        "{replay}"
    );
    assert!(ok(&s.store_cmd(&["verify"])).contains("VERIFY OK"));

    // The next night is stored with a link record, and reads back the same way. The demo's
    // roster has gained last_integrity_review, its post register revet_on_appointment and its
    // export the casework columns since 0.7.0 stored its night, so the header guard asks for
    // the change to be accepted (naming the first file read, the roster), as a force would
    // after its supplier's upgrade.
    let (roster, vetting) = night2_files(&s);
    let refused = run_night2(&s);
    assert_eq!(code(&refused), 3, "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("new column `last_integrity_review`"),
        "{}",
        stderr(&refused)
    );
    ok(&s.run(&[
        "--as-of",
        DAY2,
        "--roster",
        roster.to_str().unwrap(),
        "--vetting",
        vetting.to_str().unwrap(),
        "--accept-change",
    ]));
    let store = vetrecon::store::Store::open_read(&s.db()).unwrap();
    let runs = store.runs().unwrap();
    let (old, new) = (&runs[0].record, &runs[1].record);
    assert!(old.links_detail.is_some() && old.link_record.is_none());
    assert!(new.links_detail.is_none() && new.explain.is_empty());
    assert_eq!(new.link_record.as_ref().unwrap().buckets.len(), 64);
    drop(store);
    let replay = ok(&s.store_cmd(&["replay", "20261125-01"]));
    assert!(replay.contains("REPLAY OK"), "{replay}");
    assert!(replay.contains("link record      identical"), "{replay}");
    let shown = ok(&s.store_cmd(&["show", "20261125-01"]));
    assert!(shown.contains("link record"), "{shown}");
    assert!(ok(&s.store_cmd(&["verify"])).contains("VERIFY OK: 2 chain entries"));
}

/// A PND return whose pnd_ref is also a vetting reference is rejected, as every night
/// rejects it; a decision about that vetting record reads the pair's rows alone, where the
/// PND file cut to that one rejected row is not a file to judge by its share of rejects.
#[test]
fn a_decision_on_a_reference_a_rejected_pnd_return_also_uses_is_recorded() {
    let s = Scratch::new();
    let pnd = std::fs::read_to_string(demo("pnd_returns.csv")).unwrap()
        + "V501393,Doe,Jane,1980-01-01,,2026-10-01,arrest\n";
    let pnd = s.write("pnd.csv", &pnd);
    ok(&s.run(&["--pnd-returns", pnd.to_str().unwrap()]));
    let confirm = confirm_e1184(&s);
    assert!(
        ok(&confirm).contains("recorded: confirm E1184 / V501393"),
        "{}",
        stderr(&confirm)
    );
}
