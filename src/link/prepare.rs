//! Prepare: each record's comparable features, computed once per record (not once per pair).

use crate::model::{Person, VettingRecord};
use crate::normalise::{forename_tokens, normalise_ni, surname_form, SurnameForm};
use chrono::{Datelike, NaiveDate};
use rphonetic::{DoubleMetaphone, Encoder, Soundex};

/// A surname with its phonetic codes.
#[derive(Debug, Clone, Default)]
pub struct Surname {
    pub form: SurnameForm,
    pub soundex: String,
    /// Soundex of each part (blocking keys for double-barrelled names), computed once here.
    pub part_soundex: Vec<String>,
    pub metaphone: String,
}

impl Surname {
    fn new(raw: &str) -> Surname {
        let form = surname_form(raw);
        let soundex = phonetic_soundex(&form.full);
        let metaphone = DoubleMetaphone::default()
            .double_metaphone(&form.full)
            .primary();
        let part_soundex = form.parts.iter().map(|p| phonetic_soundex(p)).collect();
        Surname {
            form,
            soundex,
            part_soundex,
            metaphone,
        }
    }

    /// Every spelling this surname may be compared or blocked under: the full form and parts.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.form.full.as_str()).chain(self.form.parts.iter().map(String::as_str))
    }
}

fn phonetic_soundex(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    Soundex::default().encode(s)
}

/// The features of one record that linking uses.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub surname: Surname,
    pub previous: Vec<Surname>,
    /// Forename tokens, titles removed, in order.
    pub forenames: Vec<String>,
    pub forename_soundex: String,
    pub dob: NaiveDate,
    pub ni: Option<String>,
    /// The employee id (roster) or the employee id hint (vetting).
    pub employee_id: Option<String>,
}

impl Prepared {
    fn new(
        surname: &str,
        previous: &[String],
        forenames: &str,
        dob: NaiveDate,
        ni: Option<&str>,
        employee_id: Option<&str>,
    ) -> Prepared {
        let forenames = forename_tokens(forenames);
        let forename_soundex = forenames
            .first()
            .map(|f| phonetic_soundex(f))
            .unwrap_or_default();
        Prepared {
            surname: Surname::new(surname),
            previous: previous
                .iter()
                .map(|s| Surname::new(s))
                .filter(|s| !s.form.full.is_empty())
                .collect(),
            forenames,
            forename_soundex,
            dob,
            ni: ni.and_then(normalise_ni),
            employee_id: employee_id
                .map(|e| e.trim().to_ascii_uppercase())
                .filter(|e| !e.is_empty()),
        }
    }

    pub fn person(p: &Person) -> Prepared {
        Prepared::new(
            &p.surname,
            &p.previous_surnames,
            &p.forenames,
            p.date_of_birth,
            p.ni_number.as_deref(),
            Some(&p.employee_id),
        )
    }

    pub fn vetting(v: &VettingRecord) -> Prepared {
        Prepared::new(
            &v.surname,
            &v.previous_surnames,
            &v.forenames,
            v.date_of_birth,
            v.ni_number.as_deref(),
            v.employee_id_hint.as_deref(),
        )
    }

    pub fn birth_year(&self) -> i32 {
        self.dob.year()
    }

    /// Every surname this record has been known by (current first).
    pub fn all_surnames(&self) -> impl Iterator<Item = &Surname> {
        std::iter::once(&self.surname).chain(self.previous.iter())
    }
}
