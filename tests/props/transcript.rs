//! Plain-text transcripts (`Transcript::parse`) and the coding of them.

use mint::corpus::{ParseOptions, Transcript};
use proptest::prelude::*;

use crate::{check, config, inputs, within};

fn parse(text: String, options: ParseOptions) -> Option<Transcript> {
    within(move || Transcript::parse("p.txt", text, &options).ok())
}

proptest! {
    #![proptest_config(config(256))]

    /// Transcript-like text: turns are slices of the text in order, nothing
    /// is lost silently, and codings stay inside their segments.
    #[test]
    fn transcripts_keep_every_character(text in inputs::transcript_text(), options in inputs::parse_options()) {
        if let Some(t) = parse(text, options) {
            check::turns(&t)?;
            check::nothing_lost(&t)?;
            check::codings(&t)?;
        }
    }

    /// Any text at all.
    #[test]
    fn any_text_parses_or_fails_cleanly(text in "\\PC{0,400}|(?s).{0,400}", options in inputs::parse_options()) {
        if let Some(t) = parse(text, options) {
            check::turns(&t)?;
            check::nothing_lost(&t)?;
            check::codings(&t)?;
        }
    }
}
