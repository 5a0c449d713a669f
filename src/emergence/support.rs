//! Step 4 of the method, second half: the drafts' patterns are applied to
//! every segment as `mint code` applies them, and the candidates that
//! enough participants raise (and that are not another candidate again)
//! get their support, exemplars and suggested parent theme.
//!
//! Not here: making the drafts (`draft.rs`).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rayon::prelude::*;

use super::cluster::{MIN_JACCARD, jaccard};
use super::draft::LABEL_SEPARATOR;
use super::tokens::{Kind, Lexicon, Tokenizer, for_each_phrase};
use super::{Candidate, Input, Options};
use crate::codebook::{Code, Codebook, Meta, Origin, Theme};
use crate::error::CodebookError;
use crate::matcher::{Hit, Matcher};

/// Applies the drafts' patterns to every segment (as `mint code` will),
/// keeps those that enough participants raise and that are not another
/// candidate again, and fills in support, exemplars and parent themes.
pub(super) fn support(
    input: &Input,
    codebook: &Codebook,
    lexicon: &Lexicon,
    drafts: Vec<Candidate>,
    options: &Options,
) -> Result<Vec<Candidate>, CodebookError> {
    let rates = ThemeRates::of(input, codebook.themes.len());
    let min_p = options.min_participants.max(1) as usize;
    let mut out: Vec<Candidate> = Vec::new();
    // A few more drafts than needed at a time: some fall out below.
    let mut pending = drafts.into_iter().peekable();
    while out.len() < options.limit && pending.peek().is_some() {
        let batch: Vec<Candidate> = pending
            .by_ref()
            .take(options.limit - out.len() + 3)
            .collect();
        let matched = matches_of(input, codebook, &batch)?;
        for (mut c, segs) in batch.into_iter().zip(matched) {
            if out.len() == options.limit {
                break;
            }
            // Mostly the same segments as a better candidate: one topic.
            let set: BTreeSet<usize> = segs.iter().copied().collect();
            if let Some(k) = out
                .iter()
                .position(|o| jaccard(&o.segments.iter().copied().collect(), &set) >= MIN_JACCARD)
            {
                let o = &mut out[k];
                absorb(o, c, &set);
                let segs = std::mem::take(&mut o.segments);
                fill(o, input, lexicon, &rates, segs);
                continue;
            }
            let participants: BTreeSet<u32> = segs
                .iter()
                .map(|&s| input.segments[s].participant)
                .collect();
            // Most of its segments are those of a better candidate: not a
            // new code.
            let duplicate = out.iter().any(|o| {
                let both = o
                    .segments
                    .iter()
                    .filter(|s| segs.binary_search(s).is_ok())
                    .count();
                both * 5 >= segs.len() * 4
            });
            if participants.len() < min_p || duplicate {
                continue;
            }
            fill(&mut c, input, lexicon, &rates, segs);
            out.push(c);
        }
    }
    Ok(out)
}

/// Fills in a candidate's support from the segments its patterns match:
/// parent theme, exemplars, participants.
fn fill(c: &mut Candidate, input: &Input, lexicon: &Lexicon, rates: &ThemeRates, segs: Vec<usize>) {
    (c.parent, c.lift) = match rates.nearest(input, &segs) {
        Some((t, lift)) => (Some(t), lift),
        None => (None, 0.0),
    };
    let participants: BTreeSet<u32> = segs
        .iter()
        .map(|&s| input.segments[s].participant)
        .collect();
    c.exemplars = exemplars(input, lexicon, c, &segs);
    c.participants = participants.into_iter().collect();
    c.segments = segs;
}

/// Merges candidate `c` (matching `segs`) into the better candidate `into`:
/// its phrases and patterns are added, its first phrase joins the label
/// when the label has room, and the segments are those of either.
fn absorb(into: &mut Candidate, c: Candidate, segs: &BTreeSet<usize>) {
    let label_phrases = into.label.split(LABEL_SEPARATOR).count();
    if label_phrases < 2
        && let Some(first) = c.label.split(LABEL_SEPARATOR).next()
        && !first.is_empty()
    {
        into.label = format!("{}{LABEL_SEPARATOR}{first}", into.label);
        if let Some(r) = c.reason {
            into.reason = Some(match into.reason.take() {
                Some(mine) => format!("{mine}; {r}"),
                None => r,
            });
        }
    }
    for p in c.patterns {
        if !into.patterns.contains(&p) {
            into.patterns.push(p);
        }
    }
    into.phrases.extend(c.phrases);
    into.score += c.score;
    let all: BTreeSet<usize> = into.segments.iter().chain(segs).copied().collect();
    into.segments = all.into_iter().collect();
}

/// Which themes are coded in each turn, and in how many turns each is.
struct ThemeRates {
    by_turn: BTreeMap<u32, BTreeSet<usize>>,
    turns_with: Vec<usize>,
}

impl ThemeRates {
    fn of(input: &Input, themes: usize) -> ThemeRates {
        let mut by_turn: BTreeMap<u32, BTreeSet<usize>> = BTreeMap::new();
        for seg in &input.segments {
            by_turn
                .entry(seg.context)
                .or_default()
                .extend(seg.themes.iter().copied());
        }
        let mut turns_with = vec![0usize; themes];
        for set in by_turn.values() {
            for &t in set {
                turns_with[t] += 1;
            }
        }
        ThemeRates {
            by_turn,
            turns_with,
        }
    }

    /// The theme coded most above its base rate in the turns of these
    /// segments, with how many times its base rate: at least 1.5 times,
    /// in at least 30% of those turns and two of them. `None`: a new theme.
    fn nearest(&self, input: &Input, segs: &[usize]) -> Option<(usize, f64)> {
        let turns: BTreeSet<u32> = segs.iter().map(|&s| input.segments[s].context).collect();
        let all = self.by_turn.len().max(1) as f64;
        let mut best: Option<(usize, f64)> = None;
        for (t, &n) in self.turns_with.iter().enumerate() {
            if n == 0 || turns.is_empty() {
                continue;
            }
            let with = turns
                .iter()
                .filter(|turn| self.by_turn.get(turn).is_some_and(|set| set.contains(&t)))
                .count() as f64;
            let share = with / turns.len() as f64;
            let lift = share / (n as f64 / all);
            if with >= 2.0 && share >= 0.3 && lift >= 1.5 && best.is_none_or(|(_, l)| lift > l) {
                best = Some((t, lift));
            }
        }
        best
    }
}

/// The segments each draft's patterns match, applied as `mint code` will.
fn matches_of(
    input: &Input,
    codebook: &Codebook,
    drafts: &[Candidate],
) -> Result<Vec<Vec<usize>>, CodebookError> {
    let trial = Codebook {
        codebook: Meta {
            name: "emergent candidates".into(),
            spelling_variants: codebook.codebook.spelling_variants,
            ..Meta::default()
        },
        themes: vec![Theme {
            id: "emergent".into(),
            label: String::new(),
            description: String::new(),
            line: None,
        }],
        codes: drafts
            .iter()
            .map(|c| Code {
                id: c.id.clone(),
                theme: "emergent".into(),
                origin: Origin::Emergent,
                patterns: c.patterns.clone(),
                ..Code::default()
            })
            .collect(),
        source: "(candidates)".into(),
        ..Codebook::default()
    };
    let matcher = Matcher::new(&trial)?;
    let hits: Vec<Vec<usize>> = input
        .segments
        .par_iter()
        .map_init(Vec::new, |buf: &mut Vec<Hit>, seg| {
            buf.clear();
            matcher.find(seg.text, buf);
            buf.iter().map(|h| h.code).collect()
        })
        .collect();
    let mut matched: Vec<Vec<usize>> = vec![Vec::new(); drafts.len()];
    for (s, codes) in hits.iter().enumerate() {
        for &c in codes {
            matched[c].push(s);
        }
    }
    Ok(matched)
}

/// Up to three segments from different participants that say most of the
/// candidate's phrases, in a sentence of readable length; ties go to the
/// earlier segment.
fn exemplars(input: &Input, lexicon: &Lexicon, c: &Candidate, segs: &[usize]) -> Vec<usize> {
    let stems: HashSet<&str> = c.phrases.iter().map(|p| p.stems.as_str()).collect();
    let mut tokenizer = Tokenizer::new(lexicon);
    let mut tokens = Vec::new();
    let mut scored: Vec<(usize, i64, usize)> = Vec::new();
    for &s in segs {
        tokens.clear();
        tokenizer.tokens(input.segments[s].text, &mut tokens);
        let mut found: BTreeSet<String> = BTreeSet::new();
        for_each_phrase(&tokens, |i, j| {
            let key = tokens[i..=j]
                .iter()
                .map(|t| &*t.stem)
                .collect::<Vec<_>>()
                .join(" ");
            if stems.contains(key.as_str()) {
                found.insert(key);
            }
        });
        let words = tokens.iter().filter(|t| t.kind != Kind::Break).count() as i64;
        let length_penalty = if words < 8 {
            8 - words
        } else if words > 45 {
            words - 45
        } else {
            0
        };
        scored.push((found.len(), -length_penalty, s));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut out = Vec::new();
    let mut who: BTreeSet<u32> = BTreeSet::new();
    for (_, _, s) in scored {
        if who.insert(input.segments[s].participant) {
            out.push(s);
            if out.len() == 3 {
                break;
            }
        }
    }
    out
}
