//! REFI-QDA codebooks (`exchange::read_qdc`, `exchange::read_qdpx`): any
//! bytes, and generated `<CodeBook>` trees with nested codes, descriptions
//! holding `[mint]` blocks, namespaces right and wrong.

use mint::exchange::{Imported, read_qdc, read_qdpx, write_toml};
use mint::matcher::Matcher;
use proptest::prelude::*;

use crate::codebook::pattern;
use crate::{config, inputs, within};

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

/// A `<Description>`: prose, the readable block, or a `[mint]` TOML block
/// with generated patterns and fields.
fn description() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => inputs::xml_text(),
        1 => (inputs::prose(6), inputs::prose(6)).prop_map(|(d, w)| xml_escape(&format!("Definition: {d}\nWhen to use: {w}\nExamples:\n- {d}"))),
        2 => (proptest::collection::vec(pattern(), 0..3), "[a-z_]{0,8}", proptest::option::of("[a-z_]{1,8}"))
            .prop_map(|(patterns, id, parent)| {
                let list: Vec<String> = patterns.iter().map(|p| mint::exchange::toml_basic_string(p)).collect();
                let parent = parent.map_or(String::new(), |p| format!("parent = \"{p}\"\n"));
                xml_escape(&format!("Readable.\n\n[mint]\nid = \"{id}\"\npatterns = [{}]\n{parent}min_hits = 2\n", list.join(", ")))
            }),
        1 => Just("\n\n[mint]\nid = = broken".to_string()),
    ]
}

/// A `<Code>` with attributes and nested codes.
fn code() -> impl Strategy<Value = String> {
    type Attrs = (
        String,
        &'static str,
        &'static str,
        &'static str,
        Option<String>,
    );
    let attrs: BoxedStrategy<Attrs> = (
        prop_oneof![3 => inputs::prose(3), 1 => Just(String::new())],
        prop_oneof![
            Just(" isCodable=\"true\""),
            Just(" isCodable=\"false\""),
            Just(""),
            Just(" isCodable=\"maybe\"")
        ],
        prop_oneof![
            Just(" guid=\"D6E6A5E8-0000-5000-8000-000000000001\""),
            Just(""),
            Just(" guid=\"x\"")
        ],
        prop_oneof![Just(" color=\"#FF0000\""), Just(""), Just(" color=\"red\"")],
        proptest::option::of(description()),
    )
        .boxed();
    let leaf = attrs.clone().prop_map(|(name, codable, guid, color, d)| {
        let d = d.map_or(String::new(), |d| format!("<Description>{d}</Description>"));
        format!(
            "<Code name=\"{}\"{codable}{guid}{color}>{d}</Code>",
            xml_escape(&name)
        )
    });
    leaf.prop_recursive(4, 32, 5, move |inner| {
        (attrs.clone(), proptest::collection::vec(inner, 0..5)).prop_map(
            |((name, codable, guid, color, d), children)| {
                let d = d.map_or(String::new(), |d| format!("<Description>{d}</Description>"));
                format!(
                    "<Code name=\"{}\"{codable}{guid}{color}>{d}{}</Code>",
                    xml_escape(&name),
                    children.concat()
                )
            },
        )
    })
}

/// A whole `.qdc` or `project.qde`.
pub fn qdc() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(code(), 0..5),
        prop_oneof![
            Just(("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"gen\">", "</CodeBook>")),
            Just(("<CodeBook>", "</CodeBook>")),
            Just(("<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\"><Description>d</Description><Users/><CodeBook>", "</CodeBook></Project>")),
            Just(("<Other><CodeBook>", "</CodeBook></Other>")),
        ],
        any::<bool>(),
        prop_oneof![Just(""), Just("<Sets/>"), Just("<Sets><Set name=\"s\"/></Sets>"), Just("<Weird/>")],
        prop_oneof![Just("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), Just(""), Just("\u{feff}")],
    )
        .prop_map(|(codes, (open, close), in_codes, sets, decl)| {
            let codes = codes.concat();
            let codes = if in_codes { format!("<Codes>{codes}</Codes>") } else { codes };
            format!("{decl}{open}{codes}{sets}{close}")
        })
}

/// What `mint codebook import` does after reading: write the TOML, and
/// validate; a valid import compiles.
fn use_import(imported: Result<Imported, mint::exchange::ExchangeError>) {
    let Ok(imported) = imported else { return };
    let mut toml = Vec::new();
    let _ = write_toml(&imported.codebook, "header", &mut toml);
    let errors = imported
        .codebook
        .validate()
        .into_iter()
        .filter(|d| d.severity == mint::error::Severity::Error)
        .count();
    if errors == 0 {
        let _ = Matcher::new(&imported.codebook);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn qdc_generated(xml in qdc()) {
        within(move || use_import(read_qdc(xml.as_bytes())));
    }

    #[test]
    fn qdc_any_bytes(bytes in inputs::bytes(400)) {
        within(move || use_import(read_qdc(&bytes)));
    }

    #[test]
    fn qdpx_any_bytes(bytes in inputs::bytes(400)) {
        within(move || use_import(read_qdpx(&bytes)));
    }
}

proptest! {
    #![proptest_config(config(16))]

    /// Deep nesting: the readers walk the tree recursively, and 10,000
    /// nested `<Code>`s once overflowed the stack (now refused past a depth).
    #[test]
    fn qdc_deeply_nested(depth in 0usize..20_000, tag in prop_oneof![Just("Code"), Just("Description"), Just("x")]) {
        let xml = format!(
            "<CodeBook><Codes><Code name=\"t\">{}{}</Code></Codes></CodeBook>",
            format!("<{tag} name=\"a\">").repeat(depth),
            format!("</{tag}>").repeat(depth)
        );
        within(move || use_import(read_qdc(xml.as_bytes())));
    }
}
