//! The review queue: each vetting record waiting for a link decision, with the values on
//! both sides (names, previous surnames, date of birth, the NI number's last three
//! characters, the employee-id hint, the post), each candidate's grade in words with its
//! bits small beside it, the record's posterior split between its candidates, and a
//! ready-to-copy `vetrecon decide` line per candidate. Names and dates of birth are shown
//! because report.html is owner-only, like every output; they never go to a log.

use super::{count, percent, plural, Morning};
use crate::report::evidence::{decide_line, grade, ni_tail};
use maud::{html, Markup};

pub fn review(m: &Morning<'_>) -> Markup {
    let shown = m.policy.review_queue_size.min(m.review.len());
    let posts: std::collections::HashMap<&str, &str> = m
        .data
        .posts
        .iter()
        .map(|p| (p.post_id.as_str(), p.title.as_str()))
        .collect();
    let post_of = |id: Option<&String>| {
        id.map(|id| posts.get(id.as_str()).copied().unwrap_or(id.as_str()))
            .unwrap_or("")
            .to_string()
    };
    html! {
        @if m.review.is_empty() {
            p { "No vetting record is waiting for a link decision." }
        } @else {
            p.note {
                (plural(m.review.len() as u64, "vetting record", "vetting records")) " could not be linked safely by the program. "
                @if shown < m.review.len() { "The first " (count(shown as u64)) " are below; all are in exceptions.xlsx (Review queue), which you can fill in and import. " }
                "Each candidate's value is shown against the vetting record's, with how they compare; the small figure is the evidence in bits (positive for, negative against). "
                "The posterior is the program's probability that the record is this person's, weighed against the other candidates and against someone not on the roster."
            }
            @for item in m.review.iter().take(shown) {
                @let v = m.record(item.record);
                @let total: f64 = item.candidates.iter().map(|c| c.probability).sum();
                div.review data-figure={ "review:" (v.vetting_ref) } {
                    h3 {
                        span.ref { (v.vetting_ref) } " · " (item.code.label()) " " code.small { (item.code.as_str()) }
                        span.note { " · #" (item.priority) " · " (m.levels.name(v.level)) " " (v.status.as_str()) }
                    }
                    @if !item.reopened.is_empty() {
                        p.flag.reopened { strong { "Decision reopened. " } (item.reopened) ". Decide again with vetrecon decide." }
                    }
                    p {
                        @if item.candidates.len() == 1 {
                            @if let Some(c) = item.candidates.first() {
                                "Posterior: " strong data-figure={ "posterior:" (v.vetting_ref) } { (percent(c.probability)) } " that this record is " span.ref { (m.person(c.person).employee_id) } "'s."
                            }
                        } @else {
                            "Split between the candidates: "
                            @for (i, c) in item.candidates.iter().enumerate() {
                                @if i > 0 { ", " }
                                span.ref { (m.person(c.person).employee_id) } " " strong { (percent(c.probability)) }
                            }
                            "; someone else or no one on the roster " (percent((1.0 - total).max(0.0))) "."
                        }
                    }
                    table.evidence {
                        thead { tr {
                            th { "" } th { "Vetting record" }
                            @for c in &item.candidates { th { "Candidate " span.ref { (m.person(c.person).employee_id) } } }
                        } }
                        tbody {
                            @for (label, field) in [("Surname", "surname"), ("Forenames", "forenames"), ("Previous surnames", ""), ("Date of birth", "date_of_birth"), ("NI number (last 3)", "ni_number"), ("Employee id (hint)", "employee_id"), ("Post", "")] {
                                tr {
                                    th { (label) }
                                    td { (record_value(v, label)) }
                                    @for c in &item.candidates {
                                        @let p = m.person(c.person);
                                        td {
                                            (person_value(p, label, &post_of(p.post_id.as_ref())))
                                            @if let Some(e) = c.fields.iter().find(|e| !field.is_empty() && e.field == field) {
                                                br; span.grade { (grade(e.field, e.level)) } " " span.ev { (format!("{:+.1}", e.bits)) }
                                            }
                                        }
                                    }
                                }
                            }
                            @if item.candidates.iter().any(|c| (c.lookalike * 10.0).round() > 0.0) {
                                tr {
                                    th { "Look-alikes" }
                                    td { "" }
                                    @for c in &item.candidates {
                                        td {
                                            @if (c.lookalike * 10.0).round() > 0.0 {
                                                span.grade { "people who agree this way are often different people" } " " span.ev { (format!("{:+.1}", -c.lookalike)) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    p.note { "To record the decision (copy, then put your name and what you checked):" }
                    ul.cmds {
                        @for c in &item.candidates {
                            li { code.cmd { (decide_line("confirm", &m.person(c.person).employee_id, &v.vetting_ref)) } }
                        }
                        @if item.candidates.len() == 1 {
                            @if let Some(c) = item.candidates.first() {
                                li { code.cmd { (decide_line("reject", &m.person(c.person).employee_id, &v.vetting_ref)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn record_value(v: &crate::model::VettingRecord, label: &str) -> String {
    match label {
        "Surname" => v.surname.clone(),
        "Forenames" => v.forenames.clone(),
        "Previous surnames" => v.previous_surnames.join(", "),
        "Date of birth" => v.date_of_birth.to_string(),
        "NI number (last 3)" => ni_tail(v.ni_number.as_deref()),
        "Employee id (hint)" => v.employee_id_hint.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

fn person_value(p: &crate::model::Person, label: &str, post: &str) -> String {
    match label {
        "Surname" => p.surname.clone(),
        "Forenames" => p.forenames.clone(),
        "Previous surnames" => p.previous_surnames.join(", "),
        "Date of birth" => p.date_of_birth.to_string(),
        "NI number (last 3)" => ni_tail(p.ni_number.as_deref()),
        "Employee id (hint)" => p.employee_id.clone(),
        _ => post.to_string(),
    }
}
