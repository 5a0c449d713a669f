//! Coding: a compiled [`Matcher`] applied to a transcript's participant
//! segments. This is the one coding loop in mint: `mint code` and the
//! commands that read codings use [`code_with`], and emergence uses
//! [`each_segment`], which both rest on.
//!
//! It owns the per-transcript results ([`Coded`], [`Coding`], [`Counts`]).
//! It does not read files (that is [`crate::pipeline`]), parse transcripts
//! ([`crate::corpus`]) or add counts across participants ([`crate::tally`]).

use std::collections::BTreeMap;

pub mod background;
pub mod score;

use crate::corpus::{Transcript, Unit};
use crate::matcher::{Hit, Matcher};
pub use score::Score;

/// One participant segment: a coding unit inside a participant's turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// Index into [`Transcript::turns`].
    pub turn: usize,
    /// Index of the turn's speaker in [`Transcript::participant_speakers`].
    pub who: usize,
    /// Byte span of the segment.
    pub start: usize,
    /// End of the segment, exclusive.
    pub end: usize,
}

/// Runs the matcher over every participant segment for `unit`, in text
/// order, and hands each to `visit` with its number, its hits (offsets
/// relative to the segment) and, when `patterns` is set, the (code,
/// pattern) pairs that matched in it.
pub fn each_segment(
    transcript: &Transcript,
    matcher: &Matcher,
    unit: Unit,
    patterns: bool,
    mut visit: impl FnMut(usize, Segment, &[Hit], &[(usize, usize)]),
) {
    // By label, not by a search: a survey has a speaker per respondent.
    let speakers: std::collections::HashMap<&str, usize> = transcript
        .participant_speakers()
        .into_iter()
        .enumerate()
        .map(|(i, s)| (s, i))
        .collect();
    let mut hits = Vec::new();
    let mut matched = Vec::new();
    for (number, (turn, start, end)) in transcript.segments(unit).into_iter().enumerate() {
        let speaker = transcript.turns[turn].speaker.as_str();
        let who = *speakers.get(speaker).expect("a participant turn");
        hits.clear();
        let text = &transcript.text[start..end];
        if patterns {
            matched.clear();
            matcher.find_with_patterns(text, &mut hits, &mut matched);
        } else {
            matcher.find(text, &mut hits);
        }
        let segment = Segment {
            turn,
            who,
            start,
            end,
        };
        visit(number, segment, &hits, &matched);
    }
}

/// Codes every participant segment, keeping the codings (with scores).
pub fn code(transcript: &Transcript, matcher: &Matcher, unit: Unit) -> Coded {
    let options = Options {
        codings: true,
        ..Options::default()
    };
    code_with(transcript, matcher, unit, &options)
}

/// What [`code_with`] keeps and counts beyond the per-speaker counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Count the segments each pattern matched in ([`Counts::pattern_refs`]).
    pub rules: bool,
    /// Keep the codings, scored ([`Coded::codings`]); without, it is left
    /// empty (only the counts are wanted).
    pub codings: bool,
    /// Drop the codings scoring under this, before anything counts.
    pub min_score: Option<Score>,
    /// Count a segment's codes and theme only for its primary theme.
    pub primary: bool,
}

impl Options {
    /// Whether scores are needed: when codings are kept or a flag asks.
    /// Otherwise no score is computed (the matcher's plain path).
    fn scores(&self) -> bool {
        self.codings || self.primary || self.min_score.is_some()
    }
}

/// Codes every participant segment as `options` ask.
///
/// With `min_score`, a coding under it is dropped as if its code had not
/// applied; the primary theme is then chosen among the codings left
/// ([`score::primary_theme`]). With `primary`, a segment counts for its
/// primary theme only, and for that theme's codes only: code rows stay
/// within their theme's row.
pub fn code_with(
    transcript: &Transcript,
    matcher: &Matcher,
    unit: Unit,
    options: &Options,
) -> Coded {
    let mut coded = Coded {
        codings: Vec::new(),
        learned: Vec::new(),
        by_speaker: vec![Counts::sized(matcher); transcript.participant_speakers().len()],
    };
    let mut tick = Tick::new(matcher);
    let scores = options.scores();
    let mut scored: Vec<(Hit, Score)> = Vec::new();
    let mut counted: Vec<Hit> = Vec::new();
    let mut kept_pairs: Vec<(usize, usize)> = Vec::new();
    each_segment(
        transcript,
        matcher,
        unit,
        options.rules || scores,
        |number, seg, hits, matched| {
            let counts = &mut coded.by_speaker[seg.who];
            if !scores {
                tick.count(counts, matcher, number, hits, matched);
                return;
            }
            let words = transcript.text[seg.start..seg.end]
                .split_whitespace()
                .count();
            scored.clear();
            scored.extend(
                hits.iter()
                    .map(|h| (*h, score::score(matcher, h.code, h.pattern, words, matched)))
                    .filter(|(_, s)| options.min_score.is_none_or(|min| *s >= min)),
            );
            let primary = score::primary_theme(matcher, &scored);
            counted.clear();
            counted.extend(
                scored
                    .iter()
                    .filter(|(h, _)| !options.primary || Some(matcher.theme_of(h.code)) == primary)
                    .map(|(h, _)| *h),
            );
            kept_pairs.clear();
            if options.rules {
                kept_pairs.extend(
                    matched
                        .iter()
                        .filter(|(c, _)| counted.iter().any(|h| h.code == *c)),
                );
            }
            tick.count(counts, matcher, number, &counted, &kept_pairs);
            if !options.codings {
                return;
            }
            for (hit, score) in &scored {
                coded.codings.push(Coding {
                    turn: seg.turn,
                    who: seg.who,
                    start: seg.start,
                    end: seg.end,
                    hit: Hit {
                        start: seg.start + hit.start,
                        end: seg.start + hit.end,
                        ..*hit
                    },
                    score: *score,
                    primary: Some(matcher.theme_of(hit.code)) == primary,
                });
            }
        },
    );
    coded
}

/// Counts segments from the codes that applied in them, as [`code_with`]
/// counts them: once for each code, each of its parent codes and each
/// theme. For codings that come back as rows (the Python package's data
/// frames, partial tallies on a cluster), so that a table from them is the
/// table `mint code` prints.
pub struct SegmentCounter {
    tick: Tick,
    number: usize,
    hits: Vec<Hit>,
}

impl SegmentCounter {
    /// A counter for `matcher`'s codebook.
    pub fn new(matcher: &Matcher) -> SegmentCounter {
        SegmentCounter {
            tick: Tick::new(matcher),
            number: 0,
            hits: Vec::new(),
        }
    }

    /// Counts one segment coded with `codes` (code indexes, in any order,
    /// repeats allowed; none for an uncoded segment) into `counts`.
    pub fn count(&mut self, counts: &mut Counts, matcher: &Matcher, codes: &[usize]) {
        if counts.code_refs.len() < matcher.code_count() {
            counts.code_refs.resize(matcher.code_count(), 0);
        }
        if counts.theme_refs.len() < matcher.theme_count() {
            counts.theme_refs.resize(matcher.theme_count(), 0);
        }
        self.hits.clear();
        self.hits.extend(codes.iter().map(|&code| Hit {
            code,
            pattern: 0,
            start: 0,
            end: 0,
        }));
        self.tick
            .count(counts, matcher, self.number, &self.hits, &[]);
        self.number += 1;
    }
}

/// The last segment (number) in which each code and theme counted.
struct Tick {
    code: Vec<usize>,
    theme: Vec<usize>,
}

impl Tick {
    fn new(matcher: &Matcher) -> Tick {
        Tick {
            code: vec![usize::MAX; matcher.code_count()],
            theme: vec![usize::MAX; matcher.theme_count()],
        }
    }

    /// Counts segment `number` with `hits` (and the pattern pairs
    /// `matched`) into `counts`.
    fn count(
        &mut self,
        counts: &mut Counts,
        matcher: &Matcher,
        number: usize,
        hits: &[Hit],
        matched: &[(usize, usize)],
    ) {
        counts.segments += 1;
        for key in matched {
            *counts.pattern_refs.entry(*key).or_default() += 1;
        }
        counts.coded_segments += u64::from(!hits.is_empty());
        // A sub-code counts for its parents too, once per segment.
        for hit in hits {
            for &code in std::iter::once(&hit.code).chain(matcher.ancestors_of(hit.code)) {
                if self.code[code] != number {
                    self.code[code] = number;
                    counts.code_refs[code] += 1;
                }
            }
            let theme = matcher.theme_of(hit.code);
            if self.theme[theme] != number {
                self.theme[theme] = number;
                counts.theme_refs[theme] += 1;
            }
        }
    }
}

/// One coded segment × code, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Coding {
    /// Index into [`Transcript::turns`].
    pub turn: usize,
    /// Index of the turn's speaker in [`Transcript::participant_speakers`].
    pub who: usize,
    /// Byte span of the segment.
    pub start: usize,
    /// End of the segment, exclusive.
    pub end: usize,
    /// The code and the first pattern match that applied it.
    pub hit: Hit,
    /// How strongly the code applies ([`score`]).
    pub score: Score,
    /// Whether the code's theme is the segment's primary theme.
    pub primary: bool,
}

/// One segment x code a learned model applied (`mint code --model`; see
/// `crate::learn::apply`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LearnedCoding {
    /// Index into [`Transcript::turns`].
    pub turn: usize,
    /// Index of the turn's speaker in [`Transcript::participant_speakers`].
    pub who: usize,
    /// Byte span of the segment.
    pub start: usize,
    /// End of the segment, exclusive.
    pub end: usize,
    /// Index of the code among the model's codes.
    pub code: usize,
    /// The model's probability that the code applies.
    pub probability: f64,
}

/// Counts for one speaker of one transcript.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Participant segments (coded or not).
    pub segments: u64,
    /// Participant segments with at least one code.
    pub coded_segments: u64,
    /// Segments coded with each code, by code index.
    pub code_refs: Vec<u64>,
    /// Segments coded with any code of each theme, by theme index.
    pub theme_refs: Vec<u64>,
    /// Segments in which each (code, pattern) matched, for codes that
    /// applied; filled only when asked for (`--rules`).
    #[serde(with = "pairs")]
    pub pattern_refs: BTreeMap<(usize, usize), u64>,
}

/// The result of coding one transcript.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Coded {
    /// Codings in text order, then codebook order.
    pub codings: Vec<Coding>,
    /// Codings a learned model added (`mint code --model`), in text order.
    #[serde(default)]
    pub learned: Vec<LearnedCoding>,
    /// Counts per participant speaker, in the order of
    /// [`Transcript::participant_speakers`].
    pub by_speaker: Vec<Counts>,
}

impl Coded {
    /// All speakers' counts added up.
    pub fn total(&self) -> Counts {
        let mut total = Counts::default();
        for counts in &self.by_speaker {
            total.add(counts);
        }
        total
    }
}

impl Counts {
    /// No segments yet, with a zero for each of `matcher`'s codes and themes.
    pub fn sized(matcher: &Matcher) -> Counts {
        Counts {
            code_refs: vec![0; matcher.code_count()],
            theme_refs: vec![0; matcher.theme_count()],
            ..Counts::default()
        }
    }

    /// Adds `other` into `self`.
    pub fn add(&mut self, other: &Counts) {
        self.segments += other.segments;
        self.coded_segments += other.coded_segments;
        add_into(&mut self.code_refs, &other.code_refs);
        add_into(&mut self.theme_refs, &other.theme_refs);
        for (key, n) in &other.pattern_refs {
            *self.pattern_refs.entry(*key).or_default() += n;
        }
    }
}

fn add_into(total: &mut Vec<u64>, part: &[u64]) {
    if total.len() < part.len() {
        total.resize(part.len(), 0);
    }
    for (t, p) in total.iter_mut().zip(part) {
        *t += p;
    }
}

/// The 1-based line of byte `at` of `text`, inside the turn `turn` of its
/// transcript: the turn's line and the line breaks before `at`.
pub fn line_at(text: &str, turn: &crate::corpus::Turn, at: usize) -> usize {
    let from = turn.start.min(at);
    turn.line
        + text.as_bytes()[from..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
}

/// A map with tuple keys as a list of pairs (JSON keys must be strings).
mod pairs {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        map: &BTreeMap<(usize, usize), u64>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        map.iter().collect::<Vec<_>>().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<(usize, usize), u64>, D::Error> {
        Ok(Vec::<((usize, usize), u64)>::deserialize(d)?
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Codebook;
    use crate::corpus::ParseOptions;

    fn codebook() -> Codebook {
        Codebook::from_toml_str(
            r#"
[codebook]
name = "t"
[[themes]]
id = "hr_it"
label = "HR and IT"
[[themes]]
id = "vision"
label = "Vision"
[[codes]]
id = "systems"
theme = "hr_it"
label = "Systems"
patterns = ["system*"]
[[codes]]
id = "records"
theme = "hr_it"
label = "Records"
patterns = ["shared record*"]
[[codes]]
id = "seamless"
theme = "vision"
label = "Seamless"
patterns = ["seamless"]
"#,
            "t.toml",
        )
        .unwrap()
    }

    fn transcript(text: &str) -> Transcript {
        Transcript::parse("t.txt", text.to_string(), &ParseOptions::default()).unwrap()
    }

    const TEXT: &str = "Interviewer: Do the systems work? Is care seamless?\n\
P1: The systems don't talk. We want shared records.\n\
P2: It should feel seamless. The systems are slow.\n\
P1: Nothing to add.\n";

    #[test]
    fn the_interviewer_is_never_coded_and_a_theme_counts_once_per_segment() {
        let cb = codebook();
        let m = Matcher::new(&cb).unwrap();
        let t = transcript(TEXT);
        let coded = code(&t, &m, Unit::Turn);
        // P1 then P2, in order of first appearance.
        assert_eq!(coded.by_speaker.len(), 2);
        let p1 = &coded.by_speaker[0];
        assert_eq!((p1.segments, p1.coded_segments), (2, 1));
        // systems and records both hit P1's first turn: two code refs, one
        // hr_it theme ref.
        assert_eq!(p1.code_refs, vec![1, 1, 0]);
        assert_eq!(p1.theme_refs, vec![1, 0]);
        let p2 = &coded.by_speaker[1];
        assert_eq!(p2.code_refs, vec![1, 0, 1]);
        assert_eq!(p2.theme_refs, vec![1, 1]);
        // Every coding points at participant text, never the question.
        let question_end = TEXT.find('\n').unwrap();
        assert!(coded.codings.iter().all(|c| c.start > question_end));
        let evidence: Vec<&str> = coded
            .codings
            .iter()
            .map(|c| &t.text[c.hit.start..c.hit.end])
            .collect();
        // Segments in text order; within one, codes in codebook order.
        assert_eq!(
            evidence,
            ["systems", "shared records", "systems", "seamless"]
        );
    }

    #[test]
    fn counting_codings_by_segment_gives_the_counts_of_coding() {
        let mut cb = codebook();
        // A sub-code counts for its parent too, once per segment.
        cb.codes[1].parent = Some("systems".to_string());
        let m = Matcher::new(&cb).unwrap();
        let t = transcript(TEXT);
        let coded = code(&t, &m, Unit::Sentence);
        let mut by_speaker = vec![Counts::default(); coded.by_speaker.len()];
        let mut counter = SegmentCounter::new(&m);
        let mut segments: Vec<((usize, usize), Vec<usize>)> = Vec::new();
        for c in &coded.codings {
            match segments.last_mut() {
                Some((key, codes)) if *key == (c.who, c.start) => codes.push(c.hit.code),
                _ => segments.push(((c.who, c.start), vec![c.hit.code])),
            }
        }
        for ((who, _), codes) in &segments {
            counter.count(&mut by_speaker[*who], &m, codes);
        }
        for (recounted, counted) in by_speaker.iter().zip(&coded.by_speaker) {
            assert_eq!(recounted.code_refs, counted.code_refs);
            assert_eq!(recounted.theme_refs, counted.theme_refs);
            assert_eq!(recounted.coded_segments, counted.coded_segments);
        }
        assert_eq!(by_speaker[0].code_refs, vec![2, 1, 0]);
    }

    #[test]
    fn counts_do_not_depend_on_keeping_codings_and_rules_count_patterns() {
        let cb = codebook();
        let m = Matcher::new(&cb).unwrap();
        let t = transcript(TEXT);
        let full = code(&t, &m, Unit::Turn);
        let options = Options {
            rules: true,
            ..Options::default()
        };
        let counts_only = code_with(&t, &m, Unit::Turn, &options);
        assert!(counts_only.codings.is_empty());
        for (a, b) in full.by_speaker.iter().zip(&counts_only.by_speaker) {
            assert_eq!(a.code_refs, b.code_refs);
            assert_eq!(a.theme_refs, b.theme_refs);
            assert!(a.pattern_refs.is_empty());
        }
        let p1 = &counts_only.by_speaker[0];
        assert_eq!(p1.pattern_refs.get(&(0, 0)), Some(&1));
        assert_eq!(p1.pattern_refs.get(&(1, 0)), Some(&1));
    }

    #[test]
    fn codings_carry_a_score_and_mark_the_primary_theme() {
        let cb = codebook();
        let m = Matcher::new(&cb).unwrap();
        let t = transcript(TEXT);
        let coded = code(&t, &m, Unit::Turn);
        let rows: Vec<(usize, String, bool)> = coded
            .codings
            .iter()
            .map(|c| (c.hit.code, c.score.to_string(), c.primary))
            .collect();
        // P1: a prefix (0.3) and a two-word phrase (0.7) of hr_it, primary;
        // P2: systems (hr_it, 0.3) loses to seamless (vision, 0.4).
        assert_eq!(
            rows,
            [
                (0, "0.300".to_string(), true),
                (1, "0.700".to_string(), true),
                (0, "0.300".to_string(), false),
                (2, "0.400".to_string(), true),
            ]
        );
    }

    #[test]
    fn primary_counts_one_theme_per_segment_and_min_score_drops_weak_codings() {
        let cb = codebook();
        let m = Matcher::new(&cb).unwrap();
        let t = transcript(TEXT);
        let primary = Options {
            primary: true,
            ..Options::default()
        };
        let coded = code_with(&t, &m, Unit::Turn, &primary);
        assert!(coded.codings.is_empty());
        let p2 = &coded.by_speaker[1];
        assert_eq!(p2.theme_refs, vec![0, 1]);
        assert_eq!(p2.code_refs, vec![0, 0, 1]);
        assert_eq!(p2.coded_segments, 1);
        let strict = Options {
            codings: true,
            rules: true,
            min_score: Some(Score::from_f64(0.35)),
            ..Options::default()
        };
        let coded = code_with(&t, &m, Unit::Turn, &strict);
        let codes: Vec<usize> = coded.codings.iter().map(|c| c.hit.code).collect();
        assert_eq!(codes, [1, 2]);
        assert_eq!(coded.by_speaker[0].code_refs, vec![0, 1, 0]);
        // The dropped code's patterns are not counted either.
        assert_eq!(coded.by_speaker[0].pattern_refs.get(&(0, 0)), None);
        assert_eq!(coded.by_speaker[1].theme_refs, vec![0, 1]);
        // Nothing left: the segment is not coded.
        let none = Options {
            min_score: Some(Score::from_f64(1.0)),
            ..Options::default()
        };
        let coded = code_with(&t, &m, Unit::Turn, &none);
        assert_eq!(coded.total().coded_segments, 0);
    }

    #[test]
    fn each_segment_walks_sentences_in_text_order_with_their_speaker() {
        let cb = codebook();
        let m = Matcher::new(&cb).unwrap();
        let t = transcript(TEXT);
        let mut seen = Vec::new();
        each_segment(&t, &m, Unit::Sentence, false, |n, seg, hits, _| {
            seen.push((
                n,
                seg.who,
                t.text[seg.start..seg.end].to_string(),
                hits.len(),
            ));
        });
        assert_eq!(
            seen,
            [
                (0, 0, "The systems don't talk.".to_string(), 1),
                (1, 0, "We want shared records.".to_string(), 1),
                (2, 1, "It should feel seamless.".to_string(), 1),
                (3, 1, "The systems are slow.".to_string(), 1),
                (4, 0, "Nothing to add.".to_string(), 0),
            ]
        );
    }
}
