use super::*;
use std::collections::{BTreeMap, HashMap};

fn spec(people: usize, seed: u64) -> Spec {
    Spec {
        people,
        seed,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        noise: Noise::default(),
        casework: true,
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
