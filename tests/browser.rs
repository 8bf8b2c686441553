//! report.html opened as a person would: in a real headless Chromium (Debian's package, which
//! `.ci/run` installs when missing). The page must load without a single console message,
//! show every section with the figures of the CSV files, print on A4, and leave a screenshot
//! for the reviewer in the target directory. Where no Chromium can be found the test prints a
//! notice and passes, so a machine without a browser still runs the rest of the suite.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `VETRECON_CHROMIUM`, or the first Chromium on the usual paths.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("VETRECON_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Headless Chromium with the flags a closed, sandboxed CI machine needs, and a fresh profile.
fn headless(browser: &Path, profile: &Path, args: &[String]) -> Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--log-level=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium starts")
}

/// Console messages Chromium logged for the page (errors, warnings, logs: a page without
/// scripts should produce none), and resources it failed to load.
fn console_problems(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("net::ERR_"))
        .map(str::to_string)
        .collect()
}

fn url(p: &Path) -> String {
    format!("file://{}", p.display())
}

macro_rules! need_chromium {
    () => {
        match chromium() {
            Some(b) => b,
            None => {
                eprintln!(
                    "NOTICE: no Chromium found (set VETRECON_CHROMIUM or install Debian's chromium); browser test skipped"
                );
                return;
            }
        }
    };
}

/// The text of each page of a PDF Chromium printed: every content stream inflated, its
/// glyph strings mapped back through the fonts' ToUnicode tables. Enough to find the
/// marking and the page number on each page, not a general PDF reader.
fn pdf_page_texts(pdf: &[u8]) -> Vec<String> {
    use std::io::Read;
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let mut streams: Vec<Vec<u8>> = Vec::new();
    let mut rest = pdf;
    while let Some(i) = find(rest, b"stream") {
        let after = &rest[i + 6..];
        let body = after
            .strip_prefix(b"\r\n")
            .or(after.strip_prefix(b"\n"))
            .unwrap_or(after);
        let Some(end) = find(body, b"endstream") else {
            break;
        };
        let mut out = Vec::new();
        if flate2::read::ZlibDecoder::new(&body[..end])
            .read_to_end(&mut out)
            .is_ok()
        {
            streams.push(out);
        }
        rest = &body[end + 9..];
    }
    // Glyph id -> character, from every ToUnicode table (bfchar and bfrange).
    let mut map = std::collections::HashMap::new();
    let hexes = |s: &str| -> Vec<u32> {
        s.split('<')
            .skip(1)
            .filter_map(|h| u32::from_str_radix(h.split('>').next()?, 16).ok())
            .collect()
    };
    for st in &streams {
        let t = text(st);
        for blk in t.split("beginbfchar").skip(1) {
            let blk = blk.split("endbfchar").next().unwrap_or("");
            for line in blk.lines() {
                if let [g, u] = hexes(line)[..] {
                    map.insert(g, char::from_u32(u).unwrap_or('?'));
                }
            }
        }
        for blk in t.split("beginbfrange").skip(1) {
            let blk = blk.split("endbfrange").next().unwrap_or("");
            for line in blk.lines() {
                if let [a, z, u] = hexes(line)[..] {
                    for g in a..=z {
                        map.insert(g, char::from_u32(u + g - a).unwrap_or('?'));
                    }
                }
            }
        }
    }
    streams
        .iter()
        .map(|st| text(st))
        .filter(|t| t.contains("BT") && !t.contains("begincmap"))
        .map(|t| {
            let mut s = String::new();
            for h in t.split('<').skip(1) {
                let h = h.split('>').next().unwrap_or("");
                if h.len() % 4 != 0 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
                    continue;
                }
                for i in (0..h.len()).step_by(4) {
                    let g = u32::from_str_radix(&h[i..i + 4], 16).unwrap();
                    s.push(map.get(&g).copied().unwrap_or('?'));
                }
            }
            s
        })
        .filter(|s| !s.is_empty())
        .collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Print `page` to A4 PDF and check every page carries the marking and "Page i of n".
fn prints_marked_a4(browser: &Path, profile: &Path, page: &Path, pdf: &Path) -> usize {
    let o = headless(
        browser,
        profile,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            url(page),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(pdf).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    let boxes: Vec<&str> = raw
        .match_indices("/MediaBox [")
        .map(|(i, _)| &raw[i..i + 40])
        .collect();
    assert!(!boxes.is_empty());
    for b in &boxes {
        assert!(
            b.starts_with("/MediaBox [0 0 59") && b.contains(" 841."),
            "{b}"
        );
    }
    let pages = pdf_page_texts(&bytes);
    assert_eq!(pages.len(), boxes.len(), "one text stream per page");
    let n = pages.len();
    for (i, t) in pages.iter().enumerate() {
        assert!(
            t.contains("OFFICIAL-SENSITIVE"),
            "page {} unmarked: {t:.80}",
            i + 1
        );
        assert!(
            t.contains(&format!("Page {} of {n}", i + 1)),
            "page {} unnumbered",
            i + 1
        );
    }
    n
}

/// A4 content widths in CSS pixels (96 per inch) inside the page's 12 mm side margins:
/// portrait 186 mm, landscape 273 mm.
const A4_PORTRAIT_PX: u32 = 703;
const A4_LANDSCAPE_PX: u32 = 1032;

/// How the copy of the page is laid out: with its print rules applied on screen (a printed A4
/// width), or as a screen shows it.
#[derive(Clone, Copy, PartialEq)]
enum Media {
    Print,
    Screen,
}

/// The screen width the report is designed for (its `max-width`), where a long code in the
/// worklist could run into the next column.
const SCREEN_PX: u32 = 1100;

/// Every worklist column is whole at a printed A4 width or on screen: a copy of
/// `page` (with its print rules applied on screen for `Media::Print`), every `<details>`
/// open, laid out `width` pixels wide. A
/// script added to the copy (the report itself has none) compares each worklist table's and
/// each cell's scrollWidth with its clientWidth, and the table's right edge with the page's.
/// Returns the viewport width the browser used and the number of tables checked; panics
/// naming every table and cell that is cut.
fn worklist_fits(
    browser: &Path,
    profile: &Path,
    page: &Path,
    width: u32,
    media: Media,
) -> (u32, usize) {
    let html = std::fs::read_to_string(page).unwrap();
    assert!(html.contains("@media print {"), "the page has print rules");
    let probe = r#"<script>
document.querySelectorAll('details').forEach(function (d) { d.open = true; });
var vw = document.documentElement.clientWidth, cut = [];
var tables = document.querySelectorAll('table.worklist');
tables.forEach(function (t, i) {
  var right = t.getBoundingClientRect().right;
  if (t.scrollWidth > t.clientWidth + 1 || right > vw + 1)
    cut.push('table ' + i + ' ' + t.scrollWidth + '/' + t.clientWidth + ' right ' + right);
  t.querySelectorAll('th, td').forEach(function (c, j) {
    if (c.scrollWidth > c.clientWidth + 1) {
      var tr = c.closest('tr');
      cut.push('table ' + i + ' cell ' + j + ' ' + (tr && tr.getAttribute('data-row')) + ' ' + c.scrollWidth + '/' + c.clientWidth);
    }
  });
});
document.body.setAttribute('data-fit', vw + ';' + tables.length + ';' + cut.join(' | '));
</script></body>"#;
    let copy = match media {
        Media::Print => html.replacen("@media print {", "@media all {", 1),
        Media::Screen => html,
    }
    .replacen("</body>", probe, 1);
    let file = page.with_file_name(format!("fit-{width}.html"));
    std::fs::write(&file, copy).unwrap();
    let o = headless(
        browser,
        profile,
        &[
            format!("--window-size={width},1200"),
            "--hide-scrollbars".into(),
            "--dump-dom".into(),
            url(&file),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let dom = stdout(&o);
    let fit = dom
        .split("data-fit=\"")
        .nth(1)
        .and_then(|x| x.split('"').next())
        .expect("the probe ran");
    let mut parts = fit.splitn(3, ';');
    let vw: u32 = parts.next().unwrap().parse().unwrap();
    let tables: usize = parts.next().unwrap().parse().unwrap();
    let cut = parts.next().unwrap_or("");
    let cuts: Vec<&str> = cut.split(" | ").filter(|c| !c.is_empty()).collect();
    assert!(
        cuts.is_empty(),
        "worklist cut at {width} px in {} places, the first: {:?}",
        cuts.len(),
        &cuts[..cuts.len().min(8)]
    );
    (vw, tables)
}

/// The DOM Chromium built for `page`, with nothing on the console.
fn dom(browser: &Path, profile: &Path, page: &Path) -> String {
    let o = headless(browser, profile, &["--dump-dom".into(), url(page)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let problems = console_problems(&stderr(&o));
    assert!(problems.is_empty(), "console: {problems:?}");
    stdout(&o)
}

/// The manager's page checks on a run's outputs: every critical row in the worklist, the
/// overdue bar in the forecast chart, every input named with its hash.
fn acts_on(s: &Scratch, dom: &str) {
    let ex = rows(&s.read_out("exceptions.csv"));
    let critical: Vec<_> = ex.iter().filter(|r| r["severity"] == "critical").collect();
    assert!(!critical.is_empty());
    for r in ex
        .iter()
        .filter(|r| r["severity"] == "critical" || r["severity"] == "high")
    {
        let key = format!(
            "data-row=\"{}:{}:{}\"",
            r["code"], r["employee_id"], r["vetting_ref"]
        );
        assert!(dom.contains(&key), "worklist lacks {key}");
    }
    let f = figures(dom);
    assert_eq!(f["worklist:critical"], critical.len().to_string());
    // The forecast's first bars are the overdue ones, labelled.
    let forecast = dom.split("<section id=\"forecast\">").nth(1).unwrap();
    assert!(forecast.contains(">Overdue<"), "overdue bar labelled");
    assert!(forecast.contains("Nov 2026") || forecast.contains("Dec 2026"));
    let summary = s.read_out("summary.txt");
    let inputs: Vec<&str> = [
        "roster",
        "posts",
        "vetting",
        "pnd_returns",
        "misconduct",
        "circumstances",
    ]
    .into_iter()
    .filter(|r| summary.contains(&format!("  {r} ")))
    .collect();
    assert_eq!(inputs.len(), 6);
    for role in inputs {
        assert!(
            f.contains_key(&format!("input:{role}")),
            "input {role} named"
        );
        assert_eq!(f[&format!("sha256:{role}")].len(), 64);
    }
}

#[test]
fn the_console_check_catches_a_page_that_logs_errors() {
    let browser = need_chromium!();
    let s = Scratch::new();
    let page = s.write(
        "bad.html",
        "<!DOCTYPE html><p>x</p><script>console.error('boom'); missingFunction();</script>",
    );
    let o = headless(
        &browser,
        &s.path("profile"),
        &["--dump-dom".into(), url(&page)],
    );
    let problems = console_problems(&stderr(&o));
    assert!(
        problems.iter().any(|l| l.contains("boom"))
            && problems.iter().any(|l| l.contains("missingFunction")),
        "the check must see console errors: {problems:?}"
    );
}

#[test]
fn report_html_loads_cleanly_in_chromium_with_the_csv_figures_and_prints_on_a4() {
    let browser = need_chromium!();
    let s = Scratch::new();
    // Two nights, so the page has a trend and changes.
    assert_eq!(code(&s.run(&["--as-of", "2026-11-23"])), 0);
    assert_eq!(code(&s.run(&[])), 0);
    let page = s.out().join("report.html");
    let profile = s.path("profile");

    // Load: the DOM as the browser built it, and nothing on the console.
    let o = headless(&browser, &profile, &["--dump-dom".into(), url(&page)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let problems = console_problems(&stderr(&o));
    assert!(problems.is_empty(), "console: {problems:?}");
    let dom = stdout(&o);
    for heading in [
        "Headline",
        "Designated posts",
        "Priority worklist",
        "Changes since the last run",
        "Trend",
        "Review queue",
        "Renewal forecast",
        "Disproportionality in vetting decisions",
        "Quality-assurance dip sample",
        "Data quality",
    ] {
        assert!(dom.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
    assert!(
        dom.matches("<svg").count() >= 2,
        "trend and forecast charts"
    );

    // The figures the browser shows are the CSV files' figures.
    let f = figures(&dom);
    let ex = rows(&s.read_out("exceptions.csv"));
    assert_eq!(f["total"], ex.len().to_string());
    assert_eq!(
        f["count:NO_CLEARANCE"],
        count_where(&ex, "code", "NO_CLEARANCE").to_string()
    );
    let cov = rows(&s.read_out("designated_posts.csv"));
    assert_eq!(
        f["designated:postholders"],
        cov.last().unwrap()["postholders"]
    );
    let ch = rows(&s.read_out("changes.csv"));
    assert_eq!(
        f["changes:persisting"],
        count_where(&ch, "change", "persisting").to_string()
    );
    let fc = rows(&s.read_out("forecast.csv"));
    let overdue: u64 = fc
        .iter()
        .filter(|r| r["month"] == "overdue")
        .map(|r| r["due"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(f["forecast:overdue"], overdue.to_string());

    // The manager's checks, and the trend as small multiples (one series each, so
    // no two share a colour or hide each other).
    acts_on(&s, &dom);
    let series: Vec<&str> = dom
        .split("data-series=\"")
        .skip(1)
        .map(|x| x.split('"').next().unwrap())
        .collect();
    let mut unique = series.clone();
    unique.sort();
    unique.dedup();
    assert!(
        !series.is_empty() && unique.len() == series.len(),
        "{series:?}"
    );

    // Print: A4 pages (595 x 842 points), each marked and numbered.
    let pages = prints_marked_a4(&browser, &profile, &page, &s.path("report.pdf"));
    assert!(pages >= 2);
    // No worklist column is cut at A4 portrait or landscape width, nor on a
    // screen as wide as the page is designed for.
    for (width, media) in [
        (A4_PORTRAIT_PX, Media::Print),
        (A4_LANDSCAPE_PX, Media::Print),
        (SCREEN_PX, Media::Screen),
    ] {
        let (vw, tables) = worklist_fits(&browser, &profile, &page, width, media);
        assert_eq!(vw, width, "the layout is the printed width");
        assert!(tables >= 1);
    }

    // Screenshot for the reviewer.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report.png");
    let o = headless(
        &browser,
        &profile,
        &[
            "--window-size=1100,2600".into(),
            "--hide-scrollbars".into(),
            format!("--screenshot={}", shot.display()),
            url(&page),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000);
    eprintln!("screenshot of report.html: {}", shot.display());
}

#[test]
fn at_20000_people_the_page_carries_every_critical_row_and_prints_marked_a4() {
    let browser = need_chromium!();
    let s = Scratch::new();
    let force = s.path("force");
    let g = vetrecon(
        &[
            "generate",
            "--people",
            "20000",
            "--seed",
            "1",
            "--as-of",
            AS_OF,
            "--out",
            force.to_str().unwrap(),
        ]
        .map(String::from),
        s.dir.path(),
    );
    assert_eq!(code(&g), 0, "{}", stderr(&g));
    let file = |n: &str| force.join(n).display().to_string();
    let (roster, posts, vetting) = (file("roster.csv"), file("posts.csv"), file("vetting.csv"));
    let o = s.run(&[
        "--roster",
        &roster,
        "--posts",
        &posts,
        "--vetting",
        &vetting,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let page = s.out().join("report.html");
    let profile = s.path("profile");
    let dom = dom(&browser, &profile, &page);
    acts_on(&s, &dom);
    // The generated force has people whose own record waits in review: the worklist says
    // to decide the link first.
    assert!(dom.contains("Decide the link first."));
    // A review candidate whose pattern the roster shows is often a different
    // person says so, with the bits taken off (this force has one on the page).
    assert!(
        dom.contains("Look-alikes")
            && dom.contains("people who agree this way are often different people"),
        "no look-alike row in the review queue"
    );
    let pages = prints_marked_a4(&browser, &profile, &page, &s.path("report.pdf"));
    assert!(pages >= 10, "{pages} pages");
    // Every department's worklist whole at A4 portrait, the narrower width.
    let (vw, tables) = worklist_fits(&browser, &profile, &page, A4_PORTRAIT_PX, Media::Print);
    assert_eq!(vw, A4_PORTRAIT_PX);
    assert!(tables >= 10, "{tables} worklist tables");
    let (vw, _) = worklist_fits(&browser, &profile, &page, SCREEN_PX, Media::Screen);
    assert_eq!(vw, SCREEN_PX);
}

#[test]
fn the_a4_check_catches_a_cut_worklist_column() {
    let browser = need_chromium!();
    let s = Scratch::new();
    // A worklist whose last column holds an unbreakable reference wider than A4 portrait.
    let wide = "V".repeat(200);
    let page = s.write(
        "cut.html",
        &format!(
            "<!DOCTYPE html><html><head><style>@media print {{ body {{ margin: 0; }} }} \
             table.worklist {{ table-layout: fixed; width: 100%; }}</style></head><body>\
             <table class=\"worklist\"><tr data-row=\"X:E1:\"><td>1</td><td>{wide}</td></tr></table></body></html>"
        ),
    );
    let caught = std::panic::catch_unwind(|| {
        worklist_fits(
            &browser,
            &s.path("profile"),
            &page,
            A4_PORTRAIT_PX,
            Media::Print,
        )
    });
    let message = caught
        .err()
        .and_then(|e| e.downcast_ref::<String>().cloned())
        .expect("the check must fail on a cut column");
    assert!(message.contains("cell 1 X:E1:"), "{message}");
}
