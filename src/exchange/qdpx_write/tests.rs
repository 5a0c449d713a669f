//! Tests of the project writer.

use super::*;

/// The codebook of the CLI tests: two codes labelled "Other".
fn codebook() -> Codebook {
    let toml = include_str!("../../../tests/data/export/codebook.toml");
    Codebook::from_toml_str(toml, "codebook.toml").unwrap()
}

/// A source whose codings are the spans of `coded` in `text`.
fn source(name: &str, text: &str, coded: &[(&str, &str)]) -> StudySource {
    let codings = coded
        .iter()
        .map(|(span, code)| {
            let start = text.find(span).unwrap();
            StudyCoding {
                start,
                end: start + span.len(),
                code: code.to_string(),
                by: CodedBy::Rule {
                    pattern: "cost*".into(),
                    match_start: start,
                    match_end: start + span.len(),
                },
            }
        })
        .collect();
    StudySource {
        name: name.into(),
        text: text.into(),
        participants: vec!["P1".into()],
        codings,
    }
}

fn export(sources: &[StudySource]) -> (Vec<u8>, Report) {
    let book = codebook();
    let cases = [StudyCase {
        id: "P1".into(),
        attributes: [("level".to_string(), "strategic & <x>".to_string())].into(),
    }];
    let study = Study {
        name: "test",
        codebook: &book,
        sources,
        cases: &cases,
    };
    let mut out = Vec::new();
    let report = write_qdpx(&study, &mut out).unwrap();
    (out, report)
}

fn entries(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            std::io::Read::read_to_string(&mut f, &mut s).unwrap();
            (f.name().unwrap().to_string(), s)
        })
        .collect()
}

fn attr(qde: &str, after: &str, name: &str) -> String {
    let at = qde.find(after).unwrap();
    let rest = &qde[at..];
    let from = rest.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    rest[from..from + rest[from..].find('"').unwrap()].to_string()
}

#[test]
fn offsets_are_code_points_into_the_text_with_lf_line_ends() {
    let text = "Interviewer: Why?\r\nP1: Café 😀 and the cost.\r\n";
    let (bytes, report) = export(&[source("p1.txt", text, &[("the cost", "cost")])]);
    let files = entries(&bytes);
    assert_eq!(files[1].0, "project.qde");
    let (entry, exported) = &files[0];
    assert_eq!(entry, &format!("sources/{}.txt", source_guid("p1.txt")));
    assert_eq!(exported, "Interviewer: Why?\nP1: Café 😀 and the cost.\n");
    let qde = &files[1].1;
    let start: usize = attr(qde, "<PlainTextSelection", "startPosition")
        .parse()
        .unwrap();
    let end: usize = attr(qde, "<PlainTextSelection", "endPosition")
        .parse()
        .unwrap();
    let chars: Vec<char> = exported.chars().collect();
    assert_eq!(chars[start..end].iter().collect::<String>(), "the cost");
    assert_eq!(report.dropped.len(), 1, "{report:?}");
    assert_eq!(report.warnings.len(), 1, "{report:?}");
}

#[test]
fn the_same_study_gives_the_same_bytes() {
    let sources = [source("a.txt", "P1: the cost", &[("cost", "cost")])];
    assert_eq!(export(&sources).0, export(&sources).0);
}

#[test]
fn names_are_unique_and_without_dots() {
    let sources = [
        source("a.b.txt", "x", &[]),
        source("a_b.txt", "x", &[]),
        source("dir/c.d", "x", &[]),
    ];
    let (bytes, _) = export(&sources);
    let qde = &entries(&bytes)[3].1;
    for name in [
        "\"a_b\"",
        "\"a_b (2)\"",
        "\"dir_c\"",
        "\"Other\"",
        "\"Other (other_support)\"",
    ] {
        assert!(qde.contains(&format!("name={name}")), "{name} in {qde}");
    }
}

#[test]
fn the_rule_that_fired_is_the_selection_description() {
    let sources = [source("a.txt", "P1: the cost", &[("cost", "cost")])];
    let qde = &entries(&export(&sources).0)[1].1;
    assert!(qde.contains("matched &quot;cost&quot;") || qde.contains("matched \"cost\""));
    assert!(qde.contains("the pattern"), "{qde}");
    assert!(
        qde.contains("<TextValue>strategic &amp; &lt;x&gt;</TextValue>"),
        "{qde}"
    );
}

#[test]
fn a_coding_of_an_unknown_code_is_refused() {
    let book = codebook();
    let sources = [source("a.txt", "the cost", &[("cost", "nope")])];
    let study = Study {
        name: "t",
        codebook: &book,
        sources: &sources,
        cases: &[],
    };
    let err = write_qdpx(&study, Vec::new()).unwrap_err();
    assert!(err.to_string().contains("\"nope\""), "{err}");
}

#[test]
fn a_span_inside_a_character_is_refused() {
    let mut s = source("a.txt", "é cost", &[("cost", "cost")]);
    s.codings[0].start = 1;
    let book = codebook();
    let study = Study {
        name: "t",
        codebook: &book,
        sources: &[s],
        cases: &[],
    };
    assert!(matches!(
        write_qdpx(&study, Vec::new()),
        Err(ExportError::BadSpan { .. })
    ));
}

#[test]
fn a_learned_coding_names_its_model_and_is_made_by_the_model_user() {
    let mut learned = source("a.txt", "P1: the cost of parking", &[("cost", "cost")]);
    let rule = learned.codings[0].clone();
    learned.codings.push(StudyCoding {
        start: 4,
        end: 23,
        code: "cost".into(),
        by: CodedBy::Model {
            model: "m1".into(),
            provenance: "m1 blake3:0123456789abcdef".into(),
            probability: 0.8312,
        },
    });
    let qde = &entries(&export(std::slice::from_ref(&learned)).0)[1].1;
    // The user names the model by id and hash, as the codings CSV does.
    let model_user = model_user("m1 blake3:0123456789abcdef");
    assert_eq!(
        model_user,
        format!("{} model m1 blake3:0123456789abcdef", mint_user())
    );
    assert!(qde.contains(&format!("name=\"{model_user}\"")), "{qde}");
    assert!(
        qde.contains("learned by the model m1 blake3:0123456789abcdef (probability 0.831)."),
        "{qde}"
    );
    let model_guid = guid(&format!("user:{model_user}"));
    let at = qde.find("learned by the model").unwrap();
    let selection = &qde[qde[..at].rfind("<PlainTextSelection").unwrap()..at];
    assert!(
        selection.contains(&format!("creatingUser=\"{model_guid}\"")),
        "{selection}"
    );
    // The rule coding's GUIDs are those it has without the model's.
    let alone = StudySource {
        codings: vec![rule],
        ..learned.clone()
    };
    let plain = &entries(&export(&[alone]).0)[1].1;
    let first = attr(plain, "<PlainTextSelection", "guid");
    assert_eq!(attr(qde, "<PlainTextSelection", "guid"), first);
}
