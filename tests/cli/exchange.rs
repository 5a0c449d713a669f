//! `mint codebook export|import`: REFI-QDA .qdc/.qdpx, CSV, Markdown, JSON.
//!
//! The REFI-QDA schema and the third-party samples are read from `shared/`
//! beside the crate and never copied into it; a test that needs one prints
//! why it is skipped when it is absent. Schema checks need `xmllint`
//! (Debian: `libxml2-utils`) and are skipped, with a message, without it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{fixture, mint, parse_csv, run};

const XSD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/refi-qda/Codebook.xsd"
);
const TAGUETTE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/refi-qda/samples/taguette-1.5.2-codebook.qdc"
);
const NVIVO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/refi-qda/samples/nvivo-mac-15.0.0-project.qdpx"
);
const MINT_SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/refi-qda/examples/mint-sample-codebook.qdc"
);

/// The shared file, or `None` after printing why the test is skipped.
fn shared(path: &str) -> Option<PathBuf> {
    let path = PathBuf::from(path);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is not there", path.display());
        None
    }
}

/// Validates a .qdc against the REFI-QDA schema with xmllint; `false` (and
/// a printed reason) when the check cannot run.
fn validates(qdc: &Path) -> bool {
    let Some(xsd) = shared(XSD) else {
        return false;
    };
    if Command::new("xmllint").arg("--version").output().is_err() {
        eprintln!("skipped: xmllint is not on PATH (apt-get install libxml2-utils)");
        return false;
    }
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(qdc)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} does not validate:\n{}",
        qdc.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

/// `mint codebook export` (of the default codebook when `codebook` is
/// `None`) into a file; returns its bytes.
fn export(codebook: Option<&Path>, to: &str, path: &Path) -> Vec<u8> {
    let mut cmd = mint();
    cmd.args(["codebook", "export", "--to", to, "-o"]).arg(path);
    if let Some(codebook) = codebook {
        cmd.arg("--codebook").arg(codebook);
    }
    let (_, stderr, code) = run(&mut cmd);
    assert_eq!(code, 0, "{stderr}");
    fs::read(path).unwrap()
}

/// `mint codebook import FILE -o OUT`; returns stderr.
fn import(file: &Path, out: &Path) -> String {
    let (_, stderr, code) = run(mint()
        .args(["codebook", "import"])
        .arg(file)
        .arg("-o")
        .arg(out));
    assert_eq!(code, 0, "{stderr}");
    stderr
}

/// Checks a codebook file with `mint codebook check`: it must have no errors.
fn assert_loads(path: &Path) {
    let (stdout, _, code) = run(mint()
        .args(["codebook", "check", "--no-warnings"])
        .arg(path));
    assert_eq!(code, 0, "{stdout}\n{}", fs::read_to_string(path).unwrap());
}

/// Export, import, export again: the two exports must be the same bytes,
/// and the imported codebook must load.
fn assert_round_trip(codebook: Option<&Path>, to: &str) {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join(format!("first.{to}"));
    let toml = dir.path().join("imported.toml");
    let second = dir.path().join(format!("second.{to}"));
    let a = export(codebook, to, &first);
    let warnings = import(&first, &toml);
    assert!(
        !warnings.contains("warning"),
        "mint's own export imports without warnings:\n{warnings}"
    );
    assert_loads(&toml);
    let b = export(Some(&toml), to, &second);
    assert!(
        a == b,
        "export → import → export changed the {to}:\n--- first\n{}\n--- second\n{}",
        String::from_utf8_lossy(&a),
        String::from_utf8_lossy(&b)
    );
}

fn special() -> PathBuf {
    fixture("exchange/special.toml")
}

#[test]
fn qdc_of_the_default_codebook_validates_against_the_refi_qda_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mint.qdc");
    let (stdout, stderr, code) = run(mint().args(["codebook", "export", "--to", "qdc"]));
    assert_eq!(code, 0, "{stderr}");
    fs::write(&path, &stdout).unwrap();
    assert!(stdout.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook"));
    validates(&path);
}

#[test]
fn qdc_with_sub_codes_and_special_characters_validates_against_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("special.qdc");
    let text = String::from_utf8(export(Some(&special()), "qdc", &path)).unwrap();
    assert!(text.contains(r#"name="Money &amp; &lt;power&gt; &quot;quoted&quot;""#));
    assert!(!text.contains('\u{7}'), "no control characters in the XML");
    validates(&path);
}

#[test]
fn qdc_guids_and_colours_are_stable_and_well_formed() {
    let (a, _, _) = run(mint().args(["codebook", "export", "--to", "qdc"]));
    let (b, _, _) = run(mint().args(["codebook", "export", "--to", "qdc"]));
    assert_eq!(a, b);
    assert!(a.contains(&format!(
        "guid=\"{}\"",
        mint::exchange::theme_guid("vision")
    )));
    for colour in a.split("color=\"").skip(1) {
        let colour = &colour[..colour.find('"').unwrap()];
        assert_eq!(colour.len(), 7, "{colour}");
    }
}

#[test]
fn qdc_export_import_export_is_byte_identical_for_the_default_codebook() {
    assert_round_trip(None, "qdc");
}

#[test]
fn qdc_export_import_export_is_byte_identical_for_special_characters() {
    assert_round_trip(Some(&special()), "qdc");
}

#[test]
fn csv_export_import_export_is_byte_identical_for_the_default_codebook() {
    assert_round_trip(None, "csv");
}

#[test]
fn csv_export_import_export_is_byte_identical_for_special_characters() {
    assert_round_trip(Some(&special()), "csv");
}

#[test]
fn qdc_round_trip_keeps_every_field_of_the_default_codebook() {
    let dir = tempfile::tempdir().unwrap();
    let qdc = dir.path().join("mint.qdc");
    let toml = dir.path().join("mint.toml");
    export(None, "qdc", &qdc);
    import(&qdc, &toml);
    let show = |codebook: Option<&Path>| {
        let mut cmd = mint();
        cmd.args(["codebook", "show", "--format", "json"]);
        if let Some(path) = codebook {
            cmd.arg("--codebook").arg(path);
        }
        let mut v: serde_json::Value = serde_json::from_str(&run(&mut cmd).0).unwrap();
        // The codebook's name, version and description have no place in a .qdc.
        v.as_object_mut().unwrap().remove("codebook");
        v
    };
    assert_eq!(show(Some(&toml)), show(None));
}

#[test]
fn csv_has_the_spreadsheet_columns_and_doubles_semicolons() {
    let (stdout, stderr, code) = run(mint()
        .args(["codebook", "export", "--to", "csv", "--codebook"])
        .arg(special()));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    assert_eq!(
        header[..12],
        [
            "theme",
            "theme_label",
            "code",
            "label",
            "parent",
            "origin",
            "definition",
            "when_to_use",
            "when_not_to_use",
            "examples",
            "patterns",
            "exclude"
        ]
    );
    assert_eq!(
        rows[0][10],
        "budget*; funding; re:(?i)\\bmoney\\b; A&E; semi;;colon"
    );
    assert_eq!(rows[1][4], "budgets", "a sub-code names its parent");
    let last = rows.last().unwrap();
    assert_eq!(
        (last[0].as_str(), last[2].as_str()),
        ("later", ""),
        "a theme without codes still has a row"
    );
}

#[test]
fn export_refuses_a_codebook_without_codes_as_qdc() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.qdc");
    let (_, stderr, code) = run(mint()
        .args(["codebook", "export", "--to", "qdc", "--codebook"])
        .arg(fixture("exchange/empty.toml"))
        .arg("-o")
        .arg(&path));
    assert_eq!(code, 2);
    assert!(stderr.contains("the codebook has no codes"), "{stderr}");
    assert!(!path.exists(), "nothing is written");
}

#[test]
fn export_takes_the_format_from_the_output_extension() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.json");
    let (_, stderr, code) = run(mint().args(["codebook", "export", "-o"]).arg(&path));
    assert_eq!(code, 0, "{stderr}");
    let (show, _, _) = run(mint().args(["codebook", "show", "--format", "json"]));
    assert_eq!(fs::read_to_string(&path).unwrap(), show);
    let (_, stderr, code) = run(mint().args(["codebook", "export"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("--to qdc|csv|md|json"), "{stderr}");
}

#[test]
fn json_export_is_what_codebook_show_prints() {
    let (export, _, code) = run(mint().args(["codebook", "export", "--to", "json"]));
    assert_eq!(code, 0);
    let (show, _, _) = run(mint().args(["codebook", "show", "--format", "json"]));
    assert_eq!(export, show);
}

#[test]
fn markdown_export_has_a_section_per_theme_and_code() {
    let (md, stderr, code) = run(mint()
        .args(["codebook", "export", "--to", "md", "--codebook"])
        .arg(special()));
    assert_eq!(code, 0, "{stderr}");
    assert!(md.starts_with("# exchange fixture\n"), "{md}");
    assert!(
        md.contains("\n## Money & \\<power\\> \"quoted\" (`money`)\n"),
        "{md}"
    );
    assert!(md.contains("\n### Budgets & funding (`budgets`)\n"), "{md}");
    assert!(md.contains("\n#### Pooled budgets (`pooled`)\n"), "{md}");
    assert!(md.contains("**Patterns:** `budget*`, `funding`,"), "{md}");
    assert!(
        md.contains("**Exclude:** `budget airline*`, `re:<b>`"),
        "{md}"
    );
    let (default, _, _) = run(mint().args(["codebook", "export", "--to", "md"]));
    assert_eq!(default.matches("\n## ").count(), 6);
    assert_eq!(default.matches("\n### ").count(), 38);
}

#[test]
fn taguette_codebook_imports_with_warnings_for_what_does_not_conform() {
    let Some(path) = shared(TAGUETTE) else { return };
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("taguette.toml");
    let stderr = import(&path, &toml);
    assert!(stderr.contains("empty <Sets/>"), "{stderr}");
    assert!(stderr.contains("\"uncategorised\""), "{stderr}");
    assert!(stderr.contains("5 codes had no patterns"), "{stderr}");
    assert!(stderr.contains("imported 1 theme and 5 codes"), "{stderr}");
    assert_loads(&toml);
    let text = fs::read_to_string(&toml).unwrap();
    assert!(text.contains("label = \"Ünïcødé 😀\""), "{text}");
    assert!(text.contains("patterns = [\"barriers.cost\"]"), "{text}");
}

#[test]
fn nvivo_project_codebook_imports_all_262_nested_codes() {
    let Some(path) = shared(NVIVO) else { return };
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("nvivo.toml");
    let stderr = import(&path, &toml);
    assert!(
        stderr.contains("imported 3 themes and 259 codes"),
        "{stderr}"
    );
    assert!(
        stderr.contains("project's Sources, Users were ignored"),
        "{stderr}"
    );
    assert!(stderr.contains("became themes"), "{stderr}");
    assert_loads(&toml);
    let book = mint::codebook::Codebook::load(&toml).unwrap();
    assert_eq!(book.themes.len() + book.codes.len(), 262);
    let deepest = book
        .codes
        .iter()
        .map(|c| book.ancestors(&c.id).unwrap().len())
        .max();
    assert_eq!(deepest, Some(5), "six levels under the themes");
    // Names used twice get distinct ids and patterns.
    let programming: Vec<&str> = book
        .codes
        .iter()
        .filter(|c| c.label == "programming")
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(programming, ["programming", "programming_2"]);
    // And the imported codebook exports as a valid .qdc.
    let qdc = dir.path().join("nvivo.qdc");
    export(Some(&toml), "qdc", &qdc);
    validates(&qdc);
}

#[test]
fn shared_mint_sample_codebook_imports_its_folders_and_sets() {
    let Some(path) = shared(MINT_SAMPLE) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("sample.toml");
    let stderr = import(&path, &toml);
    assert!(stderr.contains("1 code set (<Set>) dropped"), "{stderr}");
    assert!(stderr.contains("imported 2 themes and 6 codes"), "{stderr}");
    assert_loads(&toml);
    let book = mint::codebook::Codebook::load(&toml).unwrap();
    let cost = book.codes.iter().find(|c| c.id == "cost_price").unwrap();
    assert_eq!(
        (cost.label.as_str(), cost.parent.as_deref()),
        ("Cost & price", Some("barriers"))
    );
    assert_eq!(
        book.codes
            .iter()
            .find(|c| c.id == "barriers")
            .unwrap()
            .definition,
        "Things that stop people from taking part"
    );
}

#[test]
fn a_hand_made_spreadsheet_imports_and_codes() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("sheet.toml");
    let stderr = import(&fixture("exchange/spreadsheet.csv"), &toml);
    assert!(stderr.contains("columns ignored: \"Notes\""), "{stderr}");
    assert!(stderr.contains("1 code had no patterns"), "{stderr}");
    assert_loads(&toml);
    let book = mint::codebook::Codebook::load(&toml).unwrap();
    let themes: Vec<(&str, &str)> = book
        .themes
        .iter()
        .map(|t| (t.id.as_str(), t.label.as_str()))
        .collect();
    assert_eq!(themes, [("hr_and_it", "HR and IT"), ("meaning", "Meaning")]);
    let codes: Vec<(&str, &str)> = book
        .codes
        .iter()
        .map(|c| (c.id.as_str(), c.label.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("it_systems", "IT systems"),
            ("pay", "Pay"),
            ("what_integration_means", "What integration means")
        ]
    );
    assert_eq!(book.codes[0].patterns, ["IT", "system*", "shared record*"]);
    assert_eq!(book.codes[0].definition, "Computers, records and access");
}

#[test]
fn import_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("sheet.toml");
    fs::write(&toml, "keep me").unwrap();
    let sheet = fixture("exchange/spreadsheet.csv");
    let (_, stderr, code) = run(mint()
        .args(["codebook", "import"])
        .arg(&sheet)
        .arg("-o")
        .arg(&toml));
    assert_eq!(code, 2);
    assert!(stderr.contains("exists; pass --force"), "{stderr}");
    assert_eq!(fs::read_to_string(&toml).unwrap(), "keep me");
    let (_, stderr, code) = run(mint()
        .args(["codebook", "import", "--force"])
        .arg(&sheet)
        .arg("-o")
        .arg(&toml));
    assert_eq!(code, 0, "{stderr}");
    assert_loads(&toml);
}

#[test]
fn import_writes_a_codebook_with_problems_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("bad.csv");
    fs::write(&sheet, "theme,code,patterns\nt,a,in*x\n").unwrap();
    let toml = dir.path().join("bad.toml");
    let (_, stderr, code) = run(mint()
        .args(["codebook", "import"])
        .arg(&sheet)
        .arg("-o")
        .arg(&toml));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("`*` may only end a word"), "{stderr}");
    assert!(fs::read_to_string(&toml).unwrap().contains("in*x"));
}

#[test]
fn import_reads_stdin_with_from() {
    let sheet = fs::File::open(fixture("exchange/spreadsheet.csv")).unwrap();
    let (stdout, stderr, code) = run(mint()
        .args(["codebook", "import", "-", "--from", "csv"])
        .stdin(sheet));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("from stdin"), "{stdout}");
    assert!(stdout.contains("name = \"imported\""), "{stdout}");
}

#[test]
fn import_of_an_unknown_extension_asks_for_from() {
    let (_, stderr, code) = run(mint().args(["codebook", "import", "README.md"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("--from qdc|qdpx|csv"), "{stderr}");
}

#[test]
fn import_reports_a_broken_xml_file_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.qdc");
    fs::write(
        &path,
        "<?xml version=\"1.0\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">\n<Codes>\n</CodeBook>\n",
    )
    .unwrap();
    let (_, stderr, code) = run(mint().args(["codebook", "import"]).arg(&path));
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot import"), "{stderr}");
    assert!(stderr.contains("line 4"), "{stderr}");
}

#[test]
fn export_and_import_help() {
    let help = |args: &[&str]| run(mint().args(args).env("COLUMNS", "100")).0;
    insta::assert_snapshot!(help(&["codebook", "export", "--help"]));
    insta::assert_snapshot!(help(&["codebook", "import", "--help"]));
}
