//! `mint matrix --framework`: the framework matrix, participants by themes,
//! each cell the count and the top quote (NVivo's framework matrix).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use anyhow::Context;
use serde::Serialize;

use mint::attributes::{Attributes, PARTICIPANT};
use mint::matcher::Matcher;
use mint::quotes::{self, Candidate};

use crate::args::{CodebookArgs, ContextArgs, CorpusArgs, OutputArgs, UnitArgs};
use crate::render::xlsx::{About, Digest};
use crate::render::{self, Format, Output, Report, Status};

/// Print the framework matrix: participants (rows) by themes (columns).
///
/// Each row is a participant with their attributes; each cell holds the
/// number of the participant's segments coded with the theme and the
/// strongest of them as a quote, as in NVivo's framework matrix. Read
/// across a row for a case, down a column for a theme.
#[derive(Debug, clap::Args)]
#[command(mut_arg("codebook", |a| a.help("Codebook file(s), as for `mint code`")))]
#[command(mut_arg("context", |a| a.help("Trim each quote to the sentences around the evidence (`sentences:N`)")))]
#[command(mut_arg("unit", |a| a.help("The coding unit")))]
#[command(after_long_help = "\
Examples:
  mint matrix examples/transcripts --framework
  mint matrix examples/transcripts --framework --format csv > framework.csv
  mint matrix examples/transcripts --framework --context sentences:0 --format json")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    #[command(flatten)]
    codebook: CodebookArgs,

    /// The framework matrix (participants x themes), the one kind so far.
    #[arg(long, required = true)]
    framework: bool,

    #[command(flatten)]
    context: ContextArgs,

    #[command(flatten)]
    unit: UnitArgs,

    /// How to print it.
    #[arg(long, value_enum, default_value_t = MatrixFormat::Md)]
    format: MatrixFormat,

    #[command(flatten)]
    output: OutputArgs,
}

/// How the framework matrix is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatrixFormat {
    /// A Markdown table.
    Md,
    /// CSV: participant, attributes, then `<theme>: references` and
    /// `<theme>: quote` for each theme.
    Csv,
    /// JSON with a top-level schema_version.
    Json,
}

#[derive(Debug, Serialize)]
struct Row {
    participant: String,
    attributes: Attributes,
    cells: Vec<FrameworkCell>,
}

#[derive(Debug, Serialize)]
struct FrameworkCell {
    theme: String,
    references: u64,
    quote: Option<String>,
}

/// One coded segment of one participant for one theme.
struct Seg {
    quote_source: (usize, usize, usize),
    evidence: (usize, usize),
    codes: BTreeSet<usize>,
    /// The theme is the segment's primary theme.
    primary: bool,
    words: usize,
}

/// Runs `mint matrix`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let file = args.output.file(&args.corpus.paths)?;
    let codebook = args.codebook.load()?;
    let context = args.context.sentences()?;
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let unit = args.unit.unit.unit();
    let corpus = args
        .corpus
        .read(out, |t| mint::coding::code(t, &matcher, unit))?;

    // (participant, theme) -> segments, in file and text order.
    let mut cells: BTreeMap<(&str, usize), Vec<Seg>> = BTreeMap::new();
    for (fi, file) in corpus.files.iter().enumerate() {
        let mut by_segment: BTreeMap<(usize, usize, usize), Vec<&mint::coding::Coding>> =
            BTreeMap::new();
        for coding in &file.result.codings {
            by_segment
                .entry((coding.start, coding.end, matcher.theme_of(coding.hit.code)))
                .or_default()
                .push(coding);
        }
        for ((start, end, theme), codings) in by_segment {
            let who = file.participants[codings[0].who].as_str();
            let first = codings
                .iter()
                .min_by_key(|c| c.hit.start)
                .expect("non-empty");
            cells.entry((who, theme)).or_default().push(Seg {
                quote_source: (fi, start, end),
                evidence: (first.hit.start - start, first.hit.end - start),
                codes: codings.iter().map(|c| c.hit.code).collect(),
                primary: codings.iter().any(|c| c.primary),
                words: file.transcript.text[start..end].split_whitespace().count(),
            });
        }
    }
    let rows: Vec<Row> = corpus
        .info
        .participants
        .iter()
        .map(|(id, attrs)| Row {
            participant: id.clone(),
            attributes: attrs
                .iter()
                .filter(|(k, _)| *k != PARTICIPANT)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            cells: codebook
                .themes
                .iter()
                .enumerate()
                .map(|(ti, theme)| {
                    let segs = cells
                        .get(&(id.as_str(), ti))
                        .map(Vec::as_slice)
                        .unwrap_or(&[]);
                    let candidates: Vec<Candidate> = segs
                        .iter()
                        .enumerate()
                        .map(|(order, s)| Candidate {
                            participant: id.clone(),
                            primary: s.primary,
                            codes: s.codes.len(),
                            words: s.words,
                            order,
                        })
                        .collect();
                    let quote = quotes::rank(&candidates).first().map(|&i| {
                        let s = &segs[i];
                        let (fi, start, end) = s.quote_source;
                        quotes::quote_text(
                            &corpus.files[fi].transcript.text[start..end],
                            s.evidence,
                            context,
                        )
                    });
                    FrameworkCell {
                        theme: theme.id.clone(),
                        references: segs.len() as u64,
                        quote,
                    }
                })
                .collect(),
        })
        .collect();
    let attribute_names: Vec<String> = rows
        .iter()
        .flat_map(|r| r.attributes.keys().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let themes: Vec<&str> = codebook.themes.iter().map(|t| t.id.as_str()).collect();
    let theme_columns: Vec<String> = themes
        .iter()
        .flat_map(|t| [format!("{t}: references"), format!("{t}: quote")])
        .collect();
    let fixed: Vec<&str> = [PARTICIPANT]
        .into_iter()
        .chain(theme_columns.iter().map(String::as_str))
        .collect();
    let (attribute_headers, renamed) =
        render::csv::attribute_columns(&fixed, attribute_names.iter().map(String::as_str));
    if args.format == MatrixFormat::Csv {
        for (attribute, header) in renamed {
            out.warn(&format!(
                "the attribute {attribute:?} has the name of a column mint writes: it is the column {header:?} of the framework CSV"
            ));
        }
    }
    let report = Framework {
        themes,
        attribute_names,
        attribute_headers,
        rows,
    };
    let about = || About::new(Some(&codebook), Some(Digest::of(&corpus.files)));
    render::emit_to(out, file, args.format.into(), &report, "Framework", about)?;
    Ok(args.corpus.status(&corpus.info, out))
}

impl From<MatrixFormat> for Format {
    /// Markdown is this command's view for people, where others print a
    /// table.
    fn from(format: MatrixFormat) -> Format {
        match format {
            MatrixFormat::Md => Format::Table,
            MatrixFormat::Csv => Format::Csv,
            MatrixFormat::Json => Format::Json,
        }
    }
}

/// The framework matrix, as printed.
struct Framework<'a> {
    themes: Vec<&'a str>,
    attribute_names: Vec<String>,
    /// The attributes' CSV headers: their names, but for one that clashes
    /// with a column mint writes.
    attribute_headers: Vec<String>,
    rows: Vec<Row>,
}

/// The JSON body of `mint matrix --format json`: the theme ids, and each
/// participant with their attributes and one cell per theme.
#[derive(Serialize)]
struct FrameworkJson<'a> {
    themes: &'a [&'a str],
    participants: &'a [Row],
}

impl Report for Framework<'_> {
    /// A Markdown table.
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        let w = out.stdout();
        let escape = |s: &str| s.replace('|', "\\|");
        let mut header = vec!["participant".to_string()];
        header.extend(self.attribute_names.iter().cloned());
        header.extend(self.themes.iter().map(|t| t.to_string()));
        writeln!(w, "| {} |", header.join(" | "))?;
        writeln!(w, "|{}", "---|".repeat(header.len()))?;
        for r in &self.rows {
            let mut cols = vec![escape(&r.participant)];
            cols.extend(
                self.attribute_names
                    .iter()
                    .map(|a| escape(r.attributes.get(a).map_or("", String::as_str))),
            );
            cols.extend(r.cells.iter().map(|c| match &c.quote {
                Some(q) => format!("{} — “{}”", c.references, escape(q)),
                None => "0".to_string(),
            }));
            writeln!(w, "| {} |", cols.join(" | "))?;
        }
        Ok(())
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = render::csv::Writer::new(w);
        let mut header = vec!["participant".to_string()];
        header.extend(self.attribute_headers.iter().cloned());
        for t in &self.themes {
            header.push(format!("{t}: references"));
            header.push(format!("{t}: quote"));
        }
        csv.write_record(&header)?;
        for r in &self.rows {
            let mut record = vec![r.participant.clone()];
            record.extend(
                self.attribute_names
                    .iter()
                    .map(|a| r.attributes.get(a).cloned().unwrap_or_default()),
            );
            for c in &r.cells {
                record.push(c.references.to_string());
                record.push(c.quote.clone().unwrap_or_default());
            }
            csv.write_record(&record)?;
        }
        csv.flush()?;
        Ok(())
    }

    fn json(&self) -> impl Serialize + '_ {
        FrameworkJson {
            themes: &self.themes,
            participants: &self.rows,
        }
    }
}
