//! Conditions on clearances: breaches first, then reviews due, then the conditions by type
//! and owning unit. Every condition, with its status, is in condition_status.csv.

use super::{count, Morning};
use crate::analyse::conditions::{by_type_and_owner, Conditions, Row, Status};
use crate::assess::Code;
use maud::{html, Markup};

pub fn conditions(m: &Morning<'_>) -> Markup {
    html! {
        p.note {
            "Today, move anyone out of a post their posting restriction covers; then review the conditions past their review date, and give every condition an owning unit. Every condition, with its status: condition_status.csv."
        }
        (super::postings::rejected_rows(m, "conditions"))
        @match (&m.conditions, m.unchecked(Code::ConditionBreached)) {
            (Some(c), None) => (figures(m, c)),
            (_, why) => {
                p.warning data-figure="conditions:not_read" {
                    (capitalised(&why.unwrap_or_else(|| "not read".into()))) ": no breach, review or owner was checked tonight, and no figure stands here."
                }
            }
        }
    }
}

fn figure(name: &str, n: usize) -> Markup {
    html! { strong data-figure={ "conditions:" (name) } { (count(n as u64)) } }
}

fn figures(m: &Morning<'_>, c: &Conditions) -> Markup {
    let shown = m.policy.review_queue_size;
    let breached: Vec<&Row> = c.breached().collect();
    let due = c.due();
    let live = c.live().count();
    html! {
        p {
            "Breached: " (figure("breached", breached.len()))
            " · past their review date: " (figure("review_due", due.len()))
            " · with no owning unit: " (figure("no_owner", c.rows.iter().filter(|r| r.ownerless).count()))
            " · with no review period: " (figure("no_period", c.rows.iter().filter(|r| r.no_period).count()))
            " · of the conditions on a live clearance: " (figure("live", live)) "."
        }
        p {
            "Raising nothing: on no vetting record tonight " (figure("no_record", c.count(Status::NoRecord)))
            " · on a record no longer granted or suspended " (figure("not_live", c.count(Status::NotLive)))
            ". Grants that record a risk mitigation no condition holds: " (figure("mitigation_without_condition", c.mitigated_without_condition)) "."
        }
        @if !breached.is_empty() {
            h3 { "Posting restrictions breached" }
            (table(&breached, shown, false))
        }
        @if !due.is_empty() {
            h3 { "Past their review date" }
            (table(&due, shown, true))
        }
        @if live > 0 {
            h3 { "Live conditions by type and owning unit" }
            (by_owner(c))
        }
    }
}

fn table(rows: &[&Row], shown: usize, days: bool) -> Markup {
    html! {
        table {
            thead { tr { th { "Condition" } th { "Vetting ref" } th { "Employee" } @if days { th.n { "Days overdue" } } th { "Detail" } } }
            tbody {
                @for r in rows.iter().take(shown) {
                    tr {
                        td { (r.condition_ref) }
                        td { (r.vetting_ref) }
                        td { (r.employee_id) }
                        @if days { td.n { (r.overdue.unwrap_or(0)) } }
                        td { (r.detail) }
                    }
                }
            }
        }
        @if rows.len() > shown {
            p.note { (count((rows.len() - shown) as u64)) " more in condition_status.csv." }
        }
    }
}

fn by_owner(c: &Conditions) -> Markup {
    let t = by_type_and_owner(c);
    let columns = c.owners.len() + 1;
    let cell = |ti: usize, oi: usize| t.get(&(ti, oi)).copied().unwrap_or(0);
    html! {
        table {
            thead { tr { th { "Type" } @for o in &c.owners { th.n { (o.replace('_', " ")) } } th.n { "no owner" } th.n { "All" } } }
            tbody {
                @for (ti, kind) in c.types.iter().enumerate() {
                    tr {
                        td { (kind.replace('_', " ")) }
                        @for oi in 0..columns {
                            td.n data-figure={ "conditions:" (kind) ":" (c.owners.get(oi).map_or("none", |o| &**o)) } { (cell(ti, oi)) }
                        }
                        td.n { ((0..columns).map(|oi| cell(ti, oi)).sum::<usize>()) }
                    }
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
