//! posts.csv: the post register (designated-post list).

use super::table::{self, opt, req, Column, Parsed};
use super::{KeySet, ParseCtx, SourceFile};
use crate::error::InputError;
use crate::model::Post;
use std::collections::BTreeMap;

/// Columns of posts.csv (docs/input.md).
pub const COLUMNS: &[Column] = &[
    req("post_id"),
    opt("title"),
    opt("department"),
    req("required_level"),
    req("designated"),
    opt("vulnerable_contact"),
    opt("revet_on_appointment"),
];

pub fn parse(
    ctx: &ParseCtx<'_>,
    file: &SourceFile,
    aliases: &BTreeMap<String, String>,
) -> Result<Parsed<Post>, InputError> {
    let mut keys = KeySet::new("post_id", file);
    let levels = ctx.levels;
    table::read(file, &ctx.policy.dialect, COLUMNS, aliases, |row| {
        let post_id = row.required_id("post_id")?;
        let required_level = match row.get("required_level")? {
            None => None,
            Some(l) => Some(
                levels
                    .parse(l)
                    .ok_or_else(|| row.reject("required_level", l, "unknown level"))?,
            ),
        };
        // A designated post read as "no" would lose its holders' INSUFFICIENT_LEVEL rows:
        // the column is required and a blank is a reject. vulnerable_contact only ranks.
        let designated = super::required_flag(row, "designated")?;
        let vulnerable_contact = super::optional_flag(row, "vulnerable_contact")?.unwrap_or(false);
        // A move into the post calls for a re-vet even at the level held; blank is no.
        let revet_on_appointment =
            super::optional_flag(row, "revet_on_appointment")?.unwrap_or(false);
        keys.check(row, &post_id)?;
        Ok(Post {
            post_id,
            title: row.get("title")?.unwrap_or("").to_string(),
            department: row.get("department")?.unwrap_or("").to_string(),
            required_level,
            designated,
            vulnerable_contact,
            revet_on_appointment,
        })
    })
}
