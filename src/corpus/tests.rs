//! Tests of transcript parsing and decoding.

use super::decode::*;
use super::parse::*;
use super::*;
use regex::Regex;

fn parse(text: &str) -> Transcript {
    Transcript::parse("t.txt", text.to_string(), &ParseOptions::default()).unwrap()
}

fn turn_texts(t: &Transcript) -> Vec<(String, Role, String)> {
    t.turns
        .iter()
        .map(|u| {
            (
                u.speaker.clone(),
                u.role,
                t.text[u.start..u.end].to_string(),
            )
        })
        .collect()
}

#[test]
fn header_lines_are_what_the_key_value_regex_says() {
    let re = Regex::new(r"^([a-z][a-z0-9_]{1,30}):[ \t]*(.*?)\s*$").unwrap();
    let lines = [
        "participant: P0001",
        "level:strategic",
        "area:  2  \r",
        "site_2:\tNorth ",
        "sector: social care: adults",
        "x: too short",
        "Level: capitalised",
        "2nd: digit first",
        "a_very_long_key_of_thirty_one_c: yes",
        "a_very_long_key_of_thirty_two_ch: no",
        "key with space: no",
        "note:\u{a0}nbsp kept, trailing\u{2003}",
        "empty:",
        "no colon here",
        "Interviewer: hello",
        "i: short",
    ];
    for line in lines {
        let want = re
            .captures(line)
            .map(|c| (c.get(1).unwrap().as_str(), c.get(2).unwrap().as_str()));
        assert_eq!(header_line(line), want, "{line:?}");
    }
}

#[test]
fn front_matter_becomes_attributes_and_is_not_a_turn() {
    let t = parse(
        "---\nparticipant: P07\nLevel: operational\nsector: social care\n---\n\nI: Hello?\nP07: Hi.\n",
    );
    assert_eq!(t.front_matter["participant"], "P07");
    assert_eq!(t.front_matter["level"], "operational");
    assert_eq!(t.front_matter["sector"], "social care");
    assert_eq!(t.turns.len(), 2);
    assert_eq!(t.turns[0].line, 7);
}

#[test]
fn unclosed_front_matter_is_an_error_on_line_one() {
    let err = Transcript::parse(
        "t.txt",
        "---\na: b\nI: x\n".into(),
        &ParseOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.line, 1);
}

#[test]
fn continuation_lines_belong_to_the_turn_and_interviewer_is_recognised() {
    let t = parse(
        "Interviewer: First question\nover two lines?\nParticipant: An answer\n\nthat goes on.\nINT: Next?\nParticipant: Yes.",
    );
    assert_eq!(
        turn_texts(&t),
        [
            (
                "Interviewer".into(),
                Role::Interviewer,
                "First question\nover two lines?".into()
            ),
            (
                "Participant".into(),
                Role::Participant,
                "An answer\n\nthat goes on.".into()
            ),
            ("INT".into(), Role::Interviewer, "Next?".into()),
            ("Participant".into(), Role::Participant, "Yes.".into()),
        ]
    );
    assert_eq!(
        t.turns.iter().map(|u| u.index).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
}

#[test]
fn crlf_and_lone_cr_split_lines() {
    let t = parse("I: Q?\r\nR: A\r\nmore\rR: B");
    assert_eq!(
        turn_texts(&t).into_iter().map(|x| x.2).collect::<Vec<_>>(),
        ["Q?", "A\r\nmore", "B"]
    );
}

#[test]
fn extra_interviewer_labels_are_honoured() {
    let options = ParseOptions::with_interviewers(&["Researcher"]);
    let t = Transcript::parse("t", "Researcher: Q\nNurse: A\n".into(), &options).unwrap();
    assert_eq!(t.turns[0].role, Role::Interviewer);
    assert_eq!(t.turns[1].role, Role::Participant);
}

#[test]
fn a_one_off_label_inside_an_answer_is_prose() {
    let t = parse("I: Q?\nP: Well.\nBasically: it was hard.\nI: Why?\nP: Money.\n");
    assert_eq!(t.turns.len(), 4);
    assert_eq!(
        &t.text[t.turns[1].start..t.turns[1].end],
        "Well.\nBasically: it was hard."
    );
}

#[test]
fn unlabelled_file_is_one_participant_turn_with_a_warning() {
    let t = parse("\nJust some text\nabout care.\n\n");
    assert_eq!(
        turn_texts(&t),
        [(
            String::new(),
            Role::Participant,
            "Just some text\nabout care.".into()
        )]
    );
    assert_eq!(t.warnings[0].line, 2);
    assert!(t.warnings[0].message.contains("no speaker labels"));
}

#[test]
fn times_and_urls_are_not_labels() {
    let t = parse("I: Q?\nP: At\n10:30 we met, see https://example.org\nI: ok\nP: fine");
    assert_eq!(t.turns.len(), 4);
}

#[test]
fn label_variants_researchers_use_are_recognised() {
    let t = parse(
        "**Interviewer:** What do you do?\n**R**: I'm a nurse.\n[Interviewer] And?\n[R]: More.\n\
         Interviewer (00:01:23): Next?\nR (00:01:40): Yes.\nINTERVIEWER 00:02:05\nLast one?\nR 00:02:09\nDone.\n",
    );
    assert_eq!(
        turn_texts(&t),
        [
            (
                "Interviewer".into(),
                Role::Interviewer,
                "What do you do?".into()
            ),
            ("R".into(), Role::Participant, "I'm a nurse.".into()),
            ("Interviewer".into(), Role::Interviewer, "And?".into()),
            ("R".into(), Role::Participant, "More.".into()),
            ("Interviewer".into(), Role::Interviewer, "Next?".into()),
            ("R".into(), Role::Participant, "Yes.".into()),
            ("INTERVIEWER".into(), Role::Interviewer, "Last one?".into()),
            ("R".into(), Role::Participant, "Done.".into()),
        ]
    );
    let times: Vec<Option<(u64, u64)>> = t
        .turns
        .iter()
        .map(|u| u.time.map(|s| (s.start_ms, s.end_ms)))
        .collect();
    assert_eq!(times[4], Some((83_000, 100_000)));
    assert_eq!(times[7], Some((129_000, 129_000)));
    assert_eq!(times[0], None);
}

#[test]
fn an_unfenced_header_of_lower_case_keys_is_front_matter() {
    let t = parse(
        "participant: P0001\nlevel: strategic\nsector: health\n\nInterviewer: Q?\nParticipant: A.\n",
    );
    assert_eq!(t.front_matter["participant"], "P0001");
    assert_eq!(t.front_matter["sector"], "health");
    assert_eq!(t.turns.len(), 2);
    // A transcript that simply starts talking is not a header.
    let t = parse("interviewer: Hello?\nparticipant: Hi.\n\ninterviewer: Bye.\n");
    assert!(t.front_matter.is_empty());
    assert_eq!(t.turns.len(), 3);
}

#[test]
fn exact_speakers_are_the_only_labels() {
    let options = ParseOptions {
        speakers: Some(vec!["Interviewer".into(), "Participant".into()]),
        ..ParseOptions::default()
    };
    let text = "Interviewer: Q?\nParticipant: One.\nparticipant: still one\nNurse: still one\n Participant: still one\n";
    let t = Transcript::parse("t", text.into(), &options).unwrap();
    assert_eq!(t.turns.len(), 2);
    assert_eq!(
        &t.text[t.turns[1].start..t.turns[1].end],
        "One.\nparticipant: still one\nNurse: still one\n Participant: still one"
    );
}

#[test]
fn time_stamp_lines_are_not_turns_or_text_at_the_edges() {
    let t =
        parse("(10.01 am)\nI: Hello?\n(10.02 am)\nP: Hi there.\n[00:12:34]\nI: Bye.\nP: Bye.\n");
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    assert_eq!(
        turn_texts(&t).into_iter().map(|x| x.2).collect::<Vec<_>>(),
        ["Hello?", "Hi there.", "Bye.", "Bye."]
    );
}

#[test]
fn paragraphs_and_sentences_split_a_turn() {
    let t = parse("I: Q?\nP: One. Two\nstill two.\n\nThree!\n");
    let seg = |unit| {
        t.segments(unit)
            .into_iter()
            .map(|(_, s, e)| t.text[s..e].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(seg(Unit::Turn), ["One. Two\nstill two.\n\nThree!"]);
    assert_eq!(seg(Unit::Paragraph), ["One. Two\nstill two.", "Three!"]);
    assert_eq!(seg(Unit::Sentence), ["One.", "Two\nstill two.", "Three!"]);
}

#[test]
fn decode_handles_boms_and_falls_back_to_windows_1252() {
    assert_eq!(decode(b"\xEF\xBB\xBFhi"), Decoded::Text("hi".into(), None));
    assert_eq!(
        decode(b"\xFF\xFEh\0i\0"),
        Decoded::Text("hi".into(), Some("decoded as UTF-16LE".into()))
    );
    let Decoded::Text(text, Some(note)) = decode(b"a\ncaf\xE9") else {
        panic!()
    };
    assert_eq!(text, "a\ncafé");
    assert!(note.contains("line 2"), "{note}");
    assert!(matches!(decode(b"a\0b"), Decoded::Skip(_)));
    assert!(matches!(decode(b""), Decoded::Skip(_)));
}

#[test]
fn decode_owned_agrees_with_decode() {
    let cases: [&[u8]; 7] = [
        b"plain text\n",
        b"\xEF\xBB\xBFhi",
        b"\xFF\xFEh\0i\0",
        b"a\ncaf\xE9",
        b"a\0b",
        b"",
        "caf\u{e9} \u{2019}".as_bytes(),
    ];
    for bytes in cases {
        assert_eq!(decode_owned(bytes.to_vec()), decode(bytes), "{bytes:?}");
    }
}
