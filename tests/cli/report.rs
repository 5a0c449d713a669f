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
    let cell_re = Regex::new(r#"data-group="([^"]*)" data-participants="(\d*)" data-references="(\d*)" data-size="(\d+)""#).unwrap();
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
