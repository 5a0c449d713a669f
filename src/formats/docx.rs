//! Word (`.docx`) transcripts: the body of `word/document.xml` as
//! `Label: text` lines.
//!
//! Read: paragraphs in document order, table cells, hyperlinks, content
//! controls, field results and tracked insertions; soft line breaks and tabs
//! are kept as `\n` and `\t`. Bold comes from the run, its character style
//! or its paragraph style (`word/styles.xml`), and only matters for speaker
//! labels (see `office.rs`).
//!
//! Not read: headers, footers, comments, footnotes and endnotes (separate
//! parts), tracked deletions and moves away, field instructions, text boxes
//! and drawings, and the fallback copy of alternate content. A deleted
//! paragraph mark joins its paragraph to the next, as accepting the change
//! would.

use std::collections::HashMap;

use quick_xml::events::BytesStart;

use super::FormatError;
use super::office::{self, Builder, Package, Visitor, XmlError, attribute};

const DOCUMENT: &str = "word/document.xml";
const STYLES: &str = "word/styles.xml";

/// Longest `basedOn` chain followed when resolving a style.
const MAX_STYLE_CHAIN: usize = 32;

/// Extracts the text of a .docx file as `Label: text` lines.
///
/// Fails when the bytes are not a zip archive, when `word/document.xml` is
/// missing, or when its XML (or that of `word/styles.xml`) is malformed.
pub fn extract(bytes: &[u8]) -> Result<String, FormatError> {
    let mut package = Package::open(bytes, ".docx")?;
    let document = package
        .part(DOCUMENT)?
        .ok_or_else(|| office::error(format!("no {DOCUMENT} in the archive")))?;
    let styles = match package.part(STYLES)? {
        Some(xml) => Styles::parse(&xml).map_err(|err| office::xml_error(STYLES, err))?,
        None => Styles::default(),
    };
    let blocks = read(&document, &styles).map_err(|err| office::xml_error(DOCUMENT, err))?;
    Ok(office::render(&blocks))
}

/// Reads the body of `word/document.xml`.
fn read(xml: &str, styles: &Styles) -> Result<Vec<office::Block>, XmlError> {
    let mut reader = Document {
        styles,
        builder: Builder::new(),
        tags: Vec::new(),
        skipped: 0,
        in_body: false,
        paragraph_style: None,
        mark_deleted: false,
        run: None,
        row_deleted: false,
    };
    office::walk(xml, &mut reader)?;
    Ok(reader.builder.finish())
}

/// Elements whose content is never transcript text (and any `…Change`
/// element, which holds the text before a tracked change).
const SKIPPED: &[&str] = &[
    "del",
    "moveFrom",
    "delText",
    "instrText",
    "delInstrText",
    "txbxContent",
    "Fallback",
    "sectPr",
    "tblPr",
    "tblGrid",
    "tcPr",
    "sdtPr",
];

/// Whether an element's content is never transcript text.
fn is_skipped(name: &str) -> bool {
    SKIPPED.contains(&name) || name.ends_with("Change")
}

/// What an open element is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Other,
    Skipped,
    Body,
    Paragraph,
    ParagraphProperties,
    Run,
    RunProperties,
    Text,
    Table,
    Row,
    RowProperties,
    Cell,
}

#[derive(Debug, Default)]
struct RunState {
    bold: Option<bool>,
    style: Option<String>,
}

struct Document<'s> {
    styles: &'s Styles,
    builder: Builder,
    tags: Vec<Tag>,
    /// How many skipped elements are open.
    skipped: usize,
    in_body: bool,
    paragraph_style: Option<String>,
    mark_deleted: bool,
    run: Option<RunState>,
    row_deleted: bool,
}

impl Document<'_> {
    fn open(&mut self, element: &BytesStart<'_>) -> Result<Tag, XmlError> {
        let local = element.local_name();
        let name = local.as_ref();
        if self.skipped > 0 {
            return Ok(Tag::Other);
        }
        if name == "body" {
            self.in_body = true;
            return Ok(Tag::Body);
        }
        if !self.in_body {
            return Ok(Tag::Other);
        }
        let parent = self.tags.last().copied();
        let tag = match (parent, name) {
            (Some(Tag::ParagraphProperties), "pStyle") => {
                self.paragraph_style = attribute(element, "val")?;
                Tag::Other
            }
            (Some(Tag::ParagraphProperties), "rPr") => Tag::ParagraphProperties,
            (Some(Tag::ParagraphProperties), "del" | "moveFrom") => {
                self.mark_deleted = true;
                Tag::Skipped
            }
            (Some(Tag::ParagraphProperties), _) if !name.ends_with("Change") => Tag::Other,
            (Some(Tag::RowProperties), "del") => {
                self.row_deleted = true;
                Tag::Skipped
            }
            (Some(Tag::RowProperties), _) if !name.ends_with("Change") => Tag::Other,
            (Some(Tag::RunProperties), "b") => {
                if let Some(run) = &mut self.run {
                    run.bold = Some(on(attribute(element, "val")?.as_deref()));
                }
                Tag::Other
            }
            (Some(Tag::RunProperties), "rStyle") => {
                if let Some(run) = &mut self.run {
                    run.style = attribute(element, "val")?;
                }
                Tag::Other
            }
            (Some(Tag::RunProperties), _) if !name.ends_with("Change") => Tag::Other,
            (Some(Tag::Run), "rPr") => Tag::RunProperties,
            (Some(Tag::Run), "t") => Tag::Text,
            (Some(Tag::Run), "tab" | "ptab") => {
                self.builder.text("\t", self.bold());
                Tag::Other
            }
            (Some(Tag::Run), "cr") => {
                self.builder.text("\n", self.bold());
                Tag::Other
            }
            (Some(Tag::Run), "br") => {
                let kind = attribute(element, "type")?;
                if !matches!(kind.as_deref(), Some("page" | "column")) {
                    self.builder.text("\n", self.bold());
                }
                Tag::Other
            }
            (Some(Tag::Run), "noBreakHyphen") => {
                self.builder.text("-", self.bold());
                Tag::Other
            }
            (_, "p") => {
                self.builder.start_paragraph();
                self.paragraph_style = None;
                self.mark_deleted = false;
                Tag::Paragraph
            }
            (Some(Tag::Paragraph), "pPr") => Tag::ParagraphProperties,
            (_, "r") => {
                self.run = Some(RunState::default());
                Tag::Run
            }
            (_, "tbl") if self.builder.start_table() => Tag::Table,
            (_, "tr") if self.builder.start_row() => {
                self.row_deleted = false;
                Tag::Row
            }
            (Some(Tag::Row), "trPr") => Tag::RowProperties,
            (_, "tc") if self.builder.start_cell() => Tag::Cell,
            (_, name) if is_skipped(name) => Tag::Skipped,
            _ => Tag::Other,
        };
        if tag == Tag::Skipped {
            self.skipped += 1;
        }
        Ok(tag)
    }

    fn close(&mut self, tag: Tag) {
        match tag {
            Tag::Skipped => self.skipped -= 1,
            Tag::Body => self.in_body = false,
            Tag::Paragraph if self.mark_deleted => self.builder.end_paragraph_joined(),
            Tag::Paragraph => self.builder.end_paragraph(),
            Tag::Run => self.run = None,
            Tag::Table => self.builder.end_table(),
            Tag::Row => self.builder.end_row(!self.row_deleted),
            Tag::Cell => self.builder.end_cell(),
            Tag::Other
            | Tag::ParagraphProperties
            | Tag::RunProperties
            | Tag::Text
            | Tag::RowProperties => {}
        }
    }

    /// Whether the current run is bold: set on the run, by its character
    /// style, or by its paragraph's style.
    fn bold(&self) -> bool {
        let run = self.run.as_ref();
        run.and_then(|run| run.bold)
            .or_else(|| self.styles.bold(run.and_then(|run| run.style.as_deref())?))
            .or_else(|| {
                let style = self.paragraph_style.as_deref();
                self.styles
                    .bold(style.or(self.styles.default_paragraph.as_deref())?)
            })
            .unwrap_or(false)
    }
}

impl Visitor for Document<'_> {
    fn start(&mut self, element: &BytesStart<'_>) -> Result<(), XmlError> {
        let tag = self.open(element)?;
        self.tags.push(tag);
        Ok(())
    }

    fn end(&mut self) {
        if let Some(tag) = self.tags.pop() {
            self.close(tag);
        }
    }

    fn text(&mut self, text: &str) {
        if self.skipped == 0 && self.tags.last() == Some(&Tag::Text) {
            // Word shows a raw line break inside <w:t> as a space.
            let text = text.replace(['\n', '\r'], " ");
            self.builder.text(&text, self.bold());
        }
    }
}

/// Whether an on/off property value means on (absent means on).
fn on(value: Option<&str>) -> bool {
    !matches!(value, Some("0" | "false" | "off"))
}

/// Bold settings of the paragraph and character styles in `word/styles.xml`.
#[derive(Debug, Default)]
struct Styles {
    /// Style id → (the style it is based on, its own bold setting).
    styles: HashMap<String, (Option<String>, Option<bool>)>,
    /// The paragraph style used when a paragraph names none.
    default_paragraph: Option<String>,
}

impl Styles {
    fn parse(xml: &str) -> Result<Styles, XmlError> {
        let mut reader = StylesReader::default();
        office::walk(xml, &mut reader)?;
        Ok(reader.styles)
    }

    /// The bold setting of style `id`, following `basedOn`.
    fn bold(&self, id: &str) -> Option<bool> {
        let mut id = id;
        for _ in 0..MAX_STYLE_CHAIN {
            let (based_on, bold) = self.styles.get(id)?;
            if bold.is_some() {
                return *bold;
            }
            id = based_on.as_deref()?;
        }
        None
    }
}

#[derive(Debug, Default)]
struct StylesReader {
    styles: Styles,
    /// Local names of the open elements.
    path: Vec<String>,
    /// The style being read: id, based on, bold.
    current: Option<(String, Option<String>, Option<bool>)>,
}

impl Visitor for StylesReader {
    fn start(&mut self, element: &BytesStart<'_>) -> Result<(), XmlError> {
        let local = element.local_name();
        let name = local.as_ref();
        let parent = self.path.last().map(String::as_str);
        match (parent, name) {
            (Some("styles"), "style") => {
                let kind = attribute(element, "type")?;
                let id = attribute(element, "styleId")?.unwrap_or_default();
                let default = attribute(element, "default")?;
                if kind.as_deref() == Some("paragraph")
                    && matches!(default.as_deref(), Some("1" | "true" | "on"))
                {
                    self.styles.default_paragraph = Some(id.clone());
                }
                self.current = Some((id, None, None));
            }
            (Some("style"), "basedOn") => {
                if let Some(current) = &mut self.current {
                    current.1 = attribute(element, "val")?;
                }
            }
            (Some("rPr"), "b") if self.path.len() >= 2 => {
                let grandparent = self.path[self.path.len() - 2].as_str();
                if grandparent == "style"
                    && let Some(current) = &mut self.current
                {
                    current.2 = Some(on(attribute(element, "val")?.as_deref()));
                }
            }
            _ => {}
        }
        self.path.push(name.to_string());
        Ok(())
    }

    fn end(&mut self) {
        if self.path.pop().as_deref() == Some("style")
            && let Some((id, based_on, bold)) = self.current.take()
        {
            self.styles.styles.insert(id, (based_on, bold));
        }
    }

    fn text(&mut self, _text: &str) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn body(inner: &str) -> String {
        let xml = format!("<w:document {W}><w:body>{inner}</w:body></w:document>");
        office::render(&read(&xml, &Styles::default()).unwrap())
    }

    crate::formats::testutil::word_fixture_tests! {
        extract: extract, extension: "docx", flip: (200, 97),
        part: "word/document.xml", without_part: "nodocument.docx",
        huddles: "We began with weekly huddles.\nNow it is daily.\tEvery ward joins.",
        budgets: "Budgets, honestly. The care portal helps, and so does the weekly report.",
    }

    #[test]
    fn old_binary_word_files_are_errors() {
        let err = extract(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]).unwrap_err();
        assert!(err.message.contains("OLE compound file"), "{}", err.message);
    }

    #[test]
    fn tab_stops_and_page_breaks_are_not_text() {
        let xml = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
            <w:r><w:t>A</w:t><w:br w:type="page"/><w:t>B</w:t><w:br w:type="textWrapping"/>
            <w:t>C</w:t><w:cr/><w:t xml:space="preserve">D </w:t><w:tab/><w:t>&amp;E&#x2019;</w:t></w:r></w:p>"#;
        assert_eq!(body(xml), "AB\nC\nD \t&E\u{2019}\n");
    }

    #[test]
    fn deletions_moves_instructions_and_text_boxes_are_not_text() {
        let xml = r#"<w:p><w:r><w:t>Kept </w:t></w:r>
            <w:moveFrom><w:r><w:t>moved away</w:t></w:r></w:moveFrom>
            <w:moveTo><w:r><w:t>moved here</w:t></w:r></w:moveTo>
            <w:r><w:rPr><w:b/><w:rPrChange><w:rPr><w:i/></w:rPr></w:rPrChange></w:rPr>
              <w:drawing><w:txbxContent><w:p><w:r><w:t>BOX</w:t></w:r></w:p></w:txbxContent></w:drawing>
              <w:footnoteReference w:id="1"/></w:r>
            <w:fldSimple w:instr="PAGE"><w:r><w:t> 3</w:t></w:r></w:fldSimple></w:p>"#;
        assert_eq!(body(xml), "Kept moved here 3\n");
    }

    #[test]
    fn deleted_paragraph_mark_joins_the_next_paragraph() {
        let xml = r#"<w:p><w:pPr><w:rPr><w:del w:id="1"/></w:rPr></w:pPr>
              <w:r><w:t xml:space="preserve">Nurse: We plan </w:t></w:r></w:p>
            <w:p><w:r><w:t>together.</w:t></w:r></w:p>
            <w:p><w:pPr><w:rPr><w:del w:id="2"/></w:rPr></w:pPr>
              <w:del w:id="3"><w:r><w:delText>A deleted paragraph.</w:delText></w:r></w:del></w:p>
            <w:p><w:r><w:t>After.</w:t></w:r></w:p>"#;
        assert_eq!(body(xml), "Nurse: We plan together.\nAfter.\n");
    }

    #[test]
    fn deleted_table_rows_are_dropped() {
        let row = |speaker: &str, text: &str, deleted: bool| {
            let props = if deleted {
                r#"<w:trPr><w:del w:id="9"/></w:trPr>"#
            } else {
                ""
            };
            format!(
                "<w:tr>{props}<w:tc><w:p><w:r><w:t>{speaker}</w:t></w:r></w:p></w:tc>\
                 <w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr>"
            )
        };
        let xml = format!(
            "<w:tbl><w:tblPr/>{}{}{}</w:tbl>",
            row("Interviewer", "Why?", false),
            row("Nurse", "Gone.", true),
            row("Nurse", "Because.", false)
        );
        assert_eq!(body(&xml), "Interviewer: Why?\nNurse: Because.\n");
    }

    #[test]
    fn bold_comes_from_run_character_style_or_paragraph_style() {
        let styles = format!(
            r#"<w:styles {W}>
              <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr/></w:style>
              <w:style w:type="paragraph" w:styleId="Speaker"><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
              <w:style w:type="character" w:styleId="Strong"><w:rPr><w:b w:val="1"/></w:rPr></w:style>
              <w:style w:type="character" w:styleId="MyStrong"><w:basedOn w:val="Strong"/></w:style>
              <w:style w:type="character" w:styleId="Plain"><w:basedOn w:val="Strong"/><w:rPr><w:b w:val="false"/></w:rPr></w:style>
            </w:styles>"#
        );
        let styles = Styles::parse(&styles).unwrap();
        assert_eq!(styles.default_paragraph.as_deref(), Some("Normal"));
        let xml = format!(
            r#"<w:document {W}><w:body>
            <w:p><w:r><w:rPr><w:rStyle w:val="MyStrong"/></w:rPr><w:t>Nurse:</w:t></w:r></w:p>
            <w:p><w:r><w:t>Text one.</w:t></w:r></w:p>
            <w:p><w:pPr><w:pStyle w:val="Speaker"/></w:pPr><w:r><w:t>Nurse:</w:t></w:r></w:p>
            <w:p><w:r><w:t>Text two.</w:t></w:r></w:p>
            <w:p><w:r><w:rPr><w:rStyle w:val="Plain"/></w:rPr><w:t>Nurse:</w:t></w:r></w:p>
            <w:p><w:r><w:t>Not joined.</w:t></w:r></w:p>
            </w:body></w:document>"#
        );
        assert_eq!(
            office::render(&read(&xml, &styles).unwrap()),
            "Nurse: Text one.\nNurse: Text two.\nNurse:\nNot joined.\n"
        );
    }

    #[test]
    fn unclosed_and_unknown_entities_are_malformed() {
        let xml = format!("<w:document {W}><w:body><w:p>");
        assert!(matches!(
            read(&xml, &Styles::default()),
            Err(XmlError::Unclosed)
        ));
        let xml = format!(
            "<w:document {W}><w:body><w:p><w:r><w:t>&nbsp;</w:t></w:r></w:p></w:body></w:document>"
        );
        assert!(read(&xml, &Styles::default()).is_err());
    }
}
