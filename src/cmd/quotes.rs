//! `mint quotes`: coded segments as quotes with attributions, ranked for the
//! write-up.

use std::io::Write;

use anyhow::Context;
use serde::Serialize;

use mint::matcher::Matcher;
use mint::quotes::{self, DEFAULT_ATTRIBUTION, Quote};

use crate::args::{CodebookArgs, ContextArgs, CorpusArgs, GuardArgs, OutputArgs, UnitArgs};
use crate::render::xlsx::{About, Digest};
use crate::render::{self, Format, Output, Report, Status};

/// Pull quotes for a theme or code, with attributions, ready to paste.
///
/// Each quote is a coded participant segment. The strongest evidence comes
/// first (segments with more of the target's codes, then tighter ones), and
/// quotes are spread across participants: everyone's best quote before
/// anyone's second, so one talkative participant cannot fill the list.
/// Attributions follow the report style, `Operational social care, area 2,
/// interviewee c`, from a template over attributes (--attribution, or
/// `attribution` in the codebook's `[report]` table).
#[derive(Debug, clap::Args)]
#[command(mut_arg("codebook", |a| a.help("Codebook file(s), as for `mint code`")))]
#[command(mut_arg("unit", |a| a.help("The coding unit a quote is taken from")))]
#[command(after_long_help = "\
Examples:
  mint quotes examples/transcripts --theme hr_it
  mint quotes examples/transcripts --code shared_records --where sector=\"social care\" --limit 3
  mint quotes examples/transcripts --theme vision --context sentences:1 --format csv
  mint quotes examples/transcripts --theme vision --attribution \"{Role}, {Sector} ({id})\"

Templates: {attr} is an attribute's value, {Attr} the same capitalised, {id}
the interviewee attribute or else the participant id. A comma-separated part
whose attribute is missing is left out (strategic leads have no area).")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    #[command(flatten)]
    codebook: CodebookArgs,

    /// Quotes coded with any code of this theme.
    #[arg(
        long,
        value_name = "THEME",
        required_unless_present = "code",
        conflicts_with = "code"
    )]
    theme: Option<String>,

    /// Quotes coded with this code (or one of its sub-codes).
    #[arg(long, value_name = "CODE")]
    code: Option<String>,

    /// Only participants with this attribute value (repeatable; all must hold).
    #[arg(long = "where", value_name = "ATTR=VALUE")]
    filters: Vec<String>,

    /// At most this many quotes (0 for all).
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: usize,

    #[command(flatten)]
    context: ContextArgs,

    /// The attribution template (default: the codebook's, else
    /// "{Level} {sector}, area {area}, interviewee {id}").
    #[arg(long, value_name = "TEMPLATE")]
    attribution: Option<String>,

    #[command(flatten)]
    unit: UnitArgs,

    #[command(flatten)]
    guard: GuardArgs,

    /// How to print the quotes.
    #[arg(long, value_enum, default_value_t = QuoteFormat::Md)]
    format: QuoteFormat,

    #[command(flatten)]
    output: OutputArgs,
}

/// How quotes are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuoteFormat {
    /// Markdown block quotes with attribution lines.
    Md,
    /// CSV, one quote per row.
    Csv,
    /// JSON with a top-level schema_version.
    Json,
}

/// Runs `mint quotes`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let file = args.output.file(&args.corpus.paths)?;
    let codebook = args.codebook.load()?;
    let targets = quotes::target_codes(&codebook, args.theme.as_deref(), args.code.as_deref())?;
    let filters = parse_filters(&args.filters)?;
    let context = args.context.sentences()?;
    let template = args
        .attribution
        .clone()
        .or_else(|| codebook.report.attribution.clone())
        .unwrap_or_else(|| DEFAULT_ATTRIBUTION.to_string());
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let unit = args.unit.unit.unit();
    let corpus = args
        .corpus
        .read(out, |t| mint::coding::code(t, &matcher, unit))?;
    quotes::check_filters(&filters, &corpus.info.participants).context("--where")?;
    let mut guard = args.guard.guard()?;
    let mut quotes = quotes::collect(
        &corpus, &codebook, &targets, &filters, context, &template, args.limit,
    );
    for q in &mut quotes {
        q.quote = guard.segment(out, &format!("{} turn {}", q.file, q.turn), &q.quote);
    }
    if quotes.is_empty() {
        out.warn("no quotes: nothing coded with that theme or code for those participants");
    }
    let about = || About::new(Some(&codebook), Some(Digest::of(&corpus.files)));
    let report = QuoteList(quotes);
    render::emit_to(out, file, args.format.into(), &report, "Quotes", about)?;
    Ok(args.corpus.status(&corpus.info, out))
}

/// `attr=value` filters, attribute names in lower case.
pub fn parse_filters(raw: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    raw.iter()
        .map(|f| match f.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((
                k.trim().to_lowercase(),
                v.trim().trim_matches('"').to_string(),
            )),
            _ => anyhow::bail!("--where wants ATTR=VALUE, got {f:?}"),
        })
        .collect()
}

impl From<QuoteFormat> for Format {
    /// Markdown is this command's view for people, where others print a
    /// table.
    fn from(format: QuoteFormat) -> Format {
        match format {
            QuoteFormat::Md => Format::Table,
            QuoteFormat::Csv => Format::Csv,
            QuoteFormat::Json => Format::Json,
        }
    }
}

/// The quotes, as printed.
struct QuoteList(Vec<Quote>);

/// The JSON body of `mint quotes --format json`: `quotes`, with the CSV's
/// columns.
#[derive(Serialize)]
struct QuotesJson<'a> {
    quotes: &'a [Quote],
}

impl Report for QuoteList {
    /// Markdown block quotes with attribution lines.
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        let w = out.stdout();
        for (i, q) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(w)?;
            }
            writeln!(
                w,
                "> {}\n>\n> — {} ({}:{}, segment {})",
                q.quote, q.attribution, q.file, q.line, q.segment_id
            )?;
        }
        Ok(())
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        render::csv::write_rows(w, &self.0)
    }

    fn json(&self) -> impl Serialize + '_ {
        QuotesJson { quotes: &self.0 }
    }
}
