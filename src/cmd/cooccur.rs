//! `mint cooccur`: how often themes (or codes) are coded on the same
//! segment, with the co-occurrence coefficient researchers know from
//! ATLAS.ti.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Context;
use comfy_table::Cell;
use serde::Serialize;

use mint::matcher::Matcher;
use mint::tally::Cooccurrence;

use crate::args::{CodebookArgs, CorpusArgs, FormatArgs, OutputArgs, UnitArgs};
use crate::render::xlsx::{About, Digest};
use crate::render::{self, Output, Report, Status, table};

/// Count segments coded with two themes (or codes) at once.
///
/// For each pair, n12 is the number of segments coded with both, and the
/// coefficient c = n12 / (n1 + n2 - n12) runs from 0 (never together) to 1
/// (always together). The table shows `n12 (c)`; the diagonal is each
/// theme's own segment count.
#[derive(Debug, clap::Args)]
#[command(mut_arg("codebook", |a| a.help("Codebook file(s), as for `mint code`")))]
#[command(mut_arg("unit", |a| a.help("The coding unit")))]
#[command(mut_arg("format", |a| a.help("How to print it (CSV and JSON are long: one row per pair)")))]
#[command(after_long_help = "\
Examples:
  mint cooccur examples/transcripts
  mint cooccur examples/transcripts --codes --format csv")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    #[command(flatten)]
    codebook: CodebookArgs,

    /// Codes x codes instead of themes x themes.
    #[arg(long)]
    codes: bool,

    #[command(flatten)]
    unit: UnitArgs,

    #[command(flatten)]
    format: FormatArgs,

    #[command(flatten)]
    output: OutputArgs,
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
    let file = args.output.file(&args.corpus.paths)?;
    let codebook = args.codebook.load()?;
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let unit = args.unit.unit.unit();
    let corpus = args
        .corpus
        .read(out, |t| mint::coding::code(t, &matcher, unit))?;
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
    let report = Cooccur {
        labels,
        co,
        pairs,
        level: if args.codes { "code" } else { "theme" },
    };
    let about = || About::new(Some(&codebook), Some(Digest::of(&corpus.files)));
    render::emit_to(
        out,
        file,
        args.format.format,
        &report,
        "Co-occurrence",
        about,
    )?;
    Ok(args.corpus.status(&corpus.info, out))
}

/// The co-occurrence of every pair of themes or codes.
struct Cooccur<'a> {
    labels: Vec<&'a str>,
    co: Cooccurrence,
    pairs: Vec<Pair<'a>>,
    level: &'static str,
}

/// The JSON body of `mint cooccur --format json`: the `level` (`theme` or
/// `code`) and the `pairs`, with the CSV's columns.
#[derive(Serialize)]
struct CooccurJson<'a> {
    level: &'a str,
    pairs: &'a [Pair<'a>],
}

impl Report for Cooccur<'_> {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        let (labels, co) = (&self.labels, &self.co);
        let mut t = table::new_table(out);
        let mut header = vec![Cell::new("")];
        header.extend(labels.iter().map(Cell::new));
        t.set_header(header);
        for (a, label) in labels.iter().enumerate() {
            let mut row = vec![Cell::new(label)];
            row.extend((0..labels.len()).map(|b| {
                table::number(if a == b {
                    co.totals[a].to_string()
                } else {
                    format!("{} ({:.2})", co.both[a][b], co.coefficient(a, b))
                })
            }));
            t.add_row(row);
        }
        table::write(out, &t)
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        render::csv::write_rows(w, &self.pairs)
    }

    fn json(&self) -> impl Serialize + '_ {
        CooccurJson {
            level: self.level,
            pairs: &self.pairs,
        }
    }
}
