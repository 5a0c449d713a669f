//! Word and OpenDocument files (`formats::docx::extract`,
//! `formats::odt::extract`): arbitrary bytes, and real zips whose document
//! XML is generated from the elements the readers know, mixed with ones
//! they do not, broken markup and hostile attribute values.

use std::io::{Cursor, Write};

use mint::corpus::{ParseOptions, Transcript};
use mint::formats::{FormatError, docx, odt};
use proptest::prelude::*;
use zip::write::SimpleFileOptions;

use crate::{check, config, inputs, within};

/// What differs between the two formats' XML.
struct Dialect {
    /// Element names, prefixed.
    elements: &'static [&'static str],
    /// Attribute names, prefixed.
    attributes: &'static [&'static str],
    /// Attribute values worth trying.
    values: &'static [&'static str],
}

const DOCX: Dialect = Dialect {
    elements: &[
        "w:p",
        "w:p",
        "w:r",
        "w:r",
        "w:t",
        "w:t",
        "w:rPr",
        "w:pPr",
        "w:pStyle",
        "w:rStyle",
        "w:b",
        "w:tab",
        "w:br",
        "w:cr",
        "w:tbl",
        "w:tr",
        "w:tc",
        "w:trPr",
        "w:del",
        "w:ins",
        "w:delText",
        "w:moveFrom",
        "w:instrText",
        "w:sdt",
        "w:sdtPr",
        "w:sdtContent",
        "w:txbxContent",
        "w:hyperlink",
        "w:smartTag",
        "mc:AlternateContent",
        "mc:Choice",
        "mc:Fallback",
        "w:sectPr",
        "w:tblGrid",
        "w:gridSpan",
        "w:vMerge",
        "w:body",
        "w:noBreakHyphen",
        "x:odd",
    ],
    attributes: &["w:val", "w:type", "xml:space", "w:styleId", "w:id"],
    values: &[
        "0", "1", "true", "false", "off", "on", "page", "column", "preserve", "S0", "S1", "S2",
        "Heading1", "restart", "",
    ],
};

const ODT: Dialect = Dialect {
    elements: &[
        "text:p",
        "text:p",
        "text:h",
        "text:span",
        "text:span",
        "text:s",
        "text:tab",
        "text:line-break",
        "text:soft-page-break",
        "table:table",
        "table:table-row",
        "table:table-cell",
        "table:covered-table-cell",
        "table:table-header-rows",
        "text:note",
        "text:note-citation",
        "text:note-body",
        "text:tracked-changes",
        "text:changed-region",
        "office:annotation",
        "draw:frame",
        "draw:text-box",
        "text:list",
        "text:list-item",
        "text:a",
        "text:bookmark",
        "text:sequence-decls",
        "office:body",
        "office:text",
        "x:odd",
    ],
    attributes: &[
        "text:c",
        "text:style-name",
        "table:number-columns-repeated",
        "table:number-rows-repeated",
        "table:number-columns-spanned",
        "text:outline-level",
    ],
    values: &[
        "0",
        "1",
        "3",
        "-1",
        "99999999999",
        "4294967296",
        " 2 ",
        "x",
        "P0",
        "P1",
        "T0",
        "",
    ],
};

/// One element, possibly with children, as XML text.
fn element(dialect: &'static Dialect) -> impl Strategy<Value = String> {
    let attrs = proptest::collection::vec(
        (
            proptest::sample::select(dialect.attributes),
            prop_oneof![3 => proptest::sample::select(dialect.values).prop_map(str::to_string), 1 => inputs::xml_text()],
        ),
        0..3,
    );
    let leaf = prop_oneof![
        3 => inputs::xml_text(),
        2 => (proptest::sample::select(dialect.elements), attrs.clone())
            .prop_map(|(tag, attrs)| format!("<{tag}{}/>", attributes(&attrs))),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        (
            proptest::sample::select(dialect.elements),
            attrs.clone(),
            proptest::collection::vec(inner, 0..6),
            0u8..200,
        )
            .prop_map(|(tag, attrs, children, broken)| {
                let children = children.concat();
                match broken {
                    // Now and then, markup that is not well formed.
                    0 => format!("<{tag}{}>{children}", attributes(&attrs)),
                    1 => format!("<{tag}{}>{children}</x:other>", attributes(&attrs)),
                    _ => format!("<{tag}{}>{children}</{tag}>", attributes(&attrs)),
                }
            })
    })
}

fn attributes(attrs: &[(&str, String)]) -> String {
    attrs
        .iter()
        .map(|(name, value)| format!(" {name}=\"{}\"", value.replace('"', "&quot;")))
        .collect()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:x="urn:x""#;
const O: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:x="urn:x""#;

/// Styles whose `basedOn`/parent links may form chains and cycles.
fn styles(odt: bool) -> impl Strategy<Value = String> {
    proptest::collection::vec((0u8..4, proptest::option::of(0u8..4), any::<Option<bool>>(), any::<bool>()), 0..6)
        .prop_map(move |styles| {
            styles
                .into_iter()
                .map(|(id, parent, bold, paragraph)| {
                    let bold = bold.map_or(String::new(), |b| {
                        if odt {
                            format!(r#"<style:text-properties fo:font-weight="{}"/>"#, if b { "bold" } else { "normal" })
                        } else {
                            format!(r#"<w:rPr><w:b w:val="{}"/></w:rPr>"#, if b { "1" } else { "0" })
                        }
                    });
                    if odt {
                        let parent = parent.map_or(String::new(), |p| format!(r#" style:parent-style-name="{}{p}""#, if paragraph { 'P' } else { 'T' }));
                        let (family, prefix) = if paragraph { ("paragraph", 'P') } else { ("text", 'T') };
                        format!(r#"<style:style style:name="{prefix}{id}" style:family="{family}"{parent}>{bold}</style:style>"#)
                    } else {
                        let parent = parent.map_or(String::new(), |p| format!(r#"<w:basedOn w:val="S{p}"/>"#));
                        let kind = if paragraph { "paragraph" } else { "character" };
                        format!(r#"<w:style w:type="{kind}" w:styleId="S{id}">{parent}{bold}</w:style>"#)
                    }
                })
                .collect()
        })
}

/// A paragraph whose text is a transcript line, split into runs or spans
/// with formatting, tabs, breaks and now and then an element from the tree
/// generator.
fn paragraph(odt: bool) -> impl Strategy<Value = String> {
    let dialect = if odt { &ODT } else { &DOCX };
    let run = (
        inputs::transcript_line().prop_map(|t| inputs::xml_escape(&t)),
        0u8..6,
        prop_oneof![12 => Just(None), 1 => element(dialect).prop_map(Some)],
    )
        .prop_map(move |(text, kind, extra)| {
            let extra = extra.unwrap_or_default();
            match (odt, kind) {
                (false, 0) => format!(r#"<w:r><w:rPr><w:b/></w:rPr><w:t>{text}</w:t></w:r>{extra}"#),
                (false, 1) => format!(r#"<w:r><w:t xml:space="preserve">{text} </w:t><w:tab/><w:br/></w:r>{extra}"#),
                (false, 2) => format!(r#"<w:del><w:r><w:delText>{text}</w:delText></w:r></w:del>{extra}"#),
                (false, 3) => format!(r#"<w:ins><w:r><w:t>{text}</w:t></w:r></w:ins>{extra}"#),
                (false, _) => format!(r#"<w:r><w:t>{text}</w:t></w:r>{extra}"#),
                (true, 0) => format!(r#"<text:span text:style-name="T{kind}">{text}</text:span>{extra}"#),
                (true, 1) => format!(r#"{text}<text:s text:c="3"/><text:tab/><text:line-break/>{extra}"#),
                (true, 2) => format!(r#"<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>{text}</text:p></text:note-body></text:note>{extra}"#),
                (true, 3) => format!(r#"<text:span>{text}<text:s/></text:span>{extra}"#),
                (true, _) => format!("{text}{extra}"),
            }
        });
    (proptest::collection::vec(run, 0..4), 0u8..5).prop_map(move |(runs, style)| {
        let runs = runs.concat();
        if odt {
            format!(r#"<text:p text:style-name="P{style}">{runs}</text:p>"#)
        } else {
            format!(r#"<w:p><w:pPr><w:pStyle w:val="S{style}"/></w:pPr>{runs}</w:p>"#)
        }
    })
}

/// Body content: paragraphs mostly, tables of them, and generated trees.
fn block(odt: bool) -> impl Strategy<Value = String> {
    let dialect = if odt { &ODT } else { &DOCX };
    let table = proptest::collection::vec(proptest::collection::vec(paragraph(odt), 0..3), 0..3)
        .prop_map(move |rows| {
            let (t, r, c) = if odt {
                ("table:table", "table:table-row", "table:table-cell")
            } else {
                ("w:tbl", "w:tr", "w:tc")
            };
            let rows: String = rows
                .into_iter()
                .map(|cells| {
                    format!(
                        "<{r}>{}</{r}>",
                        cells
                            .into_iter()
                            .map(|p| format!("<{c}>{p}</{c}>"))
                            .collect::<String>()
                    )
                })
                .collect();
            format!("<{t}>{rows}</{t}>")
        });
    prop_oneof![8 => paragraph(odt), 1 => table, 1 => element(dialect)]
}

/// The parts of a package: (name, bytes, deflated), built into a zip.
fn zip(parts: &[(String, Vec<u8>, bool)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes, deflated) in parts {
        let method = if *deflated {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        // A repeated name is refused by the writer; skip it.
        if writer
            .start_file(
                name.as_str(),
                SimpleFileOptions::default().compression_method(method),
            )
            .is_ok()
        {
            writer.write_all(bytes).unwrap();
        }
    }
    writer.finish().unwrap().into_inner()
}

/// A package: the document part (in a body, or bare), maybe a styles part,
/// maybe junk; each stored or deflated.
pub fn package(odt: bool) -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec(block(odt), 0..12),
        prop_oneof![9 => Just(true), 1 => Just(false)],
        proptest::option::of(styles(odt)),
        styles(odt),
        any::<(bool, bool, bool)>(),
        prop_oneof![4 => Just(None), 1 => inputs::bytes(64).prop_map(Some)],
    )
        .prop_map(move |(body, wrapped, style_part, automatic, (d1, d2, d3), junk)| {
            let body = body.concat();
            let (document, styles_name, styles_xml) = if odt {
                let document = if wrapped {
                    format!(r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {O}><office:automatic-styles>{automatic}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#)
                } else {
                    format!("<office:document-content {O}>{body}")
                };
                let styles = style_part.map(|s| format!(r#"<office:document-styles {O}><office:styles>{s}</office:styles></office:document-styles>"#));
                (("content.xml", document), "styles.xml", styles)
            } else {
                let document = if wrapped {
                    format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#)
                } else {
                    format!("<w:document {W}>{body}")
                };
                let styles = style_part.map(|s| format!("<w:styles {W}>{s}{automatic}</w:styles>"));
                (("word/document.xml", document), "word/styles.xml", styles)
            };
            let mut parts = vec![(document.0.to_string(), document.1.into_bytes(), d1)];
            if let Some(styles) = styles_xml {
                parts.push((styles_name.to_string(), styles.into_bytes(), d2));
            }
            if let Some(junk) = junk {
                parts.push(("media/junk.bin".to_string(), junk, d3));
            }
            zip(&parts)
        })
}

fn check_text(result: Result<String, FormatError>) -> Result<(), TestCaseError> {
    let Ok(text) = result else {
        return Ok(());
    };
    if let Ok(t) = Transcript::parse("w.docx", text, &ParseOptions::default()) {
        check::turns(&t)?;
        check::nothing_lost(&t)?;
        check::codings(&t)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn docx_packages(bytes in package(false)) {
        within(move || check_text(docx::extract(&bytes)))?;
    }

    #[test]
    fn odt_packages(bytes in package(true)) {
        within(move || check_text(odt::extract(&bytes)))?;
    }

    #[test]
    fn docx_any_bytes(bytes in inputs::bytes(512)) {
        within(move || check_text(docx::extract(&bytes)))?;
    }

    #[test]
    fn odt_any_bytes(bytes in inputs::bytes(512)) {
        within(move || check_text(odt::extract(&bytes)))?;
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// A valid package with a few of its bytes changed: the zip layer
    /// (headers, sizes, CRCs, the deflate stream) gets bad input past the
    /// magic number.
    #[test]
    fn damaged_packages(
        (bytes, odt) in prop_oneof![package(false).prop_map(|b| (b, false)), package(true).prop_map(|b| (b, true))],
        flips in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = bytes;
        for (at, value) in flips {
            let at = at.index(bytes.len());
            bytes[at] = value;
        }
        within(move || check_text(if odt { odt::extract(&bytes) } else { docx::extract(&bytes) }))?;
    }
}

proptest! {
    #![proptest_config(config(16))]

    /// Deep nesting of one element (tables, spans, unknown ones) must not
    /// exhaust the stack or take long.
    #[test]
    fn deeply_nested_elements(depth in 0usize..20_000, which in 0usize..4, odt in any::<bool>()) {
        let tag = if odt {
            ["table:table", "text:span", "text:p", "x:odd"][which]
        } else {
            ["w:tbl", "w:r", "w:p", "x:odd"][which]
        };
        let body = format!("{}text{}", format!("<{tag}>").repeat(depth), format!("</{tag}>").repeat(depth));
        let bytes = if odt {
            zip(&[("content.xml".to_string(), format!("<office:document-content {O}><office:body><office:text><text:p>{body}</text:p></office:text></office:body></office:document-content>").into_bytes(), true)])
        } else {
            zip(&[("word/document.xml".to_string(), format!("<w:document {W}><w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>").into_bytes(), true)])
        };
        within(move || check_text(if odt { odt::extract(&bytes) } else { docx::extract(&bytes) }))?;
    }
}
