//! `mint text`: print the plain text mint reads from a transcript, the text
//! every offset in `--codings` points into.

use std::path::PathBuf;

use mint::discover::Source;
use mint::formats::{Format, Outcome};
use mint::pipeline::read_source;

use crate::args::ReadArgs;
use crate::render::{Output, Status};

/// Print the text mint extracts from a transcript (Word, VTT, ...).
///
/// The `start` and `end` offsets of `mint code --codings` count Unicode code
/// points into exactly this text, so anyone can check a coding: for plain
/// text files it is the file itself (decoded, BOM removed); for Word,
/// OpenDocument, captions and surveys it is the extracted text.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint text interview-07.docx
  mint text meeting.vtt > meeting.txt
  mint text survey.csv --text-column comment --id-column respondent")]
pub struct Args {
    /// The transcript file (- for stdin, read as plain text).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    #[command(flatten)]
    read: ReadArgs,
}

/// Runs `mint text`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let options = args.read.options();
    let source = Source {
        format: Format::of(&args.file, true).unwrap_or(Format::Plain),
        name: args.file.display().to_string(),
        path: args.file.clone(),
    };
    match read_source(&source, &options) {
        Outcome::Read(transcript, note) => {
            if let Some(note) = note {
                out.note(&format!("{}: {note}", source.name));
            }
            out.stdout().write_all(transcript.text.as_bytes())?;
            Ok(Status::Ok)
        }
        Outcome::Skip(reason) => anyhow::bail!("{}: {reason}", source.name),
        Outcome::Fail(err) if err.line == 0 => anyhow::bail!("{}: {err}", source.name),
        Outcome::Fail(err) => anyhow::bail!("{}:{}: {err}", source.name, err.line),
    }
}
