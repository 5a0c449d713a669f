//! `mint report`: a self-contained HTML file whose numbers are the matrix's.

use std::collections::BTreeMap;

use regex::Regex;

use crate::util::{mint, parse_csv, run};

#[test]
fn report_has_every_theme_and_the_numbers_of_the_csv_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let html_path = dir.path().join("report.html");
    let (_, stderr, code) = run(mint()
        .args(["report", "examples/transcripts", "-o"])
        .arg(&html_path));
    assert_eq!(code, 0, "{stderr}");
    let html = std::fs::read_to_string(&html_path).unwrap();

    // Self-contained: no scripts, stylesheets, images or fonts from elsewhere.
    for forbidden in ["<script", "<link", " src=", "@import", "url("] {
        assert!(!html.contains(forbidden), "{forbidden} in the report");
    }
    assert!(html.starts_with("<!doctype html>") && html.trim_end().ends_with("</html>"));
    // No agreement section without --agree-with.
    assert!(!html.contains("id=\"agreement\""));

    let themes = [
        "vision",
        "organisation",
        "professional_boundaries",
        "hr_it",
        "day_to_day_delivery",
        "measuring_impact",
    ];
    for theme in themes {
        for section in [
            "<tr class=\"theme\" data-theme=",
            "<h3 data-theme=",
            "<blockquote data-theme=",
            "<rect data-theme=",
        ] {
            assert!(
                html.contains(&format!("{section}\"{theme}\"")),
                "{section} {theme}"
            );
        }
    }

    // Every heatmap cell equals the wide CSV matrix.
    let (csv, _, _) = run(mint().args(["code", "examples/transcripts", "--format", "csv", "-q"]));
    let (header, rows) = parse_csv(&csv);
    let mut expected = BTreeMap::new();
    for row in &rows {
        for (h, value) in header.iter().zip(row).skip(4) {
            let (group, field) = h.rsplit_once(": ").unwrap();
            let group = if group == "total" { "total" } else { group };
            expected.insert(
                (
                    row[0].clone(),
                    row[1].clone(),
                    group.to_string(),
                    field.to_string(),
                ),
                value.clone(),
            );
        }
    }
    let row_re = Regex::new(
        r#"<tr class="(?:theme|code)" data-theme="([^"]*)" data-code="([^"]*)">(.*?)</tr>"#,
    )
    .unwrap();
    let cell_re = Regex::new(r#"data-group="([^"]*)" data-label="[^"]*" data-participants="(\d*)" data-references="(\d*)" data-size="(\d+)""#).unwrap();
    let mut checked = 0;
    for row in row_re.captures_iter(&html) {
        for cell in cell_re.captures_iter(&row[3]) {
            let key = |field: &str| {
                (
                    row[1].to_string(),
                    row[2].to_string(),
                    cell[1].to_string(),
                    field.to_string(),
                )
            };
            assert_eq!(
                expected[&key("participants")],
                &cell[2],
                "{key:?}",
                key = key("participants")
            );
            assert_eq!(expected[&key("references")], &cell[3]);
            assert_eq!(expected[&key("N")], &cell[4]);
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        rows.len() * 5,
        "every row, four groups and the total"
    );
}

const AGREE: &str = "tests/data/agree";

/// `mint code --codings` of the agree fixture with `codebook`, into `dir`.
fn codings(dir: &std::path::Path, codebook: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{codebook}.csv"));
    let (_, stderr, status) = run(mint()
        .args(["code", &format!("{AGREE}/transcripts"), "-q", "--codebook"])
        .arg(format!("{AGREE}/{codebook}.toml"))
        .arg("--codings")
        .arg(&path));
    assert_eq!(status, 0, "{stderr}");
    path
}

/// The agreement rows of a report made with codebook a against `human`:
/// (theme, kappa, coded differently, codes coded differently).
fn agreement_rows(dir: &std::path::Path, human: &std::path::Path) -> Vec<[String; 4]> {
    let html_path = dir.join("report.html");
    let (_, stderr, status) = run(mint()
        .args([
            "report",
            &format!("{AGREE}/transcripts"),
            "-q",
            "--codebook",
        ])
        .arg(format!("{AGREE}/a.toml"))
        .arg("-o")
        .arg(&html_path)
        .arg("--agree-with")
        .arg(human));
    assert_eq!(status, 0, "{stderr}");
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("<section id=\"agreement\">"));
    let row = Regex::new(r#"<tr class="(?:overall|theme)" data-theme="([^"]*)" data-kappa="([^"]*)" data-alpha="[^"]*" data-ac1="[^"]*" data-disagreeing="(\d+)">.*?<td data-codes>([^<]*)</td>"#).unwrap();
    row.captures_iter(&html)
        .map(|c| [1, 2, 3, 4].map(|i| c[i].to_string()))
        .collect()
}

#[test]
fn agreement_with_codings_of_the_same_codebook_is_perfect() {
    let dir = tempfile::tempdir().unwrap();
    let human = codings(dir.path(), "a");
    let rows = agreement_rows(dir.path(), &human);
    let expected = [("", "1.000"), ("care", "1.000"), ("work", "1.000")]
        .map(|(theme, kappa)| [theme, kappa, "0", ""].map(String::from));
    assert_eq!(rows, expected);
}

#[test]
fn agreement_with_codings_of_codebook_b_shows_the_records_systems_disagreement() {
    let dir = tempfile::tempdir().unwrap();
    let human = codings(dir.path(), "b");
    let rows = agreement_rows(dir.path(), &human);
    // The overall kappa is mint agree's, human codings first.
    let (json, stderr, status) = run(mint()
        .arg("agree")
        .arg(&human)
        .arg(format!("{AGREE}/transcripts"))
        .args(["--codebook", &format!("{AGREE}/a.toml"), "--format", "json"]));
    assert_eq!(status, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let overall = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["level"] == "overall")
        .unwrap();
    let kappa = format!("{:.3}", overall["kappa"].as_f64().unwrap());
    assert!(kappa.as_str() < "1.000", "{kappa}");
    let expected = [
        ["", &kappa, "1", ""],
        ["care", "1.000", "0", ""],
        // Both coded the segment with the theme, through different codes.
        ["work", "1.000", "1", "Records (1), Systems (1)"],
    ]
    .map(|r| r.map(String::from));
    assert_eq!(rows, expected);
}

#[test]
fn agreement_with_codings_of_other_transcripts_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let human = dir.path().join("other.csv");
    std::fs::write(&human, "file,start,end,code\nelsewhere.txt,0,4,records\n").unwrap();
    let (_, stderr, status) = run(mint()
        .args([
            "report",
            &format!("{AGREE}/transcripts"),
            "-q",
            "--codebook",
        ])
        .arg(format!("{AGREE}/a.toml"))
        .arg("-o")
        .arg(dir.path().join("report.html"))
        .arg("--agree-with")
        .arg(&human));
    assert_eq!(status, 2);
    assert!(stderr.contains("other.csv"), "{stderr}");
    assert!(
        stderr.contains("\"elsewhere.txt\" is not among the transcripts"),
        "{stderr}"
    );
    assert!(!dir.path().join("report.html").exists());
    // --coder only goes with --agree-with.
    let (_, _, status) = run(mint().args([
        "report",
        &format!("{AGREE}/transcripts"),
        "-o",
        "-",
        "--coder",
        "ana",
    ]));
    assert_eq!(status, 2);
}
