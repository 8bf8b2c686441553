//! Block: propose candidate pairs cheaply so that linking never compares all pairs.
//!
//! A true match must share at least one blocking key with its person. The keys are chosen
//! so that any single error in a name or a date still leaves one key in common:
//! exact date of birth with a surname sound, with the forename's initial or with one of its
//! nickname groups (catches any surname change or misspelling, and any forename error but a
//! wrong first letter; a probe also tries the day and month exchanged), surname sound plus birth year and month (a wrong day) and plus
//! birth year and day (a wrong month), first-forename sound plus surname sound plus birth
//! month (a wrong year, even with a wrong day), first-forename sound plus birthday plus the
//! decade or plus the last digit of the year (a wrong year digit together with a misspelt
//! or changed surname), NI number, and the vetting system's employee id hint.
//!
//! Beside these, each record has coarse keys (`coarse_keys`: the date alone, surname sound
//! plus year, forename sound plus birthday), which catch more double errors and are probed
//! only while their block holds at most `COARSE_BLOCK` people.
//!
//! Why year-and-month and year-and-day rather than the year alone: every key but the date
//! of birth itself is a name sound plus part of a date, and a block's size is the roster
//! size times the name's frequency over the number of date parts. With the year alone a
//! common surname sound's block grew with the force (hundreds of people at a million), so
//! the work grew with the square of the force. A one-digit error changes one of year,
//! month or day, so the pair of finer keys keeps the single-error guarantee while blocks
//! stay about 12 and 30 times smaller.
//!
//! Keys are 64-bit hashes of (kind, value): a collision only merges two blocks, adding
//! candidates that scoring then rejects, never losing one. Roster people are indexed in one
//! flat array sorted by key. A block larger than `MAX_BLOCK` is skipped for the key that
//! produced it (a very common name pair adds no evidence) and counted, so `evaluate` and
//! the run log show whether the cap ever costs a true pair.

use super::prepare::{Names, Rec};
use chrono::{Datelike, NaiveDate};
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};

/// Blocks larger than this on the roster side are skipped for the key that produced them.
pub const MAX_BLOCK: usize = 2_000;

/// A coarse key's block (see `coarse_keys`) is probed only when it holds at most this many
/// roster people.
pub const COARSE_BLOCK: usize = 8;

fn key(kind: u8, a: u64, b: u64) -> u64 {
    let mut h = FxHasher::default();
    (kind, a, b).hash(&mut h);
    h.finish()
}

const DOB: u8 = 1;
const SURNAME_YEAR: u8 = 2;
const FORENAME_BIRTHDAY: u8 = 3;
const NAME_SOUNDS: u8 = 4;
const NI: u8 = 5;
const EMPLOYEE_ID: u8 = 6;
const COARSE_DOB: u8 = 7;
const COARSE_SURNAME_YEAR: u8 = 8;
const COARSE_FORENAME_BIRTHDAY: u8 = 9;
const COARSE_NAMES: u8 = 10;

fn day_number(d: NaiveDate) -> u64 {
    d.num_days_from_ce() as u64
}

/// The date a probe also tries: day and month exchanged, where that is another valid date.
fn swapped(d: NaiveDate, probe: bool) -> Option<NaiveDate> {
    (probe && d.day() <= 12 && d.day() != d.month())
        .then(|| NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()))
        .flatten()
}

/// Soundex of each of the record's surnames (current, previous) and of their parts.
fn surname_sounds<'a>(names: &'a Names, r: &'a Rec) -> impl Iterator<Item = u64> + 'a {
    r.surnames.iter().flat_map(move |&s| {
        let info = names.surname(s);
        std::iter::once(info.soundex)
            .chain(info.part_soundex.iter().copied())
            .filter(|&c| c != 0)
            .map(u64::from)
    })
}

/// Date-of-birth keys for date `d`: the date with each surname sound (current, previous,
/// parts), with the first forename's initial, and with each of its nickname groups. A name
/// change keeps the forename keys and a nickname or forename typo keeps the surname keys, so
/// the date still catches any single name error, while a block holds the people born that
/// day who also share a name feature, not everyone born that day (which grows with the
/// force). A record with no names at all keys on the date alone.
///
/// A probe also tries its first forename's sound as a surname sound, so a record whose
/// surname and forename were entered the wrong way round still meets its person.
fn dob_keys(names: &Names, r: &Rec, d: NaiveDate, probe: bool, out: &mut Vec<u64>) {
    let day = day_number(d);
    let before = out.len();
    for code in surname_sounds(names, r) {
        out.push(key(DOB, day, (1 << 40) | code));
    }
    if let Some(f) = r.forename() {
        let info = names.forename(f);
        if probe && info.soundex != 0 {
            out.push(key(DOB, day, (1 << 40) | info.soundex as u64));
        }
        if let Some(&initial) = info.text.as_bytes().first() {
            out.push(key(DOB, day, (2 << 40) | initial as u64));
        }
        for &g in &info.groups {
            out.push(key(DOB, day, (3 << 40) | g as u64));
        }
    }
    if out.len() == before {
        out.push(key(DOB, day, 0));
    }
}

/// The keys of a record, on the side that is indexed (roster) or probed (vetting). Written
/// into `out` (cleared first) to reuse its buffer.
pub fn keys(names: &Names, r: &Rec, probe: bool, out: &mut Vec<u64>) {
    out.clear();
    dob_keys(names, r, r.dob, probe, out);
    if let Some(d) = swapped(r.dob, probe) {
        dob_keys(names, r, d, probe, out);
    }
    let year = r.dob.year() as u64;
    let (month, day) = (r.dob.month() as u64, r.dob.day() as u64);
    // Year and month, or year and day, in the low bits beside a surname sound.
    let year_month = (year << 8) | month;
    let year_day = (year << 8) | (32 + day);
    let fsound = r.forename().map(|f| names.forename(f).soundex).unwrap_or(0) as u64;
    if fsound != 0 {
        let birthday = (month * 32 + day) << 16;
        out.push(key(FORENAME_BIRTHDAY, fsound, birthday | (year / 10)));
        out.push(key(
            FORENAME_BIRTHDAY,
            fsound,
            birthday | (0x8000 + year % 10),
        ));
    }
    for code in surname_sounds(names, r) {
        out.push(key(SURNAME_YEAR, code, year_month));
        out.push(key(SURNAME_YEAR, code, year_day));
    }
    if fsound != 0 {
        // Whole surnames only, not their parts.
        for &s in &r.surnames {
            let code = names.surname(s).soundex as u64;
            if code != 0 {
                out.push(key(NAME_SOUNDS, (fsound << 32) | code, month));
            }
        }
    }
    if let Some(ni) = r.ni {
        out.push(key(NI, ni, 0));
    }
    if let Some(e) = r.employee_id {
        out.push(key(EMPLOYEE_ID, e as u64, 0));
    }
    out.sort_unstable();
    out.dedup();
}

/// The coarse keys of a record: the date of birth alone (and, probing, with day and month
/// swapped), each surname sound with the birth year, the first forename's sound with the
/// day and month of birth, and the forename and surname sounds together without a date. Each is a coarser form of a key in `keys`, and catches more
/// combinations of two errors, but its block grows with the force: so it is probed only
/// while its block is small (`COARSE_BLOCK`). A small force, or a rare name in any force,
/// keeps that wider net; a common name in a large force relies on the finer keys alone, and
/// the work per record stays bounded as the force grows.
pub fn coarse_keys(names: &Names, r: &Rec, probe: bool, out: &mut Vec<u64>) {
    out.clear();
    out.push(key(COARSE_DOB, day_number(r.dob), 0));
    if let Some(d) = swapped(r.dob, probe) {
        out.push(key(COARSE_DOB, day_number(d), 0));
    }
    let year = r.dob.year() as u64;
    for code in surname_sounds(names, r) {
        out.push(key(COARSE_SURNAME_YEAR, code, year));
    }
    if let Some(f) = r.forename() {
        let fsound = names.forename(f).soundex as u64;
        if fsound != 0 {
            let birthday = (r.dob.month() * 32 + r.dob.day()) as u64;
            out.push(key(COARSE_FORENAME_BIRTHDAY, fsound, birthday));
            // The two name sounds without any date: a date of birth wholly wrong, with
            // the names right. A probe also tries them exchanged (names swapped as well).
            if let Some(s) = r.surname() {
                let ssound = names.surname(s).soundex as u64;
                if ssound != 0 {
                    out.push(key(COARSE_NAMES, fsound, ssound));
                    if probe {
                        out.push(key(COARSE_NAMES, ssound, fsound));
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// Roster people indexed by every blocking key they have.
#[derive(Default)]
pub struct Index {
    /// key -> range in `people`.
    blocks: FxHashMap<u64, (u32, u32)>,
    people: Vec<u32>,
}

/// What blocking did for one probe.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Probe {
    /// Keys skipped because their block was larger than `MAX_BLOCK`.
    pub capped: u32,
    /// The smallest block skipped so (start, length in `Index::people`), whose first
    /// `MAX_BLOCK` people are candidates all the same (`capped_people`).
    pub smallest: Option<(u32, u32)>,
}

impl Probe {
    /// Whether a skipped block had more people than `capped_people` gives: blocking then
    /// did not list everyone the record shares a key with, and no candidate may be linked
    /// without a human.
    pub fn cut(&self) -> bool {
        self.smallest
            .is_some_and(|(_, len)| len as usize > MAX_BLOCK)
    }
}

impl Index {
    pub fn build(names: &Names, people: &[Rec]) -> Index {
        Index::build_from(names, people.iter().enumerate().map(|(i, p)| (i as u32, p)))
    }

    /// Index only the given (roster position, record) pairs: the people whose identity the
    /// second pass widened (`collective`).
    pub fn build_from<'r>(names: &Names, people: impl Iterator<Item = (u32, &'r Rec)>) -> Index {
        use rayon::prelude::*;
        // Keys on both cores, a chunk of people at a time, then one parallel sort: the
        // pairs are a total order, so the index is the same however the work was split.
        let people: Vec<(u32, &Rec)> = people.collect();
        let chunks: Vec<Vec<(u64, u32)>> = people
            .par_chunks(8192)
            .map(|chunk| {
                let mut out = Vec::with_capacity(chunk.len() * 12);
                let mut buf = Vec::new();
                for &(i, p) in chunk {
                    keys(names, p, false, &mut buf);
                    out.extend(buf.iter().map(|&k| (k, i)));
                    coarse_keys(names, p, false, &mut buf);
                    out.extend(buf.iter().map(|&k| (k, i)));
                }
                out
            })
            .collect();
        let mut pairs: Vec<(u64, u32)> = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        for c in chunks {
            pairs.extend(c);
        }
        pairs.par_sort_unstable();
        let mut blocks = FxHashMap::default();
        blocks.reserve(pairs.len() / 2);
        let mut start = 0u32;
        for run in pairs.chunk_by(|a, b| a.0 == b.0) {
            if let Some(&(k, _)) = run.first() {
                blocks.insert(k, (start, run.len() as u32));
            }
            start += run.len() as u32;
        }
        Index {
            blocks,
            people: pairs.into_iter().map(|(_, p)| p).collect(),
        }
    }

    /// The people of one block (`blocks` holds runs of `people`, so the range always exists;
    /// `get` costs the same bounds check indexing would).
    fn block(&self, start: u32, len: u32) -> &[u32] {
        let start = start as usize;
        self.people.get(start..start + len as usize).unwrap_or(&[])
    }

    /// Candidate people for a vetting record, sorted and without duplicates, into `out`.
    /// `keys_buf` is a scratch buffer.
    pub fn candidates(
        &self,
        names: &Names,
        rec: &Rec,
        keys_buf: &mut Vec<u64>,
        out: &mut Vec<u32>,
    ) -> Probe {
        out.clear();
        let mut probe = Probe::default();
        // All of a record's keys are looked up first, each block's people asked into cache as
        // it is found, and only then copied: the lookups are independent, so their cache
        // misses overlap instead of each waiting for the copy before it. `keys_buf` holds
        // the keys, then the blocks found (start << 32 | length), in key order.
        keys(names, rec, true, keys_buf);
        self.found(keys_buf, MAX_BLOCK, Some(&mut probe));
        self.copy_blocks(keys_buf, out);
        coarse_keys(names, rec, true, keys_buf);
        self.found(keys_buf, COARSE_BLOCK, None);
        self.copy_blocks(keys_buf, out);
        out.sort_unstable();
        out.dedup();
        probe
    }

    /// Replace `keys` by the blocks they find of at most `cap` people (start << 32 |
    /// length), in order; a larger block is skipped and counted in `capped`.
    fn found(&self, keys: &mut Vec<u64>, cap: usize, mut capped: Option<&mut Probe>) {
        let mut n = 0;
        for i in 0..keys.len() {
            let Some(&k) = keys.get(i) else { break };
            let Some(&(start, len)) = self.blocks.get(&k) else {
                continue;
            };
            if len as usize > cap {
                if let Some(p) = capped.as_deref_mut() {
                    p.capped += 1;
                    if p.smallest.is_none_or(|(_, l)| len < l) {
                        p.smallest = Some((start, len));
                    }
                }
                continue;
            }
            super::prefetch(self.people.get(start as usize));
            if let Some(slot) = keys.get_mut(n) {
                *slot = (start as u64) << 32 | len as u64;
                n += 1;
            }
        }
        keys.truncate(n);
    }

    /// The first `MAX_BLOCK` people (in roster order) of the smallest block `probe` skipped,
    /// appended to `out` (sorted and without duplicates again). A record whose every key
    /// finds a block too large (two thousand people sharing its name and date of birth) is
    /// still scored against some of them, so it is never "no one's" for want of candidates;
    /// the cap keeps the work per record bounded. The engine links no such record without
    /// a human when the block was cut (`Probe::cut`).
    pub fn capped_people(&self, probe: &Probe, out: &mut Vec<u32>) {
        if let Some((start, len)) = probe.smallest {
            out.extend_from_slice(self.block(start, len.min(MAX_BLOCK as u32)));
            out.sort_unstable();
            out.dedup();
        }
    }

    /// Append the people of the blocks `found` left in `blocks`.
    fn copy_blocks(&self, blocks: &[u64], out: &mut Vec<u32>) {
        for &b in blocks {
            out.extend_from_slice(self.block((b >> 32) as u32, b as u32));
        }
    }
}

#[cfg(test)]
mod tests;
