//! Agreement between coding sets: how far two or more codings of the same
//! transcripts agree, code by code, theme by theme and overall.
//!
//! A coding set ([`CodingSet`]) is a list of codings ([`SetCoding`]: file,
//! span in code points, code id, coder), whoever made it: mint
//! ([`from_coded`]), or a human coder whose codings a reader of another
//! tool's export maps onto the same type. The sets are compared on the
//! transcripts they refer to ([`Source`]), aligned to units ([`align`]):
//!
//! * [`Grain::Segment`]: the participant segments of a coding unit (turn,
//!   paragraph, sentence). A segment carries code X for a set when any of
//!   that set's X codings overlaps it.
//! * [`Grain::Char`]: the code points of participant turns (the character
//!   comparison NVivo makes). Code points carrying the same codes for every
//!   set are collapsed into runs, each weighted by its length.
//!
//! [`figures`] then turns the alignment into the coefficients of
//! [`crate::stats`] per code, theme and overall, for each pair of sets and
//! across all, with bootstrap intervals over participants.
//!
//! This module reads no files: the binary (or a reader) builds the sets.

use std::collections::{BTreeMap, BTreeSet};

use crate::codebook::Codebook;
use crate::coding::Coded;
use crate::corpus::{Transcript, Unit};
use crate::textpos::CharIndex;

mod figures;
#[cfg(test)]
mod tests;

pub use figures::{
    BOOTSTRAP_REPLICATES, BOOTSTRAP_SEED, Comparison, Figures, Level, Row, Undefined, figures,
};

/// One coding: a code applied to a span of one transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCoding {
    /// The transcript's path, as [`Transcript::path`] gives it.
    pub file: String,
    /// Start of the span, in code points into [`Transcript::text`].
    pub start: usize,
    /// End of the span, exclusive, in code points.
    pub end: usize,
    /// The code's id in the set's codebook.
    pub code: String,
    /// Who coded it (a user of a QDA project, or the set's name).
    pub coder: String,
    /// Why it was coded, when a machine coded it: for mint, the pattern
    /// that fired.
    pub rule: Option<String>,
}

/// A code a set could use, from its codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCode {
    /// The code's id.
    pub id: String,
    /// Its theme's id.
    pub theme: String,
}

/// One coder's (or one run's) codings of a set of transcripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodingSet {
    /// What outputs call the set (the argument as typed).
    pub name: String,
    /// The codes of its codebook, in codebook order: every coding's code
    /// must be one of them.
    pub codes: Vec<SetCode>,
    /// The codings, in any order.
    pub codings: Vec<SetCoding>,
}

/// A transcript the sets refer to, with its participants' ids.
#[derive(Debug, Clone)]
pub struct Source {
    /// The parsed transcript.
    pub transcript: Transcript,
    /// The participant id of each participant speaker, in the order of
    /// [`Transcript::participant_speakers`].
    pub participants: Vec<String>,
}

/// What the sets are compared on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    /// Participant segments of a coding unit.
    Segment(Unit),
    /// Code points of participant turns.
    Char,
}

/// Why sets cannot be compared.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AgreeError {
    /// Fewer than two sets.
    #[error("agreement needs at least two coding sets, got {0}")]
    TooFewSets(usize),
    /// A coding names a file that is not among the transcripts.
    #[error("{set}: coding {row}: file {file:?} is not among the transcripts compared")]
    UnknownFile {
        /// The set.
        set: String,
        /// The coding's position in the set, from 1.
        row: usize,
        /// The file it names.
        file: String,
    },
    /// A coding's span runs past the end of its transcript, or backwards.
    #[error(
        "{set}: coding {row}: span {start}-{end} of {file} is not within its {length} code points"
    )]
    SpanOutside {
        /// The set.
        set: String,
        /// The coding's position in the set, from 1.
        row: usize,
        /// The file.
        file: String,
        /// The span's start.
        start: usize,
        /// The span's end.
        end: usize,
        /// The transcript's length in code points.
        length: usize,
    },
    /// A coding of a whole turn names a turn the transcripts do not have.
    #[error("{set}: coding {row}: turn {turn} of {whose} is not among the transcripts compared")]
    UnknownTurn {
        /// The set.
        set: String,
        /// The coding's position in the set, from 1.
        row: usize,
        /// The file, or the participant, it names.
        whose: String,
        /// The turn.
        turn: usize,
    },
    /// A coding's code is not in its set's codebook.
    #[error("{set}: coding {row}: code {code:?} is not in the set's codebook")]
    UnknownCode {
        /// The set.
        set: String,
        /// The coding's position in the set, from 1.
        row: usize,
        /// The code.
        code: String,
    },
    /// Two sets were made on different transcripts.
    #[error("{first} and {second} are over different transcripts: {why}")]
    DifferentTranscripts {
        /// One set.
        first: String,
        /// The other.
        second: String,
        /// The first difference.
        why: String,
    },
}

/// mint's codings of some transcripts as a coding set: each coding covers
/// the segment the code was applied to, and carries the pattern that fired
/// as its rule. `files` are the transcripts with their codings (from
/// [`crate::coding::code_with`] with `codings` kept), coded with
/// `codebook`.
pub fn from_coded(name: &str, codebook: &Codebook, files: &[(&Transcript, &Coded)]) -> CodingSet {
    let mut codings = Vec::new();
    for (transcript, coded) in files {
        let index = CharIndex::new(&transcript.text);
        for coding in &coded.codings {
            let code = &codebook.codes[coding.hit.code];
            codings.push(SetCoding {
                file: transcript.path.clone(),
                start: index.char_offset(coding.start),
                end: index.char_offset(coding.end),
                code: code.id.clone(),
                coder: name.to_string(),
                rule: code.patterns.get(coding.hit.pattern).cloned(),
            });
        }
    }
    CodingSet {
        name: name.to_string(),
        codes: SetCode::all(codebook),
        codings,
    }
}

impl SetCode {
    /// Every code of `codebook`, in codebook order.
    pub fn all(codebook: &Codebook) -> Vec<SetCode> {
        codebook
            .codes
            .iter()
            .map(|c| SetCode {
                id: c.id.clone(),
                theme: c.theme.clone(),
            })
            .collect()
    }
}

/// A coding of a whole turn, without a span (a `file,turn,code` or
/// `participant,turn,code` sheet): [`place_turns`] puts it on the turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnCoding {
    /// The coding's position in its set, from 1 (for errors).
    pub row: usize,
    /// The transcript's path, or empty when only the participant is known.
    pub file: String,
    /// The participant, when the file is not known.
    pub participant: String,
    /// The turn's 1-based index in its file.
    pub turn: usize,
    /// The code's id.
    pub code: String,
    /// Who coded it.
    pub coder: String,
}

/// Adds codings of whole turns to `set`, each spanning its turn's text (all
/// its pieces, when the turn was cut) in code points. A turn is found by
/// file and index, or, without a file, in the first transcript where that
/// turn is the participant's own: a turn someone else spoke is not theirs.
pub fn place_turns(
    set: &mut CodingSet,
    turns: Vec<TurnCoding>,
    sources: &[Source],
) -> Result<(), AgreeError> {
    // Built once per source, when first needed: a survey CSV is one source
    // with thousands of participants and turns.
    let mut indices: Vec<Option<CharIndex>> = sources.iter().map(|_| None).collect();
    // Each participant's speaker label, per source: a `participant,turn`
    // coding must name a turn that participant spoke.
    let speakers: Vec<BTreeMap<&str, &str>> = sources
        .iter()
        .map(|s| {
            s.participants
                .iter()
                .map(String::as_str)
                .zip(s.transcript.participant_speakers())
                .collect()
        })
        .collect();
    let pieces: Vec<BTreeMap<usize, (usize, usize, &str)>> = sources
        .iter()
        .map(|s| {
            let mut spans: BTreeMap<usize, (usize, usize, &str)> = BTreeMap::new();
            for u in &s.transcript.turns {
                let span = spans
                    .entry(u.index)
                    .or_insert((u.start, u.end, u.speaker.as_str()));
                *span = (span.0.min(u.start), span.1.max(u.end), span.2);
            }
            spans
        })
        .collect();
    for t in turns {
        let unknown = || AgreeError::UnknownTurn {
            set: set.name.clone(),
            row: t.row,
            whose: if t.file.is_empty() {
                format!("participant {:?}", t.participant)
            } else {
                t.file.clone()
            },
            turn: t.turn,
        };
        let found = (0..sources.len()).find_map(|i| {
            let (start, end, speaker) = *pieces[i].get(&t.turn)?;
            let here = if t.file.is_empty() {
                speakers[i].get(t.participant.as_str()) == Some(&speaker)
            } else {
                sources[i].transcript.path == t.file
            };
            here.then_some((i, (start, end)))
        });
        let (i, (start, end)) = found.ok_or_else(unknown)?;
        let text = &sources[i].transcript.text;
        let index = indices[i].get_or_insert_with(|| CharIndex::new(text));
        set.codings.push(SetCoding {
            file: sources[i].transcript.path.clone(),
            start: index.char_offset(start),
            end: index.char_offset(end),
            code: t.code,
            coder: t.coder,
            rule: None,
        });
    }
    Ok(())
}

/// Checks that two sets' transcripts are the same files with the same
/// text, in the same order.
pub fn same_transcripts(
    first: (&str, &[Source]),
    second: (&str, &[Source]),
) -> Result<(), AgreeError> {
    let differ = |why: String| AgreeError::DifferentTranscripts {
        first: first.0.to_string(),
        second: second.0.to_string(),
        why,
    };
    let paths = |sources: &[Source]| -> BTreeSet<String> {
        sources.iter().map(|s| s.transcript.path.clone()).collect()
    };
    let (a, b) = (paths(first.1), paths(second.1));
    if let Some(only) = a.symmetric_difference(&b).next() {
        let whose = if a.contains(only) { first.0 } else { second.0 };
        return Err(differ(format!("{only} is only in {whose}")));
    }
    for (x, y) in first.1.iter().zip(second.1) {
        if x.transcript.path != y.transcript.path {
            return Err(differ(format!(
                "{} and {} are in a different order",
                x.transcript.path, y.transcript.path
            )));
        }
        if x.transcript.text != y.transcript.text {
            return Err(differ(format!(
                "{} has a different text",
                x.transcript.path
            )));
        }
    }
    Ok(())
}

/// A code of the comparison: used by at least one set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlignedCode {
    /// The code's id.
    pub id: String,
    /// Its theme's id (from the first set whose codebook has it).
    pub theme: String,
    /// Which sets applied it at least once, by set.
    pub used_by: Vec<bool>,
}

/// One unit of the comparison: a segment, or a run of code points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Index into the sources.
    pub file: usize,
    /// Index into [`Alignment::participants`].
    pub participant: usize,
    /// Index into the transcript's turns.
    pub turn: usize,
    /// Byte span in the transcript's text.
    pub bytes: (usize, usize),
    /// The same span in code points.
    pub chars: (usize, usize),
    /// How many units it stands for: 1 for a segment, its length for a
    /// run of code points.
    pub weight: u64,
    /// Per set, the codes it carries (indices into [`Alignment::codes`],
    /// ascending).
    pub codes: Vec<Vec<usize>>,
    /// Per set, for each of its codes (in the order of `codes`), the rules
    /// of the codings that gave it, joined by ` | `; empty where the
    /// codings carry none.
    pub rules: Vec<Vec<String>>,
}

impl Item {
    /// Whether the sets differ on this unit.
    pub fn differs(&self) -> bool {
        self.codes.windows(2).any(|w| w[0] != w[1])
    }
}

/// Coding sets aligned to units.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// The sets' names, in order (the first is the reference).
    pub sets: Vec<String>,
    /// The codes any set used, sorted by theme then id.
    pub codes: Vec<AlignedCode>,
    /// The themes of those codes, sorted.
    pub themes: Vec<String>,
    /// Participant ids, sorted.
    pub participants: Vec<String>,
    /// The units, in file then text order.
    pub items: Vec<Item>,
}

impl Alignment {
    /// The items where the sets differ.
    pub fn disagreements(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|item| item.differs())
    }

    /// How many units sets `a` and `b` code differently at `level`: on any
    /// code (overall), on any code of the theme, or on the code. A theme's
    /// count includes units where both applied the theme through different
    /// codes, which its figures count as agreeing.
    pub fn disagreeing(&self, level: Level, a: usize, b: usize) -> usize {
        let within = |c: usize| match level {
            Level::Overall => true,
            Level::Theme(t) => self.codes[c].theme == self.themes[t],
            Level::Code(k) => c == k,
        };
        self.items
            .iter()
            .filter(|item| {
                let of = |s: usize| -> BTreeSet<usize> {
                    item.codes[s]
                        .iter()
                        .copied()
                        .filter(|&c| within(c))
                        .collect()
                };
                of(a) != of(b)
            })
            .count()
    }
}

/// A set's codings of one file: (start, end, code index, rule).
type FileCodings = Vec<(usize, usize, usize, Option<String>)>;

/// Aligns `sets` to the units of `grain` in `sources`, checking every
/// coding (its file, code and span) first.
pub fn align(
    sets: &[CodingSet],
    sources: &[Source],
    grain: Grain,
) -> Result<Alignment, AgreeError> {
    if sets.len() < 2 {
        return Err(AgreeError::TooFewSets(sets.len()));
    }
    let files: BTreeMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.transcript.path.as_str(), i))
        .collect();
    let lengths: Vec<usize> = sources
        .iter()
        .map(|s| s.transcript.text.chars().count())
        .collect();
    let (codes, themes) = code_list(sets);
    let code_index: BTreeMap<&str, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    // by_file[file][set]: that set's codings of that file, sorted.
    let mut by_file: Vec<Vec<FileCodings>> = vec![vec![Vec::new(); sets.len()]; sources.len()];
    for (s, set) in sets.iter().enumerate() {
        let known: BTreeSet<&str> = set.codes.iter().map(|c| c.id.as_str()).collect();
        for (row, coding) in set.codings.iter().enumerate() {
            let row = row + 1;
            let Some(&file) = files.get(coding.file.as_str()) else {
                return Err(AgreeError::UnknownFile {
                    set: set.name.clone(),
                    row,
                    file: coding.file.clone(),
                });
            };
            if !known.contains(coding.code.as_str()) {
                return Err(AgreeError::UnknownCode {
                    set: set.name.clone(),
                    row,
                    code: coding.code.clone(),
                });
            }
            if coding.start > coding.end || coding.end > lengths[file] {
                return Err(AgreeError::SpanOutside {
                    set: set.name.clone(),
                    row,
                    file: coding.file.clone(),
                    start: coding.start,
                    end: coding.end,
                    length: lengths[file],
                });
            }
            by_file[file][s].push((
                coding.start,
                coding.end,
                code_index[coding.code.as_str()],
                coding.rule.clone(),
            ));
        }
    }
    for per_set in &mut by_file {
        for codings in per_set {
            codings.sort();
        }
    }
    let participants: BTreeSet<&str> = sources
        .iter()
        .flat_map(|s| s.participants.iter().map(String::as_str))
        .collect();
    let participant_index: BTreeMap<&str, usize> = participants
        .iter()
        .enumerate()
        .map(|(i, p)| (*p, i))
        .collect();
    let mut items = Vec::new();
    for (f, source) in sources.iter().enumerate() {
        let transcript = &source.transcript;
        let index = CharIndex::new(&transcript.text);
        let speakers = transcript.participant_speakers();
        let unit = match grain {
            Grain::Segment(unit) => unit,
            Grain::Char => Unit::Turn,
        };
        let mut bases = Vec::new();
        for (turn, start, end) in transcript.segments(unit) {
            let who = speakers
                .iter()
                .position(|s| *s == transcript.turns[turn].speaker)
                .expect("a participant turn");
            let participant = source
                .participants
                .get(who)
                .map_or(0, |p| participant_index[p.as_str()]);
            bases.push(Item {
                file: f,
                participant,
                turn,
                bytes: (start, end),
                chars: (index.char_offset(start), index.char_offset(end)),
                weight: 1,
                codes: Vec::new(),
                rules: Vec::new(),
            });
        }
        let spans: Vec<(usize, usize)> = bases.iter().map(|b| b.chars).collect();
        // assigned[set][segment]: the set's codings overlapping it.
        let assigned: Vec<Vec<Vec<usize>>> = by_file[f]
            .iter()
            .map(|codings| assign(&spans, codings))
            .collect();
        for (k, base) in bases.into_iter().enumerate() {
            let chosen: Vec<&[usize]> = assigned.iter().map(|a| a[k].as_slice()).collect();
            match grain {
                Grain::Segment(_) => items.push(carrying(base, &by_file[f], &chosen)),
                Grain::Char => runs(base, &by_file[f], &chosen, &transcript.text, &mut items),
            }
        }
    }
    let mut codes = codes;
    for item in &items {
        for (s, carried) in item.codes.iter().enumerate() {
            for &c in carried {
                codes[c].used_by[s] = true;
            }
        }
    }
    Ok(Alignment {
        sets: sets.iter().map(|s| s.name.clone()).collect(),
        codes,
        themes,
        participants: participants.iter().map(|p| p.to_string()).collect(),
        items,
    })
}

/// The codes the sets used, sorted by theme then id, with their themes.
fn code_list(sets: &[CodingSet]) -> (Vec<AlignedCode>, Vec<String>) {
    let mut theme_of: BTreeMap<&str, &str> = BTreeMap::new();
    for set in sets {
        for code in &set.codes {
            theme_of.entry(&code.id).or_insert(&code.theme);
        }
    }
    let used: BTreeSet<(&str, &str)> = sets
        .iter()
        .flat_map(|s| &s.codings)
        .filter_map(|c| theme_of.get_key_value(c.code.as_str()))
        .map(|(id, theme)| (*theme, *id))
        .collect();
    let codes: Vec<AlignedCode> = used
        .iter()
        .map(|(theme, id)| AlignedCode {
            id: id.to_string(),
            theme: theme.to_string(),
            used_by: vec![false; sets.len()],
        })
        .collect();
    let themes: BTreeSet<String> = codes.iter().map(|c| c.theme.clone()).collect();
    (codes, themes.into_iter().collect())
}

/// Whether a coding [start, end) overlaps the span [from, to): a
/// zero-length coding counts at its position.
fn overlaps(start: usize, end: usize, from: usize, to: usize) -> bool {
    start < to && end.max(start + 1) > from
}

/// For each of `spans` (in text order, not overlapping), the indices of
/// the `codings` that overlap it: each coding is placed by binary search,
/// so a file with many segments and codings costs n log n, not n².
fn assign(spans: &[(usize, usize)], codings: &FileCodings) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); spans.len()];
    for (i, &(start, end, _, _)) in codings.iter().enumerate() {
        let first = spans.partition_point(|s| s.1 <= start);
        for (k, span) in spans.iter().enumerate().skip(first) {
            if span.0 >= end.max(start + 1) {
                break;
            }
            if overlaps(start, end, span.0, span.1) {
                out[k].push(i);
            }
        }
    }
    out
}

/// `item` with, for each set, the codes of the `chosen` codings (indices
/// into that set's `per_set` codings) that overlap it.
fn carrying(mut item: Item, per_set: &[FileCodings], chosen: &[&[usize]]) -> Item {
    let (from, to) = item.chars;
    for (codings, chosen) in per_set.iter().zip(chosen) {
        let mut codes: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (start, end, code, rule) in chosen.iter().map(|&i| &codings[i]) {
            if !overlaps(*start, *end, from, to) {
                continue;
            }
            let rules = codes.entry(*code).or_default();
            if let Some(rule) = rule
                && !rules.contains(rule)
            {
                rules.push(rule.clone());
            }
        }
        item.codes.push(codes.keys().copied().collect());
        item.rules
            .push(codes.values().map(|r| r.join(" | ")).collect());
    }
    item
}

/// Cuts a turn into runs of code points that carry the same codes for
/// every set, and adds them to `items`.
fn runs(
    turn: Item,
    per_set: &[FileCodings],
    chosen: &[&[usize]],
    text: &str,
    items: &mut Vec<Item>,
) {
    let (from, to) = turn.chars;
    let mut cuts: BTreeSet<usize> = [from, to].into();
    for (codings, chosen) in per_set.iter().zip(chosen) {
        for &i in *chosen {
            let (start, end, _, _) = &codings[i];
            cuts.extend([*start, *end].into_iter().filter(|&x| x > from && x < to));
        }
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    // Code points to bytes within the turn.
    let turn_text = &text[turn.bytes.0..turn.bytes.1];
    let mut byte_of = BTreeMap::new();
    let mut wanted = cuts.iter().peekable();
    for (n, (b, _)) in turn_text
        .char_indices()
        .chain(std::iter::once((turn_text.len(), ' ')))
        .enumerate()
    {
        while wanted.peek().is_some_and(|&&c| c == from + n) {
            byte_of.insert(from + n, turn.bytes.0 + b);
            wanted.next();
        }
    }
    let mut previous: Option<Item> = None;
    for pair in cuts.windows(2) {
        let (s, e) = (pair[0], pair[1]);
        let run = carrying(
            Item {
                bytes: (byte_of[&s], byte_of[&e]),
                chars: (s, e),
                weight: (e - s) as u64,
                codes: Vec::new(),
                rules: Vec::new(),
                ..turn.clone()
            },
            per_set,
            chosen,
        );
        match &mut previous {
            Some(p) if p.codes == run.codes && p.rules == run.rules => {
                p.chars.1 = e;
                p.bytes.1 = run.bytes.1;
                p.weight += run.weight;
            }
            _ => {
                items.extend(previous.take());
                previous = Some(run);
            }
        }
    }
    items.extend(previous);
}
