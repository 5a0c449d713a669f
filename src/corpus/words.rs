//! Words by speaker role, and the warning for a file whose interviewer
//! holds an implausible share of them.

use super::{Role, Turn, Warning};

/// Words (runs of non-space characters) by who said them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Words {
    /// In participant turns: the words that are coded.
    pub participant: u64,
    /// In interviewer turns.
    pub interviewer: u64,
    /// Before the first label and in no turn: a header, or, in a file that
    /// labels its participants, text whose speaker is not known.
    pub uncoded: u64,
}

impl Words {
    /// Adds `other` into `self`.
    pub fn add(&mut self, other: &Words) {
        self.participant += other.participant;
        self.interviewer += other.interviewer;
        self.uncoded += other.uncoded;
    }

    /// All the words.
    pub fn total(&self) -> u64 {
        self.participant + self.interviewer + self.uncoded
    }

    /// The words of `turns` by role, and `uncoded` words outside them.
    pub(super) fn of(text: &str, turns: &[Turn], uncoded: u64) -> Words {
        let mut words = Words {
            uncoded,
            ..Words::default()
        };
        for turn in turns {
            let n = count_words(&text[turn.start..turn.end]);
            match turn.role {
                Role::Participant => words.participant += n,
                Role::Interviewer => words.interviewer += n,
            }
        }
        words
    }
}

/// Runs of non-space bytes (ASCII spaces split words: a byte check, not a
/// Unicode table; a no-break space joins two words), counted as the bytes
/// that start one: a non-space first byte, or a non-space after a space.
///
/// This runs over every transcript's whole text, so it is written for the
/// compiler to vectorise: no state carried from byte to byte, comparisons
/// instead of a table, and sums in `u8` lanes over blocks of 255 pairs
/// (15 ms per 100 MB, against 160 ms for a loop that tracks "in a word").
pub(super) fn count_words(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    let mut starts = u64::from(!is_space(first));
    let (before, after) = (&bytes[..bytes.len() - 1], &bytes[1..]);
    for (before, after) in before.chunks(255).zip(after.chunks(255)) {
        let block = before
            .iter()
            .zip(after)
            .map(|(&a, &b)| u8::from(is_space(a) & !is_space(b)))
            .fold(0u8, u8::wrapping_add);
        starts += u64::from(block);
    }
    starts
}

/// `u8::is_ascii_whitespace` (space, tab, LF, form feed, CR; not the
/// vertical tab) as branch-free comparisons.
#[inline(always)]
fn is_space(b: u8) -> bool {
    (b == b' ') | ((b.wrapping_sub(b'\t') < 5) & (b != 0x0B))
}

/// An interviewer share of the spoken words above this percentage is
/// implausible for an interview: the participant's speech is probably
/// unlabelled or under an interviewer label.
pub const IMPLAUSIBLE_INTERVIEWER_SHARE: u64 = 70;

/// Files with fewer spoken words than this are too short to judge.
const SHARE_MIN_WORDS: u64 = 100;

/// A warning when the interviewer holds an implausible share of the words,
/// at the line of the first interviewer turn.
pub(super) fn share_warning(words: &Words, turns: &[Turn]) -> Option<Warning> {
    let line = turns
        .iter()
        .find(|t| t.role == Role::Interviewer)
        .map_or(0, |t| t.line);
    share_warning_at(words, line)
}

/// [`share_warning`], at the line of the first interviewer turn (0 for
/// none).
pub(super) fn share_warning_at(words: &Words, line: usize) -> Option<Warning> {
    let spoken = words.participant + words.interviewer;
    if spoken < SHARE_MIN_WORDS || words.interviewer * 100 <= IMPLAUSIBLE_INTERVIEWER_SHARE * spoken
    {
        return None;
    }
    Some(Warning {
        line,
        message: format!(
            "interviewer turns hold {}% of the spoken words ({} of {spoken}), more than {IMPLAUSIBLE_INTERVIEWER_SHARE}%: \
             is the participant's speech labelled as the interviewer's? (see `mint speakers`)",
            words.interviewer * 100 / spoken,
            words.interviewer
        ),
    })
}
