//! Codebook exchange with other tools: REFI-QDA `.qdc` (and the codebook
//! inside a `.qdpx` project), spreadsheets (CSV), Markdown and JSON.
//!
//! Writers take a [`Codebook`] and an `impl Write`; readers take bytes and
//! give an [`Imported`] codebook plus the warnings a person should see. This
//! module never prints, never opens files and knows nothing of the command
//! line: that is `mint codebook export|import`.
//!
//! # `.qdc` (REFI-QDA codebook)
//!
//! * Each theme is a `<Code isCodable="false">`; its codes are nested in it
//!   as `<Code isCodable="true">`, and sub-codes nest under their parent.
//! * GUIDs are stable: UUIDv5 of `theme:<id>` or `code:<id>` in the
//!   namespace UUIDv5(URL, `"mint"`), written upper case
//!   ([`theme_guid`], [`code_guid`]).
//! * Colours are `#RRGGBB`, one per theme from a fixed palette by theme
//!   order; a theme's codes share its colour.
//! * `<Description>` holds a human-readable block (`Definition: …`,
//!   `When to use: …`, `When not to use: …`, `Examples:` with `- ` items),
//!   then a blank line and a `[mint]` block of TOML with the id, the
//!   patterns and every other field a round trip needs. When the readable
//!   block cannot be read back exactly (say a definition with a line that
//!   starts `When to use:`), those fields go into `[mint]` too, which wins.
//! * Not carried (a `.qdc` has no place for them): the codebook's name,
//!   version, description and `spelling_variants`. [`write_qdc`] reports
//!   them.
//!
//! Reading follows the lenient rules of REFI-QDA importers: elements are
//! matched by local name, namespace variants are accepted, and what does not
//! conform (such as Taguette's empty `<Sets/>`) gives a warning, not a
//! refusal. Top-level codes with children (or `isCodable="false"`) become
//! themes, the codes under them codes, deeper ones sub-codes; a top-level
//! code with no children goes under a theme `uncategorised`. Ids come from
//! the `[mint]` block, or are snake_case slugs of the names. A code without
//! patterns gets its name as its one pattern, with a warning. Foreign GUIDs
//! and colours are not kept: mint derives its own.
//!
//! # CSV
//!
//! One row per code, in the columns of [`CSV_COLUMNS`]. List fields
//! (`examples`, `patterns`, …) are joined by `; `; a `;` inside an item is
//! written doubled (`;;`), and items are trimmed. A theme with no codes gets
//! a row with an empty `code`. [`read_csv`] also takes a hand-made sheet with
//! only `theme`, `code` (or `label`/`name`), `definition` and `patterns`
//! columns, headers in any case, separated by `,`, `;` or tabs.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{Cursor, Read, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde::Serialize;
use uuid::Uuid;

use crate::codebook::{Code, Codebook, Meta, Origin, Theme};
use crate::pattern;

/// The namespace of a REFI-QDA codebook (`.qdc`).
pub const CODEBOOK_NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";

/// The namespace of a REFI-QDA project (`project.qde` in a `.qdpx`).
pub const PROJECT_NAMESPACE: &str = "urn:QDA-XML:project:1.0";

/// The columns [`write_csv`] writes, in order.
pub const CSV_COLUMNS: [&str; 18] = [
    "theme",
    "theme_label",
    "code",
    "label",
    "parent",
    "origin",
    "definition",
    "when_to_use",
    "when_not_to_use",
    "examples",
    "patterns",
    "exclude",
    "theme_description",
    "short_definition",
    "counterexamples",
    "min_hits",
    "not_after",
    "not_after_words",
];

/// The id of the theme that collects imported codes found outside any theme.
pub const UNCATEGORISED: &str = "uncategorised";

/// Theme colours, by theme order (Sasha Trubetskoy's 20 distinct colours).
const PALETTE: [&str; 20] = [
    "#E6194B", "#3CB44B", "#FFE119", "#4363D8", "#F58231", "#911EB4", "#46F0F0", "#F032E6",
    "#BCF60C", "#FABEBE", "#008080", "#E6BEFF", "#9A6324", "#FFFAC8", "#800000", "#AAFFC3",
    "#808000", "#FFD8B1", "#000075", "#808080",
];

/// The largest `project.qde` read from a `.qdpx` (a guard against zip bombs).
const MAX_QDE_BYTES: u64 = 512 * 1024 * 1024;

/// A problem that stops an export or an import.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// A `.qdc` needs at least one code.
    #[error(
        "the codebook has no codes, and a .qdc must hold at least one <Code>: add a code first"
    )]
    NoCodes,
    /// A code is not reachable from its theme (a broken parent chain).
    #[error("code {0:?} cannot be placed under its theme (check its theme and parent)")]
    Unplaced(String),
    /// The XML is not well-formed.
    #[error("line {line}: {message}")]
    Xml {
        /// 1-based line of the problem.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// No `<CodeBook>` element in the file.
    #[error("no <CodeBook> element found")]
    NoCodebook,
    /// The codebook in the file has no codes.
    #[error("the codebook in the file has no codes")]
    Empty,
    /// The `.qdpx` is not a zip archive that can be read.
    #[error("not a readable .qdpx (zip) archive")]
    Zip(#[source] zip::result::ZipError),
    /// The `.qdpx` has no `.qde` at its root.
    #[error("the .qdpx has no project.qde (or other .qde file) at its root")]
    NoQde,
    /// The CSV cannot be parsed.
    #[error("line {line}: {message}")]
    CsvSyntax {
        /// 1-based line of the problem.
        line: u64,
        /// The parser's message.
        message: String,
    },
    /// A column the CSV needs is missing.
    #[error("the CSV has no {wanted} column (it has: {found})")]
    MissingColumn {
        /// What is missing.
        wanted: String,
        /// The columns it has.
        found: String,
    },
    /// Writing CSV failed.
    #[error("cannot write CSV")]
    Csv(#[source] csv::Error),
    /// Writing JSON failed.
    #[error("cannot write JSON")]
    Json(#[from] serde_json::Error),
    /// Serialising TOML failed.
    #[error("cannot write TOML")]
    Toml(#[from] toml::ser::Error),
    /// Reading or writing failed.
    #[error("input/output failed")]
    Io(#[from] std::io::Error),
}

/// What an export could not carry, for the person running it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Data the format has no place for (worth a note).
    pub dropped: Vec<String>,
    /// Changes that alter how the codebook codes (worth a warning).
    pub warnings: Vec<String>,
}

/// A codebook read from another format.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The codebook. Not yet validated: call [`Codebook::validate`].
    pub codebook: Codebook,
    /// The file's `origin` attribute (the tool that wrote it), if any.
    pub origin: Option<String>,
    /// What did not conform or was dropped, one message each.
    pub warnings: Vec<String>,
    /// How many codes got patterns made from their names.
    pub patterns_from_names: usize,
}

/// The GUID of a theme in exported files: stable across exports.
///
/// ```
/// let g = mint::exchange::theme_guid("vision");
/// assert_eq!(g, mint::exchange::theme_guid("vision"));
/// assert_eq!(g.len(), 36);
/// assert_eq!(g, g.to_uppercase());
/// ```
pub fn theme_guid(id: &str) -> String {
    guid(&format!("theme:{id}"))
}

/// The GUID of a code in exported files: stable across exports.
pub fn code_guid(id: &str) -> String {
    guid(&format!("code:{id}"))
}

fn guid(name: &str) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"mint");
    Uuid::new_v5(&namespace, name.as_bytes())
        .hyphenated()
        .to_string()
        .to_uppercase()
}

// ---------------------------------------------------------------------------
// The code tree shared by the writers
// ---------------------------------------------------------------------------

struct ThemeTree<'a> {
    theme: &'a Theme,
    codes: Vec<Node<'a>>,
}

struct Node<'a> {
    code: &'a Code,
    children: Vec<Node<'a>>,
}

/// Themes in order, each with its codes as a tree (file order among
/// siblings). Every code must be placed.
fn tree(book: &Codebook) -> Result<Vec<ThemeTree<'_>>, ExchangeError> {
    let mut placed = vec![false; book.codes.len()];
    let themes = book
        .themes
        .iter()
        .map(|theme| ThemeTree {
            theme,
            codes: children(book, &theme.id, None, &mut placed),
        })
        .collect();
    match placed.iter().position(|p| !p) {
        Some(i) => Err(ExchangeError::Unplaced(book.codes[i].id.clone())),
        None => Ok(themes),
    }
}

fn children<'a>(
    book: &'a Codebook,
    theme: &str,
    parent: Option<&str>,
    placed: &mut [bool],
) -> Vec<Node<'a>> {
    let mut out = Vec::new();
    for (i, code) in book.codes.iter().enumerate() {
        if placed[i] || code.theme != theme || code.parent.as_deref() != parent {
            continue;
        }
        placed[i] = true;
        let children = children(book, theme, Some(&code.id), placed);
        out.push(Node { code, children });
    }
    out
}

/// The codes of a tree in depth-first order, with their depth (0 = directly
/// under the theme).
fn flatten<'a>(nodes: &'a [Node<'a>], depth: usize, out: &mut Vec<(usize, &'a Code)>) {
    for node in nodes {
        out.push((depth, node.code));
        flatten(&node.children, depth + 1, out);
    }
}

// ---------------------------------------------------------------------------
// .qdc writer
// ---------------------------------------------------------------------------

/// Writes the codebook as a REFI-QDA `.qdc` that validates against
/// `Codebook.xsd`. Refuses a codebook with no codes.
pub fn write_qdc(book: &Codebook, w: impl Write) -> Result<Report, ExchangeError> {
    if book.codes.is_empty() {
        return Err(ExchangeError::NoCodes);
    }
    let themes = tree(book)?;
    let mut report = Report::default();
    let meta = &book.codebook;
    let mut dropped: Vec<&str> = Vec::new();
    for (what, value) in [
        ("name", &meta.name),
        ("version", &meta.version),
        ("description", &meta.description),
    ] {
        if !value.is_empty() {
            dropped.push(what);
        }
    }
    if let Some((last, rest)) = dropped.split_last() {
        let what = match rest {
            [] => last.to_string(),
            _ => format!("{} and {last}", rest.join(", ")),
        };
        report.dropped.push(format!(
            "the codebook's {what} (a .qdc has no place for them)"
        ));
    }
    if !meta.spelling_variants {
        report.warnings.push(
            "spelling_variants = false is not kept in a .qdc: a re-import matches spelling variants again"
                .to_string(),
        );
    }
    let mut xml = quick_xml::Writer::new_with_indent(w, b' ', 2);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let mut root = BytesStart::new("CodeBook");
    root.push_attribute(("xmlns", CODEBOOK_NAMESPACE));
    root.push_attribute((
        "origin",
        format!("mint {}", env!("CARGO_PKG_VERSION")).as_str(),
    ));
    xml.write_event(Event::Start(root))?;
    xml.write_event(Event::Start(BytesStart::new("Codes")))?;
    for (i, t) in themes.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let theme = t.theme;
        let name = element_name(&theme.label, &theme.id);
        let description = theme_description(theme, &name);
        let element = QdcCode {
            guid: theme_guid(&theme.id),
            name,
            codable: false,
            color,
            description,
        };
        element.write(&mut xml, |xml| write_nodes(xml, &t.codes, color))?;
    }
    xml.write_event(Event::End(BytesEnd::new("Codes")))?;
    xml.write_event(Event::End(BytesEnd::new("CodeBook")))?;
    xml.get_mut().write_all(b"\n")?;
    Ok(report)
}

type XmlWriter<W> = quick_xml::Writer<W>;

/// One `<Code>` element to write.
struct QdcCode {
    guid: String,
    name: String,
    codable: bool,
    color: &'static str,
    description: String,
}

impl QdcCode {
    /// Writes the element, its description and (through `inner`) its child
    /// codes. Characters XML cannot hold are left out (the `[mint]` block
    /// keeps them, escaped).
    fn write<W: Write>(
        &self,
        xml: &mut XmlWriter<W>,
        inner: impl FnOnce(&mut XmlWriter<W>) -> Result<(), ExchangeError>,
    ) -> Result<(), ExchangeError> {
        let (name, _) = xml_clean(&self.name);
        let (description, _) = xml_clean(&self.description);
        let mut start = BytesStart::new("Code");
        start.push_attribute(("guid", self.guid.as_str()));
        start.push_attribute(("name", name.as_ref()));
        start.push_attribute(("isCodable", if self.codable { "true" } else { "false" }));
        start.push_attribute(("color", self.color));
        xml.write_event(Event::Start(start))?;
        if !description.is_empty() {
            xml.write_event(Event::Start(BytesStart::new("Description")))?;
            let escaped = quick_xml::escape::partial_escape(description.as_ref());
            xml.write_event(Event::Text(BytesText::from_escaped(escaped)))?;
            xml.write_event(Event::End(BytesEnd::new("Description")))?;
        }
        inner(xml)?;
        xml.write_event(Event::End(BytesEnd::new("Code")))?;
        Ok(())
    }
}

fn write_nodes<W: Write>(
    xml: &mut XmlWriter<W>,
    nodes: &[Node<'_>],
    color: &'static str,
) -> Result<(), ExchangeError> {
    for node in nodes {
        let code = node.code;
        let name = element_name(&code.label, &code.id);
        let element = QdcCode {
            guid: code_guid(&code.id),
            description: code_description(code, &name),
            name,
            codable: true,
            color,
        };
        element.write(xml, |xml| write_nodes(xml, &node.children, color))?;
    }
    Ok(())
}

/// The `name` attribute: the label (the id when there is none) on one line,
/// since XML turns line breaks in attributes into spaces.
fn element_name(label: &str, id: &str) -> String {
    let name = if label.is_empty() { id } else { label };
    let one_line: String = name
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    xml_clean(&one_line).0.into_owned()
}

/// Leaves out the characters XML 1.0 cannot hold; returns how many.
fn xml_clean(s: &str) -> (Cow<'_, str>, usize) {
    let ok = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    };
    if s.chars().all(ok) {
        return (Cow::Borrowed(s), 0);
    }
    let kept: String = s.chars().filter(|&c| ok(c)).collect();
    let dropped = s.chars().count() - kept.chars().count();
    (Cow::Owned(kept), dropped)
}

fn theme_description(theme: &Theme, name: &str) -> String {
    let mut block = Block::default();
    block.string("id", &theme.id);
    if name != theme.label {
        block.string("label", &theme.label);
    }
    let human = xml_clean(&theme.description).0;
    if human != theme.description {
        block.string("description", &theme.description);
    }
    join_description(&human, &block)
}

fn code_description(code: &Code, name: &str) -> String {
    let fields = Human::of(code);
    let human = xml_clean(&fields.render()).0.into_owned();
    let exact = Human::parse(&human).0 == fields;
    let mut block = Block::default();
    block.string("id", &code.id);
    if name != code.label {
        block.string("label", &code.label);
    }
    if code.origin != Origin::Predefined {
        block.string("origin", code.origin.as_str());
    }
    if !exact {
        block.string("short_definition", &code.short_definition);
        block.string("definition", &code.definition);
        block.string("when_to_use", &code.when_to_use);
        block.string("when_not_to_use", &code.when_not_to_use);
        block.list("examples", &code.examples);
        block.list("counterexamples", &code.counterexamples);
    }
    block.list("patterns", &code.patterns);
    if !code.exclude.is_empty() {
        block.list("exclude", &code.exclude);
    }
    if let Some(n) = code.min_hits {
        block.integer("min_hits", n);
    }
    if !code.not_after.is_empty() {
        block.list("not_after", &code.not_after);
    }
    if let Some(n) = code.not_after_words {
        block.integer("not_after_words", n);
    }
    join_description(&human, &block)
}

fn join_description(human: &str, block: &Block) -> String {
    let block = block.lines.join("\n");
    if human.is_empty() {
        format!("[mint]\n{block}")
    } else {
        format!("{human}\n\n[mint]\n{block}")
    }
}

/// The `[mint]` block: one `key = value` per line, every string on one line
/// (escaped), so no line of it can be mistaken for anything else.
#[derive(Default)]
struct Block {
    lines: Vec<String>,
}

impl Block {
    fn string(&mut self, key: &str, value: &str) {
        self.lines.push(format!("{key} = {}", toml_string(value)));
    }

    fn list(&mut self, key: &str, values: &[String]) {
        let items: Vec<String> = values.iter().map(|v| toml_string(v)).collect();
        self.lines.push(format!("{key} = [{}]", items.join(", ")));
    }

    fn integer(&mut self, key: &str, value: u32) {
        self.lines.push(format!("{key} = {value}"));
    }
}

/// A one-line TOML string: a literal `'…'` when that saves escapes (regex
/// patterns), a basic `"…"` string otherwise.
fn toml_string(value: &str) -> String {
    let literal_ok =
        !value.contains('\'') && !value.chars().any(|c| c != '\t' && needs_toml_escape(c));
    if literal_ok && (value.contains('"') || value.contains('\\')) {
        return format!("'{value}'");
    }
    toml_basic_string(value)
}

/// Characters a TOML string must escape.
fn needs_toml_escape(c: char) -> bool {
    c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// A TOML basic string (`"…"`) on one line, escaped as TOML requires.
pub fn toml_basic_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_toml_escape(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The definition fields of a code, as the readable part of a description.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Human {
    short_definition: String,
    definition: String,
    when_to_use: String,
    when_not_to_use: String,
    examples: Vec<String>,
    counterexamples: Vec<String>,
}

/// Labels of the one-line fields, in the order they are written.
const SCALAR_LABELS: [&str; 4] = [
    "Short definition:",
    "Definition:",
    "When to use:",
    "When not to use:",
];
/// Labels of the list fields, each alone on its line.
const LIST_LABELS: [&str; 2] = ["Examples:", "Counterexamples:"];

impl Human {
    fn of(code: &Code) -> Human {
        Human {
            short_definition: code.short_definition.clone(),
            definition: code.definition.clone(),
            when_to_use: code.when_to_use.clone(),
            when_not_to_use: code.when_not_to_use.clone(),
            examples: code.examples.clone(),
            counterexamples: code.counterexamples.clone(),
        }
    }

    fn scalars(&mut self) -> [&mut String; 4] {
        [
            &mut self.short_definition,
            &mut self.definition,
            &mut self.when_to_use,
            &mut self.when_not_to_use,
        ]
    }

    fn render(&self) -> String {
        let mut lines = Vec::new();
        let scalars = [
            &self.short_definition,
            &self.definition,
            &self.when_to_use,
            &self.when_not_to_use,
        ];
        for (label, value) in SCALAR_LABELS.iter().zip(scalars) {
            if !value.is_empty() {
                lines.push(format!("{label} {value}"));
            }
        }
        for (label, items) in LIST_LABELS
            .iter()
            .zip([&self.examples, &self.counterexamples])
        {
            if !items.is_empty() {
                lines.push(label.to_string());
                lines.extend(items.iter().map(|i| format!("- {i}")));
            }
        }
        lines.join("\n")
    }

    /// Reads the labelled fields back; also returns any text before the
    /// first label.
    fn parse(text: &str) -> (Human, String) {
        enum Current {
            Preamble,
            Scalar(usize),
            List(usize),
        }
        let mut scalars: [Vec<&str>; 4] = Default::default();
        let mut lists: [Vec<String>; 2] = Default::default();
        let mut preamble: Vec<&str> = Vec::new();
        let mut current = Current::Preamble;
        for line in text.split('\n') {
            if let Some((i, rest)) = SCALAR_LABELS
                .iter()
                .enumerate()
                .find_map(|(i, l)| line.strip_prefix(l).map(|rest| (i, rest)))
            {
                scalars[i] = vec![rest.strip_prefix(' ').unwrap_or(rest)];
                current = Current::Scalar(i);
                continue;
            }
            if let Some(i) = LIST_LABELS.iter().position(|l| line.trim_end() == *l) {
                lists[i].clear();
                current = Current::List(i);
                continue;
            }
            match current {
                Current::Preamble => preamble.push(line),
                Current::Scalar(i) => scalars[i].push(line),
                Current::List(i) => match (line.strip_prefix("- "), lists[i].last_mut()) {
                    (Some(item), _) => lists[i].push(item.to_string()),
                    (None, Some(last)) => {
                        last.push('\n');
                        last.push_str(line);
                    }
                    (None, None) if line.trim().is_empty() => {}
                    (None, None) => lists[i].push(line.trim_start_matches('-').to_string()),
                },
            }
        }
        let mut human = Human::default();
        for (field, lines) in human.scalars().into_iter().zip(&scalars) {
            *field = lines.join("\n").trim_end().to_string();
        }
        let [examples, counterexamples] = lists;
        let tidy = |items: Vec<String>| -> Vec<String> {
            items
                .into_iter()
                .map(|i| i.trim_end().to_string())
                .collect()
        };
        human.examples = tidy(examples);
        human.counterexamples = tidy(counterexamples);
        (human, preamble.join("\n").trim().to_string())
    }
}

/// Splits a description at its `[mint]` block: the last line `[mint]` that
/// starts the text or follows a blank line.
fn split_block(description: &str) -> Option<(&str, &str)> {
    let start = description
        .match_indices("[mint]")
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || description[..i].ends_with("\n\n"))
        .filter(|&i| {
            let rest = &description[i + "[mint]".len()..];
            rest.is_empty() || rest.starts_with('\n') || rest.starts_with("\r\n")
        })
        .last()?;
    let human = if start == 0 {
        ""
    } else {
        &description[..start - 2]
    };
    let block = &description[start + "[mint]".len()..];
    Some((human, block))
}

// ---------------------------------------------------------------------------
// CSV writer
// ---------------------------------------------------------------------------

/// Writes one CSV row per code (see [`CSV_COLUMNS`]), theme by theme, each
/// code followed by its sub-codes.
pub fn write_csv(book: &Codebook, w: impl Write) -> Result<Report, ExchangeError> {
    let themes = tree(book)?;
    let mut report = Report::default();
    let meta = &book.codebook;
    if !(meta.name.is_empty() && meta.version.is_empty() && meta.description.is_empty()) {
        report.dropped.push(
            "the codebook's name, version and description (a CSV has no place for them)".into(),
        );
    }
    if !meta.spelling_variants {
        report.warnings.push(
            "spelling_variants = false is not kept in a CSV: a re-import matches spelling variants again"
                .into(),
        );
    }
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(CSV_COLUMNS).map_err(ExchangeError::Csv)?;
    for t in &themes {
        let theme = t.theme;
        let mut codes = Vec::new();
        flatten(&t.codes, 0, &mut codes);
        if codes.is_empty() {
            let mut row = vec![""; CSV_COLUMNS.len()];
            row[0] = &theme.id;
            row[1] = &theme.label;
            row[12] = &theme.description;
            csv.write_record(&row).map_err(ExchangeError::Csv)?;
        }
        for (_, code) in codes {
            let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
            let row: [String; 18] = [
                theme.id.clone(),
                theme.label.clone(),
                code.id.clone(),
                code.label.clone(),
                code.parent.clone().unwrap_or_default(),
                code.origin.as_str().to_string(),
                code.definition.clone(),
                code.when_to_use.clone(),
                code.when_not_to_use.clone(),
                join_list(&code.examples),
                join_list(&code.patterns),
                join_list(&code.exclude),
                theme.description.clone(),
                code.short_definition.clone(),
                join_list(&code.counterexamples),
                number(code.min_hits),
                join_list(&code.not_after),
                number(code.not_after_words),
            ];
            csv.write_record(&row).map_err(ExchangeError::Csv)?;
        }
    }
    csv.flush()?;
    Ok(report)
}

/// Joins list items with `; `, doubling any `;` inside an item.
fn join_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| i.replace(';', ";;"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Splits a list cell at single `;`s (a doubled `;;` is a literal `;`) and
/// trims the items; empty items are dropped.
fn split_list(cell: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        if c != ';' {
            item.push(c);
        } else if chars.peek() == Some(&';') {
            chars.next();
            item.push(';');
        } else {
            items.push(std::mem::take(&mut item));
        }
    }
    items.push(item);
    items
        .into_iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect()
}

// ---------------------------------------------------------------------------
// Markdown and JSON writers
// ---------------------------------------------------------------------------

/// Writes a readable Markdown codebook for appendices: `##` per theme, `###`
/// per code (deeper for sub-codes), definitions, and patterns in backticks.
pub fn write_markdown(book: &Codebook, mut w: impl Write) -> Result<(), ExchangeError> {
    let themes = tree(book)?;
    let meta = &book.codebook;
    let title = if meta.name.is_empty() {
        "Codebook"
    } else {
        &meta.name
    };
    writeln!(w, "# {}", md_text(title))?;
    if !meta.description.is_empty() {
        writeln!(w, "\n{}", md_text(&meta.description))?;
    }
    if !meta.version.is_empty() {
        writeln!(w, "\nVersion: {}", md_text(&meta.version))?;
    }
    let n = book.codes.len();
    writeln!(
        w,
        "\n{} theme{}, {n} code{}.",
        themes.len(),
        plural(themes.len()),
        plural(n)
    )?;
    for t in &themes {
        let theme = t.theme;
        writeln!(
            w,
            "\n## {} ({})",
            md_text(element_name(&theme.label, &theme.id).as_str()),
            md_code(&theme.id)
        )?;
        if !theme.description.is_empty() {
            writeln!(w, "\n{}", md_text(&theme.description))?;
        }
        let mut codes = Vec::new();
        flatten(&t.codes, 0, &mut codes);
        for (depth, code) in codes {
            write_markdown_code(&mut w, book, depth, code)?;
        }
    }
    Ok(())
}

fn write_markdown_code(
    w: &mut impl Write,
    book: &Codebook,
    depth: usize,
    code: &Code,
) -> Result<(), ExchangeError> {
    let hashes = "#".repeat((3 + depth).min(6));
    let name = element_name(&code.label, &code.id);
    writeln!(w, "\n{hashes} {} ({})", md_text(&name), md_code(&code.id))?;
    let mut facts = Vec::new();
    if let Some(parent) = &code.parent {
        let label = book
            .codes
            .iter()
            .find(|c| &c.id == parent)
            .map_or(parent.as_str(), |c| c.label.as_str());
        facts.push(format!(
            "Sub-code of {} ({}).",
            md_text(label),
            md_code(parent)
        ));
    }
    if code.origin == Origin::Emergent {
        facts.push("Emergent (found in the data).".to_string());
    }
    if !facts.is_empty() {
        writeln!(w, "\n{}", facts.join(" "))?;
    }
    if !code.short_definition.is_empty() {
        writeln!(w, "\n*{}*", md_text(&code.short_definition))?;
    }
    for (label, value) in [
        ("Definition", &code.definition),
        ("When to use", &code.when_to_use),
        ("When not to use", &code.when_not_to_use),
    ] {
        if !value.is_empty() {
            writeln!(w, "\n**{label}:** {}", md_text(value))?;
        }
    }
    for (label, items) in [
        ("Examples", &code.examples),
        ("Counterexamples", &code.counterexamples),
    ] {
        if !items.is_empty() {
            writeln!(w, "\n**{label}:**\n")?;
            for item in items {
                writeln!(w, "- {}", md_text(item))?;
            }
        }
    }
    let spans = |items: &[String]| items.iter().map(|p| md_code(p)).collect::<Vec<_>>();
    writeln!(w, "\n**Patterns:** {}", spans(&code.patterns).join(", "))?;
    if !code.exclude.is_empty() {
        writeln!(w, "\n**Exclude:** {}", spans(&code.exclude).join(", "))?;
    }
    if let Some(n) = code.min_hits {
        writeln!(w, "\n**Min hits:** {n} matches in a segment.")?;
    }
    if !code.not_after.is_empty() {
        writeln!(
            w,
            "\n**Not after:** {} (within {} words).",
            spans(&code.not_after).join(", "),
            code.not_after_words.unwrap_or(3)
        )?;
    }
    Ok(())
}

/// Text with Markdown's special characters escaped, line breaks kept.
fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let entity_like = || {
            let rest = &text[i + 1..];
            let name_len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
                .unwrap_or(rest.len());
            name_len > 0 && rest[name_len..].starts_with(';')
        };
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '&' if entity_like() => out.push_str("\\&"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span that holds any text (backticks included).
fn md_code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || longest > 0 {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('\n', " "))
}

/// Writes the JSON that `mint codebook show --format json` gives: a
/// top-level `schema_version` (1) and the codebook's fields.
pub fn write_json(book: &Codebook, mut w: impl Write) -> Result<(), ExchangeError> {
    #[derive(Serialize)]
    struct Doc<'a> {
        schema_version: u32,
        #[serde(flatten)]
        codebook: &'a Codebook,
    }
    serde_json::to_writer_pretty(
        &mut w,
        &Doc {
            schema_version: 1,
            codebook: book,
        },
    )?;
    writeln!(w)?;
    Ok(())
}

// ---------------------------------------------------------------------------
// TOML writer (the output of an import)
// ---------------------------------------------------------------------------

/// Writes a mint codebook file (`[codebook]`, `[[themes]]`, `[[codes]]`),
/// leaving out empty optional fields. `header` becomes `#` comment lines at
/// the top.
pub fn write_toml(book: &Codebook, header: &str, mut w: impl Write) -> Result<(), ExchangeError> {
    #[derive(Serialize)]
    struct File<'a> {
        codebook: FileMeta<'a>,
        themes: Vec<FileTheme<'a>>,
        codes: Vec<FileCode<'a>>,
    }
    #[derive(Serialize)]
    struct FileMeta<'a> {
        #[serde(skip_serializing_if = "empty")]
        name: &'a str,
        #[serde(skip_serializing_if = "empty")]
        version: &'a str,
        #[serde(skip_serializing_if = "empty")]
        description: &'a str,
        #[serde(skip_serializing_if = "is_true")]
        spelling_variants: bool,
    }
    #[derive(Serialize)]
    struct FileTheme<'a> {
        id: &'a str,
        #[serde(skip_serializing_if = "empty")]
        label: &'a str,
        #[serde(skip_serializing_if = "empty")]
        description: &'a str,
    }
    #[derive(Serialize)]
    struct FileCode<'a> {
        id: &'a str,
        theme: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        parent: Option<&'a str>,
        #[serde(skip_serializing_if = "empty")]
        label: &'a str,
        origin: Origin,
        #[serde(skip_serializing_if = "empty")]
        short_definition: &'a str,
        #[serde(skip_serializing_if = "empty")]
        definition: &'a str,
        #[serde(skip_serializing_if = "empty")]
        when_to_use: &'a str,
        #[serde(skip_serializing_if = "empty")]
        when_not_to_use: &'a str,
        #[serde(skip_serializing_if = "none")]
        examples: &'a [String],
        #[serde(skip_serializing_if = "none")]
        counterexamples: &'a [String],
        patterns: &'a [String],
        #[serde(skip_serializing_if = "none")]
        exclude: &'a [String],
        #[serde(skip_serializing_if = "Option::is_none")]
        min_hits: Option<u32>,
        #[serde(skip_serializing_if = "none")]
        not_after: &'a [String],
        #[serde(skip_serializing_if = "Option::is_none")]
        not_after_words: Option<u32>,
    }
    fn empty(s: &&str) -> bool {
        s.is_empty()
    }
    fn none(v: &&[String]) -> bool {
        v.is_empty()
    }
    fn is_true(b: &bool) -> bool {
        *b
    }
    let Meta {
        name,
        version,
        description,
        spelling_variants,
        ..
    } = &book.codebook;
    let file = File {
        codebook: FileMeta {
            name,
            version,
            description,
            spelling_variants: *spelling_variants,
        },
        themes: book
            .themes
            .iter()
            .map(|t| FileTheme {
                id: &t.id,
                label: &t.label,
                description: &t.description,
            })
            .collect(),
        codes: book
            .codes
            .iter()
            .map(|c| FileCode {
                id: &c.id,
                theme: &c.theme,
                parent: c.parent.as_deref(),
                label: &c.label,
                origin: c.origin,
                short_definition: &c.short_definition,
                definition: &c.definition,
                when_to_use: &c.when_to_use,
                when_not_to_use: &c.when_not_to_use,
                examples: &c.examples,
                counterexamples: &c.counterexamples,
                patterns: &c.patterns,
                exclude: &c.exclude,
                min_hits: c.min_hits,
                not_after: &c.not_after,
                not_after_words: c.not_after_words,
            })
            .collect(),
    };
    for line in header.lines() {
        writeln!(w, "# {line}")?;
    }
    if !header.is_empty() {
        writeln!(w)?;
    }
    w.write_all(toml::to_string_pretty(&file)?.as_bytes())?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Reading XML
// ---------------------------------------------------------------------------

/// A parsed XML element: local name, attributes by raw name, children, and
/// the text directly inside it.
#[derive(Debug, Default)]
struct Element {
    /// The name as written (`CodeBook`, `qda:CodeBook`).
    qname: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn name(&self) -> &str {
        local(&self.qname)
    }

    /// An attribute by local name (namespace declarations excluded).
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| !k.starts_with("xmlns") && local(k) == name)
            .map(|(_, v)| v.as_str())
    }

    /// The namespace of this element, from its own declarations.
    fn namespace(&self) -> Option<&str> {
        let wanted = match self.qname.split_once(':') {
            Some((prefix, _)) => format!("xmlns:{prefix}"),
            None => "xmlns".to_string(),
        };
        self.attributes
            .iter()
            .find(|(k, _)| *k == wanted)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name() == name)
    }

    fn find(&self, name: &str) -> Option<&Element> {
        if self.name() == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }
}

fn local(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, l)| l)
}

/// Decodes the bytes of a text file: UTF-8 (BOM stripped) or UTF-16 with a
/// BOM; anything else is read as UTF-8 with replacement, with a warning.
fn decode_text<'a>(bytes: &'a [u8], warnings: &mut Vec<String>) -> Cow<'a, str> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            warnings.push(format!(
                "the file is not valid {}: unreadable bytes were replaced",
                encoding.name()
            ));
        }
        return text;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            warnings.push("the file is not valid UTF-8: unreadable bytes were replaced".into());
            String::from_utf8_lossy(bytes)
        }
    }
}

fn parse_xml(text: &str, warnings: &mut Vec<String>) -> Result<Element, ExchangeError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let line_at = |pos: u64| {
        let pos = (pos as usize).min(text.len());
        text.as_bytes()[..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut unknown_entities = BTreeSet::new();
    loop {
        let event = reader.read_event().map_err(|err| ExchangeError::Xml {
            line: line_at(reader.error_position()),
            message: err.to_string(),
        })?;
        let syntax = |message: String| ExchangeError::Xml {
            line: line_at(reader.buffer_position()),
            message,
        };
        match event {
            Event::Start(e) => stack.push(element(&e).map_err(syntax)?),
            Event::Empty(e) => {
                let el = element(&e).map_err(syntax)?;
                attach(&mut stack, &mut root, el);
            }
            Event::End(_) => {
                if let Some(el) = stack.pop() {
                    attach(&mut stack, &mut root, el);
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.xml10_content();
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => s.to_string(),
                            None => {
                                unknown_entities.insert(name.to_string());
                                format!("&{name};")
                            }
                        }
                    }
                    Err(err) => return Err(syntax(err.to_string())),
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(ExchangeError::Xml {
            line: line_at(text.len() as u64),
            message: format!("<{}> is never closed", open.qname),
        });
    }
    if !unknown_entities.is_empty() {
        let names: Vec<String> = unknown_entities.iter().map(|n| format!("&{n};")).collect();
        warnings.push(format!(
            "unknown entities kept as written: {}",
            names.join(", ")
        ));
    }
    root.ok_or(ExchangeError::NoCodebook)
}

fn element(e: &BytesStart<'_>) -> Result<Element, String> {
    let qname = String::from(e.name().as_ref());
    let mut attributes = Vec::new();
    for attribute in e.attributes() {
        let attribute = attribute.map_err(|err| err.to_string())?;
        let key = String::from(attribute.key.as_ref());
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| err.to_string())?
            .into_owned();
        attributes.push((key, value));
    }
    Ok(Element {
        qname,
        attributes,
        ..Element::default()
    })
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => {
            if root.is_none() {
                *root = Some(el);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// .qdc / .qdpx reader
// ---------------------------------------------------------------------------

/// Reads a REFI-QDA codebook: a `.qdc`, or a `project.qde` (the codebook in
/// it; everything else is ignored with a warning).
pub fn read_qdc(bytes: &[u8]) -> Result<Imported, ExchangeError> {
    let mut warnings = Vec::new();
    let text = decode_text(bytes, &mut warnings);
    let root = parse_xml(&text, &mut warnings)?;
    let mut meta = Meta::default();
    let codebook = match root.name() {
        "CodeBook" => {
            check_namespace(&root, "codebook", CODEBOOK_NAMESPACE, &mut warnings);
            &root
        }
        "Project" => {
            check_namespace(&root, "project", PROJECT_NAMESPACE, &mut warnings);
            meta.name = root.attribute("name").unwrap_or("").trim().to_string();
            if let Some(description) = root.child("Description") {
                meta.description = description.text.trim().to_string();
            }
            let ignored: BTreeSet<&str> = root
                .children
                .iter()
                .map(|c| c.name())
                .filter(|n| !matches!(*n, "CodeBook" | "Description"))
                .collect();
            if !ignored.is_empty() {
                warnings.push(format!(
                    "only the codebook was imported; the project's {} were ignored",
                    ignored.into_iter().collect::<Vec<_>>().join(", ")
                ));
            }
            root.child("CodeBook").ok_or(ExchangeError::NoCodebook)?
        }
        other => {
            let found = root.find("CodeBook").ok_or(ExchangeError::NoCodebook)?;
            warnings.push(format!(
                "the root element is <{other}>, not <CodeBook> or <Project>; read the <CodeBook> inside it"
            ));
            found
        }
    };
    let origin = root.attribute("origin").map(str::to_string);
    let mut issues = Issues::default();
    let codes_element = match codebook.child("Codes") {
        Some(codes) => codes,
        None if codebook.child("Code").is_some() => {
            warnings.push("<Code> elements are not inside <Codes>; read anyway".into());
            codebook
        }
        None => return Err(ExchangeError::Empty),
    };
    for child in &codebook.children {
        match child.name() {
            "Codes" | "Code" => {}
            "Sets" if child.children.is_empty() => warnings
                .push("empty <Sets/>: the schema needs at least one <Set> in it (ignored)".into()),
            "Sets" => {
                let n = child.children.iter().filter(|s| s.name() == "Set").count();
                warnings.push(format!(
                    "{n} code set{} (<Set>) dropped: a mint codebook has no sets",
                    plural(n)
                ));
            }
            other => {
                issues.unknown.insert(other.to_string());
            }
        }
    }
    let tops: Vec<XCode> = codes_element
        .children
        .iter()
        .filter(|c| c.name() == "Code")
        .map(|c| XCode::read(c, &mut issues))
        .collect();
    if tops.is_empty() {
        return Err(ExchangeError::Empty);
    }
    issues.report(&mut warnings);
    let mut imported = build(tops, warnings);
    imported.origin = origin;
    imported.codebook.codebook = meta;
    Ok(imported)
}

/// Reads the codebook of a REFI-QDA project (`.qdpx`): the `project.qde` at
/// the root of the zip (or the one `.qde` there, whatever its name).
pub fn read_qdpx(bytes: &[u8]) -> Result<Imported, ExchangeError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(ExchangeError::Zip)?;
    let mut qdes: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok())
        .filter(|n| !n.contains('/') && n.to_ascii_lowercase().ends_with(".qde"))
        .map(|n| n.into_owned())
        .collect();
    qdes.sort_by_key(|n| (!n.eq_ignore_ascii_case("project.qde"), n.clone()));
    let name = qdes.first().ok_or(ExchangeError::NoQde)?.clone();
    let mut data = Vec::new();
    archive
        .by_name(&name)
        .map_err(ExchangeError::Zip)?
        .take(MAX_QDE_BYTES)
        .read_to_end(&mut data)?;
    let mut imported = read_qdc(&data)?;
    if qdes.len() > 1 {
        imported.warnings.insert(
            0,
            format!(
                "the archive has {} .qde files ({}); read {name}",
                qdes.len(),
                qdes.join(", ")
            ),
        );
    } else if name != "project.qde" {
        imported.warnings.insert(
            0,
            format!(
                "the project file is {name}, not project.qde as the standard says; read anyway"
            ),
        );
    }
    Ok(imported)
}

fn check_namespace(root: &Element, kind: &str, standard: &str, warnings: &mut Vec<String>) {
    match root.namespace() {
        Some(ns) if ns == standard => {}
        Some(ns) if ns.starts_with(&format!("urn:QDA-XML:{kind}:")) => warnings.push(format!(
            "namespace {ns:?} is a variant of the standard {standard:?}; read anyway"
        )),
        Some(ns) => warnings.push(format!(
            "unexpected namespace {ns:?} (the standard is {standard:?}); read anyway"
        )),
        None => warnings.push(format!(
            "no namespace declared (the standard is {standard:?}); read anyway"
        )),
    }
}

/// Non-conformance found in `<Code>` elements, reported once per kind.
#[derive(Default)]
struct Issues {
    missing_guid: usize,
    bad_guid: usize,
    duplicate_guid: usize,
    missing_name: usize,
    bad_codable: usize,
    bad_color: usize,
    note_refs: usize,
    unknown: BTreeSet<String>,
    seen_guids: HashSet<String>,
}

impl Issues {
    fn report(&self, warnings: &mut Vec<String>) {
        let mut add = |n: usize, what: &str| {
            if n > 0 {
                warnings.push(format!("{n} code{} {what}", plural(n)));
            }
        };
        add(self.missing_guid, "without a guid");
        add(self.bad_guid, "with a guid that is not a GUID");
        add(self.duplicate_guid, "with a guid used before");
        add(self.missing_name, "without a name (named after their guid)");
        add(
            self.bad_codable,
            "without a valid isCodable (taken as codable)",
        );
        add(self.bad_color, "with a colour that is not #RRGGBB or #RGB");
        if self.note_refs > 0 {
            warnings.push(format!(
                "{} memo link{} (<NoteRef>) on codes dropped",
                self.note_refs,
                plural(self.note_refs)
            ));
        }
        if !self.unknown.is_empty() {
            let names: Vec<String> = self.unknown.iter().map(|n| format!("<{n}>")).collect();
            warnings.push(format!("unexpected elements ignored: {}", names.join(", ")));
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A `<Code>` as read.
struct XCode {
    guid: Option<String>,
    name: String,
    codable: bool,
    description: String,
    children: Vec<XCode>,
}

impl XCode {
    fn read(el: &Element, issues: &mut Issues) -> XCode {
        let guid = el.attribute("guid").map(|g| g.trim().to_string());
        match &guid {
            None => issues.missing_guid += 1,
            Some(g) => match normalise_guid(g) {
                None => issues.bad_guid += 1,
                Some(g) => {
                    if !issues.seen_guids.insert(g) {
                        issues.duplicate_guid += 1;
                    }
                }
            },
        }
        let name = match el.attribute("name") {
            Some(n) if !n.trim().is_empty() => n.to_string(),
            _ => {
                issues.missing_name += 1;
                guid.clone().unwrap_or_else(|| "unnamed".to_string())
            }
        };
        let codable = match el.attribute("isCodable").map(str::trim) {
            Some("true" | "1") => true,
            Some("false" | "0") => false,
            _ => {
                issues.bad_codable += 1;
                true
            }
        };
        if let Some(color) = el.attribute("color")
            && !is_rgb(color.trim())
        {
            issues.bad_color += 1;
        }
        let mut description = String::new();
        let mut children = Vec::new();
        for child in &el.children {
            match child.name() {
                "Description" => description = child.text.clone(),
                "Code" => children.push(XCode::read(child, issues)),
                "NoteRef" => issues.note_refs += 1,
                other => {
                    issues.unknown.insert(other.to_string());
                }
            }
        }
        XCode {
            guid,
            name,
            codable,
            description,
            children,
        }
    }
}

/// A GUID in canonical upper case without braces, if it is one.
fn normalise_guid(guid: &str) -> Option<String> {
    let bare = guid
        .strip_prefix('{')
        .and_then(|g| g.strip_suffix('}'))
        .unwrap_or(guid);
    let groups: Vec<&str> = bare.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let hex = groups
        .iter()
        .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()));
    (lengths == [8, 4, 4, 4, 12] && hex).then(|| bare.to_uppercase())
}

fn is_rgb(color: &str) -> bool {
    color
        .strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6) && h.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A theme or code on its way into the codebook.
struct Entry {
    guid: Option<String>,
    name: String,
    /// The description, or its readable part when it has a `[mint]` block.
    text: String,
    block: Option<toml::Table>,
    /// Index of the theme (themes) or of the code's theme (codes).
    theme: usize,
    /// Index of the parent code (codes).
    parent: Option<usize>,
    /// A top-level code that was codable (it became a theme).
    was_codable: bool,
}

/// Turns the code tree into themes and codes: ids, patterns, fields.
fn build(tops: Vec<XCode>, mut warnings: Vec<String>) -> Imported {
    let mut themes: Vec<Entry> = Vec::new();
    let mut codes: Vec<Entry> = Vec::new();
    let mut uncategorised: Option<usize> = None;
    let mut bad_blocks = Vec::new();
    let mut orphans = Vec::new();
    for top in &tops {
        if !top.children.is_empty() || !top.codable {
            themes.push(entry(top, themes.len(), None, &mut bad_blocks));
            let theme = themes.len() - 1;
            add_codes(&top.children, theme, None, &mut codes, &mut bad_blocks);
        } else {
            let theme = *uncategorised.get_or_insert_with(|| {
                themes.push(Entry {
                    guid: None,
                    name: "Uncategorised".to_string(),
                    text: "Top-level codes that were in no folder of the imported codebook."
                        .to_string(),
                    block: None,
                    theme: 0,
                    parent: None,
                    was_codable: false,
                });
                themes.len() - 1
            });
            orphans.push(top.name.clone());
            codes.push(entry(top, theme, None, &mut bad_blocks));
        }
    }
    for message in bad_blocks {
        warnings.push(message);
    }
    if !orphans.is_empty() {
        warnings.push(format!(
            "{} top-level code{} with no sub-codes ({}) put under the theme {UNCATEGORISED:?}",
            orphans.len(),
            plural(orphans.len()),
            sample_names(&orphans)
        ));
    }
    let codable_themes: Vec<String> = themes
        .iter()
        .filter(|t| t.was_codable)
        .map(|t| t.name.clone())
        .collect();
    if !codable_themes.is_empty() {
        warnings.push(format!(
            "{} codable top-level code{} with sub-codes ({}) became theme{}, which are not applied to text in mint",
            codable_themes.len(),
            plural(codable_themes.len()),
            sample_names(&codable_themes),
            plural(codable_themes.len())
        ));
    }

    // Ids: a [mint] id when present and free, else a unique slug of the name.
    let explicit = |e: &Entry| {
        e.block
            .as_ref()
            .and_then(|b| b.get("id"))
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_string)
    };
    let mut ids = Ids {
        taken: HashSet::new(),
        reserved: themes.iter().chain(&codes).filter_map(explicit).collect(),
        duplicates: Vec::new(),
    };
    let theme_ids: Vec<String> = themes
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let fallback = if Some(i) == uncategorised {
                UNCATEGORISED
            } else {
                "theme"
            };
            ids.claim(explicit(t).as_deref(), &t.name, fallback)
        })
        .collect();
    let code_ids: Vec<String> = codes
        .iter()
        .map(|c| ids.claim(explicit(c).as_deref(), &c.name, "code"))
        .collect();
    if !ids.duplicates.is_empty() {
        warnings.push(format!(
            "ids used twice in [mint] blocks were made unique: {}",
            sample_names(&ids.duplicates)
        ));
    }

    let mut field_warnings = BTreeSet::new();
    let book_themes: Vec<Theme> = themes
        .iter()
        .zip(&theme_ids)
        .map(|(t, id)| theme_from(t, id, &mut field_warnings))
        .collect();
    let mut book_codes: Vec<Code> = codes
        .iter()
        .zip(&code_ids)
        .map(|(c, id)| {
            let theme = &theme_ids[c.theme];
            let parent = c.parent.map(|p| code_ids[p].as_str());
            code_from(c, id, theme, parent, &mut field_warnings)
        })
        .collect();
    warnings.extend(field_warnings);
    let mut used_patterns: HashSet<Vec<String>> = book_codes
        .iter()
        .filter(|c| !c.patterns.is_empty())
        .map(|c| sorted(&c.patterns))
        .collect();
    let patterns_from_names = fill_patterns(&mut book_codes, &mut used_patterns);
    if patterns_from_names > 0 {
        warnings.push(format!(
            "{patterns_from_names} code{} had no patterns (only mint's own files carry them); each got its name as its one pattern: write real patterns before coding",
            plural(patterns_from_names)
        ));
    }
    warn_foreign_guids(&themes, &theme_ids, &codes, &code_ids, &mut warnings);
    Imported {
        codebook: Codebook {
            themes: book_themes,
            codes: book_codes,
            ..Default::default()
        },
        origin: None,
        warnings,
        patterns_from_names,
    }
}

/// An entry for a `<Code>`, its description split from its `[mint]` block.
fn entry(x: &XCode, theme: usize, parent: Option<usize>, bad: &mut Vec<String>) -> Entry {
    let (text, block) = read_description(&x.description, &x.name, bad);
    Entry {
        guid: x.guid.clone(),
        name: x.name.clone(),
        text,
        block,
        theme,
        parent,
        was_codable: x.codable,
    }
}

/// Adds codes and, depth first, their sub-codes.
fn add_codes(
    xs: &[XCode],
    theme: usize,
    parent: Option<usize>,
    codes: &mut Vec<Entry>,
    bad: &mut Vec<String>,
) {
    for x in xs {
        codes.push(entry(x, theme, parent, bad));
        let me = codes.len() - 1;
        add_codes(&x.children, theme, Some(me), codes, bad);
    }
}

fn theme_from(t: &Entry, id: &str, warnings: &mut BTreeSet<String>) -> Theme {
    let mut f = Fields::new(t.block.as_ref(), &t.name, warnings);
    let label = f.string("label").unwrap_or_else(|| t.name.clone());
    let description = f.string("description").unwrap_or_else(|| match &t.block {
        Some(_) => t.text.clone(),
        None => t.text.trim().to_string(),
    });
    if f.has("patterns") {
        f.warnings.insert(format!(
            "{:?} has patterns but became a theme (it has sub-codes): its patterns were dropped",
            t.name
        ));
    }
    f.check_unknown(&["id", "label", "description", "patterns"]);
    Theme {
        id: id.to_string(),
        label,
        description,
        ..Default::default()
    }
}

fn code_from(
    c: &Entry,
    id: &str,
    theme: &str,
    parent: Option<&str>,
    warnings: &mut BTreeSet<String>,
) -> Code {
    let mut f = Fields::new(c.block.as_ref(), &c.name, warnings);
    let human = match &c.block {
        Some(_) => {
            let (mut human, preamble) = Human::parse(&c.text);
            if !preamble.is_empty() {
                human.definition = if human.definition.is_empty() {
                    preamble
                } else {
                    format!("{preamble}\n{}", human.definition)
                };
            }
            human
        }
        None => Human {
            definition: c.text.trim().to_string(),
            ..Human::default()
        },
    };
    let origin = match f.string("origin").as_deref() {
        None | Some("predefined") => Origin::Predefined,
        Some("emergent") => Origin::Emergent,
        Some(other) => {
            f.warnings.insert(format!(
                "{:?}: origin {other:?} is neither predefined nor emergent (taken as predefined)",
                c.name
            ));
            Origin::Predefined
        }
    };
    let code = Code {
        id: id.to_string(),
        theme: theme.to_string(),
        parent: parent.map(str::to_string),
        label: f.string("label").unwrap_or_else(|| c.name.clone()),
        origin,
        short_definition: f
            .string("short_definition")
            .unwrap_or(human.short_definition),
        definition: f.string("definition").unwrap_or(human.definition),
        when_to_use: f.string("when_to_use").unwrap_or(human.when_to_use),
        when_not_to_use: f.string("when_not_to_use").unwrap_or(human.when_not_to_use),
        examples: f.list("examples").unwrap_or(human.examples),
        counterexamples: f.list("counterexamples").unwrap_or(human.counterexamples),
        patterns: f.list("patterns").unwrap_or_default(),
        exclude: f.list("exclude").unwrap_or_default(),
        min_hits: f.integer("min_hits"),
        not_after: f.list("not_after").unwrap_or_default(),
        not_after_words: f.integer("not_after_words"),
        ..Default::default()
    };
    f.check_unknown(&[
        "id",
        "label",
        "origin",
        "short_definition",
        "definition",
        "when_to_use",
        "when_not_to_use",
        "examples",
        "counterexamples",
        "patterns",
        "exclude",
        "min_hits",
        "not_after",
        "not_after_words",
    ]);
    code
}

/// mint derives its GUIDs from ids: says how many foreign ones are not kept.
fn warn_foreign_guids(
    themes: &[Entry],
    theme_ids: &[String],
    codes: &[Entry],
    code_ids: &[String],
    warnings: &mut Vec<String>,
) {
    let foreign = themes
        .iter()
        .zip(theme_ids)
        .map(|(t, id)| (t, theme_guid(id)))
        .chain(codes.iter().zip(code_ids).map(|(c, id)| (c, code_guid(id))))
        .filter(|(e, derived)| {
            e.guid
                .as_deref()
                .and_then(normalise_guid)
                .is_some_and(|g| &g != derived)
        })
        .count();
    if foreign > 0 {
        warnings.push(format!(
            "{foreign} GUID{} not kept: mint derives GUIDs from ids, so an export gives new ones (colours are not kept either)",
            plural(foreign)
        ));
    }
}

/// Gives every code without patterns one pattern made from its name (else
/// its id), unique so that no two codes end up with identical patterns.
fn fill_patterns(codes: &mut [Code], used: &mut HashSet<Vec<String>>) -> usize {
    let mut filled = 0;
    for code in codes.iter_mut().filter(|c| c.patterns.is_empty()) {
        let from_id = code.id.replace('_', " ");
        let candidates = [pattern_from_name(&code.label), pattern_from_name(&from_id)];
        let mut chosen = None;
        for candidate in candidates.into_iter().flatten() {
            if !used.contains(&vec![candidate.clone()]) {
                chosen = Some(candidate);
                break;
            }
        }
        let chosen = chosen.unwrap_or_else(|| {
            let base = pattern_from_name(&from_id).unwrap_or_else(|| "code".to_string());
            (2..)
                .map(|n| format!("{base} {n}"))
                .find(|p| !used.contains(&vec![p.clone()]))
                .expect("an unused number exists")
        });
        used.insert(vec![chosen.clone()]);
        code.patterns = vec![chosen];
        filled += 1;
    }
    filled
}

/// A valid plain pattern that matches a name: `_` and `*` become spaces,
/// and a leading `re:` loses its colon.
fn pattern_from_name(name: &str) -> Option<String> {
    let spaced: String = name
        .chars()
        .map(|c| if matches!(c, '_' | '*') { ' ' } else { c })
        .collect();
    let mut words = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(rest) = words.strip_prefix("re:") {
        words = format!("re {}", rest.trim_start()).trim().to_string();
    }
    (!words.is_empty() && pattern::check(&words) == Ok(true)).then_some(words)
}

fn sorted(items: &[String]) -> Vec<String> {
    let mut v = items.to_vec();
    v.sort();
    v
}

fn sample_names(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("{n:?}")).collect();
    match names.len() {
        n if n > 5 => format!("{}, and {} more", shown.join(", "), n - 5),
        _ => shown.join(", "),
    }
}

/// Splits a description into its readable part and its `[mint]` block.
fn read_description(
    description: &str,
    name: &str,
    bad: &mut Vec<String>,
) -> (String, Option<toml::Table>) {
    let Some((human, block)) = split_block(description) else {
        return (description.to_string(), None);
    };
    match block.parse::<toml::Table>() {
        Ok(table) => (human.to_string(), Some(table)),
        Err(err) => {
            bad.push(format!(
                "{name:?}: its [mint] block is not valid TOML ({}); the whole description was read as its definition",
                err.message().trim_end()
            ));
            (description.to_string(), None)
        }
    }
}

/// Unique ids in order of claim.
struct Ids {
    taken: HashSet<String>,
    reserved: HashSet<String>,
    duplicates: Vec<String>,
}

impl Ids {
    fn claim(&mut self, explicit: Option<&str>, name: &str, fallback: &str) -> String {
        let base = match explicit {
            Some(id) if self.taken.insert(id.to_string()) => return id.to_string(),
            Some(id) => {
                self.duplicates.push(id.to_string());
                id.to_string()
            }
            None => {
                let slug = slug(name);
                if slug.is_empty() {
                    fallback.to_string()
                } else {
                    slug
                }
            }
        };
        let free = |id: &str, ids: &Ids| {
            !ids.taken.contains(id) && (explicit == Some(id) || !ids.reserved.contains(id))
        };
        let id = if explicit.is_none() && free(&base, self) {
            base
        } else {
            (2..)
                .map(|n| format!("{base}_{n}"))
                .find(|id| free(id, self))
                .expect("a free number exists")
        };
        self.taken.insert(id.clone());
        id
    }
}

/// A snake_case id from a name: lower-case letters and digits, anything
/// else one `_`.
///
/// ```
/// assert_eq!(mint::exchange::slug("Cost & price"), "cost_price");
/// assert_eq!(mint::exchange::slug("  IT-systems (new) "), "it_systems_new");
/// ```
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// Typed fields of a `[mint]` block; wrong types become warnings.
struct Fields<'a> {
    table: Option<&'a toml::Table>,
    name: &'a str,
    warnings: &'a mut BTreeSet<String>,
}

impl<'a> Fields<'a> {
    fn new(
        table: Option<&'a toml::Table>,
        name: &'a str,
        warnings: &'a mut BTreeSet<String>,
    ) -> Self {
        Fields {
            table,
            name,
            warnings,
        }
    }

    fn has(&self, key: &str) -> bool {
        self.table.is_some_and(|t| t.contains_key(key))
    }

    fn wrong(&mut self, key: &str, wanted: &str) {
        self.warnings.insert(format!(
            "{:?}: [mint] {key} is not {wanted} (ignored)",
            self.name
        ));
    }

    fn string(&mut self, key: &str) -> Option<String> {
        match self.table?.get(key)? {
            toml::Value::String(s) => Some(s.clone()),
            _ => {
                self.wrong(key, "a string");
                None
            }
        }
    }

    fn list(&mut self, key: &str) -> Option<Vec<String>> {
        let value = self.table?.get(key)?;
        let items = value.as_array().and_then(|items| {
            items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        });
        if items.is_none() {
            self.wrong(key, "a list of strings");
        }
        items
    }

    fn integer(&mut self, key: &str) -> Option<u32> {
        let value = self.table?.get(key)?;
        let n = value.as_integer().and_then(|n| u32::try_from(n).ok());
        if n.is_none() {
            self.wrong(key, "a whole number");
        }
        n
    }

    fn check_unknown(&mut self, known: &[&str]) {
        let Some(table) = self.table else { return };
        let unknown: Vec<&str> = table
            .keys()
            .map(String::as_str)
            .filter(|k| !known.contains(k))
            .collect();
        if !unknown.is_empty() {
            self.warnings.insert(format!(
                "{:?}: unknown [mint] keys ignored: {}",
                self.name,
                unknown.join(", ")
            ));
        }
    }
}

// ---------------------------------------------------------------------------
// CSV reader
// ---------------------------------------------------------------------------

/// The fields a CSV column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Theme,
    ThemeLabel,
    ThemeDescription,
    Code,
    Label,
    Parent,
    Origin,
    ShortDefinition,
    Definition,
    WhenToUse,
    WhenNotToUse,
    Examples,
    Counterexamples,
    Patterns,
    Exclude,
    MinHits,
    NotAfter,
    NotAfterWords,
}

fn column(header: &str) -> Option<Column> {
    let key: String = header
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    Some(match key.as_str() {
        "theme" | "theme_id" => Column::Theme,
        "theme_label" | "theme_name" => Column::ThemeLabel,
        "theme_description" => Column::ThemeDescription,
        "code" | "code_id" | "id" => Column::Code,
        "label" | "name" | "code_label" | "code_name" => Column::Label,
        "parent" | "parent_code" => Column::Parent,
        "origin" => Column::Origin,
        "short_definition" => Column::ShortDefinition,
        "definition" => Column::Definition,
        "when_to_use" => Column::WhenToUse,
        "when_not_to_use" => Column::WhenNotToUse,
        "examples" | "example" => Column::Examples,
        "counterexamples" => Column::Counterexamples,
        "patterns" | "pattern" => Column::Patterns,
        "exclude" => Column::Exclude,
        "min_hits" => Column::MinHits,
        "not_after" => Column::NotAfter,
        "not_after_words" => Column::NotAfterWords,
        _ => return None,
    })
}

/// Reads a codebook spreadsheet saved as CSV (see the module docs): at
/// least a `theme` column and a `code` (or `label`/`name`) column.
pub fn read_csv(bytes: &[u8]) -> Result<Imported, ExchangeError> {
    let mut warnings = Vec::new();
    let text = decode_text(bytes, &mut warnings);
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let csv_error = |err: csv::Error| ExchangeError::CsvSyntax {
        line: err.position().map_or(0, |p| p.line()),
        message: err.to_string(),
    };
    let headers = reader.headers().map_err(csv_error)?.clone();
    let mut columns: HashMap<Column, usize> = HashMap::new();
    let mut unknown = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        match column(header) {
            Some(c) => {
                columns.entry(c).or_insert(i);
            }
            None if header.trim().is_empty() => {}
            None => unknown.push(format!("{:?}", header.trim())),
        }
    }
    let found = || {
        headers
            .iter()
            .map(|h| format!("{:?}", h))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !columns.contains_key(&Column::Theme) {
        return Err(ExchangeError::MissingColumn {
            wanted: "\"theme\"".into(),
            found: found(),
        });
    }
    if !columns.contains_key(&Column::Code) && !columns.contains_key(&Column::Label) {
        return Err(ExchangeError::MissingColumn {
            wanted: "\"code\" (or \"label\" or \"name\")".into(),
            found: found(),
        });
    }
    if !unknown.is_empty() {
        warnings.push(format!("columns ignored: {}", unknown.join(", ")));
    }
    let has_theme_label = columns.contains_key(&Column::ThemeLabel);
    let has_label = columns.contains_key(&Column::Label);

    let mut themes: Vec<Theme> = Vec::new();
    let mut codes: Vec<Code> = Vec::new();
    let mut ids = Ids {
        taken: HashSet::new(),
        reserved: HashSet::new(),
        duplicates: Vec::new(),
    };
    let mut no_theme = Vec::new();
    let mut bad_values = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |c: Column| {
            columns
                .get(&c)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .trim()
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // The theme: an id as written when there is a theme_label column or
        // the value looks like one; otherwise a label to make an id from.
        let raw_theme = cell(Column::Theme);
        let (theme_id, theme_label) = if raw_theme.is_empty() {
            no_theme.push(line.to_string());
            (UNCATEGORISED.to_string(), "Uncategorised".to_string())
        } else if has_theme_label || slug(raw_theme) == raw_theme {
            (raw_theme.to_string(), cell(Column::ThemeLabel).to_string())
        } else {
            (slug(raw_theme), raw_theme.to_string())
        };
        let theme_index = match themes.iter().position(|t| t.id == theme_id) {
            Some(i) => i,
            None => {
                ids.taken.insert(theme_id.clone());
                themes.push(Theme {
                    id: theme_id.clone(),
                    ..Default::default()
                });
                themes.len() - 1
            }
        };
        let theme = &mut themes[theme_index];
        if theme.label.is_empty() {
            theme.label = theme_label;
        }
        if theme.description.is_empty() {
            theme.description = cell(Column::ThemeDescription).to_string();
        }
        let raw_code = cell(Column::Code);
        let mut label = cell(Column::Label).to_string();
        if raw_code.is_empty() && label.is_empty() {
            continue; // a row that only describes its theme
        }
        let id = if raw_code.is_empty() {
            ids.claim(None, &label, "code")
        } else if has_label || slug(raw_code) == raw_code {
            ids.claim(Some(raw_code), raw_code, "code")
        } else {
            if label.is_empty() {
                label = raw_code.to_string();
            }
            ids.claim(None, raw_code, "code")
        };
        let mut number = |c: Column, what: &str| {
            let v = cell(c);
            if v.is_empty() {
                return None;
            }
            let n = v.parse::<u32>().ok();
            if n.is_none() {
                bad_values.push(format!("line {line}: {what} {v:?} is not a whole number"));
            }
            n
        };
        let min_hits = number(Column::MinHits, "min_hits");
        let not_after_words = number(Column::NotAfterWords, "not_after_words");
        let origin = match cell(Column::Origin).to_lowercase().as_str() {
            "" | "predefined" => Origin::Predefined,
            "emergent" => Origin::Emergent,
            other => {
                bad_values.push(format!(
                    "line {line}: origin {other:?} is neither predefined nor emergent (taken as predefined)"
                ));
                Origin::Predefined
            }
        };
        let parent = Some(cell(Column::Parent))
            .filter(|p| !p.is_empty())
            .map(str::to_string);
        codes.push(Code {
            id,
            theme: theme_id,
            parent,
            label,
            origin,
            short_definition: cell(Column::ShortDefinition).to_string(),
            definition: cell(Column::Definition).to_string(),
            when_to_use: cell(Column::WhenToUse).to_string(),
            when_not_to_use: cell(Column::WhenNotToUse).to_string(),
            examples: split_list(cell(Column::Examples)),
            counterexamples: split_list(cell(Column::Counterexamples)),
            patterns: split_list(cell(Column::Patterns)),
            exclude: split_list(cell(Column::Exclude)),
            min_hits,
            not_after: split_list(cell(Column::NotAfter)),
            not_after_words,
            ..Default::default()
        });
    }
    if themes.is_empty() {
        return Err(ExchangeError::Empty);
    }
    if !no_theme.is_empty() {
        warnings.push(format!(
            "{} row{} without a theme (line{} {}) put under the theme {UNCATEGORISED:?}",
            no_theme.len(),
            plural(no_theme.len()),
            plural(no_theme.len()),
            no_theme.join(", ")
        ));
    }
    if !ids.duplicates.is_empty() {
        warnings.push(format!(
            "code ids used twice were made unique: {}",
            sample_names(&ids.duplicates)
        ));
    }
    warnings.extend(bad_values);
    resolve_parents(&mut codes, &mut warnings);
    let mut used: HashSet<Vec<String>> = codes
        .iter()
        .filter(|c| !c.patterns.is_empty())
        .map(|c| sorted(&c.patterns))
        .collect();
    let patterns_from_names = fill_patterns(&mut codes, &mut used);
    if patterns_from_names > 0 {
        warnings.push(format!(
            "{patterns_from_names} code{} had no patterns; each got its name as its one pattern: write real patterns before coding",
            plural(patterns_from_names)
        ));
    }
    Ok(Imported {
        codebook: Codebook {
            themes,
            codes,
            ..Default::default()
        },
        origin: None,
        warnings,
        patterns_from_names,
    })
}

/// Parents are code ids; a parent given by its label (or a name whose slug
/// is an id) is accepted too. A parent that is not found, or is in another
/// theme, is dropped with a warning.
fn resolve_parents(codes: &mut [Code], warnings: &mut Vec<String>) {
    let lookup: Vec<(String, String, String)> = codes
        .iter()
        .map(|c| (c.id.clone(), c.label.clone(), c.theme.clone()))
        .collect();
    for code in codes.iter_mut() {
        let Some(parent) = code.parent.clone() else {
            continue;
        };
        let found = lookup
            .iter()
            .find(|(id, _, _)| *id == parent)
            .or_else(|| lookup.iter().find(|(_, label, _)| *label == parent))
            .or_else(|| lookup.iter().find(|(id, _, _)| *id == slug(&parent)));
        match found {
            Some((id, _, theme)) if *theme == code.theme && *id != code.id => {
                code.parent = Some(id.clone())
            }
            Some(_) => {
                warnings.push(format!(
                    "code {:?}: parent {parent:?} is not in the same theme (dropped)",
                    code.id
                ));
                code.parent = None;
            }
            None => {
                warnings.push(format!(
                    "code {:?}: parent {parent:?} is not a code (dropped)",
                    code.id
                ));
                code.parent = None;
            }
        }
    }
}

/// The delimiter of the header line: `,`, `;` or tab, whichever occurs most
/// outside quotes (spreadsheets in some locales save with `;`).
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i == 0)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn mint_block_is_found_after_the_last_blank_line() {
        let (human, block) = split_block("a\n\n[mint]\nb\n\n[mint]\nid = \"x\"").unwrap();
        assert_eq!(human, "a\n\n[mint]\nb");
        assert_eq!(block, "\nid = \"x\"");
        assert!(split_block("no block [mint] here").is_none());
    }

    #[test]
    fn toml_strings_stay_on_one_line_and_parse_back() {
        for s in [
            "plain",
            "a\"b",
            "re:\\bx",
            "it's \"x\" \\",
            "tab\tnl\n\u{1}\u{FFFE}",
        ] {
            let line = format!("k = {}", toml_string(s));
            assert!(!line.contains('\n'));
            let t: toml::Table = line.parse().unwrap();
            assert_eq!(t["k"].as_str(), Some(s), "{line}");
        }
    }

    #[test]
    fn human_fields_parse_leniently() {
        let (h, pre) = Human::parse(
            "Note first\nDefinition:x\ny\nWhen to use: z\nExamples:\n- one\n  more\n- two\n",
        );
        assert_eq!(pre, "Note first");
        assert_eq!(h.definition, "x\ny");
        assert_eq!(h.when_to_use, "z");
        assert_eq!(h.examples, ["one\n  more", "two"]);
    }

    #[test]
    fn list_cells_double_semicolons() {
        let items = vec!["a;b".to_string(), ";".to_string(), "c".to_string()];
        let cell = join_list(&items);
        assert_eq!(cell, "a;;b; ;;; c");
        assert_eq!(split_list(&cell), items);
        assert_eq!(split_list(" x ;y;; ; "), ["x", "y;"]);
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
    fn markdown_escapes_text_and_fences_patterns() {
        assert_eq!(md_text("a*b <c> &amp; & d"), "a\\*b \\<c\\> \\&amp; & d");
        assert_eq!(md_code("a`b"), "`` a`b ``");
        assert_eq!(md_code("plain"), "`plain`");
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

    #[test]
    fn sniffing_picks_the_delimiter_of_the_header() {
        assert_eq!(sniff_delimiter("a,b;c,d"), b',');
        assert_eq!(sniff_delimiter("a;b;\"c,d,e\""), b';');
        assert_eq!(sniff_delimiter("a\tb"), b'\t');
        assert_eq!(sniff_delimiter("a"), b',');
    }
}
