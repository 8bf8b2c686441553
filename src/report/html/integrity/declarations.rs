//! Declarations and integrity reviews: what to do, then the counts, each figure "not read"
//! (and why) where tonight did not check it, never a zero. Every declaration with its status
//! is in declaration_status.csv and the workbook's Declarations sheet; the rows to act on are
//! in the worklist and exceptions.csv.

use super::Morning;
use crate::analyse::declarations::{Declarations, Reviews};
use crate::assess::integrity::declaration::Status;
use crate::assess::Code;
use maud::{html, Markup};

pub fn declarations(m: &Morning<'_>) -> Markup {
    let d = &m.declarations;
    html! {
        p.note {
            "Review each declaration past its date; act on a refused interest held in a designated post; hold the overdue integrity reviews. Every declaration, with its status: declaration_status.csv and the workbook's Declarations sheet."
        }
        (super::super::postings::rejected_rows(m, "declarations"))
        @match (&d.rows, m.unchecked(Code::DeclarationReviewDue)) {
            (Some(_), None) => (declared(d)),
            (_, why) => {
                p.warning data-figure="declarations:not_read" {
                    (capitalised(&why.unwrap_or_else(|| "not read".into()))) ": no declaration was checked tonight, and no figure stands here."
                }
            }
        }
        @match (&d.reviews, m.unchecked(Code::IntegrityReviewOverdue)) {
            (Some(r), None) => (reviews(r)),
            (_, why) => {
                p.warning data-figure="integrity_reviews:not_read" {
                    "Integrity reviews " (why.unwrap_or_else(|| "not read".into())) ", so no integrity review was checked tonight and no figure stands here."
                }
            }
        }
    }
}

fn figure(name: &str, n: usize) -> Markup {
    html! { strong data-figure={ "declarations:" (name) } { (super::super::count(n as u64)) } }
}

fn declared(d: &Declarations) -> Markup {
    let read: usize = d.rows.as_ref().map_or(0, Vec::len);
    let (unknown, leavers) = (d.count(Status::NotOnRoster), d.count(Status::Leaver));
    html! {
        p {
            "Declarations read: " (figure("read", read)) " ("
            @for (i, t) in d.types.iter().enumerate() {
                @if i > 0 { ", " }
                (t.replace('_', " ")) " " (figure(&format!("type:{t}"), d.of_type(t)))
            }
            "). Past their review date: " (figure("review_due", d.count(Status::ReviewDue)))
            " · refused and held in a designated post: " (figure("refused_in_post", d.count(Status::RefusedInDesignatedPost)))
            " · not yet decided: " (figure("undecided", d.undecided())) "."
        }
        p {
            "Declarations of people not on the roster, raising nothing: " (figure("not_on_roster", unknown + leavers))
            " (of an employee id no one on the roster has: " (figure("unknown_id", unknown))
            " · of a leaver: " (figure("leaver", leavers)) ")."
        }
    }
}

fn reviews(r: &Reviews) -> Markup {
    let figure = |name: &str, n: usize| {
        html! { strong data-figure={ "integrity_reviews:" (name) } { (super::super::count(n as u64)) } }
    };
    html! {
        p {
            "Integrity reviews: people checked (active on the roster) " (figure("checked", r.checked))
            " · overdue since their last review " (figure("overdue", r.overdue))
            " · none recorded " (figure("none_recorded", r.none_recorded)) "."
            @if r.new_in_post > 0 {
                @let one = r.new_in_post == 1;
                " A further " (figure("new_in_post", r.new_in_post))
                (if one { " person" } else { " people" })
                " with none recorded " (if one { "has" } else { "have" })
                " been in post less than " (r.period.as_text()) ": not yet due."
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
