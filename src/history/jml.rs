//! `vetrecon jml close ACTION_ID --reason TEXT [--by NAME]`: an officer closes a
//! joiners-movers-leavers action that needs nothing more.
//!
//! The action must be open after the newest night (its kept open actions, `model::jml`),
//! and not closed already (`clerical::jml::ClosingsInForce`). The closing is appended to the
//! chain as an entry of its own and takes effect from the next run, which lists the action
//! as closed (with who closed it and why) and then no more. Runs already made keep the
//! closings they used (each run's snapshot), so they replay as they were.

use crate::clerical::jml::JmlClosing;
use crate::error::{Error, StoreError};
use crate::ingest::value::id_key;
use crate::store::{Body, JmlEvent, Store, Stored};

/// Record one closing: `row` names the action as given; it is recorded as the newest night
/// spelled it, with that night's run id. Returns the entry and the closing as recorded.
pub fn close(store: &Store, row: JmlClosing) -> Result<(Stored, JmlClosing), Error> {
    row.check_text()
        .map_err(|(field, why)| Error::Usage(format!("--{field} {why}")))?;
    let entries = store.entries()?;
    let runs = crate::store::runs_of(&entries);
    let Some(newest) = super::latest(&runs) else {
        return Err(Error::Usage(
            "the store holds no run yet, so no action is open".into(),
        ));
    };
    let rec = &newest.record;
    let Some(j) = &rec.jml else {
        return Err(Error::Usage(format!(
            "run {} (the newest) kept no joiners-movers-leavers actions: it was made by a version before them",
            rec.run_id
        )));
    };
    let open = crate::model::jml::actions_from_bytes(&store.get_blob(&j.actions)?)
        .map_err(|e| StoreError::Corrupt(format!("run {}: {e}", rec.run_id)))?;
    let want = id_key(&row.action_id);
    let Some(action) = open.iter().find(|a| id_key(&a.action_id) == want) else {
        return Err(Error::Usage(format!(
            "{} is not an action open after run {} (as of {}): its jml.csv lists the open ones with status open",
            super::escape(&row.action_id),
            rec.run_id,
            rec.as_of
        )));
    };
    let row = JmlClosing {
        action_id: action.action_id.clone(),
        run_id: rec.run_id.clone(),
        ..row
    };
    let mut in_force = crate::store::jml_closings_in_force(&entries)?;
    in_force.apply(&row).map_err(Error::Usage)?;
    let stored = store.append(Body::JmlClosings(JmlEvent {
        source: "command".into(),
        rows: vec![row.clone()],
    }))?;
    Ok((stored, row))
}
