//! Coding with a model: a model file loaded and checked against the
//! codebook, with the provenance every output names it by ([`Learner`]); a
//! segment's probabilities ([`Scorer`]), the evidence for one code
//! (`--explain`: the n-grams that weighed most and the nearest hand-coded
//! examples), and a transcript's learned codings added to mint's own
//! ([`code_learned`]).

use std::collections::BTreeMap;

use super::features::{self, Grams};
use super::logistic::sigmoid;
use super::model::{Model, ModelError, Nearest};
use crate::codebook::{Code, Codebook, Theme};
use crate::coding::{Coded, LearnedCoding};
use crate::corpus::{Transcript, Unit};
use crate::matcher::{Hit, Matcher};

/// A model to code with, loaded and checked against the codebook.
#[derive(Debug, Clone)]
pub struct Learner {
    /// The model.
    pub model: Model,
    /// The model's id and the BLAKE3 hash of its file (the first 16 hex
    /// digits), as every output names it: `<id> blake3:<hash>`.
    pub provenance: String,
    /// Where its codes count in the extended codebook.
    pub targets: Targets,
}

impl Learner {
    /// Reads a model file's `bytes`, refusing a model of another codebook;
    /// returns the codebook extended with the model's own codes
    /// ([`extend`]).
    pub fn new(bytes: &[u8], codebook: &Codebook) -> Result<(Learner, Codebook), ModelError> {
        let model = Model::load(bytes)?;
        model.check_codebook(codebook)?;
        let (extended, targets) = extend(codebook, &model);
        let hash = blake3::hash(bytes).to_hex();
        let learner = Learner {
            provenance: format!("{} blake3:{}", model.id, &hash[..16]),
            model,
            targets,
        };
        Ok((learner, extended))
    }
}

/// A model ready to score segments.
pub struct Scorer<'m> {
    model: &'m Model,
    index: BTreeMap<&'m str, u32>,
    grams: Grams,
}

/// Why a code applied to a segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation<'m> {
    /// The features that weighed most for it: (n-gram, or `[codebook: id]`
    /// for a codebook code's match; weight × value), largest first.
    pub terms: Vec<(String, f64)>,
    /// The hand-coded examples most like the segment, with their cosine
    /// similarity, most alike first.
    pub nearest: Vec<(&'m Nearest, f64)>,
}

impl<'m> Scorer<'m> {
    /// A scorer of `model`.
    pub fn new(model: &'m Model) -> Scorer<'m> {
        Scorer {
            model,
            index: model.vocabulary.index(),
            grams: Grams::new(),
        }
    }

    /// The model.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The feature row of a segment's text, given the codebook codes that
    /// matched it (codebook indices).
    pub fn features(&self, text: &str, matched: &[usize]) -> Vec<(u32, f64)> {
        features::row(
            &self.grams.of(text),
            &self.index,
            &self.model.vocabulary,
            matched,
        )
    }

    /// Each model code's probability for a feature row.
    pub fn probabilities(&self, row: &[(u32, f64)]) -> Vec<f64> {
        self.model
            .codes
            .iter()
            .map(|c| {
                let z: f64 = row.iter().map(|&(j, v)| c.weights[j as usize] * v).sum();
                sigmoid(z + c.bias)
            })
            .collect()
    }

    /// Why model code `code` applies to a feature row: its `top` heaviest
    /// features and its `top` nearest examples.
    pub fn explain(&self, row: &[(u32, f64)], code: usize, top: usize) -> Explanation<'m> {
        let c = &self.model.codes[code];
        let terms_len = self.model.vocabulary.terms.len();
        let mut terms: Vec<(String, f64)> = row
            .iter()
            .map(|&(j, v)| (j as usize, c.weights[j as usize] * v))
            .filter(|(_, w)| *w > 0.0)
            .map(|(j, w)| {
                let name = match self.model.vocabulary.terms.get(j) {
                    Some(term) => term.clone(),
                    None => format!("[codebook: {}]", self.model.feature_codes[j - terms_len]),
                };
                (name, w)
            })
            .collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        terms.truncate(top);
        let mut nearest: Vec<(&Nearest, f64)> = c
            .nearest
            .iter()
            .map(|n| (n, cosine(row, &n.features)))
            .collect();
        nearest.sort_by(|a, b| b.1.total_cmp(&a.1));
        nearest.truncate(top);
        Explanation { terms, nearest }
    }
}

/// The cosine similarity of two sparse rows (ascending indices).
fn cosine(a: &[(u32, f64)], b: &[(u32, f64)]) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    let norm = |r: &[(u32, f64)]| r.iter().map(|(_, v)| v * v).sum::<f64>().sqrt();
    let n = norm(a) * norm(b);
    if n > 0.0 { dot / n } else { 0.0 }
}

/// Where the model's codes count: for each model code, its index among the
/// codes of the codebook extended with the learned codes, and its theme's
/// index; and how many codes and themes there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    /// Per model code, the extended codebook's code index.
    pub code: Vec<usize>,
    /// Per model code, the extended codebook's theme index.
    pub theme: Vec<usize>,
    /// Codes in the extended codebook.
    pub codes: usize,
    /// Themes in the extended codebook.
    pub themes: usize,
}

/// Codes `transcript` as [`crate::coding::code_with`] does and, given a
/// model (its scorer, and the extended codebook's [`Targets`]), adds the
/// model's codings as [`code_learned`] does: how `mint code --model` and
/// `mint export --model` code each transcript.
pub fn code_with_model(
    transcript: &Transcript,
    matcher: &Matcher,
    unit: Unit,
    options: &crate::coding::Options,
    model: Option<(&Scorer, &Targets)>,
    keep_codebook: bool,
) -> Coded {
    let mut coded = crate::coding::code_with(transcript, matcher, unit, options);
    if let Some((scorer, targets)) = model {
        code_learned(
            transcript,
            matcher,
            unit,
            scorer,
            targets,
            keep_codebook,
            &mut coded,
        );
    }
    coded
}

/// Adds the model's codings of `transcript`'s participant segments to
/// `coded` (which [`crate::coding::code_with`] made with `matcher`), and
/// counts them. With `keep_codebook` false, the codebook's codings and
/// counts are dropped first (only the model's remain); with it, a model
/// code the codebook already applied to a segment is not added again.
pub fn code_learned(
    transcript: &Transcript,
    matcher: &Matcher,
    unit: Unit,
    scorer: &Scorer,
    targets: &Targets,
    keep_codebook: bool,
    coded: &mut Coded,
) {
    for counts in &mut coded.by_speaker {
        counts.code_refs.resize(targets.codes, 0);
        counts.theme_refs.resize(targets.themes, 0);
        if !keep_codebook {
            counts.code_refs.iter_mut().for_each(|n| *n = 0);
            counts.theme_refs.iter_mut().for_each(|n| *n = 0);
            counts.coded_segments = 0;
            counts.pattern_refs.clear();
        }
    }
    if !keep_codebook {
        coded.codings.clear();
    }
    let speakers = transcript.participant_speakers();
    let mut hits: Vec<Hit> = Vec::new();
    let model = scorer.model();
    for (turn, start, end) in transcript.segments(unit) {
        let who = speakers
            .iter()
            .position(|s| *s == transcript.turns[turn].speaker)
            .expect("a participant turn");
        let text = &transcript.text[start..end];
        hits.clear();
        matcher.find(text, &mut hits);
        let mut matched: Vec<usize> = hits.iter().map(|h| h.code).collect();
        matched.sort_unstable();
        matched.dedup();
        let (mut codes, mut themes): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
        if keep_codebook {
            for &c in &matched {
                codes.push(c);
                codes.extend(matcher.ancestors_of(c));
                themes.push(matcher.theme_of(c));
            }
        }
        let was_coded = !codes.is_empty();
        let row = scorer.features(text, &matched);
        let counts = &mut coded.by_speaker[who];
        let mut added = false;
        for (m, p) in scorer.probabilities(&row).into_iter().enumerate() {
            let code = targets.code[m];
            if p < model.codes[m].threshold || codes.contains(&code) {
                continue;
            }
            codes.push(code);
            counts.code_refs[code] += 1;
            if !themes.contains(&targets.theme[m]) {
                themes.push(targets.theme[m]);
                counts.theme_refs[targets.theme[m]] += 1;
            }
            added = true;
            coded.learned.push(LearnedCoding {
                turn,
                who,
                start,
                end,
                code: m,
                probability: p,
            });
        }
        if added && !was_coded {
            counts.coded_segments += 1;
        }
    }
}

/// `codebook` with the model's codes it lacks added (under their theme,
/// added too when new, labelled as their id), and where each model code
/// counts in it.
pub fn extend(codebook: &Codebook, model: &Model) -> (Codebook, Targets) {
    let mut book = codebook.clone();
    let mut targets = Targets {
        code: Vec::new(),
        theme: Vec::new(),
        codes: 0,
        themes: 0,
    };
    for c in &model.codes {
        let theme = match book.theme_index(&c.theme) {
            Some(t) => t,
            None => {
                book.themes.push(Theme {
                    id: c.theme.clone(),
                    label: c.theme.clone(),
                    ..Theme::default()
                });
                book.themes.len() - 1
            }
        };
        let code = match book.codes.iter().position(|k| k.id == c.id) {
            Some(k) => k,
            None => {
                book.codes.push(Code {
                    id: c.id.clone(),
                    theme: c.theme.clone(),
                    label: c.id.clone(),
                    ..Code::default()
                });
                book.codes.len() - 1
            }
        };
        targets.code.push(code);
        targets.theme.push(theme);
    }
    targets.codes = book.codes.len();
    targets.themes = book.themes.len();
    (book, targets)
}
