//! Put outputs in place without ever leaving a half-written file.
//!
//! `stage` writes every file to a temporary name in the destination directory and syncs it;
//! `Staged::publish` renames them over the old outputs (atomic on one filesystem). If the
//! run fails between the two, dropping `Staged` removes the temporary files and yesterday's
//! outputs stay untouched.

use super::Output;
use crate::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Staged {
    files: Vec<(tempfile::NamedTempFile, PathBuf)>,
}

pub fn stage(dir: &Path, outputs: &[Output]) -> Result<Staged, Error> {
    let err = |path: &Path, source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
    // Anything but a file (or a link, which the rename replaces) where an output goes would
    // fail the rename after the commit, leaving two nights' outputs side by side: find it now.
    for o in outputs {
        let dest = dir.join(o.name.as_ref());
        if std::fs::symlink_metadata(&dest).is_ok_and(|m| m.is_dir()) {
            return Err(err(
                &dest,
                std::io::Error::other(
                    "a directory is where this output goes; nothing was committed",
                ),
            ));
        }
    }
    remove_stale(dir, outputs);
    let mut files = Vec::new();
    for o in outputs {
        let dest = dir.join(o.name.as_ref());
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{}.", o.name))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| err(&dest, e))?;
        tmp.write_all(&o.bytes).map_err(|e| err(&dest, e))?;
        tmp.as_file().sync_all().map_err(|e| err(&dest, e))?;
        files.push((tmp, dest));
    }
    Ok(Staged { files })
}

/// Remove temporary files a killed run left (`kill -9` gives no chance to clean up).
fn remove_stale(dir: &Path, outputs: &[Output]) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = outputs
            .iter()
            .any(|o| name.starts_with(&format!(".{}.", o.name)) && name.ends_with(".tmp"));
        if ours {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

impl Staged {
    pub fn publish(self) -> Result<Vec<PathBuf>, Error> {
        let mut done = Vec::new();
        for (tmp, dest) in self.files {
            tmp.persist(&dest).map_err(|e| Error::Output {
                path: dest.clone(),
                source: e.error,
            })?;
            done.push(dest);
        }
        Ok(done)
    }
}
