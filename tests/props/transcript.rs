//! Plain-text transcripts (`Transcript::parse`) and the coding of them.

use mint::corpus::{ParseOptions, Transcript};
use proptest::prelude::*;

use crate::{check, config, inputs, within};

/// Parses, then checks the transcript and its codings, all on the watched
/// thread.
fn parse_and_check(text: String, options: ParseOptions) -> Result<(), TestCaseError> {
    within(move || {
        if let Ok(t) = Transcript::parse("p.txt", text, &options) {
            check::turns(&t)?;
            check::nothing_lost(&t)?;
            check::codings(&t)?;
        }
        Ok(())
    })
}

proptest! {
    #![proptest_config(config(256))]

    /// Transcript-like text: turns are slices of the text in order, nothing
    /// is lost silently, and codings stay inside their segments.
    #[test]
    fn transcripts_keep_every_character(text in inputs::transcript_text(), options in inputs::parse_options()) {
        parse_and_check(text, options)?;
    }

    /// Any text at all.
    #[test]
    fn any_text_parses_or_fails_cleanly(text in "\\PC{0,400}|(?s).{0,400}", options in inputs::parse_options()) {
        parse_and_check(text, options)?;
    }
}
