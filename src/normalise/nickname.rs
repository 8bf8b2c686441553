//! Forename equivalence groups (Kate ~ Katherine, Bill ~ William, Seun ~ Oluwaseun).
//!
//! The built-in table is two files compiled in one after the other:
//! `config/nicknames/public.csv`, converted from the Apache-2.0 public list "nicknames" (see
//! its header and `config/nicknames/LICENSE`), and `config/nicknames/british.csv`, the
//! project's own groups and the British diminutives the public list lacks. A force can point
//! `linking.nicknames` at one file of its own, which then replaces both.
//!
//! Lines are groups; a name on several lines belongs to each of them, and groups are never
//! merged: two names are equivalent only when one line holds both. With a table this size
//! that matters: CHRIS is on CHRISTOPHER's line and on CHRISTINA's, and merging the two
//! would make a brother and sister with one surname and birthday score as one person.

use std::collections::HashMap;

/// The built-in table: the public list's groups, then the project's (a newline between, so
/// the last line of one file cannot run into the first of the next).
pub const DEFAULT_TABLE: &str = concat!(
    include_str!("../../config/nicknames/public.csv"),
    "\n",
    include_str!("../../config/nicknames/british.csv"),
);

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
                .map(normalised)
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

    /// The built-in table, parsed on every run (about 1,800 lines: a few milliseconds).
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

/// A table name in the form forenames are compared in. A plain word of ASCII letters (every
/// name of the built-in table) folds to upper case directly, the same result the full
/// normaliser gives it at a fraction of the cost; anything else goes through the normaliser.
fn normalised(name: &str) -> String {
    let t = name.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        t.to_ascii_uppercase()
    } else {
        crate::normalise::forename_tokens(name).concat()
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
            !n.equivalent("OLUSEGUN", "OLUSEGUN"),
            "names outside the table are not nicknames of themselves"
        );
    }

    /// Pairs the public list holds, each way round (a nickname applies in both
    /// directions); none of them is in the project's own table.
    #[test]
    fn public_list_pairs_hold_both_ways() {
        let n = Nicknames::builtin();
        for (full, nick) in [
            ("ELIZABETH", "BETSY"),
            ("MARGARET", "PEGGY"),
            ("MARGARET", "MADGE"),
            ("RICHARD", "DICKON"),
            ("HENRIETTA", "NETTIE"),
            ("JEREMY", "JEZ"),
            ("BRIDGET", "BRIDIE"),
            // And ones both tables have, which must survive the change.
            ("WILLIAM", "BILL"),
            ("RICHARD", "DICK"),
        ] {
            assert!(n.equivalent(full, nick), "{full} ~ {nick}");
            assert!(n.equivalent(nick, full), "{nick} ~ {full}");
        }
    }

    /// British diminutives the public list lacks, from config/nicknames/british.csv.
    #[test]
    fn british_diminutives_hold_both_ways() {
        let n = Nicknames::builtin();
        for (full, nick) in [
            ("DEREK", "DEL"),
            ("BARRY", "BAZ"),
            ("SHARON", "SHAZ"),
            ("MARGARET", "MAGS"),
            ("DARREN", "DAZ"),
            ("HUGH", "SHUG"),
            ("GARY", "GAZ"),
        ] {
            assert!(n.equivalent(full, nick), "{full} ~ {nick}");
            assert!(n.equivalent(nick, full), "{nick} ~ {full}");
        }
    }

    /// Two lines sharing one name stay two groups: the shared name is equivalent to both,
    /// the others on each line are not equivalent across.
    #[test]
    fn groups_sharing_a_name_are_not_merged() {
        let n = Nicknames::builtin();
        for (a, shared, b) in [
            ("CHRISTOPHER", "CHRIS", "CHRISTINA"),
            ("ALBERT", "AL", "ALFRED"),
            ("DEREK", "DEL", "DELBERT"),
            ("MAUREEN", "MO", "MOHAMMED"),
        ] {
            assert!(
                n.equivalent(a, shared) && n.equivalent(shared, b),
                "{shared}"
            );
            assert!(!n.equivalent(a, b), "{a} !~ {b}");
        }
        let t = Nicknames::parse("A,X\nB,X\n").unwrap();
        assert!(t.equivalent("A", "X") && t.equivalent("B", "X"));
        assert!(!t.equivalent("A", "B"));
    }

    /// The public list has lines headed by a nickname ("harry: harold, henry", "chick:
    /// caroline, charlotte", "jonathan: john, nathan"); pooled, each would join two names in
    /// their own right. The conversion writes such members as pairs with the head.
    #[test]
    fn a_nickname_does_not_pool_the_names_it_is_listed_against() {
        let n = Nicknames::builtin();
        assert!(n.equivalent("HARRY", "HENRY") && n.equivalent("HARRY", "HAROLD"));
        for (a, b) in [
            ("HAROLD", "HENRY"),
            ("CAROLINE", "CHARLOTTE"),
            ("JOHN", "NATHAN"),
            ("ROBERT", "WILLIAM"),
        ] {
            assert!(!n.equivalent(a, b), "{a} !~ {b}");
        }
    }

    /// Entries the conversion removed as not nicknames or as risky for linking (the list is
    /// in the header of config/nicknames/public.csv).
    #[test]
    fn removed_public_entries_stay_out() {
        let n = Nicknames::builtin();
        for (a, b) in [
            ("AARON", "ERIN"),
            ("LOUIS", "LOUISE"),
            ("JACQUELINE", "JACK"),
            ("ANDREA", "ANDREW"),
            ("WILMA", "WILLIAM"),
            ("ROBERT", "BILL"),
            ("JUNIOR", "JR"),
            ("ISABEL", "IB"),
        ] {
            assert!(!n.equivalent(a, b), "{a} !~ {b}");
        }
    }

    /// The shortcut for plain words gives what the full normaliser gives.
    #[test]
    fn plain_words_normalise_as_the_normaliser_does() {
        for n in [
            "kate",
            " Kate ",
            "MR",
            "JR",
            "Zoë",
            "O'Neil",
            "Mary-Jane",
            "a b",
        ] {
            assert_eq!(
                normalised(n),
                crate::normalise::forename_tokens(n).concat(),
                "{n}"
            );
        }
    }

    #[test]
    fn a_group_of_one_is_refused() {
        assert!(Nicknames::parse("# c\nKATE\n")
            .unwrap_err()
            .contains("line 2"));
    }
}
