//! A `<Code>` tree read from a `.qdc` made into a codebook: which
//! elements become themes, codes and sub-codes, their ids, and the fields
//! of their descriptions and `[mint]` blocks ([`Fields`]). Parsing the XML
//! is in `qdc` and `refi`; what all readers share in `import`.

use std::collections::{BTreeSet, HashSet};

use super::description::{Human, read_description};
use super::import::{Ids, patterns_from_names, sample_names};
use super::qdc::XCode;
use super::refi::{code_guid, normalise_guid, theme_guid};
use super::{Imported, UNCATEGORISED, plural};
use crate::codebook::{Code, CodeField, Codebook, Origin, THEME_KEYS, Theme};

/// A theme or code on its way into the codebook.
pub(super) struct Entry {
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
pub(super) fn build(tops: Vec<XCode>, mut warnings: Vec<String>) -> Imported {
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
    let patterns_from_names = patterns_from_names(
        &mut book_codes,
        " (only mint's own files carry them)",
        &mut warnings,
    );
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
pub(super) fn entry(
    x: &XCode,
    theme: usize,
    parent: Option<usize>,
    bad: &mut Vec<String>,
) -> Entry {
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
pub(super) fn add_codes(
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

pub(super) fn theme_from(t: &Entry, id: &str, warnings: &mut BTreeSet<String>) -> Theme {
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
    // A theme's [mint] block may still have the patterns of a code.
    let known: Vec<&str> = THEME_KEYS
        .iter()
        .copied()
        .chain([CodeField::Patterns.name()])
        .collect();
    f.check_unknown(&known);
    Theme {
        id: id.to_string(),
        label,
        description,
        ..Default::default()
    }
}

pub(super) fn code_from(
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
        Some("learned") => Origin::Learned,
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
    // The theme and the parent are where the <Code> sits; a status is not
    // carried.
    let known: Vec<&str> = CodeField::ALL
        .into_iter()
        .filter(|f| !matches!(f, CodeField::Theme | CodeField::Parent | CodeField::Status))
        .map(CodeField::name)
        .collect();
    f.check_unknown(&known);
    code
}

/// mint derives its GUIDs from ids: says how many foreign ones are not kept.
pub(super) fn warn_foreign_guids(
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

/// Typed fields of a `[mint]` block; wrong types become warnings.
pub(super) struct Fields<'a> {
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
