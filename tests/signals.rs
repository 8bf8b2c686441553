//! SIGTERM and SIGINT through the binary: before the commit a run stops with exit 1, the
//! store exactly as it was and no temporary files; after the commit it finishes. A loop of
//! signals and `kill -9` at random moments then proves the store always verifies and the
//! next night always runs. `VETRECON_LONG_TESTS=1` runs the loop 200 times instead of 12.

#![cfg(unix)]

mod common;

use common::*;
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};

fn signal(child: &std::process::Child, sig: i32) {
    // SAFETY: kill(2) on a child we spawned and have not reaped.
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
}

fn finish(mut child: std::process::Child) -> (i32, String) {
    use std::io::Read;
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), err)
}

fn ok_verify(s: &Scratch) {
    let v = s.store_cmd(&["verify"]);
    assert_eq!(code(&v), 0, "{}{}", stdout(&v), stderr(&v));
    assert!(stdout(&v).contains("VERIFY OK"));
}

#[test]
fn a_signal_before_the_commit_exits_1_and_leaves_store_and_outputs_as_they_were() {
    let s = Scratch::new();
    let force = generated_force(&s);
    let before = snapshot(&s.db());
    let outputs_before = std::fs::read(s.out().join("exceptions.csv")).unwrap();
    for (stage, sig) in [
        ("ingested", libc::SIGTERM),
        ("blobs-written", libc::SIGTERM),
        ("staged", libc::SIGTERM),
        ("staged", libc::SIGINT),
    ] {
        let mut child = spawn_run(&s, &force, "2026-11-25", Some(stage));
        let rest = wait_for_pause(&mut child, stage);
        signal(&child, sig);
        let err: Vec<String> = rest.map_while(Result::ok).collect();
        let code = child.wait().unwrap().code();
        assert_eq!(code, Some(1), "{stage}: {err:?}");
        let name = if sig == libc::SIGTERM {
            "SIGTERM"
        } else {
            "SIGINT"
        };
        assert!(
            err.iter()
                .any(|l| l.contains(&format!("interrupted by {name}"))),
            "{stage}: {err:?}"
        );
        assert_eq!(snapshot(&s.db()), before, "{stage}: the store changed");
        no_temp_files(&s);
        assert_eq!(
            std::fs::read(s.out().join("exceptions.csv")).unwrap(),
            outputs_before,
            "{stage}"
        );
        ok_verify(&s);
    }
}

#[test]
fn a_signal_after_the_commit_lets_the_run_finish() {
    let s = Scratch::new();
    let force = generated_force(&s);
    let before = snapshot(&s.db());
    let mut child = spawn_run(&s, &force, "2026-11-25", Some("committed"));
    let rest = wait_for_pause(&mut child, "committed");
    signal(&child, libc::SIGTERM);
    let err: Vec<String> = rest.map_while(Result::ok).collect();
    assert_eq!(child.wait().unwrap().code(), Some(0), "{err:?}");
    assert!(
        err.iter()
            .any(|l| l.contains("the run was completed, not stopped")),
        "{err:?}"
    );
    let after = snapshot(&s.db());
    assert_eq!(after.1, before.1 + 1);
    let store = vetrecon::store::Store::open(&s.db(), "test").unwrap();
    let last = store.runs().unwrap().pop().unwrap().record;
    drop(store);
    assert_eq!(
        vetrecon::ingest::hex_sha256(&std::fs::read(s.out().join("exceptions.csv")).unwrap()),
        last.outputs[0].sha256,
        "the committed run's outputs are in place"
    );
    no_temp_files(&s);
    ok_verify(&s);
}

#[test]
fn signals_and_kill_9_at_random_moments_never_break_the_store() {
    let s = Scratch::new();
    let force = generated_force(&s);
    // How long a whole run takes here, so the moments cover all of it.
    let t = Instant::now();
    let (c, err) = finish(spawn_run(&s, &force, "2026-11-25", None));
    assert_eq!(c, 0, "{err}");
    let span = t.elapsed().as_millis() as u64 + 50;
    let rounds = if std::env::var("VETRECON_LONG_TESTS").is_ok() {
        200
    } else {
        12
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let mut outcomes = [0usize; 3]; // stopped cleanly, killed, finished
    for round in 0..rounds {
        let before = snapshot(&s.db());
        // A kill -9 may leave staged files; they are left where they are (vetrecon removes
        // only what this process created), and no later run adds to them.
        let leftovers = temp_files(&s);
        let child = spawn_run(&s, &force, &day.to_string(), None);
        let wait = rng.random_range(0..span);
        let hard = round % 3 == 2;
        std::thread::sleep(Duration::from_millis(wait));
        signal(&child, if hard { libc::SIGKILL } else { libc::SIGTERM });
        let (c, err) = finish(child);
        let after = snapshot(&s.db());
        let what = format!(
            "round {round}, {} after {wait} ms",
            if hard { "kill -9" } else { "SIGTERM" }
        );
        match c {
            0 => {
                // It finished (or the signal came after the commit).
                assert_eq!(after.1, before.1 + 1, "{what}");
                outcomes[2] += 1;
            }
            1 if !hard => {
                assert!(err.contains("interrupted by SIGTERM"), "{what}: {err}");
                assert_eq!(after, before, "{what}: the store changed");
                let left = temp_files(&s);
                assert!(
                    left.iter().all(|f| leftovers.contains(f)),
                    "{what}: the run left {left:?}"
                );
                outcomes[0] += 1;
            }
            -1 if hard => {
                // Killed outright: either the old store or a whole committed run.
                assert!(after == before || after.1 == before.1 + 1, "{what}");
                outcomes[1] += 1;
            }
            other => panic!("{what}: exit {other}: {err}"),
        }
        if after.1 > before.1 {
            day = day.succ_opt().unwrap();
        }
        ok_verify(&s);
    }
    eprintln!("stopped cleanly, killed, finished: {outcomes:?} over {rounds} rounds of {span} ms");
    assert!(
        outcomes[0] > 0,
        "no SIGTERM landed before the commit: {outcomes:?}"
    );
    // And the next night runs normally, leaving no temporary files of its own behind.
    let left = temp_files(&s);
    let (c, err) = finish(spawn_run(&s, &force, &day.to_string(), None));
    assert_eq!(c, 0, "{err}");
    assert_eq!(temp_files(&s), left);
    ok_verify(&s);
}
