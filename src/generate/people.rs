//! The true workforce: posts, and the people who hold them, as HR knows them.

use super::names::{self, Origin};
use super::noise::Noise;
use chrono::{Duration, NaiveDate};
use rand::Rng;

/// A post in the register. `required` is the level the post needs (MV for designated posts).
#[derive(Debug, Clone)]
pub struct GeneratedPost {
    pub post_id: String,
    pub title: String,
    pub department: String,
    pub required: &'static str,
    pub designated: bool,
    pub vulnerable_contact: bool,
    /// Posts for contractors (NPPV levels); other posts are for officers and staff.
    pub contractor: bool,
}

/// One real person, as they truly are.
#[derive(Debug, Clone)]
pub struct Identity {
    pub employee_id: String,
    pub surname: String,
    /// Surname before marriage, if it changed.
    pub maiden: Option<String>,
    /// HR lists the maiden name in previous_surnames.
    pub hr_lists_maiden: bool,
    pub first: String,
    pub middle: Option<String>,
    pub female: bool,
    pub origin: Origin,
    pub dob: NaiveDate,
    pub ni: String,
    /// HR holds the NI number.
    pub hr_has_ni: bool,
    pub role: &'static str,
    /// Index into the post list; None when HR gives a post that is not in the register.
    pub post: Option<usize>,
    pub unknown_post_id: Option<String>,
    pub status: &'static str,
    pub post_start: NaiveDate,
    pub leaving_date: Option<NaiveDate>,
}

impl Identity {
    pub fn forenames(&self) -> String {
        match &self.middle {
            Some(m) => format!("{} {m}", self.first),
            None => self.first.clone(),
        }
    }
}

const DEPARTMENTS: &[(&str, &str)] = &[
    ("Response", "Response officer"),
    ("Neighbourhood", "Neighbourhood officer"),
    ("CID", "Detective constable"),
    ("Public Protection", "Safeguarding investigator"),
    ("Custody", "Detention officer"),
    ("Contact Centre", "Call handler"),
    ("Intelligence", "Intelligence analyst"),
    ("Professional Standards", "Investigator"),
    ("Finance", "Finance officer"),
    ("Counter Terrorism", "CT officer"),
    ("IT", "Systems engineer"),
    ("Estates", "Facilities contractor"),
];

/// The post register: about one post per 15 people, at least 30.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub fn posts<R: Rng>(rng: &mut R, people: usize) -> Vec<GeneratedPost> {
    let n = (people / 15).max(30);
    (0..n)
        .map(|i| {
            let (department, title) = DEPARTMENTS[i % DEPARTMENTS.len()];
            let contractor = matches!(department, "Estates" | "IT") && rng.random_bool(0.5);
            let designated = !contractor
                && (matches!(
                    department,
                    "Intelligence" | "Professional Standards" | "Finance"
                ) || rng.random_bool(0.05));
            let required = if contractor {
                if rng.random_bool(0.3) {
                    "NPPV3"
                } else {
                    "NPPV2"
                }
            } else if designated {
                "MV"
            } else if department == "Counter Terrorism" {
                if rng.random_bool(0.5) {
                    "SC"
                } else {
                    "CTC"
                }
            } else if rng.random_bool(0.06) {
                "MV"
            } else {
                "RV"
            };
            GeneratedPost {
                post_id: format!("P{:05}", i + 1),
                title: format!("{title} {}", i / DEPARTMENTS.len() + 1),
                department: department.to_string(),
                required,
                designated,
                vulnerable_contact: matches!(department, "Public Protection" | "Custody")
                    || rng.random_bool(0.05),
                contractor,
            }
        })
        .collect()
}

const NI_PREFIX: &[u8] = b"ABCEGHJKLMNPRSTWXYZ";

#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn ni<R: Rng>(rng: &mut R) -> String {
    let a = NI_PREFIX[rng.random_range(0..NI_PREFIX.len())] as char;
    let b = NI_PREFIX[rng.random_range(0..NI_PREFIX.len())] as char;
    let suffix = b"ABCD"[rng.random_range(0..4)] as char;
    format!("{a}{b}{:06}{suffix}", rng.random_range(0..1_000_000))
}

fn role<R: Rng>(rng: &mut R) -> &'static str {
    let u: f64 = rng.random();
    match u {
        x if x < 0.55 => "officer",
        x if x < 0.88 => "staff",
        x if x < 0.92 => "special",
        x if x < 0.96 => "pcso",
        x if x < 0.98 => "volunteer",
        _ => "contractor",
    }
}

/// A new person, drawn from the name pools. Ages 18 to 67 on the as-of date.
#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub fn person<R: Rng>(rng: &mut R, as_of: NaiveDate, posts: &[GeneratedPost]) -> Identity {
    let origin = names::origin(rng);
    let female = rng.random_bool(0.45);
    let age_days = rng.random_range(18 * 365 + 5..67 * 365);
    let dob = as_of - Duration::days(age_days);
    let surname = {
        let s = names::surname(rng, origin);
        if origin == Origin::British && rng.random_bool(0.02) {
            format!("{s}-{}", names::surname(rng, origin))
        } else {
            s
        }
    };
    let maiden = (female && age_days > 25 * 365 && rng.random_bool(0.3))
        .then(|| {
            let o = names::origin(rng);
            names::surname(rng, o)
        })
        .filter(|m| *m != surname);
    let first = names::forename(rng, origin, female);
    let middle = rng
        .random_bool(0.4)
        .then(|| names::forename(rng, origin, female))
        .filter(|m| *m != first);
    let role = role(rng);
    let contractor = role == "contractor";
    // Posts alternate departments, so a few draws find one of the right kind quickly.
    let mut post = rng.random_range(0..posts.len());
    for _ in 0..64 {
        if posts[post].contractor == contractor {
            break;
        }
        post = rng.random_range(0..posts.len());
    }
    let status = match rng.random::<f64>() {
        x if x < 0.02 => "suspended",
        x if x < 0.04 => "career_break",
        _ => "active",
    };
    let service_days = rng.random_range(30..(age_days - 18 * 365).max(31));
    Identity {
        employee_id: String::new(),
        surname,
        maiden,
        hr_lists_maiden: false,
        first,
        middle,
        female,
        origin,
        dob,
        ni: ni(rng),
        hr_has_ni: true,
        role,
        post: Some(post),
        unknown_post_id: None,
        status,
        post_start: as_of - Duration::days(service_days.min(rng.random_range(30..3650))),
        leaving_date: None,
    }
}

/// A hard negative: another roster person who shares a name and a date of birth with `of`
/// (same forename too unless `twin`, in which case the forename differs).
pub fn double<R: Rng>(
    rng: &mut R,
    of: &Identity,
    twin: bool,
    as_of: NaiveDate,
    posts: &[GeneratedPost],
) -> Identity {
    let mut p = person(rng, as_of, posts);
    p.surname = of.surname.clone();
    p.dob = of.dob;
    p.origin = of.origin;
    p.maiden = None;
    if twin {
        while p.first == of.first {
            p.first = names::forename(rng, of.origin, p.female);
        }
    } else {
        p.first = of.first.clone();
        p.female = of.female;
        p.middle = None;
    }
    p
}

/// The NI numbers and dates a later stage needs, drawn here to keep one source of randomness.
pub fn random_ni<R: Rng>(rng: &mut R) -> String {
    ni(rng)
}

/// HR's own record-keeping for a person: whether the maiden name is listed, whether the NI
/// number is held.
pub fn hr_view<R: Rng>(rng: &mut R, p: &mut Identity, noise: &Noise) {
    p.hr_lists_maiden = p.maiden.is_some() && rng.random_bool(noise.previous_surname_recorded);
    p.hr_has_ni = !rng.random_bool(noise.hr_ni_missing);
}
