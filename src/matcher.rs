//! The hot loop: a compiled codebook applied to one segment of text.
//!
//! [`Matcher::new`] compiles every pattern once. [`Matcher::find`] takes a
//! `&str` and pushes one [`Hit`] per code that applies, into a caller-owned
//! `Vec`. A single [`RegexSet`] pass says which patterns occur at all; only
//! those are then searched for their span. No I/O happens here.

use regex::{Regex, RegexSet};

use crate::codebook::Codebook;
use crate::error::{CodebookError, Diagnostic};
use crate::pattern;

/// The evidence for one code applied to one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the code in the codebook.
    pub code: usize,
    /// Index of the pattern in that code's `patterns`.
    pub pattern: usize,
    /// Byte span of the earliest match of that code in the segment.
    pub start: usize,
    /// End of the match, exclusive.
    pub end: usize,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Include { code: usize, pattern: usize },
    Exclude { code: usize },
}

/// A codebook compiled for matching.
#[derive(Debug, Clone)]
pub struct Matcher {
    set: RegexSet,
    regexes: Vec<Regex>,
    kinds: Vec<Kind>,
    code_theme: Vec<usize>,
    theme_count: usize,
}

impl Matcher {
    /// Compiles every pattern of the codebook.
    pub fn new(codebook: &Codebook) -> Result<Matcher, CodebookError> {
        let mut sources = Vec::new();
        let mut kinds = Vec::new();
        let mut problems = Vec::new();
        for (ci, code) in codebook.codes.iter().enumerate() {
            let all = code
                .patterns
                .iter()
                .enumerate()
                .map(|(pi, p)| (p, Kind::Include { code: ci, pattern: pi }))
                .chain(code.exclude.iter().map(|p| (p, Kind::Exclude { code: ci })));
            for (p, kind) in all {
                match pattern::to_regex(p) {
                    Ok(re) => {
                        sources.push(re);
                        kinds.push(kind);
                    }
                    Err(err) => problems.push(Diagnostic {
                        line: code.line,
                        message: format!("code {:?}: {err}", code.id),
                    }),
                }
            }
        }
        let invalid = |problems| CodebookError::Invalid {
            path: codebook.source.clone(),
            problems,
        };
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let compile_error = |err: regex::Error| {
            invalid(vec![Diagnostic {
                line: None,
                message: format!("the patterns do not compile together: {err}"),
            }])
        };
        let regexes = sources
            .iter()
            .map(|s| Regex::new(s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(compile_error)?;
        let set = RegexSet::new(&sources).map_err(compile_error)?;
        let code_theme = codebook
            .codes
            .iter()
            .map(|c| codebook.theme_index(&c.theme).expect("validated codebook"))
            .collect();
        Ok(Matcher {
            set,
            regexes,
            kinds,
            code_theme,
            theme_count: codebook.themes.len(),
        })
    }

    /// Number of codes.
    pub fn code_count(&self) -> usize {
        self.code_theme.len()
    }

    /// Number of themes.
    pub fn theme_count(&self) -> usize {
        self.theme_count
    }

    /// The theme index of a code.
    pub fn theme_of(&self, code: usize) -> usize {
        self.code_theme[code]
    }

    /// Pushes one hit per code that applies to `text`, in codebook order.
    /// A code applies when one of its patterns matches and none of its
    /// `exclude` patterns does; its evidence is its earliest match (ties go
    /// to the pattern listed first).
    pub fn find(&self, text: &str, hits: &mut Vec<Hit>) {
        let matched = self.set.matches(text);
        if !matched.matched_any() {
            return;
        }
        let first = hits.len();
        let mut vetoed: Vec<usize> = Vec::new();
        for i in matched.iter() {
            match self.kinds[i] {
                Kind::Exclude { code } => vetoed.push(code),
                Kind::Include { code, pattern } => {
                    let Some(m) = self.regexes[i].find(text) else {
                        continue;
                    };
                    let hit = Hit { code, pattern, start: m.start(), end: m.end() };
                    match hits[first..].iter_mut().find(|h| h.code == code) {
                        Some(existing) if (m.start(), pattern) < (existing.start, existing.pattern) => {
                            *existing = hit;
                        }
                        Some(_) => {}
                        None => hits.push(hit),
                    }
                }
            }
        }
        if !vetoed.is_empty() {
            let mut i = first;
            while i < hits.len() {
                if vetoed.contains(&hits[i].code) {
                    hits.remove(i);
                } else {
                    i += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(codes: &str) -> Matcher {
        let text = format!("[[themes]]\nid = \"t\"\n[[themes]]\nid = \"u\"\n{codes}");
        Matcher::new(&Codebook::from_toml_str(&text, "test.toml").unwrap()).unwrap()
    }

    fn found(m: &Matcher, text: &str) -> Vec<(usize, usize, String)> {
        let mut hits = Vec::new();
        m.find(text, &mut hits);
        hits.iter()
            .map(|h| (h.code, h.pattern, text[h.start..h.end].to_string()))
            .collect()
    }

    #[test]
    fn one_hit_per_code_with_the_earliest_match_as_evidence() {
        let m = matcher(
            "[[codes]]\nid = \"a\"\ntheme = \"t\"\npatterns = [\"later*\", \"first\"]\n\
             [[codes]]\nid = \"b\"\ntheme = \"u\"\npatterns = [\"first\"]\n",
        );
        assert_eq!(
            found(&m, "first, then laterally, first again"),
            [(0, 1, "first".into()), (1, 0, "first".into())]
        );
    }

    #[test]
    fn exclude_patterns_veto_their_code_only() {
        let m = matcher(
            "[[codes]]\nid = \"impact\"\ntheme = \"t\"\npatterns = [\"impact\"]\nexclude = [\"impact on me\"]\n\
             [[codes]]\nid = \"other\"\ntheme = \"u\"\npatterns = [\"impact\"]\n",
        );
        assert_eq!(found(&m, "the impact on me was big"), [(1, 0, "impact".into())]);
        assert_eq!(found(&m, "the impact was big").len(), 2);
    }

    #[test]
    fn nothing_is_found_in_text_without_patterns() {
        let m = matcher("[[codes]]\nid = \"a\"\ntheme = \"t\"\npatterns = [\"GP\"]\n");
        assert!(found(&m, "the gp and the Gp").is_empty());
    }
}
