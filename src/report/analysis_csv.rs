//! The CSV twins of the report's figures (README, "Output contract"): every number in
//! report.html can be taken into a force's own analysis from one of these files.
//!
//! forecast.csv, disproportionality.csv, qa_sample.csv, designated_posts.csv, trend.csv and
//! changes.csv. Columns are part of the public contract: only ever added at the end.

use super::{
    cell::text,
    csv_writer, finish,
    morning::Morning,
    table::{Table, Value},
};
use crate::analyse::disproportion::{p_text, Hidden};

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
    "status",
];

/// One row per group; a suppressed group has only its names and `suppressed` = yes. A group
/// the previous night listed with no decisions tonight has `decisions` 0 and no other
/// figure. `status` says `shown`, or why not, in the page's words.
pub fn disproportionality_table(m: &Morning<'_>) -> Table {
    let a = &m.disproportion;
    let min = a.settings.minimum_group;
    let mut rows = Vec::new();
    for c in &a.characteristics {
        for r in &c.rows {
            let mut row = vec![
                Value::Date(a.from),
                Value::Date(a.to),
                Value::text(&c.name),
                Value::text(&r.group),
                Value::text(c.reference.as_deref().unwrap_or("")),
                Value::Flag(r.is_reference),
            ];
            let status = r.status(min);
            match &r.figures {
                None if r.hidden == Some(Hidden::NoDecisions) => {
                    row.extend([Value::Int(0), Value::Int(0)]);
                    row.extend((0..8).map(|_| Value::Empty));
                    row.push(Value::Flag(false));
                }
                None => {
                    row.extend((0..10).map(|_| Value::Empty));
                    row.push(Value::Flag(true));
                }
                Some(f) => {
                    row.push(Value::Int(f.decisions as i64));
                    row.push(Value::Int(f.refusals as i64));
                    row.push(Value::Num(f.refusal_rate()));
                    match &f.comparison {
                        Some(cmp) => {
                            let rr = cmp.relative_rate;
                            row.push(Value::num(rr.map(|x| x.ratio)));
                            row.push(Value::num(rr.map(|x| x.low)));
                            row.push(Value::num(rr.map(|x| x.high)));
                            row.push(Value::num(cmp.adverse_impact_ratio));
                            row.push(Value::Flag(cmp.four_fifths_flag));
                            row.push(Value::text(p_text(cmp.p_value)));
                            row.push(Value::Flag(cmp.significant));
                        }
                        None => row.extend((0..7).map(|_| Value::Empty)),
                    }
                    row.push(Value::Flag(false));
                }
            }
            row.push(Value::text(status));
            rows.push(row);
        }
    }
    Table {
        columns: &DISPROPORTIONALITY_COLUMNS,
        rows,
    }
}

pub fn disproportionality(m: &Morning<'_>) -> Vec<u8> {
    disproportionality_table(m).csv(&m.info.run_id)
}

pub const QA_COLUMNS: [&str; 12] = [
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

pub fn qa_sample_table(m: &Morning<'_>) -> Table {
    let rows =
        m.qa.iter()
            .map(|p| {
                let v = m.record(p.record);
                vec![
                    Value::text(p.kind.as_str()),
                    Value::Int(p.out_of as i64),
                    Value::text(&v.vetting_ref),
                    Value::text(m.levels.name(v.level)),
                    Value::text(v.status.as_str()),
                    Value::date(v.decision_date),
                    Value::flag(v.adverse_info),
                    Value::flag(v.rationale_recorded),
                    Value::flag(v.risk_mitigation),
                    Value::text(m.linked_employee(p.record).unwrap_or("")),
                    Value::text(&v.surname),
                    Value::text(&v.forenames),
                ]
            })
            .collect();
    Table {
        columns: &QA_COLUMNS,
        rows,
    }
}

pub fn qa_sample(m: &Morning<'_>) -> Vec<u8> {
    qa_sample_table(m).csv(&m.info.run_id)
}

pub const COVERAGE_COLUMNS: [&str; 6] = [
    "department",
    "designated_posts",
    "postholders",
    "cleared",
    "cleared_share",
    "level",
];

/// One row per department, then the all-departments total.
pub fn designated_posts_table(m: &Morning<'_>) -> Table {
    let c = &m.coverage;
    let rows = c
        .departments
        .iter()
        .chain(std::iter::once(&c.total))
        .map(|r| {
            vec![
                Value::text(&r.department),
                Value::Int(r.designated_posts as i64),
                Value::Int(r.postholders as i64),
                Value::Int(r.cleared as i64),
                Value::num(r.share()),
                Value::text(&c.level),
            ]
        })
        .collect();
    Table {
        columns: &COVERAGE_COLUMNS,
        rows,
    }
}

pub fn designated_posts(m: &Morning<'_>) -> Vec<u8> {
    designated_posts_table(m).csv(&m.info.run_id)
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

pub const TRIGGERS_COLUMNS: [&str; 8] = [
    "run_id",
    "code",
    "employee_id",
    "reference",
    "post_id",
    "days_overdue",
    "age_band",
    "detail",
];

/// review_triggers.csv: every open review trigger, oldest first, with its age band.
pub fn review_triggers(m: &Morning<'_>) -> Vec<u8> {
    let mut w = csv_writer();
    w.write_record(TRIGGERS_COLUMNS).expect("in-memory write");
    for e in crate::analyse::triggers::open(m.exceptions) {
        w.write_record([
            m.info.run_id.as_str(),
            e.code.as_str(),
            &text(&e.employee_id),
            &text(&e.vetting_ref),
            &text(&e.post_id),
            &e.days_out.to_string(),
            crate::analyse::triggers::band(e.days_out),
            &text(&e.detail),
        ])
        .expect("in-memory write");
    }
    finish(w)
}
