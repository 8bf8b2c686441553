//! What the outputs print and what linking decides at the edges: a cell longer than a
//! spreadsheet holds, an id that is shell syntax in a printed command, a printed placeholder
//! pasted as a decision, a confirmation of a pair no night scored, a night stored before
//! commands were quoted, and settings that would break the arithmetic.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn ok(o: &std::process::Output) -> String {
    assert_eq!(code(o), 0, "stdout:\n{}\nstderr:\n{}", stdout(o), stderr(o));
    stdout(o)
}

/// The demo's vetting export with `extra` rows appended and `edits` (from, to) applied once.
/// An extra row that stops short of the header's width is filled out with blank cells.
fn vetting_with(s: &Scratch, edits: &[(&str, &str)], extra: &[String]) -> String {
    let mut text = std::fs::read_to_string(demo("vetting.csv")).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from} is not in vetting.csv");
        text = text.replacen(from, to, 1);
    }
    let width = text.lines().next().unwrap().split(',').count();
    for row in extra {
        text.push_str(row);
        let cells = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(row.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap()
            .len();
        text.push_str(&",".repeat(width.saturating_sub(cells)));
        text.push('\n');
    }
    s.write("vetting_edited.csv", &text).display().to_string()
}

/// The text of a few XML entities the workbook writer escapes.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A sheet of an xlsx file, by its name, as rows of cell texts (shared strings resolved).
fn sheet(xlsx: &Path, name: &str) -> Vec<Vec<String>> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let book = part("xl/workbook.xml");
    let at = book
        .split("<sheet name=\"")
        .skip(1)
        .position(|s| s.starts_with(&format!("{name}\"")))
        .unwrap()
        + 1;
    let strings: Vec<String> = part("xl/sharedStrings.xml")
        .split("<si>")
        .skip(1)
        .map(|si| unescape(si.split_once('>').unwrap().1.split("</t>").next().unwrap()))
        .collect();
    let xml = part(&format!("xl/worksheets/sheet{at}.xml"));
    let mut out = Vec::new();
    for row in xml.split("<row ").skip(1) {
        let mut cells: Vec<String> = Vec::new();
        for c in row.split("<c ").skip(1) {
            let r = c.split("r=\"").nth(1).unwrap().split('"').next().unwrap();
            let col = r
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .fold(0usize, |n, ch| n * 26 + (ch as usize - 'A' as usize + 1))
                - 1;
            let value = c
                .split("<v>")
                .nth(1)
                .map(|v| v.split("</v>").next().unwrap().to_string())
                .unwrap_or_default();
            let text = if c.split('>').next().unwrap().contains("t=\"s\"") {
                strings[value.parse::<usize>().unwrap()].clone()
            } else {
                value
            };
            cells.resize(col + 1, String::new());
            cells[col] = text;
        }
        out.push(cells);
    }
    out
}

/// The cell under `column` of every row of a sheet whose `key` column is `value`.
fn cells_where(grid: &[Vec<String>], key: &str, value: &str, column: &str) -> Vec<String> {
    let col = |n: &str| grid[0].iter().position(|h| h == n).unwrap();
    let (k, c) = (col(key), col(column));
    grid.iter()
        .skip(1)
        .filter(|r| r.get(k).is_some_and(|v| v == value))
        .map(|r| r.get(c).cloned().unwrap_or_default())
        .collect()
}

#[test]
fn a_leaver_whose_detail_outgrows_a_spreadsheet_cell_commits_and_the_csv_keeps_it_whole() {
    let s = Scratch::new();
    // E1185 left on 2026-09-30; forty granted records whose references are 905 characters
    // long (the contract allows 1,000): the row's detail is over 36,000 characters.
    let refs: Vec<String> = (0..40)
        .map(|i| format!("V{i:03}{}", "X".repeat(901)))
        .collect();
    let rows: Vec<String> = refs
        .iter()
        .map(|r| format!("{r},Harper,Jordan,,1984-04-27,,E1185,RV,granted,2024-01-01,,no,no,no,M,"))
        .collect();
    let vetting = vetting_with(&s, &[], &rows);
    ok(&s.check(&["--vetting", &vetting]));
    ok(&s.run(&["--vetting", &vetting]));
    let ex = rows_of(&s.read_out("exceptions.csv"));
    let leaver = ex
        .iter()
        .find(|e| e["employee_id"] == "E1185" && e["code"] == "LEAVER_ACTIVE_CLEARANCE")
        .expect("the leaver's row");
    let detail = &leaver["detail"];
    assert!(detail.chars().count() > 32_767, "{}", detail.len());
    for r in &refs {
        assert!(detail.contains(r.as_str()));
    }
    // The sheet holds as much as fits, and says where the rest is.
    let grid = sheet(&s.out().join("exceptions.xlsx"), "Exceptions");
    let cut: Vec<String> = cells_where(&grid, "employee_id", "E1185", "detail")
        .into_iter()
        .filter(|d| d.contains("still holds"))
        .collect();
    assert_eq!(cut.len(), 1);
    let cell = &cut[0];
    assert!(cell.encode_utf16().count() <= 32_767, "{}", cell.len());
    assert!(
        cell.ends_with("the whole text is in exceptions.csv]"),
        "{}",
        &cell[cell.len() - 200..]
    );
    assert!(detail.starts_with(cell.split(" [… cut").next().unwrap()));
    // The store holds the night, and the next one runs on the same input.
    ok(&s.run(&["--vetting", &vetting, "--as-of", "2026-11-25"]));
    let r = ok(&s.store_cmd(&["replay", "20261124-01"]));
    assert!(r.contains("REPLAY OK"), "{r}");
}

fn rows_of(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    rows(text)
}

const EVIL: &str = "V501393$(touch${IFS}PWNED)";

/// Run `line` in a POSIX shell in `dir` with `vetrecon` a function printing its arguments
/// one per line: what the shell would hand vetrecon.
fn as_pasted(line: &str, dir: &Path) -> Vec<String> {
    let script = format!("vetrecon() {{ printf '%s\\n' \"$@\"; }}\n{line}\n");
    let o = std::process::Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn a_vetting_reference_that_is_shell_syntax_is_one_quoted_word_in_every_printed_decide_line() {
    let s = Scratch::new();
    let vetting = vetting_with(&s, &[("V501393,", &format!("{EVIL},"))], &[]);
    ok(&s.run(&["--vetting", &vetting]));
    let want = [
        "decide",
        "confirm",
        "E1184",
        EVIL,
        "--by",
        "YOUR NAME",
        "--reason",
        "WHAT YOU CHECKED",
    ];
    // The spreadsheet's Review queue.
    let grid = sheet(&s.out().join("exceptions.xlsx"), "Review queue");
    let lines = cells_where(&grid, "vetting_ref", EVIL, "decide_command");
    assert!(!lines.is_empty());
    let line = &lines[0];
    assert_eq!(
        line,
        "vetrecon decide confirm E1184 'V501393$(touch${IFS}PWNED)' --by 'YOUR NAME' --reason 'WHAT YOU CHECKED'"
    );
    // The page's queue prints the same line.
    let html = s.read_out("report.html");
    let item = &html[html.find("data-figure=\"review:V501393").expect("queued")..];
    let item = &item[..item.find("</ul>").unwrap()];
    let page_line = item
        .split("<code class=\"cmd\">")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap();
    assert_eq!(unescape(&page_line.replace("&#39;", "'")), *line);
    // Pasted, it hands vetrecon the reference as one word and runs nothing.
    let dir = s.path("paste");
    std::fs::create_dir(&dir).unwrap();
    assert_eq!(as_pasted(line, &dir), want);
    assert!(!dir.join("PWNED").exists());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

/// Record one decision with the given `by` and `reason`.
fn decide(s: &Scratch, verdict: &str, by: &str, reason: &str) -> std::process::Output {
    s.store_cmd(&[
        "decide", verdict, "E1184", "V501393", "--by", by, "--reason", reason,
    ])
}

#[test]
fn a_decide_line_pasted_unedited_is_refused_and_one_already_stored_is_named() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    let chain = |s: &Scratch| {
        let store = vetrecon::store::Store::open(&s.db(), "test").unwrap();
        store.head().unwrap()
    };
    let before = chain(&s);
    for (by, reason) in [
        ("YOUR NAME", "WHAT YOU CHECKED"),
        ("DS Patel", "WHAT YOU CHECKED"),
        ("YOUR NAME", "passport seen"),
        ("NAME", "TEXT"),
        ("your name", "passport seen"),
    ] {
        let o = decide(&s, "confirm", by, reason);
        assert_eq!(code(&o), 2, "{by} / {reason}: {}", stderr(&o));
        assert!(stderr(&o).contains("is a placeholder from a printed command"));
    }
    assert_eq!(chain(&s), before, "nothing was recorded");
    // The same through an import.
    let file = s.write(
        "decisions.csv",
        "decision,employee_id,vetting_ref,by,reason\nconfirm,E1184,V501393,YOUR NAME,WHAT YOU CHECKED\n",
    );
    let o = s.store_cmd(&["decide", "--import", file.to_str().unwrap()]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("line 2: column by: is a placeholder"),
        "{}",
        stderr(&o)
    );
    assert_eq!(chain(&s), before);

    // A store written before the refusal may hold one: verify and the night name it.
    {
        use vetrecon::clerical::{DecisionRow, Verdict};
        use vetrecon::store::{Body, DecisionEvent};
        let store = vetrecon::store::Store::open(&s.db(), "test").unwrap();
        store
            .append(Body::Decisions(DecisionEvent {
                source: "command".into(),
                rows: vec![DecisionRow {
                    verdict: Verdict::Confirm,
                    employee_id: "E1184".into(),
                    vetting_ref: "V501393".into(),
                    by: "YOUR NAME".into(),
                    reason: "WHAT YOU CHECKED".into(),
                    at: "2026-11-24T09:00:00Z".into(),
                    fingerprint: None,
                }],
            }))
            .unwrap();
    }
    let v = ok(&s.store_cmd(&["verify"]));
    assert!(
        v.contains("WARN decision entry 2: confirm E1184 / V501393 was recorded with a printed placeholder"),
        "{v}"
    );
    assert!(v.contains("VERIFY OK"), "{v}");
    let o = s.run(&["--as-of", "2026-11-25"]);
    ok(&o);
    let err = stderr(&o);
    let warning = err
        .lines()
        .find(|l| l.contains("recorded with a printed placeholder"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        warning.contains("E1184") && warning.contains("V501393"),
        "{warning}"
    );
    assert!(!warning.contains("YOUR NAME"), "{warning}");
    // A real decision is still recorded as ever.
    let o = s.store_cmd(&[
        "decide",
        "reject",
        "E1182",
        "V501386",
        "--by",
        "DS Patel",
        "--reason",
        "checked the name on the passport",
    ]);
    ok(&o);
}

#[test]
fn a_placeholder_in_another_spelling_or_a_by_that_says_nothing_is_refused() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    let chain = |s: &Scratch| {
        let store = vetrecon::store::Store::open(&s.db(), "test").unwrap();
        store.head().unwrap()
    };
    let before = chain(&s);
    // The printed placeholders with their words run together, in full-width letters (a
    // sheet converted by an East Asian locale), or split by a no-break space.
    for (by, reason) in [
        ("YOURNAME", "passport seen"),
        ("DS Patel", "WHATYOUCHECKED"),
        (
            "\u{ff39}\u{ff2f}\u{ff35}\u{ff32} \u{ff2e}\u{ff21}\u{ff2d}\u{ff25}",
            "passport seen",
        ),
        ("DS Patel", "checked: WHAT\u{a0}YOU\u{a0}CHECKED"),
    ] {
        let o = decide(&s, "confirm", by, reason);
        assert_eq!(code(&o), 2, "{by} / {reason}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("is a placeholder from a printed command"),
            "{}",
            stderr(&o)
        );
    }
    // A by or reason of invisible characters or punctuation alone names no one.
    for (by, reason) in [
        ("\u{200b}", "passport seen"),
        ("-", "passport seen"),
        ("DS Patel", "\u{a0}"),
        ("DS Patel", "?"),
    ] {
        let o = decide(&s, "confirm", by, reason);
        assert_eq!(code(&o), 2, "{by:?} / {reason:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("no letter or digit"), "{}", stderr(&o));
    }
    assert_eq!(chain(&s), before, "nothing was recorded");
    // The same through an import: each row rejected by line and column, none recorded.
    let file = s.write(
        "decisions.csv",
        "decision,employee_id,vetting_ref,by,reason\nconfirm,E1184,V501393,YOURNAME,passport seen\nconfirm,E1183,V501386,\u{200b},passport seen\n",
    );
    let o = s.store_cmd(&["decide", "--import", file.to_str().unwrap()]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("line 2: column by: is a placeholder"), "{err}");
    assert!(
        err.contains("line 3: column by: holds no letter or digit"),
        "{err}"
    );
    assert_eq!(chain(&s), before);
}

#[test]
fn a_confirmation_of_a_pair_that_shares_nothing_needs_unscored() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    // Sarah Singh, born 1980-10-28, and Caroline Robinson's record, born 1988-03-25.
    let args = [
        "decide",
        "confirm",
        "E1073",
        "V500714",
        "--by",
        "DS Patel",
        "--reason",
        "HR says so",
    ];
    let o = s.store_cmd(&args);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("E1073 and V500714 share nothing linking looks for"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--unscored"));
    let mut with = args.to_vec();
    with.push("--unscored");
    ok(&s.store_cmd(&with));
    // A pair the night scored needs no flag.
    ok(&decide(
        &s,
        "confirm",
        "DS Patel",
        "passport and payroll record checked",
    ));
}

#[test]
fn report_of_a_night_stored_before_commands_were_quoted_writes_its_bytes_and_warns() {
    let s = Scratch::new();
    ok(&s.run(&[]));
    {
        // An older build's night: the same outputs, without the record's quoted_commands.
        use vetrecon::store::Body;
        let store = vetrecon::store::Store::open(&s.db(), "test").unwrap();
        let mut old = store.find_run("20261124-01").unwrap().record;
        assert!(old.quoted_commands);
        old.run_id = "20261125-01".into();
        old.as_of = "2026-11-25".into();
        old.quoted_commands = false;
        old.version = "0.6.1".into();
        store.append(Body::Run(Box::new(old))).unwrap();
    }
    let out = |name: &str| s.path(name).display().to_string();
    let o = s.store_cmd(&["report", "20261125-01", "--out", &out("old")]);
    ok(&o);
    assert!(
        stderr(&o).contains("warning: run 20261125-01 was made by vetrecon 0.6.1, before printed commands were quoted for the shell"),
        "{}",
        stderr(&o)
    );
    for f in ["report.html", "exceptions.xlsx", "exceptions.csv"] {
        let a = std::fs::read(s.out().join(f)).unwrap();
        let b = std::fs::read(PathBuf::from(out("old")).join(f)).unwrap();
        assert!(a == b, "{f} is the night's bytes");
    }
    let o = s.store_cmd(&["report", "20261124-01", "--out", &out("new")]);
    ok(&o);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}

#[test]
fn train_refuses_no_random_pairs_or_no_records() {
    let s = Scratch::new();
    let model = s.path("model.toml");
    for (flag, value) in [("--random-pairs", "0"), ("--em-records", "0")] {
        let args: Vec<String> = [
            "train",
            "--config",
            root().join("config/vetrecon.toml").to_str().unwrap(),
            "--roster",
            demo("roster.csv").to_str().unwrap(),
            "--posts",
            demo("posts.csv").to_str().unwrap(),
            "--vetting",
            demo("vetting.csv").to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--out",
            model.to_str().unwrap(),
            flag,
            value,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let o = vetrecon(&args, s.dir.path());
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("{flag} must be at least 1")),
            "{}",
            stderr(&o)
        );
        assert!(!model.exists());
    }
}

#[test]
fn a_config_probability_too_small_for_the_arithmetic_is_refused() {
    let s = Scratch::new();
    let text = std::fs::read_to_string(root().join("config/vetrecon.toml")).unwrap();
    let line = "exact = { m = 0.85, u = 0.002 }";
    assert!(text.contains(line));
    let config = s.write(
        "tiny_u.toml",
        &text.replacen(line, "exact = { m = 0.85, u = 1e-300 }", 1),
    );
    let o = s.run(&["--config", config.to_str().unwrap()]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("linking.weights.surname.exact.u must be between 1e-9 and 1, got 1e-300"),
        "{}",
        stderr(&o)
    );
    assert!(!s.out().join("exceptions.csv").exists());
}

#[test]
fn a_publish_that_fails_after_the_commit_names_the_report_command_with_its_paths_quoted() {
    use std::process::{Command, Stdio};
    let s = Scratch::new();
    let out = s.path("out $(touch PWNED) dir");
    let mut c = Command::new(env!("CARGO_BIN_EXE_vetrecon"));
    c.args(["run", "--config"])
        .arg(root().join("config/vetrecon.toml"))
        .args(["--as-of", AS_OF, "--out"])
        .arg(&out)
        .arg("--db")
        .arg(s.db());
    for (flag, file) in [
        ("--roster", "roster.csv"),
        ("--posts", "posts.csv"),
        ("--vetting", "vetting.csv"),
    ] {
        c.arg(flag).arg(demo(file));
    }
    let mut child = c
        .current_dir(s.dir.path())
        .env_remove("RUST_LOG")
        .env("VETRECON_PAUSE_AT", "committed")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rest = wait_for_pause(&mut child, "committed");
    // A directory where report.html goes: publishing it fails after the commit.
    std::fs::create_dir(out.join("report.html")).unwrap();
    // SAFETY: kill(2) on a child we spawned and have not reaped.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let err: Vec<String> = rest.map(Result::unwrap).collect();
    assert_eq!(child.wait().unwrap().code(), Some(1), "{err:?}");
    let line = err
        .iter()
        .find(|l| l.starts_with("error: run 20261124-01 is committed"))
        .unwrap_or_else(|| panic!("{err:?}"));
    let command = line.split("write them with: ").nth(1).unwrap();
    let dir = s.path("paste");
    std::fs::create_dir(&dir).unwrap();
    assert_eq!(
        as_pasted(command, &dir),
        [
            "report",
            "20261124-01",
            "--out",
            out.to_str().unwrap(),
            "--db",
            s.db().to_str().unwrap()
        ]
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    // And the command does what it says.
    std::fs::remove_dir(out.join("report.html")).unwrap();
    let o = s.store_cmd(&["report", "20261124-01", "--out", out.to_str().unwrap()]);
    ok(&o);
    assert!(out.join("report.html").is_file());
}
