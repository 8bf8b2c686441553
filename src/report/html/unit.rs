//! "The unit's work": the vetting unit's backlog, throughput, demand and appeals, from the
//! same `analyse::unit` figures as the unit_*.csv files. Decision makers are not shown here
//! (the workbook only). A figure not read says why where it would stand.

use super::{chart, count, long_date, Morning};
use crate::analyse::unit::backlog::{BandRow, BAND_LABELS};
use crate::analyse::unit::demand::{Clears, DemandRow, Source, Total};
use crate::analyse::unit::{NotRead, Unit, Work};
use crate::report::unit_csv::{clears_text, no_columns_text, not_read_text, source_text};
use chrono::Datelike;
use maud::{html, Markup, PreEscaped};

/// Rows of the oldest open cases shown; every one is in unit_open_cases.csv.
const OLDEST_SHOWN: usize = 10;

pub fn unit(m: &Morning<'_>) -> Markup {
    match &m.unit {
        Unit::NoColumns => html! {
            p.warning data-figure="unit:not_read" {
                (capitalised(&no_columns_text())) ". Ask the vetting system's supplier to add them to the export."
            }
        },
        Unit::Read(w) => html! {
            p.note {
                "Clear the oldest cases in the highest-risk bands first, and set the demand ahead against the unit's staff. "
                "Every figure, and every open case: unit_backlog.csv, unit_open_cases.csv, unit_trend.csv, unit_throughput.csv, unit_timeliness.csv, unit_demand.csv, unit_clearing.csv, unit_appeals.csv and unit_interviews.csv (and the workbook's Unit sheets)."
            }
            (backlog(w))
            (oldest(w))
            (trend(w))
            (throughput(w))
            (timeliness(w))
            (demand(w))
            (appeals(w))
            (interviews(w))
            p.note { "Cases and decisions per decision maker are in the workbook's Decision makers sheet only." }
        },
    }
}

/// "Not read: ..." with its first letter in capitals.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn days(x: f64) -> String {
    format!("{x:.1}")
}

fn backlog(w: &Work) -> Markup {
    let b = &w.backlog;
    let aged = b.age.is_ok();
    let cols = if aged { BAND_LABELS.len() + 1 } else { 1 };
    let rows = |breakdown: &str, rs: &[BandRow]| {
        html! {
            @for r in rs {
                tr {
                    td { (r.group) }
                    @if aged {
                        @for (label, n) in BAND_LABELS.iter().zip(r.bands) {
                            td.n data-figure={ "unit:backlog:" (breakdown) ":" (r.group) ":" (label) } { (count(n as u64)) }
                        }
                    }
                    td.n data-figure={ "unit:backlog:" (breakdown) ":" (r.group) ":all" } { (count(r.total() as u64)) }
                }
            }
        }
    };
    let part = |title: &str, breakdown: &str, f: Result<&Vec<BandRow>, &NotRead>| {
        html! {
            tr { th colspan=(cols + 1) { (title) } }
            @match f {
                Ok(rs) => { (rows(breakdown, rs)) }
                Err(e) => { tr { td.note colspan=(cols + 1) data-figure={ "unit:backlog:" (breakdown) } { (not_read_text(e)) } } }
            }
        }
    };
    html! {
        h3 { "Open cases" }
        p {
            strong data-figure="unit:open" { (count(b.total() as u64)) } " open cases (pending records) tonight, by how long since the application was made. "
            "Role risk is the priority order's: the post's designated status, a national-security level, vulnerable contact; recruits, and applicants linked to no one on the roster, have a band of their own."
        }
        @if let Err(e) = &b.age {
            p.note data-figure="unit:backlog:age" { "Age " (not_read_text(e)) ", so open cases are not banded by age." }
        }
        table {
            thead { tr {
                th { "Open cases" }
                @if aged { @for label in BAND_LABELS { th.n { (label) @if !label.starts_with("age") { " days" } } } }
                th.n { "All" }
            } }
            tbody {
                (part("By case type", "case_type", b.by_case_type.as_ref()))
                (part("By stage", "stage", b.by_stage.as_ref()))
                (part("By role risk", "role_risk", Ok(&b.by_risk)))
                tr.total {
                    td { "All open cases" }
                    @if aged { @for n in b.all.bands { td.n { (count(n as u64)) } } }
                    td.n { (count(b.total() as u64)) }
                }
            }
        }
    }
}

fn oldest(w: &Work) -> Markup {
    let cases = &w.backlog.cases;
    let aged = w.backlog.age.is_ok();
    html! {
        @if !cases.is_empty() {
            h3 { @if aged { "Oldest open cases" } @else { "Open cases" } }
            table {
                thead { tr { th { "Vetting ref" } th { "Level" } th { "Case type" } th { "Stage" } th { "Applied" } th.n { "Days open" } th { "Role risk" } th { "Person and post" } } }
                tbody {
                    @for (i, c) in cases.iter().take(OLDEST_SHOWN).enumerate() {
                        tr {
                            td.ref data-figure={ "unit:oldest:" (i + 1) } { (c.vetting_ref) }
                            td { (c.level) }
                            td { (c.case_type.as_deref().unwrap_or("not recorded")) }
                            td { (c.stage.as_deref().unwrap_or("not recorded")) }
                            td.date { @match c.application_date { Some(d) => (d), None => span.note { "not recorded" } } }
                            td.n data-figure={ "unit:oldest:" (i + 1) ":days" } { @match c.age_days { Some(d) => (count(d.max(0) as u64)), None => "–" } }
                            td { (c.risk.as_str()) }
                            td { (c.employee_id.as_deref().unwrap_or("")) @if let Some(p) = &c.post_id { br; (p) } }
                        }
                    }
                }
            }
            @if cases.len() > OLDEST_SHOWN {
                p.note { (count((cases.len() - OLDEST_SHOWN) as u64)) " more in unit_open_cases.csv." }
            }
        }
    }
}

fn trend(w: &Work) -> Markup {
    let nights = &w.trend.nights;
    let labels: Vec<String> = nights.iter().map(|n| n.as_of.clone()).collect();
    let values: Vec<Option<u32>> = nights
        .iter()
        .map(|n| n.open.as_ref().map(|o| o.total as u32))
        .collect();
    html! {
        h3 { "Open cases over recent nights" }
        @if let Some(d) = w.trend.no_history_before() {
            p.note data-figure="unit:trend:no_history_before" {
                "No history before " (d) ": the count of open cases starts with the first night whose export carried the casework columns (an earlier night has no figure, not a zero)."
            }
        }
        @if values.iter().flatten().count() >= 2 {
            figure.small { (PreEscaped(chart::small_line("Open cases", &labels, &values))) }
        }
        table {
            thead { tr { th { "Night (as of)" } th.n { "Open cases" } } }
            tbody {
                @for n in nights {
                    tr {
                        td.date { (n.as_of) }
                        @match &n.open {
                            Some(o) => { td.n data-figure={ "unit:trend:" (n.as_of) } { (count(o.total as u64)) } }
                            None => { td.n.note data-figure={ "unit:trend:" (n.as_of) } { "no history" } }
                        }
                    }
                }
            }
        }
    }
}

fn throughput(w: &Work) -> Markup {
    let t = &w.throughput;
    let types: &[String] = t.case_types.as_deref().unwrap_or(&[]);
    html! {
        h3 { "Decisions per month" }
        p {
            strong data-figure="unit:decisions" { (count(t.total as u64)) }
            " decisions (granted, refused or withdrawn) from " span.date { (long_date(t.window.from)) } " to " span.date { (long_date(t.window.to)) }
            " (both days included), by the month of the decision date; the first and last months are part months."
        }
        @if let Err(e) = &t.case_types {
            p.note data-figure="unit:decisions:case_type" { "By case type " (not_read_text(e)) "." }
        }
        table {
            thead { tr { th { "Month" } @for ty in types { th.n { (ty) } } th.n { "All" } } }
            tbody {
                @for mr in &t.months {
                    @let key = mr.month.format("%Y-%m").to_string();
                    tr {
                        td.date {
                            (mr.month.format("%b %Y"))
                            @if mr.from != mr.month || mr.to.succ_opt().is_some_and(|d| d.day() != 1) {
                                span.note { " (" (mr.from.format("%-d")) "–" (mr.to.format("%-d")) ")" }
                            }
                        }
                        @for (ty, n) in types.iter().zip(&mr.by_type) {
                            td.n data-figure={ "unit:decisions:" (key) ":" (ty) } { (count(*n as u64)) }
                        }
                        td.n data-figure={ "unit:decisions:" (key) ":all" } { (count(mr.total as u64)) }
                    }
                }
            }
        }
    }
}

fn timeliness(w: &Work) -> Markup {
    let t = &w.throughput;
    html! {
        h3 { "Days from application to decision" }
        @match &t.timeliness {
            Err(e) => { p.note data-figure="unit:timeliness" { (capitalised(&not_read_text(e))) "." } }
            Ok(rows) => {
                p.note { "Of the decisions above, the days from application_date to decision_date: the median and the 90th percentile (nine in ten were decided within it)." }
                table {
                    thead { tr { th { "Case type" } th.n { "Decisions" } th.n { "With an application date" } th.n { "Median days" } th.n { "90th percentile" } } }
                    tbody {
                        @for r in rows {
                            tr class=[(r.group == crate::analyse::unit::throughput::ALL).then_some("total")] {
                                td { (r.group) }
                                td.n data-figure={ "unit:timeliness:" (r.group) ":decisions" } { (count(r.decisions as u64)) }
                                td.n { (count(r.with_dates as u64)) }
                                @match (r.median_days, r.p90_days) {
                                    (Some(med), Some(p90)) => {
                                        td.n data-figure={ "unit:timeliness:" (r.group) ":median" } { (days(med)) }
                                        td.n data-figure={ "unit:timeliness:" (r.group) ":p90" } { (days(p90)) }
                                    }
                                    _ if r.decisions == 0 => { td.note colspan="2" data-figure={ "unit:timeliness:" (r.group) ":median" } { "no decisions in the window" } }
                                    _ => { td.note colspan="2" data-figure={ "unit:timeliness:" (r.group) ":median" } { "no application dates" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn source_words(s: &Source) -> String {
    match s {
        Source::Forecast => "renewal forecast".into(),
        Source::WhatIf(d) => format!("renewal forecast, what-if {d}"),
        Source::Plan => "recruitment plan".into(),
        Source::LastYear => "open now + last 12 months' arrivals".into(),
    }
}

fn demand_row(r: &DemandRow, per_fte: f64) -> Markup {
    let key = format!("unit:demand:{}:{}", r.case_type, source_text(&r.source));
    // Open now is shown as "–" on its own when not read; the figures that stand without it
    // (the forecast's renewals) are still shown.
    let not_read = [r.incoming.as_ref().err(), r.cases.as_ref().err()]
        .into_iter()
        .flatten()
        .next();
    html! {
        tr {
            td { (r.case_type) }
            td { (source_words(&r.source)) }
            td.n { @match &r.open_now { Ok(n) => (count(*n as u64)), Err(_) => "–" } }
            td.n { @if let Some(n) = r.overdue { (count(n)) } }
            @match (not_read, &r.cases) {
                (Some(e), _) => {
                    td.n { @if let Ok(n) = &r.incoming { (count(*n)) } }
                    td.note colspan="3" data-figure={ (key) ":cases" } { (not_read_text(e)) }
                }
                (None, Ok(cases)) => {
                    td.n { @if let Ok(n) = &r.incoming { (count(*n)) } @if let Some(rate) = r.monthly_rate { span.note { " (" (format!("{rate:.1}")) " a month)" } } }
                    td.n data-figure={ (key) ":cases" } { (count(*cases)) }
                    @match (r.hours(), r.fte(per_fte)) {
                        (Some(h), Some(f)) => {
                            td.n data-figure={ (key) ":hours" } { (count(h.round() as u64)) }
                            td.n data-figure={ (key) ":fte" } { (format!("{f:.2}")) }
                        }
                        _ => { td.note colspan="2" data-figure={ (key) ":hours" } { "no hours_per_case for this case type" } }
                    }
                }
                (None, Err(_)) => { td {} td {} td {} td {} }
            }
        }
    }
}

fn total_row(label: &str, source: &str, t: &Total) -> Markup {
    let key = format!("unit:demand:all:{source}");
    html! {
        tr.total {
            td colspan="5" { (label) @if !t.complete { br; span.note { "of the rows read with hours" } } }
            td.n data-figure={ (key) ":cases" } { (count(t.cases)) }
            td.n data-figure={ (key) ":hours" } { (count(t.hours.round() as u64)) }
            td.n data-figure={ (key) ":fte" } { (format!("{:.2}", t.fte)) }
        }
    }
}

fn demand(w: &Work) -> Markup {
    let d = &w.demand;
    let per = d.hours_per_fte_year;
    html! {
        h3 { "Demand in the coming 12 months" }
        p.note {
            "Cases to work in the next 12 months, with the hours each case type takes (casework.hours_per_case) and the full-time staff they need at "
            (count(per.round() as u64)) " hours a year each (casework.hours_per_fte_year). Renewals are the renewal forecast's overdue renewals and those falling due"
            @if d.renewal_months < 12 { " in its " (d.renewal_months) " months" }
            " (an open renewal case is one of them, so it is not added again); a type in the recruitment plan comes from the plan; every other type is its open cases and as many again as arrived in the last 12 months."
        }
        table {
            thead { tr { th { "Case type" } th { "From" } th.n { "Open now" } th.n { "Overdue" } th.n { "Incoming" } th.n { "Cases" } th.n { "Hours" } th.n { "Full-time staff" } } }
            tbody {
                @for r in &d.rows { (demand_row(r, per)) }
                (total_row("All case types", "total", &d.total()))
                @if let (Some(r), Some(t)) = (&d.what_if, d.total_what_if()) {
                    (demand_row(r, per))
                    (total_row("All case types, with the what-if's renewals", "total_what_if", &t))
                }
            }
        }
        (clearing(w))
    }
}

fn clearing(w: &Work) -> Markup {
    html! {
        @match &w.demand.clearing {
            Err(e) => { p.note data-figure="unit:clears" { "When the backlog clears is " (not_read_text(e)) "." } }
            Ok(c) => {
                p {
                    "At the last 12 months' " strong data-figure="unit:clears:decisions" { (format!("{:.1}", c.monthly_decisions)) }
                    " decisions a month against " strong data-figure="unit:clears:incoming" { (format!("{:.1}", c.monthly_incoming)) }
                    " new cases a month (renewals falling due, "
                    @if c.recruits_at_rate { "recruits at last year's rate, as no recruitment plan was read, " } @else { "the recruitment plan, " }
                    "the other case types at last year's rate), the " (count(c.backlog as u64)) " open cases "
                    @match c.clears {
                        Clears::NoBacklog => { "are none: " strong data-figure="unit:clears" { (clears_text(&c.clears)) } "." }
                        Clears::In { month, .. } => { "clear by " strong data-figure="unit:clears" { (month.format("%B %Y")) } "." }
                        Clears::Never => { "do not clear: " strong data-figure="unit:clears" { (clears_text(&c.clears)) } ", the backlog grows." }
                    }
                }
            }
        }
    }
}

/// One line: adverse decisions whose category needs an interview, and whether one was held.
fn interviews(w: &Work) -> Markup {
    html! {
        h3 { "Interviews on adverse information" }
        @match &w.interviews {
            Err(e) => { p.note data-figure="unit:interviews" { "Interviews are " (not_read_text(e)) "." } }
            Ok(i) => {
                @let t = i.total();
                p data-figure="unit:interviews" {
                    "Hold the interview before deciding where adverse information needs one. Since " (i.since) ", "
                    strong data-figure="unit:interviews:decisions" { (count(t.decisions() as u64)) }
                    " decisions had adverse information of a category that needs an interview: held in "
                    span data-figure="unit:interviews:held" { (count(t.held as u64)) } ", not held in "
                    strong data-figure="unit:interviews:not_held" { (count(t.not_held as u64)) }
                    " (INTERVIEW_NOT_HELD), and not recorded in "
                    strong data-figure="unit:interviews:not_recorded" { (count(t.not_recorded as u64)) }
                    " (interview_held blank: ask for it to be recorded; it is not read as no). By category: unit_interviews.csv."
                }
            }
        }
    }
}

fn appeals(w: &Work) -> Markup {
    use crate::analyse::unit::appeals::AppealRow;
    let row = |breakdown: &str, r: &AppealRow, timed: bool| {
        html! {
            tr class=[(breakdown == "all").then_some("total")] {
                td { (r.group) }
                td.n data-figure={ "unit:appeals:" (breakdown) ":" (r.group) } { (count(r.appeals() as u64)) }
                @for n in r.by_status { td.n { (count(n as u64)) } }
                @if timed {
                    @match r.median_days {
                        Some(d) => { td.n data-figure={ "unit:appeals:" (breakdown) ":" (r.group) ":median" } { (days(d)) } }
                        None => { td.n.note data-figure={ "unit:appeals:" (breakdown) ":" (r.group) ":median" } { "no dates" } }
                    }
                }
            }
        }
    };
    html! {
        h3 { "Appeals" }
        p.note { "Every appeal the export records, whenever it was made (not only those of the last 12 months): decide those awaiting an outcome, oldest first." }
        @match &w.appeals {
            Err(e) => { p.note data-figure="unit:appeals" { "Appeals are " (not_read_text(e)) "." } }
            Ok(a) => {
                @let timed = a.days.is_ok();
                @if let Err(e) = &a.days { p.note data-figure="unit:appeals:days" { "How long appeals take is " (not_read_text(e)) "." } }
                table {
                    thead { tr {
                        th { "Appeals" } th.n { "All" } th.n { "Lodged, awaiting outcome" } th.n { "Upheld" } th.n { "Dismissed" } th.n { "Withdrawn" }
                        @if timed { th.n { "Median days to outcome" } }
                    } }
                    tbody {
                        @if !a.by_level.is_empty() {
                            tr { th colspan="7" { "By level" } }
                            @for r in &a.by_level { (row("level", r, timed)) }
                        }
                        @match &a.by_case_type {
                            Ok(rs) => {
                                @if !rs.is_empty() {
                                    tr { th colspan="7" { "By case type" } }
                                    @for r in rs { (row("case_type", r, timed)) }
                                }
                            }
                            Err(e) => { tr { td.note colspan="7" data-figure="unit:appeals:case_type" { "By case type " (not_read_text(e)) } } }
                        }
                        (row("all", &a.total, timed))
                    }
                }
            }
        }
    }
}
