//! `vetrecon runs` and `vetrecon show RUN`: the run list and one run's record, in words.

use crate::store::RunView;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Non-zero counts per code, `CODE=n` separated by spaces (`-` when there are none).
fn code_counts(r: &RunView) -> String {
    let parts: Vec<String> = r
        .record
        .counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(c, n)| format!("{c}={n}"))
        .collect();
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(" ")
    }
}

pub fn list(runs: &[RunView]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<12} {:<10} {:<20} {:<26} {:>10}  counts",
        "run_id", "as_of", "finished_at", "status", "exceptions"
    );
    for r in runs {
        let _ = writeln!(
            s,
            "{:<12} {:<10} {:<20} {:<26} {:>10}  {}",
            r.record.run_id,
            r.record.as_of,
            r.record.finished_at,
            r.status(),
            r.record.exceptions,
            code_counts(r)
        );
    }
    s
}

pub fn show(r: &RunView, pruned: &BTreeSet<String>) -> String {
    let rec = &r.record;
    let mut s = String::new();
    let _ = writeln!(s, "run          {}", rec.run_id);
    let _ = writeln!(s, "as of        {}", rec.as_of);
    let _ = writeln!(s, "status       {}", r.status());
    if let Some(old) = &rec.supersedes {
        let _ = writeln!(s, "supersedes   {old}");
    }
    let _ = writeln!(s, "started      {}", rec.started_at);
    let _ = writeln!(s, "finished     {}", rec.finished_at);
    let _ = writeln!(s, "version      vetrecon {}", rec.version);
    let _ = writeln!(s, "chain        entry {} hash {}", r.seq, r.hash);
    let _ = writeln!(s, "config       {}  {}", rec.config.sha256, rec.config.name);
    for f in &rec.config_files {
        let _ = writeln!(s, "config file  {}  {}", f.sha256, f.name);
    }
    let _ = writeln!(
        s,
        "decisions    {}  {} in force",
        rec.decisions.sha256, rec.decisions_in_force
    );
    let _ = writeln!(
        s,
        "\ninputs       sha256{:59}rows  accepted  rejected  path",
        ""
    );
    for i in &rec.inputs {
        let mark = if pruned.contains(&i.sha256) {
            "  (payload pruned)"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "  {:<10} {}  {:>7} {:>9} {:>9}  {}{mark}",
            i.role, i.sha256, i.rows, i.accepted, i.rejected, i.path
        );
    }
    let _ = writeln!(s, "\noutputs");
    for o in &rec.outputs {
        let _ = writeln!(s, "  {:<15} {}", o.name, o.sha256);
    }
    let _ = writeln!(
        s,
        "  {:<15} {}  (stored only)",
        "links.csv", rec.links_detail.sha256
    );
    let l = &rec.links;
    let _ = writeln!(
        s,
        "\nlinks        auto_link {}  confirmed {}  review {}  ambiguous {}  no_match {}  (prior {:.2} bits)",
        l.auto_link, l.confirmed, l.review, l.ambiguous, l.no_match, rec.prior_bits
    );
    let _ = writeln!(s, "\nexceptions   {}", rec.exceptions);
    for (code, n) in &rec.counts {
        let _ = writeln!(s, "  {code:<26} {n:>7}");
    }
    s
}
