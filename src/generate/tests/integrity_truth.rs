//! Integrity oversight in a generated force: the truth it writes is the agreed rules
//! (docs/output.md) applied afresh to the files it writes, every planned scenario occurs with
//! the status or rows it implies, the same seed writes the same bytes, and it moves nothing
//! the force without it holds.

use super::*;
use crate::generate::integrity;
use crate::model::integrity::RawIntegrity;
use chrono::Months;
use std::collections::BTreeSet;
use std::path::Path;

type Row = BTreeMap<String, String>;
type Key = (String, String, String);

fn table(path: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// Every row of a CSV file, header first, as its cells.
fn cells(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A force with casework, prevention and integrity, written.
fn with_integrity(people: usize, seed: u64) -> (Force, tempfile::TempDir) {
    let f = generate(&Spec {
        prevention: true,
        integrity: true,
        ..spec(people, seed)
    });
    let dir = tempfile::tempdir().unwrap();
    write::write(&f, dir.path()).unwrap();
    (f, dir)
}

/// A period as the generator writes one, in months (blank: the default twelve).
fn months(period: &str) -> u32 {
    match period {
        "" | "P1Y" | "12 months" => 12,
        "6 months" => 6,
        "2 years" => 24,
        other => panic!("a period the generator does not write: {other}"),
    }
}

fn after(d: NaiveDate, m: u32) -> NaiveDate {
    d.checked_add_months(Months::new(m)).unwrap()
}

/// (ladder, rank) of a level of the default `[levels]`.
fn place(level: &str) -> Option<(usize, usize)> {
    [
        &["RV", "MV"][..],
        &["NPPV1", "NPPV2", "NPPV3"],
        &["CTC", "SC", "DV"],
    ]
    .iter()
    .enumerate()
    .find_map(|(l, ladder)| ladder.iter().position(|x| *x == level).map(|r| (l, r)))
}

fn meets(held: &str, required: &str) -> bool {
    matches!((place(held), place(required)), (Some((a, h)), Some((b, r))) if a == b && h >= r)
}

/// The written force, read back as plain tables.
struct Written {
    as_of: NaiveDate,
    roster: BTreeMap<String, Row>,
    posts: Vec<Row>,
    vetting: BTreeMap<String, Row>,
    /// Each person's records (truth/links.csv).
    records: BTreeMap<String, Vec<String>>,
    exceptions: BTreeSet<Key>,
}

impl Written {
    fn read(dir: &Path) -> Written {
        let mut records: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for l in table(&dir.join("truth/links.csv")) {
            records
                .entry(l["employee_id"].clone())
                .or_default()
                .push(l["vetting_ref"].clone());
        }
        Written {
            as_of: write::read_manifest(dir).unwrap().as_of,
            roster: table(&dir.join("roster.csv"))
                .into_iter()
                .map(|r| (r["employee_id"].clone(), r))
                .collect(),
            posts: table(&dir.join("posts.csv")),
            vetting: table(&dir.join("vetting.csv"))
                .into_iter()
                .map(|r| (r["vetting_ref"].clone(), r))
                .collect(),
            records,
            exceptions: table(&dir.join("truth/exceptions.csv"))
                .into_iter()
                .map(|r| {
                    (
                        r["code"].clone(),
                        r["employee_id"].clone(),
                        r["vetting_ref"].clone(),
                    )
                })
                .collect(),
        }
    }

    fn on_roster(&self, employee: &str) -> bool {
        self.roster
            .get(employee)
            .is_some_and(|p| p["employment_status"] != "leaver")
    }

    fn truth_of(&self, code: &str) -> BTreeSet<Key> {
        self.exceptions
            .iter()
            .filter(|k| k.0 == code)
            .cloned()
            .collect()
    }
}

#[test]
fn the_integrity_truth_is_the_rules_applied_to_the_written_files() {
    let (_, dir) = with_integrity(8_000, 31);
    let dir = dir.path();
    let w = Written::read(dir);
    let as_of = w.as_of;
    let raw = RawIntegrity::default();

    // Posts whose requirement looks wrong, one row per rule hit, in the contract's order.
    let holders = |post: &str| {
        w.roster
            .values()
            .filter(|p| p["post_id"] == post && p["employment_status"] != "leaver")
            .count()
    };
    let direction = |recorded: &str, expected: &str| match (place(recorded), place(expected)) {
        (None, _) => "under",
        (Some((a, h)), Some((b, e))) if a == b => {
            if h < e {
                "under"
            } else {
                "over"
            }
        }
        _ => "other_ladder",
    };
    let mut want: Vec<(usize, String, usize, String, String, String, String)> = Vec::new();
    for p in &w.posts {
        let designated = p["designated"] == "yes";
        let own = p["required_level"].as_str();
        let of_post = if designated { "MV" } else { own };
        let mut hit = |rule: usize, keyword: &str, recorded: &str, expected: &str| {
            want.push((
                holders(&p["post_id"]),
                p["post_id"].clone(),
                rule,
                keyword.to_string(),
                recorded.to_string(),
                expected.to_string(),
                direction(recorded, expected).to_string(),
            ))
        };
        if designated && !meets(own, "MV") {
            hit(0, "", own, "MV");
        }
        if p["vulnerable_contact"] == "yes" && !meets(of_post, "MV") {
            hit(1, "", of_post, "MV");
        }
        for r in &raw.title_rules {
            if p["title"].to_lowercase().contains(&r.contains) && of_post != r.level {
                hit(2, &r.contains, of_post, &r.level);
            }
        }
    }
    want.sort_by(|a, b| (b.0, &a.1, a.2, &a.3).cmp(&(a.0, &b.1, b.2, &b.3)));
    let want: Vec<Vec<String>> = want
        .into_iter()
        .map(|(n, post, rule, keyword, recorded, expected, direction)| {
            vec![
                post,
                integrity::RULES[rule].to_string(),
                keyword,
                recorded,
                expected,
                direction,
                n.to_string(),
            ]
        })
        .collect();
    let got = cells(&dir.join("truth/post_register_checks.csv"));
    assert_eq!(
        got[0],
        [
            "post_id",
            "rule",
            "keyword",
            "recorded_level",
            "expected_level",
            "direction",
            "postholders"
        ]
    );
    assert_eq!(got[1..], want[..]);
    assert!(want.len() > 20, "{want:?}");

    // Declarations: a status each, and the rows of the two DECLARATION_ codes.
    let designated = |employee: &str| {
        w.roster.get(employee).is_some_and(|p| {
            w.posts
                .iter()
                .any(|q| q["post_id"] == p["post_id"] && q["designated"] == "yes")
        })
    };
    let statuses: BTreeMap<String, String> = table(&dir.join("truth/declarations.csv"))
        .into_iter()
        .map(|r| (r["declaration_ref"].clone(), r["status"].clone()))
        .collect();
    let (mut due, mut refused) = (BTreeSet::new(), BTreeSet::new());
    let declarations = table(&dir.join("declarations.csv"));
    for d in &declarations {
        let e = d["employee_id"].as_str();
        let key = (String::new(), e.to_string(), d["declaration_ref"].clone());
        let status = if !w.roster.contains_key(e) {
            "not_on_roster"
        } else if !w.on_roster(e) {
            "leaver"
        } else if d["decision"] == "refused" {
            if designated(e) && raw.refused_in_post_types.contains(&d["type"]) {
                refused.insert(("DECLARATION_REFUSED_IN_POST".into(), key.1, key.2));
                "refused_in_designated_post"
            } else {
                "refused"
            }
        } else {
            let from = day(&d["last_reviewed"])
                .or(day(&d["declared_date"]))
                .unwrap();
            if after(from, months(&d["review_every"])) < as_of {
                due.insert(("DECLARATION_REVIEW_DUE".into(), key.1, key.2));
                "review_due"
            } else {
                "not_due"
            }
        };
        assert_eq!(statuses[&d["declaration_ref"]], status, "{d:?}");
    }
    assert_eq!(statuses.len(), declarations.len());
    assert_eq!(w.truth_of("DECLARATION_REVIEW_DUE"), due);
    assert_eq!(w.truth_of("DECLARATION_REFUSED_IN_POST"), refused);

    // The annual integrity review: active people only; the row names the person's one record.
    let mut overdue = BTreeSet::new();
    for (e, p) in &w.roster {
        if p["employment_status"] != "active" {
            continue;
        }
        let from = day(&p["last_integrity_review"])
            .or(day(&p["post_start_date"]))
            .unwrap();
        if after(from, 12) < as_of {
            let records = w.records.get(e).map_or(&[][..], Vec::as_slice);
            assert!(records.len() <= 1, "{e}: {records:?}");
            let record = records.first().cloned().unwrap_or_default();
            overdue.insert(("INTEGRITY_REVIEW_OVERDUE".into(), e.clone(), record));
        }
    }
    assert_eq!(w.truth_of("INTEGRITY_REVIEW_OVERDUE"), overdue);

    // Every misconduct outcome, the trigger feed's and the further ones: a review is due when
    // none of the person's records was decided or reviewed on or after it, past 28 days.
    let latest = |e: &str| {
        w.records
            .get(e)
            .into_iter()
            .flatten()
            .flat_map(|v| {
                let r = &w.vetting[v];
                [day(&r["decision_date"]), day(&r["last_review_date"])]
            })
            .flatten()
            .max()
    };
    let misconduct = table(&dir.join("misconduct.csv"));
    let mut review_due = BTreeSet::new();
    for m in &misconduct {
        let e = m["employee_id"].as_str();
        let date = day(&m["outcome_date"]).unwrap();
        if w.on_roster(e)
            && [
                "written_warning",
                "final_written_warning",
                "reduction_in_rank",
            ]
            .contains(&m["outcome"].as_str())
            && latest(e).is_none_or(|r| r < date)
            && (as_of - date).num_days() > 28
        {
            review_due.insert((
                "MISCONDUCT_REVIEW_DUE".to_string(),
                e.to_string(),
                m["outcome_ref"].clone(),
            ));
        }
    }
    assert_eq!(w.truth_of("MISCONDUCT_REVIEW_DUE"), review_due);

    // Sanctions compared: on the roster (leavers too), officers and staff, in the window, both
    // cells recorded; `all` first, then the categories in the policy's order.
    let from = as_of.checked_sub_months(Months::new(12)).unwrap();
    let mut counts: BTreeMap<(String, &str), (usize, usize)> = BTreeMap::new();
    for m in &misconduct {
        let Some(p) = w.roster.get(&m["employee_id"]) else {
            continue;
        };
        let group = match p["role_type"].as_str() {
            "officer" | "special" => "officers",
            "staff" | "pcso" => "staff",
            _ => continue,
        };
        let date = day(&m["outcome_date"]).unwrap();
        if date < from || m["breach_category"].is_empty() || m["sanction"].is_empty() {
            continue;
        }
        let rank = raw.sanction_scale.iter().position(|s| *s == m["sanction"]);
        let serious_from = raw
            .sanction_scale
            .iter()
            .position(|s| *s == raw.serious_sanction);
        let serious = (rank >= serious_from) as usize;
        for c in ["all".to_string(), m["breach_category"].clone()] {
            let n = counts.entry((c, group)).or_default();
            n.0 += 1;
            n.1 += serious;
        }
    }
    let want: Vec<Vec<String>> = std::iter::once("all".to_string())
        .chain(raw.breach_categories.iter().cloned())
        .flat_map(|c| {
            ["officers", "staff"].map(|g| {
                let (n, s) = counts.get(&(c.clone(), g)).copied().unwrap_or_default();
                vec![c.clone(), g.to_string(), n.to_string(), s.to_string()]
            })
        })
        .collect();
    let got = cells(&dir.join("truth/sanctions.csv"));
    assert_eq!(got[0], ["breach_category", "group", "outcomes", "serious"]);
    assert_eq!(got[1..], want[..]);
}

#[test]
fn every_planned_integrity_scenario_occurs_and_implies_its_status_or_rows() {
    let (f, _dir) = with_integrity(40_000, 32);
    let g = f.integrity.as_ref().unwrap();
    let as_of = f.spec.as_of;

    // Declarations: each scenario occurs, and the rules give it the status its name says.
    let mut by: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &g.declarations {
        by.entry(d.scenario).or_default().insert(d.status);
        *count.entry(d.scenario).or_default() += 1;
    }
    let want: BTreeMap<&str, BTreeSet<&str>> = [
        ("in_order", "not_due"),
        ("review_overdue", "review_due"),
        ("never_reviewed", "review_due"),
        ("not_decided_new", "not_due"),
        ("not_decided_overdue", "review_due"),
        ("own_period_due", "review_due"),
        ("own_period_not_due", "not_due"),
        ("refused", "refused"),
        ("refused_in_designated_post", "refused_in_designated_post"),
        ("leaver", "leaver"),
        ("not_on_roster", "not_on_roster"),
    ]
    .into_iter()
    .map(|(s, st)| (s, BTreeSet::from([st])))
    .collect();
    assert_eq!(by, want);
    assert!(count.values().all(|&n| n >= 3), "{count:?}");
    // The row's own period wins over the type's: due at six months, not yet at two years.
    for d in &g.declarations {
        match d.scenario {
            "own_period_due" => assert_eq!(d.review_every, Some("6 months")),
            "own_period_not_due" => {
                assert_eq!(d.review_every, Some("2 years"));
                let last = d.last_reviewed.unwrap();
                assert!(after(last, 12) < as_of, "due by the type's year: {d:?}");
            }
            "not_decided_new" | "not_decided_overdue" => assert_eq!(d.decision, None),
            "never_reviewed" => assert_eq!(d.last_reviewed, None),
            _ => {}
        }
    }
    let truth = |code: &str| f.exceptions.iter().filter(|e| e.code == code).count();
    let status = |s: &str| g.declarations.iter().filter(|d| d.status == s).count();
    assert_eq!(truth("DECLARATION_REVIEW_DUE"), status("review_due"));
    assert_eq!(
        truth("DECLARATION_REFUSED_IN_POST"),
        status("refused_in_designated_post")
    );

    // Integrity reviews: raised for active people overdue, or with none recorded and a year
    // in post; never for anyone else; overdue or none only for people with at most one record.
    let mut raised: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let owned = |i: usize| f.records.iter().filter(|r| r.owner == Some(i)).count();
    for (i, p) in f.people.iter().enumerate() {
        let scenario = g.review_scenarios[i];
        let active = p.status == "active";
        if active && scenario != "recent" {
            assert!(owned(i) <= 1, "{}", p.employee_id);
        }
        let is_raised = f
            .exceptions
            .iter()
            .any(|e| e.code == "INTEGRITY_REVIEW_OVERDUE" && e.employee_id == p.employee_id);
        let want = active
            && match scenario {
                "overdue" => true,
                "none_recorded" => after(p.post_start, 12) < as_of,
                _ => false,
            };
        assert_eq!(is_raised, want, "{} {scenario} {}", p.employee_id, p.status);
        *raised
            .entry((scenario, if active { "active" } else { "other" }))
            .or_default() += is_raised as usize;
    }
    for key in [
        ("overdue", "active"),
        ("none_recorded", "active"),
        ("overdue", "other"),
        ("none_recorded", "other"),
        ("recent", "active"),
    ] {
        let n = f
            .people
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                g.review_scenarios[*i] == key.0 && (p.status == "active") == (key.1 == "active")
            })
            .count();
        assert!(n >= 10, "{key:?}: {n}");
    }
    assert!(raised[&("overdue", "active")] >= 10);
    assert!(raised[&("none_recorded", "active")] >= 10);
    assert_eq!(raised.get(&("overdue", "other")).copied().unwrap_or(0), 0);
    assert_eq!(raised.get(&("recent", "active")).copied().unwrap_or(0), 0);

    // Posts: each mis-grading has its row; the rules' own level has none.
    let rows_of = |post: &str, rule: &str| {
        g.post_checks
            .iter()
            .filter(|c| c.post_id == post && c.rule == rule)
            .count()
    };
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (j, post) in f.posts.iter().enumerate() {
        let scenario = g.post_scenarios[j];
        *seen.entry(scenario).or_default() += 1;
        let id = post.post_id.as_str();
        match scenario {
            "designated_recorded_rv" | "designated_recorded_blank" => {
                assert_eq!(rows_of(id, "designated_below_mv"), 1, "{id}")
            }
            "designated_recorded_mv" => assert_eq!(rows_of(id, "designated_below_mv"), 0),
            "title_graded_mv" => {
                let row = g
                    .post_checks
                    .iter()
                    .find(|c| c.post_id == id && c.rule == "title_rule")
                    .unwrap();
                assert_eq!((row.recorded_level, row.direction), (Some("MV"), "over"));
            }
            "title_graded_rv" => assert_eq!(rows_of(id, "title_rule"), 0, "{id}"),
            _ => assert_eq!(rows_of(id, "title_rule"), 0, "{id}"),
        }
    }
    for s in [
        "designated_recorded_rv",
        "designated_recorded_blank",
        "designated_recorded_mv",
        "title_graded_mv",
        "title_graded_rv",
    ] {
        assert!(seen.get(s).copied().unwrap_or(0) >= 2, "{s}: {seen:?}");
    }
    for rule in integrity::RULES {
        assert!(g.post_checks.iter().any(|c| c.rule == rule), "{rule}");
    }
    for keyword in ["roads policing", "dog handler"] {
        assert!(
            g.post_checks.iter().any(|c| c.keyword == keyword),
            "{keyword}"
        );
    }

    // Sanctions: the planned difference. In the planned category staff are given serious
    // sanctions far more often than officers; across the other categories about as often.
    let of = |category: &str, group: &str| {
        let c = g
            .sanction_counts
            .iter()
            .find(|c| c.breach_category == category && c.group == group)
            .unwrap();
        (c.outcomes, c.serious)
    };
    let rate = |(n, s): (usize, usize)| s as f64 / n as f64;
    let minus = |a: (usize, usize), b: (usize, usize)| (a.0 - b.0, a.1 - b.1);
    let (po, ps) = (
        of(integrity::PLANNED_CATEGORY, "officers"),
        of(integrity::PLANNED_CATEGORY, "staff"),
    );
    assert!(po.0 >= 30 && ps.0 >= 20, "{po:?} {ps:?}");
    assert!(rate(ps) - rate(po) > 0.2, "{po:?} {ps:?}");
    let (ro, rs) = (
        minus(of("all", "officers"), po),
        minus(of("all", "staff"), ps),
    );
    assert!(
        (rate(rs) - rate(ro)).abs() < 0.1,
        "{po:?} {ps:?} {ro:?} {rs:?}"
    );
    // The counts are the written rows: every category and group has its row.
    assert_eq!(
        g.sanction_counts.len(),
        2 * (1 + RawIntegrity::default().breach_categories.len())
    );
    // Some rows are left out of the comparison: not recorded, outside the window, no one on
    // the roster, role types outside both groups.
    let left_out = |o: &integrity::Outcome| {
        o.cells.breach_category.is_none()
            || o.cells.sanction.is_none()
            || o.owner.is_none()
            || o.owner
                .is_some_and(|i| integrity::group(f.people[i].role).is_none())
            || (as_of - o.date).num_days() > 365
    };
    assert!(g.outcomes.iter().filter(|o| left_out(o)).count() >= 10);
    assert!(g
        .outcomes
        .iter()
        .any(|o| o.cells.sanction == Some("dismissal")));
}

#[test]
fn integrity_leaves_every_record_link_and_earlier_truth_as_the_force_without_it_has_them() {
    let (with, with_dir) = with_integrity(3_000, 33);
    let without = generate(&Spec {
        prevention: true,
        integrity: false,
        ..spec(3_000, 33)
    });
    let dir = tempfile::tempdir().unwrap();
    write::write(&without, dir.path()).unwrap();
    let (a, b) = (with_dir.path(), dir.path());
    let bytes = |d: &Path, f: &str| std::fs::read(d.join(f)).unwrap();
    let mut same = vec![
        "vetting.csv",
        "pnd_returns.csv",
        "circumstances.csv",
        "recruitment_plan.csv",
        "truth/links.csv",
        "truth/pnd_links.csv",
        "truth/casework.csv",
    ];
    same.extend(
        write::PREVENTION_FILES
            .iter()
            .filter(|f| **f != "night2/roster.csv"),
    );
    for f in same {
        assert_eq!(bytes(a, f), bytes(b, f), "{f}");
    }
    // posts.csv: only the titles and required levels of the posts it mis-grades.
    let g = with.integrity.as_ref().unwrap();
    let (p1, p0) = (cells(&a.join("posts.csv")), cells(&b.join("posts.csv")));
    assert_eq!(p1.len(), p0.len());
    assert_eq!(p1[0], p0[0]);
    let mut moved = 0;
    for (j, (x, y)) in p1[1..].iter().zip(&p0[1..]).enumerate() {
        for c in [0, 2, 4, 5, 6] {
            assert_eq!(x[c], y[c]);
        }
        if x[1] != y[1] || x[3] != y[3] {
            moved += 1;
            assert!(
                !matches!(g.post_scenarios[j], "as_drawn" | "designated_recorded_mv"),
                "{x:?}"
            );
        }
    }
    assert!(moved > 5, "{moved}");
    // The rosters gain one column; nothing else of them moves.
    for f in ["roster.csv", "night2/roster.csv"] {
        let (r1, r0) = (cells(&a.join(f)), cells(&b.join(f)));
        assert_eq!(r1.len(), r0.len(), "{f}");
        for (x, y) in r1.iter().zip(&r0) {
            assert_eq!(x[..y.len()], y[..], "{f}");
            assert_eq!(x.len(), y.len() + 1, "{f}");
        }
        assert_eq!(r1[0].last().unwrap(), "last_integrity_review");
    }
    // misconduct.csv gains two columns and, after its last row, further outcomes.
    let (m1, m0) = (
        cells(&a.join("misconduct.csv")),
        cells(&b.join("misconduct.csv")),
    );
    assert_eq!(m1[0][4..], ["breach_category", "sanction"]);
    for (x, y) in m1.iter().zip(&m0) {
        assert_eq!(x[..4], y[..], "{x:?}");
    }
    assert_eq!(m1.len(), m0.len() + g.outcomes.len());
    // The earlier truth is all there; what is added is the integrity stream's.
    let mut earlier = with.exceptions.clone();
    earlier.retain(|e| !g.exceptions.contains(e));
    assert_eq!(earlier, without.exceptions);
    let added: BTreeSet<&str> = g.exceptions.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(
        added,
        BTreeSet::from([
            "DECLARATION_REFUSED_IN_POST",
            "DECLARATION_REVIEW_DUE",
            "INTEGRITY_REVIEW_OVERDUE",
            "MISCONDUCT_REVIEW_DUE"
        ])
    );
    // Without integrity none of its files, and a manifest as before it existed; written over
    // a force with integrity, its files go and every file is the force without it's.
    for f in write::INTEGRITY_FILES {
        assert!(a.join(f).exists(), "{f}");
        assert!(!b.join(f).exists(), "{f}");
    }
    let manifest = |d: &Path| std::fs::read_to_string(d.join("truth/manifest.toml")).unwrap();
    assert!(!manifest(b).contains("integrity"));
    assert!(write::read_manifest(a).unwrap().integrity);
    write::write(&without, a).unwrap();
    for f in write::INTEGRITY_FILES {
        assert!(!a.join(f).exists(), "{f}");
    }
    for f in [
        "posts.csv",
        "roster.csv",
        "night2/roster.csv",
        "misconduct.csv",
        "truth/exceptions.csv",
        "truth/manifest.toml",
    ] {
        assert_eq!(bytes(a, f), bytes(b, f), "{f}");
    }
}

#[test]
fn the_same_seed_gives_the_same_integrity_files_byte_for_byte() {
    let files = |seed: u64| {
        let (_, dir) = with_integrity(1_500, seed);
        let mut names: Vec<&str> = write::INTEGRITY_FILES.to_vec();
        names.extend([
            "posts.csv",
            "roster.csv",
            "misconduct.csv",
            "truth/exceptions.csv",
        ]);
        names
            .into_iter()
            .map(|f| std::fs::read(dir.path().join(f)).unwrap())
            .collect::<Vec<_>>()
    };
    let a = files(34);
    assert_eq!(a, files(34));
    let c = files(35);
    // declarations.csv, the truth of each file and the roster all differ with the seed.
    for k in 0..5 {
        assert_ne!(a[k], c[k], "file {k}");
    }
}

#[test]
fn a_force_with_integrity_reads_back_with_its_declarations_reviews_and_sanctions() {
    let (f, dir) = with_integrity(2_000, 36);
    let policy = crate::config::Policy::build(&crate::config::raw::RawConfig::default()).unwrap();
    let data = read_back(&policy, dir.path(), f.spec.as_of).unwrap();
    assert!(data.rejects.is_empty(), "{:?}", data.rejects.first());
    let g = f.integrity.as_ref().unwrap();
    let t = &data.triggers;
    assert!(t.has("declarations"));
    assert_eq!(t.declarations.len(), g.declarations.len());
    let refused = t
        .declarations
        .iter()
        .filter(|d| d.decision == Some(crate::model::integrity::Decision::Refused))
        .count();
    assert_eq!(
        refused,
        (g.declarations.iter())
            .filter(|d| d.decision == Some("refused"))
            .count()
    );
    assert_eq!(
        t.misconduct.len(),
        f.triggers.misconduct.len() + g.outcomes.len()
    );
    assert!(t.column("misconduct", "breach_category") && t.column("misconduct", "sanction"));
    let recorded = t
        .misconduct
        .iter()
        .filter(|m| m.breach_category.is_some() && m.sanction.is_some())
        .count();
    assert!(recorded * 10 > t.misconduct.len() * 9, "{recorded}");
    assert!(data.code_columns.contains(&"last_integrity_review"));
    let reviewed = data
        .persons
        .iter()
        .filter(|p| p.last_integrity_review.is_some())
        .count();
    assert_eq!(reviewed, g.reviews.iter().filter(|r| r.is_some()).count());
    let graded_rv = data
        .posts
        .iter()
        .filter(|p| p.designated && p.required_level == policy.levels.parse("RV"))
        .count();
    assert_eq!(
        graded_rv,
        (g.post_scenarios.iter())
            .filter(|s| **s == "designated_recorded_rv")
            .count()
    );
}

#[test]
fn the_generators_integrity_lists_are_the_default_policys() {
    let raw = RawIntegrity::default();
    assert_eq!(raw.breach_categories, integrity::CATEGORIES);
    assert_eq!(raw.declaration_types, integrity::TYPES);
    assert!(raw
        .breach_categories
        .iter()
        .any(|c| c == integrity::PLANNED_CATEGORY));
    // The sanctions the generator writes are on the scale; dismissal and the two below it are
    // serious, the others not.
    let scale = &raw.sanction_scale;
    let serious = scale
        .iter()
        .position(|s| *s == raw.serious_sanction)
        .unwrap();
    assert_eq!(
        scale[serious..],
        ["final_written_warning", "reduction_in_rank", "dismissal"]
    );
}
