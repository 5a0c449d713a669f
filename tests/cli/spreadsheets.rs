//! Spreadsheets out and in: every table output written as an `.xlsx`
//! workbook reads back (calamine, and LibreOffice where installed) as the
//! CSV mint writes for it; an extension mint does not write is an error;
//! `--excel-csv`; attributes and surveys read from `.xlsx`/`.ods`.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, open_workbook_auto};

use crate::util::{fixture, mint, parse_csv, run};

const STUDY: &str = "examples/transcripts";

/// A table: header and rows of text cells.
type Table = (Vec<String>, Vec<Vec<String>>);

/// Every sheet of a workbook, as text: a number as Rust prints it.
fn sheets(path: &Path) -> Vec<(String, Table)> {
    let mut book = open_workbook_auto(path).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let mut rows: Vec<Vec<String>> = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            Data::String(s) => s.clone(),
                            Data::Float(x) => x.to_string(),
                            Data::Int(i) => i.to_string(),
                            other => panic!("{name}: unexpected cell {other:?}"),
                        })
                        .collect()
                })
                .collect();
            let header = if rows.is_empty() {
                Vec::new()
            } else {
                rows.remove(0)
            };
            (name, (header, rows))
        })
        .collect()
}

fn sheet<'a>(book: &'a [(String, Table)], name: &str) -> &'a Table {
    &book
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
        .1
}

/// Asserts that a sheet (from the workbook, or from LibreOffice's CSV of
/// it) holds the CSV's cells: the same text, or the same number (a
/// percentage as its fraction).
fn assert_same(what: &str, sheet: &Table, csv: &Table) {
    assert_eq!(sheet.0, csv.0, "{what}: header");
    assert_eq!(sheet.1.len(), csv.1.len(), "{what}: rows");
    for (r, (got, want)) in sheet.1.iter().zip(&csv.1).enumerate() {
        for (c, want) in want.iter().enumerate() {
            let got = got.get(c).map_or("", String::as_str);
            if got == want {
                continue;
            }
            let percent = csv.0[c] == "percent" || csv.0[c].ends_with(": percent");
            // LibreOffice writes a percentage as shown: 33.3% or 100%.
            if let (Some(g), Ok(w)) = (got.strip_suffix('%'), want.parse::<f64>())
                && percent
                && g.parse::<f64>().is_ok_and(|g| (g - w).abs() <= 0.05)
            {
                continue;
            }
            let (g, w) = (got.parse::<f64>(), want.parse::<f64>());
            let same = match (g, w) {
                (Ok(g), Ok(w)) if percent => (g * 100.0 - w).abs() < 1e-9,
                (Ok(g), Ok(w)) => (g - w).abs() < 1e-9,
                _ => false,
            };
            assert!(
                same,
                "{what}: row {} column {:?}: {got:?} != {want:?}",
                r + 2,
                csv.0[c]
            );
        }
    }
}

/// Runs mint and returns its stdout, which must succeed.
fn ok(args: &[&str]) -> String {
    let (stdout, stderr, code) = run(mint().args(args));
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stdout
}

fn read_csv(path: &Path) -> Table {
    parse_csv(&std::fs::read_to_string(path).unwrap())
}

/// The example study's workbook, and the CSVs of the same tables.
struct Study {
    _dir: tempfile::TempDir,
    book: PathBuf,
    csvs: Vec<(&'static str, Table)>,
}

fn study() -> Study {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).display().to_string();
    let common = [STUDY, "-q", "--raw-csv", "--min-cell", "3"];
    let book = at("study.xlsx");
    let stats = ok(&[
        &["code"][..],
        &common,
        &["--stats", "--xlsx", &book, "--format", "csv"],
    ]
    .concat());
    ok(&[
        &["code"][..],
        &common,
        &["--matrix", &at("m.csv"), "--codings", &at("c.csv")],
    ]
    .concat());
    ok(&[
        &["code"][..],
        &common,
        &["--long", "--matrix", &at("l.csv"), "--rules", &at("r.csv")],
    ]
    .concat());
    let csvs = vec![
        ("Themes", read_csv(&dir.path().join("m.csv"))),
        ("Themes (long)", read_csv(&dir.path().join("l.csv"))),
        ("Codings", read_csv(&dir.path().join("c.csv"))),
        ("Rules", read_csv(&dir.path().join("r.csv"))),
        ("Group comparison", parse_csv(&stats)),
    ];
    Study {
        book: PathBuf::from(book),
        csvs,
        _dir: dir,
    }
}

// See: #20 (item 1)
#[test]
fn the_study_workbook_reads_back_as_its_csvs() {
    let study = study();
    let book = sheets(&study.book);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Themes",
            "Themes (long)",
            "Codings",
            "Rules",
            "Group comparison",
            "Notes",
            "About"
        ]
    );
    for (name, csv) in &study.csvs {
        assert_same(name, sheet(&book, name), csv);
    }
    let notes = &sheet(&book, "Notes").1;
    assert!(notes[0][0].contains("--min-cell 3"), "{notes:?}");
    let about = &sheet(&book, "About").1;
    let value = |key: &str| about.iter().find(|r| r[0] == key).unwrap()[1].clone();
    assert_eq!(value("mint version"), env!("CARGO_PKG_VERSION"));
    assert_eq!(value("codebook"), "mint default codebook");
    assert!(value("input digest").starts_with("blake3:"), "{about:?}");
    assert!(value("command line").contains("--xlsx"), "{about:?}");
}

// See: #20 (item 1)
#[test]
fn a_workbook_is_the_same_bytes_run_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.xlsx");
    let write = || {
        ok(&["code", STUDY, "-q", "--matrix", path.to_str().unwrap()]);
        std::fs::read(&path).unwrap()
    };
    let (first, second) = (write(), write());
    assert!(first == second, "two runs gave different workbooks");
    // The zip entries carry a fixed date (1980-01-01), not the time of the run.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(first)).unwrap();
    for i in 0..zip.len() {
        let entry = zip.by_index(i).unwrap();
        let date = entry.last_modified().unwrap();
        assert_eq!(
            (date.year(), date.month(), date.day()),
            (1980, 1, 1),
            "{:?}",
            entry.name()
        );
    }
}

// See: #20 (item 1)
#[test]
fn every_table_output_writes_a_workbook_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).display().to_string();
    let cases: [(&[&str], &str, &str); 4] = [
        (&["quotes", STUDY, "--theme", "vision"], "Quotes", "q"),
        (&["sample", STUDY], "Sample", "s"),
        (&["cooccur", STUDY], "Co-occurrence", "co"),
        (&["matrix", STUDY, "--framework"], "Framework", "f"),
    ];
    for (args, sheet_name, stem) in cases {
        let csv = ok(&[args, &["-q", "--raw-csv", "--format", "csv"]].concat());
        let book = out(&format!("{stem}.xlsx"));
        let stdout = ok(&[args, &["-q", "--output", &book]].concat());
        assert_eq!(stdout, "", "{args:?}: --output takes the place of stdout");
        let sheets = sheets(Path::new(&book));
        assert_eq!(sheets[0].0, sheet_name);
        assert_same(sheet_name, &sheets[0].1, &parse_csv(&csv));
        assert_eq!(sheets.last().unwrap().0, "About");
        if stem != "s" {
            continue;
        }
        // .csv and .json by extension too (the same code for every command).
        let csv_file = out(&format!("{stem}.csv"));
        ok(&[args, &["-q", "--raw-csv", "-o", &csv_file]].concat());
        assert_eq!(std::fs::read_to_string(&csv_file).unwrap(), csv);
        let json_file = out(&format!("{stem}.json"));
        ok(&[args, &["-q", "-o", &json_file]].concat());
        let json = ok(&[args, &["-q", "--format", "json"]].concat());
        assert_eq!(std::fs::read_to_string(&json_file).unwrap(), json);
    }
}

// See: #20 (item 3)
#[test]
fn an_extension_mint_does_not_write_is_an_error_naming_what_it_can() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &["code", STUDY, "--matrix"],
            "x.xls",
            "--matrix writes .csv or .xlsx",
        ),
        (
            &["code", STUDY, "--codings"],
            "x.numbers",
            "--codings writes .csv or .xlsx",
        ),
        (
            &["code", STUDY, "--rules"],
            "x.ods",
            "--rules writes .csv or .xlsx",
        ),
        (&["code", STUDY, "--xlsx"], "x.csv", "--xlsx writes .xlsx"),
        (
            &["sample", STUDY, "--output"],
            "x.xls",
            "--output writes .csv, .json or .xlsx",
        ),
        (
            &["quotes", STUDY, "--theme", "vision", "-o"],
            "x.txt",
            "--output writes .csv, .json or .xlsx",
        ),
    ];
    for (args, file, says) in cases {
        let path = dir.path().join(file);
        let (_, stderr, code) = run(mint().args(args).arg(&path));
        assert_eq!(code, 2, "{args:?} {file}: {stderr}");
        let ext = file.rsplit('.').next().unwrap();
        assert!(
            stderr.contains(&format!("mint does not write .{ext} files")),
            "{stderr}"
        );
        assert!(stderr.contains(says), "{stderr}");
        assert!(!path.exists(), "{file} was written");
    }
}

// See: #20 (item 3)
#[test]
fn excel_csv_adds_a_bom_and_crlf_and_the_default_has_neither() {
    let plain = ok(&["sample", STUDY, "-q", "--format", "csv"]);
    assert!(
        !plain.starts_with('\u{feff}') && !plain.contains('\r'),
        "{plain:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.csv");
    ok(&[
        "code",
        STUDY,
        "-q",
        "--excel-csv",
        "--matrix",
        path.to_str().unwrap(),
    ]);
    let excel = std::fs::read_to_string(&path).unwrap();
    let body = excel.strip_prefix('\u{feff}').expect("a BOM first");
    assert!(body.lines().count() > 3 && body.split_inclusive('\n').all(|l| l.ends_with("\r\n")));
    let plain = dir.path().join("plain.csv");
    ok(&["code", STUDY, "-q", "--matrix", plain.to_str().unwrap()]);
    assert_eq!(
        body.replace("\r\n", "\n"),
        std::fs::read_to_string(&plain).unwrap()
    );
}

/// LibreOffice's `soffice`, if installed.
fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("soffice"))
        .find(|p| p.is_file())
}

// See: #20 (Done when: the workbook opens in LibreOffice)
#[test]
fn libreoffice_converts_each_sheet_back_to_the_csv() {
    let Some(soffice) = soffice() else {
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    let study = study();
    let dir = tempfile::tempdir().unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    // Comma, double quote, UTF-8, row 1, cells as stored (not as shown),
    // every sheet to its own file (LibreOffice 7.2 and later).
    let filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";
    let status = Command::new(soffice)
        .args([
            "--headless",
            "--norestore",
            &profile,
            "--convert-to",
            filter,
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&study.book)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for (name, csv) in &study.csvs {
        let path = dir.path().join(format!("study-{name}.csv"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_same(&format!("LibreOffice {name}"), &parse_csv(&text), csv);
    }
}

/// Writes a workbook with one sheet `name` (after a `Cover` sheet when
/// `cover`) holding `rows`; a cell that parses as a number is one.
fn workbook(path: &Path, name: &str, cover: bool, rows: &[&[&str]]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    if cover {
        book.add_worksheet().set_name("Cover").unwrap();
    }
    let sheet = book.add_worksheet().set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<f64>() {
                Ok(x) => sheet.write_number(r, c, x).unwrap(),
                Err(_) => sheet.write_string(r, c, *cell).unwrap(),
            };
        }
    }
    book.save(path).unwrap();
}

/// A sheet's rows, as written by [`workbook`].
type Rows<'a> = &'a [&'a [&'a str]];

/// The example study's attributes sheet, as rows of cells.
fn participants() -> Vec<Vec<String>> {
    let (header, rows) = read_csv(Path::new("examples/participants.csv"));
    std::iter::once(header).chain(rows).collect()
}

// See: #20 (item 2)
#[test]
fn an_attributes_workbook_gives_what_the_csv_gives() {
    let dir = tempfile::tempdir().unwrap();
    let rows = participants();
    let rows: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    let book = dir.path().join("people.xlsx");
    workbook(&book, "People", true, &rows);
    let by = ["--by", "level,sector,area", "--format", "csv", "-q"];
    let want = ok(&[
        &["code", STUDY, "--attributes", "examples/participants.csv"][..],
        &by,
    ]
    .concat());
    let book = book.to_str().unwrap();
    let got = ok(&[
        &["code", STUDY, "--attributes", book, "--sheet", "People"][..],
        &by,
    ]
    .concat());
    assert_eq!(got, want);
    // --sheet with nothing that reads a sheet matches nothing.
    let (_, stderr, code) = run(mint().args([
        "code",
        STUDY,
        "--attributes",
        "examples/participants.csv",
        "--sheet",
        "People",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--sheet names a sheet of a spreadsheet, but nothing here reads one"),
        "{stderr}"
    );
    // The committed .ods (made from the same CSV with LibreOffice).
    let ods = fixture("spreadsheets/participants.ods");
    let got = ok(&[
        &["code", STUDY, "--attributes", ods.to_str().unwrap()][..],
        &by,
    ]
    .concat());
    assert_eq!(got, want);
}

// See: #20 (item 2)
#[test]
fn attributes_workbook_errors_name_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(Rows, Option<&str>, &str); 6] = [
        (
            &[&["participant"], &["A1a"]],
            None,
            "A1: needs a key column and at least one attribute column",
        ),
        (
            &[&["participant", "level"], &["A1a", "x"], &["", "y"]],
            None,
            "A3: the first column (participant or file) is empty",
        ),
        (
            &[&["participant", "level"], &["A1a", "x", "stray"]],
            None,
            "C2: a value in a column with no name in the header row",
        ),
        (
            &[&["participant", "", "sector"], &["A1a", "x", "y"]],
            None,
            "B1: the column has no name in the header row",
        ),
        (
            &[&["participant", "level"]],
            Some("Nope"),
            "no sheet \"Nope\" (--sheet); the sheets are Cover, People",
        ),
        (
            &[],
            None,
            "A1: needs a key column and at least one attribute column",
        ),
    ];
    for (i, (rows, sheet, says)) in cases.into_iter().enumerate() {
        let path = dir.path().join(format!("a{i}.xlsx"));
        workbook(&path, "People", sheet.is_some(), rows);
        let mut cmd = mint();
        cmd.args(["code", STUDY, "--attributes"]).arg(&path);
        if let Some(sheet) = sheet {
            cmd.args(["--sheet", sheet]);
        }
        let (_, stderr, code) = run(&mut cmd);
        assert_eq!(code, 2, "{rows:?}: {stderr}");
        assert!(
            stderr.contains("cannot read the attributes sheet"),
            "{stderr}"
        );
        assert!(stderr.contains(says), "{rows:?}: {stderr}");
    }
    // A cell holding an error.
    let path = dir.path().join("err.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["participant", "level", "score"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "A1a").unwrap();
    let formula = rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!");
    sheet.write_formula(1, 2, formula).unwrap();
    book.save(&path).unwrap();
    let (_, stderr, code) = run(mint().args(["code", STUDY, "--attributes"]).arg(&path));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("C2: the cell holds an error (#DIV/0!)"),
        "{stderr}"
    );
    // A CSV named .xlsx is no spreadsheet.
    let path = dir.path().join("fake.xlsx");
    std::fs::copy("examples/participants.csv", &path).unwrap();
    let (_, stderr, code) = run(mint().args(["code", STUDY, "--attributes"]).arg(&path));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("not a spreadsheet mint reads (.xlsx or .ods)"),
        "{stderr}"
    );
}

/// The survey fixture's rows.
const SURVEY: &[&[&str]] = &[
    &["respondent", "sector", "comment"],
    &[
        "S-01",
        "health",
        "We finally share the same building as social care.",
    ],
    &["S-02", "social care", ""],
    &[
        "S-03",
        "social care",
        "Our IT systems still don't talk, so I ring the GP.",
    ],
];

// See: #20 (item 2)
#[test]
fn a_survey_workbook_reads_as_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("survey.xlsx");
    workbook(&book, "Responses", false, SURVEY);
    let book = book.to_str().unwrap();
    let csv = "tests/data/messy/survey.csv";
    let args = ["--text-column", "comment", "--id-column", "respondent"];
    let text = |file: &str| ok(&[&["text", file][..], &args].concat());
    assert_eq!(text(book), text(csv));
    let code = |file: &str| {
        let by = [
            "--codebook",
            "tests/data/basic/codebook.toml",
            "--by",
            "sector",
            "--format",
            "json",
        ];
        let json = ok(&[&["code", file][..], &args, &by].concat());
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v.as_object_mut().unwrap().remove("summary");
        v
    };
    assert_eq!(code(book), code(csv));
    // Found in a folder with --text-column, skipped (with a reason) without.
    let folder = dir.path().display().to_string();
    let (_, stderr, status) = run(mint().args(["code", &folder]));
    assert_eq!(status, 2, "nothing to read: {stderr}");
    assert!(
        stderr.contains("without --text-column (survey.xlsx)"),
        "{stderr}"
    );
}

// See: #20 (item 2)
#[test]
fn survey_workbook_errors_name_the_cell_or_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("survey.xlsx");
    let mut rows = SURVEY.to_vec();
    rows.push(&["", "health", "No id here."]);
    workbook(&book, "Responses", false, &rows);
    let book = book.to_str().unwrap();
    let (_, stderr, code) = run(mint().args([
        "text",
        book,
        "--text-column",
        "comment",
        "--id-column",
        "respondent",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains(":5: A5: the id column is empty"),
        "{stderr}"
    );
    let (_, stderr, code) = run(mint().args(["text", book, "--text-column", "answer"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no column \"answer\" (the --text-column); the columns are respondent, sector, comment; the answers look to be in \"comment\""),
        "{stderr}"
    );
    let (_, stderr, code) = run(mint().args(["text", book]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("a survey spreadsheet needs --text-column; the columns are"),
        "{stderr}"
    );
    let (_, stderr, code) =
        run(mint().args(["text", book, "--text-column", "comment", "--sheet", "Other"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no sheet \"Other\" (--sheet); the sheets are Responses"),
        "{stderr}"
    );
}

// See: #20 (item 1)
#[test]
fn codings_and_disagreements_write_workbooks_too() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("codings.xlsx");
    let csv = ok(&["codings", "tests/data/codings/spans.csv", "--raw-csv", "-q"]);
    ok(&[
        "codings",
        "tests/data/codings/spans.csv",
        "-q",
        "-o",
        book.to_str().unwrap(),
    ]);
    let got = sheets(&book);
    assert_eq!(got[0].0, "Codings");
    assert_same("codings", &got[0].1, &parse_csv(&csv));
    let (_, stderr, code) =
        run(mint().args(["codings", "tests/data/codings/spans.csv", "-o", "x.xls"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("--output writes .csv or .xlsx"), "{stderr}");

    let set = |c: &str| format!("tests/data/agree/transcripts=tests/data/agree/{c}.toml");
    let (csv, book) = (dir.path().join("dis.csv"), dir.path().join("dis.xlsx"));
    for path in [&csv, &book] {
        let args = [
            "agree",
            &set("a"),
            &set("b"),
            "--raw-csv",
            "--disagreements",
        ];
        ok(&[&args[..], &[path.to_str().unwrap()]].concat());
    }
    let got = sheets(&book);
    assert_eq!(got[0].0, "Disagreements");
    assert_same("disagreements", &got[0].1, &read_csv(&csv));
    assert!(!got[0].1.1.is_empty(), "a and b disagree somewhere");
}
