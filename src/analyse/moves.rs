//! The inspection figure: moves into designated posts made before management vetting was
//! granted.
//!
//! Over the last `prevention.moves_lookback_months` months (the day after the as-of date that
//! many months back, to the as-of date), a move is someone on the roster (not a leaver) whose
//! current post is designated and whose `post_start_date` falls in the window. It was made
//! before clearance when they did not hold the designated level (MV) on that date
//! (`assess::prevention::holds`: a grant decided later did not hold it). Its days uncleared
//! run from the start to the decision date of the first grant meeting the level decided after
//! it, or to the as-of date when there is none yet (still uncleared).
//!
//! A designated postholder with no `post_start_date` is counted as "start date not
//! recorded", never as a move; a roster without the column at all leaves the figure not read.

use crate::assess::prevention::holds;
use crate::assess::Facts;
use crate::model::VettingStatus;
use chrono::{Days, Months, NaiveDate};

/// One move into a designated post in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub employee_id: String,
    pub post_id: String,
    pub post_start_date: NaiveDate,
    /// Made without the designated level held on the start date.
    pub before_clearance: bool,
    /// For a move made before clearance: the decision date of the first grant meeting the
    /// level after the start (None: still uncleared).
    pub cleared_on: Option<NaiveDate>,
    /// Days from the start to `cleared_on`, or to the as-of date while still uncleared; 0
    /// for a move made with the level held.
    pub days_uncleared: i64,
}

impl Move {
    pub fn still_uncleared(&self) -> bool {
        self.before_clearance && self.cleared_on.is_none()
    }
}

/// The figure, when the roster dates its posts.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The first and last day of the window, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Every move in the window, by start date, then employee id and post.
    pub moves: Vec<Move>,
    /// Designated postholders whose post_start_date is blank.
    pub start_not_recorded: usize,
}

impl Figure {
    /// The moves made before clearance.
    pub fn before(&self) -> impl Iterator<Item = &Move> {
        self.moves.iter().filter(|m| m.before_clearance)
    }

    pub fn before_count(&self) -> usize {
        self.before().count()
    }

    /// Moves made before clearance as a share of the moves (None without a move).
    pub fn rate(&self) -> Option<f64> {
        (!self.moves.is_empty()).then(|| self.before_count() as f64 / self.moves.len() as f64)
    }

    /// The median days uncleared of the moves made before clearance (None without one).
    pub fn median_days(&self) -> Option<f64> {
        let mut days: Vec<i64> = self.before().map(|m| m.days_uncleared).collect();
        days.sort_unstable();
        super::unit::percentile(&days, 0.5)
    }

    pub fn still_uncleared(&self) -> usize {
        self.moves.iter().filter(|m| m.still_uncleared()).count()
    }
}

/// The inspection figure of a night.
#[derive(Debug, Clone, PartialEq)]
pub struct Moves {
    pub lookback_months: u32,
    /// The level a designated post needs (MV by default).
    pub level: String,
    /// None when the roster has no post_start_date column: not read.
    pub figure: Option<Figure>,
}

/// The figure from `facts`; `dated` is whether the roster has a post_start_date column.
pub fn moves(facts: &Facts<'_>, dated: bool) -> Moves {
    let months = facts.prevention.policy.moves_lookback_months;
    let level = facts.levels.designated();
    let figure = dated.then(|| {
        let to = facts.as_of;
        let from = to
            .checked_sub_months(Months::new(months))
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .unwrap_or(NaiveDate::MIN);
        let mut moves = Vec::new();
        let mut start_not_recorded = 0;
        for (pi, person) in facts.persons.iter().enumerate() {
            if !person.status.in_workforce() {
                continue;
            }
            let Some(post) = person.post_id.as_deref().and_then(|id| facts.post(id)) else {
                continue;
            };
            if !post.designated {
                continue;
            }
            let Some(start) = person.post_start_date else {
                start_not_recorded += 1;
                continue;
            };
            if start < from || start > to {
                continue;
            }
            let held = facts
                .records_of(pi)
                .any(|(_, v)| holds(facts.levels, v, level, start));
            let cleared_on = (!held)
                .then(|| {
                    facts
                        .records_of(pi)
                        .filter(|(_, v)| {
                            v.status == VettingStatus::Granted
                                && facts.levels.satisfies(v.level, level)
                        })
                        .filter_map(|(_, v)| v.decision_date.filter(|d| *d > start))
                        .min()
                })
                .flatten();
            let days_uncleared = match (held, cleared_on) {
                (true, _) => 0,
                (false, Some(d)) => (d - start).num_days(),
                (false, None) => (to - start).num_days(),
            };
            moves.push(Move {
                employee_id: person.employee_id.clone(),
                post_id: post.post_id.clone(),
                post_start_date: start,
                before_clearance: !held,
                cleared_on,
                days_uncleared,
            });
        }
        moves.sort_by(|a, b| {
            (a.post_start_date, &a.employee_id, &a.post_id).cmp(&(
                b.post_start_date,
                &b.employee_id,
                &b.post_id,
            ))
        });
        Figure {
            from,
            to,
            moves,
            start_not_recorded,
        }
    });
    Moves {
        lookback_months: months,
        level: facts.level_name(level).to_string(),
        figure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmploymentStatus, RoleType};
    use crate::testkit::*;

    /// Someone in DESIG (designated) since `start` (None: blank).
    fn mover(w: &mut World, start: Option<&str>) -> u32 {
        let p = w.staff("DESIG");
        w.persons[p as usize].post_start_date = start.map(d);
        p
    }

    /// A grant of `level` to `p` decided on `decided`, valid to 2033.
    fn grant(w: &mut World, p: u32, level: &str, decided: &str) {
        let v = w.granted(p, level, "2033-01-01");
        w.vetting[v].decision_date = Some(d(decided));
    }

    #[test]
    fn moves_in_the_window_are_counted_and_those_made_before_mv_timed_to_its_grant() {
        let mut w = World::new();
        // E0: MV granted before the start: a move made with clearance.
        let p = mover(&mut w, Some("2026-03-01"));
        grant(&mut w, p, "MV", "2025-06-01");
        // E1: RV only at the start, MV granted 40 days after it.
        let p = mover(&mut w, Some("2026-05-01"));
        grant(&mut w, p, "RV", "2020-01-01");
        grant(&mut w, p, "MV", "2026-06-10");
        // E2: still uncleared on the as-of date: 2026-09-25 to 2026-11-24 is 60 days. A
        // refused MV after the start does not clear it.
        let p = mover(&mut w, Some("2026-09-25"));
        let v = w.record(
            Some(p),
            crate::link::Decision::AutoLink,
            "MV",
            VettingStatus::Refused,
            "2033-01-01",
        );
        w.vetting[v].decision_date = Some(d("2026-10-01"));
        // E3: two MV grants after the start: the first one counts (10 days).
        let p = mover(&mut w, Some("2026-07-01"));
        grant(&mut w, p, "MV", "2026-07-21");
        grant(&mut w, p, "MV", "2026-07-11");
        // Outside: the window's first day is 2025-11-25; a start on 2025-11-24 is not in it.
        mover(&mut w, Some("2025-11-24"));
        // Not a move: blank start, not designated, a leaver.
        mover(&mut w, None);
        mover(&mut w, None);
        let p = w.staff("RVPOST");
        w.persons[p as usize].post_start_date = Some(d("2026-06-01"));
        let p = w.person("DESIG", RoleType::Staff, EmploymentStatus::Leaver);
        w.persons[p as usize].post_start_date = Some(d("2026-06-01"));

        let m = moves(&w.facts(), true);
        assert_eq!((m.lookback_months, m.level.as_str()), (12, "MV"));
        let f = m.figure.unwrap();
        assert_eq!((f.from, f.to), (d("2025-11-25"), d(AS_OF)));
        let got: Vec<(&str, bool, Option<NaiveDate>, i64)> = f
            .moves
            .iter()
            .map(|m| {
                (
                    m.employee_id.as_str(),
                    m.before_clearance,
                    m.cleared_on,
                    m.days_uncleared,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("E0", false, None, 0),
                ("E1", true, Some(d("2026-06-10")), 40),
                ("E3", true, Some(d("2026-07-11")), 10),
                ("E2", true, None, 60),
            ]
        );
        assert_eq!(f.before_count(), 3);
        assert_eq!(f.rate(), Some(0.75));
        // Days 10, 40, 60: the median is 40.
        assert_eq!(f.median_days(), Some(40.0));
        assert_eq!(f.still_uncleared(), 1);
        assert_eq!(f.start_not_recorded, 2);
    }

    #[test]
    fn a_grant_decided_on_the_start_date_holds_it_and_the_median_of_two_is_their_mean() {
        let mut w = World::new();
        let p = mover(&mut w, Some("2026-10-01"));
        grant(&mut w, p, "MV", "2026-10-01");
        let p = mover(&mut w, Some("2026-10-01"));
        grant(&mut w, p, "MV", "2026-10-11");
        let p = mover(&mut w, Some("2026-10-01"));
        grant(&mut w, p, "MV", "2026-10-31");
        let f = moves(&w.facts(), true).figure.unwrap();
        let before: Vec<i64> = f.before().map(|m| m.days_uncleared).collect();
        assert_eq!(before, [10, 30]);
        assert_eq!(f.median_days(), Some(20.0));
        assert_eq!(f.rate(), Some(2.0 / 3.0));
    }

    #[test]
    fn the_lookback_follows_the_policy_and_no_move_has_no_rate() {
        let mut w = World::new();
        mover(&mut w, Some("2026-08-01"));
        let policy = crate::model::prevention::PreventionPolicy {
            moves_lookback_months: 3,
            ..Default::default()
        };
        let facts = w
            .facts()
            .with_prevention(crate::assess::prevention::PreventionFacts {
                postings: None,
                conditions: None,
                policy: &policy,
            });
        let f = moves(&facts, true).figure.unwrap();
        assert_eq!(f.from, d("2026-08-25"));
        assert!(f.moves.is_empty());
        assert_eq!(
            (f.rate(), f.median_days(), f.still_uncleared()),
            (None, None, 0)
        );
    }

    #[test]
    fn a_roster_without_post_start_date_leaves_the_figure_not_read() {
        let mut w = World::new();
        mover(&mut w, Some("2026-08-01"));
        let m = moves(&w.facts(), false);
        assert_eq!(m.figure, None);
    }
}
