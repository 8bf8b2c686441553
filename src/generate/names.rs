//! Name pools that look like a UK police workforce.
//!
//! Surnames and forenames are drawn per origin (British, Irish, Scottish Mc/Mac, South
//! Asian, Polish, West African, Chinese, other), each list in rough frequency order and
//! sampled with a Zipf-like weight, so that a few names are very common (Smith, Patel,
//! Khan) and there is a long tail. A share of British surnames is composed from roots and
//! endings (Ashworth, Bradshaw) to give the thousands of rare surnames a real force has.

use rand::Rng;

/// Where a name comes from, with its share of the workforce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    British,
    Irish,
    Scottish,
    SouthAsian,
    Polish,
    WestAfrican,
    Chinese,
    Other,
}

const ORIGINS: &[(Origin, f64)] = &[
    (Origin::British, 0.66),
    (Origin::Irish, 0.07),
    (Origin::Scottish, 0.05),
    (Origin::SouthAsian, 0.09),
    (Origin::Polish, 0.04),
    (Origin::WestAfrican, 0.04),
    (Origin::Chinese, 0.02),
    (Origin::Other, 0.03),
];

const BRITISH: &[&str] = &[
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Dixon",
    "Fletcher",
    "Howard",
    "Gibson",
    "Ellison",
    "Pearson",
    "Spencer",
    "Lawrence",
    "Hudson",
    "Hunter",
    "Holt",
    "Fox",
    "Cartwright",
    "Atkinson",
    "Burton",
    "Dawson",
    "Hartley",
    "Pickering",
    "Fairclough",
    "Greenhalgh",
    "Ramsbottom",
    "Featherstone",
    "Ormerod",
    "Haworth",
    "Sutcliffe",
    "Ackroyd",
    "Whitehead",
    "Brooks",
    "Chambers",
    "Booth",
    "Horton",
    "Knowles",
    "Leach",
    "Marsden",
    "Pollard",
    "Rowe",
    "Slater",
    "Thornton",
    "Tyler",
    "Vaughan",
    "Wade",
    "Yates",
    "Abbott",
    "Blackburn",
    "Crossley",
    "Dyson",
    "Eastwood",
    "Firth",
    "Gaskell",
];

const ROOTS: &[&str] = &[
    "Ash", "Brad", "Black", "Brook", "Crom", "Dun", "Elm", "Fair", "Green", "Hal", "Hart", "Hol",
    "Kings", "Lang", "Mar", "Nor", "Old", "Pen", "Red", "Ross", "Shel", "Stan", "Thorn", "Wal",
    "Wey", "Whit", "Wins", "Wood", "Al", "Bar", "Bur", "Chad", "Clay", "Cress", "Dal", "Ed", "Fen",
    "Gil", "Had", "Hen", "Ing", "Kir", "Lid", "Mid", "Net", "Ox", "Pres", "Rad", "Sal", "Sand",
    "Scar", "Stock", "Sut", "Tat", "Ux", "Wark", "Wes", "Wig", "Yar", "Buck",
];

const ENDINGS: &[&str] = &[
    "worth", "shaw", "ley", "ton", "field", "ford", "ham", "by", "well", "wood", "more", "bridge",
    "stone", "combe", "hurst", "dale", "wick", "thorpe", "land", "brook", "cliffe", "croft", "den",
    "lock", "mere", "stead", "wright", "man", "er", "ington",
];

const IRISH: &[&str] = &[
    "Murphy",
    "Kelly",
    "O'Sullivan",
    "Walsh",
    "O'Brien",
    "Byrne",
    "Ryan",
    "O'Connor",
    "O'Neill",
    "O'Reilly",
    "Doyle",
    "McCarthy",
    "Gallagher",
    "O'Doherty",
    "Kennedy",
    "Lynch",
    "Murray",
    "Quinn",
    "Moore",
    "McLaughlin",
    "O'Carroll",
    "Connolly",
    "Daly",
    "O'Connell",
    "Dunne",
    "Brennan",
    "Burke",
    "Collins",
    "Flanagan",
    "Fitzgerald",
    "O'Mahony",
    "Nolan",
    "Keane",
    "Hegarty",
    "Ni Bhriain",
    "Mac Giolla",
];

const SCOTTISH: &[&str] = &[
    "MacDonald",
    "McDonald",
    "Campbell",
    "Stewart",
    "MacLeod",
    "McLeod",
    "MacKenzie",
    "McKenzie",
    "Robertson",
    "Reid",
    "Ross",
    "MacKay",
    "McKay",
    "Fraser",
    "MacGregor",
    "McGregor",
    "Ferguson",
    "MacLean",
    "McLean",
    "Buchanan",
    "Murray",
    "Sinclair",
    "Grant",
    "Mackintosh",
    "McIntosh",
    "MacPherson",
    "Cameron",
    "Munro",
    "Douglas",
    "Gordon",
];

const SOUTH_ASIAN: &[&str] = &[
    "Patel",
    "Khan",
    "Ahmed",
    "Ali",
    "Hussain",
    "Singh",
    "Shah",
    "Begum",
    "Rahman",
    "Akhtar",
    "Iqbal",
    "Mahmood",
    "Chaudhry",
    "Kaur",
    "Sharma",
    "Mistry",
    "Parmar",
    "Islam",
    "Malik",
    "Bibi",
    "Miah",
    "Uddin",
    "Javed",
    "Aslam",
    "Sandhu",
    "Gill",
    "Sidhu",
    "Dhillon",
    "Kumar",
    "Desai",
    "Joshi",
    "Mehta",
    "Choudhury",
    "Hossain",
    "Qureshi",
    "Butt",
    "Rashid",
    "Nawaz",
    "Sheikh",
    "Bhatti",
    "Anwar",
    "Raza",
    "Lal",
    "Gupta",
    "Reddy",
    "Nair",
    "Pillai",
    "D'Souza",
];

const POLISH: &[&str] = &[
    "Nowak",
    "Kowalski",
    "Kowalska",
    "Wiśniewski",
    "Wisniewska",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
    "Kwiatkowski",
    "Krawczyk",
    "Piotrowski",
    "Grabowski",
    "Nowakowski",
    "Pawłowski",
    "Michalski",
    "Wróbel",
    "Zając",
    "Król",
    "Wieczorek",
    "Jabłoński",
    "Majewski",
];

const WEST_AFRICAN: &[&str] = &[
    "Okafor", "Adeyemi", "Mensah", "Owusu", "Boateng", "Okonkwo", "Adebayo", "Asante", "Danso",
    "Appiah", "Nwosu", "Eze", "Ogunleye", "Oyelaran", "Afolabi", "Adewale", "Oduya", "Osei",
    "Agyeman", "Amoah", "Obi", "Chukwu", "Ibrahim", "Bello", "Balogun", "Akinola", "Olawale",
    "Nkemelu", "Oladipo", "Quaye", "Sesay", "Kamara", "Conteh", "Bangura",
];

const CHINESE: &[&str] = &[
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Chan", "Wong",
    "Lee", "Cheung", "Lam", "Ng", "Ho", "Leung", "Tang", "Lau", "Yip", "Tsang", "Fung",
];

const OTHER: &[&str] = &[
    "Silva",
    "Santos",
    "Ferreira",
    "Rossi",
    "Müller",
    "Nguyen",
    "Kim",
    "Ahmadi",
    "Yilmaz",
    "Dimitrov",
    "Popescu",
    "Kovács",
    "Novák",
    "Petrov",
    "García",
    "Rodríguez",
    "Fernandes",
    "Costa",
    "Andersson",
    "Jansen",
    "De Jong",
    "Van der Berg",
    "Abdullah",
    "Hassan",
    "Mohamed",
    "Osman",
    "Farah",
    "Warsame",
    "Papadopoulos",
    "Georgiou",
    "Demir",
    "Kaya",
    "Le",
    "Tran",
];

/// Forenames per origin group: (female, male), each in rough frequency order.
const F_BRITISH: &[&str] = &[
    "Sarah",
    "Emma",
    "Claire",
    "Laura",
    "Rebecca",
    "Katherine",
    "Elizabeth",
    "Rachel",
    "Helen",
    "Nicola",
    "Joanne",
    "Victoria",
    "Jennifer",
    "Amy",
    "Hannah",
    "Charlotte",
    "Samantha",
    "Louise",
    "Lisa",
    "Michelle",
    "Kelly",
    "Gemma",
    "Stephanie",
    "Jessica",
    "Sophie",
    "Lucy",
    "Alexandra",
    "Margaret",
    "Susan",
    "Deborah",
    "Abigail",
    "Christine",
    "Catherine",
    "Rosemary",
    "Patricia",
    "Siobhan",
    "Niamh",
    "Aoife",
    "Fiona",
    "Morag",
    "Eilidh",
    "Megan",
    "Chloe",
    "Olivia",
    "Grace",
    "Ellie",
    "Jacqueline",
    "Kimberley",
];
const M_BRITISH: &[&str] = &[
    "David",
    "James",
    "John",
    "Michael",
    "Paul",
    "Andrew",
    "Mark",
    "Richard",
    "Daniel",
    "Christopher",
    "Robert",
    "Stephen",
    "Matthew",
    "Thomas",
    "William",
    "Peter",
    "Anthony",
    "Simon",
    "Jonathan",
    "Benjamin",
    "Samuel",
    "Alexander",
    "Joseph",
    "Edward",
    "Gareth",
    "Craig",
    "Lee",
    "Darren",
    "Wayne",
    "Jamie",
    "Ryan",
    "Adam",
    "Liam",
    "Sean",
    "Ciaran",
    "Declan",
    "Callum",
    "Ross",
    "Gregor",
    "Hamish",
    "Oliver",
    "Harry",
    "Jack",
    "George",
    "Nicholas",
    "Timothy",
    "Philip",
    "Kenneth",
];
const F_SOUTH_ASIAN: &[&str] = &[
    "Aisha", "Fatima", "Priya", "Sana", "Ayesha", "Nadia", "Shazia", "Amandeep", "Harpreet",
    "Simran", "Anjali", "Pooja", "Zainab", "Maryam", "Rubina", "Nasreen", "Farzana", "Sunita",
];
const M_SOUTH_ASIAN: &[&str] = &[
    "Mohammed", "Muhammad", "Imran", "Tariq", "Asif", "Zubair", "Raj", "Sanjay", "Amit", "Vikram",
    "Harjit", "Gurpreet", "Sandeep", "Bilal", "Usman", "Adnan", "Kamran", "Faisal",
];
const F_POLISH: &[&str] = &[
    "Anna",
    "Katarzyna",
    "Magdalena",
    "Agnieszka",
    "Joanna",
    "Małgorzata",
    "Ewa",
    "Monika",
];
const M_POLISH: &[&str] = &[
    "Piotr",
    "Krzysztof",
    "Tomasz",
    "Paweł",
    "Michał",
    "Marcin",
    "Łukasz",
    "Jakub",
    "Wojciech",
];
const F_WEST_AFRICAN: &[&str] = &[
    "Abena",
    "Adwoa",
    "Ama",
    "Folake",
    "Funmilayo",
    "Ngozi",
    "Chiamaka",
    "Oluwaseun",
    "Yetunde",
    "Blessing",
    "Grace",
    "Comfort",
    "Abimbola",
    "Temitope",
];
const M_WEST_AFRICAN: &[&str] = &[
    "Kwame",
    "Kofi",
    "Kwabena",
    "Chinedu",
    "Emeka",
    "Oluwaseun",
    "Babatunde",
    "Olumide",
    "Tunde",
    "Ifeanyi",
    "Segun",
    "Ayodele",
    "Samuel",
    "Emmanuel",
];
const F_CHINESE: &[&str] = &[
    "Mei", "Xiaoling", "Li Na", "Wing", "Yan", "Jing", "Amy", "Grace",
];
const M_CHINESE: &[&str] = &[
    "Wei",
    "Jun",
    "Ming",
    "Hao",
    "Kevin",
    "Chi Keung",
    "Jian",
    "Tony",
];

/// Draw an index from `0..len` with weight 1 / (rank + 1)^0.9: a few common names, a long tail.
fn zipf<R: Rng>(rng: &mut R, len: usize) -> usize {
    // Inverse-transform sampling on the continuous approximation of the weights.
    let s = 0.9f64;
    let n = len as f64;
    let total = ((n + 1.0).powf(1.0 - s) - 1.0) / (1.0 - s);
    let u: f64 = rng.random::<f64>() * total;
    let x = (u * (1.0 - s) + 1.0).powf(1.0 / (1.0 - s)) - 1.0;
    (x as usize).min(len - 1)
}

pub fn origin<R: Rng>(rng: &mut R) -> Origin {
    let mut u: f64 = rng.random();
    for &(o, share) in ORIGINS {
        if u < share {
            return o;
        }
        u -= share;
    }
    Origin::British
}

#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
fn pick<R: Rng>(rng: &mut R, list: &[&str]) -> String {
    list[zipf(rng, list.len())].to_string()
}

#[allow(
    clippy::indexing_slicing,
    reason = "synthetic data: every position is drawn below the length of the list it indexes, or is an id this generator assigned"
)]
pub fn surname<R: Rng>(rng: &mut R, origin: Origin) -> String {
    match origin {
        Origin::British if rng.random_bool(0.45) => {
            let root = ROOTS[rng.random_range(0..ROOTS.len())];
            let end = ENDINGS[rng.random_range(0..ENDINGS.len())];
            format!("{root}{end}")
        }
        Origin::British => pick(rng, BRITISH),
        Origin::Irish => pick(rng, IRISH),
        Origin::Scottish => pick(rng, SCOTTISH),
        Origin::SouthAsian => pick(rng, SOUTH_ASIAN),
        Origin::Polish => pick(rng, POLISH),
        Origin::WestAfrican => pick(rng, WEST_AFRICAN),
        Origin::Chinese => pick(rng, CHINESE),
        Origin::Other => pick(rng, OTHER),
    }
}

pub fn forename<R: Rng>(rng: &mut R, origin: Origin, female: bool) -> String {
    let list = match (origin, female) {
        (Origin::SouthAsian, true) => F_SOUTH_ASIAN,
        (Origin::SouthAsian, false) => M_SOUTH_ASIAN,
        (Origin::Polish, true) => F_POLISH,
        (Origin::Polish, false) => M_POLISH,
        (Origin::WestAfrican, true) => F_WEST_AFRICAN,
        (Origin::WestAfrican, false) => M_WEST_AFRICAN,
        (Origin::Chinese, true) => F_CHINESE,
        (Origin::Chinese, false) => M_CHINESE,
        (_, true) => F_BRITISH,
        (_, false) => M_BRITISH,
    };
    pick(rng, list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use std::collections::HashMap;

    #[test]
    fn surnames_are_skewed_with_a_long_tail() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts: HashMap<String, usize> = HashMap::new();
        for _ in 0..50_000 {
            let o = origin(&mut rng);
            *counts.entry(surname(&mut rng, o)).or_default() += 1;
        }
        let smith = counts["Smith"];
        assert!(smith > 300, "Smith is common: {smith}");
        assert!(counts.len() > 1_500, "a long tail: {}", counts.len());
        assert!(counts.keys().any(|s| s.contains('\'')), "apostrophes");
        assert!(counts.keys().any(|s| s.starts_with("Mc")));
        assert!(counts.keys().any(|s| s.starts_with("Mac")));
    }
}
