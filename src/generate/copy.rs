//! The vetting system's copy of a person: the true identity with the documented noise.

use super::names;
use super::noise::{typo, Noise};
use super::people::Identity;
use chrono::{Datelike, NaiveDate};
use rand::Rng;

/// Identity columns of one vetting record.
#[derive(Debug, Clone)]
pub struct VettingIdentity {
    pub surname: String,
    pub previous: Option<String>,
    pub forenames: String,
    pub dob: NaiveDate,
    pub ni: Option<String>,
    pub employee_id_hint: Option<String>,
}

/// Another name in the same nickname group as `first`, if it has one.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn nickname_of<R: Rng>(rng: &mut R, first: &str, groups: &[Vec<String>]) -> Option<String> {
    let upper = first.to_uppercase();
    let options: Vec<&String> = groups
        .iter()
        .filter(|g| g.contains(&upper))
        .flatten()
        .filter(|n| **n != upper)
        .collect();
    if options.is_empty() {
        return None;
    }
    let n = options[rng.random_range(0..options.len())];
    // Title case, as a keyed name would be (by char: a force's table may start a name with
    // a letter of more than one byte).
    let mut chars = n.chars();
    let first = chars.next()?;
    Some(
        first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
    )
}

/// The nickname table as groups of upper-case names.
pub fn nickname_groups(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split(',').map(|n| n.trim().to_uppercase()).collect())
        .collect()
}

/// `d` with one digit keyed wrong, still a date before `latest`.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn one_digit_off<R: Rng>(rng: &mut R, d: NaiveDate, latest: NaiveDate) -> NaiveDate {
    for _ in 0..20 {
        let mut digits: Vec<u8> = d.format("%Y%m%d").to_string().into_bytes();
        // Keep the century: a wrong decade or digit later is the common slip.
        let i = rng.random_range(2..8);
        let old = digits[i];
        digits[i] = b'0' + rng.random_range(0..10u8);
        if digits[i] == old {
            continue;
        }
        let s = String::from_utf8(digits).expect("ascii digits");
        match NaiveDate::parse_from_str(&s, "%Y%m%d") {
            Ok(nd) if nd < latest => return nd,
            _ => {}
        }
    }
    d
}

#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn ni_typo<R: Rng>(rng: &mut R, ni: &str) -> String {
    let mut b = ni.as_bytes().to_vec();
    let i = rng.random_range(2..8);
    b[i] = b'0' + (b[i] - b'0' + rng.random_range(1..10u8)) % 10;
    String::from_utf8(b).expect("ascii")
}

/// Apply the noise to one vetting record of `p`. `stale_id` is another employee's id, used
/// when the record carries a stale hint.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub fn vetting_copy<R: Rng>(
    rng: &mut R,
    p: &Identity,
    noise: &Noise,
    nicknames: &[Vec<String>],
    stale_id: &str,
) -> VettingIdentity {
    // Surname: maiden name on a record keyed before the marriage, else the current one.
    let (mut surname, mut previous) = match &p.maiden {
        Some(m) if rng.random_bool(noise.maiden_name_on_record) => (m.clone(), None),
        Some(m) => (
            p.surname.clone(),
            rng.random_bool(noise.previous_surname_recorded)
                .then(|| m.clone()),
        ),
        None => (p.surname.clone(), None),
    };
    if rng.random_bool(noise.hyphenated_one_side) {
        surname = match surname.split_once('-') {
            Some((a, b)) => if rng.random_bool(0.5) { a } else { b }.to_string(),
            None => format!("{surname}-{}", names::surname(rng, p.origin)),
        };
    }
    if rng.random_bool(noise.surname_typo) {
        surname = typo(rng, &surname);
    }
    if previous.as_deref() == Some(surname.as_str()) {
        previous = None;
    }

    let mut first = p.first.clone();
    if rng.random_bool(noise.nickname) {
        if let Some(n) = nickname_of(rng, &first, nicknames) {
            first = n;
        }
    }
    if rng.random_bool(noise.forename_typo) {
        first = typo(rng, &first);
    }
    let mut middle = p.middle.clone();
    if rng.random_bool(noise.middle_name_one_side) {
        middle = match middle {
            Some(_) => None,
            None => Some(names::forename(rng, p.origin, p.female)),
        };
    }
    let forenames = if rng.random_bool(noise.initial_only) {
        first.chars().next().map(String::from).unwrap_or_default()
    } else {
        match middle {
            Some(m) => format!("{first} {m}"),
            None => first,
        }
    };

    let mut dob = p.dob;
    if rng.random_bool(noise.dob_day_month_swap) && dob.day() <= 12 && dob.day() != dob.month() {
        dob = NaiveDate::from_ymd_opt(dob.year(), dob.day(), dob.month()).unwrap_or(dob);
    } else if rng.random_bool(noise.dob_one_digit) {
        // Still before the person joined: a vetting system refuses a birth date after that.
        dob = one_digit_off(rng, dob, p.post_start);
    }

    let ni = (!rng.random_bool(noise.ni_missing)).then(|| {
        if rng.random_bool(noise.ni_typo) {
            ni_typo(rng, &p.ni)
        } else {
            p.ni.clone()
        }
    });
    let employee_id_hint = rng.random_bool(noise.employee_id_hint).then(|| {
        if rng.random_bool(noise.stale_employee_id) {
            stale_id.to_string()
        } else {
            p.employee_id.clone()
        }
    });
    VettingIdentity {
        surname,
        previous,
        forenames,
        dob,
        ni,
        employee_id_hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn one_digit_errors_are_valid_dates_one_digit_away() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let d = NaiveDate::from_ymd_opt(1986, 7, 3).unwrap();
        for _ in 0..100 {
            let latest = NaiveDate::from_ymd_opt(2008, 1, 1).unwrap();
            let e = one_digit_off(&mut rng, d, latest);
            assert!(e < latest);
            let (a, b) = (
                d.format("%Y%m%d").to_string(),
                e.format("%Y%m%d").to_string(),
            );
            let diff = a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count();
            assert_eq!(diff, 1, "{a} {b}");
        }
    }

    #[test]
    fn nicknames_come_from_the_table() {
        let groups = nickname_groups("# c\nKATHERINE,KATE,KATIE\n");
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let n = nickname_of(&mut rng, "Katherine", &groups).unwrap();
        assert!(n == "Kate" || n == "Katie");
        assert_eq!(nickname_of(&mut rng, "Zebedee", &groups), None);
    }
}
