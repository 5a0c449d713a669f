//! Subcommands, one file (or folder) each, named as typed: an `Args` and a
//! `run`. A command parses its flags (shared groups come from
//! [`crate::args`]), calls the library, and renders the result through
//! [`crate::render`]. No command imports another.

pub mod agree;
pub mod code;
pub mod codebook;
pub mod codings;
pub mod cooccur;
pub mod diff;
pub mod emerge;
pub mod export;
pub mod learn;
pub mod matrix;
pub mod merge;
pub mod quotes;
pub mod redact;
pub mod report;
pub mod sample;
pub mod scan;
pub mod speakers;
pub mod text;

use clap::Subcommand;

use crate::render::{Output, Status};

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    Agree(agree::Args),
    Code(code::Args),
    Codings(codings::Args),
    Cooccur(cooccur::Args),
    Diff(diff::Args),
    Emerge(emerge::Args),
    Export(export::Args),
    Learn(learn::Args),
    Matrix(matrix::Args),
    Merge(merge::Args),
    Quotes(quotes::Args),
    Report(report::Args),
    Redact(redact::Args),
    Sample(sample::Args),
    Scan(scan::Args),
    Speakers(speakers::Args),
    Text(text::Args),
    Codebook(codebook::Args),
}

/// Runs a subcommand.
pub fn run(command: Command, out: &mut Output) -> anyhow::Result<Status> {
    match command {
        Command::Agree(args) => agree::run(args, out),
        Command::Code(args) => code::run(args, out),
        Command::Codings(args) => codings::run(args, out),
        Command::Cooccur(args) => cooccur::run(args, out),
        Command::Diff(args) => diff::run(args, out),
        Command::Emerge(args) => emerge::run(args, out),
        Command::Export(args) => export::run(args, out),
        Command::Learn(args) => learn::run(args, out),
        Command::Matrix(args) => matrix::run(args, out),
        Command::Merge(args) => merge::run(args, out),
        Command::Quotes(args) => quotes::run(args, out),
        Command::Report(args) => report::run(args, out),
        Command::Redact(args) => redact::run(args, out),
        Command::Sample(args) => sample::run(args, out),
        Command::Scan(args) => scan::run(args, out),
        Command::Speakers(args) => speakers::run(args, out),
        Command::Text(args) => text::run(args, out),
        Command::Codebook(args) => codebook::run(args, out),
    }
}
