//! The REFI-QDA `.qdc` format (and the codebook inside a `.qdpx`
//! project): [`write_qdc`], and [`read_qdc`]/[`read_qdpx`], which read the
//! `<Code>` tree ([`XCode`]) and hand it to `build`. The XML helpers and
//! GUIDs are in `refi`, the text of a `<Description>` in `description`.

use std::collections::{BTreeSet, HashSet};
use std::io::{Cursor, Read, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::build::build;
use super::description::{code_description, theme_description};
use super::import::decode_text;
use super::refi::{
    CODEBOOK_NAMESPACE, Element, PROJECT_NAMESPACE, code_guid, element_name, normalise_guid,
    parse_xml, theme_guid, xml_clean,
};
use super::tree::{Node, ThemeTree, tree};
use super::{Imported, Report, plural};
use crate::codebook::{Codebook, Meta};
use crate::error::ExchangeError;

/// Theme colours, by theme order (Sasha Trubetskoy's 20 distinct colours).
pub(super) const PALETTE: [&str; 20] = [
    "#E6194B", "#3CB44B", "#FFE119", "#4363D8", "#F58231", "#911EB4", "#46F0F0", "#F032E6",
    "#BCF60C", "#FABEBE", "#008080", "#E6BEFF", "#9A6324", "#FFFAC8", "#800000", "#AAFFC3",
    "#808000", "#FFD8B1", "#000075", "#808080",
];

/// The largest `project.qde` read from a `.qdpx` (a guard against zip bombs).
pub(super) const MAX_QDE_BYTES: u64 = 512 * 1024 * 1024;

/// Writes the codebook as a REFI-QDA `.qdc` that validates against
/// `Codebook.xsd`. Refuses a codebook with no codes.
pub fn write_qdc(book: &Codebook, w: impl Write) -> Result<Report, ExchangeError> {
    if book.codes.is_empty() {
        return Err(ExchangeError::NoCodes);
    }
    let themes = tree(book)?;
    let report = unkept(book, ".qdc");
    let mut xml = quick_xml::Writer::new_with_indent(w, b' ', 2);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let mut root = BytesStart::new("CodeBook");
    root.push_attribute(("xmlns", CODEBOOK_NAMESPACE));
    root.push_attribute((
        "origin",
        format!("mint {}", env!("CARGO_PKG_VERSION")).as_str(),
    ));
    xml.write_event(Event::Start(root))?;
    write_codes(&mut xml, &themes)?;
    xml.write_event(Event::End(BytesEnd::new("CodeBook")))?;
    xml.get_mut().write_all(b"\n")?;
    Ok(report)
}

/// Writes the `<Codes>` element of a codebook, `.qdc` or the `<CodeBook>`
/// of a project alike: each theme a folder (`isCodable="false"`), its codes
/// nested in it. Names are unique across the whole tree (QualCoder merges
/// codes of one name, qc keys codes by name): a name met before gets the
/// id in brackets, `Other (other_barriers)`.
pub(super) fn write_codes<W: Write>(
    xml: &mut XmlWriter<W>,
    themes: &[ThemeTree<'_>],
) -> Result<(), ExchangeError> {
    let mut names = UniqueNames::default();
    xml.write_event(Event::Start(BytesStart::new("Codes")))?;
    for (i, t) in themes.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let theme = t.theme;
        let name = names.claim(element_name(&theme.label, &theme.id), &theme.id);
        let description = theme_description(theme, &name);
        let element = QdcCode {
            guid: theme_guid(&theme.id),
            name,
            codable: false,
            color,
            description,
        };
        element.write(xml, |xml| write_nodes(xml, &t.codes, color, &mut names))?;
    }
    xml.write_event(Event::End(BytesEnd::new("Codes")))?;
    Ok(())
}

/// The names given so far, to keep each one unique.
#[derive(Default)]
pub(super) struct UniqueNames(HashSet<String>);

impl UniqueNames {
    /// `name`, or when it was given before, `name (id)` (then `name (id) 2`,
    /// `3`, ...): the first free one, now taken.
    pub(super) fn claim(&mut self, name: String, id: &str) -> String {
        let mut candidate = name.clone();
        let mut n = 1;
        while self.0.contains(&candidate) {
            candidate = match n {
                1 => format!("{name} ({id})"),
                _ => format!("{name} ({id}) {n}"),
            };
            n += 1;
        }
        self.0.insert(candidate.clone());
        candidate
    }
}

/// What a REFI-QDA `format` (`.qdc`, `.qdpx`) cannot keep of the codebook:
/// its name, version and description, and `spelling_variants = false`.
pub(super) fn unkept(book: &Codebook, format: &str) -> Report {
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
            "the codebook's {what} (a {format} has no place for them)"
        ));
    }
    if !meta.spelling_variants {
        report.warnings.push(
            format!(
                "spelling_variants = false is not kept in a {format}: a re-import matches spelling variants again"
            ),
        );
    }
    report
}

pub(super) type XmlWriter<W> = quick_xml::Writer<W>;

/// One `<Code>` element to write.
pub(super) struct QdcCode {
    pub(super) guid: String,
    pub(super) name: String,
    pub(super) codable: bool,
    pub(super) color: &'static str,
    pub(super) description: String,
}

impl QdcCode {
    /// Writes the element, its description and (through `inner`) its child
    /// codes. Characters XML cannot hold are left out (the `[mint]` block
    /// keeps them, escaped).
    pub(super) fn write<W: Write>(
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

pub(super) fn write_nodes<W: Write>(
    xml: &mut XmlWriter<W>,
    nodes: &[Node<'_>],
    color: &'static str,
    names: &mut UniqueNames,
) -> Result<(), ExchangeError> {
    for node in nodes {
        let code = node.code;
        let name = names.claim(element_name(&code.label, &code.id), &code.id);
        let element = QdcCode {
            guid: code_guid(&code.id),
            description: code_description(code, &name),
            name,
            codable: true,
            color,
        };
        element.write(xml, |xml| write_nodes(xml, &node.children, color, names))?;
    }
    Ok(())
}

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
    read_qdpx_within(bytes, MAX_QDE_BYTES)
}

/// [`read_qdpx`], refusing a `.qde` larger than `limit` bytes.
fn read_qdpx_within(bytes: &[u8], limit: u64) -> Result<Imported, ExchangeError> {
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
    // One byte past the limit tells a file that is too large from one that
    // is exactly the limit: refused, never cut short.
    archive
        .by_name(&name)
        .map_err(ExchangeError::Zip)?
        .take(limit + 1)
        .read_to_end(&mut data)?;
    if data.len() as u64 > limit {
        return Err(ExchangeError::TooLarge { name, limit });
    }
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

pub(super) fn check_namespace(
    root: &Element,
    kind: &str,
    standard: &str,
    warnings: &mut Vec<String>,
) {
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
pub(super) struct Issues {
    pub(super) missing_guid: usize,
    pub(super) bad_guid: usize,
    pub(super) duplicate_guid: usize,
    pub(super) missing_name: usize,
    pub(super) bad_codable: usize,
    pub(super) bad_color: usize,
    pub(super) note_refs: usize,
    pub(super) unknown: BTreeSet<String>,
    pub(super) seen_guids: HashSet<String>,
}

impl Issues {
    pub(super) fn report(&self, warnings: &mut Vec<String>) {
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

/// A `<Code>` as read.
pub(super) struct XCode {
    pub(super) guid: Option<String>,
    pub(super) name: String,
    pub(super) codable: bool,
    pub(super) description: String,
    pub(super) children: Vec<XCode>,
}

impl XCode {
    pub(super) fn read(el: &Element, issues: &mut Issues) -> XCode {
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

pub(super) fn is_rgb(color: &str) -> bool {
    color
        .strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6) && h.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod limit_tests {
    use std::io::Write;

    use super::*;

    /// A `.qdpx` whose `project.qde` is `qde`.
    fn qdpx(qde: &[u8]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("project.qde", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(qde).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_qde_past_the_limit_is_refused_not_cut_short() {
        let qde = br#"<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0"><CodeBook><Codes><Code guid="1" name="a" isCodable="true"/></Codes></CodeBook></Project>"#;
        let bytes = qdpx(qde);
        let limit = qde.len() as u64;
        assert!(read_qdpx_within(&bytes, limit).is_ok());
        let err = read_qdpx_within(&bytes, limit - 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "project.qde is larger than {} bytes uncompressed: not read, a guard against zip bombs",
                limit - 1
            )
        );
    }
}
