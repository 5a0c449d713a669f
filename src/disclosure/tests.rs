use super::redact::{OffsetMap, Pseudonyms, redact_text};
use super::*;

fn kinds(scanner: &Scanner, text: &str) -> Vec<(Kind, String)> {
    scanner
        .scan_text(text)
        .into_iter()
        .map(|f| (f.kind, text[f.start..f.end].to_string()))
        .collect()
}

#[test]
fn a_text_with_every_kind_is_scanned_in_order() {
    let s = Scanner::default();
    let text = "Call Dr Okafor on 07700 900123 or jo@example.org, NHS 943 476 5919.";
    assert_eq!(
        kinds(&s, text),
        vec![
            (Kind::Person, "Okafor".into()),
            (Kind::Phone, "07700 900123".into()),
            (Kind::Email, "jo@example.org".into()),
            (Kind::NhsNumber, "943 476 5919".into()),
        ]
    );
}

#[test]
fn the_study_list_uses_the_pattern_language_and_wins_overlaps() {
    let study =
        StudyList::parse("# wards\nWard 7\nSt Mary*\nperson: Nurse Amy\n", "n.txt").unwrap();
    assert_eq!(study.len(), 3);
    let s = Scanner::new(study, AllowList::default());
    let text = "on ward  7 at St Marys with Nurse Amy";
    let found = s.scan_text(text);
    let got: Vec<(Kind, &str, bool)> = found
        .iter()
        .map(|f| (f.kind, &text[f.start..f.end], f.person))
        .collect();
    assert_eq!(
        got,
        vec![
            (Kind::Place, "ward  7", false),
            (Kind::Place, "St Marys", false),
            (Kind::Place, "Nurse Amy", true)
        ]
    );
    assert_eq!(found[0].key, "ward 7");
}

#[test]
fn a_bad_pattern_in_the_study_list_names_its_line() {
    let err = StudyList::parse("Ward 7\nre:(\n", "names.txt").unwrap_err();
    assert!(err.to_string().starts_with("names.txt:2: "), "{err}");
}

#[test]
fn the_allow_list_drops_findings() {
    let allow = AllowList::parse("Barnsley\nwww.nhs.uk\n");
    let s = Scanner::new(StudyList::default(), allow);
    assert!(s.scan_text("in Barnsley, see www.nhs.uk").is_empty());
}

#[test]
fn excerpts_mask_every_identifier() {
    let s = Scanner::default();
    let text = "I rang 07700 900123 and emailed jo@example.org later";
    let found = s.scan_text(text);
    assert_eq!(
        excerpt_of(text, found[0].start, found[0].end, &found),
        "I rang [PHONE] and emailed [EMAIL] later"
    );
}

#[test]
fn pseudonyms_are_consistent_and_offsets_map_both_ways() {
    let s = Scanner::default();
    let mut p = Pseudonyms::new();
    let a = "ask Sarah or Mrs Jones, not Sarah";
    let (out, map) = redact_text(a, &s.scan_text(a), &mut p);
    assert_eq!(out, "ask [PERSON 1] or Mrs [PERSON 2], not [PERSON 1]");
    let b = "then Jones rang 07700 900123";
    let (out_b, _) = redact_text(b, &s.scan_text(b), &mut p);
    assert_eq!(out_b, "then [PERSON 2] rang [PHONE]");
    // "or" after the first name, in both texts.
    let or_orig = a.find(" or").unwrap();
    let or_red = out.find(" or").unwrap();
    assert_eq!(map.to_redacted(or_orig), or_red);
    assert_eq!(map.to_original(or_red), or_orig);
    assert_eq!(map.to_original(out.len()), a.len());
    assert_eq!(
        map.to_original(out.find("[PERSON 2]").unwrap() + 3),
        a.find("Jones").unwrap()
    );
    assert_eq!(OffsetMap::default().to_original(5), 5);
    assert_eq!(p.key().len(), 3);
}

#[test]
fn a_transcript_is_scanned_with_lines_columns_and_labels() {
    let text = "---\nid: p1\n---\nInterviewer: Hello.\nSarah Jones: I live at LS1 4AP\nnear Ward 7.\nInterviewer: Thanks.\nSarah Jones: Ring 07700 900123.\n";
    let t = Transcript::parse("p1.txt", text.to_string(), &Default::default()).unwrap();
    let study = StudyList::parse("Ward 7", "n").unwrap();
    let found = Scanner::new(study, AllowList::default()).scan_transcript(&t);
    let got: Vec<(Kind, usize, usize)> = found
        .iter()
        .map(|l| (l.finding.kind, l.line, l.col))
        .collect();
    assert_eq!(
        got,
        vec![
            (Kind::Speaker, 5, 1),
            (Kind::Postcode, 5, 24),
            (Kind::Place, 6, 6),
            (Kind::Phone, 8, 19)
        ]
    );
    assert_eq!(found[0].label.as_deref(), Some("Sarah Jones"));
    assert_eq!(found[1].excerpt, "I live at [POSTCODE] near [PLACE].");
}

#[test]
fn json_strings_are_scanned_by_path() {
    let value: serde_json::Value = serde_json::from_str(
        r#"{"vocabulary": ["waiting list", "sarah", "dr okafor"], "codes": {"x": {"examples": ["fine", "ring 07700 900123"]}}}"#,
    )
    .unwrap();
    let found = json::scan(&value, &Scanner::default());
    let got: Vec<(&str, Kind)> = found.iter().map(|f| (f.path.as_str(), f.kind)).collect();
    assert_eq!(
        got,
        vec![
            ("codes.x.examples[1]", Kind::Phone),
            ("vocabulary[1]", Kind::Person),
            ("vocabulary[2]", Kind::Person)
        ]
    );
}
