//! The store's own lock file, taken before sled is opened.
//!
//! sled also locks its files, but its refusal is an `io::Error` of kind `Other` with no word
//! about who holds it. Our lock file says which process holds the store and since when, and
//! the OS releases it when that process dies, even by `kill -9`, so a crashed night never
//! needs a person to delete a stale lock.

use crate::error::StoreError;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// Take the lock in `dir`, writing who holds it; `what` names the command (`run`, `verify`).
pub fn take(dir: &Path, what: &str) -> Result<File, StoreError> {
    let path = dir.join("lock");
    let io = |m: &str, e: std::io::Error| StoreError::Io {
        path: path.clone(),
        message: format!("{m}: {e}"),
    };
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    // A link planted as `lock` would have us truncate whatever it points at.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW);
    }
    let mut file = opts
        .open(&path)
        .map_err(|e| io("cannot open lock file", e))?;
    // A lock is held for a moment by more than its holder: a process that forks a child
    // shares its open files until the child's exec closes them (a test harness starting
    // commands, a shell). Wait half a second before calling the store locked.
    let mut taken = file.try_lock();
    for _ in 0..25 {
        if !matches!(taken, Err(std::fs::TryLockError::WouldBlock)) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        taken = file.try_lock();
    }
    match taken {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&path)
                .ok()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
            return Err(StoreError::Locked {
                path: dir.to_path_buf(),
                holder,
            });
        }
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
    Ok(file)
}

/// Whether a sled open error is sled's own lock refusal (another process has the files).
pub fn is_sled_lock_error(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if io.kind() == std::io::ErrorKind::Other
        || io.kind() == std::io::ErrorKind::WouldBlock)
}
