//! The transcript model: decoding, front matter, speaker turns and coding
//! segments. Applying a codebook to them is [`crate::coding`]'s job; this
//! module knows nothing of the matcher.
//!
//! A transcript may open with a front-matter block of participant attributes
//! between `---` lines. The body is speaker turns: a line `Label: text` starts
//! a turn, and following lines without a label continue it. Interviewer turns
//! are kept (they count in turn numbers) but never coded.
//!
//! Offsets here are byte offsets into [`Transcript::text`]; the codings CSV
//! converts them to code points with [`crate::textpos::CharIndex`].

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use regex::Regex;

use crate::error::FormatError;
use unicode_segmentation::UnicodeSegmentation;

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
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            interviewer_labels: DEFAULT_INTERVIEWER_LABELS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            speakers: None,
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
    /// The speaker label as written (empty for an unlabelled file).
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

/// A speaker label at the start of a line, in the forms transcribers use:
/// `Name:`, `**Name:**`, `**Name**:`, `[Name]`, `Name (00:01:23):`, and
/// `Name 00:01:23` alone on its line before the text.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"\p{L}[\p{L}\p{N} ._'’\-]{0,38}?";
    Regex::new(&format!(
        r"^[ \t]{{0,3}}(?:\*\*(?P<bold>{name})[ \t]*(?::\*\*|\*\*[ \t]*:)|\[(?P<square>{name})\][ \t]*:?|(?P<plain>{name}))(?:[ \t]*[(\[]?(?P<time>(?:\d{{1,2}}:)?\d{{1,2}}:\d{{2}})(?:[.,]\d{{1,3}})?[)\]]?)?[ \t]*(?P<colon>:)?(?:[ \t]+|$)"
    ))
    .unwrap()
});

/// A line that is only a time stamp, such as `(10.01 am)` or `[00:12:34]`:
/// not a turn, not text to code at the edges of a turn.
static TIME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*[(\[]?\s*\d{1,2}[.:]\d{2}(?:[.:]\d{2})?(?:[.,]\d{1,3})?\s*(?:[ap]\.?m\.?)?\s*[)\]]?\s*$").unwrap()
});

/// A speaker label found on a line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Label<'a> {
    name: &'a str,
    /// Byte offset in the line where the turn's text starts.
    text_at: usize,
    /// A time stamp given with the label, in milliseconds.
    time_ms: Option<u64>,
    /// Written in a form prose never takes (bold, brackets, a time stamp).
    explicit: bool,
}

fn label_of(line: &str) -> Option<Label<'_>> {
    let caps = LABEL.captures(line)?;
    let whole = caps.get(0)?;
    let colon = caps.name("colon").is_some();
    let time = caps.name("time");
    let name = if let Some(m) = caps.name("bold").or(caps.name("square")) {
        m.as_str()
    } else {
        // A plain name needs a colon, or a time stamp with nothing after it.
        if !colon && (time.is_none() || !line[whole.end()..].trim().is_empty()) {
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
        text_at: whole.end(),
        time_ms: time.and_then(|t| parse_clock(t.as_str())),
        explicit: time.is_some() || caps.name("plain").is_none(),
    })
}

/// Labels transcribers use for the person interviewed: `Participant`,
/// `Respondent`, `Interviewee`, `R`, `P`, `P7`, `R12`.
fn is_participant_label(label: &str) -> bool {
    let l = label.to_lowercase();
    matches!(
        l.as_str(),
        "participant" | "respondent" | "interviewee" | "r" | "p"
    ) || (l.len() > 1
        && (l.starts_with('p') || l.starts_with('r'))
        && l[1..].bytes().all(|b| b.is_ascii_digit()))
}

/// A line starting with exactly one of `speakers` and a colon.
fn exact_label<'a>(line: &'a str, speakers: &[String]) -> Option<Label<'a>> {
    speakers.iter().find_map(|s| {
        let rest = line.strip_prefix(s.as_str())?.strip_prefix(':')?;
        let text_at = line.len() - rest.trim_start_matches([' ', '\t']).len();
        Some(Label {
            name: &line[..s.len()],
            text_at,
            time_ms: None,
            explicit: true,
        })
    })
}

/// `HH:MM:SS` or `MM:SS` in milliseconds.
fn parse_clock(clock: &str) -> Option<u64> {
    let parts: Vec<u64> = clock
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let seconds = parts.iter().fold(0, |acc, p| acc * 60 + p);
    Some(seconds * 1000)
}

fn is_time_line(line: &str) -> bool {
    // What TIME_LINE needs first, checked cheaply: prose fails here.
    line.trim_start()
        .starts_with(|c: char| c == '(' || c == '[' || c.is_numeric())
        && TIME_LINE.is_match(line)
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
        let turns = turns(&lines[body_from..], &text, options, &mut warnings);
        Ok(Transcript {
            path: path.to_string(),
            text,
            front_matter,
            speaker_attributes: BTreeMap::new(),
            turns,
            warnings,
        })
    }

    /// Builds a transcript from turns a format reader found in `text`.
    pub fn from_turns(
        path: &str,
        text: String,
        turns: Vec<RawTurn>,
        warnings: Vec<Warning>,
        options: &ParseOptions,
    ) -> Transcript {
        let turns = turns
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
        Transcript {
            path: path.to_string(),
            text,
            front_matter: BTreeMap::new(),
            speaker_attributes: BTreeMap::new(),
            turns,
            warnings,
        }
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

    /// The labels of the participants' (non-interviewer) turns, in order of
    /// first appearance.
    pub fn participant_speakers(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for turn in self.turns.iter().filter(|t| t.role == Role::Participant) {
            if !out.contains(&turn.speaker.as_str()) {
                out.push(&turn.speaker);
            }
        }
        out
    }
}

/// A line of the text: byte start, byte end without the line break, and the
/// byte offset where the next line starts.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    number: usize,
}

/// Splits on LF, CRLF and lone CR.
fn lines_of(text: &str) -> Vec<Line> {
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

type FrontMatter = (BTreeMap<String, String>, usize);

/// A line of an unfenced header: `^([a-z][a-z0-9_]{1,30}):[ \t]*(.*?)\s*$`,
/// checked without a regex (this runs on the first lines of every file).
fn header_line(line: &str) -> Option<(&str, &str)> {
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
fn unfenced_header(lines: &[Line], text: &str) -> Option<FrontMatter> {
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

fn front_matter(
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

fn turns(
    lines: &[Line],
    text: &str,
    options: &ParseOptions,
    warnings: &mut Vec<Warning>,
) -> Vec<Turn> {
    // Candidate label lines: (line index, label).
    let candidates: Vec<(usize, Label)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let content = &text[line.start..line.end];
            match &options.speakers {
                Some(speakers) => exact_label(content, speakers).map(|l| (i, l)),
                None => label_of(content).map(|l| (i, l)),
            }
        })
        .collect();
    // A label used once in a file whose other labels recur, written plainly
    // right under a line of text, is prose ("Basically: …"), not a speaker.
    let mut counts: HashMap<String, usize> = HashMap::new();
    // With exact --speakers, every label is a speaker: nothing to count.
    for (_, label) in candidates.iter().filter(|_| options.speakers.is_none()) {
        *counts.entry(label.name.to_lowercase()).or_default() += 1;
    }
    let any_recurring = counts.values().any(|&n| n >= 2) && options.speakers.is_none();
    let starts: Vec<(usize, Label)> = candidates
        .into_iter()
        .filter(|(i, label)| {
            let after_text =
                *i > 0 && !text[lines[i - 1].start..lines[i - 1].end].trim().is_empty();
            !any_recurring
                || counts[&label.name.to_lowercase()] >= 2
                || options.is_interviewer(label.name)
                || is_participant_label(label.name)
                || label.explicit
                || !after_text
        })
        .collect();

    let body_start = lines.first().map_or(text.len(), |l| l.start);
    if starts.is_empty() {
        let (start, end) = trim_content(text, body_start, text.len());
        if start == end {
            return Vec::new();
        }
        let line = lines.iter().find(|l| l.end > start).map_or(1, |l| l.number);
        warnings.push(Warning {
            line,
            message: "no speaker labels: the whole text is one participant turn".into(),
        });
        return vec![Turn {
            index: 1,
            speaker: String::new(),
            role: Role::Participant,
            start,
            end,
            line,
            time: None,
        }];
    }
    let first_label_at = lines[starts[0].0].start;
    let (s, e) = trim_content(text, body_start, first_label_at);
    if s < e {
        let line = lines.iter().find(|l| l.end > s).map_or(1, |l| l.number);
        warnings.push(Warning {
            line,
            message: "text before the first speaker label is not coded".into(),
        });
    }
    let mut turns = Vec::with_capacity(starts.len());
    for (k, (i, label)) in starts.iter().enumerate() {
        let region_end = starts
            .get(k + 1)
            .map_or(text.len(), |next| lines[next.0].start);
        let (start, end) = trim_content(text, lines[*i].start + label.text_at, region_end);
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
            index: k + 1,
            speaker: label.name.to_string(),
            role,
            start,
            end,
            line: lines[*i].number,
            time,
        });
    }
    turns
}

/// Shrinks `start..end` to exclude surrounding whitespace.
fn trim_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let slice = &text[start..end];
    let trimmed_start = slice.len() - slice.trim_start().len();
    if trimmed_start == slice.len() {
        return (start, start);
    }
    (start + trimmed_start, start + slice.trim_end().len())
}

/// Like [`trim_span`], and also drops lines that are only a time stamp at
/// either end.
fn trim_content(text: &str, start: usize, end: usize) -> (usize, usize) {
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
fn paragraphs(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
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
fn sentences(paragraph: &str) -> Vec<(usize, usize)> {
    let flat: String = paragraph
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    flat.split_sentence_bound_indices()
        .map(|(i, s)| trim_span(&flat, i, i + s.len()))
        .filter(|(s, e)| s < e)
        .collect()
}

/// How a file's bytes became text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// Text, with a note when it was not plain UTF-8.
    Text(String, Option<String>),
    /// Not a transcript; the reason.
    Skip(String),
}

/// Like [`decode`], taking the bytes: UTF-8 without a BOM (the usual case)
/// becomes the text without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Decoded {
    if encoding_rs::Encoding::for_bom(&bytes).is_some() || memchr::memchr(0, &bytes).is_some() {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) if !text.is_empty() => Decoded::Text(text, None),
        Ok(_) => decode(b""),
        Err(err) => decode(err.as_bytes()),
    }
}

/// Decodes a transcript's bytes: UTF-8 with or without BOM, UTF-16 with a
/// BOM, and Windows-1252 for anything that is not valid UTF-8.
pub fn decode(bytes: &[u8]) -> Decoded {
    if bytes.is_empty() {
        return Decoded::Skip("empty file".into());
    }
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        let note = (encoding != encoding_rs::UTF_8 || had_errors)
            .then(|| format!("decoded as {}", encoding.name()));
        return Decoded::Text(text.into_owned(), note);
    }
    if memchr::memchr(0, bytes).is_some() {
        return Decoded::Skip("binary file (contains NUL bytes)".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded::Text(text.to_string(), None),
        Err(err) => {
            let line = bytes[..err.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Decoded::Text(
                text.into_owned(),
                Some(format!(
                    "not valid UTF-8 (first bad byte on line {line}); read as Windows-1252"
                )),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Transcript {
        Transcript::parse("t.txt", text.to_string(), &ParseOptions::default()).unwrap()
    }

    fn turn_texts(t: &Transcript) -> Vec<(String, Role, String)> {
        t.turns
            .iter()
            .map(|u| {
                (
                    u.speaker.clone(),
                    u.role,
                    t.text[u.start..u.end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn header_lines_are_what_the_key_value_regex_says() {
        let re = Regex::new(r"^([a-z][a-z0-9_]{1,30}):[ \t]*(.*?)\s*$").unwrap();
        let lines = [
            "participant: P0001",
            "level:strategic",
            "area:  2  \r",
            "site_2:\tNorth ",
            "sector: social care: adults",
            "x: too short",
            "Level: capitalised",
            "2nd: digit first",
            "a_very_long_key_of_thirty_one_c: yes",
            "a_very_long_key_of_thirty_two_ch: no",
            "key with space: no",
            "note:\u{a0}nbsp kept, trailing\u{2003}",
            "empty:",
            "no colon here",
            "Interviewer: hello",
            "i: short",
        ];
        for line in lines {
            let want = re
                .captures(line)
                .map(|c| (c.get(1).unwrap().as_str(), c.get(2).unwrap().as_str()));
            assert_eq!(header_line(line), want, "{line:?}");
        }
    }

    #[test]
    fn front_matter_becomes_attributes_and_is_not_a_turn() {
        let t = parse(
            "---\nparticipant: P07\nLevel: operational\nsector: social care\n---\n\nI: Hello?\nP07: Hi.\n",
        );
        assert_eq!(t.front_matter["participant"], "P07");
        assert_eq!(t.front_matter["level"], "operational");
        assert_eq!(t.front_matter["sector"], "social care");
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[0].line, 7);
    }

    #[test]
    fn unclosed_front_matter_is_an_error_on_line_one() {
        let err = Transcript::parse(
            "t.txt",
            "---\na: b\nI: x\n".into(),
            &ParseOptions::default(),
        )
        .unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn continuation_lines_belong_to_the_turn_and_interviewer_is_recognised() {
        let t = parse(
            "Interviewer: First question\nover two lines?\nParticipant: An answer\n\nthat goes on.\nINT: Next?\nParticipant: Yes.",
        );
        assert_eq!(
            turn_texts(&t),
            [
                (
                    "Interviewer".into(),
                    Role::Interviewer,
                    "First question\nover two lines?".into()
                ),
                (
                    "Participant".into(),
                    Role::Participant,
                    "An answer\n\nthat goes on.".into()
                ),
                ("INT".into(), Role::Interviewer, "Next?".into()),
                ("Participant".into(), Role::Participant, "Yes.".into()),
            ]
        );
        assert_eq!(
            t.turns.iter().map(|u| u.index).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
    }

    #[test]
    fn crlf_and_lone_cr_split_lines() {
        let t = parse("I: Q?\r\nR: A\r\nmore\rR: B");
        assert_eq!(
            turn_texts(&t).into_iter().map(|x| x.2).collect::<Vec<_>>(),
            ["Q?", "A\r\nmore", "B"]
        );
    }

    #[test]
    fn extra_interviewer_labels_are_honoured() {
        let options = ParseOptions::with_interviewers(&["Researcher"]);
        let t = Transcript::parse("t", "Researcher: Q\nNurse: A\n".into(), &options).unwrap();
        assert_eq!(t.turns[0].role, Role::Interviewer);
        assert_eq!(t.turns[1].role, Role::Participant);
    }

    #[test]
    fn a_one_off_label_inside_an_answer_is_prose() {
        let t = parse("I: Q?\nP: Well.\nBasically: it was hard.\nI: Why?\nP: Money.\n");
        assert_eq!(t.turns.len(), 4);
        assert_eq!(
            &t.text[t.turns[1].start..t.turns[1].end],
            "Well.\nBasically: it was hard."
        );
    }

    #[test]
    fn unlabelled_file_is_one_participant_turn_with_a_warning() {
        let t = parse("\nJust some text\nabout care.\n\n");
        assert_eq!(
            turn_texts(&t),
            [(
                String::new(),
                Role::Participant,
                "Just some text\nabout care.".into()
            )]
        );
        assert_eq!(t.warnings[0].line, 2);
        assert!(t.warnings[0].message.contains("no speaker labels"));
    }

    #[test]
    fn times_and_urls_are_not_labels() {
        let t = parse("I: Q?\nP: At\n10:30 we met, see https://example.org\nI: ok\nP: fine");
        assert_eq!(t.turns.len(), 4);
    }

    #[test]
    fn label_variants_researchers_use_are_recognised() {
        let t = parse(
            "**Interviewer:** What do you do?\n**R**: I'm a nurse.\n[Interviewer] And?\n[R]: More.\n\
             Interviewer (00:01:23): Next?\nR (00:01:40): Yes.\nINTERVIEWER 00:02:05\nLast one?\nR 00:02:09\nDone.\n",
        );
        assert_eq!(
            turn_texts(&t),
            [
                (
                    "Interviewer".into(),
                    Role::Interviewer,
                    "What do you do?".into()
                ),
                ("R".into(), Role::Participant, "I'm a nurse.".into()),
                ("Interviewer".into(), Role::Interviewer, "And?".into()),
                ("R".into(), Role::Participant, "More.".into()),
                ("Interviewer".into(), Role::Interviewer, "Next?".into()),
                ("R".into(), Role::Participant, "Yes.".into()),
                ("INTERVIEWER".into(), Role::Interviewer, "Last one?".into()),
                ("R".into(), Role::Participant, "Done.".into()),
            ]
        );
        let times: Vec<Option<(u64, u64)>> = t
            .turns
            .iter()
            .map(|u| u.time.map(|s| (s.start_ms, s.end_ms)))
            .collect();
        assert_eq!(times[4], Some((83_000, 100_000)));
        assert_eq!(times[7], Some((129_000, 129_000)));
        assert_eq!(times[0], None);
    }

    #[test]
    fn an_unfenced_header_of_lower_case_keys_is_front_matter() {
        let t = parse(
            "participant: P0001\nlevel: strategic\nsector: health\n\nInterviewer: Q?\nParticipant: A.\n",
        );
        assert_eq!(t.front_matter["participant"], "P0001");
        assert_eq!(t.front_matter["sector"], "health");
        assert_eq!(t.turns.len(), 2);
        // A transcript that simply starts talking is not a header.
        let t = parse("interviewer: Hello?\nparticipant: Hi.\n\ninterviewer: Bye.\n");
        assert!(t.front_matter.is_empty());
        assert_eq!(t.turns.len(), 3);
    }

    #[test]
    fn exact_speakers_are_the_only_labels() {
        let options = ParseOptions {
            speakers: Some(vec!["Interviewer".into(), "Participant".into()]),
            ..ParseOptions::default()
        };
        let text = "Interviewer: Q?\nParticipant: One.\nparticipant: still one\nNurse: still one\n Participant: still one\n";
        let t = Transcript::parse("t", text.into(), &options).unwrap();
        assert_eq!(t.turns.len(), 2);
        assert_eq!(
            &t.text[t.turns[1].start..t.turns[1].end],
            "One.\nparticipant: still one\nNurse: still one\n Participant: still one"
        );
    }

    #[test]
    fn time_stamp_lines_are_not_turns_or_text_at_the_edges() {
        let t = parse(
            "(10.01 am)\nI: Hello?\n(10.02 am)\nP: Hi there.\n[00:12:34]\nI: Bye.\nP: Bye.\n",
        );
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
        assert_eq!(
            turn_texts(&t).into_iter().map(|x| x.2).collect::<Vec<_>>(),
            ["Hello?", "Hi there.", "Bye.", "Bye."]
        );
    }

    #[test]
    fn paragraphs_and_sentences_split_a_turn() {
        let t = parse("I: Q?\nP: One. Two\nstill two.\n\nThree!\n");
        let seg = |unit| {
            t.segments(unit)
                .into_iter()
                .map(|(_, s, e)| t.text[s..e].to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(seg(Unit::Turn), ["One. Two\nstill two.\n\nThree!"]);
        assert_eq!(seg(Unit::Paragraph), ["One. Two\nstill two.", "Three!"]);
        assert_eq!(seg(Unit::Sentence), ["One.", "Two\nstill two.", "Three!"]);
    }

    #[test]
    fn decode_handles_boms_and_falls_back_to_windows_1252() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi"), Decoded::Text("hi".into(), None));
        assert_eq!(
            decode(b"\xFF\xFEh\0i\0"),
            Decoded::Text("hi".into(), Some("decoded as UTF-16LE".into()))
        );
        let Decoded::Text(text, Some(note)) = decode(b"a\ncaf\xE9") else {
            panic!()
        };
        assert_eq!(text, "a\ncafé");
        assert!(note.contains("line 2"), "{note}");
        assert!(matches!(decode(b"a\0b"), Decoded::Skip(_)));
        assert!(matches!(decode(b""), Decoded::Skip(_)));
    }

    #[test]
    fn decode_owned_agrees_with_decode() {
        let cases: [&[u8]; 7] = [
            b"plain text\n",
            b"\xEF\xBB\xBFhi",
            b"\xFF\xFEh\0i\0",
            b"a\ncaf\xE9",
            b"a\0b",
            b"",
            "caf\u{e9} \u{2019}".as_bytes(),
        ];
        for bytes in cases {
            assert_eq!(decode_owned(bytes.to_vec()), decode(bytes), "{bytes:?}");
        }
    }
}
