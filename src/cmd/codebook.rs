//! `mint codebook`: show the codebook in use, or write the default one out
//! for editing.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;

use mint::codebook::{Codebook, DEFAULT_TOML};

use super::load_codebook;
use crate::cli::Format;
use crate::output::{Output, Status, new_table, write_atomic};

/// Show the codebook, or write the default codebook out for editing.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    Show(ShowArgs),
    Init(InitArgs),
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
        Action::Show(args) => show(args, out),
        Action::Init(args) => init(args, out),
    }
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
        Format::Json => {
            #[derive(Serialize)]
            struct Doc<'a> {
                schema_version: u32,
                #[serde(flatten)]
                codebook: &'a Codebook,
            }
            serde_json::to_writer_pretty(
                out.stdout(),
                &Doc {
                    schema_version: 1,
                    codebook: &codebook,
                },
            )?;
            writeln!(out.stdout())?;
        }
    }
    Ok(Status::Ok)
}

fn write_csv(w: &mut dyn Write, codebook: &Codebook) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record([
        "theme",
        "code",
        "label",
        "origin",
        "definition",
        "when_to_use",
        "when_not_to_use",
        "patterns",
        "exclude",
    ])?;
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
