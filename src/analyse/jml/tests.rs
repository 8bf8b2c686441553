use super::*;
use crate::link::Decision;
use crate::model::{EmploymentStatus, Post};
use crate::testkit::{d, World, AS_OF};

/// The previous night: 2026-11-17, a week before `AS_OF`.
const BEFORE: &str = "2026-11-17";

fn member(id: &str, post: &str, status: EmploymentStatus, refs: &[&str]) -> Member {
    Member {
        employee_id: id.into(),
        post_id: (!post.is_empty()).then(|| post.to_string()),
        status,
        post_start_date: Some(d("2026-01-01")),
        leaving_date: None,
        vetting_refs: refs.iter().map(|r| r.to_string()).collect(),
    }
}

fn active(id: &str, post: &str) -> Member {
    member(id, post, EmploymentStatus::Active, &[])
}

fn world() -> World {
    let mut w = World::new();
    let l = |n: &str| w.policy.levels.parse(n);
    let (mv, rv) = (l("MV"), l("RV"));
    w.posts.push(Post {
        post_id: "MVPOST".into(),
        title: "intelligence".into(),
        department: String::new(),
        required_level: mv,
        designated: true,
        vulnerable_contact: false,
        revet_on_appointment: false,
    });
    w.posts.push(Post {
        post_id: "REVET".into(),
        title: "professional standards".into(),
        department: String::new(),
        required_level: rv,
        designated: false,
        vulnerable_contact: false,
        revet_on_appointment: true,
    });
    w.posts.push(Post {
        post_id: "NOLEVEL".into(),
        title: "volunteer".into(),
        department: String::new(),
        required_level: None,
        designated: false,
        vulnerable_contact: false,
        revet_on_appointment: false,
    });
    w
}

fn run(
    w: &World,
    previous: Option<(&[Member], &[OpenAction])>,
    revet_read: bool,
    closed: &dyn Fn(&str) -> Option<Closed>,
) -> Jml {
    let facts = w.facts();
    let policy = PreventionPolicy::default();
    analyse(&Given {
        facts: &facts,
        policy: &policy,
        revet_read,
        previous: previous.map(|(members, open)| Previous {
            as_of: d(BEFORE),
            members,
            open,
        }),
        closed,
    })
}

fn none(_: &str) -> Option<Closed> {
    None
}

/// (action_id, status, due_date, days_overdue) of each row, in order.
fn summary(j: &Jml) -> Vec<(String, &'static str, String, i64)> {
    (j.rows.iter())
        .map(|r| {
            (
                r.action_id.clone(),
                r.status.as_str(),
                r.due_date.to_string(),
                r.days_overdue,
            )
        })
        .collect()
}

#[test]
fn the_first_night_raises_nothing_and_keeps_each_persons_live_clearances() {
    let mut w = world();
    let a = w.staff("RVPOST");
    let b = w.staff("MVPOST");
    w.granted(a, "RV", "2030-01-01");
    w.granted(a, "MV", "2020-01-01"); // expired: not kept
    let v = w.record(
        Some(b),
        Decision::AutoLink,
        "MV",
        VettingStatus::Refused,
        "2030-01-01",
    );
    let j = run(&w, None, true, &none);
    assert_eq!(j.previous_as_of, None);
    assert!(j.rows.is_empty() && j.open.is_empty());
    assert_eq!((j.joiners, j.movers, j.leavers), (0, 0, 0));
    assert_eq!(j.members.len(), 2);
    assert_eq!(j.members[0].employee_id, "E0");
    assert_eq!(j.members[0].vetting_refs, vec!["V0".to_string()]);
    assert!(j.members[1].vetting_refs.is_empty(), "V{v} is refused");
}

#[test]
fn joiners_are_vetted_or_have_their_transferred_clearance_confirmed() {
    let mut w = world();
    let cleared = w.staff("RVPOST"); // E0: holds RV
    let new = w.staff("MVPOST"); // E1: holds only RV, post needs MV
    let free = w.staff("NOLEVEL"); // E2: post needs nothing
    let lost = w.staff("NOWHERE"); // E3: post not in the register
    let known = w.staff("RVPOST"); // E4: on both rosters, same post
    w.persons[new as usize].post_start_date = Some(d("2026-11-20"));
    w.persons[cleared as usize].post_start_date = Some(d("2026-11-10"));
    w.granted(cleared, "RV", "2030-01-01");
    w.granted(new, "RV", "2030-01-01");
    let _ = (free, lost);
    let before = [active(&format!("E{known}"), "RVPOST")];
    let j = run(&w, Some((&before, &[])), true, &none);
    assert_eq!((j.joiners, j.movers, j.leavers), (4, 0, 0));
    assert_eq!(j.no_action.no_level, 1);
    assert_eq!(j.no_action.post_unknown, 1);
    // E0's start date is before the previous night, so the event is tonight: due in 14
    // days (confirm_transfer). E1 started after it: due 28 days after 2026-11-20.
    assert_eq!(
        summary(&j),
        vec![
            (
                "confirm_transfer:E0:2026-11-24".into(),
                "open",
                "2026-12-08".into(),
                0
            ),
            (
                "vet_joiner:E1:2026-11-20".into(),
                "open",
                "2026-12-18".into(),
                0
            ),
        ]
    );
    let r = &j.rows[1];
    assert_eq!(
        (
            r.event.as_str(),
            r.to_post.as_str(),
            r.required_level.as_str(),
            r.held_level.as_str()
        ),
        ("joiner", "MVPOST", "MV", "RV")
    );
    assert_eq!(
        r.detail,
        "joined MVPOST on 2026-11-20 (requires MV); holds RV (V1)"
    );
    assert_eq!(j.open.len(), 2);
    assert_eq!(j.open[0].first_seen, d(AS_OF));
}

#[test]
fn movers_are_upgraded_or_revetted_and_an_unread_revet_column_is_counted() {
    let mut w = world();
    let up = w.staff("MVPOST"); // E0: RV -> MV post, holds RV only
    let re = w.staff("REVET"); // E1: into a re-vet post, holds RV
    let same = w.staff("VULN"); // E2: RV post, holds RV: nothing to do
    for p in [up, re, same] {
        w.granted(p, "RV", "2030-01-01");
    }
    let before = [
        active("E0", "RVPOST"),
        active("E1", "RVPOST"),
        active("E2", "RVPOST"),
    ];
    let j = run(&w, Some((&before, &[])), true, &none);
    assert_eq!(j.movers, 3);
    assert_eq!(j.no_action.move_needs_nothing, 1);
    let ids: Vec<&str> = j.rows.iter().map(|r| r.action_id.as_str()).collect();
    assert_eq!(ids, ["revet:E1:2026-11-24", "upgrade:E0:2026-11-24"]);
    assert_eq!(j.rows[1].from_post, "RVPOST");
    // Without the column, the re-vet is not checked: no revet action, counted.
    let j = run(&w, Some((&before, &[])), false, &none);
    let ids: Vec<&str> = j.rows.iter().map(|r| r.action_id.as_str()).collect();
    assert_eq!(ids, ["upgrade:E0:2026-11-24"]);
    assert_eq!(j.no_action.revet_not_read, 2);
    assert_eq!(j.no_action.move_needs_nothing, 0);
}

#[test]
fn a_move_into_a_designated_post_needs_the_designated_level_whatever_the_register_level_says() {
    let mut w = world();
    // DESIG is designated with RV in the register: designated posts need MV all the same.
    let up = w.staff("DESIG");
    w.granted(up, "RV", "2030-01-01");
    let j = run(&w, Some((&[active("E0", "RVPOST")], &[])), true, &none);
    let got: Vec<(&str, &str, &str)> = (j.rows.iter())
        .map(|r| {
            (
                r.action_id.as_str(),
                r.required_level.as_str(),
                r.held_level.as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("upgrade:E0:2026-11-24", "MV", "RV")]);
}

#[test]
fn leavers_with_a_clearance_still_granted_have_it_ended() {
    let mut w = world();
    let gone = w.person(
        "RVPOST",
        crate::model::RoleType::Staff,
        EmploymentStatus::Leaver,
    );
    w.granted(gone, "RV", "2030-01-01"); // V0
                                         // An unlinked record, still valid, that the previous night kept for someone now absent.
    w.record(
        None,
        Decision::NoMatch,
        "MV",
        VettingStatus::Granted,
        "2030-01-01",
    ); // V1
    let mut absent = active("E7", "MVPOST");
    absent.vetting_refs = vec!["v1".into()];
    absent.leaving_date = Some(d("2026-11-21"));
    let mut no_clearance = active("E8", "RVPOST");
    no_clearance.vetting_refs = vec!["V99".into()];
    let already = member("E9", "RVPOST", EmploymentStatus::Leaver, &["V1"]);
    let before = [active("E0", "RVPOST"), absent, no_clearance, already];
    let j = run(&w, Some((&before, &[])), true, &none);
    assert_eq!(j.leavers, 3);
    assert_eq!(j.no_action.leaver_no_clearance, 1);
    // E0 left on 2026-10-01 (the world's leaving date): due 7 days later, overdue since.
    assert_eq!(
        summary(&j),
        vec![
            (
                "end_clearance:E0:2026-10-01".into(),
                "open",
                "2026-10-08".into(),
                47
            ),
            (
                "end_clearance:E7:2026-11-21".into(),
                "open",
                "2026-11-28".into(),
                0
            ),
        ]
    );
    assert_eq!(j.rows[1].held_level, "MV");
    assert_eq!(
        j.rows[1].detail,
        "left MVPOST on 2026-11-21; clearances still granted: V1"
    );
    assert_eq!(j.open[1].vetting_refs, vec!["V1".to_string()]);
}

fn carried(action: &str, event: &str, id: &str, to: &str, level: &str, date: &str) -> OpenAction {
    OpenAction {
        action_id: format!("{action}:{id}:{date}"),
        action: action.into(),
        event: event.into(),
        employee_id: id.into(),
        from_post: String::new(),
        to_post: to.into(),
        required_level: level.into(),
        event_date: d(date),
        first_seen: d("2026-11-03"),
        due_date: d(date) + chrono::Duration::days(28),
        vetting_refs: Vec::new(),
    }
}

#[test]
fn carried_actions_end_done_when_the_person_left_or_closed_by_an_officer() {
    let mut w = world();
    let vetted = w.staff("MVPOST"); // E0: now holds MV
    let waiting = w.staff("MVPOST"); // E1: still holds nothing
    let transfer = w.staff("RVPOST"); // E2: granted RV after the event
    let closed = w.staff("RVPOST"); // E3: closed by an officer
    w.granted(vetted, "MV", "2030-01-01");
    let g = w.granted(transfer, "RV", "2030-01-01");
    w.vetting[g].decision_date = Some(d("2026-11-05"));
    let _ = (waiting, closed);
    let open = [
        carried("vet_joiner", "joiner", "E0", "MVPOST", "MV", "2026-10-01"),
        carried("vet_joiner", "joiner", "E1", "MVPOST", "MV", "2026-10-01"),
        carried(
            "confirm_transfer",
            "joiner",
            "E2",
            "RVPOST",
            "RV",
            "2026-11-01",
        ),
        carried("vet_joiner", "joiner", "E3", "RVPOST", "RV", "2026-11-10"),
        carried("upgrade", "mover", "E5", "MVPOST", "MV", "2026-11-10"),
    ];
    let before = [
        active("E0", "MVPOST"),
        active("E1", "MVPOST"),
        active("E2", "RVPOST"),
        active("E3", "RVPOST"),
    ];
    let officer = |id: &str| {
        (id == "VET_JOINER:E3:2026-11-10").then(|| Closed {
            by: "DS Patel".into(),
            on: "2026-11-20".into(),
            reason: "=vetted by the other force".into(),
        })
    };
    // The officer's closing is found whatever the case of the id.
    let closing = |id: &str| officer(&id_key(id));
    let j = run(&w, Some((&before, &open)), true, &closing);
    // E5 left the roster before tonight (absent from the previous one): a leaver of an
    // earlier night, not tonight's.
    assert_eq!((j.joiners, j.movers, j.leavers), (0, 0, 0));
    // The open one first, then those that closed tonight, by action id.
    let want: Vec<(String, &str, String, i64)> = vec![
        (
            "vet_joiner:E1:2026-10-01".into(),
            "open",
            "2026-10-29".into(),
            26,
        ),
        (
            "confirm_transfer:E2:2026-11-01".into(),
            "done",
            "2026-11-29".into(),
            0,
        ),
        (
            "upgrade:E5:2026-11-10".into(),
            "person_left",
            "2026-12-08".into(),
            0,
        ),
        (
            "vet_joiner:E0:2026-10-01".into(),
            "done",
            "2026-10-29".into(),
            26,
        ),
        (
            "vet_joiner:E3:2026-11-10".into(),
            "closed",
            "2026-12-08".into(),
            0,
        ),
    ];
    assert_eq!(summary(&j), want);
    let row = |id: &str| j.rows.iter().find(|r| r.action_id == id).unwrap();
    let open_one = row("vet_joiner:E1:2026-10-01");
    assert_eq!(
        (open_one.days_open, open_one.first_seen),
        (21, d("2026-11-03"))
    );
    assert_eq!(
        row("confirm_transfer:E2:2026-11-01").detail,
        "joined RVPOST on 2026-11-01 (requires RV); done: V1 (RV) granted on 2026-11-05"
    );
    assert_eq!(
        row("vet_joiner:E0:2026-10-01").detail,
        "joined MVPOST on 2026-10-01 (requires MV); done: holds MV (V0)"
    );
    assert_eq!(
        row("upgrade:E5:2026-11-10").detail,
        "moved from no post to MVPOST by 2026-11-10 (requires MV); person_left: no longer on the roster"
    );
    assert_eq!(
        row("vet_joiner:E3:2026-11-10").detail,
        "joined RVPOST by 2026-11-10 (requires RV); holds no clearance; closed by DS Patel on 2026-11-20: =vetted by the other force"
    );
    // Only the one still open is carried to the next night.
    let ids: Vec<&str> = j.open.iter().map(|a| a.action_id.as_str()).collect();
    assert_eq!(ids, ["vet_joiner:E1:2026-10-01"]);
    assert_eq!(
        j.by_action()[0],
        ("vet_joiner", 1, 1, 2),
        "vet_joiner: 1 open, 1 overdue, 2 closed tonight"
    );
}

#[test]
fn open_actions_sort_most_overdue_first_then_by_due_date() {
    let mut w = world();
    for _ in 0..4 {
        w.staff("MVPOST");
    }
    let open = [
        carried("vet_joiner", "joiner", "E0", "MVPOST", "MV", "2026-10-20"), // 7 days over
        carried("vet_joiner", "joiner", "E1", "MVPOST", "MV", "2026-09-01"), // 54 over
        carried("vet_joiner", "joiner", "E2", "MVPOST", "MV", "2026-11-20"), // due 12-18
        carried("vet_joiner", "joiner", "E3", "MVPOST", "MV", "2026-11-01"), // due 11-29
    ];
    let before: Vec<Member> = (0..4).map(|i| active(&format!("E{i}"), "MVPOST")).collect();
    let j = run(&w, Some((&before, &open)), true, &none);
    let got: Vec<(&str, i64)> = (j.rows.iter())
        .map(|r| (r.employee_id.as_str(), r.days_overdue))
        .collect();
    assert_eq!(got, [("E1", 56), ("E0", 7), ("E3", 0), ("E2", 0)]);
    assert_eq!(j.overdue_count(), 2);
}
