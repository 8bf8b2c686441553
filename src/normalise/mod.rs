//! Normalise: turn raw names and identifiers into the comparable forms the linker uses.
//!
//! Pure functions only. Normalisation must be the same on both sides of a comparison, so
//! every quirk a force's data has (accents, apostrophes, Mc/Mac, titles, hyphens) is handled
//! here once and never again downstream. It never decides whether two records match.

#[cfg(test)]
pub(crate) mod fuzz;
pub mod name;
pub mod ni;
pub mod nickname;

pub use name::{forename_tokens, surname_form, SurnameForm};
pub use ni::normalise_ni;
pub use nickname::Nicknames;
