//! Pass two: evidence about the shortlisted phrases. [`detail`] goes over
//! one participant's segments again and records, for each phrase on the
//! shortlist, the forms participants said it in, the segments it was said
//! in, and how many participants said it in each theme's segments ([`Detail`]).
//! Grouping, patterns and labels are made from this evidence.
//!
//! Not here: pass one's counts and scores (`keyness.rs`), or what is made
//! of the evidence (`cluster.rs`, `draft.rs`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::Segment;
use super::coverage::Coverage;
use super::keyness::phrase_hash;
use super::tokens::{Token, Tokenizer, for_each_phrase};

/// Pass-two evidence about one shortlisted phrase.
#[derive(Debug, Clone, Default)]
pub(super) struct Detail {
    pub(super) stems: String,
    pub(super) forms: BTreeMap<String, u32>,
    /// The segments it was said in (indexes into the input's segments).
    pub(super) segments: BTreeSet<u32>,
    /// Participants who said it in each theme's segments.
    pub(super) theme_participants: Vec<u32>,
}

impl Detail {
    pub(super) fn merge(&mut self, other: Detail) {
        if self.stems.is_empty() {
            self.stems = other.stems;
        }
        for (form, n) in other.forms {
            *self.forms.entry(form).or_default() += n;
        }
        self.segments.extend(other.segments);
        if self.theme_participants.len() < other.theme_participants.len() {
            self.theme_participants
                .resize(other.theme_participants.len(), 0);
        }
        for (a, b) in self
            .theme_participants
            .iter_mut()
            .zip(&other.theme_participants)
        {
            *a += b;
        }
    }

    /// The commonest form; ties go to the alphabetically first.
    pub(super) fn text(&self) -> String {
        let mut best: Option<(&String, u32)> = None;
        for (form, &n) in &self.forms {
            if best.is_none_or(|(_, m)| n > m) {
                best = Some((form, n));
            }
        }
        best.map(|(f, _)| f.clone()).unwrap_or_default()
    }
}

/// Pass two over one participant's segments.
pub(super) fn detail(
    tokenizer: &mut Tokenizer,
    coverage: &Coverage,
    segments: &[(u32, &Segment)],
    wanted: &HashSet<u64>,
    themes: usize,
    details: &mut HashMap<u64, Detail>,
    tokens: &mut Vec<Token>,
) {
    let mut seen: HashSet<(u64, usize)> = HashSet::new();
    for &(index, seg) in segments {
        tokens.clear();
        tokenizer.tokens(seg.text, tokens);
        let named = coverage.covered(seg.text, tokens);
        for_each_phrase(tokens, |i, j| {
            if named[i..=j].contains(&true) {
                return;
            }
            let span = &tokens[i..=j];
            let hash = phrase_hash(span);
            if !wanted.contains(&hash) {
                return;
            }
            let d = details.entry(hash).or_insert_with(|| Detail {
                stems: span.iter().map(|t| &*t.stem).collect::<Vec<_>>().join(" "),
                theme_participants: vec![0; themes],
                ..Detail::default()
            });
            let form = span.iter().map(|t| &*t.word).collect::<Vec<_>>().join(" ");
            *d.forms.entry(form).or_default() += 1;
            d.segments.insert(index);
            for &t in &seg.themes {
                if seen.insert((hash, t)) {
                    d.theme_participants[t] += 1;
                }
            }
        });
    }
}
