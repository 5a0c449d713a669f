//! Subcommands, one file each, and what they share: loading the codebook and
//! reading the corpus in parallel.

pub mod code;
pub mod codebook;
pub mod sample;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use rayon::prelude::*;

use mint::attributes::{self, Attributes, Sheet};
use mint::codebook::Codebook;
use mint::corpus::{self, Decoded, ParseOptions, Source, Transcript};

use crate::output::{Output, Status};

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    Code(code::Args),
    Sample(sample::Args),
    Codebook(codebook::Args),
}

/// Runs a subcommand.
pub fn run(command: Command, out: &mut Output) -> anyhow::Result<Status> {
    match command {
        Command::Code(args) => code::run(args, out),
        Command::Sample(args) => sample::run(args, out),
        Command::Codebook(args) => codebook::run(args, out),
    }
}

/// Flags that say which transcripts to read and how.
#[derive(Debug, clap::Args)]
pub struct CorpusArgs {
    /// Transcript files or folders (folders are searched recursively for
    /// .txt and .md files, in sorted order).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// CSV of participant attributes: first column a participant id or file
    /// name, other columns attributes. Fills or overrides front matter.
    #[arg(long, value_name = "FILE.csv")]
    pub attributes: Option<PathBuf>,

    /// Another speaker label whose turns are the interviewer's (repeatable).
    /// Interviewer, I, Int, Q, Moderator and Facilitator always are.
    #[arg(long, value_name = "LABEL", value_delimiter = ',')]
    pub interviewer: Vec<String>,
}

/// One transcript read, parsed and processed.
pub struct LoadedFile<T> {
    pub source: Source,
    pub transcript: Transcript,
    /// The participant id of each participant speaker, in the order of
    /// `Transcript::participant_speakers` (one id for a file without any).
    pub participants: Vec<String>,
    pub result: T,
}

/// A corpus read from disk.
pub struct Corpus<T> {
    pub files: Vec<LoadedFile<T>>,
    /// Attributes of every participant, by id.
    pub participants: BTreeMap<String, Attributes>,
    /// Whether any file or input had to be skipped with an error.
    pub failed: bool,
}

/// Reads, decodes and parses every transcript in parallel, runs `work` on
/// each, and reports problems in path order, so stderr and the results are
/// the same whatever the thread count.
pub fn read_corpus<T: Send>(
    args: &CorpusArgs,
    out: &Output,
    work: impl Fn(&Transcript) -> T + Sync,
) -> anyhow::Result<Corpus<T>> {
    let sheet = args
        .attributes
        .as_deref()
        .map(|p| Sheet::load(p).context("cannot read the attributes sheet"))
        .transpose()?;
    let (sources, errors) = corpus::discover(&args.paths);
    let mut failed = !errors.is_empty();
    for err in &errors {
        out.error(&err.to_string());
    }
    let options = ParseOptions::with_interviewers(&args.interviewer);
    let results: Vec<(Source, Read<T>, Option<String>)> = sources
        .into_par_iter()
        .map(|source| {
            let (read, note) = read_one(&source, &options, &work);
            (source, read, note)
        })
        .collect();
    let mut files = Vec::new();
    let mut participants: BTreeMap<String, Attributes> = BTreeMap::new();
    let mut used_rows = vec![false; sheet.as_ref().map_or(0, |s| s.rows.len())];
    for (source, result, note) in results {
        let shown = source.path.display();
        if let Some(note) = note {
            out.note(&format!("{shown}: {note}"));
        }
        let (transcript, result) = match result {
            Read::Parsed(transcript, result) => (transcript, result),
            Read::Skipped => continue,
            Read::Failed(message) => {
                out.error(&format!("{shown}:{message}"));
                failed = true;
                continue;
            }
        };
        for w in &transcript.warnings {
            out.warn(&format!("{shown}:{}: {}", w.line, w.message));
        }
        let mut ids = Vec::new();
        for (id, attrs, used) in
            attributes::participants_of(&transcript, &source.name, sheet.as_ref())
        {
            for i in used {
                used_rows[i] = true;
            }
            match participants.get(&id) {
                Some(known) if known != &attrs => out.warn(&format!(
                    "{shown}: participant {id:?} has different attributes in another file; the first file's are used"
                )),
                Some(_) => {}
                None => {
                    participants.insert(id.clone(), attrs);
                }
            }
            ids.push(id);
        }
        files.push(LoadedFile {
            source,
            transcript,
            participants: ids,
            result,
        });
    }
    if let Some(sheet) = &sheet {
        for (row, used) in sheet.rows.iter().zip(&used_rows) {
            if !used {
                out.warn(&format!(
                    "{}:{}: attributes row {:?} matches no transcript",
                    sheet.path.display(),
                    row.line,
                    row.key
                ));
            }
        }
    }
    if files.is_empty() {
        if failed {
            anyhow::bail!("no transcript could be read");
        }
        let inputs: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        anyhow::bail!("no transcripts (.txt, .md) found in {}", inputs.join(", "));
    }
    Ok(Corpus {
        files,
        participants,
        failed,
    })
}

/// What became of one file.
enum Read<T> {
    /// Parsed, with the result of the work done on it.
    Parsed(Transcript, T),
    /// Skipped on purpose (the reason is in the note).
    Skipped,
    /// Could not be read: `LINE: message`.
    Failed(String),
}

/// Reads one file, with a note for stderr when there is something to say.
fn read_one<T>(
    source: &Source,
    options: &ParseOptions,
    work: &impl Fn(&Transcript) -> T,
) -> (Read<T>, Option<String>) {
    let bytes = match std::fs::read(&source.path) {
        Ok(bytes) => bytes,
        Err(err) => return (Read::Failed(format!(" {err}")), None),
    };
    let (text, note) = match corpus::decode(&bytes) {
        Decoded::Text(text, note) => (text, note),
        Decoded::Skip(reason) => return (Read::Skipped, Some(format!("skipped: {reason}"))),
    };
    match Transcript::parse(&source.name, text, options) {
        Ok(transcript) => {
            let result = work(&transcript);
            (Read::Parsed(transcript, result), note)
        }
        Err((line, message)) => (Read::Failed(format!("{line}: {message}")), note),
    }
}

/// The codebook from `--codebook`, or the embedded default.
pub fn load_codebook(path: Option<&Path>) -> anyhow::Result<Codebook> {
    match path {
        Some(path) => Codebook::load(path)
            .with_context(|| format!("failed to load codebook {}", path.display())),
        None => Ok(Codebook::default_codebook()),
    }
}

/// Refuses an output path inside one of the input folders, unless allowed.
pub fn check_output_path(path: &Path, inputs: &[PathBuf], allowed: bool) -> anyhow::Result<()> {
    if allowed || path == Path::new("-") {
        return Ok(());
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(parent) = parent.canonicalize() else {
        anyhow::bail!("cannot write {}: its folder does not exist", path.display());
    };
    for input in inputs.iter().filter(|p| p.is_dir()) {
        if let Ok(input_dir) = input.canonicalize()
            && parent.starts_with(&input_dir)
        {
            anyhow::bail!(
                "refusing to write {} inside the input folder {} (mint never writes into its input; \
                 pass --write-into-input if you really want this)",
                path.display(),
                input.display()
            );
        }
    }
    Ok(())
}
