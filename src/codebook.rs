//! The codebook: themes, and codes grouped under them, read from TOML (or
//! JSON), validated, and handed to [`crate::matcher::Matcher`] to compile.
//!
//! The format is documented in the README ("Codebook format"). The default
//! codebook, `codebooks/mint.toml`, is embedded in the binary
//! ([`Codebook::default_codebook`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{CodebookError, Diagnostic, Severity};
use crate::pattern;

/// The text of the default codebook, `codebooks/mint.toml`.
pub const DEFAULT_TOML: &str = include_str!("../codebooks/mint.toml");

/// The name under which the embedded default codebook is reported.
pub const DEFAULT_NAME: &str = "(default codebook)";

/// A whole codebook.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Codebook {
    /// Name, version and description.
    pub codebook: Meta,
    /// Themes, in file order.
    pub themes: Vec<Theme>,
    /// Codes, in file order.
    pub codes: Vec<Code>,
    /// How reports built from this codebook look.
    #[serde(skip_serializing_if = "Report::is_empty")]
    pub report: Report,
    /// Where the codebook came from (a path, or [`DEFAULT_NAME`]).
    #[serde(skip)]
    pub source: String,
    /// The TOML text it was read from, for positions in diagnostics.
    #[serde(skip)]
    pub text: Option<String>,
    /// Themes and codes (id, theme) of the codebooks this one extends
    /// (earlier `--codebook` files), which its codes may name.
    #[serde(skip)]
    pub inherited: Vec<(String, Option<String>)>,
}

/// The `[report]` table: how quotes and reports are presented.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Report {
    /// The attribution template for quotes (see `mint::quotes::attribution`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
}

impl Report {
    fn is_empty(&self) -> bool {
        self.attribution.is_none()
    }
}

/// The `[codebook]` table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    /// A human name for the codebook.
    #[serde(default)]
    pub name: String,
    /// The codebook's own version string.
    #[serde(default)]
    pub version: String,
    /// What the codebook is for.
    #[serde(default)]
    pub description: String,
    /// Whether plain patterns also match British/American spellings and
    /// closed-up hyphenations (`organisation` = `organization`,
    /// `co-location` = `colocation`). Default: true.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub spelling_variants: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl Default for Meta {
    fn default() -> Meta {
        Meta {
            name: String::new(),
            version: String::new(),
            description: String::new(),
            spelling_variants: true,
        }
    }
}

/// A theme: a group of codes, counted once per segment however many of its
/// codes apply.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Theme {
    /// Identifier, as used by `code.theme` and `--theme`.
    pub id: String,
    /// Human label.
    #[serde(default)]
    pub label: String,
    /// What the theme covers.
    #[serde(default)]
    pub description: String,
    /// 1-based line in the codebook file, when read from TOML.
    #[serde(skip)]
    pub line: Option<usize>,
}

/// Whether a code came from the framework or from the data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Deductive: part of the predefined framework.
    #[default]
    Predefined,
    /// Inductive: found in the data during analysis.
    Emergent,
}

impl Origin {
    /// The lowercase name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Predefined => "predefined",
            Origin::Emergent => "emergent",
        }
    }
}

/// A code: a label applied to the segments its patterns match.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Code {
    /// Identifier, unique in the codebook.
    pub id: String,
    /// The theme id this code belongs to.
    pub theme: String,
    /// The code this one is a sub-code of (same theme), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Human label.
    #[serde(default)]
    pub label: String,
    /// Predefined or emergent.
    #[serde(default)]
    pub origin: Origin,
    /// Where an emergent code stands in review, e.g. `candidate` when
    /// `mint emerge --write` proposed it, `accepted` once a researcher has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A one-line definition.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub short_definition: String,
    /// The full definition.
    #[serde(default)]
    pub definition: String,
    /// When to apply the code.
    #[serde(default)]
    pub when_to_use: String,
    /// When not to apply it.
    #[serde(default)]
    pub when_not_to_use: String,
    /// Sentences the code must code.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Sentences the code must not code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counterexamples: Vec<String>,
    /// What applies the code (see [`crate::pattern`]).
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Patterns that veto the code in a segment where any of them matches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// The code applies only when its patterns match at least this many
    /// times in the segment (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_hits: Option<u32>,
    /// Negation words: a match with one of these words shortly before it
    /// (within `not_after_words` words) does not count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_after: Vec<String>,
    /// How many words before a match `not_after` looks (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after_words: Option<u32>,
    /// 1-based line in the codebook file, when read from TOML.
    #[serde(skip)]
    pub line: Option<usize>,
    /// Where each of `patterns` is in the file (TOML only), for diagnostics.
    #[serde(skip)]
    pub pattern_spans: Vec<Option<std::ops::Range<usize>>>,
    /// Where each of `exclude` is in the file (TOML only).
    #[serde(skip)]
    pub exclude_spans: Vec<Option<std::ops::Range<usize>>>,
    /// Where `id` and `theme` are in the file (TOML only).
    #[serde(skip)]
    pub field_spans: BTreeMap<&'static str, std::ops::Range<usize>>,
}

/// The keys a `[codebook]` table may have.
const META_KEYS: &[&str] = &["name", "version", "description", "spelling_variants"];
/// The keys a theme may have.
const THEME_KEYS: &[&str] = &["id", "label", "description"];
/// The keys a code may have.
pub const CODE_KEYS: &[&str] = &[
    "id",
    "theme",
    "parent",
    "label",
    "origin",
    "status",
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
];

/// The file as serde sees it; unknown keys are found separately so that
/// all of them are reported at once.
#[derive(Deserialize)]
struct RawFile {
    #[serde(default)]
    codebook: Meta,
    #[serde(default)]
    report: Report,
    #[serde(default)]
    themes: Vec<Theme>,
    #[serde(default)]
    codes: Vec<Code>,
}

impl Codebook {
    /// The embedded default codebook.
    pub fn default_codebook() -> Codebook {
        Codebook::from_toml_str(DEFAULT_TOML, DEFAULT_NAME)
            .expect("the embedded default codebook is valid (tested)")
    }

    /// Reads the codebooks named on the command line, in order, each
    /// extending the ones before it: `default` is the embedded codebook.
    /// A theme or code id defined twice is an error that names both places.
    pub fn load_all(paths: &[&Path]) -> Result<Codebook, CodebookError> {
        let mut merged: Option<Codebook> = None;
        for path in paths {
            let next = if path.as_os_str() == "default" {
                Codebook::default_codebook()
            } else {
                Codebook::load_extending(path, merged.as_ref())?
            };
            merged = Some(match merged {
                None => next,
                Some(base) => base.merge(next)?,
            });
        }
        Ok(merged.unwrap_or_else(Codebook::default_codebook))
    }

    /// Adds the themes and codes of `ext` to this codebook.
    pub fn merge(mut self, ext: Codebook) -> Result<Codebook, CodebookError> {
        let place = |source: &str, line: Option<usize>| match line {
            Some(line) => format!("{source}:{line}"),
            None => source.to_string(),
        };
        let mut problems = Vec::new();
        for theme in &ext.themes {
            if let Some(first) = self.themes.iter().find(|t| t.id == theme.id) {
                problems.push(Diagnostic::error(format!(
                    "theme {:?} is defined in {} and again in {}",
                    theme.id,
                    place(&self.source, first.line),
                    place(&ext.source, theme.line)
                )));
            }
        }
        for code in &ext.codes {
            if let Some(first) = self.codes.iter().find(|c| c.id == code.id) {
                problems.push(Diagnostic::error(format!(
                    "code {:?} is defined in {} and again in {}",
                    code.id,
                    place(&self.source, first.line),
                    place(&ext.source, code.line)
                )));
            }
        }
        if !problems.is_empty() {
            return Err(CodebookError::Invalid {
                path: format!("{} + {}", self.source, ext.source),
                problems,
            });
        }
        self.source = format!("{} + {}", self.source, ext.source);
        self.codebook.name = format!("{} + {}", self.codebook.name, ext.codebook.name);
        self.themes.extend(ext.themes);
        self.codes.extend(ext.codes);
        if ext.report.attribution.is_some() {
            self.report = ext.report;
        }
        self.text = None;
        Ok(self)
    }

    /// Reads a codebook file that may name themes and codes of `base`.
    pub fn load_extending(path: &Path, base: Option<&Codebook>) -> Result<Codebook, CodebookError> {
        let text = std::fs::read_to_string(path).map_err(|source| CodebookError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let name = path.display().to_string();
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let inherited = base.map(Codebook::ids).unwrap_or_default();
        let (book, problems) = if is_json {
            check_json_extending(text, &name, inherited)
        } else {
            check_toml_extending(text, &name, inherited)
        };
        accept(book, problems, &name)
    }

    /// The theme ids (with `None`) and code ids (with their theme) defined
    /// here or inherited.
    pub fn ids(&self) -> Vec<(String, Option<String>)> {
        let mut ids = self.inherited.clone();
        ids.extend(self.themes.iter().map(|t| (t.id.clone(), None)));
        ids.extend(
            self.codes
                .iter()
                .map(|c| (c.id.clone(), Some(c.theme.clone()))),
        );
        ids
    }

    /// Reads a codebook file: JSON when the name ends in `.json`, TOML
    /// otherwise.
    pub fn load(path: &Path) -> Result<Codebook, CodebookError> {
        Codebook::load_extending(path, None)
    }

    /// Parses and validates a TOML codebook. `source` names it in errors.
    pub fn from_toml_str(text: &str, source: &str) -> Result<Codebook, CodebookError> {
        let (book, problems) = check_toml(text, source);
        accept(book, problems, source)
    }

    /// Parses and validates a JSON codebook (the same fields as TOML).
    pub fn from_json_str(text: &str, source: &str) -> Result<Codebook, CodebookError> {
        let (book, problems) = check_json(text, source);
        accept(book, problems, source)
    }

    /// Every rule the codebook breaks (errors), and what is worth a look
    /// (warnings), in file order. Positions are known for TOML files.
    pub fn validate(&self) -> Vec<Diagnostic> {
        let text = self.text.as_deref().unwrap_or("");
        let at = |d: Diagnostic, span: Option<&std::ops::Range<usize>>| match span {
            Some(span) if !text.is_empty() => d.at(text, span.clone()),
            _ => d,
        };
        let code_at = |d: Diagnostic, code: &Code, field: &str| {
            let d = match code.line {
                Some(line) => Diagnostic {
                    line: Some(line),
                    ..d
                },
                None => d,
            };
            at(d, code.field_spans.get(field))
        };
        let mut problems = Vec::new();
        if self.themes.is_empty() {
            problems.push(Diagnostic::error("the codebook has no themes"));
        }
        let mut theme_ids: BTreeSet<&str> = self
            .inherited
            .iter()
            .filter(|(_, theme)| theme.is_none())
            .map(|(id, _)| id.as_str())
            .collect();
        let inherited_themes = theme_ids.clone();
        for theme in &self.themes {
            let d = |m: String| Diagnostic {
                line: theme.line,
                ..Diagnostic::error(m)
            };
            if theme.id.trim().is_empty() {
                problems.push(d("a theme has an empty id".into()));
            } else if inherited_themes.contains(theme.id.as_str()) {
                problems.push(d(format!(
                    "theme {:?} is already defined by an earlier codebook",
                    theme.id
                )));
            } else if !theme_ids.insert(theme.id.as_str()) {
                problems.push(d(format!("theme {:?} is defined twice", theme.id)));
            }
        }
        let mut code_ids: BTreeMap<&str, Option<usize>> = BTreeMap::new();
        for code in &self.codes {
            let id = &code.id;
            if id.trim().is_empty() {
                problems.push(code_at(
                    Diagnostic::error("a code has an empty id"),
                    code,
                    "id",
                ));
            } else if let Some(first) = code_ids.insert(id.as_str(), code.line) {
                let at = first
                    .map(|l| format!(" (first at line {l})"))
                    .unwrap_or_default();
                problems.push(code_at(
                    Diagnostic::error(format!("code {id:?} is defined twice{at}")),
                    code,
                    "id",
                ));
            }
            if theme_ids.contains(id.as_str()) {
                problems.push(code_at(
                    Diagnostic::error(format!("code {id:?} has the same id as a theme")),
                    code,
                    "id",
                ));
            }
            if !theme_ids.contains(code.theme.as_str()) {
                let m = format!(
                    "code {id:?} names theme {:?}, which does not exist",
                    code.theme
                );
                problems.push(code_at(Diagnostic::error(m), code, "theme"));
            }
            if code.patterns.is_empty() {
                problems.push(code_at(
                    Diagnostic::error(format!("code {id:?} has no patterns")),
                    code,
                    "id",
                ));
            }
            if code.min_hits == Some(0) {
                problems.push(code_at(
                    Diagnostic::error(format!("code {id:?}: min_hits must be at least 1")),
                    code,
                    "id",
                ));
            }
            let spans = code.pattern_spans.iter().chain(&code.exclude_spans);
            for (p, span) in code
                .patterns
                .iter()
                .chain(&code.exclude)
                .zip(spans.chain(std::iter::repeat(&None)))
            {
                let d = match pattern::check(p) {
                    Err(err) => Diagnostic::error(format!("code {id:?}: {err}")),
                    Ok(false) => {
                        Diagnostic::error(format!("code {id:?}: pattern {p:?} can never match"))
                    }
                    Ok(true) => continue,
                };
                let d = Diagnostic {
                    line: code.line,
                    ..d
                };
                problems.push(at(d, span.as_ref()));
            }
        }
        for code in &self.codes {
            if let Some(parent) = &code.parent {
                let parent_theme = self
                    .codes
                    .iter()
                    .find(|c| &c.id == parent)
                    .map(|c| c.theme.as_str())
                    .or_else(|| {
                        self.inherited
                            .iter()
                            .find(|(id, theme)| id == parent && theme.is_some())
                            .and_then(|(_, theme)| theme.as_deref())
                    });
                let d = match parent_theme {
                    None => Diagnostic::error(format!(
                        "code {:?} names parent {parent:?}, which does not exist",
                        code.id
                    )),
                    Some(theme) if theme != code.theme => Diagnostic::error(format!(
                        "code {:?} is in theme {:?} but its parent {parent:?} is in {theme:?}",
                        code.id, code.theme
                    )),
                    Some(_) if self.ancestors(&code.id).is_none() => Diagnostic::error(format!(
                        "code {:?}: its parents go round in a circle",
                        code.id
                    )),
                    Some(_) => continue,
                };
                problems.push(code_at(d, code, "parent"));
            }
        }
        problems.sort_by_key(|d| (d.line.unwrap_or(usize::MAX), d.column.unwrap_or(0)));
        problems
    }

    /// The chain of parents of a code, nearest first; `None` on a cycle.
    pub fn ancestors(&self, id: &str) -> Option<Vec<&str>> {
        let mut out: Vec<&str> = Vec::new();
        let mut current = self.codes.iter().find(|c| c.id == id)?;
        while let Some(parent) = &current.parent {
            if parent == id || out.contains(&parent.as_str()) {
                return None;
            }
            out.push(parent);
            match self.codes.iter().find(|c| &c.id == parent) {
                Some(p) => current = p,
                None => break,
            }
        }
        Some(out)
    }

    /// Two codes with the same patterns (a warning: it is sometimes meant,
    /// as when one word belongs to two themes).
    fn identical_codes(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let text = self.text.as_deref().unwrap_or("");
        let place = |d: Diagnostic, code: &Code, i: usize| {
            let d = Diagnostic {
                line: code.line,
                ..d
            };
            match code.pattern_spans.get(i).cloned().flatten() {
                Some(span) if !text.is_empty() => d.at(text, span),
                _ => d,
            }
        };
        for (a, code) in self.codes.iter().enumerate() {
            for other in &self.codes[..a] {
                let mut mine: Vec<&String> = code.patterns.iter().collect();
                let mut theirs: Vec<&String> = other.patterns.iter().collect();
                mine.sort();
                theirs.sort();
                if !mine.is_empty() && mine == theirs {
                    let m = format!(
                        "codes {:?} and {:?} have identical patterns",
                        other.id, code.id
                    );
                    out.push(place(Diagnostic::error(m), code, 0));
                }
            }
        }
        out
    }

    /// Warnings about patterns shared between codes: a pattern in two
    /// codes, or one whose every match is also a match of another code's
    /// pattern. Quadratic in the number of patterns, so only `mint codebook
    /// check` asks for them.
    pub fn overlaps(&self) -> Vec<Diagnostic> {
        let mut out = self.identical_codes();
        let text = self.text.as_deref().unwrap_or("");
        let place = |d: Diagnostic, code: &Code, i: usize| {
            let d = Diagnostic {
                line: code.line,
                ..d
            };
            match code.pattern_spans.get(i).cloned().flatten() {
                Some(span) if !text.is_empty() => d.at(text, span),
                _ => d,
            }
        };
        let compiled: Vec<Vec<Option<regex::Regex>>> = self
            .codes
            .iter()
            .map(|c| {
                c.patterns
                    .iter()
                    .map(|p| {
                        pattern::to_regex(p)
                            .ok()
                            .and_then(|r| regex::Regex::new(&r).ok())
                    })
                    .collect()
            })
            .collect();
        for (a, code) in self.codes.iter().enumerate() {
            for (i, p) in code.patterns.iter().enumerate() {
                if p.starts_with("re:") {
                    continue;
                }
                let sample = pattern::sample_text(p);
                for (b, other) in self.codes.iter().enumerate() {
                    if a == b {
                        continue;
                    }
                    for (j, q) in other.patterns.iter().enumerate() {
                        if p == q {
                            if a > b {
                                let m = format!(
                                    "pattern {p:?} is in codes {:?} and {:?}",
                                    other.id, code.id
                                );
                                out.push(place(Diagnostic::warning(m), code, i));
                            }
                        } else if let Some(re) = &compiled[b][j]
                            && !q.starts_with("re:")
                            && re.is_match(&sample)
                        {
                            let m = format!(
                                "code {:?} pattern {p:?} contains code {:?} pattern {q:?}: every match of it is a match of the other",
                                code.id, other.id
                            );
                            out.push(place(Diagnostic::warning(m), code, i));
                        }
                    }
                }
            }
        }
        out
    }

    /// The index of each theme id in [`Codebook::themes`].
    pub fn theme_index(&self, id: &str) -> Option<usize> {
        self.themes.iter().position(|t| t.id == id)
    }
}

fn accept(
    book: Option<Codebook>,
    problems: Vec<Diagnostic>,
    source: &str,
) -> Result<Codebook, CodebookError> {
    let errors: Vec<Diagnostic> = problems
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    match book {
        Some(book) if errors.is_empty() => Ok(book),
        _ => Err(CodebookError::Invalid {
            path: source.to_string(),
            problems: errors,
        }),
    }
}

/// Checks a TOML codebook: every syntax error, unknown key and broken rule
/// at once, each with its position, and the warnings. Returns the codebook
/// too when it could be read at all.
pub fn check_toml(text: &str, source: &str) -> (Option<Codebook>, Vec<Diagnostic>) {
    check_toml_extending(text, source, Vec::new())
}

/// Like [`check_toml`], for a codebook whose codes may name the themes and
/// codes in `inherited` (from [`Codebook::ids`] of the codebook it extends).
pub fn check_toml_extending(
    text: &str,
    source: &str,
    inherited: Vec<(String, Option<String>)>,
) -> (Option<Codebook>, Vec<Diagnostic>) {
    use toml::de::{DeTable, DeValue};
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let problems = errors
            .iter()
            .map(|e| {
                let d = Diagnostic::error(e.message().trim_end().to_string());
                match e.span() {
                    Some(span) => d.at(text, span),
                    None => d,
                }
            })
            .collect();
        return (None, problems);
    }
    let table = table.into_inner();
    let mut problems = Vec::new();
    let mut unknown = |t: &toml::de::DeTable, allowed: &[&str], what: &str| {
        for (key, _) in t.iter() {
            if !allowed.contains(&key.get_ref().as_ref()) {
                let m = format!(
                    "unknown key `{}` in {what} (expected one of: {})",
                    key.get_ref(),
                    allowed.join(", ")
                );
                problems.push(Diagnostic::error(m).at(text, key.span()));
            }
        }
    };
    unknown(
        &table,
        &["codebook", "themes", "codes"],
        "the codebook file",
    );
    let tables = |key: &str| -> Vec<(&toml::de::DeTable, std::ops::Range<usize>)> {
        match table.get(key).map(|v| v.get_ref()) {
            Some(DeValue::Array(items)) => items
                .iter()
                .filter_map(|i| i.get_ref().as_table().map(|t| (t, i.span())))
                .collect(),
            _ => Vec::new(),
        }
    };
    if let Some(meta) = table.get("codebook").and_then(|v| v.get_ref().as_table()) {
        unknown(meta, META_KEYS, "[codebook]");
    }
    if let Some(report) = table.get("report").and_then(|v| v.get_ref().as_table()) {
        unknown(report, &["attribution"], "[report]");
    }
    for (t, _) in tables("themes") {
        unknown(t, THEME_KEYS, "a theme");
    }
    let code_tables = tables("codes");
    for (t, _) in &code_tables {
        unknown(t, CODE_KEYS, "a code");
    }
    let raw: RawFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(err) => {
            let d = Diagnostic::error(err.message().trim_end().to_string());
            problems.push(match err.span() {
                Some(span) => d.at(text, span),
                None => d,
            });
            return (None, problems);
        }
    };
    let line_of = |offset: usize| Some(text[..offset.min(text.len())].matches('\n').count() + 1);
    let theme_tables = tables("themes");
    let themes = raw
        .themes
        .into_iter()
        .zip(
            theme_tables
                .iter()
                .map(|(_, span)| span.start)
                .chain(std::iter::repeat(0)),
        )
        .map(|(theme, start)| Theme {
            line: line_of(start),
            ..theme
        })
        .collect();
    let spans_of = |t: &toml::de::DeTable, key: &str| -> Vec<Option<std::ops::Range<usize>>> {
        match t.get(key).map(|v| v.get_ref()) {
            Some(DeValue::Array(items)) => items.iter().map(|i| Some(i.span())).collect(),
            _ => Vec::new(),
        }
    };
    let codes = raw
        .codes
        .into_iter()
        .enumerate()
        .map(|(i, code)| match code_tables.get(i) {
            Some((t, span)) => {
                let mut field_spans = BTreeMap::new();
                for key in ["id", "theme", "parent"] {
                    if let Some(v) = t.get(key) {
                        field_spans.insert(key, v.span());
                    }
                }
                Code {
                    line: line_of(span.start),
                    pattern_spans: spans_of(t, "patterns"),
                    exclude_spans: spans_of(t, "exclude"),
                    field_spans,
                    ..code
                }
            }
            None => code,
        })
        .collect();
    let book = Codebook {
        codebook: raw.codebook,
        report: raw.report,
        themes,
        codes,
        source: source.to_string(),
        text: Some(text.to_string()),
        inherited,
    };
    problems.extend(book.validate());
    (Some(book), problems)
}

/// Checks a JSON codebook: the same rules as [`check_toml`], without
/// positions except for syntax errors.
pub fn check_json(text: &str, source: &str) -> (Option<Codebook>, Vec<Diagnostic>) {
    check_json_extending(text, source, Vec::new())
}

/// Like [`check_json`], for a codebook that extends another.
pub fn check_json_extending(
    text: &str,
    source: &str,
    inherited: Vec<(String, Option<String>)>,
) -> (Option<Codebook>, Vec<Diagnostic>) {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(err) => {
            let d = Diagnostic {
                line: Some(err.line()),
                column: Some(err.column()),
                ..Diagnostic::error(err.to_string())
            };
            return (None, vec![d]);
        }
    };
    let mut problems = Vec::new();
    let mut unknown = |v: &serde_json::Value, allowed: &[&str], what: &str| {
        for key in v.as_object().into_iter().flat_map(|o| o.keys()) {
            if !allowed.contains(&key.as_str()) && key != "schema_version" {
                problems.push(Diagnostic::error(format!(
                    "unknown key `{key}` in {what} (expected one of: {})",
                    allowed.join(", ")
                )));
            }
        }
    };
    unknown(
        &value,
        &["codebook", "themes", "codes"],
        "the codebook file",
    );
    unknown(&value["codebook"], META_KEYS, "\"codebook\"");
    for t in value["themes"].as_array().into_iter().flatten() {
        unknown(t, THEME_KEYS, "a theme");
    }
    for c in value["codes"].as_array().into_iter().flatten() {
        unknown(c, CODE_KEYS, "a code");
    }
    let raw: RawFile = match serde_json::from_value(value) {
        Ok(raw) => raw,
        Err(err) => {
            problems.push(Diagnostic::error(err.to_string()));
            return (None, problems);
        }
    };
    let book = Codebook {
        codebook: raw.codebook,
        report: raw.report,
        themes: raw.themes,
        codes: raw.codes,
        source: source.to_string(),
        text: None,
        inherited,
    };
    problems.extend(book.validate());
    (Some(book), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
[codebook]
name = "small"

[[themes]]
id = "hr_it"
label = "HR and IT"

[[codes]]
id = "systems"
theme = "hr_it"
patterns = ["IT", "system*"]
"#;

    #[test]
    fn default_codebook_loads_with_six_themes_of_five_codes_or_more() {
        let book = Codebook::default_codebook();
        let ids: Vec<&str> = book.themes.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "vision",
                "organisation",
                "professional_boundaries",
                "hr_it",
                "day_to_day_delivery",
                "measuring_impact"
            ]
        );
        for theme in &book.themes {
            let n = book.codes.iter().filter(|c| c.theme == theme.id).count();
            assert!(n >= 5, "theme {} has only {n} codes", theme.id);
        }
        for code in &book.codes {
            assert!(!code.definition.is_empty(), "{} has no definition", code.id);
            assert!(
                !code.when_to_use.is_empty(),
                "{} has no when_to_use",
                code.id
            );
            assert!(
                !code.when_not_to_use.is_empty(),
                "{} lacks when_not_to_use",
                code.id
            );
        }
    }

    #[test]
    fn toml_codes_remember_their_line() {
        let book = Codebook::from_toml_str(SMALL, "small.toml").unwrap();
        assert_eq!(book.themes[0].line, Some(5));
        assert_eq!(book.codes[0].line, Some(9));
    }

    #[test]
    fn json_and_toml_give_the_same_codebook() {
        let toml_book = Codebook::from_toml_str(SMALL, "a.toml").unwrap();
        let json = serde_json::to_string(&toml_book).unwrap();
        let json_book = Codebook::from_json_str(&json, "a.json").unwrap();
        assert_eq!(json_book.codes[0].patterns, toml_book.codes[0].patterns);
        assert_eq!(json_book.themes[0].label, "HR and IT");
    }

    #[test]
    fn validation_reports_every_problem_with_its_line() {
        let text = r#"
[[themes]]
id = "t"
[[codes]]
id = "a"
theme = "t"
patterns = [""]
[[codes]]
id = "a"
theme = "nope"
patterns = ["in*x"]
"#;
        let err = Codebook::from_toml_str(text, "bad.toml").unwrap_err();
        let CodebookError::Invalid { problems, .. } = err else {
            panic!("expected Invalid, got {err:?}");
        };
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            shown,
            [
                "line 7, column 13: code \"a\": empty pattern",
                "line 9, column 6: code \"a\" is defined twice (first at line 4)",
                "line 10, column 9: code \"a\" names theme \"nope\", which does not exist",
                "line 11, column 13: code \"a\": pattern \"in*x\": `*` may only end a word (as in `integrat*`)",
            ]
        );
    }

    #[test]
    fn every_unknown_key_is_reported_with_its_position() {
        let text = "[[themes]]\nid = \"t\"\ncolour = 3\n[[codes]]\nid = \"c\"\ntheme = \"t\"\npaterns = [\"x\"]\npatterns = [\"y\"]\n";
        let err = Codebook::from_toml_str(text, "x.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.toml: 2 problems:\n  line 3, column 1: unknown key `colour` in a theme (expected one of: id, label, description)\n  \
             line 7, column 1: unknown key `paterns` in a code (expected one of: id, theme, parent, label, origin, status, short_definition, definition, when_to_use, when_not_to_use, examples, counterexamples, patterns, exclude, min_hits, not_after, not_after_words)"
        );
    }
}
