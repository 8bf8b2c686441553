//! Name normalisation: transliterate, upper-case, drop titles and punctuation, fold Mc/Mac,
//! split hyphenated surnames into parts.
//!
//! "Kate O'Brien-Hughes", "KATHERINE OBRIEN" and "Catherine Ó Brien" must meet on common
//! ground: `OBRIENHUGHES` with parts `OBRIEN` and `HUGHES`, and `OBRIEN`.

use deunicode::deunicode;

/// Honorifics that exports put in front of forenames.
const TITLES: &[&str] = &[
    "MR",
    "MRS",
    "MS",
    "MISS",
    "MX",
    "DR",
    "PROF",
    "PROFESSOR",
    "SIR",
    "DAME",
    "REV",
    "REVD",
    "LADY",
    "LORD",
];

/// Generational suffixes that sometimes trail a surname.
const SUFFIXES: &[&str] = &["JR", "JNR", "SR", "SNR", "II", "III", "IV"];

/// Surname particles: "Da Silva" also answers to "Silva".
const PARTICLES: &[&str] = &[
    "DA", "DE", "DEL", "DELLA", "DER", "DI", "DOS", "DAS", "DU", "LA", "LE", "VAN", "VON", "DEN",
    "TER", "BIN", "BINTI", "AL", "EL", "AP",
];

/// A surname made comparable.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SurnameForm {
    /// All letters of the surname run together: `OBRIENHUGHES`.
    pub full: String,
    /// Hyphen-separated components and the name without leading particles, when they differ
    /// from `full`: `OBRIEN`, `HUGHES`.
    pub parts: Vec<String>,
}

/// Split a raw name into upper-case ASCII word tokens. Apostrophes and dots join (O'Brien ->
/// OBRIEN, St. -> ST); hyphens and spaces separate; `hyphen_groups` receives the token index
/// at which each hyphen-separated group starts.
fn tokens(raw: &str, hyphen_groups: &mut Vec<usize>) -> Vec<String> {
    let ascii = deunicode(raw);
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    hyphen_groups.clear();
    hyphen_groups.push(0);
    for ch in ascii.chars() {
        if ch.is_ascii_alphabetic() {
            cur.push(ch.to_ascii_uppercase());
        } else if matches!(ch, '\'' | '`' | '.' | '"') {
            // joins: O'Brien, D'Souza; "St." is the word ST
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if ch == '-' && !out.is_empty() && hyphen_groups.last() != Some(&out.len()) {
                hyphen_groups.push(out.len());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    hyphen_groups.retain(|&g| g < out.len());
    if hyphen_groups.is_empty() {
        hyphen_groups.push(0);
    }
    out
}

/// Fold Mc/Mac spellings and split-off prefixes onto one form: MC DONALD, McDonald and
/// MacDonald all become MACDONALD; O BRIEN becomes OBRIEN; ST and SAINT become SAINT.
fn fold_prefixes(toks: &mut Vec<String>, groups: &mut [usize]) {
    let mut i = 0;
    while let Some(tok) = toks.get(i) {
        let joins = matches!(tok.as_str(), "MC" | "MAC" | "O")
            && i + 1 < toks.len()
            && !groups.contains(&(i + 1));
        let next = joins.then(|| toks.remove(i + 1));
        if next.is_some() {
            for g in groups.iter_mut() {
                if *g > i {
                    *g -= 1;
                }
            }
        }
        let Some(tok) = toks.get_mut(i) else { break };
        if let Some(next) = next {
            tok.push_str(&next);
        }
        if tok == "ST" {
            *tok = "SAINT".into();
        }
        if let Some(rest) = tok.strip_prefix("MC") {
            if !rest.is_empty() {
                *tok = format!("MAC{rest}");
            }
        }
        i += 1;
    }
}

/// Normalise a surname.
pub fn surname_form(raw: &str) -> SurnameForm {
    let mut groups = Vec::new();
    let mut toks = tokens(raw, &mut groups);
    while toks.len() > 1 && toks.last().is_some_and(|t| SUFFIXES.contains(&t.as_str())) {
        toks.pop();
    }
    groups.retain(|&g| g < toks.len());
    fold_prefixes(&mut toks, &mut groups);
    groups.retain(|&g| g < toks.len());
    let full: String = toks.concat();
    let mut parts: Vec<String> = Vec::new();
    let mut push = |p: String| {
        if p.len() >= 2 && p != full && !parts.contains(&p) {
            parts.push(p);
        }
    };
    if groups.len() > 1 {
        for (k, &start) in groups.iter().enumerate() {
            let end = groups.get(k + 1).copied().unwrap_or(toks.len());
            if let Some(group) = toks.get(start..end) {
                push(group.concat());
            }
        }
    }
    let lead = toks
        .iter()
        .take_while(|t| PARTICLES.contains(&t.as_str()))
        .count();
    if let Some(rest) = toks.get(lead..).filter(|r| lead > 0 && !r.is_empty()) {
        push(rest.concat());
    }
    SurnameForm { full, parts }
}

/// Normalise forenames into tokens, first forename first, titles removed. "Mary-Jane" and
/// "Mary Jane" both give `MARY`, `JANE`.
pub fn forename_tokens(raw: &str) -> Vec<String> {
    let mut groups = Vec::new();
    let toks = tokens(raw, &mut groups);
    let lead = toks
        .iter()
        .take_while(|t| TITLES.contains(&t.as_str()))
        .count();
    if lead == toks.len() {
        return toks; // a forename that is only a title word: keep it rather than lose it
    }
    toks.into_iter().skip(lead).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(s: &str) -> String {
        surname_form(s).full
    }

    #[test]
    fn apostrophes_and_case_fold() {
        assert_eq!(full("O'Brien"), "OBRIEN");
        assert_eq!(full("o’brien"), "OBRIEN");
        assert_eq!(full("O Brien"), "OBRIEN");
        assert_eq!(full("D'Souza"), "DSOUZA");
    }

    #[test]
    fn accents_transliterate() {
        assert_eq!(full("Ó Súilleabháin"), "OSUILLEABHAIN");
        assert_eq!(full("Wałęsa"), "WALESA");
        assert_eq!(full("Müller"), "MULLER");
        assert_eq!(forename_tokens("Zoë"), vec!["ZOE"]);
    }

    #[test]
    fn mc_and_mac_fold_together() {
        assert_eq!(full("McDonald"), "MACDONALD");
        assert_eq!(full("MacDonald"), "MACDONALD");
        assert_eq!(full("Mc Donald"), "MACDONALD");
        assert_eq!(full("Mace"), "MACE");
    }

    #[test]
    fn hyphenated_surnames_keep_their_parts() {
        let f = surname_form("O'Brien-Hughes");
        assert_eq!(f.full, "OBRIENHUGHES");
        assert_eq!(f.parts, vec!["OBRIEN", "HUGHES"]);
        let f = surname_form("Smith - Jones");
        assert_eq!(f.parts, vec!["SMITH", "JONES"]);
    }

    #[test]
    fn particles_and_suffixes() {
        let f = surname_form("da Silva");
        assert_eq!(f.full, "DASILVA");
        assert_eq!(f.parts, vec!["SILVA"]);
        assert_eq!(full("Smith Jr."), "SMITH");
        assert_eq!(full("St. John"), "SAINTJOHN");
        assert_eq!(full("Saint John"), "SAINTJOHN");
    }

    #[test]
    fn titles_are_dropped_from_forenames() {
        assert_eq!(forename_tokens("Dr. Priya  Kaur"), vec!["PRIYA", "KAUR"]);
        assert_eq!(forename_tokens("Mary-Jane"), vec!["MARY", "JANE"]);
        assert_eq!(forename_tokens("MR"), vec!["MR"]);
        assert!(forename_tokens("  ").is_empty());
    }
}
