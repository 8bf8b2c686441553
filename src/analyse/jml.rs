//! Joiners, movers and leavers: tonight's roster against the previous night's, each change
//! turned into an action with a due date, and the actions earlier nights left open carried
//! on until they are done, the person goes, or an officer closes them (jml.csv).
//!
//! - joiner: on tonight's roster (not a leaver), absent from the previous one. Holding the
//!   post's required level already: `confirm_transfer` (the clearance they came with); else
//!   `vet_joiner`. A post that requires no level: no action.
//! - mover: on both, post changed, not a leaver tonight. Not holding the new post's level:
//!   `upgrade`; else `revet` when the post calls for a re-vet on appointment; else nothing.
//! - leaver: on the previous roster not a leaver, and tonight a leaver or absent. Holding
//!   any clearance granted and unexpired (tonight's links, or for someone absent the
//!   references the previous night kept): `end_clearance`.
//!
//! The event's date is the post start date when given and after the previous night (joiner,
//! mover), the leaving date when given (leaver), else tonight. An action falls due
//! `prevention.action_due_days` after it. Its id, `<action>:<employee_id>:<event date>`, is
//! the same every night. Nothing here reads the store or the clock: the previous night's
//! state and the closings in force are given (`history::past`), so a replay gives the same.

use crate::assess::Facts;
use crate::ingest::value::id_key;
use crate::model::jml::{Member, OpenAction};
use crate::model::prevention::PreventionPolicy;
use crate::model::{LevelId, Person, VettingRecord, VettingStatus};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// An officer's closing of an action, as the analysis needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub by: String,
    /// The day it was recorded (YYYY-MM-DD).
    pub on: String,
    pub reason: String,
}

/// What the previous night kept.
pub struct Previous<'a> {
    pub as_of: NaiveDate,
    pub members: &'a [Member],
    pub open: &'a [OpenAction],
}

pub struct Given<'a> {
    pub facts: &'a Facts<'a>,
    pub policy: &'a PreventionPolicy,
    /// The post register has the `revet_on_appointment` column.
    pub revet_read: bool,
    /// None on the first night (or after a night that kept no roster).
    pub previous: Option<Previous<'a>>,
    /// The officer's closing in force on an action id, if any.
    pub closed: &'a dyn Fn(&str) -> Option<Closed>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Open,
    Done,
    PersonLeft,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done => "done",
            Status::PersonLeft => "person_left",
            Status::Closed => "closed",
        }
    }
}

/// One row of jml.csv: an action as it stands tonight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub action_id: String,
    pub action: String,
    pub event: String,
    pub employee_id: String,
    pub from_post: String,
    pub to_post: String,
    pub required_level: String,
    pub held_level: String,
    pub event_date: NaiveDate,
    pub first_seen: NaiveDate,
    pub due_date: NaiveDate,
    pub days_open: i64,
    pub days_overdue: i64,
    pub status: Status,
    pub detail: String,
}

/// The changes tonight that called for no action, by why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoAction {
    /// Joiners and movers into a post that is not in the register (or with no post).
    pub post_unknown: usize,
    /// Joiners and movers into a post that requires no level.
    pub no_level: usize,
    /// Movers who hold the new post's level into a post that needs no re-vet.
    pub move_needs_nothing: usize,
    /// Movers who hold the new post's level, when the register has no
    /// `revet_on_appointment` column (the re-vet was not checked).
    pub revet_not_read: usize,
    /// Leavers who held no clearance still granted.
    pub leaver_no_clearance: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Jml {
    /// The night compared with (None: there was no earlier roster to compare with).
    pub previous_as_of: Option<NaiveDate>,
    pub joiners: usize,
    pub movers: usize,
    pub leavers: usize,
    pub no_action: NoAction,
    pub revet_read: bool,
    /// Tonight's actions, in jml.csv order.
    pub rows: Vec<Row>,
    /// Tonight's roster as the next night compares with it, by employee id.
    pub members: Vec<Member>,
    /// The actions open after tonight, by action id.
    pub open: Vec<OpenAction>,
}

impl Jml {
    /// Per action (in `ACTIONS` order): open tonight, of which overdue, and closed tonight
    /// (done, person left or closed by an officer).
    pub fn by_action(&self) -> Vec<(&'static str, usize, usize, usize)> {
        crate::model::prevention::ACTIONS
            .iter()
            .map(|a| {
                let of = self.rows.iter().filter(|r| r.action == *a);
                let open = of.clone().filter(|r| r.status == Status::Open);
                (
                    *a,
                    open.clone().count(),
                    open.filter(|r| r.days_overdue > 0).count(),
                    of.filter(|r| r.status != Status::Open).count(),
                )
            })
            .collect()
    }

    pub fn open_count(&self) -> usize {
        self.open.len()
    }

    pub fn overdue_count(&self) -> usize {
        (self.rows.iter())
            .filter(|r| r.status == Status::Open && r.days_overdue > 0)
            .count()
    }
}

/// Tonight's roster and records as the actions look them up.
struct Tonight<'a> {
    facts: &'a Facts<'a>,
    /// Each employee id (folded) to its first roster position.
    people: HashMap<String, usize>,
    /// Each vetting reference (folded) to its records.
    records: HashMap<String, Vec<usize>>,
}

impl<'a> Tonight<'a> {
    fn new(facts: &'a Facts<'a>) -> Tonight<'a> {
        let mut people = HashMap::with_capacity(facts.persons.len());
        for (i, p) in facts.persons.iter().enumerate() {
            people.entry(id_key(&p.employee_id)).or_insert(i);
        }
        Tonight {
            facts,
            people,
            records: HashMap::new(),
        }
    }

    /// Index the records named by the previous night's references that tonight's links
    /// cannot give: those of people gone from the roster and of the open actions (a few,
    /// where indexing every record would hold a key per record).
    fn index_records(&mut self, prev: &Previous<'_>) {
        let gone = (prev.members.iter())
            .filter(|m| !self.people.contains_key(&id_key(&m.employee_id)))
            .flat_map(|m| &m.vetting_refs);
        let wanted: std::collections::HashSet<String> = (prev.open.iter())
            .flat_map(|a| &a.vetting_refs)
            .chain(gone)
            .map(|r| id_key(r))
            .collect();
        if wanted.is_empty() {
            return;
        }
        for (i, v) in self.facts.vetting.iter().enumerate() {
            let key = id_key(&v.vetting_ref);
            if wanted.contains(&key) {
                self.records.entry(key).or_default().push(i);
            }
        }
    }

    fn person(&self, employee_id: &str) -> Option<(usize, &'a Person)> {
        let i = *self.people.get(&id_key(employee_id))?;
        Some((i, self.facts.person(i)))
    }

    /// The records linked to person `pi` granted and unexpired tonight, by reference.
    fn valid(&self, pi: usize) -> Vec<&'a VettingRecord> {
        let mut v: Vec<&VettingRecord> = (self.facts.records_of(pi))
            .map(|(_, r)| r)
            .filter(|r| self.facts.is_valid(r))
            .collect();
        v.sort_by(|a, b| a.vetting_ref.cmp(&b.vetting_ref));
        v
    }

    /// The records named by `refs` granted and unexpired tonight, by reference.
    fn valid_refs(&self, refs: &[String]) -> Vec<&'a VettingRecord> {
        let mut v: Vec<&VettingRecord> = (refs.iter())
            .filter_map(|r| self.records.get(&id_key(r)))
            .flatten()
            .map(|&i| self.facts.record(i))
            .filter(|r| self.facts.is_valid(r))
            .collect();
        v.sort_by(|a, b| a.vetting_ref.cmp(&b.vetting_ref));
        v.dedup_by(|a, b| a.vetting_ref == b.vetting_ref);
        v
    }

    /// Of `valid`, the record that meets `required` (the first by reference), else the
    /// highest held.
    fn best<'v>(
        &self,
        valid: &[&'v VettingRecord],
        required: Option<LevelId>,
    ) -> Option<&'v VettingRecord> {
        let levels = self.facts.levels;
        if let Some(req) = required {
            if let Some(r) = valid.iter().find(|r| levels.satisfies(r.level, req)) {
                return Some(r);
            }
        }
        let mut best: Option<&VettingRecord> = None;
        for r in valid {
            if best.is_none_or(|b| levels.position(r.level).1 > levels.position(b.level).1) {
                best = Some(r);
            }
        }
        best
    }

    fn level(&self, l: LevelId) -> String {
        self.facts.level_name(l).to_string()
    }
}

/// "MV (V123)" for a record, "no clearance" for none.
fn held_text(t: &Tonight<'_>, r: Option<&VettingRecord>) -> String {
    match r {
        Some(r) => format!("{} ({})", t.level(r.level), r.vetting_ref),
        None => "no clearance".to_string(),
    }
}

fn refs_text(valid: &[&VettingRecord]) -> String {
    (valid.iter())
        .map(|r| r.vetting_ref.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The roster tonight, as the next night compares with it: one member per employee id
/// (the first row of an id, as everywhere), by employee id.
fn members(t: &Tonight<'_>) -> Vec<Member> {
    let mut out: Vec<Member> = (t.people.values())
        .map(|&i| {
            let p = t.facts.person(i);
            Member {
                employee_id: p.employee_id.clone(),
                post_id: p.post_id.clone(),
                status: p.status,
                post_start_date: p.post_start_date,
                leaving_date: p.leaving_date,
                vetting_refs: t.valid(i).iter().map(|r| r.vetting_ref.clone()).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.employee_id.cmp(&b.employee_id));
    out
}

pub fn analyse(g: &Given<'_>) -> Jml {
    let mut t = Tonight::new(g.facts);
    let members = members(&t);
    let Some(prev) = &g.previous else {
        return Jml {
            revet_read: g.revet_read,
            members,
            ..Jml::default()
        };
    };
    t.index_records(prev);
    let mut jml = Jml {
        previous_as_of: Some(prev.as_of),
        revet_read: g.revet_read,
        ..Jml::default()
    };
    let raised = events(g, &t, prev, &mut jml);
    // Carried actions first: an event raised again under the same id keeps its first night.
    let mut seen: BTreeMap<String, ()> = BTreeMap::new();
    let mut rows = Vec::new();
    for a in prev.open.iter().chain(raised.iter()) {
        if seen.insert(id_key(&a.action_id), ()).is_some() {
            continue;
        }
        rows.push(judge(g, &t, a));
    }
    sort(&mut rows);
    jml.open = (rows.iter())
        .filter(|(r, _)| r.status == Status::Open)
        .map(|(_, a)| a.clone())
        .collect();
    jml.open.sort_by(|a, b| a.action_id.cmp(&b.action_id));
    jml.rows = rows.into_iter().map(|(r, _)| r).collect();
    jml.members = members;
    jml
}

/// jml.csv's order: open and overdue (most overdue first), then open by due date, then the
/// rest; ties by action id.
fn sort(rows: &mut [(Row, OpenAction)]) {
    rows.sort_by(|(a, _), (b, _)| {
        let group = |r: &Row| match (r.status, r.days_overdue > 0) {
            (Status::Open, true) => 0,
            (Status::Open, false) => 1,
            _ => 2,
        };
        let within = |r: &Row| match group(r) {
            0 => (-r.days_overdue, NaiveDate::MIN),
            1 => (0, r.due_date),
            _ => (0, NaiveDate::MIN),
        };
        (group(a), within(a), &a.action_id).cmp(&(group(b), within(b), &b.action_id))
    });
}

/// The events since the previous night, counted in `jml`, and the actions they raise.
fn events(g: &Given<'_>, t: &Tonight<'_>, prev: &Previous<'_>, jml: &mut Jml) -> Vec<OpenAction> {
    let as_of = g.facts.as_of;
    let mut before: BTreeMap<String, &Member> = BTreeMap::new();
    for m in prev.members {
        before.entry(id_key(&m.employee_id)).or_insert(m);
    }
    let mut now: Vec<(&String, usize)> = t.people.iter().map(|(k, &i)| (k, i)).collect();
    now.sort();
    let started = |p: &Person| {
        p.post_start_date
            .filter(|d| *d > prev.as_of)
            .unwrap_or(as_of)
    };
    let mut out = Vec::new();
    for (key, pi) in now {
        let p = g.facts.person(pi);
        let leaver_now = !p.status.in_workforce();
        match before.get(key) {
            None if !leaver_now => {
                jml.joiners += 1;
                out.extend(arrival(g, t, jml, pi, None, started(p)));
            }
            Some(q) if !leaver_now && moved(q, p) => {
                jml.movers += 1;
                out.extend(arrival(g, t, jml, pi, Some(q), started(p)));
            }
            Some(q) if leaver_now && q.status.in_workforce() => {
                jml.leavers += 1;
                let valid = t.valid(pi);
                out.extend(leaving(g, jml, q, p.leaving_date.unwrap_or(as_of), &valid));
            }
            _ => {}
        }
    }
    for (key, q) in &before {
        if t.people.contains_key(key) || !q.status.in_workforce() {
            continue;
        }
        jml.leavers += 1;
        let valid = t.valid_refs(&q.vetting_refs);
        out.extend(leaving(g, jml, q, q.leaving_date.unwrap_or(as_of), &valid));
    }
    out
}

fn moved(q: &Member, p: &Person) -> bool {
    q.post_id.as_deref().map(id_key) != p.post_id.as_deref().map(id_key)
}

fn action_id(action: &str, employee_id: &str, date: NaiveDate) -> String {
    format!("{action}:{employee_id}:{date}")
}

fn new_action(
    g: &Given<'_>,
    (action, event): (&str, &str),
    employee_id: &str,
    (from_post, to_post): (&str, &str),
    required_level: String,
    event_date: NaiveDate,
    vetting_refs: Vec<String>,
) -> OpenAction {
    OpenAction {
        action_id: action_id(action, employee_id, event_date),
        action: action.to_string(),
        event: event.to_string(),
        employee_id: employee_id.to_string(),
        from_post: from_post.to_string(),
        to_post: to_post.to_string(),
        required_level,
        event_date,
        first_seen: g.facts.as_of,
        due_date: event_date + chrono::Duration::days(g.policy.due_days(action)),
        vetting_refs,
    }
}

/// A joiner (`from` None) or a mover into their post tonight: the action it calls for.
fn arrival(
    g: &Given<'_>,
    t: &Tonight<'_>,
    jml: &mut Jml,
    pi: usize,
    from: Option<&Member>,
    date: NaiveDate,
) -> Option<OpenAction> {
    let p = g.facts.person(pi);
    let post = p.post_id.as_deref().and_then(|id| g.facts.post(id));
    let Some(post) = post else {
        jml.no_action.post_unknown += 1;
        return None;
    };
    let Some(req) = g.facts.levels.of_post(post) else {
        jml.no_action.no_level += 1;
        return None;
    };
    let holds = t
        .best(&t.valid(pi), Some(req))
        .is_some_and(|r| g.facts.levels.satisfies(r.level, req));
    let action = match (from, holds) {
        (None, true) => "confirm_transfer",
        (None, false) => "vet_joiner",
        (Some(_), false) => "upgrade",
        (Some(_), true) if !g.revet_read => {
            jml.no_action.revet_not_read += 1;
            return None;
        }
        (Some(_), true) if post.revet_on_appointment => "revet",
        (Some(_), true) => {
            jml.no_action.move_needs_nothing += 1;
            return None;
        }
    };
    let event = if from.is_some() { "mover" } else { "joiner" };
    let from_post = from.and_then(|q| q.post_id.as_deref()).unwrap_or("");
    Some(new_action(
        g,
        (action, event),
        &p.employee_id,
        (from_post, &post.post_id),
        t.level(req),
        date,
        Vec::new(),
    ))
}

/// A leaver: end_clearance when `valid` (the clearances still granted) is not empty.
fn leaving(
    g: &Given<'_>,
    jml: &mut Jml,
    q: &Member,
    date: NaiveDate,
    valid: &[&VettingRecord],
) -> Option<OpenAction> {
    if valid.is_empty() {
        jml.no_action.leaver_no_clearance += 1;
        return None;
    }
    Some(new_action(
        g,
        ("end_clearance", "leaver"),
        &q.employee_id,
        (q.post_id.as_deref().unwrap_or(""), ""),
        String::new(),
        date,
        valid.iter().map(|r| r.vetting_ref.clone()).collect(),
    ))
}

/// An action as it stands tonight, and as the next night carries it (when still open).
fn judge(g: &Given<'_>, t: &Tonight<'_>, a: &OpenAction) -> (Row, OpenAction) {
    let as_of = g.facts.as_of;
    let levels = g.facts.levels;
    let person = t.person(&a.employee_id);
    let staying = person.filter(|(_, p)| p.status.in_workforce());
    let mut carried = a.clone();
    // What the event was, in words. A date the roster gave (a start or leaving date before
    // the night that saw it) is "on" it; without one the event dates from the night it was
    // seen, and all that is known is that it happened "by" then.
    let when = if a.event_date < a.first_seen {
        format!("on {}", a.event_date)
    } else {
        format!("by {}", a.event_date)
    };
    let mut detail = match a.event.as_str() {
        "joiner" => format!("joined {} {when}", a.to_post),
        "mover" => format!(
            "moved from {} to {} {when}",
            or_none(&a.from_post),
            a.to_post
        ),
        _ => format!("left {} {when}", or_none(&a.from_post)),
    };
    if !a.required_level.is_empty() {
        detail.push_str(&format!(" (requires {})", a.required_level));
    }
    // The post's level as tonight's register has it, else as it was when raised.
    let required = (g
        .facts
        .post(&a.to_post)
        .and_then(|p| g.facts.levels.of_post(p)))
    .or_else(|| levels.parse(&a.required_level));
    let (status, held, state) = match a.action.as_str() {
        "end_clearance" => {
            let mut valid = t.valid_refs(&a.vetting_refs);
            if let Some((pi, _)) = person {
                valid.extend(t.valid(pi));
                valid.sort_by(|x, y| x.vetting_ref.cmp(&y.vetting_ref));
                valid.dedup_by(|x, y| x.vetting_ref == y.vetting_ref);
            }
            let held = t.best(&valid, None).map(|r| t.level(r.level));
            carried.vetting_refs = valid.iter().map(|r| r.vetting_ref.clone()).collect();
            if valid.is_empty() {
                let s = "done: no clearance of theirs is still granted".to_string();
                (Status::Done, held, s)
            } else {
                let s = format!("clearances still granted: {}", refs_text(&valid));
                (Status::Open, held, s)
            }
        }
        _ => match staying {
            None => {
                let why = match person {
                    Some(_) => "person_left: a leaver on tonight's roster",
                    None => "person_left: no longer on the roster",
                };
                (Status::PersonLeft, None, why.to_string())
            }
            Some((pi, _)) => arrival_state(t, a, pi, required),
        },
    };
    let (status, detail) = match (g.closed)(&a.action_id) {
        // What still stands is said beside the closing (a leaver's clearance still granted
        // is not ended by closing the action), so the row never reads as a gap closed.
        Some(c) => (
            Status::Closed,
            format!(
                "{detail}; {state}; closed by {} on {}: {}",
                c.by, c.on, c.reason
            ),
        ),
        None => (status, format!("{detail}; {state}")),
    };
    let row = Row {
        action_id: a.action_id.clone(),
        action: a.action.clone(),
        event: a.event.clone(),
        employee_id: a.employee_id.clone(),
        from_post: a.from_post.clone(),
        to_post: a.to_post.clone(),
        required_level: (required.map(|l| t.level(l))).unwrap_or_else(|| a.required_level.clone()),
        held_level: held.unwrap_or_default(),
        event_date: a.event_date,
        first_seen: a.first_seen,
        due_date: a.due_date,
        days_open: (as_of - a.first_seen).num_days().max(0),
        days_overdue: (as_of - a.due_date).num_days().max(0),
        status,
        detail,
    };
    (row, carried)
}

fn or_none(post: &str) -> &str {
    if post.is_empty() {
        "no post"
    } else {
        post
    }
}

/// vet_joiner, upgrade, confirm_transfer or revet for someone on tonight's roster (not a
/// leaver): the status, the level held and what is still to do (or what did it).
fn arrival_state(
    t: &Tonight<'_>,
    a: &OpenAction,
    pi: usize,
    required: Option<LevelId>,
) -> (Status, Option<String>, String) {
    let valid = t.valid(pi);
    let best = t.best(&valid, required);
    let held = best.map(|r| t.level(r.level));
    let meets = |r: &VettingRecord| required.is_some_and(|l| t.facts.levels.satisfies(r.level, l));
    match a.action.as_str() {
        "vet_joiner" | "upgrade" => match best.filter(|r| meets(r)) {
            Some(r) => (
                Status::Done,
                held,
                format!("done: holds {}", held_text(t, Some(r))),
            ),
            None => (Status::Open, held, format!("holds {}", held_text(t, best))),
        },
        _ => {
            // A grant decided on or after the event, linked to them.
            let mut granted: Vec<(NaiveDate, &VettingRecord)> = (t.facts.records_of(pi))
                .map(|(_, r)| r)
                .filter(|r| r.status == VettingStatus::Granted)
                .filter_map(|r| Some((r.decision_date.filter(|d| *d >= a.event_date)?, r)))
                .collect();
            granted.sort_by(|x, y| (x.0, &x.1.vetting_ref).cmp(&(y.0, &y.1.vetting_ref)));
            match granted.first() {
                Some((d, r)) => (
                    Status::Done,
                    held,
                    format!(
                        "done: {} ({}) granted on {d}",
                        r.vetting_ref,
                        t.level(r.level)
                    ),
                ),
                None => (
                    Status::Open,
                    held,
                    format!(
                        "holds {}; no grant decided on or after {} yet",
                        held_text(t, best),
                        a.event_date
                    ),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests;
