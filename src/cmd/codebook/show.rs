//! `mint codebook show`: the themes and codes of a codebook, as a table,
//! CSV or JSON.

use std::io::Write;

use serde::Serialize;

use mint::codebook::Codebook;

use crate::args::{FormatArgs, OneCodebookArgs};
use crate::render::{self, Output, Report, Status, table};

/// Print the themes and codes of a codebook (default: the embedded one).
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |a| a.help("How to print it")))]
#[command(after_long_help = "\
Examples:
  mint codebook show
  mint codebook show --codebook study.toml --format csv")]
pub struct Args {
    #[command(flatten)]
    codebook: OneCodebookArgs,

    #[command(flatten)]
    format: FormatArgs,
}

/// Runs `mint codebook show`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let codebook = args.codebook.load()?;
    render::emit(out, args.format.format, &Show(codebook))?;
    Ok(Status::Ok)
}

/// A codebook, as `mint codebook show` prints it. Its JSON body is
/// [`Codebook`]'s fields (what `mint codebook export --to json` writes).
/// (Also the `repr` of a codebook in the Python package.)
pub struct Show(pub Codebook);

impl Report for Show {
    /// Each theme, then its codes indented under it.
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        let codebook = &self.0;
        let mut t = table::new_table(out);
        t.set_header(["theme / code", "label", "origin", "patterns"]);
        for theme in &codebook.themes {
            t.add_row([theme.id.as_str(), &theme.label, "", ""]);
            for code in codebook.codes.iter().filter(|c| c.theme == theme.id) {
                t.add_row([
                    format!("  {}", code.id),
                    code.label.clone(),
                    code.origin.as_str().to_string(),
                    code.patterns.join(", "),
                ]);
            }
        }
        table::write(out, &t)
    }

    /// One row per code, list fields joined by "; ".
    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        let records = self.0.codes.iter().map(|code| {
            vec![
                code.theme.clone(),
                code.id.clone(),
                code.label.clone(),
                code.origin.as_str().to_string(),
                code.definition.clone(),
                code.when_to_use.clone(),
                code.when_not_to_use.clone(),
                code.patterns.join("; "),
                code.exclude.join("; "),
            ]
        });
        render::csv::write_records(w, &mint::exchange::SUMMARY_COLUMNS, records)
    }

    fn json(&self) -> impl Serialize + '_ {
        &self.0
    }
}
