//! The coded corpus as the emergence library reads it: every participant
//! segment with its participant, turn and themes, and where each one came
//! from (file and coded segment) so that exemplars can be quoted later.
//!
//! Nothing here proposes candidates (that is `mint::emergence`) or prints.

use std::collections::{BTreeMap, BTreeSet};

use mint::emergence::{CodedSegment, Input, Segment};
use mint::pipeline::Corpus;

/// The corpus as the library sees it, and where each segment came from.
pub(super) struct Study<'c> {
    pub(super) input: Input<'c>,
    /// For each segment: the file (index) and its coded segment.
    pub(super) origin: Vec<(usize, &'c CodedSegment)>,
    pub(super) uncoded: usize,
}

impl<'c> Study<'c> {
    pub(super) fn of(corpus: &'c Corpus<Vec<CodedSegment>>) -> Study<'c> {
        let ids: Vec<String> = corpus.info.participants.keys().cloned().collect();
        let index: BTreeMap<&str, u32> = corpus
            .info
            .participants
            .keys()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i as u32))
            .collect();
        // Speaker labels are never phrases either.
        let mut never: BTreeSet<String> = ids.iter().cloned().collect();
        let mut segments = Vec::new();
        let mut origin = Vec::new();
        let mut contexts: BTreeMap<(usize, usize), u32> = BTreeMap::new();
        for (f, file) in corpus.files.iter().enumerate() {
            never.extend(file.transcript.turns.iter().map(|t| t.speaker.clone()));
            for seg in &file.result {
                let next = contexts.len() as u32;
                let context = *contexts.entry((f, seg.turn)).or_insert(next);
                let id = &file.participants[seg.who];
                segments.push(Segment {
                    text: &file.transcript.text[seg.start..seg.end],
                    participant: index[id.as_str()],
                    context,
                    themes: seg.themes.clone(),
                });
                origin.push((f, seg));
            }
        }
        let uncoded = segments.iter().filter(|s| s.themes.is_empty()).count();
        let mut participants = ids;
        participants.extend(
            never
                .into_iter()
                .filter(|n| !index.contains_key(n.as_str())),
        );
        Study {
            input: Input {
                segments,
                participants,
            },
            origin,
            uncoded,
        }
    }
}
