//! Posts whose requirement looks wrong, end to end, on a hand-built register of twelve posts
//! as of 2026-11-24: post_register_checks.csv row by row, the page's counts and first rows,
//! a register without the vulnerable_contact column (the rule not read, never zero), and a
//! force whose casework hours name no renewal.
//!
//! The force's hours (its own config): renewal 6 hours, upgrade 10. Validity: RV 10 years
//! (0.1 renewals a year), MV 7 years (1/7 a year).
//!
//! - P1 "Child protection officer", vulnerable contact, RV: two holders (E1, and E2 whose
//!   post is written `p1`); E3 left.
//! - P2 "Intelligence analyst", designated, required_level RV: E4 active, E5 suspended.
//! - P3 "Roads Policing Constable" at MV: E6, E7, E8.
//! - P4 "Dog Handler", vulnerable contact, no level: E9.
//! - P5 "Response officer" at RV: E10; nothing wrong.
//! - P6 "=Roads Policing Sergeant" in department "+Traffic" at MV: E11 (formula-like text).
//! - D01 to D06: designated posts at RV with nobody in them.

mod common;
use common::*;

const ROSTER: &str = "\
employee_id,surname,forenames,previous_surnames,date_of_birth,ni_number,post_id,role_type,force,post_start_date,employment_status,leaving_date
E1,Ashby,Anna,,1980-01-11,AB123456C,P1,officer,,2026-01-01,active,
E2,Brook,Ben,,1975-02-12,BC234567D,p1,officer,,2025-03-01,active,
E3,Carter,Cara,,1990-03-13,CD345678E,P1,staff,,2024-05-01,leaver,2026-10-01
E4,Dale,Dev,,1985-04-14,DE456789F,P2,staff,,2020-01-01,active,
E5,Ellis,Emma,,1970-05-15,EF567890A,P2,staff,,2022-01-01,suspended,
E6,Fox,Finn,,1988-06-16,FG678901B,P3,officer,,2021-01-01,active,
E7,Gale,Gus,,1981-07-17,GH789012C,P3,officer,,2021-01-01,active,
E8,Hart,Hana,,1982-08-18,HJ890123D,P3,officer,,2021-01-01,active,
E9,Irwin,Ivy,,1983-09-19,JK901234A,P4,officer,,2021-01-01,active,
E10,Jones,Jo,,1984-10-20,KL012345B,P5,officer,,2021-01-01,active,
E11,Kemp,Kit,,1986-11-21,LM123456C,P6,officer,,2021-01-01,active,
";

const POSTS: &str = "\
post_id,title,department,required_level,designated,vulnerable_contact
P1,Child protection officer,Safeguarding,RV,no,yes
P2,Intelligence analyst,Intelligence,RV,yes,no
P3,Roads Policing Constable,Roads,MV,no,no
P4,Dog Handler,Operations,,no,yes
P5,Response officer,Response,RV,no,no
P6,=Roads Policing Sergeant,+Traffic,MV,no,no
D01,Analyst,Intelligence,RV,yes,no
D02,Analyst,Intelligence,RV,yes,no
D03,Analyst,Intelligence,RV,yes,no
D04,Analyst,Intelligence,RV,yes,no
D05,Analyst,Intelligence,RV,yes,no
D06,Analyst,Intelligence,RV,yes,no
";

const VETTING: &str = "\
vetting_ref,surname,forenames,previous_surnames,date_of_birth,ni_number,employee_id,level,status,decision_date,expiry_date
V1,Ashby,Anna,,1980-01-11,AB123456C,E1,RV,granted,2020-06-01,2030-06-01
";

/// The shipped config with the casework hours of `renewal` and `upgrade` set (None leaves
/// the type out of `hours_per_case`).
fn config(s: &Scratch, renewal: Option<&str>, upgrade: Option<&str>) {
    let shipped = std::fs::read_to_string(root().join("config/vetrecon.toml")).unwrap();
    let set = |text: String, key: &str, value: Option<&str>| {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{key} = ")) && l.ends_with(".0"))
            .unwrap()
            .to_string();
        let new = value.map_or(String::new(), |v| format!("{key} = {v}"));
        text.replacen(&format!("{line}\n"), &format!("{new}\n"), 1)
    };
    let text = set(shipped, "renewal", renewal);
    let text = set(text, "upgrade", upgrade);
    s.write("vetrecon.toml", &text);
}

/// `run` on the force's files (the register as given), with its config.
fn run(s: &Scratch, posts: &str) {
    s.write("roster.csv", ROSTER);
    s.write("posts.csv", posts);
    s.write("vetting.csv", VETTING);
    let mut args: Vec<String> = vec!["run".into(), "--config".into()];
    args.push(s.path("vetrecon.toml").display().to_string());
    for (flag, value) in [
        ("--as-of", AS_OF.to_string()),
        ("--db", s.db().display().to_string()),
        ("--out", s.out().display().to_string()),
    ] {
        args.extend([flag.to_string(), value]);
    }
    for file in ["roster", "posts", "vetting"] {
        args.push(format!("--{file}"));
        args.push(s.path(&format!("{file}.csv")).display().to_string());
    }
    let o = vetrecon(&args, s.dir.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// The page's "Posts whose requirement looks wrong" part.
fn posts_part(s: &Scratch) -> String {
    let page = s.read_out("report.html");
    let from = page.find("id=\"integrity-posts\"").unwrap();
    let to = page.find("id=\"integrity-declarations\"").unwrap();
    page[from..to].to_string()
}

const HEADER: &str = "run_id,post_id,title,department,rule,keyword,recorded_level,expected_level,direction,postholders,renewal_hours_a_year,upgrade_hours";

#[test]
fn each_post_breaking_a_rule_is_a_row_with_its_postholders_and_hours_in_order() {
    let s = Scratch::new();
    config(&s, Some("6.0"), Some("10.0"));
    run(&s, POSTS);
    let run = "20261124-01";
    // P3, 3 holders, MV against the roads policing rule's RV: 3 x 6 x (1/10 - 1/7) = -0.771.
    // P1, 2 holders (E3 left): 2 x 6 x (1/7 - 1/10) = 0.514; upgrade 2 x 10.
    // P2, 2 holders (E5 suspended is still in post): the same.
    // P4, 1 holder, no level: vulnerable 6 x 1/7 = 0.857, dog handler 6 x 1/10 = 0.6;
    //   upgrades 10 each.
    // P6, 1 holder: 6 x (1/10 - 1/7) = -0.257.
    // D01 to D06: nobody in them.
    let mut expected = format!(
        "{HEADER}
{run},P3,Roads Policing Constable,Roads,title_rule,roads policing,MV,RV,over,3,-0.8,0.0
{run},P1,Child protection officer,Safeguarding,vulnerable_contact_below_level,,RV,MV,under,2,0.5,20.0
{run},P2,Intelligence analyst,Intelligence,designated_below_mv,,RV,MV,under,2,0.5,20.0
{run},P4,Dog Handler,Operations,vulnerable_contact_below_level,,,MV,under,1,0.9,10.0
{run},P4,Dog Handler,Operations,title_rule,dog handler,,RV,under,1,0.6,10.0
{run},P6,'=Roads Policing Sergeant,'+Traffic,title_rule,roads policing,MV,RV,over,1,-0.3,0.0
"
    );
    for d in 1..=6 {
        expected.push_str(&format!(
            "{run},D0{d},Analyst,Intelligence,designated_below_mv,,RV,MV,under,0,0.0,0.0\n"
        ));
    }
    assert_eq!(s.read_out("post_register_checks.csv"), expected);

    // The page: the counts per rule, the first ten rows, and where the rest are.
    let part = posts_part(&s);
    let f = figures(&part);
    assert_eq!(f["integrity_posts:posts"], "12");
    assert_eq!(f["integrity_posts:designated_below_mv"], "7");
    assert_eq!(f["integrity_posts:vulnerable_contact_below_level"], "2");
    assert_eq!(f["integrity_posts:title_rule"], "3");
    assert_eq!(f["integrity_posts:rows"], "12");
    assert!(
        part.contains("Check each post's level with its owner: correct the register, or record why the level stands."),
        "{part}"
    );
    assert!(
        part.contains(
            " in post_register_checks.csv and the workbook's Post register checks sheet."
        ),
        "{part}"
    );
    assert!(!part.contains("integrity_posts:hours"), "{part}");
    let listed: Vec<&str> = [
        "P3", "P1", "P2", "P4", "P6", "D01", "D02", "D03", "D04", "D05", "D06",
    ]
    .into_iter()
    .filter(|p| part.contains(&format!("<td>{p}")))
    .collect();
    assert_eq!(
        listed,
        ["P3", "P1", "P2", "P4", "P6", "D01", "D02", "D03", "D04"]
    );
    // The page escapes the title; its rows are in the CSV's order.
    assert!(part.contains("=Roads Policing Sergeant"));
    let at = |p: &str| part.find(&format!("<td>{p}")).unwrap();
    assert!(at("P3") < at("P1") && at("P1") < at("P2") && at("P2") < at("P4"));
    assert!(part.contains("+0.9") && part.contains("-0.8"), "{part}");

    // The workbook has the sheet.
    let xlsx = std::fs::read(s.out().join("exceptions.xlsx")).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut book = String::new();
    std::io::Read::read_to_string(&mut z.by_name("xl/workbook.xml").unwrap(), &mut book).unwrap();
    assert!(book.contains("name=\"Post register checks\""), "{book}");
}

#[test]
fn a_register_without_vulnerable_contact_says_not_read_never_zero() {
    let s = Scratch::new();
    config(&s, Some("6.0"), Some("10.0"));
    let posts: String = POSTS
        .lines()
        .map(|l| format!("{}\n", l.rsplit_once(',').unwrap().0))
        .collect();
    run(&s, &posts);
    let csv = s.read_out("post_register_checks.csv");
    let r = rows(&csv);
    assert_eq!(count_where(&r, "rule", "vulnerable_contact_below_level"), 0);
    // P4's dog-handler row is still there; nothing else changed.
    assert_eq!(r.len(), 10);
    let part = posts_part(&s);
    let f = figures(&part);
    assert_eq!(
        f["integrity_posts:vulnerable_contact_below_level"],
        "not read: the post register has no vulnerable_contact column"
    );
    assert_eq!(f["integrity_posts:designated_below_mv"], "7");

    // Nothing wrong and the column absent: "none" for what was checked, "not read" for the
    // rule that was not.
    let s = Scratch::new();
    config(&s, Some("6.0"), Some("10.0"));
    run(
        &s,
        "post_id,title,department,required_level,designated\nP1,Custody officer,Custody,RV,no\nP5,Response officer,Response,RV,no\n",
    );
    assert_eq!(
        s.read_out("post_register_checks.csv"),
        format!("{HEADER}\n")
    );
    let part = posts_part(&s);
    let f = figures(&part);
    assert_eq!(f["integrity_posts:none"], "Checked 2 posts: none.");
    assert_eq!(
        f["integrity_posts:vulnerable_contact_below_level"],
        "not read: the post register has no vulnerable_contact column"
    );
    assert!(!f.contains_key("integrity_posts:rows"));
}

#[test]
fn without_renewal_hours_the_cells_are_blank_and_the_page_says_not_configured() {
    let s = Scratch::new();
    config(&s, None, Some("10.0"));
    run(&s, POSTS);
    let r = rows(&s.read_out("post_register_checks.csv"));
    assert_eq!(r.len(), 12);
    assert!(r.iter().all(|x| x["renewal_hours_a_year"].is_empty()));
    assert_eq!(r[1]["upgrade_hours"], "20.0");
    let f = figures(&posts_part(&s));
    assert_eq!(
        f["integrity_posts:hours"],
        "hours not configured (casework.hours_per_case has no renewal)"
    );
}
