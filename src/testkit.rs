//! Hand-built worlds for unit tests: people, posts and vetting records with links set by
//! hand, so rule and analysis tests state exactly the facts they need.

use crate::assess::{assess, Code, Exception, Facts};
use crate::config::raw::RawConfig;
use crate::config::Policy;
use crate::link::{compare, Candidate, Decision, LinkOutcome};
use crate::model::casework::Casework;
use crate::model::{EmploymentStatus, Person, Post, RoleType, VettingRecord, VettingStatus};
use chrono::NaiveDate;

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub const AS_OF: &str = "2026-11-24";

pub struct World {
    pub policy: Policy,
    pub persons: Vec<Person>,
    pub posts: Vec<Post>,
    pub vetting: Vec<VettingRecord>,
    pub links: Vec<LinkOutcome>,
}

pub fn levels_any() -> compare::PairLevels {
    compare::PairLevels {
        surname: compare::SurnameLevel::Exact,
        forenames: compare::ForenameLevel::Exact,
        dob: compare::DobLevel::Exact,
        ni: None,
        employee_id: None,
    }
}

impl World {
    pub fn new() -> World {
        let policy = Policy::build(&RawConfig::default()).unwrap();
        let l = |n: &str| policy.levels.parse(n);
        let post = |id: &str, level: &str, designated: bool, vulnerable: bool| Post {
            post_id: id.into(),
            title: format!("title {id}"),
            department: String::new(),
            required_level: l(level),
            designated,
            vulnerable_contact: vulnerable,
            revet_on_appointment: false,
        };
        let posts = vec![
            post("RVPOST", "RV", false, false),
            post("DESIG", "RV", true, false),
            post("SCPOST", "SC", false, false),
            post("VULN", "RV", false, true),
        ];
        World {
            policy,
            persons: vec![],
            posts,
            vetting: vec![],
            links: vec![],
        }
    }

    pub fn person(&mut self, post: &str, role: RoleType, status: EmploymentStatus) -> u32 {
        let i = self.persons.len();
        self.persons.push(Person {
            employee_id: format!("E{i}"),
            surname: format!("Surname{i}"),
            forenames: "A".into(),
            previous_surnames: vec![],
            date_of_birth: d("1980-01-01"),
            ni_number: None,
            post_id: Some(post.into()),
            role_type: role,
            force: None,
            post_start_date: Some(d("2026-01-01")),
            status,
            leaving_date: (status == EmploymentStatus::Leaver).then(|| d("2026-10-01")),
            last_integrity_review: None,
            line: i as u64 + 2,
        });
        i as u32
    }

    pub fn staff(&mut self, post: &str) -> u32 {
        self.person(post, RoleType::Staff, EmploymentStatus::Active)
    }

    /// A record linked with `decision` to `person` (None: no candidate at all).
    pub fn record(
        &mut self,
        person: Option<u32>,
        decision: Decision,
        level: &str,
        status: VettingStatus,
        expiry: &str,
    ) -> usize {
        let i = self.vetting.len();
        self.vetting.push(VettingRecord {
            vetting_ref: format!("V{i}"),
            surname: "Vsurname".into(),
            forenames: "B".into(),
            previous_surnames: vec![],
            date_of_birth: d("1980-01-01"),
            ni_number: None,
            employee_id_hint: None,
            level: self.policy.levels.parse(level).unwrap(),
            status,
            decision_date: Some(d("2020-01-01")),
            expiry_date: Some(d(expiry)),
            adverse_info: Some(false),
            rationale_recorded: Some(false),
            risk_mitigation: Some(false),
            last_review_date: None,
            protected: Default::default(),
            casework: None,
            line: i as u64 + 2,
        });
        let candidates = match person {
            Some(p) => vec![Candidate {
                person: p,
                weight: 20.0,
                probability: 0.999,
                levels: levels_any(),
                second_pass: false,
            }],
            None => vec![],
        };
        self.links.push(LinkOutcome {
            decision,
            candidates,
        });
        i
    }

    pub fn granted(&mut self, person: u32, level: &str, expiry: &str) -> usize {
        self.record(
            Some(person),
            Decision::AutoLink,
            level,
            VettingStatus::Granted,
            expiry,
        )
    }

    /// The casework of record `v`, made empty when it has none.
    pub fn casework(&mut self, v: usize) -> &mut Casework {
        self.vetting[v]
            .casework
            .get_or_insert_with(Default::default)
    }

    /// A pending application of `case_type` at `stage`, applied for `days` days before the
    /// as-of date, linked automatically to `person`.
    pub fn pending(
        &mut self,
        person: u32,
        level: &str,
        case_type: Option<&str>,
        stage: Option<&str>,
        days: i64,
    ) -> usize {
        let v = self.record(
            Some(person),
            Decision::AutoLink,
            level,
            VettingStatus::Pending,
            "2099-01-01",
        );
        self.vetting[v].decision_date = None;
        self.vetting[v].expiry_date = None;
        let c = self.casework(v);
        c.application_date = Some(d(AS_OF) - chrono::Duration::days(days));
        c.case_type = case_type.map(Into::into);
        c.stage = stage.map(Into::into);
        v
    }

    pub fn facts(&self) -> Facts<'_> {
        Facts::new(
            &self.persons,
            &self.posts,
            &self.vetting,
            &self.links,
            &self.policy.levels,
            d(AS_OF),
            self.policy.expiry_warning_days,
        )
    }

    pub fn run(&self) -> Vec<Exception> {
        assess(&self.facts(), &self.policy.priority)
    }

    pub fn codes_of(&self, person: u32) -> Vec<(Code, String)> {
        let id = format!("E{person}");
        let mut v: Vec<_> = self
            .run()
            .into_iter()
            .filter(|e| e.employee_id == id)
            .map(|e| (e.code, e.vetting_ref))
            .collect();
        v.sort();
        v
    }
}

/// A generated force at the default noise, written and read back as a run would.
pub fn generated_force(people: usize, seed: u64) -> (Policy, crate::ingest::Ingested) {
    use crate::generate::{self, Noise, Spec};
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let force = generate::generate(&Spec {
        people,
        seed,
        as_of,
        noise: Noise::default(),
        casework: true,
        prevention: false,
        integrity: false,
    });
    let dir = tempfile::tempdir().unwrap();
    generate::write::write(&force, dir.path()).unwrap();
    let policy = Policy::build(&RawConfig::default()).unwrap();
    let data = generate::read_back(&policy, dir.path(), as_of).unwrap();
    (policy, data)
}
