//! The report's work sections, where people are named: the priority worklist, the review
//! queue with each candidate's evidence, and the QA dip sample.

use super::{long_date, plural, Morning};
use maud::{html, Markup};

pub fn review(m: &Morning<'_>) -> Markup {
    let shown = m.policy.review_queue_size.min(m.review.len());
    let posts: std::collections::HashMap<&str, &str> = m
        .data
        .posts
        .iter()
        .map(|p| (p.post_id.as_str(), p.title.as_str()))
        .collect();
    html! {
        @if m.review.is_empty() {
            p { "No vetting record is waiting for a link decision." }
        } @else {
            p.note {
                (plural(m.review.len() as u64, "vetting record", "vetting records")) " could not be linked safely by the program. "
                @if shown < m.review.len() { "The first " (shown) " are below; all are in exceptions.xlsx (Review queue). " }
                "Each candidate shows the evidence per field in bits (positive for, negative against). Record the decision with vetrecon decide."
            }
            @for item in m.review.iter().take(shown) {
                @let v = m.record(item.record);
                div.review data-figure={ "review:" (v.vetting_ref) } {
                    h3 {
                        code { (item.code.as_str()) } " " (v.vetting_ref) ": " (v.surname) ", " (v.forenames)
                        span.note { " born " (v.date_of_birth) " · " (m.levels.name(v.level)) " " (v.status.as_str()) }
                    }
                    @if !item.reopened.is_empty() {
                        p.flag.reopened { strong { "Decision reopened. " } (item.reopened) ". Decide again with vetrecon decide." }
                    }
                    table {
                        thead { tr {
                            th { "Candidate" } th { "Born" } th { "Post" } th.n { "Probability" }
                            @if let Some(c) = item.candidates.first() { @for e in &c.fields { th { (e.field) } } }
                        } }
                        tbody {
                            @for c in &item.candidates {
                                @let p = m.person(c.person);
                                tr {
                                    td { (p.employee_id) br; (p.surname) ", " (p.forenames) }
                                    td { (p.date_of_birth) }
                                    td { @if let Some(id) = &p.post_id { (posts.get(id.as_str()).copied().unwrap_or(id.as_str())) } }
                                    td.n { (format!("{:.3}", c.probability)) }
                                    @for e in &c.fields { td { (e.level) br; span.ev { (format!("{:+.1}", e.bits)) } } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn qa(m: &Morning<'_>) -> Markup {
    let s = &m.policy.qa_sample;
    let w = crate::analyse::Window::ending(m.info.as_of, s.window_months);
    html! {
        p.note {
            "A reproducible random sample (seeded by run " (m.info.run_id) ") of decisions made from "
            span.date data-figure="qa:from" { (long_date(w.from)) } " to " span.date { (long_date(w.to)) } " (both days included): up to " (s.refusals) " refusals and up to " (s.adverse_grants)
            " clearances granted despite adverse information. Check each decision's rationale and, where adverse information was accepted, its risk-mitigation conditions. Also in qa_sample.csv."
        }
        @if m.qa.is_empty() {
            p { "No refusals or adverse-information grants in the window." }
        } @else {
            table {
                thead { tr { th { "Sample" } th { "Vetting ref" } th { "Name" } th { "Level" } th { "Decision" } th { "Rationale" } th { "Mitigation" } } }
                tbody {
                    @for p in &m.qa {
                        @let v = m.record(p.record);
                        tr {
                            td { (p.kind.as_str().replace('_', " ")) span.note { " (of " (p.out_of) ")" } }
                            td { (v.vetting_ref) }
                            td { (v.surname) ", " (v.forenames) }
                            td { (m.levels.name(v.level)) }
                            td { (v.status.as_str()) " " @if let Some(d) = v.decision_date { (d) } }
                            td { @if v.rationale_recorded { "recorded" } @else { strong { "missing" } } }
                            td { @if v.risk_mitigation { "recorded" } @else { "none" } }
                        }
                    }
                }
            }
        }
    }
}

/// Open review triggers by age, then the oldest of them by name.
pub fn triggers(m: &Morning<'_>) -> Markup {
    use crate::analyse::triggers::{count as in_band, open, BANDS, CODES};
    let open = open(m.exceptions);
    let n = m.policy.review_queue_size.min(open.len());
    let unmatched = crate::assess::triggers::unmatched(&m.data.persons, &m.data.triggers);
    html! {
        p.note { "PND returns, misconduct outcomes and changes of circumstances with no vetting review on or after them, by days past the grace period. Every one: review_triggers.csv." }
        @for (role, rows) in &unmatched {
            @if *rows > 0 {
                p.warning data-figure={ "unmatched:" (role) } { strong { (rows) } " " (role) " row" @if *rows != 1 { "s" } " name an employee id that is no one on tonight's roster, so they raise nothing: check the ids in that export (ids are matched without regard to case)." }
            }
        }
        table {
            thead { tr { th { "Trigger" } @for (label, _, _) in BANDS { th.n { (label) " days" } } th.n { "All" } } }
            tbody {
                @for code in CODES {
                    tr {
                        td { code { (code.as_str()) } }
                        @for (label, _, _) in BANDS {
                            td.n data-figure={ "triggers:" (code.as_str()) ":" (label) } { (in_band(&open, code, label)) }
                        }
                        td.n data-figure={ "triggers:" (code.as_str()) } { (open.iter().filter(|e| e.code == code).count()) }
                    }
                }
            }
        }
        @if n > 0 {
            h3 { "Oldest open triggers" }
            table {
                thead { tr { th { "Trigger" } th { "Person" } th { "Reference" } th.n { "Days overdue" } th { "Event" } } }
                tbody {
                    @for e in open.iter().take(n) {
                        tr {
                            td { code { (e.code.as_str()) } }
                            td { (e.employee_id) br; (e.surname) ", " (e.forenames) }
                            td { (e.vetting_ref) }
                            td.n { (e.days_out) }
                            td { (e.detail) }
                        }
                    }
                }
            }
        }
    }
}
