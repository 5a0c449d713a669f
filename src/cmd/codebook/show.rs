//! `mint codebook show`: the themes and codes of a codebook, as an
//! outline fitted to the terminal (`--full`: a table with every pattern),
//! CSV or JSON.

use std::io::Write;

use serde::Serialize;

use mint::codebook::{Codebook, Origin};

use crate::args::{FormatArgs, OneCodebookArgs};
use crate::render::{self, Output, Report, Status, table};

/// Print the themes and codes of a codebook (default: the embedded one).
///
/// The table is an outline: each theme, then its codes with their number
/// of patterns and their definition cut to the width ($COLUMNS, 80 when
/// stdout is not a terminal). --full prints every label and pattern.
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |a| a.help("How to print it")))]
#[command(after_long_help = "\
Examples:
  mint codebook show
  mint codebook show --full
  mint codebook show --codebook study.toml --format csv")]
pub struct Args {
    #[command(flatten)]
    codebook: OneCodebookArgs,

    /// Print a table with each code's label, origin and every pattern
    /// instead of the outline.
    #[arg(long)]
    full: bool,

    #[command(flatten)]
    format: FormatArgs,
}

/// Runs `mint codebook show`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let codebook = args.codebook.load()?;
    render::emit(
        out,
        args.format.format,
        &Show {
            codebook,
            full: args.full,
        },
    )?;
    Ok(Status::Ok)
}

/// A codebook, as `mint codebook show` prints it. Its JSON body is
/// [`Codebook`]'s fields (what `mint codebook export --to json` writes).
/// (Also the `repr` of a codebook in the Python package.)
pub struct Show {
    /// The codebook shown.
    pub codebook: Codebook,
    /// Every pattern, in a table (`--full`).
    pub full: bool,
}

impl Show {
    /// Each theme with its label, then its codes: id, number of patterns,
    /// and the definition (else the label) cut to the width.
    fn write_outline(&self, out: &mut Output) -> anyhow::Result<()> {
        let codebook = &self.codebook;
        let width = out.width;
        let id_width = codebook
            .codes
            .iter()
            .map(|c| c.id.chars().count() + usize::from(c.origin == Origin::Emergent) * 11)
            .max()
            .unwrap_or(0)
            .min(width.map_or(usize::MAX, |w| w / 3));
        let fit = |line: String| match width {
            Some(w) => table::cut(&line, w),
            None => line,
        };
        let mut text = String::new();
        for (i, theme) in codebook.themes.iter().enumerate() {
            let codes: Vec<_> = codebook
                .codes
                .iter()
                .filter(|c| c.theme == theme.id)
                .collect();
            if i > 0 {
                text.push('\n');
            }
            let count = format!(
                "{} code{}",
                codes.len(),
                if codes.len() == 1 { "" } else { "s" }
            );
            text.push_str(&fit(format!("{}: {} ({count})", theme.id, theme.label)));
            text.push('\n');
            for code in codes {
                let mut id = code.id.clone();
                if code.origin == Origin::Emergent {
                    id.push_str(" (emergent)");
                }
                let about = if code.definition.is_empty() {
                    &code.label
                } else {
                    &code.definition
                };
                let n = code.patterns.len();
                let line = format!(
                    "  {:<id_width$}  {n:>3} pattern{}  {}",
                    table::cut(&id, id_width),
                    if n == 1 { " " } else { "s" },
                    about.split_whitespace().collect::<Vec<_>>().join(" "),
                );
                text.push_str(fit(line).trim_end());
                text.push('\n');
            }
        }
        out.stdout().write_all(text.as_bytes())?;
        Ok(())
    }
}

impl Report for Show {
    /// The outline, or with `--full` each theme, then its codes indented
    /// under it with every pattern.
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        if !self.full {
            return self.write_outline(out);
        }
        let codebook = &self.codebook;
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
        let records = self.codebook.codes.iter().map(|code| {
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
        &self.codebook
    }
}
