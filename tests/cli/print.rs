//! `mint report` on paper and on a phone: the print stylesheet (headers on
//! every page, no row cut, page numbers, method and codebook on pages of
//! their own), the phone layout, labels rather than ids, small cells that
//! hide the group's size, and segment ids that the codings CSV and `mint
//! quotes` share. Where Chromium and poppler are installed, the report is
//! printed to an A4 PDF and read back with pdftotext, and a 390 px wide
//! page is checked for horizontal scroll; elsewhere those tests say why
//! they skip.

use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;

use crate::util::{mint, parse_csv, root, run};

/// `mint report examples/transcripts` into `dir` with `extra` flags: the
/// path and the HTML.
fn report(dir: &Path, extra: &[&str]) -> (PathBuf, String) {
    let path = dir.join("report.html");
    let (_, stderr, status) = run(mint()
        .args(["report", "examples/transcripts", "-q", "-o"])
        .arg(&path)
        .args(extra));
    assert_eq!(status, 0, "{stderr}");
    let html = std::fs::read_to_string(&path).unwrap();
    (path, html)
}

#[test]
fn the_report_shows_labels_never_ids() {
    let dir = tempfile::tempdir().unwrap();
    let (_, html) = report(dir.path(), &["--stats"]);
    let name = Regex::new(r#"<td class="name">([^<]*)</td>"#).unwrap();
    let names: Vec<&str> = name
        .captures_iter(&html)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert_eq!(names.len(), 44, "six themes and their codes");
    assert!(names.contains(&"Meaning of integration"));
    // Text a reader sees (outside tags and <code>) has no snake_case id.
    let visible = Regex::new(r"<style>[^<]*</style>|<code>[^<]*</code>|<[^>]*>")
        .unwrap()
        .replace_all(&html, " ");
    let id = Regex::new(r"\b[a-z]+_[a-z_]+\b").unwrap();
    let found: Vec<&str> = id.find_iter(&visible).map(|m| m.as_str()).collect();
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn the_print_stylesheet_repeats_headers_and_keeps_rows_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (_, html) = report(dir.path(), &[]);
    for rule in [
        "@page { size: A4;",
        "counter(page)",
        "thead { display: table-header-group; }",
        "tr, td, th, blockquote, dl.codes dt, dl.codes dd, svg { break-inside: avoid;",
        "#method, #codebook { break-before: page;",
        "@media (max-width: 640px)",
    ] {
        assert!(html.contains(rule), "{rule}");
    }
    // Every table's header row is in a thead.
    assert_eq!(
        html.matches("<table").count(),
        html.matches("<thead>").count()
    );
    assert!(html.contains("<section id=\"method\">"));
    let (_, letter) = report(dir.path(), &["--paper", "letter"]);
    assert!(letter.contains("@page { size: letter;"));
}

#[test]
fn min_cell_hides_the_size_of_small_groups_too() {
    let dir = tempfile::tempdir().unwrap();
    let (_, html) = report(dir.path(), &["--min-cell", "5"]);
    // Strategic groups have 3 participants: no `<5 of 3`, no `N=3`.
    assert!(
        !html.contains("&lt;5 of"),
        "a hidden count with its group size"
    );
    assert!(!html.contains("N=3"));
    assert!(html.contains("N&lt;5"));
    assert!(html.contains("data-size=\"\""));
    assert!(!Regex::new(r"\d of 3\b").unwrap().is_match(&html));
    // Nor do the data attributes of cells and bars.
    let attribute = Regex::new(r#"data-(?:references|participants|size)="[1-4]""#).unwrap();
    assert!(!attribute.is_match(&html), "{:?}", attribute.find(&html));
    // Groups of 9 still show their size where the count is shown.
    assert!(html.contains("N=9") && html.contains("9 of 9"));
}

#[test]
fn stats_in_the_report_say_how_many_tests_and_which_correction() {
    let dir = tempfile::tempdir().unwrap();
    let (_, html) = report(dir.path(), &["--stats", "--fdr"]);
    let (json, _, _) = run(mint().args([
        "code",
        "examples/transcripts",
        "-q",
        "--stats",
        "--fdr",
        "--format",
        "json",
    ]));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let tests = json["stats_correction"]["tests"].as_u64().unwrap();
    assert!(html.contains(&format!(
        "data-tests=\"{tests}\" data-correction=\"Benjamini-Hochberg\""
    )));
    assert!(html.contains(&format!("{tests} tests run; p adjusted for all {tests}")));
    // Each row's adjusted p is the JSON's.
    let row = Regex::new(
        r#"data-theme="([^"]*)" data-code="([^"]*)" data-p="([^"]*)" data-p-adjusted="([^"]*)""#,
    )
    .unwrap();
    let rows: Vec<_> = row.captures_iter(&html).collect();
    let stats = json["stats"].as_array().unwrap();
    assert_eq!(rows.len(), stats.len());
    for (r, t) in rows.iter().zip(stats) {
        assert_eq!(&r[1], t["theme"].as_str().unwrap());
        let adjusted = t["p_adjusted"]
            .as_f64()
            .map_or("–".to_string(), |p| format!("{p:.4}"));
        assert_eq!(&r[4], adjusted);
    }
}

#[test]
fn quotes_codings_and_report_share_segment_ids_and_lines() {
    let dir = tempfile::tempdir().unwrap();
    let codings = dir.path().join("codings.csv");
    let (_, stderr, status) = run(mint()
        .args(["code", "examples/transcripts", "-q", "--codings"])
        .arg(&codings));
    assert_eq!(status, 0, "{stderr}");
    let (header, rows) = parse_csv(&std::fs::read_to_string(&codings).unwrap());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (file, line, id, text) = (col("file"), col("line"), col("segment_id"), col("text"));
    let (start, end) = (col("start"), col("end"));
    let mut ids = std::collections::BTreeMap::new();
    for row in &rows {
        // The segment starts on its line of the file.
        let source =
            std::fs::read_to_string(root().join("examples/transcripts").join(&row[file])).unwrap();
        let n: usize = row[line].parse().unwrap();
        let first_word = row[text].split_whitespace().next().unwrap();
        let on_line = source.lines().nth(n - 1).unwrap();
        assert!(on_line.contains(first_word), "{}:{n}", row[file]);
        // One id per span, one span per id.
        let span = (row[file].clone(), row[start].clone(), row[end].clone());
        assert_eq!(ids.entry(row[id].clone()).or_insert(span.clone()), &span);
    }
    let (quotes, _, _) = run(mint().args([
        "quotes",
        "examples/transcripts",
        "-q",
        "--theme",
        "vision",
        "--format",
        "csv",
    ]));
    let (qheader, qrows) = parse_csv(&quotes);
    let qcol = |name: &str| qheader.iter().position(|h| h == name).unwrap();
    assert!(!qrows.is_empty());
    for q in &qrows {
        let span = &ids[&q[qcol("segment_id")]];
        assert_eq!(
            (&span.0, &span.1, &span.2),
            (&q[qcol("file")], &q[qcol("start")], &q[qcol("end")])
        );
    }
    let (_, html) = report(dir.path(), &[]);
    let quote = Regex::new(r#"data-segment-id="([0-9a-f]{12})"><p>[^<]*</p><footer>— [^<]*<span class="where">([^<:]*):(\d+)</span>"#).unwrap();
    let mut seen = 0;
    for q in quote.captures_iter(&html) {
        let span = &ids[&q[1]];
        assert_eq!(span.0, &q[2]);
        seen += 1;
    }
    assert_eq!(seen, html.matches("<blockquote").count());
    assert!(seen > 0);
}

/// A program on PATH, if any of `names` is.
fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium and poppler's tools, or why a test skips.
fn tools() -> Result<PathBuf, String> {
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| which(&["chromium", "chromium-browser", "google-chrome"]))
        .ok_or("no chromium on PATH (set CHROMIUM to its path)")?;
    for tool in ["pdftotext", "pdftoppm"] {
        which(&[tool]).ok_or(format!("no {tool} on PATH (poppler-utils)"))?;
    }
    Ok(chromium)
}

/// Headless Chromium with `args`, as root in a container needs it.
fn chromium(chromium: &Path, args: &[&str]) -> std::process::Output {
    Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .args(args)
        .output()
        .unwrap()
}

/// Where screenshots go: `docs/` with MINT_UPDATE_DOCS=1, else `dir`.
fn shots(dir: &Path) -> PathBuf {
    if std::env::var_os("MINT_UPDATE_DOCS").is_some() {
        root().join("docs")
    } else {
        dir.to_path_buf()
    }
}

#[test]
fn printed_at_a4_every_page_repeats_the_header_and_no_row_is_cut() {
    let chromium_path = match tools() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let (html_path, _) = report(dir.path(), &["--stats"]);
    let pdf = dir.path().join("report.pdf");
    let out = chromium(
        &chromium_path,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", html_path.display()),
        ],
    );
    assert!(pdf.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    let total = pages.len();
    assert!(total > 3, "{total} pages");
    // A heatmap row prints as three lines: percentages, `n of N`, refs.
    let percents = Regex::new(r"\d+%(\s+\d+%){4}").unwrap();
    let of = Regex::new(r"\d+ of \d+(\s+\d+ of \d+){4}").unwrap();
    let refs = Regex::new(r"\d+ refs(\s+\d+ refs){4}").unwrap();
    let mut heat_pages = 0;
    let mut rows = 0;
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("Page {} of {total}", i + 1)),
            "page {} has no number",
            i + 1
        );
        let count = |re: &Regex| page.lines().filter(|l| re.is_match(l)).count();
        let n = count(&percents);
        if n == 0 {
            continue;
        }
        heat_pages += 1;
        rows += n;
        assert!(
            page.contains("theme / code"),
            "page {} has no header",
            i + 1
        );
        assert_eq!(
            (count(&of), count(&refs)),
            (n, n),
            "a row cut on page {}",
            i + 1
        );
    }
    assert!(heat_pages >= 2, "the heatmap spans pages");
    assert_eq!(rows, 44, "every row printed once");
    // The method and the codebook start pages of their own.
    let starts = |heading: &str| pages.iter().any(|p| p.trim_start().starts_with(heading));
    assert!(starts("Method") && starts("Appendix: codebook"));
    // A picture of the heatmap's second page.
    let png = shots(dir.path()).join("report-a4-page2");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "2", "-l", "2", "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn on_a_390_px_screen_the_report_has_no_horizontal_scroll() {
    let chromium_path = match tools() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let (html_path, html) = report(dir.path(), &["--stats"]);
    // A copy of the report that posts its widths to a page holding it in
    // a 390 px frame (a headless window is never narrower than 500 px);
    // --dump-dom prints that page with the message.
    let probe = r#"<script>addEventListener("load", () => { const wide = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > innerWidth + 0.5).slice(0, 5).map(e => e.tagName + "." + e.className); parent.postMessage("viewport=" + innerWidth + " content=" + document.documentElement.scrollWidth + " wider=" + wide.join(","), "*"); });</script>"#;
    std::fs::write(
        dir.path().join("probe.html"),
        html.replace("</body>", &format!("{probe}</body>")),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("frame.html"),
        r#"<!doctype html><body><script>addEventListener("message", e => { const p = document.createElement("pre"); p.id = "widths"; p.textContent = e.data; document.body.appendChild(p); });</script><iframe src="probe.html" style="width:390px;height:844px;border:0"></iframe></body>"#,
    )
    .unwrap();
    let out = chromium(
        &chromium_path,
        &[
            "--virtual-time-budget=5000",
            "--dump-dom",
            &format!("file://{}", dir.path().join("frame.html").display()),
        ],
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    let widths = Regex::new(r#"id="widths">viewport=(\d+) content=(\d+) wider=([^<]*)<"#)
        .unwrap()
        .captures(&dom)
        .unwrap_or_else(|| panic!("no widths in {dom}"))
        .iter()
        .map(|m| m.unwrap().as_str().to_string())
        .collect::<Vec<_>>();
    assert_eq!(widths[1], "390");
    let content: u32 = widths[2].parse().unwrap();
    assert!(content <= 390, "scrolls sideways: {widths:?}");
    assert_eq!(widths[3], "", "elements wider than the screen");
    let png = shots(dir.path()).join("report-390px.png");
    chromium(
        &chromium_path,
        &[
            "--window-size=390,1400",
            &format!("--screenshot={}", png.display()),
            &format!("file://{}", html_path.display()),
        ],
    );
    assert!(png.is_file());
}
