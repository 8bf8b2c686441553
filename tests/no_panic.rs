//! No input value may panic a command: values that would crash a careless parser, through
//! the real binary on a copy of the demo data. A panic exits 101 and prints the value it
//! choked on, which for an NI number or a name is personal data on stderr and in the journal.

mod common;

use common::{code, demo, stderr, stdout, vetrecon, Scratch, AS_OF};

/// The demo roster with the first non-blank `ni_number` replaced by `ni`.
fn roster_with_ni(s: &Scratch, ni: &str) -> String {
    let text = std::fs::read_to_string(demo("roster.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let col = header.split(',').position(|h| h == "ni_number").unwrap();
    let mut out = vec![header.to_string()];
    let mut done = false;
    for line in lines {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if !done && !cells[col].is_empty() {
            cells[col] = ni.to_string();
            done = true;
        }
        out.push(cells.join(","));
    }
    assert!(done, "the demo roster has an NI number to replace");
    s.write("roster.csv", &(out.join("\n") + "\n"))
        .display()
        .to_string()
}

/// The binary's pre-flight check on the demo files with `roster` swapped in.
fn check(s: &Scratch, roster: &str) -> std::process::Output {
    let mut args: Vec<String> = vec!["check".into(), "--config".into()];
    args.push(
        common::root()
            .join("config/vetrecon.toml")
            .display()
            .to_string(),
    );
    args.extend(["--roster".into(), roster.into()]);
    for role in [
        "posts",
        "vetting",
        "pnd-returns",
        "misconduct",
        "circumstances",
    ] {
        args.push(format!("--{role}"));
        let file = format!("{}.csv", role.replace('-', "_"));
        args.push(demo(&file).display().to_string());
    }
    args.extend(["--as-of".into(), AS_OF.into(), "--db".into()]);
    args.push(s.db().display().to_string());
    vetrecon(&args, s.dir.path())
}

#[test]
fn multibyte_ni_in_the_roster_neither_panics_nor_prints_itself() {
    for ni in ["AÉ123456", "AB1234５"] {
        let s = Scratch::new();
        let roster = roster_with_ni(&s, ni);
        for (what, o) in [
            ("check", check(&s, &roster)),
            ("run", s.run(&["--roster", &roster])),
        ] {
            let err = stderr(&o);
            assert_eq!(code(&o), 0, "{what} {ni:?}: {err}");
            assert!(!err.contains("panicked"), "{what} {ni:?}: {err}");
            assert!(!err.contains(ni), "{what}: the value is on stderr");
            assert!(!stdout(&o).contains(ni), "{what}: the value is on stdout");
        }
    }
}
