//! Exception codes and severities: part of the public data contract (docs/output.md, "Exception codes").
//!
//! Renaming a code breaks every force's downstream spreadsheets and every stored run's
//! history, so codes are only ever added, never renamed or removed.

use std::fmt;

/// Why a person or a vetting record is on the exception list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    NoClearance,
    NotGranted,
    Expired,
    InsufficientLevel,
    ExpiringSoon,
    UnknownPost,
    AmbiguousMatch,
    ReviewMatch,
    LeaverActiveClearance,
    OrphanClearance,
    AdverseUnmitigated,
    PndUnreviewed,
    MisconductReviewDue,
    CircumstancesReviewDue,
    PendingTooLong,
    RationaleMissing,
    InterviewNotHeld,
    RenewalNoResponse,
    PostingNotCleared,
    ConditionReviewDue,
    ConditionNoOwner,
    ConditionBreached,
    DeclarationReviewDue,
    DeclarationRefusedInPost,
    IntegrityReviewOverdue,
}

impl Code {
    /// Every code, in the order summaries list them.
    pub const ALL: [Code; 25] = [
        Code::NoClearance,
        Code::NotGranted,
        Code::Expired,
        Code::InsufficientLevel,
        Code::ExpiringSoon,
        Code::UnknownPost,
        Code::AmbiguousMatch,
        Code::ReviewMatch,
        Code::LeaverActiveClearance,
        Code::OrphanClearance,
        Code::AdverseUnmitigated,
        Code::PndUnreviewed,
        Code::MisconductReviewDue,
        Code::CircumstancesReviewDue,
        Code::PendingTooLong,
        Code::RationaleMissing,
        Code::InterviewNotHeld,
        Code::RenewalNoResponse,
        Code::PostingNotCleared,
        Code::ConditionReviewDue,
        Code::ConditionNoOwner,
        Code::ConditionBreached,
        Code::DeclarationReviewDue,
        Code::DeclarationRefusedInPost,
        Code::IntegrityReviewOverdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::NoClearance => "NO_CLEARANCE",
            Code::NotGranted => "NOT_GRANTED",
            Code::Expired => "EXPIRED",
            Code::InsufficientLevel => "INSUFFICIENT_LEVEL",
            Code::ExpiringSoon => "EXPIRING_SOON",
            Code::UnknownPost => "UNKNOWN_POST",
            Code::AmbiguousMatch => "AMBIGUOUS_MATCH",
            Code::ReviewMatch => "REVIEW_MATCH",
            Code::LeaverActiveClearance => "LEAVER_ACTIVE_CLEARANCE",
            Code::OrphanClearance => "ORPHAN_CLEARANCE",
            Code::AdverseUnmitigated => "ADVERSE_UNMITIGATED",
            Code::PndUnreviewed => "PND_UNREVIEWED",
            Code::MisconductReviewDue => "MISCONDUCT_REVIEW_DUE",
            Code::CircumstancesReviewDue => "CIRCUMSTANCES_REVIEW_DUE",
            Code::PendingTooLong => "PENDING_TOO_LONG",
            Code::RationaleMissing => "RATIONALE_MISSING",
            Code::InterviewNotHeld => "INTERVIEW_NOT_HELD",
            Code::RenewalNoResponse => "RENEWAL_NO_RESPONSE",
            Code::PostingNotCleared => "POSTING_NOT_CLEARED",
            Code::ConditionReviewDue => "CONDITION_REVIEW_DUE",
            Code::ConditionNoOwner => "CONDITION_NO_OWNER",
            Code::ConditionBreached => "CONDITION_BREACHED",
            Code::DeclarationReviewDue => "DECLARATION_REVIEW_DUE",
            Code::DeclarationRefusedInPost => "DECLARATION_REFUSED_IN_POST",
            Code::IntegrityReviewOverdue => "INTEGRITY_REVIEW_OVERDUE",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// What the code means, in plain words, for the page beside the code itself.
    pub fn label(self) -> &'static str {
        match self {
            Code::NoClearance => "No vetting clearance",
            Code::NotGranted => "Vetting never granted",
            Code::Expired => "Vetting expired",
            Code::InsufficientLevel => "Vetted below the post's level",
            Code::ExpiringSoon => "Vetting expires soon",
            Code::UnknownPost => "Post not in the register",
            Code::AmbiguousMatch => "Vetting record fits more than one person",
            Code::ReviewMatch => "Possible link to confirm",
            Code::LeaverActiveClearance => "Leaver still cleared",
            Code::OrphanClearance => "Clearance held by no one on the roster",
            Code::AdverseUnmitigated => "Adverse information without mitigation",
            Code::PndUnreviewed => "PND record not reviewed",
            Code::MisconductReviewDue => "Review due after misconduct",
            Code::CircumstancesReviewDue => "Review due after a change of circumstances",
            Code::PendingTooLong => "Vetting application open too long",
            Code::RationaleMissing => "Adverse decision without a recorded rationale",
            Code::InterviewNotHeld => "Adverse decision made without an interview",
            Code::RenewalNoResponse => "Renewal not answered",
            Code::PostingNotCleared => "Posting due to start without the clearance it needs",
            Code::ConditionReviewDue => "Condition on a clearance past its review",
            Code::ConditionNoOwner => "Condition with no owner, or mitigation with no condition",
            Code::ConditionBreached => "Posting restriction breached",
            Code::DeclarationReviewDue => "Declaration past its review",
            Code::DeclarationRefusedInPost => "Refused declaration held in a designated post",
            Code::IntegrityReviewOverdue => "Annual integrity review overdue",
        }
    }

    /// The optional feed (`ingest::TRIGGER_ROLES`) whose events raise the code: a night that
    /// did not read it did not check the code at all.
    pub fn feed(self) -> Option<&'static str> {
        match self {
            Code::PndUnreviewed => Some("pnd_returns"),
            Code::MisconductReviewDue => Some("misconduct"),
            Code::CircumstancesReviewDue => Some("circumstances"),
            Code::PostingNotCleared => Some("postings"),
            Code::ConditionReviewDue | Code::ConditionNoOwner | Code::ConditionBreached => {
                Some("conditions")
            }
            Code::DeclarationReviewDue | Code::DeclarationRefusedInPost => Some("declarations"),
            _ => None,
        }
    }

    /// The optional columns the code is raised from, of the vetting export or (for
    /// `ingest::ROSTER_CODE_COLUMNS`) the roster: a night without one of them did not check
    /// the code (its rule raises nothing, `Facts::checks`, and the page says `not read`).
    /// Empty for a code every export can raise.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Code::AdverseUnmitigated => &["adverse_info"],
            Code::PendingTooLong => &["application_date"],
            Code::RationaleMissing => &["adverse_info", "rationale_recorded"],
            Code::InterviewNotHeld => &["adverse_info", "adverse_category", "interview_held"],
            Code::RenewalNoResponse => &["application_date", "case_type", "stage"],
            Code::IntegrityReviewOverdue => &["last_integrity_review"],
            _ => &[],
        }
    }

    /// The feed of an exception code as exceptions.csv spells it (None for a code the
    /// program does not know, or one no feed raises).
    pub fn feed_of(code: &str) -> Option<&'static str> {
        Code::parse(code)?.feed()
    }

    /// What the vetting unit should do next, in plain words.
    pub fn action(self) -> &'static str {
        match self {
            Code::NoClearance => "Start vetting now or move the person out of the post",
            Code::NotGranted => {
                "Clearance was never granted: move the person out of the post or resolve the case"
            }
            Code::Expired => "Renew vetting; consider restricting access until renewed",
            Code::InsufficientLevel => "Vet to the post's required level or move the person",
            Code::ExpiringSoon => "Start the renewal before the expiry date",
            Code::UnknownPost => "Correct the post id in HR or add the post to the register",
            Code::AmbiguousMatch => "Decide which person this vetting record belongs to",
            Code::ReviewMatch => "Confirm or reject the suggested link",
            Code::LeaverActiveClearance => "Terminate the clearance of this leaver",
            Code::OrphanClearance => "Find who holds this clearance or terminate it",
            Code::AdverseUnmitigated => "Record the rationale and risk-mitigation conditions",
            Code::PndUnreviewed => "Review the vetting in the light of the PND record",
            Code::MisconductReviewDue => "Review the vetting after the misconduct outcome",
            Code::CircumstancesReviewDue => {
                "Review the vetting after the notified change of circumstances"
            }
            Code::PendingTooLong => {
                "Decide the application, or restrict the post until it is decided"
            }
            Code::RationaleMissing => "Record the rationale for the decision",
            Code::InterviewNotHeld => {
                "Hold the interview the adverse information needs, or record why not"
            }
            Code::RenewalNoResponse => {
                "Chase the person and their line manager for the renewal forms"
            }
            Code::PostingNotCleared => {
                "Vet to the new post's level before the start date, or hold the posting"
            }
            Code::ConditionReviewDue => "Review the condition and record the check",
            Code::ConditionNoOwner => {
                "Give the condition an owning unit, or record the conditions the grant relies on"
            }
            Code::ConditionBreached => {
                "Move the person out of the restricted post, or review the restriction"
            }
            Code::DeclarationReviewDue => "Review the declaration and record the review",
            Code::DeclarationRefusedInPost => {
                "Review the person's vetting and the post, or record what ended the interest"
            }
            Code::IntegrityReviewOverdue => {
                "Hold the annual integrity review with the person's supervisor"
            }
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad an exception is, before role risk and time out of compliance are weighed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_their_names() {
        for c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(c));
            assert_eq!(Code::parse(&c.as_str().to_lowercase()), Some(c));
        }
        assert_eq!(Code::parse("NO_SUCH_CODE"), None);
    }

    #[test]
    fn severities_order_from_low_to_critical() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::High > Severity::Medium);
        assert!(Severity::Medium > Severity::Low);
        assert_eq!(Severity::parse("HIGH"), Some(Severity::High));
    }
}
