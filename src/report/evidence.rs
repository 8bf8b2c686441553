//! The review queue's evidence in words, for the page and the spreadsheet alike: a
//! comparison level as a manager would say it ("one digit different"), and an NI number
//! masked but comparable (its last three characters).

/// A comparison level in words. A level this table does not know (one added to linking
/// later) reads as its name with spaces, so nothing is ever left blank.
pub fn grade(field: &str, level: &str) -> String {
    let words = match (field, level) {
        (_, "missing") => "missing on one side",
        (_, "exact") if field == "employee_id" => "hint matches",
        // Since 0.6.0 `exact` compares the first forename; every forename is `full`.
        (_, "exact") if field == "forenames" => "first forename the same",
        (_, "exact") => "same",
        (_, "different") if field == "employee_id" => "hint differs",
        (_, "different") => "different",
        ("surname", "previous") => "matches a previous surname",
        ("surname", "part") => "one part of the name matches",
        ("surname", "phonetic") => "sounds the same",
        (_, "close") if field == "ni_number" => "one character different",
        (_, "close") => "spelt slightly differently",
        ("forenames", "nickname") => "a known short form",
        ("forenames", "other") => "another forename matches",
        ("forenames", "full") => "every forename the same",
        ("forenames", "initial") => "initial matches",
        ("date_of_birth", "swapped") => "day and month swapped",
        ("date_of_birth", "one_digit") => "one digit wrong or two swapped",
        ("date_of_birth", "year_month") => "same month and year, other day",
        ("date_of_birth", "within_year") => "within a year",
        (_, "typo") => "one letter out",
        ("surname", "swapped") => "found as the other's forename",
        ("forenames", "swapped") => "found as the other's surname",
        _ => return level.replace('_', " "),
    };
    words.to_string()
}

/// "…56C": the last three characters of an NI number, enough to compare two sides without
/// putting the whole number on paper.
pub fn ni_tail(ni: Option<&str>) -> String {
    match ni.map(str::trim).filter(|s| !s.is_empty()) {
        None => String::new(),
        Some(s) => {
            let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
            let tail: String = chars.iter().skip(chars.len().saturating_sub(3)).collect();
            format!("…{tail}")
        }
    }
}

/// The command that records a decision, ids filled in and quoted for the shell, ready to
/// copy (`command::decide`).
pub fn decide_line(verdict: &str, employee_id: &str, vetting_ref: &str) -> String {
    super::command::decide(verdict, employee_id, vetting_ref)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_read_as_words_and_ni_numbers_keep_only_their_tail() {
        assert_eq!(
            grade("date_of_birth", "one_digit"),
            "one digit wrong or two swapped"
        );
        assert_eq!(grade("surname", "typo"), "one letter out");
        assert_eq!(grade("surname", "exact"), "same");
        assert_eq!(grade("forenames", "full"), "every forename the same");
        assert_eq!(grade("forenames", "exact"), "first forename the same");
        assert_eq!(grade("employee_id", "different"), "hint differs");
        assert_eq!(grade("surname", "new_level"), "new level");
        assert_eq!(ni_tail(Some("AB 12 34 56 C")), "…56C");
        assert_eq!(ni_tail(Some("C")), "…C");
        assert_eq!(ni_tail(None), "");
        assert_eq!(
            decide_line("confirm", "E1", "V2"),
            "vetrecon decide confirm E1 V2 --by 'YOUR NAME' --reason 'WHAT YOU CHECKED'"
        );
    }
}
