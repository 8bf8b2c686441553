//! Command output on stdout, and what a closed stdout means.
//!
//! Rust ignores SIGPIPE, so when the reader of a pipe goes away (`vetrecon diff A B | head`)
//! a write fails with `BrokenPipe`, and `println!` turns that into a panic. The reader has
//! taken all it wanted, so that is not a failure: like ripgrep, vetrecon then stops printing
//! and exits 0 without a message. The store commands write through `print`, which returns
//! the error as an `Error::Output` on `STDOUT`; `main` recognises it (`is_closed`). For any
//! `println!` left elsewhere, `quiet_broken_pipe_panics` is the safety net.

use std::io::Write;
use std::path::Path;
use vetrecon::error::Error;

/// The path an `Error::Output` names when stdout could not be written.
pub const STDOUT: &str = "(stdout)";

/// Write `text` to stdout and flush it.
pub fn print(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| Error::Output {
            path: STDOUT.into(),
            source,
        })
}

/// `print` with a newline.
pub fn println(text: &str) -> Result<(), Error> {
    print(&format!("{text}\n"))
}

/// Whether `e` is stdout's reader having gone away: the command ends quietly, exit 0.
pub fn is_closed(e: &Error) -> bool {
    matches!(e, Error::Output { path, source }
        if path == Path::new(STDOUT) && source.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Make a `print!` that hits a closed stdout end the process quietly with exit 0 instead of
/// printing a panic. Everything else goes to the default hook. The process exits inside the
/// hook (no unwinding): stdout is written only after a command's work is done and committed,
/// and the store's lock is released by the OS.
pub fn quiet_broken_pipe_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        // std's wording: "failed printing to stdout: Broken pipe (os error 32)".
        let epipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe).to_string();
        let os_epipe = std::io::Error::from_raw_os_error(libc::EPIPE).to_string();
        if msg.starts_with("failed printing to stdout")
            && (msg.contains(&os_epipe) || msg.contains(&epipe))
        {
            std::process::exit(i32::from(vetrecon::error::EXIT_OK));
        }
        // A panic is a bug, and its message may quote the value that caused it (a name, a
        // date of birth): name where it happened, not what it said, unless asked.
        if std::env::var_os("VETRECON_SHOW_PANIC").is_some() {
            default(info);
        } else {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_else(|| "an unknown place".into());
            eprintln!(
                "error: internal error: vetrecon panicked at {at} (a bug; please report it). Its message is not shown because it may quote personal data; set VETRECON_SHOW_PANIC=1 to see it. A run that had not committed left the store as it was."
            );
        }
    }));
}
