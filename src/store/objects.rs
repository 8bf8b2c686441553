//! Payload files: blob values kept as content-addressed files beside the sled database.
//!
//! Measured (docs/design.md, "sled"): sled keeps large values in page-sized fragments that it
//! rewrites as neighbours change, so a year of nightly payloads took about 2.5 times their
//! size on disk. Payloads are immutable and named by their hash, which is exactly what a
//! plain file does well (as git's object store): `objects/ab/cdef…` holds the encoded value
//! of the blob whose SHA-256 is `abcdef…`. sled keeps what needs transactions: the chain,
//! the head, the schema version and the pending list.
//!
//! A file is written under a temporary name, synced, renamed into place and its directory
//! synced, so a payload is either whole or absent, never torn.

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
        match std::fs::read(self.path(key)) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn contains(&self, key: &Key) -> bool {
        self.path(key).is_file()
    }

    pub fn put(&self, key: &Key, value: &[u8]) -> std::io::Result<()> {
        let path = self.path(key);
        let parent = path.parent().expect("objects/xx");
        if !parent.is_dir() {
            std::fs::create_dir_all(parent)?;
            #[cfg(unix)]
            for d in [parent, &self.dir] {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700))?;
            }
        }
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp.")
            .tempfile_in(parent)?;
        tmp.write_all(value)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&path).map_err(|e| e.error)?;
        std::fs::File::open(parent)?.sync_all()
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
            if !d.path().is_dir() {
                continue;
            }
            for f in std::fs::read_dir(d.path())?.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if name.starts_with(".tmp.") {
                    continue;
                }
                let Some(key) = blob::parse_hex(&format!("{prefix}{name}")) else {
                    continue;
                };
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

fn read_prefix(path: &Path, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut f = std::fs::File::open(path)?;
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
