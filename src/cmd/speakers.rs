//! `mint speakers`: the speaker labels found in each file, with their turn
//! counts, to build the attributes sheet and the interviewer list.

use comfy_table::CellAlignment;
use serde::Serialize;

use mint::corpus::Role;

use super::{CorpusArgs, read_corpus};
use crate::cli::Format;
use crate::output::{Output, Status, new_table};

/// List the speaker labels in each transcript, with turn counts.
///
/// Use it to see how a batch is labelled before coding it: which labels mint
/// takes as the interviewer (add others with --interviewer), and, for focus
/// groups where each labelled speaker is a participant, the labels to key
/// the attributes sheet by.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint speakers transcripts/
  mint speakers focus-groups/ --format csv > speakers.csv
  mint speakers transcripts/ --interviewer Researcher")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    /// How to print the list.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Serialize)]
struct SpeakerRow {
    file: String,
    speaker: String,
    role: &'static str,
    participant: String,
    turns: usize,
}

/// Runs `mint speakers`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let corpus = read_corpus(&args.corpus, out, |_| ())?;
    let mut rows = Vec::new();
    for file in &corpus.files {
        let t = &file.transcript;
        let participants = t.participant_speakers();
        let mut labels: Vec<(&str, Role)> = Vec::new();
        for turn in &t.turns {
            if !labels.iter().any(|(l, _)| *l == turn.speaker) {
                labels.push((&turn.speaker, turn.role));
            }
        }
        for (label, role) in labels {
            let participant = match role {
                Role::Interviewer => String::new(),
                Role::Participant => {
                    let i = participants.iter().position(|p| *p == label).unwrap_or(0);
                    file.participants.get(i).cloned().unwrap_or_default()
                }
            };
            rows.push(SpeakerRow {
                file: file.source.name.clone(),
                speaker: label.to_string(),
                role: match role {
                    Role::Interviewer => "interviewer",
                    Role::Participant => "participant",
                },
                participant,
                turns: t.turns.iter().filter(|u| u.speaker == label).count(),
            });
        }
    }
    match args.format {
        Format::Table => {
            let mut table = new_table(out);
            table.set_header(["file", "speaker", "role", "participant", "turns"]);
            for r in &rows {
                table.add_row(vec![
                    comfy_table::Cell::new(&r.file),
                    comfy_table::Cell::new(&r.speaker),
                    comfy_table::Cell::new(r.role),
                    comfy_table::Cell::new(&r.participant),
                    comfy_table::Cell::new(r.turns).set_alignment(CellAlignment::Right),
                ]);
            }
            writeln!(out.stdout(), "{table}")?;
        }
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(out.stdout());
            for r in &rows {
                csv.serialize(r)?;
            }
            csv.flush()?;
        }
        Format::Json => {
            #[derive(Serialize)]
            struct Doc<'a> {
                schema_version: u32,
                speakers: &'a [SpeakerRow],
            }
            serde_json::to_writer_pretty(
                out.stdout(),
                &Doc {
                    schema_version: 1,
                    speakers: &rows,
                },
            )?;
            writeln!(out.stdout())?;
        }
    }
    Ok(corpus.status(&args.corpus, out))
}
