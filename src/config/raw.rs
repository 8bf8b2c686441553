//! The config file exactly as written: serde structs with `deny_unknown_fields`.
//!
//! Every struct has a `Default` equal to what `config/vetrecon.toml` says, and a test holds
//! the two together, so a force can write a short config that overrides only what differs.
//! Nothing here is validated; `Policy::build` turns these into working objects.
//!
//! Each section's struct lives with the stage that validates it (`[input]` in ingest,
//! `[linking]` in link, `[levels]` with the model...): this file composes them into the
//! whole file, so `config` depends on the stages and no stage depends on `config`.

pub use crate::analyse::settings::{RawDisproportionality, RawQaSample, RawReport};
pub use crate::assess::settings::{RawPriority, RawRules};
pub use crate::ingest::settings::{RawColumns, RawInput};
pub use crate::link::settings::{default_weights, RawLinking, RawMu};
pub use crate::model::casework::RawCasework;
pub use crate::model::integrity::RawIntegrity;
pub use crate::model::levels::RawLevels;
pub use crate::model::prevention::RawPrevention;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct RawConfig {
    // (`resolve` below lists every path; a new path key must be added there.)
    pub input: RawInput,
    // Where a night writes, not how it judges: left out of the effective config a run keeps
    // (`config::effective`).
    #[serde(skip_serializing)]
    pub output: RawOutput,
    #[serde(skip_serializing)]
    pub store: RawStore,
    pub levels: RawLevels,
    pub rules: RawRules,
    pub linking: RawLinking,
    pub priority: RawPriority,
    pub report: RawReport,
    pub casework: RawCasework,
    pub prevention: RawPrevention,
    pub integrity: RawIntegrity,
}

impl RawConfig {
    /// Make every relative path the config holds relative to `base`, the config file's own
    /// directory: a config names its files the same way wherever vetrecon is started from.
    pub fn resolve(&mut self, base: &std::path::Path) {
        let at = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        let i = &mut self.input;
        for p in [
            &mut i.roster,
            &mut i.posts,
            &mut i.vetting,
            &mut i.pnd_returns,
            &mut i.misconduct,
            &mut i.circumstances,
            &mut i.recruitment_plan,
            &mut i.postings,
            &mut i.conditions,
            &mut i.declarations,
            &mut self.linking.nicknames,
            &mut self.linking.model,
        ]
        .into_iter()
        .flatten()
        {
            at(p);
        }
        at(&mut self.output.dir);
        at(&mut self.store.dir);
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawOutput {
    pub dir: PathBuf,
}

impl Default for RawOutput {
    fn default() -> Self {
        RawOutput { dir: "out".into() }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawStore {
    pub dir: PathBuf,
}

impl Default for RawStore {
    fn default() -> Self {
        RawStore {
            dir: "vetrecon.db".into(),
        }
    }
}
