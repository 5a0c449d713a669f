//! `mint code`: the main job. Codes every participant segment and prints the
//! theme > code × group frequency table; writes the matrix and the codings.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use mint::attributes::{Attributes, PARTICIPANT};
use mint::cache::Cache;
use mint::codebook::Codebook;
use mint::coding::{Coded, Score};
use mint::exchange::{CODINGS_HEAD, CODINGS_TAIL};
use mint::learn::apply::{Scorer, Targets, code_learned};
use mint::learn::model::Model;
use mint::matcher::Matcher;
use mint::pipeline::{LoadedFile, Streaming};
use mint::tally::{self, Tally};
use mint::textpos::CharIndex;

use crate::args::{
    ByArgs, CodebookArgs, CorpusArgs, FormatArgs, Guard, GuardArgs, UnitArgs, check_output_path,
};
use crate::render::matrix::{Counting, Summary, Suppress, ThemeMatrix, write_matrix_csv};
use crate::render::xlsx::{About, Digest, Table};
use crate::render::{self, FileFormat, Output, Report, Status};

/// Code transcripts and print theme frequencies by participant group.
///
/// Every participant turn (never the interviewer's) is matched against the
/// codebook. The table shows, for each theme and code, the references (coded
/// segments) and the participants coded in each group, as
/// `refs / n of N (pct%)`, N being the group's size: groups differ in size,
/// so compare percentages. Groups are level × sector when those attributes
/// exist; choose others with --by.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  mint code examples/transcripts
  mint code examples/transcripts --by area --format csv
  mint code examples/transcripts --attributes examples/participants.csv
  mint code examples/transcripts --matrix themes.csv --long --codings codings.csv
  mint code transcripts/ --codebook study.toml --unit paragraph --format json")]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    #[command(flatten)]
    codebook: CodebookArgs,

    #[command(flatten)]
    unit: UnitArgs,

    #[command(flatten)]
    by: ByArgs,

    #[command(flatten)]
    format: FormatArgs,

    /// Write the matrix to this CSV file, or Excel workbook if it ends in
    /// .xlsx (wide: one row per theme and code; `-` for CSV on stdout).
    #[arg(long, value_name = "FILE.csv|.xlsx")]
    matrix: Option<PathBuf>,

    /// Make CSV matrices long (tidy): one row per theme or code and group.
    #[arg(long)]
    long: bool,

    /// Write one row per coded segment and code, with its evidence, to this
    /// CSV file or .xlsx workbook (`-` for stdout).
    #[arg(long, value_name = "FILE.csv|.xlsx")]
    codings: Option<PathBuf>,

    /// Write how often each pattern matched, per group, to this CSV file or
    /// .xlsx workbook (`-` for stdout): which words drive a theme, and which
    /// never match.
    #[arg(long, value_name = "FILE.csv|.xlsx")]
    rules: Option<PathBuf>,

    /// Write every table of the run into one Excel workbook: the matrix wide
    /// and long, the codings, the pattern counts, the group comparisons with
    /// --stats, and an About sheet (mint and codebook versions, a digest of
    /// the input, the command line).
    #[arg(long, value_name = "FILE.xlsx")]
    xlsx: Option<PathBuf>,

    /// Compare groups: for each theme and code and each breakdown attribute,
    /// participants
    /// mentioning it or not in each group, with chi-square (Yates for 2x2)
    /// or Fisher's exact test when an expected count is under 5.
    #[arg(long)]
    stats: bool,

    /// With --stats, correct the p-values by Benjamini-Hochberg (false
    /// discovery rate) instead of Holm (family-wise error rate, the default).
    #[arg(long, requires = "stats")]
    fdr: bool,

    /// Show any count from 1 to K-1 as `<K` (and hide its percentage):
    /// small cells in health and social care studies can identify people.
    #[arg(long, value_name = "K")]
    min_cell: Option<u64>,

    /// Instead of the table, print each coded segment with the rule that
    /// coded it: the code, the pattern and the text it matched.
    #[arg(long)]
    explain: bool,

    /// Keep each file's coding in this folder, keyed by a hash of its bytes,
    /// the codebook and the options: a re-run over a batch with new files
    /// added only reads and codes the new ones. Output is the same.
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,

    /// Count each segment for its primary theme only (the theme whose codes
    /// score highest there; see --codings' `score`) and that theme's codes.
    #[arg(long)]
    primary: bool,

    /// Drop the codings that score under X (0 to 1) before counting: a
    /// single common word in a long turn scores about 0.2, a phrase 0.7.
    #[arg(long, value_name = "X", value_parser = parse_score)]
    min_score: Option<Score>,

    /// Allow --matrix, --codings and --rules to write inside an input folder.
    #[arg(long)]
    write_into_input: bool,

    /// The codings' text is checked for identifiers as it is written.
    #[command(flatten)]
    guard: GuardArgs,

    /// Read plain-text files of N bytes or more in windows of N/8 bytes (at
    /// most 8 MiB) rather than whole, so memory is bounded by the window.
    #[arg(long, value_name = "N", default_value_t = Streaming::default().from_bytes, hide = true,
          value_parser = clap::value_parser!(u64).range(1..))]
    stream_from: u64,

    /// Code with a model trained by `mint learn` too: a segment gets a
    /// learned code when the model's probability reaches the code's
    /// threshold. Learned codings count in the table like the codebook's;
    /// --codings gains the columns origin (codebook or learned),
    /// probability and model (its id and hash). The model must have been
    /// trained with this codebook.
    #[arg(long, value_name = "model.json")]
    model: Option<PathBuf>,

    /// With --model: count and write only the codebook's codings, only the
    /// model's, or both (a code the codebook applied is not added again).
    #[arg(long, value_enum, default_value_t = OriginArg::All, requires = "model")]
    origin: OriginArg,

    /// With --model: after the table, each learned code's prevalence (share
    /// of segments) per group corrected for the model's cross-validated
    /// sensitivity and specificity (Rogan-Gladen), with a 95% bootstrap
    /// interval (participants and the model's error resampled, seeded), and
    /// each group's difference from the first group, marked when the
    /// model's error could explain it. A codebook code the model also
    /// learned is corrected only with --origin learned (otherwise its
    /// counts mix the codebook's codings in).
    #[arg(long, requires = "model")]
    corrected: bool,
}

/// Whose codings `mint code --model` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OriginArg {
    /// The codebook's.
    Codebook,
    /// The model's.
    Learned,
    /// Both.
    All,
}

/// A model to code with, loaded and checked against the codebook.
struct Learner {
    model: Model,
    /// The model's id and the BLAKE3 hash of its file, as outputs name it.
    provenance: String,
    targets: Targets,
}

impl Learner {
    /// Reads `path`, refusing a model of another codebook; returns the
    /// codebook extended with the model's own codes.
    fn load(path: &std::path::Path, codebook: &Codebook) -> anyhow::Result<(Learner, Codebook)> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the model {}", path.display()))?;
        let model = Model::load(&bytes).with_context(|| format!("{}", path.display()))?;
        model
            .check_codebook(codebook)
            .with_context(|| format!("{}", path.display()))?;
        let (extended, targets) = mint::learn::apply::extend(codebook, &model);
        let hash = blake3::hash(&bytes).to_hex();
        Ok((
            Learner {
                provenance: format!("{} blake3:{}", model.id, &hash[..16]),
                model,
                targets,
            },
            extended,
        ))
    }
}

/// Holm, or Benjamini-Hochberg with `--fdr`.
pub fn correction(fdr: bool) -> mint::stats::Correction {
    if fdr {
        mint::stats::Correction::BenjaminiHochberg
    } else {
        mint::stats::Correction::Holm
    }
}

/// Runs `mint code`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    let (table, book) = ([FileFormat::Csv, FileFormat::Xlsx], [FileFormat::Xlsx]);
    let mut files = Vec::new();
    for (flag, path, can) in [
        ("--matrix", &args.matrix, &table[..]),
        ("--codings", &args.codings, &table[..]),
        ("--rules", &args.rules, &table[..]),
        ("--xlsx", &args.xlsx, &book[..]),
    ] {
        let format = match path {
            Some(path) => {
                check_output_path(path, &args.corpus.paths, args.write_into_input)?;
                Some(render::file_format(flag, path, can)?)
            }
            None => None,
        };
        files.push(format);
    }
    let [matrix_format, codings_format, rules_format, _] = files[..] else {
        unreachable!("four output flags")
    };
    let codebook = args.codebook.load()?;
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let unit = args.unit.unit.unit();
    let (learner, codebook) = match &args.model {
        Some(path) => {
            let (learner, extended) = Learner::load(path, &codebook)?;
            if learner.model.unit != args.unit.unit.name() {
                out.warn(&format!(
                    "the model was trained on {}s, and this run codes {}s",
                    learner.model.unit,
                    args.unit.unit.name()
                ));
            }
            (Some(learner), extended)
        }
        None => (None, codebook),
    };
    let scorer = learner.as_ref().map(|l| Scorer::new(&l.model));
    let learning = scorer
        .as_ref()
        .zip(learner.as_ref())
        .filter(|_| args.origin != OriginArg::Codebook);
    let with_rules = args.rules.is_some() || args.xlsx.is_some();
    // Codings (and their scores) are only kept when something shows them.
    let with_codings = args.codings.is_some() || args.explain || args.xlsx.is_some();
    let options = mint::coding::Options {
        rules: with_rules,
        codings: with_codings,
        min_score: args.min_score,
        primary: args.primary,
    };

    // Files stream through in path order: tallies and codings are taken as
    // each file is done, and the file is dropped.
    let mut tally = Tally::default();
    let mut summary = Summary::default();
    let mut words = mint::corpus::Words::default();
    let mut spool = (args.codings.is_some() || args.xlsx.is_some())
        .then(|| Spool::new(learner.as_ref()))
        .transpose()?;
    let mut guard = args.guard.guard()?;
    let mut digest = Digest::default();
    let cache = match &args.cache {
        Some(dir) => {
            let salt = format!(
                "{}\n{:?}\n{options:?}\n{:?}{}",
                serde_json::to_string(&codebook)?,
                args.unit.unit,
                args.corpus.options.read.options(),
                learner.as_ref().map_or(String::new(), |l| format!(
                    "\n{} {:?}",
                    l.provenance, args.origin
                ))
            );
            Some(
                Cache::new(dir, salt.as_bytes())
                    .with_context(|| format!("cannot use the cache {}", dir.display()))?,
            )
        }
        None => None,
    };
    let work = |t: &mint::corpus::Transcript| {
        let mut coded = mint::coding::code_with(t, &matcher, unit, &options);
        if let Some((scorer, learner)) = learning {
            let keep = args.origin == OriginArg::All;
            code_learned(
                t,
                &matcher,
                unit,
                scorer,
                &learner.targets,
                keep,
                &mut coded,
            );
            if !with_codings {
                coded.learned.clear();
            }
        }
        coded
    };
    let windows = Streaming {
        from_bytes: args.stream_from,
        window: usize::try_from(args.stream_from / 8)
            .unwrap_or(usize::MAX)
            .clamp(256, Streaming::default().window),
    };
    let info = args
        .corpus
        .stream(out, cache.as_ref(), Some(windows), work, |out, file| {
            for (id, counts) in file.participants.iter().zip(&file.result.by_speaker) {
                tally.add(id, counts);
            }
            let total = file.result.total();
            // A large file comes in windows: it is one file.
            summary.files += usize::from(file.window.is_none_or(|w| w.first));
            summary.segments += total.segments;
            summary.coded_segments += total.coded_segments;
            words.add(&file.transcript.words);
            let first = file.window.is_none_or(|w| w.first);
            digest.add(
                if first { &file.source.name } else { "" },
                &file.transcript.text,
            );
            if let Some(spool) = &mut spool {
                spool.add(&file, &codebook, &mut guard, out)?;
            }
            if args.explain {
                write_explanation(out.stdout(), &file, &codebook)?;
                if let Some((scorer, learner)) = learning {
                    write_learned_explanation(
                        out.stdout(),
                        &file,
                        &codebook,
                        &matcher,
                        scorer,
                        learner,
                    )?;
                }
            }
            Ok(())
        })?;
    summary.participants = info.participants.len();

    let by = args.by.breakdown(&info.participants, out)?;
    let matrix = tally::matrix(&tally, &info.participants, &by, &codebook);
    let correction = correction(args.fdr);
    let stats = args.stats.then(|| {
        mint::groups::compare_groups(&tally, &info.participants, &by, &codebook, correction)
    });
    let suppress = Suppress(args.min_cell.unwrap_or(0));

    let about = || About::new(Some(&codebook), Some(digest.finish()));
    let matrix_sheet = if args.long { "Themes (long)" } else { "Themes" };
    if let (Some(path), Some(format)) = (&args.matrix, matrix_format) {
        render::write_table_file(out, path, format, matrix_sheet, about, |w| {
            write_matrix_csv(w, &matrix, args.long, suppress)
        })?;
    }
    let names = attribute_names(&info.participants);
    let fixed: Vec<&str> = CODINGS_HEAD
        .iter()
        .chain(&CODINGS_TAIL)
        .chain(learner.as_ref().map_or(&[][..], |_| &PROVENANCE[..]))
        .copied()
        .collect();
    let (headers, renamed) = render::csv::attribute_columns(&fixed, names.iter().copied());
    if spool.is_some() {
        for (attribute, header) in renamed {
            out.warn(&format!(
                "the attribute {attribute:?} has the name of a column mint writes: it is the column {header:?} of the codings CSV"
            ));
        }
    }
    let write_codings = |spool: &mut Spool, w: &mut dyn Write| {
        spool.finish(w, &info.participants, &names, &headers)
    };
    if let (Some(path), Some(format), Some(spool)) = (&args.codings, codings_format, &mut spool) {
        render::write_table_file(out, path, format, "Codings", about, |w| {
            write_codings(spool, w)
        })?;
    }
    let write_rules =
        |w: &mut dyn Write| write_rules(w, &tally, &info.participants, &by, &codebook);
    if let (Some(path), Some(format)) = (&args.rules, rules_format) {
        render::write_table_file(out, path, format, "Rules", about, write_rules)?;
    }
    {
        let report = ThemeMatrix {
            matrix: &matrix,
            codebook: &codebook,
            unit: args.unit.unit.name(),
            summary: &summary,
            stats: stats.as_deref().map(|s| (s, correction)),
            suppress,
            tallies: (&tally, &info.participants),
            long: args.long,
            counting: Counting::of(&options),
        };
        if let (Some(path), Some(spool)) = (&args.xlsx, &mut spool) {
            let mut tables = vec![
                Table::capture("Themes", |w| write_matrix_csv(w, &matrix, false, suppress))?,
                Table::capture("Themes (long)", |w| {
                    write_matrix_csv(w, &matrix, true, suppress)
                })?,
                Table::capture("Codings", |w| write_codings(spool, w))?,
                Table::capture("Rules", write_rules)?,
            ];
            if stats.is_some() {
                // With --stats the report's CSV is the group comparisons.
                tables.push(Table::capture("Group comparison", |w| report.write_csv(w))?);
            }
            let about = about();
            out.write_file(path, |w| render::xlsx::write(w, &tables, &about))?;
        }
        if !args.explain {
            render::emit(out, args.format.format, &report)?;
        }
        if let (true, Some(learner)) = (args.corrected, &learner) {
            write_corrected(out, learner, args.origin, &tally, &info.participants, &by)?;
        }
    }
    out.flush()?;
    out.note(&format!(
        "{} files, {} participants, {} of {} participant {}s coded; {}{}",
        summary.files,
        summary.participants,
        summary.coded_segments,
        summary.segments,
        args.unit.unit.name(),
        words_note(&words),
        counting_note(&options)
    ));
    Ok(args.corpus.status(&info, out))
}

/// The codings, spooled to a temporary CSV file as files stream through
/// (their attribute columns are only known at the end), then written out
/// with the attributes of each row's participant. The spool is an unnamed
/// file in the system's temporary folder (deleted as soon as it is made, or
/// on close where that cannot be done), so no name of it is left behind,
/// whatever ends the process.
struct Spool<'l> {
    file: std::fs::File,
    csv: csv::Writer<std::io::BufWriter<std::fs::File>>,
    /// With --model: the model, whose codings are written too, and whose
    /// provenance columns end every row.
    learner: Option<&'l Learner>,
}

/// The columns the codings CSV gains with --model.
const PROVENANCE: [&str; 3] = ["origin", "probability", "model"];

impl<'l> Spool<'l> {
    fn new(learner: Option<&'l Learner>) -> anyhow::Result<Spool<'l>> {
        let file =
            tempfile::tempfile().context("cannot create a temporary file for the codings")?;
        let csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(std::io::BufWriter::new(file.try_clone()?));
        Ok(Spool { file, csv, learner })
    }

    /// Spools one file's codings: the head columns, then the tail columns.
    fn add(
        &mut self,
        file: &LoadedFile<Coded>,
        codebook: &Codebook,
        guard: &mut Guard,
        out: &Output,
    ) -> anyhow::Result<()> {
        let text = &file.transcript.text;
        let index = CharIndex::new(text);
        // Offsets into a window are the file's from its start.
        let base = file.window.map_or(0, |w| w.char_base);
        let at = |byte: usize| base + index.char_offset(byte);
        let provenance = |origin: &'static str, probability: String| -> Vec<String> {
            match self.learner {
                Some(l) => vec![origin.to_string(), probability, l.provenance.clone()],
                None => Vec::new(),
            }
        };
        // The columns of a segment and code, before the evidence.
        let head = |turn: usize, who: usize, span: (usize, usize), code: &mint::codebook::Code| {
            let t = &file.transcript.turns[turn];
            vec![
                file.source.name.clone(),
                file.participants[who].clone(),
                t.index.to_string(),
                t.speaker.clone(),
                at(span.0).to_string(),
                at(span.1).to_string(),
                code.theme.clone(),
                code.id.clone(),
            ]
        };
        let times = |turn: usize| {
            file.transcript.turns[turn]
                .time
                .map_or((String::new(), String::new()), |t| {
                    (clock(t.start_ms), clock(t.end_ms))
                })
        };
        for coding in &file.result.codings {
            let code = &codebook.codes[coding.hit.code];
            let turn = &file.transcript.turns[coding.turn];
            let (from, to) = times(coding.turn);
            let id = mint::textpos::segment_id(&file.source.name, at(coding.start), at(coding.end));
            let place = format!("{} turn {}", file.source.name, turn.index);
            let segment = guard.segment(out, &place, &text[coding.start..coding.end]);
            // The match is inside the segment: redacted with it.
            let matched = guard.fragment(&text[coding.hit.start..coding.hit.end]);
            let mut record = head(coding.turn, coding.who, (coding.start, coding.end), code);
            record.extend([
                matched.to_string(),
                segment.to_string(),
                code.patterns[coding.hit.pattern].clone(),
                at(coding.hit.start).to_string(),
                at(coding.hit.end).to_string(),
                from,
                to,
                coding.score.to_string(),
                (if coding.primary { "true" } else { "false" }).to_string(),
                mint::coding::line_at(text, turn, coding.start).to_string(),
                id,
            ]);
            record.extend(provenance("codebook", String::new()));
            self.csv.write_record(&record)?;
        }
        if let Some(learner) = self.learner {
            for coding in &file.result.learned {
                let code = &codebook.codes[learner.targets.code[coding.code]];
                let turn = &file.transcript.turns[coding.turn];
                let (from, to) = times(coding.turn);
                let id =
                    mint::textpos::segment_id(&file.source.name, at(coding.start), at(coding.end));
                let place = format!("{} turn {}", file.source.name, turn.index);
                let segment = guard.segment(out, &place, &text[coding.start..coding.end]);
                let mut record = head(coding.turn, coding.who, (coding.start, coding.end), code);
                record.extend([
                    String::new(),
                    segment.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    from,
                    to,
                    String::new(),
                    String::new(),
                    mint::coding::line_at(text, turn, coding.start).to_string(),
                    id,
                ]);
                record.extend(provenance("learned", format!("{:.3}", coding.probability)));
                self.csv.write_record(&record)?;
            }
        }
        Ok(())
    }

    /// Writes the codings CSV: the spooled rows with each participant's
    /// attributes `names` between the head and tail columns, headed
    /// `headers` (see [`render::csv::attribute_columns`]).
    fn finish(
        &mut self,
        w: &mut dyn Write,
        participants: &BTreeMap<String, Attributes>,
        names: &[&str],
        headers: &[String],
    ) -> anyhow::Result<()> {
        self.csv.flush()?;
        // The clone that wrote shares the file's offset: back to the start
        // (each time: the codings may go to a CSV and a workbook).
        std::io::Seek::rewind(&mut self.file)?;
        let mut out = render::csv::Writer::new(w);
        let mut header: Vec<&str> = CODINGS_HEAD.to_vec();
        header.extend(headers.iter().map(String::as_str));
        header.extend(CODINGS_TAIL);
        if self.learner.is_some() {
            header.extend(PROVENANCE);
        }
        out.write_record(&header)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(std::io::BufReader::new(&self.file));
        let empty = Attributes::new();
        for record in reader.records() {
            let record = record?;
            let attrs = participants.get(&record[1]).unwrap_or(&empty);
            let mut row: Vec<&str> = record.iter().take(CODINGS_HEAD.len()).collect();
            row.extend(
                names
                    .iter()
                    .map(|n| attrs.get(*n).map_or("", String::as_str)),
            );
            row.extend(record.iter().skip(CODINGS_HEAD.len()));
            out.write_record(&row)?;
        }
        out.flush()?;
        Ok(())
    }
}

/// The attributes of the codings CSV: every participant's, but the id.
fn attribute_names(participants: &BTreeMap<String, Attributes>) -> Vec<&str> {
    participants
        .values()
        .flat_map(|a| a.keys())
        .map(String::as_str)
        .filter(|k| *k != PARTICIPANT)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Hit counts per pattern per group: segments in which the pattern matched
/// (for a code that applied there) and participants with such a segment.
fn write_rules(
    w: &mut dyn Write,
    tally: &Tally,
    participants: &BTreeMap<String, Attributes>,
    by: &[String],
    codebook: &Codebook,
) -> anyhow::Result<()> {
    let (members, all) = tally::membership(tally, participants, by);
    let mut csv = render::csv::Writer::new(w);
    let mut header = vec![
        "theme".to_string(),
        "code".to_string(),
        "pattern".to_string(),
    ];
    let labels = members
        .keys()
        .map(|v| v.join(" / "))
        .chain(["total".to_string()]);
    for label in labels {
        header.push(format!("{label}: references"));
        header.push(format!("{label}: participants"));
    }
    csv.write_record(&header)?;
    // Each group's tallies, looked up once for all the patterns.
    let resolved: Vec<_> = members
        .values()
        .chain([&all])
        .map(|ids| tally::resolve(tally, ids))
        .collect();
    for theme in &codebook.themes {
        for (ci, _) in tally::code_order(codebook, &theme.id) {
            let code = &codebook.codes[ci];
            for (pi, pattern) in code.patterns.iter().enumerate() {
                let refs = |p: &tally::ParticipantTally| {
                    p.pattern_refs.get(&(ci, pi)).copied().unwrap_or(0)
                };
                let mut record = vec![theme.id.clone(), code.id.clone(), pattern.clone()];
                for tallies in &resolved {
                    let cell = tally::cell_of(tallies, &refs);
                    record.push(cell.references.to_string());
                    record.push(cell.participants.to_string());
                }
                csv.write_record(&record)?;
            }
        }
    }
    csv.flush()?;
    Ok(())
}

/// Each coded segment, with the code, pattern and matched text that coded
/// it: `PATH:LINE turn N (SPEAKER, PARTICIPANT)`, then one line per code,
/// ending with its score and `primary` when its theme is the segment's
/// primary theme.
fn write_explanation(
    w: &mut dyn Write,
    file: &LoadedFile<Coded>,
    codebook: &Codebook,
) -> anyhow::Result<()> {
    {
        let text = &file.transcript.text;
        let mut last: Option<(usize, usize)> = None;
        for coding in &file.result.codings {
            let turn = &file.transcript.turns[coding.turn];
            if last != Some((coding.turn, coding.start)) {
                let snippet = snippet(&text[coding.start..coding.end]);
                writeln!(
                    w,
                    "{}:{} turn {} ({}, {}): {snippet}",
                    file.source.name,
                    turn.line,
                    turn.index,
                    if turn.speaker.is_empty() {
                        "unlabelled"
                    } else {
                        &turn.speaker
                    },
                    file.participants[coding.who]
                )?;
                last = Some((coding.turn, coding.start));
            }
            let code = &codebook.codes[coding.hit.code];
            writeln!(
                w,
                "  {} / {}  ← {:?} matched {:?}  (score {}{})",
                code.theme,
                code.id,
                code.patterns[coding.hit.pattern],
                &text[coding.hit.start..coding.hit.end],
                coding.score,
                if coding.primary { ", primary" } else { "" }
            )?;
        }
    }
    Ok(())
}

/// Each segment the model coded, with why: the n-grams that weighed most
/// and the nearest hand-coded examples the model keeps.
fn write_learned_explanation(
    w: &mut dyn Write,
    file: &LoadedFile<Coded>,
    codebook: &Codebook,
    matcher: &Matcher,
    scorer: &Scorer,
    learner: &Learner,
) -> anyhow::Result<()> {
    let text = &file.transcript.text;
    for coding in &file.result.learned {
        let turn = &file.transcript.turns[coding.turn];
        let code = &codebook.codes[learner.targets.code[coding.code]];
        let segment = &text[coding.start..coding.end];
        writeln!(
            w,
            "{}:{} turn {} ({}): {}",
            file.source.name,
            turn.line,
            turn.index,
            file.participants[coding.who],
            snippet(segment)
        )?;
        writeln!(
            w,
            "  {} / {}  ← learned (probability {:.3}, threshold {:.3}; {})",
            code.theme,
            code.id,
            coding.probability,
            learner.model.codes[coding.code].threshold,
            learner.provenance
        )?;
        let mut hits = Vec::new();
        matcher.find(segment, &mut hits);
        let mut matched: Vec<usize> = hits.iter().map(|h| h.code).collect();
        matched.sort_unstable();
        matched.dedup();
        let row = scorer.features(segment, &matched);
        let why = scorer.explain(&row, coding.code, 3);
        let terms: Vec<String> = why
            .terms
            .iter()
            .map(|(t, w)| format!("{t:?} {w:+.2}"))
            .collect();
        writeln!(w, "    words: {}", terms.join(", "))?;
        for (n, similarity) in &why.nearest {
            writeln!(
                w,
                "    like {} ({}, similarity {similarity:.2}): {}",
                n.segment,
                n.participant,
                snippet(&n.text)
            )?;
        }
    }
    Ok(())
}

/// The corrected prevalence of each learned code per group (`--corrected`).
fn write_corrected(
    out: &mut Output,
    learner: &Learner,
    origin: OriginArg,
    tally: &Tally,
    participants: &BTreeMap<String, Attributes>,
    by: &[String],
) -> anyhow::Result<()> {
    use mint::stats::prevalence::{Bootstrap, Confusion, Units, corrected_prevalence};
    let (members, all) = tally::membership(tally, participants, by);
    let mut groups: Vec<(String, Vec<&str>)> = members
        .iter()
        .map(|(k, v)| (k.join(" / "), v.clone()))
        .collect();
    if groups.len() < 2 {
        groups = vec![("all".to_string(), all)];
    }
    let mut t = crate::render::table::new_table(out);
    t.set_header(
        [
            "code",
            "group",
            "segments coded",
            "apparent",
            "corrected [95% CI]",
            "vs first group",
        ]
        .map(comfy_table::Cell::new),
    );
    for (m, code) in learner.model.codes.iter().enumerate() {
        if code.origin != "learned" && origin != OriginArg::Learned {
            continue;
        }
        let target = learner.targets.code[m];
        let units: Vec<Vec<Units>> = groups
            .iter()
            .map(|(_, ids)| {
                tally::resolve(tally, ids)
                    .into_iter()
                    .flatten()
                    .map(|p| Units {
                        coded: p.code_refs.get(target).copied().unwrap_or(0),
                        total: p.segments,
                    })
                    .collect()
            })
            .collect();
        let cv = Confusion {
            true_positives: code.cv.tp,
            false_positives: code.cv.fp,
            false_negatives: code.cv.fn_,
            true_negatives: code.cv.tn,
        };
        let bootstrap = Bootstrap {
            seed: learner.model.seed,
            ..Bootstrap::default()
        };
        let result = match corrected_prevalence(&units, cv, bootstrap) {
            Ok(result) => result,
            Err(why) => {
                t.add_row(vec![
                    code.id.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                    format!("cannot correct: {why}"),
                    String::new(),
                ]);
                continue;
            }
        };
        for (g, ((name, _), group)) in groups.iter().zip(&result.groups).enumerate() {
            let coded: u64 = units[g].iter().map(|u| u.coded).sum();
            let total: u64 = units[g].iter().map(|u| u.total).sum();
            let (apparent, corrected) = match group {
                Some(c) => (
                    format!("{:.1}%", c.apparent * 100.0),
                    match c.interval {
                        Some((lo, hi)) => format!(
                            "{:.1}% [{:.1}, {:.1}]",
                            c.corrected * 100.0,
                            lo * 100.0,
                            hi * 100.0
                        ),
                        None => format!("{:.1}%", c.corrected * 100.0),
                    },
                ),
                None => ("-".to_string(), "-".to_string()),
            };
            let versus = match (g, result.difference(g, 0)) {
                (0, _) | (_, None) => String::new(),
                (_, Some(d)) => format!(
                    "{:+.1} pts{}",
                    d.estimate * 100.0,
                    if d.within_error {
                        " (within the model's error)"
                    } else {
                        ""
                    }
                ),
            };
            t.add_row(vec![
                code.id.clone(),
                name.clone(),
                format!("{coded} of {total}"),
                apparent,
                corrected,
                versus,
            ]);
        }
    }
    writeln!(
        out.stdout(),
        "\nLearned codes' prevalence corrected for the model's error ({}):",
        learner.provenance
    )?;
    crate::render::table::write(out, &t)
}

/// A segment on one line, cut at 70 characters.
fn snippet(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 70 {
        format!("{}…", one.chars().take(69).collect::<String>())
    } else {
        one
    }
}

/// Words by role for the summary: `N words by participants (P%), N by
/// interviewers, N not coded`.
fn words_note(words: &mint::corpus::Words) -> String {
    let share = match words.total() {
        0 => String::new(),
        total => format!(" ({}%)", (words.participant * 100 + total / 2) / total),
    };
    format!(
        "{} words by participants{share}, {} by interviewers, {} not coded",
        words.participant, words.interviewer, words.uncoded
    )
}

/// What the counts leave out, for the summary: `; codings under 0.500
/// dropped; primary themes only`, or nothing.
fn counting_note(options: &mint::coding::Options) -> String {
    let mut note = String::new();
    if let Some(min) = options.min_score {
        note.push_str(&format!("; codings under {min} dropped"));
    }
    if options.primary {
        note.push_str("; primary themes only");
    }
    note
}

/// A `--min-score` value: a number from 0 to 1.
fn parse_score(value: &str) -> Result<Score, String> {
    match value.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(Score::from_f64(x)),
        _ => Err(format!("expected a number from 0 to 1, not {value:?}")),
    }
}

fn clock(ms: u64) -> String {
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    format!(
        "{h:02}:{:02}:{:02}.{:03}",
        rest / 60_000,
        rest % 60_000 / 1000,
        rest % 1000
    )
}
