//! A year of nights: store growth and history-command latency.
//!
//! Generates a force, then runs vetrecon once per night for `--nights` nights, changing about
//! `--change` of the rows each night the way a real workforce drifts (joiners, leavers, post
//! moves, new and renewed clearances, status changes). Prints the store's size on disk as it
//! grows and, at the end, how long `runs`, `show`, `diff`, `person` and `verify` take on the
//! full store. Run with:
//!
//!     cargo bench --bench store_year -- --people 50000 --nights 365 --change 0.01
//!
//! Not part of `cargo test`; the figures are published in BENCHMARKS.md ("Store size over a year").

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};
use std::time::Instant;
use vetrecon::store::Store;

struct Args {
    people: usize,
    nights: usize,
    change: f64,
    dir: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        people: 50_000,
        nights: 365,
        change: 0.01,
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

/// A CSV file as header plus rows of owned fields.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let mut r = csv::Reader::from_path(path).unwrap();
        let header = r.headers().unwrap().iter().map(String::from).collect();
        let rows = r
            .records()
            .map(|x| x.unwrap().iter().map(String::from).collect())
            .collect();
        Table { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap()
    }

    fn write(&self, path: &Path) {
        let mut w = csv::Writer::from_path(path).unwrap();
        w.write_record(&self.header).unwrap();
        for r in &self.rows {
            w.write_record(r).unwrap();
        }
        w.flush().unwrap();
    }
}

/// One night's drift: about `change` of the roster and of the vetting export altered.
fn drift(
    rng: &mut ChaCha8Rng,
    roster: &mut Table,
    vetting: &mut Table,
    posts: &[String],
    night: usize,
    change: f64,
    day: &str,
) {
    let (status, leaving, post, emp) = (
        roster.col("employment_status"),
        roster.col("leaving_date"),
        roster.col("post_id"),
        roster.col("employee_id"),
    );
    let n = ((roster.rows.len() as f64) * change).ceil() as usize;
    for k in 0..n {
        let i = rng.random_range(0..roster.rows.len());
        match k % 3 {
            0 => {
                // A move to another post.
                roster.rows[i][post] = posts[rng.random_range(0..posts.len())].clone();
            }
            1 => {
                // A leaver.
                roster.rows[i][status] = "leaver".into();
                roster.rows[i][leaving] = day.into();
            }
            _ => {
                // A joiner, modelled on an existing row, while an old leaver drops out of
                // the export: the workforce stays about the same size, as real ones do.
                let mut row = roster.rows[i].clone();
                row[emp] = format!("J{night:03}{k:05}");
                row[status] = "active".into();
                row[leaving] = String::new();
                if let Some(gone) = roster.rows.iter().position(|r| r[status] == "leaver") {
                    roster.rows.remove(gone);
                }
                roster.rows.push(row);
            }
        }
    }
    let (vref, vstatus, decided, expiry) = (
        vetting.col("vetting_ref"),
        vetting.col("status"),
        vetting.col("decision_date"),
        vetting.col("expiry_date"),
    );
    let m = ((vetting.rows.len() as f64) * change).ceil() as usize;
    for k in 0..m {
        let i = rng.random_range(0..vetting.rows.len());
        if k % 2 == 0 {
            // A renewal: the record is replaced by a new one for the same person.
            let row = &mut vetting.rows[i];
            row[vref] = format!("R{night:03}{k:05}");
            row[vstatus] = "granted".into();
            row[decided] = day.into();
            row[expiry] = String::new();
        } else {
            vetting.rows[i][vstatus] = ["lapsed", "withdrawn", "suspended"][k % 3].into();
        }
    }
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
    let generated = vetrecon::generate::generate(&vetrecon::generate::Spec {
        people: a.people,
        seed: 7,
        as_of: start,
        noise: vetrecon::generate::Noise::default(),
    });
    vetrecon::generate::write::write(&generated, &force).unwrap();
    let mut roster = Table::read(&force.join("roster.csv"));
    let mut vetting = Table::read(&force.join("vetting.csv"));
    let posts_table = Table::read(&force.join("posts.csv"));
    let posts: Vec<String> = posts_table.rows.iter().map(|r| r[0].clone()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let config = vetrecon::config::load(&PathBuf::from("config/vetrecon.toml")).unwrap();
    println!(
        "{} people, {} vetting records, {} nights, {:.1}% change per night",
        roster.rows.len(),
        vetting.rows.len(),
        a.nights,
        a.change * 100.0
    );
    println!(
        "{:>6} {:>9} {:>10} {:>12} {:>9}",
        "night", "people", "vetting", "store_mb", "run_s"
    );
    let mut run_secs = Vec::new();
    for night in 0..a.nights {
        let day = start + chrono::Days::new(night as u64);
        if night > 0 {
            drift(
                &mut rng,
                &mut roster,
                &mut vetting,
                &posts,
                night,
                a.change,
                &day.to_string(),
            );
        }
        roster.write(&force.join("roster.csv"));
        vetting.write(&force.join("vetting.csv"));
        let spec = vetrecon::run::RunSpec {
            config: config.clone(),
            roster: force.join("roster.csv"),
            posts: force.join("posts.csv"),
            vetting: force.join("vetting.csv"),
            triggers: Vec::new(),
            as_of: day,
            out_dir: out.clone(),
            store_dir: db.clone(),
            accept_change: true,
            rerun: false,
            backfill: false,
            past_retention: false,
            what_if: None,
        };
        let (_, secs) = time(|| vetrecon::run::run(spec).unwrap());
        run_secs.push(secs);
        if night == 0 || (night + 1) % 30 == 0 || night + 1 == a.nights {
            let size = Store::open(&db, "bench").unwrap().disk_bytes();
            println!(
                "{:>6} {:>9} {:>10} {:>12.1} {:>9.2}",
                night + 1,
                roster.rows.len(),
                vetting.rows.len(),
                mb(size),
                secs
            );
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
    let someone = roster.rows[roster.rows.len() / 2][0].clone();
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
