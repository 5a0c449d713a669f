//! `mint cooccur`: how often themes (or codes) are coded on the same
//! segment, with the co-occurrence coefficient researchers know from
//! ATLAS.ti.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use comfy_table::{Cell, CellAlignment};
use serde::Serialize;

use mint::matcher::Matcher;
use mint::tally::Cooccurrence;

use super::{CorpusArgs, UnitArg, load_codebooks, read_corpus};
use crate::cli::Format;
use crate::output::{Output, Status, new_table};

/// Count segments coded with two themes (or codes) at once.
///
/// For each pair, n12 is the number of segments coded with both, and the
/// coefficient c = n12 / (n1 + n2 - n12) runs from 0 (never together) to 1
/// (always together). The table shows `n12 (c)`; the diagonal is each
/// theme's own segment count.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint cooccur examples/transcripts
  mint cooccur examples/transcripts --codes --format csv")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    /// Codebook file(s), as for `mint code`.
    #[arg(long, value_name = "FILE")]
    codebook: Vec<PathBuf>,

    /// Codes x codes instead of themes x themes.
    #[arg(long)]
    codes: bool,

    /// The coding unit.
    #[arg(long, value_enum, default_value_t = UnitArg::Turn)]
    unit: UnitArg,

    /// How to print it (CSV and JSON are long: one row per pair).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Serialize)]
struct Pair<'a> {
    a: &'a str,
    b: &'a str,
    n_a: u64,
    n_b: u64,
    n_ab: u64,
    c: f64,
}

/// Runs `mint cooccur`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let codebook = load_codebooks(&args.codebook)?;
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let unit = args.unit.unit();
    let corpus = read_corpus(&args.corpus, out, |t| t.code(&matcher, unit))?;
    let labels: Vec<&str> = if args.codes {
        codebook.codes.iter().map(|c| c.id.as_str()).collect()
    } else {
        codebook.themes.iter().map(|t| t.id.as_str()).collect()
    };
    let segments = corpus.files.iter().flat_map(|file| {
        let mut by_segment: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for coding in &file.result.codings {
            let code = coding.hit.code;
            let entry = by_segment.entry((coding.start, coding.end)).or_default();
            if args.codes {
                entry.push(code);
                entry.extend(matcher.ancestors_of(code));
            } else {
                entry.push(matcher.theme_of(code));
            }
        }
        by_segment.into_values()
    });
    let co = Cooccurrence::new(segments, labels.len());
    let pairs: Vec<Pair> = (0..labels.len())
        .flat_map(|a| (a..labels.len()).map(move |b| (a, b)))
        .map(|(a, b)| Pair {
            a: labels[a],
            b: labels[b],
            n_a: co.totals[a],
            n_b: co.totals[b],
            n_ab: co.both[a][b],
            c: (co.coefficient(a, b) * 1000.0).round() / 1000.0,
        })
        .collect();
    match args.format {
        Format::Table => {
            let mut table = new_table(out);
            let mut header = vec![Cell::new("")];
            header.extend(labels.iter().map(Cell::new));
            table.set_header(header);
            for (a, label) in labels.iter().enumerate() {
                let mut row = vec![Cell::new(label)];
                row.extend((0..labels.len()).map(|b| {
                    let text = if a == b {
                        co.totals[a].to_string()
                    } else {
                        format!("{} ({:.2})", co.both[a][b], co.coefficient(a, b))
                    };
                    Cell::new(text).set_alignment(CellAlignment::Right)
                }));
                table.add_row(row);
            }
            writeln!(out.stdout(), "{table}")?;
        }
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(out.stdout());
            for p in &pairs {
                csv.serialize(p)?;
            }
            csv.flush()?;
        }
        Format::Json => {
            #[derive(Serialize)]
            struct Doc<'a> {
                schema_version: u32,
                level: &'a str,
                pairs: &'a [Pair<'a>],
            }
            let level = if args.codes { "code" } else { "theme" };
            serde_json::to_writer_pretty(
                out.stdout(),
                &Doc {
                    schema_version: 1,
                    level,
                    pairs: &pairs,
                },
            )?;
            writeln!(out.stdout())?;
        }
    }
    Ok(corpus.status(&args.corpus, out))
}
