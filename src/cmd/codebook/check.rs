//! `mint codebook check`: every problem of one or more codebook files at
//! once, each as `FILE:LINE:COL` with the line and a pointer.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use mint::codebook::Codebook;
use mint::coding::background::Background;
use mint::error::{Diagnostic, Severity};
use mint::matcher::Matcher;

use crate::args::load_codebooks;
use crate::render::{Output, Status};

/// Check codebooks and report every problem at once.
///
/// Errors (exit status 1): invalid TOML or JSON, unknown keys, empty or
/// duplicate ids, a code whose theme or parent does not exist, a code
/// without patterns, an invalid regex, a pattern that can never match.
/// Warnings: two codes with identical patterns, a pattern in two codes, or
/// a pattern every match of which another code's pattern also matches.
/// With `--background`, also a pattern that fires too often on off-topic
/// text. Each problem is printed as FILE:LINE:COL with the line and a
/// pointer.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint codebook check study.toml
  mint codebook check codebooks/*.toml --no-warnings
  mint codebook check emergent.toml --extends default
  mint codebook check study.toml --background
  mint codebook check study.toml --background notes/ --max-background-rate 1/100")]
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

    /// Warn about patterns that fire too often on off-topic text: a .txt
    /// file, or a folder whose .txt files are read (not its subfolders).
    /// Without a value, or with `default`, the general English shipped with
    /// mint (everyday prose on shopping, weather, sport...). The text is
    /// split into sentences as `--unit sentence` splits a transcript, and a
    /// pattern fires in a sentence when it matches there and its code
    /// applies.
    #[arg(long, value_name = "FILE_OR_DIR", num_args = 0..=1,
          default_missing_value = "default", conflicts_with = "extends")]
    background: Option<PathBuf>,

    /// With --background: warn about a pattern firing in more than this
    /// share of sentences, as a fraction (0.005) or `1/N` (1/200).
    #[arg(long, value_name = "RATE", default_value = "1/200",
          value_parser = parse_rate, requires = "background")]
    max_background_rate: Rate,
}

/// A share of sentences, kept as written for messages.
#[derive(Debug, Clone)]
struct Rate {
    value: f64,
    written: String,
}

/// `0.005` or `1/200`, above 0 and at most 1.
fn parse_rate(value: &str) -> Result<Rate, String> {
    let parsed = match value.split_once('/') {
        Some((n, d)) => match (n.trim().parse::<f64>(), d.trim().parse::<f64>()) {
            (Ok(n), Ok(d)) if d > 0.0 => Some(n / d),
            _ => None,
        },
        None => value.trim().parse::<f64>().ok(),
    };
    match parsed {
        Some(v) if v > 0.0 && v <= 1.0 => Ok(Rate {
            value: v,
            written: value.trim().to_string(),
        }),
        _ => Err(format!(
            "{value:?} is not a rate: write a fraction above 0 and at most 1, as 0.005 or 1/200"
        )),
    }
}

/// The background's sentences, what to call it and how many files it has.
fn background_texts(path: &Path) -> anyhow::Result<(String, usize, Background)> {
    if path.as_os_str() == "default" {
        let files = mint::coding::background::DEFAULT.len();
        return Ok((
            "the shipped background".to_string(),
            files,
            Background::shipped(),
        ));
    }
    let files = if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")))
            .collect();
        files.sort();
        if files.is_empty() {
            anyhow::bail!("no .txt file in background folder {}", path.display());
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display())))
        .collect::<anyhow::Result<_>>()?;
    let background = Background::new(texts.iter().map(String::as_str));
    Ok((path.display().to_string(), files.len(), background))
}

/// A warning per pattern of `book` that fires in more than `max` of the
/// background's sentences.
fn background_warnings(
    book: &Codebook,
    background: &Background,
    max: &Rate,
) -> anyhow::Result<Vec<Diagnostic>> {
    let rates = background.rates(&Matcher::new(book)?);
    let mut out = Vec::new();
    for (&(code, pattern), &n) in &rates.fired {
        if rates.rate(code, pattern) <= max.value {
            continue;
        }
        let one_in = rates.sentences as f64 / n as f64;
        let message = format!(
            "code {:?} pattern {:?} fires in {n} of {} background sentences (1 in {one_in:.0}), above {}: too generic to code alone? add a word of the theme nearby (NEAR) or make it a phrase",
            book.codes[code].id, book.codes[code].patterns[pattern], rates.sentences, max.written
        );
        out.push(book.at_pattern(Diagnostic::warning(message), code, pattern));
    }
    Ok(out)
}

/// Runs `mint codebook check`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let inherited = if args.extends.is_empty() {
        Vec::new()
    } else {
        load_codebooks(&args.extends)?.ids()
    };
    let background = match (&args.background, args.no_warnings) {
        (Some(path), false) => Some(background_texts(path)?),
        _ => None,
    };
    if let Some((name, files, texts)) = &background {
        writeln!(
            out.stdout(),
            "background: {} in {} from {name}",
            plural(texts.len(), "sentence"),
            plural(*files, "file")
        )?;
    }
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
            if let Some((_, _, texts)) = &background
                && !problems.iter().any(|d| d.severity == Severity::Error)
            {
                problems.extend(background_warnings(book, texts, &args.max_background_rate)?);
            }
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

/// `N what`, with an `s` unless N is 1.
fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
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
