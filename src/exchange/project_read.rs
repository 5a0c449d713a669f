//! The REFI-QDA project reader: a `.qdpx` (zip of `project.qde` and
//! `sources/`) read leniently, as NOTES.md's "Reader rules" say, into an
//! owned [`Project`]: text sources, the code tree, users, variables, cases
//! and every text coding with its code, span and coder.
//!
//! What it refuses (a [`ProjectError`], nothing half-read): bytes that are
//! not a zip, a zip with no `.qde` at its root, an entry whose name leaves
//! the archive (`../x`, `/etc/x`, `C:\x`), an entry that inflates past its
//! limit (checked on the declared size before inflating, and while
//! inflating since a declared size can lie), and XML that is not
//! well-formed. What it only warns about (in [`Project::warnings`]): a
//! namespace variant, a `.qde` not named `project.qde`, media and PDF
//! sources (skipped), sources whose text cannot be found, codes a coding
//! names that are not in the codebook, selections without codings.
//!
//! **Offsets.** Every [`TextCoding`] counts Unicode code points from 0,
//! end exclusive, over [`TextSource::text`] (a UTF-8 BOM stripped). A
//! project whose `origin` names NVivo counts UTF-16 units: when its text has
//! characters outside the BMP, its offsets are converted. A project from
//! ATLAS.ti counts a CRLF line break as one: its texts are read with CRLF
//! made LF. A coding that falls outside its text (or in the middle of a
//! character) is never shifted: it is left out of [`Project::codings`] and
//! listed in [`Project::outside`] with its GUID.
//!
//! GUIDs are given in canonical form (upper case, no braces), whatever the
//! file wrote. The codebook as a mint [`Codebook`](crate::codebook::Codebook)
//! comes from [`read_qdpx`](super::read_qdpx); this module keeps the tree as
//! the project has it. A coding whose code is a case (a `<Code>` sharing a
//! `<Case>`'s GUID, as some exporters write case membership) is not a
//! thematic coding: it is counted in a warning, not read.

use std::collections::{BTreeMap, HashMap};

use super::import::decode_text;
use super::refi::{Element, normalise_guid, parse_xml};
use super::{ExchangeError, plural};

/// The largest `.qde` read from a project, uncompressed.
pub const MAX_QDE_BYTES: u64 = 512 << 20;

/// The largest source text read from a project, uncompressed (the limit of
/// the Word and OpenDocument readers' parts).
pub const MAX_SOURCE_BYTES: u64 = 64 << 20;

/// The most bytes inflated from one project in all.
pub const MAX_PROJECT_BYTES: u64 = 2 << 30;

/// Why a project could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The bytes are not a zip archive.
    #[error("not a REFI-QDA project: not a readable zip archive")]
    NotZip(#[source] zip::result::ZipError),
    /// No `.qde` at the root of the archive.
    #[error("not a REFI-QDA project: no project.qde (or other .qde file) at the root of the zip")]
    NoQde,
    /// An entry's name would leave the folder it is extracted to.
    #[error("unsafe entry name {0:?} in the zip (it points outside the archive): refused")]
    UnsafePath(String),
    /// An entry inflates past its limit.
    #[error(
        "entry {entry} inflates past {limit} bytes ({how}): refused, a guard against zip bombs"
    )]
    TooLarge {
        /// The entry's name.
        entry: String,
        /// The limit, in bytes.
        limit: u64,
        /// What gave it away.
        how: String,
    },
    /// An entry could not be read.
    #[error("cannot read {entry} in the zip")]
    Entry {
        /// The entry's name.
        entry: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The `.qde` is not well-formed XML.
    #[error("{entry}: {error}")]
    Xml {
        /// The `.qde`'s name.
        entry: String,
        /// The parser's error, with its line.
        error: ExchangeError,
    },
    /// The `.qde`'s root is not `<Project>`.
    #[error("{entry}: the root element is <{root}>, not <Project>")]
    NotProject {
        /// The `.qde`'s name.
        entry: String,
        /// The root element's local name.
        root: String,
    },
}

/// A REFI-QDA project as read: everything a text-coding study needs, owned,
/// comparable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Project {
    /// The project's `name`.
    pub name: String,
    /// The tool that wrote it (`origin`), if given.
    pub origin: Option<String>,
    /// The users (coders), in file order.
    pub users: Vec<User>,
    /// The code tree, in file order.
    pub codes: Vec<ProjectCode>,
    /// The case variables, in file order.
    pub variables: Vec<Variable>,
    /// The cases, in file order.
    pub cases: Vec<Case>,
    /// The text sources read, in file order.
    pub sources: Vec<TextSource>,
    /// Every coding of a text span that lies within its text, in file order.
    pub codings: Vec<TextCoding>,
    /// The codings whose span falls outside their text, never shifted.
    pub outside: Vec<OutsideCoding>,
    /// What did not conform or was skipped, one message each.
    pub warnings: Vec<String>,
}

/// A user (a coder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Canonical GUID.
    pub guid: String,
    /// The name (the GUID when the file gives none).
    pub name: String,
}

/// A code and its sub-codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectCode {
    /// Canonical GUID.
    pub guid: String,
    /// The name.
    pub name: String,
    /// `false` for a folder (`isCodable="false"`).
    pub codable: bool,
    /// The `<Description>`, as written.
    pub description: String,
    /// Sub-codes, in file order.
    pub children: Vec<ProjectCode>,
}

/// A case variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// Canonical GUID.
    pub guid: String,
    /// The name.
    pub name: String,
    /// `typeOfVariable` (`Text`, `Integer`, `Boolean`, ...).
    pub kind: String,
}

/// A case (a participant, usually) and its variable values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Canonical GUID.
    pub guid: String,
    /// The name (empty for a nameless case, as Quirkos writes them).
    pub name: String,
    /// The `<Description>`, as written.
    pub description: String,
    /// Variable name to value (as written; a value-less variable is left out).
    pub values: BTreeMap<String, String>,
    /// GUIDs of the sources that belong to the case.
    pub sources: Vec<String>,
}

/// A text source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSource {
    /// Canonical GUID.
    pub guid: String,
    /// The name (the GUID when the file gives none).
    pub name: String,
    /// The `<Description>`, as written (mint writes the transcript's file
    /// name there).
    pub description: String,
    /// The text every coding's offsets count in (BOM stripped).
    pub text: String,
    /// Document variables written inside the source (MAXQDA), name to value.
    pub variables: BTreeMap<String, String>,
}

/// One code applied to one span of a text source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextCoding {
    /// The `<Coding>`'s canonical GUID.
    pub guid: String,
    /// The `<PlainTextSelection>`'s canonical GUID (the coding's own for a
    /// coding of a whole source).
    pub selection: String,
    /// The source's GUID.
    pub source: String,
    /// The code's GUID (a code of [`Project::codes`]).
    pub code: String,
    /// First code point, from 0.
    pub start: usize,
    /// Code point after the last (end exclusive).
    pub end: usize,
    /// The GUID of the user who made it (`creatingUser` of the coding, else
    /// of the selection, else `modifyingUser`), if any.
    pub coder: Option<String>,
}

/// A coding whose span does not fit its text: reported, not shifted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutsideCoding {
    /// The selection's GUID as canonical as it could be made.
    pub guid: String,
    /// The source's GUID.
    pub source: String,
    /// `startPosition` as written.
    pub start: i64,
    /// `endPosition` as written.
    pub end: i64,
    /// The text's length, in the unit the offsets count.
    pub length: usize,
}

impl Project {
    /// The code with this GUID, anywhere in the tree.
    pub fn code(&self, guid: &str) -> Option<&ProjectCode> {
        fn find<'a>(codes: &'a [ProjectCode], guid: &str) -> Option<&'a ProjectCode> {
            codes.iter().find_map(|c| {
                (c.guid == guid)
                    .then_some(c)
                    .or_else(|| find(&c.children, guid))
            })
        }
        find(&self.codes, guid)
    }

    /// The names from the top of the tree down to the code with this GUID.
    pub fn code_path(&self, guid: &str) -> Vec<&str> {
        fn walk<'a>(codes: &'a [ProjectCode], guid: &str, path: &mut Vec<&'a str>) -> bool {
            for c in codes {
                path.push(&c.name);
                if c.guid == guid || walk(&c.children, guid, path) {
                    return true;
                }
                path.pop();
            }
            false
        }
        let mut path = Vec::new();
        walk(&self.codes, guid, &mut path);
        path
    }

    /// The user with this GUID.
    pub fn user(&self, guid: &str) -> Option<&User> {
        self.users.iter().find(|u| u.guid == guid)
    }

    /// The source with this GUID.
    pub fn source(&self, guid: &str) -> Option<&TextSource> {
        self.sources.iter().find(|s| s.guid == guid)
    }

    /// The cases a source belongs to.
    pub fn cases_of(&self, source: &str) -> Vec<&Case> {
        self.cases
            .iter()
            .filter(|c| c.sources.iter().any(|s| s == source))
            .collect()
    }

    /// The attributes of a source's participant, as mint names attributes
    /// (lower case): its document variables, then the variables of its case
    /// when it belongs to exactly one, with the case's name as
    /// `participant`.
    pub fn attributes_of(&self, source: &str) -> BTreeMap<String, String> {
        let mut attrs: BTreeMap<String, String> = self
            .source(source)
            .map(|s| &s.variables)
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.to_lowercase(), v.clone()))
            .collect();
        if let [case] = self.cases_of(source).as_slice() {
            attrs.extend(
                case.values
                    .iter()
                    .map(|(k, v)| (k.to_lowercase(), v.clone())),
            );
            if !case.name.is_empty() {
                attrs.insert("participant".to_string(), case.name.clone());
            }
        }
        attrs
    }

    /// The name of each source as a transcript, in source order: its name
    /// (its GUID when it has none; in a project mint exported, the file name
    /// it keeps as the description), with ` (2)`, ` (3)`, ... after a name
    /// already taken.
    pub fn transcript_names(&self) -> Vec<String> {
        let mut taken = std::collections::HashSet::new();
        // mint's own export keeps each transcript's file name as the
        // source's description: a round trip gives the same names.
        let by_mint = self
            .origin
            .as_deref()
            .is_some_and(|o| o.starts_with("mint "));
        self.sources
            .iter()
            .map(|s| {
                let base = if by_mint && !s.description.trim().is_empty() {
                    &s.description
                } else if s.name.is_empty() {
                    &s.guid
                } else {
                    &s.name
                };
                let name = (1..)
                    .map(|n| match n {
                        1 => base.clone(),
                        n => format!("{base} ({n})"),
                    })
                    .find(|name| !taken.contains(name))
                    .expect("a free number exists");
                taken.insert(name.clone());
                name
            })
            .collect()
    }
}

mod archive;
use archive::{LIMITS, Limits, Zip};

/// Reads a REFI-QDA project from the bytes of a `.qdpx`.
pub fn read_project(bytes: &[u8]) -> Result<Project, ProjectError> {
    read_with(bytes, LIMITS)
}

fn read_with(bytes: &[u8], limits: Limits) -> Result<Project, ProjectError> {
    let mut zip = Zip::open(bytes, limits)?;
    let qde = zip.qde()?;
    let mut warnings = Vec::new();
    if zip.qdes.len() > 1 {
        warnings.push(format!(
            "the archive has {} .qde files ({}); read {qde}",
            zip.qdes.len(),
            zip.qdes.join(", ")
        ));
    } else if qde != "project.qde" {
        warnings.push(format!(
            "the project file is {qde}, not project.qde as the standard says; read anyway"
        ));
    }
    let data = zip.entry(&qde, limits.qde)?;
    let text = decode_text(&data, &mut warnings).into_owned();
    drop(data);
    let root = parse_xml(&text, &mut warnings).map_err(|error| ProjectError::Xml {
        entry: qde.clone(),
        error,
    })?;
    if root.name() != "Project" {
        return Err(ProjectError::NotProject {
            entry: qde,
            root: root.name().to_string(),
        });
    }
    super::qdc::check_namespace(&root, "project", super::PROJECT_NAMESPACE, &mut warnings);
    let mut project = Project {
        name: root.attribute("name").unwrap_or("").to_string(),
        origin: root.attribute("origin").map(str::to_string),
        warnings,
        ..Project::default()
    };
    let mut reader = Reader {
        project: &mut project,
        zip: &mut zip,
        variables: HashMap::new(),
        counts: Counts::default(),
    };
    reader.read(&root)?;
    let counts = std::mem::take(&mut reader.counts);
    counts.report(&mut project);
    Ok(project)
}

mod counts;
use counts::Counts;

struct Reader<'p, 'z, 'a> {
    project: &'p mut Project,
    zip: &'z mut Zip<'a>,
    /// Variable GUID to name.
    variables: HashMap<String, String>,
    counts: Counts,
}

impl Reader<'_, '_, '_> {
    fn read(&mut self, root: &Element) -> Result<(), ProjectError> {
        for child in &root.children {
            match child.name() {
                "Users" => {
                    for u in child.children.iter().filter(|u| u.name() == "User") {
                        let guid = self.guid(u, "user");
                        let name = u.attribute("name").unwrap_or(&guid).to_string();
                        self.project.users.push(User { guid, name });
                    }
                }
                "CodeBook" => {
                    let codes = child.child("Codes").unwrap_or(child);
                    self.project.codes = self.codes(codes);
                }
                "Variables" => self.read_variables(child),
                "Cases" => self.read_cases(child),
                "Sources" | "Description" => {}
                other => {
                    self.counts.dropped.insert(other.to_string());
                }
            }
        }
        // Sources after the codebook, whatever the order in the file, so
        // that codings can be checked against the codes.
        for sources in root.children.iter().filter(|c| c.name() == "Sources") {
            for source in &sources.children {
                match source.name() {
                    "TextSource" => self.text_source(source)?,
                    _ => self.counts.skipped_media.push(
                        source
                            .attribute("name")
                            .unwrap_or(source.name())
                            .to_string(),
                    ),
                }
            }
        }
        Ok(())
    }

    /// The element's GUID in canonical form; one made from its place in
    /// the file when it has none.
    fn guid(&mut self, el: &Element, kind: &str) -> String {
        match el.attribute("guid").and_then(|g| normalise_guid(g.trim())) {
            Some(g) => g,
            None => {
                self.counts.bad_guids += 1;
                let place = format!(
                    "{kind}:{}:{}",
                    el.attribute("name").unwrap_or(""),
                    self.counts.bad_guids
                );
                super::refi::guid(&place)
            }
        }
    }

    fn codes(&mut self, parent: &Element) -> Vec<ProjectCode> {
        parent
            .children
            .iter()
            .filter(|c| c.name() == "Code")
            .map(|c| {
                let guid = self.guid(c, "code");
                ProjectCode {
                    name: c.attribute("name").unwrap_or(&guid).to_string(),
                    codable: !matches!(
                        c.attribute("isCodable").map(str::trim),
                        Some("false" | "0")
                    ),
                    description: c
                        .child("Description")
                        .map_or(String::new(), |d| d.text.clone()),
                    children: self.codes(c),
                    guid,
                }
            })
            .collect()
    }

    fn read_variables(&mut self, el: &Element) {
        for v in el.children.iter().filter(|v| v.name() == "Variable") {
            let guid = self.guid(v, "variable");
            let name = v.attribute("name").unwrap_or(&guid).to_string();
            self.variables.insert(guid.clone(), name.clone());
            self.project.variables.push(Variable {
                guid,
                name,
                kind: v.attribute("typeOfVariable").unwrap_or("Text").to_string(),
            });
        }
    }

    fn read_cases(&mut self, el: &Element) {
        for c in el.children.iter().filter(|c| c.name() == "Case") {
            let guid = self.guid(c, "case");
            let mut case = Case {
                guid,
                name: c.attribute("name").unwrap_or("").to_string(),
                description: c
                    .child("Description")
                    .map_or(String::new(), |d| d.text.clone()),
                values: BTreeMap::new(),
                sources: Vec::new(),
            };
            for child in &c.children {
                match child.name() {
                    "VariableValue" => {
                        if let Some((name, value)) = self.value(child) {
                            case.values.insert(name, value);
                        }
                    }
                    "SourceRef" => {
                        if let Some(g) = child.attribute("targetGUID").and_then(normalise_guid) {
                            case.sources.push(g);
                        }
                    }
                    _ => {}
                }
            }
            self.project.cases.push(case);
        }
    }

    /// A `<VariableValue>`: the variable's name and the value's text.
    fn value(&self, el: &Element) -> Option<(String, String)> {
        let target = el.child("VariableRef")?.attribute("targetGUID")?;
        let name = self.variables.get(&normalise_guid(target)?)?.clone();
        let value = el
            .children
            .iter()
            .find(|c| c.name().ends_with("Value"))?
            .text
            .trim()
            .to_string();
        Some((name, value))
    }

    fn text_source(&mut self, el: &Element) -> Result<(), ProjectError> {
        let guid = self.guid(el, "source");
        let name = el.attribute("name").unwrap_or(&guid).to_string();
        let Some(mut text) = self.source_text(el)? else {
            self.counts.no_text.push(name);
            return Ok(());
        };
        let origin = self.project.origin.as_deref().unwrap_or("").to_lowercase();
        if origin.contains("atlas") && text.contains("\r\n") {
            text = text.replace("\r\n", "\n");
            self.counts.crlf += 1;
        }
        let utf16 = origin.contains("nvivo") && text.chars().any(|c| c.len_utf16() == 2);
        self.counts.utf16 += usize::from(utf16);
        let offsets = Offsets::new(&text, utf16);
        let mut variables = BTreeMap::new();
        for child in &el.children {
            match child.name() {
                "PlainTextSelection" => self.selection(child, &guid, &offsets),
                "Coding" => {
                    let whole = Span {
                        guid: String::new(),
                        start: 0,
                        end: offsets.length as i64,
                        user: None,
                    };
                    self.coding(child, &whole, &guid, &offsets);
                }
                "VariableValue" => {
                    if let Some((name, value)) = self.value(child) {
                        variables.insert(name, value);
                    }
                }
                _ => {}
            }
        }
        let description = el
            .child("Description")
            .map_or(String::new(), |d| d.text.clone());
        self.project.sources.push(TextSource {
            guid,
            name,
            description,
            text,
            variables,
        });
        Ok(())
    }

    /// The text of a source: its `plainTextPath` file in the zip, else its
    /// `<PlainTextContent>`.
    fn source_text(&mut self, el: &Element) -> Result<Option<String>, ProjectError> {
        if let Some(path) = el.attribute("plainTextPath")
            && let Some(file) = path.trim().strip_prefix("internal://")
            && let Some(entry) = self.zip.source_name(file)
        {
            let limit = self.zip.limits.source;
            let bytes = self.zip.entry(&entry, limit)?;
            let mut warnings = Vec::new();
            let text = decode_text(&bytes, &mut warnings).into_owned();
            for w in warnings {
                self.project.warnings.push(format!("{entry}: {w}"));
            }
            return Ok(Some(text));
        }
        Ok(el.child("PlainTextContent").map(|c| c.text.clone()))
    }

    fn selection(&mut self, el: &Element, source: &str, offsets: &Offsets) {
        let position = |name: &str| {
            el.attribute(name)
                .and_then(|p| p.trim().parse::<i64>().ok())
        };
        let span = Span {
            guid: self.guid(el, "selection"),
            start: position("startPosition").unwrap_or(-1),
            end: position("endPosition").unwrap_or(-1),
            user: user_of(el),
        };
        let codings: Vec<&Element> = el
            .children
            .iter()
            .filter(|c| c.name() == "Coding")
            .collect();
        if codings.is_empty() {
            self.counts.comments += 1;
        }
        for coding in codings {
            self.coding(coding, &span, source, offsets);
        }
    }

    fn coding(&mut self, el: &Element, span: &Span, source: &str, offsets: &Offsets) {
        let guid = self.guid(el, "coding");
        let code = el
            .child("CodeRef")
            .and_then(|r| r.attribute("targetGUID"))
            .and_then(normalise_guid);
        if let Some(case) = &code
            && self.project.cases.iter().any(|c| &c.guid == case)
        {
            // A code that is a case (as NVivo's case nodes): membership,
            // not a thematic coding.
            self.counts.case_codings += 1;
            return;
        }
        let Some(code) = code.filter(|c| self.project.code(c).is_some()) else {
            self.counts.unknown_codes.push(guid);
            return;
        };
        let (Some(start), Some(end)) = (offsets.point(span.start), offsets.point(span.end)) else {
            return self.outside(span, source, offsets);
        };
        if start > end {
            return self.outside(span, source, offsets);
        }
        let selection = if span.guid.is_empty() {
            guid.clone()
        } else {
            span.guid.clone()
        };
        self.project.codings.push(TextCoding {
            guid,
            selection,
            source: source.to_string(),
            code,
            start,
            end,
            coder: user_of(el).or_else(|| span.user.clone()),
        });
    }

    /// Reports a selection outside its text (once, whatever its codings).
    fn outside(&mut self, span: &Span, source: &str, offsets: &Offsets) {
        if self.project.outside.iter().any(|o| o.guid == span.guid) {
            return;
        }
        self.project.outside.push(OutsideCoding {
            guid: span.guid.clone(),
            source: source.to_string(),
            start: span.start,
            end: span.end,
            length: offsets.length,
        });
    }
}

/// A selection's span as written, and its user.
struct Span {
    guid: String,
    start: i64,
    end: i64,
    user: Option<String>,
}

/// The coder of a selection or coding: `creatingUser`, else `modifyingUser`.
fn user_of(el: &Element) -> Option<String> {
    el.attribute("creatingUser")
        .or_else(|| el.attribute("modifyingUser"))
        .and_then(normalise_guid)
}

/// Offsets as a file counts them, to code points.
struct Offsets {
    /// For UTF-16 offsets: the code point at each UTF-16 unit, `None` in the
    /// middle of a surrogate pair; the last entry is the length.
    utf16: Option<Vec<Option<usize>>>,
    /// The text's length in the file's unit.
    length: usize,
}

impl Offsets {
    fn new(text: &str, utf16: bool) -> Offsets {
        if !utf16 {
            return Offsets {
                utf16: None,
                length: text.chars().count(),
            };
        }
        let mut map = Vec::new();
        for (i, c) in text.chars().enumerate() {
            map.push(Some(i));
            if c.len_utf16() == 2 {
                map.push(None);
            }
        }
        let points = text.chars().count();
        map.push(Some(points));
        Offsets {
            length: map.len() - 1,
            utf16: Some(map),
        }
    }

    /// The code point at an offset, if it is within the text and on a
    /// character boundary.
    fn point(&self, offset: i64) -> Option<usize> {
        let offset = usize::try_from(offset).ok()?;
        match &self.utf16 {
            None => (offset <= self.length).then_some(offset),
            Some(map) => map.get(offset).copied().flatten(),
        }
    }
}

#[cfg(test)]
mod tests;
