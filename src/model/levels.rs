//! Clearance levels: ladders, validity periods, cross-ladder acceptance and baselines.
//!
//! Levels are policy, not code: national guidance is being asked to shorten validity
//! periods and forces map levels across regimes differently, so everything here is built
//! from the `[levels]` section and validated before any data is read. The table lives with
//! the model, not in `config`, because every stage from assess to report reads it: `config`
//! builds it, and nothing here needs anything above the model.

use crate::model::{LevelId, RoleType};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The `[levels]` section exactly as written (see `config::raw` for the whole file).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawLevels {
    pub ladders: Vec<Vec<String>>,
    pub validity: BTreeMap<String, String>,
    pub accept: BTreeMap<String, Vec<String>>,
    pub aliases: BTreeMap<String, String>,
    pub designated: String,
    pub baseline: BTreeMap<String, String>,
}

/// Owned strings of a default table (shared with the other stages' settings defaults).
pub(crate) fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

/// Owned pairs of a default table.
pub(crate) fn pairs(xs: &[(&str, &str)]) -> BTreeMap<String, String> {
    xs.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

impl Default for RawLevels {
    fn default() -> Self {
        RawLevels {
            ladders: vec![
                strings(&["RV", "MV"]),
                strings(&["NPPV1", "NPPV2", "NPPV3"]),
                strings(&["CTC", "SC", "DV"]),
            ],
            validity: pairs(&[
                ("RV", "10y"),
                ("MV", "7y"),
                ("NPPV1", "3y"),
                ("NPPV2", "3y"),
                ("NPPV3", "5y"),
                ("CTC", "10y"),
                ("SC", "10y"),
                ("DV", "7y"),
            ]),
            accept: BTreeMap::new(),
            aliases: BTreeMap::new(),
            designated: "MV".into(),
            baseline: pairs(&[
                ("officer", "RV"),
                ("staff", "RV"),
                ("special", "RV"),
                ("pcso", "RV"),
                ("volunteer", "RV"),
                ("contractor", "NPPV2"),
            ]),
        }
    }
}

/// A validity period: whole months (years are stored as 12 months each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub months: u32,
}

impl Period {
    /// Parse `10y`, `84m` or a bare number of years (`10`).
    pub fn parse(s: &str) -> Result<Period, String> {
        let t = s.trim().to_ascii_lowercase();
        let (num, mult) = if let Some(n) = t.strip_suffix('y') {
            (n, 12)
        } else if let Some(n) = t.strip_suffix('m') {
            (n, 1)
        } else {
            (t.as_str(), 12)
        };
        let n: u32 = num.trim().parse().map_err(|_| {
            format!("`{s}` is not a period: write years as `10y` or months as `18m`")
        })?;
        if n == 0 || n > 100 {
            return Err(format!("`{s}` is not a sensible validity period"));
        }
        Ok(Period { months: n * mult })
    }

    /// The date this period after `from`; 29 February rolls back to 28 February.
    pub fn after(self, from: NaiveDate) -> Option<NaiveDate> {
        from.checked_add_months(Months::new(self.months))
    }
}

/// The validated level table.
#[derive(Debug, Clone)]
pub struct Levels {
    names: Vec<String>,
    ladder: Vec<usize>,
    rank: Vec<usize>,
    validity: Vec<Period>,
    /// For each required level, further levels (from other ladders) the force accepts.
    accept: Vec<Vec<LevelId>>,
    index: HashMap<String, LevelId>,
    designated: LevelId,
    baseline: HashMap<RoleType, LevelId>,
}

/// Canonical spelling used for lookup: upper case without spaces, hyphens or underscores.
fn canon(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_uppercase)
        .collect()
}

#[allow(
    clippy::indexing_slicing,
    reason = "a LevelId is made by this table (build, parse, all), so it indexes every per-level vector, all of names.len(); baseline holds every role type (build checks it)"
)]
impl Levels {
    pub fn build(raw: &RawLevels) -> Result<Levels, String> {
        let mut names = Vec::new();
        let mut ladder = Vec::new();
        let mut rank = Vec::new();
        let mut index = HashMap::new();
        for (li, l) in raw.ladders.iter().enumerate() {
            if l.is_empty() {
                return Err(format!("levels.ladders[{li}] is empty"));
            }
            for (ri, name) in l.iter().enumerate() {
                let id = LevelId(names.len() as u16);
                if index.insert(canon(name), id).is_some() {
                    return Err(format!(
                        "level `{name}` appears in more than one place in levels.ladders"
                    ));
                }
                names.push(name.trim().to_string());
                ladder.push(li);
                rank.push(ri);
            }
        }
        if names.is_empty() {
            return Err("levels.ladders defines no levels".into());
        }
        for (alias, target) in &raw.aliases {
            let id = index
                .get(&canon(target))
                .copied()
                .ok_or_else(|| format!("levels.aliases.{alias} names unknown level `{target}`"))?;
            if index.insert(canon(alias), id).is_some_and(|old| old != id) {
                return Err(format!(
                    "levels.aliases.{alias} clashes with an existing level name"
                ));
            }
        }
        let lookup = |n: &str, what: &str| -> Result<LevelId, String> {
            index
                .get(&canon(n))
                .copied()
                .ok_or_else(|| format!("{what} names unknown level `{n}`"))
        };
        let mut validity = vec![None; names.len()];
        for (name, p) in &raw.validity {
            let id = lookup(name, "levels.validity")?;
            validity[id.0 as usize] =
                Some(Period::parse(p).map_err(|e| format!("levels.validity.{name}: {e}"))?);
        }
        let validity = validity
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                v.ok_or_else(|| format!("levels.validity has no period for `{}`", names[i]))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut accept = vec![Vec::new(); names.len()];
        for (req, held) in &raw.accept {
            let r = lookup(req, "levels.accept")?;
            for h in held {
                let h = lookup(h, &format!("levels.accept.{req}"))?;
                accept[r.0 as usize].push(h);
            }
        }
        let designated = lookup(&raw.designated, "levels.designated")?;
        let mut baseline = HashMap::new();
        for (role, lvl) in &raw.baseline {
            let rt = RoleType::parse(role)
                .ok_or_else(|| format!("levels.baseline: unknown role type `{role}`"))?;
            baseline.insert(rt, lookup(lvl, &format!("levels.baseline.{role}"))?);
        }
        for rt in RoleType::ALL {
            if !baseline.contains_key(&rt) {
                return Err(format!(
                    "levels.baseline has no level for role type `{}`",
                    rt.as_str()
                ));
            }
        }
        Ok(Levels {
            names,
            ladder,
            rank,
            validity,
            accept,
            index,
            designated,
            baseline,
        })
    }

    /// Look a level up by name, alias, any case, ignoring spaces and hyphens.
    pub fn parse(&self, s: &str) -> Option<LevelId> {
        self.index.get(&canon(s)).copied()
    }

    pub fn name(&self, id: LevelId) -> &str {
        &self.names[id.0 as usize]
    }

    pub fn validity(&self, id: LevelId) -> Period {
        self.validity[id.0 as usize]
    }

    /// Replace one level's validity (the forecast's what-if uses this).
    pub fn set_validity(&mut self, id: LevelId, p: Period) {
        self.validity[id.0 as usize] = p;
    }

    pub fn all(&self) -> impl Iterator<Item = LevelId> + '_ {
        (0..self.names.len()).map(|i| LevelId(i as u16))
    }

    /// The level every designated post requires (MV by default).
    pub fn designated(&self) -> LevelId {
        self.designated
    }

    /// The level `post` requires of whoever holds it: the designated level for a designated
    /// post, whatever its required_level says, else its required_level (`None`: the register
    /// names none, and the role's baseline applies to its holders).
    pub fn of_post(&self, post: &super::Post) -> Option<LevelId> {
        if post.designated {
            Some(self.designated)
        } else {
            post.required_level
        }
    }

    /// The level a role type needs when its post is unknown.
    pub fn baseline(&self, role: RoleType) -> LevelId {
        self.baseline[&role]
    }

    /// Does holding `held` meet a requirement for `required`? Same ladder at or above, or a
    /// cross-ladder acceptance the config grants; nothing else.
    pub fn satisfies(&self, held: LevelId, required: LevelId) -> bool {
        let (h, r) = (held.0 as usize, required.0 as usize);
        (self.ladder[h] == self.ladder[r] && self.rank[h] >= self.rank[r])
            || self.accept[r].contains(&held)
    }

    /// Which ladder a level is on, and its rank there (0 = lowest).
    pub fn position(&self, id: LevelId) -> (usize, usize) {
        (self.ladder[id.0 as usize], self.rank[id.0 as usize])
    }

    /// Is `a` strictly higher than `b` on the same ladder?
    pub fn higher_on_ladder(&self, a: LevelId, b: LevelId) -> bool {
        let (a, b) = (a.0 as usize, b.0 as usize);
        self.ladder[a] == self.ladder[b] && self.rank[a] > self.rank[b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels() -> Levels {
        Levels::build(&RawLevels::default()).unwrap()
    }

    #[test]
    fn same_ladder_at_or_above_satisfies() {
        let l = levels();
        let (rv, mv) = (l.parse("RV").unwrap(), l.parse("mv").unwrap());
        assert!(l.satisfies(mv, rv));
        assert!(l.satisfies(mv, mv));
        assert!(!l.satisfies(rv, mv));
    }

    #[test]
    fn nothing_crosses_ladders_by_default() {
        let l = levels();
        let (mv, nppv3, dv) = (
            l.parse("MV").unwrap(),
            l.parse("NPPV 3").unwrap(),
            l.parse("DV").unwrap(),
        );
        assert!(!l.satisfies(nppv3, mv));
        assert!(!l.satisfies(dv, mv));
        assert!(!l.satisfies(mv, l.parse("NPPV1").unwrap()));
    }

    #[test]
    fn config_can_accept_across_ladders_and_add_levels() {
        let mut raw = RawLevels::default();
        raw.accept.insert("MV".into(), vec!["NPPV3".into()]);
        raw.ladders[1].insert(2, "NPPV2A".into());
        raw.validity.insert("NPPV2A".into(), "3y".into());
        let l = Levels::build(&raw).unwrap();
        let (mv, n3, n2a, n2) = (
            l.parse("MV").unwrap(),
            l.parse("NPPV3").unwrap(),
            l.parse("nppv-2a").unwrap(),
            l.parse("NPPV2").unwrap(),
        );
        assert!(l.satisfies(n3, mv));
        assert!(l.satisfies(n2a, n2));
        assert!(!l.satisfies(n2, n2a));
    }

    #[test]
    fn periods_parse_and_roll_leap_days_back() {
        assert_eq!(Period::parse("10y").unwrap().months, 120);
        assert_eq!(Period::parse("18m").unwrap().months, 18);
        assert_eq!(Period::parse("7").unwrap().months, 84);
        assert!(Period::parse("0y").is_err());
        assert!(Period::parse("ten").is_err());
        let d = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(
            Period::parse("1y").unwrap().after(d),
            NaiveDate::from_ymd_opt(2025, 2, 28)
        );
    }

    #[test]
    fn unknown_level_names_are_refused() {
        let raw = RawLevels {
            designated: "XV".into(),
            ..RawLevels::default()
        };
        assert!(Levels::build(&raw).unwrap_err().contains("XV"));
        let mut raw = RawLevels::default();
        raw.validity.remove("SC");
        assert!(Levels::build(&raw).unwrap_err().contains("SC"));
    }
}
