//! National Insurance numbers: strip spacing and case, and keep only what looks like one.
//!
//! An NI number that agrees is the strongest evidence the linker has, so a malformed value
//! is treated as missing rather than risk two placeholders ("AA000000A", "TN...") agreeing.

/// Normalise an NI number to `AB123456C` (suffix optional), or `None` when it is not one.
pub fn normalise_ni(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let b = s.as_bytes();
    if !(b.len() == 8 || b.len() == 9) {
        return None;
    }
    let prefix_ok = b[0].is_ascii_alphabetic() && b[1].is_ascii_alphabetic();
    let digits_ok = b[2..8].iter().all(u8::is_ascii_digit);
    let suffix_ok = b.len() == 8 || matches!(b[8], b'A'..=b'D');
    // Administrative and temporary numbers, and the all-zero placeholder, identify nobody.
    let placeholder = s.starts_with("TN") || &s[2..8] == "000000";
    let bad_prefix = matches!(b[0], b'D' | b'F' | b'I' | b'Q' | b'U' | b'V')
        || matches!(b[1], b'D' | b'F' | b'I' | b'O' | b'Q' | b'U' | b'V');
    (prefix_ok && digits_ok && suffix_ok && !placeholder && !bad_prefix).then(|| s[..8].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_and_case_are_ignored() {
        assert_eq!(normalise_ni("ab 12 34 56 c").as_deref(), Some("AB123456"));
        assert_eq!(normalise_ni("AB123456").as_deref(), Some("AB123456"));
    }

    #[test]
    fn junk_and_placeholders_are_missing() {
        assert_eq!(normalise_ni(""), None);
        assert_eq!(normalise_ni("unknown"), None);
        assert_eq!(normalise_ni("AB12345"), None);
        assert_eq!(normalise_ni("TN010180M"), None);
        assert_eq!(normalise_ni("AB000000A"), None);
        assert_eq!(normalise_ni("QQ123456C"), None);
    }
}
