//! chain.txt: where this night's run sits in the store's hash chain, beside report.html.
//!
//! The page cannot carry its own run's chain hash: the run record hashes every output, so
//! the chain entry (and its hash) exists only once the outputs are made and the run commits.
//! chain.txt is written after the commit, from the stored entry alone, so `vetrecon report
//! RUN` and `vetrecon replay RUN` make the same bytes again from the store. Unlike the
//! report outputs it differs between two stores given the same inputs: the entry it names
//! also records the run's wall-clock times. It holds no personal data.

use crate::store::Stored;

/// The file's name in the output directory.
pub const NAME: &str = "chain.txt";

/// chain.txt for a committed run's chain entry; None for an entry that is not a run.
pub fn render(stored: &Stored) -> Option<Vec<u8>> {
    let rec = stored.run()?;
    let mut s = String::new();
    s.push_str("vetrecon: this night's entry in the store's hash chain\n");
    s.push_str(&format!("run_id         {}\n", rec.run_id));
    s.push_str(&format!("as_of          {}\n", rec.as_of));
    s.push_str(&format!("seq            {}\n", stored.entry.seq));
    s.push_str(&format!("chain_hash     {}\n", stored.hash));
    s.push_str(&format!(
        "previous_hash  {}\n",
        stored
            .entry
            .prev_hash
            .as_deref()
            .unwrap_or("none (the first entry in the store)")
    ));
    s.push_str(&format!("version        vetrecon {}\n", rec.version));
    s.push_str(&format!(
        "Check it with `{}` (its chain line) and `vetrecon verify`.\n",
        super::command::show_run(&rec.run_id)
    ));
    Some(s.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Body, Entry, RunRecord};

    #[test]
    fn chain_txt_names_the_run_its_place_and_both_hashes() {
        let stored = Stored {
            entry: Entry {
                seq: 4,
                prev_hash: Some("ab".repeat(32)),
                body: Body::Run(Box::new(RunRecord::test_record("20261124-01"))),
            },
            hash: "cd".repeat(32),
        };
        let text = String::from_utf8(render(&stored).unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "run_id         20261124-01");
        assert_eq!(lines[2], "as_of          2026-11-24");
        assert_eq!(lines[3], "seq            4");
        assert_eq!(lines[4], format!("chain_hash     {}", "cd".repeat(32)));
        assert_eq!(lines[5], format!("previous_hash  {}", "ab".repeat(32)));
        assert_eq!(lines[6], "version        vetrecon test");
        let first = Stored {
            entry: Entry {
                prev_hash: None,
                ..stored.entry.clone()
            },
            ..stored
        };
        let text = String::from_utf8(render(&first).unwrap()).unwrap();
        assert!(text.contains("previous_hash  none (the first entry in the store)\n"));
    }
}
