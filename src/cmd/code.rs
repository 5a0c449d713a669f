//! `mint code`: the main job. Codes every participant segment and prints the
//! theme > code × group frequency table; writes the matrix and the codings.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use comfy_table::{Attribute, Cell as TableCell, CellAlignment};
use serde::Serialize;

use mint::attributes::{Attributes, PARTICIPANT};
use mint::cache::Cache;
use mint::codebook::{Codebook, Origin};
use mint::corpus::Coded;
use mint::matcher::Matcher;
use mint::tally::{self, Cell, Matrix, Tally};
use mint::textpos::CharIndex;

use super::{CorpusArgs, LoadedFile, UnitArg, check_output_path, load_codebooks, stream_corpus};
use crate::cli::Format;
use crate::output::{Output, Status, new_table};

/// The version of the JSON written by `mint code --format json`.
pub const SCHEMA_VERSION: u32 = 1;

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

    /// Codebook file (TOML, or JSON by extension). Repeat it to extend a
    /// codebook with another: `--codebook default --codebook extra.toml`
    /// adds extra.toml's codes (and themes) to the embedded default.
    /// Default: the embedded default codebook (see `mint codebook show`).
    #[arg(long, value_name = "FILE")]
    codebook: Vec<PathBuf>,

    /// The coding unit: the span of text a code is applied to.
    #[arg(long, value_enum, default_value_t = UnitArg::Turn)]
    unit: UnitArg,

    /// Break frequencies down by these attributes (comma-separated; '' for
    /// none). Default: level and sector, those of them that any participant
    /// has.
    #[arg(long, value_name = "ATTR[,ATTR]", value_delimiter = ',')]
    by: Vec<String>,

    /// How to print the table on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,

    /// Write the matrix to this CSV file (wide: one row per theme and code;
    /// `-` for stdout).
    #[arg(long, value_name = "FILE.csv")]
    matrix: Option<PathBuf>,

    /// Make CSV matrices long (tidy): one row per theme or code and group.
    #[arg(long)]
    long: bool,

    /// Write one row per coded segment and code, with its evidence, to this
    /// CSV file (`-` for stdout).
    #[arg(long, value_name = "FILE.csv")]
    codings: Option<PathBuf>,

    /// Write how often each pattern matched, per group, to this CSV file
    /// (`-` for stdout): which words drive a theme, and which never match.
    #[arg(long, value_name = "FILE.csv")]
    rules: Option<PathBuf>,

    /// Compare groups: for each theme and code and each breakdown attribute,
    /// participants
    /// mentioning it or not in each group, with chi-square (Yates for 2x2)
    /// or Fisher's exact test when an expected count is under 5.
    #[arg(long)]
    stats: bool,

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

    /// Allow --matrix, --codings and --rules to write inside an input folder.
    #[arg(long)]
    write_into_input: bool,
}

/// Runs `mint code`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    for path in [&args.matrix, &args.codings, &args.rules]
        .into_iter()
        .flatten()
    {
        check_output_path(path, &args.corpus.paths, args.write_into_input)?;
    }
    let codebook = load_codebooks(&args.codebook)?;
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let unit = args.unit.unit();
    let with_rules = args.rules.is_some();
    // Codings are only kept when something shows them.
    let with_codings = args.codings.is_some() || args.explain;

    // Files stream through in path order: tallies and codings are taken as
    // each file is done, and the file is dropped.
    let mut tally = Tally::default();
    let mut summary = Summary::default();
    let mut spool = args.codings.as_ref().map(|_| Spool::new()).transpose()?;
    let cache = match &args.cache {
        Some(dir) => {
            let salt = format!(
                "{}\n{:?}\n{with_rules}\n{with_codings}\n{:?}",
                serde_json::to_string(&codebook)?,
                args.unit,
                args.corpus.read.options()
            );
            Some(
                Cache::new(dir, salt.as_bytes())
                    .with_context(|| format!("cannot use the cache {}", dir.display()))?,
            )
        }
        None => None,
    };
    let work = |t: &mint::corpus::Transcript| t.code_with(&matcher, unit, with_rules, with_codings);
    let info = stream_corpus(&args.corpus, out, cache.as_ref(), work, |out, file| {
        for (id, counts) in file.participants.iter().zip(&file.result.by_speaker) {
            tally.add(id, counts);
        }
        let total = file.result.total();
        summary.files += 1;
        summary.segments += total.segments;
        summary.coded_segments += total.coded_segments;
        if let Some(spool) = &mut spool {
            spool.add(&file, &codebook)?;
        }
        if args.explain {
            write_explanation(out.stdout(), &file, &codebook)?;
        }
        Ok(())
    })?;
    summary.participants = info.participants.len();

    let by = breakdown(&args.by, &info.participants, out);
    let matrix = tally::matrix(&tally, &info.participants, &by, &codebook);
    let stats = args
        .stats
        .then(|| compare_groups(&tally, &info.participants, &by, &codebook));
    let suppress = Suppress(args.min_cell.unwrap_or(0));

    if let Some(path) = &args.matrix {
        out.write_file(path, |w| write_matrix_csv(w, &matrix, args.long, suppress))?;
    }
    if let (Some(path), Some(spool)) = (&args.codings, spool) {
        out.write_file(path, |w| spool.finish(w, &info.participants))?;
    }
    if let Some(path) = &args.rules {
        out.write_file(path, |w| {
            write_rules(w, &tally, &info.participants, &by, &codebook)
        })?;
    }
    if !args.explain {
        match (args.format, &stats) {
            (Format::Table, _) => {
                write_table(out, &matrix, suppress)?;
                if let Some(stats) = &stats {
                    write_stats_table(out, stats)?;
                }
            }
            (Format::Csv, Some(stats)) => write_stats_csv(out.stdout(), stats)?,
            (Format::Csv, None) => write_matrix_csv(out.stdout(), &matrix, args.long, suppress)?,
            (Format::Json, _) => write_json(
                out.stdout(),
                &matrix,
                &codebook,
                args.unit.name(),
                &summary,
                stats.as_deref(),
                suppress,
                (&tally, &info.participants),
            )?,
        }
    }
    out.flush()?;
    out.note(&format!(
        "{} files, {} participants, {} of {} participant {}s coded",
        summary.files,
        summary.participants,
        summary.coded_segments,
        summary.segments,
        args.unit.name()
    ));
    Ok(info.status(&args.corpus, out))
}

/// The breakdown attributes, and a warning naming participants without them.
pub fn breakdown(
    raw: &[String],
    participants: &BTreeMap<String, Attributes>,
    out: &Output,
) -> Vec<String> {
    let requested: Vec<String> = raw
        .iter()
        .map(|a| a.trim().to_lowercase())
        .filter(|a| !a.is_empty())
        .collect();
    // `--by ''` asks for no breakdown at all.
    let by = if !raw.is_empty() && requested.is_empty() {
        Vec::new()
    } else if requested.is_empty() {
        ["level", "sector"]
            .into_iter()
            .filter(|a| participants.values().any(|attrs| attrs.contains_key(*a)))
            .map(String::from)
            .collect()
    } else {
        requested
    };
    for attr in &by {
        let missing: Vec<&str> = participants
            .iter()
            .filter(|(_, attrs)| !attrs.contains_key(attr))
            .map(|(id, _)| id.as_str())
            .collect();
        if !missing.is_empty() {
            out.warn(&format!(
                "{} participant{} without {attr:?}, shown as {}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                tally::MISSING,
                missing.join(", ")
            ));
        }
    }
    by
}

/// Totals for the stderr note and the JSON: files, participants,
/// participant segments, and coded segments.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub participants: usize,
    pub segments: u64,
    pub coded_segments: u64,
}

/// A percentage with one decimal, as written in CSV and JSON.
fn percent(cell: &Cell) -> f64 {
    (cell.percent * 10.0).round() / 10.0
}

fn row_name(row: &tally::Row) -> String {
    match &row.code {
        Some(code) if row.origin == Some(Origin::Emergent) => {
            format!("{}{code} (emergent)", "  ".repeat(row.depth))
        }
        Some(code) => format!("{}{code}", "  ".repeat(row.depth)),
        None => row.theme.clone(),
    }
}

pub fn write_table(out: &mut Output, matrix: &Matrix, suppress: Suppress) -> anyhow::Result<()> {
    let mut table = new_table(out);
    let mut header = vec![TableCell::new("theme / code")];
    for group in &matrix.groups {
        header.push(TableCell::new(format!(
            "{}\nN={}",
            group.label(),
            group.size
        )));
    }
    let total_n = matrix.rows.first().map_or(0, |r| r.total.group_size);
    header.push(TableCell::new(format!("total\nN={total_n}")));
    table.set_header(header);
    for row in &matrix.rows {
        let is_theme = row.code.is_none();
        let mut cells = vec![TableCell::new(row_name(row))];
        cells.extend(
            row.cells.iter().chain([&row.total]).map(|c| {
                TableCell::new(format_cell(c, suppress)).set_alignment(CellAlignment::Right)
            }),
        );
        if is_theme && out.color {
            cells = cells
                .into_iter()
                .map(|c| c.add_attribute(Attribute::Bold))
                .collect();
        }
        table.add_row(cells);
    }
    writeln!(out.stdout(), "{table}")?;
    Ok(())
}

/// Small-cell suppression: counts from 1 to K-1 are shown as `<K`.
#[derive(Debug, Clone, Copy)]
pub struct Suppress(pub u64);

impl Suppress {
    fn hides(self, n: u64) -> bool {
        n > 0 && n < self.0
    }

    fn count(self, n: u64) -> String {
        if self.hides(n) {
            format!("<{}", self.0)
        } else {
            n.to_string()
        }
    }

    /// A percentage, hidden when its participant count is.
    fn percent(self, cell: &Cell, decimals: usize) -> String {
        if self.hides(cell.participants) {
            "–".to_string()
        } else {
            format!("{:.*}", decimals, percent(cell))
        }
    }
}

/// `refs / n of N (pct%)`.
fn format_cell(cell: &Cell, suppress: Suppress) -> String {
    let pct = if suppress.hides(cell.participants) {
        "–".to_string()
    } else {
        format!("{:.0}%", cell.percent)
    };
    format!(
        "{} / {} of {} ({pct})",
        suppress.count(cell.references),
        suppress.count(cell.participants),
        cell.group_size
    )
}

pub fn write_matrix_csv(
    w: &mut dyn Write,
    matrix: &Matrix,
    long: bool,
    suppress: Suppress,
) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    if long {
        let mut header = vec!["theme".to_string(), "code".to_string()];
        header.extend(matrix.breakdown.iter().cloned());
        header.extend(["references", "participants", "group_size", "percent"].map(String::from));
        csv.write_record(&header)?;
        let all = vec!["(all)".to_string(); matrix.breakdown.len()];
        for row in &matrix.rows {
            let groups = matrix.groups.iter().map(|g| &g.values).chain([&all]);
            for (values, cell) in groups.zip(row.cells.iter().chain([&row.total])) {
                let mut record = vec![row.theme.clone(), row.code.clone().unwrap_or_default()];
                record.extend(values.iter().cloned());
                record.extend(cell_fields(cell, suppress));
                csv.write_record(&record)?;
            }
        }
    } else {
        let mut header = vec![
            "theme".to_string(),
            "code".to_string(),
            "label".to_string(),
            "origin".to_string(),
        ];
        let labels = matrix
            .groups
            .iter()
            .map(|g| g.label())
            .chain(["total".to_string()]);
        for label in labels {
            for field in ["references", "participants", "N", "percent"] {
                header.push(format!("{label}: {field}"));
            }
        }
        csv.write_record(&header)?;
        for row in &matrix.rows {
            let mut record = vec![
                row.theme.clone(),
                row.code.clone().unwrap_or_default(),
                row.label.clone(),
                row.origin
                    .map(|o| o.as_str().to_string())
                    .unwrap_or_default(),
            ];
            for cell in row.cells.iter().chain([&row.total]) {
                record.extend(cell_fields(cell, suppress));
            }
            csv.write_record(&record)?;
        }
    }
    csv.flush()?;
    Ok(())
}

fn cell_fields(cell: &Cell, suppress: Suppress) -> [String; 4] {
    [
        suppress.count(cell.references),
        suppress.count(cell.participants),
        cell.group_size.to_string(),
        suppress.percent(cell, 1),
    ]
}

/// The codings, spooled to a temporary CSV file as files stream through
/// (their attribute columns are only known at the end), then written out
/// with the attributes of each row's participant.
struct Spool {
    file: tempfile::NamedTempFile,
    csv: csv::Writer<std::io::BufWriter<std::fs::File>>,
}

/// The fixed columns of the codings CSV, before and after the attributes.
const CODINGS_HEAD: [&str; 10] = [
    "file",
    "participant",
    "turn",
    "speaker",
    "start",
    "end",
    "theme",
    "code",
    "matched",
    "text",
];
const CODINGS_TAIL: [&str; 5] = [
    "pattern",
    "match_start",
    "match_end",
    "time_start",
    "time_end",
];

impl Spool {
    fn new() -> anyhow::Result<Spool> {
        let file = tempfile::NamedTempFile::new()
            .context("cannot create a temporary file for the codings")?;
        let csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(std::io::BufWriter::new(file.reopen()?));
        Ok(Spool { file, csv })
    }

    /// Spools one file's codings: the head columns, then the tail columns.
    fn add(&mut self, file: &LoadedFile<Coded>, codebook: &Codebook) -> anyhow::Result<()> {
        let text = &file.transcript.text;
        let index = CharIndex::new(text);
        for coding in &file.result.codings {
            let turn = &file.transcript.turns[coding.turn];
            let code = &codebook.codes[coding.hit.code];
            let (from, to) = turn.time.map_or((String::new(), String::new()), |t| {
                (clock(t.start_ms), clock(t.end_ms))
            });
            self.csv.write_record([
                file.source.name.as_str(),
                &file.participants[coding.who],
                &turn.index.to_string(),
                &turn.speaker,
                &index.char_offset(coding.start).to_string(),
                &index.char_offset(coding.end).to_string(),
                &code.theme,
                &code.id,
                &text[coding.hit.start..coding.hit.end],
                &text[coding.start..coding.end],
                &code.patterns[coding.hit.pattern],
                &index.char_offset(coding.hit.start).to_string(),
                &index.char_offset(coding.hit.end).to_string(),
                &from,
                &to,
            ])?;
        }
        Ok(())
    }

    /// Writes the codings CSV: the spooled rows with each participant's
    /// attributes between the head and tail columns.
    fn finish(
        mut self,
        w: &mut dyn Write,
        participants: &BTreeMap<String, Attributes>,
    ) -> anyhow::Result<()> {
        self.csv.flush()?;
        drop(self.csv);
        let names: Vec<&str> = participants
            .values()
            .flat_map(|a| a.keys())
            .map(String::as_str)
            .filter(|k| *k != PARTICIPANT)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut out = csv::Writer::from_writer(w);
        let mut header: Vec<&str> = CODINGS_HEAD.to_vec();
        header.extend(&names);
        header.extend(CODINGS_TAIL);
        out.write_record(&header)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(std::io::BufReader::new(self.file.reopen()?));
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
    let mut csv = csv::Writer::from_writer(w);
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
/// it: `PATH:LINE turn N (SPEAKER, PARTICIPANT)`, then one line per code.
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
                let snippet: String = text[coding.start..coding.end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let snippet = if snippet.chars().count() > 70 {
                    format!("{}…", snippet.chars().take(69).collect::<String>())
                } else {
                    snippet
                };
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
                "  {} / {}  ← {:?} matched {:?}",
                code.theme,
                code.id,
                code.patterns[coding.hit.pattern],
                &text[coding.hit.start..coding.hit.end]
            )?;
        }
    }
    Ok(())
}

/// Said wherever the statistics are shown.
const STATS_NOTE: &str = "With samples this small the numbers describe the participants interviewed; \
     they do not generalise. Read p-values as a guide to where the groups differ, not as proof.";

/// What to count for a participant: a theme's or a code's references.
type CountFn = Box<dyn Fn(&tally::ParticipantTally) -> u64>;

/// One theme compared across the groups of one attribute.
#[derive(Debug, Serialize)]
pub struct GroupTest {
    theme: String,
    code: Option<String>,
    attribute: String,
    groups: Vec<GroupCount>,
    test: &'static str,
    statistic: Option<f64>,
    df: Option<u64>,
    p: Option<f64>,
}

#[derive(Debug, Serialize)]
struct GroupCount {
    value: String,
    mentioning: u64,
    size: u64,
}

/// For each breakdown attribute, theme and code: participants mentioning it
/// or not, in each of the attribute's groups, and the test
/// `mint::stats::compare` picks for that table.
fn compare_groups(
    tally: &Tally,
    participants: &BTreeMap<String, Attributes>,
    by: &[String],
    codebook: &Codebook,
) -> Vec<GroupTest> {
    let mut out = Vec::new();
    for attribute in by {
        let (members, _) = tally::membership(tally, participants, std::slice::from_ref(attribute));
        let mut rows: Vec<(String, Option<String>, CountFn)> = Vec::new();
        for (ti, theme) in codebook.themes.iter().enumerate() {
            rows.push((
                theme.id.clone(),
                None,
                Box::new(move |p| p.theme_refs.get(ti).copied().unwrap_or(0)),
            ));
            for (ci, _) in tally::code_order(codebook, &theme.id) {
                let code = Some(codebook.codes[ci].id.clone());
                rows.push((
                    theme.id.clone(),
                    code,
                    Box::new(move |p| p.code_refs.get(ci).copied().unwrap_or(0)),
                ));
            }
        }
        let resolved: Vec<_> = members
            .values()
            .map(|ids| tally::resolve(tally, ids))
            .collect();
        for (theme, code, refs) in rows {
            let groups: Vec<GroupCount> = members
                .keys()
                .zip(&resolved)
                .map(|(values, tallies)| {
                    let cell = tally::cell_of(tallies, &*refs);
                    GroupCount {
                        value: values.join(" / "),
                        mentioning: cell.participants,
                        size: cell.group_size,
                    }
                })
                .collect();
            let table: Vec<Vec<u64>> = groups
                .iter()
                .map(|g| vec![g.mentioning, g.size - g.mentioning])
                .collect();
            let result = mint::stats::compare(&table);
            let round = |x: f64, d: i32| (x * 10f64.powi(d)).round() / 10f64.powi(d);
            out.push(GroupTest {
                theme,
                code,
                attribute: attribute.clone(),
                groups,
                test: result.test.name(),
                statistic: result.statistic.map(|x| round(x, 3)),
                df: result.df,
                p: result.p.map(|x| round(x, 4)),
            });
        }
    }
    out
}

fn groups_text(t: &GroupTest) -> String {
    t.groups
        .iter()
        .map(|g| format!("{} {}/{}", g.value, g.mentioning, g.size))
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_stats_table(out: &mut Output, stats: &[GroupTest]) -> anyhow::Result<()> {
    let mut table = new_table(out);
    table.set_header([
        "theme / code",
        "by",
        "participants mentioning / N",
        "test",
        "statistic",
        "p",
    ]);
    for t in stats {
        let name = t
            .code
            .as_ref()
            .map_or(t.theme.clone(), |c| format!("  {c}"));
        table.add_row(vec![
            TableCell::new(name),
            TableCell::new(&t.attribute),
            TableCell::new(groups_text(t)),
            TableCell::new(t.test),
            TableCell::new(t.statistic.map_or("–".into(), |x| format!("{x:.3}")))
                .set_alignment(CellAlignment::Right),
            TableCell::new(t.p.map_or("–".into(), |p| format!("{p:.4}")))
                .set_alignment(CellAlignment::Right),
        ]);
    }
    writeln!(out.stdout(), "\nGroup comparison\n{table}\n{STATS_NOTE}")?;
    Ok(())
}

fn write_stats_csv(w: &mut dyn Write, stats: &[GroupTest]) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record([
        "theme",
        "code",
        "attribute",
        "value",
        "mentioning",
        "size",
        "test",
        "statistic",
        "df",
        "p",
    ])?;
    for t in stats {
        for g in &t.groups {
            let opt = |x: Option<String>| x.unwrap_or_default();
            csv.write_record([
                t.theme.clone(),
                t.code.clone().unwrap_or_default(),
                t.attribute.clone(),
                g.value.clone(),
                g.mentioning.to_string(),
                g.size.to_string(),
                t.test.to_string(),
                opt(t.statistic.map(|x| format!("{x:.3}"))),
                opt(t.df.map(|d| d.to_string())),
                opt(t.p.map(|p| format!("{p:.4}"))),
            ])?;
        }
    }
    csv.flush()?;
    Ok(())
}

/// Milliseconds as `HH:MM:SS.mmm`, the WebVTT clock.
fn clock(ms: u64) -> String {
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    format!(
        "{h:02}:{:02}:{:02}.{:03}",
        rest / 60_000,
        rest % 60_000 / 1000,
        rest % 1000
    )
}

/// The JSON document of `mint code --format json` (`schema_version` 1).
#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    codebook: JsonCodebook<'a>,
    unit: &'a str,
    breakdown: &'a [String],
    groups: Vec<JsonGroup<'a>>,
    rows: Vec<JsonRow<'a>>,
    summary: &'a Summary,
    /// Counts from 1 to this minus 1 are null (`--min-cell`).
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed_below: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats: Option<&'a [GroupTest]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats_note: Option<&'a str>,
    /// The codebook's structure, so `mint merge` can rebuild the table.
    themes: Vec<JsonTheme<'a>>,
    codes: Vec<JsonCode<'a>>,
    /// Per-participant tallies, so shards merge exactly (left out with
    /// `--min-cell`, as they would show the small cells).
    #[serde(skip_serializing_if = "Option::is_none")]
    participants: Option<Vec<JsonParticipant<'a>>>,
}

#[derive(Serialize)]
struct JsonCodebook<'a> {
    name: &'a str,
    version: &'a str,
    source: &'a str,
}

/// A theme, as `mint merge` needs it.
#[derive(Serialize)]
pub struct JsonTheme<'a> {
    id: &'a str,
    label: &'a str,
}

/// A code, as `mint merge` needs it.
#[derive(Serialize)]
pub struct JsonCode<'a> {
    id: &'a str,
    theme: &'a str,
    label: &'a str,
    origin: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
}

/// One participant's tallies: segments, and references per theme and code
/// (ids with no references are left out).
#[derive(Serialize)]
pub struct JsonParticipant<'a> {
    id: &'a str,
    attributes: &'a Attributes,
    segments: u64,
    coded_segments: u64,
    themes: BTreeMap<&'a str, u64>,
    codes: BTreeMap<&'a str, u64>,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    label: String,
    values: std::collections::BTreeMap<&'a str, &'a str>,
    size: u64,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    theme: &'a str,
    code: Option<&'a str>,
    label: &'a str,
    origin: Option<&'a str>,
    cells: Vec<JsonCell>,
    total: JsonCell,
}

#[derive(Serialize)]
struct JsonCell {
    references: Option<u64>,
    participants: Option<u64>,
    group_size: u64,
    percent: Option<f64>,
}

impl JsonCell {
    fn new(cell: &Cell, suppress: Suppress) -> JsonCell {
        let shown = |n: u64| (!suppress.hides(n)).then_some(n);
        JsonCell {
            references: shown(cell.references),
            participants: shown(cell.participants),
            group_size: cell.group_size,
            percent: (!suppress.hides(cell.participants)).then(|| percent(cell)),
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub fn write_json(
    w: &mut dyn Write,
    matrix: &Matrix,
    codebook: &Codebook,
    unit: &str,
    summary: &Summary,
    stats: Option<&[GroupTest]>,
    suppress: Suppress,
    tallies: (&Tally, &BTreeMap<String, Attributes>),
) -> anyhow::Result<()> {
    let (tally, attributes) = tallies;
    let participants = (suppress.0 <= 1).then(|| {
        attributes
            .iter()
            .map(|(id, attrs)| {
                let counts = tally.participants.get(id).cloned().unwrap_or_default();
                JsonParticipant {
                    id,
                    attributes: attrs,
                    segments: counts.segments,
                    coded_segments: counts.coded_segments,
                    themes: codebook
                        .themes
                        .iter()
                        .zip(&counts.theme_refs)
                        .filter(|(_, n)| **n > 0)
                        .map(|(t, n)| (t.id.as_str(), *n))
                        .collect(),
                    codes: codebook
                        .codes
                        .iter()
                        .zip(&counts.code_refs)
                        .filter(|(_, n)| **n > 0)
                        .map(|(c, n)| (c.id.as_str(), *n))
                        .collect(),
                }
            })
            .collect()
    });
    let report = JsonReport {
        schema_version: SCHEMA_VERSION,
        codebook: JsonCodebook {
            name: &codebook.codebook.name,
            version: &codebook.codebook.version,
            source: &codebook.source,
        },
        unit,
        breakdown: &matrix.breakdown,
        groups: matrix
            .groups
            .iter()
            .map(|g| JsonGroup {
                label: g.label(),
                values: matrix
                    .breakdown
                    .iter()
                    .map(String::as_str)
                    .zip(g.values.iter().map(String::as_str))
                    .collect(),
                size: g.size,
            })
            .collect(),
        rows: matrix
            .rows
            .iter()
            .map(|r| JsonRow {
                theme: &r.theme,
                code: r.code.as_deref(),
                label: &r.label,
                origin: r.origin.map(|o| o.as_str()),
                cells: r.cells.iter().map(|c| JsonCell::new(c, suppress)).collect(),
                total: JsonCell::new(&r.total, suppress),
            })
            .collect(),
        summary,
        suppressed_below: (suppress.0 > 1).then_some(suppress.0),
        stats,
        stats_note: stats.map(|_| STATS_NOTE),
        themes: codebook
            .themes
            .iter()
            .map(|t| JsonTheme {
                id: &t.id,
                label: &t.label,
            })
            .collect(),
        codes: codebook
            .codes
            .iter()
            .map(|c| JsonCode {
                id: &c.id,
                theme: &c.theme,
                label: &c.label,
                origin: c.origin.as_str(),
                parent: c.parent.as_deref(),
            })
            .collect(),
        participants,
    };
    serde_json::to_writer_pretty(&mut *w, &report)?;
    writeln!(w)?;
    Ok(())
}
