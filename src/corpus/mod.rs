//! The transcript model: decoding, front matter, speaker turns and coding
//! segments. Applying a codebook to them is [`crate::coding`]'s job; this
//! module knows nothing of the matcher.
//!
//! A transcript may open with a front-matter block of participant attributes
//! between `---` lines. The body is speaker turns: a line `Label: text` starts
//! a turn when the label recurs in the file or is a known role, and following
//! lines without a label continue it. In a file that labels only the
//! interviewer, the unlabelled text between interviewer turns is the
//! participant's (a turn with an empty speaker). Interviewer turns are kept
//! (they count in turn numbers) but never coded.
//!
//! Offsets here are byte offsets into [`Transcript::text`]; the codings CSV
//! converts them to code points with [`crate::textpos::CharIndex`].

use std::collections::BTreeMap;

use crate::error::FormatError;

mod decode;
mod labels;
mod limits;
mod parse;
pub mod stream;
#[cfg(test)]
mod tests;
mod words;

pub use decode::{Decoded, decode, decode_owned};
pub use labels::{LabelWhy, SpeakerLabel};
pub use limits::DEFAULT_MAX_TURN_BYTES;
use parse::{front_matter, lines_of, paragraphs, sentences, turns};
use words::share_warning;
pub use words::{IMPLAUSIBLE_INTERVIEWER_SHARE, Words};

/// Interviewer labels recognised by default (compared case-insensitively).
pub const DEFAULT_INTERVIEWER_LABELS: &[&str] =
    &["interviewer", "i", "int", "q", "moderator", "facilitator"];

/// How to read speaker turns.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Labels whose turns are the interviewer's, lower case.
    pub interviewer_labels: Vec<String>,
    /// When set, only these exact labels (case-sensitive, at the start of a
    /// line, `Label:`) start turns; any other line continues the turn.
    pub speakers: Option<Vec<String>>,
    /// A turn longer than this (in bytes) is coded in pieces no longer,
    /// cut at paragraph or sentence boundaries, with a warning.
    pub max_turn_bytes: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            interviewer_labels: DEFAULT_INTERVIEWER_LABELS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            speakers: None,
            max_turn_bytes: DEFAULT_MAX_TURN_BYTES,
        }
    }
}

impl ParseOptions {
    /// Adds interviewer labels to the defaults.
    pub fn with_interviewers<S: AsRef<str>>(extra: &[S]) -> ParseOptions {
        let mut options = ParseOptions::default();
        for label in extra {
            let label = label.as_ref().trim().to_lowercase();
            if !options.interviewer_labels.contains(&label) {
                options.interviewer_labels.push(label);
            }
        }
        options
    }

    fn is_interviewer(&self, label: &str) -> bool {
        let label = label.trim();
        // Most labels are ASCII: compare without building a lower-case copy.
        if label.is_ascii() {
            return self
                .interviewer_labels
                .iter()
                .any(|l| l.eq_ignore_ascii_case(label));
        }
        self.interviewer_labels.contains(&label.to_lowercase())
    }
}

/// Who is speaking in a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Role {
    /// Context only, never coded.
    Interviewer,
    /// Participant speech, the only speech that is coded.
    Participant,
}

/// One speaker turn.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Turn {
    /// 1-based index among all the file's turns, the interviewer's included.
    pub index: usize,
    /// The speaker label as written; empty for unlabelled text taken as the
    /// participant's (a file without labels, or the unlabelled paragraphs
    /// of a file that labels only the interviewer).
    pub speaker: String,
    /// Interviewer or participant.
    pub role: Role,
    /// Byte span of the turn's text (label excluded, whitespace trimmed).
    pub start: usize,
    /// End of the span, exclusive.
    pub end: usize,
    /// 1-based line where the turn starts.
    pub line: usize,
    /// When the turn was spoken, for timed formats (VTT, SRT).
    pub time: Option<TimeSpan>,
}

/// A turn as a format reader finds it, before roles and indexes are given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTurn {
    /// The speaker label as written (empty when there is none).
    pub speaker: String,
    /// Byte span of the turn's text in the extracted text.
    pub start: usize,
    /// End of the span, exclusive.
    pub end: usize,
    /// 1-based line of the turn in the original file (a cue's line for VTT).
    pub line: usize,
    /// When the turn was spoken, if the format says.
    pub time: Option<TimeSpan>,
}

/// Start and end of a timed turn, in milliseconds from the recording's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimeSpan {
    /// Start, in milliseconds.
    pub start_ms: u64,
    /// End, in milliseconds.
    pub end_ms: u64,
}

/// A note about one file that does not stop it being coded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Warning {
    /// 1-based line, or 0 for the file as a whole.
    pub line: usize,
    /// What was noticed.
    pub message: String,
}

/// A parsed transcript.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Transcript {
    /// The path reported in outputs (relative to the input folder).
    pub path: String,
    /// The decoded text, BOM removed. All offsets point into it.
    pub text: String,
    /// Attributes from the front-matter block, keys in lower case.
    pub front_matter: BTreeMap<String, String>,
    /// Attributes of individual speakers given by the format (a survey's
    /// other columns), by speaker label.
    pub speaker_attributes: BTreeMap<String, BTreeMap<String, String>>,
    /// Speaker turns in file order.
    pub turns: Vec<Turn>,
    /// Things worth telling the user.
    pub warnings: Vec<Warning>,
    /// The labels found at line starts, taken as speakers or not, and why.
    #[serde(default)]
    pub labels: Vec<SpeakerLabel>,
    /// The body's words by role.
    #[serde(default)]
    pub words: Words,
}

/// The coding unit: the span of text a code is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    /// A whole speaker turn.
    #[default]
    Turn,
    /// A run of non-blank lines within a turn.
    Paragraph,
    /// A sentence (Unicode sentence boundaries) within a paragraph.
    Sentence,
}

impl Transcript {
    /// Parses decoded text. `path` is what outputs call the file.
    ///
    /// Fails only when the front matter is opened and never closed; anything
    /// else odd becomes a [`Warning`].
    pub fn parse(
        path: &str,
        text: String,
        options: &ParseOptions,
    ) -> Result<Transcript, FormatError> {
        let mut warnings = Vec::new();
        let lines = lines_of(&text);
        let (front_matter, body_from) = front_matter(&lines, &text, &mut warnings)?;
        let body = turns(&lines[body_from..], &text, options, &mut warnings, None);
        let labels = body.labels;
        let turns =
            limits::split_long_turns(&text, body.turns, options.max_turn_bytes, &mut warnings);
        let words = Words::of(&text, &turns, body.uncoded);
        warnings.extend(share_warning(&words, &turns));
        Ok(Transcript {
            path: path.to_string(),
            text,
            front_matter,
            speaker_attributes: BTreeMap::new(),
            turns,
            warnings,
            labels,
            words,
        })
    }

    /// Builds a transcript from turns a format reader found in `text`.
    pub fn from_turns(
        path: &str,
        text: String,
        turns: Vec<RawTurn>,
        mut warnings: Vec<Warning>,
        options: &ParseOptions,
    ) -> Transcript {
        let turns: Vec<Turn> = turns
            .into_iter()
            .enumerate()
            .map(|(i, raw)| Turn {
                index: i + 1,
                role: if options.is_interviewer(&raw.speaker) {
                    Role::Interviewer
                } else {
                    Role::Participant
                },
                speaker: raw.speaker,
                start: raw.start,
                end: raw.end,
                line: raw.line,
                time: raw.time,
            })
            .collect();
        let turns = limits::split_long_turns(&text, turns, options.max_turn_bytes, &mut warnings);
        let words = Words::of(&text, &turns, 0);
        warnings.extend(share_warning(&words, &turns));
        Transcript {
            path: path.to_string(),
            text,
            front_matter: BTreeMap::new(),
            speaker_attributes: BTreeMap::new(),
            turns,
            warnings,
            labels: Vec::new(),
            words,
        }
    }

    /// One respondent's answer as a transcript of one participant turn, the
    /// way a survey CSV's row is read (`formats::survey`): the turn is the
    /// answer with surrounding whitespace trimmed, spoken by `id`; an empty
    /// answer has no turn. The text is kept whole, so offsets point into
    /// `answer` as given. For coding texts that come one by one (a column
    /// of comments in a data frame) exactly as the CLI codes a survey.
    pub fn response(id: &str, answer: &str, options: &ParseOptions) -> Transcript {
        let trimmed = answer.trim();
        let start = answer.len() - answer.trim_start().len();
        let turns = if trimmed.is_empty() {
            Vec::new()
        } else {
            vec![RawTurn {
                speaker: id.to_string(),
                start,
                end: start + trimmed.len(),
                line: 1 + answer[..start].matches('\n').count(),
                time: None,
            }]
        };
        Transcript::from_turns(id, answer.to_string(), turns, Vec::new(), options)
    }

    /// The participant segments for a coding unit, as (turn index, start, end).
    pub fn segments(&self, unit: Unit) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for (i, turn) in self.turns.iter().enumerate() {
            if turn.role != Role::Participant || turn.start == turn.end {
                continue;
            }
            match unit {
                Unit::Turn => out.push((i, turn.start, turn.end)),
                Unit::Paragraph => {
                    for (s, e) in paragraphs(&self.text, turn.start, turn.end) {
                        out.push((i, s, e));
                    }
                }
                Unit::Sentence => {
                    for (ps, pe) in paragraphs(&self.text, turn.start, turn.end) {
                        for (s, e) in sentences(&self.text[ps..pe]) {
                            out.push((i, ps + s, ps + e));
                        }
                    }
                }
            }
        }
        out
    }

    /// Why turns with this speaker label are its turns: from
    /// [`Transcript::labels`], [`LabelWhy::Unlabelled`] for an empty label,
    /// and [`LabelWhy::Given`] for a label a format reader gave.
    pub fn label_why(&self, speaker: &str) -> LabelWhy {
        if speaker.is_empty() {
            return LabelWhy::Unlabelled;
        }
        self.labels
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(speaker))
            .map_or(LabelWhy::Given, |l| l.why)
    }

    /// The labels of the participants' (non-interviewer) turns, in order of
    /// first appearance.
    pub fn participant_speakers(&self) -> Vec<&str> {
        // A survey has a speaker per respondent: a set keeps this linear.
        let mut seen = std::collections::HashSet::new();
        self.turns
            .iter()
            .filter(|t| t.role == Role::Participant && seen.insert(t.speaker.as_str()))
            .map(|t| t.speaker.as_str())
            .collect()
    }
}
