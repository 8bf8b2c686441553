//! The vetting manager's morning outputs end to end through the binary: report.html against
//! the CSV files it summarises, the spreadsheet's structure, injection safety, and the
//! disproportionality figures of a generated force against counts taken straight from its
//! vetting export.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Two demo nights: 24 November, then 25 November with E1187's roster row gone (their
/// ADVERSE_UNMITIGATED resolves and their clearance becomes an orphan), so the second night
/// has changes both ways and a two-point trend.
fn two_nights(s: &Scratch) {
    assert_eq!(code(&s.run(&[])), 0);
    let roster = std::fs::read_to_string(demo("roster.csv")).unwrap();
    let lines: Vec<&str> = roster
        .lines()
        .filter(|l| !l.starts_with("E1187,"))
        .collect();
    let smaller = s.write("roster.csv", &(lines.join("\n") + "\n"));
    let o = s.run(&[
        "--as-of",
        "2026-11-25",
        "--roster",
        smaller.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn report_html_shows_every_section_with_the_figures_of_the_csv_files() {
    let s = Scratch::new();
    two_nights(&s);
    let html = s.read_out("report.html");
    let f = figures(&html);

    // Sections in order, self-contained, no scripts.
    let mut at = 0;
    for id in [
        "headline",
        "designated",
        "worklist",
        "changes",
        "trend",
        "review",
        "triggers",
        "forecast",
        "disproportionality",
        "qa",
        "quality",
        "files",
    ] {
        let i = html[at..]
            .find(&format!("<section id=\"{id}\">"))
            .unwrap_or_else(|| panic!("section {id} missing or out of order"));
        at += i;
    }
    // The SVG namespace is a name, not a link; nothing else may point outside the file.
    let linkless = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for banned in [
        "<script", "<link", "http://", "https://", "url(", "@import", "<img", " src=",
    ] {
        assert!(!linkless.contains(banned), "report.html contains {banned}");
    }
    assert!(html.contains("<svg"), "charts are inline SVG");
    assert!(html.contains("@page { size: A4"), "prints on A4");

    // Headline counts = exceptions.csv.
    let ex = rows(&s.read_out("exceptions.csv"));
    assert_eq!(f["run_id"], "20261125-01");
    assert_eq!(f["total"], ex.len().to_string());
    for code in [
        "NO_CLEARANCE",
        "NOT_GRANTED",
        "EXPIRED",
        "INSUFFICIENT_LEVEL",
        "EXPIRING_SOON",
        "UNKNOWN_POST",
        "AMBIGUOUS_MATCH",
        "REVIEW_MATCH",
        "LEAVER_ACTIVE_CLEARANCE",
        "ORPHAN_CLEARANCE",
        "ADVERSE_UNMITIGATED",
        "PND_UNREVIEWED",
        "MISCONDUCT_REVIEW_DUE",
        "CIRCUMSTANCES_REVIEW_DUE",
    ] {
        assert_eq!(
            f[&format!("count:{code}")],
            count_where(&ex, "code", code).to_string(),
            "{code}"
        );
    }

    // Open review triggers = review_triggers.csv, by code and age band, and = the trigger
    // rows of exceptions.csv.
    let trig = rows(&s.read_out("review_triggers.csv"));
    for code in [
        "PND_UNREVIEWED",
        "MISCONDUCT_REVIEW_DUE",
        "CIRCUMSTANCES_REVIEW_DUE",
    ] {
        assert_eq!(
            f[&format!("triggers:{code}")],
            count_where(&trig, "code", code).to_string()
        );
        assert_eq!(
            count_where(&trig, "code", code),
            count_where(&ex, "code", code)
        );
        for band in ["1-30", "31-90", "91-180", "over 180"] {
            let n = trig
                .iter()
                .filter(|r| r["code"] == code && r["age_band"] == band)
                .count();
            assert_eq!(
                f[&format!("triggers:{code}:{band}")],
                n.to_string(),
                "{code} {band}"
            );
        }
    }
    assert_eq!(trig.len(), 3, "the demo's three open triggers");

    // Designated posts = designated_posts.csv's total row; the demo register has 9
    // designated posts (posts.csv, designated = yes).
    let cov = rows(&s.read_out("designated_posts.csv"));
    let total = cov.last().unwrap();
    assert_eq!(total["department"], "All departments");
    assert_eq!(f["designated:posts"], total["designated_posts"]);
    assert_eq!(f["designated:postholders"], total["postholders"]);
    assert_eq!(f["designated:cleared"], total["cleared"]);
    let posts = rows(&std::fs::read_to_string(demo("posts.csv")).unwrap());
    assert_eq!(
        total["designated_posts"],
        count_where(&posts, "designated", "yes").to_string()
    );

    // Changes = changes.csv; trend.csv has both nights.
    let ch = rows(&s.read_out("changes.csv"));
    for kind in ["new", "resolved", "persisting"] {
        assert_eq!(
            f[&format!("changes:{kind}")],
            count_where(&ch, "change", kind).to_string(),
            "{kind}"
        );
    }
    assert!(
        count_where(&ch, "change", "resolved") > 0,
        "E1187's exception resolved"
    );
    assert!(
        count_where(&ch, "change", "new") > 0,
        "their clearance is now an orphan"
    );
    assert!(ch.iter().all(|r| r["previous_run_id"] == "20261124-01"));
    let trend = rows(&s.read_out("trend.csv"));
    assert_eq!(trend.len(), 2 * vetrecon::assess::Code::ALL.len());
    assert!(html.contains("over the last 2 runs"));

    // Forecast month totals and the overall total = forecast.csv.
    let fc = rows(&s.read_out("forecast.csv"));
    let mut by_month: BTreeMap<String, u64> = BTreeMap::new();
    for r in &fc {
        *by_month.entry(r["month"].clone()).or_default() += r["due"].parse::<u64>().unwrap();
    }
    for (month, n) in &by_month {
        if month != "overdue" {
            assert_eq!(f[&format!("forecast:{month}")], n.to_string(), "{month}");
        }
    }
    assert_eq!(by_month.len(), 25, "24 months and the overdue row");
    assert_eq!(f["forecast:overdue"], by_month["overdue"].to_string());
    assert_eq!(
        f["forecast:total"],
        by_month.values().sum::<u64>().to_string()
    );
    let what_if: u64 = fc
        .iter()
        .map(|r| r["due_what_if"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(f["forecast:what_if_total"], what_if.to_string());

    // Disproportionality: the demo's few recent decisions are all suppressed, on the page
    // and in the CSV, with no counts anywhere.
    let dp = rows(&s.read_out("disproportionality.csv"));
    assert!(!dp.is_empty());
    // A group whose only decisions left the window overnight is still listed, saying why.
    for r in &dp {
        if r["status"] == "no decisions in the window tonight (listed on the previous night)" {
            assert_eq!(
                (r["suppressed"].as_str(), r["decisions"].as_str()),
                ("no", "0")
            );
        } else {
            assert_eq!(r["suppressed"], "yes");
            assert_eq!(r["decisions"], "");
            assert!(r["status"].starts_with("suppressed tonight: "), "{r:?}");
        }
        assert_eq!(
            f[&format!("dispro:{}:{}", r["characteristic"], r["group"])],
            r["status"]
        );
    }

    // Review queue: one block per AMBIGUOUS_MATCH / REVIEW_MATCH, with candidates.
    for r in ex
        .iter()
        .filter(|r| r["code"] == "AMBIGUOUS_MATCH" || r["code"] == "REVIEW_MATCH")
    {
        assert!(
            f.contains_key(&format!("review:{}", r["vetting_ref"])),
            "{} is not in the review queue",
            r["vetting_ref"]
        );
    }

    // Data quality = rejects.csv.
    let rj = rows(&s.read_out("rejects.csv"));
    for file in ["roster", "posts", "vetting"] {
        assert_eq!(
            f[&format!("rejected:{file}")],
            count_where(&rj, "file", file).to_string()
        );
    }
    assert_eq!(
        f["quality:unknown_posts"],
        count_where(&ex, "code", "UNKNOWN_POST").to_string()
    );
}

fn xlsx_parts(path: &Path) -> BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut s = String::new();
        if name.ends_with(".xml") {
            f.read_to_string(&mut s).unwrap();
            out.insert(name, s);
        }
    }
    out
}

#[test]
fn exceptions_xlsx_has_a_sheet_per_section_with_frozen_headers_filters_and_dates() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let parts = xlsx_parts(&s.out().join("exceptions.xlsx"));
    let book = &parts["xl/workbook.xml"];
    // A cover sheet first (run id, as-of, version, inputs), then one per section.
    let names = [
        "Cover",
        "Exceptions",
        "Review queue",
        "Forecast",
        "Disproportionality",
        "QA sample",
        "Designated posts",
    ];
    for n in names {
        assert!(book.contains(&format!("name=\"{n}\"")), "sheet {n}");
    }
    for i in 1..=names.len() {
        let sheet = &parts[&format!("xl/worksheets/sheet{i}.xml")];
        // Printing: landscape A4, fitted to the width, with the marking in the header.
        assert!(sheet.contains("orientation=\"landscape\""), "sheet {i}");
        assert!(sheet.contains("paperSize=\"9\""), "sheet {i} on A4");
        assert!(
            sheet.contains("fitToHeight=\"0\""),
            "sheet {i} fits the width"
        );
        assert!(sheet.contains("OFFICIAL-SENSITIVE"), "sheet {i} marked");
        if i == 1 {
            continue;
        }
        assert!(
            sheet.contains("state=\"frozen\""),
            "sheet {i} header frozen"
        );
        assert!(sheet.contains("<autoFilter"), "sheet {i} filtered");
    }
    // The header row repeats on every printed page.
    assert!(book.contains("_xlnm.Print_Titles"));
    // Real dates shown the UK way, forecast months as months, shares as percentages.
    let styles = &parts["xl/styles.xml"];
    for f in ["dd/mm/yyyy", "mmm yyyy", "0.0%"] {
        assert!(styles.contains(f), "number format {f}");
    }
    // One row per exception plus the header, and no run_id column (it is on the cover).
    let ex = rows(&s.read_out("exceptions.csv"));
    let sheet2 = &parts["xl/worksheets/sheet2.xml"];
    assert_eq!(sheet2.matches("<row ").count(), ex.len() + 1);
    // Its creation time is the as-of date, not the clock.
    assert!(parts["docProps/core.xml"].contains("2026-11-24T00:00:00Z"));
}

#[test]
fn hostile_names_stay_text_in_every_output() {
    let s = Scratch::new();
    // E1187 appears in the demo's exceptions (answer key); give them hostile names.
    let roster = std::fs::read_to_string(demo("roster.csv")).unwrap();
    let row = roster
        .lines()
        .find(|l| l.starts_with("E1187,"))
        .unwrap()
        .to_string();
    let fields: Vec<&str> = row.split(',').collect();
    let hostile = format!(
        "E1187,<script>alert(1)</script>,\"=HYPERLINK(\"\"http://x.example\"\",\"\"y\"\")\",{}",
        fields[3..].join(",")
    );
    let swapped = s.write("roster.csv", &roster.replace(&row, &hostile));
    let o = s.run(&["--roster", swapped.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    let html = s.read_out("report.html");
    assert!(!html.contains("<script>alert"), "markup is escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    let csv = s.read_out("exceptions.csv");
    assert!(csv.contains("'=HYPERLINK("), "CSV formula neutralised");

    let parts = xlsx_parts(&s.out().join("exceptions.xlsx"));
    assert!(parts["xl/sharedStrings.xml"].contains("=HYPERLINK("));
    for (name, xml) in &parts {
        if name.starts_with("xl/worksheets/") {
            assert!(!xml.contains("<f>"), "{name} has a formula cell");
        }
    }
}

/// Outcome of a record as the disproportionality analysis defines it, from the raw export.
fn decision(status: &str) -> Option<bool> {
    match status {
        "refused" => Some(true),
        "granted" | "lapsed" | "suspended" => Some(false),
        _ => None,
    }
}

#[test]
fn a_generated_force_gets_every_output_and_its_refusal_figures_match_the_export() {
    let s = Scratch::new();
    let force = generate_force(&s);
    let file = |n: &str| force.join(n).display().to_string();
    let (roster, posts, vetting) = (file("roster.csv"), file("posts.csv"), file("vetting.csv"));
    let args = [
        "--roster",
        roster.as_str(),
        "--posts",
        posts.as_str(),
        "--vetting",
        vetting.as_str(),
    ];
    let o = s.run(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    // Ground truth from the export itself: decisions from 24 Nov 2025 to 24 Nov 2026, both
    // days included (window_from is the first day that counts).
    // Every protected characteristic the export carries is compared; a blank is its own
    // group, "(not recorded)".
    let export = rows(&std::fs::read_to_string(&vetting).unwrap());
    let characteristics: Vec<&str> = vetrecon::ingest::vetting::PROTECTED
        .iter()
        .copied()
        .filter(|c| export[0].contains_key(*c))
        .collect();
    assert!(characteristics.len() >= 5, "{characteristics:?}");
    let mut truth: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for r in &export {
        let d = &r["decision_date"];
        if d.as_str() < "2025-11-24" || d.as_str() > "2026-11-24" {
            continue;
        }
        let Some(refused) = decision(&r["status"]) else {
            continue;
        };
        for ch in &characteristics {
            let group = match r[*ch].as_str() {
                "" => "(not recorded)".to_string(),
                g => g.to_string(),
            };
            let e = truth.entry((ch.to_string(), group)).or_default();
            e.0 += 1;
            e.1 += u64::from(refused);
        }
    }
    let dp = rows(&s.read_out("disproportionality.csv"));
    assert_eq!(dp.len(), truth.len(), "one row per group present");
    let mut compared = 0;
    for r in &dp {
        let (n, refused) = truth[&(r["characteristic"].clone(), r["group"].clone())];
        if r["suppressed"] == "yes" {
            assert_eq!(r["decisions"], "");
            continue;
        }
        assert!(n >= 10, "{r:?} shown with fewer than 10 decisions");
        assert_eq!(r["decisions"], n.to_string(), "{r:?}");
        assert_eq!(r["refusals"], refused.to_string(), "{r:?}");
        if r["is_reference"] == "no" && !r["fisher_p"].is_empty() {
            compared += 1;
        }
    }
    assert!(compared >= 3, "a generated force has groups to compare");
    // The configured reference group for ethnicity is used.
    assert!(dp
        .iter()
        .filter(|r| r["characteristic"] == "ethnicity")
        .all(|r| r["reference_group"] == "White British"));

    // Every output is there and the page renders the groups it compares.
    for f in [
        "report.html",
        "exceptions.xlsx",
        "forecast.csv",
        "qa_sample.csv",
        "designated_posts.csv",
        "trend.csv",
        "changes.csv",
    ] {
        assert!(s.out().join(f).exists(), "{f}");
    }
    let qa = rows(&s.read_out("qa_sample.csv"));
    assert_eq!(count_where(&qa, "sample", "refusal"), 10);
    assert!(qa
        .iter()
        .all(|r| r["sample"] != "refusal" || r["status"] == "refused"));
    assert!(qa
        .iter()
        .filter(|r| r["sample"] == "granted_with_adverse_info")
        .all(|r| r["adverse_info"] == "yes"));

    // A second night, then replay both: the report depends on the earlier run, and replay
    // reproduces it byte for byte.
    let mut second: Vec<&str> = args.to_vec();
    second.extend(["--as-of", "2026-11-25"]);
    assert_eq!(code(&s.run(&second)), 0);
    for run in ["20261124-01", "20261125-01"] {
        let o = s.store_cmd(&["replay", run]);
        assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
        assert!(stdout(&o).contains("report.html"), "{}", stdout(&o));
    }
}

#[test]
fn what_if_on_the_command_line_is_kept_for_replay() {
    let s = Scratch::new();
    let o = s.run(&["--what-if", "RV=3y"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let fc = rows(&s.read_out("forecast.csv"));
    assert!(fc.iter().all(|r| r["what_if"] == "RV 3y"));
    let o = s.store_cmd(&["replay", "20261124-01"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let bad = s.run(&["--what-if", "XX=3y", "--rerun"]);
    assert_eq!(code(&bad), 2);
    assert!(
        stderr(&bad).contains("unknown level `XX`"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn the_reference_group_is_found_however_the_export_spells_it_and_only_adverse_results_are_flagged()
{
    let s = Scratch::new();
    let force = generate_force(&s);
    let file = |n: &str| force.join(n).display().to_string();
    let (roster, posts) = (file("roster.csv"), file("posts.csv"));
    let export = std::fs::read_to_string(force.join("vetting.csv")).unwrap();
    assert!(export.contains(",White British,"));
    let night = |vetting: &std::path::Path, extra: &[&str]| {
        let v = vetting.display().to_string();
        let mut args = vec!["--roster", &roster, "--posts", &posts, "--vetting", &v];
        args.extend(extra);
        let o = s.run(&args);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        o
    };

    // Another system spells the configured "White British" as "White - British".
    let respelt = s.write(
        "respelt.csv",
        &export.replace(",White British,", ",White - British,"),
    );
    let o = night(&respelt, &[]);
    assert!(
        !stderr(&o).contains("reference group for ethnicity"),
        "{}",
        stderr(&o)
    );
    let dp = rows(&s.read_out("disproportionality.csv"));
    let ethnicity: Vec<_> = dp
        .iter()
        .filter(|r| r["characteristic"] == "ethnicity")
        .collect();
    assert!(ethnicity
        .iter()
        .all(|r| r["reference_group"] == "White - British"));
    let compared: Vec<_> = dp.iter().filter(|r| !r["fisher_p"].is_empty()).collect();
    assert!(compared.iter().any(|r| r["characteristic"] == "ethnicity"));
    assert!(s
        .read_out("report.html")
        .contains("(reference: White - British, configured as White British)"));
    // Only a group refused more often is significant, on the p adjusted for every
    // comparison of the night, which is never below its own.
    let f = figures(&s.read_out("report.html"));
    assert_eq!(f["dispro:comparisons"], compared.len().to_string());
    for r in &compared {
        let (p, adjusted) = (&r["fisher_p"], &r["fisher_p_adjusted"]);
        let num = |x: &str| x.trim_start_matches("< ").parse::<f64>().unwrap();
        assert!(num(adjusted) >= num(p) || p.starts_with('<'), "{r:?}");
        if r["significant"] == "yes" {
            assert_eq!(r["direction"], "higher", "{r:?}");
            assert!(num(adjusted) < 0.05, "{r:?}");
        }
    }

    // An export that has no "White British" by any spelling: a warning in `check`, the log
    // and the page, naming the values it has; nothing is compared for ethnicity.
    let other = s.write(
        "other.csv",
        &export.replace(",White British,", ",White UK,"),
    );
    let v = other.display().to_string();
    let c = s.check(&["--roster", &roster, "--posts", &posts, "--vetting", &v]);
    let warning = "warning: disproportionality: the reference group for ethnicity (report.disproportionality.reference) is \"White British\", but no decision in the window records it; the values recorded are ";
    assert!(stdout(&c).contains(warning), "{}", stdout(&c));
    assert!(stdout(&c).contains("\"White UK\""), "{}", stdout(&c));
    let o = night(&other, &["--rerun"]);
    assert!(
        stderr(&o).contains(&warning["warning: ".len()..]),
        "{}",
        stderr(&o)
    );
    let f = figures(&s.read_out("report.html"));
    assert!(
        f["dispro:warning"].contains("&quot;White UK&quot;"),
        "{f:?}"
    );
    // The forecast's overdue renewals reconcile with the headline's EXPIRED and
    // INSUFFICIENT_LEVEL: every overdue person is one or the other.
    let n = |k: &str| f[k].replace(',', "").parse::<u64>().unwrap();
    assert_eq!(
        n("forecast:overdue"),
        n("forecast:overdue_expired") + n("forecast:overdue_below")
    );
    assert_eq!(
        n("forecast:overdue_expired") + n("forecast:expired_not_renewal"),
        n("count:EXPIRED")
    );
    assert!(n("forecast:overdue_below") <= n("count:INSUFFICIENT_LEVEL"));
    let dp = rows(&s.read_out("disproportionality.csv"));
    assert!(dp
        .iter()
        .filter(|r| r["characteristic"] == "ethnicity")
        .all(|r| r["fisher_p"].is_empty() && r["reference_group"].is_empty()));
}
