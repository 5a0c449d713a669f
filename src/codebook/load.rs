//! Reading codebooks: from TOML or JSON text or files, every unknown key
//! and syntax error reported at once with its position, and codebooks
//! merged when one extends another. The rules a codebook read this way must
//! follow are checked in `validate`; the key lists come from `fields`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::fields::{CODE_KEYS, META_KEYS, THEME_KEYS};
use super::model::{Code, Codebook, Meta, Report, Theme};
use super::{DEFAULT_NAME, DEFAULT_TOML};
use crate::error::{CodebookError, Diagnostic, Severity};

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
