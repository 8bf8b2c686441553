//! End-to-end linking benchmark on a synthetic force built from true identities.
//!
//! `cargo bench --bench link` (sizes via VETRECON_BENCH_PEOPLE, default 100000; vetting
//! records are 1.25x people). Prints time, candidate pairs, and precision / recall of the
//! automatic links against the true identities the generator kept. No external harness:
//! one end-to-end measurement is what the README publishes.

use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::time::Instant;
use vetrecon::config::{raw::RawConfig, Policy};
use vetrecon::link::{self, Decision};
use vetrecon::model::{EmploymentStatus, Person, RoleType, VettingRecord, VettingStatus};

/// Small deterministic generator (SplitMix64): no dependency, same data every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 1_000_000) as f64 / 1_000_000.0 < p
    }
}

const SYLLABLES: &[&str] = &[
    "an", "ber", "cal", "dor", "el", "fin", "gar", "hol", "ing", "jon", "kel", "lam", "mor", "nes",
    "ol", "par", "quin", "ros", "sten", "tor", "ul", "ven", "wes", "yat", "zel", "ash", "bry",
    "cro", "dun", "ett",
];
const FORENAMES: &[&str] = &[
    "James",
    "John",
    "Robert",
    "Michael",
    "William",
    "David",
    "Richard",
    "Joseph",
    "Thomas",
    "Charles",
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "Barbara",
    "Susan",
    "Jessica",
    "Sarah",
    "Karen",
    "Daniel",
    "Matthew",
    "Anthony",
    "Mark",
    "Paul",
    "Steven",
    "Andrew",
    "Joshua",
    "Emily",
    "Hannah",
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mohammed",
    "Aisha",
    "Priya",
    "Oliver",
    "Harry",
    "George",
    "Noah",
    "Jack",
    "Leo",
    "Oscar",
    "Grace",
    "Lily",
    "Freya",
    "Sophie",
    "Chloe",
    "Ella",
    "Zara",
    "Imran",
    "Tariq",
    "Fatima",
    "Niamh",
    "Siobhan",
];

fn surname(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut s: String = (0..n)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect();
    s[..1].make_ascii_uppercase();
    s
}

fn typo(rng: &mut Rng, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    if c.len() > 3 {
        let i = 1 + rng.below(c.len() - 2);
        c.swap(i, i + 1);
    }
    c.into_iter().collect()
}

fn main() {
    let people: usize = std::env::var("VETRECON_BENCH_PEOPLE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let policy = Policy::build(&RawConfig::default()).unwrap();
    let mut rng = Rng(20261124);
    let base = NaiveDate::from_ymd_opt(1955, 1, 1).unwrap();
    let rv = policy.levels.parse("RV").unwrap();
    let mut persons = Vec::with_capacity(people);
    for i in 0..people {
        persons.push(Person {
            employee_id: format!("E{i:07}"),
            surname: surname(&mut rng),
            forenames: FORENAMES[rng.below(FORENAMES.len())].to_string(),
            previous_surnames: vec![],
            date_of_birth: base + chrono::Duration::days(rng.below(365 * 48) as i64),
            ni_number: None,
            post_id: Some("P1".into()),
            role_type: RoleType::Staff,
            force: None,
            post_start_date: None,
            status: EmploymentStatus::Active,
            leaving_date: None,
            line: i as u64 + 2,
        });
    }
    // 80% of people have a record (some with noise); plus 25% of people's worth of strangers.
    let mut vetting = Vec::new();
    let mut truth = Vec::new();
    let mut record = |surname: String, forenames: String, dob: NaiveDate, who: Option<usize>| {
        let i = vetting.len();
        vetting.push(VettingRecord {
            vetting_ref: format!("V{i:08}"),
            surname,
            forenames,
            previous_surnames: vec![],
            date_of_birth: dob,
            ni_number: None,
            employee_id_hint: None,
            level: rv,
            status: VettingStatus::Granted,
            decision_date: None,
            expiry_date: None,
            adverse_info: false,
            rationale_recorded: false,
            risk_mitigation: false,
            protected: BTreeMap::new(),
            line: i as u64 + 2,
        });
        truth.push(who);
    };
    for (i, p) in persons.iter().enumerate() {
        if !rng.chance(0.8) {
            continue;
        }
        let mut s = p.surname.clone();
        let mut d = p.date_of_birth;
        if rng.chance(0.05) {
            s = typo(&mut rng, &s);
        }
        if rng.chance(0.03) {
            d += chrono::Duration::days(365);
        }
        record(s, p.forenames.clone(), d, Some(i));
    }
    for _ in 0..people / 4 {
        let s = surname(&mut rng);
        let f = FORENAMES[rng.below(FORENAMES.len())].to_string();
        record(
            s,
            f,
            base + chrono::Duration::days(rng.below(365 * 48) as i64),
            None,
        );
    }

    let started = Instant::now();
    let links = link::link(&policy.linking, &persons, &vetting, &|| {});
    let secs = started.elapsed().as_secs_f64();
    let (mut tp, mut fp, mut review, mut ambiguous) = (0usize, 0usize, 0usize, 0usize);
    for (l, t) in links.iter().zip(&truth) {
        match l.decision {
            Decision::AutoLink if l.linked_person().map(|p| p as usize) == *t => tp += 1,
            Decision::AutoLink => fp += 1,
            Decision::Review => review += 1,
            Decision::Ambiguous => ambiguous += 1,
            Decision::NoMatch => {}
        }
    }
    let true_links = truth.iter().filter(|t| t.is_some()).count();
    println!(
        "people={people} vetting={} link_seconds={secs:.2} records_per_second={:.0}",
        vetting.len(),
        vetting.len() as f64 / secs
    );
    println!(
        "auto_links={} precision={:.5} recall={:.5} review={review} ambiguous={ambiguous}",
        tp + fp,
        tp as f64 / (tp + fp).max(1) as f64,
        tp as f64 / true_links.max(1) as f64
    );
}
