//! The clearance register HR asks for (clearance_register.csv): one row per person on
//! tonight's roster, what their post requires, whether they meet it, and the clearance they
//! hold on each ladder of `levels.ladders`.
//!
//! Only records linked automatically or by a confirmed decision count as held
//! (`Facts::records_of`), as for the exception list: a person whose register row says `no`
//! has a clearance exception tonight, and one whose row says `yes` has none. A record whose
//! link still waits for a decision (in review, or too close to call between people) is never
//! shown as held: on a ladder where it is all the person has, the status says `unconfirmed`,
//! and when only such records would meet the post, so does `meets_post`.
//!
//! The register carries no adverse information, no decision detail, no protected
//! characteristic, no name or date of birth: it is for HR's systems, which need to know
//! who is cleared to what, not why.

use crate::assess::clearance::requirement;
use crate::assess::Facts;
use crate::link::Decision;
use crate::model::{LevelId, VettingRecord, VettingStatus};
use chrono::NaiveDate;

/// Whether a person meets their post's requirement tonight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meets {
    Yes,
    No,
    /// Only a record whose link waits for a decision would meet it.
    Unconfirmed,
    /// A leaver: no clearance is required.
    NoRequirement,
}

impl Meets {
    pub fn as_str(self) -> &'static str {
        match self {
            Meets::Yes => "yes",
            Meets::No => "no",
            Meets::Unconfirmed => "unconfirmed",
            Meets::NoRequirement => "no_requirement",
        }
    }
}

/// What a ladder shows for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// Nothing granted on the ladder, linked or waiting.
    Nothing,
    /// The highest level held there by a linked record.
    Record {
        level: LevelId,
        status: HeldStatus,
        expiry: Option<NaiveDate>,
    },
    /// Only a record whose link waits for a decision: never shown as held.
    Unconfirmed,
}

/// The standing of a held clearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HeldStatus {
    /// Granted and valid tonight.
    Granted,
    /// Suspended.
    Suspended,
    /// Granted once, now past its expiry (granted or lapsed in the export).
    Expired,
}

impl HeldStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HeldStatus::Granted => "granted",
            HeldStatus::Suspended => "suspended",
            HeldStatus::Expired => "expired",
        }
    }
}

/// One person's line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub employee_id: String,
    pub employment_status: &'static str,
    pub post_id: String,
    /// `None` for a leaver (no requirement).
    pub required_level: Option<LevelId>,
    pub meets: Meets,
    /// One per ladder, in config order.
    pub ladders: Vec<Held>,
}

/// The register: how many ladders, and a line per roster person by employee_id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Register {
    pub ladders: usize,
    pub lines: Vec<Line>,
}

/// How a record stands as a held clearance, if it was ever one.
fn held_status(facts: &Facts<'_>, v: &VettingRecord) -> Option<HeldStatus> {
    match v.status {
        VettingStatus::Granted if facts.is_valid(v) => Some(HeldStatus::Granted),
        VettingStatus::Granted | VettingStatus::Lapsed => Some(HeldStatus::Expired),
        VettingStatus::Suspended => Some(HeldStatus::Suspended),
        VettingStatus::Refused | VettingStatus::Withdrawn | VettingStatus::Pending => None,
    }
}

pub fn register(facts: &Facts<'_>) -> Register {
    let ladders = facts
        .levels
        .all()
        .map(|l| facts.levels.position(l).0 + 1)
        .max()
        .unwrap_or(0);
    // Person -> the records whose link to them waits for a decision: a review's best
    // candidate, or any candidate of an ambiguous record.
    let mut waiting: Vec<Vec<usize>> = vec![Vec::new(); facts.persons.len()];
    for (vi, l) in facts.links.iter().enumerate() {
        let people: Vec<u32> = match l.decision {
            Decision::Review => l.best().map(|c| c.person).into_iter().collect(),
            Decision::Ambiguous => l.candidates.iter().map(|c| c.person).collect(),
            Decision::AutoLink | Decision::Confirmed | Decision::NoMatch => Vec::new(),
        };
        for p in people {
            if let Some(w) = waiting.get_mut(p as usize) {
                w.push(vi);
            }
        }
    }
    let mut lines: Vec<Line> = (facts.persons.iter().enumerate())
        .map(|(pi, p)| {
            let linked: Vec<&VettingRecord> = facts.records_of(pi).map(|(_, v)| v).collect();
            let pending: Vec<&VettingRecord> = (waiting.get(pi).into_iter().flatten())
                .map(|&vi| facts.record(vi))
                .collect();
            let (required_level, meets) = if p.status.in_workforce() {
                let req = requirement(facts, pi).level;
                let meets_with = |rs: &[&VettingRecord]| {
                    rs.iter()
                        .any(|v| facts.is_valid(v) && facts.levels.satisfies(v.level, req))
                };
                let meets = if meets_with(&linked) {
                    Meets::Yes
                } else if meets_with(&pending) {
                    Meets::Unconfirmed
                } else {
                    Meets::No
                };
                (Some(req), meets)
            } else {
                (None, Meets::NoRequirement)
            };
            Line {
                employee_id: p.employee_id.clone(),
                employment_status: p.status.as_str(),
                post_id: p.post_id.clone().unwrap_or_default(),
                required_level,
                meets,
                ladders: (0..ladders)
                    .map(|ladder| on_ladder(facts, ladder, &linked, &pending))
                    .collect(),
            }
        })
        .collect();
    lines.sort_by(|a, b| a.employee_id.cmp(&b.employee_id));
    Register { ladders, lines }
}

/// What `ladder` shows: the best linked clearance on it (valid before suspended before
/// expired; then the highest level, the latest expiry, the reference), else `unconfirmed`
/// when a record waiting for a link decision was granted there, else nothing.
fn on_ladder(
    facts: &Facts<'_>,
    ladder: usize,
    linked: &[&VettingRecord],
    pending: &[&VettingRecord],
) -> Held {
    let on = |v: &&&VettingRecord| facts.levels.position(v.level).0 == ladder;
    let best = (linked.iter().filter(on))
        .filter_map(|v| Some((held_status(facts, v)?, *v)))
        .min_by(|(sa, a), (sb, b)| {
            let rank = |v: &VettingRecord| facts.levels.position(v.level).1;
            (sa, rank(b), b.expiry_date, &a.vetting_ref).cmp(&(
                sb,
                rank(a),
                a.expiry_date,
                &b.vetting_ref,
            ))
        });
    match best {
        Some((status, v)) => Held::Record {
            level: v.level,
            status,
            expiry: v.expiry_date,
        },
        None if (pending.iter().filter(on)).any(|v| held_status(facts, v).is_some()) => {
            Held::Unconfirmed
        }
        None => Held::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmploymentStatus, RoleType};
    use crate::testkit::*;

    /// (level, status, expiry) as the CSV writes a ladder.
    fn shown(w: &World, held: Held) -> (String, &'static str, String) {
        match held {
            Held::Nothing => (String::new(), "", String::new()),
            Held::Unconfirmed => (String::new(), "unconfirmed", String::new()),
            Held::Record {
                level,
                status,
                expiry,
            } => (
                w.policy.levels.name(level).to_string(),
                status.as_str(),
                expiry.map(|e| e.to_string()).unwrap_or_default(),
            ),
        }
    }

    fn line(w: &World, employee: &str) -> Line {
        let r = register(&w.facts());
        r.lines
            .into_iter()
            .find(|l| l.employee_id == employee)
            .unwrap()
    }

    #[test]
    fn a_person_holding_their_posts_level_meets_it_and_shows_the_highest_level_on_each_ladder() {
        let mut w = World::new();
        let p = w.staff("DESIG");
        w.granted(p, "RV", "2031-01-01");
        w.granted(p, "MV", "2029-06-30");
        w.granted(p, "SC", "2033-02-01");
        let r = register(&w.facts());
        assert_eq!(r.ladders, 3);
        let l = &r.lines[0];
        assert_eq!(
            (
                l.employment_status,
                l.post_id.as_str(),
                l.required_level.map(|x| w.policy.levels.name(x)),
                l.meets
            ),
            ("active", "DESIG", Some("MV"), Meets::Yes)
        );
        let got: Vec<_> = l.ladders.iter().map(|h| shown(&w, *h)).collect();
        assert_eq!(
            got,
            [
                ("MV".into(), "granted", "2029-06-30".into()),
                (String::new(), "", String::new()),
                ("SC".into(), "granted", "2033-02-01".into()),
            ]
        );
    }

    #[test]
    fn an_expired_clearance_is_shown_as_expired_and_does_not_meet_the_post() {
        let mut w = World::new();
        let p = w.staff("RVPOST");
        w.granted(p, "MV", "2024-03-01");
        w.record(
            Some(p),
            crate::link::Decision::AutoLink,
            "RV",
            VettingStatus::Lapsed,
            "2025-05-01",
        );
        let l = line(&w, "E0");
        assert_eq!(l.meets, Meets::No);
        // Both expired: the higher level shows.
        assert_eq!(
            shown(&w, l.ladders[0]),
            ("MV".into(), "expired", "2024-03-01".into())
        );
        // A valid RV is shown before the expired MV, and meets the RV post.
        w.granted(p, "RV", "2030-01-01");
        let l = line(&w, "E0");
        assert_eq!(l.meets, Meets::Yes);
        assert_eq!(
            shown(&w, l.ladders[0]),
            ("RV".into(), "granted", "2030-01-01".into())
        );
    }

    #[test]
    fn a_record_in_review_is_unconfirmed_never_held() {
        let mut w = World::new();
        let p = w.staff("RVPOST");
        w.record(
            Some(p),
            crate::link::Decision::Review,
            "RV",
            VettingStatus::Granted,
            "2030-01-01",
        );
        let l = line(&w, "E0");
        assert_eq!(l.meets, Meets::Unconfirmed);
        assert_eq!(
            shown(&w, l.ladders[0]),
            (String::new(), "unconfirmed", String::new())
        );
        // Beside an expired linked clearance on the same ladder, the linked one is shown;
        // the post is still met only by the unconfirmed record.
        w.granted(p, "RV", "2025-01-01");
        let l = line(&w, "E0");
        assert_eq!(l.meets, Meets::Unconfirmed);
        assert_eq!(
            shown(&w, l.ladders[0]),
            ("RV".into(), "expired", "2025-01-01".into())
        );
        // An unconfirmed refusal is nothing to show.
        let mut w = World::new();
        let p = w.staff("RVPOST");
        w.record(
            Some(p),
            crate::link::Decision::Review,
            "RV",
            VettingStatus::Refused,
            "2030-01-01",
        );
        let l = line(&w, "E0");
        assert_eq!((l.meets, shown(&w, l.ladders[0]).1), (Meets::No, ""));
    }

    #[test]
    fn an_ambiguous_record_is_unconfirmed_for_every_candidate() {
        let mut w = World::new();
        let a = w.staff("RVPOST");
        let b = w.staff("RVPOST");
        let v = w.record(
            Some(a),
            crate::link::Decision::Ambiguous,
            "MV",
            VettingStatus::Granted,
            "2030-01-01",
        );
        let mut second = w.links[v].candidates[0].clone();
        second.person = b;
        w.links[v].candidates.push(second);
        for who in ["E0", "E1"] {
            let l = line(&w, who);
            assert_eq!(l.meets, Meets::Unconfirmed, "{who}");
            assert_eq!(shown(&w, l.ladders[0]).1, "unconfirmed", "{who}");
        }
    }

    #[test]
    fn an_unknown_post_is_judged_against_the_role_baseline_and_a_leaver_needs_nothing() {
        let mut w = World::new();
        let c = w.person("NOPOST", RoleType::Contractor, EmploymentStatus::Active);
        w.granted(c, "NPPV3", "2029-01-01");
        let s = w.person("NOPOST", RoleType::Staff, EmploymentStatus::Active);
        w.granted(s, "NPPV3", "2029-01-01");
        let gone = w.person("RVPOST", RoleType::Staff, EmploymentStatus::Leaver);
        w.granted(gone, "RV", "2029-01-01");
        let name = |l: &Line| {
            l.required_level
                .map(|x| w.policy.levels.name(x).to_string())
        };
        let l = line(&w, "E0");
        assert_eq!((name(&l).as_deref(), l.meets), (Some("NPPV2"), Meets::Yes));
        let l = line(&w, "E1");
        assert_eq!((name(&l).as_deref(), l.meets), (Some("RV"), Meets::No));
        assert_eq!(
            shown(&w, l.ladders[1]),
            ("NPPV3".into(), "granted", "2029-01-01".into())
        );
        let l = line(&w, "E2");
        assert_eq!(
            (name(&l), l.meets, l.employment_status),
            (None, Meets::NoRequirement, "leaver")
        );
        assert_eq!(shown(&w, l.ladders[0]).1, "granted");
    }

    #[test]
    fn the_register_is_sorted_by_employee_id() {
        let mut w = World::new();
        for _ in 0..3 {
            w.staff("RVPOST");
        }
        w.persons[0].employee_id = "E9".into();
        w.persons[2].employee_id = "A1".into();
        let ids: Vec<String> = register(&w.facts())
            .lines
            .into_iter()
            .map(|l| l.employee_id)
            .collect();
        assert_eq!(ids, ["A1", "E1", "E9"]);
    }
}
