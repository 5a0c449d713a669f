//! `mint export --to qdpx`: the coded study as a REFI-QDA project.
//!
//! The project is unzipped and read here and compared with `mint code
//! --codings` of the same run. The schema check needs `xmllint` and
//! `../shared/refi-qda/Project.xsd`; the acceptance run needs the harness
//! of `../shared/refi-qda/accept` set up in /tmp/refi-accept. Each says why
//! it is skipped when they are absent.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;

use crate::util::{entries, fixture, mint, parse_csv, root, run, validate};

const FLAGS: [&str; 4] = [
    "--codebook",
    "tests/data/export/codebook.toml",
    "--attributes",
    "tests/data/export/attributes.csv",
];

/// Exports the fixture study with `extra` flags into `dir`; the bytes.
fn export(dir: &Path, extra: &[&str]) -> Vec<u8> {
    let out = dir.join("study.qdpx");
    let (_, stderr, code) = run(mint()
        .args(["export", "tests/data/export/transcripts"])
        .args(FLAGS)
        .args(["--to", "qdpx", "-o"])
        .arg(&out)
        .args(extra));
    assert_eq!(code, 0, "{stderr}");
    std::fs::read(out).unwrap()
}

/// Every element of the XML with its attributes, in document order, with
/// the text directly inside it.
fn elements(xml: &str) -> Vec<(String, BTreeMap<String, String>, String)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<(String, BTreeMap<String, String>, String)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                out.push(element(&e));
                open.push(out.len() - 1);
            }
            Event::Empty(e) => out.push(element(&e)),
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    out[i].2.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(&i) = open.last() {
                    let name = r.xml10_content();
                    let c = quick_xml::escape::resolve_predefined_entity(&name).unwrap();
                    out[i].2.push_str(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> (String, BTreeMap<String, String>, String) {
    let attributes = e
        .attributes()
        .map(|a| {
            let a = a.unwrap();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .unwrap();
            (String::from(a.key.as_ref()), value.into_owned())
        })
        .collect();
    (String::from(e.name().as_ref()), attributes, String::new())
}

/// A selection as the project has it: source GUID, start, end, code GUID.
type Selection = (String, usize, usize, String);

/// The project's sources (GUID to text) and selections.
fn read_project(bytes: &[u8]) -> (BTreeMap<String, String>, Vec<Selection>, String) {
    let files = entries(bytes);
    let qde = files
        .iter()
        .find(|(n, _)| n == "project.qde")
        .map(|(_, t)| t.clone())
        .unwrap();
    let mut texts = BTreeMap::new();
    for (name, text) in &files {
        if let Some(guid) = name.strip_prefix("sources/") {
            texts.insert(guid.trim_end_matches(".txt").to_string(), text.clone());
        }
    }
    let mut selections = Vec::new();
    let mut source = String::new();
    let mut pending: Option<(usize, usize)> = None;
    for (name, attrs, _) in elements(&qde) {
        match name.as_str() {
            "TextSource" => source = attrs["guid"].clone(),
            "PlainTextSelection" => {
                pending = Some((
                    attrs["startPosition"].parse().unwrap(),
                    attrs["endPosition"].parse().unwrap(),
                ))
            }
            "CodeRef" => {
                let (start, end) = pending.take().expect("one coding per selection");
                selections.push((source.clone(), start, end, attrs["targetGUID"].clone()));
            }
            _ => {}
        }
    }
    (texts, selections, qde)
}

fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn export_is_byte_identical_across_runs_and_thread_counts() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let one = export(a.path(), &["--threads", "1"]);
    let four = export(b.path(), &["--threads", "4"]);
    assert!(one == four, "the .qdpx differs between --threads 1 and 4");
    assert_eq!(one, export(a.path(), &[]), "two runs differ");
}

#[test]
fn every_selection_covers_the_text_mint_coded() {
    let dir = tempfile::tempdir().unwrap();
    let (texts, selections, _) = read_project(&export(dir.path(), &[]));
    let (stdout, stderr, code) = run(mint()
        .args(["--raw-csv", "code", "tests/data/export/transcripts"])
        .args(FLAGS)
        .args(["--codings", "-", "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    // The codings CSV comes first on stdout, then the JSON matrix.
    let csv_text = &stdout[..stdout.find("\n{").unwrap() + 1];
    let (header, rows) = parse_csv(csv_text);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(selections.len(), rows.len(), "one selection per coding");
    let mut wanted = BTreeSet::new();
    for row in &rows {
        let original =
            std::fs::read_to_string(fixture("export/transcripts").join(&row[col("file")])).unwrap();
        let crs = |cp: usize| slice(&original, 0, cp).matches("\r\n").count();
        let (start, end): (usize, usize) = (
            row[col("start")].parse().unwrap(),
            row[col("end")].parse().unwrap(),
        );
        let (start, end) = (start - crs(start), end - crs(end));
        let source = mint::exchange::source_guid(&row[col("file")]);
        let text = &texts[&source];
        assert_eq!(
            slice(text, start, end),
            row[col("text")].replace("\r\n", "\n"),
            "{row:?}"
        );
        wanted.insert((
            source,
            start,
            end,
            mint::exchange::code_guid(&row[col("code")]),
        ));
    }
    let got: BTreeSet<Selection> = selections.into_iter().collect();
    assert_eq!(got, wanted);
    for text in texts.values() {
        assert!(!text.starts_with('\u{feff}') && !text.contains('\r'));
    }
}

#[test]
fn interviewer_turns_are_in_the_sources_but_never_coded() {
    let dir = tempfile::tempdir().unwrap();
    let (texts, selections, _) = read_project(&export(dir.path(), &[]));
    let mut interviewer_lines = 0;
    for (guid, text) in &texts {
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let len = line.chars().count();
            if line.starts_with("Interviewer:") {
                interviewer_lines += 1;
                for (_, start, end, _) in selections.iter().filter(|s| &s.0 == guid) {
                    assert!(
                        *end <= at || *start >= at + len,
                        "a selection [{start},{end}) overlaps {line:?}"
                    );
                }
            }
            at += len;
        }
    }
    assert_eq!(interviewer_lines, 5);
}

#[test]
fn names_are_unique_and_sources_have_no_dots() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, qde) = read_project(&export(dir.path(), &[]));
    let all = elements(&qde);
    let names = |kind: &str| -> Vec<String> {
        all.iter()
            .filter(|(n, _, _)| n == kind)
            .map(|(_, a, _)| a["name"].clone())
            .collect()
    };
    let codes = names("Code");
    assert_eq!(
        codes.iter().collect::<BTreeSet<_>>().len(),
        codes.len(),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"Other (other_support)".to_string()),
        "{codes:?}"
    );
    let sources = names("TextSource");
    assert_eq!(sources, ["p1", "p2_notes", "p2_notes (2)"]);
    let cases = names("Case");
    assert_eq!(cases, ["P1", "p2.notes", "p2_notes"]);
    let variables = names("Variable");
    assert_eq!(variables, ["level", "sector"]);
    // The rule that fired, with each selection; mint as the coder.
    let (_, _, memo) = all
        .iter()
        .find(|(n, _, t)| n == "Description" && t.contains("matched"))
        .unwrap();
    assert!(
        memo.contains("the pattern \"cost*\" matched \"cost\""),
        "{memo}"
    );
    let user = format!("mint {}", env!("CARGO_PKG_VERSION"));
    assert!(qde.contains(&format!("name=\"{user}\"")), "{qde}");
    assert!(!qde.contains("DateTime="), "no dates: {qde}");
}

#[test]
fn export_validates_against_the_refi_qda_project_schema() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, qde) = read_project(&export(dir.path(), &[]));
    validate(&qde);
}

#[test]
fn mint_export_help() {
    let (stdout, stderr, code) = run(mint().args(["export", "--help"]).env("COLUMNS", "100"));
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn an_unknown_format_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("study.qdpx");
    let (_, stderr, code) = run(mint()
        .args([
            "export",
            "tests/data/export/transcripts",
            "--to",
            "nvpx",
            "-o",
        ])
        .arg(&out));
    assert_eq!(code, 2);
    assert!(stderr.contains("qdpx"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn nothing_is_written_when_a_transcript_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("good.txt"),
        "Interviewer: Hi?\n\nP1: The cost.\n",
    )
    .unwrap();
    std::fs::write(
        input.join("broken.txt"),
        "---\nparticipant: P2\n\nP2: never closed\n",
    )
    .unwrap();
    let out = dir.path().join("study.qdpx");
    let (_, stderr, code) = run(mint()
        .arg("export")
        .arg(&input)
        .args(["--to", "qdpx", "-o"])
        .arg(&out));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not written"), "{stderr}");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// The whole acceptance harness (xmllint, QualCoder's importer, qc, and the
/// oracle from the codings CSV) on the example study.
#[test]
fn export_of_the_example_study_passes_the_refi_qda_acceptance_harness() {
    let accept = root().join("../shared/refi-qda/accept/accept.sh");
    if !accept.exists() {
        eprintln!("skipped: {} is absent", accept.display());
        return;
    }
    if !Path::new("/tmp/refi-accept").exists() {
        eprintln!("skipped: the harness is not set up (run ../shared/refi-qda/accept/setup.sh)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| -> PathBuf { dir.path().join(name) };
    let study = [
        "examples/transcripts",
        "--attributes",
        "examples/participants.csv",
    ];
    let (_, stderr, code) = run(mint()
        .args(["--raw-csv", "code"])
        .args(study)
        .arg("--codings")
        .arg(p("codings.csv")));
    assert_eq!(code, 0, "{stderr}");
    let (_, stderr, code) = run(mint()
        .arg("export")
        .args(study)
        .args(["--to", "qdpx", "-o"])
        .arg(p("study.qdpx")));
    assert_eq!(code, 0, "{stderr}");
    let oracle = Command::new(root().join("tools/qdpx-oracle"))
        .arg(p("codings.csv"))
        .arg("examples/transcripts")
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        oracle.status.success(),
        "{}",
        String::from_utf8_lossy(&oracle.stderr)
    );
    std::fs::write(p("oracle.json"), &oracle.stdout).unwrap();
    let (stdout, stderr, code) = run(Command::new(&accept)
        .arg(p("study.qdpx"))
        .arg("--expected")
        .arg(p("oracle.json")));
    let summary = stdout.lines().last().unwrap_or("");
    eprintln!("{summary}");
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(summary.starts_with("SUMMARY PASS"), "{stdout}");
}

/// Rows of a codings CSV as (file, participant, start, end, theme, code),
/// sorted, and each participant's attributes.
type Keyed = (Vec<[String; 6]>, BTreeMap<String, Vec<(String, String)>>);

fn keyed(csv: &str) -> Keyed {
    let (header, rows) = parse_csv(csv);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let key = ["file", "participant", "start", "end", "theme", "code"].map(at);
    let attributes: Vec<usize> = ["area", "interviewee", "level", "role", "sector"]
        .iter()
        .map(|n| at(n))
        .collect();
    let mut codings: Vec<[String; 6]> = rows.iter().map(|r| key.map(|i| r[i].clone())).collect();
    codings.sort();
    let people = rows
        .iter()
        .map(|r| {
            let values = attributes
                .iter()
                .map(|&i| (header[i].clone(), r[i].clone()))
                .collect();
            (r[key[1]].clone(), values)
        })
        .collect();
    (codings, people)
}

// See: #17 ("Export then import gives back exactly the codings, cases,
// variables and codebook")
#[test]
fn export_then_import_gives_back_the_codings_cases_variables_and_codebook() {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study.qdpx");
    let attributes = ["--attributes", "examples/participants.csv"];
    let (_, stderr, code) = run(mint()
        .args(["export", "examples/transcripts", "--to", "qdpx", "-o"])
        .arg(&study)
        .args(attributes));
    assert_eq!(code, 0, "{stderr}");

    // The codings, with each participant's attributes (the cases' variables).
    let (coded, stderr, code) = run(mint()
        .args([
            "--raw-csv",
            "code",
            "examples/transcripts",
            "--codings",
            "-",
        ])
        .args(["--format", "json"])
        .args(attributes));
    assert_eq!(code, 0, "{stderr}");
    let coded = &coded[..coded.find("\n{").unwrap() + 1];
    let (imported, stderr, code) = run(mint()
        .args(["--raw-csv", "codings"])
        .arg(&study)
        .args(["--codebook", "default"]));
    assert_eq!(code, 0, "{stderr}");
    let (want, got) = (keyed(coded), keyed(&imported));
    assert_eq!(got.0.len(), want.0.len());
    assert_eq!(got, want);

    // Coding the project again gives the table of coding the folder.
    let table = |args: &[&str]| {
        let (stdout, stderr, code) = run(mint().arg("code").args(args).args(["--by", "level"]));
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    let study = study.to_str().unwrap();
    assert_eq!(
        table(&[study]),
        table(&["examples/transcripts", attributes[0], attributes[1]])
    );

    // The codebook, but for its name, version and description, which a
    // REFI-QDA codebook has no place for.
    let toml = dir.path().join("codebook.toml");
    let (_, stderr, code) = run(mint().args(["codebook", "import", study, "-o"]).arg(&toml));
    assert_eq!(code, 0, "{stderr}");
    let csv = |book: &Path| {
        let (stdout, stderr, code) = run(mint()
            .args([
                "--raw-csv",
                "codebook",
                "export",
                "--to",
                "csv",
                "--codebook",
            ])
            .arg(book));
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    assert_eq!(csv(&toml), csv(Path::new("codebooks/mint.toml")));
}

// See: #19 item 8 ("Every learned coding in every export names the model")
#[test]
fn export_with_a_model_holds_its_codings_made_by_the_model_user() {
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
    let model: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p("model.json")).unwrap()).unwrap();
    let id = model["id"].as_str().unwrap();
    let export = |study: &Path, extra: &[&str]| {
        let (_, stderr, code) = run(mint()
            .arg("export")
            .arg(fixture("learn/transcripts"))
            .arg("--codebook")
            .arg(fixture("learn/codebook.toml"))
            .args(["--to", "qdpx", "-o"])
            .arg(study)
            .args(extra));
        assert_eq!(code, 0, "{stderr}");
    };
    let model_path = p("model.json");
    let model_flag = ["--model", model_path.to_str().unwrap()];
    export(&p("study.qdpx"), &model_flag);
    export(&p("plain.qdpx"), &[]);

    // What mint code --model codes, by origin, with the model's provenance.
    let (coded, stderr, code) = run(mint()
        .args(["--raw-csv", "code"])
        .arg(fixture("learn/transcripts"))
        .arg("--codebook")
        .arg(fixture("learn/codebook.toml"))
        .args(model_flag)
        .args(["--codings", "-", "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&coded[..coded.find("\n{").unwrap() + 1]);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let spans = |origin: &str| -> Vec<(String, String, String, String)> {
        let mut v: Vec<_> = rows
            .iter()
            .filter(|r| r[col("origin")] == origin)
            .map(|r| {
                (
                    r[col("file")].clone(),
                    r[col("start")].clone(),
                    r[col("end")].clone(),
                    r[col("code")].clone(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let provenance = rows
        .iter()
        .find(|r| r[col("origin")] == "learned")
        .map(|r| r[col("model")].clone())
        .unwrap();
    assert!(provenance.starts_with(&format!("{id} blake3:")));

    // The project's codings of the model's user are the learned ones.
    // It names the model by id and hash, as the codings CSV does.
    let user = format!("mint {} model {provenance}", env!("CARGO_PKG_VERSION"));
    // Codes come back by label; the codebook's, matched to it, by id.
    let read = |coder: &str, extra: &[&std::ffi::OsStr]| {
        let (stdout, stderr, code) = run(mint()
            .args(["--raw-csv", "codings"])
            .arg(p("study.qdpx"))
            .args(["--coder", coder])
            .args(extra));
        assert_eq!(code, 0, "{stderr}");
        let (header, rows) = parse_csv(&stdout);
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let mut v: Vec<_> = rows
            .iter()
            .map(|r| {
                assert_eq!(r[col("coder")], coder);
                (
                    r[col("file")].clone(),
                    r[col("start")].clone(),
                    r[col("end")].clone(),
                    r[col("code")].clone(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let learned = read(&user, &[]);
    assert!(!learned.is_empty());
    assert_eq!(learned, spans("learned"));
    assert_eq!(
        read(
            &format!("mint {}", env!("CARGO_PKG_VERSION")),
            &[
                "--codebook".as_ref(),
                fixture("learn/codebook.toml").as_os_str()
            ]
        ),
        spans("codebook")
    );

    // Each learned selection says which model and how sure; the codebook
    // has the model's own code; the rule codings are as without a model.
    let (_, selections, qde) = read_project(&std::fs::read(p("study.qdpx")).unwrap());
    let (_, plain, _) = read_project(&std::fs::read(p("plain.qdpx")).unwrap());
    let memo = format!(
        "mint {}: learned by the model {provenance} (probability 0.",
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(qde.matches(&memo).count(), learned.len(), "{qde}");
    assert!(qde.contains("name=\"parking_problems\""), "{qde}");
    validate(&qde);
    for s in &plain {
        assert!(selections.contains(s), "{s:?} kept");
    }
}
