//! The SubRip (`.srt`) reader.
//!
//! A file is numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm` (a full stop is
//! accepted for the comma), then text. Missing or stray cue numbers, extra
//! blank lines, CRLF and trailing whitespace are tolerated. The speaker of a
//! cue comes from a `Name: text` label at the start of its first line;
//! formatting tags (`<i>`, `<b>`, `<u>`, `<s>`, `<font …>`) and positioning
//! codes (`{\an8}`) are dropped, and any other `<` stays text, since SubRip
//! has no escapes. How cues become turns, and why the block layer is
//! hand-written rather than a crate, is in `captions.rs`.

use std::sync::LazyLock;

use regex::Regex;

use super::captions::{self, Flavor, Piece};
use super::{Extracted, FormatError};

/// Reads a .srt file into turns.
///
/// Fails when text comes before the first cue or a timing line is malformed,
/// pointing at that line.
pub fn parse(text: &str) -> Result<Extracted, FormatError> {
    let lines = captions::lines_of(text);
    let cues = captions::cues(&lines, Flavor::Srt)?;
    Ok(captions::assemble(
        cues.into_iter()
            .map(|cue| (cue.line, cue.time, vec![piece(&cue.text)])),
    ))
}

static FORMATTING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)</?(?:b|i|u|s|font)(?:\s[^<>]*)?>|\{\\[^{}]*\}").unwrap());

/// Reads a cue's lines: formatting dropped, a label on the first line taken
/// as the speaker.
fn piece(lines: &[&str]) -> Piece {
    let mut lines: Vec<String> = lines
        .iter()
        .map(|line| FORMATTING.replace_all(line, "").trim().to_string())
        .filter(|line| !line.is_empty())
        .collect();
    let mut speaker = None;
    if let Some((name, rest)) = lines.first().and_then(|l| captions::split_label(l)) {
        let rest = rest.trim().to_string();
        speaker = Some(name);
        if rest.is_empty() {
            lines.remove(0);
        } else {
            lines[0] = rest;
        }
    }
    Piece { speaker, lines }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::testutil::turns;

    #[test]
    fn numbered_cues_with_labels_become_turns() {
        let extracted = parse(include_str!(
            "../../tests/data/formats/captions/interview.srt"
        ))
        .unwrap();
        assert_eq!(
            extracted.text,
            "Interviewer: How do referrals reach the reablement team?\n\
             \n\
             Tomás Reyes: Mostly from the ward, through the single point of access.\n\
             GPs refer too, but less often.\n\
             \n\
             Interviewer: And the waiting list?\n\
             \n\
             Tomás Reyes: About three weeks.\n\
             It was six before we pooled budgets.\n"
        );
        assert_eq!(
            turns(&extracted),
            [
                (
                    "Interviewer",
                    "How do referrals reach the reablement team?",
                    2,
                    1_000,
                    3_500
                ),
                (
                    "Tomás Reyes",
                    "Mostly from the ward, through the single point of access.\n\
                     GPs refer too, but less often.",
                    6,
                    3_600,
                    9_000
                ),
                ("Interviewer", "And the waiting list?", 14, 9_500, 12_000),
                (
                    "Tomás Reyes",
                    "About three weeks.\nIt was six before we pooled budgets.",
                    20,
                    12_000,
                    16_000
                ),
            ]
        );
    }

    #[test]
    fn unlabelled_file_is_one_turn_without_speaker() {
        let extracted = parse(
            "1\n00:00:01,000 --> 00:00:02,000\nWe pool the budget.\n\n\
             2\n00:00:02,000 --> 00:00:03,000\nMostly.\n",
        )
        .unwrap();
        assert_eq!(extracted.text, "We pool the budget.\nMostly.\n");
        assert_eq!(
            turns(&extracted),
            [("", "We pool the budget.\nMostly.", 2, 1_000, 3_000)]
        );
    }

    #[test]
    fn blank_line_inside_a_cue_and_missing_blank_between_cues() {
        let extracted = parse(
            "1\n00:00:01,000 --> 00:00:02,000\nAna: First part\n\nsecond part\n\
             2\n00:00:02,000 --> 00:00:03,000\nBen: Reply\n",
        )
        .unwrap();
        assert_eq!(
            extracted.text,
            "Ana: First part\nsecond part\n\nBen: Reply\n"
        );
        assert_eq!(extracted.turns[1].line, 7);
    }

    #[test]
    fn a_colon_later_in_the_line_is_not_a_label() {
        let extracted =
            parse("00:00:01,000 --> 00:00:02,000\nWe met at 10:30, note: not 11.\n").unwrap();
        assert_eq!(
            turns(&extracted),
            [("", "We met at 10:30, note: not 11.", 1, 1_000, 2_000)]
        );
    }

    #[test]
    fn errors_point_at_the_line() {
        let cases = [
            ("Hello there\n\n1\n00:00:01,000 --> 00:00:02,000\nHi\n", 1),
            ("1\n00:00:01,000 --> 00:00:02\nHi\n", 2),
            (
                "1\r\n00:00:01,000 --> 00:00:02,000\r\nHi\r\n\r\n2\r\n00:00:03,000 => 4\r\n",
                6,
            ),
            (
                "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n00:00:03,000 - 00:00:04,000\n",
                5,
            ),
        ];
        for (text, line) in cases {
            let error = parse(text).unwrap_err();
            assert_eq!(error.line, line, "{text:?}: {}", error.message);
        }
    }

    #[test]
    fn empty_file_has_no_turns() {
        for text in ["", "\r\n\r\n", "1\n"] {
            let extracted = parse(text).unwrap();
            assert!(extracted.turns.is_empty() && extracted.text.is_empty());
        }
    }

    #[test]
    fn mangled_input_never_panics() {
        let inputs = [
            "-->",
            "1\n-->\n",
            "1\n00:00:01,000 --> 00:00:02,000\n<i\n{\\an8\n",
            "1\n00:00:01,000 --> 00:00:02,000\n\u{0}: \u{feff}\n",
            "00:00:01,000 --> 00:00:02,000\r\r\r\r2\r",
            "00:00:01,000-->00:00:02,000\nÉ: é\n2\n2\n2\n",
            "18446744073709551615:00:00,000 --> 0\n",
            "\n\n\n1\n\n\n",
        ];
        for input in inputs {
            let _ = parse(input);
        }
    }
}
