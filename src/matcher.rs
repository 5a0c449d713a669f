//! The hot loop: a compiled codebook applied to one segment of text.
//!
//! [`Matcher::new`] compiles every pattern once. [`Matcher::find`] takes a
//! `&str` and pushes one [`Hit`] per code that applies, into a caller-owned
//! `Vec`. One Aho-Corasick pass over the segment finds which patterns can
//! occur at all (each plain pattern has a literal "anchor", its longest ASCII
//! word part, that any match must contain); only those patterns' regexes are
//! then run for their spans. So the cost per segment barely grows with the
//! size of the codebook. No I/O happens here.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

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
    /// Finds anchors, case-insensitively (ASCII).
    anchors: AhoCorasick,
    /// The compiled pattern each anchor belongs to.
    anchor_pattern: Vec<usize>,
    /// Patterns without an anchor, tried on every segment.
    always: Vec<usize>,
    /// Each pattern's regex source, compiled the first time its anchor is
    /// seen: a large codebook costs little on a small corpus.
    sources: Vec<String>,
    regexes: Vec<OnceLock<Regex>>,
    kinds: Vec<Kind>,
    code_theme: Vec<usize>,
    theme_count: usize,
}

impl Matcher {
    /// Compiles every pattern of the codebook.
    pub fn new(codebook: &Codebook) -> Result<Matcher, CodebookError> {
        let mut sources = Vec::new();
        let mut kinds = Vec::new();
        let mut anchors = Vec::new();
        let mut anchor_pattern = Vec::new();
        let mut always = Vec::new();
        let mut problems = Vec::new();
        for (ci, code) in codebook.codes.iter().enumerate() {
            let all = code
                .patterns
                .iter()
                .enumerate()
                .map(|(pi, p)| {
                    (
                        p,
                        Kind::Include {
                            code: ci,
                            pattern: pi,
                        },
                    )
                })
                .chain(code.exclude.iter().map(|p| (p, Kind::Exclude { code: ci })));
            for (p, kind) in all {
                let compiled = pattern::to_regex(p);
                match compiled {
                    Ok(source) => {
                        match anchor(p) {
                            Some(a) => {
                                anchors.push(a);
                                anchor_pattern.push(sources.len());
                            }
                            None => always.push(sources.len()),
                        }
                        sources.push(source);
                        kinds.push(kind);
                    }
                    Err(err) => problems.push(Diagnostic {
                        line: code.line,
                        ..Diagnostic::error(format!("code {:?}: {err}", code.id))
                    }),
                }
            }
        }
        if !problems.is_empty() {
            return Err(CodebookError::Invalid {
                path: codebook.source.clone(),
                problems,
            });
        }
        let anchors = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&anchors)
            .map_err(|err| CodebookError::Invalid {
                path: codebook.source.clone(),
                problems: vec![Diagnostic::error(format!(
                    "cannot build the pattern index: {err}"
                ))],
            })?;
        let code_theme = codebook
            .codes
            .iter()
            .map(|c| codebook.theme_index(&c.theme).expect("validated codebook"))
            .collect();
        Ok(Matcher {
            anchors,
            anchor_pattern,
            always,
            regexes: sources.iter().map(|_| OnceLock::new()).collect(),
            sources,
            kinds,
            code_theme,
            theme_count: codebook.themes.len(),
        })
    }

    fn regex(&self, i: usize) -> &Regex {
        self.regexes[i].get_or_init(|| {
            // pattern::to_regex escapes plain patterns and has already
            // compiled raw ones, so the source is a valid regex.
            Regex::new(&self.sources[i]).expect("pattern::to_regex returns valid regexes")
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
        let mut candidates: Vec<usize> = self
            .anchors
            .find_overlapping_iter(text)
            .map(|m| self.anchor_pattern[m.pattern().as_usize()])
            .chain(self.always.iter().copied())
            .collect();
        if candidates.is_empty() {
            return;
        }
        candidates.sort_unstable();
        candidates.dedup();
        let first = hits.len();
        let mut vetoed: Vec<usize> = Vec::new();
        for i in candidates {
            match self.kinds[i] {
                Kind::Exclude { code } => {
                    if self.regex(i).is_match(text) {
                        vetoed.push(code);
                    }
                }
                Kind::Include { code, pattern } => {
                    let Some(m) = self.regex(i).find(text) else {
                        continue;
                    };
                    let hit = Hit {
                        code,
                        pattern,
                        start: m.start(),
                        end: m.end(),
                    };
                    match hits[first..].iter_mut().find(|h| h.code == code) {
                        Some(existing)
                            if (m.start(), pattern) < (existing.start, existing.pattern) =>
                        {
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
        hits[first..].sort_by_key(|h| h.code);
    }
}

/// The literal every match of a plain pattern contains: its longest run of
/// ASCII letters and digits. `None` for raw regexes and for patterns with
/// non-ASCII letters (whose case folding is not ASCII).
fn anchor(pattern: &str) -> Option<String> {
    if pattern.starts_with("re:") || !pattern.is_ascii() {
        return None;
    }
    pattern
        .split(|c: char| !c.is_ascii_alphanumeric())
        .max_by_key(|run| run.len())
        .filter(|run| !run.is_empty())
        .map(str::to_string)
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
             [[codes]]\nid = \"other\"\ntheme = \"u\"\npatterns = [\"impact\", \"effect\"]\n",
        );
        assert_eq!(
            found(&m, "the impact on me was big"),
            [(1, 0, "impact".into())]
        );
        assert_eq!(found(&m, "the impact was big").len(), 2);
    }

    #[test]
    fn anchors_are_the_longest_ascii_word_part() {
        assert_eq!(anchor("co-locat*").as_deref(), Some("locat"));
        assert_eq!(anchor("A&E").as_deref(), Some("E"));
        assert_eq!(anchor("re:x+"), None);
        assert_eq!(anchor("café"), None);
    }

    #[test]
    fn raw_regexes_and_non_ascii_patterns_are_still_found() {
        let m = matcher(
            "[[codes]]\nid = \"a\"\ntheme = \"t\"\npatterns = [\"re:band [5-7]\"]\n\
             [[codes]]\nid = \"b\"\ntheme = \"u\"\npatterns = [\"CAFÉ\", \"naïve\"]\n",
        );
        assert_eq!(
            found(&m, "a band 6 post at the CAFÉ"),
            [(0, 0, "band 6".into()), (1, 0, "CAFÉ".into())]
        );
        assert_eq!(found(&m, "NAÏVE"), [(1, 1, "NAÏVE".into())]);
    }

    #[test]
    fn nothing_is_found_in_text_without_patterns() {
        let m = matcher("[[codes]]\nid = \"a\"\ntheme = \"t\"\npatterns = [\"GP\"]\n");
        assert!(found(&m, "the gp and the Gp").is_empty());
    }
}
