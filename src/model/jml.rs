//! Joiners, movers and leavers: what one night keeps for the next (`analyse::jml` compares
//! tonight's roster with it and carries the open actions on).
//!
//! A night keeps two small bodies in the store, named by hash from its run record
//! (`store::JmlRef`): its roster as the comparison needs it (ids, posts, employment status,
//! the two dates, and the references of the clearances each person held that night: never a
//! name, a date of birth or an NI number), and the actions still open after it. Each is one
//! JSON array per line under a header line naming the columns, so a night whose roster
//! barely changed is stored as a small delta of the night before (`store::blob`).

use super::EmploymentStatus;
use chrono::NaiveDate;

/// One roster person as a night kept them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub employee_id: String,
    pub post_id: Option<String>,
    pub status: EmploymentStatus,
    pub post_start_date: Option<NaiveDate>,
    pub leaving_date: Option<NaiveDate>,
    /// The references of the clearances linked to them that were granted and unexpired that
    /// night, sorted.
    pub vetting_refs: Vec<String>,
}

/// An action a night left open, as the next night reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAction {
    pub action_id: String,
    /// One of `prevention::ACTIONS`.
    pub action: String,
    /// joiner, mover or leaver.
    pub event: String,
    pub employee_id: String,
    pub from_post: String,
    pub to_post: String,
    /// The level the post required when the action was raised (its name).
    pub required_level: String,
    pub event_date: NaiveDate,
    /// The as-of date of the night that raised it.
    pub first_seen: NaiveDate,
    pub due_date: NaiveDate,
    /// For end_clearance: the clearances still to end (their references, sorted).
    pub vetting_refs: Vec<String>,
}

/// The roster body's header line.
const MEMBER_HEADER: &str = r#"["employee_id","post_id","employment_status","post_start_date","leaving_date","vetting_refs"]"#;

/// The open actions body's header line.
const ACTION_HEADER: &str = r#"["action_id","action","event","employee_id","from_post","to_post","required_level","event_date","first_seen","due_date","vetting_refs"]"#;

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn lines<T: serde::Serialize>(header: &str, rows: impl Iterator<Item = T>) -> Vec<u8> {
    let mut out = header.as_bytes().to_vec();
    out.push(b'\n');
    for r in rows {
        // Strings and arrays of strings always serialise.
        out.extend(serde_json::to_vec(&r).unwrap_or_default());
        out.push(b'\n');
    }
    out
}

/// The roster body: `members` in the order given (the night gives them by employee id).
pub fn members_to_bytes(members: &[Member]) -> Vec<u8> {
    lines(
        MEMBER_HEADER,
        members.iter().map(|m| {
            (
                &m.employee_id,
                m.post_id.as_deref().unwrap_or(""),
                m.status.as_str(),
                day(m.post_start_date),
                day(m.leaving_date),
                &m.vetting_refs,
            )
        }),
    )
}

/// The open actions body.
pub fn actions_to_bytes(actions: &[OpenAction]) -> Vec<u8> {
    lines(
        ACTION_HEADER,
        actions.iter().map(|a| {
            (
                &a.action_id,
                &a.action,
                &a.event,
                &a.employee_id,
                &a.from_post,
                &a.to_post,
                &a.required_level,
                a.event_date.to_string(),
                a.first_seen.to_string(),
                a.due_date.to_string(),
                &a.vetting_refs,
            )
        }),
    )
}

/// The rows of a body written by `lines` under `header`; `Err` says what is wrong.
fn read_lines<T: serde::de::DeserializeOwned>(
    what: &str,
    header: &str,
    bytes: &[u8],
) -> Result<Vec<T>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("{what}: {e}"))?;
    let mut it = text.lines();
    if it.next() != Some(header) {
        return Err(format!("{what}: not the header this version writes"));
    }
    it.enumerate()
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("{what}: line {}: {e}", i + 2)))
        .collect()
}

fn date(what: &str, s: &str) -> Result<Option<NaiveDate>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|e| format!("{what}: date {s:?}: {e}"))
}

fn required(what: &str, s: &str) -> Result<NaiveDate, String> {
    date(what, s)?.ok_or_else(|| format!("{what}: a date is blank"))
}

type MemberRow = (String, String, String, String, String, Vec<String>);

/// Read a roster body written by `members_to_bytes`.
pub fn members_from_bytes(bytes: &[u8]) -> Result<Vec<Member>, String> {
    const WHAT: &str = "joiners-movers-leavers roster";
    let rows: Vec<MemberRow> = read_lines(WHAT, MEMBER_HEADER, bytes)?;
    rows.into_iter()
        .map(|(id, post, status, start, leaving, refs)| {
            Ok(Member {
                employee_id: id,
                post_id: (!post.is_empty()).then_some(post),
                status: EmploymentStatus::parse(&status)
                    .ok_or_else(|| format!("{WHAT}: employment status {status:?}"))?,
                post_start_date: date(WHAT, &start)?,
                leaving_date: date(WHAT, &leaving)?,
                vetting_refs: refs,
            })
        })
        .collect()
}

type ActionRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Vec<String>,
);

/// Read an open actions body written by `actions_to_bytes`.
pub fn actions_from_bytes(bytes: &[u8]) -> Result<Vec<OpenAction>, String> {
    const WHAT: &str = "joiners-movers-leavers open actions";
    let rows: Vec<ActionRow> = read_lines(WHAT, ACTION_HEADER, bytes)?;
    rows.into_iter()
        .map(|r| {
            let (action_id, action, event, employee_id, from_post, to_post, level) =
                (r.0, r.1, r.2, r.3, r.4, r.5, r.6);
            Ok(OpenAction {
                action_id,
                action,
                event,
                employee_id,
                from_post,
                to_post,
                required_level: level,
                event_date: required(WHAT, &r.7)?,
                first_seen: required(WHAT, &r.8)?,
                due_date: required(WHAT, &r.9)?,
                vetting_refs: r.10,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn both_bodies_read_back_as_written_whatever_the_ids_hold() {
        let members = vec![
            Member {
                employee_id: "E1,\"x\"\n".into(),
                post_id: Some("P1".into()),
                status: EmploymentStatus::Active,
                post_start_date: Some(d("2026-01-02")),
                leaving_date: None,
                vetting_refs: vec!["V1".into(), "=V2".into()],
            },
            Member {
                employee_id: "E2".into(),
                post_id: None,
                status: EmploymentStatus::Leaver,
                post_start_date: None,
                leaving_date: Some(d("2026-11-20")),
                vetting_refs: vec![],
            },
        ];
        let bytes = members_to_bytes(&members);
        assert_eq!(members_from_bytes(&bytes).unwrap(), members);
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.lines().count(), 3);
        assert!(text.ends_with("[\"E2\",\"\",\"leaver\",\"\",\"2026-11-20\",[]]\n"));
        let actions = vec![OpenAction {
            action_id: "end_clearance:E2:2026-11-20".into(),
            action: "end_clearance".into(),
            event: "leaver".into(),
            employee_id: "E2".into(),
            from_post: "P1".into(),
            to_post: String::new(),
            required_level: String::new(),
            event_date: d("2026-11-20"),
            first_seen: d("2026-11-24"),
            due_date: d("2026-11-27"),
            vetting_refs: vec!["V9".into()],
        }];
        let bytes = actions_to_bytes(&actions);
        assert_eq!(actions_from_bytes(&bytes).unwrap(), actions);
        assert!(actions_from_bytes(b"[\"x\"]\n").is_err());
        assert!(members_from_bytes(&bytes).is_err());
    }
}
