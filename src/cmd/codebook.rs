//! `mint codebook`: show the codebook in use, or write the default one out
//! for editing.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use mint::codebook::{Codebook, DEFAULT_TOML};
use mint::error::{Diagnostic, Severity};

use crate::args::{load_codebook, load_codebooks};
use crate::render::Format;
use crate::render::{Output, Status, table::new_table, write_atomic};
use mint::matcher::Matcher;

/// Show the codebook, or write the default codebook out for editing.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    Check(CheckArgs),
    Test(TestArgs),
    Export(super::exchange::ExportArgs),
    Import(super::exchange::ImportArgs),
    Show(ShowArgs),
    Init(InitArgs),
}

/// Test a codebook against its own examples, like unit tests.
///
/// Every sentence in a code's `examples` must be coded by that code, and no
/// sentence in its `counterexamples` may be. A failure prints the code, the
/// sentence and what did (or did not) match. Exit status 1 on any failure.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint codebook test
  mint codebook test study.toml
  mint codebook test default extra.toml")]
struct TestArgs {
    /// Codebook files, each extending the ones before (`default` is the
    /// embedded codebook). Default: the embedded codebook.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Check codebooks and report every problem at once.
///
/// Errors (exit status 1): invalid TOML or JSON, unknown keys, empty or
/// duplicate ids, a code whose theme or parent does not exist, a code
/// without patterns, an invalid regex, a pattern that can never match.
/// Warnings: two codes with identical patterns, a pattern in two codes, or
/// a pattern every match of which another code's pattern also matches.
/// Each problem is printed as FILE:LINE:COL with the line and a pointer.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint codebook check study.toml
  mint codebook check codebooks/*.toml --no-warnings
  mint codebook check emergent.toml --extends default")]
struct CheckArgs {
    /// Codebook files (TOML, or JSON by extension).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Print errors only.
    #[arg(long)]
    no_warnings: bool,

    /// Check the files as extensions of this codebook (`default` for the
    /// embedded one; repeatable): their codes may name its themes and codes,
    /// as with `--codebook default --codebook FILE`.
    #[arg(long, value_name = "FILE")]
    extends: Vec<PathBuf>,
}

/// Print the themes and codes of a codebook (default: the embedded one).
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint codebook show
  mint codebook show --codebook study.toml --format csv")]
struct ShowArgs {
    /// Codebook file (TOML, or JSON by extension).
    #[arg(long, value_name = "FILE")]
    codebook: Option<PathBuf>,

    /// How to print it.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Write the default codebook to FILE as TOML, to edit and pass back with
/// --codebook.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint codebook init study.toml
  mint code transcripts/ --codebook study.toml")]
struct InitArgs {
    /// Where to write it.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Overwrite FILE if it exists.
    #[arg(long)]
    force: bool,
}

/// Runs `mint codebook`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    match args.action {
        Action::Check(args) => check(args, out),
        Action::Test(args) => test(args, out),
        Action::Export(args) => super::exchange::export(args, out),
        Action::Import(args) => super::exchange::import(args, out),
        Action::Show(args) => show(args, out),
        Action::Init(args) => init(args, out),
    }
}

fn check(args: CheckArgs, out: &mut Output) -> anyhow::Result<Status> {
    let inherited = if args.extends.is_empty() {
        Vec::new()
    } else {
        load_codebooks(&args.extends)?.ids()
    };
    let mut any_error = false;
    for path in &args.files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let name = path.display().to_string();
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let (book, mut problems) = if is_json {
            mint::codebook::check_json_extending(text, &name, inherited.clone())
        } else {
            mint::codebook::check_toml_extending(text, &name, inherited.clone())
        };
        if let Some(book) = &book
            && !args.no_warnings
        {
            problems.extend(book.overlaps());
            problems.sort_by_key(|d| (d.line.unwrap_or(usize::MAX), d.column.unwrap_or(0)));
        }
        problems.retain(|d| !(args.no_warnings && d.severity == Severity::Warning));
        let w = out.stdout();
        for d in &problems {
            write_diagnostic(w, &name, text, d)?;
        }
        let errors = problems
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = problems.len() - errors;
        any_error |= errors > 0;
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let codes = book.map_or(String::new(), |b| {
            format!("{} themes, {} codes: ", b.themes.len(), b.codes.len())
        });
        writeln!(
            w,
            "{name}: {codes}{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )?;
    }
    Ok(if any_error {
        Status::Findings
    } else {
        Status::Ok
    })
}

fn test(args: TestArgs, out: &mut Output) -> anyhow::Result<Status> {
    let codebook = load_codebooks(&args.files)?;
    let matcher = Matcher::new(&codebook)?;
    let mut hits = Vec::new();
    let (mut tried, mut failures) = (0, 0);
    let w = out.stdout();
    for (ci, code) in codebook.codes.iter().enumerate() {
        let cases = code.examples.iter().map(|e| (e, true));
        for (sentence, should) in cases.chain(code.counterexamples.iter().map(|e| (e, false))) {
            tried += 1;
            hits.clear();
            matcher.find(sentence, &mut hits);
            let own = hits
                .iter()
                .find(|h| h.code == ci || matcher.ancestors_of(h.code).contains(&ci));
            if own.is_some() == should {
                continue;
            }
            failures += 1;
            let what = if should { "example" } else { "counterexample" };
            writeln!(w, "FAIL {}: {what} {sentence:?}", code.id)?;
            match own {
                Some(hit) => {
                    let by = &codebook.codes[hit.code];
                    writeln!(
                        w,
                        "     is coded: pattern {:?} of {:?} matched {:?}",
                        by.patterns[hit.pattern],
                        by.id,
                        &sentence[hit.start..hit.end]
                    )?;
                }
                None => {
                    let others: Vec<&str> = hits
                        .iter()
                        .map(|h| codebook.codes[h.code].id.as_str())
                        .collect();
                    let also = if others.is_empty() {
                        "no code matched".to_string()
                    } else {
                        format!("coded only as {}", others.join(", "))
                    };
                    writeln!(
                        w,
                        "     is not coded: none of its patterns matched ({also})"
                    )?;
                }
            }
        }
    }
    let status = if failures > 0 {
        Status::Findings
    } else {
        Status::Ok
    };
    writeln!(
        w,
        "{}: {} codes, {tried} examples and counterexamples, {failures} failed",
        codebook.source,
        codebook.codes.len()
    )?;
    Ok(status)
}

/// `FILE:LINE:COL: error: message`, then the line with a pointer under the
/// problem (just's style), so editors can jump to it.
fn write_diagnostic(
    w: &mut dyn Write,
    name: &str,
    text: &str,
    d: &Diagnostic,
) -> anyhow::Result<()> {
    let severity = d.severity.as_str();
    match (d.line, d.column) {
        (Some(line), Some(col)) => {
            writeln!(w, "{name}:{line}:{col}: {severity}: {}", d.message)?;
            if let Some(source) = text.lines().nth(line - 1) {
                let gutter = " ".repeat(line.to_string().len());
                writeln!(w, "{gutter} |")?;
                writeln!(w, "{line} | {source}")?;
                writeln!(
                    w,
                    "{gutter} | {}{}",
                    " ".repeat(col - 1),
                    "^".repeat(d.width)
                )?;
            }
        }
        (Some(line), None) => writeln!(w, "{name}:{line}: {severity}: {}", d.message)?,
        _ => writeln!(w, "{name}: {severity}: {}", d.message)?,
    }
    Ok(())
}

fn show(args: ShowArgs, out: &mut Output) -> anyhow::Result<Status> {
    let codebook = load_codebook(args.codebook.as_deref())?;
    match args.format {
        Format::Table => {
            let mut table = new_table(out);
            table.set_header(["theme / code", "label", "origin", "patterns"]);
            for theme in &codebook.themes {
                table.add_row([theme.id.as_str(), &theme.label, "", ""]);
                for code in codebook.codes.iter().filter(|c| c.theme == theme.id) {
                    table.add_row([
                        format!("  {}", code.id),
                        code.label.clone(),
                        code.origin.as_str().to_string(),
                        code.patterns.join(", "),
                    ]);
                }
            }
            writeln!(out.stdout(), "{table}")?;
        }
        Format::Csv => write_csv(out.stdout(), &codebook)?,
        Format::Json => mint::exchange::write_json(&codebook, out.stdout())?,
    }
    Ok(Status::Ok)
}

fn write_csv(w: &mut dyn Write, codebook: &Codebook) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(mint::exchange::SUMMARY_COLUMNS)?;
    for code in &codebook.codes {
        csv.write_record([
            &code.theme,
            &code.id,
            &code.label,
            code.origin.as_str(),
            &code.definition,
            &code.when_to_use,
            &code.when_not_to_use,
            &code.patterns.join("; "),
            &code.exclude.join("; "),
        ])?;
    }
    csv.flush()?;
    Ok(())
}

fn init(args: InitArgs, out: &mut Output) -> anyhow::Result<Status> {
    if args.file.exists() && !args.force {
        anyhow::bail!(
            "{} exists; pass --force to overwrite it",
            args.file.display()
        );
    }
    write_atomic(&args.file, |w| {
        w.write_all(DEFAULT_TOML.as_bytes()).context("write failed")
    })?;
    out.note(&format!(
        "wrote the default codebook to {}",
        args.file.display()
    ));
    Ok(Status::Ok)
}
