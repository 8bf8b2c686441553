//! Fingerprints: what a clerical decision was made about, so that a later change to either
//! side's identity reopens it instead of silently carrying it over.
//!
//! A confirm or reject is a judgement about two identities as they stood: the roster
//! person's and the vetting record's (or PND return's) surname, forenames, date of birth and
//! NI number. `vetrecon decide` fingerprints both sides from the latest run's stored inputs
//! and keeps the fingerprint with the decision; at link time `link::overrides` fingerprints
//! tonight's pair the same way and, where a field differs, does not apply the decision.
//!
//! Each field is hashed on its own (so a reopened decision can say *which* fields changed,
//! by name, never by value), salted with the pair's ids and the side (so the same surname
//! hashes differently in every decision and no hash can be matched across rows or looked up
//! once in a dictionary of names). Values are normalised first (case, punctuation and spacing
//! ignored), so re-keying "O'BRIEN" as "O'Brien" reopens nothing. The store already keeps the
//! inputs in full; these hashes add no personal data it does not hold.
//!
//! This module must not decide what a change means for linking: it only compares.

use crate::ingest::value::id_key;
use crate::model::IdentityRef;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The identity fields a fingerprint covers, in their order within it (names as in the
/// input contract, which is how a reopened decision names them).
pub const FIELDS: [&str; 4] = ["surname", "forenames", "date_of_birth", "ni_number"];

/// Prefix naming the fingerprint scheme: a fingerprint of another scheme is not comparable
/// (so never reopens anything) rather than compared wrongly.
const SCHEME: &str = "v1:";

/// Hex digits kept per field: 64 bits is far beyond what detecting a change needs, and short
/// enough that a decision row stays readable in the chain.
const DIGITS: usize = 16;

/// The two sides of a decided pair as they stood when it was decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairPrint {
    /// The roster person's identity.
    pub person: String,
    /// The vetting record's (or PND return's) identity.
    pub record: String,
}

/// Which side of a pair a changed field is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    Person,
    Record,
}

/// One field that no longer matches the decision's fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Changed {
    pub side: Side,
    pub field: &'static str,
}

/// Lower-case letters and digits, every other run of characters one space: the spelling a
/// clerk would call the same name.
fn name_form(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

fn ni_form(ni: Option<&str>) -> String {
    ni.unwrap_or("")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The fingerprint of one side of the pair (`employee_id`, `reference`).
fn side_print(side: Side, employee_id: &str, reference: &str, id: &IdentityRef<'_>) -> String {
    let tag = match side {
        Side::Person => "person",
        Side::Record => "record",
    };
    let values = [
        name_form(id.surname),
        name_form(id.forenames),
        id.dob.to_string(),
        ni_form(id.ni),
    ];
    let mut out = String::from(SCHEME);
    for (i, (field, value)) in FIELDS.iter().zip(values).enumerate() {
        // NUL separates the parts, so a part cannot run into the next (no exported name or id
        // holds one).
        let mut h = Sha256::new();
        for part in [
            "vetrecon decision fingerprint",
            tag,
            employee_id,
            reference,
            field,
            &value,
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        if i > 0 {
            out.push('.');
        }
        let digest = h.finalize();
        for b in digest.iter().take(DIGITS / 2) {
            out.push_str(&format!("{b:02x}"));
        }
    }
    out
}

/// Fingerprint the pair (`employee_id`, `reference`) from the two identities.
pub fn pair_print(
    employee_id: &str,
    reference: &str,
    person: &IdentityRef<'_>,
    record: &IdentityRef<'_>,
) -> PairPrint {
    // Salted with the ids as they are compared (case and invisible characters aside), so
    // an id re-spelled by an export does not look like a changed identity.
    let (employee_id, reference) = (id_key(employee_id), id_key(reference));
    PairPrint {
        person: side_print(Side::Person, &employee_id, &reference, person),
        record: side_print(Side::Record, &employee_id, &reference, record),
    }
}

/// The per-field digests of one side, or `None` for a fingerprint of another scheme or a
/// malformed one.
fn digests(print: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = print.strip_prefix(SCHEME)?.split('.').collect();
    (parts.len() == FIELDS.len()
        && parts
            .iter()
            .all(|p| p.len() == DIGITS && p.bytes().all(|b| b.is_ascii_hexdigit())))
    .then_some(parts)
}

/// The fields that differ between the fingerprint a decision was made on (`then`) and
/// tonight's (`now`), roster side first, each side in `FIELDS` order. `None` when the two
/// cannot be compared (another scheme, or damaged), which must never reopen a decision.
pub fn changed(then: &PairPrint, now: &PairPrint) -> Option<Vec<Changed>> {
    let mut out = Vec::new();
    for (side, a, b) in [
        (Side::Person, &then.person, &now.person),
        (Side::Record, &then.record, &now.record),
    ] {
        let (a, b) = (digests(a)?, digests(b)?);
        for ((field, x), y) in FIELDS.iter().zip(&a).zip(&b) {
            if x != y {
                out.push(Changed { side, field });
            }
        }
    }
    Some(out)
}

fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The changes in words, field names only: "surname and date_of_birth changed on the vetting
/// record", or "forenames changed on the roster and ni_number changed on the PND return".
/// `record_kind` names the other side ("vetting record", "PND return").
pub fn describe(changes: &[Changed], record_kind: &str) -> String {
    let on = |side: Side| -> Vec<&str> {
        changes
            .iter()
            .filter(|c| c.side == side)
            .map(|c| c.field)
            .collect()
    };
    let mut parts = Vec::new();
    let person = on(Side::Person);
    if !person.is_empty() {
        parts.push(format!("{} changed on the roster", and_list(&person)));
    }
    let record = on(Side::Record);
    if !record.is_empty() {
        parts.push(format!(
            "{} changed on the {record_kind}",
            and_list(&record)
        ));
    }
    parts.join(" and ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn id<'a>(
        surname: &'a str,
        forenames: &'a str,
        dob: &str,
        ni: Option<&'a str>,
    ) -> IdentityRef<'a> {
        IdentityRef {
            surname,
            previous: &[],
            forenames,
            dob: NaiveDate::parse_from_str(dob, "%Y-%m-%d").unwrap(),
            ni,
            employee_id: None,
        }
    }

    fn thompson() -> IdentityRef<'static> {
        id("Thompson", "Gareth", "1982-04-17", Some("AB123456C"))
    }

    fn tomson() -> IdentityRef<'static> {
        id("Tomson", "Garreth", "1983-04-17", None)
    }

    #[test]
    fn an_unchanged_pair_has_no_changes() {
        let a = pair_print("E1184", "V501393", &thompson(), &tomson());
        let b = pair_print("E1184", "V501393", &thompson(), &tomson());
        assert_eq!(changed(&a, &b), Some(vec![]));
    }

    #[test]
    fn case_punctuation_and_spacing_are_not_changes() {
        let a = pair_print(
            "E1",
            "V1",
            &thompson(),
            &id("O'Brien", "Mary Ann", "1990-01-02", None),
        );
        let b = pair_print(
            "E1",
            "V1",
            &id("THOMPSON ", "gareth", "1982-04-17", Some("ab 12 34 56 c")),
            &id("O BRIEN", "Mary-Ann", "1990-01-02", None),
        );
        assert_eq!(changed(&a, &b), Some(vec![]));
    }

    #[test]
    fn each_changed_field_is_named_with_its_side() {
        let then = pair_print("E1184", "V501393", &thompson(), &tomson());
        let now = pair_print(
            "E1184",
            "V501393",
            &id("Thompson-Reed", "Gareth", "1982-04-17", None),
            &id("Thomson", "Garreth", "1982-04-17", None),
        );
        let got = changed(&then, &now).unwrap();
        assert_eq!(
            got,
            vec![
                Changed {
                    side: Side::Person,
                    field: "surname"
                },
                Changed {
                    side: Side::Person,
                    field: "ni_number"
                },
                Changed {
                    side: Side::Record,
                    field: "surname"
                },
                Changed {
                    side: Side::Record,
                    field: "date_of_birth"
                },
            ]
        );
        assert_eq!(
            describe(&got, "vetting record"),
            "surname and ni_number changed on the roster and surname and date_of_birth changed on the vetting record"
        );
        assert_eq!(
            describe(&got[2..], "vetting record"),
            "surname and date_of_birth changed on the vetting record"
        );
        assert_eq!(
            describe(&got[..1], "PND return"),
            "surname changed on the roster"
        );
    }

    #[test]
    fn a_fingerprint_holds_no_value_and_differs_per_pair() {
        let a = pair_print("E1184", "V501393", &thompson(), &tomson());
        for value in ["thompson", "Thompson", "gareth", "1982-04-17", "AB123456C"] {
            assert!(!a.person.contains(value), "{}", a.person);
        }
        // The same identity in another pair hashes differently: no matching across rows.
        let b = pair_print("E1185", "V501393", &thompson(), &tomson());
        assert_ne!(a.person, b.person);
        assert_eq!(a.person.len(), SCHEME.len() + 4 * DIGITS + 3);
    }

    #[test]
    fn fingerprints_of_another_scheme_or_damaged_never_compare() {
        let a = pair_print("E1", "V1", &thompson(), &tomson());
        let mut other = a.clone();
        other.record = other.record.replacen("v1:", "v2:", 1);
        assert_eq!(changed(&a, &other), None);
        let mut short = a.clone();
        short.person.pop();
        assert_eq!(changed(&short, &a), None);
        assert_eq!(
            changed(
                &PairPrint {
                    person: String::new(),
                    record: String::new()
                },
                &a
            ),
            None
        );
    }
}
