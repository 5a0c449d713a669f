//! `mint sample`: the study-sample table (participants by level, area and
//! sector, with totals), the way a report's "study sample" table looks.

use std::io::Write;

use anyhow::Context;

use serde::Serialize;

use mint::groups::Sample;

use crate::args::{CorpusArgs, FormatArgs, OutputArgs};
use crate::render::xlsx::{About, Digest};
use crate::render::{self, Output, Report, Status, table};

/// Print the study sample: participants by level, area and sector.
///
/// Each participant counts once, however many transcripts they have. Rows
/// are combinations of the --rows attributes (level, then area); columns are
/// the values of --cols (sector), with totals. A participant without an
/// attribute shows as (missing), except that a missing row attribute after
/// the first is left blank (strategic leads have no area).
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |a| a.help("How to print the table")))]
#[command(after_long_help = "\
Examples:
  mint sample examples/transcripts
  mint sample examples/transcripts --format csv
  mint sample transcripts/ --rows role --cols sector")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    /// Attributes that make the rows [default: level,area].
    #[arg(long, value_name = "ATTR[,ATTR]", value_delimiter = ',')]
    rows: Option<Vec<String>>,

    /// The attribute that makes the columns [default: sector].
    #[arg(long, value_name = "ATTR")]
    cols: Option<String>,

    #[command(flatten)]
    format: FormatArgs,

    #[command(flatten)]
    output: OutputArgs,
}

/// Runs `mint sample`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let file = args.output.file(&args.corpus.paths)?;
    let corpus = args.corpus.read(out, |_| ())?;
    let participants = &corpus.info.participants;
    // An attribute asked for that no participant has is a typo; the
    // defaults may be absent from a study.
    let given = |flag: &str, attributes: &[String]| -> anyhow::Result<()> {
        for attribute in attributes {
            mint::groups::check_attribute(attribute, participants).context(flag.to_string())?;
        }
        Ok(())
    };
    let lower = |a: &String| a.trim().to_lowercase();
    let rows_by: Vec<String> = match &args.rows {
        Some(rows) => {
            let rows: Vec<String> = rows.iter().map(lower).collect();
            given("--rows", &rows)?;
            rows
        }
        None => vec!["level".into(), "area".into()],
    };
    let cols_by = match &args.cols {
        Some(cols) => {
            let cols = lower(cols);
            given("--cols", std::slice::from_ref(&cols))?;
            cols
        }
        None => "sector".into(),
    };
    let sample = mint::groups::sample(participants, &rows_by, &cols_by);
    let about = || About::new(None, Some(Digest::of(&corpus.files)));
    let report = SampleReport(sample);
    render::emit_to(out, file, args.format.format, &report, "Sample", about)?;
    Ok(args.corpus.status(&corpus.info, out))
}

/// The study sample, as `mint sample` prints it. Its JSON body is
/// [`Sample`]'s fields.
struct SampleReport(Sample);

impl Report for SampleReport {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        let mut t = table::new_table(out);
        t.set_header(header(&self.0));
        for record in records(&self.0) {
            let (labels, counts) = record.split_at(self.0.rows_by.len());
            let mut cells: Vec<comfy_table::Cell> =
                labels.iter().map(comfy_table::Cell::new).collect();
            cells.extend(counts.iter().map(table::number));
            t.add_row(cells);
        }
        table::write(out, &t)
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        let header = header(&self.0);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        render::csv::write_records(w, &header, records(&self.0))
    }

    fn json(&self) -> impl Serialize + '_ {
        &self.0
    }
}

/// The row attributes, the column values, and `total`.
fn header(sample: &Sample) -> Vec<String> {
    let mut header: Vec<String> = sample.rows_by.clone();
    header.extend(sample.columns.iter().cloned());
    header.push("total".into());
    header
}

/// Each row and the totals row: its values (blank past the first when
/// missing), its counts and its total.
fn records(sample: &Sample) -> impl Iterator<Item = Vec<String>> + '_ {
    let width = sample.rows_by.len();
    sample.rows.iter().chain([&sample.total]).map(move |row| {
        let mut record = row.values.clone();
        record.resize(width, String::new());
        record.extend(row.counts.iter().chain([&row.total]).map(u64::to_string));
        record
    })
}
