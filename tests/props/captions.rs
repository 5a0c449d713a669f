//! WebVTT and SubRip captions (`formats::vtt::parse`, `formats::srt::parse`).

use mint::corpus::{ParseOptions, Transcript};
use mint::formats::{Extracted, FormatError, srt, vtt};
use proptest::prelude::*;

use crate::{check, config, inputs, within};

/// A cue timing for cue `n`: well formed and in order (most), or odd:
/// hours left out, the other decimal mark, arrows without spaces, settings,
/// numbers out of range, ending before it starts, not a timing at all.
fn timing(n: usize, odd: Option<u8>, srt: bool) -> String {
    let clock = |ms: usize| {
        let sep = if srt { ',' } else { '.' };
        format!(
            "{:02}:{:02}:{:02}{sep}{:03}",
            ms / 3_600_000,
            ms / 60_000 % 60,
            ms / 1000 % 60,
            ms % 1000
        )
    };
    let (a, b) = (clock(n * 2000), clock(n * 2000 + 1500));
    match odd {
        None => format!("{a} --> {b}"),
        Some(0) => format!("{a}-->{b} align:start position:10%"),
        Some(1) => format!("{} --> {}", &a[3..], &b[3..]),
        Some(2) => format!("{a} --> {b}").replace([',', '.'], if srt { "." } else { "," }),
        Some(3) => format!("{b} --> {a}"),
        Some(4) => "99:99:99.999 --> 100:00:00.000".to_string(),
        Some(5) => format!("{a} -> {b}"),
        Some(6) => "00:00:01.000 -->".to_string(),
        _ => format!("{a} --> {b} X"),
    }
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

/// A block of a caption file.
#[derive(Debug, Clone)]
enum Block {
    /// A cue: id line (maybe none), an odd timing or none, text lines.
    Cue(String, Option<u8>, Vec<String>),
    /// A block with no timing: a note, style, region or stray text.
    Other(String),
}

/// A caption file: blocks separated by blank lines, each a cue (id, timing,
/// text) or a header, note, style block or junk.
pub fn captions(vtt: bool) -> impl Strategy<Value = String> {
    let ids = if vtt {
        prop_oneof![Just(String::new()), Just("#".to_string()), "[a-z0-9-]{1,8}"].boxed()
    } else {
        prop_oneof![6 => Just("#".to_string()), 1 => Just(String::new()), 1 => "[0-9]{1,3}"].boxed()
    };
    let cue = (
        ids,
        prop_oneof![30 => Just(None), 1 => (0u8..8).prop_map(Some)],
        proptest::collection::vec(cue_line(), 0..4),
    )
        .prop_map(|(id, odd, lines)| Block::Cue(id, odd, lines));
    let stray =
        proptest::collection::vec(cue_line(), 1..3).prop_map(|l| Block::Other(l.join("\n")));
    let block = if vtt {
        prop_oneof![
            12 => cue,
            1 => Just(Block::Other("NOTE a comment\nover two lines".to_string())),
            1 => Just(Block::Other("STYLE\n::cue { color: red }".to_string())),
            1 => Just(Block::Other("REGION\nid:fred".to_string())),
            1 => stray,
        ]
        .boxed()
    } else {
        prop_oneof![20 => cue, 1 => stray].boxed()
    };
    (
        if vtt {
            prop_oneof![8 => Just("WEBVTT\n\n"), 1 => Just("WEBVTT - title\nKind: captions\n\n"), 1 => Just("WEBVTT"), 1 => Just("")].boxed()
        } else {
            prop_oneof![Just(""), Just("\n\n")].boxed()
        },
        proptest::collection::vec(block, 0..10),
        prop_oneof![6 => Just("\n\n"), 1 => Just("\r\n\r\n"), 1 => Just("\n \n"), 1 => Just("\n")],
    )
        .prop_map(move |(head, blocks, sep)| {
            let blocks: Vec<String> = blocks
                .into_iter()
                .enumerate()
                .map(|(n, block)| match block {
                    Block::Cue(id, odd, lines) => {
                        let id = match id.as_str() {
                            "" => String::new(),
                            "#" => format!("{}\n", n + 1),
                            id => format!("{id}\n"),
                        };
                        format!("{id}{}\n{}", timing(n, odd, !vtt), lines.join("\n"))
                    }
                    Block::Other(text) => text,
                })
                .collect();
            format!("{head}{}", blocks.join(sep))
        })
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
        within(move || check_extracted(vtt::parse(&text)))?;
    }

    #[test]
    fn srt_files(text in captions(false)) {
        within(move || check_extracted(srt::parse(&text)))?;
    }

    #[test]
    fn vtt_any_text(text in "(?s).{0,300}") {
        within(move || check_extracted(vtt::parse(&text)))?;
    }

    #[test]
    fn srt_any_text(text in "(?s).{0,300}") {
        within(move || check_extracted(srt::parse(&text)))?;
    }
}
