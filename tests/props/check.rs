//! The invariants every parsed transcript and every coding must keep.

use mint::codebook::Codebook;
use mint::corpus::{Role, Transcript, Unit};
use mint::matcher::Matcher;
use proptest::prelude::*;

/// A small codebook whose patterns cover the pattern language: acronyms,
/// wildcards, phrases, hyphens, apostrophes, spelling variants, raw
/// regexes, `NEAR`, a sub-code and rules.
pub const CODEBOOK: &str = r#"
[codebook]
name = "props"
[[themes]]
id = "t"
label = "T"
[[codes]]
id = "it"
theme = "t"
label = "IT"
patterns = ["IT", "system*", "co-location", "don't"]
[[codes]]
id = "care"
theme = "t"
label = "Care"
patterns = ["social care", "organisation", "re:(?i)stra(ß|ss)e", "café NEAR/3 team", "nurse NEAR/s GP"]
not_after = ["not", "never"]
[[codes]]
id = "sub"
theme = "t"
parent = "care"
label = "Sub"
patterns = ["naïve", "İstanbul", "re:\\bﬁ\\w*"]
min_hits = 2
"#;

/// The compiled [`CODEBOOK`].
pub fn matcher() -> &'static Matcher {
    static MATCHER: std::sync::LazyLock<Matcher> = std::sync::LazyLock::new(|| {
        let book = Codebook::from_toml_str(CODEBOOK, "props.toml").expect("the props codebook");
        Matcher::new(&book).expect("the props codebook compiles")
    });
    &MATCHER
}

/// `start..end` is a slice of `text`: in bounds, ordered, on char boundaries.
pub fn span(text: &str, start: usize, end: usize, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        start <= end && end <= text.len(),
        "{what} {start}..{end} outside the text (length {})",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what} {start}..{end} is not on char boundaries"
    );
    Ok(())
}

/// Turns are slices of the text, in order, not overlapping, numbered from 1.
pub fn turns(t: &Transcript) -> Result<(), TestCaseError> {
    let mut previous_end = 0;
    for (k, turn) in t.turns.iter().enumerate() {
        span(&t.text, turn.start, turn.end, &format!("turn {}", k + 1))?;
        prop_assert_eq!(turn.index, k + 1, "turn numbers");
        prop_assert!(
            turn.start >= previous_end,
            "turn {} starts at {} inside the one before (ends at {previous_end})",
            k + 1,
            turn.start
        );
        previous_end = turn.end;
    }
    Ok(())
}

/// Every coding unit lies inside its participant turn, and every coding's
/// evidence inside its unit, for each unit.
pub fn codings(t: &Transcript) -> Result<(), TestCaseError> {
    for unit in [Unit::Turn, Unit::Paragraph, Unit::Sentence] {
        for (turn, start, end) in t.segments(unit) {
            span(&t.text, start, end, "segment")?;
            let turn = &t.turns[turn];
            prop_assert_eq!(turn.role, Role::Participant);
            prop_assert!(
                turn.start <= start && end <= turn.end,
                "segment outside its turn"
            );
        }
        let coded = mint::coding::code(t, matcher(), unit);
        let speakers = t.participant_speakers().len();
        prop_assert_eq!(coded.by_speaker.len(), speakers);
        for c in &coded.codings {
            span(&t.text, c.start, c.end, "coded segment")?;
            span(&t.text, c.hit.start, c.hit.end, "hit")?;
            prop_assert!(
                c.start <= c.hit.start && c.hit.end <= c.end,
                "hit outside segment"
            );
            prop_assert!(c.who < speakers);
            let turn = &t.turns[c.turn];
            prop_assert_eq!(turn.role, Role::Participant);
            prop_assert!(
                turn.start <= c.start && c.end <= turn.end,
                "coding outside its turn"
            );
        }
    }
    Ok(())
}

/// Lines of `text` as byte spans without their breaks (LF, CRLF, lone CR).
pub fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push((start, i));
                start = i + 1;
            }
            b'\r' => {
                out.push((start, i));
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        out.push((start, bytes.len()));
    }
    out
}

/// A line with no words: only digits, punctuation and `am`/`pm`, such as a
/// time stamp `(10.01 am)`. The parser may drop it at a turn's edge.
pub fn wordless(line: &str) -> bool {
    let mut letters = line.chars().filter(|c| c.is_alphabetic());
    letters.clone().count() <= 4 && letters.all(|c| "apmAPM".contains(c))
}

/// The end of a `---` front-matter block at the top of `text`, if closed.
fn fenced_front_matter(text: &str, lines: &[(usize, usize)]) -> usize {
    let Some(&(s, e)) = lines.first() else {
        return 0;
    };
    if text[s..e].trim_end() != "---" {
        return 0;
    }
    lines[1..]
        .iter()
        .find(|&&(s, e)| text[s..e].trim() == "---")
        .map_or(0, |&(_, e)| e)
}

/// Nothing is lost silently: every character that is not white space is in
/// a turn (label included: from the start of the turn's line to its end),
/// or on a wordless line (a time stamp), or, before the first turn, in the
/// front matter or reported by a warning.
pub fn nothing_lost(t: &Transcript) -> Result<(), TestCaseError> {
    let text = t.text.as_str();
    let lines = line_spans(text);
    let line_start = |number: usize| lines.get(number - 1).map_or(text.len(), |l| l.0);
    let covered: Vec<(usize, usize)> = t
        .turns
        .iter()
        .map(|turn| (line_start(turn.line).min(turn.start), turn.end))
        .collect();
    let body = t
        .turns
        .first()
        .map_or(text.len(), |turn| line_start(turn.line));
    let front = fenced_front_matter(text, &lines);
    for &(s, e) in &lines {
        let line = &text[s..e];
        if wordless(line) {
            continue;
        }
        for (i, c) in line.char_indices() {
            let at = s + i;
            if c.is_whitespace() || covered.iter().any(|&(a, b)| a <= at && at < b) {
                continue;
            }
            if at < body && (at < front || !t.front_matter.is_empty() || !t.warnings.is_empty()) {
                continue;
            }
            prop_assert!(
                false,
                "{c:?} at byte {at} (line {line:?}) is in no turn and no warning says so; turns {:?}",
                covered
            );
        }
    }
    Ok(())
}
