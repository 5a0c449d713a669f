//! The REFI-QDA core shared by the `.qdc` writer and reader: the
//! namespaces, the GUIDs mint derives from ids, the text XML can hold, and a
//! small XML tree ([`Element`]) parsed leniently. What goes in a `<Code>`
//! and what is read from one is in `qdc`, `description` and `build`.

use std::borrow::Cow;
use std::collections::BTreeSet;

use quick_xml::events::{BytesStart, Event};
use uuid::Uuid;

use crate::error::ExchangeError;

/// The namespace of a REFI-QDA codebook (`.qdc`).
pub const CODEBOOK_NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";

/// The namespace of a REFI-QDA project (`project.qde` in a `.qdpx`).
pub const PROJECT_NAMESPACE: &str = "urn:QDA-XML:project:1.0";

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

pub(super) fn guid(name: &str) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"mint");
    Uuid::new_v5(&namespace, name.as_bytes())
        .hyphenated()
        .to_string()
        .to_uppercase()
}

/// A GUID in canonical upper case without braces, if it is one.
pub(super) fn normalise_guid(guid: &str) -> Option<String> {
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

/// The `name` attribute: the label (the id when there is none) on one line,
/// since XML turns line breaks in attributes into spaces.
pub(super) fn element_name(label: &str, id: &str) -> String {
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
pub(super) fn xml_clean(s: &str) -> (Cow<'_, str>, usize) {
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

/// A parsed XML element: local name, attributes by raw name, children, and
/// the text directly inside it.
#[derive(Debug, Default)]
pub(super) struct Element {
    /// The name as written (`CodeBook`, `qda:CodeBook`).
    pub(super) qname: String,
    pub(super) attributes: Vec<(String, String)>,
    pub(super) children: Vec<Element>,
    pub(super) text: String,
}

impl Element {
    pub(super) fn name(&self) -> &str {
        local(&self.qname)
    }

    /// An attribute by local name (namespace declarations excluded).
    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| !k.starts_with("xmlns") && local(k) == name)
            .map(|(_, v)| v.as_str())
    }

    /// The namespace of this element, from its own declarations.
    pub(super) fn namespace(&self) -> Option<&str> {
        let wanted = match self.qname.split_once(':') {
            Some((prefix, _)) => format!("xmlns:{prefix}"),
            None => "xmlns".to_string(),
        };
        self.attributes
            .iter()
            .find(|(k, _)| *k == wanted)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name() == name)
    }

    pub(super) fn find(&self, name: &str) -> Option<&Element> {
        if self.name() == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }
}

pub(super) fn local(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, l)| l)
}

/// How deep elements may nest. A REFI-QDA codebook is a few levels deep;
/// the readers walk the tree recursively, so a file nested thousands deep
/// (found by the property tests) would overflow the stack and abort.
pub(super) const MAX_XML_DEPTH: usize = 256;

pub(super) fn parse_xml(text: &str, warnings: &mut Vec<String>) -> Result<Element, ExchangeError> {
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
            Event::Start(_) if stack.len() >= MAX_XML_DEPTH => {
                return Err(syntax(format!(
                    "elements nested more than {MAX_XML_DEPTH} deep"
                )));
            }
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

pub(super) fn element(e: &BytesStart<'_>) -> Result<Element, String> {
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

pub(super) fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => {
            if root.is_none() {
                *root = Some(el);
            }
        }
    }
}
