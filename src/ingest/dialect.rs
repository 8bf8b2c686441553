//! Dialect: how an input file is encoded and delimited.
//!
//! Excel on Windows saves "CSV" in Windows-1252, not UTF-8, and some exports use semicolons
//! or tabs. The config says what to expect (`input.encoding`, `input.delimiter`). A file that
//! is not valid UTF-8 is read as Windows-1252 even when UTF-8 was expected, with a warning,
//! because every byte sequence is valid Windows-1252 and a name like "Siobhán" must not be
//! lost to a byte the export wrote differently. Decoding uses encoding_rs (the WHATWG
//! decoders browsers use). The store keeps the raw bytes, so replay decodes them the same way.

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, falling back to Windows-1252 (with a warning) when the bytes are not UTF-8.
    Utf8,
    Windows1252,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub encoding: Encoding,
    pub delimiter: u8,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            encoding: Encoding::Utf8,
            delimiter: b',',
        }
    }
}

impl Dialect {
    /// Validate the config's `input.encoding` and `input.delimiter`.
    pub fn build(encoding: &str, delimiter: &str) -> Result<Dialect, String> {
        let encoding = match encoding.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Encoding::Utf8,
            "windows-1252" | "cp1252" => Encoding::Windows1252,
            other => {
                return Err(format!(
                    "input.encoding `{other}` is not `utf-8` or `windows-1252`"
                ))
            }
        };
        let delimiter = match delimiter {
            "," => b',',
            ";" => b';',
            "\t" => b'\t',
            "|" => b'|',
            other => {
                return Err(format!(
                    "input.delimiter `{}` is not one of `,` `;` `|` or a tab (\"\\t\")",
                    other.escape_debug()
                ))
            }
        };
        Ok(Dialect {
            encoding,
            delimiter,
        })
    }

    /// The file's text as UTF-8 bytes, and whether it had to fall back to Windows-1252.
    pub fn decode<'a>(&self, bytes: &'a [u8]) -> (Cow<'a, [u8]>, bool) {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let cp1252 = |b: &'a [u8]| {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(b);
            match text {
                Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
                Cow::Owned(s) => Cow::Owned(s.into_bytes()),
            }
        };
        match self.encoding {
            Encoding::Windows1252 => (cp1252(bytes), false),
            Encoding::Utf8 if std::str::from_utf8(bytes).is_ok() => (Cow::Borrowed(bytes), false),
            Encoding::Utf8 => (cp1252(bytes), true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_decoded_when_asked_or_when_the_bytes_are_not_utf8() {
        let bytes = b"Siobh\xe1n,O\x92Brien\n"; // á and a right single quote in Windows-1252
        let forced = Dialect::build("windows-1252", ",").unwrap();
        let (text, fell_back) = forced.decode(bytes);
        assert_eq!(
            std::str::from_utf8(&text).unwrap(),
            "Siobhán,O\u{2019}Brien\n"
        );
        assert!(!fell_back);
        let (text, fell_back) = Dialect::default().decode(bytes);
        assert_eq!(
            std::str::from_utf8(&text).unwrap(),
            "Siobhán,O\u{2019}Brien\n"
        );
        assert!(fell_back, "not UTF-8: read as Windows-1252 with a warning");
        // Valid UTF-8 is left alone (and its byte-order mark dropped).
        let (text, fell_back) = Dialect::default().decode("\u{feff}Siobhán\n".as_bytes());
        assert_eq!(&*text, "Siobhán\n".as_bytes());
        assert!(!fell_back);
    }

    #[test]
    fn only_known_encodings_and_delimiters() {
        assert_eq!(Dialect::build("UTF8", ";").unwrap().delimiter, b';');
        assert_eq!(Dialect::build("cp1252", "\t").unwrap().delimiter, b'\t');
        assert!(Dialect::build("latin-9", ",").is_err());
        assert!(Dialect::build("utf-8", ";;").is_err());
        assert!(Dialect::build("utf-8", "").is_err());
    }
}
