//! Subcommands, one file each, and what they share: loading the codebook and
//! reading the corpus in parallel.

pub mod code;
pub mod codebook;
pub mod cooccur;
pub mod emerge;
pub mod exchange;
pub mod matrix;
pub mod merge;
pub mod quotes;
pub mod report;
pub mod sample;
pub mod speakers;
pub mod text;

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use rayon::prelude::*;

use mint::attributes::{self, Attributes, Sheet};
use mint::cache::Cache;
use mint::codebook::Codebook;
use mint::corpus::{ParseOptions, Transcript, Unit};
use mint::discover::{self, Filter, Found, Source};
use mint::formats::survey::SurveyColumns;
use mint::formats::{self, Outcome, ReadOptions};

use crate::output::{Output, Status};

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    Code(code::Args),
    Cooccur(cooccur::Args),
    Emerge(emerge::Args),
    Matrix(matrix::Args),
    Merge(merge::Args),
    Quotes(quotes::Args),
    Report(report::Args),
    Sample(sample::Args),
    Speakers(speakers::Args),
    Text(text::Args),
    Codebook(codebook::Args),
}

/// Runs a subcommand.
pub fn run(command: Command, out: &mut Output) -> anyhow::Result<Status> {
    match command {
        Command::Code(args) => code::run(args, out),
        Command::Cooccur(args) => cooccur::run(args, out),
        Command::Emerge(args) => emerge::run(args, out),
        Command::Matrix(args) => matrix::run(args, out),
        Command::Merge(args) => merge::run(args, out),
        Command::Quotes(args) => quotes::run(args, out),
        Command::Report(args) => report::run(args, out),
        Command::Sample(args) => sample::run(args, out),
        Command::Speakers(args) => speakers::run(args, out),
        Command::Text(args) => text::run(args, out),
        Command::Codebook(args) => codebook::run(args, out),
    }
}

/// Flags that say how to read transcripts, whichever ones.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// Another speaker label whose turns are the interviewer's (repeatable).
    /// Interviewer, I, Int, Q, Moderator and Facilitator always are.
    #[arg(long, value_name = "LABEL", value_delimiter = ',')]
    pub interviewer: Vec<String>,

    /// Only these exact labels (case-sensitive, at the start of a line,
    /// followed by a colon) start speaker turns; every other line continues
    /// the turn. For batches with a fixed labelling scheme.
    #[arg(long, value_name = "LABEL[,LABEL]", value_delimiter = ',')]
    pub speakers: Vec<String>,

    /// Read .csv files as survey exports, one response per row, with the
    /// response in this column; the other columns become attributes.
    #[arg(long, value_name = "COLUMN")]
    pub text_column: Option<String>,

    /// With --text-column: the column with the respondent id (default: the
    /// row number).
    #[arg(long, value_name = "COLUMN", requires = "text_column")]
    pub id_column: Option<String>,
}

impl ReadArgs {
    fn options(&self) -> ReadOptions {
        ReadOptions {
            parse: ParseOptions {
                speakers: (!self.speakers.is_empty()).then(|| self.speakers.clone()),
                ..ParseOptions::with_interviewers(&self.interviewer)
            },
            survey: self.text_column.as_ref().map(|text| SurveyColumns {
                text: text.clone(),
                id: self.id_column.clone(),
            }),
        }
    }
}

/// Flags that say which transcripts to read and how.
#[derive(Debug, clap::Args)]
pub struct CorpusArgs {
    /// Transcript files or folders, or - for stdin. Folders are searched
    /// recursively, in sorted order, for .txt, .md, .docx, .odt, .vtt and
    /// .srt files (and .csv with --text-column).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// CSV of participant attributes: first column a participant id, file
    /// name or speaker label; other columns attributes. Fills or overrides
    /// front matter.
    #[arg(long, value_name = "FILE.csv")]
    pub attributes: Option<PathBuf>,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Only read files whose path (relative to the folder) or name matches
    /// this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,

    /// Skip files whose path or name matches this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Exit with status 2 if there was any warning (a skipped file,
    /// unlabelled text, missing attributes): for CI.
    #[arg(long)]
    pub strict: bool,
}

/// The coding unit, as typed.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum UnitArg {
    /// A whole speaker turn.
    Turn,
    /// A run of non-blank lines within a turn.
    Paragraph,
    /// A sentence within a turn.
    Sentence,
}

impl UnitArg {
    pub fn unit(self) -> Unit {
        match self {
            UnitArg::Turn => Unit::Turn,
            UnitArg::Paragraph => Unit::Paragraph,
            UnitArg::Sentence => Unit::Sentence,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            UnitArg::Turn => "turn",
            UnitArg::Paragraph => "paragraph",
            UnitArg::Sentence => "sentence",
        }
    }
}

/// One transcript read, parsed and processed.
pub struct LoadedFile<T> {
    pub source: Source,
    pub transcript: Transcript,
    /// The participant id of each participant speaker, in the order of
    /// `Transcript::participant_speakers` (then any who did not speak).
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

impl<T> Corpus<T> {
    /// The exit status: 2 after an error, or after a warning with --strict.
    pub fn status(&self, args: &CorpusArgs, out: &Output) -> Status {
        exit_status(self.failed, args, out)
    }
}

fn exit_status(failed: bool, args: &CorpusArgs, out: &Output) -> Status {
    if failed || (args.strict && out.warnings() > 0) {
        Status::Error
    } else {
        Status::Ok
    }
}

/// A discovered entry, and for a source what reading it and `work` gave.
type Processed<T> = (Found, Option<(Outcome, Option<T>)>);

/// Reads, decodes and parses every transcript in parallel, runs `work` on
/// each, and reports problems in path order, so stderr and the results are
/// the same whatever the thread count. Keeps every file: for commands that
/// need the texts at the end (quotes, reports); `mint code` streams instead.
pub fn read_corpus<T: Send + serde::Serialize + serde::de::DeserializeOwned>(
    args: &CorpusArgs,
    out: &mut Output,
    work: impl Fn(&Transcript) -> T + Sync,
) -> anyhow::Result<Corpus<T>> {
    let mut files = Vec::new();
    let info = stream_corpus(args, out, None, work, |_, file| {
        files.push(file);
        Ok(())
    })?;
    Ok(Corpus {
        files,
        participants: info.participants,
        failed: info.failed,
    })
}

/// What reading a corpus leaves besides the files.
pub struct CorpusInfo {
    /// Attributes of every participant, by id.
    pub participants: BTreeMap<String, Attributes>,
    /// Whether any file or input had to be skipped with an error.
    pub failed: bool,
}

impl CorpusInfo {
    /// The exit status: 2 after an error, or after a warning with --strict.
    pub fn status(&self, args: &CorpusArgs, out: &Output) -> Status {
        exit_status(self.failed, args, out)
    }
}

/// How many files are read and coded in parallel before they are handed
/// on, in order: memory stays bounded by a chunk, whatever the corpus size.
const CHUNK: usize = 256;

/// Like [`read_corpus`], but hands each file to `sink` in path order as soon
/// as its chunk of files is done, and keeps none of them.
pub fn stream_corpus<T: Send + serde::Serialize + serde::de::DeserializeOwned>(
    args: &CorpusArgs,
    out: &mut Output,
    cache: Option<&Cache>,
    work: impl Fn(&Transcript) -> T + Sync,
    mut sink: impl FnMut(&mut Output, LoadedFile<T>) -> anyhow::Result<()>,
) -> anyhow::Result<CorpusInfo> {
    let sheet = args
        .attributes
        .as_deref()
        .map(|p| Sheet::load(p).context("cannot read the attributes sheet"))
        .transpose()?;
    let filter = Filter::new(&args.glob, &args.exclude, args.read.text_column.is_some())
        .context("invalid --glob or --exclude")?;
    let options = args.read.options();
    let found = discover::discover(&args.paths, &filter);
    let mut failed = false;
    let mut any = false;
    let mut participants: BTreeMap<String, Attributes> = BTreeMap::new();
    let mut used_rows = vec![false; sheet.as_ref().map_or(0, |s| s.rows.len())];
    let progress = Progress::new(out, &found);
    let compute = |chunk: Vec<Found>| -> Vec<Processed<T>> {
        chunk
            .into_par_iter()
            .map(|found| match &found {
                Found::Source(source) => {
                    let (outcome, result) = read_and_work(source, &options, cache, &work);
                    (found, Some((outcome, result)))
                }
                _ => (found, None),
            })
            .collect()
    };
    let mut handle = |results: Vec<Processed<T>>| -> anyhow::Result<()> {
        progress.advance(&results);
        for (found, read) in results {
            let source = match found {
                Found::Source(source) => source,
                Found::Skipped(path, reason) => {
                    out.warn(&format!("{}: skipped: {reason}", path.display()));
                    continue;
                }
                Found::Error(err) => {
                    out.error(&err.to_string());
                    failed = true;
                    continue;
                }
            };
            let shown = source.path.display();
            let Some((outcome, result)) = read else {
                continue;
            };
            let transcript = match outcome {
                Outcome::Read(transcript, note) => {
                    if let Some(note) = note {
                        out.note(&format!("{shown}: {note}"));
                    }
                    *transcript
                }
                Outcome::Skip(reason) => {
                    out.warn(&format!("{shown}: skipped: {reason}"));
                    continue;
                }
                Outcome::Fail(line, message) => {
                    match line {
                        0 => out.error(&format!("{shown}: {message}")),
                        _ => out.error(&format!("{shown}:{line}: {message}")),
                    }
                    failed = true;
                    continue;
                }
            };
            let result = result.expect("work ran on every transcript read");
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
            any = true;
            sink(
                out,
                LoadedFile {
                    source,
                    transcript,
                    participants: ids,
                    result,
                },
            )?;
        }
        Ok(())
    };
    let mut found = found.into_iter();
    let mut results = compute(found.by_ref().take(CHUNK).collect());
    loop {
        let chunk: Vec<Found> = found.by_ref().take(CHUNK).collect();
        // The pool reads and codes the next chunk while this thread hands
        // the last one on, in order.
        let (next, handled) = std::thread::scope(|scope| {
            let worker = (!chunk.is_empty()).then(|| scope.spawn(|| compute(chunk)));
            let handled = handle(std::mem::take(&mut results));
            (worker.map(|w| w.join()), handled)
        });
        handled?;
        match next {
            Some(Ok(next)) => results = next,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => break,
        }
    }
    progress.finish();
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
    if !any {
        if failed {
            anyhow::bail!("no transcript could be read");
        }
        let inputs: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        anyhow::bail!("no transcripts (.txt, .md) found in {}", inputs.join(", "));
    }
    Ok(CorpusInfo {
        participants,
        failed,
    })
}

/// Reads one source: its bytes (stdin for `-`), then its format's reader.
pub fn read_source(source: &Source, options: &ReadOptions) -> Outcome {
    match read_bytes(source) {
        Ok(bytes) => formats::read(&source.name, source.format, bytes, options),
        Err(err) => Outcome::Fail(0, err.to_string()),
    }
}

fn read_bytes(source: &Source) -> std::io::Result<Vec<u8>> {
    if source.path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map(|_| bytes)
    } else {
        std::fs::read(&source.path)
    }
}

/// A cached transcript: the transcript, the work done on it, and its note.
type Entry<T> = (Transcript, T, Option<String>);

/// Reads a source and runs `work` on it, or takes both from the cache when
/// the file's bytes (and everything else, through the cache's salt) are
/// the same as last time.
fn read_and_work<T: serde::Serialize + serde::de::DeserializeOwned>(
    source: &Source,
    options: &ReadOptions,
    cache: Option<&Cache>,
    work: &impl Fn(&Transcript) -> T,
) -> (Outcome, Option<T>) {
    let bytes = match read_bytes(source) {
        Ok(bytes) => bytes,
        Err(err) => return (Outcome::Fail(0, err.to_string()), None),
    };
    let key = cache
        .filter(|_| source.path.as_os_str() != "-")
        .map(|c| (c, c.key(&bytes)));
    if let Some((cache, key)) = &key
        && let Some((mut transcript, result, note)) = cache.get::<Entry<T>>(key)
    {
        transcript.path = source.name.clone();
        return (Outcome::Read(Box::new(transcript), note), Some(result));
    }
    match formats::read(&source.name, source.format, bytes, options) {
        Outcome::Read(transcript, note) => {
            let result = work(&transcript);
            let entry: Entry<T> = (*transcript, result, note);
            if let Some((cache, key)) = &key {
                // A cache that cannot be written only costs time next run.
                let _ = cache.put(key, &entry);
            }
            let (transcript, result, note) = entry;
            (Outcome::Read(Box::new(transcript), note), Some(result))
        }
        other => (other, None),
    }
}

/// A progress bar on stderr for long runs: only when stderr is a terminal,
/// `-q` is not given, and there is enough to read to be worth it.
struct Progress(Option<indicatif::ProgressBar>);

fn source_bytes(found: &Found) -> Option<u64> {
    match found {
        Found::Source(s) => std::fs::metadata(&s.path).ok().map(|m| m.len()),
        _ => None,
    }
}

impl Progress {
    fn new(out: &Output, found: &[Found]) -> Progress {
        if !out.progress_allowed() {
            return Progress(None);
        }
        let bytes: u64 = found.iter().filter_map(source_bytes).sum();
        if bytes < 20_000_000 {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new(bytes);
        let template =
            "{bar:40} {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} ETA {eta}";
        bar.set_style(indicatif::ProgressStyle::with_template(template).expect("a valid template"));
        Progress(Some(bar))
    }

    fn advance<T>(&self, done: &[Processed<T>]) {
        if let Some(bar) = &self.0 {
            bar.inc(done.iter().filter_map(|(f, _)| source_bytes(f)).sum());
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
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

/// The codebooks from repeated `--codebook` flags (each extending the ones
/// before; `default` names the embedded one), or the embedded default.
pub fn load_codebooks(paths: &[PathBuf]) -> anyhow::Result<Codebook> {
    match paths {
        [] => Ok(Codebook::default_codebook()),
        [one] if one.as_os_str() != "default" => load_codebook(Some(one)),
        _ => {
            let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
            Codebook::load_all(&refs).context("failed to load the codebooks")
        }
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
