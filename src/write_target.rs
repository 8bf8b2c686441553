//! Write targets: what a command was told to write is checked before anything is read or
//! written, so that no command writes inside a vetrecon store (other than the store itself)
//! or onto a file it reads.
//!
//! Two paths name the same file when they resolve to the same place (links and `..`
//! followed) or when they are the same file on disk: the same device and inode, which is what
//! a hard link or a symbolic link shares with its file however it is spelled. Every target is
//! compared both ways: `check --rejects`, `train --out`, the files `run` and `report` write in
//! `--out`, and the store a command writes (`--db`).

use crate::error::Error;
use std::path::{Path, PathBuf};

/// A file's identity on disk: device and inode (Unix). Two names of one file, whether hard
/// links, a symbolic link or two spellings of a path, have the same identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    /// The identity of what `path` names (links followed), or `None` when it does not exist
    /// or the platform has no inodes (then only paths are compared).
    pub fn of(path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(path).ok().map(|m| FileId {
                dev: m.dev(),
                ino: m.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            None
        }
    }
}

/// A path made absolute with every link and `..` resolved as far as it exists (the rest
/// joined on lexically), so two spellings of one place compare equal.
pub fn resolved(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut tail = Vec::new();
    let mut head = abs.as_path();
    loop {
        if let Ok(c) = head.canonicalize() {
            let mut out = c;
            for part in tail.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        let Some(parent) = head.parent() else {
            return abs;
        };
        if let Some(last) = head.components().next_back() {
            tail.push(last);
        }
        head = parent;
    }
}

/// Whether `a` and `b` are one file: the same place, or the same file on disk.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if resolved(a) == resolved(b) {
        return true;
    }
    matches!((FileId::of(a), FileId::of(b)), (Some(x), Some(y)) if x == y)
}

/// The vetrecon store `path` lies in, if any: the nearest directory at or above it holding
/// a store's `sled/` directory and `lock` file.
fn enclosing_store(path: &Path) -> Option<PathBuf> {
    let p = resolved(path);
    p.ancestors()
        .find(|a| {
            std::fs::symlink_metadata(a.join("sled")).is_ok_and(|m| m.is_dir())
                && std::fs::symlink_metadata(a.join("lock")).is_ok_and(|m| m.is_file())
        })
        .map(Path::to_path_buf)
}

/// Refuse a file or directory a command was told to write (`check --rejects`, `train
/// --out`, `generate --out`, `run`/`report --out`) when it lies inside a vetrecon store (a
/// file written there can destroy the database) or is one of the files the command reads,
/// by any name (`check --rejects` onto the roster it checks, or onto a hard link of it,
/// would replace the HR export).
pub fn check_write_target(target: &Path, what: &str, reads: &[&Path]) -> Result<(), Error> {
    if let Some(store) = enclosing_store(target) {
        return Err(Error::Usage(format!(
            "{what} {} is inside the vetrecon store {}; vetrecon writes nothing there but the store itself",
            target.display(),
            store.display()
        )));
    }
    if let Some(r) = reads.iter().find(|r| same_file(target, r)) {
        return Err(Error::Usage(format!(
            "{what} {} is {}, a file this command reads (the same file, by path or by link); choose another path",
            target.display(),
            r.display()
        )));
    }
    Ok(())
}

/// Refuse an output directory inside the store (outputs there hold personal data that
/// `prune` never reaches, and the store would hold files it did not write), and one where an
/// output (`names`) would replace a file the command reads: `run --roster out/matches.csv
/// --out out` would make the night's matches the roster.
pub fn check_out_dir(
    out: &Path,
    store: &Path,
    names: &[&str],
    reads: &[&Path],
) -> Result<(), Error> {
    check_write_target(out, "the output directory", &[])?;
    if resolved(out).starts_with(resolved(store)) {
        return Err(Error::Usage(format!(
            "the output directory {} is inside the store {}; outputs there would be out of reach of `prune` (choose another --out)",
            out.display(),
            store.display()
        )));
    }
    for name in names {
        let dest = out.join(name);
        if let Some(r) = reads.iter().find(|r| same_file(&dest, r)) {
            return Err(Error::Usage(format!(
                "the output directory {} would replace {}, a file this command reads, with its {name} (the same file, by path or by link); choose another --out",
                out.display(),
                r.display()
            )));
        }
    }
    Ok(())
}

/// The files of a store that are written in place: its lock and sled's database files. (A
/// payload under `objects/` is only ever created under a new name and renamed, so a link to
/// one is never written through.)
fn written_in_place(store: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => walk(&e.path(), out),
                Ok(t) if t.is_file() => out.push(e.path()),
                _ => {}
            }
        }
    }
    let mut out = vec![store.join("lock")];
    walk(&store.join("sled"), &mut out);
    out
}

/// Refuse a store (`--db`) that a file the command reads lies in, or that writes in place a
/// file the command reads (a hard link of the roster planted as the store's lock).
pub fn check_store_dir(store: &Path, reads: &[&Path]) -> Result<(), Error> {
    let root = resolved(store);
    if let Some(r) = reads.iter().find(|r| resolved(r).starts_with(&root)) {
        return Err(Error::Usage(format!(
            "{} is inside the store {}; the store holds only what vetrecon writes there (move the file out)",
            r.display(),
            store.display()
        )));
    }
    let ids: Vec<(&Path, FileId)> = reads
        .iter()
        .filter_map(|r| Some((*r, FileId::of(r)?)))
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    for f in written_in_place(store) {
        let Some(id) = FileId::of(&f) else {
            continue;
        };
        if let Some((r, _)) = ids.iter().find(|(_, x)| *x == id) {
            return Err(Error::Usage(format!(
                "{} is the same file as {} in the store {}, which the store writes; choose another --db",
                r.display(),
                f.display(),
                store.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hard_link_and_a_symbolic_link_are_the_file_they_name() {
        let d = tempfile::tempdir().unwrap();
        let roster = d.path().join("roster.csv");
        std::fs::write(&roster, "employee_id\nE1\n").unwrap();
        let hard = d.path().join("hard.csv");
        std::fs::hard_link(&roster, &hard).unwrap();
        let other = d.path().join("other.csv");
        std::fs::write(&other, "x").unwrap();
        assert!(same_file(&roster, &hard));
        assert!(same_file(&roster, &d.path().join("sub/../roster.csv")));
        #[cfg(unix)]
        {
            let soft = d.path().join("soft.csv");
            std::os::unix::fs::symlink(&roster, &soft).unwrap();
            assert!(same_file(&soft, &roster));
        }
        assert!(!same_file(&roster, &other));
        assert!(!same_file(&roster, &d.path().join("absent.csv")));
        let e = check_write_target(&hard, "--rejects", &[&other, &roster]).unwrap_err();
        assert!(e.to_string().contains("a file this command reads"), "{e}");
        assert!(check_write_target(&d.path().join("new.csv"), "--rejects", &[&roster]).is_ok());
    }

    #[test]
    fn an_output_onto_a_file_read_is_refused_by_name_and_by_link() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let store = d.path().join("db");
        let roster = out.join("matches.csv");
        std::fs::write(&roster, "employee_id\nE1\n").unwrap();
        let e = check_out_dir(&out, &store, &["exceptions.csv", "matches.csv"], &[&roster])
            .unwrap_err();
        assert!(e.to_string().contains("with its matches.csv"), "{e}");
        // A hard link of the config where an output goes.
        let config = d.path().join("vetrecon.toml");
        std::fs::write(&config, "").unwrap();
        let out2 = d.path().join("out2");
        std::fs::create_dir(&out2).unwrap();
        std::fs::hard_link(&config, out2.join("summary.txt")).unwrap();
        assert!(check_out_dir(&out2, &store, &["summary.txt"], &[&config]).is_err());
        assert!(check_out_dir(&out2, &store, &["report.html"], &[&config]).is_ok());
    }

    #[test]
    fn a_store_holding_or_writing_a_file_read_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let store = d.path().join("db");
        std::fs::create_dir_all(store.join("sled")).unwrap();
        let lock = store.join("lock");
        std::fs::write(&lock, "").unwrap();
        let inside = store.join("roster.csv");
        std::fs::write(&inside, "x").unwrap();
        assert!(check_store_dir(&store, &[&inside]).is_err());
        let roster = d.path().join("roster.csv");
        std::fs::write(&roster, "x").unwrap();
        assert!(check_store_dir(&store, &[&roster]).is_ok());
        std::fs::remove_file(&lock).unwrap();
        std::fs::hard_link(&roster, &lock).unwrap();
        let e = check_store_dir(&store, &[&roster]).unwrap_err();
        assert!(e.to_string().contains("which the store writes"), "{e}");
        // No store yet: nothing to compare with.
        assert!(check_store_dir(&d.path().join("new"), &[&roster]).is_ok());
    }
}
