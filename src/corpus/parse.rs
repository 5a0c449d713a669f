//! Reading a transcript's text: lines, the front matter, speaker labels and
//! turns, and the paragraphs and sentences of a turn. Only the model
//! ([`super::Transcript`]) calls into it.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

use super::{DEFAULT_INTERVIEWER_LABELS, ParseOptions, Role, TimeSpan, Turn, Warning};
use crate::error::FormatError;

/// A speaker label at the start of a line, in the forms transcribers use:
/// `Name:`, `**Name:**`, `**Name**:`, `[Name]`, `Name (00:01:23):`, and
/// `Name 00:01:23` alone on its line before the text.
pub(super) static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"\p{L}[\p{L}\p{N} ._'’\-]{0,38}?";
    Regex::new(&format!(
        r"^[ \t]{{0,3}}(?:\*\*(?P<bold>{name})[ \t]*(?::\*\*|\*\*[ \t]*:)|\[(?P<square>{name})\][ \t]*:?|(?P<plain>{name}))(?:[ \t]*[(\[]?(?P<time>(?:\d{{1,2}}:)?\d{{1,2}}:\d{{2}})(?:[.,]\d{{1,3}})?[)\]]?)?[ \t]*(?P<colon>:)?(?:[ \t]+|$)"
    ))
    .unwrap()
});

/// A line that is only a time stamp, such as `(10.01 am)` or `[00:12:34]`:
/// not a turn, not text to code at the edges of a turn.
pub(super) static TIME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*[(\[]?\s*\d{1,2}[.:]\d{2}(?:[.:]\d{2})?(?:[.,]\d{1,3})?\s*(?:[ap]\.?m\.?)?\s*[)\]]?\s*$").unwrap()
});

/// A speaker label found on a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Label<'a> {
    pub(super) name: &'a str,
    /// Byte offset in the line where the turn's text starts.
    pub(super) text_at: usize,
    /// A time stamp given with the label, in milliseconds.
    time_ms: Option<u64>,
    /// Written in square brackets (`[Name]`), the form of stage directions
    /// (`[laughs]`) too.
    square: bool,
    /// Written in bold (`**Name:**`).
    bold: bool,
    /// Indented more than three spaces: only a known role is taken there
    /// (word processors indent whole turns; prose is indented too).
    deep: bool,
}

pub(super) fn label_of(line: &str) -> Option<Label<'_>> {
    let body = line.trim_start_matches([' ', '\t']);
    let indent = line.len() - body.len();
    let caps = LABEL.captures(body)?;
    if caps.name("plain").is_some() && caps.name("colon").is_none() && caps.name("time").is_none() {
        // The regex's lazy name stops at the first space: `Speaker 1:` and
        // `Dr Khan:` are found here, with a byte check, not a second regex.
        return plain_colon_label(body).map(|mut label| {
            label.text_at += indent;
            label.deep = indent > 3;
            label
        });
    }
    let whole = caps.get(0)?;
    let colon = caps.name("colon").is_some();
    let time = caps.name("time");
    let name = if let Some(m) = caps.name("bold").or(caps.name("square")) {
        m.as_str()
    } else {
        // A plain name needs a colon, or a time stamp with nothing after it.
        if !colon && (time.is_none() || !body[whole.end()..].trim().is_empty()) {
            return None;
        }
        caps.name("plain")?.as_str()
    };
    let name = name.trim();
    if name.split_whitespace().count() > 4 {
        return None;
    }
    Some(Label {
        name,
        text_at: indent + whole.end(),
        time_ms: time.and_then(|t| parse_clock(t.as_str())),
        square: caps.name("square").is_some(),
        bold: caps.name("bold").is_some(),
        deep: indent > 3,
    })
}

/// `Name: text` where the name has several words: up to 39 bytes of
/// letters, digits, spaces and `._'’-` starting with a letter, then a colon
/// and a space or the end of the line.
fn plain_colon_label(body: &str) -> Option<Label<'_>> {
    let colon = memchr::memchr(b':', &body.as_bytes()[..body.len().min(48)])?;
    let name = body[..colon].trim_end_matches([' ', '\t']);
    let after = &body[colon + 1..];
    let name_like = name.len() < 40
        && name.starts_with(char::is_alphabetic)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '\'' | '’' | '-'));
    if !name_like || !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    if name.split_whitespace().count() > 4 {
        return None;
    }
    Some(Label {
        name,
        text_at: body.len() - after.trim_start_matches([' ', '\t']).len(),
        time_ms: None,
        square: false,
        bold: false,
        deep: false,
    })
}

/// Words that start a line with a colon but never name a speaker: discourse
/// words (`And:`, `So:`), document words (`Question:`, `Answer:`, `Note:`,
/// `Date:`) and stage directions (`[Laughs]`, `[Inaudible]`, `[As read]`).
/// Compared case-insensitively.
const NEVER_SPEAKERS: &[&str] = &[
    "also",
    "and",
    "answer",
    "answers",
    "as read",
    "background noise",
    "basically",
    "because",
    "but",
    "comment",
    "context",
    "cross talk",
    "crosstalk",
    "date",
    "duration",
    "e.g",
    "edit",
    "eg",
    "end",
    "example",
    "i.e",
    "ie",
    "inaudible",
    "laughs",
    "laughter",
    "location",
    "nb",
    "no",
    "note",
    "notes",
    "ok",
    "okay",
    "or",
    "overlapping",
    "pause",
    "ps",
    "question",
    "questions",
    "redacted",
    "sic",
    "silence",
    "so",
    "start",
    "summary",
    "then",
    "time",
    "title",
    "unclear",
    "update",
    "well",
    "yes",
];

/// A label that is never a speaker: one of [`NEVER_SPEAKERS`], or a
/// bracketed name in lower case (`[laughs]`, `[pause]`).
fn never_speaker(label: &Label) -> bool {
    (label.square && label.name.starts_with(char::is_lowercase))
        || NEVER_SPEAKERS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(label.name))
}

/// Labels transcribers use for the person interviewed: `Participant`,
/// `Respondent`, `Interviewee`, `R`, `P`, `P7`, `R12`.
pub(super) fn is_participant_label(label: &str) -> bool {
    let l = label.to_lowercase();
    matches!(
        l.as_str(),
        "participant" | "respondent" | "interviewee" | "r" | "p"
    ) || (l.len() > 1
        && (l.starts_with('p') || l.starts_with('r'))
        && l[1..].bytes().all(|b| b.is_ascii_digit()))
}

/// A line starting with exactly one of `speakers` and a colon.
pub(super) fn exact_label<'a>(line: &'a str, speakers: &[String]) -> Option<Label<'a>> {
    speakers.iter().find_map(|s| {
        let rest = line.strip_prefix(s.as_str())?.strip_prefix(':')?;
        let text_at = line.len() - rest.trim_start_matches([' ', '\t']).len();
        Some(Label {
            name: &line[..s.len()],
            text_at,
            time_ms: None,
            square: false,
            bold: false,
            deep: false,
        })
    })
}

/// `HH:MM:SS` or `MM:SS` in milliseconds.
pub(super) fn parse_clock(clock: &str) -> Option<u64> {
    let parts: Vec<u64> = clock
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let seconds = parts.iter().fold(0, |acc, p| acc * 60 + p);
    Some(seconds * 1000)
}

pub(super) fn is_time_line(line: &str) -> bool {
    // What TIME_LINE needs first, checked cheaply: prose fails here.
    line.trim_start()
        .starts_with(|c: char| c == '(' || c == '[' || c.is_numeric())
        && TIME_LINE.is_match(line)
}

/// A line of the text: byte start, byte end without the line break, and the
/// byte offset where the next line starts.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) number: usize,
}

/// Splits on LF, CRLF and lone CR.
pub(super) fn lines_of(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 64);
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if i < start {
            // The LF of a CRLF, already taken.
            continue;
        }
        lines.push(Line {
            start,
            end: i,
            number: lines.len() + 1,
        });
        start = i + 1;
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            start += 1;
        }
    }
    if start < bytes.len() {
        lines.push(Line {
            start,
            end: bytes.len(),
            number: lines.len() + 1,
        });
    }
    lines
}

pub(super) type FrontMatter = (BTreeMap<String, String>, usize);

/// A line of an unfenced header: `^([a-z][a-z0-9_]{1,30}):[ \t]*(.*?)\s*$`,
/// checked without a regex (this runs on the first lines of every file).
pub(super) fn header_line(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let bytes = key.as_bytes();
    let key_like = (2..=31).contains(&bytes.len())
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    key_like.then(|| (key, value.trim_start_matches([' ', '\t']).trim_end()))
}

/// A header without `---` fences: two or more `key: value` lines with
/// lower-case keys (`participant: P0001`, `level: strategic`) at the top of
/// the file, ended by a blank line. Speaker labels are capitalised or short
/// (`Interviewer:`, `I:`), so they are not mistaken for one.
pub(super) fn unfenced_header(lines: &[Line], text: &str) -> Option<FrontMatter> {
    let mut attrs = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let content = &text[line.start..line.end];
        if content.trim().is_empty() {
            let body_follows = lines[i..]
                .iter()
                .any(|l| !text[l.start..l.end].trim().is_empty());
            return (attrs.len() >= 2 && body_follows).then_some((attrs, i + 1));
        }
        let (key, value) = header_line(content)?;
        if DEFAULT_INTERVIEWER_LABELS.contains(&key) {
            return None;
        }
        attrs.insert(key.to_string(), value.to_string());
    }
    None
}

pub(super) fn front_matter(
    lines: &[Line],
    text: &str,
    warnings: &mut Vec<Warning>,
) -> Result<FrontMatter, FormatError> {
    let mut attrs = BTreeMap::new();
    let Some(first) = lines.first() else {
        return Ok((attrs, 0));
    };
    if text[first.start..first.end].trim_end() != "---" {
        return Ok(unfenced_header(lines, text).unwrap_or((attrs, 0)));
    }
    for (i, line) in lines.iter().enumerate().skip(1) {
        let content = text[line.start..line.end].trim();
        if content == "---" {
            return Ok((attrs, i + 1));
        }
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        match content.split_once(':') {
            Some((key, value)) if !key.trim().is_empty() => {
                let key = key.trim().to_lowercase();
                let value = value.trim().trim_matches('"').to_string();
                if attrs.insert(key.clone(), value).is_some() {
                    warnings.push(Warning {
                        line: line.number,
                        message: format!("front matter repeats {key:?}; the last value is used"),
                    });
                }
            }
            _ => warnings.push(Warning {
                line: line.number,
                message: format!("front matter line is not `key: value`: {content:?}"),
            }),
        }
    }
    Err(FormatError {
        line: 1,
        message: "front matter opened with `---` is never closed".to_string(),
    })
}

/// Why a label at the start of a line was, or was not, taken as a speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LabelWhy {
    /// Taken: an interviewer label (the defaults, or `--interviewer`).
    Interviewer,
    /// Taken: a participant role (`Participant`, `Respondent`,
    /// `Interviewee`, `P`, `R`, `P7`, `R12`), or `A` in a file that uses `Q`.
    KnownRole,
    /// Taken: the label starts two or more lines of the file.
    Recurs,
    /// Taken: the file's only label, on its first line.
    OnlyLabel,
    /// Taken: used once, but written like the file's other speakers, in
    /// bold or with a time stamp (a focus-group member who spoke once).
    SameForm,
    /// Taken: named by `--speakers`, or by the file's format (a caption
    /// voice, a survey respondent).
    Given,
    /// Text without a label, taken as the participant's: a file with no
    /// labels, or the unlabelled paragraphs of a file that labels only the
    /// interviewer.
    Unlabelled,
    /// Not taken: the label starts one line only and is not a known role.
    Once,
    /// Not taken: a word that never names a speaker (`Question`, `Answer`,
    /// `Note`, `And`, `So`, a stage direction such as `[laughs]`).
    NotASpeaker,
}

impl LabelWhy {
    /// Whether lines with the label start turns.
    pub fn taken(self) -> bool {
        !matches!(self, LabelWhy::Once | LabelWhy::NotASpeaker)
    }

    /// A short phrase for tables: `recurs`, `known role`, `only label`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            LabelWhy::Interviewer => "interviewer",
            LabelWhy::KnownRole => "known role",
            LabelWhy::Recurs => "recurs",
            LabelWhy::OnlyLabel => "only label",
            LabelWhy::SameForm => "same form",
            LabelWhy::Given => "given",
            LabelWhy::Unlabelled => "unlabelled",
            LabelWhy::Once => "once, not a role",
            LabelWhy::NotASpeaker => "not a speaker word",
        }
    }
}

/// A label found at the start of lines of a file, taken as a speaker or not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SpeakerLabel {
    /// The label as first written.
    pub name: String,
    /// Whether it was taken, and why.
    pub why: LabelWhy,
    /// 1-based line of its first use.
    pub line: usize,
    /// How many lines start with it.
    pub lines: usize,
}

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
/// Unicode table; a no-break space joins two words).
pub(super) fn count_words(text: &str) -> u64 {
    let mut n = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        let space = b.is_ascii_whitespace();
        n += u64::from(!space && !in_word);
        in_word = !space;
    }
    n
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
    let spoken = words.participant + words.interviewer;
    if spoken < SHARE_MIN_WORDS || words.interviewer * 100 <= IMPLAUSIBLE_INTERVIEWER_SHARE * spoken
    {
        return None;
    }
    let line = turns
        .iter()
        .find(|t| t.role == Role::Interviewer)
        .map_or(0, |t| t.line);
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

/// Decides which label candidates are speakers: each distinct label (by
/// lower-case name) in order of first use, with why, and the index of each
/// candidate's label in that list.
fn judge_labels(
    candidates: &[(usize, Label)],
    lines: &[Line],
    text: &str,
    options: &ParseOptions,
) -> (Vec<SpeakerLabel>, Vec<usize>) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut labels: Vec<SpeakerLabel> = Vec::new();
    // The candidate where each label is first used.
    let mut first: Vec<usize> = Vec::new();
    let mut of_candidate = Vec::with_capacity(candidates.len());
    for (c, (i, label)) in candidates.iter().enumerate() {
        let key = label.name.to_lowercase();
        let k = *index.entry(key).or_insert_with(|| {
            labels.push(SpeakerLabel {
                name: label.name.to_string(),
                why: LabelWhy::Once,
                line: lines[*i].number,
                lines: 0,
            });
            first.push(c);
            labels.len() - 1
        });
        labels[k].lines += 1;
        of_candidate.push(k);
    }
    let uses_q = index.contains_key("q");
    // The first line with text, where a file's only label may be.
    let first_text = lines.iter().position(|l| {
        let line = &text[l.start..l.end];
        !line.trim().is_empty() && !is_time_line(line)
    });
    for (entry, &c) in labels.iter_mut().zip(&first) {
        let (i, label) = &candidates[c];
        let name = label.name;
        entry.why = if options.speakers.is_some() {
            LabelWhy::Given
        } else if options.is_interviewer(name) {
            LabelWhy::Interviewer
        } else if is_participant_label(name) || (uses_q && name.eq_ignore_ascii_case("a")) {
            LabelWhy::KnownRole
        } else if never_speaker(label) {
            LabelWhy::NotASpeaker
        } else if entry.lines >= 2 {
            LabelWhy::Recurs
        } else if candidates.len() == 1 && first_text == Some(*i) {
            LabelWhy::OnlyLabel
        } else {
            LabelWhy::Once
        };
    }
    // A label used once, in bold or with a time stamp like a speaker taken
    // for another reason, is a speaker too.
    let form = |c: usize| (candidates[c].1.bold, candidates[c].1.time_ms.is_some());
    let (mut bold, mut timed) = (false, false);
    for (l, &c) in labels.iter().zip(&first) {
        if l.why.taken() {
            bold |= form(c).0;
            timed |= form(c).1;
        }
    }
    for (l, &c) in labels.iter_mut().zip(&first) {
        let (b, t) = form(c);
        if l.why == LabelWhy::Once && (b && bold || t && timed) {
            l.why = LabelWhy::SameForm;
        }
    }
    (labels, of_candidate)
}

/// What [`turns`] finds in the body.
pub(super) struct Body {
    /// The speaker turns.
    pub(super) turns: Vec<Turn>,
    /// Every label found, with why it was or was not taken.
    pub(super) labels: Vec<SpeakerLabel>,
    /// Words before the first label that are in no turn.
    pub(super) uncoded: u64,
}

/// The speaker turns of the body (`lines`), and every label found with why
/// it was or was not taken.
///
/// A line starts a turn when its label is taken ([`judge_labels`]). When a
/// file labels participants, a line without a label continues the turn
/// before it. When it labels only the interviewer (a think-aloud or a
/// moderated session), an interviewer turn is its label's line (or, in a
/// file that separates paragraphs with blank lines, its paragraph) and the
/// unlabelled text after it, up to the next label, is a participant turn
/// with an empty speaker. Text before the first label that looks like a
/// header is reported and not coded; otherwise it is the participant's in
/// such a file, and reported and not coded in a file that labels
/// participants (whose it is cannot be told).
pub(super) fn turns(
    lines: &[Line],
    text: &str,
    options: &ParseOptions,
    warnings: &mut Vec<Warning>,
) -> Body {
    // Candidate label lines: (line index, label).
    let candidates: Vec<(usize, Label)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let content = &text[line.start..line.end];
            match &options.speakers {
                Some(speakers) => exact_label(content, speakers).map(|l| (i, l)),
                None => label_of(content)
                    .filter(|l| {
                        !l.deep || options.is_interviewer(l.name) || is_participant_label(l.name)
                    })
                    .map(|l| (i, l)),
            }
        })
        .collect();
    let (labels, of_candidate) = judge_labels(&candidates, lines, text, options);
    let starts: Vec<(usize, Label)> = candidates
        .into_iter()
        .zip(of_candidate)
        .filter(|(_, k)| labels[*k].why.taken())
        .map(|(c, _)| c)
        .collect();

    let body_start = lines.first().map_or(text.len(), |l| l.start);
    let line_at = |from: usize, at: usize| {
        lines[from..]
            .iter()
            .find(|l| l.end > at)
            .map_or(1, |l| l.number)
    };
    if starts.is_empty() {
        let (start, end) = trim_content(text, body_start, text.len());
        if start == end {
            return Body {
                turns: Vec::new(),
                labels,
                uncoded: 0,
            };
        }
        let line = line_at(0, start);
        warnings.push(Warning {
            line,
            message: "no speaker labels: the whole text is one participant turn".into(),
        });
        return Body {
            turns: vec![unlabelled(start, end, line)],
            labels,
            uncoded: 0,
        };
    }
    let interviewer_only = starts.iter().all(|(_, l)| options.is_interviewer(l.name));
    let mut turns = Vec::with_capacity(starts.len() * (1 + usize::from(interviewer_only)));
    let first_label_at = lines[starts[0].0].start;
    let (s, e) = trim_content(text, body_start, first_label_at);
    let mut uncoded = 0;
    if s < e {
        let line = line_at(0, s);
        let words = count_words(&text[s..e]);
        if !interviewer_only || looks_like_header(&text[s..e]) {
            uncoded = words;
        }
        if looks_like_header(&text[s..e]) {
            warnings.push(Warning {
                line,
                message: format!(
                    "{words} words before the first speaker label look like a header: not coded"
                ),
            });
        } else if interviewer_only {
            turns.push(unlabelled(s, e, line));
        } else {
            warnings.push(Warning {
                line,
                message: format!(
                    "{words} words before the first speaker label are not coded (whose they are is not known)"
                ),
            });
        }
    }
    let paragraph_mode = interviewer_only && blank_separated(lines, text, &starts);
    for (k, (i, label)) in starts.iter().enumerate() {
        let next = starts.get(k + 1).map_or(lines.len(), |n| n.0);
        let region_end = lines.get(next).map_or(text.len(), |l| l.start);
        let own_end = if interviewer_only {
            interviewer_end(lines, text, *i, next, paragraph_mode, label.text_at)
        } else {
            region_end
        };
        let (start, end) = trim_content(text, lines[*i].start + label.text_at, own_end);
        let role = if options.is_interviewer(label.name) {
            Role::Interviewer
        } else {
            Role::Participant
        };
        // A labelled time stamp runs until the next one.
        let time = label.time_ms.map(|start_ms| TimeSpan {
            start_ms,
            end_ms: starts[k + 1..]
                .iter()
                .find_map(|(_, l)| l.time_ms)
                .unwrap_or(start_ms),
        });
        turns.push(Turn {
            index: 0,
            speaker: label.name.to_string(),
            role,
            start,
            end,
            line: lines[*i].number,
            time,
        });
        if own_end < region_end {
            let (s, e) = trim_content(text, own_end, region_end);
            if s < e {
                turns.push(unlabelled(s, e, line_at(*i, s)));
            }
        }
    }
    for (k, turn) in turns.iter_mut().enumerate() {
        turn.index = k + 1;
    }
    Body {
        turns,
        labels,
        uncoded,
    }
}

/// A participant turn without a label.
fn unlabelled(start: usize, end: usize, line: usize) -> Turn {
    Turn {
        index: 1,
        speaker: String::new(),
        role: Role::Participant,
        start,
        end,
        line,
        time: None,
    }
}

/// Where an interviewer turn ends in a file that labels only the
/// interviewer: the end of its label's line, or of its paragraph in
/// `paragraph_mode`. A label alone on its line takes the next line (or
/// paragraph) as its text. `next` is the line index of the next label.
fn interviewer_end(
    lines: &[Line],
    text: &str,
    at: usize,
    next: usize,
    paragraph_mode: bool,
    text_at: usize,
) -> usize {
    let blank = |l: &Line| {
        let line = &text[l.start..l.end];
        line.trim().is_empty() || is_time_line(line)
    };
    let mut end = at;
    if text[lines[at].start + text_at..lines[at].end]
        .trim()
        .is_empty()
    {
        // The text is on the following lines.
        match (at + 1..next).find(|&j| !blank(&lines[j])) {
            Some(j) => end = j,
            None => return lines[at].end,
        }
    }
    if paragraph_mode {
        while end + 1 < next && !blank(&lines[end + 1]) {
            end += 1;
        }
    }
    lines[end].end
}

/// Whether the body separates paragraphs with blank lines (then a turn's
/// text may wrap over several lines) or writes one paragraph a line, as
/// word processors' text does. The evidence is the line before each label
/// but the first: blank in most turns of the first kind. Without a label to
/// judge by, a blank line for every eight lines of text will do.
fn blank_separated(lines: &[Line], text: &str, starts: &[(usize, Label)]) -> bool {
    let blank = |i: usize| text[lines[i].start..lines[i].end].trim().is_empty();
    let (mut after_blank, mut judged) = (0, 0);
    // The first label often follows a header and its blank line either way.
    for &(i, _) in starts.iter().skip(1) {
        judged += 1;
        after_blank += usize::from(blank(i - 1));
    }
    if judged > 0 {
        return after_blank * 2 > judged;
    }
    let (mut runs, mut text_lines) = (0, 0);
    for i in 0..lines.len() {
        if !blank(i) {
            text_lines += 1;
        } else if i > 0 && !blank(i - 1) {
            runs += 1;
        }
    }
    runs * 8 >= text_lines
}

/// Text that reads as a header rather than speech: at most ten lines, each
/// short (under 80 bytes) and none ending a sentence (`.`, `?`, `!`, `…`,
/// before any closing quote or bracket). A title, a date, `Interview 3`,
/// `Site: North` are headers; a paragraph of talk is not.
fn looks_like_header(text: &str) -> bool {
    let mut n = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        n += 1;
        let end = line.trim_end_matches(['"', '\'', '’', '”', ')', ']', '*']);
        if n > 10 || line.len() >= 80 || end.ends_with(['.', '?', '!', '…']) {
            return false;
        }
    }
    true
}

/// Shrinks `start..end` to exclude surrounding whitespace.
pub(super) fn trim_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let slice = &text[start..end];
    let trimmed_start = slice.len() - slice.trim_start().len();
    if trimmed_start == slice.len() {
        return (start, start);
    }
    (start + trimmed_start, start + slice.trim_end().len())
}

/// Like [`trim_span`], and also drops lines that are only a time stamp at
/// either end.
pub(super) fn trim_content(text: &str, start: usize, end: usize) -> (usize, usize) {
    let (mut start, mut end) = trim_span(text, start, end);
    while start < end {
        let slice = &text[start..end];
        let bytes = slice.as_bytes();
        let first_end = memchr::memchr2(b'\n', b'\r', bytes).unwrap_or(slice.len());
        let last_start = memchr::memrchr2(b'\n', b'\r', bytes).map_or(0, |i| i + 1);
        if is_time_line(&slice[..first_end]) {
            (start, end) = trim_span(text, start + first_end, end);
        } else if is_time_line(&slice[last_start..]) {
            (start, end) = trim_span(text, start, start + last_start);
        } else {
            break;
        }
    }
    (start, end)
}

/// Runs of non-blank lines in `start..end`, as absolute byte spans. A line
/// that is only a time stamp counts as blank.
pub(super) fn paragraphs(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for line in lines_of(&text[start..end]) {
        let (s, e) = (start + line.start, start + line.end);
        if text[s..e].trim().is_empty() || is_time_line(&text[s..e]) {
            out.extend(current.take());
        } else {
            current = Some(match current {
                Some((cs, _)) => (cs, e),
                None => (s, e),
            });
        }
    }
    out.extend(current);
    out.into_iter()
        .map(|(s, e)| trim_span(text, s, e))
        .collect()
}

/// Sentences of a paragraph, as byte spans relative to it. Line breaks inside
/// the paragraph do not end a sentence.
pub(super) fn sentences(paragraph: &str) -> Vec<(usize, usize)> {
    let flat: String = paragraph
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    flat.split_sentence_bound_indices()
        .map(|(i, s)| trim_span(&flat, i, i + s.len()))
        .filter(|(s, e)| s < e)
        .collect()
}
