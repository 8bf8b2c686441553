//! Typed records that flow between the stages, after ingest has validated them.
//!
//! Nothing here parses or decides: ingest builds these from CSV rows, link and assess read
//! them. Keeping them plain data is what lets one stage change without touching the others.

pub mod casework;
pub mod coded;
pub mod feeds;
pub mod integrity;
pub mod jml;
pub mod levels;
pub mod prevention;

use chrono::NaiveDate;
pub use levels::{Levels, Period};
use std::fmt;

/// Index of a clearance level in the policy's level table (see `levels`).
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
    /// Optional (`last_integrity_review`): the person's last annual integrity review; None
    /// when blank (none recorded). Whether the roster has the column at all is
    /// `Ingested::roster_columns`.
    pub last_integrity_review: Option<NaiveDate>,
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
    /// Required: a blank is a reject, never a "no" that would downgrade a designated post.
    pub designated: bool,
    /// Optional: blank is not recorded, which gives the post no vulnerable-contact uplift in
    /// priority (it raises or hides no exception).
    pub vulnerable_contact: bool,
    /// Optional (`revet_on_appointment`): a move into the post calls for a re-vet even when
    /// the level is held. Blank is no; whether the register has the column at all is
    /// `Ingested::post_columns`.
    pub revet_on_appointment: bool,
}

/// A record's protected characteristics (column -> value), for the disproportionality
/// analysis only, never for matching. A sorted shared slice, not a map: a record gives two
/// to six of them, and a `BTreeMap` node for so few is about 400 bytes, a quarter of a
/// gigabyte across 600,000 records. A force has a few dozen distinct combinations, so ingest
/// shares one slice among the records that have the same (`ingest::vetting`): a record
/// holds a pointer, not its own copy (a copy would be 64 bytes and an allocation per record).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Protected(std::sync::Arc<[(&'static str, std::sync::Arc<str>)]>);

impl Protected {
    /// The columns given, in order.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|(k, _)| *k)
    }

    /// The same shared slice as `other` (not only equal to it).
    #[cfg(test)]
    pub fn is_shared_with(&self, other: &Protected) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }

    pub fn get(&self, column: &str) -> Option<&std::sync::Arc<str>> {
        self.0.iter().find(|(k, _)| *k == column).map(|(_, v)| v)
    }
}

impl FromIterator<(&'static str, std::sync::Arc<str>)> for Protected {
    /// As a map would collect them: sorted by column, a later value for a column replacing
    /// an earlier one.
    fn from_iter<I: IntoIterator<Item = (&'static str, std::sync::Arc<str>)>>(it: I) -> Self {
        let mut v: Vec<(&'static str, std::sync::Arc<str>)> = it.into_iter().collect();
        // Stable, so equal columns keep their order, and the last of each run is kept.
        v.sort_by_key(|(k, _)| *k);
        let mut out: Vec<(&'static str, std::sync::Arc<str>)> = Vec::with_capacity(v.len());
        for (k, val) in v {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = val,
                _ => out.push((k, val)),
            }
        }
        Protected(out.into())
    }
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
    /// The export's yes/no flags: `None` when the cell was left blank (not recorded), which
    /// is never read as "no" where a "no" would hide an exception (`assess::adverse`).
    /// `adverse_info` is `Some(false)` when the export has no such column (the check is off).
    pub adverse_info: Option<bool>,
    pub rationale_recorded: Option<bool>,
    pub risk_mitigation: Option<bool>,
    /// The last vetting review recorded (aftercare); it closes review triggers before it.
    pub last_review_date: Option<NaiveDate>,
    /// Protected characteristics present in the export (column name -> value). The values
    /// are shared: a force has a handful of groups per characteristic and 600,000 records.
    pub protected: Protected,
    /// The unit's casework on the record (`casework`): None when the export records none.
    pub casework: Option<Box<casework::Casework>>,
    pub line: u64,
}

impl VettingRecord {
    /// Granted and not yet expired on `as_of`: the only records that satisfy a requirement.
    pub fn is_valid_on(&self, as_of: NaiveDate) -> bool {
        self.status == VettingStatus::Granted && self.expiry_date.is_some_and(|e| e > as_of)
    }
}

/// A record from outside HR that linking matches to the roster by identity: a vetting
/// record, or a PND return. Linking, blocking and clerical decisions see only this.
pub trait ExternalRecord: Sync {
    /// The record's key in its own system (vetting_ref, pnd_ref), as decisions name it.
    fn reference(&self) -> &str;
    fn identity(&self) -> IdentityRef<'_>;
    /// What the record is, in words, for messages that must not quote it.
    fn kind(&self) -> &'static str {
        "vetting record"
    }
}

/// The identity fields linking compares, borrowed from a record.
#[derive(Debug, Clone, Copy)]
pub struct IdentityRef<'a> {
    pub surname: &'a str,
    pub previous: &'a [String],
    pub forenames: &'a str,
    pub dob: NaiveDate,
    pub ni: Option<&'a str>,
    /// The employee id (roster), or the hint another system holds (often blank or stale).
    pub employee_id: Option<&'a str>,
}

impl Person {
    pub fn identity(&self) -> IdentityRef<'_> {
        IdentityRef {
            surname: &self.surname,
            previous: &self.previous_surnames,
            forenames: &self.forenames,
            dob: self.date_of_birth,
            ni: self.ni_number.as_deref(),
            employee_id: Some(&self.employee_id),
        }
    }
}

impl ExternalRecord for VettingRecord {
    fn reference(&self) -> &str {
        &self.vetting_ref
    }
    fn identity(&self) -> IdentityRef<'_> {
        IdentityRef {
            surname: &self.surname,
            previous: &self.previous_surnames,
            forenames: &self.forenames,
            dob: self.date_of_birth,
            ni: self.ni_number.as_deref(),
            employee_id: self.employee_id_hint.as_deref(),
        }
    }
}

/// An enum of contract values, each with its lower-case name in the CSV.
macro_rules! contract_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($var),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }

            /// Case, spaces and hyphens are ignored: `Final written-warning` is read.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// Every value, for messages: `a, b, c`.
            pub fn names() -> String {
                $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

contract_enum!(
    /// What a PND return found (pnd_returns.csv `category`).
    PndCategory {
        Arrest = "arrest",
        Charge = "charge",
        Conviction = "conviction",
        Intelligence = "intelligence",
        Other = "other",
    }
);

contract_enum!(
    /// A misconduct outcome (misconduct.csv `outcome`).
    Outcome {
        WrittenWarning = "written_warning",
        FinalWrittenWarning = "final_written_warning",
        ReductionInRank = "reduction_in_rank",
        Other = "other",
    }
);

contract_enum!(
    /// A notified change of personal circumstances (circumstances.csv `change_type`).
    ChangeType {
        Name = "name",
        MaritalStatus = "marital_status",
        Partner = "partner",
        Finances = "finances",
        Association = "association",
        Address = "address",
        Other = "other",
    }
);

/// One row of pnd_returns.csv: a result of checking the workforce against the Police
/// National Database. It names no employee: linking finds the person.
#[derive(Debug, Clone, PartialEq)]
pub struct PndReturn {
    pub pnd_ref: String,
    pub surname: String,
    pub forenames: String,
    pub previous_surnames: Vec<String>,
    pub date_of_birth: NaiveDate,
    pub ni_number: Option<String>,
    pub record_date: NaiveDate,
    pub category: PndCategory,
    pub line: u64,
}

impl ExternalRecord for PndReturn {
    fn reference(&self) -> &str {
        &self.pnd_ref
    }
    fn kind(&self) -> &'static str {
        "PND return"
    }
    fn identity(&self) -> IdentityRef<'_> {
        IdentityRef {
            surname: &self.surname,
            previous: &self.previous_surnames,
            forenames: &self.forenames,
            dob: self.date_of_birth,
            ni: self.ni_number.as_deref(),
            employee_id: None,
        }
    }
}

/// One row of misconduct.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct Misconduct {
    pub outcome_ref: String,
    pub employee_id: String,
    pub outcome: Outcome,
    pub outcome_date: NaiveDate,
    /// Optional (`breach_category`): one of `[integrity].breach_categories`; None when
    /// blank or the feed has no such column.
    pub breach_category: Option<std::sync::Arc<str>>,
    /// Optional (`sanction`): one of `[integrity].sanction_scale` (its rank is
    /// `IntegrityPolicy::sanction_rank`); None when blank or the feed has no such column.
    pub sanction: Option<std::sync::Arc<str>>,
    pub line: u64,
}

/// One row of circumstances.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct Circumstance {
    pub notice_ref: String,
    pub employee_id: String,
    pub change_type: ChangeType,
    pub notified_date: NaiveDate,
    pub line: u64,
}

#[cfg(test)]
mod protected_tests {
    use super::Protected;
    use std::sync::Arc;

    /// Collected as a map would be: sorted by column, a later value for a
    /// column replacing an earlier one, absent columns absent.
    #[test]
    fn protected_characteristics_collect_like_a_map() {
        let p: Protected = [
            ("sex", Arc::<str>::from("F")),
            ("ethnicity", Arc::from("White")),
            ("sex", Arc::from("M")),
        ]
        .into_iter()
        .collect();
        assert_eq!(p.keys().collect::<Vec<_>>(), vec!["ethnicity", "sex"]);
        assert_eq!(p.get("sex").map(|s| &**s), Some("M"));
        assert_eq!(p.get("ethnicity").map(|s| &**s), Some("White"));
        assert_eq!(p.get("religion"), None);
        assert_eq!(Protected::default().keys().count(), 0);
    }
}
