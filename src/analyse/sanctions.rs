//! Sanctions compared between officers and staff: for the same breach of the Standards of
//! Professional Behaviour, is one group given serious sanctions more often than the other?
//!
//! Groups: officers (role_type `officer` or `special`) and staff (`staff` or `pcso`);
//! volunteers and contractors are left out, counted. A misconduct outcome is compared when
//! its employee_id is on tonight's roster, leavers included (a sanction stands whoever has
//! left since), and its outcome_date falls in the disproportionality window
//! (`super::Window`, both ends included). An outcome without a breach_category or a sanction
//! is not recorded: left out, counted. A sanction is serious at or above
//! `IntegrityPolicy::serious_from` on the force's scale.
//!
//! For all categories together, then each breach category in the configured order: each
//! group's serious rate (serious / outcomes), the risk ratio staff rate / officer rate with
//! its 95% interval, and Fisher's exact test, the statistics the disproportionality analysis
//! uses (`super::stats`), at every size. A difference is a finding when its interval
//! excludes 1 and its p is under `report.disproportionality.significance`; when one group
//! has no serious sanction at all the ratio has no interval, and the p alone decides.
//!
//! Small numbers identify people: a category in which either group has fewer outcomes than
//! `report.disproportionality.minimum_group` is suppressed (no count or figure of it appears
//! anywhere), and, as the disproportionality analysis does (`disproportion::suppress`), when
//! exactly one category would be suppressed the next smallest is too, so the hidden one
//! cannot be worked out by subtracting the others from the row for all categories.
//!
//! Nothing here formats a file or reads the clock: `report` renders sanctions.csv, the
//! workbook's sheet and the page's part from `Sanctions`.

use super::disproportion::{suppress, DisproportionSettings};
use super::stats::{fisher_two_sided, risk_ratio, RiskRatio};
use super::Window;
use crate::ingest::value::id_key;
use crate::model::integrity::IntegrityPolicy;
use crate::model::{Misconduct, Person, RoleType};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The misconduct feed's optional columns the comparison reads, in the order a page names
/// them when absent.
pub const COLUMNS: [&str; 2] = ["breach_category", "sanction"];

/// The test every comparison uses (sanctions.csv's `test`): Fisher's exact test, which the
/// disproportionality analysis uses at every size because it is exact on small tables too.
pub const TEST: &str = "fisher";

/// The two groups compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Officers and special constables.
    Officers,
    /// Police staff and PCSOs.
    Staff,
}

impl Group {
    /// The group a role type belongs to; None for volunteers and contractors, left out.
    pub fn of(role: RoleType) -> Option<Group> {
        match role {
            RoleType::Officer | RoleType::Special => Some(Group::Officers),
            RoleType::Staff | RoleType::Pcso => Some(Group::Staff),
            RoleType::Volunteer | RoleType::Contractor => None,
        }
    }
}

/// One group's outcomes in a category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanctioned {
    pub outcomes: u64,
    /// Of `outcomes`, those whose sanction is serious.
    pub serious: u64,
    /// Outcomes per sanction, in the scale's order (least serious first).
    pub by_sanction: Vec<u64>,
}

impl Sanctioned {
    fn new(scale: usize) -> Sanctioned {
        Sanctioned {
            outcomes: 0,
            serious: 0,
            by_sanction: vec![0; scale],
        }
    }

    /// serious / outcomes; None with no outcomes.
    pub fn rate(&self) -> Option<f64> {
        (self.outcomes > 0).then(|| self.serious as f64 / self.outcomes as f64)
    }

    fn add(&mut self, other: &Sanctioned) {
        self.outcomes += other.outcomes;
        self.serious += other.serious;
        for (a, b) in self.by_sanction.iter_mut().zip(&other.by_sanction) {
            *a += b;
        }
    }
}

/// Staff against officers in a category with enough outcomes in both groups.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// Staff serious rate / officer serious rate, with its 95% interval; None when either
    /// rate is zero (the ratio or its logarithm is undefined).
    pub ratio: Option<RiskRatio>,
    /// Fisher's exact test, two-sided: staff against officers, serious against not.
    pub p_value: f64,
}

/// What a category's comparison found (sanctions.csv's `finding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// Staff are given serious sanctions more often, and the difference is significant.
    StaffMoreSerious,
    /// Officers are, significantly.
    OfficersMoreSerious,
    /// Compared, and the difference could be chance.
    NoDifference,
    /// Too few outcomes in a group (or hidden with a smaller category): nothing shown.
    Suppressed,
    /// No outcome in the category.
    None,
}

impl Finding {
    pub fn as_str(self) -> &'static str {
        match self {
            Finding::StaffMoreSerious => "staff_more_serious",
            Finding::OfficersMoreSerious => "officers_more_serious",
            Finding::NoDifference => "no_difference",
            Finding::Suppressed => "suppressed",
            Finding::None => "none",
        }
    }

    /// A difference worth taking to Professional Standards, or a category that could not be
    /// shown: the page lists these.
    pub fn listed(self) -> bool {
        !matches!(self, Finding::NoDifference | Finding::None)
    }
}

/// Both groups' figures in a category that is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub officers: Sanctioned,
    pub staff: Sanctioned,
    /// None when the category has no outcome.
    pub difference: Option<Difference>,
}

/// One row of sanctions.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// None: every category together (`all`).
    pub category: Option<Arc<str>>,
    pub finding: Finding,
    /// None when suppressed: no count of the category is kept to show.
    pub shown: Option<Shown>,
}

impl Row {
    /// The category as sanctions.csv names it.
    pub fn name(&self) -> &str {
        self.category.as_deref().unwrap_or("all")
    }
}

/// The outcomes of the feed not compared, each counted once, under the first reason that
/// applies in this order: outside the window, not on the roster, another role type, not
/// recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// outcome_date before the window (or after the as-of date).
    pub outside_window: u64,
    /// In the window, but the employee_id is no one on tonight's roster.
    pub not_on_roster: u64,
    /// A volunteer's or a contractor's.
    pub other_roles: u64,
    /// An officer's or staff member's in the window, with a blank breach_category or sanction.
    pub not_recorded: u64,
}

/// The comparison made tonight.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    /// `all`, then each breach category in `integrity.breach_categories` order.
    pub rows: Vec<Row>,
    /// Outcomes compared (those of the `all` row, whether or not it is shown).
    pub compared: u64,
    pub left_out: LeftOut,
}

/// Whether the comparison could be made tonight.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// The misconduct feed was not read tonight.
    FeedNotRead,
    /// The feed was read, but its header lacks these of `COLUMNS`.
    NoColumns(Vec<&'static str>),
    Read(Compared),
}

/// Tonight's comparison, with what it was measured by.
#[derive(Debug, Clone, PartialEq)]
pub struct Sanctions {
    pub window: Window,
    /// The force's sanction scale, least serious first.
    pub scale: Vec<Arc<str>>,
    /// Index into `scale` of the least serious sanction counted as serious.
    pub serious_from: usize,
    pub minimum_group: u64,
    pub significance: f64,
    pub reading: Reading,
}

impl Sanctions {
    /// Why nothing was compared, in words ("not read: ..."), or None when it was. `feeds`
    /// says why the feed was off.
    pub fn not_read(&self, feeds: &crate::model::feeds::Feeds) -> Option<String> {
        match &self.reading {
            Reading::Read(_) => None,
            Reading::FeedNotRead => Some(match feeds.not_read("misconduct") {
                Some(off) => crate::model::feeds::not_read_text("misconduct", off),
                None => "not read: no misconduct outcomes were given tonight".into(),
            }),
            Reading::NoColumns(missing) => Some(format!(
                "not read: the misconduct feed has no {} column",
                missing.join(" or ")
            )),
        }
    }

    /// The rows of sanctions.csv (none when nothing was compared).
    pub fn rows(&self) -> &[Row] {
        match &self.reading {
            Reading::Read(c) => &c.rows,
            _ => &[],
        }
    }
}

/// What the comparison reads.
pub struct Given<'a> {
    pub persons: &'a [Person],
    /// Tonight's misconduct outcomes; None when the feed was not read.
    pub misconduct: Option<&'a [Misconduct]>,
    /// The misconduct feed's contract columns present in its header.
    pub columns: &'a [&'a str],
    pub policy: &'a IntegrityPolicy,
    pub settings: &'a DisproportionSettings,
    pub as_of: NaiveDate,
}

/// Compare the sanctions of tonight's misconduct outcomes.
pub fn analyse(g: &Given<'_>) -> Sanctions {
    let p = g.policy;
    let reading = match g.misconduct {
        None => Reading::FeedNotRead,
        Some(outcomes) => {
            let missing: Vec<&'static str> = (COLUMNS.iter().copied())
                .filter(|c| !g.columns.contains(c))
                .collect();
            if missing.is_empty() {
                Reading::Read(compare(g, outcomes))
            } else {
                Reading::NoColumns(missing)
            }
        }
    };
    Sanctions {
        window: Window::ending(g.as_of, g.settings.window_months),
        scale: p.sanction_scale.clone(),
        serious_from: p.serious_from,
        minimum_group: g.settings.minimum_group,
        significance: g.settings.significance,
        reading,
    }
}

/// Each category's two groups counted, the outcomes left out counted, and the rows built.
fn compare(g: &Given<'_>, outcomes: &[Misconduct]) -> Compared {
    let p = g.policy;
    let window = Window::ending(g.as_of, g.settings.window_months);
    // The first roster row of each id, as ids compare.
    let mut roles: BTreeMap<String, RoleType> = BTreeMap::new();
    for person in g.persons {
        roles
            .entry(id_key(&person.employee_id))
            .or_insert(person.role_type);
    }
    let scale = p.sanction_scale.len();
    // Per category (config order): officers, staff.
    let mut tallies: Vec<[Sanctioned; 2]> = (p.breach_categories.iter())
        .map(|_| [Sanctioned::new(scale), Sanctioned::new(scale)])
        .collect();
    let mut left_out = LeftOut::default();
    for m in outcomes {
        if !window.contains(m.outcome_date) {
            left_out.outside_window += 1;
            continue;
        }
        let Some(role) = roles.get(&id_key(&m.employee_id)) else {
            left_out.not_on_roster += 1;
            continue;
        };
        let Some(group) = Group::of(*role) else {
            left_out.other_roles += 1;
            continue;
        };
        // Ingest reads both against the policy's lists; a value off them is not recorded.
        let category = (m.breach_category.as_deref())
            .and_then(|c| p.breach_categories.iter().position(|x| **x == *c));
        let rank = m.sanction.as_deref().and_then(|s| p.sanction_rank(s));
        let (Some(t), Some(rank)) = (category.and_then(|c| tallies.get_mut(c)), rank) else {
            left_out.not_recorded += 1;
            continue;
        };
        let [officers, staff] = t;
        let s = match group {
            Group::Officers => officers,
            Group::Staff => staff,
        };
        s.outcomes += 1;
        s.serious += u64::from(rank >= p.serious_from);
        if let Some(n) = s.by_sanction.get_mut(rank) {
            *n += 1;
        }
    }
    let mut all = [Sanctioned::new(scale), Sanctioned::new(scale)];
    for [o, s] in &tallies {
        all[0].add(o);
        all[1].add(s);
    }
    let min = g.settings.minimum_group;
    // A category with outcomes is based on its smaller group: under the minimum it is
    // hidden, and the next smallest with it when it is the only one.
    let names: Vec<&str> = p.breach_categories.iter().map(|c| &**c).collect();
    let bases = (names.iter().zip(&tallies))
        .filter(|(_, [o, s])| o.outcomes + s.outcomes > 0)
        .map(|(n, [o, s])| (*n, o.outcomes.min(s.outcomes)));
    let hidden = suppress(bases, &BTreeSet::new(), min);
    let compared = all[0].outcomes + all[1].outcomes;
    let [ao, as_] = all;
    let all_hidden = ao.outcomes.min(as_.outcomes) < min;
    let mut rows = vec![row(None, ao, as_, all_hidden, g.settings)];
    for (c, [o, s]) in p.breach_categories.iter().zip(tallies) {
        let hide = hidden.contains(&**c);
        rows.push(row(Some(c.clone()), o, s, hide, g.settings));
    }
    Compared {
        rows,
        compared,
        left_out,
    }
}

/// One category's row: none with no outcome, suppressed when `hide`, else compared.
fn row(
    category: Option<Arc<str>>,
    officers: Sanctioned,
    staff: Sanctioned,
    hide: bool,
    s: &DisproportionSettings,
) -> Row {
    if officers.outcomes + staff.outcomes == 0 {
        return Row {
            category,
            finding: Finding::None,
            shown: Some(Shown {
                officers,
                staff,
                difference: None,
            }),
        };
    }
    if hide {
        return Row {
            category,
            finding: Finding::Suppressed,
            shown: None,
        };
    }
    let (d, finding) = difference(&officers, &staff, s.significance);
    Row {
        category,
        finding,
        shown: Some(Shown {
            officers,
            staff,
            difference: Some(d),
        }),
    }
}

/// Staff against officers, and what it finds at `significance`. Both groups have outcomes.
fn difference(
    officers: &Sanctioned,
    staff: &Sanctioned,
    significance: f64,
) -> (Difference, Finding) {
    let (on, os) = (officers.outcomes, officers.serious);
    let (sn, ss) = (staff.outcomes, staff.serious);
    let d = Difference {
        ratio: risk_ratio(ss, sn, os, on),
        p_value: fisher_two_sided(ss, sn - ss, os, on - os),
    };
    // ss / sn against os / on, compared without division.
    let staff_higher = u128::from(ss) * u128::from(on) > u128::from(os) * u128::from(sn);
    let rates_differ = u128::from(ss) * u128::from(on) != u128::from(os) * u128::from(sn);
    let excludes_one = match d.ratio {
        Some(r) => r.low > 1.0 || r.high < 1.0,
        // One group has no serious sanction: no interval, so the test alone decides.
        None => rates_differ,
    };
    let finding = if d.p_value < significance && excludes_one {
        if staff_higher {
            Finding::StaffMoreSerious
        } else {
            Finding::OfficersMoreSerious
        }
    } else {
        Finding::NoDifference
    };
    (d, finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmploymentStatus, Outcome};

    const AS_OF: &str = "2026-11-24";

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn person(id: &str, role: RoleType, status: EmploymentStatus) -> Person {
        Person {
            employee_id: id.into(),
            surname: "S".into(),
            forenames: "F".into(),
            previous_surnames: vec![],
            date_of_birth: d("1980-01-01"),
            ni_number: None,
            post_id: None,
            role_type: role,
            force: None,
            post_start_date: None,
            status,
            leaving_date: None,
            last_integrity_review: None,
            line: 2,
        }
    }

    fn settings(minimum_group: u64) -> DisproportionSettings {
        DisproportionSettings {
            window_months: 12,
            minimum_group,
            four_fifths: 0.8,
            significance: 0.05,
            reference: BTreeMap::new(),
        }
    }

    /// Builds a feed: `n` outcomes of `id` in `category` with `sanction` on `date`.
    #[derive(Default)]
    struct Feed(Vec<Misconduct>);

    impl Feed {
        fn add(
            &mut self,
            n: usize,
            id: &str,
            category: Option<&str>,
            sanction: Option<&str>,
            date: &str,
        ) -> &mut Feed {
            for _ in 0..n {
                let i = self.0.len();
                self.0.push(Misconduct {
                    outcome_ref: format!("M{i}"),
                    employee_id: id.into(),
                    outcome: Outcome::Other,
                    outcome_date: d(date),
                    breach_category: category.map(Arc::from),
                    sanction: sanction.map(Arc::from),
                    line: i as u64 + 2,
                });
            }
            self
        }
    }

    fn roster() -> Vec<Person> {
        use EmploymentStatus::*;
        vec![
            person("O1", RoleType::Officer, Active),
            person("SP1", RoleType::Special, Active),
            person("S1", RoleType::Staff, Active),
            person("P1", RoleType::Pcso, Active),
            person("V1", RoleType::Volunteer, Active),
            person("C1", RoleType::Contractor, Active),
            person("L1", RoleType::Staff, Leaver),
        ]
    }

    fn run(feed: &Feed, minimum_group: u64) -> Sanctions {
        let persons = roster();
        let policy = IntegrityPolicy::built_in();
        let s = settings(minimum_group);
        analyse(&Given {
            persons: &persons,
            misconduct: Some(&feed.0),
            columns: &COLUMNS,
            policy: &policy,
            settings: &s,
            as_of: d(AS_OF),
        })
    }

    fn compared(s: &Sanctions) -> &Compared {
        match &s.reading {
            Reading::Read(c) => c,
            other => panic!("not compared: {other:?}"),
        }
    }

    fn find<'s>(s: &'s Sanctions, name: &str) -> &'s Row {
        s.rows().iter().find(|r| r.name() == name).unwrap()
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    const DATE: &str = "2026-06-01";
    const FORCE: &str = "use_of_force";
    const FWW: Option<&str> = Some("final_written_warning");
    const WW: Option<&str> = Some("written_warning");

    #[test]
    fn staff_given_serious_sanctions_more_often_is_a_finding_with_the_exact_test_worked_by_hand() {
        // Staff 8 serious of 10, officers 1 of 10. Margins 10, 10, 9 serious: P(x staff
        // serious) = C(10,x) C(10,9-x) / C(20,9) = C(10,x) C(10,9-x) / 167960. Observed
        // x=8: 45 x 10 = 450; as or less likely: x=9 (10), x=1 (450), x=0 (10): p = 920 /
        // 167960 = 0.0054775. Ratio 0.8 / 0.1 = 8; se = sqrt(1/8 - 1/10 + 1/1 - 1/10) =
        // 0.961769, interval exp(ln 8 -/+ 1.959964 x 0.961769) = 1.2146 .. 52.69.
        let mut f = Feed::default();
        let force = Some(FORCE);
        f.add(8, "S1", force, FWW, DATE)
            .add(2, "S1", force, WW, DATE)
            .add(1, "O1", force, FWW, DATE)
            .add(9, "O1", force, WW, DATE);
        let s = run(&f, 10);
        let r = find(&s, FORCE);
        assert_eq!(r.finding, Finding::StaffMoreSerious);
        let shown = r.shown.as_ref().unwrap();
        assert_eq!((shown.staff.outcomes, shown.staff.serious), (10, 8));
        assert_eq!((shown.officers.outcomes, shown.officers.serious), (10, 1));
        let dif = shown.difference.unwrap();
        assert!(close(dif.p_value, 920.0 / 167_960.0, 1e-12), "{dif:?}");
        let rr = dif.ratio.unwrap();
        assert!(close(rr.ratio, 8.0, 1e-12));
        assert!(close(rr.low, 1.2146, 1e-4), "{rr:?}");
        assert!(close(rr.high, 52.69, 1e-2), "{rr:?}");
        // Per sanction, in scale order: management_advice, written_warning, fww, ...
        assert_eq!(shown.staff.by_sanction, [0, 2, 8, 0, 0]);
        assert_eq!(shown.officers.by_sanction, [0, 9, 1, 0, 0]);
        // The `all` row holds the same outcomes; every other category has none.
        assert_eq!(s.rows()[0].name(), "all");
        assert_eq!(s.rows()[0].finding, Finding::StaffMoreSerious);
        assert_eq!(s.rows().len(), 11);
        let none = s
            .rows()
            .iter()
            .filter(|r| r.finding == Finding::None)
            .count();
        assert_eq!(none, 9);
    }

    #[test]
    fn the_same_table_the_other_way_round_finds_officers_more_serious() {
        let mut f = Feed::default();
        let force = Some(FORCE);
        f.add(8, "O1", force, Some("dismissal"), DATE)
            .add(2, "O1", force, Some("management_advice"), DATE)
            .add(1, "S1", force, Some("reduction_in_rank"), DATE)
            .add(9, "S1", force, WW, DATE);
        let r = find(&run(&f, 10), FORCE).clone();
        assert_eq!(r.finding, Finding::OfficersMoreSerious);
        let rr = r.shown.unwrap().difference.unwrap().ratio.unwrap();
        // 0.1 / 0.8, the interval the reciprocal of the one above.
        assert!(close(rr.ratio, 0.125, 1e-12));
        assert!(close(rr.high, 1.0 / 1.2146, 1e-4), "{rr:?}");
    }

    #[test]
    fn a_difference_that_could_be_chance_is_no_difference() {
        // Staff 3 of 4 serious, officers 1 of 4: Fisher's tea table, p = 34/70 = 0.4857.
        // Ratio 3; se = sqrt(1/3 - 1/4 + 1 - 1/4) = 0.912871, interval 0.5013 .. 17.954.
        let mut f = Feed::default();
        let force = Some(FORCE);
        f.add(3, "P1", force, FWW, DATE)
            .add(1, "P1", force, WW, DATE)
            .add(1, "SP1", force, FWW, DATE)
            .add(3, "SP1", force, WW, DATE);
        let r = find(&run(&f, 4), FORCE).clone();
        assert_eq!(r.finding, Finding::NoDifference);
        let dif = r.shown.unwrap().difference.unwrap();
        assert!(close(dif.p_value, 34.0 / 70.0, 1e-12));
        let rr = dif.ratio.unwrap();
        assert!(close(rr.low, 0.5013, 1e-4), "{rr:?}");
        assert!(close(rr.high, 17.954, 1e-3), "{rr:?}");
    }

    #[test]
    fn one_group_with_no_serious_sanction_has_no_ratio_and_the_test_alone_decides() {
        // Staff 6 of 10, officers 0 of 10: P(x) = C(10,x) C(10,6-x) / C(20,6) = .. / 38760;
        // observed x=6: 210, as likely x=0: 210, every other table more likely: p = 420 /
        // 38760 = 0.010836.
        let mut f = Feed::default();
        let force = Some(FORCE);
        f.add(6, "S1", force, FWW, DATE)
            .add(4, "S1", force, WW, DATE)
            .add(10, "O1", force, WW, DATE);
        let r = find(&run(&f, 10), FORCE).clone();
        assert_eq!(r.finding, Finding::StaffMoreSerious);
        let dif = r.shown.unwrap().difference.unwrap();
        assert_eq!(dif.ratio, None);
        assert!(close(dif.p_value, 420.0 / 38_760.0, 1e-12));
    }

    #[test]
    fn a_category_with_too_few_in_a_group_is_suppressed_and_so_is_the_next_smallest() {
        let mut f = Feed::default();
        // use_of_force: 12 officers, 12 staff. confidentiality: 3 officers, 20 staff (under
        // the minimum of 10). honesty: 10 officers, 11 staff: the next smallest, hidden so
        // confidentiality cannot be had from `all` less the others.
        f.add(12, "O1", Some(FORCE), WW, DATE)
            .add(12, "S1", Some(FORCE), FWW, DATE)
            .add(3, "O1", Some("confidentiality"), FWW, DATE)
            .add(20, "S1", Some("confidentiality"), WW, DATE)
            .add(10, "O1", Some("honesty_and_integrity"), WW, DATE)
            .add(11, "S1", Some("honesty_and_integrity"), WW, DATE);
        let s = run(&f, 10);
        assert_eq!(find(&s, FORCE).finding, Finding::StaffMoreSerious);
        for hidden in ["confidentiality", "honesty_and_integrity"] {
            let r = find(&s, hidden);
            assert_eq!(r.finding, Finding::Suppressed, "{hidden}");
            assert_eq!(r.shown, None);
        }
        let all = find(&s, "all").shown.as_ref().unwrap();
        assert_eq!((all.officers.outcomes, all.staff.outcomes), (25, 43));
        // With one category only, nothing else to hide: the all row is that category and
        // is suppressed by its own count.
        let mut f = Feed::default();
        f.add(3, "O1", Some(FORCE), WW, DATE)
            .add(20, "S1", Some(FORCE), WW, DATE);
        let s = run(&f, 10);
        assert_eq!(find(&s, FORCE).finding, Finding::Suppressed);
        assert_eq!(find(&s, "all").finding, Finding::Suppressed);
        assert_eq!(compared(&s).compared, 23);
    }

    #[test]
    fn the_window_starts_on_the_day_twelve_months_before_and_ends_on_the_as_of_date() {
        let mut f = Feed::default();
        f.add(1, "O1", Some(FORCE), FWW, "2025-11-24")
            .add(1, "O1", Some(FORCE), FWW, AS_OF)
            .add(1, "O1", Some(FORCE), FWW, "2025-11-23");
        let s = run(&f, 1);
        let c = compared(&s);
        assert_eq!(c.compared, 2);
        assert_eq!(c.left_out.outside_window, 1);
        assert_eq!(s.window.from, d("2025-11-24"));
    }

    #[test]
    fn specials_count_as_officers_pcsos_as_staff_and_the_rest_are_counted_left_out() {
        let mut f = Feed::default();
        let force = Some(FORCE);
        f.add(1, "O1", force, FWW, DATE)
            .add(2, "SP1", force, WW, DATE)
            .add(3, "S1", force, FWW, DATE)
            .add(4, "P1", force, WW, DATE)
            // A leaver's sanction stands.
            .add(5, "L1", force, Some("dismissal"), DATE)
            .add(6, "V1", force, FWW, DATE)
            .add(7, "C1", force, FWW, DATE)
            .add(8, "NOBODY", force, FWW, DATE)
            // Blank sanction, blank category: not recorded.
            .add(9, "O1", force, None, DATE)
            .add(10, "s1", None, FWW, DATE)
            // Outside the window counts there whatever else is wrong with it.
            .add(11, "NOBODY", None, None, "2020-01-01");
        let s = run(&f, 1);
        let c = compared(&s);
        assert_eq!(
            c.left_out,
            LeftOut {
                outside_window: 11,
                not_on_roster: 8,
                other_roles: 13,
                not_recorded: 19,
            }
        );
        assert_eq!(c.compared, 15);
        let shown = find(&s, FORCE).shown.as_ref().unwrap();
        assert_eq!((shown.officers.outcomes, shown.officers.serious), (3, 1));
        assert_eq!((shown.staff.outcomes, shown.staff.serious), (12, 8));
        assert_eq!(shown.staff.by_sanction, [0, 4, 3, 0, 5]);
    }

    #[test]
    fn without_the_feed_or_its_columns_nothing_is_compared_and_the_page_is_told_why() {
        let persons = roster();
        let policy = IntegrityPolicy::built_in();
        let s = settings(10);
        let given = |misconduct, columns| {
            analyse(&Given {
                persons: &persons,
                misconduct,
                columns,
                policy: &policy,
                settings: &s,
                as_of: d(AS_OF),
            })
        };
        let feeds = crate::model::feeds::Feeds::of_night(&["misconduct"], &[], &["misconduct"]);
        let off = given(None, &COLUMNS);
        assert_eq!(off.reading, Reading::FeedNotRead);
        assert_eq!(
            off.not_read(&feeds).unwrap(),
            "not read: misconduct outcomes switched off (--no-misconduct tonight)"
        );
        assert!(off.rows().is_empty());
        let feed = Feed::default();
        let both = given(Some(&feed.0), &["outcome_ref"]);
        assert_eq!(
            both.not_read(&feeds).unwrap(),
            "not read: the misconduct feed has no breach_category or sanction column"
        );
        let one = given(Some(&feed.0), &["breach_category"]);
        assert_eq!(one.reading, Reading::NoColumns(vec!["sanction"]));
        assert_eq!(
            one.not_read(&feeds).unwrap(),
            "not read: the misconduct feed has no sanction column"
        );
        // Read with no outcome at all: every row is `none`, zero meaning checked.
        let read = given(Some(&feed.0), &COLUMNS);
        assert_eq!(read.not_read(&feeds), None);
        assert!(read.rows().iter().all(|r| r.finding == Finding::None));
    }
}
