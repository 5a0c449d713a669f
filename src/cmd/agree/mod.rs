//! `mint agree`: how far two or more coding sets agree, per code, theme
//! and overall, as the figures a reviewer asks for, the disagreeing text,
//! and a gate for CI.
//!
//! Each argument becomes a [`CodingSet`] in one place, [`resolve`]; the
//! library aligns and scores the sets ([`mint::agree`]).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use comfy_table::Cell;
use serde::Serialize;

use mint::agree::{
    self, Alignment, BOOTSTRAP_REPLICATES, BOOTSTRAP_SEED, CodingSet, Comparison, Grain, Level,
    Row, Source,
};
use mint::coding::Options;
use mint::corpus::Unit;
use mint::matcher::Matcher;

use crate::args::{
    CodebookArgs, CorpusOptions, FormatArgs, check_output_path, load_codebooks, read_human_set,
};
use crate::render::{self, FileFormat, Output, Report, Status, table};

/// Measure how far coding sets agree: kappa, alpha, AC1, PABAK, and F1
/// against the first.
///
/// Percent agreement, Cohen's kappa (Fleiss' across three or more sets),
/// Krippendorff's alpha (nominal), Gwet's AC1, PABAK, and precision, recall
/// and F1 of each set against the first. Each SET is a transcript folder (or file) that mint codes with the
/// codebook (`--codebook`, or the embedded default); `PATH=CODEBOOK` codes
/// that set with its own codebook instead, to compare two codebooks on the
/// same transcripts. The first set is the reference. All sets must be over
/// the same transcripts. Outputs name a set by its codebook's file stem
/// (`PATH=CODEBOOK`) or its path's last component (`name #2` if taken).
///
/// Figures are given per code, per theme (a unit carries a theme when it
/// carries any of its codes) and overall (every unit x code cell pooled),
/// for each pair of sets and, with three or more, across all (kappa is then
/// Fleiss' kappa). Prevalence (the share of units each set coded) stands
/// beside kappa, which misleads when a code is rare. The 95% intervals of
/// kappa and alpha come from 1000 bootstrap resamples of participants, from
/// a fixed seed: the same every run. A figure that cannot be computed (a
/// code no set applied has no variation) is shown as `-` with the reason.
/// Codes that only one set used are listed, not dropped.
#[derive(Debug, clap::Args)]
#[command(mut_arg("codebook", |a| a.help(
    "Codebook file(s) for the sets without their own (`PATH=CODEBOOK`), as for `mint code`")))]
#[command(mut_arg("format", |a| a.help("How to print the figures")))]
#[command(after_long_help = "\
Exit status: 0 when the figures meet --min-kappa and --min-alpha (or none
was given), 1 when one is below (the codes or comparisons are named on
stderr), 2 on an error.

Examples:
  mint agree transcripts transcripts=revised.toml
  mint agree transcripts=v1.toml transcripts=v2.toml --unit sentence --disagreements diff.csv
  mint agree transcripts=v1.toml transcripts=v2.toml --min-kappa 0.6 --per-code")]
pub struct Args {
    /// The coding sets, the first the reference: a transcript folder or
    /// file coded by mint, a codings CSV (mint's --codings layout, or a
    /// `file,start,end,code` sheet) or a REFI-QDA project (`.qdpx`) of
    /// human codings; `PATH=CODEBOOK` gives a set its own codebook.
    #[arg(required = true, num_args = 2.., value_name = "SET")]
    sets: Vec<String>,

    /// In a `.qdpx` set, only this user's codings (a name that matches
    /// none is an error listing the users).
    #[arg(long, value_name = "NAME")]
    coder: Option<String>,

    #[command(flatten)]
    corpus: CorpusOptions,

    #[command(flatten)]
    codebook: CodebookArgs,

    /// What the sets are compared on: participant segments of a coding
    /// unit (mint codes with that unit too), or `char`, the code points of
    /// participant turns (mint codes whole turns).
    #[arg(long, value_enum, default_value_t = GrainArg::Turn)]
    unit: GrainArg,

    /// Write each unit where the sets differ to this CSV (or .xlsx
    /// workbook): file, participant, turn, span (code points), text, each
    /// set's codes, and for sets mint coded the rule (pattern) that fired.
    #[arg(long, value_name = "FILE.csv")]
    disagreements: Option<PathBuf>,

    /// Exit 1 when kappa is below K: overall, or with --per-code for any
    /// code (an undefined kappa is not gated).
    #[arg(long, value_name = "K")]
    min_kappa: Option<f64>,

    /// Exit 1 when Krippendorff's alpha is below A, as --min-kappa.
    #[arg(long, value_name = "A")]
    min_alpha: Option<f64>,

    /// Apply --min-kappa and --min-alpha to every code, not the overall
    /// figure.
    #[arg(long)]
    per_code: bool,

    /// Allow --disagreements to write inside an input folder.
    #[arg(long)]
    write_into_input: bool,

    #[command(flatten)]
    format: FormatArgs,
}

/// What the sets are compared on, as typed.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum GrainArg {
    /// Participant speaker turns.
    Turn,
    /// Paragraphs within turns.
    Paragraph,
    /// Sentences within paragraphs.
    Sentence,
    /// Code points of participant turns.
    Char,
}

impl GrainArg {
    fn grain(self) -> Grain {
        match self {
            GrainArg::Turn => Grain::Segment(Unit::Turn),
            GrainArg::Paragraph => Grain::Segment(Unit::Paragraph),
            GrainArg::Sentence => Grain::Segment(Unit::Sentence),
            GrainArg::Char => Grain::Char,
        }
    }

    /// The unit mint codes with for this grain.
    fn coding_unit(self) -> Unit {
        match self.grain() {
            Grain::Segment(unit) => unit,
            Grain::Char => Unit::Turn,
        }
    }

    fn name(self) -> &'static str {
        match self {
            GrainArg::Turn => "turn",
            GrainArg::Paragraph => "paragraph",
            GrainArg::Sentence => "sentence",
            GrainArg::Char => "char",
        }
    }
}

/// A coding set from the command line, resolved.
struct Resolved {
    /// The codings.
    set: CodingSet,
    /// Its codings of whole turns, placed once the transcripts are known.
    turns: Vec<mint::agree::TurnCoding>,
    /// The transcripts they are over, when the set brings them (a set of
    /// codings alone takes them from the others).
    sources: Option<Vec<Source>>,
    /// The argument as typed.
    argument: String,
    /// What made it, for the JSON: `mint` and the codebook's source.
    made_by: String,
    /// Whether mint coded it (its codings carry rules).
    mint: bool,
    /// The input path, which outputs may not be written into.
    input: PathBuf,
}

/// Turns one SET argument into a coding set: the one place that knows the
/// kinds of sets. A codings CSV (`.csv`) or a REFI-QDA project (`.qdpx`,
/// `--coder` picking one user) holds human codings, matched to the set's
/// codebook; a project brings its texts, a CSV takes them from the other
/// sets. Anything else is a transcript folder or file that mint codes.
/// `PATH=CODEBOOK` gives a set its own codebook.
fn resolve(
    argument: &str,
    name: String,
    args: &Args,
    out: &mut Output,
    failed: &mut bool,
) -> anyhow::Result<Resolved> {
    let (path, codebook) = split_set(argument);
    let codebook = match &codebook {
        Some(file) => load_codebooks(std::slice::from_ref(file))?,
        None => args.codebook.load()?,
    };
    if human_file(&path) {
        return human(argument, name, path, &codebook, args, out, failed);
    }
    let matcher = Matcher::new(&codebook).context("failed to compile the codebook")?;
    let unit = args.unit.coding_unit();
    let options = Options {
        codings: true,
        ..Options::default()
    };
    let corpus = args.corpus.read(std::slice::from_ref(&path), out, |t| {
        mint::coding::code_with(t, &matcher, unit, &options)
    })?;
    *failed |= args.corpus.status(&corpus.info, out) == Status::Error;
    let files: Vec<_> = corpus
        .files
        .iter()
        .map(|f| (&f.transcript, &f.result))
        .collect();
    let set = agree::from_coded(&name, &codebook, &files);
    let sources = corpus
        .files
        .into_iter()
        .map(|f| Source {
            transcript: f.transcript,
            participants: f.participants,
        })
        .collect();
    Ok(Resolved {
        set,
        turns: Vec::new(),
        sources: Some(sources),
        argument: argument.to_string(),
        made_by: format!("mint ({})", codebook.source),
        mint: true,
        input: path,
    })
}

/// A set of human codings: a codings CSV or sheet, or a project's codings
/// (with its texts as the transcripts).
fn human(
    argument: &str,
    name: String,
    path: PathBuf,
    codebook: &mint::codebook::Codebook,
    args: &Args,
    out: &mut Output,
    failed: &mut bool,
) -> anyhow::Result<Resolved> {
    let read = read_human_set(
        &path,
        name,
        args.coder.as_deref(),
        codebook,
        None,
        &args.corpus,
        out,
    )?;
    *failed |= read.failed;
    Ok(Resolved {
        set: read.set,
        turns: read.turns,
        sources: read.sources,
        argument: argument.to_string(),
        made_by: format!("human codings ({})", path.display()),
        mint: false,
        input: path,
    })
}

/// Whether a set's path is a file of human codings (`.csv`, `.qdpx`).
fn human_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("qdpx"))
}

/// `PATH=CODEBOOK` into its parts; an argument that exists as a path is a
/// path, whatever it contains.
fn split_set(argument: &str) -> (PathBuf, Option<PathBuf>) {
    if !Path::new(argument).exists()
        && let Some((path, codebook)) = argument.rsplit_once('=')
        && !path.is_empty()
        && !codebook.is_empty()
    {
        return (PathBuf::from(path), Some(PathBuf::from(codebook)));
    }
    (PathBuf::from(argument), None)
}

/// The sets' names: a set mint codes with its own codebook
/// (`PATH=CODEBOOK`) by the codebook's file stem, any other by its path's
/// last component (a codings file by its name); numbered (`name #2`) when
/// repeated.
fn names(arguments: &[String]) -> Vec<String> {
    let short = |argument: &String| {
        let (path, codebook) = split_set(argument);
        // Human codings are named by their file, whatever codebook
        // matches their codes; a set mint codes, by its codebook.
        let human = human_file(&path);
        let named = match &codebook {
            Some(codebook) if !human => codebook,
            _ => &path,
        };
        let stem = if codebook.is_some() && !human {
            named.file_stem()
        } else {
            named.file_name()
        };
        stem.map_or_else(|| argument.clone(), |s| s.to_string_lossy().into_owned())
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    arguments
        .iter()
        .map(|a| {
            let name = short(a);
            let n = seen.entry(name.clone()).or_default();
            *n += 1;
            if *n == 1 {
                name
            } else {
                format!("{name} #{n}")
            }
        })
        .collect()
}

/// Runs `mint agree`.
pub fn run(args: Args, out: &mut Output) -> anyhow::Result<Status> {
    for (flag, value) in [
        ("--min-kappa", args.min_kappa),
        ("--min-alpha", args.min_alpha),
    ] {
        if let Some(v) = value
            && !(-1.0..=1.0).contains(&v)
        {
            bail!("{flag} {v}: must be between -1 and 1");
        }
    }
    let mut failed = false;
    let mut resolved = Vec::new();
    for (argument, name) in args.sets.iter().zip(names(&args.sets)) {
        resolved.push(resolve(argument, name, &args, out, &mut failed)?);
    }
    let mut disagreements_format = FileFormat::Csv;
    if let Some(path) = &args.disagreements {
        let inputs: Vec<PathBuf> = resolved.iter().map(|r| r.input.clone()).collect();
        check_output_path(path, &inputs, args.write_into_input)?;
        let can = [FileFormat::Csv, FileFormat::Xlsx];
        disagreements_format = render::file_format("--disagreements", path, &can)?;
    }
    let with_sources: Vec<(&str, &[Source])> = resolved
        .iter()
        .filter_map(|r| Some((r.set.name.as_str(), r.sources.as_deref()?)))
        .collect();
    let Some(&(first_name, sources)) = with_sources.first() else {
        bail!("no set brings the transcripts its codings are over");
    };
    for &other in &with_sources[1..] {
        agree::same_transcripts((first_name, sources), other)?;
    }
    if sources.is_empty() {
        bail!("{first_name}: no transcripts to compare");
    }
    let mut sets: Vec<CodingSet> = Vec::with_capacity(resolved.len());
    for r in &resolved {
        let mut set = r.set.clone();
        agree::place_turns(&mut set, r.turns.clone(), sources)?;
        sets.push(set);
    }
    let alignment = agree::align(&sets, sources, args.unit.grain())?;
    let rows = agree::figures(&alignment, BOOTSTRAP_REPLICATES);
    if let Some(path) = &args.disagreements {
        let mint: Vec<bool> = resolved.iter().map(|r| r.mint).collect();
        let about = || render::xlsx::About::new(None, None);
        render::write_table_file(
            out,
            path,
            disagreements_format,
            "Disagreements",
            about,
            |w| write_disagreements(w, &alignment, sources, &mint),
        )?;
    }
    let report = Agree {
        alignment: &alignment,
        rows: &rows,
        unit: args.unit.name(),
        made_by: resolved
            .iter()
            .map(|r| (r.argument.clone(), r.made_by.clone()))
            .collect(),
    };
    render::emit(out, args.format.format, &report)?;
    let below = gate(&args, &alignment, &rows);
    for line in &below {
        out.error(line);
    }
    Ok(if failed {
        Status::Error
    } else if !below.is_empty() {
        Status::Findings
    } else {
        Status::Ok
    })
}

/// The figures below the gates, as lines naming them.
fn gate(args: &Args, alignment: &Alignment, rows: &[Row]) -> Vec<String> {
    let mut lines = Vec::new();
    for (figure, minimum) in [("kappa", args.min_kappa), ("alpha", args.min_alpha)] {
        let Some(minimum) = minimum else { continue };
        let below: Vec<String> = rows
            .iter()
            .filter(|r| {
                if args.per_code {
                    matches!(r.level, Level::Code(_))
                } else {
                    r.level == Level::Overall
                }
            })
            .filter_map(|r| {
                let value = if figure == "kappa" {
                    r.figures.kappa
                } else {
                    r.figures.alpha
                }?;
                (value < minimum).then(|| {
                    format!(
                        "{} ({}: {value:.3})",
                        level_id(alignment, r.level).1,
                        comparison_name(alignment, r.comparison)
                    )
                })
            })
            .collect();
        if !below.is_empty() {
            lines.push(format!("{figure} below {minimum}: {}", below.join(", ")));
        }
    }
    lines
}

/// A row's level and id: (`overall`|`theme`|`code`, id).
fn level_id(alignment: &Alignment, level: Level) -> (&'static str, String) {
    match level {
        Level::Overall => ("overall", "overall".to_string()),
        Level::Theme(t) => ("theme", alignment.themes[t].clone()),
        Level::Code(c) => ("code", alignment.codes[c].id.clone()),
    }
}

/// `A vs B`, or `all`.
fn comparison_name(alignment: &Alignment, comparison: Comparison) -> String {
    match comparison {
        Comparison::Pair(i, j) => format!("{} vs {}", alignment.sets[i], alignment.sets[j]),
        Comparison::All => "all".to_string(),
    }
}

/// Writes the disagreements CSV.
fn write_disagreements(
    w: &mut dyn Write,
    alignment: &Alignment,
    sources: &[Source],
    mint: &[bool],
) -> anyhow::Result<()> {
    let mut header: Vec<String> = ["file", "participant", "turn", "span", "text"]
        .map(String::from)
        .to_vec();
    for (name, &is_mint) in alignment.sets.iter().zip(mint) {
        header.push(format!("codes: {name}"));
        if is_mint {
            header.push(format!("rule: {name}"));
        }
    }
    let records = alignment.disagreements().map(|item| {
        let transcript = &sources[item.file].transcript;
        let mut record = vec![
            transcript.path.clone(),
            alignment.participants[item.participant].clone(),
            transcript.turns[item.turn].index.to_string(),
            format!("{}-{}", item.chars.0, item.chars.1),
            transcript.text[item.bytes.0..item.bytes.1]
                .trim()
                .to_string(),
        ];
        for (s, &is_mint) in mint.iter().enumerate() {
            let codes: Vec<&str> = item.codes[s]
                .iter()
                .map(|&c| alignment.codes[c].id.as_str())
                .collect();
            record.push(codes.join("; "));
            if is_mint {
                let rules: Vec<String> = item.codes[s]
                    .iter()
                    .zip(&item.rules[s])
                    .filter(|(_, rule)| !rule.is_empty())
                    .map(|(&c, rule)| format!("{}: {rule}", alignment.codes[c].id))
                    .collect();
                record.push(rules.join("; "));
            }
        }
        record
    });
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    render::csv::write_records(w, &header, records)
}

mod report;
use report::Agree;
