//! Pseudonyms and redaction: each finding replaced by a pseudonym that is
//! the same for the same original across a whole study (`[PERSON 3]` for
//! one person in every file, `[PLACE 2]` for one study list entry; the
//! structured kinds by their kind alone, `[PHONE]`), with a map between
//! offsets of the redacted and the original text.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Finding, Kind};
use crate::corpus::Transcript;

/// The pseudonyms given so far in a study, numbered in the order their
/// originals were first met (so in path order: deterministic).
#[derive(Debug, Clone, Default)]
pub struct Pseudonyms {
    numbered: BTreeMap<(bool, String), usize>,
    people: usize,
    places: usize,
    key: Vec<KeyRow>,
}

/// One line of the key file: which original a pseudonym stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyRow {
    /// The pseudonym, as written in the text (`[PERSON 3]`).
    pub pseudonym: String,
    /// The kind of the first finding it was given for.
    pub kind: &'static str,
    /// The original, as first met.
    pub original: String,
}

impl Pseudonyms {
    /// An empty set: the first person will be `[PERSON 1]`.
    pub fn new() -> Pseudonyms {
        Pseudonyms::default()
    }

    /// The pseudonym of a finding whose text is `original`, without
    /// brackets (`PERSON 3`, `PHONE`).
    pub fn name_of(&mut self, f: &Finding, original: &str) -> String {
        let person = matches!(f.kind, Kind::Person | Kind::Speaker) || f.person;
        let name = if person || f.kind == Kind::Place {
            let next = if person {
                &mut self.people
            } else {
                &mut self.places
            };
            let n = *self
                .numbered
                .entry((person, f.key.clone()))
                .or_insert_with(|| {
                    *next += 1;
                    *next
                });
            format!("{} {n}", if person { "PERSON" } else { "PLACE" })
        } else {
            f.kind.mask().to_string()
        };
        let pseudonym = format!("[{name}]");
        let original = original.split_whitespace().collect::<Vec<_>>().join(" ");
        if !self
            .key
            .iter()
            .any(|r| r.pseudonym == pseudonym && r.original == original)
        {
            self.key.push(KeyRow {
                pseudonym,
                kind: f.kind.as_str(),
                original,
            });
        }
        name
    }

    /// The key: every pseudonym with its originals, in the order met.
    pub fn key(&self) -> &[KeyRow] {
        &self.key
    }
}

/// One replaced span: where it was and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edit {
    /// Span in the original text.
    pub original: (usize, usize),
    /// Span of the pseudonym in the redacted text.
    pub redacted: (usize, usize),
}

/// The replaced spans of a redacted text, in order: offsets outside them
/// shift by the length differences before them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// The edits, in text order.
    pub edits: Vec<Edit>,
}

impl OffsetMap {
    /// The offset in the original text of `offset` in the redacted one; an
    /// offset inside a pseudonym goes to the start of what it replaced.
    pub fn to_original(&self, offset: usize) -> usize {
        self.map(offset, |e| (e.redacted, e.original))
    }

    /// The offset in the redacted text of `offset` in the original; inside
    /// a replaced span, the pseudonym's start.
    pub fn to_redacted(&self, offset: usize) -> usize {
        self.map(offset, |e| (e.original, e.redacted))
    }

    /// `offset` moved from one side of the edits to the other: `sides`
    /// gives an edit's span on the side `offset` is on, then on the other.
    fn map(
        &self,
        offset: usize,
        sides: impl Fn(&Edit) -> ((usize, usize), (usize, usize)),
    ) -> usize {
        let mut shift: isize = 0;
        for e in &self.edits {
            let (from, to) = sides(e);
            if offset < from.0 {
                break;
            }
            if offset < from.1 {
                return to.0;
            }
            shift = to.1 as isize - from.1 as isize;
        }
        (offset as isize + shift) as usize
    }
}

/// `text` with each finding (in order, not overlapping) replaced by its
/// pseudonym in brackets, and the offset map.
pub fn redact_text(
    text: &str,
    findings: &[Finding],
    pseudonyms: &mut Pseudonyms,
) -> (String, OffsetMap) {
    let mut out = String::with_capacity(text.len());
    let mut map = OffsetMap::default();
    let mut at = 0;
    for f in findings {
        if f.start < at || f.end <= f.start {
            continue;
        }
        out.push_str(&text[at..f.start]);
        let name = pseudonyms.name_of(f, &text[f.start..f.end]);
        let start = out.len();
        out.push('[');
        out.push_str(&name);
        out.push(']');
        map.edits.push(Edit {
            original: (f.start, f.end),
            redacted: (start, out.len()),
        });
        at = f.end;
    }
    out.push_str(&text[at..]);
    (out, map)
}

/// A speaker label's pseudonym, as a label: `Person 3` (no brackets, so
/// that it still reads as a label).
pub fn label_pseudonym(label: &str, key: &str, pseudonyms: &mut Pseudonyms) -> String {
    let f = Finding {
        kind: Kind::Speaker,
        start: 0,
        end: 0,
        key: key.to_string(),
        person: true,
    };
    let name = pseudonyms.name_of(&f, label);
    let mut chars = name.chars();
    chars.next().map_or(String::new(), |c| {
        c.to_string() + &chars.as_str().to_lowercase()
    })
}

/// A redacted copy of a transcript: `findings` are in [`Transcript::text`]
/// (speaker labels as [`Kind::Speaker`] with the label in `labels`).
///
/// With `plain`, the transcript's text is the file (plain text): the copy
/// is that text with the findings and the flagged labels replaced, front
/// matter and layout kept. Otherwise (Word, ODT, captions, survey rows) the
/// copy is plain text with the same turns: `Label: text`, one turn a
/// paragraph.
pub fn redact_transcript(
    t: &Transcript,
    findings: &[Finding],
    flagged_labels: &BTreeMap<String, String>,
    plain: bool,
    pseudonyms: &mut Pseudonyms,
) -> String {
    if plain {
        return redact_in_place(t, findings, flagged_labels, pseudonyms).0;
    }
    let mut out = String::new();
    for turn in &t.turns {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        if !turn.speaker.is_empty() {
            match flagged_labels.get(&turn.speaker) {
                Some(key) => out.push_str(&label_pseudonym(&turn.speaker, key, pseudonyms)),
                None => out.push_str(&turn.speaker),
            }
            out.push_str(": ");
        }
        let inside: Vec<Finding> = findings
            .iter()
            .filter(|f| f.start >= turn.start && f.end <= turn.end && f.end > f.start)
            .map(|f| Finding {
                start: f.start - turn.start,
                end: f.end - turn.start,
                ..f.clone()
            })
            .collect();
        out.push_str(&redact_text(&t.text[turn.start..turn.end], &inside, pseudonyms).0);
    }
    out.push('\n');
    out
}

/// A transcript's whole text with `findings` and the flagged speaker
/// labels (where the text holds them, before their turns) replaced, and
/// the offset map from it to the original: for plain-text copies, and for
/// exports whose codings must be moved to the redacted text.
pub fn redact_in_place(
    t: &Transcript,
    findings: &[Finding],
    flagged_labels: &BTreeMap<String, String>,
    pseudonyms: &mut Pseudonyms,
) -> (String, OffsetMap) {
    let mut all: Vec<Finding> = findings
        .iter()
        .filter(|f| f.end > f.start)
        .cloned()
        .collect();
    let mut prev_end = 0;
    for turn in &t.turns {
        if let Some(key) = flagged_labels.get(&turn.speaker)
            && let Some(i) = t.text[prev_end..turn.start].rfind(turn.speaker.as_str())
        {
            let start = prev_end + i;
            all.push(Finding {
                kind: Kind::Speaker,
                start,
                end: start + turn.speaker.len(),
                key: key.clone(),
                person: true,
            });
        }
        prev_end = turn.end;
    }
    all.sort_by_key(|f| f.start);
    let text = &t.text;
    let mut out = String::with_capacity(text.len());
    let mut map = OffsetMap::default();
    let mut at = 0;
    for f in &all {
        if f.start < at {
            continue;
        }
        out.push_str(&text[at..f.start]);
        let original = &text[f.start..f.end];
        let start = out.len();
        if f.kind == Kind::Speaker {
            out.push_str(&label_pseudonym(original, &f.key, pseudonyms));
        } else {
            out.push('[');
            out.push_str(&pseudonyms.name_of(f, original));
            out.push(']');
        }
        map.edits.push(Edit {
            original: (f.start, f.end),
            redacted: (start, out.len()),
        });
        at = f.end;
    }
    out.push_str(&text[at..]);
    (out, map)
}
