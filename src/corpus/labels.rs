//! Speaker labels: what looks like one at the start of a line (the forms
//! transcribers use), which words never are speakers, and which candidates a
//! file's labels make speakers, with why ([`LabelWhy`]). Turns are built
//! from them in [`super::parse`].

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::ParseOptions;
use super::parse::Line;

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
    pub(super) time_ms: Option<u64>,
    /// Written in square brackets (`[Name]`), the form of stage directions
    /// (`[laughs]`) too.
    pub(super) square: bool,
    /// Written in bold (`**Name:**`).
    pub(super) bold: bool,
    /// Indented more than three spaces: only a known role is taken there
    /// (word processors indent whole turns; prose is indented too).
    pub(super) deep: bool,
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
fn never_speaker(name: &str, square: bool) -> bool {
    (square && name.starts_with(char::is_lowercase))
        || NEVER_SPEAKERS.iter().any(|w| w.eq_ignore_ascii_case(name))
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

/// What judging needs of the line where a label is first used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FirstUse {
    square: bool,
    bold: bool,
    timed: bool,
    /// The line is the body's first line with text.
    first_text: bool,
}

impl FirstUse {
    pub(super) fn of(label: &Label, first_text: bool) -> FirstUse {
        FirstUse {
            square: label.square,
            bold: label.bold,
            timed: label.time_ms.is_some(),
            first_text,
        }
    }
}

/// The labels seen so far, one entry per distinct label (by lower-case
/// name) in order of first use: what [`judge`] decides on. A whole file
/// fills it in [`judge_labels`]; a streamed one, line by line.
#[derive(Debug, Default)]
pub(super) struct Seen {
    index: HashMap<String, usize>,
    pub(super) labels: Vec<SpeakerLabel>,
    firsts: Vec<FirstUse>,
    /// Candidate lines in all.
    pub(super) candidates: usize,
}

impl Seen {
    /// A candidate label at `line`; the index of its label.
    pub(super) fn add(&mut self, label: &Label, line: usize, first_text: bool) -> usize {
        self.candidates += 1;
        let key = label.name.to_lowercase();
        let k = match self.index.get(&key) {
            Some(&k) => k,
            None => {
                self.index.insert(key, self.labels.len());
                self.labels.push(SpeakerLabel {
                    name: label.name.to_string(),
                    why: LabelWhy::Once,
                    line,
                    lines: 0,
                });
                self.firsts.push(FirstUse::of(label, first_text));
                self.labels.len() - 1
            }
        };
        self.labels[k].lines += 1;
        k
    }

    /// Decides which labels are speakers, and why.
    pub(super) fn judge(mut self, options: &ParseOptions) -> Vec<SpeakerLabel> {
        let uses_q = self.index.contains_key("q");
        let only_one = self.candidates == 1;
        for (entry, first) in self.labels.iter_mut().zip(&self.firsts) {
            let name = entry.name.as_str();
            entry.why = if options.speakers.is_some() {
                LabelWhy::Given
            } else if options.is_interviewer(name) {
                LabelWhy::Interviewer
            } else if is_participant_label(name) || (uses_q && name.eq_ignore_ascii_case("a")) {
                LabelWhy::KnownRole
            } else if never_speaker(name, first.square) {
                LabelWhy::NotASpeaker
            } else if entry.lines >= 2 {
                LabelWhy::Recurs
            } else if only_one && first.first_text {
                LabelWhy::OnlyLabel
            } else {
                LabelWhy::Once
            };
        }
        // A label used once, in bold or with a time stamp like a speaker taken
        // for another reason, is a speaker too.
        let (mut bold, mut timed) = (false, false);
        for (l, first) in self.labels.iter().zip(&self.firsts) {
            if l.why.taken() {
                bold |= first.bold;
                timed |= first.timed;
            }
        }
        for (l, first) in self.labels.iter_mut().zip(&self.firsts) {
            if l.why == LabelWhy::Once && (first.bold && bold || first.timed && timed) {
                l.why = LabelWhy::SameForm;
            }
        }
        self.labels
    }
}

/// Decides which label candidates are speakers: each distinct label (by
/// lower-case name) in order of first use, with why, and the index of each
/// candidate's label in that list.
pub(super) fn judge_labels(
    candidates: &[(usize, Label)],
    lines: &[Line],
    text: &str,
    options: &ParseOptions,
) -> (Vec<SpeakerLabel>, Vec<usize>) {
    // The first line with text, where a file's only label may be.
    let first_text = lines.iter().position(|l| has_text(&text[l.start..l.end]));
    let mut seen = Seen::default();
    let of_candidate = candidates
        .iter()
        .map(|(i, label)| seen.add(label, lines[*i].number, first_text == Some(*i)))
        .collect();
    (seen.judge(options), of_candidate)
}

/// A line with text: not blank, not only a time stamp.
pub(super) fn has_text(line: &str) -> bool {
    !line.trim().is_empty() && !is_time_line(line)
}
