//! Blob encoding: how a file body is kept in the `blobs` tree.
//!
//! A blob's key is the SHA-256 of its raw bytes (32 bytes, binary), so the same file is kept
//! once however many runs read it. Its value is one of:
//! - `0x00` then a zstd frame of the whole body (a *keyframe*);
//! - `0x01`, the 32-byte key of a keyframe, the cycle's cost so far (u64 big-endian: stored
//!   bytes of every delta against that keyframe up to and including this one) and count
//!   (u32 big-endian), then a zstd frame compressed with the keyframe's raw bytes as a
//!   reference prefix (a *delta*, the same technique as `zstd --patch-from`).
//!
//! A nightly export differs from last night's by a percent or so, so a delta is a small
//! fraction of a full copy. Deltas are only ever one step from a keyframe (never a chain),
//! so reading any blob decodes at most two frames. When to start a new keyframe is decided
//! by `keep_delta`.
//!
//! Everything here is pure (bytes in, bytes out); the store decides where they live.
#![allow(
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "pending: audited in the second pass"
)]

use std::io::{Read, Write};

pub const FULL: u8 = 0;
pub const DELTA: u8 = 1;
const LEVEL: i32 = 3;
/// Bytes before a delta's zstd frame: tag, keyframe key, cycle cost, cycle count.
const DELTA_HEADER: usize = 1 + 32 + 8 + 4;

/// The cost so far of a keyframe's cycle: stored bytes and number of its deltas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cycle {
    pub bytes: u64,
    pub count: u32,
}

/// Whether to store a new version as a delta of `delta_len` bytes against a keyframe of
/// `keyframe_len` bytes whose cycle so far is `cycle`, rather than as a new keyframe.
///
/// A delta is kept while it costs no more than the cycle's average cost per version,
/// keyframe included. For a file that drifts a little more from its keyframe each night this
/// starts a new keyframe after about sqrt(2K/g) nights (K keyframe size, g growth per night),
/// the cycle length with the least storage per night; for a file whose every row changes a
/// little each night (outputs carrying the run id) the delta stays about the same size, and
/// deltas are kept for as long as they beat a keyframe.
pub fn keep_delta(delta_len: usize, keyframe_len: usize, cycle: Cycle) -> bool {
    let average = (keyframe_len as u64 + cycle.bytes) / (cycle.count as u64 + 1);
    (delta_len as u64) <= average
}

/// A blob key: the SHA-256 of the raw bytes.
pub type Key = [u8; 32];

pub fn key_of(bytes: &[u8]) -> Key {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

pub fn hex(key: &Key) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn parse_hex(s: &str) -> Option<Key> {
    if s.len() != 64 {
        return None;
    }
    let mut k = [0u8; 32];
    for (i, out) in k.iter_mut().enumerate() {
        *out = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(k)
}

/// The zstd window that covers a reference prefix plus the new body.
fn window_log(total: usize) -> u32 {
    let bits = usize::BITS - total.max(1).leading_zeros();
    bits.clamp(17, 30)
}

pub fn encode_full(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = vec![FULL];
    out.extend(zstd::bulk::compress(bytes, LEVEL)?);
    Ok(out)
}

/// Encode `bytes` as a delta against keyframe `base` (whose raw bytes are `base_bytes`);
/// `cycle` is the cost of the keyframe's earlier deltas, to which this one is added.
pub fn encode_delta(
    bytes: &[u8],
    base: &Key,
    base_bytes: &[u8],
    cycle: Cycle,
) -> std::io::Result<Vec<u8>> {
    let mut out = vec![DELTA];
    out.extend_from_slice(base);
    out.extend_from_slice(&[0u8; 12]);
    let mut enc = zstd::stream::write::Encoder::with_ref_prefix(out, LEVEL, base_bytes)?;
    enc.window_log(window_log(base_bytes.len() + bytes.len()))?;
    enc.long_distance_matching(true)?;
    enc.include_checksum(false)?;
    enc.write_all(bytes)?;
    let mut out = enc.finish()?;
    let total = cycle.bytes + out.len() as u64;
    out[33..41].copy_from_slice(&total.to_be_bytes());
    out[41..45].copy_from_slice(&(cycle.count + 1).to_be_bytes());
    Ok(out)
}

/// The cycle cost recorded in a stored value (zero for a keyframe).
pub fn cycle_of(value: &[u8]) -> Cycle {
    if value.first() == Some(&DELTA) && value.len() > DELTA_HEADER {
        Cycle {
            bytes: u64::from_be_bytes(value[33..41].try_into().expect("8 bytes")),
            count: u32::from_be_bytes(value[41..45].try_into().expect("4 bytes")),
        }
    } else {
        Cycle::default()
    }
}

/// The keyframe a stored value depends on, if it is a delta.
pub fn base_of(value: &[u8]) -> Result<Option<Key>, String> {
    match value.first() {
        Some(&FULL) => Ok(None),
        Some(&DELTA) if value.len() > DELTA_HEADER => {
            let mut k = [0u8; 32];
            k.copy_from_slice(&value[1..33]);
            Ok(Some(k))
        }
        _ => Err("unknown blob encoding".into()),
    }
}

/// Decode a keyframe value.
pub fn decode_full(value: &[u8]) -> Result<Vec<u8>, String> {
    match value.split_first() {
        Some((&FULL, frame)) => zstd::stream::decode_all(frame).map_err(|e| e.to_string()),
        _ => Err("not a keyframe".into()),
    }
}

/// Decode a delta value given its keyframe's raw bytes.
pub fn decode_delta(value: &[u8], base_bytes: &[u8]) -> Result<Vec<u8>, String> {
    if value.first() != Some(&DELTA) || value.len() <= DELTA_HEADER {
        return Err("not a delta".into());
    }
    let frame = &value[DELTA_HEADER..];
    let mut dec = zstd::stream::read::Decoder::with_ref_prefix(frame, base_bytes)
        .map_err(|e| e.to_string())?;
    dec.window_log_max(30).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    dec.read_to_end(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(n: usize, change: usize) -> Vec<u8> {
        let mut s = String::new();
        for i in 0..n {
            let v = if i % 100 == change { i * 7 + 1 } else { i * 7 };
            s.push_str(&format!(
                "E{i:06},Surname{},Forename{},{v}\n",
                i % 977,
                i % 313
            ));
        }
        s.into_bytes()
    }

    #[test]
    fn hex_round_trips() {
        let k = key_of(b"abc");
        assert_eq!(
            hex(&k),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(parse_hex(&hex(&k)), Some(k));
        assert_eq!(parse_hex("zz"), None);
    }

    #[test]
    fn a_small_change_stores_as_a_small_delta() {
        let old = body(50_000, 0);
        let new = body(50_000, 1);
        let full = encode_full(&new).unwrap();
        let delta = encode_delta(
            &new,
            &key_of(&old),
            &old,
            Cycle {
                bytes: 100,
                count: 2,
            },
        )
        .unwrap();
        assert_eq!(
            cycle_of(&delta),
            Cycle {
                bytes: 100 + delta.len() as u64,
                count: 3
            }
        );
        assert!(
            delta.len() * 5 < full.len(),
            "delta {} vs full {}",
            delta.len(),
            full.len()
        );
        assert_eq!(base_of(&delta).unwrap(), Some(key_of(&old)));
        assert_eq!(decode_delta(&delta, &old).unwrap(), new);
        assert_eq!(base_of(&full).unwrap(), None);
        assert_eq!(decode_full(&full).unwrap(), new);
    }

    #[test]
    fn deltas_are_kept_while_they_beat_the_cycle_average() {
        let fresh = Cycle::default();
        assert!(keep_delta(900, 1000, fresh));
        assert!(!keep_delta(1001, 1000, fresh));
        // Linear drift of 10 a night against a keyframe of 1000: a new keyframe after
        // about sqrt(2 * 1000 / 10) = 14 nights.
        let mut cycle = fresh;
        let mut night = 1;
        while keep_delta(10 * night, 1000, cycle) {
            cycle.bytes += 10 * night as u64;
            cycle.count += 1;
            night += 1;
        }
        assert!((13..=15).contains(&night), "{night}");
        // A delta that stays at a fifth of the keyframe is kept indefinitely.
        let steady = Cycle {
            bytes: 200 * 300,
            count: 300,
        };
        assert!(keep_delta(200, 1000, steady));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(base_of(&[7, 1, 2]).is_err());
        assert!(decode_full(&[FULL, 1, 2, 3]).is_err());
        assert!(decode_delta(&[DELTA; 50], b"x").is_err());
    }
}
