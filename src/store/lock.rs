//! The store's own lock file, taken before sled is opened.
//!
//! sled also locks its files, but its refusal is an `io::Error` of kind `Other` with no word
//! about who holds it. Our lock file says which process holds the store for writing and
//! since when, and the OS releases it when that process dies, even by `kill -9`, so a crashed
//! night never needs a person to delete a stale lock.
//!
//! Two kinds of holder: a command that writes (`run`, `decide`, `prune`) takes the lock
//! exclusively and writes its name into the file (cleared when it lets go); a command that
//! only reads takes it shared, opening the file read-only, so it works on a store it cannot
//! write, and several readers can read at once while no writer can start.

use crate::error::StoreError;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// A held lock: released (by the OS) when dropped. A writer's name is cleared first, so
/// the file names a holder only while there is one.
pub struct Held {
    file: File,
    writer: bool,
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.writer {
            let _ = self.file.set_len(0);
        }
    }
}

fn options(write: bool) -> OpenOptions {
    let mut opts = OpenOptions::new();
    opts.read(true);
    if write {
        opts.write(true).create(true).truncate(false);
    }
    // A link planted as `lock` would have us truncate (or lock) whatever it points at.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW);
    }
    opts
}

/// Try `lock` for half a second. A lock is held for a moment by more than its holder: a
/// process that forks a child shares its open files until the child's exec closes them (a
/// test harness starting commands, a shell).
fn patiently(
    mut lock: impl FnMut() -> Result<(), std::fs::TryLockError>,
) -> Result<(), std::fs::TryLockError> {
    let mut taken = lock();
    for _ in 0..25 {
        if !matches!(taken, Err(std::fs::TryLockError::WouldBlock)) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        taken = lock();
    }
    taken
}

fn locked(dir: &Path) -> StoreError {
    let holder = std::fs::read_to_string(dir.join("lock"))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    StoreError::Locked {
        path: dir.to_path_buf(),
        holder,
    }
}

/// Take the lock in `dir` for writing, naming the holder; `what` names the command.
pub fn take(dir: &Path, what: &str) -> Result<Held, StoreError> {
    let path = dir.join("lock");
    let io = |m: &str, e: std::io::Error| StoreError::Io {
        path: path.clone(),
        message: format!("{m}: {e}"),
    };
    let mut file = options(true)
        .open(&path)
        .map_err(|e| io("cannot open lock file", e))?;
    match patiently(|| file.try_lock()) {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Err(locked(dir)),
        Err(std::fs::TryLockError::Error(e)) => return Err(io("cannot lock", e)),
    }
    file.set_len(0)
        .map_err(|e| io("cannot write lock file", e))?;
    let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    write!(
        file,
        "pid {}, vetrecon {what}, since {since}",
        std::process::id()
    )
    .map_err(|e| io("cannot write lock file", e))?;
    Ok(Held { file, writer: true })
}

/// Take the lock in `dir` for reading: shared, through a read-only open, so it works on
/// read-only media. Refused while a writer holds it. Where no lock can be had at all (no
/// lock file in an archived copy, a file system without locks) the store is read without
/// one, with a warning: a reader changes nothing, and reads a private copy of the database.
pub fn share(dir: &Path) -> Result<Option<Held>, StoreError> {
    let path = dir.join("lock");
    let file = match options(false).open(&path) {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(
                path = %path.display(),
                "cannot open the store's lock file ({e}); reading without it: make sure no run is writing this store"
            );
            return Ok(None);
        }
    };
    match patiently(|| file.try_lock_shared()) {
        Ok(()) => Ok(Some(Held {
            file,
            writer: false,
        })),
        Err(std::fs::TryLockError::WouldBlock) => Err(locked(dir)),
        Err(std::fs::TryLockError::Error(e)) => {
            tracing::warn!(
                path = %path.display(),
                "cannot lock the store's lock file ({e}); reading without it: make sure no run is writing this store"
            );
            Ok(None)
        }
    }
}

/// Whether a sled open error is sled's own lock refusal (another process has the files).
pub fn is_sled_lock_error(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if io.kind() == std::io::ErrorKind::Other
        || io.kind() == std::io::ErrorKind::WouldBlock)
}
