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
    let mut files = Vec::new();
    for o in outputs {
        let dest = dir.join(o.name);
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
