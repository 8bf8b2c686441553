//! National Insurance numbers: strip spacing and case, and keep only what looks like one.
//!
//! An NI number that agrees is the strongest evidence the linker has, so a malformed value
//! is treated as missing rather than risk two placeholders ("AA000000A", "TN...") agreeing.

/// Normalise an NI number to `AB123456C` (suffix optional), or `None` when it is not one.
///
/// Total on any text: the layout is checked on bytes split by pattern, never by slicing a
/// `str` at an offset, so a multi-byte character anywhere is simply a byte that is not a
/// letter or digit (`AÉ123456` is missing, not a panic that prints the value).
pub fn normalise_ni(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let (&[p0, p1], rest) = s.as_bytes().split_first_chunk::<2>()?;
    let (digits, suffix) = rest.split_first_chunk::<6>()?;
    let suffix_ok = match suffix {
        [] => true,
        [c] => matches!(c, b'A'..=b'D'),
        _ => false,
    };
    let prefix_ok = p0.is_ascii_alphabetic() && p1.is_ascii_alphabetic();
    let digits_ok = digits.iter().all(u8::is_ascii_digit);
    // Administrative and temporary numbers, and the all-zero placeholder, identify nobody.
    let placeholder = [p0, p1] == *b"TN" || *digits == *b"000000";
    let bad_prefix = matches!(p0, b'D' | b'F' | b'I' | b'Q' | b'U' | b'V')
        || matches!(p1, b'D' | b'F' | b'I' | b'O' | b'Q' | b'U' | b'V');
    if !(prefix_ok && digits_ok && suffix_ok) || placeholder || bad_prefix {
        return None;
    }
    // Every byte kept was just checked to be an ASCII letter or digit.
    let mut out = String::with_capacity(8);
    out.extend([p0, p1].iter().chain(digits).map(|&b| char::from(b)));
    Some(out)
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

    /// A multi-byte character where a letter or digit belongs is no letter or digit: the
    /// check never slices the string by bytes, so it cannot panic (exit 101, the value on
    /// stderr). A malformed NI number is missing, as documented.
    #[test]
    fn ni_with_multibyte_chars_is_missing() {
        for bad in [
            "AÉ123456",  // É splits bytes 1..3, across the prefix and the digits
            "AB1234５",  // a full-width digit: 9 bytes, cut inside it at 8
            "AB12345５", // 10 bytes
            "ÉB123456C",
            "AB123456Ć",
            "AB123456\u{301}",
            "A\u{200B}B123456",
        ] {
            assert_eq!(normalise_ni(bad), None, "{bad:?}");
        }
        // Unicode spacing is still ignored around a well-formed number.
        assert_eq!(
            normalise_ni("\u{3000}AB 123456 C\u{a0}").as_deref(),
            Some("AB123456")
        );
    }
}
