//! The store commands: history for auditors, decisions for vetting officers and QA verdicts
//! for reviewers. Each opens
//! the store, asks `vetrecon::history`, and prints the answer through `stdout` (a closed
//! pipe ends the command quietly, never a panic). The commands that only read open it to
//! read (`Store::open_read`: nothing in the store is written, so a store on read-only media
//! can be read); `prune`, `decide` and `qa` open it to write.

use super::stdout::{print, println};
use super::{
    DecideArgs, DiffArgs, JmlCloseArgs, PersonArgs, PruneArgs, QaImportArgs, QaRecordArgs,
    QaVerdictArg, ReportArgs, RunRef, StoreArgs, VerdictArg, VerifyArgs,
};
use chrono::{SecondsFormat, Utc};
use vetrecon::clerical::{DecisionRow, Verdict};
use vetrecon::error::Error;
use vetrecon::history::{self, escape, text};
use vetrecon::store::Store;

/// Open the store to read; `what` names the command where a config lacks the store.
fn read(a: &StoreArgs, what: &'static str) -> Result<Store, Error> {
    Ok(Store::open_read(&a.dir(what)?)?)
}

/// Open the store to write; `what` names the command in the lock file.
fn write(a: &StoreArgs, what: &'static str) -> Result<Store, Error> {
    Ok(Store::open_existing(&a.dir(what)?, what)?)
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn runs(a: StoreArgs) -> Result<(), Error> {
    let store = read(&a, "runs")?;
    print(&history::show::list(&store.runs()?))?;
    Ok(())
}

pub fn show(a: RunRef) -> Result<(), Error> {
    let store = read(&a.store, "show")?;
    let run = store.find_run(&a.run)?;
    print(&history::show::show(&run, &store.pruned()?))?;
    Ok(())
}

pub fn report(a: ReportArgs) -> Result<(), Error> {
    let dir = a.store.dir("report")?;
    vetrecon::run::check_out_dir(&a.out, &dir, &[], &[])?;
    let store = read(&a.store, "report")?;
    let run = store.find_run(&a.run)?;
    // Each file the report writes, checked against the config it may have read.
    let mut names: Vec<&str> = (run.record.outputs.iter())
        .map(|o| o.name.as_str())
        .chain([vetrecon::report::chain::NAME, "links.csv"])
        .collect();
    names.dedup();
    let config: Vec<&std::path::Path> = a.store.config.as_deref().into_iter().collect();
    vetrecon::run::check_out_dir(&a.out, &dir, &names, &config)?;
    let mut outputs = Vec::new();
    let names: Vec<(&str, &str)> = run
        .record
        .outputs
        .iter()
        .map(|o| (o.name.as_str(), o.sha256.as_str()))
        .collect();
    for (name, sha) in names {
        let bytes = if run.record.rendered.iter().any(|r| r == name) {
            vetrecon::history::explain::rendered_output(&store, &run.record, name)?
        } else {
            store.get_blob(sha)?
        };
        outputs.push(vetrecon::report::Output {
            name: name.to_string().into(),
            bytes,
        });
    }
    if a.with_links {
        outputs.push(vetrecon::report::Output {
            name: "links.csv".to_string().into(),
            bytes: vetrecon::history::explain::links_csv(&store, &run.record)?,
        });
    }
    // chain.txt, made again from the run's chain entry (the night wrote it after
    // its commit, so it is not among the stored outputs).
    let entries = store.entries()?;
    if let Some(bytes) = entries
        .iter()
        .find(|s| s.entry.seq == run.seq)
        .and_then(vetrecon::report::chain::render)
    {
        outputs.push(vetrecon::report::Output {
            name: vetrecon::report::chain::NAME.into(),
            bytes,
        });
    }
    let written = vetrecon::report::write::stage(&a.out, &outputs)?.publish()?;
    if !run.record.quoted_commands {
        // The night's bytes are what auditors rely on, so they are written as they were;
        // the officer is told not to paste the commands they print.
        eprintln!(
            "warning: run {} was made by vetrecon {}, before printed commands were quoted for the shell: the vetrecon decide lines in its report.html and exceptions.xlsx print the ids unquoted, so do not paste them into a shell (type the command, quoting each value, or use vetrecon decide --import)",
            escape(&run.record.run_id),
            escape(&run.record.version)
        );
    }
    println(&format!(
        "run {}: wrote {} files",
        escape(&run.record.run_id),
        written.len()
    ))?;
    for p in written {
        println(&format!("  {}", escape(&p.display().to_string())))?;
    }
    Ok(())
}

pub fn replay(a: RunRef) -> Result<(), Error> {
    let store = read(&a.store, "replay")?;
    let r = history::replay::replay(&store, &a.run)?;
    // A closed stdout ends the printing, not the verdict: a replay that differs still exits 5.
    let printed = print(&r.render());
    if r.ok() {
        printed
    } else {
        Err(Error::Audit(format!("replay of run {} differs", a.run)))
    }
}

pub fn diff(a: DiffArgs) -> Result<(), Error> {
    let store = read(&a.store, "diff")?;
    let ra = store.find_run(&a.run_a)?;
    let rb = store.find_run(&a.run_b)?;
    let ea = history::diff::exceptions_of(&store, &ra)?;
    let eb = history::diff::exceptions_of(&store, &rb)?;
    let d = history::diff::diff_runs(&ra.record, &ea, &rb.record, &eb);
    let notes = history::diff::unread_notes((&a.run_a, &ra.record), (&a.run_b, &rb.record));
    print(&history::diff::render_with(&a.run_a, &a.run_b, &d, &notes))?;
    Ok(())
}

pub fn person(a: PersonArgs) -> Result<(), Error> {
    let store = read(&a.store, "person")?;
    print(&history::person::timeline(&store, &a.employee_id)?)?;
    Ok(())
}

pub fn verify(a: VerifyArgs) -> Result<(), Error> {
    let store = Store::open_audit(&a.store.dir("verify")?)?;
    let v = history::verify::verify(&store, a.expect_head.as_deref())?;
    let printed = print(&v.render());
    if v.ok() {
        printed
    } else {
        Err(Error::Audit(format!(
            "store {} failed verification",
            store.path().display()
        )))
    }
}

pub fn prune(a: PruneArgs) -> Result<(), Error> {
    let store = write(&a.store, "prune")?;
    let p = history::prune::prune(&store, a.before, &now())?;
    if p.recorded {
        println(&format!(
            "pruned the input payloads of {} runs before {} ({} payloads, {} unreferenced swept, {} bytes stored released)",
            p.runs.len(),
            a.before,
            p.payloads,
            p.swept,
            p.bytes
        ))?;
    } else {
        println(&format!(
            "nothing to prune before {} ({} unreferenced payloads swept)",
            a.before, p.swept
        ))?;
    }
    Ok(())
}

pub fn decide(a: DecideArgs) -> Result<(), Error> {
    if let Some(path) = &a.import {
        vetrecon::run::check_store_dir(&a.store.dir("decide")?, &[path])?;
        let store = write(&a.store, "decide")?;
        let (_, n, rejects) = history::decide::import_file(&store, path, &now())?;
        for r in &rejects {
            eprintln!(
                "{}: line {}: column {}: {}",
                path.display(),
                r.line,
                r.column,
                escape(&r.reason)
            );
        }
        // A closed stdout must not hide the rejected rows' exit code.
        let printed = println(&format!("recorded {n} decisions from {}", path.display()));
        if !rejects.is_empty() {
            return Err(Error::Input(vetrecon::error::InputError::Malformed {
                file: path.clone(),
                line: rejects[0].line,
                message: format!(
                    "{} rows rejected (listed above); the other {n} were recorded",
                    rejects.len()
                ),
            }));
        }
        return printed;
    }
    // The flags are checked before the store is opened: a refusal names the flag, never
    // echoes the text (it may be a name), and leaves the store untouched.
    let by = a.by.expect("required by clap");
    let reason = a.reason.expect("required by clap");
    for (flag, text, max) in [
        ("--by", &by, text::MAX_BY_CHARS),
        ("--reason", &reason, text::MAX_REASON_CHARS),
    ] {
        if let Some(why) =
            text::refusal(text, max).or_else(|| vetrecon::clerical::placeholder_refusal(text))
        {
            return Err(Error::Usage(format!("{flag} {why}")));
        }
    }
    let verdict = match a.verdict.expect("required by clap") {
        VerdictArg::Confirm => Verdict::Confirm,
        VerdictArg::Reject => Verdict::Reject,
        VerdictArg::Revoke => Verdict::Revoke,
    };
    let row = DecisionRow {
        verdict,
        employee_id: a.employee_id.expect("required by clap"),
        vetting_ref: a.vetting_ref.expect("required by clap"),
        by,
        reason,
        at: now(),
        fingerprint: None,
    };
    let store = write(&a.store, "decide")?;
    let stored = history::decide::decide(&store, row.clone(), a.unscored)?;
    println(&format!(
        "recorded: {} {} / {} by {} (chain entry {}); it applies from the next run",
        verdict.as_str(),
        escape(&row.employee_id),
        escape(&row.vetting_ref),
        escape(&row.by),
        stored.entry.seq
    ))
}

pub fn qa_record(a: QaRecordArgs) -> Result<(), Error> {
    use vetrecon::clerical::qa::{QaRow, QaVerdict};
    // Checked before the store is opened: a refusal names the flag, never echoes the text
    // (it may be a name), and leaves the store untouched.
    if let Err((field, why)) = vetrecon::clerical::check_by_and_reason(&a.by, &a.reason) {
        return Err(Error::Usage(format!("--{field} {why}")));
    }
    for (flag, text) in [("--by", &a.by), ("--reason", &a.reason)] {
        if text.trim().is_empty() {
            return Err(Error::Usage(format!("{flag} is blank")));
        }
    }
    let verdict = match a.verdict {
        QaVerdictArg::Agree => QaVerdict::Agree,
        QaVerdictArg::Disagree => QaVerdict::Disagree,
    };
    let row = QaRow {
        run_id: a.run_id.trim().to_string(),
        vetting_ref: a.vetting_ref,
        sample: String::new(),
        decision_date: String::new(),
        verdict,
        by: a.by,
        reason: a.reason,
        at: now(),
        correction: a.correction,
    };
    let store = write(&a.store, "qa")?;
    let (stored, r) = history::qa::record(&store, row)?;
    println(&format!(
        "recorded: {}{} on {} ({} decided {}, sampled by run {}) by {} (chain entry {}); the next run does not sample it again",
        verdict.as_str(),
        if r.correction { " (correction)" } else { "" },
        escape(&r.vetting_ref),
        r.sample.replace('_', " "),
        escape(&r.decision_date),
        escape(&r.run_id),
        escape(&r.by),
        stored.entry.seq
    ))
}

pub fn jml_close(a: JmlCloseArgs) -> Result<(), Error> {
    use vetrecon::clerical::jml::JmlClosing;
    let by = match a.by {
        Some(by) => by,
        None => ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
            .ok_or_else(|| {
                Error::Usage("--by is needed: there is no login name to record".into())
            })?,
    };
    // Checked before the store is opened: a refusal names the flag, never echoes the text
    // (it may be a name), and leaves the store untouched.
    if let Err((field, why)) = vetrecon::clerical::check_by_and_reason(&by, &a.reason) {
        return Err(Error::Usage(format!("--{field} {why}")));
    }
    for (flag, text) in [("--by", &by), ("--reason", &a.reason)] {
        if text.trim().is_empty() {
            return Err(Error::Usage(format!("{flag} is blank")));
        }
    }
    let row = JmlClosing {
        action_id: a.action_id.trim().to_string(),
        run_id: String::new(),
        by,
        reason: a.reason,
        at: now(),
    };
    let store = write(&a.store, "jml close")?;
    let (stored, r) = history::jml::close(&store, row)?;
    println(&format!(
        "closed: {} (open after run {}) by {} (chain entry {}); the next run lists it as closed, then no more",
        escape(&r.action_id),
        escape(&r.run_id),
        escape(&r.by),
        stored.entry.seq
    ))
}

pub fn qa_import(a: QaImportArgs) -> Result<(), Error> {
    let path = &a.file;
    vetrecon::run::check_store_dir(&a.store.dir("qa")?, &[path])?;
    let store = write(&a.store, "qa")?;
    let got = history::qa::import_file(&store, path, &now())?;
    for r in &got.rejects {
        eprintln!(
            "{}: line {}: column {}: {}",
            path.display(),
            r.line,
            r.column,
            escape(&r.reason)
        );
    }
    if let Some(first) = got.rejects.first() {
        return Err(Error::Input(vetrecon::error::InputError::Malformed {
            file: path.clone(),
            line: first.line,
            message: format!(
                "column {}: {} rows rejected (listed above); nothing was recorded",
                first.column,
                got.rejects.len()
            ),
        }));
    }
    println(&format!(
        "recorded {} QA verdicts from {}{}",
        got.recorded,
        path.display(),
        got.stored
            .map(|s| format!(" (chain entry {})", s.entry.seq))
            .unwrap_or_default()
    ))
}
