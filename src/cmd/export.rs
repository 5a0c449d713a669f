//! `mint export`: the coded study as one REFI-QDA project (`.qdpx`), for
//! review in NVivo, ATLAS.ti, MAXQDA or QualCoder. The project itself is
//! written by [`mint::exchange::QdpxWriter`].

use std::io::Cursor;
use std::path::PathBuf;

use anyhow::Context;

use mint::attributes::PARTICIPANT;
use mint::coding::Coded;
use mint::disclosure::redact::OffsetMap;
use mint::exchange::{CodedBy, QdpxWriter, StudyCase, StudyCoding, StudySource};
use mint::learn::apply::{Learner, Scorer, code_with_model};
use mint::matcher::Matcher;
use mint::pipeline::LoadedFile;

use crate::args::{CodebookArgs, CorpusArgs, GuardArgs, ModelArgs, UnitArgs, check_output_path};
use crate::render::{Output, Status};

/// Write the coded study as a REFI-QDA project for NVivo, QualCoder, ...
///
/// Codes the transcripts as `mint code` does, with the same flags, and
/// writes one `.qdpx`: every transcript as a text source (interviewer turns
/// included, never coded), the codebook (themes as folders, codes nested
/// in them), one case per participant with its attributes as variables,
/// and every coding as a selection of the coded segment by the user
/// `mint <version>`, with the pattern that fired and the text it matched as
/// its comment. With --model, the model's codings go in too, each by the
/// user `mint <version> model <id> blake3:<hash>`, with the model and its
/// probability as its comment, and the codebook has the model's codes.
/// The same input gives the same bytes. Nothing is written when a
/// transcript cannot be read.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint export examples/transcripts --to qdpx -o study.qdpx
  mint export examples/transcripts --attributes examples/participants.csv --to qdpx -o study.qdpx
  mint export transcripts/ --codebook study.toml --model model.json --to qdpx -o study.qdpx
  mint export transcripts/ --codebook study.toml --unit paragraph --to qdpx -o study.qdpx")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    #[command(flatten)]
    codebook: CodebookArgs,

    #[command(flatten)]
    unit: UnitArgs,

    #[command(flatten)]
    model: ModelArgs,

    /// The format to write.
    #[arg(long, value_enum, value_name = "FORMAT")]
    to: To,

    /// Write the project to this file (`-` for stdout).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,

    /// The project's name, as the QDA program shows it [default: the
    /// output file's name without its extension].
    #[arg(long, value_name = "NAME")]
    name: Option<String>,

    /// Allow -o to write inside an input folder.
    #[arg(long)]
    write_into_input: bool,

    /// Every transcript is checked for identifiers before it goes in.
    #[command(flatten)]
    guard: GuardArgs,
}

/// The formats `mint export` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum To {
    /// A REFI-QDA project (`.qdpx`).
    Qdpx,
}

/// Runs `mint export`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    check_output_path(&args.output, &args.corpus.paths, args.write_into_input)?;
    let To::Qdpx = args.to;
    let codebook = args.codebook.load()?;
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let unit = args.unit.unit.unit();
    let (learner, codebook) = args.model.load(codebook, args.unit.unit, out)?;
    let scorer = learner.as_ref().map(|l| Scorer::new(&l.model));
    let learning = scorer
        .as_ref()
        .zip(learner.as_ref())
        .filter(|_| args.model.learning());
    let options = mint::coding::Options {
        codings: true,
        ..Default::default()
    };
    let mut writer = QdpxWriter::new(Cursor::new(Vec::new()));
    let mut sources = 0;
    let model = learning.map(|(scorer, learner)| (scorer, &learner.targets));
    let keep = args.model.keep_codebook();
    let work =
        |t: &mint::corpus::Transcript| code_with_model(t, &matcher, unit, &options, model, keep);
    let mut guard = args.guard.guard()?;
    let info = args.corpus.stream(out, None, None, work, |out, file| {
        let redacted = guard.transcript(out, &file.transcript);
        writer.add_source(&study_source(file, &codebook, learner.as_ref(), redacted))?;
        sources += 1;
        Ok(())
    })?;
    let cases: Vec<StudyCase> = info
        .participants
        .iter()
        .map(|(id, attributes)| StudyCase {
            id: id.clone(),
            attributes: attributes
                .iter()
                .filter(|(k, _)| *k != PARTICIPANT)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
        .collect();
    let name = match &args.name {
        Some(name) => name.clone(),
        None => args
            .output
            .file_stem()
            .map_or("mint study".into(), |s| s.to_string_lossy().into_owned()),
    };
    let (bytes, report) = writer
        .finish(&name, &codebook, &cases)
        .context("cannot make the project")?;
    for dropped in &report.dropped {
        out.note(&format!("not exported: {dropped}"));
    }
    for warning in &report.warnings {
        out.warn(warning);
    }
    let status = args.corpus.status(&info, out);
    if status == Status::Error {
        anyhow::bail!(
            "{} not written: a transcript could not be read, or --strict found a warning",
            args.output.display()
        );
    }
    out.write_file(&args.output, |w| Ok(w.write_all(bytes.get_ref())?))?;
    out.note(&format!(
        "wrote {}: {sources} sources, {} cases; {}",
        args.output.display(),
        cases.len(),
        guard.summary()
    ));
    Ok(status)
}

/// One coded file as the project writer takes it, its learned codings
/// (by `learner`) after the rules'; with `redacted`, its redacted text, the
/// codings' offsets moved onto it.
fn study_source(
    file: LoadedFile<Coded>,
    codebook: &mint::codebook::Codebook,
    learner: Option<&Learner>,
    redacted: Option<(String, OffsetMap)>,
) -> StudySource {
    let map = redacted.as_ref().map(|(_, m)| m);
    let at = |offset: usize| map.map_or(offset, |m| m.to_redacted(offset));
    let mut codings: Vec<StudyCoding> = file
        .result
        .codings
        .iter()
        .map(|c| {
            let code = &codebook.codes[c.hit.code];
            StudyCoding {
                start: at(c.start),
                end: at(c.end),
                code: code.id.clone(),
                by: CodedBy::Rule {
                    pattern: code.patterns[c.hit.pattern].clone(),
                    match_start: at(c.hit.start),
                    match_end: at(c.hit.end),
                },
            }
        })
        .collect();
    if let Some(learner) = learner {
        codings.extend(file.result.learned.iter().map(|c| StudyCoding {
            start: at(c.start),
            end: at(c.end),
            code: codebook.codes[learner.targets.code[c.code]].id.clone(),
            by: CodedBy::Model {
                model: learner.model.id.clone(),
                provenance: learner.provenance.clone(),
                probability: c.probability,
            },
        }));
    }
    StudySource {
        name: file.source.name,
        text: redacted.map_or(file.transcript.text, |(text, _)| text),
        participants: file.participants,
        codings,
    }
}
