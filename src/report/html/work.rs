//! The report's work sections, where people are named: the priority worklist, the review
//! queue with each candidate's evidence, and the QA dip sample.

use super::{long_date, Morning};
use maud::{html, Markup};

pub fn qa(m: &Morning<'_>) -> Markup {
    let s = &m.policy.qa_sample;
    let w = crate::analyse::Window::ending(m.info.as_of, s.window_months);
    // The export's adverse categories are read: the sample draws by them and shows them.
    let categories = m.data.vetting_columns.contains(&"adverse_category");
    html! {
        p.note {
            "A reproducible random sample (seeded by run " (m.info.run_id) ") of decisions made from "
            span.date data-figure="qa:from" { (long_date(w.from)) } " to " span.date { (long_date(w.to)) } " (both days included): up to " (s.refusals) " refusals and up to " (s.adverse_grants)
            " clearances granted despite adverse information. Check each decision's rationale and, where adverse information was accepted, its risk-mitigation conditions. Also in qa_sample.csv."
        }
        @if let Some(q) = m.qa_verdicts {
            (verdicts(m, q))
        }
        @for column in ["adverse_info", "rationale_recorded", "risk_mitigation"] {
            @if m.column_not_read(column) {
                p.warning data-figure={ "qa:not_read:" (column) } { "The vetting export has no " code { (column) } " column, so it was not read: " (qa_not_read(column)) }
            }
        }
        @if m.qa.is_empty() {
            p { "No refusals or adverse-information grants in the window." }
        } @else {
            table {
                thead { tr { th { "Sample" } th { "Vetting ref" } @if categories { th { "Adverse category" } } th { "Name" } th { "Level" } th { "Decision" } th { "Rationale" } th { "Mitigation" } } }
                tbody {
                    @for p in &m.qa {
                        @let v = m.record(p.record);
                        tr {
                            td { (p.kind.as_str().replace('_', " ")) span.note { " (of " (p.out_of) ")" } }
                            td { (v.vetting_ref) }
                            @if categories { td { (v.casework.as_ref().and_then(|c| c.adverse_category.as_deref()).unwrap_or("")) } }
                            td { (v.surname) ", " (v.forenames) }
                            td { (m.levels.name(v.level)) }
                            td { (v.status.as_str()) " " @if let Some(d) = v.decision_date { (d) } }
                            td { @if m.column_not_read("rationale_recorded") { span.note { "not in the export" } } @else { @match v.rationale_recorded { Some(true) => "recorded", Some(false) => strong { "missing" }, None => strong { "not recorded" } } } }
                            td { @if m.column_not_read("risk_mitigation") { span.note { "not in the export" } } @else { @match v.risk_mitigation { Some(true) => "recorded", Some(false) => "none", None => "not recorded" } } }
                        }
                    }
                }
            }
        }
    }
}

/// The longest reason the page shows of a finding (in characters); qa_verdicts.csv has it
/// whole.
const REASON_SHOWN: usize = 120;

/// The most open findings the page lists; qa_verdicts.csv has every one.
const FINDINGS_SHOWN: usize = 20;

/// `text` cut to `REASON_SHOWN` characters, marked where it was cut.
fn shortened(text: &str) -> String {
    if text.chars().nth(REASON_SHOWN).is_none() {
        return text.to_string();
    }
    let kept: String = text.chars().take(REASON_SHOWN).collect();
    format!("{}…", kept.trim_end())
}

/// What the reviewers found: how to record a verdict, the agreement rate over the verdicts in
/// force, and the open findings (disagree verdicts).
fn verdicts(m: &Morning<'_>, q: &crate::clerical::qa::QaInForce) -> Markup {
    use crate::clerical::qa::QaVerdict;
    let categories = m.data.vetting_columns.contains(&"adverse_category");
    let open: Vec<&crate::clerical::qa::QaRow> = (q.by_run().into_iter())
        .filter(|r| r.verdict == QaVerdict::Disagree)
        .collect();
    let (all, agreed) = (q.len(), q.agreed());
    html! {
        p.note {
            "A decision already given a verdict is not drawn again."
            @if categories { " Each adverse category present among the eligible decisions of a kind is drawn at least once, as far as the sample size allows." }
            " Record a verdict on a sampled decision: vetrecon qa record RUN_ID VETTING_REF --verdict agree|disagree --reason TEXT --by NAME (or many with vetrecon qa import FILE). Every verdict: qa_verdicts.csv."
        }
        @if all == 0 {
            p { strong data-figure="qa:agreement" { "No verdicts recorded yet" } "." }
        } @else {
            p {
                "Agreement with the decisions reviewed: " strong data-figure="qa:agreement" { (super::percent(agreed as f64 / all as f64)) }
                " (" span data-figure="qa:agree" { (super::count(agreed as u64)) } " of " span data-figure="qa:verdicts" { (super::count(all as u64)) } " verdicts agree). Open findings (disagree): "
                strong data-figure="qa:open" { (super::count(open.len() as u64)) } "."
            }
            @if !open.is_empty() {
                table {
                    thead { tr { th { "Run" } th { "Vetting ref" } th { "Sample" } th { "Reason" } th { "By" } } }
                    tbody {
                        @for r in open.iter().take(FINDINGS_SHOWN) {
                            tr {
                                td { (r.run_id) }
                                td { (r.vetting_ref) }
                                td { (r.sample.replace('_', " ")) span.note { " (decided " (r.decision_date) ")" } }
                                td { (shortened(&r.reason)) }
                                td { (r.by) }
                            }
                        }
                    }
                }
                @if open.len() > FINDINGS_SHOWN {
                    p.note { (super::count((open.len() - FINDINGS_SHOWN) as u64)) " more open findings in qa_verdicts.csv." }
                }
            }
        }
    }
}

/// What an optional vetting column not read leaves unchecked in the dip sample.
fn qa_not_read(column: &str) -> &'static str {
    match column {
        "adverse_info" => "no clearance is known to have been granted despite adverse information, so none can be sampled, and ADVERSE_UNMITIGATED was not checked.",
        "rationale_recorded" => "whether each sampled decision has a recorded rationale is not known.",
        _ => "whether each sampled grant has risk-mitigation conditions is not known.",
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
        (super::sections::not_read_warning(m))
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
                        @match m.unchecked(code) {
                            Some(why) => {
                                td.note colspan=(BANDS.len() + 1) data-figure={ "triggers:" (code.as_str()) } { (why) ": not checked tonight" }
                            }
                            None => {
                                @for (label, _, _) in BANDS {
                                    td.n data-figure={ "triggers:" (code.as_str()) ":" (label) } { (in_band(&open, code, label)) }
                                }
                                td.n data-figure={ "triggers:" (code.as_str()) } { (open.iter().filter(|e| e.code == code).count()) }
                            }
                        }
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
