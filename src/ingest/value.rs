//! Parsing single cell values: dates, booleans, lists.
//!
//! Each parser returns a reason string on failure; the row parser turns it into a reject
//! that names the column. Nothing here knows about files or lines.

use chrono::NaiveDate;

/// Parse a date with the first of `formats` that accepts it (chrono `strftime` syntax).
/// Formats are tried in order, so a force that also accepts US `%m/%d/%Y` must put it after
/// the UK form and accept that `01/02/2003` is read as 1 February.
pub fn parse_date(s: &str, formats: &[String]) -> Result<NaiveDate, String> {
    let s = s.trim();
    for f in formats {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Ok(d);
        }
    }
    let shown: Vec<String> = formats.iter().map(|f| human_format(f)).collect();
    Err(format!(
        "not a valid date in any accepted format ({})",
        shown.join(", ")
    ))
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
    fn format_order_decides_ambiguous_dates() {
        let uk_first = vec!["%d/%m/%Y".to_string(), "%m/%d/%Y".to_string()];
        let us_first = vec!["%m/%d/%Y".to_string(), "%d/%m/%Y".to_string()];
        assert_eq!(
            parse_date("01/02/2003", &uk_first),
            Ok(NaiveDate::from_ymd_opt(2003, 2, 1).unwrap())
        );
        assert_eq!(
            parse_date("01/02/2003", &us_first),
            Ok(NaiveDate::from_ymd_opt(2003, 1, 2).unwrap())
        );
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
