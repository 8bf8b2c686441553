//! A generated force that drifts night after night the way a real workforce does, at a steady
//! rate: for the year-of-nights benchmark and the test that a night's cost does not grow with
//! the nights before it.
//!
//! Each night about `change` of the roster and of the vetting export moves, and every kind of
//! move is balanced so that the force's size and its mix of exceptions stay level from the
//! first night to the last (a drift that only ever adds lapsed records or twins would make
//! night 300 dearer than night 1 for reasons that have nothing to do with history):
//! - a third of the roster's changes are moves to another post;
//! - a third are leavers (status `leaver`, leaving date tonight), and as many of the oldest
//!   leavers drop off the roster, their vetting records archived with them;
//!   (a move is to a post needing the same level, as most moves are);
//! - a third are joiners: new people, with the vetting records they bring, taken in order
//!   from a spare force generated with another seed (new ids, so none clashes), each into
//!   a post needing the level their post in the spare force needed;
//! - the vetting changes are renewals of the clearances nearest their expiry (a new
//!   reference, decided tonight, for the same term as before), and one in twenty is a
//!   suspension, lifted 14 nights later.
//!
//! Everything is drawn from one seeded ChaCha8 generator in a fixed order, so the same force,
//! spare, seed and rate give the same nights.

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, VecDeque};
use std::io;
use std::path::Path;

/// Nights a suspension lasts before it is lifted.
const SUSPENDED_NIGHTS: usize = 14;
/// Renewals take the clearances nearest their expiry, from those that expired up to
/// `RENEW_AFTER_DAYS` ago to those expiring within `RENEW_BEFORE_DAYS`.
const RENEW_AFTER_DAYS: i64 = 30;
const RENEW_BEFORE_DAYS: i64 = 60;
/// One vetting change in this many is a suspension.
const SUSPEND_ONE_IN: usize = 20;

/// A CSV file as its header and rows of owned fields.
#[derive(Debug, Clone)]
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> io::Result<Table> {
        let mut r = csv::Reader::from_path(path).map_err(io::Error::other)?;
        let header = (r.headers().map_err(io::Error::other)?.iter())
            .map(String::from)
            .collect();
        let mut rows = Vec::new();
        for rec in r.records() {
            rows.push(
                rec.map_err(io::Error::other)?
                    .iter()
                    .map(String::from)
                    .collect(),
            );
        }
        Ok(Table { header, rows })
    }

    fn col(&self, name: &str) -> io::Result<usize> {
        (self.header.iter().position(|h| h == name))
            .ok_or_else(|| io::Error::other(format!("no column {name}")))
    }

    fn write(&self, path: &Path) -> io::Result<()> {
        let mut w = csv::Writer::from_path(path).map_err(io::Error::other)?;
        w.write_record(&self.header).map_err(io::Error::other)?;
        for r in &self.rows {
            w.write_record(r).map_err(io::Error::other)?;
        }
        w.flush()
    }
}

/// Column positions the drift changes.
#[derive(Debug, Clone, Copy)]
struct Cols {
    emp: usize,
    post: usize,
    status: usize,
    leaving: usize,
    vref: usize,
    vemp: usize,
    vstatus: usize,
    decided: usize,
    expiry: usize,
}

/// A force drifting night by night (see the module's notes).
#[derive(Debug, Clone)]
pub struct Drift {
    roster: Table,
    vetting: Table,
    /// Post ids, and the posts needing each level (by post id's position in `posts`).
    posts: Vec<String>,
    level_of: HashMap<String, String>,
    posts_at: HashMap<String, Vec<usize>>,
    cols: Cols,
    /// The true owner (employee id) of each vetting record that has one.
    owner: HashMap<String, String>,
    /// Leavers still on the roster, oldest first.
    leavers: VecDeque<String>,
    /// Suspended references with the night each is lifted, in that order.
    suspended: VecDeque<(usize, String)>,
    /// The spare force's people, in order, each one's vetting records, and the level each
    /// spare post needs.
    spare_people: VecDeque<Vec<String>>,
    spare_level_of: HashMap<String, String>,
    spare_records: HashMap<String, Vec<Vec<String>>>,
    rng: ChaCha8Rng,
}

#[allow(
    clippy::indexing_slicing,
    reason = "column positions come from the header, and the CSV reader refuses a row of another length"
)]
fn links(dir: &Path) -> io::Result<HashMap<String, String>> {
    let t = Table::read(&dir.join("truth").join("links.csv"))?;
    let (v, e) = (t.col("vetting_ref")?, t.col("employee_id")?);
    Ok(t.rows
        .iter()
        .map(|r| (r[v].clone(), r[e].clone()))
        .collect())
}

#[allow(
    clippy::indexing_slicing,
    reason = "column positions come from the header the rows were read with (`Table::col`), and row positions are drawn below the length of the list they index"
)]
impl Drift {
    /// The force written in `dir` (by `write::write`), with joiners drawn from the force
    /// written in `spare` (another seed, the same shape).
    pub fn open(dir: &Path, spare: &Path, seed: u64) -> io::Result<Drift> {
        let roster = Table::read(&dir.join("roster.csv"))?;
        let vetting = Table::read(&dir.join("vetting.csv"))?;
        let posts_table = Table::read(&dir.join("posts.csv"))?;
        let post_id = posts_table.col("post_id")?;
        let required = posts_table.col("required_level")?;
        let posts: Vec<String> = posts_table
            .rows
            .iter()
            .map(|r| r[post_id].clone())
            .collect();
        let level_of: HashMap<String, String> = (posts_table.rows.iter())
            .map(|r| (r[post_id].clone(), r[required].clone()))
            .collect();
        let mut posts_at: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in posts_table.rows.iter().enumerate() {
            posts_at.entry(r[required].clone()).or_default().push(i);
        }
        let cols = Cols {
            emp: roster.col("employee_id")?,
            post: roster.col("post_id")?,
            status: roster.col("employment_status")?,
            leaving: roster.col("leaving_date")?,
            vref: vetting.col("vetting_ref")?,
            vemp: vetting.col("employee_id")?,
            vstatus: vetting.col("status")?,
            decided: vetting.col("decision_date")?,
            expiry: vetting.col("expiry_date")?,
        };
        let leavers = (roster.rows.iter())
            .filter(|r| r[cols.status] == "leaver")
            .map(|r| r[cols.emp].clone())
            .collect();
        let spare_posts = Table::read(&spare.join("posts.csv"))?;
        let (sp, sl) = (
            spare_posts.col("post_id")?,
            spare_posts.col("required_level")?,
        );
        let spare_level_of = (spare_posts.rows.iter())
            .map(|r| (r[sp].clone(), r[sl].clone()))
            .collect();
        let spare_roster = Table::read(&spare.join("roster.csv"))?;
        let spare_vetting = Table::read(&spare.join("vetting.csv"))?;
        let spare_owner = links(spare)?;
        let mut spare_records: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        for r in spare_vetting.rows {
            if let Some(e) = spare_owner.get(&r[cols.vref]) {
                spare_records.entry(e.clone()).or_default().push(r);
            }
        }
        let spare_people = (spare_roster.rows.into_iter())
            .filter(|r| r[cols.status] == "active")
            .collect();
        Ok(Drift {
            owner: links(dir)?,
            roster,
            vetting,
            posts,
            level_of,
            posts_at,
            cols,
            leavers,
            suspended: VecDeque::new(),
            spare_people,
            spare_level_of,
            spare_records,
            rng: ChaCha8Rng::seed_from_u64(seed),
        })
    }

    /// People on the roster.
    pub fn people(&self) -> usize {
        self.roster.rows.len()
    }

    /// Records in the vetting export.
    pub fn records(&self) -> usize {
        self.vetting.rows.len()
    }

    /// Spare people not yet taken as joiners: once none is left, no leaver drops off and the
    /// force is no longer steady (give the spare force more people than the nights need).
    pub fn spares_left(&self) -> usize {
        self.spare_people.len()
    }

    /// The employee id in the middle of the roster (someone to ask `person` about).
    pub fn someone(&self) -> String {
        (self.roster.rows.get(self.roster.rows.len() / 2))
            .map_or_else(String::new, |r| r[self.cols.emp].clone())
    }

    /// Write roster.csv and vetting.csv into `dir` (posts.csv does not change).
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        self.roster.write(&dir.join("roster.csv"))?;
        self.vetting.write(&dir.join("vetting.csv"))
    }

    /// Night `night`'s changes (night 1 is the first after the force as generated), as of
    /// `day`, about `change` of the roster and of the vetting export.
    pub fn night(&mut self, night: usize, day: NaiveDate, change: f64) {
        // A move, a leaver and a joiner at a time, so leavers and joiners stay level.
        let n = ((self.roster.rows.len() as f64) * change).ceil() as usize;
        let mut gone = std::collections::HashSet::new();
        for k in 0..n.div_ceil(3) {
            self.move_post();
            self.leave(day);
            gone.extend(self.join(night, k));
        }
        // The leavers who dropped off go, with their records, in one pass over each file.
        let (c, owner) = (self.cols, &self.owner);
        (self.roster.rows).retain(|r| !gone.contains(&r[c.emp]));
        (self.vetting.rows).retain(|r| owner.get(&r[c.vref]).is_none_or(|o| !gone.contains(o)));
        let m = ((self.vetting.rows.len() as f64) * change).ceil() as usize;
        self.renew(night, m - m / SUSPEND_ONE_IN, day);
        for _ in 0..m / SUSPEND_ONE_IN {
            self.suspend(night);
        }
        self.lift(night);
    }

    fn active(&mut self) -> Option<usize> {
        let c = self.cols.status;
        // A few draws find an active person in a force that is mostly active.
        for _ in 0..64 {
            let i = self.rng.random_range(0..self.roster.rows.len());
            if self.roster.rows[i][c] == "active" {
                return Some(i);
            }
        }
        None
    }

    /// A move to another post needing the level the present one needs.
    fn move_post(&mut self) {
        let Some(i) = self.active() else {
            return;
        };
        let level = self.level_of.get(&self.roster.rows[i][self.cols.post]);
        if let Some(same) = (level.and_then(|l| self.posts_at.get(l))).filter(|v| !v.is_empty()) {
            let p = same[self.rng.random_range(0..same.len())];
            self.roster.rows[i][self.cols.post] = self.posts[p].clone();
        }
    }

    fn leave(&mut self, day: NaiveDate) {
        if let Some(i) = self.active() {
            let row = &mut self.roster.rows[i];
            row[self.cols.status] = "leaver".into();
            row[self.cols.leaving] = day.to_string();
            self.leavers.push_back(row[self.cols.emp].clone());
        }
    }

    /// A joiner arrives in a post needing the level their spare post needed, while the
    /// oldest leaver drops off the roster with their records: returns who that is, for
    /// `night` to remove.
    fn join(&mut self, night: usize, k: usize) -> Option<String> {
        let mut row = self.spare_people.pop_front()?;
        let c = self.cols;
        let spare_id = std::mem::take(&mut row[c.emp]);
        let id = format!("J{night:04}{k:05}");
        row[c.emp] = id.clone();
        let level = self.spare_level_of.get(&row[c.post]);
        let posts = level.and_then(|l| self.posts_at.get(l));
        let p = match posts {
            Some(same) if !same.is_empty() => Some(same[self.rng.random_range(0..same.len())]),
            _ if !self.posts.is_empty() => Some(self.rng.random_range(0..self.posts.len())),
            _ => None,
        };
        if let Some(p) = p {
            row[c.post] = self.posts[p].clone();
        }
        for (j, mut r) in (self.spare_records.remove(&spare_id).unwrap_or_default())
            .into_iter()
            .enumerate()
        {
            let vref = format!("N{night:04}{k:05}{j:02}");
            r[c.vref] = vref.clone();
            if !r[c.vemp].is_empty() {
                r[c.vemp] = id.clone();
            }
            self.owner.insert(vref, id.clone());
            self.vetting.rows.push(r);
        }
        self.roster.rows.push(row);
        self.leavers.pop_front()
    }

    /// The `count` granted clearances nearest their expiry are renewed: each a new
    /// reference, decided tonight, for the same term as the one it replaces.
    fn renew(&mut self, night: usize, count: usize, day: NaiveDate) {
        let c = self.cols;
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let mut due: Vec<(NaiveDate, usize)> = (self.vetting.rows.iter().enumerate())
            .filter(|(_, r)| r[c.vstatus] == "granted")
            .filter_map(|(i, r)| date(&r[c.expiry]).map(|e| (e, i)))
            .filter(|(e, _)| {
                (-RENEW_AFTER_DAYS..=RENEW_BEFORE_DAYS).contains(&(*e - day).num_days())
            })
            .collect();
        due.sort_unstable();
        for (k, &(expiry, i)) in due.iter().take(count).enumerate() {
            let row = &mut self.vetting.rows[i];
            let term = match date(&row[c.decided]) {
                Some(d) if expiry > d => expiry - d,
                _ => chrono::TimeDelta::days(5 * 365),
            };
            let vref = format!("R{night:04}{k:05}");
            if let Some(o) = self.owner.remove(&row[c.vref]) {
                self.owner.insert(vref.clone(), o);
            }
            row[c.vref] = vref;
            row[c.decided] = day.to_string();
            row[c.expiry] = (day + term).to_string();
        }
    }

    fn suspend(&mut self, night: usize) {
        let c = self.cols;
        for _ in 0..64 {
            let i = self.rng.random_range(0..self.vetting.rows.len());
            if self.vetting.rows[i][c.vstatus] == "granted" {
                self.vetting.rows[i][c.vstatus] = "suspended".into();
                let vref = self.vetting.rows[i][c.vref].clone();
                self.suspended.push_back((night + SUSPENDED_NIGHTS, vref));
                return;
            }
        }
    }

    fn lift(&mut self, night: usize) {
        let c = self.cols;
        while self.suspended.front().is_some_and(|(n, _)| *n <= night) {
            let Some((_, vref)) = self.suspended.pop_front() else {
                break;
            };
            // A renewal or an archive may have taken the reference since.
            if let Some(r) = self.vetting.rows.iter_mut().find(|r| r[c.vref] == vref) {
                if r[c.vstatus] == "suspended" {
                    r[c.vstatus] = "granted".into();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn force(dir: &Path, seed: u64, people: usize) {
        let f = super::super::generate(&super::super::Spec {
            people,
            seed,
            as_of: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            noise: super::super::Noise::default(),
            casework: true,
            prevention: false,
            integrity: false,
        });
        super::super::write::write(&f, dir).unwrap();
    }

    #[test]
    fn the_force_keeps_its_size_and_its_mix_night_after_night() {
        let tmp = tempfile::tempdir().unwrap();
        let (main, spare) = (tmp.path().join("main"), tmp.path().join("spare"));
        force(&main, 1, 600);
        force(&spare, 2, 600);
        let mut d = Drift::open(&main, &spare, 9).unwrap();
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let (people, records) = (d.people(), d.records());
        let count = |d: &Drift, status: &str| {
            (d.vetting.rows.iter())
                .filter(|r| r[d.cols.vstatus] == status)
                .count()
        };
        let suspended0 = count(&d, "suspended");
        for night in 1..=40 {
            d.night(night, start + chrono::Days::new(night as u64), 0.02);
        }
        assert_eq!(
            d.people(),
            people,
            "a joiner for every leaver who drops off"
        );
        let drift = |now: usize, then: usize| now.abs_diff(then) as f64 / then as f64;
        assert!(
            drift(d.records(), records) < 0.05,
            "{} vs {records}",
            d.records()
        );
        // Suspensions are lifted after 14 nights: at most 14 nights' worth stand at once.
        let per_night = (records as f64 * 0.02).ceil() as usize / SUSPEND_ONE_IN + 1;
        assert!(count(&d, "suspended") <= suspended0 + 14 * per_night);
        // Joiners bring their own records under new, unique references.
        let mut refs: Vec<&String> = d.vetting.rows.iter().map(|r| &r[d.cols.vref]).collect();
        refs.sort();
        refs.dedup();
        assert_eq!(refs.len(), d.records(), "references stay unique");
        assert!(d.roster.rows.iter().any(|r| r[d.cols.emp].starts_with('J')));
        assert!(d
            .vetting
            .rows
            .iter()
            .any(|r| r[d.cols.vref].starts_with('N')));
        assert!(d
            .vetting
            .rows
            .iter()
            .any(|r| r[d.cols.vref].starts_with('R')));
    }

    #[test]
    fn the_same_seed_gives_the_same_nights() {
        let tmp = tempfile::tempdir().unwrap();
        let (main, spare) = (tmp.path().join("main"), tmp.path().join("spare"));
        force(&main, 1, 300);
        force(&spare, 2, 300);
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let run = || {
            let mut d = Drift::open(&main, &spare, 3).unwrap();
            for night in 1..=5 {
                d.night(night, start + chrono::Days::new(night as u64), 0.05);
            }
            (d.roster.rows, d.vetting.rows)
        };
        assert_eq!(run(), run());
    }
}
