//! summary.txt: the morning overview. Counts only, no personal data and no wall-clock time
//! (the same run always renders the same summary).

use super::RunInfo;
use crate::assess::{Code, Exception};
use crate::ingest::FileStats;
use crate::store::LinkCounts;
use std::fmt::Write;

/// What summary.txt reports on.
pub struct Summary<'a> {
    pub info: &'a RunInfo,
    pub stats: &'a [(&'a str, FileStats)],
    pub links: &'a LinkCounts,
    /// Given when the night had PND returns.
    pub pnd_links: Option<&'a LinkCounts>,
    /// The misconduct and circumstances feeds given, with their rows that match no one.
    pub unmatched: &'a [(&'a str, usize)],
    pub rows: &'a [Exception],
    /// The optional feeds not read, for the feeds block.
    pub feeds: &'a crate::model::feeds::Feeds,
    /// The codes not checked tonight, with why (`Morning::unchecked_codes`): they say so
    /// instead of a count.
    pub unchecked: &'a [(Code, String)],
    /// Joiners-movers-leavers actions open tonight and how many of them overdue; None when
    /// there was no earlier roster to compare with.
    pub jml: Option<(usize, usize)>,
}

/// summary.txt.
pub fn render(x: &Summary<'_>) -> Vec<u8> {
    let Summary {
        info,
        stats,
        links,
        pnd_links,
        unmatched,
        rows,
        feeds,
        unchecked,
        jml,
    } = *x;
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
    if feeds.says_what_was_not_checked() {
        let _ = writeln!(s, "\noptional feeds");
        for role in crate::ingest::TRIGGER_ROLES {
            let state = match feeds.not_read(role) {
                Some(off) => crate::model::feeds::not_read_text(role, off),
                None => "read".to_string(),
            };
            let _ = writeln!(s, "  {role:<14} {state}");
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
        match unchecked.iter().find(|(c, _)| *c == code) {
            Some((_, why)) => {
                let _ = writeln!(s, "  {:<26} {why}", code.as_str());
            }
            None => {
                let _ = writeln!(s, "  {:<26} {n:>7}", code.as_str());
            }
        }
    }
    let _ = writeln!(s, "  {:<26} {:>7}", "total", rows.len());
    let _ = writeln!(s, "\njoiners, movers and leavers");
    match jml {
        Some((open, overdue)) => {
            let _ = writeln!(s, "  {:<26} {open:>7}", "open actions");
            let _ = writeln!(s, "  {:<26} {overdue:>7}", "overdue");
        }
        None => {
            let _ = writeln!(s, "  no earlier roster to compare with");
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::feeds::{Feeds, Off};

    fn summary(feeds: &Feeds, unchecked: &[(Code, String)]) -> String {
        let info = RunInfo {
            run_id: "20261124-01".into(),
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            version: "test".into(),
            inputs: vec![],
        };
        let bytes = render(&Summary {
            info: &info,
            stats: &[],
            links: &LinkCounts::default(),
            pnd_links: None,
            unmatched: &[],
            rows: &[],
            feeds,
            unchecked,
            jml: None,
        });
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn a_feed_not_read_says_so_and_a_night_stored_before_reads_as_it_did() {
        let all = ["pnd_returns", "misconduct", "circumstances"];
        let feeds = Feeds::of_night(&all, &["misconduct", "circumstances"], &[]);
        let why = crate::model::feeds::not_read_text("pnd_returns", Off::NotConfigured);
        let text = summary(&feeds, &[(Code::PndUnreviewed, why.clone())]);
        assert!(
            text.contains(&format!("  pnd_returns    {why}\n")),
            "{text}"
        );
        assert!(text.contains("  misconduct     read\n"), "{text}");
        assert!(
            text.contains(&format!("  PND_UNREVIEWED             {why}\n")),
            "{text}"
        );
        assert!(
            text.contains("  MISCONDUCT_REVIEW_DUE            0\n"),
            "{text}"
        );
        // A night stored before the record kept its feeds replays as that version wrote it.
        let old = summary(&Feeds::default(), &[]);
        assert!(!old.contains("optional feeds"), "{old}");
        assert!(
            old.contains("  PND_UNREVIEWED                   0\n"),
            "{old}"
        );
    }
}
