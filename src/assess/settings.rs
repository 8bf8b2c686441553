//! The `[rules]` and `[priority]` sections of the config exactly as written. The assess
//! stage validates them (`triggers::TriggerPolicy::build`, `priority::PriorityPolicy::build`);
//! they live here, not in `config`, so that `config` depends on assess, never the reverse.

use crate::model::levels::{pairs, strings};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawRules {
    pub expiry_warning_days: i64,
    pub review_grace_days: i64,
    pub misconduct_needs_review: Vec<String>,
    pub circumstances_need_review: Vec<String>,
}

impl Default for RawRules {
    fn default() -> Self {
        RawRules {
            expiry_warning_days: 180,
            review_grace_days: 28,
            misconduct_needs_review: strings(&[
                "written_warning",
                "final_written_warning",
                "reduction_in_rank",
            ]),
            circumstances_need_review: strings(&[
                "name",
                "marital_status",
                "partner",
                "finances",
                "association",
            ]),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawPriority {
    pub designated: u32,
    pub vulnerable_contact: u32,
    pub high_risk_levels: Vec<String>,
    pub high_risk_level_points: u32,
    pub severity: BTreeMap<String, String>,
}

impl Default for RawPriority {
    fn default() -> Self {
        RawPriority {
            designated: 4,
            vulnerable_contact: 2,
            high_risk_levels: strings(&["CTC", "SC", "DV"]),
            high_risk_level_points: 3,
            severity: pairs(&[
                ("NO_CLEARANCE", "critical"),
                ("NOT_GRANTED", "critical"),
                ("EXPIRED", "high"),
                ("INSUFFICIENT_LEVEL", "high"),
                ("LEAVER_ACTIVE_CLEARANCE", "high"),
                ("ADVERSE_UNMITIGATED", "high"),
                ("AMBIGUOUS_MATCH", "medium"),
                ("REVIEW_MATCH", "medium"),
                ("ORPHAN_CLEARANCE", "medium"),
                ("UNKNOWN_POST", "medium"),
                ("EXPIRING_SOON", "low"),
                ("PND_UNREVIEWED", "high"),
                ("MISCONDUCT_REVIEW_DUE", "high"),
                ("CIRCUMSTANCES_REVIEW_DUE", "medium"),
                ("PENDING_TOO_LONG", "medium"),
                ("RATIONALE_MISSING", "medium"),
                ("INTERVIEW_NOT_HELD", "medium"),
                ("RENEWAL_NO_RESPONSE", "medium"),
                ("POSTING_NOT_CLEARED", "high"),
                ("CONDITION_REVIEW_DUE", "medium"),
                ("CONDITION_NO_OWNER", "medium"),
                ("CONDITION_BREACHED", "critical"),
                ("DECLARATION_REVIEW_DUE", "medium"),
                ("DECLARATION_REFUSED_IN_POST", "high"),
                ("INTEGRITY_REVIEW_OVERDUE", "medium"),
            ]),
        }
    }
}
