//! Emergent codes: candidate codes proposed from what participants say that
//! the codebook does not name yet.
//!
//! The method, in the order [`propose`] runs it:
//!
//! 1. **Phrases.** Participant segments are split into words and clauses
//!    (punctuation ends a clause). A candidate phrase is 1 to 3 words of one
//!    clause with no stop word at either edge, no number and no participant
//!    id. Words are stemmed (Snowball English), so "referral" and
//!    "referrals" are one phrase; acronyms (`GP`, `A&E`) keep their case.
//!    An occurrence that overlaps a match of a codebook pattern is named
//!    already, and not counted ([`Coverage`]).
//! 2. **Keyness.** A phrase is scored (a) in the segments the codebook
//!    leaves uncoded against the coded ones, and (b) in each theme's
//!    segments against all the others (a sub-topic no code names). Either
//!    way it gets two log-likelihood (G2) scores, against the rest of the
//!    corpus and against general English (the wordfreq list in
//!    `data/wordfreq`; a phrase's probability there is estimated from its
//!    words'), and keeps the weaker. It must be significant (p < 0.05), at
//!    least [`MIN_RATIO`] times as frequent as in the rest of the corpus,
//!    [`MIN_BACKGROUND_RATIO`] times as in English, said at least three
//!    times, and by at least `min_participants` participants. The score is
//!    divided by the most an occurrence can add, so that the large uncoded
//!    text and a small theme compare fairly.
//!    A single word among the [`COMMON_WORDS`] commonest of general
//!    English is dropped unless it has a strong reason
//!    ([`common_word_reason`]: keyness and participants), which it keeps
//!    and the candidate states. A phrase of two or three words, or a
//!    hyphenated compound, counts [`MULTI_WORD_WEIGHT`] times its keyness
//!    when ranked.
//! 3. **Grouping.** The best phrases are grouped when they are said in
//!    mostly the same segments: average-linkage clustering on the Jaccard
//!    index, while it is at least [`MIN_JACCARD`].
//! 4. **Candidates.** Each group becomes a code with patterns in mint's
//!    pattern language (`referral*`) and a label (its best phrase, or
//!    `phrase / phrase`). Its support is what those patterns match,
//!    applied as `mint code` applies them; a candidate whose segments have
//!    a Jaccard index of at least [`MIN_JACCARD`] with a better one's is
//!    merged into it, and one whose segments are mostly a better one's is
//!    dropped. Each gets up to three exemplars from different
//!    participants, and a suggested parent theme: the theme coded most
//!    above its base rate in the same turns. Candidates from uncoded text
//!    come first, then sub-topics of themes, each by the sum of their
//!    phrases' scores. [`over_represented`] says in which groups of
//!    participants a candidate is said more than overall.
//!
//! Everything is deterministic: counts are integers merged in any order,
//! and every ranking breaks ties by text.
//!
//! This file holds the public API (the input and output types, [`propose`]
//! and the order it runs the steps in) and re-exports what the steps make
//! public; the steps themselves live beside it, each in its own file:
//! `tokens.rs` (words, stems and candidate phrases), `coverage.rs` (what
//! the codebook names already), `keyness.rs` (pass one: counts and
//! scores), `evidence.rs` (pass two: forms and turns of the shortlist),
//! `cluster.rs` (grouping), `draft.rs` (labels, patterns and ids),
//! `support.rs` (what the patterns match, merging, exemplars, parent
//! themes), `groups.rs` (where a candidate is over-represented).
//! `segments.rs` holds [`coded_segments`], the per-transcript coding
//! step `mint emerge` runs before [`propose`], kept apart so that it can
//! be replaced without touching the rest.

mod cluster;
mod coverage;
mod draft;
mod evidence;
mod groups;
mod keyness;
mod segments;
mod support;
mod tokens;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::codebook::Codebook;
use crate::error::CodebookError;

pub use cluster::MIN_JACCARD;
use cluster::group;
pub use coverage::Coverage;
use draft::{assign_ids, draft};
use evidence::{Detail, detail};
pub use groups::{
    GroupShare, MIN_GROUP_LIFT, MIN_GROUP_PARTICIPANTS, MIN_GROUP_SEGMENTS, over_represented,
};
use keyness::{Counts, Scored, best};
pub(crate) use keyness::{HashIndex, phrase_hash};
pub use keyness::{MIN_BACKGROUND_RATIO, MIN_KEYNESS, MIN_RATIO, log_likelihood};
pub use segments::{CodedSegment, coded_segments};
use support::support;
pub(crate) use tokens::for_each_phrase;
pub use tokens::{
    BACKGROUND_EN, Background, COMMON_WORDS, Kind, Lexicon, Token, Tokenizer, common_words,
};

/// How many of the best phrases are grouped into candidates.
const POOL: usize = 60;

/// How many phrases of the uncoded text are looked at closely (forms,
/// turns, participants per theme) before the final choice.
const SHORTLIST_UNCODED: usize = 400;

/// How many phrases of each theme's text are looked at closely.
const SHORTLIST_THEME: usize = 120;

/// A phrase must occur at least this many times where it stands out.
const MIN_OCCURRENCES: u32 = 3;

/// A phrase of two or three words (a collocation), or a hyphenated
/// compound (`top-down`), counts this many times its keyness when phrases
/// and candidates are ranked: a multi-word phrase names a topic better
/// than a word does.
pub const MULTI_WORD_WEIGHT: f64 = 2.0;

/// A single common English word ([`COMMON_WORDS`]) is kept only with a
/// keyness (as ranked) of at least this...
pub const COMMON_MIN_KEYNESS: f64 = 10.0;

/// ...said where it stands out by at least this many participants, and
/// by at least [`COMMON_MIN_SHARE`] of them.
pub const COMMON_MIN_PARTICIPANTS: u32 = 5;

/// The share of all participants a common word must be said by, where it
/// stands out.
pub const COMMON_MIN_SHARE: f64 = 0.25;

/// Why a single common English word may be a candidate: its keyness
/// where it stands out, and how many of all participants say it there.
/// `None` when the reason is not strong enough: keyness under
/// [`COMMON_MIN_KEYNESS`], or said by fewer than
/// [`COMMON_MIN_PARTICIPANTS`] participants or [`COMMON_MIN_SHARE`] of all.
///
/// ```
/// use mint::emergence::common_word_reason;
/// assert!(common_word_reason(25.0, 9, 24).is_some());
/// assert!(common_word_reason(25.0, 4, 24).is_none());
/// assert!(common_word_reason(5.0, 20, 24).is_none());
/// ```
pub fn common_word_reason(score: f64, participants: u32, of: usize) -> Option<String> {
    let enough = participants >= COMMON_MIN_PARTICIPANTS
        && f64::from(participants) >= COMMON_MIN_SHARE * of as f64;
    (score >= COMMON_MIN_KEYNESS && enough).then(|| {
        format!(
            "common English word kept: keyness {score:.1} (at least {COMMON_MIN_KEYNESS:.0}), \
             said by {participants} of {of} participants where it stands out"
        )
    })
}

/// One participant segment, as [`propose`] sees it.
#[derive(Debug, Clone)]
pub struct Segment<'a> {
    /// The text.
    pub text: &'a str,
    /// Index of the speaker in [`Input::participants`].
    pub participant: u32,
    /// The speaker turn it belongs to, numbered across the corpus:
    /// co-occurrence and parent themes are judged by turn.
    pub context: u32,
    /// The themes the codebook codes in it (indexes, ascending).
    pub themes: Vec<usize>,
}

/// Everything [`propose`] looks at.
#[derive(Debug, Clone, Default)]
pub struct Input<'a> {
    /// Participant segments, in corpus order.
    pub segments: Vec<Segment<'a>>,
    /// Participant ids, by index: never part of a phrase.
    pub participants: Vec<String>,
}

/// How [`propose`] decides.
#[derive(Debug, Clone)]
pub struct Options {
    /// A phrase must be raised by at least this many participants.
    pub min_participants: u32,
    /// At most this many candidates.
    pub limit: usize,
}

impl Input<'_> {
    /// How many participants there are (ids beyond them are labels).
    fn participants_len(&self) -> usize {
        self.segments
            .iter()
            .map(|s| s.participant as usize + 1)
            .max()
            .unwrap_or(0)
    }
}

impl Default for Options {
    fn default() -> Options {
        Options {
            min_participants: 2,
            limit: 10,
        }
    }
}

/// Where a phrase stood out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// In the segments no code applies to.
    Uncoded,
    /// In the segments of this theme (index), unnamed by its codes.
    Theme(usize),
}

/// One phrase of a candidate, with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// Its commonest form, as participants said it.
    pub text: String,
    /// The stems it counts by.
    pub stems: String,
    /// Keyness: the weaker of its two G2 scores.
    pub score: f64,
    /// Where it stood out.
    pub source: Source,
    /// Occurrences in all participant segments.
    pub occurrences: u32,
    /// Participants who said it.
    pub participants: u32,
    /// Why a single common English word is kept ([`common_word_reason`]);
    /// `None` for every other phrase.
    pub reason: Option<String>,
}

/// A proposed emergent code.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// A code id made from its top phrase, unique in the codebook.
    pub id: String,
    /// Its top phrases, comma-separated.
    pub label: String,
    /// All its phrases, best first.
    pub phrases: Vec<Phrase>,
    /// Patterns in mint's pattern language.
    pub patterns: Vec<String>,
    /// Where its phrases stand out most (by summed keyness): candidates
    /// from uncoded text come first, then sub-topics within themes.
    pub source: Source,
    /// The sum of its phrases' keyness: what candidates of the same kind
    /// are ranked by.
    pub score: f64,
    /// The suggested parent theme (index), or `None` for a new theme.
    pub parent: Option<usize>,
    /// How many times more often than usual the parent theme is coded in
    /// the turns where the candidate's patterns match.
    pub lift: f64,
    /// The segments its patterns match (indexes into [`Input::segments`]).
    pub segments: Vec<usize>,
    /// The participants of those segments (indexes, ascending).
    pub participants: Vec<u32>,
    /// Up to three exemplar segments, from different participants.
    pub exemplars: Vec<usize>,
    /// Why the candidate stands although its label is a single common
    /// English word (keyness and dispersion); `None` otherwise.
    pub reason: Option<String>,
}

/// Proposes candidate emergent codes. `codebook` is the one the segments'
/// themes come from; candidate ids avoid its ids.
pub fn propose(
    input: &Input,
    codebook: &Codebook,
    options: &Options,
) -> Result<Vec<Candidate>, CodebookError> {
    propose_with(input, codebook, Background::english(), options)
}

/// [`propose`] with a given background list.
pub fn propose_with(
    input: &Input,
    codebook: &Codebook,
    background: Background,
    options: &Options,
) -> Result<Vec<Candidate>, CodebookError> {
    let themes = codebook.themes.len();
    let lexicon = Lexicon::new(&input.participants, background);
    let coverage = Coverage::new(codebook);
    let by_participant = by_participant(input);

    // Pass one: every phrase, counted.
    let counts = by_participant
        .par_iter()
        .fold(
            || (Counts::new(themes), Vec::new(), Tokenizer::new(&lexicon)),
            |(mut counts, mut tokens, mut tokenizer), segs| {
                counts.add(&mut tokenizer, &coverage, segs, &mut tokens);
                (counts, tokens, tokenizer)
            },
        )
        .map(|(counts, _, _)| counts)
        .reduce(|| Counts::new(themes), Counts::merge);

    // Keyness, in the uncoded text and in each theme's text.
    let min_p = options.min_participants.max(1);
    let mut shortlist: HashIndex<Scored> = HashIndex::default();
    let mut consider = |list: Vec<Scored>, n: usize| {
        for s in best(list, n) {
            let e = shortlist.entry(s.hash).or_insert(s.clone());
            if s.score > e.score {
                *e = s;
            }
        }
    };
    let mut uncoded = Vec::new();
    let mut by_theme: Vec<Vec<Scored>> = vec![Vec::new(); themes];
    for (&hash, &k) in &counts.index {
        let e = &counts.entries[k as usize];
        if e.participants < min_p {
            continue;
        }
        if e.uncoded_participants >= min_p && e.uncoded >= MIN_OCCURRENCES {
            let score = counts.keyness(e.uncoded, counts.words_uncoded, e);
            if score > 0.0 {
                uncoded.push(Scored {
                    hash,
                    score,
                    source: Source::Uncoded,
                });
            }
        }
        for (t, list) in by_theme.iter_mut().enumerate() {
            let a = counts.theme_counts[k as usize * themes + t];
            if a < MIN_OCCURRENCES {
                continue;
            }
            let score = counts.keyness(a, counts.words_theme[t], e);
            if score > 0.0 {
                list.push(Scored {
                    hash,
                    score,
                    source: Source::Theme(t),
                });
            }
        }
    }
    consider(uncoded, SHORTLIST_UNCODED);
    for list in by_theme {
        consider(list, SHORTLIST_THEME);
    }

    // Pass two: forms, turns and exact participants of the shortlist.
    let wanted: HashSet<u64> = shortlist.keys().copied().collect();
    let details: HashMap<u64, Detail> = by_participant
        .par_iter()
        .fold(
            || (HashMap::new(), Vec::new(), Tokenizer::new(&lexicon)),
            |(mut details, mut tokens, mut tokenizer): (
                HashMap<u64, Detail>,
                Vec<Token>,
                Tokenizer,
            ),
             segs| {
                detail(
                    &mut tokenizer,
                    &coverage,
                    segs,
                    &wanted,
                    themes,
                    &mut details,
                    &mut tokens,
                );
                (details, tokens, tokenizer)
            },
        )
        .map(|(d, _, _)| d)
        .reduce(HashMap::new, |mut a, b| {
            for (hash, d) in b {
                a.entry(hash).or_default().merge(d);
            }
            a
        });

    // Drop what the codebook names, and theme phrases too few people said.
    let mut phrases: Vec<(Scored, Phrase, &Detail)> = Vec::new();
    for s in shortlist.into_values() {
        let Some(d) = details.get(&s.hash) else {
            continue;
        };
        if let Source::Theme(t) = s.source
            && d.theme_participants.get(t).copied().unwrap_or(0) < min_p
        {
            continue;
        }
        let total: u32 = d.forms.values().sum();
        let forms: Vec<&str> = d
            .forms
            .iter()
            .filter(|(_, n)| **n * 5 >= total)
            .map(|(f, _)| f.as_str())
            .collect();
        if forms.iter().any(|f| coverage.names(&lexicon, f)) {
            continue;
        }
        let e = &counts.entries[counts.index[&s.hash] as usize];
        let words = d.stems.split(' ').count();
        // A hyphenated compound (`top-down`) is a collocation too.
        let parts = d.stems.split([' ', '-']).filter(|w| !w.is_empty()).count();
        // A single common word stays only with a strong reason.
        let reason = if words == 1 && lexicon.is_common(&d.stems) {
            let there = match s.source {
                Source::Uncoded => e.uncoded_participants,
                Source::Theme(t) => d.theme_participants.get(t).copied().unwrap_or(0),
            };
            match common_word_reason(s.score, there, input.participants_len()) {
                Some(r) => Some(r),
                None => continue,
            }
        } else {
            None
        };
        let phrase = Phrase {
            text: d.text(),
            stems: d.stems.clone(),
            score: s.score * if parts > 1 { MULTI_WORD_WEIGHT } else { 1.0 },
            source: s.source,
            occurrences: e.total,
            participants: e.participants,
            reason,
        };
        phrases.push((s, phrase, d));
    }
    phrases.sort_by(|a, b| {
        b.1.score
            .total_cmp(&a.1.score)
            .then_with(|| a.1.stems.cmp(&b.1.stems))
    });
    phrases.truncate(POOL);

    // Group, then turn groups into candidates.
    let groups = group(&phrases.iter().map(|p| (&p.1, p.2)).collect::<Vec<_>>());
    let mut drafts: Vec<Candidate> = groups
        .into_iter()
        .map(|members| {
            draft(
                &members
                    .iter()
                    .map(|&i| (&phrases[i].1, phrases[i].2))
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|c| !c.patterns.is_empty())
        .collect();
    drafts.sort_by(|a, b| {
        let within = |c: &Candidate| c.source != Source::Uncoded;
        within(a)
            .cmp(&within(b))
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| a.label.cmp(&b.label))
    });
    drafts.truncate(options.limit.saturating_mul(3).max(options.limit + 10));
    assign_ids(&mut drafts, codebook);
    support(input, codebook, &lexicon, drafts, options)
}

/// The participants' segments, by participant index.
fn by_participant<'s, 'a>(input: &'s Input<'a>) -> Vec<Vec<(u32, &'s Segment<'a>)>> {
    let n = input
        .segments
        .iter()
        .map(|s| s.participant as usize + 1)
        .max()
        .unwrap_or(0)
        .max(input.participants.len());
    let mut out: Vec<Vec<(u32, &Segment)>> = vec![Vec::new(); n];
    for (i, seg) in input.segments.iter().enumerate() {
        out[seg.participant as usize].push((i as u32, seg));
    }
    out
}

#[cfg(test)]
mod tests;
