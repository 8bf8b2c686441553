//! Tests of the whole linker: determinism, the second pass, and the posterior.

use super::*;
use crate::config::raw::RawConfig;
use crate::config::Policy;
use crate::ingest::{ingest, SourceFile, Sources};
use crate::link::compare;
use crate::model::{Person, VettingRecord};
use crate::testkit::generated_force;
use std::path::Path;

fn demo() -> (Policy, crate::ingest::Ingested) {
    let policy = Policy::build(&RawConfig::default()).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo");
    let read =
        |role, f: &str| SourceFile::read(role, &dir.join(f), policy.input.read_limits).unwrap();
    let sources = Sources {
        roster: read("roster", "roster.csv"),
        posts: read("posts", "posts.csv"),
        vetting: read("vetting", "vetting.csv"),
        triggers: Vec::new(),
    };
    let data = ingest(
        &policy.input,
        &policy.levels,
        &sources,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    )
    .unwrap();
    (policy, data)
}

#[test]
fn links_do_not_depend_on_thread_count_or_record_order() {
    let (policy, data) = demo();
    let run = |threads: usize, vetting: &[VettingRecord]| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| link(&policy.linking, &data.persons, vetting, &|| {}).outcomes)
    };
    let one = run(1, &data.vetting);
    assert_eq!(one, run(4, &data.vetting));
    let reversed: Vec<VettingRecord> = data.vetting.iter().rev().cloned().collect();
    let mut back = run(3, &reversed);
    back.reverse();
    assert_eq!(one, back);
}

#[test]
fn the_prior_shrinks_as_the_roster_grows() {
    let policy = LinkPolicy::build(&RawConfig::default().linking).unwrap();
    let small = policy.prior_weight(200);
    let large = policy.prior_weight(300_000);
    assert!((small - (0.004f64 / 0.996).log2()).abs() < 1e-9);
    assert!(large < small - 10.0);
    assert!((probability(0.0) - 0.5).abs() < 1e-12);
}

/// A roster of `n` people where one forename in ten is "Jennifer" (so a forename and a
/// date of birth alone are weak evidence), plus Jennifer Langham, married, whose HR
/// record does not list her maiden name Uddin. The vetting system holds a recent record
/// in her married name that lists Uddin and carries her NI number, and an old one keyed
/// in her maiden name with no NI number.
fn married_force(n: usize) -> (Vec<Person>, Vec<VettingRecord>) {
    let mut w = crate::testkit::World::new();
    for i in 0..=n {
        let pi = w.staff("RVPOST") as usize;
        let p = &mut w.persons[pi];
        p.surname = format!("Filler{i}");
        p.forenames = if i % 10 == 0 { "Jennifer" } else { "Alex" }.into();
        p.date_of_birth = crate::testkit::d("1960-01-01") + chrono::Days::new(i as u64 % 15_000);
    }
    let jen = &mut w.persons[n];
    jen.surname = "Langham".into();
    jen.forenames = "Jennifer".into();
    jen.date_of_birth = crate::testkit::d("1963-08-25");
    jen.ni_number = Some("TR942354C".into());
    for (surname, previous, ni) in [
        ("Langham", vec!["Uddin".to_string()], Some("TR942354C")),
        ("Uddin", vec![], None),
    ] {
        let vi = w.record(
            None,
            Decision::NoMatch,
            "RV",
            crate::model::VettingStatus::Granted,
            "2030-01-01",
        );
        let v = &mut w.vetting[vi];
        v.surname = surname.into();
        v.forenames = "Jennifer".into();
        v.previous_surnames = previous;
        v.date_of_birth = crate::testkit::d("1963-08-25");
        v.ni_number = ni.map(String::from);
    }
    // A night's worth of other records, so the match share is estimated as a run
    // would (about 0.8): 400 fillers' own records and 100 strangers'.
    for k in 0..500 {
        let vi = w.record(
            None,
            Decision::NoMatch,
            "RV",
            crate::model::VettingStatus::Granted,
            "2030-01-01",
        );
        let v = &mut w.vetting[vi];
        if k < 400 {
            let p = &w.persons[k * 12];
            v.surname = p.surname.clone();
            v.forenames = p.forenames.clone();
            v.date_of_birth = p.date_of_birth;
        } else {
            v.surname = format!("Stranger{k}");
            v.forenames = "Zed".into();
            v.date_of_birth = crate::testkit::d("1940-01-01") + chrono::Days::new(k as u64);
        }
    }
    (w.persons, w.vetting)
}

#[test]
fn a_maiden_name_record_is_found_through_the_persons_other_record() {
    let (persons, vetting) = married_force(5_000);
    let jen = 5_000;
    let mut raw = RawConfig::default().linking;
    let policy = LinkPolicy::build(&raw).unwrap();
    let mut engine = Engine::new(&policy, &persons, &vetting);
    let linked = engine.link(&|| {});
    assert_eq!(linked.outcomes[0].linked_person(), Some(jen));
    assert_eq!(linked.outcomes[1].decision, Decision::AutoLink);
    assert_eq!(linked.outcomes[1].linked_person(), Some(jen));
    assert_eq!(
        linked.outcomes[1].candidates[0].levels.surname,
        compare::SurnameLevel::Previous
    );
    assert_eq!(engine.collective.sources(jen), &[0]);
    assert_eq!(linked.stats.widened, 1);
    // The second pass decides every unlinked record again with the m it learnt after
    // widening (posteriors move a little), but only the maiden-name record changes its
    // decision.
    let first_only = {
        let mut r = raw.clone();
        r.history_probability = 1.0;
        Engine::new(&LinkPolicy::build(&r).unwrap(), &persons, &vetting).link(&|| {})
    };
    for (vi, (a, b)) in first_only.outcomes.iter().zip(&linked.outcomes).enumerate() {
        if vi != 1 {
            assert_eq!(a.decision, b.decision, "record {vi}");
        }
    }
    assert!(linked.stats.relinked >= 1);

    // With learning off, the old record has only a forename and a date of birth.
    raw.history_probability = 1.0;
    let off = LinkPolicy::build(&raw).unwrap();
    let linked = Engine::new(&off, &persons, &vetting).link(&|| {});
    assert_eq!(linked.outcomes[0].linked_person(), Some(jen));
    assert_eq!(linked.outcomes[1].linked_person(), None);
    assert_eq!(linked.stats.widened, 0);

    // A link below history_probability teaches nothing.
    raw.history_probability = 1.0 - 1e-15;
    let strict = LinkPolicy::build(&raw).unwrap();
    let linked = Engine::new(&strict, &persons, &vetting).link(&|| {});
    assert_eq!(linked.outcomes[1].linked_person(), None);
}

/// A distinct made-up surname per index ("Dabeko", "Dabelu", ...).
fn surname_of(i: usize) -> String {
    const S: [&str; 20] = [
        "da", "be", "ko", "lu", "mi", "no", "pa", "re", "si", "tu", "va", "wo", "xe", "yo", "za",
        "gi", "ha", "ju", "fe", "qo",
    ];
    let mut s: String = [S[i % 20], S[i / 20 % 20], S[i / 400 % 20]].concat();
    s[..1].make_ascii_uppercase();
    s
}

/// A record whose only candidate agrees on both names, with one digit of the
/// date of birth wrong, on a mid-size roster where four records in five belong to
/// someone on it. Pairwise, the pair is priced as if no one had been looked at (about
/// 0.94, review); everyone else plausible was scored and none comes close, so the
/// posterior links it.
/// 6,000 people with made-up surnames, and a night of 1,600 of their own records and 400
/// strangers' (four records in five belong to someone on the roster).
fn lone_world() -> crate::testkit::World {
    let mut w = crate::testkit::World::new();
    let n = 6_000;
    for i in 0..n {
        let pi = w.staff("RVPOST") as usize;
        let p = &mut w.persons[pi];
        p.surname = surname_of(i);
        p.forenames = ["Alex", "Sam", "Jo", "Kit"][i % 4].into();
        p.date_of_birth = crate::testkit::d("1950-01-01") + chrono::Days::new(i as u64 * 5);
    }
    // The night: 1,600 people's own records and 400 strangers'.
    for k in 0..2_000 {
        let vi = w.record(
            None,
            Decision::NoMatch,
            "RV",
            crate::model::VettingStatus::Granted,
            "2030-01-01",
        );
        let v = &mut w.vetting[vi];
        if k < 1_600 {
            let p = &w.persons[k * 3 + 1];
            v.surname = p.surname.clone();
            v.forenames = p.forenames.clone();
            v.date_of_birth = p.date_of_birth;
        } else {
            v.surname = format!("Stranger{}", surname_of(k).to_lowercase());
            v.forenames = "Zed".into();
            v.date_of_birth = crate::testkit::d("1930-01-01") + chrono::Days::new(k as u64);
        }
    }
    w
}

/// Add a vetting record carrying person `from`'s names and date of birth; its index.
fn own_record(w: &mut crate::testkit::World, from: usize) -> usize {
    let vi = w.record(
        None,
        Decision::NoMatch,
        "RV",
        crate::model::VettingStatus::Granted,
        "2030-01-01",
    );
    let p = w.persons[from].clone();
    let v = &mut w.vetting[vi];
    v.surname = p.surname;
    v.forenames = p.forenames;
    v.date_of_birth = p.date_of_birth;
    vi
}

#[test]
fn a_lone_candidate_with_one_error_links() {
    let mut w = lone_world();
    // Person 3,000 (born 1991-01-25): the record says 1991-01-26.
    let target = 3_000;
    let vi = own_record(&mut w, target);
    w.vetting[vi].date_of_birth = w.persons[target].date_of_birth + chrono::Days::new(1);

    let policy = LinkPolicy::build(&RawConfig::default().linking).unwrap();
    let mut engine = Engine::new(&policy, &w.persons, &w.vetting);
    let linked = engine.link(&|| {});
    assert!(
        (engine.match_share - 0.8).abs() < 0.02,
        "{}",
        engine.match_share
    );
    let outcome = &linked.outcomes[vi];
    let c = outcome.best().expect("a candidate");
    assert_eq!(c.person as usize, target);
    assert_eq!(c.levels.dob, compare::DobLevel::OneDigit);
    let (scored, none) = engine.posteriors(vi);
    // The roster's made-up surnames are one slip from each other, so others may be scored;
    // none of them holds any of the posterior.
    assert!(
        scored
            .iter()
            .filter(|x| x.person as usize != target)
            .all(|x| x.probability < 0.001),
        "{scored:?}"
    );
    let pairwise = probability(c.weight);
    assert!(
        pairwise < policy.auto_link_probability,
        "pairwise {pairwise} would link on its own"
    );
    assert!(c.probability >= policy.auto_link_probability, "{c:?}");
    assert!((c.probability + none - 1.0).abs() < 0.01);
    assert_eq!(outcome.decision, Decision::AutoLink);
}

/// The bound a pruned pair reports is an upper bound on its weight (so the
/// mass of "someone else" is never under-counted), and a pruned pair could not have
/// been in contention at the highest match share the estimate may take.
#[test]
fn pruned_bounds_are_honest() {
    let (policy, data) = generated_force(1_500, 11);
    let engine = Engine::new(&policy.linking, &data.persons, &data.vetting);
    let p = &engine.prepared;
    let odds = Odds {
        prior: engine.scorer.prior,
        r: odds::prior_odds(odds::MAX_MATCH_SHARE, data.persons.len()),
    };
    let contention = assign::contention(&policy.linking);
    let mut scratch = Scratch::default();
    let (mut pruned, mut kept) = (0, 0);
    for vi in 0..p.records.len() {
        engine.block(vi, &mut scratch);
        let rec = &p.records[vi];
        let rec_hot = prepare::Hot::of(rec, &p.names);
        for &pi in &scratch.candidates {
            let scored = engine.scorer.score(
                &p.names,
                pi,
                &p.people,
                &p.people_hot,
                rec,
                &rec_hot,
                &mut scratch.cache,
            );
            if let score::Scored::Kept(c) = &scored {
                // What `explain` shows is what the night scored.
                let x = engine.explain(pi as usize, vi);
                assert_eq!(x.levels, c.levels, "{vi} {pi}");
                assert!((x.weight - c.weight).abs() < 1e-9, "{vi} {pi}");
                kept += 1;
            }
            if let score::Scored::Pruned(bound) = scored {
                let exact = engine.explain(pi as usize, vi).weight;
                assert!(exact <= bound + 1e-9, "{vi} {pi}: {exact} > {bound}");
                let best_case = odds.r * odds.ratio(bound);
                assert!(best_case / (1.0 + best_case) < contention);
                pruned += 1;
            }
        }
    }
    assert!(pruned > 1_000 && kept > 1_000, "{pruned} {kept}");
}

/// The routes a clerk would take when a name is off. Each record's only true
/// candidate is on a 6,000-person roster; each is linked automatically.
#[test]
fn swapped_names_and_a_married_name_with_ni_link() {
    let mut w = lone_world();
    let add = |w: &mut crate::testkit::World, from: usize, edit: &dyn Fn(&mut VettingRecord)| {
        let vi = own_record(w, from);
        edit(&mut w.vetting[vi]);
        vi
    };
    w.persons[4_000].ni_number = Some("JK123456A".into());
    w.persons[4_003].forenames = "Katherine".into();
    let swapped = add(&mut w, 3_001, &|v| {
        std::mem::swap(&mut v.surname, &mut v.forenames);
    });
    let married = add(&mut w, 4_000, &|v| {
        v.surname = "Oyelaran".into();
        v.ni_number = Some("JK 12 34 56 A".into());
    });
    let typo = add(&mut w, 4_003, &|v| v.forenames = "Katherime".into());
    let policy = LinkPolicy::build(&RawConfig::default().linking).unwrap();
    let mut engine = Engine::new(&policy, &w.persons, &w.vetting);
    let linked = engine.link(&|| {});
    for (vi, person, what) in [
        (swapped, 3_001, "names swapped"),
        (married, 4_000, "married name, NI agrees"),
        (typo, 4_003, "forename one slip"),
    ] {
        let o = &linked.outcomes[vi];
        assert_eq!(o.decision, Decision::AutoLink, "{what}: {o:?}");
        assert_eq!(o.linked_person(), Some(person as u32), "{what}");
    }
    let levels = linked.outcomes[swapped].best().unwrap().levels;
    assert_eq!(
        (levels.surname, levels.forenames),
        (
            compare::SurnameLevel::Swapped,
            compare::ForenameLevel::Swapped
        )
    );
}

#[test]
fn the_second_pass_decides_as_linking_from_scratch_against_the_widened_roster() {
    let (policy, data) = generated_force(3_000, 5);
    let mut engine = Engine::new(&policy.linking, &data.persons, &data.vetting);
    let linked = engine.link(&|| {});
    assert!(linked.stats.widened > 0 && linked.stats.rescored > 0);
    // A record that ends unlinked was unlinked after the first pass too, so the second
    // pass decided it; from scratch (full index plus widened index, widened roster) it
    // must come out the same.
    let mut scratch = Scratch::default();
    let mut checked = 0;
    for (vi, outcome) in linked.outcomes.iter().enumerate() {
        if outcome.linked_person().is_none() {
            assert_eq!(&engine.link_one(vi, &mut scratch).0, outcome, "record {vi}");
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(6))]
    /// Any generated force, any thread count, either record order: the same links.
    #[test]
    fn links_are_deterministic_on_generated_forces(seed in 0u64..10_000, threads in 2usize..5) {
        let (policy, data) = generated_force(400, seed);
        let run = |n: usize, vetting: &[VettingRecord]| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap();
            pool.install(|| link(&policy.linking, &data.persons, vetting, &|| {}))
        };
        let one = run(1, &data.vetting);
        let many = run(threads, &data.vetting);
        proptest::prop_assert_eq!(&one, &many);
        let reversed: Vec<VettingRecord> = data.vetting.iter().rev().cloned().collect();
        let mut back = run(threads, &reversed).outcomes;
        back.reverse();
        proptest::prop_assert_eq!(&one.outcomes, &back);
    }
}

/// A slip from a common surname is worth less than a slip from a rare one, and
/// never more than the level's own bits.
#[test]
fn a_typo_in_a_common_name_counts_for_less() {
    let mut w = lone_world();
    for i in 0..300 {
        w.persons[i * 7].surname = "Smith".into();
    }
    let record = |w: &mut crate::testkit::World, person: usize, surname: &str| {
        let vi = own_record(w, person);
        w.vetting[vi].surname = surname.into();
        vi
    };
    let rare_name = surname_of(5_001);
    // One letter dropped from each: "Smth", and the rare name less its last letter.
    let common = record(&mut w, 7, "Smth");
    let rare = record(&mut w, 5_001, &rare_name[..rare_name.len() - 1]);
    let policy = LinkPolicy::build(&RawConfig::default().linking).unwrap();
    let engine = Engine::new(&policy, &w.persons, &w.vetting);
    let bits = |pi: usize, vi: usize| {
        let x = engine.explain(pi, vi);
        assert_eq!(x.levels.surname, compare::SurnameLevel::Typo);
        x.fields[0].bits
    };
    // The night's table: the policy's, with tonight's learnt m (`learn`).
    let table = engine
        .scorer
        .weights()
        .get(weights::SURNAME, compare::SurnameLevel::Typo as usize);
    let (c, r) = (bits(7, common), bits(5_001, rare));
    assert!(c < r - 2.0, "common {c}, rare {r}");
    assert!(
        (r - table).abs() < 1e-9,
        "a rare name's slip keeps the table's {table}: {r}"
    );
}

/// On a roster where people with the same names are often born a digit apart
/// (families), a record whose names agree exactly and whose date is one digit out is a
/// likelier look-alike than u says: the night measures that on the roster and the
/// record's posterior comes down; without the measurement it would not.
#[test]
fn lookalikes_the_roster_shows_lower_a_lone_look_alikes_posterior() {
    use chrono::Datelike;
    let mut w = lone_world();
    let one_digit = |d: chrono::NaiveDate| {
        let y = if d.year() % 10 == 9 {
            d.year() - 1
        } else {
            d.year() + 1
        };
        // 29 February has no twin in the next year: the 28th is one digit out too.
        d.with_year(y).unwrap_or(d - chrono::Days::new(1))
    };
    // 1,500 families of two among the first 3,000 people.
    for i in 0..1_500 {
        let (a, b) = (2 * i, 2 * i + 1);
        w.persons[b].surname = w.persons[a].surname.clone();
        w.persons[b].forenames = w.persons[a].forenames.clone();
        w.persons[b].date_of_birth = one_digit(w.persons[a].date_of_birth);
    }
    let target = 4_001;
    let vi = own_record(&mut w, target);
    w.vetting[vi].date_of_birth = one_digit(w.persons[target].date_of_birth);
    let posterior = |lookalikes: bool| {
        let mut raw = RawConfig::default().linking;
        raw.lookalikes = lookalikes;
        let policy = LinkPolicy::build(&raw).unwrap();
        let engine = Engine::new(&policy, &w.persons, &w.vetting);
        let (scored, _) = engine.posteriors(vi);
        let best = scored.first().expect("a candidate").clone();
        assert_eq!(best.person as usize, target);
        assert_eq!(best.levels.dob, compare::DobLevel::OneDigit);
        let taken = engine.explain_candidate(&best).lookalike;
        (best.probability, taken)
    };
    let (with, taken) = posterior(true);
    let (without, none) = posterior(false);
    assert_eq!(none, 0.0);
    assert!(taken > 1.0, "{taken} bits taken");
    assert!(with < without, "{with} against {without}");
}

/// PND returns are scored with the model the night learnt from its vetting
/// records (same m, u and look-alike corrections), not one learnt again from a handful of
/// returns, which would keep nearly the table's m.
#[test]
fn pnd_returns_take_the_nights_learnt_model() {
    let w = lone_world();
    let policy = LinkPolicy::build(&RawConfig::default().linking).unwrap();
    let night = Engine::new(&policy, &w.persons, &w.vetting);
    let model = night.model();
    assert!(model.learnt.is_some());
    let returns = &w.vetting[..5];
    let pnd = Engine::with_model(&policy, &w.persons, returns, &model);
    assert_eq!(pnd.scorer.weights(), night.scorer.weights());
    assert_eq!(pnd.scorer.lookalikes(), night.scorer.lookalikes());
    // Learnt again from five returns, m would stay near the table's: the night's differs.
    let alone = Engine::new(&policy, &w.persons, returns);
    assert_ne!(alone.scorer.weights(), night.scorer.weights());
}

/// Once the first pass's links have widened the roster with the other surnames
/// they taught, the second pass scores with m learnt again against the widened roster. Of
/// 400 people whose only record has a surname HR does not hold, 300 have a newer record
/// listing it: after widening those grade `previous`, so the m of `different` falls and
/// the m of `previous` rises. Every pair is explained by the model that scored it, so each
/// explanation adds up to the weight that decided.
#[test]
fn second_pass_learns_m_again_against_the_widened_roster() {
    use super::weights::SURNAME;
    let mut w = lone_world();
    let mut maiden_records = Vec::new();
    for k in 0..400 {
        let person = k * 3 + 1;
        let maiden = format!("Old{}", surname_of(5_000 + k).to_lowercase());
        w.vetting[k].surname = maiden.clone();
        maiden_records.push((k, person));
        if k < 300 {
            let teacher = own_record(&mut w, person);
            w.vetting[teacher].previous_surnames = vec![maiden];
        }
    }
    let policy = LinkPolicy::build(&RawConfig::default().linking).unwrap();
    let mut engine = Engine::new(&policy, &w.persons, &w.vetting);
    engine.keep_detail = Some(0.0);
    let linked = engine.link(&|| {});
    let first = engine
        .learnt
        .clone()
        .expect("m learnt before the first pass");
    let second = engine
        .learnt_widened
        .clone()
        .expect("m learnt again before the second pass");
    let m = |l: &learn::Learnt, level: compare::SurnameLevel| l.m[SURNAME][level as usize];
    let (diff, prev) = (
        compare::SurnameLevel::Different,
        compare::SurnameLevel::Previous,
    );
    assert!(
        m(&second, diff) < 0.7 * m(&first, diff),
        "different: {} then {}",
        m(&first, diff),
        m(&second, diff)
    );
    assert!(m(&second, prev) > 2.0 * m(&first, prev));
    // The taught records link in the second pass, as `previous`.
    for &(vi, person) in &maiden_records[..300] {
        let best = linked.outcomes[vi].best().expect("a candidate");
        assert_eq!(best.person as usize, person);
        assert_eq!(best.levels.surname, prev);
        assert!(best.second_pass && linked.detail[vi].second_pass);
    }
    // Each kept pair is explained by its own pass's model: both passes present.
    let mut passes = [0, 0];
    for (vi, d) in linked.detail.iter().enumerate() {
        for c in d.candidates.iter().chain(&linked.outcomes[vi].candidates) {
            let x = engine.explain_candidate(c);
            assert!((x.weight - c.weight).abs() < 1e-9, "{x:?} against {c:?}");
            passes[c.second_pass as usize] += 1;
        }
    }
    assert!(passes[0] > 0 && passes[1] > 0, "{passes:?}");
    // The model handed to the PND engine carries the second pass's weights.
    let model = engine.model();
    let (widened, learnt) = model.widened.expect("the second pass's model");
    assert_eq!(&widened, engine.scorer_of(true).weights());
    assert_eq!(learnt, second);
    assert_eq!(&model.weights, engine.scorer_of(false).weights());
    assert_ne!(model.weights, widened);
}

/// Two people on the roster with the same surname, first forename and date of
/// birth, one of them with a middle name. A record giving both forenames agrees with her
/// on the whole sequence (`full`, priced by how rare the sequence is) and with the other
/// on the first forename only, so it links to her; a record giving the first forename
/// alone cannot tell them apart and stays ambiguous (a missing middle name is no evidence).
#[test]
fn the_whole_forename_sequence_tells_two_namesakes_apart() {
    let mut w = lone_world();
    let (with_middle, without) = (100, 101);
    w.persons[with_middle].forenames = "Alex Morgan".into();
    w.persons[without].surname = w.persons[with_middle].surname.clone();
    w.persons[without].forenames = "Alex".into();
    w.persons[without].date_of_birth = w.persons[with_middle].date_of_birth;
    let both = own_record(&mut w, with_middle);
    let first_only = own_record(&mut w, without);

    let policy = LinkPolicy::build(&RawConfig::default().linking).unwrap();
    let mut engine = Engine::new(&policy, &w.persons, &w.vetting);
    let linked = engine.link(&|| {});
    let outcome = &linked.outcomes[both];
    assert_eq!(outcome.decision, Decision::AutoLink, "{outcome:?}");
    assert_eq!(outcome.linked_person(), Some(with_middle as u32));
    let full = engine.explain(with_middle, both);
    assert_eq!(full.levels.forenames, compare::ForenameLevel::Full);
    let first = engine.explain(without, both);
    assert_eq!(first.levels.forenames, compare::ForenameLevel::Exact);
    // The sequence is carried by two records of about 8,000; "Alex" by a quarter of them.
    let tf = full.fields[1]
        .term_frequency
        .expect("term frequency of the sequence");
    assert!(tf < 0.001, "{tf}");
    assert!(full.fields[1].bits > first.fields[1].bits + policy.ambiguity_margin);
    assert_eq!(linked.outcomes[first_only].decision, Decision::Ambiguous);

    // A rare first name, always given with the same middle name: the sequence is hardly
    // rarer than the name, but agreeing on every forename still never counts for less
    // than agreeing on the first, so the namesake without the middle name is never
    // ranked first.
    let mut w = lone_world();
    w.persons[with_middle].forenames = "Zebedee Morgan".into();
    w.persons[without].surname = w.persons[with_middle].surname.clone();
    w.persons[without].forenames = "Zebedee".into();
    w.persons[without].date_of_birth = w.persons[with_middle].date_of_birth;
    let both = own_record(&mut w, with_middle);
    let mut engine = Engine::new(&policy, &w.persons, &w.vetting);
    let linked = engine.link(&|| {});
    let best = linked.outcomes[both].best().expect("a candidate");
    assert_eq!(
        best.person as usize, with_middle,
        "{:?}",
        linked.outcomes[both]
    );
    let (full, first) = (
        engine.explain(with_middle, both),
        engine.explain(without, both),
    );
    assert_eq!(full.levels.forenames, compare::ForenameLevel::Full);
    // Here the sequence alone would price below the first name, so `full` is held at the
    // first forename's bits, and explain names the share that priced it: the first
    // forename's, not the sequence's.
    assert_eq!(full.fields[1].bits, first.fields[1].bits);
    assert!(first.fields[1].term_frequency.is_some());
    assert_eq!(
        full.fields[1].term_frequency,
        first.fields[1].term_frequency
    );
}

#[test]
fn released_blocking_keeps_every_explanation_and_refuses_to_block_again() {
    let (policy, data) = demo();
    let mut engine = Engine::new(&policy.linking, &data.persons, &data.vetting);
    let linked = engine.link(&|| {});
    let pairs: Vec<&Candidate> = linked
        .outcomes
        .iter()
        .flat_map(|o| o.candidates.iter())
        .collect();
    assert!(!pairs.is_empty());
    let before: Vec<String> = pairs
        .iter()
        .map(|c| format!("{:?}", engine.explain_candidate(c)))
        .collect();
    engine.release_blocking();
    let after: Vec<String> = pairs
        .iter()
        .map(|c| format!("{:?}", engine.explain_candidate(c)))
        .collect();
    assert_eq!(before, after);
    let blocked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        engine.block(0, &mut Scratch::default())
    }));
    assert!(
        blocked.is_err(),
        "blocking after release must not pass silently"
    );
}

/// `n` people who share one name and date of birth (no NI number), among 200 others, and
/// one record of that identity.
fn twins_world(n: usize) -> crate::testkit::World {
    let mut w = crate::testkit::World::new();
    for i in 0..200 + n {
        let pi = w.staff("RVPOST") as usize;
        let p = &mut w.persons[pi];
        if i < 200 {
            p.surname = surname_of(i);
            p.forenames = ["Alex", "Sam", "Jo", "Kit"][i % 4].into();
            p.date_of_birth = crate::testkit::d("1950-01-01") + chrono::Days::new(i as u64 * 37);
        } else {
            p.surname = "Okonkwo".into();
            p.forenames = "Grace".into();
            p.date_of_birth = crate::testkit::d("1985-06-15");
        }
    }
    own_record(&mut w, 200);
    w
}

/// However many people agree with a record exactly, the record is theirs to choose between
/// (ambiguous), never no one's: not when each one's share of it falls below the contention
/// floor (twenty and more), not when term frequencies and look-alikes leave each worth
/// nothing, and not when there are more of them than a blocking block lists.
#[test]
fn a_record_that_many_people_agree_with_exactly_is_ambiguous_never_no_match() {
    use super::block::MAX_BLOCK;
    for n in [2, 12, 20, 60, MAX_BLOCK + 1] {
        let w = twins_world(n);
        let linked = link(&w.policy.linking, &w.persons, &w.vetting, &|| {});
        let out = &linked.outcomes[0];
        assert_eq!(out.decision, Decision::Ambiguous, "{n} people");
        assert_eq!(out.candidates.len(), n.min(MAX_BLOCK), "{n} people");
        assert!(
            out.candidates.iter().all(|c| c.person >= 200),
            "{n} people: only the twins"
        );
    }
}

/// A record that more people share a key with than a block lists is never linked without a
/// human, even to the one whose NI number it carries: someone blocking did not list may
/// match as well.
#[test]
fn a_record_whose_block_was_cut_goes_to_review_not_auto_link() {
    use super::block::MAX_BLOCK;
    let mut w = twins_world(MAX_BLOCK + 1);
    let last = w.persons.len() - 1;
    w.persons[last].ni_number = Some("TR942354C".into());
    w.vetting[0].ni_number = Some("TR942354C".into());
    let linked = link(&w.policy.linking, &w.persons, &w.vetting, &|| {});
    let out = &linked.outcomes[0];
    assert_eq!(out.decision, Decision::Review);
    assert_eq!(out.candidates[0].person as usize, last);
    // With a roster small enough to list, the NI number links it.
    let mut w = twins_world(3);
    let last = w.persons.len() - 1;
    w.persons[last].ni_number = Some("TR942354C".into());
    w.vetting[0].ni_number = Some("TR942354C".into());
    let linked = link(&w.policy.linking, &w.persons, &w.vetting, &|| {});
    assert_eq!(linked.outcomes[0].decision, Decision::AutoLink);
    assert_eq!(linked.outcomes[0].candidates[0].person as usize, last);
}

/// m, u and `tf_minimum_u` below 1e-9 would give one field more bits than the posterior's
/// sums can hold: refused, naming the key.
#[test]
fn probabilities_too_small_for_the_arithmetic_are_refused() {
    let mut raw = RawConfig::default().linking;
    raw.tf_minimum_u = 1e-300;
    let e = LinkPolicy::build(&raw).unwrap_err();
    assert!(
        e.starts_with("linking.tf_minimum_u must be at least 1e-9"),
        "{e}"
    );
    let mut raw = RawConfig::default().linking;
    raw.weights
        .get_mut("ni_number")
        .unwrap()
        .get_mut("exact")
        .unwrap()
        .u = 1e-12;
    let e = LinkPolicy::build(&raw).unwrap_err();
    assert!(
        e.starts_with("linking.weights.ni_number.exact.u must be between 1e-9 and 1, got 1e-12"),
        "{e}"
    );
    // The floor itself is accepted.
    let mut raw = RawConfig::default().linking;
    raw.weights
        .get_mut("ni_number")
        .unwrap()
        .get_mut("exact")
        .unwrap()
        .u = 1e-9;
    raw.tf_minimum_u = 1e-9;
    assert!(LinkPolicy::build(&raw).is_ok());
}
