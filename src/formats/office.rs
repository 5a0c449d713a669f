//! What the Word and OpenDocument readers share: opening the zip package and
//! reading one part of it as text, a streaming walk over a part's XML, the
//! small document model both readers build (paragraphs of plain and bold
//! runs, tables), and laying that model out as `Label: text` lines.
//!
//! The layout is where speaker labels are recognised: a bold label glued to
//! its text gets a space, a bold label alone in its paragraph joins the next
//! paragraph, and a two-column `Speaker | Text` table becomes one line per
//! row. Deciding which elements hold text is each reader's business, not
//! this module's.

use std::fmt;
use std::io::{Cursor, Read};

use quick_xml::XmlVersion;
use quick_xml::escape::{EscapeError, resolve_predefined_entity};
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use zip::ZipArchive;
use zip::result::ZipError;

use super::FormatError;

/// The largest part read from an archive, uncompressed: a guard against zip
/// bombs. A long transcript's XML is a few megabytes; Word's markup is
/// verbose, but 64 MiB still holds several million words of text.
const MAX_PART_BYTES: u64 = 64 << 20;

/// Tables nested deeper than this are read as the text of their cells.
const MAX_TABLE_DEPTH: usize = 16;

/// The longest speaker label, in characters (the plain-text parser's limit).
const MAX_LABEL_CHARS: usize = 40;

/// First-column headers of a `Speaker | Text` table, lower case.
const SPEAKER_HEADERS: &[&str] = &["speaker", "name", "who", "person", "participant"];

/// Second-column headers of a `Speaker | Text` table, lower case.
const TEXT_HEADERS: &[&str] = &[
    "text",
    "transcript",
    "speech",
    "utterance",
    "dialogue",
    "response",
    "content",
];

/// An opened zip package (.docx or .odt).
pub(super) struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> Package<'a> {
    /// Opens `bytes` as a zip archive; `kind` (".docx") names the format in
    /// errors.
    pub(super) fn open(bytes: &'a [u8], kind: &str) -> Result<Package<'a>, FormatError> {
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Err(error(format!(
                "not a valid {kind} (zip): an OLE compound file \
                 (a legacy binary or password-protected document)"
            )));
        }
        let archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|err| error(format!("not a valid {kind} (zip): {err}")))?;
        Ok(Package { archive })
    }

    /// Reads the part `name` as UTF-8 text, or `None` when there is no such
    /// part.
    ///
    /// A part whose declared size is over the limit is refused before any
    /// of it is inflated; since a declared size can lie, no more than the
    /// limit is ever inflated either.
    pub(super) fn part(&mut self, name: &str) -> Result<Option<String>, FormatError> {
        let file = match self.archive.by_name(name) {
            Ok(file) => file,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(err) => return Err(error(format!("cannot read {name} in the archive: {err}"))),
        };
        let declared = file.size();
        let too_large = |how: String| {
            error(format!(
                "{name} is larger than {} MiB uncompressed ({how}): not read, \
                 a guard against zip bombs",
                MAX_PART_BYTES >> 20
            ))
        };
        if declared > MAX_PART_BYTES {
            return Err(too_large(format!("it declares {declared} bytes")));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
        file.take(MAX_PART_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|err| error(format!("cannot read {name} in the archive: {err}")))?;
        if bytes.len() as u64 > MAX_PART_BYTES {
            return Err(too_large(format!("although it declares {declared} bytes")));
        }
        let mut text = String::from_utf8(bytes)
            .map_err(|err| error(format!("{name} is not UTF-8 text: {}", err.utf8_error())))?;
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        Ok(Some(text))
    }
}

/// A whole-file error.
pub(super) fn error(message: String) -> FormatError {
    FormatError { line: 0, message }
}

/// The error for a part whose XML could not be read.
pub(super) fn xml_error(part: &str, err: XmlError) -> FormatError {
    error(format!("malformed XML in {part}: {err}"))
}

/// Why a part's XML could not be read.
#[derive(Debug)]
pub(super) enum XmlError {
    /// What quick-xml found.
    Xml(quick_xml::Error),
    /// The text ends with elements still open.
    Unclosed,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlError::Xml(err) => write!(f, "{err}"),
            XmlError::Unclosed => f.write_str("it ends before its elements are closed"),
        }
    }
}

impl From<quick_xml::Error> for XmlError {
    fn from(err: quick_xml::Error) -> Self {
        XmlError::Xml(err)
    }
}

impl From<AttrError> for XmlError {
    fn from(err: AttrError) -> Self {
        XmlError::Xml(err.into())
    }
}

impl From<EscapeError> for XmlError {
    fn from(err: EscapeError) -> Self {
        XmlError::Xml(err.into())
    }
}

/// Receives a part's XML as [`walk`] reads it.
pub(super) trait Visitor {
    /// An element opens; for an empty element `end` follows at once.
    fn start(&mut self, element: &BytesStart<'_>) -> Result<(), XmlError>;
    /// The most recently started element ends.
    fn end(&mut self);
    /// Character data, entities and CDATA resolved.
    fn text(&mut self, text: &str);
}

/// Streams `xml` through `visitor`, start and end tags matched.
pub(super) fn walk(xml: &str, visitor: &mut impl Visitor) -> Result<(), XmlError> {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        match reader.read_event()? {
            Event::Start(element) => {
                depth += 1;
                visitor.start(&element)?;
            }
            Event::Empty(element) => {
                visitor.start(&element)?;
                visitor.end();
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                visitor.end();
            }
            Event::Text(text) => visitor.text(&text.xml10_content()),
            Event::CData(text) => visitor.text(&text.xml10_content()),
            Event::GeneralRef(reference) => {
                if let Some(c) = reference.resolve_char_ref()? {
                    visitor.text(c.encode_utf8(&mut [0; 4]));
                } else if let Some(s) = resolve_predefined_entity(&reference) {
                    visitor.text(s);
                } else {
                    return Err(EscapeError::UnrecognizedEntity(0..0, reference.to_string()).into());
                }
            }
            Event::Eof if depth > 0 => return Err(XmlError::Unclosed),
            Event::Eof => return Ok(()),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

/// The value of `element`'s attribute whose local name is `local`.
pub(super) fn attribute(element: &BytesStart<'_>, local: &str) -> Result<Option<String>, XmlError> {
    for attr in element.attributes() {
        let attr = attr?;
        if attr.key.local_name().as_ref() == local {
            return Ok(Some(
                attr.normalized_value(XmlVersion::Implicit1_0)?.into_owned(),
            ));
        }
    }
    Ok(None)
}

/// A paragraph: runs of text, each plain or bold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Paragraph {
    /// Adjacent runs differ in boldness (see [`Paragraph::push`]).
    runs: Vec<Run>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    text: String,
    bold: bool,
}

impl Paragraph {
    /// Appends text, merging it into the last run when the boldness matches.
    fn push(&mut self, text: &str, bold: bool) {
        match self.runs.last_mut() {
            Some(run) if run.bold == bold => run.text.push_str(text),
            _ => self.runs.push(Run {
                text: text.to_string(),
                bold,
            }),
        }
    }

    fn append(&mut self, other: Paragraph) {
        for run in other.runs {
            self.push(&run.text, run.bold);
        }
    }

    fn text(&self) -> String {
        self.runs.iter().map(|run| run.text.as_str()).collect()
    }
}

/// A block of the document body or of a table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Block {
    /// One paragraph (a heading, a list item).
    Paragraph(Paragraph),
    /// Rows of cells, each cell a list of blocks.
    Table(Vec<Vec<Vec<Block>>>),
}

enum Frame {
    /// The body, or a table cell.
    Blocks(Vec<Block>),
    Table(Vec<Vec<Vec<Block>>>),
    Row(Vec<Vec<Block>>),
}

/// Builds the blocks of a document from a reader's events.
///
/// The `start_*` methods for table parts return whether they opened
/// something; call the matching `end_*` only when they did.
pub(super) struct Builder {
    stack: Vec<Frame>,
    paragraph: Option<Paragraph>,
    /// A paragraph whose mark was deleted, to be joined to the next one.
    carry: Option<Paragraph>,
    tables: usize,
}

impl Builder {
    /// An empty document.
    pub(super) fn new() -> Builder {
        Builder {
            stack: vec![Frame::Blocks(Vec::new())],
            paragraph: None,
            carry: None,
            tables: 0,
        }
    }

    /// Starts a paragraph (closing one left open).
    pub(super) fn start_paragraph(&mut self) {
        self.close_paragraph();
        self.paragraph = Some(self.carry.take().unwrap_or_default());
    }

    /// Adds text to the open paragraph (opening one if needed).
    pub(super) fn text(&mut self, text: &str, bold: bool) {
        if !text.is_empty() {
            self.paragraph.get_or_insert_default().push(text, bold);
        }
    }

    /// Ends the open paragraph.
    pub(super) fn end_paragraph(&mut self) {
        self.close_paragraph();
    }

    /// Ends the open paragraph without a break: its text begins the next
    /// paragraph (a tracked deletion of the paragraph mark).
    pub(super) fn end_paragraph_joined(&mut self) {
        if let Some(paragraph) = self.paragraph.take() {
            self.carry = Some(paragraph);
        }
    }

    /// Starts a table, unless tables are nested too deep.
    pub(super) fn start_table(&mut self) -> bool {
        self.settle();
        if self.tables >= MAX_TABLE_DEPTH {
            return false;
        }
        self.tables += 1;
        self.stack.push(Frame::Table(Vec::new()));
        true
    }

    /// Starts a row, if a table is open.
    pub(super) fn start_row(&mut self) -> bool {
        self.settle();
        if !matches!(self.stack.last(), Some(Frame::Table(_))) {
            return false;
        }
        self.stack.push(Frame::Row(Vec::new()));
        true
    }

    /// Starts a cell, if a row is open.
    pub(super) fn start_cell(&mut self) -> bool {
        self.settle();
        if !matches!(self.stack.last(), Some(Frame::Row(_))) {
            return false;
        }
        self.stack.push(Frame::Blocks(Vec::new()));
        true
    }

    /// Ends the open cell.
    pub(super) fn end_cell(&mut self) {
        self.settle();
        if self.stack.len() > 1
            && let Some(Frame::Blocks(cell)) = self.stack.pop()
            && let Some(Frame::Row(cells)) = self.stack.last_mut()
        {
            cells.push(cell);
        }
    }

    /// Ends the open row; `keep` is false for a deleted row.
    pub(super) fn end_row(&mut self, keep: bool) {
        self.settle();
        if let Some(Frame::Row(_)) = self.stack.last()
            && let Some(Frame::Row(cells)) = self.stack.pop()
            && keep
            && let Some(Frame::Table(rows)) = self.stack.last_mut()
        {
            rows.push(cells);
        }
    }

    /// Ends the open table.
    pub(super) fn end_table(&mut self) {
        self.settle();
        if let Some(Frame::Table(_)) = self.stack.last()
            && let Some(Frame::Table(rows)) = self.stack.pop()
        {
            self.tables -= 1;
            self.add(Block::Table(rows));
        }
    }

    /// The document's blocks, anything left open closed.
    pub(super) fn finish(mut self) -> Vec<Block> {
        self.settle();
        while self.stack.len() > 1 {
            match self.stack.last() {
                Some(Frame::Blocks(_)) => self.end_cell(),
                Some(Frame::Row(_)) => self.end_row(true),
                Some(Frame::Table(_)) => self.end_table(),
                None => break,
            }
        }
        match self.stack.pop() {
            Some(Frame::Blocks(blocks)) => blocks,
            _ => Vec::new(),
        }
    }

    fn close_paragraph(&mut self) {
        if let Some(paragraph) = self.paragraph.take() {
            self.add(Block::Paragraph(paragraph));
        }
    }

    /// Closes the open paragraph and any pending joined one, before a
    /// table boundary.
    fn settle(&mut self) {
        let open = self.paragraph.take();
        if let Some(mut carried) = self.carry.take() {
            if let Some(open) = open {
                carried.append(open);
            }
            self.add(Block::Paragraph(carried));
        } else if let Some(open) = open {
            self.add(Block::Paragraph(open));
        }
    }

    fn add(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(Frame::Blocks(blocks)) => blocks.push(block),
            Some(Frame::Row(cells)) => cells.push(vec![block]),
            Some(Frame::Table(rows)) => rows.push(vec![vec![block]]),
            None => {}
        }
    }
}

/// Lays out blocks as text, one line per paragraph, each ending in `\n`.
pub(super) fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    render_blocks(blocks, &mut out);
    out
}

fn render_blocks(blocks: &[Block], out: &mut String) {
    let mut i = 0;
    while i < blocks.len() {
        match &blocks[i] {
            Block::Paragraph(paragraph) => {
                if let Some(label) = label_paragraph(paragraph)
                    && let Some(Block::Paragraph(next)) = blocks.get(i + 1)
                    && label_paragraph(next).is_none()
                {
                    let text = line(next);
                    if !text.trim().is_empty() && !starts_with_label(&text) {
                        push_line(out, &format!("{label}: {}", text.trim_start()));
                        i += 2;
                        continue;
                    }
                }
                push_line(out, &line(paragraph));
            }
            Block::Table(rows) => render_table(rows, out),
        }
        i += 1;
    }
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// A paragraph's text, with a space after a bold label glued to its text
/// (`**Nurse:**We` → `Nurse: We`, `**Nurse**:We` → `Nurse: We`).
fn line(paragraph: &Paragraph) -> String {
    let text = paragraph.text();
    let mut lead = 0;
    let Some(first) = paragraph.runs.iter().find(|run| {
        let blank = run.text.trim().is_empty();
        if blank {
            lead += run.text.len();
        }
        !blank
    }) else {
        return text;
    };
    if !first.bold {
        return text;
    }
    let bold_end = lead + first.text.len();
    let rest = &text[bold_end..];
    let glued = |s: &str| s.starts_with(|c: char| !c.is_whitespace());
    let label = first.text.trim_start();
    let at = if let Some(label) = label.strip_suffix(':') {
        (is_label(label.trim_end()) && glued(rest)).then_some(bold_end)
    } else {
        let after = rest.strip_prefix(':');
        (is_label(label.trim_end()) && after.is_some_and(glued)).then_some(bold_end + 1)
    };
    match at {
        Some(at) => format!("{} {}", &text[..at], &text[at..]),
        None => text,
    }
}

/// The label of a paragraph that is only a bold label (`**Nurse:**`).
fn label_paragraph(paragraph: &Paragraph) -> Option<String> {
    let all_bold = paragraph
        .runs
        .iter()
        .all(|run| run.bold || run.text.trim().is_empty());
    if !all_bold {
        return None;
    }
    let label = paragraph
        .text()
        .trim()
        .strip_suffix(':')?
        .trim_end()
        .to_string();
    is_label(&label).then_some(label)
}

/// Whether `text` opens with `Label:` followed by a space or nothing.
fn starts_with_label(text: &str) -> bool {
    let text = text.trim_start();
    text.split_once(':').is_some_and(|(label, after)| {
        is_label(label.trim_end()) && (after.is_empty() || after.starts_with([' ', '\t']))
    })
}

/// Whether `s` can be a speaker label: a letter, then letters, digits and a
/// little punctuation, at most four words and 40 characters (as the
/// plain-text parser accepts).
fn is_label(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_alphabetic)
        && s.chars().count() <= MAX_LABEL_CHARS
        && s.split_whitespace().count() <= 4
        && s.chars()
            .all(|c| c.is_alphanumeric() || " ._'’()-".contains(c))
}

fn render_table(rows: &[Vec<Vec<Block>>], out: &mut String) {
    if let Some(lines) = speaker_table(rows) {
        for line in lines {
            push_line(out, &line);
        }
        return;
    }
    for cell in rows.iter().flatten() {
        render_blocks(cell, out);
    }
}

/// The lines of a `Speaker | Text` table, or `None` when the table is not
/// one: two cells in every row (or one spanning both, read as text without
/// a label), a label or nothing in the first.
fn speaker_table(rows: &[Vec<Vec<Block>>]) -> Option<Vec<String>> {
    let mut parsed = Vec::with_capacity(rows.len());
    for row in rows {
        let (speaker, text) = match row.as_slice() {
            [speaker, text] => (paragraphs(speaker)?, text),
            [spanned] => (Vec::new(), spanned),
            _ => return None,
        };
        let mut names = speaker
            .iter()
            .map(|p| p.text())
            .filter(|t| !t.trim().is_empty());
        let name = names.next().unwrap_or_default();
        if names.next().is_some() {
            return None;
        }
        let name = name.trim();
        let name = name
            .strip_suffix(':')
            .unwrap_or(name)
            .trim_end()
            .to_string();
        if !name.is_empty() && !is_label(&name) {
            return None;
        }
        let lines: Vec<String> = paragraphs(text)?.into_iter().map(line).collect();
        let first = lines.iter().position(|l| !l.trim().is_empty());
        let last = lines.iter().rposition(|l| !l.trim().is_empty());
        let text = match (first, last) {
            (Some(first), Some(last)) => lines[first..=last].join("\n"),
            _ => String::new(),
        };
        parsed.push((name, text));
    }
    if let Some((name, text)) = parsed.first() {
        let text = text.trim().to_lowercase();
        let text = text.strip_suffix(':').unwrap_or(&text);
        if SPEAKER_HEADERS.contains(&name.to_lowercase().as_str()) && TEXT_HEADERS.contains(&text) {
            parsed.remove(0);
        }
    }
    if !parsed.iter().any(|(name, _)| !name.is_empty()) {
        return None;
    }
    let lines = parsed
        .into_iter()
        .map(|(name, text)| match (name.is_empty(), text.is_empty()) {
            (true, _) => text,
            (false, true) => format!("{name}:"),
            (false, false) => format!("{name}: {}", text.trim_start()),
        })
        .collect();
    Some(lines)
}

/// The paragraphs of a cell that holds nothing else.
fn paragraphs(cell: &[Block]) -> Option<Vec<&Paragraph>> {
    cell.iter()
        .map(|block| match block {
            Block::Paragraph(paragraph) => Some(paragraph),
            Block::Table(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(runs: &[(&str, bool)]) -> Block {
        let mut paragraph = Paragraph::default();
        for (text, bold) in runs {
            paragraph.push(text, *bold);
        }
        Block::Paragraph(paragraph)
    }

    fn plain(text: &str) -> Block {
        para(&[(text, false)])
    }

    fn table(rows: &[&[&[&str]]]) -> Block {
        Block::Table(
            rows.iter()
                .map(|row| {
                    row.iter()
                        .map(|cell| cell.iter().map(|t| plain(t)).collect())
                        .collect()
                })
                .collect(),
        )
    }

    #[test]
    fn bold_label_glued_to_its_text_gets_a_space() {
        let blocks = [
            para(&[("Nurse:", true), ("We met.", false)]),
            para(&[("Nurse", true), (":We met.", false)]),
            para(&[(" ", false), ("Nurse:", true), (" We met.", false)]),
            para(&[("Note:", true), ("http://x", false)]),
            para(&[("Two words: and more", true), ("x", false)]),
        ];
        assert_eq!(
            render(&blocks),
            "Nurse: We met.\nNurse: We met.\n Nurse: We met.\nNote: http://x\nTwo words: and morex\n"
        );
    }

    #[test]
    fn bold_label_paragraph_joins_the_next_paragraph() {
        let blocks = [
            para(&[("Nurse:", true)]),
            plain("  We met weekly."),
            para(&[("Nurse:", true)]),
            plain(""),
            plain("Text after a blank line."),
            para(&[("Interview 4:", true)]),
            plain("Interviewer: Hello."),
            para(&[("Nurse:", false)]),
            plain("Not bold, so not joined."),
        ];
        assert_eq!(
            render(&blocks),
            "Nurse: We met weekly.\nNurse:\n\nText after a blank line.\nInterview 4:\n\
             Interviewer: Hello.\nNurse:\nNot bold, so not joined.\n"
        );
    }

    #[test]
    fn speaker_table_becomes_labelled_lines() {
        let blocks = [table(&[
            &[&["Speaker"], &["Text"]],
            &[&["Interviewer:"], &["Why?"]],
            &[&["P1"], &["", "One.", "Two.", ""]],
            &[&[""], &["More from P1."]],
            &[&["P2"], &[]],
            &[&["[Break in recording]"]],
        ])];
        assert_eq!(
            render(&blocks),
            "Interviewer: Why?\nP1: One.\nTwo.\nMore from P1.\nP2:\n[Break in recording]\n"
        );
    }

    #[test]
    fn other_tables_are_read_cell_by_cell() {
        let blocks = [
            table(&[
                &[&["Site"], &["Visits"], &["Delays"]],
                &[&["North"], &["12"], &["3"]],
            ]),
            table(&[&[
                &["A long first cell that is a sentence, not a label."],
                &["x"],
            ]]),
            table(&[&[&["Only"]], &[&["one column"]]]),
        ];
        assert_eq!(
            render(&blocks),
            "Site\nVisits\nDelays\nNorth\n12\n3\n\
             A long first cell that is a sentence, not a label.\nx\nOnly\none column\n"
        );
    }

    #[test]
    fn builder_joins_a_paragraph_whose_mark_was_deleted() {
        let mut builder = Builder::new();
        builder.start_paragraph();
        builder.text("One ", false);
        builder.end_paragraph_joined();
        builder.start_paragraph();
        builder.text("two.", false);
        builder.end_paragraph();
        builder.start_paragraph();
        builder.end_paragraph_joined();
        assert_eq!(render(&builder.finish()), "One two.\n\n");
    }

    #[test]
    fn builder_survives_unbalanced_and_deep_tables() {
        let mut builder = Builder::new();
        let mut opened = 0;
        for _ in 0..100 {
            opened += usize::from(builder.start_table());
            builder.start_row();
            builder.start_cell();
        }
        assert_eq!(opened, MAX_TABLE_DEPTH);
        builder.text("deep", false);
        assert!(!builder.start_cell());
        assert_eq!(render(&builder.finish()), "deep\n");
    }
}
