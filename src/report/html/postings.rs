//! "Postings before they start": tonight's future postings that will start without the
//! clearance their post needs (POSTING_NOT_CLEARED, the most urgent few; every one in
//! exceptions.csv and the workbook), and the inspection figure, moves into designated posts
//! made before management vetting was granted (every move in moves_before_clearance.csv).

use super::{count, long_date, percent, plural, Morning};
use crate::assess::Code;
use maud::{html, Markup};

/// The most rows the section lists; exceptions.csv has every one.
const SHOWN: usize = 10;

pub fn postings(m: &Morning<'_>) -> Markup {
    let p = &m.postings;
    let rows: Vec<&crate::assess::Exception> = (m.exceptions.iter())
        .filter(|e| e.code == Code::PostingNotCleared)
        .collect();
    html! {
        p { "Vet each person below to their new post's level before the start date, or hold the posting until they are (in priority order: role risk, then the soonest start)." }
        (rejected_rows(m, "postings"))
        @match (m.unchecked(Code::PostingNotCleared), &p.counts) {
            (None, Some(c)) if c.all == 0 => {
                p data-figure="postings:all" { "No postings in the feed tonight." }
            }
            (None, Some(c)) => {
                p {
                    strong data-figure="postings:within" { (count(c.within as u64)) } " of the " span data-figure="postings:all" { (count(c.all as u64)) } " "
                    (word(c.all, "posting", "postings")) " in the feed start in the next " (p.horizon_days) " days ("
                    span data-figure="postings:started" { (count(c.started as u64)) } " already started, "
                    span data-figure="postings:beyond" { (count(c.beyond as u64)) } " further ahead: not checked). "
                    strong data-figure="postings:not_cleared" { (count(c.not_cleared as u64)) } " need action before they start (not cleared for the new post on its start date, or its requirement unknown). Into a designated post: "
                    span data-figure="postings:designated" { (count(c.designated as u64)) } "; joiner postings (not on tonight's roster): "
                    span data-figure="postings:joiners" { (count(c.joiners as u64)) } "; to a post not in the post register (requirement unknown): "
                    span data-figure="postings:unknown_post" { (count(c.unknown_post as u64)) } ". Cleared on the day: "
                    span data-figure="postings:cleared" { (count(c.cleared as u64)) } "; to a post that requires no level: "
                    span data-figure="postings:no_requirement" { (count(c.no_requirement as u64)) } "."
                }
                @if !rows.is_empty() {
                    table {
                        thead { tr { th.n { "Priority" } th { "Starts" } th { "Person" } th { "New post" } th { "Level" } th { "Detail" } } }
                        tbody {
                            @for e in rows.iter().take(SHOWN) {
                                tr {
                                    td.n { (e.priority) }
                                    td { span.date { (start_of(m, e)) } br; span.note { (days_text(-e.days_out)) } }
                                    td { (e.employee_id) @if !e.surname.is_empty() { br; (e.surname) ", " (e.forenames) } }
                                    td { (e.post_id) @if !e.post_title.is_empty() { br; span.note { (e.post_title) } } }
                                    td { (super::worklist::needs_holds(e)) }
                                    td { (e.detail) }
                                }
                            }
                        }
                    }
                    @if rows.len() > SHOWN {
                        p.note { (count((rows.len() - SHOWN) as u64)) " more in exceptions.csv and exceptions.xlsx (code POSTING_NOT_CLEARED)." }
                    }
                }
            }
            (why, _) => {
                p.note data-figure="postings:within" {
                    "Postings: " (why.unwrap_or_else(|| "not read".to_string())) ". No posting was checked tonight, so no figure is given."
                }
            }
        }
        (moves(m))
    }
}

/// The start date of a row: the as-of date plus the days left.
fn start_of(m: &Morning<'_>, e: &crate::assess::Exception) -> String {
    m.info
        .as_of
        .checked_add_signed(chrono::Duration::days(-e.days_out))
        .map_or_else(String::new, |d| d.to_string())
}

/// The word that fits a count: `one` for 1, `many` otherwise.
fn word<'w>(n: usize, one: &'w str, many: &'w str) -> &'w str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// "today", "in 1 day", "in 12 days".
fn days_text(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "in 1 day".into(),
        n => format!("in {n} days"),
    }
}

/// The inspection figure, with its definition.
fn moves(m: &Morning<'_>) -> Markup {
    let mv = &m.moves;
    html! {
        h3 { "Moves into designated posts before clearance" }
        p.note {
            "Of the people now in a designated post who started in it in the last " (plural(u64::from(mv.lookback_months), "month", "months"))
            " (by the roster's post_start_date), those who did not hold " (mv.level) " on the day they started, with the days from the start to the decision on their first "
            (mv.level) " grant after it (to the as-of date while there is none). Every move counted: moves_before_clearance.csv."
        }
        @match &mv.figure {
            None => {
                p.note data-figure="moves:moves" { "Moves: " (crate::report::moves_csv::NOT_READ) ", so no move can be dated and no figure is given." }
            }
            Some(f) => {
                p {
                    "From " span.date data-figure="moves:from" { (long_date(f.from)) } " to " span.date { (long_date(f.to)) } ": "
                    strong data-figure="moves:moves" { (count(f.moves.len() as u64)) } " " (word(f.moves.len(), "move", "moves")) " into designated posts, "
                    strong data-figure="moves:before" { (count(f.before_count() as u64)) } " of them made before " (mv.level) " was granted"
                    @if let Some(r) = f.rate() { " (" span data-figure="moves:rate" { (percent(r)) } ")" }
                    @if let Some(d) = f.median_days() {
                        "; median " span data-figure="moves:median_days" { (format!("{d:.1}")) } " days uncleared"
                    }
                    "; " strong data-figure="moves:still_uncleared" { (count(f.still_uncleared() as u64)) } " still uncleared."
                }
                @if f.start_not_recorded > 0 {
                    p.warning {
                        "Designated postholders whose post_start_date is blank on the roster (start date not recorded, so not counted as moves): "
                        strong data-figure="moves:start_not_recorded" { (count(f.start_not_recorded as u64)) } "."
                    }
                } @else {
                    p.note { "Every designated postholder has a post_start_date (" span data-figure="moves:start_not_recorded" { "0" } " start dates not recorded)." }
                }
            }
        }
    }
}

/// One warning line when rows of the feed `role` were rejected tonight: what they held was
/// not checked, so no figure below counts it (each is in rejects.csv). Nothing otherwise.
pub(super) fn rejected_rows(m: &Morning<'_>, role: &str) -> Markup {
    let n = m.data.rejects.iter().filter(|r| r.file == role).count();
    html! {
        @if n > 0 {
            p.warning data-figure={ (role) ":rejected" } {
                (count(n as u64)) " " (word(n, "row", "rows")) " of " (role) ".csv " (word(n, "was", "were"))
                " rejected (rejects.csv): what " (word(n, "it", "they")) " held is not checked tonight, and no figure below counts "
                (word(n, "it", "them")) "."
            }
        }
    }
}
