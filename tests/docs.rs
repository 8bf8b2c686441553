//! The documentation against the code. The README is a front door: short, its test command the
//! one `.ci/run` runs, every docs page on its map. Every relative link in the docs reaches a
//! file and, where it names one, a heading. The public contract (exit codes, exception codes
//! and their default severities, input and output columns) is on the page that owns it, so a
//! code or a column added without its documentation fails here. No page cites an issue number
//! or a dated diary: history goes to CHANGELOG.md, which names versions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use vetrecon::assess::code::Code;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every Markdown page a reader is sent to: the README, BENCHMARKS.md, CHANGELOG.md, docs/.
fn pages() -> Vec<String> {
    let mut docs: Vec<String> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|e| {
            e.expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    docs.sort();
    let mut all = vec![
        "README.md".into(),
        "BENCHMARKS.md".into(),
        "CHANGELOG.md".into(),
    ];
    all.extend(docs);
    all
}

/// The lines outside fenced code blocks, with their 1-based numbers.
fn prose(text: &str) -> Vec<(usize, &str)> {
    let mut fenced = false;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            out.push((i + 1, line));
        }
    }
    out
}

/// A line without its inline code spans (a `[levels.accept]` is no link).
fn without_code(line: &str) -> String {
    line.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

/// The anchor a heading gets on GitHub: lower case, letters, digits, `-` and `_` kept,
/// spaces made hyphens, everything else dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(text: &str) -> BTreeSet<String> {
    prose(text)
        .into_iter()
        .filter(|(_, line)| line.starts_with('#'))
        .map(|(_, line)| slug(line.trim_start_matches('#')))
        .collect()
}

/// The targets of the Markdown links and images on a page: `](target)`.
fn links(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in prose(text) {
        let line = without_code(line);
        let mut rest = line.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            out.push((n, after[..end].to_string()));
            rest = &after[end..];
        }
    }
    out
}

/// The text of a page's section: from the heading with this title to the next heading of
/// the same or a higher level.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let level = heading.chars().take_while(|&c| c == '#').count();
    let start = text
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no section {heading:?}"))
        + 1;
    let body = &text[start + heading.len()..];
    let end = body
        .match_indices("\n#")
        .find(|(i, _)| {
            let hashes = body[i + 1..].chars().take_while(|&c| c == '#').count();
            hashes <= level && body[i + 1 + hashes..].starts_with(' ')
        })
        .map_or(body.len(), |(i, _)| i);
    &text[start..start + heading.len() + end]
}

/// The names a page gives as names: the words inside its code spans (which may run over a
/// line break) and in the first cell of its table rows. A column mentioned only in passing
/// ("must not equal a vetting_ref") is not documented.
fn named(text: &str) -> BTreeSet<String> {
    let prose: Vec<&str> = prose(text).into_iter().map(|(_, l)| l).collect();
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let joined = prose.join("\n");
    let spans = joined.split('`').skip(1).step_by(2).flat_map(words);
    let cells = prose
        .iter()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(" |").next())
        .flat_map(words);
    spans.chain(cells).collect()
}

#[test]
fn the_readme_is_a_short_front_door_that_maps_every_docs_page() {
    let readme = read("README.md");
    let lines = readme.lines().count();
    assert!(
        lines <= 200,
        "README.md has {lines} lines; the front door keeps to about 200"
    );
    let mut missing: Vec<String> = pages()
        .into_iter()
        .filter(|p| p != "README.md")
        .filter(|p| !readme.contains(&format!("]({p})")))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "pages not on the README's map: {missing:?}"
    );
    for heading in ["## Set up", "## A five-minute tour"] {
        assert!(
            readme.contains(&format!("\n{heading}\n")),
            "README lacks {heading}"
        );
    }
}

#[test]
fn every_relative_link_in_the_docs_reaches_a_file_and_a_heading() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = read(&page);
        let dir = Path::new(&page).parent().unwrap_or(Path::new(""));
        for (line, target) in links(&text) {
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            checked += 1;
            let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let file = if path.is_empty() {
                PathBuf::from(&page)
            } else {
                dir.join(path)
            };
            let full = root().join(&file);
            if !full.exists() {
                broken.push(format!("{page}:{line}: {target}: no such file"));
                continue;
            }
            if !anchor.is_empty() && full.extension().is_some_and(|e| e == "md") {
                let there = std::fs::read_to_string(&full).expect("readable page");
                if !anchors(&there).contains(anchor) {
                    broken.push(format!("{page}:{line}: {target}: no such heading"));
                }
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} links found: is the link scanner broken?"
    );
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn ci_runs_exactly_the_test_command_the_readme_gives() {
    let readme = read("README.md");
    let setup = section(&readme, "## Set up");
    let block = setup
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the Set up section has a sh block");
    let commands: Vec<&str> = block
        .lines()
        .map(|l| l.split(" #").next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(commands.len(), 2, "two set-up commands, got {commands:?}");
    assert!(
        commands[0].contains(" run --config config/demo.toml"),
        "{}",
        commands[0]
    );
    assert!(root().join("config/demo.toml").is_file());
    let test = commands[1];
    assert!(test.starts_with("cargo test"), "{test}");
    let ci = read(".ci/run");
    let last = ci
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with('#'))
        .expect(".ci/run has commands");
    assert_eq!(
        last, test,
        ".ci/run must end with the README's test command"
    );
}

#[test]
fn every_exit_code_is_in_the_operations_exit_code_table() {
    let defined: BTreeSet<u8> = read("src/error.rs")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub const EXIT_"))
        .filter_map(|l| l.split_once(": u8 = "))
        .map(|(_, v)| {
            v.trim_end_matches(';')
                .trim()
                .parse()
                .expect("an exit code")
        })
        .collect();
    let ops = read("docs/operations.md");
    let documented: BTreeSet<u8> = section(&ops, "## Exit codes")
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(" |").next()?.trim().parse().ok())
        .collect();
    assert!(
        defined.len() >= 6,
        "exit codes read from src/error.rs: {defined:?}"
    );
    assert_eq!(
        documented, defined,
        "docs/operations.md's exit-code table against src/error.rs"
    );
}

#[test]
fn every_exception_code_is_in_the_output_contract_with_its_default_severity() {
    let output = read("docs/output.md");
    let codes = section(&output, "## Exception codes");
    let severity_list: BTreeMap<&str, &str> = codes
        .split("**Severity**")
        .nth(1)
        .expect("a Severity paragraph")
        .split("\n\n")
        .next()
        .unwrap_or("")
        .split("\n- ")
        .skip(1)
        .filter_map(|item| item.split_once(':'))
        .flat_map(|(sev, names)| {
            names
                .split([',', ';', '.', ' ', '\n'])
                .filter(|n| !n.is_empty())
                .map(move |n| (n, sev.trim()))
        })
        .collect();
    let defaults = vetrecon::assess::settings::RawPriority::default().severity;
    for code in Code::ALL {
        let name = code.as_str();
        assert!(
            codes.contains(&format!("**{name}**")),
            "{name} is not in docs/output.md"
        );
        assert_eq!(
            severity_list.get(name).copied(),
            defaults.get(name).map(String::as_str),
            "{name}: the severity docs/output.md gives against the default"
        );
    }
}

#[test]
fn every_contract_column_is_on_the_page_that_owns_it() {
    use vetrecon::{clerical, ingest, report};
    let names = |cols: &[ingest::table::Column]| cols.iter().map(|c| c.name).collect::<Vec<_>>();
    let owners: [(&str, Vec<&str>); 3] = [
        (
            "docs/input.md",
            [
                names(ingest::roster::COLUMNS),
                names(ingest::posts::COLUMNS),
                names(ingest::vetting::COLUMNS),
                names(ingest::pnd::COLUMNS),
                names(ingest::misconduct::COLUMNS),
                names(ingest::circumstances::COLUMNS),
                ingest::vetting::PROTECTED.to_vec(),
            ]
            .concat(),
        ),
        (
            "docs/output.md",
            [
                report::exceptions::COLUMNS.as_slice(),
                &report::matches::COLUMNS,
                &report::rejects::COLUMNS,
                &report::analysis_csv::FORECAST_COLUMNS,
                &report::analysis_csv::DISPROPORTIONALITY_COLUMNS,
                &report::analysis_csv::STAGES_COLUMNS,
                &report::analysis_csv::REASONS_COLUMNS,
                &report::analysis_csv::QA_COLUMNS,
                &report::analysis_csv::QA_VERDICT_COLUMNS,
                &report::analysis_csv::COVERAGE_COLUMNS,
                &report::analysis_csv::TREND_COLUMNS,
                &report::analysis_csv::CHANGES_COLUMNS,
                &report::analysis_csv::TRIGGERS_COLUMNS,
                &report::unit_csv::BACKLOG_COLUMNS,
                &report::unit_csv::OPEN_CASES_COLUMNS,
                &report::unit_csv::TREND_COLUMNS,
                &report::unit_csv::THROUGHPUT_COLUMNS,
                &report::unit_csv::TIMELINESS_COLUMNS,
                &report::unit_csv::DEMAND_COLUMNS,
                &report::unit_csv::CLEARING_COLUMNS,
                &report::unit_csv::APPEALS_COLUMNS,
                &report::unit_csv::INTERVIEW_COLUMNS,
                &report::unit_csv::DECISION_MAKER_COLUMNS,
                &report::prevention_csv::CONDITION_STATUS_COLUMNS,
                &report::prevention_csv::REGISTER_COLUMNS,
                &report::moves_csv::COLUMNS,
                &report::jml::COLUMNS,
                &report::declarations_csv::COLUMNS,
                &report::signals_csv::COLUMNS,
                &report::sanctions_csv::COLUMNS,
                &report::integrity_csv::POST_REGISTER_CHECKS_COLUMNS,
            ]
            .concat(),
        ),
        (
            "docs/decisions.md",
            [
                names(clerical::import::COLUMNS),
                names(clerical::qa_import::COLUMNS),
            ]
            .concat(),
        ),
    ];
    for (page, columns) in owners {
        let given = named(&read(page));
        let missing: Vec<&&str> = columns.iter().filter(|c| !given.contains(**c)).collect();
        assert!(
            missing.is_empty(),
            "{page} does not name the columns {missing:?}"
        );
    }
}

/// Whether a line cites an issue by number: the word "issue" (any case, "issues" too)
/// followed, after spaces or a `#`, by a digit, as in a comment that names one or a test
/// named after one. "issues" in prose and "the issue" without a number are fine.
fn cites_an_issue_number(line: &str) -> bool {
    let lower = line.to_lowercase();
    lower.match_indices("issue").any(|(i, _)| {
        let rest = lower[i + 5..].trim_start_matches('s').trim_start();
        let rest = rest.trim_start_matches(['#', ' ']);
        rest.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// Every text file under `dir` (relative to the crate root), recursively, hidden entries
/// left out; a file that is not UTF-8 is no text and is skipped.
fn text_files(dir: &str, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("readable entry"))
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = format!("{dir}/{name}");
        let kind = e.file_type().expect("file type");
        if kind.is_dir() {
            text_files(&rel, out);
        } else if kind.is_file() {
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                out.push((rel, text));
            }
        }
    }
}

/// The code, its tests, benchmarks, config and build files say what is and why, not which
/// issue asked for it: a number points nowhere a maintainer can follow, and tests are named
/// by the behaviour they check. History goes to CHANGELOG.md, which names versions.
#[test]
fn no_source_file_cites_an_issue_number() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches", "bench", "config", ".ci"] {
        text_files(dir, &mut files);
    }
    files.push(("Cargo.toml".to_string(), read("Cargo.toml")));
    let mut found = Vec::new();
    for (path, text) in &files {
        for (n, line) in text.lines().enumerate() {
            if cites_an_issue_number(line) {
                found.push(format!("{path}:{}: {line}", n + 1));
            }
        }
    }
    assert!(files.len() > 100, "only {} files read", files.len());
    assert!(
        found.is_empty(),
        "issue numbers in the code, tests or build files:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_issue_number_check_finds_citations_and_passes_prose() {
    let n = 17;
    for cited in [
        format!("// Issue {n}: why"),
        format!("fn issue{n}_a_test() {{"),
        format!("(issue #{n})"),
        format!("see issues {n} and 18"),
    ] {
        assert!(cites_an_issue_number(&cited), "{cited}");
    }
    for prose in [
        "// the issue is the store's lock",
        "// issues a warning",
        "open issues stay open",
    ] {
        assert!(!cites_an_issue_number(prose), "{prose}");
    }
}

#[test]
fn no_page_cites_an_issue_number_or_a_dated_diary() {
    let diary = [
        "the morning of",
        "the afternoon of",
        "the evening of",
        "this morning",
        "this afternoon",
        "this evening",
        "that morning",
        "that afternoon",
        "that evening",
        "§",
    ];
    let mut found = Vec::new();
    for page in pages() {
        for (n, line) in read(&page).lines().enumerate() {
            let lower = line.to_lowercase();
            let dated = diary.iter().find(|d| lower.contains(*d));
            if cites_an_issue_number(line) || dated.is_some() {
                found.push(format!("{page}:{}: {line}", n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "issue numbers or diary dates:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_changelog_lists_every_version_newest_first_under_unreleased() {
    let changelog = read("CHANGELOG.md");
    let headings: Vec<&str> = prose(&changelog)
        .into_iter()
        .filter_map(|(_, l)| l.strip_prefix("## "))
        .collect();
    assert_eq!(headings.first(), Some(&"Unreleased"), "{headings:?}");
    let versions: Vec<(u32, u32, u32)> = headings[1..]
        .iter()
        .map(|h| {
            let (v, date) = h
                .split_once(" (")
                .unwrap_or_else(|| panic!("{h}: VERSION (DATE)"));
            assert!(
                date.len() == 11 && date.ends_with(')'),
                "{h}: a date as YYYY-MM-DD"
            );
            let parts: Vec<u32> = v.split('.').map(|p| p.parse().expect("a number")).collect();
            (parts[0], parts[1], parts[2])
        })
        .collect();
    let current: Vec<u32> = env!("CARGO_PKG_VERSION")
        .split('.')
        .map(|p| p.parse().expect("a number"))
        .collect();
    assert_eq!(
        versions.first(),
        Some(&(current[0], current[1], current[2]))
    );
    assert_eq!(versions.last(), Some(&(0, 1, 0)));
    assert!(
        versions.windows(2).all(|w| w[0] > w[1]),
        "newest first: {versions:?}"
    );
}

#[test]
fn benchmarks_give_each_figure_its_command_and_date_and_keep_febrl_and_splink_beside_accuracy() {
    let text = read("BENCHMARKS.md");
    for machine in ["2 cores", "24 GiB", env!("CARGO_PKG_VERSION")] {
        assert!(
            text.contains(machine),
            "BENCHMARKS.md does not name {machine:?}"
        );
    }
    let is_date = |w: &[u8]| {
        w.len() == 10
            && w.iter().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    *b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
    };
    let mut tables = 0;
    for part in text.split("\n## ").skip(1) {
        let title = part.lines().next().unwrap_or("");
        if !part.contains("\n|---") {
            continue;
        }
        tables += 1;
        assert!(
            part.as_bytes().windows(10).any(is_date),
            "section {title:?} has figures but no date (YYYY-MM-DD)"
        );
        assert!(
            [
                "`vetrecon ",
                "\nvetrecon ",
                "`bench/",
                "`cargo bench",
                "`VETRECON_BENCH"
            ]
            .iter()
            .any(|c| part.contains(c)),
            "section {title:?} has figures but no command that makes them"
        );
        if title.contains("Accuracy") || title.contains("Splink") {
            for peer in ["FEBRL1", "FEBRL2", "FEBRL3", "FEBRL4", "Splink"] {
                assert!(
                    part.contains(peer),
                    "section {title:?} lacks {peer} beside its figures"
                );
            }
        }
    }
    assert!(tables >= 5, "only {tables} sections with figures");
}
