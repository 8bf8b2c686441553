//! summary.txt: the morning overview. Counts only, no personal data and no wall-clock time
//! (the same run always renders the same summary).

use super::RunInfo;
use crate::assess::{Code, Exception};
use crate::ingest::FileStats;
use crate::store::LinkCounts;
use std::fmt::Write;

pub fn render(
    info: &RunInfo,
    stats: &[(&str, FileStats)],
    links: &LinkCounts,
    rows: &[Exception],
) -> Vec<u8> {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "vetrecon {} run {} as of {}",
        info.version, info.run_id, info.as_of
    );
    let _ = writeln!(s, "\ninputs            rows  accepted  rejected");
    for (name, st) in stats {
        let _ = writeln!(
            s,
            "  {name:<12} {:>7} {:>9} {:>9}",
            st.rows, st.accepted, st.rejected
        );
    }
    let _ = writeln!(s, "\nvetting records linked");
    for (name, n) in [
        ("auto_link", links.auto_link),
        ("confirmed", links.confirmed),
        ("review", links.review),
        ("ambiguous", links.ambiguous),
        ("no_match", links.no_match),
    ] {
        let _ = writeln!(s, "  {name:<26} {n:>7}");
    }
    let _ = writeln!(s, "\nexceptions");
    for code in Code::ALL {
        let n = rows.iter().filter(|e| e.code == code).count();
        let _ = writeln!(s, "  {:<26} {n:>7}", code.as_str());
    }
    let _ = writeln!(s, "  {:<26} {:>7}", "total", rows.len());
    s.into_bytes()
}

/// Exceptions per code, every code present.
pub fn counts(rows: &[Exception]) -> std::collections::BTreeMap<String, usize> {
    Code::ALL
        .iter()
        .map(|c| {
            (
                c.as_str().to_string(),
                rows.iter().filter(|e| e.code == *c).count(),
            )
        })
        .collect()
}
