//! What a night adds to the store does not grow with the nights before it.
//!
//! A small generated force drifts at a steady rate (`generate::drift`) for eighteen nights;
//! after each, the store's logical size (payloads as stored, plus chain entries) is read. The
//! bytes the later nights add are compared with what the earlier nights added: a store that
//! kept anything whole again each night (a person's whole timeline, the chain so far) would
//! add more every night and fail. Windows of six nights are compared, not single nights,
//! because a payload's delta grows with its keyframe's age until a new keyframe is cut.

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use vetrecon::generate::drift::Drift;
use vetrecon::run::RunSpec;
use vetrecon::store::Store;

const PEOPLE: usize = 1_500;
const NIGHTS: usize = 18;

fn force(dir: &Path, seed: u64, as_of: NaiveDate) {
    let f = vetrecon::generate::generate(&vetrecon::generate::Spec {
        people: PEOPLE,
        seed,
        as_of,
        noise: vetrecon::generate::Noise::default(),
        casework: true,
        prevention: false,
        integrity: false,
    });
    vetrecon::generate::write::write(&f, dir).unwrap();
}

/// The bytes each night added to the store, night 1 first.
fn added_per_night() -> Vec<u64> {
    let tmp = tempfile::tempdir().unwrap();
    let (main, spare) = (tmp.path().join("force"), tmp.path().join("spare"));
    let (db, out) = (tmp.path().join("db"), tmp.path().join("out"));
    let start = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    force(&main, 11, start);
    force(&spare, 12, start);
    let mut drift = Drift::open(&main, &spare, 5).unwrap();
    let config = vetrecon::config::load(&PathBuf::from("config/vetrecon.toml")).unwrap();
    let mut before = 0;
    let mut added = Vec::new();
    for night in 0..NIGHTS {
        let day = start + chrono::Days::new(night as u64);
        if night > 0 {
            drift.night(night, day, 0.02);
        }
        drift.write(&main).unwrap();
        let spec = RunSpec::on_force(config.clone(), &main, day, out.clone(), db.clone());
        vetrecon::run::run(spec).unwrap();
        let now = Store::open_read(&db).unwrap().logical_bytes().unwrap();
        added.push(now.saturating_sub(before));
        before = now;
    }
    added
}

/// Whether the typical night of `late` (its median) added more than the typical night of
/// `early`, by more than a quarter. The median, not the sum: a window that happens to hold
/// the night a payload's new keyframe is cut (a night's bytes several times over, once a
/// cycle) says nothing about growth with the nights before.
fn grows(added: &[u64], early: std::ops::Range<usize>, late: std::ops::Range<usize>) -> bool {
    let median = |r: std::ops::Range<usize>| {
        let mut v = added[r].to_vec();
        v.sort_unstable();
        let n = v.len();
        (v[(n - 1) / 2] + v[n / 2]) / 2
    };
    let (e, l) = (median(early), median(late));
    l > e + e / 4
}

#[test]
fn the_bytes_a_night_adds_do_not_grow_with_the_nights_before_it() {
    let added = added_per_night();
    eprintln!("bytes each night added: {added:?}");
    // Night 1 stores everything whole; nights 2 onward store what changed.
    assert!(added[0] > added[1], "{added:?}");
    assert!(
        !grows(&added, 2..8, 12..18),
        "later nights add more than earlier ones (bytes per night): {added:?}"
    );
}

#[test]
fn the_growth_check_finds_a_store_that_keeps_its_history_again_each_night() {
    // A night that stores everything before it again adds a little more each night.
    let linear: Vec<u64> = (0..NIGHTS as u64).map(|n| 100_000 + 40_000 * n).collect();
    assert!(grows(&linear, 2..8, 12..18));
    // A night that keeps a little more each night (5% of a night's bytes) is found too.
    let creeping: Vec<u64> = (0..NIGHTS as u64).map(|n| 200_000 + 10_000 * n).collect();
    assert!(grows(&creeping, 2..8, 12..18));
    // A steady store whose deltas grow with the keyframe's age until a new one is cut.
    let sawtooth: Vec<u64> = (0..NIGHTS as u64)
        .map(|n| {
            if n % 7 == 0 {
                300_000
            } else {
                50_000 + 20_000 * (n % 7)
            }
        })
        .collect();
    assert!(!grows(&sawtooth, 2..8, 12..18));
    // A steady store with a keyframe cut in the later window only.
    let mut spike = vec![100_000u64; NIGHTS];
    spike[15] = 400_000;
    assert!(!grows(&spike, 2..8, 12..18));
}
