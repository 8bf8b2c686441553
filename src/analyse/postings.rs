//! Postings before they start: tonight's future postings counted by where they stand
//! against the horizon and what POSTING_NOT_CLEARED found for them
//! (`assess::prevention::posting::review`, the rule's own reading).

use crate::assess::prevention::posting::{review, Finding, When};
use crate::assess::Facts;

/// The counts of a night whose postings feed was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Every posting in the feed.
    pub all: usize,
    /// Starting from the as-of date to the end of the horizon: the ones checked.
    pub within: usize,
    /// Started before the as-of date.
    pub started: usize,
    /// Starting after the horizon.
    pub beyond: usize,
    /// Within the horizon, and the person will hold the level on the start date.
    pub cleared: usize,
    /// Within the horizon, into a post that requires no level.
    pub no_requirement: usize,
    /// Within the horizon and raised (POSTING_NOT_CLEARED rows), of which the next three.
    pub not_cleared: usize,
    /// Raised, into a designated post.
    pub designated: usize,
    /// Raised, for someone not on tonight's roster.
    pub joiners: usize,
    /// Raised, into a post not in the register.
    pub unknown_post: usize,
}

/// The section's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Postings {
    pub horizon_days: i64,
    /// None when the postings feed was not read.
    pub counts: Option<Counts>,
}

pub fn postings(facts: &Facts<'_>) -> Postings {
    let counts = review(facts).map(|all| {
        let mut c = Counts {
            all: all.len(),
            ..Counts::default()
        };
        for r in &all {
            match r.when {
                When::Started => c.started += 1,
                When::Beyond => c.beyond += 1,
                When::Within => c.within += 1,
            }
            match r.finding {
                Some(Finding::Cleared) => c.cleared += 1,
                Some(Finding::NoRequirement) => c.no_requirement += 1,
                Some(Finding::NotCleared | Finding::UnknownPost) => {
                    c.not_cleared += 1;
                    c.designated += usize::from(r.designated);
                    c.joiners += usize::from(r.joiner);
                    c.unknown_post += usize::from(r.finding == Some(Finding::UnknownPost));
                }
                None => {}
            }
        }
        c
    });
    Postings {
        horizon_days: facts.prevention.policy.posting_horizon_days,
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::prevention::PreventionFacts;
    use crate::model::prevention::{Posting, PreventionPolicy};
    use crate::testkit::*;

    fn posting(posting_ref: &str, employee_id: &str, post_id: &str, days: i64) -> Posting {
        Posting {
            posting_ref: posting_ref.into(),
            employee_id: employee_id.into(),
            post_id: post_id.into(),
            start_date: d(AS_OF) + chrono::Duration::days(days),
            line: 2,
        }
    }

    #[test]
    fn postings_are_counted_by_horizon_and_finding_with_the_raised_split() {
        let mut w = World::new();
        let p = w.staff("RVPOST");
        w.granted(p, "RV", "2030-01-01");
        w.posts.push(crate::model::Post {
            post_id: "NOREQ".into(),
            title: String::new(),
            department: String::new(),
            required_level: None,
            designated: false,
            vulnerable_contact: false,
            revet_on_appointment: false,
        });
        let feed = [
            posting("A", "E0", "RVPOST", 5),  // cleared
            posting("B", "E0", "DESIG", 5),   // raised, designated
            posting("C", "N1", "DESIG", 50),  // raised, designated, joiner
            posting("D", "N2", "NOPOST", 50), // raised, joiner, unknown post
            posting("E", "E0", "NOREQ", 5),   // no requirement
            posting("F", "E0", "DESIG", -3),  // started
            posting("G", "E0", "DESIG", 120), // beyond
        ];
        let policy = PreventionPolicy::default();
        let facts = w.facts().with_prevention(PreventionFacts {
            postings: Some(&feed),
            conditions: None,
            policy: &policy,
        });
        let got = postings(&facts);
        assert_eq!(got.horizon_days, 90);
        assert_eq!(
            got.counts,
            Some(Counts {
                all: 7,
                within: 5,
                started: 1,
                beyond: 1,
                cleared: 1,
                no_requirement: 1,
                not_cleared: 3,
                designated: 2,
                joiners: 2,
                unknown_post: 1,
            })
        );
        // The raised count is the rule's own rows.
        let rows = crate::assess::prevention::posting::check(&facts);
        assert_eq!(rows.len(), 3);
        assert_eq!(postings(&w.facts()).counts, None);
    }
}
