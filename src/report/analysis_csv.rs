//! The CSV twins of the report's figures (README, "Output contract"): every number in
//! report.html can be taken into a force's own analysis from one of these files.
//!
//! forecast.csv, disproportionality.csv, qa_sample.csv, designated_posts.csv, trend.csv and
//! changes.csv. Columns are part of the public contract: only ever added at the end.

use super::{cell::text, csv_writer, finish, morning::Morning};
use crate::analyse::disproportion::p_text;

fn num(x: f64) -> String {
    format!("{x:.4}")
}

fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

pub const FORECAST_COLUMNS: [&str; 7] = [
    "run_id",
    "month",
    "level",
    "due",
    "due_what_if",
    "extra_what_if",
    "what_if",
];

/// One row per level per month, preceded by the overdue backlog (`month` = `overdue`).
pub fn forecast(m: &Morning<'_>) -> Vec<u8> {
    let f = &m.forecast;
    let mut w = csv_writer();
    w.write_record(FORECAST_COLUMNS).expect("in-memory write");
    let (desc, alt) = match &f.what_if {
        Some((d, s)) => (d.as_str(), Some(s)),
        None => ("", None),
    };
    let mut row = |month: &str, level: &str, base: u32, other: Option<u32>| {
        let (due_w, extra) = match other {
            Some(o) => (o.to_string(), (o as i64 - base as i64).to_string()),
            None => (String::new(), String::new()),
        };
        w.write_record([
            m.info.run_id.as_str(),
            month,
            level,
            &base.to_string(),
            &due_w,
            &extra,
            desc,
        ])
        .expect("in-memory write");
    };
    for level in &f.levels {
        row(
            "overdue",
            level,
            f.baseline.overdue_of(level),
            alt.map(|a| a.overdue_of(level)),
        );
    }
    for (i, month) in f.months.iter().enumerate() {
        let label = month.format("%Y-%m").to_string();
        for level in &f.levels {
            row(
                &label,
                level,
                f.baseline.due_in(level, i),
                alt.map(|a| a.due_in(level, i)),
            );
        }
    }
    finish(w)
}

pub const DISPROPORTIONALITY_COLUMNS: [&str; 18] = [
    "run_id",
    "window_from",
    "window_to",
    "characteristic",
    "group",
    "reference_group",
    "is_reference",
    "decisions",
    "refusals",
    "refusal_rate",
    "relative_rate",
    "relative_rate_ci_low",
    "relative_rate_ci_high",
    "adverse_impact_ratio",
    "four_fifths_flag",
    "fisher_p",
    "significant",
    "suppressed",
];

/// One row per group; a suppressed group has only its name and `suppressed` = yes.
pub fn disproportionality(m: &Morning<'_>) -> Vec<u8> {
    let a = &m.disproportion;
    let mut w = csv_writer();
    w.write_record(DISPROPORTIONALITY_COLUMNS)
        .expect("in-memory write");
    let (from, to) = (a.from.to_string(), a.to.to_string());
    for c in &a.characteristics {
        for r in &c.rows {
            let mut rec: Vec<String> = vec![
                m.info.run_id.clone(),
                from.clone(),
                to.clone(),
                text(&c.name).into_owned(),
                text(&r.group).into_owned(),
                text(c.reference.as_deref().unwrap_or("")).into_owned(),
                yes(r.is_reference).into(),
            ];
            match &r.figures {
                None => {
                    rec.extend(std::iter::repeat_n(String::new(), 10));
                    rec.push("yes".into());
                }
                Some(f) => {
                    rec.push(f.decisions.to_string());
                    rec.push(f.refusals.to_string());
                    rec.push(num(f.refusal_rate()));
                    match &f.comparison {
                        Some(cmp) => {
                            let rr = cmp.relative_rate;
                            rec.push(opt(rr.map(|r| r.ratio)));
                            rec.push(opt(rr.map(|r| r.low)));
                            rec.push(opt(rr.map(|r| r.high)));
                            rec.push(opt(cmp.adverse_impact_ratio));
                            rec.push(yes(cmp.four_fifths_flag).into());
                            rec.push(p_text(cmp.p_value));
                            rec.push(yes(cmp.significant).into());
                        }
                        None => rec.extend(std::iter::repeat_n(String::new(), 7)),
                    }
                    rec.push("no".into());
                }
            }
            w.write_record(&rec).expect("in-memory write");
        }
    }
    finish(w)
}

pub const QA_COLUMNS: [&str; 13] = [
    "run_id",
    "sample",
    "eligible",
    "vetting_ref",
    "level",
    "status",
    "decision_date",
    "adverse_info",
    "rationale_recorded",
    "risk_mitigation",
    "employee_id",
    "surname",
    "forenames",
];

pub fn qa_sample(m: &Morning<'_>) -> Vec<u8> {
    let mut w = csv_writer();
    w.write_record(QA_COLUMNS).expect("in-memory write");
    for p in &m.qa {
        let v = &m.data.vetting[p.record];
        w.write_record([
            m.info.run_id.as_str(),
            p.kind.as_str(),
            &p.out_of.to_string(),
            &text(&v.vetting_ref),
            m.levels.name(v.level),
            v.status.as_str(),
            &v.decision_date.map(|d| d.to_string()).unwrap_or_default(),
            yes(v.adverse_info),
            yes(v.rationale_recorded),
            yes(v.risk_mitigation),
            &text(m.linked_employee(p.record).unwrap_or("")),
            &text(&v.surname),
            &text(&v.forenames),
        ])
        .expect("in-memory write");
    }
    finish(w)
}

pub const COVERAGE_COLUMNS: [&str; 7] = [
    "run_id",
    "department",
    "designated_posts",
    "postholders",
    "cleared",
    "cleared_share",
    "level",
];

/// One row per department, then the all-departments total.
pub fn designated_posts(m: &Morning<'_>) -> Vec<u8> {
    let c = &m.coverage;
    let mut w = csv_writer();
    w.write_record(COVERAGE_COLUMNS).expect("in-memory write");
    for r in c.departments.iter().chain(std::iter::once(&c.total)) {
        w.write_record([
            m.info.run_id.as_str(),
            &text(&r.department),
            &r.designated_posts.to_string(),
            &r.postholders.to_string(),
            &r.cleared.to_string(),
            &opt(r.share()),
            &c.level,
        ])
        .expect("in-memory write");
    }
    finish(w)
}

pub const TREND_COLUMNS: [&str; 4] = ["run_id", "as_of", "code", "count"];

/// Exceptions per code for the earlier runs in the trend window and this run, oldest first.
pub fn trend(m: &Morning<'_>) -> Vec<u8> {
    let mut w = csv_writer();
    w.write_record(TREND_COLUMNS).expect("in-memory write");
    let now = m.counts();
    let as_of = m.info.as_of.to_string();
    let points = m
        .past
        .trend
        .iter()
        .map(|p| (p.run_id.as_str(), p.as_of.as_str(), &p.counts))
        .chain(std::iter::once((
            m.info.run_id.as_str(),
            as_of.as_str(),
            &now,
        )));
    for (run, day, counts) in points {
        for (code, n) in counts {
            w.write_record([run, day, code, &n.to_string()])
                .expect("in-memory write");
        }
    }
    finish(w)
}

pub const CHANGES_COLUMNS: [&str; 8] = [
    "run_id",
    "previous_run_id",
    "change",
    "code",
    "severity",
    "employee_id",
    "vetting_ref",
    "post_id",
];

/// New, resolved and persisting exceptions against the previous run (empty on the first).
/// Identities come from exceptions.csv, already spreadsheet-safe.
pub fn changes(m: &Morning<'_>) -> Vec<u8> {
    let mut w = csv_writer();
    w.write_record(CHANGES_COLUMNS).expect("in-memory write");
    if let (Some(d), Some(prev)) = (&m.changes, &m.past.previous) {
        for (label, rows) in [
            ("new", &d.new),
            ("resolved", &d.resolved),
            ("persisting", &d.persisting),
        ] {
            for ((code, emp, vref, post), row) in rows {
                w.write_record([
                    m.info.run_id.as_str(),
                    &prev.run_id,
                    label,
                    code,
                    &row.severity,
                    emp,
                    vref,
                    post,
                ])
                .expect("in-memory write");
            }
        }
    }
    finish(w)
}
