//! `vetrecon runs` and `vetrecon show RUN`: the run list and one run's record, in words.

use crate::history::text::put;
use crate::store::RunView;
use std::collections::BTreeSet;

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

/// The run list, in date order (`history::in_date_order`), whatever order it is given in.
pub fn list(runs: &[RunView]) -> String {
    let runs = super::in_date_order(runs.to_vec());
    let mut s = String::new();
    put!(
        &mut s,
        "{:<12} {:<10} {:<20} {:<26} {:>10}  counts",
        "run_id",
        "as_of",
        "finished_at",
        "status",
        "exceptions"
    );
    for r in &runs {
        put!(
            &mut s,
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
    put!(&mut s, "run          {}", rec.run_id);
    put!(&mut s, "as of        {}", rec.as_of);
    put!(&mut s, "status       {}", r.status());
    if let Some(old) = &rec.supersedes {
        put!(&mut s, "supersedes   {old}");
    }
    put!(&mut s, "started      {}", rec.started_at);
    put!(&mut s, "finished     {}", rec.finished_at);
    put!(&mut s, "version      vetrecon {}", rec.version);
    put!(&mut s, "chain        entry {} hash {}", r.seq, r.hash);
    put!(
        &mut s,
        "config       {}  {}",
        rec.config.sha256,
        rec.config.name
    );
    if let Some(how) = &rec.config_source {
        put!(&mut s, "config from  {how}");
    }
    for f in &rec.config_files {
        put!(&mut s, "config file  {}  {}", f.sha256, f.name);
    }
    if let Some(e) = &rec.effective_config {
        put!(
            &mut s,
            "effective    {}  every key in force, defaults included (replay reads this)",
            e.sha256
        );
    }
    put!(
        &mut s,
        "decisions    {}  {} in force",
        rec.decisions.sha256,
        rec.decisions_in_force
    );
    if let Some(q) = &rec.qa_verdicts {
        put!(&mut s, "qa verdicts  {}  {} in force", q.sha256, q.in_force);
    }
    if let Some(j) = &rec.jml {
        put!(&mut s, "jml roster   {}  {} people", j.roster, j.people);
        put!(&mut s, "jml actions  {}  {} open", j.actions, j.open);
        put!(
            &mut s,
            "jml closings {}  {} in force",
            j.closings,
            j.closings_in_force
        );
    }
    put!(&mut s);
    put!(
        &mut s,
        "inputs       sha256{:59}rows  accepted  rejected  path",
        ""
    );
    for i in &rec.inputs {
        let mark = if pruned.contains(&i.sha256) {
            "  (payload pruned)"
        } else {
            ""
        };
        put!(
            &mut s,
            "  {:<10} {}  {:>7} {:>9} {:>9}  {}{mark}",
            i.role,
            i.sha256,
            i.rows,
            i.accepted,
            i.rejected,
            i.path
        );
    }
    // When each file was last changed before the run read it. Kept here and in the
    // log, never on an output (a copied file would give the same data a different page).
    if rec.inputs.iter().any(|i| i.modified.is_some()) {
        put!(
            &mut s,
            "file times   modification time when read (UTC); on no output"
        );
        for i in &rec.inputs {
            put!(
                &mut s,
                "  {:<10} {}",
                i.role,
                i.modified.as_deref().unwrap_or("unknown")
            );
        }
    }
    put!(&mut s);
    put!(&mut s, "outputs");
    for o in &rec.outputs {
        put!(&mut s, "  {:<15} {}", o.name, o.sha256);
    }
    match (&rec.link_record, &rec.links_detail) {
        (Some(l), _) => put!(
            &mut s,
            "  {:<15} {}  (stored only: figures, and {} buckets; links.csv is rendered from it)",
            "link record",
            l.figures,
            l.buckets.len()
        ),
        (None, Some(l)) => put!(&mut s, "  {:<15} {}  (stored only)", "links.csv", l.sha256),
        (None, None) => {}
    }
    let l = &rec.links;
    put!(&mut s);
    put!(
        &mut s,
        "links        auto_link {}  confirmed {}  review {}  ambiguous {}  no_match {}  (prior {:.2} bits{})",
        l.auto_link, l.confirmed, l.review, l.ambiguous, l.no_match, rec.prior_bits,
        rec.match_share.map_or(String::new(), |s| format!(", match share {s:.4}"))
    );
    if !rec.learnt_m.is_empty() {
        put!(
            &mut s,
            "model        m learnt tonight by EM (linking.learn_m); u from the table, date of birth's from tonight's dates"
        );
        m_table(&mut s, &rec.learnt_m);
    }
    if !rec.learnt_m_widened.is_empty() {
        put!(
            &mut s,
            "  second pass: m learnt again once the first pass's links widened the roster"
        );
        m_table(&mut s, &rec.learnt_m_widened);
    }
    if !rec.lookalike_bits.is_empty() {
        put!(
            &mut s,
            "  look-alikes  {} patterns of surname/forenames/date of birth corrected, most: {}",
            rec.lookalike_bits.len(),
            {
                let mut v: Vec<(&String, &f64)> = rec.lookalike_bits.iter().collect();
                v.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
                v.iter()
                    .take(3)
                    .map(|(k, b)| format!("{k} -{b:.2}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
    }
    put!(&mut s);
    put!(&mut s, "exceptions   {}", rec.exceptions);
    for (code, n) in &rec.counts {
        match crate::assess::Code::feed_of(code).filter(|f| !rec.read_feed(f)) {
            Some(feed) => put!(
                &mut s,
                "  {code:<26} not read ({feed}: {})",
                rec.feeds()
                    .not_read(feed)
                    .map_or_else(|| "not given".to_string(), |off| off.text(feed))
            ),
            None => put!(&mut s, "  {code:<26} {n:>7}"),
        }
    }
    s
}

/// One line per field of a learnt m table ("field.level" keys): each level's m.
fn m_table(s: &mut String, table: &std::collections::BTreeMap<String, f64>) {
    let mut field = "";
    let mut line = String::new();
    for (key, m) in table {
        let (f, level) = key.split_once('.').unwrap_or((key, ""));
        if f != field {
            if !line.is_empty() {
                put!(s, "{line}");
            }
            line = format!("  m {f:<13}");
            field = f;
        }
        line.push_str(&format!(" {level} {m:.4}"));
    }
    if !line.is_empty() {
        put!(s, "{line}");
    }
}
