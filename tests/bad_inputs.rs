//! The bad-input corpus (tests/data/bad/cases.toml): every hostile or broken input gets
//! exactly the outcome written next to it, through the same checks a run makes
//! (`vetrecon::preflight::check`), and the binary's `check` and `run` give the documented exit
//! codes for them, in bounded memory.

mod common;

use common::{code, root, stderr, stdout, vetrecon, Scratch, AS_OF};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use vetrecon::preflight::{check, CheckSpec, Preflight};

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Case {
    file: Option<String>,
    make: Option<String>,
    #[serde(default = "roster")]
    role: String,
    config: Option<String>,
    refused: Option<String>,
    #[serde(default)]
    rejects: Vec<String>,
    accepted: Option<usize>,
    surnames: Option<Vec<String>>,
    dates_of_birth: Option<Vec<String>>,
}

fn roster() -> String {
    "roster".into()
}

#[derive(Deserialize)]
struct Corpus {
    case: Vec<Case>,
}

const BASE_CONFIG: &str = "[input]\nmax_reject_share = 0.5\n";

fn bad(name: &str) -> PathBuf {
    root().join("tests/data/bad").join(name)
}

fn corpus() -> Vec<Case> {
    let text = std::fs::read_to_string(bad("cases.toml")).unwrap();
    toml::from_str::<Corpus>(&text).unwrap().case
}

impl Case {
    fn name(&self) -> String {
        format!(
            "{} as {}{}",
            self.file.as_deref().or(self.make.as_deref()).unwrap(),
            self.role,
            if self.config.is_some() {
                " (own config)"
            } else {
                ""
            }
        )
    }

    /// The file this case hands over, made in `dir` when the case says `make`.
    fn input(&self, dir: &Path) -> PathBuf {
        match (&self.file, self.make.as_deref()) {
            (Some(f), None) => bad(f),
            (None, Some("missing_file")) => dir.join("no-such-export.csv"),
            (None, Some("directory")) => dir.to_path_buf(),
            (None, Some("long_field")) => {
                let base = std::fs::read_to_string(bad("base/roster.csv")).unwrap();
                let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
                lines[2] = lines[2].replacen("Kowalska", &"K".repeat(100_000), 1);
                let p = dir.join("long_field.csv");
                std::fs::write(&p, lines.join("\n") + "\n").unwrap();
                p
            }
            (None, Some("giant_line")) => giant_line(dir),
            other => panic!("a case needs a file or a known `make`: {other:?}"),
        }
    }
}

/// A 2,000,000,000-byte roster: a header, then one line with no line break. Sparse (the
/// rest is a hole of NUL bytes), so it costs no disk and no time to make.
fn giant_line(dir: &Path) -> PathBuf {
    let p = dir.join("giant_line.csv");
    let base = std::fs::read_to_string(bad("base/roster.csv")).unwrap();
    let header = base.lines().next().unwrap();
    std::fs::write(&p, format!("{header}\nE1,Okafor,")).unwrap();
    let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
    f.set_len(2_000_000_000).unwrap();
    p
}

fn policy(config: &str) -> vetrecon::config::Policy {
    vetrecon::config::parse(Path::new("case.toml"), config.as_bytes()).unwrap()
}

fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap()
}

fn run_case(c: &Case, dir: &Path) -> (Preflight, PathBuf) {
    let input = c.input(dir);
    let mut paths = ["roster", "posts", "vetting"].map(|r| bad(&format!("base/{r}.csv")));
    let slot = ["roster", "posts", "vetting"]
        .iter()
        .position(|r| *r == c.role)
        .expect("role is roster, posts or vetting");
    paths[slot] = input.clone();
    let p = policy(c.config.as_deref().unwrap_or(BASE_CONFIG));
    let found = check(&CheckSpec {
        policy: &p,
        roster: &paths[0],
        posts: &paths[1],
        vetting: &paths[2],
        triggers: &[],
        as_of: as_of(),
        store_dir: Some(&dir.join("no-store")),
    })
    .unwrap();
    (found, input)
}

#[test]
fn the_base_files_are_clean() {
    let dir = tempfile::tempdir().unwrap();
    let (found, _) = run_case(
        &Case {
            file: Some("base/roster.csv".into()),
            make: None,
            role: "roster".into(),
            config: Some(String::new()),
            refused: None,
            rejects: vec![],
            accepted: None,
            surnames: None,
            dates_of_birth: None,
        },
        dir.path(),
    );
    assert!(found.refusals(false).is_empty(), "{}", found.render(false));
    assert!(found.rejects().is_empty(), "{}", found.render(false));
}

#[test]
fn every_bad_input_gets_exactly_its_expected_outcome() {
    let cases = corpus();
    assert!(cases.len() >= 30, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let dir = tempfile::tempdir().unwrap();
        let (found, input) = run_case(c, dir.path());
        let file = found
            .files
            .iter()
            .find(|f| f.role == c.role)
            .expect("every role is reported");
        // The other two files are the clean base: nothing may be said about them.
        for other in found.files.iter().filter(|f| f.role != c.role) {
            if other.refusal.is_some() || !other.rejects.is_empty() {
                failures.push(format!("{}: base {} was faulted", c.name(), other.role));
            }
        }
        let refused = file.refusal.as_ref().map(|e| e.to_string());
        let want_refused = c
            .refused
            .as_ref()
            .map(|m| m.replace("{file}", &input.display().to_string()));
        if refused != want_refused {
            failures.push(format!(
                "{}: refused {refused:?}, expected {want_refused:?}",
                c.name()
            ));
        }
        let rejects: Vec<String> = file
            .rejects
            .iter()
            .map(|r| {
                let col = if r.column.is_empty() { "-" } else { &r.column };
                format!("{} {col}: {}", r.line, r.reason)
            })
            .collect();
        if rejects != c.rejects {
            failures.push(format!(
                "{}: rejects {rejects:#?}, expected {:#?}",
                c.name(),
                c.rejects
            ));
        }
        if let Some(n) = c.accepted {
            let got = file.stats.map(|s| s.accepted);
            if got != Some(n) {
                failures.push(format!("{}: accepted {got:?}, expected {n}", c.name()));
            }
        }
        if c.surnames.is_some() || c.dates_of_birth.is_some() {
            let p = policy(c.config.as_deref().unwrap_or(BASE_CONFIG));
            let f =
                vetrecon::ingest::SourceFile::read("roster", &input, p.input.read_limits).unwrap();
            let ctx = vetrecon::ingest::ParseCtx {
                policy: &p.input,
                levels: &p.levels,
                as_of: as_of(),
            };
            let rows = vetrecon::ingest::roster::parse(&ctx, &f, &p.input.columns.roster)
                .unwrap()
                .rows;
            let surnames: Vec<String> = rows.iter().map(|r| r.surname.clone()).collect();
            let dobs: Vec<String> = rows.iter().map(|r| r.date_of_birth.to_string()).collect();
            if c.surnames.as_ref().is_some_and(|s| *s != surnames) {
                failures.push(format!("{}: surnames {surnames:?}", c.name()));
            }
            if c.dates_of_birth.as_ref().is_some_and(|d| *d != dobs) {
                failures.push(format!("{}: dates of birth {dobs:?}", c.name()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `vetrecon check` and `vetrecon run` on the corpus: 3 for every refusal, 0 otherwise, and a
/// refused run commits nothing.
#[test]
fn the_binary_exits_3_on_every_refusal_and_0_otherwise() {
    let s = Scratch::new();
    for c in corpus().iter().filter(|c| c.make.is_none()) {
        let config = s.write("case.toml", c.config.as_deref().unwrap_or(BASE_CONFIG));
        let mut args: Vec<String> = vec!["check".into(), "--config".into()];
        args.push(config.display().to_string());
        for role in ["roster", "posts", "vetting"] {
            let path = if *role == c.role {
                c.input(s.dir.path())
            } else {
                bad(&format!("base/{role}.csv"))
            };
            args.push(format!("--{role}"));
            args.push(path.display().to_string());
        }
        args.extend(["--as-of".into(), AS_OF.into(), "--db".into()]);
        args.push(s.db().display().to_string());
        let o = vetrecon(&args, s.dir.path());
        let want = if c.refused.is_some() { 3 } else { 0 };
        assert_eq!(code(&o), want, "{}: {}{}", c.name(), stdout(&o), stderr(&o));
        let verdict = if want == 0 {
            "CHECK OK"
        } else {
            "CHECK FAILED"
        };
        assert!(stdout(&o).contains(verdict), "{}: {}", c.name(), stdout(&o));
        if want == 3 {
            // The run refuses the same files, and commits nothing.
            args[0] = "run".into();
            args.extend(["--out".into(), s.out().display().to_string()]);
            let o = vetrecon(&args, s.dir.path());
            assert_eq!(code(&o), 3, "{}: {}", c.name(), stderr(&o));
            let runs = vetrecon::store::Store::open(&s.db(), "test")
                .unwrap()
                .runs()
                .unwrap();
            assert!(runs.is_empty(), "{}: a refused run committed", c.name());
            assert!(!s.out().join("exceptions.csv").exists(), "{}", c.name());
        }
    }
}

/// The 2 GB line, through the binary under a 1 GiB address-space limit: the run must refuse
/// it with the message, never try to hold it (which would abort on allocation, not exit 3).
#[cfg(target_os = "linux")]
#[test]
fn a_two_gigabyte_line_is_refused_in_bounded_memory() {
    let s = Scratch::new();
    let giant = giant_line(s.dir.path());
    let config = s.write("big.toml", "[input]\nmax_file_mb = 4096\n");
    let cmd = format!(
        "ulimit -v 1048576 && exec '{}' run --config '{}' --roster '{}' --posts '{}' --vetting '{}' --as-of {AS_OF} --db '{}' --out '{}'",
        env!("CARGO_BIN_EXE_vetrecon"),
        config.display(),
        giant.display(),
        bad("base/posts.csv").display(),
        bad("base/vetting.csv").display(),
        s.db().display(),
        s.out().display()
    );
    let o = std::process::Command::new("sh")
        .args(["-c", &cmd])
        .current_dir(s.dir.path())
        .output()
        .unwrap();
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("line 2 runs past 1048576 bytes without a line break"),
        "{}",
        stderr(&o)
    );
}

/// An export that lost its header row: `check`, the run's error and its log (text and JSON)
/// name the header cell by position, and no value of the record standing in its place.
#[test]
fn a_headerless_export_is_refused_without_echoing_its_first_record() {
    let s = Scratch::new();
    let config = s.write("case.toml", BASE_CONFIG);
    let headerless = bad("vetting_without_header.csv");
    for (command, format) in [("check", "text"), ("run", "text"), ("run", "json")] {
        let mut args: Vec<String> = vec![
            command.into(),
            "--log-format".into(),
            format.into(),
            "--config".into(),
            config.display().to_string(),
            "--vetting".into(),
            headerless.display().to_string(),
        ];
        for role in ["roster", "posts"] {
            args.push(format!("--{role}"));
            args.push(bad(&format!("base/{role}.csv")).display().to_string());
        }
        args.extend(["--as-of".into(), AS_OF.into(), "--db".into()]);
        args.push(s.db().display().to_string());
        if command == "run" {
            args.extend(["--out".into(), s.out().display().to_string()]);
        }
        let o = vetrecon(&args, s.dir.path());
        assert_eq!(code(&o), 3, "{command}: {}", stderr(&o));
        let said = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            said.contains("the header lacks the required column `vetting_ref`"),
            "{command} {format}: {said}"
        );
        for value in ["Rex", "Okafor", "1985-03-12", "AB123456C"] {
            assert!(
                !said.contains(value),
                "{command} {format} echoed {value}: {said}"
            );
        }
    }
}

#[test]
fn columns_an_export_holds_that_are_not_read_are_named_by_check_the_log_and_the_page() {
    let s = Scratch::new();
    // The demo export without its `stage` column, and with two columns vetrecon does not
    // read: `state`, one letter from the optional `stage` the export now lacks, and a team's
    // own notes column.
    let demo = std::fs::read_to_string(root().join("testdata/demo/vetting.csv")).unwrap();
    let stage = (demo.lines().next().unwrap().split(','))
        .position(|c| c == "stage")
        .unwrap();
    let mut text = String::new();
    for (i, line) in demo.lines().enumerate() {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells.remove(stage);
        text.push_str(&cells.join(","));
        text.push_str(if i == 0 {
            ",state,Team Notes\n"
        } else {
            ",open,Okafor\n"
        });
    }
    let vetting = s.write("vetting.csv", &text);
    let vetting = vetting.to_str().unwrap();
    let columns = demo.lines().next().unwrap().split(',').count() - 1;
    let state = format!(
        "column {} \"state\" (not a contract column, but near the optional column stage",
        columns + 1
    );
    let notes = format!(
        "column {} \"Team Notes\" (not a contract column)",
        columns + 2
    );

    let o = s.check(&["--vetting", vetting]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let said = stdout(&o);
    assert!(
        said.contains("columns of vetting a run would not read"),
        "{said}"
    );
    assert!(said.contains(&state) && said.contains(&notes), "{said}");

    let o = s.run(&["--vetting", vetting]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let log = stderr(&o);
    assert!(log.contains("column not read"), "{log}");
    assert!(log.contains("Team Notes") && log.contains("state"), "{log}");
    let page = s.read_out("report.html");
    assert!(page.contains("data-figure=\"provenance:unread_columns\""));
    assert!(
        page.contains("vetting: column"),
        "the page lists each column by file"
    );
    for said in [&log, &page] {
        assert!(
            !said.contains("Okafor") && !said.contains(",open"),
            "a value was echoed"
        );
    }

    // The demo's own export reads every column: the page says so.
    let t = Scratch::new();
    assert_eq!(code(&t.run(&[])), 0);
    let page = t.read_out("report.html");
    assert!(page.contains("Every column of every input was read."));
}
