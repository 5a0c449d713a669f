//! Bounds on one coding unit: a turn longer than
//! [`ParseOptions::max_turn_bytes`](super::ParseOptions::max_turn_bytes) is
//! cut into pieces no longer than that, so that what coding holds at once
//! (a segment, its sentences, a row of the codings CSV) is bounded by the
//! limit, not by the file.
//!
//! A piece ends at the last paragraph break (a blank line) that fits, else
//! at the last sentence end in the second half of what fits, else between
//! two words there, and only as a last resort inside a word (at a character
//! boundary). The pieces keep their turn's index, speaker, role, line and
//! time: outputs still name the turn as the file has it. Only the
//! whitespace between two pieces is in none of them.

use unicode_segmentation::UnicodeSegmentation;

use super::parse::trim_span;
use super::{Turn, Warning};

/// The default [`ParseOptions::max_turn_bytes`](super::ParseOptions::max_turn_bytes):
/// 1 MiB, about 170,000 words, far more than anyone says in one turn.
pub const DEFAULT_MAX_TURN_BYTES: usize = 1 << 20;

/// Where a piece was cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cut {
    Paragraph,
    Sentence,
    Word,
    Char,
}

/// A turn cut into pieces: where, how long it was, and how it was cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Split {
    /// The turn's 1-based index.
    pub(super) index: usize,
    /// The turn's line.
    pub(super) line: usize,
    /// The turn's length in bytes.
    pub(super) bytes: usize,
    /// How many pieces it became.
    pub(super) pieces: usize,
    /// How many of the cuts fall inside a word.
    pub(super) inside_words: usize,
}

impl Split {
    /// The warning at the turn's line.
    pub(super) fn warning(&self, max: usize) -> Warning {
        let hard = match self.inside_words {
            0 => String::new(),
            1 => "; 1 cut falls inside a word".to_string(),
            n => format!("; {n} cuts fall inside a word"),
        };
        Warning {
            line: self.line,
            message: format!(
                "turn of {} bytes is longer than the limit of {max} bytes \
                 (--max-turn-bytes): coded as {} pieces cut at paragraph, \
                 sentence or word boundaries{hard}",
                self.bytes, self.pieces
            ),
        }
    }
}

/// Cuts every turn longer than `max` bytes into pieces of at most `max`
/// bytes (or one character, when `max` is smaller), with a warning at the
/// turn's line for each turn cut. Turns within the limit are left as they
/// are.
pub(super) fn split_long_turns(
    text: &str,
    turns: Vec<Turn>,
    max: usize,
    warnings: &mut Vec<Warning>,
) -> Vec<Turn> {
    let (turns, splits) = split_turns(text, turns, max);
    warnings.extend(splits.iter().map(|s| s.warning(max)));
    turns
}

/// [`split_long_turns`], with what was cut as values rather than warnings.
pub(super) fn split_turns(text: &str, turns: Vec<Turn>, max: usize) -> (Vec<Turn>, Vec<Split>) {
    if turns.iter().all(|t| t.end - t.start <= max) {
        return (turns, Vec::new());
    }
    let mut out = Vec::with_capacity(turns.len());
    let mut splits = Vec::new();
    for turn in turns {
        let len = turn.end - turn.start;
        if len <= max {
            out.push(turn);
            continue;
        }
        let mut split = Split {
            index: turn.index,
            line: turn.line,
            bytes: len,
            pieces: 0,
            inside_words: 0,
        };
        for (start, end, cut) in pieces_of(text, turn.start, turn.end, max) {
            split.pieces += 1;
            split.inside_words += usize::from(cut == Some(Cut::Char));
            out.push(Turn {
                start,
                end,
                speaker: turn.speaker.clone(),
                ..turn
            });
        }
        splits.push(split);
    }
    (out, splits)
}

/// The pieces of `start..end`, in order, each with how it was cut from the
/// next (`None` for the last).
fn pieces_of(
    text: &str,
    start: usize,
    end: usize,
    max: usize,
) -> impl Iterator<Item = (usize, usize, Option<Cut>)> + '_ {
    let mut at = start;
    std::iter::from_fn(move || {
        if at >= end {
            return None;
        }
        if end - at <= max {
            let (s, e) = trim_span(text, at, end);
            at = end;
            return Some((s, e, None));
        }
        let (cut, how) = cut_point(&text[at..end], max);
        let (s, e) = trim_span(text, at, at + cut);
        // Past the whitespace after the cut (to the end when only that is left).
        let (next, next_end) = trim_span(text, at + cut, end);
        at = if next == next_end { end } else { next };
        Some((s, e, Some(how)))
    })
    .filter(|(s, e, _)| s < e)
}

/// Where to end the first piece of `span` (longer than `max`): a byte
/// offset in `1..=max` (or past the first character, when `max` is
/// smaller) with text before it that is not only whitespace.
pub(super) fn cut_point(span: &str, max: usize) -> (usize, Cut) {
    let limit = floor_boundary(span, max);
    if limit == 0 {
        let first = span.chars().next().map_or(span.len(), char::len_utf8);
        return (first, Cut::Char);
    }
    if let Some(at) = last_paragraph_break(span, limit) {
        return (at, Cut::Paragraph);
    }
    let window = &span[..limit];
    // Sentence and word ends are looked for in the second half only, so a
    // piece is never less than half the limit for want of a better cut;
    // sentence ends first in the last few kilobytes, where there nearly
    // always is one, so that cutting costs little next to coding.
    let half = floor_boundary(window, limit / 2);
    for back in [4 << 10, 64 << 10, usize::MAX] {
        let from = floor_boundary(window, limit.saturating_sub(back).max(half));
        if let Some(i) = last_sentence_end(&window[from..])
            && !window[..from + i].trim().is_empty()
        {
            return (from + i, Cut::Sentence);
        }
        if from == half {
            break;
        }
    }
    let tail = &window[half..];
    if let Some(i) = tail.rfind(char::is_whitespace)
        && !window[..half + i].trim().is_empty()
    {
        return (half + i, Cut::Word);
    }
    (limit, Cut::Char)
}

/// The last sentence end in `text` after its start (which is taken to be
/// one only because the text is cut there). Line breaks inside a paragraph
/// do not end a sentence (as for `Unit::Sentence`).
fn last_sentence_end(text: &str) -> Option<usize> {
    // A space for a line break keeps the offsets.
    let flat = text.replace(['\n', '\r'], " ");
    flat.split_sentence_bound_indices()
        .map(|(i, _)| i)
        .filter(|&i| i > 0)
        .last()
}

/// The last line break in `span[..limit]` that ends a line of text and is
/// followed by a blank line: the end of a paragraph.
fn last_paragraph_break(span: &str, limit: usize) -> Option<usize> {
    let bytes = span.as_bytes();
    memchr::memrchr2_iter(b'\n', b'\r', &bytes[..limit])
        .find(|&i| blank_line_after(bytes, i) && !span[..i].trim().is_empty())
}

/// Whether the line after the line break at `i` holds only spaces and tabs.
fn blank_line_after(bytes: &[u8], i: usize) -> bool {
    let mut j = i + 1;
    if bytes[i] == b'\r' && bytes.get(j) == Some(&b'\n') {
        j += 1;
    }
    while let Some(&b) = bytes.get(j) {
        match b {
            b'\n' | b'\r' => return true,
            b' ' | b'\t' | b'\x0b' | b'\x0c' => j += 1,
            _ => return false,
        }
    }
    false
}

/// The largest character boundary of `s` at or below `at`.
fn floor_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Role;

    fn turn(start: usize, end: usize) -> Turn {
        Turn {
            index: 2,
            speaker: "P1".into(),
            role: Role::Participant,
            start,
            end,
            line: 3,
            time: None,
        }
    }

    /// The pieces' texts, and a check that they cover the turn: in order,
    /// within the limit, and with only whitespace between them.
    fn pieces(text: &str, max: usize) -> Vec<&str> {
        let turns = vec![turn(0, text.len())];
        let mut warnings = Vec::new();
        let out = split_long_turns(text, turns, max, &mut warnings);
        let mut at = 0;
        for piece in &out {
            assert!(text[at..piece.start].trim().is_empty(), "lost text");
            assert!(
                piece.end - piece.start <= max.max(4),
                "piece over the limit"
            );
            assert_eq!((piece.index, piece.line), (2, 3));
            at = piece.end;
        }
        assert!(text[at..].trim().is_empty(), "lost text at the end");
        assert_eq!(warnings.len(), usize::from(out.len() > 1));
        out.iter().map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn a_turn_within_the_limit_is_left_alone() {
        let text = "One. Two.";
        let mut warnings = Vec::new();
        let out = split_long_turns(text, vec![turn(0, 9)], 9, &mut warnings);
        assert_eq!(out, vec![turn(0, 9)]);
        assert!(warnings.is_empty());
    }

    #[test]
    fn cuts_at_paragraph_breaks_first() {
        let text = "First para. Still first.\n\nSecond para. More.\r\n \r\nThird.";
        assert_eq!(
            pieces(text, 25),
            ["First para. Still first.", "Second para. More.", "Third."]
        );
    }

    #[test]
    fn cuts_at_sentence_ends_when_a_paragraph_is_too_long() {
        let text = "We met weekly. The nurse came too. Then it stopped.";
        assert_eq!(
            pieces(text, 40),
            ["We met weekly. The nurse came too.", "Then it stopped."]
        );
    }

    #[test]
    fn a_sentence_end_far_back_in_the_second_half_is_found() {
        let words = "word ".repeat(20_000);
        let text = format!("{}End here. Then {}", &words[..60_000], &words[..90_000]);
        let cut = pieces(&text, 100_000);
        assert_eq!(cut[0].len(), 60_009);
        assert!(cut[0].ends_with("word End here."));
    }

    #[test]
    fn cuts_between_words_then_inside_one() {
        let text = "no sentence end in this long run of words at all";
        assert_eq!(
            pieces(text, 20),
            ["no sentence end in", "this long run of", "words at all"]
        );
        let text = "é".repeat(10);
        let cut = pieces(&text, 5);
        assert_eq!(cut, ["éé", "éé", "éé", "éé", "éé"]);
        let text = "€€";
        assert_eq!(pieces(text, 1), ["€", "€"]);
    }

    #[test]
    fn the_warning_names_the_line_and_counts_hard_cuts() {
        let text = "aaaaaaaaaa";
        let mut warnings = Vec::new();
        let out = split_long_turns(text, vec![turn(0, 10)], 4, &mut warnings);
        assert_eq!(out.len(), 3);
        assert_eq!(warnings[0].line, 3);
        assert!(
            warnings[0].message.starts_with(
                "turn of 10 bytes is longer than the limit of 4 bytes (--max-turn-bytes): \
                 coded as 3 pieces"
            ),
            "{}",
            warnings[0].message
        );
        assert!(warnings[0].message.ends_with("; 2 cuts fall inside a word"));
    }

    #[test]
    fn other_turns_keep_their_place() {
        let text = "short. A much longer turn. With two sentences.";
        let turns = vec![turn(0, 6), turn(7, text.len())];
        let mut warnings = Vec::new();
        let out = split_long_turns(text, turns, 30, &mut warnings);
        let spans: Vec<&str> = out.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(
            spans,
            ["short.", "A much longer turn.", "With two sentences."]
        );
    }
}
