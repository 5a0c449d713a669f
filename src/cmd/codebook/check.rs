//! `mint codebook check`: every problem of one or more codebook files at
//! once, each as `FILE:LINE:COL` with the line and a pointer.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use mint::error::{Diagnostic, Severity};

use crate::args::load_codebooks;
use crate::render::{Output, Status};

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
pub struct Args {
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

/// Runs `mint codebook check`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
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
