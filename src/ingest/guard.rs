//! Feed guard: refuse an input that shrank suspiciously since the last committed run.
//!
//! Rejects catch broken rows; they cannot catch a file cut cleanly at a row boundary. Half a
//! roster parses perfectly and would turn half the vetting records into orphans (and, with
//! leaver detection downstream, half the workforce into exceptions). So the row counts of the
//! roster and the vetting export are compared with the last committed run's.

use super::{FileStats, Sources};
use crate::error::InputError;

/// The row count a file had in the last committed run.
#[derive(Debug, Clone)]
pub struct Previous {
    pub run_id: String,
    pub role: String,
    pub rows: usize,
}

/// Refuse when the roster or vetting file has more than `limit` (a share) fewer rows than before.
pub fn check_shrink(
    sources: &Sources,
    stats: &[(&'static str, FileStats); 3],
    previous: &[Previous],
    limit: f64,
) -> Result<(), InputError> {
    for (file, (role, st)) in sources.all().into_iter().zip(stats) {
        if !matches!(*role, "roster" | "vetting") {
            continue;
        }
        let Some(prev) = previous.iter().find(|p| p.role == *role) else {
            continue;
        };
        if prev.rows == 0 || st.rows >= prev.rows {
            continue;
        }
        let share = (prev.rows - st.rows) as f64 / prev.rows as f64;
        if share > limit {
            return Err(InputError::Shrunk {
                file: file.path.clone(),
                rows: st.rows,
                previous: prev.rows,
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
    use crate::ingest::SourceFile;
    use std::path::Path;

    fn sources() -> Sources {
        let f = |role| SourceFile::from_bytes(role, Path::new(role), vec![]);
        Sources {
            roster: f("roster"),
            posts: f("posts"),
            vetting: f("vetting"),
        }
    }

    fn stats(roster: usize, posts: usize, vetting: usize) -> [(&'static str, FileStats); 3] {
        let s = |rows| FileStats {
            rows,
            accepted: rows,
            rejected: 0,
        };
        [
            ("roster", s(roster)),
            ("posts", s(posts)),
            ("vetting", s(vetting)),
        ]
    }

    fn prev(role: &str, rows: usize) -> Previous {
        Previous {
            run_id: "20261123-01".into(),
            role: role.into(),
            rows,
        }
    }

    #[test]
    fn a_roster_that_lost_more_than_the_share_is_refused() {
        let p = [prev("roster", 1000), prev("vetting", 1000)];
        match check_shrink(&sources(), &stats(800, 10, 1000), &p, 0.1) {
            Err(InputError::Shrunk {
                rows: 800,
                previous: 1000,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
        assert!(
            check_shrink(&sources(), &stats(900, 10, 1000), &p, 0.1).is_ok(),
            "exactly 10% is allowed"
        );
        assert!(
            check_shrink(&sources(), &stats(1000, 10, 850), &p, 0.1).is_err(),
            "the vetting file too"
        );
        assert!(
            check_shrink(&sources(), &stats(5000, 10, 5000), &p, 0.1).is_ok(),
            "growth is fine"
        );
    }

    #[test]
    fn the_first_run_and_the_post_register_are_not_guarded() {
        assert!(check_shrink(&sources(), &stats(1, 1, 1), &[], 0.1).is_ok());
        let p = [prev("posts", 100)];
        assert!(check_shrink(&sources(), &stats(10, 1, 10), &p, 0.1).is_ok());
    }
}
