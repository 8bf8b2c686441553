//! Report: render a run's results into the output files, and put them in place atomically.
//!
//! The exception list, links and rejects have a module each; the manager's morning outputs
//! (report.html, exceptions.xlsx and the CSV twins of every figure in them) all render from
//! one `morning::Morning`, so the page, the spreadsheet and the CSVs cannot disagree.
//!
//! Rendering is pure (results in, bytes out) so the same results always give the same bytes
//! and a stored run can be rendered again for an auditor. `write` puts each file next to its
//! destination under a temporary name and renames it only after the store has committed.

pub mod analysis_csv;
pub mod cell;
pub mod chain;
pub mod command;
pub mod declarations_csv;
pub mod evidence;
pub mod exceptions;
pub mod explain_detail;
pub mod figure;
pub mod freshness;
pub mod html;
pub mod integrity_csv;
pub mod jml;
pub mod link_record;
pub mod matches;
pub mod morning;
pub mod moves_csv;
pub mod prevention_csv;
pub mod rejects;
pub mod sanctions_csv;
pub mod signals_csv;
pub mod summary;
pub mod table;
pub mod unit_csv;
pub mod write;
pub mod xlsx;

/// Every file a run writes in its output directory: the night's outputs in the order it
/// renders them, then `chain.txt` (written after the commit). `run` refuses an `--out` where
/// one of them would replace a file it reads before it reads anything.
pub const RUN_OUTPUTS: [&str; 34] = [
    "exceptions.csv",
    "matches.csv",
    "rejects.csv",
    "summary.txt",
    "report.html",
    "exceptions.xlsx",
    "designated_posts.csv",
    "changes.csv",
    "trend.csv",
    "forecast.csv",
    "disproportionality.csv",
    "qa_sample.csv",
    "review_triggers.csv",
    "disproportionality_stages.csv",
    "refusal_reasons.csv",
    "qa_verdicts.csv",
    moves_csv::NAME,
    unit_csv::FILES[0],
    unit_csv::FILES[1],
    unit_csv::FILES[2],
    unit_csv::FILES[3],
    unit_csv::FILES[4],
    unit_csv::FILES[5],
    unit_csv::FILES[6],
    unit_csv::FILES[7],
    unit_csv::FILES[8],
    "condition_status.csv",
    "clearance_register.csv",
    "jml.csv",
    declarations_csv::NAME,
    signals_csv::NAME,
    sanctions_csv::NAME,
    integrity_csv::POST_REGISTER_CHECKS,
    chain::NAME,
];

/// One rendered output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// File name in the output directory (static for a run's files; a stored run's names
    /// come from its record).
    pub name: std::borrow::Cow<'static, str>,
    pub bytes: Vec<u8>,
}

/// Header and metadata every output carries.
#[derive(Debug, Clone)]
pub struct RunInfo {
    pub run_id: String,
    pub as_of: chrono::NaiveDate,
    pub version: String,
    /// Every input the run read, in the order it read them.
    pub inputs: Vec<InputId>,
}

/// An input as the outputs name it: its role, its file name and its SHA-256. The file name
/// without its directory, so the same files give the same outputs wherever they were read
/// from (replay reads them from the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputId {
    pub role: String,
    pub name: String,
    pub sha256: String,
}

impl InputId {
    pub fn new(role: &str, path: &std::path::Path, sha256: &str) -> InputId {
        InputId {
            role: role.to_string(),
            name: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            sha256: sha256.to_string(),
        }
    }
}

/// A CSV writer into memory with the settings all outputs share (CRLF-free, quoted as needed).
pub(crate) fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

pub(crate) fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().expect("writing to memory cannot fail")
}

/// CSV rows (no header, LF) for `items` appended to `out`, rendered on every core in chunks,
/// each into its own buffer, joined in order: `row` writes one item's rows, its fields
/// straight to the writer and figures through the reused `String` (no `String` per field).
/// matches.csv and links.csv are written this way. Each chunk is freed once it is copied
/// into `out` (sized once), so the rows are never held twice (as they would be
/// by `concat` and again after the header).
pub(crate) fn par_rows<T: Sync>(
    mut out: Vec<u8>,
    items: &[T],
    row: impl Fn(&mut csv::Writer<Vec<u8>>, &mut String, &T) + Sync,
) -> Vec<u8> {
    use rayon::prelude::*;
    let chunks: Vec<Vec<u8>> = items
        .par_chunks(4096)
        .map(|chunk| {
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            let mut s = String::new();
            for item in chunk {
                row(&mut w, &mut s, item);
            }
            finish(w)
        })
        .collect();
    out.reserve_exact(chunks.iter().map(Vec::len).sum());
    for c in chunks {
        out.extend_from_slice(&c);
    }
    out
}
