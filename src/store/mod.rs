//! Store: the audit record of every night, in sled, behind an API that names no sled type.
//!
//! Layout (schema version 2), under `<store dir>/`:
//! - `lock`: our own lock file, held (OS file lock) by the process that has the store open,
//!   and naming it; released by the OS when that process dies, even by `kill -9`.
//! - `chain-head`: the head the last commit wrote, beside the database, so that a database
//!   that has lost history is seen (`damage`).
//! - `sled-seal`: the database files' sizes and times as the last writing command left
//!   them, so the next one need not judge the database on a copy (`seal`).
//! - `objects/ab/cdef…`: payloads over 8 KiB stored (input files, config, decisions snapshots, outputs, link
//!   detail, person buckets), each named by the SHA-256 of its raw bytes and stored as a
//!   zstd keyframe or a delta against one (see `blob`, and `objects` for why files).
//! - `sled/`: the database, with three trees:
//!   - `meta`: `schema_version` (decimal text), `head` (JSON `{"seq":N,"hash":"…"}`: the
//!     last committed chain entry) and `pending` (JSON list of payloads written by a run not
//!     yet committed);
//!   - `payloads`: payloads of at most 8 KiB stored (mostly nightly deltas), same key and
//!     encoding as the files;
//!   - `chain`: key = sequence number (u64, big-endian, so key order is chain order); value =
//!     the JSON of one `record::Entry` (a run, a batch of decisions, or a prune), carrying the
//!     SHA-256 of the previous entry's stored bytes.
//!
//! Commit protocol, built around sled's weak points: a run lists the payloads it is about to
//! write as `pending` and flushes, writes and syncs them, then appends its chain entry, the
//! new head and the cleared pending list in one sled transaction, and flushes again. The
//! chain entry is the commit marker: readers see only committed entries, and the next open
//! removes the payloads of a run that died before its commit.

mod batch;
pub use batch::{Encoded, Pace};
pub mod blob;
mod copy;
mod damage;
mod seal;
pub use damage::Damage;
pub mod lock;
pub mod objects;
pub mod record;
pub mod tree;

use crate::clerical::qa::QaInForce;
use crate::clerical::InForce;
use crate::error::StoreError;
use blob::Key;
pub use record::{
    Body, DecisionEvent, Entry, FileRef, InputRef, JmlEvent, JmlRef, LinkCounts, LinkRecordRef,
    PruneEvent, QaEvent, QaSnapshotRef, RunRecord, Stored,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 2;

/// Payloads up to this size (stored bytes) live in sled's `payloads` tree, larger ones as
/// files: a small nightly delta costs a whole filesystem block as a file, and a large value
/// costs sled several times its size (see `objects`).
const SMALL_PAYLOAD: usize = 8 * 1024;

pub struct Store {
    path: PathBuf,
    db: sled::Db,
    meta: sled::Tree,
    blobs: objects::Objects,
    small: sled::Tree,
    chain: sled::Tree,
    /// Opened to write (`open`, `open_existing`), or to read a private copy of the database
    /// (`open_read`, `open_audit`), when every write is refused.
    writable: bool,
    /// Payload files the database does not know (only a store opened by `open_audit` can
    /// have any: every other open refuses such a store).
    damage: Option<Damage>,
    /// A store opened to write seals its database when dropped (`seal`): declared after
    /// the database handles, so they are closed first, and before the lock.
    _seal: Option<seal::SealOnDrop>,
    _lock: Option<lock::Held>,
    /// Declared last, so it is removed after the database opened on it is closed.
    _copy: Option<copy::Copy>,
}

impl Drop for Store {
    /// A store opened to write flushes its database before the handles close, so that what
    /// the seal records (`seal`) is what sled leaves on disk.
    fn drop(&mut self) {
        if let Some(seal) = &mut self._seal {
            // A database that cannot be flushed is not sealed: sled then skips its own
            // last flush, and the files are not a clean close.
            if self.db.flush().is_err() {
                seal.armed = false;
            }
        }
    }
}

/// A committed run as listed: its chain position and whether a rerun replaced it.
#[derive(Debug, Clone)]
pub struct RunView {
    pub seq: u64,
    pub hash: String,
    pub record: RunRecord,
    pub superseded_by: Option<String>,
}

impl RunView {
    pub fn status(&self) -> String {
        match &self.superseded_by {
            None => "committed".into(),
            Some(by) => format!("superseded by {by}"),
        }
    }
}

/// What `check_blob` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobState {
    Intact,
    Missing,
    Altered(String),
}

fn io(path: &Path, what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        message: format!("{what}: {e}"),
    }
}

/// What is at a store path, judged without changing anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtPath {
    /// Nothing: `open` creates the directory (owner-only) and the store in it.
    Absent,
    /// An empty directory someone else made: `open` creates the store inside it and leaves
    /// the directory itself as it is.
    Empty,
    /// A vetrecon store (it has a `sled/` directory, not a link).
    Store,
}

/// Look at `dir` without creating, changing or following anything inside it. A path that is
/// a file, or a directory that holds anything but a store, is refused: vetrecon writes a
/// lock and a database into its store directory, and must never do that to a directory of
/// someone else's (`--db /srv/app` by mistake would overwrite `/srv/app/lock`).
pub fn probe(dir: &Path) -> Result<AtPath, StoreError> {
    let refuse = |why: &str| StoreError::NotAStore {
        path: dir.to_path_buf(),
        why: why.to_string(),
    };
    // The path the operator named may itself be a link to the store's directory (their
    // choice); nothing found inside it is followed.
    let meta = match std::fs::metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AtPath::Absent),
        Err(e) => return Err(io(dir, "cannot look at the store directory", e)),
    };
    if !meta.is_dir() {
        return Err(refuse("it is a file, not a directory"));
    }
    match std::fs::symlink_metadata(dir.join("sled")) {
        Ok(m) if m.is_dir() => return Ok(AtPath::Store),
        Ok(m) if m.file_type().is_symlink() => {
            return Err(StoreError::Link {
                path: dir.join("sled"),
            })
        }
        _ => {}
    }
    let mut entries =
        std::fs::read_dir(dir).map_err(|e| io(dir, "cannot read the store directory", e))?;
    if entries.next().is_none() {
        Ok(AtPath::Empty)
    } else {
        Err(refuse(
            "the directory is not empty and holds no vetrecon store; vetrecon will not write into it",
        ))
    }
}

fn restrict(path: &Path, mode: u32) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| io(path, "cannot restrict permissions", e))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Owner-only permissions on what the store itself made: the lock file, `objects/` and
/// everything sled created under `sled/` (the process umask normally covers them; this covers
/// library callers too). Nothing else in the directory is touched, and no link is followed:
/// `set_permissions` follows links, so a link is skipped before it is reached. Payload files
/// are created owner-only by `objects` itself, so that tree (which grows every night) is not
/// walked.
fn restrict_own(dir: &Path) -> Result<(), StoreError> {
    fn walk(dir: &Path) -> Result<(), StoreError> {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return Ok(());
        };
        for e in rd.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                restrict_if_open(&e.path(), 0o700)?;
                walk(&e.path())?;
            } else if ft.is_file() {
                restrict_if_open(&e.path(), 0o600)?;
            }
        }
        Ok(())
    }
    for (name, mode) in [
        ("lock", 0o600),
        (damage::HEAD_FILE, 0o600),
        ("objects", 0o700),
        ("sled", 0o700),
    ] {
        let p = dir.join(name);
        let Ok(m) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if m.file_type().is_symlink() {
            continue;
        }
        restrict_if_open(&p, mode)?;
        if name == "sled" && m.is_dir() {
            walk(&p)?;
        }
    }
    Ok(())
}

/// Remove snapshot files sled started and never finished (`snap.*.generating`). sled 0.34.7
/// writes a snapshot under that name and renames it when whole; an open that fails half way
/// (a full disk) leaves the file behind, and every later open then fails with "Read corrupted
/// data" (spacejam/sled#1527) until it is deleted. Only called with the store's lock held, so
/// no other process can be writing one.
fn remove_unfinished_snapshots(sled_dir: &Path) -> Result<(), StoreError> {
    let Ok(rd) = std::fs::read_dir(sled_dir) else {
        return Ok(());
    };
    for e in rd.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.")
            && name.ends_with(".generating")
            && e.file_type().is_ok_and(|t| t.is_file())
        {
            std::fs::remove_file(e.path())
                .map_err(|err| io(&e.path(), "cannot remove an unfinished sled snapshot", err))?;
            tracing::warn!("removed an unfinished database snapshot left by a failed open");
        }
    }
    Ok(())
}

/// `restrict`, only when the mode is not already owner-only (a file that is already right is
/// not written to, so a read-only mount of a correct store still opens).
fn restrict_if_open(path: &Path, mode: u32) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::symlink_metadata(path) {
            if m.file_type().is_symlink() || m.permissions().mode() & 0o077 == 0 {
                return Ok(());
            }
        }
    }
    restrict(path, mode)
}

/// Test hook for the crash tests: when `VETRECON_PAUSE_AT` names this stage, say so on
/// stderr and wait to be killed (or, for the signal tests, until a signal is recorded).
/// Unset in production, where this costs one env lookup.
pub fn pause_point(stage: &str) {
    if std::env::var("VETRECON_PAUSE_AT").is_ok_and(|s| s == stage) {
        eprintln!("paused at {stage}");
        for _ in 0..12_000 {
            if crate::interrupt::requested().is_some() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// Read commands never create a store.
fn must_exist(dir: &Path) -> Result<(), StoreError> {
    if probe(dir)? != AtPath::Store {
        return Err(StoreError::Io {
            path: dir.to_path_buf(),
            message: "no store here (no run has been committed)".into(),
        });
    }
    Ok(())
}

/// The lock file is opened with `O_NOFOLLOW`, which would refuse a link as a bare
/// "too many levels of symbolic links": name it instead.
fn refuse_linked_lock(dir: &Path) -> Result<(), StoreError> {
    let lock = dir.join("lock");
    if std::fs::symlink_metadata(&lock).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(StoreError::Link { path: lock });
    }
    Ok(())
}

/// Open the store's own database to write (the lock is held).
fn open_sled(dir: &Path, sled_path: &Path) -> Result<sled::Db, StoreError> {
    // We hold our own lock, so a sled lock error can only be this process's previous
    // handle, whose background flusher lets go of the files a moment after the drop
    // (seen in tests that reopen at once). Wait for it briefly before giving up.
    let open = || {
        sled::Config::new()
            .path(sled_path)
            .mode(sled::Mode::LowSpace)
            .open()
    };
    let mut opened = open();
    for _ in 0..50 {
        match &opened {
            Err(e) if lock::is_sled_lock_error(e) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
                opened = open();
            }
            _ => break,
        }
    }
    opened.map_err(|e| {
        if lock::is_sled_lock_error(&e) {
            StoreError::Locked {
                path: dir.to_path_buf(),
                holder: None,
            }
        } else {
            io(sled_path, "cannot open database", e)
        }
    })
}

fn seq_key(seq: u64) -> [u8; 8] {
    seq.to_be_bytes()
}

impl Store {
    /// Open the store in `dir` to write, creating it if needed, and hold its lock until
    /// dropped. `what` names the command in the lock file.
    ///
    /// Only an absent path, an empty directory or an existing store is opened (see `probe`);
    /// only the directory it creates itself is made owner-only. A store holding a link, or
    /// whose database has lost history (`damage`), is refused before anything is changed.
    pub fn open(dir: &Path, what: &str) -> Result<Store, StoreError> {
        if probe(dir)? == AtPath::Absent {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, "cannot create directory", e))?;
            restrict(dir, 0o700)?;
        }
        Store::open_write(dir, what)
    }

    /// Open a store that must already exist, to write (`decide`, `prune`).
    pub fn open_existing(dir: &Path, what: &str) -> Result<Store, StoreError> {
        must_exist(dir)?;
        Store::open_write(dir, what)
    }

    /// Open a store that must already exist, to read only: a shared lock (so several
    /// readers at once, no writer meanwhile), a private copy of the database (`copy`), the
    /// payload files read in place, and nothing in the store written, deleted or re-moded.
    /// Works on read-only media. A damaged store is refused.
    pub fn open_read(dir: &Path) -> Result<Store, StoreError> {
        let store = Store::open_reading(dir)?;
        match &store.damage {
            Some(d) => Err(d.error(dir)),
            None => Ok(store),
        }
    }

    /// `open_read` for `verify`, which reports a damaged store instead of refusing it.
    pub fn open_audit(dir: &Path) -> Result<Store, StoreError> {
        Store::open_reading(dir)
    }

    fn open_write(dir: &Path, what: &str) -> Result<Store, StoreError> {
        refuse_linked_lock(dir)?;
        let lock = lock::take(dir, what)?;
        let survey = tree::survey(dir)?;
        let sled_path = dir.join("sled");
        // sled's recovery writes to the files it opens, so the database is judged on a
        // private copy first: a damaged one (or one of another schema) is left as found.
        // A database exactly as the last writing command sealed it is judged in place:
        // nothing has touched it since (`seal`), and the copy grows with every night kept.
        let sealed = seal::holds(dir, &survey.payload_files);
        if !sealed && std::fs::symlink_metadata(&sled_path).is_ok_and(|m| m.is_dir()) {
            let judged = Store::on_copy(dir, None, &survey)?;
            if let Some(d) = &judged.damage {
                return Err(d.error(dir));
            }
        }
        tracing::debug!(sealed, "database opened to write");
        seal::break_seal(dir).map_err(|e| io(dir, "cannot remove the database seal", e))?;
        remove_unfinished_snapshots(&sled_path)?;
        let db = open_sled(dir, &sled_path)?;
        let mut store = Store::on(dir, db, true, Some(lock), None)?;
        store.check_schema(&survey)?;
        if let Some(d) = store.damage.take() {
            return Err(d.error(dir));
        }
        store.tidy(&survey)?;
        store._seal = Some(seal::SealOnDrop {
            dir: dir.to_path_buf(),
            armed: true,
        });
        Ok(store)
    }

    fn open_reading(dir: &Path) -> Result<Store, StoreError> {
        must_exist(dir)?;
        refuse_linked_lock(dir)?;
        let lock = lock::share(dir)?;
        let survey = tree::survey(dir)?;
        let store = Store::on_copy(dir, lock, &survey)?;
        if let Some((first, _)) = survey.loose.first() {
            tracing::warn!(
                files = survey.loose.len(),
                first = %first.display(),
                "files and directories in the store are open to group or others; the next run makes them owner-only again (`vetrecon verify` lists them)"
            );
        }
        Ok(store)
    }

    /// The store, read-only, on a private copy of its database (`copy`), its schema checked
    /// and its damage (if any) found.
    fn on_copy(
        dir: &Path,
        lock: Option<lock::Held>,
        survey: &tree::Survey,
    ) -> Result<Store, StoreError> {
        let copy = copy::take(&dir.join("sled"))?;
        let db = sled::Config::new()
            .path(copy.sled())
            .mode(sled::Mode::LowSpace)
            .flush_every_ms(None)
            .open()
            .map_err(|e| io(&dir.join("sled"), "cannot open database", e))?;
        let mut store = Store::on(dir, db, false, lock, Some(copy))?;
        store.check_schema(survey)?;
        Ok(store)
    }

    /// The store on an opened database.
    fn on(
        dir: &Path,
        db: sled::Db,
        writable: bool,
        lock: Option<lock::Held>,
        copy: Option<copy::Copy>,
    ) -> Result<Store, StoreError> {
        let tree = |name: &str| {
            db.open_tree(name)
                .map_err(|e| io(&dir.join("sled"), "cannot open tree", e))
        };
        Ok(Store {
            path: dir.to_path_buf(),
            meta: tree("meta")?,
            blobs: objects::Objects::new(dir.join("objects")),
            small: tree("payloads")?,
            chain: tree("chain")?,
            db,
            writable,
            damage: None,
            _seal: None,
            _lock: lock,
            _copy: copy,
        })
    }

    /// What a writing open puts right, once the store is known to be whole: temporary
    /// files and the payloads of a run that did not commit are removed, and what vetrecon
    /// made that group or others could read is made owner-only again.
    fn tidy(&self, survey: &tree::Survey) -> Result<(), StoreError> {
        // We hold the lock, so no other process is writing a payload: a temporary file is
        // what a killed write left (it may hold personal data, as a delta of an output).
        let (swept, left) = self
            .blobs
            .sweep_temporaries()
            .map_err(|e| self.err("cannot list the payload directories", e))?;
        if swept > 0 {
            tracing::warn!(
                files = swept,
                "removed temporary payload files left by a write that was killed"
            );
        }
        if left > 0 {
            tracing::error!(
                files = left,
                "temporary payload files could not be removed; `vetrecon verify` names them"
            );
        }
        let removed = self.recover()?;
        if removed > 0 {
            tracing::warn!(
                payloads = removed,
                "removed the payloads of a run that did not commit (killed or failed before its commit)"
            );
        }
        let tightened = tree::tighten(&survey.loose)?;
        if let Some((first, _)) = survey.loose.first().filter(|_| tightened > 0) {
            tracing::warn!(
                files = tightened,
                first = %first.display(),
                "files and directories in the store were open to group or others; made owner-only again"
            );
        }
        self.catch_up_head()?;
        restrict_own(&self.path)
    }

    /// Check the schema version (a new, empty store gets the current one when opened to
    /// write), then whether the database knows every payload file (`damage`).
    fn check_schema(&mut self, survey: &tree::Survey) -> Result<(), StoreError> {
        let found = self
            .meta
            .get("schema_version")
            .map_err(|e| self.err("cannot read", e))?;
        let Some(v) = found else {
            let old_runs = self.db.tree_names().iter().any(|n| n.as_ref() == b"runs");
            if old_runs {
                return Err(self.schema(1));
            }
            self.damage = self.damage_of(&survey.payload_files)?;
            if self.damage.is_some() {
                return Ok(());
            }
            if !self.chain.is_empty() || !self.small.is_empty() {
                return Err(StoreError::Corrupt(
                    "the store has data but no schema version".into(),
                ));
            }
            if self.writable {
                self.meta
                    .insert("schema_version", SCHEMA_VERSION.to_string().as_bytes())
                    .map_err(|e| self.err("cannot write", e))?;
                self.db.flush().map_err(|e| self.err("cannot flush", e))?;
            }
            return Ok(());
        };
        let found: u32 = std::str::from_utf8(&v)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        if found != SCHEMA_VERSION {
            return Err(self.schema(found));
        }
        self.damage = self.damage_of(&survey.payload_files)?;
        Ok(())
    }

    fn schema(&self, found: u32) -> StoreError {
        StoreError::Schema {
            path: self.path.clone(),
            found,
            expected: SCHEMA_VERSION,
            message: if found > SCHEMA_VERSION {
                "it was written by a newer vetrecon; use that version (this one will not touch it)"
            } else {
                "schema 1 stores (vetrecon 0.1 development builds) kept no link detail or decisions \
                 and cannot be migrated; keep the old store for reading with that build and start a new one"
            },
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the open found wrong with the database (only `open_audit` opens such a store).
    pub fn damage(&self) -> Option<&Damage> {
        self.damage.as_ref()
    }

    /// Look at the store's files now (links refused; see `tree`).
    pub fn survey(&self) -> Result<tree::Survey, StoreError> {
        tree::survey(&self.path)
    }

    /// Refuse a write through a store opened to read.
    fn writable(&self) -> Result<(), StoreError> {
        if self.writable {
            Ok(())
        } else {
            Err(self.err(
                "cannot write",
                "the store was opened to read only; nothing was written",
            ))
        }
    }

    fn err(&self, what: &str, e: impl std::fmt::Display) -> StoreError {
        io(&self.path, what, e)
    }

    // ---- blobs -------------------------------------------------------------------------

    fn raw_blob(&self, key: &Key) -> Result<Option<Vec<u8>>, StoreError> {
        if let Some(v) = self
            .small
            .get(key)
            .map_err(|e| self.err("cannot read payload", e))?
        {
            return Ok(Some(v.to_vec()));
        }
        self.blobs
            .get(key)
            .map_err(|e| self.err("cannot read payload", e))
    }

    fn has_blob(&self, key: &Key) -> Result<bool, StoreError> {
        Ok(self
            .small
            .contains_key(key)
            .map_err(|e| self.err("cannot read payload", e))?
            || self.blobs.contains(key))
    }

    fn write_blob(&self, key: &Key, value: &[u8]) -> Result<(), StoreError> {
        self.writable()?;
        let fail = |e: &dyn std::fmt::Display| self.err("cannot write payload", e);
        if value.len() <= SMALL_PAYLOAD {
            self.small.insert(key, value).map_err(|e| fail(&e))?;
            self.blobs.remove(key).map_err(|e| fail(&e))
        } else {
            self.blobs.put(key, value).map_err(|e| fail(&e))?;
            self.small.remove(key).map(|_| ()).map_err(|e| fail(&e))
        }
    }

    fn decode(&self, key: &Key, value: &[u8]) -> Result<Vec<u8>, String> {
        let bytes = match blob::base_of(value)? {
            None => blob::decode_full(value)?,
            Some(base) => {
                let bv = self
                    .raw_blob(&base)
                    .map_err(|e| e.to_string())?
                    .ok_or_else(|| format!("its keyframe {} is missing", blob::hex(&base)))?;
                let base_bytes = blob::decode_full(&bv)?;
                blob::decode_delta(value, &base_bytes)?
            }
        };
        if blob::key_of(&bytes) != *key {
            return Err("its bytes do not match their hash".into());
        }
        Ok(bytes)
    }

    /// Encode `bytes`, as a delta against the keyframe of blob `like` (last night's version
    /// of the same file) when that is less than half the size of a fresh keyframe.
    fn encode(&self, bytes: &[u8], like: Option<&str>) -> Result<Vec<u8>, StoreError> {
        let full = || blob::encode_full(bytes).map_err(|e| self.err("cannot compress", e));
        let Some(like) = like.and_then(blob::parse_hex) else {
            return full();
        };
        let Some(lv) = self.raw_blob(&like)? else {
            return full();
        };
        let base = match blob::base_of(&lv) {
            Ok(None) => like,
            Ok(Some(b)) => b,
            Err(_) => return full(),
        };
        let Some(bv) = self.raw_blob(&base)? else {
            return full();
        };
        let Ok(base_bytes) = blob::decode_full(&bv) else {
            return full();
        };
        // The cycle so far is recorded in last night's delta (none if it was the keyframe).
        let cycle = if base == like {
            blob::Cycle::default()
        } else {
            blob::cycle_of(&lv)
        };
        let delta = blob::encode_delta(bytes, &base, &base_bytes, cycle)
            .map_err(|e| self.err("cannot compress", e))?;
        if blob::keep_delta(delta.len(), bv.len(), cycle) {
            Ok(delta)
        } else {
            full()
        }
    }

    /// Blobs written by a run that has not committed yet (or never will).
    pub fn pending(&self) -> Result<Vec<String>, StoreError> {
        match self
            .meta
            .get("pending")
            .map_err(|e| self.err("cannot read", e))?
        {
            None => Ok(Vec::new()),
            Some(v) => serde_json::from_slice(&v)
                .map_err(|e| StoreError::Corrupt(format!("pending list: {e}"))),
        }
    }

    /// Remove the payloads of a run that is abandoning its commit (interrupted, or failed
    /// after writing them): the store is left as it was before the run.
    pub fn discard_uncommitted(&self) -> Result<usize, StoreError> {
        self.recover()
    }

    /// Remove what an aborted run left: its pending blobs not referenced by any committed
    /// entry. Called on every open, under the lock.
    fn recover(&self) -> Result<usize, StoreError> {
        self.writable()?;
        let pending = self.pending()?;
        if pending.is_empty() {
            return Ok(0);
        }
        let referenced: BTreeSet<String> = self
            .runs()?
            .iter()
            .flat_map(|r| {
                r.record
                    .blobs()
                    .into_iter()
                    .map(|(_, h)| h.to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut removed = 0;
        for h in pending.iter().filter(|h| !referenced.contains(*h)) {
            self.remove_blob(h)?;
            removed += 1;
        }
        self.meta
            .remove("pending")
            .map_err(|e| self.err("cannot write", e))?;
        self.flush()?;
        Ok(removed)
    }

    /// Read a blob back, checking it against its hash.
    pub fn get_blob(&self, sha: &str) -> Result<Vec<u8>, StoreError> {
        let key =
            blob::parse_hex(sha).ok_or_else(|| StoreError::Corrupt(format!("bad hash {sha}")))?;
        let value = self
            .raw_blob(&key)?
            .ok_or_else(|| StoreError::Corrupt(format!("payload {sha} is missing")))?;
        self.decode(&key, &value)
            .map_err(|e| StoreError::Corrupt(format!("payload {sha}: {e}")))
    }

    pub fn check_blob(&self, sha: &str) -> Result<BlobState, StoreError> {
        let Some(key) = blob::parse_hex(sha) else {
            return Ok(BlobState::Altered(format!("`{sha}` is not a hash")));
        };
        Ok(match self.raw_blob(&key)? {
            None => BlobState::Missing,
            Some(v) => match self.decode(&key, &v) {
                Ok(_) => BlobState::Intact,
                Err(e) => BlobState::Altered(e),
            },
        })
    }

    /// `check_blob` of each of `shas`, decoding each keyframe once for all the deltas
    /// stored against it (a keyframe with a month of deltas was decoded a month of times):
    /// every payload is still decoded whole and its bytes checked against its hash.
    pub fn check_blobs(&self, shas: &[String]) -> Result<Vec<(String, BlobState)>, StoreError> {
        use rayon::prelude::*;
        let base_of: HashMap<String, Option<String>> = (self.blob_index()?.into_iter())
            .map(|(h, _, b)| (h, b))
            .collect();
        // Each keyframe with the wanted payloads that decode from it (itself among them
        // when it is wanted); a payload the store does not hold is missing.
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut out = Vec::new();
        for sha in shas {
            match base_of.get(&sha.to_ascii_lowercase()) {
                None => out.push((sha.clone(), self.check_blob(sha)?)),
                Some(None) => groups
                    .entry(sha.to_ascii_lowercase())
                    .or_default()
                    .push(sha.clone()),
                Some(Some(base)) => groups.entry(base.clone()).or_default().push(sha.clone()),
            }
        }
        let checked: Vec<Vec<(String, BlobState)>> = groups
            .into_par_iter()
            .map(|(base, members)| {
                let keyframe: Result<Vec<u8>, String> = blob::parse_hex(&base)
                    .ok_or_else(|| format!("`{base}` is not a hash"))
                    .and_then(|k| {
                        (self.raw_blob(&k).map_err(|e| e.to_string())?)
                            .ok_or_else(|| format!("its keyframe {base} is missing"))
                    })
                    .and_then(|v| blob::decode_full(&v));
                (members.into_iter())
                    .map(|sha| {
                        let st = self.check_against(&sha, &base, keyframe.as_deref());
                        (
                            sha,
                            st.unwrap_or_else(|e| BlobState::Altered(e.to_string())),
                        )
                    })
                    .collect()
            })
            .collect();
        out.extend(checked.into_iter().flatten());
        Ok(out)
    }

    /// `check_blob` of `sha`, with the bytes of keyframe `base` already decoded: they
    /// serve the keyframe itself and a delta whose own header names it; anything else (a
    /// payload held twice, once in each form) is checked on its own.
    fn check_against(
        &self,
        sha: &str,
        base: &str,
        keyframe: Result<&[u8], &String>,
    ) -> Result<BlobState, StoreError> {
        let (Some(key), Ok(keyframe)) = (blob::parse_hex(sha), keyframe) else {
            return self.check_blob(sha);
        };
        let Some(v) = self.raw_blob(&key)? else {
            return Ok(BlobState::Missing);
        };
        let bytes: Result<std::borrow::Cow<'_, [u8]>, String> = match blob::base_of(&v) {
            Ok(None) if sha.eq_ignore_ascii_case(base) => Ok(keyframe.into()),
            Ok(Some(b)) if blob::hex(&b) == base => {
                blob::decode_delta(&v, keyframe).map(Into::into)
            }
            _ => return self.check_blob(sha),
        };
        Ok(match bytes {
            Ok(bytes) if blob::key_of(&bytes) == key => BlobState::Intact,
            Ok(_) => BlobState::Altered("its bytes do not match their hash".into()),
            Err(e) => BlobState::Altered(e),
        })
    }

    /// Every stored blob: hash, stored size, and the keyframe it depends on.
    pub fn blob_index(&self) -> Result<Vec<(String, u64, Option<String>)>, StoreError> {
        let mut out: Vec<(String, u64, Option<String>)> = self
            .blobs
            .list()
            .map_err(|e| self.err("cannot list payloads", e))?
            .into_iter()
            .map(|(k, n, b)| (blob::hex(&k), n, b.map(|b| blob::hex(&b))))
            .collect();
        for item in self.small.iter() {
            let (k, v) = item.map_err(|e| self.err("cannot list payloads", e))?;
            let key: Key = k
                .as_ref()
                .try_into()
                .map_err(|_| StoreError::Corrupt("a payload key is not 32 bytes".into()))?;
            let base = blob::base_of(&v).ok().flatten().map(|b| blob::hex(&b));
            out.push((blob::hex(&key), v.len() as u64, base));
        }
        out.sort();
        Ok(out)
    }

    /// Re-store a delta as a keyframe (before its keyframe is dropped). Same key, same bytes.
    pub fn make_keyframe(&self, sha: &str) -> Result<(), StoreError> {
        let bytes = self.get_blob(sha)?;
        let key = blob::parse_hex(sha).expect("checked by get_blob");
        let full = blob::encode_full(&bytes).map_err(|e| self.err("cannot compress", e))?;
        self.write_blob(&key, &full)
    }

    pub fn remove_blob(&self, sha: &str) -> Result<(), StoreError> {
        self.writable()?;
        if let Some(key) = blob::parse_hex(sha) {
            self.blobs
                .remove(&key)
                .map_err(|e| self.err("cannot remove payload", e))?;
            self.small
                .remove(key)
                .map_err(|e| self.err("cannot remove payload", e))?;
        }
        Ok(())
    }

    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map_err(|e| self.err("cannot flush", e))?;
        Ok(())
    }

    // ---- chain -------------------------------------------------------------------------

    /// The last committed entry: (seq, hash).
    pub fn head(&self) -> Result<Option<(u64, String)>, StoreError> {
        let Some(v) = self
            .meta
            .get("head")
            .map_err(|e| self.err("cannot read head", e))?
        else {
            return Ok(None);
        };
        #[derive(serde::Deserialize)]
        struct Head {
            seq: u64,
            hash: String,
        }
        let h: Head = serde_json::from_slice(&v)
            .map_err(|e| StoreError::Corrupt(format!("head record: {e}")))?;
        Ok(Some((h.seq, h.hash)))
    }

    /// Every chain entry as stored: (key, bytes). For `verify`, which trusts nothing.
    pub fn raw_chain(&self) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        let mut out = Vec::new();
        for item in self.chain.iter() {
            let (k, v) = item.map_err(|e| self.err("cannot read chain", e))?;
            let seq = <[u8; 8]>::try_from(k.as_ref())
                .map(u64::from_be_bytes)
                .map_err(|_| StoreError::Corrupt("a chain key is not 8 bytes".into()))?;
            out.push((seq, v.to_vec()));
        }
        Ok(out)
    }

    /// Every chain entry, oldest first.
    pub fn entries(&self) -> Result<Vec<Stored>, StoreError> {
        self.raw_chain()?
            .into_iter()
            .map(|(seq, bytes)| {
                let entry: Entry = serde_json::from_slice(&bytes).map_err(|e| {
                    StoreError::Corrupt(format!(
                        "chain entry {seq} cannot be read ({e}); run `vetrecon verify`"
                    ))
                })?;
                Ok(Stored {
                    entry,
                    hash: crate::ingest::hex_sha256(&bytes),
                })
            })
            .collect()
    }

    /// Append an entry: flush everything written so far (its blobs), then write the entry
    /// and the new head in one transaction, then flush. This is the commit point.
    pub fn append(&self, body: Body) -> Result<Stored, StoreError> {
        self.writable()?;
        self.flush()?;
        pause_point("before-commit");
        let head = self.head()?;
        let entry = Entry {
            seq: head.as_ref().map_or(1, |h| h.0 + 1),
            prev_hash: head.map(|h| h.1),
            body,
        };
        let bytes = serde_json::to_vec(&entry).map_err(|e| self.err("cannot encode entry", e))?;
        let hash = crate::ingest::hex_sha256(&bytes);
        let head_json = serde_json::json!({ "seq": entry.seq, "hash": hash }).to_string();
        use sled::Transactional;
        (&self.chain, &self.meta)
            .transaction(|(chain, meta)| {
                chain.insert(&seq_key(entry.seq), bytes.as_slice())?;
                meta.insert("head", head_json.as_bytes())?;
                meta.remove("pending")?;
                Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(|e| self.err("cannot commit", format!("{e:?}")))?;
        self.flush()?;
        // Beside the database, for the next open to compare with (`damage`). The entry is
        // committed whatever happens here; a head not written is caught up by the next open.
        if let Err(e) = damage::keep_head(&self.path, entry.seq, &hash) {
            tracing::error!(
                "the entry is committed, but {} could not be written ({e}); the next run writes it",
                damage::HEAD_FILE
            );
        }
        restrict_own(&self.path)?;
        Ok(Stored { entry, hash })
    }

    // ---- views -------------------------------------------------------------------------

    pub fn runs(&self) -> Result<Vec<RunView>, StoreError> {
        Ok(runs_of(&self.entries()?))
    }

    pub fn find_run(&self, run_id: &str) -> Result<RunView, StoreError> {
        self.runs()?
            .into_iter()
            .find(|r| r.record.run_id == run_id)
            .ok_or_else(|| StoreError::NoSuchRun(run_id.to_string()))
    }

    pub fn last_run(&self) -> Result<Option<RunView>, StoreError> {
        Ok(self.runs()?.pop())
    }

    /// The decisions in force now (after every entry of the chain).
    pub fn decisions_in_force(&self) -> Result<InForce, StoreError> {
        in_force(&self.entries()?)
    }

    /// The QA verdicts in force now (after every entry of the chain).
    pub fn qa_in_force(&self) -> Result<QaInForce, StoreError> {
        qa_in_force(&self.entries()?)
    }

    /// Hashes of payloads dropped by `prune`.
    pub fn pruned(&self) -> Result<BTreeSet<String>, StoreError> {
        Ok(self
            .entries()?
            .iter()
            .filter_map(|s| match &s.entry.body {
                Body::Prune(p) => Some(p.blobs.clone()),
                _ => None,
            })
            .flatten()
            .collect())
    }

    /// The bytes the store holds for its history, before sled's own overhead: every payload
    /// as stored (encoded) and every chain entry. What one night adds to this is what the
    /// night costs the store, which `disk_bytes` shows only through sled's page noise.
    pub fn logical_bytes(&self) -> Result<u64, StoreError> {
        let payloads: u64 = self.blob_index()?.iter().map(|b| b.1).sum();
        let chain: u64 = (self.raw_chain()?.iter())
            .map(|(_, b)| b.len() as u64)
            .sum();
        Ok(payloads + chain)
    }

    /// Bytes the store occupies on disk.
    pub fn disk_bytes(&self) -> u64 {
        fn walk(p: &Path) -> u64 {
            std::fs::read_dir(p)
                .map(|rd| {
                    rd.flatten()
                        .map(|e| match e.metadata() {
                            Ok(m) if m.is_dir() => walk(&e.path()),
                            Ok(m) => m.len(),
                            Err(_) => 0,
                        })
                        .sum()
                })
                .unwrap_or(0)
        }
        walk(&self.path)
    }
}

/// The runs among chain entries, with reruns marking what they replaced.
pub fn runs_of(entries: &[Stored]) -> Vec<RunView> {
    let mut out: Vec<RunView> = entries
        .iter()
        .filter_map(|s| {
            s.run().map(|r| RunView {
                seq: s.entry.seq,
                hash: s.hash.clone(),
                record: r.clone(),
                superseded_by: None,
            })
        })
        .collect();
    let replaced: Vec<(String, String)> = out
        .iter()
        .filter_map(|r| Some((r.record.supersedes.clone()?, r.record.run_id.clone())))
        .collect();
    for (old, by) in replaced {
        if let Some(o) = out.iter_mut().find(|r| r.record.run_id == old) {
            o.superseded_by = Some(by);
        }
    }
    out
}

/// The decisions in force after `entries` (fold of every decision event, in order).
pub fn in_force(entries: &[Stored]) -> Result<InForce, StoreError> {
    Ok(in_force_noting(entries.iter().map(|s| &s.entry))?.0)
}

/// `in_force`, with each stored decision the set in force would refuse today (chain entry,
/// why): a contradiction an older build let in, kept beside what it contradicts
/// (`InForce::fold`). `verify` warns about each.
pub fn in_force_noting<'a>(
    entries: impl Iterator<Item = &'a Entry>,
) -> Result<(InForce, Vec<(u64, String)>), StoreError> {
    let mut set = InForce::default();
    let mut notes = Vec::new();
    for e in entries {
        if let Body::Decisions(d) = &e.body {
            for row in &d.rows {
                let note = set.fold(row).map_err(|why| {
                    StoreError::Corrupt(format!("decision event {}: {why}", e.seq))
                })?;
                notes.extend(note.map(|why| (e.seq, why)));
            }
        }
    }
    Ok((set, notes))
}

/// The QA verdicts in force after `entries` (fold of every verdict event, in order).
pub fn qa_in_force(entries: &[Stored]) -> Result<QaInForce, StoreError> {
    let mut set = QaInForce::default();
    for s in entries {
        if let Body::QaVerdicts(q) = &s.entry.body {
            for row in &q.rows {
                set.fold(row).map_err(|why| {
                    StoreError::Corrupt(format!("QA verdict entry {}: {why}", s.entry.seq))
                })?;
            }
        }
    }
    Ok(set)
}

/// The officers' closings of joiners-movers-leavers actions in force after `entries` (fold
/// of every closing event, in order).
pub fn jml_closings_in_force(
    entries: &[Stored],
) -> Result<crate::clerical::jml::ClosingsInForce, StoreError> {
    let mut set = crate::clerical::jml::ClosingsInForce::default();
    for s in entries {
        if let Body::JmlClosings(j) = &s.entry.body {
            for row in &j.rows {
                set.fold(row).map_err(|why| {
                    StoreError::Corrupt(format!("jml closing entry {}: {why}", s.entry.seq))
                })?;
            }
        }
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(s: &Store, id: &str) -> Stored {
        s.append(Body::Run(Box::new(RunRecord::test_record(id))))
            .unwrap()
    }

    #[test]
    fn blobs_round_trip_deduplicate_and_delta() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db"), "test").unwrap();
        let a = s.put_blob(b"hello hello hello", None).unwrap();
        assert_eq!(a, s.put_blob(b"hello hello hello", None).unwrap());
        assert_eq!(s.get_blob(&a).unwrap(), b"hello hello hello");
        assert!(matches!(
            s.get_blob(&"0".repeat(64)),
            Err(StoreError::Corrupt(_))
        ));
        let v1: Vec<u8> = (0..200_000u32)
            .flat_map(|i| (i / 3).to_le_bytes())
            .collect();
        let mut v2 = v1.clone();
        v2[1000] ^= 1;
        let k1 = s.put_blob(&v1, None).unwrap();
        let k2 = s.put_blob(&v2, Some(&k1)).unwrap();
        assert_eq!(s.get_blob(&k2).unwrap(), v2);
        let index = s.blob_index().unwrap();
        let row = index.iter().find(|r| r.0 == k2).unwrap();
        assert_eq!(row.2.as_deref(), Some(k1.as_str()), "stored as a delta");
        s.make_keyframe(&k2).unwrap();
        s.remove_blob(&k1).unwrap();
        assert_eq!(s.get_blob(&k2).unwrap(), v2);
        assert_eq!(s.check_blob(&k1).unwrap(), BlobState::Missing);
    }

    #[test]
    fn payloads_checked_together_find_what_each_checked_alone_finds() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let s = Store::open(&db, "test").unwrap();
        // Each night's version shares most of its bytes with the first and differs in a
        // scatter of values no compressor can predict, so its delta is a file of its own.
        let night = |n: u32| -> Vec<u8> {
            (0..60_000u32)
                .flat_map(|i| {
                    let v = if i % 16 == 0 {
                        (i ^ n.wrapping_mul(0x9E37_79B9)).wrapping_mul(0x85EB_CA6B)
                    } else {
                        i / 3
                    };
                    v.to_le_bytes()
                })
                .collect()
        };
        let k1 = s.put_blob(&night(1), None).unwrap();
        let deltas: Vec<String> = (2..6)
            .map(|n| s.put_blob(&night(n), Some(&k1)).unwrap())
            .collect();
        let index = s.blob_index().unwrap();
        assert!(
            deltas.iter().all(|d| index
                .iter()
                .any(|r| r.0 == *d && r.2.as_deref() == Some(k1.as_str()))),
            "stored as deltas of one keyframe"
        );
        let small = s.put_blob(b"a small payload", None).unwrap();
        let other = s.put_blob(&night(40), None).unwrap();
        // One delta altered on disk, one keyframe gone (its deltas cannot decode).
        let path_of = |sha: &str| db.join("objects").join(&sha[..2]).join(&sha[2..]);
        let altered = &deltas[1];
        let mut bytes = std::fs::read(path_of(altered)).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x55;
        std::fs::write(path_of(altered), bytes).unwrap();
        let k2 = s.put_blob(&night(50), None).unwrap();
        let orphan = s.put_blob(&night(51), Some(&k2)).unwrap();
        s.remove_blob(&k2).unwrap();
        let mut all: Vec<String> = deltas.clone();
        all.extend([
            k1.clone(),
            small,
            other,
            orphan.clone(),
            k2.clone(),
            "0".repeat(64),
        ]);
        let mut together = s.check_blobs(&all).unwrap();
        together.sort_by(|a, b| a.0.cmp(&b.0));
        let mut alone: Vec<(String, BlobState)> = (all.iter())
            .map(|h| (h.clone(), s.check_blob(h).unwrap()))
            .collect();
        alone.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(together, alone);
        let state = |h: &str| together.iter().find(|(k, _)| k == h).unwrap().1.clone();
        assert!(matches!(state(altered), BlobState::Altered(_)));
        assert_eq!(state(&deltas[0]), BlobState::Intact);
        assert_eq!(state(&k1), BlobState::Intact);
        assert_eq!(state(&k2), BlobState::Missing);
        assert!(matches!(state(&orphan), BlobState::Altered(w) if w.contains("keyframe")));
        assert_eq!(state(&"0".repeat(64)), BlobState::Missing);
    }

    #[test]
    fn a_second_opener_is_refused_while_the_first_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let first = Store::open(&db, "run").unwrap();
        match Store::open(&db, "runs") {
            Err(StoreError::Locked { holder, .. }) => {
                let h = holder.unwrap();
                assert!(
                    h.starts_with(&format!("pid {}, vetrecon run, since ", std::process::id())),
                    "{h}"
                )
            }
            other => panic!("expected Locked, got {:?}", other.map(|_| ())),
        }
        drop(first);
        Store::open(&db, "run").unwrap();
    }

    #[test]
    fn readers_share_the_store_and_exclude_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        commit(&Store::open(&db, "run").unwrap(), "20261124-01");
        let a = Store::open_read(&db).unwrap();
        let b = Store::open_read(&db).unwrap();
        assert_eq!(a.runs().unwrap().len(), 1);
        match Store::open(&db, "run") {
            Err(StoreError::Locked { holder: None, .. }) => {}
            other => panic!("expected Locked, got {:?}", other.map(|_| ())),
        }
        drop((a, b));
        let w = Store::open(&db, "run").unwrap();
        assert!(matches!(
            Store::open_read(&db),
            Err(StoreError::Locked {
                holder: Some(_),
                ..
            })
        ));
        drop(w);
        assert_eq!(
            std::fs::read_to_string(db.join("lock")).unwrap(),
            "",
            "a writer's name is cleared when it lets go"
        );
    }

    #[test]
    fn a_store_opened_to_read_refuses_every_write_and_removes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let w = Store::open(&db, "run").unwrap();
        commit(&w, "20261124-01");
        let big: Vec<u8> = (0..100_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let left = w.put_blob(&big, None).unwrap();
        drop(w);
        let r = Store::open_read(&db).unwrap();
        assert_eq!(
            r.pending().unwrap(),
            vec![left.clone()],
            "left for a writer"
        );
        assert_eq!(r.check_blob(&left).unwrap(), BlobState::Intact);
        assert!(r.put_blob(b"x", None).is_err());
        assert!(r.remove_blob(&left).is_err());
        assert!(r.discard_uncommitted().is_err());
        assert!(r
            .append(Body::Run(Box::new(RunRecord::test_record("x"))))
            .is_err());
        drop(r);
        let w = Store::open(&db, "run").unwrap();
        assert_eq!(w.check_blob(&left).unwrap(), BlobState::Missing);
        assert_eq!(w.runs().unwrap().len(), 1);
    }

    #[test]
    fn each_commit_keeps_its_head_beside_the_database_and_a_lagging_one_catches_up() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let s = Store::open(&db, "run").unwrap();
        let one = commit(&s, "20261124-01");
        let kept = || std::fs::read_to_string(db.join(damage::HEAD_FILE)).unwrap();
        assert_eq!(kept(), format!("{{\"seq\":1,\"hash\":\"{}\"}}", one.hash));
        let two = commit(&s, "20261125-01");
        assert!(kept().contains(&two.hash));
        drop(s);
        // A store written before the file existed (or a commit killed before writing it).
        std::fs::remove_file(db.join(damage::HEAD_FILE)).unwrap();
        assert!(Store::open_read(&db).is_ok());
        assert!(
            !db.join(damage::HEAD_FILE).exists(),
            "a reader writes nothing"
        );
        drop(Store::open(&db, "run").unwrap());
        assert!(kept().contains(&two.hash));
        // Garbage in its place is damage: refused, and named.
        std::fs::write(db.join(damage::HEAD_FILE), "not a head").unwrap();
        match Store::open_read(&db) {
            Err(StoreError::Damaged { why, .. }) => {
                assert!(why.contains("does not hold a chain head"), "{why}")
            }
            other => panic!("expected Damaged, got {:?}", other.map(|_| ())),
        }
        assert!(Store::open_audit(&db).unwrap().damage().is_some());
    }

    #[cfg(unix)]
    #[test]
    fn the_store_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let s = Store::open(&db, "test").unwrap();
        commit(&s, "20261124-01");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&db), 0o700);
        assert_eq!(mode(&db.join("sled")), 0o700);
        assert_eq!(mode(&db.join("lock")), 0o600);
        assert_eq!(mode(&db.join("sled/db")), 0o600);
    }

    #[test]
    fn entries_chain_by_the_hash_of_their_stored_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db"), "test").unwrap();
        let a = commit(&s, "20261124-01");
        let b = commit(&s, "20261125-01");
        assert_eq!((a.entry.seq, b.entry.seq), (1, 2));
        assert_eq!(a.entry.prev_hash, None);
        assert_eq!(b.entry.prev_hash.as_deref(), Some(a.hash.as_str()));
        assert_eq!(s.head().unwrap(), Some((2, b.hash.clone())));
        let raw = s.raw_chain().unwrap();
        assert_eq!(crate::ingest::hex_sha256(&raw[1].1), b.hash);
        assert_eq!(s.runs().unwrap().len(), 2);
    }

    #[test]
    fn a_rerun_marks_what_it_superseded() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db"), "test").unwrap();
        commit(&s, "20261124-01");
        let mut r = RunRecord::test_record("20261124-02");
        r.supersedes = Some("20261124-01".into());
        s.append(Body::Run(Box::new(r))).unwrap();
        let runs = s.runs().unwrap();
        assert_eq!(runs[0].status(), "superseded by 20261124-02");
        assert_eq!(runs[1].status(), "committed");
    }

    #[test]
    fn newer_and_older_schemas_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        drop(Store::open(&db, "test").unwrap());
        {
            let raw = sled::open(db.join("sled")).unwrap();
            raw.open_tree("meta")
                .unwrap()
                .insert("schema_version", "3")
                .unwrap();
            raw.flush().unwrap();
        }
        let e = Store::open(&db, "test").err().unwrap();
        assert!(e.to_string().contains("schema version 3"), "{e}");
        assert!(e.to_string().contains("newer vetrecon"), "{e}");
        let old = dir.path().join("old");
        {
            let raw = sled::open(old.join("sled")).unwrap();
            raw.open_tree("runs").unwrap().insert("x", "y").unwrap();
            raw.flush().unwrap();
        }
        let e = Store::open(&old, "test").err().unwrap();
        assert!(e.to_string().contains("schema version 1"), "{e}");
    }
}
