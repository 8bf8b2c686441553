//! Reading an input file's bytes, within bounds.
//!
//! The whole file is kept in memory (the store keeps its exact bytes and the run hashes
//! them), so the read itself must refuse what no export could be before memory runs out: a
//! file larger than `input.max_file_mb`, or a line longer than `MAX_LINE_BYTES` with no line
//! break (a binary dump, a runaway quote from a broken writer, `/dev/zero`). The size the
//! file system reports is checked first but not trusted: a file still being written, or a
//! pipe, is measured as it is read, in chunks.

use crate::error::InputError;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The longest physical line accepted (1 MiB). A roster row is a few hundred bytes; a
/// quoted field may span lines, so this bounds a line, not a record.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Bytes read per step while measuring.
const CHUNK: usize = 4 << 20;

/// The most allocated up front from the size the file system states (256 MiB); a larger
/// file grows the buffer as it is actually read.
const FIRST_ALLOCATION: u64 = 256 << 20;

/// An input file's exact bytes and identity.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Contract role: `roster`, `posts` or `vetting`.
    pub role: &'static str,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub sha256: String,
    /// The file's modification time when it was read (RFC 3339, UTC), for the run record
    /// and the log only: never on an output, which must not change when a file is copied.
    /// None for bytes that came from the store, or where the filesystem gives no time.
    pub modified: Option<String>,
}

/// How much of a file `SourceFile::read` will hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    pub max_bytes: u64,
    pub max_line_bytes: usize,
}

impl ReadLimits {
    /// `input.max_file_mb` megabytes (10^6 bytes, as file managers show them).
    pub fn megabytes(mb: u64) -> ReadLimits {
        ReadLimits {
            max_bytes: mb.saturating_mul(1_000_000),
            max_line_bytes: MAX_LINE_BYTES,
        }
    }
}

impl SourceFile {
    pub fn read(
        role: &'static str,
        path: &Path,
        limits: ReadLimits,
    ) -> Result<SourceFile, InputError> {
        let read_err = |source| InputError::Read {
            file: path.to_path_buf(),
            source,
        };
        let mut file = std::fs::File::open(path).map_err(read_err)?;
        let meta = file.metadata().map_err(read_err)?;
        let stated = meta.len();
        let modified = meta.modified().ok().map(|t| {
            chrono::DateTime::<chrono::Utc>::from(t)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        });
        if stated > limits.max_bytes {
            return Err(too_large(path, stated, limits));
        }
        // The stated size is a hint for the first allocation, never a promise.
        let mut bytes = Vec::with_capacity(stated.min(FIRST_ALLOCATION) as usize);
        let mut lines = LineCheck::default();
        loop {
            let start = bytes.len();
            let n = (&mut file)
                .take(CHUNK as u64)
                .read_to_end(&mut bytes)
                .map_err(read_err)?;
            if n == 0 {
                break;
            }
            if bytes.len() as u64 > limits.max_bytes {
                return Err(too_large(path, bytes.len() as u64, limits));
            }
            lines
                .feed(
                    bytes.get(start..).unwrap_or_default(),
                    limits.max_line_bytes,
                )
                .map_err(|line| InputError::LineTooLong {
                    file: path.to_path_buf(),
                    line,
                    limit: limits.max_line_bytes,
                })?;
        }
        Ok(SourceFile {
            modified,
            ..SourceFile::from_bytes(role, path, bytes)
        })
    }

    pub fn from_bytes(role: &'static str, path: &Path, bytes: Vec<u8>) -> SourceFile {
        let sha256 = hex_sha256(&bytes);
        SourceFile {
            role,
            path: path.to_path_buf(),
            bytes,
            sha256,
            modified: None,
        }
    }
}

fn too_large(path: &Path, bytes: u64, limits: ReadLimits) -> InputError {
    InputError::TooLarge {
        file: path.to_path_buf(),
        bytes,
        limit_mb: limits.max_bytes / 1_000_000,
    }
}

/// Tracks the current physical line across chunks.
#[derive(Default)]
struct LineCheck {
    /// Lines completed so far.
    done: u64,
    /// Bytes of the line in progress.
    open: usize,
}

impl LineCheck {
    /// Feed the next bytes; `Err(line)` names the first line longer than `max`.
    fn feed(&mut self, chunk: &[u8], max: usize) -> Result<(), u64> {
        let mut from = 0;
        for nl in memchr::memchr_iter(b'\n', chunk) {
            if self.open + (nl - from) > max {
                return Err(self.done + 1);
            }
            self.done += 1;
            self.open = 0;
            from = nl + 1;
        }
        self.open += chunk.len() - from;
        if self.open > max {
            return Err(self.done + 1);
        }
        Ok(())
    }
}

/// Lower-case hex SHA-256 of some bytes.
pub fn hex_sha256(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_bytes: u64, max_line_bytes: usize) -> ReadLimits {
        ReadLimits {
            max_bytes,
            max_line_bytes,
        }
    }

    fn read(bytes: &[u8], l: ReadLimits) -> Result<SourceFile, InputError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.csv");
        std::fs::write(&p, bytes).unwrap();
        SourceFile::read("roster", &p, l)
    }

    #[test]
    fn a_file_within_the_limits_is_read_whole() {
        let f = read(b"a,b\n1,2\n", limits(100, 10)).unwrap();
        assert_eq!(f.bytes, b"a,b\n1,2\n");
        assert_eq!(f.sha256, hex_sha256(b"a,b\n1,2\n"));
    }

    #[test]
    fn a_line_longer_than_the_limit_is_refused_naming_it() {
        // Lines of 4, 4 and 11 bytes (newline not counted): the third is too long.
        match read(b"a,b\n1,2\nxxxxxxxxxxx\n", limits(100, 10)) {
            Err(InputError::LineTooLong { line: 3, .. }) => {}
            other => panic!("{other:?}"),
        }
        // A last line with no newline is measured too.
        match read(b"a,b\nxxxxxxxxxxx", limits(100, 10)) {
            Err(InputError::LineTooLong { line: 2, .. }) => {}
            other => panic!("{other:?}"),
        }
        assert!(read(b"xxxxxxxxxx\nxxxxxxxxxx", limits(100, 10)).is_ok());
    }

    #[test]
    fn lines_are_measured_across_chunk_boundaries() {
        let mut lc = LineCheck::default();
        assert_eq!(lc.feed(b"abc\nde", 5), Ok(()));
        assert_eq!(lc.feed(b"fg", 5), Ok(()));
        assert_eq!(lc.feed(b"hi\n", 5), Err(2), "de+fg+hi is 6 bytes");
    }

    #[test]
    fn a_file_larger_than_the_limit_is_refused_before_it_is_read() {
        match read(&[b'x'; 200], limits(100, 1000)) {
            Err(InputError::TooLarge { bytes: 200, .. }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_stream_with_no_stated_size_is_measured_as_it_is_read() {
        // /dev/zero states size 0 and never ends: the line limit stops it.
        let f = SourceFile::read("roster", Path::new("/dev/zero"), limits(u64::MAX, 1 << 16));
        assert!(
            matches!(f, Err(InputError::LineTooLong { line: 1, .. })),
            "{f:?}"
        );
    }
}
