//! Store: the audit record of every committed run, in sled.
//!
//! Layout (schema version 1), under `<store dir>/`:
//! - `lock`: held exclusively (an OS file lock) by whichever vetrecon process has the store
//!   open; the OS releases it when that process dies, even by `kill -9`.
//! - `sled/`: the database, with trees `meta` (schema version), `blobs` (content-addressed,
//!   zstd-compressed file bodies: inputs, config, outputs; key = SHA-256 of the raw bytes)
//!   and `runs` (key = run sequence number, big-endian; value = the JSON `RunRecord`).
//!
//! A run's bulk goes in as a few compressed blobs, never a key per row (sled is slow and
//! memory-hungry at a million small keys). Commit order makes a run all-or-nothing: blobs
//! are written and flushed first, then the run record, then flushed again. A run without a
//! record does not exist; its blobs are unreferenced and harmless. Each record carries the
//! hash of its predecessor, so a removed or edited run breaks the chain visibly.

pub mod record;

use crate::error::StoreError;
use crate::ingest::hex_sha256;
pub use record::{FileRef, InputRef, LinkCounts, RunRecord};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

pub struct Store {
    path: PathBuf,
    db: sled::Db,
    runs: sled::Tree,
    blobs: sled::Tree,
    _lock: File,
}

fn io(path: &Path, what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        message: format!("{what}: {e}"),
    }
}

/// Make a directory that only its owner can read.
fn private_dir(path: &Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(path).map_err(|e| io(path, "cannot create directory", e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| io(path, "cannot restrict permissions", e))?;
    }
    Ok(())
}

fn take_lock(dir: &Path) -> Result<File, StoreError> {
    let path = dir.join("lock");
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| io(&path, "cannot open lock file", e))?;
    match file.try_lock() {
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
        Err(std::fs::TryLockError::Error(e)) => return Err(io(&path, "cannot lock", e)),
    }
    file.set_len(0)
        .map_err(|e| io(&path, "cannot write lock file", e))?;
    write!(file, "pid {}", std::process::id())
        .map_err(|e| io(&path, "cannot write lock file", e))?;
    Ok(file)
}

impl Store {
    /// Open (creating if needed) the store in `dir`, holding its lock until dropped.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        private_dir(dir)?;
        let lock = take_lock(dir)?;
        let sled_path = dir.join("sled");
        let db = sled::Config::new()
            .path(&sled_path)
            .mode(sled::Mode::LowSpace)
            .open()
            .map_err(|e| io(&sled_path, "cannot open database", e))?;
        private_dir(&sled_path)?;
        let tree = |name: &str| {
            db.open_tree(name)
                .map_err(|e| io(&sled_path, "cannot open tree", e))
        };
        let meta = tree("meta")?;
        let runs = tree("runs")?;
        let blobs = tree("blobs")?;
        match meta
            .get("schema_version")
            .map_err(|e| io(&sled_path, "cannot read", e))?
        {
            None => {
                meta.insert("schema_version", SCHEMA_VERSION.to_string().as_bytes())
                    .map_err(|e| io(&sled_path, "cannot write", e))?;
            }
            Some(v) => {
                let found: u32 = std::str::from_utf8(&v)
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                if found != SCHEMA_VERSION {
                    return Err(StoreError::Schema {
                        path: dir.to_path_buf(),
                        found,
                        expected: SCHEMA_VERSION,
                        message: "use the vetrecon version that wrote it",
                    });
                }
            }
        }
        Ok(Store {
            path: dir.to_path_buf(),
            db,
            runs,
            blobs,
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, what: &str, e: impl std::fmt::Display) -> StoreError {
        io(&self.path, what, e)
    }

    /// Store a blob (compressed) under the SHA-256 of its raw bytes; returns that hash.
    /// Storing the same bytes twice keeps one copy.
    pub fn put_blob(&self, bytes: &[u8]) -> Result<String, StoreError> {
        let sha = hex_sha256(bytes);
        if !self
            .blobs
            .contains_key(&sha)
            .map_err(|e| self.err("cannot read blob index", e))?
        {
            let packed =
                zstd::bulk::compress(bytes, 3).map_err(|e| self.err("cannot compress", e))?;
            self.blobs
                .insert(&sha, packed)
                .map_err(|e| self.err("cannot write blob", e))?;
        }
        Ok(sha)
    }

    /// Read a blob back, checking its hash.
    pub fn get_blob(&self, sha: &str) -> Result<Vec<u8>, StoreError> {
        let packed = self
            .blobs
            .get(sha)
            .map_err(|e| self.err("cannot read blob", e))?
            .ok_or_else(|| StoreError::Corrupt(format!("blob {sha} is missing")))?;
        let bytes = zstd::stream::decode_all(&packed[..])
            .map_err(|e| StoreError::Corrupt(format!("blob {sha}: {e}")))?;
        if hex_sha256(&bytes) != sha {
            return Err(StoreError::Corrupt(format!(
                "blob {sha} does not match its hash"
            )));
        }
        Ok(bytes)
    }

    /// All committed runs, oldest first.
    pub fn runs(&self) -> Result<Vec<RunRecord>, StoreError> {
        let mut out = Vec::new();
        for item in self.runs.iter() {
            let (k, v) = item.map_err(|e| self.err("cannot read runs", e))?;
            let rec: RunRecord = serde_json::from_slice(&v)
                .map_err(|e| StoreError::Corrupt(format!("run record {:?}: {e}", k.as_ref())))?;
            out.push(rec);
        }
        Ok(out)
    }

    /// The id and sequence number the next run for `as_of` will get: `YYYYMMDD-NN`, where
    /// NN counts the runs already committed for that as-of date. Ids come from the store,
    /// never the clock, so a replay of the same night names itself the same way.
    pub fn next_run_id(&self, as_of: chrono::NaiveDate) -> Result<(u64, String), StoreError> {
        let runs = self.runs()?;
        let day = as_of.format("%Y%m%d").to_string();
        let same_day = runs.iter().filter(|r| r.run_id.starts_with(&day)).count();
        let seq = runs.last().map(|r| r.seq + 1).unwrap_or(1);
        Ok((seq, format!("{day}-{:02}", same_day + 1)))
    }

    /// The last committed run, read without decoding the others.
    pub fn last_run(&self) -> Result<Option<RunRecord>, StoreError> {
        let Some((k, v)) = self
            .runs
            .last()
            .map_err(|e| self.err("cannot read runs", e))?
        else {
            return Ok(None);
        };
        serde_json::from_slice(&v)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("run record {:?}: {e}", k.as_ref())))
    }

    /// Commit a run: flush its blobs, then write and flush the record (the commit point).
    pub fn commit(&self, mut record: RunRecord) -> Result<RunRecord, StoreError> {
        self.db
            .flush()
            .map_err(|e| self.err("cannot flush blobs", e))?;
        record.prev_hash = self.last_run()?.map(|r| r.hash);
        record.hash = record.compute_hash();
        let json =
            serde_json::to_vec(&record).map_err(|e| self.err("cannot encode run record", e))?;
        self.runs
            .insert(record.seq.to_be_bytes(), json)
            .map_err(|e| self.err("cannot write run record", e))?;
        self.db
            .flush()
            .map_err(|e| self.err("cannot flush run record", e))?;
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_round_trip_and_deduplicate() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db")).unwrap();
        let a = s.put_blob(b"hello hello hello").unwrap();
        assert_eq!(a, s.put_blob(b"hello hello hello").unwrap());
        assert_eq!(s.get_blob(&a).unwrap(), b"hello hello hello");
        assert!(matches!(s.get_blob("00"), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn a_second_opener_is_refused_while_the_first_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let first = Store::open(&db).unwrap();
        match Store::open(&db) {
            Err(StoreError::Locked { holder, .. }) => {
                assert_eq!(
                    holder.as_deref(),
                    Some(format!("pid {}", std::process::id()).as_str())
                )
            }
            other => panic!("expected Locked, got {:?}", other.map(|_| ())),
        }
        drop(first);
        Store::open(&db).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn the_store_directory_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let _s = Store::open(&db).unwrap();
        assert_eq!(
            std::fs::metadata(&db).unwrap().permissions().mode() & 0o777,
            0o700
        );
        assert_eq!(
            std::fs::metadata(db.join("sled"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o700
        );
    }

    #[test]
    fn runs_are_numbered_per_as_of_date_and_chained() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db")).unwrap();
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let mut hashes = Vec::new();
        for want in ["20261124-01", "20261124-02"] {
            let (seq, id) = s.next_run_id(d).unwrap();
            assert_eq!(id, want);
            let r = s.commit(RunRecord::test_record(seq, &id)).unwrap();
            hashes.push(r.hash.clone());
        }
        let runs = s.runs().unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].prev_hash, None);
        assert_eq!(runs[1].prev_hash.as_deref(), Some(hashes[0].as_str()));
        assert_eq!(
            s.next_run_id(d.succ_opt().unwrap()).unwrap(),
            (3, "20261125-01".to_string())
        );
    }
}
