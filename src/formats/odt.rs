//! OpenDocument text (`.odt`) transcripts: the body of `content.xml` as
//! `Label: text` lines.
//!
//! Read: paragraphs and headings in document order (list items included),
//! tables, links, fields and tracked insertions. White space is collapsed as
//! ODF says; `text:s`, `text:tab` and `text:line-break` become spaces, `\t`
//! and `\n`. Bold comes from the span's or paragraph's style, automatic
//! (`content.xml`) or common (`styles.xml`), parents followed, and only
//! matters for speaker labels (see `office.rs`).
//!
//! Not read: headers and footers (in `styles.xml`), annotations, footnotes
//! and endnotes, the tracked-changes region (deleted text), ruby
//! annotations, drawings and text boxes, list numbers, index templates, and
//! cells covered by a merged cell.
//! Flat XML OpenDocument (`.fodt`) is not a zip and is not supported.

use std::collections::HashMap;

use quick_xml::events::BytesStart;

use super::FormatError;
use super::office::{self, Builder, Package, Visitor, XmlError, attribute};

const CONTENT: &str = "content.xml";
const STYLES: &str = "styles.xml";

/// Longest parent chain followed when resolving a style.
const MAX_STYLE_CHAIN: usize = 32;

/// Most spaces one `text:s` stands for.
const MAX_SPACES: usize = 1024;

/// Extracts the text of a .odt file as `Label: text` lines.
///
/// Fails when the bytes are not a zip archive, when `content.xml` is
/// missing, or when its XML (or that of `styles.xml`) is malformed.
pub fn extract(bytes: &[u8]) -> Result<String, FormatError> {
    let mut package = Package::open(bytes, ".odt")?;
    let content = package
        .part(CONTENT)?
        .ok_or_else(|| office::error(format!("no {CONTENT} in the archive")))?;
    let mut styles = Styles::default();
    if let Some(xml) = package.part(STYLES)? {
        read(&xml, &mut styles, false).map_err(|err| office::xml_error(STYLES, err))?;
    }
    let blocks =
        read(&content, &mut styles, true).map_err(|err| office::xml_error(CONTENT, err))?;
    Ok(office::render(&blocks))
}

/// Reads one part: its styles into `styles` (the automatic ones when
/// `automatic`, else the common ones), and the blocks of its body.
fn read(xml: &str, styles: &mut Styles, automatic: bool) -> Result<Vec<office::Block>, XmlError> {
    let mut reader = Content {
        styles,
        automatic,
        builder: Builder::new(),
        tags: Vec::new(),
        skipped: 0,
        in_body: false,
        in_automatic: false,
        style: None,
        paragraphs: 0,
        paragraph_bold: false,
        spans: Vec::new(),
        at_start: true,
        pending_space: None,
    };
    office::walk(xml, &mut reader)?;
    Ok(reader.builder.finish())
}

/// Body elements whose content is never transcript text.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "tracked-changes"
            | "annotation"
            | "note"
            | "ruby-text"
            | "covered-table-cell"
            | "number"
            | "frame"
            | "custom-shape"
            | "rect"
            | "line"
            | "polyline"
            | "polygon"
            | "regular-polygon"
            | "path"
            | "circle"
            | "ellipse"
            | "g"
            | "connector"
            | "caption"
            | "measure"
            | "control"
            | "page-thumbnail"
            | "scene"
    ) || name.ends_with("-source")
}

/// What an open element is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Other,
    Skipped,
    Body,
    AutomaticStyles,
    Style,
    Paragraph,
    Span,
    Table,
    Row,
    Cell,
}

/// A `style:style` being read.
struct StyleDef {
    family: String,
    name: String,
    parent: Option<String>,
    bold: Option<bool>,
}

struct Content<'s> {
    styles: &'s mut Styles,
    automatic: bool,
    builder: Builder,
    tags: Vec<Tag>,
    /// How many skipped elements are open.
    skipped: usize,
    in_body: bool,
    in_automatic: bool,
    style: Option<StyleDef>,
    /// How many paragraphs are open (more than one only in odd files).
    paragraphs: usize,
    paragraph_bold: bool,
    /// Boldness inside each open span.
    spans: Vec<bool>,
    /// No character yet in this paragraph: white space is dropped.
    at_start: bool,
    /// Collapsed white space waiting for a following character, and whether
    /// it was bold.
    pending_space: Option<bool>,
}

impl Content<'_> {
    fn open(&mut self, element: &BytesStart<'_>) -> Result<Tag, XmlError> {
        let local = element.local_name();
        let name = local.as_ref();
        if self.skipped > 0 {
            return Ok(Tag::Other);
        }
        if !self.in_body {
            return self.open_style(element, name);
        }
        let tag = match name {
            "p" | "h" => {
                self.builder.start_paragraph();
                self.paragraphs += 1;
                let style = attribute(element, "style-name")?;
                self.paragraph_bold = style
                    .and_then(|style| self.styles.bold("paragraph", &style))
                    .unwrap_or(false);
                self.spans.clear();
                self.at_start = true;
                self.pending_space = None;
                Tag::Paragraph
            }
            "span" if self.paragraphs > 0 => {
                let style = attribute(element, "style-name")?;
                let bold = style
                    .and_then(|style| self.styles.bold("text", &style))
                    .unwrap_or(self.bold());
                self.spans.push(bold);
                Tag::Span
            }
            "s" if self.paragraphs > 0 => {
                let count = attribute(element, "c")?
                    .and_then(|c| c.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .min(MAX_SPACES);
                self.emit(&" ".repeat(count));
                Tag::Other
            }
            "tab" if self.paragraphs > 0 => {
                self.emit("\t");
                Tag::Other
            }
            "line-break" if self.paragraphs > 0 => {
                self.emit("\n");
                Tag::Other
            }
            "table" if self.builder.start_table() => Tag::Table,
            "table-row" if self.builder.start_row() => Tag::Row,
            "table-cell" if self.builder.start_cell() => Tag::Cell,
            name if is_skipped(name) => Tag::Skipped,
            _ => Tag::Other,
        };
        if tag == Tag::Skipped {
            self.skipped += 1;
        }
        Ok(tag)
    }

    /// Elements outside the body: styles and their bold setting.
    fn open_style(&mut self, element: &BytesStart<'_>, name: &str) -> Result<Tag, XmlError> {
        Ok(match (self.tags.last(), name) {
            (_, "body") => {
                self.in_body = true;
                Tag::Body
            }
            (_, "automatic-styles") => {
                self.in_automatic = true;
                Tag::AutomaticStyles
            }
            (_, "style") if self.in_automatic == self.automatic => {
                self.style = Some(StyleDef {
                    family: attribute(element, "family")?.unwrap_or_default(),
                    name: attribute(element, "name")?.unwrap_or_default(),
                    parent: attribute(element, "parent-style-name")?,
                    bold: None,
                });
                Tag::Style
            }
            (Some(Tag::Style), "text-properties") => {
                if let Some(style) = &mut self.style {
                    style.bold = attribute(element, "font-weight")?.and_then(|w| weight(&w));
                }
                Tag::Other
            }
            _ => Tag::Other,
        })
    }

    fn close(&mut self, tag: Tag) {
        match tag {
            Tag::Skipped => self.skipped -= 1,
            Tag::Body => self.in_body = false,
            Tag::AutomaticStyles => self.in_automatic = false,
            Tag::Style => {
                if let Some(style) = self.style.take() {
                    self.styles
                        .styles
                        .insert((style.family, style.name), (style.parent, style.bold));
                }
            }
            Tag::Paragraph => {
                self.paragraphs -= 1;
                self.pending_space = None;
                self.builder.end_paragraph();
            }
            Tag::Span => {
                self.spans.pop();
            }
            Tag::Table => self.builder.end_table(),
            Tag::Row => self.builder.end_row(true),
            Tag::Cell => self.builder.end_cell(),
            Tag::Other => {}
        }
    }

    fn bold(&self) -> bool {
        self.spans.last().copied().unwrap_or(self.paragraph_bold)
    }

    /// Adds text that white-space collapsing leaves alone.
    fn emit(&mut self, text: &str) {
        self.flush_space();
        self.builder.text(text, self.bold());
        self.at_start = false;
    }

    fn flush_space(&mut self) {
        if let Some(bold) = self.pending_space.take() {
            self.builder.text(" ", bold);
        }
    }
}

impl Visitor for Content<'_> {
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

    /// Collapses white space: runs become one space, dropped at the start
    /// and end of the paragraph.
    fn text(&mut self, text: &str) {
        if self.skipped > 0 || self.paragraphs == 0 {
            return;
        }
        let bold = self.bold();
        let mut chunk = String::with_capacity(text.len());
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                if !self.at_start && self.pending_space.is_none() {
                    if !chunk.is_empty() {
                        self.builder.text(&chunk, bold);
                        chunk.clear();
                    }
                    self.pending_space = Some(bold);
                }
            } else {
                if chunk.is_empty() {
                    self.flush_space();
                }
                chunk.push(c);
                self.at_start = false;
            }
        }
        self.builder.text(&chunk, bold);
    }
}

/// Whether an `fo:font-weight` is bold (`bold`, or 600 and up).
fn weight(value: &str) -> Option<bool> {
    match value.trim() {
        "bold" => Some(true),
        "normal" => Some(false),
        number => number.parse::<u16>().ok().map(|n| n >= 600),
    }
}

/// Bold settings of paragraph and text styles.
#[derive(Debug, Default)]
struct Styles {
    /// (family, name) → (parent style name, its own bold setting).
    styles: HashMap<(String, String), (Option<String>, Option<bool>)>,
}

impl Styles {
    /// The bold setting of style `name` of `family`, following parents.
    fn bold(&self, family: &str, name: &str) -> Option<bool> {
        let mut name = name.to_string();
        for _ in 0..MAX_STYLE_CHAIN {
            let (parent, bold) = self.styles.get(&(family.to_string(), name))?;
            if bold.is_some() {
                return *bold;
            }
            name = parent.clone()?;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0""#;

    fn content(styles: &str, body: &str) -> String {
        let xml = format!(
            "<office:document-content {NS}><office:automatic-styles>{styles}</office:automatic-styles>\
             <office:body><office:text>{body}</office:text></office:body></office:document-content>"
        );
        office::render(&read(&xml, &mut Styles::default(), true).unwrap())
    }

    crate::formats::testutil::word_fixture_tests! {
        extract: extract, extension: "odt", flip: (100, 61),
        part: "content.xml", without_part: "nocontent.odt",
        huddles: "We began with weekly huddles.\nNow it is daily.\tEvery   ward joins.",
        budgets: "Budgets, honestly. The care portal helps.\nShared records\nJoint visits",
    }

    #[test]
    fn white_space_collapses_as_odf_says() {
        let body = "<text:p>\n   Nurse:   We <text:span>  met</text:span>\n  weekly.  </text:p>\
                    <text:p><text:s/>Indented<text:s text:c=\"2\"/>twice <text:tab/>tab <text:line-break/> next</text:p>\
                    <text:p><text:s text:c=\"99999999999\"/></text:p>";
        let spaces = " ".repeat(MAX_SPACES);
        assert_eq!(
            content("", body),
            format!("Nurse: We met weekly.\n Indented  twice \ttab \n next\n{spaces}\n")
        );
    }

    #[test]
    fn notes_frames_ruby_and_list_numbers_are_not_text() {
        let body = r#"<text:p>Kept<text:note><text:note-citation>1</text:note-citation>
              <text:note-body><text:p>FOOTNOTE</text:p></text:note-body></text:note>
              text<draw:frame><draw:text-box><text:p>BOX</text:p></draw:text-box></draw:frame>
              <text:ruby><text:ruby-base>base</text:ruby-base><text:ruby-text>RUBY</text:ruby-text></text:ruby></text:p>
            <text:list><text:list-item><text:number>1.</text:number><text:p>Item</text:p>
              <text:list><text:list-item><text:p>Nested &amp; more</text:p></text:list-item></text:list>
            </text:list-item></text:list>
            <text:table-of-content><text:table-of-content-source><text:index-title-template>TEMPLATE</text:index-title-template></text:table-of-content-source>
              <text:index-body><text:p>Contents</text:p></text:index-body></text:table-of-content>"#;
        assert_eq!(
            content("", body),
            "Kept text base\nItem\nNested & more\nContents\n"
        );
    }

    #[test]
    fn bold_comes_from_span_or_paragraph_style() {
        let styles = r#"<style:style style:name="P1" style:family="paragraph">
              <style:text-properties fo:font-weight="bold"/></style:style>
            <style:style style:name="T1" style:family="text">
              <style:text-properties fo:font-weight="normal"/></style:style>
            <style:style style:name="T2" style:family="text">
              <style:text-properties fo:font-weight="600"/></style:style>"#;
        let body = r#"<text:p text:style-name="P1">Nurse:</text:p><text:p>Joined.</text:p>
            <text:p text:style-name="P1"><text:span text:style-name="T1">Nurse:</text:span></text:p><text:p>Not joined.</text:p>
            <text:p><text:span text:style-name="T2">Nurse:</text:span>Glued.</text:p>"#;
        assert_eq!(
            content(styles, body),
            "Nurse: Joined.\nNurse:\nNot joined.\nNurse: Glued.\n"
        );
    }

    #[test]
    fn speaker_table_with_covered_cells_and_header_rows() {
        let row = |a: &str, b: &str| {
            format!(
                "<table:table-row><table:table-cell><text:p>{a}</text:p></table:table-cell>\
                 <table:table-cell><text:p>{b}</text:p></table:table-cell></table:table-row>"
            )
        };
        let body = format!(
            "<table:table><table:table-column table:number-columns-repeated=\"2\"/>\
             <table:table-header-rows>{}</table:table-header-rows>{}{}\
             <table:table-row><table:table-cell table:number-columns-spanned=\"2\"><text:p>Break</text:p></table:table-cell>\
             <table:covered-table-cell/></table:table-row></table:table>",
            row("Speaker", "Utterance"),
            row("Interviewer", "Why?"),
            row("P1", "Because.")
        );
        assert_eq!(
            content("", &body),
            "Interviewer: Why?\nP1: Because.\nBreak\n"
        );
    }

    #[test]
    fn unclosed_content_is_malformed() {
        let xml = format!("<office:document-content {NS}><office:body><text:p>");
        assert!(matches!(
            read(&xml, &mut Styles::default(), true),
            Err(XmlError::Unclosed)
        ));
    }
}
