//! Several signals at once: the people tonight's exceptions flag more than once, for the
//! people-intelligence meeting (signals.csv, the workbook's Several signals sheet and the
//! integrity section of the page).
//!
//! A signal is an exception row with an employee id whose code is a key of
//! `integrity.signal_weights`. A person (their id as ids compare, `id_key`) with at least
//! `integrity.min_signals` signals is listed, scored by the sum of their signals' weights.
//! Each signal keeps its code and its age only: the detail and the reference of a row stay
//! in exceptions.csv, so the list puts nothing about a person beside their name that the
//! exception list does not already say row by row.
//!
//! It reads the exceptions after assess, never the feeds themselves: whether a code was
//! checked tonight is the report's to say (`Morning::unchecked`), beside the list.

use crate::assess::{Code, Exception};
use crate::ingest::value::id_key;
use crate::model::integrity::IntegrityPolicy;
use std::collections::BTreeMap;

/// One signal of a listed person: its code, the code's weight and its age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signal {
    pub code: Code,
    pub weight: u32,
    /// Days out of compliance, never below 0 (a row whose start is still ahead counts 0).
    pub days: i64,
}

/// A person with at least `min_signals` signals tonight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// 1 for the first listed.
    pub rank: usize,
    /// As the person's first signal row in exceptions.csv gives them (exceptions order).
    pub employee_id: String,
    pub surname: String,
    pub forenames: String,
    pub post_id: String,
    pub post_title: String,
    /// The sum of the signals' weights.
    pub score: u64,
    /// Highest weight first, then code, then most days first.
    pub signals: Vec<Signal>,
    /// The largest days_out among the signals as the rows give it (negative kept): the
    /// third key of the order.
    pub largest_days_out: i64,
}

impl Listed {
    /// `CODE (N days)` per signal (`1 day` for one), in the signals' order, joined by `; `.
    pub fn codes(&self) -> String {
        let each: Vec<String> = (self.signals.iter())
            .map(|s| {
                let unit = if s.days == 1 { "day" } else { "days" };
                format!("{} ({} {unit})", s.code.as_str(), s.days)
            })
            .collect();
        each.join("; ")
    }
}

/// Tonight's several-signals list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signals {
    /// Score, then number of signals, then largest days_out (each highest first), then
    /// employee id as ids compare.
    pub listed: Vec<Listed>,
    pub min_signals: usize,
    /// The codes that count as a signal and their weights, highest weight first, then code.
    pub weights: Vec<(Code, u32)>,
}

/// The codes of `policy.signal_weights` with their weights, highest weight first, then code
/// (a key that names no code counts as no signal; the config refuses one).
fn weights(policy: &IntegrityPolicy) -> Vec<(Code, u32)> {
    let mut w: Vec<(Code, u32)> = (policy.signal_weights.iter())
        .filter_map(|(c, w)| Some((Code::parse(c)?, *w)))
        .collect();
    w.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.as_str().cmp(b.0.as_str())));
    w
}

/// The people tonight's `exceptions` give at least `policy.min_signals` signals, in order.
pub fn analyse(exceptions: &[Exception], policy: &IntegrityPolicy) -> Signals {
    let weights = weights(policy);
    let weight = |c: Code| weights.iter().find(|(w, _)| *w == c).map(|(_, w)| *w);
    // Each person's signal rows, keyed by id as ids compare, in exceptions order.
    let mut by_person: BTreeMap<String, Vec<(&Exception, u32)>> = BTreeMap::new();
    for e in exceptions {
        let Some(w) = weight(e.code) else { continue };
        let key = id_key(&e.employee_id);
        if key.is_empty() {
            continue;
        }
        by_person.entry(key).or_default().push((e, w));
    }
    let mut listed: Vec<(String, Listed)> = (by_person.into_iter())
        .filter(|(_, rows)| rows.len() >= policy.min_signals)
        .filter_map(|(key, rows)| Some((key, listed_of(&rows)?)))
        .collect();
    listed.sort_by(|(ka, a), (kb, b)| {
        (b.score, b.signals.len(), b.largest_days_out, ka).cmp(&(
            a.score,
            a.signals.len(),
            a.largest_days_out,
            kb,
        ))
    });
    let listed = (listed.into_iter().enumerate())
        .map(|(i, (_, mut l))| {
            l.rank = i + 1;
            l
        })
        .collect();
    Signals {
        listed,
        min_signals: policy.min_signals,
        weights,
    }
}

/// One person from their signal rows (None for no rows).
fn listed_of(rows: &[(&Exception, u32)]) -> Option<Listed> {
    let (first, _) = rows.first()?;
    let mut signals: Vec<Signal> = (rows.iter())
        .map(|(e, w)| Signal {
            code: e.code,
            weight: *w,
            days: e.days_out.max(0),
        })
        .collect();
    signals.sort_by(|a, b| {
        (b.weight.cmp(&a.weight))
            .then_with(|| a.code.as_str().cmp(b.code.as_str()))
            .then_with(|| b.days.cmp(&a.days))
    });
    Some(Listed {
        rank: 0,
        employee_id: first.employee_id.clone(),
        surname: first.surname.clone(),
        forenames: first.forenames.clone(),
        post_id: first.post_id.clone(),
        post_title: first.post_title.clone(),
        score: rows.iter().map(|(_, w)| u64::from(*w)).sum(),
        signals,
        largest_days_out: rows.iter().map(|(e, _)| e.days_out).max()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row of `code` about `employee_id`, `days_out` days out, named `name`.
    fn row(code: Code, employee_id: &str, days_out: i64) -> Exception {
        let mut e = Exception::blank(code);
        e.employee_id = employee_id.into();
        e.surname = format!("Surname of {}", employee_id.trim());
        e.forenames = "Anna".into();
        e.post_id = format!("P-{}", employee_id.trim());
        e.post_title = "Response officer".into();
        e.vetting_ref = "REF-1".into();
        e.detail = "a detail the list never shows".into();
        e.days_out = days_out;
        e
    }

    /// The built-in weights: CONDITION_BREACHED 5, DECLARATION_REFUSED_IN_POST 4,
    /// PND_UNREVIEWED, MISCONDUCT_REVIEW_DUE and ADVERSE_UNMITIGATED 3,
    /// CIRCUMSTANCES_REVIEW_DUE 2, CONDITION_REVIEW_DUE, DECLARATION_REVIEW_DUE and
    /// INTEGRITY_REVIEW_OVERDUE 1; at least 2 signals.
    fn policy() -> IntegrityPolicy {
        IntegrityPolicy::built_in()
    }

    fn ranked(s: &Signals) -> Vec<(usize, &str, u64, usize, String)> {
        (s.listed.iter())
            .map(|l| {
                (
                    l.rank,
                    l.employee_id.as_str(),
                    l.score,
                    l.signals.len(),
                    l.codes(),
                )
            })
            .collect()
    }

    #[test]
    fn a_person_with_two_signals_is_listed_with_the_sum_of_the_weights_and_one_with_one_is_not() {
        let rows = [
            row(Code::MisconductReviewDue, "E1", 40),
            row(Code::Expired, "E1", 400),
            row(Code::CircumstancesReviewDue, "E1", 12),
            row(Code::PndUnreviewed, "E2", 90),
            row(Code::NoClearance, "E2", 30),
        ];
        let s = analyse(&rows, &policy());
        // E1: misconduct 3 + circumstances 2 = 5 (EXPIRED is no signal). E2: one signal.
        assert_eq!(
            ranked(&s),
            [(
                1,
                "E1",
                5,
                2,
                "MISCONDUCT_REVIEW_DUE (40 days); CIRCUMSTANCES_REVIEW_DUE (12 days)".into()
            )]
        );
        let l = &s.listed[0];
        assert_eq!(
            (
                l.surname.as_str(),
                l.forenames.as_str(),
                l.post_id.as_str(),
                l.post_title.as_str()
            ),
            ("Surname of E1", "Anna", "P-E1", "Response officer")
        );
        assert_eq!(s.min_signals, 2);
    }

    #[test]
    fn ids_are_compared_as_ids_and_rows_with_no_employee_id_are_no_ones_signals() {
        let rows = [
            row(Code::PndUnreviewed, "e7", 5),
            row(Code::DeclarationReviewDue, " E7 ", 9),
            // An orphan's rows name no one: never gathered into one "person".
            row(Code::AdverseUnmitigated, "", 100),
            row(Code::AdverseUnmitigated, "  ", 200),
        ];
        let s = analyse(&rows, &policy());
        // The first row's id and names stand for the person.
        assert_eq!(
            ranked(&s),
            [(
                1,
                "e7",
                4,
                2,
                "PND_UNREVIEWED (5 days); DECLARATION_REVIEW_DUE (9 days)".into()
            )]
        );
    }

    #[test]
    fn only_the_codes_of_the_weights_count_and_a_configured_minimum_is_kept() {
        let mut p = policy();
        p.signal_weights = [("EXPIRED".to_string(), 7), ("NO_CLEARANCE".to_string(), 2)]
            .into_iter()
            .collect();
        p.min_signals = 3;
        let rows = [
            row(Code::Expired, "E1", 10),
            row(Code::NoClearance, "E1", 10),
            row(Code::ConditionBreached, "E1", 10),
            row(Code::Expired, "E2", 1),
            row(Code::Expired, "E2", 3),
            row(Code::NoClearance, "E2", 2),
        ];
        let s = analyse(&rows, &p);
        // E1 has two signals under these weights (CONDITION_BREACHED is no longer one): not
        // listed at 3. E2: 7 + 7 + 2, the two EXPIRED most days first.
        assert_eq!(
            ranked(&s),
            [(
                1,
                "E2",
                16,
                3,
                "EXPIRED (3 days); EXPIRED (1 day); NO_CLEARANCE (2 days)".into()
            )]
        );
        assert_eq!(s.weights, [(Code::Expired, 7), (Code::NoClearance, 2)]);
    }

    #[test]
    fn ties_fall_to_the_count_then_the_oldest_signal_then_the_employee_id() {
        let rows = [
            // Score 6 from two signals, oldest 10 days.
            row(Code::PndUnreviewed, "E5", 10),
            row(Code::MisconductReviewDue, "E5", 1),
            // Score 6 from three signals: more signals first.
            row(Code::CircumstancesReviewDue, "E4", 1),
            row(Code::CircumstancesReviewDue, "E4", 1),
            row(Code::CircumstancesReviewDue, "E4", 1),
            // Score 6 from two signals, oldest 50 days: before E5.
            row(Code::AdverseUnmitigated, "E3", 50),
            row(Code::PndUnreviewed, "E3", 2),
            // Score 6 from two signals, oldest 10 days: ties E5 on all three, so by id.
            row(Code::MisconductReviewDue, "E2", 10),
            row(Code::AdverseUnmitigated, "E2", 3),
            // Score 7: first.
            row(Code::DeclarationRefusedInPost, "E9", 0),
            row(Code::PndUnreviewed, "E9", 0),
        ];
        let s = analyse(&rows, &policy());
        let order: Vec<(usize, &str)> = s
            .listed
            .iter()
            .map(|l| (l.rank, l.employee_id.as_str()))
            .collect();
        assert_eq!(
            order,
            [(1, "E9"), (2, "E4"), (3, "E3"), (4, "E2"), (5, "E5")]
        );
    }

    #[test]
    fn a_signal_not_yet_due_counts_as_0_days_and_the_codes_run_weight_then_code_then_days() {
        let rows = [
            row(Code::IntegrityReviewOverdue, "E1", 3),
            row(Code::DeclarationReviewDue, "E1", 20),
            row(Code::ConditionReviewDue, "E1", -15),
            row(Code::DeclarationReviewDue, "E1", 30),
            row(Code::ConditionBreached, "E1", 2),
            row(Code::AdverseUnmitigated, "E1", 7),
            row(Code::MisconductReviewDue, "E1", 7),
        ];
        let s = analyse(&rows, &policy());
        let l = &s.listed[0];
        assert_eq!(
            l.codes(),
            "CONDITION_BREACHED (2 days); ADVERSE_UNMITIGATED (7 days); MISCONDUCT_REVIEW_DUE (7 days); CONDITION_REVIEW_DUE (0 days); DECLARATION_REVIEW_DUE (30 days); DECLARATION_REVIEW_DUE (20 days); INTEGRITY_REVIEW_OVERDUE (3 days)"
        );
        // 5 + 3 + 3 + 1 + 1 + 1 + 1.
        assert_eq!((l.score, l.largest_days_out), (15, 30));
        // Nothing of a row but its code and age is carried.
        let shown = format!("{l:?}");
        assert!(
            !shown.contains("REF-1") && !shown.contains("a detail"),
            "{shown}"
        );
    }

    #[test]
    fn a_negative_days_out_orders_by_its_own_value_but_is_shown_as_0() {
        let rows = [
            row(Code::PndUnreviewed, "E1", -5),
            row(Code::PndUnreviewed, "E1", -9),
            row(Code::PndUnreviewed, "E2", -2),
            row(Code::PndUnreviewed, "E2", -1),
        ];
        let s = analyse(&rows, &policy());
        // E2's nearest (-1) is later than E1's (-5): E2 first, though both show 0 days.
        assert_eq!(
            ranked(&s),
            [
                (
                    1,
                    "E2",
                    6,
                    2,
                    "PND_UNREVIEWED (0 days); PND_UNREVIEWED (0 days)".into()
                ),
                (
                    2,
                    "E1",
                    6,
                    2,
                    "PND_UNREVIEWED (0 days); PND_UNREVIEWED (0 days)".into()
                ),
            ]
        );
    }

    #[test]
    fn no_exceptions_list_no_one_and_the_weights_are_kept_for_the_page() {
        let s = analyse(&[], &policy());
        assert!(s.listed.is_empty());
        assert_eq!(s.weights.len(), 9);
        assert_eq!(s.weights[0], (Code::ConditionBreached, 5));
        assert_eq!(s.weights[1], (Code::DeclarationRefusedInPost, 4));
        // Equal weights by code.
        assert_eq!(
            s.weights[2..5]
                .iter()
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>(),
            [
                "ADVERSE_UNMITIGATED",
                "MISCONDUCT_REVIEW_DUE",
                "PND_UNREVIEWED"
            ]
        );
    }
}
