//! Stored free text, made safe to print: the one escaping function every history printer
//! uses, and the character test `decide` refuses input with.
//!
//! A decision's `by` and `reason`, an input path, a post title: all of it reaches the store
//! from outside, and a store written by an older build (or altered) may hold anything. A
//! newline in a reason would print as a line of its own, so `person` could be made to show
//! a run or a clearance that never happened; a bidi override can reorder what the reader
//! sees. Printers therefore build their output line by line and escape each line, so nothing
//! stored can start a line or hide text. The test is the same on the way in (refusal) and on
//! the way out (escaping), so anything refused today prints escaped from an older store.

use std::borrow::Cow;
use std::fmt::Write;

/// Longest `by` a decision may carry, in characters (a name and a warrant number fit).
pub const MAX_BY_CHARS: usize = 100;
/// Longest `reason` a decision may carry, in characters (a paragraph of what was checked).
pub const MAX_REASON_CHARS: usize = 1000;

/// Characters that must never reach a terminal raw: every Unicode control character
/// (C0, DEL, C1: newline, carriage return, tab, escape, NEL...), the line and paragraph
/// separators (some viewers break lines at them), and the bidi embeddings, overrides,
/// isolates and marks (they reorder or hide text on screen).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
        )
}

/// `text` with every unsafe character written as a `\u{..}` escape (a newline prints as
/// `\u{a}`). Text without one is returned as it is.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Append one printed line: `text` escaped, then a newline. Printers use this (through
/// `put!`) instead of `writeln!`, so a line break can only come from the printer itself.
pub fn push_line(out: &mut String, text: &str) {
    out.push_str(&escape(text));
    out.push('\n');
}

/// Why a piece of free text offered for the store is refused, if it is: the first unsafe
/// character (by code point, never echoing the text), or its length over `max` characters.
pub fn refusal(text: &str, max: usize) -> Option<String> {
    if let Some(c) = text.chars().find(|c| is_unsafe(*c)) {
        return Some(format!(
            "contains the control or bidi character U+{:04X}; line breaks, tabs and direction overrides are not allowed",
            c as u32
        ));
    }
    let n = text.chars().count();
    (n > max).then(|| format!("is {n} characters long, more than the {max} allowed"))
}

/// `put!(out, "format", args...)`: format one line and append it escaped (`push_line`).
macro_rules! put {
    ($out:expr) => {
        $crate::history::text::push_line($out, "")
    };
    ($out:expr, $($arg:tt)*) => {
        $crate::history::text::push_line($out, &format!($($arg)*))
    };
}
pub(crate) use put;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_renders_control_and_bidi_characters_as_escapes() {
        assert_eq!(escape("DS Patel"), "DS Patel");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(
            escape("DS Patel\nrun 20261124-01 as of 2026-11-24"),
            "DS Patel\\u{a}run 20261124-01 as of 2026-11-24"
        );
        assert_eq!(escape("a\r\tb\u{1b}[2J"), "a\\u{d}\\u{9}b\\u{1b}[2J");
        assert_eq!(escape("x\u{202E}cba\u{2066}"), "x\\u{202e}cba\\u{2066}");
        assert_eq!(escape("\u{85}\u{2028}\u{7f}"), "\\u{85}\\u{2028}\\u{7f}");
        // Accents and other scripts are text, not controls.
        assert_eq!(escape("Siobhán Ní Bhriain"), "Siobhán Ní Bhriain");
    }

    #[test]
    fn push_line_keeps_one_line_per_call() {
        let mut s = String::new();
        put!(&mut s, "decision by {}", "x\nclearance V999 DV granted");
        put!(&mut s);
        assert_eq!(s, "decision by x\\u{a}clearance V999 DV granted\n\n");
        assert_eq!(s.lines().count(), 2);
    }

    #[test]
    fn refusal_names_the_character_and_the_limit() {
        assert_eq!(refusal("DS Patel", MAX_BY_CHARS), None);
        let e = refusal("DS Patel\nrun", MAX_BY_CHARS).unwrap();
        assert!(e.contains("U+000A"), "{e}");
        assert!(
            !e.contains("Patel"),
            "the refusal must not echo the text: {e}"
        );
        assert!(refusal("a\u{202E}b", 10).unwrap().contains("U+202E"));
        assert!(refusal("\t", 10).unwrap().contains("U+0009"));
        assert_eq!(refusal(&"é".repeat(100), MAX_BY_CHARS), None);
        assert_eq!(
            refusal(&"é".repeat(101), MAX_BY_CHARS).unwrap(),
            "is 101 characters long, more than the 100 allowed"
        );
    }
}
