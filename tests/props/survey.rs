//! Survey CSVs (`formats::survey::parse`).

use mint::corpus::{ParseOptions, Transcript};
use mint::formats::survey::{self, SurveyColumns};
use proptest::prelude::*;

use crate::{check, config, inputs, within};

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => inputs::prose(6).prop_map(|s| format!("\"{}\"", s.replace('"', "\"\""))),
        2 => inputs::word().prop_map(|w| w.replace([',', '"', '\n', '\r'], "")),
        1 => Just(String::new()),
        1 => Just("\"unclosed".to_string()),
        1 => Just("=HYPERLINK(\"x\")".to_string()),
    ]
}

pub fn survey_csv() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(
            prop_oneof![
                Just("id"),
                Just("Answer "),
                Just("group"),
                Just(""),
                Just("id"),
                Just("a,b")
            ],
            0..4,
        ),
        prop_oneof![6 => Just(true), 1 => Just(false)],
        any::<proptest::sample::Index>(),
        proptest::collection::vec(proptest::collection::vec(cell(), 0..6), 0..8),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
    )
        .prop_map(|(mut header, with_answer, at, rows, end)| {
            if with_answer {
                header.insert(at.index(header.len() + 1), "answer");
            }
            let mut lines = vec![header.join(",")];
            lines.extend(rows.iter().map(|r| r.join(",")));
            lines.join(end)
        })
}

pub fn columns() -> impl Strategy<Value = SurveyColumns> {
    (
        prop_oneof![6 => Just("answer"), 1 => Just("missing"), 2 => Just(" ANSWER ")],
        prop_oneof![3 => Just(None), 3 => Just(Some("id")), 1 => Just(Some("group")), 1 => Just(Some("nope"))],
    )
        .prop_map(|(text, id)| SurveyColumns {
            text: text.to_string(),
            id: id.map(str::to_string),
            sheet: None,
        })
}

/// Parses a survey and checks its turns and codings.
fn check_survey(text: &str, columns: &SurveyColumns) -> Result<(), TestCaseError> {
    let Ok(s) = survey::parse(text, columns) else {
        return Ok(());
    };
    let mut previous_end = 0;
    for turn in &s.extracted.turns {
        check::span(&s.extracted.text, turn.start, turn.end, "survey turn")?;
        prop_assert!(turn.start >= previous_end);
        previous_end = turn.end;
    }
    let t = Transcript::from_turns(
        "s.csv",
        s.extracted.text,
        s.extracted.turns,
        Vec::new(),
        &ParseOptions::default(),
    );
    check::turns(&t)?;
    check::codings(&t)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn survey_csvs(text in prop_oneof![4 => survey_csv(), 1 => "(?s).{0,200}"], columns in columns()) {
        within(move || check_survey(&text, &columns))?;
    }
}
