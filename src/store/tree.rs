//! What is in a store directory, judged without following or changing anything.
//!
//! Every open of a store surveys it first. A store holds no link: vetrecon never makes one,
//! and a link planted as `objects`, a payload directory, a payload file, `sled` or anything
//! in it, `lock`, or anything else in the store's directory would send personal data
//! elsewhere or pass off a file kept elsewhere as the store's. So a link anywhere in the store
//! is refused, naming it, before sled or any payload is opened. (The path given as `--db`
//! may itself be a link to the store: that is the operator's choice.)
//!
//! The survey also lists what `verify` reports and a writing open puts right: what vetrecon
//! made that group or others may read or write (a `chmod -R` by someone), and what vetrecon
//! did not make in `objects/` (never deleted, only named).

use super::blob::Key;
use super::objects::payload_key;
use crate::error::StoreError;
use std::collections::BTreeSet;
use std::fs::DirEntry;
use std::path::{Path, PathBuf};

/// What one survey found.
#[derive(Debug, Default)]
pub struct Survey {
    /// The payload files in `objects/` (keys from their names).
    pub payload_files: BTreeSet<Key>,
    /// Temporary payload files (`objects/ab/.tmp.*`) a killed write left.
    pub temporaries: Vec<PathBuf>,
    /// Anything in `objects/` that is not a payload directory, a payload file or a temporary.
    pub foreign: Vec<PathBuf>,
    /// What vetrecon made (`lock`, `chain-head`, `sled-seal`, `objects/` and `sled/` and what is in them)
    /// that group or others may read, write or enter; `true` for a directory.
    pub loose: Vec<(PathBuf, bool)>,
}

fn refuse(link: &Path) -> StoreError {
    StoreError::Link {
        path: link.to_path_buf(),
    }
}

fn io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        message: format!("cannot look at the store: {e}"),
    }
}

fn entries(dir: &Path) -> Result<Vec<DirEntry>, StoreError> {
    let rd = std::fs::read_dir(dir).map_err(|e| io(dir, e))?;
    let mut v: Vec<DirEntry> = rd.collect::<Result<_, _>>().map_err(|e| io(dir, e))?;
    v.sort_by_key(DirEntry::file_name);
    Ok(v)
}

/// The entry's own metadata (a link is not followed), refusing a link.
fn look(e: &DirEntry) -> Result<std::fs::Metadata, StoreError> {
    let m = e.metadata().map_err(|err| io(&e.path(), err))?;
    if m.file_type().is_symlink() {
        return Err(refuse(&e.path()));
    }
    Ok(m)
}

/// A payload directory's name: two lower-case hex digits.
fn is_shard(name: &str) -> bool {
    name.len() == 2 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn is_loose(m: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        m.permissions().mode() & 0o077 != 0
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        false
    }
}

impl Survey {
    fn note_mode(&mut self, path: PathBuf, m: &std::fs::Metadata) {
        if is_loose(m) {
            self.loose.push((path, m.is_dir()));
        }
    }

    /// `sled/` and everything under it: links refused, modes noted.
    fn sled(&mut self, dir: &Path) -> Result<(), StoreError> {
        for e in entries(dir)? {
            let m = look(&e)?;
            self.note_mode(e.path(), &m);
            if m.is_dir() {
                self.sled(&e.path())?;
            }
        }
        Ok(())
    }

    /// `objects/`: payload directories of payload files (and temporaries); anything else
    /// is foreign.
    fn objects(&mut self, dir: &Path) -> Result<(), StoreError> {
        for d in entries(dir)? {
            let m = look(&d)?;
            let prefix = d.file_name().to_string_lossy().into_owned();
            if !(m.is_dir() && is_shard(&prefix)) {
                self.foreign.push(d.path());
                continue;
            }
            self.note_mode(d.path(), &m);
            for f in entries(&d.path())? {
                let fm = look(&f)?;
                let name = f.file_name().to_string_lossy().into_owned();
                let key = payload_key(&prefix, &name).filter(|_| fm.is_file());
                if let Some(key) = key {
                    self.payload_files.insert(key);
                } else if name.starts_with(".tmp.") && fm.is_file() {
                    self.temporaries.push(f.path());
                } else {
                    self.foreign.push(f.path());
                    continue;
                }
                self.note_mode(f.path(), &fm);
            }
        }
        Ok(())
    }
}

/// Survey the store in `dir` (which `probe` found to be a store). Refuses a link anywhere
/// in it.
pub fn survey(dir: &Path) -> Result<Survey, StoreError> {
    let mut s = Survey::default();
    for e in entries(dir)? {
        let m = look(&e)?;
        match e.file_name().to_str() {
            Some("lock" | super::damage::HEAD_FILE | super::seal::SEAL_FILE) => {
                s.note_mode(e.path(), &m)
            }
            Some("sled") if m.is_dir() => {
                s.note_mode(e.path(), &m);
                s.sled(&e.path())?;
            }
            Some("objects") if m.is_dir() => {
                s.note_mode(e.path(), &m);
                s.objects(&e.path())?;
            }
            _ => {}
        }
    }
    Ok(s)
}

/// Set what `survey` found loose back to owner-only (0700 directories, 0600 files). Only
/// called by a writing open, with the lock held; a link is never reached (`set_permissions`
/// follows links, so each path is looked at again first).
pub fn tighten(loose: &[(PathBuf, bool)]) -> Result<usize, StoreError> {
    let mut done = 0;
    #[cfg(unix)]
    for (path, is_dir) in loose {
        use std::os::unix::fs::PermissionsExt;
        let Ok(m) = std::fs::symlink_metadata(path) else {
            continue;
        };
        if m.file_type().is_symlink() || !is_loose(&m) {
            continue;
        }
        let mode = if *is_dir { 0o700 } else { 0o600 };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|e| {
            StoreError::Io {
                path: path.clone(),
                message: format!("cannot restrict permissions: {e}"),
            }
        })?;
        done += 1;
    }
    #[cfg(not(unix))]
    let _ = loose;
    Ok(done)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, PermissionsExt};

    fn store_dir() -> (tempfile::TempDir, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("db");
        let shard = d.join("objects").join("ab");
        std::fs::create_dir_all(&shard).unwrap();
        std::fs::create_dir_all(d.join("sled").join("blobs")).unwrap();
        std::fs::write(shard.join("c".repeat(62)), "x").unwrap();
        std::fs::write(d.join("lock"), "").unwrap();
        std::fs::write(d.join("sled").join("db"), "").unwrap();
        for p in [
            &d,
            &d.join("objects"),
            &shard,
            &d.join("sled"),
            &d.join("sled/blobs"),
        ] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        for p in [
            d.join("lock"),
            d.join("sled/db"),
            shard.join("c".repeat(62)),
        ] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        (t, d)
    }

    #[test]
    fn a_link_anywhere_in_the_store_is_refused_and_named() {
        let names = [
            "objects",
            "objects/ab",
            "objects/ab/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
            "objects/cd",
            "sled",
            "sled/db",
            "sled/blobs",
            "sled/blobs/7",
            "lock",
            "notes",
        ];
        for name in names {
            let (t, d) = store_dir();
            let outside = t.path().join("outside");
            std::fs::create_dir(&outside).unwrap();
            let p = d.join(name);
            if p.is_dir() {
                std::fs::remove_dir_all(&p).unwrap();
            } else if p.exists() {
                std::fs::remove_file(&p).unwrap();
            }
            symlink(&outside, &p).unwrap();
            match survey(&d) {
                Err(StoreError::Link { path }) => assert_eq!(path, p, "{name}"),
                other => panic!("{name}: expected a refusal, got {other:?}"),
            }
        }
    }

    #[test]
    fn payloads_temporaries_foreign_files_and_loose_modes_are_told_apart() {
        let (_t, d) = store_dir();
        let shard = d.join("objects/ab");
        std::fs::write(shard.join(".tmp.x1"), "half").unwrap();
        std::fs::set_permissions(
            shard.join(".tmp.x1"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        std::fs::write(shard.join("NOTES.txt"), "?").unwrap();
        std::fs::write(shard.join("C".repeat(62)), "upper case is not ours").unwrap();
        std::fs::create_dir(d.join("objects/zz")).unwrap();
        std::fs::write(d.join("objects/readme"), "?").unwrap();
        std::fs::set_permissions(d.join("sled/db"), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        std::fs::set_permissions(&shard, std::fs::Permissions::from_mode(0o755)).unwrap();
        let s = survey(&d).unwrap();
        assert_eq!(s.payload_files.len(), 1);
        assert_eq!(s.temporaries, vec![shard.join(".tmp.x1")]);
        let mut foreign = s.foreign.clone();
        foreign.sort();
        assert_eq!(
            foreign,
            vec![
                shard.join("C".repeat(62)),
                shard.join("NOTES.txt"),
                d.join("objects/readme"),
                d.join("objects/zz"),
            ]
        );
        let loose: Vec<&PathBuf> = s.loose.iter().map(|(p, _)| p).collect();
        assert_eq!(loose, vec![&shard, &d.join("sled/db")]);
        assert_eq!(tighten(&s.loose).unwrap(), 2);
        assert!(survey(&d).unwrap().loose.is_empty());
    }
}
