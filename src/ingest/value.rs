//! Parsing single cell values: dates, booleans, lists.
//!
//! Each parser returns a reason string on failure; the row parser turns it into a reject
//! that names the column. Nothing here knows about files or lines.

use chrono::format::{parse as parse_items, Item, Parsed, StrftimeItems};
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;

/// Characters that show as nothing: zero-width spaces and joiners, word joiners, direction
/// marks and overrides, the byte-order mark anywhere but the start, the soft hyphen. Pasted
/// from a web page or a Word document into an id, they make `E1008` and `E1008\u{200b}` two
/// people who look the same in every output.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{180e}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}' | '\u{feff}')
}

/// An identifier (employee id, reference, post id, header cell) as compared and kept:
/// invisible characters removed, no-break and other Unicode spaces made plain spaces, and
/// trimmed. Borrowed when there was nothing to do (every plain ASCII id).
pub fn clean_id(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s.trim());
    }
    let cleaned: String = s
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    Cow::Owned(cleaned.trim().to_string())
}

/// The form two ids are compared in: cleaned and case-folded, so `e1008` and `E1008` are one
/// person (two people whose ids differ only by case would look the same in every output).
pub fn id_key(s: &str) -> String {
    clean_id(s).to_uppercase()
}

/// The accepted date formats (chrono `strftime` syntax), in the config's order.
///
/// A value is read with the first format that accepts it. When the list holds both a
/// day-first and a month-first form of the same layout (`%d/%m/%Y` and `%m/%d/%Y`), a value
/// both accept with different results (`01/02/2003`) is refused as ambiguous rather than read
/// by list order: a date of birth guessed wrongly links a record to the wrong person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormats {
    formats: Vec<String>,
    /// Each format parsed into chrono's items once: `NaiveDate::parse_from_str` re-reads the
    /// format string for every value, which would be most of the cost of a date on a large
    /// export.
    /// Parsing against these items is exactly what `parse_from_str` does with the string.
    items: Vec<Vec<Item<'static>>>,
    /// The list holds a day/month-swapped pair, so every format must be tried.
    try_all: bool,
}

impl DateFormats {
    pub fn new(formats: Vec<String>) -> DateFormats {
        let swap = |f: &str| {
            f.replace("%d", "\0")
                .replace("%m", "%d")
                .replace("\0", "%m")
        };
        let try_all = formats
            .iter()
            .any(|f| swap(f) != *f && formats.contains(&swap(f)));
        let items = formats
            .iter()
            .map(|f| {
                // A format chrono cannot read is refused by config validation; here it is kept
                // as its one error item, which no value parses against (as with the string).
                StrftimeItems::new(f)
                    .parse_to_owned()
                    .unwrap_or_else(|_| vec![Item::Error])
            })
            .collect();
        DateFormats {
            formats,
            items,
            try_all,
        }
    }

    pub fn list(&self) -> &[String] {
        &self.formats
    }

    /// Parse a date, or say why not in words an operator can act on. A year outside
    /// `PLAUSIBLE_YEARS` is no date any export means (chrono reads `+10000-01-01` and
    /// `0000-01-01`), whatever the column.
    pub fn parse(&self, s: &str) -> Result<NaiveDate, String> {
        let d = self.parse_any_year(s)?;
        if !PLAUSIBLE_YEARS.contains(&d.year()) {
            return Err(format!(
                "the year is outside {}-{}: not a date any export means",
                PLAUSIBLE_YEARS.start(),
                PLAUSIBLE_YEARS.end()
            ));
        }
        Ok(d)
    }

    fn parse_any_year(&self, s: &str) -> Result<NaiveDate, String> {
        let s = s.trim();
        let mut found: Option<(NaiveDate, &str)> = None;
        for (f, items) in self.formats.iter().zip(&self.items) {
            let mut parsed = Parsed::new();
            let Ok(d) =
                parse_items(&mut parsed, s, items.iter()).and_then(|()| parsed.to_naive_date())
            else {
                continue;
            };
            match found {
                None if !self.try_all => return Ok(d),
                None => found = Some((d, f)),
                // The two readings are not quoted: the reason reaches `check`'s report and
                // the log, where no date of birth may appear.
                Some((first, ff)) if first != d => {
                    return Err(format!(
                        "ambiguous date: {} and {} read it as two different dates",
                        human_format(ff),
                        human_format(f)
                    ))
                }
                Some(_) => {}
            }
        }
        if let Some((d, _)) = found {
            return Ok(d);
        }
        let shown: Vec<String> = self.formats.iter().map(|f| human_format(f)).collect();
        Err(format!(
            "not a valid date in any accepted format ({})",
            shown.join(", ")
        ))
    }
}

/// Years a date in an input may have.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;

/// `%Y-%m-%d` -> `YYYY-MM-DD`, for messages an operator can read.
pub fn human_format(f: &str) -> String {
    f.replace("%Y", "YYYY")
        .replace("%m", "MM")
        .replace("%d", "DD")
        .replace("%y", "YY")
}

/// yes/no, y/n, true/false, 1/0 in any case. A blank is no answer (callers decide what a
/// blank means: `ingest::required_flag`, `ingest::optional_flag`), never `false`.
pub fn parse_bool(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "t" | "1" => Ok(true),
        "no" | "n" | "false" | "f" | "0" => Ok(false),
        _ => Err("not a yes/no value (yes/no, y/n, true/false, 1/0)".into()),
    }
}

/// A `;`-separated list, blanks dropped.
pub fn parse_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_lose_invisible_characters_and_compare_without_case() {
        assert_eq!(clean_id(" E1008 "), "E1008");
        assert_eq!(clean_id("E10\u{200b}08\u{feff}"), "E1008");
        assert_eq!(clean_id("\u{00a0}E1008\u{00a0}"), "E1008");
        assert_eq!(clean_id("PAY\u{00a0}12"), "PAY 12");
        assert_eq!(clean_id("\u{200b}"), "");
        assert_eq!(id_key("e1008"), id_key("E1008\u{2060}"));
        assert_ne!(id_key("E1008"), id_key("E1009"));
    }

    fn fmts() -> Vec<String> {
        vec!["%Y-%m-%d".into(), "%d/%m/%Y".into()]
    }

    fn parse_date(s: &str, formats: &[String]) -> Result<NaiveDate, String> {
        DateFormats::new(formats.to_vec()).parse(s)
    }

    #[test]
    fn compiled_date_formats_read_exactly_what_parse_from_str_reads() {
        // The formats are parsed into chrono items once; every value must read as the
        // string format read it, including the odd ones chrono accepts or refuses.
        let formats = [
            "%Y-%m-%d",
            "%d/%m/%Y",
            "%d.%m.%y",
            "%Y%m%d",
            "%e %b %Y",
            "%Y-%m-%d %Q",
        ];
        let values = [
            "1986-07-03",
            "1986-7-3",
            " 1986-07-03",
            "1986-07-03 ",
            "2024-02-30",
            "+10000-01-01",
            "03/07/1986",
            "3/7/1986",
            "03.07.86",
            "19860703",
            " 3 Jul 1986",
            "3 jul 1986",
            "1986-07-03 x",
            "",
            "not a date",
        ];
        for f in formats {
            let compiled = DateFormats::new(vec![f.to_string()]);
            for v in values {
                let by_string = NaiveDate::parse_from_str(v.trim(), f).ok();
                let by_items = compiled.parse_any_year(v).ok();
                assert_eq!(by_items, by_string, "format {f:?}, value {v:?}");
            }
        }
    }

    #[test]
    fn iso_and_uk_dates() {
        let d = NaiveDate::from_ymd_opt(1986, 7, 3).unwrap();
        assert_eq!(parse_date("1986-07-03", &fmts()), Ok(d));
        assert_eq!(parse_date("03/07/1986", &fmts()), Ok(d));
        assert_eq!(parse_date(" 3/7/1986 ", &fmts()), Ok(d));
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in [
            "31/02/1980",
            "1980-02-30",
            "2023-13-01",
            "00/01/1990",
            "yesterday",
            "",
            "1990/01/01",
        ] {
            let e = parse_date(bad, &fmts()).unwrap_err();
            assert!(e.contains("YYYY-MM-DD, DD/MM/YYYY"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_date_both_day_first_and_month_first_formats_read_differently_is_refused() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let uk = DateFormats::new(vec!["%d/%m/%Y".into()]);
        let us = DateFormats::new(vec!["%m/%d/%Y".into()]);
        let both = DateFormats::new(vec![
            "%Y-%m-%d".into(),
            "%d/%m/%Y".into(),
            "%m/%d/%Y".into(),
        ]);
        assert_eq!(uk.parse("01/02/2003"), Ok(d(2003, 2, 1)));
        assert_eq!(us.parse("01/02/2003"), Ok(d(2003, 1, 2)));
        assert_eq!(
            both.parse("01/02/2003"),
            Err("ambiguous date: DD/MM/YYYY and MM/DD/YYYY read it as two different dates".into())
        );
        // Only one reading exists, or both readings agree: not ambiguous.
        assert_eq!(both.parse("13/02/2003"), Ok(d(2003, 2, 13)));
        assert_eq!(both.parse("02/13/2003"), Ok(d(2003, 2, 13)));
        assert_eq!(both.parse("05/05/2003"), Ok(d(2003, 5, 5)));
        assert_eq!(both.parse("2003-02-01"), Ok(d(2003, 2, 1)));
        // Without a swapped pair the first format that accepts wins, as listed.
        assert!(!DateFormats::new(vec!["%Y-%m-%d".into(), "%d/%m/%Y".into()]).try_all);
        assert!(both.try_all);
    }

    #[test]
    fn booleans_in_every_spelling() {
        for t in ["yes", "Y", "TRUE", "true", "1", "t"] {
            assert_eq!(parse_bool(t), Ok(true), "{t}");
        }
        for f in ["no", "N", "False", "0"] {
            assert_eq!(parse_bool(f), Ok(false), "{f}");
        }
        assert!(parse_bool("maybe").is_err());
        assert!(parse_bool("").is_err(), "a blank is no answer, not no");
        assert!(parse_bool("  ").is_err());
    }

    #[test]
    fn lists_split_on_semicolons() {
        assert_eq!(parse_list("Smith; Jones ;;"), vec!["Smith", "Jones"]);
        assert!(parse_list("").is_empty());
    }
}
