use super::*;
use crate::model::LevelId;

pub(super) fn settings(min: u64) -> DisproportionSettings {
    DisproportionSettings {
        window_months: 12,
        minimum_group: min,
        four_fifths: 0.8,
        significance: 0.05,
        reference: BTreeMap::new(),
    }
}

pub(super) fn rec(group: &str, status: VettingStatus, decided: NaiveDate) -> VettingRecord {
    VettingRecord {
        vetting_ref: String::new(),
        surname: String::new(),
        forenames: String::new(),
        previous_surnames: vec![],
        date_of_birth: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
        ni_number: None,
        employee_id_hint: None,
        level: LevelId(0),
        status,
        decision_date: Some(decided),
        expiry_date: None,
        adverse_info: Some(false),
        rationale_recorded: Some(false),
        risk_mitigation: Some(false),
        last_review_date: None,
        protected: [("ethnicity", std::sync::Arc::<str>::from(group))]
            .into_iter()
            .filter(|(_, g)| !g.is_empty())
            .collect(),
        casework: None,
        line: 0,
    }
}

/// The export's optional columns: none of the casework ones.
pub(super) const NONE: &[&str] = &[];

pub(super) const AS_OF: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();

/// `n` decisions for `group`, `r` of them refusals, all inside the window.
pub(super) fn cohort(group: &str, n: usize, r: usize) -> Vec<VettingRecord> {
    let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    (0..n)
        .map(|i| {
            let st = if i < r {
                VettingStatus::Refused
            } else {
                VettingStatus::Granted
            };
            rec(group, st, d)
        })
        .collect()
}

#[test]
fn an_export_with_the_columns_but_no_decision_in_the_window_is_told_apart() {
    let old = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let v = vec![rec("White", VettingStatus::Granted, old)];
    let a = analyse(&v, NONE, AS_OF, &settings(10));
    assert!(a.characteristics.is_empty());
    assert_eq!(a.columns, vec!["ethnicity".to_string()]);
    let none = analyse(
        &[rec("", VettingStatus::Granted, old)],
        NONE,
        AS_OF,
        &settings(10),
    );
    assert!(none.columns.is_empty());
}

#[test]
fn eeoc_four_fifths_worked_example() {
    // Uniform Guidelines on Employee Selection (1978) Q&A 12: 80 White applicants, 48
    // selected (60%); 40 Black applicants, 12 selected (30%). 30/60 = 50% < 80%: adverse
    // impact. Here "selected" is "granted": 32 of 80 refused, 28 of 40 refused.
    let mut v = cohort("White", 80, 32);
    v.extend(cohort("Black", 40, 28));
    let a = analyse(&v, NONE, AS_OF, &settings(10));
    let c = &a.characteristics[0];
    assert_eq!(c.reference.as_deref(), Some("White"), "largest group");
    let black = c.rows.iter().find(|r| r.group == "Black").unwrap();
    let f = black.figures.as_ref().unwrap();
    assert_eq!((f.cases, f.outcomes), (40, 28));
    let cmp = f.comparison.as_ref().unwrap();
    assert!((cmp.adverse_impact_ratio.unwrap() - 0.5).abs() < 1e-12);
    assert!(cmp.four_fifths_flag);
    // Refusal rates 70% and 40%: relative rate 1.75.
    assert!((cmp.relative_rate.unwrap().ratio - 1.75).abs() < 1e-12);
    // Fisher, two-sided, on [[28, 12], [32, 48]]: 0.003409, the sum of the exact
    // hypergeometric terms no likelier than the observed table (worked independently
    // with integer binomial coefficients).
    assert!((cmp.p_value - 0.003409).abs() < 5e-7, "{}", cmp.p_value);
    assert!(cmp.significant);
    let words = reading(c, black, &a).unwrap();
    assert!(words.contains("28 of 40"), "{words}");
    assert!(words.contains("four-fifths"), "{words}");
    assert!(words.contains("statistically significant"), "{words}");
    // The reference row has figures but no comparison.
    let white = c.rows.iter().find(|r| r.group == "White").unwrap();
    assert!(white.is_reference && white.figures.as_ref().unwrap().comparison.is_none());
}

#[test]
fn only_decisions_in_the_window_count_and_window_from_is_in() {
    let mut v = cohort("A", 12, 2);
    // The window's first day is the day it names (window_from), and counts.
    let old = NaiveDate::from_ymd_opt(2025, 11, 23).unwrap(); // the day before: out
    let edge = NaiveDate::from_ymd_opt(2025, 11, 24).unwrap(); // first day in
    v.push(rec("A", VettingStatus::Refused, old));
    v.push(rec("A", VettingStatus::Refused, edge));
    v.push(rec("A", VettingStatus::Pending, edge));
    v.push(rec("A", VettingStatus::Withdrawn, edge));
    v.push(rec("A", VettingStatus::Lapsed, edge));
    let later = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    v.push(rec("A", VettingStatus::Refused, later));
    let a = analyse(&v, NONE, AS_OF, &settings(10));
    let f = a.characteristics[0].rows[0].figures.clone().unwrap();
    assert_eq!((f.cases, f.outcomes), (14, 3));
}

#[test]
fn small_groups_are_suppressed_with_a_second_row() {
    // B has 9 decisions (under 10): hidden. Exactly one hidden row would let anyone work
    // it out from a total, so the next smallest (C, 15) goes too; A stays.
    let mut v = cohort("A", 100, 10);
    v.extend(cohort("B", 9, 5));
    v.extend(cohort("C", 15, 2));
    v.extend(cohort("D", 40, 4));
    let a = analyse(&v, NONE, AS_OF, &settings(10));
    let rows = &a.characteristics[0].rows;
    let shown: Vec<(&str, bool)> = rows
        .iter()
        .map(|r| (r.group.as_str(), r.figures.is_some()))
        .collect();
    assert_eq!(
        shown,
        vec![("A", true), ("B", false), ("C", false), ("D", true)]
    );
    // Two hidden rows already: no further suppression.
    let mut v = cohort("A", 100, 10);
    v.extend(cohort("B", 9, 5));
    v.extend(cohort("C", 3, 2));
    let a = analyse(&v, NONE, AS_OF, &settings(10));
    let hidden: Vec<&str> = a.characteristics[0]
        .rows
        .iter()
        .filter(|r| r.figures.is_none())
        .map(|r| r.group.as_str())
        .collect();
    assert_eq!(hidden, vec!["B", "C"]);
}

#[test]
fn not_recorded_is_counted_but_never_compared_or_a_reference() {
    let mut v = cohort("", 200, 20);
    v.extend(cohort("A", 50, 5));
    v.extend(cohort("B", 30, 9));
    let a = analyse(&v, NONE, AS_OF, &settings(10));
    let c = &a.characteristics[0];
    assert_eq!(c.reference.as_deref(), Some("A"));
    let nr = c.rows.iter().find(|r| r.group == NOT_RECORDED).unwrap();
    let f = nr.figures.as_ref().unwrap();
    assert_eq!((f.cases, f.comparison.is_none()), (200, true));
}

#[test]
fn configured_reference_and_its_absence() {
    let mut v = cohort("A", 50, 5);
    v.extend(cohort("B", 30, 3));
    let mut s = settings(10);
    s.reference.insert("ethnicity".into(), "B".into());
    let a = analyse(&v, NONE, AS_OF, &s);
    assert_eq!(a.characteristics[0].reference.as_deref(), Some("B"));
    s.reference.insert("ethnicity".into(), "Z".into());
    let a = analyse(&v, NONE, AS_OF, &s);
    let c = &a.characteristics[0];
    assert_eq!(c.reference, None);
    assert!(c.note.as_deref().unwrap().contains("reference group Z"));
    assert!(c
        .rows
        .iter()
        .all(|r| r.figures.as_ref().unwrap().comparison.is_none()));
}

pub(super) fn with_reference(r: &str) -> DisproportionSettings {
    let mut s = settings(10);
    s.reference.insert("ethnicity".into(), r.into());
    s
}

pub(super) fn row<'a>(c: &'a Characteristic, group: &str) -> &'a Comparison {
    c.rows
        .iter()
        .find(|r| r.group == group)
        .and_then(|r| r.figures.as_ref()?.comparison.as_ref())
        .unwrap()
}

#[test]
fn a_group_refused_less_often_is_shown_but_never_flagged() {
    // 2 of 60 refused against 50 of 400: 0.27 times the reference's rate, Fisher's p
    // 0.046 on its own. Refused less often is no adverse impact: no flag, no advice.
    let mut v = cohort("White British", 400, 50);
    v.extend(cohort("Prefer not to say", 60, 2));
    let a = analyse(&v, NONE, AS_OF, &with_reference("White British"));
    let c = &a.characteristics[0];
    let cmp = row(c, "Prefer not to say");
    assert!((cmp.p_value - 0.0459).abs() < 5e-5, "{}", cmp.p_value);
    assert!((cmp.relative_rate.unwrap().ratio - 0.2667).abs() < 1e-4);
    assert_eq!(cmp.direction, Direction::Lower);
    assert!(!cmp.significant && !cmp.flagged());
    let r = c
        .rows
        .iter()
        .find(|r| r.group == "Prefer not to say")
        .unwrap();
    assert_eq!(reading(c, r, &a), None);
}

#[test]
fn every_comparison_of_the_night_is_adjusted_together_by_holm() {
    // Against 50 of 400: Asian 14 of 40 (p 0.00054), Black 18 of 80 (p 0.0334), Prefer
    // not to say 2 of 60 (p 0.0459, lower). Three comparisons: Holm multiplies the
    // smallest p by 3 and the next by 2, never falling below the one before.
    let mut v = cohort("White British", 400, 50);
    v.extend(cohort("Asian", 40, 14));
    v.extend(cohort("Black", 80, 18));
    v.extend(cohort("Prefer not to say", 60, 2));
    let a = analyse(&v, NONE, AS_OF, &with_reference("White British"));
    assert_eq!(a.comparisons, 3);
    let c = &a.characteristics[0];
    let (asian, black, pnts) = (
        row(c, "Asian"),
        row(c, "Black"),
        row(c, "Prefer not to say"),
    );
    let p = |a, b, c, d| fisher_two_sided(a, b, c, d);
    assert_eq!(asian.p_value, p(14, 26, 50, 350));
    assert_eq!(asian.adjusted_p, 3.0 * asian.p_value);
    assert_eq!(black.adjusted_p, 2.0 * black.p_value);
    assert_eq!(
        pnts.adjusted_p, black.adjusted_p,
        "never below the one before"
    );
    assert!(asian.significant && asian.flagged());
    // Under 0.05 on its own, not once the three comparisons are allowed for.
    assert!(black.p_value < 0.05 && black.adjusted_p > 0.05);
    assert!(!black.significant);
    assert!(!pnts.significant);
    let r = c.rows.iter().find(|r| r.group == "Asian").unwrap();
    let words = reading(c, r, &a).unwrap();
    assert!(words.contains("statistically significant"), "{words}");
    assert!(
        words.contains("0.0016 once allowed for the 3 comparisons made tonight"),
        "{words}"
    );
    // One comparison alone is not adjusted.
    let mut one = cohort("White British", 400, 50);
    one.extend(cohort("Black", 80, 18));
    let a = analyse(&one, NONE, AS_OF, &with_reference("White British"));
    let black = row(&a.characteristics[0], "Black");
    assert_eq!((a.comparisons, black.adjusted_p), (1, black.p_value));
    assert!(black.significant);
}

#[test]
fn category_values_match_whatever_their_case_spacing_or_punctuation() {
    assert_eq!(category_key(" White - British "), "white british");
    assert_eq!(category_key("WHITE  british"), "white british");
    assert_eq!(category_key("Mixed/Multiple"), "mixed multiple");
    assert_eq!(category_key(" - "), "");
    // Another system's spelling of the configured reference, and two spellings of it in
    // one export: one group, named as most of its decisions spell it.
    let mut v = cohort("White - British", 300, 40);
    v.extend(cohort("white  british", 100, 10));
    v.extend(cohort("Black", 80, 18));
    let a = analyse(&v, NONE, AS_OF, &with_reference("White British"));
    let c = &a.characteristics[0];
    assert_eq!(c.reference.as_deref(), Some("White - British"));
    assert_eq!(c.configured_as.as_deref(), Some("White British"));
    assert!(
        c.note.is_none() && a.warnings.is_empty(),
        "{:?}",
        a.warnings
    );
    let groups: Vec<(&str, u64)> = c
        .rows
        .iter()
        .map(|r| (r.group.as_str(), r.figures.as_ref().unwrap().cases))
        .collect();
    assert_eq!(groups, vec![("Black", 80), ("White - British", 400)]);
    assert_eq!(row(c, "Black").p_value, fisher_two_sided(18, 62, 50, 350));
}

#[test]
fn a_configured_reference_still_absent_is_a_warning_naming_the_values_present() {
    let mut v = cohort("White Irish", 100, 10);
    v.extend(cohort("Black", 50, 5));
    v.extend(cohort("", 20, 2));
    let a = analyse(&v, NONE, AS_OF, &with_reference("White British"));
    let c = &a.characteristics[0];
    assert_eq!(c.reference, None);
    let note = c.note.as_deref().unwrap();
    assert!(note.contains("reference group White British"), "{note}");
    assert!(note.contains(r#""Black", "White Irish""#), "{note}");
    assert_eq!(a.warnings.len(), 1);
    let w = &a.warnings[0];
    assert!(w.contains(r#""White British""#), "{w}");
    assert!(
        w.contains(r#"the values recorded are "Black", "White Irish";"#),
        "{w}"
    );
    assert!(!w.contains(NOT_RECORDED), "{w}");
    // A reference configured for a characteristic the export does not carry.
    let mut s = with_reference("White British");
    s.reference.insert("religion".into(), "None".into());
    let a = analyse(&v, NONE, AS_OF, &s);
    assert!(a.warnings.iter().any(|w| w.contains("no religion column")));
}

#[test]
fn all_small_means_nothing_shown() {
    let mut v = cohort("A", 5, 1);
    v.extend(cohort("B", 4, 2));
    let a = analyse(&v, NONE, AS_OF, &settings(10));
    let c = &a.characteristics[0];
    assert!(c.rows.iter().all(|r| r.figures.is_none()));
    assert!(c.note.is_some());
}

#[test]
fn a_group_that_disappears_between_nights_says_why() {
    // Tonight: A 100, B 9 (too few), C 15 (hidden with B). Last night also listed D
    // (no decisions tonight) and a characteristic "sex" with no decisions tonight.
    let mut v = cohort("A", 100, 10);
    v.extend(cohort("B", 9, 5));
    v.extend(cohort("C", 15, 2));
    let mut a = analyse(&v, NONE, AS_OF, &settings(10));
    let previous: Vec<(String, String)> = [("ethnicity", "A"), ("ethnicity", "D"), ("sex", "F")]
        .iter()
        .map(|(c, g)| (c.to_string(), g.to_string()))
        .collect();
    carry_over(&mut a, &previous);
    let why: Vec<(&str, &str, Option<Hidden>)> = a
        .characteristics
        .iter()
        .flat_map(|c| {
            c.rows
                .iter()
                .map(|r| (c.name.as_str(), r.group.as_str(), r.hidden))
        })
        .collect();
    assert_eq!(
        why,
        vec![
            ("ethnicity", "A", None),
            ("ethnicity", "B", Some(Hidden::TooFew)),
            ("ethnicity", "C", Some(Hidden::WithSmaller)),
            ("ethnicity", "D", Some(Hidden::NoDecisions)),
            ("sex", "F", Some(Hidden::NoDecisions)),
        ]
    );
    assert!(a.characteristics[1]
        .note
        .as_deref()
        .unwrap()
        .contains("records sex"));
    assert_eq!(
        Hidden::TooFew.text(10),
        "suppressed tonight: fewer than 10 decisions in the window"
    );
    // B and C were shown last night; B is suppressed tonight and says so,
    // A is shown and D has no decisions, so their status is unchanged.
    let shown: Vec<(String, String)> = [("ethnicity", "A"), ("ethnicity", "B"), ("ethnicity", "D")]
        .iter()
        .map(|(c, g)| (c.to_string(), g.to_string()))
        .collect();
    note_shown_before(&mut a, &shown);
    let status: Vec<String> = a.characteristics[0]
        .rows
        .iter()
        .map(|r| r.status(10))
        .collect();
    assert_eq!(
        status,
        vec![
            "shown".to_string(),
            "suppressed tonight: fewer than 10 decisions in the window (shown on the previous night)".into(),
            Hidden::WithSmaller.text(10),
            Hidden::NoDecisions.text(10),
        ]
    );
    note_shown_before(&mut a, &[]);
    // Carrying over twice adds nothing more.
    let before = a.clone();
    carry_over(&mut a, &previous);
    assert_eq!(a, before);
}
