//! summary.txt: the morning overview. Counts only, no personal data and no wall-clock time
//! (the same run always renders the same summary).

use super::RunInfo;
use crate::assess::{Code, Exception};
use crate::ingest::FileStats;
use crate::store::LinkCounts;
use std::fmt::Write;

/// summary.txt. `pnd_links` is given when the night had PND returns; `unmatched` holds the
/// misconduct and circumstances feeds given, with their rows that match no one.
pub fn render(
    info: &RunInfo,
    stats: &[(&str, FileStats)],
    links: &LinkCounts,
    pnd_links: Option<&LinkCounts>,
    unmatched: &[(&str, usize)],
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
    let _ = writeln!(s, "\ninput files (SHA-256)");
    for i in &info.inputs {
        let _ = writeln!(s, "  {:<14} {}  {}", i.role, i.sha256, i.name);
    }
    let mut linked = vec![("vetting records linked", links)];
    linked.extend(pnd_links.map(|p| ("PND returns linked", p)));
    for (title, l) in linked {
        let _ = writeln!(s, "\n{title}");
        for (name, n) in [
            ("auto_link", l.auto_link),
            ("confirmed", l.confirmed),
            ("review", l.review),
            ("ambiguous", l.ambiguous),
            ("no_match", l.no_match),
        ] {
            let _ = writeln!(s, "  {name:<26} {n:>7}");
        }
    }
    if !unmatched.is_empty() {
        let _ = writeln!(s, "\nreview-trigger rows matching no one on the roster");
        for (role, n) in unmatched {
            let _ = writeln!(s, "  {role:<26} {n:>7}");
        }
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
