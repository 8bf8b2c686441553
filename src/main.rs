//! The `vetrecon` binary: parse the command line, set up logging, run, map errors to the
//! documented exit codes. All work is in the library.

mod cli;

use std::process::ExitCode;

/// Linking allocates and frees many small buffers on every thread (candidate lists, scored
/// pairs, CSV fields); glibc's allocator spends a large share of a big run in its own locks
/// and consolidation. mimalloc's per-thread heaps remove most of that (docs/design.md, "mimalloc").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Every file vetrecon creates (store, outputs) holds personal data: owner-only.
    #[cfg(unix)]
    unsafe {
        libc::umask(0o077);
    }
    // No transparent huge pages: mimalloc asks for them on its arenas, and the kernel then
    // zeroes 2 MiB at a time, touched or not, which costs a large run time in `clear_page`
    // and raises its peak memory. Ordinary pages are zeroed only as they are used. Failure
    // is harmless (an old kernel keeps its default).
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // A closed stdout (`vetrecon diff A B | head`) ends a command quietly, exit 0: the store
    // commands return it as an error (below); this catches any other `println!`.
    cli::stdout::quiet_broken_pipe_panics();
    let args = <cli::Cli as clap::Parser>::parse();
    cli::init_logging(&args);
    // SIGTERM and SIGINT end a run cleanly (exit 1, store untouched): see `interrupt`.
    if let Err(e) = vetrecon::interrupt::install() {
        tracing::warn!(
            "cannot watch for SIGTERM/SIGINT ({e}); a signal will kill the process outright"
        );
    }
    match cli::dispatch(args) {
        Ok(()) => ExitCode::from(vetrecon::error::EXIT_OK),
        Err(e) if cli::stdout::is_closed(&e) => ExitCode::from(vetrecon::error::EXIT_OK),
        Err(e) => {
            tracing::error!(exit_code = e.exit_code(), "{e}");
            eprintln!("error: {e}");
            if let Some(h) = e.hint() {
                eprintln!("hint: {h}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}
