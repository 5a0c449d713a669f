//! The REFI-QDA project writer: a coded study as one `.qdpx` that NVivo,
//! ATLAS.ti, MAXQDA and QualCoder open, for people to review mint's codings.
//!
//! [`QdpxWriter`] takes the sources one at a time, as mint's pipeline
//! streams them ([`QdpxWriter::add_source`]), and writes the project at the
//! end ([`QdpxWriter::finish`]); [`write_qdpx`] does both for a [`Study`]
//! held in memory. Reading projects is elsewhere; the `<CodeBook>` is
//! written by the same code as the `.qdc` (`qdc::write_codes`).
//!
//! # What the project holds
//!
//! * `project.qde`, then one `sources/<GUID>.txt` per source, in the order
//!   added. The zip is the same bytes for the same input: DEFLATE, every
//!   entry dated 1980-01-01 00:00 with mode 0644, and no dates in the XML.
//! * One `<User>` named `mint <version>`: every selection and coding of a
//!   codebook rule is `creatingUser` it. A coding learned by a model (`mint
//!   export --model`) is `creatingUser` a second `<User>` named `mint
//!   <version> model <id> blake3:<hash>`, one per model, after mint's: QDA programs
//!   (and `mint codings --coder`) can pick the model's codings by coder.
//! * The codebook: themes as folders (`isCodable="false"`), codes nested in
//!   them, sub-codes under their parent; names unique across the tree. With
//!   a model, the codebook extended with the model's own codes under their
//!   theme, as `mint code --model` counts them.
//! * One `<Variable>` (`typeOfVariable="Text"`) per attribute name, and one
//!   `<Case>` per participant, named by its id, with its attributes as
//!   `<VariableValue>`s and a `<SourceRef>` to each source it speaks in.
//! * One `<TextSource>` per source, named after the file without its
//!   extension, dots made `_` (qc cuts a name at its last dot), unique
//!   (`name (2)`), with the file's name as `<Description>`. Its text is the
//!   text mint coded ([`source_text`]): UTF-8 without a BOM, line ends LF.
//! * One `<PlainTextSelection>` per coding (segment and code), over the
//!   coded segment, with a `<Coding>` of its code. Offsets are code points
//!   into the source's text, end exclusive. The selection is named
//!   `<code id> <start>-<end>`, and its `<Description>` (a coding memo in
//!   QualCoder, a comment in NVivo) says which rule fired: the pattern, the
//!   text it matched and where (code points); for a learned coding, the
//!   model and its probability: `mint <version>: learned by the model <id>
//!   blake3:<hash> (probability 0.830).`; for a passage marked for a person
//!   to code (`mint learn --suggest-next`), the note mint wrote. A
//!   `<Coding>` has no room for a description, and each selection holds
//!   one coding. A source's learned codings follow its rule codings.
//!
//! # GUIDs
//!
//! Upper-case UUIDv5 in mint's namespace (UUIDv5(URL, `"mint"`)) of a name
//! made of stable ids: `source:<file name>`, `selection:` and `coding:`
//! followed by `<file name>:<start>:<end>:<code id>` (code-point offsets),
//! and for a learned coding by `:model:<model id>` after that,
//! `case:<participant>`, `variable:<name>`, `user:` and the user's name; codes
//! and themes as in the `.qdc` ([`code_guid`](super::code_guid)). A name met
//! twice gets `#2`, `#3`, ... appended. [`source_guid`] gives a source's.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{Cursor, Seek, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use zip::write::SimpleFileOptions;

use super::Report;
use super::plural;
use super::qdc::{XmlWriter, unkept, write_codes};
use super::refi::{PROJECT_NAMESPACE, code_guid, element_name, guid, xml_clean};
use super::tree::tree;
use crate::codebook::Codebook;
use crate::error::ExchangeError;

/// A coded study in memory, for [`write_qdpx`].
#[derive(Debug, Clone, Copy)]
pub struct Study<'a> {
    /// The project's name (`<Project name=…>`).
    pub name: &'a str,
    /// The codebook the codings refer to (by code id).
    pub codebook: &'a Codebook,
    /// The transcripts, in the order to write them.
    pub sources: &'a [StudySource],
    /// The participants, each a case.
    pub cases: &'a [StudyCase],
}

/// One transcript with mint's codings of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudySource {
    /// What mint calls the file (`A1a.txt`, `site 2/P04.docx`): the source
    /// is named after it and its GUID derived from it.
    pub name: String,
    /// The text mint coded (a transcript's `text`), interviewer turns and
    /// all; coding spans are byte offsets into it.
    pub text: String,
    /// The ids of the participants who speak in it.
    pub participants: Vec<String>,
    /// Its codings, in text order.
    pub codings: Vec<StudyCoding>,
}

/// One code applied to one segment.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyCoding {
    /// Byte offset of the segment in [`StudySource::text`].
    pub start: usize,
    /// End of the segment, exclusive.
    pub end: usize,
    /// The code's id in the codebook.
    pub code: String,
    /// Why mint applied it.
    pub by: CodedBy,
}

/// Why mint applied a code to a segment.
#[derive(Debug, Clone, PartialEq)]
pub enum CodedBy {
    /// A rule of the codebook fired.
    Rule {
        /// The pattern that fired.
        pattern: String,
        /// Byte offset of the text it matched.
        match_start: usize,
        /// End of the matched text, exclusive.
        match_end: usize,
    },
    /// A model trained by `mint learn` gave it.
    Model {
        /// The model's id.
        model: String,
        /// The model's id and file hash, as outputs name it (`<id>
        /// blake3:<16 hex digits>`).
        provenance: String,
        /// The model's probability for the code.
        probability: f64,
    },
    /// Not a finding: a passage marked for a person to code, with a note
    /// saying why (`mint learn --suggest-next -o next.qdpx`).
    Note {
        /// The selection's memo, as written.
        note: String,
    },
}

impl StudyCoding {
    /// The byte offsets the coding uses: its span, and a rule's match.
    fn offsets(&self) -> Vec<usize> {
        match &self.by {
            CodedBy::Rule {
                match_start,
                match_end,
                ..
            } => vec![self.start, self.end, *match_start, *match_end],
            CodedBy::Model { .. } | CodedBy::Note { .. } => vec![self.start, self.end],
        }
    }
}

/// A participant and its attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudyCase {
    /// The participant id.
    pub id: String,
    /// Attribute name and value pairs (the id is not among them).
    pub attributes: BTreeMap<String, String>,
}

/// Why a project cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The codebook cannot be written (no codes, a code off its theme).
    #[error(transparent)]
    Codebook(#[from] ExchangeError),
    /// A coding names a code the codebook does not have.
    #[error("{file}: a coding names the code {code:?}, which the codebook does not have")]
    UnknownCode {
        /// The source's name.
        file: String,
        /// The code id.
        code: String,
    },
    /// A coding's span is not inside its source's text on character
    /// boundaries.
    #[error("{file}: the coding span {start}..{end} is not a span of the text")]
    BadSpan {
        /// The source's name.
        file: String,
        /// Its start (bytes).
        start: usize,
        /// Its end (bytes).
        end: usize,
    },
    /// The zip archive cannot be written.
    #[error("cannot write the .qdpx archive")]
    Zip(#[source] zip::result::ZipError),
    /// Writing failed.
    #[error("input/output failed")]
    Io(#[from] std::io::Error),
}

impl From<zip::result::ZipError> for ExportError {
    fn from(err: zip::result::ZipError) -> Self {
        ExportError::Zip(err)
    }
}

/// The name of the user who codes in mint's projects: `mint <version>`.
pub fn mint_user() -> String {
    format!("mint {}", env!("CARGO_PKG_VERSION"))
}

/// The name of the user who made a model's codings in mint's projects:
/// `mint <version> model <provenance>`, the provenance being the model's id
/// and file hash (`<id> blake3:<16 hex digits>`), so that every coding read
/// back from the project (`mint codings`: the user is its coder) still
/// names the model by id and hash.
pub fn model_user(provenance: &str) -> String {
    format!("{} model {provenance}", mint_user())
}

/// The GUID of the source mint calls `name` (the first one of that name).
///
/// ```
/// let g = mint::exchange::source_guid("A1a.txt");
/// assert_eq!(g, mint::exchange::source_guid("A1a.txt"));
/// assert_eq!(g, g.to_uppercase());
/// ```
pub fn source_guid(name: &str) -> String {
    guid(&format!("source:{name}"))
}

/// The text a source is exported as: `text` with each CRLF and lone CR
/// made LF. Offsets are code points into it.
///
/// ```
/// assert_eq!(mint::exchange::source_text("a\r\nb\rc"), "a\nb\nc");
/// ```
pub fn source_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Writes a whole study as a `.qdpx`, into memory first (the zip needs to
/// seek), then to `w`.
pub fn write_qdpx(study: &Study<'_>, mut w: impl Write) -> Result<Report, ExportError> {
    let mut writer = QdpxWriter::new(Cursor::new(Vec::new()));
    for source in study.sources {
        writer.add_source(source)?;
    }
    let (bytes, report) = writer.finish(study.name, study.codebook, study.cases)?;
    w.write_all(bytes.get_ref())?;
    Ok(report)
}

/// A `.qdpx` being written: sources go into the zip as they come, the
/// project file at the end.
pub struct QdpxWriter<W: Write + Seek> {
    zip: zip::ZipWriter<W>,
    guids: Guids,
    names: HashSet<String>,
    sources: Vec<WrittenSource>,
    /// The models whose codings were added, by first use.
    models: Vec<String>,
    crlf: usize,
    astral: usize,
}

/// What `project.qde` needs of a source once its text is in the zip.
struct WrittenSource {
    guid: String,
    name: String,
    file: String,
    participants: Vec<String>,
    selections: Vec<Selection>,
}

struct Selection {
    guid: String,
    coding: String,
    name: String,
    start: usize,
    end: usize,
    code: String,
    memo: String,
    /// The creating user's name.
    user: String,
}

impl<W: Write + Seek> QdpxWriter<W> {
    /// A writer into `w`.
    pub fn new(w: W) -> QdpxWriter<W> {
        QdpxWriter {
            zip: zip::ZipWriter::new(w),
            guids: Guids::default(),
            names: HashSet::new(),
            sources: Vec::new(),
            models: Vec::new(),
            crlf: 0,
            astral: 0,
        }
    }

    /// Writes one source's text into the zip and keeps its codings for the
    /// project file. Codes are checked against the codebook in
    /// [`QdpxWriter::finish`].
    pub fn add_source(&mut self, source: &StudySource) -> Result<(), ExportError> {
        let text = &source.text;
        let positions = code_points(source)?;
        let exported = source_text(text);
        if exported.len() != text.len() {
            self.crlf += 1;
        }
        if exported.chars().any(|c| c > '\u{FFFF}') {
            self.astral += 1;
        }
        let guid = self.guids.mint(&format!("source:{}", source.name));
        let name = unique_name(&mut self.names, &source.name);
        let user = mint_user();
        let mut selections = Vec::with_capacity(source.codings.len());
        for c in &source.codings {
            let (start, end) = (positions[&c.start], positions[&c.end]);
            let mut key = format!("{}:{start}:{end}:{}", source.name, c.code);
            let (memo, by) = match &c.by {
                CodedBy::Rule {
                    pattern,
                    match_start,
                    match_end,
                } => {
                    let matched: String = text[*match_start..*match_end]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let memo = format!(
                        "{user}: the pattern {pattern:?} matched {matched:?} ({}-{}).",
                        positions[match_start], positions[match_end]
                    );
                    (memo, user.clone())
                }
                CodedBy::Model {
                    model,
                    provenance,
                    probability,
                } => {
                    key.push_str(&format!(":model:{model}"));
                    if !self.models.contains(provenance) {
                        self.models.push(provenance.clone());
                    }
                    let memo = format!(
                        "{user}: learned by the model {provenance} (probability {probability:.3})."
                    );
                    (memo, model_user(provenance))
                }
                CodedBy::Note { note } => (note.clone(), user.clone()),
            };
            selections.push(Selection {
                guid: self.guids.mint(&format!("selection:{key}")),
                coding: self.guids.mint(&format!("coding:{key}")),
                name: format!("{} {start}-{end}", c.code),
                start,
                end,
                code: c.code.clone(),
                memo,
                user: by,
            });
        }
        self.zip
            .start_file(format!("sources/{guid}.txt"), entry_options())?;
        self.zip.write_all(exported.as_bytes())?;
        self.sources.push(WrittenSource {
            guid,
            name,
            file: source.name.clone(),
            participants: source.participants.clone(),
            selections,
        });
        Ok(())
    }

    /// Writes `project.qde` (the project `name`, the codebook, the cases)
    /// and closes the zip; gives back the writer and what to tell the user.
    pub fn finish(
        mut self,
        name: &str,
        codebook: &Codebook,
        cases: &[StudyCase],
    ) -> Result<(W, Report), ExportError> {
        if codebook.codes.is_empty() {
            return Err(ExchangeError::NoCodes.into());
        }
        let known: HashSet<&str> = codebook.codes.iter().map(|c| c.id.as_str()).collect();
        for source in &self.sources {
            if let Some(s) = source.selections.iter().find(|s| !known.contains(&*s.code)) {
                return Err(ExportError::UnknownCode {
                    file: source.file.clone(),
                    code: s.code.clone(),
                });
            }
        }
        // project.qde comes last: the sources are in the zip already.
        self.zip.start_file("project.qde", entry_options())?;
        let project = Project {
            name,
            codebook,
            cases,
            sources: &self.sources,
            models: &self.models,
        };
        project.write(std::io::BufWriter::new(&mut self.zip))?;
        let mut report = unkept(codebook, ".qdpx");
        let mine = self.report();
        report.dropped.extend(mine.dropped);
        report.warnings.extend(mine.warnings);
        let w = self.zip.finish()?;
        Ok((w, report))
    }

    fn report(&self) -> Report {
        let mut report = Report::default();
        if self.crlf > 0 {
            report.dropped.push(format!(
                "carriage returns in {} source{}: written with LF line ends, as REFI-QDA readers expect",
                self.crlf,
                plural(self.crlf)
            ));
        }
        if self.astral > 0 {
            report.warnings.push(format!(
                "{} source{} {} characters outside the Basic Multilingual Plane (such as emoji): \
                 offsets count them as one character, but NVivo for Windows counts two and may \
                 place later selections off by that much",
                self.astral,
                plural(self.astral),
                if self.astral == 1 { "holds" } else { "hold" }
            ));
        }
        report
    }
}

/// What `project.qde` is written from.
struct Project<'a> {
    name: &'a str,
    codebook: &'a Codebook,
    cases: &'a [StudyCase],
    sources: &'a [WrittenSource],
    models: &'a [String],
}

impl Project<'_> {
    fn write(&self, out: impl Write) -> Result<(), ExportError> {
        let Project {
            name,
            codebook,
            cases,
            ..
        } = *self;
        let themes = tree(codebook)?;
        let user = mint_user();
        let user_guid = guid(&format!("user:{user}"));
        let user_guids: BTreeMap<String, String> = std::iter::once(user.clone())
            .chain(self.models.iter().map(|m| model_user(m)))
            .map(|name| {
                let g = guid(&format!("user:{name}"));
                (name, g)
            })
            .collect();
        let mut xml = quick_xml::Writer::new_with_indent(out, b' ', 2);
        xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        let mut root = BytesStart::new("Project");
        root.push_attribute(("xmlns", PROJECT_NAMESPACE));
        root.push_attribute(("name", one_line(name).as_str()));
        root.push_attribute(("origin", user.as_str()));
        root.push_attribute(("creatingUserGUID", user_guid.as_str()));
        xml.write_event(Event::Start(root))?;

        xml.write_event(Event::Start(BytesStart::new("Users")))?;
        empty(&mut xml, "User", &[("guid", &user_guid), ("name", &user)])?;
        for model in self.models {
            let name = model_user(model);
            empty(
                &mut xml,
                "User",
                &[("guid", &user_guids[&name]), ("name", &one_line(&name))],
            )?;
        }
        xml.write_event(Event::End(BytesEnd::new("Users")))?;

        xml.write_event(Event::Start(BytesStart::new("CodeBook")))?;
        write_codes(&mut xml, &themes)?;
        xml.write_event(Event::End(BytesEnd::new("CodeBook")))?;

        let variables: BTreeSet<&str> = cases
            .iter()
            .flat_map(|c| c.attributes.keys().map(String::as_str))
            .collect();
        let variable_guid = |v: &str| guid(&format!("variable:{v}"));
        if !variables.is_empty() {
            xml.write_event(Event::Start(BytesStart::new("Variables")))?;
            for v in &variables {
                let attrs = [
                    ("guid", variable_guid(v)),
                    ("name", one_line(v)),
                    ("typeOfVariable", "Text".to_string()),
                ];
                empty(
                    &mut xml,
                    "Variable",
                    &attrs.each_ref().map(|(k, v)| (*k, v)),
                )?;
            }
            xml.write_event(Event::End(BytesEnd::new("Variables")))?;
        }

        if !cases.is_empty() {
            xml.write_event(Event::Start(BytesStart::new("Cases")))?;
            for case in cases {
                let mut start = BytesStart::new("Case");
                start.push_attribute(("guid", guid(&format!("case:{}", case.id)).as_str()));
                start.push_attribute(("name", one_line(&case.id).as_str()));
                xml.write_event(Event::Start(start))?;
                for (variable, value) in &case.attributes {
                    xml.write_event(Event::Start(BytesStart::new("VariableValue")))?;
                    empty(
                        &mut xml,
                        "VariableRef",
                        &[("targetGUID", &variable_guid(variable))],
                    )?;
                    text_element(&mut xml, "TextValue", value)?;
                    xml.write_event(Event::End(BytesEnd::new("VariableValue")))?;
                }
                for source in self.sources {
                    if source.participants.contains(&case.id) {
                        empty(&mut xml, "SourceRef", &[("targetGUID", &source.guid)])?;
                    }
                }
                xml.write_event(Event::End(BytesEnd::new("Case")))?;
            }
            xml.write_event(Event::End(BytesEnd::new("Cases")))?;
        }

        if !self.sources.is_empty() {
            xml.write_event(Event::Start(BytesStart::new("Sources")))?;
            for source in self.sources {
                let path = format!("internal://{}.txt", source.guid);
                let mut start = BytesStart::new("TextSource");
                start.push_attribute(("guid", source.guid.as_str()));
                start.push_attribute(("name", source.name.as_str()));
                start.push_attribute(("plainTextPath", path.as_str()));
                start.push_attribute(("creatingUser", user_guid.as_str()));
                xml.write_event(Event::Start(start))?;
                text_element(&mut xml, "Description", &source.file)?;
                for s in &source.selections {
                    write_selection(&mut xml, s, &user_guids[&s.user])?;
                }
                xml.write_event(Event::End(BytesEnd::new("TextSource")))?;
            }
            xml.write_event(Event::End(BytesEnd::new("Sources")))?;
        }
        xml.write_event(Event::End(BytesEnd::new("Project")))?;
        xml.get_mut().write_all(b"\n")?;
        xml.into_inner().flush()?;
        Ok(())
    }
}

fn write_selection<W: Write>(
    xml: &mut XmlWriter<W>,
    s: &Selection,
    user: &str,
) -> Result<(), ExportError> {
    let mut start = BytesStart::new("PlainTextSelection");
    start.push_attribute(("guid", s.guid.as_str()));
    start.push_attribute(("name", s.name.as_str()));
    start.push_attribute(("startPosition", s.start.to_string().as_str()));
    start.push_attribute(("endPosition", s.end.to_string().as_str()));
    start.push_attribute(("creatingUser", user));
    xml.write_event(Event::Start(start))?;
    text_element(xml, "Description", &s.memo)?;
    let mut coding = BytesStart::new("Coding");
    coding.push_attribute(("guid", s.coding.as_str()));
    coding.push_attribute(("creatingUser", user));
    xml.write_event(Event::Start(coding))?;
    empty(xml, "CodeRef", &[("targetGUID", &code_guid(&s.code))])?;
    xml.write_event(Event::End(BytesEnd::new("Coding")))?;
    xml.write_event(Event::End(BytesEnd::new("PlainTextSelection")))?;
    Ok(())
}

/// An element with attributes only.
fn empty<W: Write>(
    xml: &mut XmlWriter<W>,
    name: &str,
    attributes: &[(&str, &String)],
) -> Result<(), ExportError> {
    let mut element = BytesStart::new(name);
    for (k, v) in attributes {
        element.push_attribute((*k, v.as_str()));
    }
    xml.write_event(Event::Empty(element))?;
    Ok(())
}

/// An element holding text (without the characters XML cannot hold).
fn text_element<W: Write>(
    xml: &mut XmlWriter<W>,
    name: &str,
    text: &str,
) -> Result<(), ExportError> {
    let (text, _) = xml_clean(text);
    xml.write_event(Event::Start(BytesStart::new(name)))?;
    let escaped = quick_xml::escape::partial_escape(text.as_ref());
    xml.write_event(Event::Text(BytesText::from_escaped(escaped)))?;
    xml.write_event(Event::End(BytesEnd::new(name)))?;
    Ok(())
}

/// A value fit for a `name` attribute: one line, XML characters only.
fn one_line(s: &str) -> String {
    element_name(s, "")
}

/// Fixed options for every zip entry, so the archive's bytes depend on the
/// content only.
fn entry_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
}

/// A source's name: the file name without its extension, every dot,
/// slash and backslash made `_`, unique among `taken` (`name (2)`).
fn unique_name(taken: &mut HashSet<String>, file: &str) -> String {
    let stem = match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.contains(['/', '\\']) => stem,
        _ => file,
    };
    let base: String = one_line(stem)
        .chars()
        .map(|c| {
            if matches!(c, '.' | '/' | '\\') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let base = if base.trim().is_empty() {
        "source".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 1;
    while !taken.insert(name.clone()) {
        n += 1;
        name = format!("{base} ({n})");
    }
    name
}

/// The code-point offset in the exported text ([`source_text`]) of every
/// byte offset the source's codings use. Fails on an offset outside the
/// text or inside a character.
fn code_points(source: &StudySource) -> Result<BTreeMap<usize, usize>, ExportError> {
    let text = &source.text;
    let mut wanted = BTreeSet::new();
    for c in &source.codings {
        let offsets = c.offsets();
        let ok = offsets
            .chunks(2)
            .all(|pair| pair[0] <= pair[1] && pair.iter().all(|&b| text.is_char_boundary(b)));
        if !ok {
            return Err(ExportError::BadSpan {
                file: source.name.clone(),
                start: c.start,
                end: c.end,
            });
        }
        wanted.extend(offsets);
    }
    let mut out = BTreeMap::new();
    let mut wanted = wanted.into_iter().peekable();
    let mut position = 0;
    let mut chars = text.char_indices().peekable();
    while let Some(&at) = wanted.peek() {
        while let Some(&(i, c)) = chars.peek() {
            if i >= at {
                break;
            }
            chars.next();
            // A CR before an LF is dropped from the exported text.
            let dropped = c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n');
            if !dropped {
                position += 1;
            }
        }
        out.insert(at, position);
        wanted.next();
    }
    Ok(out)
}

/// GUIDs minted from names, each name made unique (`#2`, `#3`, ...).
#[derive(Default)]
struct Guids(HashSet<String>);

impl Guids {
    fn mint(&mut self, name: &str) -> String {
        let mut key = name.to_string();
        let mut n = 1;
        while !self.0.insert(key.clone()) {
            n += 1;
            key = format!("{name}#{n}");
        }
        guid(&key)
    }
}

#[cfg(test)]
mod tests;
