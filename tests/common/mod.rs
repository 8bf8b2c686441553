//! Helpers for running the real binary in a scratch directory.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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
        self.on_demo("run", true, extra)
    }

    /// `vetrecon check` on the demo data, like `run` (no `--out`).
    pub fn check(&self, extra: &[&str]) -> Output {
        self.on_demo("check", false, extra)
    }

    /// `command` with the demo's files, this scratch store (and outputs) and the demo date,
    /// each replaced by the same flag in `extra`.
    fn on_demo(&self, command: &str, with_out: bool, extra: &[&str]) -> Output {
        let mut args: Vec<String> = vec![command.into()];
        let mut defaults = vec![
            ("--config", root().join("config/vetrecon.toml")),
            ("--as-of", PathBuf::from(AS_OF)),
            ("--db", self.db()),
            ("--roster", demo("roster.csv")),
            ("--posts", demo("posts.csv")),
            ("--vetting", demo("vetting.csv")),
            ("--pnd-returns", demo("pnd_returns.csv")),
            ("--misconduct", demo("misconduct.csv")),
            ("--circumstances", demo("circumstances.csv")),
            ("--recruitment-plan", demo("recruitment_plan.csv")),
            ("--postings", demo("postings.csv")),
            ("--conditions", demo("conditions.csv")),
            ("--declarations", demo("declarations.csv")),
        ];
        if with_out {
            defaults.push(("--out", self.out()));
        }
        for (flag, value) in defaults {
            // `--no-pnd-returns` etc. turn the demo's feed off.
            let off = format!("--no-{}", flag.trim_start_matches("--"));
            if !extra.contains(&flag) && !extra.contains(&off.as_str()) {
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

/// The binary with `args` in `cwd`, with no `RUST_LOG` and no `VETRECON_CONFIG` from the
/// environment the tests were started in.
pub fn vetrecon(args: &[String], cwd: &Path) -> Output {
    vetrecon_with(args, cwd, &[])
}

/// `vetrecon` with environment variables set (`VETRECON_CONFIG`...).
pub fn vetrecon_with(args: &[String], cwd: &Path, env: &[(&str, &Path)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vetrecon"));
    c.args(args)
        .current_dir(cwd)
        .env_remove("RUST_LOG")
        .env_remove("VETRECON_CONFIG");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("the binary runs")
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

// ---- crash and signal tests ---------------------------------------------------------------

/// A generated force of 4,000 people (seed 11, as of `AS_OF`) in `s/force`.
pub fn generate_force(s: &Scratch) -> PathBuf {
    let force = s.path("force");
    let g = vetrecon(
        &[
            "generate".into(),
            "--people".into(),
            "4000".into(),
            "--seed".into(),
            "11".into(),
            "--as-of".into(),
            AS_OF.into(),
            "--out".into(),
            force.display().to_string(),
        ],
        s.dir.path(),
    );
    assert_eq!(code(&g), 0, "{}", stderr(&g));
    force
}

/// The generated force, with its first night committed (large enough that a run takes a
/// while, for the crash and signal tests).
pub fn generated_force(s: &Scratch) -> PathBuf {
    let force = generate_force(s);
    let o = s.run(&[
        "--roster",
        force.join("roster.csv").to_str().unwrap(),
        "--posts",
        force.join("posts.csv").to_str().unwrap(),
        "--vetting",
        force.join("vetting.csv").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    force
}

/// The facts about a store that an aborted run must not change.
pub fn snapshot(db: &Path) -> (Option<(u64, String)>, usize, usize) {
    let store = vetrecon::store::Store::open(db, "test").unwrap();
    (
        store.head().unwrap(),
        store.runs().unwrap().len(),
        store.blob_index().unwrap().len(),
    )
}

pub fn spawn_run(
    s: &Scratch,
    force: &Path,
    as_of: &str,
    pause: Option<&str>,
) -> std::process::Child {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vetrecon"));
    c.args(["run", "--config"])
        .arg(root().join("config/vetrecon.toml"))
        .args(["--as-of", as_of, "--out"])
        .arg(s.out())
        .arg("--db")
        .arg(s.db())
        .arg("--roster")
        .arg(force.join("roster.csv"))
        .arg("--posts")
        .arg(force.join("posts.csv"))
        .arg("--vetting")
        .arg(force.join("vetting.csv"))
        .arg("--pnd-returns")
        .arg(demo("pnd_returns.csv"))
        .arg("--misconduct")
        .arg(demo("misconduct.csv"))
        .arg("--circumstances")
        .arg(demo("circumstances.csv"))
        .current_dir(s.dir.path())
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(stage) = pause {
        c.env("VETRECON_PAUSE_AT", stage);
    }
    c.spawn().unwrap()
}

/// Wait until the child says it paused (stderr); returns the rest of its stderr as lines.
pub fn wait_for_pause(
    child: &mut std::process::Child,
    stage: &str,
) -> std::io::Lines<std::io::BufReader<std::process::ChildStderr>> {
    use std::io::BufRead;
    let err = child.stderr.take().unwrap();
    let mut lines = std::io::BufReader::new(err).lines();
    let want = format!("paused at {stage}");
    loop {
        match lines.next() {
            Some(Ok(l)) if l.contains(&want) => return lines,
            Some(_) => continue,
            None => panic!("the run ended without pausing at {stage}"),
        }
    }
}

/// Wait until the child says it paused, then `kill -9` it.
pub fn kill_at_pause(mut child: std::process::Child, stage: &str) {
    let _rest = wait_for_pause(&mut child, stage);
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
}

/// The temporary (staged) files in the output directory.
pub fn temp_files(s: &Scratch) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(s.out())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    v.sort();
    v
}

pub fn no_temp_files(s: &Scratch) {
    let stale = temp_files(s);
    assert!(stale.is_empty(), "{stale:?}");
}
