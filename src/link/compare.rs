//! Compare: grade each field of a candidate pair into an agreement level.
//!
//! Levels are ordered from strongest agreement to outright disagreement; the first level
//! that holds is taken. A field missing on either side has no level and contributes no
//! evidence either way (a blank NI number is not a disagreement).
//!
//! Names arrive as ids (see `prepare`), so equality is an integer compare, and the costly
//! string similarity is computed once per distinct pair of names and cached per thread
//! (`Cache`). Every comparison is symmetric: swapping the two records gives the same levels.

use super::prepare::{Names, Rec};
use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;
use strsim::{jaro_winkler, osa_distance};

/// How a pair compares, field by field: its agreement level for each, as an index into
/// that field's weight table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairLevels {
    pub surname: SurnameLevel,
    pub forenames: ForenameLevel,
    pub dob: DobLevel,
    pub ni: Option<NiLevel>,
    pub employee_id: Option<EmployeeIdLevel>,
}

/// Whether a pair agrees exactly on every field both sides have: surname, forenames
/// (first or every one), date of birth, and the NI number and employee id where both hold
/// one.
pub fn agrees_exactly(l: &PairLevels) -> bool {
    l.surname == SurnameLevel::Exact
        && matches!(l.forenames, ForenameLevel::Exact | ForenameLevel::Full)
        && l.dob == DobLevel::Exact
        && matches!(l.ni, None | Some(NiLevel::Exact))
        && matches!(l.employee_id, None | Some(EmployeeIdLevel::Exact))
}

#[cfg(test)]
impl PairLevels {
    /// A pair graded on names and date of birth only (no NI, no employee id), for tests.
    pub fn names_and_dob(
        surname: SurnameLevel,
        forenames: ForenameLevel,
        dob: DobLevel,
    ) -> PairLevels {
        PairLevels {
            surname,
            forenames,
            dob,
            ni: None,
            employee_id: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SurnameLevel {
    Exact,
    /// A previous surname on one side equals a surname on the other (marriage, divorce).
    Previous,
    /// One part of a double-barrelled or particled surname equals the other.
    Part,
    /// One keying slip (an optimal-string-alignment edit: a letter wrong, missing, extra or
    /// two adjacent letters exchanged) in a name of `TYPO_MIN_LEN` letters or more.
    Typo,
    Close,
    Phonetic,
    /// The surname is written as the other record's first forename, and (for both fields
    /// to be `Swapped`) the forename as its surname: see `Comparer::crossings`.
    Swapped,
    Different,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ForenameLevel {
    Exact,
    Nickname,
    /// One keying slip, as for surnames.
    Typo,
    Close,
    /// The first forename on one side is another forename on the other (goes by a middle
    /// name, on either side).
    Other,
    /// One side gives only an initial, which agrees.
    Initial,
    /// Surname and first forename exchanged between the two records.
    Swapped,
    Different,
    /// Every forename agrees, in order, and each side has two or more ("Lucy Victoria"
    /// against "Lucy Victoria"): stronger than `Exact`, which compares the first forename
    /// only, and term-frequency adjusted on the whole sequence. Last in the list, not
    /// first, so that the level numbers stored by earlier versions keep their meaning.
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DobLevel {
    Exact,
    /// Day and month exchanged.
    Swapped,
    /// One character different on the written date (YYYYMMDD), or two adjacent characters
    /// exchanged: one keying slip.
    OneDigit,
    /// Same year and month, the day otherwise different.
    YearMonth,
    /// Within a year (365 days) of each other, otherwise different.
    WithinYear,
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

/// Names shorter than this have no `Typo` level: one slip in a three-letter name ("Jon",
/// "Jan") is as likely another person as a typing error.
pub const TYPO_MIN_LEN: usize = 4;

/// One optimal-string-alignment edit apart, both at least `TYPO_MIN_LEN` letters long.
pub fn one_slip(a: &str, b: &str) -> bool {
    a.len() >= TYPO_MIN_LEN
        && b.len() >= TYPO_MIN_LEN
        && a.len().abs_diff(b.len()) <= 1
        && osa_distance(a, b) == 1
}

/// Per-thread memo of name-pair verdicts, keyed by the (smaller, larger) pair of ids.
#[derive(Default)]
pub struct Cache {
    surnames: FxHashMap<(u32, u32), SurnameLevel>,
    forenames: FxHashMap<(u32, u32), ForenameLevel>,
}

/// Everything a comparison reads besides the two records.
pub struct Comparer<'a> {
    pub names: &'a Names,
    /// Jaro-Winkler similarity at or above which two names are "close".
    pub close: f64,
}

fn ordered(a: u32, b: u32) -> (u32, u32) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl Comparer<'_> {
    /// Compare two records (a roster person and a vetting record, or any two).
    pub fn compare(&self, a: &Rec, b: &Rec, cache: &mut Cache) -> PairLevels {
        // As in `Scorer::score`: names exchanged are looked for only when the forenames
        // otherwise disagree and the surnames are not equal.
        let mut forenames = self.forenames(a, b, cache);
        let crossings = if forenames == ForenameLevel::Different && a.surname() != b.surname() {
            self.crossings(a, b)
        } else {
            0
        };
        let surname = if crossings == 2 {
            forenames = ForenameLevel::Swapped;
            SurnameLevel::Swapped
        } else {
            match self.surname(a, b, cache) {
                SurnameLevel::Different if crossings == 1 => SurnameLevel::Swapped,
                level => level,
            }
        };
        PairLevels {
            surname,
            forenames,
            dob: dob(a.dob, b.dob),
            ni: match (a.ni, b.ni) {
                (Some(x), Some(y)) => Some(ni(x, y)),
                _ => None,
            },
            employee_id: employee_id(a.employee_id, b.employee_id),
        }
    }

    pub fn surname(&self, a: &Rec, b: &Rec, cache: &mut Cache) -> SurnameLevel {
        let (Some(sa), Some(sb)) = (a.surname(), b.surname()) else {
            return SurnameLevel::Different;
        };
        if sa == sb {
            return SurnameLevel::Exact;
        }
        if previous(a, b) {
            return SurnameLevel::Previous;
        }
        self.surname_pair(sa, sb, cache)
    }

    /// The levels that depend only on two distinct current surnames (part, close,
    /// phonetic, different), memoised per pair.
    pub fn surname_pair(&self, sa: u32, sb: u32, cache: &mut Cache) -> SurnameLevel {
        *cache
            .surnames
            .entry(ordered(sa, sb))
            .or_insert_with(|| self.surname_pair_uncached(sa, sb))
    }

    fn surname_pair_uncached(&self, sa: u32, sb: u32) -> SurnameLevel {
        let (a, b) = (self.names.surname(sa), self.names.surname(sb));
        if a.spellings.iter().any(|x| b.spellings.contains(x)) {
            return SurnameLevel::Part;
        }
        if one_slip(&a.text, &b.text) {
            return SurnameLevel::Typo;
        }
        if jaro_winkler(&a.text, &b.text) >= self.close {
            return SurnameLevel::Close;
        }
        if a.metaphone != 0 && a.metaphone == b.metaphone {
            return SurnameLevel::Phonetic;
        }
        SurnameLevel::Different
    }

    pub fn forenames(&self, a: &Rec, b: &Rec, cache: &mut Cache) -> ForenameLevel {
        let (Some(fa), Some(fb)) = (a.forename(), b.forename()) else {
            return ForenameLevel::Different;
        };
        if full_forenames(a, b) {
            return ForenameLevel::Full;
        }
        match self.forename_pair(fa, fb, cache) {
            ForenameLevel::Different if self.other_possible(fa, fb) && other_forename(a, b) => {
                ForenameLevel::Other
            }
            level => level,
        }
    }

    /// `Other` applies only between two full forenames (not initials).
    pub fn other_possible(&self, fa: u32, fb: u32) -> bool {
        self.names.forename(fa).text.len() > 1 && self.names.forename(fb).text.len() > 1
    }

    /// Every forename level that depends only on the two first forenames (all but
    /// `Other`), memoised per pair.
    pub fn forename_pair(&self, fa: u32, fb: u32, cache: &mut Cache) -> ForenameLevel {
        if fa == fb {
            return ForenameLevel::Exact;
        }
        *cache
            .forenames
            .entry(ordered(fa, fb))
            .or_insert_with(|| self.forename_pair_uncached(fa, fb))
    }

    fn forename_pair_uncached(&self, fa: u32, fb: u32) -> ForenameLevel {
        let (a, b) = (self.names.forename(fa), self.names.forename(fb));
        if a.text.len() == 1 || b.text.len() == 1 {
            return if a.text.as_bytes().first() == b.text.as_bytes().first() {
                ForenameLevel::Initial
            } else {
                ForenameLevel::Different
            };
        }
        if a.groups.iter().any(|g| b.groups.contains(g)) {
            return ForenameLevel::Nickname;
        }
        if one_slip(&a.text, &b.text) {
            return ForenameLevel::Typo;
        }
        if jaro_winkler(&a.text, &b.text) >= self.close {
            return ForenameLevel::Close;
        }
        ForenameLevel::Different
    }
}

impl Comparer<'_> {
    /// How many of the two crossings hold: one record's surname written as the other's
    /// first forename, and its first forename as the other's surname. Exact text, except
    /// that when one crossing is exact the other may also be one slip or close (a swapped
    /// name retyped). Asked only of pairs whose forenames otherwise disagree and whose
    /// surnames are not equal. Two crossings: both fields are `Swapped`; one: the surname
    /// field is `Swapped` when the surnames otherwise disagree. Counting keeps it symmetric.
    pub fn crossings(&self, a: &Rec, b: &Rec) -> u8 {
        match (a.surname(), a.forename(), b.surname(), b.forename()) {
            (Some(sa), Some(fa), Some(sb), Some(fb)) => self.crossings_ids(sa, fa, sb, fb),
            _ => 0,
        }
    }

    /// `crossings` on the ids of the two surnames and first forenames.
    pub fn crossings_ids(&self, sa: u32, fa: u32, sb: u32, fb: u32) -> u8 {
        let n = self.names;
        let (fa_i, fb_i) = (n.forename(fa), n.forename(fb));
        let near = |x: &str, y: &str| osa_distance(x, y) <= 1 || jaro_winkler(x, y) >= self.close;
        match (fb_i.as_surname == sa, fa_i.as_surname == sb) {
            (true, true) => 2,
            (true, false) => 1 + near(&fa_i.text, &n.surname(sb).text) as u8,
            (false, true) => 1 + near(&fb_i.text, &n.surname(sa).text) as u8,
            (false, false) => 0,
        }
    }
}

/// `id` is among the names after the first.
fn later(ids: &[u32], id: u32) -> bool {
    ids.get(1..).is_some_and(|rest| rest.contains(&id))
}

/// A previous surname on one side equals the current surname on the other.
pub fn previous(a: &Rec, b: &Rec) -> bool {
    match (a.surname(), b.surname()) {
        (Some(sa), Some(sb)) => later(&a.surnames, sb) || later(&b.surnames, sa),
        _ => false,
    }
}

/// Both records have two or more forenames and all of them agree, in order.
pub fn full_forenames(a: &Rec, b: &Rec) -> bool {
    a.forenames.len() > 1 && a.forenames == b.forenames
}

/// The first forename on one side is a later forename on the other, either way round (the
/// person goes by a middle name, on the HR record or on the vetting record). Only asked of
/// two full first forenames that do not otherwise agree. Two records that share only a later
/// forename are not graded `Other`: two siblings may well share a middle name.
pub fn other_forename(a: &Rec, b: &Rec) -> bool {
    match (a.forename(), b.forename()) {
        (Some(fa), Some(fb)) => later(&a.forenames, fb) || later(&b.forenames, fa),
        _ => false,
    }
}

pub fn employee_id(a: Option<u32>, b: Option<u32>) -> Option<EmployeeIdLevel> {
    match (a, b) {
        (Some(x), Some(y)) if x == y => Some(EmployeeIdLevel::Exact),
        (Some(_), Some(_)) => Some(EmployeeIdLevel::Different),
        _ => None,
    }
}

/// The date as the eight digits YYYYMMDD.
fn digits(d: NaiveDate) -> u32 {
    d.year() as u32 * 10_000 + d.month() * 100 + d.day()
}

pub fn dob(a: NaiveDate, b: NaiveDate) -> DobLevel {
    if a == b {
        return DobLevel::Exact;
    }
    if a.year() == b.year() && a.day() == b.month() && a.month() == b.day() {
        return DobLevel::Swapped;
    }
    if one_keying_slip(digits(a), digits(b)) {
        return DobLevel::OneDigit;
    }
    if a.year() == b.year() && a.month() == b.month() {
        return DobLevel::YearMonth;
    }
    if (a - b).num_days().abs() <= 365 {
        return DobLevel::WithinYear;
    }
    DobLevel::Different
}

/// Two different eight-digit dates written as YYYYMMDD are one digit apart, or two adjacent
/// digits exchanged.
fn one_keying_slip(a: u32, b: u32) -> bool {
    let (mut x, mut y, mut n) = (a, b, 0);
    // (digit of a, digit of b, position) of the first two differences.
    let (mut first, mut second) = ((0, 0, 0), (0, 0, 0));
    for i in 0..8 {
        let (p, q) = (x % 10, y % 10);
        if p != q {
            if n == 0 {
                first = (p, q, i);
            } else if n == 1 {
                second = (p, q, i);
            }
            n += 1;
        }
        x /= 10;
        y /= 10;
    }
    n == 1 || (n == 2 && second.2 == first.2 + 1 && first.0 == second.1 && first.1 == second.0)
}

/// Compare two packed NI numbers (8 ASCII bytes each).
#[allow(
    clippy::indexing_slicing,
    reason = "two 8-byte arrays indexed below 8, and `diffs` below 2 (n is checked first)"
)]
pub fn ni(a: u64, b: u64) -> NiLevel {
    if a == b {
        return NiLevel::Exact;
    }
    let (xa, xb) = (a.to_be_bytes(), b.to_be_bytes());
    let mut diffs = [0usize; 2];
    let mut n = 0;
    for i in 0..8 {
        if xa[i] != xb[i] {
            if n < 2 {
                diffs[n] = i;
            }
            n += 1;
        }
    }
    let one = n == 1;
    // Two adjacent characters exchanged, the commonest keying error in an identifier.
    let swap = n == 2
        && diffs[1] == diffs[0] + 1
        && xa[diffs[0]] == xb[diffs[1]]
        && xa[diffs[1]] == xb[diffs[0]];
    if one || swap {
        NiLevel::Close
    } else {
        NiLevel::Different
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::prepare::prepare;
    use crate::model::{EmploymentStatus, Person, RoleType, VettingRecord};
    use crate::normalise::Nicknames;
    use proptest::prelude::*;

    fn rec(
        surname: &str,
        previous: &[&str],
        forenames: &str,
        dob: &str,
        ni: Option<&str>,
    ) -> Person {
        Person {
            employee_id: "E1".into(),
            surname: surname.into(),
            forenames: forenames.into(),
            previous_surnames: previous.iter().map(|s| s.to_string()).collect(),
            date_of_birth: NaiveDate::parse_from_str(dob, "%Y-%m-%d").unwrap(),
            ni_number: ni.map(str::to_string),
            post_id: None,
            role_type: RoleType::Staff,
            force: None,
            post_start_date: None,
            status: EmploymentStatus::Active,
            leaving_date: None,
            last_integrity_review: None,
            line: 2,
        }
    }

    /// Levels of a pair, both ways round; asserts they agree (comparison is symmetric).
    fn levels(a: &Person, b: &Person) -> PairLevels {
        let p = prepare::<VettingRecord>(&[a.clone(), b.clone()], &[], &Nicknames::builtin());
        let c = Comparer {
            names: &p.names,
            close: 0.92,
        };
        let mut cache = Cache::default();
        let ab = c.compare(&p.people[0], &p.people[1], &mut cache);
        let ba = c.compare(&p.people[1], &p.people[0], &mut Cache::default());
        assert_eq!(ab, ba, "comparison must be symmetric");
        ab
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
            ("Katherime", ForenameLevel::Typo),
            ("Kathrina", ForenameLevel::Close),
            ("Anne", ForenameLevel::Other),
            ("K", ForenameLevel::Initial),
            ("Susan", ForenameLevel::Different),
            // Every forename, in order: `Full`; the first alone, or a different middle
            // name, is `Exact` on the first forename.
            ("KATHERINE  anne", ForenameLevel::Full),
            ("Katherine Jane", ForenameLevel::Exact),
            ("Katherine Anne Louise", ForenameLevel::Exact),
            ("Anne Katherine", ForenameLevel::Other),
        ];
        for (f, want) in cases {
            assert_eq!(
                levels(&a, &rec("Smith", &[], f, "1980-01-02", None)).forenames,
                want,
                "{f}"
            );
        }
        // One forename each side is never `Full`: there is no sequence to agree on.
        let one = rec("Smith", &[], "Katherine", "1980-01-02", None);
        assert_eq!(levels(&one, &one).forenames, ForenameLevel::Exact);
    }

    #[test]
    fn date_of_birth_levels() {
        let a = rec("Smith", &[], "Ann", "1980-03-07", None);
        for (d, want) in [
            ("1980-03-07", DobLevel::Exact),
            ("1980-07-03", DobLevel::Swapped),
            ("1981-03-07", DobLevel::OneDigit),
            ("1980-03-17", DobLevel::OneDigit),
            // Two adjacent characters exchanged on the written date.
            ("1908-03-07", DobLevel::OneDigit),
            ("1980-03-25", DobLevel::YearMonth),
            ("1980-11-29", DobLevel::WithinYear),
            ("1979-04-20", DobLevel::WithinYear),
            ("1978-03-08", DobLevel::Different),
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

    #[test]
    fn one_slip_is_a_typo_level_only_in_names_of_four_letters_or_more() {
        let lv = |s1: &str, s2: &str| {
            levels(
                &rec(s1, &[], "Ann", "1980-03-07", None),
                &rec(s2, &[], "Ann", "1980-03-07", None),
            )
            .surname
        };
        // The review queue's "Clok" against "Cook": one letter wrong in four.
        assert_eq!(lv("Cook", "Clok"), SurnameLevel::Typo);
        assert_eq!(
            lv("Smith", "Smiht"),
            SurnameLevel::Typo,
            "adjacent exchange"
        );
        assert_eq!(lv("Smith", "Smth"), SurnameLevel::Typo, "letter missing");
        assert_eq!(lv("Jones", "Joness"), SurnameLevel::Typo, "letter extra");
        assert_ne!(
            lv("Lee", "Lea"),
            SurnameLevel::Typo,
            "three letters: no typo level"
        );
        assert_eq!(lv("Smith", "Smyth"), SurnameLevel::Typo);
        assert_eq!(
            lv("Smith", "Smithson"),
            SurnameLevel::Close,
            "two letters extra"
        );
        let fv = |f1: &str, f2: &str| {
            levels(
                &rec("Smith", &[], f1, "1980-03-07", None),
                &rec("Smith", &[], f2, "1980-03-07", None),
            )
            .forenames
        };
        assert_eq!(fv("Tom", "Tim"), ForenameLevel::Different, "Tom is not Tim");
        assert_eq!(fv("Rebecca", "Rebeca"), ForenameLevel::Typo);
    }

    #[test]
    fn names_entered_the_wrong_way_round() {
        let a = rec("Ellen", &[], "Mitton", "1919-05-01", None);
        let both = levels(&rec("Mitton", &[], "Ellen", "1919-05-01", None), &a);
        assert_eq!(
            (both.surname, both.forenames),
            (SurnameLevel::Swapped, ForenameLevel::Swapped)
        );
        // One crossing exact, the other one slip away ("Harbry" for "Harry").
        let slip = levels(
            &rec("Singleton", &[], "Harry", "1917-01-30", None),
            &rec("Harbry", &[], "Singleton", "1917-01-30", None),
        );
        assert_eq!(
            (slip.surname, slip.forenames),
            (SurnameLevel::Swapped, ForenameLevel::Swapped)
        );
        // Only the surname written as the other's forename; the forename is another.
        let one = levels(
            &rec("White", &[], "Calvin", "1956-07-31", None),
            &rec("Timothy", &[], "White", "1956-07-31", None),
        );
        assert_eq!(
            (one.surname, one.forenames),
            (SurnameLevel::Swapped, ForenameLevel::Different)
        );
        // Two people who share nothing crossed are not swapped.
        let none = levels(
            &rec("White", &[], "Calvin", "1956-07-31", None),
            &rec("Timothy", &[], "Green", "1956-07-31", None),
        );
        assert_eq!(
            (none.surname, none.forenames),
            (SurnameLevel::Different, ForenameLevel::Different)
        );
    }

    #[test]
    fn a_first_forename_found_in_any_later_position_is_other() {
        let a = rec("Smith", &[], "Mary Anne Louise", "1980-03-07", None);
        for f in ["Anne", "Louise", "Louise Mary", "Anne Jane"] {
            assert_eq!(
                levels(&a, &rec("Smith", &[], f, "1980-03-07", None)).forenames,
                ForenameLevel::Other,
                "{f}"
            );
        }
        // Sharing only a middle name is not enough: siblings may.
        for f in ["Susan Jane", "Susan Anne"] {
            assert_eq!(
                levels(&a, &rec("Smith", &[], f, "1980-03-07", None)).forenames,
                ForenameLevel::Different,
                "{f}"
            );
        }
    }

    fn name() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "Smith",
            "Smyth",
            "O'Brien",
            "OBrien-Hughes",
            "Hughes",
            "McDonald",
            "MacDonald",
            "Katherine",
            "Kate",
            "K",
            "Anne Marie",
            "Marie",
            "Jon",
            "John",
            "Nowak",
            "Wiśniewski",
        ])
        .prop_map(str::to_string)
    }

    fn date() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "1980-03-07",
            "1980-07-03",
            "1981-03-07",
            "1980-03-17",
            "1975-11-20",
        ])
        .prop_map(str::to_string)
    }

    proptest! {
        #[test]
        fn comparison_is_symmetric(
            s1 in name(), s2 in name(), p1 in name(), f1 in name(), f2 in name(),
            d1 in date(), d2 in date(),
            n1 in prop::option::of(prop::sample::select(vec!["AB123456C", "AB123465C", "CE987654A"])),
            n2 in prop::option::of(prop::sample::select(vec!["AB123456C", "AB123457C"])),
        ) {
            // `levels` asserts the two directions agree.
            let l = levels(&rec(&s1, &[&p1], &f1, &d1, n1), &rec(&s2, &[], &f2, &d2, n2));
            prop_assert_eq!(l.surname == SurnameLevel::Exact, s1 == s2 || crate::normalise::surname_form(&s1).full == crate::normalise::surname_form(&s2).full);
        }
    }
}
