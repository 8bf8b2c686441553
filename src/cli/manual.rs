//! `vetrecon completions SHELL` and `vetrecon man [COMMAND]`: both made from the clap
//! definitions, so they always match the binary that prints them.

use super::stdout;
use super::Cli;
use clap::CommandFactory;
use roff::{bold, roman, Roff};
use vetrecon::error::Error;

/// Print the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<(), Error> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "vetrecon", &mut out);
    stdout::print(&String::from_utf8_lossy(&out))
}

/// Print vetrecon(1), or vetrecon-COMMAND(1) for one command (the pages vetrecon(1) lists).
pub fn man(command: Option<&str>) -> Result<(), Error> {
    let mut cli = Cli::command();
    cli.build();
    let page = match command {
        None => with_sections(render(clap_mangen::Man::new(cli.clone()))?, &own_sections()),
        Some(name) => {
            let sub = cli.find_subcommand(name).ok_or_else(|| {
                Error::Usage(format!(
                    "vetrecon has no command `{name}` (see `vetrecon --help`)"
                ))
            })?;
            let source = format!("vetrecon {}", env!("CARGO_PKG_VERSION"));
            render(clap_mangen::Man::new(sub.clone()).source(source))?
        }
    };
    stdout::print(&page)
}

fn render(man: clap_mangen::Man) -> Result<String, Error> {
    let mut out = Vec::new();
    man.render(&mut out).map_err(|source| Error::Output {
        path: stdout::STDOUT.into(),
        source,
    })?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// `page` with `sections` put before its VERSION section (at the end if it has none).
fn with_sections(page: String, sections: &str) -> String {
    match page.find("\n.SH VERSION\n") {
        Some(i) => format!("{}\n{sections}{}", &page[..i], &page[i + 1..]),
        None => format!("{page}{sections}"),
    }
}

/// ENVIRONMENT, FILES and EXIT STATUS: what vetrecon(1) says beyond the options.
fn own_sections() -> String {
    let mut r = Roff::new();
    let mut section = |title: &str, items: &[(&str, &str)]| {
        r.control("SH", [title]);
        for (term, text) in items {
            r.control("TP", []).text([bold(*term)]).text([roman(*text)]);
        }
    };
    section(
        "ENVIRONMENT",
        &[
            ("VETRECON_CONFIG", "The config file when --config is not given. A file named here must exist; an empty value counts as unset."),
            ("RUST_LOG", "The log level (default info). No level logs a name, date of birth or NI number."),
        ],
    );
    section(
        "FILES",
        &[
            ("./config/vetrecon.toml", "The config, when neither --config nor VETRECON_CONFIG names one and it exists under the working directory."),
            ("/etc/vetrecon/vetrecon.toml", "The system config, looked for next. With none of these the built-in defaults apply, which name no store and no output directory: run then needs --db and --out, and a store command needs --db."),
        ],
    );
    section(
        "EXIT STATUS",
        &[
            ("0", "Success (finding exceptions is still success); check: a run would proceed."),
            ("1", "Interrupted before the commit, or an output that cannot be written."),
            ("2", "Usage or config error, including a config named but missing and run on the built-in defaults without --db and --out: nothing was written."),
            ("3", "Input refused: nothing committed; check: a run would be refused."),
            ("4", "Store error: locked, not a store, no such run, inputs pruned."),
            ("5", "Audit check failed: replay differs, or verify found something altered."),
        ],
    );
    r.to_roff()
}
