//! The first step of `mint emerge`, run per transcript: [`coded_segments`]
//! codes every participant segment with the codebook's matcher and keeps
//! only which themes apply ([`CodedSegment`]).
//!
//! The coding itself is [`crate::coding::each_segment`], the one coding
//! loop. Not here: anything [`propose`](super::propose) does with the
//! segments.

use std::collections::BTreeSet;

use crate::coding;
use crate::corpus::{Transcript, Unit};
use crate::matcher::Matcher;

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
    let mut out = Vec::new();
    coding::each_segment(transcript, matcher, unit, false, |_, seg, hits, _| {
        let themes: BTreeSet<usize> = hits.iter().map(|h| matcher.theme_of(h.code)).collect();
        out.push(CodedSegment {
            turn: seg.turn,
            start: seg.start,
            end: seg.end,
            who: seg.who,
            themes: themes.into_iter().collect(),
        });
    });
    out
}
