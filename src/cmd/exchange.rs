//! `mint codebook export` and `mint codebook import`: the codebook in other
//! tools' formats. The formats themselves (REFI-QDA .qdc/.qdpx, CSV,
//! Markdown, JSON) live in `mint::exchange`; this file only reads and writes
//! files and reports.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::Context;

use mint::exchange::{self, Imported, Report};

use crate::args::load_codebook;
use crate::render::{Output, Status};

/// Write a codebook for other tools: REFI-QDA .qdc, CSV, Markdown or JSON
///
/// qdc is the REFI-QDA codebook that NVivo, ATLAS.ti, MAXQDA, QualCoder and
/// Taguette import. Each theme becomes a folder (a code that is not
/// codable) holding its codes, sub-codes nested under their parent. Each
/// code's description holds its definition fields and, in a [mint] block,
/// its patterns, so `mint codebook import` gets the codebook back. GUIDs
/// are derived from the ids, so they stay the same from one export to the
/// next. The codebook's name, version and description have no place in a
/// .qdc. A codebook without codes cannot be written as a .qdc.
///
/// csv has one row per code, for spreadsheets: theme, theme_label, code,
/// label, parent, origin, definition, when_to_use, when_not_to_use,
/// examples, patterns, exclude, then the other fields. List fields are
/// joined by "; "; a ";" inside a pattern or example is written doubled
/// (";;"). md is a readable codebook for appendices; json is what
/// `mint codebook show --format json` prints.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint codebook export --to qdc -o codebook.qdc
  mint codebook export --codebook study.toml -o study.csv
  mint codebook export --codebook study.toml --to md > appendix.md")]
pub struct ExportArgs {
    /// Codebook file (TOML, or JSON by extension; default: the embedded one).
    #[arg(long, value_name = "FILE")]
    codebook: Option<PathBuf>,

    /// The format to write (default: from the extension of -o).
    #[arg(long, value_enum, value_name = "FORMAT")]
    to: Option<ExportFormat>,

    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// The formats `mint codebook export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    /// REFI-QDA codebook exchange (.qdc).
    Qdc,
    /// One row per code, for spreadsheets.
    Csv,
    /// Markdown, for reports and appendices.
    Md,
    /// JSON with a top-level schema_version.
    Json,
}

/// Import a codebook from another tool (.qdc, .qdpx, .csv) as mint TOML
///
/// From a .qdc, or the codebook inside a .qdpx project: top-level codes that
/// hold other codes (or are not codable) become themes, the codes in them
/// codes, and deeper codes sub-codes. A top-level code on its own goes under
/// a theme "uncategorised". Descriptions become definitions. Only mint's own
/// exports carry patterns; any other code gets its name as its one pattern,
/// with a warning, since the patterns are what mint codes with: write real
/// ones before coding. What does not conform to the standard, or has no
/// place in a mint codebook (sets, memos, GUIDs, colours), is reported as a
/// warning; it does not stop the import.
///
/// From a .csv (a spreadsheet): at least a theme column and a code column
/// (or label or name), headers in any case; definition, patterns and the
/// other columns `mint codebook export --to csv` writes are read when
/// present. Separators ",", ";" and tab are recognised.
///
/// Exit status 1 means the codebook was written but still has problems that
/// `mint codebook check` reports (such as an invalid pattern): fix them
/// before coding.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint codebook import nvivo-project.qdpx -o study.toml
  mint codebook import codebook.qdc > study.toml
  mint codebook import spreadsheet.csv -o study.toml
  mint codebook check study.toml")]
pub struct ImportArgs {
    /// The file to read: .qdc, .qdpx, .qde or .csv (- for stdin, with --from).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Its format, when the extension does not say.
    #[arg(long, value_enum, value_name = "FORMAT")]
    from: Option<ImportFormat>,

    /// Write the TOML to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Overwrite the -o file if it exists.
    #[arg(long)]
    force: bool,
}

/// The formats `mint codebook import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ImportFormat {
    /// A REFI-QDA codebook (.qdc), or a bare project.qde.
    Qdc,
    /// A REFI-QDA project (.qdpx): the codebook inside it.
    Qdpx,
    /// A spreadsheet saved as CSV.
    Csv,
}

/// Runs `mint codebook export`.
pub fn export(args: ExportArgs, out: &mut Output) -> anyhow::Result<Status> {
    let format = export_format(args.to, args.output.as_deref())?;
    let codebook = load_codebook(args.codebook.as_deref())?;
    let mut bytes = Vec::new();
    let report = match format {
        ExportFormat::Qdc => exchange::write_qdc(&codebook, &mut bytes),
        ExportFormat::Csv => exchange::write_csv(&codebook, &mut bytes),
        ExportFormat::Md => {
            exchange::write_markdown(&codebook, &mut bytes).map(|()| Report::default())
        }
        ExportFormat::Json => {
            exchange::write_json(&codebook, &mut bytes).map(|()| Report::default())
        }
    }
    .context("cannot export the codebook")?;
    let path = args.output.unwrap_or_else(|| PathBuf::from("-"));
    out.write_file(&path, |w| w.write_all(&bytes).context("write failed"))?;
    for dropped in &report.dropped {
        out.note(&format!("not exported: {dropped}"));
    }
    for warning in &report.warnings {
        out.warn(warning);
    }
    Ok(Status::Ok)
}

/// Runs `mint codebook import`.
pub fn import(args: ImportArgs, out: &mut Output) -> anyhow::Result<Status> {
    let shown = args.file.display().to_string();
    let format = import_format(args.from, &args.file)?;
    if let Some(path) = &args.output
        && path != Path::new("-")
        && path.exists()
        && !args.force
    {
        anyhow::bail!("{} exists; pass --force to overwrite it", path.display());
    }
    let bytes = read_input(&args.file)?;
    let Imported {
        mut codebook,
        origin,
        warnings,
        patterns_from_names,
    } = match format {
        ImportFormat::Qdc => exchange::read_qdc(&bytes),
        ImportFormat::Qdpx => exchange::read_qdpx(&bytes),
        ImportFormat::Csv => exchange::read_csv(&bytes),
    }
    .with_context(|| format!("cannot import {shown}"))?;
    for warning in &warnings {
        out.warn(&format!("{shown}: {warning}"));
    }
    let stdin = args.file == Path::new("-");
    let file_name = match args.file.file_name() {
        Some(name) if !stdin => name.to_string_lossy().into_owned(),
        _ => "stdin".to_string(),
    };
    if codebook.codebook.name.is_empty() {
        codebook.codebook.name = match args.file.file_stem() {
            Some(stem) if !stdin => stem.to_string_lossy().into_owned(),
            _ => "imported".to_string(),
        };
    }
    let header = header(&file_name, origin.as_deref(), patterns_from_names);
    let mut toml = Vec::new();
    exchange::write_toml(&codebook, &header, &mut toml)?;
    let path = args.output.unwrap_or_else(|| PathBuf::from("-"));
    out.write_file(&path, |w| w.write_all(&toml).context("write failed"))?;
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    out.note(&format!(
        "imported {} and {} from {shown}",
        count(codebook.themes.len(), "theme"),
        count(codebook.codes.len(), "code")
    ));
    let errors: Vec<_> = codebook
        .validate()
        .into_iter()
        .filter(|d| d.severity == mint::error::Severity::Error)
        .collect();
    for d in &errors {
        out.warn(&format!("the imported codebook: {d}"));
    }
    Ok(if errors.is_empty() {
        Status::Ok
    } else {
        Status::Findings
    })
}

/// The comment at the top of an imported codebook.
fn header(file_name: &str, origin: Option<&str>, patterns_from_names: usize) -> String {
    let origin = origin
        .map(|o| format!(" (written by {o})"))
        .unwrap_or_default();
    let mut header = format!(
        "Imported by mint {} from {file_name}{origin}.\nCheck it with `mint codebook check` before coding.",
        env!("CARGO_PKG_VERSION")
    );
    if patterns_from_names > 0 {
        header.push_str(&format!(
            "\n{patterns_from_names} code(s) had no patterns and got their name as their one pattern:\nreplace those with patterns that find the code in transcripts."
        ));
    }
    header
}

fn export_format(to: Option<ExportFormat>, output: Option<&Path>) -> anyhow::Result<ExportFormat> {
    if let Some(format) = to {
        return Ok(format);
    }
    let extension = output
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("qdc") => Ok(ExportFormat::Qdc),
        Some("csv") => Ok(ExportFormat::Csv),
        Some("md" | "markdown") => Ok(ExportFormat::Md),
        Some("json") => Ok(ExportFormat::Json),
        _ => anyhow::bail!("say which format to write with --to qdc|csv|md|json"),
    }
}

fn import_format(from: Option<ImportFormat>, file: &Path) -> anyhow::Result<ImportFormat> {
    if let Some(format) = from {
        return Ok(format);
    }
    let extension = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("qdc" | "qde" | "xml") => Ok(ImportFormat::Qdc),
        Some("qdpx" | "zip") => Ok(ImportFormat::Qdpx),
        Some("csv" | "tsv" | "txt") => Ok(ImportFormat::Csv),
        _ => anyhow::bail!(
            "cannot tell the format of {} from its extension: pass --from qdc|qdpx|csv",
            file.display()
        ),
    }
}

fn read_input(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read stdin")?;
        return Ok(bytes);
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}
