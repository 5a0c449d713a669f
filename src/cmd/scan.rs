//! `mint scan`: likely identifiers in transcripts (or in any JSON file, such
//! as a learned model), each located and with its excerpt masked; exit 1
//! when anything is found, for a CI gate.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use comfy_table::Cell;
use serde::{Deserialize, Serialize};

use mint::disclosure::{Kind, Scanner};

use crate::args::{CorpusOptions, DisclosureArgs, FormatArgs};
use crate::render::{self, Output, Report, Status, table};

/// Find names, phone numbers and other identifiers before text leaves.
///
/// Scans the speech of every turn (the interviewer's too) and the speaker
/// labels for: NHS numbers (with a valid check digit), UK phone numbers,
/// email addresses, full UK postcodes, National Insurance numbers, full
/// dates, URLs; people (a title with a name, a known given name or surname
/// outside a sentence start, a full name); speaker labels that look like
/// real names; and the study's own names (--names). Times, money, years and
/// NHS numbers with a wrong check digit are not flagged.
///
/// Each finding is shown with FILE:LINE:COL, its kind and the text around
/// it, every identifier masked. A .json file is scanned as JSON: every
/// string and key, located by its path (`vocabulary[12]`).
///
/// Exit status: 0 when nothing is found, 1 when something is, 2 on error.
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |a| a.help("How to print the findings")))]
#[command(after_long_help = "\
Examples:
  mint scan transcripts/
  mint scan transcripts/ --names study-names.txt --allow area-places.txt
  mint scan transcripts/ --format csv > findings.csv
  mint scan model.json

The names file, one pattern a line:
  # wards and practices
  Ward 7
  St Mary*
  person: Sister Okafor")]
pub struct Args {
    /// Transcript files or folders (as for `mint code`), or .json files.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,

    #[command(flatten)]
    corpus: CorpusOptions,

    #[command(flatten)]
    disclosure: DisclosureArgs,

    #[command(flatten)]
    format: FormatArgs,
}

/// One finding, as every format shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Row {
    file: String,
    /// 1-based line, 0 in a JSON file.
    line: usize,
    /// 1-based column in characters, 0 in a JSON file.
    col: usize,
    /// Where in a JSON file; empty for a transcript.
    path: String,
    kind: String,
    excerpt: String,
}

/// Runs `mint scan`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let scanner = args.disclosure.scanner()?;
    let (json, transcripts): (Vec<PathBuf>, Vec<PathBuf>) =
        args.paths.iter().cloned().partition(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        });
    let mut rows = Vec::new();
    for path in &json {
        rows.extend(scan_json(path, &scanner)?);
    }
    let mut status = Status::Ok;
    if !transcripts.is_empty() {
        let info = args.corpus.stream(
            &transcripts,
            out,
            None,
            None,
            |t| scan_transcript(t, &scanner),
            |_, file| {
                rows.extend(file.result);
                Ok(())
            },
        )?;
        status = args.corpus.status(&info, out);
    }
    render::emit(out, args.format.format, &Findings(&rows))?;
    out.flush()?;
    if status == Status::Error {
        return Ok(status);
    }
    out.note(&summary(&rows));
    Ok(if rows.is_empty() {
        Status::Ok
    } else {
        Status::Findings
    })
}

fn scan_transcript(t: &mint::corpus::Transcript, scanner: &Scanner) -> Vec<Row> {
    scanner
        .scan_transcript(t)
        .into_iter()
        .map(|l| Row {
            file: t.path.clone(),
            line: l.line,
            col: l.col,
            path: String::new(),
            kind: l.finding.kind.as_str().to_string(),
            excerpt: l.excerpt,
        })
        .collect()
}

fn scan_json(path: &Path, scanner: &Scanner) -> anyhow::Result<Vec<Row>> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {shown}"))?;
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).with_context(|| format!("{shown}: not valid JSON"))?;
    Ok(mint::disclosure::json::scan(&value, scanner)
        .into_iter()
        .map(|f| Row {
            file: shown.clone(),
            line: 0,
            col: 0,
            path: f.path,
            kind: f.kind.as_str().to_string(),
            excerpt: f.excerpt,
        })
        .collect())
}

/// `3 likely identifiers in 2 files: 2 phone, 1 person`, or `no likely
/// identifiers found`.
fn summary(rows: &[Row]) -> String {
    if rows.is_empty() {
        return "no likely identifiers found".to_string();
    }
    let files: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.file.as_str()).collect();
    let kinds: Vec<String> = Kind::ALL
        .iter()
        .filter_map(|k| {
            let n = rows.iter().filter(|r| r.kind == k.as_str()).count();
            (n > 0).then(|| format!("{n} {}", k.as_str()))
        })
        .collect();
    format!(
        "{} likely identifier{} in {} file{}: {}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        kinds.join(", ")
    )
}

/// The findings of a run.
struct Findings<'a>(&'a [Row]);

/// The JSON body of `mint scan --format json`: `findings`, one object per
/// finding with the CSV's columns (`file`, `line`, `col`, `path`, `kind`,
/// `excerpt`).
#[derive(Serialize)]
struct FindingsJson<'a> {
    findings: &'a [Row],
}

impl Report for Findings<'_> {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        let mut t = table::new_table(out);
        t.set_header(["where", "kind", "excerpt"]);
        for r in self.0 {
            let place = if r.path.is_empty() {
                format!("{}:{}:{}", r.file, r.line, r.col)
            } else {
                format!("{}: {}", r.file, r.path)
            };
            t.add_row(vec![
                Cell::new(place),
                Cell::new(&r.kind),
                Cell::new(&r.excerpt),
            ]);
        }
        table::write(out, &t)
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        render::csv::write_rows(w, self.0)
    }

    fn json(&self) -> impl Serialize + '_ {
        FindingsJson { findings: self.0 }
    }
}
