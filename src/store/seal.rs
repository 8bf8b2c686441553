//! The seal: what the database's files looked like when the last command that wrote the
//! store closed them, so the next writing open knows they are as vetrecon left them.
//!
//! A writing open judges the database before it hands the real files to sled (whose
//! recovery writes to them), so that a damaged database is left as found (`damage`). Judging
//! on a private copy costs a copy of the whole database, which grows with every night kept:
//! at a year of nights it was the one part of a night whose cost grew with history. The seal
//! removes that cost on the ordinary night: a writing command, once its database is closed
//! and before it lets go of the lock, writes `sled-seal`: each file under `sled/` with its
//! size and modification time (in nanoseconds), and the payload files in `objects/` (their
//! number and a SHA-256 of their names). The next writing open compares the store with it;
//! when everything is as sealed, nothing has touched the store since a vetrecon command
//! closed it cleanly, so the database is opened in place and judged there. Any difference
//! (a cut, a command that died with the database open, a store written before the seal
//! existed, a database restored from a backup, with its seal or without, beside payload files
//! it does not know) and the open judges on a private copy as before.
//!
//! The seal is removed before a writing open touches the database, so a command killed
//! while the database is open leaves none. Like `chain-head`, it detects what happens to a
//! store by accident, not tampering: whoever can rewrite the database files and keep their
//! times can rewrite the seal too.

use super::blob::Key;
use std::collections::BTreeSet;
use std::path::Path;

/// The seal's file name, beside `sled/` in the store directory.
pub const SEAL_FILE: &str = "sled-seal";

/// The payload files' line of a seal: how many, and the SHA-256 of their names in order.
fn payloads_line(files: &BTreeSet<Key>) -> String {
    let names: Vec<u8> = files.iter().flat_map(|k| k.iter().copied()).collect();
    format!(
        "objects {} {}",
        files.len(),
        super::blob::hex(&super::blob::key_of(&names))
    )
}

/// The kept head's line of a seal: the SHA-256 of `chain-head` as it stands, so a database
/// restored with its seal from before a commit that added no payload file (a `decide`, a
/// night of small deltas) does not hold against the head that commit kept. `None` when the
/// file is there but cannot be read.
fn head_line(dir: &Path) -> Option<String> {
    let head = super::objects::read_beside(dir, super::damage::HEAD_FILE, 4096).ok()?;
    Some(match head {
        Some(bytes) => format!(
            "chain-head {}",
            super::blob::hex(&super::blob::key_of(&bytes))
        ),
        None => "chain-head none".into(),
    })
}

/// The seal of the store in `dir` whose payload files are `files`: their line, the kept
/// head's, then each file under `sled/`, by path relative to it, with its size and
/// modification time, one line each, sorted. `None` when any of it cannot be read, or it
/// holds a link.
fn fingerprint(dir: &Path, files: &BTreeSet<Key>) -> Option<String> {
    let sled_dir = &dir.join("sled");
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> Option<()> {
        for e in std::fs::read_dir(dir).ok()? {
            let e = e.ok()?;
            let m = std::fs::symlink_metadata(e.path()).ok()?;
            if m.is_dir() {
                walk(root, &e.path(), out)?;
            } else if m.is_file() {
                let rel = e.path().strip_prefix(root).ok()?.to_str()?.to_string();
                let modified = m
                    .modified()
                    .ok()?
                    .duration_since(std::time::UNIX_EPOCH)
                    .ok()?;
                out.push(format!("{rel} {} {}", m.len(), modified.as_nanos()));
            } else {
                return None;
            }
        }
        Some(())
    }
    let mut lines = Vec::new();
    walk(sled_dir, sled_dir, &mut lines)?;
    lines.sort();
    lines.insert(0, head_line(dir)?);
    lines.insert(0, payloads_line(files));
    Some(lines.join("\n"))
}

/// Whether the database files in `dir/sled` and the payload files (`files`, from the
/// survey) are exactly as the seal says.
pub fn holds(dir: &Path, files: &BTreeSet<Key>) -> bool {
    // A seal lists a handful of files: a megabyte is far more than one.
    let Ok(Some(kept)) = super::objects::read_beside(dir, SEAL_FILE, 1 << 20) else {
        return false;
    };
    fingerprint(dir, files).is_some_and(|now| now.as_bytes() == kept)
}

/// Remove the seal (before the database is opened to be written), and any temporary seal a
/// killed command left.
pub fn break_seal(dir: &Path) -> std::io::Result<()> {
    super::objects::sweep_beside(dir, SEAL_FILE);
    match std::fs::remove_file(dir.join(SEAL_FILE)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        // The removal reaches the disk before the database is opened to write.
        Ok(()) => super::objects::open_nofollow(dir)?.sync_all(),
    }
}

/// Write the seal of the store in `dir`, once its database is closed
/// (`objects::replace_beside`). A store that cannot be surveyed or read
/// leaves no seal (the next open judges on a copy).
pub fn seal(dir: &Path) -> std::io::Result<()> {
    let Ok(survey) = super::tree::survey(dir) else {
        return Ok(());
    };
    let Some(text) = fingerprint(dir, &survey.payload_files) else {
        return Ok(());
    };
    super::objects::replace_beside(dir, SEAL_FILE, text.as_bytes())
}

/// Writes the seal when dropped: a `Store` that writes holds one, declared after its
/// database handles and before its lock, so the seal is written once the database is
/// closed and before another command can take the lock.
pub struct SealOnDrop {
    pub dir: std::path::PathBuf,
    /// Cleared when the database could not be flushed: then its files are not known to be a
    /// clean close, and no seal is written (nor while unwinding from a panic).
    pub armed: bool,
}

impl Drop for SealOnDrop {
    fn drop(&mut self) {
        if !self.armed || std::thread::panicking() {
            return;
        }
        if let Err(e) = seal(&self.dir) {
            tracing::debug!(error = %e, "the database could not be sealed; the next writing open judges it on a copy");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(dir: &Path) -> bool {
        let survey = super::super::tree::survey(dir).unwrap();
        super::holds(dir, &survey.payload_files)
    }

    #[test]
    fn a_seal_holds_until_a_database_file_changes_in_size_or_time() {
        let tmp = tempfile::tempdir().unwrap();
        let sled = tmp.path().join("sled");
        std::fs::create_dir_all(sled.join("blobs")).unwrap();
        std::fs::write(sled.join("db"), b"0123456789").unwrap();
        std::fs::write(sled.join("blobs").join("1"), b"x").unwrap();
        assert!(!holds(tmp.path()), "no seal yet");
        seal(tmp.path()).unwrap();
        assert!(holds(tmp.path()));
        // The same size, a later time: changed.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(sled.join("db"), b"0123456780").unwrap();
        assert!(!holds(tmp.path()));
        seal(tmp.path()).unwrap();
        assert!(holds(tmp.path()));
        // Cut short, a file added, a file removed.
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(sled.join("db"))
            .unwrap();
        f.set_len(4).unwrap();
        assert!(!holds(tmp.path()));
        seal(tmp.path()).unwrap();
        std::fs::write(sled.join("snap.1"), b"s").unwrap();
        assert!(!holds(tmp.path()));
        seal(tmp.path()).unwrap();
        std::fs::remove_file(sled.join("blobs").join("1")).unwrap();
        assert!(!holds(tmp.path()));
        // A payload file added to objects/, or one taken away.
        let key = "ab".to_string() + &"c".repeat(62);
        std::fs::create_dir_all(tmp.path().join("objects").join("ab")).unwrap();
        seal(tmp.path()).unwrap();
        let payload = tmp.path().join("objects").join("ab").join(&key[2..]);
        std::fs::write(&payload, b"p").unwrap();
        assert!(!holds(tmp.path()));
        seal(tmp.path()).unwrap();
        assert!(holds(tmp.path()));
        std::fs::remove_file(&payload).unwrap();
        assert!(!holds(tmp.path()));
        // The kept head rewritten (a commit that added no payload file), or removed.
        seal(tmp.path()).unwrap();
        std::fs::write(tmp.path().join("chain-head"), b"{\"seq\":1}").unwrap();
        assert!(!holds(tmp.path()));
        seal(tmp.path()).unwrap();
        assert!(holds(tmp.path()));
        std::fs::write(tmp.path().join("chain-head"), b"{\"seq\":2}").unwrap();
        assert!(!holds(tmp.path()));
        seal(tmp.path()).unwrap();
        std::fs::remove_file(tmp.path().join("chain-head")).unwrap();
        assert!(!holds(tmp.path()));
        // Broken: gone, and a temporary seal a killed command left goes with it.
        seal(tmp.path()).unwrap();
        std::fs::write(tmp.path().join(".sled-seal.abc"), b"").unwrap();
        break_seal(tmp.path()).unwrap();
        assert!(!holds(tmp.path()));
        assert!(!tmp.path().join(".sled-seal.abc").exists());
        assert!(break_seal(tmp.path()).is_ok(), "breaking no seal is fine");
    }
}
