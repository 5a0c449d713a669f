//! `mint sample`: the study-sample table (participants by level, area and
//! sector, with totals), the way a report's "study sample" table looks.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use comfy_table::CellAlignment;
use serde::Serialize;

use mint::tally::MISSING;

use super::{CorpusArgs, read_corpus};
use crate::cli::Format;
use crate::output::{Output, Status, new_table};

/// Print the study sample: participants by level, area and sector.
///
/// Each participant counts once, however many transcripts they have. Rows
/// are combinations of the --rows attributes (level, then area); columns are
/// the values of --cols (sector), with totals. A participant without an
/// attribute shows as (missing), except that a missing row attribute after
/// the first is left blank (strategic leads have no area).
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint sample examples/transcripts
  mint sample examples/transcripts --format csv
  mint sample transcripts/ --rows role --cols sector")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    /// Attributes that make the rows.
    #[arg(
        long,
        value_name = "ATTR[,ATTR]",
        value_delimiter = ',',
        default_value = "level,area"
    )]
    rows: Vec<String>,

    /// The attribute that makes the columns.
    #[arg(long, value_name = "ATTR", default_value = "sector")]
    cols: String,

    /// How to print the table.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// The sample table: one row per combination of row values.
#[derive(Debug, Serialize)]
pub struct Sample {
    schema_version: u32,
    /// The row attributes.
    pub rows_by: Vec<String>,
    columns_by: String,
    /// The column attribute's values.
    pub columns: Vec<String>,
    /// One row per combination of row values.
    pub rows: Vec<SampleRow>,
    /// The totals row.
    pub total: SampleRow,
}

/// A row of the sample table.
#[derive(Debug, Serialize)]
pub struct SampleRow {
    /// The row attributes' values.
    pub values: Vec<String>,
    /// Participants per column value.
    pub counts: Vec<u64>,
    /// Participants in the row.
    pub total: u64,
}

/// Runs `mint sample`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let corpus = read_corpus(&args.corpus, out, |_| ())?;
    let rows_by: Vec<String> = args.rows.iter().map(|a| a.trim().to_lowercase()).collect();
    let sample = build(&corpus.participants, &rows_by, args.cols.trim());
    match args.format {
        Format::Table => write_table(out, &sample)?,
        Format::Csv => write_csv(out.stdout(), &sample)?,
        Format::Json => {
            serde_json::to_writer_pretty(out.stdout(), &sample)?;
            writeln!(out.stdout())?;
        }
    }
    Ok(corpus.status(&args.corpus, out))
}

/// The sample table: participants counted by the `rows_by` attributes
/// (rows) and the `cols_by` attribute (columns), with totals.
pub fn build(
    participants: &BTreeMap<String, mint::attributes::Attributes>,
    rows_by: &[String],
    cols_by: &str,
) -> Sample {
    let cols_by = cols_by.to_lowercase();
    let mut counts: BTreeMap<Vec<String>, BTreeMap<String, u64>> = BTreeMap::new();
    let mut columns = BTreeSet::new();
    for attrs in participants.values() {
        let key: Vec<String> = rows_by
            .iter()
            .enumerate()
            .map(|(i, a)| match attrs.get(a) {
                Some(v) => v.clone(),
                None if i == 0 => MISSING.to_string(),
                None => String::new(),
            })
            .collect();
        let col = attrs
            .get(&cols_by)
            .cloned()
            .unwrap_or_else(|| MISSING.to_string());
        columns.insert(col.clone());
        *counts.entry(key).or_default().entry(col).or_default() += 1;
    }
    let columns: Vec<String> = columns.into_iter().collect();
    let row = |values: Vec<String>, by_col: &BTreeMap<String, u64>| {
        let counts: Vec<u64> = columns
            .iter()
            .map(|c| by_col.get(c).copied().unwrap_or(0))
            .collect();
        let total = counts.iter().sum();
        SampleRow {
            values,
            counts,
            total,
        }
    };
    let mut all = BTreeMap::new();
    for by_col in counts.values() {
        for (c, n) in by_col {
            *all.entry(c.clone()).or_default() += n;
        }
    }

    Sample {
        schema_version: 1,
        rows: counts.iter().map(|(k, v)| row(k.clone(), v)).collect(),
        total: row(vec!["total".to_string()], &all),
        rows_by: rows_by.to_vec(),
        columns_by: cols_by,
        columns,
    }
}

fn write_table(out: &mut Output, sample: &Sample) -> anyhow::Result<()> {
    let mut table = new_table(out);
    let mut header: Vec<String> = sample.rows_by.clone();
    header.extend(sample.columns.iter().cloned());
    header.push("total".into());
    table.set_header(header);
    let width = sample.rows_by.len();
    for row in sample.rows.iter().chain([&sample.total]) {
        let mut cells: Vec<comfy_table::Cell> =
            row.values.iter().map(comfy_table::Cell::new).collect();
        cells.resize_with(width, || comfy_table::Cell::new(""));
        cells.extend(
            row.counts
                .iter()
                .chain([&row.total])
                .map(|n| comfy_table::Cell::new(n).set_alignment(CellAlignment::Right)),
        );
        table.add_row(cells);
    }
    writeln!(out.stdout(), "{table}")?;
    Ok(())
}

fn write_csv(w: &mut dyn Write, sample: &Sample) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    let mut header: Vec<String> = sample.rows_by.clone();
    header.extend(sample.columns.iter().cloned());
    header.push("total".into());
    csv.write_record(&header)?;
    let width = sample.rows_by.len();
    for row in sample.rows.iter().chain([&sample.total]) {
        let mut record = row.values.clone();
        record.resize(width, String::new());
        record.extend(row.counts.iter().chain([&row.total]).map(u64::to_string));
        csv.write_record(&record)?;
    }
    csv.flush()?;
    Ok(())
}
