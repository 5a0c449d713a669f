//! Tests of transcript parsing and decoding.

use super::decode::*;
use super::labels::*;
use super::parse::*;
use super::words::*;
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

fn labels(t: &Transcript) -> Vec<(&str, LabelWhy, usize)> {
    t.labels
        .iter()
        .map(|l| (l.name.as_str(), l.why, l.lines))
        .collect()
}

// See: #15 (item 1)
#[test]
fn a_file_labelling_only_the_moderator_gives_unlabelled_lines_to_the_participant() {
    // One paragraph a line, as Word and ODT text comes: the moderator's turn
    // is its line, and the text before the first label is kept.
    let t = parse(
        "Alright, I have logged in.\nLet me open the tasks.\n\tMODERATOR: Could you start with task 1?\n\
         \tOkay, reading it now.\n\tIt seems sensible.\n    \t\tMODERATOR: And the second?\n\tDone, that was easy.\n",
    );
    assert_eq!(
        turn_texts(&t),
        [
            (
                String::new(),
                Role::Participant,
                "Alright, I have logged in.\nLet me open the tasks.".into()
            ),
            (
                "MODERATOR".into(),
                Role::Interviewer,
                "Could you start with task 1?".into()
            ),
            (
                String::new(),
                Role::Participant,
                "Okay, reading it now.\n\tIt seems sensible.".into()
            ),
            (
                "MODERATOR".into(),
                Role::Interviewer,
                "And the second?".into()
            ),
            (
                String::new(),
                Role::Participant,
                "Done, that was easy.".into()
            ),
        ]
    );
    assert_eq!(
        t.turns
            .iter()
            .map(|u| (u.index, u.line))
            .collect::<Vec<_>>(),
        [(1, 1), (2, 3), (3, 4), (4, 6), (5, 7)]
    );
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    assert_eq!(
        t.words,
        Words {
            participant: 21,
            interviewer: 9,
            uncoded: 0
        }
    );
    assert_eq!(t.participant_speakers(), [""]);
}

// See: #15 (item 1)
#[test]
fn with_blank_line_paragraphs_the_moderators_turn_is_its_paragraph() {
    let t = parse(
        "Moderator: Can you try\nthe search?\n\nI type care homes.\n\nNothing comes up.\n\n\
         Moderator: And now?\n\nBetter.\n",
    );
    assert_eq!(
        turn_texts(&t),
        [
            (
                "Moderator".into(),
                Role::Interviewer,
                "Can you try\nthe search?".into()
            ),
            (
                String::new(),
                Role::Participant,
                "I type care homes.\n\nNothing comes up.".into()
            ),
            ("Moderator".into(), Role::Interviewer, "And now?".into()),
            (String::new(), Role::Participant, "Better.".into()),
        ]
    );
}

// See: #15 (item 1)
#[test]
fn a_label_alone_on_its_line_takes_the_next_line_as_its_text() {
    let t = parse("Interviewer:\nWhat do you do?\nI nurse.\nInterviewer:\nWhy?\nI like it.\n");
    assert_eq!(
        turn_texts(&t).into_iter().map(|x| x.2).collect::<Vec<_>>(),
        ["What do you do?", "I nurse.", "Why?", "I like it."]
    );
}

// See: #15 (item 1)
#[test]
fn a_header_before_the_first_label_is_reported_not_coded() {
    let t = parse(
        "Session 4 - usability\n12 March 2022\n\nMODERATOR: Start?\nSure, starting.\n\
         MODERATOR: Next?\nDone.\n",
    );
    assert_eq!(
        turn_texts(&t).into_iter().map(|x| x.2).collect::<Vec<_>>(),
        ["Start?", "Sure, starting.", "Next?", "Done."]
    );
    assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
    assert_eq!(t.warnings[0].line, 1);
    assert!(
        t.warnings[0]
            .message
            .contains("7 words before the first speaker label look like a header"),
        "{:?}",
        t.warnings
    );
    assert_eq!(t.words.uncoded, 7);
}

// See: #15 (item 1)
#[test]
fn text_before_the_first_label_of_a_labelled_interview_is_reported_with_its_words() {
    let t = parse("We began late because of traffic.\nI: Hello?\nP: Hi.\n");
    assert_eq!(t.turns.len(), 2);
    assert!(
        t.warnings[0]
            .message
            .contains("6 words before the first speaker label are not coded"),
        "{:?}",
        t.warnings
    );
    assert_eq!(t.words.uncoded, 6);
}

// See: #15 (item 1)
#[test]
fn an_implausible_interviewer_share_is_a_warning_at_the_first_interviewer_turn() {
    let question = "Could you tell me more about how the team works with social care? ".repeat(10);
    let text =
        format!("P: Hello.\nInterviewer: {question}\nP: Yes, it works.\nInterviewer: {question}\n");
    let t = parse(&text);
    assert_eq!(t.words.participant, 4);
    assert_eq!(t.words.interviewer, 260);
    let w = t.warnings.last().expect("a share warning");
    assert_eq!(w.line, 2);
    assert!(
        w.message
            .contains("interviewer turns hold 98% of the spoken words (260 of 264)"),
        "{w:?}"
    );
    // A short exchange is too small to judge.
    assert!(
        parse("I: Could you say more about that please?\nP: Yes.\n")
            .warnings
            .is_empty()
    );
}

// See: #15 (item 2)
#[test]
fn words_that_are_not_speakers_do_not_start_turns() {
    let t = parse(
        "I: What happened?\nP: We met.\nQuestion: was it planned?\nAnswer: no.\nAnd: then we left.\n\
         So: that was it.\nNote: the line dropped.\n[As read] the policy says\n(inaudible): something\n\
         10:32 we met again\n[laughs] yes.\n[laughs] no.\nI: Thanks.\nP: Bye.\n",
    );
    assert_eq!(
        turn_texts(&t).into_iter().map(|x| x.0).collect::<Vec<_>>(),
        ["I", "P", "I", "P"]
    );
    assert!(t.text[t.turns[1].start..t.turns[1].end].ends_with("[laughs] no."));
    assert_eq!(
        labels(&t),
        [
            ("I", LabelWhy::Interviewer, 2),
            ("P", LabelWhy::KnownRole, 2),
            ("Question", LabelWhy::NotASpeaker, 1),
            ("Answer", LabelWhy::NotASpeaker, 1),
            ("And", LabelWhy::NotASpeaker, 1),
            ("So", LabelWhy::NotASpeaker, 1),
            ("Note", LabelWhy::NotASpeaker, 1),
            ("As read", LabelWhy::NotASpeaker, 1),
            ("laughs", LabelWhy::NotASpeaker, 2),
        ]
    );
}

// See: #15 (item 2)
#[test]
fn a_label_is_taken_when_it_recurs_or_is_a_known_role() {
    let t = parse(
        "Dr Khan: How long?\nNurse Jo: Years.\nDr Khan: Why?\nNurse Jo: Money.\nManager: once only\n",
    );
    assert_eq!(
        labels(&t),
        [
            ("Dr Khan", LabelWhy::Recurs, 2),
            ("Nurse Jo", LabelWhy::Recurs, 2),
            ("Manager", LabelWhy::Once, 1),
        ]
    );
    assert_eq!(t.turns.len(), 4);
    assert_eq!(
        &t.text[t.turns[3].start..t.turns[3].end],
        "Money.\nManager: once only"
    );
    // Q and A as a pair: A is the participant.
    let t = parse("Q: How long?\nA: Years.\n");
    assert_eq!(
        labels(&t),
        [
            ("Q", LabelWhy::Interviewer, 1),
            ("A", LabelWhy::KnownRole, 1)
        ]
    );
    assert_eq!(t.turns[1].role, Role::Participant);
    // A without Q is not a role.
    let t = parse("Interviewer: How long?\nR7: Years, say\nA: ten.\n");
    assert_eq!(t.label_why("R7"), LabelWhy::KnownRole);
    assert_eq!(labels(&t)[2], ("A", LabelWhy::Once, 1));
    assert_eq!(t.label_why(""), LabelWhy::Unlabelled);
    // A file's one label on its first line is a speaker.
    let t = parse("Witness: I saw it all.\nThen I left.\n");
    assert_eq!(labels(&t), [("Witness", LabelWhy::OnlyLabel, 1)]);
    assert_eq!(t.turns[0].speaker, "Witness");
}

// See: #15 (item 2)
#[test]
fn a_once_used_label_in_bold_like_the_others_is_a_speaker() {
    let t = parse(
        "**Facilitator:** Co-location?\n\n**Nurse A:** Same building.\n\n**Social worker B:** Moved in.\n\n\
         **Facilitator:** GPs?\n\nNurse A: never.\n",
    );
    assert_eq!(
        labels(&t),
        [
            ("Facilitator", LabelWhy::Interviewer, 2),
            ("Nurse A", LabelWhy::Recurs, 2),
            ("Social worker B", LabelWhy::SameForm, 1),
        ]
    );
    assert_eq!(t.participant_speakers(), ["Nurse A", "Social worker B"]);
}

// See: #15 (item 2)
#[test]
fn deeply_indented_lines_start_turns_only_with_a_known_role() {
    let t = parse(
        "MODERATOR: Go on.\n    \tHeat map:\n    \tHeat map: again\n\t\t\tMODERATOR: Next.\nOk.\n",
    );
    assert_eq!(
        labels(&t),
        [("MODERATOR", LabelWhy::Interviewer, 2)],
        "indented prose is not a label"
    );
    assert_eq!(t.turns.len(), 4);
    assert_eq!(t.turns[1].role, Role::Participant);
}

#[test]
fn words_are_runs_of_non_space_bytes() {
    assert_eq!(count_words(""), 0);
    assert_eq!(count_words("  one\ttwo\r\nthree  "), 3);
    assert_eq!(count_words("caf\u{e9} na\u{ef}ve"), 2);
    // The same as std's ASCII-whitespace split, on every edge.
    for text in [
        "x",
        " ",
        "x ",
        " x",
        "a\x0Cb",
        "a\u{a0}b",
        "\n\nI: why?\n\nP: because \t it is.\r\n",
        "a\x0Bb",
        &"word ".repeat(300),
        &"x".repeat(600),
    ] {
        assert_eq!(
            count_words(text),
            text.split_ascii_whitespace().count() as u64,
            "{text:?}"
        );
    }
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

#[test]
fn a_response_is_one_participant_turn_of_the_trimmed_answer() {
    let t = Transcript::response(
        "r7",
        "\n  We waited weeks.\n\nThen a call.  ",
        &ParseOptions::default(),
    );
    assert_eq!(
        turn_texts(&t),
        [(
            "r7".to_string(),
            Role::Participant,
            "We waited weeks.\n\nThen a call.".to_string()
        )]
    );
    assert_eq!(t.turns[0].line, 2);
    assert_eq!(t.segments(Unit::Paragraph).len(), 2);
    assert!(
        Transcript::response("r8", " \n ", &ParseOptions::default())
            .turns
            .is_empty()
    );
}

#[test]
fn participant_speakers_are_in_order_of_first_turn_once_each() {
    let t = parse(
        "P2: one\n\nP1: two\n\nInterviewer: q?\n\nP2: three\n\nP3: four\n\nP1: five\n\nP3: six\n",
    );
    assert_eq!(t.participant_speakers(), ["P2", "P1", "P3"]);
}
