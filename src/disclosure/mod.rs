//! Disclosure control: finding likely identifiers in transcripts (and in
//! any JSON, such as a learned model) and replacing them with consistent
//! pseudonyms.
//!
//! A [`Scanner`] is built once (the structured detectors of `detect.rs`,
//! the embedded name lists of `names.rs`, a study's own list of names
//! written in mint's pattern language, and an allow list) and then finds
//! [`Finding`]s in text: NHS numbers with a valid modulus-11 check digit, UK
//! phone numbers, email addresses, full UK postcodes, National Insurance
//! numbers, full dates, URLs, people (a title with a name, a known given
//! name or surname outside a sentence start, a full name), speaker labels
//! that look like real names, and the study list's entries.
//!
//! Findings never overlap: where two detectors claim the same text, the
//! study list wins, then the structured kinds, then people.
//!
//! [`redact`] turns findings into pseudonyms (`[PERSON 3]`, `[PLACE 2]`,
//! `[PHONE]`), the same original getting the same pseudonym across a study,
//! with an [`redact::OffsetMap`] between the redacted and the original text.
//! [`json`] scans every string of a JSON document by its path.
//!
//! Nothing here reads files or prints: the binary does.

mod detect;
pub mod json;
mod names;
pub mod redact;

use std::collections::HashSet;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::corpus::Transcript;
use crate::error::PatternError;

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An NHS number (ten digits, valid check digit).
    NhsNumber,
    /// A UK phone number.
    Phone,
    /// An email address.
    Email,
    /// A full UK postcode.
    Postcode,
    /// A National Insurance number.
    NiNumber,
    /// A full date (a date of birth, an admission).
    Date,
    /// A URL.
    Url,
    /// A person's name in the text.
    Person,
    /// A speaker label that looks like a real name.
    Speaker,
    /// An entry of the study's list of names (`--names`).
    Place,
}

impl Kind {
    /// Every kind, in output order.
    pub const ALL: [Kind; 10] = [
        Kind::NhsNumber,
        Kind::Phone,
        Kind::Email,
        Kind::Postcode,
        Kind::NiNumber,
        Kind::Date,
        Kind::Url,
        Kind::Person,
        Kind::Speaker,
        Kind::Place,
    ];

    /// The kind as written in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NhsNumber => "nhs_number",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::Postcode => "postcode",
            Kind::NiNumber => "ni_number",
            Kind::Date => "date",
            Kind::Url => "url",
            Kind::Person => "person",
            Kind::Speaker => "speaker",
            Kind::Place => "study_list",
        }
    }

    /// Whether the kind is found by its form (digits, `@`), not by a name.
    pub fn is_structured(self) -> bool {
        !matches!(self, Kind::Person | Kind::Speaker | Kind::Place)
    }

    /// The mask shown in excerpts, and the pseudonym of the kinds that are
    /// not numbered: `PHONE`, `NHS NUMBER`.
    pub fn mask(self) -> &'static str {
        match self {
            Kind::NhsNumber => "NHS NUMBER",
            Kind::Phone => "PHONE",
            Kind::Email => "EMAIL",
            Kind::Postcode => "POSTCODE",
            Kind::NiNumber => "NI NUMBER",
            Kind::Date => "DATE",
            Kind::Url => "URL",
            Kind::Person | Kind::Speaker => "PERSON",
            Kind::Place => "PLACE",
        }
    }
}

/// One likely identifier in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What it is.
    pub kind: Kind,
    /// Byte span in the text scanned.
    pub start: usize,
    /// End of the span, exclusive.
    pub end: usize,
    /// What identifies it across a study, for pseudonyms: a person's name
    /// in lower case without title or possessive, a study list entry as
    /// matched in lower case with spaces collapsed, else the text itself.
    pub key: String,
    /// For a study list entry written `person: PATTERN`: a person.
    pub person: bool,
}

/// A problem with a `--names` or `--allow` file.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}: {source}")]
pub struct ListError {
    /// The file.
    pub path: String,
    /// The 1-based line.
    pub line: usize,
    /// What is wrong with the pattern.
    #[source]
    pub source: PatternError,
}

/// A study's own names (`--names FILE`): one pattern of mint's pattern
/// language per line (`Ward 7`, `St Mary*`, `re:...`), `#` for comments.
/// A line `person: PATTERN` names a person (pseudonym `PERSON n`); every
/// other line a place or organisation (`PLACE n`).
#[derive(Debug, Clone, Default)]
pub struct StudyList {
    places: Option<Regex>,
    people: Option<Regex>,
    len: usize,
}

impl StudyList {
    /// Parses a list; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<StudyList, ListError> {
        let (mut places, mut people) = (Vec::new(), Vec::new());
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (pattern, into) = match line.strip_prefix("person:") {
                Some(rest) => (rest.trim(), &mut people),
                None => (
                    line.strip_prefix("place:").unwrap_or(line).trim(),
                    &mut places,
                ),
            };
            let regex = crate::pattern::to_regex(pattern)
                .and_then(|r| {
                    Regex::new(&r).map(|_| r).map_err(|e| PatternError::Regex {
                        pattern: pattern.to_string(),
                        message: e.to_string(),
                    })
                })
                .map_err(|source| ListError {
                    path: path.to_string(),
                    line: i + 1,
                    source,
                })?;
            into.push(format!("(?:{regex})"));
        }
        let join = |v: &[String]| {
            (!v.is_empty()).then(|| Regex::new(&v.join("|")).expect("each part compiled alone"))
        };
        Ok(StudyList {
            len: places.len() + people.len(),
            places: join(&places),
            people: join(&people),
        })
    }

    /// How many entries the list has.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Words and phrases that are not identifiers in a study (`--allow FILE`):
/// one per line, compared case-insensitively with a finding's whole text
/// and, for people, with each of its words; `#` for comments.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    entries: HashSet<String>,
}

impl AllowList {
    /// Parses a list.
    pub fn parse(text: &str) -> AllowList {
        AllowList {
            entries: text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(normalise)
                .collect(),
        }
    }

    /// Whether `text` is allowed.
    pub fn contains(&self, text: &str) -> bool {
        !self.entries.is_empty() && self.entries.contains(&normalise(text))
    }
}

/// Lower case, whitespace runs as one space.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The compiled detectors, built once and shared by every file.
#[derive(Debug, Clone)]
pub struct Scanner {
    structured: detect::Structured,
    study: StudyList,
    allow: AllowList,
}

/// A finding in a transcript, located for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The finding; its span is in [`Transcript::text`]. A speaker label's
    /// span is its first turn's start, empty.
    pub finding: Finding,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// The text around it with every identifier masked (`[PHONE]`), on
    /// one line.
    pub excerpt: String,
    /// The speaker label itself, for [`Kind::Speaker`].
    pub label: Option<String>,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new(StudyList::default(), AllowList::default())
    }
}

impl Scanner {
    /// A scanner with a study's list of names and its allow list.
    pub fn new(study: StudyList, allow: AllowList) -> Scanner {
        Scanner {
            structured: detect::Structured::new(),
            study,
            allow,
        }
    }

    /// The identifiers in `text`, in order, not overlapping.
    pub fn scan_text(&self, text: &str) -> Vec<Finding> {
        let mut raw: Vec<(Kind, usize, usize, bool)> = Vec::new();
        for (regex, person) in [(&self.study.places, false), (&self.study.people, true)] {
            if let Some(regex) = regex {
                raw.extend(
                    regex
                        .find_iter(text)
                        .filter(|m| !m.is_empty())
                        .map(|m| (Kind::Place, m.start(), m.end(), person)),
                );
            }
        }
        let mut structured = Vec::new();
        self.structured.find(text, &mut structured);
        raw.extend(structured.into_iter().map(|(k, s, e)| (k, s, e, false)));
        let allowed = |w: &str| self.allow.contains(w);
        let people = names::find(text, names::NameList::get(), &allowed);
        let mut keys: Vec<Option<String>> = vec![None; raw.len()];
        for p in people {
            raw.push((Kind::Person, p.start, p.end, true));
            keys.push(Some(p.key));
        }
        // Priority: study list, structured, people; then earliest, longest.
        let mut order: Vec<usize> = (0..raw.len()).collect();
        let rank = |k: Kind| match k {
            Kind::Place => 0,
            Kind::Person | Kind::Speaker => 2,
            _ => 1,
        };
        order.sort_by_key(|&i| (rank(raw[i].0), raw[i].1, std::cmp::Reverse(raw[i].2)));
        let mut taken: Vec<Finding> = Vec::new();
        for i in order {
            let (kind, start, end, person) = raw[i];
            let text_of = &text[start..end];
            if taken.iter().any(|f| f.start < end && start < f.end)
                || (kind != Kind::Person && self.allow.contains(text_of))
            {
                continue;
            }
            let key = keys[i].take().unwrap_or_else(|| normalise(text_of));
            taken.push(Finding {
                kind,
                start,
                end,
                key,
                person,
            });
        }
        taken.sort_by_key(|f| f.start);
        taken
    }

    /// Whether a speaker label looks like a real name.
    pub fn label_is_name(&self, label: &str) -> bool {
        names::label_is_name(label, names::NameList::get(), &|w| self.allow.contains(w))
    }

    /// The identifiers in a transcript's speech (every turn, the
    /// interviewer's too) and its speaker labels, in text order, located.
    pub fn scan_transcript(&self, t: &Transcript) -> Vec<Located> {
        let mut out = Vec::new();
        let mut labels_seen: HashSet<&str> = HashSet::new();
        let lines = Lines::new(t);
        for turn in &t.turns {
            if !turn.speaker.is_empty()
                && labels_seen.insert(&turn.speaker)
                && self.label_is_name(&turn.speaker)
            {
                out.push(Located {
                    finding: Finding {
                        kind: Kind::Speaker,
                        start: turn.start,
                        end: turn.start,
                        key: normalise(&turn.speaker),
                        person: true,
                    },
                    line: turn.line,
                    col: 1,
                    excerpt: format!(
                        "[PERSON]: {}",
                        excerpt_of(&t.text[turn.start..turn.end], 0, 0, &[])
                    ),
                    label: Some(turn.speaker.clone()),
                });
            }
            let text = &t.text[turn.start..turn.end];
            let found = self.scan_text(text);
            for f in &found {
                let (line, col) = lines.locate(turn, turn.start + f.start);
                out.push(Located {
                    excerpt: excerpt_of(text, f.start, f.end, &found),
                    finding: Finding {
                        start: turn.start + f.start,
                        end: turn.start + f.end,
                        ..f.clone()
                    },
                    line,
                    col,
                    label: None,
                });
            }
        }
        out
    }
}

/// Line and column of an offset in a transcript: counted in the text for
/// plain text (where the text is the file), from the turn's line for the
/// formats whose text is extracted (Word, ODT, captions).
struct Lines<'a> {
    text: &'a str,
}

impl<'a> Lines<'a> {
    fn new(t: &'a Transcript) -> Lines<'a> {
        Lines { text: &t.text }
    }

    fn locate(&self, turn: &crate::corpus::Turn, offset: usize) -> (usize, usize) {
        let count = |s: &str| memchr::memchr_iter(b'\n', s.as_bytes()).count();
        let before_turn = count(&self.text[..turn.start]) + 1;
        let within = count(&self.text[turn.start..offset]);
        // Plain text: the turn starts on its own line, or just after it
        // (a label alone on its line).
        let line = if before_turn == turn.line || before_turn == turn.line + 1 {
            before_turn + within
        } else {
            turn.line + within
        };
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        (line, self.text[line_start..offset].chars().count() + 1)
    }
}

/// Up to this many characters of context either side of a finding.
const CONTEXT: usize = 40;

/// The text around `start..end` of `text`, every finding in it masked, on
/// one line.
pub fn excerpt_of(text: &str, start: usize, end: usize, findings: &[Finding]) -> String {
    let from = back_chars(text, start, CONTEXT);
    let to = forward_chars(text, end, CONTEXT);
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut at = from;
    for f in findings.iter().filter(|f| f.end > from && f.start < to) {
        let s = f.start.max(at);
        out.push_str(&text[at..s]);
        out.push('[');
        out.push_str(f.kind.mask());
        out.push(']');
        at = f.end.max(s);
    }
    if at < to {
        out.push_str(&text[at..to]);
    }
    if to < text.len() {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn back_chars(text: &str, from: usize, n: usize) -> usize {
    text[..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

fn forward_chars(text: &str, from: usize, n: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| from + i)
}

#[cfg(test)]
mod tests;
