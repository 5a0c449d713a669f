//! `mint codebook init`: the embedded default codebook written out as TOML,
//! to edit and pass back with `--codebook`.

use std::path::PathBuf;

use anyhow::Context;

use mint::codebook::DEFAULT_TOML;

use crate::render::{Output, Status, write_atomic};

/// Write the default codebook to FILE as TOML, to edit and pass back with
/// --codebook.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint codebook init study.toml
  mint code transcripts/ --codebook study.toml")]
pub struct Args {
    /// Where to write it.
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Overwrite FILE if it exists.
    #[arg(long)]
    force: bool,
}

/// Runs `mint codebook init`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
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
