//! A year of nights: store growth and history-command latency.
//!
//! Generates a force, then runs vetrecon once per night for `--nights` nights, changing about
//! `--change` of the rows each night the way a real workforce drifts, at a steady rate
//! (`vetrecon::generate::drift`: post moves, leavers dropping off, joiners with their own
//! records, renewals near expiry, suspensions lifted), so night 300 has the same amount of
//! work as night 1 and any growth in cost is the history's. Prints, every 30 nights, the
//! store's size on disk and the bytes that night added, and at the end how long `runs`,
//! `show`, `diff`, `person` and `verify` take on the full store. Run with:
//!
//!     cargo bench --bench store_year -- --people 50000 --nights 365 --change 0.01
//!
//! `--every N` prints a line every N nights (default 30); `--dir DIR` keeps the force and
//! the store there.
//!
//! Not part of `cargo test`; the figures are published in BENCHMARKS.md ("Store size over a year").

use std::path::PathBuf;
use std::time::Instant;
use vetrecon::store::Store;

struct Args {
    people: usize,
    nights: usize,
    change: f64,
    every: usize,
    dir: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        people: 50_000,
        nights: 365,
        change: 0.01,
        every: 30,
        dir: None,
    };
    let v: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < v.len() {
        let next = || v.get(i + 1).cloned().unwrap_or_default();
        match v[i].as_str() {
            "--people" => a.people = next().parse().expect("--people N"),
            "--nights" => a.nights = next().parse().expect("--nights N"),
            "--change" => a.change = next().parse().expect("--change SHARE"),
            "--every" => a.every = next().parse().expect("--every N"),
            "--dir" => a.dir = Some(PathBuf::from(next())),
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    a
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed().as_secs_f64())
}

fn main() {
    let a = args();
    let tmp = tempfile::tempdir().unwrap();
    let dir = a.dir.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let force = dir.join("force");
    let db = dir.join("db");
    let out = dir.join("out");
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let spare = dir.join("spare");
    // Joiners come from the spare force: enough of them for every night, with room for
    // the spare force's own leavers, who are never taken.
    let joiners = ((a.people as f64 * a.change).ceil() as usize).div_ceil(3) * a.nights;
    for (seed, to, people) in [
        (7, &force, a.people),
        (8, &spare, a.people.max(joiners * 5 / 4)),
    ] {
        let generated = vetrecon::generate::generate(&vetrecon::generate::Spec {
            people,
            seed,
            as_of: start,
            noise: vetrecon::generate::Noise::default(),
            casework: true,
            prevention: false,
            integrity: false,
        });
        vetrecon::generate::write::write(&generated, to).unwrap();
    }
    let mut force_now = vetrecon::generate::drift::Drift::open(&force, &spare, 99).unwrap();
    let config = vetrecon::config::load(&PathBuf::from("config/vetrecon.toml")).unwrap();
    println!(
        "{} people, {} vetting records, {} nights, {:.1}% change per night",
        force_now.people(),
        force_now.records(),
        a.nights,
        a.change * 100.0
    );
    println!(
        "{:>6} {:>9} {:>10} {:>12} {:>14} {:>9}",
        "night", "people", "vetting", "store_mb", "night_added_kb", "run_s"
    );
    let mut run_secs = Vec::new();
    let mut logical_before = 0u64;
    for night in 0..a.nights {
        let day = start + chrono::Days::new(night as u64);
        if night > 0 {
            force_now.night(night, day, a.change);
        }
        force_now.write(&force).unwrap();
        let spec =
            vetrecon::run::RunSpec::on_force(config.clone(), &force, day, out.clone(), db.clone());
        let (_, secs) = time(|| vetrecon::run::run(spec).unwrap());
        run_secs.push(secs);
        let report = night <= 1 || (night + 1) % a.every == 0 || night + 1 == a.nights;
        if report || night + 2 == a.nights || (night + 2) % a.every == 0 {
            // The bytes a night adds: its payloads as stored (before sled's own overhead)
            // and its chain entry, measured against the night before.
            let store = Store::open_read(&db).unwrap();
            let logical = store.logical_bytes().unwrap();
            if report {
                println!(
                    "{:>6} {:>9} {:>10} {:>12.1} {:>14.0} {:>9.2}",
                    night + 1,
                    force_now.people(),
                    force_now.records(),
                    mb(store.disk_bytes()),
                    (logical - logical_before) as f64 / 1024.0,
                    secs
                );
            }
            logical_before = logical;
        }
    }
    let inputs: u64 = ["roster.csv", "posts.csv", "vetting.csv"]
        .iter()
        .map(|f| std::fs::metadata(force.join(f)).unwrap().len())
        .sum();
    let store = Store::open(&db, "bench").unwrap();
    let runs = store.runs().unwrap();
    let first = runs.first().unwrap().record.run_id.clone();
    let last = runs.last().unwrap().record.run_id.clone();
    assert!(
        force_now.spares_left() > 0,
        "the spare force ran out of joiners: the force stopped being steady"
    );
    let someone = force_now.someone();
    let (_, t_runs) = time(|| vetrecon::history::show::list(&store.runs().unwrap()));
    let (_, t_show) = time(|| {
        let r = store.find_run(&last).unwrap();
        vetrecon::history::show::show(&r, &store.pruned().unwrap())
    });
    let (_, t_diff) = time(|| {
        let ra = store.find_run(&first).unwrap();
        let rb = store.find_run(&last).unwrap();
        let ea = vetrecon::history::diff::exceptions_of(&store, &ra).unwrap();
        let eb = vetrecon::history::diff::exceptions_of(&store, &rb).unwrap();
        vetrecon::history::diff::diff(&ea, &eb).new.len()
    });
    let (_, t_person) = time(|| vetrecon::history::person::timeline(&store, &someone).unwrap());
    let (v, t_verify) = time(|| vetrecon::history::verify::verify(&store, None).unwrap());
    assert!(v.ok(), "{}", v.render());
    let index = store.blob_index().unwrap();
    let logical: u64 = index.iter().map(|b| b.1).sum();
    let deltas = index.iter().filter(|b| b.2.is_some()).count();
    println!(
        "\npayloads: {} ({} deltas, {} keyframes), {:.1} MB stored before sled's overhead",
        index.len(),
        deltas,
        index.len() - deltas,
        mb(logical)
    );
    if std::env::var("STORE_YEAR_DETAIL").is_ok() {
        let sizes: std::collections::HashMap<&str, (u64, bool)> = index
            .iter()
            .map(|b| (b.0.as_str(), (b.1, b.2.is_some())))
            .collect();
        for (what, h) in runs.last().unwrap().record.blobs() {
            if let Some((n, delta)) = sizes.get(h) {
                println!(
                    "  last night {what:<28} {n:>9} bytes{}",
                    if *delta { " (delta)" } else { "" }
                );
            }
        }
    }
    run_secs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "\nstore after {} nights: {:.1} MB on disk (tonight's inputs alone: {:.1} MB raw)",
        a.nights,
        mb(store.disk_bytes()),
        mb(inputs)
    );
    println!(
        "run time per night: median {:.2} s, max {:.2} s",
        run_secs[run_secs.len() / 2],
        run_secs[run_secs.len() - 1]
    );
    println!(
        "runs {t_runs:.3} s, show {t_show:.3} s, diff first..last {t_diff:.3} s, person {t_person:.3} s, verify {t_verify:.1} s"
    );
}
