//! Blocking's promise: any single error in a name or a date still leaves a key in common,
//! even when every coarse block is too large to probe.

use super::COARSE_BLOCK;
use crate::config::raw::RawConfig;
use crate::config::Policy;
use crate::link::{Decision, Engine, Scratch};
use crate::model::{Person, VettingRecord, VettingStatus};
use crate::testkit::{d, World};

const TARGET: (&str, &str, &str) = ("Oyelaran", "Katherine", "1986-07-03");

/// Katherine Oyelaran, born 3 July 1986, plus (when `crowded`) enough people sharing each
/// of her coarse keys (date of birth; surname sound and year; forename sound and birthday;
/// forename and surname sounds) that none of those blocks may be probed.
fn roster(w: &mut World, crowded: bool) -> u32 {
    let mut add = |surname: &str, forenames: &str, dob: &str| {
        let i = w.staff("RVPOST");
        let p: &mut Person = &mut w.persons[i as usize];
        p.surname = surname.into();
        p.forenames = forenames.into();
        p.date_of_birth = d(dob);
        i
    };
    let target = add(TARGET.0, TARGET.1, TARGET.2);
    if crowded {
        for i in 0..=COARSE_BLOCK {
            add(&format!("Fenwick{i}"), "Alex", TARGET.2);
            add(TARGET.0, "Zed", &format!("1986-01-{:02}", i + 1));
            add(
                &format!("Marsh{i}"),
                TARGET.1,
                &format!("{}-07-03", 1950 + i),
            );
            // Same name sounds (Katharine Oyelaren), born in another decade.
            add("Oyelaren", "Katharine", &format!("{}-02-14", 1960 + i));
        }
    }
    target
}

fn record(w: &mut World, surname: &str, forenames: &str, dob: &str) {
    let vi = w.record(
        None,
        Decision::NoMatch,
        "RV",
        VettingStatus::Granted,
        "2030-01-01",
    );
    let v: &mut VettingRecord = &mut w.vetting[vi];
    v.surname = surname.into();
    v.forenames = forenames.into();
    v.date_of_birth = d(dob);
}

/// Whether each record of `w` has `target` among its blocking candidates.
fn reached(w: &World, target: u32) -> Vec<bool> {
    let policy = Policy::build(&RawConfig::default()).unwrap();
    let engine = Engine::new(&policy.linking, &w.persons, &w.vetting);
    let mut scratch = Scratch::default();
    (0..w.vetting.len())
        .map(|vi| {
            engine.block(vi, &mut scratch);
            scratch.candidates.contains(&target)
        })
        .collect()
}

#[test]
fn every_single_error_still_shares_a_key_when_no_coarse_block_may_be_probed() {
    let mut w = World::new();
    let target = roster(&mut w, true);
    let (s, f, dob) = TARGET;
    let cases = [
        (s, f, dob, "exact"),
        (s, f, "1986-07-08", "wrong day"),
        (s, f, "1986-09-03", "wrong month"),
        (s, f, "1987-07-03", "wrong year digit"),
        (s, f, "1996-07-03", "wrong decade"),
        (s, f, "1986-03-07", "day and month swapped"),
        ("Smith", f, dob, "surname changed"),
        ("Oyelaren", f, dob, "surname misspelt"),
        (s, "Kate", dob, "nickname"),
        (s, "K", dob, "initial only"),
        (s, "Katherien", dob, "forename misspelt"),
        (s, "Katherine Anne", dob, "middle name on one side"),
        (f, s, dob, "surname and forename swapped"),
    ];
    for (surname, forenames, date, _) in cases {
        record(&mut w, surname, forenames, date);
    }
    let hit = reached(&w, target);
    for (case, ok) in cases.iter().zip(&hit) {
        assert!(ok, "{}: the person is not a candidate", case.3);
    }
}

#[test]
fn a_coarse_block_is_probed_only_while_it_is_small() {
    // Wrong day and wrong month together leave only the surname sound and year in common:
    // a coarse key, so the pair is found in a small force and not in a crowded one.
    let (s, f, _) = TARGET;
    for crowded in [false, true] {
        let mut w = World::new();
        let target = roster(&mut w, crowded);
        record(&mut w, s, f, "1986-09-08");
        assert_eq!(reached(&w, target), vec![!crowded], "crowded: {crowded}");
    }
}

#[test]
fn a_wholly_wrong_date_of_birth_is_found_by_the_names_in_a_small_force() {
    // Names right, date of birth wrong in day, month and year: only the names-sounds
    // coarse key is shared (the exchanged pair too, for names swapped as well).
    let (s, f, _) = TARGET;
    let mut w = World::new();
    let target = roster(&mut w, false);
    record(&mut w, s, f, "1971-12-25");
    record(&mut w, f, s, "1971-12-25");
    assert_eq!(reached(&w, target), vec![true, true]);
}
