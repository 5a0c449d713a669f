//! Helpers the format readers' tests share: the word-processor fixtures
//! (one interview and one table, each saved as .docx and as .odt) and the
//! turns of a timed transcript (.srt, .vtt).

use crate::corpus::{ParseOptions, Role, TimeSpan, Transcript};

use super::{Extracted, FormatError};

/// A word-processor reader's `extract`.
pub(crate) type Extract = fn(&[u8]) -> Result<String, FormatError>;

/// The bytes of `tests/data/formats/word/{name}`.
pub(crate) fn word_fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/data/formats/word/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// What `table.docx` and `table.odt` extract to, exactly.
pub(crate) const TABLE_TEXT: &str = "Focus group 2, community hub\n\
     Interviewer: Who do you call first when a discharge stalls?\n\
     P1: The hub coordinator.\nShe knows every care agency.\n\
     P2: Usually the ward, then the hub.\n\
     Notes\nSite\nVisits\nDelays\nNorth\n12\n3\n";

/// What `interview.EXT` extracts to, exactly: a title line, then seven
/// turns, `huddles` and `budgets` being the texts of the two participant
/// turns whose layout differs between the formats.
pub(crate) fn interview_text(huddles: &str, budgets: &str) -> String {
    format!(
        "Interview 7: integrated discharge team\n\
         Interviewer: Thanks for joining. What does integration mean in your role?\n\
         Nurse: Mostly it means one shared plan. The social worker and I update it together.\n\
         Interviewer: How did that start?\n\
         Nurse: {huddles}\n\
         Interviewer: And the barriers? We met often with the council team.\n\
         \n\
         Nurse: {budgets}\n\
         Interviewer: Thank you.\n"
    )
}

/// Asserts that the interview fixture `name`, extracted, parses into its
/// seven turns exactly. `huddles` and `budgets` are the texts of the two
/// participant turns whose layout differs between the formats.
pub(crate) fn assert_interview_turns(extract: Extract, name: &str, huddles: &str, budgets: &str) {
    let text = extract(&word_fixture(name)).unwrap();
    let transcript = Transcript::parse(name, text, &ParseOptions::default()).unwrap();
    let turns: Vec<(&str, Role, &str)> = transcript
        .turns
        .iter()
        .map(|t| (t.speaker.as_str(), t.role, &transcript.text[t.start..t.end]))
        .collect();
    assert_eq!(
        turns,
        [
            (
                "Interviewer",
                Role::Interviewer,
                "Thanks for joining. What does integration mean in your role?"
            ),
            (
                "Nurse",
                Role::Participant,
                "Mostly it means one shared plan. The social worker and I update it together."
            ),
            ("Interviewer", Role::Interviewer, "How did that start?"),
            ("Nurse", Role::Participant, huddles),
            (
                "Interviewer",
                Role::Interviewer,
                "And the barriers? We met often with the council team."
            ),
            ("Nurse", Role::Participant, budgets),
            ("Interviewer", Role::Interviewer, "Thank you."),
        ]
    );
}

/// Asserts that the broken fixtures of a format fail to extract, at line
/// 0, with the reason: `truncated.EXT` and `notazip.docx` are not zips,
/// `without_part` lacks the XML `part`, and `badxml.EXT` has malformed XML
/// there.
pub(crate) fn assert_broken_files(
    extract: Extract,
    extension: &str,
    part: &str,
    without_part: &str,
) {
    let not_a_zip = format!("not a valid .{extension} (zip): ");
    let cases = [
        (format!("truncated.{extension}"), not_a_zip.clone()),
        ("notazip.docx".to_string(), not_a_zip),
        (
            without_part.to_string(),
            format!("no {part} in the archive"),
        ),
        (
            format!("badxml.{extension}"),
            format!("malformed XML in {part}: "),
        ),
    ];
    for (name, message) in cases {
        let err = extract(&word_fixture(&name)).unwrap_err();
        assert_eq!(err.line, 0, "{name}");
        assert!(err.message.starts_with(&message), "{name}: {}", err.message);
    }
}

/// Asserts that truncations of the fixture `name` are errors, and that
/// flipping every `step`th byte from `skip` on does not panic.
pub(crate) fn assert_odd_bytes_are_errors(extract: Extract, name: &str, skip: usize, step: usize) {
    let valid = word_fixture(name);
    for len in [0, 1, 4, 22, 100, valid.len() - 1] {
        assert!(extract(&valid[..len]).is_err(), "prefix of {len} bytes");
    }
    let mut flipped = valid.clone();
    for byte in flipped.iter_mut().skip(skip).step_by(step) {
        *byte ^= 0x55;
    }
    let _ = extract(&flipped);
}

/// The tests every word-processor reader has, over its fixtures in
/// `tests/data/formats/word`: `interview.EXT` extracts to
/// [`interview_text`] and parses into the interview's turns (`huddles` and
/// `budgets` being the texts of the two turns whose layout differs between
/// formats),
/// `table.EXT` extracts to [`TABLE_TEXT`], the broken fixtures are errors
/// (see [`assert_broken_files`]), and odd bytes are errors, not panics,
/// flipping every `flip.1`th byte from `flip.0` on.
macro_rules! word_fixture_tests {
    (
        extract: $extract:path, extension: $extension:literal, flip: ($skip:expr, $step:expr),
        part: $part:literal, without_part: $without_part:literal,
        huddles: $huddles:expr,
        budgets: $budgets:expr $(,)?
    ) => {
        #[test]
        fn interview_fixture_extracts_exactly() {
            let bytes = $crate::formats::testutil::word_fixture(concat!("interview.", $extension));
            let interview = $crate::formats::testutil::interview_text($huddles, $budgets);
            assert_eq!($extract(&bytes).unwrap(), interview);
        }

        #[test]
        fn interview_fixture_parses_into_turns() {
            $crate::formats::testutil::assert_interview_turns(
                $extract,
                concat!("interview.", $extension),
                $huddles,
                $budgets,
            );
        }

        #[test]
        fn table_fixture_extracts_exactly() {
            let bytes = $crate::formats::testutil::word_fixture(concat!("table.", $extension));
            assert_eq!(
                $extract(&bytes).unwrap(),
                $crate::formats::testutil::TABLE_TEXT
            );
        }

        #[test]
        fn broken_files_are_errors() {
            $crate::formats::testutil::assert_broken_files(
                $extract,
                $extension,
                $part,
                $without_part,
            );
        }

        #[test]
        fn odd_bytes_are_errors_not_panics() {
            $crate::formats::testutil::assert_odd_bytes_are_errors(
                $extract,
                concat!("interview.", $extension),
                $skip,
                $step,
            );
        }
    };
}

pub(crate) use word_fixture_tests;

/// (speaker, text, line, start ms, end ms) of each turn of a timed
/// transcript, checking spans.
pub(crate) fn turns(extracted: &Extracted) -> Vec<(&str, &str, usize, u64, u64)> {
    extracted
        .turns
        .iter()
        .map(|turn| {
            let TimeSpan { start_ms, end_ms } = turn.time.expect("timed");
            let text = &extracted.text[turn.start..turn.end];
            (turn.speaker.as_str(), text, turn.line, start_ms, end_ms)
        })
        .collect()
}
