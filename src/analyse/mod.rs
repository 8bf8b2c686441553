//! Analyse: the figures a vetting manager needs beyond the exception list.
//!
//! Each analysis reads the same linked facts the rules read (or the raw vetting records) and
//! returns plain data; `report` turns that data into CSV, HTML and the spreadsheet. Nothing
//! here formats text for a file or reads the clock, so a stored run's analyses are
//! reproduced exactly on replay.

pub mod conditions;
pub mod coverage;
pub mod declarations;
pub mod disproportion;
pub mod forecast;
pub mod jml;
pub mod moves;
pub mod post_register;
pub mod postings;
pub mod qa_sample;
pub mod register;
pub mod review;
pub mod sanctions;
pub mod settings;
pub mod signals;
pub mod stats;
pub mod triggers;
pub mod unit;

use crate::model::Levels;
use chrono::{Months, NaiveDate};
use settings::RawReport;

/// The window of decisions an analysis reads: the last `months` months up to the as-of
/// date, both ends included. The one definition the disproportionality analysis, the QA
/// sample, their CSV and xlsx columns (`window_from`, `window_to`) and the page all use, so
/// "from 24 November 2025" means a decision made on 24 November 2025 counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    /// The `months` months ending on `as_of`.
    pub fn ending(as_of: NaiveDate, months: u32) -> Window {
        Window {
            from: as_of
                .checked_sub_months(Months::new(months))
                .unwrap_or(NaiveDate::MIN),
            to: as_of,
        }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// Validated `[report]` settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportPolicy {
    pub worklist_size: usize,
    pub review_queue_size: usize,
    pub trend_runs: usize,
    pub forecast_months: u32,
    pub what_if: forecast::WhatIf,
    pub disproportionality: disproportion::DisproportionSettings,
    pub qa_sample: qa_sample::QaSettings,
}

impl ReportPolicy {
    pub fn build(raw: &RawReport, levels: &Levels) -> Result<ReportPolicy, String> {
        if !(1..=120).contains(&raw.forecast_months) {
            return Err("report.forecast_months must be between 1 and 120".into());
        }
        if raw.trend_runs == 0 {
            return Err("report.trend_runs must be at least 1".into());
        }
        let d = &raw.disproportionality;
        if d.window_months == 0 || raw.qa_sample.window_months == 0 {
            return Err("report window_months must be at least 1".into());
        }
        if d.minimum_group == 0 {
            return Err("report.disproportionality.minimum_group must be at least 1".into());
        }
        if !(0.0..=1.0).contains(&d.four_fifths) || !(0.0..=1.0).contains(&d.significance) {
            return Err(
                "report.disproportionality.four_fifths and significance must be between 0 and 1"
                    .into(),
            );
        }
        let pairs: Vec<(String, String)> = raw
            .what_if
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let what_if =
            forecast::what_if_from(&pairs, levels).map_err(|e| format!("report.what_if: {e}"))?;
        Ok(ReportPolicy {
            worklist_size: raw.worklist_size,
            review_queue_size: raw.review_queue_size,
            trend_runs: raw.trend_runs,
            forecast_months: raw.forecast_months,
            what_if,
            disproportionality: disproportion::DisproportionSettings {
                window_months: d.window_months,
                minimum_group: d.minimum_group,
                four_fifths: d.four_fifths,
                significance: d.significance,
                reference: d.reference.clone(),
            },
            qa_sample: qa_sample::QaSettings {
                window_months: raw.qa_sample.window_months,
                refusals: raw.qa_sample.refusals,
                adverse_grants: raw.qa_sample.adverse_grants,
            },
        })
    }
}

#[cfg(test)]
mod window_tests {
    use super::Window;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_window_includes_its_first_and_last_day_and_nothing_outside() {
        let w = Window::ending(d("2026-11-24"), 12);
        assert_eq!((w.from, w.to), (d("2025-11-24"), d("2026-11-24")));
        assert!(!w.contains(d("2025-11-23")));
        assert!(w.contains(d("2025-11-24")));
        assert!(w.contains(d("2026-11-24")));
        assert!(!w.contains(d("2026-11-25")));
    }
}
