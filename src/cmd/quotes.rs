//! `mint quotes`: coded segments as quotes with attributions, ranked for the
//! write-up.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;

use mint::codebook::Codebook;
use mint::matcher::Matcher;
use mint::quotes::{self, Candidate, DEFAULT_ATTRIBUTION};

use super::{CorpusArgs, UnitArg, load_codebooks, read_corpus};
use crate::output::{Output, Status};

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

    /// Codebook file(s), as for `mint code`.
    #[arg(long, value_name = "FILE")]
    codebook: Vec<PathBuf>,

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

    /// Trim each quote to the sentences around the evidence:
    /// `sentences:N` keeps N sentences either side; cuts show as `…`.
    #[arg(long, value_name = "sentences:N")]
    context: Option<String>,

    /// The attribution template (default: the codebook's, else
    /// "{Level} {sector}, area {area}, interviewee {id}").
    #[arg(long, value_name = "TEMPLATE")]
    attribution: Option<String>,

    /// The coding unit a quote is taken from.
    #[arg(long, value_enum, default_value_t = UnitArg::Turn)]
    unit: UnitArg,

    /// How to print the quotes.
    #[arg(long, value_enum, default_value_t = QuoteFormat::Md)]
    format: QuoteFormat,
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

/// One quote, as written to CSV and JSON.
#[derive(Debug, Serialize)]
pub struct Quote {
    /// 1-based rank.
    pub rank: usize,
    /// The quote text.
    pub quote: String,
    /// Who said it, from the template.
    pub attribution: String,
    /// The participant id.
    pub participant: String,
    /// The transcript, relative to the input folder.
    pub file: String,
    /// The 1-based turn.
    pub turn: usize,
    /// Code-point span of the segment in the file's (extracted) text.
    pub start: usize,
    /// End of the span, exclusive.
    pub end: usize,
    /// The target codes that coded the segment, `;`-separated.
    pub codes: String,
}

/// Runs `mint quotes`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let codebook = load_codebooks(&args.codebook)?;
    let targets = target_codes(&codebook, args.theme.as_deref(), args.code.as_deref())?;
    let filters = parse_filters(&args.filters)?;
    let context = parse_context(args.context.as_deref())?;
    let template = args
        .attribution
        .clone()
        .or_else(|| codebook.report.attribution.clone())
        .unwrap_or_else(|| DEFAULT_ATTRIBUTION.to_string());
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let unit = args.unit.unit();
    let corpus = read_corpus(&args.corpus, out, |t| t.code(&matcher, unit))?;
    let quotes = collect(
        &corpus, &codebook, &targets, &filters, context, &template, args.limit,
    );
    if quotes.is_empty() {
        out.warn("no quotes: nothing coded with that theme or code for those participants");
    }
    write(out, &quotes, args.format)?;
    Ok(corpus.status(&args.corpus, out))
}

/// The codes a theme or code selects (a code with its sub-codes).
pub fn target_codes(
    codebook: &Codebook,
    theme: Option<&str>,
    code: Option<&str>,
) -> anyhow::Result<BTreeSet<usize>> {
    if let Some(theme) = theme {
        if codebook.theme_index(theme).is_none() {
            let known: Vec<&str> = codebook.themes.iter().map(|t| t.id.as_str()).collect();
            anyhow::bail!(
                "no theme {theme:?} in the codebook (themes: {})",
                known.join(", ")
            );
        }
        return Ok(codebook
            .codes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.theme == theme)
            .map(|(i, _)| i)
            .collect());
    }
    let code = code.unwrap_or_default();
    if !codebook.codes.iter().any(|c| c.id == code) {
        anyhow::bail!("no code {code:?} in the codebook (see `mint codebook show`)");
    }
    Ok(codebook
        .codes
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.id == code || codebook.ancestors(&c.id).is_some_and(|a| a.contains(&code))
        })
        .map(|(i, _)| i)
        .collect())
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

fn parse_context(raw: Option<&str>) -> anyhow::Result<Option<usize>> {
    let Some(raw) = raw else { return Ok(None) };
    raw.strip_prefix("sentences:")
        .and_then(|n| n.parse().ok())
        .map(Some)
        .with_context(|| format!("--context wants sentences:N, got {raw:?}"))
}

pub fn collect(
    corpus: &super::Corpus<mint::corpus::Coded>,
    codebook: &Codebook,
    targets: &BTreeSet<usize>,
    filters: &[(String, String)],
    context: Option<usize>,
    template: &str,
    limit: usize,
) -> Vec<Quote> {
    struct Found<'a> {
        file: &'a super::LoadedFile<mint::corpus::Coded>,
        turn: usize,
        start: usize,
        end: usize,
        evidence: (usize, usize),
        codes: BTreeSet<usize>,
        participant: &'a str,
    }
    let mut found: Vec<Found> = Vec::new();
    for file in &corpus.files {
        let mut by_segment: BTreeMap<(usize, usize, usize), Vec<&mint::corpus::Coding>> =
            BTreeMap::new();
        for coding in &file.result.codings {
            if targets.contains(&coding.hit.code) {
                by_segment
                    .entry((coding.start, coding.end, coding.turn))
                    .or_default()
                    .push(coding);
            }
        }
        for ((start, end, turn), codings) in by_segment {
            let participant = file.participants[codings[0].who].as_str();
            let attrs = &corpus.participants[participant];
            if !filters
                .iter()
                .all(|(k, v)| attrs.get(k).is_some_and(|a| a == v))
            {
                continue;
            }
            let first = codings
                .iter()
                .min_by_key(|c| c.hit.start)
                .expect("non-empty");
            found.push(Found {
                file,
                turn,
                start,
                end,
                evidence: (first.hit.start - start, first.hit.end - start),
                codes: codings.iter().map(|c| c.hit.code).collect(),
                participant,
            });
        }
    }
    let candidates: Vec<Candidate> = found
        .iter()
        .enumerate()
        .map(|(order, f)| Candidate {
            participant: f.participant.to_string(),
            codes: f.codes.len(),
            words: f.file.transcript.text[f.start..f.end]
                .split_whitespace()
                .count(),
            order,
        })
        .collect();
    let mut ranked = quotes::rank(&candidates);
    if limit > 0 {
        ranked.truncate(limit);
    }
    ranked
        .into_iter()
        .enumerate()
        .map(|(rank, i)| {
            let f = &found[i];
            let text = &f.file.transcript.text;
            let index = mint::textpos::CharIndex::new(text);
            Quote {
                rank: rank + 1,
                quote: quotes::quote_text(&text[f.start..f.end], f.evidence, context),
                attribution: quotes::attribution(template, &corpus.participants[f.participant]),
                participant: f.participant.to_string(),
                file: f.file.source.name.clone(),
                turn: f.file.transcript.turns[f.turn].index,
                start: index.char_offset(f.start),
                end: index.char_offset(f.end),
                codes: f
                    .codes
                    .iter()
                    .map(|&c| codebook.codes[c].id.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
            }
        })
        .collect()
}

fn write(out: &mut Output, quotes: &[Quote], format: QuoteFormat) -> anyhow::Result<()> {
    let w = out.stdout();
    match format {
        QuoteFormat::Md => {
            for (i, q) in quotes.iter().enumerate() {
                if i > 0 {
                    writeln!(w)?;
                }
                writeln!(w, "> {}\n>\n> — {}", q.quote, q.attribution)?;
            }
        }
        QuoteFormat::Csv => {
            let mut csv = csv::Writer::from_writer(w);
            for q in quotes {
                csv.serialize(q)?;
            }
            csv.flush()?;
        }
        QuoteFormat::Json => {
            #[derive(Serialize)]
            struct Doc<'a> {
                schema_version: u32,
                quotes: &'a [Quote],
            }
            serde_json::to_writer_pretty(
                &mut *w,
                &Doc {
                    schema_version: 1,
                    quotes,
                },
            )?;
            writeln!(w)?;
        }
    }
    Ok(())
}
