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
        "jml",
        "postings",
        "conditions",
        "forecast",
        "unit",
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

    // The demo's export records appeals and refusal reasons, but fewer than 10 refusals fall
    // in the window: every group of every stage, and every group's reasons, are suppressed,
    // one row each, for the groups the decision stage lists.
    // The groups of the decisions (grants and refusals) in the window, from the export itself.
    let mut groups = std::collections::BTreeSet::new();
    let export = std::fs::read_to_string(demo("vetting.csv")).unwrap();
    for r in rows(&export) {
        if matches!(r["status"].as_str(), "refused" | "granted")
            && ("2025-11-25"..="2026-11-24").contains(&r["decision_date"].as_str())
        {
            for ch in [
                "sex",
                "gender_reassignment",
                "marriage_civil_partnership",
                "pregnancy_maternity",
            ] {
                if !r[ch].is_empty() {
                    groups.insert((ch.to_string(), r[ch].clone()));
                }
            }
        }
    }
    assert!(!groups.is_empty());
    let st = rows(&s.read_out("disproportionality_stages.csv"));
    for (stage, why) in [
        (
            "appeal_lodged",
            "suppressed tonight: fewer than 10 refusals in the window",
        ),
        (
            "appeal_upheld",
            "suppressed tonight: fewer than 10 appeals decided in the window",
        ),
    ] {
        let at: Vec<_> = st.iter().filter(|r| r["stage"] == stage).collect();
        let seen: std::collections::BTreeSet<(String, String)> = (at.iter())
            .map(|r| (r["characteristic"].clone(), r["group"].clone()))
            .collect();
        assert_eq!((at.len(), &seen), (groups.len(), &groups), "{stage}");
        for r in at {
            assert_eq!(
                (r["suppressed"].as_str(), r["status"].as_str()),
                ("yes", why)
            );
            assert_eq!(r["rate"], "", "a suppressed rate is not printed");
        }
    }
    let rr = rows(&s.read_out("refusal_reasons.csv"));
    let seen: std::collections::BTreeSet<(String, String)> = (rr.iter())
        .map(|r| (r["characteristic"].clone(), r["group"].clone()))
        .collect();
    assert_eq!((rr.len(), &seen), (groups.len(), &groups));
    for r in &rr {
        assert_eq!(r["suppressed"], "yes");
        assert_eq!(r["refusals"], "");
        assert_eq!(
            r["status"],
            "suppressed tonight: fewer than 10 refusals in the window"
        );
    }
    assert!(f["dispro:stages"].contains("of the refusals whose appeal_status is recorded"));
    assert!(f["dispro:reasons"].contains("fewer than 10 refusals has its reasons suppressed"));

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
    // Every file the night read, the optional feeds too.
    for file in [
        "roster",
        "posts",
        "vetting",
        "pnd_returns",
        "misconduct",
        "circumstances",
        "postings",
        "conditions",
        "recruitment_plan",
    ] {
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
        "Joiners movers leavers",
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
    // Every comparison of the night: the decision's and those of the stages after it.
    let stages = rows(&s.read_out("disproportionality_stages.csv"));
    let later = stages.iter().filter(|r| !r["fisher_p"].is_empty()).count();
    assert_eq!(
        f["dispro:comparisons"],
        (compared.len() + later).to_string()
    );
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

/// The protected characteristics the demo export lacks, and the two casework columns the
/// appeal stages and the refusal reasons read.
const ADDED: [&str; 10] = [
    "ethnicity",
    "age_band",
    "disability",
    "religion",
    "sexual_orientation",
    "gender_reassignment",
    "marriage_civil_partnership",
    "pregnancy_maternity",
    "refusal_reason",
    "appeal_status",
];

/// A written row with its line number in the file.
type Written = (u64, BTreeMap<String, String>);

/// The demo's vetting export with `ADDED`: row i is White British, Black or Asian by i mod 4,
/// and a grant is turned into a refusal more often for Black rows; each refusal has a
/// reason and an appeal status (some blank: not recorded). Returns the file's rows as the
/// test wrote them, with their line numbers.
fn demo_with_casework(s: &Scratch) -> (std::path::PathBuf, Vec<Written>) {
    let text = std::fs::read_to_string(demo("vetting.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    // The demo's own values of the added columns, where it has them, give way to these.
    let columns: Vec<String> = (header.iter())
        .filter(|h| !ADDED.contains(&h.as_str()))
        .cloned()
        .chain(ADDED.iter().map(|c| c.to_string()))
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&columns).unwrap();
    let mut written = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.unwrap();
        let mut row: BTreeMap<String, String> = header
            .iter()
            .cloned()
            .zip(rec.iter().map(String::from))
            .collect();
        let refuse = row["status"] == "granted"
            && match i % 4 {
                0 | 1 => i % 5 == 0,
                2 => i % 3 != 0,
                _ => i % 3 == 0,
            };
        if refuse {
            row.insert("status".into(), "refused".into());
        }
        let refused = row["status"] == "refused";
        let pick = |xs: &[&str], k: usize| xs[k % xs.len()].to_string();
        let values = [
            pick(&["White British", "White British", "Black", "Asian"], i),
            pick(&["18-24", "25-34", "35-44", "45-54", "55+"], i / 3),
            pick(&["No", "No", "No", "Yes", ""], i),
            pick(&["Christian", "No religion", "Muslim", "Hindu"], i / 2),
            pick(
                &["Heterosexual", "Heterosexual", "Gay or lesbian", "Bisexual"],
                i / 5,
            ),
            pick(
                &["No"; 24]
                    .iter()
                    .chain(&["Yes"])
                    .copied()
                    .collect::<Vec<_>>(),
                i,
            ),
            pick(&["Married", "Single", "Civil partnership"], i),
            pick(
                &["No"; 29]
                    .iter()
                    .chain(&["Yes"])
                    .copied()
                    .collect::<Vec<_>>(),
                i,
            ),
            if refused {
                pick(
                    &[
                        "associations",
                        "criminal_record",
                        "non_disclosure",
                        "financial",
                        "",
                    ],
                    i,
                )
            } else {
                String::new()
            },
            if refused {
                pick(
                    &["none", "lodged", "upheld", "dismissed", "withdrawn", ""],
                    i / 4,
                )
            } else {
                String::new()
            },
        ];
        for (c, v) in ADDED.iter().zip(values) {
            row.insert(c.to_string(), v);
        }
        w.write_record(columns.iter().map(|c| row[c].as_str()))
            .unwrap();
        written.push((i as u64 + 2, row));
    }
    let path = s.write(
        "vetting.csv",
        &String::from_utf8(w.into_inner().unwrap()).unwrap(),
    );
    (path, written)
}

/// The production config with a 20-year disproportionality window, so every decision of
/// the demo (from 2011) is in it.
fn twenty_year_window(s: &Scratch) -> std::path::PathBuf {
    let config = std::fs::read_to_string(root().join("config/vetrecon.toml")).unwrap();
    let from = "window_months = 12\nminimum_group = 10\n";
    assert!(config.contains(from));
    s.write(
        "vetrecon.toml",
        &config.replacen(from, "window_months = 240\nminimum_group = 10\n", 1),
    )
}

#[test]
fn an_export_with_appeals_reasons_and_nine_characteristics_gets_every_stage_from_its_rows() {
    let s = Scratch::new();
    let (vetting, written) = demo_with_casework(&s);
    let config = twenty_year_window(&s);
    let o = s.run(&[
        "--vetting",
        vetting.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    // Ground truth from the rows written, less those the run rejected: every decision from
    // 24 November 2006 to the as-of date.
    let rejected: std::collections::BTreeSet<u64> = rows(&s.read_out("rejects.csv"))
        .iter()
        .filter(|r| r["file"] == "vetting")
        .map(|r| r["line"].parse().unwrap())
        .collect();
    assert!(!rejected.is_empty(), "the demo's bad rows are rejected");
    let characteristics = [&["sex"][..], &ADDED[..8]].concat();
    #[derive(Default, Debug)]
    struct Truth {
        decisions: u64,
        refusals: u64,
        appeal_recorded: u64,
        appealed: u64,
        decided: u64,
        upheld: u64,
        reasons: BTreeMap<String, u64>,
    }
    let mut truth: BTreeMap<(String, String), Truth> = BTreeMap::new();
    for (line, r) in &written {
        let d = r["decision_date"].as_str();
        if rejected.contains(line) || !("2006-11-24"..="2026-11-24").contains(&d) {
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
            let t = truth.entry((ch.to_string(), group)).or_default();
            t.decisions += 1;
            if !refused {
                continue;
            }
            t.refusals += 1;
            let reason = match r["refusal_reason"].as_str() {
                "" => "(not recorded)",
                x => x,
            };
            *t.reasons.entry(reason.to_string()).or_default() += 1;
            let appeal = r["appeal_status"].as_str();
            if !appeal.is_empty() {
                t.appeal_recorded += 1;
                t.appealed += u64::from(appeal != "none");
            }
            if appeal == "upheld" || appeal == "dismissed" {
                t.decided += 1;
                t.upheld += u64::from(appeal == "upheld");
            }
        }
    }
    let key = |r: &BTreeMap<String, String>| (r["characteristic"].clone(), r["group"].clone());

    // The decision: all nine characteristics, each group's decisions and refusals.
    let dp = rows(&s.read_out("disproportionality.csv"));
    let named: std::collections::BTreeSet<&str> =
        dp.iter().map(|r| r["characteristic"].as_str()).collect();
    assert_eq!(
        named,
        characteristics.iter().copied().collect(),
        "every characteristic the export carries"
    );
    assert_eq!(dp.len(), truth.len(), "one row per group present");
    let mut hidden_at_decision = std::collections::BTreeSet::new();
    for r in &dp {
        let t = &truth[&key(r)];
        if r["suppressed"] == "yes" {
            hidden_at_decision.insert(key(r));
            continue;
        }
        assert!(t.decisions >= 10, "{r:?}");
        assert_eq!(r["decisions"], t.decisions.to_string(), "{r:?}");
        assert_eq!(r["refusals"], t.refusals.to_string(), "{r:?}");
    }
    assert!(hidden_at_decision.contains(&("gender_reassignment".into(), "Yes".into())));

    // The appeal stages: appealed of the refusals with appeal_status recorded; upheld of the
    // appeals decided. A group hidden at the decision stays hidden.
    let st = rows(&s.read_out("disproportionality_stages.csv"));
    let html = s.read_out("report.html");
    let f = figures(&html);
    let mut compared = 0;
    for stage in ["appeal_lodged", "appeal_upheld"] {
        let at: Vec<_> = st.iter().filter(|r| r["stage"] == stage).collect();
        assert_eq!(at.len(), truth.len(), "{stage}: one row per group");
        for r in at {
            let t = &truth[&key(r)];
            let (cases, outcomes) = match stage {
                "appeal_lodged" => (t.appeal_recorded, t.appealed),
                _ => (t.decided, t.upheld),
            };
            // On the page: in the group's row, or nowhere when the decision hid the row.
            let cell = f.get(&format!(
                "dispro-stage:{stage}:{}:{}",
                r["characteristic"], r["group"]
            ));
            if r["suppressed"] == "yes" {
                assert_eq!(r["cases"], "", "{r:?}");
                assert!(
                    cases < 10
                        || hidden_at_decision.contains(&key(r))
                        || r["status"].contains("hidden with a smaller group"),
                    "{r:?}"
                );
                let expected = (!hidden_at_decision.contains(&key(r))).then_some("suppressed");
                assert_eq!(cell.map(String::as_str), expected, "{r:?}");
                continue;
            }
            assert!(!hidden_at_decision.contains(&key(r)), "{r:?}");
            assert!(cases >= 10, "{r:?}");
            assert_eq!(r["cases"], cases.to_string(), "{r:?}");
            assert_eq!(r["outcomes"], outcomes.to_string(), "{r:?}");
            assert_eq!(cell, Some(&format!("{outcomes} of {cases}")), "{r:?}");
            if !r["fisher_p"].is_empty() {
                compared += 1;
                if r["significant"] == "yes" {
                    assert_eq!(r["direction"], "lower", "only fewer is adverse: {r:?}");
                }
            }
        }
    }
    assert!(compared >= 2, "groups compared after the decision");
    // Every comparison of every stage is in the night's one family.
    let at_decision = dp.iter().filter(|r| !r["fisher_p"].is_empty()).count();
    assert_eq!(
        f["dispro:comparisons"],
        (at_decision + compared).to_string()
    );
    assert!(
        f["dispro:stages"].starts_with("After the decision"),
        "{f:?}"
    );

    // Refusal reasons: a shown group's reasons add up to its refusals, shares of them.
    let rr = rows(&s.read_out("refusal_reasons.csv"));
    let mut seen: BTreeMap<(String, String), u64> = BTreeMap::new();
    for r in &rr {
        let t = &truth[&key(r)];
        if r["suppressed"] == "yes" {
            assert_eq!(
                (r["refusal_reason"].as_str(), r["refusals"].as_str()),
                ("", "")
            );
            assert!(
                t.refusals < 10
                    || hidden_at_decision.contains(&key(r))
                    || r["status"].contains("hidden with a smaller group"),
                "{r:?}"
            );
            continue;
        }
        assert!(t.refusals >= 10, "{r:?}");
        let n = t.reasons[&r["refusal_reason"]];
        assert_eq!(r["refusals"], n.to_string(), "{r:?}");
        assert_eq!(
            r["share"],
            format!("{:.4}", n as f64 / t.refusals as f64),
            "{r:?}"
        );
        *seen.entry(key(r)).or_default() += n;
    }
    assert!(!seen.is_empty(), "some group's reasons are shown");
    for (k, n) in &seen {
        assert_eq!(*n, truth[k].refusals, "{k:?}: every reason listed");
    }

    // The spreadsheet carries both, and the night replays byte for byte.
    let parts = xlsx_parts(&s.out().join("exceptions.xlsx"));
    for sheet in ["Disproportionality stages", "Refusal reasons"] {
        assert!(
            parts["xl/workbook.xml"].contains(&format!("name=\"{sheet}\"")),
            "{sheet}"
        );
    }
    let o = s.store_cmd(&["replay", "20261124-01"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}
