//! Part of the integrity oversight section (see `super`): the people tonight's exceptions give
//! several signals at once (`analyse::signals`), highest score first. The page shows the
//! first ten with each signal's code and age; every one is in signals.csv and the workbook.
//!
//! A code of the weights that tonight did not check (its feed or column not read) is named
//! with why, so a short or empty list never reads as "no one": someone's second signal may be
//! in a feed not read.

use super::Morning;
use crate::analyse::signals::{Listed, Signals};
use crate::assess::Code;
use maud::{html, Markup};

/// The people shown on the page; the rest are in signals.csv.
const SHOWN: usize = 10;

pub fn signals(m: &Morning<'_>) -> Markup {
    let s = &m.signals;
    let unchecked: Vec<(Code, String)> = (s.weights.iter())
        .filter_map(|(c, _)| Some((*c, m.unchecked(*c)?)))
        .collect();
    let n = s.min_signals;
    html! {
        p.note { "Take these people to the people-intelligence meeting together, highest score first." }
        @if s.weights.is_empty() {
            p.warning data-figure="signals:not_read" {
                "Not read: integrity.signal_weights names no code, so nothing counts as a signal and no one is listed."
            }
        } @else if unchecked.len() == s.weights.len() {
            p.warning data-figure="signals:not_read" {
                "Not read: none of the codes that count as a signal was checked tonight, so no one can be listed."
            }
        } @else if s.listed.is_empty() && unchecked.is_empty() {
            p data-figure="signals:none" { "Checked: no one has " (n) " or more signals." }
        } @else if s.listed.is_empty() {
            p.warning data-figure="signals:none" {
                "Of the codes checked tonight, no one has " (n) " or more signals; the codes below were not checked, so this does not say that no one has."
            }
        } @else {
            p {
                strong data-figure="signals:listed" { (super::super::count(s.listed.len() as u64)) }
                " " (if s.listed.len() == 1 { "person has " } else { "people have " }) (n) " or more signals tonight."
            }
            (table(&s.listed))
            p.note {
                "All " (super::super::count(s.listed.len() as u64)) " in signals.csv and the workbook's Several signals sheet."
            }
        }
        @if !unchecked.is_empty() {
            p.warning {
                "Not checked tonight: "
                @for (i, (c, why)) in unchecked.iter().enumerate() {
                    @if i > 0 { "; " }
                    code { (c.as_str()) } " (" span data-figure={ "signals:not_checked:" (c.as_str()) } { (why) } ")"
                }
                ". Signals of these codes are not counted tonight, so someone may have more than is shown."
            }
        }
        (weights(s))
    }
}

fn table(listed: &[Listed]) -> Markup {
    html! {
        table {
            thead { tr { th.n { "Rank" } th { "Person" } th { "Post" } th.n { "Score" } th.n { "Signals" } th { "Codes (days out)" } } }
            tbody {
                @for l in listed.iter().take(SHOWN) {
                    tr {
                        td.n { (l.rank) }
                        td { span data-figure={ "signals:" (l.rank) ":employee_id" } { (l.employee_id) } @if !l.surname.is_empty() { br; (l.surname) ", " (l.forenames) } }
                        td { (l.post_id) @if !l.post_title.is_empty() { br; (l.post_title) } }
                        td.n data-figure={ "signals:" (l.rank) ":score" } { (l.score) }
                        td.n { (l.signals.len()) }
                        td data-figure={ "signals:" (l.rank) ":codes" } { (l.codes()) }
                    }
                }
            }
        }
    }
}

/// What a signal is and the weights in force, highest first, so a score can be read back.
fn weights(s: &Signals) -> Markup {
    let each: Vec<String> = (s.weights.iter())
        .map(|(c, w)| format!("{} {w}", c.as_str()))
        .collect();
    html! {
        @if !each.is_empty() {
            p.note {
                "A signal is an exception tonight of a code integrity.signal_weights weighs: "
                (each.join(" · "))
                ". A person with " (s.min_signals) " or more is listed, scored by the sum of the weights; each signal is shown by its code and days out only (its detail is in exceptions.csv)."
            }
        }
    }
}
