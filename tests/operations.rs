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
        14,
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
    text.push_str("E7777,=HYPERLINK(\"http://x\"),@SUM(A1),,1970-01-01,,P018,staff,Demoshire,2024-01-01,active,\n");
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
    assert_eq!(outputs.len(), 14, "{outputs:?}");
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
