//! Where the config comes from when a command is started anywhere: `--config`, then the
//! `VETRECON_CONFIG` environment variable, then `./config/vetrecon.toml` under the working
//! directory, then the system config `/etc/vetrecon/vetrecon.toml`, and otherwise the
//! built-in defaults. A file named (by `--config` or `VETRECON_CONFIG`) must exist; a place
//! only looked in is passed over when nothing is there.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The environment variable that names the config when `--config` does not.
pub const ENV_VAR: &str = "VETRECON_CONFIG";
/// Looked for under the working directory (the repository's own layout).
pub const LOCAL_PATH: &str = "config/vetrecon.toml";
/// The system config, looked for last.
pub const SYSTEM_PATH: &str = "/etc/vetrecon/vetrecon.toml";
/// The name a run on no config file records for its config.
pub const BUILT_IN: &str = "built-in defaults";

/// Where the config in force was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Named by `--config`.
    Flag(PathBuf),
    /// Named by `VETRECON_CONFIG`.
    Env(PathBuf),
    /// Found at `./config/vetrecon.toml`.
    Local(PathBuf),
    /// Found at `/etc/vetrecon/vetrecon.toml`.
    System(PathBuf),
    /// No file anywhere: the built-in defaults, which name no store and no output directory.
    BuiltIn,
}

impl Source {
    /// The config file, or None on the built-in defaults.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Source::Flag(p) | Source::Env(p) | Source::Local(p) | Source::System(p) => Some(p),
            Source::BuiltIn => None,
        }
    }

    /// How it was found, as the run record keeps it: `--config`, `VETRECON_CONFIG`,
    /// `./config/vetrecon.toml`, `/etc/vetrecon/vetrecon.toml` or `built-in defaults`.
    pub fn how(&self) -> &'static str {
        match self {
            Source::Flag(_) => "--config",
            Source::Env(_) => ENV_VAR,
            Source::Local(_) => "./config/vetrecon.toml",
            Source::System(_) => SYSTEM_PATH,
            Source::BuiltIn => BUILT_IN,
        }
    }

    /// Named by the operator (`--config`, `VETRECON_CONFIG`): it must exist.
    pub fn named(&self) -> bool {
        matches!(self, Source::Flag(_) | Source::Env(_))
    }

    /// One line for the log, `check` and the error messages.
    pub fn describe(&self) -> String {
        match self {
            Source::Flag(p) | Source::Env(p) => {
                format!("{} (named by {})", p.display(), self.how())
            }
            Source::Local(p) => format!("{} (found in the working directory)", p.display()),
            Source::System(p) => format!("{} (the system config)", p.display()),
            Source::BuiltIn => format!(
                "{BUILT_IN} (no --config, no {ENV_VAR}, no ./{LOCAL_PATH}, no {SYSTEM_PATH})"
            ),
        }
    }
}

/// The config in force: `flag`, else `env` (the value of `VETRECON_CONFIG`; empty counts as
/// unset), else the first of `./config/vetrecon.toml` and the system config that `exists`,
/// else the built-in defaults.
pub fn locate(
    flag: Option<&Path>,
    env: Option<OsString>,
    exists: &dyn Fn(&Path) -> bool,
) -> Source {
    if let Some(p) = flag {
        return Source::Flag(p.to_path_buf());
    }
    if let Some(v) = env.filter(|v| !v.is_empty()) {
        return Source::Env(PathBuf::from(v));
    }
    let local = PathBuf::from(LOCAL_PATH);
    if exists(&local) {
        return Source::Local(local);
    }
    let system = PathBuf::from(SYSTEM_PATH);
    if exists(&system) {
        return Source::System(system);
    }
    Source::BuiltIn
}

/// `locate` in this process: its environment and its working directory. Anything at a place
/// looked in counts as there (a broken link or a directory is then refused by name, never
/// passed over for the next place).
pub fn locate_here(flag: Option<&Path>) -> Source {
    locate(flag, std::env::var_os(ENV_VAR), &|p| {
        std::fs::symlink_metadata(p).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(places: &'static [&'static str]) -> impl Fn(&Path) -> bool {
        move |p| places.iter().any(|x| Path::new(x) == p)
    }

    #[test]
    fn the_search_order_is_flag_env_working_directory_system_then_built_in() {
        let everywhere = at(&[LOCAL_PATH, SYSTEM_PATH]);
        let flag = Path::new("/srv/force.toml");
        assert_eq!(
            locate(Some(flag), Some("/e.toml".into()), &everywhere),
            Source::Flag(flag.into())
        );
        assert_eq!(
            locate(None, Some("/e.toml".into()), &everywhere),
            Source::Env("/e.toml".into())
        );
        assert_eq!(
            locate(None, None, &everywhere),
            Source::Local(LOCAL_PATH.into())
        );
        // An empty VETRECON_CONFIG is unset, not a file called "".
        assert_eq!(
            locate(None, Some("".into()), &at(&[SYSTEM_PATH])),
            Source::System(SYSTEM_PATH.into())
        );
        assert_eq!(locate(None, None, &at(&[])), Source::BuiltIn);
    }

    #[test]
    fn only_a_named_config_must_exist() {
        let nowhere = at(&[]);
        // Named, so it is taken even where nothing is there (loading it then fails).
        let s = locate(None, Some("/missing.toml".into()), &nowhere);
        assert!(s.named());
        assert_eq!(s.path(), Some(Path::new("/missing.toml")));
        assert!(
            s.describe().contains("named by VETRECON_CONFIG"),
            "{}",
            s.describe()
        );
        assert!(!Source::Local(LOCAL_PATH.into()).named());
        assert!(!Source::BuiltIn.named());
        assert_eq!(Source::BuiltIn.path(), None);
        assert_eq!(Source::BuiltIn.how(), "built-in defaults");
    }
}
