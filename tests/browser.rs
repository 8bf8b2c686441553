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

    // Print: A4 pages (595 x 842 points).
    let pdf = s.path("report.pdf");
    let o = headless(
        &browser,
        &profile,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            url(&page),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let boxes: Vec<&str> = text
        .match_indices("/MediaBox [")
        .map(|(i, _)| &text[i..i + 40])
        .collect();
    assert!(!boxes.is_empty());
    for b in &boxes {
        assert!(
            b.starts_with("/MediaBox [0 0 59") && b.contains(" 841."),
            "{b}"
        );
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
