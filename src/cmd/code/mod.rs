//! `mint code`: the main job. Codes every participant segment and prints the
//! theme > code × group frequency table; writes the matrix and the codings.
//! `spool.rs` keeps the codings as files stream through, `explain.rs` is
//! `--explain`, `corrected.rs` is `--corrected` and the report.

mod corrected;
mod explain;
mod spool;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use mint::attributes::Attributes;
use mint::cache::Cache;
use mint::codebook::Codebook;
use mint::coding::Score;
use mint::exchange::{CODINGS_HEAD, CODINGS_TAIL, PROVENANCE};
use mint::learn::apply::{Scorer, code_with_model};
use mint::learn::corrected::corrected_rows;
use mint::matcher::Matcher;
use mint::pipeline::Streaming;
use mint::tally::{self, Tally};

use crate::args::{
    ByArgs, CodebookArgs, CorpusArgs, FormatArgs, GuardArgs, ModelArgs, OriginArg, UnitArgs,
    check_output_path,
};
use crate::render::matrix::{Counting, Summary, Suppress, ThemeMatrix, write_matrix_csv};
use crate::render::xlsx::{About, Digest, Table};
use crate::render::{self, FileFormat, Output, Report, Status};
use corrected::CodeReport;
use explain::{write_explanation, write_learned_explanation};
use spool::{Spool, attribute_names};

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
    /// CSV file or .xlsx workbook (`-` for stdout). With --model it gains
    /// the columns origin (codebook or learned), probability and model (its
    /// id and hash).
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

    #[command(flatten)]
    model: ModelArgs,

    /// With --model: after the table, each learned code's prevalence (share
    /// of segments) per group corrected for the model's cross-validated
    /// sensitivity and specificity (Rogan-Gladen), with a 95% bootstrap
    /// interval (participants and the model's error resampled, seeded), and
    /// each group's difference from the first group, marked when the
    /// model's error could explain it. A codebook code the model also
    /// learned is corrected only with --origin learned (otherwise its
    /// counts mix the codebook's codings in). With --format json it is the
    /// report's `corrected` array (shares from 0 to 1); with --xlsx a
    /// Corrected sheet; with --format csv give --corrected-out.
    #[arg(long, requires = "model")]
    corrected: bool,

    /// With --model: write the corrected prevalence (see --corrected,
    /// which this implies) to this .csv, .json or .xlsx file.
    #[arg(long, value_name = "FILE", requires = "model")]
    corrected_out: Option<PathBuf>,
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
    let any = [FileFormat::Csv, FileFormat::Json, FileFormat::Xlsx];
    let with_corrected = args.corrected || args.corrected_out.is_some();
    if with_corrected
        && args.corrected_out.is_none()
        && args.format.format == render::Format::Csv
        && !args.explain
    {
        anyhow::bail!(
            "--corrected with --format csv: stdout holds the matrix; give --corrected-out FILE.csv for the corrected prevalence"
        );
    }
    let mut files = Vec::new();
    for (flag, path, can) in [
        ("--matrix", &args.matrix, &table[..]),
        ("--codings", &args.codings, &table[..]),
        ("--rules", &args.rules, &table[..]),
        ("--xlsx", &args.xlsx, &book[..]),
        ("--corrected-out", &args.corrected_out, &any[..]),
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
    let [
        matrix_format,
        codings_format,
        rules_format,
        _,
        corrected_format,
    ] = files[..]
    else {
        unreachable!("five output flags")
    };
    let codebook = args.codebook.load()?;
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let unit = args.unit.unit.unit();
    let (learner, codebook) = args.model.load(codebook, args.unit.unit, out)?;
    let scorer = learner.as_ref().map(|l| Scorer::new(&l.model));
    let learning = scorer
        .as_ref()
        .zip(learner.as_ref())
        .filter(|_| args.model.learning());
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
                    l.provenance, args.model.origin
                ))
            );
            Some(
                Cache::new(dir, salt.as_bytes())
                    .with_context(|| format!("cannot use the cache {}", dir.display()))?,
            )
        }
        None => None,
    };
    let model = learning.map(|(scorer, learner)| (scorer, &learner.targets));
    let keep = args.model.keep_codebook();
    let work = |t: &mint::corpus::Transcript| {
        let mut coded = code_with_model(t, &matcher, unit, &options, model, keep);
        if !with_codings {
            coded.learned.clear();
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

    let about = || {
        About::new(Some(&codebook), Some(digest.finish()))
            .with_model(learner.as_ref().map(|l| l.provenance.as_str()))
    };
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
    let corrected = match (with_corrected, &learner) {
        (true, Some(learner)) => {
            let codebook_codes = args.model.origin == OriginArg::Learned;
            Some(corrected_rows(
                learner,
                codebook_codes,
                &tally,
                &info.participants,
                &by,
            ))
        }
        _ => None,
    };
    {
        let matrix_report = ThemeMatrix {
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
        let report = CodeReport {
            matrix: matrix_report,
            model: learner.as_ref().map(|l| l.provenance.as_str()),
            corrected: corrected.as_deref(),
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
            if let Some(corrected) = report.corrected() {
                tables.push(Table::capture("Corrected", |w| corrected.write_csv(w))?);
            }
            let about = about();
            out.write_file(path, |w| render::xlsx::write(w, &tables, &about))?;
        }
        if let (Some(path), Some(format), Some(corrected)) =
            (&args.corrected_out, corrected_format, report.corrected())
        {
            render::emit_file(out, path, format, &corrected, "Corrected", about)?;
        }
        if !args.explain {
            render::emit(out, args.format.format, &report)?;
        } else if let Some(corrected) = report.corrected() {
            corrected.write_table(out)?;
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
