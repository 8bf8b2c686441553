//! The priority worklist and the one-sentence headline of what to do first.
//!
//! The worklist carries every critical and high exception, and every row that must be
//! decided before another (a pending link that may clear a NO_CLEARANCE row), at any force
//! size: grouped by department, each group folded in a `<details>` (a browser's find still
//! searches a folded group, and a group with a critical row starts open, so it prints).
//! Each row says why it ranks where it does: its role-risk points and the days out of
//! compliance. Medium and low rows are counted here and listed in exceptions.csv.

use super::{count, plural, severity, Morning};
use crate::assess::{Code, Exception, Severity};
use maud::{html, Markup, PreEscaped};
use std::collections::{BTreeMap, HashMap};

/// Codes that mean "in a post without valid vetting".
const UNVETTED: [Code; 4] = [
    Code::NoClearance,
    Code::NotGranted,
    Code::Expired,
    Code::InsufficientLevel,
];

/// The rows the worklist carries.
pub fn carried(e: &Exception) -> bool {
    e.severity >= Severity::High || !e.related.is_empty()
}

fn posts<'m>(m: &'m Morning<'_>) -> HashMap<&'m str, &'m crate::model::Post> {
    m.data
        .posts
        .iter()
        .map(|p| (p.post_id.as_str(), p))
        .collect()
}

/// "needs MV · holds MV refused": the status beside the level whenever it is not a grant.
pub fn needs_holds(e: &Exception) -> String {
    let mut s = String::new();
    if !e.required_level.is_empty() {
        s.push_str("needs ");
        s.push_str(&e.required_level);
    }
    let holds = if e.held_level.is_empty() {
        if e.required_level.is_empty() {
            String::new()
        } else {
            "holds nothing".to_string()
        }
    } else if e.vetting_status.is_empty() || e.vetting_status == "granted" {
        format!("holds {}", e.held_level)
    } else {
        format!("holds {} {}", e.held_level, e.vetting_status)
    };
    if !s.is_empty() && !holds.is_empty() {
        s.push_str(" · ");
    }
    s.push_str(&holds);
    s
}

/// Why a row ranks where it does: role-risk points (and where they come from), then the
/// days out of compliance or left before it starts.
fn why(e: &Exception, post: Option<&crate::model::Post>) -> String {
    let mut parts = Vec::new();
    let mut from = Vec::new();
    if let Some(p) = post {
        if p.designated {
            from.push("designated post");
        }
        if p.vulnerable_contact {
            from.push("vulnerable contact");
        }
    }
    if e.risk > 0 {
        if from.is_empty() {
            parts.push(format!(
                "role risk {}",
                plural(e.risk as u64, "point", "points")
            ));
        } else {
            parts.push(format!(
                "role risk {} ({})",
                plural(e.risk as u64, "point", "points"),
                from.join(", ")
            ));
        }
    } else {
        parts.push("no role-risk points".to_string());
    }
    match e.days_out {
        d if d > 0 => parts.push(format!(
            "{} out of compliance",
            plural(d as u64, "day", "days")
        )),
        d if d < 0 => parts.push(format!(
            "{} before it starts",
            plural(d.unsigned_abs(), "day", "days")
        )),
        _ => {}
    }
    parts.join("; ")
}

/// The one sentence at the top of the page: how many people are in posts without valid
/// vetting, how many of them in designated posts, and which row to start with.
pub fn headline_sentence(m: &Morning<'_>) -> Markup {
    let posts = posts(m);
    let mut people: BTreeMap<&str, bool> = BTreeMap::new();
    let mut may_be_vetted: BTreeMap<&str, ()> = BTreeMap::new();
    for e in m.exceptions.iter().filter(|e| UNVETTED.contains(&e.code)) {
        let designated = posts.get(e.post_id.as_str()).is_some_and(|p| p.designated);
        *people.entry(&e.employee_id).or_default() |= designated;
        if !e.related.is_empty() {
            may_be_vetted.insert(&e.employee_id, ());
        }
    }
    let designated = people.values().filter(|d| **d).count();
    let first = m.exceptions.first();
    html! {
        p.lead data-figure="headline:sentence" {
            @if people.is_empty() {
                "No one is in a post without valid vetting. "
            } @else {
                strong { (plural(people.len() as u64, "person is", "people are")) } " in posts without valid vetting; "
                strong { (count(designated as u64)) } " of them in designated posts. "
            }
            @if let Some(e) = first {
                @if let Some((vref, p)) = &e.decide_first {
                    // Acting on #1 first could mean vetting someone already vetted.
                    "Start by deciding the pending link of vetting record " span.ref { (vref) } " (#" (p) "): confirming it may clear #1, "
                } @else {
                    "Start with #1: "
                }
                (e.code.label().to_lowercase())
                @if !e.employee_id.is_empty() { " for " span.ref { (e.employee_id) } }
                @else if !e.vetting_ref.is_empty() { " on record " span.ref { (e.vetting_ref) } }
                @if !e.post_title.is_empty() { " (" (e.post_title) ")" }
                ". "
            } @else {
                "Nothing to do tonight."
            }
            @if !may_be_vetted.is_empty() {
                (count(may_be_vetted.len() as u64)) " of them may already be vetted: decide the pending link first."
            }
        }
    }
}

/// A code with a break opportunity after each underscore: LEAVER_ACTIVE_CLEARANCE is wider
/// than the worklist's first column at A4 portrait. `<wbr>` is not text, so the
/// browser's find still matches the whole code. Codes are fixed ASCII names, never data.
fn breakable(code: &str) -> Markup {
    PreEscaped(code.replace('_', "_<wbr>"))
}

pub fn worklist(m: &Morning<'_>) -> Markup {
    let posts = posts(m);
    let shown: Vec<&Exception> = m.exceptions.iter().filter(|e| carried(e)).collect();
    let rest: BTreeMap<Code, usize> =
        m.exceptions
            .iter()
            .filter(|e| !carried(e))
            .fold(BTreeMap::new(), |mut acc, e| {
                *acc.entry(e.code).or_default() += 1;
                acc
            });
    // Department -> rows, the departments in the order of their first (highest) row.
    let mut groups: Vec<(String, Vec<&Exception>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for e in &shown {
        let dept = posts
            .get(e.post_id.as_str())
            .map(|p| p.department.clone())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "No post on the roster".to_string());
        let i = *at.entry(dept.clone()).or_insert_with(|| {
            groups.push((dept, Vec::new()));
            groups.len() - 1
        });
        if let Some(g) = groups.get_mut(i) {
            g.1.push(e);
        }
    }
    let n_critical = shown
        .iter()
        .filter(|e| e.severity == Severity::Critical)
        .count();
    html! {
        @if m.exceptions.is_empty() {
            p { "No exceptions tonight." }
        } @else {
            p.note {
                "Every critical and high exception (" span data-figure="worklist:rows" { (count(shown.len() as u64)) } " rows, "
                span data-figure="worklist:critical" { (count(n_critical as u64)) } " critical), and every link to decide first, by department; "
                "highest priority first (role risk, then severity, then days out of compliance). "
                "A department with a critical row is open; open the others to see their people (the browser's find searches them all)."
            }
            @for (dept, rows) in &groups {
                @let crit = rows.iter().filter(|e| e.severity == Severity::Critical).count();
                @let high = rows.iter().filter(|e| e.severity == Severity::High).count();
                details.group open[crit > 0] data-group=(dept) {
                    summary {
                        strong { (dept) } " · "
                        @if crit > 0 { span.sev.sev-critical { (count(crit as u64)) " critical" } " " }
                        @if high > 0 { span.sev.sev-high { (count(high as u64)) " high" } " " }
                        @if rows.len() > crit + high { (count((rows.len() - crit - high) as u64)) " to decide first " }
                        span.note { "from #" (rows.first().map_or(0, |e| e.priority)) }
                    }
                    table.worklist {
                        colgroup { col.c-n; col.c-what; col.c-person; col.c-post; col.c-level; col.c-why; col.c-do; }
                        thead { tr {
                            th.n { "#" } th { "What" } th { "Person" } th { "Post" }
                            th { "Needs / holds" } th { "Why here" } th { "What to do next" }
                        } }
                        tbody {
                            @for e in rows {
                                @let post = posts.get(e.post_id.as_str()).copied();
                                tr data-row={ (e.code.as_str()) ":" (e.employee_id) ":" (e.vetting_ref) } {
                                    td.n { (e.priority) }
                                    td { (severity(e.severity.as_str())) br; (e.code.label()) br; code.small { (breakable(e.code.as_str())) } }
                                    td {
                                        @if !e.employee_id.is_empty() { span.ref { (e.employee_id) } br; }
                                        (e.surname) ", " (e.forenames)
                                        @if !e.vetting_ref.is_empty() { br; span.ref.note { (e.vetting_ref) } }
                                    }
                                    td { (e.post_title) @if !e.post_id.is_empty() { br; span.ref.note { (e.post_id) } } }
                                    td { (needs_holds(e)) @if let Some(d) = e.expiry_date { br; span.note { "expires " span.date { (d) } } } }
                                    td.ev { (why(e, post)) }
                                    td {
                                        @if !e.related.is_empty() { strong.first { "Decide the link first. " } }
                                        (e.code.action())
                                        br; span.ev { (e.detail) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !rest.is_empty() {
                p.note {
                    "Not listed here: "
                    @for (i, (code, n)) in rest.iter().enumerate() {
                        @if i > 0 { ", " }
                        (count(*n as u64)) " " (code.label().to_lowercase()) " (" code { (code.as_str()) } ")"
                    }
                    ". Every row: exceptions.csv and exceptions.xlsx."
                }
            }
        }
    }
}
