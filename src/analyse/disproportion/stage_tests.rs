//! The stages after the decision and the refusal reasons, against answers worked by hand.
//! Fisher p-values here were worked independently, summing exact hypergeometric
//! probabilities with integer binomial coefficients (rational arithmetic), not with this
//! crate's `fisher_two_sided`.

use super::tests::{cohort, rec, settings, with_reference, AS_OF, NONE};
use super::*;
use crate::model::casework::{AppealStatus, Casework};
use std::sync::Arc;

/// An export with both columns the later stages and the reasons read.
const READ: &[&str] = &["appeal_status", "refusal_reason"];

/// `n` refusals of `group` in the window, each with `appeal` and `reason` (None: blank).
fn refusals(
    group: &str,
    n: usize,
    appeal: Option<AppealStatus>,
    reason: Option<&str>,
) -> Vec<VettingRecord> {
    let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    (0..n)
        .map(|_| {
            let mut v = rec(group, VettingStatus::Refused, d);
            let c = Casework {
                appeal_status: appeal,
                refusal_reason: reason.map(Arc::from),
                ..Casework::default()
            };
            v.casework = (!c.is_empty()).then(|| Box::new(c));
            v
        })
        .collect()
}

/// `n` grants of `group` in the window.
fn grants(group: &str, n: usize) -> Vec<VettingRecord> {
    cohort(group, n, 0)
}

fn stage(a: &Analysis, stage: Stage) -> &Characteristic {
    let l = a.stages.iter().find(|l| l.stage == stage).unwrap();
    &l.characteristics[0]
}

fn figures<'a>(c: &'a Characteristic, group: &str) -> &'a Figures {
    let r = c.rows.iter().find(|r| r.group == group).unwrap();
    r.figures.as_ref().unwrap()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// White British: 400 decisions, 60 refused; of the 60, 10 not appealed and 50 appealed (30
/// upheld, 10 dismissed, 6 still lodged, 4 withdrawn). Black: 100 decisions, 30 refused; of
/// the 30, 2 with no appeal_status recorded, 12 not appealed and 16 appealed (3 upheld, 9
/// dismissed, 2 lodged, 2 withdrawn).
fn appeals_export() -> Vec<VettingRecord> {
    use AppealStatus::*;
    let mut v = grants("White British", 340);
    for (status, n) in [
        (None, 10),
        (Upheld, 30),
        (Dismissed, 10),
        (Lodged, 6),
        (Withdrawn, 4),
    ] {
        v.extend(refusals("White British", n, Some(status), Option::None));
    }
    v.extend(grants("Black", 70));
    v.extend(refusals("Black", 2, Option::None, Option::None));
    for (status, n) in [
        (None, 12),
        (Upheld, 3),
        (Dismissed, 9),
        (Lodged, 2),
        (Withdrawn, 2),
    ] {
        v.extend(refusals("Black", n, Some(status), Option::None));
    }
    v
}

#[test]
fn appeals_are_measured_among_refusals_and_upheld_among_appeals_decided() {
    let a = analyse(
        &appeals_export(),
        READ,
        AS_OF,
        &with_reference("White British"),
    );
    // Decision: 30 of 100 against 60 of 400. Fisher's p on [[30, 70], [60, 340]] is
    // 0.0011814.
    let decided = &a.characteristics[0];
    let black = figures(decided, "Black");
    assert_eq!((black.cases, black.outcomes), (100, 30));
    let cmp = black.comparison.as_ref().unwrap();
    assert!(close(cmp.p_value, 0.001_181_4, 5e-8), "{}", cmp.p_value);

    // Appealed: of the refusals with appeal_status recorded, Black 16 of 28 (the 2 blank
    // are not counted), White British 50 of 60. Rates 0.5714 and 0.8333: relative rate and
    // adverse-impact ratio (the appeal rate is the favourable one) 0.6857, under four
    // fifths. Fisher's p on [[16, 12], [50, 10]] is 0.0157944.
    let lodged = stage(&a, Stage::AppealLodged);
    assert_eq!(lodged.reference.as_deref(), Some("White British"));
    let f = figures(lodged, "Black");
    assert_eq!((f.cases, f.outcomes), (28, 16));
    let wb = figures(lodged, "White British");
    assert_eq!((wb.cases, wb.outcomes), (60, 50));
    let l = f.comparison.as_ref().unwrap();
    assert!(close(l.relative_rate.unwrap().ratio, 0.685_714, 1e-6));
    assert!(close(l.adverse_impact_ratio.unwrap(), 0.685_714, 1e-6));
    assert!(l.four_fifths_flag);
    assert!(close(l.p_value, 0.015_794_4, 5e-8), "{}", l.p_value);
    assert_eq!(
        (l.direction, l.adverse),
        (Direction::Lower, Direction::Lower)
    );

    // Upheld: of the appeals decided (upheld or dismissed), Black 3 of 12, White British 30
    // of 40: relative rate 1/3. Fisher's p on [[3, 9], [30, 10]] is 0.0044101.
    let upheld = stage(&a, Stage::AppealUpheld);
    let f = figures(upheld, "Black");
    assert_eq!((f.cases, f.outcomes), (12, 3));
    let wb = figures(upheld, "White British");
    assert_eq!((wb.cases, wb.outcomes), (40, 30));
    let u = f.comparison.as_ref().unwrap();
    assert!(close(u.relative_rate.unwrap().ratio, 1.0 / 3.0, 1e-12));
    assert!(close(u.p_value, 0.004_410_1, 5e-8), "{}", u.p_value);

    // Holm over the three comparisons of every stage: 0.0011814 x 3, 0.0044101 x 2, then
    // 0.0157944 x 1 (above the one before, so itself).
    assert_eq!(a.comparisons, 3);
    assert_eq!(cmp.adjusted_p, 3.0 * cmp.p_value);
    assert_eq!(u.adjusted_p, 2.0 * u.p_value);
    assert_eq!(l.adjusted_p, l.p_value);
    // Fewer appeals, and fewer upheld, are adverse: both flagged and significant.
    assert!(cmp.significant && l.significant && u.significant);
    assert!(l.flagged() && u.flagged());

    let words = |stage: Stage, c: &Characteristic| {
        let r = c.rows.iter().find(|r| r.group == "Black").unwrap();
        reading_at(stage, c, r, &a).unwrap()
    };
    let text = words(Stage::AppealLodged, lodged);
    assert!(
        text.starts_with("ethnicity Black: appealed 16 of 28 refusals (57.1%) against 50 of 60 (83.3%) for White British, 0.69 times the reference rate"),
        "{text}"
    );
    assert!(
        text.contains("The appeal-rate ratio is 0.69, below the four-fifths threshold of 0.80."),
        "{text}"
    );
    assert!(
        text.contains("0.0158 once allowed for the 3 comparisons made tonight"),
        "{text}"
    );
    let text = words(Stage::AppealUpheld, upheld);
    assert!(
        text.starts_with("ethnicity Black: upheld on appeal in 3 of 12 appeals decided (25.0%) against 30 of 40 (75.0%) for White British"),
        "{text}"
    );
}

#[test]
fn a_group_appealing_more_often_is_shown_but_never_flagged() {
    // Black appeals 25 of 30 refusals against 10 of 60: five times as often. Appealing
    // more is no adverse impact.
    let mut v = grants("White British", 340);
    v.extend(refusals(
        "White British",
        10,
        Some(AppealStatus::Lodged),
        None,
    ));
    v.extend(refusals(
        "White British",
        50,
        Some(AppealStatus::None),
        None,
    ));
    v.extend(grants("Black", 70));
    v.extend(refusals("Black", 25, Some(AppealStatus::Lodged), None));
    v.extend(refusals("Black", 5, Some(AppealStatus::None), None));
    let a = analyse(&v, READ, AS_OF, &with_reference("White British"));
    let c = stage(&a, Stage::AppealLodged);
    let cmp = figures(c, "Black").comparison.as_ref().unwrap();
    assert_eq!(cmp.direction, Direction::Higher);
    assert!(close(cmp.relative_rate.unwrap().ratio, 5.0, 1e-12));
    assert!(!cmp.four_fifths_flag && !cmp.significant && !cmp.flagged());
    assert!(
        cmp.p_value < 0.0001,
        "a real difference, in the other direction"
    );
}

#[test]
fn a_group_hidden_at_the_decision_stays_hidden_at_every_later_stage() {
    // Decision: B has 9 decisions (too few), so C (15) is hidden with it. C has 12 refusals
    // with an appeal recorded, enough for the appeal stage on its own, but showing them
    // there would undo the decision's secondary suppression: it stays hidden. D has 5
    // refusals: too few at the appeal stage. A is shown everywhere.
    let none = Some(AppealStatus::None);
    let mut v = grants("A", 70);
    v.extend(refusals("A", 30, none, Some("financial")));
    v.extend(refusals("B", 9, none, Some("financial")));
    v.extend(grants("C", 3));
    v.extend(refusals("C", 12, none, Some("financial")));
    v.extend(grants("D", 35));
    v.extend(refusals("D", 5, none, Some("financial")));
    let a = analyse(&v, READ, AS_OF, &settings(10));
    let hidden = |c: &Characteristic| -> Vec<(String, Option<Hidden>)> {
        c.rows.iter().map(|r| (r.group.clone(), r.hidden)).collect()
    };
    let at_decision = hidden(&a.characteristics[0]);
    assert_eq!(
        at_decision,
        vec![
            ("A".into(), None),
            ("B".into(), Some(Hidden::TooFew)),
            ("C".into(), Some(Hidden::WithSmaller)),
            ("D".into(), None),
        ]
    );
    let later = vec![
        ("A".to_string(), None),
        ("B".into(), Some(Hidden::TooFew)),
        ("C".into(), Some(Hidden::WithSmaller)),
        ("D".into(), Some(Hidden::TooFew)),
    ];
    assert_eq!(hidden(stage(&a, Stage::AppealLodged)), later);
    // No appeal is decided: every group has too few there.
    assert!(stage(&a, Stage::AppealUpheld)
        .rows
        .iter()
        .all(|r| r.figures.is_none()));
    // The reasons are hidden exactly as the appeal stage hides them: the same base.
    let reasons: Vec<(String, Option<Hidden>)> = a.reasons.characteristics[0]
        .groups
        .iter()
        .map(|g| (g.group.clone(), g.hidden))
        .collect();
    assert_eq!(reasons, later);
    let row = |g: &str| {
        let c = stage(&a, Stage::AppealLodged);
        c.rows.iter().find(|r| r.group == g).unwrap().clone()
    };
    assert_eq!(
        row("D").status_at(Stage::AppealLodged, 10),
        "suppressed tonight: fewer than 10 refusals in the window"
    );

    // Secondary suppression at a later stage on its own: every group is shown at the
    // decision; at the appeal stage only C (5 refusals) is too few, so the next smallest,
    // B (20), is hidden with it.
    let mut v = grants("A", 60);
    v.extend(refusals("A", 40, none, None));
    v.extend(grants("B", 30));
    v.extend(refusals("B", 20, none, None));
    v.extend(grants("C", 25));
    v.extend(refusals("C", 5, none, None));
    let a = analyse(&v, READ, AS_OF, &settings(10));
    assert!(a.characteristics[0].rows.iter().all(|r| r.hidden.is_none()));
    assert_eq!(
        hidden(stage(&a, Stage::AppealLodged)),
        vec![
            ("A".into(), None),
            ("B".into(), Some(Hidden::WithSmaller)),
            ("C".into(), Some(Hidden::TooFew)),
        ]
    );
    // The reference (A, the largest) is shown, but nothing is left to compare with it.
    assert_eq!(a.comparisons, 2, "B and C at the decision only");
}

/// Refusal reasons per group. White British: 400 decisions, 60 refused (criminal_record
/// 30, associations 12, financial 10, honesty 5, blank 3). Black: 100 decisions, 30
/// refused (associations 18, non_disclosure 6, criminal_record 4, financial 2). Asian: 40
/// decisions, 8 refused; Mixed: 30 decisions, 9 refused (both "other"). No appeal recorded.
fn reasons_export() -> Vec<VettingRecord> {
    let mut v = grants("White British", 340);
    for (reason, n) in [
        (Some("criminal_record"), 30),
        (Some("associations"), 12),
        (Some("financial"), 10),
        (Some("honesty"), 5),
        (None, 3),
    ] {
        v.extend(refusals("White British", n, None, reason));
    }
    v.extend(grants("Black", 70));
    for (reason, n) in [
        ("associations", 18),
        ("non_disclosure", 6),
        ("criminal_record", 4),
        ("financial", 2),
    ] {
        v.extend(refusals("Black", n, None, Some(reason)));
    }
    v.extend(grants("Asian", 32));
    v.extend(refusals("Asian", 8, None, Some("other")));
    v.extend(grants("Mixed", 21));
    v.extend(refusals("Mixed", 9, None, Some("other")));
    v
}

#[test]
fn refusal_reasons_are_counted_per_group_and_named_under_a_flagged_group() {
    let a = analyse(
        &reasons_export(),
        READ,
        AS_OF,
        &with_reference("White British"),
    );
    let rc = &a.reasons.characteristics[0];
    let black = rc.group("Black").unwrap();
    assert_eq!(black.refusals, Some(30));
    let named = |g: &ReasonGroup| -> Vec<(String, u64)> { g.reasons.clone() };
    let pairs = |xs: &[(&str, u64)]| -> Vec<(String, u64)> {
        xs.iter().map(|(r, n)| (r.to_string(), *n)).collect()
    };
    assert_eq!(
        named(black),
        pairs(&[
            ("associations", 18),
            ("non_disclosure", 6),
            ("criminal_record", 4),
            ("financial", 2)
        ])
    );
    let wb = rc.group("White British").unwrap();
    assert_eq!(
        named(wb),
        pairs(&[
            ("criminal_record", 30),
            ("associations", 12),
            ("financial", 10),
            ("honesty", 5),
            (NOT_RECORDED, 3)
        ])
    );
    // Asian (8 refusals) and Mixed (9) are under 10: both hidden, so no secondary
    // suppression is needed, though both have 10 or more decisions and are compared at the
    // decision.
    for g in ["Asian", "Mixed"] {
        let g = rc.group(g).unwrap();
        assert_eq!(
            (g.hidden, g.refusals, g.reasons.len()),
            (Some(Hidden::TooFew), None, 0)
        );
    }
    assert_eq!(
        a.characteristics[0]
            .rows
            .iter()
            .filter(|r| r.figures.is_some())
            .count(),
        4
    );

    // Black is refused more often (30 of 100 against 60 of 400; p 0.0011814, 0.0035 after
    // Holm over the decision's three comparisons): its line names its top three reasons
    // and the reference's, with shares of each group's refusals (18/30 = 60%, 4/30 = 13%,
    // 10/60 = 17%).
    let c = &a.characteristics[0];
    let row = c.rows.iter().find(|r| r.group == "Black").unwrap();
    assert!(
        row.figures
            .as_ref()
            .unwrap()
            .comparison
            .as_ref()
            .unwrap()
            .significant
    );
    assert_eq!(
        reasons_line(&a, c, row).unwrap(),
        "Refusal reasons, most frequent first: Black: associations 18 of 30 (60%), non_disclosure 6 (20%), criminal_record 4 (13%), 1 more in refusal_reasons.csv; for the reference group, White British: criminal_record 30 of 60 (50%), associations 12 (20%), financial 10 (17%), 2 more in refusal_reasons.csv."
    );
    // A group not flagged gets no line.
    let asian = c.rows.iter().find(|r| r.group == "Asian").unwrap();
    assert!(!asian
        .figures
        .as_ref()
        .unwrap()
        .comparison
        .as_ref()
        .unwrap()
        .flagged());
    assert_eq!(reasons_line(&a, c, asian), None);
}

#[test]
fn an_export_without_the_columns_says_not_read_and_the_decision_is_unchanged() {
    let v = reasons_export();
    let s = with_reference("White British");
    let without = analyse(&v, NONE, AS_OF, &s);
    for l in &without.stages {
        assert_eq!(
            l.not_read.as_deref(),
            Some("not read: the vetting export has no appeal_status column")
        );
        assert!(l.characteristics.is_empty());
    }
    assert_eq!(
        without.reasons.not_read.as_deref(),
        Some("not read: the vetting export has no refusal_reason column")
    );
    let c = &without.characteristics[0];
    let black = c.rows.iter().find(|r| r.group == "Black").unwrap();
    assert_eq!(
        reasons_line(&without, c, black).as_deref(),
        Some("Refusal reasons not read: the vetting export has no refusal_reason column.")
    );
    // Read, with no appeal recorded: the appeal stages compare nothing, so the decision's
    // figures, tests and adjustment are the same as without the columns.
    let with = analyse(&v, READ, AS_OF, &s);
    assert!(with.stages.iter().all(|l| l.not_read.is_none()));
    assert_eq!(with.characteristics, without.characteristics);
    assert_eq!(with.comparisons, without.comparisons);
}
