//! The run record: what a run knew (input and config hashes) and what it said (counts,
//! output hashes), as auditors replay it. Serialised as JSON, field order fixed by the struct.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A file kept in the store: its name or path and the hash of its bytes (the blob key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub name: String,
    pub sha256: String,
}

/// An input file, with how many of its rows were accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRef {
    pub role: String,
    pub path: String,
    pub sha256: String,
    pub rows: usize,
    pub accepted: usize,
    pub rejected: usize,
}

/// How the vetting records were linked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCounts {
    pub auto_link: usize,
    pub review: usize,
    pub ambiguous: usize,
    pub no_match: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub run_id: String,
    pub seq: u64,
    pub as_of: String,
    /// Wall-clock start and finish (RFC 3339, UTC). Recorded for auditors; never written
    /// into the outputs, which must be byte-identical across re-runs.
    pub started_at: String,
    pub finished_at: String,
    pub version: String,
    pub config: FileRef,
    pub inputs: Vec<InputRef>,
    pub outputs: Vec<FileRef>,
    pub links: LinkCounts,
    /// Exceptions per code (every code present, zero included).
    pub counts: BTreeMap<String, usize>,
    pub exceptions: usize,
    pub prev_hash: Option<String>,
    /// SHA-256 of this record with `hash` empty: the chain link the next record points at.
    pub hash: String,
}

impl RunRecord {
    pub fn compute_hash(&self) -> String {
        let mut copy = self.clone();
        copy.hash = String::new();
        crate::ingest::hex_sha256(&serde_json::to_vec(&copy).expect("a run record serialises"))
    }

    #[cfg(test)]
    pub fn test_record(seq: u64, run_id: &str) -> RunRecord {
        RunRecord {
            run_id: run_id.into(),
            seq,
            as_of: "2026-11-24".into(),
            started_at: String::new(),
            finished_at: String::new(),
            version: "test".into(),
            config: FileRef {
                name: "c.toml".into(),
                sha256: String::new(),
            },
            inputs: vec![],
            outputs: vec![],
            links: LinkCounts::default(),
            counts: BTreeMap::new(),
            exceptions: 0,
            prev_hash: None,
            hash: String::new(),
        }
    }
}
