//! A large plain-text transcript read in windows, so that memory is bounded
//! by the window, not the file (issue 15, item 11).
//!
//! Two passes over the file. The first ([`plan`]) reads it block by block,
//! keeping only the start of each line: it checks that the file is UTF-8,
//! finds the front matter, and judges the speaker labels as a whole-file
//! read would (which labels are speakers, whether only the interviewer is
//! labelled, whether paragraphs are blank-separated). The second
//! ([`Plan::windows`]) hands on the text in windows of about
//! [`Plan::window`] to twice that many bytes, each parsed with the file's
//! judgement as a [`Transcript`] of its own whose lines and turn indexes
//! are the file's.
//!
//! A window ends where a turn starts when one does in its second half;
//! otherwise inside a turn, at a line start, or in a line longer than half
//! a window at a paragraph, sentence or word boundary (as
//! [`super::ParseOptions::max_turn_bytes`] cuts), and the next window's
//! first turn goes on with that turn's speaker, role, index and line (a
//! time stamp at the cut is kept, as inside a turn). So a
//! window boundary cuts a turn only when the turn is longer than a window,
//! which `--max-turn-bytes` (1 MiB by default, below any window) cuts anyway.
//! Only the whitespace at a cut is in no turn; no text is lost.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::Path;

use super::labels::{Seen, has_text};
use super::limits::{Split, cut_point, split_turns};
use super::parse::{Fixed, Runs, candidate, front_matter, judged_blank_separated, lines_of, turns};
use super::words::share_warning_at;
use super::{ParseOptions, Role, SpeakerLabel, Transcript, Warning, Words};
use crate::error::FormatError;

/// How much of the start of a line the first pass looks at for a label.
const HEAD: usize = 512;

/// How many bytes are read at a time.
const BLOCK: usize = 1 << 20;

/// Where a window lies in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    /// The file's first window (it holds the front matter).
    pub first: bool,
    /// The file's last window.
    pub last: bool,
    /// Where the window's text starts in the file's text, in bytes (after
    /// any byte-order mark).
    pub byte_base: usize,
    /// The same, in code points: add it to a code-point offset into the
    /// window's text to have one into the file's.
    pub char_base: usize,
}

/// What the first pass found: enough to parse any window as the whole file
/// would be parsed.
#[derive(Debug)]
pub struct Plan {
    labels: Vec<SpeakerLabel>,
    fixed: Fixed,
    /// Offsets (in the text) of the lines that start a turn.
    starts: Vec<usize>,
    window: usize,
}

/// Reads a file as UTF-8 text in blocks, each ending at a character
/// boundary. `None` for the file when it is not UTF-8 (or UTF-8 with a
/// byte-order mark) without NUL bytes: such a file is read whole.
struct Blocks {
    file: std::fs::File,
    tail: Vec<u8>,
    buf: Vec<u8>,
}

impl Blocks {
    fn open(path: &Path) -> Result<Option<Blocks>, FormatError> {
        let mut file = std::fs::File::open(path).map_err(io)?;
        let mut head = [0u8; 4];
        let n = read_full(&mut file, &mut head)?;
        let bom = match encoding_rs::Encoding::for_bom(&head[..n]) {
            Some((encoding, len)) if encoding == encoding_rs::UTF_8 => len,
            Some(_) => return Ok(None),
            None => 0,
        };
        Ok(Some(Blocks {
            file,
            tail: head[bom..n].to_vec(),
            buf: vec![0; BLOCK],
        }))
    }

    /// The next block of text; `Ok(None)` at the end; an error when the
    /// bytes are not UTF-8 text after all.
    fn next(&mut self) -> Result<Option<String>, NotText> {
        let n = read_full(&mut self.file, &mut self.buf).map_err(NotText::Read)?;
        if n == 0 {
            return if self.tail.is_empty() {
                Ok(None)
            } else {
                Err(NotText::Encoding)
            };
        }
        let mut bytes = std::mem::take(&mut self.tail);
        bytes.extend_from_slice(&self.buf[..n]);
        if memchr::memchr(0, &bytes).is_some() {
            return Err(NotText::Encoding);
        }
        let valid = match std::str::from_utf8(&bytes) {
            Ok(_) => bytes.len(),
            Err(err) if err.error_len().is_none() => err.valid_up_to(),
            Err(_) => return Err(NotText::Encoding),
        };
        self.tail = bytes.split_off(valid);
        Ok(Some(
            String::from_utf8(bytes).map_err(|_| NotText::Encoding)?,
        ))
    }
}

/// Why a block could not be had.
enum NotText {
    Read(FormatError),
    Encoding,
}

fn io(err: std::io::Error) -> FormatError {
    FormatError {
        line: 0,
        message: err.to_string(),
    }
}

/// Fills `buf` unless the file ends first; how much was read.
fn read_full(file: &mut std::fs::File, buf: &mut [u8]) -> Result<usize, FormatError> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(e)),
        }
    }
    Ok(n)
}

/// One line as the first pass sees it.
struct LineHead {
    start: usize,
    head: String,
    len: usize,
}

/// The first pass: `Ok(None)` when the file is not UTF-8 text (read it
/// whole instead); an error when it cannot be read or its front matter is
/// never closed within the first window.
pub fn plan(
    path: &Path,
    options: &ParseOptions,
    window: usize,
) -> Result<Option<Plan>, FormatError> {
    let Some(mut blocks) = Blocks::open(path)? else {
        return Ok(None);
    };
    let mut scan = Scan::new(options);
    let mut front: Option<usize> = None;
    let mut head = String::new();
    loop {
        let block = match blocks.next() {
            Ok(Some(block)) => block,
            Ok(None) => break,
            Err(NotText::Encoding) => return Ok(None),
            Err(NotText::Read(err)) => return Err(err),
        };
        if front.is_none() && head.len() < 2 * window {
            head.push_str(&block);
            if head.len() < 2 * window {
                continue;
            }
            front = Some(body_line(&head)?);
            scan.body_from = front.unwrap_or(0);
            scan.text(&std::mem::take(&mut head));
            continue;
        }
        scan.text(&block);
    }
    if front.is_none() {
        scan.body_from = body_line(&head)?;
        scan.text(&head);
    }
    scan.end();
    Ok(Some(scan.finish(options, window)))
}

/// The number of the last line of the front matter (0 without one).
fn body_line(head: &str) -> Result<usize, FormatError> {
    let lines = lines_of(head);
    let (_, body_from) = front_matter(&lines, head, &mut Vec::new())?;
    Ok(body_from)
}

/// The first pass's state, line by line.
struct Scan<'o> {
    options: &'o ParseOptions,
    /// Lines up to this number are the front matter's.
    body_from: usize,
    /// Bytes of text seen.
    at: usize,
    /// The line being read, and its number.
    line: LineHead,
    number: usize,
    /// The last block ended with a CR, whose LF may start this one.
    after_cr: bool,
    seen: Seen,
    /// Each candidate: its line's offset, its label, and whether the line
    /// before it was blank.
    candidates: Vec<(usize, usize, bool)>,
    first_text: bool,
    last_blank: bool,
    runs: Runs,
}

impl<'o> Scan<'o> {
    fn new(options: &'o ParseOptions) -> Scan<'o> {
        Scan {
            options,
            body_from: 0,
            at: 0,
            line: LineHead {
                start: 0,
                head: String::new(),
                len: 0,
            },
            number: 1,
            after_cr: false,
            seen: Seen::default(),
            candidates: Vec::new(),
            first_text: false,
            last_blank: false,
            runs: Runs::default(),
        }
    }

    /// Takes in the next stretch of text.
    fn text(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut from = 0;
        if self.after_cr && bytes.first() == Some(&b'\n') {
            from = 1;
            self.line.start += 1;
        }
        self.after_cr = false;
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if i < from {
                continue;
            }
            self.take(&text[from..i]);
            self.line_end();
            from = i + 1;
            if bytes[i] == b'\r' {
                match bytes.get(i + 1) {
                    Some(b'\n') => from += 1,
                    None => self.after_cr = true,
                    _ => {}
                }
            }
            self.line.start = self.at + from;
        }
        self.take(&text[from..]);
        self.at += bytes.len();
    }

    fn take(&mut self, piece: &str) {
        let room = HEAD.saturating_sub(self.line.head.len());
        if room > 0 {
            let mut end = piece.len().min(room);
            while !piece.is_char_boundary(end) {
                end -= 1;
            }
            self.line.head.push_str(&piece[..end]);
        }
        self.line.len += piece.len();
    }

    fn line_end(&mut self) {
        let number = self.number;
        self.number += 1;
        let line = std::mem::replace(
            &mut self.line,
            LineHead {
                start: 0,
                head: String::new(),
                len: 0,
            },
        );
        if number <= self.body_from {
            return;
        }
        let head = line.head.as_str();
        let blank = line.len <= HEAD && head.trim().is_empty();
        let first_text = !self.first_text && has_text(head);
        self.first_text |= first_text;
        if let Some(label) = candidate(head, self.options) {
            let k = self.seen.add(&label, number, first_text);
            self.candidates.push((line.start, k, self.last_blank));
        }
        self.runs.line(blank);
        self.last_blank = blank;
    }

    /// The last line, when the text does not end with a line break.
    fn end(&mut self) {
        if self.line.len > 0 {
            self.line_end();
        }
    }

    fn finish(self, options: &ParseOptions, window: usize) -> Plan {
        let labels = self.seen.judge(options);
        let taken: HashSet<String> = labels
            .iter()
            .filter(|l| l.why.taken())
            .map(|l| l.name.to_lowercase())
            .collect();
        let starts: Vec<&(usize, usize, bool)> = self
            .candidates
            .iter()
            .filter(|(_, k, _)| labels[*k].why.taken())
            .collect();
        let interviewer_only = starts
            .iter()
            .all(|(_, k, _)| options.is_interviewer(&labels[*k].name));
        let paragraph_mode = interviewer_only
            && judged_blank_separated(starts.iter().skip(1).map(|(_, _, blank)| *blank))
                .unwrap_or_else(|| self.runs.blank_separated());
        Plan {
            starts: starts.iter().map(|(at, _, _)| *at).collect(),
            fixed: Fixed {
                labelled: !starts.is_empty(),
                open: (false, true),
                taken,
                interviewer_only,
                paragraph_mode,
                carry: None,
                next_index: 1,
            },
            labels,
            window,
        }
    }
}

impl Plan {
    /// The labels found at line starts, taken as speakers or not, and why:
    /// the first window's [`Transcript::labels`].
    pub fn labels(&self) -> &[SpeakerLabel] {
        &self.labels
    }

    /// The window size: windows are this to twice this many bytes.
    pub fn window(&self) -> usize {
        self.window
    }

    /// The second pass: the file's windows, in order, each a transcript
    /// with its place in the file.
    pub fn windows<'a>(
        &'a self,
        path: &Path,
        name: &'a str,
        options: &'a ParseOptions,
    ) -> Result<Windows<'a>, FormatError> {
        let blocks = Blocks::open(path)?.ok_or_else(|| FormatError {
            line: 0,
            message: "the file changed while it was read".into(),
        })?;
        Ok(Windows {
            plan: self,
            name,
            options,
            blocks,
            buf: String::new(),
            eof: false,
            done: false,
            window: Window {
                first: true,
                ..Window::default()
            },
            line_base: 0,
            fixed: self.fixed.clone(),
            open_start: false,
            front_matter: BTreeMap::new(),
            open: None,
            words: Words::default(),
            interviewer_line: None,
        })
    }
}

/// The windows of a file: see [`Plan::windows`].
pub struct Windows<'a> {
    plan: &'a Plan,
    name: &'a str,
    options: &'a ParseOptions,
    blocks: Blocks,
    buf: String,
    eof: bool,
    done: bool,
    window: Window,
    /// Lines before the window.
    line_base: usize,
    fixed: Fixed,
    /// Whether the window starts inside a turn.
    open_start: bool,
    front_matter: BTreeMap<String, String>,
    /// The turn the last window ended in, as far as it has gone.
    open: Option<Span>,
    words: Words,
    interviewer_line: Option<usize>,
}

/// A turn across windows: where it starts and ends in the file, in how many
/// pieces, with how many cuts inside a word.
#[derive(Debug, Clone, Copy)]
struct Span {
    index: usize,
    line: usize,
    start: usize,
    end: usize,
    pieces: usize,
    inside_words: usize,
}

impl Iterator for Windows<'_> {
    type Item = Result<(Transcript, Window), FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let result = self.next_window();
        if result.is_err() {
            self.done = true;
        }
        Some(result)
    }
}

impl Windows<'_> {
    fn next_window(&mut self) -> Result<(Transcript, Window), FormatError> {
        let size = self.plan.window;
        while !self.eof && self.buf.len() < 2 * size {
            match self.blocks.next() {
                Ok(Some(block)) => self.buf.push_str(&block),
                Ok(None) => self.eof = true,
                Err(NotText::Read(err)) => return Err(err),
                Err(NotText::Encoding) => {
                    return Err(FormatError {
                        line: self.line_base + 1,
                        message: "the file changed while it was read".into(),
                    });
                }
            }
        }
        let (cut, at_turn) = if self.eof {
            (self.buf.len(), true)
        } else {
            self.cut()
        };
        let rest = self.buf.split_off(cut);
        let text = std::mem::replace(&mut self.buf, rest);
        let mut window = self.window;
        window.last = self.eof && self.buf.is_empty();
        self.done = window.last;
        let lines_in = line_breaks(&text);
        let chars = text.chars().count();
        // A window cut where a turn starts has the edges of turns.
        self.fixed.open = (self.open_start, !at_turn);
        self.open_start = !at_turn;
        let (mut transcript, splits) = self.parse(text)?;
        self.account(&mut transcript, &splits, window);
        // The next window.
        self.line_base += lines_in;
        self.window = Window {
            first: false,
            last: false,
            byte_base: window.byte_base + cut,
            char_base: window.char_base + chars,
        };
        Ok((transcript, window))
    }

    /// Where this window ends in the buffer, and whether a turn starts
    /// there: at the last turn start in its
    /// second half, else at the last line start there, else at a paragraph,
    /// sentence or word boundary.
    fn cut(&self) -> (usize, bool) {
        let base = self.window.byte_base;
        let end = base + self.buf.len();
        let starts = &self.plan.starts;
        let i = starts.partition_point(|&s| s < end);
        if i > 0 && starts[i - 1] > base + self.plan.window / 2 {
            return (starts[i - 1] - base, true);
        }
        let bytes = self.buf.as_bytes();
        // The start of the last line in the second half (not between the CR
        // and LF of a line break).
        let half = self.plan.window / 2;
        let line_start = memchr::memrchr2_iter(b'\n', b'\r', &bytes[half.min(bytes.len())..])
            .map(|i| half + i + 1)
            .find(|&at| at < bytes.len() && !(bytes[at - 1] == b'\r' && bytes[at] == b'\n'));
        if let Some(at) = line_start {
            return (at, false);
        }
        // One line longer than half a window: a paragraph, sentence or word
        // boundary in it.
        let (mut cut, _) = cut_point(&self.buf, self.buf.len() - 1);
        if bytes[cut - 1] == b'\r' && bytes.get(cut) == Some(&b'\n') {
            cut += 1;
        }
        (cut, false)
    }

    /// Parses one window's text with the file's judgement.
    fn parse(&mut self, text: String) -> Result<(Transcript, Vec<Split>), FormatError> {
        let mut warnings = Vec::new();
        let mut lines = lines_of(&text);
        for line in &mut lines {
            line.number += self.line_base;
        }
        let body_from = if self.window.first {
            let (front, body_from) = front_matter(&lines, &text, &mut warnings)?;
            self.front_matter = front;
            body_from
        } else {
            0
        };
        let body = turns(
            &lines[body_from..],
            &text,
            self.options,
            &mut warnings,
            Some(&self.fixed),
        );
        drop(lines);
        let (turns, splits) = split_turns(&text, body.turns, self.options.max_turn_bytes);
        if let Some(last) = turns.last() {
            self.fixed.next_index = last.index + 1;
            self.fixed.carry = Some(last.clone());
        }
        let words = Words::of(&text, &turns, body.uncoded);
        Ok((
            Transcript {
                path: self.name.to_string(),
                text,
                front_matter: self.front_matter.clone(),
                speaker_attributes: BTreeMap::new(),
                labels: if self.window.first {
                    self.plan.labels.clone()
                } else {
                    Vec::new()
                },
                turns,
                warnings,
                words,
            },
            splits,
        ))
    }

    /// Warns about each turn cut into pieces (by the turn limit or at a
    /// window's edge) once, in the window where it ends, and about the
    /// interviewer's share of the words in the last.
    fn account(&mut self, transcript: &mut Transcript, splits: &[Split], window: Window) {
        let base = window.byte_base;
        let mut spans: Vec<Span> = Vec::new();
        for turn in &transcript.turns {
            match spans.last_mut() {
                Some(span) if span.index == turn.index => {
                    span.end = base + turn.end;
                    span.pieces += 1;
                }
                _ => spans.push(Span {
                    index: turn.index,
                    line: turn.line,
                    start: base + turn.start,
                    end: base + turn.end,
                    pieces: 1,
                    inside_words: 0,
                }),
            }
            if turn.role == Role::Interviewer && self.interviewer_line.is_none() {
                self.interviewer_line = Some(turn.line);
            }
        }
        for split in splits {
            if let Some(span) = spans.iter_mut().find(|s| s.index == split.index) {
                span.inside_words += split.inside_words;
            }
        }
        let mut done = Vec::new();
        if let Some(open) = self.open.take() {
            match spans.first_mut() {
                Some(first) if first.index == open.index => {
                    first.start = open.start;
                    first.pieces += open.pieces;
                    first.inside_words += open.inside_words;
                }
                _ => done.push(open),
            }
        }
        if !window.last {
            self.open = spans.pop();
        }
        done.extend(spans);
        let max = self.options.max_turn_bytes;
        for span in done.iter().filter(|s| s.pieces > 1) {
            let split = Split {
                index: span.index,
                line: span.line,
                bytes: span.end - span.start,
                pieces: span.pieces,
                inside_words: span.inside_words,
            };
            transcript.warnings.push(if split.bytes > max {
                split.warning(max)
            } else {
                Warning {
                    line: span.line,
                    message: format!(
                        "turn of {} bytes is coded as {} pieces: it is longer than the window of {} bytes \
                         mint reads a large file in",
                        split.bytes,
                        split.pieces,
                        self.plan.window
                    ),
                }
            });
        }
        self.words.add(&transcript.words);
        if window.last {
            let line = self.interviewer_line.unwrap_or(0);
            transcript
                .warnings
                .extend(share_warning_at(&self.words, line));
        }
        transcript.warnings.sort_by_key(|w| w.line);
    }
}

/// Line breaks in `text`: LF, CRLF and lone CR each count once.
fn line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| !(bytes[i] == b'\n' && i > 0 && bytes[i - 1] == b'\r'))
        .count()
}

#[cfg(test)]
mod tests;
