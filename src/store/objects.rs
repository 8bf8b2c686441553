//! Payload files: blob values kept as content-addressed files beside the sled database.
//!
//! sled keeps large values in page-sized fragments that it rewrites as neighbours change, so
//! a year of nightly payloads in sled takes a multiple of their size on disk (docs/design.md,
//! "sled"). Payloads are immutable and named by their hash, which is exactly what a
//! plain file does well (as git's object store): `objects/ab/cdef…` holds the encoded value
//! of the blob whose SHA-256 is `abcdef…`. sled keeps what needs transactions: the chain,
//! the head, the schema version and the pending list.
//!
//! A file is written under a temporary name, synced, renamed into place and its directory
//! synced, so a payload is either whole or absent, never torn.
//!
//! No link is followed: payload files are opened with `O_NOFOLLOW`, and a directory on the
//! way to one (`objects/`, `objects/ab/`) that is a link is refused, so a link planted in
//! the store can neither send a night's payloads elsewhere nor pass off a file kept
//! elsewhere as one of them (`tree` refuses a store holding any link when it is opened).

use super::blob::{self, Key};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub struct Objects {
    dir: PathBuf,
}

impl Objects {
    pub fn new(dir: PathBuf) -> Objects {
        Objects { dir }
    }

    fn path(&self, key: &Key) -> PathBuf {
        // The hex of a 32-byte key is 64 ASCII digits: split after the first two.
        let h = blob::hex(key);
        let (a, b) = h.split_at_checked(2).unwrap_or(("00", &h));
        self.dir.join(a).join(b)
    }

    pub fn get(&self, key: &Key) -> std::io::Result<Option<Vec<u8>>> {
        let mut f = match open_nofollow(&self.path(key)) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut b = Vec::new();
        f.read_to_end(&mut b)?;
        Ok(Some(b))
    }

    pub fn contains(&self, key: &Key) -> bool {
        std::fs::symlink_metadata(self.path(key)).is_ok_and(|m| m.is_file())
    }

    pub fn put(&self, key: &Key, value: &[u8]) -> std::io::Result<()> {
        let path = self.path(key);
        let parent = path.parent().expect("objects/xx");
        real_dir(&self.dir)?;
        real_dir(parent)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp.")
            .tempfile_in(parent)?;
        tmp.write_all(value)?;
        tmp.as_file().sync_all()?;
        // A rename replaces the name itself: a link planted there is replaced, not followed.
        tmp.persist(&path).map_err(|e| e.error)?;
        open_nofollow(parent)?.sync_all()
    }

    pub fn remove(&self, key: &Key) -> std::io::Result<()> {
        match std::fs::remove_file(self.path(key)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Remove the temporary files a killed write left (`objects/ab/.tmp.*`). Only called with
    /// the store's lock held, when no write can be under way. Returns how many went and how
    /// many could not be removed (`verify` names those).
    pub fn sweep_temporaries(&self) -> std::io::Result<(usize, usize)> {
        let (mut gone, mut left) = (0, 0);
        for path in self.temporaries()? {
            match std::fs::remove_file(&path) {
                Ok(()) => gone += 1,
                Err(_) => left += 1,
            }
        }
        Ok((gone, left))
    }

    /// Temporary files under the payload directories (what `verify` reports when any remain).
    pub fn temporaries(&self) -> std::io::Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        let Ok(top) = std::fs::read_dir(&self.dir) else {
            return Ok(out);
        };
        for d in top.flatten() {
            if !d.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            for f in std::fs::read_dir(d.path())?.flatten() {
                if f.file_name().to_string_lossy().starts_with(".tmp.")
                    && f.file_type().is_ok_and(|t| t.is_file())
                {
                    out.push(f.path());
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Every payload: key, stored size, and the keyframe it depends on (from its header).
    /// Temporary files are skipped (see `sweep_temporaries`).
    pub fn list(&self) -> std::io::Result<Vec<(Key, u64, Option<Key>)>> {
        let mut out = Vec::new();
        let Ok(top) = std::fs::read_dir(&self.dir) else {
            return Ok(out);
        };
        for d in top.flatten() {
            let prefix = d.file_name().to_string_lossy().into_owned();
            if !d.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            for f in std::fs::read_dir(d.path())?.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if name.starts_with(".tmp.") {
                    continue;
                }
                let Some(key) = payload_key(&prefix, &name) else {
                    continue;
                };
                if !f.file_type().is_ok_and(|t| t.is_file()) {
                    continue;
                }
                let len = f.metadata()?.len();
                let mut head = [0u8; 64];
                let n = read_prefix(&f.path(), &mut head)?;
                let base = blob::base_of(head.get(..n).unwrap_or_default())
                    .ok()
                    .flatten();
                out.push((key, len, base));
            }
        }
        out.sort_by_key(|x| x.0);
        Ok(out)
    }

    pub fn is_empty(&self) -> bool {
        self.list().map(|l| l.is_empty()).unwrap_or(true)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// The key a payload file named `objects/{dir}/{name}` holds, if that is a payload's name
/// (lower-case hex, as vetrecon writes it).
pub fn payload_key(dir: &str, name: &str) -> Option<Key> {
    let full = format!("{dir}{name}");
    let key = blob::parse_hex(&full)?;
    (dir.len() == 2 && blob::hex(&key) == full).then_some(key)
}

/// Open a file (or a directory, to sync it) for reading without following a link.
pub fn open_nofollow(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW);
    }
    o.open(path)
}

/// Replace the small file `name` in the store directory `dir` with `bytes`: written under a
/// temporary owner-only name starting `.{name}.`, synced, renamed into place, and the
/// directory synced (`chain-head`, `sled-seal`).
pub fn replace_beside(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(dir.join(name)).map_err(|e| e.error)?;
    open_nofollow(dir)?.sync_all()
}

/// The small file `name` in the store directory `dir` (a link is not followed), read up to
/// `limit` bytes: `None` when there is no such file.
pub fn read_beside(dir: &Path, name: &str, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let f = match open_nofollow(&dir.join(name)) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut bytes = Vec::new();
    f.take(limit).read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// Remove the temporary files a killed `replace_beside` of `name` left in `dir`.
pub fn sweep_beside(dir: &Path, name: &str) {
    let prefix = format!(".{name}.");
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix)
                && e.file_type().is_ok_and(|t| t.is_file())
            {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Make `dir` an owner-only directory if it is missing (mode 0700, which a umask can only
/// narrow); refuse it if it is anything but a directory (a link to one elsewhere above all).
fn real_dir(dir: &Path) -> std::io::Result<()> {
    if let Err(e) = std::fs::symlink_metadata(dir) {
        if e.kind() != std::io::ErrorKind::NotFound {
            return Err(e);
        }
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        // Two writers may make it at once (payloads are written in parallel).
        match b.create(dir) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
    }
    if std::fs::symlink_metadata(dir)?.is_dir() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "{} is not a directory (a link?); vetrecon follows no link inside its store",
            dir.display()
        )))
    }
}

fn read_prefix(path: &Path, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut f = open_nofollow(path)?;
    let mut n = 0;
    while let Some(rest) = buf.get_mut(n..).filter(|r| !r.is_empty()) {
        let k = f.read(rest)?;
        if k == 0 {
            break;
        }
        n += k;
    }
    Ok(n)
}
