//! `mint speakers`: the speaker labels found in each file, with their turn
//! counts and why each was taken as a speaker, to build the attributes sheet
//! and the interviewer list; with `--all`, also the labels not taken.

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
///
/// A line starts a turn only when its label is taken; `why` says why:
/// interviewer (an interviewer label), known role (Participant, Respondent,
/// P7, R12, A in a file that uses Q), recurs (it starts two or more lines),
/// only label (the file's one label, on its first line), same form (used
/// once, in bold or with a time stamp like the file's other speakers), given
/// (by --speakers or the file's format), unlabelled (text without a label,
/// the participant's: a file that labels no one or only the interviewer).
/// With --all, labels not taken are listed too, with role `none`: once, not
/// a role (used on one line only), or not a speaker word (Question, Answer,
/// Note, And, So, a stage direction such as [laughs]). Their lines are text
/// of the turn around them.
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |a| a.help("How to print the list")))]
#[command(after_long_help = "\
Examples:
  mint speakers transcripts/
  mint speakers focus-groups/ --format csv > speakers.csv
  mint speakers transcripts/ --interviewer Researcher
  mint speakers transcripts/ --all")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    #[command(flatten)]
    format: FormatArgs,

    /// Also list the labels found at line starts that were not taken as
    /// speakers, and why
    #[arg(long)]
    all: bool,
}

#[derive(Debug, Serialize)]
struct SpeakerRow {
    file: String,
    speaker: String,
    role: &'static str,
    participant: String,
    turns: usize,
    /// First line where the label (or the unlabelled text) is.
    line: usize,
    why: &'static str,
}

/// Runs `mint speakers`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let corpus = args.corpus.read(out, |_| ())?;
    let mut rows = Vec::new();
    let mut not_taken = 0;
    for file in &corpus.files {
        let t = &file.transcript;
        let participants = t.participant_speakers();
        let mut labels: Vec<(&str, Role, usize)> = Vec::new();
        for turn in &t.turns {
            if !labels.iter().any(|(l, _, _)| *l == turn.speaker) {
                labels.push((&turn.speaker, turn.role, turn.line));
            }
        }
        for (label, role, line) in labels {
            let participant = match role {
                Role::Interviewer => String::new(),
                Role::Participant => {
                    let i = participants.iter().position(|p| *p == label).unwrap_or(0);
                    file.participants.get(i).cloned().unwrap_or_default()
                }
            };
            rows.push(SpeakerRow {
                file: file.source.name.clone(),
                line,
                speaker: label.to_string(),
                role: match role {
                    Role::Interviewer => "interviewer",
                    Role::Participant => "participant",
                },
                participant,
                turns: turns_of(t, label),
                why: t.label_why(label).as_str(),
            });
        }
        let rejected = t.labels.iter().filter(|l| !l.why.taken());
        not_taken += rejected.clone().count();
        if args.all {
            rows.extend(rejected.map(|l| SpeakerRow {
                file: file.source.name.clone(),
                line: l.line,
                speaker: l.name.clone(),
                role: "none",
                participant: String::new(),
                turns: 0,
                why: l.why.as_str(),
            }));
        }
    }
    render::emit(out, args.format.format, &Speakers(rows))?;
    out.flush()?;
    if not_taken > 0 && !args.all {
        out.note(&format!(
            "{not_taken} label{} at line starts not taken as speakers; --all lists them",
            if not_taken == 1 { "" } else { "s" }
        ));
    }
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
        t.set_header([
            "file",
            "speaker",
            "role",
            "participant",
            "turns",
            "line",
            "why",
        ]);
        for r in &self.0 {
            t.add_row(vec![
                Cell::new(&r.file),
                Cell::new(&r.speaker),
                Cell::new(r.role),
                Cell::new(&r.participant),
                table::number(r.turns),
                table::number(r.line),
                Cell::new(r.why),
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

/// How many turns a speaker took: the pieces of a turn cut for
/// `--max-turn-bytes` share its number and count once.
fn turns_of(t: &mint::corpus::Transcript, label: &str) -> usize {
    let numbers: std::collections::BTreeSet<usize> = t
        .turns
        .iter()
        .filter(|u| u.speaker == label)
        .map(|u| u.index)
        .collect();
    numbers.len()
}
