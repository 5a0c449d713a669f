//! Unit tests of the exchange formats through their public functions:
//! round trips through `.qdc`, CSV and TOML, foreign files, and refusals.
//! Tests of private helpers sit in the files of those helpers.

use std::io::{Cursor, Write};

use super::refi::normalise_guid;
use super::*;
use crate::codebook::Codebook;

fn fixture_book() -> Codebook {
    Codebook::from_toml_str(
        r#"
[codebook]
name = "fixture"

[[themes]]
id = "t1"
label = "Money & <power> \"quoted\""
description = "Théme: ünïcode & more"

[[themes]]
id = "empty"
label = "No codes yet"

[[codes]]
id = "budgets"
theme = "t1"
label = "Budgets"
short_definition = "Money talk."
definition = "Line one\nWhen to use: a trap line"
when_to_use = "Always"
examples = ["We spent £5 & more", "semi; colon"]
patterns = ["budget*", "re:(?i)\\bmoney\\b", "semi;colon"]
exclude = ["budget holder"]

[[codes]]
id = "pooled"
theme = "t1"
parent = "budgets"
origin = "emergent"
patterns = ["pooled budget*"]
min_hits = 2
not_after = ["no", "never"]
not_after_words = 4
"#,
        "fixture.toml",
    )
    .unwrap()
}

fn qdc(book: &Codebook) -> String {
    let mut out = Vec::new();
    write_qdc(book, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn guids_are_upper_case_uuid5_and_differ_by_kind() {
    let g = code_guid("x");
    assert_eq!(normalise_guid(&g).as_deref(), Some(g.as_str()));
    assert_eq!(&g[14..15], "5", "version 5");
    assert_ne!(code_guid("x"), theme_guid("x"));
}

#[test]
fn qdc_round_trip_keeps_every_field() {
    let book = fixture_book();
    let text = qdc(&book);
    let imported = read_qdc(text.as_bytes()).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let back = imported.codebook;
    assert_eq!(back.themes.len(), 2);
    assert_eq!(back.themes[0].label, book.themes[0].label);
    assert_eq!(back.themes[0].description, book.themes[0].description);
    for (a, b) in book.codes.iter().zip(&back.codes) {
        assert_eq!(
            serde_json::to_value(a).unwrap(),
            serde_json::to_value(b).unwrap()
        );
    }
    assert_eq!(qdc(&back), text);
}

#[test]
fn a_definition_that_looks_like_a_label_goes_into_the_mint_block() {
    let text = qdc(&fixture_book());
    assert!(text.contains("definition = \"Line one\\nWhen to use: a trap line\""));
    assert!(text.contains("Short definition: Money talk."));
}

#[test]
fn csv_round_trip_is_byte_identical() {
    let book = fixture_book();
    let mut first = Vec::new();
    write_csv(&book, &mut first).unwrap();
    let imported = read_csv(&first).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let mut second = Vec::new();
    write_csv(&imported.codebook, &mut second).unwrap();
    assert_eq!(
        String::from_utf8(first).unwrap(),
        String::from_utf8(second).unwrap()
    );
    assert_eq!(imported.codebook.themes[1].id, "empty");
}

#[test]
fn spreadsheet_with_few_columns_semicolons_and_a_bom_imports() {
    let sheet = "\u{feff}Theme;Name;Definition;Patterns\nHR and IT;IT systems;Computers;\"IT; system*\"\nHR and IT;Pay;;\n";
    let imported = read_csv(sheet.as_bytes()).unwrap();
    let book = imported.codebook;
    assert_eq!(book.themes[0].id, "hr_and_it");
    assert_eq!(book.themes[0].label, "HR and IT");
    assert_eq!(book.codes[0].id, "it_systems");
    assert_eq!(book.codes[0].label, "IT systems");
    assert_eq!(book.codes[0].patterns, ["IT", "system*"]);
    assert_eq!(book.codes[1].patterns, ["Pay"]);
    assert_eq!(imported.patterns_from_names, 1);
    assert!(book.validate().is_empty(), "{:?}", book.validate());
}

#[test]
fn csv_without_a_theme_column_is_refused() {
    let err = read_csv(b"code,patterns\nx,y\n").unwrap_err();
    assert!(err.to_string().contains("no \"theme\" column"), "{err}");
}

#[test]
fn foreign_qdc_variants_import_with_warnings() {
    let xml = r##"<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1:0" origin="Other 1">
 <Codes>
  <Code guid="{6f9619ff-8b86-d011-b42d-00c04fc964ff}" name="Folder" isCodable="false">
   <Description>A folder &amp; more</Description>
   <Code guid="6F9619FF-8B86-D011-B42D-00C04FC964F0" name="re: cost*s" isCodable="1">
<NoteRef targetGUID="6F9619FF-8B86-D011-B42D-00C04FC964F1"/>
<Code guid="6F9619FF-8B86-D011-B42D-00C04FC964F2" name="Cost" isCodable="true"/>
   </Code>
   <Code guid="6F9619FF-8B86-D011-B42D-00C04FC964F3" name="Cost" isCodable="true"/>
  </Code>
  <Code guid="bad" name="Alone" isCodable="yes" color="#12"/>
 </Codes>
</CodeBook>"##;
    let imported = read_qdc(xml.as_bytes()).unwrap();
    let book = &imported.codebook;
    let themes: Vec<&str> = book.themes.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(themes, ["folder", "uncategorised"]);
    assert_eq!(book.themes[0].description, "A folder & more");
    let codes: Vec<(&str, Option<&str>, &str)> = book
        .codes
        .iter()
        .map(|c| (c.id.as_str(), c.parent.as_deref(), c.patterns[0].as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("re_cost_s", None, "re cost s"),
            ("cost", Some("re_cost_s"), "Cost"),
            ("cost_2", None, "cost 2"),
            ("alone", None, "Alone"),
        ]
    );
    assert!(book.validate().is_empty(), "{:?}", book.validate());
    let all = imported.warnings.join("\n");
    for expected in [
        "variant of the standard",
        "1 code with a guid that is not a GUID",
        "without a valid isCodable",
        "colour",
        "1 memo link",
        "put under the theme \"uncategorised\"",
        "4 codes had no patterns",
        "GUIDs not kept",
    ] {
        assert!(all.contains(expected), "{expected:?} missing in:\n{all}");
    }
}

#[test]
fn qdpx_with_another_qde_name_and_upper_case_sources_is_read() {
    use zip::write::SimpleFileOptions;
    let qde = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Trial" origin="ATLAS.ti 26"><Users><User guid="6F9619FF-8B86-D011-B42D-00C04FC964FF" name="a"/></Users><CodeBook><Codes><Code guid="6F9619FF-8B86-D011-B42D-00C04FC964F0" name="Cost" isCodable="true"/></Codes></CodeBook></Project>"#;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    zip.start_file("Sources/x.txt", options).unwrap();
    zip.write_all(b"text").unwrap();
    zip.start_file("Trial.qde", options).unwrap();
    zip.write_all(qde.as_bytes()).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let imported = read_qdpx(&bytes).unwrap();
    assert_eq!(imported.codebook.codebook.name, "Trial");
    assert_eq!(imported.origin.as_deref(), Some("ATLAS.ti 26"));
    assert_eq!(imported.codebook.codes.len(), 1);
    assert!(imported.warnings[0].contains("Trial.qde"));
    assert!(imported.warnings.iter().any(|w| w.contains("Users")));
}

#[test]
fn export_refuses_a_codebook_without_codes() {
    let book = Codebook::from_toml_str("[[themes]]\nid = \"t\"\n", "x.toml").unwrap();
    assert!(matches!(
        write_qdc(&book, Vec::new()),
        Err(ExchangeError::NoCodes)
    ));
}

#[test]
fn imported_toml_loads_back() {
    let book = fixture_book();
    let mut out = Vec::new();
    write_toml(&book, "made by a test", &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with("# made by a test\n\n[codebook]\n"),
        "{text}"
    );
    let back = Codebook::from_toml_str(&text, "back.toml").unwrap();
    assert_eq!(
        serde_json::to_value(&back).unwrap(),
        serde_json::to_value(&book).unwrap()
    );
}

/// Found by the property tests (`tests/props`): 10,000 nested `<Code>`s
/// overflowed the stack and aborted the process. Nesting is now bounded.
#[test]
fn deeply_nested_codes_are_refused_not_a_stack_overflow() {
    let nested = |depth: usize| {
        let codes = depth - 2;
        format!(
            "<CodeBook><Codes>{}{}</Codes></CodeBook>",
            "<Code name=\"a\">".repeat(codes),
            "</Code>".repeat(codes)
        )
    };
    let deepest = nested(super::refi::MAX_XML_DEPTH);
    assert!(read_qdc(deepest.as_bytes()).is_ok());
    for depth in [super::refi::MAX_XML_DEPTH + 1, 100_000] {
        let err = read_qdc(nested(depth).as_bytes()).unwrap_err().to_string();
        assert!(err.contains("nested more than 256 deep"), "{err}");
    }
}
