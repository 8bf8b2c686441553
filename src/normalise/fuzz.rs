//! Fuzzing every normaliser with proptest: names, NI numbers, nicknames, date
//! parsing, the cell parsers and the enum and level ids, on arbitrary Unicode and on text
//! built to be hostile: multi-byte characters at every position, combining marks,
//! zero-width and bidirectional controls, emoji sequences, CR, NUL, and very long values.
//!
//! Each property asserts more than "no panic": the output has the shape the linker relies
//! on, and the NI check agrees with a model that counts characters rather than bytes.
//! `VETRECON_FUZZ_CASES` sets the cases per property (default 256, a few seconds for the
//! suite); docs/testing.md, "Fuzzing", gives the million-case command. The strategies are shared with
//! the whole-pipeline fuzz in `link::fuzz`.
#![allow(
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "test code: an out-of-range index here is a failing test, which is what we want"
)]

use super::{forename_tokens, normalise_ni, surname_form, Nicknames};
use crate::config::raw::RawConfig;
use crate::ingest::value::{human_format, parse_bool, parse_list, DateFormats};
use crate::model::Levels;
use crate::model::{EmploymentStatus, RoleType, VettingStatus};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Cases per property: `VETRECON_FUZZ_CASES`, else `default`.
pub(crate) fn cases(default: u32) -> u32 {
    std::env::var("VETRECON_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

pub(crate) fn config(default: u32) -> Config {
    Config {
        cases: cases(default),
        // The failing input is printed by the runner; nothing is written to the source tree.
        failure_persistence: None,
        ..Config::default()
    }
}

/// Characters that have broken text handling somewhere: more than one byte in UTF-8, more
/// than one char when case-mapped, invisible, direction-changing, or outside the BMP.
pub(crate) const AWKWARD: &[&str] = &[
    "É",
    "é",
    "ß",
    "ẞ",
    "İ",
    "ı",
    "ŉ",
    "ǅ",
    "ﬁ",
    "Å",
    "Ø",
    "Ł",
    "ð",
    "Þ", // Latin oddities
    "５",
    "٣",
    "०",
    "Ⅻ",
    "½",
    "²", // digits that are not ASCII digits
    "\u{301}",
    "\u{308}",
    "\u{20DD}",
    "\u{34F}", // combining marks
    "\u{200B}",
    "\u{200C}",
    "\u{200D}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{AD}", // zero-width, soft hyphen
    "\u{202E}",
    "\u{202D}",
    "\u{200F}",
    "\u{061C}",
    "\u{2067}", // bidi controls
    "محمد",
    "כהן",
    "王",
    "क्षि",
    "ไทย",
    "Ωμέγα",
    "Дмитрий", // other scripts, RTL included
    "👩‍👩‍👧",
    "🇬🇧",
    "🏳️‍🌈",
    "👍🏽",
    "😀", // emoji: ZWJ sequences, flags, modifiers
    "\u{10FFFF}",
    "\u{FFFD}",
    "\u{E000}",
    "\u{FFFF}", // edges of the code space
    "\r",
    "\n",
    "\r\n",
    "\0",
    "\t",
    "\u{B}",
    "\u{C}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{A0}",
    "\u{3000}",
    "\u{2009}", // Unicode spaces
    "'",
    "’",
    "`",
    "\"",
    ",",
    ";",
    ".",
    "-",
    "‐",
    "—",
    "－", // joiners and separators
];

/// One piece of hostile text.
pub(crate) fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(AWKWARD).prop_map(str::to_string),
        3 => "[A-Za-z]{1,8}",
        1 => "[0-9]{1,6}",
        1 => any::<char>().prop_map(String::from),
        1 => "\\PC{1,4}",
        1 => "(Mc|Mac|O|St|Da|Van|Dr|Mr|Jr|III)",
    ]
}

/// Hostile text: up to 24 pieces, sometimes one piece repeated into a long value.
pub(crate) fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::collection::vec(atom(), 0..24).prop_map(|v| v.concat()),
        2 => any::<String>(),
        1 => (atom(), 200..5_000usize).prop_map(|(a, n)| a.repeat(n)),
    ]
}

/// A well-formed NI number that is not a placeholder.
fn valid_ni() -> impl Strategy<Value = String> {
    "[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]?"
        .prop_filter("placeholders are not valid", |s| {
            !s.starts_with("TN") && !s.contains("000000")
        })
}

/// The NI rule written again over chars: the byte-level implementation must agree with it
/// on every input (a disagreement means bytes and characters were confused).
fn ni_model(raw: &str) -> Option<String> {
    let c: Vec<char> = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !(c.len() == 8 || c.len() == 9) {
        return None;
    }
    let ok = c[0].is_ascii_alphabetic()
        && c[1].is_ascii_alphabetic()
        && c[2..8].iter().all(char::is_ascii_digit)
        && (c.len() == 8 || ('A'..='D').contains(&c[8]))
        && !(c[0] == 'T' && c[1] == 'N')
        && c[2..8].iter().any(|&d| d != '0')
        && !"DFIQUV".contains(c[0])
        && !"DFIOQUV".contains(c[1]);
    ok.then(|| c[..8].iter().collect())
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// Date format lists a force might configure, and ones no force should.
fn date_formats() -> impl Strategy<Value = Vec<String>> {
    let piece = prop_oneof![
        4 => proptest::sample::select(&["%Y", "%m", "%d", "%y", "/", "-", ".", " "][..])
            .prop_map(str::to_string),
        1 => proptest::sample::select(
            &["%e", "%b", "%B", "%j", "%%", "%", "%-d", "%C", "%G", "%U", "%s", "%:z", "%.3f"][..]
        )
        .prop_map(str::to_string),
        1 => atom().prop_map(|s| s.chars().take(2).collect::<String>()),
    ];
    let one = proptest::collection::vec(piece, 0..7).prop_map(|v| v.concat());
    prop_oneof![
        3 => proptest::sample::subsequence(
            vec!["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y%m%d", "%m/%d/%y"],
            1..4
        )
        .prop_map(|v| v.into_iter().map(str::to_string).collect()),
        1 => proptest::collection::vec(one, 0..4),
    ]
}

/// A date value: a real or impossible date with hostile text spliced in at any position.
fn date_value() -> impl Strategy<Value = String> {
    let base = prop_oneof![
        (1850i32..2100, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (0u32..33, 0u32..14, 0i32..10000).prop_map(|(d, m, y)| format!("{d:02}/{m:02}/{y}")),
        "[0-9/.-]{0,12}",
        hostile(),
    ];
    (base, atom(), any::<prop::sample::Index>(), any::<bool>()).prop_map(|(b, a, at, splice)| {
        if !splice {
            return b;
        }
        let cut = b.char_indices().map(|(i, _)| i).chain([b.len()]);
        let cut: Vec<usize> = cut.collect();
        let i = cut[at.index(cut.len())];
        format!("{}{a}{}", &b[..i], &b[i..])
    })
}

proptest! {
    #![proptest_config(config(256))]

    /// Ingest's name check skips the full normalisation for a name with an ASCII letter
    /// (`ingest::check_name`): such a name never normalises to nothing.
    #[test]
    fn fuzz_an_ascii_letter_always_survives_normalisation(raw in hostile(), at in 0usize..64, letter in proptest::char::range('A', 'z')) {
        if letter.is_ascii_alphabetic() {
            let mut chars: Vec<char> = raw.chars().collect();
            chars.insert(at.min(chars.len()), letter);
            let name: String = chars.into_iter().collect();
            prop_assert!(!surname_form(&name).full.is_empty(), "{:?}", name);
        }
    }

    /// Any text: the NI check never panics and agrees with the char-level model; what it
    /// returns is 8 ASCII characters that normalise to themselves.
    #[test]
    fn fuzz_ni_agrees_with_a_char_level_model(raw in hostile()) {
        let got = normalise_ni(&raw);
        prop_assert_eq!(&got, &ni_model(&raw));
        if let Some(n) = got {
            prop_assert_eq!(n.len(), 8);
            prop_assert_eq!(normalise_ni(&n), Some(n.clone()));
        }
    }

    /// A valid NI number with a multi-byte or invisible character inserted at every
    /// position, or replacing any one character: never a panic, and only Unicode
    /// spacing leaves it valid.
    #[test]
    fn fuzz_ni_with_a_character_at_every_position(
        ni in valid_ni(),
        ch in proptest::sample::select(AWKWARD),
        replace in any::<bool>(),
    ) {
        for (i, _) in ni.char_indices().chain([(ni.len(), ' ')]) {
            let end = if replace { (i + 1).min(ni.len()) } else { i };
            let raw = format!("{}{ch}{}", &ni[..i], &ni[end..]);
            let got = normalise_ni(&raw);
            prop_assert_eq!(&got, &ni_model(&raw), "{:?}", raw);
            if !replace && ch.chars().all(|c| c.is_whitespace() || c == '-') {
                prop_assert_eq!(got.as_deref(), Some(&ni[..8]));
            }
        }
    }

    /// Any text as a surname: `full` and every part are upper-case ASCII letters, parts are
    /// distinct, at least two letters, and never the full form again.
    #[test]
    fn fuzz_surname_form_has_the_shape_the_linker_needs(raw in hostile()) {
        let f = surname_form(&raw);
        prop_assert!(f.full.is_empty() || is_token(&f.full), "{:?}", f.full);
        for (i, p) in f.parts.iter().enumerate() {
            prop_assert!(is_token(p) && p.len() >= 2 && *p != f.full, "{:?}", f);
            prop_assert!(!f.parts[..i].contains(p), "{:?}", f);
        }
    }

    /// Any text as forenames: tokens of upper-case ASCII letters, and no more tokens than
    /// the transliterated text has runs of letters.
    #[test]
    fn fuzz_forename_tokens_are_ascii_words(raw in hostile()) {
        let toks = forename_tokens(&raw);
        for t in &toks {
            prop_assert!(is_token(t), "{:?}", toks);
        }
        prop_assert!(toks.len() <= deunicode::deunicode(&raw).len());
    }

    /// Any text as a nickname table: parsed or refused with a line number and never a name;
    /// the built-in table's equivalence is symmetric on any two forenames.
    #[test]
    fn fuzz_nicknames_parse_and_compare(text in hostile(), a in hostile(), b in hostile()) {
        match Nicknames::parse(&text) {
            Ok(n) => {
                let _ = n.groups_of(&a);
            }
            Err(e) => {
                prop_assert!(e.starts_with("nickname table line "), "{}", e);
                prop_assert!(e.ends_with(": a group needs at least two names"), "{}", e);
            }
        }
        let (a, b) = (forename_tokens(&a).concat(), forename_tokens(&b).concat());
        let symmetric = BUILTIN.with(|n| n.equivalent(&a, &b) == n.equivalent(&b, &a));
        prop_assert!(symmetric, "{:?} {:?}", a, b);
    }

    /// Any date text under any format list, sane or not: a date or a reason, never a panic;
    /// and a date read back in the first format that accepts it reads the same.
    #[test]
    fn fuzz_date_parsing_under_any_format_list(formats in date_formats(), s in date_value()) {
        let shown: Vec<String> = formats.iter().map(|f| human_format(f)).collect();
        let f = DateFormats::new(formats);
        match f.parse(&s) {
            Ok(d) => {
                let again = f.list().iter().find_map(|fmt| {
                    chrono::NaiveDate::parse_from_str(s.trim(), fmt).ok().map(|_| fmt)
                });
                prop_assert!(again.is_some());
            prop_assert!(d >= chrono::NaiveDate::MIN && d <= chrono::NaiveDate::MAX);
            }
            Err(e) => prop_assert!(
                e.starts_with("ambiguous date: ")
                    || e.contains(&shown.join(", "))
                    || e.starts_with("the year is outside"),
                "{}", e
            ),
        }
    }

    /// The other cell parsers and every id parser (role, status, vetting status, level
    /// names and periods): an answer on any text, and a list item is trimmed and non-empty.
    #[test]
    fn fuzz_cell_and_id_parsers(s in hostile()) {
        let _ = parse_bool(&s);
        for item in parse_list(&s) {
            prop_assert!(!item.is_empty() && item.trim() == item && !item.contains(';'));
        }
        let _ = RoleType::parse(&s);
        let _ = EmploymentStatus::parse(&s);
        let _ = VettingStatus::parse(&s);
        let _ = crate::model::Period::parse(&s);
        LEVELS.with(|levels| {
            if let Some(l) = levels.parse(&s) {
                let _ = levels.name(l);
            }
        });
    }
}

thread_local! {
    /// The built-in nickname table, parsed once per test thread.
    static BUILTIN: Nicknames = Nicknames::builtin();
    /// The default level ladder, built once per test thread.
    static LEVELS: Levels = crate::config::Policy::build(&RawConfig::default())
        .expect("the default config builds")
        .levels;
}

#[test]
fn the_model_and_the_fix_agree_on_multibyte_and_well_formed_ni_values() {
    for v in [
        "AÉ123456",
        "AB1234５",
        "AB123456C",
        "ab 12 34 56 c",
        "TN123456A",
    ] {
        assert_eq!(normalise_ni(v), ni_model(v), "{v}");
    }
    assert_eq!(ni_model("AB123456C").as_deref(), Some("AB123456"));
}
