//! Helpers for running the real binary in a scratch directory.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const AS_OF: &str = "2026-11-24";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn demo(file: &str) -> PathBuf {
    root().join("testdata/demo").join(file)
}

/// A scratch directory with `out/` and `db/` paths inside.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("db")
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        p
    }
    pub fn read_out(&self, name: &str) -> String {
        std::fs::read_to_string(self.out().join(name)).unwrap()
    }

    /// `vetrecon run` on the demo data, with any file swapped by `--roster` etc. in `extra`.
    pub fn run(&self, extra: &[&str]) -> Output {
        let mut args: Vec<String> = vec!["run".into()];
        let defaults = [
            ("--config", root().join("config/vetrecon.toml")),
            ("--as-of", PathBuf::from(AS_OF)),
            ("--out", self.out()),
            ("--db", self.db()),
            ("--roster", demo("roster.csv")),
            ("--posts", demo("posts.csv")),
            ("--vetting", demo("vetting.csv")),
        ];
        for (flag, value) in defaults {
            if !extra.contains(&flag) {
                args.push(flag.into());
                args.push(value.display().to_string());
            }
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        vetrecon(&args, self.dir.path())
    }
}

impl Scratch {
    /// Any store command against this scratch store: `args` then `--db <db>`.
    pub fn store_cmd(&self, args: &[&str]) -> Output {
        let mut v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        v.push("--db".into());
        v.push(self.db().display().to_string());
        vetrecon(&v, self.dir.path())
    }

    /// `vetrecon runs` against this scratch store.
    pub fn list_runs(&self) -> Output {
        let args: Vec<String> = vec![
            "runs".into(),
            "--config".into(),
            root().join("config/vetrecon.toml").display().to_string(),
            "--db".into(),
            self.db().display().to_string(),
        ];
        vetrecon(&args, self.dir.path())
    }
}

pub fn vetrecon(args: &[String], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vetrecon"))
        .args(args)
        .current_dir(cwd)
        .env_remove("RUST_LOG")
        .output()
        .expect("the binary runs")
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Rows of a CSV text as maps from header to value.
pub fn rows(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Every `data-figure="name">value<` on the page, values without thousands separators.
pub fn figures(html: &str) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut rest = html;
    while let Some(i) = rest.find("data-figure=\"") {
        rest = &rest[i + 13..];
        let end = rest.find('"').unwrap();
        let name = rest[..end].to_string();
        let open = rest.find('>').unwrap();
        let close = rest[open..].find('<').unwrap();
        let value = rest[open + 1..open + close].replace(',', "");
        out.insert(name, value);
        rest = &rest[open..];
    }
    out
}

pub fn count_where(
    rows: &[std::collections::BTreeMap<String, String>],
    col: &str,
    value: &str,
) -> usize {
    rows.iter().filter(|r| r[col] == value).count()
}
