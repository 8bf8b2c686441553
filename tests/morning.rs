//! Issue 19: the morning outputs a vetting unit manager acts on. One problem, one row (a
//! person without clearance whose own record waits for a link decision); the review queue
//! sheet that goes back into `vetrecon decide --import`; the worklist that carries every
//! critical and high exception.

mod common;

use common::*;

#[test]
fn issue19_no_clearance_and_the_pending_record_of_the_same_person_name_each_other() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let ex = rows(&s.read_out("exceptions.csv"));
    let find = |code: &str, emp: &str| {
        ex.iter()
            .find(|r| r["code"] == code && r["employee_id"] == emp)
            .unwrap_or_else(|| panic!("{code} {emp}"))
    };
    let none = find("NO_CLEARANCE", "E1184");
    let review = find("REVIEW_MATCH", "E1184");
    assert_eq!(review["vetting_ref"], "V501393");
    // The posterior is the one matches.csv holds for the pair.
    let m = rows(&s.read_out("matches.csv"));
    let pair = m
        .iter()
        .find(|r| r["vetting_ref"] == "V501393" && r["employee_id"] == "E1184")
        .unwrap();
    let posterior: f64 = pair["posterior"].parse().unwrap();
    let shown = format!("posterior {:.1}%", 100.0 * posterior);
    assert!(
        none["detail"].contains("V501393")
            && none["detail"].contains(&shown)
            && none["detail"].contains("decide the link first"),
        "{}",
        none["detail"]
    );
    assert!(
        review["detail"].contains(&format!("NO_CLEARANCE #{}", none["priority"])),
        "{}",
        review["detail"]
    );
    // A record that is both an orphan and unmitigated adverse information names the other row.
    let orphan = ex
        .iter()
        .find(|r| {
            r["code"] == "ORPHAN_CLEARANCE"
                && ex.iter().any(|a| {
                    a["code"] == "ADVERSE_UNMITIGATED" && a["vetting_ref"] == r["vetting_ref"]
                })
        })
        .expect("the demo has a record that is both");
    let adverse = ex
        .iter()
        .find(|a| a["code"] == "ADVERSE_UNMITIGATED" && a["vetting_ref"] == orphan["vetting_ref"])
        .unwrap();
    assert!(
        adverse["detail"].contains(&format!("ORPHAN_CLEARANCE #{}", orphan["priority"])),
        "{}",
        adverse["detail"]
    );
    assert!(orphan["detail"].contains(&format!("ADVERSE_UNMITIGATED #{}", adverse["priority"])));
}
