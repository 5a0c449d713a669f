//! Reading a transcript's text: lines, the front matter, turns (from the
//! speaker labels [`super::labels`] takes), and the paragraphs and sentences
//! of a turn. Only the model ([`super::Transcript`]) calls into it.

use std::collections::BTreeMap;

use unicode_segmentation::UnicodeSegmentation;

use super::labels::{
    Label, SpeakerLabel, exact_label, is_participant_label, is_time_line, judge_labels, label_of,
};
use super::words::count_words;
use super::{DEFAULT_INTERVIEWER_LABELS, ParseOptions, Role, TimeSpan, Turn, Warning};
use crate::error::FormatError;

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
    fixed: Option<&Fixed>,
) -> Body {
    // Candidate label lines: (line index, label).
    let candidates: Vec<(usize, Label)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| candidate(&text[line.start..line.end], options).map(|l| (i, l)))
        .collect();
    let (labels, starts) = match fixed {
        // A window of a streamed file: the file's judgement holds.
        Some(fixed) => {
            let starts = candidates
                .into_iter()
                .filter(|(_, l)| fixed.taken.contains(&l.name.to_lowercase()))
                .collect();
            (Vec::new(), starts)
        }
        None => {
            let (labels, of_candidate) = judge_labels(&candidates, lines, text, options);
            let starts: Vec<(usize, Label)> = candidates
                .into_iter()
                .zip(of_candidate)
                .filter(|(_, k)| labels[*k].why.taken())
                .map(|(c, _)| c)
                .collect();
            (labels, starts)
        }
    };
    let carry = fixed.and_then(|f| f.carry.as_ref());
    // A window's edge inside the file is no turn's edge: a time stamp's line
    // is dropped only at a turn's.
    let (open_start, open_end) = fixed.map_or((false, false), |f| f.open);
    let trim = |start: usize, end: usize| {
        trim_content(
            text,
            start,
            end,
            open_start && start == 0,
            open_end && end == text.len(),
        )
    };
    let first_index = fixed.map_or(1, |f| f.next_index);

    let body_start = lines.first().map_or(text.len(), |l| l.start);
    let line_at = |from: usize, at: usize| {
        lines[from..]
            .iter()
            .find(|l| l.end > at)
            .map_or(1, |l| l.number)
    };
    // A window of a file with labels, before the first of them, is read as
    // the text before a first label.
    let labelled = fixed.is_some_and(|f| f.labelled);
    if starts.is_empty() && (carry.is_some() || !labelled) {
        let (start, end) = trim(body_start, text.len());
        if start == end {
            return Body {
                turns: Vec::new(),
                labels,
                uncoded: 0,
            };
        }
        if let Some(carry) = carry {
            return Body {
                turns: vec![continued(carry, start, end)],
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
    let interviewer_only = fixed.map_or_else(
        || starts.iter().all(|(_, l)| options.is_interviewer(l.name)),
        |f| f.interviewer_only,
    );
    let mut turns = Vec::with_capacity(starts.len() * (1 + usize::from(interviewer_only)));
    let first_label_at = starts.first().map_or(text.len(), |(i, _)| lines[*i].start);
    let (s, e) = trim(body_start, first_label_at);
    let mut uncoded = 0;
    let mut first_index = first_index;
    if let (true, Some(carry)) = (s < e, carry) {
        // The turn the last window ended in goes on.
        turns.push(continued(carry, s, e));
        first_index = carry.index;
    } else if s < e {
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
    let paragraph_mode = match fixed {
        Some(f) => f.paragraph_mode,
        None => interviewer_only && blank_separated(lines, text, &starts),
    };
    for (k, (i, label)) in starts.iter().enumerate() {
        let next = starts.get(k + 1).map_or(lines.len(), |n| n.0);
        let region_end = lines.get(next).map_or(text.len(), |l| l.start);
        let own_end = if interviewer_only {
            interviewer_end(lines, text, *i, next, paragraph_mode, label.text_at)
        } else {
            region_end
        };
        let (start, end) = trim(lines[*i].start + label.text_at, own_end);
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
            let (s, e) = trim(own_end, region_end);
            if s < e {
                turns.push(unlabelled(s, e, line_at(*i, s)));
            }
        }
    }
    for (k, turn) in turns.iter_mut().enumerate() {
        turn.index = first_index + k;
    }
    Body {
        turns,
        labels,
        uncoded,
    }
}

/// A label candidate on a line: a label that may start a turn.
pub(super) fn candidate<'a>(content: &'a str, options: &ParseOptions) -> Option<Label<'a>> {
    match &options.speakers {
        Some(speakers) => exact_label(content, speakers),
        None => label_of(content)
            .filter(|l| !l.deep || options.is_interviewer(l.name) || is_participant_label(l.name)),
    }
}

/// What a window of a streamed file takes from the whole file: which labels
/// are speakers, whether only the interviewer is labelled and paragraphs
/// are blank-separated, the turn the last window ended in, and the index of
/// the next turn.
#[derive(Debug, Clone)]
pub(super) struct Fixed {
    /// Lower-case names of the labels taken as speakers.
    pub(super) taken: std::collections::HashSet<String>,
    /// Whether any line of the file starts a turn.
    pub(super) labelled: bool,
    /// Whether the window starts, and ends, inside the file.
    pub(super) open: (bool, bool),
    pub(super) interviewer_only: bool,
    pub(super) paragraph_mode: bool,
    /// The last turn of the last window (its line absolute).
    pub(super) carry: Option<Turn>,
    /// The index the window's first new turn takes.
    pub(super) next_index: usize,
}

/// The rest of `carry`, cut at a window's edge: `start..end` of this window.
fn continued(carry: &Turn, start: usize, end: usize) -> Turn {
    Turn {
        start,
        end,
        speaker: carry.speaker.clone(),
        ..*carry
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
    judged_blank_separated(starts.iter().skip(1).map(|&(i, _)| blank(i - 1))).unwrap_or_else(|| {
        let mut runs = Runs::default();
        for i in 0..lines.len() {
            runs.line(blank(i));
        }
        runs.blank_separated()
    })
}

/// [`blank_separated`] by the labels: whether the line before each label
/// but the first is blank (`None` when there is no such label).
pub(super) fn judged_blank_separated(before: impl Iterator<Item = bool>) -> Option<bool> {
    let (mut after_blank, mut judged) = (0, 0);
    // The first label often follows a header and its blank line either way.
    for blank in before {
        judged += 1;
        after_blank += usize::from(blank);
    }
    (judged > 0).then_some(after_blank * 2 > judged)
}

/// [`blank_separated`] without labels to judge by: runs of blank lines
/// against lines of text, one line at a time.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Runs {
    runs: usize,
    text_lines: usize,
    last_blank: Option<bool>,
}

impl Runs {
    pub(super) fn line(&mut self, blank: bool) {
        if !blank {
            self.text_lines += 1;
        } else if self.last_blank == Some(false) {
            self.runs += 1;
        }
        self.last_blank = Some(blank);
    }

    /// A blank line for every eight lines of text will do.
    pub(super) fn blank_separated(&self) -> bool {
        self.runs * 8 >= self.text_lines
    }
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
/// either end, but at an end that is the edge of a window inside a turn
/// (`open_start`, `open_end`), not of the turn.
fn trim_content(
    text: &str,
    start: usize,
    end: usize,
    open_start: bool,
    open_end: bool,
) -> (usize, usize) {
    let (mut start, mut end) = trim_span(text, start, end);
    while start < end {
        let slice = &text[start..end];
        let bytes = slice.as_bytes();
        let first_end = memchr::memchr2(b'\n', b'\r', bytes).unwrap_or(slice.len());
        let last_start = memchr::memrchr2(b'\n', b'\r', bytes).map_or(0, |i| i + 1);
        if !open_start && is_time_line(&slice[..first_end]) {
            (start, end) = trim_span(text, start + first_end, end);
        } else if !open_end && is_time_line(&slice[last_start..]) {
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
