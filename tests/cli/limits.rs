//! Bounded input: a turn over `--max-turn-bytes` is coded in pieces, and a
//! Word file that inflates past the size limit (a zip bomb) is refused
//! without stopping the run. Fixtures: `tests/data/limits/`; the zip bombs
//! are built here, in a temporary folder.

use std::io::{Cursor, Write};

use crate::util::{mint, parse_csv, run};

const LONG_TURN: &str = "tests/data/limits/long-turn.txt";
const CODEBOOK: &str = "tests/data/limits/codebook.toml";

/// The codings CSV (its rows) and stderr and status of coding `path`.
fn codings(path: &str, extra: &[&str]) -> (Vec<Vec<String>>, String, i32) {
    let (stdout, stderr, code) = run(mint()
        .args(["code", path, "--codebook", CODEBOOK, "--codings", "-"])
        .args(["--format", "json", "--by", ""])
        .args(extra));
    let csv_end = stdout.find("\n{").map_or(stdout.len(), |i| i + 1);
    let (header, rows) = parse_csv(&stdout[..csv_end]);
    assert_eq!(header[2..6], ["turn", "speaker", "start", "end"]);
    (rows, stderr, code)
}

/// The (turn, start, end, text) of every segment the `anything` code
/// coded, which is every segment.
fn segments(rows: &[Vec<String>]) -> Vec<(String, usize, usize, String)> {
    rows.iter()
        .filter(|r| r[7] == "anything")
        .map(|r| {
            (
                r[2].clone(),
                r[4].parse().unwrap(),
                r[5].parse().unwrap(),
                r[9].clone(),
            )
        })
        .collect()
}

#[test]
fn a_long_turn_is_coded_in_pieces_and_no_text_is_lost() {
    let text = std::fs::read_to_string(crate::util::fixture("limits/long-turn.txt")).unwrap();
    let turn_start = text.find("P1: ").unwrap() + 4;
    let turn_end = text.find("\nInterviewer: And").unwrap();
    let turn = &text[turn_start..turn_end];

    // By default the turn is one segment, and nothing is said.
    let (rows, stderr, code) = codings(LONG_TURN, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("--max-turn-bytes"), "{stderr}");
    let whole = segments(&rows);
    assert_eq!(whole[0].3, turn);

    let (rows, stderr, code) = codings(LONG_TURN, &["--max-turn-bytes", "100"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "long-turn.txt:2: turn of {} bytes is longer than the limit of 100 bytes \
             (--max-turn-bytes): coded as 6 pieces cut at paragraph, sentence or \
             word boundaries; 1 cut falls inside a word",
            turn.len()
        )),
        "{stderr}"
    );
    let pieces = segments(&rows);
    // The pieces are turn 2's, in order, each within the limit, with only
    // whitespace between them: together they are the whole turn.
    let mut at = turn_start;
    for (turn_number, start, end, piece) in &pieces[..pieces.len() - 1] {
        assert_eq!(turn_number, "2");
        assert!(piece.len() <= 100, "{piece:?}");
        assert_eq!(
            &text[*start..*end],
            piece,
            "offsets (ASCII text) point at the piece"
        );
        assert!(
            text[at..*start].trim().is_empty(),
            "lost {:?}",
            &text[at..*start]
        );
        at = *end;
    }
    assert_eq!(at, turn_end);
    assert_eq!(pieces.last().unwrap().3, "It settled.");
    // (One cut falls inside the long run of letters: compare without spaces.)
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let joined: String = pieces[..pieces.len() - 1]
        .iter()
        .map(|p| squeeze(&p.3))
        .collect();
    assert_eq!(joined, squeeze(turn));
    // How each cut was made: a sentence end, a paragraph break (a line
    // break inside a paragraph is not a sentence end), between two words,
    // a paragraph break, inside a word.
    let ends: Vec<&str> = pieces
        .iter()
        .map(|p| p.3.rsplit(' ').next().unwrap())
        .map(|w| w.get(w.len().saturating_sub(8)..).unwrap())
        .collect();
    assert_eq!(
        ends,
        [
            "first.", "theirs.", "for", "it.", "teevenin", "g.", "settled."
        ]
    );
    assert!(pieces[1].3.starts_with("Their cars were\nalready"));

    // --strict makes the warning fail the run.
    let (_, _, code) = codings(LONG_TURN, &["--max-turn-bytes", "100", "--strict"]);
    assert_eq!(code, 2);
}

#[test]
fn max_turn_bytes_must_be_a_positive_number() {
    for bad in ["0", "-5", "lots"] {
        let flag = format!("--max-turn-bytes={bad}");
        let (_, stderr, code) = run(mint().args(["code", LONG_TURN, &flag]));
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stderr.contains("--max-turn-bytes"), "{stderr}");
    }
}

/// A .docx whose `word/document.xml` holds `body` inside one paragraph.
fn docx(body: impl FnOnce(&mut dyn Write)) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(
        b"<?xml version=\"1.0\"?><w:document \
          xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
          <w:body><w:p><w:r><w:t>",
    )
    .unwrap();
    body(&mut zip);
    zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .unwrap();
    zip.finish().unwrap().into_inner()
}

/// Sets every declared uncompressed size of `word/document.xml` (local
/// header and central directory) to `size`.
fn lie_about_size(bytes: &mut [u8], size: u32) {
    let name = b"word/document.xml";
    for (signature, header_len, size_at) in [(b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)] {
        let mut found = false;
        for at in 0..bytes.len() - header_len {
            if &bytes[at..at + 4] == signature && bytes[at + header_len..].starts_with(name) {
                bytes[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
                found = true;
            }
        }
        assert!(found, "no {signature:?} header for {name:?}");
    }
}

#[test]
fn a_zip_bomb_is_refused_and_the_other_files_are_coded() {
    let dir = tempfile::tempdir().unwrap();
    let good = docx(|w| {
        w.write_all(b"Interviewer: Why?</w:t></w:r></w:p><w:p><w:r><w:t>P1: The nurse came.")
            .unwrap()
    });
    // 65 MiB of spaces, just over the 64 MiB limit: about 65 KiB deflated.
    let spaces = vec![b' '; 1 << 20];
    let bomb = docx(|w| {
        for _ in 0..65 {
            w.write_all(&spaces).unwrap();
        }
    });
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    let mut lying = bomb.clone();
    lie_about_size(&mut lying, 1000);
    for (name, bytes) in [
        ("a-good.docx", &good),
        ("b-bomb.docx", &bomb),
        ("c-lying.docx", &lying),
    ] {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }

    let path = dir.path().to_str().unwrap();
    let (rows, stderr, code) = codings(path, &[]);
    assert_eq!(code, 2, "{stderr}");
    let coded: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[7].as_str()))
        .collect();
    assert_eq!(
        coded,
        [("a-good.docx", "anything"), ("a-good.docx", "nurse")]
    );
    let refused = "word/document.xml is larger than 64 MiB uncompressed";
    assert!(
        stderr.contains(&format!(
            "b-bomb.docx: {refused} (it declares 68157607 bytes): not read, a guard against zip bombs"
        )),
        "{stderr}"
    );
    // The zip reader stops at the declared size; mint's own cap is the
    // second guard (see `office::Package::part`).
    assert!(
        stderr.contains(
            "c-lying.docx: cannot read word/document.xml in the archive: \
             File is larger than its declared uncompressed size"
        ),
        "{stderr}"
    );
}

#[test]
fn speakers_counts_a_turn_cut_in_pieces_once() {
    let (stdout, stderr, status) = run(mint().args([
        "speakers",
        "tests/data/limits/long-turn.txt",
        "--max-turn-bytes",
        "100",
        "--format",
        "csv",
    ]));
    assert_eq!(status, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    let turns = header.iter().position(|h| h == "turns").unwrap();
    let counts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[1].as_str(), r[turns].as_str()))
        .collect();
    assert_eq!(counts, [("Interviewer", "2"), ("P1", "2")]);
}

// See: #15 (item 11)
#[test]
fn a_large_file_read_in_windows_codes_as_it_does_read_whole() {
    let code = |extra: &[&str], format: &str| {
        let dir = tempfile::tempdir().unwrap();
        let codings = dir.path().join("codings.csv");
        let (stdout, stderr, status) = run(mint()
            .args(["code", "examples/transcripts", "--attributes"])
            .args(["examples/participants.csv", "--format", format, "--codings"])
            .arg(&codings)
            .args(extra));
        assert_eq!(status, 0, "{stderr}");
        (stdout, stderr, std::fs::read_to_string(codings).unwrap())
    };
    for format in ["table", "json"] {
        // Every example transcript is over 4,000 bytes: all are read in
        // windows of 500 bytes, cut where turns start.
        assert_eq!(code(&["--stream-from", "4000"], format), code(&[], format));
    }
}

// See: #15 (item 11)
#[test]
fn a_giant_turn_read_in_windows_loses_no_text_and_keeps_file_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("giant.txt");
    let sentence = "The district nurse and the social worker share an office now. ";
    let text = format!(
        "Interviewer: Tell me about the team.\nP1: {}\nInterviewer: Thanks.\nP1: Fine.\n",
        sentence.repeat(500)
    );
    std::fs::write(&path, &text).unwrap();
    let path = path.to_str().unwrap();
    // Windows of 1,000 bytes; turns cut at 2,000.
    let args = ["--stream-from", "8000", "--max-turn-bytes", "2000"];
    let (rows, stderr, code) = codings(path, &args);
    assert_eq!(code, 0, "{stderr}");
    let turn_start = text.find("P1: ").unwrap() + 4;
    let turn_end = text[..text.find("\nInterviewer: Thanks").unwrap()]
        .trim_end()
        .len();
    let pieces = segments(&rows);
    let mut at = turn_start;
    for (turn, start, end, piece) in pieces.iter().filter(|p| p.0 == "2") {
        assert!(piece.len() <= 2000, "{turn}: {} bytes", piece.len());
        assert_eq!(&text[*start..*end], piece, "offsets are the file's");
        assert!(
            text[at..*start].trim().is_empty(),
            "lost text before {start}"
        );
        at = *end;
    }
    assert_eq!(at, turn_end, "the pieces end where the turn does");
    assert_eq!(pieces.last().unwrap().3, "Fine.");
    // One warning for the turn, at its line; one file.
    assert_eq!(stderr.matches("pieces").count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "giant.txt:2: turn of {} bytes is longer than the limit of 2000 bytes",
            turn_end - turn_start
        )),
        "{stderr}"
    );
    assert!(stderr.contains("1 files, 1 participants"), "{stderr}");
}
