//! Several signals at once end to end, on a hand-built force as of 2026-11-24 under the
//! built-in weights (config/vetrecon.toml: PND_UNREVIEWED and MISCONDUCT_REVIEW_DUE 3,
//! CIRCUMSTANCES_REVIEW_DUE 2; at least 2 signals) and the 28-day grace period of the review
//! triggers: signals.csv and the page list exactly the people the files give two signals or
//! more, with the score and codes worked out by hand below, and a night without the PND
//! returns names PND_UNREVIEWED as not checked.
//!
//! Every vetting decision is from 2020, so no event since has been reviewed. Days out are
//! days since the event less the 28 days of grace:
//! - E1 (Ashby): PND return PND-1 of 2026-08-16 (100 days: 72 out), misconduct M1 a
//!   written_warning of 2026-09-25 (60 days: 32 out), change of circumstances N1 (partner) of
//!   2026-10-10 (45 days: 17 out). Score 3 + 3 + 2 = 8.
//! - E4 (`=Dale`, a surname a spreadsheet would read as a formula): changes N2 (finances) of
//!   2026-09-01 (84 days: 56 out) and N3 (association) of 2026-10-20 (35 days: 7 out). Score
//!   2 + 2 = 4.
//! - E2: one misconduct outcome M2 (final_written_warning, 2026-10-01): one signal, not listed.
//! - E3: misconduct M3 (reduction_in_rank, 2026-09-01) overdue, and a change N4 of 2026-11-10,
//!   14 days old, still within its grace: one signal, not listed.
//! - E5: a leaver with an overdue misconduct outcome and change: a leaver's events raise
//!   nothing (the leaver rule covers them), so no signal.
//!
//! Every other code of the weights is checked and raises nothing: the conditions and
//! declarations feeds are given with no rows, the export has `adverse_info` (all `no`), and
//! everyone's integrity review (2026-06-01) is within its twelve months.

mod common;
use common::*;

const ROSTER: &str = "\
employee_id,surname,forenames,previous_surnames,date_of_birth,ni_number,post_id,role_type,force,post_start_date,employment_status,leaving_date,last_integrity_review
E1,Ashby,Anna,,1980-01-11,AB123456C,RV1,officer,,2020-01-01,active,,2026-06-01
E2,Brook,Ben,,1975-02-12,BC234567D,RV1,officer,,2020-01-01,active,,2026-06-01
E3,Carter,Cara,,1990-03-13,CD345678E,RV1,staff,,2020-01-01,active,,2026-06-01
E4,=Dale,Dev,,1985-04-14,DE456789F,RV1,officer,,2020-01-01,active,,2026-06-01
E5,Ellis,Emma,,1970-05-15,EF567890A,RV1,staff,,2020-01-01,leaver,2026-10-01,2026-06-01
";

const POSTS: &str = "\
post_id,title,department,required_level,designated,vulnerable_contact
RV1,Response officer,Response,RV,no,no
";

const VETTING: &str = "\
vetting_ref,surname,forenames,previous_surnames,date_of_birth,ni_number,employee_id,level,status,decision_date,expiry_date,adverse_info
V1,Ashby,Anna,,1980-01-11,AB123456C,E1,RV,granted,2020-06-01,2030-06-01,no
V2,Brook,Ben,,1975-02-12,BC234567D,E2,RV,granted,2020-06-01,2030-06-01,no
V3,Carter,Cara,,1990-03-13,CD345678E,E3,RV,granted,2020-06-01,2030-06-01,no
V4,=Dale,Dev,,1985-04-14,DE456789F,E4,RV,granted,2020-06-01,2030-06-01,no
V5,Ellis,Emma,,1970-05-15,EF567890A,E5,RV,granted,2020-06-01,2030-06-01,no
";

const PND: &str = "\
pnd_ref,surname,forenames,date_of_birth,ni_number,record_date,category
PND-1,Ashby,Anna,1980-01-11,AB123456C,2026-08-16,arrest
";

const MISCONDUCT: &str = "\
outcome_ref,employee_id,outcome,outcome_date
M1,E1,written_warning,2026-09-25
M2,E2,final_written_warning,2026-10-01
M3,E3,reduction_in_rank,2026-09-01
M5,E5,written_warning,2026-09-01
";

const CIRCUMSTANCES: &str = "\
notice_ref,employee_id,change_type,notified_date
N1,e1,partner,2026-10-10
N2,E4,finances,2026-09-01
N3,E4,association,2026-10-20
N4,E3,partner,2026-11-10
N5,E5,partner,2026-09-01
";

const CONDITIONS: &str =
    "condition_ref,vetting_ref,type,owner_unit,review_every,last_checked,restricts\n";

const DECLARATIONS: &str =
    "declaration_ref,employee_id,type,declared_date,review_every,last_reviewed,decision\n";

/// The force's files: the three every run reads, then the feeds.
fn files() -> Vec<(&'static str, String)> {
    [
        ("roster", ROSTER),
        ("posts", POSTS),
        ("vetting", VETTING),
        ("pnd-returns", PND),
        ("misconduct", MISCONDUCT),
        ("circumstances", CIRCUMSTANCES),
        ("conditions", CONDITIONS),
        ("declarations", DECLARATIONS),
    ]
    .map(|(f, t)| (f, t.to_string()))
    .to_vec()
}

/// `run` as of 2026-11-24 on `files`, each written to the scratch directory and given with
/// `--NAME` (a feed left out is switched off).
fn run(s: &Scratch, files: &[(&str, String)]) -> std::process::Output {
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
    for (file, text) in files {
        let path = s.write(&format!("{file}.csv"), text);
        args.push(format!("--{file}"));
        args.push(path.display().to_string());
    }
    vetrecon(&args, s.dir.path())
}

/// The force's files without `feed`.
fn without(feed: &str) -> Vec<(&'static str, String)> {
    files().into_iter().filter(|(f, _)| *f != feed).collect()
}

/// The page's several-signals part: from its heading to the next section.
fn part(html: &str) -> &str {
    let from = html
        .find("id=\"integrity-signals\"")
        .expect("the part's heading");
    let rest = &html[from..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[test]
fn a_person_with_several_overdue_reviews_is_listed_with_the_sum_of_their_weights() {
    let s = Scratch::new();
    let o = run(&s, &files());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // The signals the list rests on are the rows exceptions.csv has.
    let mut raised: Vec<(String, String, String, String)> = rows(&s.read_out("exceptions.csv"))
        .into_iter()
        .filter(|r| !r["employee_id"].is_empty())
        .map(|r| {
            (
                r["employee_id"].clone(),
                r["code"].clone(),
                r["vetting_ref"].clone(),
                r["detail"].clone(),
            )
        })
        .filter(|(_, c, _, _)| c.ends_with("_REVIEW_DUE") || c == "PND_UNREVIEWED")
        .map(|(e, c, v, d)| (e, c, v, d.split(',').next().unwrap_or("").to_string()))
        .collect();
    raised.sort();
    let t = |e: &str, c: &str, v: &str, d: &str| (e.into(), c.into(), v.into(), d.into());
    assert_eq!(
        raised,
        [
            t(
                "E1",
                "CIRCUMSTANCES_REVIEW_DUE",
                "N1",
                "change of circumstances (partner) on 2026-10-10"
            ),
            t(
                "E1",
                "MISCONDUCT_REVIEW_DUE",
                "M1",
                "misconduct outcome written_warning on 2026-09-25"
            ),
            t(
                "E1",
                "PND_UNREVIEWED",
                "PND-1",
                "PND arrest record on 2026-08-16"
            ),
            t(
                "E2",
                "MISCONDUCT_REVIEW_DUE",
                "M2",
                "misconduct outcome final_written_warning on 2026-10-01"
            ),
            t(
                "E3",
                "MISCONDUCT_REVIEW_DUE",
                "M3",
                "misconduct outcome reduction_in_rank on 2026-09-01"
            ),
            t(
                "E4",
                "CIRCUMSTANCES_REVIEW_DUE",
                "N2",
                "change of circumstances (finances) on 2026-09-01"
            ),
            t(
                "E4",
                "CIRCUMSTANCES_REVIEW_DUE",
                "N3",
                "change of circumstances (association) on 2026-10-20"
            ),
        ]
    );

    // E1 first (8), then E4 (4); E2 and E3 have one signal each, E5 left. The surname a
    // spreadsheet would read as a formula is written as text.
    let run_id = "20261124-01";
    assert_eq!(
        s.read_out("signals.csv"),
        format!(
            "run_id,rank,employee_id,surname,forenames,post_id,post_title,score,signals,codes
{run_id},1,E1,Ashby,Anna,RV1,Response officer,8,3,MISCONDUCT_REVIEW_DUE (32 days); PND_UNREVIEWED (72 days); CIRCUMSTANCES_REVIEW_DUE (17 days)
{run_id},2,E4,'=Dale,Dev,RV1,Response officer,4,2,CIRCUMSTANCES_REVIEW_DUE (56 days); CIRCUMSTANCES_REVIEW_DUE (7 days)
"
        )
    );
    // Nothing of a signal but its code and age: no reference, no event, no date.
    let csv = s.read_out("signals.csv");
    for word in ["PND-1", "M1", "N1", "arrest", "partner", "2026-"] {
        assert!(!csv.contains(word), "{word} in signals.csv");
    }

    let html = s.read_out("report.html");
    let f = figures(&html);
    assert_eq!(f["signals:listed"], "2");
    assert_eq!(f["signals:1:employee_id"], "E1");
    assert_eq!(f["signals:1:score"], "8");
    assert_eq!(
        f["signals:1:codes"],
        "MISCONDUCT_REVIEW_DUE (32 days); PND_UNREVIEWED (72 days); CIRCUMSTANCES_REVIEW_DUE (17 days)"
    );
    assert_eq!(f["signals:2:employee_id"], "E4");
    assert_eq!(f["signals:2:score"], "4");
    assert!(!f.contains_key("signals:3:employee_id"));
    // Every code of the weights was checked tonight: none is named as not checked.
    assert!(
        !f.keys().any(|k| k.starts_with("signals:not_checked:")),
        "{:?}",
        f.keys()
            .filter(|k| k.starts_with("signals:"))
            .collect::<Vec<_>>()
    );
    let part = part(&html);
    assert!(part.contains(
        "Take these people to the people-intelligence meeting together, highest score first."
    ));
    assert!(part.contains("All 2 in signals.csv and the workbook's Several signals sheet."));
    assert!(!part.contains("Not checked tonight"), "{part}");

    // The workbook has the sheet, its text as text (a string cell is never a formula).
    let xlsx = s.out().join("exceptions.xlsx");
    let book = xlsx_part(&xlsx, "xl/workbook.xml");
    assert!(book.contains("name=\"Several signals\""), "{book}");
    let strings = xlsx_part(&xlsx, "xl/sharedStrings.xml");
    for text in [
        "=Dale",
        "CIRCUMSTANCES_REVIEW_DUE (56 days); CIRCUMSTANCES_REVIEW_DUE (7 days)",
    ] {
        assert!(strings.contains(&format!("<t>{text}</t>")), "{text}");
    }

    // The night replays to the same bytes, signals.csv with them.
    let r = s.store_cmd(&["replay", run_id]);
    assert!(
        stdout(&r).contains("REPLAY OK") && stdout(&r).contains("signals.csv"),
        "{}{}",
        stdout(&r),
        stderr(&r)
    );
}

#[test]
fn without_the_pnd_returns_the_page_names_pnd_unreviewed_as_not_checked_and_scores_the_rest() {
    let s = Scratch::new();
    let o = run(&s, &without("pnd-returns"));
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let run_id = "20261124-01";
    // E1 without the PND return: 3 + 2 = 5, still before E4.
    assert_eq!(
        s.read_out("signals.csv"),
        format!(
            "run_id,rank,employee_id,surname,forenames,post_id,post_title,score,signals,codes
{run_id},1,E1,Ashby,Anna,RV1,Response officer,5,2,MISCONDUCT_REVIEW_DUE (32 days); CIRCUMSTANCES_REVIEW_DUE (17 days)
{run_id},2,E4,'=Dale,Dev,RV1,Response officer,4,2,CIRCUMSTANCES_REVIEW_DUE (56 days); CIRCUMSTANCES_REVIEW_DUE (7 days)
"
        )
    );
    let html = s.read_out("report.html");
    let f = figures(&html);
    let not_checked: Vec<(&str, &str)> = (f.iter())
        .filter_map(|(k, v)| Some((k.strip_prefix("signals:not_checked:")?, v.as_str())))
        .collect();
    assert_eq!(
        not_checked,
        [(
            "PND_UNREVIEWED",
            "not read: PND returns switched off (input.pnd_returns is not set in the config and --pnd-returns was not given)"
        )]
    );
    assert!(part(&html).contains("Not checked tonight: <code>PND_UNREVIEWED</code> ("));
}

#[test]
fn with_no_one_above_the_minimum_the_page_says_so_only_when_every_code_was_checked() {
    // E2's and E3's single signals only: E1's and E4's events and the PND return gone.
    let single: Vec<(&str, String)> = (files().into_iter())
        .map(|(f, text)| {
            let kept: String = (text.lines().enumerate())
                .filter(|(i, l)| {
                    f == "roster"
                        || f == "posts"
                        || f == "vetting"
                        || *i == 0
                        || !(f == "pnd-returns"
                            || l.contains(",E1,")
                            || l.contains(",e1,")
                            || l.contains(",E4,"))
                })
                .map(|(_, l)| format!("{l}\n"))
                .collect();
            (f, kept)
        })
        .collect();
    let s = Scratch::new();
    let o = run(&s, &single);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        s.read_out("signals.csv"),
        "run_id,rank,employee_id,surname,forenames,post_id,post_title,score,signals,codes\n"
    );
    let f = figures(&s.read_out("report.html"));
    assert_eq!(f["signals:none"], "Checked: no one has 2 or more signals.");
    assert!(!f.contains_key("signals:listed"));

    // The same night without the declarations feed: the empty list no longer says no one,
    // and names the two codes that feed raises.
    let s = Scratch::new();
    let no_declarations: Vec<(&str, String)> = (single.into_iter())
        .filter(|(f, _)| *f != "declarations")
        .collect();
    let o = run(&s, &no_declarations);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let f = figures(&s.read_out("report.html"));
    assert!(
        // (figures() drops commas)
        f["signals:none"].starts_with("Of the codes checked tonight no one has 2 or more signals"),
        "{}",
        f["signals:none"]
    );
    let named: Vec<&str> = (f.keys())
        .filter_map(|k| k.strip_prefix("signals:not_checked:"))
        .collect();
    assert_eq!(
        named,
        ["DECLARATION_REFUSED_IN_POST", "DECLARATION_REVIEW_DUE"]
    );
}

/// One part of a workbook (`xl/workbook.xml`, `xl/sharedStrings.xml`).
fn xlsx_part(path: &std::path::Path, name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut f = zip.by_name(name).unwrap();
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}
