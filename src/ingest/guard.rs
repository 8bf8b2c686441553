//! Feed guards: refuse an input that changed suspiciously since the last committed run.
//!
//! Rejects catch broken rows; they cannot catch a file cut cleanly at a row boundary. Half a
//! roster parses perfectly and would turn half the vetting records into orphans (and, with
//! leaver detection downstream, half the workforce into exceptions). So the row counts of the
//! roster and the vetting export are compared with the last committed run's. A changed
//! header is the other sign of an export nobody checked: a column renamed by an HR system
//! upgrade may now map onto nothing (an optional column silently blank for everyone) or onto
//! the wrong thing. Both are refused until an operator says the change is real
//! (`--accept-change`).

use super::FileStats;
use crate::error::InputError;
use crate::store::RunRecord;
use std::path::Path;

/// One input file as tonight's run read it.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    pub role: &'a str,
    pub path: &'a Path,
    pub stats: FileStats,
    /// Header cells as the file wrote them.
    pub header: &'a [String],
}

/// What a file looked like in the last committed run.
#[derive(Debug, Clone)]
pub struct Previous {
    pub run_id: String,
    pub role: String,
    pub rows: usize,
    /// Rows it yielded (data lines less rejects and the lines broken rows took in).
    pub accepted: usize,
    /// Header cells; empty for runs committed before the header was recorded.
    pub columns: Vec<String>,
}

/// The files of the last committed run, as the guards compare against them.
pub fn previous(last: Option<&RunRecord>) -> Vec<Previous> {
    let Some(r) = last else {
        return Vec::new();
    };
    r.inputs
        .iter()
        .map(|i| Previous {
            run_id: r.run_id.clone(),
            role: i.role.clone(),
            rows: i.rows,
            accepted: i.accepted,
            columns: i.columns.clone(),
        })
        .collect()
}

/// Every guard finding, in file order: a shrunk roster or vetting file, then a changed
/// header on any input (the three files and every review-trigger feed given).
pub fn check(seen: &[Seen<'_>], previous: &[Previous], limit: f64) -> Vec<InputError> {
    let mut found: Vec<InputError> = check_shrink(seen, previous, limit)
        .err()
        .into_iter()
        .collect();
    for file in seen {
        let Some(prev) = previous.iter().find(|p| p.role == file.role) else {
            continue;
        };
        if let Some(change) = header_change(&prev.columns, file.header) {
            found.push(InputError::HeaderChanged {
                file: file.path.to_path_buf(),
                run_id: prev.run_id.clone(),
                change,
            });
        }
    }
    found
}

/// How `now` differs from `before` (names compared without regard to case), in words; `None`
/// when they are the same or there is nothing recorded to compare with.
pub fn header_change(before: &[String], now: &[String]) -> Option<String> {
    if before.is_empty() {
        return None;
    }
    let low = |v: &[String]| -> Vec<String> { v.iter().map(|c| c.to_lowercase()).collect() };
    let (b, n) = (low(before), low(now));
    if b == n {
        return None;
    }
    let quote = |v: Vec<&String>| {
        v.iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let added: Vec<&String> = now
        .iter()
        .zip(&n)
        .filter(|(_, l)| !b.contains(l))
        .map(|(c, _)| c)
        .collect();
    let removed: Vec<&String> = before
        .iter()
        .zip(&b)
        .filter(|(_, l)| !n.contains(l))
        .map(|(c, _)| c)
        .collect();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("new column {}", quote(added)));
    }
    if !removed.is_empty() {
        parts.push(format!("column {} gone", quote(removed)));
    }
    if parts.is_empty() {
        parts.push("the columns are in a different order".into());
    }
    Some(parts.join("; "))
}

/// The inputs whose rows are a register that does not empty overnight: the roster, the
/// vetting export, the conditions on clearances and the declarations. (The other feeds list
/// events, or postings that leave the file as they start, and may rightly shrink.)
pub const GUARDED: [&str; 4] = ["roster", "vetting", "conditions", "declarations"];

/// Refuse when a register (`GUARDED`) yielded more than `limit` (a share) fewer rows than
/// the last committed run's did. Rows yielded, not lines held: a quote left open keeps every
/// line in the file but turns hundreds of people into one reject, and the people are what a
/// night must not lose.
pub fn check_shrink(
    seen: &[Seen<'_>],
    previous: &[Previous],
    limit: f64,
) -> Result<(), InputError> {
    for file in seen {
        let st = &file.stats;
        if !GUARDED.contains(&file.role) {
            continue;
        }
        let Some(prev) = previous.iter().find(|p| p.role == file.role) else {
            continue;
        };
        if prev.accepted == 0 || st.accepted >= prev.accepted {
            continue;
        }
        let share = (prev.accepted - st.accepted) as f64 / prev.accepted as f64;
        if share > limit {
            return Err(InputError::Shrunk {
                file: file.path.to_path_buf(),
                rows: st.accepted,
                previous: prev.accepted,
                run_id: prev.run_id.clone(),
                share: share * 100.0,
                limit: limit * 100.0,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_HEADER: &[String] = &[];

    fn seen(role: &'static str, accepted: usize, header: &'static [String]) -> Seen<'static> {
        Seen {
            role,
            path: Path::new(role),
            stats: FileStats {
                rows: accepted,
                accepted,
                rejected: 0,
            },
            header,
        }
    }

    fn stats(roster: usize, posts: usize, vetting: usize) -> Vec<Seen<'static>> {
        vec![
            seen("roster", roster, NO_HEADER),
            seen("posts", posts, NO_HEADER),
            seen("vetting", vetting, NO_HEADER),
        ]
    }

    fn prev(role: &str, rows: usize) -> Previous {
        Previous {
            run_id: "20261123-01".into(),
            role: role.into(),
            rows,
            accepted: rows,
            columns: vec![],
        }
    }

    #[test]
    fn a_conditions_feed_cut_in_half_is_refused_and_a_postings_feed_may_empty() {
        let previous = vec![prev("conditions", 100), prev("postings", 100)];
        let postings = [seen("postings", 10, NO_HEADER)];
        assert!(check_shrink(&postings, &previous, 0.1).is_ok());
        let conditions = [seen("conditions", 50, NO_HEADER)];
        match check_shrink(&conditions, &previous, 0.1) {
            Err(InputError::Shrunk { rows, previous, .. }) => {
                assert_eq!((rows, previous), (50, 100))
            }
            other => panic!("{other:?}"),
        }
        assert!(check_shrink(&[seen("conditions", 95, NO_HEADER)], &previous, 0.1).is_ok());
    }

    fn cols(v: &[&str]) -> Vec<String> {
        v.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_changed_header_is_described_column_by_column() {
        let before = cols(&["employee_id", "surname", "ni_number"]);
        assert_eq!(
            header_change(&before, &cols(&["Employee_ID", "SURNAME", "ni_number"])),
            None
        );
        assert_eq!(
            header_change(&before, &cols(&["employee_id", "surname", "NI No"])).as_deref(),
            Some("new column `NI No`; column `ni_number` gone")
        );
        assert_eq!(
            header_change(&before, &cols(&["surname", "employee_id", "ni_number"])).as_deref(),
            Some("the columns are in a different order")
        );
        assert_eq!(
            header_change(
                &before,
                &cols(&["employee_id", "surname", "ni_number", "grade"])
            )
            .as_deref(),
            Some("new column `grade`")
        );
        assert_eq!(
            header_change(&[], &before),
            None,
            "nothing recorded: no guard"
        );
    }

    #[test]
    fn every_file_is_checked_and_every_finding_kept() {
        let mut p = vec![
            prev("roster", 1000),
            prev("posts", 10),
            prev("vetting", 1000),
        ];
        p[1].columns = cols(&["post_id", "title"]);
        p[2].columns = cols(&["vetting_ref"]);
        let headers: Vec<&'static [String]> = [
            cols(&["x"]),
            cols(&["post_id", "name"]),
            cols(&["vetting_ref"]),
        ]
        .into_iter()
        .map(|h| &*Vec::leak(h))
        .collect();
        let mut now = stats(500, 10, 1000);
        for (s, h) in now.iter_mut().zip(headers) {
            s.header = h;
        }
        let found = check(&now, &p, 0.1);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(matches!(found[0], InputError::Shrunk { rows: 500, .. }));
        assert_eq!(
            found[1].to_string(),
            "posts: the header changed since run 20261123-01: new column `name`; column `title` gone; nothing was committed"
        );
    }

    #[test]
    fn a_roster_that_lost_more_than_the_share_is_refused() {
        let p = [prev("roster", 1000), prev("vetting", 1000)];
        match check_shrink(&stats(800, 10, 1000), &p, 0.1) {
            Err(InputError::Shrunk {
                rows: 800,
                previous: 1000,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
        assert!(
            check_shrink(&stats(900, 10, 1000), &p, 0.1).is_ok(),
            "exactly 10% is allowed"
        );
        assert!(
            check_shrink(&stats(1000, 10, 850), &p, 0.1).is_err(),
            "the vetting file too"
        );
        assert!(
            check_shrink(&stats(5000, 10, 5000), &p, 0.1).is_ok(),
            "growth is fine"
        );
    }

    #[test]
    fn the_first_run_and_the_post_register_are_not_guarded() {
        assert!(check_shrink(&stats(1, 1, 1), &[], 0.1).is_ok());
        let p = [prev("posts", 100)];
        assert!(check_shrink(&stats(10, 1, 10), &p, 0.1).is_ok());
    }
}
