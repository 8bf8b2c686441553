//! Forename equivalence groups (Kate ~ Katherine, Bill ~ William, Seun ~ Oluwaseun).
//!
//! The default table ships as `config/nicknames.csv` and is compiled in; a force can point
//! `linking.nicknames` at its own copy. Lines are groups; a name on several lines belongs to
//! each of them.

use std::collections::HashMap;

/// The built-in table, the same bytes as `config/nicknames.csv`.
pub const DEFAULT_TABLE: &str = include_str!("../../config/nicknames.csv");

#[derive(Debug, Clone, Default)]
pub struct Nicknames {
    groups: HashMap<String, Vec<u32>>,
}

impl Nicknames {
    /// Parse a table: one comma-separated group per line, `#` starts a comment line.
    pub fn parse(text: &str) -> Result<Nicknames, String> {
        let mut groups: HashMap<String, Vec<u32>> = HashMap::new();
        let mut gid = 0u32;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let names: Vec<String> = line
                .split(',')
                .map(|n| crate::normalise::forename_tokens(n).concat())
                .filter(|n| !n.is_empty())
                .collect();
            if names.len() < 2 {
                return Err(format!(
                    "nickname table line {}: a group needs at least two names",
                    i + 1
                ));
            }
            for n in names {
                let g = groups.entry(n).or_default();
                if !g.contains(&gid) {
                    g.push(gid);
                }
            }
            gid += 1;
        }
        Ok(Nicknames { groups })
    }

    pub fn builtin() -> Nicknames {
        Nicknames::parse(DEFAULT_TABLE).expect("the built-in nickname table parses")
    }

    /// The group ids a normalised forename belongs to (empty when it is in no group).
    pub fn groups_of(&self, name: &str) -> &[u32] {
        self.groups.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Are two normalised forenames in a common group?
    pub fn equivalent(&self, a: &str, b: &str) -> bool {
        let gb = self.groups_of(b);
        self.groups_of(a).iter().any(|g| gb.contains(g))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_groups_link_common_nicknames() {
        let n = Nicknames::builtin();
        assert!(n.equivalent("KATE", "KATHERINE"));
        assert!(n.equivalent("BILL", "WILLIAM"));
        assert!(n.equivalent("ALEX", "ALEXANDRA"));
        assert!(n.equivalent("ALEX", "ALEXANDER"));
        assert!(!n.equivalent("ALEXANDER", "ALEXANDRA"));
        assert!(!n.equivalent("KATE", "WILLIAM"));
        assert!(
            !n.equivalent("ZEBEDEE", "ZEBEDEE"),
            "names outside the table are not nicknames of themselves"
        );
    }

    #[test]
    fn a_group_of_one_is_refused() {
        assert!(Nicknames::parse("# c\nKATE\n")
            .unwrap_err()
            .contains("line 2"));
    }
}
