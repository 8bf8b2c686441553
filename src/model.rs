//! Typed records that flow between the stages, after ingest has validated them.
//!
//! Nothing here parses or decides: ingest builds these from CSV rows, link and assess read
//! them. Keeping them plain data is what lets one stage change without touching the others.

use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt;

/// Index of a clearance level in the policy's level table (see `config::levels`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LevelId(pub u16);

/// Kind of engagement, which sets the baseline level when a post is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoleType {
    Officer,
    Staff,
    Special,
    Pcso,
    Volunteer,
    Contractor,
}

impl RoleType {
    pub const ALL: [RoleType; 6] = [
        RoleType::Officer,
        RoleType::Staff,
        RoleType::Special,
        RoleType::Pcso,
        RoleType::Volunteer,
        RoleType::Contractor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoleType::Officer => "officer",
            RoleType::Staff => "staff",
            RoleType::Special => "special",
            RoleType::Pcso => "pcso",
            RoleType::Volunteer => "volunteer",
            RoleType::Contractor => "contractor",
        }
    }

    pub fn parse(s: &str) -> Option<RoleType> {
        let s = s.trim().to_ascii_lowercase();
        RoleType::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// HR employment status. Everyone but a leaver is expected to hold a valid clearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmploymentStatus {
    Active,
    Leaver,
    Suspended,
    CareerBreak,
}

impl EmploymentStatus {
    pub fn parse(s: &str) -> Option<EmploymentStatus> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "active" => Some(EmploymentStatus::Active),
            "leaver" => Some(EmploymentStatus::Leaver),
            "suspended" => Some(EmploymentStatus::Suspended),
            "career_break" => Some(EmploymentStatus::CareerBreak),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EmploymentStatus::Active => "active",
            EmploymentStatus::Leaver => "leaver",
            EmploymentStatus::Suspended => "suspended",
            EmploymentStatus::CareerBreak => "career_break",
        }
    }

    /// Whether this person is part of the workforce that must hold clearance.
    pub fn in_workforce(self) -> bool {
        !matches!(self, EmploymentStatus::Leaver)
    }
}

/// Status of a vetting record as the vetting system exports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VettingStatus {
    Granted,
    Refused,
    Withdrawn,
    Suspended,
    Pending,
    Lapsed,
}

impl VettingStatus {
    pub fn parse(s: &str) -> Option<VettingStatus> {
        match s.trim().to_ascii_lowercase().as_str() {
            "granted" => Some(VettingStatus::Granted),
            "refused" => Some(VettingStatus::Refused),
            "withdrawn" => Some(VettingStatus::Withdrawn),
            "suspended" => Some(VettingStatus::Suspended),
            "pending" => Some(VettingStatus::Pending),
            "lapsed" => Some(VettingStatus::Lapsed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VettingStatus::Granted => "granted",
            VettingStatus::Refused => "refused",
            VettingStatus::Withdrawn => "withdrawn",
            VettingStatus::Suspended => "suspended",
            VettingStatus::Pending => "pending",
            VettingStatus::Lapsed => "lapsed",
        }
    }
}

impl fmt::Display for VettingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the HR roster.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub employee_id: String,
    pub surname: String,
    pub forenames: String,
    pub previous_surnames: Vec<String>,
    pub date_of_birth: NaiveDate,
    pub ni_number: Option<String>,
    pub post_id: Option<String>,
    pub role_type: RoleType,
    pub force: Option<String>,
    pub post_start_date: Option<NaiveDate>,
    pub status: EmploymentStatus,
    pub leaving_date: Option<NaiveDate>,
    /// Line of the CSV row, for messages.
    pub line: u64,
}

/// One row of the post register.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub post_id: String,
    pub title: String,
    pub department: String,
    pub required_level: Option<LevelId>,
    pub designated: bool,
    pub vulnerable_contact: bool,
}

/// One row of the vetting system's export.
#[derive(Debug, Clone, PartialEq)]
pub struct VettingRecord {
    pub vetting_ref: String,
    pub surname: String,
    pub forenames: String,
    pub previous_surnames: Vec<String>,
    pub date_of_birth: NaiveDate,
    pub ni_number: Option<String>,
    /// The employee id the vetting system holds: often blank or stale, a hint only.
    pub employee_id_hint: Option<String>,
    pub level: LevelId,
    pub status: VettingStatus,
    pub decision_date: Option<NaiveDate>,
    /// Expiry as exported, or decision date plus the level's validity when blank.
    pub expiry_date: Option<NaiveDate>,
    pub adverse_info: bool,
    pub rationale_recorded: bool,
    pub risk_mitigation: bool,
    /// Protected characteristics present in the export (column name -> value).
    pub protected: BTreeMap<String, String>,
    pub line: u64,
}

impl VettingRecord {
    /// Granted and not yet expired on `as_of`: the only records that satisfy a requirement.
    pub fn is_valid_on(&self, as_of: NaiveDate) -> bool {
        self.status == VettingStatus::Granted && self.expiry_date.is_some_and(|e| e > as_of)
    }
}
