//! Sanctions compared between officers and staff end to end, on a hand-built force as of
//! 2026-11-24 (the window: 2025-11-24 to 2026-11-24): sanctions.csv's counts equal those
//! taken straight from the files the test writes, the one category with a planned
//! difference is a finding with the figures worked by hand, small categories are
//! suppressed, and the page says `not read` without the feed or without its columns.
//!
//! The force: officers O01-O14 with specials SP1-SP2; staff S01-S14 with PCSOs P1-P2 and a
//! leaver L1; a volunteer V1 and a contractor C1. The misconduct feed: use_of_force, staff 8
//! serious of 10 against officers 1 of 10; honesty_and_integrity, 12 officers (one on the
//! window's first day) and 11 staff (the leaver among them), no real difference;
//! confidentiality (3 officers) and fitness_for_work (2 staff), too few to show; and one
//! row left out for each reason: blank sanction, blank category, no one on the roster, a
//! volunteer, a contractor, the day before the window.

mod common;
use common::*;
use std::collections::BTreeMap;

const CATEGORIES: [&str; 10] = [
    "honesty_and_integrity",
    "authority_respect_and_courtesy",
    "equality_and_diversity",
    "use_of_force",
    "orders_and_instructions",
    "duties_and_responsibilities",
    "confidentiality",
    "fitness_for_work",
    "discreditable_conduct",
    "challenging_and_reporting",
];

const SCALE: [&str; 5] = [
    "management_advice",
    "written_warning",
    "final_written_warning",
    "reduction_in_rank",
    "dismissal",
];

/// Serious from final_written_warning (config/vetrecon.toml's scale, index 2).
const SERIOUS_FROM: usize = 2;

/// (employee_id, role_type, employment_status)
fn people() -> Vec<(String, &'static str, &'static str)> {
    let mut v = Vec::new();
    for i in 1..=14 {
        v.push((format!("O{i:02}"), "officer", "active"));
        v.push((format!("S{i:02}"), "staff", "active"));
    }
    for (id, role) in [
        ("SP1", "special"),
        ("SP2", "special"),
        ("P1", "pcso"),
        ("P2", "pcso"),
        ("V1", "volunteer"),
        ("C1", "contractor"),
    ] {
        v.push((id.to_string(), role, "active"));
    }
    v.push(("L1".to_string(), "staff", "leaver"));
    v
}

fn roster() -> String {
    let mut s = "employee_id,surname,forenames,previous_surnames,date_of_birth,ni_number,post_id,role_type,force,post_start_date,employment_status,leaving_date\n".to_string();
    for (i, (id, role, status)) in people().into_iter().enumerate() {
        let leaving = if status == "leaver" { "2026-10-01" } else { "" };
        s += &format!(
            "{id},Surname{i},Forename{i},,1980-01-{:02},,RV1,{role},,2020-01-01,{status},{leaving}\n",
            i % 28 + 1
        );
    }
    s
}

const POSTS: &str = "\
post_id,title,department,required_level,designated,vulnerable_contact
RV1,Response officer,Response,RV,no,no
";

const VETTING: &str = "\
vetting_ref,surname,forenames,previous_surnames,date_of_birth,ni_number,employee_id,level,status,decision_date,expiry_date
V1,Surname0,Forename0,,1980-01-01,,O01,RV,granted,2020-06-01,2030-06-01
";

const IN_WINDOW: &str = "2026-06-01";

/// The feed's rows: (employee_id, breach_category, sanction, outcome_date).
fn outcomes() -> Vec<(String, &'static str, &'static str, &'static str)> {
    let mut v = Vec::new();
    let mut add = |ids: Vec<String>, category: &'static str, sanction: &'static str| {
        for id in ids {
            v.push((id, category, sanction, IN_WINDOW));
        }
    };
    let ids = |prefix: &str, from: u32, to: u32| -> Vec<String> {
        (from..=to).map(|i| format!("{prefix}{i:02}")).collect()
    };
    let one = |id: &str| vec![id.to_string()];
    // use_of_force: staff 8 serious of 10, officers 1 of 10.
    add(ids("S", 1, 8), "use_of_force", "final_written_warning");
    add(ids("S", 9, 9), "use_of_force", "written_warning");
    add(one("P1"), "use_of_force", "written_warning");
    add(ids("O", 1, 1), "use_of_force", "final_written_warning");
    add(ids("O", 2, 9), "use_of_force", "written_warning");
    add(one("SP1"), "use_of_force", "written_warning");
    // honesty_and_integrity: officers 6 serious of 12, staff 5 of 11.
    add(ids("O", 1, 3), "honesty_and_integrity", "dismissal");
    add(
        ids("O", 4, 6),
        "honesty_and_integrity",
        "final_written_warning",
    );
    add(
        ids("O", 7, 11),
        "honesty_and_integrity",
        "management_advice",
    );
    add(ids("S", 1, 2), "honesty_and_integrity", "reduction_in_rank");
    add(
        ids("S", 3, 5),
        "honesty_and_integrity",
        "final_written_warning",
    );
    add(ids("S", 6, 9), "honesty_and_integrity", "written_warning");
    add(one("L1"), "honesty_and_integrity", "written_warning");
    add(one("P2"), "honesty_and_integrity", "written_warning");
    // confidentiality: 3 officers, 12 staff; fitness_for_work: 11 officers, 2 staff.
    add(ids("O", 1, 3), "confidentiality", "final_written_warning");
    add(ids("S", 1, 12), "confidentiality", "written_warning");
    add(ids("O", 1, 11), "fitness_for_work", "written_warning");
    add(ids("S", 1, 2), "fitness_for_work", "written_warning");
    // Left out: not recorded (twice), not on the roster, other role types (twice).
    add(one("O13"), "use_of_force", "");
    add(one("S13"), "", "final_written_warning");
    add(one("X99"), "use_of_force", "final_written_warning");
    add(one("V1"), "use_of_force", "final_written_warning");
    add(one("C1"), "confidentiality", "written_warning");
    // The window's first day is in it; the day before is not.
    v.push((
        "O12".into(),
        "honesty_and_integrity",
        "management_advice",
        "2025-11-24",
    ));
    v.push((
        "O14".into(),
        "use_of_force",
        "final_written_warning",
        "2025-11-23",
    ));
    v
}

fn misconduct() -> String {
    let mut s =
        "outcome_ref,employee_id,outcome,outcome_date,breach_category,sanction\n".to_string();
    for (i, (id, category, sanction, date)) in outcomes().into_iter().enumerate() {
        s += &format!("M{i:03},{id},other,{date},{category},{sanction}\n");
    }
    s
}

/// The feed without breach_category and sanction, as a force's earlier export gives it.
fn misconduct_without_columns() -> String {
    misconduct()
        .lines()
        .map(|l| l.rsplitn(3, ',').nth(2).unwrap().to_string() + "\n")
        .collect()
}

fn force(s: &Scratch, misconduct: &str) {
    s.write("roster.csv", &roster());
    s.write("posts.csv", POSTS);
    s.write("vetting.csv", VETTING);
    s.write("misconduct.csv", misconduct);
}

/// `run` on the force's files as of AS_OF, with the misconduct feed when `with_feed`.
fn run(s: &Scratch, with_feed: bool) -> std::process::Output {
    let mut args: Vec<String> = vec![
        "run".into(),
        "--config".into(),
        root().join("config/vetrecon.toml").display().to_string(),
        "--as-of".into(),
        AS_OF.into(),
        "--db".into(),
        s.db().display().to_string(),
        "--out".into(),
        s.out().display().to_string(),
    ];
    let files: &[&str] = if with_feed {
        &["roster", "posts", "vetting", "misconduct"]
    } else {
        &["roster", "posts", "vetting"]
    };
    for file in files {
        args.push(format!("--{file}"));
        args.push(s.path(&format!("{file}.csv")).display().to_string());
    }
    vetrecon(&args, s.dir.path())
}

/// One group's counts: outcomes, serious, per sanction in scale order.
#[derive(Default, Clone)]
struct Counts {
    outcomes: u64,
    serious: u64,
    by_sanction: [u64; 5],
}

/// Counts per breach category (and `all`) and group (0 officers, 1 staff), taken straight
/// from the roster and the feed the test wrote.
fn expected() -> BTreeMap<String, [Counts; 2]> {
    let roles: BTreeMap<String, &str> = people().into_iter().map(|(id, r, _)| (id, r)).collect();
    let mut out: BTreeMap<String, [Counts; 2]> = BTreeMap::new();
    for (id, category, sanction, date) in outcomes() {
        let in_window = ("2025-11-24"..="2026-11-24").contains(&date);
        let group = match roles.get(&id).copied() {
            Some("officer" | "special") => 0,
            Some("staff" | "pcso") => 1,
            _ => continue,
        };
        let Some(rank) = SCALE.iter().position(|x| *x == sanction) else {
            continue;
        };
        if !in_window || category.is_empty() {
            continue;
        }
        for key in ["all", category] {
            let c = &mut out.entry(key.to_string()).or_default()[group];
            c.outcomes += 1;
            c.serious += u64::from(rank >= SERIOUS_FROM);
            c.by_sanction[rank] += 1;
        }
    }
    out
}

#[test]
fn sanctions_csv_counts_the_files_and_finds_the_planned_difference_and_the_page_shows_it() {
    let s = Scratch::new();
    force(&s, &misconduct());
    let o = run(&s, true);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = s.read_out("sanctions.csv");
    let header = text.lines().next().unwrap();
    let per_sanction: Vec<String> = ["officers", "staff"]
        .iter()
        .flat_map(|g| SCALE.iter().map(move |x| format!("{g}_{x}")))
        .collect();
    assert_eq!(
        header,
        format!(
            "run_id,breach_category,officers,officers_serious,officers_serious_rate,staff,staff_serious,staff_serious_rate,ratio,ci_low,ci_high,p_value,test,finding,{}",
            per_sanction.join(",")
        )
    );
    let got = rows(&text);
    let names: Vec<&str> = got.iter().map(|r| r["breach_category"].as_str()).collect();
    let want_names: Vec<&str> = std::iter::once("all").chain(CATEGORIES).collect();
    assert_eq!(names, want_names);

    let expected = expected();
    let min = 10;
    // Exactly two categories have a group under the minimum: each hides the other, so no
    // category is hidden besides them.
    let small: Vec<&String> = (expected.iter())
        .filter(|(_, [o, s])| o.outcomes.min(s.outcomes) < min)
        .map(|(k, _)| k)
        .collect();
    assert_eq!(small, ["confidentiality", "fitness_for_work"]);
    for r in &got {
        let name = &r["breach_category"];
        assert_eq!(r["run_id"], "20261124-01");
        let counts = |g: usize| expected.get(name).map(|c| c[g].clone()).unwrap_or_default();
        let cells = |g: usize| -> Vec<String> {
            let c = counts(g);
            let mut v = vec![c.outcomes.to_string(), c.serious.to_string()];
            v.extend(c.by_sanction.iter().map(|n| n.to_string()));
            v
        };
        let of = |g: &str| -> Vec<String> {
            let mut v = vec![r[g].clone(), r[&format!("{g}_serious")].clone()];
            v.extend(SCALE.iter().map(|x| r[&format!("{g}_{x}")].clone()));
            v
        };
        if small.contains(&name) {
            assert_eq!(r["finding"], "suppressed", "{name}");
            assert!(
                r.iter()
                    .filter(|(k, _)| !["run_id", "breach_category", "finding"].contains(&k.as_str()))
                    .all(|(_, v)| v.is_empty()),
                "{name}: {r:?}"
            );
        } else {
            assert_eq!(of("officers"), cells(0), "{name} officers");
            assert_eq!(of("staff"), cells(1), "{name} staff");
        }
        if !expected.contains_key(name) {
            assert_eq!(r["finding"], "none", "{name}");
            assert_eq!(r["officers"], "0");
            assert_eq!(r["p_value"], "");
        }
    }
    let row = |name: &str| got.iter().find(|r| r["breach_category"] == name).unwrap();
    // use_of_force, worked by hand: staff 0.8, officers 0.1, ratio 8; Katz interval
    // exp(ln 8 -/+ 1.959964 x sqrt(1/8 - 1/10 + 1/1 - 1/10)) = 1.2146 .. 52.6926; Fisher
    // (C(10,8)C(10,1) + C(10,9)C(10,0)) x 2 / C(20,9) = 920 / 167960 = 0.0055.
    let force = row("use_of_force");
    let figures: Vec<&str> = [
        "officers_serious_rate",
        "staff_serious_rate",
        "ratio",
        "ci_low",
        "ci_high",
        "p_value",
        "test",
        "finding",
    ]
    .iter()
    .map(|c| force[*c].as_str())
    .collect();
    assert_eq!(
        figures,
        [
            "0.1000",
            "0.8000",
            "8.0000",
            "1.2146",
            "52.6926",
            "0.0055",
            "fisher",
            "staff_more_serious"
        ]
    );
    // 6 of 12 against 5 of 11, and 10 of 36 against 13 of 35 overall: chance.
    assert_eq!(row("honesty_and_integrity")["finding"], "no_difference");
    assert_eq!(row("all")["finding"], "no_difference");

    let f = figures_of(&s);
    let fig = |k: &str| {
        f.get(&format!("sanctions:{k}"))
            .cloned()
            .unwrap_or_default()
    };
    let all = &expected["all"];
    assert_eq!(
        fig("compared"),
        (all[0].outcomes + all[1].outcomes).to_string()
    );
    assert_eq!(
        [
            fig("not_recorded"),
            fig("not_on_roster"),
            fig("other_roles"),
            fig("outside_window")
        ],
        ["2", "1", "2", "1"]
    );
    assert_eq!(fig("use_of_force:finding"), "staff more often");
    assert_eq!(fig("use_of_force:staff_serious"), "8");
    assert_eq!(fig("use_of_force:officers"), "10");
    assert_eq!(fig("confidentiality:finding"), "suppressed");
    assert_eq!(fig("all:officers"), all[0].outcomes.to_string());
    // A category compared with no difference is in the CSV, not on the page.
    assert!(!f.contains_key("sanctions:honesty_and_integrity:finding"));
    assert!(!f.contains_key("sanctions:not_read"));

    // The workbook carries the same rows on its Sanctions sheet.
    use std::io::Read;
    let xlsx = std::fs::File::open(s.out().join("exceptions.xlsx")).unwrap();
    let mut book = String::new();
    zip::ZipArchive::new(xlsx)
        .unwrap()
        .by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut book)
        .unwrap();
    assert!(book.contains("<sheet name=\"Sanctions\""), "{book}");
}

/// Every `data-figure` of the night's page.
fn figures_of(s: &Scratch) -> BTreeMap<String, String> {
    figures(&s.read_out("report.html"))
}

const NOT_COMPARED: &str = ": no sanction was compared tonight, and no figure stands here.";

#[test]
fn a_feed_without_breach_category_and_sanction_is_not_read_and_the_csv_has_its_header_only() {
    let s = Scratch::new();
    force(&s, &misconduct_without_columns());
    let o = run(&s, true);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(rows(&s.read_out("sanctions.csv")).len(), 0);
    assert!(s
        .read_out("sanctions.csv")
        .starts_with("run_id,breach_category,"));
    let html = s.read_out("report.html");
    assert!(
        html.contains(&format!(
            "Not read: the misconduct feed has no breach_category or sanction column{NOT_COMPARED}"
        )),
        "{html}"
    );
    let f = figures_of(&s);
    assert!(f.contains_key("sanctions:not_read"));
    assert!(!f.contains_key("sanctions:compared"));
}

#[test]
fn without_the_misconduct_feed_the_part_says_not_read_and_why() {
    let s = Scratch::new();
    force(&s, &misconduct());
    let o = run(&s, false);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(rows(&s.read_out("sanctions.csv")).len(), 0);
    let html = s.read_out("report.html");
    assert!(
        html.contains(&format!(
            "Not read: misconduct outcomes switched off (input.misconduct is not set in the config and --misconduct was not given){NOT_COMPARED}"
        )),
        "{html}"
    );
    assert!(!figures_of(&s).contains_key("sanctions:compared"));
}
