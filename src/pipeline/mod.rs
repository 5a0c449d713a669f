//! The pipeline every corpus command runs: discover -> read -> cache ->
//! decode -> parse -> work (usually [`crate::coding`]) -> attribute, in
//! parallel, handed on in path order.
//!
//! Files are read and worked on by rayon's pool a chunk at a time, while the
//! calling thread hands the previous chunk on, file by file, in path order:
//! what a [`Handler`] sees is the same whatever the thread count. What
//! happened to each file (skipped, failed, a note, a warning) comes as a
//! typed [`Event`], in the same order, and the run ends with an
//! [`Event::Skips`] summary of every file passed over, by reason, so that
//! nothing is skipped silently; the pipeline never prints. Attributes
//! of each file's participants are resolved here, from front matter and the
//! attributes sheet.
//!
//! A plain-text file of [`Streaming::from_bytes`] or more is not read
//! whole when the pipeline is given [`Pipeline::stream`]: it is handed on
//! in windows ([`crate::corpus::stream`]), one [`LoadedFile`] each, so that
//! memory is bounded by the window, not the file. Only commands that
//! count as files go by (`mint code`) ask for it.
//!
//! A REFI-QDA project (`.qdpx`) among the inputs is read once, before the
//! files, and each of its text sources is handed on as a transcript named
//! by its name in the project, with its case's variables over its front
//! matter (the case's name as participant); such transcripts are not
//! cached, being in memory already.
//!
//! It does not know the command line (the binary turns flags into a
//! [`Pipeline`]) nor what the work is: a command passes a closure.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read as _;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::attributes::{self, Attributes, Sheet};
use crate::cache::Cache;
use crate::corpus::Transcript;
use crate::corpus::stream::{self, Window};
use crate::discover::{self, Filter, Found, Skip, SkipKind, Source};
use crate::error::CorpusError;
use crate::formats::{self, Format, Outcome, ReadOptions};

/// How many files are read and coded in parallel before they are handed
/// on, in order: memory stays bounded by a chunk, whatever the corpus size.
const CHUNK: usize = 256;

mod project;
use project::{project_members, read_member};

/// What happened to one input that is not a transcript handed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A file passed over on purpose (not a transcript, empty, a loop).
    Skipped {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A file or folder that could not be read: the run goes on, and fails
    /// at the end.
    Failed {
        /// The file or folder.
        path: PathBuf,
        /// The 1-based line, when the problem has one.
        line: Option<usize>,
        /// What went wrong.
        error: String,
    },
    /// Something the user may want to know (an encoding fallback).
    Note {
        /// The file.
        path: PathBuf,
        /// What to say.
        message: String,
    },
    /// Something that may be wrong but did not stop the file (unlabelled
    /// text, conflicting attributes, an unused attributes row).
    Warning {
        /// The file.
        path: PathBuf,
        /// The 1-based line, when the problem has one.
        line: Option<usize>,
        /// What may be wrong.
        message: String,
    },
    /// The last event of a run that passed any file over: how many, by
    /// reason. A note: the skips that count as warnings were each an
    /// [`Event::Skipped`] already.
    Skips(SkipSummary),
}

/// The files a run passed over, counted by reason, with the first few
/// names of each, in the order [`SkipKind`] lists reasons and files came.
///
/// Shown as `skipped 4 files: 1 not a transcript by name (README.md),
/// 1 empty (b.txt), 2 in other formats (a.pdf, c.xlsx)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkipSummary {
    /// Per reason: how many files, and the first [`SkipSummary::NAMES`]
    /// names.
    pub by_kind: BTreeMap<SkipKind, (usize, Vec<String>)>,
}

impl SkipSummary {
    /// How many names are shown per reason.
    pub const NAMES: usize = 3;

    /// Counts one file.
    pub fn add(&mut self, kind: SkipKind, name: &str) {
        let (n, names) = self.by_kind.entry(kind).or_default();
        *n += 1;
        if names.len() < Self::NAMES {
            names.push(name.to_string());
        }
    }

    /// How many files in all.
    pub fn total(&self) -> usize {
        self.by_kind.values().map(|(n, _)| n).sum()
    }
}

impl fmt::Display for SkipSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.total();
        write!(
            f,
            "skipped {total} {}: ",
            if total == 1 { "file" } else { "files" }
        )?;
        for (i, (kind, (n, names))) in self.by_kind.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{} ({}", kind.label(*n), names.join(", "))?;
            if *n > names.len() {
                write!(f, " and {} more", n - names.len())?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// How serious an [`Event`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Information.
    Note,
    /// Possibly wrong; counted for `--strict`.
    Warning,
    /// An input was lost; the run fails at the end.
    Error,
}

impl Event {
    /// How serious it is.
    pub fn level(&self) -> Level {
        match self {
            Event::Note { .. } | Event::Skips(_) => Level::Note,
            Event::Skipped { .. } | Event::Warning { .. } => Level::Warning,
            Event::Failed { .. } => Level::Error,
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |f: &mut fmt::Formatter<'_>, path: &PathBuf, line: &Option<usize>| match line {
            Some(line) => write!(f, "{}:{line}: ", path.display()),
            None => write!(f, "{}: ", path.display()),
        };
        match self {
            Event::Skipped { path, reason } => write!(f, "{}: skipped: {reason}", path.display()),
            Event::Failed { path, line, error } => {
                at(f, path, line)?;
                f.write_str(error)
            }
            Event::Note { path, message } => write!(f, "{}: {message}", path.display()),
            Event::Warning {
                path,
                line,
                message,
            } => {
                at(f, path, line)?;
                f.write_str(message)
            }
            Event::Skips(summary) => summary.fmt(f),
        }
    }
}

/// One transcript read, parsed and worked on.
#[derive(Debug)]
pub struct LoadedFile<T> {
    /// Where it came from.
    pub source: Source,
    /// The parsed transcript.
    pub transcript: Transcript,
    /// The participant id of each participant speaker, in the order of
    /// [`Transcript::participant_speakers`] (then any who did not speak).
    pub participants: Vec<String>,
    /// What the work gave.
    pub result: T,
    /// For a file handed on in windows, where this one lies in it: offsets
    /// in `transcript` are the window's (add [`Window::char_base`] for the
    /// file's). `None` for a file read whole.
    pub window: Option<Window>,
}

/// When and how a large plain-text file is handed on in windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Streaming {
    /// Files of this many bytes or more are streamed.
    pub from_bytes: u64,
    /// Each window is this to twice this many bytes.
    pub window: usize,
}

impl Default for Streaming {
    /// Files of 64 MiB or more, in windows of 8 to 16 MiB.
    fn default() -> Self {
        Streaming {
            from_bytes: 64 << 20,
            window: 8 << 20,
        }
    }
}

/// What a run leaves besides the files.
#[derive(Debug, Default)]
pub struct CorpusInfo {
    /// Attributes of every participant, by id.
    pub participants: BTreeMap<String, Attributes>,
    /// Whether any file or input had to be skipped with an error.
    pub failed: bool,
}

/// A whole corpus kept in memory: for commands that need the texts at the
/// end (quotes, reports).
#[derive(Debug)]
pub struct Corpus<T> {
    /// The files, in path order.
    pub files: Vec<LoadedFile<T>>,
    /// Attributes of every participant, by id, and whether anything failed.
    pub info: CorpusInfo,
}

/// What a run hands on, in path order.
pub trait Handler<T> {
    /// The error a file's handling can fail with; it stops the run.
    type Error: From<CorpusError>;

    /// Something happened to an input.
    fn event(&mut self, event: Event);

    /// A transcript was read and worked on.
    fn file(&mut self, file: LoadedFile<T>) -> Result<(), Self::Error>;

    /// Whether [`Handler::progress`] is wanted: it costs a `stat` of every
    /// file.
    fn wants_progress(&self) -> bool {
        false
    }

    /// `done` of `total` bytes are read: once before the first file, then
    /// after each chunk.
    fn progress(&mut self, _done: u64, _total: u64) {}
}

/// A run over a corpus: what to read and how.
#[derive(Debug)]
pub struct Pipeline<'a> {
    /// Files or folders, or `-` for stdin.
    pub paths: &'a [PathBuf],
    /// Which files to take from folders.
    pub filter: &'a Filter,
    /// How to read each format.
    pub options: &'a ReadOptions,
    /// The attributes sheet, if any.
    pub sheet: Option<&'a Sheet>,
    /// Where to keep and find each file's transcript and result.
    pub cache: Option<&'a Cache>,
    /// Whether large plain-text files are handed on in windows (and never
    /// cached), for a handler that takes files a window at a time.
    pub stream: Option<Streaming>,
}

/// A discovered entry, and for a source what reading it and `work` gave.
type Processed<T> = (Found, Option<Done<T>>);

/// What became of a source in the pool.
enum Done<T> {
    /// Read whole: what reading it and `work` gave.
    Read(Outcome, Option<T>),
    /// Left for the calling thread to hand on in windows.
    Stream,
}

impl Pipeline<'_> {
    /// Reads every file and keeps them all.
    pub fn collect<T: Send + Serialize + DeserializeOwned>(
        &self,
        work: impl Fn(&Transcript) -> T + Sync,
        events: impl FnMut(Event),
    ) -> Result<Corpus<T>, CorpusError> {
        struct Keep<T, E> {
            files: Vec<LoadedFile<T>>,
            events: E,
        }
        impl<T, E: FnMut(Event)> Handler<T> for Keep<T, E> {
            type Error = CorpusError;
            fn event(&mut self, event: Event) {
                (self.events)(event);
            }
            fn file(&mut self, file: LoadedFile<T>) -> Result<(), CorpusError> {
                self.files.push(file);
                Ok(())
            }
        }
        let mut keep = Keep {
            files: Vec::new(),
            events,
        };
        let info = self.run(work, &mut keep)?;
        Ok(Corpus {
            files: keep.files,
            info,
        })
    }

    /// Reads, decodes and parses every transcript in parallel, runs `work`
    /// on each, and hands each file and event to `handler` in path order as
    /// soon as its chunk is done, keeping none of them.
    pub fn run<T: Send + Serialize + DeserializeOwned, H: Handler<T>>(
        &self,
        work: impl Fn(&Transcript) -> T + Sync,
        handler: &mut H,
    ) -> Result<CorpusInfo, H::Error> {
        let (found, members, warnings) =
            project_members(discover::discover(self.paths, self.filter));
        for warning in warnings {
            handler.event(warning);
        }
        let total = if handler.wants_progress() {
            found.iter().filter_map(source_bytes).sum()
        } else {
            0
        };
        handler.progress(0, total);
        let mut state = State {
            pipeline: self,
            info: CorpusInfo::default(),
            skipped: SkipSummary::default(),
            any: false,
            used_rows: vec![false; self.sheet.map_or(0, |s| s.rows.len())],
            done: 0,
            total,
        };
        let compute = |chunk: Vec<Found>| -> Vec<Processed<T>> {
            chunk
                .into_par_iter()
                .map(|found| match &found {
                    Found::Source(source) if self.streams(source) => (found, Some(Done::Stream)),
                    Found::Source(source) if source.format == Format::Qdpx => {
                        let (outcome, result) = read_member(source, &members, self.options, &work);
                        (found, Some(Done::Read(outcome, result)))
                    }
                    Found::Source(source) => {
                        let (outcome, result) = read_and_work(source, self, &work);
                        (found, Some(Done::Read(outcome, result)))
                    }
                    _ => (found, None),
                })
                .collect()
        };
        let mut found = found.into_iter();
        let mut results = compute(found.by_ref().take(CHUNK).collect());
        loop {
            let chunk: Vec<Found> = found.by_ref().take(CHUNK).collect();
            // The pool reads and codes the next chunk while this thread
            // hands the last one on, in order.
            let (next, handled) = std::thread::scope(|scope| {
                let worker = (!chunk.is_empty()).then(|| scope.spawn(|| compute(chunk)));
                let handled = state.hand_on(std::mem::take(&mut results), &work, handler);
                (worker.map(|w| w.join()), handled)
            });
            handled?;
            match next {
                Some(Ok(next)) => results = next,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => break,
            }
        }
        state.finish(handler)
    }

    /// Whether `source` is handed on in windows.
    fn streams(&self, source: &Source) -> bool {
        self.stream.is_some_and(|s| {
            source.format == Format::Plain
                && source.path.as_os_str() != "-"
                && std::fs::metadata(&source.path).is_ok_and(|m| m.len() >= s.from_bytes)
        })
    }
}

/// What a run has gathered so far.
struct State<'p, 'a> {
    pipeline: &'p Pipeline<'a>,
    info: CorpusInfo,
    /// The files passed over so far.
    skipped: SkipSummary,
    /// Whether any transcript was handed on.
    any: bool,
    /// Which rows of the attributes sheet matched a transcript.
    used_rows: Vec<bool>,
    done: u64,
    total: u64,
}

impl State<'_, '_> {
    /// Hands one chunk's files and events on, in order.
    fn hand_on<T: Serialize + DeserializeOwned, H: Handler<T>>(
        &mut self,
        results: Vec<Processed<T>>,
        work: &impl Fn(&Transcript) -> T,
        handler: &mut H,
    ) -> Result<(), H::Error> {
        if self.total > 0 {
            self.done += results
                .iter()
                .filter_map(|(f, _)| source_bytes(f))
                .sum::<u64>();
            handler.progress(self.done, self.total);
        }
        for (found, read) in results {
            let source = match found {
                Found::Source(source) => source,
                Found::Skipped(skip) => {
                    self.skip(skip, handler);
                    continue;
                }
                Found::Error(err) => {
                    handler.event(failed(err));
                    self.info.failed = true;
                    continue;
                }
            };
            let (outcome, result) = match read {
                Some(Done::Read(outcome, result)) => (outcome, result),
                Some(Done::Stream) => match self.stream(&source, work, handler)? {
                    // Not UTF-8: read whole after all.
                    Some(outcome) => (outcome, None),
                    None => continue,
                },
                None => continue,
            };
            let (outcome, result) = match (outcome, result) {
                (Outcome::Read(transcript, note), None) => {
                    let result = work(&transcript);
                    (Outcome::Read(transcript, note), Some(result))
                }
                other => other,
            };
            let path = || source.path.clone();
            let transcript = match outcome {
                Outcome::Read(transcript, note) => {
                    if let Some(message) = note {
                        handler.event(Event::Note {
                            path: path(),
                            message,
                        });
                    }
                    *transcript
                }
                Outcome::Skip(reason) => {
                    let skip = Skip {
                        path: path(),
                        name: source.name.clone(),
                        kind: SkipKind::of_reason(&reason),
                        reason,
                    };
                    self.skip(skip, handler);
                    continue;
                }
                Outcome::Fail(err) => {
                    handler.event(Event::Failed {
                        path: path(),
                        line: (err.line > 0).then_some(err.line),
                        error: err.message,
                    });
                    self.info.failed = true;
                    continue;
                }
            };
            let result = result.expect("work ran on every transcript read");
            self.hand_on_file(source, transcript, result, None, handler)?;
        }
        Ok(())
    }

    /// Hands on one transcript (or window of one) with its warnings.
    fn hand_on_file<T, H: Handler<T>>(
        &mut self,
        source: Source,
        transcript: Transcript,
        result: T,
        window: Option<Window>,
        handler: &mut H,
    ) -> Result<(), H::Error> {
        for w in &transcript.warnings {
            handler.event(Event::Warning {
                path: source.path.clone(),
                line: Some(w.line),
                message: w.message.clone(),
            });
        }
        let participants = self.attribute(&source, &transcript, handler);
        self.any = true;
        handler.file(LoadedFile {
            source,
            transcript,
            participants,
            result,
            window,
        })
    }

    /// Hands a large plain-text file on in windows, running `work` on each.
    /// `Some` with what reading it whole gave, when it is not UTF-8 text.
    fn stream<T, H: Handler<T>>(
        &mut self,
        source: &Source,
        work: &impl Fn(&Transcript) -> T,
        handler: &mut H,
    ) -> Result<Option<Outcome>, H::Error> {
        let options = &self.pipeline.options.parse;
        let size = self.pipeline.stream.unwrap_or_default().window;
        let failed = |state: &mut Self, handler: &mut H, err: crate::error::FormatError| {
            handler.event(Event::Failed {
                path: source.path.clone(),
                line: (err.line > 0).then_some(err.line),
                error: err.message,
            });
            state.info.failed = true;
        };
        let plan = match stream::plan(&source.path, options, size) {
            Ok(Some(plan)) => plan,
            Ok(None) => return Ok(Some(read_source(source, self.pipeline.options))),
            Err(err) => {
                failed(self, handler, err);
                return Ok(None);
            }
        };
        let windows = match plan.windows(&source.path, &source.name, options) {
            Ok(windows) => windows,
            Err(err) => {
                failed(self, handler, err);
                return Ok(None);
            }
        };
        for part in windows {
            match part {
                Ok((transcript, window)) => {
                    let result = work(&transcript);
                    self.hand_on_file(source.clone(), transcript, result, Some(window), handler)?;
                }
                Err(err) => failed(self, handler, err),
            }
        }
        Ok(None)
    }

    /// Counts a file passed over, and shows it when it is a warning.
    fn skip<T, H: Handler<T>>(&mut self, skip: Skip, handler: &mut H) {
        self.skipped.add(skip.kind.clone(), &skip.name);
        if skip.kind.warns() {
            handler.event(Event::Skipped {
                path: skip.path,
                reason: skip.reason,
            });
        }
    }

    /// The participant ids of a transcript, recording their attributes.
    fn attribute<T, H: Handler<T>>(
        &mut self,
        source: &Source,
        transcript: &Transcript,
        handler: &mut H,
    ) -> Vec<String> {
        let mut ids = Vec::new();
        for (id, attrs, used) in
            attributes::participants_of(transcript, &source.name, self.pipeline.sheet)
        {
            for i in used {
                self.used_rows[i] = true;
            }
            match self.info.participants.get(&id) {
                Some(known) if known != &attrs => handler.event(Event::Warning {
                    path: source.path.clone(),
                    line: None,
                    message: format!(
                        "participant {id:?} has different attributes in another file; the first file's are used"
                    ),
                }),
                Some(_) => {}
                None => {
                    self.info.participants.insert(id.clone(), attrs);
                }
            }
            ids.push(id);
        }
        ids
    }

    /// Reports unused sheet rows and the files passed over, and fails when
    /// nothing was read.
    fn finish<T, H: Handler<T>>(self, handler: &mut H) -> Result<CorpusInfo, H::Error> {
        handler.progress(self.total, self.total);
        if let Some(sheet) = self.pipeline.sheet {
            for (row, used) in sheet.rows.iter().zip(&self.used_rows) {
                if !used {
                    handler.event(Event::Warning {
                        path: sheet.path.clone(),
                        line: Some(row.line),
                        message: format!("attributes row {:?} matches no transcript", row.key),
                    });
                }
            }
        }
        if self.skipped.total() > 0 {
            handler.event(Event::Skips(self.skipped));
        }
        if !self.any {
            return Err(if self.info.failed {
                CorpusError::NothingRead
            } else {
                CorpusError::NoTranscripts {
                    inputs: self.pipeline.paths.to_vec(),
                }
            }
            .into());
        }
        Ok(self.info)
    }
}

/// The event for an input that could not be walked.
fn failed(err: CorpusError) -> Event {
    match err {
        CorpusError::Io { path, source } => Event::Failed {
            path,
            line: None,
            error: source.to_string(),
        },
        other => Event::Failed {
            path: PathBuf::new(),
            line: None,
            error: other.to_string(),
        },
    }
}

fn source_bytes(found: &Found) -> Option<u64> {
    match found {
        Found::Source(s) => std::fs::metadata(&s.path).ok().map(|m| m.len()),
        _ => None,
    }
}

/// Reads one source: its bytes (stdin for `-`), then its format's reader.
pub fn read_source(source: &Source, options: &ReadOptions) -> Outcome {
    match read_bytes(source) {
        Ok(bytes) => formats::read(&source.name, source.format, bytes, options),
        Err(err) => Outcome::Fail(io_failure(&err)),
    }
}

fn io_failure(err: &std::io::Error) -> crate::error::FormatError {
    crate::error::FormatError {
        line: 0,
        message: err.to_string(),
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
fn read_and_work<T: Serialize + DeserializeOwned>(
    source: &Source,
    pipeline: &Pipeline<'_>,
    work: &impl Fn(&Transcript) -> T,
) -> (Outcome, Option<T>) {
    let bytes = match read_bytes(source) {
        Ok(bytes) => bytes,
        Err(err) => return (Outcome::Fail(io_failure(&err)), None),
    };
    let key = pipeline
        .cache
        .filter(|_| source.path.as_os_str() != "-")
        .map(|c| (c, c.key(&bytes)));
    if let Some((cache, key)) = &key
        && let Some((mut transcript, result, note)) = cache.get::<Entry<T>>(key)
    {
        transcript.path = source.name.clone();
        return (Outcome::Read(Box::new(transcript), note), Some(result));
    }
    match formats::read(&source.name, source.format, bytes, pipeline.options) {
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

#[cfg(test)]
mod tests;
