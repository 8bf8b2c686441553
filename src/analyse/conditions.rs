//! Conditions on clearances, condition by condition: the page's section and
//! condition_status.csv. Each condition is read through the same steps as the CONDITION_
//! rules (`assess::prevention::condition`), so the figures and the exception rows agree:
//! the conditions breached are the CONDITION_BREACHED rows, those past their review the
//! CONDITION_REVIEW_DUE rows.

use crate::assess::prevention::condition::{self, Review};
use crate::assess::prevention::condition_owner::mitigated_without_condition;
use crate::assess::Facts;
use crate::model::prevention::ReviewPeriod;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One condition's standing tonight: the most serious that applies, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// A live posting restriction whose person holds a post it covers.
    Breached,
    /// Live and past its review date (or never checked).
    ReviewDue,
    /// Live, neither of those, with no owning unit.
    NoOwner,
    /// Live, nothing to do.
    Ok,
    /// Its vetting_ref names no vetting record tonight.
    NoRecord,
    /// Its record is neither granted nor suspended (refused, withdrawn, pending, lapsed).
    NotLive,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Breached => "breached",
            Status::ReviewDue => "review_due",
            Status::NoOwner => "no_owner",
            Status::Ok => "ok",
            Status::NoRecord => "no_record",
            Status::NotLive => "not_live",
        }
    }
}

/// One condition from the feed, as tonight finds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub condition_ref: String,
    /// The vetting_ref the feed gives.
    pub vetting_ref: String,
    /// The person its record is linked to (automatically or confirmed); "" for none.
    pub employee_id: String,
    pub kind: Arc<str>,
    pub owner_unit: Option<Arc<str>>,
    pub review_every: Option<ReviewPeriod>,
    pub last_checked: Option<NaiveDate>,
    /// When a live condition with a period falls due (None: not live, no period, never
    /// checked with no decision date, or past the calendar's end).
    pub review_due: Option<NaiveDate>,
    pub status: Status,
    /// Breached (a CONDITION_BREACHED row).
    pub breached: bool,
    /// Days past its review date, 0 for never checked (a CONDITION_REVIEW_DUE row).
    pub overdue: Option<i64>,
    /// Live with no owner_unit (named by a CONDITION_NO_OWNER row).
    pub ownerless: bool,
    /// Live with no review period.
    pub no_period: bool,
    pub detail: String,
}

/// Tonight's conditions (`None` on the page when the feed was not read).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conditions {
    /// Every condition in the feed, by condition_ref.
    pub rows: Vec<Row>,
    /// The configured types and owning units, in config order.
    pub types: Vec<Arc<str>>,
    pub owners: Vec<Arc<str>>,
    /// Grants relying on a risk mitigation no condition in the feed holds (CONDITION_NO_OWNER
    /// rows of that kind).
    pub mitigated_without_condition: usize,
}

impl Conditions {
    pub fn live(&self) -> impl Iterator<Item = &Row> {
        self.rows
            .iter()
            .filter(|r| !matches!(r.status, Status::NoRecord | Status::NotLive))
    }

    pub fn count(&self, status: Status) -> usize {
        self.rows.iter().filter(|r| r.status == status).count()
    }

    pub fn breached(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.breached)
    }

    /// The conditions past their review, most days overdue first (then by reference).
    pub fn due(&self) -> Vec<&Row> {
        let mut v: Vec<&Row> = self.rows.iter().filter(|r| r.overdue.is_some()).collect();
        v.sort_by(|a, b| (b.overdue, &a.condition_ref).cmp(&(a.overdue, &b.condition_ref)));
        v
    }

    /// Live conditions of `kind` owned by `owner` (`None`: no owner).
    pub fn live_of(&self, kind: &str, owner: Option<&str>) -> usize {
        self.live()
            .filter(|r| &*r.kind == kind && r.owner_unit.as_deref() == owner)
            .count()
    }
}

/// Every condition of the feed, or `None` when the feed was not read tonight.
pub fn analyse(facts: &Facts<'_>) -> Option<Conditions> {
    let conditions = facts.prevention.conditions?;
    let mut rows: Vec<Row> = condition::follow(facts, conditions)
        .iter()
        .map(|f| row(facts, f))
        .collect();
    rows.sort_by(|a, b| a.condition_ref.cmp(&b.condition_ref));
    let policy = facts.prevention.policy;
    Some(Conditions {
        rows,
        types: policy.condition_types.clone(),
        owners: policy.owner_units.clone(),
        mitigated_without_condition: mitigated_without_condition(facts, conditions).len(),
    })
}

fn row(facts: &Facts<'_>, f: &condition::Followed<'_>) -> Row {
    let c = f.condition;
    let mut r = Row {
        condition_ref: c.condition_ref.clone(),
        vetting_ref: c.vetting_ref.clone(),
        employee_id: (f.person)
            .map(|p| facts.person(p).employee_id.clone())
            .unwrap_or_default(),
        kind: c.kind.clone(),
        owner_unit: c.owner_unit.clone(),
        review_every: c.review_every,
        last_checked: c.last_checked,
        review_due: None,
        status: Status::NoRecord,
        breached: false,
        overdue: None,
        ownerless: false,
        no_period: false,
        detail: format!("no vetting record {} tonight", c.vetting_ref.trim()),
    };
    let Some(vi) = f.record else { return r };
    let v = facts.record(vi);
    if !condition::is_live(v) {
        r.status = Status::NotLive;
        r.detail = format!(
            "its record {} is {}, so the condition is not live",
            v.vetting_ref, v.status
        );
        return r;
    }
    let review = condition::review(c, v);
    if let Review::On(due) = review {
        r.review_due = due;
    }
    r.no_period = review == Review::NoPeriod;
    r.overdue = condition::overdue(facts, c, v);
    r.ownerless = c.owner_unit.is_none();
    let breach = condition::breached_in(facts, f);
    r.breached = breach.is_some();
    let mut said = Vec::new();
    if let Some(post) = breach {
        said.push(condition::breach_text(c, post));
    }
    if r.overdue.is_some() {
        said.push(condition::review_text(facts, c, v));
    }
    if r.ownerless {
        said.push("no owning unit".into());
    }
    r.status = if r.breached {
        Status::Breached
    } else if r.overdue.is_some() {
        Status::ReviewDue
    } else if r.ownerless {
        Status::NoOwner
    } else {
        Status::Ok
    };
    if said.is_empty() {
        said.push(match r.review_due {
            Some(due) => format!("next review due {due}"),
            None if r.no_period => "no review period".into(),
            None => "no review date within the calendar".into(),
        });
    } else if r.no_period {
        said.push("no review period".into());
    }
    r.detail = said.join("; ");
    r
}

/// Live conditions by type (rows, config order) and owning unit (columns, config order, then
/// no owner): the page's small table.
pub fn by_type_and_owner(c: &Conditions) -> BTreeMap<(usize, usize), usize> {
    let mut out = BTreeMap::new();
    for (ti, t) in c.types.iter().enumerate() {
        let owners = c.owners.iter().map(|o| Some(&**o)).chain([None]);
        for (oi, o) in owners.enumerate() {
            out.insert((ti, oi), c.live_of(t, o));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::prevention::PreventionFacts;
    use crate::link::Decision;
    use crate::model::prevention::{Condition, Restricts};
    use crate::model::VettingStatus;
    use crate::testkit::*;

    fn cond(r: &str, v: &str, kind: &str, owner: Option<&str>, every: Option<&str>) -> Condition {
        Condition {
            condition_ref: r.into(),
            vetting_ref: v.into(),
            kind: kind.into(),
            owner_unit: owner.map(Into::into),
            review_every: every.and_then(ReviewPeriod::parse),
            last_checked: Some(d("2026-06-01")),
            restricts: None,
            line: 2,
        }
    }

    #[test]
    fn each_condition_takes_the_most_serious_status_and_the_figures_count_each_finding() {
        let mut w = World::new();
        let p = w.staff("VULN");
        w.granted(p, "RV", "2030-01-01");
        w.record(
            None,
            Decision::NoMatch,
            "RV",
            VettingStatus::Refused,
            "2030-01-01",
        );
        let mut restriction = cond("C1", "V0", "posting_restriction", None, Some("3 months"));
        restriction.restricts = Some(Restricts::VulnerableContact);
        let conditions = [
            restriction,
            cond("C2", "V0", "finance_review", Some("hr"), Some("1 year")),
            cond("C3", "V0", "other", None, None),
            cond("C4", "V1", "other", Some("hr"), Some("1 month")),
            cond("C5", "V9", "other", Some("hr"), None),
            cond("C6", "V0", "it_monitoring", Some("hr"), Some("1 month")),
        ];
        let facts = w.facts().with_prevention(PreventionFacts {
            postings: None,
            conditions: Some(&conditions),
            policy: &w.policy.prevention,
        });
        let c = analyse(&facts).unwrap();
        let got: Vec<(&str, &str, Option<NaiveDate>, &str)> = (c.rows.iter())
            .map(|r| {
                (
                    r.condition_ref.as_str(),
                    r.status.as_str(),
                    r.review_due,
                    r.detail.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                // Checked 2026-06-01 every 3 months: due 2026-09-01, 84 days before 24 November.
                ("C1", "breached", Some(d("2026-09-01")), "restricts vulnerable_contact; now in post VULN (title VULN), a vulnerable-contact post; reviewed every 3 months, last checked 2026-06-01, review due 2026-09-01, 84 days overdue; no owning unit"),
                ("C2", "ok", Some(d("2027-06-01")), "next review due 2027-06-01"),
                ("C3", "no_owner", None, "no owning unit; no review period"),
                ("C4", "not_live", None, "its record V1 is refused, so the condition is not live"),
                ("C5", "no_record", None, "no vetting record V9 tonight"),
                // Due 2026-07-01: 146 days.
                ("C6", "review_due", Some(d("2026-07-01")), "reviewed every 1 month, last checked 2026-06-01, review due 2026-07-01, 146 days overdue"),
            ]
        );
        assert_eq!(c.breached().count(), 1);
        let due: Vec<(&str, Option<i64>)> = (c.due().into_iter())
            .map(|r| (r.condition_ref.as_str(), r.overdue))
            .collect();
        assert_eq!(due, [("C6", Some(146)), ("C1", Some(84))]);
        assert_eq!(c.rows.iter().filter(|r| r.ownerless).count(), 2);
        assert_eq!(c.rows.iter().filter(|r| r.no_period).count(), 1);
        assert_eq!(c.rows[0].employee_id, "E0");
        assert_eq!(c.rows[3].employee_id, "");
        assert_eq!(c.live().count(), 4);
        // Types in config order (finance_review first), owners in config order then none.
        let t = by_type_and_owner(&c);
        let hr = c.owners.iter().position(|o| &**o == "hr").unwrap();
        let none = c.owners.len();
        assert_eq!(t[&(0, hr)], 1, "finance_review / hr");
        let restriction_row = c
            .types
            .iter()
            .position(|t| &**t == "posting_restriction")
            .unwrap();
        assert_eq!(t[&(restriction_row, none)], 1);
        let other = c.types.iter().position(|t| &**t == "other").unwrap();
        assert_eq!(
            (t[&(other, none)], t[&(other, hr)]),
            (1, 0),
            "C4 is not live"
        );
    }

    #[test]
    fn no_conditions_figure_comes_from_a_feed_not_read() {
        let w = World::new();
        assert_eq!(analyse(&w.facts()), None);
    }
}
