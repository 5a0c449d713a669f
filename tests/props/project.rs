//! REFI-QDA projects (`exchange::read_project`) and human codings sheets
//! (`exchange::read_codings_csv`): any bytes, and generated projects whose
//! selections point anywhere, in texts with emoji, BOMs and CRLFs, from
//! tools that count offsets differently. A coding read is always inside its
//! text; every other one is reported, never shifted.

use std::io::{Cursor, Write};

use mint::exchange::{read_codings_csv, read_project};
use proptest::prelude::*;

use crate::{config, inputs, within};

/// A zipped project: one text source and selections `spans` over it.
fn project(origin: &str, text: &str, spans: &[(i64, i64)]) -> Vec<u8> {
    let selections: String = spans
        .iter()
        .enumerate()
        .map(|(i, (start, end))| {
            format!(
                "<PlainTextSelection guid=\"00000000-0000-0000-0000-{i:012}\" startPosition=\"{start}\" endPosition=\"{end}\">\
                 <Coding guid=\"10000000-0000-0000-0000-{i:012}\"><CodeRef targetGUID=\"20000000-0000-0000-0000-000000000000\"/></Coding>\
                 </PlainTextSelection>"
            )
        })
        .collect();
    let qde = format!(
        "<Project name=\"p\" origin=\"{origin}\"><CodeBook><Codes>\
         <Code guid=\"20000000-0000-0000-0000-000000000000\" name=\"c\" isCodable=\"true\"/></Codes></CodeBook>\
         <Sources><TextSource guid=\"30000000-0000-0000-0000-000000000000\" name=\"s\" plainTextPath=\"internal://s.txt\">{selections}</TextSource></Sources></Project>"
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", options).unwrap();
    zip.write_all(qde.as_bytes()).unwrap();
    zip.start_file("sources/s.txt", options).unwrap();
    zip.write_all(text.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn project_any_bytes(bytes in inputs::bytes(400)) {
        within(move || drop(read_project(&bytes)));
    }

    #[test]
    fn codings_sheet_any_text(text in "(file|start|end|code|turn|participant|coder|,|\n|\"|[0-9]|x){0,80}") {
        within(move || drop(read_codings_csv(text.as_bytes(), None)));
    }

    #[test]
    fn project_codings_stay_inside_their_text(
        text in prop_oneof![inputs::transcript_text(), "\u{feff}?[a😀é\r\n ]{0,30}"],
        origin in proptest::sample::select(&["NVivo 14", "ATLAS.ti 23", "QualCoder", "mint"]),
        spans in proptest::collection::vec((-3i64..60, -3i64..60), 0..6),
    ) {
        let bytes = project(origin, &text, &spans);
        let p = within(move || read_project(&bytes)).unwrap();
        let source = &p.sources[0];
        let length = source.text.chars().count();
        for c in &p.codings {
            prop_assert!(c.start <= c.end && c.end <= length, "{c:?} in {length}");
        }
        // Each selection is read or reported, none lost.
        prop_assert_eq!(p.codings.len() + p.outside.len(), spans.len());
    }
}
