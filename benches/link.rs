//! Linking benchmarks: the hot kernels and end-to-end linking on a generated force.
//!
//! `cargo bench --bench link` (force size via VETRECON_BENCH_PEOPLE, default 100000).
//! Prints, per kernel, the time per item; then linking time, candidate pairs and accuracy
//! against the generator's true links. A plain harness on `std::time::Instant`: each
//! figure is one measured pass over realistic data, which is what BENCHMARKS.md publishes;
//! whole-run wall time and peak memory are measured by `bench/run.sh`.

use std::hint::black_box;
use std::time::Instant;
use vetrecon::config::{raw::RawConfig, Policy};
use vetrecon::generate::{self, Noise, Spec};
use vetrecon::link::{block, compare, prepare, Decision, Engine};

fn per_item(label: &str, n: usize, f: impl FnOnce()) {
    let t = Instant::now();
    f();
    let s = t.elapsed().as_secs_f64();
    println!(
        "{label:<44} {n:>10} items {:>10.1} ns/item",
        s * 1e9 / n as f64
    );
}

fn main() {
    let people: usize = std::env::var("VETRECON_BENCH_PEOPLE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let spec = Spec {
        people,
        seed: 1,
        as_of,
        noise: Noise::default(),
        casework: true,
        prevention: false,
        integrity: false,
    };
    let dir = tempfile::tempdir().unwrap();
    generate::write::write(&generate::generate(&spec), dir.path()).unwrap();
    let policy = Policy::build(&RawConfig::default()).unwrap();
    let data = generate::read_back(&policy, dir.path(), as_of).unwrap();
    println!(
        "force: {} people, {} vetting records",
        data.persons.len(),
        data.vetting.len()
    );

    // Kernel: normalisation of raw surnames.
    let surnames: Vec<&str> = data.vetting.iter().map(|v| v.surname.as_str()).collect();
    per_item("normalise: surname_form", surnames.len(), || {
        for s in &surnames {
            black_box(vetrecon::normalise::surname_form(s));
        }
    });

    // Kernel: string similarity of name pairs, strsim (used) and the pair memo's effect.
    let forms: Vec<String> = surnames
        .iter()
        .take(20_000)
        .map(|s| vetrecon::normalise::surname_form(s).full)
        .collect();
    let pairs = forms.len() * 50;
    per_item("compare: strsim::jaro_winkler", pairs, || {
        for i in 0..pairs {
            let (a, b) = (&forms[i % forms.len()], &forms[(i * 7 + 13) % forms.len()]);
            black_box(strsim::jaro_winkler(a, b));
        }
    });

    // Kernel: preparation (interning and encoding both sides).
    let t = Instant::now();
    let prep = prepare::prepare(&data.persons, &data.vetting, &policy.linking.nicknames);
    println!(
        "{:<44} {:>10} items {:>10.1} ns/item ({} distinct surnames, {} forenames)",
        "prepare: intern + encode",
        data.persons.len() + data.vetting.len(),
        t.elapsed().as_secs_f64() * 1e9 / (data.persons.len() + data.vetting.len()) as f64,
        prep.names.surnames.len(),
        prep.names.forenames.len()
    );

    // Kernel: comparison of prepared pairs through the memo.
    let cmp = compare::Comparer {
        names: &prep.names,
        close: policy.linking.close_similarity,
    };
    let n = 2_000_000;
    per_item("compare: full levels of a pair (memoised)", n, || {
        let mut cache = compare::Cache::default();
        for i in 0..n {
            let a = &prep.people[i % prep.people.len()];
            let b = &prep.records[(i * 31) % prep.records.len()];
            black_box(cmp.compare(a, b, &mut cache));
        }
    });

    // Kernel: blocking.
    let t = Instant::now();
    let index = block::Index::build(&prep.names, &prep.people);
    println!(
        "{:<44} {:>10} items {:>10.1} ns/item",
        "block: build index",
        prep.people.len(),
        t.elapsed().as_secs_f64() * 1e9 / prep.people.len() as f64
    );
    let (mut keys, mut out, mut total) = (Vec::new(), Vec::new(), 0usize);
    per_item("block: candidates of a record", prep.records.len(), || {
        for r in &prep.records {
            index.candidates(&prep.names, r, &mut keys, &mut out);
            total += out.len();
        }
    });
    println!(
        "  {:.1} candidates per record",
        total as f64 / prep.records.len() as f64
    );
    drop(prep);

    // End to end: prepare, block, score, assign on all cores.
    let t = Instant::now();
    let mut engine = Engine::new(&policy.linking, &data.persons, &data.vetting);
    let linked = engine.link(&|| {});
    let secs = t.elapsed().as_secs_f64();
    let auto = linked
        .outcomes
        .iter()
        .filter(|o| o.decision == Decision::AutoLink)
        .count();
    println!(
        "link: {secs:.2} s for {} records ({:.0} records/s), {} candidate pairs, {} scored, {} auto-links",
        data.vetting.len(),
        data.vetting.len() as f64 / secs,
        linked.stats.pairs,
        linked.stats.scored,
        auto
    );
}
