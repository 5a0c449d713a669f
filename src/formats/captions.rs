//! What the WebVTT and SubRip readers share: splitting a caption file into
//! cues, reading cue timings, finding a `Name: text` label, and merging cues
//! into speaker turns laid out as plain text.
//!
//! The format-specific part, turning a cue's raw lines into speakers and text
//! (voice tags and entities for WebVTT, formatting tags for SubRip), lives in
//! `vtt.rs` and `srt.rs`.
//!
//! # Why not a caption crate
//!
//! The crates on crates.io were read before writing this. `webvtt-parser`
//! (1.4) does not skip `STYLE` or `REGION` blocks, insists on exactly
//! `" --> "`, and keeps no line numbers for its cues; `subtp` (0.2) rejects
//! cue settings it does not know, wants two-digit hours, and keeps no line
//! numbers either; the SubRip crates found (`srt`, `srtparse`, `subrip`) are
//! small single-format readers, and none was found to report a cue's line.
//! None of them reads voice tags or speaker labels, which is what mint needs
//! from a cue. Every turn and every
//! error must point at a line of the original file, so the block layer is a
//! small line-based scanner here (blocks, timings, ids: about a hundred
//! lines), and entity decoding, the one job a crate does fully, is left to
//! `htmlize`.

use std::sync::LazyLock;

use regex::Regex;

use super::{Extracted, FormatError};
use crate::corpus::{RawTurn, TimeSpan};

/// Which caption format a file is in; it decides ids, blocks and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// WebVTT: `NOTE`/`STYLE`/`REGION` blocks, any line as a cue id.
    Vtt,
    /// SubRip: numbered cues, no header.
    Srt,
}

/// One line of the original file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SourceLine<'a> {
    /// 1-based line number.
    pub number: usize,
    /// The line, without its line break.
    pub text: &'a str,
}

/// A cue as found in the file, before its text is read.
#[derive(Debug, Clone)]
pub(crate) struct RawCue<'a> {
    /// 1-based line of the cue's timing line.
    pub line: usize,
    /// When the cue is shown.
    pub time: TimeSpan,
    /// The cue's text lines, markup and labels included.
    pub text: Vec<&'a str>,
}

/// A run of a cue's text said by one speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    /// The speaker, when the cue names one here.
    pub speaker: Option<String>,
    /// Plain text lines, trimmed, none empty.
    pub lines: Vec<String>,
}

/// Splits on LF, CRLF and lone CR, numbering lines from 1.
pub(crate) fn lines_of(text: &str) -> Vec<SourceLine<'_>> {
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = match rest.find(['\n', '\r']) {
            Some(i) if rest[i..].starts_with("\r\n") => (&rest[..i], &rest[i + 2..]),
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        lines.push(SourceLine {
            number: lines.len() + 1,
            text: line,
        });
        rest = next;
    }
    lines
}

/// Finds the cues in `lines` (the file after any header).
///
/// Cues are blocks separated by blank lines. A line containing `-->`, or
/// starting with a timestamp, is a timing line and must parse. The line just
/// before a timing line is the cue id when it is all digits (both formats) or,
/// in WebVTT, when it opens the block. A block without a timing line continues
/// the cue before it (a stray blank line inside cue text); before the first
/// cue, WebVTT ignores such a block and SubRip reports it.
pub(crate) fn cues<'a>(
    lines: &[SourceLine<'a>],
    flavor: Flavor,
) -> Result<Vec<RawCue<'a>>, FormatError> {
    let mut cues: Vec<RawCue<'a>> = Vec::new();
    for block in lines.split(|line| line.text.trim().is_empty()) {
        let Some(first) = block.first() else {
            continue;
        };
        if flavor == Flavor::Vtt && is_vtt_meta_block(first.text) {
            continue;
        }
        let timings: Vec<usize> = (0..block.len())
            .filter(|&i| looks_like_timing(block[i].text))
            .collect();
        let lead_end = match timings.first() {
            Some(&t) if is_cue_id(block, t, flavor) => t - 1,
            Some(&t) => t,
            None if is_number(first.text) && block.len() == 1 => continue,
            None => block.len(),
        };
        if lead_end > 0 {
            match cues.last_mut() {
                Some(cue) => cue.text.extend(block[..lead_end].iter().map(|l| l.text)),
                None if flavor == Flavor::Vtt => {}
                None => {
                    return Err(FormatError {
                        line: first.number,
                        message: format!(
                            "expected a cue number or a timing line `{}`",
                            timing_example(flavor)
                        ),
                    });
                }
            }
        }
        for (k, &t) in timings.iter().enumerate() {
            let text_end = match timings.get(k + 1) {
                Some(&next) if next > t + 1 && is_number(block[next - 1].text) => next - 1,
                Some(&next) => next,
                None => block.len(),
            };
            cues.push(RawCue {
                line: block[t].number,
                time: timing(block[t], flavor)?,
                text: block[t + 1..text_end].iter().map(|l| l.text).collect(),
            });
        }
    }
    Ok(cues)
}

/// `NOTE`, `STYLE` and `REGION` blocks carry no speech.
fn is_vtt_meta_block(first: &str) -> bool {
    ["NOTE", "STYLE", "REGION"].iter().any(|keyword| {
        first
            .strip_prefix(keyword)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    })
}

/// Whether the line before the timing line at `t` is the cue's id.
fn is_cue_id(block: &[SourceLine<'_>], t: usize, flavor: Flavor) -> bool {
    t > 0 && ((t == 1 && flavor == Flavor::Vtt) || is_number(block[t - 1].text))
}

fn is_number(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())
}

static STARTS_WITH_TIMESTAMP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:\d+:)?\d{2}:\d{2}[.,]\d{3}").unwrap());

fn looks_like_timing(line: &str) -> bool {
    line.contains("-->") || STARTS_WITH_TIMESTAMP.is_match(line)
}

fn timing_example(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::Vtt => "HH:MM:SS.mmm --> HH:MM:SS.mmm",
        Flavor::Srt => "HH:MM:SS,mmm --> HH:MM:SS,mmm",
    }
}

/// Reads `start --> end [settings]`; settings are ignored.
fn timing(line: SourceLine<'_>, flavor: Flavor) -> Result<TimeSpan, FormatError> {
    let malformed = || FormatError {
        line: line.number,
        message: format!(
            "malformed cue timing {:?}: expected `{}`",
            line.text.trim(),
            timing_example(flavor)
        ),
    };
    let (left, right) = line.text.split_once("-->").ok_or_else(malformed)?;
    let end = right.split_whitespace().next().ok_or_else(malformed)?;
    let start_ms = timestamp(left.trim()).ok_or_else(malformed)?;
    let end_ms = timestamp(end).ok_or_else(malformed)?;
    if end_ms < start_ms {
        return Err(FormatError {
            line: line.number,
            message: format!(
                "cue ends at {} before it starts at {}",
                end.trim(),
                left.trim()
            ),
        });
    }
    Ok(TimeSpan { start_ms, end_ms })
}

/// Reads `[H…:]MM:SS.mmm` (or with a comma) into milliseconds.
pub(crate) fn timestamp(text: &str) -> Option<u64> {
    let (clock, millis) = text.rsplit_once(['.', ','])?;
    let mut fields = clock.rsplit(':');
    let seconds = two_digits(fields.next()?)?;
    let minutes = two_digits(fields.next()?)?;
    let hours = match fields.next() {
        Some(h) if !h.is_empty() && h.len() <= 9 && h.bytes().all(|b| b.is_ascii_digit()) => {
            h.parse::<u64>().ok()?
        }
        Some(_) => return None,
        None => 0,
    };
    if fields.next().is_some()
        || seconds > 59
        || minutes > 59
        || millis.len() != 3
        || !millis.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let millis: u64 = millis.parse().ok()?;
    Some(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
}

fn two_digits(text: &str) -> Option<u64> {
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{L}[\p{L}\p{M}\p{N} ._'’()\-]{0,39}?)[ \t]*:(?:[ \t]+|$)").unwrap()
});

/// Splits a `Name: text` label off the start of a cue's first line.
///
/// The name is one to five words, at most 40 characters, and starts with a
/// letter. A full stop may only end a short word (`Dr.`, `J.`), so sentence
/// text such as `Well. Then: yes` is not a label; a colon not followed by a
/// space (`10:30`, `https://`) never is.
pub(crate) fn split_label(line: &str) -> Option<(String, &str)> {
    let captures = LABEL.captures(line)?;
    let name = normalize_space(captures.get(1)?.as_str());
    let words: Vec<&str> = name.split(' ').collect();
    let abbreviations_only = words.iter().all(|word| match word.find('.') {
        None => true,
        Some(dot) => dot + 1 == word.len() && word.chars().count() <= 4,
    });
    if words.len() > 5 || name.chars().count() > 40 || !abbreviations_only {
        return None;
    }
    Some((name, &line[captures.get(0)?.end()..]))
}

/// Trims and collapses every run of whitespace to one space.
pub(crate) fn normalize_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Merges cues into turns and lays them out as text.
///
/// A piece naming the current speaker, or naming no one, continues the
/// current turn; a piece naming someone else starts a new one. Each turn is
/// printed as `Speaker: text` (just the text when no speaker was ever named),
/// its lines joined with `\n`, and turns are separated by a blank line.
pub(crate) fn assemble<I>(cues: I) -> Extracted
where
    I: IntoIterator<Item = (usize, TimeSpan, Vec<Piece>)>,
{
    struct Pending {
        speaker: String,
        line: usize,
        time: TimeSpan,
        lines: Vec<String>,
    }
    let mut pending: Vec<Pending> = Vec::new();
    for (line, time, pieces) in cues {
        for piece in pieces {
            if piece.lines.is_empty() {
                continue;
            }
            let continues = match (&piece.speaker, pending.last()) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(name), Some(turn)) => *name == turn.speaker,
            };
            match pending.last_mut() {
                Some(turn) if continues => {
                    turn.lines.extend(piece.lines);
                    turn.time.end_ms = turn.time.end_ms.max(time.end_ms);
                }
                _ => pending.push(Pending {
                    speaker: piece.speaker.unwrap_or_default(),
                    line,
                    time,
                    lines: piece.lines,
                }),
            }
        }
    }
    let mut text = String::new();
    let mut turns = Vec::with_capacity(pending.len());
    for turn in pending {
        if !text.is_empty() {
            text.push('\n');
        }
        if !turn.speaker.is_empty() {
            text.push_str(&turn.speaker);
            text.push_str(": ");
        }
        let start = text.len();
        text.push_str(&turn.lines.join("\n"));
        turns.push(RawTurn {
            speaker: turn.speaker,
            start,
            end: text.len(),
            line: turn.line,
            time: Some(turn.time),
        });
        text.push('\n');
    }
    Extracted { text, turns }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_with_and_without_hours() {
        assert_eq!(timestamp("00:01.500"), Some(1_500));
        assert_eq!(timestamp("01:02:03.004"), Some(3_723_004));
        assert_eq!(timestamp("101:00:00,000"), Some(363_600_000));
        assert_eq!(timestamp("1:02:03,004"), Some(3_723_004));
    }

    #[test]
    fn timestamps_reject_malformed_fields() {
        for bad in [
            "",
            "1.000",
            "0:01.000",
            "00:60.000",
            "00:01.50",
            "00:01:02",
            "a0:01.000",
            "1:00:01:02.000",
            "99999999999:00:00.000",
            "00:01.5000",
            "00:0١.000",
        ] {
            assert_eq!(timestamp(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn labels_are_short_names_at_the_start() {
        let label = |s| split_label(s).map(|(name, rest)| (name, rest.to_string()));
        assert_eq!(
            label("Ana Lima: yes"),
            Some(("Ana Lima".into(), "yes".into()))
        );
        assert_eq!(
            label("Dr. Jo Okafor: fine"),
            Some(("Dr. Jo Okafor".into(), "fine".into()))
        );
        assert_eq!(
            label("Siân O’Neil:"),
            Some(("Siân O’Neil".into(), String::new()))
        );
        assert_eq!(label("we met at 10:30 today"), None);
        assert_eq!(label("At 10:30 we met"), None);
        assert_eq!(label("Well. Then: yes"), None);
        assert_eq!(label("one two three four five six: no"), None);
        assert_eq!(label("see https://example.org"), None);
        assert_eq!(label("- Ana: no"), None);
    }

    #[test]
    fn lines_split_on_every_line_ending() {
        let lines = lines_of("a\r\nb\rc\n\nd");
        let texts: Vec<_> = lines.iter().map(|l| (l.number, l.text)).collect();
        assert_eq!(texts, [(1, "a"), (2, "b"), (3, "c"), (4, ""), (5, "d")]);
    }
}
