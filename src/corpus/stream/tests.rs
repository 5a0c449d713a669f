use super::*;
use crate::corpus::Turn;

fn options() -> ParseOptions {
    ParseOptions::default()
}

/// The file's windows, read from a temporary file.
fn streamed(text: &str, options: &ParseOptions, window: usize) -> Vec<(Transcript, Window)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.txt");
    std::fs::write(&path, text).unwrap();
    let plan = plan(&path, options, window).unwrap().expect("UTF-8 text");
    plan.windows(&path, "t.txt", options)
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A turn as the file has it: index, line, speaker, role and its words,
/// with the pieces of a cut turn joined.
type Whole = (usize, usize, String, Role, String);

fn joined<'a>(turns: impl Iterator<Item = (&'a str, &'a Turn)>) -> Vec<Whole> {
    let mut out: Vec<Whole> = Vec::new();
    for (text, turn) in turns {
        let words = text[turn.start..turn.end].split_whitespace();
        match out.last_mut() {
            Some(last) if last.0 == turn.index => {
                for w in words {
                    last.4.push(' ');
                    last.4.push_str(w);
                }
            }
            _ => out.push((
                turn.index,
                turn.line,
                turn.speaker.clone(),
                turn.role,
                words.collect::<Vec<_>>().join(" "),
            )),
        }
    }
    out
}

/// The warnings that do not come from cutting turns, sorted.
fn other_warnings<'a>(warnings: impl Iterator<Item = &'a Warning>) -> Vec<Warning> {
    let mut out: Vec<Warning> = warnings
        .filter(|w| !w.message.contains("pieces"))
        .cloned()
        .collect();
    out.sort_by(|a, b| (a.line, &a.message).cmp(&(b.line, &b.message)));
    out
}

/// Streaming `text` in windows of `window` bytes gives the turns, words,
/// front matter, labels and warnings of reading it whole; each window's
/// offsets point into the file's text.
fn same_as_whole(text: &str, window: usize) {
    let options = options();
    // Decoding takes the byte-order mark off before parsing.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let whole = Transcript::parse("t.txt", body.to_string(), &options).unwrap();
    let parts = streamed(text, &options, window);
    assert!(parts.len() > 1, "the text is read in one window");
    assert!(parts[0].1.first && parts.last().unwrap().1.last);
    for (t, w) in &parts {
        assert_eq!(&body[w.byte_base..w.byte_base + t.text.len()], t.text);
        assert_eq!(body[..w.byte_base].chars().count(), w.char_base);
        assert_eq!(t.front_matter, whole.front_matter);
    }
    assert_eq!(
        joined(
            parts
                .iter()
                .flat_map(|(t, _)| t.turns.iter().map(|u| (t.text.as_str(), u)))
        ),
        joined(whole.turns.iter().map(|u| (whole.text.as_str(), u))),
    );
    let mut words = Words::default();
    for (t, _) in &parts {
        words.add(&t.words);
    }
    assert_eq!(words, whole.words);
    assert_eq!(parts[0].0.labels, whole.labels);
    assert_eq!(
        other_warnings(parts.iter().flat_map(|(t, _)| &t.warnings)),
        other_warnings(whole.warnings.iter())
    );
}

/// An interview of `n` exchanges; answers grow with `k`.
fn interview(n: usize, eol: &str) -> String {
    let mut s = format!("---{eol}participant: P1{eol}level: strategic{eol}---{eol}");
    for k in 0..n {
        s.push_str(&format!("Interviewer: What happened in week {k}?{eol}"));
        s.push_str("P1: ");
        for j in 0..k % 7 + 1 {
            s.push_str(&format!("The nurse and the social worker met {j} times. "));
        }
        s.push_str(&format!("{eol}It was é{k} — fine.{eol}{eol}"));
    }
    s
}

#[test]
fn a_labelled_interview_streams_as_it_reads_whole() {
    for window in [300, 1000, 4000] {
        same_as_whole(&interview(120, "\n"), window);
    }
}

#[test]
fn crlf_and_a_bom_stream_as_they_read_whole() {
    same_as_whole(&format!("\u{feff}{}", interview(80, "\r\n")), 700);
}

#[test]
fn a_file_that_labels_only_the_moderator_streams_as_it_reads_whole() {
    let mut s = String::from("Session 4\nSearch tool\n\n");
    for k in 0..60 {
        s.push_str(&format!("MODERATOR: can you try step {k}?\n\n"));
        s.push_str(&format!(
            "So I would click here first.\nThen the filter {k} appears.\n\nI am not sure what it does.\n\n"
        ));
    }
    same_as_whole(&s, 600);
    // One paragraph a line, as a word processor writes it.
    same_as_whole(&s.replace("\n\n", "\n"), 600);
}

#[test]
fn a_file_without_labels_streams_as_one_participant_turn() {
    let s = "We talked about the budget and the rota at length. ".repeat(400);
    same_as_whole(&s, 1000);
    let parts = streamed(&s, &options(), 1000);
    // One turn, in pieces, all of them the participant's turn 1.
    assert!(
        parts
            .iter()
            .flat_map(|(t, _)| &t.turns)
            .all(|t| (t.index, t.role) == (1, Role::Participant))
    );
}

#[test]
fn a_giant_turn_is_cut_at_window_edges_and_warned_about_once() {
    let mut s = String::from("Interviewer: Tell me about the team.\nP1: ");
    s.push_str(&"The district nurse and the social worker share an office now. ".repeat(200));
    s.push_str("\nInterviewer: Thanks.\n");
    same_as_whole(&s, 1000);
    let options = ParseOptions {
        max_turn_bytes: 3000,
        ..options()
    };
    let parts = streamed(&s, &options, 1000);
    let warnings: Vec<&Warning> = parts.iter().flat_map(|(t, _)| &t.warnings).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let pieces = parts
        .iter()
        .flat_map(|(t, _)| &t.turns)
        .filter(|t| t.index == 2)
        .count();
    assert!(pieces > 1);
    assert_eq!(warnings[0].line, 2);
    assert!(
        warnings[0].message.starts_with(&format!(
            "turn of {} bytes is longer than the limit of 3000 bytes",
            s.lines().nth(1).unwrap().len() - "P1: ".len() - 1
        )),
        "{}",
        warnings[0].message
    );
    assert!(warnings[0].message.contains(&format!("{pieces} pieces")));
}

#[test]
fn a_file_that_is_not_utf8_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.txt");
    std::fs::write(&path, b"Interviewer: caf\xe9?\nP1: yes\n").unwrap();
    assert!(plan(&path, &options(), 64).unwrap().is_none());
    std::fs::write(&path, b"\xff\xfeI\x00:\x00").unwrap();
    assert!(plan(&path, &options(), 64).unwrap().is_none());
}

#[test]
fn front_matter_never_closed_is_the_same_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.txt");
    let text = format!("---\nlevel: x\n{}", "I: never closed\n".repeat(100));
    std::fs::write(&path, &text).unwrap();
    let err = plan(&path, &options(), 64).unwrap_err();
    let whole = Transcript::parse("t.txt", text, &options()).unwrap_err();
    assert_eq!(err, whole);
}
