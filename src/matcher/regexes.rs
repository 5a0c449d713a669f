//! The regex side of the matcher: the patterns the plain engine cannot take
//! (`re:`, `NEAR`, non-ASCII words), run by their regexes.
//!
//! Here: [`Runnable`], each entry's regex (or pair, for `NEAR`) compiled the
//! first time a segment needs it; [`Matcher::first_match`] and
//! [`Matcher::all_matches`], which run it; and the word and sentence
//! distances `NEAR` asks for. Not here: which of these entries run on a
//! segment (the Aho-Corasick pass over their literal anchors is built in
//! [`Matcher::new`] and run in the scan, in `mod.rs`), and what their matches
//! count for (the code's rule, also in `mod.rs`).

use std::ops::Range;

use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

use super::Matcher;
use crate::pattern::{Compiled, Pattern, Within};

/// A pattern ready to run.
#[derive(Debug)]
pub(super) enum Runnable {
    Single(Regex),
    Near(Regex, Regex, Within),
}

impl Matcher {
    fn runnable(&self, i: usize) -> &Runnable {
        self.runnable[i].get_or_init(|| {
            // pattern::compile escapes plain patterns and has already
            // compiled raw ones, so every source is a valid regex.
            let re = |c: &Compiled| {
                Regex::new(&c.regex).expect("pattern::compile returns valid regexes")
            };
            match &self.patterns[i] {
                Pattern::Single(c) => Runnable::Single(re(c)),
                Pattern::Near { a, b, within } => Runnable::Near(re(a), re(b), *within),
            }
        })
    }

    pub(super) fn first_match(
        &self,
        i: usize,
        text: &str,
        sentences: &mut Option<Vec<usize>>,
    ) -> Option<Range<usize>> {
        match self.runnable(i) {
            Runnable::Single(re) => re.find(text).map(|m| m.range()),
            Runnable::Near(..) => self.all_matches(i, text, sentences).into_iter().next(),
        }
    }

    /// Every match of entry `i`, in order of start.
    pub(super) fn all_matches(
        &self,
        i: usize,
        text: &str,
        sentences: &mut Option<Vec<usize>>,
    ) -> Vec<Range<usize>> {
        match self.runnable(i) {
            Runnable::Single(re) => re.find_iter(text).map(|m| m.range()).collect(),
            Runnable::Near(a, b, within) => {
                let ams: Vec<Range<usize>> = a.find_iter(text).map(|m| m.range()).collect();
                if ams.is_empty() {
                    return Vec::new();
                }
                let bms: Vec<Range<usize>> = b.find_iter(text).map(|m| m.range()).collect();
                let mut out = Vec::new();
                for am in &ams {
                    for bm in &bms {
                        let close = match within {
                            Within::Words(n) => words_between(text, am, bm) <= *n,
                            Within::Sentence => {
                                let starts = sentences.get_or_insert_with(|| sentence_starts(text));
                                sentence_of(starts, am.start) == sentence_of(starts, bm.start)
                            }
                        };
                        if close {
                            out.push(am.start.min(bm.start)..am.end.max(bm.end));
                        }
                    }
                }
                out.sort_by_key(|r| (r.start, r.end));
                out.dedup();
                out
            }
        }
    }
}

/// Words strictly between two matches (0 when they touch or overlap).
fn words_between(text: &str, a: &Range<usize>, b: &Range<usize>) -> usize {
    let (from, to) = if a.start <= b.start {
        (a.end, b.start)
    } else {
        (b.end, a.start)
    };
    if from >= to {
        return 0;
    }
    text[from..to]
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .count()
}

/// Byte offsets where sentences start; line breaks do not end a sentence.
fn sentence_starts(text: &str) -> Vec<usize> {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    flat.split_sentence_bound_indices()
        .map(|(i, _)| i)
        .collect()
}

fn sentence_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset)
}
