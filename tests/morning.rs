//! The morning outputs a vetting unit manager acts on. One problem, one row (a
//! person without clearance whose own record waits for a link decision); the review queue
//! sheet that goes back into `vetrecon decide --import`; the worklist that carries every
//! critical and high exception.

mod common;

use common::*;

#[test]
fn no_clearance_and_the_pending_record_of_the_same_person_name_each_other() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let ex = rows(&s.read_out("exceptions.csv"));
    let find = |code: &str, emp: &str| {
        ex.iter()
            .find(|r| r["code"] == code && r["employee_id"] == emp)
            .unwrap_or_else(|| panic!("{code} {emp}"))
    };
    let none = find("NO_CLEARANCE", "E1184");
    let review = find("REVIEW_MATCH", "E1184");
    assert_eq!(review["vetting_ref"], "V501393");
    // The posterior is the one matches.csv holds for the pair.
    let m = rows(&s.read_out("matches.csv"));
    let pair = m
        .iter()
        .find(|r| r["vetting_ref"] == "V501393" && r["employee_id"] == "E1184")
        .unwrap();
    let posterior: f64 = pair["posterior"].parse().unwrap();
    let shown = format!("posterior {:.1}%", 100.0 * posterior);
    assert!(
        none["detail"].contains("V501393")
            && none["detail"].contains(&shown)
            && none["detail"].contains("decide the link first"),
        "{}",
        none["detail"]
    );
    assert!(
        review["detail"].contains(&format!("NO_CLEARANCE #{}", none["priority"])),
        "{}",
        review["detail"]
    );
    // A record that is both an orphan and unmitigated adverse information names the other row.
    let orphan = ex
        .iter()
        .find(|r| {
            r["code"] == "ORPHAN_CLEARANCE"
                && ex.iter().any(|a| {
                    a["code"] == "ADVERSE_UNMITIGATED" && a["vetting_ref"] == r["vetting_ref"]
                })
        })
        .expect("the demo has a record that is both");
    let adverse = ex
        .iter()
        .find(|a| a["code"] == "ADVERSE_UNMITIGATED" && a["vetting_ref"] == orphan["vetting_ref"])
        .unwrap();
    assert!(
        adverse["detail"].contains(&format!("ORPHAN_CLEARANCE #{}", orphan["priority"])),
        "{}",
        adverse["detail"]
    );
    assert!(orphan["detail"].contains(&format!("ADVERSE_UNMITIGATED #{}", adverse["priority"])));
}

/// The text of a few XML entities the workbook writer escapes.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A worksheet of an xlsx file as rows of cell texts (shared strings resolved, numbers as
/// written), by column letter position.
fn sheet_cells(xlsx: &std::path::Path, sheet: &str) -> Vec<Vec<String>> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let strings: Vec<String> = part("xl/sharedStrings.xml")
        .split("<si>")
        .skip(1)
        .map(|si| {
            let t = si.split_once('>').unwrap().1; // after <t ...>
            unescape(t.split("</t>").next().unwrap())
        })
        .collect();
    let xml = part(&format!("xl/worksheets/{sheet}"));
    let mut out = Vec::new();
    for row in xml.split("<row ").skip(1) {
        let mut cells: Vec<String> = Vec::new();
        for c in row.split("<c ").skip(1) {
            let r = c.split("r=\"").nth(1).unwrap().split('"').next().unwrap();
            let col = r
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .fold(0usize, |n, ch| n * 26 + (ch as usize - 'A' as usize + 1))
                - 1;
            let value = c
                .split("<v>")
                .nth(1)
                .map(|v| v.split("</v>").next().unwrap().to_string())
                .unwrap_or_default();
            let text = if c.split('>').next().unwrap().contains("t=\"s\"") {
                strings[value.parse::<usize>().unwrap()].clone()
            } else {
                value
            };
            cells.resize(col + 1, String::new());
            cells[col] = text;
        }
        out.push(cells);
    }
    out
}

#[test]
fn the_review_queue_sheet_saved_as_csv_imports_with_decide_unchanged() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let xlsx = s.out().join("exceptions.xlsx");
    let book = {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
        let mut t = String::new();
        z.by_name("xl/workbook.xml")
            .unwrap()
            .read_to_string(&mut t)
            .unwrap();
        t
    };
    // Sheets are numbered in workbook order; find the Review queue's.
    let names: Vec<&str> = book
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    let at = names.iter().position(|n| *n == "Review queue").unwrap() + 1;
    let mut grid = sheet_cells(&xlsx, &format!("sheet{at}.xml"));
    let header = grid[0].clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for c in ["decision", "by", "reason", "employee_id", "vetting_ref"] {
        assert_eq!(header.iter().filter(|h| *h == c).count(), 1, "{c}");
    }
    let width = header.len();
    // The manager confirms E1184 for V501393 and leaves every other row blank.
    let mut filled = 0;
    for row in grid.iter_mut().skip(1) {
        row.resize(width, String::new());
        if row[col("employee_id")] == "E1184" && row[col("vetting_ref")] == "V501393" {
            row[col("decision")] = "confirm".into();
            row[col("by")] = "DS Patel".into();
            row[col("reason")] = "passport seen, \"Gareth\" on both".into();
            filled += 1;
        }
    }
    assert_eq!(filled, 1);
    assert!(grid.len() > 2, "the demo's queue has more than one row");
    // Saved as Excel saves "CSV UTF-8": a byte-order mark, CRLF, quotes only where needed.
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in &grid {
        let mut r = row.clone();
        r.resize(width, String::new());
        w.write_record(&r).unwrap();
    }
    let bytes = w.into_inner().unwrap();
    let file = s.path("review_queue.csv");
    std::fs::write(&file, bytes).unwrap();

    let o = s.store_cmd(&["decide", "--import", file.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("recorded 1 decisions"),
        "{}",
        stdout(&o)
    );
    // The next night links the pair as confirmed.
    let o = s.run(&["--as-of", "2026-11-25"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let m = rows(&s.read_out("matches.csv"));
    let pair = m
        .iter()
        .find(|r| r["vetting_ref"] == "V501393" && r["employee_id"] == "E1184")
        .unwrap();
    assert_eq!(pair["decision"], "confirmed");
}

#[test]
fn a_disproportionality_group_that_disappears_between_nights_says_why() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    // Night 1: the demo's few recent decisions are all suppressed, each with its reason.
    let first = rows(&s.read_out("disproportionality.csv"));
    assert!(!first.is_empty());
    for r in &first {
        assert_eq!(r["suppressed"], "yes");
        assert!(r["status"].starts_with("suppressed tonight: "), "{r:?}");
    }
    let page = figures(&s.read_out("report.html"));
    for r in &first {
        let key = format!("dispro:{}:{}", r["characteristic"], r["group"]);
        assert_eq!(page[&key], r["status"], "{key}");
    }
    // Night 2: the same export with the sex of every M record left blank, so group M has
    // no decisions in the window and would vanish. It is still listed, saying why.
    let demo_vetting = std::fs::read_to_string(demo("vetting.csv")).unwrap();
    let sex = demo_vetting
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|c| c == "sex")
        .unwrap();
    let blanked: String = demo_vetting
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split(',').collect();
            if f[sex] == "M" {
                f[sex] = "";
            }
            f.join(",") + "\n"
        })
        .collect();
    let vetting = s.write("vetting_no_m.csv", &blanked);
    let vetting = vetting.to_str().unwrap();
    let o = s.run(&["--as-of", "2026-11-25", "--vetting", vetting]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let second = rows(&s.read_out("disproportionality.csv"));
    let names = |t: &[std::collections::BTreeMap<String, String>]| -> Vec<(String, String)> {
        t.iter()
            .map(|r| (r["characteristic"].clone(), r["group"].clone()))
            .collect()
    };
    let row = |t: &[std::collections::BTreeMap<String, String>], g: &str| {
        t.iter()
            .find(|r| r["characteristic"] == "sex" && r["group"] == g)
            .cloned()
            .unwrap_or_else(|| panic!("no row for sex {g}"))
    };
    assert_eq!(row(&first, "M")["suppressed"], "yes");
    // Every group night 1 listed is listed on night 2.
    let tonight = names(&second);
    assert!(
        names(&first).iter().all(|g| tonight.contains(g)),
        "{tonight:?}"
    );
    let gone = row(&second, "M");
    let why = "no decisions in the window tonight (listed on the previous night)";
    assert_eq!(
        (
            gone["status"].as_str(),
            gone["decisions"].as_str(),
            gone["suppressed"].as_str()
        ),
        (why, "0", "no")
    );
    let page = figures(&s.read_out("report.html"));
    assert_eq!(page["dispro:sex:M"], why);
    // The group that stays is still suppressed, with its reason.
    assert!(row(&second, "F")["status"].starts_with("suppressed tonight: "));
    // Replay reads the same previous night and reproduces the file byte for byte.
    let o = s.store_cmd(&["replay", "20261125-01"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    // Night 3: a group listed only because of night 2 is not carried on for ever.
    let o = s.run(&["--as-of", "2026-11-26", "--vetting", vetting]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let third = rows(&s.read_out("disproportionality.csv"));
    assert!(!third.iter().any(|r| r["group"] == "M"), "{third:?}");
}

#[test]
fn a_group_shown_last_night_and_suppressed_tonight_says_it_was_shown() {
    let s = Scratch::new();
    // Night 1 with groups of two decisions shown (the demo has few recent decisions),
    // night 2 with the usual minimum of ten: the same groups are suppressed.
    let config = std::fs::read_to_string(root().join("config/vetrecon.toml")).unwrap();
    assert!(config.contains("minimum_group = 10"));
    let small = s.write(
        "small_groups.toml",
        &config.replace("minimum_group = 10", "minimum_group = 2"),
    );
    let o = s.run(&["--as-of", "2026-11-23", "--config", small.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let first = rows(&s.read_out("disproportionality.csv"));
    let shown: Vec<(String, String)> = first
        .iter()
        .filter(|r| r["status"] == "shown")
        .map(|r| (r["characteristic"].clone(), r["group"].clone()))
        .collect();
    assert!(!shown.is_empty(), "{first:?}");
    assert_eq!(code(&s.run(&[])), 0);
    let second = rows(&s.read_out("disproportionality.csv"));
    let page = figures(&s.read_out("report.html"));
    let mut told = 0;
    for r in &second {
        let key = (r["characteristic"].clone(), r["group"].clone());
        let was_shown = shown.contains(&key);
        assert_eq!(r["suppressed"], "yes", "{r:?}");
        assert_eq!(
            r["status"].ends_with(" (shown on the previous night)"),
            was_shown,
            "{r:?}"
        );
        assert!(r["status"].starts_with("suppressed tonight: "), "{r:?}");
        assert_eq!(page[&format!("dispro:{}:{}", key.0, key.1)], r["status"]);
        told += usize::from(was_shown);
    }
    assert_eq!(told, shown.len(), "every group shown last night is listed");
    // Replay reads the same previous night and reproduces the file byte for byte.
    let o = s.store_cmd(&["replay", "20261124-01"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
}

/// The demo with every person and record of the rows ranked above E1184's NO_CLEARANCE left
/// out, so that row is #1 and its own record V501393 still waits for a link decision.
fn e1184_on_top(s: &Scratch) -> (String, String) {
    let full = Scratch::new();
    assert_eq!(code(&full.run(&[])), 0);
    let ex = rows(&full.read_out("exceptions.csv"));
    let p = |r: &std::collections::BTreeMap<String, String>| r["priority"].parse::<u32>().unwrap();
    let top = ex
        .iter()
        .find(|r| r["code"] == "NO_CLEARANCE" && r["employee_id"] == "E1184")
        .map(p)
        .unwrap();
    let above: Vec<_> = ex.iter().filter(|r| p(r) < top).collect();
    let drop = |file: &str, key: &str, keep: &str| {
        let text = std::fs::read_to_string(demo(file)).unwrap();
        let i = text
            .lines()
            .next()
            .unwrap()
            .split(',')
            .position(|c| c == key)
            .unwrap();
        let gone: Vec<&str> = above
            .iter()
            .map(|r| r[key].as_str())
            .filter(|v| !v.is_empty() && *v != keep)
            .collect();
        let kept: String = text
            .lines()
            .enumerate()
            .filter(|(n, l)| *n == 0 || !gone.contains(&l.split(',').nth(i).unwrap_or("")))
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        s.write(file, &kept).display().to_string()
    };
    (
        drop("roster.csv", "employee_id", "E1184"),
        drop("vetting.csv", "vetting_ref", "V501393"),
    )
}

#[test]
fn the_headline_says_to_decide_the_link_first_when_the_top_row_waits_for_one() {
    let s = Scratch::new();
    let (roster, vetting) = e1184_on_top(&s);
    // The demo's two rejected vetting rows stay while the rows above E1184 go, so their
    // share of the smaller export is allowed a little more than the production 1%.
    let config = s.write("lenient.toml", "[input]\nmax_reject_share = 0.05\n");
    let config = config.display().to_string();
    // Without the future postings, whose rows for posts yet to start would rank above it.
    let o = s.run(&[
        "--roster",
        &roster,
        "--vetting",
        &vetting,
        "--config",
        &config,
        "--no-postings",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let ex = rows(&s.read_out("exceptions.csv"));
    let first = &ex[0];
    assert_eq!(
        (first["code"].as_str(), first["employee_id"].as_str()),
        ("NO_CLEARANCE", "E1184")
    );
    let review = ex
        .iter()
        .find(|r| r["code"] == "REVIEW_MATCH" && r["vetting_ref"] == "V501393")
        .expect("the record still waits for a decision");
    // The sentence's text, tags taken out.
    let html = s.read_out("report.html");
    let at = html.find("data-figure=\"headline:sentence\"").unwrap();
    let element = &html[at..at + html[at..].find("</p>").unwrap()];
    let mut sentence = String::new();
    let mut in_tag = true; // the rest of the opening tag comes first
    for ch in element.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => sentence.push(c),
            _ => {}
        }
    }
    let expected = format!(
        "Start by deciding the pending link of vetting record V501393 (#{}): confirming it may clear #1, no vetting clearance for E1184",
        review["priority"]
    );
    assert!(sentence.contains(&expected), "{sentence}");
    assert!(!sentence.contains("Start with #1"), "{sentence}");
}

#[test]
fn the_page_names_the_previous_nights_chain_hash_and_where_its_own_is() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let html = s.read_out("report.html");
    assert!(html.contains("This is the first night in the store"));
    assert!(html.contains("<code>vetrecon show 20261124-01</code> prints it"));
    assert!(!figures(&html).contains_key("provenance:previous_hash"));
    let o = s.run(&["--as-of", "2026-11-25"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let shown = stdout(&s.store_cmd(&["show", "20261124-01"]));
    let hash = shown
        .lines()
        .find_map(|l| l.strip_prefix("chain"))
        .and_then(|l| l.split_whitespace().nth(3))
        .unwrap_or_else(|| panic!("{shown}"))
        .to_string();
    assert_eq!(hash.len(), 64, "{hash}");
    let html = s.read_out("report.html");
    assert_eq!(figures(&html)["provenance:previous_hash"], hash);
    assert!(html.contains("This night follows run <span class=\"ref\">20261124-01</span>"));
    assert!(html.contains("<code>vetrecon show 20261125-01</code> prints it"));
    assert!(html.contains("this night's chain hash is in chain.txt beside this page"));
}

/// `key value` of chain.txt.
fn chain_field(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string()))
        .unwrap_or_else(|| panic!("no {key} in {text}"))
}

#[test]
fn chain_txt_carries_the_nights_chain_hash_and_replay_and_report_reproduce_it() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    assert_eq!(code(&s.run(&["--as-of", "2026-11-23"])), 0);
    let first = s.read_out("chain.txt");
    let o = s.run(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("chain.txt"), "{}", stdout(&o));
    let text = s.read_out("chain.txt");
    let shown = stdout(&s.store_cmd(&["show", "20261124-01"]));
    let chain = shown
        .lines()
        .find_map(|l| l.strip_prefix("chain"))
        .unwrap_or_else(|| panic!("{shown}"))
        .split_whitespace()
        .collect::<Vec<_>>();
    // `chain        entry N hash H`
    assert_eq!(chain_field(&text, "seq "), chain[1]);
    assert_eq!(chain_field(&text, "chain_hash "), chain[3]);
    assert_eq!(chain_field(&text, "run_id "), "20261124-01");
    assert_eq!(chain_field(&text, "as_of "), "2026-11-24");
    assert!(chain_field(&text, "version ").starts_with("vetrecon "));
    // The previous hash is the first night's own, and the first night had none.
    assert_eq!(
        chain_field(&text, "previous_hash "),
        chain_field(&first, "chain_hash ")
    );
    assert_eq!(
        chain_field(&first, "previous_hash "),
        "none (the first entry in the store)"
    );
    let mode = std::fs::metadata(s.out().join("chain.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // Replay makes chain.txt again from the recomputed night and finds it identical.
    let o = s.store_cmd(&["replay", "20261124-01"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("  chain.txt        identical"),
        "{}",
        stdout(&o)
    );
    // `report` writes it again byte for byte, for either night.
    let again = s.path("again");
    let o = s.store_cmd(&["report", "20261124-01", "--out", again.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(again.join("chain.txt")).unwrap(),
        text
    );
    let o = s.store_cmd(&["report", "20261123-01", "--out", again.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(again.join("chain.txt")).unwrap(),
        first
    );
}

/// The demo's files copied into `dir`, each given the modification time `secs` after the
/// epoch (what a copy or a re-export does to a file's time, and nothing else).
fn demo_copies(s: &Scratch, dir: &str, secs: u64) -> Vec<String> {
    std::fs::create_dir_all(s.path(dir)).unwrap();
    let mut flags = Vec::new();
    for (flag, name) in [
        ("--roster", "roster.csv"),
        ("--posts", "posts.csv"),
        ("--vetting", "vetting.csv"),
        ("--pnd-returns", "pnd_returns.csv"),
        ("--misconduct", "misconduct.csv"),
        ("--circumstances", "circumstances.csv"),
    ] {
        let to = s.path(dir).join(name);
        std::fs::copy(demo(name), &to).unwrap();
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        std::fs::File::options()
            .write(true)
            .open(&to)
            .unwrap()
            .set_modified(t)
            .unwrap();
        flags.push(flag.to_string());
        flags.push(to.display().to_string());
    }
    flags
}

#[test]
fn each_input_shows_the_newest_date_its_rows_carry_and_its_file_time_only_in_the_record() {
    // The demo's newest post start or leaving date is 2026-09-30, its newest decision or
    // review date 2026-10-05 (both on or before the as-of date, 2026-11-24).
    let a = Scratch::new();
    let flags = demo_copies(&a, "in", 1_577_934_245); // 2020-01-02T03:04:05Z
    let args: Vec<&str> = flags.iter().map(String::as_str).collect();
    assert_eq!(code(&a.run(&args)), 0);
    let html = a.read_out("report.html");
    let f = figures(&html);
    assert_eq!(f["newest:roster"], "2026-09-30");
    assert_eq!(f["newest:vetting"], "2026-10-05");
    assert_eq!(f["newest:pnd_returns"], "2026-11-14");
    assert!(!f.contains_key("newest:posts"));
    assert!(html.contains("the post register carries no dates"));
    assert!(html.contains("latest decision or review date</span>"));
    // The file time is in the run record, shown by `vetrecon show`, and on no output.
    let shown = stdout(&a.store_cmd(&["show", "20261124-01"]));
    assert!(
        shown.contains("\n  roster     2020-01-02T03:04:05Z\n"),
        "{shown}"
    );
    for entry in std::fs::read_dir(a.out()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("2020-01-02"));
    }
    // The same files with another time give the same page, byte for byte.
    let b = Scratch::new();
    let flags = demo_copies(&b, "in", 1_700_000_000);
    let args: Vec<&str> = flags.iter().map(String::as_str).collect();
    assert_eq!(code(&b.run(&args)), 0);
    assert_eq!(b.read_out("report.html"), html);
    // A post start after the as-of date (someone joining next year) is not counted, and
    // the page says so.
    let c = Scratch::new();
    let roster = std::fs::read_to_string(demo("roster.csv")).unwrap();
    let first = roster.lines().nth(1).unwrap();
    let start = first.split(',').nth(9).unwrap();
    assert!(
        start < "2026-09-30" && first.contains(&format!(",{start},active,")),
        "{first}"
    );
    let later = roster.replacen(
        first,
        &first.replacen(&format!(",{start},active,"), ",2027-01-15,active,", 1),
        1,
    );
    let later = c.write("roster.csv", &later);
    let o = c.run(&["--roster", later.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = c.read_out("report.html");
    assert_eq!(figures(&html)["newest:roster"], "2026-09-30");
    assert!(
        html.contains("latest post start or leaving date; 1 date after the as-of date not counted")
    );
}

/// The demo's vetting export without the columns `drop` names.
fn vetting_without(s: &Scratch, drop: &[&str]) -> std::path::PathBuf {
    let text = std::fs::read_to_string(demo("vetting.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| !drop.contains(&&header[i]))
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(keep.iter().map(|&i| &header[i])).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        w.write_record(keep.iter().map(|&i| &rec[i])).unwrap();
    }
    s.write(
        "vetting.csv",
        &String::from_utf8(w.into_inner().unwrap()).unwrap(),
    )
}

#[test]
fn an_optional_column_the_export_lacks_is_not_read_and_its_figures_say_so() {
    let s = Scratch::new();
    let columns = ["adverse_info", "rationale_recorded", "risk_mitigation"];
    let v = vetting_without(&s, &columns);
    let o = s.run(&["--vetting", v.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let why = "not read: the vetting export has no adverse_info column";
    let f = figures(&s.read_out("report.html"));
    assert_eq!(f["count:ADVERSE_UNMITIGATED"], "not read");
    for c in columns {
        assert!(f.contains_key(&format!("qa:not_read:{c}")), "{c}");
    }
    let summary = s.read_out("summary.txt");
    assert!(
        summary.contains(&format!("  ADVERSE_UNMITIGATED        {why}\n")),
        "{summary}"
    );
    // The dip sample leaves what the export does not say blank: neither yes nor no.
    let qa = rows(&s.read_out("qa_sample.csv"));
    assert!(!qa.is_empty());
    for r in &qa {
        for c in columns {
            assert_eq!(r[c], "", "{r:?}");
        }
    }
    // With the columns, the same figures are counted.
    let s = Scratch::new();
    assert_eq!(code(&s.run(&[])), 0);
    let f = figures(&s.read_out("report.html"));
    assert_eq!(f["count:ADVERSE_UNMITIGATED"], "2");
    assert!(!f.keys().any(|k| k.starts_with("qa:not_read:")));
}
