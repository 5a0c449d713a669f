//! `formats::read` as a whole: bytes of any format, decoded, parsed and
//! coded as `mint code` does.

use mint::formats::{Format, Outcome, ReadOptions, read, survey::SurveyColumns};
use proptest::prelude::*;

use crate::{check, config, inputs, within};

fn format() -> impl Strategy<Value = Format> {
    proptest::sample::select(
        &[
            Format::Plain,
            Format::Docx,
            Format::Odt,
            Format::Vtt,
            Format::Srt,
            Format::Survey,
        ][..],
    )
}

/// Bytes in the encodings `decode` meets: UTF-8 with or without a BOM,
/// UTF-16 with a BOM, Latin-1, or anything.
fn encoded() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => inputs::transcript_text().prop_map(String::into_bytes),
        1 => inputs::transcript_text().prop_map(|t| [b"\xEF\xBB\xBF".as_slice(), t.as_bytes()].concat()),
        1 => inputs::transcript_text().prop_map(|t| {
            let mut out = vec![0xFF, 0xFE];
            out.extend(t.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }),
        1 => inputs::transcript_text().prop_map(|t| {
            let mut out = vec![0xFE, 0xFF];
            out.extend(t.encode_utf16().flat_map(u16::to_be_bytes));
            out
        }),
        1 => inputs::transcript_text().prop_map(|t| t.chars().map(|c| c as u32 as u8).collect()),
        1 => inputs::bytes(400),
    ]
}

/// Reads one file as `mint code` does and checks what came of it.
fn check_read(format: Format, bytes: Vec<u8>, options: &ReadOptions) -> Result<(), TestCaseError> {
    match read("f", format, bytes, options) {
        Outcome::Read(t, _) => {
            check::turns(&t)?;
            if format == Format::Plain {
                check::nothing_lost(&t)?;
            }
            check::codings(&t)?;
        }
        Outcome::Skip(reason) => prop_assert!(!reason.is_empty()),
        Outcome::Fail(_) => {}
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_format_any_bytes(format in format(), bytes in encoded(), survey in any::<bool>(), parse in inputs::parse_options()) {
        let options = ReadOptions {
            parse,
            survey: survey.then(|| SurveyColumns { text: "answer".into(), id: Some("id".into()), sheet: None }),
        };
        within(move || check_read(format, bytes, &options))?;
    }
}
