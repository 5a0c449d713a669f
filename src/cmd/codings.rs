//! `mint codings`: the human codings of a REFI-QDA project (or of a codings
//! sheet) written in mint's codings layout with a `coder` column, for later
//! commands to read. The readers are [`mint::exchange::project_codings`]
//! and [`mint::exchange::read_codings_csv`].

use std::path::PathBuf;

use anyhow::Context;
use mint::exchange::{self, HumanCodings};

use crate::args::load_codebooks;
use crate::render::xlsx::About;
use crate::render::{FileFormat, write_table_file};
use crate::render::{Output, Status};

/// Write the human codings of a QDA project (or sheet) as a codings CSV.
///
/// INPUT is a REFI-QDA project (.qdpx) exported by NVivo, ATLAS.ti, MAXQDA,
/// QualCoder or mint, or a CSV: mint's own codings CSV, or a sheet with the
/// columns `file,start,end,code` (code points, end exclusive),
/// `file,turn,code` or `participant,turn,code`, with an optional `coder`
/// column. The output has the columns of `mint code --codings` and `coder`
/// last (a codings CSV of `mint code --model` keeps its columns origin,
/// probability and model before it, as they were written); start and end
/// count code points in the project's source text, and
/// the case variables are the attribute columns. Reading that output again
/// gives the same file.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint codings reviewed.qdpx -o human.csv
  mint codings reviewed.qdpx --coder ana -o ana.csv
  mint codings sheet.csv --codebook study.toml -o human.csv")]
pub struct Args {
    /// The project (.qdpx) or codings sheet (.csv).
    #[arg(value_name = "INPUT")]
    input: PathBuf,

    /// Only the codings of this user (a project's user name, a sheet's
    /// coder); a name that matches none is an error listing them.
    #[arg(long, value_name = "NAME")]
    coder: Option<String>,

    /// Match every code to this codebook (`default` for the embedded one)
    /// by id or label, writing ids and themes; a code it does not have is
    /// an error. Without it codes are written as the input names them.
    #[arg(long, value_name = "FILE")]
    codebook: Option<PathBuf>,

    /// Write the CSV to FILE (atomically) instead of stdout; a FILE ending
    /// in .xlsx is an Excel workbook.
    #[arg(short, long, value_name = "FILE", default_value = "-")]
    output: PathBuf,
}

/// Runs `mint codings`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let can = [FileFormat::Csv, FileFormat::Xlsx];
    let format = crate::render::file_format("--output", &args.output, &can)?;
    let book = match &args.codebook {
        Some(path) => Some(load_codebooks(std::slice::from_ref(path))?),
        None => None,
    };
    let name = args.input.display().to_string();
    let bytes = std::fs::read(&args.input).with_context(|| format!("cannot read {name}"))?;
    let project = args
        .input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qdpx"));
    let mut codings = if project {
        let project = exchange::read_project(&bytes).with_context(|| name.clone())?;
        exchange::project_codings(&project, args.coder.as_deref(), book.as_ref())
    } else {
        exchange::read_codings_csv(&bytes, book.as_ref())
            .and_then(|c| by_coder(c, args.coder.as_deref()))
    }
    .with_context(|| name.clone())?;
    for warning in std::mem::take(&mut codings.warnings) {
        out.warn(&format!("{name}: {warning}"));
    }
    let about = || About::new(book.as_ref(), None);
    write_table_file(out, &args.output, format, "Codings", about, |w| {
        let mut csv = crate::render::csv::Writer::new(w);
        csv.write_record(codings.header())?;
        for coding in &codings.codings {
            csv.write_record(codings.record(coding))?;
        }
        csv.flush()?;
        Ok(())
    })?;
    if args.output.as_os_str() != "-" {
        out.note(&format!(
            "wrote {} coding{} to {}",
            codings.codings.len(),
            if codings.codings.len() == 1 { "" } else { "s" },
            args.output.display()
        ));
    }
    Ok(Status::Ok)
}

/// The codings of one coder of a sheet; a name no row has is an error.
fn by_coder(
    mut codings: HumanCodings,
    coder: Option<&str>,
) -> Result<HumanCodings, exchange::CodingsError> {
    let Some(name) = coder else {
        return Ok(codings);
    };
    if !codings.codings.iter().any(|c| c.coder == name) {
        let coders: std::collections::BTreeSet<String> = codings
            .codings
            .iter()
            .map(|c| format!("{:?}", c.coder))
            .collect();
        return Err(exchange::CodingsError::UnknownCoder {
            name: name.to_string(),
            users: coders.into_iter().collect::<Vec<_>>().join(", "),
        });
    }
    codings.codings.retain(|c| c.coder == name);
    Ok(codings)
}
