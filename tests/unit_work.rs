//! "The unit's work" end to end through the binary: the demo's vetting export with casework
//! columns added (known values, some records turned pending and some decisions moved into
//! the last year), run on three nights; every figure of the section on the page is held
//! against its CSV twin and against counts taken straight from the export's rows.

mod common;

use chrono::{Datelike, Months, NaiveDate};
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

/// The date the added casework dates are made relative to (the demo's as-of date).
const MADE_ON: &str = "2026-11-24";
/// The night the figures are checked on.
const TONIGHT: &str = "2026-11-26";

const TYPES: [&str; 6] = [
    "recruit",
    "renewal",
    "upgrade",
    "transferee",
    "contractor",
    "",
];
const STAGES: [&str; 5] = ["received", "enquiries", "interview", "decision", ""];
const APPEALS: [&str; 4] = ["upheld", "dismissed", "lodged", "withdrawn"];
const BANDS: [&str; 5] = ["0-30", "31-90", "91-180", "over 180", "age not recorded"];
const HOURS: [(&str, f64); 6] = [
    ("recruit", 6.0),
    ("renewal", 3.0),
    ("upgrade", 8.0),
    ("transferee", 4.0),
    ("contractor", 4.0),
    ("non_police", 3.0),
];

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn days_before(d: NaiveDate, n: i64) -> NaiveDate {
    d - chrono::Duration::days(n)
}

/// One vetting row as the test wrote it.
#[derive(Debug, Clone)]
struct Case {
    line: usize,
    vetting_ref: String,
    level: String,
    status: String,
    decided: Option<NaiveDate>,
    applied: Option<NaiveDate>,
    case_type: String,
    stage: String,
    appeal: String,
    appeal_date: Option<NaiveDate>,
    outcome_date: Option<NaiveDate>,
    decision_maker: String,
}

/// The demo's vetting export with the casework columns added: every ninth granted record
/// turned pending, every third decided record with no exported expiry decided within the
/// last year, and the rest by the row's position (see the arms below).
/// The casework columns of the contract.
const CASEWORK: [&str; 10] = [
    "application_date",
    "case_type",
    "stage",
    "refusal_reason",
    "adverse_category",
    "interview_held",
    "appeal_status",
    "appeal_date",
    "appeal_outcome_date",
    "decision_maker",
];

/// The demo's vetting export without its own casework columns: a vetting system that
/// records no casework.
fn demo_without_casework() -> String {
    without(
        &std::fs::read_to_string(demo("vetting.csv")).unwrap(),
        &CASEWORK,
    )
}

fn with_casework() -> (String, Vec<Case>) {
    let made = date(MADE_ON);
    let text = demo_without_casework();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let mut header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let added = [
        "application_date",
        "case_type",
        "stage",
        "appeal_status",
        "appeal_date",
        "appeal_outcome_date",
        "decision_maker",
    ];
    let col = |h: &[String], name: &str| h.iter().position(|c| c == name).unwrap();
    let (status_at, decided_at, expiry_at) = (
        col(&header, "status"),
        col(&header, "decision_date"),
        col(&header, "expiry_date"),
    );
    let (ref_at, level_at) = (col(&header, "vetting_ref"), col(&header, "level"));
    let mut w = csv::Writer::from_writer(Vec::new());
    header.extend(added.iter().map(|s| s.to_string()));
    w.write_record(&header).unwrap();
    let mut cases = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let mut row: Vec<String> = rec.unwrap().iter().map(String::from).collect();
        if row[status_at] == "granted" && i % 9 == 0 {
            row[status_at] = "pending".into();
            row[decided_at].clear();
            row[expiry_at].clear();
        }
        let decided_status = ["granted", "refused", "withdrawn"].contains(&row[status_at].as_str());
        if decided_status && i % 3 == 0 && row[expiry_at].is_empty() {
            row[decided_at] = days_before(made, (i as i64 * 13) % 360).to_string();
        }
        let decided = date_or_none(&row[decided_at]);
        let mut c = Case {
            line: i + 2,
            vetting_ref: row[ref_at].clone(),
            level: row[level_at].clone(),
            status: row[status_at].clone(),
            decided,
            applied: None,
            case_type: TYPES[i % 6].into(),
            stage: String::new(),
            appeal: String::new(),
            appeal_date: None,
            outcome_date: None,
            decision_maker: String::new(),
        };
        match decided {
            None => {
                c.applied = (i % 4 != 1).then(|| days_before(made, (i as i64 * 7) % 400));
                c.stage = STAGES[i % 5].into();
            }
            Some(dd) => {
                c.applied = (i % 5 != 0).then(|| days_before(dd, (i as i64 * 3) % 200));
                c.decision_maker = format!("DM{}", i % 4);
                if i % 11 < 4 && dd < days_before(made, 60) {
                    c.appeal = APPEALS[i % 11].into();
                    let lodged = dd + chrono::Duration::days(10);
                    c.appeal_date = Some(lodged);
                    c.outcome_date = (c.appeal != "lodged")
                        .then(|| lodged + chrono::Duration::days(i as i64 % 30));
                }
            }
        }
        let show = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        row.extend([
            show(c.applied),
            c.case_type.clone(),
            c.stage.clone(),
            c.appeal.clone(),
            show(c.appeal_date),
            show(c.outcome_date),
            c.decision_maker.clone(),
        ]);
        w.write_record(&row).unwrap();
        cases.push(c);
    }
    (String::from_utf8(w.into_inner().unwrap()).unwrap(), cases)
}

fn date_or_none(s: &str) -> Option<NaiveDate> {
    (!s.is_empty()).then(|| date(s))
}

/// As a spreadsheet's PERCENTILE.INC (the test's own, not the program's).
fn percentile(mut v: Vec<i64>, p: f64) -> Option<f64> {
    v.sort();
    if v.is_empty() {
        return None;
    }
    let h = (v.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    Some(v[lo] as f64 + (h - lo as f64) * (v[hi] - v[lo]) as f64)
}

fn band(age: Option<i64>) -> &'static str {
    match age {
        None => BANDS[4],
        Some(a) if a <= 30 => BANDS[0],
        Some(a) if a <= 90 => BANDS[1],
        Some(a) if a <= 180 => BANDS[2],
        Some(_) => BANDS[3],
    }
}

fn group(t: &str) -> &str {
    if t.is_empty() {
        "(not recorded)"
    } else {
        t
    }
}

/// A CSV figure with four decimals, as the page writes it with `dp`.
fn to_dp(csv: &str, dp: usize) -> String {
    format!("{:.dp$}", csv.parse::<f64>().unwrap())
}

/// The page's figures under `unit:`, and the ones the test has held against something.
struct Page {
    f: BTreeMap<String, String>,
    checked: BTreeSet<String>,
}

impl Page {
    fn get(&mut self, key: &str) -> String {
        self.checked.insert(key.to_string());
        self.f
            .get(key)
            .unwrap_or_else(|| panic!("no figure {key} on the page"))
            .clone()
    }

    fn is(&mut self, key: &str, want: impl ToString) {
        assert_eq!(self.get(key), want.to_string(), "{key}");
    }
}

#[test]
fn the_units_work_on_the_page_matches_its_csv_files_and_the_export_rows() {
    let s = Scratch::new();
    // Night 1: the demo's export with no casework columns.
    let plain = s.write("vetting_plain.csv", &demo_without_casework());
    let o = s.run(&["--as-of", MADE_ON, "--vetting", plain.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = s.read_out("report.html");
    let f = figures(&html);
    assert!(f["unit:not_read"]
        .contains("carries no casework columns (application_date case_type stage"));
    for file in [
        "unit_backlog.csv",
        "unit_demand.csv",
        "unit_appeals.csv",
        "unit_open_cases.csv",
    ] {
        let rows = rows(&s.read_out(file));
        assert_eq!(rows.len(), 1, "{file}");
        assert!(
            rows[0]["not_read"].contains("no casework columns"),
            "{file}"
        );
        assert!(
            rows[0]
                .iter()
                .all(|(k, v)| k == "run_id" || k == "not_read" || v.is_empty()),
            "{file}: {:?}",
            rows[0]
        );
    }

    // Nights 2 and 3: the export with casework columns and a recruitment plan.
    let (text, cases) = with_casework();
    let vetting = s.write("vetting_casework.csv", &text);
    let plan = s.write(
        "recruitment_plan.csv",
        "month,case_type,expected\n2026-10,recruit,50\n2026-11,recruit,4\n2027-03,recruit,7\n2027-10,recruit,2\n2027-11,recruit,90\n",
    );
    // The first night with the new columns accepts the changed header.
    let with = |as_of: &str, accept: &[&str]| {
        let mut args = vec![
            "--as-of",
            as_of,
            "--vetting",
            vetting.to_str().unwrap(),
            "--recruitment-plan",
            plan.to_str().unwrap(),
        ];
        args.extend(accept);
        let o = s.run(&args);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(
            !stderr(&o).contains("DM0"),
            "a decision maker id in the log"
        );
        o
    };
    with("2026-11-25", &["--accept-change"]);
    let night2 = rows(&s.read_out("unit_backlog.csv"));
    let night2_open = night2
        .iter()
        .find(|r| r["breakdown"] == "all" && r["age_band"] == "all")
        .unwrap()["open_cases"]
        .clone();
    with(TONIGHT, &[]);

    let as_of = date(TONIGHT);
    let from = as_of.checked_sub_months(Months::new(12)).unwrap();
    let html = s.read_out("report.html");
    let mut page = Page {
        f: figures(&html)
            .into_iter()
            .filter(|(k, _)| k.starts_with("unit:"))
            .collect(),
        checked: BTreeSet::new(),
    };
    // The section sits after the renewal forecast.
    let at = |id: &str| html.find(&format!("<section id=\"{id}\">")).unwrap();
    assert!(at("forecast") < at("unit") && at("unit") < at("disproportionality"));
    // Decision makers are never on the page.
    assert!(!html.contains("DM0") && !html.contains("DM3"));

    // The rows the night accepted.
    let rejected: BTreeSet<usize> = rows(&s.read_out("rejects.csv"))
        .iter()
        .filter(|r| r["file"] == "vetting")
        .map(|r| r["line"].parse().unwrap())
        .collect();
    let cases: Vec<Case> = cases
        .into_iter()
        .filter(|c| !rejected.contains(&c.line))
        .collect();
    assert!(!cases.is_empty());
    let open: Vec<&Case> = cases.iter().filter(|c| c.status == "pending").collect();
    let age = |c: &Case| c.applied.map(|a| (as_of - a).num_days());

    // ---- Backlog: page = unit_backlog.csv = the pending rows.
    let backlog = rows(&s.read_out("unit_backlog.csv"));
    let csv_of = |breakdown: &str, g: &str, b: &str| -> String {
        backlog
            .iter()
            .find(|r| r["breakdown"] == breakdown && r["group"] == g && r["age_band"] == b)
            .unwrap_or_else(|| panic!("no row {breakdown} {g} {b}"))["open_cases"]
            .clone()
    };
    page.is("unit:open", open.len());
    assert_eq!(csv_of("all", "all", "all"), open.len().to_string());
    assert!(
        open.len() >= 20,
        "enough open cases to test: {}",
        open.len()
    );
    let mut type_groups: Vec<&str> = TYPES[..5].to_vec();
    type_groups.push("non_police");
    type_groups.push("(not recorded)");
    for t in type_groups {
        let of_type: Vec<&&Case> = open.iter().filter(|c| group(&c.case_type) == t).collect();
        for b in BANDS {
            let n = of_type.iter().filter(|c| band(age(c)) == b).count();
            let key = format!("unit:backlog:case_type:{t}:{b}");
            page.is(&key, n);
            assert_eq!(csv_of("case_type", t, b), n.to_string(), "{key}");
        }
        page.is(&format!("unit:backlog:case_type:{t}:all"), of_type.len());
        assert_eq!(csv_of("case_type", t, "all"), of_type.len().to_string());
    }
    for st in [
        "received",
        "enquiries",
        "interview",
        "decision",
        "(not recorded)",
    ] {
        let of: Vec<&&Case> = open.iter().filter(|c| group(&c.stage) == st).collect();
        for b in BANDS {
            let n = of.iter().filter(|c| band(age(c)) == b).count();
            page.is(&format!("unit:backlog:stage:{st}:{b}"), n);
            assert_eq!(csv_of("stage", st, b), n.to_string());
        }
        page.is(&format!("unit:backlog:stage:{st}:all"), of.len());
    }

    // Role risk: the page = the CSV; every band adds up to the open cases; each open case
    // sits in the band its post and type give it.
    let open_csv = rows(&s.read_out("unit_open_cases.csv"));
    assert_eq!(open_csv.len(), open.len());
    let risks = [
        "designated post",
        "national-security level",
        "vulnerable contact",
        "other posts",
        "recruits not yet in a post, and applicants not on the roster",
    ];
    let mut in_bands = 0;
    for r in risks {
        for b in BANDS.iter().copied().chain(["all"]) {
            let n = open_csv
                .iter()
                .filter(|c| c["role_risk"] == r && (b == "all" || c["age_band"] == b))
                .count();
            page.is(&format!("unit:backlog:role_risk:{r}:{b}"), n);
            assert_eq!(csv_of("role_risk", r, b), n.to_string());
        }
        in_bands += open_csv.iter().filter(|c| c["role_risk"] == r).count();
    }
    assert_eq!(in_bands, open.len());
    let posts = rows(&std::fs::read_to_string(demo("posts.csv")).unwrap());
    let post = |id: &str| posts.iter().find(|p| p["post_id"] == id);
    for c in &open_csv {
        // Linked to no one, or a recruit not yet in a post: the band of its own; a recruit
        // already in a post is banded by the post like any case.
        let recruit =
            c["employee_id"].is_empty() || (c["case_type"] == "recruit" && c["post_id"].is_empty());
        let risk = c["role_risk"].as_str();
        if recruit {
            assert_eq!(risk, risks[4], "{c:?}");
            continue;
        }
        let p = post(&c["post_id"]);
        let designated = p.is_some_and(|p| p["designated"] == "yes");
        let vulnerable = p.is_some_and(|p| p["vulnerable_contact"].eq_ignore_ascii_case("y"));
        let national = p
            .is_some_and(|p| ["CTC", "SC", "DV"].contains(&p["required_level"].as_str()))
            || ["CTC", "SC", "DV"].contains(&c["level"].as_str());
        let want = if designated {
            risks[0]
        } else if national {
            risks[1]
        } else if vulnerable {
            risks[2]
        } else {
            risks[3]
        };
        assert_eq!(risk, want, "{c:?}");
    }
    // Every open case listed, oldest first (blank dates last); the page's first rows.
    let listed: BTreeSet<&str> = open_csv.iter().map(|c| c["vetting_ref"].as_str()).collect();
    let pending_refs: BTreeSet<&str> = open.iter().map(|c| c.vetting_ref.as_str()).collect();
    assert_eq!(listed, pending_refs);
    let dates: Vec<Option<NaiveDate>> = open_csv
        .iter()
        .map(|c| date_or_none(&c["application_date"]))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by_key(|d| (d.is_none(), *d));
    assert_eq!(dates, sorted);
    for (i, c) in open_csv.iter().take(10).enumerate() {
        page.is(&format!("unit:oldest:{}", i + 1), &c["vetting_ref"]);
        let days = if c["age_days"].is_empty() {
            "–".to_string()
        } else {
            c["age_days"].clone()
        };
        page.is(&format!("unit:oldest:{}:days", i + 1), days);
    }

    // ---- Trend: night 1 kept none, nights 2 and 3 their counts.
    page.is("unit:trend:2026-11-24", "no history");
    page.is("unit:trend:2026-11-25", &night2_open);
    page.is(&format!("unit:trend:{TONIGHT}"), open.len());
    assert!(page
        .get("unit:trend:no_history_before")
        .starts_with("No history before 2026-11-25"));
    let trend = rows(&s.read_out("unit_trend.csv"));
    let total_of = |night: &str| {
        trend
            .iter()
            .find(|r| r["as_of"] == night && r["case_type"] == "all")
            .unwrap()
            .clone()
    };
    assert_eq!(
        (
            total_of("2026-11-24")["open_cases"].as_str(),
            total_of("2026-11-24")["recorded"].as_str()
        ),
        ("", "no")
    );
    assert_eq!(total_of("2026-11-25")["open_cases"], night2_open);
    assert_eq!(total_of(TONIGHT)["open_cases"], open.len().to_string());
    let recruits_tonight = trend
        .iter()
        .find(|r| r["as_of"] == TONIGHT && r["case_type"] == "recruit")
        .unwrap();
    assert_eq!(
        recruits_tonight["open_cases"],
        open.iter()
            .filter(|c| c.case_type == "recruit")
            .count()
            .to_string()
    );

    // ---- Throughput: decisions in the last 12 months by month and type.
    let decisions: Vec<&Case> = cases
        .iter()
        .filter(|c| ["granted", "refused", "withdrawn"].contains(&c.status.as_str()))
        .filter(|c| c.decided.is_some_and(|d| from <= d && d <= as_of))
        .collect();
    assert!(
        decisions.len() >= 20,
        "enough decisions to test: {}",
        decisions.len()
    );
    page.is("unit:decisions", decisions.len());
    let through = rows(&s.read_out("unit_throughput.csv"));
    assert_eq!(
        through.iter().filter(|r| r["case_type"] == "all").count(),
        13
    );
    for r in &through {
        let month = &r["month"][..7];
        let t = r["case_type"].as_str();
        let n = decisions
            .iter()
            .filter(|c| c.decided.unwrap().format("%Y-%m").to_string() == month)
            .filter(|c| t == "all" || group(&c.case_type) == t)
            .count();
        assert_eq!(r["decisions"], n.to_string(), "{month} {t}");
        page.is(&format!("unit:decisions:{month}:{t}"), n);
    }

    // ---- Timeliness: median and 90th percentile days from application to decision.
    let timing = rows(&s.read_out("unit_timeliness.csv"));
    for r in &timing {
        let t = r["case_type"].as_str();
        let of: Vec<&&Case> = decisions
            .iter()
            .filter(|c| t == "all" || group(&c.case_type) == t)
            .collect();
        let days: Vec<i64> = of
            .iter()
            .filter_map(|c| Some((c.decided? - c.applied?).num_days()))
            .collect();
        assert_eq!(r["decisions"], of.len().to_string(), "{t}");
        assert_eq!(r["with_application_date"], days.len().to_string(), "{t}");
        page.is(&format!("unit:timeliness:{t}:decisions"), of.len());
        match (percentile(days.clone(), 0.5), percentile(days, 0.9)) {
            (Some(med), Some(p90)) => {
                assert_eq!(r["median_days"], format!("{med:.4}"), "{t}");
                assert_eq!(r["p90_days"], format!("{p90:.4}"), "{t}");
                page.is(&format!("unit:timeliness:{t}:median"), format!("{med:.1}"));
                page.is(&format!("unit:timeliness:{t}:p90"), format!("{p90:.1}"));
            }
            _ => {
                assert_eq!(
                    (r["median_days"].as_str(), r["p90_days"].as_str()),
                    ("", "")
                );
                let why = if r["decisions"] == "0" {
                    "no decisions in the window"
                } else {
                    "no application dates"
                };
                page.is(&format!("unit:timeliness:{t}:median"), why);
            }
        }
    }
    assert!(
        timing.iter().any(|r| r["median_days"].is_empty()),
        "a type with no application dates"
    );

    // ---- Demand: renewals from forecast.csv, recruits from the plan, the others from the
    // open cases and last year's arrivals; hours and staff at the config's hours.
    let forecast = rows(&s.read_out("forecast.csv"));
    let months: Vec<String> = (0..12)
        .map(|i| {
            as_of
                .with_day(1)
                .unwrap()
                .checked_add_months(Months::new(i))
                .unwrap()
                .format("%Y-%m")
                .to_string()
        })
        .collect();
    let sum = |pred: &dyn Fn(&BTreeMap<String, String>) -> bool, col: &str| -> u64 {
        forecast
            .iter()
            .filter(|r| pred(r))
            .map(|r| r[col].parse::<u64>().unwrap())
            .sum()
    };
    let overdue = sum(&|r| r["month"] == "overdue", "due");
    let due = sum(&|r| months.contains(&r["month"]), "due");
    let overdue_w = sum(&|r| r["month"] == "overdue", "due_what_if");
    let due_w = sum(&|r| months.contains(&r["month"]), "due_what_if");
    let planned: u64 = 4 + 7 + 2;
    let arrivals = |t: &str| {
        cases
            .iter()
            .filter(|c| {
                group(&c.case_type) == t && c.applied.is_some_and(|a| from <= a && a <= as_of)
            })
            .count() as u64
    };
    let open_of = |t: &str| open.iter().filter(|c| group(&c.case_type) == t).count() as u64;
    let mut want: Vec<(String, &str, u64, u64)> = vec![
        ("renewal".into(), "renewal_forecast", overdue + due, due),
        (
            "recruit".into(),
            "recruitment_plan",
            open_of("recruit") + planned,
            planned,
        ),
    ];
    for t in [
        "upgrade",
        "transferee",
        "contractor",
        "non_police",
        "(not recorded)",
    ] {
        want.push((
            t.into(),
            "last_12_months",
            open_of(t) + arrivals(t),
            arrivals(t),
        ));
    }
    want.push((
        "renewal".into(),
        "renewal_forecast_what_if",
        overdue_w + due_w,
        due_w,
    ));
    let demand = rows(&s.read_out("unit_demand.csv"));
    let mut total_cases = 0;
    let mut total_hours = 0.0;
    for (t, source, cases_12m, incoming) in &want {
        let r = demand
            .iter()
            .find(|r| r["case_type"] == *t && r["source"] == *source)
            .unwrap_or_else(|| panic!("no demand row {t} {source}"));
        assert_eq!(r["cases"], cases_12m.to_string(), "{t} {source}");
        assert_eq!(r["incoming"], incoming.to_string(), "{t} {source}");
        let key = format!("unit:demand:{t}:{source}");
        page.is(&format!("{key}:cases"), cases_12m);
        match HOURS.iter().find(|(h, _)| h == t) {
            Some((_, per)) => {
                let hours = *cases_12m as f64 * per;
                assert_eq!(r["hours"], format!("{hours:.4}"), "{t}");
                assert_eq!(r["fte"], format!("{:.4}", hours / 1650.0), "{t}");
                page.is(&format!("{key}:hours"), format!("{}", hours.round() as u64));
                page.is(&format!("{key}:fte"), format!("{:.2}", hours / 1650.0));
                if *source != "renewal_forecast_what_if" {
                    total_cases += cases_12m;
                    total_hours += hours;
                }
            }
            None => {
                assert_eq!(r["hours"], "", "{t}");
                page.is(
                    &format!("{key}:hours"),
                    "no hours_per_case for this case type",
                );
            }
        }
    }
    let total = demand.iter().find(|r| r["source"] == "total").unwrap();
    assert_eq!(total["cases"], total_cases.to_string());
    assert_eq!(total["hours"], format!("{total_hours:.4}"));
    page.is("unit:demand:all:total:cases", total_cases);
    page.is("unit:demand:all:total:hours", total_hours.round() as u64);
    page.is(
        "unit:demand:all:total:fte",
        format!("{:.2}", total_hours / 1650.0),
    );
    let total_w = demand
        .iter()
        .find(|r| r["source"] == "total_what_if")
        .unwrap();
    let cases_w = total_cases - (overdue + due) + overdue_w + due_w;
    let hours_w = total_hours + 3.0 * (cases_w as f64 - total_cases as f64);
    assert_eq!(total_w["cases"], cases_w.to_string());
    page.is("unit:demand:all:total_what_if:cases", cases_w);
    page.is(
        "unit:demand:all:total_what_if:hours",
        hours_w.round() as u64,
    );
    page.is(
        "unit:demand:all:total_what_if:fte",
        format!("{:.2}", hours_w / 1650.0),
    );

    // ---- When the backlog clears: decisions a month against incoming a month, in whole
    // numbers over 12 * 12.
    let others: u64 = planned
        + [
            "upgrade",
            "transferee",
            "contractor",
            "non_police",
            "(not recorded)",
        ]
        .iter()
        .map(|t| arrivals(t))
        .sum::<u64>();
    let out = decisions.len() as u64 * 12;
    let incoming = due * 12 + others * 12;
    let clearing = rows(&s.read_out("unit_clearing.csv"));
    let c = &clearing[0];
    assert_eq!(c["open_cases"], open.len().to_string());
    assert_eq!(c["monthly_decisions"], format!("{:.4}", out as f64 / 144.0));
    assert_eq!(
        c["monthly_incoming"],
        format!("{:.4}", incoming as f64 / 144.0)
    );
    page.is("unit:clears:decisions", to_dp(&c["monthly_decisions"], 1));
    page.is("unit:clears:incoming", to_dp(&c["monthly_incoming"], 1));
    if out > incoming {
        let months = (open.len() as u64 * 144).div_ceil(out - incoming);
        let month = as_of
            .with_day(1)
            .unwrap()
            .checked_add_months(Months::new(months as u32))
            .unwrap();
        assert_eq!(c["months"], months.to_string());
        assert_eq!(c["clears"], month.format("%Y-%m").to_string());
        page.is("unit:clears", month.format("%B %Y"));
    } else {
        assert_eq!(c["clears"], "never at current throughput");
        page.is("unit:clears", "never at current throughput");
    }

    // ---- Appeals by level and type, with the median days to an outcome.
    let appeals = rows(&s.read_out("unit_appeals.csv"));
    let appealed: Vec<&Case> = cases.iter().filter(|c| !c.appeal.is_empty()).collect();
    assert!(
        appealed.len() >= 8,
        "enough appeals to test: {}",
        appealed.len()
    );
    for r in &appeals {
        let (breakdown, g) = (r["breakdown"].as_str(), r["group"].as_str());
        let of: Vec<&&Case> = appealed
            .iter()
            .filter(|c| match breakdown {
                "level" => c.level == g,
                "case_type" => group(&c.case_type) == g,
                _ => true,
            })
            .collect();
        assert!(!of.is_empty(), "{breakdown} {g}");
        assert_eq!(r["appeals"], of.len().to_string(), "{breakdown} {g}");
        for status in APPEALS {
            assert_eq!(
                r[status],
                of.iter().filter(|c| c.appeal == status).count().to_string(),
                "{g} {status}"
            );
        }
        let days: Vec<i64> = of
            .iter()
            .filter_map(|c| Some((c.outcome_date? - c.appeal_date?).num_days()))
            .collect();
        assert_eq!(r["with_dates"], days.len().to_string());
        let key = format!("unit:appeals:{breakdown}:{g}");
        page.is(&key, of.len());
        match percentile(days, 0.5) {
            Some(m) => {
                assert_eq!(r["median_days"], format!("{m:.4}"));
                page.is(&format!("{key}:median"), format!("{m:.1}"));
            }
            None => page.is(&format!("{key}:median"), "no dates"),
        }
    }
    assert_eq!(
        appeals.iter().filter(|r| r["breakdown"] == "level").count(),
        {
            appealed
                .iter()
                .map(|c| c.level.as_str())
                .collect::<BTreeSet<_>>()
                .len()
        }
    );

    // This export records no adverse categories or interviews: the line says which columns
    // it lacks, with no number.
    let interviews = page.get("unit:interviews");
    assert!(
        interviews.contains("not read") && interviews.contains("adverse_category"),
        "{interviews}"
    );
    assert!(
        !interviews.chars().any(|c| c.is_ascii_digit()),
        "{interviews}"
    );

    // Every figure of the section was held against something.
    let unchecked: Vec<&String> = page
        .f
        .keys()
        .filter(|k| !page.checked.contains(*k))
        .collect();
    assert!(unchecked.is_empty(), "figures not checked: {unchecked:?}");

    // ---- Decision makers: the workbook's sheet only, one row per id.
    let mut z = zip::ZipArchive::new(std::fs::File::open(s.out().join("exceptions.xlsx")).unwrap())
        .unwrap();
    let mut part = |name: &str| {
        let mut t = String::new();
        z.by_name(name).unwrap().read_to_string(&mut t).unwrap();
        t
    };
    let book = part("xl/workbook.xml");
    for sheet in [
        "Unit backlog",
        "Unit open cases",
        "Unit throughput",
        "Unit timeliness",
        "Unit demand",
        "Unit appeals",
        "Decision makers",
    ] {
        assert!(
            book.contains(&format!("name=\"{sheet}\"")),
            "{sheet}: {book}"
        );
    }
    let strings = part("xl/sharedStrings.xml");
    for id in ["DM0", "DM1", "DM2", "DM3"] {
        assert!(strings.contains(&format!("<t>{id}</t>")), "{id}");
    }
    for file in common_outputs() {
        assert!(
            !s.read_out(file).contains("DM0"),
            "{file} names a decision maker"
        );
    }
}

/// Every file a night writes but the workbook.
fn common_outputs() -> Vec<&'static str> {
    vetrecon::report::RUN_OUTPUTS
        .iter()
        .copied()
        .filter(|f| *f != "exceptions.xlsx" && *f != "chain.txt")
        .collect()
}

/// `text` (a CSV) without the columns `drop`.
fn without(text: &str, drop: &[&str]) -> String {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let keep: Vec<usize> = (0..header.len())
        .filter(|i| !drop.contains(&header[*i].as_str()))
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(keep.iter().map(|i| &header[*i])).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        w.write_record(keep.iter().map(|i| &rec[*i])).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[test]
fn a_figure_whose_column_the_export_lacks_says_which_column_and_has_no_number() {
    let s = Scratch::new();
    let (text, cases) = with_casework();
    // case_type and stage only: no application dates, no appeals, no decision makers; and
    // no recruitment plan.
    let only = without(
        &text,
        &[
            "application_date",
            "appeal_status",
            "appeal_date",
            "appeal_outcome_date",
            "decision_maker",
        ],
    );
    let vetting = s.write("vetting_casework.csv", &only);
    let o = s.run(&[
        "--vetting",
        vetting.to_str().unwrap(),
        "--no-recruitment-plan",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let f = figures(&s.read_out("report.html"));
    let says = |key: &str, column: &str| {
        let v = f[key].to_lowercase();
        assert!(
            v.contains(&format!(
                "not read: the vetting export has no {column} column"
            )),
            "{key}: {v}"
        );
    };
    says("unit:backlog:age", "application_date");
    says("unit:timeliness", "application_date");
    says("unit:appeals", "appeal_status");
    says(
        "unit:demand:upgrade:last_12_months:cases",
        "application_date",
    );
    says("unit:clears", "application_date");
    assert!(f["unit:demand:recruit:recruitment_plan:cases"]
        .contains("no recruitment plan was read tonight"));
    // Ages not read: no band columns, only each group's count.
    assert!(!f
        .keys()
        .any(|k| k.starts_with("unit:backlog:") && k.ends_with(":0-30")));
    let open = cases.iter().filter(|c| c.status == "pending").count();
    assert_eq!(f["unit:open"], open.to_string());
    let recruits = cases
        .iter()
        .filter(|c| c.status == "pending" && c.case_type == "recruit")
        .count();
    assert_eq!(
        f["unit:backlog:case_type:recruit:all"],
        recruits.to_string()
    );
    // The CSV twins: blank figures and why.
    let timing = rows(&s.read_out("unit_timeliness.csv"));
    assert_eq!(timing.len(), 1);
    assert_eq!(timing[0]["median_days"], "");
    assert_eq!(
        timing[0]["not_read"],
        "not read: the vetting export has no application_date column"
    );
    let clearing = rows(&s.read_out("unit_clearing.csv"));
    assert_eq!(
        (
            clearing[0]["clears"].as_str(),
            clearing[0]["open_cases"].as_str()
        ),
        ("", "")
    );
    assert!(clearing[0]["not_read"].contains("application_date"));
    let appeals = rows(&s.read_out("unit_appeals.csv"));
    assert_eq!(appeals.len(), 1);
    assert_eq!(appeals[0]["appeals"], "");
    let backlog = rows(&s.read_out("unit_backlog.csv"));
    let band = backlog
        .iter()
        .find(|r| r["group"] == "recruit" && r["age_band"] == "0-30")
        .unwrap();
    assert_eq!(band["open_cases"], "");
    assert_eq!(
        band["not_read"],
        "not read: the vetting export has no application_date column"
    );
    let demand = rows(&s.read_out("unit_demand.csv"));
    let recruit = demand.iter().find(|r| r["case_type"] == "recruit").unwrap();
    assert_eq!(
        (recruit["cases"].as_str(), recruit["not_read"].as_str()),
        ("", "not read: no recruitment plan was read tonight")
    );
}

#[test]
fn a_code_whose_columns_a_later_export_lacks_is_not_checked_that_night_never_resolved() {
    let s = Scratch::new();
    // Night 1: the demo, whose export raises PENDING_TOO_LONG from its application dates.
    let o = s.run(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let first = rows(&s.read_out("exceptions.csv"));
    let pending: Vec<&str> = (first.iter())
        .filter(|r| r["code"] == "PENDING_TOO_LONG")
        .map(|r| r["vetting_ref"].as_str())
        .collect();
    assert!(!pending.is_empty());
    // Night 2: the same export without application_date (the vetting system dropped it).
    let text = without(
        &std::fs::read_to_string(demo("vetting.csv")).unwrap(),
        &["application_date"],
    );
    let vetting = s.write("vetting_no_dates.csv", &text);
    let o = s.run(&[
        "--as-of",
        "2026-11-25",
        "--vetting",
        vetting.to_str().unwrap(),
        "--accept-change",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let changes = rows(&s.read_out("changes.csv"));
    let of = |change: &str| -> Vec<String> {
        (changes.iter())
            .filter(|r| r["code"] == "PENDING_TOO_LONG" && r["change"] == change)
            .map(|r| r["vetting_ref"].clone())
            .collect()
    };
    assert!(of("resolved").is_empty(), "{changes:?}");
    let mut not_checked = of("not_checked");
    not_checked.sort();
    let mut want: Vec<String> = pending.iter().map(|r| r.to_string()).collect();
    want.sort();
    assert_eq!(not_checked, want);
    // The trend: checked with its count on night 1, not checked (no count) on night 2.
    let trend = rows(&s.read_out("trend.csv"));
    let at: Vec<(&str, &str, &str)> = (trend.iter())
        .filter(|r| r["code"] == "PENDING_TOO_LONG")
        .map(|r| {
            (
                r["as_of"].as_str(),
                r["count"].as_str(),
                r["checked"].as_str(),
            )
        })
        .collect();
    let n = pending.len().to_string();
    assert_eq!(
        at,
        [("2026-11-24", n.as_str(), "yes"), ("2026-11-25", "", "no")]
    );
    // Night 3 with the dates again: the rows come back as not checked the night before,
    // not as new.
    let o = s.run(&["--as-of", "2026-11-26", "--accept-change"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let changes = rows(&s.read_out("changes.csv"));
    let back: Vec<&str> = (changes.iter())
        .filter(|r| r["code"] == "PENDING_TOO_LONG")
        .map(|r| r["change"].as_str())
        .collect();
    assert!(
        !back.is_empty() && back.iter().all(|c| *c == "not_checked_before"),
        "{back:?}"
    );
}

#[test]
fn interviews_on_adverse_information_are_counted_held_not_held_and_not_recorded_from_the_rows() {
    let s = Scratch::new();
    let o = s.run(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // Ground truth from the demo's export: decisions granted or refused since the lookback
    // began (24 months before 24 November 2026), adverse information yes, of a category the
    // default policy says needs an interview.
    let needs = ["criminal_record", "associations", "honesty"];
    let mut want: BTreeMap<&str, [usize; 3]> = needs.iter().map(|c| (*c, [0; 3])).collect();
    let export = std::fs::read_to_string(demo("vetting.csv")).unwrap();
    let rejected: BTreeSet<String> = rows(&s.read_out("rejects.csv"))
        .iter()
        .filter(|r| r["file"] == "vetting")
        .map(|r| r["line"].clone())
        .collect();
    for (i, r) in rows(&export).iter().enumerate() {
        let decided = r["decision_date"].as_str();
        if rejected.contains(&(i + 2).to_string())
            || !["granted", "refused"].contains(&r["status"].as_str())
            || r["adverse_info"] != "yes"
            || decided < "2024-11-24"
        {
            continue;
        }
        if let Some(n) = want.get_mut(r["adverse_category"].as_str()) {
            n[match r["interview_held"].as_str() {
                "yes" => 0,
                "no" => 1,
                _ => 2,
            }] += 1;
        }
    }
    let total = want
        .values()
        .fold([0; 3], |a, n| [a[0] + n[0], a[1] + n[1], a[2] + n[2]]);
    assert!(total[1] > 0, "the demo has an interview not held");
    let csv = rows(&s.read_out("unit_interviews.csv"));
    let got: Vec<(String, [String; 3])> = (csv.iter())
        .map(|r| {
            (
                r["adverse_category"].clone(),
                [
                    r["held"].clone(),
                    r["not_held"].clone(),
                    r["not_recorded"].clone(),
                ],
            )
        })
        .collect();
    let mut expect: Vec<(String, [String; 3])> = (needs.iter())
        .map(|c| (c.to_string(), want[c].map(|n| n.to_string())))
        .collect();
    expect.push(("all".into(), total.map(|n| n.to_string())));
    assert_eq!(got, expect);
    assert!(csv.iter().all(|r| r["since"] == "2024-11-24"));
    let f = figures(&s.read_out("report.html"));
    assert_eq!(f["unit:interviews:held"], total[0].to_string());
    assert_eq!(f["unit:interviews:not_held"], total[1].to_string());
    assert_eq!(f["unit:interviews:not_recorded"], total[2].to_string());
    assert_eq!(
        f["unit:interviews:decisions"],
        (total[0] + total[1] + total[2]).to_string()
    );
    // Each interview not held is an INTERVIEW_NOT_HELD row.
    let raised = rows(&s.read_out("exceptions.csv"))
        .iter()
        .filter(|r| r["code"] == "INTERVIEW_NOT_HELD")
        .count();
    assert_eq!(raised, total[1]);
}

#[test]
fn without_case_types_the_forecast_renewals_are_still_shown_and_only_open_now_is_not_read() {
    let s = Scratch::new();
    let text = without(
        &std::fs::read_to_string(demo("vetting.csv")).unwrap(),
        &["case_type"],
    );
    let vetting = s.write("vetting_no_types.csv", &text);
    let o = s.run(&["--vetting", vetting.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // The renewals due come from the forecast, which needs no casework column: overdue
    // plus the first twelve months of forecast.csv.
    let forecast = rows(&s.read_out("forecast.csv"));
    let mut months: Vec<&str> = (forecast.iter())
        .map(|r| r["month"].as_str())
        .filter(|m| *m != "overdue")
        .collect();
    months.dedup();
    let first12: BTreeSet<&str> = months.iter().take(12).copied().collect();
    let due: u64 = (forecast.iter())
        .filter(|r| r["month"] == "overdue" || first12.contains(r["month"].as_str()))
        .map(|r| r["due"].parse::<u64>().unwrap())
        .sum();
    let f = figures(&s.read_out("report.html"));
    assert_eq!(
        f["unit:demand:renewal:renewal_forecast:cases"],
        due.to_string()
    );
    let demand = rows(&s.read_out("unit_demand.csv"));
    let renewal = (demand.iter())
        .find(|r| r["case_type"] == "renewal" && r["source"] == "renewal_forecast")
        .unwrap();
    assert_eq!(renewal["cases"], due.to_string());
    assert_eq!(renewal["open_now"], "", "open now needs case_type");
    // Each open case's blank case type says why: the column is not in the export.
    let open = rows(&s.read_out("unit_open_cases.csv"));
    assert!(!open.is_empty());
    for r in &open {
        assert_eq!(r["case_type"], "");
        assert!(r["not_read"].contains("case_type"), "{r:?}");
    }
}
