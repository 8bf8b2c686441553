//! Fuzzing ingest with proptest: whatever bytes arrive, parsing never panics, and what it
//! reports is consistent with the file. 256 cases per property in every `cargo test`; set
//! `PROPTEST_CASES=100000` for a long run (see docs/testing.md, "Fuzzing").

use super::table::{self, opt, req, Column};
use super::value::DateFormats;
use super::*;
use crate::config::raw::RawConfig;
use crate::config::Policy;
use chrono::Datelike;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

fn policy() -> Policy {
    let mut raw = RawConfig::default();
    raw.input.max_reject_share = 1.0;
    Policy::build(&raw).unwrap()
}

/// Pieces a hostile CSV is made of: delimiters, quotes, line ends, NUL, invalid UTF-8,
/// multi-byte characters, a BOM, and plausible values.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b",".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\0".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(b"\xe9".to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
        Just("Siobhán Ó Briain".as_bytes().to_vec()),
        Just(b";".to_vec()),
        Just(b"1980-02-29".to_vec()),
        Just(b"31/02/1990".to_vec()),
        Just(b"E1".to_vec()),
        Just(b"granted".to_vec()),
        Just(b"MV".to_vec()),
        "[a-zA-Z0-9 '-]{0,12}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..16),
    ]
}

fn hostile_body() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(piece(), 0..80).prop_map(|v| v.concat())
}

/// The roster header, sometimes damaged, then a hostile body.
fn roster_bytes() -> impl Strategy<Value = Vec<u8>> {
    let header = prop_oneof![
        3 => Just(b"employee_id,surname,forenames,date_of_birth,post_id,role_type,employment_status\n".to_vec()),
        1 => hostile_body(),
    ];
    (header, hostile_body()).prop_map(|(h, b)| [h, b].concat())
}

/// Lines, ended by `\n`, `\r\n` or a lone `\r` (as `Dialect::decode` reads them).
fn lines_in(bytes: &[u8]) -> u64 {
    let lone_cr = bytes
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count()
        + usize::from(bytes.last() == Some(&b'\r'));
    (bytes.iter().filter(|b| **b == b'\n').count() + lone_cr) as u64 + 1
}

const COLS: &[Column] = &[req("id"), opt("name")];

proptest! {
    /// Any bytes at all through the generic reader: an answer, never a panic; every row
    /// counted once; every reject on a line the file has.
    #[test]
    fn the_csv_reader_never_panics_and_accounts_for_every_row(bytes in hostile_body()) {
        let f = SourceFile::from_bytes("t", Path::new("t.csv"), bytes.clone());
        for dialect in [dialect::Dialect::default(), dialect::Dialect::build("windows-1252", ";").unwrap()] {
            if let Ok(p) = table::read(&f, &dialect, COLS, &BTreeMap::new(), |r| {
                Ok(r.required("id")?.to_string())
            }) {
                // Every data line is a row or lost to a reject (one reject may take many).
                prop_assert_eq!(p.data_rows, p.rows.len() + p.stats().rejected);
                prop_assert!(p.rejects.len() <= p.stats().rejected);
                for r in &p.rejects {
                    prop_assert!(r.line >= 2 && r.line <= lines_in(&bytes), "line {}", r.line);
                    prop_assert!(r.value.chars().count() <= 203);
                }
            }
        }
    }

    /// Whole roster files through the run's own parser and share check.
    #[test]
    fn roster_ingest_never_panics(roster in roster_bytes()) {
        let p = policy();
        let sources = Sources {
            roster: SourceFile::from_bytes("roster", Path::new("roster.csv"), roster.clone()),
            posts: SourceFile::from_bytes("posts", Path::new("posts.csv"), b"post_id,required_level,designated\nP1,RV,no\n".to_vec()),
            vetting: SourceFile::from_bytes("vetting", Path::new("vetting.csv"), roster),
            triggers: Vec::new(),
        };
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let all = parse(&p.input, &p.levels, &sources, as_of);
        if let Ok(r) = &all.roster {
            prop_assert_eq!(r.data_rows, r.rows.len() + r.stats().rejected);
            prop_assert!(r.rejects.len() <= r.stats().rejected);
            for person in &r.rows {
                prop_assert!(person.date_of_birth <= as_of);
                prop_assert!(!person.surname.is_empty());
            }
        }
        let _ = ingest(&p.input, &p.levels, &sources, as_of);
    }

    /// The date parser against chrono's own calendar: a day/month/year is accepted exactly
    /// when it is a real date, and read as that date, in every format the config allows.
    #[test]
    fn dates_are_accepted_exactly_when_they_exist(y in 0i32..10000, m in 0u32..15, d in 0u32..34, sep in prop_oneof![Just('/'), Just('-'), Just('.')]) {
        // A real date in a plausible year (`value::PLAUSIBLE_YEARS`); others are refused.
        let real = NaiveDate::from_ymd_opt(y, m, d)
            .filter(|_| crate::ingest::value::PLAUSIBLE_YEARS.contains(&y));
        let iso = DateFormats::new(vec!["%Y-%m-%d".into()]);
        let uk = DateFormats::new(vec![format!("%d{sep}%m{sep}%Y")]);
        let got_iso = iso.parse(&format!("{y:04}-{m:02}-{d:02}")).ok();
        let got_uk = uk.parse(&format!("{d:02}{sep}{m:02}{sep}{y:04}")).ok();
        prop_assert_eq!(got_iso, real);
        prop_assert_eq!(got_uk, real);
        if let Some(r) = real {
            prop_assert_eq!((r.year(), r.month(), r.day()), (y, m, d));
        }
    }

    /// Any text at all through the date parser, under every format list a force might
    /// configure (ambiguous pairs included): an answer, never a panic.
    #[test]
    fn the_date_parser_never_panics(s in "\\PC{0,24}|[0-9/.-]{0,12}", which in 0usize..4) {
        let lists: [&[&str]; 4] = [
            &["%Y-%m-%d", "%d/%m/%Y"],
            &["%d/%m/%Y", "%m/%d/%Y"],
            &["%m/%d/%y", "%d.%m.%Y", "%Y%m%d"],
            &["%d-%m-%Y"],
        ];
        let f = DateFormats::new(lists[which].iter().map(|s| s.to_string()).collect());
        let _ = f.parse(&s);
    }
}
