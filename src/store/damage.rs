//! A damaged store: a database that has lost history.
//!
//! sled opens a database cut short (a truncated `sled/db` with no snapshot) as the part
//! before the cut, with no error; one restored from an older copy than the rest of the store
//! looks the same. Such a store looks valid and short, and working on it would be wrong in
//! every way: the next night would commit as entry 1, the removal of "uncommitted" payloads
//! (a cut can keep a `pending` list whose commit it lost) would delete the lost nights'
//! data, and `verify` would pass. Two things outside the database show the loss:
//!
//! - `chain-head`, a file beside the database holding the head the last commit wrote (the
//!   same JSON as the database's own `head`), replaced atomically after every commit. A
//!   database whose head is behind it (or absent) has lost entries. (It detects damage, not
//!   tampering: whoever can rewrite the database can rewrite it too; see `verify
//!   --expect-head` for that.) A store written before it existed gets one at its next commit.
//! - the payload files in `objects/`: every payload a run writes is listed in the database
//!   (`pending`) before it is written and named by its chain entry when it commits, and a
//!   prune lists what it drops before deleting it, so the database knows every file. A file
//!   it does not know is one whose history was lost. (Payloads of 8 KiB or less live in the
//!   database and are lost with it, so only the files can show this.)
//!
//! Every command refuses a damaged store (exit 6), reading, writing and deleting nothing,
//! except `verify`, which names the damage and fails.

use super::blob::{self, Key};
use super::{Body, Entry, Store};
use crate::error::StoreError;
use std::collections::BTreeSet;
use std::path::Path;

/// The file beside the database holding the head of the last commit.
pub const HEAD_FILE: &str = "chain-head";

/// What the open found wrong with the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// Why the database is taken to have lost history.
    pub why: String,
}

impl Damage {
    pub fn error(&self, store: &Path) -> StoreError {
        StoreError::Damaged {
            path: store.to_path_buf(),
            why: self.why.clone(),
        }
    }

    /// The `verify` finding.
    pub fn finding(&self) -> String {
        format!(
            "the store is damaged: {}; its database has lost history (cut short, or restored from an older copy than the rest of the store)",
            self.why
        )
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Head {
    seq: u64,
    hash: String,
}

/// The head kept beside the database: `None` when there is no such file (a store written
/// before it existed, or with nothing committed yet), `Err` when it cannot be read.
fn kept_head(dir: &Path) -> Result<Option<Head>, String> {
    // A head is under 100 bytes: more is not one.
    let Some(bytes) = super::objects::read_beside(dir, HEAD_FILE, 4096)
        .map_err(|e| format!("{HEAD_FILE} cannot be read ({e})"))?
    else {
        return Ok(None);
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|_| format!("{HEAD_FILE} does not hold a chain head"))
}

/// Replace the kept head with (`seq`, `hash`) (`objects::replace_beside`).
pub(super) fn keep_head(dir: &Path, seq: u64, hash: &str) -> std::io::Result<()> {
    let text = serde_json::to_string(&Head {
        seq,
        hash: hash.to_string(),
    })
    .map_err(std::io::Error::other)?;
    super::objects::replace_beside(dir, HEAD_FILE, text.as_bytes())
}

impl Store {
    /// Every payload the database knows: named by a run, listed by a prune, or pending;
    /// and how many runs it holds. Chain entries that cannot be read are skipped (their
    /// payloads count as unknown; `verify` names the entry).
    fn known_payloads(&self) -> Result<(BTreeSet<String>, usize), StoreError> {
        let mut known: BTreeSet<String> = self.pending().unwrap_or_default().into_iter().collect();
        let mut runs = 0;
        for (_, bytes) in self.raw_chain()? {
            let Ok(entry) = serde_json::from_slice::<Entry>(&bytes) else {
                continue;
            };
            match &entry.body {
                Body::Run(r) => {
                    runs += 1;
                    known.extend(r.blobs().into_iter().map(|(_, h)| h.to_string()));
                }
                Body::Prune(p) => known.extend(p.blobs.iter().cloned()),
                Body::Decisions(_) | Body::QaVerdicts(_) | Body::JmlClosings(_) => {}
            }
        }
        Ok((known, runs))
    }

    /// The damage, if any: a database head behind the kept one, or payload files (`files`,
    /// from the survey) the database does not know.
    pub(super) fn damage_of(&self, files: &BTreeSet<Key>) -> Result<Option<Damage>, StoreError> {
        let db = self.head().ok().flatten().unwrap_or((0, String::new()));
        let why = match kept_head(&self.path) {
            Err(why) => Some(why),
            Ok(Some(kept)) if kept.seq > db.0 => Some(format!(
                "its database ends at chain entry {}, but the last commit wrote entry {} ({HEAD_FILE})",
                db.0, kept.seq
            )),
            Ok(Some(kept)) if kept.seq == db.0 && kept.hash != db.1 => Some(format!(
                "its database's head (entry {}) is not the one the last commit wrote ({HEAD_FILE})",
                db.0
            )),
            Ok(_) => None,
        };
        if let Some(why) = why {
            return Ok(Some(Damage { why }));
        }
        let (known, runs) = self.known_payloads()?;
        let unknown = files
            .iter()
            .filter(|k| !known.contains(&blob::hex(k)))
            .count();
        Ok((unknown > 0).then(|| Damage {
            why: format!(
                "{unknown} of the {} payload files in objects/ are unknown to its database, which holds {runs} runs",
                files.len()
            ),
        }))
    }

    /// Bring the kept head up to the database's (a commit whose `chain-head` was not yet
    /// written when the process died, or a store written before the file existed), and
    /// remove the temporary file of a write that was killed. Only a writing open calls it.
    pub(super) fn catch_up_head(&self) -> Result<(), StoreError> {
        super::objects::sweep_beside(&self.path, HEAD_FILE);
        let Some((seq, hash)) = self.head()? else {
            return Ok(());
        };
        if matches!(kept_head(&self.path), Ok(Some(k)) if k.seq == seq && k.hash == hash) {
            return Ok(());
        }
        keep_head(&self.path, seq, &hash).map_err(|e| self.err("cannot write the chain head", e))
    }
}
