//! report.html: the vetting manager's morning page.
//!
//! One self-contained file: inline CSS and SVG, no scripts, no external links or fonts, so it
//! opens offline on a locked-down laptop and prints cleanly on A4. Built with maud, which
//! escapes every value taken from the data (a surname cannot inject markup). Every figure on
//! the page comes from the same `Morning` as the CSV files, and carries a `data-figure`
//! attribute naming it, so a test can hold the page and the CSVs together.

mod chart;
mod conditions;
mod integrity;
mod jml;
mod postings;
mod review;
mod sections;
mod unit;
mod work;
mod worklist;

use super::morning::Morning;
use maud::{html, Markup, PreEscaped, DOCTYPE};

const STYLE: &str = include_str!("style.css");

/// The sections in page order: anchor id and heading.
pub const SECTIONS: [(&str, &str); 17] = [
    ("headline", "Headline"),
    ("designated", "Designated posts"),
    ("worklist", "Priority worklist"),
    ("changes", "Changes since the last run"),
    ("trend", "Trend"),
    ("review", "Review queue"),
    ("triggers", "Open review triggers"),
    ("jml", "Joiners, movers and leavers"),
    ("postings", "Postings before they start"),
    ("conditions", "Conditions on clearances"),
    ("integrity", "Integrity oversight"),
    ("forecast", "Renewal forecast"),
    ("unit", "The unit's work"),
    (
        "disproportionality",
        "Disproportionality in vetting decisions",
    ),
    ("qa", "Quality-assurance dip sample"),
    ("quality", "Data quality"),
    ("files", "Files behind this report"),
];

pub fn render(m: &Morning<'_>) -> Vec<u8> {
    let body = [
        sections::headline(m),
        sections::designated(m),
        worklist::worklist(m),
        sections::changes(m),
        sections::trend(m),
        review::review(m),
        work::triggers(m),
        jml::jml(m),
        postings::postings(m),
        conditions::conditions(m),
        integrity::integrity(m),
        sections::forecast(m),
        unit::unit(m),
        sections::disproportionality(m),
        work::qa(m),
        sections::quality(m),
        sections::files(m),
    ];
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Vetting exceptions " (m.info.as_of) " (run " (m.info.run_id) ")" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { "Vetting exceptions: morning report" }
                    p.meta {
                        "As of " strong { (long_date(m.info.as_of)) } " · run "
                        span data-figure="run_id" { (m.info.run_id) }
                        " · vetrecon " (m.info.version)
                        " · OFFICIAL-SENSITIVE: contains personal data"
                    }
                    nav { ol { @for (id, title) in SECTIONS { li { a href={ "#" (id) } { (title) } } } } }
                }
                @for (s, (id, title)) in body.iter().zip(SECTIONS) {
                    section id=(id) { h2 { (title) } (s) }
                }
            }
        }
    };
    page.into_string().into_bytes()
}

/// 24 November 2026.
fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A count with thousands separators.
fn count(n: impl Into<u64>) -> String {
    let s = n.into().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 run", "2 runs", "1,024 vetting records": a count with the word that fits it.
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// A signed change, marked up as worse (up) or better (down) for exception counts.
fn change(now: usize, before: Option<usize>) -> Markup {
    match before {
        None => html! { span.note { "first run" } },
        Some(b) if b == now => html! { "no change" },
        Some(b) if now > b => html! { span.up { "+" (count((now - b) as u64)) } },
        Some(b) => html! { span.down { "−" (count((b - now) as u64)) } },
    }
}

fn severity(s: &str) -> Markup {
    html! { span class={ "sev sev-" (s) } { (s) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(count(0u64), "0");
        assert_eq!(count(999u64), "999");
        assert_eq!(count(1000u64), "1,000");
        assert_eq!(count(1234567u64), "1,234,567");
        assert_eq!(percent(0.25), "25.0%");
        assert_eq!(plural(1, "run", "runs"), "1 run");
        assert_eq!(plural(0, "run", "runs"), "0 runs");
        assert_eq!(plural(2000, "run", "runs"), "2,000 runs");
        assert_eq!(
            long_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 4).unwrap()),
            "4 November 2026"
        );
    }
}
