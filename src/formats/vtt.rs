//! The WebVTT (`.vtt`) reader, for Zoom, Teams and other meeting transcripts.
//!
//! A file starts with `WEBVTT`; header lines, `NOTE`, `STYLE` and `REGION`
//! blocks are skipped, cue ids (`17`, `d1f1…/17-0`) and cue settings are
//! ignored, and timings may leave out the hours (`MM:SS.mmm`). The speaker of
//! a cue comes from a voice tag, `<v Name>` or `<v.loud Name>` (Teams; the
//! closing `</v>` is optional), or else from a `Name: text` label at the start
//! of the cue's first line (Zoom). Other tags (`<c>`, `<i>`, `<b>`,
//! `<00:00:01.000>`) are dropped, and entities (`&amp;`, `&nbsp;`, `&#39;`, …)
//! are decoded in names and text. How cues become turns, and why the block
//! layer is hand-written rather than a crate, is in `captions.rs`.
//!
//! The BOM, if any, was removed by the caller.

use super::captions::{self, Flavor, Piece};
use super::{Extracted, FormatError};

/// Reads a .vtt file into turns.
///
/// Fails when the first line is not `WEBVTT` (line 1) or a timing line is
/// malformed (its line).
pub fn parse(text: &str) -> Result<Extracted, FormatError> {
    let lines = captions::lines_of(text);
    let signature = lines.first().map_or("", |line| line.text);
    let is_vtt = signature
        .strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
    if !is_vtt {
        return Err(FormatError {
            line: 1,
            message: "not a WebVTT file: the first line is not `WEBVTT`".to_string(),
        });
    }
    // The header runs to the first blank line, or to a cue that forgot it.
    let body = lines
        .iter()
        .skip(1)
        .position(|line| line.text.trim().is_empty() || line.text.contains("-->"))
        .map_or(lines.len(), |i| i + 1);
    let cues = captions::cues(&lines[body..], Flavor::Vtt)?;
    Ok(captions::assemble(
        cues.into_iter()
            .map(|cue| (cue.line, cue.time, pieces(&cue.text))),
    ))
}

/// Reads a cue's lines into pieces, one per voice.
///
/// Without a voice tag the cue is one piece, and a `Name: text` label on its
/// first line names the speaker.
fn pieces(lines: &[&str]) -> Vec<Piece> {
    let mut pieces = vec![Piece {
        speaker: None,
        lines: Vec::new(),
    }];
    let mut voiced = false;
    for line in lines {
        let mut plain = String::new();
        let mut rest = *line;
        while let Some(open) = rest.find('<') {
            let Some(close) = rest[open..].find('>').map(|i| open + i) else {
                break;
            };
            plain.push_str(&rest[..open]);
            if let Some(name) = voice(&rest[open + 1..close]) {
                push_line(&mut pieces, &plain);
                plain.clear();
                voiced = true;
                let current = pieces.last_mut().expect("pieces start non-empty");
                if current.lines.is_empty() {
                    current.speaker = name;
                } else {
                    pieces.push(Piece {
                        speaker: name,
                        lines: Vec::new(),
                    });
                }
            }
            rest = &rest[close + 1..];
        }
        plain.push_str(rest);
        push_line(&mut pieces, &plain);
    }
    if !voiced {
        let piece = &mut pieces[0];
        if let Some((name, rest)) = piece.lines.first().and_then(|l| captions::split_label(l)) {
            let rest = rest.trim().to_string();
            piece.speaker = Some(name);
            if rest.is_empty() {
                piece.lines.remove(0);
            } else {
                piece.lines[0] = rest;
            }
        }
    }
    pieces
}

/// The speaker of a voice start tag (`v Name`, `v.loud Name`), if `tag` is
/// one: `Some(None)` for a voice tag that names no one.
fn voice(tag: &str) -> Option<Option<String>> {
    let rest = tag.strip_prefix('v')?;
    if !(rest.is_empty() || rest.starts_with(['.', ' ', '\t'])) {
        return None;
    }
    let annotation = rest.find([' ', '\t']).map_or("", |i| &rest[i..]);
    let name = captions::normalize_space(&htmlize::unescape(annotation));
    Some((!name.is_empty()).then_some(name))
}

/// Adds a line of tag-free text to the last piece, entities decoded.
fn push_line(pieces: &mut [Piece], plain: &str) {
    let line = htmlize::unescape(plain);
    let line = line.trim();
    if let (false, Some(piece)) = (line.is_empty(), pieces.last_mut()) {
        piece.lines.push(line.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::TimeSpan;
    use crate::formats::testutil::turns;

    #[test]
    fn zoom_style_labels_become_turns() {
        let extracted = parse(include_str!(
            "../../tests/data/formats/captions/zoom-style.vtt"
        ))
        .unwrap();
        assert_eq!(
            extracted.text,
            "Interviewer: Thanks for joining. Could you start with your role?\n\
             \n\
             Priya Nair: I coordinate discharge planning for the community trust.\n\
             Most mornings start with the hospital huddle at 08:30.\n\
             Note: the huddle moved online last year.\n\
             And it works better, honestly.\n\
             \n\
             Interviewer: What changed when the teams merged?\n\
             \n\
             Priya Nair: We finally share one care record\n\
             with social care.\n"
        );
        assert_eq!(
            turns(&extracted),
            [
                (
                    "Interviewer",
                    "Thanks for joining. Could you start with your role?",
                    6,
                    1_000,
                    4_200
                ),
                (
                    "Priya Nair",
                    "I coordinate discharge planning for the community trust.\n\
                     Most mornings start with the hospital huddle at 08:30.\n\
                     Note: the huddle moved online last year.\n\
                     And it works better, honestly.",
                    10,
                    4_500,
                    15_000
                ),
                (
                    "Interviewer",
                    "What changed when the teams merged?",
                    23,
                    15_500,
                    17_000
                ),
                (
                    "Priya Nair",
                    "We finally share one care record\nwith social care.",
                    27,
                    3_601_000,
                    3_605_250
                ),
            ]
        );
    }

    #[test]
    fn teams_style_voice_tags_become_turns() {
        let extracted = parse(include_str!(
            "../../tests/data/formats/captions/teams-style.vtt"
        ))
        .unwrap();
        assert_eq!(
            extracted.text,
            "Okay, we are recording now.\n\
             \n\
             Sam O'Hara: So tell me about the integrated care board.\n\
             \n\
             Dr. Li & Partners: It brings the NHS <and> councils together.\n\
             Budgets are pooled, at least on paper.\n\
             We meet every second Tuesday\u{a0}— it’s slow.\n\
             \n\
             Sam O'Hara: Who chairs it?\n\
             \n\
             Dr. Li & Partners: The council’s director of adult social care.\n"
        );
        assert_eq!(
            turns(&extracted),
            [
                ("", "Okay, we are recording now.", 7, 0, 2_000),
                (
                    "Sam O'Hara",
                    "So tell me about the integrated care board.",
                    11,
                    2_000,
                    5_000
                ),
                (
                    "Dr. Li & Partners",
                    "It brings the NHS <and> councils together.\n\
                     Budgets are pooled, at least on paper.\n\
                     We meet every second Tuesday\u{a0}— it’s slow.",
                    15,
                    5_000,
                    14_000
                ),
                ("Sam O'Hara", "Who chairs it?", 26, 14_000, 15_000),
                (
                    "Dr. Li & Partners",
                    "The council’s director of adult social care.",
                    26,
                    14_000,
                    15_000
                ),
            ]
        );
    }

    #[test]
    fn zoom_meeting_has_its_five_speakers() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/zoom/meeting001_transcript.vtt"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let extracted = parse(&text).unwrap();
        let mut counts = std::collections::BTreeMap::new();
        for turn in &extracted.turns {
            *counts.entry(turn.speaker.as_str()).or_insert(0) += 1;
        }
        // Counted independently with a Python script over the file: split on
        // blank lines, take `Name:` at the start of each cue's first text line,
        // skip the two unlabelled cues (34, 38: they continue the turn before)
        // and count a turn whenever the name differs from the previous one.
        // Cue counts per speaker are 242, 45, 7, 3 and 1 (see PROVENANCE.md).
        let expected = [
            ("Andrew Knight", 12),
            ("George Harrison", 2),
            ("John Lennon", 5),
            ("Paul McCartney", 10),
            ("Ringo Starr", 1),
        ];
        assert_eq!(counts.into_iter().collect::<Vec<_>>(), expected);
        assert_eq!(extracted.turns[0].line, 4);
        assert_eq!(
            extracted.turns[0].time,
            Some(TimeSpan {
                start_ms: 4_859,
                end_ms: 21_240
            })
        );
        assert!(extracted.text.starts_with(
            "Andrew Knight: Okay, so we're recording. We're streaming\n\
             We have that setup. Okay.\n"
        ));
    }

    #[test]
    fn voice_tags_split_a_cue_between_speakers() {
        let extracted = parse(
            "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana>Is it pooled?</v>\n<v Ben>Partly.</v>\n",
        )
        .unwrap();
        assert_eq!(extracted.text, "Ana: Is it pooled?\n\nBen: Partly.\n");
        assert_eq!(extracted.turns[1].line, 3);
    }

    #[test]
    fn crlf_and_cue_without_blank_line_after_header() {
        let extracted =
            parse("WEBVTT - caption\r\n00:00.000 --> 00:01.000 align:start\r\nAna: Hello \r\n")
                .unwrap();
        assert_eq!(extracted.text, "Ana: Hello\n");
        assert_eq!(extracted.turns[0].line, 2);
    }

    #[test]
    fn header_only_file_has_no_turns() {
        let extracted = parse("WEBVTT\n\nNOTE nothing said\n").unwrap();
        assert_eq!(extracted.text, "");
        assert!(extracted.turns.is_empty());
    }

    #[test]
    fn a_file_without_the_signature_fails_on_line_1() {
        for text in [
            "",
            "\n",
            "1\n00:00:01,000 --> 00:00:02,000\nHi\n",
            "WEBVTTX\n",
            " WEBVTT",
        ] {
            let error = parse(text).unwrap_err();
            assert_eq!(error.line, 1, "{text:?}");
            assert!(error.message.contains("WEBVTT"), "{}", error.message);
        }
    }

    #[test]
    fn a_malformed_timing_fails_on_its_line() {
        let cases = [
            ("WEBVTT\n\n1\n00:00:01.000 --> soon\nHi\n", 4),
            ("WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nHi\n", 3),
            ("WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nHi\n", 3),
            (
                "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n00:00:61.000 --> 00:00:62.000\n",
                5,
            ),
        ];
        for (text, line) in cases {
            let error = parse(text).unwrap_err();
            assert_eq!(error.line, line, "{text:?}: {}", error.message);
        }
    }

    #[test]
    fn mangled_input_never_panics() {
        let inputs = [
            "WEBVTT\n-->",
            "WEBVTT\n\n-->\n",
            "WEBVTT\n\n00:01.000 --> 00:02.000\n<",
            "WEBVTT\n\n00:01.000 --> 00:02.000\n<v\n",
            "WEBVTT\n\n00:01.000 --> 00:02.000\n<v>\n<v >é</v\n",
            "WEBVTT\n\n00:01.000 --> 00:02.000\n&#xFFFFFFFF; &#0; &; &\n",
            "WEBVTT\n\n00:01.000 --> 00:02.000\n:\n\u{0}\u{feff}ü: ü\n",
            "WEBVTT\r\r\r00:01.000 --> 00:02.000\r\r",
            "WEBVTT\n\nNOTE\n00:01.000 --> 00:02.000\n\n\n\n",
            "WEBVTT\n\n99999999999999999999:00:00.000 --> 1\n",
            "WEBVTT\n\n00:01.000 --> 00:02.000\n<v.a.b\tΩ>x<00:01.500>y</c.z></v>\n",
        ];
        for input in inputs {
            let _ = parse(input);
        }
    }
}
