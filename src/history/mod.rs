//! History: what the store can tell auditors and vetting officers about past nights.
//!
//! Read-side commands, each one module: `show` (one run), `diff` (exceptions between two
//! runs), `person` (one person's timeline), `replay` (recompute a run and compare bytes),
//! `verify` (walk the hash chain and every payload), `prune` (retention), `decide`
//! (record clerical decisions), and `past` (the earlier runs a night is reported against).
//! None of them reads input files from disk: a stored run is the whole truth about its night.
//! Everything they print passes through `text::escape` (one line at a time), so stored free
//! text can never start a line of its own.

pub mod decide;
pub mod diff;
pub mod past;
pub mod person;
pub mod prune;
pub mod replay;
pub mod show;
pub mod text;
pub mod verify;

pub use text::escape;
