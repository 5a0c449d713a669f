//! The codebook: themes, and codes grouped under them, read from TOML (or
//! JSON), validated, and handed to [`crate::matcher::Matcher`] to compile.
//!
//! The format is documented in the README ("Codebook format"). The default
//! codebook, `codebooks/mint.toml`, is embedded in the binary
//! ([`Codebook::default_codebook`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{CodebookError, Diagnostic};
use crate::pattern;

/// The text of the default codebook, `codebooks/mint.toml`.
pub const DEFAULT_TOML: &str = include_str!("../codebooks/mint.toml");

/// The name under which the embedded default codebook is reported.
pub const DEFAULT_NAME: &str = "(default codebook)";

/// A whole codebook.
#[derive(Debug, Clone, Serialize)]
pub struct Codebook {
    /// Name, version and description.
    pub codebook: Meta,
    /// Themes, in file order.
    pub themes: Vec<Theme>,
    /// Codes, in file order.
    pub codes: Vec<Code>,
    /// Where the codebook came from (a path, or [`DEFAULT_NAME`]).
    #[serde(skip)]
    pub source: String,
}

/// The `[codebook]` table.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
}

/// A theme: a group of codes, counted once per segment however many of its
/// codes apply.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    /// Identifier, unique in the codebook.
    pub id: String,
    /// The theme id this code belongs to.
    pub theme: String,
    /// Human label.
    #[serde(default)]
    pub label: String,
    /// Predefined or emergent.
    #[serde(default)]
    pub origin: Origin,
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
    /// 1-based line in the codebook file, when read from TOML.
    #[serde(skip)]
    pub line: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    codebook: Meta,
    #[serde(default)]
    themes: Vec<toml::Spanned<Theme>>,
    #[serde(default)]
    codes: Vec<toml::Spanned<Code>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFile {
    #[serde(default)]
    codebook: Meta,
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

    /// Reads a codebook file: JSON when the name ends in `.json`, TOML
    /// otherwise.
    pub fn load(path: &Path) -> Result<Codebook, CodebookError> {
        let text = std::fs::read_to_string(path).map_err(|source| CodebookError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let name = path.display().to_string();
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            Codebook::from_json_str(text, &name)
        } else {
            Codebook::from_toml_str(text, &name)
        }
    }

    /// Parses and validates a TOML codebook. `source` names it in errors.
    pub fn from_toml_str(text: &str, source: &str) -> Result<Codebook, CodebookError> {
        let file: TomlFile = toml::from_str(text).map_err(|err| CodebookError::Syntax {
            path: source.to_string(),
            message: toml_message(&err, text),
        })?;
        let line_of = |offset: usize| Some(line_at(text, offset));
        let themes = file
            .themes
            .into_iter()
            .map(|s| {
                let line = line_of(s.span().start);
                Theme {
                    line,
                    ..s.into_inner()
                }
            })
            .collect();
        let codes = file
            .codes
            .into_iter()
            .map(|s| {
                let line = line_of(s.span().start);
                Code {
                    line,
                    ..s.into_inner()
                }
            })
            .collect();
        Codebook::checked(file.codebook, themes, codes, source)
    }

    /// Parses and validates a JSON codebook (the same fields as TOML).
    pub fn from_json_str(text: &str, source: &str) -> Result<Codebook, CodebookError> {
        let file: JsonFile = serde_json::from_str(text).map_err(|err| CodebookError::Syntax {
            path: source.to_string(),
            message: err.to_string(),
        })?;
        Codebook::checked(file.codebook, file.themes, file.codes, source)
    }

    fn checked(
        codebook: Meta,
        themes: Vec<Theme>,
        codes: Vec<Code>,
        source: &str,
    ) -> Result<Codebook, CodebookError> {
        let book = Codebook {
            codebook,
            themes,
            codes,
            source: source.to_string(),
        };
        let problems = book.validate();
        if problems.is_empty() {
            Ok(book)
        } else {
            Err(CodebookError::Invalid {
                path: source.to_string(),
                problems,
            })
        }
    }

    /// Every rule the codebook breaks, in file order.
    pub fn validate(&self) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut push = |line: Option<usize>, message: String| {
            problems.push(Diagnostic { line, message });
        };
        if self.themes.is_empty() {
            push(None, "the codebook has no themes".into());
        }
        let mut theme_ids = BTreeSet::new();
        for theme in &self.themes {
            if theme.id.trim().is_empty() {
                push(theme.line, "a theme has an empty id".into());
            } else if !theme_ids.insert(theme.id.as_str()) {
                push(theme.line, format!("theme {:?} is defined twice", theme.id));
            }
        }
        let mut code_ids = BTreeMap::new();
        for code in &self.codes {
            let id = &code.id;
            if id.trim().is_empty() {
                push(code.line, "a code has an empty id".into());
            } else if let Some(first) = code_ids.insert(id.as_str(), code.line) {
                let at = first
                    .map(|l| format!(" (first at line {l})"))
                    .unwrap_or_default();
                push(code.line, format!("code {id:?} is defined twice{at}"));
            }
            if theme_ids.contains(id.as_str()) {
                push(code.line, format!("code {id:?} has the same id as a theme"));
            }
            if !theme_ids.contains(code.theme.as_str()) {
                push(
                    code.line,
                    format!(
                        "code {id:?} names theme {:?}, which does not exist",
                        code.theme
                    ),
                );
            }
            if code.patterns.is_empty() {
                push(code.line, format!("code {id:?} has no patterns"));
            }
            for p in code.patterns.iter().chain(&code.exclude) {
                if let Err(err) = pattern::to_regex(p) {
                    push(code.line, format!("code {id:?}: {err}"));
                }
            }
        }
        problems
    }

    /// The index of each theme id in [`Codebook::themes`].
    pub fn theme_index(&self, id: &str) -> Option<usize> {
        self.themes.iter().position(|t| t.id == id)
    }
}

/// The 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The TOML error as one line: `line L, column C: message`.
fn toml_message(err: &toml::de::Error, text: &str) -> String {
    let message = err.message().trim_end().to_string();
    match err.span() {
        Some(span) => {
            let line = line_at(text, span.start);
            let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let col = text[line_start..span.start].chars().count() + 1;
            format!("line {line}, column {col}: {message}")
        }
        None => message,
    }
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
                "line 4: code \"a\": empty pattern",
                "line 8: code \"a\" is defined twice (first at line 4)",
                "line 8: code \"a\" names theme \"nope\", which does not exist",
                "line 8: code \"a\": pattern \"in*x\": `*` may only end a word (as in `integrat*`)",
            ]
        );
    }

    #[test]
    fn unknown_keys_are_syntax_errors_with_a_position() {
        let text = "[[themes]]\nid = \"t\"\ncolour = 3\n";
        let err = Codebook::from_toml_str(text, "x.toml").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("x.toml: line 3, column 1: unknown field `colour`"),
            "{msg}"
        );
    }
}
