//! The rules a codebook must follow ([`Codebook::validate`]) and the
//! slower checks of `mint codebook check` ([`Codebook::overlaps`]), as
//! [`Diagnostic`]s placed in the file where they can be. Reading files is in
//! `load`.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{Code, Codebook};
use crate::error::Diagnostic;
use crate::pattern;

impl Codebook {
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
    /// A diagnostic placed at the line of code `code` (an index into
    /// [`Codebook::codes`]) and, when the codebook's text is known, at its
    /// `pattern`th pattern.
    pub fn at_pattern(&self, d: Diagnostic, code: usize, pattern: usize) -> Diagnostic {
        self.place(d, &self.codes[code], pattern)
    }

    /// A diagnostic placed at a code's line and, when the codebook's text is
    /// known, at its `i`th pattern.
    fn place(&self, d: Diagnostic, code: &Code, i: usize) -> Diagnostic {
        let d = Diagnostic {
            line: code.line,
            ..d
        };
        let text = self.text.as_deref().unwrap_or("");
        match code.pattern_spans.get(i).cloned().flatten() {
            Some(span) if !text.is_empty() => d.at(text, span),
            _ => d,
        }
    }

    /// Two codes with the same patterns (a warning: it is sometimes meant,
    /// as when one word belongs to two themes).
    fn identical_codes(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let place = |d, code, i| self.place(d, code, i);
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
        let place = |d, code, i| self.place(d, code, i);
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
}
