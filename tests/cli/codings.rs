//! `mint codings` (human codings from a REFI-QDA project or a sheet) and
//! `mint code study.qdpx` (a project's text sources as transcripts).
//!
//! The fixture project is the folder `tests/data/codings/project`, zipped
//! here into a scratch `.qdpx`. The real samples are read from `shared/`
//! beside the crate and skipped, with a printed reason, when absent.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::util::{fixture, mint, parse_csv, run};

/// A zip of `entries` at `dir/name`.
fn zip_at(dir: &Path, name: &str, entries: &[(&str, Vec<u8>)]) -> PathBuf {
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (entry, bytes) in entries {
        zip.start_file(*entry, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

/// The fixture project, zipped as `dir/study.qdpx`.
fn study(dir: &Path) -> PathBuf {
    let read = |rel: &str| std::fs::read(fixture(&format!("codings/project/{rel}"))).unwrap();
    zip_at(
        dir,
        "study.qdpx",
        &[
            ("project.qde", read("project.qde")),
            ("sources/one.txt", read("sources/one.txt")),
            ("sources/two.txt", read("sources/two.txt")),
        ],
    )
}

fn codings(args: &[&str]) -> (String, String, i32) {
    run(mint().arg("codings").args(args))
}

#[test]
fn codings_of_a_project_are_the_codings_layout_with_a_coder() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = study(dir.path());
    let out = dir.path().join("human.csv");
    let (_, err, code) = codings(&[qdpx.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (header, rows) = parse_csv(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(
        header[..10],
        [
            "file",
            "participant",
            "turn",
            "speaker",
            "start",
            "end",
            "theme",
            "code",
            "matched",
            "text"
        ]
    );
    assert_eq!(header[10], "level");
    assert_eq!(header.last().unwrap(), "coder");
    let cols = |row: &Vec<String>| {
        let pick = |name: &str| row[header.iter().position(|h| h == name).unwrap()].clone();
        [
            pick("file"),
            pick("participant"),
            pick("start"),
            pick("end"),
            pick("theme"),
            pick("code"),
            pick("text"),
            pick("level"),
            pick("coder"),
        ]
    };
    let got: Vec<[String; 9]> = rows.iter().map(cols).collect();
    let want = |r: [&str; 9]| r.map(String::from);
    assert_eq!(
        got,
        [
            want([
                "interview one",
                "P01",
                "55",
                "68",
                "Organisation",
                "Budgets",
                "pooled budget",
                "frontline",
                "ana"
            ]),
            want([
                "interview one",
                "P01",
                "55",
                "68",
                "Organisation",
                "Shared records",
                "pooled budget",
                "frontline",
                "ben"
            ]),
            want([
                "interview two",
                "P02",
                "53",
                "71",
                "Organisation",
                "Shared records",
                "shared care record",
                "manager",
                "ana"
            ]),
        ]
    );
}

#[test]
fn codings_with_a_codebook_write_code_ids_and_themes() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = study(dir.path());
    let book = fixture("codings/codebook.toml");
    let (out, err, code) = codings(&[qdpx.to_str().unwrap(), "--codebook", book.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (header, rows) = parse_csv(&out);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let codes: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[at("theme")].as_str(), r[at("code")].as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("organisation", "budgets"),
            ("organisation", "shared_records"),
            ("organisation", "shared_records")
        ]
    );
}

#[test]
fn codings_coder_keeps_one_users_codings() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = study(dir.path());
    let (out, err, code) = codings(&[qdpx.to_str().unwrap(), "--coder", "ben"]);
    assert_eq!(code, 0, "{err}");
    let (_, rows) = parse_csv(&out);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].last().unwrap(), "ben");
}

#[test]
fn codings_coder_naming_no_user_is_an_error_listing_the_users() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = study(dir.path());
    let out = dir.path().join("never.csv");
    let (_, err, code) = codings(&[
        qdpx.to_str().unwrap(),
        "--coder",
        "cleo",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains(r#"no coder "cleo": the coders are "ana", "ben""#),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn codings_round_trips_its_own_output_byte_identically() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = study(dir.path());
    let book = fixture("codings/codebook.toml");
    for with_book in [false, true] {
        let first = dir.path().join("first.csv");
        let second = dir.path().join("second.csv");
        let mut args = vec![qdpx.to_str().unwrap(), "-o", first.to_str().unwrap()];
        if with_book {
            args.extend(["--codebook", book.to_str().unwrap()]);
        }
        assert_eq!(codings(&args).2, 0);
        args[0] = first.to_str().unwrap();
        args[2] = second.to_str().unwrap();
        assert_eq!(codings(&args).2, 0);
        assert_eq!(
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap()
        );
    }
}

#[test]
fn codings_reads_the_minimal_sheets_and_matches_codes_by_id_or_label() {
    let book = fixture("codings/codebook.toml");
    let read = |sheet: &str| {
        let (out, err, code) = codings(&[
            fixture(&format!("codings/{sheet}")).to_str().unwrap(),
            "--codebook",
            book.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{sheet}: {err}");
        let (header, rows) = parse_csv(&out);
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        rows.iter()
            .map(|r| {
                [
                    "file",
                    "participant",
                    "turn",
                    "start",
                    "end",
                    "theme",
                    "code",
                    "coder",
                ]
                .map(|c| r[at(c)].clone())
                .join("|")
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        read("spans.csv"),
        [
            "interview one|||55|68|organisation|budgets|ana",
            "interview two|||53|71|organisation|shared_records|ben"
        ]
    );
    assert_eq!(
        read("turns.csv"),
        ["interview one||2|||organisation|budgets|"]
    );
    assert_eq!(
        read("participants.csv"),
        ["|P02|2|||organisation|shared_records|ana"]
    );
}

#[test]
fn codings_unknown_code_is_an_error_naming_file_and_row() {
    let book = fixture("codings/codebook.toml");
    let sheet = fixture("codings/unknown-code.csv");
    let (out, err, code) = codings(&[
        sheet.to_str().unwrap(),
        "--codebook",
        book.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains(
            "unknown-code.csv: line 3 (file \"interview two\"): unknown code \"staffing\""
        ),
        "{err}"
    );
}

#[test]
fn codings_refuses_a_sheet_of_no_known_layout() {
    let (_, err, code) = codings(&[fixture("codings/no-layout.csv").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not a codings sheet"), "{err}");
}

#[test]
fn bad_projects_are_refused_with_exit_2_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let qde = std::fs::read(fixture("codings/project/project.qde")).unwrap();
    std::fs::write(dir.path().join("text.qdpx"), "not a zip").unwrap();
    let cases = [
        (dir.path().join("text.qdpx"), "not a readable zip archive"),
        (
            zip_at(
                dir.path(),
                "noqde.qdpx",
                &[("sources/one.txt", b"x".to_vec())],
            ),
            "no project.qde",
        ),
        (
            zip_at(
                dir.path(),
                "broken.qdpx",
                &[("project.qde", b"<Project>\n<Users>\n</Project>".to_vec())],
            ),
            "project.qde: line",
        ),
        (
            zip_at(
                dir.path(),
                "slip.qdpx",
                &[("project.qde", qde), ("../evil.txt", b"x".to_vec())],
            ),
            "unsafe entry name \"../evil.txt\"",
        ),
    ];
    for (qdpx, message) in &cases {
        let out = dir.path().join("out.csv");
        let (_, err, code) = codings(&[qdpx.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(code, 2, "{}", qdpx.display());
        assert!(err.contains(message), "{}: {err}", qdpx.display());
        assert!(!out.exists());
        let (_, err, code) = run(mint().arg("code").arg(qdpx).arg("--codings").arg(&out));
        assert_eq!(code, 2, "{}", qdpx.display());
        assert!(err.contains(message), "{}: {err}", qdpx.display());
        assert!(!out.exists());
    }
}

#[test]
fn a_project_entry_inflating_past_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let qde = std::fs::read(fixture("codings/project/project.qde")).unwrap();
    let path = dir.path().join("bomb.qdpx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    zip.start_file("project.qde", stored).unwrap();
    zip.write_all(&qde).unwrap();
    zip.start_file("sources/one.txt", stored).unwrap();
    zip.write_all(&vec![b'a'; (64 << 20) + 1]).unwrap();
    zip.finish().unwrap();
    let out = dir.path().join("out.csv");
    let (_, err, code) = codings(&[path.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("entry sources/one.txt inflates past 67108864 bytes"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn code_reads_a_projects_text_sources_with_case_variables_as_attributes() {
    let dir = tempfile::tempdir().unwrap();
    let qdpx = study(dir.path());
    let out = dir.path().join("codings.csv");
    let book = fixture("codings/codebook.toml");
    let (_, err, code) = run(mint()
        .arg("code")
        .arg(&qdpx)
        .arg("--codebook")
        .arg(&book)
        .arg("--codings")
        .arg(&out)
        .args(["--by", "level"]));
    assert_eq!(code, 0, "{err}");
    let (header, rows) = parse_csv(&std::fs::read_to_string(&out).unwrap());
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let got: Vec<String> = rows
        .iter()
        .map(|r| {
            ["file", "participant", "speaker", "code", "level"]
                .map(|c| r[at(c)].clone())
                .join("|")
        })
        .collect();
    assert_eq!(
        got,
        [
            "interview one|P01|Nurse|budgets|frontline",
            "interview two|P02|Manager|shared_records|manager"
        ]
    );
}

/// `../shared/NAME`, or `None` after printing why the test is skipped.
fn shared(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(name);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is not there", path.display());
        None
    }
}

#[test]
fn codings_of_the_hand_written_sample_project() {
    let Some(qdpx) = shared("refi-qda/examples/mint-sample-project.qdpx") else {
        return;
    };
    let (out, err, code) = codings(&[qdpx.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (header, rows) = parse_csv(&out);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let texts: Vec<&str> = rows.iter().map(|r| r[at("text")].as_str()).collect();
    assert_eq!(
        texts,
        [
            "the cost",
            "😀",
            "the bus is expensive",
            "I had no time after work",
            "My family – meine Familie – helped a lot",
            "My family – meine Familie – helped a lot"
        ]
    );
}

#[test]
fn serdif_becomes_human_codings_that_round_trip() {
    let Some(serdif) = shared("real-data/serdif-thinkaloud") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("serdif.csv");
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/serdif-codings");
    let ran = std::process::Command::new("python3")
        .arg(&tool)
        .arg("--mint")
        .arg(env!("CARGO_BIN_EXE_mint"))
        .arg(&serdif)
        .arg(&sheet)
        .output();
    let Ok(ran) = ran else {
        eprintln!("skipped: python3 cannot be run");
        return;
    };
    let report = String::from_utf8_lossy(&ran.stderr);
    assert!(ran.status.success(), "{report}");
    assert!(
        report.contains("1930 of 1930 highlights placed, 22 codes, 17 transcripts"),
        "{report}"
    );
    let first = dir.path().join("first.csv");
    let second = dir.path().join("second.csv");
    assert_eq!(
        codings(&[sheet.to_str().unwrap(), "-o", first.to_str().unwrap()]).2,
        0
    );
    assert_eq!(
        codings(&[first.to_str().unwrap(), "-o", second.to_str().unwrap()]).2,
        0
    );
    let first = std::fs::read(&first).unwrap();
    assert_eq!(first, std::fs::read(&second).unwrap());
    assert_eq!(parse_csv(&String::from_utf8(first).unwrap()).1.len(), 1930);
}

// See: #19 item 8 (provenance survives a pass through `mint codings`)
#[test]
fn codings_of_a_codings_csv_keep_the_models_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    let (_, stderr, code) = run(mint()
        .arg("learn")
        .arg(fixture("learn/transcripts"))
        .arg("--from")
        .arg(fixture("learn/human.csv"))
        .arg("--codebook")
        .arg(fixture("learn/codebook.toml"))
        .args(["--min-examples", "5", "-o"])
        .arg(p("model.json")));
    assert_eq!(code, 0, "{stderr}");
    let (_, stderr, code) = run(mint()
        .arg("code")
        .arg(fixture("learn/transcripts"))
        .arg("--codebook")
        .arg(fixture("learn/codebook.toml"))
        .arg("--model")
        .arg(p("model.json"))
        .arg("--codings")
        .arg(p("coded.csv")));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&std::fs::read_to_string(p("coded.csv")).unwrap());
    let provenance = |header: &[String], rows: &[Vec<String>]| -> Vec<[String; 4]> {
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        rows.iter()
            .map(|r| ["code", "origin", "probability", "model"].map(|name| r[col(name)].clone()))
            .collect()
    };
    let want = provenance(&header, &rows);
    assert!(want.iter().any(|r| r[1] == "learned" && !r[2].is_empty()));

    let (once, stderr, code) = run(mint()
        .arg("codings")
        .arg(p("coded.csv"))
        .arg("-o")
        .arg(p("once.csv")));
    assert_eq!(code, 0, "{stderr}{once}");
    let text = std::fs::read_to_string(p("once.csv")).unwrap();
    let (header, rows) = parse_csv(&text);
    let n = header.len();
    assert_eq!(header[n - 4..], ["origin", "probability", "model", "coder"]);
    assert_eq!(provenance(&header, &rows), want);
    // Reading its own output gives the same bytes.
    let (twice, stderr, code) = run(mint().arg("codings").arg(p("once.csv")));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(twice, text);
}
