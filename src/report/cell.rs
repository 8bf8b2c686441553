//! Spreadsheet-safe text cells.
//!
//! A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
//! Excel and LibreOffice (CSV injection). Text cells that start so get a leading apostrophe,
//! which spreadsheets display as plain text. Numeric columns are written by the program, not
//! copied from input, and never pass through here.

/// Neutralise a text cell taken from input data.
pub fn text(s: &str) -> std::borrow::Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn formula_starts_are_neutralised() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(text(bad), format!("'{bad}"));
        }
        for ok in ["Smith", "O'Brien", "", "1980-01-02", " =x"] {
            assert_eq!(text(ok), ok);
        }
    }
}
