//! The optional review-trigger feeds of a night (PND returns, misconduct outcomes, changes of
//! circumstances): which were read, and why the others were not. A feed that was not read
//! checked nothing, so every figure that depends on it says so instead of a zero.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why an optional feed was not read on a night. Either way it was switched off: a feed
/// the config names that cannot be read refuses the run, so a night never silently loses one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Off {
    /// Neither the config nor the command line names a file for it.
    NotConfigured,
    /// The config names one, and `--no-<feed>` turned it off for the night.
    TurnedOff,
}

impl Off {
    /// "switched off (not named in the config)", "switched off (--no-pnd-returns)".
    pub fn text(self, role: &str) -> String {
        match self {
            Off::NotConfigured => format!(
                "switched off (input.{role} is not set in the config and --{} was not given)",
                flag(role)
            ),
            Off::TurnedOff => format!("switched off (--no-{} tonight)", flag(role)),
        }
    }
}

/// A feed's role as its command-line flags spell it: `pnd_returns` is `--pnd-returns`.
fn flag(role: &str) -> String {
    role.replace('_', "-")
}

/// "not read: PND returns switched off (--no-pnd-returns tonight)".
pub fn not_read_text(role: &str, off: Off) -> String {
    format!("not read: {} {}", describe(role), off.text(role))
}

/// A feed's role in words: `pnd_returns` is "PND returns".
pub fn describe(role: &str) -> &str {
    match role {
        "pnd_returns" => "PND returns",
        "misconduct" => "misconduct outcomes",
        "circumstances" => "changes of circumstances",
        "postings" => "future postings",
        "conditions" => "conditions on clearances",
        "declarations" => "declarations",
        "recruitment_plan" => "the recruitment plan",
        other => other,
    }
}

/// What a night knows of its optional feeds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feeds {
    /// Each optional feed not read tonight, and why. `None` for a night stored before the
    /// run record kept this: its outputs say what that version said (zeros for a feed not
    /// given), so it still replays byte for byte.
    pub off: Option<BTreeMap<String, Off>>,
}

impl Feeds {
    /// The feeds of a night that read `read` (roles) of `all`, the config naming
    /// `configured`: each of `all` not read is off, turned off if the config names it.
    pub fn of_night(all: &[&str], read: &[&str], configured: &[&str]) -> Feeds {
        let off = all
            .iter()
            .filter(|r| !read.contains(r))
            .map(|r| {
                let why = if configured.contains(r) {
                    Off::TurnedOff
                } else {
                    Off::NotConfigured
                };
                (r.to_string(), why)
            })
            .collect();
        Feeds { off: Some(off) }
    }

    /// Why `role` was not read tonight, if it was not (never, for a night stored before
    /// this was kept).
    pub fn not_read(&self, role: &str) -> Option<Off> {
        self.off.as_ref()?.get(role).copied()
    }

    /// The outputs say what was not checked (false only for a night stored before).
    pub fn says_what_was_not_checked(&self) -> bool {
        self.off.is_some()
    }

    /// The feeds not read, with why, in role order.
    pub fn unread(&self) -> impl Iterator<Item = (&str, Off)> {
        self.off.iter().flatten().map(|(r, o)| (r.as_str(), *o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_not_read_is_off_and_says_how() {
        let all = ["pnd_returns", "misconduct", "circumstances"];
        let f = Feeds::of_night(&all, &["misconduct"], &["pnd_returns", "misconduct"]);
        assert_eq!(f.not_read("misconduct"), None);
        assert_eq!(f.not_read("pnd_returns"), Some(Off::TurnedOff));
        assert_eq!(f.not_read("circumstances"), Some(Off::NotConfigured));
        assert_eq!(
            Off::TurnedOff.text("pnd_returns"),
            "switched off (--no-pnd-returns tonight)"
        );
        assert!(Off::NotConfigured
            .text("circumstances")
            .starts_with("switched off (input.circumstances is not set in the config"));
        // A night stored before feeds were kept says nothing was left unread.
        let old = Feeds::default();
        assert_eq!(old.not_read("pnd_returns"), None);
        assert!(!old.says_what_was_not_checked());
    }
}
