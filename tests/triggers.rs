//! Review triggers end to end on the demo force: a PND return with a misspelt surname links
//! to the right officer and raises PND_UNREVIEWED; a vetting review recorded in the export
//! clears it on the next night; a rejected link is honoured; every night replays.

mod common;
use common::*;

fn exceptions(s: &Scratch) -> Vec<(String, String, String)> {
    rows(&s.read_out("exceptions.csv"))
        .into_iter()
        .map(|r| {
            (
                r["code"].clone(),
                r["employee_id"].clone(),
                r["vetting_ref"].clone(),
            )
        })
        .collect()
}

fn has(s: &Scratch, code: &str, emp: &str, reference: &str) -> bool {
    exceptions(s).contains(&(code.into(), emp.into(), reference.into()))
}

#[test]
fn a_misspelt_pnd_return_raises_pnd_unreviewed_until_a_review_is_recorded() {
    let s = Scratch::new();
    // The return as the PND holds it: the surname's letters transposed.
    let pnd = rows(&std::fs::read_to_string(demo("pnd_returns.csv")).unwrap());
    let ret = pnd
        .iter()
        .find(|r| r["pnd_ref"] == "PND-24-000101")
        .unwrap();
    let roster = rows(&std::fs::read_to_string(demo("roster.csv")).unwrap());
    let officer = roster
        .iter()
        .find(|p| p["ni_number"] == ret["ni_number"] && p["date_of_birth"] == ret["date_of_birth"])
        .expect("the return is about someone on the roster");
    assert_ne!(
        officer["surname"], ret["surname"],
        "the return's surname is misspelt"
    );

    // Night 1: linked to the right officer, 40 days old, no review since: raised.
    let o = s.run(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let emp = officer["employee_id"].as_str();
    assert!(
        has(&s, "PND_UNREVIEWED", emp, "PND-24-000101"),
        "{:?}",
        exceptions(&s)
    );
    let row = rows(&s.read_out("exceptions.csv"))
        .into_iter()
        .find(|r| r["vetting_ref"] == "PND-24-000101")
        .unwrap();
    assert_eq!(row["severity"], "high");
    assert_eq!(
        row["detail"],
        format!(
            "PND arrest record on {}, 40 days ago; no vetting review since (latest vetting decision or review {})",
            ret["record_date"],
            row["detail"].rsplit(' ').next().unwrap().trim_end_matches(')')
        )
    );
    // The others the demo's truth expects, and nothing for the return reviewed since, the
    // one inside the grace period or the one about nobody on the roster.
    assert!(has(&s, "MISCONDUCT_REVIEW_DUE", "E1008", "MIS-2026-0001"));
    assert!(has(
        &s,
        "CIRCUMSTANCES_REVIEW_DUE",
        "E1014",
        "COC-2026-0001"
    ));
    for r in [
        "PND-24-000102",
        "PND-24-000103",
        "PND-24-000104",
        "MIS-2026-0002",
        "COC-2026-0003",
    ] {
        assert!(!exceptions(&s).iter().any(|e| e.2 == r), "{r}");
    }
    let summary = s.read_out("summary.txt");
    assert!(
        summary.contains("PND returns linked\n  auto_link                        3\n"),
        "{summary}"
    );
    assert!(summary.contains("  pnd_returns"), "{summary}");

    // Night 2: the vetting unit records a review of that officer's clearance.
    let vetting = std::fs::read_to_string(demo("vetting.csv")).unwrap();
    let mut lines: Vec<String> = vetting.lines().map(str::to_string).collect();
    let column = |name: &str| lines[0].split(',').position(|c| c == name).unwrap();
    let (dob, ni, review) = (
        column("date_of_birth"),
        column("ni_number"),
        column("last_review_date"),
    );
    let mut reviewed = 0;
    for l in lines.iter_mut().skip(1) {
        let mut f: Vec<&str> = l.split(',').collect();
        if f[dob] == officer["date_of_birth"] && f[ni] == officer["ni_number"] {
            f[review] = "2026-11-25";
            *l = f.join(",");
            reviewed += 1;
        }
    }
    assert!(reviewed >= 1);
    let vetting2 = s.write("vetting2.csv", &(lines.join("\n") + "\n"));
    let o = s.run(&[
        "--as-of",
        "2026-11-25",
        "--vetting",
        vetting2.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!has(&s, "PND_UNREVIEWED", emp, "PND-24-000101"));
    assert!(has(&s, "MISCONDUCT_REVIEW_DUE", "E1008", "MIS-2026-0001"));
    let diff = s.store_cmd(&["diff", "20261124-01", "20261125-01"]);
    assert!(
        stdout(&diff).contains("PND-24-000101"),
        "the diff shows it resolved: {}",
        stdout(&diff)
    );

    // A false positive: the officer is not the person on the PND record. Rejected, the
    // return links to nobody, and its exception does not come back.
    let d = s.store_cmd(&[
        "decide",
        "reject",
        emp,
        "PND-24-000101",
        "--by",
        "DS Patel",
        "--reason",
        "PND record is a namesake: different middle name and address history",
    ]);
    assert_eq!(code(&d), 0, "{}{}", stdout(&d), stderr(&d));
    let o = s.run(&["--as-of", "2026-11-26"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!exceptions(&s).iter().any(|e| e.2 == "PND-24-000101"));
    assert!(s
        .read_out("summary.txt")
        .contains("PND returns linked\n  auto_link                        2\n"));

    for run in ["20261124-01", "20261125-01", "20261126-01"] {
        let r = s.store_cmd(&["replay", run]);
        assert!(
            stdout(&r).contains("REPLAY OK"),
            "{run}: {}{}",
            stdout(&r),
            stderr(&r)
        );
    }
}

#[test]
fn a_trigger_feed_with_a_bad_row_is_a_reject_and_a_missing_feed_exits_3() {
    let s = Scratch::new();
    let bad = s.write(
        "misconduct.csv",
        "outcome_ref,employee_id,outcome,outcome_date\nMIS-1,E1008,demotion,2026-09-01\nMIS-2,E1008,written_warning,2026-09-01\n",
    );
    let o = s.run(&[
        "--misconduct",
        bad.to_str().unwrap(),
        "--config",
        s.write("c.toml", "[input]\nmax_reject_share = 0.6\n")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rejects = rows(&s.read_out("rejects.csv"));
    let r = rejects.iter().find(|r| r["file"] == "misconduct").unwrap();
    assert_eq!(r["line"], "2");
    assert_eq!(r["column"], "outcome");
    assert_eq!(
        r["reason"],
        "unknown outcome (written_warning, final_written_warning, reduction_in_rank, other)"
    );
    assert!(has(&s, "MISCONDUCT_REVIEW_DUE", "E1008", "MIS-2"));
    // The pre-flight reads the feed too, and reports the same row.
    let root_cfg = root().join("config/vetrecon.toml");
    let mut args: Vec<String> = [
        "check",
        "--config",
        root_cfg.to_str().unwrap(),
        "--as-of",
        AS_OF,
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    for (flag, path) in [
        ("--roster", demo("roster.csv")),
        ("--posts", demo("posts.csv")),
        ("--vetting", demo("vetting.csv")),
        ("--pnd-returns", demo("pnd_returns.csv")),
        ("--misconduct", bad.clone()),
        ("--circumstances", demo("circumstances.csv")),
        ("--db", s.path("no-store")),
    ] {
        args.push(flag.into());
        args.push(path.display().to_string());
    }
    let o = vetrecon(&args, s.dir.path());
    let report = stdout(&o);
    assert!(
        report.contains("rejected rows in misconduct (line, column: reason):\n  line 2, outcome: unknown outcome"),
        "{report}"
    );
    let line = report
        .lines()
        .find(|l| l.starts_with("misconduct "))
        .unwrap();
    assert_eq!(
        line.split_whitespace().take(4).collect::<Vec<_>>(),
        ["misconduct", "2", "1", "1"]
    );
    // One bad row of two is more than the default 1% share, but one row is always allowed
    // (input.rejects_allowed): a run would proceed, with the row in rejects.csv.
    assert_eq!(code(&o), 0, "{report}");
    let o = s.run(&[
        "--rerun",
        "--pnd-returns",
        s.path("absent.csv").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 3, "{}", stderr(&o));
}

/// The rows of a CSV output with `col` = `value`.
fn where_eq(text: &str, col: &str, value: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    rows(text).into_iter().filter(|r| r[col] == value).collect()
}

#[test]
fn a_feed_not_read_says_so_wherever_its_figures_stand_and_its_exceptions_are_not_checked() {
    let s = Scratch::new();
    // Night 1 reads every feed: PND returns raise PND_UNREVIEWED.
    assert_eq!(code(&s.run(&[])), 0);
    let pnd_before = where_eq(&s.read_out("exceptions.csv"), "code", "PND_UNREVIEWED");
    assert!(!pnd_before.is_empty());

    // Night 2 reads no PND returns (the config names none, and none is given).
    let o = s.run(&["--as-of", "2026-11-25", "--no-pnd-returns"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let why = "not read: PND returns switched off (input.pnd_returns is not set in the config and --pnd-returns was not given)";
    // The log says so.
    assert!(stderr(&o).contains(why), "{}", stderr(&o));
    // summary.txt: the feed, and the code, never a zero.
    let summary = s.read_out("summary.txt");
    assert!(
        summary.contains(&format!("  pnd_returns    {why}\n")),
        "{summary}"
    );
    assert!(summary.contains("  misconduct     read\n"), "{summary}");
    assert!(
        summary.contains(&format!("  PND_UNREVIEWED             {why}\n")),
        "{summary}"
    );
    assert!(
        summary.contains("  MISCONDUCT_REVIEW_DUE            1\n"),
        "{summary}"
    );
    // The page: the headline, the triggers section and the warning line.
    let f = figures(&s.read_out("report.html"));
    assert_eq!(f["count:PND_UNREVIEWED"], "not read");
    assert!(f["triggers:PND_UNREVIEWED"].starts_with(why), "{f:?}");
    assert!(!f.contains_key("triggers:PND_UNREVIEWED:1-30"));
    assert_eq!(f["triggers:MISCONDUCT_REVIEW_DUE"], "1");
    assert!(
        f["feeds:not_read"].contains("PND returns switched off"),
        "{f:?}"
    );
    assert_eq!(f["changes:not_checked"], pnd_before.len().to_string());
    // changes.csv: last night's PND exceptions are not checked tonight, never resolved.
    let changes = s.read_out("changes.csv");
    let not_checked = where_eq(&changes, "change", "not_checked");
    assert_eq!(not_checked.len(), pnd_before.len());
    assert!(not_checked.iter().all(|r| r["code"] == "PND_UNREVIEWED"));
    assert!(where_eq(&changes, "change", "resolved")
        .iter()
        .all(|r| r["code"] != "PND_UNREVIEWED"));
    // trend.csv: tonight's PND count is no count at all; last night's was checked.
    let trend = rows(&s.read_out("trend.csv"));
    let pnd: Vec<(&str, &str, &str)> = trend
        .iter()
        .filter(|r| r["code"] == "PND_UNREVIEWED")
        .map(|r| {
            (
                r["as_of"].as_str(),
                r["count"].as_str(),
                r["checked"].as_str(),
            )
        })
        .collect();
    let n1 = pnd_before.len().to_string();
    assert_eq!(
        pnd,
        vec![("2026-11-24", n1.as_str(), "yes"), ("2026-11-25", "", "no")]
    );
    // exceptions.xlsx's cover names the feed where its file would be.
    let xlsx = std::fs::read(s.out().join("exceptions.xlsx")).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("xl/sharedStrings.xml").unwrap(),
        &mut strings,
    )
    .unwrap();
    assert!(strings.contains(why), "{strings}");
    // `diff` and `show` say the same.
    let d = stdout(&s.store_cmd(&["diff", "20261124-01", "20261125-01"]));
    let head = d.lines().next().unwrap_or("");
    assert!(
        head.ends_with(&format!(
            " persisting, {} not checked, 0 not checked before",
            pnd_before.len()
        )),
        "{d}"
    );
    assert!(
        d.contains("run 20261125-01 did not read pnd_returns (PND returns): its exceptions in 20261124-01 are not checked, not resolved"),
        "{d}"
    );
    let resolved = d
        .split("\nresolved\n")
        .nth(1)
        .map(|r| r.split("\n\n").next().unwrap_or(""))
        .unwrap_or("");
    assert!(!resolved.contains("PND_UNREVIEWED"), "{d}");
    let show = stdout(&s.store_cmd(&["show", "20261125-01"]));
    assert!(
        show.contains("  PND_UNREVIEWED             not read (pnd_returns: switched off"),
        "{show}"
    );

    // Night 3 reads them again: tonight's PND exceptions were not checked the night
    // before, so they are not "new", and the headline does not compare them.
    assert_eq!(code(&s.run(&["--as-of", "2026-11-26"])), 0);
    let changes = s.read_out("changes.csv");
    let again = where_eq(&changes, "change", "not_checked_before");
    assert!(!again.is_empty());
    assert!(again.iter().all(|r| r["code"] == "PND_UNREVIEWED"));
    assert!(where_eq(&changes, "change", "new")
        .iter()
        .all(|r| r["code"] != "PND_UNREVIEWED"));
    let html = s.read_out("report.html");
    assert!(html.contains("not compared (not read on the previous night)"));
    assert!(!html.contains("Not checked tonight:"));

    // The person's timeline: not checked on night 2, and not raised again on night 3
    // (it was open all along, as far as anyone looked).
    let first = &pnd_before[0];
    let t = stdout(&s.store_cmd(&["person", &first["employee_id"]]));
    let open = format!(
        "PND_UNREVIEWED {} {}",
        first["vetting_ref"], first["post_id"]
    );
    assert!(
        t.contains(&format!(
            "exception {open} not checked (the run did not read pnd_returns)"
        )),
        "{t}"
    );
    assert_eq!(
        t.matches(&format!("exception raised {open}")).count(),
        1,
        "{t}"
    );
    assert!(!t.contains(&format!("exception cleared {open}")), "{t}");

    // A `check` without the feed says a run would not read it.
    let c = s.check(&["--no-pnd-returns"]);
    assert!(
        stdout(&c).contains(&format!("warning: {why}")),
        "{}",
        stdout(&c)
    );
    for run in ["20261125-01", "20261126-01"] {
        let r = s.store_cmd(&["replay", run]);
        assert!(stdout(&r).contains("REPLAY OK"), "{run}: {}", stdout(&r));
    }
}
