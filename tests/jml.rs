//! Joiners, movers and leavers, driving the binary on small hand-built files: the first
//! night has no earlier roster to compare with; the second finds each joiner, mover and
//! leaver and writes exactly the actions the rules give (every row and cell of jml.csv
//! checked against answers worked out from the files); an officer closes one with
//! `vetrecon jml close`; the third night shows actions done, closed, left behind by a person
//! who went, and carried on with their days open and overdue; the second night replays byte
//! for byte; and after `prune` drops the inputs of the first three nights, a fourth still
//! carries their open actions on.

mod common;

use common::*;

const NIGHT1: &str = "2026-11-17";
const NIGHT2: &str = "2026-11-24";
const NIGHT3: &str = "2026-12-05";
const NIGHT4: &str = "2026-12-12";

const POSTS: &str = "\
post_id,title,department,required_level,designated,vulnerable_contact,revet_on_appointment
P1,Response officer,Response,RV,no,no,no
P2,Intelligence analyst,Intelligence,MV,yes,no,no
P3,Professional standards,PSD,RV,no,no,yes
P4,Counter corruption,PSD,RV,no,no,yes
P5,Front desk volunteer,Response,,no,no,no
";

const ROSTER_HEADER: &str = "employee_id,surname,forenames,previous_surnames,date_of_birth,ni_number,post_id,role_type,force,post_start_date,employment_status,leaving_date\n";
const VETTING_HEADER: &str = "vetting_ref,surname,forenames,previous_surnames,date_of_birth,ni_number,employee_id,level,status,decision_date,expiry_date,adverse_info,rationale_recorded,risk_mitigation\n";

/// One roster row: id, surname, forenames, date of birth, NI, then post, start, status,
/// leaving date.
fn person(
    p: (&str, &str, &str, &str, &str),
    post: &str,
    start: &str,
    status: &str,
    left: &str,
) -> String {
    let (id, surname, forenames, dob, ni) = p;
    format!(
        "{id},{surname},{forenames},,{dob},{ni},{post},staff,Demoshire,{start},{status},{left}\n"
    )
}

/// One vetting row for person `p`: ref, level, status, decision date.
fn record(
    p: (&str, &str, &str, &str, &str),
    r: &str,
    level: &str,
    status: &str,
    decided: &str,
) -> String {
    let (id, surname, forenames, dob, ni) = p;
    format!("{r},{surname},{forenames},,{dob},{ni},{id},{level},{status},{decided},2033-01-01,no,yes,no\n")
}

const ARCHER: (&str, &str, &str, &str, &str) =
    ("E100", "Archer", "Alice", "1981-03-04", "AB123456C");
const BAKER: (&str, &str, &str, &str, &str) = ("E101", "Baker", "Brian", "1975-07-21", "CE234567D");
const COLE: (&str, &str, &str, &str, &str) = ("E102", "Cole", "Carol", "1990-12-01", "HJ345678A");
const DYER: (&str, &str, &str, &str, &str) = ("E103", "Dyer", "Daniel", "1968-05-30", "KL456789B");
const ELLIS: (&str, &str, &str, &str, &str) =
    ("E104", "Ellis", "Evelyn", "1985-09-15", "MN567890C");
const FORD: (&str, &str, &str, &str, &str) = ("E105", "Ford", "Fiona", "1993-02-11", "PR678901D");
const GRAY: (&str, &str, &str, &str, &str) = ("E106", "Gray", "Angus", "1979-11-23", "ST789012A");
const HUNT: (&str, &str, &str, &str, &str) = ("E107", "Hunt", "Harold", "1960-04-08", "WX890123B");

fn night1() -> (String, String) {
    let roster = [
        person(ARCHER, "P1", "2019-04-01", "active", ""),
        person(BAKER, "P1", "2019-04-01", "active", ""),
        person(COLE, "P1", "2019-04-01", "active", ""),
        person(DYER, "P1", "2019-04-01", "active", ""),
        person(ELLIS, "P3", "2019-04-01", "active", ""),
    ]
    .concat();
    let vetting = [
        record(ARCHER, "V100", "RV", "granted", "2024-01-10"),
        record(BAKER, "V101", "RV", "granted", "2024-01-11"),
        record(COLE, "V102", "RV", "granted", "2024-01-12"),
        record(DYER, "V103", "RV", "granted", "2024-01-13"),
        record(ELLIS, "V104", "RV", "granted", "2024-01-14"),
    ]
    .concat();
    (roster, vetting)
}

/// Night 2: Archer moves to an MV post (from 2026-11-20) holding RV; Baker moves to a post
/// that calls for a re-vet; Cole is a leaver (2026-11-21) still cleared; Dyer is gone from
/// the roster, his clearance still granted; Ford joins (2026-11-18) with a clearance she
/// brought; Gray joins an MV post with none; Hunt joins a post that requires no level.
fn night2() -> (String, String) {
    let roster = [
        person(ARCHER, "P2", "2026-11-20", "active", ""),
        person(BAKER, "P4", "2019-04-01", "active", ""),
        person(COLE, "P1", "2019-04-01", "leaver", "2026-11-21"),
        person(ELLIS, "P3", "2019-04-01", "active", ""),
        person(FORD, "P1", "2026-11-18", "active", ""),
        person(GRAY, "P2", "2026-11-10", "active", ""),
        person(HUNT, "P5", "2026-11-19", "active", ""),
    ]
    .concat();
    let vetting = [
        record(ARCHER, "V100", "RV", "granted", "2024-01-10"),
        record(BAKER, "V101", "RV", "granted", "2024-01-11"),
        record(COLE, "V102", "RV", "granted", "2024-01-12"),
        record(DYER, "V103", "RV", "granted", "2024-01-13"),
        record(ELLIS, "V104", "RV", "granted", "2024-01-14"),
        record(FORD, "V105", "RV", "granted", "2025-06-02"),
    ]
    .concat();
    (roster, vetting)
}

/// Night 3: Gray granted MV on 2026-12-01; Dyer's clearance withdrawn; Baker gone from the
/// roster (his RV still granted); the rest as on night 2.
fn night3() -> (String, String) {
    let roster = [
        person(ARCHER, "P2", "2026-11-20", "active", ""),
        person(COLE, "P1", "2019-04-01", "leaver", "2026-11-21"),
        person(ELLIS, "P3", "2019-04-01", "active", ""),
        person(FORD, "P1", "2026-11-18", "active", ""),
        person(GRAY, "P2", "2026-11-10", "active", ""),
        person(HUNT, "P5", "2026-11-19", "active", ""),
    ]
    .concat();
    let vetting = [
        record(ARCHER, "V100", "RV", "granted", "2024-01-10"),
        record(BAKER, "V101", "RV", "granted", "2024-01-11"),
        record(COLE, "V102", "RV", "granted", "2024-01-12"),
        record(DYER, "V103", "RV", "withdrawn", "2026-11-30"),
        record(ELLIS, "V104", "RV", "granted", "2024-01-14"),
        record(FORD, "V105", "RV", "granted", "2025-06-02"),
        record(GRAY, "V106", "MV", "granted", "2026-12-01"),
    ]
    .concat();
    (roster, vetting)
}

fn ok(o: &std::process::Output) -> String {
    assert_eq!(code(o), 0, "stdout:\n{}\nstderr:\n{}", stdout(o), stderr(o));
    stdout(o)
}

/// Run one night on these files, with none of the optional feeds.
fn night(s: &Scratch, as_of: &str, (roster, vetting): (String, String), extra: &[&str]) -> String {
    let dir = s.path(as_of);
    std::fs::create_dir_all(&dir).unwrap();
    let put = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let roster = put("roster.csv", &format!("{ROSTER_HEADER}{roster}"));
    let posts = put("posts.csv", POSTS);
    let vetting = put("vetting.csv", &format!("{VETTING_HEADER}{vetting}"));
    ok(&s.run(
        &[
            "--as-of",
            as_of,
            "--roster",
            &roster,
            "--posts",
            &posts,
            "--vetting",
            &vetting,
            "--no-pnd-returns",
            "--no-misconduct",
            "--no-circumstances",
            "--no-recruitment-plan",
            "--accept-change",
        ]
        .iter()
        .chain(extra)
        .copied()
        .collect::<Vec<_>>(),
    ));
    without_run_id(&s.read_out("jml.csv"))
}

/// jml.csv with its leading run_id column taken off, once every row is seen to hold the one
/// run id.
fn without_run_id(csv: &str) -> String {
    let mut ids = std::collections::BTreeSet::new();
    let mut out = String::new();
    for (i, line) in csv.lines().enumerate() {
        let (id, rest) = line.split_once(',').expect("a run_id column");
        if i == 0 {
            assert_eq!(id, "run_id");
        } else {
            ids.insert(id.to_string());
        }
        out.push_str(rest);
        out.push('\n');
    }
    assert!(ids.len() <= 1, "{ids:?}");
    out
}

const HEADER: &str = "action_id,action,event,employee_id,from_post,to_post,required_level,held_level,event_date,first_seen,due_date,days_open,days_overdue,status,detail\n";

#[test]
fn roster_changes_become_actions_that_carry_until_done_closed_or_the_person_goes_and_survive_prune()
{
    let s = Scratch::new();
    let first = night(&s, NIGHT1, night1(), &[]);
    assert_eq!(first, HEADER, "the first night has nothing to compare with");
    assert!(s
        .read_out("summary.txt")
        .ends_with("\njoiners, movers and leavers\n  no earlier roster to compare with\n"));
    let page = s.read_out("report.html");
    assert!(
        figures(&page)["jml:compared"].starts_with("There is no earlier roster to compare with"),
        "{page}"
    );

    // Night 2. Due days (the built-in [prevention].action_due_days): vet_joiner 28,
    // confirm_transfer 14, upgrade 28, revet 28, end_clearance 7. An event date is the start
    // or leaving date when given after the previous night (2026-11-17), else tonight.
    let second = night(&s, NIGHT2, night2(), &[]);
    let want2 = [
        "end_clearance:E102:2026-11-21,end_clearance,leaver,E102,P1,,,RV,2026-11-21,2026-11-24,2026-11-28,0,0,open,left P1 on 2026-11-21; clearances still granted: V102",
        "end_clearance:E103:2026-11-24,end_clearance,leaver,E103,P1,,,RV,2026-11-24,2026-11-24,2026-12-01,0,0,open,left P1 by 2026-11-24; clearances still granted: V103",
        "confirm_transfer:E105:2026-11-18,confirm_transfer,joiner,E105,,P1,RV,RV,2026-11-18,2026-11-24,2026-12-02,0,0,open,joined P1 on 2026-11-18 (requires RV); holds RV (V105); no grant decided on or after 2026-11-18 yet",
        "upgrade:E100:2026-11-20,upgrade,mover,E100,P1,P2,MV,RV,2026-11-20,2026-11-24,2026-12-18,0,0,open,moved from P1 to P2 on 2026-11-20 (requires MV); holds RV (V100)",
        "revet:E101:2026-11-24,revet,mover,E101,P1,P4,RV,RV,2026-11-24,2026-11-24,2026-12-22,0,0,open,moved from P1 to P4 by 2026-11-24 (requires RV); holds RV (V101); no grant decided on or after 2026-11-24 yet",
        "vet_joiner:E106:2026-11-24,vet_joiner,joiner,E106,,P2,MV,,2026-11-24,2026-11-24,2026-12-22,0,0,open,joined P2 by 2026-11-24 (requires MV); holds no clearance",
    ];
    assert_eq!(second, format!("{HEADER}{}\n", want2.join("\n")));
    let f = figures(&s.read_out("report.html"));
    assert_eq!(
        [
            &f["jml:joiners"],
            &f["jml:movers"],
            &f["jml:leavers"],
            &f["jml:open"],
            &f["jml:overdue"]
        ],
        ["3 joiners", "2 movers", "2 leavers", "6", "0"]
    );
    assert_eq!(
        f["jml:no_action"],
        "No action needed: 1 into a post that requires no level."
    );
    let r = ok(&s.store_cmd(&["replay", "20261124-01"]));
    assert!(r.contains("REPLAY OK: run 20261124-01"), "{r}");
    assert!(r.contains("jml state") && !r.contains("DIFFERS"), "{r}");
    let show = ok(&s.store_cmd(&["show", "20261124-01"]));
    assert!(
        show.contains("  7 people") && show.contains("  6 open"),
        "{show}"
    );

    // An officer closes Cole's: refused for an action that is not open, or with no reason.
    let o = s.store_cmd(&[
        "jml",
        "close",
        "end_clearance:E999:2026-11-21",
        "--reason",
        "checked",
        "--by",
        "DS Patel",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is not an action open after run 20261124-01"),
        "{}",
        stderr(&o)
    );
    let o = s.store_cmd(&[
        "jml",
        "close",
        "end_clearance:E102:2026-11-21",
        "--reason",
        " ",
        "--by",
        "DS Patel",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let reason = "=ended by HR on the day; \"confirmed\", by phone";
    let closed = ok(&s.store_cmd(&[
        "jml",
        "close",
        "END_CLEARANCE:e102:2026-11-21",
        "--reason",
        reason,
        "--by",
        "DS Patel",
    ]));
    assert!(
        closed.contains(
            "closed: end_clearance:E102:2026-11-21 (open after run 20261124-01) by DS Patel"
        ),
        "{closed}"
    );
    let o = s.store_cmd(&[
        "jml",
        "close",
        "end_clearance:E102:2026-11-21",
        "--reason",
        "again",
        "--by",
        "DS Patel",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("was closed already"), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("ended by HR"),
        "the reason stays out of messages"
    );

    // Night 3, eleven days on. Closed today, so the day the closing was recorded is today.
    let today = chrono::Utc::now().date_naive().to_string();
    let third = night(&s, NIGHT3, night3(), &[]);
    let want3 = [
        // Open and overdue: due 2026-12-02, three days ago.
        "confirm_transfer:E105:2026-11-18,confirm_transfer,joiner,E105,,P1,RV,RV,2026-11-18,2026-11-24,2026-12-02,11,3,open,joined P1 on 2026-11-18 (requires RV); holds RV (V105); no grant decided on or after 2026-11-18 yet".to_string(),
        // Open by due date: Baker's leaving tonight (absent, his RV still granted), then Archer's.
        "end_clearance:E101:2026-12-05,end_clearance,leaver,E101,P4,,,RV,2026-12-05,2026-12-05,2026-12-12,0,0,open,left P4 by 2026-12-05; clearances still granted: V101".to_string(),
        "upgrade:E100:2026-11-20,upgrade,mover,E100,P1,P2,MV,RV,2026-11-20,2026-11-24,2026-12-18,11,0,open,moved from P1 to P2 on 2026-11-20 (requires MV); holds RV (V100)".to_string(),
        // Closed tonight, by action id.
        format!("end_clearance:E102:2026-11-21,end_clearance,leaver,E102,P1,,,RV,2026-11-21,2026-11-24,2026-11-28,11,7,closed,\"left P1 on 2026-11-21; clearances still granted: V102; closed by DS Patel on {today}: =ended by HR on the day; \"\"confirmed\"\", by phone\""),
        "end_clearance:E103:2026-11-24,end_clearance,leaver,E103,P1,,,,2026-11-24,2026-11-24,2026-12-01,11,4,done,left P1 by 2026-11-24; done: no clearance of theirs is still granted".to_string(),
        "revet:E101:2026-11-24,revet,mover,E101,P1,P4,RV,,2026-11-24,2026-11-24,2026-12-22,11,0,person_left,moved from P1 to P4 by 2026-11-24 (requires RV); person_left: no longer on the roster".to_string(),
        "vet_joiner:E106:2026-11-24,vet_joiner,joiner,E106,,P2,MV,MV,2026-11-24,2026-11-24,2026-12-22,11,0,done,joined P2 by 2026-11-24 (requires MV); done: holds MV (V106)".to_string(),
    ];
    assert_eq!(third, format!("{HEADER}{}\n", want3.join("\n")));
    let f = figures(&s.read_out("report.html"));
    assert_eq!([&f["jml:open"], &f["jml:overdue"]], ["3", "1"]);
    let summary = s.read_out("summary.txt");
    assert!(
        summary.ends_with("\njoiners, movers and leavers\n  open actions                     3\n  overdue                          1\n"),
        "{summary}"
    );
    assert_eq!(
        [&f["jml:end_clearance:open"], &f["jml:end_clearance:closed"]],
        ["1", "2"]
    );
    let r = ok(&s.store_cmd(&["replay", "20261205-01"]));
    assert!(r.contains("REPLAY OK: run 20261205-01"), "{r}");

    // Prune the inputs of the first two nights: night 3 run again reads night 2's roster
    // and open actions from the store as before, and so does night 4 from night 3's.
    let p = ok(&s.store_cmd(&["prune", "--before", NIGHT3]));
    assert!(p.contains("pruned the input payloads of 2 runs"), "{p}");
    let again = night(&s, NIGHT3, night3(), &["--rerun"]);
    assert_eq!(again, third);
    let fourth = night(&s, NIGHT4, night3(), &[]);
    let want4 = [
        "confirm_transfer:E105:2026-11-18,confirm_transfer,joiner,E105,,P1,RV,RV,2026-11-18,2026-11-24,2026-12-02,18,10,open,joined P1 on 2026-11-18 (requires RV); holds RV (V105); no grant decided on or after 2026-11-18 yet",
        "end_clearance:E101:2026-12-05,end_clearance,leaver,E101,P4,,,RV,2026-12-05,2026-12-05,2026-12-12,7,0,open,left P4 by 2026-12-05; clearances still granted: V101",
        "upgrade:E100:2026-11-20,upgrade,mover,E100,P1,P2,MV,RV,2026-11-20,2026-11-24,2026-12-18,18,0,open,moved from P1 to P2 on 2026-11-20 (requires MV); holds RV (V100)",
    ];
    assert_eq!(fourth, format!("{HEADER}{}\n", want4.join("\n")));
    let v = ok(&s.store_cmd(&["verify"]));
    assert!(v.contains("VERIFY OK"), "{v}");
}

/// A post register without `revet_on_appointment` and twelve joiners: the page says the
/// re-vet was not read and counts the mover it leaves unchecked, and lists the ten most
/// urgent open actions, the other two in jml.csv.
#[test]
fn the_page_lists_ten_open_actions_and_says_when_the_revet_column_was_not_read() {
    let s = Scratch::new();
    let posts = "post_id,title,department,required_level,designated,vulnerable_contact\nP1,Response officer,Response,RV,no,no\nP3,Professional standards,PSD,RV,no,no\n";
    let run = |as_of: &str, roster: &str, vetting: &str| {
        let dir = s.path(as_of);
        std::fs::create_dir_all(&dir).unwrap();
        let put = |name: &str, text: &str| {
            let p = dir.join(name);
            std::fs::write(&p, text).unwrap();
            p.display().to_string()
        };
        let (r, p, v) = (
            put("roster.csv", &format!("{ROSTER_HEADER}{roster}")),
            put("posts.csv", posts),
            put("vetting.csv", &format!("{VETTING_HEADER}{vetting}")),
        );
        ok(&s.run(&[
            "--as-of",
            as_of,
            "--roster",
            &r,
            "--posts",
            &p,
            "--vetting",
            &v,
            "--no-pnd-returns",
            "--no-misconduct",
            "--no-circumstances",
            "--no-recruitment-plan",
            "--accept-change",
        ]));
    };
    let vetting = record(ARCHER, "V100", "RV", "granted", "2024-01-10");
    run(
        NIGHT1,
        &person(ARCHER, "P1", "2019-04-01", "active", ""),
        &vetting,
    );
    // Archer moves to P3 holding RV; twelve joiners with no clearance start between
    // 2026-11-18 and 2026-11-23, so their actions fall due on different days.
    let mut roster = person(ARCHER, "P3", "2019-04-01", "active", "");
    for i in 0..12 {
        let id = format!("E2{i:02}");
        let dob = format!("1970-01-{:02}", i + 1);
        let start = format!("2026-11-{:02}", 18 + i % 6);
        roster.push_str(&person(
            (&id, "Joiner", &format!("Name{i}"), &dob, ""),
            "P1",
            &start,
            "active",
            "",
        ));
    }
    run(NIGHT2, &roster, &vetting);
    let csv = rows(&s.read_out("jml.csv"));
    assert_eq!(csv.len(), 12);
    assert!(csv
        .iter()
        .all(|r| r["action"] == "vet_joiner" && r["status"] == "open"));
    let html = s.read_out("report.html");
    let f = figures(&html);
    assert_eq!(f["jml:open"], "12");
    assert!(
        f["jml:revet"].starts_with("The post register has no "),
        "{}",
        f["jml:revet"]
    );
    let revet = html.split("data-figure=\"jml:revet\"").nth(1).unwrap();
    let revet = revet.split("</p>").next().unwrap();
    assert!(
        revet.contains("so whether a move calls for a re-vet was not read: 1 mover who holds"),
        "{revet}"
    );
    let section = html
        .split("<section id=\"jml\">")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert_eq!(section.matches("<code>vet_joiner:").count(), 10);
    assert!(
        section.contains("2 more open actions in jml.csv."),
        "{section}"
    );
    // The ten shown are the first ten of jml.csv.
    for r in csv.iter().take(10) {
        assert!(section.contains(&format!("<code>{}</code>", r["action_id"])));
    }
}
