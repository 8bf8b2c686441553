use super::*;
use std::collections::{BTreeMap, HashMap};

fn spec(people: usize, seed: u64) -> Spec {
    Spec {
        people,
        seed,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        noise: Noise::default(),
        casework: true,
        prevention: false,
        integrity: false,
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
        "recruitment_plan.csv",
        "truth/casework.csv",
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
        casework: true,
        prevention: false,
        integrity: false,
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

mod casework_truth {
    //! The casework a generated force carries: its columns, its planned cases and their
    //! truth, and that none of it moves what the force without casework holds.

    use super::*;
    use crate::generate::casework::{self, CaseScenario};
    use crate::model::casework::CaseworkPolicy;
    use chrono::Months;
    use std::collections::BTreeSet;

    type Key = (String, String, String);

    const CODES: [&str; 4] = [
        "PENDING_TOO_LONG",
        "RATIONALE_MISSING",
        "INTERVIEW_NOT_HELD",
        "RENEWAL_NO_RESPONSE",
    ];

    /// The four casework codes worked out afresh from every record's written values and the
    /// contract's words (docs/output.md) at the default policy: nothing from the plan.
    fn by_the_contract(f: &Force) -> BTreeSet<Key> {
        let policy = CaseworkPolicy::default();
        let as_of = f.spec.as_of;
        let lookback = as_of
            .checked_sub_months(Months::new(policy.decision_lookback_months))
            .unwrap();
        let in_lookback = |d: Option<NaiveDate>| d.is_some_and(|d| d >= lookback);
        let workforce = |p: &Identity| matches!(p.status, "active" | "suspended" | "career_break");
        // The latest expiry among each person's granted or lapsed records.
        let mut clearance: HashMap<usize, NaiveDate> = HashMap::new();
        for r in &f.records {
            if let (Some(o), Some(e), "granted" | "lapsed") =
                (r.owner, r.plan.expiry, r.plan.status)
            {
                let x = clearance.entry(o).or_insert(e);
                *x = (*x).max(e);
            }
        }
        let mut out = BTreeSet::new();
        for r in &f.records {
            let c = r.case.as_ref().expect("every record has casework");
            let person = r.owner.map(|o| &f.people[o]);
            let key = |code: &str| {
                (
                    code.to_string(),
                    person.map_or(String::new(), |p| p.employee_id.clone()),
                    r.vetting_ref.clone(),
                )
            };
            let age = c.application_date.map(|d| (as_of - d).num_days());
            let status = r.plan.status;
            if let (Some(p), Some(age), "pending") = (person, age, status) {
                if let Some(post) = p.post.filter(|_| workforce(p)) {
                    let needs = scenario::requirement(p, &f.posts);
                    let designated = f.posts[post].designated;
                    if r.plan.level == needs
                        && (age > policy.pending_limit(c.case_type)
                            || (r.plan.adverse
                                && designated
                                && age > policy.adverse_undecided_days))
                    {
                        out.insert(key("PENDING_TOO_LONG"));
                    }
                }
            }
            let live = status == "granted" && r.plan.expiry.is_some_and(|e| e > as_of);
            let decided_in =
                matches!(status, "refused" | "withdrawn") && in_lookback(r.plan.decision);
            let appeal_in = matches!(c.appeal_status, Some("upheld" | "dismissed"))
                && in_lookback(c.appeal_outcome_date);
            if r.plan.adverse && !r.plan.rationale && !live && (decided_in || appeal_in) {
                out.insert(key("RATIONALE_MISSING"));
            }
            if matches!(status, "granted" | "refused")
                && in_lookback(r.plan.decision)
                && r.plan.adverse
                && c.adverse_category
                    .is_some_and(|k| policy.needs_interview(k))
                && c.interview_held == Some(false)
            {
                out.insert(key("INTERVIEW_NOT_HELD"));
            }
            let first = policy.first_stage().map(|s| &**s);
            if let (Some(o), Some(age)) = (r.owner, age) {
                let due = clearance
                    .get(&o)
                    .is_some_and(|e| (*e - as_of).num_days() <= policy.renewal_reminder_days);
                if c.case_type == Some("renewal")
                    && c.stage == first
                    && age > policy.renewal_no_response_days
                    && due
                {
                    out.insert(key("RENEWAL_NO_RESPONSE"));
                }
            }
        }
        out
    }

    fn truth_of(f: &Force) -> BTreeSet<Key> {
        f.exceptions
            .iter()
            .filter(|e| CODES.contains(&e.code.as_str()))
            .map(|e| (e.code.clone(), e.employee_id.clone(), e.vetting_ref.clone()))
            .collect()
    }

    #[test]
    fn the_casework_truth_is_the_contract_applied_to_every_record() {
        for (people, seed) in [(20_000, 21), (3_000, 22)] {
            let f = generate(&spec(people, seed));
            let truth = truth_of(&f);
            for code in CODES {
                assert!(
                    truth.iter().filter(|k| k.0 == code).count() >= 3,
                    "{code} at {people}: {truth:?}"
                );
            }
            let contract = by_the_contract(&f);
            let missing: Vec<_> = contract.difference(&truth).collect();
            let extra: Vec<_> = truth.difference(&contract).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "raised by the contract but not in the truth: {missing:?}; in the truth but not raised: {extra:?}"
            );
        }
        // Without casework there is none of it.
        let f = generate(&Spec {
            casework: false,
            prevention: false,
            ..spec(3_000, 22)
        });
        assert!(truth_of(&f).is_empty() && f.casework.is_none());
        assert!(f.records.iter().all(|r| r.case.is_none()));
    }

    #[test]
    fn every_planned_casework_case_has_the_values_its_scenario_says() {
        let f = generate(&spec(20_000, 23));
        let cw = f.casework.as_ref().unwrap();
        let policy = CaseworkPolicy::default();
        let as_of = f.spec.as_of;
        let first = policy.first_stage().map(|s| &**s);
        let renewal = policy.pending_limit(Some("renewal"));
        let upgrade = policy.pending_limit(Some("upgrade"));
        let quiet = policy.renewal_no_response_days;
        let adverse_days = policy.adverse_undecided_days;
        let mut seen: BTreeMap<CaseScenario, usize> = BTreeMap::new();
        for case in &cw.cases {
            *seen.entry(case.scenario).or_default() += 1;
            let r = &f.records[case.record];
            let c = r.case.as_ref().unwrap();
            let age = c.application_date.map(|d| (as_of - d).num_days());
            // An open application's age is its planned age; a decided one was applied for
            // before its decision.
            match r.plan.decision {
                None => assert_eq!(age, case.age_days, "{case:?}"),
                Some(d) => {
                    assert_eq!(case.age_days, None, "{case:?}");
                    assert!(c.application_date.is_none_or(|a| a <= d), "{case:?}");
                }
            }
            let p = &f.people[r.owner.expect("every planned case is someone's")];
            let expiry = f
                .records
                .iter()
                .filter(|x| x.owner == r.owner && x.plan.expiry.is_some())
                .filter_map(|x| x.plan.expiry)
                .max();
            let due = expiry.is_some_and(|e| (e - as_of).num_days() <= 180);
            let a = age.unwrap_or(-1);
            let pending = r.plan.status == "pending" && r.plan.decision.is_none();
            let ok = match case.scenario {
                CaseScenario::PendingOverLimit => pending && a > policy.pending_limit(c.case_type),
                CaseScenario::PendingWithinLimit => {
                    pending && (1..=policy.pending_limit(c.case_type)).contains(&a)
                }
                CaseScenario::UpgradeOverLimit => {
                    pending && c.case_type == Some("upgrade") && a > upgrade
                }
                CaseScenario::UpgradeWithinLimit => pending && (1..=adverse_days).contains(&a),
                CaseScenario::AdverseUndecidedDesignated
                | CaseScenario::AdverseUndecidedOrdinary => {
                    let designated = f.posts[p.post.unwrap()].designated;
                    pending
                        && r.plan.adverse
                        && c.adverse_category.is_some()
                        && (adverse_days + 1..=upgrade).contains(&a)
                        && designated == (case.scenario == CaseScenario::AdverseUndecidedDesignated)
                }
                CaseScenario::RenewalJustOpened => {
                    pending && due && c.stage == first && (1..=quiet).contains(&a)
                }
                CaseScenario::RenewalInProgress => {
                    pending && due && c.stage != first && (1..=renewal).contains(&a)
                }
                CaseScenario::RenewalNoResponse => {
                    pending && due && c.stage == first && (quiet + 1..=renewal).contains(&a)
                }
                CaseScenario::RenewalStuck => pending && due && c.stage == first && a > renewal,
                CaseScenario::RenewalSlow => pending && due && c.stage != first && a > renewal,
                CaseScenario::RenewalEarly => {
                    pending && !due && c.stage == first && (quiet + 1..=renewal).contains(&a)
                }
                CaseScenario::RefusedNoRationale
                | CaseScenario::WithdrawnNoRationale
                | CaseScenario::AppealDecidedNoRationale
                | CaseScenario::OldRefusalNoRationale => {
                    r.plan.adverse && !r.plan.rationale && r.plan.decision.is_some()
                }
                CaseScenario::RefusedWithRationale => r.plan.adverse && r.plan.rationale,
                CaseScenario::RefusedNoAdverse => !r.plan.adverse && r.plan.status == "refused",
                CaseScenario::InterviewNotHeld | CaseScenario::InterviewBeforeLookback => {
                    c.interview_held == Some(false)
                        && c.adverse_category
                            .is_some_and(|k| policy.needs_interview(k))
                }
                CaseScenario::InterviewNotRecorded => c.interview_held.is_none() && r.plan.adverse,
                CaseScenario::InterviewNotNeeded => {
                    c.interview_held == Some(false)
                        && c.adverse_category
                            .is_some_and(|k| !policy.needs_interview(k))
                }
            };
            assert!(ok, "{case:?}: {r:?}");
            // The truth lists exactly the codes the scenario says, on its record.
            let listed: BTreeSet<&str> = f
                .exceptions
                .iter()
                .filter(|e| e.vetting_ref == r.vetting_ref && CODES.contains(&e.code.as_str()))
                .map(|e| {
                    assert_eq!(e.employee_id, p.employee_id);
                    e.code.as_str()
                })
                .collect();
            assert_eq!(
                listed,
                case.scenario.codes().iter().copied().collect(),
                "{case:?}"
            );
        }
        // Every scenario is planned, most of them many times.
        for s in [
            CaseScenario::PendingOverLimit,
            CaseScenario::PendingWithinLimit,
            CaseScenario::UpgradeOverLimit,
            CaseScenario::UpgradeWithinLimit,
            CaseScenario::AdverseUndecidedDesignated,
            CaseScenario::AdverseUndecidedOrdinary,
            CaseScenario::RenewalJustOpened,
            CaseScenario::RenewalInProgress,
            CaseScenario::RenewalNoResponse,
            CaseScenario::RenewalStuck,
            CaseScenario::RenewalSlow,
            CaseScenario::RenewalEarly,
            CaseScenario::RefusedNoRationale,
            CaseScenario::WithdrawnNoRationale,
            CaseScenario::AppealDecidedNoRationale,
            CaseScenario::OldRefusalNoRationale,
            CaseScenario::RefusedWithRationale,
            CaseScenario::RefusedNoAdverse,
            CaseScenario::InterviewNotHeld,
            CaseScenario::InterviewNotRecorded,
            CaseScenario::InterviewNotNeeded,
            CaseScenario::InterviewBeforeLookback,
        ] {
            assert!(seen.get(&s).copied().unwrap_or(0) >= 2, "{s:?}: {seen:?}");
        }
        // An EXPIRING_SOON or EXPIRED clearance with its renewal in progress.
        let renewing: BTreeSet<&str> = cw
            .cases
            .iter()
            .filter(|c| c.scenario == CaseScenario::RenewalInProgress)
            .map(|c| {
                f.people[f.records[c.record].owner.unwrap()]
                    .employee_id
                    .as_str()
            })
            .collect();
        for code in ["EXPIRING_SOON", "EXPIRED"] {
            assert!(
                f.exceptions
                    .iter()
                    .any(|e| e.code == code && renewing.contains(e.employee_id.as_str())),
                "{code}"
            );
        }
    }

    /// The rows of a CSV file, each as its cells.
    fn table(path: &std::path::Path) -> Vec<Vec<String>> {
        csv::Reader::from_path(path)
            .unwrap()
            .into_records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    }

    fn header(path: &std::path::Path) -> Vec<String> {
        let mut r = csv::Reader::from_path(path).unwrap();
        r.headers().unwrap().iter().map(String::from).collect()
    }

    #[test]
    fn casework_leaves_every_record_link_and_earlier_truth_as_the_force_without_it_has_them() {
        let with = tempfile::tempdir().unwrap();
        let without = tempfile::tempdir().unwrap();
        let f = generate(&spec(3_000, 24));
        write::write(&f, with.path()).unwrap();
        let g = generate(&Spec {
            casework: false,
            prevention: false,
            ..spec(3_000, 24)
        });
        write::write(&g, without.path()).unwrap();
        for file in [
            "roster.csv",
            "posts.csv",
            "pnd_returns.csv",
            "misconduct.csv",
            "circumstances.csv",
            "truth/pnd_links.csv",
        ] {
            assert_eq!(
                std::fs::read(with.path().join(file)).unwrap(),
                std::fs::read(without.path().join(file)).unwrap(),
                "{file}"
            );
        }
        // vetting.csv: the same columns first, row for row; the casework columns after them;
        // the added applications after the last record.
        let (vw, vo) = (
            with.path().join("vetting.csv"),
            without.path().join("vetting.csv"),
        );
        let (hw, ho) = (header(&vw), header(&vo));
        assert_eq!(hw[..ho.len()], ho[..]);
        let added: Vec<&str> = hw[ho.len()..].iter().map(String::as_str).collect();
        let mut want: Vec<&str> = casework::PROTECTED_COLUMNS.to_vec();
        want.extend(crate::model::casework::COLUMNS);
        assert_eq!(added, want);
        let (rw, ro) = (table(&vw), table(&vo));
        assert!(rw.len() > ro.len(), "casework adds applications");
        for (a, b) in rw.iter().zip(&ro) {
            assert_eq!(a[..b.len()], b[..]);
        }
        let (lw, lo) = (
            table(&with.path().join("truth/links.csv")),
            table(&without.path().join("truth/links.csv")),
        );
        assert_eq!(lw[..lo.len()], lo[..]);
        let new_refs: BTreeSet<&str> = rw[ro.len()..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            lw[lo.len()..]
                .iter()
                .map(|l| l[0].as_str())
                .collect::<BTreeSet<_>>(),
            new_refs,
            "every added application is someone's, and linked in the truth"
        );
        // The earlier truth is all still there; what is added is the four casework codes.
        let (ew, eo) = (
            table(&with.path().join("truth/exceptions.csv")),
            table(&without.path().join("truth/exceptions.csv")),
        );
        let ew: BTreeSet<Vec<String>> = ew.into_iter().collect();
        let eo: BTreeSet<Vec<String>> = eo.into_iter().collect();
        assert!(eo.is_subset(&ew));
        assert!(ew.difference(&eo).all(|e| CODES.contains(&e[0].as_str())));
        // The force without casework writes none of its files, and its manifest is the one
        // a force made before casework existed would have.
        for file in ["recruitment_plan.csv", "truth/casework.csv"] {
            assert!(with.path().join(file).is_file(), "{file}");
            assert!(!without.path().join(file).exists(), "{file}");
        }
        let manifest = std::fs::read_to_string(without.path().join("truth/manifest.toml")).unwrap();
        assert!(!manifest.contains("casework"), "{manifest}");
        assert!(write::read_manifest(with.path()).unwrap().casework);
        assert!(!write::read_manifest(without.path()).unwrap().casework);
        // Written over a force with casework, a force without it takes the casework files away.
        write::write(&g, with.path()).unwrap();
        assert!(!with.path().join("recruitment_plan.csv").exists());
        assert!(!with.path().join("truth/casework.csv").exists());
        assert_eq!(
            std::fs::read(with.path().join("vetting.csv")).unwrap(),
            std::fs::read(&vo).unwrap()
        );
    }

    #[test]
    fn a_generated_force_reads_back_with_every_casework_column_and_its_plan() {
        let f = generate(&spec(3_000, 25));
        let dir = tempfile::tempdir().unwrap();
        write::write(&f, dir.path()).unwrap();
        let policy =
            crate::config::Policy::build(&crate::config::raw::RawConfig::default()).unwrap();
        let data = read_back(&policy, dir.path(), f.spec.as_of).unwrap();
        assert!(data.rejects.is_empty(), "{:?}", data.rejects.first());
        assert_eq!(data.vetting.len(), f.records.len());
        for c in crate::model::casework::COLUMNS
            .iter()
            .chain(&casework::PROTECTED_COLUMNS)
        {
            assert!(data.vetting_columns.contains(c), "{c}");
        }
        assert!(data.vetting.iter().all(|v| v.casework.is_some()));
        // The written values come back as the generator drew them.
        let by_ref: HashMap<&str, &Record> = f
            .records
            .iter()
            .map(|r| (r.vetting_ref.as_str(), r))
            .collect();
        for v in &data.vetting {
            let want = by_ref[v.vetting_ref.as_str()].case.as_ref().unwrap();
            let got = v.casework.as_deref().unwrap();
            assert_eq!(got.application_date, want.application_date);
            assert_eq!(got.case_type.as_deref(), want.case_type);
            assert_eq!(got.stage.as_deref(), want.stage);
            assert_eq!(got.interview_held, want.interview_held);
            assert_eq!(got.appeal_status.map(|a| a.as_str()), want.appeal_status);
            assert_eq!(
                got.decision_maker.as_deref(),
                want.decision_maker.as_deref()
            );
        }
        // Every appeal status is drawn somewhere.
        for a in crate::model::casework::AppealStatus::ALL {
            assert!(
                data.vetting
                    .iter()
                    .any(|v| v.casework.as_ref().unwrap().appeal_status == Some(a)),
                "{a:?}"
            );
        }
        assert!(data.triggers.has("recruitment_plan"));
        let plan = &f.casework.as_ref().unwrap().plan;
        let read: Vec<(NaiveDate, &str, u32)> = data
            .triggers
            .plan
            .iter()
            .map(|p| (p.month, &*p.case_type, p.expected))
            .collect();
        let want: Vec<(NaiveDate, &str, u32)> = plan
            .iter()
            .map(|p| (p.month, p.case_type, p.expected))
            .collect();
        assert_eq!(read, want);
    }

    #[test]
    fn the_recruitment_plan_covers_the_twelve_months_after_the_as_of_date() {
        let f = generate(&spec(4_000, 26));
        let plan = &f.casework.as_ref().unwrap().plan;
        let months: BTreeSet<NaiveDate> = plan.iter().map(|p| p.month).collect();
        let first = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let want: BTreeSet<NaiveDate> = (0..12)
            .map(|k| first.checked_add_months(Months::new(k)).unwrap())
            .collect();
        assert_eq!(months, want);
        let types: BTreeSet<&str> = plan.iter().map(|p| p.case_type).collect();
        assert_eq!(
            types,
            BTreeSet::from(["contractor", "recruit", "transferee"])
        );
        assert_eq!(plan.len(), 36, "one row per month and case type");
        let recruits = |m: u32| {
            plan.iter()
                .find(|p| p.case_type == "recruit" && chrono::Datelike::month(&p.month) == m)
                .unwrap()
                .expected
        };
        // 4,000 people: 10 recruits a month and up to 5 more; three times that in September.
        assert!((10..=15).contains(&recruits(3)), "{plan:?}");
        assert!((30..=35).contains(&recruits(9)), "{plan:?}");
    }

    #[test]
    fn the_generators_casework_codes_are_the_default_policys() {
        let p = CaseworkPolicy::default();
        let names = |v: &[std::sync::Arc<str>]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(names(&p.case_types), casework::CASE_TYPES);
        assert_eq!(names(&p.stages), casework::STAGES);
        assert_eq!(names(&p.refusal_reasons), casework::REFUSAL_REASONS);
        assert_eq!(names(&p.adverse_categories), casework::ADVERSE_CATEGORIES);
    }
}

mod prevention_truth {
    //! Prevention in a generated force: the truth it writes is the agreed rules applied afresh
    //! to the files it writes (docs/output.md), its scenarios all occur, and it moves nothing
    //! the force without it holds.

    use super::*;
    use chrono::Months;
    use std::collections::BTreeSet;

    type Row = BTreeMap<String, String>;

    fn table(path: &std::path::Path) -> Vec<Row> {
        let mut r = csv::Reader::from_path(path).unwrap();
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        r.records()
            .map(|rec| {
                let rec = rec.unwrap();
                header
                    .iter()
                    .cloned()
                    .zip(rec.iter().map(str::to_string))
                    .collect()
            })
            .collect()
    }

    fn day(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    fn with_prevention(people: usize, seed: u64) -> (Force, tempfile::TempDir) {
        let f = generate(&Spec {
            prevention: true,
            ..spec(people, seed)
        });
        let dir = tempfile::tempdir().unwrap();
        write::write(&f, dir.path()).unwrap();
        (f, dir)
    }

    /// The written force, read back as plain tables.
    struct Written {
        as_of: NaiveDate,
        roster: BTreeMap<String, Row>,
        posts: BTreeMap<String, Row>,
        vetting: BTreeMap<String, Row>,
        owner: BTreeMap<String, String>,
    }

    impl Written {
        fn read(dir: &std::path::Path, roster: &str, links: &str) -> Written {
            let by = |file: &str, key: &str| -> BTreeMap<String, Row> {
                table(&dir.join(file))
                    .into_iter()
                    .map(|r| (r[key].clone(), r))
                    .collect()
            };
            Written {
                as_of: write::read_manifest(dir).unwrap().as_of,
                roster: by(roster, "employee_id"),
                posts: by("posts.csv", "post_id"),
                vetting: by("vetting.csv", "vetting_ref"),
                owner: table(&dir.join(links))
                    .into_iter()
                    .map(|r| (r["vetting_ref"].clone(), r["employee_id"].clone()))
                    .collect(),
            }
        }

        fn required(&self, post: &str) -> Option<String> {
            self.posts.get(post).map(|p| {
                if p["designated"] == "yes" {
                    "MV".to_string()
                } else {
                    p["required_level"].clone()
                }
            })
        }

        fn records_of(&self, employee: &str) -> Vec<&Row> {
            self.owner
                .iter()
                .filter(|(_, e)| *e == employee)
                .filter_map(|(v, _)| self.vetting.get(v))
                .collect()
        }

        fn on_roster(&self, employee: &str) -> bool {
            self.roster
                .get(employee)
                .is_some_and(|p| p["employment_status"] != "leaver")
        }
    }

    fn holds(records: &[&Row], level: &str, on: NaiveDate) -> bool {
        records.iter().any(|r| {
            r["status"] == "granted"
                && day(&r["decision_date"]).is_some_and(|d| d <= on)
                && day(&r["expiry_date"]).is_some_and(|e| e > on)
                && prevention::meets(&r["level"], level)
        })
    }

    fn months(period: &str) -> u32 {
        match period {
            "3 months" => 3,
            "6 months" => 6,
            "1 year" | "P1Y" => 12,
            other => panic!("a period the generator does not write: {other}"),
        }
    }

    #[test]
    fn posting_truth_is_the_rule_applied_to_the_written_postings() {
        let (_, dir) = with_prevention(5_000, 21);
        let w = Written::read(dir.path(), "roster.csv", "truth/links.csv");
        let horizon = w.as_of + chrono::Duration::days(90);
        let mut want = BTreeSet::new();
        for p in table(&dir.path().join("postings.csv")) {
            let start = day(&p["start_date"]).unwrap();
            if start < w.as_of || start > horizon {
                continue;
            }
            let e = p["employee_id"].as_str();
            let records: Vec<&Row> = if w.on_roster(e) {
                w.records_of(e)
            } else {
                // A joiner: only through the employee_id hint on a vetting record.
                w.vetting
                    .values()
                    .filter(|r| r["employee_id"].eq_ignore_ascii_case(e))
                    .collect()
            };
            let raised = match w.required(&p["post_id"]) {
                None => true,
                Some(level) => !holds(&records, &level, start),
            };
            if raised {
                want.insert(p["posting_ref"].clone());
            }
        }
        let truth: BTreeSet<String> = table(&dir.path().join("truth/postings.csv"))
            .into_iter()
            .filter(|r| r["codes"] == "POSTING_NOT_CLEARED")
            .map(|r| r["posting_ref"].clone())
            .collect();
        assert!(want.len() > 20, "{}", want.len());
        assert_eq!(truth, want);
    }

    #[test]
    fn condition_truth_is_the_rule_applied_to_the_written_conditions() {
        let (_, dir) = with_prevention(8_000, 22);
        let w = Written::read(dir.path(), "roster.csv", "truth/links.csv");
        let conditions = table(&dir.path().join("conditions.csv"));
        let mut want: BTreeSet<(String, String)> = BTreeSet::new();
        let mut with_condition = BTreeSet::new();
        for c in &conditions {
            with_condition.insert(c["vetting_ref"].clone());
            let Some(r) = w.vetting.get(&c["vetting_ref"]) else {
                continue;
            };
            if !matches!(r["status"].as_str(), "granted" | "suspended") {
                continue;
            }
            if !c["review_every"].is_empty() {
                let from = day(&c["last_checked"])
                    .or(day(&r["decision_date"]))
                    .unwrap();
                let due = from
                    .checked_add_months(Months::new(months(&c["review_every"])))
                    .unwrap();
                if due < w.as_of {
                    want.insert(("CONDITION_REVIEW_DUE".into(), c["condition_ref"].clone()));
                }
            }
            if c["owner_unit"].is_empty() {
                want.insert(("CONDITION_NO_OWNER".into(), c["vetting_ref"].clone()));
            }
            let person = w.owner.get(&c["vetting_ref"]).and_then(|e| w.roster.get(e));
            if let (Some(p), "posting_restriction") = (person, c["type"].as_str()) {
                let post = w.posts.get(&p["post_id"]);
                let covers = post.is_some_and(|q| match c["restricts"].as_str() {
                    "vulnerable_contact" => q["vulnerable_contact"] == "yes",
                    "designated" => q["designated"] == "yes",
                    d => q["department"].eq_ignore_ascii_case(d),
                });
                if covers && p["employment_status"] != "leaver" {
                    want.insert(("CONDITION_BREACHED".into(), c["condition_ref"].clone()));
                }
            }
        }
        for r in w.vetting.values() {
            let valid =
                r["status"] == "granted" && day(&r["expiry_date"]).is_some_and(|e| e > w.as_of);
            if valid
                && r["adverse_info"] == "yes"
                && r["risk_mitigation"] == "yes"
                && !with_condition.contains(&r["vetting_ref"])
            {
                want.insert(("CONDITION_NO_OWNER".into(), r["vetting_ref"].clone()));
            }
        }
        let mut truth = BTreeSet::new();
        for t in table(&dir.path().join("truth/conditions.csv")) {
            for code in t["codes"].split_whitespace() {
                let key = if code == "CONDITION_NO_OWNER" {
                    t["vetting_ref"].clone()
                } else {
                    t["condition_ref"].clone()
                };
                truth.insert((code.to_string(), key));
            }
        }
        for code in [
            "CONDITION_REVIEW_DUE",
            "CONDITION_NO_OWNER",
            "CONDITION_BREACHED",
        ] {
            assert!(truth.iter().filter(|k| k.0 == code).count() >= 3, "{code}");
        }
        assert_eq!(truth, want);
    }

    #[test]
    fn the_inspection_figure_is_the_rule_applied_to_the_written_roster() {
        let (f, dir) = with_prevention(8_000, 23);
        let w = Written::read(dir.path(), "roster.csv", "truth/links.csv");
        let lookback = w.as_of.checked_sub_months(Months::new(12)).unwrap();
        let (mut moves, mut early, mut uncleared, mut spans) = (0, 0, 0, Vec::new());
        for (e, p) in &w.roster {
            let start = day(&p["post_start_date"]).unwrap();
            let designated = w
                .posts
                .get(&p["post_id"])
                .is_some_and(|q| q["designated"] == "yes");
            if p["employment_status"] == "leaver"
                || !designated
                || start <= lookback
                || start > w.as_of
            {
                continue;
            }
            moves += 1;
            let records = w.records_of(e);
            if holds(&records, "MV", start) {
                continue;
            }
            early += 1;
            let granted = records
                .iter()
                .filter(|r| r["status"] == "granted" && prevention::meets(&r["level"], "MV"))
                .filter_map(|r| day(&r["decision_date"]))
                .filter(|d| *d > start)
                .min();
            uncleared += granted.is_none() as usize;
            spans.push((granted.unwrap_or(w.as_of) - start).num_days());
        }
        spans.sort_unstable();
        let truth: BTreeMap<String, String> = table(&dir.path().join("truth/inspection.csv"))
            .into_iter()
            .map(|r| (r["figure"].clone(), r["value"].clone()))
            .collect();
        assert_eq!(truth["moves"], moves.to_string());
        assert_eq!(truth["moves_before_mv"], early.to_string());
        assert_eq!(truth["still_uncleared"], uncleared.to_string());
        assert_eq!(
            truth["median_days_uncleared"],
            format!("{:.1}", super::prevention::median(&spans).unwrap())
        );
        assert_eq!(truth["start_not_recorded"], "0");
        // The planned moves before an MV granted later are all among them, and some are
        // still uncleared.
        let planned = f
            .prevention
            .as_ref()
            .unwrap()
            .inspection
            .planned_cleared_later;
        assert!(
            planned >= 5 && early - uncleared == planned,
            "{planned} {early} {uncleared}"
        );
        assert!(uncleared >= 5, "{uncleared}");
        assert!(moves > early, "most moves were made with MV held");
    }

    #[test]
    fn night_two_actions_are_the_rule_applied_to_the_two_rosters() {
        let (_, dir) = with_prevention(8_000, 24);
        let one = Written::read(dir.path(), "roster.csv", "truth/links.csv");
        let two = Written::read(dir.path(), "night2/roster.csv", "truth/night2_links.csv");
        let as_of2 = write::read_manifest(dir.path())
            .unwrap()
            .night_two_as_of
            .unwrap();
        assert_eq!(as_of2, one.as_of + chrono::Duration::days(7));
        let due = |a: &str| match a {
            "confirm_transfer" => 14,
            "end_clearance" => 7,
            _ => 28,
        };
        let mut want = BTreeSet::new();
        let mut add = |action: &str, e: &str, from: &str, to: &str, on: NaiveDate| {
            want.insert((
                format!("{action}:{e}:{on}"),
                action.to_string(),
                from.to_string(),
                to.to_string(),
                (on + chrono::Duration::days(due(action))).to_string(),
            ));
        };
        let ids: BTreeSet<&String> = one.roster.keys().chain(two.roster.keys()).collect();
        for e in ids {
            let (before, now) = (one.roster.get(e), two.roster.get(e));
            match (before, now) {
                (b, Some(n)) if n["employment_status"] != "leaver" => {
                    let Some(level) = two.required(&n["post_id"]) else {
                        continue;
                    };
                    let held = holds(&two.records_of(e), &level, as_of2);
                    let start = day(&n["post_start_date"]).unwrap();
                    let on = if start > one.as_of { start } else { as_of2 };
                    match b {
                        None => add(
                            if held {
                                "confirm_transfer"
                            } else {
                                "vet_joiner"
                            },
                            e,
                            "",
                            &n["post_id"],
                            on,
                        ),
                        Some(b) if b["post_id"] != n["post_id"] => {
                            if !held {
                                add("upgrade", e, &b["post_id"], &n["post_id"], on);
                            } else if two.posts[&n["post_id"]]["revet_on_appointment"] == "yes" {
                                add("revet", e, &b["post_id"], &n["post_id"], on);
                            }
                        }
                        Some(_) => {}
                    }
                }
                (Some(b), n) if b["employment_status"] != "leaver" => {
                    let live = one.records_of(e).iter().any(|r| {
                        r["status"] == "granted"
                            && day(&r["expiry_date"]).is_some_and(|x| x > as_of2)
                    });
                    if live {
                        let on = n.and_then(|n| day(&n["leaving_date"])).unwrap_or(as_of2);
                        add("end_clearance", e, &b["post_id"], "", on);
                    }
                }
                _ => {}
            }
        }
        let truth: BTreeSet<_> = table(&dir.path().join("truth/jml.csv"))
            .into_iter()
            .map(|r| {
                (
                    r["action_id"].clone(),
                    r["action"].clone(),
                    r["from_post"].clone(),
                    r["to_post"].clone(),
                    r["due_date"].clone(),
                )
            })
            .collect();
        for action in crate::model::prevention::ACTIONS {
            assert!(
                truth.iter().any(|t| t.1 == action),
                "no {action} in {truth:?}"
            );
        }
        assert_eq!(truth, want);
    }

    #[test]
    fn every_planned_scenario_occurs_and_its_codes_follow_from_it() {
        let (f, _dir) = with_prevention(8_000, 25);
        let p = f.prevention.as_ref().unwrap();
        let scenarios: BTreeSet<&str> = p.postings.iter().map(|x| x.scenario).collect();
        for s in [
            "up_a_level",
            "into_revet_post",
            "same_level",
            "unknown_post",
            "joiner_transferee_cleared",
            "joiner_application_pending",
            "joiner_no_record",
        ] {
            assert!(scenarios.contains(s), "{s}: {scenarios:?}");
        }
        let as_of = f.spec.as_of;
        for x in &p.postings {
            let in_horizon = x.start >= as_of && x.start <= as_of + chrono::Duration::days(90);
            if !in_horizon {
                assert!(!x.raised, "{x:?}");
            }
            match x.scenario {
                "joiner_transferee_cleared" => assert!(!x.raised, "{x:?}"),
                "unknown_post"
                | "joiner_no_record"
                | "joiner_application_pending"
                | "joiner_record_without_hint"
                | "joiner_lower_level"
                | "up_a_level" => {
                    assert_eq!(x.raised, in_horizon, "{x:?}")
                }
                _ => {}
            }
        }
        let by: BTreeMap<&str, Vec<&prevention::ConditionTruth>> =
            p.condition_truth.iter().fold(BTreeMap::new(), |mut m, t| {
                m.entry(t.scenario).or_default().push(t);
                m
            });
        for (scenario, code) in [
            ("ownerless", "CONDITION_NO_OWNER"),
            ("restriction_breached", "CONDITION_BREACHED"),
            ("mitigation_without_condition", "CONDITION_NO_OWNER"),
            ("review_overdue", "CONDITION_REVIEW_DUE"),
        ] {
            let of = &by[scenario];
            assert!(of.iter().all(|t| t.codes.contains(&code)), "{scenario}");
        }
        for scenario in ["restriction_kept", "on_no_record"] {
            assert!(
                by[scenario].iter().all(|t| t.codes.is_empty()),
                "{scenario}"
            );
        }
        // A joiner's valid clearance is an orphan tonight, and nothing else of the truth moves.
        let orphans = f
            .exceptions
            .iter()
            .filter(|e| e.code == "ORPHAN_CLEARANCE" && p.exceptions.contains(e))
            .count();
        assert_eq!(orphans, p.exceptions.len());
        assert!(orphans > 10, "{orphans}");
    }

    #[test]
    fn prevention_leaves_every_record_link_and_earlier_truth_as_the_force_without_it_has_them() {
        let without = generate(&spec(3_000, 26));
        let (with, with_dir) = with_prevention(3_000, 26);
        let dir = tempfile::tempdir().unwrap();
        write::write(&without, dir.path()).unwrap();
        let read = |d: &std::path::Path, f: &str| std::fs::read_to_string(d.join(f)).unwrap();
        for f in [
            "truth/links.csv",
            "truth/casework.csv",
            "recruitment_plan.csv",
            "misconduct.csv",
        ] {
            assert_eq!(read(with_dir.path(), f), read(dir.path(), f), "{f}");
        }
        // vetting.csv: every row as it was, then the joiners' records.
        let (v1, v0) = (
            read(with_dir.path(), "vetting.csv"),
            read(dir.path(), "vetting.csv"),
        );
        assert!(v1.starts_with(&v0) && v1.len() > v0.len());
        // posts.csv gains one column; the roster only its post start dates.
        let columns = |text: &str, keep: &[usize]| -> Vec<String> {
            text.lines()
                .map(|l| {
                    let cells: Vec<&str> = l.split(',').collect();
                    keep.iter().map(|&i| cells[i]).collect::<Vec<_>>().join(",")
                })
                .collect()
        };
        let (p1, p0) = (
            read(with_dir.path(), "posts.csv"),
            read(dir.path(), "posts.csv"),
        );
        assert_eq!(
            columns(&p1, &[0, 1, 2, 3, 4, 5]),
            p0.lines().collect::<Vec<_>>()
        );
        assert!(p1.starts_with("post_id,title,department,required_level,designated,vulnerable_contact,revet_on_appointment\n"));
        let (r1, r0) = (
            read(with_dir.path(), "roster.csv"),
            read(dir.path(), "roster.csv"),
        );
        assert_ne!(r1, r0);
        let all_but_start = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11];
        assert_eq!(columns(&r1, &all_but_start), columns(&r0, &all_but_start));
        // The earlier truth is all there; what is added is the joiners' orphan clearances.
        let p = with.prevention.as_ref().unwrap();
        let mut earlier = with.exceptions.clone();
        earlier.retain(|e| !p.exceptions.contains(e));
        assert_eq!(earlier, without.exceptions);
        // Without prevention none of its files, and a manifest as before it existed; written
        // over a force with prevention, the files go.
        for f in write::PREVENTION_FILES {
            assert!(!dir.path().join(f).exists(), "{f}");
            assert!(with_dir.path().join(f).exists(), "{f}");
        }
        assert!(!read(dir.path(), "truth/manifest.toml").contains("prevention"));
        write::write(&without, with_dir.path()).unwrap();
        for f in write::PREVENTION_FILES {
            assert!(!with_dir.path().join(f).exists(), "{f}");
        }
        assert!(!with_dir.path().join("night2").exists());
        assert_eq!(read(with_dir.path(), "roster.csv"), r0);
    }

    #[test]
    fn a_force_with_prevention_reads_back_with_its_postings_conditions_and_revet_column() {
        let (f, dir) = with_prevention(2_000, 27);
        let policy =
            crate::config::Policy::build(&crate::config::raw::RawConfig::default()).unwrap();
        let data = read_back(&policy, dir.path(), f.spec.as_of).unwrap();
        let p = f.prevention.as_ref().unwrap();
        assert!(data.triggers.has("postings") && data.triggers.has("conditions"));
        assert_eq!(data.triggers.postings.len(), p.postings.len());
        assert_eq!(data.triggers.conditions.len(), p.conditions.len());
        let revet = data.posts.iter().filter(|q| q.revet_on_appointment).count();
        assert_eq!(revet, p.revet.iter().filter(|r| **r).count());
        assert!(revet > 0);
    }
}

// Integrity oversight's truth, in a file of its own (this one is long enough).
#[cfg(test)]
mod integrity_truth;
