//! Put outputs in place without ever leaving a half-written file.
//!
//! `stage` writes every file to a temporary name in the destination directory and syncs it;
//! `Staged::publish` renames them over the old outputs (atomic on one filesystem). If the
//! run fails between the two, dropping `Staged` removes the temporary files and yesterday's
//! outputs stay untouched.
//!
//! Only the temporary files this process created are ever removed (each is a
//! `tempfile::NamedTempFile`, which deletes itself when dropped). A file in the directory that
//! merely looks like one (`.<output>.*.tmp`, left by a run killed with `kill -9`, or made by
//! anyone else) is left where it is and named in a warning: vetrecon cannot tell that it made
//! it, and it touches nothing on disk it did not create.

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
    warn_stale(dir, outputs);
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

/// Warn about files that look like staged outputs (`.<output>.*.tmp`) but are not this
/// process's: most likely left by a run killed with `kill -9`. They are not removed (nothing
/// proves vetrecon made them); the warning names them so an operator can.
fn warn_stale(dir: &Path, outputs: &[Output]) {
    for path in stale(dir, outputs) {
        tracing::warn!(
            path = %path.display(),
            "a file named like a staged output is in the output directory (left by a killed run?); it is not vetrecon's to remove: delete it by hand if it is"
        );
    }
}

/// The files in `dir` named like a staged output (`.<output>.*.tmp`), sorted.
pub fn stale(dir: &Path, outputs: &[Output]) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = rd
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".tmp")
                && outputs
                    .iter()
                    .any(|o| name.starts_with(&format!(".{}.", o.name)))
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
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

/// Write one file (`check --rejects`, `train --out`) as outputs are written: to a temporary
/// name beside it, then renamed over it. The file's old contents are never written through,
/// so a link where it goes is replaced, not followed into the file it names.
pub fn replace_file(path: &Path, bytes: Vec<u8>) -> Result<PathBuf, Error> {
    let err = |source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .ok_or_else(|| err(std::io::Error::other("not a file name")))?
        .to_string_lossy()
        .into_owned();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let out = [Output {
        name: name.into(),
        bytes,
    }];
    stage(dir, &out)?.publish()?;
    Ok(path.to_path_buf())
}
