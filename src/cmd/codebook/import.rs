//! `mint codebook import`: a codebook from another tool (REFI-QDA
//! .qdc/.qdpx, or a spreadsheet as CSV) as mint TOML. The formats
//! themselves live in `mint::exchange`; this file only reads and writes
//! files and reports.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::Context;

use mint::exchange::{self, Imported};

use crate::render::{Output, Status};

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
pub struct Args {
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

/// Runs `mint codebook import`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
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

/// The format to read: `--from`, or else the extension of FILE.
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

/// The bytes of FILE, or of stdin for `-`.
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
