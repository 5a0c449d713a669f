//! The first step of `mint emerge`, run per transcript: [`coded_segments`]
//! codes every participant segment with the codebook's matcher and keeps
//! only which themes apply ([`CodedSegment`]).
//!
//! It runs its own coding loop (segments, matcher, themes per segment) for
//! now, and is kept apart, with nothing else in the folder depending on
//! it, so that a shared coding module can replace it by changing only this
//! file and the re-export in `mod.rs`. Not here: anything
//! [`propose`](super::propose) does with the segments.

use std::collections::BTreeSet;

use crate::corpus::{Transcript, Unit};
use crate::matcher::{Hit, Matcher};

/// A participant segment of a transcript with the themes coded in it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodedSegment {
    /// Index into [`Transcript::turns`].
    pub turn: usize,
    /// Byte span of the segment.
    pub start: usize,
    /// End of the span, exclusive.
    pub end: usize,
    /// Index of the speaker in [`Transcript::participant_speakers`].
    pub who: usize,
    /// Themes coded in the segment (indexes, ascending).
    pub themes: Vec<usize>,
}

/// Codes every participant segment of a transcript, keeping only which
/// themes apply: the first step of `mint emerge`, run per file.
pub fn coded_segments(transcript: &Transcript, matcher: &Matcher, unit: Unit) -> Vec<CodedSegment> {
    let speakers = transcript.participant_speakers();
    let mut hits: Vec<Hit> = Vec::new();
    transcript
        .segments(unit)
        .into_iter()
        .map(|(turn, start, end)| {
            hits.clear();
            matcher.find(&transcript.text[start..end], &mut hits);
            let themes: BTreeSet<usize> = hits.iter().map(|h| matcher.theme_of(h.code)).collect();
            let speaker = &transcript.turns[turn].speaker;
            CodedSegment {
                turn,
                start,
                end,
                who: speakers.iter().position(|s| s == speaker).unwrap_or(0),
                themes: themes.into_iter().collect(),
            }
        })
        .collect()
}
