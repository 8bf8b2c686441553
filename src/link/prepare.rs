//! Prepare: every distinct name is normalised and encoded once; records become small ids.
//!
//! A force has far fewer distinct surnames and forenames than people, and a vetting export
//! repeats the roster's names. So names are interned into a `Names` vocabulary (the
//! normalised text, its parts, Soundex, Double Metaphone, nickname groups and how often it
//! occurs), and each record is reduced to a `Rec` of ids, a date and a packed NI number.
//! Comparison then works on ids and can cache a verdict per distinct pair of names.
//! Ids depend on input order but no result does: blocking keys use phonetic codes and
//! values, and ties are broken by roster position, never by id.

use crate::model::{ExternalRecord, IdentityRef, Person};
use crate::normalise::{forename_tokens, normalise_ni, surname_form, Nicknames};
use chrono::NaiveDate;
use rayon::prelude::*;
use rphonetic::{DoubleMetaphone, Encoder, Soundex};
use rustc_hash::FxHashMap;

/// A distinct normalised surname.
#[derive(Debug, Clone)]
pub struct SurnameInfo {
    pub text: String,
    /// Ids of this surname and each of its parts (double-barrelled, particles).
    pub spellings: Vec<u32>,
    pub soundex: u32,
    /// Soundex of each part, for blocking.
    pub part_soundex: Vec<u32>,
    pub metaphone: u32,
    /// Records (both sides) whose current surname this is: the term frequency.
    pub count: u32,
}

/// A distinct normalised forename token.
#[derive(Debug, Clone)]
pub struct ForenameInfo {
    pub text: String,
    pub soundex: u32,
    pub groups: Vec<u32>,
    /// Records (both sides) whose first forename this is.
    pub count: u32,
    /// The surname with the same text, or `NONE`: lets comparison see a surname and a
    /// forename exchanged with an integer compare.
    pub as_surname: u32,
}

/// The vocabulary of one linking job.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub surnames: Vec<SurnameInfo>,
    pub forenames: Vec<ForenameInfo>,
    /// Records (both sides) carrying each interned employee id: its term frequency. An id
    /// is unique on the roster, so its share shrinks as the force grows and agreement on it
    /// is worth more in a large force than in a small one.
    pub employee_id_counts: Vec<u32>,
    /// Each distinct sequence of two or more forename ids (a whole "Lucy Victoria"), and
    /// how many records (both sides) carry it: the term frequency of `Full` agreement.
    pub full_ids: FxHashMap<Box<[u32]>, u32>,
    pub full_counts: Vec<u32>,
    /// The first forename of each whole sequence, by sequence id.
    pub full_first: Vec<u32>,
    /// Records on both sides, the denominator of term frequencies.
    pub records: u32,
}

impl Names {
    #[allow(
        clippy::indexing_slicing,
        reason = "every id is a position one of the interners in `prepare` assigned, and every raw string is interned in step 1 before step 4 looks it up"
    )]
    pub fn surname(&self, id: u32) -> &SurnameInfo {
        &self.surnames[id as usize]
    }

    #[allow(
        clippy::indexing_slicing,
        reason = "every id is a position one of the interners in `prepare` assigned, and every raw string is interned in step 1 before step 4 looks it up"
    )]
    pub fn forename(&self, id: u32) -> &ForenameInfo {
        &self.forenames[id as usize]
    }

    /// Share of records whose current surname is `id`.
    pub fn surname_tf(&self, id: u32) -> f64 {
        self.surname(id).count as f64 / self.records.max(1) as f64
    }

    /// Share of records whose first forename is `id`.
    pub fn forename_tf(&self, id: u32) -> f64 {
        self.forename(id).count as f64 / self.records.max(1) as f64
    }

    /// The id of a record's whole forename sequence, when it has two or more forenames.
    pub fn full_id(&self, forenames: &[u32]) -> Option<u32> {
        (forenames.len() > 1)
            .then(|| self.full_ids.get(forenames).copied())
            .flatten()
    }

    /// Share of records whose whole forename sequence is `id` (see `full_id`).
    pub fn full_tf(&self, id: u32) -> f64 {
        self.full_counts.get(id as usize).copied().unwrap_or(0) as f64 / self.records.max(1) as f64
    }

    /// Share of records that carry employee id `id` (roster id or vetting hint).
    #[allow(
        clippy::indexing_slicing,
        reason = "every id is a position one of the interners in `prepare` assigned, and every raw string is interned in step 1 before step 4 looks it up"
    )]
    pub fn employee_id_tf(&self, id: u32) -> f64 {
        self.employee_id_counts[id as usize] as f64 / self.records.max(1) as f64
    }
}

/// One record reduced to what comparison and blocking need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rec {
    /// Current surname first, then previous surnames. Empty when the name normalises to "".
    pub surnames: Vec<u32>,
    /// Forename tokens in order; the first is the forename the person goes by on paper.
    pub forenames: Vec<u32>,
    pub dob: NaiveDate,
    /// The 8 significant characters of the NI number, packed.
    pub ni: Option<u64>,
    /// The employee id (roster) or employee id hint (vetting), interned.
    pub employee_id: Option<u32>,
}

/// The fields scoring reads for every candidate pair, packed into 32 bytes (two people to a
/// cache line) so that a block's people sit in few cache lines (a `Rec` keeps its names
/// behind pointers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hot {
    pub dob: NaiveDate,
    /// `NONE` when absent.
    pub surname: u32,
    pub forename: u32,
    pub employee_id: u32,
    /// The whole forename sequence (`Names::full_id`), `NONE` for one forename or none.
    pub full: u32,
    /// 0 when absent.
    pub ni: u64,
    /// `PREVIOUS`, `PARTS`, `MIDDLE`: which slower comparison levels are possible at all.
    pub flags: u8,
}

const _: () = assert!(std::mem::size_of::<Hot>() <= 32);

/// The record lists a previous surname.
pub const PREVIOUS: u8 = 1;
/// The current surname has parts (double-barrelled, particles).
pub const PARTS: u8 = 2;
/// The record has more than one forename.
pub const MIDDLE: u8 = 4;

/// "No value" in a `Hot` id field.
pub const NONE: u32 = u32::MAX;

impl Hot {
    pub fn of(r: &Rec, names: &Names) -> Hot {
        let parts = r
            .surname()
            .is_some_and(|s| names.surname(s).spellings.len() > 1);
        Hot {
            flags: (r.surnames.len() > 1) as u8 * PREVIOUS
                + parts as u8 * PARTS
                + (r.forenames.len() > 1) as u8 * MIDDLE,
            dob: r.dob,
            surname: r.surname().unwrap_or(NONE),
            forename: r.forename().unwrap_or(NONE),
            employee_id: r.employee_id.unwrap_or(NONE),
            full: names.full_id(&r.forenames).unwrap_or(NONE),
            ni: r.ni.unwrap_or(0),
        }
    }
}

impl Rec {
    pub fn surname(&self) -> Option<u32> {
        self.surnames.first().copied()
    }

    pub fn forename(&self) -> Option<u32> {
        self.forenames.first().copied()
    }
}

/// Pack a phonetic code (at most 4 ASCII characters here) into a u32; 0 means none.
fn pack4(code: &str) -> u32 {
    code.bytes()
        .take(4)
        .fold(0u32, |acc, b| (acc << 8) | b as u32)
}

fn soundex(s: &str) -> u32 {
    if s.is_empty() {
        return 0;
    }
    pack4(&Soundex::default().encode(s))
}

/// Pack an 8-character normalised NI number.
pub fn pack_ni(ni: &str) -> u64 {
    ni.bytes().fold(0u64, |acc, b| (acc << 8) | b as u64)
}

/// The raw identity fields of either side.
type Raw<'a> = IdentityRef<'a>;

/// Assigns ids to strings in first-seen order.
#[derive(Default)]
struct Interner<'a> {
    ids: FxHashMap<&'a str, u32>,
    texts: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        let next = self.texts.len() as u32;
        *self.ids.entry(s).or_insert_with(|| {
            self.texts.push(s);
            next
        })
    }
}

/// Owned-string interner for normalised forms.
#[derive(Default)]
struct OwnedInterner {
    ids: FxHashMap<String, u32>,
    texts: Vec<String>,
}

impl OwnedInterner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.texts.len() as u32;
        self.ids.insert(s.to_string(), i);
        self.texts.push(s.to_string());
        i
    }
}

/// The prepared linking job: vocabulary, roster records and vetting records.
pub struct Prepared {
    pub names: Names,
    pub people: Vec<Rec>,
    /// `Hot::of` each person, same order.
    pub people_hot: Vec<Hot>,
    pub records: Vec<Rec>,
}

/// Intern and encode both sides. Deterministic for a given input order.
#[allow(
    clippy::indexing_slicing,
    reason = "every id is a position one of the interners in `prepare` assigned, and every raw string is interned in step 1 before step 4 looks it up"
)]
pub fn prepare<R: ExternalRecord>(
    persons: &[Person],
    vetting: &[R],
    nicknames: &Nicknames,
) -> Prepared {
    let raws: Vec<Raw<'_>> = persons
        .iter()
        .map(Person::identity)
        .chain(vetting.iter().map(ExternalRecord::identity))
        .collect();

    // 1. Distinct raw strings, in first-seen order.
    let mut raw_surnames = Interner::default();
    let mut raw_forenames = Interner::default();
    let mut raw_ids = Interner::default();
    for r in &raws {
        raw_surnames.id(r.surname);
        for p in r.previous {
            raw_surnames.id(p);
        }
        raw_forenames.id(r.forenames);
        if let Some(e) = r.employee_id {
            raw_ids.id(e.trim());
        }
    }

    // 2. Normalise each distinct raw string once, in parallel.
    let surname_forms: Vec<_> = raw_surnames
        .texts
        .par_iter()
        .map(|s| surname_form(s))
        .collect();
    let forename_toks: Vec<Vec<String>> = raw_forenames
        .texts
        .par_iter()
        .map(|s| forename_tokens(s))
        .collect();

    // 3. Intern normalised forms (full surnames and their parts share one vocabulary).
    let mut surnames = OwnedInterner::default();
    let mut surname_of_raw: Vec<Option<u32>> = Vec::with_capacity(surname_forms.len());
    let mut spellings: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for f in &surname_forms {
        if f.full.is_empty() {
            surname_of_raw.push(None);
            continue;
        }
        let id = surnames.id(&f.full);
        let mut sp = vec![id];
        sp.extend(f.parts.iter().map(|p| surnames.id(p)));
        spellings.entry(id).or_insert(sp);
        surname_of_raw.push(Some(id));
    }
    let mut forenames = OwnedInterner::default();
    let forenames_of_raw: Vec<Vec<u32>> = forename_toks
        .iter()
        .map(|toks| toks.iter().map(|t| forenames.id(t)).collect())
        .collect();
    let mut employee_ids = OwnedInterner::default();
    let employee_of_raw: Vec<Option<u32>> = raw_ids
        .texts
        .iter()
        .map(|e| {
            let e = e.to_ascii_uppercase();
            (!e.is_empty()).then(|| employee_ids.id(&e))
        })
        .collect();

    // 4. Records.
    let rec = |r: &Raw<'_>| -> Rec {
        let mut ss = Vec::with_capacity(1 + r.previous.len());
        if let Some(s) = surname_of_raw[raw_surnames.ids[r.surname] as usize] {
            ss.push(s);
            for p in r.previous {
                if let Some(ps) = surname_of_raw[raw_surnames.ids[p.as_str()] as usize] {
                    if !ss.contains(&ps) {
                        ss.push(ps);
                    }
                }
            }
        }
        Rec {
            surnames: ss,
            forenames: forenames_of_raw[raw_forenames.ids[r.forenames] as usize].clone(),
            dob: r.dob,
            ni: r.ni.and_then(normalise_ni).map(|n| pack_ni(&n)),
            employee_id: r
                .employee_id
                .and_then(|e| employee_of_raw[raw_ids.ids[e.trim()] as usize]),
        }
    };
    let recs: Vec<Rec> = raws.par_iter().map(rec).collect();

    // 5. Features per distinct name, and term frequencies over both sides.
    let mut surname_count = vec![0u32; surnames.texts.len()];
    let mut forename_count = vec![0u32; forenames.texts.len()];
    let mut employee_id_counts = vec![0u32; employee_ids.texts.len()];
    for r in &recs {
        if let Some(e) = r.employee_id {
            employee_id_counts[e as usize] += 1;
        }
        if let Some(s) = r.surname() {
            surname_count[s as usize] += 1;
        }
        if let Some(f) = r.forename() {
            forename_count[f as usize] += 1;
        }
    }
    // Whole forename sequences, ids in first-seen order like every other interner.
    let mut full_ids: FxHashMap<Box<[u32]>, u32> = FxHashMap::default();
    let mut full_counts: Vec<u32> = Vec::new();
    let mut full_first: Vec<u32> = Vec::new();
    for r in recs.iter().filter(|r| r.forenames.len() > 1) {
        let id = match full_ids.get(r.forenames.as_slice()) {
            Some(&id) => id,
            None => {
                let id = full_counts.len() as u32;
                full_ids.insert(r.forenames.as_slice().into(), id);
                full_counts.push(0);
                full_first.push(r.forenames[0]);
                id
            }
        };
        full_counts[id as usize] += 1;
    }
    let metaphone = DoubleMetaphone::default();
    let surname_info: Vec<SurnameInfo> = surnames
        .texts
        .par_iter()
        .enumerate()
        .map(|(i, text)| {
            let sp = spellings
                .get(&(i as u32))
                .cloned()
                .unwrap_or_else(|| vec![i as u32]);
            let part_soundex = sp[1..]
                .iter()
                .map(|&p| soundex(&surnames.texts[p as usize]))
                .collect();
            SurnameInfo {
                soundex: soundex(text),
                metaphone: pack4(&metaphone.double_metaphone(text).primary()),
                part_soundex,
                spellings: sp,
                count: surname_count[i],
                text: text.clone(),
            }
        })
        .collect();
    let forename_info: Vec<ForenameInfo> = forenames
        .texts
        .par_iter()
        .enumerate()
        .map(|(i, text)| ForenameInfo {
            soundex: soundex(text),
            groups: nicknames.groups_of(text).to_vec(),
            count: forename_count[i],
            as_surname: surnames.ids.get(text.as_str()).copied().unwrap_or(NONE),
            text: text.clone(),
        })
        .collect();

    let mut people = recs;
    let records = people.split_off(persons.len());
    let names = Names {
        surnames: surname_info,
        forenames: forename_info,
        employee_id_counts,
        full_ids,
        full_counts,
        full_first,
        records: (persons.len() + vetting.len()) as u32,
    };
    let people_hot = people.iter().map(|r| Hot::of(r, &names)).collect();
    Prepared {
        people_hot,
        names,
        people,
        records,
    }
}
