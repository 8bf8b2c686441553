use super::*;
use std::collections::{BTreeMap, HashMap};

fn spec(people: usize, seed: u64) -> Spec {
    Spec {
        people,
        seed,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        noise: Noise::default(),
    }
}

fn files(force: &Force) -> Vec<Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    write::write(force, dir.path()).unwrap();
    [
        "roster.csv",
        "posts.csv",
        "vetting.csv",
        "truth/links.csv",
        "truth/exceptions.csv",
        "truth/manifest.toml",
    ]
    .iter()
    .map(|f| std::fs::read(dir.path().join(f)).unwrap())
    .collect()
}

#[test]
fn the_same_seed_gives_the_same_force_byte_for_byte() {
    let a = files(&generate(&spec(800, 5)));
    assert_eq!(a, files(&generate(&spec(800, 5))));
    assert_ne!(a[2], files(&generate(&spec(800, 6)))[2]);
}

#[test]
fn sizes_and_truth_are_consistent() {
    let f = generate(&spec(5_000, 1));
    assert_eq!(f.people.len(), 5_000);
    let per_person = f.records.len() as f64 / 5_000.0;
    assert!(
        (1.9..3.0).contains(&per_person),
        "{per_person} records per person"
    );
    let ids: HashMap<&str, usize> = f
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.employee_id.as_str(), i))
        .collect();
    assert_eq!(ids.len(), 5_000, "employee ids are unique");
    let refs: HashMap<&str, &Record> = f
        .records
        .iter()
        .map(|r| (r.vetting_ref.as_str(), r))
        .collect();
    assert_eq!(refs.len(), f.records.len(), "vetting refs are unique");
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &f.exceptions {
        *per_code.entry(e.code.as_str()).or_default() += 1;
        if let Some(r) = refs.get(e.vetting_ref.as_str()) {
            // A person's exception names one of that person's own records.
            if !e.employee_id.is_empty() {
                assert_eq!(r.owner, Some(ids[e.employee_id.as_str()]), "{e:?}");
            } else {
                assert_eq!(r.owner, None, "{e:?}");
            }
        }
    }
    for code in [
        "NO_CLEARANCE",
        "NOT_GRANTED",
        "EXPIRED",
        "INSUFFICIENT_LEVEL",
        "EXPIRING_SOON",
        "UNKNOWN_POST",
        "LEAVER_ACTIVE_CLEARANCE",
        "ORPHAN_CLEARANCE",
        "ADVERSE_UNMITIGATED",
        "MISCONDUCT_REVIEW_DUE",
        "CIRCUMSTANCES_REVIEW_DUE",
    ] {
        assert!(
            per_code.get(code).copied().unwrap_or(0) > 5,
            "{code}: {per_code:?}"
        );
    }
    assert!(per_code.get("PND_UNREVIEWED").copied().unwrap_or(0) > 0);
}

#[test]
fn hard_negatives_are_on_the_roster() {
    let f = generate(&spec(20_000, 2));
    let mut seen: HashMap<(String, String, NaiveDate), usize> = HashMap::new();
    for p in &f.people {
        *seen
            .entry((p.surname.clone(), p.first.clone(), p.dob))
            .or_default() += 1;
    }
    let same = seen.values().filter(|&&n| n > 1).count();
    assert!(same >= 10, "same name and date of birth pairs: {same}");
}

#[test]
fn noise_shows_at_about_its_configured_rates() {
    let f = generate(&spec(20_000, 3));
    let owned: Vec<(&Record, &Identity)> = f
        .records
        .iter()
        .filter_map(|r| r.owner.map(|o| (r, &f.people[o])))
        .collect();
    let share = |pred: &dyn Fn(&Record, &Identity) -> bool| {
        owned.iter().filter(|(r, p)| pred(r, p)).count() as f64 / owned.len() as f64
    };
    let no_ni = share(&|r, _| r.id.ni.is_none());
    assert!((0.27..0.33).contains(&no_ni), "NI missing {no_ni}");
    let swapped = share(&|r, p| r.id.dob != p.dob);
    assert!((0.012..0.03).contains(&swapped), "dob differs {swapped}");
    let other_surname = share(&|r, p| r.id.surname != p.surname);
    assert!(
        (0.05..0.15).contains(&other_surname),
        "surname differs {other_surname}"
    );

    let clean = generate(&Spec {
        noise: Noise::default().scaled(0.0),
        ..spec(5_000, 3)
    });
    for r in &clean.records {
        if let Some(o) = r.owner {
            let p = &clean.people[o];
            assert_eq!(r.id.dob, p.dob);
            assert_eq!(r.id.forenames, p.forenames());
            assert_eq!(r.id.ni.as_deref(), Some(p.ni.as_str()));
            assert!(r.id.surname == p.surname || Some(&r.id.surname) == p.maiden.as_ref());
        }
    }
}

#[test]
fn trigger_truth_follows_the_events_and_the_reviews() {
    use super::triggers::GRACE_DAYS;
    let f = generate(&Spec {
        people: 20_000,
        seed: 5,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        noise: Noise::default(),
    });
    let t = &f.triggers;
    assert!(t.pnd.len() > 50 && t.misconduct.len() > 30 && t.circumstances.len() > 150);
    assert!(
        t.pnd.iter().any(|r| r.owner.is_none()),
        "returns about strangers"
    );
    // Recompute every event's state from the records: open when no decision or review of the
    // person's own records is on or after it, due when also past the grace period.
    let latest = |person: usize| {
        f.records
            .iter()
            .filter(|r| r.owner == Some(person))
            .flat_map(|r| [r.plan.decision, r.last_review])
            .flatten()
            .max()
    };
    let as_of = f.spec.as_of;
    let due = |p: usize, date: NaiveDate| {
        latest(p).is_none_or(|r| r < date) && (as_of - date).num_days() > GRACE_DAYS
    };
    let truth: std::collections::BTreeSet<(String, String)> = f
        .exceptions
        .iter()
        .filter(|e| e.code.ends_with("_DUE") || e.code == "PND_UNREVIEWED")
        .map(|e| (e.code.clone(), e.vetting_ref.clone()))
        .collect();
    let mut reviewed = 0;
    for r in &t.pnd {
        let Some(o) = r.owner else { continue };
        let want = due(o, r.record_date);
        reviewed += (!want) as usize;
        assert_eq!(
            truth.contains(&("PND_UNREVIEWED".into(), r.pnd_ref.clone())),
            want
        );
    }
    for e in &t.misconduct {
        let want = e.kind != "other" && due(e.owner, e.date);
        assert_eq!(
            truth.contains(&("MISCONDUCT_REVIEW_DUE".into(), e.reference.clone())),
            want
        );
    }
    for e in &t.circumstances {
        let want = !matches!(e.kind, "address" | "other") && due(e.owner, e.date);
        assert_eq!(
            truth.contains(&("CIRCUMSTANCES_REVIEW_DUE".into(), e.reference.clone())),
            want
        );
    }
    assert!(
        reviewed > 10,
        "some returns are closed by a review: {reviewed}"
    );
    assert!(f.records.iter().any(|r| r.last_review.is_some()));
}
