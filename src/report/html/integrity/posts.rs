//! "Posts whose requirement looks wrong": the posts of the register whose recorded level a
//! rule questions (`analyse::post_register`), counted per rule, the first few listed; every
//! row is in post_register_checks.csv and the workbook's Post register checks sheet.

use super::super::count;
use super::Morning;
use crate::analyse::post_register::{PostRegister, Row, Rule};
use crate::report::integrity_csv::POST_REGISTER_CHECKS;
use maud::{html, Markup};

/// The most rows the part lists; the CSV and the sheet have every one.
const SHOWN: usize = 10;

pub fn posts(m: &Morning<'_>) -> Markup {
    let r = &m.post_register;
    html! {
        p { "Check each post's level with its owner: correct the register, or record why the level stands." }
        @if r.rows.is_empty() {
            p data-figure="integrity_posts:none" {
                "Checked " (count(r.posts as u64)) " " (posts_word(r.posts)) ": none."
            }
            @if let Some(why) = r.not_read(Rule::VulnerableContactBelowLevel) {
                p.warning {
                    "Vulnerable-contact posts below " (level(m, r)) ": "
                    span data-figure="integrity_posts:vulnerable_contact_below_level" { (why) }
                    ", so none of them was checked."
                }
            }
        } @else {
            (counts(m, r))
            @if let Some(why) = r.hours_not_configured() {
                p.note { "The hours columns are blank: " span data-figure="integrity_posts:hours" { (why) } "." }
            }
            (table(m, &r.rows))
            p.note {
                "All " span data-figure="integrity_posts:rows" { (count(r.rows.len() as u64)) }
                " in " (POST_REGISTER_CHECKS) " and the workbook's Post register checks sheet."
            }
        }
    }
}

fn posts_word(n: usize) -> &'static str {
    if n == 1 {
        "post"
    } else {
        "posts"
    }
}

/// The level vulnerable-contact posts are checked against (`integrity.vulnerable_contact_level`).
fn level<'a>(m: &'a Morning<'_>, r: &PostRegister) -> &'a str {
    m.levels.name(r.vulnerable_level)
}

fn counts(m: &Morning<'_>, r: &PostRegister) -> Markup {
    let figure = |rule: Rule| {
        let name = format!("integrity_posts:{}", rule.as_str());
        match (r.count(rule), r.not_read(rule)) {
            (Some(n), _) => html! { strong data-figure=(name) { (count(n as u64)) } },
            (None, why) => html! { span data-figure=(name) { (why.unwrap_or("not read")) } },
        }
    };
    html! {
        p {
            "Of the " span data-figure="integrity_posts:posts" { (count(r.posts as u64)) } " " (posts_word(r.posts)) " in the register: designated posts recorded below "
            (m.levels.name(m.levels.designated())) ": " (figure(Rule::DesignatedBelowMv))
            " · vulnerable-contact posts recorded below " (level(m, r)) ": " (figure(Rule::VulnerableContactBelowLevel))
            " · titles graded otherwise than the force's title rules: " (figure(Rule::TitleRule)) "."
        }
    }
}

/// Hours with their sign (`+0.3`, `-0.5`, `0.0`); blank when not configured.
fn signed(h: Option<f64>) -> String {
    match h {
        Some(h) if h > 0.0 => format!("+{h:.1}"),
        Some(h) => format!("{h:.1}"),
        None => String::new(),
    }
}

fn table(m: &Morning<'_>, rows: &[Row]) -> Markup {
    let name = |l: Option<crate::model::LevelId>| l.map_or("none", |l| m.levels.name(l));
    html! {
        table {
            thead { tr {
                th { "Post" } th { "Department" } th { "Rule" } th { "Recorded" } th { "Expected" }
                th { "Direction" } th.n { "Postholders" } th.n { "Renewal hours a year" } th.n { "Upgrade hours" }
            } }
            tbody {
                @for r in rows.iter().take(SHOWN) {
                    tr {
                        td { (r.post_id) @if !r.title.is_empty() { br; span.note { (r.title) } } }
                        td { (r.department) }
                        td { code { (r.rule.as_str()) } @if let Some(k) = &r.keyword { br; span.note { "“" (k) "”" } } }
                        td { (name(r.recorded)) }
                        td { (name(Some(r.expected))) }
                        td { (r.direction.as_str()) }
                        td.n { (count(r.postholders as u64)) }
                        td.n { (signed(r.renewal_hours_a_year)) }
                        td.n { (r.upgrade_hours.map(|h| format!("{h:.1}")).unwrap_or_default()) }
                    }
                }
            }
        }
    }
}
