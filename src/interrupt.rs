//! Signals: SIGTERM or SIGINT (systemd stopping the unit, cron's timeout, an operator's
//! Ctrl-C) end a run cleanly: exit code 1, the store as it was, no temporary files left.
//!
//! A dedicated thread receives the signal (signal-hook), so nothing runs in signal-handler
//! context. What it does depends on the phase of the run, which the run sets as it goes:
//! - `Reading` (reading inputs, linking, rendering in memory): nothing has been written, so
//!   the process exits at once with code 1; the OS releases the store lock.
//! - `Writing` (payloads into the store, outputs staged under temporary names): the thread
//!   only records the signal. The run checks for it at each step (`check`) and, when it finds
//!   it, removes what it wrote (uncommitted payloads, staged files) and returns
//!   `Error::Interrupted`.
//! - `Committed` (the chain entry is written): the run is in the store, so it is finished
//!   (renaming the staged outputs into place takes milliseconds) and exits 0 with a warning.
//!   Stopping here would leave a committed run without its outputs, which is worse.
//!
//! The phase lock is held while the thread decides, so the run cannot start writing in the
//! instant between the thread reading `Reading` and exiting.

use crate::error::{Error, EXIT_OTHER};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Mutex;

/// Where a run is, as far as a signal is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Reading,
    Writing,
    Committed,
}

static PHASE: Mutex<Phase> = Mutex::new(Phase::Reading);
static SIGNAL: AtomicI32 = AtomicI32::new(0);
/// Directories removed before a signal ends the process (a reading command's private copy
/// of the database, which holds personal data: `store::copy`).
static REMOVE_ON_EXIT: Mutex<Vec<std::path::PathBuf>> = Mutex::new(Vec::new());

/// Remove `dir` (and what is in it) if a signal ends the process before `forget_on_exit`.
pub fn remove_on_exit(dir: &std::path::Path) {
    (REMOVE_ON_EXIT.lock().unwrap_or_else(|e| e.into_inner())).push(dir.to_path_buf());
}

/// `dir` is removed by its owner: a signal no longer needs to.
pub fn forget_on_exit(dir: &std::path::Path) {
    (REMOVE_ON_EXIT.lock().unwrap_or_else(|e| e.into_inner())).retain(|d| d != dir);
}

fn remove_registered() {
    for d in REMOVE_ON_EXIT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
    {
        let _ = std::fs::remove_dir_all(d);
    }
}

fn name(sig: i32) -> &'static str {
    match sig {
        signal_hook::consts::SIGTERM => "SIGTERM",
        signal_hook::consts::SIGINT => "SIGINT",
        _ => "a signal",
    }
}

/// Start the thread that receives SIGTERM and SIGINT. Called once, by the binary.
pub fn install() -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                SIGNAL.store(sig, Ordering::SeqCst);
                let phase = PHASE.lock().unwrap_or_else(|e| e.into_inner());
                match *phase {
                    Phase::Reading => {
                        tracing::error!(
                            signal = name(sig),
                            exit_code = EXIT_OTHER,
                            "interrupted before anything was written: nothing was committed"
                        );
                        eprintln!(
                            "error: interrupted by {} before anything was written: nothing was committed",
                            name(sig)
                        );
                        remove_registered();
                        std::process::exit(i32::from(EXIT_OTHER));
                    }
                    Phase::Writing => tracing::warn!(
                        signal = name(sig),
                        "interrupted while writing: stopping at the next step and removing what was written"
                    ),
                    Phase::Committed => tracing::warn!(
                        signal = name(sig),
                        "interrupted after the run was committed: finishing its outputs"
                    ),
                }
            }
        })?;
    Ok(())
}

/// The signal received so far, if any.
pub fn requested() -> Option<&'static str> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        s => Some(name(s)),
    }
}

/// Stop here if a signal has arrived.
pub fn check() -> Result<(), Error> {
    match requested() {
        Some(sig) => Err(Error::Interrupted(sig)),
        None => Ok(()),
    }
}

/// Move the run to `phase`. Entering `Writing` is refused when a signal has already
/// arrived; entering `Committed` never is (the commit has happened).
pub fn enter(phase: Phase) -> Result<(), Error> {
    let mut p = PHASE.lock().unwrap_or_else(|e| e.into_inner());
    if phase != Phase::Committed {
        check()?;
    }
    *p = phase;
    Ok(())
}
