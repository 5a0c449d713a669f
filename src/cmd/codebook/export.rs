//! `mint codebook export`: the codebook in other tools' formats. The
//! formats themselves (REFI-QDA .qdc, CSV, Markdown, JSON) live in
//! `mint::exchange`; this file only writes the file and reports.

use std::path::{Path, PathBuf};

use anyhow::Context;

use mint::exchange::{self, Report};

use crate::args::OneCodebookArgs;
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
#[command(mut_arg("codebook", |a| a.help("Codebook file (TOML, or JSON by extension; default: the embedded one)")))]
#[command(after_long_help = "\
Examples:
  mint codebook export --to qdc -o codebook.qdc
  mint codebook export --codebook study.toml -o study.csv
  mint codebook export --codebook study.toml --to md > appendix.md")]
pub struct Args {
    #[command(flatten)]
    codebook: OneCodebookArgs,

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

/// Runs `mint codebook export`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let format = export_format(args.to, args.output.as_deref())?;
    let codebook = args.codebook.load()?;
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

/// The format to write: `--to`, or else the extension of `-o`.
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
