//! Spreadsheet-safe text cells.
//!
//! A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
//! Excel and LibreOffice (CSV injection). So is one that begins with a look-alike of those
//! four that a spreadsheet may fold into it: a full-width `＝` (U+FF1D), a small `﹢`
//! (U+FE62), a superscript `⁺` (U+207A) and the like, which is every character whose NFKC
//! compatibility form is one of them (Unicode's own table, through `unicode-normalization`).
//! Text cells that start so get a leading apostrophe, which spreadsheets display as plain
//! text. Numeric columns are written by the program, not copied from input, and never pass
//! through here.

use unicode_normalization::UnicodeNormalization;

/// Whether text starting so would be read as a formula.
pub fn formula_start(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let trigger = |c: char| matches!(c, '=' | '+' | '-' | '@');
    if first.is_ascii() {
        return trigger(first) || matches!(first, '\t' | '\r');
    }
    // Only the first character's compatibility form: NFKC of one character is a few.
    std::iter::once(first).nfkc().next().is_some_and(trigger)
}

/// Neutralise a text cell taken from input data.
pub fn text(s: &str) -> std::borrow::Cow<'_, str> {
    if formula_start(s) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// A cell as it was before `text` guarded it (for reading an output back).
pub fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_start(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(text(bad), format!("'{bad}"));
        }
        for ok in ["Smith", "O'Brien", "", "1980-01-02", " =x"] {
            assert_eq!(text(ok), ok);
        }
    }

    #[test]
    fn look_alikes_of_formula_characters_are_neutralised() {
        // Full-width, small and super/subscript forms of = + - @.
        for bad in [
            "\u{FF1D}HYPERLINK(\"x\")",
            "\u{FE66}1",
            "\u{207C}1",
            "\u{208C}1",
            "\u{FF0B}1",
            "\u{FE62}1",
            "\u{207A}1",
            "\u{208A}1",
            "\u{FF0D}2",
            "\u{FE63}2",
            "\u{FF20}SUM(A1)",
            "\u{FE6B}SUM(A1)",
        ] {
            assert_eq!(text(bad), format!("'{bad}"), "{}", bad.escape_unicode());
            assert_eq!(unguarded(&text(bad)), bad);
        }
        // Letters and other marks are not: NFKC of them is no formula character.
        for ok in ["Ó Briain", "\u{2212}1", "Ａnn", "é"] {
            assert_eq!(text(ok), ok);
        }
        assert_eq!(unguarded("'=x"), "=x");
        assert_eq!(unguarded("'O'Brien"), "'O'Brien");
    }
}
