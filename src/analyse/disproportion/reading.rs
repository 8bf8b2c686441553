//! A flagged comparison in plain words, as the page gives it under its characteristic: the
//! group's rate against the reference's, the ratio and interval, the four-fifths ratio when
//! under the threshold, and whether the difference is significant or could be chance, with
//! what to look at next.

use super::{Analysis, Characteristic, GroupRow, Stage};

/// A plain-words reading of one flagged comparison of the refusal stage.
/// `a` gives the settings and how many comparisons the night made.
pub fn reading(c: &Characteristic, row: &GroupRow, a: &Analysis) -> Option<String> {
    reading_at(Stage::Refusal, c, row, a)
}

/// `reading`, for a row of `c` at `stage`.
pub fn reading_at(
    stage: Stage,
    c: &Characteristic,
    row: &GroupRow,
    a: &Analysis,
) -> Option<String> {
    let s = &a.settings;
    let f = row.figures.as_ref()?;
    let cmp = f.comparison.as_ref()?;
    if !cmp.flagged() {
        return None;
    }
    let reference = c.reference.as_deref()?;
    let ref_figures = c
        .rows
        .iter()
        .find(|r| r.is_reference)
        .and_then(|r| r.figures.as_ref())?;
    let (what, rate, advice, accumulate) = match stage {
        Stage::Refusal => (
            "refused in",
            "pass-rate",
            "look at the refusal reasons for this group and whether a common cause, such as undisclosed associates, explains them",
            "decisions",
        ),
        Stage::AppealLodged => (
            "appealed",
            "appeal-rate",
            "check that refused applicants in this group are told of the right to appeal and how to use it",
            "refusals",
        ),
        Stage::AppealUpheld => (
            "upheld on appeal in",
            "upheld-rate",
            "look at how this group's appeals were heard and on what grounds they were dismissed",
            "appeals",
        ),
    };
    let mut text = format!(
        "{name} {group}: {what} {} of {} {cases} ({:.1}%) against {} of {} ({:.1}%) for {reference}",
        f.outcomes,
        f.cases,
        100.0 * f.rate(),
        ref_figures.outcomes,
        ref_figures.cases,
        100.0 * ref_figures.rate(),
        name = c.name,
        group = row.group,
        cases = stage.cases(),
    );
    if let Some(rr) = cmp.relative_rate {
        text += &format!(
            ", {:.2} times the reference rate (95% interval {:.2} to {:.2})",
            rr.ratio, rr.low, rr.high
        );
    }
    text += ". ";
    if let Some(air) = cmp.adverse_impact_ratio {
        if cmp.four_fifths_flag {
            text += &format!(
                "The {rate} ratio is {air:.2}, below the four-fifths threshold of {:.2}. ",
                s.four_fifths
            );
        }
    }
    let p = p_text(cmp.p_value);
    let tested = match a.comparisons {
        0 | 1 => format!("Fisher's exact test p = {p}"),
        m => format!(
            "Fisher's exact test p = {p}, {} once allowed for the {m} comparisons made tonight",
            p_text(cmp.adjusted_p)
        ),
    };
    text += &if cmp.significant {
        format!("The difference is statistically significant ({tested}): {advice}.")
    } else {
        format!(
            "At these numbers the difference could be chance ({tested}): keep it under watch as {accumulate} accumulate."
        )
    };
    Some(text)
}

/// A p-value as people read it: four decimals, or "< 0.0001".
pub fn p_text(p: f64) -> String {
    if p < 0.0001 {
        "< 0.0001".into()
    } else {
        format!("{p:.4}")
    }
}
