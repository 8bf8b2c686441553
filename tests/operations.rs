//! What the overnight operator relies on: exit codes, refusal without side effects, the
//! store lock, safe outputs and logs without personal data.

mod common;
use common::*;

fn demo_text(file: &str) -> String {
    std::fs::read_to_string(demo(file)).unwrap()
}

fn committed_runs(s: &Scratch) -> usize {
    if !s.db().exists() {
        return 0;
    }
    vetrecon::store::Store::open(&s.db(), "test")
        .unwrap()
        .runs()
        .unwrap()
        .len()
}

#[test]
fn a_missing_input_file_exits_3_and_commits_nothing() {
    let s = Scratch::new();
    let o = s.run(&["--roster", "/nonexistent/roster.csv"]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(stderr(&o).contains("/nonexistent/roster.csv"));
    assert!(!s.out().exists(), "no outputs may be written");
    assert_eq!(committed_runs(&s), 0);
}

#[test]
fn a_missing_column_exits_3_naming_file_and_column() {
    let s = Scratch::new();
    let text = demo_text("roster.csv").replacen("date_of_birth", "dob", 1);
    let roster = s.write("roster.csv", &text);
    let o = s.run(&["--roster", roster.to_str().unwrap()]);
    assert_eq!(code(&o), 3);
    let err = stderr(&o);
    assert!(
        err.contains("roster.csv") && err.contains("`date_of_birth`"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(committed_runs(&s), 0);
}

#[test]
fn too_many_rejects_exits_3_and_keeps_yesterdays_outputs() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let before = s.read_out("exceptions.csv");
    // Corrupt the dates of birth of 5% of the roster.
    let mut lines: Vec<String> = demo_text("roster.csv")
        .lines()
        .map(str::to_string)
        .collect();
    for line in lines.iter_mut().skip(1).step_by(20) {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        cells[4] = "31/02/1980".into();
        *line = cells.join(",");
    }
    let roster = s.write("bad_roster.csv", &(lines.join("\n") + "\n"));
    let o = s.run(&["--roster", roster.to_str().unwrap()]);
    assert_eq!(code(&o), 3);
    assert!(stderr(&o).contains("rows rejected"), "{}", stderr(&o));
    assert_eq!(
        s.read_out("exceptions.csv"),
        before,
        "a refused run must not touch the outputs"
    );
    assert_eq!(committed_runs(&s), 1);
    let leftovers: Vec<_> = std::fs::read_dir(s.out())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        vetrecon::report::RUN_OUTPUTS.len(),
        "no temporary files left behind: {leftovers:?}"
    );
    assert!(leftovers
        .iter()
        .all(|n| !n.to_string_lossy().starts_with('.')));
}

#[test]
fn a_roster_with_a_header_and_no_rows_is_refused() {
    let s = Scratch::new();
    let header = demo_text("roster.csv").lines().next().unwrap().to_string() + "\n";
    let roster = s.write("roster.csv", &header);
    let o = s.run(&["--roster", roster.to_str().unwrap()]);
    assert_eq!(
        code(&o),
        3,
        "an empty roster must not turn every clearance into an orphan"
    );
    assert_eq!(committed_runs(&s), 0);
}

#[test]
fn a_bad_config_exits_2() {
    let s = Scratch::new();
    let cfg = s.write("bad.toml", "[linking]\nauto_link_probability = 1.5\n");
    let o = s.run(&["--config", cfg.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("auto_link_probability"),
        "{}",
        stderr(&o)
    );
    let o = s.run(&["--as-of", "24/11/2026"]);
    assert_eq!(code(&o), 2, "a usage error is exit 2");
}

#[test]
fn a_locked_store_exits_4() {
    let s = Scratch::new();
    let held = vetrecon::store::Store::open(&s.db(), "test").unwrap();
    let o = s.run(&[]);
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(stderr(&o).contains("locked"), "{}", stderr(&o));
    drop(held);
    assert_eq!(code(&s.run(&[])), 0);
}

#[test]
fn formula_cells_are_neutralised_in_every_output() {
    let s = Scratch::new();
    let mut text = demo_text("roster.csv");
    // A person with no vetting record whose names would be formulas in Excel.
    text.push_str("E7777,=HYPERLINK(\"http://x\"),@SUM(A1),,1970-01-01,,P018,staff,Demoshire,2024-01-01,active,,2026-06-01\n");
    let roster = s.write("roster.csv", &text);
    let o = s.run(&["--roster", roster.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rows = rows(&s.read_out("exceptions.csv"));
    let r = rows
        .iter()
        .find(|r| r["employee_id"] == "E7777")
        .expect("the person is reported");
    assert_eq!(r["code"], "NO_CLEARANCE");
    assert_eq!(r["surname"], "'=HYPERLINK(\"http://x\")");
    assert_eq!(r["forenames"], "'@SUM(A1)");
}

#[cfg(unix)]
#[test]
fn outputs_and_store_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    // check's full list of rejects holds values from the inputs too.
    let rejects = s.path("check-rejects.csv");
    let o = vetrecon(
        &[
            "check".into(),
            "--config".into(),
            root().join("config/demo.toml").display().to_string(),
            "--db".into(),
            s.db().display().to_string(),
            "--rejects".into(),
            rejects.display().to_string(),
        ],
        &root(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(std::fs::read_to_string(&rejects).unwrap().lines().count() > 1);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&rejects), 0o600);
    let outputs: Vec<_> = std::fs::read_dir(s.out())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        outputs.len(),
        vetrecon::report::RUN_OUTPUTS.len(),
        "{outputs:?}"
    );
    for f in &outputs {
        assert_eq!(mode(f), 0o600, "{}", f.display());
    }
    assert_eq!(mode(&s.out()) & 0o077, 0, "the output directory");
    let mut stack = vec![s.db()];
    while let Some(p) = stack.pop() {
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "{} is readable by others ({:o})",
            p.display(),
            mode & 0o777
        );
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        }
    }
}

/// Every personal value in the demo inputs a log must never show: name words of three
/// letters or more, dates of birth as written and as ISO dates, NI numbers.
fn personal_values() -> (std::collections::BTreeSet<String>, Vec<String>) {
    let mut words = std::collections::BTreeSet::new();
    let mut strings = Vec::new();
    for file in ["roster.csv", "vetting.csv", "pnd_returns.csv"] {
        for r in rows(&demo_text(file)) {
            for col in ["surname", "forenames", "previous_surnames"] {
                for w in r
                    .get(col)
                    .map_or("", |v| v)
                    .split(|c: char| !c.is_alphanumeric())
                {
                    if w.chars().count() >= 3 {
                        words.insert(w.to_string());
                    }
                }
            }
            let dob = r["date_of_birth"].trim().to_string();
            if !dob.is_empty() {
                strings.push(dob);
            }
            if r["ni_number"].trim().len() > 3 {
                strings.push(r["ni_number"].trim().to_string());
            }
        }
    }
    (words, strings)
}

fn assert_no_personal_data(log: &str, what: &str) {
    let (words, strings) = personal_values();
    for w in log.split(|c: char| !c.is_alphanumeric()) {
        assert!(
            !words.contains(w),
            "{what}: the log contains the name `{w}`"
        );
    }
    for v in &strings {
        assert!(!log.contains(v.as_str()), "{what}: the log contains `{v}`");
    }
}

#[test]
fn logs_carry_no_names_dates_of_birth_or_ni_numbers_at_any_level() {
    // The detector itself finds personal data where there is some.
    for file in ["roster.csv", "vetting.csv"] {
        let text = demo_text(file);
        assert!(std::panic::catch_unwind(|| assert_no_personal_data(&text, file)).is_err());
    }
    let s = Scratch::new();
    let cfg = root().join("config/vetrecon.toml");
    for level in ["error", "warn", "info", "debug", "trace"] {
        for format in ["text", "json"] {
            let what = format!("RUST_LOG={level} --log-format {format}");
            for cmd in ["run", "check"] {
                let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_vetrecon"));
                c.args([cmd, "--log-format", format, "--config"])
                    .arg(&cfg)
                    .args(["--as-of", AS_OF, "--db"])
                    .arg(s.db())
                    .arg("--roster")
                    .arg(demo("roster.csv"))
                    .arg("--posts")
                    .arg(demo("posts.csv"))
                    .arg("--vetting")
                    .arg(demo("vetting.csv"))
                    .current_dir(s.dir.path())
                    .env("RUST_LOG", level);
                for feed in ["pnd_returns", "misconduct", "circumstances"] {
                    c.arg(format!("--{}", feed.replace('_', "-")))
                        .arg(demo(&format!("{feed}.csv")));
                }
                if cmd == "run" {
                    c.arg("--rerun").arg("--out").arg(s.out());
                }
                let o = c.output().unwrap();
                assert_eq!(code(&o), 0, "{what} {cmd}: {}", stderr(&o));
                let log = stderr(&o);
                if cmd == "run" && matches!(level, "info" | "debug" | "trace") {
                    assert!(log.contains("committed run"), "{what}: {log}");
                }
                if format == "json" {
                    for line in log.lines() {
                        serde_json::from_str::<serde_json::Value>(line)
                            .unwrap_or_else(|e| panic!("{what}: {e}: {line}"));
                    }
                }
                assert_no_personal_data(&log, &format!("{what} {cmd}"));
                // check's report names files, lines and reasons, never values.
                assert_no_personal_data(&stdout(&o), &format!("{what} {cmd} stdout"));
            }
        }
    }
}

#[test]
fn force_column_names_bom_and_uk_dates_are_accepted() {
    let s = Scratch::new();
    let text = demo_text("roster.csv").replacen("employee_id", "Payroll No", 1);
    let roster = s.write("roster.csv", &format!("\u{feff}{text}"));
    let base = std::fs::read_to_string(root().join("config/vetrecon.toml")).unwrap();
    let cfg = base.replace(
        "\n[input.columns.roster]\n",
        "\n[input.columns.roster]\n\"Payroll No\" = \"employee_id\"\n",
    );
    assert_ne!(cfg, base);
    let cfg = s.write("force.toml", &cfg);
    let o = s.run(&[
        "--roster",
        roster.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let expected = std::fs::read_to_string(demo("expected_exceptions.csv")).unwrap();
    assert_eq!(
        rows(&s.read_out("exceptions.csv")).len(),
        expected.lines().count() - 1
    );
}

#[test]
fn listing_runs_of_a_store_that_does_not_exist_exits_4_and_creates_nothing() {
    let s = Scratch::new();
    let o = s.list_runs();
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(!s.db().exists());
}

#[test]
fn a_roster_cut_in_half_is_refused_until_the_change_is_accepted() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let before = s.read_out("exceptions.csv");
    let full = demo_text("roster.csv");
    let lines: Vec<&str> = full.lines().collect();
    let half = lines[..lines.len() / 2].join("\n") + "\n";
    let roster = s.write("half.csv", &half);
    let o = s.run(&["--roster", roster.to_str().unwrap()]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("half.csv")
            && err.contains("fewer than the 188 accepted")
            && err.contains("--accept-change"),
        "{err}"
    );
    assert_eq!(s.read_out("exceptions.csv"), before);
    assert_eq!(committed_runs(&s), 1);
    let o = s.run(&[
        "--roster",
        roster.to_str().unwrap(),
        "--accept-change",
        "--rerun",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(committed_runs(&s), 2);
}

#[test]
fn a_changed_header_is_refused_until_accepted_and_check_says_so_first() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    // An HR upgrade renames the NI number column: it would silently map onto nothing.
    let roster = s.write(
        "roster.csv",
        &demo_text("roster.csv").replacen("ni_number", "NI No", 1),
    );
    let roster = roster.to_str().unwrap();
    let check = |extra: &[&str]| {
        let mut args: Vec<String> = [
            "check",
            "--config",
            root().join("config/vetrecon.toml").to_str().unwrap(),
            "--roster",
            roster,
            "--posts",
            demo("posts.csv").to_str().unwrap(),
            "--vetting",
            demo("vetting.csv").to_str().unwrap(),
            "--as-of",
            "2026-11-25",
            "--db",
            s.db().to_str().unwrap(),
            "--pnd-returns",
            demo("pnd_returns.csv").to_str().unwrap(),
            "--misconduct",
            demo("misconduct.csv").to_str().unwrap(),
            "--circumstances",
            demo("circumstances.csv").to_str().unwrap(),
        ]
        .iter()
        .map(|a| a.to_string())
        .collect();
        args.extend(extra.iter().map(|a| a.to_string()));
        vetrecon(&args, s.dir.path())
    };
    let o = check(&[]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    let report = stdout(&o);
    assert!(
        report.contains(&format!(
            "refused: {roster}: the header changed since run 20261124-01: new column `NI No`; column `ni_number` gone\n"
        )),
        "{report}"
    );
    assert!(
        report.ends_with("CHECK FAILED: a run would be refused (1 problem)\n"),
        "{report}"
    );
    let o = check(&["--accept-change"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(stdout(&o).contains("accepted by --accept-change: "));

    let o = s.run(&["--roster", roster, "--as-of", "2026-11-25"]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(stderr(&o).contains("the header changed since run 20261124-01"));
    assert!(stderr(&o).contains("hint: check the export definition"));
    assert_eq!(committed_runs(&s), 1);
    let o = s.run(&[
        "--roster",
        roster,
        "--as-of",
        "2026-11-25",
        "--accept-change",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("accepted because of --accept-change"));
    assert_eq!(committed_runs(&s), 2);
    // The new header is now the one compared with: the next night passes unprompted.
    let o = s.run(&["--roster", roster, "--as-of", "2026-11-26"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// A scratch directory outside the repository, where vetrecon finds no config: None (the
/// test is skipped, saying so) on a machine with a system config installed.
fn outside() -> Option<Scratch> {
    if std::path::Path::new("/etc/vetrecon/vetrecon.toml").exists() {
        eprintln!("skipped: /etc/vetrecon/vetrecon.toml exists, so no command runs on the built-in defaults here");
        return None;
    }
    let s = Scratch::new();
    assert!(!s.dir.path().starts_with(root()));
    Some(s)
}

/// The demo date and the demo's files for the first `n` of roster, posts, vetting, PND
/// returns, misconduct and circumstances, as flags.
fn demo_files(n: usize) -> Vec<String> {
    let mut v: Vec<String> = vec!["--as-of".into(), AS_OF.into()];
    for (flag, file) in [
        ("--roster", "roster.csv"),
        ("--posts", "posts.csv"),
        ("--vetting", "vetting.csv"),
        ("--pnd-returns", "pnd_returns.csv"),
        ("--misconduct", "misconduct.csv"),
        ("--circumstances", "circumstances.csv"),
    ]
    .into_iter()
    .take(n)
    {
        v.push(flag.into());
        v.push(demo(file).display().to_string());
    }
    v
}

/// Every demo input (`run`, `check`).
fn demo_inputs() -> Vec<String> {
    demo_files(6)
}

fn args(head: &[&str], tail: &[String]) -> Vec<String> {
    head.iter()
        .map(|s| s.to_string())
        .chain(tail.iter().cloned())
        .collect()
}

fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_night_runs_from_outside_the_repository_on_the_built_in_defaults() {
    let Some(s) = outside() else { return };
    let (db, out) = (s.db().display().to_string(), s.out().display().to_string());
    let o = vetrecon(
        &args(&["run", "--db", &db, "--out", &out], &demo_inputs()),
        s.dir.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("config: built-in defaults (no --config, no VETRECON_CONFIG"),
        "the log says which config: {}",
        stderr(&o)
    );
    assert_eq!(
        names_in(s.dir.path()),
        ["db", "out"],
        "nothing else is made"
    );
    // The built-in defaults are the shipped production config: the same night, the same bytes.
    let t = Scratch::new();
    let cfg = root().join("config/vetrecon.toml").display().to_string();
    let (db2, out2) = (t.db().display().to_string(), t.out().display().to_string());
    let o = vetrecon(
        &args(
            &["run", "--config", &cfg, "--db", &db2, "--out", &out2],
            &demo_inputs(),
        ),
        t.dir.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    for name in names_in(&s.out()) {
        if name != "chain.txt" {
            assert_eq!(
                std::fs::read(s.out().join(&name)).unwrap(),
                std::fs::read(t.out().join(&name)).unwrap(),
                "{name}"
            );
        }
    }
    // show names the config, how it was found and the effective config kept.
    let show = stdout(&s.store_cmd(&["show", "20261124-01"]));
    let config_line = show.lines().find(|l| l.starts_with("config  ")).unwrap();
    assert!(config_line.ends_with("  built-in defaults"), "{show}");
    assert!(
        show.contains("\nconfig from  built-in defaults\n"),
        "{show}"
    );
    let effective = show.lines().find(|l| l.starts_with("effective  ")).unwrap();
    // On the built-in defaults the config kept is the effective config itself.
    assert_eq!(
        effective.split_whitespace().nth(1),
        config_line.split_whitespace().nth(1)
    );
    let o = s.store_cmd(&["replay", "20261124-01"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    // explain finds the stored night made on the same defaults.
    let o = vetrecon(
        &args(
            &["explain", "E1001", "V500007", "--db", &db],
            &demo_files(4),
        ),
        s.dir.path(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("explained from stored run 20261124-01"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_night_on_the_built_in_defaults_needs_db_and_out_and_makes_nothing_without_them() {
    let Some(s) = outside() else { return };
    let (db, out) = (s.db().display().to_string(), s.out().display().to_string());
    for given in [
        vec![],
        vec!["--db", db.as_str()],
        vec!["--out", out.as_str()],
    ] {
        let mut head = vec!["run"];
        head.extend(&given);
        let o = vetrecon(&args(&head, &demo_inputs()), s.dir.path());
        assert_eq!(code(&o), 2, "{given:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("error: `run` needs --db DIR and --out DIR: no config file was found"),
            "{given:?}: {err}"
        );
        assert!(err.contains("hint: give them on the command line"), "{err}");
        assert!(
            names_in(s.dir.path()).is_empty(),
            "{given:?}: a refused night makes nothing"
        );
    }
}

#[test]
fn vetrecon_config_names_the_config_and_a_named_config_must_exist() {
    let Some(s) = outside() else { return };
    let demo_cfg = root().join("config/demo.toml");
    let (db, out) = (s.db().display().to_string(), s.out().display().to_string());
    let env = [("VETRECON_CONFIG", demo_cfg.as_path())];
    // The demo config names the inputs: nothing but the places is given.
    let o = vetrecon_with(
        &args(&["run", "--as-of", AS_OF, "--db", &db, "--out", &out], &[]),
        s.dir.path(),
        &env,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("(named by VETRECON_CONFIG)"),
        "{}",
        stderr(&o)
    );
    let show = stdout(&s.store_cmd(&["show", "20261124-01"]));
    assert!(show.contains("\nconfig from  VETRECON_CONFIG\n"), "{show}");
    assert!(
        show.contains(&format!("  {}\n", demo_cfg.display())),
        "{show}"
    );
    let o = vetrecon_with(
        &args(&["check", "--as-of", AS_OF, "--db", &db], &[]),
        s.dir.path(),
        &env,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with(&format!(
            "config: {} (named by VETRECON_CONFIG)\ncheck as of {AS_OF}, compared with the last committed run 20261124-01\n",
            demo_cfg.display()
        )),
        "{}",
        stdout(&o)
    );
    // --config wins over the environment.
    let missing = s.path("missing.toml");
    let o = vetrecon_with(
        &args(
            &["check", "--config", demo_cfg.to_str().unwrap(), "--db", &db],
            &[],
        ),
        s.dir.path(),
        &[("VETRECON_CONFIG", missing.as_path())],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // A config named and missing is an error (exit 2) for every command that reads one, never
    // a quiet fall back to the defaults.
    let m = missing.display().to_string();
    let model = s.path("model.toml").display().to_string();
    let commands: Vec<Vec<String>> = vec![
        args(&["run", "--db", &db, "--out", &out], &demo_inputs()),
        args(&["check"], &demo_inputs()),
        args(&["runs"], &[]),
        args(&["explain", "E1001", "V500007"], &demo_files(4)),
        args(&["evaluate", "--truth", &out], &[]),
        args(&["train", "--out", &model], &demo_files(3)),
    ];
    for cmd in commands {
        let flagged = [cmd.clone(), vec!["--config".into(), m.clone()]].concat();
        let o = vetrecon(&flagged, s.dir.path());
        assert_eq!(code(&o), 2, "{cmd:?} --config: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("error: cannot read config {m}: ")),
            "{cmd:?}: {}",
            stderr(&o)
        );
        let o = vetrecon_with(&cmd, s.dir.path(), &[("VETRECON_CONFIG", &missing)]);
        assert_eq!(code(&o), 2, "{cmd:?} VETRECON_CONFIG: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!(
                "error: cannot read config {m} (named by VETRECON_CONFIG): "
            )),
            "{cmd:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn completions_the_man_page_and_the_version_are_printed() {
    let here = std::env::temp_dir();
    let run = |a: &[&str]| vetrecon(&args(a, &[]), &here);
    for (shell, marks) in [
        (
            "bash",
            &["_vetrecon()", "complete -F _vetrecon", "replay"][..],
        ),
        (
            "zsh",
            &["#compdef vetrecon", "_vetrecon", "--accept-change"],
        ),
        ("fish", &["complete -c vetrecon", "-l db", "completions"]),
    ] {
        let o = run(&["completions", shell]);
        assert_eq!(code(&o), 0, "{shell}: {}", stderr(&o));
        for mark in marks {
            assert!(stdout(&o).contains(mark), "{shell}: no `{mark}`");
        }
    }
    let o = run(&["completions", "tcsh"]);
    assert_eq!(code(&o), 2, "an unknown shell is a usage error");
    let o = run(&["man"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let page = stdout(&o);
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        page.contains(&format!(".TH vetrecon 1  \"vetrecon {version}\"")),
        "{page}"
    );
    for mark in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH SUBCOMMANDS",
        "vetrecon\\-replay",
        "\\-\\-log\\-format",
    ] {
        assert!(page.contains(mark), "the man page has no `{mark}`:\n{page}");
    }
    for mark in [
        ".SH ENVIRONMENT",
        "VETRECON_CONFIG",
        ".SH FILES",
        "/etc/vetrecon/vetrecon.toml",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(page.contains(mark), "the man page has no `{mark}`");
    }
    // Each command's own page, which vetrecon(1) refers to.
    let o = run(&["man", "replay"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let page = stdout(&o);
    assert!(
        page.contains(&format!(".TH vetrecon-replay 1  \"vetrecon {version}\"")),
        "{page}"
    );
    assert!(page.contains("\\fBvetrecon replay\\fR"), "{page}");
    let o = run(&["man", "nonesuch"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let o = run(&["--version"]);
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o), format!("vetrecon {version}\n"));
}

#[test]
fn read_only_commands_never_create_a_store() {
    let Some(s) = outside() else { return };
    let nowhere = s.path("no-store");
    let db = nowhere.display().to_string();
    let out = s.path("report-out").display().to_string();
    let store_commands: [&[&str]; 9] = [
        &["runs"],
        &["show", "20261124-01"],
        &["report", "20261124-01", "--out", &out],
        &["replay", "20261124-01"],
        &["diff", "20261124-01", "20261125-01"],
        &["person", "E1001"],
        &["verify"],
        &["prune", "--before", "2026-01-01"],
        &[
            "decide", "confirm", "E1001", "V500007", "--by", "DS 101", "--reason", "checked",
        ],
    ];
    for cmd in store_commands {
        let o = vetrecon(&args(cmd, &["--db".into(), db.clone()]), s.dir.path());
        assert_eq!(code(&o), 4, "{cmd:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("no store here"),
            "{cmd:?}: {}",
            stderr(&o)
        );
        // On the built-in defaults, without --db, there is no store to name at all.
        let o = vetrecon(&args(cmd, &[]), s.dir.path());
        assert_eq!(code(&o), 2, "{cmd:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!(
                "error: `{}` needs --db DIR: no config file was found",
                cmd[0]
            )),
            "{cmd:?}: {}",
            stderr(&o)
        );
    }
    for given in [vec!["--db".to_string(), db.clone()], vec![]] {
        let o = vetrecon(
            &args(&["check"], &[given.clone(), demo_inputs()].concat()),
            s.dir.path(),
        );
        assert_eq!(code(&o), 0, "check {given:?}: {}", stderr(&o));
        let o = vetrecon(
            &args(
                &["explain", "E1001", "V500007"],
                &[given.clone(), demo_files(4)].concat(),
            ),
            s.dir.path(),
        );
        assert_eq!(code(&o), 0, "explain {given:?}: {}", stderr(&o));
        if given.is_empty() {
            assert!(
                stderr(&o).contains(
                    "no store named (--db) on the built-in defaults: linking the force again"
                ),
                "{}",
                stderr(&o)
            );
        }
    }
    let o = vetrecon(&args(&["check"], &demo_inputs()), s.dir.path());
    assert!(
        stdout(&o).contains(", no store named (--db): nothing to compare with, and a run would need --db and --out\n"),
        "{}",
        stdout(&o)
    );
    assert!(
        names_in(s.dir.path()).is_empty(),
        "{:?}",
        names_in(s.dir.path())
    );
}

#[test]
fn a_config_in_the_working_directory_is_found_and_one_that_cannot_be_read_is_not_passed_over() {
    let Some(s) = outside() else { return };
    std::fs::create_dir(s.path("config")).unwrap();
    // Its store is beside it, relative to the config's own directory.
    s.write(
        "config/vetrecon.toml",
        "[store]\ndir = \"../force-store\"\n",
    );
    let o = vetrecon(&args(&["check"], &demo_inputs()), s.dir.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with(
            "config: config/vetrecon.toml (found in the working directory)\ncheck as of 2026-11-24, no committed run to compare with (first run)\n"
        ),
        "{}",
        stdout(&o)
    );
    let o = vetrecon(&args(&["runs"], &[]), s.dir.path());
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("config/../force-store: no store here"),
        "{}",
        stderr(&o)
    );
    // A directory where the config should be is an error naming it, not the defaults.
    std::fs::remove_file(s.path("config/vetrecon.toml")).unwrap();
    std::fs::create_dir(s.path("config/vetrecon.toml")).unwrap();
    let o = vetrecon(&args(&["check"], &demo_inputs()), s.dir.path());
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error: cannot read config config/vetrecon.toml: "),
        "{}",
        stderr(&o)
    );
    assert_eq!(names_in(s.dir.path()), ["config"], "nothing else is made");
}
