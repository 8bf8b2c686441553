//! Noise: how the vetting system's copy of a person differs from HR's.
//!
//! Every rate is a probability per vetting record (or per person, where it says so) and is
//! configurable: `vetrecon generate --noise FILE` reads a TOML file with the keys of
//! `config/noise.toml` (which shows the defaults), and `--noise-scale` multiplies every
//! rate. HR is taken as the clean side; the vetting record carries the errors, as it does in
//! practice (keyed years ago, by hand, from a paper form).

use rand::Rng;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Noise {
    /// A typo in the surname: adjacent letters transposed, one dropped, or a keyboard slip.
    pub surname_typo: f64,
    /// A typo in the first forename.
    pub forename_typo: f64,
    /// The vetting record uses a nickname or the full form where HR has the other.
    pub nickname: f64,
    /// A middle name present on one side only.
    pub middle_name_one_side: f64,
    /// Only the forename initial is recorded.
    pub initial_only: f64,
    /// Per married person: the vetting record predates the marriage and has the old surname.
    pub maiden_name_on_record: f64,
    /// Given a changed surname, the share of records that list the other name as previous.
    pub previous_surname_recorded: f64,
    /// One side has a double-barrelled surname, the other one part of it.
    pub hyphenated_one_side: f64,
    /// Day and month of birth exchanged (a US-style date entry).
    pub dob_day_month_swap: f64,
    /// One digit of the date of birth wrong.
    pub dob_one_digit: f64,
    /// No NI number on the vetting record.
    pub ni_missing: f64,
    /// Per person: no NI number in HR.
    pub hr_ni_missing: f64,
    /// NI number with one character wrong.
    pub ni_typo: f64,
    /// The vetting record carries an employee id hint at all.
    pub employee_id_hint: f64,
    /// Given a hint, it is an old (stale) employee id of someone else.
    pub stale_employee_id: f64,
    /// Per person: another roster person has the same forename, surname and date of birth.
    pub same_name_and_dob: f64,
    /// Per person: a twin on the roster (same surname and date of birth, other forename).
    pub twin: f64,
    /// Per person: a vetting record of a stranger with this person's name and date of birth.
    pub stranger_double: f64,
}

impl Default for Noise {
    fn default() -> Noise {
        Noise {
            surname_typo: 0.03,
            forename_typo: 0.03,
            nickname: 0.05,
            middle_name_one_side: 0.10,
            initial_only: 0.01,
            maiden_name_on_record: 0.5,
            previous_surname_recorded: 0.5,
            hyphenated_one_side: 0.01,
            dob_day_month_swap: 0.01,
            dob_one_digit: 0.01,
            ni_missing: 0.30,
            hr_ni_missing: 0.03,
            ni_typo: 0.01,
            employee_id_hint: 0.4,
            stale_employee_id: 0.05,
            same_name_and_dob: 0.001,
            twin: 0.002,
            stranger_double: 0.001,
        }
    }
}

impl Noise {
    pub fn parse(text: &str) -> Result<Noise, String> {
        let mut n: Noise = toml::from_str(text).map_err(|e| e.to_string())?;
        n.check()?;
        Ok(n)
    }

    fn rates_mut(&mut self) -> [&mut f64; 18] {
        [
            &mut self.surname_typo,
            &mut self.forename_typo,
            &mut self.nickname,
            &mut self.middle_name_one_side,
            &mut self.initial_only,
            &mut self.maiden_name_on_record,
            &mut self.previous_surname_recorded,
            &mut self.hyphenated_one_side,
            &mut self.dob_day_month_swap,
            &mut self.dob_one_digit,
            &mut self.ni_missing,
            &mut self.hr_ni_missing,
            &mut self.ni_typo,
            &mut self.employee_id_hint,
            &mut self.stale_employee_id,
            &mut self.same_name_and_dob,
            &mut self.twin,
            &mut self.stranger_double,
        ]
    }

    pub fn check(&mut self) -> Result<(), String> {
        for r in self.rates_mut() {
            if !(0.0..=1.0).contains(r) {
                return Err(format!("noise rates must be between 0 and 1, got {r}"));
            }
        }
        Ok(())
    }

    /// Multiply the error rates by `k` (capped at 1). The hint rate and the share of
    /// changed surnames that list the other one are properties of the systems, not errors,
    /// and stay as they are. At `k = 0` the two systems agree on every identity.
    pub fn scaled(mut self, k: f64) -> Noise {
        let keep = (self.employee_id_hint, self.previous_surname_recorded);
        for r in self.rates_mut() {
            *r = (*r * k).clamp(0.0, 1.0);
        }
        self.employee_id_hint = keep.0;
        self.previous_surname_recorded = keep.1;
        self
    }
}

/// UK keyboard neighbours of a lower-case letter, for keyboard slips.
fn neighbours(c: char) -> &'static str {
    match c {
        'q' => "wa",
        'w' => "qes",
        'e' => "wrd",
        'r' => "etf",
        't' => "ryg",
        'y' => "tuh",
        'u' => "yij",
        'i' => "uok",
        'o' => "ipl",
        'p' => "ol",
        'a' => "qsz",
        's' => "adwx",
        'd' => "sfe",
        'f' => "dgr",
        'g' => "fht",
        'h' => "gjy",
        'j' => "hku",
        'k' => "jli",
        'l' => "ko",
        'z' => "xa",
        'x' => "zcs",
        'c' => "xvd",
        'v' => "cbf",
        'b' => "vng",
        'n' => "bmh",
        'm' => "nj",
        _ => "",
    }
}

/// One keying error in a name: transposition, a dropped letter or a keyboard slip. The
/// first letter is kept (people rarely mis-key it, and it keeps the test honest about
/// what blocking can be expected to survive). Names too short to alter are returned as is.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub fn typo<R: Rng>(rng: &mut R, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    let letters: Vec<usize> = (1..c.len()).filter(|&i| c[i].is_alphabetic()).collect();
    if letters.len() < 3 {
        return s.to_string();
    }
    let i = letters[rng.random_range(0..letters.len() - 1)];
    match rng.random_range(0..3) {
        0 if i + 1 < c.len() && c[i] != c[i + 1] => c.swap(i, i + 1),
        1 => {
            c.remove(i);
        }
        _ => {
            let lower = c[i].to_ascii_lowercase();
            let near = neighbours(lower);
            if let Some(n) = near.chars().nth(rng.random_range(0..near.len().max(1))) {
                c[i] = if c[i].is_uppercase() {
                    n.to_ascii_uppercase()
                } else {
                    n
                };
            } else {
                c.remove(i);
            }
        }
    }
    c.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn the_shipped_noise_file_is_the_default() {
        let text = include_str!("../../config/noise.toml");
        assert_eq!(Noise::parse(text).unwrap(), Noise::default());
    }

    #[test]
    fn rates_out_of_range_and_unknown_keys_are_refused() {
        assert!(Noise::parse("twin = 1.5").is_err());
        assert!(Noise::parse("typo_rate = 0.1").is_err());
    }

    #[test]
    fn scaling_keeps_system_properties() {
        let n = Noise::default().scaled(0.0);
        assert_eq!(n.surname_typo, 0.0);
        assert_eq!(n.employee_id_hint, Noise::default().employee_id_hint);
    }

    #[test]
    fn a_typo_changes_one_thing_and_keeps_the_first_letter() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            let t = typo(&mut rng, "Thompson");
            assert!(t.starts_with('T'));
            assert_ne!(t, "Thompson");
            let d = strsim::levenshtein(&t, "Thompson");
            assert!((1..=2).contains(&d), "{t}");
        }
        assert_eq!(typo(&mut rng, "Li"), "Li");
    }
}
