//! The linking engine and its tools end to end through the binary, on generated forces whose
//! truth comes from the generator's identities and scenarios (never from vetrecon).

mod common;

use common::{code, root, rows, stderr, vetrecon, Scratch, AS_OF};
use std::collections::BTreeSet;
use std::path::Path;

fn generate(
    s: &Scratch,
    name: &str,
    people: usize,
    seed: u64,
    extra: &[&str],
) -> std::path::PathBuf {
    let dir = s.path(name);
    let mut args: Vec<String> = vec![
        "generate".into(),
        "--people".into(),
        people.to_string(),
        "--seed".into(),
        seed.to_string(),
        "--out".into(),
        dir.display().to_string(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    let o = vetrecon(&args, &root());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    dir
}

fn run_on(s: &Scratch, force: &Path, extra: &[&str]) -> std::process::Output {
    let f = |n: &str| force.join(n).display().to_string();
    let (r, p, v) = (f("roster.csv"), f("posts.csv"), f("vetting.csv"));
    let (pnd, mis, coc, dec) = (
        f("pnd_returns.csv"),
        f("misconduct.csv"),
        f("circumstances.csv"),
        f("declarations.csv"),
    );
    let mut args = vec![
        "--roster",
        &r,
        "--posts",
        &p,
        "--vetting",
        &v,
        "--pnd-returns",
        &pnd,
        "--misconduct",
        &mis,
        "--circumstances",
        &coc,
        "--declarations",
        &dec,
        // The prevention codes have truth of their own (tests/prevention_generated.rs).
        "--no-postings",
        "--no-conditions",
    ];
    args.extend_from_slice(extra);
    s.run(&args)
}

/// `--roster/--posts/--vetting/--as-of` for a generated force.
fn input_args(force: &Path) -> Vec<String> {
    let f = |n: &str| force.join(n).display().to_string();
    ["roster", "posts", "vetting"]
        .iter()
        .flat_map(|n| [format!("--{n}"), f(&format!("{n}.csv"))])
        .chain(["--as-of".to_string(), AS_OF.to_string()])
        .collect()
}

type Key = (String, String, String);

fn keys(text: &str) -> BTreeSet<Key> {
    rows(text)
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

#[test]
fn a_clean_generated_force_gives_exactly_the_planned_exceptions() {
    let s = Scratch::new();
    let force = generate(&s, "clean", 3_000, 11, &["--noise-scale", "0"]);
    let o = run_on(&s, &force, &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let got = keys(&s.read_out("exceptions.csv"));
    let want = keys(&std::fs::read_to_string(force.join("truth/exceptions.csv")).unwrap());
    assert!(
        want.len() > 100,
        "the scenarios raise exceptions: {}",
        want.len()
    );
    let codes: BTreeSet<&str> = want.iter().map(|k| k.0.as_str()).collect();
    assert!(codes.len() >= 9, "{codes:?}");
    let missing: Vec<_> = want.difference(&got).collect();
    assert!(missing.is_empty(), "missing {missing:?}");
    // With no noise every true pair links. The one thing left is chance: a stranger's record
    // that shares a date of birth and a (previous) surname with someone on the roster is
    // rightly sent to review. It must be rare, and only ever about a stranger's record.
    let linked: BTreeSet<String> =
        rows(&std::fs::read_to_string(force.join("truth/links.csv")).unwrap())
            .into_iter()
            .map(|r| r["vetting_ref"].clone())
            .collect();
    let extra: Vec<_> = got.difference(&want).collect();
    for k in &extra {
        assert!(
            matches!(k.0.as_str(), "REVIEW_MATCH" | "AMBIGUOUS_MATCH") && !linked.contains(&k.2),
            "an exception the scenarios do not imply: {k:?} (all extra: {extra:?})"
        );
    }
    assert!(extra.len() <= 5, "{extra:?}");
}

#[test]
fn evaluate_reports_accuracy_against_truth_on_a_noisy_force() {
    let s = Scratch::new();
    let force = generate(&s, "noisy", 6_000, 12, &[]);
    let o = vetrecon(
        &[
            "evaluate".into(),
            "--truth".into(),
            force.display().to_string(),
        ],
        &root(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    let number_after = |label: &str| -> f64 {
        let at = text
            .find(label)
            .unwrap_or_else(|| panic!("{label} in {text}"))
            + label.len();
        text[at..]
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(number_after("blocking: recall") >= 0.999, "{text}");
    assert!(number_after("links: precision") >= 0.998, "{text}");
    assert!(number_after(" recall ") >= 0.95, "{text}");
    assert!(text.contains("EXPIRED"), "{text}");
    // The false rows that only wait for a vetting officer's link decision are counted
    // apart; taking them out can only raise the exceptions' precision.
    let pending = number_after("a pending link decision names:");
    let false_rows = number_after(&format!("names: {pending} of"));
    assert!(pending <= false_rows, "{text}");
    let all = number_after("(all codes)");
    assert!(
        number_after("without them, exception precision") >= all,
        "{text}"
    );
}

#[test]
fn the_same_seed_writes_the_same_files() {
    let s = Scratch::new();
    let a = generate(&s, "a", 500, 3, &[]);
    let b = generate(&s, "b", 500, 3, &[]);
    let c = generate(&s, "c", 500, 4, &[]);
    for f in [
        "roster.csv",
        "posts.csv",
        "vetting.csv",
        "truth/links.csv",
        "truth/exceptions.csv",
    ] {
        let read = |d: &Path| std::fs::read(d.join(f)).unwrap();
        assert_eq!(read(&a), read(&b), "{f}");
        if f == "vetting.csv" {
            assert_ne!(read(&a), read(&c));
        }
    }
}

#[test]
fn train_writes_a_model_that_later_runs_use() {
    let s = Scratch::new();
    let force = generate(&s, "train", 4_000, 13, &[]);
    let model = s.path("model.toml");
    let mut args: Vec<String> = vec![
        "train".into(),
        "--config".into(),
        root().join("config/vetrecon.toml").display().to_string(),
        "--random-pairs".into(),
        "200000".into(),
        "--out".into(),
        model.display().to_string(),
    ];
    args.extend(input_args(&force));
    let o = vetrecon(&args, &root());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains("EM converged"), "{out}");
    assert!(out.contains("m before"), "a comparison table: {out}");
    let text = std::fs::read_to_string(&model).unwrap();
    let m: toml::Table = toml::from_str(&text).unwrap();
    let mu = |field: &str, level: &str, k: &str| m["weights"][field][level][k].as_float().unwrap();
    // What the generator's noise implies: agreement is common among matches, rare by chance.
    assert!(mu("surname", "exact", "m") > 0.8);
    assert!(mu("date_of_birth", "exact", "m") > 0.9);
    assert!(mu("date_of_birth", "exact", "u") < 0.001);
    assert!(mu("ni_number", "exact", "m") > 0.9);

    let config = s.write(
        "trained.toml",
        &std::fs::read_to_string(root().join("config/vetrecon.toml"))
            .unwrap()
            .replace(
                "# model = \"model.toml\"   # beside this file",
                &format!("model = \"{}\"", model.display()),
            ),
    );
    let o = run_on(&s, &force, &["--config", &config.display().to_string()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("weights={}", model.display())),
        "{}",
        stderr(&o)
    );
}

#[test]
fn explain_shows_the_breakdown_for_links_and_non_links() {
    let s = Scratch::new();
    let force = generate(&s, "explain", 1_000, 14, &["--noise-scale", "0"]);
    let truth = rows(&std::fs::read_to_string(force.join("truth/links.csv")).unwrap());
    let (v, e) = (&truth[0]["vetting_ref"], &truth[0]["employee_id"]);
    let other = truth.iter().find(|r| &r["employee_id"] != e).unwrap();
    let explain = |emp: &str, vref: &str| {
        let mut args: Vec<String> = vec!["explain".into(), emp.into(), vref.into()];
        args.extend(input_args(&force));
        let o = vetrecon(&args, &root());
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let yes = explain(e, v);
    for field in [
        "prior",
        "surname",
        "forenames",
        "date_of_birth",
        "ni_number",
        "match weight",
    ] {
        assert!(yes.contains(field), "{field}: {yes}");
    }
    assert!(yes.contains("date_of_birth  exact"), "{yes}");
    assert!(yes.contains(&format!("auto-linked to {e}")), "{yes}");
    let no = explain(&other["employee_id"], v);
    assert!(no.contains("ni_number      different"), "{no}");
    assert!(
        no.contains(&format!("auto-linked to {e}")),
        "the record's own decision: {no}"
    );
    let missing = vetrecon(&["explain".into(), "E9999999".into(), v.clone()], &root());
    assert_eq!(code(&missing), 2);
}

/// Jennifer Langham's HR record does not list her maiden name. The vetting system holds a
/// recent record in her married name that lists "Uddin" and carries her NI number, and an
/// old RV keyed as "Jennifer Uddin" with no NI number. Among 5,000 colleagues, a tenth of
/// them Jennifers, a forename and a date of birth alone are too weak: only the second pass
/// (her other record's former name) links the old record, and `explain` says so.
#[test]
fn explain_names_the_record_a_former_name_was_learnt_from() {
    let s = Scratch::new();
    let mut roster = String::from(
        "employee_id,surname,forenames,previous_surnames,date_of_birth,ni_number,post_id,role_type,force,post_start_date,employment_status,leaving_date\n",
    );
    roster
        .push_str("E9000,Langham,Jennifer,,1963-08-25,TR942354C,P001,staff,,2019-04-01,active,\n");
    for i in 0..5_000u32 {
        let forename = if i % 10 == 0 { "Jennifer" } else { "Alex" };
        let (y, m, d) = (1960 + i % 40, 1 + i % 12, 1 + i % 28);
        roster.push_str(&format!(
            "E{i:04},Filler{i},{forename},,{y}-{m:02}-{d:02},,P001,staff,,2019-04-01,active,\n"
        ));
    }
    s.write("roster.csv", &roster);
    s.write(
        "posts.csv",
        "post_id,title,department,required_level,designated,vulnerable_contact\nP001,Analyst,Intelligence,RV,no,no\n",
    );
    s.write(
        "vetting.csv",
        "vetting_ref,surname,forenames,previous_surnames,date_of_birth,ni_number,employee_id,level,status,decision_date,expiry_date,adverse_info,rationale_recorded,risk_mitigation,sex,last_review_date\n\
         V1,Langham,Jennifer,Uddin,1963-08-25,TR942354C,,RV,granted,2022-01-10,,no,no,no,F,\n\
         V2,Uddin,Jennifer,,1963-08-25,,,RV,granted,2012-03-05,,no,no,no,F,\n",
    );
    let explain = |config: &Path| {
        let mut args: Vec<String> = vec!["explain".into(), "E9000".into(), "V2".into()];
        args.extend(input_args(s.dir.path()));
        args.extend(["--config".into(), config.display().to_string()]);
        let o = vetrecon(&args, &root());
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let on = explain(&root().join("config/vetrecon.toml"));
    assert!(on.contains("surname        previous"), "{on}");
    assert!(on.contains("also known from V1"), "{on}");
    assert!(on.contains("decision for V2: auto-linked to E9000"), "{on}");

    // The same with learning off: the old record is left unlinked.
    let text = std::fs::read_to_string(root().join("config/vetrecon.toml")).unwrap();
    let off = s.write(
        "off.toml",
        &text.replace("history_probability = 0.9999", "history_probability = 1.0"),
    );
    let off = explain(&off);
    assert!(off.contains("surname        different"), "{off}");
    assert!(!off.contains("also known from"), "{off}");
    assert!(off.contains("decision for V2: linked to no one"), "{off}");
}
