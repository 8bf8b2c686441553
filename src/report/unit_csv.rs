//! The CSV twins of "The unit's work" (docs/output.md, "The morning outputs"), and the
//! workbook's sheets of the same tables: unit_backlog.csv, unit_open_cases.csv,
//! unit_trend.csv, unit_throughput.csv, unit_timeliness.csv, unit_demand.csv,
//! unit_clearing.csv and unit_appeals.csv, each with `run_id` first, and the workbook's
//! Decision makers sheet, which has no CSV twin (decision makers are never on the page).
//!
//! Every file ends with `not_read`: blank where a figure was read, otherwise why not, in
//! the page's words; a figure not read has no number, never a zero. An export with no
//! casework columns gives each file one row saying so. Columns are part of the public
//! contract: only ever added at the end.

use super::morning::Morning;
use super::table::{Table, Value};
use crate::analyse::unit::backlog::{BandRow, BAND_LABELS};
use crate::analyse::unit::demand::{Clears, DemandRow, Source, Total};
use crate::analyse::unit::{Figure, NotRead, Unit, Work};

/// Why a figure was not read, as the page and the files say it.
pub fn not_read_text(n: &NotRead) -> String {
    match n {
        NotRead::Columns(c) => match c.as_slice() {
            [one] => format!("not read: the vetting export has no {one} column"),
            many => format!(
                "not read: the vetting export has no {} columns",
                many.join(", ")
            ),
        },
        NotRead::NoPlan => "not read: no recruitment plan was read tonight".into(),
    }
}

/// The one line of a night whose export carries no casework columns.
pub fn no_columns_text() -> String {
    format!(
        "not read: the vetting export carries no casework columns ({}), so the unit's work was not read",
        crate::model::casework::COLUMNS.join(", ")
    )
}

/// The work, or the one row every file has when it was not read.
fn read<'m>(m: &'m Morning<'_>, columns: &'static [&'static str]) -> Result<&'m Work, Table> {
    match &m.unit {
        Unit::Read(w) => Ok(w),
        Unit::NoColumns => {
            let mut row: Vec<Value> = (1..columns.len()).map(|_| Value::Empty).collect();
            row.push(Value::text(no_columns_text()));
            Err(Table {
                columns,
                rows: vec![row],
            })
        }
    }
}

fn join(mut a: Vec<Value>, b: Vec<Value>) -> Vec<Value> {
    a.extend(b);
    a
}

fn text(s: &str) -> Value {
    Value::text(s)
}

fn int(n: usize) -> Value {
    Value::Int(n as i64)
}

/// `n` blanks then why not: a figure not read.
fn not_read_row(lead: Vec<Value>, blanks: usize, n: &NotRead) -> Vec<Value> {
    let mut row = lead;
    row.extend((0..blanks).map(|_| Value::Empty));
    row.push(Value::text(not_read_text(n)));
    row
}

pub const BACKLOG_COLUMNS: [&str; 5] = ["breakdown", "group", "age_band", "open_cases", "not_read"];

/// One row per breakdown (`all`, `case_type`, `stage`, `role_risk`), group and age band,
/// then the group's `all` row. Without application_date the bands say not read.
pub fn backlog_table(m: &Morning<'_>) -> Table {
    let w = match read(m, &BACKLOG_COLUMNS) {
        Ok(w) => w,
        Err(t) => return t,
    };
    let b = &w.backlog;
    let mut rows = Vec::new();
    let group = |rows: &mut Vec<Vec<Value>>, breakdown: &str, r: &BandRow| {
        for (i, label) in BAND_LABELS.iter().enumerate() {
            let lead = vec![text(breakdown), text(&r.group), text(label)];
            match &b.age {
                Ok(()) => {
                    let n = r.bands.get(i).copied().unwrap_or(0);
                    rows.push(join(lead, vec![int(n), Value::Empty]));
                }
                Err(e) => rows.push(not_read_row(lead, 1, e)),
            }
        }
        rows.push(vec![
            text(breakdown),
            text(&r.group),
            text("all"),
            int(r.total()),
            Value::Empty,
        ]);
    };
    group(&mut rows, "all", &b.all);
    for (breakdown, f) in [("case_type", &b.by_case_type), ("stage", &b.by_stage)] {
        match f {
            Ok(rs) => rs.iter().for_each(|r| group(&mut rows, breakdown, r)),
            Err(e) => rows.push(not_read_row(vec![text(breakdown)], 3, e)),
        }
    }
    for r in &b.by_risk {
        group(&mut rows, "role_risk", r);
    }
    Table {
        columns: &BACKLOG_COLUMNS,
        rows,
    }
}

pub const OPEN_CASES_COLUMNS: [&str; 11] = [
    "vetting_ref",
    "level",
    "case_type",
    "stage",
    "application_date",
    "age_days",
    "age_band",
    "role_risk",
    "employee_id",
    "post_id",
    "not_read",
];

/// Every open case, oldest first (a blank application date last).
pub fn open_cases_table(m: &Morning<'_>) -> Table {
    let w = match read(m, &OPEN_CASES_COLUMNS) {
        Ok(w) => w,
        Err(t) => return t,
    };
    let aged = w.backlog.age.is_ok();
    let opt = |s: Option<&str>| s.map_or(Value::Empty, Value::text);
    // A blank cell of a column the export lacks says so in `not_read`, unlike a blank a
    // record left unrecorded.
    let missing: Vec<&str> = ["case_type", "stage", "application_date"]
        .into_iter()
        .filter(|c| !m.data.vetting_columns.contains(c))
        .collect();
    let why = match missing.as_slice() {
        [] => None,
        cols => Some(not_read_text(&NotRead::Columns(cols.to_vec()))),
    };
    let rows = (w.backlog.cases.iter())
        .map(|c| {
            let band = crate::analyse::unit::backlog::band_of(c.age_days);
            vec![
                text(&c.vetting_ref),
                text(&c.level),
                opt(c.case_type.as_deref()),
                opt(c.stage.as_deref()),
                Value::date(c.application_date),
                c.age_days.map_or(Value::Empty, Value::Int),
                if aged {
                    opt(BAND_LABELS.get(band).copied())
                } else {
                    Value::Empty
                },
                text(c.risk.as_str()),
                opt(c.employee_id.as_deref()),
                opt(c.post_id.as_deref()),
                why.as_deref().map_or(Value::Empty, Value::text),
            ]
        })
        .collect();
    Table {
        columns: &OPEN_CASES_COLUMNS,
        rows,
    }
}

pub const TREND_COLUMNS: [&str; 6] = [
    "night_run_id",
    "as_of",
    "case_type",
    "open_cases",
    "recorded",
    "not_read",
];

/// Open cases per night of the trend window, this night last: `all`, then each case type
/// the night kept. A night that kept none has one row, `recorded` = no and no count.
pub fn trend_table(m: &Morning<'_>) -> Table {
    let w = match read(m, &TREND_COLUMNS) {
        Ok(w) => w,
        Err(t) => return t,
    };
    let mut rows = Vec::new();
    for n in &w.trend.nights {
        let lead = || vec![text(&n.run_id), text(&n.as_of)];
        match &n.open {
            None => rows.push(join(
                lead(),
                vec![text("all"), Value::Empty, Value::Flag(false), Value::Empty],
            )),
            Some(o) => {
                let counts = std::iter::once(("all", o.total)).chain(
                    o.by_case_type
                        .iter()
                        .flatten()
                        .map(|(t, n)| (t.as_str(), *n)),
                );
                for (t, k) in counts {
                    rows.push(join(
                        lead(),
                        vec![text(t), int(k), Value::Flag(true), Value::Empty],
                    ));
                }
            }
        }
    }
    Table {
        columns: &TREND_COLUMNS,
        rows,
    }
}

pub const THROUGHPUT_COLUMNS: [&str; 6] =
    ["month", "from", "to", "case_type", "decisions", "not_read"];

/// Decisions per calendar month of the window (`from` and `to` the days inside it): `all`,
/// then each case type.
pub fn throughput_table(m: &Morning<'_>) -> Table {
    let w = match read(m, &THROUGHPUT_COLUMNS) {
        Ok(w) => w,
        Err(t) => return t,
    };
    let t = &w.throughput;
    let mut rows = Vec::new();
    let types: &[String] = t.case_types.as_deref().unwrap_or(&[]);
    for mr in &t.months {
        let lead = || {
            vec![
                Value::Date(mr.month),
                Value::Date(mr.from),
                Value::Date(mr.to),
            ]
        };
        rows.push(join(lead(), vec![text("all"), int(mr.total), Value::Empty]));
        for (ty, n) in types.iter().zip(&mr.by_type) {
            rows.push(join(lead(), vec![text(ty), int(*n), Value::Empty]));
        }
    }
    if let Err(e) = &t.case_types {
        rows.push(not_read_row(vec![], 5, e));
    }
    Table {
        columns: &THROUGHPUT_COLUMNS,
        rows,
    }
}

pub const TIMELINESS_COLUMNS: [&str; 8] = [
    "window_from",
    "window_to",
    "case_type",
    "decisions",
    "with_application_date",
    "median_days",
    "p90_days",
    "not_read",
];

/// Days from application to decision per case type, then `all`; the median and 90th
/// percentile blank where no decision has an application date.
pub fn timeliness_table(m: &Morning<'_>) -> Table {
    let w = match read(m, &TIMELINESS_COLUMNS) {
        Ok(w) => w,
        Err(t) => return t,
    };
    let t = &w.throughput;
    let lead = || vec![Value::Date(t.window.from), Value::Date(t.window.to)];
    let rows = match &t.timeliness {
        Err(e) => vec![not_read_row(lead(), 5, e)],
        Ok(rs) => rs
            .iter()
            .map(|r| {
                join(
                    lead(),
                    vec![
                        text(&r.group),
                        int(r.decisions),
                        int(r.with_dates),
                        Value::num(r.median_days),
                        Value::num(r.p90_days),
                        Value::Empty,
                    ],
                )
            })
            .collect(),
    };
    Table {
        columns: &TIMELINESS_COLUMNS,
        rows,
    }
}

pub const DEMAND_COLUMNS: [&str; 12] = [
    "case_type",
    "source",
    "open_now",
    "overdue",
    "incoming",
    "monthly_rate",
    "cases",
    "hours_per_case",
    "hours",
    "fte",
    "what_if",
    "not_read",
];

/// How a row's `source` is written.
pub fn source_text(s: &Source) -> &'static str {
    match s {
        Source::Forecast => "renewal_forecast",
        Source::WhatIf(_) => "renewal_forecast_what_if",
        Source::Plan => "recruitment_plan",
        Source::LastYear => "last_12_months",
    }
}

/// The row's first figure not read, if any.
fn first_not_read(r: &DemandRow) -> Option<&NotRead> {
    [
        r.open_now.as_ref().err(),
        r.incoming.as_ref().err(),
        r.cases.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    .next()
}

fn demand_row(r: &DemandRow, per_fte: f64) -> Vec<Value> {
    let count = |f: &Figure<u64>| f.as_ref().map_or(Value::Empty, |n| Value::Int(*n as i64));
    let what_if = match &r.source {
        Source::WhatIf(d) => text(d),
        _ => Value::Empty,
    };
    vec![
        text(&r.case_type),
        text(source_text(&r.source)),
        r.open_now.as_ref().map_or(Value::Empty, |n| int(*n)),
        r.overdue.map_or(Value::Empty, |n| Value::Int(n as i64)),
        count(&r.incoming),
        Value::num(r.monthly_rate),
        count(&r.cases),
        Value::num(r.hours_per_case),
        Value::num(r.hours()),
        Value::num(r.fte(per_fte)),
        what_if,
        first_not_read(r).map_or(Value::Empty, |n| text(&not_read_text(n))),
    ]
}

/// What a total row says when it leaves rows out.
pub const PARTIAL_TOTAL: &str =
    "partial: the rows not read, or whose case type has no hours_per_case, are left out";

fn total_row(source: &str, t: &Total, what_if: Option<&str>) -> Vec<Value> {
    vec![
        text("all"),
        text(source),
        Value::Empty,
        Value::Empty,
        Value::Empty,
        Value::Empty,
        Value::Int(t.cases as i64),
        Value::Empty,
        Value::Num(t.hours),
        Value::Num(t.fte),
        what_if.map_or(Value::Empty, text),
        if t.complete {
            Value::Empty
        } else {
            text(PARTIAL_TOTAL)
        },
    ]
}

/// One row per demand row, then the what-if's renewals, then `total` (and `total_what_if`).
pub fn demand_table(m: &Morning<'_>) -> Table {
    let w = match read(m, &DEMAND_COLUMNS) {
        Ok(w) => w,
        Err(t) => return t,
    };
    let d = &w.demand;
    let per = d.hours_per_fte_year;
    let mut rows: Vec<Vec<Value>> = d.rows.iter().map(|r| demand_row(r, per)).collect();
    rows.extend(d.what_if.iter().map(|r| demand_row(r, per)));
    rows.push(total_row("total", &d.total(), None));
    if let (Some(t), Some(Source::WhatIf(desc))) =
        (d.total_what_if(), d.what_if.as_ref().map(|r| &r.source))
    {
        rows.push(total_row("total_what_if", &t, Some(desc)));
    }
    Table {
        columns: &DEMAND_COLUMNS,
        rows,
    }
}

pub const CLEARING_COLUMNS: [&str; 7] = [
    "open_cases",
    "monthly_decisions",
    "monthly_incoming",
    "months",
    "clears",
    "recruits_from",
    "not_read",
];

/// When the backlog clears, as `clears` writes it.
pub fn clears_text(c: &Clears) -> String {
    match c {
        Clears::NoBacklog => "no open cases".into(),
        Clears::In { month, .. } => month.format("%Y-%m").to_string(),
        Clears::Never => "never at current throughput".into(),
    }
}

/// One row: the backlog, the monthly rates it is cleared by, and when.
pub fn clearing_table(m: &Morning<'_>) -> Table {
    let w = match read(m, &CLEARING_COLUMNS) {
        Ok(w) => w,
        Err(t) => return t,
    };
    let row = match &w.demand.clearing {
        Err(e) => not_read_row(vec![], 6, e),
        Ok(c) => vec![
            int(c.backlog),
            Value::Num(c.monthly_decisions),
            Value::Num(c.monthly_incoming),
            match c.clears {
                Clears::In { months, .. } => Value::Int(months as i64),
                _ => Value::Empty,
            },
            text(&clears_text(&c.clears)),
            text(if c.recruits_at_rate {
                "last_12_months"
            } else {
                "recruitment_plan"
            }),
            Value::Empty,
        ],
    };
    Table {
        columns: &CLEARING_COLUMNS,
        rows: vec![row],
    }
}

pub const APPEALS_COLUMNS: [&str; 10] = [
    "breakdown",
    "group",
    "appeals",
    "lodged",
    "upheld",
    "dismissed",
    "withdrawn",
    "with_dates",
    "median_days",
    "not_read",
];

/// `all`, then each level and each case type with an appeal.
pub fn appeals_table(m: &Morning<'_>) -> Table {
    let w = match read(m, &APPEALS_COLUMNS) {
        Ok(w) => w,
        Err(t) => return t,
    };
    let a = match &w.appeals {
        Ok(a) => a,
        Err(e) => {
            return Table {
                columns: &APPEALS_COLUMNS,
                rows: vec![not_read_row(vec![], 9, e)],
            }
        }
    };
    let row = |breakdown: &str, r: &crate::analyse::unit::appeals::AppealRow| {
        let mut v = vec![text(breakdown), text(&r.group), int(r.appeals())];
        v.extend(r.by_status.iter().map(|n| int(*n)));
        match &a.days {
            Ok(()) => v.extend([int(r.timed), Value::num(r.median_days), Value::Empty]),
            Err(e) => v.extend([Value::Empty, Value::Empty, text(&not_read_text(e))]),
        }
        v
    };
    let mut rows = vec![row("all", &a.total)];
    rows.extend(a.by_level.iter().map(|r| row("level", r)));
    match &a.by_case_type {
        Ok(rs) => rows.extend(rs.iter().map(|r| row("case_type", r))),
        Err(e) => rows.push(not_read_row(vec![text("case_type")], 8, e)),
    }
    Table {
        columns: &APPEALS_COLUMNS,
        rows,
    }
}

pub const INTERVIEW_COLUMNS: [&str; 7] = [
    "adverse_category",
    "since",
    "decisions",
    "held",
    "not_held",
    "not_recorded",
    "not_read",
];

/// Adverse decisions needing an interview, per interview category, then `all`.
pub fn interviews_table(m: &Morning<'_>) -> Table {
    let w = match read(m, &INTERVIEW_COLUMNS) {
        Ok(w) => w,
        Err(t) => return t,
    };
    let i = match &w.interviews {
        Ok(i) => i,
        Err(e) => {
            return Table {
                columns: &INTERVIEW_COLUMNS,
                rows: vec![not_read_row(vec![], 6, e)],
            }
        }
    };
    let row = |r: &crate::analyse::unit::InterviewRow| {
        vec![
            text(&r.category),
            Value::Date(i.since),
            int(r.decisions()),
            int(r.held),
            int(r.not_held),
            int(r.not_recorded),
            Value::Empty,
        ]
    };
    let mut rows: Vec<Vec<Value>> = i.rows.iter().map(row).collect();
    rows.push(row(&i.total()));
    Table {
        columns: &INTERVIEW_COLUMNS,
        rows,
    }
}

pub const DECISION_MAKER_COLUMNS: [&str; 8] = [
    "decision_maker",
    "cases",
    "open_cases",
    "decisions",
    "granted",
    "refused",
    "withdrawn",
    "not_read",
];

/// The workbook's Decision makers sheet (no CSV twin): one row per decision maker id.
pub fn decision_makers_table(m: &Morning<'_>) -> Table {
    let w = match read(m, &DECISION_MAKER_COLUMNS) {
        Ok(w) => w,
        Err(t) => return t,
    };
    let rows = match &w.decision_makers {
        Err(e) => vec![not_read_row(vec![], 7, e)],
        Ok(rs) => rs
            .iter()
            .map(|r| {
                vec![
                    text(&r.id),
                    int(r.cases),
                    int(r.open),
                    int(r.decisions),
                    int(r.granted),
                    int(r.refused),
                    int(r.withdrawn),
                    Value::Empty,
                ]
            })
            .collect(),
    };
    Table {
        columns: &DECISION_MAKER_COLUMNS,
        rows,
    }
}

/// The unit's CSV files, by name, in the order the night writes them.
pub fn files(m: &Morning<'_>) -> Vec<(&'static str, Vec<u8>)> {
    let id = m.info.run_id.as_str();
    let tables: [fn(&Morning<'_>) -> Table; 9] = [
        backlog_table,
        open_cases_table,
        trend_table,
        throughput_table,
        timeliness_table,
        demand_table,
        clearing_table,
        appeals_table,
        interviews_table,
    ];
    FILES
        .iter()
        .zip(tables)
        .map(|(name, table)| (*name, table(m).csv(id)))
        .collect()
}

/// The file names `files` gives, for the output list.
pub const FILES: [&str; 9] = [
    "unit_backlog.csv",
    "unit_open_cases.csv",
    "unit_trend.csv",
    "unit_throughput.csv",
    "unit_timeliness.csv",
    "unit_demand.csv",
    "unit_clearing.csv",
    "unit_appeals.csv",
    "unit_interviews.csv",
];
