//! A private copy of the database, for the commands that only read the store.
//!
//! sled 0.34 has no read-only mode: opening a database takes a write lock on its files and
//! may write to them (recovery, snapshots). So a command that only reads (`runs`, `show`,
//! `report`, `replay`, `diff`, `person`, `verify`, `check`, `explain`) copies `sled/` (the
//! small part of the store, a small fraction of the payload files) into a private
//! temporary directory, opens the copy, and reads the payload files in place. It never
//! writes to the store, so it works on an archived copy on read-only media or on a store
//! its user may only read, and the original database files are never handed
//! to sled's recovery by a reader (a damaged database stays as it was found).
//!
//! A command that writes judges the database on such a copy too, before it opens the real
//! files (`Store::open`): a damaged database, or one of another schema, is left as found.
//!
//! The copy holds personal data (small payloads live in the database), so it is made
//! owner-only under `$TMPDIR` as `vetrecon-read-*`, removed when the command ends, and on
//! SIGTERM or SIGINT (`interrupt`). A copy left by a command killed outright is removed by
//! the next reading command of the same user: each copy holds a lock while it is in use.

use crate::error::StoreError;
use std::fs::File;
use std::path::{Path, PathBuf};

const PREFIX: &str = "vetrecon-read-";

/// The copy; removed when dropped (after the database opened on it, see `Store`).
pub struct Copy {
    dir: tempfile::TempDir,
    _held: File,
}

impl Copy {
    /// The copied `sled/` directory.
    pub fn sled(&self) -> PathBuf {
        self.dir.path().join("sled")
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        crate::interrupt::forget_on_exit(self.dir.path());
    }
}

fn io(path: &Path, what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        message: format!("{what}: {e}"),
    }
}

/// Copy `sled_dir` (which `tree::survey` found free of links) into a new private directory.
pub fn take(sled_dir: &Path) -> Result<Copy, StoreError> {
    sweep_stale();
    let mut builder = tempfile::Builder::new();
    builder.prefix(PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    let dir = builder.tempdir().map_err(|e| {
        io(
            &std::env::temp_dir(),
            "cannot make a private copy of the database",
            e,
        )
    })?;
    crate::interrupt::remove_on_exit(dir.path());
    let held_path = dir.path().join("held");
    let held = File::create(&held_path)
        .and_then(|f| f.try_lock().map(|()| f).map_err(std::io::Error::from))
        .map_err(|e| io(&held_path, "cannot mark the private copy in use", e))?;
    let copy = Copy { dir, _held: held };
    copy_tree(sled_dir, &copy.sled())?;
    Ok(copy)
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), StoreError> {
    let mut dir = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        dir.mode(0o700);
    }
    dir.create(to)
        .map_err(|e| io(to, "cannot make the private copy", e))?;
    let rd = std::fs::read_dir(from).map_err(|e| io(from, "cannot read the database", e))?;
    for e in rd {
        let e = e.map_err(|err| io(from, "cannot read the database", err))?;
        let t = e
            .file_type()
            .map_err(|err| io(&e.path(), "cannot read", err))?;
        let name = e.file_name();
        let target = to.join(&name);
        if t.is_dir() {
            copy_tree(&e.path(), &target)?;
        } else if t.is_file() {
            // An unfinished snapshot is not part of the database (see `Store::open`).
            let n = name.to_string_lossy();
            if n.starts_with("snap.") && n.ends_with(".generating") {
                continue;
            }
            copy_file(&e.path(), &target)?;
        } else {
            return Err(StoreError::Link { path: e.path() });
        }
    }
    Ok(())
}

fn copy_file(from: &Path, to: &Path) -> Result<(), StoreError> {
    let mut src =
        super::objects::open_nofollow(from).map_err(|e| io(from, "cannot read the database", e))?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut dst = opts
        .open(to)
        .map_err(|e| io(to, "cannot make the private copy", e))?;
    std::io::copy(&mut src, &mut dst).map_err(|e| io(to, "cannot copy the database", e))?;
    Ok(())
}

/// Remove copies left by commands that were killed: a directory of ours whose `held` lock
/// nobody holds (or that never got one and is over an hour old).
fn sweep_stale() {
    sweep_stale_in(&std::env::temp_dir());
}

fn sweep_stale_in(tmp: &Path) {
    let Ok(rd) = std::fs::read_dir(tmp) else {
        return;
    };
    for e in rd.flatten() {
        if !e.file_name().to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let Ok(m) = e.metadata() else { continue };
        if !m.is_dir() || !mine(&m) {
            continue;
        }
        let held = super::objects::open_nofollow(&e.path().join("held"));
        let dead = match held {
            Ok(f) => f.try_lock().is_ok(),
            Err(_) => m
                .modified()
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600),
        };
        // Claimed by a rename first, so two commands sweeping at once do not both remove
        // it (each stopping half way when the other took a file from under it).
        let claimed = tmp.join(format!(
            "{PREFIX}gone-{}-{}",
            std::process::id(),
            e.file_name().to_string_lossy()
        ));
        if dead
            && std::fs::rename(e.path(), &claimed).is_ok()
            && std::fs::remove_dir_all(&claimed).is_ok()
        {
            tracing::info!(path = %e.path().display(), "removed a private copy of a store's database left by a killed command");
        }
    }
}

fn mine(m: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        m.uid() == unsafe { libc::geteuid() }
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_copies_nobody_holds_are_swept() {
        let tmp = tempfile::tempdir().unwrap();
        let make = |name: &str, held: bool| {
            let d = tmp.path().join(name);
            std::fs::create_dir_all(d.join("sled")).unwrap();
            std::fs::write(d.join("sled").join("db"), "personal data").unwrap();
            if held {
                std::fs::write(d.join("held"), "").unwrap();
            }
            d
        };
        let dead = make("vetrecon-read-dead", true);
        let live = make("vetrecon-read-live", true);
        let young = make("vetrecon-read-young", false);
        let other = make("not-ours", true);
        let lock = File::open(live.join("held")).unwrap();
        lock.try_lock().unwrap();
        sweep_stale_in(tmp.path());
        assert!(!dead.exists());
        assert!(live.exists() && young.exists() && other.exists());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 3);
        drop(lock);
        sweep_stale_in(tmp.path());
        assert!(!live.exists());
    }

    #[test]
    fn a_copy_is_private_whole_and_gone_when_dropped() {
        let store = tempfile::tempdir().unwrap();
        let sled = store.path().join("sled");
        std::fs::create_dir_all(sled.join("blobs")).unwrap();
        std::fs::write(sled.join("db"), "log").unwrap();
        std::fs::write(sled.join("blobs").join("1"), "blob").unwrap();
        std::fs::write(sled.join("snap.00A.generating"), "half").unwrap();
        let copy = take(&sled).unwrap();
        let c = copy.sled();
        assert_eq!(std::fs::read_to_string(c.join("db")).unwrap(), "log");
        assert_eq!(std::fs::read_to_string(c.join("blobs/1")).unwrap(), "blob");
        assert!(!c.join("snap.00A.generating").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o077;
            for p in [c.parent().unwrap(), &c, &c.join("blobs"), &c.join("db")] {
                assert_eq!(mode(p), 0, "{}", p.display());
            }
        }
        drop(copy);
        assert!(!c.exists());
    }
}
