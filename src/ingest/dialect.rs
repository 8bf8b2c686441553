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

    /// The file's text as UTF-8 bytes, and the lines that had to be read as Windows-1252.
    ///
    /// Line ends are made `\n` first (`unix_line_ends`): a carriage return not followed by
    /// a line feed ends a line, as in files saved with old Mac line endings, and `\r\n`
    /// loses its `\r`. So line numbers, the per-line encoding below and the line-break reject
    /// (a lone `\r` inside a quoted field is a line break like any other) are the same for
    /// `\n`, `\r\n` and `\r` files. The csv parser already ends records at all three, so no
    /// record changes shape.
    ///
    /// Under `utf-8`, each line that is not valid UTF-8 is decoded as Windows-1252 on its
    /// own, so a file an export tool assembled from both (mixed encodings) keeps "Siobhán" right
    /// on every line. A newline byte never occurs inside a UTF-8 or Windows-1252 character,
    /// so splitting at newlines is safe even inside a quoted field.
    pub fn decode<'a>(&self, bytes: &'a [u8]) -> (Cow<'a, [u8]>, Option<Fallback>) {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        match unix_line_ends(bytes) {
            Cow::Borrowed(b) => self.decode_lines(b),
            Cow::Owned(b) => {
                let (text, fb) = self.decode_lines(&b);
                let text = match text {
                    Cow::Borrowed(_) => b,
                    Cow::Owned(t) => t,
                };
                (Cow::Owned(text), fb)
            }
        }
    }

    fn decode_lines<'a>(&self, bytes: &'a [u8]) -> (Cow<'a, [u8]>, Option<Fallback>) {
        match self.encoding {
            Encoding::Windows1252 => (cp1252(bytes), None),
            Encoding::Utf8 if std::str::from_utf8(bytes).is_ok() => (Cow::Borrowed(bytes), None),
            Encoding::Utf8 => {
                let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 8);
                let mut fb = Fallback {
                    lines: 0,
                    first_line: 0,
                };
                for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
                    if std::str::from_utf8(line).is_ok() {
                        out.extend_from_slice(line);
                    } else {
                        out.extend_from_slice(&cp1252(line));
                        fb.lines += 1;
                        if fb.first_line == 0 {
                            fb.first_line = i as u64 + 1;
                        }
                    }
                }
                (Cow::Owned(out), Some(fb))
            }
        }
    }
}

/// `bytes` with every line ended by `\n` alone: `\r\n` loses its `\r` and a lone `\r`
/// becomes `\n` (borrowed when there is no `\r`). The csv parser ends a record at any of the
/// three, but counts lines by `\n` and starts a CRLF file's records before their `\n`, so
/// without this every line number in a Windows export would be one too low.
fn unix_line_ends(bytes: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr(b'\r', bytes).is_none() {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut from = 0;
    for i in memchr::memchr_iter(b'\r', bytes) {
        out.extend_from_slice(bytes.get(from..i).unwrap_or_default());
        if bytes.get(i + 1) != Some(&b'\n') {
            out.push(b'\n');
        }
        from = i + 1;
    }
    out.extend_from_slice(bytes.get(from..).unwrap_or_default());
    Cow::Owned(out)
}

/// Lines of a UTF-8 file that were read as Windows-1252 instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fallback {
    pub lines: u64,
    pub first_line: u64,
}

fn cp1252(b: &[u8]) -> Cow<'_, [u8]> {
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(b);
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
    }
}

/// What a file that is plainly not CSV text is, from its first bytes: the usual mistakes are
/// handing over the workbook instead of a CSV saved from it, or Excel's "Unicode Text".
pub fn not_csv(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some("an Excel workbook (.xlsx) or another zip archive")
    } else if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        Some("an old-style Excel workbook (.xls)")
    } else if bytes.starts_with(&[0xff, 0xfe])
        || bytes.starts_with(&[0xfe, 0xff])
        || utf16_without_bom(bytes)
    {
        Some("UTF-16 text (Excel's \"Unicode Text\"), not UTF-8 or Windows-1252")
    } else if bytes.starts_with(b"%PDF") {
        Some("a PDF document")
    } else {
        None
    }
}

/// UTF-16 saved without a byte-order mark: in its first bytes, every other byte is NUL (an
/// ASCII header in UTF-16LE or BE). No CSV text has NUL bytes at all.
fn utf16_without_bom(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(64)).unwrap_or_default();
    if head.len() < 8 {
        return false;
    }
    let nul_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let half = head.len() / 2;
    nul_at(0) * 10 >= half * 9 || nul_at(1) * 10 >= half * 9
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
        assert_eq!(fell_back, None);
        let (text, fell_back) = Dialect::default().decode(bytes);
        assert_eq!(
            std::str::from_utf8(&text).unwrap(),
            "Siobhán,O\u{2019}Brien\n"
        );
        assert_eq!(
            fell_back,
            Some(Fallback {
                lines: 1,
                first_line: 1
            }),
            "not UTF-8: read as Windows-1252 with a warning"
        );
        // Valid UTF-8 is left alone (and its byte-order mark dropped).
        let (text, fell_back) = Dialect::default().decode("\u{feff}Siobhán\n".as_bytes());
        assert_eq!(&*text, "Siobhán\n".as_bytes());
        assert_eq!(fell_back, None);
    }

    #[test]
    fn mixed_encodings_are_decoded_line_by_line() {
        let mut bytes = "name\nSiobhán\n".as_bytes().to_vec(); // UTF-8
        bytes.extend_from_slice(b"Ren\xe9e\n"); // Windows-1252
        bytes.extend_from_slice("Zoë\n".as_bytes()); // UTF-8 again
        let (text, fb) = Dialect::default().decode(&bytes);
        assert_eq!(
            std::str::from_utf8(&text).unwrap(),
            "name\nSiobhán\nRenée\nZoë\n"
        );
        assert_eq!(
            fb,
            Some(Fallback {
                lines: 1,
                first_line: 3
            })
        );
    }

    #[test]
    fn workbooks_and_utf16_are_named_not_parsed() {
        assert!(not_csv(b"PK\x03\x04\x14\x00").unwrap().contains(".xlsx"));
        assert!(
            not_csv(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0])
                .unwrap()
                .contains(".xls)")
        );
        assert!(not_csv(&[0xff, 0xfe, b'e', 0]).unwrap().contains("UTF-16"));
        let le: Vec<u8> = "employee_id,surname"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "employee_id,surname"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert!(
            not_csv(&le).unwrap().contains("UTF-16"),
            "UTF-16LE without a BOM"
        );
        assert!(
            not_csv(&be).unwrap().contains("UTF-16"),
            "UTF-16BE without a BOM"
        );
        assert_eq!(not_csv(b"employee_id,surname\n"), None);
        assert_eq!(not_csv("\u{feff}employee_id".as_bytes()), None);
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
