//! Joiners, movers and leavers: what to do about tonight's roster changes, counts of the
//! open actions by kind, and the most overdue of them (every action is in jml.csv).

use super::{count, long_date, plural, Morning};
use crate::analyse::jml::Status;
use maud::{html, Markup};

/// The most open actions the page lists; jml.csv has every one.
pub const SHOWN: usize = 10;

pub fn jml(m: &Morning<'_>) -> Markup {
    let j = &m.jml;
    html! {
        p.note {
            "Act on each open action by its due date: vet a joiner, confirm a transferee's clearance, upgrade or re-vet a mover, end a leaver's clearance. Close one that needs nothing more with vetrecon jml close ACTION_ID --reason TEXT --by NAME. Every action: jml.csv."
        }
        @match j.previous_as_of {
            None => {
                p data-figure="jml:compared" { "There is no earlier roster to compare with: tonight's roster is kept, and the next night's joiners, movers and leavers are found against it." }
            }
            Some(before) => {
                p {
                    "Since " span.date data-figure="jml:compared" { (long_date(before)) } ": "
                    span data-figure="jml:joiners" { (plural(j.joiners as u64, "joiner", "joiners")) } ", "
                    span data-figure="jml:movers" { (plural(j.movers as u64, "mover", "movers")) } ", "
                    span data-figure="jml:leavers" { (plural(j.leavers as u64, "leaver", "leavers")) } ". Open actions: "
                    strong data-figure="jml:open" { (count(j.open_count() as u64)) } ", of which overdue: "
                    strong data-figure="jml:overdue" { (count(j.overdue_count() as u64)) } "."
                }
                @if !j.revet_read {
                    p.warning data-figure="jml:revet" { "The post register has no " code { "revet_on_appointment" } " column, so whether a move calls for a re-vet was not read: " (plural(j.no_action.revet_not_read as u64, "mover who holds the new post's level was", "movers who hold the new post's level were")) " given no action." }
                }
                (no_action(m))
                @if !j.rows.is_empty() {
                    table {
                        thead { tr { th { "Action" } th.n { "Open" } th.n { "Overdue" } th.n { "Closed tonight" } } }
                        tbody {
                            @for (action, open, overdue, closed) in j.by_action() {
                                tr {
                                    td { code { (action) } }
                                    td.n data-figure={ "jml:" (action) ":open" } { (open) }
                                    td.n data-figure={ "jml:" (action) ":overdue" } { (overdue) }
                                    td.n data-figure={ "jml:" (action) ":closed" } { (closed) }
                                }
                            }
                        }
                    }
                }
                (most_overdue(m))
            }
        }
    }
}

/// The changes that called for nothing, in one line (nothing when there were none).
fn no_action(m: &Morning<'_>) -> Markup {
    let n = &m.jml.no_action;
    let parts: Vec<String> = [
        (
            n.no_level,
            "into a post that requires no level",
            "into a post that requires no level",
        ),
        (
            n.post_unknown,
            "into a post not in the register",
            "into a post not in the register",
        ),
        (
            n.move_needs_nothing,
            "move needing nothing (level held, no re-vet)",
            "moves needing nothing (level held, no re-vet)",
        ),
        (
            n.leaver_no_clearance,
            "leaver holding no clearance",
            "leavers holding no clearance",
        ),
    ]
    .iter()
    .filter(|(k, _, _)| *k > 0)
    .map(|(k, one, many)| format!("{} {}", count(*k as u64), if *k == 1 { one } else { many }))
    .collect();
    html! {
        @if !parts.is_empty() {
            p.note data-figure="jml:no_action" { "No action needed: " (parts.join("; ")) "." }
        }
    }
}

/// The open actions, most overdue first, at most `SHOWN`.
fn most_overdue(m: &Morning<'_>) -> Markup {
    let open: Vec<_> = (m.jml.rows.iter())
        .filter(|r| r.status == Status::Open)
        .collect();
    html! {
        @if open.is_empty() {
            p { "No open actions." }
        } @else {
            table {
                thead { tr { th { "Action id" } th { "Person" } th { "Post" } th { "Due" } th.n { "Days overdue" } th { "Detail" } } }
                tbody {
                    @for r in open.iter().take(SHOWN) {
                        tr {
                            td { code { (r.action_id) } }
                            td { (r.employee_id) }
                            td { @if r.to_post.is_empty() { (r.from_post) } @else { (r.to_post) } }
                            td { span.date { (r.due_date) } }
                            td.n { (r.days_overdue) }
                            td { (r.detail) }
                        }
                    }
                }
            }
            @if open.len() > SHOWN {
                p.note { (count((open.len() - SHOWN) as u64)) " more open actions in jml.csv." }
            }
        }
    }
}
