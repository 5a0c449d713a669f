//! Rule suggestions (`mint learn --suggest FILE.toml`): for each code a
//! researcher coded by hand, the patterns of mint's pattern language that
//! best separate its segments from the rest, with their precision and
//! recall on those segments, written as a codebook extension to review.
//!
//! The method, in the order [`suggest`] runs it:
//!
//! 1. **Phrases.** Each segment is split into words as `mint emerge` splits
//!    them (stems, stop words, breaks at punctuation, numbers and
//!    participant ids: `emergence::Lexicon`); a phrase is 1 to 3 words of
//!    one clause with no stop word at either edge.
//! 2. **Keyness.** For each code, a phrase's keyness is its signed
//!    log-likelihood (`emergence::log_likelihood`, as `mint emerge` scores
//!    phrases) in the code's segments against all the others, in words.
//!    Phrases found at least `min_segments` times and at least
//!    `min_keyness` key are kept, the most key first (the longer phrase
//!    first when two are equally key).
//! 3. **Patterns.** A phrase becomes a pattern: its words as written when
//!    every occurrence writes them alike, a word's stem with `*` when its
//!    forms differ only after the stem (`referral*`), else the phrase's
//!    most common form.
//! 4. **Measured, not assumed.** The patterns are compiled with mint's own
//!    [`Matcher`] and run over every segment, so precision and recall are
//!    those of the pattern as `mint code` would apply it. A pattern stays
//!    when it finds at least `min_segments` of the code's segments, from at
//!    least two participants (one if only one has the code), with a
//!    precision at least `min_lift` times the code's share of all segments,
//!    and finds some segment the patterns kept before it did not. At most `per_code` are kept, in
//!    order of keyness.
//!
//! [`write_extension`] writes them as a TOML codebook that extends the one
//! the model was trained with: each code with `origin = "learned"` and
//! `status = "candidate"`, a comment on each pattern with its figures. A
//! code of that codebook gets a sub-code (`ID_learned`) holding its learned
//! patterns; a code the codebook lacks gets a code of its own under a
//! `learned` theme the file defines.
//!
//! Not here: reading human codings or transcripts into segments (the
//! caller's), or writing the file to disk.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::codebook::{Code, CodeField, Codebook, Meta, Origin, Theme, slug};
use crate::emergence::{
    Background, HashIndex, Kind, Lexicon, MIN_KEYNESS, Tokenizer, for_each_phrase, log_likelihood,
    phrase_hash,
};
use crate::error::CodebookError;
use crate::exchange::toml_basic_string;
use crate::matcher::Matcher;
use crate::pattern;

/// A segment and the codes a researcher gave it.
#[derive(Debug, Clone, Copy)]
pub struct Labelled<'a> {
    /// The segment's text.
    pub text: &'a str,
    /// Whose segment it is.
    pub participant: &'a str,
    /// The codes the researcher gave it (ids, as in `codes` of
    /// [`suggest`]; others are ignored).
    pub codes: &'a [String],
}

/// How many patterns to suggest and how strict to be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// At most this many patterns per code.
    pub per_code: usize,
    /// A pattern must find at least this many of the code's segments.
    pub min_segments: usize,
    /// A phrase must be at least this key (log-likelihood; 3.84 is p < 0.05).
    pub min_keyness: f64,
    /// A pattern's precision must be at least this many times the code's
    /// share of all segments.
    pub min_lift: f64,
    /// Whether patterns match British/American spellings too, as the
    /// codebook they will extend says (`spelling_variants`).
    pub spelling_variants: bool,
}

impl Default for Options {
    /// 8 patterns per code, each finding at least 3 segments, keyness at
    /// least [`MIN_KEYNESS`], precision at least twice the code's share,
    /// spelling variants on.
    fn default() -> Options {
        Options {
            per_code: 8,
            min_segments: 3,
            min_keyness: MIN_KEYNESS,
            min_lift: 2.0,
            spelling_variants: true,
        }
    }
}

/// A suggested pattern and how it does on the training segments.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggested {
    /// The pattern, in mint's pattern language.
    pub pattern: String,
    /// The keyness of the phrase it came from in the code's segments.
    pub keyness: f64,
    /// Segments it matches.
    pub matched: usize,
    /// Of those, segments the researcher gave the code.
    pub true_positives: usize,
    /// Participants of those segments.
    pub participants: usize,
    /// `true_positives / matched`.
    pub precision: f64,
    /// `true_positives` / the code's segments.
    pub recall: f64,
}

/// The suggestions for one code.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeSuggestions {
    /// The code, as given.
    pub code: String,
    /// Segments the researcher gave it.
    pub segments: usize,
    /// The patterns kept, most key first (empty when none separates it).
    pub patterns: Vec<Suggested>,
    /// Segments any of the patterns matches.
    pub matched: usize,
    /// Of those, segments the researcher gave the code.
    pub true_positives: usize,
}

impl CodeSuggestions {
    /// Precision of all the patterns together (the code as it would be
    /// applied with them); `None` when they match nothing.
    pub fn precision(&self) -> Option<f64> {
        (self.matched > 0).then(|| self.true_positives as f64 / self.matched as f64)
    }

    /// Recall of all the patterns together; 0 for a code never given.
    pub fn recall(&self) -> f64 {
        if self.segments == 0 {
            0.0
        } else {
            self.true_positives as f64 / self.segments as f64
        }
    }
}

/// A candidate phrase for a code, before it is a pattern.
struct Shortlisted {
    code: usize,
    keyness: f64,
    /// Its length in words.
    length: u32,
    /// Its stems' hash.
    hash: u64,
}

/// For each of `codes`, in that order, the patterns that best separate its
/// segments from the rest (see the module's doc for the method). An error
/// only if a pattern made here fails to compile, which would be a bug.
pub fn suggest(
    segments: &[Labelled],
    codes: &[String],
    options: &Options,
) -> Result<Vec<CodeSuggestions>, CodebookError> {
    let index: HashMap<&str, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let labels: Vec<BTreeSet<usize>> = segments
        .iter()
        .map(|s| {
            s.codes
                .iter()
                .filter_map(|c| index.get(c.as_str()).copied())
                .collect()
        })
        .collect();
    let people: BTreeSet<&str> = segments.iter().map(|s| s.participant).collect();
    let ids: Vec<&str> = people.iter().copied().collect();
    let lexicon = Lexicon::new(&ids, Background::english());
    let mut tokenizer = Tokenizer::new(&lexicon);
    let shortlist = shortlist(segments, &labels, codes.len(), options, &mut tokenizer);
    let candidates = patterns_of(segments, &shortlist, codes.len(), &mut tokenizer);
    let matches = run(segments, &candidates, options)?;
    let mut out = Vec::with_capacity(codes.len());
    for (c, code) in codes.iter().enumerate() {
        let given: Vec<bool> = labels.iter().map(|l| l.contains(&c)).collect();
        let total = given.iter().filter(|g| **g).count();
        let with_code: BTreeSet<&str> = segments
            .iter()
            .zip(&given)
            .filter(|(_, g)| **g)
            .map(|(s, _)| s.participant)
            .collect();
        let base_rate = total as f64 / segments.len().max(1) as f64;
        let mut covered: BTreeSet<usize> = BTreeSet::new();
        let mut found: BTreeSet<usize> = BTreeSet::new();
        let mut kept = Vec::new();
        for ((pattern, keyness), hits) in candidates[c].iter().zip(&matches[c]) {
            if kept.len() == options.per_code {
                break;
            }
            let hits_true: Vec<usize> = hits.iter().copied().filter(|&s| given[s]).collect();
            let participants: BTreeSet<&str> =
                hits_true.iter().map(|&s| segments[s].participant).collect();
            let precision = hits_true.len() as f64 / hits.len().max(1) as f64;
            let enough = hits_true.len() >= options.min_segments.max(1)
                && participants.len() >= with_code.len().min(2)
                && precision > base_rate
                && precision >= options.min_lift * base_rate;
            if !enough || hits_true.iter().all(|s| found.contains(s)) {
                continue;
            }
            found.extend(hits_true.iter().copied());
            covered.extend(hits.iter().copied());
            kept.push(Suggested {
                pattern: pattern.clone(),
                keyness: *keyness,
                matched: hits.len(),
                true_positives: hits_true.len(),
                participants: participants.len(),
                precision,
                recall: hits_true.len() as f64 / total as f64,
            });
        }
        out.push(CodeSuggestions {
            code: code.clone(),
            segments: total,
            patterns: kept,
            matched: covered.len(),
            true_positives: found.len(),
        });
    }
    Ok(out)
}

/// Passes one and two: each code's key phrases, most key first, at most
/// four times `per_code` of them. Phrases are counted by their hash
/// (`emergence::phrase_hash`, as `mint emerge` counts them): first in all
/// segments, then, for those found at least `min_segments` times, in each
/// code's segments. A phrase rarer than that in all segments is rarer in a
/// code's, and most phrases are, so the per-code counts stay small.
fn shortlist(
    segments: &[Labelled],
    labels: &[BTreeSet<usize>],
    codes: usize,
    options: &Options,
    tokenizer: &mut Tokenizer,
) -> Vec<Shortlisted> {
    let min = options.min_segments.max(1) as u32;
    let mut totals: HashIndex<u32> = HashIndex::default();
    let (mut words, mut words_in) = (0u64, vec![0u64; codes]);
    let mut tokens = Vec::new();
    for (segment, codes_here) in segments.iter().zip(labels) {
        tokens.clear();
        tokenizer.tokens(segment.text, &mut tokens);
        let n = tokens.iter().filter(|t| t.kind != Kind::Break).count() as u64;
        words += n;
        for &c in codes_here {
            words_in[c] += n;
        }
        for_each_phrase(&tokens, |i, j| {
            *totals.entry(phrase_hash(&tokens[i..=j])).or_default() += 1;
        });
    }
    // Per code: occurrences in its segments and the phrase's length in words.
    let mut by_code: Vec<HashIndex<(u32, u32)>> = vec![HashIndex::default(); codes];
    for (segment, codes_here) in segments.iter().zip(labels) {
        if codes_here.is_empty() {
            continue;
        }
        tokens.clear();
        tokenizer.tokens(segment.text, &mut tokens);
        for_each_phrase(&tokens, |i, j| {
            let hash = phrase_hash(&tokens[i..=j]);
            if totals.get(&hash).is_some_and(|n| *n >= min) {
                for &c in codes_here {
                    let entry = by_code[c].entry(hash).or_insert((0, (j - i + 1) as u32));
                    entry.0 += 1;
                }
            }
        });
    }
    let mut list = Vec::new();
    for (c, counts) in by_code.iter().enumerate() {
        let (n1, n2) = (words_in[c] as f64, (words - words_in[c]) as f64);
        for (&hash, &(a, length)) in counts {
            if a < min {
                continue;
            }
            let all = totals[&hash];
            let keyness = log_likelihood(f64::from(a), n1, f64::from(all - a), n2);
            if keyness >= options.min_keyness {
                list.push(Shortlisted {
                    code: c,
                    keyness,
                    length,
                    hash,
                });
            }
        }
    }
    // Equally key, the longer phrase first: it says more.
    list.sort_by(|a, b| {
        a.code
            .cmp(&b.code)
            .then(b.keyness.total_cmp(&a.keyness))
            .then(b.length.cmp(&a.length))
            .then(a.hash.cmp(&b.hash))
    });
    let mut per_code = vec![0; codes];
    list.retain(|s| {
        per_code[s.code] += 1;
        per_code[s.code] <= options.per_code.saturating_mul(4)
    });
    list
}

/// Pass three: the forms the shortlisted phrases take, made into patterns.
/// Per code, (pattern, keyness) most key first, each pattern once.
fn patterns_of(
    segments: &[Labelled],
    shortlist: &[Shortlisted],
    codes: usize,
    tokenizer: &mut Tokenizer,
) -> Vec<Vec<(String, f64)>> {
    let wanted: HashIndex<()> = shortlist.iter().map(|s| (s.hash, ())).collect();
    // Per phrase: its stems, and each form (its words) with how often it occurs.
    type Forms = (Vec<String>, BTreeMap<Vec<String>, u32>);
    let mut forms: HashIndex<Forms> = HashIndex::default();
    let mut tokens = Vec::new();
    for segment in segments {
        tokens.clear();
        tokenizer.tokens(segment.text, &mut tokens);
        for_each_phrase(&tokens, |i, j| {
            let phrase = &tokens[i..=j];
            let hash = phrase_hash(phrase);
            if wanted.contains_key(&hash) {
                let (_, seen) = forms.entry(hash).or_insert_with(|| {
                    let stems = phrase.iter().map(|t| t.stem.to_string()).collect();
                    (stems, BTreeMap::new())
                });
                let words = phrase.iter().map(|t| t.word.to_string()).collect();
                *seen.entry(words).or_default() += 1;
            }
        });
    }
    let mut out = vec![Vec::new(); codes];
    for s in shortlist {
        let Some(pattern) = forms
            .get(&s.hash)
            .and_then(|(stems, f)| pattern_for(stems, f))
        else {
            continue;
        };
        let list: &mut Vec<(String, f64)> = &mut out[s.code];
        if !list.iter().any(|(p, _)| *p == pattern) {
            list.push((pattern, s.keyness));
        }
    }
    out
}

/// The pattern for a phrase from its stems and forms (see the module's
/// doc); `None` if mint's pattern language cannot say it.
fn pattern_for(stems: &[String], forms: &BTreeMap<Vec<String>, u32>) -> Option<String> {
    let (common, _) = forms
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
    let mut words = Vec::with_capacity(stems.len());
    for (k, stem) in stems.iter().enumerate() {
        let column: BTreeSet<&str> = forms.keys().map(|f| f[k].as_str()).collect();
        if column.len() == 1 {
            words.push(common[k].clone());
        } else if stem.chars().count() >= 4 && column.iter().all(|w| w.starts_with(stem.as_str())) {
            words.push(format!("{stem}*"));
        } else {
            words = common.clone();
            break;
        }
    }
    let pattern = words.join(" ");
    matches!(pattern::check(&pattern), Ok(true)).then_some(pattern)
}

/// Runs every candidate pattern over every segment with mint's matcher:
/// per code, per pattern, the segments it matches, in order.
fn run(
    segments: &[Labelled],
    candidates: &[Vec<(String, f64)>],
    options: &Options,
) -> Result<Vec<Vec<Vec<usize>>>, CodebookError> {
    const THEME: &str = "suggested";
    let book = Codebook {
        codebook: Meta {
            spelling_variants: options.spelling_variants,
            ..Meta::default()
        },
        themes: vec![Theme {
            id: THEME.to_string(),
            ..Theme::default()
        }],
        codes: candidates
            .iter()
            .enumerate()
            .map(|(c, list)| Code {
                id: format!("c{c}"),
                theme: THEME.to_string(),
                patterns: list.iter().map(|(p, _)| p.clone()).collect(),
                ..Code::default()
            })
            .collect(),
        ..Codebook::default()
    };
    let matcher = Matcher::new(&book)?;
    let mut out: Vec<Vec<Vec<usize>>> = candidates
        .iter()
        .map(|list| vec![Vec::new(); list.len()])
        .collect();
    let (mut hits, mut matched) = (Vec::new(), Vec::new());
    for (s, segment) in segments.iter().enumerate() {
        hits.clear();
        matched.clear();
        matcher.find_with_patterns(segment.text, &mut hits, &mut matched);
        for &(c, p) in &matched {
            let list: &mut Vec<usize> = &mut out[c][p];
            if list.last() != Some(&s) {
                list.push(s);
            }
        }
    }
    Ok(out)
}

/// The suggestions as a TOML codebook that extends `base` (the codebook
/// the model was trained with): see the module's doc. Codes without a
/// pattern are named in a comment only. `command` (e.g. the `mint learn`
/// command line) goes in the header.
pub fn write_extension(suggestions: &[CodeSuggestions], base: &Codebook, command: &str) -> String {
    let mut taken: BTreeSet<String> = base.ids().into_iter().map(|(id, _)| id).collect();
    let mut unique = |wanted: String| {
        let wanted = if wanted.is_empty() {
            "learned_code".to_string()
        } else {
            wanted
        };
        let mut id = wanted.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{wanted}_{n}");
            n += 1;
        }
        taken.insert(id.clone());
        id
    };
    let in_base = |code: &str| {
        base.codes.iter().find(|c| c.id == code).or_else(|| {
            base.codes
                .iter()
                .find(|c| c.label.trim().eq_ignore_ascii_case(code.trim()))
        })
    };
    let mut text = format!(
        "# Rule suggestions learned from hand coding by `{command}`.\n\
         #\n\
         # For each code the researcher coded, the patterns that best separate its segments from\n\
         # the rest (keyness), each with its precision and recall on the hand-coded segments. This\n\
         # file extends the codebook the model was trained with ({}); use it after it. Every code\n\
         # here has origin = \"learned\" and status = \"candidate\": read the patterns, drop the ones\n\
         # that match for the wrong reason, then set status = \"accepted\" (or delete the code).\n\
         \n\
         [codebook]\n\
         name = \"learned rules\"\n\
         description = \"Candidate patterns learned by mint learn from a researcher's hand coding.\"\n",
        base.source
    );
    let own_theme = suggestions
        .iter()
        .any(|s| !s.patterns.is_empty() && in_base(&s.code).is_none());
    let theme = own_theme.then(|| unique("learned".to_string()));
    if let Some(theme) = &theme {
        text.push_str(&format!(
            "\n[[themes]]\nid = {}\nlabel = \"Learned from hand coding\"\n\
             description = \"Codes a researcher coded by hand that the codebook does not have.\"\n",
            toml_basic_string(theme)
        ));
    }
    for s in suggestions {
        if s.patterns.is_empty() {
            text.push_str(&format!(
                "\n# {}: no pattern separates its {} hand-coded segments from the rest.\n",
                s.code, s.segments
            ));
            continue;
        }
        let (id, theme, parent, label) = match in_base(&s.code) {
            Some(code) => (
                unique(format!("{}_learned", code.id)),
                code.theme.clone(),
                Some(code.id.clone()),
                format!("{} (learned patterns)", display(code)),
            ),
            None => (
                unique(slug(&s.code)),
                theme.clone().unwrap_or_default(),
                None,
                s.code.clone(),
            ),
        };
        text.push_str(&format!(
            "\n# {}: {} hand-coded segments. These patterns together match {} segments, {} of them \
             coded {}: precision {}, recall {:.3}.\n",
            s.code,
            s.segments,
            s.matched,
            s.true_positives,
            s.code,
            s.precision().map_or("-".to_string(), |p| format!("{p:.3}")),
            s.recall()
        ));
        let definition = format!(
            "Patterns mint learn found in the segments a researcher coded {:?}. Review them before relying on them.",
            s.code
        );
        let mut fields = vec![
            (CodeField::Id, toml_basic_string(&id)),
            (CodeField::Theme, toml_basic_string(&theme)),
        ];
        if let Some(parent) = &parent {
            fields.push((CodeField::Parent, toml_basic_string(parent)));
        }
        fields.extend([
            (CodeField::Label, toml_basic_string(&label)),
            (
                CodeField::Origin,
                toml_basic_string(Origin::Learned.as_str()),
            ),
            (CodeField::Status, toml_basic_string("candidate")),
            (CodeField::Definition, toml_basic_string(&definition)),
        ]);
        text.push_str("[[codes]]\n");
        for (field, value) in fields {
            text.push_str(&format!("{} = {value}\n", field.name()));
        }
        text.push_str(&format!("{} = [\n", CodeField::Patterns.name()));
        for p in &s.patterns {
            text.push_str(&format!(
                "  {}, # keyness {:.1}; precision {:.3} ({} of {} segments); recall {:.3}; {} participants\n",
                toml_basic_string(&p.pattern),
                p.keyness,
                p.precision,
                p.true_positives,
                p.matched,
                p.recall,
                p.participants
            ));
        }
        text.push_str("]\n");
    }
    text
}

/// A code's label, or its id when it has none.
fn display(code: &Code) -> &str {
    if code.label.is_empty() {
        &code.id
    } else {
        &code.label
    }
}

#[cfg(test)]
mod tests;
