//! Quotes for the write-up: attributions from a template over participant
//! attributes, trimming a quote to the sentences around its evidence, and a
//! ranking that puts the strongest evidence first while spreading the
//! quotes across participants; and collecting the quotes for some codes
//! from a coded corpus.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use unicode_segmentation::UnicodeSegmentation;

use crate::attributes::{Attributes, PARTICIPANT};
use crate::codebook::Codebook;
use crate::coding::{Coded, Coding};
use crate::groups::{UnknownAttribute, check_attribute};
use crate::pipeline::{Corpus, LoadedFile};
use crate::suggest::Hint;

/// The default attribution, in the form evaluation reports use:
/// `Operational social care, area 2, interviewee c`.
pub const DEFAULT_ATTRIBUTION: &str = "{Level} {sector}, area {area}, interviewee {id}";

/// Renders an attribution template.
///
/// `{attr}` is the attribute's value and `{Attr}` the same with a capital
/// first letter. `{id}` is the `interviewee` attribute when there is one,
/// else the participant id. The template is read as comma-separated parts:
/// a part whose attributes are missing is left out, so a strategic lead
/// with no area gets `Strategic health, interviewee 3`.
///
/// ```
/// use mint::quotes::{attribution, DEFAULT_ATTRIBUTION};
/// let attrs = [("participant", "S3"), ("level", "strategic"), ("sector", "health"), ("interviewee", "3")]
///     .into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
/// assert_eq!(attribution(DEFAULT_ATTRIBUTION, &attrs), "Strategic health, interviewee 3");
/// ```
pub fn attribution(template: &str, attrs: &Attributes) -> String {
    let value = |name: &str| -> Option<String> {
        let key = name.to_lowercase();
        let v = if key == "id" {
            attrs.get("interviewee").or_else(|| attrs.get(PARTICIPANT))
        } else {
            attrs.get(&key)
        }?;
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        Some(if name.starts_with(|c: char| c.is_uppercase()) {
            let mut chars = v.chars();
            chars.next().map_or(String::new(), |c| {
                c.to_uppercase().collect::<String>() + chars.as_str()
            })
        } else {
            v.to_string()
        })
    };
    let mut parts = Vec::new();
    for part in template.split(',') {
        let mut out = String::new();
        let mut rest = part;
        let mut complete = true;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            match value(&rest[open + 1..open + close]) {
                Some(v) => out.push_str(&v),
                None => complete = false,
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        // Drop a part with a missing attribute, and words left dangling.
        let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
        if complete && !out.is_empty() {
            parts.push(out);
        }
    }
    parts.join(", ")
}

/// The text of a segment as a quote: whitespace runs (line breaks included)
/// become single spaces. With `context`, only the sentences from `context`
/// before the evidence to `context` after it are kept, and a cut is marked
/// with an ellipsis.
///
/// `evidence` is a byte span within `text`.
pub fn quote_text(text: &str, evidence: (usize, usize), context: Option<usize>) -> String {
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(n) = context else {
        return squeeze(text);
    };
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let sentences: Vec<(usize, &str)> = flat.split_sentence_bound_indices().collect();
    let Some(at) = sentences
        .iter()
        .rposition(|(start, _)| *start <= evidence.0)
    else {
        return squeeze(text);
    };
    let from = at.saturating_sub(n);
    let to = (at + n + 1).min(sentences.len());
    let kept: String = sentences[from..to].iter().map(|(_, s)| *s).collect();
    let mut out = squeeze(&kept);
    if from > 0 {
        out = format!("… {out}");
    }
    if to < sentences.len() {
        out.push_str(" …");
    }
    out
}

/// A quote candidate: whose it is and how strong the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The participant id.
    pub participant: String,
    /// Whether a target code's theme is the segment's primary theme
    /// ([`Coding::primary`]): such segments come first.
    pub primary: bool,
    /// Distinct target codes in the segment (more is stronger).
    pub codes: usize,
    /// Words in the segment (fewer, at equal codes, is a tighter quote).
    pub words: usize,
    /// A stable position (file order, then text order) for ties.
    pub order: usize,
}

/// Orders candidates for the write-up: each participant's strongest
/// segment first, then everyone's second strongest, and so on, so one
/// talkative participant cannot fill the list. Within a round, stronger
/// evidence (the segment's primary theme among the targets', then more
/// target codes, then denser: fewer words, though not under twelve) comes
/// first.
/// Returns indexes into `candidates`.
pub fn rank(candidates: &[Candidate]) -> Vec<usize> {
    let strength = |c: &Candidate| {
        (
            std::cmp::Reverse(c.primary),
            std::cmp::Reverse(c.codes),
            c.words.clamp(8, usize::MAX),
            c.order,
        )
    };
    let mut by_participant: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        by_participant.entry(&c.participant).or_default().push(i);
    }
    for list in by_participant.values_mut() {
        list.sort_by_key(|&i| strength(&candidates[i]));
    }
    let mut out = Vec::with_capacity(candidates.len());
    let mut round = 0;
    loop {
        let mut this_round: Vec<usize> = by_participant
            .values()
            .filter_map(|list| list.get(round).copied())
            .collect();
        if this_round.is_empty() {
            break;
        }
        this_round.sort_by_key(|&i| strength(&candidates[i]));
        out.extend(this_round);
        round += 1;
    }
    out
}

/// One quote, as written to CSV and JSON.
#[derive(Debug, Serialize)]
pub struct Quote {
    /// 1-based rank.
    pub rank: usize,
    /// The quote text.
    pub quote: String,
    /// Who said it, from the template.
    pub attribution: String,
    /// The participant id.
    pub participant: String,
    /// The transcript, relative to the input folder.
    pub file: String,
    /// The 1-based turn.
    pub turn: usize,
    /// Code-point span of the segment in the file's (extracted) text.
    pub start: usize,
    /// End of the span, exclusive.
    pub end: usize,
    /// The target codes that coded the segment, `;`-separated.
    pub codes: String,
    /// The best score among the target codes' codings there
    /// ([`Coding::score`]), from 0 to 1 in thousandths.
    pub score: f64,
    /// Whether the target theme is the segment's primary theme.
    pub primary: bool,
    /// The 1-based line where the segment starts.
    pub line: usize,
    /// The segment's stable id ([`crate::textpos::segment_id`]), as the
    /// `--codings` CSV writes it.
    pub segment_id: String,
}

/// A `--theme` or `--code` that the codebook does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// No theme with this id.
    #[error("no theme {theme:?} in the codebook{hint}")]
    NoTheme {
        /// The id asked for.
        theme: String,
        /// The nearest theme id, and all of them.
        hint: Hint,
    },
    /// No code with this id.
    #[error("no code {code:?} in the codebook{hint}")]
    NoCode {
        /// The id asked for.
        code: String,
        /// The nearest code id, and all of them.
        hint: Hint,
    },
}

/// A `--where` filter that no participant could match.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// No participant has the attribute.
    #[error(transparent)]
    Attribute(#[from] UnknownAttribute),
    /// No participant has this value of the attribute.
    #[error("no participant has {attribute}={value:?}{hint}")]
    Value {
        /// The attribute.
        attribute: String,
        /// The value asked for.
        value: String,
        /// The nearest value participants have, and all of them.
        hint: Hint,
    },
}

/// Checks that each `attr=value` filter matches some participant on its
/// own (all of them together may still match no one).
pub fn check_filters(
    filters: &[(String, String)],
    participants: &BTreeMap<String, Attributes>,
) -> Result<(), FilterError> {
    for (attribute, value) in filters {
        check_attribute(attribute, participants)?;
        let values: BTreeSet<&str> = participants
            .values()
            .filter_map(|a| a.get(attribute))
            .map(String::as_str)
            .collect();
        if !values.contains(value.as_str()) {
            return Err(FilterError::Value {
                attribute: attribute.clone(),
                value: value.clone(),
                hint: Hint::new(value, values),
            });
        }
    }
    Ok(())
}

/// The codes a theme or code selects (a code with its sub-codes).
pub fn target_codes(
    codebook: &Codebook,
    theme: Option<&str>,
    code: Option<&str>,
) -> Result<BTreeSet<usize>, SelectError> {
    if let Some(theme) = theme {
        if codebook.theme_index(theme).is_none() {
            return Err(SelectError::NoTheme {
                theme: theme.to_string(),
                hint: Hint::new(theme, codebook.themes.iter().map(|t| t.id.as_str())),
            });
        }
        return Ok(codebook
            .codes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.theme == theme)
            .map(|(i, _)| i)
            .collect());
    }
    let code = code.unwrap_or_default();
    if !codebook.codes.iter().any(|c| c.id == code) {
        return Err(SelectError::NoCode {
            code: code.to_string(),
            hint: Hint::new(code, codebook.codes.iter().map(|c| c.id.as_str())),
        });
    }
    Ok(codebook
        .codes
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.id == code || codebook.ancestors(&c.id).is_some_and(|a| a.contains(&code))
        })
        .map(|(i, _)| i)
        .collect())
}

/// The quotes for the `targets` codes, among participants whose attributes
/// match every `filters` pair: each coded segment once, ranked by
/// [`rank`], at most `limit` (0: all), trimmed to `context` sentences
/// around the evidence and attributed with `template`.
pub fn collect(
    corpus: &Corpus<Coded>,
    codebook: &Codebook,
    targets: &BTreeSet<usize>,
    filters: &[(String, String)],
    context: Option<usize>,
    template: &str,
    limit: usize,
) -> Vec<Quote> {
    struct Found<'a> {
        file: &'a LoadedFile<Coded>,
        turn: usize,
        start: usize,
        end: usize,
        evidence: (usize, usize),
        codes: BTreeSet<usize>,
        primary: bool,
        score: crate::coding::Score,
        participant: &'a str,
    }
    let mut found: Vec<Found> = Vec::new();
    for file in &corpus.files {
        let mut by_segment: BTreeMap<(usize, usize, usize), Vec<&Coding>> = BTreeMap::new();
        for coding in &file.result.codings {
            if targets.contains(&coding.hit.code) {
                by_segment
                    .entry((coding.start, coding.end, coding.turn))
                    .or_default()
                    .push(coding);
            }
        }
        for ((start, end, turn), codings) in by_segment {
            let participant = file.participants[codings[0].who].as_str();
            let attrs = &corpus.info.participants[participant];
            if !filters
                .iter()
                .all(|(k, v)| attrs.get(k).is_some_and(|a| a == v))
            {
                continue;
            }
            let first = codings
                .iter()
                .min_by_key(|c| c.hit.start)
                .expect("non-empty");
            found.push(Found {
                file,
                turn,
                start,
                end,
                evidence: (first.hit.start - start, first.hit.end - start),
                codes: codings.iter().map(|c| c.hit.code).collect(),
                primary: codings.iter().any(|c| c.primary),
                score: codings.iter().map(|c| c.score).max().unwrap_or_default(),
                participant,
            });
        }
    }
    let candidates: Vec<Candidate> = found
        .iter()
        .enumerate()
        .map(|(order, f)| Candidate {
            participant: f.participant.to_string(),
            primary: f.primary,
            codes: f.codes.len(),
            words: f.file.transcript.text[f.start..f.end]
                .split_whitespace()
                .count(),
            order,
        })
        .collect();
    let mut ranked = rank(&candidates);
    if limit > 0 {
        ranked.truncate(limit);
    }
    ranked
        .into_iter()
        .enumerate()
        .map(|(rank, i)| {
            let f = &found[i];
            let text = &f.file.transcript.text;
            let index = crate::textpos::CharIndex::new(text);
            let turn = &f.file.transcript.turns[f.turn];
            let (start, end) = (index.char_offset(f.start), index.char_offset(f.end));
            Quote {
                rank: rank + 1,
                quote: quote_text(&text[f.start..f.end], f.evidence, context),
                attribution: attribution(template, &corpus.info.participants[f.participant]),
                participant: f.participant.to_string(),
                file: f.file.source.name.clone(),
                turn: turn.index,
                line: crate::coding::line_at(text, turn, f.start),
                segment_id: crate::textpos::segment_id(&f.file.source.name, start, end),
                start,
                end,
                codes: f
                    .codes
                    .iter()
                    .map(|&c| codebook.codes[c].id.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                score: f.score.value(),
                primary: f.primary,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> Attributes {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn attribution_follows_the_report_style_and_drops_missing_parts() {
        let op = attrs(&[
            ("participant", "A2c"),
            ("level", "operational"),
            ("sector", "social care"),
            ("area", "2"),
            ("interviewee", "c"),
        ]);
        assert_eq!(
            attribution(DEFAULT_ATTRIBUTION, &op),
            "Operational social care, area 2, interviewee c"
        );
        let lead = attrs(&[
            ("participant", "S3"),
            ("level", "strategic"),
            ("sector", "health"),
        ]);
        assert_eq!(
            attribution(DEFAULT_ATTRIBUTION, &lead),
            "Strategic health, interviewee S3"
        );
        let bare = attrs(&[("participant", "P9")]);
        assert_eq!(attribution(DEFAULT_ATTRIBUTION, &bare), "interviewee P9");
        assert_eq!(
            attribution(
                "{Role} ({id})",
                &attrs(&[("participant", "P1"), ("role", "district nurse")])
            ),
            "District nurse (P1)"
        );
    }

    #[test]
    fn context_keeps_the_sentences_around_the_evidence_and_marks_cuts() {
        let text = "First thing. Then the GP came\nto the huddle. Third. Fourth.";
        let at = text.find("GP").unwrap();
        assert_eq!(
            quote_text(text, (at, at + 2), None),
            "First thing. Then the GP came to the huddle. Third. Fourth."
        );
        assert_eq!(
            quote_text(text, (at, at + 2), Some(0)),
            "… Then the GP came to the huddle. …"
        );
        assert_eq!(
            quote_text(text, (at, at + 2), Some(1)),
            "First thing. Then the GP came to the huddle. Third. …"
        );
    }

    #[test]
    fn ranking_spreads_quotes_across_participants() {
        let c = |p: &str, codes, words, order| Candidate {
            participant: p.into(),
            primary: false,
            codes,
            words,
            order,
        };
        // A talks a lot with strong evidence; B and C once each.
        let candidates = [
            c("A", 3, 50, 0),
            c("A", 3, 40, 1),
            c("A", 2, 30, 2),
            c("B", 1, 20, 3),
            c("C", 2, 60, 4),
        ];
        assert_eq!(rank(&candidates), [1, 4, 3, 0, 2]);
    }

    #[test]
    fn segments_of_the_primary_theme_rank_first() {
        let c = |p: &str, primary, codes, order| Candidate {
            participant: p.into(),
            primary,
            codes,
            words: 20,
            order,
        };
        // A's one primary segment beats its two-code secondary one.
        let candidates = [c("A", false, 2, 0), c("A", true, 1, 1), c("B", false, 3, 2)];
        assert_eq!(rank(&candidates), [1, 2, 0]);
    }
}
