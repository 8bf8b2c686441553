//! Compare: grade each field of a candidate pair into an agreement level.
//!
//! Levels are ordered from strongest agreement to outright disagreement; the first level
//! that holds is taken. A field missing on either side has no level and contributes no
//! evidence either way (a blank NI number is not a disagreement).

use super::prepare::{Prepared, Surname};
use super::LinkPolicy;
use chrono::Datelike;
use strsim::jaro_winkler;

/// Agreement levels per field, as indices into that field's weight table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Levels {
    pub surname: SurnameLevel,
    pub forenames: ForenameLevel,
    pub dob: DobLevel,
    pub ni: Option<NiLevel>,
    pub employee_id: Option<EmployeeIdLevel>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SurnameLevel {
    Exact,
    /// A previous surname on one side equals a surname on the other (marriage, divorce).
    Previous,
    /// One part of a double-barrelled or particled surname equals the other.
    Part,
    Close,
    Phonetic,
    Different,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ForenameLevel {
    Exact,
    Nickname,
    Close,
    /// The first forename on one side is another forename on the other (goes by a middle name).
    Other,
    /// One side gives only an initial, which agrees.
    Initial,
    Different,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DobLevel {
    Exact,
    Swapped,
    OneDigit,
    Different,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NiLevel {
    Exact,
    Close,
    Different,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EmployeeIdLevel {
    Exact,
    Different,
}

/// Compare a roster person with a vetting record.
pub fn compare(person: &Prepared, rec: &Prepared, policy: &LinkPolicy) -> Levels {
    Levels {
        surname: surname(person, rec, policy.close_similarity),
        forenames: forenames(&person.forenames, &rec.forenames, policy),
        dob: dob(person.dob, rec.dob),
        ni: match (&person.ni, &rec.ni) {
            (Some(a), Some(b)) => Some(ni(a, b)),
            _ => None,
        },
        employee_id: match (&person.employee_id, &rec.employee_id) {
            (Some(a), Some(b)) if a == b => Some(EmployeeIdLevel::Exact),
            (Some(_), Some(_)) => Some(EmployeeIdLevel::Different),
            _ => None,
        },
    }
}

fn surname(a: &Prepared, b: &Prepared, close: f64) -> SurnameLevel {
    let (sa, sb) = (&a.surname, &b.surname);
    if sa.form.full.is_empty() || sb.form.full.is_empty() {
        return SurnameLevel::Different;
    }
    if sa.form.full == sb.form.full {
        return SurnameLevel::Exact;
    }
    let any_full = |xs: &[Surname], s: &Surname| xs.iter().any(|x| x.form.full == s.form.full);
    if any_full(&a.previous, sb) || any_full(&b.previous, sa) {
        return SurnameLevel::Previous;
    }
    if sa.spellings().any(|x| sb.spellings().any(|y| x == y)) {
        return SurnameLevel::Part;
    }
    if jaro_winkler(&sa.form.full, &sb.form.full) >= close {
        return SurnameLevel::Close;
    }
    if !sa.metaphone.is_empty() && sa.metaphone == sb.metaphone {
        return SurnameLevel::Phonetic;
    }
    SurnameLevel::Different
}

fn forenames(a: &[String], b: &[String], policy: &LinkPolicy) -> ForenameLevel {
    let (Some(fa), Some(fb)) = (a.first(), b.first()) else {
        return ForenameLevel::Different;
    };
    if fa == fb {
        return ForenameLevel::Exact;
    }
    let initial = fa.len() == 1 || fb.len() == 1;
    if !initial {
        if policy.nicknames.equivalent(fa, fb) {
            return ForenameLevel::Nickname;
        }
        if jaro_winkler(fa, fb) >= policy.close_similarity {
            return ForenameLevel::Close;
        }
        if a.iter().skip(1).any(|x| x == fb) || b.iter().skip(1).any(|x| x == fa) {
            return ForenameLevel::Other;
        }
    } else if fa[..1] == fb[..1] {
        return ForenameLevel::Initial;
    }
    ForenameLevel::Different
}

fn dob(a: chrono::NaiveDate, b: chrono::NaiveDate) -> DobLevel {
    if a == b {
        return DobLevel::Exact;
    }
    if a.year() == b.year() && a.day() == b.month() && a.month() == b.day() {
        return DobLevel::Swapped;
    }
    let (da, db) = (
        a.format("%Y%m%d").to_string(),
        b.format("%Y%m%d").to_string(),
    );
    if hamming(&da, &db) == 1 {
        return DobLevel::OneDigit;
    }
    DobLevel::Different
}

fn ni(a: &str, b: &str) -> NiLevel {
    if a == b {
        return NiLevel::Exact;
    }
    if hamming(a, b) == 1 || is_transposition(a, b) {
        return NiLevel::Close;
    }
    NiLevel::Different
}

fn hamming(a: &str, b: &str) -> usize {
    if a.len() != b.len() {
        return usize::MAX;
    }
    a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count()
}

/// Two adjacent characters exchanged, the commonest keying error in an identifier.
fn is_transposition(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    diffs.len() == 2
        && diffs[1] == diffs[0] + 1
        && a[diffs[0]] == b[diffs[1]]
        && a[diffs[1]] == b[diffs[0]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::raw::RawLinking;
    use chrono::NaiveDate;

    fn policy() -> LinkPolicy {
        LinkPolicy::build(&RawLinking::default()).unwrap()
    }

    fn rec(
        surname: &str,
        previous: &[&str],
        forenames: &str,
        dob: &str,
        ni: Option<&str>,
    ) -> Prepared {
        let p = crate::model::Person {
            employee_id: "E1".into(),
            surname: surname.into(),
            forenames: forenames.into(),
            previous_surnames: previous.iter().map(|s| s.to_string()).collect(),
            date_of_birth: NaiveDate::parse_from_str(dob, "%Y-%m-%d").unwrap(),
            ni_number: ni.map(str::to_string),
            post_id: None,
            role_type: crate::model::RoleType::Staff,
            force: None,
            post_start_date: None,
            status: crate::model::EmploymentStatus::Active,
            leaving_date: None,
            line: 2,
        };
        Prepared::person(&p)
    }

    fn levels(a: &Prepared, b: &Prepared) -> Levels {
        compare(a, b, &policy())
    }

    #[test]
    fn surname_levels() {
        let base = rec("O'Brien-Hughes", &[], "Mary", "1980-01-02", None);
        let cases = [
            ("OBRIEN HUGHES", SurnameLevel::Exact),
            ("Hughes", SurnameLevel::Part),
            ("O'Brien-Hughs", SurnameLevel::Part),
            ("Patel", SurnameLevel::Different),
        ];
        for (s, want) in cases {
            assert_eq!(
                levels(&base, &rec(s, &[], "Mary", "1980-01-02", None)).surname,
                want,
                "{s}"
            );
        }
        let married = rec("Smith", &["Jones"], "Mary", "1980-01-02", None);
        assert_eq!(
            levels(&married, &rec("Jones", &[], "Mary", "1980-01-02", None)).surname,
            SurnameLevel::Previous
        );
        assert_eq!(
            levels(
                &rec("Thompson", &[], "A", "1980-01-02", None),
                &rec("Tomson", &[], "A", "1980-01-02", None)
            )
            .surname,
            SurnameLevel::Close
        );
        assert_eq!(
            levels(
                &rec("Knight", &[], "A", "1980-01-02", None),
                &rec("Nite", &[], "A", "1980-01-02", None)
            )
            .surname,
            SurnameLevel::Phonetic
        );
    }

    #[test]
    fn forename_levels() {
        let a = rec("Smith", &[], "Katherine Anne", "1980-01-02", None);
        let cases = [
            ("Katherine", ForenameLevel::Exact),
            ("Kate", ForenameLevel::Nickname),
            ("Katherime", ForenameLevel::Close),
            ("Anne", ForenameLevel::Other),
            ("K", ForenameLevel::Initial),
            ("Susan", ForenameLevel::Different),
        ];
        for (f, want) in cases {
            assert_eq!(
                levels(&a, &rec("Smith", &[], f, "1980-01-02", None)).forenames,
                want,
                "{f}"
            );
        }
    }

    #[test]
    fn date_of_birth_levels() {
        let a = rec("Smith", &[], "Ann", "1980-03-07", None);
        for (d, want) in [
            ("1980-03-07", DobLevel::Exact),
            ("1980-07-03", DobLevel::Swapped),
            ("1981-03-07", DobLevel::OneDigit),
            ("1980-03-17", DobLevel::OneDigit),
            ("1975-11-20", DobLevel::Different),
        ] {
            assert_eq!(
                levels(&a, &rec("Smith", &[], "Ann", d, None)).dob,
                want,
                "{d}"
            );
        }
    }

    #[test]
    fn ni_levels_and_missing_ni_is_no_evidence() {
        let a = rec("Smith", &[], "Ann", "1980-03-07", Some("AB123456C"));
        let ni_of = |n: Option<&str>| levels(&a, &rec("Smith", &[], "Ann", "1980-03-07", n)).ni;
        assert_eq!(ni_of(Some("ab 12 34 56 c")), Some(NiLevel::Exact));
        assert_eq!(ni_of(Some("AB123465")), Some(NiLevel::Close));
        assert_eq!(ni_of(Some("AB123457")), Some(NiLevel::Close));
        assert_eq!(ni_of(Some("CE987654")), Some(NiLevel::Different));
        assert_eq!(ni_of(None), None);
    }
}
