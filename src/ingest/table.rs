//! One CSV file read against the contract: header mapping, typed row callbacks, rejects.
//!
//! The file is parsed from bytes already in memory (ingest keeps them to hash and store the
//! exact input). Records stream through one reused `ByteRecord`; each row is handed to the
//! caller as a `InputRow` view that knows its line, so a bad value becomes a reject naming file,
//! line and column instead of an error that stops the night.

use super::dialect::Dialect;
use super::SourceFile;
use crate::error::InputError;
use std::collections::BTreeMap;
use std::path::Path;

/// A row refused by ingest, with where and why. Written to rejects.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The file's role (`roster`, `posts`, `vetting`), stable across forces' file names.
    pub file: String,
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// The longest value copied into a reject; the rest is cut and marked.
const MAX_REJECT_VALUE: usize = 200;

/// The longest value a field may hold, in characters. No name, date, reference or post
/// title comes near it; a longer one is a broken export (often a quote left open).
pub const MAX_FIELD_CHARS: usize = 1000;

/// A column the contract defines for a file.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    /// Must be present in the header (a value may still be blank where the row allows it).
    pub in_header: bool,
}

pub const fn req(name: &'static str) -> Column {
    Column {
        name,
        in_header: true,
    }
}

pub const fn opt(name: &'static str) -> Column {
    Column {
        name,
        in_header: false,
    }
}

/// How the header's columns map onto contract columns (index into the record, by column).
#[derive(Debug)]
pub struct HeaderMap {
    idx: Vec<Option<usize>>,
    /// The header's cells that no contract column reads.
    unread: Vec<UnreadColumn>,
}

/// A column of an input that was not read: nothing it holds was checked or analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadColumn {
    /// 1-based position in the header.
    pub position: usize,
    /// The header cell as the file wrote it (a column name, never a value), made safe to
    /// print: control characters escaped, cut at `MAX_HEADER_CHARS`.
    pub header: String,
    pub why: Unread,
}

/// Why a column was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// Not a column of the contract.
    NotInContract,
    /// The config maps it onto "" (`input.columns.<file>`): left unread on purpose.
    MappedAway,
    /// Not a contract column, but one letter (or an invisible character) away from the
    /// optional contract column named, which the file lacks: perhaps it was meant.
    NearMiss(&'static str),
    /// The columns past the first `MAX_UNREAD_NAMED`, counted, not named (a header of
    /// thousands of cells would otherwise fill the log and the page).
    More(usize),
}

/// The most columns not read that are named one by one, per file.
pub const MAX_UNREAD_NAMED: usize = 50;

impl UnreadColumn {
    /// `column 14 "state" (one letter away from optional column stage)`.
    pub fn describe(&self) -> String {
        if let Unread::More(n) = self.why {
            return format!("and {n} more columns not read, not named here");
        }
        let why = match &self.why {
            Unread::NotInContract => "not a contract column".to_string(),
            Unread::MappedAway => "mapped away on purpose by input.columns".to_string(),
            Unread::More(_) => String::new(),
            Unread::NearMiss(c) => format!(
                "not a contract column, but near the optional column {c}, which the file lacks: if it was meant, rename it or map it in input.columns"
            ),
        };
        format!("column {} \"{}\" ({why})", self.position, self.header)
    }
}

/// The longest header cell an unread column is named by; the rest is cut and marked.
const MAX_HEADER_CHARS: usize = 60;

/// A header cell made safe for a log line or a page: control and invisible characters
/// escaped, cut at `MAX_HEADER_CHARS`.
fn printable_header(cell: &str) -> String {
    let mut out = String::new();
    for (i, c) in cell.chars().enumerate() {
        if i == MAX_HEADER_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() || super::value::is_invisible(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

impl HeaderMap {
    /// The columns of `cols` (the ones this map was made for) the header holds.
    fn found(&self, cols: &[Column]) -> Vec<&'static str> {
        cols.iter()
            .zip(&self.idx)
            .filter(|(_, at)| at.is_some())
            .map(|(c, _)| c.name)
            .collect()
    }
}

/// One data row handed to a file parser.
pub struct InputRow<'a> {
    role: &'a str,
    cols: &'a [Column],
    header: &'a HeaderMap,
    record: &'a csv::ByteRecord,
    pub line: u64,
}

impl<'a> InputRow<'a> {
    fn raw(&self, name: &str) -> Option<&'a [u8]> {
        // Callers name columns by the same literals the contract lists, so the address
        // usually answers before the bytes are compared.
        let ci = self
            .cols
            .iter()
            .position(|c| std::ptr::eq(c.name, name) || c.name == name)?;
        let fi = (*self.header.idx.get(ci)?)?;
        self.record.get(fi)
    }

    /// Whether the file's header has the column (a blank value is still `None` from `get`).
    pub fn has(&self, name: &str) -> bool {
        let ci = self
            .cols
            .iter()
            .position(|c| std::ptr::eq(c.name, name) || c.name == name);
        ci.and_then(|ci| self.header.idx.get(ci).copied().flatten())
            .is_some()
    }

    /// The trimmed value of a column, `Ok(None)` when absent or blank, a reject when the
    /// bytes are not UTF-8.
    pub fn get(&self, name: &str) -> Result<Option<&'a str>, Reject> {
        let Some(bytes) = self.raw(name) else {
            return Ok(None);
        };
        let s = match std::str::from_utf8(bytes) {
            Ok(s) => s.trim(),
            Err(e) => {
                return Err(self.reject(
                    name,
                    &String::from_utf8_lossy(bytes),
                    &format!(
                        "not valid UTF-8 (byte {} of the field)",
                        e.valid_up_to() + 1
                    ),
                ))
            }
        };
        if s.len() > MAX_FIELD_CHARS {
            let n = s.chars().count();
            if n > MAX_FIELD_CHARS {
                return Err(self.reject(
                    name,
                    s,
                    &format!(
                        "{n} characters long, more than the {MAX_FIELD_CHARS} a field may hold"
                    ),
                ));
            }
        }
        // Plain ASCII (almost every field) is checked byte by byte; `char::is_control` is
        // exactly the C0 range, DEL and the C1 range, and C1 needs a multi-byte character.
        let allowed = |c: char| matches!(c, '\t' | '\n' | '\r');
        let control = if s.is_ascii() {
            s.bytes()
                .find(|b| (*b < 0x20 || *b == 0x7f) && !allowed(char::from(*b)))
                .map(char::from)
        } else {
            s.chars().find(|c| c.is_control() && !allowed(*c))
        };
        if let Some(c) = control {
            return Err(self.reject(
                name,
                s,
                &format!("contains the control character U+{:04X}", c as u32),
            ));
        }
        Ok((!s.is_empty()).then_some(s))
    }

    /// An identifier column (`value::clean_id`: invisible characters removed, spaces made
    /// plain, trimmed); `None` when absent, blank or nothing but invisible characters.
    pub fn id(&self, name: &str) -> Result<Option<String>, Reject> {
        Ok(self
            .get(name)?
            .map(super::value::clean_id)
            .filter(|v| !v.is_empty())
            .map(|v| v.into_owned()))
    }

    /// An identifier column that must not be blank.
    pub fn required_id(&self, name: &str) -> Result<String, Reject> {
        self.id(name)?
            .ok_or_else(|| self.reject(name, "", &format!("{name} is required")))
    }

    /// The value of a column that must not be blank.
    pub fn required(&self, name: &str) -> Result<&'a str, Reject> {
        self.get(name)?
            .ok_or_else(|| self.reject(name, "", &format!("{name} is required")))
    }

    /// A required value parsed by `parse`; a value it does not know is a reject giving `reason`.
    pub fn required_as<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
        reason: &str,
    ) -> Result<T, Reject> {
        let raw = self.required(name)?;
        // A code (level, status, role) with a zero-width space pasted into it is still that
        // code; invisible characters are dropped as in ids.
        parse(&super::value::clean_id(raw)).ok_or_else(|| self.reject(name, raw, reason))
    }

    /// The file's role.
    pub fn role(&self) -> &'a str {
        self.role
    }

    /// Every one of `columns` is blank or absent: a row of an import file left unfilled.
    pub fn all_blank(&self, columns: &[&str]) -> bool {
        columns.iter().all(|c| {
            self.get(c)
                .is_ok_and(|v| v.is_none_or(|s| s.trim().is_empty()))
        })
    }

    /// A reject for this row.
    pub fn reject(&self, column: &str, value: &str, reason: &str) -> Reject {
        reject_at(self.role, self.line, column, value, reason)
    }
}

/// A reject for the row of file `role` on `line`.
pub fn reject_at(role: &str, line: u64, column: &str, value: &str, reason: &str) -> Reject {
    // Control characters are shown escaped (`\u{0}`, `\n`), so rejects.csv stays readable.
    let mut shown = String::new();
    for c in value.chars().take(MAX_REJECT_VALUE) {
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    let value = if value.chars().nth(MAX_REJECT_VALUE).is_some() {
        format!("{shown}...")
    } else {
        shown
    };
    Reject {
        file: role.to_string(),
        line,
        column: column.to_string(),
        value,
        reason: reason.to_string(),
    }
}

/// Result of reading one file: parsed rows in file order, rejects, and the data row count.
#[derive(Debug)]
pub struct Parsed<T> {
    pub rows: Vec<T>,
    pub rejects: Vec<Reject>,
    /// Data lines the file holds (blank lines and the header not counted). A record that
    /// runs over several lines (a quote left open swallows the rows after it) counts every
    /// line it took, so the reject share and the feed guards see what was really lost, not
    /// one reject standing for 800 people.
    pub data_rows: usize,
    /// The header's cells as the file wrote them (trimmed), for the changed-header guard.
    pub header: Vec<String>,
    /// The contract columns the header holds (after the force's own names are mapped): an
    /// optional column not among them was not read, so nothing it would say was checked.
    pub columns: Vec<&'static str>,
    /// The header's columns that were not read, in header order.
    pub unread: Vec<UnreadColumn>,
}

impl<T> Parsed<T> {
    pub fn stats(&self) -> super::FileStats {
        super::FileStats {
            rows: self.data_rows,
            accepted: self.rows.len(),
            rejected: self.rejected_lines(),
        }
    }

    /// Data lines that yielded no row: the rejects, with every line a broken record took.
    pub fn rejected_lines(&self) -> usize {
        self.data_rows.saturating_sub(self.rows.len())
    }
}

/// Map header cells onto contract columns, through the force's own names (a mapping onto
/// `""` means the force's column is deliberately not read).
///
/// A cell that is not a contract column but is one edit, or a few invisible characters,
/// away from one the header lacks (`forename` for `forenames`, `ni_number` with a zero-width
/// space in it) refuses the file: read as an unknown column it would be ignored, and an
/// optional column such as the NI number would be blank for everyone without a word. The
/// refusal names the cell by its position only: in a file that lost its header row, line 1
/// is a record, and its forename `Rex` is one letter from `sex`.
fn map_header(
    path: &Path,
    header: &csv::ByteRecord,
    cols: &[Column],
    aliases: &BTreeMap<String, String>,
) -> Result<HeaderMap, InputError> {
    use super::value::{clean_id, is_invisible};
    let aliases: BTreeMap<String, String> = aliases
        .iter()
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_lowercase()))
        .collect();
    let mut idx = vec![None; cols.len()];
    // Cells that are no contract column: (position, as compared, as written).
    let mut unknown: Vec<(usize, String, String)> = Vec::new();
    let mut unread = Vec::new();
    for (fi, cell) in header.iter().enumerate() {
        let mut written = String::from_utf8_lossy(cell).trim().to_string();
        if fi == 0 {
            written = written.trim_start_matches('\u{feff}').to_string();
        }
        let lower = written.to_lowercase();
        let name = aliases.get(&lower).cloned().unwrap_or(lower.clone());
        if name.is_empty() && !lower.is_empty() {
            unread.push(UnreadColumn {
                position: fi + 1,
                header: printable_header(&written),
                why: Unread::MappedAway,
            });
            continue;
        }
        if let Some(slot) = cols
            .iter()
            .position(|c| c.name == name)
            .and_then(|ci| idx.get_mut(ci))
        {
            if let Some(first) = *slot {
                return Err(InputError::DuplicateColumn {
                    file: path.to_path_buf(),
                    column: name,
                    first: first + 1,
                    second: fi + 1,
                });
            }
            *slot = Some(fi);
        } else if !name.is_empty() {
            unknown.push((fi, name, written));
        }
    }
    for (fi, name, written) in &unknown {
        let plain = clean_id(name).into_owned();
        let invisible = name.chars().any(is_invisible);
        let lacking = cols
            .iter()
            .zip(&idx)
            .filter(|(_, found)| found.is_none())
            .map(|(c, _)| c);
        let mut near = None;
        for col in lacking {
            let why = if invisible && plain == col.name {
                "holds an invisible character; it stands for"
            } else if plain.chars().count() >= 3 && strsim::osa_distance(&plain, col.name) == 1 {
                "is one letter away from"
            } else {
                continue;
            };
            // Only a required column refuses the file (it would be missing anyway); an
            // optional one is named as a near miss, and the night goes on without it.
            if col.in_header {
                return Err(InputError::HeaderNearMiss {
                    file: path.to_path_buf(),
                    position: fi + 1,
                    column: col.name.to_string(),
                    why,
                });
            }
            near = near.or(Some(col.name));
        }
        unread.push(UnreadColumn {
            position: fi + 1,
            header: printable_header(written),
            why: near.map_or(Unread::NotInContract, Unread::NearMiss),
        });
    }
    unread.sort_by_key(|u| u.position);
    if unread.len() > MAX_UNREAD_NAMED {
        let more = unread.len() - MAX_UNREAD_NAMED;
        unread.truncate(MAX_UNREAD_NAMED);
        unread.push(UnreadColumn {
            position: 0,
            header: String::new(),
            why: Unread::More(more),
        });
    }
    for (c, found) in cols.iter().zip(&idx) {
        if c.in_header && found.is_none() {
            return Err(InputError::MissingColumn {
                file: path.to_path_buf(),
                column: c.name.to_string(),
            });
        }
    }
    Ok(HeaderMap { idx, unread })
}

/// A file decoded, its header read and mapped: what every part of its rows needs.
struct Opened<'t> {
    text: std::borrow::Cow<'t, [u8]>,
    header: HeaderMap,
    header_cells: Vec<String>,
    /// Byte offset in `text` just past the header record.
    header_end: usize,
}

/// Check that `file` is CSV, decode it and read its header.
fn open<'f>(
    file: &'f SourceFile,
    dialect: &Dialect,
    cols: &[Column],
    aliases: &BTreeMap<String, String>,
) -> Result<Opened<'f>, InputError> {
    let (role, path) = (file.role, file.path.as_path());
    if let Some(what) = super::dialect::not_csv(&file.bytes) {
        return Err(InputError::NotCsv {
            file: path.to_path_buf(),
            what,
        });
    }
    let (text, fallback) = dialect.decode(&file.bytes);
    if let Some(fb) = fallback {
        tracing::warn!(
            file = role,
            path = %path.display(),
            lines = fb.lines,
            first_line = fb.first_line,
            "not valid UTF-8: those lines were read as Windows-1252 (set input.encoding = \"windows-1252\" to expect it)"
        );
    }
    let mut rdr = reader(dialect, &text);
    let mut record = csv::ByteRecord::new();
    loop {
        if !rdr
            .read_byte_record(&mut record)
            .map_err(|e| malformed(path, 0, e))?
        {
            return Err(InputError::Empty {
                file: path.to_path_buf(),
            });
        }
        if !blank(&record) {
            break;
        }
    }
    let header = map_header(path, &record, cols, aliases)?;
    let header_cells: Vec<String> = record
        .iter()
        .map(|c| String::from_utf8_lossy(c).trim().to_string())
        .collect();
    let header_end = usize::try_from(rdr.position().byte()).unwrap_or(usize::MAX);
    drop(rdr);
    Ok(Opened {
        text,
        header,
        header_cells,
        header_end,
    })
}

fn reader<'t>(dialect: &Dialect, text: &'t [u8]) -> csv::Reader<&'t [u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(dialect.delimiter)
        .from_reader(text)
}

/// A CSV error as an input error; `lines_before` is the lines of the file before the part
/// the reader read.
fn malformed(path: &Path, lines_before: u64, e: csv::Error) -> InputError {
    InputError::Malformed {
        file: path.to_path_buf(),
        line: e.position().map_or(0, |p| p.line() + lines_before),
        message: e.to_string(),
    }
}

/// A row of one empty field is a blank line with only whitespace: not data.
fn blank(r: &csv::ByteRecord) -> bool {
    r.len() == 1 && r[0].iter().all(u8::is_ascii_whitespace)
}

/// Every data row of `part` (records of the file that start after its header; the file's
/// first `lines_before` lines come before `part`), in order: `Ok(row)` to parse, or the
/// reject its shape earns. Returns the data lines seen (see `Parsed::data_rows`).
#[allow(clippy::too_many_arguments)]
fn each_row(
    file: &SourceFile,
    dialect: &Dialect,
    cols: &[Column],
    opened: &Opened<'_>,
    part: &[u8],
    lines_before: u64,
    skip_header: bool,
    mut f: impl FnMut(Result<&InputRow<'_>, Reject>),
) -> Result<usize, InputError> {
    let path = file.path.as_path();
    let mut rdr = reader(dialect, part);
    let mut record = csv::ByteRecord::new();
    let mut data_rows = 0;
    if skip_header {
        while rdr
            .read_byte_record(&mut record)
            .map_err(|e| malformed(path, lines_before, e))?
        {
            if !blank(&record) {
                break;
            }
        }
    }
    while rdr
        .read_byte_record(&mut record)
        .map_err(|e| malformed(path, lines_before, e))?
    {
        if blank(&record) {
            continue;
        }
        let breaks = line_breaks(&record);
        data_rows += 1 + breaks;
        // The reader gives the line where its read began, before the empty lines it skips
        // on the way to the record: count those too, or a row after blank lines would be
        // named by the first of them.
        let line = record.position().map_or(0, |p| {
            let skipped = (part.get(p.byte() as usize..))
                .map_or(0, |rest| rest.iter().take_while(|&&b| b == b'\n').count());
            p.line() + skipped as u64 + lines_before
        });
        let row = InputRow {
            role: file.role,
            cols,
            header: &opened.header,
            record: &record,
            line,
        };
        match shape_problem(&record, &opened.header_cells, line, breaks) {
            Some(reason) => f(Err(row.reject("", "", &reason))),
            None => f(Ok(&row)),
        }
    }
    Ok(data_rows)
}

/// Read an input file's bytes as CSV, handing each data row to `parse`.
pub fn read<T>(
    file: &SourceFile,
    dialect: &Dialect,
    cols: &[Column],
    aliases: &BTreeMap<String, String>,
    mut parse: impl FnMut(&InputRow<'_>) -> Result<T, Reject>,
) -> Result<Parsed<T>, InputError> {
    let opened = open(file, dialect, cols, aliases)?;
    let mut rows = Vec::with_capacity(line_count(&opened.text));
    let mut rejects = Vec::new();
    let data_rows = each_row(
        file,
        dialect,
        cols,
        &opened,
        &opened.text,
        0,
        true,
        |r| match r.and_then(&mut parse) {
            Ok(t) => rows.push(t),
            Err(r) => rejects.push(r),
        },
    )?;
    Ok(Parsed {
        rows,
        rejects,
        data_rows,
        columns: opened.header.found(cols),
        unread: opened.header.unread.clone(),
        header: opened.header_cells,
    })
}

/// `file` cut down to its header and the records whose `column` is `want` as ids compare
/// (`value::id_key`), byte for byte, decoded as the full file would be: parsed, they give
/// exactly the rows the full file gives for that id (a duplicate of it included), without
/// parsing the rest. `decide` reads the one person and the one record it is about this way.
/// The id cell is compared through `value::id_key` (`clean_id`, then case folded), the key
/// every id lookup of ingest and `decide` uses: the two must stay the same function.
pub fn rows_with(
    file: &SourceFile,
    dialect: &Dialect,
    cols: &[Column],
    aliases: &BTreeMap<String, String>,
    column: &str,
    want: &str,
) -> Result<SourceFile, InputError> {
    let opened = open(file, dialect, cols, aliases)?;
    let text: &[u8] = &opened.text;
    let body = text.get(opened.header_end..).unwrap_or(&[]);
    let mut out = text.get(..opened.header_end).unwrap_or(&[]).to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut rdr = reader(dialect, body);
    let mut record = csv::ByteRecord::new();
    let mut start = 0usize;
    while rdr
        .read_byte_record(&mut record)
        .map_err(|e| malformed(&file.path, 0, e))?
    {
        let end = usize::try_from(rdr.position().byte()).unwrap_or(body.len());
        let row = InputRow {
            role: file.role,
            cols,
            header: &opened.header,
            record: &record,
            line: 0,
        };
        let hit = row
            .raw(column)
            .is_some_and(|v| super::value::id_key(&String::from_utf8_lossy(v)) == want);
        if hit {
            out.extend_from_slice(body.get(start..end).unwrap_or(&[]));
            if !out.ends_with(b"\n") {
                out.push(b'\n');
            }
        }
        start = end;
    }
    Ok(SourceFile {
        role: file.role,
        path: file.path.clone(),
        sha256: super::hex_sha256(&out),
        bytes: out,
        modified: None,
    })
}

/// Files smaller than this are parsed in one part (splitting would cost more than it saves).
const SPLIT_BYTES: usize = 1 << 20;

/// About how many bytes each part of a split file holds. Many parts, not two, so that both
/// cores stay busy to the end: the roster and the vetting export are parsed side by side,
/// and two halves of one file finish far apart when the other file shared a core with one.
#[cfg(not(test))]
const PART_BYTES: usize = 4 << 20;
/// Small in unit tests, so that a test file of a megabyte or two is cut into several parts.
#[cfg(test)]
const PART_BYTES: usize = 256 << 10;

/// Where to cut `text` into parts that both cores can parse: the start of every part after
/// the first, in order (empty when the file is not cut). Each cut is just after a line break
/// past the part's share (and past the header). A line break inside quotes is no record
/// boundary, so a file with any double quote in it is never cut: exports rarely quote at
/// all, and a file that does is parsed in one part, as before.
fn cuts(text: &[u8], header_end: usize) -> Vec<usize> {
    if text.len() < SPLIT_BYTES || memchr::memchr(b'"', text).is_some() {
        return Vec::new();
    }
    let parts = text.len().div_ceil(PART_BYTES).max(2);
    let mut at = Vec::with_capacity(parts);
    let mut last = header_end;
    for k in 1..parts {
        let from = (text.len() / parts * k).max(last);
        // Just after a line break that ends a line with something on it, so that a part
        // never begins inside a run of blank lines: its first read would start there, and
        // its first row's line then rests on `each_row` counting the blank lines a read
        // skips (it does, but a cut at a record's start needs no such care).
        let Some(cut) = memchr::memchr_iter(b'\n', text.get(from..).unwrap_or(&[]))
            .map(|nl| from + nl + 1)
            .find(|&c| c >= 2 && text.get(c - 2) != Some(&b'\n'))
        else {
            break;
        };
        if cut >= text.len() {
            break;
        }
        if cut > last {
            at.push(cut);
            last = cut;
        }
    }
    at
}

/// As `read`, for a large file, parsed in parts on both cores when `cuts` finds record
/// boundaries. Each part gets its own parser from `parser` (so a parser may keep state of its
/// own, such as interned values); `admit` then sees each parsed row with its line in file
/// order, for the checks that need every earlier row (duplicate keys). Rows, rejects and
/// their lines are exactly what one pass over the file gives.
pub fn read_split<P: Send, T, F>(
    file: &SourceFile,
    dialect: &Dialect,
    cols: &[Column],
    aliases: &BTreeMap<String, String>,
    parser: impl Fn() -> F + Sync,
    mut admit: impl FnMut(P, u64) -> Result<T, Reject>,
) -> Result<Parsed<T>, InputError>
where
    F: FnMut(&InputRow<'_>) -> Result<P, Reject>,
{
    let opened = open(file, dialect, cols, aliases)?;
    let text: &[u8] = &opened.text;
    // One part's rows, parsed, or rejected, with their lines, in order.
    type Parts<P> = Result<(Vec<Result<(P, u64), Reject>>, usize), InputError>;
    let part = |bytes: &[u8], lines_before: u64, first: bool| -> Parts<P> {
        let mut parse = parser();
        let mut out = Vec::with_capacity(line_count(bytes));
        let rows = each_row(
            file,
            dialect,
            cols,
            &opened,
            bytes,
            lines_before,
            first,
            |r| {
                out.push(r.and_then(|row| parse(row).map(|p| (p, row.line))));
            },
        )?;
        Ok((out, rows))
    };
    // Each part's bytes and the lines before it.
    let mut spans: Vec<(&[u8], u64)> = Vec::new();
    let (mut start, mut lines) = (0usize, 0u64);
    for at in cuts(text, opened.header_end)
        .into_iter()
        .chain([text.len()])
    {
        let bytes = text.get(start..at).unwrap_or(&[]);
        spans.push((bytes, lines));
        lines += memchr::memchr_iter(b'\n', bytes).count() as u64;
        start = at;
    }
    let parts: Vec<Parts<P>> = {
        use rayon::prelude::*;
        (spans.par_iter().enumerate())
            .map(|(k, &(bytes, before))| part(bytes, before, k == 0))
            .collect()
    };
    let mut out = Parsed {
        rows: Vec::with_capacity(line_count(text)),
        rejects: Vec::new(),
        data_rows: 0,
        header: Vec::new(),
        columns: opened.header.found(cols),
        unread: opened.header.unread.clone(),
    };
    for p in parts {
        let (items, rows) = p?;
        out.data_rows += rows;
        for item in items {
            match item.and_then(|(p, line)| admit(p, line)) {
                Ok(t) => out.rows.push(t),
                Err(r) => out.rejects.push(r),
            }
        }
    }
    out.header = opened.header_cells;
    Ok(out)
}

/// Lines in `bytes` (an upper bound on the records they hold), counted at memory speed.
pub fn line_count(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count() + 1
}

/// Why a record cannot be a data row, judged on its shape alone: a field with a line break
/// in it (no contract field has one, and a quote left open swallows the rows after it into
/// one field, which must not pass unseen), the wrong number of fields, or the header again
/// (two exports joined into one file).
fn shape_problem(
    record: &csv::ByteRecord,
    header: &[String],
    line: u64,
    breaks: usize,
) -> Option<String> {
    if breaks > 0 {
        return Some(format!(
            "a quoted field runs from line {line} to line {}; line breaks are not allowed inside a field (is a quote left open?)",
            line + breaks as u64
        ));
    }
    if record.len() != header.len() {
        return Some(format!(
            "expected {} fields as in the header, found {}",
            header.len(),
            record.len()
        ));
    }
    let same = record
        .iter()
        .zip(header)
        .all(|(c, h)| String::from_utf8_lossy(c).trim().eq_ignore_ascii_case(h));
    same.then(|| "the header row again (were two exports joined into one file?)".to_string())
}

/// Line breaks inside a record's fields: the lines it runs over beyond its first. (Bare
/// carriage returns were made line breaks by `Dialect::decode`, so they count too.)
fn line_breaks(record: &csv::ByteRecord) -> usize {
    // Almost every record has no line break at all: one scan of its bytes says so.
    if memchr::memchr(b'\n', record.as_slice()).is_none() {
        return 0;
    }
    record
        .iter()
        .map(|f| {
            // A quote left open at the end of the file takes the final newline in with it.
            let f = f.strip_suffix(b"\n").unwrap_or(f);
            memchr::memchr_iter(b'\n', f.strip_suffix(b"\r").unwrap_or(f)).count()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[Column] = &[req("id"), req("name"), opt("note")];

    fn source(bytes: &[u8]) -> SourceFile {
        SourceFile::from_bytes("t", Path::new("t.csv"), bytes.to_vec())
    }

    /// The test files' row: its id and name.
    fn id_and_name(r: &InputRow<'_>) -> Result<(String, String), Reject> {
        Ok((
            r.required("id")?.to_string(),
            r.required("name")?.to_string(),
        ))
    }

    fn run(text: &str) -> Result<Parsed<(String, String)>, InputError> {
        read(
            &source(text.as_bytes()),
            &Dialect::default(),
            COLS,
            &BTreeMap::new(),
            id_and_name,
        )
    }

    /// A file over `SPLIT_BYTES` with blank lines, bad rows, a row with a missing value and
    /// duplicate ids in every part and across them, parsed by `read_split` (in parts)
    /// and by `read` (one pass, a duplicate check inline): the rows, the rejects with their
    /// lines and the data-row count must be the same.
    #[test]
    fn a_file_parsed_in_parts_gives_the_rows_and_reject_lines_of_one_pass() {
        let mut text = String::from("\n id , name,note\n");
        for i in 0..60_000 {
            match i % 4999 {
                17 => text.push('\n'),
                101 => text.push_str(&format!("{i},too,many,fields\n")),
                202 => text.push_str(&format!("{i},,blank name\n")),
                303 => text.push_str(&format!("{},dup,x\n", i - 40_000 * (i / 40_000))),
                _ => text.push_str(&format!("{i},person {i},some note or other\n")),
            }
        }
        let file = source(text.as_bytes());
        let opened = open(&file, &Dialect::default(), COLS, &BTreeMap::new()).unwrap();
        let at = cuts(&opened.text, opened.header_end);
        assert!(
            at.len() >= 4,
            "a large file without quotes is cut in parts: {at:?}"
        );
        assert!(at.windows(2).all(|w| w[0] < w[1]));
        assert!(at
            .iter()
            .all(|&a| a > opened.header_end && opened.text[a - 1] == b'\n'));
        let parse = id_and_name;
        let mut seen = std::collections::HashMap::new();
        let mut dup = |id: &str, line: u64| match seen.insert(id.to_string(), line) {
            Some(first) => Err(reject_at("t", line, "id", id, &format!("dup of {first}"))),
            None => Ok(()),
        };
        let one = read(&file, &Dialect::default(), COLS, &BTreeMap::new(), |r| {
            let row = parse(r)?;
            dup(&row.0, r.line)?;
            Ok(row)
        })
        .unwrap();
        let mut seen = std::collections::HashMap::new();
        let two = read_split(
            &file,
            &Dialect::default(),
            COLS,
            &BTreeMap::new(),
            || parse,
            |row: (String, String), line| match seen.insert(row.0.clone(), line) {
                Some(first) => Err(reject_at(
                    "t",
                    line,
                    "id",
                    &row.0,
                    &format!("dup of {first}"),
                )),
                None => Ok(row),
            },
        )
        .unwrap();
        assert!(
            one.rejects.len() > 20,
            "the file has rejects in both halves"
        );
        assert!(one.rejects.iter().any(|r| r.line as usize > 40_000));
        assert_eq!(one.rows, two.rows);
        assert_eq!(one.rejects, two.rejects);
        assert_eq!((one.data_rows, &one.header), (two.data_rows, &two.header));
    }

    /// Runs of blank lines everywhere, so that a part's share falls inside one: the cut
    /// moves on to the end of a line with something on it, and every row and reject keeps
    /// the line one pass gives it (a part begun inside the run numbered its first row
    /// differently).
    #[test]
    fn a_cut_never_falls_inside_a_run_of_blank_lines() {
        let mut text = String::from("id,name,note\n");
        for i in 0..40_000 {
            if i % 1000 == 999 {
                text.push_str(&format!("{i},,blank name\n"));
            } else {
                text.push_str(&format!("{i},person {i},x\n"));
            }
            text.push_str("\n\n\n\n\n\n\n\n\n");
        }
        let file = source(text.as_bytes());
        let opened = open(&file, &Dialect::default(), COLS, &BTreeMap::new()).unwrap();
        let at = cuts(&opened.text, opened.header_end);
        assert!(at.len() >= 4, "{at:?}");
        assert!(at
            .iter()
            .all(|&a| opened.text[a - 2] != b'\n' && opened.text[a - 1] == b'\n'));
        let parse = id_and_name;
        let one = read(&file, &Dialect::default(), COLS, &BTreeMap::new(), parse).unwrap();
        let parts = read_split(
            &file,
            &Dialect::default(),
            COLS,
            &BTreeMap::new(),
            || parse,
            |row, _| Ok(row),
        )
        .unwrap();
        assert_eq!(one.rejects.len(), 40);
        assert_eq!(one.rows, parts.rows);
        assert_eq!(one.rejects, parts.rejects);
    }

    /// A row after blank lines is named by its own line, not the first blank one.
    #[test]
    fn a_reject_after_blank_lines_names_its_own_line() {
        let p = run("id,name\n1,Ann\n\n\n2,\n\n3,Bob\n \n4,\n").unwrap();
        let lines: Vec<u64> = p.rejects.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![5, 9]);
        assert_eq!(p.rows.len(), 2);
    }

    #[test]
    fn header_is_case_insensitive_and_order_free_with_bom() {
        let p = run("\u{feff}Name , ID,extra\nAnn,1,x\n").unwrap();
        assert_eq!(p.rows, vec![("1".into(), "Ann".into())]);
    }

    #[test]
    fn missing_required_column_refuses_the_file() {
        let e = run("id,note\n1,x\n").unwrap_err();
        assert!(matches!(e, InputError::MissingColumn { ref column, .. } if column == "name"));
    }

    #[test]
    fn duplicate_column_refuses_the_file() {
        let e = run("id,name,NAME\n1,a,b\n").unwrap_err();
        assert!(e.to_string().contains("columns 2 and 3"), "{e}");
    }

    #[test]
    fn blank_required_value_is_a_reject_with_line_and_column() {
        let p = run("id,name\n1,Ann\n2,\n\n3,Bob\n").unwrap();
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.data_rows, 3);
        assert_eq!(p.rejects[0].line, 3);
        assert_eq!(p.rejects[0].column, "name");
        assert_eq!(p.rejects[0].reason, "name is required");
    }

    #[test]
    fn wrong_field_count_is_a_reject() {
        let p = run("id,name\n1,Ann,extra\n2\n").unwrap();
        assert_eq!(p.rejects.len(), 2);
        assert!(p.rejects[0].reason.contains("found 3"));
        assert_eq!(p.rejects[1].line, 3);
    }

    #[test]
    fn quoted_fields_with_newlines_are_rejects_and_keep_line_numbers_right() {
        let p = run("id,name\n1,\"Ann\nSmith\"\n2,\n3,\"O\"\"Neil, Jo\"\n").unwrap();
        assert_eq!(p.rejects[0].line, 2);
        assert_eq!(p.rejects[1].line, 4);
        assert_eq!(p.rejects[1].reason, "name is required");
        assert_eq!(p.rows, vec![("3".into(), "O\"Neil, Jo".into())]);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_read_as_windows_1252_not_rejected() {
        let bytes = b"id,name\n1,Ren\xe9\n";
        let p = read(
            &source(bytes),
            &Dialect::default(),
            COLS,
            &BTreeMap::new(),
            |r| Ok(r.required("name")?.to_string()),
        )
        .unwrap();
        assert!(p.rejects.is_empty(), "{:?}", p.rejects);
        assert_eq!(p.rows[0], "René");
    }

    #[test]
    fn mapped_force_column_names() {
        let mut m = BTreeMap::new();
        m.insert("Staff Number".to_string(), "id".to_string());
        let p = read(
            &source(b"staff number,name\n7,Al\n"),
            &Dialect::default(),
            COLS,
            &m,
            |r| Ok(r.required("id")?.to_string()),
        )
        .unwrap();
        assert_eq!(p.rows, vec!["7".to_string()]);
    }

    #[test]
    fn a_quote_left_open_is_named_with_the_lines_it_swallowed() {
        let p = run("id,name\n1,Ann\n2,\"Bob\n3,Cy\n4,Di\n").unwrap();
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rejects.len(), 1);
        assert_eq!(p.rejects[0].line, 3);
        assert_eq!(
            p.rejects[0].reason,
            "a quoted field runs from line 3 to line 5; line breaks are not allowed inside a field (is a quote left open?)"
        );
        // At the end of a file without a final newline too.
        let p = run("id,name\n1,\"Ann\n2,Bob").unwrap();
        assert_eq!(p.rejects[0].line, 2);
        assert!(p.rejects[0].reason.contains("from line 2 to line 3"));
    }

    #[test]
    fn a_repeated_header_is_a_reject_saying_so() {
        let p = run("id,name\n1,Ann\nID, Name\n2,Bob\n").unwrap();
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rejects[0].line, 3);
        assert_eq!(
            p.rejects[0].reason,
            "the header row again (were two exports joined into one file?)"
        );
        assert_eq!(p.header, vec!["id".to_string(), "name".to_string()]);
    }

    #[test]
    fn control_characters_and_overlong_fields_are_rejects() {
        let long = "x".repeat(MAX_FIELD_CHARS + 1);
        let p = run(&format!("id,name\n1,A\0nn\n2,{long}\n3,{}\n", &long[1..])).unwrap();
        assert_eq!(p.rows.len(), 1, "exactly the limit is accepted");
        assert_eq!(p.rejects[0].reason, "contains the control character U+0000");
        assert_eq!(p.rejects[0].value, "A\\u{0}nn", "shown escaped");
        assert_eq!(
            p.rejects[1].reason,
            "1001 characters long, more than the 1000 a field may hold"
        );
        assert_eq!(p.rejects[1].value.chars().count(), MAX_REJECT_VALUE + 3);
    }

    #[test]
    fn workbooks_are_refused_by_what_they_are() {
        let e = run("PK\x03\x04rest").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv: an Excel workbook (.xlsx) or another zip archive, not a CSV file"
        );
    }

    #[test]
    fn cr_only_line_endings_keep_line_numbers_rejects_and_encoding_per_line() {
        let bytes = b"id,name\r1,Ann\r2,\r3,\xc3\x93 Briain\r4,Ren\xe9\r5,\"Bob\r6,Cy\r";
        let p = read(
            &source(bytes),
            &Dialect::default(),
            COLS,
            &BTreeMap::new(),
            |r| Ok(r.required("name")?.to_string()),
        )
        .unwrap();
        let names: Vec<&str> = p.rows.iter().map(String::as_str).collect();
        assert_eq!(
            names,
            ["Ann", "\u{d3} Briain", "Ren\u{e9}"],
            "per-line encoding"
        );
        assert_eq!(p.rejects.len(), 2, "{:?}", p.rejects);
        assert_eq!(
            (p.rejects[0].line, p.rejects[0].reason.as_str()),
            (3, "name is required")
        );
        assert_eq!(p.rejects[1].line, 6);
        assert!(
            p.rejects[1].reason.contains("from line 6 to line 7"),
            "{}",
            p.rejects[1].reason
        );
        assert_eq!(p.data_rows, 6, "the open quote's two lines both count");
    }

    #[test]
    fn crlf_files_give_the_same_line_numbers_as_lf_files() {
        let lf = "id,name\n1,Ann\n2,\n3,Bob\n4,\"Open\n5,Cy\n";
        let crlf = lf.replace('\n', "\r\n");
        let (a, b) = (run(lf).unwrap(), run(&crlf).unwrap());
        assert_eq!(a.rejects, b.rejects);
        assert_eq!(b.rejects[0].line, 3);
        assert_eq!(b.rejects[1].line, 5);
        assert_eq!(a.rows, b.rows);
    }

    #[test]
    fn a_lone_cr_inside_a_quoted_field_is_a_line_break_reject() {
        let p = run("id,name\n1,\"Webb\rFAKE,ROW\"\n2,Bob\r\n3,Cy\n").unwrap();
        assert_eq!(
            p.rows,
            vec![("2".into(), "Bob".into()), ("3".into(), "Cy".into())]
        );
        assert_eq!(p.rejects.len(), 1);
        assert!(p.rejects[0].reason.contains("line breaks are not allowed"));
        assert_eq!(p.rejects[0].line, 2);
    }

    #[test]
    fn rejected_lines_count_every_line_an_open_quote_swallowed() {
        let mut text = String::from("id,name\n");
        for i in 1..=100 {
            if i == 90 {
                text.push_str(&format!("{i},\"Open\n"));
            } else {
                text.push_str(&format!("{i},N{i}\n"));
            }
        }
        let p = run(&text).unwrap();
        assert_eq!(p.rejects.len(), 1);
        assert_eq!(p.rows.len(), 89);
        assert_eq!(p.data_rows, 100);
        assert_eq!(p.stats().rejected, 11, "line 90 and the ten it swallowed");
    }

    #[test]
    fn a_header_one_edit_from_a_required_column_is_refused_and_from_an_optional_one_named() {
        let e = run("id,nme\n1,Ann\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv: line 1: header column 2 is one letter away from `name`, which the header lacks; nothing was read"
        );
        let e = run("id,n\u{200b}ame\n1,Ann\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("header column 2 holds an invisible character; it stands for `name`"),
            "{e}"
        );
        // Near an optional column the file lacks: read, and the column named as a near miss
        // (by its header and position, never a value), so nobody takes it for `note`.
        let p = run("id,name,nots\n1,Ann,x\n").unwrap();
        assert_eq!(p.rows.len(), 1);
        assert_eq!(
            p.unread,
            vec![UnreadColumn {
                position: 3,
                header: "nots".into(),
                why: Unread::NearMiss("note"),
            }]
        );
        assert!(p.unread[0].describe().starts_with(
            "column 3 \"nots\" (not a contract column, but near the optional column note"
        ));
        let p = run("id,name,no\u{200b}te\n1,Ann,x\n").unwrap();
        assert_eq!(p.unread[0].why, Unread::NearMiss("note"));
        assert_eq!(
            p.unread[0].header, "no\\u{200b}te",
            "the invisible character is shown"
        );
        // A file that lost its header row: its first record is named by position, never by
        // what it holds (a forename one letter from a column name).
        let e = run("1,Ann,Nate\n2,Bob,x\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "t.csv: line 1: header column 3 is one letter away from `name`, which the header lacks; nothing was read"
        );
        // Unrelated extra columns, and near names of columns already present, are read past
        // and named as not in the contract.
        let p = run("id,name,note,grade,nam\n1,Ann,x,y,z\n").unwrap();
        let named: Vec<(usize, &str, &Unread)> = (p.unread.iter())
            .map(|u| (u.position, u.header.as_str(), &u.why))
            .collect();
        assert_eq!(
            named,
            [
                (4, "grade", &Unread::NotInContract),
                (5, "nam", &Unread::NotInContract)
            ]
        );
        // A column mapped onto "" is deliberately not read, and named so.
        let mut m = BTreeMap::new();
        m.insert("nots".to_string(), String::new());
        let p = read(
            &source(b"id,name,Nots\n1,Ann,x\n"),
            &Dialect::default(),
            COLS,
            &m,
            |r| Ok(r.required("id")?.to_string()),
        )
        .unwrap();
        assert_eq!(p.unread.len(), 1);
        assert_eq!(
            (p.unread[0].header.as_str(), &p.unread[0].why),
            ("Nots", &Unread::MappedAway)
        );
        // A header cell of any length is named short.
        let long = format!("id,name,{}\n1,Ann,x\n", "z".repeat(500));
        let p = run(&long).unwrap();
        assert_eq!(p.unread[0].header.chars().count(), MAX_HEADER_CHARS + 1);
        // A header of thousands of cells names the first few and counts the rest.
        let cells: Vec<String> = (0..5000).map(|i| format!("x{i}")).collect();
        let wide = format!("id,name,{}\n1,Ann\n", cells.join(","));
        let p = run(&wide).unwrap();
        assert_eq!(p.unread.len(), MAX_UNREAD_NAMED + 1);
        assert_eq!(
            p.unread[MAX_UNREAD_NAMED].why,
            Unread::More(5000 - MAX_UNREAD_NAMED)
        );
        assert_eq!(
            p.unread[MAX_UNREAD_NAMED].describe(),
            "and 4950 more columns not read, not named here"
        );
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert!(matches!(run("").unwrap_err(), InputError::Empty { .. }));
    }
}
