//! The render layer: how results reach a person or a pipe. One [`Output`]
//! per process ([`output`]), and for the rows a command produces one table
//! writer ([`table`]), one CSV writer ([`csv`]) and one JSON writer with the
//! envelope that carries `schema_version` ([`json`]). A command describes
//! its rows once as a [`Report`] and [`emit`] picks the writer from
//! `--format`; no command writes that `match` itself.
//!
//! Nothing here computes results: it takes what the library produced.

pub mod csv;
pub mod events;
pub mod json;
pub mod matrix;
pub mod output;
pub mod table;

use std::io::Write;

use serde::Serialize;

pub use output::{ColorChoice, Output, Status, write_atomic, write_private};

/// How data is written to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    #[default]
    Table,
    /// CSV for pipes and spreadsheets.
    Csv,
    /// JSON with a top-level schema_version.
    Json,
}

/// One command's result, as a table, CSV and JSON.
pub trait Report {
    /// The version of the JSON document (the envelope's `schema_version`).
    const SCHEMA_VERSION: u32 = 1;

    /// Writes the table for people.
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()>;

    /// Writes the same rows as CSV.
    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()>;

    /// The JSON document's body: the envelope adds `schema_version` first.
    fn json(&self) -> impl Serialize + '_;
}

/// Writes `report` to stdout in `format`.
pub fn emit<R: Report>(out: &mut Output, format: Format, report: &R) -> anyhow::Result<()> {
    match format {
        Format::Table => report.write_table(out),
        Format::Csv => report.write_csv(out.stdout()),
        Format::Json => json::write(out.stdout(), R::SCHEMA_VERSION, &report.json()),
    }
}
