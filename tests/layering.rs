//! The stages must not import `config`. `config` composes every stage's section and
//! builds its policy, so a stage that reached back up into `config` would make an import
//! circle (as importing `config::Levels` from a stage would). This test reads `src/` and
//! fails on any library line of a stage that names `crate::config`.
//!
//! Allowed to name `config`: the modules above the stages that load a config and drive them
//! (the commands), and test-only code (a `#[cfg(test)]` module file, or a file's in-line
//! `#[cfg(test)] mod tests { .. }`), which may build a whole policy to test one stage.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Files (relative to `src/`) above the stages: `config` itself and the commands that load a
/// config and call the stages in order. A new entry here needs a reason in review.
const ABOVE_THE_STAGES: &[&str] = &[
    "config/",
    "cli/",
    "main.rs",
    "lib.rs",
    "run.rs",
    "night.rs",
    "testkit.rs",
    // `vetrecon check`, `evaluate`, `generate` (its read-back ingests as a run does), and
    // replay (re-reads a stored run's config from the store).
    "preflight.rs",
    "evaluate.rs",
    "generate/mod.rs",
    "history/replay.rs",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The files declared as `#[cfg(test)] mod name;` by their parent: test-only as a whole.
fn test_only_files(src: &Path, files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        // A module file `a/b.rs` declares its children in `a/b/`; `mod.rs` and `lib.rs` in
        // their own directory.
        let stem = f.file_stem().unwrap().to_str().unwrap();
        let dir = if stem == "mod" || (stem == "lib" && f.parent() == Some(src)) {
            f.parent().unwrap().to_path_buf()
        } else {
            f.with_extension("")
        };
        for w in lines.windows(2) {
            if w[0] != "#[cfg(test)]" {
                continue;
            }
            let decl = w[1]
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ");
            if let Some(name) = decl.strip_prefix("mod ").and_then(|d| d.strip_suffix(';')) {
                out.insert(dir.join(format!("{name}.rs")));
                out.insert(dir.join(name).join("mod.rs"));
            }
        }
    }
    out
}

/// The lines of a file's library code: everything before an in-line `#[cfg(test)] mod`.
fn library_lines(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .windows(2)
        .position(|w| w[0].trim() == "#[cfg(test)]" && w[1].trim_start().starts_with("mod "))
        .unwrap_or(lines.len());
    lines[..end]
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 1, *l))
        .collect()
}

/// Every library line of a stage that names `config`, as `file:line: text`.
fn stage_lines_naming_config(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let test_only = test_only_files(src, &files);
    let mut found = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(src).unwrap().to_str().unwrap().to_string();
        if ABOVE_THE_STAGES.iter().any(|a| rel.starts_with(a)) || test_only.contains(f) {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in library_lines(&text) {
            let code = line.split("//").next().unwrap_or("");
            // `crate::config::..`, and a grouped `use crate::{config, ..}` / `{.., config::..}`.
            let grouped = code.contains("use crate::{")
                && code
                    .split(['{', ',', '}'])
                    .any(|part| part.trim() == "config" || part.trim().starts_with("config::"));
            if code.contains("crate::config") || grouped {
                found.push(format!("src/{rel}:{n}: {}", line.trim()));
            }
        }
    }
    found
}

#[test]
fn no_stage_imports_config() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = stage_lines_naming_config(&src);
    assert!(
        found.is_empty(),
        "stages must not import `config` (it builds their policies; move what they share to \
         the model or the stage's own settings):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_layering_check_sees_a_stage_that_imports_config() {
    // The check itself must be able to fail: a scratch tree with one stage file naming config,
    // one test-only module that may, and a command above the stages that may.
    let dir = std::env::temp_dir().join(format!("vetrecon-layering-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("assess")).unwrap();
    std::fs::write(
        src.join("assess/mod.rs"),
        "//! x\n#[cfg(test)]\nmod tests;\npub mod rule;\n",
    )
    .unwrap();
    std::fs::write(
        src.join("assess/rule.rs"),
        "use crate::model::Person;\nuse crate::config::Levels;\n#[cfg(test)]\nmod tests {\n    use crate::config::Policy;\n}\n",
    )
    .unwrap();
    std::fs::write(src.join("assess/tests.rs"), "use crate::config::Policy;\n").unwrap();
    std::fs::write(
        src.join("report.rs"),
        "use crate::{model::Levels, config::raw::RawReport};\n",
    )
    .unwrap();
    std::fs::write(src.join("run.rs"), "use crate::config::Policy;\n").unwrap();
    let found = stage_lines_naming_config(&src);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        found,
        [
            "src/assess/rule.rs:2: use crate::config::Levels;",
            "src/report.rs:1: use crate::{model::Levels, config::raw::RawReport};",
        ]
    );
}
