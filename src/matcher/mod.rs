//! The hot loop: a compiled codebook applied to one segment of text.
//!
//! [`Matcher::new`] translates every pattern once. [`Matcher::find`] takes a
//! `&str` and pushes one [`Hit`] per code that applies, into a caller-owned
//! `Vec`. No I/O happens here. Two engines share the work:
//!
//! * **Plain patterns** (ASCII words, phrases, wildcards, acronyms, spelling
//!   variants: nearly all of a codebook) are found without a regex. A match
//!   can only start where a word starts, so the segment is scanned for word
//!   starts 64 bytes at a time; a small hashed set of the first words'
//!   beginnings passes over most words at once, and at the others one hash
//!   lookup of the word's first bytes gives the first-word spellings that
//!   may start there, each compared with the text once for all the patterns
//!   it begins. The rest of each such pattern is checked in place. This
//!   gives exactly what the patterns' regexes give (a test compares the two
//!   on every default pattern), at a cost per word that barely grows with
//!   the size of the codebook.
//! * **The others** (`re:`, `NEAR`, non-ASCII words) keep literal anchors
//!   when they have them (a word's longest ASCII run, or, for a regex, a set
//!   of literals one of which every match contains: `anchors.rs`; for
//!   `NEAR`, the better half's): one Aho-Corasick pass finds which of them
//!   can occur, and only their regexes run, each compiled the first time it
//!   is needed. Those without an anchor run on every segment.
//!
//! This file holds [`Matcher`]: its construction from a codebook (the
//! anchors' Aho-Corasick automaton included), the scan entry points
//! ([`Matcher::find`], [`Matcher::find_with_patterns`]) and the per-code
//! rules (`min_hits`, `exclude`, `not_after`) the matches of both engines
//! go through. The engines themselves do not live here: the plain one is in
//! `plain.rs`, the regexes in `regexes.rs`.

mod anchors;
mod plain;
mod regexes;
#[cfg(test)]
mod tests;

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::codebook::Codebook;
use crate::error::{CodebookError, Diagnostic};
use crate::pattern::{self, Options, Pattern};
use plain::{PlainIndex, PlainMatch, plain_of};
use regexes::Runnable;

/// Strings one of which occurs in every match of a pattern that is not
/// plain words: its own literal anchor, else one read off its regexes
/// ([`anchors`]); `None` when it must run on every segment.
fn anchors_of(p: &Pattern) -> Option<Vec<String>> {
    let half = |c: &pattern::Compiled| {
        c.anchor
            .clone()
            .map(|a| vec![a])
            .or_else(|| anchors::of_regex(&c.regex))
    };
    match p {
        Pattern::Single(c) => half(c),
        Pattern::Near { a, b, .. } => anchors::better(half(a), half(b)),
    }
}

/// The evidence for one code applied to one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hit {
    /// Index of the code in the codebook.
    pub code: usize,
    /// Index of the pattern in that code's `patterns`.
    pub pattern: usize,
    /// Byte span of the earliest counted match of that code in the segment.
    pub start: usize,
    /// End of the match, exclusive.
    pub end: usize,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Include { code: usize, pattern: usize },
    Exclude { code: usize },
}

/// What a code asks of its matches beyond "one of the patterns matched".
#[derive(Debug, Clone, Default)]
struct Rule {
    min_hits: usize,
    /// Negation words, lower case.
    not_after: Vec<String>,
    window: usize,
}

impl Rule {
    fn is_simple(&self) -> bool {
        self.min_hits <= 1 && self.not_after.is_empty()
    }
}

/// A codebook compiled for matching.
#[derive(Debug)]
pub struct Matcher {
    /// Finds the plain patterns (most of a codebook) without a regex.
    plain: PlainIndex,
    /// Finds the anchors of the other patterns, case-insensitively (ASCII);
    /// `None` when there are none.
    anchors: Option<AhoCorasick>,
    /// The entry each anchor belongs to.
    anchor_entry: Vec<usize>,
    /// Entries without an anchor, tried on every segment.
    always: Vec<usize>,
    patterns: Vec<Pattern>,
    runnable: Vec<OnceLock<Runnable>>,
    kinds: Vec<Kind>,
    /// Per entry: only its first match counts (an exclude, or a pattern of
    /// a code with a simple rule).
    first_only: Vec<bool>,
    rules: Vec<Rule>,
    code_theme: Vec<usize>,
    /// Each code's ancestors (sub-codes count for their parents).
    ancestors: Vec<Vec<usize>>,
    /// Per code, per pattern: how telling a match is (for scores only).
    weights: Vec<Vec<pattern::Weight>>,
    theme_count: usize,
}

impl Matcher {
    /// Translates every pattern of the codebook.
    pub fn new(codebook: &Codebook) -> Result<Matcher, CodebookError> {
        let options = Options {
            variants: codebook.codebook.spelling_variants,
        };
        let mut patterns = Vec::new();
        let mut kinds = Vec::new();
        let mut anchors = Vec::new();
        let mut anchor_entry = Vec::new();
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
                match pattern::compile(p, &options) {
                    Ok(compiled) => {
                        match anchors_of(&compiled) {
                            _ if plain_of(&compiled).is_some() => {}
                            Some(set) => {
                                for a in set {
                                    anchors.push(a);
                                    anchor_entry.push(patterns.len());
                                }
                            }
                            None => always.push(patterns.len()),
                        }
                        patterns.push(compiled);
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
        let index_error = |err: aho_corasick::BuildError| CodebookError::Invalid {
            path: codebook.source.clone(),
            problems: vec![Diagnostic::error(format!(
                "cannot build the pattern index: {err}"
            ))],
        };
        let plain = PlainIndex::new(&patterns);
        let anchors = if anchors.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    // A DFA is the fastest for overlapping searches, and the
                    // anchors are few and short enough for its memory to
                    // stay small.
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(&anchors)
                    .map_err(index_error)?,
            )
        };
        let code_theme = codebook
            .codes
            .iter()
            .map(|c| codebook.theme_index(&c.theme).expect("validated codebook"))
            .collect();
        let index_of = |id: &str| codebook.codes.iter().position(|c| c.id == id);
        let ancestors = codebook
            .codes
            .iter()
            .map(|c| {
                codebook
                    .ancestors(&c.id)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(index_of)
                    .collect()
            })
            .collect();
        let rules: Vec<Rule> = codebook
            .codes
            .iter()
            .map(|c| Rule {
                min_hits: c.min_hits.unwrap_or(1) as usize,
                not_after: c
                    .not_after
                    .iter()
                    .map(|w| w.trim().to_lowercase())
                    .collect(),
                window: c.not_after_words.unwrap_or(3) as usize,
            })
            .collect();
        let first_only = kinds
            .iter()
            .map(|kind| match kind {
                Kind::Exclude { .. } => true,
                Kind::Include { code, .. } => rules[*code].is_simple(),
            })
            .collect();
        Ok(Matcher {
            plain,
            anchors,
            anchor_entry,
            always,
            runnable: patterns.iter().map(|_| OnceLock::new()).collect(),
            patterns,
            kinds,
            first_only,
            rules,
            code_theme,
            ancestors,
            weights: codebook
                .codes
                .iter()
                .map(|c| c.patterns.iter().map(|p| pattern::weight(p)).collect())
                .collect(),
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

    /// The codes a code counts for besides itself: its parents, nearest
    /// first.
    pub fn ancestors_of(&self, code: usize) -> &[usize] {
        &self.ancestors[code]
    }

    /// The [`pattern::Weight`] of a code's pattern (indices as in a
    /// [`Hit`]).
    pub fn weight(&self, code: usize, pattern: usize) -> pattern::Weight {
        self.weights[code][pattern]
    }

    /// Pushes one hit per code that applies to `text`, in codebook order.
    ///
    /// A code applies when its patterns match (at least `min_hits` times,
    /// not counting matches just after a `not_after` word) and none of its
    /// `exclude` patterns does. Its evidence is its earliest counted match
    /// (ties go to the pattern listed first).
    pub fn find(&self, text: &str, hits: &mut Vec<Hit>) {
        self.find_inner(text, hits, None);
    }

    /// Like [`Matcher::find`], and also pushes `(code, pattern)` for every
    /// pattern that matched in a code that applies (for `--rules`).
    pub fn find_with_patterns(
        &self,
        text: &str,
        hits: &mut Vec<Hit>,
        patterns: &mut Vec<(usize, usize)>,
    ) {
        self.find_inner(text, hits, Some(patterns));
    }

    fn find_inner(
        &self,
        text: &str,
        hits: &mut Vec<Hit>,
        mut patterns: Option<&mut Vec<(usize, usize)>>,
    ) {
        let first = hits.len();
        // Buffers kept per thread from one segment to the next.
        let mut scratch = SCRATCH.take();
        let Scratch {
            found,
            seen,
            segment,
            heads,
            ranges,
            candidates,
            state,
        } = &mut scratch;
        found.clear();
        state.ready(self.rules.len());
        // Plain patterns: every match, in order of start.
        self.plain.scan(text, found, heads);
        // An entry that counts only its first match gets it here, in order
        // of start, and no sort; the others keep all their matches.
        *segment = segment.wrapping_add(1);
        if *segment == 0 || seen.len() < self.kinds.len() {
            seen.clear();
            seen.resize(self.kinds.len(), 0);
            *segment = 1;
        }
        found.retain(|m| {
            let i = m.entry as usize;
            if !self.first_only[i] {
                return true;
            }
            if seen[i] != *segment {
                seen[i] = *segment;
                let range = m.start as usize..m.end as usize;
                self.apply(
                    i,
                    text,
                    &[range],
                    state,
                    hits,
                    first,
                    patterns.as_deref_mut(),
                );
            }
            false
        });
        found.sort_by_key(|m| (m.entry, m.start));
        for group in found.chunk_by(|a, b| a.entry == b.entry) {
            // Like a regex's successive matches: none overlaps the last.
            ranges.clear();
            for m in group {
                if ranges.last().is_none_or(|r| m.start as usize >= r.end) {
                    ranges.push(m.start as usize..m.end as usize);
                }
            }
            let i = group[0].entry as usize;
            self.apply(i, text, ranges, state, hits, first, patterns.as_deref_mut());
        }
        // The other patterns: those whose anchor occurs, and those without one.
        candidates.clear();
        if let Some(anchors) = &self.anchors {
            if anchors::has_fold(text) {
                // An anchor's `k` or `s` may be written as one of these.
                candidates.extend(self.anchor_entry.iter().copied());
            } else {
                candidates.extend(
                    anchors
                        .find_overlapping_iter(text)
                        .map(|m| self.anchor_entry[m.pattern().as_usize()]),
                );
            }
        }
        candidates.extend(self.always.iter().copied());
        candidates.sort_unstable();
        candidates.dedup();
        let mut sentences: Option<Vec<usize>> = None;
        for &i in candidates.iter() {
            ranges.clear();
            if self.first_only[i] {
                ranges.extend(self.first_match(i, text, &mut sentences));
            } else {
                ranges.extend(self.all_matches(i, text, &mut sentences));
            }
            self.apply(i, text, ranges, state, hits, first, patterns.as_deref_mut());
        }
        let mut kept = first;
        for i in first..hits.len() {
            if state.stands(hits[i].code, &self.rules[hits[i].code]) {
                hits[kept] = hits[i];
                kept += 1;
            }
        }
        hits.truncate(kept);
        hits[first..].sort_unstable_by_key(|h| h.code);
        if let Some(p) = patterns {
            p.retain(|&(code, _)| state.stands(code, &self.rules[code]));
        }
        state.reset();
        SCRATCH.set(scratch);
    }

    /// Records the matches of entry `i` (all of them, or at least the first
    /// when its code's rule is simple), in order of start.
    #[allow(clippy::too_many_arguments)]
    fn apply(
        &self,
        i: usize,
        text: &str,
        matches: &[Range<usize>],
        state: &mut State,
        hits: &mut Vec<Hit>,
        first: usize,
        patterns: Option<&mut Vec<(usize, usize)>>,
    ) {
        let (code, pattern) = match self.kinds[i] {
            Kind::Exclude { code } => {
                if !matches.is_empty() {
                    state.touch(code);
                    state.vetoed[code] = true;
                }
                return;
            }
            Kind::Include { code, pattern } => (code, pattern),
        };
        let rule = &self.rules[code];
        let (m, n) = if rule.is_simple() {
            match matches.first() {
                Some(m) => (m.clone(), 1),
                None => return,
            }
        } else {
            let mut counted = matches.iter().filter(|m| !negated(text, m.start, rule));
            let Some(m) = counted.next() else { return };
            (m.clone(), 1 + counted.count())
        };
        if let Some(p) = patterns {
            p.push((code, pattern));
        }
        state.touch(code);
        state.counts[code] += n;
        let hit = Hit {
            code,
            pattern,
            start: m.start,
            end: m.end,
        };
        match state.hit[code] {
            0 => {
                hits.push(hit);
                state.hit[code] = (hits.len() - first) as u32;
            }
            k => {
                let existing = &mut hits[first + k as usize - 1];
                if (m.start, pattern) < (existing.start, existing.pattern) {
                    *existing = hit;
                }
            }
        }
    }
}

/// The buffers [`Matcher::find`] works in.
#[derive(Default)]
struct Scratch {
    found: Vec<PlainMatch>,
    /// Per entry: the segment (`segment`) whose first match it had last.
    seen: Vec<u32>,
    segment: u32,
    heads: Vec<(u32, u32, usize)>,
    ranges: Vec<Range<usize>>,
    candidates: Vec<usize>,
    state: State,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

/// What [`Matcher::find`] gathers over one segment.
#[derive(Default)]
struct State {
    /// Per code: whether its `exclude` patterns matched.
    vetoed: Vec<bool>,
    /// Per code: its counted matches.
    counts: Vec<usize>,
    /// Per code: where its hit is among this segment's hits, plus one (0:
    /// none yet).
    hit: Vec<u32>,
    /// The codes given any of the above in this segment, to reset after it.
    touched: Vec<usize>,
    is_touched: Vec<bool>,
}

impl State {
    /// Ready for a segment of a codebook of `codes` codes (all clean).
    fn ready(&mut self, codes: usize) {
        if self.counts.len() < codes {
            self.vetoed.resize(codes, false);
            self.counts.resize(codes, 0);
            self.hit.resize(codes, 0);
            self.is_touched.resize(codes, false);
        }
    }

    fn touch(&mut self, code: usize) {
        if !self.is_touched[code] {
            self.is_touched[code] = true;
            self.touched.push(code);
        }
    }

    /// Whether `code`'s hit stands: not vetoed, and matched often enough.
    fn stands(&self, code: usize, rule: &Rule) -> bool {
        !self.vetoed[code] && self.counts[code] >= rule.min_hits
    }

    /// Cleans what this segment set.
    fn reset(&mut self) {
        for &code in &self.touched {
            self.vetoed[code] = false;
            self.counts[code] = 0;
            self.hit[code] = 0;
            self.is_touched[code] = false;
        }
        self.touched.clear();
    }
}

/// Whether one of the code's negation words stands within its window of
/// words before `start` ("not", also as "n't").
fn negated(text: &str, start: usize, rule: &Rule) -> bool {
    if rule.not_after.is_empty() {
        return false;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '’';
    text[..start]
        .rsplit(|c: char| !is_word(c))
        .filter(|w| !w.is_empty())
        .take(rule.window)
        .any(|w| {
            let w = w.to_lowercase();
            rule.not_after.contains(&w)
                || ((w.ends_with("n't") || w.ends_with("n’t"))
                    && rule.not_after.iter().any(|n| n == "not"))
        })
}
