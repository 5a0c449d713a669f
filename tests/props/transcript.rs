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

/// Reads `text` from a file in windows of `window` bytes and puts the
/// windows back together as one transcript over the whole text: turns
/// shifted to the file's offsets, warnings and words of every window.
/// `None` when the file is not streamed (not UTF-8) or fails as reading it
/// whole does; else the transcript and the number of windows.
fn reassembled(
    text: &str,
    options: &ParseOptions,
    window: usize,
) -> Result<Option<(Transcript, u64)>, TestCaseError> {
    use mint::corpus::stream;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.txt");
    std::fs::write(&path, text).unwrap();
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let whole = Transcript::parse("p.txt", body.to_string(), options);
    let plan = match stream::plan(&path, options, window) {
        Ok(Some(plan)) => plan,
        Ok(None) => return Ok(None),
        Err(err) => {
            // Only a front matter never closed fails, as it does whole.
            prop_assert_eq!(Err(err), whole.map(|_| ()));
            return Ok(None);
        }
    };
    let mut out = whole.map_err(|e| TestCaseError::fail(format!("whole: {e}")))?;
    out.turns.clear();
    out.warnings.clear();
    out.words = Default::default();
    let mut last = (0, 0);
    let mut windows = 0;
    for part in plan.windows(&path, "p.txt", options).unwrap() {
        windows += 1;
        let (t, w) = part.map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(
            &body[w.byte_base..w.byte_base + t.text.len()],
            t.text.as_str()
        );
        prop_assert_eq!((w.byte_base, w.char_base), last, "windows are contiguous");
        last = (
            w.byte_base + t.text.len(),
            w.char_base + t.text.chars().count(),
        );
        for turn in &t.turns {
            let mut turn = turn.clone();
            turn.start += w.byte_base;
            turn.end += w.byte_base;
            out.turns.push(turn);
        }
        out.warnings.extend(t.warnings.iter().cloned());
        out.words.add(&t.words);
    }
    prop_assert_eq!(last.0, body.len(), "the windows cover the file");
    Ok(Some((out, windows)))
}

proptest! {
    #![proptest_config(config(256))]

    /// A file read in windows (any size, down to a few bytes): its turns
    /// are slices of the file in order, numbered 1, 2, ... (the pieces of
    /// a turn cut at a window's edge share its number), nothing is lost
    /// silently, and no word is counted twice.
    #[test]
    fn windows_keep_every_character(
        lines in inputs::transcript_text(),
        options in inputs::parse_options(),
        window in 8usize..200,
    ) {
        // Windows start past the front matter in real files (8 MiB): keep
        // it within the first window here.
        let text = lines;
        let whole = Transcript::parse("p.txt", text.strip_prefix('\u{feff}').unwrap_or(&text).to_string(), &options);
        let window = match &whole {
            Ok(t) if !t.front_matter.is_empty() => window.max(text.len()),
            _ => window,
        };
        within(move || {
            let Some((t, windows)) = reassembled(&text, &options, window)? else {
                return Ok(());
            };
            let mut index = 0;
            let mut previous_end = 0;
            for turn in &t.turns {
                check::span(&t.text, turn.start, turn.end, "turn")?;
                prop_assert!(turn.start >= previous_end, "turns overlap");
                prop_assert!(turn.index == index || turn.index == index + 1, "turn numbers");
                index = turn.index;
                previous_end = turn.end;
            }
            check::nothing_lost(&t)?;
            // No word is counted twice: a window cut inside a word (only
            // where a window's second half has no space) makes two of it,
            // and a time stamp's line at a window's edge is kept (it may be
            // inside the turn) where reading whole drops it at the turn's
            // end. (Fewer may be counted: Unicode-only space at an edge is
            // trimmed as at a turn's; nothing_lost shows no text is lost.)
            let (words, whole) = (t.words.total(), whole.unwrap().words.total());
            let stamps: u64 = check::line_spans(&t.text)
                .into_iter()
                .map(|(s, e)| &t.text[s..e])
                .filter(|l| check::wordless(l))
                .map(|l| l.split_whitespace().count() as u64)
                .sum();
            prop_assert!(
                words < whole + windows + stamps,
                "{} words read in {} windows, {} whole", words, windows, whole
            );
            Ok(())
        })?;
    }
}
