//! Designated-post coverage: how many designated posts and postholders there are, and what
//! share of the postholders hold a valid clearance at the designated level (MV), by
//! department. Inspections ask exactly this, and most forces could not answer it.

use crate::assess::Facts;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CoverageRow {
    pub department: String,
    pub designated_posts: usize,
    /// People in the workforce (not leavers) whose post is designated.
    pub postholders: usize,
    /// Of those, holding a valid clearance that meets the designated level.
    pub cleared: usize,
}

impl CoverageRow {
    /// Share of postholders cleared (None with no postholders).
    pub fn share(&self) -> Option<f64> {
        (self.postholders > 0).then(|| self.cleared as f64 / self.postholders as f64)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// The level designated posts need (MV by default).
    pub level: String,
    /// One row per department with a designated post, by department name.
    pub departments: Vec<CoverageRow>,
    pub total: CoverageRow,
}

const NO_DEPARTMENT: &str = "(no department)";

pub fn coverage(facts: &Facts<'_>) -> Coverage {
    let designated = facts.levels.designated();
    let mut by: BTreeMap<String, CoverageRow> = BTreeMap::new();
    let dept = |d: &str| {
        if d.trim().is_empty() {
            NO_DEPARTMENT.to_string()
        } else {
            d.trim().to_string()
        }
    };
    for post in facts.posts.iter().filter(|p| p.designated) {
        let name = dept(&post.department);
        by.entry(name.clone())
            .or_insert_with(|| CoverageRow {
                department: name,
                ..CoverageRow::default()
            })
            .designated_posts += 1;
    }
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
        let row = by.entry(dept(&post.department)).or_default();
        row.postholders += 1;
        let cleared = facts
            .records_of(pi)
            .any(|(_, v)| facts.is_valid(v) && facts.levels.satisfies(v.level, designated));
        row.cleared += usize::from(cleared);
    }
    let mut total = CoverageRow {
        department: "All departments".into(),
        ..CoverageRow::default()
    };
    for r in by.values() {
        total.designated_posts += r.designated_posts;
        total.postholders += r.postholders;
        total.cleared += r.cleared;
    }
    Coverage {
        level: facts.levels.name(designated).to_string(),
        departments: by.into_values().collect(),
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::Decision;
    use crate::model::{EmploymentStatus, RoleType, VettingStatus};
    use crate::testkit::*;

    #[test]
    fn counts_posts_holders_and_valid_mv_per_department() {
        let mut w = World::new();
        w.posts[1].department = "Intelligence".into(); // DESIG
        let mut second = w.posts[1].clone();
        second.post_id = "DESIG2".into();
        second.department = "Intelligence".into();
        w.posts.push(second);
        let a = w.staff("DESIG");
        w.granted(a, "MV", "2030-01-01"); // cleared
        let b = w.staff("DESIG");
        w.granted(b, "RV", "2030-01-01"); // RV does not meet MV
        let c = w.staff("DESIG2");
        w.granted(c, "MV", "2025-01-01"); // expired
        let e = w.staff("DESIG2");
        w.record(
            Some(e),
            Decision::Review,
            "MV",
            VettingStatus::Granted,
            "2030-01-01",
        ); // only a review candidate: not linked, not counted as cleared
        let l = w.person("DESIG", RoleType::Officer, EmploymentStatus::Leaver);
        w.granted(l, "MV", "2030-01-01"); // leavers are not postholders
        let r = w.staff("RVPOST");
        w.granted(r, "MV", "2030-01-01"); // not a designated post
        let cov = coverage(&w.facts());
        assert_eq!(cov.level, "MV");
        assert_eq!(cov.departments.len(), 1);
        let row = &cov.departments[0];
        assert_eq!(row.department, "Intelligence");
        assert_eq!(
            (row.designated_posts, row.postholders, row.cleared),
            (2, 4, 1)
        );
        assert_eq!(row.share(), Some(0.25));
        assert_eq!(cov.total.postholders, 4);
    }
}
