//! WebVTT and SubRip captions (`formats::vtt::parse`, `formats::srt::parse`).

use mint::corpus::{ParseOptions, Transcript};
use mint::formats::{Extracted, FormatError, srt, vtt};
use proptest::prelude::*;

use crate::{check, config, inputs, within};

/// A cue timing, well formed or nearly: hours optional, `.` or `,` before
/// the milliseconds, odd arrows, settings after it, numbers out of range.
fn timing() -> impl Strategy<Value = String> {
    let clock = prop_oneof![
        (0u32..100, 0u32..70, 0u32..70, 0u32..1000, prop_oneof![Just('.'), Just(',')])
            .prop_map(|(h, m, s, ms, sep)| format!("{h:02}:{m:02}:{s:02}{sep}{ms:03}")),
        (0u32..70, 0u32..70, 0u32..1000).prop_map(|(m, s, ms)| format!("{m:02}:{s:02}.{ms:03}")),
        "[0-9:.,]{1,14}",
    ];
    (
        clock.clone(),
        prop_oneof![Just(" --> "), Just("-->"), Just(" -> "), Just("  -->  ")],
        clock,
        prop_oneof![Just(""), Just(" align:start position:10%"), Just(" X")],
    )
        .prop_map(|(a, arrow, b, settings)| format!("{a}{arrow}{b}{settings}"))
}

/// A line of cue text: prose, a `Name:` label, voice and formatting tags,
/// entities.
fn cue_line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => inputs::prose(10),
        2 => (inputs::label(), inputs::prose(8)).prop_map(|(l, t)| format!("{l}: {t}")),
        2 => (inputs::label(), inputs::prose(8)).prop_map(|(l, t)| format!("<v {l}>{t}</v>")),
        1 => (inputs::label(), inputs::prose(8)).prop_map(|(l, t)| format!("<v.loud {l}>{t}")),
        1 => inputs::prose(6).prop_map(|t| format!("<b><i>{t}</i></b> <c.yellow>x</c>")),
        1 => inputs::prose(6).prop_map(|t| format!("- {t}")),
        1 => Just("&amp; &lt; &gt; &nbsp; &#x2014; &bogus; &".to_string()),
        1 => Just("<00:00:01.500>karaoke <v".to_string()),
        1 => "\\PC{0,20}",
    ]
}

/// A caption file: blocks separated by blank lines, each a cue (id, timing,
/// text) or a header, note, style block or junk.
fn captions(vtt: bool) -> impl Strategy<Value = String> {
    let block = prop_oneof![
        6 => (
            prop_oneof![Just(String::new()), (1u32..1000).prop_map(|n| format!("{n}\n")), "[a-z0-9-]{1,8}\n"],
            timing(),
            proptest::collection::vec(cue_line(), 0..4),
        )
            .prop_map(|(id, time, lines)| format!("{id}{time}\n{}", lines.join("\n"))),
        1 => Just("NOTE a comment\nover two lines".to_string()),
        1 => Just("STYLE\n::cue { color: red }".to_string()),
        1 => Just("REGION\nid:fred".to_string()),
        1 => proptest::collection::vec(cue_line(), 1..3).prop_map(|l| l.join("\n")),
    ];
    (
        if vtt {
            prop_oneof![Just("WEBVTT\n\n"), Just("\u{feff}WEBVTT - title\n\n"), Just(""), Just("WEBVTT")].boxed()
        } else {
            prop_oneof![Just(""), Just("\u{feff}")].boxed()
        },
        proptest::collection::vec(block, 0..10),
        prop_oneof![Just("\n\n"), Just("\r\n\r\n"), Just("\n \n"), Just("\n")],
    )
        .prop_map(|(head, blocks, sep)| format!("{head}{}", blocks.join(sep)))
}

fn check_extracted(result: Result<Extracted, FormatError>) -> Result<(), TestCaseError> {
    let Ok(extracted) = result else {
        return Ok(());
    };
    let mut previous_end = 0;
    for turn in &extracted.turns {
        check::span(&extracted.text, turn.start, turn.end, "caption turn")?;
        prop_assert!(turn.start >= previous_end, "caption turns overlap");
        prop_assert!(turn.line >= 1);
        previous_end = turn.end;
    }
    let t = Transcript::from_turns(
        "c.vtt",
        extracted.text,
        extracted.turns,
        Vec::new(),
        &ParseOptions::default(),
    );
    check::turns(&t)?;
    check::codings(&t)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn vtt_files(text in captions(true)) {
        check_extracted(within(move || vtt::parse(&text)))?;
    }

    #[test]
    fn srt_files(text in captions(false)) {
        check_extracted(within(move || srt::parse(&text)))?;
    }

    #[test]
    fn vtt_any_text(text in "(?s).{0,300}") {
        check_extracted(within(move || vtt::parse(&text)))?;
    }

    #[test]
    fn srt_any_text(text in "(?s).{0,300}") {
        check_extracted(within(move || srt::parse(&text)))?;
    }
}
