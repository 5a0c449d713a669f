//! Tests of the project reader on small projects built here with the zip
//! crate, hostile ones included, and on the samples in `../shared` when
//! they are there.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use super::*;

const ANA: &str = "7C0A08BC-6029-520B-8305-6C59C8F65C84";
const COST: &str = "9528AD9B-B3DE-5F6B-8BA7-547ADDA27657";
const SRC: &str = "2247FB64-D9B0-5144-9EA0-CC036887FD7B";

/// A zip of `entries` (name, bytes), deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A project with one user, a folder with one code, one case with a
/// variable, and one source whose selection is `start..end`.
fn qde(origin: &str, start: i64, end: i64) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="{origin}">
  <Users><User guid="{{{ana}}}" name="ana"/></Users>
  <CodeBook><Codes>
    <Code guid="FDD5EC7E-EA14-5E4D-BC85-9E0BB11EBB1E" name="Barriers" isCodable="false">
      <Code guid="{cost}" name="Cost" isCodable="true"><Description>Money</Description></Code>
    </Code>
  </Codes></CodeBook>
  <Variables><Variable guid="D0AD2269-B819-5FBE-AABE-C204D56F5A61" name="Role" typeOfVariable="Text"/></Variables>
  <Cases><Case guid="2648B09B-C967-57CE-931B-663AF30DDFCC" name="P01">
    <VariableValue><VariableRef targetGUID="d0ad2269-b819-5fbe-aabe-c204d56f5a61"/><TextValue>nurse</TextValue></VariableValue>
    <SourceRef targetGUID="{src}"/>
  </Case></Cases>
  <Sources>
    <TextSource guid="{src}" name="Interview 1" plainTextPath="internal://{src}.txt">
      <PlainTextSelection guid="99D15A22-E8AF-535B-A802-1742EC7E5D86" startPosition="{start}" endPosition="{end}" creatingUser="{ana_lower}">
        <Coding guid="CBAB12A6-CB33-5501-A19F-3CDD954B3750"><CodeRef targetGUID="{cost}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="37EAB0B0-D19A-5855-874B-446200E99693" startPosition="0" endPosition="2"><Description>a comment</Description></PlainTextSelection>
    </TextSource>
    <PDFSource guid="6A1997F0-214B-5CD5-80C7-5AEADF21C31E" name="scan.pdf" path="internal://x.pdf"/>
  </Sources>
</Project>"#,
        ana = ANA,
        ana_lower = ANA.to_lowercase(),
        cost = COST,
        src = SRC,
    )
}

fn project(origin: &str, text: &str, start: i64, end: i64) -> Vec<u8> {
    let txt = format!("Sources/{SRC}.txt");
    zip_of(&[
        ("project.qde", qde(origin, start, end).as_bytes()),
        (&txt, text.as_bytes()),
    ])
}

#[test]
fn a_project_gives_its_sources_codes_cases_and_codings() {
    let text = "\u{feff}Ana: Honestly, the cost.\n";
    let p = read_project(&project("mint test", text, 15, 23)).unwrap();
    assert_eq!(p.name, "p");
    assert_eq!(p.origin.as_deref(), Some("mint test"));
    assert_eq!(
        p.users,
        [User {
            guid: ANA.into(),
            name: "ana".into()
        }]
    );
    assert_eq!(p.codes.len(), 1);
    assert!(!p.codes[0].codable);
    assert_eq!(p.code(COST).unwrap().description, "Money");
    assert_eq!(p.code_path(COST), ["Barriers", "Cost"]);
    assert_eq!(p.sources.len(), 1);
    assert_eq!(p.sources[0].text, "Ana: Honestly, the cost.\n");
    assert_eq!(p.cases[0].values["Role"], "nurse");
    assert_eq!(p.cases_of(SRC)[0].name, "P01");
    assert_eq!(
        p.codings,
        [TextCoding {
            guid: "CBAB12A6-CB33-5501-A19F-3CDD954B3750".into(),
            selection: "99D15A22-E8AF-535B-A802-1742EC7E5D86".into(),
            source: SRC.into(),
            code: COST.into(),
            start: 15,
            end: 23,
            coder: Some(ANA.into()),
        }]
    );
    let text: String = p.sources[0].text.chars().skip(15).take(8).collect();
    assert_eq!(text, "the cost");
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("1 media or PDF source skipped")),
        "{:?}",
        p.warnings
    );
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("1 selection without a code"))
    );
}

#[test]
fn a_coding_outside_its_text_is_reported_with_its_guid_not_shifted() {
    let p = read_project(&project("mint", "short", 2, 40)).unwrap();
    assert!(p.codings.is_empty());
    assert_eq!(p.outside.len(), 1);
    assert_eq!(p.outside[0].guid, "99D15A22-E8AF-535B-A802-1742EC7E5D86");
    assert_eq!(
        (p.outside[0].start, p.outside[0].end, p.outside[0].length),
        (2, 40, 5)
    );
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("99D15A22-E8AF-535B-A802-1742EC7E5D86"))
    );
}

#[test]
fn nvivo_offsets_count_utf16_units_when_the_text_has_emoji() {
    // "a😀 cost": the emoji is 2 UTF-16 units, so "cost" is 4..8 for NVivo.
    let p = read_project(&project("NVivo 12.6", "a😀 cost", 4, 8)).unwrap();
    let c = &p.codings[0];
    assert_eq!((c.start, c.end), (3, 7));
    // Inside the surrogate pair: outside, not shifted.
    let p = read_project(&project("NVivo 12.6", "a😀 cost", 2, 8)).unwrap();
    assert!(p.codings.is_empty());
    assert_eq!(p.outside.len(), 1);
    // Another tool: code points.
    let p = read_project(&project("QualCoder", "a😀 cost", 3, 7)).unwrap();
    assert_eq!((p.codings[0].start, p.codings[0].end), (3, 7));
}

#[test]
fn atlas_texts_are_read_with_lf_line_breaks() {
    let p = read_project(&project("ATLAS.ti 23", "a\r\nb cost", 4, 8)).unwrap();
    assert_eq!(p.sources[0].text, "a\nb cost");
    assert_eq!((p.codings[0].start, p.codings[0].end), (4, 8));
}

#[test]
fn any_single_qde_is_read_with_a_warning() {
    let bytes = zip_of(&[("Trial.qde", qde("x", 0, 1).as_bytes())]);
    let p = read_project(&bytes).unwrap();
    assert!(p.warnings.iter().any(|w| w.contains("Trial.qde")));
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("text source \"Interview 1\" skipped"))
    );
}

#[test]
fn bytes_that_are_not_a_zip_are_refused() {
    let err = read_project(b"not a zip at all").unwrap_err();
    assert!(matches!(err, ProjectError::NotZip(_)), "{err}");
    assert!(err.to_string().starts_with("not a REFI-QDA project"));
}

#[test]
fn a_zip_without_a_qde_is_refused() {
    let err = read_project(&zip_of(&[("sources/a.txt", b"x")])).unwrap_err();
    assert!(matches!(err, ProjectError::NoQde), "{err}");
    let nested = zip_of(&[("inner/project.qde", qde("x", 0, 1).as_bytes())]);
    assert!(matches!(read_project(&nested), Err(ProjectError::NoQde)));
}

#[test]
fn broken_xml_is_refused_with_its_line() {
    let bytes = zip_of(&[("project.qde", b"<Project name='p'>\n<Users>\n</Project>")]);
    let err = read_project(&bytes).unwrap_err();
    assert!(matches!(err, ProjectError::Xml { .. }), "{err}");
    assert!(err.to_string().starts_with("project.qde: line "), "{err}");
    let not_project = zip_of(&[("project.qde", b"<CodeBook/>")]);
    assert!(matches!(
        read_project(&not_project),
        Err(ProjectError::NotProject { .. })
    ));
}

#[test]
fn a_zip_slip_entry_is_refused() {
    for name in [
        "../evil.txt",
        "sources/../../evil.txt",
        "/etc/evil",
        "sources\\..\\evil",
    ] {
        let bytes = zip_of(&[("project.qde", qde("x", 0, 1).as_bytes()), (name, b"x")]);
        let err = read_project(&bytes).unwrap_err();
        assert!(matches!(err, ProjectError::UnsafePath(_)), "{name}: {err}");
        assert!(err.to_string().contains("unsafe entry name"), "{err}");
    }
}

#[test]
fn an_entry_that_inflates_past_its_limit_is_refused() {
    let text = "a".repeat(5000);
    let bytes = project("x", &text, 0, 1);
    let small = Limits {
        qde: MAX_QDE_BYTES,
        source: 1000,
        total: MAX_PROJECT_BYTES,
    };
    let err = read_with(&bytes, small).unwrap_err();
    assert!(matches!(err, ProjectError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("zip bomb"), "{err}");
    // The total is a limit too.
    let total = Limits {
        qde: MAX_QDE_BYTES,
        source: MAX_SOURCE_BYTES,
        total: 3000,
    };
    assert!(matches!(
        read_with(&bytes, total),
        Err(ProjectError::TooLarge { .. })
    ));
    assert!(read_with(&bytes, LIMITS).is_ok());
}

/// `../shared/refi-qda/NAME`, or `None` (with the reason printed) when the
/// shared folder is absent.
fn shared(name: &str) -> Option<Vec<u8>> {
    let path = format!("{}/../shared/refi-qda/{name}", env!("CARGO_MANIFEST_DIR"));
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(err) => {
            eprintln!("skipped: {path} cannot be read ({err})");
            None
        }
    }
}

#[test]
fn the_real_nvivo_mac_sample_imports() {
    let Some(bytes) = shared("samples/nvivo-mac-15.0.0-project.qdpx") else {
        return;
    };
    let p = read_project(&bytes).unwrap();
    assert_eq!(p.origin.as_deref(), Some("NVivo for Mac 15.0.0"));
    fn count(codes: &[ProjectCode]) -> usize {
        codes.iter().map(|c| 1 + count(&c.children)).sum()
    }
    assert_eq!(count(&p.codes), 262);
    assert_eq!(p.users.len(), 2);
    assert_eq!(p.sources.len(), 2);
    assert!(p.codings.is_empty() && p.outside.is_empty());
    assert!(p.users.iter().all(|u| u.guid == u.guid.to_uppercase()));
}

#[test]
fn the_hand_written_sample_project_imports_as_expected() {
    let (Some(bytes), Some(expected)) = (
        shared("examples/mint-sample-project.qdpx"),
        shared("examples/mint-sample-project.expected.json"),
    ) else {
        return;
    };
    let expected: serde_json::Value = serde_json::from_slice(&expected).unwrap();
    let p = read_project(&bytes).unwrap();
    for (guid, text) in expected["sources"].as_object().unwrap() {
        assert_eq!(p.source(guid).unwrap().text, text.as_str().unwrap());
    }
    assert_eq!(p.sources.len(), 2);
    for (name, sel) in expected["selections"].as_object().unwrap() {
        let sel = sel.as_array().unwrap();
        let (source, start, end) = (
            sel[0].as_str().unwrap(),
            sel[1].as_u64().unwrap() as usize,
            sel[2].as_u64().unwrap() as usize,
        );
        let found: Vec<&TextCoding> = p
            .codings
            .iter()
            .filter(|c| c.source == source && c.start == start && c.end == end)
            .collect();
        assert!(!found.is_empty(), "selection {name}");
        let text: String = p
            .source(source)
            .unwrap()
            .text
            .chars()
            .skip(start)
            .take(end - start)
            .collect();
        assert_eq!(text, sel[3].as_str().unwrap(), "selection {name}");
    }
    // Five selections, one with two codes.
    assert_eq!(p.codings.len(), 6);
    assert_eq!(p.cases.len(), 2);
    assert_eq!(p.cases[0].values["Age"], "34");
    assert_eq!(
        p.user(p.codings[0].coder.as_deref().unwrap()).unwrap().name,
        "ana.coder"
    );
    let dropped =
        "not read (mint reads sources, codes, cases and codings): <NoteRef>, <Notes>, <Sets>";
    assert!(p.warnings.iter().any(|w| w == dropped), "{:?}", p.warnings);
}

#[test]
fn a_coding_with_a_case_for_its_code_is_case_membership_not_a_coding() {
    let case = "2648B09B-C967-57CE-931B-663AF30DDFCC";
    let qde = qde("NVivo", 0, 3).replace(
        &format!("<CodeRef targetGUID=\"{COST}\"/>"),
        &format!("<CodeRef targetGUID=\"{case}\"/>"),
    );
    let txt = format!("sources/{SRC}.txt");
    let bytes = zip_of(&[("project.qde", qde.as_bytes()), (&txt, b"Ana: hi")]);
    let p = read_project(&bytes).unwrap();
    assert!(p.codings.is_empty());
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("1 coding with a code that is a case")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn transcript_names_are_unique_and_attributes_come_from_the_one_case() {
    let p = read_project(&project("mint", "Ana: the cost\n", 5, 13)).unwrap();
    let attrs = p.attributes_of(SRC);
    assert_eq!(attrs["role"], "nurse");
    assert_eq!(attrs["participant"], "P01");
    let mut twice = p.clone();
    twice.sources.push(p.sources[0].clone());
    twice.sources[1].guid = "X".into();
    twice.sources.push(TextSource {
        name: String::new(),
        ..p.sources[0].clone()
    });
    assert_eq!(
        twice.transcript_names(),
        ["Interview 1", "Interview 1 (2)", SRC]
    );
}
