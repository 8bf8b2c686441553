//! matches.csv: every linking decision, one row per (vetting record, candidate) considered
//! plausible, and one row with a blank employee_id for each record that matched no one.
//!
//! `score` and `probability` are the pair's own (pairwise) weight and probability;
//! `posterior` is what decided: the pair weighed against the record's other candidates and
//! against "not on the roster". Columns are only added.

//!
//! A night renders it from its link record (`report::link_record::matches_csv`), which
//! renders it again for `report RUN`: the store keeps its hash, not its bytes.

pub const COLUMNS: [&str; 7] = [
    "employee_id",
    "vetting_ref",
    "score",
    "decision",
    "probability",
    "agreement",
    "posterior",
];
