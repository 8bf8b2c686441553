//! Blob encoding: how a file body is kept in the `blobs` tree.
//!
//! A blob's key is the SHA-256 of its raw bytes (32 bytes, binary), so the same file is kept
//! once however many runs read it. Its value is one of:
//! - `0x00` then a zstd frame of the whole body (a *keyframe*);
//! - `0x01`, the 32-byte key of a keyframe, then a zstd frame compressed with that keyframe's
//!   raw bytes as a reference prefix (a *delta*, the same technique as `zstd --patch-from`).
//!
//! A nightly export differs from last night's by a percent or so, so a delta is a small
//! fraction of a full copy. Deltas are only ever one step from a keyframe (never a chain),
//! so reading any blob decodes at most two frames; once a delta grows past half the size of
//! its keyframe, the body is stored as a new keyframe instead.
//!
//! Everything here is pure (bytes in, bytes out); the store decides where they live.

use std::io::{Read, Write};

pub const FULL: u8 = 0;
pub const DELTA: u8 = 1;
const LEVEL: i32 = 3;

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

/// Encode `bytes` as a delta against keyframe `base` (whose raw bytes are `base_bytes`).
pub fn encode_delta(bytes: &[u8], base: &Key, base_bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = vec![DELTA];
    out.extend_from_slice(base);
    let mut enc = zstd::stream::write::Encoder::with_ref_prefix(out, LEVEL, base_bytes)?;
    enc.window_log(window_log(base_bytes.len() + bytes.len()))?;
    enc.long_distance_matching(true)?;
    enc.include_checksum(false)?;
    enc.write_all(bytes)?;
    enc.finish()
}

/// The keyframe a stored value depends on, if it is a delta.
pub fn base_of(value: &[u8]) -> Result<Option<Key>, String> {
    match value.first() {
        Some(&FULL) => Ok(None),
        Some(&DELTA) if value.len() > 33 => {
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
    if value.first() != Some(&DELTA) || value.len() <= 33 {
        return Err("not a delta".into());
    }
    let frame = &value[33..];
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
        let delta = encode_delta(&new, &key_of(&old), &old).unwrap();
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
    fn garbage_is_an_error_not_a_panic() {
        assert!(base_of(&[7, 1, 2]).is_err());
        assert!(decode_full(&[FULL, 1, 2, 3]).is_err());
        assert!(decode_delta(&[DELTA; 40], b"x").is_err());
    }
}
