//! The force's coded lists (`[casework]` case types and stages, `[prevention]` condition
//! types and owning units): how a code is spelled for comparison, and how a list is checked.

use std::sync::Arc;

/// A code as lists and values are compared: lower case, spaces and hyphens as underscores.
pub fn fold(s: &str) -> String {
    s.trim().to_lowercase().replace([' ', '-'], "_")
}

/// The coded list `section.key` of the config: folded (`fold`), no blanks, no repeats, not
/// empty; the error names the key.
pub fn list(section: &str, key: &str, v: &[String]) -> Result<Vec<Arc<str>>, String> {
    let mut out: Vec<Arc<str>> = Vec::new();
    for s in v {
        let c = fold(s);
        if c.is_empty() {
            return Err(format!("{section}.{key} holds a blank code"));
        }
        if out.iter().any(|o| **o == *c) {
            return Err(format!("{section}.{key} lists `{c}` twice"));
        }
        out.push(c.into());
    }
    if out.is_empty() {
        return Err(format!("{section}.{key} is empty"));
    }
    Ok(out)
}

/// `value` as one of `list`, compared folded.
pub fn find<'a>(list: &'a [Arc<str>], value: &str) -> Option<&'a Arc<str>> {
    let v = fold(value);
    list.iter().find(|c| ***c == *v)
}

/// The codes of a list, comma-separated, for an error.
pub fn join(v: &[Arc<str>]) -> String {
    v.iter().map(|s| &**s).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_coded_list_is_folded_and_refuses_blanks_repeats_and_emptiness() {
        let l = list("s", "k", &["Non-Police".into(), "case type".into()]).unwrap();
        assert_eq!(join(&l), "non_police, case_type");
        assert_eq!(find(&l, " NON POLICE ").map(|c| &**c), Some("non_police"));
        assert_eq!(find(&l, "police"), None);
        assert!(list("s", "k", &["a".into(), "A".into()])
            .unwrap_err()
            .contains("twice"));
        assert!(list("s", "k", &[" ".into()]).unwrap_err().contains("blank"));
        assert_eq!(list("s", "k", &[]).unwrap_err(), "s.k is empty");
    }
}
