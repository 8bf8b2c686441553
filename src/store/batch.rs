//! Putting a night's bodies into the store in two steps: encode (hash and compress, which
//! only reads the store) and write (record them as pending, then write them).
//!
//! The split is for speed: a run encodes its input files, config and decisions on a thread
//! of its own while the night links and renders, and only its outputs after, so the commit
//! never waits for the inputs to be compressed. Encoding writes
//! nothing, so the crash-safety of the commit protocol (see the module above) is untouched:
//! every payload is still listed as pending, and the list flushed, before it is written.

use super::{blob, Key, Store};
use crate::error::StoreError;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One body ready for `write_encoded`: its key, and its stored value unless the store (or
/// an earlier body of the same batch) holds it already.
pub struct Encoded {
    key: Key,
    value: Option<Vec<u8>>,
}

impl Encoded {
    /// The body's hash (hex), as the run record names it.
    pub fn sha256(&self) -> String {
        blob::hex(&self.key)
    }
}

/// How a batch is encoded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// On the calling thread only: for a batch encoded beside other work, which should
    /// take one core's spare time rather than both cores from the work it runs beside.
    Serial,
    /// On every core of the pool, largest body first.
    Parallel,
}

impl Store {
    /// Hash and compress bodies (each with the blob it is a new version of, if any) without
    /// writing anything. A body already stored, or equal to an earlier one of `items`, gets
    /// no value.
    pub fn encode_blobs(
        &self,
        items: &[(&[u8], Option<&str>)],
        pace: Pace,
    ) -> Result<Vec<Encoded>, StoreError> {
        let keys: Vec<Key> = match pace {
            Pace::Serial => items.iter().map(|(b, _)| blob::key_of(b)).collect(),
            Pace::Parallel => items.par_iter().map(|(b, _)| blob::key_of(b)).collect(),
        };
        // The bodies to encode: not stored yet, each key once (the first body that has it).
        let mut todo: Vec<usize> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            if !self.has_blob(k)? && !todo.iter().any(|&j| keys.get(j) == Some(k)) {
                todo.push(i);
            }
        }
        let encode = |i: usize| -> Result<(usize, Vec<u8>), StoreError> {
            let (bytes, like) = items.get(i).copied().expect("an index of items");
            Ok((i, self.encode(bytes, like)?))
        };
        let values: Vec<(usize, Vec<u8>)> = match pace {
            Pace::Serial => todo.iter().map(|&i| encode(i)).collect::<Result<_, _>>()?,
            Pace::Parallel => {
                // Largest first, each core taking the next when it is free: a night's bodies
                // range from a few bytes to 65 MB, and one large body compressed last would
                // leave the other core idle for the half second it takes.
                todo.sort_by_key(|&i| std::cmp::Reverse(items.get(i).map_or(0, |b| b.0.len())));
                let next = AtomicUsize::new(0);
                let workers = rayon::current_num_threads().min(todo.len()).max(1);
                let parts: Vec<Vec<(usize, Vec<u8>)>> = (0..workers)
                    .into_par_iter()
                    .with_max_len(1)
                    .map(|_| {
                        let mut done = Vec::new();
                        while let Some(&i) = todo.get(next.fetch_add(1, Ordering::Relaxed)) {
                            done.push(encode(i)?);
                        }
                        Ok(done)
                    })
                    .collect::<Result<_, StoreError>>()?;
                parts.into_iter().flatten().collect()
            }
        };
        let mut out: Vec<Encoded> = keys
            .into_iter()
            .map(|key| Encoded { key, value: None })
            .collect();
        for (i, v) in values {
            if let Some(e) = out.get_mut(i) {
                e.value = Some(v);
            }
        }
        Ok(out)
    }

    /// Write encoded bodies, from one or more batches of `encode_blobs`; returns their
    /// hashes in order. The keys about to be written are first recorded as `pending` (and
    /// flushed): if the process dies before the chain entry that references them is
    /// committed, the next open removes them, so an aborted run leaves the store exactly as
    /// it was.
    pub fn write_encoded(&self, batch: &[&Encoded]) -> Result<Vec<String>, StoreError> {
        // A body may be in two batches (an output equal to an input): written once.
        let mut new: Vec<&Encoded> = Vec::new();
        for e in batch.iter().filter(|e| e.value.is_some()) {
            if !new.iter().any(|n| n.key == e.key) {
                new.push(e);
            }
        }
        self.writable()?;
        let mut pending = self.pending()?;
        pending.extend(new.iter().map(|e| e.sha256()));
        self.meta
            .insert(
                "pending",
                serde_json::to_vec(&pending).expect("strings serialise"),
            )
            .map_err(|e| self.err("cannot write", e))?;
        self.flush()?;
        new.par_iter().try_for_each(|e| match &e.value {
            Some(v) => self.write_blob(&e.key, v),
            None => Ok(()),
        })?;
        Ok(batch.iter().map(|e| e.sha256()).collect())
    }

    /// Store bodies (each with the blob it is a new version of, if any), compressing in
    /// parallel; returns their hashes. A body already stored costs nothing.
    pub fn put_blobs(&self, items: &[(&[u8], Option<&str>)]) -> Result<Vec<String>, StoreError> {
        let encoded = self.encode_blobs(items, Pace::Parallel)?;
        self.write_encoded(&encoded.iter().collect::<Vec<_>>())
    }

    pub fn put_blob(&self, bytes: &[u8], like: Option<&str>) -> Result<String, StoreError> {
        Ok(self.put_blobs(&[(bytes, like)])?.remove(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two batches encoded apart (as a run encodes its inputs beside the night) and written
    /// together store each body once, list every new one as pending before the commit, and
    /// read back; bodies already stored are not encoded again.
    #[test]
    fn batches_encoded_apart_write_each_body_once_as_pending() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db"), "test").unwrap();
        let old = s.put_blob(b"stored before", None).unwrap();
        let before = s.pending().unwrap();
        assert_eq!(before, vec![old.clone()]);
        let big: Vec<u8> = (0..300_000u32)
            .flat_map(|i| (i / 7).to_le_bytes())
            .collect();
        let early = s
            .encode_blobs(&[(&big, None), (b"same", None)], Pace::Serial)
            .unwrap();
        let late = s
            .encode_blobs(
                &[(b"same", None), (b"stored before", None), (b"x", None)],
                Pace::Parallel,
            )
            .unwrap();
        assert!(late.get(1).unwrap().value.is_none(), "already stored");
        assert_eq!(s.pending().unwrap(), before, "encoding writes nothing");
        let all: Vec<&Encoded> = early.iter().chain(&late).collect();
        let shas = s.write_encoded(&all).unwrap();
        assert_eq!(shas.get(3), Some(&old));
        assert_eq!(shas.get(1), shas.get(2));
        let mut pending = s.pending().unwrap();
        pending.sort();
        let mut want = vec![
            old.clone(),
            shas.first().unwrap().clone(),
            shas.get(1).unwrap().clone(),
            shas.get(4).unwrap().clone(),
        ];
        want.sort();
        assert_eq!(
            pending, want,
            "each new body pending once, the stored one not"
        );
        assert_eq!(s.get_blob(shas.first().unwrap()).unwrap(), big);
        assert_eq!(s.get_blob(shas.get(2).unwrap()).unwrap(), b"same");
        // Nothing committed them: the next open removes every one.
        drop(s);
        let s = Store::open(&dir.path().join("db"), "test").unwrap();
        for sha in [&old, shas.first().unwrap(), shas.get(4).unwrap()] {
            assert_eq!(s.check_blob(sha).unwrap(), crate::store::BlobState::Missing);
        }
    }
}
