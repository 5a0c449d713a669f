//! The flags several commands share, declared once and flattened into each
//! command's `Args` (ripgrep's one definition per flag), and their lowering
//! into what the library takes: reading options, a [`Pipeline`], a codebook,
//! a coding unit, a breakdown.
//!
//! Running the pipeline from here renders its events on the [`Output`]; the
//! commands only say what to do with each file. `model.rs` holds the
//! `--model` flags, `disclosure.rs` the flags of disclosure control and the
//! [`Guard`] of guarded exports.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;
use serde::de::DeserializeOwned;

use mint::agree::{CodingSet, SetCode, SetCoding, Source, TurnCoding};
use mint::attributes::Sheet;
use mint::cache::Cache;
use mint::codebook::Codebook;
use mint::corpus::{ParseOptions, Transcript, Unit};
use mint::discover::Filter;
use mint::formats::ReadOptions;
use mint::formats::survey::SurveyColumns;
use mint::pipeline::{Corpus, CorpusInfo, LoadedFile, Pipeline, Streaming};

use crate::render::events::Reporter;
use crate::render::{FileFormat, Format, Output, Status};

mod disclosure;
mod model;

pub use disclosure::{DisclosureArgs, Guard, GuardArgs};
pub use model::{ModelArgs, OriginArg};

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

    /// The sheet to read in spreadsheets (.xlsx, .ods): survey responses
    /// and the --attributes sheet (default: the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// Code a speaker turn longer than this many bytes in pieces no longer,
    /// cut at paragraph or sentence boundaries, with a warning, so that one
    /// huge turn cannot make coding hold a whole file.
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_turn_bytes: u64,
}

impl ReadArgs {
    /// The reading options these flags give.
    pub fn options(&self) -> ReadOptions {
        ReadOptions {
            parse: ParseOptions {
                speakers: (!self.speakers.is_empty()).then(|| self.speakers.clone()),
                max_turn_bytes: usize::try_from(self.max_turn_bytes).unwrap_or(usize::MAX),
                ..ParseOptions::with_interviewers(&self.interviewer)
            },
            survey: self.text_column.as_ref().map(|text| SurveyColumns {
                text: text.clone(),
                id: self.id_column.clone(),
                sheet: self.sheet.clone(),
            }),
        }
    }
}

/// Flags that say which transcripts to read and how.
#[derive(Debug, clap::Args)]
pub struct CorpusArgs {
    /// Transcript files or folders, or - for stdin. Folders are searched
    /// recursively, in sorted order, for .txt, .md, .docx, .odt, .vtt and
    /// .srt files (and .csv with --text-column); README, LICENSE, codebooks
    /// and .toml files in them are skipped with a warning. A file named here
    /// is read whatever its name; a REFI-QDA project (.qdpx) named here is
    /// read as its text sources, with its case variables as attributes.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub options: CorpusOptions,
}

/// How to read transcripts, apart from which: for commands whose
/// positional arguments say what to read in their own way (`mint agree`).
#[derive(Debug, clap::Args)]
pub struct CorpusOptions {
    /// CSV (or .xlsx/.ods spreadsheet) of participant attributes: first
    /// column a participant id, file name or speaker label; other columns
    /// attributes. Fills or overrides front matter.
    #[arg(long, value_name = "FILE.csv")]
    pub attributes: Option<PathBuf>,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Only read files whose path (relative to the folder) or name matches
    /// this glob (repeatable). A glob ending in a literal ('*.rst') also
    /// reads files of other extensions, as plain text; one without a
    /// wildcard in the file name (README.md) also reads a file skipped by
    /// name.
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,

    /// Skip files whose path or name matches this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Follow symlinks inside folders (loops are detected). Without it, a
    /// symlink in a folder is not read, and one pointing out of the folder
    /// is a warning.
    #[arg(short = 'L', long)]
    pub follow: bool,

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
    /// The unit in the library's terms.
    pub fn unit(self) -> Unit {
        match self {
            UnitArg::Turn => Unit::Turn,
            UnitArg::Paragraph => Unit::Paragraph,
            UnitArg::Sentence => Unit::Sentence,
        }
    }

    /// The unit as typed.
    pub fn name(self) -> &'static str {
        match self {
            UnitArg::Turn => "turn",
            UnitArg::Paragraph => "paragraph",
            UnitArg::Sentence => "sentence",
        }
    }
}

impl CorpusArgs {
    /// Reads every transcript, runs `work` on each, and keeps them all (for
    /// commands that need the texts at the end: quotes, reports).
    pub fn read<T: Send + Serialize + DeserializeOwned>(
        &self,
        out: &mut Output,
        work: impl Fn(&Transcript) -> T + Sync,
    ) -> anyhow::Result<Corpus<T>> {
        self.options.read(&self.paths, out, work)
    }

    /// Reads every transcript, runs `work` on each, and hands each file to
    /// `sink` in path order, keeping none: for `mint code` over any size of
    /// corpus. With `windows`, a large plain-text file comes as several
    /// files, one per window ([`LoadedFile::window`]). Problems go to stderr
    /// as they come, in path order.
    pub fn stream<T: Send + Serialize + DeserializeOwned>(
        &self,
        out: &mut Output,
        cache: Option<&Cache>,
        windows: Option<Streaming>,
        work: impl Fn(&Transcript) -> T + Sync,
        sink: impl FnMut(&mut Output, LoadedFile<T>) -> anyhow::Result<()>,
    ) -> anyhow::Result<CorpusInfo> {
        self.options
            .stream(&self.paths, out, cache, windows, work, sink)
    }

    /// The exit status: 2 after an error, or after a warning with --strict.
    pub fn status(&self, info: &CorpusInfo, out: &Output) -> Status {
        self.options.status(info, out)
    }
}

impl CorpusOptions {
    /// [`CorpusArgs::read`] of `paths`.
    pub fn read<T: Send + Serialize + DeserializeOwned>(
        &self,
        paths: &[PathBuf],
        out: &mut Output,
        work: impl Fn(&Transcript) -> T + Sync,
    ) -> anyhow::Result<Corpus<T>> {
        let mut files = Vec::new();
        let info = self.stream(paths, out, None, None, work, |_, file| {
            files.push(file);
            Ok(())
        })?;
        Ok(Corpus { files, info })
    }

    /// [`CorpusArgs::stream`] of `paths`.
    pub fn stream<T: Send + Serialize + DeserializeOwned>(
        &self,
        paths: &[PathBuf],
        out: &mut Output,
        cache: Option<&Cache>,
        windows: Option<Streaming>,
        work: impl Fn(&Transcript) -> T + Sync,
        sink: impl FnMut(&mut Output, LoadedFile<T>) -> anyhow::Result<()>,
    ) -> anyhow::Result<CorpusInfo> {
        let spreadsheet = self
            .attributes
            .as_deref()
            .is_some_and(mint::spreadsheet::is_spreadsheet);
        if self.read.sheet.is_some() && !spreadsheet && self.read.text_column.is_none() {
            anyhow::bail!(
                "--sheet names a sheet of a spreadsheet, but nothing here reads one: give \
                 --attributes a .xlsx or .ods file, or read survey spreadsheets with --text-column"
            );
        }
        let sheet = self
            .attributes
            .as_deref()
            .map(|p| {
                Sheet::load_sheet(p, self.read.sheet.as_deref())
                    .context("cannot read the attributes sheet")
            })
            .transpose()?;
        let mut filter = Filter::new(&self.glob, &self.exclude, self.read.text_column.is_some())
            .context("invalid --glob or --exclude")?;
        filter.follow = self.follow;
        let options = self.read.options();
        let pipeline = Pipeline {
            paths,
            filter: &filter,
            options: &options,
            sheet: sheet.as_ref(),
            cache,
            stream: windows,
        };
        let mut reporter = Reporter::new(out, sink);
        pipeline.run(work, &mut reporter)
    }

    /// The exit status: 2 after an error, or after a warning with --strict.
    pub fn status(&self, info: &CorpusInfo, out: &Output) -> Status {
        if info.failed || (self.strict && out.warnings() > 0) {
            Status::Error
        } else {
            Status::Ok
        }
    }
}

/// The codebook flag: which codebooks to code with.
#[derive(Debug, clap::Args)]
pub struct CodebookArgs {
    /// Codebook file (TOML, or JSON by extension). Repeat it to extend a
    /// codebook with another: `--codebook default --codebook extra.toml`
    /// adds extra.toml's codes (and themes) to the embedded default.
    /// Default: the embedded default codebook (see `mint codebook show`).
    #[arg(long, value_name = "FILE")]
    pub codebook: Vec<PathBuf>,
}

impl CodebookArgs {
    /// The codebook these flags name.
    pub fn load(&self) -> anyhow::Result<Codebook> {
        load_codebooks(&self.codebook)
    }
}

/// The codebook flag of commands that read one codebook, not a stack of
/// them (`mint codebook show`, `export`).
#[derive(Debug, clap::Args)]
pub struct OneCodebookArgs {
    /// Codebook file (TOML, or JSON by extension).
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,
}

impl OneCodebookArgs {
    /// The codebook this flag names, or the embedded default.
    pub fn load(&self) -> anyhow::Result<Codebook> {
        load_codebook(self.codebook.as_deref())
    }
}

/// The coding unit flag, for commands that code whole turns by default.
#[derive(Debug, clap::Args)]
pub struct UnitArgs {
    /// The coding unit: the span of text a code is applied to.
    #[arg(long, value_enum, default_value_t = UnitArg::Turn)]
    pub unit: UnitArg,
}

/// The breakdown flag: which attributes make the groups.
#[derive(Debug, clap::Args)]
pub struct ByArgs {
    /// Break frequencies down by these attributes (comma-separated; '' for
    /// none). Default: level and sector, those of them that any participant
    /// has.
    #[arg(long, value_name = "ATTR[,ATTR]", value_delimiter = ',')]
    pub by: Vec<String>,
}

impl ByArgs {
    /// The breakdown attributes for these participants; a warning names
    /// participants without one of them. An attribute no participant has
    /// is an error.
    pub fn breakdown(
        &self,
        participants: &std::collections::BTreeMap<String, mint::attributes::Attributes>,
        out: &Output,
    ) -> anyhow::Result<Vec<String>> {
        let breakdown = mint::groups::breakdown(&self.by, participants).context("--by")?;
        for missing in &breakdown.missing {
            out.warn(&missing.to_string());
        }
        Ok(breakdown.by)
    }
}

/// The quote-trimming flag.
#[derive(Debug, clap::Args)]
pub struct ContextArgs {
    /// Trim each quote to the sentences around the evidence:
    /// `sentences:N` keeps N sentences either side; cuts show as `…`.
    #[arg(long, value_name = "sentences:N")]
    pub context: Option<String>,
}

impl ContextArgs {
    /// How many sentences either side to keep, if trimming was asked for.
    pub fn sentences(&self) -> anyhow::Result<Option<usize>> {
        let Some(raw) = &self.context else {
            return Ok(None);
        };
        raw.strip_prefix("sentences:")
            .and_then(|n| n.parse().ok())
            .map(Some)
            .with_context(|| format!("--context wants sentences:N, got {raw:?}"))
    }
}

/// The output format flag, for commands that print one report.
#[derive(Debug, clap::Args)]
pub struct FormatArgs {
    /// How to print the table on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The output file flag of commands that print one report.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Write to this file instead of stdout, in the format its extension
    /// names: .csv, .json, or .xlsx for an Excel workbook (with an About
    /// sheet). Any other extension is an error.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Allow --output to write inside an input folder.
    #[arg(long)]
    pub write_into_input: bool,
}

impl OutputArgs {
    /// The output file and its format, checked before any work is done.
    pub fn file(&self, inputs: &[PathBuf]) -> anyhow::Result<Option<(&Path, FileFormat)>> {
        let Some(path) = &self.output else {
            return Ok(None);
        };
        check_output_path(path, inputs, self.write_into_input)?;
        let can = [FileFormat::Csv, FileFormat::Json, FileFormat::Xlsx];
        Ok(Some((
            path,
            crate::render::file_format("--output", path, &can)?,
        )))
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

/// A set of human codings read by [`read_human_set`].
pub struct HumanSet {
    /// The codings, named and matched to the codebook.
    pub set: CodingSet,
    /// The transcripts they are over, when the file brings them (a
    /// `.qdpx`'s texts); a CSV's codings take them from elsewhere.
    pub sources: Option<Vec<Source>>,
    /// Whether reading a project's texts failed on a file (exit 2).
    pub failed: bool,
    /// Codings of whole turns (a `file,turn,code` sheet), to place with
    /// [`mint::agree::place_turns`] once the transcripts are known.
    pub turns: Vec<TurnCoding>,
    /// The participants of a `.qdpx`'s texts with their attributes (its
    /// case variables); empty for a CSV.
    pub participants: std::collections::BTreeMap<String, mint::attributes::Attributes>,
}

/// Human codings as a coding set named `name`, for `mint agree` and `mint
/// report --agree-with`: a codings CSV or sheet, or a REFI-QDA project
/// (`.qdpx`, `coder` picking one user, its texts read as `mint code` reads
/// them). Codes are matched to `codebook`; a coding of a whole turn (a
/// `file,turn,code` or `participant,turn,code` sheet) comes in
/// [`HumanSet::turns`]. With `lenient` (a theme), a code the codebook does
/// not have is kept under that theme, its id the slug of its name (`mint
/// learn`); without, it is an error.
pub fn read_human_set(
    path: &Path,
    name: String,
    coder: Option<&str>,
    codebook: &Codebook,
    lenient: Option<&str>,
    corpus: &CorpusOptions,
    out: &mut Output,
) -> anyhow::Result<HumanSet> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {shown}"))?;
    let project = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("qdpx"));
    let strict = lenient.is_none().then_some(codebook);
    let mut read = if project {
        let project = mint::exchange::read_project(&bytes).with_context(|| shown.clone())?;
        mint::exchange::project_codings(&project, coder, strict)
    } else {
        mint::exchange::read_codings_csv(&bytes, strict)
    }
    .with_context(|| shown.clone())?;
    let mut codes = SetCode::all(codebook);
    if let Some(theme) = lenient {
        mint::exchange::match_leniently(&mut read, codebook, theme);
        let own: std::collections::BTreeSet<&str> = read
            .codings
            .iter()
            .filter(|c| c.theme == theme && !codes.iter().any(|k| k.id == c.code))
            .map(|c| c.code.as_str())
            .collect();
        codes.extend(own.into_iter().map(|id| SetCode {
            id: id.to_string(),
            theme: theme.to_string(),
        }));
    }
    for warning in &read.warnings {
        out.warn(&format!("{shown}: {warning}"));
    }
    let mut codings = Vec::with_capacity(read.codings.len());
    let mut turns = Vec::new();
    for (i, c) in read.codings.into_iter().enumerate() {
        let coder = if c.coder.is_empty() {
            name.clone()
        } else {
            c.coder
        };
        match (c.start, c.end, c.turn) {
            (Some(start), Some(end), _) => codings.push(SetCoding {
                file: c.file,
                start,
                end,
                code: c.code,
                coder,
                rule: None,
            }),
            (_, _, Some(turn)) => turns.push(TurnCoding {
                row: i + 1,
                file: c.file,
                participant: c.participant,
                turn,
                code: c.code,
                coder,
            }),
            _ => anyhow::bail!(
                "{shown}: coding {} ({}, code {:?}) has neither a span nor a turn",
                i + 1,
                c.file,
                c.code
            ),
        }
    }
    let set = CodingSet {
        name,
        codes,
        codings,
    };
    let (mut sources, mut failed) = (None, false);
    let mut participants = Default::default();
    if project {
        let read = corpus.read(&[path.to_path_buf()], out, |_| ())?;
        failed = corpus.status(&read.info, out) == Status::Error;
        participants = read.info.participants;
        sources = Some(
            read.files
                .into_iter()
                .map(|f| Source {
                    transcript: f.transcript,
                    participants: f.participants,
                })
                .collect(),
        );
    }
    Ok(HumanSet {
        set,
        sources,
        failed,
        turns,
        participants,
    })
}
