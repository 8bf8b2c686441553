//! Posts whose recorded requirement looks wrong (post_register_checks.csv): every post of
//! the register checked against three rules, a row per rule a post breaks.
//!
//! - `designated_below_mv`: a designated post whose own `required_level` is blank or does not
//!   meet the designated level (`levels.designated`, MV by default). The exception list
//!   already judges its holders against MV (`Levels::of_post`); the register still says
//!   otherwise, and whoever reads it (HR, a recruiter) is told the wrong level.
//! - `vulnerable_contact_below_level`: a vulnerable-contact post whose recorded requirement
//!   (`of_post`) is none or does not meet `integrity.vulnerable_contact_level`. A register
//!   without the `vulnerable_contact` column cannot say which posts these are: the rule is
//!   not read, never "none".
//! - `title_rule`: a post whose title holds a keyword of `integrity.title_rules` and whose
//!   recorded requirement is not the rule's level (one row per matching rule): the national
//!   review's roles graded higher (or lower) than they need.
//!
//! Each row carries the people on tonight's roster (not leavers) in the post, and what moving
//! the post to its expected level would cost or save the unit, from
//! `[casework].hours_per_case`: the renewals a year it adds or saves, and the one-off
//! upgrades when the level goes up. A force whose hours name no `renewal` (or `upgrade`) type
//! gets those cells blank and the page says so.

use crate::assess::Facts;
use crate::ingest::value::id_key;
use crate::model::{LevelId, Levels};
use std::collections::HashMap;

/// The case types whose hours the cost of a change is counted in.
pub const RENEWAL: &str = "renewal";
pub const UPGRADE: &str = "upgrade";

/// Why the vulnerable-contact rule is not read without the register's column.
pub const VULNERABLE_NOT_READ: &str =
    "not read: the post register has no vulnerable_contact column";

/// A rule a post's recorded requirement is checked against, in the order rows are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    DesignatedBelowMv,
    VulnerableContactBelowLevel,
    TitleRule,
}

impl Rule {
    pub const ALL: [Rule; 3] = [
        Rule::DesignatedBelowMv,
        Rule::VulnerableContactBelowLevel,
        Rule::TitleRule,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::DesignatedBelowMv => "designated_below_mv",
            Rule::VulnerableContactBelowLevel => "vulnerable_contact_below_level",
            Rule::TitleRule => "title_rule",
        }
    }
}

/// Where the recorded requirement stands against the expected one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Lower on the same ladder, or none recorded: the post asks for too little.
    Under,
    /// Higher on the same ladder: the post asks for more than the rule expects.
    Over,
    /// On another ladder: neither is higher.
    OtherLadder,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Under => "under",
            Direction::Over => "over",
            Direction::OtherLadder => "other_ladder",
        }
    }

    /// `recorded` against `expected`. A recorded level equal to the expected one never
    /// reaches here (no rule lists it); it would read as `over`.
    fn of(levels: &Levels, recorded: Option<LevelId>, expected: LevelId) -> Direction {
        let Some(r) = recorded else {
            return Direction::Under;
        };
        let ((rl, rr), (el, er)) = (levels.position(r), levels.position(expected));
        if rl != el {
            Direction::OtherLadder
        } else if rr < er {
            Direction::Under
        } else {
            Direction::Over
        }
    }
}

/// One rule one post breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub post_id: String,
    pub title: String,
    pub department: String,
    pub rule: Rule,
    /// The title rule's keyword (lower case, as configured); None for the other rules.
    pub keyword: Option<String>,
    /// The requirement the register gives (the register's own `required_level` for
    /// `designated_below_mv`, else `Levels::of_post`); None when it names none.
    pub recorded: Option<LevelId>,
    pub expected: LevelId,
    pub direction: Direction,
    /// People on tonight's roster, leavers left out, whose post this is.
    pub postholders: usize,
    /// Renewal hours a year a change to the expected level adds (negative: saves), to one
    /// decimal; None when `hours_per_case` has no `renewal`.
    pub renewal_hours_a_year: Option<f64>,
    /// One-off upgrade hours a change to the expected level takes (0 unless `under`), to one
    /// decimal; None when `hours_per_case` has no `upgrade`.
    pub upgrade_hours: Option<f64>,
}

/// Tonight's checks of the post register.
#[derive(Debug, Clone, PartialEq)]
pub struct PostRegister {
    /// Posts in the register (every one checked).
    pub posts: usize,
    /// Postholders descending, then post_id (as ids compare), then rule, then keyword.
    pub rows: Vec<Row>,
    /// The register has the `vulnerable_contact` column.
    pub vulnerable_read: bool,
    /// The level vulnerable-contact posts are checked against
    /// (`integrity.vulnerable_contact_level`).
    pub vulnerable_level: LevelId,
    /// `hours_per_case` of `renewal` and `upgrade` (None: not configured).
    pub renewal_hours: Option<f64>,
    pub upgrade_hours: Option<f64>,
}

impl PostRegister {
    /// Rows of `rule` tonight; None when the rule was not read.
    pub fn count(&self, rule: Rule) -> Option<usize> {
        self.not_read(rule)
            .is_none()
            .then(|| self.rows.iter().filter(|r| r.rule == rule).count())
    }

    /// Why `rule` was not read tonight, in the page's words; None when it was.
    pub fn not_read(&self, rule: Rule) -> Option<&'static str> {
        (rule == Rule::VulnerableContactBelowLevel && !self.vulnerable_read)
            .then_some(VULNERABLE_NOT_READ)
    }

    /// "hours not configured (casework.hours_per_case has no renewal)" (or upgrade, or
    /// both), or None when both are.
    pub fn hours_not_configured(&self) -> Option<String> {
        let missing: Vec<&str> = [(RENEWAL, self.renewal_hours), (UPGRADE, self.upgrade_hours)]
            .into_iter()
            .filter(|(_, h)| h.is_none())
            .map(|(t, _)| t)
            .collect();
        (!missing.is_empty()).then(|| {
            format!(
                "hours not configured (casework.hours_per_case has no {})",
                missing.join(" and no ")
            )
        })
    }

    /// The sum of a column over every row (None when it is not configured).
    pub fn total(&self, hours: impl Fn(&Row) -> Option<f64>) -> Option<f64> {
        let sum: Option<f64> = self.rows.iter().map(hours).sum();
        sum.map(one_decimal)
    }
}

/// `x` to one decimal (halves away from zero), never `-0.0`.
pub fn one_decimal(x: f64) -> f64 {
    let r = (x * 10.0).round() / 10.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Renewals a year of a level: one per validity period (months / 12 years).
fn renewals_a_year(levels: &Levels, level: Option<LevelId>) -> f64 {
    level.map_or(0.0, |l| 12.0 / f64::from(levels.validity(l).months.max(1)))
}

/// Every post of the register checked. `vulnerable_read`: the register has the
/// `vulnerable_contact` column (`Ingested::post_columns`).
pub fn checks(facts: &Facts<'_>, vulnerable_read: bool) -> PostRegister {
    let levels = facts.levels;
    let policy = facts.integrity.policy;
    let hours = &facts.casework.hours_per_case;
    let renewal_hours = hours.get(RENEWAL).copied();
    let upgrade_hours = hours.get(UPGRADE).copied();
    let mut holders: HashMap<String, usize> = HashMap::new();
    for p in facts.persons.iter().filter(|p| p.status.in_workforce()) {
        if let Some(post) = &p.post_id {
            *holders.entry(id_key(post)).or_default() += 1;
        }
    }
    let mut rows = Vec::new();
    for post in facts.posts {
        let postholders = holders.get(&id_key(&post.post_id)).copied().unwrap_or(0);
        let of_post = levels.of_post(post);
        let mut hit = |rule: Rule, keyword: Option<&str>, recorded: Option<LevelId>, expected| {
            let direction = Direction::of(levels, recorded, expected);
            let n = postholders as f64;
            rows.push(Row {
                post_id: post.post_id.clone(),
                title: post.title.clone(),
                department: post.department.clone(),
                rule,
                keyword: keyword.map(str::to_string),
                recorded,
                expected,
                direction,
                postholders,
                renewal_hours_a_year: renewal_hours.map(|h| {
                    let change =
                        renewals_a_year(levels, Some(expected)) - renewals_a_year(levels, recorded);
                    one_decimal(n * h * change)
                }),
                upgrade_hours: upgrade_hours.map(|h| match direction {
                    Direction::Under => one_decimal(n * h),
                    Direction::Over | Direction::OtherLadder => 0.0,
                }),
            });
        };
        let designated = levels.designated();
        let meets =
            |recorded: Option<LevelId>, level| recorded.is_some_and(|r| levels.satisfies(r, level));
        if post.designated && !meets(post.required_level, designated) {
            hit(
                Rule::DesignatedBelowMv,
                None,
                post.required_level,
                designated,
            );
        }
        let vulnerable = policy.vulnerable_contact_level;
        if vulnerable_read && post.vulnerable_contact && !meets(of_post, vulnerable) {
            hit(Rule::VulnerableContactBelowLevel, None, of_post, vulnerable);
        }
        for rule in &policy.title_rules {
            if rule.matches(&post.title) && of_post != Some(rule.level) {
                hit(Rule::TitleRule, Some(&rule.contains), of_post, rule.level);
            }
        }
    }
    // A stable sort: rows equal on every key keep the register's order.
    rows.sort_by_cached_key(|r| {
        (
            std::cmp::Reverse(r.postholders),
            id_key(&r.post_id),
            r.rule,
            r.keyword.clone(),
        )
    });
    PostRegister {
        posts: facts.posts.len(),
        rows,
        vulnerable_read,
        vulnerable_level: policy.vulnerable_contact_level,
        renewal_hours,
        upgrade_hours,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::casework::{CaseworkPolicy, RawCasework};
    use crate::model::integrity::{IntegrityPolicy, RawIntegrity, RawTitleRule};
    use crate::model::{EmploymentStatus, Post, RoleType};
    use crate::testkit::*;

    fn post(w: &World, id: &str, title: &str, level: &str, designated: bool, vc: bool) -> Post {
        Post {
            post_id: id.into(),
            title: title.into(),
            department: format!("Dept {id}"),
            required_level: w.policy.levels.parse(level),
            designated,
            vulnerable_contact: vc,
            revet_on_appointment: false,
        }
    }

    /// (post_id, rule, keyword, recorded, expected, direction, postholders, renewal, upgrade)
    /// as the CSV shows them.
    type Shown = (
        String,
        &'static str,
        String,
        String,
        String,
        &'static str,
        usize,
        Option<f64>,
        Option<f64>,
    );

    fn shown(w: &World, r: &Row) -> Shown {
        let name = |l: Option<LevelId>| l.map_or(String::new(), |l| w.policy.levels.name(l).into());
        (
            r.post_id.clone(),
            r.rule.as_str(),
            r.keyword.clone().unwrap_or_default(),
            name(r.recorded),
            name(Some(r.expected)),
            r.direction.as_str(),
            r.postholders,
            r.renewal_hours_a_year,
            r.upgrade_hours,
        )
    }

    /// (post_id, rule, keyword, recorded, expected, direction), then (postholders, renewal
    /// hours a year, upgrade hours).
    fn row(
        (post, rule, keyword, recorded, expected, direction): (
            &str,
            &'static str,
            &str,
            &str,
            &str,
            &'static str,
        ),
        (postholders, renewal, upgrade): (usize, Option<f64>, Option<f64>),
    ) -> Shown {
        (
            post.into(),
            rule,
            keyword.into(),
            recorded.into(),
            expected.into(),
            direction,
            postholders,
            renewal,
            upgrade,
        )
    }

    fn run(w: &World, vulnerable_read: bool) -> (PostRegister, Vec<Shown>) {
        let got = checks(&w.facts(), vulnerable_read);
        let rows = got.rows.iter().map(|r| shown(w, r)).collect();
        (got, rows)
    }

    /// A world whose register holds only `posts`.
    fn world(posts: impl FnOnce(&World) -> Vec<Post>) -> World {
        let mut w = World::new();
        w.posts = posts(&w);
        w
    }

    // Built-in hours: renewal 3, upgrade 8. Validity: RV 10 years (0.1 renewals a year), MV
    // 7 years (1/7), SC 10 years, NPPV3 5 years.

    #[test]
    fn a_designated_post_recorded_below_mv_or_blank_is_listed_and_one_at_mv_is_not() {
        let mut w = world(|w| {
            vec![
                post(w, "D-RV", "Analyst", "RV", true, false),
                post(w, "D-NONE", "Analyst", "", true, false),
                post(w, "D-MV", "Analyst", "MV", true, false),
                post(w, "D-SC", "Analyst", "SC", true, false),
                post(w, "RV", "Analyst", "RV", false, false),
            ]
        });
        for _ in 0..2 {
            w.staff("D-RV");
        }
        w.staff("D-NONE");
        let (got, rows) = run(&w, true);
        // D-RV, 2 holders: 2 x 3 x (1/7 - 1/10) = 0.2571 -> 0.3; upgrade 2 x 8 = 16.
        // D-NONE, 1 holder: 1 x 3 x (1/7 - 0) = 0.4286 -> 0.4; upgrade 8.
        // D-SC, no holder: SC is on another ladder, nothing to upgrade; 0 hours.
        assert_eq!(
            rows,
            [
                row(
                    ("D-RV", "designated_below_mv", "", "RV", "MV", "under"),
                    (2, Some(0.3), Some(16.0))
                ),
                row(
                    ("D-NONE", "designated_below_mv", "", "", "MV", "under"),
                    (1, Some(0.4), Some(8.0))
                ),
                row(
                    (
                        "D-SC",
                        "designated_below_mv",
                        "",
                        "SC",
                        "MV",
                        "other_ladder"
                    ),
                    (0, Some(0.0), Some(0.0))
                ),
            ]
        );
        assert_eq!(got.count(Rule::DesignatedBelowMv), Some(3));
        assert_eq!(got.count(Rule::TitleRule), Some(0));
        assert_eq!(got.posts, 5);
    }

    #[test]
    fn a_designated_post_on_another_ladder_the_force_accepts_for_mv_is_not_listed() {
        let mut raw = crate::config::raw::RawConfig::default();
        raw.levels.accept.insert("MV".into(), vec!["SC".into()]);
        let mut w = World::new();
        w.policy = crate::config::Policy::build(&raw).unwrap();
        w.posts = vec![post(&w, "D-SC", "Analyst", "SC", true, false)];
        assert!(run(&w, true).1.is_empty());
    }

    #[test]
    fn a_vulnerable_contact_post_is_judged_by_its_recorded_requirement_against_the_policy_level() {
        let mut w = world(|w| {
            vec![
                post(w, "V-RV", "Custody", "RV", false, true),
                post(w, "V-NONE", "Custody", "", false, true),
                post(w, "V-MV", "Custody", "MV", false, true),
                // Designated: its recorded requirement is MV whatever the register says, so
                // only the designated rule lists it.
                post(w, "V-DES", "Custody", "RV", true, true),
                post(w, "V-NPPV3", "Custody", "NPPV3", false, true),
                post(w, "NOT-V", "Custody", "RV", false, false),
            ]
        });
        w.staff("V-RV");
        w.staff("V-NPPV3");
        w.staff("V-NPPV3");
        w.staff("V-NPPV3");
        let (got, rows) = run(&w, true);
        // V-NPPV3, 3 holders, on another ladder: 3 x 3 x (1/7 - 1/5) = -0.5143 -> -0.5 (MV
        // lasts longer than NPPV3: fewer renewals); no upgrade.
        // V-RV, 1 holder: 3 x (1/7 - 1/10) = 0.1286 -> 0.1; upgrade 8.
        assert_eq!(
            rows,
            [
                row(
                    (
                        "V-NPPV3",
                        "vulnerable_contact_below_level",
                        "",
                        "NPPV3",
                        "MV",
                        "other_ladder"
                    ),
                    (3, Some(-0.5), Some(0.0))
                ),
                row(
                    (
                        "V-RV",
                        "vulnerable_contact_below_level",
                        "",
                        "RV",
                        "MV",
                        "under"
                    ),
                    (1, Some(0.1), Some(8.0))
                ),
                row(
                    ("V-DES", "designated_below_mv", "", "RV", "MV", "under"),
                    (0, Some(0.0), Some(0.0))
                ),
                row(
                    (
                        "V-NONE",
                        "vulnerable_contact_below_level",
                        "",
                        "",
                        "MV",
                        "under"
                    ),
                    (0, Some(0.0), Some(0.0))
                ),
            ]
        );
        assert_eq!(got.count(Rule::VulnerableContactBelowLevel), Some(3));
        assert_eq!(got.not_read(Rule::VulnerableContactBelowLevel), None);

        // The policy's level, not MV: at RV only the blank and the NPPV3 posts fall short.
        let mut raw = RawIntegrity {
            vulnerable_contact_level: "RV".into(),
            ..RawIntegrity::default()
        };
        raw.title_rules.clear();
        let policy = IntegrityPolicy::build(&raw, &w.policy.levels, &|_| true).unwrap();
        let facts = w
            .facts()
            .with_integrity(crate::assess::integrity::IntegrityFacts {
                declarations: None,
                policy: &policy,
            });
        let ids: Vec<(String, Rule)> = (checks(&facts, true).rows.into_iter())
            .map(|r| (r.post_id, r.rule))
            .collect();
        assert_eq!(
            ids,
            [
                ("V-NPPV3".into(), Rule::VulnerableContactBelowLevel),
                ("V-DES".into(), Rule::DesignatedBelowMv),
                ("V-NONE".into(), Rule::VulnerableContactBelowLevel),
            ]
        );
    }

    #[test]
    fn without_the_vulnerable_contact_column_the_rule_is_not_read_never_zero() {
        let mut w = world(|w| vec![post(w, "V-RV", "Custody", "RV", false, true)]);
        w.staff("V-RV");
        let (got, rows) = run(&w, false);
        assert!(rows.is_empty());
        assert_eq!(got.count(Rule::VulnerableContactBelowLevel), None);
        assert_eq!(
            got.not_read(Rule::VulnerableContactBelowLevel),
            Some("not read: the post register has no vulnerable_contact column")
        );
        // The other rules were read: zero is zero.
        assert_eq!(got.count(Rule::DesignatedBelowMv), Some(0));
        assert_eq!(got.not_read(Rule::TitleRule), None);
    }

    #[test]
    fn a_title_holding_a_keyword_is_listed_per_rule_when_its_level_differs_in_either_direction() {
        let mut raw = RawIntegrity::default();
        raw.title_rules.push(RawTitleRule {
            contains: "Policing".into(),
            level: "SC".into(),
        });
        let mut w = world(|w| {
            vec![
                post(w, "R-MV", "Roads Policing Sergeant", "MV", false, false),
                post(w, "R-RV", "roads policing constable", "RV", false, false),
                post(w, "DOG", "Police DOG HANDLER", "", false, false),
                post(w, "R-DES", "Roads Policing Inspector", "RV", true, false),
            ]
        });
        let policy = IntegrityPolicy::build(&raw, &w.policy.levels, &|_| true).unwrap();
        w.staff("R-MV");
        let facts = w
            .facts()
            .with_integrity(crate::assess::integrity::IntegrityFacts {
                declarations: None,
                policy: &policy,
            });
        let got = checks(&facts, true);
        let rows: Vec<Shown> = got.rows.iter().map(|r| shown(&w, r)).collect();
        // R-MV (1 holder), roads policing at RV: over; 3 x (1/10 - 1/7) = -0.1286 -> -0.1,
        // no upgrade. Its "policing" rule at SC: another ladder, 3 x (1/10 - 1/7) -> -0.1.
        // R-RV matches "roads policing" at RV exactly: only the SC rule lists it.
        // DOG: none recorded, so under, and none recorded renews nothing.
        // R-DES: recorded MV (designated) against RV: over; and designated_below_mv first.
        assert_eq!(
            rows,
            [
                row(
                    ("R-MV", "title_rule", "policing", "MV", "SC", "other_ladder"),
                    (1, Some(-0.1), Some(0.0))
                ),
                row(
                    ("R-MV", "title_rule", "roads policing", "MV", "RV", "over"),
                    (1, Some(-0.1), Some(0.0))
                ),
                row(
                    ("DOG", "title_rule", "dog handler", "", "RV", "under"),
                    (0, Some(0.0), Some(0.0))
                ),
                row(
                    ("R-DES", "designated_below_mv", "", "RV", "MV", "under"),
                    (0, Some(0.0), Some(0.0))
                ),
                row(
                    (
                        "R-DES",
                        "title_rule",
                        "policing",
                        "MV",
                        "SC",
                        "other_ladder"
                    ),
                    (0, Some(0.0), Some(0.0))
                ),
                row(
                    ("R-DES", "title_rule", "roads policing", "MV", "RV", "over"),
                    (0, Some(0.0), Some(0.0))
                ),
                row(
                    ("R-RV", "title_rule", "policing", "RV", "SC", "other_ladder"),
                    (0, Some(0.0), Some(0.0))
                ),
            ]
        );
        assert_eq!(got.count(Rule::TitleRule), Some(6));
    }

    #[test]
    fn postholders_count_the_roster_without_leavers_with_ids_compared_as_ids() {
        let mut w = world(|w| vec![post(w, "p-7", "Analyst", "RV", true, false)]);
        w.staff("p-7");
        w.staff(" P-7 ");
        w.person("P-7", RoleType::Officer, EmploymentStatus::Suspended);
        w.person("P-7", RoleType::Officer, EmploymentStatus::CareerBreak);
        w.person("P-7", RoleType::Staff, EmploymentStatus::Leaver);
        w.staff("P-8");
        let (_, rows) = run(&w, true);
        // 4 holders: 4 x 3 x (1/7 - 1/10) = 0.5143 -> 0.5; upgrade 4 x 8 = 32.
        assert_eq!(
            rows,
            [row(
                ("p-7", "designated_below_mv", "", "RV", "MV", "under"),
                (4, Some(0.5), Some(32.0))
            )]
        );
    }

    #[test]
    fn rows_are_ordered_by_postholders_then_post_id_then_rule() {
        let mut w = world(|w| {
            vec![
                post(w, "b", "Dog handler", "MV", true, true),
                post(w, "A", "Analyst", "RV", true, false),
                post(w, "C", "Analyst", "RV", true, false),
                post(w, "a2", "Analyst", "RV", true, false),
            ]
        });
        w.staff("C");
        w.staff("C");
        w.staff("a2");
        let (_, rows) = run(&w, true);
        let order: Vec<(String, &str)> = rows.iter().map(|r| (r.0.clone(), r.1)).collect();
        assert_eq!(
            order,
            [
                ("C".into(), "designated_below_mv"),
                ("a2".into(), "designated_below_mv"),
                ("A".into(), "designated_below_mv"),
                ("b".into(), "title_rule"),
            ]
        );
        // "b" is designated with MV recorded: neither the designated nor the
        // vulnerable-contact rule lists it, only its title.
    }

    #[test]
    fn hours_not_configured_leave_their_cells_blank_and_say_which() {
        let mut w = world(|w| vec![post(w, "D", "Analyst", "RV", true, false)]);
        w.staff("D");
        let mut raw = RawCasework::default();
        raw.hours_per_case.remove("renewal");
        let casework = CaseworkPolicy::build(&raw).unwrap();
        let got = checks(&w.facts().with_casework(&casework), true);
        assert_eq!(
            (got.rows[0].renewal_hours_a_year, got.rows[0].upgrade_hours),
            (None, Some(8.0))
        );
        assert_eq!(
            got.hours_not_configured().as_deref(),
            Some("hours not configured (casework.hours_per_case has no renewal)")
        );
        assert_eq!(got.total(|r| r.renewal_hours_a_year), None);
        assert_eq!(got.total(|r| r.upgrade_hours), Some(8.0));
        raw.hours_per_case.remove("upgrade");
        let casework = CaseworkPolicy::build(&raw).unwrap();
        let got = checks(&w.facts().with_casework(&casework), true);
        assert_eq!(
            got.hours_not_configured().as_deref(),
            Some("hours not configured (casework.hours_per_case has no renewal and no upgrade)")
        );
        assert_eq!(checks(&w.facts(), true).hours_not_configured(), None);
    }

    #[test]
    fn one_decimal_rounds_halves_away_from_zero_and_never_gives_minus_zero() {
        assert_eq!(one_decimal(0.25), 0.3);
        assert_eq!(one_decimal(-0.25), -0.3);
        assert_eq!(one_decimal(-0.04).to_string(), "0");
        assert_eq!(format!("{:.1}", one_decimal(-0.04)), "0.0");
        assert_eq!(one_decimal(12.345), 12.3);
    }
}
