//! Weights: turn agreement levels into evidence, in bits (log2 of m/u).
//!
//! `m` is the chance of a level among true matches, `u` among non-matches. Both live in the
//! config so a force can re-estimate them from its own data; validation checks that every
//! level has a weight and that m and u are probabilities.

use super::compare::{DobLevel, EmployeeIdLevel, ForenameLevel, NiLevel, PairLevels, SurnameLevel};
use super::settings::RawMu;
use std::collections::BTreeMap;

/// Level names per field, in the order of the level enums in `compare`.
pub const FIELDS: &[(&str, &[&str])] = &[
    (
        "surname",
        &[
            "exact",
            "previous",
            "part",
            "typo",
            "close",
            "phonetic",
            "swapped",
            "different",
        ],
    ),
    (
        "forenames",
        &[
            "exact",
            "nickname",
            "typo",
            "close",
            "other",
            "initial",
            "swapped",
            "different",
            "full",
        ],
    ),
    (
        "date_of_birth",
        &[
            "exact",
            "swapped",
            "one_digit",
            "year_month",
            "within_year",
            "different",
        ],
    ),
    ("ni_number", &["exact", "close", "different"]),
    ("employee_id", &["exact", "different"]),
];

/// Levels added since the first weights tables: in 0.3.0 the slips, swaps and nearer
/// dates, in 0.6.0 `forenames.full`. A weights table or trained model written before them
/// lacks them; it takes the built-in m and u for these levels (the run log says so), so an
/// upgrade never stops a night.
pub const ADDED_LATER: &[(&str, &str)] = &[
    ("surname", "typo"),
    ("surname", "swapped"),
    ("forenames", "typo"),
    ("forenames", "swapped"),
    ("date_of_birth", "year_month"),
    ("date_of_birth", "within_year"),
    ("forenames", "full"),
];

/// Levels of `ADDED_LATER` carved out of a level that existed before them: (field, new
/// level, the older level that used to hold its pairs). Before 0.6.0 `forenames.exact` held
/// every pair whose first forename agreed, the pairs now graded `full` among them, so a table
/// from before splits its exact m and u between the two in the defaults' proportions instead
/// of adding the default `full` on top (which would leave the m row summing to 1.18).
pub const CARVED_FROM: &[(&str, &str, &str)] = &[("forenames", "full", "exact")];

/// m, u and log2(m/u) for every level of every field, indexed as `FIELDS`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldWeights {
    pub m: Vec<Vec<f64>>,
    pub u: Vec<Vec<f64>>,
    bits: Vec<Vec<f64>>,
}

/// Field indices into `FIELDS`.
pub const SURNAME: usize = 0;
pub const FORENAMES: usize = 1;
pub const DOB: usize = 2;
pub const NI: usize = 3;
pub const EMPLOYEE_ID: usize = 4;

/// Split an older level's m and u (`old`) between what it keeps and the level carved out of
/// it, in the proportions of the defaults (`base` for the older level, `new` for the carved
/// one): the two sum to what the older level had, and a table equal to the defaults before
/// the split comes out equal to the defaults after it.
fn split(old: RawMu, base: RawMu, new: RawMu) -> (RawMu, RawMu) {
    let share = |o: f64, b: f64, n: f64| {
        let s = if b + n > 0.0 { n / (b + n) } else { 0.0 };
        (o * (1.0 - s), o * s)
    };
    let (mk, mn) = share(old.m, base.m, new.m);
    let (uk, un) = share(old.u, base.u, new.u);
    (RawMu { m: mk, u: uk }, RawMu { m: mn, u: un })
}

/// The smallest m or u a table may hold. log2(m/u) is a field's evidence in bits; at this
/// floor a field gives at most about 30 bits and a pair of five fields about 150, whose
/// 2^bits the posterior sums over every candidate without leaving f64. A u of 1e-300
/// gave one field about 1,000 bits: the sums overflowed to infinity, every posterior came
/// out NaN, and records that agreed on everything were linked to no one. (A trained model
/// never writes less than 1e-7.)
pub const MIN_PROBABILITY: f64 = 1e-9;

/// Why a probability under `MIN_PROBABILITY` is refused, for the error.
const TOO_SMALL: &str = " (smaller gives one field more evidence than the arithmetic can hold, and records that agree on everything would link to no one)";

impl FieldWeights {
    /// Build from a config or model table; the levels of `ADDED_LATER` that it lacks are
    /// filled in (`fill`). Returns the weights and the levels so filled in.
    pub fn build_filling(
        raw: &BTreeMap<String, BTreeMap<String, RawMu>>,
        defaults: &BTreeMap<String, BTreeMap<String, RawMu>>,
    ) -> Result<(FieldWeights, Vec<String>), String> {
        let (table, filled) = FieldWeights::fill(raw, defaults);
        Ok((FieldWeights::build(&table)?, filled))
    }

    /// The table as linking uses it: the levels of `ADDED_LATER` that `raw` lacks are taken
    /// from `defaults`, except that a level carved out of an older one (`CARVED_FROM`) takes
    /// a share of the table's own older level, which keeps the rest. Returns the table and
    /// the levels so filled in. A run keeps the filled table in its effective config, so a
    /// later version with other defaults replays it with the same m and u.
    pub fn fill(
        raw: &BTreeMap<String, BTreeMap<String, RawMu>>,
        defaults: &BTreeMap<String, BTreeMap<String, RawMu>>,
    ) -> (BTreeMap<String, BTreeMap<String, RawMu>>, Vec<String>) {
        let mut table = raw.clone();
        let mut filled = Vec::new();
        for (field, level) in ADDED_LATER {
            let Some(levels) = table.get_mut(*field) else {
                continue;
            };
            if levels.contains_key(*level) {
                continue;
            }
            let Some(mu) = defaults.get(*field).and_then(|d| d.get(*level)) else {
                continue;
            };
            let carved = CARVED_FROM
                .iter()
                .find(|(f, l, _)| f == field && l == level)
                .and_then(|(_, _, from)| {
                    let old = *levels.get(*from)?;
                    let base = *defaults.get(*field)?.get(*from)?;
                    Some((*from, split(old, base, *mu)))
                });
            match carved {
                Some((from, (kept, new))) => {
                    levels.insert(from.to_string(), kept);
                    levels.insert(level.to_string(), new);
                }
                None => {
                    levels.insert(level.to_string(), *mu);
                }
            }
            filled.push(format!("{field}.{level}"));
        }
        (table, filled)
    }

    pub fn build(raw: &BTreeMap<String, BTreeMap<String, RawMu>>) -> Result<FieldWeights, String> {
        for field in raw.keys() {
            if !FIELDS.iter().any(|(f, _)| f == field) {
                return Err(format!("linking.weights.{field}: unknown field"));
            }
        }
        let (mut ms, mut us) = (Vec::new(), Vec::new());
        for (field, levels) in FIELDS {
            let table = raw
                .get(*field)
                .ok_or_else(|| format!("linking.weights.{field} is missing"))?;
            for name in table.keys() {
                if !levels.contains(&name.as_str()) {
                    return Err(format!(
                        "linking.weights.{field}.{name}: unknown level (known: {})",
                        levels.join(", ")
                    ));
                }
            }
            let (mut mrow, mut urow) = (Vec::new(), Vec::new());
            for level in *levels {
                let mu = table
                    .get(*level)
                    .ok_or_else(|| format!("linking.weights.{field}.{level} is missing"))?;
                for (k, p) in [("m", mu.m), ("u", mu.u)] {
                    if !(MIN_PROBABILITY..=1.0).contains(&p) {
                        return Err(format!(
                            "linking.weights.{field}.{level}.{k} must be between {MIN_PROBABILITY:e} and 1, got {}{}",
                            if p > 0.0 && p < MIN_PROBABILITY { format!("{p:e}") } else { p.to_string() },
                            if p > 0.0 && p < MIN_PROBABILITY { TOO_SMALL } else { "" }
                        ));
                    }
                }
                mrow.push(mu.m);
                urow.push(mu.u);
            }
            ms.push(mrow);
            us.push(urow);
        }
        Ok(FieldWeights::from_mu(ms, us))
    }

    /// Weights from m and u tables indexed as `FIELDS` (already validated).
    pub fn from_mu(m: Vec<Vec<f64>>, u: Vec<Vec<f64>>) -> FieldWeights {
        let bits = m
            .iter()
            .zip(&u)
            .map(|(mr, ur)| mr.iter().zip(ur).map(|(m, u)| (m / u).log2()).collect())
            .collect();
        FieldWeights { m, u, bits }
    }

    /// The same m, with field `field`'s u replaced by `u` (one value per level).
    pub fn with_u(&self, field: usize, u: Vec<f64>) -> FieldWeights {
        let mut us = self.u.clone();
        if let Some(row) = us.get_mut(field) {
            if row.len() == u.len() {
                *row = u;
            }
        }
        FieldWeights::from_mu(self.m.clone(), us)
    }

    /// The m/u table in the config's shape, for writing a trained model.
    #[allow(
        clippy::indexing_slicing,
        reason = "`m`, `u` and `bits` are field x level tables shaped from `FIELDS`, indexed by field and level positions taken from it"
    )]
    pub fn to_raw(&self) -> BTreeMap<String, BTreeMap<String, RawMu>> {
        FIELDS
            .iter()
            .enumerate()
            .map(|(f, (field, levels))| {
                let table = levels
                    .iter()
                    .enumerate()
                    .map(|(l, level)| {
                        let mu = RawMu {
                            m: self.m[f][l],
                            u: self.u[f][l],
                        };
                        (level.to_string(), mu)
                    })
                    .collect();
                (field.to_string(), table)
            })
            .collect()
    }

    /// Evidence for exact agreement on a value with term frequency `tf`: log2(m / tf), with
    /// `tf` floored at `min_u` so that a value seen once cannot outweigh everything else.
    #[allow(
        clippy::indexing_slicing,
        reason = "`m`, `u` and `bits` are field x level tables shaped from `FIELDS`, indexed by field and level positions taken from it"
    )]
    pub fn exact_bits_tf(&self, field: usize, tf: f64, min_u: f64) -> f64 {
        (self.m[field][0] / tf.max(min_u)).log2()
    }

    /// Bits of evidence for one field's level.
    #[allow(
        clippy::indexing_slicing,
        reason = "`m`, `u` and `bits` are field x level tables shaped from `FIELDS`, indexed by field and level positions taken from it"
    )]
    pub fn get(&self, field: usize, level: usize) -> f64 {
        self.bits[field][level]
    }

    /// Total evidence of a compared pair (without the prior).
    pub fn weight(&self, l: &PairLevels) -> f64 {
        let mut w = self.get(0, l.surname as usize)
            + self.get(1, l.forenames as usize)
            + self.get(2, l.dob as usize);
        if let Some(n) = l.ni {
            w += self.get(3, n as usize);
        }
        if let Some(e) = l.employee_id {
            w += self.get(4, e as usize);
        }
        w
    }
}

/// Short human-readable description of a pair's agreement, for matches.csv and reports.
#[allow(
    clippy::indexing_slicing,
    reason = "`m`, `u` and `bits` are field x level tables shaped from `FIELDS`, indexed by field and level positions taken from it"
)]
pub fn describe(l: &PairLevels) -> String {
    let name = |f: usize, i: usize| FIELDS[f].1[i];
    describe_names([
        Some(name(0, l.surname as usize)),
        Some(name(1, l.forenames as usize)),
        Some(name(2, l.dob as usize)),
        l.ni.map(|n| name(3, n as usize)),
        l.employee_id.map(|e| name(4, e as usize)),
    ])
}

/// `describe` from each field's level name (`None` for a field missing on either side): the
/// link record renders matches.csv's `agreement` from the level names it keeps.
pub fn describe_names(levels: [Option<&str>; 5]) -> String {
    let mut parts = Vec::with_capacity(5);
    for (short, level) in ["surname", "forenames", "dob", "ni", "employee_id"]
        .iter()
        .zip(levels)
    {
        if let Some(level) = level {
            parts.push(format!("{short}={level}"));
        }
    }
    parts.join(" ")
}

// Keep the enum order and FIELDS in step: a reordering would silently swap weights.
const _: () = {
    assert!(SurnameLevel::Different as usize == 7);
    assert!(ForenameLevel::Different as usize == 7);
    assert!(ForenameLevel::Full as usize == 8);
    assert!(DobLevel::Different as usize == 5);
    assert!(NiLevel::Different as usize == 2);
    assert!(EmployeeIdLevel::Different as usize == 1);
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::compare::ForenameLevel;
    use crate::link::settings::default_weights;

    #[test]
    fn default_weights_favour_agreement() {
        let w = FieldWeights::build(&default_weights()).unwrap();
        for (f, (_, levels)) in FIELDS.iter().enumerate() {
            assert!(
                w.get(f, 0) > 0.0,
                "exact agreement on field {f} must be evidence for a match"
            );
            let different = levels.iter().position(|l| *l == "different").unwrap();
            assert!(
                w.get(f, different) < 0.0,
                "disagreement on field {f} must be evidence against"
            );
        }
        // Agreement on every forename is worth more than on the first alone.
        let full = ForenameLevel::Full as usize;
        assert!(w.get(FORENAMES, full) > w.get(FORENAMES, 0));
    }

    #[test]
    fn a_table_from_before_the_new_levels_takes_their_defaults() {
        let defaults = default_weights();
        let mut old = defaults.clone();
        for (field, level) in ADDED_LATER {
            old.get_mut(*field).unwrap().remove(*level);
        }
        // A table from before 0.6.0 held the `full` pairs in `exact`.
        let f = old.get_mut("forenames").unwrap();
        let (e, full) = (
            defaults["forenames"]["exact"],
            defaults["forenames"]["full"],
        );
        f.insert(
            "exact".into(),
            RawMu {
                m: e.m + full.m,
                u: e.u + full.u,
            },
        );
        let (w, filled) = FieldWeights::build_filling(&old, &defaults).unwrap();
        let want = FieldWeights::build(&defaults).unwrap();
        for (a, b) in w.m.iter().chain(&w.u).zip(want.m.iter().chain(&want.u)) {
            for (x, y) in a.iter().zip(b) {
                assert!((x - y).abs() < 1e-12, "{x} against {y}");
            }
        }
        assert_eq!(filled.len(), ADDED_LATER.len());
        // The carved level and what is left of the older one sum to what the older had,
        // so a table whose m summed to one still does.
        let mut older = defaults.clone();
        older.get_mut("forenames").unwrap().remove("full");
        older
            .get_mut("forenames")
            .unwrap()
            .insert("exact".into(), RawMu { m: 0.5, u: 0.02 });
        let (w, _) = FieldWeights::build_filling(&older, &defaults).unwrap();
        let (ex, fu) = (0, ForenameLevel::Full as usize);
        assert!((w.m[FORENAMES][ex] + w.m[FORENAMES][fu] - 0.5).abs() < 1e-12);
        assert!((w.u[FORENAMES][ex] + w.u[FORENAMES][fu] - 0.02).abs() < 1e-12);
        assert!(w.m[FORENAMES][fu] > 0.0 && w.m[FORENAMES][fu] < w.m[FORENAMES][ex]);
        assert!(filled.contains(&"surname.typo".to_string()));
        // A level that existed before is still required.
        old.get_mut("surname").unwrap().remove("phonetic");
        assert!(FieldWeights::build_filling(&old, &defaults)
            .unwrap_err()
            .contains("surname.phonetic"));
    }

    #[test]
    fn missing_and_unknown_levels_are_refused() {
        let mut raw = default_weights();
        raw.get_mut("surname").unwrap().remove("phonetic");
        assert!(FieldWeights::build(&raw)
            .unwrap_err()
            .contains("surname.phonetic"));
        let mut raw = default_weights();
        raw.get_mut("forenames")
            .unwrap()
            .insert("soundex".into(), RawMu { m: 0.1, u: 0.1 });
        assert!(FieldWeights::build(&raw)
            .unwrap_err()
            .contains("forenames.soundex"));
        let mut raw = default_weights();
        raw.get_mut("date_of_birth")
            .unwrap()
            .insert("exact".into(), RawMu { m: 0.0, u: 0.1 });
        assert!(FieldWeights::build(&raw)
            .unwrap_err()
            .contains("date_of_birth.exact.m"));
    }
}
