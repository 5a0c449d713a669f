//! `mint speakers`: the speaker labels found in each file, with their turn
//! counts, to build the attributes sheet and the interviewer list.

use std::io::Write;

use comfy_table::Cell;
use serde::Serialize;

use mint::corpus::Role;

use crate::args::{CorpusArgs, FormatArgs};
use crate::render::{self, Output, Report, Status, table};

/// List the speaker labels in each transcript, with turn counts.
///
/// Use it to see how a batch is labelled before coding it: which labels mint
/// takes as the interviewer (add others with --interviewer), and, for focus
/// groups where each labelled speaker is a participant, the labels to key
/// the attributes sheet by.
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |a| a.help("How to print the list")))]
#[command(after_long_help = "\
Examples:
  mint speakers transcripts/
  mint speakers focus-groups/ --format csv > speakers.csv
  mint speakers transcripts/ --interviewer Researcher")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    #[command(flatten)]
    format: FormatArgs,
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
    let corpus = args.corpus.read(out, |_| ())?;
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
    render::emit(out, args.format.format, &Speakers(rows))?;
    Ok(args.corpus.status(&corpus.info, out))
}

/// Every speaker label of every file.
struct Speakers(Vec<SpeakerRow>);

/// The JSON body of `mint speakers --format json`: `speakers`, one object
/// per label and file, with the CSV's columns.
#[derive(Serialize)]
struct SpeakersJson<'a> {
    speakers: &'a [SpeakerRow],
}

impl Report for Speakers {
    fn write_table(&self, out: &mut Output) -> anyhow::Result<()> {
        let mut t = table::new_table(out);
        t.set_header(["file", "speaker", "role", "participant", "turns"]);
        for r in &self.0 {
            t.add_row(vec![
                Cell::new(&r.file),
                Cell::new(&r.speaker),
                Cell::new(r.role),
                Cell::new(&r.participant),
                table::number(r.turns),
            ]);
        }
        table::write(out, &t)
    }

    fn write_csv(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        render::csv::write_rows(w, &self.0)
    }

    fn json(&self) -> impl Serialize + '_ {
        SpeakersJson { speakers: &self.0 }
    }
}
