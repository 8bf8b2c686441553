//! Parsing single cell values: dates, booleans, lists.
//!
//! Each parser returns a reason string on failure; the row parser turns it into a reject
//! that names the column. Nothing here knows about files or lines.

use chrono::NaiveDate;

/// The accepted date formats (chrono `strftime` syntax), in the config's order.
///
/// A value is read with the first format that accepts it. When the list holds both a
/// day-first and a month-first form of the same layout (`%d/%m/%Y` and `%m/%d/%Y`), a value
/// both accept with different results (`01/02/2003`) is refused as ambiguous rather than read
/// by list order: a date of birth guessed wrongly links a record to the wrong person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormats {
    formats: Vec<String>,
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
        DateFormats { formats, try_all }
    }

    pub fn list(&self) -> &[String] {
        &self.formats
    }

    /// Parse a date, or say why not in words an operator can act on.
    pub fn parse(&self, s: &str) -> Result<NaiveDate, String> {
        let s = s.trim();
        let mut found: Option<(NaiveDate, &str)> = None;
        for f in &self.formats {
            let Ok(d) = NaiveDate::parse_from_str(s, f) else {
                continue;
            };
            match found {
                None if !self.try_all => return Ok(d),
                None => found = Some((d, f)),
                Some((first, ff)) if first != d => {
                    return Err(format!(
                        "ambiguous date: {} as {} but {} as {}",
                        first,
                        human_format(ff),
                        d,
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

/// `%Y-%m-%d` -> `YYYY-MM-DD`, for messages an operator can read.
pub fn human_format(f: &str) -> String {
    f.replace("%Y", "YYYY")
        .replace("%m", "MM")
        .replace("%d", "DD")
        .replace("%y", "YY")
}

/// yes/no, y/n, true/false, 1/0 in any case; blank is `false` (callers decide blanks).
pub fn parse_bool(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "t" | "1" => Ok(true),
        "no" | "n" | "false" | "f" | "0" | "" => Ok(false),
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

    fn fmts() -> Vec<String> {
        vec!["%Y-%m-%d".into(), "%d/%m/%Y".into()]
    }

    fn parse_date(s: &str, formats: &[String]) -> Result<NaiveDate, String> {
        DateFormats::new(formats.to_vec()).parse(s)
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
            Err("ambiguous date: 2003-02-01 as DD/MM/YYYY but 2003-01-02 as MM/DD/YYYY".into())
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
        for f in ["no", "N", "False", "0", ""] {
            assert_eq!(parse_bool(f), Ok(false), "{f}");
        }
        assert!(parse_bool("maybe").is_err());
    }

    #[test]
    fn lists_split_on_semicolons() {
        assert_eq!(parse_list("Smith; Jones ;;"), vec!["Smith", "Jones"]);
        assert!(parse_list("").is_empty());
    }
}
