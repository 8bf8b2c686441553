//! Commands printed for a person to copy into a shell: the review queue's `vetrecon decide`
//! lines (report.html and the spreadsheet), `vetrecon show` on the page and in chain.txt,
//! and the `vetrecon report` an error suggests.
//!
//! Every word of a printed command is quoted for a POSIX shell by the `shlex` crate, so a
//! value taken from an export (a vetting reference, an employee id, a path) is always one
//! word and never shell syntax: `V501393$(touch${IFS}PWNED)` prints as
//! `'V501393$(touch${IFS}PWNED)'`, and pasted it is that text, not a command. A word that
//! needs no quoting (`E1184`, `confirm`) prints as it is.
//!
//! No quoting makes a control or bidi character safe to paste (a terminal acts on a control
//! character even inside quotes, and a bidi override reorders what the reader sees), so a
//! command with such a word is not printed at all: `decide` prints a note saying how to
//! record the decision instead.
//!
//! The decide line carries two placeholders for the officer to replace. `decide` refuses
//! them (`is_placeholder`), so a line pasted unedited records nothing.

use crate::history::text::is_unsafe;

/// What the decide line puts where the officer's name goes.
pub const PLACEHOLDER_BY: &str = "YOUR NAME";
/// What the decide line puts where what was checked goes.
pub const PLACEHOLDER_REASON: &str = "WHAT YOU CHECKED";

/// Every placeholder an output prints in place of a `--by` or `--reason` value: the decide
/// line's two, and the words of the page's syntax note (`--by NAME --reason TEXT`).
pub const PLACEHOLDERS: [&str; 4] = [PLACEHOLDER_BY, PLACEHOLDER_REASON, "NAME", "TEXT"];

/// `words` as one POSIX shell command line, each word quoted as it needs; `None` when a word
/// holds a character no quoting makes safe to paste (`history::text::is_unsafe`: control
/// and bidi characters, NUL among them).
pub fn line(words: &[&str]) -> Option<String> {
    if words.iter().any(|w| w.chars().any(is_unsafe)) {
        return None;
    }
    shlex::try_join(words.iter().copied()).ok()
}

/// The command that records a decision, ids filled in and quoted, ready to copy; or, when an
/// id cannot be pasted safely, a note saying how to record it instead.
pub fn decide(verdict: &str, employee_id: &str, vetting_ref: &str) -> String {
    line(&[
        "vetrecon",
        "decide",
        verdict,
        employee_id,
        vetting_ref,
        "--by",
        PLACEHOLDER_BY,
        "--reason",
        PLACEHOLDER_REASON,
    ])
    .unwrap_or_else(|| {
        "(no command: an id of this pair holds a control or bidi character, which cannot be pasted into a shell safely; record the decision in the Review queue sheet and import it with vetrecon decide --import)".to_string()
    })
}

/// `vetrecon show RUN` for a run, quoted (a run id never needs it, but every printed
/// command goes through `line`); a run id no shell could take prints as `RUN`.
pub fn show_run(run_id: &str) -> String {
    line(&["vetrecon", "show", run_id]).unwrap_or_else(|| "vetrecon show RUN".to_string())
}

/// Whether `text` (a `--by` or `--reason`) is a placeholder an output printed, left as it
/// was: one of `PLACEHOLDERS` whatever its case, spacing, the quotes and brackets around it
/// or the separators between its words (`YOURNAME`, `YOUR_NAME`), or text holding the decide
/// line's own placeholder (`YOUR NAME`, `WHAT YOU CHECKED`, in capitals as printed, whatever
/// separates its words). Compatibility forms are read as the letters they show (NFKC), so
/// the full-width `ＹＯＵＲ ＮＡＭＥ` a converted sheet can hold is the placeholder too.
pub fn is_placeholder(text: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let text: String = text.nfkc().collect();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
    let bare = upper.join(" ");
    let compact = upper.concat();
    let spaced = words.join(" ");
    PLACEHOLDERS
        .iter()
        .any(|p| bare == *p || compact == p.replace(' ', ""))
        || spaced.contains(PLACEHOLDER_BY)
        || spaced.contains(PLACEHOLDER_REASON)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a POSIX shell makes of `line`: the words it would run, read back by shlex's own
    /// splitter (which follows the POSIX rules for quotes).
    fn words_of(line: &str) -> Vec<String> {
        shlex::split(line).expect("a well-formed line")
    }

    #[test]
    fn every_value_in_a_decide_line_is_one_word_of_its_own() {
        let evil = "V501393$(touch${IFS}PWNED)";
        let l = decide("confirm", "E1184", evil);
        assert_eq!(
            l,
            "vetrecon decide confirm E1184 'V501393$(touch${IFS}PWNED)' --by 'YOUR NAME' --reason 'WHAT YOU CHECKED'"
        );
        for id in [
            evil,
            "E1`id`",
            "E1; rm -rf ~",
            "it's",
            "a\"b",
            "*",
            "~root",
            "x > y",
            "$HOME",
            "!!",
            "",
            "Ní Bhriain",
        ] {
            let l = decide("reject", id, id);
            let w = words_of(&l);
            assert_eq!(w.len(), 9, "{l}");
            assert_eq!((w[3].as_str(), w[4].as_str()), (id, id), "{l}");
            assert_eq!(
                (w[6].as_str(), w[8].as_str()),
                (PLACEHOLDER_BY, PLACEHOLDER_REASON)
            );
        }
        // Plain ids print as they are.
        assert_eq!(
            line(&["vetrecon", "show", "20261124-01"]).unwrap(),
            "vetrecon show 20261124-01"
        );
    }

    #[test]
    fn a_control_or_bidi_character_prints_no_command() {
        for id in ["E1\tx", "E1\nrm -rf ~", "E1\u{1b}[2J", "E\u{202E}1", "E1\0"] {
            assert_eq!(line(&["vetrecon", "decide", "confirm", id]), None);
            let note = decide("confirm", id, "V1");
            assert!(note.starts_with("(no command:"), "{note}");
            assert!(!note.contains(id), "{note}");
        }
    }

    #[test]
    fn printed_placeholders_are_recognised_and_real_text_is_not() {
        for p in [
            "YOUR NAME",
            "WHAT YOU CHECKED",
            "your name",
            " 'YOUR  NAME' ",
            "\"WHAT YOU CHECKED\"",
            "NAME",
            "TEXT",
            "<name>",
            "[text]",
            "DS Patel (YOUR NAME)",
            "checked: WHAT YOU CHECKED",
            // Its words run together or split otherwise, in full-width letters, or with a
            // no-break space: still the placeholder, pasted unedited.
            "YOURNAME",
            "WhatYouChecked",
            "Y.O.U.R N.A.M.E",
            "\u{ff39}\u{ff2f}\u{ff35}\u{ff32} \u{ff2e}\u{ff21}\u{ff2d}\u{ff25}",
            "DS Patel (YOUR\u{a0}NAME)",
            "checked: WHAT_YOU_CHECKED",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for ok in [
            "DS Patel",
            "passport and payroll record checked",
            "checked the name and text of the passport",
            "Name Surname",
            "what you checked was the passport",
            "Dr Your-Name Smith",
            "",
        ] {
            assert!(!is_placeholder(ok), "{ok}");
        }
    }
}
