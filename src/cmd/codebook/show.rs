//! `mint codebook show`: the themes and codes of a codebook, as a table,
//! CSV or JSON.

use std::io::Write;
use std::path::PathBuf;

use mint::codebook::Codebook;

use crate::args::load_codebook;
use crate::render::Format;
use crate::render::{Output, Status, table::new_table};

/// Print the themes and codes of a codebook (default: the embedded one).
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint codebook show
  mint codebook show --codebook study.toml --format csv")]
pub struct Args {
    /// Codebook file (TOML, or JSON by extension).
    #[arg(long, value_name = "FILE")]
    codebook: Option<PathBuf>,

    /// How to print it.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Runs `mint codebook show`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
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
