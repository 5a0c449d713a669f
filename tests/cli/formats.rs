//! Messy real-world input: encodings, skipped files, a corrupt Word file,
//! a focus group, a survey, stdin, globs, `mint text` and `mint speakers`.
//! Fixtures: `tests/data/messy/`.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::Stdio;

use crate::util::{mint, parse_csv, run};

const MESSY: &str = "tests/data/messy/transcripts";
const CODEBOOK: &str = "tests/data/basic/codebook.toml";

/// (file, participant, code) of every coding, and stderr and the status.
fn coded(extra: &[&str]) -> (Vec<(String, String, String)>, String, i32) {
    let (stdout, stderr, code) = run(mint()
        .args([
            "code",
            MESSY,
            "--codebook",
            CODEBOOK,
            "--codings",
            "-",
            "--format",
            "json",
            "--by",
            "",
        ])
        .args(extra));
    let csv_end = stdout.find("\n{").map_or(stdout.len(), |i| i + 1);
    let (_, rows) = parse_csv(&stdout[..csv_end]);
    let rows = rows
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[7].clone()))
        .collect();
    (rows, stderr, code)
}

fn r(file: &str, who: &str, code: &str) -> (String, String, String) {
    (file.into(), who.into(), code.into())
}

#[test]
fn every_bad_file_is_reported_and_the_rest_are_coded() {
    let (rows, stderr, code) = coded(&[]);
    // The corrupt Word file is an error for that file only.
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("corrupt.docx: "), "{stderr}");
    for (file, reason) in [
        (".hidden.txt", "skipped: hidden file"),
        ("binary.txt", "skipped: binary file"),
        ("empty.txt", "skipped: empty file"),
        ("~$lock.docx", "skipped: Word lock file"),
    ] {
        assert!(
            stderr.contains(&format!("{file}: {reason}")),
            "no {file:?} {reason:?} in\n{stderr}"
        );
    }
    assert!(
        stderr.contains(
            "cp1252.txt: not valid UTF-8 (first bad byte on line 7); read as Windows-1252"
        ),
        "{stderr}"
    );
    assert_eq!(
        rows,
        [
            r("cp1252.txt", "W1", "colocation"),
            r("cp1252.txt", "W1", "social_care"),
            // A focus group's speakers are its own (#15 item 3).
            r("focus-group.md", "focus-group/Nurse A", "colocation"),
            r(
                "focus-group.md",
                "focus-group/Social worker B",
                "social_care"
            ),
            r("focus-group.md", "focus-group/Nurse A", "gp"),
            r("good.txt", "G1", "it_systems"),
            r("utf16.txt", "U1", "gp"),
        ]
    );
}

#[test]
fn strict_turns_warnings_into_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(format!("{MESSY}/good.txt"), dir.path().join("good.txt")).unwrap();
    let ok = run(mint()
        .args(["code", "--codebook", CODEBOOK])
        .arg(dir.path()));
    assert_eq!(ok.2, 0, "{}", ok.1);
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let warned = run(mint()
        .args(["code", "--codebook", CODEBOOK])
        .arg(dir.path()));
    assert_eq!(warned.2, 0, "a skipped file is a warning");
    let strict = run(mint()
        .args(["code", "--strict", "--codebook", CODEBOOK])
        .arg(dir.path()));
    assert_eq!(strict.2, 2);
    assert!(
        strict.1.contains("empty.txt: skipped: empty file"),
        "{}",
        strict.1
    );
}

#[test]
fn focus_group_speakers_are_participants_keyed_in_the_sheet_by_label() {
    let (stdout, stderr, code) = run(mint().args([
        "code",
        "tests/data/messy/transcripts/focus-group.md",
        "--codebook",
        CODEBOOK,
        "--attributes",
        "tests/data/messy/attributes.csv",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let groups: Vec<(&str, u64)> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["label"].as_str().unwrap(), g["size"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        groups,
        [
            ("operational / health", 1),
            ("operational / social care", 1)
        ]
    );
    assert_eq!(
        v["summary"]["participants"], 2,
        "the facilitator is not a participant"
    );
}

#[test]
fn speakers_lists_labels_roles_and_turn_counts() {
    let (stdout, _, code) = run(mint().args([
        "speakers",
        MESSY,
        "--format",
        "csv",
        "--glob",
        "focus-group.md",
    ]));
    assert_eq!(code, 0);
    let (header, rows) = parse_csv(&stdout);
    assert_eq!(
        header,
        [
            "file",
            "speaker",
            "role",
            "participant",
            "turns",
            "line",
            "why"
        ]
    );
    assert_eq!(
        rows,
        [
            [
                "focus-group.md",
                "Facilitator",
                "interviewer",
                "",
                "2",
                "5",
                "interviewer"
            ],
            [
                "focus-group.md",
                "Nurse A",
                "participant",
                "focus-group/Nurse A",
                "2",
                "7",
                "recurs"
            ],
            [
                "focus-group.md",
                "Social worker B",
                "participant",
                "focus-group/Social worker B",
                "1",
                "9",
                "same form"
            ],
        ]
    );
}

#[test]
fn survey_rows_are_participants_with_their_columns_as_attributes() {
    let (stdout, stderr, code) = run(mint().args([
        "code",
        "tests/data/messy/survey.csv",
        "--codebook",
        CODEBOOK,
        "--text-column",
        "comment",
        "--id-column",
        "respondent",
        "--by",
        "sector",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let sizes: BTreeMap<&str, u64> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["label"].as_str().unwrap(), g["size"].as_u64().unwrap()))
        .collect();
    // S-02 left the answer blank but is still one of the two social care respondents.
    assert_eq!(sizes, BTreeMap::from([("health", 1), ("social care", 2)]));
    let hr_it = &v["rows"][0];
    assert_eq!(hr_it["theme"], "hr_it");
    assert_eq!(hr_it["total"]["participants"], 2);
}

#[test]
fn text_prints_what_offsets_point_into() {
    let (stdout, _, code) = run(mint().args([
        "text",
        "tests/data/messy/survey.csv",
        "--text-column",
        "comment",
    ]));
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "row-1: We finally share the same building as social care.\n\nrow-3: Our IT systems still don't talk, so I ring the GP.\n"
    );
    let (stdout, _, _) = run(mint().args(["text", "tests/data/messy/transcripts/utf16.txt"]));
    assert!(
        stdout.starts_with("---\nparticipant: U1\n"),
        "UTF-16 is decoded: {stdout:?}"
    );
    let (_, stderr, code) = run(mint().args(["text", "tests/data/messy/transcripts/corrupt.docx"]));
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("mint: tests/data/messy/transcripts/corrupt.docx: "),
        "{stderr}"
    );
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = mint()
        .args([
            "code",
            "-",
            "--codebook",
            CODEBOOK,
            "--format",
            "csv",
            "--codings",
            "-",
            "-q",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Interviewer: Hi\nParticipant: We are co-located with social care.\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let codings: Vec<&str> = stdout
        .lines()
        .skip(1)
        // The file and participant are "-", quoted for spreadsheets.
        .take_while(|l| l.starts_with("'-,'-,"))
        .collect();
    assert_eq!(codings.len(), 2, "{stdout}");
}

#[test]
fn glob_and_exclude_filter_folders() {
    let (rows, _, _) = coded(&["--glob", "*.txt", "--exclude", "cp*"]);
    let files: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(files, ["good.txt", "utf16.txt"]);
}

/// A real Zoom export (MIT-licensed, copied with its licence into
/// `tests/data/zoom/`): five speakers, cues merged into turns.
#[test]
fn the_real_zoom_transcript_parses_into_its_five_speakers() {
    let (stdout, stderr, code) = run(mint().args([
        "speakers",
        "tests/data/zoom/meeting001_transcript.vtt",
        "--format",
        "csv",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let (_, rows) = parse_csv(&stdout);
    let counts: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(
        counts,
        [
            ("Andrew Knight", "participant", "12"),
            ("Paul McCartney", "participant", "10"),
            ("George Harrison", "participant", "2"),
            ("Ringo Starr", "participant", "1"),
            ("John Lennon", "participant", "5"),
        ],
        "speakers in order of first appearance"
    );
}

#[test]
fn vtt_turn_times_appear_in_the_codings() {
    let dir = tempfile::tempdir().unwrap();
    let vtt = dir.path().join("call.vtt");
    std::fs::write(
        &vtt,
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.500\nInterviewer: Where is your team based?\n\n2\n00:00:05.000 --> 00:00:09.250\nNurse: We moved into the same\n\n3\n00:00:09.250 --> 00:00:12.000\nbuilding as social care.\n",
    )
    .unwrap();
    let (stdout, stderr, code) = run(mint()
        .args([
            "code",
            "--codebook",
            CODEBOOK,
            "--codings",
            "-",
            "--format",
            "json",
            "-q",
        ])
        .arg(&vtt));
    assert_eq!(code, 0, "{stderr}");
    let csv_end = stdout.find("\n{").unwrap() + 1;
    let (header, rows) = parse_csv(&stdout[..csv_end]);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let colocation = rows
        .iter()
        .find(|r| r[col("code")] == "colocation")
        .unwrap();
    assert_eq!(colocation[col("matched")], "same\nbuilding");
    assert_eq!(colocation[col("time_start")], "00:00:05.000");
    assert_eq!(colocation[col("time_end")], "00:00:12.000");
    // The offsets point into the text `mint text` prints.
    let (text, _, _) = run(mint().arg("text").arg(&vtt));
    let chars: Vec<char> = text.chars().collect();
    let (s, e): (usize, usize) = (
        colocation[col("start")].parse().unwrap(),
        colocation[col("end")].parse().unwrap(),
    );
    assert_eq!(
        chars[s..e].iter().collect::<String>(),
        colocation[col("text")]
    );
}
