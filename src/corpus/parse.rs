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
    /// Written in a form prose never takes (bold, brackets, a time stamp).
    pub(super) explicit: bool,
}

pub(super) fn label_of(line: &str) -> Option<Label<'_>> {
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
            explicit: true,
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

pub(super) fn turns(
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
