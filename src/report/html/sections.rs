//! The report's summary sections: headline counts, designated-post coverage, changes, trend,
//! renewal forecast, disproportionality, data quality and the file list.

use super::{change, chart, count, long_date, percent, plural, severity, Morning};
use crate::analyse::disproportion::{
    p_text, reading, reading_at, reasons_line, Characteristic, Comparison, LaterStage, Stage,
};
use crate::assess::Code;
use maud::{html, Markup, PreEscaped};

pub fn headline(m: &Morning<'_>) -> Markup {
    let now = m.counts();
    let before = m.past.previous.as_ref().map(|p| &p.counts);
    let total: usize = now.values().sum();
    // The total's change over the codes both nights checked.
    let both = |c: &&Code| m.unchecked(**c).is_none() && m.checked_before(**c);
    let sum = |counts: &std::collections::BTreeMap<String, usize>| -> usize {
        Code::ALL
            .iter()
            .filter(both)
            .map(|c| counts.get(c.as_str()).copied().unwrap_or(0))
            .sum()
    };
    let total_before: Option<usize> = before.map(sum);
    // Codes by severity, most severe first; within a severity in the summaries' order.
    let mut codes: Vec<Code> = Code::ALL.to_vec();
    codes.sort_by_key(|c| std::cmp::Reverse(m.severity.get(c).copied()));
    let partial = Code::ALL.iter().any(|c| !both(&c));
    html! {
        (super::worklist::headline_sentence(m))
        (not_read_warning(m))
        div.cards {
            div.card { div.label { "Exceptions tonight" } div.big data-figure="total" { (count(total as u64)) } div { (change(sum(&now), total_before)) } }
            div.card { div.label { "Vetting records linked" } div.big { (count((m.link_counts.auto_link + m.link_counts.confirmed) as u64)) } div.note { "of " (count(m.data.vetting.len() as u64)) } }
            div.card { div.label { "Awaiting a link decision" } div.big { (count((m.link_counts.review + m.link_counts.ambiguous) as u64)) } }
            div.card { div.label { "Designated postholders with valid " (m.coverage.level) } div.big { (m.coverage.total.share().map(percent).unwrap_or_else(|| "–".into())) } }
        }
        @if let Some(p) = &m.past.previous {
            p.note { "Change is against run " (p.run_id) " as of " (p.as_of) "." }
        }
        table {
            thead { tr { th { "Severity" } th { "What" } th.n { "Tonight" } th.n { "Change" } th { "What to do" } } }
            tbody {
                @for code in codes {
                    @let n = now.get(code.as_str()).copied().unwrap_or(0);
                    @let b = before.map(|b| b.get(code.as_str()).copied().unwrap_or(0));
                    tr {
                        td { @if let Some(s) = m.severity.get(&code) { (severity(s.as_str())) } }
                        td { (code.label()) br; code.small { (code.as_str()) } }
                        @match m.unchecked(code) {
                            Some(why) => {
                                td.n.note data-figure={ "count:" (code.as_str()) } { "not read" }
                                td.n { "–" }
                                td.note { (why) ": not checked tonight, so no figure is given" }
                            }
                            None => {
                                td.n data-figure={ "count:" (code.as_str()) } { (count(n as u64)) }
                                @if m.checked_before(code) {
                                    td.n { (change(n, b)) }
                                } @else {
                                    td.n.note { "not compared (not read on the previous night)" }
                                }
                                td { (code.action()) }
                            }
                        }
                    }
                }
                tr.total { td { "Total" } td {} td.n { (count(total as u64)) } td.n { (change(sum(&now), total_before)) } td { @if partial { span.note { "change over the codes checked both nights" } } } }
            }
        }
    }
}

/// One line naming every optional feed tonight did not read: its figures below say so, not
/// zero. Nothing when every feed was read.
pub fn not_read_warning(m: &Morning<'_>) -> Markup {
    let unread: Vec<String> = m
        .feeds
        .unread()
        .map(|(role, off)| format!("{} {}", crate::model::feeds::describe(role), off.text(role)))
        .collect();
    html! {
        @if !unread.is_empty() {
            p.warning data-figure="feeds:not_read" {
                "Not checked tonight: " (unread.join("; ")) ". Their exceptions were not looked for: the figures that depend on them say \"not read\", never zero."
            }
        }
    }
}

pub fn designated(m: &Morning<'_>) -> Markup {
    let c = &m.coverage;
    let share = |r: &crate::analyse::coverage::CoverageRow| {
        r.share().map(percent).unwrap_or_else(|| "–".into())
    };
    html! {
        p {
            strong data-figure="designated:cleared" { (count(c.total.cleared as u64)) } " of "
            strong data-figure="designated:postholders" { (count(c.total.postholders as u64)) }
            " people in " strong data-figure="designated:posts" { (count(c.total.designated_posts as u64)) }
            " designated posts hold valid " (c.level) " (" (share(&c.total)) "). Everyone else in a designated post appears in the worklist."
        }
        @if c.departments.is_empty() {
            p.note { "The post register marks no post as designated." }
        } @else {
            table {
                thead { tr { th { "Department" } th.n { "Designated posts" } th.n { "Postholders" } th.n { "With valid " (c.level) } th.n { "Share" } } }
                tbody {
                    @for r in c.departments.iter().chain(std::iter::once(&c.total)) {
                        tr class=[(r.department == c.total.department).then_some("total")] {
                            td { (r.department) }
                            td.n { (count(r.designated_posts as u64)) }
                            td.n { (count(r.postholders as u64)) }
                            td.n { (count(r.cleared as u64)) }
                            td.n { (share(r)) }
                        }
                    }
                }
            }
        }
    }
}

/// Rows of a change list, at most `limit`.
fn change_rows(
    rows: &[(crate::history::diff::Key, crate::history::diff::Row)],
    limit: usize,
) -> Markup {
    html! {
        table {
            thead { tr { th { "Code" } th { "Severity" } th { "Employee" } th { "Vetting ref" } th { "Post" } } }
            tbody {
                @for ((code, emp, vref, post), row) in rows.iter().take(limit) {
                    tr { td { code { (code) } } td { (severity(&row.severity)) } td { (emp) } td { (vref) } td { (post) } }
                }
            }
        }
        @if rows.len() > limit { p.note { (count((rows.len() - limit) as u64)) " more in changes.csv." } }
    }
}

pub fn changes(m: &Morning<'_>) -> Markup {
    match (&m.changes, &m.past.previous) {
        (Some(d), Some(p)) => html! {
            p {
                "Against run " (p.run_id) " (as of " (p.as_of) "): "
                strong data-figure="changes:new" { (count(d.new.len() as u64)) } " new, "
                strong data-figure="changes:resolved" { (count(d.resolved.len() as u64)) } " resolved, "
                strong data-figure="changes:persisting" { (count(d.persisting.len() as u64)) } " persisting."
            }
            @if !d.not_checked.is_empty() {
                p.warning {
                    strong data-figure="changes:not_checked" { (count(d.not_checked.len() as u64)) }
                    " exceptions of run " (p.run_id) " are not checked tonight: tonight did not read the feed that raises them, so they are not resolved (change "
                    code { "not_checked" } " in changes.csv)."
                }
            }
            @if !d.not_checked_before.is_empty() {
                p.warning {
                    strong data-figure="changes:not_checked_before" { (count(d.not_checked_before.len() as u64)) }
                    " exceptions tonight were not checked by run " (p.run_id) ": it did not read the feed that raises them, so they may not be new (change "
                    code { "not_checked_before" } " in changes.csv)."
                }
            }
            @if !d.posting_started.is_empty() {
                p.warning {
                    strong data-figure="changes:posting_started" { (count(d.posting_started.len() as u64)) }
                    " postings of run " (p.run_id) " that lacked their clearance have started (or left the feed) without it: not resolved. From the start the post is judged by the clearance codes (change "
                    code { "posting_started" } " in changes.csv)."
                }
            }
            @if !d.new.is_empty() { h3 { "New" } (change_rows(&d.new, 25)) }
            @if !d.resolved.is_empty() { h3 { "Resolved" } (change_rows(&d.resolved, 25)) }
        },
        _ => {
            html! { p.note { "This is the first run in the store: there is nothing to compare with yet." } }
        }
    }
}

pub fn trend(m: &Morning<'_>) -> Markup {
    let nights = crate::report::analysis_csv::trend_points(m);
    let labels: Vec<String> = nights.iter().map(|n| n.as_of.clone()).collect();
    let series: Vec<(usize, Vec<Option<u32>>)> = Code::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let v: Vec<Option<u32>> = nights
                .iter()
                .map(|n| {
                    n.counts
                        .iter()
                        .find(|(code, _)| code == c.as_str())
                        .map_or(Some(0), |(_, k)| k.map(|k| k as u32))
                })
                .collect();
            (i, v)
        })
        .filter(|(_, v)| v.iter().any(|n| n.is_some_and(|n| n > 0)))
        .collect();
    if labels.len() < 2 {
        return html! { p.note { "The trend starts with the second run in the store. Figures: trend.csv." } };
    }
    html! {
        p.note {
            "Exceptions per code over the last " (plural(labels.len() as u64, "run", "runs")) ", oldest on the left. "
            @if m.feeds.says_what_was_not_checked() { "A night that did not read the feed a code comes from leaves a gap, not a zero. " }
            "Figures: trend.csv."
        }
        div.multiples data-figure="trend:charts" {
            @for (i, values) in &series {
                @let c = Code::ALL.get(*i).copied().unwrap_or(Code::NoClearance);
                figure.small data-series=(c.as_str()) {
                    (PreEscaped(chart::small_line(&format!("{} ({})", c.label(), c.as_str()), &labels, values)))
                    figcaption.note {
                        @match values.last().copied().flatten() {
                            Some(n) => { "now " strong { (count(n)) } }
                            None => { "now " strong { "not read" } " (" (m.unchecked(c).unwrap_or_default()) ")" }
                        }
                    }
                }
            }
        }
    }
}

pub fn forecast(m: &Morning<'_>) -> Markup {
    let f = &m.forecast;
    let alt = f.what_if.as_ref();
    let base_total: u32 = f.baseline.total();
    html! {
        p {
            "Clearances falling due for renewal in the next " (f.months.len()) " months, from the linked records of everyone in the workforce: one renewal per person, the clearance that keeps them in their post (a clearance on a ladder the post does not need is not counted). "
            strong data-figure="forecast:total" { (count(base_total)) } " renewals in all, of which "
            strong data-figure="forecast:overdue" { (count(f.levels.iter().map(|l| f.baseline.overdue_of(l)).sum::<u32>())) } " are already overdue."
        }
        (overdue_reconciled(m))
        @if let Some((desc, s)) = alt {
            p {
                "The what-if asks: what if the renewal periods were " strong { (desc) } " instead of today's? "
                "Every clearance whose grant is older than the shorter period would be due at once, so the first bars, "
                strong { "Overdue" } ", show that bulge: the renewals the unit would have to start straight away."
            }
            p.flag {
                "What-if (" (desc) "): " strong data-figure="forecast:what_if_total" { (count(s.total())) } " renewals in the same period, "
                strong { (count(s.total().saturating_sub(base_total))) } " more than on the current periods, "
                (count(f.levels.iter().map(|l| s.overdue_of(l)).sum::<u32>())) " of them overdue at once."
            }
        }
        figure {
            (PreEscaped(chart::forecast(f)))
            figcaption.legend {
                span { i style={ "background:" (chart::css(0)) } {} "due on the current periods (first bar: overdue now)" }
                @if let Some((desc, _)) = alt { span { i style={ "background:" (chart::css(1)) } {} "due under what-if (" (desc) ")" } }
            }
        }
        table {
            thead { tr {
                th { "Month" }
                @for l in &f.levels { th.n { (l) } }
                th.n { "Total" }
                @if alt.is_some() { th.n { "What-if" } th.n { "Extra" } }
            } }
            tbody {
                tr {
                    td { "Overdue now" }
                    @for l in &f.levels { td.n { (count(f.baseline.overdue_of(l))) } }
                    td.n { (count(f.levels.iter().map(|l| f.baseline.overdue_of(l)).sum::<u32>())) }
                    @if let Some((_, s)) = alt {
                        @let w: u32 = f.levels.iter().map(|l| s.overdue_of(l)).sum();
                        @let b: u32 = f.levels.iter().map(|l| f.baseline.overdue_of(l)).sum();
                        td.n { (count(w)) } td.n { (signed(w as i64 - b as i64)) }
                    }
                }
                @for (i, month) in f.months.iter().enumerate() {
                    tr {
                        td.date { (month.format("%b %Y")) }
                        @for l in &f.levels { td.n { (count(f.baseline.due_in(l, i))) } }
                        td.n data-figure={ "forecast:" (month.format("%Y-%m")) } { (count(f.baseline.month_total(i))) }
                        @if let Some((_, s)) = alt {
                            td.n { (count(s.month_total(i))) }
                            td.n { (signed(s.month_total(i) as i64 - f.baseline.month_total(i) as i64)) }
                        }
                    }
                }
            }
        }
        p.note { "Per level and month, with the what-if beside: forecast.csv." }
    }
}

/// The overdue renewals set beside the headline's EXPIRED and INSUFFICIENT_LEVEL counts, so
/// the two figures can be held together.
fn overdue_reconciled(m: &Morning<'_>) -> Markup {
    let o = m.forecast.overdue;
    let counts = m.counts();
    let n = |c: Code| counts.get(c.as_str()).copied().unwrap_or(0) as u64;
    let expired = n(Code::Expired);
    let not_renewals = expired.saturating_sub(u64::from(o.expired));
    html! {
        p.note data-figure="forecast:reconciled" {
            "Overdue now are the people whose every clearance at the level their post needs has run out. "
            strong data-figure="forecast:overdue_expired" { (count(o.expired)) } " of them hold no valid clearance at all, and are among the "
            (count(expired)) " \"" (Code::Expired.label()) "\" (EXPIRED) in the headline; "
            strong data-figure="forecast:overdue_below" { (count(o.below)) } " hold a valid clearance below what the post needs, and are among the "
            (count(n(Code::InsufficientLevel))) " \"" (Code::InsufficientLevel.label()) "\" (INSUFFICIENT_LEVEL). "
            "The other " strong data-figure="forecast:expired_not_renewal" { (count(not_renewals)) } " EXPIRED people hold only expired clearances that never met their post: they need vetting to the post's level, not a renewal, and are not counted here."
        }
    }
}

fn signed(n: i64) -> String {
    match n {
        0 => "0".into(),
        n if n > 0 => format!("+{}", count(n as u64)),
        n => format!("−{}", count(n.unsigned_abs())),
    }
}

pub fn disproportionality(m: &Morning<'_>) -> Markup {
    let a = &m.disproportion;
    let s = &a.settings;
    // The later stages measured tonight (none when the export has no appeal_status).
    let later: Vec<&LaterStage> = a.stages.iter().filter(|l| l.not_read.is_none()).collect();
    html! {
        p {
            "Refusal rates per group over decisions made from " span.date data-figure="dispro:from" { (long_date(a.from)) } " to " span.date { (long_date(a.to)) } " (both days included)"
            " (a refusal counts against a grant; pending and withdrawn cases are not decisions). "
            "Relative rate = the group's refusal rate over the reference group's. "
            "Adverse-impact ratio = the group's pass rate over the reference group's; under "
            (format!("{:.2}", s.four_fifths)) " is flagged (the four-fifths rule). "
            "Fisher's exact test gives the chance of a difference at least this large if refusals fell evenly. "
            @match a.comparisons {
                0 => { "No group is compared tonight. " }
                1 => { strong data-figure="dispro:comparisons" { "One" } " comparison is made tonight, so its p needs no adjustment. " }
                n => {
                    "Tonight's " strong data-figure="dispro:comparisons" { (count(n as u64)) } " comparisons are tested together: even when refusals fall evenly, about one comparison in twenty comes under 0.05 by chance, so each p is adjusted for the number made (Holm's method). "
                }
            }
            "A group is reported as significant only when it is refused more often than the reference and its adjusted p is under "
            (format!("{}", s.significance)) "; a group refused less often is shown, never flagged. Groups with fewer than "
            (s.minimum_group) " decisions are suppressed everywhere, so no individual can be identified."
        }
        (stages_and_reasons_note(m))
        @for w in &a.warnings { p.warning data-figure="dispro:warning" { (w) } }
        @if a.characteristics.is_empty() && a.columns.is_empty() {
            p.note { "The vetting export has no protected-characteristic columns (" (crate::ingest::vetting::PROTECTED.join(", ")) "), so refusals cannot be analysed. Ask the vetting system's supplier to add them to the export." }
        } @else if a.characteristics.is_empty() {
            p.note { "The vetting export carries " (a.columns.join(", ")) ", but no vetting decision (grant or refusal) falls in the window, so there is nothing to analyse tonight." }
        }
        @for c in &a.characteristics {
            @let at: Vec<(Stage, Option<&Characteristic>)> = later.iter().map(|l| (l.stage, l.characteristic(&c.name))).collect();
            h3 {
                (c.name)
                @if let Some(r) = &c.reference {
                    span.note { " (reference: " (r) @if let Some(cfg) = &c.configured_as { ", configured as " (cfg) } ")" }
                }
            }
            @if let Some(n) = &c.note { p.note { (n) } }
            @for r in &c.rows {
                @if let Some(text) = reading(c, r, a) {
                    p.flag { (text) }
                    @if let Some(reasons) = reasons_line(a, c, r) { p.note data-figure={ "dispro-reasons:" (c.name) ":" (r.group) } { (reasons) } }
                }
            }
            // Why a later stage compares nothing is left to the reference row's "suppressed"
            // cell, so the section stays short.
            @for (stage, sc) in &at {
                @if let Some(sc) = sc {
                    @for r in &sc.rows { @if let Some(text) = reading_at(*stage, sc, r, a) { p.flag { (text) } } }
                }
            }
            table {
                thead { tr {
                    th { "Group" } th.n { "Decisions" } th.n { "Refusals" } th.n { "Refusal rate" }
                    th.n { "Relative rate (95% CI)" } th.n { "Adverse-impact ratio" } th.n { "Fisher p" } th.n { "Adjusted p" } th { "Flags" }
                    @for (stage, _) in &at { th.n { (stage.label()) } }
                } }
                tbody {
                    @for r in &c.rows {
                        tr {
                            td { (r.group) @if r.is_reference { span.note { " (reference)" } } }
                            @match &r.figures {
                                None => { td.suppressed colspan=(8 + at.len()) data-figure={ "dispro:" (c.name) ":" (r.group) } { (r.status(s.minimum_group)) } }
                                Some(f) => {
                                    td.n data-figure={ "dispro:" (c.name) ":" (r.group) } { (count(f.cases)) }
                                    td.n { (count(f.outcomes)) }
                                    td.n { (percent(f.rate())) }
                                    @match &f.comparison {
                                        None => { td.n { "–" } td.n { "–" } td.n { "–" } td.n { "–" } td {} }
                                        Some(cmp) => {
                                            td.n { @match cmp.relative_rate { Some(rr) => { (format!("{:.2} ({:.2}–{:.2})", rr.ratio, rr.low, rr.high)) }, None => { "–" } } }
                                            td.n { @match cmp.adverse_impact_ratio { Some(x) => { (format!("{x:.2}")) }, None => { "–" } } }
                                            td.n { (p_text(cmp.p_value)) }
                                            td.n { (p_text(cmp.adjusted_p)) }
                                            td { (flags(cmp)) }
                                        }
                                    }
                                    @for (stage, sc) in &at { (stage_cell(*stage, &c.name, &r.group, *sc)) }
                                }
                            }
                        }
                    }
                }
            }
        }
        p.note {
            "All figures: disproportionality.csv"
            @if !later.is_empty() { "; the appeal stages: disproportionality_stages.csv" }
            @if a.reasons.not_read.is_none() { "; refusal reasons per group: refusal_reasons.csv" }
            "."
        }
    }
}

/// The flags of one comparison: under four fifths, significant.
fn flags(cmp: &Comparison) -> Markup {
    html! {
        @if cmp.four_fifths_flag { span.sev.sev-high { "below 4/5" } " " }
        @if cmp.significant { span.sev.sev-critical { "significant" } }
    }
}

/// One group's cell for a later stage: "k of n (rate)" with its flags, "suppressed", or
/// "–" for a group the stage does not list.
fn stage_cell(stage: Stage, name: &str, group: &str, sc: Option<&Characteristic>) -> Markup {
    let row = sc.and_then(|c| c.rows.iter().find(|r| r.group == group));
    let figure = format!("dispro-stage:{}:{name}:{group}", stage.as_str());
    html! {
        @match row {
            None => { td.n { "–" } }
            Some(r) => @match &r.figures {
                None => { td.n.suppressed data-figure=(figure) { "suppressed" } }
                Some(f) => {
                    td.n {
                        span data-figure=(figure) { (count(f.outcomes)) " of " (count(f.cases)) }
                        " (" (percent(f.rate())) ")"
                        @if let Some(cmp) = &f.comparison { @if cmp.four_fifths_flag || cmp.significant { br; (flags(cmp)) } }
                    }
                }
            }
        }
    }
}

/// What the section measures beyond the decision, or which column it could not read: the
/// appeal stages and the refusal reasons.
fn stages_and_reasons_note(m: &Morning<'_>) -> Markup {
    let a = &m.disproportion;
    let not_read: Vec<&str> = (a.stages.iter())
        .filter_map(|l| l.not_read.as_deref())
        .collect();
    html! {
        @if let Some(why) = not_read.first() {
            p.note data-figure="dispro:stages" { "The appeal stages are " (why) ", so appeals are not compared." }
        } @else {
            p data-figure="dispro:stages" {
                "After the decision the same measures are taken at two stages, against the same reference group: of the refusals whose appeal_status is recorded, the share appealed; of the appeals decided, the share upheld. "
                "There a group is flagged when it appeals less often, or has fewer appeals upheld, than the reference; a group suppressed at the decision stays suppressed after it, and a stage with fewer than "
                (a.settings.minimum_group) " refusals (appeals decided) for a group is suppressed. Their comparisons are among tonight's, adjusted together."
            }
        }
        @match &a.reasons.not_read {
            Some(why) => { p.note data-figure="dispro:reasons" { "Refusal reasons are " (why) "." } }
            None => { p.note data-figure="dispro:reasons" { "Under each group flagged at the decision: its most frequent refusal reasons and the reference group's. A group with fewer than " (a.settings.minimum_group) " refusals has its reasons suppressed." } }
        }
    }
}

pub fn quality(m: &Morning<'_>) -> Markup {
    let unknown_posts = m
        .exceptions
        .iter()
        .filter(|e| e.code == Code::UnknownPost)
        .count();
    let no_dob = |missing: bool| {
        m.data
            .rejects
            .iter()
            .filter(|r| r.column == "date_of_birth" && r.value.trim().is_empty() == missing)
            .count()
    };
    let mut reasons: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
    for r in &m.data.rejects {
        *reasons
            .entry((r.file.as_str(), r.column.as_str()))
            .or_default() += 1;
    }
    html! {
        table {
            thead { tr { th { "File" } th.n { "Rows" } th.n { "Accepted" } th.n { "Rejected" } } }
            tbody {
                @for (name, st) in m.data.stats.iter().copied().chain(m.data.triggers.given.iter().map(|(r, st, _)| (*r, *st))) {
                    tr { td { (name) } td.n { (count(st.rows as u64)) } td.n { (count(st.accepted as u64)) } td.n data-figure={ "rejected:" (name) } { (count(st.rejected as u64)) } }
                }
            }
        }
        h3 { "Input files" }
        p.note {
            "Every file this run read, with its rows, its SHA-256 (the same file always gives the same hash) and the newest date its accepted rows carry, which tells how recent the export is: run "
            span.ref { (m.info.run_id) } ", vetrecon " (m.info.version) ", as of " span.date { (m.info.as_of) } ". "
            // A file's modification time is not shown, because copying the file
            // changes it and the same data would give a different page.
            "The files' modification times are not shown here (copying a file changes its time, so the same data would give a different page): "
            code { (crate::report::command::show_run(&m.info.run_id)) } " lists them, and the run's \"read input\" log lines give them."
        }
        // Where this night sits in the store's hash chain. Its own entry's hash is
        // made when the run commits, after this page is written, so the page points to it.
        p.note data-figure="provenance:chain" {
            @match &m.past.previous {
                Some(p) => {
                    "This night follows run " span.ref { (p.run_id) } " (as of " span.date { (p.as_of) } "), chain hash "
                    code.hash data-figure="provenance:previous_hash" { (p.hash) } ". "
                }
                None => { "This is the first night in the store: no earlier run to follow. " }
            }
            "This run's own chain hash is fixed when it commits, after this page is written: this night's chain hash is in chain.txt beside this page, "
            code { (crate::report::command::show_run(&m.info.run_id)) } " prints it, and the run's \"committed run\" log line gives it as chain_hash. "
        }
        table {
            thead { tr { th { "Input" } th { "File" } th.n { "Rows" } th { "Newest date in the file" } th { "SHA-256" } } }
            tbody {
                @for i in &m.info.inputs {
                    @let rows = m.data.stats.iter().find(|(r, _)| *r == i.role).map(|(_, st)| st.rows)
                        .or_else(|| m.data.triggers.given.iter().find(|(r, _, _)| *r == i.role).map(|(_, st, _)| st.rows));
                    tr {
                        td { (i.role) }
                        td.ref data-figure={ "input:" (i.role) } { (i.name) }
                        td.n { @if let Some(n) = rows { (count(n as u64)) } }
                        td {
                            @if let Some(f) = crate::report::freshness::of(&i.role, m.data, m.info.as_of) {
                                @if let Some(d) = f.newest { span.date data-figure={ "newest:" (i.role) } { (d) } br; }
                                span.note { (f.note()) }
                            }
                        }
                        td { code.hash data-figure={ "sha256:" (i.role) } { (i.sha256) } }
                    }
                }
            }
        }
        @if m.data.unread.is_empty() {
            p.note data-figure="provenance:unread_columns" { "Every column of every input was read." }
        } @else {
            p.note data-figure="provenance:unread_columns" {
                "Columns the inputs hold that this run did not read: nothing in them was checked or analysed. Rename one the contract knows, or map it in input.columns; one mapped away was left on purpose."
            }
            ul {
                @for (file, cols) in &m.data.unread {
                    @for c in cols { li { (file) ": " (c.describe()) } }
                }
            }
        }
        ul {
            li { strong data-figure="quality:unknown_posts" { (count(unknown_posts as u64)) } " people hold a post that is not in the post register (UNKNOWN_POST)." }
            li { strong data-figure="quality:no_dob" { (count(no_dob(true) as u64)) } " records have no date of birth and " (count(no_dob(false) as u64)) " an unusable one; both are rejected, because a person cannot be matched safely without it." }
            li { (count((m.link_counts.no_match) as u64)) " vetting records match nobody on the roster." }
        }
        @if !reasons.is_empty() {
            h3 { "Rejected rows by file and column" }
            table {
                thead { tr { th { "File" } th { "Column" } th.n { "Rows" } } }
                tbody { @for ((file, col), n) in &reasons { tr { td { (file) } td { (col) } td.n { (count(*n as u64)) } } } }
            }
            p.note { "Every rejected row, with its line and reason: rejects.csv." }
        }
    }
}

pub fn files(m: &Morning<'_>) -> Markup {
    let list = [
        ("exceptions.csv", "every exception in priority order (also exceptions.xlsx)"),
        ("exceptions.xlsx", "exceptions, review queue, forecast, disproportionality, QA sample, designated posts, the unit's work (backlog, open cases, throughput, timeliness, demand, appeals), disproportionality stages, refusal reasons, joiners movers leavers, declarations, several signals, post register checks, decision makers and sanctions: one sheet each"),
        ("designated_posts.csv", "designated-post coverage by department"),
        ("changes.csv", "new, resolved and persisting exceptions"),
        ("trend.csv", "exceptions per code per run"),
        ("forecast.csv", "renewals due per month and level, with the what-if"),
        ("disproportionality.csv", "refusal rates and tests per group"),
        ("disproportionality_stages.csv", "appeal rates and tests per group, after the decision"),
        ("refusal_reasons.csv", "refusals by refusal reason per group"),
        ("qa_sample.csv", "the dip sample"),
        ("review_triggers.csv", "open review triggers (PND, misconduct, circumstances) by age"),
        ("moves_before_clearance.csv", "every move into a designated post in the inspection figure's window, and whether it was made before clearance"),
        ("unit_backlog.csv", "open cases by case type, stage, role risk and age"),
        ("unit_open_cases.csv", "every open case, oldest first"),
        ("unit_trend.csv", "open cases per night"),
        ("unit_throughput.csv", "decisions per month and case type"),
        ("unit_timeliness.csv", "days from application to decision: median and 90th percentile"),
        ("unit_demand.csv", "the coming 12 months' cases, hours and full-time staff"),
        ("unit_clearing.csv", "when the backlog clears at the current throughput"),
        ("unit_appeals.csv", "appeals by level and case type"),
        ("jml.csv", "every joiners-movers-leavers action open or closed tonight, with its due date"),
        ("condition_status.csv", "every condition on a clearance, with its status tonight"),
        ("clearance_register.csv", "the clearance register for HR: each person's post requirement and the clearance held on each ladder"),
        ("declaration_status.csv", "every declaration, with its status tonight"),
        ("signals.csv", "the people with several signals at once, highest score first, each signal's code and age"),
        ("sanctions.csv", "serious sanctions of officers and of staff per breach category, compared"),
        ("post_register_checks.csv", "every post whose recorded requirement a rule questions, with its postholders and the hours a change would take (also exceptions.xlsx)"),
        ("matches.csv", "how each vetting record was linked"),
        ("rejects.csv", "rejected input rows"),
        ("summary.txt", "counts in plain text"),
        ("chain.txt", "this night's place in the store's hash chain: run id, chain hash and the previous one (written after the run commits)"),
    ];
    // A night stored before QA verdicts were kept lists its files as it did.
    let verdicts = m.qa_verdicts.map(|_| {
        (
            "qa_verdicts.csv",
            "every QA verdict recorded, reasons whole",
        )
    });
    html! {
        ul {
            @for (f, what) in list {
                li { code { (f) } ": " (what) }
                @if f == "qa_sample.csv" { @if let Some((f, what)) = verdicts { li { code { (f) } ": " (what) } } }
            }
        }
        p.note { "To confirm or reject a link: vetrecon decide confirm|reject EMPLOYEE_ID VETTING_REF --by NAME --reason TEXT. To see why a pair scored as it did: vetrecon explain EMPLOYEE_ID VETTING_REF." }
    }
}
