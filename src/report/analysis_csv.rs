//! The CSV twins of the report's figures (docs/output.md, "The morning outputs"): every number in
//! report.html can be taken into a force's own analysis from one of these files.
//!
//! forecast.csv, disproportionality.csv, disproportionality_stages.csv, refusal_reasons.csv,
//! qa_sample.csv, qa_verdicts.csv, designated_posts.csv, trend.csv and changes.csv. Columns are
//! part of the public contract: only ever added at the end.

use super::{
    cell::text,
    csv_writer, finish,
    morning::Morning,
    table::{Table, Value},
};
use crate::analyse::disproportion::{p_text, Hidden};
use crate::analyse::disproportion::{Comparison, Figures, GroupRow};

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

pub const DISPROPORTIONALITY_COLUMNS: [&str; 20] = [
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
    "fisher_p_adjusted",
    "direction",
];

/// One row per group; a suppressed group has only its names and `suppressed` = yes. A group
/// the previous night listed with no decisions tonight has `decisions` 0 and no other
/// figure. `status` says `shown`, or why not, in the page's words. A compared group ends
/// with its adjusted p (Holm, over every comparison of the night) and the direction of its
/// refusal rate against the reference's.
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
            let blank = |row: &mut Vec<Value>, n: usize| row.extend((0..n).map(|_| Value::Empty));
            // From `decisions` to `significant`, then `suppressed`.
            match &r.figures {
                None if r.hidden == Some(Hidden::NoDecisions) => {
                    row.extend([Value::Int(0), Value::Int(0)]);
                    blank(&mut row, 8);
                    row.push(Value::Flag(false));
                }
                None => {
                    blank(&mut row, 10);
                    row.push(Value::Flag(true));
                }
                Some(f) => {
                    row.push(Value::Int(f.cases as i64));
                    row.push(Value::Int(f.outcomes as i64));
                    row.push(Value::Num(f.rate()));
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
                        None => blank(&mut row, 7),
                    }
                    row.push(Value::Flag(false));
                }
            }
            row.push(Value::text(r.status(min)));
            // Added after `status` (the contract only grows at the end).
            match r.figures.as_ref().and_then(|f| f.comparison.as_ref()) {
                Some(cmp) => {
                    row.push(Value::text(p_text(cmp.adjusted_p)));
                    row.push(Value::text(cmp.direction.as_str()));
                }
                None => blank(&mut row, 2),
            }
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

pub const STAGES_COLUMNS: [&str; 21] = [
    "window_from",
    "window_to",
    "stage",
    "characteristic",
    "group",
    "reference_group",
    "is_reference",
    "cases",
    "outcomes",
    "rate",
    "relative_rate",
    "relative_rate_ci_low",
    "relative_rate_ci_high",
    "adverse_impact_ratio",
    "four_fifths_flag",
    "fisher_p",
    "fisher_p_adjusted",
    "direction",
    "significant",
    "suppressed",
    "status",
];

/// The stages after the decision (docs/output.md): one row per stage, characteristic and
/// group, the decision's groups in its order. A stage not read is one row naming it, its
/// `status` saying which column the export lacks. A suppressed group has only its names,
/// `suppressed` = yes and why in `status`.
pub fn disproportionality_stages_table(m: &Morning<'_>) -> Table {
    let a = &m.disproportion;
    let min = a.settings.minimum_group;
    let mut rows = Vec::new();
    let blank = |row: &mut Vec<Value>, n: usize| row.extend((0..n).map(|_| Value::Empty));
    for later in &a.stages {
        let head = || {
            vec![
                Value::Date(a.from),
                Value::Date(a.to),
                Value::text(later.stage.as_str()),
            ]
        };
        if let Some(why) = &later.not_read {
            let mut row = head();
            blank(&mut row, 17);
            row.push(Value::text(why));
            rows.push(row);
            continue;
        }
        for c in &later.characteristics {
            for r in &c.rows {
                let mut row = head();
                row.extend([
                    Value::text(&c.name),
                    Value::text(&r.group),
                    Value::text(c.reference.as_deref().unwrap_or("")),
                    Value::Flag(r.is_reference),
                ]);
                stage_figures(&mut row, r);
                row.push(Value::text(r.status_at(later.stage, min)));
                rows.push(row);
            }
        }
    }
    Table {
        columns: &STAGES_COLUMNS,
        rows,
    }
}

/// A stage row's figures, from `cases` to `suppressed`.
fn stage_figures(row: &mut Vec<Value>, r: &GroupRow) {
    let blank = |row: &mut Vec<Value>, n: usize| row.extend((0..n).map(|_| Value::Empty));
    let Some(Figures {
        cases,
        outcomes,
        comparison,
    }) = &r.figures
    else {
        blank(row, 12);
        row.push(Value::Flag(true));
        return;
    };
    row.push(Value::Int(*cases as i64));
    row.push(Value::Int(*outcomes as i64));
    row.push(Value::num(
        (*cases > 0).then(|| *outcomes as f64 / *cases as f64),
    ));
    match comparison {
        Some(Comparison {
            relative_rate: rr,
            adverse_impact_ratio,
            four_fifths_flag,
            p_value,
            adjusted_p,
            direction,
            significant,
            ..
        }) => {
            row.push(Value::num(rr.map(|x| x.ratio)));
            row.push(Value::num(rr.map(|x| x.low)));
            row.push(Value::num(rr.map(|x| x.high)));
            row.push(Value::num(*adverse_impact_ratio));
            row.push(Value::Flag(*four_fifths_flag));
            row.push(Value::text(p_text(*p_value)));
            row.push(Value::text(p_text(*adjusted_p)));
            row.push(Value::text(direction.as_str()));
            row.push(Value::Flag(*significant));
        }
        None => blank(row, 9),
    }
    row.push(Value::Flag(false));
}

pub fn disproportionality_stages(m: &Morning<'_>) -> Vec<u8> {
    disproportionality_stages_table(m).csv(&m.info.run_id)
}

pub const REASONS_COLUMNS: [&str; 9] = [
    "window_from",
    "window_to",
    "characteristic",
    "group",
    "refusal_reason",
    "refusals",
    "share",
    "suppressed",
    "status",
];

/// Refusals by refusal_reason per group (docs/output.md): one row per reason a shown group's
/// refusals carry, most first; one row with only its names for a suppressed group; one row
/// saying `not read` when the export has no refusal_reason column.
pub fn refusal_reasons_table(m: &Morning<'_>) -> Table {
    let a = &m.disproportion;
    let min = a.settings.minimum_group;
    let r = &a.reasons;
    let mut rows = Vec::new();
    let head = || vec![Value::Date(a.from), Value::Date(a.to)];
    if let Some(why) = &r.not_read {
        let mut row = head();
        row.extend((0..6).map(|_| Value::Empty));
        row.push(Value::text(why));
        rows.push(row);
    }
    for c in &r.characteristics {
        for g in &c.groups {
            let names = || {
                let mut row = head();
                row.extend([Value::text(&c.name), Value::text(&g.group)]);
                row
            };
            match (g.hidden, g.refusals) {
                (None, Some(total)) => {
                    for (reason, n) in &g.reasons {
                        let mut row = names();
                        row.extend([
                            Value::text(reason),
                            Value::Int(*n as i64),
                            Value::num((total > 0).then(|| *n as f64 / total as f64)),
                            Value::Flag(false),
                            Value::text("shown"),
                        ]);
                        rows.push(row);
                    }
                }
                (hidden, _) => {
                    let mut row = names();
                    row.extend([Value::Empty, Value::Empty, Value::Empty, Value::Flag(true)]);
                    let why = hidden.unwrap_or(Hidden::TooFew);
                    row.push(Value::text(why.text_of("refusals", min)));
                    rows.push(row);
                }
            }
        }
    }
    Table {
        columns: &REASONS_COLUMNS,
        rows,
    }
}

pub fn refusal_reasons(m: &Morning<'_>) -> Vec<u8> {
    refusal_reasons_table(m).csv(&m.info.run_id)
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

/// The dip sample, one row per pick. `adverse_info`, `rationale_recorded` and
/// `risk_mitigation` are blank when the export has no such column: not read, so neither yes
/// nor no.
pub fn qa_sample_table(m: &Morning<'_>) -> Table {
    let flag = |column: &str, v: Option<bool>| {
        if m.column_not_read(column) {
            Value::Empty
        } else {
            Value::flag(v)
        }
    };
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
                    flag("adverse_info", v.adverse_info),
                    flag("rationale_recorded", v.rationale_recorded),
                    flag("risk_mitigation", v.risk_mitigation),
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

pub const QA_VERDICT_COLUMNS: [&str; 9] = [
    "sample_run_id",
    "vetting_ref",
    "sample",
    "decision_date",
    "verdict",
    "reason",
    "by",
    "recorded_at",
    "correction",
];

/// Every QA verdict in force when the run started, by the run that sampled the decision,
/// then by reference and decision date; the reason whole. No rows for a night stored before
/// verdicts were kept.
pub fn qa_verdicts_table(m: &Morning<'_>) -> Table {
    let rows = (m.qa_verdicts.map(|q| q.by_run()).unwrap_or_default())
        .into_iter()
        .map(|r| {
            vec![
                Value::text(&r.run_id),
                Value::text(&r.vetting_ref),
                Value::text(&r.sample),
                Value::text(&r.decision_date),
                Value::text(r.verdict.as_str()),
                Value::text(&r.reason),
                Value::text(&r.by),
                Value::text(&r.at),
                Value::Flag(r.correction),
            ]
        })
        .collect();
    Table {
        columns: &QA_VERDICT_COLUMNS,
        rows,
    }
}

pub fn qa_verdicts(m: &Morning<'_>) -> Vec<u8> {
    qa_verdicts_table(m).csv(&m.info.run_id)
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

pub const TREND_COLUMNS: [&str; 5] = ["run_id", "as_of", "code", "count", "checked"];

/// Exceptions per code for the earlier runs in the trend window and this run, oldest first.
/// A code a night did not check (it did not read the feed that raises it) has no count and
/// `checked` = no; a zero is a night that checked and found none.
pub fn trend(m: &Morning<'_>) -> Vec<u8> {
    let mut w = csv_writer();
    w.write_record(TREND_COLUMNS).expect("in-memory write");
    for point in trend_points(m) {
        for (code, n) in &point.counts {
            let (count, checked) = match n {
                Some(n) => (n.to_string(), "yes"),
                None => (String::new(), "no"),
            };
            w.write_record([point.run_id, &point.as_of, code, &count, checked])
                .expect("in-memory write");
        }
    }
    finish(w)
}

/// One night of the trend: its counts per code, None for a code it did not check.
pub struct TrendNight<'m> {
    pub run_id: &'m str,
    pub as_of: String,
    /// In code order as exceptions.csv spells them.
    pub counts: Vec<(String, Option<usize>)>,
}

/// The earlier runs in the trend window and this run, oldest first (what trend.csv and the
/// page's charts show). A stored night from before feeds were kept reads every code as
/// checked, as it did then.
pub fn trend_points<'m>(m: &'m Morning<'_>) -> Vec<TrendNight<'m>> {
    let says = m.feeds.says_what_was_not_checked();
    let mut out: Vec<TrendNight<'m>> = m
        .past
        .trend
        .iter()
        .map(|p| TrendNight {
            run_id: &p.run_id,
            as_of: p.as_of.clone(),
            counts: p
                .counts
                .iter()
                .map(|(c, n)| (c.clone(), (!says || p.checked(c)).then_some(*n)))
                .collect(),
        })
        .collect();
    let unchecked =
        |c: &str| crate::assess::Code::parse(c).is_some_and(|code| m.unchecked(code).is_some());
    out.push(TrendNight {
        run_id: &m.info.run_id,
        as_of: m.info.as_of.to_string(),
        counts: m
            .counts()
            .into_iter()
            .map(|(c, n)| {
                let checked = !unchecked(&c);
                (c, checked.then_some(n))
            })
            .collect(),
    });
    out
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

/// New, resolved and persisting exceptions against the previous run (empty on the first),
/// then those of a code one of the two nights did not check: `not_checked` (the previous
/// run's, whose feed tonight did not read: not resolved) and `not_checked_before` (tonight's,
/// whose feed the previous run did not read: not new). Identities come from exceptions.csv,
/// already spreadsheet-safe.
pub fn changes(m: &Morning<'_>) -> Vec<u8> {
    let mut w = csv_writer();
    w.write_record(CHANGES_COLUMNS).expect("in-memory write");
    if let (Some(d), Some(prev)) = (&m.changes, &m.past.previous) {
        for (label, rows) in [
            ("new", &d.new),
            ("resolved", &d.resolved),
            ("persisting", &d.persisting),
            ("not_checked", &d.not_checked),
            ("not_checked_before", &d.not_checked_before),
            ("posting_started", &d.posting_started),
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
