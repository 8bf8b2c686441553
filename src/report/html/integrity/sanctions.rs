//! Sanctions compared between officers and staff (`analyse::sanctions`): the row for all
//! categories, each category with a finding or suppressed (at most ten), and the outcomes
//! left out. Every category, with its counts per sanction, is in sanctions.csv and the
//! workbook's Sanctions sheet.

use super::super::{count, long_date, percent, plural};
use super::Morning;
use crate::analyse::disproportion::p_text;
use crate::analyse::sanctions::{Compared, Finding, Reading, Row, Sanctioned, Sanctions};
use maud::{html, Markup};

/// Categories listed on the page at most; the rest are in sanctions.csv.
const LISTED: usize = 10;

pub fn sanctions(m: &Morning<'_>) -> Markup {
    let s = &m.sanctions;
    html! {
        p.note {
            "Where staff and officers are sanctioned differently for the same breach, review the cases with Professional Standards."
        }
        @match (s.not_read(m.feeds), &s.reading) {
            (None, Reading::Read(c)) => (figures(s, c)),
            (why, _) => {
                p.warning data-figure="sanctions:not_read" {
                    (capitalised(&why.unwrap_or_else(|| "not read".into()))) ": no sanction was compared tonight, and no figure stands here."
                }
            }
        }
    }
}

/// "Not read: ..." from "not read: ...".
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn figures(s: &Sanctions, c: &Compared) -> Markup {
    let serious = s.scale.get(s.serious_from).map_or("", |x| &**x);
    let categories = || c.rows.iter().skip(1);
    let listed: Vec<&Row> = categories().filter(|r| r.finding.listed()).collect();
    let quiet = categories()
        .filter(|r| r.finding == Finding::NoDifference)
        .count();
    let empty = categories().filter(|r| r.finding == Finding::None).count();
    html! {
        p {
            "Misconduct outcomes dated from " span.date { (long_date(s.window.from)) } " to " span.date { (long_date(s.window.to)) }
            " (both days included) of people on tonight's roster, leavers too: officers with specials against staff with PCSOs. "
            "A sanction is serious from " code { (serious) } " up the scale. Ratio = the staff serious rate over the officers'; Fisher's exact test gives the chance of a difference at least this large if serious sanctions fell evenly. "
            "A difference is reported when its 95% interval excludes 1 and p is under " (s.significance)
            "; a category with fewer than " (s.minimum_group) " outcomes in either group is suppressed, so no one can be identified. "
            "Compared: " strong data-figure="sanctions:compared" { (count(c.compared)) } "."
        }
        @if c.compared == 0 {
            p.note { "Checked: no outcome of an officer or a member of staff in the window has both a breach category and a sanction to compare." }
        } @else {
            table {
                thead { tr {
                    th { "Breach category" } th.n { "Officers: serious" } th.n { "Staff: serious" }
                    th.n { "Ratio (95% CI)" } th.n { "Fisher p" } th { "Finding" }
                } }
                tbody {
                    @for r in c.rows.iter().take(1).chain(listed.iter().take(LISTED).copied()) { (row(s, r)) }
                }
            }
            p.note {
                @if listed.len() > LISTED { (listed.len() - LISTED) " more categories with a finding or suppressed. " }
                (plural(quiet as u64, "category", "categories")) " compared with no difference found; "
                (count(empty as u64)) " with no outcome."
            }
        }
        p.note {
            "Left out: "
            strong data-figure="sanctions:not_recorded" { (count(c.left_out.not_recorded)) } " not recorded (no breach_category or sanction), "
            strong data-figure="sanctions:not_on_roster" { (count(c.left_out.not_on_roster)) } " not on the roster, "
            strong data-figure="sanctions:other_roles" { (count(c.left_out.other_roles)) } " of volunteers or contractors, "
            strong data-figure="sanctions:outside_window" { (count(c.left_out.outside_window)) } " outside the window. "
            "Every category, with its counts per sanction: sanctions.csv and the workbook's Sanctions sheet."
        }
    }
}

/// "3 of 12 (25.0%)", each count a figure of `key`.
fn group(key: &str, g: &Sanctioned) -> Markup {
    html! {
        span data-figure={ (key) "_serious" } { (count(g.serious)) } " of "
        span data-figure=(key) { (count(g.outcomes)) }
        @if let Some(rate) = g.rate() { " (" (percent(rate)) ")" }
    }
}

fn row(s: &Sanctions, r: &Row) -> Markup {
    let key = format!("sanctions:{}", r.name());
    html! {
        tr {
            td { @if r.category.is_some() { (r.name()) } @else { "All categories" } }
            @match &r.shown {
                None => {
                    td.suppressed colspan="4" {
                        "suppressed: fewer than " (s.minimum_group) " outcomes in a group, or hidden with a smaller category so it cannot be worked out by subtraction"
                    }
                }
                Some(shown) => {
                    td.n { (group(&format!("{key}:officers"), &shown.officers)) }
                    td.n { (group(&format!("{key}:staff"), &shown.staff)) }
                    @match shown.difference {
                        Some(d) => {
                            td.n { @match d.ratio { Some(rr) => { (format!("{:.2} ({:.2}–{:.2})", rr.ratio, rr.low, rr.high)) }, None => { "–" } } }
                            td.n { (p_text(d.p_value)) }
                        }
                        None => { td.n { "–" } td.n { "–" } }
                    }
                }
            }
            td { (finding(&format!("{key}:finding"), r.finding)) }
        }
    }
}

/// The finding in words, as the figure `key`; a difference marked up as one to act on.
fn finding(key: &str, f: Finding) -> Markup {
    let words = match f {
        Finding::StaffMoreSerious => "staff more often",
        Finding::OfficersMoreSerious => "officers more often",
        Finding::NoDifference => "no difference",
        Finding::Suppressed => "suppressed",
        Finding::None => "no outcomes",
    };
    html! {
        @if matches!(f, Finding::StaffMoreSerious | Finding::OfficersMoreSerious) {
            span.sev.sev-high data-figure=(key) { (words) }
        } @else {
            span data-figure=(key) { (words) }
        }
    }
}
